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
from .registry import get_gradient_function


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
        to_ops = [y.op for y in ys]
        from_ops = [x.op for x in xs]
        stop_gradient_ops = [t.op for t in stop_gradients]
        reachable_to_ops, pending_count = _pending_count(to_ops, from_ops)

        grads = {}
        for y, grad_y in zip(ys, grad_ys):
            _set_grad(grads, y, grad_y)

        queue = collections.deque()
        queued = set()
        for op in to_ops:
            if pending_count[op] == 0 and op not in queued and op in reachable_to_ops:
                queued.add(op)
                queue.append(op)
        stop_ops = _stop_ops(from_ops, stop_gradient_ops, pending_count)

        while queue:
            op = queue.popleft()
            start = len(graph._ops)
            out_grads = _aggregated_grads(grads, op)
            for new_op in graph._ops[start:]:
                new_op.gradient_of = (op, "aggregate")
            has_out_grads = any(g is not None for g in out_grads)
            grad_fn = get_gradient_function(op) if has_out_grads and op not in stop_ops else None
            if grad_fn is not None:
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
            else:
                in_grads = [None] * len(op._inputs)
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
            for x in op._inputs:
                pending_count[x._op] -= 1
                if pending_count[x._op] == 0 and x._op not in queued:
                    queued.add(x._op)
                    queue.append(x._op)
        del grad_scope
        return [_get_grad(grads, x) for x in xs]


def _as_list(x):
    return list(x) if isinstance(x, (list, tuple)) else [x]


def _default_grad_ys(grad_ys, ys):
    """Ones shaped like each y (`gradients/Fill`) where no upstream gradient is given."""
    out = []
    for y, grad_y in zip(ys, grad_ys):
        if grad_y is None:
            if y.dtype.base_dtype.is_bool or y.dtype.base_dtype.name == "string":
                raise TypeError(f"Gradients of {y.dtype.base_dtype.name} tensors are not defined: {y}")
            out.append(fill(shape(y), constant(1, dtype=y.dtype.base_dtype)))
        else:
            grad_y = convert_to_tensor(grad_y, dtype=y.dtype.base_dtype)
            if not grad_y.shape.is_compatible_with(y.shape):
                raise ValueError(f"grad_ys shape {grad_y.shape} is not compatible with y shape {y.shape} "
                                 f"for {y.name}")
            out.append(grad_y)
    return out


def _pending_count(to_ops, from_ops):
    """For ops between xs and ys: how many of their consumers the walk must visit first."""
    reached = set()
    queue = collections.deque(from_ops)
    while queue:
        op = queue.popleft()
        if op not in reached:
            reached.add(op)
            for t in op._outputs:
                queue.extend(t._consumers)
    reachable_to_ops = {op for op in to_ops if op in reached}
    between = set()
    between_list = []
    queue = collections.deque(to_ops)
    while queue:
        op = queue.popleft()
        if op in reached:
            between.add(op)
            between_list.append(op)
            reached.remove(op)
            queue.extend(t._op for t in op._inputs)
    pending = collections.defaultdict(int)
    for op in between_list:
        for t in op._inputs:
            if t._op in between:
                pending[t._op] += 1
    return reachable_to_ops, pending


def _stop_ops(from_ops, stop_gradient_ops, pending_count):
    stop = {op for op in from_ops if all(pending_count[t.op] <= 0 for t in op._inputs)}
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
