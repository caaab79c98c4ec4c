"""Ops that order, route or watch values: NoOp, Identity, group, tuple, stop_gradient,
tf.cond (Switch and Merge), Print and check_numerics.

Mirrors tensorflow/python/ops/control_flow_ops.py, logging_ops.Print and array_ops.identity.
"""
import builtins
import contextlib
import sys
import weakref

import numpy as np

from .. import dtypes as _dtypes, errors
from ..graph import Operation, Tensor, convert_to_tensor, get_default_graph, graph_of
from ..registry import (NotDifferentiable, PURE, RegisterGradient, apply_op, kernel, local_derivatives,
                        lookup, shape_rule)
from .shapes import fmt, shape_of
from . import common


# ---- NoOp -------------------------------------------------------------------
@kernel("NoOp", PURE, inputs=())
def _no_op():
    return None


NotDifferentiable("NoOp")


def no_op(name=None):
    """An op that does nothing; useful as a target for control dependencies."""
    return get_default_graph().create_op("NoOp", [], [], name=name or "NoOp")


def group(*inputs, name=None):
    """A NoOp that runs after all `inputs` (ops or tensors); run it to run them all."""
    graph = graph_of(inputs)
    ops = []
    for x in inputs:
        for item in (x if isinstance(x, (list, builtins.tuple)) else [x]):
            item = graph.as_graph_element(item)
            op = item.op if isinstance(item, Tensor) else item
            if op not in ops:
                ops.append(op)
    with graph.name_scope(name or "group_deps") as scope, graph.control_dependencies(ops):
        return graph.create_op("NoOp", [], [], name=scope)


# ---- Identity -----------------------------------------------------------------
@kernel("Identity", {"pure", "pass_through", "build_time"}, inputs=("input",))
def _identity(x, T=None):
    return x


@shape_rule("Identity")
def _identity_shape(op):
    return [op.inputs[0].shape]


local_derivatives("Identity", ("1", lambda a, z: 1.0))


@RegisterGradient("Identity")
def _identity_grad(op, grad):
    """d(x)/dx = 1: the gradient passes through unchanged."""
    return [grad]


def identity(input, name=None):  # noqa: A002 - TF's argument name
    """A tensor with the same value as `input` (a new node, e.g. to name a value)."""
    return apply_op("Identity", [input], name=name)


def tuple(tensors, name=None, control_inputs=None):  # noqa: A001 - TF's name
    """Tensors with the same values as `tensors`, available only after all of them are."""
    graph = graph_of(tensors)
    with graph.name_scope(name or "tuple") as scope:
        deps = [t for t in tensors if t is not None] + list(control_inputs or [])
        gate = group(*deps, name="group_deps")
        del scope
        return [None if t is None else with_dependencies([gate], t) for t in tensors]


def with_dependencies(dependencies, output_tensor, name=None):
    """`output_tensor`'s value, computed only after `dependencies` have run."""
    graph = graph_of([output_tensor])
    with graph.name_scope(name or "control_dependency") as scope:
        with graph.control_dependencies(dependencies):
            return apply_op("Identity", [output_tensor], name=scope)


# ---- StopGradient ---------------------------------------------------------------
@kernel("StopGradient", {"pure", "pass_through"}, inputs=("input",))
def _stop_gradient(x):
    return x


@shape_rule("StopGradient")
def _stop_gradient_shape(op):
    return [op.inputs[0].shape]


NotDifferentiable("StopGradient")


def stop_gradient(input, name=None):  # noqa: A002
    """The value of `input`, but tf.gradients treats it as a constant."""
    return apply_op("StopGradient", [input], name=name)


# ---- Switch and Merge: the two ops tf.cond is made of -------------------------------
class _Dead:
    """The value of a tensor on the branch of tf.cond that was not taken (TF's "dead" tensor).

    The session skips every op with a dead input (or a dead control input) and marks its
    outputs dead in turn, so nothing on the untaken branch runs. Merge is the exception: it
    runs when any input is alive and passes that one on.
    """
    __slots__ = ()

    def __repr__(self):
        return "<dead>"


DEAD = _Dead()


@kernel("Switch", set(), inputs=("data", "pred"), same_dtype=False)
def _switch(data, pred):
    return (DEAD, data) if pred else (data, DEAD)


