"""tf.keras.datasets.mnist: `load_data()` reads Keras' cached mnist.npz; it never downloads.

The file is the one Keras itself downloads (from
https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz) into ~/.keras/datasets/.
Without it, `tfteach.keras.datasets.digits28.load_data()` gives data of the same structure.
"""
import os

import numpy as np

__all__ = ["load_data"]

ORIGIN = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz"


def _candidates(path):
    """Where Keras' get_file would look for `path`: as given if absolute, else in the Keras
    cache, ~/.keras/datasets (or $KERAS_HOME/datasets), then /tmp/.keras/datasets."""
    if os.path.isabs(os.path.expanduser(path)):
        return [os.path.expanduser(path)]
    homes = [os.environ["KERAS_HOME"]] if os.environ.get("KERAS_HOME") else []
    homes += [os.path.join(os.path.expanduser("~"), ".keras"), os.path.join("/tmp", ".keras")]
    return [os.path.join(home, "datasets", path) for home in homes]


def load_data(path="mnist.npz"):
    """MNIST as Keras returns it: `(x_train, y_train), (x_test, y_test)`.

    x: uint8 arrays (60000, 28, 28) and (10000, 28, 28), pixels 0..255; y: uint8 labels 0..9.
    Read from `path` (default: mnist.npz in the Keras cache, ~/.keras/datasets/). tfteach does not
    download; when the file is missing the error says how to get it, and
    `tfteach.keras.datasets.digits28.load_data()` is a stand-in of the same structure.
    """
    candidates = _candidates(path)
    for fpath in candidates:
        if os.path.exists(fpath):
            with np.load(fpath, allow_pickle=True) as f:
                x_train, y_train = f["x_train"], f["y_train"]
                x_test, y_test = f["x_test"], f["y_test"]
            return (x_train, y_train), (x_test, y_test)
    raise FileNotFoundError(
        f"mnist.load_data: no file {path!r} (looked in {', '.join(candidates)}). tfteach does not "
        f"download. Put Keras' mnist.npz at {candidates[0]}: download {ORIGIN} on a machine with "
        f"internet (or copy ~/.keras/datasets/mnist.npz from a computer where Keras has loaded MNIST "
        f"once), or pass its path: mnist.load_data(path='/path/to/mnist.npz'). Without it, use "
        f"tfteach.keras.datasets.digits28.load_data(): scikit-learn's 8x8 digits enlarged to 28x28, "
        f"the same structure and dtypes (smaller: 7185 train, 1800 test images).")
