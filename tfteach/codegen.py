"""A plan written out as one Python function: the kernel calls, in order, on local variables.

The interpreter in plan.py walks a list of steps and builds each call's arguments at every
run; here that walk happens once, as source text, and Python's compiler does the rest. The
source is kept (`Plan.source`) so a learner can read what a graph became, e.g.

    def run(variables):
        _at = -1
        try:
            _at = 0  # mul (Mul)
            v3 = Mul(variables[Variable], c2)
            ...
            return (fetched(v3),)

Each slot of the plan is a local `v<slot>`, each folded value a global `c<slot>`, each
kernel a global named after its op type. `_at` names the step running when a kernel
raises, so the error names that op, exactly as the interpreter's does.
"""
import keyword

import numpy as np

from .limits import oom_error
from . import errors


class ShapeChanged(Exception):
    """Raised by a plan's shape check: a tensor no longer has the shape the plan folded."""


def compile_plan(steps, template, fed_slots, fetch_slots, fetch_fed, fetch_value, shape_checks):
    """The function `run(variables, *feeds) -> fetched values` doing `steps` in order.

    `shape_checks` maps a slot to the shape the plan assumed for it; a run whose value has
    another shape raises ShapeChanged right after computing it, before any op that changes
    state (see Plan). A variable is read where its consumer runs, as in the interpreter.
    """
    names = {"ShapeChanged": ShapeChanged, "fetched": fetch_value}
    produced = set(fed_slots)
    # each value is dropped after its last use, as TF's executor frees a tensor once its last
    # consumer ran: memory stays low, and numpy reuses the freed blocks within the run
    # instead of getting fresh pages from the system at every run
    last_use = {}
    for at, step in enumerate(steps):
        for s in step.ins + step.outs:
            last_use[s] = at
    for s in fetch_slots:
        last_use.pop(s, None)
    drop_after = {}
    for s, at in last_use.items():
        drop_after.setdefault(at, []).append(s)
    lines = [f"def run(variables{''.join(f', v{s}' for s in fed_slots)}):", "    _at = -1", "    try:"]
    for at, (op, fn, ins, outs, ctx, reads) in enumerate(steps):
        kname = _unique(names, _identifier(op.type), fn)
        args = [_value(s, produced, template, names) for s in ins]
        for i, var_op, _ in (reads[1] if reads else ()):
            args[i] = f"variables[{_unique(names, _identifier(var_op.name), var_op)}]"
        if ctx is not None:
            args.insert(0, _unique(names, f"ctx{at}", ctx))
        odd = {k: v for k, v in op._attrs.items() if not k.isidentifier() or keyword.iskeyword(k)}
        for key, value in op._attrs.items():
            if key not in odd:
                args.append(f"{key}={_literal(value, names, f'a{at}_{key}')}")
        if odd:  # attribute names that are not Python names go in as a dict
            args.append(f"**{_unique(names, f'a{at}', odd)}")
        call = f"{kname}({', '.join(args)})"
        if op.type == "VariableV2":  # fetching a variable: a copy of its value (see ops/state.py)
            call = f"fetched(variables[{_unique(names, _identifier(op.name), op)}])"
        target = ", ".join(f"v{s}" for s in outs)
        if len(outs) == 1:
            target = f"v{outs[0]}"
        elif len(outs) > 1:
            target += ","
        lines.append(f"        _at = {at}  # {_comment(op.name)} ({op.type})")
        lines.append(f"        {target} = {call}" if outs else f"        {call}")
        produced.update(outs)
        for s in outs:
            if s in shape_checks:
                lines.append(f"        if getattr(v{s}, 'shape', None) != {shape_checks[s]!r}: raise ShapeChanged({at})")
        dead = sorted(s for s in drop_after.get(at, ()) if s in produced)
        if dead:
            lines.append(f"        del {', '.join(f'v{s}' for s in dead)}")
    # what run() hands back: numpy scalars for 0-d results, copies of read-only arrays (plan.py)
    results = ", ".join("None" if s is None else _value(s, produced, template, names) if as_fed
                        else f"fetched({_value(s, produced, template, names)})"
                        for s, as_fed in zip(fetch_slots, fetch_fed))
    lines.append(f"        return ({results}{',' if len(fetch_slots) == 1 else ''})")
    lines.append("    except ShapeChanged:")
    lines.append("        raise")
    lines.append("    except Exception as e:")
    lines.append("        fail(_at, e, locals())")
    source = "\n".join(lines) + "\n"
    names["fail"] = lambda at, e, local: _fail(steps, template, at, e, local)
    code = compile(source, "<tfteach plan>", "exec")
    exec(code, names)  # noqa: S102 - the source is ours, made just above
    return names["run"], source