@shape_rule("Switch")
def _switch_shape(op):
    data, pred = op.inputs
    if shape_of(pred) not in (None, ()):
        raise ValueError(f"Shape must be rank 0 but is rank {len(shape_of(pred))} for '{op.name}' "
                         f"(op: 'Switch') with input shapes: {fmt(shape_of(data))}, {fmt(shape_of(pred))}.")
    return [data.shape, data.shape]


@RegisterGradient("Switch")
def _switch_grad(op, *grads):
    """Only the taken output's gradient is alive (the other is a dead zero): Merge picks it."""
    if any(g is None for g in grads):
        return [None, None]
    return [merge(list(grads), name="cond_grad")[0], None]


def switch(data, pred, name=None):
    """(output_false, output_true): `data` comes out on the side `pred` picks; the other is dead."""
    data = convert_to_tensor(data, name="data")
    return apply_op("Switch", [data, pred], name=name, dtypes=[data.dtype.base_dtype] * 2)


@kernel("Merge", set(), inputs=("inputs",))
def _merge(*inputs, N=None):  # noqa: N803 - TF attr name
    for i, x in enumerate(inputs):
        if x is not DEAD:
            return x, np.int32(i)
    return DEAD, DEAD  # not reached: the session skips a Merge whose inputs are all dead


@shape_rule("Merge")
def _merge_shape(op):
    """The shape the inputs share; a dimension they disagree on is unknown."""
    shapes = [shape_of(t) for t in op.inputs]
    out = shapes[0]
    for s in shapes[1:]:
        if out is None or s is None or len(s) != len(out):
            out = None
            break
        out = builtins.tuple(a if a == b else None for a, b in zip(out, s))
    return [out, ()]


@RegisterGradient("Merge")
def _merge_grad(op, grad, _):
    """The gradient goes back along the branch that was taken: a Switch on the cond's predicate."""
    context = getattr(op.inputs[0].op, "_control_flow_context", None)
    if context is None:
        raise LookupError(f"No gradient for Merge '{op.name}': it was not made by tf.cond.")
    return list(switch(grad, context.pred, name="cond_grad"))


def merge(inputs, name=None):
    """(output, value_index): the one input of `inputs` that is alive, and its index."""
    inputs = [convert_to_tensor(t) for t in inputs]
    return apply_op("Merge", inputs, {"N": len(inputs)}, name=name,
                    dtypes=[inputs[0].dtype.base_dtype, _dtypes.int32])


# ---- tf.cond ---------------------------------------------------------------------------
_building = weakref.WeakKeyDictionary()  # graph -> the innermost CondContext being built
_switching = weakref.WeakSet()  # graphs where a CondContext is making its own Switch op


class ControlFlowContext:
    """What tf.cond's branches and tf.while_loop's frames share (TF1's ControlFlowContext):
    while a branch or loop function runs, every op the graph creates goes through the
    innermost context's `_add_op`, which brings outside tensors in (`add_value`) and records
    the op as its own (`op._control_flow_context`, and `_ops` of this context and those around it).
    """

    outer_context = None

    @contextlib.contextmanager
    def entered(self, graph):
        """Route every op `graph` creates inside the block through `_add_op`.

        Graph has no hook for control-flow contexts, so the outermost context wraps the graph's
        `create_op` for the duration of its functions.
        """
        self.outer_context = _building.get(graph)
        _building[graph] = self
        outside, graph._outside_control_flow = graph._outside_control_flow, False
        if self.outer_context is None:
            plain = graph.create_op

            def create_op(op_type, inputs, dtypes, name=None, **kwargs):
                context = _building.get(graph)
                if context is None or graph in _switching or graph._outside_control_flow:
                    return plain(op_type, inputs, dtypes, name=name, **kwargs)
                return context._add_op(graph, plain, op_type, inputs, dtypes, name, kwargs)
            graph.create_op = create_op
        try:
            yield self
        finally:
            graph._outside_control_flow = outside
            if self.outer_context is None:
                del graph.create_op
                del _building[graph]
            else:
                _building[graph] = self.outer_context

    def _add_op(self, graph, plain, op_type, inputs, dtypes, name, kwargs):
        """Create the op with its inputs as seen inside (`add_value`); one without data inputs
        gets the context's pivot as a control input, so it belongs to the branch or the loop."""
        d = lookup(op_type)
        refs = d.ref_inputs if d is not None else ()
        scope = name if name and name.endswith("/") else None  # the new op's scope: 'cond/mul/'
        inputs = [t if i in refs else self.add_value(graph, t, scope) for i, t in enumerate(inputs)]
        op = plain(op_type, inputs, dtypes, name=name, **kwargs)
        self._own(op)
        has_data = len(inputs) > len(refs)
        if op_type != "VariableV2" and not has_data and not any(c in self._ops for c in op._control_inputs):
            op._add_control_input(self.control_pivot().op)
        return op

    def _own(self, op):
        op._control_flow_context = self  # TF1's name; Merge's gradient reads the predicate here
        context = self
        while context is not None:
            context._ops.add(op)
            context = context.outer_context


