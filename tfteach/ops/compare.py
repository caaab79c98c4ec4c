"""Comparisons, logical ops, maximum/minimum and selection (tf.where).

Mirrors those parts of tensorflow/python/ops/math_ops.py, array_ops.where and math_grad.py.
Comparisons return bool tensors; `<`, `<=`, `>`, `>=`, `&`, `|`, `^`, `~` build them. `==` is
left alone, as in TF1 graph mode: it compares the Python objects, so tensors can be dict keys.
"""
import numpy as np

from .. import dtypes as _dtypes
from ..graph import Tensor, convert_to_tensor, graph_of
from ..registry import (FRESH, NotDifferentiable, PURE, RegisterGradient, apply_op, kernel,
                        local_derivatives, shape_rule)
from .constant import constant
from . import common
from . import reduce as reduce_ops
from .shapes import broadcast_shape, fmt, shape_of
from . import array as array_ops

_ANY = common.NUMBERS + ("bool", "string")


# ---- Less, LessEqual, Greater, GreaterEqual, Equal, NotEqual ---------------------------
common.elementwise("Less", np.less, PURE, dtypes=common.NUMBERS)
common.elementwise("LessEqual", np.less_equal, PURE, dtypes=common.NUMBERS)
common.elementwise("Greater", np.greater, PURE, dtypes=common.NUMBERS)
common.elementwise("GreaterEqual", np.greater_equal, PURE, dtypes=common.NUMBERS)
common.elementwise("Equal", np.equal, PURE, dtypes=_ANY)
common.elementwise("NotEqual", np.not_equal, PURE, dtypes=_ANY)
for _op_type in ("Less", "LessEqual", "Greater", "GreaterEqual", "Equal", "NotEqual"):
    NotDifferentiable(_op_type)  # a bool output has no gradient


def less(x, y, name=None):
    """Elementwise x < y as a bool tensor, with broadcasting. Op type "Less"; also `x < y`."""
    return apply_op("Less", [x, y], name=name, dtypes=[_dtypes.bool])


def less_equal(x, y, name=None):
    """Elementwise x <= y as a bool tensor. Op type "LessEqual"; also `x <= y`."""
    return apply_op("LessEqual", [x, y], name=name, dtypes=[_dtypes.bool])


def greater(x, y, name=None):
    """Elementwise x > y as a bool tensor. Op type "Greater"; also `x > y`."""
    return apply_op("Greater", [x, y], name=name, dtypes=[_dtypes.bool])


def greater_equal(x, y, name=None):
    """Elementwise x >= y as a bool tensor. Op type "GreaterEqual"; also `x >= y`."""
    return apply_op("GreaterEqual", [x, y], name=name, dtypes=[_dtypes.bool])


def equal(x, y, name=None):
    """Elementwise x == y as a bool tensor. Op type "Equal".

    Not the `==` operator, which in TF1 graph mode compares tensor objects. The accuracy idiom:
    `tf.reduce_mean(tf.cast(tf.equal(tf.argmax(y, 1), tf.argmax(y_, 1)), tf.float32))`.
    """
    return apply_op("Equal", [x, y], name=name, dtypes=[_dtypes.bool])


def not_equal(x, y, name=None):
    """Elementwise x != y as a bool tensor. Op type "NotEqual"."""
    return apply_op("NotEqual", [x, y], name=name, dtypes=[_dtypes.bool])


# ---- LogicalAnd, LogicalOr, LogicalNot -----------------------------------------------
common.elementwise("LogicalAnd", np.logical_and, PURE, dtypes=("bool",))
common.elementwise("LogicalOr", np.logical_or, PURE, dtypes=("bool",))
common.elementwise("LogicalNot", np.logical_not, PURE, inputs=("x",), dtypes=("bool",))
for _op_type in ("LogicalAnd", "LogicalOr", "LogicalNot"):
    NotDifferentiable(_op_type)


def logical_and(x, y, name=None):
    """Elementwise x AND y on bool tensors, with broadcasting. Op type "LogicalAnd"; `x & y`."""
    return apply_op("LogicalAnd", [x, y], name=name)


def logical_or(x, y, name=None):
    """Elementwise x OR y on bool tensors. Op type "LogicalOr"; also `x | y`."""
    return apply_op("LogicalOr", [x, y], name=name)


def logical_not(x, name=None):
    """Elementwise NOT x on a bool tensor. Op type "LogicalNot"; also `~x`."""
    return apply_op("LogicalNot", [x], name=name)


def logical_xor(x, y, name="LogicalXor"):
    """Elementwise x XOR y, built as TF1 did: (x OR y) AND NOT (x AND y). Also `x ^ y`."""
    return logical_and(logical_or(x, y), logical_not(logical_and(x, y)), name=name)


