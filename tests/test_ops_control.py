"""tf.cond (Switch, Merge and the session's dead branches), tf.Print and tf.check_numerics.

What a learner must be able to rely on: both branches are built, only the taken one runs
(an assign or a Print on the other branch does not happen), the result is the taken
branch's, and gradients flow through the taken branch.
"""
import collections

import numpy as np
import pytest

import tfteach as tf
from tfteach.testing import check_gradients


@pytest.fixture(autouse=True)
def fresh_graph():
    tf.reset_default_graph()


def _run(fetches, feed=None):
    with tf.Session() as sess:
        return sess.run(fetches, feed)


# ---- cond: values -------------------------------------------------------------------------
def test_cond_picks_the_branch_at_run_time():
    p = tf.placeholder(tf.bool, [])
    x = tf.constant([1.0, 2.0])
    r = tf.cond(p, lambda: x * 10.0, lambda: x - 1.0)
    with tf.Session() as sess:
        assert sess.run(r, {p: True}).tolist() == [10.0, 20.0]
        assert sess.run(r, {p: False}).tolist() == [0.0, 1.0]
    assert r.name == "cond/Merge:0" and r.shape.as_list() == [2]


def test_cond_builds_both_branches_tf1_style():
    p = tf.placeholder(tf.bool, [], name="p")
    x = tf.placeholder(tf.float32, [3], name="x")
    tf.cond(p, lambda: x * 2.0, lambda: x - 1.0)
    ops = {op.name: op for op in tf.get_default_graph().get_operations()}
    for name in ["cond/Switch", "cond/switch_t", "cond/switch_f", "cond/pred_id", "cond/mul", "cond/sub",
                 "cond/mul/Switch", "cond/sub/Switch", "cond/Merge"]:
        assert name in ops, name
    assert [t.name for t in ops["cond/mul"].inputs] == ["cond/mul/Switch:1", "cond/mul/y:0"]
    assert [c.name for c in ops["cond/mul/y"].control_inputs] == ["cond/switch_t"]
    assert [c.name for c in ops["cond/sub/y"].control_inputs] == ["cond/switch_f"]
    assert [t.name for t in ops["cond/Merge"].inputs] == ["cond/sub:0", "cond/mul:0"]


def test_cond_assign_on_the_untaken_branch_does_not_happen():
    v = tf.Variable(0, name="v")
    p = tf.placeholder(tf.bool, [])
    r = tf.cond(p, lambda: tf.assign(v, 5), lambda: tf.assign_add(v, 100))
    with tf.Session() as sess:
        sess.run(v.initializer)
        assert sess.run(r, {p: True}) == 5
        assert sess.run(v) == 5
        assert sess.run(r, {p: False}) == 105
        assert sess.run(v) == 105


def test_cond_op_made_outside_runs_regardless():
    v = tf.Variable(0)
    assign = tf.assign(v, 5)
    p = tf.placeholder(tf.bool, [])
    r = tf.cond(p, lambda: assign, lambda: tf.constant(-1))
    with tf.Session() as sess:
        sess.run(v.initializer)
        assert sess.run(r, {p: False}) == -1
        assert sess.run(v) == 5


def test_cond_print_and_check_numerics_on_the_untaken_branch_stay_quiet(capsys):
    p = tf.placeholder(tf.bool, [])
    x = tf.constant([1.0, 0.0])
    r = tf.cond(p, lambda: tf.Print(x, [x], "true branch: "),
                lambda: tf.check_numerics(tf.log(x), "false branch"))
    with tf.Session() as sess:
        assert sess.run(r, {p: True}).tolist() == [1.0, 0.0]
        assert capsys.readouterr().out == "true branch: [1 0]\n"
        with pytest.raises(tf.errors.InvalidArgumentError, match="false branch : Tensor had Inf values"):
            sess.run(r, {p: False})
        assert capsys.readouterr().out == ""


