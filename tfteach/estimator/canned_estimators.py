"""The canned estimators: LinearRegressor, LinearClassifier, DNNRegressor, DNNClassifier (TF 1.15).

Mirrors tensorflow_estimator/python/estimator/canned/{linear,dnn,optimizers}.py, the v1 classes
(tf.compat.v1.estimator): an Estimator whose model_fn is written for you. The model under
`linear/` (tf.feature_column.linear_model) or `dnn/` (input_layer, hiddenlayer_<i>, logits), a
head (canned_heads.py) for the loss, predictions and metrics, and TF's default optimizers:
Ftrl with learning rate 0.2 for linear models (min(0.2, 1/sqrt(number of columns)) when
optimizer=None), Adagrad 0.05 for DNNs; an optimizer given by name gets that learning rate too.
"""
import math

from .. import dtypes
from ..feature_column.layers import input_layer, linear_model
from ..graph import name_scope
from ..init_ops import glorot_uniform_initializer, zeros_initializer
from ..layers import dropout as dropout_layer
from ..losses import Reduction
from ..ops import math as math_ops
from ..ops.nn import bias_add, relu
from ..train.ftrl import FtrlOptimizer
from ..train.optimizer import Optimizer
from ..train.optimizers import AdagradOptimizer, AdamOptimizer, GradientDescentOptimizer, RMSPropOptimizer
from ..variable_scope import get_variable, variable_scope
from .canned_heads import RegressionHead, classification_head
from .estimator import Estimator
from .model_fn import ModeKeys


def _ftrl(learning_rate):
    return FtrlOptimizer(learning_rate=learning_rate)


_OPTIMIZERS = {"Adagrad": AdagradOptimizer, "Adam": AdamOptimizer, "Ftrl": _ftrl, "RMSProp": RMSPropOptimizer,
               "SGD": GradientDescentOptimizer}


def get_optimizer_instance(opt, learning_rate=None):
    """A name ('Adagrad', 'Adam', 'Ftrl', 'RMSProp', 'SGD') with `learning_rate`, a callable
    returning an optimizer, or an optimizer: TF's canned/optimizers.py."""
    if isinstance(opt, str):
        if opt not in _OPTIMIZERS:
            raise ValueError(f"Unsupported optimizer name: {opt}. Supported names are: {tuple(sorted(_OPTIMIZERS))}")
        if not learning_rate:
            raise ValueError("learning_rate must be specified when opt is string.")
        return _OPTIMIZERS[opt](learning_rate=learning_rate)
    if callable(opt) and not isinstance(opt, Optimizer):
        opt = opt()
    if not isinstance(opt, Optimizer):
        raise ValueError(f"The given object is not an Optimizer instance. Given: {opt}")
    return opt


def _check_supported(batch_norm=False, warm_start_from=None):
    for what, value in (("batch_norm", batch_norm), ("warm_start_from", warm_start_from)):
        if value:
            raise NotImplementedError(f"tfteach's canned estimators do not implement {what}")


def _check_features(features):
    if not isinstance(features, dict):
        raise ValueError(f"features should be a dictionary of `Tensor`s. Given type: {type(features)}")


# ---- the linear model --------------------------------------------------------------------------
def _linear_logits(features, units, feature_columns, sparse_combiner):
    with variable_scope("linear", values=list(features.values())):
        return linear_model(features, list(feature_columns), units=units, sparse_combiner=sparse_combiner)


def _linear_model_fn(features, labels, mode, head, feature_columns, optimizer, sparse_combiner):
    """logits = linear/linear_model(features); trained with Ftrl (learning rate 0.2) by default."""
    _check_features(features)
    feature_columns = list(feature_columns)
    logits = _linear_logits(features, head.logits_dimension, feature_columns, sparse_combiner)
    # the string 'Ftrl' (the default) gets 0.2; only optimizer=None gets min(0.2, 1/sqrt(#columns)), as TF's
    optimizer = get_optimizer_instance(optimizer or _ftrl(min(0.2, 1.0 / math.sqrt(len(feature_columns)))),
                                       learning_rate=0.2)
    # TF builds the head in the model's scope (linear/head/...); its slots are still <variable>/Ftrl
    with name_scope("linear/"):
        return head.create_estimator_spec(features, mode, logits, labels, optimizer)


class LinearClassifier(Estimator):
    """A linear model of the feature columns for n_classes classes (logistic regression for 2).

    Example:
        est = tf.estimator.LinearClassifier([tf.feature_column.numeric_column('x')], n_classes=3)
        est.train(tf.estimator.inputs.numpy_input_fn({'x': x}, y, shuffle=True, num_epochs=None), steps=100)
    """

    def __init__(self, feature_columns, model_dir=None, n_classes=2, weight_column=None, label_vocabulary=None,
                 optimizer="Ftrl", config=None, partitioner=None, warm_start_from=None,
                 loss_reduction=Reduction.SUM, sparse_combiner="sum"):
        _check_supported(warm_start_from=warm_start_from)
        head = classification_head(n_classes, loss_reduction, weight_column, label_vocabulary)
        feature_columns = tuple(feature_columns)

        def _model_fn(features, labels, mode, config):
            return _linear_model_fn(features, labels, mode, head, feature_columns,
                                    optimizer, sparse_combiner)
        super().__init__(_model_fn, model_dir=model_dir, config=config)