# ---- Maximum, Minimum ------------------------------------------------------------------
common.elementwise("Maximum", np.maximum, FRESH, dtypes=common.NUMBERS)  # nan wins, as in TF
common.elementwise("Minimum", np.minimum, FRESH, dtypes=common.NUMBERS)


def _maximum_minimum_grad(op, grad, selector):
    """The gradient goes to x where selector(x, y) holds, to y elsewhere (ties go to x)."""
    x, y = op.inputs
    sx, sy = array_ops.shape(x), array_ops.shape(y)
    gradshape = array_ops.shape(grad)
    zero_grads = array_ops.zeros(gradshape, grad.dtype.base_dtype)
    xmask = selector(x, y)
    rx, ry = array_ops.broadcast_gradient_args(sx, sy)
    xgrad = where(xmask, grad, zero_grads)
    ygrad = where(xmask, zero_grads, grad)
    return [array_ops.sum_to(xgrad, rx, sx), array_ops.sum_to(ygrad, ry, sy)]


local_derivatives("Maximum",
                  ("1 if {0} ≥ {1} else 0", lambda a, z: float(a[0] >= a[1])),
                  ("1 if {1} > {0} else 0", lambda a, z: float(a[1] > a[0])))


@RegisterGradient("Maximum")
def _maximum_grad(op, grad):
    """d max(x, y) = grad where x >= y for x, where x < y for y."""
    return _maximum_minimum_grad(op, grad, greater_equal)


@RegisterGradient("Minimum")
def _minimum_grad(op, grad):
    """d min(x, y) = grad where x <= y for x, where x > y for y."""
    return _maximum_minimum_grad(op, grad, less_equal)


def maximum(x, y, name=None):
    """Elementwise max(x, y) with broadcasting. Op type "Maximum". `tf.maximum(h, 0)` is a relu."""
    return apply_op("Maximum", [x, y], name=name)


def minimum(x, y, name=None):
    """Elementwise min(x, y) with broadcasting. Op type "Minimum"."""
    return apply_op("Minimum", [x, y], name=name)


# ---- Select: tf.where(condition, x, y) ---------------------------------------------------
def _merge(a, b, op, shapes):
    """TF's shape Merge: equal ranks and equal known dims; the result keeps every known dim."""
    if a is None or b is None:
        return b if a is None else a
    context = f"for '{op.name}' (op: '{op.type}') with input shapes: {', '.join(fmt(s) for s in shapes)}."
    if len(a) != len(b):
        raise ValueError(f"Shapes must be equal rank, but are {len(a)} and {len(b)} {context}")
    for i, (d, e) in enumerate(zip(a, b)):
        if d is not None and e is not None and d != e:
            raise ValueError(f"Dimension {i} in both shapes must be equal, but are {d} and {e}. "
                             f"Shapes are {fmt(a)} and {fmt(b)}. {context}")
    return tuple(e if d is None else d for d, e in zip(a, b))


def _check_select_types(op):
    c, x, y = op.inputs
    if c.dtype.base_dtype != _dtypes.bool:
        raise TypeError(f"Input 'condition' of '{op.type}' Op has type {c.dtype.base_dtype.name} that "
                        f"does not match expected type of bool.")
    if x.dtype.base_dtype != y.dtype.base_dtype:
        raise TypeError(f"Input 'e' of '{op.type}' Op has type {y.dtype.base_dtype.name} that does not "
                        f"match type {x.dtype.base_dtype.name} of argument 't'.")


@kernel("Select", PURE, inputs=("condition", "t", "e"), same_dtype=False)
def _select(c, x, y):
    if x.shape != y.shape:
        raise ValueError(f"'then' and 'else' must have the same size, but received: {x.shape} vs. {y.shape}")
    if c.ndim == 1 and x.ndim > 1:
        if c.shape[0] != x.shape[0]:
            raise ValueError(f"Number of batches of 'then' must match size of 'condition', but saw: "
                             f"{x.shape[0]} vs. {c.shape[0]}")
        c = c.reshape((-1,) + (1,) * (x.ndim - 1))  # a vector picks whole rows
    elif c.ndim != 0 and c.shape != x.shape:
        raise ValueError(f"'condition' and 'then' must have the same shape, got {c.shape} and {x.shape}")
    return np.where(c, x, y)


@shape_rule("Select")
def _select_shape(op):
    _check_select_types(op)
    shapes = [shape_of(t) for t in op.inputs]
    cond = shapes[0]
    data = _merge(shapes[1], shapes[2], op, shapes)
    if cond is None or data is None or len(cond) == 0:
        return [data]
    if len(cond) != 1 or len(data) == 0:
        return [_merge(data, cond, op, shapes)]
    _merge(cond, (data[0],), op, shapes)
    return [data]


@RegisterGradient("Select")
def _select_grad(op, grad):
    """d where(c, x, y) = grad where c for x, where not c for y; none for the condition."""
    c, x = op.inputs[0], op.inputs[1]
    zeros = array_ops.zeros_like(x)
    return [None, where(c, grad, zeros), where(c, zeros, grad)]


