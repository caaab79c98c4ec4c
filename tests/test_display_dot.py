"""Graph drawings with the `dot` binary: the SVG, and the gradient mirror's geometry.

The mirror is checked from `dot -Tjson` positions, not by eye: each `<op>_grad` box spans
its forward op's height and lies to one side of it. Also runs widgets/graph_view.ipynb under
nbval, since CI's plain `pytest` does not collect notebooks.
"""
import json
import re
import os
import subprocess
import sys

import numpy as np
import pytest

import tfteach as tf
from tfteach.display import render, show_graph
from tfteach.display.dot import _gradient_calls
from tfteach.display.drawing import SEE_IT

from test_display import neuron

pytestmark = [pytest.mark.needs_dot,
              pytest.mark.skipif(render.find_dot() is None, reason="no Graphviz `dot` (CI installs it)")]
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@pytest.fixture(autouse=True)
def fresh_graph():
    tf.reset_default_graph()
    yield
    tf.reset_default_graph()


def two_layer_net(variables=False):
    """Seed 001's 2-layer net: placeholders (or variables and an optimizer), tf.gradients."""
    N, D, H = 64, 1000, 100
    x = tf.placeholder(tf.float32, shape=(N, D), name="x")
    y = tf.placeholder(tf.float32, shape=(N, D), name="y")
    if variables:
        w1 = tf.Variable(tf.random_normal((D, H), seed=1), name="w1")
        w2 = tf.Variable(tf.random_normal((H, D), seed=2), name="w2")
    else:
        w1 = tf.placeholder(tf.float32, shape=(D, H), name="w1")
        w2 = tf.placeholder(tf.float32, shape=(H, D), name="w2")
    h = tf.maximum(tf.matmul(x, w1), 0)
    y_pred = tf.matmul(h, w2)
    diff = y_pred - y
    loss = tf.reduce_mean(tf.reduce_sum(diff ** 2, axis=1))
    if variables:
        tf.train.GradientDescentOptimizer(1e-5).minimize(loss)
    else:
        tf.gradients(loss, [w1, w2])
    return x, y, w1, w2, loss


def second_order():
    """d2y/dx2 by calling tf.gradients on a gradient: two mirrors, side by side."""
    x = tf.Variable(2.0, name="x")
    y = x * x * x
    tf.gradients(tf.gradients(y, x)[0], x)


def scoped_net():
    """Forward ops inside name scopes, so the forward op itself sits in a box."""
    x = tf.placeholder(tf.float32, shape=(8, 4), name="x")
    with tf.name_scope("layer1"):
        w = tf.Variable(tf.ones((4, 3)), name="w")
        h = tf.matmul(x, w)
        h = tf.maximum(h, 0.0)
    with tf.name_scope("loss"):
        loss = tf.reduce_sum(h * h)
    tf.train.GradientDescentOptimizer(0.1).minimize(loss)


def layout(source):
    """Node centres and sizes, and cluster boxes with their node names, from `dot -Tjson`."""
    out = json.loads(render.run_dot(source, "json"))
    objects = out["objects"]
    by_id = {o["_gvid"]: o for o in objects}
    nodes = {}
    for o in objects:
        if "pos" in o:
            x, y = map(float, o["pos"].split(","))
            nodes[o["name"]] = (x, y, float(o["width"]) * 72, float(o["height"]) * 72)
    clusters = {}
    for o in objects:
        if o["name"].startswith("cluster_") and "bb" in o:
            names = {by_id[i]["name"] for i in o.get("nodes", [])}
            clusters[o["name"]] = (tuple(map(float, o["bb"].split(","))), names)
    return nodes, clusters


def mirror_sides(graph, source):
    """For each forward op with a gradient group, check the geometry; return the sides."""
    nodes, clusters = layout(source)
    calls = _gradient_calls(graph)
    groups = {}  # (forward op, tf.gradients call) -> names of its `_grad` ops
    for op in graph.get_operations():
        if op.gradient_of is not None and op.gradient_of[1] is None and op.gradient_of[0] is not None:
            if op.gradient_of[0].gradient_of is None:  # second-order groups are not mirrored
                groups.setdefault((op.gradient_of[0], calls[op]), []).append(op.name)
    sides = {}
    for (forward, _), names in groups.items():
        fx, fy, fw, fh = nodes[forward.name]
        holding = [(bb, members) for bb, members in clusters.values() if set(names) <= members]
        if holding:  # the smallest box holding the whole group is its `<op>_grad` box
            (x0, y0, x1, y1), _ = min(holding, key=lambda c: len(c[1]))
        else:  # a group of one op: no box of its own
            x, y, w, h = nodes[names[0]]
            x0, y0, x1, y1 = x - w / 2, y - h / 2, x + w / 2, y + h / 2
        assert y0 <= fy <= y1, f"{forward.name} at y={fy} is not level with its gradient box {y0}..{y1}"
        assert fx + fw / 2 <= x0 or fx - fw / 2 >= x1, f"{forward.name} overlaps its gradient box"
        sides[forward.name] = "right" if fx - fw / 2 >= x1 else "left"
    return sides


def collapsed_sides(graph, source):
    """depth=1: each collapsed `<op>_grad` node is on its forward op's rank, to one side."""
    nodes, _ = layout(source)
    sides = {}
    for name, (x, y, w, h) in nodes.items():
        if not name.endswith("_grad/"):
            continue
        group = [op for op in graph.get_operations() if op.name.startswith(name)]
        forward = group[0].gradient_of[0]
        fx, fy, fw, fh = nodes[forward.name]
        assert abs(fy - y) < 1, f"{name} is not level with {forward.name}"
        assert abs(fx - x) >= (fw + w) / 2
        sides[forward.name] = "right" if fx > x else "left"
    return sides


