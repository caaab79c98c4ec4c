"""GradientDescentStepper: gradient descent one step at a time, with its state in Python.

The stepper owns a session, a train op and the loss; `step()`, `reset()`, `history` and
`values` are the whole API. The widget (stepper_view.py) only calls these methods, so a test
drives the same code a learner's clicks do.
"""
import copy
import numbers

import numpy as np

from ..graph import convert_to_tensor
from ..ops.constant import placeholder_with_default
from ..session import Session
from ..train.optimizer import Optimizer
from ..train.optimizers import GradientDescentOptimizer
from ..variables import global_variables_initializer, is_variable_initialized, variables_initializer

PLAY_STEPS = 100  # steps one press of Play runs when max_steps is not given
WIDGET_NOTE = "(an interactive widget: run the cell in Jupyter to use it)"


class Update:
    """One variable's update in one step: the value before, the gradient and the value after."""

    def __init__(self, name, before, grad, after):
        self.name, self.before, self.grad, self.after = name, before, grad, after

    def __repr__(self):
        return f"Update({self.name!r}, before={self.before!r}, grad={self.grad!r}, after={self.after!r})"


class GradientDescentStepper:
    """Minimize `loss` one step at a time; show it as a widget with Step, Play and Reset.

    Args:
        loss: scalar tensor to minimize.
        learning_rate: η, the slider's starting value (fed on every step, so a new value
            changes the next step). An `optimizer` instance brings its own learning rate.
        var_list: variables to train; default the trainable variables the loss depends on.
        feed_dict: feeds for every step, or a function returning the next feed dict (a batch).
        session: Session holding the variables; default a new one, with every variable
            initialized. Variables the given session has not initialized yet are initialized.
        optimizer: default `GradientDescentOptimizer`; any tfteach optimizer instance, or a
            function of the learning rate returning one (`tf.train.AdamOptimizer`).
        max_steps: stop after this many steps in all; Play runs up to it (or 100 steps).

    Example (the seed neuron)::

        w = tf.Variable(0.8, name='weight')
        loss = (w * 1.0 - 0.0) ** 2
        stepper = GradientDescentStepper(loss, learning_rate=0.025)
        stepper.step()        # history == [0.64], values == {'weight': 0.76}
        stepper               # as the last line of a cell: the widget
    """

    def __init__(self, loss, learning_rate=0.025, var_list=None, feed_dict=None, session=None,
                 optimizer=None, max_steps=None):
        self.loss = convert_to_tensor(loss)
        if self.loss.shape.ndims not in (0, None):
            raise ValueError(f"GradientDescentStepper: the loss must be a scalar, got {self.loss.name} "
                             f"of shape {self.loss.shape}. Average it first: tf.reduce_mean(loss).")
        self.graph = self.loss.graph
        self.feed_dict = feed_dict
        self.max_steps = max_steps
        with self.graph.as_default():
            self.optimizer, start_rate, self.learning_rate_adjustable = self._optimizer(optimizer, learning_rate)
            pairs = [(g, v) for g, v in self.optimizer.compute_gradients(self.loss, var_list=var_list)
                     if g is not None]
            if not pairs:
                raise ValueError(f"GradientDescentStepper: the loss {self.loss.name} does not depend on "
                                 f"any trainable variable, so there is nothing to step.")
            self.train_op = self.optimizer.apply_gradients(pairs)
        self._gradients = [g for g, _ in pairs]
        self.var_list = [v for _, v in pairs]
        self.learning_rate = start_rate
        self.session = session if session is not None else Session(graph=self.graph)
        self._initialize(fresh=session is None)
        # the state reset() goes back to: the variables and the optimizer's slots, as now
        state = self.var_list + [v for v in self.optimizer.variables() if v not in self.var_list]
        self._start = list(zip(state, self.session.run(state)))
        self._listeners = []  # functions called after every change (the widget's refresh)
        self._view = None
        self._pending_feed = None  # the batch drawn for the next step (a feed function's)
        self._clear()

    # ---- building --------------------------------------------------------------------
    def _optimizer(self, optimizer, learning_rate):
        """(optimizer, starting learning rate, whether the slider can change it).

        The optimizer reads its learning rate from `learning_rate_tensor`, a placeholder with
        a default that every step feeds with the slider's value.
        """
        def placeholder(value):
            self.learning_rate_tensor = placeholder_with_default(np.float32(value), shape=[],
                                                                 name="stepper_learning_rate")
            return self.learning_rate_tensor

        if optimizer is None:
            return GradientDescentOptimizer(placeholder(learning_rate)), float(learning_rate), True
        if not isinstance(optimizer, Optimizer):  # a class or function of the learning rate
            return optimizer(placeholder(learning_rate)), float(learning_rate), True
        for attr in ("_learning_rate", "_lr"):  # TF1's names for it in the optimizers
            value = getattr(optimizer, attr, None)
            if isinstance(value, numbers.Real):
                # a copy reading the rate from the placeholder, starting at the optimizer's own
                optimizer = copy.copy(optimizer)
                setattr(optimizer, attr, placeholder(value))
                return optimizer, float(value), True
        self.learning_rate_tensor = None  # its rate is a tensor or schedule of its own
        return optimizer, float("nan"), False

    def _initialize(self, fresh):
        if fresh:
            self.session.run(global_variables_initializer())
            return
        candidates = self.var_list + self.optimizer.variables()
        with self.graph.as_default():
            done = self.session.run([is_variable_initialized(v) for v in candidates])
            todo = [v for v, ok in zip(candidates, done) if not ok]
            if todo:
                self.session.run(variables_initializer(todo))

    def _clear(self):
        self.history = []        # the loss before each step's update
        self.updates = []        # per step: [Update, ...], one per variable
        self.trajectory = {v.op.name: [self._scalar(v)] for v in self.scalar_variables}
        self.diverged = None     # the message, once the loss or a variable is NaN or inf

    # ---- state -----------------------------------------------------------------------
    @property
    def step_count(self):
        """Steps taken since the start or the last reset."""
        return len(self.history)

    @property
    def values(self):
        """{variable name: current value}, e.g. {'weight': 0.76}."""
        return {v.op.name: value for v, value in zip(self.var_list, self.session.run(self.var_list))}

    @property
    def scalar_variables(self):
        """The trained variables holding one number each (the landscape can show up to two)."""
        return [v for v in self.var_list if v.shape.is_fully_defined() and v.shape.num_elements() == 1]

    @property
    def last_update(self):
        return self.updates[-1] if self.updates else None

    @property
    def stopped(self):
        """Why step() will not step (None if it will)."""
        if self.diverged:
            return self.diverged
        if self.max_steps is not None and self.step_count >= self.max_steps:
            return f"Reached max_steps = {self.max_steps}. Press Reset to start again."
        return None

    @property
    def play_steps(self):
        """How many steps one press of Play runs."""
        return self.max_steps if self.max_steps is not None else PLAY_STEPS

    def current_feed(self):
        """The feed the next step will use (a feed function is called once per step)."""
        if not callable(self.feed_dict):
            return dict(self.feed_dict or {})
        if self._pending_feed is None:
            self._pending_feed = dict(self.feed_dict())
        return self._pending_feed

    def current_loss(self):
        """The loss now, on the next step's feed."""
        with np.errstate(all="ignore"):
            return self.session.run(self.loss, self.current_feed())

    @property
    def learning_rate(self):
        return self._learning_rate

    @learning_rate.setter
    def learning_rate(self, value):
        value = float(value)
        if self.learning_rate_adjustable and not value > 0:
            raise ValueError(f"learning_rate must be positive, got {value}")
        self._learning_rate = value
        self._changed()

    # ---- the three actions -----------------------------------------------------------
    def step(self, n=1):
        """Take up to `n` steps; stops early when the loss or a variable is NaN or inf."""
        for _ in range(int(n)):
            if self.stopped:
                break
            self._step_once()
        self._changed()

    def _step_once(self):
        feed = self.current_feed()
        self._pending_feed = None
        if self.learning_rate_adjustable:
            feed[self.learning_rate_tensor] = np.float32(self.learning_rate)
        with np.errstate(all="ignore"):  # overflow is reported below, in words
            # one run: the loss, gradients and old values are read before the update
            loss, grads, before, _ = self.session.run(
                [self.loss, self._gradients, self.var_list, self.train_op], feed)
            after = self.session.run(self.var_list)
        self.history.append(loss)
        self.updates.append([Update(v.op.name, b, g, a)
                             for v, b, g, a in zip(self.var_list, before, grads, after)])
        for v, value in zip(self.var_list, after):
            if v.op.name in self.trajectory:
                self.trajectory[v.op.name].append(float(np.ravel(value)[0]))
        self._check_finite(loss, zip(self.var_list, after))

    def _check_finite(self, loss, named_values):
        if not np.isfinite(loss):
            what, value = "the loss", loss
        else:
            bad = [(v, x) for v, x in named_values if not np.all(np.isfinite(x))]
            if not bad:
                return
            v, x = bad[0]
            what, value = f"the variable '{v.op.name}'", np.ravel(x)[~np.isfinite(np.ravel(x))][0]
        rate = (f"The learning rate η = {self.learning_rate:.3g} is too large for this loss: try a "
                f"smaller one (e.g. {self.learning_rate / 10:.3g}), then press Reset."
                if self.learning_rate_adjustable else "Try a smaller learning rate, then press Reset.")
        self.diverged = (f"Stopped at step {self.step_count}: {what} became {float(value)}. "
                         f"Gradient descent diverged. {rate}")

    def reset(self):
        """Variables and optimizer slots back to their values at the start; history cleared."""
        for v, value in self._start:
            v.load(value, self.session)
        self._clear()
        self._changed()

    # ---- the widget ----------------------------------------------------------------
    def _changed(self):
        for listener in list(getattr(self, "_listeners", ())):
            listener()

    @property
    def widget(self):
        """The ipywidgets view of this stepper (made on first use)."""
        if self._view is None:
            from .stepper_view import StepperView
            self._view = StepperView(self)
        return self._view

    def _repr_mimebundle_(self, include=None, exclude=None, **kwargs):
        bundle = self.widget.box._repr_mimebundle_(include=include, exclude=exclude, **kwargs)
        bundle = dict(bundle or {})
        # what a notebook shows where the widget cannot be (untrusted, or its kernel gone)
        bundle["text/plain"] = f"{repr(self)}\n{WIDGET_NOTE}"
        return bundle

    def __repr__(self):
        if self.learning_rate_adjustable:
            rate = f"learning_rate={self.learning_rate:.3g}"
        else:
            rate = "learning_rate=<the optimizer's>"
        values = ", ".join(f"{name}={_short(value)}" for name, value in self.values.items())
        loss = _short(self.current_loss())
        text = (f"<GradientDescentStepper {self.optimizer.get_name()} {rate} step={self.step_count} "
                f"loss={loss} {values}>")
        return text + (f"\n{self.stopped}" if self.stopped else "")

    def _scalar(self, v):
        return float(np.ravel(self.session.run(v))[0])


