"""tf.contrib.seq2seq.sequence_loss: the weighted cross-entropy of a sequence of logits.

Written from TF 1.15's tensorflow/contrib/seq2seq/python/ops/loss.py. Contrib is gone from TF 2.x:
tests/test_seq2seq_tfa.py checks every mode against tensorflow-addons' sequence_loss (its successor).
"""
from . import dtypes as _dtypes, tf1_names
from .coverage import missing
from .graph import convert_to_tensor, name_scope
from .ops import array as array_ops, math as math_ops, nn_impl, reduce as reduce_ops


def sequence_loss(logits, targets, weights, average_across_timesteps=True, average_across_batch=True,
                  sum_over_timesteps=False, sum_over_batch=False, softmax_loss_function=None, name=None):
    """Weighted cross-entropy of logits [batch, T, classes] against targets [batch, T] (ints).

    weights [batch, T] (often 1.0 for real steps, 0.0 for padding) scale each step's loss. By
    default returns the scalar sum(weights * crossent) / sum(weights); with
    average_across_timesteps=False a [T] vector (averaged over the batch), with
    average_across_batch=False a [batch] vector, with both False the [batch, T] losses.
    """
    logits, targets, weights = (convert_to_tensor(t) for t in (logits, targets, weights))
    if logits.shape.ndims != 3:
        raise ValueError("Logits must be a [batch_size x sequence_length x logits] tensor")
    if targets.shape.ndims != 2:
        raise ValueError("Targets must be a [batch_size x sequence_length] tensor")
    if weights.shape.ndims != 2:
        raise ValueError("Weights must be a [batch_size x sequence_length] tensor")
    if average_across_timesteps and sum_over_timesteps:
        raise ValueError("average_across_timesteps and sum_over_timesteps cannot be set to True at same time.")
    if average_across_batch and sum_over_batch:
        raise ValueError("average_across_batch and sum_over_batch cannot be set to True at same time.")
    with name_scope(name or "sequence_loss"):
        num_classes = array_ops.shape(logits)[2]
        logits_flat = array_ops.reshape(logits, [-1, num_classes])
        targets = array_ops.reshape(targets, [-1])
        if softmax_loss_function is None:
            crossent = nn_impl.sparse_softmax_cross_entropy_with_logits(labels=targets, logits=logits_flat)
        else:
            crossent = softmax_loss_function(labels=targets, logits=logits_flat)
        crossent *= array_ops.reshape(weights, [-1])
        if average_across_timesteps and average_across_batch:
            crossent = reduce_ops.reduce_sum(crossent)
            total_size = reduce_ops.reduce_sum(weights)
            crossent = tf1_names.div_no_nan(crossent, total_size)
        elif sum_over_timesteps and sum_over_batch:
            crossent = reduce_ops.reduce_sum(crossent)
            total_count = math_ops.cast(reduce_ops.count_nonzero(weights), _dtypes.float32)
            crossent = tf1_names.div_no_nan(crossent, total_count)
        else:
            crossent = array_ops.reshape(crossent, array_ops.shape(logits)[0:2])
            if average_across_timesteps or average_across_batch:
                reduce_axis = [0] if average_across_batch else [1]
                crossent = reduce_ops.reduce_sum(crossent, axis=reduce_axis)
                total_size = reduce_ops.reduce_sum(weights, axis=reduce_axis)
                crossent = tf1_names.div_no_nan(crossent, total_size)
            elif sum_over_timesteps or sum_over_batch:
                reduce_axis = [0] if sum_over_batch else [1]
                crossent = reduce_ops.reduce_sum(crossent, axis=reduce_axis)
                total_count = math_ops.cast(reduce_ops.count_nonzero(weights, axis=reduce_axis), _dtypes.float32)
                crossent = tf1_names.div_no_nan(crossent, total_count)
        return crossent


__all__ = ["sequence_loss"]


def __getattr__(name):
    raise missing("tf.contrib.seq2seq", name)
