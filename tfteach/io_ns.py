"""tf.io: TFRecord files, tf.train.Example parsing, CSV decoding and file reading.

Re-exports tfteach/data/tfrecord.py and ops/parsing_ops.py under TF1's `tf.io` names.
"""
from .data.tfrecord import (TFRecordCompressionType, TFRecordOptions, TFRecordWriter,  # noqa: F401
                            tf_record_iterator)
from .ops.png_ops import decode_png  # noqa: F401
from .ops.parsing_ops import (FixedLenFeature, VarLenFeature, decode_csv, parse_single_example,  # noqa: F401
                              read_file)


def __getattr__(name):
    if name.startswith("__"):
        raise AttributeError(name)
    from .coverage import missing
    raise missing("tf.io", name)
