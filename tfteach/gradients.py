"""tf.gradients: reverse-mode differentiation that adds gradient ops to the graph.

Mirrors tensorflow/python/ops/gradients_impl.py (the TF 1.x walk): seed each y with ones
(`gradients/Shape`, `gradients/Const`, `gradients/Fill`), visit ops from the ys back to the
xs once all their consumers are done, sum fan-in with AddN, and put each op's rule under
`gradients/<op name>_grad/`. Every op added records what it belongs to in `op.gradient_of`:
(forward op, None) inside a rule, (forward op, "aggregate") for the AddN of its fan-in,
(None, "seed") for the seed; and each tensor a rule returns records the input it is the
gradient for in `tensor.gradient_for` = (forward op, input index). So the display and the
replay never have to parse names.
"""
import collections

from .graph import Tensor, convert_to_tensor, graph_of
from .ops import control
from .ops.array import fill, shape, zeros_like
from .ops.constant import constant
from .ops.math import add_n
from .ops.while_loop import WhileContext, frame_enters, frame_exits, outermost_frame
from .registry import get_gradient_function
from .while_grad import frame_gradients


def gradients(ys, xs, grad_ys=None, name="gradients", colocate_gradients_with_ops=False,
              gate_gradients=False, aggregation_method=None, stop_gradients=None):
    """Symbolic d(sum of ys)/dx for each x in xs.

    Args:
      ys: a tensor or list of tensors to differentiate.
      xs: a tensor, variable, or list of them.
      grad_ys: optional upstream gradients, one per y (default: ones like y).
      gate_gradients: group each op's input gradients with `tuple` (optimizers do).
      stop_gradients: tensors to treat as constants.
    Returns:
      A list with one gradient tensor per x, or None where x does not affect ys.
    Example: `tf.gradients(x * x, x)` -> `[<tf.Tensor 'gradients/AddN:0' ...>]`.
    """
    ys = _as_list(ys)
    xs = _as_list(xs)
    stop_gradients = _as_list(stop_gradients) if stop_gradients is not None else []
    grad_ys = _as_list(grad_ys) if grad_ys is not None else [None] * len(ys)
    graph = graph_of(ys + xs + stop_gradients + [g for g in grad_ys if g is not None])
    with graph.as_default(), graph.name_scope(name) as grad_scope:
        ys = [convert_to_tensor(y, name="y") for y in ys]
        xs = [convert_to_tensor(x, name="x", as_ref=True) for x in xs]
        first_new_op = len(graph._ops)
        grad_ys = _default_grad_ys(grad_ys, ys)
        for op in graph._ops[first_new_op:]:
            op.gradient_of = (None, "seed")
        grads = _backprop(graph, ys, xs, grad_ys, [t.op for t in stop_gradients], gate_gradients, None)
        del grad_scope
        return grads


def _backprop(graph, ys, xs, grad_ys, stop_gradient_ops, gate_gradients, level):
    """The walk from `ys` back to `xs`, adding each op's rule; `level` is the while frame whose
    body this walk differentiates (None: the graph outside every loop). A loop inside it is one
    node of the walk, differentiated whole by while_grad.frame_gradients."""
    nodes = _Nodes(level)
    to_ops = [nodes.of(y.op) for y in ys]
    from_ops = [nodes.of(x.op) for x in xs]
    reachable_to_ops, pending_count = _pending_count(to_ops, from_ops, nodes, stop_at=level is not None)

    def backprop(ys, xs, grad_ys, level):  # a while loop's body, inside its backward loop
        return _backprop(graph, ys, xs, grad_ys, [], gate_gradients, level)
    grads = {}
    for y, grad_y in zip(ys, grad_ys):
        _set_grad(grads, y, grad_y)

    queue = collections.deque()
    queued = set()
    for op in to_ops:
        if pending_count[op] == 0 and op not in queued and op in reachable_to_ops:
            queued.add(op)
            queue.append(op)
    stop_ops = _stop_ops(from_ops, stop_gradient_ops, pending_count, nodes)

    while queue:
        op = queue.popleft()
        if isinstance(op, WhileContext):  # tf.while_loop: its gradient is a backward loop
            exit_grads = [_aggregated_grads(grads, e.op)[0] for e in op.exits]
            start = len(graph._ops)
            for t_in, in_grad in frame_gradients(graph, op, exit_grads, backprop):
                _set_grad(grads, t_in, in_grad)
            for new_op in graph._ops[start:]:
                if new_op.gradient_of is None:  # the loops' own nodes (counters, stacks, Enter/Exit)
                    new_op.gradient_of = (op.exits[0].op, "loop")
        else:
            _op_gradient(graph, op, grads, stop_ops, gate_gradients)
        for x in nodes.inputs(op):
            src = nodes.of(x._op)
            pending_count[src] -= 1
            if pending_count[src] == 0 and src not in queued:
                queued.add(src)
                queue.append(src)
    return [_get_grad(grads, x) for x in xs]


