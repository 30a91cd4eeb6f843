/**
 * The Python program that imports a module and tries candidate calls, to
 * learn what a generated test may assert. Embedded as text and passed to the
 * interpreter with `-c`, so it is found the same way from the sources and
 * from the bundled dist/.
 */

/**
 * What the probe and the explore script share: the stand-in for a module with
 * side effects, and the time limit on one call (SIGALRM).
 */
export const PROBE_SUPPORT = String.raw`class Offline:
    def __init__(self, name):
        self._name = name

    def __getattr__(self, attr):
        raise RuntimeError("%s is replaced while probing" % self._name)

    def __call__(self, *args, **kwargs):
        raise RuntimeError("%s is replaced while probing" % self._name)


class TimeLimit(Exception):
    pass


def on_alarm(signum, frame):
    raise TimeLimit("took longer than the time limit")
`;

/** argv: <request json file> <result json file>. */
export const PROBE_SCRIPT = String.raw`# Imports one module and tries candidate calls on it, to learn what a
# generated test may assert: the type and value a call returns, or the
# exception it raises. Names bound to modules with side effects (network,
# databases, mail) are replaced first, so a call that would use them fails
# instead. Each candidate has a time limit.
# argv: <request json file> <result json file>
import builtins
import importlib
import json
import math
import os
import signal
import sys
import traceback

SIMPLE = (bool, int, float, str, type(None))


${PROBE_SUPPORT}

def type_expression(value_type, module, alias):
    if getattr(builtins, value_type.__name__, None) is value_type:
        return value_type.__name__
    if value_type is type(None):
        return "type(None)"
    if getattr(module, value_type.__name__, None) is value_type:
        return "%s.%s" % (alias, value_type.__name__)
    return None


def literal(value):
    """(Python source equal to value, compare approximately) for a small plain value, else (None, False)."""
    # Exact types only: a subclass (a namedtuple, an enum) does not repr as plain source.
    sequence = type(value) in (tuple, list)
    items = list(value) if sequence else [value]
    if not all(type(item) in SIMPLE for item in items):
        return None, False
    floats = [item for item in items if isinstance(item, float)]
    if any(math.isnan(item) or math.isinf(item) for item in floats):
        return None, False
    numbers = all(isinstance(item, (int, float)) and not isinstance(item, bool) for item in items)
    if floats and not numbers:
        return None, False
    shown = repr(value)
    return (shown, bool(floats)) if len(shown) <= 120 else (None, False)


def main():
    with open(sys.argv[1], encoding="utf-8") as handle:
        request = json.load(handle)
    alias = request["alias"]
    results = {}
    try:
        module = importlib.import_module(request["module"])
    except BaseException as error:  # noqa: B902 - any failure to import is the answer
        with open(sys.argv[2], "w", encoding="utf-8") as handle:
            json.dump({"import_error": "".join(traceback.format_exception_only(type(error), error)).strip()}, handle)
        return
    for name in request["offline"]:
        if hasattr(module, name):
            setattr(module, name, Offline(name))
    namespace = {alias: module, "asyncio": importlib.import_module("asyncio")}
    signal.signal(signal.SIGALRM, on_alarm)
    for call in request["calls"]:
        outcome = None
        for expression in call["candidates"]:
            before = set(os.listdir("."))
            signal.alarm(int(request.get("seconds", 5)))
            try:
                value = eval(expression, dict(namespace))
                signal.alarm(0)
                shown, approximate = literal(value)
                # The probe runs in a scratch directory: anything new there was written by the call.
                written = sorted(set(os.listdir(".")) - before)
                outcome = {
                    "ok": True, "expression": expression,
                    "type": type_expression(type(value), module, alias),
                    "type_name": type(value).__name__,
                    "literal": shown,
                    "approx": approximate,
                    "writes": written,
                }
                break
            except BaseException as error:  # noqa: B902 - SystemExit and KeyboardInterrupt included
                signal.alarm(0)
                if outcome is None:
                    outcome = {
                        "ok": False, "expression": expression,
                        "exception": type_expression(type(error), module, alias),
                        "exception_name": type(error).__name__,
                        "message": str(error)[:200],
                    }
        results[call["id"]] = outcome
    with open(sys.argv[2], "w", encoding="utf-8") as handle:
        json.dump({"results": results}, handle)


main()
`;
