"""Playground: the TensorFlow Playground in a notebook, with an ordinary tfteach graph behind it.

`build_network(...)` is the whole model: placeholders, a "features" scope, one variable scope
per hidden layer ("layer1", ...), an "output" layer, the Playground's loss and an optimizer's
`minimize`, built through the public TF1 API only. `Playground` holds the data, the session and
the training state (epoch, loss curves, the stop message); `step()`, `train()`, `reset()`,
`regenerate()` and `set(...)` are the whole API. The widget (playground_view.py) only calls
them, so a test drives the same code a learner's clicks do. See docs/playground.md.
"""
import contextlib
import numbers

import numpy as np

from . import playground_data as datasets
from .config import PLAYGROUND_CONTROLS, PLAYGROUND_KEYS, check, dump_config, load_config
from .stepper import WIDGET_NOTE

# the Playground's defaults (its src/state.ts)
DEFAULTS = dict(dataset="circle", features=["x1", "x2"], hidden=[4, 2], activation="tanh",
                problem="classification", regularization=None, regularization_rate=0.0,
                learning_rate=0.03, noise=0.0, train_ratio=0.5, batch_size=10)
FEATURES = ("x1", "x2", "x1^2", "x2^2", "x1*x2", "sin_x1", "sin_x2")
ACTIVATIONS = ("relu", "tanh", "sigmoid", "linear")
REGULARIZATIONS = (None, "L1", "L2")
MAX_LAYERS, MAX_NEURONS = 6, 8
# settings that change the graph (the others are fed, or change only the data)
_STRUCTURE = ("features", "hidden", "activation", "problem", "regularization")
_DATA = ("dataset", "noise", "train_ratio")


# ---- the model: a plain function of the settings ---------------------------------------
def build_network(tf, features=("x1", "x2"), hidden=(4, 2), activation="tanh",
                  problem="classification", regularization=None, seed=0):
    """The Playground's network as a TF1 graph, in a new tf.Graph. Returns a dict of its parts.

    `tf` is tfteach (or tensorflow.compat.v1: the code is plain TF1). Weights start uniform in
    [-0.5, 0.5), biases at 0.1, as the Playground's; hidden layers use `activation`, the output
    is tanh (classification, labels ±1) or linear (regression). The loss is the Playground's,
    the mean of ½(output − label)², plus regularization_rate · (Σ|w| for L1, Σ½w² for L2) over
    the weights (not the biases).
    """
    act = {"relu": tf.nn.relu, "tanh": tf.tanh, "sigmoid": tf.sigmoid, "linear": tf.identity}[activation]
    graph = tf.Graph()
    with graph.as_default():
        tf.set_random_seed(seed)
        points = tf.placeholder(tf.float32, [None, 2], name="points")
        labels = tf.placeholder(tf.float32, [None, 1], name="labels")
        learning_rate = tf.placeholder_with_default(0.03, [], name="learning_rate")
        regularization_rate = tf.placeholder_with_default(0.0, [], name="regularization_rate")
        with tf.name_scope("features"):
            x1, x2 = points[:, 0:1], points[:, 1:2]
            make = {"x1": lambda: x1, "x2": lambda: x2, "x1^2": lambda: tf.square(x1),
                    "x2^2": lambda: tf.square(x2), "x1*x2": lambda: x1 * x2,
                    "sin_x1": lambda: tf.sin(x1), "sin_x2": lambda: tf.sin(x2)}
            h = tf.concat([make[f]() for f in features], axis=1)
        layers, weights = [], []
        sizes = list(hidden) + [1]
        for i, width in enumerate(sizes, 1):
            last = i == len(sizes)
            with tf.variable_scope("output" if last else f"layer{i}"):
                w = tf.get_variable("weights", [int(h.shape[1]), width],
                                    initializer=tf.random_uniform_initializer(-0.5, 0.5))
                b = tf.get_variable("bias", [width], initializer=tf.constant_initializer(0.1))
                z = tf.matmul(h, w) + b
                if last:
                    h = tf.tanh(z) if problem == "classification" else tf.identity(z)
                else:
                    h = act(z)
            layers.append(h)
            weights.append((w, b))
        output = h
        with tf.name_scope("loss"):
            loss = tf.reduce_mean(0.5 * tf.square(output - labels))
        total = loss
        if regularization is not None:
            with tf.name_scope("regularization"):
                if regularization == "L1":
                    penalty = tf.add_n([tf.reduce_sum(tf.abs(w)) for w, _ in weights])
                else:
                    penalty = tf.add_n([0.5 * tf.reduce_sum(tf.square(w)) for w, _ in weights])
                total = loss + regularization_rate * penalty
        train_op = tf.train.GradientDescentOptimizer(learning_rate).minimize(total)
        init = tf.global_variables_initializer()
    return dict(graph=graph, points=points, labels=labels, learning_rate=learning_rate,
                regularization_rate=regularization_rate, layers=layers, weights=weights,
                output=output, loss=loss, total_loss=total, train_op=train_op, init=init)


