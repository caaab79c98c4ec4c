"""tf.image: resizing, flips, colour adjustments and conversions (TF1's `tensorflow.image`).

Nothing is defined here: the ops live in tfteach/ops/image.py. A TF1 name tfteach lacks raises a
clear NotImplementedInTfteach.
"""
from .ops import image as _image_ops
from .ops.image import *  # noqa: F401,F403
from .ops.png_ops import decode_png  # noqa: F401  (also tf.io.decode_png)
from . import lazy as _lazy

# the JPEG ops load Pillow: on first use (tfteach/lazy.py)
_JPEG_NAMES = ("decode_bmp", "decode_gif", "decode_image", "decode_jpeg", "encode_jpeg", "extract_jpeg_shape",
               "is_jpeg")
_lazy.register(__name__, "tf.image", {name: (".ops.jpeg_ops", name) for name in _JPEG_NAMES})

__all__ = _image_ops.__all__ + ["decode_png"] + list(_JPEG_NAMES)


def __getattr__(name):
    if name.startswith("__"):  # import machinery probing (__path__, ...): not a TF name
        raise AttributeError(name)
    return _lazy.attribute(__name__, name)  # a TF1 name tfteach lacks: NotImplementedInTfteach


def __dir__():
    return _lazy.names(__name__, globals())
