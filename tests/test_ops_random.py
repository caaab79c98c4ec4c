"""Random ops: TF1's seed rules, reproducibility across sessions and graphs, ranges, names."""
import numpy as np
import pytest

import tfteach as tf


def _first_run(build, graph_seed=None):
    """Build on a new graph (with an optional graph seed); the first value in a new session."""
    with tf.Graph().as_default() as g:
        if graph_seed is not None:
            tf.set_random_seed(graph_seed)
        r = build()
        with tf.Session(graph=g) as sess:
            return sess.run(r)


def test_set_random_seed_sets_graph_seed():
    with tf.Graph().as_default() as g:
        tf.set_random_seed(42)
        assert g.seed == 42


@pytest.mark.parametrize("build", [
    lambda: tf.random_normal([5], seed=3),
    lambda: tf.truncated_normal([5], seed=3),
    lambda: tf.random_uniform([5], seed=3),
    lambda: tf.random_uniform([5], 0, 100, dtype=tf.int32, seed=3),
    lambda: tf.random_shuffle(tf.range(20), seed=3),
    lambda: tf.multinomial([[0.0, 1.0, 2.0]], 10, seed=3),
])
def test_same_seeds_same_first_value(build):
    for graph_seed in (None, 7):
        np.testing.assert_array_equal(_first_run(build, graph_seed), _first_run(build, graph_seed))


def test_graph_seed_alone_makes_ops_reproducible_and_different():
    def build():
        return [tf.random_uniform([4]), tf.random_uniform([4])]
    a1, b1 = _first_run(build, graph_seed=1)
    a2, b2 = _first_run(build, graph_seed=1)
    np.testing.assert_array_equal(a1, a2)
    np.testing.assert_array_equal(b1, b2)
    assert not np.array_equal(a1, b1)  # op seeds come from the op count, so they differ


def test_graph_seed_changes_the_numbers():
    build = lambda: tf.random_uniform([4], seed=5)  # noqa: E731
    assert not np.array_equal(_first_run(build, 1), _first_run(build, 2))


def test_no_seed_is_nondeterministic():
    build = lambda: tf.random_uniform([8])  # noqa: E731
    assert not np.array_equal(_first_run(build), _first_run(build))


def test_successive_runs_differ_and_a_new_session_restarts():
    with tf.Graph().as_default() as g:
        r = tf.random_normal([6], seed=11)
        with tf.Session(graph=g) as sess:
            first, second = sess.run(r), sess.run(r)
        with tf.Session(graph=g) as sess:
            again_first, again_second = sess.run(r), sess.run(r)
    assert not np.array_equal(first, second)
    np.testing.assert_array_equal(first, again_first)
    np.testing.assert_array_equal(second, again_second)


def test_seed_attributes_follow_tf1():
    with tf.Graph().as_default() as g:
        a = tf.random_uniform([2])
        b = tf.random_uniform([2], seed=4)
        tf.set_random_seed(9)
        c = tf.random_uniform([2], seed=4)
        d = tf.random_uniform([2])
        n_before_d = [op.name for op in g.get_operations()].index("random_uniform_3/RandomUniform")
        tf.set_random_seed(0)
        e = tf.random_normal([2], seed=0)
    uniforms = [t.op.inputs[0].op.inputs[0].op for t in (a, b, c, d)]  # Add <- Mul <- RandomUniform
    attrs = [(op.get_attr("seed"), op.get_attr("seed2")) for op in uniforms]
    assert attrs == [(0, 0), (87654321, 4), (9, 4), (9, n_before_d)]
    normal = e.op.inputs[0].op.inputs[0].op
    assert (normal.get_attr("seed"), normal.get_attr("seed2")) == (0, 2 ** 31 - 1)  # (0, 0) means "no seed"


