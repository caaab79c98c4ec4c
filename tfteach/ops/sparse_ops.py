"""The sparse ops: SparseToDense, SparseReduceSum, SparseTensorDenseMatMul, SparseReorder,
SparseAdd, SparseTensorDenseAdd (and GatherNd, which their gradients use); tf.sparse_placeholder;
embedding_lookup_sparse on SparseSegmentSum/Mean/SqrtN and SegmentSum.

Mirrors tensorflow/python/ops/sparse_ops.py and sparse_grad.py. A SparseTensor
(tfteach/sparse_tensor.py) enters each op as its three tensors: indices, values, dense_shape.
"""
import numpy as np

from .. import dtypes as _dtypes
from ..errors import InvalidArgumentError
from ..graph import convert_to_tensor, graph_of
from ..registry import FRESH, PURE, NotDifferentiable, RegisterGradient, apply_op, kernel, shape_rule
from ..sparse_tensor import SparseTensor, _as_sparse
from ..tensor_shape import TensorShape
from . import array as array_ops
from . import building as building_ops
from . import math as math_ops
from . import reduce as reduce_ops
from . import slicing as slicing_ops
from .common import _const_value, _partial_shape, _shape_error
from .constant import constant, placeholder, placeholder_with_default
from .shapes import shape_of


def _fmt_index(row):
    return "[" + ",".join(str(int(i)) for i in row) + "]"


def _dims(shape):
    return tuple(int(d) for d in np.reshape(shape, -1))


def _result(indices, values, sp):
    """The SparseTensor an op returns: TF gives it a Const dense_shape when the shape is static."""
    shape = sp.get_shape()
    return SparseTensor(indices, values, shape.as_list() if shape.is_fully_defined() else sp.dense_shape)


# ---- GatherNd -----------------------------------------------------------------------------------
@kernel("GatherNd", PURE, inputs=("params", "indices"), same_dtype=False)
def _gather_nd(params, indices, Tindices=None):  # noqa: N803 - TF attr name
    indices = np.asarray(indices)
    depth = indices.shape[-1]
    for k, row in enumerate(indices.reshape(-1, depth)):
        if any(i < 0 or i >= n for i, n in zip(row, np.shape(params))):
            raise InvalidArgumentError(None, None, f"indices[{k}] = {_fmt_index(row)} does not index into param "
                                       f"shape {_fmt_index(np.shape(params))}")
    return np.asarray(params)[tuple(np.moveaxis(indices, -1, 0))]


@shape_rule("GatherNd")
def _gather_nd_shape(op):
    params, indices = shape_of(op.inputs[0]), shape_of(op.inputs[1])
    if params is None or indices is None or indices[-1] is None:
        return [None]
    return [tuple(indices[:-1]) + tuple(params[indices[-1]:])]


def gather_nd(params, indices, name=None):
    """params[indices[..., 0], indices[..., 1], ...]: gathers slices by full or partial index."""
    return apply_op("GatherNd", [params, indices], {"Tindices": convert_to_tensor(indices).dtype}, name=name,
                    dtypes=[convert_to_tensor(params).dtype.base_dtype])


# ---- SparseToDense -----------------------------------------------------------------------------
@kernel("SparseToDense", FRESH, inputs=("sparse_indices", "output_shape", "sparse_values", "default_value"),
        same_dtype=False)
def _sparse_to_dense(sparse_indices, output_shape, sparse_values, default_value, validate_indices=True, **_):
    shape = _dims(output_shape)
    out = np.full(shape, default_value, dtype=np.asarray(sparse_values).dtype)
    index = np.asarray(sparse_indices).reshape(np.shape(sparse_indices)[0] if np.ndim(sparse_indices) else 1, -1)
    if validate_indices:
        for i, row in enumerate(index):
            if any(d < 0 or d >= n for d, n in zip(row, shape)):
                raise InvalidArgumentError(None, None, f"indices[{i}] = {_fmt_index(row)} is out of bounds: need "
                                           f"0 <= index < {_fmt_index(shape)}")
            if i and tuple(row) == tuple(index[i - 1]):
                raise InvalidArgumentError(None, None, f"indices[{i}] = {_fmt_index(row)} is repeated")
            if i and tuple(row) < tuple(index[i - 1]):
                raise InvalidArgumentError(None, None, f"indices[{i}] = {_fmt_index(row)} is out of order. Many "
                                           f"sparse ops require sorted indices.\n    Use `tf.sparse.reorder` to "
                                           f"create a correctly ordered copy.\n\n")
    if index.size:
        out[tuple(index.T)] = sparse_values
    return out


