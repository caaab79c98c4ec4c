"""tf.layers: Dense, Conv2D, pooling, flatten and dropout built from ordinary ops and get_variable.

Mirrors tensorflow/python/layers (TF1's functional layers). `tf.layers.dense(x, 10)` makes
the variables `dense/kernel` and `dense/bias` and the ops `dense/MatMul`, `dense/BiasAdd`;
the next call uses `dense_1/...`. tfteach.keras builds its layers on these classes.
"""
from .graph import Tensor, convert_to_tensor, get_default_graph
from . import lazy as _lazy
from .init_ops import zeros_initializer
from .variable_scope import get_variable, variable_scope


def _tf():
    import tfteach  # the public ops, imported when a layer is built
    return tfteach


class Layer:
    """Base of the callable layers: a unique variable scope, variables made on the first call."""

    _base_name = "layer"

    def __init__(self, trainable=True, name=None, dtype=None, _reuse=None, **kwargs):
        self.trainable = trainable
        self._reuse = _reuse
        self._given_name = name
        self._scope = None
        self.built = False
        self.dtype = dtype
        self._trainable_weights = []
        self.input = self.output = None  # the tensors of the last call

    @property
    def name(self):
        return self._scope.name if self._scope is not None else (self._given_name or self._base_name)

    @property
    def trainable_variables(self):
        return list(self._trainable_weights)

    trainable_weights = trainable_variables
    variables = trainable_variables
    weights = trainable_variables

    @property
    def output_shape(self):
        """The static shape of the last output as a tuple, None for unknown dims: (None, 10)."""
        if self.output is None:
            raise AttributeError(f"layer '{self.name}' has not been called yet, so it has no output shape")
        return tuple(self.output.shape.as_list())

    def count_params(self):
        """How many numbers the layer's variables hold (a Dense 1000 -> 100 has 100,100)."""
        if not self.built:
            raise ValueError(f"layer '{self.name}' has no variables yet: call it on an input first")
        return sum(v.get_shape().num_elements() for v in self.weights)

    def __call__(self, inputs, *args, **kwargs):
        inputs = convert_to_tensor(inputs)
        graph = get_default_graph()
        self.input = inputs
        if self.dtype is None and inputs.dtype.is_floating:
            self.dtype = inputs.dtype.base_dtype.name  # TF1's layers take their inputs' float type
        if self._scope is None:
            with variable_scope(self._given_name, default_name=self._base_name, reuse=self._reuse) as scope:
                self._scope = scope
                self.build(inputs.shape)
                self.built = True
                self.output = self.call(inputs, *args, **kwargs)
                return self.output
        # a second call shares the variables and puts its ops in the same name scope
        with variable_scope(self._scope, reuse=True, auxiliary_name_scope=False), \
                graph.name_scope(self._scope.original_name_scope):
            self.output = self.call(inputs, *args, **kwargs)
            return self.output

    def build(self, input_shape):
        pass

    def call(self, inputs):
        return inputs

    def add_weight(self, name, shape, dtype=None, initializer=None, regularizer=None, trainable=True):
        v = get_variable(name, shape=shape, dtype=dtype, initializer=initializer, regularizer=regularizer,
                         trainable=trainable and self.trainable)
        if trainable and self.trainable:
            self._trainable_weights.append(v)
        return v


class Dense(Layer):
    """outputs = activation(inputs @ kernel + bias)."""

    _base_name = "dense"

    def __init__(self, units, activation=None, use_bias=True, kernel_initializer=None,
                 bias_initializer=zeros_initializer(), kernel_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, bias_constraint=None, trainable=True,
                 name=None, **kwargs):
        super().__init__(trainable=trainable, name=name, **kwargs)
        self.units = int(units)
        self.activation = activation
        self.use_bias = use_bias
        self.kernel_initializer = kernel_initializer
        self.bias_initializer = bias_initializer
        self.kernel_regularizer = kernel_regularizer
        self.bias_regularizer = bias_regularizer

    def build(self, input_shape):
        if input_shape.ndims is None or input_shape[-1].value is None:
            raise ValueError("The last dimension of the inputs to `Dense` should be defined. "
                             f"Found `None` (input shape {input_shape}).")
        dtype = self.dtype or "float32"
        self.kernel = self.add_weight("kernel", [input_shape[-1].value, self.units], dtype=dtype,
                                      initializer=self.kernel_initializer, regularizer=self.kernel_regularizer)
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight("bias", [self.units], dtype=dtype, initializer=self.bias_initializer,
                                        regularizer=self.bias_regularizer)

    def call(self, inputs):
        tf = _tf()
        rank = inputs.shape.ndims
        if rank is not None and rank > 2:
            # apply the same kernel to the last axis: flatten the leading axes, then restore them
            flat = tf.reshape(inputs, [-1, inputs.shape[-1].value])
            outputs = tf.matmul(flat, self.kernel)
            lead = tf.shape(inputs)[:-1]
            outputs = tf.reshape(outputs, tf.concat([lead, [self.units]], 0))
        else:
            outputs = tf.matmul(inputs, self.kernel)
        if self.use_bias:
            outputs = tf.nn.bias_add(outputs, self.bias)
        if self.activation is not None:
            outputs = self.activation(outputs)
        return outputs


