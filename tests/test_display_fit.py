"""Drawings that fit the notebook: scaled to the output area, folded to stay legible, zoomable."""
import re

import pytest

import tfteach as tf
from tfteach.display import drawing, fit, render, show_graph


@pytest.fixture(autouse=True)
def fresh_graph():
    tf.reset_default_graph()
    yield
    tf.reset_default_graph()


@pytest.fixture(params=["dot", "builtin"])
def renderer(request, monkeypatch):
    if request.param == "dot" and render.find_dot() is None:
        pytest.skip("needs Graphviz's dot")
    monkeypatch.setitem(drawing.defaults, "renderer", request.param)
    return request.param


def two_layer_net():
    """Lesson 2's net: tf.layers, a loss, an optimizer (131 ops, 2493 units wide when open)."""
    x = tf.placeholder(tf.float32, shape=(64, 1000))
    y = tf.placeholder(tf.float32, shape=(64, 1000))
    h = tf.layers.dense(x, 100, activation=tf.nn.relu)
    y_pred = tf.layers.dense(h, 1000)
    loss = tf.losses.mean_squared_error(y_pred, y)
    return tf.train.GradientDescentOptimizer(1.0).minimize(loss)


def neuron_with_gradients():
    x = tf.constant(1.0, name="input")
    w = tf.Variable(0.8, name="weight")
    y = tf.multiply(w, x, name="output")
    loss = tf.pow(y - 0.0, 2, name="loss")
    return tf.train.GradientDescentOptimizer(0.025).minimize(loss)


def smallest_label_px(svg):
    """The smallest node label (a node's name: the largest text in its group), in screen px,
    with the picture in a NOTEBOOK_PX output area."""
    nodes = re.findall(r'<g [^>]*class="node[^"]*"[^>]*>(.*?)</g>', svg, re.S)
    sizes = [max(float(v) for v in re.findall(r'font-size="([\d.]+)"', n)) for n in nodes
             if "font-size" in n]
    return min(sizes) * fit.scale_at_default_width(svg)


def test_a_wide_picture_is_scaled_to_the_output_a_small_one_keeps_its_size():
    wide = '<svg width="2000pt" height="100pt" viewBox="0 0 2000 100"><g/></svg>'
    small = '<svg width="300pt" height="100pt" viewBox="0 0 300 100"><g/></svg>'
    out = fit.fitted(wide)
    assert re.match(r'<svg width="100%" viewBox="0 0 2000 100"', out) and 'height=' not in out[:60]
    assert fit.fitted(small).startswith('<svg width="300pt" height="100pt" viewBox="0 0 300 100"')
    assert fit.scale_at_default_width(wide) == pytest.approx(fit.NOTEBOOK_PX / 2000)
    assert fit.scale_at_default_width(small) == pytest.approx(4 / 3)


def test_notes_are_wrapped_under_the_picture_and_attributes_added():
    small = '<svg width="300pt" height="100pt" viewBox="0 0 300 100"><g/></svg>'
    out = fit.fitted(small, ["word " * 60], attrs={"data-focus": "a b"})
    x, y, width, height = fit.view_box(out)
    assert width == fit.NOTE_WIDTH and height > 100
    notes = re.findall(r'<text class="note" x="[\d.]+" y="([\d.]+)"[^>]*>([^<]*)</text>', out)
    assert len(notes) >= 2 and all(float(top) > 100 for top, _ in notes)
    assert all(len(text) * fit.CHAR_UNITS <= width - 16 for _, text in notes)
    assert ' data-focus="a b"' in out.split(">", 1)[0]


