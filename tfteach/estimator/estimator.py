"""tf.estimator.Estimator: train / evaluate / predict a model_fn, a thin driver over Graph + Session + Saver.

Mirrors tensorflow_estimator/python/estimator/estimator.py (TF 1.15) and the hooks it runs
(LoggingTensorHook, StopAtStepHook, CheckpointSaverHook, SummarySaverHook, StepCounterHook,
NanTensorHook), written out as one plain loop per method instead of hooks. Each call builds a
new graph, restores the latest checkpoint of model_dir (or initializes), runs, and saves.
"""
import copy
import inspect
import logging
import math
import os
import tempfile
import time

import numpy as np

from .. import metrics
from ..errors import OutOfRangeError
from ..graph import Graph, GraphKeys, add_to_collection, get_collection
from ..graph_def import write_graph
from ..ops.control import group
from ..ops.random import set_random_seed
from ..protos import Summary
from ..session import Session
from ..summary import ops as summary_ops
from ..summary.writer import FileWriter
from ..train.checkpoint import CheckpointReader
from ..train.checkpoint_management import get_checkpoint_state, latest_checkpoint, list_variables, load_variable
from ..train.learning_rate import create_global_step, get_global_step
from ..train.saver import Saver
from ..variables import global_variables_initializer, local_variables_initializer
from .hooks import SessionRunHook, _HookRunner
from .model_fn import LOSS_METRIC_KEY, EstimatorSpec, ModeKeys
from .run_config import RunConfig

logger = logging.getLogger("tensorflow")  # tf.logging's logger: set_verbosity(INFO) shows the progress

_VALID_MODEL_FN_ARGS = {"features", "labels", "mode", "params", "self", "config"}
CHECKPOINT_NAME = "model.ckpt"


class NanLossDuringTrainingError(RuntimeError):
    """tf.train.NanLossDuringTrainingError: the loss became NaN while training."""

    def __str__(self):
        return "NaN loss during training."


