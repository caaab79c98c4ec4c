"""tf.metrics: streaming metrics, each a (value, update_op) pair over local variables.

Mirrors tensorflow/python/ops/metrics_impl.py (TF 1.15). A metric keeps running totals in
variables of the LOCAL_VARIABLES and METRIC_VARIABLES collections (`accuracy/total`,
`accuracy/count`); `update_op` adds one batch to them and returns the new value; `value` reads
them. `tf.local_variables_initializer()` sets them back to zero:

    acc, acc_update = tf.metrics.accuracy(labels, predictions)
    sess.run(tf.local_variables_initializer())
    for batch in batches:
        sess.run(acc_update, feed_dict=batch)
    print(sess.run(acc))          # accuracy over every batch seen since the initializer
"""
import numpy as np

from . import dtypes as _dtypes
from .graph import GraphKeys, convert_to_tensor, get_default_graph

__all__ = ["accuracy", "auc", "false_negatives", "false_positives", "mean", "mean_absolute_error", "mean_iou",
           "mean_squared_error", "precision", "recall", "root_mean_squared_error", "true_positives"]


def _tf():
    """The public tf namespace (imported lazily: this module is part of it)."""
    import tfteach
    return tfteach


def metric_variable(shape, dtype, validate_shape=True, name=None):
    """A zero-initialized local variable for a metric's running total (not trainable)."""
    tf = _tf()
    return tf.Variable(lambda: tf.zeros(shape, dtype), trainable=False,
                       collections=[GraphKeys.LOCAL_VARIABLES, GraphKeys.METRIC_VARIABLES],
                       validate_shape=validate_shape, name=name)


def _squeeze_last(labels, predictions):
    """TF's confusion_matrix.remove_squeezable_dimensions: drop a trailing size-1 dimension of
    whichever of the two has one more dimension than the other (static ranks only)."""
    tf = _tf()
    with get_default_graph().name_scope("remove_squeezable_dimensions"):
        predictions = convert_to_tensor(predictions)
        labels = convert_to_tensor(labels)
        p_shape, l_shape = predictions.get_shape(), labels.get_shape()
        if p_shape.ndims is not None and l_shape.ndims is not None:
            diff = p_shape.ndims - l_shape.ndims
            if diff == 1 and p_shape.dims[-1].is_compatible_with(1):
                predictions = tf.squeeze(predictions, [-1])
            elif diff == -1 and l_shape.dims[-1].is_compatible_with(1):
                labels = tf.squeeze(labels, [-1])
        return labels, predictions


def _remove_squeezable_dimensions(predictions, labels, weights):
    """Make predictions, labels and weights line up (TF's helper of the same name)."""
    tf = _tf()
    predictions = convert_to_tensor(predictions)
    if labels is not None:
        labels, predictions = _squeeze_last(labels, predictions)
        predictions.get_shape().assert_is_compatible_with(labels.get_shape())
    if weights is None:
        return predictions, labels, None
    weights = convert_to_tensor(weights)
    w_rank, p_rank = weights.get_shape().ndims, predictions.get_shape().ndims
    if w_rank == 0 or w_rank is None or p_rank is None:
        return predictions, labels, weights
    if w_rank - p_rank == 1:
        weights = tf.squeeze(weights, [-1])
    elif p_rank - w_rank == 1:
        weights = tf.expand_dims(weights, [-1])
    return predictions, labels, weights


def _broadcast_weights(weights, values):
    """weights broadcast to the shape of values (TF's weights_broadcast_ops.broadcast_weights,
    without its run-time assert_broadcastable check)."""
    tf = _tf()
    with get_default_graph().name_scope("broadcast_weights") as scope:
        values = convert_to_tensor(values, name="values")
        weights = convert_to_tensor(weights, dtype=values.dtype.base_dtype, name="weights")
        w_shape, v_shape = weights.get_shape(), values.get_shape()
        if w_shape.is_fully_defined() and v_shape.is_fully_defined() and w_shape.is_compatible_with(v_shape):
            return weights
        return tf.multiply(weights, tf.ones_like(values), name=scope)