def test_cond_each_branch_op_runs_only_when_taken():
    p = tf.placeholder(tf.bool, [])
    x = tf.constant(2.0)
    r = tf.cond(p, lambda: x * 3.0, lambda: x + 1.0)
    with tf.Session() as sess:
        _, record = sess.record(r, {p: True})
    ran = {op.name for op, _ in record}
    assert "cond/mul" in ran and "cond/add" not in ran and "cond/add/y" not in ran


def test_cond_structures():
    p = tf.placeholder(tf.bool, [])
    a, b = tf.constant(1), tf.constant(2.0)
    pair = tf.cond(p, lambda: (a + 1, b * 2.0), lambda: (a - 1, b / 2.0))
    assert isinstance(pair, tuple) and [t.dtype for t in pair] == [tf.int32, tf.float32]
    d = tf.cond(p, lambda: {"x": a, "y": b}, lambda: {"x": a * 2, "y": b + 1.0})
    Point = collections.namedtuple("Point", "x y")
    nt = tf.cond(p, lambda: Point(a, b), lambda: Point(a + 5, b))
    single = tf.cond(p, lambda: [a], lambda: [a + 1])
    strict = tf.cond(p, lambda: [a], lambda: [a + 1], strict=True)
    with tf.Session() as sess:
        assert sess.run(pair, {p: False}) == (0, 1.0)
        assert sess.run(d, {p: False}) == {"x": 2, "y": 3.0}
        assert sess.run(nt, {p: False}) == Point(6, 2.0)
        assert sess.run(single, {p: False}) == 2
        assert sess.run(strict, {p: True}) == [1]


def test_cond_branch_returning_an_outside_tensor_or_a_python_value():
    p = tf.placeholder(tf.bool, [])
    x = tf.constant(3.0)
    r = tf.cond(p, lambda: x, lambda: 7.0)
    with tf.Session() as sess:
        assert (sess.run(r, {p: True}), sess.run(r, {p: False})) == (3.0, 7.0)


def test_cond_branch_returning_an_op():
    v = tf.Variable(1)
    p = tf.placeholder(tf.bool, [])
    r = tf.cond(p, lambda: tf.assign(v, 10).op, lambda: tf.no_op())
    with tf.Session() as sess:
        sess.run(v.initializer)
        sess.run(r, {p: False})
        assert sess.run(v) == 1
        sess.run(r, {p: True})
        assert sess.run(v) == 10


def test_cond_reads_variables_and_comparisons():
    v = tf.Variable(4.0)
    a = tf.placeholder(tf.float32, [])
    r = tf.cond(a < v, lambda: v - a, lambda: a * v)
    with tf.Session() as sess:
        sess.run(v.initializer)
        assert sess.run(r, {a: 1.0}) == 3.0
        assert sess.run(r, {a: 5.0}) == 20.0


def test_nested_cond():
    p = tf.placeholder(tf.bool, [])
    q = tf.placeholder(tf.bool, [])
    x = tf.constant(1.0)
    r = tf.cond(p, lambda: tf.cond(q, lambda: x * 2.0, lambda: x + 10.0), lambda: x - 1.0)
    with tf.Session() as sess:
        got = [sess.run(r, {p: pv, q: qv}) for pv in (True, False) for qv in (True, False)]
    assert got == [2.0, 11.0, 0.0, 0.0]
    assert r.name == "cond/Merge:0"


def test_fetching_a_tensor_of_the_untaken_branch_is_an_error():
    p = tf.placeholder(tf.bool, [])
    inside = []

    def true_fn():
        inside.append(tf.constant(1.0) * 2.0)
        return inside[0]
    r = tf.cond(p, true_fn, lambda: tf.constant(0.0))
    with tf.Session() as sess:
        assert sess.run([r, inside[0]], {p: True}) == [2.0, 2.0]
        with pytest.raises(tf.errors.InvalidArgumentError, match="not taken"):
            sess.run(inside[0], {p: False})


