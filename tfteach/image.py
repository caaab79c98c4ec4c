"""tf.image: resizing, flips, colour adjustments and conversions (TF1's `tensorflow.image`).

Nothing is defined here: the ops live in tfteach/ops/image.py. A TF1 name tfteach lacks raises a
clear NotImplementedInTfteach.
"""
from .ops.image import *  # noqa: F401,F403
from .ops.image import __all__  # noqa: F401


def __getattr__(name):
    if name.startswith("__"):  # import machinery probing (__path__, ...): not a TF name
        raise AttributeError(name)
    from .coverage import missing
    raise missing("tf.image", name)
