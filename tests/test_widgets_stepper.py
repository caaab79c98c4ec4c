"""GradientDescentStepper driven from Python: its methods, its buttons and its slider.

The seed neuron (seed 000: w = 0.8, loss = (w·1 − 0)², learning rate 0.025) gives the numbers:
loss 0.64 before the first step, w = 0.76 after it, 0.8·0.95^100 after 100 steps, and the
seed's printed y = 0.0044996012 after 101 (the seed's one apply_gradients, then 100 minimize).
"""
import re

import numpy as np
import pytest

import tfteach as tf
from tfteach.widgets import GradientDescentStepper, Update, format_update

f32 = np.float32


@pytest.fixture(autouse=True)
def fresh_graph():
    tf.reset_default_graph()
    yield
    tf.reset_default_graph()


def neuron():
    """Seed 000's graph: (output, loss)."""
    x = tf.constant(1.0, name='input')
    w = tf.Variable(0.8, name='weight')
    y = tf.multiply(w, x, name='output')
    y_ = tf.constant(0.0, name='correct_value')
    return y, tf.pow(y - y_, 2, name='loss')


# ---- the seed's numbers ----------------------------------------------------------------
def test_seed_neuron_numbers():
    y, loss = neuron()
    stepper = GradientDescentStepper(loss, learning_rate=0.025)
    assert stepper.values == {'weight': f32(0.8)}
    stepper.step()
    assert stepper.history == [f32(0.8) * f32(0.8)]           # 0.64 in float32
    assert stepper.history[0] == pytest.approx(0.64, rel=1e-6)
    assert stepper.values == {'weight': f32(0.76)}
    update, = stepper.last_update
    assert (update.before, update.grad, update.after) == (f32(0.8), f32(1.6), f32(0.76))
    stepper.step(99)
    assert stepper.step_count == 100
    assert stepper.values['weight'] == pytest.approx(0.8 * 0.95 ** 100, rel=1e-5)  # 0.0047364
    stepper.step()
    assert stepper.session.run(y) == f32(0.0044996012)
    assert stepper.values['weight'] == f32(0.0044996012)
    assert len(stepper.history) == 101 and stepper.history[-1] < stepper.history[0]


def test_history_is_the_loss_before_each_update():
    _, loss = neuron()
    stepper = GradientDescentStepper(loss)
    stepper.step(3)
    weights = [f32(0.8)]
    for _ in range(3):
        weights.append(weights[-1] - f32(0.025) * (f32(2) * weights[-1]))
    assert stepper.history == pytest.approx([w * w for w in weights[:3]], rel=1e-6)
    assert stepper.trajectory['weight'] == pytest.approx(weights, rel=1e-6)


def test_formula_written_out_with_the_numbers():
    _, loss = neuron()
    stepper = GradientDescentStepper(loss)
    stepper.step()
    text = format_update(stepper.last_update[0], stepper.learning_rate)
    assert text == 'weight ← weight − η·∂L/∂weight = 0.8 − 0.025·1.6 = 0.76'
    assert text in stepper.widget.update_text.value


def test_formula_for_negative_gradients_other_optimizers_and_arrays():
    assert format_update(Update('b', f32(-1), f32(-2), f32(-0.9)), 0.05) == \
        'b ← b − η·∂L/∂b = −1 − 0.05·(−2) = −0.9'
    assert format_update(Update('w', f32(0.8), f32(1.6), f32(0.79)), 0.01, 'Adam') == \
        'w ← w + Δ (Adam, ∂L/∂w = 1.6) = 0.8 − 0.01 = 0.79'
    before = np.array([[3.0, 0.0], [0.0, 4.0]], np.float32)
    grad = np.array([[1.0, 0.0], [0.0, 0.0]], np.float32)
    text = format_update(Update('kernel', before, grad, before - 0.5 * grad), 0.5)
    assert text.startswith('kernel (2×2) ← kernel − η·∂L/∂kernel: ‖kernel‖ 5 → 4.717, ‖∂L/∂kernel‖ = 1, ‖Δ‖ = 0.5')
    assert text.endswith('e.g. kernel[0, 0] = 3 − 0.5·1 = 2.5')


# ---- the widget: buttons, slider, counter ----------------------------------------------
def test_buttons_step_and_reset():
    _, loss = neuron()
    stepper = GradientDescentStepper(loss)
    view = stepper.widget
    assert 'step 0' in view.counter.value and 'loss 0.64' in view.counter.value
    view.step_button.click()
    view.step_button.click()
    assert stepper.step_count == 2 and 'step 2' in view.counter.value
    assert stepper.values['weight'] == f32(0.76) - f32(0.025) * f32(1.52)
    view.reset_button.click()
    assert stepper.values == {'weight': f32(0.8)}
    assert stepper.history == [] and stepper.updates == []
    assert 'step 0' in view.counter.value and 'Press <b>Step</b>' in view.update_text.value
    assert bytes(view.image.value).startswith(b'\x89PNG')


