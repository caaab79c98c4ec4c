"""tf.estimator.RunConfig: where an Estimator keeps its checkpoints and how often it logs and saves.

Mirrors tensorflow_estimator/python/estimator/run_config.py (TF 1.15), single machine only.
"""
import copy
import os

_SAVE_CKPT_ERR = "save_checkpoints_steps and save_checkpoints_secs cannot be both set."
_DEFAULT_SAVE_SECS = 600
_USE_DEFAULT = object()  # neither given: save every 600 s, as TF


class RunConfig:
    """How an Estimator runs: model_dir, checkpoint and summary frequency, the graph seed.

    Args:
      model_dir: directory for checkpoints (`model.ckpt-N`), `graph.pbtxt` and event files.
      tf_random_seed: the graph-level seed set in every graph the Estimator builds.
      save_summary_steps: write the loss summary every this many steps.
      save_checkpoints_steps / save_checkpoints_secs: save every N steps, or every N seconds
        (default 600 s when neither is given; both: ValueError, as TF).
      keep_checkpoint_max: how many recent checkpoints to keep (default 5).
      log_step_count_steps: log `loss = ..., step = ...` every this many steps (default 100).
    Distribution, devices and session options are accepted for compatibility and ignored.
    """

    def __init__(self, model_dir=None, tf_random_seed=None, save_summary_steps=100,
                 save_checkpoints_steps=None, save_checkpoints_secs=_USE_DEFAULT, session_config=None,
                 keep_checkpoint_max=5, keep_checkpoint_every_n_hours=10000, log_step_count_steps=100,
                 train_distribute=None, device_fn=None, protocol=None, eval_distribute=None,
                 experimental_distribute=None, experimental_max_worker_delay_secs=None,
                 session_creation_timeout_secs=7200, checkpoint_save_graph_def=True):
        if save_checkpoints_secs is _USE_DEFAULT:
            save_checkpoints_secs = None if save_checkpoints_steps is not None else _DEFAULT_SAVE_SECS
        elif save_checkpoints_steps is not None and save_checkpoints_secs is not None:
            raise ValueError(_SAVE_CKPT_ERR)
        for name, value in (("save_summary_steps", save_summary_steps),
                            ("save_checkpoints_steps", save_checkpoints_steps),
                            ("save_checkpoints_secs", save_checkpoints_secs),
                            ("keep_checkpoint_max", keep_checkpoint_max),
                            ("log_step_count_steps", log_step_count_steps)):
            if value is not None and value < 0:
                raise ValueError(f"{name} should be >= 0, given: {value}")
        if model_dir is not None:
            model_dir = os.fspath(model_dir)
            if not model_dir:
                raise ValueError("model_dir should be non-empty.")
        self._model_dir = model_dir
        self._tf_random_seed = tf_random_seed
        self._save_summary_steps = save_summary_steps
        self._save_checkpoints_steps = save_checkpoints_steps
        self._save_checkpoints_secs = save_checkpoints_secs
        self._session_config = session_config
        self._keep_checkpoint_max = keep_checkpoint_max
        self._keep_checkpoint_every_n_hours = keep_checkpoint_every_n_hours
        self._log_step_count_steps = log_step_count_steps
        self._train_distribute = train_distribute
        self._eval_distribute = eval_distribute
        self._device_fn = device_fn
        self._session_creation_timeout_secs = session_creation_timeout_secs
        self._checkpoint_save_graph_def = checkpoint_save_graph_def

    def replace(self, **kwargs):
        """A copy with some properties changed: `config.replace(model_dir='run2')`."""
        new = copy.copy(self)
        for key, value in kwargs.items():
            if not hasattr(new, "_" + key):
                raise ValueError(f"Replacing {key} is not supported.")
            setattr(new, "_" + key, value)
        if new._save_checkpoints_steps and new._save_checkpoints_secs:
            if "save_checkpoints_steps" in kwargs and "save_checkpoints_secs" in kwargs:
                raise ValueError(_SAVE_CKPT_ERR)
            if "save_checkpoints_steps" in kwargs:
                new._save_checkpoints_secs = None
            else:
                new._save_checkpoints_steps = None
        return new

    model_dir = property(lambda self: self._model_dir)
    tf_random_seed = property(lambda self: self._tf_random_seed)
    save_summary_steps = property(lambda self: self._save_summary_steps)
    save_checkpoints_steps = property(lambda self: self._save_checkpoints_steps)
    save_checkpoints_secs = property(lambda self: self._save_checkpoints_secs)
    session_config = property(lambda self: self._session_config)
    keep_checkpoint_max = property(lambda self: self._keep_checkpoint_max)
    keep_checkpoint_every_n_hours = property(lambda self: self._keep_checkpoint_every_n_hours)
    log_step_count_steps = property(lambda self: self._log_step_count_steps)
    train_distribute = property(lambda self: self._train_distribute)
    eval_distribute = property(lambda self: self._eval_distribute)
    device_fn = property(lambda self: self._device_fn)
    checkpoint_save_graph_def = property(lambda self: self._checkpoint_save_graph_def)
    task_type, task_id, master, evaluation_master, is_chief = "worker", 0, "", "", True
    num_ps_replicas, num_worker_replicas = 0, 1

    def __repr__(self):
        return f"RunConfig({vars(self)})"
