"""Clipping values and gradients: clip_by_value, clip_by_norm, global_norm, clip_by_global_norm.

Mirrors tensorflow/python/ops/clip_ops.py: each is built from Minimum, Maximum, Sqrt, L2Loss,
... under its own name scope, so the gradients come from those ops.
"""
import collections.abc

from ..graph import convert_to_tensor, graph_of
from .compare import greater, maximum, minimum, where
from .constant import constant
from .control import identity
from .math import sqrt
from .nn import l2_loss
from .reduce import reduce_sum
from . import array as array_ops
from . import building as building_ops


def clip_by_value(t, clip_value_min, clip_value_max, name=None):
    """`t` with every value below `clip_value_min` raised to it and above `clip_value_max`
    lowered to it ('clip_by_value/Minimum', then the Maximum 'clip_by_value').

    The bounds may be tensors that broadcast against `t`, but not make it bigger.
    Gradient: 1 where the value was inside the bounds, else 0.
    """
    with graph_of([t, clip_value_min, clip_value_max]).name_scope(name or "clip_by_value") as scope:
        values = convert_to_tensor(t, name="t")
        t_min = minimum(values, clip_value_max)
        _check_not_broadcast(values, t_min)
        t_max = maximum(t_min, clip_value_min, name=scope)
        _check_not_broadcast(values, t_max)
        return t_max


def _check_not_broadcast(values, result):
    if not values.shape.is_compatible_with(result.shape):
        raise ValueError(f"Shapes {values.shape} and {result.shape} are incompatible: the clip bounds "
                         f"must not broadcast {values.name} to a bigger shape.")


def clip_by_norm(t, clip_norm, axes=None, name=None):
    """`t` scaled down so that its L2 norm (over `axes`, default all) is at most `clip_norm`.

    t * clip_norm / max(norm(t), clip_norm): unchanged when the norm is small enough.
    """
    with graph_of([t, clip_norm]).name_scope(name or "clip_by_norm") as scope:
        values = convert_to_tensor(t, name="t")
        l2sum = reduce_sum(values * values, axes, keepdims=True)
        pred = greater(l2sum, 0)
        # sqrt only of positive sums: the gradient of sqrt at 0 would be inf (then NaN)
        l2sum_safe = where(pred, l2sum, array_ops.ones_like(l2sum))
        l2norm = where(pred, sqrt(l2sum_safe), l2sum)
        intermediate = values * clip_norm
        _check_not_broadcast(values, intermediate)
        return identity(intermediate / maximum(l2norm, clip_norm), name=scope)


def _check_sequence(t_list):
    if not isinstance(t_list, collections.abc.Sequence) or isinstance(t_list, str):
        raise TypeError(f"t_list should be a sequence of tensors, got {type(t_list).__name__}")
    return list(t_list)


def global_norm(t_list, name=None):
    """sqrt(sum of squares of every element of every tensor in `t_list`); Nones are skipped.

    Built as sqrt(2 * sum(l2_loss(t))) ('global_norm/global_norm').
    """
    t_list = _check_sequence(t_list)
    with graph_of(t_list).name_scope(name or "global_norm"):
        values = [None if t is None else convert_to_tensor(t, name=f"t_{i}") for i, t in enumerate(t_list)]
        half_squared_norms = [l2_loss(v) for v in values if v is not None]
        half_squared_norm = reduce_sum(building_ops.stack(half_squared_norms))
        two = constant(2.0, dtype=half_squared_norm.dtype.base_dtype)
        return sqrt(half_squared_norm * two, name="global_norm")


def clip_by_global_norm(t_list, clip_norm, use_norm=None, name=None):
    """Scale all tensors of `t_list` by one factor so that their global norm is at most
    `clip_norm`: t * clip_norm / max(global_norm, clip_norm). Nones stay None.

    Returns:
      (list of clipped tensors, the global norm before clipping). With an inf or NaN norm,
      every clipped value is NaN.
    Example: `grads, _ = tf.clip_by_global_norm(grads, 5.0)` before apply_gradients.
    """
    t_list = _check_sequence(t_list)
    if use_norm is None:
        use_norm = global_norm(t_list, name)
    with graph_of(t_list + [clip_norm]).name_scope(name or "clip_by_global_norm") as scope:
        scale_for_finite = clip_norm * minimum(1.0 / use_norm,
                                               constant(1.0, dtype=use_norm.dtype.base_dtype) / clip_norm)
        scale = scale_for_finite + (use_norm - use_norm)  # NaN when the norm is not finite
        values = [None if t is None else convert_to_tensor(t, name=f"t_{i}") for i, t in enumerate(t_list)]
        return [None if v is None else identity(v * scale, name=f"{scope}_{i}")
                for i, v in enumerate(values)], use_norm


__all__ = ["clip_by_value", "clip_by_norm", "global_norm", "clip_by_global_norm"]
