"""tf.contrib: only the pieces the classic tutorials use: initializers (seed 001's
xavier_initializer) and contrib.layers' flatten and fully_connected.

flatten and fully_connected follow tf_slim 1.1 (the library tf.contrib.layers became), the same
code as TF 1.15's contrib: node names `Flatten/flatten/Reshape`, variables
`fully_connected/weights` and `fully_connected/biases` in MODEL_VARIABLES.
"""
import functools
import operator
import types

from . import init_ops, lazy as _lazy
from .graph import GraphKeys, convert_to_tensor, get_default_graph


def _tf():
    import tfteach
    return tfteach


def _collect_named_outputs(collections, alias, outputs):
    """tf_slim's utils.collect_named_outputs: add `outputs` to `collections` (with an alias)."""
    if collections:
        outputs.alias = alias
        get_default_graph().add_to_collections(collections, outputs)
    return outputs


def flatten(inputs, outputs_collections=None, scope=None):
    """Flatten every dimension but the first: (batch, d1, d2, ...) -> (batch, d1*d2*...).

    Node `Flatten/flatten/Reshape` (then `Flatten_1/...`); a rank-1 input gets a dimension of 1
    added, as TF's. Example: images (None, 28, 28, 1) -> (None, 784).
    """
    tf = _tf()
    graph = get_default_graph()
    with graph.name_scope(scope or "Flatten") as sc:
        inputs = convert_to_tensor(inputs)
        shape = inputs.get_shape()
        if shape.ndims is None:
            raise ValueError("Inputs to Flatten must have a known rank, got an input of unknown rank "
                             f"('{inputs.name}')")
        if shape.ndims == 0:
            raise ValueError(f"Inputs to Flatten must have at least rank 1, got shape {shape} "
                             f"('{inputs.name}')")
        with graph.name_scope("flatten"):
            if shape.ndims == 1:
                outputs = tf.expand_dims(inputs, axis=1)
            else:
                dims = shape.as_list()
                if all(d is not None for d in dims[1:]):
                    flat_shape = tf.constant([-1, int(functools.reduce(operator.mul, dims[1:], 1))])
                elif dims[0] is not None:
                    flat_shape = tf.constant([int(dims[0]), -1])
                else:
                    flat_shape = [tf.shape(inputs)[0], -1]
                outputs = tf.reshape(inputs, flat_shape)
        return _collect_named_outputs(outputs_collections, sc.rstrip("/"), outputs)


def _model_variable(name, shape, dtype, initializer, regularizer, trainable, collections):
    """tf_slim's model_variable: a get_variable also listed in MODEL_VARIABLES (and `collections`)."""
    tf = _tf()
    names = [GraphKeys.GLOBAL_VARIABLES, GraphKeys.MODEL_VARIABLES] + list(collections or [])
    return tf.get_variable(name, shape=shape, dtype=dtype, initializer=initializer,
                           regularizer=regularizer, trainable=trainable, collections=names)


def _variables_collections(variables_collections, name):
    if isinstance(variables_collections, dict):
        return variables_collections.get(name)
    return variables_collections


