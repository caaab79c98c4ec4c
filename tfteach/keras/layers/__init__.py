"""keras.layers: the layers a Sequential model stacks. `core` holds Dense/Activation/Flatten/Dropout,
as in Keras 1 (`from keras.layers.core import Dense, Activation`)."""
from . import convolutional, core  # noqa: F401
from .convolutional import AveragePooling2D, AvgPool2D, Conv2D, MaxPool2D, MaxPooling2D  # noqa: F401
from .core import Activation, Dense, Dropout, Flatten  # noqa: F401
from ...layers import Layer  # noqa: F401