def _collect(collections, value):
    if collections:
        get_default_graph().add_to_collections(collections, value)
    return value


# ---- mean and the metrics built on it ----------------------------------------------------------
def mean(values, weights=None, metrics_collections=None, updates_collections=None, name=None):
    """The running (weighted) mean of `values`: variables `mean/total` and `mean/count`.

    Returns (mean, update_op), both float32 scalars; update_op adds a batch and returns the
    new mean. 0 before any batch (total / count divided with div_no_nan).
    """
    tf = _tf()
    with tf.variable_scope(name, "mean", (values, weights)):
        values = tf.cast(values, _dtypes.float32)
        total = metric_variable([], _dtypes.float32, name="total")
        count = metric_variable([], _dtypes.float32, name="count")
        if weights is None:
            num_values = tf.cast(tf.size(values), _dtypes.float32)
        else:
            values, _, weights = _remove_squeezable_dimensions(values, None, weights)
            weights = _broadcast_weights(tf.cast(weights, _dtypes.float32), values)
            values = tf.multiply(values, weights)
            num_values = tf.reduce_sum(weights)
        update_total = tf.assign_add(total, tf.reduce_sum(values))
        with tf.control_dependencies([values]):
            update_count = tf.assign_add(count, num_values)
        value = _collect(metrics_collections, tf.div_no_nan(total, tf.maximum(count, 0), name="value"))
        update_op = tf.div_no_nan(update_total, tf.maximum(update_count, 0), name="update_op")
        return value, _collect(updates_collections, update_op)


def accuracy(labels, predictions, weights=None, metrics_collections=None, updates_collections=None,
             name=None):
    """How often `predictions` equals `labels`, over every batch since the local initializer.

    Variables `accuracy/total`, `accuracy/count`; returns (accuracy, update_op), float32.
    Example: `tf.metrics.accuracy(tf.argmax(y, 1), tf.argmax(logits, 1))`.
    """
    tf = _tf()
    predictions, labels, weights = _remove_squeezable_dimensions(predictions, labels, weights)
    predictions.get_shape().assert_is_compatible_with(labels.get_shape())
    if labels.dtype != predictions.dtype:
        predictions = tf.cast(predictions, labels.dtype)
    is_correct = tf.cast(tf.equal(predictions, labels), _dtypes.float32)
    return mean(is_correct, weights, metrics_collections, updates_collections, name or "accuracy")


def mean_absolute_error(labels, predictions, weights=None, metrics_collections=None,
                        updates_collections=None, name=None):
    """The running mean of |predictions - labels| (variables `mean_absolute_error/total`, `count`)."""
    tf = _tf()
    predictions, labels, weights = _remove_squeezable_dimensions(predictions, labels, weights)
    errors = tf.abs(predictions - labels)
    return mean(errors, weights, metrics_collections, updates_collections, name or "mean_absolute_error")


def mean_squared_error(labels, predictions, weights=None, metrics_collections=None,
                       updates_collections=None, name=None):
    """The running mean of (labels - predictions)**2 (variables `mean_squared_error/total`, `count`)."""
    tf = _tf()
    predictions, labels, weights = _remove_squeezable_dimensions(predictions, labels, weights)
    errors = tf.squared_difference(labels, predictions)
    return mean(errors, weights, metrics_collections, updates_collections, name or "mean_squared_error")


def root_mean_squared_error(labels, predictions, weights=None, metrics_collections=None,
                            updates_collections=None, name=None):
    """sqrt of the running mean squared error (its variables are `root_mean_squared_error/total`...)."""
    tf = _tf()
    predictions, labels, weights = _remove_squeezable_dimensions(predictions, labels, weights)
    mse, update_mse = mean_squared_error(labels, predictions, weights, None, None,
                                         name or "root_mean_squared_error")
    rmse = _collect(metrics_collections, tf.sqrt(mse))
    return rmse, _collect(updates_collections, tf.sqrt(update_mse))


