"""tf.train: optimizers, the global step, learning-rate schedules (and, later, Saver)."""
from .learning_rate import (create_global_step, exponential_decay, get_global_step,  # noqa: F401
                            get_or_create_global_step)
from .optimizer import Optimizer  # noqa: F401
from .optimizers import (AdagradOptimizer, AdamOptimizer, GradientDescentOptimizer,  # noqa: F401
                         MomentumOptimizer, RMSPropOptimizer)
from ..graph_def import write_graph  # noqa: F401,E402
from ..summary.writer import FileWriter as SummaryWriter  # noqa: F401,E402  (TF 0.x name)


def __getattr__(name):
    from ..coverage import missing
    raise missing("tf.train", name)
