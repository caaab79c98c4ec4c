"""tf.reverse_sequence: reverse the first `seq_lengths[b]` steps of every row b, leave the rest.

Mirrors ReverseSequence of tensorflow/python/ops/array_ops.py and array_grad.py (TF 1.15).
bidirectional_dynamic_rnn feeds its backward cell this way: each sequence read from its own
last valid step, the padding after it untouched.
"""
import numpy as np

from .. import dtypes as _dtypes
from ..errors import InvalidArgumentError
from ..graph import convert_to_tensor
from ..registry import PURE, RegisterGradient, apply_op, kernel, shape_rule
from . import array as array_ops
from .common import _shape_error
from .shapes import shape_of


# ---- ReverseSequence ---------------------------------------------------------------------------
@kernel("ReverseSequence", PURE, inputs=("input", "seq_lengths"), same_dtype=False)
def _reverse_sequence(x, lengths, seq_dim, batch_dim=0, T=None, Tlen=None):  # noqa: N803
    if len(lengths) != x.shape[batch_dim]:
        raise InvalidArgumentError(None, None, f"Length of seq_lengths != input.dims({batch_dim}), "
                                               f"({len(lengths)} vs. {x.shape[batch_dim]})")
    out = np.array(x)
    for b, n in enumerate(np.reshape(lengths, -1)):
        if n < 0:
            raise InvalidArgumentError(None, None, f"seq_lens({b}) < 0")
        if n > x.shape[seq_dim]:
            raise InvalidArgumentError(None, None, f"seq_lens({b}) > input.dims({seq_dim})")
        row = [slice(None)] * x.ndim
        row[batch_dim] = b
        row[seq_dim] = slice(0, int(n))
        row = tuple(row)
        axis = seq_dim - (1 if batch_dim < seq_dim else 0)  # the batch axis is gone in x[row]
        out[row] = np.flip(x[row], axis=axis)
    return out


@shape_rule("ReverseSequence")
def _reverse_sequence_shape(op):
    x, lengths = shape_of(op.inputs[0]), shape_of(op.inputs[1])
    seq_dim, batch_dim = op.get_attr("seq_dim"), op.get_attr("batch_dim")
    if lengths is not None and len(lengths) != 1:
        raise _shape_error(op, f"Shape must be rank 1 but is rank {len(lengths)}")
    if x is None:
        return [None]
    if seq_dim >= len(x):
        raise _shape_error(op, f"seq_dim must be < input rank: {seq_dim} vs. {len(x)}")
    if batch_dim >= len(x):
        raise _shape_error(op, f"batch_dim must be < input rank: {batch_dim} vs. {len(x)}")
    if lengths is not None and None not in (lengths[0], x[batch_dim]) and lengths[0] != x[batch_dim]:
        raise _shape_error(op, f"Dimensions must be equal, but are {x[batch_dim]} and {lengths[0]}")
    out = list(x)
    if lengths is not None and out[batch_dim] is None:
        out[batch_dim] = lengths[0]
    return [tuple(out)]


@RegisterGradient("ReverseSequence")
def _reverse_sequence_grad(op, grad):
    """Reversing the same first steps again puts every gradient back where its input was."""
    lengths = op.inputs[1]
    return [reverse_sequence(grad, lengths, seq_axis=op.get_attr("seq_dim"),
                             batch_axis=op.get_attr("batch_dim")), None]


def reverse_sequence(input, seq_lengths, seq_axis=None, batch_axis=None, name=None,  # noqa: A002
                     seq_dim=None, batch_dim=None):
    """Reverse the first `seq_lengths[b]` elements along `seq_axis` of each slice b along `batch_axis`.

    Args:
        input: a tensor of rank >= 2.
        seq_lengths: int32 or int64 vector [input.shape[batch_axis]], each <= input.shape[seq_axis].
        seq_axis, batch_axis: the time and batch axes (TF1's old names seq_dim, batch_dim too).
    Returns: a tensor of input's shape and dtype. Op type "ReverseSequence".

    Example: `tf.reverse_sequence([[1, 2, 3, 0], [4, 5, 0, 0]], [3, 2], seq_axis=1, batch_axis=0)`
    gives [[3, 2, 1, 0], [5, 4, 0, 0]].
    """
    seq_axis = seq_dim if seq_axis is None else seq_axis
    batch_axis = (batch_dim if batch_axis is None else batch_axis)
    if seq_axis is None:
        raise TypeError("reverse_sequence() missing required argument: 'seq_axis'")
    batch_axis = 0 if batch_axis is None else batch_axis
    with array_ops._scope(name or "ReverseSequence", [input, seq_lengths]) as scope:
        x = convert_to_tensor(input, name="input")
        lengths = convert_to_tensor(seq_lengths, name="seq_lengths")
        if lengths.dtype.base_dtype not in (_dtypes.int32, _dtypes.int64):
            raise TypeError(f"ReverseSequence '{scope.rstrip('/')}': Value passed to parameter 'seq_lengths' has "
                            f"DataType {lengths.dtype.base_dtype.name} not in list of allowed values: int32, int64")
        return apply_op("ReverseSequence", [x, lengths],
                        {"seq_dim": int(seq_axis), "batch_dim": int(batch_axis), "Tlen": lengths.dtype.base_dtype},
                        name=scope, dtypes=[x.dtype.base_dtype])


__all__ = ["reverse_sequence"]