@shape_rule("SparseToDense")
def _sparse_to_dense_shape(op):
    dims = _partial_shape(op.inputs[1])
    return [None if dims is None else dims]


@RegisterGradient("SparseToDense")
def _sparse_to_dense_grad(op, grad):
    """d/dvalues: the gradient at each index; d/ddefault: the sum of the gradient elsewhere."""
    sparse_indices = op.inputs[0]
    values_grad = gather_nd(grad, sparse_indices)
    default_grad = reduce_ops.reduce_sum(grad) - reduce_ops.reduce_sum(values_grad)
    return [None, None, values_grad, default_grad]


def sparse_tensor_to_dense(sp_input, default_value=None, validate_indices=True, name=None):
    """The dense tensor of `sp_input`, `default_value` (0) where it has no value. Op "SparseToDense".

    With `validate_indices` the indices must be in bounds, in row-major order and not repeated
    (tf.sparse.reorder sorts them); TF raises InvalidArgumentError otherwise, and so does tfteach.
    """
    sp_input = _as_sparse(sp_input)
    graph = graph_of([sp_input.indices])
    if default_value is None:
        default_value = array_ops.zeros([], dtype=sp_input.dtype)
    with graph.name_scope(name or "SparseToDense") as scope:
        if not hasattr(default_value, "op"):
            default_value = convert_to_tensor(default_value, dtype=sp_input.dtype, name="default_value")
        return apply_op("SparseToDense", [sp_input.indices, sp_input.dense_shape, sp_input.values, default_value],
                        {"validate_indices": bool(validate_indices), "Tindices": _dtypes.int64}, name=scope,
                        dtypes=[sp_input.dtype.base_dtype])


def sparse_to_dense(sparse_indices, output_shape, sparse_values, default_value=0, validate_indices=True,
                    name=None):
    """TF1's tf.sparse_to_dense: a dense tensor from indices, a shape and values (a scalar for all)."""
    graph = graph_of([sparse_indices, output_shape, sparse_values])
    with graph.name_scope(name or "SparseToDense") as scope:
        sparse_values = convert_to_tensor(sparse_values, name="sparse_values")
        sparse_indices = convert_to_tensor(sparse_indices, name="sparse_indices")
        output_shape = convert_to_tensor(output_shape, dtype=sparse_indices.dtype, name="output_shape")
        default_value = convert_to_tensor(default_value, dtype=sparse_values.dtype, name="default_value")
        return apply_op("SparseToDense", [sparse_indices, output_shape, sparse_values, default_value],
                        {"validate_indices": bool(validate_indices), "Tindices": sparse_indices.dtype}, name=scope,
                        dtypes=[sparse_values.dtype.base_dtype])


# ---- SparseReduceSum ---------------------------------------------------------------------------
def _dense(indices, values, shape):
    """The dense array of a sparse value, duplicates summed."""
    out = np.zeros(_dims(shape), dtype=np.asarray(values).dtype)
    if np.size(indices):
        np.add.at(out, tuple(np.asarray(indices).T), values)
    return out


@kernel("SparseReduceSum", PURE, inputs=("input_indices", "input_values", "input_shape", "reduction_axes"),
        same_dtype=False)
def _sparse_reduce_sum(indices, values, shape, axes, keep_dims=False):
    rank = len(_dims(shape))
    flat = [int(a) for a in np.reshape(axes, -1)]
    for a in flat:
        if not -rank <= a < rank:
            raise InvalidArgumentError(None, None, f"Invalid reduction dimension {a}, for input with {rank} "
                                       f"dimensions.")
    dense = _dense(indices, values, shape)
    return np.asarray(np.sum(dense, axis=tuple(a % rank for a in flat), keepdims=bool(keep_dims)))


