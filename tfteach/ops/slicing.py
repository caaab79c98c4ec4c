"""Taking parts of tensors and putting them back: slice, x[...], gather, split, dynamic_stitch.

Mirrors the slicing part of tensorflow/python/ops/array_ops.py and array_grad.py. `x[1:, ::-1]`
is one StridedSlice op whose begin/end/strides are Consts and whose masks are attributes.
"""
import builtins
import numbers

import numpy as np

from .. import dtypes as _dtypes
from ..graph import Tensor, convert_to_tensor
from ..registry import NotDifferentiable, PURE, RegisterGradient, apply_op, kernel, shape_rule
from ..tensor_shape import Dimension
from . import array as array_ops
from .constant import constant
from .shapes import fmt, shape_of
from . import building as building_ops
from . import control as control_flow_ops
from . import math as math_ops

_py_slice = builtins.slice  # this module defines tf.slice
_MASKS = ("begin_mask", "end_mask", "ellipsis_mask", "new_axis_mask", "shrink_axis_mask")


# ---- Slice ------------------------------------------------------------------------------------
@kernel("Slice", PURE, inputs=("input", "begin", "size"), same_dtype=False)
def _slice(x, begin, size, Index=None):  # noqa: A002,N803
    if len(begin) != x.ndim or len(size) != x.ndim:
        raise ValueError(f"Expected begin and size arguments to be 1-D tensors of size {x.ndim}, but got "
                         f"shapes {fmt(np.shape(begin))} and {fmt(np.shape(size))} instead.")
    index = []
    for i, (b, n, dim) in enumerate(zip(begin, size, x.shape)):
        n = dim - b if n == -1 else n
        if not 0 <= b <= dim:
            raise ValueError(f"Expected begin[{i}] in [0, {dim}], but got {b}")
        if not 0 <= n <= dim - b:
            raise ValueError(f"Expected size[{i}] in [0, {dim - b}], but got {n}")
        index.append(_py_slice(int(b), int(b + n)))
    return np.array(x[tuple(index)])


@shape_rule("Slice")
def _slice_shape(op):
    s = shape_of(op.inputs[0])
    begin, sizes = array_ops._partial_values(op.inputs[1]), array_ops._partial_values(op.inputs[2])
    if sizes is None:
        r = len(s) if s is not None else None if begin is None else len(begin)
        return [None if r is None else (None,) * r]
    if s is not None and len(s) != len(sizes):
        raise array_ops._shape_error(op, f"Length of size ({len(sizes)}) must equal the rank of input ({len(s)})")
    s, begin = s or (None,) * len(sizes), begin or [None] * len(sizes)
    out = []
    for dim, b, n in zip(s, begin, sizes):  # out-of-range values fail when run, as in TF
        out.append(n if n is None or n >= 0 else None if None in (dim, b) else dim - b)
    return [tuple(out)]


@RegisterGradient("Slice")
def _slice_grad(op, grad):
    """The gradient is padded with zeros back to the input's shape: begin before, the rest after."""
    x, begin = op.inputs[0], op.inputs[1]
    input_rank = array_ops.rank(x)
    slice_size = array_ops.shape(op.outputs[0], out_type=begin.dtype)
    column = building_ops.stack([input_rank, 1])
    before = array_ops.reshape(begin, column)
    after = array_ops.reshape(array_ops.shape(x, out_type=begin.dtype) - slice_size - begin, column)
    return [building_ops.pad(grad, building_ops.concat([before, after], 1)), None, None]


def slice(input_, begin, size, name=None):  # noqa: A001,A002 - TF's names
    """The block of `input_` starting at `begin` with extent `size` (-1: to the end). Op "Slice".

    Example: `tf.slice(x, [1, 0], [2, -1])` is rows 1 and 2 of x, all columns.
    """
    with array_ops._scope(name or "Slice", [input_, begin, size]) as scope:
        x = convert_to_tensor(input_, name="input")
        return apply_op("Slice", [x, array_ops._int_tensor(begin, "begin"), array_ops._int_tensor(size, "size")],
                        name=scope)


