"""Cases for tf.estimator: what train / evaluate / predict return and leave in model_dir.

The oracle is TF 2.15 with tensorflow-estimator 2.15 (`tf.compat.v1.estimator`, TF 1.15's
Estimator), not the 2.21 of the other modules: the fixture is written with that venv's python,

    TF_USE_LEGACY_KERAS=0 /opt/tf215venv/bin/python tests/fixtures/make_fixtures.py estimator_cases

(make_fixtures.py sets TF_USE_LEGACY_KERAS=1 for TF 2.21, which TF 2.15 without tf-keras cannot
import; the venv: python3.11 -m venv /opt/tf215venv && pip install tensorflow-cpu==2.15.1
tensorflow-estimator==2.15.0).

Each case makes its own model_dir. Inputs are in order (shuffle=False) and initial values
are zeros, so every number is deterministic; event file names (time, host) are left out.
"""
import os
import shutil
import tempfile

import numpy as np

from cases.harness import catch

X = np.array([[0.5, 1.0], [1.5, -0.5], [-1.0, 2.0], [2.0, 0.5], [0.0, -1.5],
              [1.0, 1.0], [-0.5, -0.5], [2.5, 1.5], [-2.0, 0.0], [0.5, 2.5]], np.float32)
Y = np.array([1, 0, 1, 0, 0, 1, 0, 1, 1, 1], np.int32)


def _model_fn(tf):
    """A logistic regression on features['x'], gradient descent 0.5, accuracy as a metric."""
    def model_fn(features, labels, mode, params):
        x = features["x"]
        w = tf.get_variable("weights", [2, 1], initializer=tf.zeros_initializer())
        b = tf.get_variable("bias", [1], initializer=tf.zeros_initializer())
        logits = tf.squeeze(tf.matmul(x, w) + b, axis=1, name="logits")
        predictions = {"probability": tf.sigmoid(logits), "class": tf.cast(logits > 0, tf.int32)}
        if mode == tf.estimator.ModeKeys.PREDICT:
            return tf.estimator.EstimatorSpec(mode, predictions=predictions)
        loss = tf.losses.sigmoid_cross_entropy(tf.cast(labels, tf.float32), logits)
        train_op = tf.train.GradientDescentOptimizer(params["learning_rate"]).minimize(
            loss, global_step=tf.train.get_global_step())
        metrics = {"accuracy": tf.metrics.accuracy(labels, predictions["class"])}
        return tf.estimator.EstimatorSpec(mode, loss=loss, train_op=train_op, eval_metric_ops=metrics)
    return model_fn


def _files(model_dir):
    """The files in model_dir, event files (named after the time and host) as one entry."""
    names = sorted(os.listdir(model_dir))
    events = [n for n in names if n.startswith("events.out.tfevents.")]
    return [n for n in names if n not in events] + (["events.out.tfevents.*"] if events else [])


def _state(tf, model_dir):
    state = tf.train.get_checkpoint_state(model_dir)
    return [os.path.basename(state.model_checkpoint_path),
            [os.path.basename(p) for p in state.all_model_checkpoint_paths]]


def _load(tf, model_dir, name):
    """tf.train.load_variable; a 0-d value as a numpy scalar (TF's reader gives np.int64 for the
    global step, tfteach's a 0-d array: reported, and not this module's to change)."""
    return np.asarray(tf.train.load_variable(model_dir, name))[()]


def _estimator(tf, model_dir, **config):
    config = tf.estimator.RunConfig(**config) if config else None
    return tf.estimator.Estimator(_model_fn(tf), model_dir=model_dir, config=config,
                                  params={"learning_rate": 0.5})


def _input(tf, x=X, y=Y, **kwargs):
    kwargs.setdefault("shuffle", False)
    return tf.estimator.inputs.numpy_input_fn({"x": x}, y, **kwargs)


def _in_tempdir(fn):
    def case(tf):
        model_dir = tempfile.mkdtemp(prefix="estimator_case_")
        try:
            return fn(tf, model_dir)
        finally:
            shutil.rmtree(model_dir, ignore_errors=True)
    case.__name__ = fn.__name__
    return case


def case_modekeys(tf):
    keys = tf.estimator.ModeKeys
    return [keys.TRAIN, keys.EVAL, keys.PREDICT]


@_in_tempdir
def case_train_until_input_ends(tf, model_dir):
    """Two epochs of 10 examples in batches of 4: 5 steps, then OutOfRangeError ends training."""
    est = _estimator(tf, model_dir)
    returned = est.train(_input(tf, batch_size=4, num_epochs=2))
    return {"returns_self": returned is est, "files": _files(model_dir), "state": _state(tf, model_dir),
            "variables": tf.train.list_variables(model_dir),
            "global_step": _load(tf, model_dir, "global_step"),
            "weights": _load(tf, model_dir, "weights"),
            "bias": _load(tf, model_dir, "bias")}


