"""tfteach.keras: seed 001's Keras cell, compile/fit/evaluate/predict, summary, progress, errors."""
import io

import numpy as np
import pytest

import tfteach as tf
from tfteach.keras import callbacks, utils
from tfteach.keras.layers import Conv2D, Dense, Dropout, Flatten, MaxPooling2D
from tfteach.keras.layers.core import Activation
from tfteach.keras.models import Sequential
from tfteach.keras.optimizers import SGD, Adam


@pytest.fixture(autouse=True)
def _fresh_graph():
    tf.reset_default_graph()
    tf.set_random_seed(0)
    np.random.seed(0)


def seed001_model():
    """Seed 001's last cell, with tfteach imports (the fit is left to the tests)."""
    N, D, H = 64, 1000, 100
    model = Sequential()
    model.add(Dense(input_dim=D, output_dim=H))
    model.add(Activation('relu'))
    model.add(Dense(input_dim=H, output_dim=D))
    optimizer = SGD(lr=1e0)
    model.compile(loss='mean_squared_error', optimizer=optimizer)
    return model


def blobs(n=120, seed=0):
    """Three well separated 2-D clusters: class numbers and points."""
    rng = np.random.RandomState(seed)
    labels = rng.randint(0, 3, n)
    centers = np.array([[2.0, 0.0], [-2.0, 2.0], [0.0, -2.5]])
    return centers[labels] + 0.4 * rng.randn(n, 2), labels


def summary_text(model):
    lines = []
    model.summary(print_fn=lines.append)
    return "\n".join(lines)


# ---- seed 001 ----------------------------------------------------------------------------------
def test_seed001_keras_cell_runs_and_loss_goes_down():
    model = seed001_model()
    N, D = 64, 1000
    x = np.random.randn(N, D)
    y = np.random.randn(N, D)
    history = model.fit(x, y, nb_epoch=50, batch_size=N, verbose=0)
    losses = history.history['loss']
    assert len(losses) == 50 and history.epoch == list(range(50))
    assert losses[-1] < 0.8 * losses[0]
    assert all(b < a for a, b in zip(losses, losses[1:]))  # one full batch per epoch: always down
    assert model.evaluate(x, y) < losses[-1]  # evaluated after the last update


def test_seed001_summary():
    assert summary_text(seed001_model()) == """\
Model: "sequential"
_________________________________________________________________
Layer (type)                 Output Shape              Param #
=================================================================
dense (Dense)                (None, 100)               100100
_________________________________________________________________
activation (Activation)      (None, 100)               0
_________________________________________________________________
dense_1 (Dense)              (None, 1000)              101000
=================================================================
Total params: 201,100
Trainable params: 201,100
Non-trainable params: 0
_________________________________________________________________"""


def test_seed001_graph_has_one_scope_per_layer():
    model = seed001_model()
    names = [op.name for op in tf.get_default_graph().get_operations()]
    assert model.inputs.name == "dense_input:0"
    assert [v.name for v in model.weights] == ["dense/kernel:0", "dense/bias:0", "dense_1/kernel:0", "dense_1/bias:0"]
    for name in ["dense/MatMul", "dense/BiasAdd", "activation/Relu", "dense_1/BiasAdd", "dense_1_target"]:
        assert name in names
    tops = {n.split("/")[0] for n in names}
    assert {"dense", "activation", "dense_1", "loss", "training"} <= tops
    assert any(n.startswith("training/gradients/dense/MatMul_grad") for n in names)
    assert repr(model) == "<Sequential 'sequential': 3 layers, 201,100 parameters>"


def test_seed001_deterministic_with_seeds():
    def run():
        tf.reset_default_graph()
        tf.set_random_seed(0)
        np.random.seed(0)
        model = seed001_model()
        x, y = np.random.randn(64, 1000), np.random.randn(64, 1000)
        return model.fit(x, y, nb_epoch=3, batch_size=64, verbose=0).history['loss']
    assert run() == run()


# ---- compile / fit / evaluate / predict ---------------------------------------------------------
def classifier(loss="categorical_crossentropy", **compile_args):
    model = Sequential([Dense(16, activation="relu", input_shape=(2,)), Dense(3, activation="softmax")])
    model.compile(optimizer=compile_args.pop("optimizer", Adam(lr=0.05)), loss=loss, metrics=["accuracy"])
    return model


