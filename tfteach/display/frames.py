"""While-loop frames in a drawing: one labelled box per frame, its back edge, its border ops.

A `tf.while_loop` (and so `tf.nn.dynamic_rnn`) builds TF1's frame: Enter, Merge, LoopCond,
Switch, Identity, NextIteration, Exit (see `tfteach/ops/while_loop.py`). Drawn as plain name
scopes, the frame is a tangle; here it is drawn as a learner should see it:

- the frame is one box, "while loop rnn/while", holding every op of the frame (also those TF
  names outside its scope, as tf.gradients' `gradients/f_count` and `gradients/b_count`), and
  it folds into one node like a name scope;
- the edge NextIteration -> Merge, which carries a value to the next iteration, is drawn
  dashed, against the ranks, labelled "next iteration" (kind "next");
- the loop variables' Enters share the frame's top rank and the Exits (values going out)
  its bottom rank, so they sit at the box's border; an outside value the body only reads
  (a weight) enters beside the op that reads it.

Which ops form a frame comes from `op._control_flow_context` (`frame_of`), never from names.
Used by `scene.py`; both renderers draw the result.
"""
from ..ops.while_loop import frame_of as _frame_of

FRAME_OPS = ("Enter", "Merge", "Switch", "LoopCond", "NextIteration", "Exit")
# the kinds of op that make the loop (drawn in the frame's colour)


def frame_of(op):
    """The innermost while-loop frame (a WhileContext) of `op`, or None."""
    if getattr(op, "_control_flow_context", None) is None:
        return None
    return _frame_of(op)


def frames(ops):
    """{frame path: WhileContext} for the frames of the drawn ops, outer frames included.

    A frame's path is its name scope without the slash: 'rnn/while', and for the backward loop
    tf.gradients builds, 'gradients/rnn/while'."""
    out = {}
    for op in ops:
        context = frame_of(op)
        while context is not None:
            if hasattr(context, "frame_name"):
                out.setdefault(context.name.rstrip("/"), context)
            context = context.outer_context
    return out


def frame_path(op):
    """The path of the innermost frame holding `op`, or None."""
    context = frame_of(op)
    return context.name.rstrip("/") if context is not None else None


def forward_gradient_ops(ops):
    """The gradient ops (made by tf.gradients) that run in a forward loop: a loop that holds
    ops of the forward pass too (TF1's f_count counter, the StackPushV2 saving each
    iteration's values for the backward loop)."""
    members = {}
    for op in ops:
        path = frame_path(op)
        if path is not None:
            members.setdefault(path, []).append(op)
    out = set()
    for group in members.values():
        if any(op.gradient_of is None for op in group):
            out |= {op for op in group if op.gradient_of is not None}
    return out


def label(path, backward=False):
    """The frame box's title."""
    return f"{'backward ' if backward else ''}while loop {path}"


def is_next_iteration(src, dst):
    """True for the frame's back edge: NextIteration carrying a value to Merge."""
    return src.type == "NextIteration" and dst.type == "Merge"


def border_constraints(ops, rep, mirror=False):
    """Layout constraints that put each frame's loop-variable Enters on one rank and its Exits on another,
    after the whole body: the bottom rank, or with the gradient mirror (`mirror`) the top rank
    of a backward loop, whose values flow up.

    Returns ([(upper, lower) invisible ranking edges], [(a, b) same-rank pairs]), by node id.
    Only ops drawn as their own node count (a folded frame needs nothing).
    """
    stack, same = [], []
    by_frame = {}
    for op in ops:
        path = frame_path(op)
        if path is not None and rep.get(op) == op.name:
            by_frame.setdefault(path, []).append(op)
    for members in by_frame.values():
        # the loop variables' Enters; an outside value the body only reads (a weight) enters
        # beside the op that reads it, which keeps a loop with many of them narrow
        context = frame_of(members[0])
        loop_vars = {t.op for t in getattr(context, "loop_enters", ())}
        enters = [op.name for op in members if op.type == "Enter" and op in loop_vars]
        exits = [op.name for op in members if op.type == "Exit"]
        same += [(enters[0], e) for e in enters[1:]] + [(exits[0], e) for e in exits[1:]]
        # the Exits after the whole body: beyond every NextIteration
        up = mirror and all(op.gradient_of is not None for op in members)
        stack += [(x, op.name) if up else (op.name, x)
                  for op in members if op.type == "NextIteration" for x in exits[:1]]
    return stack, same
