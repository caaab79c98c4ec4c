"""The Playground's state from Python: data, seed, training, Reset, own data, regularization, the
NaN stop, the configuration, the formula; and its view driven as the buttons would."""
import json

import numpy as np
import pytest

import tfteach as tf
from tfteach.widgets import playground_data as data
from tfteach.widgets.playground import Playground, build_network


# ---- data --------------------------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(data.DATASETS))
def test_datasets_shapes_labels_and_seed(name):
    points, labels = data.make(name, noise=0.1, seed=3)
    n = data.N_CLASSIFY if name in data.CLASSIFICATION else data.N_REGRESS
    assert points.shape == (n, 2) and labels.shape == (n,)
    assert np.abs(points).max() < 8
    if name in data.CLASSIFICATION:
        assert set(np.unique(labels)) == {-1.0, 1.0}
    else:  # (x1 + x2) / 10 reaches ±1.2 in the corners, as the Playground's; the bumps ±1
        _, clean = data.make(name, noise=0.0, seed=3)
        bound = 1.2 if name == "plane" else 1.0
        assert -bound <= clean.min() < 0 < clean.max() <= bound
    again, _ = data.make(name, noise=0.1, seed=3)
    other, _ = data.make(name, noise=0.1, seed=4)
    assert np.array_equal(points, again) and not np.array_equal(points, other)


def test_dataset_definitions():
    points, labels = data.make("circle", noise=0.0, seed=0)
    r = np.hypot(points[:, 0], points[:, 1])
    assert np.all(labels[r < 2.5] == 1) and np.all(labels[r >= 3.5] == -1) and not np.any((r > 2.5) & (r < 3.5))
    points, labels = data.make("xor", seed=0)
    assert np.all(labels == np.where(points[:, 0] * points[:, 1] >= 0, 1, -1))
    assert np.abs(points).min() >= 0.3
    points, labels = data.make("plane", seed=0)
    assert np.allclose(labels, points.sum(axis=1) / 10)
    points, labels = data.make("gauss", seed=0)
    assert np.allclose(points[labels == 1].mean(axis=0), [2, 2], atol=0.2)
    with pytest.raises(ValueError, match="unknown dataset 'moons'"):
        data.make("moons")


# ---- the graph -----------------------------------------------------------------------------
def test_the_graph_has_a_scope_per_layer():
    net = build_network(tf, features=["x1", "x2", "x1^2"], hidden=[3, 2], activation="relu")
    names = [op.name for op in net["graph"].get_operations()]
    for prefix in ("features/", "layer1/", "layer2/", "output/", "loss/", "GradientDescent"):
        assert any(n.startswith(prefix) for n in names), prefix
    assert [w.op.name for w, _ in net["weights"]] == ["layer1/weights", "layer2/weights", "output/weights"]
    assert net["weights"][0][0].shape.as_list() == [3, 3]


def test_predict_is_the_network_written_in_numpy():
    pg = Playground(features=["x1", "x2", "sin_x1"], hidden=[3, 2], activation="relu", seed=2)
    pg.train(3)
    w = pg.weights()
    pts = np.array([[0.5, -1.0], [3.0, 2.0]])
    h = np.stack([pts[:, 0], pts[:, 1], np.sin(pts[:, 0])], axis=1)
    for scope in ("layer1", "layer2"):
        h = np.maximum(h @ w[f"{scope}/weights"] + w[f"{scope}/bias"], 0)
    expected = np.tanh(h @ w["output/weights"] + w["output/bias"]).ravel()
    np.testing.assert_allclose(pg.predict(pts), expected, rtol=1e-5, atol=1e-6)
    formula = pg.formula("layer1/0")
    first = w["layer1/weights"][0, 0]
    assert formula.startswith("layer1/0 = relu(") and f"{abs(first):.3g}·x1" in formula
    assert "sin_x1" in formula
    with pytest.raises(ValueError, match="layer layer2 has 2 neurons"):
        pg.formula("layer2/5")


# ---- seed, training, Reset ---------------------------------------------------------------------
def test_a_pinned_seed_gives_the_same_run():
    a, b = Playground(dataset="xor", seed=7), Playground(dataset="xor", seed=7)
    a.train(5)
    b.train(5)
    assert a.history == b.history and len(a.history["test"]) == 6
    for name, value in a.weights().items():
        np.testing.assert_array_equal(value, b.weights()[name])
    c = Playground(dataset="xor", seed=8)
    assert not np.array_equal(c.train_points, a.train_points)


def test_an_epoch_is_one_pass_in_batches():
    pg = Playground(seed=1, batch_size=10, train_ratio=0.5)
    assert len(pg.train_points) == 250 and len(pg.test_points) == 250
    pg.step()
    assert (pg.epoch, pg.steps) == (1, 25)
    pg.set(batch_size=30)       # 250 / 30: 8 full batches and one of 10
    pg.step()
    assert (pg.epoch, pg.steps) == (1, 9)


