"""tf.layers: Dense, Conv2D, pooling, flatten and dropout built from ordinary ops and get_variable.

Mirrors tensorflow/python/layers (TF1's functional layers). `tf.layers.dense(x, 10)` makes
the variables `dense/kernel` and `dense/bias` and the ops `dense/MatMul`, `dense/BiasAdd`;
the next call uses `dense_1/...`. tfteach.keras builds its layers on these classes.
"""
from .graph import Tensor, convert_to_tensor, get_default_graph
from .init_ops import ones_initializer, zeros_initializer
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
    from .coverage import missing
    raise missing("tf.layers", name)


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


# ---- batch normalization ----------------------------------------------------------------------
def _constant_bool(training):
    """training as a Python bool when it is known while building (a bool, a Const), else None."""
    if isinstance(training, Tensor):
        if training.op.type == "Const":
            return bool(training.op.get_attr("value"))
        return None
    return bool(training)


class BatchNormalization(Layer):
    """Normalize each channel by the batch's statistics while training, by moving averages after.

    Training (`training=True`, or a bool tensor that is True): y = gamma * (x - mean) /
    sqrt(var + epsilon) + beta with the batch's mean and variance, and two update ops, added to
    tf.GraphKeys.UPDATE_OPS, that move `moving_mean` and `moving_variance` towards them:
    moving -= (moving - batch) * (1 - momentum). Nothing runs them unless the train op depends
    on them (docs/batch_norm.md). Inference (`training=False`, the default): the moving averages.
    Rank-4 inputs use one FusedBatchNormV3 op (as TF when fused=None); others tf.nn.moments and
    tf.nn.batch_normalization.
    """

    _base_name = "batch_normalization"

    def __init__(self, axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True,
                 beta_initializer=zeros_initializer(), gamma_initializer=ones_initializer(),
                 moving_mean_initializer=zeros_initializer(), moving_variance_initializer=ones_initializer(),
                 beta_regularizer=None, gamma_regularizer=None, beta_constraint=None, gamma_constraint=None,
                 renorm=False, renorm_clipping=None, renorm_momentum=0.99, fused=None, trainable=True,
                 virtual_batch_size=None, adjustment=None, name=None, **kwargs):
        super().__init__(trainable=trainable, name=name, **kwargs)
        if renorm or virtual_batch_size is not None or adjustment is not None:
            raise ValueError("BatchNormalization: renorm, virtual_batch_size and adjustment are not "
                             "implemented in tfteach")
        if not isinstance(axis, int):
            raise ValueError(f"BatchNormalization: tfteach supports one axis (an int), got axis={axis!r}")
        self.axis, self.momentum, self.epsilon = axis, float(momentum), float(epsilon)
        self.center, self.scale, self.fused = center, scale, fused
        self.beta_initializer, self.gamma_initializer = beta_initializer, gamma_initializer
        self.moving_mean_initializer = moving_mean_initializer
        self.moving_variance_initializer = moving_variance_initializer
        self.beta_regularizer, self.gamma_regularizer = beta_regularizer, gamma_regularizer
        self.updates = []

    def build(self, input_shape):
        ndims = input_shape.ndims
        if ndims is None:
            raise ValueError(f"Input has undefined rank: {input_shape}.")
        axis = self.axis + ndims if self.axis < 0 else self.axis
        if not 0 <= axis < ndims:
            raise ValueError(f"Invalid axis: {self.axis} (input of rank {ndims})")
        self._axis, self._ndims = axis, ndims
        depth = input_shape[axis].value
        if depth is None:
            raise ValueError(f"Input has undefined `axis` dimension. Input shape: {input_shape}")
        self._fused_auto = self.fused is None
        if self.fused is None:
            self.fused = ndims == 4 and axis in (1, 3)
        elif self.fused and not (ndims == 4 and axis in (1, 3)):
            raise ValueError(f"Unsupported axis/rank for fused batch norm: axis={self.axis}, rank {ndims}; "
                             f"use fused=None or False")
        dtype = self.dtype or "float32"
        self.gamma = self.beta = None
        if self.scale:
            self.gamma = self.add_weight("gamma", [depth], dtype=dtype, initializer=self.gamma_initializer,
                                         regularizer=self.gamma_regularizer)
        if self.center:
            self.beta = self.add_weight("beta", [depth], dtype=dtype, initializer=self.beta_initializer,
                                        regularizer=self.beta_regularizer)
        self.moving_mean = self.add_weight("moving_mean", [depth], dtype=dtype,
                                           initializer=self.moving_mean_initializer, trainable=False)
        self.moving_variance = self.add_weight("moving_variance", [depth], dtype=dtype,
                                               initializer=self.moving_variance_initializer, trainable=False)
        self._depth = depth

    @property
    def non_trainable_weights(self):
        return [self.moving_mean, self.moving_variance] if self.built else []

    @property
    def weights(self):
        return self.trainable_variables + self.non_trainable_weights

    variables = weights

    def call(self, inputs, training=False):
        tf = _tf()
        self.updates = []
        known = _constant_bool(training)
        fused = self.fused and inputs.dtype.base_dtype.name in ("float16", "bfloat16", "float32")
        if self.fused and not fused and not self._fused_auto:
            raise TypeError(f"BatchNormalization: fused=True needs float16 or float32 inputs, got "
                            f"{inputs.dtype.base_dtype.name}; use fused=None or False")
        if fused:
            outputs = self._fused_call(tf, inputs, training, known)
        else:
            outputs = self._plain_call(tf, inputs, training, known)
        for u in self.updates:
            tf.add_to_collection(tf.GraphKeys.UPDATE_OPS, u)
        return outputs

    def _assign_moving_average(self, tf, variable, value, momentum):
        """moving -= (moving - value) * (1 - momentum), named 'AssignMovingAvg' as TF."""
        with tf.name_scope("AssignMovingAvg") as scope:
            decay = 1.0 - momentum if isinstance(momentum, Tensor) else \
                tf.convert_to_tensor(1.0 - momentum, dtype=variable.dtype.base_dtype, name="decay")
            return tf.assign_sub(variable, (variable - value) * decay, name=scope)

    def _fused_call(self, tf, inputs, training, known):
        from .ops.batch_norm import _fused
        fmt = "NCHW" if self._axis == 1 else "NHWC"
        gamma = self.gamma if self.gamma is not None else tf.constant(1.0, shape=[self._depth])
        beta = self.beta if self.beta is not None else tf.constant(0.0, shape=[self._depth])
        args = (inputs, tf.convert_to_tensor(gamma), tf.convert_to_tensor(beta),
                tf.convert_to_tensor(self.moving_mean), tf.convert_to_tensor(self.moving_variance), self.epsilon, fmt)

        def fused_training():
            return list(_fused(*args, True, None))

        def fused_inference():
            return list(_fused(*args, False, None))

        if known is not None:
            output, mean, variance = fused_training() if known else fused_inference()
            if not known:
                return output
            momentum = tf.convert_to_tensor(self.momentum)
        else:
            output, mean, variance = tf.cond(training, fused_training, fused_inference)
            momentum = tf.cond(training, lambda: self.momentum, lambda: 1.0)
        self.updates = [self._assign_moving_average(tf, self.moving_mean, mean, momentum).op,
                        self._assign_moving_average(tf, self.moving_variance, variance, momentum).op]
        return output

    def _plain_call(self, tf, inputs, training, known):
        ndims, axis = self._ndims, self._axis
        reduction_axes = [i for i in range(ndims) if i != axis]
        broadcast_shape = [1] * ndims
        broadcast_shape[axis] = self._depth

        def _broadcast(v):
            if v is not None and v.shape.ndims != ndims and reduction_axes != list(range(ndims - 1)):
                return tf.reshape(v, broadcast_shape)
            return v

        scale = _broadcast(tf.convert_to_tensor(self.gamma)) if self.gamma is not None else None
        offset = _broadcast(tf.convert_to_tensor(self.beta)) if self.beta is not None else None
        if known is False:
            mean, variance = tf.convert_to_tensor(self.moving_mean), tf.convert_to_tensor(self.moving_variance)
        else:
            mean, variance = tf.nn.moments(inputs, reduction_axes, keep_dims=False)
            if known is None:
                batch_mean, batch_variance = mean, variance
                mean = tf.cond(training, lambda: batch_mean, lambda: tf.convert_to_tensor(self.moving_mean))
                variance = tf.cond(training, lambda: batch_variance,
                                   lambda: tf.convert_to_tensor(self.moving_variance))
                new_mean, new_variance = mean, variance
                mean_update = tf.cond(
                    training, lambda: self._assign_moving_average(tf, self.moving_mean, new_mean, self.momentum),
                    lambda: tf.convert_to_tensor(self.moving_mean))
                variance_update = tf.cond(
                    training,
                    lambda: self._assign_moving_average(tf, self.moving_variance, new_variance, self.momentum),
                    lambda: tf.convert_to_tensor(self.moving_variance))
            else:
                mean_update = self._assign_moving_average(tf, self.moving_mean, mean, self.momentum)
                variance_update = self._assign_moving_average(tf, self.moving_variance, variance, self.momentum)
            self.updates = [mean_update.op, variance_update.op]
        return tf.nn.batch_normalization(inputs, _broadcast(mean), _broadcast(variance), offset, scale,
                                         self.epsilon)


