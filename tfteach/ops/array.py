"""Shape and layout ops: shape, reshape, fill, BroadcastGradientArgs, ...

Mirrors tensorflow/python/ops/array_ops.py. Static shapes flow through every rule
(None for an unknown dimension), so errors show up while the graph is built.
"""
import numpy as np

from .. import dtypes as _dtypes
from ..graph import Tensor, convert_to_tensor, graph_of
from ..registry import NotDifferentiable, RegisterGradient, apply_op, kernel, shape_rule
from ..tensor_shape import TensorShape, as_shape
from .constant import constant
from .shapes import fmt, shape_of


def _const_value(t):
    """The numpy value of `t` if it is known while building (a Const), else None."""
    return t.op.attrs["value"] if t.op.type == "Const" else None


# ---- Shape ----------------------------------------------------------------------
@kernel("Shape", inputs=("input",), same_dtype=False)
def _shape(x, out_type):
    return np.array(np.shape(x), dtype=out_type.np)


@shape_rule("Shape")
def _shape_shape(op):
    s = shape_of(op.inputs[0])
    return [(None if s is None else len(s),)]


NotDifferentiable("Shape")


def shape(input, name=None, out_type=_dtypes.int32):  # noqa: A002 - TF's argument name
    """The shape of `input` as a 1-D int32 tensor.

    When the static shape is fully known this is a Const named 'Shape', as TF1 folds it
    (the seeds' gradient graphs show `gradients/mul_grad/Shape` with type Const).
    """
    x = convert_to_tensor(input)
    out_type = _dtypes.as_dtype(out_type)
    if x.shape.is_fully_defined():
        with graph_of([x]).as_default():
            return constant(x.shape.as_list(), dtype=out_type, name=name or "Shape")
    return apply_op("Shape", [x], {"out_type": out_type}, name=name, dtypes=[out_type])


# ---- Reshape --------------------------------------------------------------------
@kernel("Reshape", inputs=("tensor", "shape"), same_dtype=False)
def _reshape(x, shape):
    return np.reshape(x, shape)


