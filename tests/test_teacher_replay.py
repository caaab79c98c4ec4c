"""A teacher's classroom configuration for the backprop replay: hidden controls, the first
position shown, export and re-import."""
import json

import pytest

import tfteach as tf
from tfteach.widgets import replay


@pytest.fixture(autouse=True)
def fresh_graph():
    tf.reset_default_graph()
    yield
    tf.reset_default_graph()


def neuron_step():
    x = tf.constant(1.0, name="input")
    w = tf.Variable(0.8, name="weight")
    y = tf.multiply(w, x, name="output")
    loss = tf.pow(y - 0.0, 2, name="loss")
    train_step = tf.train.GradientDescentOptimizer(0.025).minimize(loss)
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    return sess, train_step


def control_row(r):
    return r.widget.box.children[2].children


def test_hidden_controls_are_left_out_and_the_first_position_is_the_teachers():
    sess, train_step = neuron_step()
    r = replay(train_step, session=sess, config={"controls": ["next", "prev"], "position": 3})
    view = r.widget
    row = control_row(r)
    assert view.prev_button in row and view.next_button in row
    assert view.play not in row and view.slider not in row and view.whole not in row
    assert r.position == 3 and "step 4 of" in r.label()
    view.next_button.click()
    assert r.position == 4


def test_export_then_import_gives_the_same_widget(tmp_path):
    sess, train_step = neuron_step()
    r = replay(train_step, session=sess, controls=["next", "whole"], depth=None, theme="dark")
    r.position = 5
    text = r.export_config()
    assert json.loads(text) == {"widget": "Replay", "controls": ["next", "whole"], "position": 5,
                                "group": r.group, "depth": "all", "theme": "dark"}
    path = tmp_path / "class.json"
    path.write_text(text)
    sess2, train_step2 = neuron_step()
    again = replay(train_step2, session=sess2, config=str(path))
    assert again.controls == ["next", "whole"] and again.position == 5 and again.theme == "dark"
    assert again.depth is None
    assert again.export_config() == text


def test_a_bad_configuration_says_what_is_wrong():
    sess, train_step = neuron_step()
    with pytest.raises(ValueError, match=r"unknown control\(s\) \['rewind'\]; the controls are "
                                         r"\['prev', 'next', 'play', 'slider', 'whole'\]"):
        replay(train_step, session=sess, controls=["next", "rewind"])
    with pytest.raises(ValueError, match=r"unknown key\(s\) 'seed'"):
        replay(train_step, session=sess, config={"seed": 3})
