"""tf.random (TF 1.13+): the random ops under their new names, the same functions as the old
tf.random_uniform & co. (TF 1.15's tf.random.uniform *is* tf.random_uniform)."""
from .ops.random import random_normal as normal  # noqa: F401
from .ops.random import random_shuffle as shuffle  # noqa: F401
from .ops.random import random_uniform as uniform  # noqa: F401
from .ops.random import set_random_seed, truncated_normal  # noqa: F401

__all__ = ["normal", "set_random_seed", "shuffle", "truncated_normal", "uniform"]


def __getattr__(name):
    if name.startswith("__"):
        raise AttributeError(name)
    from .coverage import missing
    raise missing("tf.random", name)
