"""Graph drawings without the `dot` binary: the DOT text, the mimebundle, the reprs, the magics.

The DOT text is checked structurally (which cluster holds which node, which edges carry which
attributes) with the tiny reader below; it reads the layout `tfteach.display.dot` writes.
"""
import os
import re
import subprocess
import sys

import numpy as np
import pytest

import tfteach as tf
from tfteach.display import INSTALL_HINT, show_graph, to_dot
from tfteach.display.drawing import SEE_IT

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@pytest.fixture(autouse=True)
def fresh_graph():
    tf.reset_default_graph()
    yield
    tf.reset_default_graph()


def neuron():
    """Seed 000: the neuron, its loss and one gradient-descent optimizer."""
    x = tf.constant(1.0, name="input")
    w = tf.Variable(0.8, name="weight")
    y = tf.multiply(w, x, name="output")
    y_ = tf.constant(0.0, name="correct_value")
    loss = tf.pow(y - y_, 2, name="loss")
    train_step = tf.train.GradientDescentOptimizer(0.025).minimize(loss)
    return w, y, loss, train_step


# ---- a small reader for the DOT text we write ---------------------------------------------
def parse(dot):
    """{node: [cluster names, outermost first]}, [(tail, head, attrs text)], [rank=same groups]."""
    nodes, edges, ranks, stack = {}, [], [], []
    for line in dot.splitlines():
        s = line.strip()
        m = re.match(r'subgraph "cluster_(.*)" \{$', s)
        if m:
            stack.append(m.group(1))
        elif s == "}":
            if stack:
                stack.pop()
        elif s.startswith("{rank=same;"):
            ranks.append(re.findall(r'"([^"]+)"', s))
        elif re.match(r'"[^"]+" -> "[^"]+"', s):
            tail, head = re.findall(r'"([^"]+)"', s)[:2]
            edges.append((tail, head, s))
        elif re.match(r'"[^"]+" \[', s):
            nodes[re.match(r'"([^"]+)"', s).group(1)] = list(stack)
    return nodes, edges, ranks


def node_line(dot, name):
    return next(line for line in dot.splitlines() if line.strip().startswith(f'"{name}" ['))


def edge(edges, tail, head):
    found = [e for e in edges if {e[0], e[1]} == {tail, head}]
    assert found, f"no edge between {tail} and {head}"
    return found[0][2]


# ---- text forms -----------------------------------------------------------------------------
def test_graph_repr_names_op_types_without_addresses():
    g = tf.get_default_graph()
    assert repr(g) == "<tf.Graph: 0 ops>"
    x = tf.constant(1.0, name="input")
    w = tf.Variable(0.8, name="weight")
    tf.multiply(w, x, name="output")
    assert repr(g) == "<tf.Graph: 6 ops (Const x2, VariableV2, Assign, Identity, Mul)>"
    assert "0x" not in repr(g)


def test_tensor_op_variable_keep_the_tf1_reprs():
    w, y, _, _ = neuron()
    assert repr(y) == "<tf.Tensor 'output:0' shape=() dtype=float32>"
    assert repr(y.op) == "<tf.Operation 'output' type=Mul>"
    assert repr(w) == "<tf.Variable 'weight:0' shape=() dtype=float32_ref>"
    assert not hasattr(y, "_repr_mimebundle_") and not hasattr(w, "_repr_mimebundle_")