def dense(inputs, units, activation=None, use_bias=True, kernel_initializer=None,
          bias_initializer=zeros_initializer(), kernel_regularizer=None, bias_regularizer=None,
          activity_regularizer=None, kernel_constraint=None, bias_constraint=None, trainable=True,
          name=None, reuse=None):
    """A fully connected layer: activation(inputs @ kernel + bias), kernel glorot-uniform.

    Example: `h = tf.layers.dense(x, 100, activation=tf.nn.relu)` with x of shape (None, 1000)
    gives h of shape (None, 100) and variables `dense/kernel:0` (1000, 100), `dense/bias:0`.
    """
    layer = Dense(units, activation=activation, use_bias=use_bias, kernel_initializer=kernel_initializer,
                  bias_initializer=bias_initializer, kernel_regularizer=kernel_regularizer,
                  bias_regularizer=bias_regularizer, trainable=trainable, name=name, _reuse=reuse)
    return layer(inputs)


class Flatten(Layer):
    """Keep the first (batch) axis, flatten the rest."""

    _base_name = "flatten"

    def call(self, inputs):
        tf = _tf()
        s = inputs.shape
        if s.ndims is not None and all(d.value is not None for d in s.dims[1:]):
            n = 1
            for d in s.dims[1:]:
                n *= d.value
            return tf.reshape(inputs, [-1, n])
        return tf.reshape(inputs, tf.stack([tf.shape(inputs)[0], -1]))


def flatten(inputs, name=None, data_format="channels_last"):
    """Flatten all but the first axis: (batch, 28, 28, 1) -> (batch, 784)."""
    return Flatten(name=name)(inputs)


class Dropout(Layer):
    """Randomly zero a `rate` fraction of the inputs while training, scaling the rest by 1/(1-rate)."""

    _base_name = "dropout"

    def __init__(self, rate=0.5, noise_shape=None, seed=None, name=None, **kwargs):
        super().__init__(name=name, **kwargs)
        self.rate, self.noise_shape, self.seed = rate, noise_shape, seed

    def call(self, inputs, training=False):
        tf = _tf()
        if isinstance(training, Tensor):
            return tf.cond(training, lambda: tf.nn.dropout(inputs, rate=self.rate, noise_shape=self.noise_shape,
                                                           seed=self.seed),
                           lambda: tf.identity(inputs))
        if training:
            return tf.nn.dropout(inputs, rate=self.rate, noise_shape=self.noise_shape, seed=self.seed)
        return tf.identity(inputs)


def dropout(inputs, rate=0.5, noise_shape=None, seed=None, training=False, name=None):
    """Dropout that is only active when `training` is True (or a bool tensor that is True)."""
    return Dropout(rate, noise_shape, seed, name=name)(inputs, training=training)


__all__ = ['Layer', 'Dense', 'dense', 'Flatten', 'flatten', 'Dropout', 'dropout', 'Conv2D', 'conv2d',
           'MaxPooling2D', 'max_pooling2d', 'AveragePooling2D', 'average_pooling2d',
           'BatchNormalization', 'batch_normalization', 'Conv2DTranspose', 'conv2d_transpose']


def __getattr__(name):
    if name.startswith("__"):  # import machinery probing (__path__, ...): not a TF name
        raise AttributeError(name)
    return _lazy.attribute(__name__, name)


# ---- convolution and pooling ----------------------------------------------------------------
def _pair(value, what, arg):
    """kernel_size / strides / pool_size as Keras takes them: an int or a pair of ints."""
    pair = (value, value) if isinstance(value, int) else tuple(value)
    if len(pair) != 2 or not all(isinstance(v, int) and v > 0 for v in pair):
        raise ValueError(f"{what}: {arg} must be a positive int or a pair of them, got {value!r}")
    return pair


def _padding(value, what):
    if str(value).lower() not in ("same", "valid"):
        raise ValueError(f"{what}: padding must be 'same' or 'valid', got {value!r}")
    return str(value).upper()


def _channels_last(data_format, what):
    if data_format not in ("channels_last", "NHWC", None):
        raise ValueError(f"{what}: only data_format='channels_last' (NHWC) is supported, got {data_format!r}")