@contextlib.contextmanager
def building_structure(graph):
    """Create ops as they are, not through the context (a context making its own Switch or Enter)."""
    _switching.add(graph)
    try:
        yield
    finally:
        _switching.discard(graph)


def current_context(graph):
    """The innermost cond branch or while frame being built in `graph`, or None."""
    return _building.get(graph)


class CondContext(ControlFlowContext):
    """One branch of a tf.cond while its function runs (TF1's CondContext).

    Every op created meanwhile joins the branch: a tensor from outside enters through a
    Switch on the predicate (`cond/mul/Switch`), and an op without inputs (a Const) gets the
    branch's pivot (`cond/switch_t`) as a control input. So when the other branch is taken,
    all of this branch's ops see a dead input and the session skips them.
    """

    def __init__(self, pred, pivot, branch):
        self.pred, self.pivot, self.branch = pred, pivot, branch
        self.outer_context = None
        self._ops = set()
        # outside tensor -> its Switch output on this branch; the predicate and the pivot
        # belong to the branch already
        self._external = {pred: pred, pivot: pivot}

    def control_pivot(self):
        return self.pivot

    def add_value(self, graph, t, scope=None):
        """`t` as seen inside this branch: itself if made here, else a Switch of it."""
        if t.op in self._ops:
            return t
        if t in self._external:
            return self._external[t]
        real = t if self.outer_context is None else self.outer_context.add_value(graph, t, scope)
        with building_structure(graph), graph.control_dependencies(None), \
                (graph.name_scope(scope) if scope else contextlib.nullcontext()):
            out = switch(real, self.pred)[self.branch]
        self._own(out.op)
        self._external[t] = out
        return out

    def build_branch(self, graph, fn):
        """Call `fn` in this context; return (what it returned, the flat list of branch tensors)."""
        result = fn()
        if result is None:
            return None, None
        flat = [self._branch_tensor(graph, v) for v in _flatten(result)]
        return result, flat

    def _branch_tensor(self, graph, v):
        if isinstance(v, Operation):
            return with_dependencies([v], self.pivot)  # an op: the pivot stands in for it
        return self.add_value(graph, convert_to_tensor(v))


def _flatten(structure):
    if isinstance(structure, dict):
        return [x for k in sorted(structure) for x in _flatten(structure[k])]
    if isinstance(structure, (list, builtins.tuple)):
        return [x for item in structure for x in _flatten(item)]
    return [structure]


def _pack(structure, flat):
    """`flat` (an iterator) put back into the shape of `structure`."""
    if isinstance(structure, dict):
        return type(structure)((k, _pack(structure[k], flat)) for k in sorted(structure))
    if isinstance(structure, builtins.tuple) and hasattr(structure, "_fields"):
        return type(structure)(*[_pack(x, flat) for x in structure])
    if isinstance(structure, (list, builtins.tuple)):
        return type(structure)(_pack(x, flat) for x in structure)
    return next(flat)


def _same_structure(a, b):
    if isinstance(a, dict) or isinstance(b, dict):
        return type(a) is type(b) and sorted(a) == sorted(b) and all(_same_structure(a[k], b[k]) for k in a)
    if isinstance(a, (list, builtins.tuple)) or isinstance(b, (list, builtins.tuple)):
        return (type(a) is type(b) and len(a) == len(b)
                and all(_same_structure(x, y) for x, y in zip(a, b)))
    return True


def _unpack_singleton(x):
    return x[0] if isinstance(x, (list, builtins.tuple)) and len(x) == 1 else x


