"""tf.while_loop: TF1's loop frame, built once into the graph and iterated when the graph runs.

Mirrors tensorflow/python/ops/control_flow_ops.py (WhileContext, while_loop) as TF 1.x built
it, node for node. For `tf.while_loop(lambda i: i < 3, lambda i: i + 1, [i0])`:

    while/Enter          the loop variable enters the frame (once, before the first iteration)
    while/Merge          this iteration's value: Enter's at first, then NextIteration's
    while/Less, LoopCond cond(...) on the merged values; LoopCond says "go on"
    while/Switch         :1 goes to the body while LoopCond holds, :0 to Exit when it stops
    while/Identity       the body's view of the loop variable (the body's pivot)
    while/add            the body
    while/NextIteration  the body's result, carried to Merge for the next iteration
    while/Exit           the loop's result, alive once LoopCond is false

A tensor from outside that the body uses enters through its own Enter with is_constant=True
(`while/MatMul/Enter`); an op without inputs (a Const) gets a control input from the pivot,
so it belongs to the frame. The session runs the frame as a unit (plan_frames.py) and
tf.gradients differentiates it as a unit (while_grad.py), as TF1's executor and
control_flow_grad do with frames.
"""
import builtins
import contextlib

from .. import dtypes as _dtypes
from ..graph import Tensor, convert_to_tensor, get_default_graph
from ..registry import NotDifferentiable, apply_op, kernel, shape_rule
from ..tensor_shape import TensorShape, as_shape
from . import compare, control
from .shapes import fmt, shape_of


# ---- the frame's own ops --------------------------------------------------------------------
# Each passes its input on; what makes them a loop is how plan_frames.py schedules them. They
# are never folded (no "pure"): a value inside a frame changes from one iteration to the next.
@kernel("Enter", set(), inputs=("data",), same_dtype=False)
def _enter(data, T=None, frame_name="", is_constant=False, parallel_iterations=10):  # noqa: N803
    return data


@shape_rule("Enter")
def _enter_shape(op):
    return [op.inputs[0].shape]


@kernel("Exit", set(), inputs=("data",), same_dtype=False)
def _exit(data, T=None):  # noqa: N803
    return data


@shape_rule("Exit")
def _exit_shape(op):
    return [op.inputs[0].shape]


@kernel("NextIteration", set(), inputs=("data",), same_dtype=False)
def _next_iteration(data, T=None):  # noqa: N803
    return data


@shape_rule("NextIteration")
def _next_iteration_shape(op):
    return [op.inputs[0].shape]


@kernel("LoopCond", set(), inputs=("input",), same_dtype=False)
def _loop_cond(pred):
    return pred


@shape_rule("LoopCond")
def _loop_cond_shape(op):
    shape = shape_of(op.inputs[0])
    if shape not in (None, ()):
        raise ValueError(f"Shape must be rank 0 but is rank {len(shape)} for '{op.name}' (op: 'LoopCond') "
                         f"with input shapes: {fmt(shape)}.")
    return [()]


@kernel("ControlTrigger", set(), inputs=())
def _control_trigger():
    """Does nothing; TF1's loop gradients use it (`b_sync`) to order a backward iteration's pops."""
    return None


# Their gradients are not op by op: tf.gradients builds one backward loop per frame.
for _op_type in ("Enter", "Exit", "NextIteration", "LoopCond", "ControlTrigger"):
    NotDifferentiable(_op_type)


def _enter_op(data, frame_name, is_constant, parallel_iterations, name="Enter"):
    return apply_op("Enter", [data], {"frame_name": frame_name, "is_constant": is_constant,
                                      "parallel_iterations": parallel_iterations}, name=name,
                    dtypes=[data.dtype.base_dtype])


def exit(data, name="Exit"):  # noqa: A001 - TF's name (control_flow_ops.exit)
    return apply_op("Exit", [data], name=name, dtypes=[data.dtype.base_dtype])


def next_iteration(data, name="NextIteration"):
    return apply_op("NextIteration", [data], name=name, dtypes=[data.dtype.base_dtype])


def loop_cond(pred, name="LoopCond"):
    return apply_op("LoopCond", [pred], name=name, dtypes=[_dtypes.bool])


