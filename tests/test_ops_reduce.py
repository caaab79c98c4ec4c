"""Reductions, argmax/argmin and cumsum/cumprod: gradients over every axis (negative ones and
keepdims too) against float64 central differences, static shapes against the kernels'
outputs, hypothesis over shapes and axes. TF's own values live in the fixture suite.
"""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes

import tfteach as tf
from tfteach.testing import check_gradients


def _run(fetches, feed=None):
    with tf.Session() as sess:
        return sess.run(fetches, feed)


@pytest.fixture(autouse=True)
def fresh_graph():
    tf.reset_default_graph()


def distinct(shape, seed=0):
    """Random values without ties (so max/min are smooth) and away from 0 (prod, cumprod)."""
    rng = np.random.RandomState(seed)
    n = int(np.prod(shape))
    values = (rng.permutation(n) + 1.0) / n + 0.5
    return (values * rng.choice([-1.0, 1.0], n)).reshape(shape)


# (name, reduction, differentiable)
REDUCTIONS = [
    ("reduce_sum", tf.reduce_sum, True),
    ("reduce_mean", tf.reduce_mean, True),
    ("reduce_max", tf.reduce_max, True),
    ("reduce_min", tf.reduce_min, True),
    ("reduce_prod", tf.reduce_prod, True),
    ("reduce_logsumexp", tf.reduce_logsumexp, True),
]
AXES_2D = [None, 0, 1, -1, -2, [0, 1], [1, 0], [-1, 0], []]
AXES_3D = [None, 0, 2, -1, [0, 2], [-1, 1], [0, 1, 2]]


def _ids(table):
    return [row[0] for row in table]


# ---- gradients over every axis --------------------------------------------------------------
@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize("axis", AXES_2D, ids=str)
@pytest.mark.parametrize("name, fn, differentiable", REDUCTIONS, ids=_ids(REDUCTIONS))
def test_reduction_gradient_2d(name, fn, differentiable, axis, keepdims):
    check_gradients(lambda x: fn(x, axis=axis, keepdims=keepdims), [distinct((2, 3))])


@pytest.mark.parametrize("axis", AXES_3D, ids=str)
@pytest.mark.parametrize("name, fn, differentiable", REDUCTIONS, ids=_ids(REDUCTIONS))
def test_reduction_gradient_3d(name, fn, differentiable, axis):
    check_gradients(lambda x: fn(x, axis=axis, keepdims=True), [distinct((2, 3, 4), seed=1)])
    check_gradients(lambda x: fn(x, axis=axis), [distinct((2, 3, 4), seed=2)])


