"""The plan passes and the compiled run (tfteach/plan_passes.py, tfteach/codegen.py).

Each pass must be invisible: a run gives what the plain interpreter gives, record mode still
shows every op with its value, and errors still name the op that failed.
"""
import numpy as np
import pytest

import tfteach as tf


@pytest.fixture(autouse=True)
def fresh_graph():
    tf.reset_default_graph()


def _neuron():
    x = tf.constant(1.0, name="input")
    w = tf.Variable(0.8, name="weight")
    y = tf.multiply(w, x, name="output")
    loss = (y - 0.0) ** 2
    return w, loss, tf.train.GradientDescentOptimizer(0.025).minimize(loss)


def _plan_of(sess, fetch):
    return next(p for k, p in sess._plans.items() if len(k) == 2 and fetch in k[0][1])


def test_unused_exponent_gradient_is_not_computed_but_is_recorded():
    w, loss, train = _neuron()
    with tf.Session() as sess:
        sess.run(w.initializer)
        sess.run(train)
        plan = _plan_of(sess, train)
        names = [step[0].name for step in plan.steps]
        assert "gradients/pow_grad/Log" not in names  # d loss / d exponent: nobody reads it
        assert "GradientDescent/update_weight/ApplyGradientDescent" in names
        _, record = sess.record(train)
        values = {op.name: outs for op, outs in record}
        # w is 0.76 after one step: the exponent's gradient uses log(w * x - 0)
        assert np.float32(values["gradients/pow_grad/Log"][0]) == np.log(np.float32(0.76))
        assert sess.run(w) == np.float32(0.76) - np.float32(0.025) * np.float32(2 * 0.76)


def test_plan_source_is_python_naming_each_op():
    w, loss, train = _neuron()
    with tf.Session() as sess:
        sess.run(w.initializer)
        before = sess.plan_source(train)  # nothing runs
        assert sess.run(w) == np.float32(0.8)
        sess.run(train)
        source = sess.plan_source(train)
        assert source == before == _plan_of(sess, train).source
        compile(source, "<plan>", "exec")
        assert "# output (Mul)" in source and "ApplyGradientDescent(" in source
        assert "variables[weight]" in source  # the variable is read where its consumer runs


def test_in_place_update_keeps_fetched_and_recorded_values():
    w = tf.Variable(np.ones((2, 2), np.float32))
    loss = tf.reduce_sum(tf.matmul(w, w))
    train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    with tf.Session() as sess:
        sess.run(w.initializer)
        storage = sess._variables[w.op]
        before = sess.run(w)
        _, record = sess.record(train)
        recorded = {op.name: outs[0] for op, outs in record if outs}["Variable/read"]
        sess.run(train)
        assert sess._variables[w.op] is storage  # updated in place
        # d/dw sum(w @ w) = 1 @ w.T + w.T @ 1 = 4 everywhere at w = 1: 1 - 0.4, then 0.6 - 0.1 * 2.4
        np.testing.assert_allclose(sess.run(w), np.full((2, 2), 0.36), rtol=1e-6)
        np.testing.assert_array_equal(before, np.ones((2, 2)))
        np.testing.assert_array_equal(recorded, np.ones((2, 2)))  # what the first run read


def test_fetching_the_variable_with_the_update_gives_the_old_value():
    w = tf.Variable(np.ones((2, 2), np.float32))
    train = tf.train.GradientDescentOptimizer(0.5).minimize(tf.reduce_sum(w * w))
    with tf.Session() as sess:
        sess.run(w.initializer)
        old, _ = sess.run([w, train])
        storage = sess._variables[w.op]
        np.testing.assert_array_equal(old, np.ones((2, 2)))
        np.testing.assert_array_equal(sess.run(w), np.zeros((2, 2)))
        again, _ = sess.run([w, train])  # the compiled plan: the fetch is copied when read
        np.testing.assert_array_equal(again, np.zeros((2, 2)))
        assert sess._variables[w.op] is storage  # and the update was in place