# ---- WhileContext ---------------------------------------------------------------------------
class WhileContext(control.ControlFlowContext):
    """One while loop's frame while its cond and body are built, and what the session and
    tf.gradients later need to know of it.

    loop_enters, merges, switches, identities, next_iterations, exits: one per loop variable,
    in order; `pivot` is the LoopCond; `invariants` maps an outside tensor to its Enter.
    """

    def __init__(self, name, parallel_iterations=10, back_prop=True):
        self.name = name                        # the loop's name scope: 'while/'
        self.frame_name = name + "while_context"
        self.parallel_iterations = parallel_iterations
        self.back_prop = back_prop
        self.outer_context = None
        self._ops = set()
        self.loop_enters, self.merges, self.switches = [], [], []
        self.identities, self.next_iterations, self.exits = [], [], []
        self.pivot = None                       # the LoopCond
        self._control_pivot = None              # Merge while cond is built, then Identity
        self.invariants = {}                    # outside tensor -> its Enter output
        self.forward_count = None               # set by while_grad.py: the f_count loop's Exit

    def __repr__(self):
        return f"<WhileContext '{self.frame_name}'>"

    # -- ops made while the functions run (ControlFlowContext._add_op) --
    def control_pivot(self):
        """What an op without inputs depends on: Merge while cond is built, then the body's Identity."""
        return self._control_pivot

    def add_value(self, graph, t, scope=None):
        """`t` as seen inside the frame: itself if made here, else an Enter with is_constant."""
        if t.op in self._ops:
            return t
        if t in self.invariants:
            return self.invariants[t]
        real = t if self.outer_context is None else self.outer_context.add_value(graph, t, scope)
        enter = self.make_enter(graph, real, True, scope)
        self.invariants[t] = enter
        return enter

    def make_enter(self, graph, t, is_constant, scope=None, name="Enter"):
        with control.building_structure(graph), graph.control_dependencies(None), \
                (graph.name_scope(scope) if scope else contextlib.nullcontext()):
            enter = _enter_op(t, self.frame_name, is_constant, self.parallel_iterations, name=name)
        self._own(enter.op)
        return enter

    # -- building the loop --
    def build_loop(self, graph, cond, body, loop_vars, shape_invariants, return_same_structure):
        """TF1's BuildLoop: the Enter/Merge/cond/Switch/body/NextIteration/Exit of every loop
        variable; returns the Exits packed like `loop_vars`."""
        flat = [_as_loop_tensor(v) for v in control._flatten(loop_vars)]
        invariants = (control._flatten(shape_invariants) if shape_invariants is not None else
                      [None] * len(flat))
        if len(invariants) != len(flat):
            raise ValueError(f"The two structures don't have the same number of elements.\n\n"
                             f"First structure: {loop_vars!r}\n\nSecond structure: {shape_invariants!r}")
        real = [t if self.outer_context is None else self.outer_context.add_value(graph, t) for t in flat]
        with graph.control_dependencies(None):
            for t, invariant in zip(real, invariants):
                enter = self.make_enter(graph, t, False, scope=None)
                if invariant is not None:
                    invariant = as_shape(invariant)
                    if not invariant.is_compatible_with(t.shape):
                        raise ValueError(
                            f"The shape invariant specified for {t.name} is not compatible with the initial "
                            f"shape of the loop variable. It enters the loop with shape {t.shape}, but the "
                            f"specified shape invariant is {invariant}.")
                    enter._shape = invariant
                self.loop_enters.append(enter)
        with self.entered(graph):
            self.merges = [control.merge([e, e])[0] for e in self.loop_enters]
            for m, e in zip(self.merges, self.loop_enters):
                m._shape = e.shape  # the loop variable's shape (invariant): not Merge's own rule
            self._control_pivot = self.merges[0]
            packed = _pack_like(loop_vars, self.merges)
            c = convert_to_tensor(cond(*packed))
            if not c.dtype.base_dtype.is_bool:
                raise TypeError(f"Input 'input' of 'LoopCond' Op has type {c.dtype.base_dtype.name} that does "
                                f"not match expected type of bool.")
            self.pivot = loop_cond(c, name="LoopCond")
            self.switches = [control.switch(m, self.pivot) for m in self.merges]
            self.identities = [control.identity(s[1]) for s in self.switches]
            self._control_pivot = self.identities[0]
            result = body(*_pack_like(loop_vars, self.identities))
            if not isinstance(result, (list, builtins.tuple, dict)):
                result = [result]
            _check_same_structure(loop_vars, result)
            results = [self.add_value(graph, _as_loop_tensor(v)) for v in control._flatten(result)]
            for m, r in zip(self.merges, results):
                if r.dtype.base_dtype != m.dtype.base_dtype:
                    raise TypeError(f"Input 'data' of 'NextIteration' Op has type {r.dtype.base_dtype.name} "
                                    f"that does not match the type {m.dtype.base_dtype.name} the loop "
                                    f"variable '{m.op.inputs[0].name}' entered the loop with.")
            self.next_iterations = [next_iteration(r) for r in results]
            for m, n, enter in zip(self.merges, self.next_iterations, self.loop_enters):
                _enforce_shape_invariant(enter, m, n)
                m.op._update_input(1, n)
            self.exits = [exit(s[0]) for s in self.switches]
        packed = _pack_like(loop_vars, self.exits)
        if not return_same_structure and len(self.exits) == 1:
            return packed[0] if isinstance(packed, (list, builtins.tuple)) else packed
        return packed


