"""Errors that teach (issue 7): tf.explain, tf.explain_gradient, tf.GraphGrowthWarning.

The errors keep TensorFlow 1's class and message; the explanation is extra: every placeholder
the run needs (fed or not), every variable it reads, the culprits outlined in the drawing.
"""
import sys
import warnings

import pytest

import tfteach as tf
from tfteach import diagnostics
from tfteach.display import render


@pytest.fixture(autouse=True)
def fresh_graph(monkeypatch):
    monkeypatch.setattr(render, "find_dot", lambda: None)  # drawings from the built-in layout
    tf.reset_default_graph()
    yield
    tf.reset_default_graph()


def highlighted(explanation):
    """The node ids the explanation's drawing outlines in red."""
    return {n.id for n in explanation.drawing.scene.nodes if n.highlight}


def error_of(fn):
    with pytest.raises(tf.errors.OpError) as info:
        fn()
    return info.value


# ---- unfed placeholders -----------------------------------------------------------------------
def test_unfed_placeholder_lists_every_placeholder_and_outlines_the_missing():
    a = tf.placeholder(tf.float32)
    b = tf.placeholder(tf.float32, shape=(3,), name="b")
    c = tf.placeholder(tf.float32, name="c")
    tf.placeholder(tf.float32, name="unused")  # not needed by the fetch: not listed
    total = tf.sqrt(a * a + b * b) + c
    sess = tf.Session()
    err = error_of(lambda: sess.run(total, feed_dict={b: [1.0, 2.0, 3.0]}))
    # TF1's class and message, untouched
    assert type(err) is tf.errors.InvalidArgumentError
    assert str(err).startswith("You must feed a value for placeholder tensor 'Placeholder' with dtype float")
    ex = tf.explain(err)
    assert [(op.name, state) for op, state in ex.placeholders] == [
        ("Placeholder", "not fed"), ("b", "fed"), ("c", "not fed")]
    assert highlighted(ex) == {"Placeholder", "c"}
    assert ex.title.startswith("InvalidArgumentError: You must feed a value for placeholder tensor 'Placeholder'")
    assert "needs 3 placeholders; feed_dict gives 1 of them" in ex.text
    assert "<- the run stopped here" in next(line for line in ex.lines if "Placeholder" in line)
    assert "feed_dict={" in ex.text
    # the drawing is the fetched subgraph: no `unused`
    assert "unused" not in {n.id for n in ex.drawing.scene.nodes}
    bundle = ex._repr_mimebundle_()
    assert bundle["text/plain"].startswith(ex.text + "\n(tf.explain's explanation")
    assert "src='data:image/svg+xml;charset=utf-8,<svg" in bundle["text/html"]


def test_python_names_of_the_placeholders_are_used_when_known(monkeypatch):
    main = type(sys)("__main__")
    monkeypatch.setitem(sys.modules, "__main__", main)
    main.x = tf.placeholder(tf.float32, name="x")
    main.y = tf.placeholder(tf.float32, name="y")
    err = error_of(lambda: tf.Session().run(main.x + main.y))
    assert "feed_dict={x: ..., y: ...}" in tf.explain(err).text


# ---- uninitialized variables -------------------------------------------------------------------
def test_uninitialized_variable_is_outlined_and_a_late_initializer_explained():
    w = tf.Variable(0.8, name="weight")
    init = tf.global_variables_initializer()
    v = tf.Variable(2.0, name="late")  # made after `init`: init does not cover it
    y = w * v
    sess = tf.Session()
    sess.run(init)
    err = error_of(lambda: sess.run(y))
    assert type(err) is tf.errors.FailedPreconditionError
    assert str(err).startswith("Attempting to use uninitialized value late")
    ex = tf.explain(err)
    assert [(op.name, state) for op, state in ex.variables] == [
        ("weight", "initialized"), ("late", "not initialized")]
    assert highlighted(ex) == {"late"}
    assert "'init' was made before 'late' existed" in ex.text
    assert "global_variables_initializer" in ex.text


