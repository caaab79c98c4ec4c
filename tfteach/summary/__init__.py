"""tf.summary: summary ops that log values for TensorBoard, and the FileWriter that saves them.

Mirrors TF1's `tensorflow.summary`. Reading the logs back is tfteach.events' job
(`read_scalars`, `plot_scalars`), not TF1's namespace.
"""
from ..protos import Event, Summary, SummaryMetadata  # noqa: F401
from .ops import histogram, merge, merge_all, scalar  # noqa: F401
from .image_summary import image  # noqa: F401
from .writer import FileWriter  # noqa: F401


def __getattr__(name):
    if name.startswith("__"):  # import machinery probing (__path__, ...): not a TF name
        raise AttributeError(name)
    from ..coverage import missing
    raise missing("tf.summary", name)