def test_plans_without_cond_pay_nothing():
    x = tf.constant(1.0) + 1.0
    with tf.Session() as sess:
        sess.run(x)
        assert all(plan.guards is None for plan in sess._plans.values())


def test_cond_errors():
    p = tf.placeholder(tf.bool, [])
    with pytest.raises(TypeError, match="Python bool"):
        tf.cond(True, lambda: tf.constant(1), lambda: tf.constant(2))
    with pytest.raises(TypeError, match="bool"):
        tf.cond(tf.constant(1.0), lambda: tf.constant(1), lambda: tf.constant(2))
    with pytest.raises(ValueError, match="rank 0"):
        tf.cond(tf.constant([True, False]), lambda: tf.constant(1), lambda: tf.constant(2))
    with pytest.raises(ValueError, match="same type"):
        tf.cond(p, lambda: tf.constant(1), lambda: tf.constant(1.0))
    with pytest.raises(ValueError, match="structure"):
        tf.cond(p, lambda: (tf.constant(1), tf.constant(2)), lambda: tf.constant(2))
    with pytest.raises(ValueError, match="return value"):
        tf.cond(p, lambda: None, lambda: tf.constant(2))
    with pytest.raises(TypeError, match="callable"):
        tf.cond(p, 1, lambda: tf.constant(2))


def test_cond_result_shape_merges_the_branches():
    p = tf.placeholder(tf.bool, [])
    a = tf.placeholder(tf.float32, [None, 3])
    b = tf.placeholder(tf.float32, [2, 3])
    c = tf.placeholder(tf.float32, [2])
    assert tf.cond(p, lambda: a, lambda: b).shape.as_list() == [None, 3]
    assert tf.cond(p, lambda: b, lambda: b).shape.as_list() == [2, 3]
    assert tf.cond(p, lambda: b, lambda: c).shape.ndims is None


# ---- cond: gradients ----------------------------------------------------------------------
def test_cond_gradient_flows_through_the_taken_branch():
    p = tf.placeholder(tf.bool, [])
    x = tf.constant([1.0, 2.0])
    y = tf.constant(3.0)
    r = tf.cond(p, lambda: x * x * y, lambda: x - 1.0)
    dx, dy = tf.gradients(tf.reduce_sum(r), [x, y])
    with tf.Session() as sess:
        assert sess.run(dx, {p: True}).tolist() == [6.0, 12.0]
        assert sess.run(dy, {p: True}) == 5.0
        assert sess.run(dx, {p: False}).tolist() == [1.0, 1.0]
        assert sess.run(dy, {p: False}) == 0.0


@pytest.mark.parametrize("taken", [True, False])
def test_cond_gradients_match_central_differences(taken):
    def fn(a, b):
        return tf.cond(tf.constant(taken), lambda: tf.sin(a) * b, lambda: a * a - tf.exp(b))
    rng = np.random.RandomState(0)
    check_gradients(fn, [rng.standard_normal(3), rng.standard_normal(3)])


def test_nested_cond_gradients_match_central_differences():
    def fn(a):
        return tf.cond(tf.constant(True),
                       lambda: tf.cond(tf.constant(False), lambda: a * 2.0, lambda: a * a * a),
                       lambda: -a)
    check_gradients(fn, [np.array([0.5, -1.5])])


def test_training_through_cond():
    w = tf.Variable(5.0)
    p = tf.placeholder(tf.bool, [])
    loss = tf.cond(p, lambda: tf.square(w - 1.0), lambda: tf.square(w + 1.0))
    train = tf.train.GradientDescentOptimizer(0.25).minimize(loss)
    with tf.Session() as sess:
        sess.run(w.initializer)
        for _ in range(50):
            sess.run(train, {p: True})
        assert sess.run(w) == pytest.approx(1.0, abs=1e-4)
        for _ in range(50):
            sess.run(train, {p: False})
        assert sess.run(w) == pytest.approx(-1.0, abs=1e-4)