@shape_rule("SparseReduceSum")
def _sparse_reduce_sum_shape(op):
    dims, axes = _partial_shape(op.inputs[2]), _const_value(op.inputs[3])
    if dims is None or axes is None:
        return [None]
    rank = len(dims)
    gone = {int(a) % rank for a in np.reshape(axes, -1)} if rank else set()
    keep = op.attrs.get("keep_dims", False)
    return [tuple(1 if i in gone else d for i, d in enumerate(dims) if keep or i not in gone)]


@RegisterGradient("SparseReduceSum")
def _sparse_reduce_sum_grad(op, grad):
    """Like Sum's: each value gets the gradient of the output element it was summed into."""
    sp_indices, sp_shape = op.inputs[0], op.inputs[2]
    kept = reduce_ops.reduced_shape(sp_shape, op.inputs[3])
    grad = array_ops.reshape(grad, kept)
    scale = math_ops.floordiv(sp_shape, math_ops.cast(kept, _dtypes.int64))
    return [None, gather_nd(grad, math_ops.floordiv(sp_indices, scale)), None, None]


def sparse_reduce_sum(sp_input, axis=None, keepdims=None, reduction_axes=None, keep_dims=None, name=None):
    """The sum of a SparseTensor's values over `axis` (all axes for None), as a dense tensor."""
    sp_input = _as_sparse(sp_input)
    axis = reduction_axes if axis is None else axis
    keep = bool(keepdims if keepdims is not None else keep_dims)
    graph = graph_of([sp_input.indices])
    if axis is None:
        rank = sp_input.get_shape().ndims
        if rank is not None:
            axes = constant(np.arange(rank, dtype=np.int32))
        else:
            axes = building_ops.range(0, array_ops.size(sp_input.dense_shape))
        return apply_op("SparseReduceSum", [sp_input.indices, sp_input.values, sp_input.dense_shape, axes],
                        {"keep_dims": keep}, name=name or "SparseReduceSum", dtypes=[sp_input.dtype.base_dtype])
    with graph.name_scope(name or "SparseReduceSum") as scope:
        axes = convert_to_tensor(axis, dtype=_dtypes.int32, name="reduction_axes")
        return apply_op("SparseReduceSum", [sp_input.indices, sp_input.values, sp_input.dense_shape, axes],
                        {"keep_dims": keep}, name=scope, dtypes=[sp_input.dtype.base_dtype])


# ---- SparseTensorDenseMatMul -------------------------------------------------------------------
@kernel("SparseTensorDenseMatMul", FRESH, inputs=("a_indices", "a_values", "a_shape", "b"), same_dtype=False)
def _sparse_dense_matmul(a_indices, a_values, a_shape, b, adjoint_a=False, adjoint_b=False, Tindices=None):  # noqa: N803
    rows, inner = _dims(a_shape)
    if adjoint_a:
        rows, inner = inner, rows
    b = np.asarray(b)
    if adjoint_b:
        b = np.conj(b.T)
    if b.shape[0] != inner:
        raise InvalidArgumentError(None, None, f"Cannot multiply A and B because inner dimension does not match: "
                                   f"{inner} vs. {b.shape[0]}.  Did you forget a transpose?  Dimensions of A: "
                                   f"[{rows}, {inner}).  Dimensions of B: {_fmt_index(b.shape)}")
    index = np.asarray(a_indices).reshape(-1, 2)
    m, k = (index[:, 1], index[:, 0]) if adjoint_a else (index[:, 0], index[:, 1])
    for i in range(len(index)):
        if not 0 <= m[i] < rows:
            raise InvalidArgumentError(None, None, f"m ({m[i]}) from index[{i},{1 if adjoint_a else 0}] out of "
                                       f"bounds (>={rows})")
        if not 0 <= k[i] < inner:
            raise InvalidArgumentError(None, None, f"k ({k[i]}) from index[{i},{0 if adjoint_a else 1}] out of "
                                       f"bounds (>={inner})")
    values = np.conj(a_values) if adjoint_a else np.asarray(a_values)
    out = np.zeros((rows, b.shape[1]), dtype=b.dtype)
    np.add.at(out, m, values[:, None] * b[k])
    return out