def test_adam_updates_the_variable_and_its_slots_in_place():
    """m and v are read by no op but their ApplyAdam: nothing else can hold their arrays."""
    w = tf.Variable(np.array([[1.0, -2.0], [3.0, 0.5]], np.float32))
    opt = tf.train.AdamOptimizer(0.1)
    train = opt.minimize(tf.reduce_sum(tf.matmul(w, w)))
    m, v = opt.get_slot(w, "m"), opt.get_slot(w, "v")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(train)
        storage = [sess._variables[t.op] for t in (w, m, v)]
        for _ in range(3):  # interpreted once more, then compiled
            sess.run(train)
        assert all(sess._variables[t.op] is s for t, s in zip((w, m, v), storage))
        got = sess.run([w, m, v])
    # TF1's ApplyAdam in float32, four steps, as new arrays; d/dw sum(w @ w) = 1 @ w.T + w.T @ 1
    x, mm, vv = np.array([[1.0, -2.0], [3.0, 0.5]], np.float32), np.zeros((2, 2), np.float32), np.zeros((2, 2), np.float32)
    for t in range(1, 5):
        g = (np.ones((2, 2), np.float32) @ x.T + x.T @ np.ones((2, 2), np.float32)).astype(np.float32)
        lr_t = np.float32(0.1) * np.sqrt(np.float32(1) - np.float32(0.999) ** t) / (np.float32(1) - np.float32(0.9) ** t)
        mm = mm + (g - mm) * np.float32(1 - 0.9)
        vv = vv + (g * g - vv) * np.float32(1 - 0.999)
        x = x - lr_t * mm / (np.sqrt(vv) + np.float32(1e-8))
    for a, b in zip(got, (x, mm, vv)):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-5)  # float32 rounding of another order


def test_a_filter_whose_shape_is_read_is_updated_in_place():
    """Conv2D's gradient reads the filter's shape (ShapeN): that holds no view of it."""
    img = tf.placeholder(tf.float32, [None, 6, 6, 1])
    f = tf.Variable(np.ones((3, 3, 1, 2), np.float32))
    train = tf.train.GradientDescentOptimizer(0.01).minimize(
        tf.reduce_sum(tf.nn.conv2d(img, f, [1, 1, 1, 1], "SAME")))
    with tf.Session() as sess:
        sess.run(f.initializer)
        feed = {img: np.ones((2, 6, 6, 1), np.float32)}
        sess.run(train, feed)
        storage = sess._variables[f.op]
        sess.run(train, feed)
        sess.run(train, feed)
        assert sess._variables[f.op] is storage


def test_a_variable_an_op_holds_a_view_of_is_not_updated_in_place():
    w = tf.Variable(np.ones((2, 2), np.float32))
    flat = tf.reshape(w, [4])  # a view of the variable's array, read again after the update
    train = tf.train.GradientDescentOptimizer(0.5).minimize(tf.reduce_sum(w * w))
    with tf.Session() as sess:
        sess.run(w.initializer)
        for _ in range(3):
            before = sess._variables[w.op]
            got, _ = sess.run([flat, train])
            assert sess._variables[w.op] is not before
            np.testing.assert_array_equal(got, before.reshape(4))  # the value from before the update


def test_compiled_run_errors_name_the_op():
    a = tf.placeholder(tf.float32, name="a")
    b = tf.matmul(a, a, name="square")
    v = tf.Variable(1.0, name="never_initialized")
    c = tf.multiply(v, 2.0, name="uses_v")
    with tf.Session() as sess:
        assert sess.run(b, {a: np.eye(2)}).tolist() == [[1, 0], [0, 1]]
        with pytest.raises(tf.errors.InvalidArgumentError) as err:  # the kernel's own error, TF's words
            sess.run(b, {a: np.ones((2, 3))})
        assert str(err.value) == "Matrix size-incompatible: In[0]: [2,3], In[1]: [2,3]\n\t [[node square]]"
        assert err.value.op.name == "square"
        with pytest.raises(tf.errors.FailedPreconditionError,
                           match="uninitialized value never_initialized") as err:
            sess.run(c)
        assert err.value.op.name == "uses_v"
        with pytest.raises(tf.errors.FailedPreconditionError, match="never_initialized"):
            sess.run(v)


