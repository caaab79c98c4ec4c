"""A teacher's classroom configuration for the stepper: hidden controls, a range, a cap, a seed.

Configurations come as arguments, a dict, a JSON file or the JSON text `export_config()` gives;
the same seed gives the same numbers in two separate Python processes (two learners' kernels).
"""
import json
import os
import subprocess
import sys

import numpy as np
import pytest

import tfteach as tf
from tfteach.widgets import GradientDescentStepper
from tfteach.widgets.config import load_config

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@pytest.fixture(autouse=True)
def fresh_graph():
    tf.reset_default_graph()
    yield
    tf.reset_default_graph()


def neuron_loss():
    w = tf.Variable(0.8, name='weight')
    return tf.pow(w * 1.0 - 0.0, 2, name='loss')


def control_row(stepper):
    return stepper.widget.box.children[1].children


# ---- which controls show ----------------------------------------------------------------
def test_hidden_controls_are_not_among_the_widgets_children():
    stepper = GradientDescentStepper(neuron_loss(), controls=["step", "reset"])
    view = stepper.widget
    assert list(control_row(stepper)) == [view.step_button, view.reset_button, view.counter]
    assert view.play not in control_row(stepper) and view.rate_slider not in control_row(stepper)
    view.step_button.click()
    assert stepper.step_count == 1


def test_all_controls_show_by_default():
    stepper = GradientDescentStepper(neuron_loss())
    view = stepper.widget
    assert list(control_row(stepper)) == [view.step_button, view.play, view.reset_button, view.rate_slider,
                                          view.counter]


def test_unknown_control_or_key_is_named():
    with pytest.raises(ValueError, match=r"unknown control\(s\) \['slider'\]"):
        GradientDescentStepper(neuron_loss(), controls=["step", "slider"])
    with pytest.raises(ValueError, match="unknown key.*'max_step'.*max_steps"):
        GradientDescentStepper(neuron_loss(), config={"max_step": 3})


# ---- learning-rate range and step cap ---------------------------------------------------
def test_learning_rate_range_sets_the_slider_and_refuses_rates_outside_it():
    stepper = GradientDescentStepper(neuron_loss(), config={"learning_rate_range": [0.001, 0.1],
                                                             "learning_rate": 0.01})
    slider = stepper.widget.rate_slider
    assert (slider.min, slider.max) == pytest.approx((-3, -1))
    assert slider.value == pytest.approx(0.01)
    with pytest.raises(ValueError, match=r"outside this class's range \[0.001, 0.1\]"):
        stepper.learning_rate = 0.5
    stepper.learning_rate = 0.05
    assert slider.value == pytest.approx(0.05)


def test_step_cap_stops_steps_and_play():
    stepper = GradientDescentStepper(neuron_loss(), config={"max_steps": 3})
    assert stepper.widget.play.max == 3
    stepper.step(10)
    assert stepper.step_count == 3 and "max_steps = 3" in stepper.stopped
    assert stepper.widget.step_button.disabled


# ---- files, text, precedence ------------------------------------------------------------
def test_config_from_a_json_file_and_arguments_win(tmp_path):
    path = tmp_path / "class.json"
    path.write_text(json.dumps({"controls": ["step"], "learning_rate": 0.05, "max_steps": 5, "seed": 3}))
    stepper = GradientDescentStepper(neuron_loss(), config=str(path), max_steps=8)
    assert stepper.controls == ["step"]
    assert stepper.learning_rate == 0.05 and stepper.max_steps == 8 and stepper.seed == 3


def test_missing_file_and_bad_json_say_what_to_do(tmp_path):
    with pytest.raises(FileNotFoundError, match="next to the notebook"):
        load_config(str(tmp_path / "nope.json"))
    with pytest.raises(ValueError, match="not valid JSON"):
        load_config('{"seed": 1,}')


def test_export_and_reimport_give_the_same_widget():
    stepper = GradientDescentStepper(neuron_loss(), controls=["reset", "step", "learning_rate"],
                                     learning_rate_range=(0.001, 0.5), max_steps=40, seed=11)
    stepper.widget.rate_slider.value = 0.1  # the teacher moves the slider, then exports
    text = stepper.export_config()
    assert json.loads(text) == {"widget": "GradientDescentStepper",
                                "controls": ["step", "reset", "learning_rate"], "learning_rate": 0.1,
                                "learning_rate_range": [0.001, 0.5], "max_steps": 40, "seed": 11}
    tf.reset_default_graph()
    again = GradientDescentStepper(neuron_loss(), config=text)   # pasted into another notebook
    assert again.export_config() == text
    assert [type(w).__name__ for w in control_row(again)] == \
        [type(w).__name__ for w in control_row(stepper)]
    slider = again.widget.rate_slider
    assert (slider.min, slider.max, slider.value) == pytest.approx(
        (stepper.widget.rate_slider.min, stepper.widget.rate_slider.max, 0.1))
    stepper.reset()
    stepper.step(5)
    again.step(5)
    assert again.history == stepper.history and again.values == stepper.values


# ---- the same seed, the same numbers, in two processes ----------------------------------
LEARNER = r"""
import json, sys
import tfteach as tf
from tfteach.widgets import GradientDescentStepper
x = tf.placeholder(tf.float32, [None, 3], name="x")
y = tf.placeholder(tf.float32, [None, 1], name="y")
w = tf.Variable(tf.random_normal([3, 1]), name="w")    # no seed: fresh numbers every session
b = tf.Variable(tf.random_uniform([1]), name="b")
loss = tf.reduce_mean(tf.square(tf.matmul(x, w) + b - y))
xs = [[i % 3, i % 5, i % 7] for i in range(40)]
ys = [[0.5 * a - b_ + 0.2 * c] for a, b_, c in xs]
stepper = GradientDescentStepper(loss, config=sys.argv[1], data={x: xs, y: ys}, batch_size=8)
stepper.step(6)
print(json.dumps({"history": [float(h) for h in stepper.history],
                  "w": stepper.values["w"].ravel().tolist(), "b": stepper.values["b"].tolist()}))
"""


def _learner(config):
    done = subprocess.run([sys.executable, "-c", LEARNER, config], capture_output=True, text=True,
                          timeout=120, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_the_same_seed_gives_two_kernels_the_same_numbers():
    first, second = _learner('{"seed": 7}'), _learner('{"seed": 7}')
    assert first == second
    other = _learner('{"seed": 8}')
    assert other["w"] != first["w"] and other["history"] != first["history"]
    unseeded = _learner('{"max_steps": 100}'), _learner('{"max_steps": 100}')
    assert unseeded[0]["w"] != unseeded[1]["w"]   # without a seed, learners differ


def test_a_seed_of_its_own_is_left_alone():
    tf.set_random_seed(1)
    w = tf.Variable(tf.random_normal([2]), name="w")
    loss = tf.reduce_sum(tf.square(w))
    a = GradientDescentStepper(loss, seed=5).values["w"]
    b = GradientDescentStepper(loss, seed=6).values["w"]
    np.testing.assert_array_equal(a, b)   # the graph seed already fixes them