# ---- StridedSlice (x[...]) / StridedSliceGrad ------------------------------------------------
def _index(begin, end, strides, begin_mask, end_mask, ellipsis_mask, new_axis_mask, shrink_axis_mask):
    """The numpy index a StridedSlice spec stands for: each mask bit says how to read entry i."""
    index = []
    for i, (b, e, s) in enumerate(zip(begin, end, strides)):
        bit = 1 << i
        if ellipsis_mask & bit:
            index.append(Ellipsis)
        elif new_axis_mask & bit:
            index.append(None)
        elif shrink_axis_mask & bit:
            index.append(int(b))
        elif s == 0:
            raise ValueError(f"strides[{i}] must be non-zero")
        else:
            start, stop = None if begin_mask & bit else int(b), None if end_mask & bit else int(e)
            index.append(_py_slice(start, stop, int(s)))
    return tuple(index)


@kernel("StridedSlice", PURE, inputs=("input", "begin", "end", "strides"), same_dtype=False)
def _strided_slice(x, begin, end, strides, Index=None, **masks):  # noqa: N803
    return np.array(x[_index(begin, end, strides, **masks)])


@shape_rule("StridedSlice")
def _strided_slice_shape(op):
    s = shape_of(op.inputs[0])
    begin, end, strides = (array_ops._partial_values(t) for t in op.inputs[1:])
    if s is None or begin is None or end is None or strides is None:
        return [None]
    bits = {m: [op.attrs[m] >> i & 1 for i in range(len(begin))] for m in _MASKS}
    skip = [e or n for e, n in zip(bits["ellipsis_mask"], bits["new_axis_mask"])]
    if sum(bits["ellipsis_mask"]) > 1:
        raise array_ops._shape_error(op, "Multiple ellipses in slice spec not allowed")
    if len(skip) - sum(skip) > len(s):
        raise array_ops._shape_error(op, f"Index out of range using input dim {len(s)}; input has only {len(s)} dims")
    out, d = [], 0
    for i, (b, e, st) in enumerate(zip(begin, end, strides)):
        if bits["ellipsis_mask"][i]:
            k = len(s) - (len(skip) - sum(skip))
            out.extend(s[d:d + k])
            d += k
            continue
        if bits["new_axis_mask"][i]:
            out.append(1)
            continue
        dim, d = s[d], d + 1
        if bits["shrink_axis_mask"][i]:
            if None not in (dim, b) and not -dim <= b < dim:
                raise array_ops._shape_error(op, f"slice index {b} of dimension {d - 1} out of bounds")
            continue
        if st == 0:
            raise array_ops._shape_error(op, f"strides[{i}] must be non-zero")
        b = None if bits["begin_mask"][i] else b
        e = None if bits["end_mask"][i] else e
        known = dim is not None and st is not None and (b is not None or bits["begin_mask"][i]) and \
            (e is not None or bits["end_mask"][i])
        out.append(len(range(*_py_slice(b, e, st).indices(dim))) if known else None)
    return [tuple(out) + s[d:]]


@RegisterGradient("StridedSlice")
def _strided_slice_grad(op, grad):
    """The slice's gradient goes back where the slice came from, zeros elsewhere."""
    x, begin, end, strides = op.inputs
    return [strided_slice_grad(array_ops.shape(x, out_type=begin.dtype), begin, end, strides, grad,
                               **{m: op.attrs[m] for m in _MASKS}), None, None, None]


@kernel("StridedSliceGrad", PURE, inputs=("shape", "begin", "end", "strides", "dy"), same_dtype=False)
def _strided_slice_grad_kernel(shape, begin, end, strides, dy, Index=None, **masks):  # noqa: A002,N803
    out = np.zeros(tuple(int(d) for d in shape), dtype=dy.dtype)
    out[_index(begin, end, strides, **masks)] = dy
    return out


shape_rule("StridedSliceGrad")(lambda op: [array_ops._partial_shape(op.inputs[0])])


@RegisterGradient("StridedSliceGrad")
def _strided_slice_grad_grad(op, grad):
    """StridedSliceGrad scatters dy; its adjoint gathers it back with the same slice."""
    begin, end, strides = op.inputs[1:4]
    return [None] * 4 + [strided_slice(grad, begin, end, strides, **{m: op.attrs[m] for m in _MASKS})]


def strided_slice_grad(shape, begin, end, strides, dy, name=None, **masks):  # noqa: A002
    """`dy` put into zeros of `shape` where strided_slice(begin, end, strides) would read."""
    return apply_op("StridedSliceGrad", [shape, begin, end, strides, dy], masks, name=name,
                    dtypes=[dy.dtype.base_dtype])