def _value(slot, produced, template, names):
    if slot in produced:
        return f"v{slot}"
    return _unique(names, f"c{slot}", template[slot])


def _unique(names, name, value):
    """Bind `value` to a global of the generated module, under `name` or a numbered variant."""
    base, n = name, 1
    while name in names and names[name] is not value:
        n += 1
        name = f"{base}_{n}"
    names[name] = value
    return name


def _identifier(text):
    name = "".join(ch if ch.isalnum() else "_" for ch in text)
    if not name or name[0].isdigit() or keyword.iskeyword(name):
        name = "_" + name
    return name


def _comment(text):
    """`text` safe to end a line of code with (an imported graph may have any op names)."""
    return text if text.isprintable() else repr(text)


def _literal(value, names, name):
    if value is None or isinstance(value, (bool, int, str)):
        return repr(value)
    if isinstance(value, float) and np.isfinite(value):
        return repr(value)
    return _unique(names, name, value)


def _fail(steps, template, at, e, local):
    """Turn a kernel's exception into the OpError the interpreter raises for that step."""
    if at < 0 or isinstance(e, errors.OpError) and e.op is not None:
        raise e
    op, fn, ins, outs, ctx, reads = steps[at]
    for i, var_op, _ in (reads[1] if reads else ()):
        reads[0].read_variable(var_op)  # an uninitialized variable (a KeyError) raises here
    if op.type == "VariableV2":
        fn(ctx, **op._attrs)  # the same
    if isinstance(e, MemoryError):
        raise oom_error(e, op) from None
    if not isinstance(e, KERNEL_ERRORS):
        raise e
    args = [local.get(f"v{s}", template[s]) for s in ins]
    for i, var_op, _ in (reads[1] if reads else ()):
        args[i] = reads[0].read_variable(var_op)
    error = kernel_error(op, [a for a in args if a is not None and not hasattr(a, "_outputs")], e)
    raise error from (None if isinstance(e, errors.OpError) else e)


# what a numpy kernel raises on bad input; an OpError it raises itself passes through
KERNEL_ERRORS = (errors.OpError, ValueError, IndexError, TypeError, FloatingPointError, np.linalg.LinAlgError)


def kernel_error(op, arrays, e):
    """The OpError naming `op` for the exception `e` its kernel raised on the input `arrays`.

    A kernel's own OpError (TF's words: "Matrix size-incompatible: ...") gets the node line
    TF adds; numpy's broadcast failure of a binary op is TF's "Incompatible shapes: [3] vs. [4]";
    anything else names the op and the shapes it got, with numpy's message.
    """
    tail = f"\n\t [[node {op.name}]]"
    if isinstance(e, errors.OpError):
        message = e.message if "[[node " in e.message else e.message + tail
        return type(e)(e.node_def, op, message)
    if isinstance(e, ValueError) and len(arrays) == 2 and str(e).startswith("operands could not be broadcast"):
        a, b = (np.shape(x) for x in arrays)
        return errors.InvalidArgumentError(None, op, f"Incompatible shapes: {_fmt(a)} vs. {_fmt(b)}{tail}")
    shapes = ", ".join(str(np.shape(a)) for a in arrays)
    return errors.InvalidArgumentError(
        None, op, f"{op.type} '{op.name}' failed on inputs of shapes {shapes}: {e}{tail}")


def _fmt(shape):
    return "[" + ",".join(str(d) for d in shape) + "]"