class Estimator:
    """Trains, evaluates and predicts with a model_fn, keeping checkpoints in model_dir.

    Args:
      model_fn: `model_fn(features, labels, mode, params, config)` (labels, mode, params,
        config optional) returning a tf.estimator.EstimatorSpec.
      model_dir: where checkpoints go; None: a new temporary directory (logged).
      config: a tf.estimator.RunConfig.
      params: a dict passed to model_fn (and input_fn) as `params`.

    Example:
        est = tf.estimator.Estimator(model_fn, model_dir='run', params={'lr': 0.1})
        est.train(tf.estimator.inputs.numpy_input_fn(x, y, shuffle=True, num_epochs=None), steps=500)
        est.evaluate(tf.estimator.inputs.numpy_input_fn(x_test, y_test, shuffle=False))
    """

    def __init__(self, model_fn, model_dir=None, config=None, params=None, warm_start_from=None):
        self._config = _config_with_model_dir(config, model_dir)
        self._model_dir = self._config.model_dir
        logger.info("Using config: %s", str(vars(self._config)))
        if model_fn is None:
            raise ValueError("model_fn must be provided to Estimator.")
        _verify_model_fn_args(model_fn, params)
        if warm_start_from is not None:
            raise NotImplementedError("tfteach's Estimator does not implement warm_start_from")
        self._model_fn = model_fn
        self._params = copy.deepcopy(params or {})

    model_dir = property(lambda self: self._model_dir)
    config = property(lambda self: copy.deepcopy(self._config))
    params = property(lambda self: copy.deepcopy(self._params))

    def get_variable_names(self):
        """The names of the variables in the latest checkpoint."""
        return [name for name, _ in list_variables(self._latest_or_raise())]

    def get_variable_value(self, name):
        """A variable's value in the latest checkpoint, as a numpy array."""
        return load_variable(self._latest_or_raise(), name)

    def latest_checkpoint(self):
        return latest_checkpoint(self._model_dir)

    def eval_dir(self, name=None):
        return os.path.join(self._model_dir, "eval" if not name else "eval_" + name)

    def _latest_or_raise(self):
        if not latest_checkpoint(self._model_dir):
            raise ValueError(f"Could not find trained model in model_dir: {self._model_dir}.")
        return self._model_dir

    # ---- train -------------------------------------------------------------------------
    def train(self, input_fn, hooks=None, steps=None, max_steps=None, saving_listeners=None):
        """Train until `steps` more steps, global step `max_steps`, or the input's end.

        Returns self. Logs `loss = ..., step = ...` every config.log_step_count_steps steps and
        saves `model_dir/model.ckpt-<step>` at the start, every save_checkpoints_steps (or
        _secs) and at the end.
        """
        if steps is not None and max_steps is not None:
            raise ValueError("Can not provide both steps and max_steps.")
        if steps is not None and steps <= 0:
            raise ValueError(f"Must specify steps > 0, given: {steps}")
        if max_steps is not None and max_steps <= 0:
            raise ValueError(f"Must specify max_steps > 0, given: {max_steps}")
        if max_steps is not None and max_steps <= _global_step_in(self._model_dir):
            logger.info("Skipping training since max_steps has already saved.")
            return self
        hooks = _check_hooks_type(hooks)
        if saving_listeners:
            raise NotImplementedError("tfteach's Estimator does not implement saving_listeners")
        loss = self._train_model(input_fn, hooks, steps, max_steps)
        logger.info("Loss for final step: %s.", loss)
        return self

    def _train_model(self, input_fn, hooks, steps, max_steps):
        config = self._config
        with Graph().as_default() as g:
            set_random_seed(config.tf_random_seed)
            global_step = create_global_step(g)
            features, labels, input_hooks = self._features_and_labels(input_fn, ModeKeys.TRAIN)
            spec = self._call_model_fn(features, labels, ModeKeys.TRAIN, config)
            if not any(s.op.name == "loss" for s in get_collection(GraphKeys.SUMMARIES)):
                summary_ops.scalar("loss", spec.loss)
            add_to_collection(GraphKeys.LOSSES, spec.loss)
            saver = _saver(config)
            if config.save_checkpoints_steps or config.save_checkpoints_secs:
                logger.info("Create CheckpointSaverHook.")
            summary_op = summary_ops.merge_all()
            runner = _HookRunner(list(input_hooks) + hooks + list(spec.training_chief_hooks)
                                 + list(spec.training_hooks))
            sess = self._create_session(g, saver, latest_checkpoint(self._model_dir), runner)
        writer = FileWriter(self._model_dir, g)  # the graph, then the loss and global_step/sec
        with sess:
            try:
                return self._train_loop(sess, g, saver, spec, global_step, summary_op, writer, runner, steps,
                                        max_steps)
            finally:
                writer.close()

    def _train_loop(self, sess, g, saver, spec, global_step, summary_op, writer, runner, steps, max_steps):
        config, model_dir = self._config, self._model_dir
        step = int(sess.run(global_step))
        last_step = max_steps if max_steps is not None else (step + steps if steps is not None else None)
        if config.checkpoint_save_graph_def:
            write_graph(g.as_graph_def(add_shapes=True), model_dir, "graph.pbtxt")
        save_path = os.path.join(model_dir, CHECKPOINT_NAME)
        saving = bool(config.save_checkpoints_steps or config.save_checkpoints_secs)

        def save(at):
            logger.info("Saving checkpoints for %d into %s.", at, save_path)
            saver.save(sess, save_path, global_step=at, write_meta_graph=True)
            return at, time.time()

        saved = save(step) if saving else (None, None)
        summarized = counted = None  # (step, time) of the last summary and global_step/sec
        loss, iteration, log_time, stuck_warned = None, 0, None, False
        try:
            while last_step is None or step < last_step:
                fetches = {"train_op": spec.train_op, "loss": spec.loss}
                want_summary = config.save_summary_steps and (
                    summarized is None or step + 1 >= summarized + config.save_summary_steps)
                if want_summary and summary_op is not None:
                    fetches["summary"] = summary_op
                results = runner.run(sess, fetches)
                loss = results["loss"]
                previous, step = step, int(sess.run(global_step))
                if math.isnan(float(loss)):
                    logger.error("Model diverged with loss = NaN.")
                    raise NanLossDuringTrainingError()
                if want_summary:
                    summarized = step
                    if "summary" in results:
                        writer.add_summary(results["summary"], step)
                if step == previous and not stuck_warned:
                    stuck_warned = True
                    logger.warning("It seems that global step (tf.train.get_global_step) has not been increased. "
                                   "Current value (could be stable): %s vs previous value: %s. You could increase "
                                   "the global step by passing tf.train.get_global_step() to "
                                   "Optimizer.apply_gradients or Optimizer.minimize.", step, previous)
                if saving and _due(step, saved, config.save_checkpoints_steps, config.save_checkpoints_secs):
                    saved = save(step)
                if config.log_step_count_steps:
                    counted = _count_steps(counted, step, config.log_step_count_steps, writer)
                    if iteration % config.log_step_count_steps == 0:
                        now = time.time()
                        np_opts = np.get_printoptions()
                        np.set_printoptions(suppress=True)
                        text = "loss = %s, step = %s" % (loss, step)
                        np.set_printoptions(**np_opts)
                        if log_time is None:
                            logger.info("%s", text)
                        else:
                            logger.info("%s (%.3f sec)", text, now - log_time)
                        log_time = now
                iteration += 1
                if runner.stop_requested:
                    break
        except OutOfRangeError:
            pass  # the input ended: training stops here, as TF's MonitoredSession does
        step = int(sess.run(global_step))
        if saving and step != saved[0]:
            save(step)
        runner.end(sess)
        if iteration == 0:
            logger.warning("Training with estimator made no steps. Perhaps input is empty or misspecified.")
        return loss

    # ---- evaluate ----------------------------------------------------------------------
    def evaluate(self, input_fn, steps=None, hooks=None, checkpoint_path=None, name=None):
        """Run the eval_metric_ops over `steps` batches (or until the input ends).

        Returns:
          A dict {metric name: value} with 'loss' (the mean of the loss over the batches)
          and 'global_step' (the step of the checkpoint evaluated).
        """
        hooks = _check_hooks_type(hooks)
        if steps is not None and steps <= 0:
            raise ValueError(f"Must specify steps > 0, given: {steps}")
        if not checkpoint_path:
            checkpoint_path = latest_checkpoint(self._model_dir)
            if not checkpoint_path:
                logger.info("Could not find trained model in model_dir: %s, running initialization to evaluate.",
                            self._model_dir)
        with Graph().as_default() as g:
            set_random_seed(self._config.tf_random_seed)
            create_global_step(g)
            features, labels, input_hooks = self._features_and_labels(input_fn, ModeKeys.EVAL)
            spec = self._call_model_fn(features, labels, ModeKeys.EVAL, self._config)
            metric_ops = dict(spec.eval_metric_ops)
            if LOSS_METRIC_KEY in metric_ops:
                raise ValueError(f'Metric with name "{LOSS_METRIC_KEY}" is not allowed, because Estimator already '
                                 f'defines a default metric with the same name.')
            metric_ops[LOSS_METRIC_KEY] = _mean(spec.loss)
            if GraphKeys.GLOBAL_STEP in metric_ops:
                raise ValueError("Metric with name `global_step` is not allowed, because Estimator already "
                                 "defines a default metric with the same name.")
            update_op = group(*[update for _, update in metric_ops.values()])
            eval_dict = {key: value for key, (value, _) in metric_ops.items()}
            eval_dict[GraphKeys.GLOBAL_STEP] = get_global_step(g)
            logger.info("Starting evaluation at %s", time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime()))
            start = time.time()
            runner = _HookRunner(list(input_hooks) + hooks + list(spec.evaluation_hooks))
            sess = self._create_session(g, _saver(self._config), checkpoint_path, runner)
        with sess:
            done = 0
            every = 1 if steps is None or steps < 20 else math.floor(steps / 10.0)
            try:
                while steps is None or done < steps:
                    runner.run(sess, update_op)
                    done += 1
                    if steps is None:
                        logger.info("Evaluation [%d]", done)
                    elif done % every == 0 or done == steps:
                        logger.info("Evaluation [%d/%d]", done, steps)
                    if runner.stop_requested:
                        break
            except OutOfRangeError:
                pass  # the input ended: the metrics cover every batch it gave
            results = sess.run(eval_dict)
            runner.end(sess)
        logger.info("Inference Time : %.5fs", time.time() - start)
        logger.info("Finished evaluation at %s", time.strftime("%Y-%m-%d-%H:%M:%S", time.localtime()))
        step = int(results[GraphKeys.GLOBAL_STEP])
        logger.info("Saving dict for global step %d: %s", step,
                    ", ".join("%s = %s" % (k, results[k]) for k in sorted(results)))
        _write_eval_summary(self.eval_dir(name), results, step)
        if checkpoint_path:  # (TF also writes the path as a text summary: tfteach logs it only)
            logger.info("Saving 'checkpoint_path' summary for global step %d: %s", step, checkpoint_path)
        return results

    # ---- predict -----------------------------------------------------------------------
    def predict(self, input_fn, predict_keys=None, hooks=None, checkpoint_path=None, yield_single_examples=True):
        """Yield predictions: one dict {key: value} per example (or per batch, or a value).

        Runs until the input ends (an input of constant tensors never ends, as in TF).
        """
        hooks = _check_hooks_type(hooks)
        if not checkpoint_path:
            checkpoint_path = latest_checkpoint(self._model_dir)
            if not checkpoint_path:
                logger.info("Could not find trained model in model_dir: %s, running initialization to predict.",
                            self._model_dir)
        with Graph().as_default() as g:
            set_random_seed(self._config.tf_random_seed)
            create_global_step(g)
            features, _, input_hooks = self._features_and_labels(input_fn, ModeKeys.PREDICT)
            if not input_hooks and not _reads_input(g):
                logger.warning("Input graph does not use tf.data.Dataset or contain a QueueRunner. That means "
                               "predict yields forever. This is probably a mistake.")
            spec = self._call_model_fn(features, None, ModeKeys.PREDICT, self._config)
            predictions = _extract_keys(spec.predictions, predict_keys)
            runner = _HookRunner(list(input_hooks) + hooks + list(spec.prediction_hooks))
            sess = self._create_session(g, _saver(self._config), checkpoint_path, runner)
        with sess:
            while True:
                try:
                    values = runner.run(sess, predictions)
                except OutOfRangeError:
                    break
                if not yield_single_examples:
                    yield values
                elif not isinstance(predictions, dict):
                    yield from values
                else:
                    for i in range(_batch_length(values)):
                        yield {key: value[i] for key, value in values.items()}
                if runner.stop_requested:
                    break
            runner.end(sess)

    # ---- shared steps ------------------------------------------------------------------
    def _call_input_fn(self, input_fn, mode):
        args = _fn_args(input_fn)
        kwargs = {}
        if "mode" in args:
            kwargs["mode"] = mode
        if "params" in args:
            kwargs["params"] = self.params
        if "config" in args:
            kwargs["config"] = self.config
        return input_fn(**kwargs)

    def _features_and_labels(self, input_fn, mode):
        """(features, labels, input hooks) from what input_fn returned: a Dataset or tensors."""
        result = self._call_input_fn(input_fn, mode)
        hooks = []
        if hasattr(result, "make_initializable_iterator") and hasattr(result, "output_types"):
            iterator = result.make_initializable_iterator()
            hooks.append(_DatasetInitializerHook(iterator))
            result = iterator.get_next()
        if isinstance(result, (list, tuple)):
            if len(result) == 2:
                return result[0], result[1], hooks
            if len(result) == 1:
                return result[0], None, hooks
            raise ValueError(f"input_fn should return (features, labels) or features, got a sequence of "
                             f"{len(result)} items")
        return result, None, hooks

    def _call_model_fn(self, features, labels, mode, config):
        args = _fn_args(self._model_fn)
        kwargs = {}
        if "labels" in args:
            kwargs["labels"] = labels
        elif labels is not None:
            raise ValueError("model_fn does not take labels, but input_fn returns labels.")
        if "mode" in args:
            kwargs["mode"] = mode
        if "params" in args:
            kwargs["params"] = self.params
        if "config" in args:
            kwargs["config"] = config
        logger.info("Calling model_fn.")
        spec = self._model_fn(features=features, **kwargs)
        logger.info("Done calling model_fn.")
        if not isinstance(spec, EstimatorSpec):
            raise ValueError("model_fn should return an EstimatorSpec.")
        return spec

    def _create_session(self, g, saver, checkpoint_path, runner):
        """A session on the finalized graph: variables restored from checkpoint_path or initialized."""
        init_op = global_variables_initializer()
        local_init_op = local_variables_initializer()
        runner.begin()
        g.finalize()
        logger.info("Graph was finalized.")
        sess = Session(graph=g, config=self._config.session_config)
        if checkpoint_path:
            logger.info("Restoring parameters from %s", checkpoint_path)
            saver.restore(sess, checkpoint_path)
            state = get_checkpoint_state(self._model_dir)
            if state is not None:  # as TF's SessionManager: older checkpoints stay in the count kept
                saver.recover_last_checkpoints(state.all_model_checkpoint_paths)
        else:
            sess.run(init_op)
        logger.info("Running local_init_op.")
        sess.run(local_init_op)
        logger.info("Done running local_init_op.")
        runner.after_create_session(sess)
        return sess