class LinearRegressor(Estimator):
    """A linear model of the feature columns for real-valued labels (squared error).

    Example:
        est = tf.estimator.LinearRegressor([tf.feature_column.numeric_column('rooms')])
    """

    def __init__(self, feature_columns, model_dir=None, label_dimension=1, weight_column=None, optimizer="Ftrl",
                 config=None, partitioner=None, warm_start_from=None, loss_reduction=Reduction.SUM,
                 sparse_combiner="sum"):
        _check_supported(warm_start_from=warm_start_from)
        head = RegressionHead(label_dimension, loss_reduction, weight_column)
        feature_columns = tuple(feature_columns)

        def _model_fn(features, labels, mode, config):
            return _linear_model_fn(features, labels, mode, head, feature_columns,
                                    optimizer, sparse_combiner)
        super().__init__(_model_fn, model_dir=model_dir, config=config)


# ---- the DNN -------------------------------------------------------------------------------------
def _dense(net, units, activation):
    """kernel (Glorot uniform) and bias (zeros) in the current variable scope, as tf.layers.Dense."""
    kernel = get_variable("kernel", [net.shape[-1], units], dtype=dtypes.float32,
                          initializer=glorot_uniform_initializer())
    bias = get_variable("bias", [units], dtype=dtypes.float32, initializer=zeros_initializer())
    out = bias_add(math_ops.matmul(net, kernel), bias)
    return out if activation is None else activation(out)


def _dnn_model_fn(features, labels, mode, head, hidden_units, feature_columns, optimizer, activation_fn, dropout):
    """dnn/input_from_feature_columns, dnn/hiddenlayer_<i> (activation_fn, dropout while training), dnn/logits."""
    _check_features(features)
    optimizer = get_optimizer_instance(optimizer, learning_rate=0.05)
    logits = _dnn_logits(features, mode, head.logits_dimension, hidden_units, feature_columns, activation_fn, dropout)
    with name_scope("dnn/"):  # the head in the model's scope, dnn/head/..., as TF's
        return head.create_estimator_spec(features, mode, logits, labels, optimizer)


def _dnn_logits(features, mode, units, hidden_units, feature_columns, activation_fn, dropout):
    with variable_scope("dnn", values=list(features.values())):
        return _dnn_layers(features, mode, units, hidden_units, feature_columns, activation_fn, dropout)


def _dnn_layers(features, mode, units, hidden_units, feature_columns, activation_fn, dropout):
    with variable_scope("input_from_feature_columns"):
        net = input_layer(features, feature_columns)
    for i, width in enumerate(hidden_units):
        with variable_scope(f"hiddenlayer_{i}"):
            net = _dense(net, width, activation_fn)
            if dropout is not None and mode == ModeKeys.TRAIN:
                net = dropout_layer(net, rate=dropout, training=True)
    with variable_scope("logits"):
        return _dense(net, units, None)


class DNNClassifier(Estimator):
    """A feed-forward network on the feature columns for n_classes classes.

    Example:
        est = tf.estimator.DNNClassifier(hidden_units=[10, 10], feature_columns=columns, n_classes=3)
    """

    def __init__(self, hidden_units, feature_columns, model_dir=None, n_classes=2, weight_column=None,
                 label_vocabulary=None, optimizer="Adagrad", activation_fn=relu, dropout=None,
                 input_layer_partitioner=None, config=None, warm_start_from=None, loss_reduction=Reduction.SUM,
                 batch_norm=False):
        _check_supported(batch_norm, warm_start_from)
        head = classification_head(n_classes, loss_reduction, weight_column, label_vocabulary)
        hidden_units, feature_columns = tuple(hidden_units), tuple(feature_columns)

        def _model_fn(features, labels, mode, config):
            return _dnn_model_fn(features, labels, mode, head, hidden_units, feature_columns, optimizer,
                                 activation_fn, dropout)
        super().__init__(_model_fn, model_dir=model_dir, config=config)


class DNNRegressor(Estimator):
    """A feed-forward network on the feature columns for real-valued labels (squared error)."""

    def __init__(self, hidden_units, feature_columns, model_dir=None, label_dimension=1, weight_column=None,
                 optimizer="Adagrad", activation_fn=relu, dropout=None, input_layer_partitioner=None, config=None,
                 warm_start_from=None, loss_reduction=Reduction.SUM, batch_norm=False):
        _check_supported(batch_norm=batch_norm, warm_start_from=warm_start_from)
        head = RegressionHead(label_dimension, loss_reduction, weight_column)
        hidden_units, feature_columns = tuple(hidden_units), tuple(feature_columns)

        def _model_fn(features, labels, mode, config):
            return _dnn_model_fn(features, labels, mode, head, hidden_units, feature_columns, optimizer,
                                 activation_fn, dropout)
        super().__init__(_model_fn, model_dir=model_dir, config=config)
