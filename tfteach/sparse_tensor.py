"""tf.SparseTensor and tf.SparseTensorValue: a tensor given by its nonzero entries.

Mirrors tensorflow/python/framework/sparse_tensor.py. A SparseTensor is not an op: it is three
ordinary tensors, `indices` (int64 [N, rank]), `values` ([N]) and `dense_shape` (int64 [rank]),
that the sparse ops (ops/sparse_ops.py) take together. `sess.run` on one gives a
SparseTensorValue of their three arrays; feeding one to a `tf.sparse_placeholder` feeds all three.
"""
import collections

from . import dtypes as _dtypes
from .graph import convert_to_tensor, get_default_session, graph_of, register_tensor_conversion_function
from .ops.common import _partial_shape
from .session_conversions import register_session_run_conversion_functions
from .tensor_shape import TensorShape


SparseTensorValue = collections.namedtuple("SparseTensorValue", ["indices", "values", "dense_shape"])
SparseTensorValue.__doc__ = "What sess.run gives for a SparseTensor: its three numpy arrays."


class SparseTensor:
    """A sparse tensor: `values[i]` sits at position `indices[i]` of a `dense_shape` tensor.

    Example: `tf.SparseTensor(indices=[[0, 0], [1, 2]], values=[1.0, 2.0], dense_shape=[3, 4])`
    is [[1, 0, 0, 0], [0, 0, 2, 0], [0, 0, 0, 0]]; its three tensors are Consts named
    SparseTensor/indices, SparseTensor/values, SparseTensor/dense_shape. Indices are int64 and,
    for most sparse ops, in row-major order (tf.sparse.reorder sorts them).
    """

    def __init__(self, indices, values, dense_shape):
        graph = graph_of([indices, values, dense_shape])
        with graph.name_scope("SparseTensor"):
            indices = convert_to_tensor(indices, dtype=_dtypes.int64, name="indices")
            values = convert_to_tensor(values, name="values")
            dense_shape = convert_to_tensor(dense_shape, dtype=_dtypes.int64, name="dense_shape")
        self._indices, self._values, self._dense_shape = indices, values, dense_shape
        rank = dense_shape.shape.as_tuple()
        n = indices.shape.as_tuple()
        v = values.shape.as_tuple()
        if (n is not None and len(n) != 2) or (v is not None and len(v) != 1) or \
                (rank is not None and len(rank) != 1):
            raise ValueError(f"SparseTensor needs indices of rank 2, values of rank 1 and dense_shape of "
                             f"rank 1, got shapes {indices.shape}, {values.shape} and {dense_shape.shape}")
        if n is not None and v is not None and None not in (n[0], v[0]) and n[0] != v[0]:
            raise ValueError(f"Dimensions {n[0]} and {v[0]} are not compatible")
        if n is not None and rank is not None and None not in (n[1], rank[0]) and n[1] != rank[0]:
            raise ValueError(f"Dimensions {n[1]} and {rank[0]} are not compatible")
        known = _partial_shape(dense_shape)
        self._shape = TensorShape(known) if known is not None else \
            TensorShape(None if rank is None or rank[0] is None else [None] * rank[0])

    @classmethod
    def from_value(cls, sparse_tensor_value):
        """A SparseTensor from a SparseTensorValue (or a SparseTensor, returned as it is)."""
        if isinstance(sparse_tensor_value, SparseTensor):
            return sparse_tensor_value
        return cls(*sparse_tensor_value)

    indices = property(lambda self: self._indices, doc="int64 [N, rank]: where each value sits.")
    values = property(lambda self: self._values, doc="[N]: the values, in the order of indices.")
    dense_shape = property(lambda self: self._dense_shape, doc="int64 [rank]: the dense tensor's shape.")
    dtype = property(lambda self: self._values.dtype)
    op = property(lambda self: self._values.op, doc="The op making the values (TF's choice).")
    graph = property(lambda self: self._indices.graph)
    shape = property(lambda self: self._shape)

    def get_shape(self):
        """The static shape of the dense tensor (what dense_shape is known to be)."""
        return self._shape

    def consumers(self):
        return sorted({op for t in (self._indices, self._values, self._dense_shape) for op in t.consumers()},
                      key=lambda op: op.name)

    def eval(self, feed_dict=None, session=None):
        """sess.run(self) in the default session: a SparseTensorValue."""
        session = session or get_default_session()
        if session is None:
            raise ValueError("Cannot evaluate tensor using `eval()`: No default session is registered. "
                             "Use `with sess.as_default()` or pass an explicit session to `eval(session=sess)`")
        return session.run(self, feed_dict)

    def __repr__(self):
        return f"SparseTensor(indices={self._indices}, values={self._values}, dense_shape={self._dense_shape})"

    __str__ = __repr__


def is_sparse(x):
    """Whether `x` is a SparseTensor or a SparseTensorValue."""
    return isinstance(x, (SparseTensor, SparseTensorValue))


def convert_to_tensor_or_sparse_tensor(value, dtype=None, name=None):
    """A SparseTensor for a SparseTensor(Value), else convert_to_tensor(value)."""
    if isinstance(value, SparseTensorValue):
        value = SparseTensor.from_value(value)
    if isinstance(value, SparseTensor):
        if dtype is not None and _dtypes.as_dtype(dtype) != value.dtype.base_dtype:
            raise ValueError(f"Sparse dtype: requested = {_dtypes.as_dtype(dtype)}, actual = {value.dtype}")
        return value
    return convert_to_tensor(value, dtype=dtype, name=name)


def _as_sparse(x, what="sp_input"):
    """A SparseTensor from a SparseTensor(Value), or TF's TypeError."""
    if isinstance(x, SparseTensorValue):
        return SparseTensor.from_value(x)
    if not isinstance(x, SparseTensor):
        raise TypeError(f"Input must be a SparseTensor. Got {type(x).__name__}" if what == "sp_input" else
                        f"{what} must be a SparseTensor, got {type(x).__name__}")
    return x


def _feed(feed, value):
    """A SparseTensorValue (or an (indices, values, dense_shape) tuple) fed to a SparseTensor."""
    parts = tuple(value)
    if len(parts) != 3:
        raise TypeError(f"The value fed to a SparseTensor must be a SparseTensorValue or an (indices, values, "
                        f"dense_shape) tuple, got {type(value).__name__} of length {len(parts)}")
    return list(zip([feed.indices, feed.values, feed.dense_shape], parts))


def _no_dense_conversion(value, dtype=None, name=None, as_ref=False):
    raise TypeError(f"Failed to convert object of type {type(value)} to Tensor. Contents: {value!r}. Consider "
                    f"casting elements to a supported type. (tfteach: a SparseTensor is three tensors; "
                    f"tf.sparse.to_dense(sp) is the dense one, and the tf.sparse ops take it as it is.)")


register_tensor_conversion_function(SparseTensor, _no_dense_conversion)
register_session_run_conversion_functions(
    SparseTensor, lambda st: ([st.indices, st.values, st.dense_shape], lambda parts: SparseTensorValue(*parts)),
    _feed)

__all__ = ["SparseTensor", "SparseTensorValue"]