@_in_tempdir
def case_checkpoint_every_n_steps(tf, model_dir):
    """save_checkpoints_steps=4, 10 steps: model.ckpt-0, 4, 8 and the last, 10; keep_checkpoint_max=3."""
    est = _estimator(tf, model_dir, save_checkpoints_steps=4, keep_checkpoint_max=3, log_step_count_steps=3)
    est.train(_input(tf, batch_size=3, num_epochs=None), steps=10)
    return {"files": _files(model_dir), "state": _state(tf, model_dir),
            "global_step": _load(tf, model_dir, "global_step"),
            "weights": _load(tf, model_dir, "weights")}


@_in_tempdir
def case_evaluate(tf, model_dir):
    """evaluate over every batch (3 batches of 4, 4, 2): loss is the mean of the batch losses."""
    est = _estimator(tf, model_dir)
    est.train(_input(tf, batch_size=5, num_epochs=None), steps=6)
    results = est.evaluate(_input(tf, batch_size=4))
    two_steps = est.evaluate(_input(tf, batch_size=4), steps=2, name="two")
    return {"results": results, "two_steps": two_steps, "files": _files(model_dir),
            "eval_dirs": [os.path.basename(est.eval_dir()), os.path.basename(est.eval_dir("two"))]}


@_in_tempdir
def case_evaluate_without_checkpoint(tf, model_dir):
    """No checkpoint: evaluate runs the initializers (global step 0)."""
    return _estimator(tf, model_dir).evaluate(_input(tf, batch_size=10))


@_in_tempdir
def case_predict(tf, model_dir):
    """One dict per example, in order; predict_keys keeps some keys; the input's end stops it."""
    est = _estimator(tf, model_dir)
    est.train(_input(tf, batch_size=10, num_epochs=None), steps=5)
    x = {"x": X[:7]}
    every = list(est.predict(tf.estimator.inputs.numpy_input_fn(x, batch_size=3, shuffle=False)))
    some = list(est.predict(tf.estimator.inputs.numpy_input_fn(x, batch_size=3, shuffle=False),
                            predict_keys=["class"]))
    batches = list(est.predict(tf.estimator.inputs.numpy_input_fn(x, batch_size=3, shuffle=False),
                               yield_single_examples=False))
    return {"every": every, "some": some, "batches": batches}


@_in_tempdir
def case_restores_between_calls(tf, model_dir):
    """train(steps=3) twice gives step 6; max_steps=4 is skipped; max_steps=8 trains 2 more."""
    est = _estimator(tf, model_dir)
    steps = []
    for kwargs in [{"steps": 3}, {"steps": 3}, {"max_steps": 4}, {"max_steps": 8}]:
        est.train(_input(tf, batch_size=4, num_epochs=None), **kwargs)
        steps.append(_load(tf, model_dir, "global_step"))
    again = _estimator(tf, model_dir)  # a new Estimator on the same directory restores too
    again.train(_input(tf, batch_size=4, num_epochs=None), steps=1)
    return {"steps": steps, "after_new_estimator": _load(tf, model_dir, "global_step"),
            "state": _state(tf, model_dir), "weights": _load(tf, model_dir, "weights"),
            "variable_names": again.get_variable_names(),
            "get_variable_value": again.get_variable_value("bias")}


@_in_tempdir
def case_array_features_and_dict_labels(tf, model_dir):
    """x an array: features is a tensor; y a dict: labels is a dict."""
    input_fn = tf.estimator.inputs.numpy_input_fn(X, {"y": Y}, batch_size=4, shuffle=False, num_epochs=1)
    features, labels = input_fn()  # (TF's queue needs queue runners to be read in a plain Session)
    return {"features_is_tensor": isinstance(features, tf.Tensor), "dtype": features.dtype.name,
            "shape": features.shape.as_list(), "labels": sorted(labels), "labels_dtype": labels["y"].dtype.name,
            "labels_shape": labels["y"].shape.as_list()}


def case_numpy_input_fn_errors(tf):
    fn = tf.estimator.inputs.numpy_input_fn
    return {"shuffle_missing": catch(fn, {"x": X}, Y),
            "mismatched": catch(lambda: fn({"x": X}, Y[:4], shuffle=False)()),
            "empty_dict": catch(lambda: fn({}, shuffle=False)()),
            "duplicate_keys": catch(lambda: fn({"x": X}, {"x": Y}, shuffle=False)()),
            "not_array": catch(lambda: fn([1, 2], shuffle=False)())}