# ---- hooks the Estimator adds -------------------------------------------------------------
class _DatasetInitializerHook(SessionRunHook):
    """Runs the initializer of the iterator made from an input_fn's Dataset."""

    def __init__(self, iterator):
        self._iterator = iterator

    def begin(self):
        self._initializer = self._iterator.initializer

    def after_create_session(self, session, coord):
        session.run(self._initializer)


# ---- helpers -----------------------------------------------------------------------------
def _config_with_model_dir(config, model_dir):
    if config is None:
        config = RunConfig()
        logger.info("Using default config.")
    if not isinstance(config, RunConfig):
        raise ValueError(f"config must be an instance of `RunConfig`, but provided {config}.")
    if model_dir is not None:
        model_dir = os.fspath(model_dir)
        if config.model_dir is not None and config.model_dir != model_dir:
            raise ValueError(f"`model_dir` are set both in constructor and `RunConfig`, but with different values. "
                             f"In constructor: '{model_dir}', in `RunConfig`: '{config.model_dir}' ")
    if model_dir:
        config = config.replace(model_dir=model_dir)
    elif config.model_dir is None:
        model_dir = tempfile.mkdtemp()
        logger.warning("Using temporary folder as model directory: %s", model_dir)
        config = config.replace(model_dir=model_dir)
    return config


