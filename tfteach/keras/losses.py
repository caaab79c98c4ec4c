"""Keras losses by name. Each takes (y_true, y_pred) and returns one loss per sample.

Mirrors keras/losses.py: the model averages these over the batch. As tf.keras does, the cross
entropies look through a final softmax (or sigmoid) and use its logits, which is exact and stable
where log(softmax) would round small probabilities to 0.
"""
_EPSILON = 1e-7


def _tf():
    import tfteach
    return tfteach


def mean_squared_error(y_true, y_pred):
    """mean((y_pred - y_true)**2) over the last axis."""
    tf = _tf()
    return tf.reduce_mean(tf.square(y_pred - y_true), axis=-1)


def mean_absolute_error(y_true, y_pred):
    """mean(|y_pred - y_true|) over the last axis."""
    tf = _tf()
    return tf.reduce_mean(tf.abs(y_pred - y_true), axis=-1)


def categorical_crossentropy(y_true, y_pred):
    """-sum(y_true * log(y_pred)) over the classes; y_true one-hot (see utils.to_categorical)."""
    tf = _tf()
    if y_pred.op.type == "Softmax":
        return tf.nn.softmax_cross_entropy_with_logits_v2(labels=y_true, logits=y_pred.op.inputs[0])
    probs = y_pred / tf.reduce_sum(y_pred, axis=-1, keepdims=True)
    probs = tf.clip_by_value(probs, _EPSILON, 1 - _EPSILON)
    return -tf.reduce_sum(y_true * tf.log(probs), axis=-1)


def sparse_categorical_crossentropy(y_true, y_pred):
    """-log(y_pred[y_true]): the same as categorical_crossentropy with class numbers as targets."""
    tf = _tf()
    if y_pred.op.type == "Softmax":
        logits = y_pred.op.inputs[0]
    else:  # log-probabilities are logits too: softmax(log p) = p
        logits = tf.log(tf.clip_by_value(y_pred, _EPSILON, 1 - _EPSILON))
    return tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y_true, logits=logits)


def binary_crossentropy(y_true, y_pred):
    """-(y log p + (1 - y) log(1 - p)), averaged over the last axis; y_pred in (0, 1)."""
    tf = _tf()
    if y_pred.op.type == "Sigmoid":
        return tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=y_true, logits=y_pred.op.inputs[0]),
                              axis=-1)
    p = tf.clip_by_value(y_pred, _EPSILON, 1 - _EPSILON)
    return tf.reduce_mean(-(y_true * tf.log(p) + (1 - y_true) * tf.log(1 - p)), axis=-1)


mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error

_BY_NAME = {"mean_squared_error": mean_squared_error, "mse": mean_squared_error, "MSE": mean_squared_error,
            "mean_absolute_error": mean_absolute_error, "mae": mean_absolute_error, "MAE": mean_absolute_error,
            "categorical_crossentropy": categorical_crossentropy,
            "sparse_categorical_crossentropy": sparse_categorical_crossentropy,
            "binary_crossentropy": binary_crossentropy}


def get(identifier):
    """The loss function for a name, or a callable (y_true, y_pred) -> per-sample losses itself."""
    if callable(identifier):
        return identifier
    if identifier not in _BY_NAME:
        raise ValueError(f"Unknown loss {identifier!r}: use one of {', '.join(sorted(_BY_NAME))}, "
                         f"or a function (y_true, y_pred) -> loss per sample")
    return _BY_NAME[identifier]
