"""Backprop replay, widget side: buttons and slider move the Replay; the picture follows.

The widget is driven through its Python objects (`button.click()`, `slider.value = ...`), so
these tests run the code a learner's clicks run. The SVG tests marked needs_dot need Graphviz's
`dot`; without it the built-in layout draws (tests/test_replay_picture.py).
"""
import re

import pytest

import tfteach as tf
from tfteach.display import render
from tfteach.widgets import replay

from test_replay import neuron

HAVE_DOT = render.find_dot() is not None


@pytest.fixture(autouse=True)
def fresh_graph():
    tf.reset_default_graph()
    yield
    tf.reset_default_graph()


def test_buttons_and_slider_move_the_replay(no_dot):
    sess, train_step, _, _ = neuron()
    r = replay(train_step, session=sess)
    view = r.widget
    assert view is r.widget                      # one view per replay
    assert view.prev_button.disabled and not view.next_button.disabled
    assert view.slider.max == len(r.positions) == view.play.max
    assert "step 1 of 59 · forward" in view.position_label.value
    assert "<code class='tfteach-replay-op'>input</code>" in view.current.value

    view.next_button.click()
    assert r.position == 1 and view.slider.value == 2
    assert "step 2 of 59" in view.position_label.value
    assert "weight/read reads the variable weight = 0.8" in view.current.value
    assert "in: weight:0" in view.current.value and "<code>0.8</code>" in view.current.value

    view.slider.value = 56                       # the slider counts from 1
    assert r.position == 55 and r.highlighted() == {"gradients/output_grad/tuple/control_dependency"}
    assert "∂loss/∂weight = ∂loss/∂output × d(output)/d(weight) = 1.6 × 1.0 = 1.6" in view.current.value

    r.go(len(r.positions) - 1)                    # moving the Replay refreshes the view
    assert view.slider.value == len(r.positions) and view.next_button.disabled
    view.prev_button.click()
    assert r.position == len(r.positions) - 2
    assert "weight: 0.8 → 0.76" in view.current.value


def test_without_dot_the_picture_is_the_builtin_drawing(no_dot):
    sess, train_step, _, _ = neuron()
    r = replay(train_step, session=sess)
    picture = r.widget.picture.value
    assert picture.startswith('<svg xmlns="http://www.w3.org/2000/svg" class="tfteach-replay-window"')
    assert render.NO_DOT_NOTE in picture and "install Graphviz" not in r.widget.box.children[1].value
    assert '<g class="node" data-id="input"' in picture
    assert r.dot().startswith("digraph")          # the DOT text needs no Graphviz


def test_mimebundle_is_the_widget_with_text(no_dot):
    sess, train_step, _, _ = neuron()
    bundle = replay(train_step, session=sess)._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["text/plain"].startswith("<Replay of GradientDescent: 59 ops run")


def test_grouped_replay_shows_its_note(no_dot):
    from test_replay import chain
    sess, train_step = chain(100, scopes=True)
    r = replay(train_step, session=sess)
    assert "too many to replay op by op" in r.widget.box.children[1].value
    assert "(ops 1–" in r.widget.position_label.value


@pytest.mark.needs_dot
@pytest.mark.skipif(not HAVE_DOT, reason="no Graphviz `dot` (CI installs it)")
@pytest.mark.parametrize("k, name", [(0, "input"), (34, "gradients/loss_grad/"),
                                     (57, "GradientDescent/update_weight/ApplyGradientDescent")])
def test_svg_highlights_the_current_node(k, name):
    sess, train_step, _, _ = neuron()
    r = replay(train_step, session=sess)
    svg = r.svg(k)
    assert svg.startswith("<svg") and r.label(k) in svg
    # the node drawn with the highlight colour is the one this position ran
    nodes = re.findall(r'<g id="[^"]*" class="node">\s*<title>([^<]*)</title>(.*?)</g>', svg, re.S)
    red = [title for title, body in nodes if 'stroke="#d62728"' in body]
    assert red == [name.replace("&", "&amp;")]
    assert r.svg(k) is svg                          # drawn once per position
    view = r.widget
    view.slider.value = k + 1
    assert svg.partition(">")[2] in view.picture.value   # the drawing, seen through a window