def _fn_args(fn):
    if hasattr(fn, "func") and hasattr(fn, "keywords"):  # functools.partial
        return tuple(a for a in _fn_args(fn.func) if a not in (fn.keywords or {}))
    return tuple(inspect.signature(fn).parameters)


def _verify_model_fn_args(model_fn, params):
    args = set(_fn_args(model_fn))
    if "features" not in args:
        raise ValueError(f"model_fn ({model_fn}) must include features argument.")
    if params is not None and "params" not in args:
        raise ValueError(f"model_fn ({model_fn}) does not include params argument, but params ({params}) is "
                         f"passed to Estimator.")
    if params is None and "params" in args:
        logger.warning("Estimator's model_fn (%s) includes params argument, but params are not passed to "
                       "Estimator.", model_fn)
    unexpected = sorted(args - _VALID_MODEL_FN_ARGS)
    if unexpected:
        raise ValueError(f"model_fn ({model_fn}) has following not expected args: {unexpected}")


def _check_hooks_type(hooks):
    hooks = list(hooks or [])
    for h in hooks:
        if not isinstance(h, SessionRunHook):
            raise TypeError(f"Hooks must be a SessionRunHook, given: {h}")
    return hooks


def _global_step_in(model_dir):
    """The global step of the latest checkpoint in model_dir (0 without one)."""
    path = latest_checkpoint(model_dir)
    if not path:
        return 0
    try:
        return int(CheckpointReader(path).get_tensor(GraphKeys.GLOBAL_STEP))
    except Exception:
        return 0


