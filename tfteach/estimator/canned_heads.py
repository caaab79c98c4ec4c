"""The canned estimators' heads: logits + labels -> loss, predictions dict and evaluation metrics.

Mirrors tensorflow_estimator/python/estimator/canned/head.py (the v1 heads that
tf.compat.v1.estimator's DNNClassifier, LinearRegressor, ... use): a regression head (squared
error), a binary head (sigmoid cross-entropy) and a multi-class head (softmax cross-entropy).
The training loss is reduced with `loss_reduction`, tf.losses.Reduction.SUM by default (the sum
over the batch, as TF 1.15's canned estimators); `average_loss` in the evaluation is the mean
per example either way.
"""

from .. import dtypes, metrics
from ..feature_column.columns import NumericColumn, numeric_column
from ..feature_column.ops import as_string, vocabulary_lookup
from ..ops.slicing import gather
from ..graph import control_dependencies, convert_to_tensor, name_scope
from ..losses import Reduction, compute_weighted_loss
from ..ops import array as array_ops, building, compare, math as math_ops, reduce as reduce_ops
from ..ops.assert_op import Assert
from ..ops.constant import constant
from ..ops.control import identity
from ..ops.nn import softmax
from ..ops.nn_impl import sigmoid_cross_entropy_with_logits, sparse_softmax_cross_entropy_with_logits
from ..ops.unary import sigmoid
from ..train.learning_rate import get_global_step
from .model_fn import EstimatorSpec, ModeKeys


def _checked_labels(labels, logits, expected_dimension=1):
    """TF's _check_dense_labels_match_logits_and_reshape: [batch] -> [batch, 1], with its errors."""
    if labels is None:
        raise ValueError("You must provide a labels Tensor. Given: None. Suggested troubleshooting steps: Check "
                         "that your data contain your label feature. Check that your input_fn properly parses and "
                         "returns labels.")
    with name_scope("labels") as scope:
        labels = convert_to_tensor(labels)
        if labels.shape.ndims is not None and logits.shape.ndims is not None \
                and labels.shape.ndims == logits.shape.ndims - 1:
            labels = array_ops.expand_dims(labels, -1)
        last = labels.shape.as_list()[-1] if labels.shape.ndims else None
        if last is not None and last != expected_dimension:
            raise ValueError(f"Mismatched label shape. Expected labels dimension={expected_dimension}.  Received "
                             f"{last}. Suggested Fix:If your classifier expects one-hot encoding label,check your "
                             "n_classes argument to the estimator and/or the shape of your label. Otherwise, check "
                             "the shape of your label.")
        return identity(labels, name=scope)  # "labels/": the op takes the scope's own name, as in TF


def _assert_elementwise(condition, message, what, named, name):
    """tf.debugging.assert_*: an Assert that shows the message, the condition and the tensors."""
    with name_scope(name):
        data = [message, f"Condition {what} did not hold element-wise:"]
        for label, t in named:
            data += [f"{label} ({t.name}) = ", t]
        return Assert(reduce_ops.reduce_all(condition), data)


def _assert_range(labels, n_classes):
    """Labels in [0, n_classes - 1], or InvalidArgumentError when the run sees one outside (TF's words)."""
    with name_scope("assert_range"):
        top = constant(n_classes - 1, dtype=labels.dtype)
        below = _assert_elementwise(compare.less_equal(labels, top), "Labels must <= n_classes - 1", "x <= y",
                                    [("x", labels), ("y", top)], "assert_less_equal")
        above = _assert_elementwise(compare.greater_equal(labels, constant(0, dtype=labels.dtype)),
                                    "Labels must >= 0.  ", "x >= 0", [("x", labels)], "assert_non_negative")
        with control_dependencies([below, above]):
            return identity(labels)


def _tile_classes(logits, n_classes, as_text, vocabulary=None):
    if as_text and vocabulary:
        row = constant(list(vocabulary), dtype=dtypes.string)
    else:
        ids = building.range(n_classes)
        row = as_string(ids) if as_text else ids
    return building.tile(array_ops.expand_dims(row, 0), building.stack([array_ops.shape(logits)[0], 1]))


def _class_names(class_ids, vocabulary):
    """class_ids as strings: their decimal form, or their entries in label_vocabulary."""
    if vocabulary:
        return gather(constant(list(vocabulary), dtype=dtypes.string), class_ids, name="class_string_lookup")
    return as_string(class_ids, name="str_classes")