@shape_rule("SparseTensorDenseMatMul")
def _sparse_dense_matmul_shape(op):
    dims, b = _partial_shape(op.inputs[2]), shape_of(op.inputs[3])
    rows = inner = None
    if dims is not None and len(dims) == 2:
        rows, inner = dims[::-1] if op.attrs["adjoint_a"] else dims
    b_inner, cols = (None, None) if b is None else (b[::-1] if op.attrs["adjoint_b"] else b)
    if None not in (inner, b_inner) and inner != b_inner:
        raise _shape_error(op, f"Dimensions must be equal, but are {inner} and {b_inner}",
                           partial={2: list(dims)})
    return [(rows, cols)]


@RegisterGradient("SparseTensorDenseMatMul")
def _sparse_dense_matmul_grad(op, grad):
    """d/db = adjoint(A) @ grad; d/dvalues[i] = grad[row_i] . b[col_i] (TF 1.15's sparse_grad.py)."""
    a_indices, a_values, a_shape, b = op.inputs
    adj_a, adj_b = op.attrs["adjoint_a"], op.attrs["adjoint_b"]
    if a_values.dtype.base_dtype != b.dtype.base_dtype:
        raise TypeError(f"SparseTensorDenseMatMul op received operands with different types: "
                        f"`{a_values.dtype.base_dtype}` and `{b.dtype.base_dtype}`.")
    b_grad = apply_op("SparseTensorDenseMatMul", [a_indices, a_values, a_shape, grad],
                      {"adjoint_a": not adj_a, "adjoint_b": False, "Tindices": _dtypes.int64},
                      name="SparseTensorDenseMatMul", dtypes=[grad.dtype.base_dtype])
    if adj_b:
        b_grad = array_ops.transpose(b_grad)
    rows, cols = a_indices[:, 0], a_indices[:, 1]
    parts_a = slicing_ops.gather(grad, cols if adj_a else rows)
    parts_b = slicing_ops.gather(array_ops.transpose(b) if adj_b else b, rows if adj_a else cols)
    values_grad = reduce_ops.reduce_sum(parts_a * parts_b, axis=1)
    return [None, values_grad, None, b_grad]


def sparse_tensor_dense_matmul(sp_a, b, adjoint_a=False, adjoint_b=False, name=None):
    """A @ b for a SparseTensor A (rank 2) and a dense matrix b: a dense [rows, cols] tensor.

    Op "SparseTensorDenseMatMul", in a name scope of the same name. Differentiable with respect
    to b and to A's values (not its indices).
    """
    sp_a = _as_sparse(sp_a, "sp_a")
    graph = graph_of([sp_a.indices, sp_a.values, b])
    with graph.name_scope(name or "SparseTensorDenseMatMul"):
        b = convert_to_tensor(b, name="b")
        return apply_op("SparseTensorDenseMatMul", [sp_a.indices, sp_a.values, sp_a.dense_shape, b],
                        {"adjoint_a": bool(adjoint_a), "adjoint_b": bool(adjoint_b), "Tindices": _dtypes.int64},
                        name="SparseTensorDenseMatMul", dtypes=[b.dtype.base_dtype])


sparse_dense_matmul = sparse_tensor_dense_matmul


# ---- SparseReorder -----------------------------------------------------------------------------
@kernel("SparseReorder", PURE, inputs=("input_indices", "input_values", "input_shape"), same_dtype=False)
def _sparse_reorder(indices, values, shape):
    indices = np.asarray(indices).reshape(-1, len(_dims(shape)))
    order = np.lexsort(indices.T[::-1]) if indices.size else np.arange(len(indices))
    return indices[order], np.asarray(values)[order]