def _op_gradient(graph, op, grads, stop_ops, gate_gradients):
    """Call `op`'s gradient rule on the gradients of its outputs; add what it returns to `grads`."""
    start = len(graph._ops)
    out_grads = _aggregated_grads(grads, op)
    for new_op in graph._ops[start:]:
        new_op.gradient_of = (op, "aggregate")
    has_out_grads = any(g is not None for g in out_grads)
    grad_fn = get_gradient_function(op) if has_out_grads and op not in stop_ops else None
    if grad_fn is None:
        return
    start = len(graph._ops)
    for i, g in enumerate(out_grads):
        # an unused float output of an op whose other outputs matter: zero gradient
        if g is None and op._outputs[i].dtype.base_dtype.is_floating:
            out_grads[i] = zeros_like(op._outputs[i])
    with graph.name_scope(op.name + "_grad"):
        in_grads = _as_list(grad_fn(op, *out_grads))
        if len(in_grads) != len(op._inputs):
            raise ValueError(f"Num gradients {len(in_grads)} generated for op {op.node_def} "
                             f"do not match num inputs {len(op._inputs)}")
        if gate_gradients and len([g for g in in_grads if g is not None]) > 1:
            in_grads = control.tuple(in_grads)
    for new_op in graph._ops[start:]:
        new_op.gradient_of = (op, None)
    for i, g in enumerate(in_grads):
        if isinstance(g, Tensor) and g._op.gradient_of is not None and g.gradient_for is None:
            g.gradient_for = (op, i)  # this tensor is d(ys)/d(op.inputs[i])
    for t_in, in_grad in zip(op._inputs, in_grads):
        if in_grad is not None:
            if isinstance(in_grad, Tensor):
                try:
                    in_grad.set_shape(t_in._shape)
                except ValueError:
                    raise ValueError(f"Incompatible shapes between op input and calculated input "
                                     f"gradient. Forward operation: {op.name}. Input: {t_in.name}. "
                                     f"Original input shape: {t_in.shape}. Calculated input "
                                     f"gradient shape: {in_grad.shape}") from None
            _set_grad(grads, t_in, in_grad)


class _Nodes:
    """The walk's nodes at one level: ops, and each while frame directly below the level as one
    node whose inputs are what its Enters take and whose outputs are its Exits."""

    def __init__(self, level):
        self.level = level

    def of(self, op):
        frame = outermost_frame(op, self.level)
        return op if frame is None else frame

    def inputs(self, node):
        if isinstance(node, WhileContext):
            return [t for e in frame_enters(node) for t in e._inputs]
        return node._inputs

    def consumers(self, node):
        outputs = [e._outputs[0] for e in frame_exits(node)] if isinstance(node, WhileContext) else node._outputs
        return [self.of(c) for t in outputs for c in t._consumers]


def _as_list(x):
    return list(x) if isinstance(x, (list, tuple)) else [x]


def _default_grad_ys(grad_ys, ys):
    """Ones shaped like each y (`gradients/Fill`) where no upstream gradient is given; a given
    one passes through an Identity `gradients/grad_ys_<i>`."""
    out = []
    for i, (y, grad_y) in enumerate(zip(ys, grad_ys)):
        if grad_y is None:
            if y.dtype.base_dtype.is_bool or y.dtype.base_dtype.name == "string":
                raise TypeError(f"Gradients of {y.dtype.base_dtype.name} tensors are not defined: {y}")
            out.append(fill(shape(y), constant(1, dtype=y.dtype.base_dtype)))
        else:
            grad_y = convert_to_tensor(grad_y, dtype=y.dtype.base_dtype)
            if not grad_y.shape.is_compatible_with(y.shape):
                raise ValueError(f"grad_ys shape {grad_y.shape} is not compatible with y shape {y.shape} "
                                 f"for {y.name}")
            # in the gradient's name scope (TF1 does the same): a TensorArray's gradient finds
            # which tf.gradients call it belongs to from the names of the tensors it gets
            out.append(control.identity(grad_y, name=f"grad_ys_{i}"))
    return out


def _pending_count(to_ops, from_ops, nodes, stop_at=False):
    """For nodes between xs and ys: how many of their consumers the walk must visit first.
    `stop_at`: do not walk past the xs (a loop body's walk ends at its Identity ops)."""
    reached = set()
    queue = collections.deque(from_ops)
    while queue:
        op = queue.popleft()
        if op not in reached:
            reached.add(op)
            queue.extend(nodes.consumers(op))
    reachable_to_ops = {op for op in to_ops if op in reached}
    between = set()
    between_list = []
    boundary = set(from_ops) if stop_at else set()
    queue = collections.deque(to_ops)
    while queue:
        op = queue.popleft()
        if op in reached:
            between.add(op)
            between_list.append(op)
            reached.remove(op)
            if op not in boundary:
                queue.extend(nodes.of(t._op) for t in nodes.inputs(op))
    pending = collections.defaultdict(int)
    for op in between_list:
        if op in boundary:
            continue
        for t in nodes.inputs(op):
            src = nodes.of(t._op)
            if src in between:
                pending[src] += 1
    return reachable_to_ops, pending


def _stop_ops(from_ops, stop_gradient_ops, pending_count, nodes):
    stop = {op for op in from_ops if all(pending_count[nodes.of(t.op)] <= 0 for t in nodes.inputs(op))}
    stop.update(stop_gradient_ops)
    return stop


def _set_grad(grads, t, grad):
    per_output = grads.get(t._op)
    if per_output is None:
        per_output = grads[t._op] = [[] for _ in t._op._outputs]
    per_output[t._value_index].append(grad)


def _aggregated_grads(grads, op):
    """One gradient per output of `op`: several are summed with AddN (`gradients/AddN`)."""
    per_output = grads.get(op, [[] for _ in op._outputs])
    out = []
    for g in per_output:
        if not g:
            out.append(None)
        elif len(g) == 1:
            out.append(g[0])
        else:
            out.append(add_n(g))
    grads[op] = [[g] if g is not None else [] for g in out]
    return out


def _get_grad(grads, t):
    per_output = grads.get(t.op)
    if not per_output or not per_output[t.value_index]:
        return None
    g = per_output[t.value_index]
    return g[0] if len(g) == 1 else None
