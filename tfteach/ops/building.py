"""Ops that build bigger tensors: concat, stack, tile, broadcast_to, pad, range, linspace, one_hot.

Mirrors the joining and generating part of tensorflow/python/ops/array_ops.py (and math_ops'
range/linspace), with their gradients from array_grad.py. Helpers come from array.py.
"""
import builtins

import numpy as np

from .. import dtypes as _dtypes
from ..graph import convert_to_tensor
from ..limits import check_allocation
from ..registry import NotDifferentiable, PURE, RegisterGradient, apply_op, kernel, shape_rule
from ..tensor_shape import TensorShape
from . import array as array_ops
from .shapes import fmt, shape_of
from . import control as control_flow_ops
from . import math as math_ops
from . import reduce as reduce_ops
from . import slicing as slicing_ops

_py_range = builtins.range  # this module defines tf.range


# ---- ConcatV2 / ConcatOffset ------------------------------------------------------------------
@kernel("ConcatV2", {"pure", "build_time"}, inputs=("values", "axis"), same_dtype=False)
def _concat(*args, N=None, Tidx=None):  # noqa: N803
    values, axis = args[:-1], int(args[-1])
    r = np.ndim(values[0])
    if not -r <= axis < r:
        raise ValueError(f"ConcatOp : Expected concatenating dimensions in the range [{-r}, {r}), "
                         f"but got {axis}")
    others = [[d for k, d in enumerate(np.shape(v)) if k != axis % r] for v in values]  # all but axis
    for i, v in enumerate(values[1:], 1):
        if np.ndim(v) != r or others[i] != others[0]:
            raise ValueError(f"ConcatOp : Dimensions of inputs should match: shape[0] = "
                             f"{fmt(values[0].shape)} vs. shape[{i}] = {fmt(v.shape)}")
    return np.concatenate(values, axis=axis)


@shape_rule("ConcatV2")
def _concat_shape(op):
    shapes, axis = [shape_of(t) for t in op.inputs[:-1]], array_ops._const_value(op.inputs[-1])
    known = [s for s in shapes if s is not None]
    if not known:
        return [None]
    r = len(known[0])
    for s in known:
        if len(s) != r:
            raise array_ops._shape_error(op, f"Shape must be rank {r} but is rank {len(s)}")
    if axis is None:
        return [(None,) * r]
    a = array_ops._axis(int(axis), r, op, "concatenating dimensions")
    out = list(known[0])
    for s in known[1:]:
        for i in _py_range(r):
            if i != a and None not in (out[i], s[i]) and out[i] != s[i]:
                raise array_ops._shape_error(op, f"Dimension {i} in both shapes must be equal, but are {out[i]} and "
                                       f"{s[i]}. Shapes are {fmt(known[0])} and {fmt(s)}.")
            if i != a and out[i] is None:
                out[i] = s[i]
    along = [None if s is None else s[a] for s in shapes]
    out[a] = None if None in along else sum(along)
    return [tuple(out)]


@RegisterGradient("ConcatV2")
def _concat_grad(op, grad):
    """Each input gets its own slice of the gradient, cut at the offsets ConcatOffset gives."""
    values, axis = op.inputs[:-1], op.inputs[-1]
    if len(values) == 1:
        return [grad, None]
    sizes = []
    for x in values:  # TF1: constant shapes when all are static, else one ShapeN
        sizes.append(array_ops.shape(x))
        if sizes[-1].op.type != "Const":
            sizes = array_ops.shape_n(values)
            break
    offsets = concat_offset(axis, sizes)
    return [slicing_ops.slice(grad, begin, size) for begin, size in zip(offsets, sizes)] + [None]


