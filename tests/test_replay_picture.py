"""Backprop replay, the picture (issue 20): a decorated Scene, drawn with or without `dot`,
seen through a window that follows the active op.

The replay greys out, labels and captions the display's Scene (tfteach/display/scene.py), and
both renderers draw those decorations. Without `dot` (find_dot patched to None) the built-in
layout draws the replay; its SVG is read back: the active op highlighted, exactly the greyed
nodes dim, each line of arithmetic once. The widget's window is checked after many presses of
Next on the 2-layer net of widgets/backprop_replay.ipynb.
"""
import html
import os
import re
import xml.etree.ElementTree as ET

import pytest

import tfteach as tf
from tfteach.display import render
from tfteach.widgets import replay
from tfteach.widgets.replay_view import WINDOW_H, WINDOW_W

from test_layout import check_geometry, overlap
from test_replay import neuron

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SVG = "{http://www.w3.org/2000/svg}"
HAVE_DOT = render.find_dot() is not None
HIGHLIGHT = "#d62728"


@pytest.fixture(autouse=True)
def fresh_graph():
    tf.reset_default_graph()
    yield
    tf.reset_default_graph()


def two_layer_net(group="op"):
    """The 2-layer net of widgets/backprop_replay.ipynb, replayed op by op (73 steps)."""
    tf.set_random_seed(1)
    x = tf.constant([[0., 0.], [0., 1.], [1., 0.], [1., 1.]], name='x')
    y = tf.constant([[0.], [1.], [1.], [0.]], name='y')
    w1 = tf.Variable(tf.random_normal([2, 3], seed=1), name='w1')
    b1 = tf.Variable(tf.zeros([3]), name='b1')
    w2 = tf.Variable(tf.random_normal([3, 1], seed=2), name='w2')
    b2 = tf.Variable(tf.zeros([1]), name='b2')
    hidden = tf.sigmoid(tf.matmul(x, w1) + b1, name='hidden')
    y_pred = tf.add(tf.matmul(hidden, w2), b2, name='y_pred')
    loss = tf.reduce_mean(tf.square(y_pred - y), name='loss')
    train_step = tf.train.GradientDescentOptimizer(0.5).minimize(loss)
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    return replay([loss, train_step], session=sess, group=group)


def texts(svg):
    """The content of every <text> element, unescaped."""
    return [t.text for t in ET.fromstring(svg).iter(SVG + "text")]


# ---- the Scene, decorated ------------------------------------------------------------------------
def test_scene_carries_the_decorations():
    sess, train_step, _, _ = neuron()
    r = replay(train_step, session=sess)
    k = [s.name for s in r.steps].index("gradients/output_grad/tuple/control_dependency")
    scene = r.scene(k)
    dim = {n.id for n in scene.nodes if n.dim}
    # a node is grey when every op it draws has yet to run
    assert dim == {n for n in {scene.node_of[name] for name in r.greyed(k)}
                   if all(op in r.greyed(k) for op, m in scene.node_of.items() if m == n)}
    assert "GradientDescent" in dim and "output" not in dim and "weight" not in dim
    assert all(e.dim == (e.tail in dim or e.head in dim) for e in scene.edges)
    assert r.focus(k) == "gradients/output_grad/"
    labelled = {n.id: [t.text for t in n.xlabel] for n in scene.nodes if n.xlabel}
    assert labelled == {"gradients/output_grad/": ["∂loss/∂weight = 1.6 × 1.0 = 1.6"]}
    caption = [t.text for t in scene.caption]
    assert caption[0] == r.label(k) and "d(weight × input)/d(weight) = input = 1.0" in caption
    # each line once: the caption leaves out what is written beside the node
    last = r.scene(len(r.positions) - 2)    # the update: "weight: 0.8 → 0.76" beside the op
    beside = [t.text for n in last.nodes for t in n.xlabel]
    assert "weight: 0.8 → 0.76" in beside and "weight: 0.8 → 0.76" not in [t.text for t in last.caption]


