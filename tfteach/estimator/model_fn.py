"""tf.estimator.ModeKeys and EstimatorSpec: what a model_fn is told and what it returns.

Mirrors tensorflow_estimator/python/estimator/model_fn.py and mode_keys.py (TF 1.15).
"""
import collections

from ..graph import Operation, Tensor, get_default_graph
from ..ops.array import reshape
from ..variables import Variable


class ModeKeys:
    """The three modes a model_fn is called in, with TF's string values."""
    TRAIN = "train"
    EVAL = "eval"
    PREDICT = "infer"


LOSS_METRIC_KEY = "loss"
AVERAGE_LOSS_METRIC_KEY = "average_loss"

_GRAPH_ERROR = ("{0} with {1} must be from the default graph. Possible causes of this error include: \n\n"
                "1) {0} was created outside the context of the default graph.\n\n"
                "2) The object passed through to EstimatorSpec was not created in the most recent call to "
                "\"model_fn\".")

_FIELDS = ["mode", "predictions", "loss", "train_op", "eval_metric_ops", "export_outputs",
           "training_chief_hooks", "training_hooks", "scaffold", "evaluation_hooks", "prediction_hooks"]


class EstimatorSpec(collections.namedtuple("EstimatorSpec", _FIELDS)):
    """What a model_fn returns: the ops the Estimator runs in `mode`.

    TRAIN needs `loss` and `train_op`; EVAL needs `loss` (and may give `eval_metric_ops`,
    a dict {name: (value, update_op)}); PREDICT needs `predictions` (a tensor or a dict of
    tensors). `export_outputs` and `scaffold` are accepted and ignored (tfteach exports no
    SavedModel).
    """

    def __new__(cls, mode, predictions=None, loss=None, train_op=None, eval_metric_ops=None,
                export_outputs=None, training_chief_hooks=None, training_hooks=None, scaffold=None,
                evaluation_hooks=None, prediction_hooks=None):
        graph = get_default_graph()
        loss = _validate_loss(loss, mode, graph)
        predictions = _validate_predictions(predictions, mode, graph)
        train_op = _validate_train_op(train_op, mode, graph)
        eval_metric_ops = _validate_eval_metric_ops(eval_metric_ops, graph)
        hooks = [tuple(h or ()) for h in (training_chief_hooks, training_hooks, evaluation_hooks,
                                         prediction_hooks)]
        return super().__new__(cls, mode, predictions, loss, train_op, eval_metric_ops, export_outputs,
                               hooks[0], hooks[1], scaffold, hooks[2], hooks[3])

    def _replace(self, **kwargs):
        if "mode" in kwargs and self.mode != kwargs["mode"]:
            raise ValueError("mode of EstimatorSpec cannot be changed.")
        fields = dict(zip(self._fields, self))
        fields.update(kwargs)
        return EstimatorSpec(**fields)


def _check_tensor(x, name):
    if isinstance(x, Variable):
        x = x.value()
    if not isinstance(x, Tensor):
        raise TypeError(f"{name} must be Tensor, given: {x!r}")
    return x


def _check_graph(x, what, name, graph):
    if x.graph is not graph:
        raise ValueError(_GRAPH_ERROR.format(what, name))


def _validate_loss(loss, mode, graph):
    if loss is None:
        if mode in (ModeKeys.TRAIN, ModeKeys.EVAL):
            raise ValueError("Missing loss.")
        return None
    loss = _check_tensor(loss, "loss")
    n = loss.shape.num_elements()
    if n not in (None, 1):
        raise ValueError(f"Loss must be scalar, given: {loss}")
    if loss.shape.ndims != 0:
        loss = reshape(loss, [])
    _check_graph(loss, "loss", loss.name, graph)
    return loss


def _validate_predictions(predictions, mode, graph):
    if predictions is None:
        if mode == ModeKeys.PREDICT:
            raise ValueError("Missing predictions.")
        return {}
    if isinstance(predictions, dict):
        predictions = {k: _check_tensor(v, f"predictions[{k}]") for k, v in predictions.items()}
        for k, v in predictions.items():
            _check_graph(v, "prediction values", f"{k}: {v.name}", graph)
        return predictions
    predictions = _check_tensor(predictions, "predictions")
    _check_graph(predictions, "prediction values", predictions.name, graph)
    return predictions


def _validate_train_op(train_op, mode, graph):
    if train_op is None:
        if mode == ModeKeys.TRAIN:
            raise ValueError("Missing train_op.")
        return None
    if isinstance(train_op, Variable):
        train_op = train_op.op
    if not isinstance(train_op, (Tensor, Operation)):
        raise TypeError(f"train_op must be Operation or Tensor, given: {train_op!r}")
    _check_graph(train_op, "train_op", train_op.name, graph)
    return train_op


def _validate_eval_metric_ops(eval_metric_ops, graph):
    if eval_metric_ops is None:
        return {}
    if not isinstance(eval_metric_ops, dict):
        raise TypeError(f"eval_metric_ops must be a dict, given: {eval_metric_ops!r}")
    for key, value in eval_metric_ops.items():
        if not isinstance(value, tuple) or len(value) != 2:
            raise TypeError(f"Values of eval_metric_ops must be (metric_value, update_op) tuples, given: "
                            f"{value!r} for key: {key}")
        for v in value:
            if isinstance(v, Variable):
                v = v.op
            if not isinstance(v, (Tensor, Operation)):
                raise TypeError(f"Values of eval_metric_ops must be (metric_value, update_op) tuples of "
                                f"tensors or ops, given: {value!r} for key: {key}")
            _check_graph(v, "eval_metric_ops", f"{key}: {v.name}", graph)
    return dict(eval_metric_ops)