# ---- counts: true/false positives/negatives, precision, recall --------------------------------
def _count_condition(values, weights=None, metrics_collections=None, updates_collections=None):
    """A running count of the True entries of `values` (weighted): variable `<scope>/count`."""
    tf = _tf()
    if values.dtype.base_dtype != _dtypes.bool:
        raise ValueError(f"Expected bool values, got {values.dtype.base_dtype.name}")
    with get_default_graph().name_scope("assert_type"):  # TF's check_ops.assert_type, static
        tf.no_op(name="statically_determined_correct_type")
    count = metric_variable([], _dtypes.float32, name="count")
    values = tf.cast(values, _dtypes.float32)
    if weights is not None:
        values = tf.multiply(values, tf.cast(weights, _dtypes.float32))
    value = _collect(metrics_collections, tf.identity(count))  # TF's read_var: an Identity
    update_op = tf.assign_add(count, tf.reduce_sum(values))
    return value, _collect(updates_collections, update_op)


def _counter(default_name, label_value, prediction_value):
    def metric(labels, predictions, weights=None, metrics_collections=None, updates_collections=None,
               name=None):
        tf = _tf()
        with tf.variable_scope(name, default_name, (predictions, labels, weights)):
            predictions, labels, weights = _remove_squeezable_dimensions(
                tf.cast(predictions, _dtypes.bool), tf.cast(labels, _dtypes.bool), weights)
            hit = tf.logical_and(tf.equal(labels, label_value), tf.equal(predictions, prediction_value))
            return _count_condition(hit, weights, metrics_collections, updates_collections)
    metric.__name__ = default_name
    metric.__doc__ = (f"The running (weighted) count of {default_name.replace('_', ' ')}: labels "
                      f"{label_value}, predictions {prediction_value}, both read as booleans. "
                      f"Variable `{default_name}/count`; returns (count, update_op), float32.")
    return metric


true_positives = _counter("true_positives", True, True)
false_positives = _counter("false_positives", False, True)
false_negatives = _counter("false_negatives", True, False)


def _ratio(default_name, other_counter, doc):
    def metric(labels, predictions, weights=None, metrics_collections=None, updates_collections=None,
               name=None):
        tf = _tf()
        with tf.variable_scope(name, default_name, (predictions, labels, weights)):
            predictions, labels, weights = _remove_squeezable_dimensions(
                tf.cast(predictions, _dtypes.bool), tf.cast(labels, _dtypes.bool), weights)
            tp, tp_update = true_positives(labels, predictions, weights)
            other, other_update = other_counter(labels, predictions, weights)

            def ratio(a, b, name):
                return tf.where(tf.greater(a + b, 0), tf.divide(a, a + b), 0, name)
            value = _collect(metrics_collections, ratio(tp, other, "value"))
            update_op = ratio(tp_update, other_update, "update_op")
            return value, _collect(updates_collections, update_op)
    metric.__name__ = default_name
    metric.__doc__ = doc
    return metric


precision = _ratio("precision", false_positives,
                   "tp / (tp + fp) over every batch so far, labels and predictions read as booleans "
                   "(0 before any positive prediction). Variables `precision/true_positives/count`, "
                   "`precision/false_positives/count`; returns (precision, update_op).")
recall = _ratio("recall", false_negatives,
                "tp / (tp + fn) over every batch so far, labels and predictions read as booleans "
                "(0 before any positive label). Variables `recall/true_positives/count`, "
                "`recall/false_negatives/count`; returns (recall, update_op).")


