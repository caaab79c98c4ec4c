"""DNNLinearCombinedClassifier and DNNLinearCombinedRegressor: "wide & deep" (TF 1.15).

Mirrors tensorflow_estimator/python/estimator/canned/dnn_linear_combined.py (the v1 classes):
the logits are the sum of a linear model (`linear/`, its own optimizer, Ftrl by default) and a
DNN (`dnn/`, Adagrad by default), each optimizer updating its own part; then the global step
goes up by one. TF's default learning rates here: 0.001 for the DNN, min(0.005, 1/sqrt(number
of linear columns)) for the linear part.
"""
import math

from ..graph import GraphKeys, control_dependencies, get_collection
from ..losses import Reduction
from ..ops.control import group
from ..ops.nn import relu
from ..ops.state import assign_add
from ..train.learning_rate import get_global_step
from .canned_estimators import _check_features, _check_supported, _dnn_logits, _linear_logits, get_optimizer_instance
from .canned_heads import RegressionHead, classification_head
from .estimator import Estimator


def _combined_model_fn(features, labels, mode, head, linear_feature_columns, linear_optimizer, dnn_feature_columns,
                       dnn_optimizer, dnn_hidden_units, dnn_activation_fn, dnn_dropout, linear_sparse_combiner):
    _check_features(features)
    if not linear_feature_columns and not dnn_feature_columns:
        raise ValueError("Either linear_feature_columns or dnn_feature_columns must be defined.")
    parts = []  # (logits, optimizer, variable scope)
    if dnn_feature_columns:
        if not dnn_hidden_units:
            raise ValueError("dnn_hidden_units must be defined when dnn_feature_columns is specified.")
        optimizer = get_optimizer_instance(dnn_optimizer, learning_rate=0.001)
        logits = _dnn_logits(features, mode, head.logits_dimension, dnn_hidden_units, dnn_feature_columns,
                             dnn_activation_fn, dnn_dropout)
        parts.append((logits, optimizer, "dnn"))
    if linear_feature_columns:
        rate = min(0.005, 1.0 / math.sqrt(len(linear_feature_columns)))
        optimizer = get_optimizer_instance(linear_optimizer, learning_rate=rate)
        logits = _linear_logits(features, head.logits_dimension, linear_feature_columns, linear_sparse_combiner)
        parts.append((logits, optimizer, "linear"))
    logits = parts[0][0] if len(parts) == 1 else parts[0][0] + parts[1][0]

    def train_op_fn(loss):
        """Each optimizer minimizes the loss over its own part's variables; then global_step += 1."""
        updates = [optimizer.minimize(loss, var_list=get_collection(GraphKeys.TRAINABLE_VARIABLES, scope=scope))
                   for _, optimizer, scope in parts]
        with control_dependencies([group(*updates)]):
            return assign_add(get_global_step(), 1).op

    return head.create_estimator_spec(features, mode, logits, labels, train_op_fn=train_op_fn)


class DNNLinearCombinedClassifier(Estimator):
    """Wide & deep for n_classes classes: a linear model (wide) plus a DNN (deep), summed logits.

    Example:
        est = tf.estimator.DNNLinearCombinedClassifier(
            linear_feature_columns=[crossed], dnn_feature_columns=[embedded, age], dnn_hidden_units=[32, 16])
    """

    def __init__(self, model_dir=None, linear_feature_columns=None, linear_optimizer="Ftrl",
                 dnn_feature_columns=None, dnn_optimizer="Adagrad", dnn_hidden_units=None, dnn_activation_fn=relu,
                 dnn_dropout=None, n_classes=2, weight_column=None, label_vocabulary=None,
                 input_layer_partitioner=None, config=None, warm_start_from=None, loss_reduction=Reduction.SUM,
                 batch_norm=False, linear_sparse_combiner="sum"):
        _check_supported(batch_norm, warm_start_from)
        head = classification_head(n_classes, loss_reduction, weight_column, label_vocabulary)
        linear, dnn = tuple(linear_feature_columns or ()), tuple(dnn_feature_columns or ())
        if not linear and not dnn:
            raise ValueError("Either linear_feature_columns or dnn_feature_columns must be defined.")

        def _model_fn(features, labels, mode, config):
            return _combined_model_fn(features, labels, mode, head, linear, linear_optimizer, dnn, dnn_optimizer,
                                      dnn_hidden_units, dnn_activation_fn, dnn_dropout, linear_sparse_combiner)
        super().__init__(_model_fn, model_dir=model_dir, config=config)


class DNNLinearCombinedRegressor(Estimator):
    """Wide & deep for real-valued labels (squared error)."""

    def __init__(self, model_dir=None, linear_feature_columns=None, linear_optimizer="Ftrl",
                 dnn_feature_columns=None, dnn_optimizer="Adagrad", dnn_hidden_units=None, dnn_activation_fn=relu,
                 dnn_dropout=None, label_dimension=1, weight_column=None, input_layer_partitioner=None, config=None,
                 warm_start_from=None, loss_reduction=Reduction.SUM, batch_norm=False, linear_sparse_combiner="sum"):
        _check_supported(batch_norm=batch_norm, warm_start_from=warm_start_from)
        head = RegressionHead(label_dimension, loss_reduction, weight_column)
        linear, dnn = tuple(linear_feature_columns or ()), tuple(dnn_feature_columns or ())
        if not linear and not dnn:
            raise ValueError("Either linear_feature_columns or dnn_feature_columns must be defined.")

        def _model_fn(features, labels, mode, config):
            return _combined_model_fn(features, labels, mode, head, linear, linear_optimizer, dnn, dnn_optimizer,
                                      dnn_hidden_units, dnn_activation_fn, dnn_dropout, linear_sparse_combiner)
        super().__init__(_model_fn, model_dir=model_dir, config=config)
