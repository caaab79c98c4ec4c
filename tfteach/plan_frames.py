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
from .codegen import compile_plan
from .graph import Tensor
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
    _attrs = {}  # (a compiled plan calls a frame like a kernel without attributes)

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


def check_reads(units, unit_of):
    """Outside a frame only its Exits' values exist (TF1's executor has no other value there):
    an op that reads any other tensor of a loop is refused, naming both."""
    for u in units:
        for t in u._inputs:
            frame = unit_of.get(t._op)
            if frame is not None and frame is not unit_of.get(u, u) and \
                    not (t._op._type == "Exit" and _innermost(t._op) is frame.context):
                raise errors.InvalidArgumentError(
                    None, t._op, f"'{u.name}' reads {t.name}, which is inside the while loop "
                    f"'{frame.context.frame_name}': outside a loop only its results (its Exits) exist.")


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
    """What the plan calls to run one Frame (see the module docstring).

    Each iteration has three phases: `cond` (the ops before the loop's Switches: cond itself,
    LoopCond, the Switches), then either `body` (everything downstream of the Switches' true
    side, up to NextIteration) while LoopCond holds, or `exits` once it does not. So no dead
    value ever reaches the body, which is interpreted without tf.cond's checks (unless it has a
    tf.cond of its own) and, from the frame's second run, runs as one compiled function
    (codegen.py) when it holds no loop inside.
    """

    def __init__(self, frame, make_step, schedule, dead_guards, interpret):
        context = frame.context
        direct = [op for op in frame.ops if _innermost(op) is context]
        nested = [op for op in frame.ops if _innermost(op) is not context]
        units, unit_of = group_into_frames(nested, inside=context)
        # the loop variables' Merges (tf.while_loop's, and the counters tf.gradients adds)
        merge_ops = [op for op in direct if op._type == "Merge" and len(op._inputs) == 2
                     and op._inputs[1]._op._type == "NextIteration" and op._inputs[0]._op._type == "Enter"]
        enters = [op for op in direct if op._type == "Enter"]
        rest = [op for op in direct if op._type != "Enter" and op not in merge_ops] + \
            [u for u in units if isinstance(u, Frame)]
        order = schedule(rest, unit_of)
        cond, body, exits = _phases(order, context.pivot, unit_of)
        self.enter_steps = [make_step(op) for op in enters]
        self.cond_steps = [make_step(u) for u in cond]
        self.body_steps = [make_step(u) for u in body]
        self.exit_steps = [make_step(u) for u in exits]
        self.body_guards = dead_guards(body)  # a tf.cond inside the body, else None
        slot = make_step.slot
        # per loop variable: (Merge value slot, Merge index slot, Enter slot, NextIteration slot)
        self.merges = [(slot[op._outputs[0]], slot[op._outputs[1]], slot[op._inputs[0]], slot[op._inputs[1]], op)
                       for op in merge_ops]
        self.cond_slot = slot[context.pivot]
        self.interpret = interpret
        # seen from outside: the values it takes (a variable is read by its Enter) and its Exits
        self.in_slots = [slot[t] for t in frame._inputs if t in slot]
        self.exit_slots = [slot[t] for op in frame.ops if op._type == "Exit" and _innermost(op) is context
                           for t in op._outputs]
        self.context = context
        self.template = make_step.template
        self.variables = make_step.session._variables
        self.compilable = self.body_guards is None and not any(isinstance(u, Frame) for u in body)
        self.compiled = None
        self.runs = 0

    def __call__(self, *values):
        """The frame as one kernel of a compiled plan: its inputs in, its Exits' values out."""
        vals = self.template.copy()
        for s, v in zip(self.in_slots, values):
            vals[s] = v
        self.run(vals)
        out = [vals[s] for s in self.exit_slots]
        return out[0] if len(out) == 1 else out

    def run(self, vals, recorder=None):
        """Iterate the frame in the plan's value slots `vals` until LoopCond is false."""
        interpret = self.interpret
        interpret(self.enter_steps, vals, recorder, None)
        body = self._body(vals, recorder)
        first = True
        while True:
            for out, index, enter, nxt, op in self.merges:
                vals[out] = vals[enter] if first else vals[nxt]
                vals[index] = np.int32(0 if first else 1)
                if recorder is not None:
                    recorder.ran(op, (out, index), vals)
            first = False
            if not body(vals):  # cond, then the body if LoopCond holds
                interpret(self.exit_steps, vals, recorder, None)
                return

    def _body(self, vals, recorder):
        """How to run the cond and body phases this time: interpreted (first run, record mode,
        a tf.cond or a loop inside), else as compiled functions."""
        self.runs += 1
        if recorder is not None or not self.compilable or self.runs < 2:
            def body(vals):
                self.interpret(self.cond_steps, vals, recorder, None)
                if vals[self.cond_slot]:
                    self.interpret(self.body_steps, vals, recorder, self.body_guards)
                    return True
                return False
            return body
        if self.compiled is None:
            later = {s for step in self.body_steps + self.exit_steps for s in step.ins} | {self.cond_slot}
            cond_outs = [s for step in self.cond_steps for s in step.outs if s in later]
            body_outs = [s for step in self.body_steps if step.op._type == "NextIteration" for s in step.outs]
            self.compiled = (_compile(self.cond_steps, self.template, cond_outs),
                             _compile(self.body_steps, self.template, body_outs))
        (cond_run, cond_ins, cond_outs), (body_run, body_ins, body_outs) = self.compiled
        variables, cond_slot = self.variables, self.cond_slot

        def body(vals):
            for s, v in zip(cond_outs, cond_run(variables, *[vals[i] for i in cond_ins])):
                vals[s] = v
            if not vals[cond_slot]:
                return False
            for s, v in zip(body_outs, body_run(variables, *[vals[i] for i in body_ins])):
                vals[s] = v
            return True
        return body


def _phases(order, pivot, unit_of):
    """Split one iteration's ops (in order) into cond, body and exit phases (see FrameRunner)."""
    switches = {op for op in order if op._type == "Switch" and op._inputs[1] is pivot}
    body, phase_of = [], {}
    cond, exits = [], []
    for u in order:
        sources = [unit_of.get(t._op, t._op) for t in u._inputs]
        controls = [unit_of.get(c, c) for c in u._control_inputs]
        if u in switches:
            phase = "cond"
        elif any((t._op in switches and t._value_index == 1) or phase_of.get(src) == "body"
                 for t, src in zip(u._inputs, sources)) or any(phase_of.get(c) == "body" for c in controls):
            phase = "body"
        elif any(t._op in switches and t._value_index == 0 for t in u._inputs):
            phase = "exit"
        else:
            phase = "cond"
        phase_of[u] = phase
        (body if phase == "body" else exits if phase == "exit" else cond).append(u)
    return cond, body, exits


def _compile(steps, template, outs):
    """`steps` as one function (codegen.py) of the values they read from before them, returning
    the values of the slots `outs` (those later steps read)."""
    produced = {s for step in steps for s in step.outs}
    ins = []
    for step in steps:
        reads = {i for i, _, _ in step.reads[1]} if step.reads else set()
        # not a variable read (read where its consumer runs) nor a ref slot (holds its variable)
        ins.extend(s for i, s in enumerate(step.ins) if i not in reads and s not in produced
                   and template[s] is None)
    ins = list(dict.fromkeys(ins))
    run, _ = compile_plan(steps, template, ins, outs, [True] * len(outs), None, {})
    return run, ins, outs
