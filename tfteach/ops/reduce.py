"""Reductions: reduce_sum, reduce_mean, ... over any axes, with keepdims.

Mirrors the reduction part of tensorflow/python/ops/math_ops.py. `axis=None` reduces
everything; the old `keep_dims` and `reduction_indices` keywords still work.
"""
import numpy as np

from .. import dtypes as _dtypes
from ..graph import Tensor, convert_to_tensor
from ..registry import RegisterGradient, apply_op, kernel, shape_rule
from .constant import constant
from .shapes import shape_of


def _axes(axis, rank):
    """Kernel helper: a reduction-axes array as a tuple of non-negative ints."""
    axes = np.asarray(axis).reshape(-1)
    for a in axes:
        if not -rank <= a < max(rank, 1):
            raise ValueError(f"Invalid reduction dimension {int(a)} for input with {rank} dimensions.")
    return tuple(int(a) % rank for a in axes) if rank else ()


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


def reduction_axes(x, axis):
    """TF1's _ReductionDims: `axis` as given (the op converts it, naming it
    '<op>/reduction_indices'), or, when None, every axis as a Const named 'Const'."""
    if axis is not None:
        return axis
    rank = x.shape.ndims
    if rank is not None:
        return constant(np.arange(rank, dtype=np.int32), name="Const")
    from .array import range as range_op, rank as rank_op  # unknown rank: computed at run time
    return range_op(0, rank_op(x), 1)


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
    return apply_op(op_type, [x, reduction_axes(x, axis)], {"keep_dims": keepdims}, name=name,
                    dtypes=[x.dtype.base_dtype])


# ---- Sum --------------------------------------------------------------------------
@kernel("Sum", inputs=("input", "reduction_indices"), same_dtype=False)
def _sum(x, axis, keep_dims=False):
    x = np.asarray(x)
    return np.sum(x, axis=_axes(axis, x.ndim), keepdims=keep_dims, dtype=x.dtype)


shape_rule("Sum")(_reduction_shape)


@RegisterGradient("Sum")
def _sum_grad(op, grad):
    """d(sum x)/dx = 1 everywhere: the gradient is broadcast back to x's shape."""
    from .array import reshape, shape, tile
    x_shape = op.inputs[0].shape.as_tuple()
    axes = op.inputs[1].op.attrs["value"] if op.inputs[1].op.type == "Const" else None
    if x_shape is not None and axes is not None and np.array_equal(axes, np.arange(len(x_shape))):
        # reducing every axis of a known rank: TF1's short form, Reshape then Tile
        grad = reshape(grad, [1] * len(x_shape))
        if None not in x_shape:
            input_shape = constant(list(x_shape), dtype=_dtypes.int32)
        else:
            input_shape = shape(op.inputs[0])
        return [tile(grad, input_shape), None]
    from .math import reduced_shape, safe_shape_div
    input_shape = shape(op.inputs[0])
    output_shape_kept_dims = reduced_shape(input_shape, op.inputs[1])
    tile_scaling = safe_shape_div(input_shape, output_shape_kept_dims)
    grad = reshape(grad, output_shape_kept_dims)
    return [tile(grad, tile_scaling), None]


def reduce_sum(input_tensor, axis=None, keepdims=None, name=None, reduction_indices=None,
               keep_dims=None):
    """Sum of elements across `axis` (all axes when None). Op type "Sum"."""
    return reduction("Sum", input_tensor, axis, keepdims, keep_dims, reduction_indices, name)


__all__ = ["reduce_sum"]