def test_circle_trains_with_the_defaults():
    pg = Playground(dataset="circle", seed=1)
    start = pg.history["test"][0]
    pg.train(150)
    assert pg.history["test"][-1] < start / 2
    assert pg.accuracy("test") > 0.9


@pytest.mark.slow
def test_spiral_two_layers_of_eight_tanh_reaches_test_loss_below_0_1():
    """The Playground's defaults but 2 hidden layers of 8 tanh. Seed 1 gets there at epoch 1783
    (seeds 2 and 5 at 2228 and 631; seeds 3 and 4 end at 0.23 and 0.11 after 3000 epochs)."""
    pg = Playground(dataset="spiral", hidden=[8, 8], activation="tanh", seed=1)
    while pg.epoch < 3000 and min(pg.history["test"]) >= 0.1:
        pg.train(100)
    assert min(pg.history["test"]) < 0.1, pg


def test_reset_restores_weights_and_curves():
    pg = Playground(dataset="gauss", seed=4)
    start = pg.weights()
    curves = {k: list(v) for k, v in pg.history.items()}
    pg.train(5)
    assert not np.array_equal(pg.weights()["layer1/weights"], start["layer1/weights"])
    pg.reset()
    assert pg.epoch == 0 and pg.steps == 0 and pg.history == curves
    for name, value in pg.weights().items():
        np.testing.assert_array_equal(value, start[name])
    pg.train(5)  # the same five epochs again
    again = Playground(dataset="gauss", seed=4)
    again.train(5)
    assert pg.history == again.history


def test_regenerate_and_settings_changes():
    pg = Playground(seed=2)
    before = pg.train_points.copy()
    pg.train(2)
    pg.regenerate()
    assert pg.epoch == 0 and not np.array_equal(before, pg.train_points)
    pg.set(hidden=[8, 8, 8], activation="relu", features=["x1", "x2", "x1*x2"])
    assert [w.op.name for w in pg.variables][-2:] == ["output/weights", "output/bias"]
    assert pg.net["weights"][0][0].shape.as_list() == [3, 8]
    pg.set(dataset="plane")
    assert pg.settings["problem"] == "regression" and len(pg.train_points) == 600
    with pytest.raises(ValueError, match=r"hidden must list 0 to 6 layers of 1 to 8 neurons, got \[9\]"):
        pg.set(hidden=[9])
    with pytest.raises(ValueError, match="activation must be one of"):
        Playground(activation="softplus")
    none = Playground(hidden=[], seed=1)   # no hidden layer: a tanh of a weighted sum
    assert [v.op.name for v in none.variables] == ["output/weights", "output/bias"]


# ---- own data ---------------------------------------------------------------------------------
def test_own_data_arrays_and_dataframe():
    pd = pytest.importorskip("pandas")
    rng = np.random.default_rng(0)
    points = rng.uniform(-3, 3, (200, 2))
    labels = (points[:, 0] > 0).astype(int)      # 0/1 classes become -1/+1
    pg = Playground(data=(points, labels), seed=0)
    assert pg.settings["dataset"] == "own" and pg.settings["problem"] == "classification"
    assert set(np.unique(pg.train_labels)) == {-1.0, 1.0} and len(pg.train_points) == 100
    pg.train(30)
    assert pg.accuracy() > 0.9
    assert "dataset" not in json.loads(pg.export_config())
    frame = pd.DataFrame({"a": points[:, 0], "b": points[:, 1], "y": points[:, 0] * 0.1})
    reg = Playground(data=frame, columns=["a", "b", "y"], seed=0)
    assert reg.settings["problem"] == "regression"
    with pytest.raises(ValueError, match=r"needs columns \['x1', 'x2', 'label'\]"):
        Playground(data=frame)
    with pytest.raises(ValueError, match=r"points must have shape \(n, 2\)"):
        Playground(data=(np.zeros((5, 3)), np.zeros(5)))


# ---- regularization --------------------------------------------------------------------------
@pytest.mark.parametrize("kind", ["L1", "L2"])
def test_regularization_step_is_the_gradient_of_its_penalty(kind):
    """One batch from the same start: the regularized step differs from the plain one by exactly
    −η·λ·sign(w) (L1) or −η·λ·w (L2), on the weights only, not the biases."""
    plain = Playground(dataset="xor", seed=5, learning_rate=0.1)
    reg = Playground(dataset="xor", seed=5, learning_rate=0.1, regularization=kind, regularization_rate=0.3)
    start = reg.weights()
    plain.train_step()
    reg.train_step()
    a, b = plain.weights(), reg.weights()
    for name, w0 in start.items():
        shift = b[name] - a[name]
        if name.endswith("bias"):
            np.testing.assert_allclose(shift, 0, atol=1e-6)
        else:
            want = -0.1 * 0.3 * (np.sign(w0) if kind == "L1" else w0)
            np.testing.assert_allclose(shift, want, atol=2e-6)