# ---- the state ---------------------------------------------------------------------------
class Playground:
    """The TensorFlow Playground: data, network, training and pictures, state in Python.

    Args (all optional; the Playground's defaults otherwise):
      dataset: "circle", "xor", "gauss", "spiral" (classification), "plane", "multi_gauss"
        (regression).
      features: a list from x1, x2, x1^2, x2^2, x1*x2, sin_x1, sin_x2.
      hidden: neurons per hidden layer, 0 to 6 layers of 1 to 8 (e.g. [4, 2]; [] for none).
      activation: "relu", "tanh", "sigmoid" or "linear" (the hidden layers').
      regularization: None, "L1" or "L2"; regularization_rate: its weight in the loss.
      learning_rate, noise (0 to 0.5), train_ratio (0.1 to 0.9), batch_size (1 to 30).
      problem: "classification" or "regression" (default: the dataset's kind).
      data: the learner's own points: (points, labels) arrays, points (n, 2), or a DataFrame
        with columns x1, x2, label (or as `columns=["a", "b", "y"]` says). Labels ±1 or 0/1
        make a classification, other numbers a regression.
      seed: an integer: the data, the split and the initial weights are the same for everyone.
      max_epochs: Play stops there (an epoch is one pass over the training points).
      config: a teacher's configuration (dict, JSON text or file) with any of these keys and
        `controls` (which controls show); arguments given here win. `export_config()`.

    Example::

        pg = Playground(dataset="spiral", hidden=[8, 8], seed=1)
        pg.train(100)                 # 100 epochs; pg.history["test"][-1] is the test loss
        pg                            # as the last line of a cell: the widget
    """

    def __init__(self, dataset=None, features=None, hidden=None, activation=None, regularization=None,
                 regularization_rate=None, learning_rate=None, problem=None, noise=None,
                 train_ratio=None, batch_size=None, data=None, columns=None, seed=None, max_epochs=None,
                 config=None, controls=None, tf=None):
        if tf is None:
            import tfteach as tf
        self._tf = tf
        setup = load_config(config, PLAYGROUND_KEYS, PLAYGROUND_CONTROLS)
        given = dict(dataset=dataset, features=features, hidden=hidden, activation=activation,
                     regularization=regularization, regularization_rate=regularization_rate,
                     learning_rate=learning_rate, problem=problem, noise=noise, train_ratio=train_ratio,
                     batch_size=batch_size, seed=seed, max_epochs=max_epochs, controls=controls)
        setup.update(check({k: v for k, v in given.items() if v is not None}, "Playground",
                           PLAYGROUND_CONTROLS))
        self.controls = setup.pop("controls", list(PLAYGROUND_CONTROLS))
        self.max_epochs = setup.pop("max_epochs", None)
        self.seed = setup.pop("seed", None)
        if self.seed is None:  # a seed all the same, so `pg.seed` can be pinned afterwards
            self.seed = int(np.random.default_rng().integers(0, 10_000))
        self.settings = dict(DEFAULTS)
        if "dataset" in setup and "problem" not in setup:
            setup["problem"] = _kind(setup["dataset"])
        self.settings.update(_checked(setup))
        self.generation = 0           # Regenerate's count: new points from the same seed
        self.own_data = _own_data(data, columns) if data is not None else None
        if self.own_data is not None:
            self.settings["dataset"] = "own"
            if problem is None and "problem" not in setup:
                self.settings["problem"] = self.own_data[2]
        self._muted = False
        self._listeners = []          # functions called after every change (the widget's refresh)
        self._view = None
        self._make_data()
        self._build()

    # ---- data ----------------------------------------------------------------------------
    def _make_data(self):
        s = self.settings
        if self.own_data is not None:
            points, labels = self.own_data[0], self.own_data[1]
        else:
            points, labels = datasets.make(s["dataset"], s["noise"], [self.seed, self.generation])
        (self.train_points, self.train_labels), (self.test_points, self.test_labels) = datasets.split(
            points, labels, s["train_ratio"], self.seed + self.generation)
        reach = max(6.0, float(np.abs(points).max()) * 1.05) if len(points) else 6.0
        self.domain = (-6.0, 6.0) if self.own_data is None else (-reach, reach)

    def regenerate(self):
        """New points (the next generation of the seed's data); the network is reset."""
        self.generation += 1
        self._make_data()
        self.reset()

    # ---- the network ---------------------------------------------------------------------
    def _build(self):
        s = self.settings
        self.net = build_network(self._tf, s["features"], s["hidden"], s["activation"], s["problem"],
                                 s["regularization"], seed=self.seed)
        self.graph = self.net["graph"]
        if getattr(self, "session", None) is not None:
            self.session.close()
        self.session = self._tf.Session(graph=self.graph)
        self.session.run(self.net["init"])
        self.variables = [v for pair in self.net["weights"] for v in pair]
        self._start = self.session.run(self.variables)
        self._clear()

    def _clear(self):
        self.epoch = 0
        self.steps = 0                # batches trained on, in all
        self._at = 0                  # the next batch's first row in the training points
        self.stopped = None           # the NaN/inf message, or the cap reached
        self.history = {"train": [], "test": []}
        self._record()

    def reset(self):
        """Weights back to their values at the start; epoch 0, curves cleared."""
        for v, value in zip(self.variables, self._start):
            v.load(value, self.session)
        self._clear()
        self._changed()

    def set(self, **settings):
        """Change settings (any constructor argument but data and config). A change to the
        features, layers, activation, problem or regularization builds a new network; to the
        data set, noise or split makes new data; both start over at epoch 0."""
        unknown = sorted(set(settings) - set(DEFAULTS) - {"seed", "max_epochs"})
        if unknown:
            raise ValueError(f"Playground.set: unknown setting(s) {unknown}; the settings are "
                             f"{sorted(DEFAULTS) + ['max_epochs', 'seed']}")
        if "max_epochs" in settings:
            value = settings.pop("max_epochs")
            self.max_epochs = None if value is None else check({"max_epochs": value}, "Playground")["max_epochs"]
        if "dataset" in settings and "problem" not in settings:
            settings["problem"] = _kind(settings["dataset"])
        reseed = "seed" in settings and settings["seed"] != self.seed
        if "seed" in settings:
            self.seed = check({"seed": settings.pop("seed")}, "Playground")["seed"]
        new = dict(self.settings)
        new.update(_checked(settings))
        changed = {k for k in new if new[k] != self.settings[k]}
        if "dataset" in changed and self.own_data is not None:
            self.own_data = None
        self.settings = new
        if reseed or changed & set(_DATA) or "problem" in changed:
            self._make_data()
        if reseed or changed & set(_STRUCTURE):
            self._build()
            self._changed()
        elif changed & set(_DATA) or "batch_size" in changed:
            self.reset()
        else:
            self._changed()

    # ---- training ------------------------------------------------------------------------
    def _feeds(self, points, labels):
        n = self.net
        return {n["points"]: points.astype(np.float32), n["labels"]: labels.reshape(-1, 1).astype(np.float32),
                n["learning_rate"]: np.float32(self.settings["learning_rate"]),
                n["regularization_rate"]: np.float32(self.settings["regularization_rate"])}

    def next_batch(self):
        """The feed dict of the next training batch (the Playground's fixed order, batch after batch)."""
        size = self.settings["batch_size"]
        rows = slice(self._at, self._at + size)
        return self._feeds(self.train_points[rows], self.train_labels[rows])

    def train_step(self):
        """One batch: one `sess.run(train_op, feed_dict=batch)`. An epoch ends after the last batch."""
        self.session.run(self.net["train_op"], self.next_batch())
        self._advance()

    def _advance(self):
        self.steps += 1
        self._at += self.settings["batch_size"]
        if self._at >= len(self.train_points):
            self._at = 0
            self.epoch += 1
            self._record()

    def step(self):
        """One epoch (what the Playground's Step button does), unless stopped."""
        self.train(1)

    def train(self, epochs=1):
        """Train up to `epochs` epochs; stops early at max_epochs or when a loss is NaN/inf."""
        with np.errstate(all="ignore"):
            for _ in range(int(epochs)):
                if self.stopped or (self.max_epochs is not None and self.epoch >= self.max_epochs):
                    break
                start = self.epoch
                while self.epoch == start:
                    self.train_step()
                if self.stopped:
                    break
        if self.max_epochs is not None and self.epoch >= self.max_epochs and not self.stopped:
            self.stopped = f"Stopped at epoch {self.epoch}: the cap max_epochs = {self.max_epochs}."
        self._changed()

    def _record(self):
        feeds = [self._feeds(self.train_points, self.train_labels),
                 self._feeds(self.test_points, self.test_labels)]
        with np.errstate(all="ignore"):
            losses = [float(self.session.run(self.net["loss"], f)) if len(f[self.net["points"]]) else
                      float("nan") for f in feeds]
        self.history["train"].append(losses[0])
        self.history["test"].append(losses[1] if len(self.test_points) else losses[0])
        self._check_finite(losses[0])

    def _check_finite(self, loss):
        if np.isfinite(loss):
            values = self.session.run(self.variables)
            bad = [(v, x) for v, x in zip(self.variables, values) if not np.all(np.isfinite(x))]
            if not bad:
                return
            what = f"the weights '{bad[0][0].op.name}'"
        else:
            what = f"the training loss ({loss})"
        rate = self.settings["learning_rate"]
        self.stopped = (f"Stopped at epoch {self.epoch}: {what} became NaN or infinite. Training "
                        f"diverged: the learning rate {rate:.3g} is too large for this network; try "
                        f"{rate / 10:.3g}, then press Reset.")

    # ---- reading the state -------------------------------------------------------------
    def weights(self):
        """{variable name: array}, e.g. {'layer1/weights': ..., 'layer1/bias': ..., ...}."""
        return {v.op.name: value for v, value in zip(self.variables, self.session.run(self.variables))}

    def predict(self, points):
        """The network's output at (n, 2) points."""
        feed = {self.net["points"]: np.asarray(points, np.float32).reshape(-1, 2)}
        return self.session.run(self.net["output"], feed).ravel()

    def grid(self, density=50):
        """(xs, every layer's outputs on a density × density grid over the domain), one run.
        Row 0 is the top (largest x2), as a picture; layer k is (density, density, neurons)."""
        lo, hi = self.domain
        xs = np.linspace(lo, hi, density)
        x1, x2 = np.meshgrid(xs, xs[::-1])
        feed = {self.net["points"]: np.stack([x1.ravel(), x2.ravel()], axis=1).astype(np.float32)}
        with np.errstate(all="ignore"):
            outs = self.session.run(self.net["layers"], feed)
        return xs, [o.reshape(density, density, -1) for o in outs]

    def accuracy(self, which="test"):
        """Classification: the fraction of points on the right side of 0."""
        points, labels = ((self.test_points, self.test_labels) if which == "test"
                          else (self.train_points, self.train_labels))
        return float(np.mean(np.sign(self.predict(points)) == labels))

    def neurons(self):
        """The neurons' names, layer by layer: ['layer1/0', 'layer1/1', ..., 'output/0']."""
        names = []
        for w, _ in self.net["weights"]:
            scope = w.op.name.rsplit("/", 1)[0]
            names += [f"{scope}/{j}" for j in range(int(w.shape[1]))]
        return names

    def formula(self, neuron):
        """A neuron's formula with its current weights, e.g. 'layer1/0 = tanh(0.21·x1 − 0.4·x2 + 0.1)'."""
        scope, _, index = str(neuron).rpartition("/")
        layers = [w.op.name.rsplit("/", 1)[0] for w, _ in self.net["weights"]]
        if scope not in layers or not index.isdigit():
            raise ValueError(f"Playground.formula: no neuron {neuron!r}; the neurons are {self.neurons()}")
        width = int(self.net["weights"][layers.index(scope)][0].shape[1])
        if int(index) >= width:
            raise ValueError(f"Playground.formula: layer {scope} has {width} neurons (0 to {width - 1}), "
                             f"got {index}")
        return self.formulas()[str(neuron)]

    def formulas(self):
        """{neuron: its formula with the current weights}, from one run."""
        values = self.session.run(self.net["weights"])
        layers = [w.op.name.rsplit("/", 1)[0] for w, _ in self.net["weights"]]
        result = {}
        for k, (wv, bv) in enumerate(values):
            inputs = (list(self.settings["features"]) if k == 0
                      else [f"{layers[k - 1]}/{i}" for i in range(wv.shape[0])])
            if layers[k] == "output":
                act = "tanh" if self.settings["problem"] == "classification" else ""
            else:
                act = {"linear": ""}.get(self.settings["activation"], self.settings["activation"])
            for j in range(wv.shape[1]):
                terms = " ".join(f"{'−' if c < 0 else '+'} {abs(c):.3g}·{name}"
                                 for c, name in zip(wv[:, j], inputs))
                terms = terms[2:] if terms.startswith("+ ") else "−" + terms[2:]
                body = f"{terms} {'−' if bv[j] < 0 else '+'} {abs(bv[j]):.3g}"
                name = f"{layers[k]}/{j}"
                result[name] = f"{name} = {act}({body})" if act else f"{name} = {body}"
        return result

    def picture(self, size=300, density=60):
        """The output over the domain as a heatmap with the points (train: white ring, test:
        black ring), as the widget draws it: the last expression of a cell shows it."""
        from . import playground_draw as draw
        _, layers = self.grid(density)
        scale = (max(1.0, float(np.abs(self.train_labels).max()))
                 if self.settings["problem"] == "regression" else 1.0)
        image = draw.boundary(layers[-1][:, :, 0], self.domain, train=(self.train_points, self.train_labels),
                              test=(self.test_points, self.test_labels), size=size, scale=scale)
        return draw.Picture(draw.png(image), f"Playground picture: {self.settings['dataset']}")

    # ---- the graph, drawn and replayed -----------------------------------------------------
    def show_graph(self, what=None, **options):
        """The drawing of the network's graph (tfteach.display.show_graph), or of the part that
        `what` needs: `pg.show_graph(pg.net["loss"])` is the model and its loss, no training."""
        from ..display import show_graph
        return show_graph(self.graph if what is None else what, **options)

    def replay(self, **options):
        """Replay one training step (the next batch) op by op: tfteach.widgets.replay. The step
        is real: it counts as one batch of the current epoch."""
        from .replay import replay
        options.setdefault("group", "scope")
        r = replay(self.net["train_op"], session=self.session, feed_dict=self.next_batch(), **options)
        self._advance()
        self._changed()
        return r

    # ---- the classroom configuration ------------------------------------------------------
    @property
    def config(self):
        c = {"controls": list(self.controls), "seed": self.seed, "max_epochs": self.max_epochs}
        c.update(self.settings)
        if self.own_data is not None:
            c.pop("dataset")
        return c

    def export_config(self):
        """The configuration as JSON text: `Playground(config=text)` gives the same widget."""
        return dump_config(self.config, "Playground", PLAYGROUND_KEYS)

    # ---- the widget ------------------------------------------------------------------------
    def _changed(self):
        if not self._muted:
            for listener in list(self._listeners):
                listener()

    @contextlib.contextmanager
    def _quiet_listeners(self):
        """No refresh inside (a Play tick trains several epochs, then draws once)."""
        self._muted = True
        try:
            yield
        finally:
            self._muted = False

    @property
    def widget(self):
        if self._view is None:
            from .playground_view import PlaygroundView
            self._view = PlaygroundView(self)
        return self._view

    def _repr_mimebundle_(self, include=None, exclude=None, **kwargs):
        try:
            widget = self.widget
        except ImportError as e:
            return {"text/plain": f"{repr(self)}\n(no widget here: {e})"}
        bundle = dict(widget.box._repr_mimebundle_(include=include, exclude=exclude, **kwargs) or {})
        bundle["text/plain"] = f"{repr(self)}\n{WIDGET_NOTE}"
        return bundle

    def __repr__(self):
        s = self.settings
        shape = "-".join(map(str, [len(s["features"])] + list(s["hidden"]) + [1]))
        loss = self.history
        text = (f"<Playground {s['dataset']} {shape} {s['activation']} η={s['learning_rate']:g} "
                f"epoch={self.epoch} train loss={loss['train'][-1]:.3f} test loss={loss['test'][-1]:.3f} "
                f"seed={self.seed}>")
        return text + (f"\n{self.stopped}" if self.stopped else "")


