"""tfteach: the TensorFlow 1.x graph API on numpy, for learning. `import tfteach as tf`.

Nothing is defined here: the public names are re-exported from the engine modules, which
read as a pipeline: graph -> registry -> ops -> gradients -> session. Each ops module lists
its public names in `__all__`.
"""
__version__ = "0.1.0"

from . import malloc as _malloc  # noqa: F401  (glibc keeps numpy's temporaries' pages: tfteach/malloc.py)
from . import dtypes, errors  # noqa: F401
from .dtypes import (DType, as_dtype, bool, double, float16, float32, float64, half,  # noqa: F401,A004
                     int8, int16, int32, int64, string, uint8, uint16)
from .tensor_shape import Dimension, TensorShape  # noqa: F401
from .graph import (Graph, GraphKeys, Operation, Tensor, add_to_collection,  # noqa: F401
                    add_to_collections, control_dependencies, convert_to_tensor, device, get_collection,
                    get_collection_ref, get_default_graph, name_scope, register_tensor_conversion_function,
                    reset_default_graph)
from .registry import NotDifferentiable, NoGradient, RegisterGradient  # noqa: F401
from . import ops as _ops  # noqa: F401  (registers every op)
from .ops.constant import constant, placeholder, placeholder_with_default  # noqa: F401
from .ops.control import *  # noqa: F401,F403
from .ops.while_loop import while_loop  # noqa: F401
from .ops.math import *  # noqa: F401,F403
from .ops.unary import *  # noqa: F401,F403
from .ops.compare import *  # noqa: F401,F403
from .ops.array import *  # noqa: F401,F403
from .ops.reduce import *  # noqa: F401,F403
from .ops.building import *  # noqa: F401,F403
from .ops.slicing import *  # noqa: F401,F403
from .ops.random import *  # noqa: F401,F403
from . import nn  # noqa: F401
from .ops.clip import *  # noqa: F401,F403
from .ops.state import assign, assign_add, assign_sub  # noqa: F401
from .variables import (Variable, all_variables, global_variables, global_variables_initializer,  # noqa: F401
                        initialize_all_variables, is_variable_initialized, local_variables,
                        local_variables_initializer, model_variables, trainable_variables,
                        variables_initializer)
from .init_ops import *  # noqa: F401,F403
from .variable_scope import (AUTO_REUSE, VariableScope, get_variable, get_variable_scope,  # noqa: F401
                             variable_op_scope, variable_scope)
from .gradients import gradients  # noqa: F401
from . import contrib, layers, losses, train  # noqa: F401
from .session import (ConfigProto, GPUOptions, InteractiveSession, RunMetadata, RunOptions,  # noqa: F401
                      Session, get_default_session)
# errors that teach (tfteach's own, not TF's): docs/diagnostics.md
from . import diagnostics as _diagnostics  # noqa: E402
from .diagnostics import GraphGrowthWarning, explain, explain_gradient  # noqa: F401,E402

Variable._overload_operators()

# TF 0.x names the seeds use
mul, sub, neg = multiply, subtract, negative  # noqa: F405


# ---- Jupyter: the drawing code loads on first use, never at import (docs/display.md) ----
def load_ipython_extension(ipython):
    """`%load_ext tfteach`: registers the reprs and the %tf_reset / %tf_graph magics."""
    from .display.ipython import load_ipython_extension as load
    load(ipython)


_diagnostics._register_in_ipython()  # inside IPython: errors come with tf.explain's drawing


# summaries, event files and GraphDefs (tfteach/summary, events.py, graph_def.py, importer.py)
from . import summary  # noqa: F401,E402
from .summary.ops import histogram_summary, merge_all_summaries, merge_summary, scalar_summary  # noqa: F401,E402
from .importer import import_graph_def  # noqa: F401,E402
from .protos import GraphDef, NodeDef, Summary  # noqa: F401,E402

from . import keras  # noqa: F401,E402


# TF1's other everyday names: old aliases, tf.random (issue #23)
from .tf1_names import arg_max, arg_min, div_no_nan, floor_div, report_uninitialized_variables  # noqa: F401,E402
from . import random_ns as random  # noqa: F401,E402

# The later chapters load on first use, as TF1's contrib and estimator do (tfteach/lazy.py, issue #24):
# tf.logging, tf.metrics, tf.data (issue #25; tfteach/data, ops/data_ops.py), tf.image (ops/image.py),
# tf.estimator (tfteach/estimator), tf.io, tf.python_io, the parsing and queue ops.
from . import lazy as _lazy  # noqa: E402
_lazy.register(__name__, "tf", {
    "display": (".display", None),  # `tf.display.show_graph(...)`; not in dir(tf), as before
    "logging": (".tf_logging", None), "metrics": (".metrics", None), "data": (".data", None),
    "image": (".image", None), "estimator": (".estimator", None),
    "feature_column": (".feature_column", None),  # the canned estimators' inputs (tfteach/feature_column)
    "tables_initializer": (".feature_column.ops", "tables_initializer"),  # a NoOp: no lookup tables here
    "io": (".io_ns", None), "python_io": (".python_io_ns", None),
    "reverse_sequence": (".ops.reverse_sequence", "reverse_sequence"),  # bidirectional_dynamic_rnn's
    "Assert": (".ops.assert_op", "Assert"),  # dynamic_rnn checks its sequence lengths with one
    **{name: (".ops.parsing_ops", name)
       for name in ("FixedLenFeature", "VarLenFeature", "decode_csv", "parse_single_example", "read_file")},
    "TensorArray": (".tensor_array", "TensorArray"),  # tfteach/tensor_array.py, ops/tensor_array_ops.py
    # tf.SparseTensor and the sparse ops (tfteach/sparse_tensor.py, ops/sparse_ops.py; issue #25)
    "sparse": (".sparse_ns", None), "SparseTensor": (".sparse_tensor", "SparseTensor"),
    "SparseTensorValue": (".sparse_tensor", "SparseTensorValue"), "parse_example": (".ops.parsing_ops", "parse_example"),
    **{name: (".ops.sparse_ops", name)
       for name in ("gather_nd", "sparse_add", "sparse_placeholder", "sparse_reduce_sum", "sparse_reorder",
                    "sparse_tensor_dense_matmul", "sparse_tensor_to_dense", "sparse_to_dense")},
    **{name: (".functional_ops", name) for name in ("foldl", "foldr", "map_fn", "scan")},  # on while_loop
    **{name: (".compat_switches", name)  # TF 2's tf.compat.v1 switches: tfteach is TF1 already
       for name in ("control_flow_v2_enabled", "disable_control_flow_v2", "disable_eager_execution",
                    "disable_resource_variables", "disable_v2_behavior", "enable_control_flow_v2",
                    "enable_v2_behavior", "executing_eagerly")},
    **{name: (".ops.queue_ops", name)
       for name in ("FIFOQueue", "QueueBase", "RandomShuffleQueue", "ReaderBase", "TextLineReader",
                    "TFRecordReader", "WholeFileReader", "count_up_to")},
})


def __getattr__(name):
    if name.startswith("__"):  # import machinery probing (__path__, ...): not a TF name
        raise AttributeError(name)
    return _lazy.attribute(__name__, name)


def __dir__():
    return _lazy.names(__name__, globals(), hidden=["display"])