def _label_ids(labels, vocabulary):
    """String labels -> their positions in label_vocabulary (TF's index_table_from_tensor)."""
    if labels.dtype.base_dtype != dtypes.string:
        raise ValueError(f"Labels dtype should be string if there is a vocabulary. Instead got {labels.dtype}")
    return vocabulary_lookup(labels, vocabulary, name="class_id_lookup")


class _Head:
    """What the three heads share: the loss reduction, the train op, the spec per mode."""

    def __init__(self, n_classes, loss_reduction=Reduction.SUM, weight_column=None, label_vocabulary=None):
        if label_vocabulary is not None:
            if not isinstance(label_vocabulary, (list, tuple)):
                raise ValueError(f"label_vocabulary should be a list or a tuple. Given type: {type(label_vocabulary)}")
            if len(label_vocabulary) != n_classes:
                raise ValueError(f"label_vocabulary should have n_classes ({n_classes}) entries. "
                                 f"Given: {label_vocabulary}")
        self.label_vocabulary = tuple(label_vocabulary) if label_vocabulary else None
        if loss_reduction not in (Reduction.SUM, Reduction.SUM_OVER_BATCH_SIZE, Reduction.MEAN,
                                  Reduction.SUM_BY_NONZERO_WEIGHTS):
            raise ValueError(f"Invalid loss_reduction: {loss_reduction}")
        self.n_classes = n_classes
        self.loss_reduction = loss_reduction
        if isinstance(weight_column, str):
            weight_column = numeric_column(weight_column)
        if weight_column is not None and not isinstance(weight_column, NumericColumn):
            raise ValueError(f"Weight column should be castable to float. Given dtype: {weight_column}")
        self.weight_column = weight_column

    def _weights(self, features, logits):
        """features[weight_column] as float32 [batch, 1], or None (every example weighs 1)."""
        if self.weight_column is None:
            return None
        with name_scope("weights"):
            weights = self.weight_column._dense(features, {})
            if weights.shape.ndims == 1:
                weights = array_ops.expand_dims(weights, -1)
            return weights

    def create_estimator_spec(self, features, mode, logits, labels=None, optimizer=None, train_op_fn=None):
        """The EstimatorSpec for `mode`; training runs `optimizer.minimize(loss, global_step)`, or
        `train_op_fn(loss)` when the model has more than one optimizer (DNNLinearCombined*)."""
        with name_scope("head"):
            with name_scope("predictions"):
                predictions = self._predictions(logits)
            if mode == ModeKeys.PREDICT:
                return EstimatorSpec(mode, predictions=predictions)
            labels = self._labels(labels, logits)
            unreduced = self._unreduced_loss(labels, logits)
            weights = self._weights(features, logits)
            training_loss = compute_weighted_loss(unreduced, weights=1.0 if weights is None else weights,
                                                  reduction=self.loss_reduction)
            if mode == ModeKeys.EVAL:
                with name_scope("metrics"):
                    eval_metric_ops = self._metrics(labels, predictions, unreduced, weights)
                return EstimatorSpec(mode, predictions=predictions, loss=training_loss,
                                     eval_metric_ops=eval_metric_ops)
            if train_op_fn is not None:
                train_op = train_op_fn(training_loss)
            else:
                train_op = optimizer.minimize(training_loss, global_step=get_global_step())
            return EstimatorSpec(mode, predictions=predictions, loss=training_loss, train_op=train_op)


class RegressionHead(_Head):
    """predictions = logits; loss = (labels - predictions)**2."""

    def __init__(self, label_dimension=1, loss_reduction=Reduction.SUM, weight_column=None):
        super().__init__(None, loss_reduction, weight_column)
        self.logits_dimension = label_dimension

    def _predictions(self, logits):
        return {"predictions": logits}

    def _labels(self, labels, logits):
        return math_ops.cast(_checked_labels(labels, logits, self.logits_dimension), dtypes.float32)

    def _unreduced_loss(self, labels, logits):
        return math_ops.square(labels - logits)

    def _metrics(self, labels, predictions, unreduced, weights):
        return {"average_loss": metrics.mean(unreduced, weights, name="average_loss"),
                "prediction/mean": metrics.mean(predictions["predictions"], weights, name="prediction/mean"),
                "label/mean": metrics.mean(labels, weights, name="label/mean")}


