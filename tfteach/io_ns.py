"""tf.io: TFRecord files, tf.train.Example parsing, CSV decoding and file reading.

Re-exports tfteach/data/tfrecord.py and ops/parsing_ops.py under TF1's `tf.io` names.
"""
from .data.tfrecord import (TFRecordCompressionType, TFRecordOptions, TFRecordWriter,  # noqa: F401
                            tf_record_iterator)
from .ops.png_ops import decode_png  # noqa: F401
from .ops.parsing_ops import (FixedLenFeature, VarLenFeature, decode_csv, parse_example,  # noqa: F401
                              parse_single_example, read_file)

from . import lazy as _lazy

_lazy.register(__name__, "tf.io", {name: (".ops.jpeg_ops", name)  # they load Pillow: on first use
                                   for name in ("decode_bmp", "decode_gif", "decode_image", "decode_jpeg", "encode_jpeg",
                                                "extract_jpeg_shape", "is_jpeg")})


def __getattr__(name):
    if name.startswith("__"):
        raise AttributeError(name)
    return _lazy.attribute(__name__, name)  # a TF1 name tfteach lacks: NotImplementedInTfteach


def __dir__():
    return _lazy.names(__name__, globals())
