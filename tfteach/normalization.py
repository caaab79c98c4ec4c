"""tf.layers.batch_normalization and BatchNormalization: the training switch and UPDATE_OPS.

Mirrors tensorflow/python/keras/layers/normalization.py as tf.layers (TF 1.15) uses it: rank-4
inputs take one FusedBatchNormV3 op, others tf.nn.moments and tf.nn.batch_normalization; the
moving averages' update ops go to tf.GraphKeys.UPDATE_OPS (docs/batch_norm.md).
"""
from .graph import Tensor
from .init_ops import ones_initializer, zeros_initializer
from .layers import Layer, _tf
from .ops.batch_norm import _fused


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
        self._new_updates = []
        known = _constant_bool(training)
        fused = self.fused and inputs.dtype.base_dtype.name in ("float16", "bfloat16", "float32")
        if self.fused and not fused and not self._fused_auto:
            raise TypeError(f"BatchNormalization: fused=True needs float16 or float32 inputs, got "
                            f"{inputs.dtype.base_dtype.name}; use fused=None or False")
        if fused:
            outputs = self._fused_call(tf, inputs, training, known)
        else:
            outputs = self._plain_call(tf, inputs, training, known)
        for u in self._new_updates:  # a layer called twice keeps both calls' updates, as TF
            tf.add_to_collection(tf.GraphKeys.UPDATE_OPS, u)
        self.updates.extend(self._new_updates)
        return outputs

    def _assign_moving_average(self, tf, variable, value, momentum):
        """moving -= (moving - value) * (1 - momentum), named 'AssignMovingAvg' as TF."""
        with tf.name_scope("AssignMovingAvg") as scope:
            decay = 1.0 - momentum if isinstance(momentum, Tensor) else \
                tf.convert_to_tensor(1.0 - momentum, dtype=variable.dtype.base_dtype, name="decay")
            return tf.assign_sub(variable, (variable - value) * decay, name=scope)

    def _fused_call(self, tf, inputs, training, known):
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
        self._new_updates = [self._assign_moving_average(tf, self.moving_mean, mean, momentum).op,
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
            self._new_updates = [mean_update.op, variance_update.op]
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
