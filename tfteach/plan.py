"""The execution plan of one (fetches, feeds) pair: prune, order, and run numpy kernels.

What a TF1 executor does, for tfteach.session: walk.needed_for_run keeps the ops the fetches
need, `_schedule` orders them (reads before updates), `_Plan` turns them into Steps (flat kernel
calls over a list of value slots) and `_Plan.interpret` is the run loop; `_RunContext` is what
stateful kernels see. plan_passes.py and codegen.py make the same plan cheaper to run.
"""
import heapq
from typing import Any, Callable, NamedTuple

import numpy as np

from .limits import oom_error
from . import errors
from .graph import Operation, Tensor
from .registry import lookup
from .walk import needed_for_run, variable_read
from . import plan_passes as passes
from .codegen import KERNEL_ERRORS, compile_plan, kernel_error
from .ops.control import DEAD  # tf.cond: the value of a tensor on the branch not taken
from .plan_frames import (FrameRunner, check_fetches, check_reads, close_over_frames, group_into_frames,
                          outermost_frame)


class Step(NamedTuple):
    """One kernel call of a plan: `outs = kernel(*ins, **op.attrs)` over the value slots."""
    op: Operation       # the op it runs
    kernel: Callable    # the op's numpy kernel (registry.py)
    ins: list           # the slots its inputs are read from (0 for a variable read: see `reads`)
    outs: list          # the slots its outputs go to
    ctx: Any            # the run context a session=True kernel gets first, else None
    reads: Any          # (run context, [(input index, VariableV2 op, read op)]), or () if none


def _initializer_of(var_op):
    """The initializer a learner runs for `var_op`: local variables (metrics' totals, the input
    producers' epoch counters) are not among the global ones."""
    local = var_op.graph.get_collection("local_variables")
    if any(getattr(v, "op", None) is var_op for v in local):
        return "local_variables_initializer"
    return "global_variables_initializer"


class _RunContext:
    """What a stateful kernel sees: its op, the session's variables and random streams."""

    __slots__ = ("session", "op", "in_place")

    def __init__(self, session, op):
        self.session = session
        self.op = op
        self.in_place = False  # set by the plan when no one else can hold the variable's array

    def read_variable(self, var_op):
        value = self.session._variables.get(var_op)
        if value is None:
            raise errors.FailedPreconditionError(
                None, self.op,
                f"Attempting to use uninitialized value {var_op.name}\n\t [[node {self.op.name}]]\n"
                f"Hint: run sess.run(tf.{_initializer_of(var_op)}()) (or the variable's "
                f"initializer) in this session first.")
        return value

    def write_variable(self, var_op, value, fresh=False):
        """Store `value` as the variable's; a copy unless `fresh` (made by the kernel itself)."""
        dtype = var_op.attrs["dtype"].np
        if fresh:
            value = np.asarray(value, dtype=dtype)  # a numpy scalar becomes a 0-d array
        else:
            value = np.array(value, dtype=dtype)  # own copy: no aliasing of feeds
        value.flags.writeable = False
        self.session._variables[var_op] = value
        return value

    def assign_sub(self, var_op, delta):
        """var -= delta: in place when the plan allows it (see plan_passes.shared_variables),
        else a new array; the same float32 arithmetic either way."""
        old = self.read_variable(var_op)
        # (a scalar is cheaper to replace than to unlock, update and lock again)
        if self.in_place and old.ndim and old.dtype == delta.dtype and old.shape == delta.shape:
            old.flags.writeable = True
            np.subtract(old, delta, out=old)
            old.flags.writeable = False
            return old
        return self.write_variable(var_op, old - delta, fresh=True)

    @property
    def rng(self):
        return self.session._rng(self.op)


# A plan is written out as Python at this plain run; before, it is interpreted. The tests
# also set it to 1, to run every TensorFlow case through the compiled code.
COMPILE_AT_RUN = 2


