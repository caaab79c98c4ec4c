"""Shape and layout ops: shape, size, rank, reshape, fill, zeros, ones, expand_dims, transpose, ...

Mirrors tensorflow/python/ops/array_ops.py and array_grad.py; the rest of array_ops lives in
building.py (concat, stack, tile, pad, range, ...) and slicing.py (slice, x[...], gather, split).
Static shapes flow through every rule (None for an unknown dimension), so errors show up
while the graph is built. The helpers at the top are shared by those two modules.
"""
import math

import numpy as np

from ..errors import InvalidArgumentError
from ..limits import check_allocation
from .. import dtypes as _dtypes
from ..graph import convert_to_tensor, register_tensor_conversion_function
from ..registry import NotDifferentiable, PURE, RegisterGradient, apply_op, kernel, shape_rule
from ..tensor_shape import Dimension, TensorShape, as_shape
from .common import (_axis, _const_value, _is_tensor, _partial_shape, _partial_values,  # noqa: F401
                     _scope, _shape_error)
from .constant import constant
from .shapes import fmt, shape_of
from . import building as building_ops
from . import reduce as reduce_ops

newaxis = None  # tf.newaxis: `x[:, tf.newaxis]` inserts a dimension of size 1


# ---- helpers shared by the shape rules and public functions (more in common.py) ------------
def _to_tensor(value, dtype=None, name=None):
    """convert_to_tensor, but a list holding tensors becomes a Pack, as TF1's autopacking does."""
    if isinstance(value, (list, tuple)) and any(_is_tensor(v) for v in value):
        return _autopack(list(value), name or "packed")
    return convert_to_tensor(value, dtype=dtype, name=name)


def _int_tensor(value, name):
    """A shape-like argument as an int32 tensor (int64 if needed); lists of tensors are packed."""
    if _is_tensor(value):
        return convert_to_tensor(value)
    if isinstance(value, TensorShape):
        value = value.as_list()
    if isinstance(value, (list, tuple)):
        value = [v.value if isinstance(v, Dimension) else v for v in value]
        if any(_is_tensor(v) for v in value):
            return _autopack(value, name)
    big = np.any(np.abs(np.asarray(value, dtype=np.int64)) >= 2 ** 31) if np.size(value) else False
    wide = big or (isinstance(value, np.ndarray) and value.dtype == np.int64)
    return constant(value, dtype=_dtypes.int64 if wide else _dtypes.int32, name=name)


def _autopack(values, name):
    """TF1's conversion of a list holding tensors: one Pack named `name`, constants named '0', '1'."""
    tensors = [convert_to_tensor(v) for v in values if _is_tensor(v)]
    if not tensors:
        return constant(values, name=name)
    dtype = tensors[0].dtype.base_dtype
    with _scope(name, values) as scope:
        parts = [convert_to_tensor(v, dtype=dtype, name=str(i)) for i, v in enumerate(values)]
        return apply_op("Pack", parts, {"axis": 0, "N": len(parts)}, name=scope)


def _autopacking_conversion(value, dtype=None, name=None, as_ref=False):
    """Any op input that is a list holding tensors becomes a Pack (TF1's autopacking)."""
    if not any(_is_tensor(v) for v in value):
        return NotImplemented  # plain numbers: the Const conversion takes it
    return _autopack(list(value), name or "packed")


register_tensor_conversion_function((list, tuple), _autopacking_conversion)


# ---- Shape / ShapeN / Size / Rank --------------------------------------------------------------
@kernel("Shape", {"pure", "shape_only", "build_time"}, inputs=("input",), same_dtype=False)
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
    out_type = _dtypes.as_dtype(out_type)
    with _scope(name or "Shape", [input]) as scope:
        x = convert_to_tensor(input)
        if x.shape.is_fully_defined():
            return constant(x.shape.as_list(), dtype=out_type, name=scope)
        return apply_op("Shape", [x], {"out_type": out_type}, name=scope, dtypes=[out_type])


@kernel("ShapeN", {"pure", "shape_only"}, inputs=("input",), same_dtype=False)
def _shape_n(*xs, N, out_type):  # noqa: N803 - TF attr name
    return [np.array(np.shape(x), dtype=out_type.np) for x in xs]


@shape_rule("ShapeN")
def _shape_n_shape(op):
    return [(None if shape_of(t) is None else len(shape_of(t)),) for t in op.inputs]


NotDifferentiable("ShapeN")