# ---- checking settings and own data --------------------------------------------------------
def _kind(dataset):
    if dataset not in datasets.DATASETS:
        raise ValueError(f"Playground: unknown dataset {dataset!r}; the datasets are "
                         f"{list(datasets.DATASETS)}")
    return "classification" if dataset in datasets.CLASSIFICATION else "regression"


def _checked(s):
    """Settings checked one by one; the error names the setting and the value received."""
    s = dict(s)
    if "dataset" in s:
        _kind(s["dataset"])
    if "features" in s:
        feats = [s["features"]] if isinstance(s["features"], str) else list(s["features"])
        bad = [f for f in feats if f not in FEATURES]
        if bad or not feats:
            raise ValueError(f"Playground: features must be a non-empty list from {list(FEATURES)}, got "
                             f"{s['features']!r}")
        s["features"] = [f for f in FEATURES if f in feats]
    if "hidden" in s:
        hidden = [s["hidden"]] if isinstance(s["hidden"], numbers.Integral) else list(s["hidden"])
        if len(hidden) > MAX_LAYERS or any(isinstance(n, bool) or not isinstance(n, numbers.Integral)
                                           or not 1 <= n <= MAX_NEURONS for n in hidden):
            raise ValueError(f"Playground: hidden must list 0 to {MAX_LAYERS} layers of 1 to {MAX_NEURONS} "
                             f"neurons, got {s['hidden']!r}")
        s["hidden"] = [int(n) for n in hidden]
    choices = {"activation": ACTIVATIONS, "regularization": REGULARIZATIONS,
               "problem": ("classification", "regression")}
    for key, allowed in choices.items():
        if key in s and s[key] not in allowed:
            raise ValueError(f"Playground: {key} must be one of {list(allowed)}, got {s[key]!r}")
    ranges = {"learning_rate": (1e-6, 10.0), "regularization_rate": (0.0, 10.0), "noise": (0.0, 0.5),
              "train_ratio": (0.1, 0.9)}
    for key, (low, high) in ranges.items():
        if key in s:
            value = float(s[key])
            if not low <= value <= high:
                raise ValueError(f"Playground: {key} must be between {low:g} and {high:g}, got {s[key]!r}")
            s[key] = value
    if "batch_size" in s:
        s["batch_size"] = check({"batch_size": s["batch_size"]}, "Playground")["batch_size"]
    return s