def _short(value):
    """A number or an array in a few characters: 0.76, or shape and norm."""
    value = np.asarray(value)
    if value.size == 1:
        return f"{float(value.ravel()[0]):.4g}"
    return f"<{'×'.join(map(str, value.shape))} norm={float(np.linalg.norm(value)):.4g}>"


def format_update(update, learning_rate, optimizer_name="GradientDescent"):
    """The update of one variable written out with its numbers, as one line of text.

    >>> format_update(Update('w', np.float32(0.8), np.float32(1.6), np.float32(0.76)), 0.025)
    'w ← w − η·∂L/∂w = 0.8 − 0.025·1.6 = 0.76'
    """
    name, before, grad, after = update.name, np.asarray(update.before), np.asarray(update.grad), \
        np.asarray(update.after)
    gd = optimizer_name == "GradientDescent"
    if before.size == 1:
        b, g, a = (float(x.ravel()[0]) for x in (before, grad, after))
        if gd:
            return f"{name} ← {name} − η·∂L/∂{name} = {_num(b)} − {_num(learning_rate)}·{_paren(g)} = {_num(a)}"
        delta = a - b
        sign = "−" if delta < 0 else "+"
        return (f"{name} ← {name} + Δ ({optimizer_name}, ∂L/∂{name} = {_num(g)}) = {_num(b)} {sign} "
                f"{_num(abs(delta))} = {_num(a)}")
    shape = "×".join(map(str, before.shape))
    first = "[" + ", ".join(["0"] * before.ndim) + "]"
    b0, g0, a0 = (float(x.ravel()[0]) for x in (before, grad, after))
    rule = f"{name} − η·∂L/∂{name}" if gd else f"{name} + Δ ({optimizer_name})"
    example = (f"{name}{first} = {_num(b0)} − {_num(learning_rate)}·{_paren(g0)} = {_num(a0)}" if gd
               else f"{name}{first}: {_num(b0)} → {_num(a0)}")
    return (f"{name} ({shape}) ← {rule}: ‖{name}‖ {_norm(before)} → {_norm(after)}, "
            f"‖∂L/∂{name}‖ = {_norm(grad)}, ‖Δ‖ = {_norm(after.astype(np.float64) - before)}; "
            f"e.g. {example}")


def _num(x):
    """A number in at most 4 significant digits, with a real minus sign."""
    return f"{float(x):.4g}".replace("-", "−")


def _norm(x):
    return _num(np.linalg.norm(np.asarray(x, np.float64)))


def _paren(x):
    return f"({_num(x)})" if float(x) < 0 else _num(x)


__all__ = ["GradientDescentStepper", "Update", "format_update"]