class _Plan:
    """The ops one (fetches, feeds) pair needs, in execution order, as flat kernel calls.

    Every tensor gets a slot in a list of values; a ref input (the variable an Assign
    writes) gets a slot that always holds the variable's op. The passes in plan_passes.py
    fold what is known before the run and skip pass-through ops and unused pure ops; what
    is left is written out as one Python function (codegen.py; its text is `self.source`).

    `known_shapes` ({tensor: shape}) are shapes the plan may rely on: those of the feeds
    (part of the session's plan key) and those a first run observed (see `observe`). An
    observed shape is checked at run time right after its tensor is computed, before any
    op that changes state; a run finding another shape raises codegen.ShapeChanged, and
    the session runs the plan made without it instead.
    """

    def __init__(self, session, fetches, fed, known_shapes=None):
        fed_set = set(fed)
        needed = needed_for_run(fetches, fed_set)
        # ---- tf.while_loop (see plan_frames.py): each frame is one node, run whole ----
        frames = any(outermost_frame(op) is not None for op in needed)
        if frames:
            needed = close_over_frames(needed, fed_set, needed_for_run)
            units, unit_of = group_into_frames(needed)
            check_fetches(fetches, unit_of)
            check_reads(units, unit_of)
            order = _schedule(units, unit_of)
        else:
            order = _schedule(needed)
        # ---- end tf.while_loop ----
        slot = {t: i for i, t in enumerate(fed)}
        for op in order:
            for t in op._outputs:
                slot.setdefault(t, len(slot))
        template = [None] * max(len(slot), 1)  # slot 0 also stands in for variable reads
        make_step = _step_maker(session, slot, template, fed_set)
        steps = [make_step(op) for op in order]
        # ---- tf.cond (see ops/control.py): ops that a Switch can make dead ----
        self.guards = _dead_guards(order)
        self.fetches = fetches
        # ---- end tf.cond ----
        self.has_frames = frames
        if frames:
            self._init_interpreted(steps, template, slot, fed, fed_set)
            return
        # shapes a run may rely on: fed ones always, observed ones only for tensors computed
        # before the first op that changes state (a failed check must leave nothing done)
        first_effect = next((k for k, step in enumerate(steps) if _changes_state(step.op)), len(steps))
        early = {t for step in steps[:first_effect] for t in step.op._outputs}
        known = {t: tuple(s) for t, s in (known_shapes or {}).items() if t in fed_set or t in early}
        self.folded, used = passes.fold_constants(steps, template, fed_set, known)
        tensor_of = {i: t for t, i in slot.items()}
        steps, alias, used_too = passes.skip_pass_through(steps, template, self.folded, self.guards or {},
                                                          tensor_of, known)
        self.all_steps = steps  # record mode walks every op, the folded and skipped ones too
        self.skipped = self.folded | {op for _, op in alias.values()} | \
            {step.op for step in steps if step.op.type == "NoOp" and step.op not in (self.guards or {})}
        self.template = template
        self.fed_slots = [slot[t] for t in fed]
        self.fetch_slots = [None if not isinstance(f, Tensor) else
                            slot[f] if f in fed_set else alias.get(slot[f], (slot[f],))[0]
                            for f in fetches]
        # a fetched tensor that is itself fed comes back exactly as fed, as in TF1
        self.fetch_fed = [isinstance(f, Tensor) and f in fed_set for f in fetches]
        self.unused = set() if self.guards else passes.drop_unused(steps, fetches, self.fetch_slots, self.skipped)
        self.steps = [step for step in steps if step.op not in self.skipped and step.op not in self.unused]
        fetched = {f.op for f in fetches if isinstance(f, Tensor)}
        shared = passes.shared_variables(self.steps)
        for op, fn, ins, outs, ctx, reads in self.steps:
            # an update whose own output (the new value) is fetched keeps making a new array;
            # every variable it writes (Adam's m and v too) must be safe to update in place
            if ctx is not None and op._type.startswith("Apply") and op not in fetched and \
                    not any(template[ins[i]] in shared for i in lookup(op._type).ref_inputs):
                ctx.in_place = True
        # the shapes this plan relies on and does not know from the feeds: checked each run
        self.shape_checks = {slot[t]: known[t] for t in used | used_too if t not in fed_set}
        self._runs = 0
        self.compiled = self.guards is None  # plans with tf.cond keep the interpreter (dead values)
        self.run, self._source = None, None

    def _init_interpreted(self, steps, template, slot, fed, fed_set):
        """A plan with a while loop: every step as it is (no folding passes)."""
        self.folded, self.skipped, self.unused, self.shape_checks = set(), set(), set(), {}
        self.all_steps = self.steps = steps
        self.template = template
        self.fed_slots = [slot[t] for t in fed]
        self.fetch_slots = [slot[f] if isinstance(f, Tensor) else None for f in self.fetches]
        self.fetch_fed = [isinstance(f, Tensor) and f in fed_set for f in self.fetches]
        self.guards = self.guards or {}
        self._runs = 0
        self.compiled = not self.guards  # a frame is one kernel call of the compiled plan
        self.run, self._source = None, None

    @property
    def source(self):
        """The Python text this plan runs as (None for a plan with tf.cond, which interprets)."""
        if self.compiled and self._source is None:
            self._compile()
        return self._source

    def _compile(self):
        """Write the plan out as Python (codegen.py): on its second plain run, so a plan used
        once (an initializer, a first run that observes shapes) costs no compiling."""
        self.run, self._source = compile_plan(self.steps, self.template, self.fed_slots, self.fetch_slots,
                                             self.fetch_fed, _fetch_value, self.shape_checks)

    def observe(self):
        """The tensors of unknown static shape whose shapes a specialized plan could use: the
        inputs of the Shape ops left in this plan, and what its Reshapes reshape."""
        wanted = set()
        if self.has_frames:
            return wanted  # a while loop's plan is not specialized
        for op, fn, ins, outs, ctx, reads in self.steps:
            if "shape_only" in lookup(op._type).facts:
                wanted.update(op._inputs)
            elif op._type == "Reshape":  # the input, and what ops that may pass it along got
                t = op._inputs[0]
                wanted.add(t)
                while "pass_through" in lookup(t._op._type).facts and t._op._inputs:
                    t = t._op._inputs[0]
                    wanted.add(t)
        return {t for t in wanted if not t.shape.is_fully_defined()}

    @np.errstate(all="ignore")  # log(0) is -inf and 0/0 nan, silently, as in TensorFlow
    def execute(self, session, feeds, record=None, observe=None):
        """Run the plan; `record` collects (op, outputs) of every op, `observe` ({tensor: None})
        gets the shapes its tensors had.

        The compiled function (codegen.py) is an optimisation of `interpret` with the same
        meaning, used from the plan's second plain run; record mode and shape observation
        always interpret (tests/test_tf_cases.py runs every case both ways).
        """
        if record is None and observe is None and self.compiled:
            if self.run is not None:
                return self.run(session._variables, *feeds.values())
            self._runs += 1
            if self._runs >= COMPILE_AT_RUN:
                self._compile()
                return self.run(session._variables, *feeds.values())
        vals = self.template.copy()
        for s, arr in zip(self.fed_slots, feeds.values()):
            vals[s] = arr
        if record is None:
            self.interpret(self.steps, vals)
        else:
            self.interpret(self.all_steps, vals, _Recorder(record, self.skipped))
        if self.guards is not None:
            _check_not_dead(self.fetches, self.fetch_slots, vals)  # tf.cond
        if observe is not None:
            slots = {t: s for step in self.all_steps for t, s in zip(step.op._outputs, step.outs)}
            for t in observe:
                value = vals[slots[t]] if t in slots else None
                observe[t] = None if value is None or value is DEAD else np.shape(value)
        return [None if s is None else vals[s] if as_fed else _fetch_value(vals[s])
                for s, as_fed in zip(self.fetch_slots, self.fetch_fed)]

    def interpret(self, steps, vals, recorder=None):
        """The run loop. For each step: read its inputs from the value slots (a variable is
        read here, where its consumer runs), call its kernel, put its outputs in their slots.

        That is all a run does. Two optional layers ride on it: tf.cond's dead values (plans
        with a Switch only) and record mode (`recorder`, see _Recorder).
        """
        interpret(steps, vals, recorder, self.guards)


