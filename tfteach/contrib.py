"""tf.contrib: only the pieces the classic tutorials use (seed 001's xavier_initializer)."""
import types

from . import init_ops

layers = types.SimpleNamespace(
    xavier_initializer=init_ops.xavier_initializer,
    xavier_initializer_conv2d=init_ops.xavier_initializer,
    variance_scaling_initializer=init_ops.VarianceScaling,
)
