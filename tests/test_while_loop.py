"""tf.while_loop (issue #25): gradients against float64 central differences, the frame's run
semantics, and tfteach's own errors. Values, names and TF's errors are in tests/cases/while_cases.py
(fixtures from real TensorFlow with control flow v1)."""
import numpy as np
import pytest

import tfteach as tf
from tfteach.testing import check_gradients


@pytest.fixture(autouse=True)
def fresh_graph():
    tf.reset_default_graph()


def _rnn_like(x, w):
    """Four steps of h = tanh(h w) + x, with w from outside the loop (a summed gradient)."""
    _, h = tf.while_loop(lambda i, h: i < 4, lambda i, h: (i + 1, tf.tanh(tf.matmul(h, w)) + x),
                         [tf.constant(0), x])
    return h


def test_gradient_through_a_loop_and_a_tensor_from_outside():
    rng = np.random.RandomState(0)
    check_gradients(_rnn_like, [rng.normal(size=(3, 2)), rng.normal(size=(2, 2))])


def test_gradient_of_a_loop_whose_variables_feed_each_other():
    def fn(x):
        _, h, c = tf.while_loop(lambda i, h, c: i < 3,
                                lambda i, h, c: (i + 1, tf.sigmoid(c) * h + x, c * 0.9 + tf.sin(h)),
                                [tf.constant(0), x * 0.5, x * 0.1])
        return h * 2.0 + c * c
    check_gradients(fn, [np.random.RandomState(1).normal(size=(4,))])


def test_gradient_with_the_iteration_count_fed_at_run_time():
    n = tf.placeholder(tf.int32, [])
    a = tf.placeholder(tf.float64, [])
    _, y = tf.while_loop(lambda k, y: k < n, lambda k, y: (k + 1, y * a + tf.sin(y)),
                         [tf.constant(0), tf.constant(0.3, tf.float64)])
    g = tf.gradients(y, a)[0]
    with tf.Session() as sess:
        for steps in (0, 1, 5):
            eps = 1e-6
            up, down = (sess.run(y, {n: steps, a: 1.1 + d}) for d in (eps, -eps))
            assert np.isclose(sess.run(g, {n: steps, a: 1.1}), (up - down) / (2 * eps), rtol=1e-6, atol=1e-9)


def test_gradient_of_nested_loops():
    def fn(x):
        def outer(i, h):
            _, h2 = tf.while_loop(lambda j, g: j < 2, lambda j, g: (j + 1, tf.tanh(g * x) + 0.1), [tf.constant(0), h])
            return i + 1, h2 * 1.5
        return tf.while_loop(lambda i, h: i < 3, outer, [tf.constant(0), x])[1]
    check_gradients(fn, [np.array([0.3, -0.7, 1.2])])


def test_second_derivative_through_a_loop_is_not_silently_wrong():
    """A gradient of a gradient of a loop: TF1 builds it from the stacks as well; tfteach either
    computes it right or says it cannot."""
    def first(x):
        _, y = tf.while_loop(lambda i, y: i < 2, lambda i, y: (i + 1, y * x), [tf.constant(0), x])
        return tf.gradients(y, x)[0]
    try:
        check_gradients(first, [np.array([0.5, 1.5])])
    except (NotImplementedError, LookupError, ValueError, TypeError) as e:
        assert "loop" in str(e).lower() or "while" in str(e).lower(), e


def test_a_body_changing_a_loop_variables_dtype_is_a_clear_error():
    with pytest.raises(TypeError, match="NextIteration.*float32.*int32"):
        tf.while_loop(lambda a: a < 2, lambda a: tf.cast(a, tf.float32), [tf.constant(1)])


def test_the_loop_runs_only_when_the_session_does_and_every_time():
    v = tf.Variable(0)
    n = tf.placeholder(tf.int32, [])
    _, total = tf.while_loop(lambda k, t: k < n, lambda k, t: (k + 1, t + k), [tf.constant(0), tf.constant(0)])
    with tf.Session() as sess:
        sess.run(v.initializer)
        assert [sess.run(total, {n: m}) for m in (3, 4, 0, 10)] == [3, 6, 0, 45]


def test_fetching_a_tensor_inside_the_loop_says_why_it_cannot():
    holder = {}

    def body(i):
        holder["inside"] = i * 2
        return holder["inside"] + 1
    tf.while_loop(lambda i: i < 5, body, [tf.constant(0)])
    with tf.Session() as sess, pytest.raises(tf.errors.InvalidArgumentError, match="inside the while loop"):
        sess.run(holder["inside"])


def test_a_loop_inside_tf_cond_runs_only_on_its_branch():
    p = tf.placeholder(tf.bool, [])
    out = tf.cond(p, lambda: tf.while_loop(lambda i: i < 4, lambda i: i + 1, [tf.constant(0)]),
                  lambda: tf.constant(-1))
    with tf.Session() as sess:
        assert sess.run(out, {p: True}) == 4 and sess.run(out, {p: False}) == -1


def test_training_through_a_loop_matches_unrolled_python():
    w = tf.Variable(0.5)
    _, y = tf.while_loop(lambda i, y: i < 5, lambda i, y: (i + 1, y * w + 1.0), [tf.constant(0), tf.constant(0.0)])
    loss = tf.square(y - 3.0)
    step = tf.train.GradientDescentOptimizer(0.01).minimize(loss)
    w_np = np.float32(0.5)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(10):
            sess.run(step)
            ys, dys = [np.float32(0.0)], [np.float32(0.0)]
            for _ in range(5):
                dys.append(dys[-1] * w_np + ys[-1])
                ys.append(ys[-1] * w_np + np.float32(1.0))
            w_np = np.float32(w_np - 0.01 * 2 * (ys[-1] - 3.0) * dys[-1])
            assert np.isclose(sess.run(w), w_np, rtol=1e-5)


def test_a_variable_made_in_the_body_lives_outside_the_loop():
    """As TF1: control_dependencies(None), under which variables are made, leaves the loop."""
    def body(i, x):
        w = tf.get_variable("w", [2, 2], initializer=tf.ones_initializer())
        return i + 1, tf.matmul(x, w)
    _, x = tf.while_loop(lambda i, x: i < 3, body, [tf.constant(0), tf.ones([1, 2])])
    graph = tf.get_default_graph()
    assert graph.get_operation_by_name("while/MatMul/Enter").inputs[0].name == "w/read:0"
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_array_equal(sess.run(x), [[8.0, 8.0]])