def batch_normalization(inputs, axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True,
                        beta_initializer=zeros_initializer(), gamma_initializer=ones_initializer(),
                        moving_mean_initializer=zeros_initializer(),
                        moving_variance_initializer=ones_initializer(), beta_regularizer=None,
                        gamma_regularizer=None, beta_constraint=None, gamma_constraint=None, training=False,
                        trainable=True, name=None, reuse=None, renorm=False, renorm_clipping=None,
                        renorm_momentum=0.99, fused=None, virtual_batch_size=None, adjustment=None):
    """Batch normalization (Ioffe & Szegedy, 2015) of `inputs` over every axis but `axis`.

    Pass `training=True` (or a bool placeholder) while training, and run the update ops:

        update_ops = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
        with tf.control_dependencies(update_ops):
            train_op = optimizer.minimize(loss)

    otherwise `moving_mean` and `moving_variance` keep their initial 0 and 1 and inference
    (`training=False`) normalizes with those. Variables: `batch_normalization/gamma`, `beta`
    (trainable) and `moving_mean`, `moving_variance` (global, not trainable).
    """
    layer = BatchNormalization(axis=axis, momentum=momentum, epsilon=epsilon, center=center, scale=scale,
                               beta_initializer=beta_initializer, gamma_initializer=gamma_initializer,
                               moving_mean_initializer=moving_mean_initializer,
                               moving_variance_initializer=moving_variance_initializer,
                               beta_regularizer=beta_regularizer, gamma_regularizer=gamma_regularizer,
                               renorm=renorm, renorm_clipping=renorm_clipping, renorm_momentum=renorm_momentum,
                               fused=fused, trainable=trainable, virtual_batch_size=virtual_batch_size,
                               adjustment=adjustment, name=name, _reuse=reuse)
    return layer(inputs, training=training)


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