def concat(values, axis, name="concat"):
    """The tensors in `values` joined along dimension `axis`. Op type "ConcatV2".

    Example: `tf.concat([a, b], 0)` stacks rows of a (2, 3) and a (1, 3) into a (3, 3).
    """
    if not isinstance(values, (list, tuple)):
        values = [values]
    with array_ops._scope(name or "concat", list(values) + [axis]) as scope:
        if len(values) == 1:  # TF1: no ConcatV2 for one tensor, just a check of axis and an Identity
            axis_t = array_ops._int_tensor(axis, "concat_dim")
            if axis_t.shape.ndims not in (None, 0):
                raise ValueError(f"Shape {axis_t.shape} must have rank 0")
            return control_flow_ops.identity(values[0], name=name or "concat")
        dtype = next((convert_to_tensor(v).dtype.base_dtype for v in values if array_ops._is_tensor(v)), None)
        values = [convert_to_tensor(v) if array_ops._is_tensor(v)
                  else array_ops._to_tensor(v, dtype=dtype, name=f"values_{i}")
                  for i, v in enumerate(values)]
        dtype = values[0].dtype.base_dtype
        for v in values:
            if v.dtype.base_dtype != dtype:
                kinds = ", ".join(t.dtype.base_dtype.name for t in values)
                raise TypeError(f"Tensors in list passed to 'values' of 'ConcatV2' Op have types [{kinds}] "
                                f"that don't all match.")
        return apply_op("ConcatV2", values + [array_ops._int_tensor(axis, "axis")], {"N": len(values)}, name=scope,
                        dtypes=[dtype])


@kernel("ConcatOffset", PURE, inputs=("concat_dim", "shape"))
def _concat_offset(concat_dim, *shapes, N=None):  # noqa: N803
    # Unlike TF's kernel this takes a negative axis too, so the gradient needs no FloorMod.
    axis = int(concat_dim) % len(shapes[0])
    offsets, at = [], 0
    for s in shapes:
        offset = np.zeros_like(s)
        offset[axis] = at
        at += s[axis]
        offsets.append(offset)
    return offsets


@shape_rule("ConcatOffset")
def _concat_offset_shape(op):
    return [t.shape for t in op.inputs[1:]]


NotDifferentiable("ConcatOffset")


def concat_offset(concat_dim, shape, name=None):  # noqa: A002
    """Where each of the `shape`s starts in their concatenation along `concat_dim`."""
    return apply_op("ConcatOffset", [concat_dim] + list(shape), {"N": len(shape)}, name=name,
                    dtypes=[shape[0].dtype.base_dtype] * len(shape), num_outputs=len(shape))


# ---- Pack (stack) / Unpack (unstack) ----------------------------------------------------------
@kernel("Pack", {"pure", "build_time"}, inputs=("values",))
def _pack(*values, axis=0, N=None):  # noqa: N803
    for i, v in enumerate(values[1:], 1):
        if np.shape(v) != np.shape(values[0]):
            raise ValueError(f"Shapes of all inputs must match: values[0].shape = {fmt(np.shape(values[0]))} "
                             f"!= values[{i}].shape = {fmt(np.shape(v))}")
    return np.stack(values, axis=axis)


@shape_rule("Pack")
def _pack_shape(op):
    merged = TensorShape(None)
    for t in op.inputs:
        if merged.ndims is not None and t.shape.ndims is not None and merged.ndims != t.shape.ndims:
            raise array_ops._shape_error(op, f"Shapes must be equal rank, but are {merged.ndims} and {t.shape.ndims}")
        if not merged.is_compatible_with(t.shape):
            raise array_ops._shape_error(op, f"Shapes {fmt(merged.as_tuple())} and {fmt(shape_of(t))} are not "
                                   f"compatible")
        merged = merged.merge_with(t.shape)
    s = merged.as_tuple()
    if s is None:
        return [None]
    axis = array_ops._axis(op.attrs["axis"], len(s) + 1, op)
    return [s[:axis] + (len(op.inputs),) + s[axis:]]


@RegisterGradient("Pack")
def _pack_grad(op, grad):
    """Each stacked tensor gets its slice of the gradient back: unstack along the same axis."""
    return unstack(grad, num=op.attrs["N"], axis=op.attrs["axis"])


