"""A while loop's frame in the drawing (tfteach/display/frames.py): one labelled box, the
dashed next-iteration edge, Enters and Exits at the box's border, folding like a name scope.

Positions are read back from `dot -Tjson` (needs Graphviz) and from the built-in SVG's
`data-box` attributes (no Graphviz needed)."""
import json
import re

import numpy as np
import pytest

import tfteach as tf
from tfteach.display import render, show_graph
from tfteach.display.dot import dot_text
from tfteach.display.scene import build_scene

needs_dot = pytest.mark.skipif(render.find_dot() is None, reason="no Graphviz `dot` (CI installs it)")


def rnn_loop(steps=4):
    """A tiny RNN written as a tf.while_loop: h <- tanh(x_t W + h U), for `steps` steps."""
    tf.reset_default_graph()
    tf.set_random_seed(0)
    x = tf.placeholder(tf.float32, [steps, 1, 3], name="x")
    with tf.variable_scope("rnn"):
        w = tf.get_variable("W", [3, 5])
        u = tf.get_variable("U", [5, 5])
        h0 = tf.zeros([1, 5], name="h0")
        _, h = tf.while_loop(lambda t, h: t < steps,
                             lambda t, h: (t + 1, tf.tanh(tf.matmul(tf.gather(x, t), w) + tf.matmul(h, u))),
                             [tf.constant(0), h0])
    loss = tf.reduce_sum(h, name="loss")
    return x, w, u, loss


def clusters(cluster):
    out = {}
    for c in cluster.children:
        out[c.path] = c
        out.update(clusters(c))
    return out


def test_the_frame_is_one_labelled_box_with_its_enters_and_exits():
    rnn_loop()
    scene = build_scene(tf.get_default_graph())
    boxes = clusters(scene.root)
    frame = boxes["rnn/while"]
    assert frame.frame and frame.label == "while loop rnn/while"
    assert not any(c.frame for p, c in boxes.items() if p != "rnn/while")
    direct = {n.id for n in frame.nodes}
    # every Enter and Exit sits in the frame's box itself, not in a sub-box (MatMul/Enter)
    assert {"rnn/while/Enter", "rnn/while/Enter_1", "rnn/while/MatMul/Enter", "rnn/while/MatMul_1/Enter",
            "rnn/while/GatherV2/Enter", "rnn/while/Exit", "rnn/while/Exit_1"} <= direct
    assert scene.node("rnn/while/MatMul/Enter").title == "MatMul/Enter"
    # the loop's own ops are drawn in the frame's colour, the body's as ordinary ops
    pal = scene.palette
    assert scene.node("rnn/while/Merge").fill == pal["frame_op"][0]
    assert scene.node("rnn/while/Tanh").fill == pal["op"][0]


def test_the_next_iteration_edge_is_dashed_labelled_and_moves_nothing():
    rnn_loop()
    scene = build_scene(tf.get_default_graph())
    nexts = [e for e in scene.edges if e.kind == "next"]
    assert sorted((e.tail, e.head) for e in nexts) == [
        ("rnn/while/NextIteration", "rnn/while/Merge"), ("rnn/while/NextIteration_1", "rnn/while/Merge_1")]
    assert all(e.label == "next iteration" and not e.constraint for e in nexts)
    dot = dot_text(scene)
    assert re.search(r'"rnn/while/NextIteration" -> "rnn/while/Merge" \[label="next iteration", '
                     r'style="dashed"[^\]]*constraint="false"', dot)
    assert 'label=<<B>while loop rnn/while</B>>' in dot


def test_the_border_constraints_put_the_loop_enters_on_one_rank_and_exits_after_the_body():
    rnn_loop()
    scene = build_scene(tf.get_default_graph())
    same = {frozenset(p) for p in scene.same_rank}
    assert frozenset(("rnn/while/Enter", "rnn/while/Enter_1")) in same
    assert not any("MatMul/Enter" in n for p in same for n in p)  # a weight's Enter floats
    assert frozenset(("rnn/while/Exit", "rnn/while/Exit_1")) in same
    assert ("rnn/while/NextIteration_1", "rnn/while/Exit") in scene.stack


def test_a_graph_without_loops_draws_as_before():
    tf.reset_default_graph()
    a = tf.constant(1.0, name="a")
    tf.multiply(a, tf.Variable(2.0, name="w"), name="y")
    scene = build_scene(tf.get_default_graph())
    assert not any(c.frame for c in clusters(scene.root).values())
    assert all(e.kind != "next" for e in scene.edges)


def test_the_frame_folds_like_a_name_scope():
    _, _, _, loss = rnn_loop()
    scene = build_scene(loss, depth=1)
    node = scene.node("rnn/while/")
    assert node.kind == "scope" and node.subtitle.startswith("while loop, ")
    assert node.fill == scene.palette["frame"][0]
    assert not [e for e in scene.edges if e.kind == "next"]  # inside the folded box
    assert scene.node_of["rnn/while/Merge"] == "rnn/while/"


