"""tf.sparse: SparseTensor and its ops under TF1's `tf.sparse` names (tfteach/ops/sparse_ops.py)."""
from .ops.sparse_ops import (sparse_add as add, sparse_dense_matmul, sparse_placeholder as placeholder,  # noqa: F401
                             sparse_reduce_sum as reduce_sum, sparse_reorder as reorder,
                             sparse_tensor_dense_matmul as matmul, sparse_tensor_to_dense as to_dense)
from .sparse_tensor import SparseTensor, SparseTensorValue  # noqa: F401


def __getattr__(name):
    if name.startswith("__"):
        raise AttributeError(name)
    from .coverage import missing
    raise missing("tf.sparse", name)
