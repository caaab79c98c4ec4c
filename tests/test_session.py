"""Session behaviour beyond the TF fixtures: the plan cache, record mode, big graphs, messages."""
import collections
import sys

import numpy as np
import pytest

import tfteach as tf


@pytest.fixture(autouse=True)
def fresh_graph():
    tf.reset_default_graph()


def test_plan_is_reused_for_same_fetches_and_feeds():
    a = tf.placeholder(tf.float32)
    b = a * 2.0
    with tf.Session() as sess:
        assert sess.run(b, {a: 1.0}) == 2.0
        plans = dict(sess._plans)
        assert sess.run(b, {a: 3.0}) == 6.0
        assert sess._plans == plans  # nothing new was made


def _mean_of_placeholder_graph():
    """Seed 002's pattern: placeholders without a shape, reduce_mean, its gradient."""
    x = tf.placeholder(tf.float32)
    w = tf.Variable(2.0)
    loss = tf.reduce_mean(tf.square(x * w))
    return x, w, loss, tf.gradients(loss, w)[0]


def test_plan_specialized_on_fed_shapes_folds_the_shape_work():
    x, w, loss, grad = _mean_of_placeholder_graph()
    with tf.Session() as sess:
        sess.run(w.initializer)
        data = np.arange(4, dtype=np.float32)
        first = sess.run([loss, grad], {x: data})
        again = sess.run([loss, grad], {x: data})
        # the session keeps the plain plan under (version, fetches, feeds), the specialized one
        # under that key and the fed shapes
        plain = next(p for k, p in sess._plans.items() if len(k) == 3 and loss in k[1])
        shaped = next(p for k, p in sess._plans.items() if len(k) == 2 and loss in k[0][1])
        kinds = {step[0].type for step in shaped.steps}
        assert {"Shape", "DynamicStitch", "Range"} <= {step[0].type for step in plain.steps}
        assert not kinds & {"Shape", "DynamicStitch", "Range", "Size", "Prod"}
        # loss = mean((2x)^2) = 4 * mean(x^2) = 14; d/dw = mean(2 * (x w) * x) = 2 w mean(x^2) = 14
        assert first == again == [14.0, 14.0]
        assert sess.run([loss, grad], {x: np.ones(2, np.float32)}) == [4.0, 4.0]  # another shape


def test_plan_falls_back_when_an_observed_shape_changes():
    x = tf.placeholder(tf.float32, shape=[6])
    dims = tf.placeholder(tf.int32, shape=[2])
    w = tf.Variable(1.0)
    loss = tf.reduce_mean(tf.reshape(x, dims) * w)  # the shape depends on the values of dims
    step = tf.train.GradientDescentOptimizer(1.0).minimize(loss)
    data = np.arange(6, dtype=np.float32)
    with tf.Session() as sess:
        sess.run(w.initializer)
        for shape, expect_w in (([2, 3], -1.5), ([2, 3], -4.0), ([3, 2], -6.5), ([6, 1], -9.0)):
            sess.run(step, {x: data, dims: shape})  # d loss / dw = mean(x) = 2.5 whatever the shape
            assert sess.run(w) == expect_w


def test_plan_rebuilt_when_ops_are_added_after_a_run():
    v = tf.Variable(1.0)
    with tf.Session() as sess:
        sess.run(v.initializer)
        assert sess.run(v) == 1.0
        inc = tf.assign_add(v, 1.0)  # changes the graph: the old plan must not be used blindly
        with tf.control_dependencies([inc]):
            after = tf.identity(v)
        assert sess.run(after) == 2.0
        assert sess.run(v) == 2.0


def test_plan_follows_changed_feed_keys():
    a = tf.placeholder(tf.float32)
    b = tf.constant(10.0)
    c = a + b
    with tf.Session() as sess:
        assert sess.run(c, {a: 1.0}) == 11.0
        assert sess.run(c, {a: 1.0, b: 0.0}) == 1.0  # feeding an intermediate tensor
        assert sess.run(c, {a: 2.0}) == 12.0


def test_two_sessions_on_one_graph_are_independent():
    v = tf.Variable(0)
    inc = tf.assign_add(v, 1)
    s1, s2 = tf.Session(), tf.Session()
    s1.run(v.initializer)
    s2.run(v.initializer)
    for _ in range(3):
        s1.run(inc)
    assert (s1.run(v), s2.run(v)) == (3, 0)


def test_each_op_runs_once_per_run():
    v = tf.Variable(0)
    inc = tf.assign_add(v, 1)
    with tf.Session() as sess:
        sess.run(v.initializer)
        assert sess.run([inc, inc, {'again': inc}]) == [1, 1, {'again': 1}]