@needs_dot
def test_in_dot_the_loop_enters_share_the_top_rank_and_the_exits_lie_below_the_body():
    rnn_loop()
    source = show_graph(tf.get_default_graph(), depth="all").source
    objects = json.loads(render.run_dot(source, "json"))["objects"]
    y = {o["name"]: float(o["pos"].split(",")[1]) for o in objects if "pos" in o}  # y grows upward
    enters = ["rnn/while/Enter", "rnn/while/Enter_1"]  # the loop variables t and h
    assert y[enters[0]] == y[enters[1]]
    body = [n for n in y if n.startswith("rnn/while/") and not n.rpartition("/")[2].startswith(("Enter", "Exit"))]
    assert all(y[n] < y[enters[0]] for n in body)
    # a weight enters beside the op reading it, below the top row
    assert y["rnn/while/MatMul_1/Enter"] < y[enters[0]]
    assert all(y["rnn/while/Exit"] < y[n] for n in body)
    assert y["rnn/while/Exit"] == y["rnn/while/Exit_1"]
    frame = next(o for o in objects if o["name"] == "cluster_rnn/while")
    x0, y0, x1, y1 = map(float, frame["bb"].split(","))
    assert all(x0 < float(o["pos"].split(",")[0]) < x1 for o in objects
               if "pos" in o and o["name"].startswith("rnn/while/"))


def test_the_builtin_layout_draws_the_frame_and_the_dashed_back_edge():
    _, _, _, loss = rnn_loop()
    svg = show_graph(loss, renderer="builtin").svg()
    assert re.search(r'<g class="cluster frame" data-path="rnn/while">', svg)
    assert 'font-weight="bold">while loop rnn/while</text>' in svg
    edges = re.findall(r'<g class="([^"]*)" data-tail="rnn/while/NextIteration_1" '
                       r'data-head="rnn/while/Merge_1" data-kind="next">.*?<path [^>]*stroke-dasharray', svg,
                       flags=re.S)
    assert edges and "back" in edges[0].split()
    ranks = dict(re.findall(r'<g class="node[^"]*" data-id="([^"]+)" data-kind="[^"]*" data-rank="(\d+)"', svg))
    enters = {ranks["rnn/while/Enter"], ranks["rnn/while/Enter_1"]}
    assert len(enters) == 1  # the loop variables' Enters share a rank: the frame's top one
    body = [int(ranks[n]) for n in ranks if n.startswith("rnn/while/")
            and not n.rpartition("/")[2].startswith(("Enter", "Exit"))]
    assert min(body) > int(enters.pop()) and int(ranks["rnn/while/Exit_1"]) > max(body)


def _gradient_or_skip(loss, xs):
    try:
        return tf.gradients(loss, xs)
    except Exception as e:  # the while loop's gradient is new: say why this is skipped
        pytest.skip(f"tf.gradients through a while loop: {type(e).__name__}: {e}")


def test_the_backward_loop_gets_its_own_box_and_the_forward_counter_stays_in_the_forward_one():
    x, w, u, loss = rnn_loop()
    grads = _gradient_or_skip(loss, [w, u])
    if any(g is None for g in grads):
        pytest.skip("no gradient through the while loop yet")
    scene = build_scene(tf.get_default_graph())
    boxes = clusters(scene.root)
    backward = [c for c in boxes.values() if c.frame and c.label.startswith("backward")]
    assert [c.path for c in backward] == ["gradients/rnn/while"]
    forward = boxes["rnn/while"]
    f_count = [n for n in forward.nodes if "f_count" in n.id]
    assert f_count  # TF1's iteration counter runs in the forward loop, so it is drawn there
    nexts = {(e.tail, e.head) for e in scene.edges if e.kind == "next"}
    assert any(t.startswith("gradients/") for t, _ in nexts)
    # the forward loop's own gradient ops flow down with it: no edge between two of them is a
    # mirror (back) edge
    names = {n.id for n in forward.all_nodes()}
    assert not [e for e in scene.edges if e.back and e.tail in names and e.head in names]
    # folding to fit: the backward loop folds before the forward one
    d = show_graph(tf.get_default_graph())
    folded = {n.id for n in d.scene.nodes if n.kind == "scope"}
    # folded to fit, the backward loop is one box that says what it is (its scope
    # gradients/rnn, holding only it, is not folded over it)
    assert "gradients/rnn/while/" in folded
    assert d.scene.node("gradients/rnn/while/").subtitle.startswith("backward while loop, ")
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    assert np.all(np.isfinite(sess.run(grads[0], {x: np.ones([4, 1, 3])})))


def test_a_dynamic_rnn_lstm_keeps_its_loop_open_when_asked_and_folds_other_scopes_first():
    tf.reset_default_graph()
    x = tf.placeholder(tf.float32, [None, None, 3], name="x")
    try:
        out, _ = tf.nn.dynamic_rnn(tf.nn.rnn_cell.BasicLSTMCell(5), x, dtype=tf.float32)
    except tf.coverage.NotImplementedInTfteach:
        pytest.skip("tf.nn.dynamic_rnn not in this tree yet")
    d = show_graph(out, focus="rnn/while/LoopCond")
    boxes = clusters(d.scene.root)
    assert boxes["rnn/while"].frame  # open: it holds the focus
    folded = {n.id for n in d.scene.nodes if n.kind == "scope"}
    assert "rnn/while/basic_lstm_cell/" in folded or "rnn/while/basic_lstm_cell" not in boxes