def test_import_tfteach_does_not_import_the_display_stack():
    code = ("import sys, tfteach\n"
            "heavy = ('graphviz', 'IPython', 'matplotlib', 'ipywidgets', 'tfteach.display')\n"
            "print(sorted(m for m in sys.modules if m.startswith(heavy)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                         check=True).stdout
    assert out.strip() == "[]"


def test_tf_display_is_there_on_first_use():
    assert tf.display.show_graph is show_graph
    with pytest.raises(AttributeError):
        tf.no_such_name_here  # noqa: B018 - unknown names still fail as before


# ---- the DOT text ---------------------------------------------------------------------------
def test_name_scopes_become_nested_clusters():
    neuron()
    nodes, _, _ = parse(to_dot(tf.get_default_graph()))
    assert nodes["weight"] == ["weight"]  # the variable sits in its own scope's box
    assert nodes["weight/read"] == ["weight"]
    assert nodes["gradients/loss_grad/Pow"] == ["gradients", "gradients/loss_grad"]
    assert nodes["gradients/sub_grad/tuple/group_deps"] == [
        "gradients", "gradients/sub_grad", "gradients/sub_grad/tuple"]
    # an op and the constants made for its arguments need no box
    assert nodes["loss"] == [] and nodes["loss/y"] == []


def test_node_ids_are_op_names_and_labels_carry_name_and_type():
    neuron()
    dot = to_dot(tf.get_default_graph())
    line = node_line(dot, "output")
    assert "<B>output</B>" in line and ">Mul<" in line
    assert 'shape="cylinder"' in node_line(dot, "weight")  # variables stand out
    assert "Const 1.0" in node_line(dot, "input") and 'height="0.2"' in node_line(dot, "input")
    x = tf.placeholder(tf.float32, (None, 3), name="x")
    assert 'peripheries="2"' in node_line(to_dot(x), "x")  # placeholders too


def test_depth_collapses_deeper_scopes_into_one_node():
    neuron()
    g = tf.get_default_graph()
    nodes, edges, _ = parse(to_dot(g, depth=1))
    assert "gradients/loss_grad/" in nodes and "gradients/loss_grad/Pow" not in nodes
    assert nodes["gradients/loss_grad/"] == ["gradients"]
    n = sum(1 for op in g.get_operations() if op.name.startswith("gradients/loss_grad/"))
    assert f"{n} ops" in node_line(to_dot(g, depth=1), "gradients/loss_grad/")
    nodes, edges, _ = parse(to_dot(g, depth=0))
    assert {"weight/", "gradients/", "GradientDescent/"} <= set(nodes)
    weight = node_line(to_dot(g, depth=0), "weight/")
    assert "Variable (4 ops)" in weight and 'shape=cylinder' in weight
    assert edge(edges, "weight/", "GradientDescent/")  # edges follow the collapsed nodes


def test_gradient_mirror_pairs_each_grad_group_with_its_forward_op():
    neuron()
    dot = to_dot(tf.get_default_graph())
    nodes, edges, ranks = parse(dot)
    paired = {r[0]: r[1] for r in ranks}
    assert set(paired) == {"loss", "sub", "output"}
    for forward, anchor in paired.items():
        assert tf.get_default_graph().get_operation_by_name(anchor).gradient_of[0].name == forward
    # gradient edges run reversed, so the backward pass reads bottom to top
    assert 'dir="back"' in edge(edges, "gradients/loss_grad/mul", "gradients/Fill")
    # forward values feeding the gradient ops are drawn light and do not move anything
    assert 'constraint="false"' in edge(edges, "sub", "gradients/loss_grad/Pow")
    assert "fee6ce" in node_line(dot, "gradients/loss_grad/Pow")  # the gradient colour


def test_mirror_uses_gradient_of_not_names():
    x = tf.constant(3.0, name="x")
    w = tf.Variable(2.0, name="w")
    y = tf.square(w * x, name="y")
    tf.gradients(y, [w], name="backprop")
    _, _, ranks = parse(to_dot(tf.get_default_graph()))
    assert {r[0] for r in ranks} == {"y", "mul"}
    assert all(r[1].startswith("backprop/") for r in ranks)
    dot = to_dot(tf.get_default_graph(), gradients="inline")
    assert "rank=same" not in dot and 'dir="back"' not in dot
    hidden = parse(to_dot(tf.get_default_graph(), gradients="hide"))[0]
    assert not [n for n in hidden if n.startswith("backprop")]


def test_edges_show_shape_dtype_ref_and_control():
    x = tf.placeholder(tf.float32, shape=(64, 1000), name="x")
    w1 = tf.Variable(tf.zeros((1000, 100)), name="w1")
    h = tf.matmul(x, w1, name="h")
    with tf.control_dependencies([h]):
        done = tf.no_op(name="done")
    _, edges, _ = parse(to_dot(tf.get_default_graph()))
    assert 'label="(64, 1000) float32"' in edge(edges, "x", "h")
    ref = edge(edges, "w1", "w1/Assign")
    assert 'label="ref (1000, 100) float32"' in ref and "penwidth" in ref
    assert 'label="(1000, 100) float32"' in edge(edges, "w1/read", "h")
    assert 'style="dashed"' in edge(edges, "h", done.name)


def test_subgraph_of_tensors_and_highlight():
    w, y, loss, _ = neuron()
    nodes, _, _ = parse(to_dot(y))
    assert set(nodes) == {"input", "weight", "weight/read", "output"}
    assert 'penwidth="3"' in node_line(to_dot(y, highlight=y), "output")
    drawing = show_graph(y)
    assert 'penwidth="3"' in node_line(drawing.source, "output")  # given tensors stand out
    total = len(tf.get_default_graph().get_operations())
    assert drawing.text == f"<tf.Graph drawing: 4 of {total} ops (Const, VariableV2, Identity, Mul)>"
    assert set(parse(show_graph(w).source)[0]) == {
        "weight", "weight/initial_value", "weight/Assign", "weight/read"}


def test_themes_set_an_explicit_background():
    neuron()
    g = tf.get_default_graph()
    assert 'bgcolor="#ffffff"' in to_dot(g)
    assert 'bgcolor="#1e1e1e"' in to_dot(g, theme="dark")
    with pytest.raises(ValueError, match="theme"):
        to_dot(g, theme="sepia")


def test_dot_text_is_stable_across_graphs_and_processes():
    def build():
        g = tf.Graph()
        with g.as_default():
            neuron()
        return to_dot(g)
    assert build() == build()
    code = ("import tfteach as tf\n"
            "from tests.test_display import neuron\n"
            "from tfteach.display import to_dot\n"
            "neuron(); print(to_dot(tf.get_default_graph(), depth=1))")
    outs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                           env={**os.environ, "PYTHONHASHSEED": seed}, check=True).stdout
            for seed in ("1", "2")}
    assert len(outs) == 1 and "0x" not in outs.pop()


