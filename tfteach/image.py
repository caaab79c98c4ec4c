"""tf.image: resizing, flips, colour adjustments and conversions (TF1's `tensorflow.image`).

Nothing is defined here: the ops live in tfteach/ops/image.py. A TF1 name tfteach lacks raises a
clear NotImplementedInTfteach.
"""
from .ops import image as _image_ops
from .ops.image import *  # noqa: F401,F403
from .ops.png_ops import decode_png  # noqa: F401  (also tf.io.decode_png)

__all__ = _image_ops.__all__ + ["decode_png"]


def __getattr__(name):
    if name.startswith("__"):  # import machinery probing (__path__, ...): not a TF name
        raise AttributeError(name)
    from .coverage import missing
    raise missing("tf.image", name)