def strided_slice(input_, begin, end, strides=None, begin_mask=0, end_mask=0, ellipsis_mask=0,
                  new_axis_mask=0, shrink_axis_mask=0, var=None, name=None):
    """The elements input_[begin[i]:end[i]:strides[i]] along each axis i. Op "StridedSlice".

    Bit i of a mask changes entry i: begin_mask/end_mask ignore begin[i]/end[i] (as `:`),
    ellipsis_mask is `...`, new_axis_mask is tf.newaxis, shrink_axis_mask takes one index and
    drops the axis. `x[1:, 0]` builds exactly such a call; see `Tensor.__getitem__`.
    """
    if strides is None:
        strides = array_ops.ones_like(begin)
    masks = dict(begin_mask=begin_mask, end_mask=end_mask, ellipsis_mask=ellipsis_mask,
                 new_axis_mask=new_axis_mask, shrink_axis_mask=shrink_axis_mask)
    with array_ops._scope(name or "StridedSlice", [input_, begin, end, strides]) as scope:
        x = convert_to_tensor(input_, name="input")
        args = [array_ops._int_tensor(v, n) for v, n in ((begin, "begin"), (end, "end"), (strides, "strides"))]
        return apply_op("StridedSlice", [x] + args, masks, name=scope)


_INDEX_ERROR = ("Only integers, slices (`:`), ellipsis (`...`), tf.newaxis (`None`) and scalar "
                "tf.int32/tf.int64 tensors are valid indices, got {!r}")


def _check_index(idx):
    if isinstance(idx, (numbers.Integral, Dimension)):
        return
    dtype = getattr(idx, "dtype", None)
    ok = dtype is not None and _dtypes.as_dtype(dtype).base_dtype in (_dtypes.int32, _dtypes.int64)
    if not ok or (array_ops._is_tensor(idx) and convert_to_tensor(idx).shape.ndims not in (None, 0)):
        raise TypeError(_INDEX_ERROR.format(idx))


def _slice_helper(tensor, slice_spec, var=None):
    """`tensor[slice_spec]` as TF1 builds it: one StridedSlice with Const begin/end/strides.

    Example: x[1:, 0] gives begin [1, 0], end [0, 1], strides [1, 1], end_mask 0b01 (no end
    for the first axis) and shrink_axis_mask 0b10 (index 0 drops the second axis).
    """
    if not isinstance(slice_spec, (list, tuple)):
        slice_spec = [slice_spec]
    begin, end, strides = [], [], []
    masks = {m: 0 for m in _MASKS}
    for i, s in enumerate(slice_spec):
        bit = 1 << i
        if isinstance(s, _py_slice):
            for part, values, mask in ((s.start, begin, "begin_mask"), (s.stop, end, "end_mask")):
                if part is None:
                    values.append(0)
                    masks[mask] |= bit
                else:
                    _check_index(part)
                    values.append(part)
            if s.step is not None:
                _check_index(s.step)
            strides.append(1 if s.step is None else s.step)
        elif s is Ellipsis or s is None:
            begin.append(0)
            end.append(0)
            strides.append(1)
            masks["ellipsis_mask" if s is Ellipsis else "new_axis_mask"] |= bit
        else:
            _check_index(s)
            begin.append(s)
            end.append(s + 1)  # ignored (the axis shrinks), but TF1 builds it
            strides.append(1)
            masks["shrink_axis_mask"] |= bit
    with array_ops._scope("strided_slice", [tensor] + begin + end + strides) as scope:
        if begin:
            packed = [building_ops.stack(v) for v in (begin, end, strides)]
            if any(p.dtype.base_dtype == _dtypes.int64 for p in packed):
                packed = [math_ops.cast(p, _dtypes.int64) for p in packed]
        else:
            packed = [constant([], dtype=_dtypes.int32)] * 3
        return strided_slice(tensor, *packed, name=scope, **masks)


Tensor._override_operator("__getitem__", _slice_helper)


# ---- GatherV2 / embedding_lookup / UnsortedSegmentSum ------------------------------------------
@kernel("GatherV2", PURE, inputs=("params", "indices", "axis"), same_dtype=False)
def _gather(params, indices, axis, batch_dims=0):
    r = np.ndim(params)
    axis = int(axis)
    if not -r <= axis < max(r, 1):
        raise ValueError(f"Expected axis in the range [{-r}, {r}), but got {axis}")
    axis %= r
    bad = (indices < 0) | (indices >= params.shape[axis])
    if bad.any():  # TF checks on the CPU; numpy would wrap negative indices around
        pos = np.argwhere(bad)[0]
        raise ValueError(f"indices[{','.join(str(p) for p in pos)}] = {indices[tuple(pos)]} is not in "
                         f"[0, {params.shape[axis]})")
    return np.take(params, indices, axis=axis)