def interpret(steps, vals, recorder, guards):
    """The run loop itself (see _Plan.interpret); `guards` as _dead_guards gives them, or None.
    plan_frames.py runs the phases of a loop's iteration with it too."""
    dead = set()
    for step in steps:
        op, outs = step.op, step.outs
        if recorder is not None and op in recorder.skipped:  # folded, or passing a value along
            recorder.ran(op, outs, vals)
            continue
        args = [vals[i] for i in step.ins]
        if step.reads:
            ctx, positions = step.reads
            for i, var_op, read_op in positions:
                args[i] = ctx.read_variable(var_op)
                if recorder is not None:
                    recorder.read(read_op, args[i])
        # ---- tf.cond: skip the ops of the branch not taken, their outputs are dead ----
        if guards is not None and op in guards and _is_dead(op, guards[op], args, dead):
            for s in outs:
                vals[s] = DEAD
            continue
        # ---- end tf.cond ----
        if op._type == "Frame":  # tf.while_loop: the frame's runner iterates it in `vals`
            step.kernel.run(vals, recorder)
            continue
        out = _call(step, args)
        if len(outs) == 1:
            vals[outs[0]] = out
        elif outs:
            for s, v in zip(outs, out):
                vals[s] = v
        if recorder is not None:
            recorder.ran(op, outs, vals)


