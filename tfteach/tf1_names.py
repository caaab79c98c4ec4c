"""TF1's other top-level names: old aliases (tf.arg_min, tf.floor_div), tf.div_no_nan and
tf.report_uninitialized_variables, built as TF 1.15 builds them (math_ops.py, variables.py).
"""
import numpy as np

from . import dtypes as _dtypes
from .graph import GraphKeys, convert_to_tensor, get_default_graph, graph_of
from .ops import array
from .ops.building import concat, stack
from .ops.compare import logical_not, where
from .ops.constant import constant
from .ops.math import FLOATS, elementwise
from .ops.reduce import argmax, argmin, reduce_prod, reduce_sum
from .ops.slicing import gather
from .variables import is_variable_initialized
from .registry import RegisterGradient, apply_op

__all__ = ["arg_min", "arg_max", "floor_div", "div_no_nan", "report_uninitialized_variables"]


# ---- ArgMin / ArgMax under their TF 0.x names ---------------------------------------------
def arg_min(input, dimension, output_type=_dtypes.int64, name=None):  # noqa: A002 - TF's names
    """Old name of tf.argmin (TF 0.x): the index of the smallest value along `dimension`.
    Node "ArgMin"; int64 unless `output_type=tf.int32`."""
    return argmin(input, axis=dimension, output_type=output_type, name=name)


def arg_max(input, dimension, output_type=_dtypes.int64, name=None):  # noqa: A002
    """Old name of tf.argmax (TF 0.x): the index of the largest value along `dimension`."""
    return argmax(input, axis=dimension, output_type=output_type, name=name)


def floor_div(x, y, name=None):
    """TF1's generated tf.floor_div: x // y rounding down, one FloorDiv node named "FloorDiv"
    (tf.floordiv names its node "floordiv")."""
    return apply_op("FloorDiv", [x, y], name=name or "FloorDiv")


# ---- DivNoNan -------------------------------------------------------------------------------
def _div_no_nan(x, y):
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.true_divide(x, y)
    return np.where(y == 0, np.zeros((), x.dtype), out).astype(x.dtype, copy=False)


elementwise("DivNoNan", _div_no_nan, {"pure"}, dtypes=FLOATS)  # facts: registry.py


@RegisterGradient("DivNoNan")
def _div_no_nan_grad(op, grad):
    """d(x/y)/dx = 1/y, d(x/y)/dy = -x/y**2, both 0 where y == 0, summed over broadcast axes."""
    x, y = op.inputs
    sx, sy = array.shape(x), array.shape(y)
    rx, ry = array.broadcast_gradient_args(sx, sy)
    return [array.reshape(reduce_sum(div_no_nan(grad, y), rx), sx),
            array.reshape(reduce_sum(grad * div_no_nan(div_no_nan(-x, y), y), ry), sy)]


def div_no_nan(x, y, name=None):
    """x / y, or 0 where y is 0 (even for 0/0). Floats only. Op type "DivNoNan", node "div_no_nan".

    Example: tf.div_no_nan(1.0, 0.0) -> 0.0. The streaming metrics divide with it.
    """
    with graph_of([x, y]).name_scope(name or "div_no_nan") as scope:
        x = convert_to_tensor(x, name="x")
        y = convert_to_tensor(y, dtype=x.dtype.base_dtype, name="y")
        return apply_op("DivNoNan", [x, y], name=scope)


# ---- report_uninitialized_variables ------------------------------------------------------
def _boolean_mask_1d(tensor, mask):
    """TF's boolean_mask for a 1-D tensor and mask, with its node names (boolean_mask/...)."""
    with get_default_graph().name_scope("boolean_mask"):
        leading = reduce_prod(array.shape(tensor)[0:1], [0], name="Prod")
        before, after = array.shape(tensor, name="Shape_1")[:0], array.shape(tensor, name="Shape_2")[1:]
        flat = array.reshape(tensor, concat([before, [leading], after], 0))
        mask = array.reshape(mask, [-1])
        indices = array.squeeze(where(mask), axis=[1])
        return gather(flat, indices, axis=0)


def _is_initialized(v):
    """is_variable_initialized for a tf.Variable or a VariableV2 op's output tensor."""
    if hasattr(v, "_variable"):
        return is_variable_initialized(v)
    return apply_op("IsVariableInitialized", [v], dtypes=[_dtypes.bool])


def report_uninitialized_variables(var_list=None, name="report_uninitialized_variables"):
    """A 1-D string tensor: the names of the variables in `var_list` (default: the global and
    local variables) that are not initialized yet. Empty when all are.

    Example: before `sess.run(tf.global_variables_initializer())` it lists every variable,
    e.g. [b'w' b'b']; after, it is empty.
    """
    graph = get_default_graph()
    if var_list is None:
        var_list = graph.get_collection(GraphKeys.GLOBAL_VARIABLES) + \
            graph.get_collection(GraphKeys.LOCAL_VARIABLES)
        if not var_list:  # TF's fallback: variable ops that no collection lists
            var_list = [op.outputs[0] for op in graph.get_operations() if op.type == "VariableV2"]
    with graph.name_scope(name):
        if not var_list:
            return constant([], dtype=_dtypes.string)
        initialized = [_is_initialized(v) for v in var_list]
        mask = logical_not(stack(initialized))
        names = constant([v.op.name for v in var_list])
        return _boolean_mask_1d(names, mask)
