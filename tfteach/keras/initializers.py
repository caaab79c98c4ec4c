"""Keras initializers by name: 'glorot_uniform', 'zeros', ... -> tfteach initializers.

Keras' defaults: Dense and Conv2D kernels 'glorot_uniform', biases 'zeros'. The Keras 1 names
'uniform' and 'normal' (scale 0.05) are accepted too.
"""
from .. import init_ops


def _table():
    return {
        "glorot_uniform": init_ops.glorot_uniform_initializer, "glorot_normal": init_ops.glorot_normal_initializer,
        "he_uniform": init_ops.he_uniform, "he_normal": init_ops.he_normal,
        "lecun_uniform": lambda: init_ops.VarianceScaling(1.0, "fan_in", "uniform"),
        "lecun_normal": lambda: init_ops.VarianceScaling(1.0, "fan_in", "truncated_normal"),
        "zeros": init_ops.Zeros, "ones": init_ops.Ones,
        "random_uniform": lambda: init_ops.RandomUniform(-0.05, 0.05),
        "random_normal": lambda: init_ops.RandomNormal(0.0, 0.05),
        "truncated_normal": lambda: init_ops.TruncatedNormal(0.0, 0.05),
        "uniform": lambda: init_ops.RandomUniform(-0.05, 0.05), "normal": lambda: init_ops.RandomNormal(0.0, 0.05),
    }


def get(identifier):
    """An initializer for a name, or the given initializer object itself."""
    if identifier is None or callable(identifier) and not isinstance(identifier, str):
        return identifier
    table = _table()
    if identifier not in table:
        raise ValueError(f"Unknown initializer {identifier!r}: use one of {', '.join(sorted(table))}")
    return table[identifier]()
