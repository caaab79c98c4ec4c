"""Graph pictures without Graphviz (issue 7): tfteach's own layered layout and SVG.

Every lesson graph is drawn with the `dot` lookup replaced (and once in a subprocess whose
PATH is empty, since CI has the binary), then the SVG is read back: no two node boxes overlap,
every edge runs from a lower rank to a higher one or is marked as a back edge, every scope box
holds its nodes (and no other node), labels stay clear of boxes, and the output is the same
on every run and for every PYTHONHASHSEED.
"""
import os
import subprocess
import sys
import time
import xml.etree.ElementTree as ET

import numpy as np
import pytest

import tfteach as tf
from tfteach.display import render, show_graph
from tfteach.display.scene import build_scene
from tfteach.display.shapes import text_width
from tfteach.display.svg import to_svg
from tfteach.display.drawing import SEE_IT

from test_display import neuron
from test_display_dot import scoped_net, second_order, two_layer_net

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(autouse=True)
def fresh_graph():
    tf.reset_default_graph()
    yield
    tf.reset_default_graph()


# ---- the lesson graphs -------------------------------------------------------------------------
def simple_neuron():
    """Seed 000's first graph: input, weight, output."""
    x = tf.constant(1.0, name="input")
    w = tf.Variable(0.8, name="weight")
    tf.multiply(w, x, name="output")


def seed001_net():
    """Seed 001's 2-layer net, gradients by tf.gradients, default names as in the lesson."""
    N, D, H = 64, 1000, 100
    x = tf.placeholder(tf.float32, shape=(N, D))
    y = tf.placeholder(tf.float32, shape=(N, D))
    w1 = tf.placeholder(tf.float32, shape=(D, H))
    w2 = tf.placeholder(tf.float32, shape=(H, D))
    h = tf.maximum(tf.matmul(x, w1), 0)
    y_pred = tf.matmul(h, w2)
    diff = y_pred - y
    loss = tf.reduce_mean(tf.reduce_sum(diff ** 2, axis=1))
    tf.gradients(loss, [w1, w2])


def softmax_regression():
    """Seed 003's softmax regression: model, train op, accuracy and summaries."""
    x = tf.placeholder(tf.float32, [None, 784])
    W = tf.Variable(tf.zeros([784, 10]))
    b = tf.Variable(tf.zeros([10]))
    y = tf.nn.softmax(tf.matmul(x, W) + b)
    y_ = tf.placeholder(tf.float32, [None, 10])
    loss = tf.reduce_mean(-tf.reduce_sum(y_ * tf.log(y), reduction_indices=[1]))
    tf.train.GradientDescentOptimizer(0.5).minimize(loss)
    correct_prediction = tf.equal(tf.argmax(y, 1), tf.argmax(y_, 1))
    accuracy = tf.reduce_mean(tf.cast(correct_prediction, tf.float32))
    tf.summary.scalar("loss", loss)
    tf.summary.scalar("accuracy", accuracy)
    tf.summary.merge_all()


def dense_net(layers=3):
    """Name scopes all the way: `layers` dense layers, a loss, an optimizer (~150 nodes)."""
    x = tf.placeholder(tf.float32, (64, 100), name="x")
    y = tf.placeholder(tf.float32, (64, 10), name="y")
    h = x
    for i in range(layers):
        width = 10 if i == layers - 1 else 50
        with tf.name_scope(f"layer{i + 1}"):
            w = tf.Variable(tf.random_normal((int(h.shape[1]), width), seed=i), name="w")
            b = tf.Variable(tf.zeros((width,)), name="b")
            h = tf.matmul(h, w) + b
            if i < layers - 1:
                h = tf.nn.relu(h)
    with tf.name_scope("loss"):
        loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels=y, logits=h))
    tf.train.GradientDescentOptimizer(0.1).minimize(loss)


LESSONS = {
    "neuron": simple_neuron,
    "neuron-gradients-optimizer": neuron,
    "two-layer-net": seed001_net,
    "two-layer-net-variables": lambda: two_layer_net(variables=True),
    "name-scopes": scoped_net,
    "softmax-regression": softmax_regression,
    "second-order": second_order,
}


