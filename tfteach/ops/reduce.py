"""Reductions (reduce_sum, reduce_mean, ...), argmax/argmin and the scans cumsum/cumprod.

Mirrors the reduction part of tensorflow/python/ops/math_ops.py and math_grad.py. `axis=None`
reduces everything; the old `keep_dims`, `reduction_indices` and `dimension` keywords work.
"""
import math

import numpy as np

from .. import dtypes as _dtypes
from ..graph import Tensor, convert_to_tensor, graph_of
from ..registry import (FRESH, NotDifferentiable, PURE, RegisterGradient, apply_op, kernel,
                        local_derivatives, shape_rule)
from .constant import constant
from .shapes import shape_of
from . import array as array_ops
from . import building as building_ops
from . import common
from . import compare as compare_ops
from . import control as control_flow_ops
from . import math as math_ops
from . import slicing as slicing_ops
from . import unary as unary_ops


def _axes(axis, rank):
    """Kernel helper: a reduction-axes array as a tuple of non-negative ints."""
    axes = np.asarray(axis).tolist()
    if type(axes) is not list:
        axes = [axes]
    if not axes:
        return ()
    low, high = (0, 1) if not rank else (-rank, rank)
    if min(axes) < low or max(axes) >= high:
        bad = next(a for a in axes if not low <= a < high)
        raise ValueError(f"Invalid reduction dimension {bad} for input with {rank} dimensions.")
    return tuple([a % rank for a in axes]) if rank else ()


def _reduction_shape(op):
    """Static shape of a reduction: the input shape without (or with 1 in) the reduced axes."""
    x, axis = op.inputs
    s = shape_of(x)
    keep = op.attrs.get("keep_dims", False)
    value = axis.op.attrs["value"] if axis.op.type == "Const" else None
    if s is None:
        return [None]
    if value is None:
        return [(None,) * len(s) if keep else None]
    axes = set()
    for a in np.asarray(value).reshape(-1):
        a = int(a)
        if not -len(s) <= a < max(len(s), 1):
            raise ValueError(f"Invalid reduction dimension {a} for input with {len(s)} dimensions. "
                             f"for '{op.name}' (op: '{op.type}') with input shapes: "
                             f"{list(s)}, {list(np.shape(value))}.")
        axes.add(a % len(s) if s else 0)
    if keep:
        return [tuple(1 if i in axes else d for i, d in enumerate(s))]
    return [tuple(d for i, d in enumerate(s) if i not in axes)]


def _numeric_reduction_shape(op):
    common.check_dtype(op, common.NUMBERS, "input")
    return _reduction_shape(op)


def _bool_reduction_shape(op):
    common.check_dtype(op, ("bool",), "input")
    return _reduction_shape(op)


def reduction_axes(x, axis):
    """TF1's _ReductionDims: `axis` as given (the op converts it, naming it
    '<op>/reduction_indices'), or, when None, every axis as a Const named 'Const'."""
    if isinstance(axis, int) or (isinstance(axis, (list, tuple))
                                 and all(isinstance(a, (int, np.integer)) for a in axis)):
        return np.asarray(axis, dtype=np.int32)  # as TF's attr Tidx: `[]` is int32, not float32
    if axis is not None:
        return axis
    rank = x.shape.ndims
    if rank is not None:
        return constant(np.arange(rank, dtype=np.int32), name="Const")
    return building_ops.range(0, array_ops.rank(x), 1)


def pick(new, old, new_name, old_name):
    """TF1's deprecated_argument_lookup: accept either spelling, not both."""
    if new is not None and old is not None:
        raise ValueError(f"Cannot specify both '{new_name}' and '{old_name}'")
    return new if new is not None else old


def reduction(op_type, x, axis, keepdims, keep_dims, reduction_indices, name):
    """Build a reduction op the way TF1's reduce_* functions do."""
    axis = pick(axis, reduction_indices, "axis", "reduction_indices")
    keepdims = bool(pick(keepdims, keep_dims, "keepdims", "keep_dims"))
    x = convert_to_tensor(x, name="input") if not isinstance(x, Tensor) else x
    out = apply_op(op_type, [x, reduction_axes(x, axis)], {"keep_dims": keepdims}, name=name,
                   dtypes=[x.dtype.base_dtype])
    return _may_reduce_to_scalar(keepdims, axis, out)


