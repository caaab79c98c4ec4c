"""The passes that make a plan cheap to run, each once per plan (see plan.py).

What a TF1 session's graph optimizer (grappler) does, in small: fold what is known before
the run, specialize on the shapes that were fed, skip ops that only pass a value along,
drop pure ops whose values nobody uses, and let optimizers update variables in place.
A step is a plan.Step (op, kernel, input slots, output slots, run context, variable reads).
"""
import numpy as np

from .graph import Operation
from .registry import lookup


def fold_constants(steps, template, fed, known_shapes):
    """Run, once, every op whose inputs are all known while the plan is made.

    Constants, and what is computed from constants alone (the static `Shape`s and
    `BroadcastGradientArgs` of the gradient graphs, learning rates, ...), give the same
    values at every run; their outputs go into the template and the run skips them.
    A `Shape`, `Size` or `Rank` is also known when its input's shape is in `known_shapes`
    (a fed shape, or one the plan checks at run time: see Plan.guards).
    Stateful ops, variable reads, feeds and whatever depends on them are never folded, and
    an op whose kernel fails here is left to fail at run time with the usual error.
    Returns the folded ops and the tensors whose known shapes were used.
    """
    folded, used = set(), set()
    with np.errstate(all="ignore"):
        for step in steps:
            _fold(step, template, fed, known_shapes, folded, used)
    return folded, used


def _fold(step, template, fed, known_shapes, folded, used):
    """Fold one step if it can be (see fold_constants), adding its op to `folded`."""
    op, fn, ins, outs, ctx, reads = step
    facts = lookup(op._type).facts
    if "pure" not in facts:  # its value depends on more than its inputs (registry.py)
        return
    if any(c not in folded for c in op._control_inputs):
        return
    if "shape_only" in facts and all(t in known_shapes for t in op._inputs):
        # the kernel only looks at the shape: give it a stand-in without data
        args = [np.broadcast_to(np.zeros((), t.dtype.base_dtype.np), known_shapes[t])
                for t in op._inputs]
        used.update(op._inputs)
    elif reads or any(t in fed or t._op not in folded for t in op._inputs):
        return
    else:
        args = [template[i] for i in ins]
    try:
        out = fn(*args, **op._attrs)
    except Exception:  # noqa: BLE001 - the same kernel will raise, properly, at run time
        return
    values = [out] if len(outs) == 1 else list(out) if outs else []
    for s, v in zip(outs, values):
        if isinstance(v, np.ndarray):
            v = _compact(v)
            v.flags.writeable = False  # shared by every run: fetches get copies
        template[s] = v
    folded.add(op)


def _compact(v):
    """A folded array of one repeated number (the gradient graphs' Tile and Fill of 1/n) as a
    broadcast view of that number: no memory, and kernels read one value instead of many."""
    if v.ndim and v.size > 1 and v.dtype.kind in "fiu" and (v == v.flat[0]).all():
        return np.broadcast_to(v.flat[0], v.shape)
    return v


def skip_pass_through(steps, template, folded, guards, tensor_of, known_shapes):
    """Steps whose output is their input need no kernel call: later steps read the input.

    That is Identity (the gradient graphs' `tuple/control_dependency`), StopGradient, a
    Reshape to the shape the input already has, a Sum over no axes, x ** 1 (the gradient
    of x ** 2 has one; grappler rewrites it too), and NoOp (whose control inputs already
    come earlier in the order). Returns the steps with inputs
    redirected past those ops (whose entry now names the slot they pass along, for record
    mode), {output slot: (the slot it passes along, the op)} for the skipped ops, and the
    tensors whose known shapes were used.
    """
    alias, used = {}, set()
    out_steps = []
    for step in steps:
        op, outs, reads = step.op, step.outs, step.reads
        ins = [alias[i][0] if i in alias else i for i in step.ins]
        if op not in folded and op not in guards and not reads and \
                _passes_through(op, ins, template, tensor_of, known_shapes, used):
            for s in outs:
                alias[s] = (ins[0], op)
            out_steps.append(step._replace(ins=ins, outs=[ins[0]] if outs else []))
        else:
            out_steps.append(step._replace(ins=ins))
    return out_steps, alias, used