# ---- reading the SVG back ------------------------------------------------------------------------
def read(svg):
    """Nodes {id: (box, rank, scope)}, clusters {path: box}, edges [(tail, head, classes,
    label box or None)] from the SVG `svg.py` writes."""
    root = ET.fromstring(svg)
    nodes, clusters, edges = {}, {}, []
    for g in root.iter(SVG + "g"):
        kind = g.get("class", "").split()
        if kind[:1] == ["node"]:
            box = tuple(float(v) for v in g.get("data-box").split(","))
            nodes[g.get("data-id")] = (box, int(g.get("data-rank")), g.get("data-scope"))
        elif kind[:1] == ["cluster"]:
            r = g.find(SVG + "rect")
            x, y = float(r.get("x")), float(r.get("y"))
            clusters[g.get("data-path")] = (x, y, x + float(r.get("width")), y + float(r.get("height")))
        elif kind[:1] == ["edge"]:
            label = None
            t = g.find(SVG + "text")
            if t is not None:
                x, y, size = float(t.get("x")), float(t.get("y")), float(t.get("font-size"))
                label = (x, y - size * 0.8, x + text_width(t.text, size), y + size * 0.2)
            edges.append((g.get("data-tail"), g.get("data-head"), kind, label))
    return nodes, clusters, edges


def overlap(a, b, margin=0.0):
    return a[0] < b[2] - margin and b[0] < a[2] - margin and a[1] < b[3] - margin and b[1] < a[3] - margin


def inside(inner, outer):
    return outer[0] <= inner[0] and outer[1] <= inner[1] and inner[2] <= outer[2] and inner[3] <= outer[3]


def check_geometry(svg, scene):
    nodes, clusters, edges = read(svg)
    assert set(nodes) == {n.id for n in scene.nodes}
    assert len(edges) == len(scene.edges)
    names = sorted(nodes)
    for i, a in enumerate(names):  # no two node boxes overlap
        for b in names[i + 1:]:
            assert not overlap(nodes[a][0], nodes[b][0]), f"{a} overlaps {b}"
    for tail, head, classes, label in edges:  # down the ranks, or drawn as a back edge
        assert nodes[tail][1] < nodes[head][1] or "back" in classes, f"{tail} -> {head}"
        if label is not None:  # labels sit in the gaps, clear of every box
            for name, (box, _, _) in nodes.items():
                assert not overlap(label, box, margin=1), f"label of {tail} -> {head} covers {name}"
    for path, box in clusters.items():  # a scope box holds its nodes and inner boxes, no others
        for name, (node_box, _, scope) in nodes.items():
            member = scope == path or scope.startswith(path + "/")
            if member:
                assert inside(node_box, box), f"{name} sticks out of box {path}"
            else:
                assert not overlap(node_box, box), f"{name} is inside box {path}, not its scope"
        parent = path.rpartition("/")[0]
        while parent and parent not in clusters:
            parent = parent.rpartition("/")[0]
        if parent:
            assert inside(box, clusters[parent]), f"box {path} sticks out of {parent}"
    return nodes, clusters, edges


# ---- the tests ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", list(LESSONS))
def test_every_lesson_graph_draws_without_dot(no_dot, name):
    LESSONS[name]()
    g = tf.get_default_graph()
    bundle = g._repr_mimebundle_()
    assert set(bundle) == {"text/plain", "image/svg+xml"}
    assert bundle["text/plain"] == repr(g) + "\n" + SEE_IT
    svg = bundle["image/svg+xml"]
    assert svg.startswith("<svg") and render.NO_DOT_NOTE.split(";")[0] in svg
    check_geometry(svg, show_graph(g).scene)  # the view "auto" chose (folded to fit)


@pytest.mark.parametrize("options", [dict(depth=1), dict(gradients="inline"), dict(gradients="hide"),
                                     dict(depth=0, theme="dark")], ids=str)
def test_options_draw_without_dot(no_dot, options):
    neuron()
    drawing = show_graph(**options)
    check_geometry(drawing.svg(), drawing.scene)