def _enforce_shape_invariant(enter, merge, nxt):
    if not TensorShape(merge.shape).is_compatible_with(nxt.shape) or \
            (merge.shape.ndims is not None and nxt.shape.ndims is None):
        raise ValueError(
            f"Input tensor '{enter.op.inputs[0].name}' enters the loop with shape {merge.shape}, but has shape "
            f"{nxt.shape} after one iteration. To allow the shape to vary across iterations, use the "
            f"`shape_invariants` argument of tf.while_loop to specify a less-specific shape.")


def _is_ta(v):
    """A TensorArray (tensor_array.py): it travels through the loop as its flow tensor."""
    return hasattr(v, "flow") and hasattr(v, "handle") and not isinstance(v, Tensor)


def _as_loop_tensor(v):
    return v.flow if _is_ta(v) else convert_to_tensor(v)


def _pack_like(structure, flat):
    """`flat` tensors in the shape of `structure`; a TensorArray comes back around its new flow."""
    originals = iter(control._flatten(structure))
    rebuilt = [_with_flow(next(originals), t) for t in flat]
    return control._pack(structure, iter(rebuilt))


def _with_flow(original, flow):
    """TF's _make_tensor_array: the same array (handle), a new point in its history (flow)."""
    return original._with_flow(flow) if _is_ta(original) else flow


def _check_same_structure(loop_vars, result):
    """As TF1: the body's result matches the loop variables; a tuple may stand for the list
    of loop variables itself, but nested lists and tuples must match exactly."""
    outer = (list(loop_vars), list(result)) if not isinstance(loop_vars, dict) else (loop_vars, result)
    if not control._same_structure(*outer):
        raise ValueError(f"The two structures don't have the same nested structure.\n\nFirst structure: "
                         f"{loop_vars!r}\n\nSecond structure: {result!r}")