shape_rule("SparseReorder")(lambda op: [shape_of(op.inputs[0]), shape_of(op.inputs[1])])


@RegisterGradient("SparseReorder")
def _sparse_reorder_grad(op, indices_grad, values_grad):
    """The values' gradient put back in the input order (the inverse of the sorting permutation)."""
    input_indices, input_shape = op.inputs[0], op.inputs[2]
    entries = building_ops.range(0, array_ops.shape(input_indices)[0])
    _, permutation = apply_op("SparseReorder", [input_indices, entries, input_shape], {}, name="SparseReorder",
                              dtypes=[_dtypes.int64, _dtypes.int32], num_outputs=2)
    return [None, slicing_ops.gather(values_grad, array_ops.invert_permutation(permutation)), None]


def sparse_reorder(sp_input, name=None):
    """The same SparseTensor with its indices in row-major order (what SparseToDense wants)."""
    sp_input = _as_sparse(sp_input)
    indices, values = apply_op("SparseReorder", [sp_input.indices, sp_input.values, sp_input.dense_shape], {},
                               name=name or "SparseReorder", dtypes=[_dtypes.int64, sp_input.dtype.base_dtype],
                               num_outputs=2)
    return _result(indices, values, sp_input)


# ---- SparseAdd, SparseTensorDenseAdd -----------------------------------------------------------
@kernel("SparseAdd", PURE, inputs=("a_indices", "a_values", "a_shape", "b_indices", "b_values", "b_shape",
                                   "thresh"), same_dtype=False)
def _sparse_add(a_indices, a_values, a_shape, b_indices, b_values, b_shape, thresh):
    if _dims(a_shape) != _dims(b_shape):
        raise InvalidArgumentError(None, None, f"Operands do not have the same ranks; got shapes: "
                                   f"{_fmt_index(_dims(a_shape))} and {_fmt_index(_dims(b_shape))}")
    rank = len(_dims(a_shape))
    a, b = np.asarray(a_indices).reshape(-1, rank), np.asarray(b_indices).reshape(-1, rank)
    indices, values, i, j = [], [], 0, 0
    while i < len(a) and j < len(b):  # TF's merge of two (sorted) index lists
        ka, kb = tuple(a[i]), tuple(b[j])
        if ka < kb:
            indices.append(a[i]), values.append(a_values[i])
            i += 1
        elif kb < ka:
            indices.append(b[j]), values.append(b_values[j])
            j += 1
        else:
            s = a_values[i] + b_values[j]
            if np.abs(s) >= thresh:
                indices.append(a[i]), values.append(s)
            i, j = i + 1, j + 1
    for k in range(i, len(a)):
        indices.append(a[k]), values.append(a_values[k])
    for k in range(j, len(b)):
        indices.append(b[k]), values.append(b_values[k])
    return (np.array(indices, np.int64).reshape(-1, rank), np.array(values, np.asarray(a_values).dtype),
            np.array(_dims(a_shape), np.int64))


shape_rule("SparseAdd")(lambda op: [(None, shape_of(op.inputs[0])[1] if shape_of(op.inputs[0]) else None),
                                    (None,), shape_of(op.inputs[2])])


@kernel("SparseAddGrad", PURE, inputs=("backprop_val_grad", "a_indices", "b_indices", "sum_indices"),
        same_dtype=False)
def _sparse_add_grad_kernel(grad, a_indices, b_indices, sum_indices):
    where = {tuple(row): n for n, row in enumerate(np.asarray(sum_indices))}
    grad = np.asarray(grad)
    pick = [np.array([grad[where[tuple(r)]] if tuple(r) in where else 0 for r in np.asarray(x)], grad.dtype)
            for x in (a_indices, b_indices)]
    return pick[0], pick[1]


shape_rule("SparseAddGrad")(lambda op: [(shape_of(op.inputs[1]) or (None,))[:1], (shape_of(op.inputs[2]) or (None,))[:1]])
NotDifferentiable("SparseAddGrad")