def test_fit_evaluate_predict_classifier():
    x, labels = blobs()
    model = classifier()
    history = model.fit(x, utils.to_categorical(labels, 3), epochs=30, batch_size=16, verbose=0)
    assert sorted(history.history) == ["accuracy", "loss"]
    assert history.history["accuracy"][-1] == 1.0
    assert history.history["loss"][-1] < history.history["loss"][0]
    loss, accuracy = model.evaluate(x, utils.to_categorical(labels, 3))
    probs = model.predict(x, batch_size=7)
    assert probs.shape == (120, 3) and probs.dtype == np.float32
    assert np.allclose(probs.sum(axis=1), 1, atol=1e-5)
    assert accuracy == np.mean(probs.argmax(axis=1) == labels) == 1.0
    expected = -np.mean(np.log(probs[np.arange(120), labels]))
    assert loss == pytest.approx(expected, rel=1e-4)
    assert model.predict_classes(x).tolist() == labels.tolist()
    assert model.metrics_names == ["loss", "accuracy"]


def test_sparse_targets_give_the_same_training_as_one_hot():
    x, labels = blobs()
    runs = []
    for loss, y in (("categorical_crossentropy", utils.to_categorical(labels)),
                    ("sparse_categorical_crossentropy", labels)):
        tf.reset_default_graph()
        tf.set_random_seed(0)
        np.random.seed(0)
        runs.append(classifier(loss).fit(x, y, epochs=3, batch_size=32, verbose=0).history)
    assert np.allclose(runs[0]["loss"], runs[1]["loss"], rtol=1e-5)
    assert runs[0]["accuracy"] == runs[1]["accuracy"]


def test_mse_and_mae_values_match_numpy():
    model = Sequential([Dense(2, input_dim=3)])
    model.compile(optimizer="sgd", loss="mse", metrics=["mae"])
    kernel = np.array([[1.0, 0.0], [0.5, -1.0], [0.0, 2.0]], np.float32)
    model.set_weights([kernel, np.array([0.5, -0.5], np.float32)])
    x = np.array([[1.0, 2.0, 3.0], [0.0, -1.0, 1.0]])
    y = np.array([[1.0, 1.0], [0.0, 0.0]])
    pred = x @ kernel + [0.5, -0.5]
    assert np.allclose(model.predict(x), pred)
    loss, mae = model.evaluate(x, y)
    assert loss == pytest.approx(np.mean((pred - y) ** 2)) and mae == pytest.approx(np.mean(np.abs(pred - y)))


def test_validation_data_and_split():
    x, labels = blobs()
    y = utils.to_categorical(labels)
    h = classifier().fit(x, y, epochs=2, verbose=0, validation_data=(x[:20], y[:20]))
    assert sorted(h.history) == ["accuracy", "loss", "val_accuracy", "val_loss"]
    h = classifier().fit(x, y, epochs=2, verbose=0, validation_split=0.25)
    assert h.params["samples"] == 90 and len(h.history["val_loss"]) == 2


def test_get_and_set_weights():
    model = seed001_model()
    weights = model.get_weights()
    assert [w.shape for w in weights] == [(1000, 100), (100,), (100, 1000), (1000,)]
    assert not weights[1].any()  # biases start at zero
    model.set_weights([w + 1 for w in weights])
    assert np.allclose(model.get_weights()[1], 1)
    with pytest.raises(ValueError, match=r"weight 'dense/bias:0' has shape \(100,\), got an array of shape \(10,\)"):
        model.set_weights([weights[0], np.zeros(10), weights[2], weights[3]])


def test_dropout_only_while_training():
    x = np.ones((50, 4))
    model = Sequential([Dense(4, input_dim=4, kernel_initializer="ones", use_bias=False), Dropout(0.5)])
    model.compile(optimizer=SGD(lr=0.0), loss="mse")
    assert np.allclose(model.predict(x), 4.0)  # no dropout outside fit
    h = model.fit(x, np.full((50, 4), 4.0), epochs=1, batch_size=50, verbose=0)
    assert h.history["loss"][0] > 1.0  # half the outputs zeroed, the rest doubled: loss 16 on average
    assert [t.name for t in tf.get_collection("keras_learning_phase")] == ["keras_learning_phase:0"]