def stack(values, axis=0, name="stack"):
    """The rank-R tensors in `values` joined into one rank-(R+1) tensor along a new `axis`.

    Example: `tf.stack([a, b])` for two (3,) tensors is (2, 3); with `axis=1` it is (3, 2).
    A list of plain numbers becomes a single Const, as in TF1.
    """
    if axis == 0:
        return array_ops._autopack(list(values), name)
    first = values[0] if array_ops._is_tensor(values[0]) else array_ops._to_tensor(values[0], name=name)
    s = shape_of(first)
    if s is not None and not -len(s) - 1 <= axis < len(s) + 1:
        raise ValueError(f"axis = {axis} not in [{-len(s) - 1}, {len(s) + 1})")
    with array_ops._scope(name or "stack", values) as scope:
        dtype = next((convert_to_tensor(v).dtype.base_dtype for v in values if array_ops._is_tensor(v)), None)
        values = [v if array_ops._is_tensor(v) else array_ops._to_tensor(v, dtype=dtype, name=f"values_{i}")
                  for i, v in enumerate(values)]
        return apply_op("Pack", values, {"axis": axis, "N": len(values)}, name=scope)


@kernel("Unpack", PURE, inputs=("value",))
def _unpack(x, num, axis=0):
    if x.shape[axis] != num:
        raise ValueError(f"Input shape axis {axis} must equal {num}, got shape {fmt(x.shape)}")
    return [np.array(v) for v in np.moveaxis(x, axis, 0)]


@shape_rule("Unpack")
def _unpack_shape(op):
    s, num = shape_of(op.inputs[0]), op.attrs["num"]
    if s is None:
        return [None] * num
    axis = array_ops._axis(op.attrs["axis"], len(s), op)
    if s[axis] is not None and s[axis] != num:
        raise array_ops._shape_error(op, f"Dimension must be {num} but is {s[axis]}")
    return [s[:axis] + s[axis + 1:]] * num


@RegisterGradient("Unpack")
def _unpack_grad(op, *grads):
    """The pieces' gradients stacked back together along the unstacked axis."""
    return [stack(list(grads), axis=op.attrs["axis"])]


def unstack(value, num=None, axis=0, name="unstack"):
    """The slices of `value` along `axis` as a list of `num` tensors (num from the static shape)."""
    value = convert_to_tensor(value)
    s = shape_of(value)
    if s is not None and not -len(s) <= axis < max(len(s), 1):
        raise ValueError(f"axis = {axis} not in [{-len(s)}, {len(s)})")
    if num is None:
        num = None if s is None else s[axis]
        if num is None:
            raise ValueError(f"Cannot infer num from shape {value.shape}")
    dtype = value.dtype.base_dtype
    return apply_op("Unpack", [value], {"num": num, "axis": axis}, name=name, dtypes=[dtype] * num,
                    num_outputs=num)


# ---- Tile / BroadcastTo ----------------------------------------------------------------------
@kernel("Tile", PURE, inputs=("input", "multiples"), same_dtype=False)
def _tile(x, multiples):
    if len(multiples) != x.ndim:
        raise ValueError(f"Expected multiples argument to be a vector of length {x.ndim} but got length "
                         f"{len(multiples)}")
    multiples = tuple(int(m) for m in multiples)
    check_allocation([d * m for d, m in zip(x.shape, multiples)], x.dtype)
    return np.tile(x, multiples)


@shape_rule("Tile")
def _tile_shape(op):
    s, m = shape_of(op.inputs[0]), array_ops._partial_values(op.inputs[1])
    if s is None:
        return [None if m is None else (None,) * len(m)]
    if m is None:
        return [(None,) * len(s)]
    if len(m) != len(s):
        raise array_ops._shape_error(op, f"Shape must be rank {len(s)} but is rank {len(m)}")
    return [tuple(None if d is None or k is None else d * k for d, k in zip(s, m))]


@RegisterGradient("Tile")
def _tile_grad(op, grad):
    """Each input element appears once per tile: sum the gradient over the tiles.

    Reshape grad to (m0, d0, m1, d1, ...) and reduce over the even axes (the tiles).
    """
    multiples = op.inputs[1]
    input_shape = array_ops.shape(op.inputs[0], out_type=multiples.dtype)
    split_shape = array_ops.reshape(array_ops.transpose(stack([multiples, input_shape])), [-1])
    axes = range(0, array_ops.size(split_shape), 2)
    input_grad = reduce_ops.reduce_sum(array_ops.reshape(grad, split_shape), axes)
    input_grad.set_shape(op.inputs[0].shape)
    return [input_grad, None]


