/**
 * The part of the explore script that reads the module's doctests: each
 * `>>> expression` example in a docstring becomes a call to try, with the
 * examples before it in the same docstring (`>>> w = TextWrapper(width=10)`)
 * as its set-up, the module's names rewritten to go through the test's
 * import (`TextWrapper` -> `textwrap.TextWrapper`). An example whose printed
 * output is a literal equal to what the call returns is documented
 * behaviour, kept as a test whatever it covers. Calls whose arguments are
 * all literals also seed the argument pools of the function they call.
 * Python text, spliced into EXPLORE_SCRIPT.
 */

export const DOCTEST_SUPPORT = String.raw`MAX_DOC_EXAMPLES = 30


def doc_names(tree):
    """Names a statement binds itself (assignments, imports, loop and comprehension variables, parameters)."""
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            out.add(node.id)
        elif isinstance(node, ast.arg):
            out.add(node.arg)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            out.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            for name in node.names:
                out.add((name.asname or name.name).split(".")[0])
    return out


class DocRewriter(ast.NodeTransformer):
    """Module names become attributes of the test's alias; a name nobody binds makes the example unusable."""

    def __init__(self, alias, public, bound, renames, avoid):
        self.alias = alias
        self.public = public
        self.avoid = avoid
        self.bound = bound
        self.renames = renames
        self.unknown = False

    def visit_Name(self, node):
        if node.id in self.renames:
            node.id = self.renames[node.id]
            return node
        if not isinstance(node.ctx, ast.Load) or node.id in self.bound:
            return node
        if node.id in self.avoid:
            self.unknown = True
            return node
        if node.id in self.public:
            return ast.copy_location(ast.Attribute(value=ast.Name(id=self.alias, ctx=ast.Load()), attr=node.id, ctx=ast.Load()), node)
        if not hasattr(builtins, node.id):
            self.unknown = True
        return node


def called_name(expression, alias):
    """The module-level callable an expression calls (f(...), Cls(...), Cls.method(...)), and its literal positional arguments."""
    node = expression
    while isinstance(node, ast.Attribute) and isinstance(node.value, ast.Call):
        node = node.value.func
    if isinstance(node, ast.Call):
        func = node.func
        target = func.value if isinstance(func, ast.Attribute) and not (isinstance(func.value, ast.Name) and func.value.id == alias) else func
        if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) and target.value.id == alias:
            literal_args = None
            if target is func and not node.keywords and not any(isinstance(arg, ast.Starred) for arg in node.args):
                try:
                    for arg in node.args:
                        ast.literal_eval(arg)
                    literal_args = [ast.unparse(arg) for arg in node.args]
                except (ValueError, SyntaxError, TypeError):
                    literal_args = None
            return target.attr, literal_args
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == alias:
        return node.attr, None
    return None, None


def doctest_scenarios(module, alias, keys):
    """Scenarios from the module's doctests (set-up from earlier examples), and literal argument lists per callable name."""
    scenarios = []
    seeds = {}
    try:
        tests = doctest.DocTestFinder(exclude_empty=True).find(module, module.__name__)
    except Exception:
        return scenarios, seeds
    public = {name for name in dir(module) if not name.startswith("_")}
    # The module's own functions that are not explored (they act on the process, or reach a replaced module) are not called from a doctest either.
    avoid = {name for name in public if name not in keys and inspect.isfunction(getattr(module, name, None)) and getattr(module, name).__module__ == module.__name__}
    depth = len(module.__name__.split("."))
    for test in sorted(tests, key=lambda t: t.name):
        owner = test.name.split(".")[depth:]
        owner_key = keys.get(owner[0]) if owner else None
        setup = []
        bound = set()
        # A doctest's variable named like the test's own (the module's alias, pytest, result) takes another name.
        renames = {}
        for example in test.examples[:MAX_DOC_EXAMPLES]:
            try:
                tree = ast.parse(example.source)
            except SyntaxError:
                break
            names = doc_names(tree)
            for name in names & {alias, "pytest", "result", "raised", "instance"}:
                renames[name] = name + "_"
            names = {renames.get(name, name) for name in names}
            rewriter = DocRewriter(alias, public, bound | names, renames, avoid)
            tree = ast.fix_missing_locations(rewriter.visit(tree))
            if rewriter.unknown:
                break  # the rest of this docstring builds on what cannot be repeated
            bound |= names
            if len(tree.body) == 1 and isinstance(tree.body[0], ast.Expr):
                expression = tree.body[0].value
                name, literal_args = called_name(expression, alias)
                key = keys.get(name) if name is not None else None
                key = key or owner_key
                if literal_args and name in keys:
                    seeds.setdefault(name, []).append(literal_args)
                printed = isinstance(expression, ast.Call) and isinstance(expression.func, ast.Name) and expression.func.id in ("print", "pprint")
                if key is not None and not printed and (example.want or example.exc_msg):
                    scenarios.append({"key": key, "setup": list(setup), "call": ast.unparse(expression), "imports": [], "pin": True, "want": example.want.strip(), "raises": example.exc_msg is not None})
            setup.extend(ast.unparse(tree).split("\n"))
    return scenarios, seeds


def matches_doc(scenario, outcome, value):
    """Whether what the call did is what its doctest shows: the same literal value, or an exception when one is shown."""
    if "want" not in scenario:
        return False
    if scenario.get("raises"):
        return not outcome["ok"]
    if not outcome["ok"] or outcome.get("literal") is None:
        return False
    try:
        return ast.literal_eval(scenario["want"]) == value
    except Exception:
        return False
`;