def test_deferred_build_at_first_fit():
    model = Sequential()
    model.add(Dense(8, activation="tanh"))
    model.add(Dense(1))
    model.compile(optimizer="adam", loss="mean_squared_error")
    with pytest.raises(ValueError, match="has not yet been built"):
        model.summary()
    model.fit(np.zeros((10, 5)), np.zeros((10, 1)), verbose=0)
    assert model.input_shape == (None, 5) and model.output_shape == (None, 1)


def test_cnn_summary_and_shapes():
    model = Sequential([Conv2D(16, 3, padding="same", activation="relu", input_shape=(8, 8, 1)),
                        MaxPooling2D(),
                        Conv2D(32, (3, 3), activation="relu"),
                        Flatten(),
                        Dense(10, activation="softmax")])
    text = summary_text(model)
    assert "conv2d (Conv2D)              (None, 8, 8, 16)          160" in text
    assert "max_pooling2d (MaxPooling2D) (None, 4, 4, 16)          0" in text
    assert "conv2d_1 (Conv2D)            (None, 2, 2, 32)          4640" in text
    assert "flatten (Flatten)            (None, 128)               0" in text
    assert "Total params: 6,090" in text
    assert [v.name for v in model.weights][:2] == ["conv2d/kernel:0", "conv2d/bias:0"]


def test_optimizers_and_keras1_keywords():
    assert SGD(lr=0.5).learning_rate == 0.5 == SGD(learning_rate=0.5).lr
    assert Adam().learning_rate == 0.001
    with pytest.raises(TypeError, match="unexpected keyword arguments: lrate"):
        SGD(lrate=0.1)
    layer = Dense(output_dim=3, input_dim=2, init="uniform")
    assert layer.units == 3 and layer.batch_input_shape == (None, 2)
    assert Dropout(p=0.25).rate == 0.25
    with pytest.raises(TypeError, match=r"Dense\(\) got unexpected keyword arguments: input_dims"):
        Dense(3, input_dims=2)


@pytest.mark.parametrize("optimizer, op_type", [(SGD(lr=0.1, momentum=0.9, nesterov=True), "ApplyMomentum"),
                                                ("rmsprop", "ApplyRMSProp"), ("adam", "ApplyAdam")])
def test_optimizer_kinds_train(optimizer, op_type):
    x, labels = blobs()
    model = classifier("sparse_categorical_crossentropy", optimizer=optimizer)
    h = model.fit(x, labels, epochs=5, batch_size=32, verbose=0)
    assert h.history["loss"][-1] < h.history["loss"][0]
    assert op_type in {op.type for op in tf.get_default_graph().get_operations()}


def test_sgd_decay_counts_iterations():
    x, labels = blobs()
    model = classifier("sparse_categorical_crossentropy", optimizer=SGD(lr=0.1, decay=0.01))
    model.fit(x, labels, epochs=2, batch_size=40, verbose=0)
    assert model.session.run(model.optimizer.iterations) == 6


# ---- progress display -----------------------------------------------------------------------------
def test_verbose_0_prints_nothing(capsys):
    x, labels = blobs()
    classifier().fit(x, utils.to_categorical(labels), epochs=2, verbose=0)
    assert capsys.readouterr().out == ""


def test_verbose_1_text_bar(capsys):
    x, labels = blobs(64)
    classifier().fit(x, utils.to_categorical(labels), epochs=2, batch_size=32, verbose=1)
    out = capsys.readouterr().out
    assert out.startswith("Epoch 1/2\n") and "Epoch 2/2\n" in out
    finished = [line.split("\r")[-1] for line in out.split("\n") if "[" in line]
    assert len(finished) == 2
    assert finished[0].startswith("64/64 [==============================] - loss: ")
    assert " - accuracy: " in finished[0] and "ms" not in out and "s/step" not in out


def test_verbose_2_one_line_per_epoch(capsys):
    x, labels = blobs(64)
    h = classifier().fit(x, utils.to_categorical(labels), epochs=2, verbose=2)
    lines = capsys.readouterr().out.splitlines()
    assert lines == ["Epoch 1/2", " - " + callbacks.format_logs({k: v[0] for k, v in h.history.items()}),
                     "Epoch 2/2", " - " + callbacks.format_logs({k: v[1] for k, v in h.history.items()})]