def tile(input, multiples, name=None):  # noqa: A002
    """`input` repeated `multiples[i]` times along axis i. Op type "Tile"."""
    with array_ops._scope(name or "Tile", [input, multiples]) as scope:
        x = convert_to_tensor(input, name="input")
        return apply_op("Tile", [x, array_ops._int_tensor(multiples, "multiples")], name=scope)


@kernel("BroadcastTo", PURE, inputs=("input", "shape"), same_dtype=False)
def _broadcast_to(x, shape, Tidx=None):  # noqa: A002,N803
    shape = tuple(int(d) for d in shape)
    check_allocation(shape, x.dtype)
    return np.array(np.broadcast_to(x, shape))


@shape_rule("BroadcastTo")
def _broadcast_to_shape(op):
    s, target = shape_of(op.inputs[0]), array_ops._partial_shape(op.inputs[1])
    if s is None or target is None:
        return [target]
    padded = (1,) * (len(target) - len(s)) + s
    if len(s) > len(target) or any(d not in (None, 1) and t not in (None, d) for d, t in zip(padded, target)):
        raise array_ops._shape_error(op, f"Unable to broadcast tensor of shape {fmt(s)} to tensor of shape "
                               f"{fmt(target)}")
    # where the target is unknown but the input's dimension is not 1, the two must be equal
    return [tuple(d if t is None and d != 1 else t for d, t in zip(padded, target))]


@RegisterGradient("BroadcastTo")
def _broadcast_to_grad(op, grad):
    """Broadcast copies values: sum the gradient over the broadcast axes, as for Add."""
    input_shape = array_ops.shape(op.inputs[0])
    _, axes = array_ops.broadcast_gradient_args(op.inputs[1], input_shape)
    return [array_ops.reshape(reduce_ops.reduce_sum(grad, axes, keepdims=True), input_shape), None]


def broadcast_to(input, shape, name=None):  # noqa: A002
    """`input` broadcast (numpy rules) to `shape`. Op type "BroadcastTo"."""
    with array_ops._scope(name or "BroadcastTo", [input, shape]) as scope:
        x = convert_to_tensor(input, name="input")
        return apply_op("BroadcastTo", [x, array_ops._int_tensor(shape, "shape")], name=scope)


# ---- Pad / PadV2 / MirrorPad / MirrorPadGrad ------------------------------------------------------
def _paddings(x, paddings, mode=None):
    """Kernel helper: `paddings` as [(before, after)] per axis, with TF's checks."""
    p = np.asarray(paddings).astype(np.int64).reshape(-1, 2) if np.size(paddings) else np.zeros((0, 2), int)
    if p.shape[0] != x.ndim:
        raise ValueError(f"The first dimension of paddings must be the rank of inputs"
                         f"{fmt(np.shape(paddings))} {fmt(x.shape)}")
    if (p < 0).any():
        raise ValueError(f"Paddings must be non-negative: {p.tolist()}")
    for (before, after), dim in zip(p, x.shape):
        if mode == "REFLECT" and max(before, after) >= dim:  # the edge is not copied: one value fewer
            raise ValueError(f"paddings must be less than the dimension size: {before}, {after} not less "
                             f"than {dim}")
        if mode == "SYMMETRIC" and max(before, after) > dim:
            raise ValueError(f"paddings must be no greater than the dimension size: {before}, {after} "
                             f"greater than {dim}")
    return [(int(b), int(a)) for b, a in p]


@kernel("Pad", PURE, inputs=("input", "paddings"), same_dtype=False)
def _pad(x, paddings, Tpaddings=None):  # noqa: N803
    return np.pad(x, _paddings(x, paddings)) if x.ndim else x.copy()


@kernel("PadV2", PURE, inputs=("input", "paddings", "constant_values"), same_dtype=False)
def _pad_v2(x, paddings, constant_values, Tpaddings=None):  # noqa: N803
    return np.pad(x, _paddings(x, paddings), constant_values=constant_values) if x.ndim else x.copy()


@kernel("MirrorPad", PURE, inputs=("input", "paddings"), same_dtype=False)
def _mirror_pad(x, paddings, mode, Tpaddings=None):  # noqa: N803
    # numpy's 'reflect' and 'symmetric' are TF's REFLECT and SYMMETRIC
    return np.pad(x, _paddings(x, paddings, mode), mode=mode.lower()) if x.ndim else x.copy()