def _may_reduce_to_scalar(keepdims, axis, out):
    """Reducing every axis without keepdims gives a scalar, even when x's rank is unknown."""
    if axis is None and not keepdims:
        out.set_shape(())
    return out


# ---- shape arithmetic for the reduction gradients -------------------------------------
def reduced_shape(input_shape, axes):
    """TF1's math_ops.reduced_shape: `input_shape` with 1 at the reduced `axes`, as graph ops.

    Example: input_shape [2, 3, 5, 7], axes [1, 2] -> [2, 1, 1, 7]. Built with DynamicStitch,
    so it works when neither the shape nor the axes are known until run time.
    """
    input_shape = math_ops.cast(input_shape, _dtypes.int32)               # [2, 3, 5, 7]
    axes = math_ops.cast(axes, _dtypes.int32)                             # [1, 2]
    input_rank = array_ops.size(input_shape)                               # 4
    axes = (axes + input_rank) % input_rank                      # negative axes counted from the end
    axes_shape = array_ops.shape(axes)                               # [2]
    return slicing_ops.dynamic_stitch([building_ops.range(input_rank), axes],          # [0, 1, 2, 3], [1, 2]
                          [input_shape, array_ops.fill(axes_shape, 1)])  # [2, 3, 5, 7], [1, 1]


def safe_shape_div(x, y):
    """x // y for shapes (x, y >= 0), with 0 // 0 = 0: how often to tile a kept-dims gradient."""
    return x // compare_ops.maximum(y, 1)


# ---- Sum --------------------------------------------------------------------------
@kernel("Sum", {"pure", "pass_through", "new_array"}, inputs=("input", "reduction_indices"), same_dtype=False)
def _sum(x, axis, keep_dims=False):
    x = np.asarray(x)
    return np.add.reduce(x, axis=_axes(axis, x.ndim), keepdims=keep_dims, dtype=x.dtype)


shape_rule("Sum")(_numeric_reduction_shape)


local_derivatives("Sum", ("1", lambda a, z: 1.0))


@RegisterGradient("Sum")
def _sum_grad(op, grad):
    """d(sum x)/dx = 1 everywhere: the gradient is broadcast back to x's shape."""
    x_shape = op.inputs[0].shape.as_tuple()
    axes = op.inputs[1].op.attrs["value"] if op.inputs[1].op.type == "Const" else None
    if x_shape is not None and axes is not None and np.array_equal(axes, np.arange(len(x_shape))):
        # reducing every axis of a known rank: TF1's short form, Reshape then Tile
        grad = array_ops.reshape(grad, [1] * len(x_shape))
        if None not in x_shape:
            input_shape = constant(list(x_shape), dtype=_dtypes.int32)
        else:
            input_shape = array_ops.shape(op.inputs[0])
        return [building_ops.tile(grad, input_shape), None]
    input_shape = array_ops.shape(op.inputs[0])
    output_shape_kept_dims = reduced_shape(input_shape, op.inputs[1])
    tile_scaling = safe_shape_div(input_shape, output_shape_kept_dims)
    grad = array_ops.reshape(grad, output_shape_kept_dims)
    return [building_ops.tile(grad, tile_scaling), None]


def reduce_sum(input_tensor, axis=None, keepdims=None, name=None, reduction_indices=None,
               keep_dims=None):
    """Sum of elements across `axis` (all axes when None). Op type "Sum"."""
    return reduction("Sum", input_tensor, axis, keepdims, keep_dims, reduction_indices, name)



