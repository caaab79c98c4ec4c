"""tf.layers: Dense, flatten and dropout built from ordinary ops and get_variable.

Mirrors tensorflow/python/layers (TF1's functional layers). `tf.layers.dense(x, 10)` makes
the variables `dense/kernel` and `dense/bias` and the ops `dense/MatMul`, `dense/BiasAdd`;
the next call uses `dense_1/...`.
"""
from .graph import Tensor, convert_to_tensor, get_default_graph
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

    @property
    def name(self):
        return self._scope.name if self._scope is not None else (self._given_name or self._base_name)

    @property
    def trainable_variables(self):
        return list(self._trainable_weights)

    trainable_weights = trainable_variables
    variables = trainable_variables

    def __call__(self, inputs, *args, **kwargs):
        inputs = convert_to_tensor(inputs)
        graph = get_default_graph()
        if self._scope is None:
            with variable_scope(self._given_name, default_name=self._base_name, reuse=self._reuse) as scope:
                self._scope = scope
                self.build(inputs.shape)
                self.built = True
                return self.call(inputs, *args, **kwargs)
        # a second call shares the variables and puts its ops in the same name scope
        with variable_scope(self._scope, reuse=True, auxiliary_name_scope=False), \
                graph.name_scope(self._scope.original_name_scope):
            return self.call(inputs, *args, **kwargs)

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


__all__ = ['Layer', 'Dense', 'dense', 'Flatten', 'flatten', 'Dropout', 'dropout']


def __getattr__(name):
    from .coverage import missing
    raise missing("tf.layers", name)