def test_slider_changes_the_next_step():
    _, loss = neuron()
    stepper = GradientDescentStepper(loss)
    view = stepper.widget
    assert view.rate_slider.value == pytest.approx(0.025)
    assert view.rate_slider.min <= -4 and view.rate_slider.max >= 1   # 1e-4 .. 10 on a log scale
    view.rate_slider.value = 0.1
    assert stepper.learning_rate == pytest.approx(0.1)
    stepper.step()
    u, = stepper.last_update
    assert u.after - u.before == pytest.approx(-0.1 * u.grad, rel=1e-6)       # Δw = −η·grad
    assert stepper.values['weight'] == pytest.approx(0.8 - 0.1 * 1.6, rel=1e-6)
    view.rate_slider.value = 0.001
    stepper.step()
    u, = stepper.last_update
    assert u.after - u.before == pytest.approx(-0.001 * u.grad, rel=1e-4)
    assert 'η = 0.001' in view.update_text.value
    stepper.learning_rate = 0.02          # the other way round: the slider follows the stepper
    assert view.rate_slider.value == pytest.approx(0.02)
    stepper.learning_rate = 100.0         # off the scale: the scale grows
    assert view.rate_slider.value == pytest.approx(100.0) and view.rate_slider.max == 2


def test_play_ticks_step_until_paused_or_done():
    _, loss = neuron()
    stepper = GradientDescentStepper(loss, max_steps=5)
    view = stepper.widget
    assert view.play.max == 5 and view.play.interval > 0
    view.play.playing = True
    for tick in range(1, 4):                # what the browser's timer sends while playing
        view.play.value = tick
    assert stepper.step_count == 3
    view.play.playing = False               # Pause
    assert 'step 3' in view.counter.value
    view.play.value = 0                     # Stop rewinds the Play widget: no step
    assert stepper.step_count == 3
    view.play.playing = True
    for tick in range(1, 6):
        view.play.value = tick
    assert stepper.step_count == 5 and not view.play.playing
    assert stepper.stopped == 'Reached max_steps = 5. Press Reset to start again.'
    assert view.step_button.disabled
    view.reset_button.click()
    assert stepper.step_count == 0 and not view.step_button.disabled and view.play.value == 0


def test_reset_while_playing_stops_play():
    _, loss = neuron()
    stepper = GradientDescentStepper(loss)
    view = stepper.widget
    view.play.playing = True
    for tick in range(1, 4):
        view.play.value = tick
    view.reset_button.click()               # while playing
    assert not view.play.playing and view.play.value == 0 and stepper.step_count == 0
    view.play.value = 1                     # a tick the browser had already sent: ignored
    assert stepper.step_count == 0


def test_plot_title_names_no_step_so_it_never_lags_the_counter():
    """While playing, the plot is redrawn at most every PLOT_EVERY_S; the counter every step."""
    _, loss = neuron()
    stepper = GradientDescentStepper(loss)
    view = stepper.widget
    view.play.playing = True
    for tick in range(1, 6):
        view.play.value = tick
    assert "step 5" in view.counter.value
    titles = [ax.get_title() for ax in view._figure.axes]
    assert titles[0] == "loss per step" and not any(re.search(r"\d+ steps?|step \d", t) for t in titles)


def test_play_runs_100_steps_by_default():
    _, loss = neuron()
    stepper = GradientDescentStepper(loss)
    assert stepper.play_steps == 100 and stepper.widget.play.max == 100


# ---- divergence ------------------------------------------------------------------------
def test_huge_learning_rate_stops_on_inf_with_the_message():
    x = tf.Variable(1.0, name='x')
    stepper = GradientDescentStepper(tf.square(x), learning_rate=10.0)
    view = stepper.widget
    view.play.playing = True
    for tick in range(1, 101):
        view.play.value = tick
        if not view.play.playing:
            break
    count = stepper.step_count
    assert 10 < count < 30                   # x grows 19-fold per step until x² overflows float32
    assert not view.play.playing
    assert 'Gradient descent diverged' in stepper.stopped
    assert 'became inf' in stepper.stopped or 'became nan' in stepper.stopped
    assert 'try a smaller one (e.g. 1)' in stepper.stopped
    assert 'try a smaller one' in view.status.value and view.step_button.disabled
    stepper.step(5)
    assert stepper.step_count == count       # stays stopped
    assert 'diverged' in repr(stepper)
    view.rate_slider.value = 0.1
    view.reset_button.click()
    assert stepper.stopped is None and view.status.value == ''
    stepper.step(10)
    assert stepper.values['x'] == pytest.approx(0.8 ** 10, rel=1e-5)