# ---- values after a run -------------------------------------------------------------------
def test_values_after_a_step_come_from_the_record():
    w, y, loss, train_step = neuron()
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    sess.run(train_step)  # w: 0.8 -> 0.76
    drawing = show_graph(tf.get_default_graph(), session=sess, values=True)
    dot = drawing.source
    assert "= 0.76" in node_line(dot, "weight") and "grad = 1.52" in node_line(dot, "weight")
    assert "= 0.76" in node_line(dot, "output")
    assert "= 0.5776" in node_line(dot, "loss")  # scalars in full
    # updates would change the variable: not run, and said so
    assert "not computed" in node_line(dot, "GradientDescent/update_weight/ApplyGradientDescent")
    assert "not computed" in node_line(dot, "weight/Assign")
    assert sess.run(w) == np.float32(0.76)  # drawing took no step
    # Assign, ApplyGradientDescent, the GradientDescent NoOp and init
    total = len(tf.get_default_graph().get_operations())
    assert drawing.text.endswith(f"values after a run: {total - 4} ops with values, 4 not computed>")


def test_values_of_given_tensors_and_of_an_earlier_run():
    w, y, loss, train_step = neuron()
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    dot = show_graph(y, session=sess, values=True).source
    assert "= 0.8" in node_line(dot, "output") and "= 0.8" in node_line(dot, "weight/read")
    meta = tf.RunMetadata()
    sess.run(train_step, run_metadata=meta)
    dot = show_graph(tf.get_default_graph(), values=meta).source
    assert "= 0.76" in node_line(dot, "GradientDescent/update_weight/ApplyGradientDescent")
    assert "grad = 1.6" in node_line(dot, "weight")
    assert "not computed" in node_line(dot, "weight/Assign")
    assert "= 0.8" in node_line(dot, "weight/read")  # the record holds the read, from before the update