def test_no_regular_expressions_over_dot_text():
    """The picture is decorated as data: the replay and its view use no regular expressions
    (replay_rules.py has a few, over the words' templates and op names, never DOT)."""
    for name in ("replay.py", "replay_view.py"):
        with open(os.path.join(ROOT, "tfteach", "widgets", name), encoding="utf-8") as f:
            source = f.read()
        assert not re.search(r"^\s*(import re\b|from re import)", source, re.M), name
        assert "_decorate" not in source and "_grey_edges" not in source, name
    with open(os.path.join(ROOT, "tfteach", "widgets", "replay_rules.py"), encoding="utf-8") as f:
        patterns = re.findall(r"re\.\w+\(r?\"([^\"]*)\"", f.read())
    assert patterns and not [p for p in patterns if "->" in p or "label" in p]


# ---- without dot: the built-in layout draws the replay -------------------------------------------
@pytest.mark.parametrize("step", ["output", "gradients/output_grad/tuple/control_dependency",
                                  "GradientDescent/update_weight/ApplyGradientDescent"])
def test_replay_draws_without_dot(no_dot, step):
    sess, train_step, _, _ = neuron()
    r = replay(train_step, session=sess)
    k = [s.name for s in r.steps].index(step)
    svg = r.svg(k)
    assert svg.startswith("<svg") and render.NO_DOT_NOTE in svg
    root = ET.fromstring(svg)
    nodes = {g.get("data-id"): g for g in root.iter(SVG + "g") if "node" in g.get("class", "").split()}
    red = {i for i, g in nodes.items() if g.find(f"{SVG}*[@stroke='{HIGHLIGHT}']") is not None}
    assert red == {r.focus(k)}                                    # the active op, highlighted
    scene = r.scene(k)
    dim = {i for i, g in nodes.items() if "dim" in g.get("class").split()}
    assert dim == {n.id for n in scene.nodes if n.dim} and dim    # exactly the greyed nodes
    assert all(g.find(f"{SVG}*[@fill='#f3f3f3']") is not None for i, g in nodes.items() if i in dim)
    assert not any(nodes[i].find(f"{SVG}*[@fill='#f3f3f3']") is not None for i in set(nodes) - dim)
    drawn = texts(svg)
    for line in r.explain(k):                                     # the arithmetic, once each
        assert drawn.count(line) + sum(t.text == line for n in scene.nodes for t in n.xlabel) >= 1
    written = [t.text for t in scene.caption] + [t.text for n in scene.nodes for t in n.xlabel]
    for line in written:
        assert drawn.count(line) == 1, line
    side = nodes[r.focus(k)].find(SVG + "g[@class='xlabel']")      # beside its node
    assert side is not None and side.find(SVG + "text").get("fill") == HIGHLIGHT
    check_geometry(svg, scene)


def test_side_labels_and_caption_keep_clear(no_dot):
    """Side labels sit right of their node, level with it, over no box; the caption is above
    every box; the picture is wide enough for both."""
    r = two_layer_net(group="scope")
    for k in (0, 5, 12, len(r.positions) - 2):
        svg = r.svg(k)
        root = ET.fromstring(svg)
        nodes, _, edges = check_geometry(svg, r.scene(k))
        width = float(root.get("viewBox").split()[2])
        labels = {}
        for g in root.iter(SVG + "g"):
            if g.get("class") == "xlabel":
                labels[len(labels)] = tuple(float(v) for v in g.get("data-box").split(","))
        owners = [g for g in root.iter(SVG + "g") if g.find(SVG + "g[@class='xlabel']") is not None]
        assert labels and len(owners) == len(labels)
        for owner, box in zip(owners, labels.values()):
            node = nodes[owner.get("data-id")][0]
            assert node[2] < box[0] and node[1] <= (box[1] + box[3]) / 2 <= node[3]
            assert box[2] <= width
            for name, (other, _, _) in nodes.items():
                assert not overlap(box, other), f"side label of {owner.get('data-id')} covers {name}"
            for _, _, _, label in edges:
                assert label is None or not overlap(box, label, margin=1)
        caption = next(g for g in root.iter(SVG + "g") if g.get("class") == "caption")
        bottom = float(caption.get("data-box").split(",")[3])
        assert all(bottom < box[1] for box, _, _ in nodes.values())
        assert texts(svg)[0] == r.label(k)


