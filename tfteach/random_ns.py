"""tf.random (TF 1.13+): the random ops under their new names, the same functions as the old
tf.random_uniform & co. (TF 1.15's tf.random.uniform *is* tf.random_uniform)."""
from . import dtypes as _dtypes
from .graph import convert_to_tensor, get_default_graph
from .ops.random import get_seed, multinomial, set_random_seed, truncated_normal  # noqa: F401
from .ops.random import random_normal as normal  # noqa: F401
from .ops.random import random_shuffle as shuffle  # noqa: F401
from .ops.random import random_uniform as uniform  # noqa: F401

__all__ = ["categorical", "get_seed", "multinomial", "normal", "set_random_seed", "shuffle", "truncated_normal",
           "uniform"]


def categorical(logits, num_samples, dtype=None, seed=None, name=None):
    """For each row of `logits` (unnormalized log-probabilities), `num_samples` class indices
    drawn with probabilities softmax(row). int64 unless `dtype=tf.int32`. Node
    "categorical/Multinomial" (tf.multinomial's op under TF 1.13's name)."""
    with get_default_graph().name_scope(name or "categorical") as scope:
        logits = convert_to_tensor(logits, name="logits")
        return multinomial(logits, num_samples, seed=seed, name=scope,
                           output_dtype=_dtypes.as_dtype(dtype or _dtypes.int64))


def __getattr__(name):
    if name.startswith("__"):
        raise AttributeError(name)
    from .coverage import missing
    raise missing("tf.random", name)