@shape_rule("GatherV2")
def _gather_shape(op):
    p, i, axis = shape_of(op.inputs[0]), shape_of(op.inputs[1]), array_ops._const_value(op.inputs[2])
    if p is None or i is None or axis is None:
        return [None]
    a = array_ops._axis(int(axis), len(p), op)
    return [p[:a] + i + p[a + 1:]]


@RegisterGradient("GatherV2")
def _gather_grad(op, grad):
    """Each gathered slice sends its gradient back to where it came from; repeats add up.

    TF1 returns IndexedSlices (the rows and their indices) for axis 0. tfteach has no
    IndexedSlices: the rows are summed into a dense tensor by UnsortedSegmentSum, which is
    what TF does when such a gradient is converted to a tensor.
    """
    params, indices, axis = op.inputs
    params_shape = array_ops.shape(params)
    indices_size = array_ops.expand_dims(array_ops.size(indices), 0)
    axis_value = array_ops._const_value(axis)
    if axis_value is not None and int(axis_value) == 0:
        values = array_ops.reshape(grad, building_ops.concat([indices_size, params_shape[1:]], 0))
        return [unsorted_segment_sum(values, array_ops.reshape(indices, indices_size), params_shape[0]), None, None]
    # another axis: move it to the front, sum there, move it back (TF1's path with batch_dims=0)
    outer_shape, inner_shape = params_shape[:axis], params_shape[axis:][1:]
    values_shape = building_ops.concat([outer_shape, [-1], inner_shape], 0)
    values_dims, axis_dims = array_ops.size(values_shape), array_ops.size(outer_shape)
    batch_axes = building_ops.range(0)  # TF1 keeps room for batch dimensions: none here
    outer_axes = building_ops.range(0, axis_dims)
    inner_axes = building_ops.range(axis_dims + 1, values_dims)
    values = array_ops.reshape(grad, values_shape)
    values = array_ops.transpose(values, building_ops.concat([batch_axes, [axis_dims], outer_axes, inner_axes], 0))
    gather_dim_size = params_shape[axis]
    flat_indices = array_ops.reshape(indices, array_ops.expand_dims(array_ops.size(indices), 0))
    summed = unsorted_segment_sum(values, flat_indices, gather_dim_size)
    perm = building_ops.concat([batch_axes, outer_axes + 1, [0], inner_axes], 0)
    return [array_ops.transpose(summed, perm), None, None]


def gather(params, indices, validate_indices=None, name=None, axis=None, batch_dims=0):
    """The slices of `params` at `indices` along `axis` (default 0). Op type "GatherV2".

    The result has shape params.shape[:axis] + indices.shape + params.shape[axis+1:].
    Example: `tf.gather([[1, 2], [3, 4], [5, 6]], [2, 0])` is [[5, 6], [1, 2]].
    """
    if batch_dims != 0:
        raise NotImplementedError("tfteach's gather supports batch_dims=0 only")
    with array_ops._scope(name or "GatherV2", [params, indices]) as scope:
        p = convert_to_tensor(params, name="params")
        i = convert_to_tensor(indices, name="indices")
        a = array_ops._int_tensor(0 if axis is None else axis, "axis")
        return apply_op("GatherV2", [p, i, a], {"batch_dims": 0}, name=scope, dtypes=[p.dtype.base_dtype])


def embedding_lookup(params, ids, partition_strategy="mod", name=None, validate_indices=True,
                     max_norm=None):
    """The rows of the embedding matrix `params` for each id in `ids` (tf.nn.embedding_lookup).

    A gather on axis 0 followed by an Identity, as TF1 builds it for one params tensor.
    """
    if isinstance(params, (list, tuple)):
        if not params:
            raise ValueError("Need at least one param")
        if len(params) > 1:
            raise NotImplementedError(f"tfteach's embedding_lookup takes one params tensor, not a sharded "
                                      f"list of {len(params)}")
        params = params[0]
    if max_norm is not None:
        raise NotImplementedError("tfteach's embedding_lookup does not support max_norm")
    with array_ops._scope(name or "embedding_lookup", [params, ids]) as scope:
        params = convert_to_tensor(params, name="params_0")
        ids = convert_to_tensor(ids, name="ids")
        return control_flow_ops.identity(gather(params, ids, name=scope))