def _saver(config):
    """The Saver a TF Scaffold makes (not sharded: one device, the same files)."""
    saver = Saver(max_to_keep=config.keep_checkpoint_max,
                  keep_checkpoint_every_n_hours=config.keep_checkpoint_every_n_hours,
                  defer_build=True, save_relative_paths=True)
    saver.build()
    return saver


def _due(step, saved, every_steps, every_secs):
    """TF's SecondOrStepTimer: is a checkpoint due at `step`, the last one being `saved`?"""
    last_step, last_time = saved
    if last_step is None:
        return True
    if step == last_step:
        return False
    if every_steps:
        return step >= last_step + every_steps
    return time.time() >= last_time + every_secs


def _count_steps(counted, step, every, writer):
    """TF's StepCounterHook: log and write `global_step/sec` every `every` steps."""
    now = time.time()
    if counted is None:
        return step, now
    last_step, last_time = counted
    if step >= last_step + every and now > last_time:
        rate = (step - last_step) / (now - last_time)
        logger.info("global_step/sec: %g", rate)
        writer.add_summary(Summary(value=[Summary.Value(tag="global_step/sec", simple_value=rate)]), step)
        return step, now
    return counted


def _write_eval_summary(eval_dir, results, step):
    """The scalars of an evaluation, in eval_dir's event file at `step`, as TF writes them."""
    values = []
    for key in sorted(results):
        if key == GraphKeys.GLOBAL_STEP:
            continue
        value = np.asarray(results[key])
        if value.ndim == 0 and value.dtype.kind in "fiub":
            values.append(Summary.Value(tag=key, simple_value=float(value)))
        else:
            logger.warning("Skipping summary for %s, must be a float, np.float32, np.int64, np.int32 or int.", key)
    writer = FileWriter(eval_dir)
    writer.add_summary(Summary(value=values), step)
    writer.close()


def _mean(values):
    """tf.metrics.mean(values): the loss metric every evaluation reports as 'loss'."""
    return metrics.mean(values)


def _reads_input(graph):
    """Does the graph read a tf.data iterator or a queue (so that predict ends)?"""
    return any("Iterator" in op.type or "Dequeue" in op.type for op in graph.get_operations())


def _extract_keys(predictions, predict_keys):
    if not predict_keys:
        return predictions
    if not isinstance(predictions, dict):
        raise ValueError("predict_keys argument is not valid in case of non-dict predictions.")
    existing = predictions.keys()
    picked = {k: v for k, v in predictions.items() if k in predict_keys}
    if not picked:
        raise ValueError(f"Expected to run at least one output from {existing}, provided {predict_keys}.")
    return picked


def _batch_length(values):
    length = None
    for key, value in values.items():
        length = length or value.shape[0]
        if value.shape[0] != length:
            raise ValueError(f"Batch length of predictions should be same. {key} has different batch length "
                             f"than others.")
    return length


__all__ = ["Estimator", "NanLossDuringTrainingError"]
