"""tf.train: optimizers, the global step, learning-rate schedules, Saver and checkpoints."""
from .learning_rate import (create_global_step, exponential_decay, get_global_step,  # noqa: F401
                            get_or_create_global_step)
from .optimizer import Optimizer  # noqa: F401
from .optimizers import (AdagradOptimizer, AdamOptimizer, GradientDescentOptimizer,  # noqa: F401
                         MomentumOptimizer, RMSPropOptimizer)
from .saver import Saver  # noqa: F401,E402  (also registers the SaveV2 and RestoreV2 ops)
from .checkpoint import NewCheckpointReader, checkpoint_exists  # noqa: F401,E402
from .checkpoint_management import (get_checkpoint_mtimes, get_checkpoint_state, latest_checkpoint,  # noqa: F401,E402
                                    list_variables, load_checkpoint, load_variable, remove_checkpoint,
                                    update_checkpoint_state)
from .meta_graph import export_meta_graph, import_meta_graph  # noqa: F401,E402
from ..protos import SaverDef  # noqa: F401,E402
from ..graph_def import write_graph  # noqa: F401,E402
from ..summary.writer import FileWriter as SummaryWriter  # noqa: F401,E402  (TF 0.x name)


from .. import lazy as _lazy  # noqa: E402

# loaded on first use (tfteach/lazy.py, issue #24): tf.train.Example and its protos (tfteach/data),
# the queue runners and the queue-based input pipelines (queue_runner.py, input.py)
_lazy.register(__name__, "tf.train", {
    **{name: (".data.example", name)
       for name in ("BytesList", "Example", "Feature", "FeatureList", "FeatureLists", "Features", "FloatList",
                    "Int64List", "SequenceExample")},
    **{name: (".train.queue_runner", name)
       for name in ("Coordinator", "QueueRunner", "add_queue_runner", "start_queue_runners")},
    **{name: (".train.input", name)
       for name in ("batch", "input_producer", "limit_epochs", "range_input_producer", "shuffle_batch",
                    "slice_input_producer", "string_input_producer")},
    # TF1 keeps the session-run hooks and the NaN error under tf.train too
    **{name: (".estimator.hooks", name)
       for name in ("SessionRunArgs", "SessionRunContext", "SessionRunHook", "SessionRunValues")},
    "NanLossDuringTrainingError": (".estimator.estimator", "NanLossDuringTrainingError"),
    "FtrlOptimizer": (".train.ftrl", "FtrlOptimizer"),  # the linear canned estimators' default
})


def __getattr__(name):
    if name.startswith("__"):  # import machinery probing (__path__, ...): not a TF name
        raise AttributeError(name)
    return _lazy.attribute(__name__, name)


def __dir__():
    return _lazy.names(__name__, globals())