# ---- auc ----------------------------------------------------------------------------------
def _confusion_at_thresholds(labels, predictions, thresholds, weights=None):
    """Running tp, fn, tn, fp at each threshold (variables `true_positives` & co., [n])."""
    tf = _tf()
    # TF checks 0 <= predictions <= 1 here with two Assert ops; tfteach has no Assert op yet, so
    # it makes only the bounds' constants (keeping TF's node names after them) and no check
    predictions = convert_to_tensor(predictions)
    tf.cast(0.0, dtype=predictions.dtype)
    tf.cast(1.0, dtype=predictions.dtype)
    predictions, labels, weights = _remove_squeezable_dimensions(
        tf.cast(predictions, _dtypes.float32), tf.cast(labels, dtype=_dtypes.bool), weights)
    n = len(thresholds)
    predictions_2d = tf.reshape(predictions, [-1, 1])
    labels_2d = tf.reshape(tf.cast(labels, dtype=_dtypes.bool), [1, -1])
    num_predictions = predictions_2d.get_shape().as_list()[0]
    if num_predictions is None:
        num_predictions = tf.shape(predictions_2d)[0]
    thresh_tiled = tf.tile(tf.expand_dims(tf.constant(thresholds), [1]), tf.stack([1, num_predictions]))
    pred_is_pos = tf.greater(tf.tile(tf.transpose(predictions_2d), [n, 1]), thresh_tiled)
    pred_is_neg = tf.logical_not(pred_is_pos)
    label_is_pos = tf.tile(labels_2d, [n, 1])
    label_is_neg = tf.logical_not(label_is_pos)
    weights_tiled = None
    if weights is not None:
        weights = _broadcast_weights(tf.cast(weights, _dtypes.float32), predictions)
        weights_tiled = tf.tile(tf.reshape(weights, [1, -1]), [n, 1])
    values, updates = {}, {}
    for key, var_name, label, pred in (("tp", "true_positives", label_is_pos, pred_is_pos),
                                       ("fn", "false_negatives", label_is_pos, pred_is_neg),
                                       ("tn", "true_negatives", label_is_neg, pred_is_neg),
                                       ("fp", "false_positives", label_is_neg, pred_is_pos)):
        var = metric_variable([n], _dtypes.float32, name=var_name)
        hit = tf.cast(tf.logical_and(label, pred), _dtypes.float32)
        if weights_tiled is not None:
            hit *= weights_tiled
        updates[key] = tf.assign_add(var, tf.reduce_sum(hit, 1))
        values[key] = var
    return values, updates


def auc(labels, predictions, weights=None, num_thresholds=200, metrics_collections=None,
        updates_collections=None, curve="ROC", name=None, summation_method="trapezoidal",
        thresholds=None):
    """Area under the ROC (or PR) curve, from counts at `num_thresholds` thresholds in [0, 1].

    The trapezoidal rule over TF's default 200 evenly spaced thresholds (plus one just below 0
    and one just above 1). `predictions` must be probabilities, `labels` are read as booleans.
    Variables `auc/true_positives`, `auc/false_negatives`, `auc/true_negatives`,
    `auc/false_positives` ([num_thresholds]); returns (auc, update_op), float32.
    """
    tf = _tf()
    with tf.variable_scope(name, "auc", (labels, predictions, weights)):
        if curve not in ("ROC", "PR"):
            raise ValueError(f"Curve must be either ROC or PR. Curve {curve} is unknown.")
        if summation_method not in ("trapezoidal", "careful_interpolation", "minoring", "majoring"):
            raise ValueError(f"Invalid summation_method: {summation_method} summation_method should be "
                             "'trapezoidal', 'careful_interpolation', 'minoring', or 'majoring'.")
        if curve == "PR" and summation_method == "careful_interpolation":
            raise NotImplementedError("tfteach's tf.metrics.auc does not implement curve='PR' with "
                                      "summation_method='careful_interpolation'")
        kepsilon = 1e-7
        if thresholds is not None:
            thresholds = sorted(thresholds)
            num_thresholds = len(thresholds) + 2
        else:
            thresholds = [(i + 1) * 1.0 / (num_thresholds - 1) for i in range(num_thresholds - 2)]
        thresholds = [0.0 - kepsilon] + thresholds + [1.0 + kepsilon]
        values, updates = _confusion_at_thresholds(labels, predictions, thresholds, weights)
        epsilon = 1.0e-6
        n = num_thresholds

        def compute_auc(tp, fn, tn, fp, name):
            rec = tf.divide(tp + epsilon, tp + fn + epsilon)
            if curve == "ROC":
                x, y = tf.divide(fp, fp + tn + epsilon), rec
            else:
                x, y = rec, tf.divide(tp + epsilon, tp + fp + epsilon)
            width = x[:n - 1] - x[1:]  # before the heights, as TF's one expression builds it
            if summation_method == "minoring":
                height = tf.minimum(y[:n - 1], y[1:])
            elif summation_method == "majoring":
                height = tf.maximum(y[:n - 1], y[1:])
            else:
                height = (y[:n - 1] + y[1:]) / 2.
            return tf.reduce_sum(tf.multiply(width, height), name=name)

        value = _collect(metrics_collections,
                         compute_auc(values["tp"], values["fn"], values["tn"], values["fp"], "value"))
        update_op = compute_auc(updates["tp"], updates["fn"], updates["tn"], updates["fp"], "update_op")
        return value, _collect(updates_collections, update_op)