def _check_images(layer, input_shape):
    if input_shape.ndims != 4:
        raise ValueError(f"{type(layer).__name__} layer '{layer.name}' expects inputs of rank 4 (batch, height, "
                         f"width, channels), got shape {_shape_str(input_shape)}")


def _shape_str(shape):
    return "<unknown>" if shape.ndims is None else str(tuple(shape.as_list()))


class Conv2D(Layer):
    """outputs = activation(conv2d(inputs, kernel) + bias), kernel (kh, kw, in_channels, filters)."""

    _base_name = "conv2d"

    def __init__(self, filters, kernel_size, strides=(1, 1), padding="valid", data_format="channels_last",
                 dilation_rate=(1, 1), activation=None, use_bias=True, kernel_initializer=None,
                 bias_initializer=zeros_initializer(), kernel_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, bias_constraint=None, trainable=True,
                 name=None, **kwargs):
        super().__init__(trainable=trainable, name=name, **kwargs)
        _channels_last(data_format, "Conv2D")
        if _pair(dilation_rate, "Conv2D", "dilation_rate") != (1, 1):
            raise ValueError("Conv2D: dilation_rate other than 1 is not implemented in tfteach")
        self.filters = int(filters)
        self.kernel_size = _pair(kernel_size, "Conv2D", "kernel_size")
        self.strides = _pair(strides, "Conv2D", "strides")
        self.padding = _padding(padding, "Conv2D")
        self.activation = activation
        self.use_bias = use_bias
        self.kernel_initializer, self.bias_initializer = kernel_initializer, bias_initializer
        self.kernel_regularizer, self.bias_regularizer = kernel_regularizer, bias_regularizer

    def build(self, input_shape):
        _check_images(self, input_shape)
        if input_shape[-1].value is None:
            raise ValueError(f"Conv2D layer '{self.name}': the channel dimension of the inputs should be "
                             f"defined, got shape {_shape_str(input_shape)}")
        dtype = self.dtype or "float32"
        shape = list(self.kernel_size) + [input_shape[-1].value, self.filters]
        self.kernel = self.add_weight("kernel", shape, dtype=dtype, initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer)
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight("bias", [self.filters], dtype=dtype, initializer=self.bias_initializer,
                                        regularizer=self.bias_regularizer)

    def call(self, inputs):
        tf = _tf()
        outputs = tf.nn.conv2d(inputs, self.kernel, [1, *self.strides, 1], self.padding)
        if self.use_bias:
            outputs = tf.nn.bias_add(outputs, self.bias)
        if self.activation is not None:
            outputs = self.activation(outputs)
        return outputs


def conv2d(inputs, filters, kernel_size, strides=(1, 1), padding="valid", data_format="channels_last",
           dilation_rate=(1, 1), activation=None, use_bias=True, kernel_initializer=None,
           bias_initializer=zeros_initializer(), kernel_regularizer=None, bias_regularizer=None,
           activity_regularizer=None, kernel_constraint=None, bias_constraint=None, trainable=True,
           name=None, reuse=None):
    """A 2-D convolution layer on NHWC images: activation(conv2d(inputs, kernel) + bias).

    Example: `h = tf.layers.conv2d(x, 32, 3, padding='same', activation=tf.nn.relu)` with x of
    shape (None, 8, 8, 1) gives h of shape (None, 8, 8, 32) and the variables
    `conv2d/kernel:0` (3, 3, 1, 32) and `conv2d/bias:0` (32,).
    """
    layer = Conv2D(filters, kernel_size, strides=strides, padding=padding, data_format=data_format,
                   dilation_rate=dilation_rate, activation=activation, use_bias=use_bias,
                   kernel_initializer=kernel_initializer, bias_initializer=bias_initializer,
                   kernel_regularizer=kernel_regularizer, bias_regularizer=bias_regularizer,
                   trainable=trainable, name=name, _reuse=reuse)
    return layer(inputs)


class _Pooling2D(Layer):
    """Shared by MaxPooling2D and AveragePooling2D: `pool` is tf.nn.max_pool or tf.nn.avg_pool."""

    def __init__(self, pool_size, strides=None, padding="valid", data_format="channels_last", name=None,
                 **kwargs):
        super().__init__(name=name, **kwargs)
        what = type(self).__name__
        _channels_last(data_format, what)
        self.pool_size = _pair(pool_size, what, "pool_size")
        self.strides = self.pool_size if strides is None else _pair(strides, what, "strides")
        self.padding = _padding(padding, what)

    def build(self, input_shape):
        _check_images(self, input_shape)

    def call(self, inputs):
        return self._pool(inputs, [1, *self.pool_size, 1], [1, *self.strides, 1], self.padding)


class MaxPooling2D(_Pooling2D):
    """The maximum of each pool_size window (stride = pool_size unless given)."""

    _base_name = "max_pooling2d"

    def _pool(self, *args):
        return _tf().nn.max_pool(*args)


