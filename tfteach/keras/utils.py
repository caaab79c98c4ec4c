"""keras.utils: to_categorical, for one-hot targets of 'categorical_crossentropy'."""
import numpy as np


def to_categorical(y, num_classes=None, dtype="float32"):
    """Class numbers to one-hot rows: to_categorical([0, 2], 3) -> [[1, 0, 0], [0, 0, 1]].

    Args:
        y: integer class numbers, any shape (a trailing axis of size 1 is dropped).
        num_classes: number of classes; default max(y) + 1.
    Returns:
        an array of shape y.shape + (num_classes,).
    """
    y = np.asarray(y, dtype=np.int64)
    if y.ndim > 1 and y.shape[-1] == 1:
        y = y[..., 0]
    if num_classes is None:
        num_classes = int(y.max()) + 1 if y.size else 0
    if y.size and (y.min() < 0 or y.max() >= num_classes):
        raise ValueError(f"to_categorical: class numbers must be in [0, {num_classes}), got {y.min()} .. {y.max()}")
    return np.eye(num_classes, dtype=dtype)[y]