def shape_n(input, out_type=_dtypes.int32, name=None):  # noqa: A002
    """The shapes of a list of tensors, one 1-D int32 tensor each (a single ShapeN op)."""
    xs = [convert_to_tensor(x) for x in input]
    out_type = _dtypes.as_dtype(out_type)
    return apply_op("ShapeN", xs, {"N": len(xs), "out_type": out_type}, name=name,
                    dtypes=[out_type] * len(xs), num_outputs=len(xs))


@kernel("Size", {"pure", "shape_only", "build_time"}, inputs=("input",), same_dtype=False)
def _size(x, out_type):
    return np.array(np.size(x), dtype=out_type.np)


shape_rule("Size")(lambda op: [()])
NotDifferentiable("Size")


def size(input, name=None, out_type=_dtypes.int32):  # noqa: A002
    """The number of elements of `input`, a 0-d int32 tensor (a Const 'Size' when static)."""
    out_type = _dtypes.as_dtype(out_type)
    with _scope(name or "Size", [input]) as scope:
        x = convert_to_tensor(input)
        s = shape_of(x)
        if x.shape.is_fully_defined() or (s is not None and 0 in s):
            return constant(x.shape.num_elements() or 0, dtype=out_type, name=scope)
        return apply_op("Size", [x], {"out_type": out_type}, name=scope, dtypes=[out_type])


@kernel("Rank", {"pure", "shape_only", "build_time"}, inputs=("input",), same_dtype=False)
def _rank(x):
    return np.array(np.ndim(x), dtype=np.int32)


shape_rule("Rank")(lambda op: [()])
NotDifferentiable("Rank")


def rank(input, name=None):  # noqa: A002
    """The number of dimensions of `input`, a 0-d int32 tensor (a Const 'Rank' when static)."""
    with _scope(name or "Rank", [input]) as scope:
        x = convert_to_tensor(input)
        if x.shape.ndims is not None:
            return constant(x.shape.ndims, dtype=_dtypes.int32, name=scope)
        return apply_op("Rank", [x], name=scope, dtypes=[_dtypes.int32])


# ---- Reshape ----------------------------------------------------------------------------------
@kernel("Reshape", {"pure", "pass_through", "build_time"}, inputs=("tensor", "shape"), same_dtype=False)
def _reshape(x, shape):
    try:
        return np.reshape(x, shape)
    except ValueError:
        raise _reshape_error(np.size(x), [int(d) for d in np.reshape(shape, -1)]) from None


def _reshape_error(size, dims):
    """TF's run-time error for a Reshape of `size` values to `dims` (a list of ints)."""
    holes = [i for i, d in enumerate(dims) if d == -1]
    bad = [(i, d) for i, d in enumerate(dims) if d < -1]
    if len(holes) > 1:
        return InvalidArgumentError(None, None, f"Only one input size may be -1, not both {holes[0]} and {holes[1]}")
    if bad:
        return InvalidArgumentError(None, None, f"Size {bad[0][0]} must be non-negative, not {bad[0][1]}")
    rest = math.prod(d for d in dims if d != -1)
    if holes:
        return InvalidArgumentError(None, None, f"Input to reshape is a tensor with {size} values, but the "
                                                f"requested shape requires a multiple of {rest}")
    return InvalidArgumentError(None, None, f"Input to reshape is a tensor with {size} values, but the "
                                            f"requested shape has {rest}")


@shape_rule("Reshape")
def _reshape_shape(op):
    x, s = op.inputs
    dims = _partial_values(s)
    if dims is None:
        return [None]
    if dims.count(-1) > 1:
        raise _shape_error(op, f"Cannot reshape: more than one -1 in {dims}")
    partial = {1: [None if d == -1 else d for d in dims]}  # TF prints a -1 as ?
    known = x.shape.num_elements()
    unknown = [i for i, d in enumerate(dims) if d is None or d == -1]
    rest = math.prod(d for d in dims if d is not None and d != -1)
    if not unknown and known is not None and known != rest:
        raise _shape_error(op, f"Cannot reshape a tensor with {known} elements to shape {fmt(dims)} "
                               f"({rest} elements)", partial)
    if not unknown and known is None and x.shape.ndims is not None:
        # some input dimensions unknown: the known ones must still divide the new size
        known_in = math.prod(d for d in shape_of(x) if d is not None)
        if known_in > 0 and rest % known_in:
            raise _shape_error(op, f"Dimension size must be evenly divisible by {known_in} but is {rest}", partial)
    if len(unknown) == 1 and known is not None:
        if rest == 0 and known != 0:
            raise _shape_error(op, f"Cannot reshape a tensor with {known} elements to shape "
                                   f"{fmt(partial[1])} (0 elements)", partial)
        if rest > 0:
            if known % rest and dims[unknown[0]] == -1:
                raise _shape_error(op, f"Dimension size must be evenly divisible by {rest} but is {known}", partial)
            dims[unknown[0]] = known // rest
    return [tuple(None if d == -1 else d for d in dims)]