# ---- the window follows the active op -------------------------------------------------------------
def window_and_focus(picture):
    """(the window's viewBox, the active node's box) in px of the drawing at natural size,
    read from the picture: the node drawn with the highlight colour, in the inner drawing."""
    outer = ET.fromstring(picture)
    view = tuple(float(v) for v in outer.get("viewBox").split())
    inner = outer.find(SVG + "svg")
    vx, vy, vw, _ = (float(v) for v in inner.get("viewBox").split())
    scale = float(inner.get("width")) / vw
    for g in inner.iter(SVG + "g"):
        if "node" in g.get("class", "").split() and g.find(f"{SVG}*[@stroke='{HIGHLIGHT}']") is not None:
            if g.get("data-box"):
                box = [float(v) for v in g.get("data-box").split(",")]
            else:  # dot: the outline's points, moved by the graph's translate (scale is 1)
                graph = inner.find(SVG + "g")
                tx, ty = (float(v) for v in re.findall(r"translate\(([-\d.]+) ([-\d.]+)\)",
                                                        graph.get("transform"))[0])
                shape = g.find(f"{SVG}*[@stroke='{HIGHLIGHT}']")
                nums = [float(v) for v in re.findall(r"-?\d+\.?\d*", shape.get("points") or shape.get("d"))]
                xs, ys = [x + tx for x in nums[::2]], [y + ty for y in nums[1::2]]
                box = [min(xs), min(ys), max(xs), max(ys)]
            return view, tuple((v - o) * scale for v, o in zip(box, (vx, vy, vx, vy)))
    raise AssertionError("no highlighted node")


def inside_window(view, box):
    x, y, w, h = view
    return x <= box[0] and y <= box[1] and box[2] <= x + w and box[3] <= y + h


def follow_the_active_op(presses):
    r = two_layer_net()
    view = r.widget
    assert len(r.positions) == 73
    seen = set()
    for press in range(presses):
        view.next_button.click()
        window, box = window_and_focus(view.picture.value)
        assert window[2] <= WINDOW_W and window[3] <= WINDOW_H
        assert inside_window(window, box), (r.label(), window, box)
        seen.add(window[:2])
    assert r.position == presses
    assert len(seen) > 2     # the window moved with the op: the picture is bigger than it
    view.whole.value = True  # the whole picture, scaled to the window's width
    outer = ET.fromstring(view.picture.value)
    inner = outer.find(SVG + "svg")
    assert outer.get("viewBox").split()[2:] == [inner.get("width"), inner.get("height")]
    assert float(outer.get("width").rstrip("px")) == WINDOW_W
    return r


def test_the_window_follows_the_active_op_without_dot(no_dot):
    r = follow_the_active_op(20)
    assert r.phase() == "gradient"


@pytest.mark.needs_dot
@pytest.mark.skipif(not HAVE_DOT, reason="no Graphviz `dot` (CI installs it)")
def test_the_window_follows_the_active_op_with_dot():
    follow_the_active_op(14)


def test_a_small_picture_is_shown_whole(no_dot):
    w = tf.Variable(2.0, name="w")
    y = tf.multiply(w, 3.0, name="y")
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    r = replay(y, session=sess)
    outer = ET.fromstring(r.widget.picture.value)
    inner = outer.find(SVG + "svg")
    assert float(inner.get("width")) <= WINDOW_W and float(inner.get("height")) <= WINDOW_H
    assert outer.get("viewBox") == f"0 0 {inner.get('width')} {inner.get('height')}"
    window, box = window_and_focus(r.widget.picture.value)
    assert inside_window(window, box)


# ---- the widget's text in JupyterLab's dark theme -------------------------------------------------
def test_widget_text_uses_the_theme_colours(no_dot):
    from test_replay import chain
    sess, train_step = chain(100, scopes=True)
    grouped = replay(train_step, session=sess)
    tf.reset_default_graph()
    sess, train_step, _, _ = neuron()
    r = replay(train_step, session=sess)
    r.next()
    parts = [r.widget.current.value, r.widget.position_label.value, grouped.widget.box.children[1].value]
    assert "in: weight:0" in parts[0]
    for part in parts:
        colours = re.findall(r"color:\s*([^;'\"]+)", html.unescape(part))
        assert all(c.startswith("var(--jp-") for c in colours), colours
    assert "var(--jp-ui-font-color2" in parts[0] and "var(--jp-warn-color0" in parts[2]