def test_ranges_and_moments():
    with tf.Graph().as_default():
        tf.set_random_seed(3)
        u = tf.random_uniform([4000], minval=-3.0, maxval=-1.0)
        i = tf.random_uniform([4000], minval=2, maxval=7, dtype=tf.int64)
        t = tf.truncated_normal([4000], mean=1.0, stddev=0.5, dtype=tf.float64)
        n = tf.random_normal([4000], mean=5.0, stddev=2.0)
        with tf.Session() as sess:
            u, i, t, n = sess.run([u, i, t, n])
    assert u.dtype == np.float32 and u.min() >= -3.0 and u.max() < -1.0
    assert i.dtype == np.int64 and set(i.tolist()) == {2, 3, 4, 5, 6}
    assert t.dtype == np.float64 and np.all(np.abs(t - 1.0) <= 1.0) and abs(t.mean() - 1.0) < 0.05
    assert abs(n.mean() - 5.0) < 0.15 and abs(n.std() - 2.0) < 0.15


def test_shuffle_and_multinomial():
    with tf.Graph().as_default():
        x = tf.constant(np.arange(12).reshape(6, 2))
        s = tf.random_shuffle(x, seed=1)
        m = tf.multinomial(tf.constant([[0.0, -50.0, 0.0], [-50.0, 0.0, -50.0]]), 200, seed=2)
        with tf.Session() as sess:
            s, m = sess.run([s, m])
    assert sorted(s[:, 0].tolist()) == [0, 2, 4, 6, 8, 10] and np.all(s[:, 1] == s[:, 0] + 1)
    assert m.dtype == np.int64 and m.shape == (2, 200)
    assert set(m[0].tolist()) == {0, 2} and set(m[1].tolist()) == {1}


def test_names_and_static_shapes():
    with tf.Graph().as_default() as g:
        p = tf.placeholder(tf.float32, [None, 3], name="p")
        r = tf.random_uniform(tf.shape(p), -1.0, 1.0)
        tf.truncated_normal([2, 2])
    assert r.shape.as_list() == [None, 3]
    assert [op.name for op in g.get_operations()] == [
        "p", "Shape", "random_uniform/min", "random_uniform/max", "random_uniform/RandomUniform",
        "random_uniform/sub", "random_uniform/mul", "random_uniform", "truncated_normal/shape",
        "truncated_normal/mean", "truncated_normal/stddev", "truncated_normal/TruncatedNormal",
        "truncated_normal/mul", "truncated_normal"]


def test_random_ops_are_not_differentiable():
    with tf.Graph().as_default():
        mean = tf.constant(1.0)
        stddev = tf.constant(2.0)
        y = tf.random_normal([3], mean=mean, stddev=stddev, seed=1)
        dmean, dstddev = tf.gradients(tf.reduce_sum(y), [mean, stddev])
        with tf.Session() as sess:
            value, dm, ds = sess.run([y, dmean, dstddev])
        # only the mul/add around RandomStandardNormal carry a gradient
        assert dm == 3.0
        np.testing.assert_allclose(ds, np.sum((value - 1.0) / 2.0), rtol=1e-5)


@pytest.mark.parametrize("build, error, text", [
    (lambda: tf.random_uniform([3], dtype=tf.int32), ValueError, "Must specify maxval"),
    (lambda: tf.random_uniform([3], dtype=tf.bool), ValueError, "Invalid dtype"),
    (lambda: tf.random_normal([3], dtype=tf.int32), TypeError, "int32"),
    (lambda: tf.random_normal([-1, 2]), ValueError, "non-negative"),
])
def test_build_time_errors(build, error, text):
    with tf.Graph().as_default():
        with pytest.raises(error, match=text):
            build()


def test_run_time_errors():
    with tf.Graph().as_default():
        hi = tf.placeholder(tf.int32, [])
        r = tf.random_uniform([3], 5, hi, dtype=tf.int32)
        shape = tf.placeholder(tf.int32, [2])
        n = tf.random_normal(shape)
        with tf.Session() as sess:
            with pytest.raises(tf.errors.InvalidArgumentError, match="Need minval < maxval"):
                sess.run(r, {hi: 5})
            with pytest.raises(tf.errors.InvalidArgumentError, match="non-negative"):
                sess.run(n, {shape: [2, -3]})