@RegisterGradient("Reshape")
def _reshape_grad(op, grad):
    """d(reshape(x))/dx: the gradient reshaped back to x's shape."""
    return [reshape(grad, shape(op.inputs[0])), None]


def reshape(tensor, shape, name=None):  # noqa: A002
    """`tensor` with the same values in a new `shape` (one dimension may be -1)."""
    with _scope(name or "Reshape", [tensor, shape]) as scope:
        x = convert_to_tensor(tensor, name="tensor")
        return apply_op("Reshape", [x, _int_tensor(shape, "shape")], name=scope)


# ---- Fill / zeros / ones / zeros_like / ones_like -------------------------------------------
@kernel("Fill", PURE, inputs=("dims", "value"), same_dtype=False)
def _fill(dims, value, index_type=None):
    if np.ndim(value) != 0:
        raise ValueError(f"value must be a scalar, got shape {fmt(np.shape(value))}")
    shape = tuple(int(d) for d in dims)
    check_allocation(shape, np.asarray(value).dtype)  # before np.full touches gigabytes
    return np.full(shape, value, dtype=np.asarray(value).dtype)


@shape_rule("Fill")
def _fill_shape(op):
    values = _partial_values(op.inputs[0]) or []
    if any(v is not None and v < 0 for v in values):
        raise _shape_error(op, f"Fill dimensions must be >= 0, got {values}")
    return [_partial_shape(op.inputs[0])]


@RegisterGradient("Fill")
def _fill_grad(op, grad):
    """d(fill(dims, v))/dv = the sum of the upstream gradient."""
    return [None, reduce_ops.reduce_sum(grad)]


def fill(dims, value, name=None):
    """A tensor of shape `dims` with every element equal to `value`. Op type "Fill"."""
    with _scope(name or "Fill", [dims, value]) as scope:
        dims = _int_tensor(dims, "dims")
        value = convert_to_tensor(value, name="value")
        return apply_op("Fill", [dims, value], name=scope, dtypes=[value.dtype.base_dtype])


def as_shape_tuple(shape_like):
    return tuple(as_shape(shape_like).as_list())


def _filled(shape, dtype, name, default_name, one):
    """TF1's zeros/ones: a Const when static and small (< 1000 elements), else a Fill."""
    dtype = _dtypes.as_dtype(dtype).base_dtype
    value = bool(one) if dtype.is_bool else ("" if dtype == _dtypes.string else one)
    with _scope(name or default_name, [shape]) as scope:
        if _is_tensor(shape):
            shape = convert_to_tensor(shape)
        else:
            try:
                dims = as_shape_tuple(shape)
                if np.prod(dims, dtype=np.int64) < 1000:
                    return constant(value, dtype=dtype, shape=dims, name=scope)
                shape = constant(list(dims), dtype=_dtypes.int32, name="shape_as_tensor")
            except (TypeError, ValueError):
                shape = _int_tensor(shape, "packed")
        if shape.shape.ndims == 0:
            shape = reshape(shape, [-1])  # a scalar shape means a vector of that length
        return fill(shape, constant(value, dtype=dtype), name=scope)


def zeros(shape, dtype=_dtypes.float32, name=None):
    """A tensor of `shape` filled with 0 (float32 by default).

    Example: `tf.zeros([2, 3])` is a Const named 'zeros'; a shape tensor gives a Fill.
    """
    return _filled(shape, dtype, name, "zeros", 0)


def ones(shape, dtype=_dtypes.float32, name=None):
    """A tensor of `shape` filled with 1 (float32 by default); see `zeros`."""
    return _filled(shape, dtype, name, "ones", 1)


@kernel("ZerosLike", PURE)
def _zeros_like(x):
    return np.zeros_like(x)


@kernel("OnesLike", PURE)
def _ones_like(x):
    return np.ones_like(x)


shape_rule("ZerosLike")(lambda op: [op.inputs[0].shape])
shape_rule("OnesLike")(lambda op: [op.inputs[0].shape])
NotDifferentiable("ZerosLike")
NotDifferentiable("OnesLike")