def test_fetch_structure_follows_a_list_changed_between_runs():
    a, b = tf.constant(1), tf.constant(2)
    fetches = [a]
    with tf.Session() as sess:
        assert sess.run(fetches) == [1]
        fetches.append(b)
        assert sess.run(fetches) == [1, 2]
        assert sess.run((a, [b, {"a": a}])) == (1, [2, {"a": 1}])
        assert sess.run({"b": b, "a": a}) == {"b": 2, "a": 1}


def test_ops_left_out_as_unused_still_report_an_uninitialized_variable():
    v = tf.Variable(1.0, name="v")
    with tf.Session() as sess:
        with pytest.raises(tf.errors.FailedPreconditionError, match="uninitialized value v"):
            sess.run(tf.group(v + 1.0))
        with pytest.raises(tf.errors.FailedPreconditionError, match="uninitialized value v"):
            sess.run((v * 2.0).op)
        sess.run(v.initializer)
        assert sess.run(tf.group(v + 1.0)) is None


def test_runs_are_quiet_about_inf_and_nan_as_tensorflow_is():
    x = tf.placeholder(tf.float32)
    y = tf.log(x) + tf.sqrt(x - 1.0) + x / (x - 0.0)
    with tf.Session() as sess:
        import warnings
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            assert np.isnan(sess.run(y, {x: 0.0}))
            results, _ = sess.record(y, {x: 0.0})
            assert np.isnan(results)


def test_static_shapes_make_one_plan_compiled_at_its_second_run(monkeypatch):
    monkeypatch.setattr(tf.plan, "COMPILE_AT_RUN", 2)  # the default, whatever a test run sets
    x = tf.placeholder(tf.float32, shape=[3])
    y = tf.reduce_mean(x * 2.0)
    with tf.Session() as sess:
        assert sess.run(y, {x: [1, 2, 3]}) == 4.0
        plans = {id(p): p for p in sess._plans.values()}
        assert len(plans) == 1  # nothing to specialize on: the static shapes say it all
        (plan,) = plans.values()
        assert plan.run is None  # the first run interprets: a plan used once is never compiled
        assert sess.run(y, {x: [1, 2, 4]}) == np.float32(14 / 3)
        assert plan.run is not None


def test_record_mode_matches_compiled_runs_step_by_step():
    # placeholders without shape (specialized plan), 2-D variables (in-place updates), a
    # placeholder's gradient nobody reads (dropped), x ** 2 (its exponent's gradient dropped)
    rs = np.random.RandomState(0)
    xs, ys = rs.randn(8, 3).astype(np.float32), rs.randn(8, 2).astype(np.float32)
    x, y = tf.placeholder(tf.float32), tf.placeholder(tf.float32)
    w = tf.Variable(rs.randn(3, 4).astype(np.float32))
    v = tf.Variable(rs.randn(4, 2).astype(np.float32))
    h = tf.maximum(tf.matmul(x, w), 0.0)
    loss = tf.reduce_mean(tf.reduce_sum((tf.matmul(h, v) - y) ** 2, axis=1))
    train = tf.train.GradientDescentOptimizer(0.05).minimize(loss)
    with tf.Session() as plain, tf.Session() as recorded:
        plain.run(tf.global_variables_initializer())
        recorded.run(tf.global_variables_initializer())
        for _ in range(4):  # the plain session compiles its plan at the second run
            expected = plain.run([loss, train], {x: xs, y: ys})
            got, record = recorded.record([loss, train], {x: xs, y: ys})
            assert got == expected
            values = {op.name: outs for op, outs in record}
            assert values["Mean"][0] == expected[0]
            assert "gradients/pow_grad/Log" in values  # run and recorded, though unused
        assert plain._plans and any(p.run is not None for p in plain._plans.values())
        for var in (w, v):
            np.testing.assert_array_equal(plain.run(var), recorded.run(var))
