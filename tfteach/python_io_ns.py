"""tf.python_io: TF1's older home of the TFRecord writer and reader (tfteach/data/tfrecord.py)."""
from .data.tfrecord import (TFRecordCompressionType, TFRecordOptions, TFRecordWriter,  # noqa: F401
                            tf_record_iterator)


def __getattr__(name):
    if name.startswith("__"):
        raise AttributeError(name)
    from .coverage import missing
    raise missing("tf.python_io", name)
