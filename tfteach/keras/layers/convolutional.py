"""Keras convolution and pooling layers: Conv2D, MaxPooling2D, AveragePooling2D (channels last).

tf.layers classes with Keras' arguments: padding 'valid' (default) or 'same', string activations
and initializers, and the input shape on the first layer: Conv2D(32, 3, input_shape=(8, 8, 1)).
"""
from ... import layers as tf_layers
from .. import activations, initializers
from .core import take_input_shape


class Conv2D(tf_layers.Conv2D):
    """activation(conv2d(inputs, kernel) + bias); kernel (kh, kw, in_channels, filters), so
    Conv2D(32, 3) on 1 channel has 3*3*1*32 + 32 = 320 parameters."""

    def __init__(self, filters, kernel_size, strides=(1, 1), padding="valid", activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros", data_format=None, name=None,
                 **kwargs):
        extra = take_input_shape(self, kwargs)
        super().__init__(filters, kernel_size, strides=strides, padding=padding, data_format=data_format,
                         activation=activations.get(activation), use_bias=use_bias,
                         kernel_initializer=initializers.get(kernel_initializer),
                         bias_initializer=initializers.get(bias_initializer), name=name, **extra)


class MaxPooling2D(tf_layers.MaxPooling2D):
    """The maximum of each pool_size window; MaxPooling2D() halves height and width."""

    def __init__(self, pool_size=(2, 2), strides=None, padding="valid", data_format=None, name=None, **kwargs):
        extra = take_input_shape(self, kwargs)
        super().__init__(pool_size, strides, padding=padding, data_format=data_format, name=name, **extra)


class AveragePooling2D(tf_layers.AveragePooling2D):
    """The mean of each pool_size window."""

    def __init__(self, pool_size=(2, 2), strides=None, padding="valid", data_format=None, name=None, **kwargs):
        extra = take_input_shape(self, kwargs)
        super().__init__(pool_size, strides, padding=padding, data_format=data_format, name=name, **extra)


MaxPool2D, AvgPool2D = MaxPooling2D, AveragePooling2D
