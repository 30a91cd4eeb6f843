/**
 * The Python program behind exploration: imports the module, builds calls
 * for its public functions and classes (its doctests first, see
 * explore-doctests-script.ts; then from type hints, see
 * explore-calls-script.ts), runs each call twice (the first time under a
 * line tracer limited to the project's own files), keeps the calls that
 * reach lines no earlier call reached (or that do what their doctest
 * shows), then tries sequences of method calls on one instance built from
 * the argument lists that worked (explore-sequences-script.ts), and reports
 * what each kept call returned or raised. Embedded as text and passed to the
 * interpreter with `-c`, like the probe.
 */

import { CALLS_SUPPORT } from './explore-calls-script.js';
import { DOCTEST_SUPPORT } from './explore-doctests-script.js';
import { SEQUENCE_SUPPORT } from './explore-sequences-script.js';
import { PROBE_SUPPORT } from './probe-script.js';

/** argv: <request json file> <result json file>. */
export const EXPLORE_SCRIPT = String.raw`import ast
import asyncio
import builtins
import collections.abc
import dataclasses
import doctest
import enum
import importlib
import inspect
import json
import math
import os
import re
import signal
import sys
import types
import typing

SIMPLE = (bool, int, float, str, type(None))
MAX_PER_SUBJECT = 40


${PROBE_SUPPORT}

${DOCTEST_SUPPORT}

${CALLS_SUPPORT}

${SEQUENCE_SUPPORT}

def harvest(path):
    """Literals the module compares against, and the members of its constant tuples and lists."""
    try:
        with open(path, encoding="utf-8") as handle:
            tree = ast.parse(handle.read())
    except Exception:
        return []
    found = []
    def add(node):
        if isinstance(node, ast.Constant) and isinstance(node.value, (str, int)) and not isinstance(node.value, bool):
            if not isinstance(node.value, str) or 0 < len(node.value) <= 40:
                found.append(node.value)
        elif isinstance(node, (ast.Tuple, ast.List, ast.Set)):
            for element in node.elts:
                add(element)
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            for operand in [node.left] + list(node.comparators):
                add(operand)
    return list(dict.fromkeys(found))


def literal(value, depth=0):
    """Python source equal to a plain value (nested lists, tuples, dicts of simple values), else None."""
    kind = type(value)
    if kind in SIMPLE:
        if kind is float and (math.isnan(value) or math.isinf(value)):
            return None
        return repr(value)
    if depth > 3:
        return None
    if kind in (list, tuple):
        items = [literal(item, depth + 1) for item in value]
        if any(item is None for item in items):
            return None
        if kind is tuple:
            return "(%s%s)" % (", ".join(items), "," if len(items) == 1 else "")
        return "[%s]" % ", ".join(items)
    if kind is dict:
        entries = []
        for key, item in value.items():
            k, v = literal(key, depth + 1), literal(item, depth + 1)
            if k is None or v is None:
                return None
            entries.append("%s: %s" % (k, v))
        return "{%s}" % ", ".join(entries)
    return None


def main():
    with open(sys.argv[1], encoding="utf-8") as handle:
        request = json.load(handle)
    alias = request["alias"]
    try:
        module = importlib.import_module(request["module"])
    except BaseException as error:  # noqa: B902
        with open(sys.argv[2], "w", encoding="utf-8") as handle:
            json.dump({"import_error": str(error)}, handle)
        return
    for name in request["offline"]:
        if hasattr(module, name):
            setattr(module, name, Offline(name))
    source = os.path.realpath(module.__file__)
    project = os.path.realpath(request["project"])
    explorer = Explorer(module, alias, project, harvest(source))

    keys = {subject["name"]: subject["key"] for subject in request["subjects"]}
    # Doctests first: a documented call that does what its docstring shows is kept whatever it covers.
    scenarios, seeds = doctest_scenarios(module, alias, keys)
    classes = []
    for subject in request["subjects"]:
        target = getattr(module, subject["name"], None)
        if target is None:
            continue
        key = subject["key"]
        if subject["kind"] == "function" and callable(target):
            params = explorer.params(target)
            if params is None:
                continue
            try:
                text = inspect.getsource(target)
            except Exception:
                text = ""
            reads_input = "sys.argv" in text or "sys.stdin" in text or "input(" in text
            for args, imports in explorer.arguments(params, 0, MAX_PER_SUBJECT, fill_optional=reads_input, seeds=seeds.get(subject["name"], ())):
                call = "%s.%s(%s)" % (alias, subject["name"], args)
                if inspect.iscoroutinefunction(target):
                    call = "asyncio.run(%s)" % call
                    imports = list(imports) + ["asyncio"]
                scenarios.append({"key": key, "call": call, "imports": sorted(set(imports)), "pin": not subject.get("nondeterministic", False)})
        elif subject["kind"] == "class" and inspect.isclass(target):
            made = explorer.constructions(target, 0, MAX_PER_SUBJECT)
            for expression, imports in made:
                scenarios.append({"key": key, "call": expression, "imports": sorted(set(imports)), "pin": True})
            if made:
                base, imports = made[0]
                classes.append((key, base, imports))
                for order, (name, member) in enumerate(inspect.getmembers(target)):
                    if name.startswith("_"):
                        continue
                    if isinstance(inspect.getattr_static(target, name, None), property):
                        scenarios.append({"key": key, "call": "%s.%s" % (base, name), "imports": sorted(set(imports)), "pin": True})
                    elif inspect.isfunction(member) and not isinstance(inspect.getattr_static(target, name, None), (staticmethod, classmethod)):
                        params = explorer.params(member)
                        if params is None:
                            continue
                        params = [p for p in params if p[0] != "self"]
                        for args, needs in explorer.arguments(params, 0, 12):
                            step = {"name": name, "args": args, "imports": needs, "params": params, "order": order, "member": member}
                            scenarios.append({"key": key, "call": "%s.%s(%s)" % (base, name, args), "imports": sorted(set(imports + needs)), "pin": True, "step": step})

    cache = {}
    def ours(filename):
        if filename not in cache:
            real = os.path.realpath(filename)
            cache[filename] = real.startswith(project + os.sep) and "site-packages" not in real and os.sep + "tests" + os.sep not in real and not os.path.basename(real).startswith("test_")
        return cache[filename]

    reached = set()
    def local(frame, event, arg):
        if event == "line":
            reached.add("%s:%d" % (frame.f_code.co_filename, frame.f_lineno))
        return local
    def tracer(frame, event, arg):
        return local if ours(frame.f_code.co_filename) else None

    def run(scenario, trace):
        namespace = {alias: module, "asyncio": asyncio}
        for name in scenario["imports"]:
            importlib.import_module(name)
            namespace[name.split(".")[0]] = importlib.import_module(name.split(".")[0])
        before = set(os.listdir("."))
        reached.clear()
        signal.alarm(5)
        if trace:
            sys.settrace(tracer)
        value = None
        stage = "setup"
        try:
            if scenario.get("setup"):
                exec("\n".join(scenario["setup"]), namespace)
            stage = "call"
            value = eval(scenario["call"], namespace)
            outcome = {"ok": True, "literal": literal(value), "type_name": type(value).__name__, "type": type_expression(type(value), explorer)}
        except BaseException as error:  # noqa: B902
            outcome = {"ok": False, "exception": type_expression(type(error), explorer), "exception_name": type(error).__name__, "message": str(error)[:300]}
            # The call reached a module that is replaced here: what it raised is the stand-in's, not the code's.
            if isinstance(error, RuntimeError) and str(error).endswith("is replaced while probing"):
                outcome["offline"] = True
            if stage == "setup" or isinstance(error, TimeLimit):
                outcome["unusable"] = True
        finally:
            sys.settrace(None)
            signal.alarm(0)
        if set(os.listdir(".")) != before:
            outcome = {"ok": False, "writes": True, "exception": None, "exception_name": "", "message": ""}
        elif scenario.get("state"):
            outcome["state"] = state_of(namespace.get(scenario["state"]))
        return outcome, set(reached), value

    signal.signal(signal.SIGALRM, on_alarm)
    covered = set()
    kept = []
    working = {}
    states = {}
    def attempt(scenario):
        first, lines, value = run(scenario, True)
        second, _, _ = run(scenario, False)
        bad = lambda o: o.get("writes") or o.get("offline") or o.get("unusable")
        if bad(first) or bad(second) or first["ok"] != second["ok"]:
            return
        if first["ok"] and first["literal"] != second["literal"]:
            first["literal"] = None
        if not first["ok"] and first["message"] != second["message"]:
            first["message"] = None
        if "state" in first:
            first["state"] = {name: text for name, text in first["state"].items() if second.get("state", {}).get(name) == text}
        # Each method's first argument list that worked alone (else its first): what a sequence calls it with.
        step = scenario.get("step")
        if step is not None:
            known = working.setdefault(scenario["key"], {})
            if step["name"] not in known or (first["ok"] and not known[step["name"]]["ok"]):
                returns = type(value) if first["ok"] else explorer.hints(step["member"]).get("return")
                known[step["name"]] = dict(step, ok=first["ok"], returns=returns if inspect.isclass(returns) else None)
        documented = matches_doc(scenario, first, value)
        new = lines - covered
        seen_states = states.setdefault(scenario["key"], [])
        # A sequence that reaches nothing new still counts when it leaves the instance in a state no kept sequence did (a few per class).
        new_state = "state" in first and first["state"] and first["state"] not in seen_states and len(seen_states) < 3
        if not new and not documented and not new_state:
            return
        covered.update(lines)
        if "state" in first:
            seen_states.append(first["state"])
        if not scenario["pin"] and first["ok"]:
            first["literal"] = None
        kept.append(dict(scenario, outcome=first, doc=documented))
    for scenario in scenarios:
        attempt(scenario)
    # Sequences, from the argument lists each method accepted on its own.
    sequences = []
    for key, base, imports in classes:
        # A module imported as "instance" would be hidden by the sequence's own variable.
        if working.get(key) and alias != "instance":
            sequences.extend(sequence_scenarios(key, base, imports, working[key], explorer))
    for scenario in sequences:
        attempt(scenario)
    for entry in kept:
        entry.pop("step", None)
    with open(sys.argv[2], "w", encoding="utf-8") as handle:
        json.dump({"tried": len(scenarios) + len(sequences), "kept": kept}, handle)

def type_expression(kind, explorer):
    if getattr(builtins, kind.__name__, None) is kind:
        return kind.__name__
    prefix, imports = explorer.prefix(kind)
    if prefix is None or "<" in kind.__qualname__:
        return None
    return {"expression": "%s.%s" % (prefix, kind.__qualname__), "imports": list(imports)}


main()
`;