def _passes_through(op, ins, template, tensor_of, known_shapes, used):
    if op.type == "NoOp":
        return True
    if "pass_through" not in lookup(op._type).facts:
        return False
    if op.type in ("Identity", "StopGradient"):
        return True
    if op.type == "Reshape":  # the input may be a skipped op's: look at the tensor it passes along
        x, target = tensor_of[ins[0]], template[ins[1]]
        if x.shape.is_fully_defined() and op._outputs[0].shape.is_fully_defined():
            return x.shape.as_tuple() == op._outputs[0].shape.as_tuple()
        if x in known_shapes and isinstance(target, np.ndarray) and target.ndim == 1 \
                and _same_shape(target.tolist(), known_shapes[x]):
            used.add(x)
            return True
        return False
    if op.type == "Pow":
        y = template[ins[1]]  # a folded exponent: a 0-d array or a numpy scalar
        return isinstance(y, (np.ndarray, np.generic)) and y.ndim == 0 and y == 1
    if op.type == "Sum":  # over no axes: the BroadcastGradientArgs of equal shapes, folded
        axes = template[ins[1]]
        return isinstance(axes, np.ndarray) and axes.size == 0
    return False


def _same_shape(target, shape):
    """Whether reshaping a value of `shape` to `target` (one dim may be -1) keeps its shape."""
    if len(target) != len(shape) or target.count(-1) > 1:
        return False
    return all(t == d or (t == -1 and d > 0) for t, d in zip(target, shape))


def drop_unused(steps, fetches, fetch_slots, skipped):
    """The ops to skip because nothing reads their values and they change nothing.

    TF1's gradient graphs compute every input's gradient and tie them together with
    control dependencies (`gradients/mul_grad/tuple`), so a constant's or a placeholder's
    gradient is computed although no optimizer reads it. A control dependency only orders
    ops, so a pure op (no variable update, no randomness, no printing) whose outputs no
    kept op reads and no fetch names has no effect: the plan leaves it out. An op fetched
    itself, and one that is the only reader of a variable (so an uninitialized variable
    still raises), are kept. Record mode still runs every op, so a drawing shows its value.
    """
    keep = {f for f in fetches if isinstance(f, Operation)}
    while True:
        needed = {s for s in fetch_slots if s is not None}
        drop = set()
        for op, fn, ins, outs, ctx, reads in reversed(steps):
            if op in skipped:
                continue
            d = lookup(op._type)
            if d.session or d.writes or op in keep or not outs or any(s in needed for s in outs):
                needed.update(ins)
            else:
                drop.add(op)
        kept_reads = {var for step in steps if step.op not in drop for var in _variables_read(step)}
        alone = {step.op for step in steps if step.op in drop and set(_variables_read(step)) - kept_reads}
        if not alone:
            return drop
        keep |= alone


def _variables_read(step):
    return [var_op for _, var_op, _ in (step.reads[1] if step.reads else ())]


def shared_variables(steps):
    """The variables an optimizer's Apply op must not update in place in this plan.

    Updating the stored array itself (as `w -= lr * grad` does in numpy) saves a new array
    per step. It is safe when nothing else can hold that array: every op reading the variable
    makes a new array from it (MatMul, Mul, ...; fetching the variable copies it), never a
    view (Reshape, Identity), or looks at its shape only (ShapeN); the values a run records
    are copies. A variable no op of the plan reads (Adam's m and v: only their Apply op sees
    them) is safe too.
    """
    shared = set()
    for op, fn, ins, outs, ctx, reads in steps:
        if reads and not lookup(op._type).facts & {"new_array", "shape_only"}:
            shared.update(var_op for _, var_op, _ in reads[1])
    return shared