def test_values_after_a_run_draw_without_dot(no_dot):
    x, y, w1, w2, loss = two_layer_net()
    rng = np.random.RandomState(0)
    feed = {x: rng.randn(64, 1000), y: rng.randn(64, 1000), w1: rng.randn(1000, 100),
            w2: rng.randn(100, 1000)}
    with tf.Session() as sess:
        drawing = show_graph(session=sess, feed_dict=feed, values=True)
    svg = drawing.svg()
    assert "= (64, 1000) mean" in svg
    check_geometry(svg, drawing.scene)


def test_the_mirror_holds_in_the_builtin_layout(no_dot):
    """Each `<op>_grad` box spans its forward op's height and lies to one side of it."""
    neuron()
    g = tf.get_default_graph()
    nodes, clusters, _ = read(show_graph(g, depth="all").svg())
    for op in g.get_operations():
        if op.name.startswith("gradients/") and op.name.endswith("_grad/Pow"):
            forward = op.gradient_of[0]
            fx0, fy0, fx1, fy1 = nodes[forward.name][0]
            x0, y0, x1, y1 = clusters[op.name.rpartition("/")[0]]
            assert y0 <= (fy0 + fy1) / 2 <= y1 and (fx1 <= x0 or fx0 >= x1)
    sides = set()
    for forward in ("output", "sub", "loss"):
        fx0, _, fx1, _ = nodes[forward][0]
        x0, y0, x1, y1 = clusters[f"gradients/{forward}_grad"]
        fy = (nodes[forward][0][1] + nodes[forward][0][3]) / 2
        assert y0 <= fy <= y1, f"{forward} is not level with its gradient box"
        sides.add("left" if fx1 <= x0 else "right" if fx0 >= x1 else "overlap")
    assert sides in ({"left"}, {"right"})


def test_renderer_option_and_dot_failure_fall_back(no_dot, tmp_path):
    neuron()
    assert "Drawn without Graphviz" in show_graph(renderer="builtin").svg()
    with pytest.raises(ValueError, match="renderer"):
        show_graph(renderer="neato")
    path = show_graph(depth=1).save(tmp_path / "g.svg")  # .svg needs no Graphviz either
    assert open(path).read().startswith("<svg")
    with pytest.raises(tf.display.RenderError):
        show_graph().save(tmp_path / "g.png")


def test_dot_failing_on_a_graph_still_gives_a_picture(monkeypatch):
    def broken(source, fmt="svg"):
        raise render.RenderError("(no picture: dot failed: syntax error in line 1)")
    monkeypatch.setattr(render, "find_dot", lambda: "/usr/bin/dot")
    monkeypatch.setattr(render, "run_dot", broken)
    neuron()
    svg = tf.get_default_graph()._repr_mimebundle_()["image/svg+xml"]
    assert "dot failed: syntax error in line 1; drawn without Graphviz instead." in svg


def test_too_big_for_the_builtin_layout_is_a_hint(no_dot, monkeypatch):
    neuron()
    monkeypatch.setattr(render, "BUILTIN_MAX_NODES", 10)
    monkeypatch.setitem(tf.display.defaults, "depth", "all")  # "auto" would fold it to fit
    bundle = tf.get_default_graph()._repr_mimebundle_()
    assert set(bundle) == {"text/plain"} and "too many" in bundle["text/plain"]


def test_output_is_stable_across_runs_and_hash_seeds():
    def build():
        g = tf.Graph()
        with g.as_default():
            neuron()
        return to_svg(build_scene(g), note=render.NO_DOT_NOTE)
    here = build()
    assert here == build()
    code = ("import tfteach as tf\n"
            "from tests.test_display import neuron\n"
            "from tfteach.display import render\n"
            "from tfteach.display.scene import build_scene\n"
            "from tfteach.display.svg import to_svg\n"
            "neuron(); print(to_svg(build_scene(tf.get_default_graph()), note=render.NO_DOT_NOTE), end='')")
    outs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                           env={**os.environ, "PYTHONHASHSEED": seed}, check=True).stdout
            for seed in ("1", "2", "random")}
    assert outs == {here}