# ---- SVG ------------------------------------------------------------------------------------
def test_graph_bundle_has_svg_and_text():
    neuron()
    g = tf.get_default_graph()
    bundle = g._repr_mimebundle_()
    assert set(bundle) == {"text/plain", "image/svg+xml"}
    assert bundle["text/plain"] == repr(g) + "\n" + SEE_IT
    svg = bundle["image/svg+xml"]
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
    # the neuron's gradients are wider than a notebook: each <op>_grad box is folded to one node
    assert "<title>gradients/loss_grad/</title>" in svg and 'fill="#ffffff"' in svg
    assert "Folded to fit the notebook" in svg


def test_ipython_formats_a_graph_as_svg():
    from IPython.core.interactiveshell import InteractiveShell
    ip = InteractiveShell.instance()
    try:
        neuron()
        data, _ = ip.display_formatter.format(tf.get_default_graph())
        assert {"text/plain", "image/svg+xml"} <= set(data)
    finally:
        InteractiveShell.clear_instance()


def test_save_png(tmp_path):
    neuron()
    path = show_graph(depth=1).save(tmp_path / "g.png")
    assert open(path, "rb").read(8) == b"\x89PNG\r\n\x1a\n"


def test_dot_failure_is_a_hint_not_an_exception():
    drawing = tf.display.Drawing("digraph { a -> }", "<text>")
    bundle = drawing._repr_mimebundle_()
    assert set(bundle) == {"text/plain"} and bundle["text/plain"].startswith("<text>\n(no picture: dot failed")


# ---- the mirror's geometry --------------------------------------------------------------------
@pytest.mark.parametrize("build, depth", [(neuron, 1), (two_layer_net, 1),
                                          (lambda: two_layer_net(variables=True), 1), (scoped_net, 2),
                                          (second_order, 1)],
                         ids=["neuron", "net", "net-variables", "scoped", "second-order"])
def test_each_grad_box_sits_beside_its_forward_op(build, depth):
    build()
    g = tf.get_default_graph()
    sides = mirror_sides(g, show_graph(g, depth="all").source)
    assert sides and len(set(sides.values())) == 1, f"boxes on both sides: {sides}"
    # `depth` collapses each `<op>_grad` box into one node
    sides = collapsed_sides(g, show_graph(g, depth=depth).source)
    assert sides and len(set(sides.values())) == 1, f"nodes on both sides: {sides}"


def test_mirror_holds_with_values_on_the_nodes():
    _, _, _, train_step = neuron()
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    sess.run(train_step)
    g = tf.get_default_graph()
    assert mirror_sides(g, show_graph(g, session=sess, values=True, depth="all").source)


def test_two_layer_net_values_from_a_feed():
    x, y, w1, w2, loss = two_layer_net()
    rng = np.random.RandomState(0)
    feed = {x: rng.randn(64, 1000), y: rng.randn(64, 1000), w1: rng.randn(1000, 100),
            w2: rng.randn(100, 1000)}
    with tf.Session() as sess:
        drawing = show_graph(loss, session=sess, feed_dict=feed, values=True)
    assert "= (64, 1000) mean" in drawing.source
    assert set(drawing._repr_mimebundle_()) == {"text/plain", "image/svg+xml"}


# ---- the notebook ---------------------------------------------------------------------------


def test_dot_draws_the_decorations():
    """A decorated Scene through Graphviz: the caption as the graph's label above the
    picture, the side label (xlabel) inside its node's group, grey fills and edges."""
    from tfteach.display.dot import dot_text
    from tfteach.display.scene import Text, build_scene
    neuron()
    scene = build_scene(tf.get_default_graph(), depth=1)
    scene.node("output").xlabel = [Text("0.8 × 1.0 = 0.8", "#d62728", 11, True)]
    scene.caption = [Text("step 3 of 59 · forward", None, 14, True),
                     Text("output = weight × input = 0.8 × 1.0 = 0.8", None, 13, False)]
    scene.grey_out(["loss", "sub"])
    source = dot_text(scene)
    assert "forcelabels=true;" in source and 'labelloc="t"' in source
    svg = render.svg(source)
    nodes = dict(re.findall(r'<g id="[^"]*" class="node">\s*<title>([^<]*)</title>(.*?)</g>', svg, re.S))
    assert "0.8 × 1.0 = 0.8</text>" in nodes["output"] and 'fill="#d62728"' in nodes["output"]
    assert svg.count(">0.8 × 1.0 = 0.8</text>") == 1
    for name in ("loss", "sub"):
        assert 'fill="#f3f3f3"' in nodes[name] and 'fill="#ababab"' in nodes[name]
    assert 'fill="#f3f3f3"' not in nodes["output"]
    edges = dict(re.findall(r'<g id="[^"]*" class="edge">\s*<title>([^<]*)</title>(.*?)</g>', svg, re.S))
    assert 'stroke="#d4d4d4"' in edges["sub&#45;&gt;loss"]
    # the caption is the graph's label: above every node
    ys = {t: float(y) for y, t in re.findall(r'<text[^>]*y="([-\d.]+)"[^>]*>([^<]*)</text>', svg)}
    node_ys = [float(y) for body in nodes.values() for y in re.findall(r'points="[^"]*?,([-\d.]+)', body)]
    assert ys["step 3 of 59 · forward"] < ys["output = weight × input = 0.8 × 1.0 = 0.8"] < min(node_ys)