@kernel("UnsortedSegmentSum", PURE, inputs=("data", "segment_ids", "num_segments"), same_dtype=False)
def _unsorted_segment_sum(data, segment_ids, num_segments, Tindices=None, Tnumsegments=None):  # noqa: N803
    n, ids = int(num_segments), np.asarray(segment_ids)
    if np.shape(data)[:ids.ndim] != ids.shape:
        raise ValueError(f"data.shape = {fmt(np.shape(data))} does not start with segment_ids.shape = "
                         f"{fmt(ids.shape)}")
    if (ids >= n).any():
        pos = np.argwhere(ids >= n)[0]
        raise ValueError(f"segment_ids[{','.join(str(p) for p in pos)}] = {ids[tuple(pos)]} is out of range "
                         f"[0, {n})")
    out = np.zeros((n,) + np.shape(data)[ids.ndim:], dtype=np.asarray(data).dtype)
    keep = ids >= 0  # TF drops negative ids
    np.add.at(out, ids[keep], np.asarray(data)[keep])
    return out


@shape_rule("UnsortedSegmentSum")
def _unsorted_segment_sum_shape(op):
    data, ids, n = shape_of(op.inputs[0]), shape_of(op.inputs[1]), array_ops._const_value(op.inputs[2])
    return [None if data is None or ids is None else (None if n is None else int(n),) + data[len(ids):]]


@RegisterGradient("UnsortedSegmentSum")
def _unsorted_segment_sum_grad(op, grad):
    """Each data row was added into row segment_ids[i]: it gets that row of the gradient.

    TF also zeroes the rows of negative (dropped) ids; here they fail in the gather instead.
    """
    return [gather(grad, op.inputs[1]), None, None]


def unsorted_segment_sum(data, segment_ids, num_segments, name=None):
    """Row i of the result is the sum of the data rows j with segment_ids[j] == i."""
    with array_ops._scope(name or "UnsortedSegmentSum", [data, segment_ids, num_segments]) as scope:
        data = convert_to_tensor(data, name="data")
        ids = convert_to_tensor(segment_ids, name="segment_ids")
        n = convert_to_tensor(num_segments, name="num_segments")
        return apply_op("UnsortedSegmentSum", [data, ids, n], name=scope, dtypes=[data.dtype.base_dtype])


# ---- DynamicStitch / ListDiff ---------------------------------------------------------------------
@kernel("DynamicStitch", PURE, inputs=("indices", "data"), same_dtype=False)
def _dynamic_stitch(*args, N):  # noqa: N803
    indices, data = args[:N], args[N:]
    n = 1 + max((int(np.max(i)) for i in indices if np.size(i)), default=-1)
    tail = np.shape(data[0])[np.ndim(indices[0]):]
    out = np.zeros((n,) + tail, dtype=np.asarray(data[0]).dtype)
    for i, (idx, d) in enumerate(zip(indices, data)):
        if np.shape(d) != np.shape(idx) + tail:
            raise ValueError(f"data[{i}].shape = {fmt(np.shape(d))} does not start with indices[{i}].shape = "
                             f"{fmt(np.shape(idx))}")
        out[np.reshape(idx, -1)] = np.reshape(d, (-1,) + tail)  # later pieces win, as in TF
    return out


@shape_rule("DynamicStitch")
def _dynamic_stitch_shape(op):
    n = len(op.inputs) // 2
    tail = None
    for idx, data in zip(op.inputs[:n], op.inputs[n:]):
        i, d = shape_of(idx), shape_of(data)
        if i is None or d is None:
            continue
        ok = len(d) >= len(i) and all(a is None or b is None or a == b for a, b in zip(i, d))
        if not ok or (tail is not None and len(tail) != len(d) - len(i)):
            raise array_ops._shape_error(op, f"Dimensions must be equal: data {fmt(d)} must start with indices "
                                   f"{fmt(i)}")
        rest = d[len(i):]
        tail = rest if tail is None else tuple(a if a is not None else b for a, b in zip(tail, rest))
    return [None if tail is None else (None,) + tail]