def test_a_process_without_dot_on_its_path_draws():
    """No monkeypatching: PATH is empty, so shutil.which finds no `dot` (CI has one)."""
    code = ("import tfteach as tf\n"
            "from tests.test_display import neuron\n"
            "from tfteach.display import render\n"
            "assert render.find_dot() is None\n"
            "neuron()\n"
            "bundle = tf.get_default_graph()._repr_mimebundle_()\n"
            "print(sorted(bundle), bundle['text/plain'].startswith('<tf.Graph: 65 ops'),\n"
            "      'Drawn without Graphviz' in bundle['image/svg+xml'])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                         env={**os.environ, "PATH": ""}, check=True).stdout
    assert out.strip() == "['image/svg+xml', 'text/plain'] True True"


def test_layout_time_of_a_150_node_graph(no_dot):
    dense_net(3)
    scene = build_scene(tf.get_default_graph())
    assert 140 <= len(scene.nodes) <= 180
    start = time.perf_counter()
    svg = to_svg(scene)
    seconds = time.perf_counter() - start
    print(f"\nbuilt-in layout of {len(scene.nodes)} nodes, {len(scene.edges)} edges: {seconds:.2f} s")
    assert seconds < 10  # about 0.4 s on a laptop; generous for slow CI machines
    check_geometry(svg, scene)


def test_decorations_side_label_caption_grey(no_dot):
    """A Scene decorated by hand: a long side label on a node in a crowded rank, a caption,
    greyed nodes. The label sits right of its box, level with it, over nothing; edges still
    meet the box; the caption is above everything; grey nodes and their edges say "dim"."""
    from tfteach.display.scene import Text
    dense_net(2)
    scene = build_scene(tf.get_default_graph())
    target = "layer1/MatMul"
    label = [Text("a long line written beside the node = 0.123456789", "#d62728", 11, True),
             Text("and a second one", None, 10, False)]
    scene.node(target).xlabel = label
    scene.caption = [Text("step 3 of 9 · forward", None, 14, True), Text("x = 1 + 2 = 3", None, 13, False)]
    grey = {n.id for n in scene.nodes[:4]}
    scene.grey_out(grey)
    svg = to_svg(scene)
    nodes, _, edges = check_geometry(svg, scene)
    root = ET.fromstring(svg)
    side = [g for g in root.iter(SVG + "g") if g.get("class") == "xlabel"]
    assert len(side) == 1
    box = tuple(float(v) for v in side[0].get("data-box").split(","))
    x0, y0, x1, y1 = nodes[target][0]
    assert x1 < box[0] < x1 + 10 and y0 <= (box[1] + box[3]) / 2 <= y1
    assert box[2] - box[0] >= text_width(label[0].text, 11, True) - 0.1
    for name, (other, _, _) in nodes.items():
        assert not overlap(box, other), f"the side label covers {name}"
    for tail, head, _, edge_label in edges:
        assert edge_label is None or not overlap(box, edge_label, margin=1), f"{tail} -> {head}"
    for g in root.iter(SVG + "g"):  # edges meet the box, not the label
        if "edge" in g.get("class", "").split() and target in (g.get("data-tail"), g.get("data-head")):
            d = g.find(SVG + "path").get("d").split()
            ends = [float(p.lstrip("MCL").split(",")[0]) for p in (d[0], d[-1])]
            assert any(x0 <= x <= x1 for x in ends), (g.get("data-tail"), g.get("data-head"), ends)
    caption = next(g for g in root.iter(SVG + "g") if g.get("class") == "caption")
    assert [t.text for t in caption.iter(SVG + "text")] == ["step 3 of 9 · forward", "x = 1 + 2 = 3"]
    bottom = float(caption.get("data-box").split(",")[3])
    assert all(bottom < b[1] for b, _, _ in nodes.values())
    dim = {g.get("data-id") for g in root.iter(SVG + "g") if g.get("class") == "node dim"}
    assert dim == grey
    dim_edges = [g for g in root.iter(SVG + "g") if "dim" in g.get("class", "").split() and "edge" in g.get("class")]
    assert len(dim_edges) == sum(e.tail in grey or e.head in grey for e in scene.edges) > 0