def where(condition, x=None, y=None, name=None):
    """TF1's tf.where: pick from x where condition is True, else from y; or find the Trues.

    With x and y (op type "Select"): they have one shape; condition has that shape too, or
    is a scalar, or a vector as long as x's first dimension, choosing whole rows. No other
    broadcasting (that is `tf.where_v2`). With condition alone (op type "Where"): the int64
    indices of its True (nonzero) elements, one row per element, shape (num_true, rank).
    """
    if x is None and y is None:
        return _where_indices(condition, name)
    if x is None or y is None:
        raise ValueError("x and y must both be non-None or both be None.")
    with graph_of([condition, x, y]).name_scope(name or "Select") as scope:
        x = convert_to_tensor(x, name="t")
        y = convert_to_tensor(y, dtype=x.dtype.base_dtype, name="e")
        return apply_op("Select", [condition, x, y], name=scope, dtypes=[x.dtype.base_dtype])


# ---- Where: tf.where(condition) ------------------------------------------------------------
@kernel("Where", PURE, inputs=("input",), same_dtype=False)
def _where(c):
    return np.argwhere(c).astype(np.int64)


@shape_rule("Where")
def _where_shape(op):
    s = shape_of(op.inputs[0])
    return [(None, None if s is None else len(s))]


NotDifferentiable("Where")


def _where_indices(condition, name):
    with graph_of([condition]).name_scope(name or "Where") as scope:
        condition = convert_to_tensor(condition, name="condition")
        return apply_op("Where", [condition], name=scope, dtypes=[_dtypes.int64])


# ---- SelectV2: tf.where_v2(condition, x, y) -------------------------------------------------
@kernel("SelectV2", PURE, inputs=("condition", "t", "e"), same_dtype=False)
def _select_v2(c, x, y):
    return np.where(c, x, y)


@shape_rule("SelectV2")
def _select_v2_shape(op):
    _check_select_types(op)
    shapes = [shape_of(t) for t in op.inputs]
    first = broadcast_shape(shapes[0], shapes[1])
    out = False if first is False else broadcast_shape(first, shapes[2])
    if out is False:
        raise ValueError(f"Dimensions must be equal for '{op.name}' (op: 'SelectV2') with input "
                         f"shapes: {', '.join(fmt(s) for s in shapes)}.")
    return [out]


@RegisterGradient("SelectV2")
def _select_v2_grad(op, grad):
    """As Select, then each of x and y summed back over the axes it was broadcast along."""
    c, x, y = op.inputs
    zeros = constant(0, dtype=grad.dtype.base_dtype, name="zeros")
    gx = where_v2(c, grad, zeros)
    x_shape = array_ops.shape(x)
    output_shape = array_ops.shape(op.outputs[0])
    reduce_x, _ = array_ops.broadcast_gradient_args(x_shape, output_shape)
    gx = array_ops.reshape(reduce_ops.reduce_sum(gx, keepdims=True, axis=reduce_x), x_shape)
    gy = where_v2(c, zeros, grad)
    y_shape = array_ops.shape(y)
    reduce_y, _ = array_ops.broadcast_gradient_args(y_shape, output_shape)
    gy = array_ops.reshape(reduce_ops.reduce_sum(gy, keepdims=True, axis=reduce_y), y_shape)
    return [None, gx, gy]


def where_v2(condition, x=None, y=None, name=None):
    """tf.where with numpy broadcasting of condition, x and y (op type "SelectV2").

    With condition alone, the same as tf.where(condition): indices of the True elements.
    """
    if x is None and y is None:
        return _where_indices(condition, name)
    if x is None or y is None:
        raise ValueError("x and y must both be non-None or both be None.")
    with graph_of([condition, x, y]).name_scope(name or "SelectV2") as scope:
        x = convert_to_tensor(x, name="t")
        y = convert_to_tensor(y, dtype=x.dtype.base_dtype, name="e")
        return apply_op("SelectV2", [condition, x, y], name=scope, dtypes=[x.dtype.base_dtype])


# ---- the Python operators --------------------------------------------------------------------
# `<` and friends call the op directly ('Less', 'Less/y'), the bitwise ones open a scope ('and').
Tensor._override_operator("__lt__", less)
Tensor._override_operator("__le__", less_equal)
Tensor._override_operator("__gt__", greater)
Tensor._override_operator("__ge__", greater_equal)
Tensor._override_operator("__invert__", logical_not)
common._install("and", logical_and, "and")
common._install("or", logical_or, "or")
common._install("xor", logical_xor, "xor")

__all__ = ["less", "less_equal", "greater", "greater_equal", "equal", "not_equal", "logical_and",
           "logical_or", "logical_not", "logical_xor", "maximum", "minimum", "where", "where_v2"]
