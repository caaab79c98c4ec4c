"""keras.models.Sequential: a stack of layers, compiled into a loss and a training op, fit in batches.

Mirrors tf.keras's Sequential in TF1 graph mode. The layers are built in the default graph as soon
as the input shape is known, so `tf.get_default_graph()` draws them (one box per layer); `compile`
adds the `loss`, `metrics` and `training` parts; `fit` runs the training op in the model's own
session (`model.session`), whose variables it initializes itself.
"""
import numpy as np

from .. import layers as tf_layers
from ..graph import get_default_graph
from ..ops.constant import placeholder
from ..ops.reduce import reduce_mean
from ..session import Session
from ..variables import variables_initializer
from . import backend, callbacks as callbacks_mod, losses, metrics as metrics_mod, optimizers


def _fmt(shape):
    """(None, 1000), as Keras prints shapes."""
    return "(" + ", ".join(str(d) for d in shape) + ("," if len(shape) == 1 else "") + ")"


def _compatible(expected, got):
    return len(expected) == len(got) and all(e is None or g is None or e == g for e, g in zip(expected, got))


class Sequential:
    """A linear stack of layers: `model.add(Dense(10, input_dim=4))`, then compile, fit, predict.

    Example (Keras 1 spelling, as in old notebooks):
        model = Sequential()
        model.add(Dense(input_dim=1000, output_dim=100))
        model.add(Activation('relu'))
        model.compile(loss='mean_squared_error', optimizer=SGD(lr=1.0))
        history = model.fit(x, y, nb_epoch=50, batch_size=64, verbose=0)
    """

    def __init__(self, layers=None, name=None):
        self.graph = get_default_graph()
        self.name = name or "sequential"
        self.layers = []
        self.inputs = self.outputs = None  # the input placeholder and the last layer's output
        self.optimizer = self.loss = None
        self.metrics_names = ["loss"]
        self._compiled = None   # (loss function, metric identifiers) from compile
        self._train = None      # the training graph: targets, loss, metrics, train op, tf optimizer
        self._session = None
        self._initialized = set()  # names of the variables the session has initialized
        for layer in layers or ():
            self.add(layer)

    # ---- building ---------------------------------------------------------------------------
    def add(self, layer):
        """Append a layer; it is built at once when the model's input shape is known."""
        if not isinstance(layer, tf_layers.Layer):
            raise TypeError(f"Sequential.add expects a layer such as Dense(10), got {layer!r}")
        self.layers.append(layer)
        if self.outputs is not None:
            self.outputs = self._call(len(self.layers) - 1, self.outputs)
            self._train = None  # the loss must now follow the new last layer
        elif len(self.layers) == 1 and getattr(layer, "batch_input_shape", None) is not None:
            self.build(layer.batch_input_shape)

    def build(self, input_shape=None):
        """Build every layer on an input placeholder of `input_shape`, e.g. (None, 1000).

        Automatic when the first layer was given `input_dim`/`input_shape`, or at the first fit.
        """
        if self.outputs is not None:
            return
        if not self.layers:
            raise ValueError("Sequential.build: the model has no layers; add some with model.add(...)")
        first = self.layers[0]
        input_shape = input_shape or getattr(first, "batch_input_shape", None)
        if input_shape is None:
            raise ValueError("Sequential.build needs an input shape: give the first layer input_dim= or "
                             "input_shape=, or call build((None, features)) or fit(x, y)")
        with self.graph.as_default():
            self.inputs = placeholder(first.dtype or "float32", shape=(None,) + tuple(input_shape[1:]),
                                      name=f"{first._given_name or first._base_name}_input")
            x = self.inputs
            for i in range(len(self.layers)):
                x = self._call(i, x)
            self.outputs = x
        if self._compiled is not None:
            self._build_training()

    def _call(self, i, x):
        """Build layer i on tensor x, first checking x against the input shape the layer declares."""
        layer = self.layers[i]
        declared = getattr(layer, "batch_input_shape", None)
        got = tuple(x.shape.as_list())
        if i > 0 and declared is not None and not _compatible(declared[1:], got[1:]):
            given = f" '{layer._given_name}'" if layer._given_name else ""
            raise ValueError(f"{type(layer).__name__} layer{given} (layer {i + 1} of the model) was declared with "
                             f"input shape {_fmt(declared)}, but the layer before it, '{self.layers[i - 1].name}', "
                             f"outputs {_fmt(got)}")
        with self.graph.as_default():
            if isinstance(layer, tf_layers.Dropout):
                return layer(x, training=backend.learning_phase())
            return layer(x)

    @property
    def built(self):
        return self.outputs is not None

    input = property(lambda self: self.inputs)
    output = property(lambda self: self.outputs)
    input_shape = property(lambda self: tuple(self._built().inputs.shape.as_list()))
    output_shape = property(lambda self: tuple(self._built().outputs.shape.as_list()))

    @property
    def weights(self):
        """The variables of every layer, in order: [dense/kernel, dense/bias, dense_1/kernel, ...]."""
        return [v for layer in self.layers for v in layer.weights]

    trainable_weights = weights

    def count_params(self):
        return sum(v.get_shape().num_elements() for v in self._built().weights)

    def _built(self):
        if self.outputs is None:
            raise ValueError("This model has not yet been built: give the first layer an input shape "
                             "(input_dim= or input_shape=), or call build() or fit() with some data.")
        return self

    # ---- compile --------------------------------------------------------------------------------
    def compile(self, optimizer="rmsprop", loss=None, metrics=None, **kwargs):
        """Choose the loss, the optimizer and the metrics; adds the loss and training ops.

        Args:
            optimizer: 'sgd', 'adam', 'rmsprop', or an optimizer object such as SGD(lr=0.1).
            loss: 'mean_squared_error', 'categorical_crossentropy' (one-hot targets),
                'sparse_categorical_crossentropy' (class numbers), 'binary_crossentropy',
                'mean_absolute_error', or a function (y_true, y_pred) -> loss per sample.
            metrics: e.g. ['accuracy'], reported by fit and evaluate next to the loss.
        """
        if kwargs:
            raise TypeError(f"compile() got unexpected keyword arguments: {', '.join(sorted(kwargs))}")
        if loss is None:
            raise ValueError("compile needs a loss, e.g. model.compile(loss='mean_squared_error', optimizer='sgd')")
        self.optimizer, self.loss = optimizers.get(optimizer), loss
        metrics = list(metrics or [])
        self.metrics_names = ["loss"] + [m if isinstance(m, str) else m.__name__ for m in metrics]
        self._compiled = (losses.get(loss), metrics)
        self._train = None
        if self.outputs is not None:
            self._build_training()

    def _build_training(self):
        loss_fn, metric_ids = self._compiled
        out = self.outputs
        with self.graph.as_default():
            graph = self.graph
            target_name = f"{self.layers[-1].name}_target"
            if loss_fn is losses.sparse_categorical_crossentropy:  # class numbers, one per sample
                targets = placeholder("int32", shape=(None,), name=target_name)
            else:
                targets = placeholder(out.dtype.base_dtype, shape=out.shape, name=target_name)
            with graph.name_scope("loss"):
                total = reduce_mean(loss_fn(targets, out))
            values = []
            with graph.name_scope("metrics"):
                for name, m in zip(self.metrics_names[1:], metric_ids):
                    with graph.name_scope(name):
                        values.append(reduce_mean(metrics_mod.get(m, loss_fn, out.shape.as_list())(targets, out)))
            with graph.name_scope("training"):
                keras_opt = self.optimizer if isinstance(self.optimizer, optimizers.Optimizer) else None
                tf_opt = keras_opt.make() if keras_opt else self.optimizer
                step = keras_opt.iterations if keras_opt else None
                train_op = tf_opt.minimize(total, var_list=self.trainable_weights, global_step=step)
            extra = [step] if step is not None else []
        self._train = {"targets": targets, "loss": total, "metrics": values, "op": train_op,
                       "variables": extra + tf_opt.variables()}

    def _training_graph(self):
        if self._compiled is None:
            raise RuntimeError("You must compile your model before training or evaluating it: "
                               "model.compile(loss='mean_squared_error', optimizer='sgd')")
        if self._train is None:
            self._build_training()
        return self._train

    # ---- the session ------------------------------------------------------------------------------
    @property
    def session(self):
        """The model's Session, with every model and optimizer variable initialized."""
        if self._session is None:
            self._session = Session(graph=self.graph)
        variables = self.weights + (self._train["variables"] if self._train else [])
        new = [v for v in variables if v.name not in self._initialized]
        if new:
            with self.graph.as_default():
                self._session.run(variables_initializer(new))
            self._initialized.update(v.name for v in new)
        return self._session

    def get_weights(self):
        """The weights as numpy arrays, in the order of `model.weights`."""
        return self.session.run(self._built().weights)

    def set_weights(self, weights):
        """Load numpy arrays into the weights (same order and shapes as get_weights())."""
        variables = self._built().weights
        if len(weights) != len(variables):
            raise ValueError(f"set_weights: the model has {len(variables)} weights, got a list of {len(weights)}")
        session = self.session
        for v, value in zip(variables, weights):
            value = np.asarray(value)
            if tuple(v.get_shape().as_list()) != value.shape:
                raise ValueError(f"set_weights: weight '{v.name}' has shape {_fmt(v.get_shape().as_list())}, "
                                 f"got an array of shape {_fmt(value.shape)}")
            v.load(value, session)

    # ---- data checks ----------------------------------------------------------------------------
    def _inputs(self, x, what):
        x = _as_array(x, f"{what}: x")
        if self.outputs is None:
            self.build((None,) + x.shape[1:])
        expected = self.inputs.shape.as_list()
        if not _compatible(expected, x.shape):
            first = self.layers[0]
            raise ValueError(f"{what}: the first layer '{first.name}' ({type(first).__name__}) expects input of "
                             f"shape {_fmt(expected)}, got an array of shape {_fmt(x.shape)}")
        return x.astype(self.inputs.dtype.as_numpy_dtype, copy=False)

    def _targets(self, y, n, what):
        y = _as_array(y, f"{what}: y")
        targets = self._train["targets"]
        last = self.layers[-1]
        if targets.dtype.is_integer:
            if y.ndim == 2 and y.shape[1] == 1:
                y = y[:, 0]
            if y.ndim != 1:
                raise ValueError(f"{what}: loss 'sparse_categorical_crossentropy' expects class numbers, shape (n,), "
                                 f"got targets of shape {_fmt(y.shape)}; one-hot targets go with "
                                 f"loss='categorical_crossentropy'")
        elif not _compatible(targets.shape.as_list(), y.shape):
            hint = ""
            if y.ndim == 1 and self.outputs.shape.ndims == 2:
                hint = ("; for class numbers use loss='sparse_categorical_crossentropy', or one-hot encode them "
                        "with tfteach.keras.utils.to_categorical(y)")
            raise ValueError(f"{what}: the last layer '{last.name}' ({type(last).__name__}) outputs "
                             f"{_fmt(self.outputs.shape.as_list())}, but the targets have shape {_fmt(y.shape)}"
                             f"{hint}")
        if len(y) != n:
            raise ValueError(f"{what}: x has {n} samples but y has {len(y)}")
        return y.astype(targets.dtype.as_numpy_dtype, copy=False)

    # ---- fit / evaluate / predict --------------------------------------------------------------
    def fit(self, x=None, y=None, batch_size=None, epochs=1, verbose=1, callbacks=None, validation_split=0.0,
            validation_data=None, shuffle=True, initial_epoch=0, nb_epoch=None):
        """Train for `epochs` passes over (x, y) in shuffled batches; returns a History.

        Args:
            batch_size: samples per training step (default 32).
            epochs: passes over the data (Keras 1: nb_epoch).
            verbose: 0 silent, 1 a progress bar (a widget in a notebook), 2 one line per epoch.
            validation_data: (x_val, y_val) evaluated after each epoch (`val_loss`, ...);
                or validation_split: the fraction of samples, taken from the end, to hold out.
            shuffle: reshuffle the samples every epoch (numpy's global RNG, so np.random.seed
                makes it repeatable).
        Returns:
            History: history.history['loss'] has one value per epoch.
        """
        if callbacks:
            raise NotImplementedError("fit: callbacks are not implemented in tfteach; read history.history "
                                      "after fit, or call fit once per epoch")
        epochs = epochs if nb_epoch is None else nb_epoch
        batch_size = batch_size or 32
        x = self._inputs(x, "fit")
        train = self._training_graph()
        y = self._targets(y, len(x), "fit")
        if validation_data is None and validation_split:
            split = int(len(x) * (1 - validation_split))
            x, y, validation_data = x[:split], y[:split], (x[split:], y[split:])
        if validation_data is not None:
            vx = self._inputs(validation_data[0], "fit (validation_data)")
            validation_data = (vx, self._targets(validation_data[1], len(vx), "fit (validation_data)"))
        session, n = self.session, len(x)
        fetches = [train["op"], train["loss"]] + train["metrics"]
        phase = self.graph.get_collection("keras_learning_phase")
        history = callbacks_mod.History(self, {"epochs": epochs, "batch_size": batch_size, "samples": n,
                                               "verbose": verbose})
        bar = callbacks_mod.ProgressBar(epochs, n, verbose)
        for epoch in range(initial_epoch, epochs):
            bar.epoch_begin(epoch)
            order = np.random.permutation(n) if shuffle else np.arange(n)
            sums, seen = np.zeros(len(fetches) - 1), 0
            for start in range(0, n, batch_size):
                batch = order[start:start + batch_size]
                feed = {self.inputs: x[batch], train["targets"]: y[batch]}
                if phase:
                    feed[phase[0]] = True
                sums += np.array(session.run(fetches, feed)[1:], dtype=np.float64) * len(batch)
                seen += len(batch)
                bar.batch_end(seen, self._logs(sums / seen))
            logs = self._logs(sums / max(n, 1))
            if validation_data is not None:
                values = self._evaluate(*validation_data, batch_size)
                logs.update({"val_" + k: v for k, v in zip(self.metrics_names, values)})
            bar.epoch_end(epoch, logs)
            history.record(epoch, logs)
        return history

    def _logs(self, values):
        return {name: float(v) for name, v in zip(self.metrics_names, values)}

    def _evaluate(self, x, y, batch_size):
        train = self._train
        fetches = [train["loss"]] + train["metrics"]
        sums = np.zeros(len(fetches))
        for start in range(0, len(x), batch_size):
            feed = {self.inputs: x[start:start + batch_size], train["targets"]: y[start:start + batch_size]}
            sums += np.array(self.session.run(fetches, feed), dtype=np.float64) * len(feed[self.inputs])
        return [float(s) for s in sums / max(len(x), 1)]

    def evaluate(self, x=None, y=None, batch_size=None, verbose=0):
        """The loss on (x, y), or [loss, metric, ...] when compiled with metrics (see metrics_names)."""
        x = self._inputs(x, "evaluate")
        self._training_graph()
        values = self._evaluate(x, self._targets(y, len(x), "evaluate"), batch_size or 32)
        return values[0] if len(values) == 1 else values

    def predict(self, x, batch_size=None, verbose=0):
        """The model's outputs for x, as one numpy array (computed in batches, Dropout off)."""
        x = self._inputs(x, "predict")
        batch_size = batch_size or 32
        parts = [self.session.run(self.outputs, {self.inputs: x[i:i + batch_size]})
                 for i in range(0, len(x), batch_size)]
        return np.concatenate(parts) if parts else np.zeros((0,) + tuple(self.output_shape[1:]), np.float32)

    def predict_classes(self, x, batch_size=None, verbose=0):
        """The class of each sample: the largest output, or output > 0.5 for a single one."""
        p = self.predict(x, batch_size)
        return p.argmax(axis=-1) if p.shape[-1] > 1 else (p > 0.5).astype("int32")

    # ---- summary --------------------------------------------------------------------------------
    def summary(self, line_length=65, positions=(0.45, 0.85, 1.0), print_fn=None):
        """Print Keras' table of layers, output shapes and parameter counts."""
        print_fn = print_fn or print
        self._built()
        stops = [int(line_length * p) if p <= 1 else int(p) for p in positions]

        def row(fields):
            line = ""
            for field, stop in zip(fields, stops):
                line = (line + str(field))[:stop]
                line += " " * (stop - len(line))
            print_fn(line.rstrip())

        print_fn(f'Model: "{self.name}"')
        print_fn("_" * line_length)
        row(["Layer (type)", "Output Shape", "Param #"])
        print_fn("=" * line_length)
        for i, layer in enumerate(self.layers):
            row([f"{layer.name} ({type(layer).__name__})", _fmt(layer.output_shape), layer.count_params()])
            print_fn("=" * line_length if i == len(self.layers) - 1 else "_" * line_length)
        total = self.count_params()
        print_fn(f"Total params: {total:,}")
        print_fn(f"Trainable params: {total:,}")
        print_fn("Non-trainable params: 0")
        print_fn("_" * line_length)

    def __repr__(self):
        if self.outputs is None:
            return f"<Sequential '{self.name}': {len(self.layers)} layers, not built yet>"
        return f"<Sequential '{self.name}': {len(self.layers)} layers, {self.count_params():,} parameters>"


def _as_array(data, what):
    """A learner's data as a numpy array: an array, nested lists, or a pandas DataFrame or Series
    (anything with `.to_numpy()`; pandas itself is not needed). A column that does not hold
    numbers is named in the error."""
    columns = getattr(data, "columns", None)
    if columns is not None and hasattr(data, "to_numpy"):
        for name in columns:
            kind = np.asarray(data[name].to_numpy()).dtype.kind
            if kind not in "biuf":
                raise ValueError(f"{what}: column '{name}' holds {data[name].dtype} values, not numbers "
                                 f"(categories: one column per category, e.g. pandas.get_dummies)")
    array = np.asarray(data.to_numpy() if hasattr(data, "to_numpy") else data)
    if array.dtype.kind not in "biuf":
        raise ValueError(f"{what}: expected numbers, got an array of {array.dtype} with shape "
                         f"{_fmt(array.shape)}")
    return array