def test_l2_keeps_the_weights_smaller():
    plain = Playground(dataset="circle", seed=3)
    reg = Playground(dataset="circle", seed=3, regularization="L2", regularization_rate=0.03)
    plain.train(40)
    reg.train(40)
    norm = lambda pg: sum(float(np.sum(v ** 2)) for k, v in pg.weights().items() if k.endswith("weights"))
    assert norm(reg) < 0.8 * norm(plain)


# ---- stops ------------------------------------------------------------------------------------------
def test_nan_stop_with_a_message():
    pg = Playground(dataset="plane", activation="linear", learning_rate=10, seed=0)
    pg.train(50)
    assert pg.stopped and "became NaN or infinite" in pg.stopped and "learning rate 10" in pg.stopped
    assert "try 1, then press Reset" in pg.stopped
    stopped_at = pg.epoch
    assert stopped_at < 50
    pg.train(5)
    assert pg.epoch == stopped_at
    pg.reset()
    assert pg.stopped is None and pg.epoch == 0


def test_epoch_cap():
    pg = Playground(seed=1, max_epochs=3)
    pg.train(10)
    assert pg.epoch == 3 and "max_epochs = 3" in pg.stopped


# ---- the configuration ----------------------------------------------------------------------------
def test_config_round_trip_and_hidden_controls():
    pg = Playground(dataset="spiral", hidden=[8, 8], features=["x1", "x2", "sin_x1"], seed=11,
                    controls=["play", "reset"], max_epochs=500)
    text = pg.export_config()
    saved = json.loads(text)
    assert saved["widget"] == "Playground" and saved["seed"] == 11 and saved["hidden"] == [8, 8]
    again = Playground(config=text)
    assert again.settings == pg.settings and again.controls == ["play", "reset"]
    assert again.max_epochs == 500
    np.testing.assert_array_equal(again.weights()["layer1/weights"], pg.weights()["layer1/weights"])
    with pytest.raises(ValueError, match="unknown control"):
        Playground(controls=["fly"])
    with pytest.raises(ValueError, match="unknown key"):
        Playground(config={"layers": 3})


# ---- the view, driven as the buttons would ------------------------------------------------------------
def test_view_draws_and_trains():
    pytest.importorskip("ipywidgets")
    pg = Playground(hidden=[8] * 6, seed=1)
    view = pg.widget
    first = view.output.value
    assert first[:8] == b"\x89PNG\r\n\x1a\n" and "epoch 0" in view.counter.value
    assert view.network.value.count("tfteach-neuron") == 2 + 6 * 8 + 1
    assert "layer6/7 = tanh(" in view.network.value        # the hover text: the formula
    view.step_button.click()
    assert pg.epoch == 1 and "epoch 1" in view.counter.value and view.output.value != first
    view.play.playing = True
    view._on_tick({"new": 1, "old": 0})
    assert pg.epoch >= 2
    view.reset_button.click()
    assert pg.epoch == 0 and view.output.value == first
    view.layers.value = 2
    assert pg.settings["hidden"] == [8, 8]
    view.features["x1*x2"].value = True
    assert pg.settings["features"] == ["x1", "x2", "x1*x2"]
    view.neuron.value = "layer1/2"
    assert "layer1/2 = tanh(" in view.formula.value
    view.dataset.value = "multi_gauss"
    assert pg.settings["problem"] == "regression" and view.problem.value == "regression"


def test_view_shows_only_the_teachers_controls():
    pytest.importorskip("ipywidgets")
    pg = Playground(seed=1, controls=["play", "reset", "features"])
    view = pg.widget

    def shown(box):
        out = [box]
        for child in getattr(box, "children", ()):
            out += shown(child)
        return out
    present = shown(view.box)
    assert view.play in present and view.reset_button in present
    assert view.features["x1"] in present
    for hidden in (view.step_button, view.regen_button, view.rate, view.reg, view.dataset, view.noise,
                   view.layers, view.graph_button, view.replay_button):
        assert hidden not in present
    assert view.counter in present and view.output in present and view.network in present


def test_replay_is_one_real_training_step_and_the_graph_draws():
    a, b = Playground(dataset="spiral", hidden=[3], seed=6), Playground(dataset="spiral", hidden=[3], seed=6)
    r = a.replay()
    b.train_step()
    assert a.steps == b.steps == 1
    for name, value in a.weights().items():
        np.testing.assert_array_equal(value, b.weights()[name])
    phases = {r.phase(k) for k in range(len(r.positions))}
    assert phases == {"forward", "gradient", "update"}
    scopes = {s.name.split("/")[0] for s in r.steps}
    assert {"features", "layer1", "output", "loss", "GradientDescent"} <= scopes
    drawing = a.show_graph(a.net["loss"])
    svg = drawing.svg()
    assert "layer1" in svg and "layer2" not in svg and "GradientDescent" not in svg