@RegisterGradient("SparseAdd")
def _sparse_add_grad(op, *grads):
    """Each input value gets the gradient of the sum value at its index (0 where it was dropped)."""
    a_grad, b_grad = apply_op("SparseAddGrad", [grads[1], op.inputs[0], op.inputs[3], op.outputs[0]], {},
                              name="SparseAddGrad", dtypes=[grads[1].dtype.base_dtype] * 2, num_outputs=2)
    return [None, a_grad, None, None, b_grad, None, None]


@kernel("SparseTensorDenseAdd", FRESH, inputs=("a_indices", "a_values", "a_shape", "b"), same_dtype=False)
def _sparse_dense_add(a_indices, a_values, a_shape, b, **_):
    if _dims(a_shape) != np.shape(b):
        raise InvalidArgumentError(None, None, f"Dimension 0 does not equal (no broadcasting is supported): sparse "
                                   f"side {_fmt_index(_dims(a_shape))} vs dense side {_fmt_index(np.shape(b))}")
    out = np.array(b, copy=True)
    if np.size(a_indices):
        np.add.at(out, tuple(np.asarray(a_indices).T), a_values)
    return out


shape_rule("SparseTensorDenseAdd")(lambda op: [shape_of(op.inputs[3])])


@RegisterGradient("SparseTensorDenseAdd")
def _sparse_dense_add_grad(op, grad):
    """d/dvalues: the gradient at each index; d/db: the gradient."""
    return [None, gather_nd(grad, op.inputs[0]), None, grad]


def sparse_add(a, b, threshold=0, thresh=None, name=None):
    """a + b where one or both are SparseTensors: a SparseTensor for two (sums whose magnitude is
    below `threshold` dropped), a dense tensor for one sparse and one dense."""
    threshold = thresh if thresh is not None else threshold
    sparse = [isinstance(x, SparseTensor) or type(x).__name__ == "SparseTensorValue" for x in (a, b)]
    if not any(sparse):
        raise TypeError("At least one input should be SparseTensor; do you mean to use tf.add()?")
    if all(sparse):
        a, b = _as_sparse(a), _as_sparse(b)
        thresh_t = convert_to_tensor(threshold, dtype=a.values.dtype.real_dtype
                                     if hasattr(a.values.dtype, "real_dtype") else a.values.dtype, name="threshold")
        indices, values, shape = apply_op(
            "SparseAdd", [a.indices, a.values, a.dense_shape, b.indices, b.values, b.dense_shape, thresh_t], {},
            name=name or "SparseAdd", dtypes=[_dtypes.int64, a.dtype.base_dtype, _dtypes.int64], num_outputs=3)
        static = a.get_shape().merge_with(b.get_shape())
        return SparseTensor(indices, values, static.as_list() if static.is_fully_defined() else shape)
    if sparse[1]:
        a, b = b, a
    a = _as_sparse(a)
    b = convert_to_tensor(b, dtype=a.dtype, name="b")
    return apply_op("SparseTensorDenseAdd", [a.indices, a.values, a.dense_shape, b], {"Tindices": _dtypes.int64},
                    name=name or "SparseTensorDenseAdd", dtypes=[a.dtype.base_dtype])


# ---- tf.sparse_placeholder -------------------------------------------------------------------
def sparse_placeholder(dtype, shape=None, name=None):
    """A SparseTensor to feed: `sess.run(y, {sp: tf.SparseTensorValue(indices, values, shape)})`
    (or an (indices, values, dense_shape) tuple). Its three tensors are placeholders, as in TF."""
    shape_name = name + "/shape" if name is not None else None
    if shape is None:
        rank = None
        dense_shape = placeholder(_dtypes.int64, shape=[rank], name=shape_name)
        static = TensorShape(None)
    else:
        dims = TensorShape(shape).as_tuple()
        rank = len(dims)
        static = TensorShape(dims)
        default = convert_to_tensor(np.array([-1 if d is None else d for d in dims], np.int64),
                                    name=name + "/shape_default" if name is not None else None)
        dense_shape = placeholder_with_default(default, shape=[rank], name=shape_name)
    values = placeholder(dtype, shape=[None], name=name + "/values" if name is not None else None)
    indices = placeholder(_dtypes.int64, shape=[None, rank], name=name + "/indices" if name is not None else None)
    result = SparseTensor(indices, values, dense_shape)
    result._shape = static
    return result