def test_lesson2_net_is_folded_to_fit_with_a_note(renderer):
    two_layer_net()
    g = tf.get_default_graph()
    whole = show_graph(g, depth="all")
    assert fit.view_box(whole.svg())[2] > fit.MAX_UNITS  # too wide to read when open
    d = show_graph(g)
    assert fit.view_box(d.svg())[2] <= fit.MAX_UNITS
    picture = d.picture()
    assert "Folded to fit the notebook" in picture and "depth=&#x27;all&#x27;" in picture
    assert "Key: an edge&#x27;s label is its tensor&#x27;s shape and dtype" in picture
    assert smallest_label_px(picture) >= fit.MIN_LABEL_PX


def test_neuron_gradients_fold_into_one_box_per_forward_op(renderer):
    neuron_with_gradients()
    d = show_graph(tf.get_default_graph())
    ids = {n.id for n in d.scene.nodes}
    # the mirror stays: each <op>_grad is one box, level with its op; the forward ops are open
    assert {"gradients/output_grad/", "gradients/loss_grad/", "output", "loss"} <= ids
    assert smallest_label_px(d.picture()) >= fit.MIN_LABEL_PX


def test_focus_stays_open_highlighted_and_marked(renderer):
    two_layer_net()
    d = show_graph(tf.get_default_graph(), focus="dense_1/MatMul")
    node = d.scene.node("dense_1/MatMul")
    assert node.highlight and d.focus == ["dense_1/MatMul"]
    assert 'data-focus="dense_1/MatMul"' in d.picture().split(">", 1)[0]
    assert fit.view_box(d.svg())[2] <= fit.MAX_UNITS
    assert fit.node_box(d.svg(), "dense_1/MatMul") is not None


def test_depth_all_and_numbers_draw_as_asked():
    neuron_with_gradients()
    g = tf.get_default_graph()
    assert not any(n.kind == "scope" for n in show_graph(g, depth="all").scene.nodes)
    assert "gradients/" in {n.id for n in show_graph(g, depth=0).scene.nodes}
    with pytest.raises(ValueError, match="depth must be 'auto', 'all' or a number"):
        show_graph(g, depth="deep")


def test_zoom_is_a_window_around_the_node(renderer):
    two_layer_net()
    d = show_graph(tf.get_default_graph(), depth="all")
    z = d.zoom("dense_1/MatMul", 1.5)
    box = fit.node_box(d.svg(), "dense_1/MatMul")
    x, y, w, h = fit.view_box(z.svg)
    assert x <= box[0] and box[2] <= x + w and y <= box[1] and box[3] <= y + h
    assert w * fit.PX_PER_UNIT * 1.5 == pytest.approx(fit.FIT_PX)
    assert z._repr_mimebundle_()["text/plain"].startswith("<tf.Graph drawing zoomed on 'dense_1/MatMul'")
    with pytest.raises(ValueError, match="'nothing' is not drawn"):
        d.zoom("nothing")


def test_a_graph_too_big_to_draw_is_summarized():
    x = tf.constant(0.0)
    for i in range(drawing.AUTO_MAX_OPS // 2 + 1):
        x = x + 1.0
    g = tf.get_default_graph()
    bundle = g._repr_mimebundle_()
    assert set(bundle) == {"text/plain"}
    text = bundle["text/plain"]
    assert text.startswith(repr(g)) and f"Not drawn: {len(g.get_operations())} ops" in text
    assert "show_graph(tensor)" in text and "depth=0" in text


def test_too_wide_with_a_focus_shows_the_part_around_it(renderer):
    two_layer_net()
    d = show_graph(tf.get_default_graph(), depth="all", focus="dense_1/MatMul")
    assert fit.view_box(d.svg())[2] > fit.MAX_UNITS
    picture = d.picture()
    x, y, width, height = fit.view_box(picture)
    box = fit.node_box(picture, "dense_1/MatMul")
    assert x <= box[0] and box[2] <= x + width and width * fit.PX_PER_UNIT <= fit.FIT_PX + 1
    assert "Too wide to read whole: this is the part around dense_1/MatMul" in picture
    assert smallest_label_px(picture) >= fit.MIN_LABEL_PX