# ---- Mean -----------------------------------------------------------------------------
@kernel("Mean", FRESH, inputs=("input", "reduction_indices"), same_dtype=False)
def _mean(x, axis, keep_dims=False):
    x = np.asarray(x)
    axes = _axes(axis, x.ndim)
    total = np.add.reduce(x, axis=axes, keepdims=keep_dims, dtype=x.dtype)
    # the number of values averaged into each result
    count = x.size // np.size(total) if x.size else math.prod([x.shape[a] for a in axes])
    if x.dtype.kind in "iu":
        # TF divides with C++ integer division: the mean of ints truncates toward zero
        return (np.sign(total) * (np.abs(total) // max(count, 1))).astype(x.dtype)
    if count == 0:
        with np.errstate(invalid="ignore", divide="ignore"):  # an empty mean is nan, quietly
            return np.asarray(total / count, dtype=x.dtype)
    return np.asarray(total / count, dtype=x.dtype)


shape_rule("Mean")(_numeric_reduction_shape)


local_derivatives("Mean", ("1", lambda a, z: 1.0))


@RegisterGradient("Mean")
def _mean_grad(op, grad):
    """d(mean x)/dx = 1/n for each of the n elements averaged: the Sum gradient divided by n."""
    sum_grad = _sum_grad(op, grad)[0]
    input_shape = op.inputs[0].shape.as_tuple()
    output_shape = op.outputs[0].shape.as_tuple()
    if (input_shape is not None and output_shape is not None
            and None not in input_shape and None not in output_shape):
        factor = int(np.prod(input_shape)) // max(int(np.prod(output_shape)), 1)
        factor = constant(factor, dtype=sum_grad.dtype.base_dtype)
    else:
        factor = safe_shape_div(reduce_prod(array_ops.shape(op.inputs[0])), reduce_prod(array_ops.shape(op.outputs[0])))
    return [math_ops.truediv(sum_grad, math_ops.cast(factor, sum_grad.dtype.base_dtype)), None]


def reduce_mean(input_tensor, axis=None, keepdims=None, name=None, reduction_indices=None,
                keep_dims=None):
    """Mean of elements across `axis` (all axes when None). Op type "Mean".

    Keeps the dtype: the mean of int32 values is an int32, truncated ([1, 2] -> 1). Cast
    first for a fractional mean. The mean of no elements is nan.
    """
    return reduction("Mean", input_tensor, axis, keepdims, keep_dims, reduction_indices, name)


# ---- Max, Min -------------------------------------------------------------------------------
def _lowest(dtype):
    return -np.inf if dtype.kind == "f" else np.iinfo(dtype).min


def _highest(dtype):
    return np.inf if dtype.kind == "f" else np.iinfo(dtype).max


@kernel("Max", PURE, inputs=("input", "reduction_indices"), same_dtype=False)
def _max(x, axis, keep_dims=False):
    x = np.asarray(x)
    # `initial` makes the max of no elements the lowest value (-inf), where numpy would raise
    return np.max(x, axis=_axes(axis, x.ndim), keepdims=keep_dims, initial=_lowest(x.dtype))


@kernel("Min", PURE, inputs=("input", "reduction_indices"), same_dtype=False)
def _min(x, axis, keep_dims=False):
    x = np.asarray(x)
    return np.min(x, axis=_axes(axis, x.ndim), keepdims=keep_dims, initial=_highest(x.dtype))


shape_rule("Max")(_numeric_reduction_shape)
shape_rule("Min")(_numeric_reduction_shape)


def _min_or_max_grad(op, grad):
    """The gradient goes to the elements equal to the result, shared evenly among ties."""
    input_shape = array_ops.shape(op.inputs[0])
    output_shape_kept_dims = reduced_shape(input_shape, op.inputs[1])
    y = array_ops.reshape(op.outputs[0], output_shape_kept_dims)
    grad = array_ops.reshape(grad, output_shape_kept_dims)
    indicators = math_ops.cast(compare_ops.equal(y, op.inputs[0]), grad.dtype.base_dtype)
    num_selected = array_ops.reshape(reduce_sum(indicators, op.inputs[1]), output_shape_kept_dims)
    return [math_ops.div(indicators, num_selected) * grad, None]


@RegisterGradient("Max")
def _max_grad(op, grad):
    """d(max x)/dx = 1 at the maximum (1/k each for k tied maxima), 0 elsewhere."""
    return _min_or_max_grad(op, grad)


@RegisterGradient("Min")
def _min_grad(op, grad):
    """d(min x)/dx = 1 at the minimum (1/k each for k tied minima), 0 elsewhere."""
    return _min_or_max_grad(op, grad)


def reduce_max(input_tensor, axis=None, keepdims=None, name=None, reduction_indices=None,
               keep_dims=None):
    """Largest element across `axis` (all axes when None). Op type "Max". Empty: -inf (float)."""
    return reduction("Max", input_tensor, axis, keepdims, keep_dims, reduction_indices, name)


def reduce_min(input_tensor, axis=None, keepdims=None, name=None, reduction_indices=None,
               keep_dims=None):
    """Smallest element across `axis` (all axes when None). Op type "Min". Empty: +inf (float)."""
    return reduction("Min", input_tensor, axis, keepdims, keep_dims, reduction_indices, name)


# ---- Prod ------------------------------------------------------------------------------------
@kernel("Prod", PURE, inputs=("input", "reduction_indices"), same_dtype=False)
def _prod(x, axis, keep_dims=False):
    x = np.asarray(x)
    return np.prod(x, axis=_axes(axis, x.ndim), keepdims=keep_dims, dtype=x.dtype)


shape_rule("Prod")(_numeric_reduction_shape)


@RegisterGradient("Prod")
def _prod_grad(op, grad):
    """d(prod x)/dxi = the product of all the other elements, without dividing (zeros are fine).

    As TF1: move the reduced axes to the front, flatten to (reduced, other), and multiply an
    exclusive cumprod from the left by one from the right.
    """
    x = op.inputs[0]
    input_shape = array_ops.shape(x)
    reduction_indices = array_ops.reshape(op.inputs[1], [-1])  # a scalar axis becomes a list
    output_shape_kept_dims = reduced_shape(input_shape, op.inputs[1])
    tile_scaling = safe_shape_div(input_shape, output_shape_kept_dims)
    grad = building_ops.tile(array_ops.reshape(grad, output_shape_kept_dims), tile_scaling)
    x_rank = array_ops.rank(x)
    reduced = math_ops.cast((reduction_indices + x_rank) % x_rank, _dtypes.int32)
    idx = building_ops.range(0, x_rank)
    other, _ = slicing_ops.setdiff1d(idx, reduced)
    perm = building_ops.concat([reduced, other], 0)
    reduced_num = reduce_prod(slicing_ops.gather(input_shape, reduced))
    other_num = reduce_prod(slicing_ops.gather(input_shape, other))
    permuted = array_ops.transpose(x, perm)
    permuted_shape = array_ops.shape(permuted)
    reshaped = array_ops.reshape(permuted, building_ops.stack([reduced_num, other_num]))
    left = cumprod(reshaped, axis=0, exclusive=True)
    right = cumprod(reshaped, axis=0, exclusive=True, reverse=True)
    y = array_ops.reshape(left * right, permuted_shape)
    out = grad * array_ops.transpose(y, array_ops.invert_permutation(perm))
    return [array_ops.reshape(out, input_shape), None]


def reduce_prod(input_tensor, axis=None, keepdims=None, name=None, reduction_indices=None,
                keep_dims=None):
    """Product of elements across `axis` (all axes when None). Op type "Prod". Empty: 1."""
    return reduction("Prod", input_tensor, axis, keepdims, keep_dims, reduction_indices, name)


# ---- Any, All ---------------------------------------------------------------------------------
@kernel("Any", PURE, inputs=("input", "reduction_indices"), same_dtype=False)
def _any(x, axis, keep_dims=False):
    x = np.asarray(x)
    return np.any(x, axis=_axes(axis, x.ndim), keepdims=keep_dims)


@kernel("All", PURE, inputs=("input", "reduction_indices"), same_dtype=False)
def _all(x, axis, keep_dims=False):
    x = np.asarray(x)
    return np.all(x, axis=_axes(axis, x.ndim), keepdims=keep_dims)


shape_rule("Any")(_bool_reduction_shape)
shape_rule("All")(_bool_reduction_shape)
NotDifferentiable("Any")
NotDifferentiable("All")


def reduce_any(input_tensor, axis=None, keepdims=None, name=None, reduction_indices=None,
               keep_dims=None):
    """Logical OR of a bool tensor across `axis` (all axes when None). Op type "Any"."""
    return reduction("Any", input_tensor, axis, keepdims, keep_dims, reduction_indices, name)


def reduce_all(input_tensor, axis=None, keepdims=None, name=None, reduction_indices=None,
               keep_dims=None):
    """Logical AND of a bool tensor across `axis` (all axes when None). Op type "All"."""
    return reduction("All", input_tensor, axis, keepdims, keep_dims, reduction_indices, name)


# ---- ArgMax, ArgMin ----------------------------------------------------------------------------
def _one_axis(axis, rank):
    (a,) = _axes(axis, rank) or (None,)
    if a is None:
        raise ValueError("Expected a dimension of a tensor of rank >= 1, got a scalar.")
    return a


@kernel("ArgMax", PURE, inputs=("input", "dimension"), same_dtype=False)
def _argmax(x, axis, output_type):
    x = np.asarray(x)
    return np.argmax(x, axis=_one_axis(axis, x.ndim)).astype(output_type.np)  # first of ties


@kernel("ArgMin", PURE, inputs=("input", "dimension"), same_dtype=False)
def _argmin(x, axis, output_type):
    x = np.asarray(x)
    return np.argmin(x, axis=_one_axis(axis, x.ndim)).astype(output_type.np)


@shape_rule("ArgMax")
def _arg_shape(op):
    """The input shape without the searched dimension."""
    common.check_dtype(op, common.NUMBERS, "input")
    x, axis = op.inputs
    s = shape_of(x)
    value = axis.op.attrs["value"] if axis.op.type == "Const" else None
    if s is None:
        return [None]
    if value is None:
        return [(None,) * max(len(s) - 1, 0)]
    a = int(np.asarray(value).reshape(-1)[0])
    if not -len(s) <= a < len(s):
        raise ValueError(f"Expected dimension in the range [{-len(s)}, {len(s)}), but got {a} for "
                         f"'{op.name}' (op: '{op.type}') with input shapes: {list(s)}, [].")
    a %= len(s)
    return [s[:a] + s[a + 1:]]


shape_rule("ArgMin")(_arg_shape)
NotDifferentiable("ArgMax")
NotDifferentiable("ArgMin")


def argmax(input, axis=None, name=None, dimension=None, output_type=_dtypes.int64):  # noqa: A002
    """Index of the largest value along `axis` (default 0; first index on ties). Op "ArgMax".

    Returns int64 unless `output_type` says otherwise. `dimension` is the old name of `axis`.
    Example: tf.argmax([[1, 5, 3], [7, 2, 7]], 1) -> [1, 0].
    """
    return _arg_op("ArgMax", input, axis, dimension, output_type, name)


def argmin(input, axis=None, name=None, dimension=None, output_type=_dtypes.int64):  # noqa: A002
    """Index of the smallest value along `axis` (default 0; first index on ties). Op "ArgMin"."""
    return _arg_op("ArgMin", input, axis, dimension, output_type, name)


def _arg_op(op_type, x, axis, dimension, output_type, name):
    axis = pick(axis, dimension, "axis", "dimension")
    output_type = _dtypes.as_dtype(output_type).base_dtype
    return apply_op(op_type, [x, 0 if axis is None else axis], {"output_type": output_type}, name=name,
                    dtypes=[output_type])


# ---- Cumsum, Cumprod ----------------------------------------------------------------------------
def _scan(ufunc, x, axis, exclusive, reverse):
    """Running sums or products along one axis, optionally right-to-left or leaving out x itself."""
    x = np.asarray(x)
    axis = _one_axis(axis, x.ndim)
    if reverse:
        x = np.flip(x, axis)
    out = ufunc.accumulate(x, axis=axis, dtype=x.dtype)
    if exclusive and x.shape[axis]:
        out = np.roll(out, 1, axis=axis)
        first = [slice(None)] * x.ndim
        first[axis] = 0
        out[tuple(first)] = ufunc.identity  # 0 for a sum, 1 for a product
    return np.flip(out, axis) if reverse else out


@kernel("Cumsum", PURE, inputs=("x", "axis"), same_dtype=False)
def _cumsum(x, axis, exclusive=False, reverse=False):
    return _scan(np.add, x, axis, exclusive, reverse)


@kernel("Cumprod", PURE, inputs=("x", "axis"), same_dtype=False)
def _cumprod(x, axis, exclusive=False, reverse=False):
    return _scan(np.multiply, x, axis, exclusive, reverse)


@shape_rule("Cumsum")
def _scan_shape(op):
    common.check_dtype(op, common.NUMBERS)
    return [op.inputs[0].shape]


shape_rule("Cumprod")(_scan_shape)


@RegisterGradient("Cumsum")
def _cumsum_grad(op, grad):
    """Each x[i] appears in the sums at and after i: the gradient is a cumsum the other way."""
    exclusive, reverse = op.attrs["exclusive"], op.attrs["reverse"]
    return [cumsum(grad, op.inputs[1], exclusive=exclusive, reverse=not reverse), None]


@RegisterGradient("Cumprod")
def _cumprod_grad(op, grad):
    """d(cumprod x)_j/dx_i = prod_j / x_i for j at or after i: a reversed cumsum, divided by x."""
    x, axis = op.inputs
    exclusive, reverse = op.attrs["exclusive"], op.attrs["reverse"]
    prod = cumprod(x, axis, exclusive=exclusive, reverse=reverse)
    out = cumsum(prod * grad, axis, exclusive=exclusive, reverse=not reverse)
    return [out / x, None]


def cumsum(x, axis=0, exclusive=False, reverse=False, name=None):
    """Running sum along `axis`. Op type "Cumsum".

    Example: cumsum([a, b, c]) -> [a, a+b, a+b+c]; exclusive=True -> [0, a, a+b];
    reverse=True -> [a+b+c, b+c, c].
    """
    return _scan_op("Cumsum", x, axis, exclusive, reverse, name)


def cumprod(x, axis=0, exclusive=False, reverse=False, name=None):
    """Running product along `axis`. Op type "Cumprod". exclusive=True starts from 1."""
    return _scan_op("Cumprod", x, axis, exclusive, reverse, name)


def _scan_op(op_type, x, axis, exclusive, reverse, name):
    with graph_of([x]).name_scope(name or op_type) as scope:
        x = convert_to_tensor(x, name="x")
        return apply_op(op_type, [x, axis], {"exclusive": bool(exclusive), "reverse": bool(reverse)},
                        name=scope)


# ---- built from other ops: reduce_logsumexp, count_nonzero --------------------------------------
def reduce_logsumexp(input_tensor, axis=None, keepdims=None, name=None, reduction_indices=None,
                     keep_dims=None):
    """log(sum(exp(x))) across `axis`, computed stably by subtracting the max first.

    Built from other ops under the name scope 'ReduceLogSumExp', as TF1 does. Example:
    reduce_logsumexp([1000., 1000.]) -> 1000.6931 where the naive formula overflows.
    """
    axis = pick(axis, reduction_indices, "axis", "reduction_indices")
    keepdims = bool(pick(keepdims, keep_dims, "keepdims", "keep_dims"))
    x = convert_to_tensor(input_tensor)
    with graph_of([x]).name_scope(name or "ReduceLogSumExp"):
        raw_max = reduce_max(x, axis=axis, keepdims=True)
        # an infinite max would give inf - inf = nan below: shift by 0 there instead
        my_max = control_flow_ops.stop_gradient(
            compare_ops.where(unary_ops.is_finite(raw_max), raw_max, array_ops.zeros_like(raw_max)))
        result = unary_ops.log(reduce_sum(unary_ops.exp(math_ops.subtract(x, my_max)), axis, keepdims=keepdims))
        if not keepdims:
            my_max = array_ops.reshape(my_max, array_ops.shape(result))
        return _may_reduce_to_scalar(keepdims, axis, math_ops.add(result, my_max))  # TF1: 'ReduceLogSumExp/Add'


def count_nonzero(input_tensor, axis=None, keepdims=None, dtype=_dtypes.int64, name=None,
                  reduction_indices=None, keep_dims=None):
    """How many elements are not zero (not False) across `axis`, as int64 by default."""
    axis = pick(axis, reduction_indices, "axis", "reduction_indices")
    keepdims = bool(pick(keepdims, keep_dims, "keepdims", "keep_dims"))
    with graph_of([input_tensor]).name_scope(name or "count_nonzero"):
        x = convert_to_tensor(input_tensor, name="input_tensor")
        zero = constant(np.zeros((), dtype=x.dtype.np), name="zeros")  # not_equal broadcasts it
        nonzero = math_ops.cast(compare_ops.not_equal(x, zero), _dtypes.int64)
        return math_ops.cast(reduce_sum(nonzero, axis=axis, keepdims=keepdims), dtype)


__all__ = ["reduce_sum", "reduce_mean", "reduce_max", "reduce_min", "reduce_prod", "reduce_any",
           "reduce_all", "argmax", "argmin", "cumsum", "cumprod", "reduce_logsumexp", "count_nonzero"]
