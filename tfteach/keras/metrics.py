"""Keras metrics: 'accuracy' means the accuracy that fits the loss, as in keras/metrics.py.

Each metric takes (y_true, y_pred) and returns one value per sample; the model averages them.
"""
from . import losses


def _tf():
    import tfteach
    return tfteach


def binary_accuracy(y_true, y_pred):
    """1 where round(y_pred) == y_true, averaged over the last axis."""
    tf = _tf()
    return tf.reduce_mean(tf.cast(tf.equal(y_true, tf.round(y_pred)), "float32"), axis=-1)


def categorical_accuracy(y_true, y_pred):
    """1 where the largest prediction is the one-hot target's class."""
    tf = _tf()
    return tf.cast(tf.equal(tf.argmax(y_true, -1), tf.argmax(y_pred, -1)), "float32")


def sparse_categorical_accuracy(y_true, y_pred):
    """1 where the largest prediction is the class number y_true."""
    tf = _tf()
    return tf.cast(tf.equal(tf.cast(y_true, "int64"), tf.argmax(y_pred, -1)), "float32")


def get(identifier, loss, output_shape):
    """The metric function for `identifier`; 'accuracy'/'acc' pick the one that suits `loss`.

    Keras' rule: binary accuracy for one output or binary_crossentropy, sparse categorical for
    sparse_categorical_crossentropy, else categorical.
    """
    if callable(identifier):
        return identifier
    if identifier in ("accuracy", "acc"):
        if output_shape[-1] == 1 or loss is losses.binary_crossentropy:
            return binary_accuracy
        if loss is losses.sparse_categorical_crossentropy:
            return sparse_categorical_accuracy
        return categorical_accuracy
    table = {"binary_accuracy": binary_accuracy, "categorical_accuracy": categorical_accuracy,
             "sparse_categorical_accuracy": sparse_categorical_accuracy}
    if identifier in table:
        return table[identifier]
    try:
        return losses.get(identifier)  # a loss can be watched as a metric, e.g. 'mae'
    except ValueError:
        raise ValueError(f"Unknown metric {identifier!r}: use 'accuracy', one of {', '.join(sorted(table))}, "
                         f"a loss name, or a function (y_true, y_pred)") from None