# ---- mean_iou -----------------------------------------------------------------------------------
def _confusion_matrix(labels, predictions, num_classes, weights):
    """(num_classes, num_classes) float64 counts, rows labels, columns predictions: one-hot rows
    multiplied (TF builds it with ScatterNd and checks the ids in range with Assert ops; tfteach
    has no Assert op yet, so an id outside [0, num_classes) counts nowhere instead of failing)."""
    tf = _tf()
    with get_default_graph().name_scope("confusion_matrix"):
        rows = tf.one_hot(labels, num_classes, dtype=_dtypes.float64)
        cols = tf.one_hot(predictions, num_classes, dtype=_dtypes.float64)
        if weights is not None:
            rows = rows * tf.reshape(tf.cast(weights, _dtypes.float64), [-1, 1])
        return tf.matmul(rows, cols, transpose_a=True)


def mean_iou(labels, predictions, num_classes, weights=None, metrics_collections=None,
             updates_collections=None, name=None):
    """Mean intersection-over-union over the classes seen so far (in labels or predictions).

    IoU of class c = cm[c, c] / (row sum + column sum - cm[c, c]) of the running confusion
    matrix, variable `mean_iou/total_confusion_matrix` (float64, [num_classes, num_classes]).
    Returns (mean_iou float32, update_op); update_op returns the updated confusion matrix.
    """
    tf = _tf()
    with tf.variable_scope(name, "mean_iou", (predictions, labels, weights)):
        predictions, labels = convert_to_tensor(predictions), convert_to_tensor(labels)
        predictions.get_shape().assert_is_compatible_with(labels.get_shape())
        total_cm = metric_variable([num_classes, num_classes], _dtypes.float64, name="total_confusion_matrix")
        predictions = tf.cast(predictions, _dtypes.int64)
        labels = tf.cast(labels, _dtypes.int64)
        if predictions.get_shape().ndims != 1:
            predictions = tf.reshape(predictions, [-1])
        if labels.get_shape().ndims != 1:
            labels = tf.reshape(labels, [-1])
        if weights is not None:
            weights = convert_to_tensor(weights)
            if weights.get_shape().ndims != 1:
                weights = tf.reshape(weights, [-1])
        update_op = tf.assign_add(total_cm, _confusion_matrix(labels, predictions, num_classes, weights))

        sum_over_row = tf.cast(tf.reduce_sum(total_cm, 0), _dtypes.float32)
        sum_over_col = tf.cast(tf.reduce_sum(total_cm, 1), _dtypes.float32)
        cm_diag = tf.cast(tf.reduce_sum(total_cm * tf.constant(np.eye(num_classes)), 1), _dtypes.float32)
        denominator = sum_over_row + sum_over_col - cm_diag
        # classes that appear in neither labels nor predictions do not count
        num_valid = tf.reduce_sum(tf.cast(tf.not_equal(denominator, 0), dtype=_dtypes.float32))
        denominator = tf.where(tf.greater(denominator, 0), denominator, tf.ones_like(denominator))
        iou = tf.divide(cm_diag, denominator)
        value = tf.where(tf.greater(num_valid, 0), tf.reduce_sum(iou, name="mean_iou") / num_valid, 0)
        _collect(metrics_collections, value)
        return value, _collect(updates_collections, update_op)


def __getattr__(name):
    if name.startswith("__"):
        raise AttributeError(name)
    from .coverage import missing
    raise missing("tf.metrics", name)