@kernel("MirrorPadGrad", PURE, inputs=("input", "paddings"), same_dtype=False)
def _mirror_pad_grad(grad, paddings, mode, Tpaddings=None):  # noqa: N803
    """Fold the gradient of each mirrored copy back onto the value it copied, axis by axis."""
    shift = 1 if mode == "REFLECT" else 0  # REFLECT mirrors around the edge value, SYMMETRIC after it
    out = grad
    for axis, (before, after) in enumerate(np.asarray(paddings).astype(int).reshape(-1, 2)):
        g = np.moveaxis(out, axis, 0)
        n = g.shape[0] - before - after
        core = g[before:before + n].copy()
        for j in _py_range(before):
            core[j + shift] += g[before - 1 - j]
        for j in _py_range(after):
            core[n - 1 - shift - j] += g[before + n + j]
        out = np.moveaxis(core, 0, axis)
    return out


def _pad_shape(op, sign=1):
    s, p = shape_of(op.inputs[0]), array_ops._const_value(op.inputs[1])
    if p is None:
        n = shape_of(op.inputs[1])
        n = len(s) if s is not None else None if n is None else n[0]
        return [None if n is None else (None,) * n]
    p = np.reshape(p, (-1, 2))
    if s is not None and len(s) != p.shape[0]:
        raise array_ops._shape_error(op, f"Shape must be rank {p.shape[0]} but is rank {len(s)}")
    if (p < 0).any():
        raise array_ops._shape_error(op, f"Paddings must be non-negative: {p.tolist()}")
    s = (None,) * p.shape[0] if s is None else s
    return [tuple(None if d is None else d + sign * int(b + a) for d, (b, a) in zip(s, p))]


for _op_type in ("Pad", "PadV2", "MirrorPad"):
    shape_rule(_op_type)(_pad_shape)
shape_rule("MirrorPadGrad")(lambda op: _pad_shape(op, sign=-1))


@RegisterGradient("Pad")
@RegisterGradient("PadV2")
def _pad_grad(op, grad):
    """The padding is constant: slice the input's own part back out of the gradient."""
    x, a = op.inputs[0], op.inputs[1]
    pad_before = slicing_ops.slice(a, [0, 0], stack([array_ops.rank(x), 1]))  # column 0 of paddings, shape [rank, 1]
    begin = array_ops.reshape(pad_before, [-1])
    x_grad = slicing_ops.slice(grad, begin, array_ops.shape(x, out_type=begin.dtype))
    return [x_grad] + [None] * (len(op.inputs) - 1)


@RegisterGradient("MirrorPad")
def _mirror_pad_grad_rule(op, grad):
    """Mirrored copies send their gradient back to the values they copy (MirrorPadGrad folds them)."""
    return [apply_op("MirrorPadGrad", [grad, op.inputs[1]], {"mode": op.attrs["mode"]}), None]


@RegisterGradient("MirrorPadGrad")
def _mirror_pad_grad_grad(op, grad):
    """MirrorPadGrad is linear; its adjoint is MirrorPad itself."""
    return [apply_op("MirrorPad", [grad, op.inputs[1]], {"mode": op.attrs["mode"]}), None]


def pad(tensor, paddings, mode="CONSTANT", name=None, constant_values=0):  # noqa: A002
    """`tensor` with paddings[i] = [before, after] values added around axis i.

    mode "CONSTANT" pads with `constant_values` (op Pad, or PadV2 when not 0); "REFLECT"
    mirrors without the edge and "SYMMETRIC" with it (op MirrorPad). Example:
    `tf.pad([[1, 2]], [[0, 0], [1, 1]])` is [[0, 1, 2, 0]].
    """
    mode = mode.upper()
    attrs = {}
    if mode == "CONSTANT":
        plain = not array_ops._is_tensor(constant_values) and np.all(np.asarray(constant_values) == 0)
        op_type = "Pad" if plain else "PadV2"
    elif mode in ("REFLECT", "SYMMETRIC"):
        op_type, attrs = "MirrorPad", {"mode": mode}
    else:
        raise ValueError(f"Unknown padding mode: {mode}")
    with array_ops._scope(name or op_type, [tensor, paddings]) as scope:
        x = convert_to_tensor(tensor, name="input")
        inputs = [x, array_ops._int_tensor(paddings, "paddings")]
        if op_type == "PadV2":
            value = convert_to_tensor(constant_values, dtype=x.dtype.base_dtype, name="constant_values")
            inputs.append(value)
        return apply_op(op_type, inputs, attrs, name=scope)


