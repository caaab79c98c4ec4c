"""The canned estimators' heads: logits + labels -> loss, predictions dict and evaluation metrics.

Mirrors tensorflow_estimator/python/estimator/canned/head.py (the v1 heads that
tf.compat.v1.estimator's DNNClassifier, LinearRegressor, ... use): a regression head (squared
error), a binary head (sigmoid cross-entropy) and a multi-class head (softmax cross-entropy).
The training loss is reduced with `loss_reduction`, tf.losses.Reduction.SUM by default (the sum
over the batch, as TF 1.15's canned estimators); `average_loss` in the evaluation is the mean
per example either way.
"""

from .. import dtypes, metrics
from ..feature_column.ops import as_string
from ..graph import name_scope
from ..losses import Reduction, compute_weighted_loss
from ..ops import array as array_ops, building, compare, math as math_ops, reduce as reduce_ops
from ..ops.nn import softmax
from ..ops.nn_impl import sigmoid_cross_entropy_with_logits, sparse_softmax_cross_entropy_with_logits
from ..ops.unary import sigmoid
from ..train.learning_rate import get_global_step
from .model_fn import EstimatorSpec, ModeKeys


def _column(labels, dtype):
    """Labels as a [batch, 1] tensor of `dtype` (a [batch] input gets its last axis)."""
    labels = math_ops.cast(labels, dtype)
    return array_ops.expand_dims(labels, -1) if labels.shape.ndims == 1 else labels


def _tile_classes(logits, n_classes, as_text):
    ids = building.range(n_classes)
    row = as_string(ids) if as_text else ids
    return building.tile(array_ops.expand_dims(row, 0), building.stack([array_ops.shape(logits)[0], 1]))


class _Head:
    """What the three heads share: the loss reduction, the train op, the spec per mode."""

    def __init__(self, n_classes, loss_reduction=Reduction.SUM):
        if loss_reduction not in (Reduction.SUM, Reduction.SUM_OVER_BATCH_SIZE, Reduction.MEAN,
                                  Reduction.SUM_BY_NONZERO_WEIGHTS):
            raise ValueError(f"Invalid loss_reduction: {loss_reduction}")
        self.n_classes = n_classes
        self.loss_reduction = loss_reduction

    def create_estimator_spec(self, features, mode, logits, labels=None, optimizer=None, train_op_fn=None):
        """The EstimatorSpec for `mode`; training runs `optimizer.minimize(loss, global_step)`, or
        `train_op_fn(loss)` when the model has more than one optimizer (DNNLinearCombined*)."""
        with name_scope("head"):
            with name_scope("predictions"):
                predictions = self._predictions(logits)
            if mode == ModeKeys.PREDICT:
                return EstimatorSpec(mode, predictions=predictions)
            unreduced = self._unreduced_loss(labels, logits)
            training_loss = compute_weighted_loss(unreduced, reduction=self.loss_reduction)
            if mode == ModeKeys.EVAL:
                with name_scope("metrics"):
                    eval_metric_ops = self._metrics(labels, predictions, unreduced)
                return EstimatorSpec(mode, predictions=predictions, loss=training_loss,
                                     eval_metric_ops=eval_metric_ops)
            if train_op_fn is not None:
                train_op = train_op_fn(training_loss)
            else:
                train_op = optimizer.minimize(training_loss, global_step=get_global_step())
            return EstimatorSpec(mode, predictions=predictions, loss=training_loss, train_op=train_op)


class RegressionHead(_Head):
    """predictions = logits; loss = (labels - predictions)**2."""

    def __init__(self, label_dimension=1, loss_reduction=Reduction.SUM):
        super().__init__(None, loss_reduction)
        self.logits_dimension = label_dimension

    def _predictions(self, logits):
        return {"predictions": logits}

    def _unreduced_loss(self, labels, logits):
        labels = _column(labels, dtypes.float32)
        return math_ops.square(labels - logits)

    def _metrics(self, labels, predictions, unreduced):
        return {"average_loss": metrics.mean(unreduced, name="average_loss"),
                "prediction/mean": metrics.mean(predictions["predictions"], name="prediction/mean"),
                "label/mean": metrics.mean(_column(labels, dtypes.float32), name="label/mean")}