class BinaryHead(_Head):
    """One logit; probability sigmoid(logit); loss = sigmoid cross-entropy."""

    logits_dimension = 1

    def __init__(self, loss_reduction=Reduction.SUM, weight_column=None, label_vocabulary=None):
        super().__init__(2, loss_reduction, weight_column, label_vocabulary)

    def _predictions(self, logits):
        logistic = sigmoid(logits, name="logistic")
        two_class_logits = building.concat([array_ops.zeros_like(logits), logits], axis=-1, name="two_class_logits")
        probabilities = softmax(two_class_logits, name="probabilities")
        class_ids = array_ops.expand_dims(reduce_ops.argmax(two_class_logits, axis=-1, name="class_ids"), -1)
        return {"logits": logits, "logistic": logistic, "probabilities": probabilities, "class_ids": class_ids,
                "classes": _class_names(class_ids, self.label_vocabulary),
                "all_class_ids": _tile_classes(logits, 2, False),
                "all_classes": _tile_classes(logits, 2, True, self.label_vocabulary)}

    def _labels(self, labels, logits):
        labels = _checked_labels(labels, logits)
        if self.label_vocabulary:
            labels = _label_ids(labels, self.label_vocabulary)
        return _assert_range(math_ops.cast(labels, dtypes.float32), 2)

    def _unreduced_loss(self, labels, logits):
        return sigmoid_cross_entropy_with_logits(labels=labels, logits=logits)

    def _metrics(self, labels, predictions, unreduced, weights):
        class_ids, logistic = predictions["class_ids"], predictions["logistic"]
        label_mean = metrics.mean(labels, weights, name="label/mean")
        with name_scope("accuracy_baseline"):
            baseline = (compare.maximum(label_mean[0], 1. - label_mean[0], name="value"),
                        compare.maximum(label_mean[1], 1. - label_mean[1], name="update_op"))
        return {"average_loss": metrics.mean(unreduced, weights, name="average_loss"),
                "accuracy": metrics.accuracy(labels, class_ids, weights, name="accuracy"),
                "precision": metrics.precision(labels, class_ids, weights, name="precision"),
                "recall": metrics.recall(labels, class_ids, weights, name="recall"),
                "prediction/mean": metrics.mean(logistic, weights, name="prediction/mean"),
                "label/mean": label_mean,
                "accuracy_baseline": baseline,
                "auc": metrics.auc(labels, logistic, weights, name="auc"),
                "auc_precision_recall": metrics.auc(labels, logistic, weights, curve="PR", name="auc_precision_recall")}


class MultiClassHead(_Head):
    """n_classes logits; probabilities softmax(logits); loss = softmax cross-entropy."""

    def __init__(self, n_classes, loss_reduction=Reduction.SUM, weight_column=None, label_vocabulary=None):
        super().__init__(n_classes, loss_reduction, weight_column, label_vocabulary)
        self.logits_dimension = n_classes

    def _predictions(self, logits):
        class_ids = array_ops.expand_dims(reduce_ops.argmax(logits, axis=-1, name="class_ids"), -1)
        return {"logits": logits, "probabilities": softmax(logits, name="probabilities"), "class_ids": class_ids,
                "classes": _class_names(class_ids, self.label_vocabulary),
                "all_class_ids": _tile_classes(logits, self.n_classes, False),
                "all_classes": _tile_classes(logits, self.n_classes, True, self.label_vocabulary)}

    def _labels(self, labels, logits):
        labels = _checked_labels(labels, logits)
        if self.label_vocabulary:
            return _assert_range(_label_ids(labels, self.label_vocabulary), self.n_classes)
        if not labels.dtype.is_integer:
            raise ValueError(f"Labels dtype should be integer. Instead got {labels.dtype}.")
        return _assert_range(labels, self.n_classes)

    def _unreduced_loss(self, labels, logits):
        loss = sparse_softmax_cross_entropy_with_logits(labels=array_ops.squeeze(labels, axis=[-1]), logits=logits)
        return array_ops.expand_dims(loss, -1)

    def _metrics(self, labels, predictions, unreduced, weights):
        return {"average_loss": metrics.mean(unreduced, weights, name="average_loss"),
                "accuracy": metrics.accuracy(labels, predictions["class_ids"], weights, name="accuracy")}


def classification_head(n_classes, loss_reduction=Reduction.SUM, weight_column=None, label_vocabulary=None):
    if n_classes is None or n_classes < 2:
        raise ValueError(f"n_classes must be > 1 for classification: {n_classes}")
    if n_classes == 2:
        return BinaryHead(loss_reduction, weight_column, label_vocabulary)
    return MultiClassHead(n_classes, loss_reduction, weight_column, label_vocabulary)