class AveragePooling2D(_Pooling2D):
    """The mean of each pool_size window (stride = pool_size unless given)."""

    _base_name = "average_pooling2d"

    def _pool(self, *args):
        return _tf().nn.avg_pool(*args)


def max_pooling2d(inputs, pool_size, strides, padding="valid", data_format="channels_last", name=None):
    """Max pooling on NHWC images: `tf.layers.max_pooling2d(h, 2, 2)` halves height and width."""
    return MaxPooling2D(pool_size, strides, padding=padding, data_format=data_format, name=name)(inputs)


def average_pooling2d(inputs, pool_size, strides, padding="valid", data_format="channels_last", name=None):
    """Average pooling on NHWC images, as max_pooling2d with the mean."""
    return AveragePooling2D(pool_size, strides, padding=padding, data_format=data_format, name=name)(inputs)


# ---- transposed convolution ----------------------------------------------------------------
def _deconv_length(size, k, stride, padding):
    """conv_utils.deconv_output_length: the output side a transposed convolution makes."""
    if padding == "VALID":
        return size * stride + max(k - stride, 0)
    return size * stride


class Conv2DTranspose(Conv2D):
    """outputs = activation(conv2d_transpose(inputs, kernel) + bias), kernel (kh, kw, filters, in_channels).

    Keras's output size: SAME gives (h * stride, w * stride); VALID h * stride + max(k - stride, 0).
    """

    _base_name = "conv2d_transpose"

    def build(self, input_shape):
        if input_shape.ndims != 4:
            raise ValueError(f"Inputs should have rank 4. Received input shape: {input_shape}")
        if input_shape[-1].value is None:
            raise ValueError("The channel dimension of the inputs should be defined. Found `None`.")
        dtype = self.dtype or "float32"
        shape = list(self.kernel_size) + [self.filters, input_shape[-1].value]
        self.kernel = self.add_weight("kernel", shape, dtype=dtype, initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer)
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight("bias", [self.filters], dtype=dtype, initializer=self.bias_initializer,
                                        regularizer=self.bias_regularizer)

    def call(self, inputs):
        tf = _tf()
        inputs_shape = tf.shape(inputs)
        batch_size = inputs_shape[0]
        dims = inputs.shape.as_list()
        height = dims[1] if dims[1] is not None else inputs_shape[1]
        width = dims[2] if dims[2] is not None else inputs_shape[2]
        (kh, kw), (sh, sw) = self.kernel_size, self.strides
        out_h = _deconv_length(height, kh, sh, self.padding)
        out_w = _deconv_length(width, kw, sw, self.padding)
        output_shape = tf.stack([batch_size, out_h, out_w, self.filters])
        output_shape[0]  # noqa: B018 - Keras's backend reads it (the node 'strided_slice_1' is TF's too)
        outputs = tf.nn.conv2d_transpose(inputs, self.kernel, output_shape, [1, sh, sw, 1], padding=self.padding)
        static = [dims[0], None if dims[1] is None else out_h, None if dims[2] is None else out_w, self.filters]
        outputs.set_shape(static)
        if self.use_bias:
            outputs = tf.nn.bias_add(outputs, self.bias)
        if self.activation is not None:
            outputs = self.activation(outputs)
        return outputs


def conv2d_transpose(inputs, filters, kernel_size, strides=(1, 1), padding="valid", data_format="channels_last",
                     activation=None, use_bias=True, kernel_initializer=None, bias_initializer=zeros_initializer(),
                     kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                     kernel_constraint=None, bias_constraint=None, trainable=True, name=None, reuse=None):
    """A transposed convolution layer (DCGAN generators): upsamples NHWC images by `strides`.

    Example: `tf.layers.conv2d_transpose(h, 64, 5, strides=2, padding='same')` takes h of shape
    (None, 7, 7, 128) to (None, 14, 14, 64), with variables `conv2d_transpose/kernel:0`
    (5, 5, 64, 128) and `conv2d_transpose/bias:0` (64,).
    """
    layer = Conv2DTranspose(filters, kernel_size, strides=strides, padding=padding, data_format=data_format,
                            activation=activation, use_bias=use_bias, kernel_initializer=kernel_initializer,
                            bias_initializer=bias_initializer, kernel_regularizer=kernel_regularizer,
                            bias_regularizer=bias_regularizer, trainable=trainable, name=name, _reuse=reuse)
    return layer(inputs)


# batch normalization lives in its own module (TF's layers/normalization.py), loaded on first use
# (tfteach/lazy.py, issue #24)
_lazy.register(__name__, "tf.layers", {name: (".normalization", name)
                                       for name in ("BatchNormalization", "batch_normalization")})