def test_explain_without_argument_takes_the_last_error(monkeypatch):
    w = tf.Variable(1.0, name="w")
    err = error_of(lambda: tf.Session().run(w))
    monkeypatch.setattr(sys, "last_value", err, raising=False)
    assert highlighted(tf.explain()) == {"w"}


def test_explain_a_tensor_before_running_it():
    x = tf.placeholder(tf.float32, name="x")
    w = tf.Variable(2.0, name="w")
    y = w * x
    sess = tf.Session()
    ex = tf.explain(y, session=sess)
    assert ex.title == "What sess.run(mul:0) needs:"
    assert ex.placeholders == [(x.op, "not fed")] and ex.variables == [(w.op, "not initialized")]
    assert highlighted(ex) == {"x", "w"}
    sess.run(w.initializer)
    ex = tf.explain(y, session=sess, feed_dict={x: 3.0})
    assert ex.placeholders == [(x.op, "fed")] and ex.variables == [(w.op, "initialized")]
    assert not ex.culprits


def test_other_run_errors_outline_the_op_that_failed():
    a = tf.placeholder(tf.float32, shape=(None, 3), name="a")
    b = tf.placeholder(tf.float32, shape=(None, 2), name="b")
    m = tf.matmul(a, b, name="m")
    err = error_of(lambda: tf.Session().run(m, feed_dict={a: [[1, 2, 3]], b: [[1, 2]]}))
    ex = tf.explain(err)
    assert highlighted(ex) == {"m"} and "stopped at 'm' (MatMul)" in ex.text


def test_explain_knows_only_run_errors():
    assert "tf.errors" in tf.explain(KeyError("x")).text


# ---- tf.gradients gives None --------------------------------------------------------------------
def test_disconnected_variable_is_explained_and_both_parts_drawn():
    x = tf.constant(1.0, name="x")
    w = tf.Variable(0.8, name="w")
    unused = tf.Variable(0.5, name="unused")
    scaled = tf.multiply(unused, 3.0, name="scaled")
    loss = tf.square(w * x, name="loss")
    assert tf.gradients(loss, [unused]) == [None]
    ex = tf.explain_gradient(loss, unused)
    assert "no path from 'unused' to 'loss'" in ex.text
    assert "'loss' reads these variables: w." in ex.text
    drawn = {n.id for n in ex.drawing.scene.nodes}
    assert {"loss", "w", "x", "unused", "scaled"} <= drawn  # the loss's part and the variable's
    assert highlighted(ex) == {"unused", "loss"}
    assert scaled is not None


def test_a_variable_made_twice_is_named_as_the_copy_the_loss_uses():
    w = tf.Variable(0.8, name="weight")
    loss = tf.square(w)
    w = tf.Variable(0.8, name="weight")  # the cell ran again: `w` is now weight_1
    ex = tf.explain_gradient(loss, w)
    assert "'weight_1' and 'weight' are two copies of one variable" in ex.text
    assert "the loss uses 'weight'" in ex.text


def test_a_path_through_an_op_without_gradient_is_named():
    w = tf.Variable([1.0, 3.0], name="w")
    loss = tf.cast(tf.argmax(w, 0), tf.float32) * 2.0
    assert tf.gradients(loss, w) == [None]
    ex = tf.explain_gradient(loss, w)
    assert "'ArgMax' (ArgMax)" in ex.text
    assert "ArgMax" in highlighted(ex)


def test_a_connected_variable_is_said_to_have_a_path():
    w = tf.Variable(0.8, name="w")
    loss = tf.square(w * 2.0)
    assert "There is a path from 'w'" in tf.explain_gradient(loss, w).text


# ---- the graph growing between runs --------------------------------------------------------------
def test_a_loop_building_ops_warns_once():
    x = tf.constant(2.0, name="x")
    sess = tf.Session()
    with pytest.warns(tf.GraphGrowthWarning, match="grew by 2 ops") as caught:
        for i in range(6):
            sess.run(tf.constant(1.0) + x)
    assert len(caught) == 1  # once per graph
    message = str(caught[0].message)
    assert "before each of the last 3 sess.run calls" in message and "Build the ops once" in message
    assert caught[0].filename == __file__  # points at the learner's sess.run line


