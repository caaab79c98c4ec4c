"""tf.Assert: an op that fails the run with the values of `data` when its condition is false.

Mirrors tensorflow/python/ops/control_flow_assert.py's Assert and logging_ops' Assert kernel
(TF 1.15). It has no outputs: something runs it through a control dependency, as dynamic_rnn's
`rnn/CheckSeqLen` (an Identity of the lengths) does with `rnn/Assert/Assert`.
"""
import numpy as np

from .. import dtypes as _dtypes
from ..errors import InvalidArgumentError
from ..graph import Tensor, convert_to_tensor, get_default_graph
from ..registry import NotDifferentiable, apply_op, kernel, shape_rule
from . import control as control_ops
from .constant import constant


# ---- Assert --------------------------------------------------------------------------------------
# Not pure: it must neither be folded while the plan is made nor dropped for having no readers.
@kernel("Assert", frozenset(), inputs=("condition", "data"), same_dtype=False)
def _assert(condition, *data, T=None, summarize=3):  # noqa: N803
    if np.ndim(condition) != 0:
        raise InvalidArgumentError(None, None, f"In[0] should be a scalar: {list(np.shape(condition))}")
    if not bool(condition):
        shown = " ".join("[" + control_ops._summarize(d, summarize) + "]" for d in data)
        raise InvalidArgumentError(None, None, f"assertion failed: {shown}")


shape_rule("Assert")(lambda op: [])
NotDifferentiable("Assert")


def _assert_op(condition, data, summarize):
    """The Assert node itself; Python values among `data` become Consts `data_0`, `data_1`, ..."""
    graph = get_default_graph()
    with graph.name_scope("Assert") as scope:
        inputs = [convert_to_tensor(condition)]
        inputs += [d if isinstance(d, Tensor) else constant(d, name=f"data_{i}") for i, d in enumerate(data)]
        attrs = {"T": [t.dtype.base_dtype for t in inputs[1:]], "summarize": summarize}
        return apply_op("Assert", inputs, attrs, name=scope, dtypes=[])


def Assert(condition, data, summarize=None, name=None):  # noqa: N802 - TF's name
    """Fail the run (InvalidArgumentError "assertion failed: [...] [...]") when `condition` is false.

    Args:
      condition: a scalar bool tensor.
      data: a list of tensors or Python values shown in the error, each as `[v1 v2 v3...]`.
      summarize: how many entries of each to show (default 3).
    Returns: the Assert op (or, when some data are neither int32 nor strings, the tf.cond
    `AssertGuard` that runs it only when the condition is false, as TF1 builds it). Run it
    through a control dependency: `with tf.control_dependencies([tf.Assert(ok, [x])]): y = tf.identity(x)`.
    """
    summarize = 3 if summarize is None else int(summarize)
    graph = get_default_graph()
    with graph.name_scope(name or "Assert"):
        xs = [d if isinstance(d, Tensor) else convert_to_tensor(d) for d in data]
        if all(x.dtype.base_dtype in (_dtypes.string, _dtypes.int32) for x in xs):
            return _assert_op(condition, data, summarize)
        condition = convert_to_tensor(condition, name="Condition")
        guarded = control_ops.cond(condition, control_ops.no_op,
                                   lambda: _assert_op(condition, data, summarize), name="AssertGuard")
        return guarded.op


__all__ = ["Assert"]