__all__ = ["embedding_lookup_sparse", "gather_nd", "sparse_add", "sparse_dense_matmul", "sparse_placeholder", "sparse_reduce_sum",
           "sparse_reorder", "sparse_tensor_dense_matmul", "sparse_tensor_to_dense", "sparse_to_dense"]


# ---- SparseSegmentSum / Mean / SqrtN, SegmentSum: what embedding_lookup_sparse stands on --------------
def _segments(segment_ids, what="segment ids"):
    ids = np.asarray(segment_ids).reshape(-1)
    if ids.size and (np.any(np.diff(ids) < 0) or ids[0] < 0):
        raise InvalidArgumentError(None, None, f"{what} are not increasing: got {ids.tolist()}")
    return ids, (int(ids[-1]) + 1 if ids.size else 0)


def _sparse_segment(data, indices, segment_ids, scale):
    data, indices = np.asarray(data), np.asarray(indices).reshape(-1)
    ids, n = _segments(segment_ids)
    for i in indices:
        if not 0 <= i < len(data):
            raise InvalidArgumentError(None, None, f"Bad: indices[{int(i)}] is out of range [0, {len(data)})")
    out = np.zeros((n,) + data.shape[1:], dtype=data.dtype)
    np.add.at(out, ids, data[indices])
    counts = np.bincount(ids, minlength=n).reshape((n,) + (1,) * (data.ndim - 1))
    return (out / np.maximum(scale(counts), 1)).astype(data.dtype)


_SCALES = {"SparseSegmentSum": lambda c: np.ones_like(c), "SparseSegmentMean": lambda c: c,
           "SparseSegmentSqrtN": lambda c: np.sqrt(c)}


def _segment_shape(op):
    data = shape_of(op.inputs[0])
    return [None if data is None else (None,) + tuple(data[1:])]


for _t in _SCALES:
    kernel(_t, FRESH, inputs=("data", "indices", "segment_ids"), same_dtype=False)(
        lambda data, indices, segment_ids, _scale=_SCALES[_t], **_: _sparse_segment(data, indices, segment_ids,
                                                                                   _scale))
    shape_rule(_t)(_segment_shape)


@RegisterGradient("SparseSegmentSum")
def _sparse_segment_sum_grad(op, grad):
    """Each gathered row gets its segment's gradient, summed back into data's rows."""
    data, indices, segment_ids = op.inputs
    rows = array_ops.shape(data)[0]
    return [slicing_ops.unsorted_segment_sum(slicing_ops.gather(grad, segment_ids), indices, rows), None, None]


@kernel("SparseSegmentMeanGrad", FRESH, inputs=("grad", "indices", "segment_ids", "output_dim0"), same_dtype=False)
def _sparse_segment_scaled_grad(grad, indices, segment_ids, output_dim0, sqrt=False):
    grad, indices = np.asarray(grad), np.asarray(indices).reshape(-1)
    ids, n = _segments(segment_ids)
    counts = np.maximum(np.bincount(ids, minlength=n), 1).astype(grad.dtype)
    scale = (np.sqrt(counts) if sqrt else counts)[ids].reshape((-1,) + (1,) * (grad.ndim - 1))
    out = np.zeros((int(output_dim0),) + grad.shape[1:], dtype=grad.dtype)
    np.add.at(out, indices, grad[ids] / scale)
    return out


shape_rule("SparseSegmentMeanGrad")(lambda op: [(_const_value(op.inputs[3]),) + tuple((shape_of(op.inputs[0])
                                                                                      or (None,))[1:])
                                                if shape_of(op.inputs[0]) is not None else None])
NotDifferentiable("SparseSegmentMeanGrad")


