"""Keras optimizers: SGD, Adam and RMSprop with Keras' defaults, made from tf.train optimizers.

A Keras optimizer only holds hyper-parameters; `model.compile` asks it for the tf.train optimizer
that adds the update ops (`training/Adam/...`). Keras 1's `lr` is accepted for `learning_rate`,
and `decay` is Keras' time-based decay: lr / (1 + decay * iterations).
"""
from .. import train
from ..graph import get_default_graph


class Optimizer:
    """Base class: the learning rate (with Keras' decay) and the tf.train optimizer it makes."""

    def __init__(self, learning_rate, lr=None, decay=0.0, **kwargs):
        if kwargs:
            raise TypeError(f"{type(self).__name__} got unexpected keyword arguments: {', '.join(sorted(kwargs))}")
        if lr is not None:
            learning_rate = lr  # Keras 1 and 2.0-2.2 spelling
        self.learning_rate = float(learning_rate)
        self.decay = float(decay)
        self.iterations = None

    lr = property(lambda self: self.learning_rate)

    def _rate(self):
        """The learning rate as the update ops see it: a number, or with decay a tensor of the step."""
        if not self.decay:
            return self.learning_rate
        from ..ops.math import cast
        from ..variables import Variable
        graph = get_default_graph()
        with graph.name_scope(None):
            self.iterations = Variable(0, name="iterations", trainable=False)
        return self.learning_rate / (1.0 + self.decay * cast(self.iterations, "float32"))

    def make(self):
        """A new tf.train optimizer for these settings (each compile makes its own)."""
        raise NotImplementedError

    def get_config(self):
        return {"learning_rate": self.learning_rate, "decay": self.decay}


class SGD(Optimizer):
    """Stochastic gradient descent, with optional (Nesterov) momentum. Keras' default lr: 0.01."""

    def __init__(self, learning_rate=0.01, momentum=0.0, nesterov=False, **kwargs):
        super().__init__(learning_rate, **kwargs)
        self.momentum, self.nesterov = float(momentum), bool(nesterov)

    def make(self):
        if self.momentum or self.nesterov:
            return train.MomentumOptimizer(self._rate(), self.momentum, use_nesterov=self.nesterov, name="SGD")
        return train.GradientDescentOptimizer(self._rate(), name="SGD")


class Adam(Optimizer):
    """Adam with Keras' defaults: lr 0.001, beta_1 0.9, beta_2 0.999, epsilon 1e-7."""

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, amsgrad=False, **kwargs):
        if amsgrad:
            raise ValueError("Adam: amsgrad is not implemented in tfteach")
        super().__init__(learning_rate, **kwargs)
        self.beta_1, self.beta_2 = float(beta_1), float(beta_2)
        self.epsilon = 1e-7 if epsilon is None else float(epsilon)

    def make(self):
        return train.AdamOptimizer(self._rate(), self.beta_1, self.beta_2, self.epsilon, name="Adam")


class RMSprop(Optimizer):
    """RMSprop, lr 0.001, rho 0.9 (built on tf.train.RMSPropOptimizer, whose average starts at 1)."""

    def __init__(self, learning_rate=0.001, rho=0.9, epsilon=1e-7, **kwargs):
        super().__init__(learning_rate, **kwargs)
        self.rho, self.epsilon = float(rho), 1e-7 if epsilon is None else float(epsilon)

    def make(self):
        return train.RMSPropOptimizer(self._rate(), decay=self.rho, epsilon=self.epsilon, name="RMSprop")


sgd, adam, rmsprop = SGD, Adam, RMSprop


def get(identifier):
    """A Keras optimizer for 'sgd' / 'adam' / 'rmsprop' (defaults), a Keras optimizer or a tf.train one."""
    if isinstance(identifier, (Optimizer, train.Optimizer)):
        return identifier
    table = {"sgd": SGD, "adam": Adam, "rmsprop": RMSprop}
    if not isinstance(identifier, str) or identifier.lower() not in table:
        raise ValueError(f"Unknown optimizer {identifier!r}: use 'sgd', 'adam', 'rmsprop' or an optimizer object "
                         f"such as SGD(lr=0.1)")
    return table[identifier.lower()]()