@RegisterGradient("DynamicStitch")
def _dynamic_stitch_grad(op, grad):
    """Each data piece gets the gradient rows its indices were stitched into (a gather)."""
    n = len(op.inputs) // 2
    return [None] * n + [gather(grad, i) for i in op.inputs[:n]]


def dynamic_stitch(indices, data, name=None):
    """Interleave the `data` pieces: result[indices[m][i]] = data[m][i]. Op type "DynamicStitch".

    The reduction gradients use it to build shapes: dynamic_stitch([[0, 1, 2], [1]], [[2, 3, 4], [1]])
    is [2, 1, 4], the shape (2, 3, 4) with axis 1 reduced and kept.
    """
    with array_ops._scope(name or "DynamicStitch", list(indices) + list(data)) as scope:
        idx = [convert_to_tensor(x, name=f"indices_{i}") for i, x in enumerate(indices)]
        dtype = next((convert_to_tensor(d).dtype.base_dtype for d in data if array_ops._is_tensor(d)), None)
        data = [convert_to_tensor(x, dtype=dtype, name=f"data_{i}") for i, x in enumerate(data)]
        return apply_op("DynamicStitch", idx + data, {"N": len(idx)}, name=scope,
                        dtypes=[data[0].dtype.base_dtype])


@kernel("ListDiff", PURE, inputs=("x", "y"))
def _list_diff(x, y, out_idx):
    keep = ~np.isin(x, y)
    return x[keep], np.flatnonzero(keep).astype(out_idx.np)


shape_rule("ListDiff")(lambda op: [(None,), (None,)])
NotDifferentiable("ListDiff")


def setdiff1d(x, y, index_dtype=_dtypes.int32, name=None):
    """(out, idx): the values of 1-D `x` not in `y`, in order, and their positions in x."""
    x = convert_to_tensor(x, name="x")
    index_dtype = _dtypes.as_dtype(index_dtype)
    return apply_op("ListDiff", [x, y], {"out_idx": index_dtype}, name=name,
                    dtypes=[x.dtype.base_dtype, index_dtype], num_outputs=2)


# ---- Split / SplitV -----------------------------------------------------------------------------
@kernel("Split", PURE, inputs=("split_dim", "value"), same_dtype=False)
def _split(axis, value, num_split):
    axis = _kernel_axis(axis, value.ndim)
    if value.shape[axis] % num_split:
        raise ValueError(f"Number of ways to split should evenly divide the split dimension, but got "
                         f"split_dim {axis} (size = {value.shape[axis]}) and num_split {num_split}")
    return [np.array(p) for p in np.split(value, num_split, axis=axis)]


def _kernel_axis(axis, rank):
    axis = int(axis)
    if not -rank <= axis < rank:
        raise ValueError(f"-input rank(-{rank}) <= split_dim < input rank ({rank}), but got {axis}")
    return axis % rank


@kernel("SplitV", PURE, inputs=("value", "size_splits", "split_dim"), same_dtype=False)
def _split_v(value, size_splits, axis, num_split, Tlen=None):  # noqa: N803
    axis, sizes = _kernel_axis(axis, value.ndim), [int(n) for n in size_splits]
    dim = value.shape[axis]
    if sizes.count(-1) == 1:
        sizes[sizes.index(-1)] = dim - (sum(sizes) + 1)
    if sum(sizes) != dim or min(sizes, default=0) < 0:
        raise ValueError(f"Determined shape must either match input shape along split_dim exactly if fully "
                         f"specified, or be less than the size of the input along split_dim if not fully "
                         f"specified.  Got: {sum(sizes)}")
    return [np.array(p) for p in np.split(value, np.cumsum(sizes)[:-1], axis=axis)]