def fully_connected(inputs, num_outputs, activation_fn="relu", normalizer_fn=None, normalizer_params=None,
                    weights_initializer=None, weights_regularizer=None, biases_initializer="zeros",
                    biases_regularizer=None, reuse=None, variables_collections=None,
                    outputs_collections=None, trainable=True, scope=None):
    """A dense layer: activation_fn(inputs @ weights + biases), relu by default.

    Variables `fully_connected/weights` (xavier/glorot uniform) and `fully_connected/biases`
    (zeros), in GLOBAL_VARIABLES, TRAINABLE_VARIABLES and MODEL_VARIABLES; the next call makes
    `fully_connected_1/...`. `activation_fn=None` gives a linear layer; with a `normalizer_fn`
    (e.g. batch norm) there are no biases. (batch, in) -> (batch, num_outputs); inputs of higher
    rank are multiplied along their last axis, (batch, time, in) -> (batch, time, num_outputs), by
    a Tensordot scope as TF's.
    """
    tf = _tf()
    if not isinstance(num_outputs, int):
        raise ValueError(f"num_outputs type should be one of (<class 'int'>,), got {type(num_outputs)}.")
    if activation_fn == "relu":
        activation_fn = tf.nn.relu
    if biases_initializer == "zeros":
        biases_initializer = init_ops.zeros_initializer()
    if weights_initializer is None:
        weights_initializer = init_ops.xavier_initializer()
    with tf.variable_scope(scope, "fully_connected", [inputs], reuse=reuse):
        inputs = convert_to_tensor(inputs)
        dtype = inputs.dtype.base_dtype
        shape = inputs.get_shape()
        if shape.ndims is None or shape.ndims < 2:
            raise ValueError(f"Input 0 of layer {tf.get_variable_scope().name} is incompatible with the "
                             f"layer: expected min_ndim=2, found ndim={shape.ndims}. Full shape received: "
                             f"{shape}")
        if shape.as_list()[-1] is None:
            raise ValueError("The last dimension of the inputs to `Dense` should be defined. Found `None`.")
        weights = _model_variable("weights", [shape.as_list()[-1], num_outputs], dtype, weights_initializer,
                                  weights_regularizer, trainable,
                                  _variables_collections(variables_collections, "weights"))
        use_bias = normalizer_fn is None and biases_initializer is not None
        biases = None
        if use_bias:
            biases = _model_variable("biases", [num_outputs], dtype, biases_initializer, biases_regularizer,
                                     trainable, _variables_collections(variables_collections, "biases"))
        outputs = tf.matmul(inputs, weights) if shape.ndims == 2 else _tensordot_last(inputs, weights)
        if biases is not None:
            outputs = tf.nn.bias_add(outputs, biases)
        if normalizer_fn is not None:
            outputs = normalizer_fn(outputs, **(normalizer_params or {}))
        if activation_fn is not None:
            outputs = activation_fn(outputs)
        return _collect_named_outputs(outputs_collections, tf.get_variable_scope().name, outputs)


def _tensordot_last(a, b):
    """a's last axis times the matrix b (TF's tensordot(a, b, [[rank - 1], [0]]), node names
    `Tensordot/...`): a is transposed and reshaped to 2-D, multiplied, reshaped back."""
    tf = _tf()
    graph = get_default_graph()
    with graph.name_scope("Tensordot") as scope:
        dims = a.get_shape().as_list()
        rank = len(dims)
        out_static = dims[:-1] + b.get_shape().as_list()[1:]
        if all(d is not None for d in dims):
            flat = tf.reshape(a, [int(functools.reduce(operator.mul, dims[:-1], 1)), dims[-1]])
            product = tf.matmul(flat, b)
            return tf.reshape(product, out_static, name=scope)
        axes = tf.constant([rank - 1], dtype=tf.int32, name="axes")
        free = tf.constant(list(range(rank - 1)), dtype=tf.int32, name="free")
        shape_a = tf.shape(a)
        free_dims = tf.gather(shape_a, free)
        axes_dims = tf.gather(shape_a, axes)
        prod_free, prod_axes = tf.reduce_prod(free_dims), tf.reduce_prod(axes_dims)
        perm = tf.concat([free, axes], 0)
        new_shape = tf.stack([prod_free, prod_axes])
        product = tf.matmul(tf.reshape(tf.transpose(a, perm), new_shape), b)
        b_free = convert_to_tensor(b.get_shape().as_list()[1:], dtype=tf.int32)
        result = tf.reshape(product, tf.concat([free_dims, b_free], 0), name=scope)
        result.set_shape(out_static)
        return result


layers = types.SimpleNamespace(
    xavier_initializer=init_ops.xavier_initializer,
    xavier_initializer_conv2d=init_ops.xavier_initializer,
    variance_scaling_initializer=init_ops.VarianceScaling,
    flatten=flatten,
    fully_connected=fully_connected,
)


# loaded on first use (tfteach/lazy.py): tf.contrib.rnn (the cells of rnn_cell.py with rnn.py's
# static RNNs) and tf.contrib.seq2seq (seq2seq.py), issue #25
_lazy.register(__name__, "tf.contrib", {
    "rnn": lambda: _lazy.module(".rnn_cell").contrib_namespace(_lazy.module(".rnn")),
    "seq2seq": (".seq2seq", None),
})


def __getattr__(name):
    if name.startswith("__"):  # import machinery probing (__path__, ...): not a TF name
        raise AttributeError(name)
    return _lazy.attribute(__name__, name)


def __dir__():
    return _lazy.names(__name__, globals())