def _own_data(data, columns):
    """(points (n, 2), labels (n,), problem) from arrays or a DataFrame."""
    if hasattr(data, "columns") and hasattr(data, "to_numpy"):
        names = list(columns) if columns is not None else ["x1", "x2", "label"]
        missing = [c for c in names if c not in data.columns]
        if len(names) != 3 or missing:
            raise ValueError(f"Playground(data=DataFrame): needs columns {names} (two coordinates and "
                             f"the label; say which with columns=['a', 'b', 'y']); the DataFrame has "
                             f"{[str(c) for c in data.columns]}")
        points, labels = data[names[:2]].to_numpy(), data[names[2]].to_numpy()
    elif isinstance(data, (tuple, list)) and len(data) == 2:
        points, labels = np.asarray(data[0]), np.asarray(data[1])
    else:
        raise TypeError(f"Playground: data must be (points, labels) or a DataFrame, got {type(data).__name__}")
    if points.dtype.kind not in "biuf" or labels.dtype.kind not in "biuf":
        raise TypeError(f"Playground(data=...): points and labels must be numbers, got {points.dtype} and "
                        f"{labels.dtype}")
    points, labels = points.astype(np.float64), labels.astype(np.float64).ravel()
    if points.ndim != 2 or points.shape[1] != 2 or len(labels) != len(points) or len(points) < 2:
        raise ValueError(f"Playground(data=...): points must have shape (n, 2) and labels (n,), got "
                         f"{points.shape} and {labels.shape}")
    if not (np.isfinite(points).all() and np.isfinite(labels).all()):
        raise ValueError("Playground(data=...): the data has NaN or infinite values; drop or fill them first")
    values = set(np.unique(labels).tolist())
    if values <= {0.0, 1.0}:
        labels = 2 * labels - 1    # 0/1 classes: the tanh output aims at -1 and +1
        values = set(np.unique(labels).tolist())
    problem = "classification" if values <= {-1.0, 1.0} else "regression"
    return points, labels, problem


__all__ = ["Playground", "build_network"]
