"""tf.losses: the common losses, weighted and averaged the way TF1 does, collected in LOSSES.

Mirrors tensorflow/python/ops/losses/losses_impl.py. Argument order is TF1's:
`labels` first, then `predictions` (or `logits`).
"""
from . import dtypes as _dtypes
from .graph import GraphKeys, convert_to_tensor, get_collection, get_default_graph


class Reduction:
    NONE = "none"
    SUM = "weighted_sum"
    MEAN = "weighted_mean"
    SUM_OVER_BATCH_SIZE = "weighted_sum_over_batch_size"
    SUM_BY_NONZERO_WEIGHTS = "weighted_sum_by_nonzero_weights"
    SUM_OVER_NONZERO_WEIGHTS = SUM_BY_NONZERO_WEIGHTS


def _tf():
    """The public tf namespace: losses are built from ordinary public ops (imported lazily,
    since this module is itself part of that namespace)."""
    import tfteach
    return tfteach


def _num_present(losses, weights):
    """How many losses have a nonzero weight (all of them for a nonzero Python float)."""
    tf = _tf()
    if isinstance(weights, float) and weights != 0.0:
        return _num_elements(losses)
    graph = get_default_graph()
    with graph.name_scope("num_present") as scope:
        weights = tf.cast(weights, _dtypes.float32)
        present = tf.where(tf.equal(weights, 0.0), tf.zeros_like(weights),
                                tf.ones_like(weights))
        present = present * tf.ones_like(losses)  # broadcast the weights to the losses' shape
        return tf.reduce_sum(present, name=scope)


def _num_elements(losses):
    tf = _tf()
    with get_default_graph().name_scope("num_elements") as scope:
        return tf.cast(tf.size(losses, name=scope), losses.dtype)


def _safe_mean(total, count):
    """total / count, or 0 when count is 0 (TF1's div_no_nan, named 'value')."""
    tf = _tf()
    positive = tf.greater(count, 0.0)
    safe = tf.where(positive, count, tf.ones_like(count))
    return tf.where(positive, tf.truediv(total, safe), tf.zeros_like(total), name="value")