def cond(pred, true_fn=None, false_fn=None, strict=False, name=None, fn1=None, fn2=None):
    """`true_fn()` if `pred` else `false_fn()`, decided when the graph runs.

    Both functions are called once, now, to build both branches into the graph (under
    'cond/'); at run time only the ops of the branch `pred` picks are executed: an assign
    or a Print on the other branch does not happen. Ops made *outside* the functions run
    regardless, even when a branch returns them.

    Args:
      pred: a scalar bool tensor.
      true_fn, false_fn: functions of no arguments returning tensors (or nested lists,
        tuples or dicts of them) with the same structure and dtypes.
      strict: keep one-element lists and tuples as they are (default: unpack them).
    Returns:
      The taken branch's result: a tensor, or the same structure of tensors ('cond/Merge').
    Example: `tf.cond(x < 0, lambda: -x, lambda: x)` is |x|.
    """
    true_fn = true_fn if true_fn is not None else fn1
    false_fn = false_fn if false_fn is not None else fn2
    if true_fn is None:
        raise TypeError("true_fn must not be None.")
    if false_fn is None:
        raise TypeError("false_fn must not be None.")
    if not callable(true_fn):
        raise TypeError("true_fn must be callable.")
    if not callable(false_fn):
        raise TypeError("false_fn must be callable.")
    if isinstance(pred, bool):
        raise TypeError("pred must not be a Python bool: tf.cond decides when the graph runs. "
                        "Use a plain Python `if` to choose between two graphs while building.")
    graph = graph_of([pred])
    with graph.name_scope(name or "cond"):
        pred = convert_to_tensor(pred)
        if not pred.dtype.base_dtype.is_bool:
            raise TypeError(f"Input 'pred' of 'Switch' Op has type {pred.dtype.base_dtype.name} that "
                            f"does not match expected type of bool.")
        p_false, p_true = switch(pred, pred)
        pivot_t = identity(p_true, name="switch_t")
        pivot_f = identity(p_false, name="switch_f")
        pred = identity(pred, name="pred_id")
        results = []
        for pivot, branch, fn, which in ((pivot_t, 1, true_fn, "true_fn"), (pivot_f, 0, false_fn, "false_fn")):
            context = CondContext(pred, pivot, branch)
            with context.entered(graph):
                original, flat = context.build_branch(graph, fn)
            if original is None:
                raise ValueError(f"{which} must have a return value.")
            results.append((original, flat))
        (orig_t, res_t), (orig_f, res_f) = results
        if not strict:
            orig_t, orig_f = _unpack_singleton(orig_t), _unpack_singleton(orig_f)
        if not _same_structure(orig_t, orig_f):
            raise ValueError(f"The two structures don't have the same nested structure.\n\nFirst "
                             f"structure: {orig_t!r}\n\nSecond structure: {orig_f!r}")
        if not res_t:
            raise ValueError("true_fn and false_fn must return at least one result.")
        for x, y in zip(res_t, res_f):
            if x.dtype.base_dtype != y.dtype.base_dtype:
                raise ValueError(f"Outputs of true_fn and false_fn must have the same type: "
                                 f"{x.dtype.base_dtype.name}, {y.dtype.base_dtype.name}")
        merges = [merge([f, t])[0] for f, t in zip(res_f, res_t)]
        if not isinstance(orig_t, (list, builtins.tuple, dict)):
            return merges[0]
        return _pack(orig_t, iter(merges))


# ---- Print -----------------------------------------------------------------------------
_print_counts = weakref.WeakKeyDictionary()  # session -> {Print op: times it printed}


@kernel("Print", inputs=("input", "data"), session=True, same_dtype=False)
def _print(ctx, x, *data, U=None, message="", first_n=-1, summarize=3):  # noqa: N803 - TF attr
    if first_n >= 0:
        counts = _print_counts.setdefault(ctx.session, {})
        if counts.get(ctx.op, 0) >= first_n:
            return x
        counts[ctx.op] = counts.get(ctx.op, 0) + 1
    sys.stdout.write(message + "".join("[" + _summarize(d, summarize) + "]" for d in data) + "\n")
    return x


@shape_rule("Print")
def _print_shape(op):
    return [op.inputs[0].shape]


@RegisterGradient("Print")
def _print_grad(op, grad):
    """Print passes its input through: the gradient too; the printed data get none."""
    return [grad] + [None] * (len(op.inputs) - 1)