def test_reads_not_depending_on_an_update_see_the_old_value():
    x = tf.Variable(5.0)
    loss = x * x
    step = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    with tf.Session() as sess:
        sess.run(x.initializer)
        first = sess.run({'x': x, 'loss': loss, 'train_op': step})
        assert first == {'x': 5.0, 'loss': 25.0, 'train_op': None}
        assert sess.run(x) == np.float32(4.0)


def test_fetch_structures_keep_their_types():
    Pair = collections.namedtuple("Pair", "a b")
    a, b = tf.constant(1), tf.constant(2)
    with tf.Session() as sess:
        out = sess.run({'p': Pair(a, b), 't': (a, [b, a.op]), 'n': 'Const_1:0'})
    assert out == {'p': Pair(1, 2), 't': (1, [2, None]), 'n': 2}
    assert isinstance(out['p'], Pair) and isinstance(out['t'], tuple)


def test_record_mode_gives_every_op_in_execution_order_and_same_values():
    x = tf.placeholder(tf.float32, name='x')
    w = tf.Variable(3.0, name='w')
    y = tf.multiply(w, x, name='y')
    loss = tf.square(y - 1.0, name='loss')
    train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    with tf.Session() as s1, tf.Session() as s2:
        s1.run(tf.global_variables_initializer())
        s2.run(tf.global_variables_initializer())
        plain = s1.run([loss, train], {x: 2.0})
        recorded, record = s2.record([loss, train], {x: 2.0})
        assert plain == recorded
        ops = [op.name for op, _ in record]
        assert ops.index('y') < ops.index('loss') < ops.index('GradientDescent')
        assert len(set(ops)) == len(ops)
        values = dict((op.name, outs) for op, outs in record)
        assert values['y'][0] == np.float32(6.0)
        assert values['loss'][0] == np.float32(25.0)
        assert s1.run(w) == s2.run(w) == np.float32(3.0 - 0.1 * 2 * 5 * 2)


def test_run_metadata_carries_the_record():
    a = tf.constant(2.0)
    b = a * a
    meta = tf.RunMetadata()
    with tf.Session() as sess:
        assert sess.run(b, run_metadata=meta) == 4.0
    assert [op.name for op, _ in meta.record] == ['Const', 'mul']


def test_graph_of_thousands_of_ops_builds_runs_and_differentiates():
    x = tf.placeholder(tf.float32, shape=[])
    y = x
    for _ in range(3000):
        y = y * 1.001 + 0.1
    assert sys.getrecursionlimit() < 3000 * 4
    (g,) = tf.gradients(y, x)
    with tf.Session() as sess:
        yv, gv = sess.run([y, g], {x: 1.0})
    expected_g = 1.001 ** 3000
    assert np.isclose(gv, expected_g, rtol=1e-3)
    assert np.isfinite(yv)


def test_unfed_placeholder_message_names_it_and_says_what_to_do():
    p = tf.placeholder(tf.float32, shape=[None, 3], name='images')
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError) as e:
            sess.run(p * 2.0)
    msg = str(e.value)
    assert "You must feed a value for placeholder tensor 'images' with dtype float" in msg
    assert "feed_dict" in msg


def test_wrong_feed_shape_message():
    p = tf.placeholder(tf.float32, shape=(2,))
    with tf.Session() as sess:
        with pytest.raises(ValueError, match=r"Cannot feed value of shape \(3,\) for Tensor "
                                             r"'Placeholder:0', which has shape '\(2,\)'"):
            sess.run(p, {p: [1, 2, 3]})


def test_uninitialized_message_hints_at_the_initializer():
    v = tf.Variable(1.0, name='weight')
    with tf.Session() as sess:
        with pytest.raises(tf.errors.FailedPreconditionError) as e:
            sess.run(v * 2.0)
    assert "Attempting to use uninitialized value weight" in str(e.value)
    assert "global_variables_initializer" in str(e.value)


def test_runtime_shape_error_names_the_op():
    a = tf.placeholder(tf.float32)
    b = tf.placeholder(tf.float32)
    c = tf.add(a, b, name='total')
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError, match="total"):
            sess.run(c, {a: np.ones(3), b: np.ones(4)})


def test_closed_and_empty_sessions():
    with pytest.raises(RuntimeError, match="empty"):
        tf.Session().run([])
    c = tf.constant(1)
    sess = tf.Session()
    sess.close()
    with pytest.raises(RuntimeError, match="closed"):
        sess.run(c)


def test_stale_tensor_after_reset_is_a_value_error():
    old = tf.constant(1.0)
    tf.reset_default_graph()
    new = tf.constant(2.0)
    with pytest.raises(ValueError, match="same graph"):
        old + new
    with pytest.raises(ValueError):
        tf.Session().run(old)