@pytest.mark.parametrize("name, fn, differentiable", REDUCTIONS, ids=_ids(REDUCTIONS))
def test_reduction_gradient_with_unknown_shape(name, fn, differentiable):
    x = tf.placeholder(tf.float64, (None, 3))
    y = fn(x * x, 1)
    g = tf.gradients(y, x)[0]
    value = distinct((2, 3), seed=3)
    feed = {x: value}
    dx = _run(g, feed)
    eps = 1e-6
    expected = np.zeros_like(value)
    for index in np.ndindex(*value.shape):
        plus, minus = value.copy(), value.copy()
        plus[index] += eps
        minus[index] -= eps
        expected[index] = (_run(y, {x: plus}).sum() - _run(y, {x: minus}).sum()) / (2 * eps)
    np.testing.assert_allclose(dx, expected, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name, fn, differentiable", REDUCTIONS, ids=_ids(REDUCTIONS))
def test_reduction_second_derivative(name, fn, differentiable):
    def gradient(x):
        return tf.gradients(fn(x * x, 1), x)[0]
    check_gradients(gradient, [distinct((2, 3), seed=4)])


def test_max_and_min_share_the_gradient_between_ties():
    x = tf.constant([[1.0, 3.0, 3.0], [-2.0, 0.5, -2.0]])
    dmax, dmin = _run([tf.gradients(tf.reduce_max(x, 1), x)[0], tf.gradients(tf.reduce_min(x, 1), x)[0]])
    np.testing.assert_array_equal(dmax, [[0, 0.5, 0.5], [0, 1, 0]])
    np.testing.assert_array_equal(dmin, [[1, 0, 0], [0.5, 0, 0.5]])


def test_prod_gradient_with_zeros():
    x = tf.constant([[1.5, -2.0, 0.5], [2.0, 0.0, 3.0], [0.0, 0.0, 4.0]])
    got = _run(tf.gradients(tf.reduce_prod(x, 1), x)[0])
    np.testing.assert_array_equal(got, [[-1.0, 0.75, -3.0], [0.0, 6.0, 0.0], [0.0, 0.0, 0.0]])


def test_mean_gradient_divides_by_count():
    x = tf.constant(np.ones((2, 4)))
    np.testing.assert_array_equal(_run(tf.gradients(tf.reduce_mean(x, 1), x)[0]), np.full((2, 4), 0.25))
    np.testing.assert_array_equal(_run(tf.gradients(tf.reduce_mean(x), x)[0]), np.full((2, 4), 0.125))


@pytest.mark.parametrize("exclusive", [False, True])
@pytest.mark.parametrize("reverse", [False, True])
@pytest.mark.parametrize("axis", [0, 1, -1])
@pytest.mark.parametrize("fn", [tf.cumsum, tf.cumprod], ids=lambda f: f.__name__)
def test_scan_gradient(fn, axis, reverse, exclusive):
    check_gradients(lambda x: fn(x, axis, exclusive=exclusive, reverse=reverse), [distinct((3, 4), seed=5)])


def test_scan_second_derivative():
    check_gradients(lambda x: tf.gradients(tf.cumprod(x * x, 1, reverse=True), x)[0], [distinct((2, 3))])


@pytest.mark.parametrize("fn", [tf.argmax, tf.argmin, tf.count_nonzero, tf.reduce_any, tf.reduce_all],
                         ids=lambda f: f.__name__)
def test_index_and_bool_reductions_have_no_gradient(fn):
    x = tf.placeholder(tf.float32, (2, 3))
    arg = tf.cast(x, tf.bool) if fn in (tf.reduce_any, tf.reduce_all) else x
    y = tf.cast(fn(arg, 1), tf.float32)
    assert tf.gradients(y, x) == [None]


def test_integer_reductions_keep_integer_gradients():
    a = tf.constant([[1, 2], [3, 4]])
    g = tf.gradients(tf.reduce_sum(a * 3), a)[0]
    assert g.dtype == tf.int32
    np.testing.assert_array_equal(_run(g), [[3, 3], [3, 3]])


# ---- static shapes against the kernels' outputs ------------------------------------------------
ALL_REDUCTIONS = REDUCTIONS + [("reduce_any", tf.reduce_any, False), ("reduce_all", tf.reduce_all, False),
                               ("count_nonzero", tf.count_nonzero, False)]


def _input_for(name, shape):
    if name in ("reduce_any", "reduce_all"):
        return np.arange(np.prod(shape)).reshape(shape) % 3 == 0
    return distinct(shape).astype(np.float32)


@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize("axis", AXES_3D, ids=str)
@pytest.mark.parametrize("name, fn, differentiable", ALL_REDUCTIONS, ids=_ids(ALL_REDUCTIONS))
def test_reduction_static_shape(name, fn, differentiable, axis, keepdims):
    value = _input_for(name, (2, 3, 4))
    x = tf.placeholder(tf.as_dtype(value.dtype), (2, 3, 4))
    y = fn(x, axis, keepdims=keepdims)
    assert y.shape.as_list() == list(np.shape(_run(y, {x: value})))
    partial = tf.placeholder(tf.as_dtype(value.dtype), (None, 3, 4))
    z = fn(partial, axis, keepdims=keepdims)
    assert z.shape.is_compatible_with(np.shape(_run(z, {partial: value})))


@pytest.mark.parametrize("axis", [0, 1, 2, -1, -3])
@pytest.mark.parametrize("fn", [tf.argmax, tf.argmin], ids=lambda f: f.__name__)
def test_arg_static_shape(fn, axis):
    value = distinct((2, 3, 4)).astype(np.float32)
    x = tf.placeholder(tf.float32, (2, 3, 4))
    y = fn(x, axis)
    out = _run(y, {x: value})
    assert y.shape.as_list() == list(out.shape) and out.dtype == np.int64


@pytest.mark.parametrize("fn", [tf.cumsum, tf.cumprod], ids=lambda f: f.__name__)
def test_scan_static_shape(fn):
    x = tf.placeholder(tf.float32, (None, 3))
    y = fn(x, 1, exclusive=True)
    assert y.shape.as_list() == [None, 3]
    assert _run(y, {x: np.ones((2, 3))}).shape == (2, 3)


# ---- hypothesis: any shape, any set of axes ----------------------------------------------------
@st.composite
def shape_and_axes(draw):
    shape = draw(array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=3))
    rank = len(shape)
    if rank == 0 or draw(st.booleans()):
        return shape, None
    dims = draw(st.lists(st.integers(0, rank - 1), unique=True, max_size=rank))
    axes = [d - rank if draw(st.booleans()) else d for d in dims]  # some counted from the end
    return shape, axes