def zeros_like(tensor, dtype=None, name=None, optimize=True):
    """Zeros with the shape (and dtype) of `tensor`: a ZerosLike op, or zeros(shape) to cast."""
    with _scope(name or "zeros_like", [tensor]) as scope:
        tensor = convert_to_tensor(tensor, name="tensor")
        if dtype is not None and _dtypes.as_dtype(dtype) != tensor.dtype.base_dtype:
            return zeros(shape(tensor), dtype=dtype, name=scope)
        return apply_op("ZerosLike", [tensor], name=scope)


def ones_like(tensor, dtype=None, name=None, optimize=True):
    """Ones with the shape (and dtype) of `tensor`, built as TF1 did: Shape, Const, Fill."""
    with _scope(name or "ones_like", [tensor]) as scope:
        tensor = convert_to_tensor(tensor, name="tensor")
        out = ones(shape(tensor), dtype=dtype or tensor.dtype.base_dtype, name=scope)
        out.set_shape(tensor.shape)
        return out


# ---- ExpandDims / Squeeze ---------------------------------------------------------------------
@kernel("ExpandDims", PURE, inputs=("input", "dim"), same_dtype=False)
def _expand_dims(x, dim, Tdim=None):  # noqa: N803 - TF attr name
    axis = int(np.reshape(dim, -1)[0])
    if not -x.ndim - 1 <= axis <= x.ndim:
        raise ValueError(f"Tried to expand dim index {axis} for tensor with {x.ndim} dimensions.")
    return np.expand_dims(x, axis)


@shape_rule("ExpandDims")
def _expand_dims_shape(op):
    s, dim = shape_of(op.inputs[0]), _const_value(op.inputs[1])
    if s is None:
        return [None]
    if dim is None:
        return [(None,) * (len(s) + 1)]
    axis = int(np.reshape(dim, -1)[0])
    if not -len(s) - 1 <= axis <= len(s):
        raise _shape_error(op, f"Tried to expand dim index {axis} for tensor with {len(s)} dimensions.")
    axis = axis % (len(s) + 1)
    return [s[:axis] + (1,) + s[axis:]]


@RegisterGradient("ExpandDims")
def _expand_dims_grad(op, grad):
    """Only the layout changed: the gradient reshaped back to the input's shape."""
    return [reshape(grad, shape(op.inputs[0])), None]


def expand_dims(input, axis=None, name=None, dim=None):  # noqa: A002
    """`input` with a new dimension of size 1 inserted at `axis` (negative counts from the end)."""
    if axis is not None and dim is not None:
        raise ValueError("Cannot specify both 'axis' and 'dim'")
    axis = dim if axis is None else axis
    if axis is None:
        raise ValueError("Must specify an axis argument to tf.expand_dims()")
    with _scope(name or "ExpandDims", [input]) as scope:
        x = convert_to_tensor(input, name="input")
        return apply_op("ExpandDims", [x, _int_tensor(axis, "dim")], name=scope)


@kernel("Squeeze", PURE, inputs=("input",))
def _squeeze(x, squeeze_dims):
    axes = [_squeeze_axis(a, x.ndim) for a in squeeze_dims]
    for a in axes:
        if x.shape[a] != 1:
            raise ValueError(f"Can not squeeze dim[{a}], expected a dimension of 1, got {x.shape[a]}")
    return np.squeeze(x, axis=tuple(axes)) if axes else np.squeeze(x)


def _squeeze_axis(a, rank):
    if not -rank <= a < rank:
        raise ValueError(f"Tried to squeeze dim index {a} for tensor with {rank} dimensions.")
    return a % rank


@shape_rule("Squeeze")
def _squeeze_shape(op):
    s, dims = shape_of(op.inputs[0]), op.attrs["squeeze_dims"]
    if s is None:
        return [None]
    if not dims:  # TF: with an unknown dimension the rank of the result is unknown
        return [None if None in s else tuple(d for d in s if d != 1)]
    for i, a in enumerate(dims):
        if not -len(s) <= a < len(s):
            raise _shape_error(op, f"squeeze_dims[{i}] not in [{-len(s)},{len(s)}).")
    axes = {a % len(s) for a in dims}
    for a in axes:
        if s[a] not in (None, 1):
            raise _shape_error(op, f"Can not squeeze dim[{a}], expected a dimension of 1, got {s[a]}")
    return [tuple(d for i, d in enumerate(s) if i not in axes)]


@RegisterGradient("Squeeze")
def _squeeze_grad(op, grad):
    """Only the layout changed: the gradient reshaped back to the input's shape."""
    return [reshape(grad, shape(op.inputs[0]))]