def test_nan_in_a_variable_is_caught():
    x = tf.Variable(4.0, name='x')
    stepper = GradientDescentStepper(tf.sqrt(x), learning_rate=100.0)  # x jumps below 0: sqrt is NaN
    stepper.step(3)
    assert stepper.step_count == 2 and 'became nan' in stepper.stopped


# ---- optimizers, feeds, sessions -------------------------------------------------------
@pytest.mark.parametrize('make', [
    lambda: tf.train.AdamOptimizer(0.1),
    lambda: tf.train.AdamOptimizer,
    lambda: (lambda rate: tf.train.MomentumOptimizer(rate, momentum=0.9)),
    lambda: tf.train.RMSPropOptimizer(0.05),
])
def test_reset_restores_slots_so_a_second_run_repeats_the_first(make):
    _, loss = neuron()
    stepper = GradientDescentStepper(loss, optimizer=make())
    stepper.step(20)
    first, weights = list(stepper.history), stepper.values
    stepper.reset()
    assert stepper.values == {'weight': f32(0.8)}
    stepper.step(20)
    assert stepper.history == first and stepper.values == weights
    assert stepper.history[-1] < stepper.history[0]


def test_adam_instance_keeps_its_own_learning_rate_and_slots_reset():
    _, loss = neuron()
    adam = tf.train.AdamOptimizer(0.01)
    stepper = GradientDescentStepper(loss, optimizer=adam)
    assert stepper.learning_rate == pytest.approx(0.01)
    stepper.step()
    u, = stepper.last_update
    assert u.after - u.before == pytest.approx(-0.01, rel=1e-3)  # Adam's first step is ~η
    assert 'Adam' in format_update(u, stepper.learning_rate, stepper.optimizer.get_name())
    stepper.reset()
    opt, w = stepper.optimizer, stepper.var_list[0]
    assert stepper.session.run([opt.get_slot(w, 'm'), opt.get_slot(w, 'v')]) == [0, 0]
    beta1_power, _ = opt._get_beta_accumulators()
    assert stepper.session.run(beta1_power) == f32(0.9)


def test_optimizer_with_a_tensor_learning_rate_disables_the_slider():
    _, loss = neuron()
    stepper = GradientDescentStepper(loss, optimizer=tf.train.GradientDescentOptimizer(tf.constant(0.025)))
    assert not stepper.learning_rate_adjustable and stepper.widget.rate_slider.disabled
    stepper.step()
    assert stepper.values['weight'] == f32(0.76)


def _regression():
    X, y = tf.placeholder(tf.float32, name='X'), tf.placeholder(tf.float32, name='y')
    m, b = tf.Variable(0., name='m'), tf.Variable(0., name='b')
    return X, y, m, b, tf.reduce_mean(tf.squared_difference(X * m + b, y))


def _batches(drawn):
    rng = np.random.default_rng(0)
    data_x = rng.uniform(0, 2, 400).astype(np.float32)
    data_y = (3 * data_x + 1 + rng.normal(0, 0.1, 400)).astype(np.float32)

    def batch_generator(size=100):   # seed 002's minibatch generator
        i = 0
        while True:
            drawn.append(i)
            yield data_x[i * size:(i + 1) * size], data_y[i * size:(i + 1) * size]
            i = (i + 1) % 4
    return batch_generator()


def test_feed_callable_gives_each_step_the_next_batch():
    X, y, m, b, loss = _regression()
    drawn = []
    gen = _batches(drawn)

    def next_feed():
        bx, by = next(gen)
        return {X: bx, y: by}
    stepper = GradientDescentStepper(loss, learning_rate=0.1, feed_dict=next_feed)
    stepper.step(6)
    assert drawn == [0, 1, 2, 3, 0, 1]
    # the same six steps by hand, as the seed's training loop does them
    with tf.Graph().as_default():
        X2, y2, m2, b2, loss2 = _regression()
        train = tf.train.GradientDescentOptimizer(0.1).minimize(loss2)
        gen2, expected = _batches([]), []
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for _ in range(6):
                bx, by = next(gen2)
                expected.append(sess.run([loss2, train], {X2: bx, y2: by})[0])
            assert stepper.values == {'m': sess.run(m2), 'b': sess.run(b2)}
    assert stepper.history == expected
    view = stepper.widget                      # drawing peeks at the next batch, once
    assert drawn == [0, 1, 2, 3, 0, 1, 2]
    assert len(view._figure.axes) == 2         # the 2-D landscape over (m, b)
    stepper.step()
    assert drawn == [0, 1, 2, 3, 0, 1, 2, 3]


