"""Keras core layers: Dense, Activation, Flatten, Dropout (keras/layers/core.py in Keras 1 and 2).

They are tf.layers classes with Keras' arguments: string activations and initializers, the input
shape on the first layer (`input_dim=1000` or `input_shape=(1000,)`), and the Keras 1 names
`output_dim` and `init`. Each layer is a variable scope, so the graph draws one box per layer.
"""
from ... import layers as tf_layers
from .. import activations, initializers

_INPUT_KEYWORDS = ("input_shape", "batch_input_shape", "input_dim", "batch_size")


def take_input_shape(layer, kwargs):
    """Pop Keras' input-shape keywords into `layer.batch_input_shape` ((None, 1000) or None) and
    reject any keyword this layer does not know, naming it (a typo should not pass silently)."""
    shape = None
    if kwargs.get("batch_input_shape") is not None:
        shape = tuple(kwargs["batch_input_shape"])
    elif kwargs.get("input_shape") is not None:
        shape = (kwargs.get("batch_size"),) + tuple(kwargs["input_shape"])
    elif kwargs.get("input_dim") is not None:
        shape = (kwargs.get("batch_size"), int(kwargs["input_dim"]))
    layer.batch_input_shape = shape
    unknown = sorted(set(kwargs) - set(_INPUT_KEYWORDS) - {"dtype", "trainable"})
    if unknown:
        raise TypeError(f"{type(layer).__name__}() got unexpected keyword arguments: {', '.join(unknown)}")
    return {k: kwargs[k] for k in ("dtype", "trainable") if k in kwargs}


def _pick(value, old, new_name, old_name, what):
    """Keras 2's argument or its Keras 1 name; giving both differently is an error."""
    if old is None:
        return value
    if value is not None and value != old:
        raise TypeError(f"{what}: give {new_name} or its old name {old_name}, not both ({value} and {old})")
    return old


class Dense(tf_layers.Dense):
    """activation(inputs @ kernel + bias). Dense(100, input_dim=1000) has 1000*100 + 100 = 100,100
    parameters. Keras 1: Dense(output_dim=100, input_dim=1000, init='glorot_uniform')."""

    def __init__(self, units=None, activation=None, use_bias=True, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", name=None, output_dim=None, init=None, **kwargs):
        units = _pick(units, output_dim, "units", "output_dim", "Dense")
        if units is None:
            raise TypeError("Dense() needs the number of units: Dense(10) (Keras 1: Dense(output_dim=10))")
        extra = take_input_shape(self, kwargs)
        super().__init__(units, activation=activations.get(activation), use_bias=use_bias,
                         kernel_initializer=initializers.get(init or kernel_initializer),
                         bias_initializer=initializers.get(bias_initializer), name=name, **extra)


class Activation(tf_layers.Layer):
    """Applies an activation: Activation('relu') makes the op `activation/Relu`."""

    _base_name = "activation"

    def __init__(self, activation, name=None, **kwargs):
        extra = take_input_shape(self, kwargs)
        super().__init__(name=name, **extra)
        self.activation = activations.get(activation)
        self._activation_name = activation if isinstance(activation, str) else getattr(activation, "__name__", "")

    def call(self, inputs):
        return inputs if self.activation is None else self.activation(inputs)


class Flatten(tf_layers.Flatten):
    """(batch, 8, 8, 64) -> (batch, 4096): what goes between convolutions and Dense layers."""

    def __init__(self, name=None, data_format=None, **kwargs):
        extra = take_input_shape(self, kwargs)
        super().__init__(name=name, **extra)


class Dropout(tf_layers.Dropout):
    """Zeroes a `rate` fraction of its inputs while `fit` trains, scaling the rest by 1/(1 - rate);
    passes them through unchanged in evaluate and predict. Keras 1 called the rate `p`."""

    def __init__(self, rate=None, noise_shape=None, seed=None, name=None, p=None, **kwargs):
        rate = _pick(rate, p, "rate", "p", "Dropout")
        if rate is None or not 0 <= rate < 1:
            raise ValueError(f"Dropout: rate must be in [0, 1), got {rate!r}")
        extra = take_input_shape(self, kwargs)
        super().__init__(rate, noise_shape=noise_shape, seed=seed, name=name, **extra)