def test_a_loop_adding_an_update_op_each_step_warns():
    w = tf.Variable(1.0, name="w")
    sess = tf.Session()
    sess.run(w.initializer)
    with pytest.warns(tf.GraphGrowthWarning, match="grew by"):
        for _ in range(3):
            sess.run(tf.assign(w, w - 0.1 * w))


def test_ordinary_training_and_new_feeds_do_not_warn():
    x = tf.placeholder(tf.float32, name="x")
    w = tf.Variable(1.0, name="w")
    loss = tf.square(w * x - 1.0)
    train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    with warnings.catch_warnings():
        warnings.simplefilter("error", tf.GraphGrowthWarning)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for i in range(20):
                sess.run(train, feed_dict={x: i / 20})
            # building, running, building again with runs in between: not a loop
            for _ in range(3):
                sess.run(tf.gradients(loss, w), feed_dict={x: 1.0})
                sess.run(w)


def test_a_cell_run_twice_warns_about_the_copies(monkeypatch):
    monkeypatch.setattr(diagnostics, "_interactive", lambda: True)  # cells run twice only there
    def cell():
        x = tf.placeholder(tf.float32, name="x")
        w = tf.Variable(0.5, name="w")
        y = w * x
        with tf.Session() as sess:
            sess.run(w.initializer)
            return sess.run(y, feed_dict={x: 2.0})
    with warnings.catch_warnings():
        warnings.simplefilter("error", tf.GraphGrowthWarning)
        assert cell() == 1.0
    with pytest.warns(tf.GraphGrowthWarning, match="'x_1' is a second copy of 'x'") as caught:
        assert cell() == 1.0
    assert "tf.reset_default_graph()" in str(caught[0].message)
    tf.reset_default_graph()
    with warnings.catch_warnings():  # a fresh graph: no copies
        warnings.simplefilter("error", tf.GraphGrowthWarning)
        assert cell() == 1.0
    monkeypatch.setattr(diagnostics, "_interactive", lambda: False)
    with warnings.catch_warnings():  # a script calling a function twice is not a re-run cell
        warnings.simplefilter("error", tf.GraphGrowthWarning)
        assert cell() == 1.0


# ---- in IPython -----------------------------------------------------------------------------------
def test_ipython_shows_the_error_then_its_explanation(monkeypatch):
    from IPython.core.interactiveshell import InteractiveShell
    import IPython.display
    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda *objs, **kw: shown.extend(objs))
    ip = InteractiveShell.instance()
    try:
        ip.run_line_magic("load_ext", "tfteach")
        assert ip.custom_exceptions == (tf.errors.OpError,)
        ip.run_cell("import tfteach as tf\n"
                    "a = tf.placeholder(tf.float32)\n"
                    "b = tf.placeholder(tf.float32)\n"
                    "tf.Session().run(a + b, feed_dict={b: 1.0})")
        result = ip.run_cell("1")  # the shell goes on
        assert result.success
        assert isinstance(sys.last_value, tf.errors.InvalidArgumentError)
        (ex,) = shown
        assert isinstance(ex, diagnostics.Explanation) and highlighted(ex) == {"Placeholder"}
        # an error that is not about feeds or initialization: just the traceback
        shown.clear()
        ip.run_cell("tf.Session().run(tf.matmul(tf.ones((2, 3)), tf.ones((2, 3))))")
        assert shown == []
    finally:
        ip.set_custom_exc((), None)
        InteractiveShell.clear_instance()


def test_import_inside_ipython_registers_the_handler_without_clobbering():
    from IPython.core.interactiveshell import InteractiveShell
    ip = InteractiveShell.instance()
    try:
        diagnostics._register_in_ipython()
        assert ip.custom_exceptions == (tf.errors.OpError,)
        ip.set_custom_exc((ValueError,), lambda *args, **kw: None)  # someone else's handler
        diagnostics._register_in_ipython()
        assert ip.custom_exceptions == (ValueError,)
    finally:
        ip.set_custom_exc((), None)
        InteractiveShell.clear_instance()