@_in_tempdir
def case_argument_errors(tf, model_dir):
    est = _estimator(tf, model_dir)
    train = _input(tf, num_epochs=None)
    return {"steps_and_max_steps": catch(est.train, train, steps=1, max_steps=2),
            "zero_steps": catch(est.train, train, steps=0),
            "negative_max_steps": catch(est.train, train, max_steps=-1),
            "zero_eval_steps": catch(est.evaluate, train, steps=0),
            "no_features_arg": catch(tf.estimator.Estimator, lambda x, labels: None, model_dir=model_dir),
            "params_not_taken": catch(tf.estimator.Estimator, lambda features, labels: None,
                                      model_dir=model_dir, params={"a": 1}),
            "unexpected_arg": catch(tf.estimator.Estimator, lambda features, labels, extra: None,
                                    model_dir=model_dir),
            "model_dir_conflict": catch(tf.estimator.Estimator, _model_fn(tf), model_dir=model_dir,
                                        config=tf.estimator.RunConfig(model_dir=model_dir + "_other")),
            "steps_and_secs": catch(tf.estimator.RunConfig, save_checkpoints_steps=5,
                                    save_checkpoints_secs=5),
            "bad_predict_keys": catch(lambda: list(est.predict(_input(tf, y=None), predict_keys=["nope"])))}


def case_estimator_spec_errors(tf):
    mode = tf.estimator.ModeKeys
    loss = tf.constant(1.0)
    return {"train_without_loss": catch(tf.estimator.EstimatorSpec, mode.TRAIN, train_op=tf.no_op()),
            "train_without_train_op": catch(tf.estimator.EstimatorSpec, mode.TRAIN, loss=loss),
            "eval_without_loss": catch(tf.estimator.EstimatorSpec, mode.EVAL),
            "predict_without_predictions": catch(tf.estimator.EstimatorSpec, mode.PREDICT),
            "loss_not_scalar": catch(tf.estimator.EstimatorSpec, mode.EVAL, loss=tf.constant([1.0, 2.0])),
            "metric_not_pair": catch(tf.estimator.EstimatorSpec, mode.EVAL, loss=loss,
                                     eval_metric_ops={"m": loss}),
            "eval_ok": tf.estimator.EstimatorSpec(mode.EVAL, loss=loss).mode}


@_in_tempdir
def case_metric_named_loss(tf, model_dir):
    """A metric named 'loss' collides with the Estimator's own (a ValueError at evaluate)."""
    def model_fn(features, labels, mode):
        w = tf.get_variable("w", [], initializer=tf.zeros_initializer())
        loss = tf.reduce_mean(tf.square(features["x"] * w))
        train_op = tf.train.GradientDescentOptimizer(0.1).minimize(loss, tf.train.get_global_step())
        return tf.estimator.EstimatorSpec(mode, loss=loss, train_op=train_op,
                                          eval_metric_ops={"loss": tf.metrics.mean(loss)})
    est = tf.estimator.Estimator(model_fn, model_dir=model_dir)
    return catch(est.evaluate, _input(tf, y=None, batch_size=5), steps=1)


class _Messages:
    """The INFO lines of the 'tensorflow' logger, normalized: model_dir, times and rates as
    placeholders, loss values kept apart (compared as numbers). TF 2.x's "Calling checkpoint
    listeners" lines (not TF 1.15's) and the config's repr are left out."""

    def __init__(self, model_dir):
        import logging
        self.model_dir, self.lines, self.losses = model_dir, [], []
        self.logger = logging.getLogger("tensorflow")
        self.handler = logging.Handler(logging.INFO)
        self.handler.emit = self._emit
        self.level = self.logger.level

    def __enter__(self):
        import logging
        self.logger.addHandler(self.handler)
        self.logger.setLevel(logging.INFO)
        return self

    def __exit__(self, *exc):
        self.logger.removeHandler(self.handler)
        self.logger.setLevel(self.level)

    def _emit(self, record):
        import logging
        import re
        text = record.getMessage()
        if record.levelno != logging.INFO or text.startswith(("Calling checkpoint listeners", "Using config")):
            return
        text = text.replace(self.model_dir, "<model_dir>")
        text = re.sub(r"\(\d+\.\d+ sec\)", "(<secs> sec)", text)
        text = re.sub(r"global_step/sec: .*", "global_step/sec: <rate>", text)
        text = re.sub(r"Inference Time : .*", "Inference Time : <secs>", text)
        text = re.sub(r"evaluation at .*", "evaluation at <time>", text)
        for pattern in (r"loss = ([-0-9.e]+)", r"Loss for final step: ([-0-9e]+\.?[0-9e-]*)"):
            for value in re.findall(pattern, text):
                self.losses.append(float(value))
            text = re.sub(pattern, lambda m: m.group(0).replace(m.group(1), "<loss>"), text)
        self.lines.append(text)


@_in_tempdir
def case_log_lines(tf, model_dir):
    """What train, evaluate and predict log at INFO, in order (tf.logging.set_verbosity(INFO))."""
    est = _estimator(tf, model_dir, save_checkpoints_steps=4, log_step_count_steps=3)
    with _Messages(model_dir) as log:
        est.train(_input(tf, batch_size=4, num_epochs=None), steps=10)
        est.train(_input(tf, batch_size=4, num_epochs=None), max_steps=5)
        est.evaluate(_input(tf, batch_size=4), steps=2)
        list(est.predict(tf.estimator.inputs.numpy_input_fn({"x": X[:2]}, shuffle=False)))
    return {"lines": log.lines, "losses": log.losses}