# ---- Range / LinSpace / OneHot ----------------------------------------------------------------
@kernel("Range", PURE, inputs=("start", "limit", "delta"))
def _range(start, limit, delta, Tidx=None):  # noqa: N803
    n = _range_size(start, limit, delta)
    steps = np.full(n, delta, dtype=np.asarray(start).dtype)
    if n:
        steps[0] = start
    return np.cumsum(steps, dtype=steps.dtype)  # TF adds delta step by step, so do we


def _range_size(start, limit, delta):
    """How many numbers Range gives, after TF's checks of the arguments."""
    if delta == 0:
        raise ValueError(f"Requires delta != 0: {delta}")
    if (delta > 0 and start > limit) or (delta < 0 and start < limit):
        sign = "start <= limit when delta > 0" if delta > 0 else "start >= limit when delta < 0"
        raise ValueError(f"Requires {sign}: {start}/{limit}")
    if np.asarray(start).dtype.kind in "iu":
        return int((abs(int(limit) - int(start)) + abs(int(delta)) - 1) // abs(int(delta)))
    return int(np.ceil(abs((float(limit) - float(start)) / float(delta))))


@shape_rule("Range")
def _range_shape(op):
    values = [array_ops._const_value(t) for t in op.inputs]
    if any(v is None for v in values):
        return [(None,)]
    try:
        return [(_range_size(*values),)]
    except ValueError as e:
        raise array_ops._shape_error(op, str(e)) from None


NotDifferentiable("Range")


def range_op(start, limit, delta, name=None):
    """A bare Range op (TF's gen_math_ops._range): no dtype inference, no name scope."""
    return apply_op("Range", [start, limit, delta], name=name)


def range(start, limit=None, delta=1, dtype=None, name="range"):  # noqa: A001 - TF's name
    """The numbers start, start + delta, ... up to (not including) limit. Op type "Range".

    Like Python's range: `tf.range(5)` is [0 1 2 3 4]. Integers give int32; any float
    argument makes the result float32 (TF1's dtype inference).
    """
    if limit is None:
        start, limit = 0, start
    with array_ops._scope(name or "range", [start, limit, delta]) as scope:
        args = [convert_to_tensor(v, dtype=dtype, name=n) for v, n in
                ((start, "start"), (limit, "limit"), (delta, "delta"))]
        if dtype is None:
            order = [_dtypes.int32, _dtypes.int64, _dtypes.float32, _dtypes.float64]
            for a in args:
                if a.dtype.base_dtype not in order:
                    raise TypeError(f"range: arguments must be int32, int64, float32 or float64, got "
                                    f"{a.dtype.base_dtype.name}")
            inferred = max((a.dtype.base_dtype for a in args), key=order.index)
            args = [math_ops.cast(a, inferred) for a in args]
        return range_op(*args, name=scope)


@kernel("LinSpace", PURE, inputs=("start", "stop", "num"), same_dtype=False)
def _lin_space(start, stop, num, Tidx=None):  # noqa: N803
    num = int(num)
    if num <= 0:
        raise ValueError(f"Requires num > 0: {num}")
    dtype = np.asarray(start).dtype
    out = np.full(num, start, dtype=dtype)
    if num > 1:  # TF's formula, in the tensor's dtype: start + i * step, ending exactly at stop
        step = (stop - start) / dtype.type(num - 1)
        out = (start + step * np.arange(num, dtype=dtype)).astype(dtype)
        out[-1] = stop
    return out


@shape_rule("LinSpace")
def _lin_space_shape(op):
    num = array_ops._const_value(op.inputs[2])
    if num is not None and int(num) <= 0:
        raise array_ops._shape_error(op, f"Requires num > 0: {int(num)}")
    return [(None if num is None else int(num),)]


NotDifferentiable("LinSpace")


def linspace(start, stop, num, name=None):
    """`num` evenly spaced values from `start` to `stop`, both included. Op type "LinSpace"."""
    with array_ops._scope(name or "LinSpace", [start, stop, num]) as scope:
        start = convert_to_tensor(start, name="start")
        stop = convert_to_tensor(stop, dtype=start.dtype.base_dtype, name="stop")
        if not start.dtype.base_dtype.is_floating:
            raise TypeError(f"Value passed to parameter 'start' has DataType {start.dtype.base_dtype.name} "
                            f"not in list of allowed values: float32, float64")
        num = convert_to_tensor(num, name="num")
        return apply_op("LinSpace", [start, stop, num], name=scope)


lin_space = linspace


@kernel("OneHot", PURE, inputs=("indices", "depth", "on_value", "off_value"), same_dtype=False)
def _one_hot(indices, depth, on_value, off_value, axis=-1):
    depth = int(depth)
    if depth < 0:
        raise ValueError(f"depth must be non-negative, got: {depth}")
    if not -1 <= axis <= np.ndim(indices):
        raise ValueError(f"Expected axis to be -1 or between [0, {np.ndim(indices) + 1}).  But received: "
                         f"{axis}")
    hot = np.expand_dims(indices, -1) == np.arange(depth)  # out-of-range indices give all-off rows
    out = np.where(hot, on_value, off_value).astype(np.asarray(on_value).dtype)
    return out if axis == -1 else np.moveaxis(out, -1, axis)


@shape_rule("OneHot")
def _one_hot_shape(op):
    s, depth, axis = shape_of(op.inputs[0]), array_ops._const_value(op.inputs[1]), op.attrs["axis"]
    if axis < -1:
        raise array_ops._shape_error(op, "axis must be >= -1")
    if s is None or axis > len(s):  # TF builds it; the kernel then fails
        return [None]
    at = len(s) if axis == -1 else axis
    return [s[:at] + (None if depth is None else int(depth),) + s[at:]]


NotDifferentiable("OneHot")


def one_hot(indices, depth, on_value=None, off_value=None, axis=None, dtype=None, name=None):
    """A one-hot tensor: `on_value` (1) where the last axis equals the index, else `off_value` (0).

    The dtype comes from `dtype`, else from on/off values, else float32. Indices outside
    [0, depth) give a row of `off_value`. Example: `tf.one_hot([0, 2], 3)` is [[1,0,0],[0,0,1]].
    """
    with array_ops._scope(name or "one_hot", [indices, depth, on_value, off_value]) as scope:
        given = [None if v is None else convert_to_tensor(v, preferred_dtype=dtype)
                 for v in (on_value, off_value)]
        kinds = [g.dtype.base_dtype for g in given if g is not None]
        if dtype is not None:
            dtype = _dtypes.as_dtype(dtype).base_dtype
            for what, g in zip(("on_value", "off_value"), given):
                if g is not None and g.dtype.base_dtype != dtype:
                    raise TypeError(f"dtype {g.dtype.base_dtype!r} of {what} does not match dtype "
                                    f"parameter {dtype!r}")
        dtype = dtype or (kinds[0] if kinds else _dtypes.float32)
        on = given[0] if given[0] is not None else convert_to_tensor(1, dtype=dtype, name="on_value")
        off = given[1] if given[1] is not None else convert_to_tensor(0, dtype=dtype, name="off_value")
        if on.dtype.base_dtype != off.dtype.base_dtype:
            raise TypeError(f"dtype {on.dtype.base_dtype!r} of on_value does not match dtype "
                            f"{off.dtype.base_dtype!r} of off_value")
        idx = convert_to_tensor(indices, name="indices")
        depth = convert_to_tensor(depth, name="depth")
        return apply_op("OneHot", [idx, depth, on, off], {"axis": -1 if axis is None else axis}, name=scope,
                        dtypes=[dtype])


__all__ = ["concat", "concat_offset", "stack", "unstack", "tile", "broadcast_to", "pad", "range", "linspace",
           "lin_space", "one_hot"]