def while_loop(cond, body, loop_vars, shape_invariants=None, parallel_iterations=10, back_prop=True,
               swap_memory=False, name=None, maximum_iterations=None, return_same_structure=False):
    """Repeat `body` while `cond` is true, when the graph runs: a loop in the graph, not in Python.

    `cond` and `body` are called once, now, on the loop variables' tensors inside the loop's
    frame ('while/'); the session then iterates the frame until cond is false. The body
    returns new values for all loop variables (same structure, dtypes and shapes, unless
    `shape_invariants` allows a shape to change). A tensor made outside and used inside is
    read once, when the loop starts.

    Args:
      cond: function of the loop variables returning a scalar bool tensor.
      body: function of the loop variables returning their next values.
      loop_vars: a tensor, or a (nested) list, tuple or dict of tensors and TensorArrays.
      shape_invariants: shapes the loop variables keep across iterations (None: their own).
      maximum_iterations: stop after this many iterations even if cond still holds.
      return_same_structure: return a one-element list as a list (default: its element).
    Returns:
      The loop variables' final values ('while/Exit', 'while/Exit_1', ...), packed like loop_vars.
    Example: `tf.while_loop(lambda i: i < 10, lambda i: i + 1, [tf.constant(0)])` runs to 10.
    """
    del swap_memory  # tfteach keeps every iteration's values in memory
    if not callable(cond):
        raise TypeError("cond must be callable.")
    if not callable(body):
        raise TypeError("body must be callable.")
    if not isinstance(parallel_iterations, int) or isinstance(parallel_iterations, bool) or \
            parallel_iterations < 1:
        raise TypeError("parallel_iterations must be a positive integer.")
    if loop_vars is None or (isinstance(loop_vars, (list, builtins.tuple, dict)) and not loop_vars):
        raise ValueError("No loop variables provided")
    if not isinstance(loop_vars, (list, builtins.tuple, dict)):
        loop_vars = [loop_vars]
        if shape_invariants is not None:
            shape_invariants = [shape_invariants]
    graph = _graph_of(loop_vars)
    with graph.as_default(), graph.name_scope(name or "while") as scope:
        if maximum_iterations is not None:
            cond, body, loop_vars, shape_invariants = _with_maximum(
                cond, body, loop_vars, shape_invariants, maximum_iterations, return_same_structure)
        context = WhileContext(scope, parallel_iterations, back_prop)
        context.outer_context = control.current_context(graph)
        result = context.build_loop(graph, cond, body, loop_vars, shape_invariants,
                                    return_same_structure or maximum_iterations is not None)
    return result[1] if maximum_iterations is not None else result


def _with_maximum(cond, body, loop_vars, shape_invariants, maximum_iterations, return_same_structure):
    """TF1's rewrite for maximum_iterations: a counter goes first, and cond also checks it."""
    maximum = convert_to_tensor(maximum_iterations, name="maximum_iterations")
    if maximum.shape.ndims not in (None, 0):
        raise ValueError(f"maximum_iterations must be a scalar, saw shape: {maximum.shape}")
    counter = convert_to_tensor(0, dtype=maximum.dtype.base_dtype, name="iteration_counter")
    if len(loop_vars) == 1 and not return_same_structure and not isinstance(loop_vars, dict):
        # one loop variable travels alone, not in a list (TF1's try_to_pack)
        if shape_invariants is not None:
            shape_invariants = (TensorShape([]), shape_invariants[0])
        return (lambda i, lv: compare.logical_and(i < maximum, cond(lv)),
                lambda i, lv: (i + 1, body(lv)), (counter, loop_vars[0]), shape_invariants)
    if shape_invariants is not None:
        shape_invariants = (TensorShape([]), shape_invariants)
    return (lambda i, lv: compare.logical_and(i < maximum, cond(*lv)),
            lambda i, lv: (i + 1, body(*lv)), (counter, loop_vars), shape_invariants)


def _graph_of(loop_vars):
    for v in control._flatten(loop_vars):
        t = v.flow if _is_ta(v) else v
        if isinstance(t, Tensor):
            return t.graph
    return get_default_graph()


def frame_of(op):
    """The innermost WhileContext `op` belongs to, or None."""
    context = getattr(op, "_control_flow_context", None)
    while context is not None and not isinstance(context, WhileContext):
        context = context.outer_context
    return context


def outermost_frame(op, inside=None):
    """The outermost while frame of `op` below the frame `inside` (None: the top), or None."""
    found, context = None, getattr(op, "_control_flow_context", None)
    while context is not None and context is not inside:
        if isinstance(context, WhileContext):
            found = context
        context = context.outer_context
    return found


def frame_enters(context):
    """The Enter ops of `context` itself (not of loops inside it), in creation order: what the
    frame takes from outside (its loop variables, tensors it reads, what tf.gradients adds)."""
    return sorted((op for op in context._ops if op._type == "Enter" and frame_of(op) is context),
                  key=lambda op: op._id)


def frame_exits(context):
    """The Exit ops of `context` itself: all the frame gives to the outside."""
    return sorted((op for op in context._ops if op._type == "Exit" and frame_of(op) is context),
                  key=lambda op: op._id)
