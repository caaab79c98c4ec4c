"""tf.data: Dataset, its iterators and TFRecordDataset (see tfteach/data/dataset.py)."""
from .dataset import (Dataset, DatasetV1, Iterator, TFRecordDataset, TextLineDataset, get_output_classes, get_output_shapes,  # noqa: F401
                      get_output_types, make_initializable_iterator, make_one_shot_iterator)


def __getattr__(name):
    if name.startswith("__"):
        raise AttributeError(name)
    from ..coverage import missing
    raise missing("tf.data", name)