def test_notebook_progress_is_one_widget_updated_in_place(monkeypatch, capsys):
    shown = []
    monkeypatch.setattr(callbacks, "_in_notebook", lambda: True)
    monkeypatch.setattr(callbacks, "_display", shown.append)
    x, labels = blobs(64)
    h = classifier().fit(x, utils.to_categorical(labels), epochs=3, batch_size=16, verbose=1)
    assert len(shown) == 1 and capsys.readouterr().out == ""
    bar, label = shown[0].children
    assert (bar.value, bar.max, bar.description, bar.bar_style) == (64, 64, "Epoch 3/3", "success")
    assert label.value == "64/64 - " + callbacks.format_logs({k: v[-1] for k, v in h.history.items()})


def test_text_bar_drawing():
    bar = callbacks.ProgressBar(1, 64, notebook=False, stream=io.StringIO())
    assert bar._bar(0, {}) == " 0/64 [..............................]"
    assert bar._bar(32, {"loss": 0.5}) == "32/64 [==============>...............] - loss: 0.5000"
    assert bar._bar(64, {}) == "64/64 [==============================]"


# ---- bad input ------------------------------------------------------------------------------------
def test_wrong_input_shape_names_layer_and_shapes():
    model = seed001_model()
    with pytest.raises(ValueError, match=r"fit: the first layer 'dense' \(Dense\) expects input of shape "
                                         r"\(None, 1000\), got an array of shape \(64, 999\)"):
        model.fit(np.zeros((64, 999)), np.zeros((64, 1000)), verbose=0)
    with pytest.raises(ValueError, match=r"predict: the first layer 'dense' \(Dense\) expects input of shape "
                                         r"\(None, 1000\), got an array of shape \(1000,\)"):
        model.predict(np.zeros(1000))


def test_wrong_declared_input_names_layer_and_shapes():
    model = Sequential()
    model.add(Dense(input_dim=1000, output_dim=100))
    model.add(Activation("relu"))
    with pytest.raises(ValueError, match=r"Dense layer \(layer 3 of the model\) was declared with input shape "
                                         r"\(None, 50\), but the layer before it, 'activation', outputs \(None, 100\)"):
        model.add(Dense(input_dim=50, output_dim=10))


def test_wrong_targets_name_last_layer_and_suggest_a_fix():
    x, labels = blobs()
    with pytest.raises(ValueError, match=r"the last layer 'dense_1' \(Dense\) outputs \(None, 3\), but the targets "
                                         r"have shape \(120,\); for class numbers use "
                                         r"loss='sparse_categorical_crossentropy'"):
        classifier().fit(x, labels, verbose=0)
    with pytest.raises(ValueError, match="x has 120 samples but y has 119"):
        classifier("sparse_categorical_crossentropy").fit(x, labels[:-1], verbose=0)


def test_fit_before_compile_and_unknown_names():
    model = Sequential([Dense(1, input_dim=2)])
    with pytest.raises(RuntimeError, match="You must compile your model"):
        model.fit(np.zeros((4, 2)), np.zeros((4, 1)), verbose=0)
    with pytest.raises(ValueError, match="Unknown loss 'mean_square_error'"):
        model.compile(optimizer="sgd", loss="mean_square_error")
    with pytest.raises(ValueError, match="Unknown optimizer 'adamw'"):
        model.compile(optimizer="adamw", loss="mse")
    with pytest.raises(ValueError, match="Unknown activation 'rellu'"):
        Dense(3, activation="rellu")
    with pytest.raises(TypeError, match="Sequential.add expects a layer"):
        model.add("dense")


def test_fit_takes_a_dataframe_and_names_a_column_that_is_not_numbers():
    pd = pytest.importorskip("pandas")
    tf.reset_default_graph()
    np.random.seed(0)
    frame = pd.DataFrame({"a": np.random.rand(40), "b": np.random.rand(40)})
    target = pd.Series(frame["a"] * 2 - frame["b"], name="y")
    model = tf.keras.Sequential([tf.keras.layers.Dense(1, input_shape=(2,))])
    model.compile(optimizer=tf.keras.optimizers.SGD(0.5), loss="mse")
    history = model.fit(frame, target.to_frame(), epochs=20, batch_size=8, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    frame["colour"] = ["red", "green"] * 20
    with pytest.raises(ValueError, match=r"fit: x: column 'colour' holds (object|str) values, not numbers"):
        model.fit(frame, target.to_frame(), epochs=1, verbose=0)