def Print(input_, data, message=None, first_n=None, summarize=None, name=None):  # noqa: N802 - TF's name
    """`input_` unchanged; each time the op runs it prints `message` and the values of `data`.

    Only runs when something fetched depends on the result, so use the returned tensor.
    tfteach prints to sys.stdout (TF1 printed to the process's stderr, which notebooks hide).

    Args:
      input_: the tensor passed through.
      data: a list of tensors to print, each as `[v1 v2 v3...]`.
      message: a string printed first.
      first_n: print only the first `first_n` times (per session).
      summarize: how many entries of each tensor to print (default 3).
    Example: `y = tf.Print(y, [y], "y = ")` prints `y = [1 2 3]`.
    """
    data = [convert_to_tensor(d) for d in data]
    attrs = {"U": [d.dtype.base_dtype for d in data], "message": message or "",
             "first_n": -1 if first_n is None else int(first_n),
             "summarize": 3 if summarize is None else int(summarize)}
    return apply_op("Print", [input_] + data, attrs, name=name)


def _summarize(value, limit):
    """A tensor's first `limit` entries as TF1's Print shows them: `[1 2][3...]...`."""
    a = np.asarray(value)
    flat = a.reshape(-1)
    limit = flat.size if limit < 0 else min(limit, flat.size)
    items = [_element(v) for v in flat[:limit]]
    more = "..." if flat.size > limit else ""
    if a.ndim == 0:
        return " ".join(items) + more
    out, index = [], [0]

    def one_dim(dim):
        if index[0] >= limit:
            return
        if dim == a.ndim - 1:
            for i in range(a.shape[dim]):
                if index[0] >= limit:
                    if dim != 0:
                        out.append("...")
                    return
                out.append((" " if i else "") + items[index[0]])
                index[0] += 1
            return
        for _ in range(a.shape[dim]):
            opened = index[0] < limit
            if opened:
                out.append("[")
            one_dim(dim + 1)
            if opened:
                out.append("]")
    one_dim(0)
    return "".join(out) + more


def _element(v):
    if isinstance(v, (bool, np.bool_)):
        return "1" if v else "0"
    if isinstance(v, bytes):
        return v.decode("utf-8", "backslashreplace")
    if isinstance(v, np.floating):
        if not np.isfinite(v):
            return str(float(v))
        short, full = (15, 17) if v.dtype == np.float64 else (6, 9)
        text = "%.*g" % (short, v)
        return text if type(v)(text) == v else "%.*g" % (full, v)
    return str(v)


# ---- CheckNumerics ------------------------------------------------------------------------
@kernel("CheckNumerics", inputs=("tensor",), session=True)
def _check_numerics(ctx, x, message=""):
    nan, inf = bool(np.isnan(x).any()), bool(np.isinf(x).any())
    if nan or inf:
        what = "Inf and NaN" if nan and inf else "NaN" if nan else "Inf"
        raise errors.InvalidArgumentError(
            None, ctx.op, f"{message} : Tensor had {what} values\n\t [[node {ctx.op.name}]] "
            f"(checking {ctx.op.inputs[0].name})")
    return x


@shape_rule("CheckNumerics")
def _check_numerics_shape(op):
    common.check_dtype(op, common.FLOATS, "tensor")
    return [op.inputs[0].shape]


@RegisterGradient("CheckNumerics")
def _check_numerics_grad(op, grad):
    """The gradient passes through, checked in turn."""
    return [check_numerics(grad, "Not a number (NaN) or infinity (Inf) values detected in gradient. "
                           + op.get_attr("message"))]


def check_numerics(tensor, message, name=None):
    """`tensor` unchanged, but running it raises InvalidArgumentError if it has a NaN or Inf.

    Example: `tf.check_numerics(tf.log(x), "log of x")` fails with
    `log of x : Tensor had Inf values` when x has a zero.
    """
    return apply_op("CheckNumerics", [tensor], {"message": message}, name=name)


def verify_tensor_all_finite(t, msg, name=None):
    """`t`, available only after check_numerics(t, msg) passed ('VerifyFinite/...')."""
    graph = graph_of([t])
    with graph.name_scope(name or "VerifyFinite"):
        t = convert_to_tensor(t, name="t")
        return with_dependencies([check_numerics(t, message=msg)], t)


__all__ = ["no_op", "group", "identity", "tuple", "with_dependencies", "stop_gradient", "cond",
           "Print", "check_numerics", "verify_tensor_all_finite"]