def compute_weighted_loss(losses, weights=1.0, scope=None, loss_collection=GraphKeys.LOSSES,
                          reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """Weight the elementwise `losses` and reduce them to one number (by default the mean over
    the nonzero weights); adds the result to the LOSSES collection."""
    tf = _tf()
    graph = get_default_graph()
    with graph.name_scope(scope or "weighted_loss"):
        losses = convert_to_tensor(losses)
        input_dtype = losses.dtype.base_dtype
        losses = tf.cast(losses, _dtypes.float32)
        weights_t = tf.cast(weights, _dtypes.float32)
        weighted = tf.multiply(losses, weights_t)
        if reduction == Reduction.NONE:
            loss = weighted
        else:
            loss = tf.reduce_sum(weighted)
            if reduction == Reduction.MEAN:
                loss = _safe_mean(loss, tf.reduce_sum(tf.ones_like(losses) * weights_t))
            elif reduction == Reduction.SUM_BY_NONZERO_WEIGHTS:
                loss = _safe_mean(loss, _num_present(losses, weights))
            elif reduction == Reduction.SUM_OVER_BATCH_SIZE:
                loss = _safe_mean(loss, _num_elements(losses))
        loss = tf.cast(loss, input_dtype)
        if loss_collection:
            graph.add_to_collection(loss_collection, loss)
        return loss


def _prepare(labels, predictions):
    tf = _tf()
    predictions = tf.to_float(predictions)
    labels = tf.to_float(labels)
    predictions.get_shape().assert_is_compatible_with(labels.get_shape())
    return labels, predictions


def mean_squared_error(labels, predictions, weights=1.0, scope=None, loss_collection=GraphKeys.LOSSES,
                       reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """Mean of (predictions - labels)**2 (weighted)."""
    tf = _tf()
    with get_default_graph().name_scope(scope or "mean_squared_error") as scope:
        labels, predictions = _prepare(labels, predictions)
        losses = tf.squared_difference(predictions, labels)
        return compute_weighted_loss(losses, weights, scope, loss_collection, reduction)


def absolute_difference(labels, predictions, weights=1.0, scope=None, loss_collection=GraphKeys.LOSSES,
                        reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """Mean of |predictions - labels| (weighted)."""
    tf = _tf()
    with get_default_graph().name_scope(scope or "absolute_difference") as scope:
        labels, predictions = _prepare(labels, predictions)
        losses = tf.abs(tf.subtract(predictions, labels))
        return compute_weighted_loss(losses, weights, scope, loss_collection, reduction)


def log_loss(labels, predictions, weights=1.0, epsilon=1e-7, scope=None, loss_collection=GraphKeys.LOSSES,
             reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """Mean of -labels*log(p+eps) - (1-labels)*log(1-p+eps) (weighted)."""
    tf = _tf()
    with get_default_graph().name_scope(scope or "log_loss") as scope:
        labels, predictions = _prepare(labels, predictions)
        losses = (-tf.multiply(labels, tf.log(predictions + epsilon))
                  - tf.multiply((1 - labels), tf.log(1 - predictions + epsilon)))
        return compute_weighted_loss(losses, weights, scope, loss_collection, reduction)


def sigmoid_cross_entropy(multi_class_labels, logits, weights=1.0, label_smoothing=0, scope=None,
                          loss_collection=GraphKeys.LOSSES, reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """Mean sigmoid cross entropy of `logits` against 0/1 labels (weighted, optionally smoothed)."""
    tf = _tf()
    with get_default_graph().name_scope(scope or "sigmoid_cross_entropy_loss") as scope:
        logits = convert_to_tensor(logits, name="logits")
        labels = tf.cast(multi_class_labels, logits.dtype.base_dtype)
        logits.get_shape().assert_is_compatible_with(labels.get_shape())
        if label_smoothing > 0:
            labels = labels * (1 - label_smoothing) + 0.5 * label_smoothing
        losses = tf.nn.sigmoid_cross_entropy_with_logits(labels=labels, logits=logits, name="xentropy")
        return compute_weighted_loss(losses, weights, scope, loss_collection, reduction)


def softmax_cross_entropy(onehot_labels, logits, weights=1.0, label_smoothing=0, scope=None,
                          loss_collection=GraphKeys.LOSSES, reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """Mean softmax cross entropy of `logits` against one-hot labels (weighted, optionally smoothed)."""
    tf = _tf()
    with get_default_graph().name_scope(scope or "softmax_cross_entropy_loss") as scope:
        logits = convert_to_tensor(logits, name="logits")
        labels = tf.cast(onehot_labels, logits.dtype.base_dtype)
        logits.get_shape().assert_is_compatible_with(labels.get_shape())
        if label_smoothing > 0:
            num_classes = tf.cast(logits.shape[-1].value, logits.dtype.base_dtype)
            labels = labels * (1 - label_smoothing) + label_smoothing / num_classes
        labels = tf.stop_gradient(labels, name="labels_stop_gradient")
        losses = tf.nn.softmax_cross_entropy_with_logits_v2(labels=labels, logits=logits, name="xentropy")
        return compute_weighted_loss(losses, weights, scope, loss_collection, reduction)


def sparse_softmax_cross_entropy(labels, logits, weights=1.0, scope=None, loss_collection=GraphKeys.LOSSES,
                                 reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """Mean softmax cross entropy of `logits` against integer class labels (weighted)."""
    tf = _tf()
    with get_default_graph().name_scope(scope or "sparse_softmax_cross_entropy_loss") as scope:
        with get_default_graph().name_scope("remove_squeezable_dimensions"):
            # TF1 converts the weights here (and squeezes labels of rank logits' rank)
            weights = convert_to_tensor(weights)
            labels = convert_to_tensor(labels)
            if labels.shape.ndims is not None and labels.shape.ndims == convert_to_tensor(logits).shape.ndims:
                labels = tf.squeeze(labels, [-1])
        losses = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits, name="xentropy")
        return compute_weighted_loss(losses, weights, scope, loss_collection, reduction)


def huber_loss(labels, predictions, weights=1.0, delta=1.0, scope=None, loss_collection=GraphKeys.LOSSES,
               reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """Mean Huber loss (weighted): 0.5 * e**2 where |e| <= delta, else delta * (|e| - 0.5 * delta),
    with e = predictions - labels. Quadratic near 0, linear far away, so outliers pull less.

    Example: tf.losses.huber_loss([0., 0.], [0.5, 3.0]) -> (0.125 + 2.5) / 2 = 1.3125.
    """
    tf = _tf()
    if labels is None:
        raise ValueError("labels must not be None.")
    if predictions is None:
        raise ValueError("predictions must not be None.")
    with get_default_graph().name_scope(scope or "huber_loss") as scope:
        predictions = tf.cast(predictions, dtype=_dtypes.float32)
        labels = tf.cast(labels, dtype=_dtypes.float32)
        predictions.get_shape().assert_is_compatible_with(labels.get_shape())
        abs_error = tf.abs(tf.subtract(predictions, labels))
        quadratic = tf.minimum(abs_error, delta)
        # abs_error - quadratic equals max(abs_error - delta, 0), but its gradient at
        # abs_error == delta is 0, so that point's gradient is not counted twice
        linear = tf.subtract(abs_error, quadratic)
        losses = tf.add(tf.multiply(convert_to_tensor(0.5, dtype=quadratic.dtype),
                                    tf.multiply(quadratic, quadratic)),
                        tf.multiply(delta, linear))
        return compute_weighted_loss(losses, weights, scope, loss_collection, reduction)


def add_loss(loss, loss_collection=GraphKeys.LOSSES):
    if loss_collection:
        get_default_graph().add_to_collection(loss_collection, loss)


def get_losses(scope=None, loss_collection=GraphKeys.LOSSES):
    return get_collection(loss_collection, scope)


def get_regularization_losses(scope=None):
    return get_collection(GraphKeys.REGULARIZATION_LOSSES, scope)


def get_total_loss(add_regularization_losses=True, name="total_loss", scope=None):
    tf = _tf()
    losses = get_losses(scope)
    if add_regularization_losses:
        losses += get_regularization_losses(scope)
    return tf.add_n(losses, name=name)


__all__ = ['Reduction', 'compute_weighted_loss', 'mean_squared_error', 'absolute_difference', 'log_loss', 'sigmoid_cross_entropy', 'softmax_cross_entropy', 'sparse_softmax_cross_entropy', 'huber_loss', 'add_loss', 'get_losses', 'get_regularization_losses', 'get_total_loss']


def __getattr__(name):
    if name.startswith("__"):  # import machinery probing (__path__, ...): not a TF name
        raise AttributeError(name)
    from .coverage import missing
    raise missing("tf.losses", name)