def test_static_feed_dict_and_var_list():
    X, y, m, b, loss = _regression()
    feed = {X: [0., 1., 2.], y: [1., 4., 7.]}
    stepper = GradientDescentStepper(loss, learning_rate=0.1, var_list=[m], feed_dict=feed)
    stepper.step(3)
    assert stepper.values['m'] != 0 and set(stepper.values) == {'m'}
    assert stepper.session.run(b) == 0


def test_given_session_keeps_its_values_and_reset_returns_to_them():
    _, loss = neuron()
    w = tf.trainable_variables()[0]
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    sess.run(w.assign(0.5))
    stepper = GradientDescentStepper(loss, session=sess)
    assert stepper.session is sess and stepper.values == {'weight': f32(0.5)}
    stepper.step(4)
    stepper.reset()
    assert sess.run(w) == f32(0.5)


def test_errors_say_what_to_do():
    v = tf.Variable([1.0, 2.0], name='v')
    with pytest.raises(ValueError, match='must be a scalar.*reduce_mean'):
        GradientDescentStepper(v * 2.0)
    with pytest.raises(ValueError, match='does not depend on any trainable variable'):
        GradientDescentStepper(tf.constant(1.0) * 2.0, var_list=[v])


def test_array_variables_show_norms_and_only_the_loss_curve():
    v = tf.Variable([3.0, 4.0], name='v')
    stepper = GradientDescentStepper(tf.reduce_sum(tf.square(v)), learning_rate=0.1)
    stepper.step(2)
    view = stepper.widget
    assert '‖v‖' in view.update_text.value and len(view._figure.axes) == 1
    assert repr(stepper) == ('<GradientDescentStepper GradientDescent learning_rate=0.1 step=2 '
                             'loss=10.24 v=<2 norm=3.2>>')


# ---- display --------------------------------------------------------------------------
def test_text_plain_is_meaningful_and_the_bundle_holds_the_widget():
    _, loss = neuron()
    stepper = GradientDescentStepper(loss)
    bundle = stepper._repr_mimebundle_()
    # where the widget cannot show (an untrusted notebook), the text says what it is
    assert bundle['text/plain'] == \
        ('<GradientDescentStepper GradientDescent learning_rate=0.025 step=0 loss=0.64 weight=0.8>\n'
         '(an interactive widget: run the cell in Jupyter to use it)')
    assert bundle['application/vnd.jupyter.widget-view+json']['model_id'] == stepper.widget.box.model_id
    stepper.step()
    assert repr(stepper) == \
        '<GradientDescentStepper GradientDescent learning_rate=0.025 step=1 loss=0.5776 weight=0.76>'


def test_text_colours_follow_jupyterlabs_theme():
    """The hint and the stopped status read well on JupyterLab's dark theme: colours are its
    CSS variables (a fixed grey or red only as the fallback for other front ends)."""
    x = tf.Variable(3.0, name='x')
    stepper = GradientDescentStepper(tf.square(x), learning_rate=0.1, max_steps=1)
    view = stepper.widget
    hint = view.update_text.value
    stepper.step(2)
    status = view.status.value
    assert 'var(--jp-ui-font-color2, #555)' in hint and 'var(--jp-error-color1, #b00020)' in status
    for markup in (hint, status, view.counter.value, view.update_text.value):
        fixed = re.findall(r"color\s*:\s*(#[0-9a-fA-F]{3,6}|rgb|black|gray|grey)", markup)
        assert not fixed, markup


def test_one_image_updated_in_place():
    _, loss = neuron()
    stepper = GradientDescentStepper(loss)
    view = stepper.widget
    image, first = view.image, view.image.value
    stepper.step(5)
    assert view.image is image and bytes(image.value) != bytes(first) and bytes(image.value).startswith(b'\x89PNG')
    assert len(view._figure.axes) == 2         # loss curve and the 1-D landscape


def test_too_old_ipywidgets_gives_one_line_and_the_text(monkeypatch):
    """A front end with ipywidgets 7: the stepper still steps; its display says why there is no widget."""
    import sys
    import tfteach.versions
    monkeypatch.setattr(tfteach.versions, "IPYWIDGETS", (99, 0))
    monkeypatch.delitem(sys.modules, "tfteach.widgets.stepper_view", raising=False)
    _, loss = neuron()
    stepper = GradientDescentStepper(loss)
    stepper.step()
    bundle = stepper._repr_mimebundle_()
    assert list(bundle) == ["text/plain"]
    assert bundle["text/plain"].startswith("<GradientDescentStepper GradientDescent learning_rate=0.025 step=1")
    assert "no widget here: tfteach's widgets (the stepper and the replay) need ipywidgets >= 99.0" \
        in bundle["text/plain"]
    assert "pip install -U 'ipywidgets>=99.0'" in bundle["text/plain"]
