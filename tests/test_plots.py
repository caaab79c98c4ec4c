"""tfteach.plots: TensorBoard's smoothing, loss curves and landscapes; ax=None, artists back."""
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.collections import PathCollection  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402

import tfteach as tf  # noqa: E402
from tfteach import plots  # noqa: E402


@pytest.fixture(autouse=True)
def fresh_graph(monkeypatch):
    tf.reset_default_graph()
    monkeypatch.setattr(plt, "show", lambda *a, **k: pytest.fail("a plot helper called plt.show()"))
    yield
    tf.reset_default_graph()
    plt.close("all")


def axes():
    return Figure().subplots()


# ---- smoothing -------------------------------------------------------------------------
def test_smooth_is_tensorboards_debiased_moving_average():
    values = [4.0, 2.0, 1.0]
    last, expected = 0.0, []
    for n, v in enumerate(values, 1):           # TensorBoard's vz_line_chart smoothing
        last = last * 0.6 + 0.4 * v
        expected.append(last / (1 - 0.6 ** n))
    assert plots.smooth(values, 0.6).tolist() == pytest.approx(expected)
    assert plots.smooth(values, 0.6)[0] == 4.0  # debiased: the start is not dragged to zero
    assert plots.smooth([3.0] * 5, 0.9).tolist() == pytest.approx([3.0] * 5)
    assert plots.smooth(values, 0).tolist() == values


def test_smooth_passes_nan_and_inf_through():
    out = plots.smooth([1.0, np.nan, 1.0, np.inf], 0.5)
    assert out[0] == 1.0 and np.isnan(out[1]) and out[2] == 1.0 and out[3] == np.inf


# ---- loss curves -----------------------------------------------------------------------
def test_plot_loss_draws_raw_and_smoothed_and_returns_them():
    ax = axes()
    raw, smoothed = plots.plot_loss([1.0, 0.5, 0.7, 0.2], ax=ax)
    assert isinstance(raw, Line2D) and isinstance(smoothed, Line2D)
    assert raw.get_ydata().tolist() == [1.0, 0.5, 0.7, 0.2]
    assert smoothed.get_ydata().tolist() == pytest.approx(plots.smooth([1.0, 0.5, 0.7, 0.2], 0.6))
    assert ax.get_yscale() == "linear" and ax.get_xlabel() == "step"
    only, = plots.plot_loss([1.0, 0.5], ax=axes(), smoothing=0)
    assert only.get_ydata().tolist() == [1.0, 0.5]


def test_plot_loss_goes_log_when_the_loss_spans_decades():
    ax = axes()
    plots.plot_loss(0.64 * 0.9025 ** np.arange(100), ax=ax)
    assert ax.get_yscale() == "log"
    ax = axes()
    plots.plot_loss(0.64 * 0.9025 ** np.arange(100), ax=ax, log=False)
    assert ax.get_yscale() == "linear"


def test_plot_loss_takes_a_stepper_and_the_current_axes():
    from tfteach.widgets import GradientDescentStepper
    w = tf.Variable(0.8, name="weight")
    stepper = GradientDescentStepper(tf.square(w))
    stepper.step(3)
    plt.figure()
    lines = plots.plot_loss(stepper)
    assert lines[0].axes is plt.gca() and len(lines[0].get_ydata()) == 3


# ---- landscapes ------------------------------------------------------------------------
def neuron_session():
    w = tf.Variable(0.8, name="weight")
    loss = tf.pow(w * tf.constant(1.0) - tf.constant(0.0), 2)
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    return w, loss, sess


def test_loss_along_feeds_values_without_changing_the_variable():
    w, loss, sess = neuron_session()
    assert plots.loss_along(loss, w, [0.0, 0.5, -2.0], sess).tolist() == [0.0, 0.25, 4.0]
    assert sess.run(w) == np.float32(0.8)


def test_loss_along_also_replaces_direct_uses_of_the_variable():
    w = tf.Variable(2.0, name="w")
    loss = tf.square(w.value()) + tf.multiply(w, 0.0)   # the read tensor and the variable
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    assert plots.loss_along(loss, w, [3.0], sess).tolist() == [9.0]


def test_plot_loss_raw_at_least_as_visible_as_smoothed_with_a_legend():
    fig, ax = plt.subplots()
    raw, smoothed = plots.plot_loss([1.0, 0.5, 0.7, 0.2, 0.3], ax=ax)
    assert raw.get_alpha() in (None, 1.0) and raw.get_linestyle() == "-"
    assert raw.get_linewidth() >= smoothed.get_linewidth() and smoothed.get_linestyle() == "--"
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["loss (raw)", "loss smoothed (moving average, weight 0.6)"]
    plt.close(fig)


def test_plot_landscape_draws_the_curve_and_the_path():
    w, loss, sess = neuron_session()
    ax = axes()
    artists = plots.plot_landscape(loss, w, sess, path=[0.8, 0.76, 0.722], ax=ax)
    curve, path_line, dots, now = artists
    xs, ys = curve.get_data()
    assert ys == pytest.approx(np.square(xs), rel=1e-5)
    assert xs.min() < 0.722 and xs.max() > 0.8
    assert path_line.get_xdata().tolist() == [0.8, 0.76, 0.722]
    assert isinstance(dots, PathCollection) and now.get_offsets().tolist() == [[0.722, pytest.approx(0.722 ** 2)]]
    assert ax.get_xlabel() == "weight" and sess.run(w) == np.float32(0.8)
    curve, = plots.plot_landscape(loss, w, sess, values=[0.0, 1.0], ax=axes())
    assert curve.get_ydata().tolist() == [0.0, 1.0]


def test_plot_landscape_2d_contours_with_path():
    X = tf.constant([0.0, 1.0, 2.0])
    y = tf.constant([1.0, 3.0, 5.0])
    m, b = tf.Variable(0.0, name="m"), tf.Variable(0.0, name="b")
    loss = tf.reduce_mean(tf.squared_difference(X * m + b, y))
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    ax = axes()
    contours, line, dots, now = plots.plot_landscape_2d(loss, m, b, sess, path=[(0, 0), (1, 0.5), (2, 1)],
                                                       ax=ax, num=11)
    assert contours.levels.size > 1
    assert line.get_xdata().tolist() == [0, 1, 2] and line.get_ydata().tolist() == [0, 0.5, 1]
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("m", "b")
    assert sess.run([m, b]) == [0, 0]


def test_plot_fit_points_and_line():
    points, line = plots.plot_fit([0, 1, 2], [1, 3, 5], slope=2, intercept=1, ax=axes())
    assert points.get_offsets().tolist() == [[0, 1], [1, 3], [2, 5]]
    assert line.get_xdata().tolist() == [0, 2] and line.get_ydata().tolist() == [1, 5]
    assert line.get_label() == "y = 2·x + 1"