@shape_rule("Split")
def _split_shape(op):
    axis, s, num = array_ops._const_value(op.inputs[0]), shape_of(op.inputs[1]), op.attrs["num_split"]
    if s is None or axis is None:
        return [None if s is None else (None,) * len(s)] * num
    a = array_ops._axis(int(axis), len(s), op, "split_dim")
    if s[a] is not None and s[a] % num:
        raise array_ops._shape_error(op, f"Dimension size must be evenly divisible by {num} but is {s[a]}")
    return [s[:a] + (None if s[a] is None else s[a] // num,) + s[a + 1:]] * num


@shape_rule("SplitV")
def _split_v_shape(op):
    s = shape_of(op.inputs[0])
    sizes, axis = array_ops._partial_values(op.inputs[1]), array_ops._const_value(op.inputs[2])
    num = op.attrs["num_split"]
    if s is None or axis is None or sizes is None:
        return [None if s is None else (None,) * len(s)] * num
    a = array_ops._axis(int(axis), len(s), op, "split_dim")
    if s[a] is not None and None not in sizes and sizes.count(-1) == 1:
        sizes[sizes.index(-1)] = s[a] - (sum(sizes) + 1)
    if s[a] is not None and None not in sizes and -1 not in sizes and sum(sizes) != s[a]:
        raise array_ops._shape_error(op, f"Determined shape must either match input shape along split_dim exactly if "
                               f"fully specified, or be less than the size of the input along split_dim if "
                               f"not fully specified.  Got: {sum(sizes)}")
    return [s[:a] + (None if n is None or n < 0 else n,) + s[a + 1:] for n in sizes]


@RegisterGradient("Split")
def _split_grad(op, *grads):
    """The pieces' gradients concatenated back along the split axis."""
    return [None, building_ops.concat(list(grads), op.inputs[0])]


@RegisterGradient("SplitV")
def _split_v_grad(op, *grads):
    """The pieces' gradients concatenated back along the split axis."""
    return [building_ops.concat(list(grads), op.inputs[2]), None, None]


def split(value, num_or_size_splits, axis=0, num=None, name="split"):
    """`value` cut along `axis` into `num_or_size_splits` equal pieces, or pieces of those sizes.

    An int n gives op "Split" (n equal pieces); a list of sizes (one may be -1) gives "SplitV".
    Example: `tf.split(x, [2, -1], 1)` for x of shape (2, 6) gives (2, 2) and (2, 4).
    """
    sizes = convert_to_tensor(num_or_size_splits)  # TF1 converts first, even an int (a 'Const')
    if isinstance(num_or_size_splits, (numbers.Integral, Dimension)):
        num_split = int(num_or_size_splits)
        with array_ops._scope(name or "split", [value, axis]) as scope:
            axis = array_ops._int_tensor(axis, "split_dim")
            value = convert_to_tensor(value, name="value")
            return apply_op("Split", [axis, value], {"num_split": num_split}, name=scope,
                            dtypes=[value.dtype.base_dtype] * num_split, num_outputs=num_split)
    if sizes.shape.ndims == 0:
        raise ValueError(f"Rank-0 tensors are not supported as the num_or_size_splits argument to split. "
                         f"Argument provided: {num_or_size_splits}")
    if num is None:
        num = shape_of(sizes)[0] if shape_of(sizes) is not None else None
        if num is None:
            raise ValueError(f"Cannot infer num from shape {num_or_size_splits}")
    with array_ops._scope(name or "split", [value, sizes, axis]) as scope:
        value = convert_to_tensor(value, name="value")
        return apply_op("SplitV", [value, sizes, array_ops._int_tensor(axis, "split_dim")], {"num_split": num},
                        name=scope, dtypes=[value.dtype.base_dtype] * num, num_outputs=num)


# ---- ReverseV2 -------------------------------------------------------------------------------
@kernel("ReverseV2", PURE, inputs=("tensor", "axis"), same_dtype=False)
def _reverse(x, axis, Tidx=None):  # noqa: N803
    for a in np.reshape(axis, -1):
        if not -x.ndim <= a < x.ndim:
            raise ValueError(f"'axis'[0] = {int(a)} is out of valid range [0, {x.ndim - 1}]")
    return np.flip(x, axis=tuple(int(a) for a in np.reshape(axis, -1))).copy()


shape_rule("ReverseV2")(lambda op: [op.inputs[0].shape])


@RegisterGradient("ReverseV2")
def _reverse_grad(op, grad):
    """Reversing is its own inverse: reverse the gradient along the same axes."""
    return [reverse(grad, op.inputs[1]), None]


def reverse(tensor, axis, name=None):
    """`tensor` with the order of elements reversed along each axis in `axis`."""
    with array_ops._scope(name or "ReverseV2", [tensor, axis]) as scope:
        x = convert_to_tensor(tensor, name="tensor")
        return apply_op("ReverseV2", [x, array_ops._int_tensor(axis, "axis")], name=scope)


reverse_v2 = reverse

__all__ = ["reverse", "reverse_v2", "slice", "strided_slice", "gather", "embedding_lookup", "unsorted_segment_sum", "dynamic_stitch",
           "setdiff1d", "split"]