@given(shape_and_axes(), st.booleans(), st.sampled_from(_ids(ALL_REDUCTIONS)))
def test_static_shape_matches_kernel_for_any_axes(shape_axes, keepdims, name):
    tf.reset_default_graph()
    shape, axes = shape_axes
    fn = dict((row[0], row[1]) for row in ALL_REDUCTIONS)[name]
    value = _input_for(name, shape)
    x = tf.placeholder(tf.as_dtype(value.dtype), shape)
    y = fn(x, axes, keepdims=keepdims)
    out = _run(y, {x: value})
    assert tuple(y.shape.as_list()) == np.shape(out)
    normalized = tuple(range(len(shape))) if axes is None else tuple(a % len(shape) for a in axes)
    assert np.shape(out) == np.sum(np.ones(shape), axis=normalized, keepdims=keepdims).shape


@given(shape_and_axes(), st.booleans(), st.sampled_from(["reduce_sum", "reduce_mean", "reduce_max",
                                                        "reduce_prod", "reduce_logsumexp"]))
def test_gradients_for_any_axes(shape_axes, keepdims, name):
    shape, axes = shape_axes
    fn = dict((row[0], row[1]) for row in REDUCTIONS)[name]
    check_gradients(lambda x: fn(x, axes, keepdims=keepdims), [distinct(shape, seed=6)])


# ---- values worked out by hand ------------------------------------------------------------------
def test_scans_by_hand():
    x = tf.constant([[1, 2, 3], [4, 5, 6]])
    got = _run({"plain": tf.cumsum(x, 1), "exclusive": tf.cumsum(x, 1, exclusive=True),
                "reverse": tf.cumsum(x, 1, reverse=True), "both": tf.cumsum(x, 1, exclusive=True, reverse=True),
                "axis0": tf.cumsum(x), "prod_excl": tf.cumprod(tf.constant([2.0, 3.0, 4.0]), exclusive=True)})
    np.testing.assert_array_equal(got["plain"], [[1, 3, 6], [4, 9, 15]])
    np.testing.assert_array_equal(got["exclusive"], [[0, 1, 3], [0, 4, 9]])
    np.testing.assert_array_equal(got["reverse"], [[6, 5, 3], [15, 11, 6]])
    np.testing.assert_array_equal(got["both"], [[5, 3, 0], [11, 6, 0]])
    np.testing.assert_array_equal(got["axis0"], [[1, 2, 3], [5, 7, 9]])
    np.testing.assert_array_equal(got["prod_excl"], [1.0, 2.0, 6.0])


def test_logsumexp_is_stable():
    x = tf.constant([[1000.0, 1000.0], [-np.inf, 0.0]], tf.float64)
    got = _run([tf.reduce_logsumexp(x, 1), tf.reduce_logsumexp(x, 1, keepdims=True),
                tf.reduce_logsumexp(tf.constant([-np.inf, -np.inf]))])
    np.testing.assert_allclose(got[0], [1000.0 + np.log(2.0), 0.0])
    assert got[1].shape == (2, 1)
    assert got[2] == -np.inf