@shape_rule("Reshape")
def _reshape_shape(op):
    x, s = op.inputs
    value = _const_value(s)
    if value is None:
        n = shape_of(s)
        return [None if n is None or n[0] is None else (None,) * n[0]]
    dims = [int(d) for d in value.reshape(-1)]
    xs = x.shape
    known = xs.num_elements()
    if dims.count(-1) > 1:
        raise ValueError(f"Cannot reshape '{op.name}': more than one -1 in {dims}.")
    if -1 in dims:
        rest = int(np.prod([d for d in dims if d != -1], dtype=np.int64))
        if known is not None and rest > 0:
            if known % rest:
                raise ValueError(f"Cannot reshape a tensor with {known} elements to shape {dims} "
                                 f"for '{op.name}' (op: 'Reshape') with input shapes: {fmt(xs.as_tuple())}, "
                                 f"[{len(dims)}].")
            dims = [known // rest if d == -1 else d for d in dims]
        else:
            dims = [None if d == -1 else d for d in dims]
    elif known is not None and known != int(np.prod(dims, dtype=np.int64)):
        raise ValueError(f"Cannot reshape a tensor with {known} elements to shape {dims} "
                         f"({int(np.prod(dims, dtype=np.int64))} elements) for '{op.name}' (op: 'Reshape') "
                         f"with input shapes: {fmt(xs.as_tuple())}, [{len(dims)}].")
    return [tuple(dims)]


@RegisterGradient("Reshape")
def _reshape_grad(op, grad):
    """d(reshape(x))/dx: the gradient reshaped back to x's shape."""
    return [reshape(grad, shape(op.inputs[0])), None]


def reshape(tensor, shape, name=None):  # noqa: A002
    """`tensor` with the same values in a new `shape` (one dimension may be -1)."""
    return apply_op("Reshape", [tensor, _int_tensor(shape, "shape")], name=name, dtypes=None)


def _int_tensor(value, name):
    if isinstance(value, Tensor):
        return value
    if isinstance(value, TensorShape):
        value = value.as_list()
    return constant(value, dtype=_dtypes.int32 if not _is_int64(value) else _dtypes.int64, name=name)


def _is_int64(value):
    return isinstance(value, np.ndarray) and value.dtype == np.int64


# ---- BroadcastGradientArgs ----------------------------------------------------------
@kernel("BroadcastGradientArgs", inputs=("s0", "s1"))
def _broadcast_gradient_args(s0, s1):
    """The axes to sum a broadcast result over to get back to each input's shape."""
    s0, s1 = [int(d) for d in s0], [int(d) for d in s1]
    n = max(len(s0), len(s1))
    p0, p1 = [1] * (n - len(s0)) + s0, [1] * (n - len(s1)) + s1
    r0 = [i for i in range(n) if p0[i] == 1 and (p1[i] != 1 or i < n - len(s0))]
    r1 = [i for i in range(n) if p1[i] == 1 and (p0[i] != 1 or i < n - len(s1))]
    for i in range(n):
        if p0[i] != p1[i] and p0[i] != 1 and p1[i] != 1:
            raise ValueError(f"Incompatible shapes: {fmt(s0)} vs. {fmt(s1)}")
    return np.array(r0, dtype=np.int32), np.array(r1, dtype=np.int32)


@shape_rule("BroadcastGradientArgs")
def _broadcast_gradient_args_shape(op):
    return [(None,), (None,)]


NotDifferentiable("BroadcastGradientArgs")


def broadcast_gradient_args(s0, s1, name=None):
    """(r0, r1): the reduction axes for the gradients of a broadcasting binary op."""
    s0 = convert_to_tensor(s0)
    return apply_op("BroadcastGradientArgs", [s0, s1], name=name, dtypes=[s0.dtype, s0.dtype])


# ---- Fill ---------------------------------------------------------------------------
@kernel("Fill", inputs=("dims", "value"), same_dtype=False)
def _fill(dims, value):
    return np.full(tuple(int(d) for d in dims), value, dtype=np.asarray(value).dtype)


@shape_rule("Fill")
def _fill_shape(op):
    value = _const_value(op.inputs[0])
    if value is not None:
        return [tuple(int(d) for d in value.reshape(-1))]
    n = shape_of(op.inputs[0])
    return [None if n is None or n[0] is None else (None,) * n[0]]


@RegisterGradient("Fill")
def _fill_grad(op, grad):
    """d(fill(dims, v))/dv = the sum of the upstream gradient."""
    from .reduce import reduce_sum
    return [None, reduce_sum(grad)]


def fill(dims, value, name=None):
    """A tensor of shape `dims` with every element equal to `value`."""
    dims = _int_tensor(dims, "dims") if not isinstance(dims, Tensor) else dims
    value = convert_to_tensor(value, name="value")
    return apply_op("Fill", [dims, value], name=name, dtypes=[value.dtype.base_dtype])


def as_shape_tuple(shape_like):
    return tuple(as_shape(shape_like).as_list())


# ---- Tile ---------------------------------------------------------------------------
@kernel("Tile", inputs=("input", "multiples"), same_dtype=False)
def _tile(x, multiples):
    return np.tile(x, tuple(int(m) for m in multiples))


@shape_rule("Tile")
def _tile_shape(op):
    s = shape_of(op.inputs[0])
    m = _const_value(op.inputs[1])
    if s is None:
        return [None]
    if m is None:
        return [(None,) * len(s)]
    return [tuple(None if d is None else d * int(k) for d, k in zip(s, m.reshape(-1)))]


def tile(input, multiples, name=None):  # noqa: A002
    """`input` repeated `multiples[i]` times along axis i."""
    return apply_op("Tile", [input, _int_tensor(multiples, "multiples")], name=name)


# ---- ZerosLike / OnesLike -------------------------------------------------------------
@kernel("ZerosLike")
def _zeros_like(x):
    return np.zeros_like(x)


@kernel("OnesLike")
def _ones_like(x):
    return np.ones_like(x)


shape_rule("ZerosLike")(lambda op: [op.inputs[0].shape])
shape_rule("OnesLike")(lambda op: [op.inputs[0].shape])
NotDifferentiable("ZerosLike")
NotDifferentiable("OnesLike")


def zeros_like(tensor, dtype=None, name=None, optimize=True):
    """Zeros with the shape (and dtype) of `tensor`."""
    with graph_of([tensor]).name_scope(name or "zeros_like") as scope:
        tensor = convert_to_tensor(tensor, name="tensor")
        if dtype is not None and _dtypes.as_dtype(dtype) != tensor.dtype.base_dtype:
            return fill(shape(tensor), constant(0, dtype=dtype), name=scope)
        return apply_op("ZerosLike", [tensor], name=scope)


def ones_like(tensor, dtype=None, name=None, optimize=True):
    """Ones with the shape (and dtype) of `tensor`."""
    with graph_of([tensor]).name_scope(name or "ones_like") as scope:
        tensor = convert_to_tensor(tensor, name="tensor")
        if dtype is not None and _dtypes.as_dtype(dtype) != tensor.dtype.base_dtype:
            return fill(shape(tensor), constant(1, dtype=dtype), name=scope)
        return apply_op("OnesLike", [tensor], name=scope)


__all__ = ["shape", "reshape", "fill", "tile", "zeros_like", "ones_like", "broadcast_gradient_args"]
