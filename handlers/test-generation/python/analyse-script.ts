/**
 * The Python program that reads a source with the standard ast module (never
 * importing or running it) and prints what test generation needs as JSON.
 * Embedded as text and passed to the interpreter with `-c`, so it is found
 * the same way from the sources and from the bundled dist/.
 */

/** argv: <file to read> <name to show in messages>; prints JSON. */
export const ANALYSE_SCRIPT = String.raw`# Reads one Python source with the standard ast module (never imports or runs
# it) and prints, as JSON, what test generation needs: public functions and
# classes with their parameters, literal constants, web routes, and imports.
# argv: <file to read> <name to show in messages>
import ast
import importlib.util
import json
import re
import sys

SIDE_EFFECT_MODULES = {
    "requests", "httpx", "urllib3", "aiohttp", "psycopg2", "psycopg", "pymysql", "MySQLdb",
    "asyncpg", "sqlalchemy", "redis", "pymongo", "boto3", "botocore", "smtplib", "ftplib",
    "paramiko", "pika", "kafka",
}
NONDETERMINISTIC_NAMES = {
    "random", "time", "datetime", "date", "uuid", "uuid1", "uuid4", "secrets", "now", "today",
    "utcnow", "environ", "getenv", "urandom", "perf_counter", "monotonic", "id", "hash",
    "argv", "stdin", "input", "getcwd", "cwd",
}
FIELD_CLASSES = {"BaseModel", "SQLModel", "NamedTuple"}
HTTP_METHODS = {"get", "post", "put", "patch", "delete", "head", "options"}
SIMPLE_EXAMPLES = {
    "int": "1", "float": "1.5", "str": '"example"', "bool": "True", "bytes": 'b"example"',
    "list": "[]", "dict": "{}", "set": "set()", "tuple": "()", "None": "None",
}
RETURN_CHECKS = {
    "int": "int", "float": "(int, float)", "str": "str", "bool": "bool", "bytes": "bytes",
    "list": "list", "List": "list", "dict": "dict", "Dict": "dict", "set": "set", "Set": "set",
    "tuple": "tuple", "Tuple": "tuple", "None": "type(None)",
}
LIST_LIKE = {"list", "List", "Sequence", "Iterable", "Collection", "MutableSequence"}
DICT_LIKE = {"dict", "Dict", "Mapping", "MutableMapping"}
SET_LIKE = {"set", "Set", "AbstractSet", "MutableSet"}


def text(node):
    if node is None:
        return None
    if hasattr(ast, "unparse"):
        return ast.unparse(node)
    return ast.get_source_segment(SOURCE, node)


def base_name(node):
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def subscript_args(node):
    inner = node.slice
    if isinstance(inner, ast.Index):  # Python 3.8
        inner = inner.value
    return list(inner.elts) if isinstance(inner, ast.Tuple) else [inner]


def string_annotation(node):
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        try:
            return ast.parse(node.value, mode="eval").body
        except SyntaxError:
            return None
    return node


def example(node):
    """A Python expression of a representative value for a simple annotation, or None."""
    node = string_annotation(node)
    if node is None:
        return None
    if isinstance(node, ast.Constant) and node.value is None:
        return "None"
    if isinstance(node, (ast.Name, ast.Attribute)):
        return SIMPLE_EXAMPLES.get(base_name(node))
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        for side in (node.left, node.right):
            found = example(side)
            if found is not None and found != "None":
                return found
        return None
    if isinstance(node, ast.Subscript):
        base = base_name(node.value)
        args = subscript_args(node)
        if base == "Optional":
            return example(args[0])
        if base == "Union":
            for arg in args:
                found = example(arg)
                if found is not None and found != "None":
                    return found
            return None
        if base == "Literal":
            first = args[0]
            return repr(first.value) if isinstance(first, ast.Constant) else None
        if base in LIST_LIKE:
            item = example(args[0])
            return None if item is None else "[%s]" % item
        if base in SET_LIKE:
            item = example(args[0])
            return None if item is None else "{%s}" % item
        if base in DICT_LIKE and len(args) == 2:
            key, value = example(args[0]), example(args[1])
            return None if key is None or value is None else "{%s: %s}" % (key, value)
        if base in ("tuple", "Tuple"):
            if len(args) == 2 and isinstance(args[1], ast.Constant) and args[1].value is Ellipsis:
                item = example(args[0])
                return None if item is None else "(%s,)" % item
            items = [example(arg) for arg in args]
            if any(item is None for item in items):
                return None
            return "(%s,)" % items[0] if len(items) == 1 else "(%s)" % ", ".join(items)
    return None


def return_check(node):
    """A class (or tuple of classes) for isinstance() when the return annotation is simple."""
    node = string_annotation(node)
    if node is None:
        return None
    if isinstance(node, ast.Constant) and node.value is None:
        return "type(None)"
    if isinstance(node, (ast.Name, ast.Attribute)):
        return RETURN_CHECKS.get(base_name(node))
    if isinstance(node, ast.Subscript):
        base = base_name(node.value)
        if base == "Optional":
            inner = return_check(subscript_args(node)[0])
            return None if inner is None else "(%s, type(None))" % inner.strip("()")
        return RETURN_CHECKS.get(base)
    return None


def parameters(args):
    result = []
    positional = list(args.posonlyargs) + list(args.args)
    defaults = [None] * (len(positional) - len(args.defaults)) + list(args.defaults)
    for arg, default in zip(positional, defaults):
        kind = "positional_only" if arg in args.posonlyargs else "positional"
        result.append(param(arg, kind, default))
    if args.vararg:
        result.append(param(args.vararg, "var_positional", None))
    for arg, default in zip(args.kwonlyargs, args.kw_defaults):
        result.append(param(arg, "keyword_only", default))
    if args.kwarg:
        result.append(param(args.kwarg, "var_keyword", None))
    return result


def param(arg, kind, default):
    return {
        "name": arg.arg,
        "kind": kind,
        "annotation": text(arg.annotation),
        "default": text(default),
        "example": example(arg.annotation),
    }


def raised_names(node):
    names = set()
    for child in ast.walk(node):
        if isinstance(child, ast.Raise) and child.exc is not None:
            exc = child.exc.func if isinstance(child.exc, ast.Call) else child.exc
            name = base_name(exc)
            if name:
                names.add(name)
    doc = ast.get_docstring(node) or ""
    for match in re.finditer(r"(?:[Rr]aises?\b[^A-Za-z_]*|:raises?\s+)([A-Z][A-Za-z0-9_]*)", doc):
        names.add(match.group(1))
    for block in re.finditer(r"Raises:?\s*\n((?:[ \t]+\S.*\n?)+)", doc):
        names.update(re.findall(r"^[ \t]+([A-Z][A-Za-z0-9_]*)", block.group(1), re.M))
    return sorted(names)


def uses_nondeterminism(node):
    for child in ast.walk(node):
        if isinstance(child, ast.Name) and child.id in NONDETERMINISTIC_NAMES:
            return True
        # An attribute named like a builtin (record.id, item.hash, form.input) is a field, not the builtin.
        if isinstance(child, ast.Attribute) and child.attr in NONDETERMINISTIC_NAMES - {"id", "hash", "input", "date", "time", "cwd"}:
            return True
    return False


def route_of(decorator):
    if not isinstance(decorator, ast.Call) or not isinstance(decorator.func, ast.Attribute):
        return None
    owner = decorator.func.value
    if not isinstance(owner, ast.Name) or not decorator.args:
        return None
    path = decorator.args[0]
    if not isinstance(path, ast.Constant) or not isinstance(path.value, str):
        return None
    attr = decorator.func.attr
    if attr in HTTP_METHODS:
        return {"object": owner.id, "methods": [attr.upper()], "path": path.value}
    if attr == "route":
        methods = ["GET"]
        for keyword in decorator.keywords:
            if keyword.arg == "methods" and isinstance(keyword.value, (ast.List, ast.Tuple)):
                methods = [elt.value.upper() for elt in keyword.value.elts
                           if isinstance(elt, ast.Constant) and isinstance(elt.value, str)]
        return {"object": owner.id, "methods": methods, "path": path.value}
    return None


def function_info(node):
    routes = [r for r in (route_of(d) for d in node.decorator_list) if r is not None]
    return {
        "name": node.name,
        "line": node.lineno,
        "async": isinstance(node, ast.AsyncFunctionDef),
        "params": parameters(node.args),
        "returns": text(node.returns),
        "return_check": return_check(node.returns),
        "raises": raised_names(node),
        "nondeterministic": uses_nondeterminism(node),
        "decorators": [text(d) for d in node.decorator_list],
        "routes": routes,
    }


def class_info(node):
    init = None
    new = None
    methods = []
    properties = []
    fields = []
    # Classes whose constructor takes their annotated fields as keyword arguments.
    is_dataclass = any(base_name(d.func if isinstance(d, ast.Call) else d) == "dataclass"
                       for d in node.decorator_list) \
        or any(base_name(b) in FIELD_CLASSES for b in node.bases)
    for item in node.body:
        if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
            if item.name == "__init__":
                init = parameters(item.args)[1:]
            elif item.name == "__new__":
                new = parameters(item.args)[1:]
            elif not item.name.startswith("_"):
                decorators = {base_name(d) for d in item.decorator_list}
                (properties if decorators & {"property", "cached_property", "setter"} else methods).append(item.name)
        elif is_dataclass and isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
            if "ClassVar" not in (text(item.annotation) or ""):
                fields.append({
                    "name": item.target.id, "kind": "keyword_only", "annotation": text(item.annotation),
                    "default": text(item.value), "example": example(item.annotation),
                })
    bases = [text(b) for b in node.bases if text(b) != "object"]
    if is_dataclass and init is None:
        init = fields
    constructor = init if init is not None else new
    return {
        "name": node.name,
        "line": node.lineno,
        "bases": bases,
        # None: inherited from a base class, so unknown here.
        "init": constructor if (constructor is not None or not bases) else None,
        "methods": methods,
        "properties": sorted(set(properties)),
    }


def literal_constant(target, value):
    if not isinstance(target, ast.Name) or not re.match(r"^[A-Z][A-Z0-9_]*$", target.id) or value is None:
        return None
    try:
        literal = ast.literal_eval(value)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return None
    shown = repr(literal)
    if len(shown) > 200 or literal != literal:  # long, or NaN (never equal to itself)
        return None
    return {"name": target.id, "line": target.lineno, "value": shown}


def imports_of(tree):
    found = []
    def visit(statements, toplevel, guarded):
        for statement in statements:
            if isinstance(statement, ast.Import):
                for alias in statement.names:
                    found.append(import_info(alias.name, [alias.asname or alias.name.split(".")[0]],
                                             0, toplevel, guarded, statement.lineno))
            elif isinstance(statement, ast.ImportFrom):
                names = [alias.asname or alias.name for alias in statement.names if alias.name != "*"]
                found.append(import_info(statement.module or "", names, statement.level,
                                         toplevel, guarded, statement.lineno))
            elif isinstance(statement, ast.Try):
                visit(statement.body, toplevel, True)
                for handler in statement.handlers:
                    visit(handler.body, toplevel, True)
                visit(statement.orelse, toplevel, True)
                visit(statement.finalbody, toplevel, guarded)
            elif isinstance(statement, ast.If):
                visit(statement.body, toplevel, True)
                visit(statement.orelse, toplevel, True)
            elif isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.With,
                                        ast.For, ast.While, ast.AsyncWith, ast.AsyncFor)):
                visit(getattr(statement, "body", []), False, guarded)
                for extra in ("orelse", "handlers", "finalbody"):
                    visit(getattr(statement, extra, []), False, guarded)
    visit(tree.body, True, False)
    return found


def import_info(module, names, level, toplevel, guarded, line):
    top = module.split(".")[0]
    available = None
    if level == 0 and top:
        try:
            available = importlib.util.find_spec(top) is not None
        except (ImportError, ValueError):
            available = False
    return {
        "module": module, "level": level, "names": names, "toplevel": toplevel, "guarded": guarded,
        "line": line, "available": available, "side_effect": level == 0 and top in SIDE_EFFECT_MODULES,
    }


def app_objects(tree):
    objects = {}
    for statement in tree.body:
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1 \
                and isinstance(statement.targets[0], ast.Name) and isinstance(statement.value, ast.Call):
            kind = base_name(statement.value.func)
            if kind in ("FastAPI", "APIRouter", "Flask", "Blueprint"):
                objects[statement.targets[0].id] = kind
    return objects


def dunder_all(tree):
    for statement in tree.body:
        if isinstance(statement, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "__all__" for t in statement.targets):
            try:
                return [str(name) for name in ast.literal_eval(statement.value)]
            except (ValueError, TypeError, SyntaxError):
                return None
    return None


def analyse(tree):
    exported = dunder_all(tree)
    public = (lambda name: name in exported) if exported is not None else (lambda name: not name.startswith("_"))
    functions, classes, constants, assigned = [], [], [], {}
    for statement in tree.body:
        targets = []
        if isinstance(statement, ast.Assign):
            targets = statement.targets
        elif isinstance(statement, (ast.AnnAssign, ast.AugAssign)):
            targets = [statement.target]
        for target in targets:
            if isinstance(target, ast.Name):
                assigned[target.id] = assigned.get(target.id, 0) + 1
    for statement in tree.body:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)) and public(statement.name):
            functions.append(function_info(statement))
        elif isinstance(statement, ast.ClassDef) and public(statement.name):
            classes.append(class_info(statement))
        elif isinstance(statement, (ast.Assign, ast.AnnAssign)):
            targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
            if len(targets) == 1 and isinstance(targets[0], ast.Name) and public(targets[0].id) \
                    and assigned.get(targets[0].id) == 1:
                constant = literal_constant(targets[0], statement.value)
                if constant is not None:
                    constants.append(constant)
    return {
        "functions": functions,
        "classes": classes,
        "constants": constants,
        "imports": imports_of(tree),
        "apps": app_objects(tree),
        "all": exported,
    }


def main():
    global SOURCE
    path, shown = sys.argv[1], sys.argv[2]
    with open(path, encoding="utf-8") as handle:
        SOURCE = handle.read()
    try:
        tree = ast.parse(SOURCE, filename=shown)
    except SyntaxError as error:
        print(json.dumps({"error": {"message": error.msg, "line": error.lineno or 1,
                                    "column": error.offset or 1, "text": (error.text or "").rstrip("\n")}}))
        return
    except ValueError as error:
        print(json.dumps({"error": {"message": str(error), "line": 1, "column": 1, "text": ""}}))
        return
    print(json.dumps(analyse(tree)))


SOURCE = ""
main()
`;
