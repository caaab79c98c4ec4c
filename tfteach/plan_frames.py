"""Running tf.while_loop frames: a loop's ops are one node of the plan, iterated when it runs.

TF1's executor runs a frame's ops as a dataflow that goes round; tfteach does the same thing
in a plainer way. The plan treats all ops of an outermost frame as one node (`Frame`), placed
where its inputs are ready. Running it (`FrameRunner.run`) means:

    1. the Enter ops pass the outside values in, once;
    2. each iteration runs the frame's other ops in order: Merge gives the loop variables'
       values (Enter's first, then the last NextIteration's), cond sets LoopCond, Switch
       makes the body's ops dead once LoopCond is false (the same dead values as tf.cond);
    3. when LoopCond is false, the Exit ops hold the results and the loop ends.

A frame inside a frame is one node of its parent's iteration, run the same way each time.
Plans with a frame are interpreted, without the folding passes (plan.py).
"""
import numpy as np

from . import errors
from .graph import Tensor
from .ops.control import DEAD
from .ops.while_loop import frame_of as _innermost, outermost_frame


def close_over_frames(needed, fed, needed_for_run):
    """`needed` plus every op of each frame it touches and what those ops need: a frame runs whole."""
    seen, stack = set(), list(needed)
    while stack:
        context = outermost_frame(stack.pop())
        if context is not None and context not in seen:
            seen.add(context)
            extra = needed_for_run(sorted(context._ops, key=lambda op: op._id), fed) - needed
            needed |= extra
            stack.extend(extra)
    return needed


class Frame:
    """All ops of one while frame, seen from outside as one node: its inputs are what its ops
    take from outside, its outputs all their tensors (only the Exits may be used outside)."""

    type = _type = "Frame"

    def __init__(self, context, ops):
        self.context = context
        self.ops = sorted(ops, key=lambda op: op._id)
        self.name = context.name.rstrip("/")
        self._id = self.ops[0]._id
        members = set(ops)
        self._outputs = [t for op in self.ops for t in op._outputs]
        self._inputs = list(dict.fromkeys(t for op in self.ops for t in op._inputs if t._op not in members))
        self._control_inputs = list(dict.fromkeys(c for op in self.ops for c in op._control_inputs
                                                  if c not in members))

    def __repr__(self):
        return f"<while frame '{self.context.frame_name}' ({len(self.ops)} ops)>"


def group_into_frames(ops, inside=None):
    """`ops` with those of each outermost frame (below `inside`) replaced by one Frame;
    returns (units, {op: its Frame})."""
    members = {}
    for op in ops:
        context = outermost_frame(op, inside)
        if context is not None:
            members.setdefault(context, []).append(op)
    frames = {context: Frame(context, group) for context, group in members.items()}
    unit_of = {op: frames[context] for context, group in members.items() for op in group}
    units = [op for op in ops if op not in unit_of] + list(frames.values())
    return units, unit_of


def check_fetches(fetches, unit_of):
    for f in fetches:
        op = f._op if isinstance(f, Tensor) else f
        if op in unit_of and op._type != "Exit":
            context = unit_of[op].context
            raise errors.InvalidArgumentError(
                None, op, f"Cannot fetch {getattr(f, 'name', op.name)}: it is inside the while loop "
                f"'{context.frame_name}', where it takes a new value each iteration. Fetch the loop's "
                f"result (its Exit, what tf.while_loop returned) instead.")


class FrameRunner:
    """What the plan calls to run one Frame (see the module docstring)."""

    def __init__(self, frame, make_step, schedule, dead_guards):
        context = frame.context
        direct = [op for op in frame.ops if _innermost(op) is context]
        nested = [op for op in frame.ops if _innermost(op) is not context]
        units, unit_of = group_into_frames(nested, inside=context)
        # the loop variables' Merges (tf.while_loop's, and the counters tf.gradients adds)
        merge_ops = [op for op in direct if op._type == "Merge" and len(op._inputs) == 2
                     and op._inputs[1]._op._type == "NextIteration" and op._inputs[0]._op._type == "Enter"]
        enters = [op for op in direct if op._type == "Enter"]
        body = [op for op in direct if op._type != "Enter" and op not in merge_ops] + \
            [u for u in units if isinstance(u, Frame)]
        order = schedule(body, unit_of)
        self.enter_steps = [make_step(op) for op in enters]
        self.steps = [make_step(u) for u in order]
        self.guards = dead_guards(order)
        slot = make_step.slot
        # per loop variable: (Merge value slot, Merge index slot, Enter slot, NextIteration slot)
        self.merges = [(slot[op._outputs[0]], slot[op._outputs[1]], slot[op._inputs[0]], slot[op._inputs[1]], op)
                       for op in merge_ops]
        self.cond_slot = slot[context.pivot]
        self.context = context

    def run(self, plan, vals, recorder=None):
        plan._interpret(self.enter_steps, vals, recorder, None)
        first = True
        while True:
            for out, index, enter, nxt, op in self.merges:
                vals[out] = vals[enter] if first else vals[nxt]
                vals[index] = np.int32(0 if first else 1)
                if recorder is not None:
                    recorder.ran(op, (out, index), vals)
            first = False
            plan._interpret(self.steps, vals, recorder, self.guards)
            go = vals[self.cond_slot]
            if go is DEAD or not go:
                return