class _Recorder:
    """Record mode, a thin layer on the run loop: every op's outputs in execution order (the
    ops the plan folds or skips too: their values are in the slots already) and each variable
    read where it happens, again only when the value changed."""

    __slots__ = ("record", "skipped", "last_read")

    def __init__(self, record, skipped):
        self.record, self.skipped, self.last_read = record, skipped, {}

    def ran(self, op, outs, vals):
        self.record.append((op, [_recorded(vals[s]) for s in outs]))

    def read(self, read_op, value):
        if self.last_read.get(read_op) is not value:
            self.last_read[read_op] = value
            self.record.append((read_op, [_recorded(value)]))


def _call(step, args):
    """One kernel call, its failures raised as TF's errors naming the op."""
    op, fn, ctx = step.op, step.kernel, step.ctx
    try:
        return fn(*args, **op._attrs) if ctx is None else fn(ctx, *args, **op._attrs)
    except errors.OpError as e:
        if e.op is not None:
            raise
        raise kernel_error(op, [a for a in args if not isinstance(a, Operation)], e) from None
    except MemoryError as e:
        raise oom_error(e, op) from None
    except KERNEL_ERRORS as e:
        raise kernel_error(op, [a for a in args if not isinstance(a, Operation)], e) from e


def _step_maker(session, slot, template, fed):
    """A function making the Step of an op (or a while Frame: see plan_frames.py)."""
    def make(op):
        if op._type == "Frame":
            runner = FrameRunner(op, make, _schedule, _dead_guards, interpret)
            return Step(op, runner, runner.in_slots, runner.exit_slots, None, ())
        return _step(session, op, slot, template, fed)
    make.slot, make.template, make.session = slot, template, session
    return make


def _step(session, op, slot, template, fed):
    """The Step that runs `op`: its kernel, input and output slots, run context, variable reads."""
    d = lookup(op._type)
    if d is None or d.kernel is None:
        raise errors.UnimplementedError(None, op, f"tfteach has no kernel for op type "
                                        f"{op.type} ('{op.name}').")
    ins, reads = [], []
    for i, t in enumerate(op._inputs):
        if i in d.ref_inputs:
            ins.append(len(template))
            template.append(_variable_op(t, op))
        elif variable_read(t, fed) is not None:
            # a variable is read when its consumer runs, as a TF1 ref is
            ins.append(0)
            reads.append((i, variable_read(t, fed), t.op))
        else:
            ins.append(slot[t])
    outs = [slot[t] for t in op._outputs]
    ctx = _RunContext(session, op) if (d.session or reads) else None
    return Step(op, d.kernel, ins, outs, ctx if d.session else None, (ctx, reads) if reads else ())


