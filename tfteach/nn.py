"""tf.nn: the neural-net functions, re-exported from the op modules (TF1's `tensorflow.nn`).

Nothing is defined here; a TF1 name tfteach lacks raises a clear NotImplementedInTfteach.
"""
from .ops.conv import (avg_pool, conv2d, conv2d_backprop_filter, conv2d_backprop_input,  # noqa: F401
                       max_pool)
from .ops.nn import (bias_add, elu, leaky_relu, log_softmax, l2_loss, relu, relu6, relu_layer, selu,  # noqa: F401
                     softmax, softplus, softsign, xw_plus_b)
from .ops.nn_impl import (batch_normalization, dropout, l2_normalize, moments,  # noqa: F401
                          sigmoid_cross_entropy_with_logits, softmax_cross_entropy_with_logits,
                          softmax_cross_entropy_with_logits_v2, sparse_softmax_cross_entropy_with_logits,
                          weighted_cross_entropy_with_logits)
from .ops.slicing import embedding_lookup  # noqa: F401
from .ops.unary import sigmoid, tanh  # noqa: F401
from . import lazy as _lazy

# loaded on first use (tfteach/lazy.py): the recurrent networks (issue #25; rnn_cell.py, rnn.py, rnn_dynamic.py),
# candidate sampling (ops/candidate_sampling.py), conv2d_transpose (ops/conv_transpose.py) and
# fused_batch_norm (ops/batch_norm.py, FusedBatchNormV3)
_lazy.register(__name__, "tf.nn", {
    "rnn_cell": (".rnn_cell", None),
    "conv2d_transpose": (".ops.conv_transpose", "conv2d_transpose"),
    "fused_batch_norm": (".ops.batch_norm", "fused_batch_norm"),
    "static_rnn": (".rnn", "static_rnn"), "static_bidirectional_rnn": (".rnn", "static_bidirectional_rnn"),
    "dynamic_rnn": (".rnn_dynamic", "dynamic_rnn"),
    "embedding_lookup_sparse": (".ops.sparse_ops", "embedding_lookup_sparse"),
    "bidirectional_dynamic_rnn": (".rnn_dynamic", "bidirectional_dynamic_rnn"),
    **{name: (".ops.candidate_sampling", name)
       for name in ("compute_accidental_hits", "log_uniform_candidate_sampler", "nce_loss", "sampled_softmax_loss")},
})


def __getattr__(name):
    if name.startswith("__"):  # import machinery probing (__path__, ...): not a TF name
        raise AttributeError(name)
    return _lazy.attribute(__name__, name)


def __dir__():
    return _lazy.names(__name__, globals())