def test_arrays_show_shape_and_summary_and_unfed_ops_are_not_computed():
    x = tf.placeholder(tf.float32, shape=(3, 4), name="x")
    z = tf.placeholder(tf.float32, shape=(), name="z")
    s = tf.reduce_sum(x * 2.0, name="s")
    t = tf.add(s, z, name="t")
    with tf.Session() as sess:
        dot = show_graph(tf.get_default_graph(), session=sess, values=True,
                         feed_dict={x: np.arange(12).reshape(3, 4)}).source
    assert "= (3, 4) mean 11" in node_line(dot, "mul") and "min 0 max 22" in node_line(dot, "mul")
    assert "= 132.0" in node_line(dot, "s")
    assert "not computed" in node_line(dot, "z") and "not computed" in node_line(dot, t.op.name)


def test_uninitialized_variables_are_said_so_not_zero():
    w, y, _, _ = neuron()
    sess = tf.Session()
    dot = show_graph(y, session=sess, values=True).source
    assert "uninitialized" in node_line(dot, "weight")
    assert "not computed" in node_line(dot, "output")


def test_values_need_a_session():
    _, y, _, _ = neuron()
    with pytest.raises(ValueError, match="session=sess"):
        show_graph(y, values=True)


# ---- the display protocol ------------------------------------------------------------------
def test_bundle_without_dot_is_the_builtin_drawing(no_dot):
    """Issue 7: no `dot`, still a picture (tfteach's own layout, with a note), and the text."""
    neuron()
    g = tf.get_default_graph()
    bundle = g._repr_mimebundle_()
    assert set(bundle) == {"text/plain", "image/svg+xml"}
    assert bundle["text/plain"] == repr(g) + "\n" + SEE_IT  # a picture: no install hint
    assert "Drawn without Graphviz" in bundle["image/svg+xml"]
    # Graphviz only: without it, the text and the one-line hint, never an exception
    drawing = show_graph(g, renderer="dot")
    assert drawing._repr_mimebundle_() == {"text/plain": repr(g) + "\n" + INSTALL_HINT}
    assert "Graphviz" in INSTALL_HINT and "\n" not in INSTALL_HINT
    with pytest.raises(tf.display.RenderError, match="install Graphviz"):
        drawing.svg()


def test_bundle_of_an_empty_graph_is_text():
    assert tf.get_default_graph()._repr_mimebundle_() == {"text/plain": "<tf.Graph: 0 ops>"}


def test_bundle_honours_exclude(no_dot):
    neuron()
    g = tf.get_default_graph()
    assert g._repr_mimebundle_(exclude=["image/svg+xml"]) == {"text/plain": repr(g)}


def test_save_dot_source_needs_no_binary(no_dot, tmp_path):
    neuron()
    path = show_graph(depth=1).save(tmp_path / "g.dot")
    assert open(path).read().startswith("digraph tfgraph {")
    with pytest.raises(tf.display.RenderError):
        show_graph().save(tmp_path / "g.png")


def test_show_prints_the_text_outside_ipython(no_dot, capsys):
    _, y, _, _ = neuron()
    assert y.show() is None
    assert "<tf.Graph drawing: 4 of " in capsys.readouterr().out


def test_load_ext_registers_reprs_and_magics(no_dot):
    from IPython.core.interactiveshell import InteractiveShell
    ip = InteractiveShell.instance()
    try:
        ip.run_line_magic("load_ext", "tfteach")
        neuron()
        old = tf.get_default_graph()
        data, _ = ip.display_formatter.format(old)
        assert data["text/plain"] == repr(old) and repr(old).startswith("<tf.Graph: ")
        drawing = ip.run_line_magic("tf_graph", "depth=1 theme=dark")
        assert 'bgcolor="#1e1e1e"' in drawing.source and '"gradients/loss_grad/"' in drawing.source
        ip.run_line_magic("tf_reset", "")
        assert tf.get_default_graph() is not old and repr(tf.get_default_graph()) == "<tf.Graph: 0 ops>"
        tf.placeholder(tf.float32)
        ip.run_line_magic("tf_reset", "")
        assert tf.placeholder(tf.float32).name == "Placeholder:0"  # no Placeholder_1 pile-up
    finally:
        InteractiveShell.clear_instance()