def _changes_state(op):
    d = lookup(op._type)
    return d.writes or (d.session and op.type not in ("VariableV2", "Placeholder", "IsVariableInitialized"))


def _recorded(value):
    """A recorded array: a copy when it may be a variable's storage (a later run may update
    that in place) or a view of it; fresh kernel outputs are recorded as they are."""
    if isinstance(value, np.ndarray) and not value.flags.writeable:
        return value.copy()
    return value


# ---- tf.cond: dead values (see ops/control.py) ---------------------------------------
# A Switch op puts DEAD on the output its predicate does not pick. An op with a dead input
# or a dead control input is skipped and its outputs are dead too; Merge runs when any input
# is alive (TF's executor does the same). Plans without a Switch pay nothing for this.
def _dead_guards(order):
    """{op: its control inputs a dead value can reach} for every op downstream of a Switch."""
    if not any(op.type == "Switch" for op in order):
        return None
    reach, guards = set(), {}
    for op in order:
        controls = [c for c in op._control_inputs if c in reach]
        if controls or any(t.op in reach for t in op._inputs):
            guards[op] = controls
            reach.add(op)
        elif op.type == "Switch":
            reach.add(op)
    return guards


def _is_dead(op, controls, args, dead):
    flags = [a is DEAD for a in args]
    if (all(flags) if op.type == "Merge" else any(flags)) or any(c in dead for c in controls):
        dead.add(op)
        return True
    return False


def _check_not_dead(fetches, slots, vals):
    for f, s in zip(fetches, slots):
        if s is not None and vals[s] is DEAD:
            raise errors.InvalidArgumentError(
                None, f.op, f"Retval does not have value: {f.name} belongs to the branch of tf.cond "
                f"that was not taken, so it was not computed. Fetch the result of tf.cond instead.")
# ---- end tf.cond ------------------------------------------------------------------------


def _fetch_value(v):
    """What run() hands back: numpy scalars for 0-d results, copies of read-only arrays."""
    if isinstance(v, np.ndarray):
        if v.ndim == 0:
            return v[()]
        if not v.flags.writeable:
            return v.copy()
    return v


def _variable_op(t, consumer):
    if t.op.type != "VariableV2":
        raise TypeError(f"'{consumer.name}' ({consumer.type}) needs a variable as input, got {t.name} "
                        f"from a {t.op.type} op.")
    return t.op


def _writes(op):
    d = lookup(op._type)
    return d is not None and d.writes


def _schedule(ops, unit_of=None):
    """A topological order of `ops`; reads that do not depend on an update run before it.

    The rule for a run that both reads and updates a variable: an op that neither writes state
    nor depends on a writing op runs first, so it sees the values from before the run.
    """
    deps = {op: set() for op in ops}
    users = {op: [] for op in ops}
    for op in ops:
        d = lookup(op._type)
        refs = d.ref_inputs if d is not None else ()
        mine = deps[op]
        for i, t in enumerate(op._inputs):
            src = t._op if unit_of is None else unit_of.get(t._op, t._op)  # an op of a frame: the frame
            if src in deps and i not in refs and src is not op:
                mine.add(src)
        for c in op._control_inputs:
            c = c if unit_of is None else unit_of.get(c, c)
            if c in deps and c is not op:
                mine.add(c)
        for p in mine:
            users[p].append(op)
    # writers and everything that depends on one, found by a walk along the users
    late = {op for op in ops if _writes(op)}
    stack = list(late)
    while stack:
        for u in users[stack.pop()]:
            if u not in late:
                late.add(u)
                stack.append(u)
    waiting = {op: len(deps[op]) for op in ops}
    ready = [((op in late), op._id, op) for op in ops if waiting[op] == 0]
    heapq.heapify(ready)
    order = []
    while ready:
        _, _, op = heapq.heappop(ready)
        order.append(op)
        for u in users[op]:
            waiting[u] -= 1
            if waiting[u] == 0:
                heapq.heappush(ready, ((u in late), u._id, u))
    if len(order) != len(ops):
        raise errors.InvalidArgumentError(None, None, "Graph has a cycle; cannot run it.")
    return order
