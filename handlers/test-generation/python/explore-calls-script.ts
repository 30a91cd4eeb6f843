/**
 * The part of the explore script that builds calls from type hints: the
 * candidate values for a parameter (literal unions, enums, numbers and
 * strings with the literals the module compares against, containers,
 * classes of the project constructed field by field), and argument lists
 * that start from a plain sample (or a doctest's call, or a value an earlier
 * call returned) and change one argument at a time. Python text, spliced
 * into EXPLORE_SCRIPT.
 */

export const CALLS_SUPPORT = String.raw`POOL = 8


class Explorer:
    def __init__(self, module, alias, project, literals):
        self.module = module
        self.alias = alias
        self.project = project
        self.strings = [s for s in literals if isinstance(s, str)][:4]
        self.numbers = [n for n in literals if isinstance(n, int) and not isinstance(n, bool)][:3]

    def prefix(self, kind):
        name = getattr(kind, "__module__", None)
        if name == self.module.__name__:
            return self.alias, ()
        if name in (None, "builtins"):
            return None, ()
        return name, (name,)

    def hints(self, target):
        try:
            return typing.get_type_hints(target)
        except Exception:
            return {}

    def params(self, target):
        try:
            signature = inspect.signature(target)
        except (TypeError, ValueError):
            return None
        hints = self.hints(target.__init__ if inspect.isclass(target) else target)
        if inspect.isclass(target) and dataclasses.is_dataclass(target):
            hints = self.hints(target) or hints
        out = []
        for param in signature.parameters.values():
            if param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
                continue
            out.append((param.name, hints.get(param.name, None if param.annotation is param.empty else param.annotation), param.default is not param.empty, param.kind == param.KEYWORD_ONLY))
        return out

    def values(self, hint, name, depth):
        """Candidate (expression, imports) pairs for a value of this type; [] when nothing fits."""
        if depth > 2:
            return []
        origin = typing.get_origin(hint)
        args = typing.get_args(hint)
        if hint is None or hint is typing.Any or hint is inspect.Parameter.empty or isinstance(hint, str):
            return [("1", ()), ('"example"', ()), ("None", ())]
        if origin is typing.Union or (hasattr(types, "UnionType") and isinstance(hint, getattr(types, "UnionType"))):
            out = []
            for arg in args:
                if arg is type(None):
                    continue
                out.extend(self.values(arg, name, depth))
            return out[:POOL] + [("None", ())] if type(None) in args else out[:POOL]
        if origin is typing.Literal:
            return [(repr(a), ()) for a in args]
        if hint is bool:
            return [("True", ()), ("False", ())]
        if hint is int:
            out = ["1", "0", "-1", "100"]
            for n in self.numbers:
                out += [str(n), str(n + 1)]
            return [(v, ()) for v in dict.fromkeys(out)][:POOL]
        if hint is float:
            return [(v, ()) for v in ("1.5", "0.0", "-1.0", "100.0")]
        if hint is str:
            lowered = name.lower()
            sample = "user@example.com" if "mail" in lowered else "1" if lowered == "id" or lowered.endswith("_id") else "Ada" if "name" in lowered else "example"
            out = [sample, ""] + self.strings + ["  Example  "]
            return [(repr(v), ()) for v in dict.fromkeys(out)][:POOL]
        if origin in (list, collections.abc.Sequence, collections.abc.Iterable, collections.abc.MutableSequence, collections.abc.Collection) or hint in (list,):
            inner = self.values(args[0] if args else None, name.rstrip("s"), depth + 1)
            if not inner:
                return [("[]", ())]
            first, imports = inner[0]
            out = [("[%s]" % first, imports), ("[]", ())]
            if len(inner) > 1:
                out.append(("[%s, %s]" % (first, inner[1][0]), imports + inner[1][1]))
            return out
        if origin is tuple:
            if len(args) == 2 and args[1] is Ellipsis:
                inner = self.values(args[0], name, depth + 1)
                return [("(%s,)" % inner[0][0], inner[0][1]), ("()", ())] if inner else [("()", ())]
            parts = [self.values(arg, name, depth + 1) for arg in args]
            if any(not part for part in parts):
                return []
            return [("(%s%s)" % (", ".join(part[0][0] for part in parts), "," if len(parts) == 1 else ""), sum((part[0][1] for part in parts), ()))]
        if origin in (dict, collections.abc.Mapping, collections.abc.MutableMapping) or hint is dict:
            keys = self.values(args[0] if args else str, "key", depth + 1)
            vals = self.values(args[1] if len(args) > 1 else None, "value", depth + 1)
            if keys and vals:
                return [("{%s: %s}" % (keys[0][0], vals[0][0]), keys[0][1] + vals[0][1]), ("{}", ())]
            return [("{}", ())]
        if inspect.isclass(hint) and issubclass(hint, enum.Enum):
            prefix, imports = self.prefix(hint)
            if prefix is None:
                return []
            return [("%s.%s.%s" % (prefix, hint.__name__, member.name), imports) for member in list(hint)[:POOL]]
        if inspect.isclass(hint) and hint.__module__ not in ("builtins",) and not hint.__module__.startswith(("typing", "collections", "datetime", "decimal", "pathlib")):
            return self.constructions(hint, depth, 6)
        return []

    def arguments(self, params, depth, limit, fill_optional=False, seeds=(), fixed=None):
        """Argument lists as (source, imports): the plain sample first, then one argument changed at a time.

        seeds: positional argument lists a doctest shows (the first becomes the plain sample, their values join the pools);
        fixed: {index: (source, imports)} that a parameter takes first (a value an earlier call returned)."""
        required = len([p for p in params if not p[2]])
        seeds = [seed for seed in seeds if required <= len(seed) <= len(params)]
        pools = []
        for index, (name, hint, has_default, keyword) in enumerate(params):
            pool = self.values(hint, name, depth + 1)
            seen = [(seed[index], ()) for seed in seeds if index < len(seed)]
            if fixed and index in fixed:
                seen.insert(0, fixed[index])
            if seen:
                pool = list(dict.fromkeys(seen + pool))
            if not pool and not has_default:
                return []
            given = bool(seen) and (index < len(seeds[0]) if seeds else True)
            pools.append((name, pool, has_default and not fill_optional and not given, keyword))
        baseline = {}
        for index, (name, pool, optional, keyword) in enumerate(pools):
            if not optional:
                baseline[index] = pool[0]
        def render(chosen):
            parts = []
            imports = ()
            keyword_from = None
            for index, (name, pool, optional, keyword) in enumerate(pools):
                if index not in chosen:
                    keyword_from = index if keyword_from is None else keyword_from
                    continue
                expr, needs = chosen[index]
                imports += needs
                parts.append("%s=%s" % (name, expr) if keyword or keyword_from is not None or optional else expr)
            return ", ".join(parts), imports
        out = [render(baseline)]
        longest = max([len(pool) for _, pool, _, _ in pools] or [0])
        for k in range(longest):
            for index, (name, pool, optional, keyword) in enumerate(pools):
                position = k if optional else k + 1
                if position >= len(pool):
                    continue
                chosen = dict(baseline)
                chosen[index] = pool[position]
                out.append(render(chosen))
                if len(out) >= limit:
                    return out
        return out

    def constructions(self, cls, depth, limit):
        prefix, imports = self.prefix(cls)
        params = self.params(cls)
        if prefix is None or params is None:
            return []
        return [("%s.%s(%s)" % (prefix, cls.__name__, args), imports + needs) for args, needs in self.arguments(params, depth, limit)]
`;