def _scaled_grad(sqrt):
    def grad_fn(op, grad):
        """Each gathered row gets its segment's gradient over the count (or its square root)."""
        data, indices, segment_ids = op.inputs
        dim0 = array_ops.shape(data)[0]
        return [apply_op("SparseSegmentMeanGrad", [grad, indices, segment_ids, dim0], {"sqrt": sqrt},
                         name="SparseSegmentSqrtNGrad" if sqrt else "SparseSegmentMeanGrad",
                         dtypes=[grad.dtype.base_dtype]), None, None]
    return grad_fn


RegisterGradient("SparseSegmentMean")(_scaled_grad(False))
RegisterGradient("SparseSegmentSqrtN")(_scaled_grad(True))


@kernel("SegmentSum", FRESH, inputs=("data", "segment_ids"), same_dtype=False)
def _segment_sum(data, segment_ids, **_):
    data = np.asarray(data)
    ids, n = _segments(segment_ids)
    out = np.zeros((n,) + data.shape[1:], dtype=data.dtype)
    np.add.at(out, ids, data)
    return out


shape_rule("SegmentSum")(_segment_shape)


@RegisterGradient("SegmentSum")
def _segment_sum_grad(op, grad):
    """Each row of data gets the gradient of the segment it was summed into."""
    return [slicing_ops.gather(grad, op.inputs[1]), None]


def embedding_lookup_sparse(params, sp_ids, sp_weights, partition_strategy="mod", name=None, combiner=None,
                            max_norm=None):
    """For each row of the SparseTensor `sp_ids` (e.g. a bag of word ids per example), the
    combination of the embeddings (`params` rows) of its ids: "mean" (TF1's default), "sum" or
    "sqrtn" (sum / sqrt(count)); `sp_weights` (a SparseTensor like sp_ids, or None) weighs them.
    A row with no ids gets zeros. Ops SparseSegmentMean/Sum/SqrtN (SegmentSum with weights).
    """
    combiner = "mean" if combiner is None else combiner
    if combiner not in ("mean", "sqrtn", "sum"):
        raise ValueError(f"combiner must be one of 'mean', 'sqrtn' or 'sum', got {combiner}")
    if max_norm is not None:
        raise NotImplementedError("tfteach's embedding_lookup_sparse does not clip (max_norm)")
    params = params[0] if isinstance(params, (list, tuple)) and len(params) == 1 else params
    if isinstance(params, (list, tuple)):
        raise NotImplementedError("tfteach's embedding_lookup_sparse takes one params tensor, not a partitioned list")
    sp_ids = _as_sparse(sp_ids, "sp_ids")
    params = convert_to_tensor(params, name="params")
    graph = graph_of([params, sp_ids.indices])
    with graph.name_scope(name or "embedding_lookup_sparse") as scope:
        segment_ids = sp_ids.indices[:, 0]
        ids = sp_ids.values
        if sp_weights is None:
            op_type = {"mean": "SparseSegmentMean", "sum": "SparseSegmentSum", "sqrtn": "SparseSegmentSqrtN"}[combiner]
            return apply_op(op_type, [params, ids, segment_ids], {}, name=scope, dtypes=[params.dtype.base_dtype])
        sp_weights = _as_sparse(sp_weights, "sp_weights")
        weights = sp_weights.values
        embeddings = slicing_ops.gather(params, ids) * array_ops.reshape(weights, [-1, 1])
        if combiner == "sum":
            return apply_op("SegmentSum", [embeddings, segment_ids], {}, name=scope, dtypes=[params.dtype.base_dtype])
        total = apply_op("SegmentSum", [embeddings, segment_ids], {}, dtypes=[params.dtype.base_dtype])
        norm = weights if combiner == "mean" else weights * weights
        weight_sum = apply_op("SegmentSum", [norm, segment_ids], {}, dtypes=[params.dtype.base_dtype])
        if combiner == "sqrtn":
            weight_sum = math_ops.sqrt(weight_sum)
        # DivNoNan (registered by tf1_names.py, which `import tfteach` loads): an empty row stays 0
        return apply_op("DivNoNan", [total, array_ops.reshape(weight_sum, [-1, 1])], name=scope)