def squeeze(input, axis=None, name=None, squeeze_dims=None):  # noqa: A002
    """`input` without its size-1 dimensions (only those in `axis`, when given)."""
    if axis is not None and squeeze_dims is not None:
        raise ValueError("Cannot specify both 'axis' and 'squeeze_dims'")
    axis = squeeze_dims if axis is None else axis
    axis = [] if axis is None else [int(axis)] if np.isscalar(axis) else [int(a) for a in axis]
    return apply_op("Squeeze", [input], {"squeeze_dims": axis}, name=name)


# ---- Transpose / InvertPermutation ----------------------------------------------------------
def _check_permutation(perm, n, what):
    if sorted(int(p) for p in perm) != list(range(n)):
        raise ValueError(f"{what} expects a permutation of 0..{n - 1}, got {[int(p) for p in perm]}")


@kernel("Transpose", PURE, inputs=("x", "perm"), same_dtype=False)
def _transpose(x, perm, Tperm=None):  # noqa: N803
    _check_permutation(perm, x.ndim, "transpose")
    return np.transpose(x, [int(p) for p in perm])


@shape_rule("Transpose")
def _transpose_shape(op):
    s, perm = shape_of(op.inputs[0]), _const_value(op.inputs[1])
    n = len(s) if s is not None else None if perm is None else perm.size
    if perm is None:
        return [None if n is None else (None,) * n]
    if n != perm.size:
        raise _shape_error(op, f"Dimension must be {n} but is {perm.size}")
    if s is None or sorted(perm.tolist()) != list(range(n)):  # a bad perm fails when run, as in TF
        return [(None,) * n]
    return [tuple(s[int(p)] for p in perm)]


@RegisterGradient("Transpose")
def _transpose_grad(op, grad):
    """Transposing back undoes it: the gradient transposed by the inverse permutation."""
    return [transpose(grad, invert_permutation(op.inputs[1])), None]


def transpose(a, perm=None, name="transpose", conjugate=False):
    """`a` with its dimensions permuted: output dimension i is input dimension perm[i].

    `perm` defaults to reversing the dimensions (the matrix transpose for rank 2).
    """
    with _scope(name or "transpose", [a]) as scope:
        a = convert_to_tensor(a, name="a")
        if perm is None:
            if a.shape.ndims is None:
                perm = building_ops.range_op(rank(a) - 1, -1, -1)
            else:
                perm = np.arange(a.shape.ndims - 1, -1, -1, dtype=np.int32)
        return apply_op("Transpose", [a, _int_tensor(perm, "perm")], name=scope)


@kernel("InvertPermutation", PURE, inputs=("x",))
def _invert_permutation(x):
    _check_permutation(x, x.size, "InvertPermutation")
    y = np.empty_like(x)
    y[x] = np.arange(x.size, dtype=x.dtype)
    return y


shape_rule("InvertPermutation")(lambda op: [op.inputs[0].shape])
NotDifferentiable("InvertPermutation")


def invert_permutation(x, name=None):
    """The inverse of the permutation `x`: y[x[i]] = i. Op type "InvertPermutation"."""
    return apply_op("InvertPermutation", [x], name=name)


# ---- BroadcastGradientArgs --------------------------------------------------------------------
@kernel("BroadcastGradientArgs", PURE, inputs=("s0", "s1"))
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


shape_rule("BroadcastGradientArgs")(lambda op: [(None,), (None,)])
NotDifferentiable("BroadcastGradientArgs")


def broadcast_gradient_args(s0, s1, name=None):
    """(r0, r1): the reduction axes for the gradients of a broadcasting binary op."""
    s0 = convert_to_tensor(s0)
    return apply_op("BroadcastGradientArgs", [s0, s1], name=name, dtypes=[s0.dtype, s0.dtype])


def broadcast_gradient_shapes(x, y):
    """The start of a broadcasting binary op's gradient, as TF's math_grad writes it:
    `sx, sy = shape(x), shape(y)` and `rx, ry = broadcast_gradient_args(sx, sy)` (TF's names:
    `Shape`, `Shape_1`, `BroadcastGradientArgs`). Returns (sx, sy, rx, ry)."""
    sx, sy = shape(x), shape(y)
    rx, ry = broadcast_gradient_args(sx, sy)
    return sx, sy, rx, ry


def sum_to(grad, axes, shape_):
    """`grad` summed over the broadcast `axes`, reshaped to `shape_`: reshape(reduce_sum(grad, axes))."""
    return reshape(reduce_ops.reduce_sum(grad, axes), shape_)


__all__ = ["newaxis", "shape", "shape_n", "size", "rank", "reshape", "fill", "zeros", "ones", "zeros_like",
           "ones_like", "expand_dims", "squeeze", "transpose", "invert_permutation", "broadcast_gradient_args"]
