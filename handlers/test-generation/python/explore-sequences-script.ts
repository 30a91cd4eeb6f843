/**
 * The part of the explore script that calls methods in sequence on one
 * instance: once single calls have shown which arguments each method
 * accepts, a class's instance gets each method followed by each other
 * (methods named like mutators, `add`, `push`, `set_...`, first, and those
 * called twice before another), so code that needs earlier calls (a queue
 * that must hold something, a matcher whose inputs were set) runs. A later
 * call takes a value an earlier call returned when its parameter's type hint
 * accepts that value's type. The test pins the last call's result and the
 * instance's public attributes afterwards. Python text, spliced into
 * EXPLORE_SCRIPT.
 */

export const SEQUENCE_SUPPORT = String.raw`MAX_SEQUENCES = 30
MAX_STEPS_CONSIDERED = 6
MAX_STATE = 8
MUTATOR = re.compile(r"^(add|append|push|put|insert|set|update|register|feed|extend|enqueue|record|store|load|include|attach|open)")


def sequence_scenarios(key, base, imports, working, explorer):
    """Sequences of two or three method calls on one instance, from the argument lists that worked alone ({name: step})."""
    steps = sorted(working.values(), key=lambda step: (not MUTATOR.match(step["name"]), step["order"]))[:MAX_STEPS_CONSIDERED]
    plans = []
    for first in steps:
        plans.extend([first, second] for second in steps)
        if MUTATOR.match(first["name"]):
            plans.extend([first, first, second] for second in steps if second is not first)
    out = []
    for plan in plans[:MAX_SEQUENCES]:
        rendered = render_sequence(plan, base, imports, explorer)
        if rendered is not None:
            out.append(dict(rendered, key=key, pin=True, state="instance"))
    return out


def render_sequence(plan, base, imports, explorer):
    """The set-up lines and the last call of one plan; an earlier result is passed on where a parameter's hint accepts its type."""
    produced = []
    calls = []
    used = set()
    needs = tuple(imports)
    for position, step in enumerate(plan):
        args, more = step["args"], tuple(step["imports"])
        fixed = {}
        for index, (name, hint, has_default, keyword) in enumerate(step["params"]):
            if not inspect.isclass(hint) or hint in (bool, type(None), object):
                continue
            for variable, kind in reversed(produced):
                if kind is not None and kind not in (bool, type(None)) and issubclass(kind, hint):
                    fixed[index] = (variable, ())
                    break
        if fixed:
            again = explorer.arguments(step["params"], 0, 1, fixed=fixed)
            if again:
                args, more = again[0]
                used |= {variable for variable, _ in fixed.values()}
        needs += more
        calls.append("instance.%s(%s)" % (step["name"], args))
        produced.append(("value%d" % (position + 1), step["returns"]))
    setup = ["instance = %s" % base]
    for position, call in enumerate(calls[:-1]):
        variable = "value%d" % (position + 1)
        setup.append("%s = %s" % (variable, call) if variable in used else call)
    return {"setup": setup, "call": calls[-1], "imports": sorted(set(needs))}


def state_of(instance):
    """The instance's public attributes that are plain values, as source."""
    try:
        fields = vars(instance)
    except TypeError:
        return {}
    state = {}
    for name in sorted(fields):
        if name.startswith("_") or not name.isidentifier():
            continue
        text = literal(fields[name])
        if text is not None and len(text) <= 200:
            state[name] = text
        if len(state) >= MAX_STATE:
            break
    return state
`;
