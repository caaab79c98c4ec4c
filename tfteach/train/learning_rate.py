"""Global step and learning-rate schedules: tf.train.get_or_create_global_step, exponential_decay.

Mirrors tensorflow/python/training/training_util.py and learning_rate_decay.py.
"""
from .. import dtypes as _dtypes
from ..graph import GraphKeys, convert_to_tensor, get_default_graph
from ..init_ops import zeros_initializer
from ..ops.math import cast, multiply, pow, truediv
from ..variable_scope import get_variable


def get_global_step(graph=None):
    """The global step variable of `graph`, or None if it has none."""
    graph = graph or get_default_graph()
    steps = graph.get_collection(GraphKeys.GLOBAL_STEP)
    if len(steps) > 1:
        raise TypeError("There should be only one global step tensor.")
    return steps[0] if steps else None


def create_global_step(graph=None):
    """Create the int64 `global_step` variable (not trainable), starting at 0."""
    graph = graph or get_default_graph()
    if get_global_step(graph) is not None:
        raise ValueError('"global_step" already exists.')
    with graph.as_default(), graph.name_scope(None):
        return get_variable(GraphKeys.GLOBAL_STEP, shape=[], dtype=_dtypes.int64,
                            initializer=zeros_initializer(), trainable=False,
                            collections=[GraphKeys.GLOBAL_VARIABLES, GraphKeys.GLOBAL_STEP])


def get_or_create_global_step(graph=None):
    graph = graph or get_default_graph()
    step = get_global_step(graph)
    return step if step is not None else create_global_step(graph)


def exponential_decay(learning_rate, global_step, decay_steps, decay_rate, staircase=False, name=None):
    """learning_rate * decay_rate ** (global_step / decay_steps), floored with `staircase`."""
    if global_step is None:
        raise ValueError("global_step is required for exponential_decay.")
    graph = get_default_graph()
    with graph.name_scope(name or "ExponentialDecay") as scope:
        learning_rate = convert_to_tensor(learning_rate, name="learning_rate")
        dtype = learning_rate.dtype.base_dtype
        global_step = cast(global_step, dtype)
        decay_steps = cast(decay_steps, dtype)
        decay_rate = cast(decay_rate, dtype)
        p = truediv(global_step, decay_steps)
        if staircase:
            from ..ops.unary import floor
            p = floor(p)
        return multiply(learning_rate, pow(decay_rate, p), name=scope)
