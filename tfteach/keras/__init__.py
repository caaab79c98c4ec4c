"""tfteach.keras: Keras' Sequential API built from ordinary tfteach ops, so its graph can be drawn.

Mirrors the Keras of the TensorFlow 1.x years (tf.keras in graph mode) and accepts the Keras 1
keywords old notebooks use (`output_dim`, `input_dim`, `nb_epoch`, `lr`). Import it as
`from tfteach.keras.models import Sequential`; there is no top-level `keras` package, so the
real Keras is never shadowed.
"""
from . import activations, backend, callbacks, initializers, layers, losses, metrics, models, optimizers, utils  # noqa: F401
from .models import Sequential  # noqa: F401
from .. import lazy as _lazy

# tf.keras.datasets (mnist from a local file, digits28) loads on first use (tfteach/lazy.py)
_lazy.register(__name__, "tf.keras", {"datasets": (".keras.datasets", None)})


def __getattr__(name):
    if name.startswith("__"):  # import machinery probing (__path__, ...): not a Keras name
        raise AttributeError(name)
    return _lazy.attribute(__name__, name)


def __dir__():
    return _lazy.names(__name__, globals())