class BinaryHead(_Head):
    """One logit; probability sigmoid(logit); loss = sigmoid cross-entropy."""

    logits_dimension = 1

    def __init__(self, loss_reduction=Reduction.SUM):
        super().__init__(2, loss_reduction)

    def _predictions(self, logits):
        logistic = sigmoid(logits, name="logistic")
        two_class_logits = building.concat([array_ops.zeros_like(logits), logits], axis=-1, name="two_class_logits")
        probabilities = softmax(two_class_logits, name="probabilities")
        class_ids = array_ops.expand_dims(reduce_ops.argmax(two_class_logits, axis=-1, name="class_ids"), -1)
        return {"logits": logits, "logistic": logistic, "probabilities": probabilities, "class_ids": class_ids,
                "classes": as_string(class_ids, name="str_classes"),
                "all_class_ids": _tile_classes(logits, 2, False), "all_classes": _tile_classes(logits, 2, True)}

    def _unreduced_loss(self, labels, logits):
        return sigmoid_cross_entropy_with_logits(labels=_column(labels, dtypes.float32), logits=logits)

    def _metrics(self, labels, predictions, unreduced):
        labels = _column(labels, dtypes.int64)
        float_labels = math_ops.cast(labels, dtypes.float32)
        class_ids, logistic = predictions["class_ids"], predictions["logistic"]
        label_mean = metrics.mean(float_labels, name="label/mean")
        with name_scope("accuracy_baseline"):
            baseline = (compare.maximum(label_mean[0], 1. - label_mean[0], name="value"),
                        compare.maximum(label_mean[1], 1. - label_mean[1], name="update_op"))
        return {"average_loss": metrics.mean(unreduced, name="average_loss"),
                "accuracy": metrics.accuracy(labels, class_ids, name="accuracy"),
                "precision": metrics.precision(labels, class_ids, name="precision"),
                "recall": metrics.recall(labels, class_ids, name="recall"),
                "prediction/mean": metrics.mean(logistic, name="prediction/mean"),
                "label/mean": label_mean,
                "accuracy_baseline": baseline,
                "auc": metrics.auc(labels, logistic, name="auc"),
                "auc_precision_recall": metrics.auc(labels, logistic, curve="PR", name="auc_precision_recall")}


class MultiClassHead(_Head):
    """n_classes logits; probabilities softmax(logits); loss = softmax cross-entropy."""

    def __init__(self, n_classes, loss_reduction=Reduction.SUM):
        super().__init__(n_classes, loss_reduction)
        self.logits_dimension = n_classes

    def _predictions(self, logits):
        class_ids = array_ops.expand_dims(reduce_ops.argmax(logits, axis=-1, name="class_ids"), -1)
        return {"logits": logits, "probabilities": softmax(logits, name="probabilities"), "class_ids": class_ids,
                "classes": as_string(class_ids, name="str_classes"),
                "all_class_ids": _tile_classes(logits, self.n_classes, False),
                "all_classes": _tile_classes(logits, self.n_classes, True)}

    def _unreduced_loss(self, labels, logits):
        labels = _column(labels, dtypes.int64)
        loss = sparse_softmax_cross_entropy_with_logits(labels=array_ops.squeeze(labels, axis=[-1]), logits=logits)
        return array_ops.expand_dims(loss, -1)

    def _metrics(self, labels, predictions, unreduced):
        return {"average_loss": metrics.mean(unreduced, name="average_loss"),
                "accuracy": metrics.accuracy(_column(labels, dtypes.int64), predictions["class_ids"],
                                             name="accuracy")}


def classification_head(n_classes, loss_reduction=Reduction.SUM):
    if n_classes is None or n_classes < 2:
        raise ValueError(f"n_classes must be > 1 for classification: {n_classes}")
    return BinaryHead(loss_reduction) if n_classes == 2 else MultiClassHead(n_classes, loss_reduction)
