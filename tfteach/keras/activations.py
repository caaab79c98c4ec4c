"""Keras activations by name: 'relu', 'softmax', ... -> the tf.nn function (keras/activations.py)."""


def _table():
    from .. import nn
    from ..ops.unary import exp
    return {"relu": nn.relu, "sigmoid": nn.sigmoid, "tanh": nn.tanh, "softmax": nn.softmax, "elu": nn.elu,
            "selu": nn.selu, "softplus": nn.softplus, "softsign": nn.softsign, "relu6": nn.relu6,
            "exponential": exp, "linear": None}


def get(identifier):
    """The activation function for a name or callable; None and 'linear' mean none.

    >>> get('relu').__name__
    'relu'
    """
    if identifier is None or callable(identifier):
        return identifier
    table = _table()
    if identifier not in table:
        raise ValueError(f"Unknown activation {identifier!r}: use one of {', '.join(sorted(table))}, "
                         f"or pass a function such as tf.nn.relu")
    return table[identifier]