def test_count_nonzero():
    x = tf.constant([[0.0, 1.5, 0.0], [2.0, -1.0, 0.0]])
    got = _run([tf.count_nonzero(x), tf.count_nonzero(x, 1), tf.count_nonzero(x, 0, keepdims=True, dtype=tf.int32),
                tf.count_nonzero(tf.constant([True, False, True]))])
    assert got[0] == 3 and got[0].dtype == np.int64
    np.testing.assert_array_equal(got[1], [1, 2])
    np.testing.assert_array_equal(got[2], [[1, 2, 0]])
    assert got[2].dtype == np.int32 and got[3] == 2


def test_integer_mean_truncates_toward_zero():
    np.testing.assert_array_equal(_run(tf.reduce_mean(tf.constant([[-1, -2], [-3, -5], [3, 4]]), 1)), [-1, -4, 3])


def test_empty_reductions():
    x = tf.constant(np.zeros((0, 2), np.float32))
    i = tf.constant(np.zeros((0,), np.int32))
    got = _run([tf.reduce_max(x, 0), tf.reduce_min(x), tf.reduce_max(i), tf.reduce_prod(x), tf.reduce_mean(x)])
    np.testing.assert_array_equal(got[0], [-np.inf, -np.inf])
    assert got[1] == np.inf and got[2] == np.iinfo(np.int32).min and got[3] == 1.0 and np.isnan(got[4])


# ---- names and keywords ----------------------------------------------------------------------------
def test_names():
    x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    tf.argmax(x, 1)
    tf.argmin(x, dimension=0, name="smallest")
    tf.cumsum(x)
    tf.count_nonzero(x)
    tf.reduce_logsumexp(x, 1)
    names = [op.name for op in tf.get_default_graph().get_operations()]
    assert names[:8] == ["Const", "ArgMax/dimension", "ArgMax", "smallest/dimension", "smallest",
                         "Cumsum/axis", "Cumsum", "count_nonzero/zeros"]
    assert names[8:12] == ["count_nonzero/NotEqual", "count_nonzero/Cast", "count_nonzero/Const",
                           "count_nonzero/Sum"]
    assert names[12:] == ["ReduceLogSumExp/Max/reduction_indices", "ReduceLogSumExp/Max",
                          "ReduceLogSumExp/IsFinite", "ReduceLogSumExp/zeros_like", "ReduceLogSumExp/Select",
                          "ReduceLogSumExp/StopGradient", "ReduceLogSumExp/Sub", "ReduceLogSumExp/Exp",
                          "ReduceLogSumExp/Sum/reduction_indices", "ReduceLogSumExp/Sum",
                          "ReduceLogSumExp/Log", "ReduceLogSumExp/Shape", "ReduceLogSumExp/Reshape",
                          "ReduceLogSumExp/Add"]


def test_old_keywords_and_their_conflicts():
    x = tf.constant([[1.0, 5.0], [7.0, 2.0]])
    got = _run([tf.reduce_max(x, reduction_indices=[1], keep_dims=True), tf.argmax(x, dimension=1),
                tf.reduce_logsumexp(x, reduction_indices=0, keep_dims=True)])
    np.testing.assert_array_equal(got[0], [[5.0], [7.0]])
    np.testing.assert_array_equal(got[1], [1, 0])
    assert got[2].shape == (1, 2)
    with pytest.raises(ValueError):
        tf.argmax(x, 1, dimension=1)
    with pytest.raises(ValueError):
        tf.reduce_mean(x, 0, reduction_indices=0)


# ---- errors -------------------------------------------------------------------------------------
def test_axis_out_of_range_at_build_time():
    x = tf.zeros((2, 3))
    with pytest.raises(ValueError, match=r"Invalid reduction dimension 2 .*'Max'"):
        tf.reduce_max(x, 2)
    with pytest.raises(ValueError, match=r"range \[-2, 2\), but got 2 for 'ArgMax'"):
        tf.argmax(x, 2)


@pytest.mark.parametrize("build", [
    lambda: tf.reduce_sum(tf.constant([True])),
    lambda: tf.reduce_mean(tf.constant([True])),
    lambda: tf.reduce_any(tf.constant([1.0])),
    lambda: tf.argmax(tf.constant([True, False])),
    lambda: tf.cumsum(tf.constant([True])),
], ids=["sum_bool", "mean_bool", "any_float", "argmax_bool", "cumsum_bool"])
def test_type_errors(build):
    with pytest.raises(TypeError):
        build()