def test_fetched_arrays_are_copies():
    c = tf.constant([1.0, 2.0])
    v = tf.Variable([1.0, 2.0])
    with tf.Session() as sess:
        sess.run(v.initializer)
        got_c, got_v = sess.run([c, v])
        got_c[0] = 99.0
        got_v[0] = 99.0
        assert sess.run(c).tolist() == [1.0, 2.0]
        assert sess.run(v).tolist() == [1.0, 2.0]


def test_interactive_session_eval_and_run():
    sess = tf.InteractiveSession()
    try:
        v = tf.Variable(3)
        v.initializer.run()
        assert (v + 1).eval() == 4
    finally:
        sess.close()


def test_not_implemented_names_get_a_clear_error():
    with pytest.raises(AttributeError, match="tfteach does not implement tf.py_func"):
        tf.py_func
    with pytest.raises(NotImplementedError):
        tf.make_template
    assert not hasattr(tf, "py_func")


def test_gradient_ops_record_their_forward_op_and_input():
    a, b = tf.constant(2.0, name='a'), tf.constant(3.0, name='b')
    c = tf.multiply(a, b, name='c')
    ga, gb = tf.gradients(c, [a, b])
    assert (ga.gradient_for[0].name, ga.gradient_for[1]) == ('c', 0)
    assert (gb.gradient_for[0].name, gb.gradient_for[1]) == ('c', 1)
    seed = tf.get_default_graph().get_operation_by_name('gradients/Fill')
    assert seed.gradient_of == (None, 'seed')
    assert ga.op.gradient_of[0] is c.op and c.gradient_for is None


def test_identity_of_a_fed_tensor_is_fetched_like_any_result():
    p = tf.placeholder(tf.float32)
    q = tf.identity(p)  # skipped by the plan: it passes p's value along
    with tf.Session() as sess:
        fed, passed = sess.run([p, q], {p: 3.0})
    assert isinstance(fed, np.ndarray) and fed.shape == ()  # TF1: a fed tensor comes back as fed
    assert type(passed) is np.float32 and passed == 3.0


def test_folded_and_skipped_ops_still_appear_in_the_record_with_their_values():
    x = tf.Variable(5.0)
    loss = x * x
    train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    with tf.Session() as s1, tf.Session() as s2:
        s1.run(x.initializer)
        s2.run(x.initializer)
        _, record = s1.record(train)
        plan = [p for p in s1._plans.values() if len(p.all_steps) > 10][0]
        assert len(plan.steps) < len(plan.all_steps)  # some ops were folded or skipped
        names = [op.name for op, _ in record]
        assert 'gradients/mul_grad/Shape' in names and 'gradients/mul_grad/tuple/control_dependency' in names
        for op, values in record:
            for t, v in zip(op.outputs, values):
                if op.type not in ("VariableV2", "ApplyGradientDescent", "NoOp") and op.name != "Variable/read":
                    np.testing.assert_array_equal(v, s2.run(t))


def test_a_feed_too_big_for_its_dtype_raises_tfs_type_error():
    tf.reset_default_graph()
    x = tf.placeholder(tf.int32, [])
    with tf.Session() as sess:
        with pytest.raises(TypeError, match=r"Type of feed value 1099511627776 with type <class 'int'> is not "
                           r"compatible with Tensor type .*int32.*larger type \(e.g. int64\)"):
            sess.run(x, {x: 2 ** 40})


def test_an_op_whose_output_cannot_fit_fails_before_allocating_naming_the_op():
    tf.reset_default_graph()
    z = tf.zeros([10 ** 6, 10 ** 6])
    r = tf.random_uniform([10 ** 7, 10 ** 6], name="noise")
    with tf.Session() as sess:
        with pytest.raises(tf.errors.ResourceExhaustedError,
                           match=r"Fill 'zeros': OOM when allocating tensor with shape\[1000000,1000000\] and type "
                                 r"float on (.|\n)*\[\[node zeros\]\]"):
            sess.run(z)
        for big in (tf.tile(tf.ones([1000, 1000]), [10 ** 4, 10 ** 3], name="tiled"),
                    tf.broadcast_to(tf.ones([1]), [10 ** 6, 10 ** 6], name="spread")):
            with pytest.raises(tf.errors.ResourceExhaustedError,
                               match=rf"'{big.op.name}': OOM when allocating tensor with shape\["):
                sess.run(big)
        # numpy draws float64 and casts, but the error names the tensor's own type, as TF does
        with pytest.raises(tf.errors.ResourceExhaustedError,
                           match=r"'noise/RandomUniform': OOM .*shape\[10000000,1000000\] and type float on"):
            sess.run(r)
