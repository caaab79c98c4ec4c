"""GradientDescentStepper: gradient descent one step at a time, with its state in Python.

The stepper owns a session, a train op and the loss; `step()`, `reset()`, `history` and
`values` are the whole API. The widget (stepper_view.py) only calls these methods, so a test
drives the same code a learner's clicks do. A teacher's classroom configuration (config.py)
chooses the controls, the learning-rate range, a step cap and a seed; `data=` trains on a
learner's own arrays or DataFrame.
"""
import copy
import math
import numbers

import numpy as np

from ..graph import convert_to_tensor
from ..ops.constant import placeholder_with_default
from ..session import Session
from ..train.optimizer import Optimizer
from ..train.optimizers import GradientDescentOptimizer
from ..variables import global_variables_initializer, is_variable_initialized, variables_initializer
from .config import CONTROLS, check, dump_config, load_config

PLAY_STEPS = 100  # steps one press of Play runs when max_steps is not given
LEARNING_RATE = 0.025  # the slider's start when neither the arguments nor a configuration say
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
        config: a classroom configuration: a dict, a JSON file's path or JSON text (what
            `export_config()` returns) with any of the keys below; arguments given here win.
        controls: the controls that show, from "step", "play", "reset", "learning_rate"
            (default all); the step counter and the plot always show.
        learning_rate_range: (lowest, highest) η the slider and `learning_rate` allow.
        seed: an integer; random initial values (random ops without a seed of their own) and
            the batches drawn from `data` are then the same in every learner's kernel.
        data: the learner's data: a dict {placeholder or its name: array, DataFrame or
            Series}, or one DataFrame whose columns are fed to the placeholders of the same
            names (or as `columns` says). Rows must agree; each step feeds all rows, or
            `batch_size` rows drawn without replacement (a new shuffle each epoch).
        columns: with a DataFrame as `data`: {placeholder or name: column or [columns]}.
        batch_size: rows per step from `data` (default all).

    Example (the seed neuron)::

        w = tf.Variable(0.8, name='weight')
        loss = (w * 1.0 - 0.0) ** 2
        stepper = GradientDescentStepper(loss, learning_rate=0.025)
        stepper.step()        # history == [0.64], values == {'weight': 0.76}
        stepper               # as the last line of a cell: the widget
    """

    def __init__(self, loss, learning_rate=None, var_list=None, feed_dict=None, session=None,
                 optimizer=None, max_steps=None, config=None, controls=None, learning_rate_range=None,
                 seed=None, data=None, columns=None, batch_size=None):
        self.loss = convert_to_tensor(loss)
        if self.loss.shape.ndims not in (0, None):
            raise ValueError(f"GradientDescentStepper: the loss must be a scalar, got {self.loss.name} "
                             f"of shape {self.loss.shape}. Average it first: tf.reduce_mean(loss).")
        self.graph = self.loss.graph
        setup = load_config(config)
        given = dict(learning_rate=learning_rate, max_steps=max_steps, controls=controls,
                     learning_rate_range=learning_rate_range, seed=seed, batch_size=batch_size)
        setup.update(check({k: v for k, v in given.items() if v is not None}, "GradientDescentStepper"))
        self.controls = setup.get("controls", list(CONTROLS))
        self.learning_rate_range = setup.get("learning_rate_range")
        self.max_steps = setup.get("max_steps")
        self.seed = setup.get("seed")
        self.batch_size = setup.get("batch_size")
        self.data = _prepare_data(self.graph, data, columns) if data is not None else None
        self._batches = _Batches(self.data, self.batch_size, self.seed) if self.data else None
        self.feed_dict = feed_dict
        with self.graph.as_default():
            self.optimizer, start_rate, self.learning_rate_adjustable = self._optimizer(
                optimizer, setup.get("learning_rate", LEARNING_RATE))
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
        if self.seed is not None:
            _seed_random_ops(self.session, self.graph, self.seed)
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
        if not callable(self.feed_dict) and self._batches is None:
            return dict(self.feed_dict or {})
        if self._pending_feed is None:
            feed = self.feed_dict() if callable(self.feed_dict) else self.feed_dict
            self._pending_feed = dict(feed or {})
            if self._batches is not None:
                self._pending_feed.update(self._batches.next())
        return self._pending_feed

    @property
    def batched(self):
        """Whether each step sees other data (a feed function, or `data` in batches)."""
        return callable(self.feed_dict) or (self._batches is not None and self._batches.batched)

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
        low, high = self.learning_rate_range or (0, math.inf)
        if self.learning_rate_adjustable and not low <= value <= high:
            raise ValueError(f"learning_rate {value:g} is outside this class's range [{low:g}, {high:g}] "
                             f"(the configuration's learning_rate_range)")
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
        """Variables and optimizer slots back to their values at the start; history cleared.

        Batches drawn from `data` start again from the first (a feed function is not rewound).
        """
        for v, value in self._start:
            v.load(value, self.session)
        if self._batches is not None:
            self._batches.rewind()
            self._pending_feed = None
        self._clear()
        self._changed()

    # ---- the classroom configuration ------------------------------------------------
    @property
    def config(self):
        """The configuration this stepper has now (the slider's η included), as a dict."""
        return {"controls": list(self.controls),
                "learning_rate": self.learning_rate if self.learning_rate_adjustable else None,
                "learning_rate_range": self.learning_rate_range, "max_steps": self.max_steps,
                "seed": self.seed, "batch_size": self.batch_size}

    def export_config(self):
        """The configuration as JSON text: `GradientDescentStepper(loss, config=text)` (or a file
        holding it) gives the same widget in another notebook.

        >>> stepper.export_config()
        '{"widget": "GradientDescentStepper", "controls": ["step", "reset"], "learning_rate": 0.025, ...}'
        """
        return dump_config(self.config, "GradientDescentStepper")

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
        try:
            widget = self.widget
        except ImportError as e:  # e.g. ipywidgets 7: say so in one line, not a traceback
            return {"text/plain": f"{repr(self)}\n(no widget here: {e})"}
        bundle = widget.box._repr_mimebundle_(include=include, exclude=exclude, **kwargs)
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


# ---- a seed for everyone ------------------------------------------------------------
def _seed_random_ops(session, graph, seed):
    """Random ops built without a seed (TF1's (0, 0): fresh numbers each session) draw, in this
    session, from a stream fixed by `seed` and the op's place in the graph: every learner who
    builds the same graph gets the same initial values."""
    for index, op in enumerate(graph.get_operations()):
        if "seed" in op.attrs and not op.attrs.get("seed") and not op.attrs.get("seed2"):
            session._rngs.setdefault(op, np.random.default_rng([seed, index]))


# ---- the learner's own data -----------------------------------------------------------
def _prepare_data(graph, data, columns=None):
    """{placeholder tensor: array of its dtype}, checked against each placeholder's shape."""
    what = "GradientDescentStepper(data=...)"
    if _is_frame(data):
        frame = data
        if columns is None:
            names = [str(c) for c in frame.columns]
            placeholders = [op.name for op in graph.get_operations() if op.type == "Placeholder"]
            columns = {name: name for name in names if name in placeholders}
            if not columns:
                raise ValueError(f"{what}: no placeholder is named like a column of the DataFrame "
                                 f"(columns {names}, placeholders {placeholders}). Name the placeholders "
                                 f"after the columns, or say which go where: columns={{x: ['col1', 'col2'], "
                                 f"y: 'col3'}}.")
        data = {}
        for key, cols in columns.items():
            missing = [c for c in ([cols] if isinstance(cols, str) else cols) if c not in frame.columns]
            if missing:
                raise KeyError(f"{what}: the DataFrame has no column {missing[0]!r}; it has "
                               f"{[str(c) for c in frame.columns]}")
            data[key] = frame[cols]
    elif columns is not None:
        raise TypeError(f"{what}: columns= goes with a DataFrame as data, got {type(data).__name__}")
    if not isinstance(data, dict):
        raise TypeError(f"{what}: data must be a dict {{placeholder: array}} or a DataFrame, got "
                        f"{type(data).__name__}")
    prepared, rows = {}, {}
    for key, value in data.items():
        tensor = _placeholder(graph, key)
        array = _as_numbers(value, tensor, _describe(key, value))
        _fit_shape(array, tensor, _describe(key, value))
        prepared[tensor] = array
        rows[_describe(key, value)] = len(array)
    if len(set(rows.values())) > 1:
        raise ValueError(f"{what}: the arrays have different numbers of rows: "
                         + ", ".join(f"{name} has {n}" for name, n in rows.items())
                         + ". Every array needs one row per example.")
    return prepared


def _is_frame(value):
    return hasattr(value, "columns") and hasattr(value, "to_numpy")


def _placeholder(graph, key):
    try:
        tensor = (graph.get_tensor_by_name(key if ":" in key else key + ":0") if isinstance(key, str)
                  else convert_to_tensor(key))
    except (KeyError, ValueError, TypeError):
        tensor = None
    if tensor is None or tensor.op.type not in ("Placeholder", "PlaceholderWithDefault"):
        raise ValueError(f"GradientDescentStepper(data=...): {key!r} is not a placeholder of the loss's "
                         f"graph; data feeds placeholders, e.g. x = tf.placeholder(tf.float32, [None, 2], "
                         f"name='x')")
    return tensor


def _describe(key, value):
    """How an error names the data: its column(s), or the array fed to the placeholder."""
    target = key if isinstance(key, str) else key.op.name
    if _is_frame(value):
        return f"columns {[str(c) for c in value.columns]} (for placeholder '{target}')"
    if hasattr(value, "to_numpy") and getattr(value, "name", None) is not None:
        return f"column '{value.name}' (for placeholder '{target}')"
    return f"the array for placeholder '{target}'"


def _as_numbers(value, tensor, what):
    """The value as a numpy array of the placeholder's dtype; an error names a non-number column."""
    dtype = tensor.dtype.np
    parts = ([(str(c), value[c].to_numpy()) for c in value.columns] if _is_frame(value)
             else [(None, value.to_numpy() if hasattr(value, "to_numpy") else np.asarray(value))])
    arrays = []
    for column, array in parts:
        where = f"column '{column}'" if column is not None else what
        if array.dtype.kind not in "biuf":
            example = next((x for x in np.ravel(array) if not isinstance(x, numbers.Number)), None)
            raise TypeError(f"GradientDescentStepper(data=...): {where} holds {array.dtype} values"
                            + (f" such as {example!r}" if example is not None else "")
                            + f"; placeholder '{tensor.op.name}' needs {tensor.dtype.name} numbers. Drop "
                            f"it, or turn it into numbers first (e.g. pandas.get_dummies).")
        if array.dtype.kind == "f" and np.isnan(array).any():
            raise ValueError(f"GradientDescentStepper(data=...): {where} has {int(np.isnan(array).sum())} "
                             f"missing values (NaN); drop those rows or fill them in first.")
        if np.issubdtype(dtype, np.integer) and array.dtype.kind == "f" and (array != np.round(array)).any():
            raise TypeError(f"GradientDescentStepper(data=...): {where} holds fractions, but placeholder "
                            f"'{tensor.op.name}' is {tensor.dtype.name}")
        arrays.append(array)
    stacked = np.stack(arrays, axis=1) if len(arrays) > 1 or _is_frame(value) else arrays[0]
    return stacked.astype(dtype)


def _fit_shape(array, tensor, what):
    want = tensor.shape.as_list() if tensor.shape.ndims is not None else None
    if want is None:
        return
    fits = array.ndim == len(want) and all(w is None or w == n for w, n in zip(want[1:], array.shape[1:]))
    if fits and array.ndim >= 1:
        return
    shown = "(" + ", ".join("?" if w is None else str(w) for w in want) + ")"
    hint = ""
    if array.ndim == 1 and len(want) == 2 and want[1] == 1:
        hint = " Make it one column: array.reshape(-1, 1), or a DataFrame's df[['name']] (a list of one)."
    elif array.ndim == 2 and len(want) == 1 and array.shape[1] == 1:
        hint = " Make it one-dimensional: array.ravel(), or a DataFrame's df['name']."
    elif array.ndim == len(want) == 2:
        hint = (f" The placeholder takes {want[1]} value(s) per row; the data has {array.shape[1]}: choose "
                f"{want[1]} column(s).")
    raise ValueError(f"GradientDescentStepper(data=...): {what} has shape {array.shape}, but placeholder "
                     f"'{tensor.op.name}' has shape {shown} (the first dimension is the rows).{hint}")


class _Batches:
    """Rows of the data for each step: all of them, or `batch_size` rows of a seeded shuffle."""

    def __init__(self, data, batch_size, seed):
        self.data, self.seed = data, seed
        self.rows = len(next(iter(data.values())))
        self.batch_size = min(batch_size or self.rows, self.rows)
        self.batched = self.batch_size < self.rows
        self.rewind()

    def rewind(self):
        self.rng = np.random.default_rng(self.seed)
        self.order, self.at = np.arange(self.rows), self.rows

    def next(self):
        if not self.batched:
            return dict(self.data)
        if self.at + self.batch_size > self.rows:  # a new epoch: a new shuffle
            self.order, self.at = self.rng.permutation(self.rows), 0
        rows = self.order[self.at:self.at + self.batch_size]
        self.at += self.batch_size
        return {tensor: array[rows] for tensor, array in self.data.items()}


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