# ---- Print --------------------------------------------------------------------------------
def test_print_prints_when_run_and_passes_the_value_through(capsys):
    x = tf.constant([1, 2, 3])
    y = tf.Print(x, [x], message="x = ")
    assert y.op.type == "Print" and y.op.name == "Print" and y.dtype == tf.int32
    assert capsys.readouterr().out == ""  # building prints nothing
    assert _run(y).tolist() == [1, 2, 3]
    assert capsys.readouterr().out == "x = [1 2 3]\n"


def test_print_format_summarize_and_several_tensors(capsys):
    m = tf.constant(np.arange(12).reshape(3, 4))
    f = tf.constant(np.array([0.5, 1.0 / 3.0], np.float32))
    _run([tf.Print(m, [m], "m: "), tf.Print(m, [m, f, tf.constant(True)], "all: ", summarize=20),
          tf.Print(m, [], "no data")])
    lines = capsys.readouterr().out.splitlines()
    assert sorted(lines) == sorted(["m: [[0 1 2...]...]", "all: [[0 1 2 3][4 5 6 7][8 9 10 11]][0.5 0.333333343][1]",
                                    "no data"])


def test_print_first_n(capsys):
    y = tf.Print(tf.constant(1.0), [tf.constant(2.0)], "once: ", first_n=1)
    with tf.Session() as sess:
        for _ in range(3):
            sess.run(y)
    assert capsys.readouterr().out == "once: [2]\n"


def test_print_only_runs_when_its_result_is_used(capsys):
    x = tf.constant(1.0)
    tf.Print(x, [x], "unused: ")
    _run(x * 2.0)
    assert capsys.readouterr().out == ""


def test_print_gradient_passes_through():
    check_gradients(lambda x: tf.Print(x * x, [x], "x: "), [np.array([1.0, -2.0])])


# ---- check_numerics -------------------------------------------------------------------------
def test_check_numerics_passes_finite_values():
    x = tf.constant([1.0, 2.0])
    z = tf.check_numerics(x, "bad")
    assert z.op.type == "CheckNumerics" and _run(z).tolist() == [1.0, 2.0]


def test_check_numerics_raises_naming_message_kind_and_op():
    x = tf.placeholder(tf.float32, [None])
    z = tf.check_numerics(tf.log(x), "log of x", name="check_log")
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError) as err:
            sess.run(z, {x: [1.0, 0.0]})
        assert "log of x : Tensor had Inf values" in str(err.value)
        assert "check_log" in str(err.value) and "Log:0" in str(err.value)
        assert err.value.op is z.op
        with pytest.raises(tf.errors.InvalidArgumentError, match="Tensor had NaN values"):
            sess.run(z, {x: [-1.0]})
        with pytest.raises(tf.errors.InvalidArgumentError, match="Tensor had Inf and NaN values"):
            sess.run(z, {x: [-1.0, 0.0]})


def test_check_numerics_rejects_integers_and_checks_gradients():
    with pytest.raises(TypeError, match="int32"):
        tf.check_numerics(tf.constant([1, 2]), "m")
    check_gradients(lambda x: tf.check_numerics(x * x, "m"), [np.array([1.0, 3.0])])
    x = tf.constant([0.0, 1.0])
    g = tf.gradients(tf.sqrt(tf.check_numerics(x, "x")), x)[0]  # d sqrt/dx is inf at 0: caught
    with pytest.raises(tf.errors.InvalidArgumentError, match="detected in gradient"):
        _run(g)


def test_verify_tensor_all_finite():
    x = tf.placeholder(tf.float32, [2])
    y = tf.verify_tensor_all_finite(x, "x must be finite")
    with tf.Session() as sess:
        assert sess.run(y, {x: [1.0, 2.0]}).tolist() == [1.0, 2.0]
        with pytest.raises(tf.errors.InvalidArgumentError, match="x must be finite"):
            sess.run(y, {x: [1.0, np.nan]})
