"""Elementwise math, comparisons, logical ops and tf.where: one table of op specs drives the
gradient checks (float64 central differences, broadcast shapes, second order), the static
shape checks and the hypothesis tests. Values against real TensorFlow live in the fixture
suite (tests/cases/ops_cases.py); the few values here are worked out by hand.
"""
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import mutually_broadcastable_shapes

import tfteach as tf
from tfteach.testing import check_gradients


# ---- input domains: where each op is smooth, away from kinks and poles -------------------
def normal(rng, shape):
    return rng.standard_normal(shape)


def positive(rng, shape):
    return rng.uniform(0.5, 2.0, shape)


def away_from_zero(rng, shape):
    return rng.uniform(0.5, 2.0, shape) * rng.choice([-1.0, 1.0], shape)


def unit(rng, shape):
    return rng.uniform(-1.0, 1.0, shape)


def _run(fetches, feed=None):
    with tf.Session() as sess:
        return sess.run(fetches, feed)


@pytest.fixture(autouse=True)
def fresh_graph():
    tf.reset_default_graph()


# ---- the op table -----------------------------------------------------------------------
# (name, function on tensors, input domain, differentiable, smooth enough for 2nd order)
UNARY = [
    ("abs", tf.abs, away_from_zero, True, True),
    ("sign", tf.sign, away_from_zero, True, False),
    ("negative", tf.negative, normal, True, True),
    ("square", tf.square, normal, True, True),
    ("sqrt", tf.sqrt, positive, True, True),
    ("rsqrt", tf.rsqrt, positive, True, True),
    ("reciprocal", tf.reciprocal, away_from_zero, True, True),
    ("exp", tf.exp, normal, True, True),
    ("expm1", tf.expm1, normal, True, True),
    ("log", tf.log, positive, True, True),
    ("log1p", tf.log1p, positive, True, True),
    ("sin", tf.sin, normal, True, True),
    ("cos", tf.cos, normal, True, True),
    ("tan", tf.tan, unit, True, True),
    ("tanh", tf.tanh, normal, True, True),
    ("sigmoid", tf.sigmoid, normal, True, True),
    ("erf", tf.erf, normal, True, True),
    ("floor", tf.floor, normal, False, False),
    ("ceil", tf.ceil, normal, False, False),
    ("round", tf.round, normal, False, False),
]

# (name, function of two tensors, domain of x, domain of y, differentiable, 2nd order)
BINARY = [
    ("add", tf.add, normal, normal, True, True),
    ("subtract", tf.subtract, normal, normal, True, True),
    ("multiply", tf.multiply, normal, normal, True, True),
    ("truediv", tf.truediv, normal, away_from_zero, True, True),
    ("realdiv", tf.realdiv, normal, away_from_zero, True, True),
    ("div", tf.div, normal, away_from_zero, True, True),
    ("pow", tf.pow, positive, normal, True, True),
    ("maximum", tf.maximum, normal, normal, True, True),
    ("minimum", tf.minimum, normal, normal, True, True),
    ("squared_difference", tf.squared_difference, normal, normal, True, True),
    ("floormod", tf.floormod, normal, away_from_zero, True, False),
    ("floordiv", tf.floordiv, normal, away_from_zero, False, False),
    ("truncatediv", tf.truncatediv, normal, away_from_zero, False, False),
]

BROADCASTS = [((2, 3), (2, 3)), ((2, 3), (3,)), ((2, 3), (2, 1)), ((2, 3), ()), ((), (2, 3)),
              ((2, 1), (1, 3)), ((3,), (2, 3))]


def _ids(table):
    return [row[0] for row in table]


# ---- gradients ------------------------------------------------------------------------------
@pytest.mark.parametrize("name, fn, domain, differentiable, smooth", UNARY, ids=_ids(UNARY))
def test_unary_gradient(name, fn, domain, differentiable, smooth):
    x = domain(np.random.RandomState(1), (2, 3))
    if differentiable:
        check_gradients(fn, [x])
    else:
        t = tf.placeholder(tf.float64, (2, 3))
        assert tf.gradients(fn(t), t) == [None]


@pytest.mark.parametrize("name, fn, domain, differentiable, smooth",
                         [row for row in UNARY if row[4]], ids=_ids([row for row in UNARY if row[4]]))
def test_unary_second_derivative(name, fn, domain, differentiable, smooth):
    def first_derivative(x):
        return tf.gradients(fn(x), x)[0]
    check_gradients(first_derivative, [domain(np.random.RandomState(2), (2, 3))])


@pytest.mark.parametrize("shapes", BROADCASTS, ids=str)
@pytest.mark.parametrize("name, fn, dx, dy, differentiable, smooth", BINARY, ids=_ids(BINARY))
def test_binary_gradient_broadcasting(name, fn, dx, dy, differentiable, smooth, shapes):
    rng = np.random.RandomState(3)
    x, y = dx(rng, shapes[0]), dy(rng, shapes[1])
    if differentiable:
        check_gradients(fn, [x, y])
    else:
        a, b = tf.placeholder(tf.float64, shapes[0]), tf.placeholder(tf.float64, shapes[1])
        assert tf.gradients(fn(a, b), [a, b]) == [None, None]


@pytest.mark.parametrize("name, fn, dx, dy, differentiable, smooth",
                         [row for row in BINARY if row[5]], ids=_ids([row for row in BINARY if row[5]]))
def test_binary_second_derivative(name, fn, dx, dy, differentiable, smooth):
    rng = np.random.RandomState(4)
    x, y = dx(rng, (2, 3)), dy(rng, (3,))

    def gradient_sum(a, b):
        ga, gb = tf.gradients(fn(a, b) * fn(a, b), [a, b])
        return ga + tf.reduce_sum(gb)
    check_gradients(gradient_sum, [x, y])


def test_gradient_names_follow_tf1():
    x = tf.placeholder(tf.float32, (2, 3), name="x")
    b = tf.placeholder(tf.float32, (3,), name="b")
    tf.gradients(tf.maximum(x, b), [x, b])
    names = [op.name for op in tf.get_default_graph().get_operations() if "Maximum_grad" in op.name]
    assert names[:4] == ["gradients/Maximum_grad/Shape", "gradients/Maximum_grad/Shape_1",
                         "gradients/Maximum_grad/Shape_2", "gradients/Maximum_grad/zeros/Const"]
    assert "gradients/Maximum_grad/GreaterEqual" in names
    assert "gradients/Maximum_grad/Select" in names and "gradients/Maximum_grad/Select_1" in names
    assert names[-1] == "gradients/Maximum_grad/Reshape_1"


def test_tie_goes_to_x_for_maximum_and_minimum():
    x = tf.constant([1.0, 2.0, 3.0])
    y = tf.constant([1.0, 1.0, 4.0])
    dmax = tf.gradients(tf.maximum(x, y), [x, y])
    dmin = tf.gradients(tf.minimum(x, y), [x, y])
    (mx, my), (nx, ny) = _run([dmax, dmin])
    np.testing.assert_array_equal(mx, [1, 1, 0])
    np.testing.assert_array_equal(my, [0, 0, 1])
    np.testing.assert_array_equal(nx, [1, 0, 1])
    np.testing.assert_array_equal(ny, [0, 1, 0])


def test_abs_gradient_is_zero_at_zero_and_sign_gradient_is_zeros():
    x = tf.constant([-2.0, 0.0, 3.0])
    da, ds = _run([tf.gradients(tf.abs(x), x)[0], tf.gradients(tf.sign(x), x)[0]])
    np.testing.assert_array_equal(da, [-1, 0, 1])
    np.testing.assert_array_equal(ds, [0, 0, 0])


def test_integer_gradients_of_add_sub_mul_neg():
    a = tf.constant(3, name="a")
    b = tf.constant(4, name="b")
    ga, gb = tf.gradients(a + 2 * b, [a, b])
    assert ga.dtype == tf.int32 and gb.dtype == tf.int32
    assert _run([ga, gb]) == [1, 2]
    gc, gd = tf.gradients(-(a * b) - b, [a, b])
    assert _run([gc, gd]) == [-4, -4]


def test_select_gradient_routes_by_condition():
    cond = np.array([[True, False, True], [False, False, True]])
    check_gradients(lambda x, y: tf.where(tf.constant(cond), x, y),
                    [normal(np.random.RandomState(5), (2, 3)), normal(np.random.RandomState(6), (2, 3))])
    rows = np.array([True, False])
    check_gradients(lambda x, y: tf.where(tf.constant(rows), x, y),
                    [normal(np.random.RandomState(7), (2, 3)), normal(np.random.RandomState(8), (2, 3))])


@pytest.mark.parametrize("shapes", [((3,), (2, 3), ()), ((2, 1), (1, 3), (3,)), ((), (2, 3), (2, 3))])
def test_where_v2_gradient_broadcasting(shapes):
    cond = np.random.RandomState(9).rand(*shapes[0]) > 0.5
    check_gradients(lambda x, y: tf.where_v2(tf.constant(cond), x, y),
                    [normal(np.random.RandomState(10), shapes[1]), normal(np.random.RandomState(11), shapes[2])])


# ---- static shapes against the kernels' actual outputs ----------------------------------------
def _static_and_actual(build, arrays, feed_shapes=None):
    """Build with placeholders (of `feed_shapes`, default the arrays' shapes) and run."""
    feed_shapes = feed_shapes or [a.shape for a in arrays]
    phs = [tf.placeholder(tf.as_dtype(a.dtype), s) for a, s in zip(arrays, feed_shapes)]
    out = build(*phs)
    value = _run(out, dict(zip(phs, arrays)))
    return out.shape, np.shape(value)


@pytest.mark.parametrize("name, fn, domain, differentiable, smooth", UNARY, ids=_ids(UNARY))
def test_unary_static_shape(name, fn, domain, differentiable, smooth):
    x = domain(np.random.RandomState(0), (4, 1, 3)).astype(np.float32)
    static, actual = _static_and_actual(fn, [x])
    assert static.as_list() == list(actual)
    static, actual = _static_and_actual(fn, [x], [(None, 1, 3)])
    assert static.as_list() == [None, 1, 3] and static.is_compatible_with(actual)


@pytest.mark.parametrize("shapes", BROADCASTS, ids=str)
@pytest.mark.parametrize("name, fn, dx, dy, differentiable, smooth", BINARY, ids=_ids(BINARY))
def test_binary_static_shape(name, fn, dx, dy, differentiable, smooth, shapes):
    rng = np.random.RandomState(0)
    x, y = dx(rng, shapes[0]).astype(np.float32), dy(rng, shapes[1]).astype(np.float32)
    static, actual = _static_and_actual(fn, [x, y])
    assert static.as_list() == list(actual)


COMPARISONS = [tf.less, tf.less_equal, tf.greater, tf.greater_equal, tf.equal, tf.not_equal]


@pytest.mark.parametrize("fn", COMPARISONS, ids=lambda f: f.__name__)
def test_comparison_static_shape_and_bool_dtype(fn):
    static, actual = _static_and_actual(fn, [np.zeros((2, 1), np.float32), np.ones((3,), np.float32)])
    assert static.as_list() == list(actual) == [2, 3]
    x = tf.placeholder(tf.int32, (None, 3))
    assert fn(x, 1).dtype == tf.bool and fn(x, 1).shape.as_list() == [None, 3]


@pytest.mark.parametrize("fn", [tf.logical_and, tf.logical_or, tf.logical_xor], ids=lambda f: f.__name__)
def test_logical_static_shape(fn):
    static, actual = _static_and_actual(fn, [np.array([[True], [False]]), np.array([True, False, True])])
    assert static.as_list() == list(actual) == [2, 3]


def test_where_static_shapes():
    static, actual = _static_and_actual(lambda c, x, y: tf.where(c, x, y),
                                        [np.array([True, False]), np.zeros((2, 3)), np.ones((2, 3))],
                                        [(2,), (None, 3), (2, None)])
    assert static.as_list() == [2, 3] and list(actual) == [2, 3]
    static, actual = _static_and_actual(lambda c: tf.where(c), [np.array([[True, False], [True, True]])])
    assert static.as_list() == [None, 2] and list(actual) == [3, 2]


# ---- hypothesis: any broadcastable shapes ---------------------------------------------------
SHAPE_PAIRS = mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=3, max_side=3)


@given(SHAPE_PAIRS, st.sampled_from(["add", "multiply", "maximum", "squared_difference", "less"]))
def test_broadcast_static_shape_matches_numpy(shapes, name):
    tf.reset_default_graph()
    fn = {"add": tf.add, "multiply": tf.multiply, "maximum": tf.maximum,
          "squared_difference": tf.squared_difference, "less": tf.less}[name]
    (sx, sy), expected = shapes.input_shapes, shapes.result_shape
    x, y = np.ones(sx, np.float32), np.ones(sy, np.float32)
    static, actual = _static_and_actual(fn, [x, y])
    assert tuple(static.as_list()) == tuple(actual) == tuple(expected)


@given(SHAPE_PAIRS, st.sampled_from(["subtract", "multiply", "truediv", "minimum", "squared_difference"]))
def test_broadcast_gradients(shapes, name):
    fn = {"subtract": tf.subtract, "multiply": tf.multiply, "truediv": tf.truediv,
          "minimum": tf.minimum, "squared_difference": tf.squared_difference}[name]
    sx, sy = shapes.input_shapes
    rng = np.random.RandomState(12)
    check_gradients(fn, [normal(rng, sx), away_from_zero(rng, sy)])


@given(st.lists(st.integers(1, 3), min_size=1, max_size=3), st.data())
def test_select_with_row_vector_condition(shape, data):
    tf.reset_default_graph()
    cond = np.array(data.draw(st.lists(st.booleans(), min_size=shape[0], max_size=shape[0])))
    x, y = np.arange(np.prod(shape)).reshape(shape), -np.arange(np.prod(shape)).reshape(shape)
    got = _run(tf.where(cond, x, y))
    rows = cond.reshape((-1,) + (1,) * (len(shape) - 1)) & np.ones(shape, bool)
    for index in np.ndindex(*shape):
        assert got[index] == (x[index] if rows[index] else y[index])


# ---- values worked out by hand (TF's own values are in the fixture suite) ----------------------
def test_integer_division_family_rounds_as_tf():
    x = tf.constant([7, -7, 7, -7])
    y = tf.constant([2, 2, -2, -2])
    got = _run({"floordiv": x // y, "div": tf.div(x, y), "mod": x % y,
                "truncatediv": tf.truncatediv(x, y), "truncatemod": tf.truncatemod(x, y)})
    np.testing.assert_array_equal(got["floordiv"], [3, -4, -4, 3])
    np.testing.assert_array_equal(got["div"], [3, -4, -4, 3])
    np.testing.assert_array_equal(got["mod"], [1, 1, -1, -1])
    np.testing.assert_array_equal(got["truncatediv"], [3, -3, -3, 3])
    np.testing.assert_array_equal(got["truncatemod"], [1, -1, 1, -1])


def test_float_div_and_floordiv():
    x = tf.constant([7.5, -7.5])
    got = _run([tf.div(x, 2.0), tf.floordiv(x, 2.0), x % 2.0])
    np.testing.assert_array_equal(got[0], [3.75, -3.75])
    np.testing.assert_array_equal(got[1], [3.0, -4.0])
    np.testing.assert_array_equal(got[2], [1.5, 0.5])


def test_round_is_bankers_rounding():
    got = _run(tf.round(tf.constant([0.5, 1.5, 2.5, -0.5, -2.5, 2.6])))
    np.testing.assert_array_equal(got, [0.0, 2.0, 2.0, -0.0, -2.0, 3.0])


def test_some_unary_values():
    got = _run({"erf": tf.erf(tf.constant([0.0, 1.0], tf.float64)),
                "reciprocal": tf.reciprocal(tf.constant([2.0, -4.0])),
                "floor": tf.floor(tf.constant([-1.5, 1.5])), "ceil": tf.ceil(tf.constant([-1.5, 1.5])),
                "isfinite": tf.is_finite(tf.constant([1.0, np.inf, np.nan])),
                "isnan": tf.is_nan(tf.constant([1.0, np.inf, np.nan]))})
    np.testing.assert_allclose(got["erf"], [0.0, 0.8427007929497149])
    np.testing.assert_array_equal(got["reciprocal"], [0.5, -0.25])
    np.testing.assert_array_equal(got["floor"], [-2.0, 1.0])
    np.testing.assert_array_equal(got["ceil"], [-1.0, 2.0])
    np.testing.assert_array_equal(got["isfinite"], [True, False, False])
    np.testing.assert_array_equal(got["isnan"], [False, False, True])


def test_sigmoid_is_stable_far_from_zero():
    got = _run(tf.sigmoid(tf.constant([-1000.0, 0.0, 1000.0], tf.float64)))
    np.testing.assert_array_equal(got, [0.0, 0.5, 1.0])
    assert 0 < _run(tf.sigmoid(tf.constant(-700.0, tf.float64))) < 1e-300


def test_saturate_cast_and_scalar_mul():
    got = _run([tf.saturate_cast(tf.constant([-5.0, 300.0, 7.0]), tf.uint8),
                tf.scalar_mul(3.0, tf.constant([1.0, 2.0]))])
    np.testing.assert_array_equal(got[0], [0, 255, 7])
    np.testing.assert_array_equal(got[1], [3.0, 6.0])
    with pytest.raises(ValueError, match="Only scalar multiply"):
        tf.scalar_mul([1.0, 2.0], tf.constant([1.0, 2.0]))


def test_logical_xor_and_operators():
    a = tf.constant([True, True, False, False])
    b = tf.constant([True, False, True, False])
    got = _run([a ^ b, tf.logical_xor(a, b), a & b, a | b, ~a, True & a])
    np.testing.assert_array_equal(got[0], [False, True, True, False])
    np.testing.assert_array_equal(got[1], [False, True, True, False])
    np.testing.assert_array_equal(got[2], [True, False, False, False])
    np.testing.assert_array_equal(got[3], [True, True, True, False])
    np.testing.assert_array_equal(got[4], [False, False, True, True])
    np.testing.assert_array_equal(got[5], [True, True, False, False])


def test_where_v2_broadcasts_and_where_finds_indices():
    got = _run([tf.where_v2(tf.constant([True, False, True]), tf.constant([[1, 2, 3], [4, 5, 6]]), 0),
                tf.where_v2(tf.constant([[0, 2], [3, 0]]))])
    np.testing.assert_array_equal(got[0], [[1, 0, 3], [4, 0, 6]])
    np.testing.assert_array_equal(got[1], [[0, 1], [1, 0]])
    assert got[1].dtype == np.int64


# ---- node names, as TF1 chose them ----------------------------------------------------------
def test_operator_and_function_node_names():
    x = tf.constant([1, 2])
    y = tf.constant([3, 4])
    _ = x // y, x % y, x // 2, x < 2, abs(x), tf.div(x, y), tf.floordiv(x, y), tf.mod(x, y)
    a = tf.constant([True, False])
    _ = a & a, a | a, a ^ a, ~a, tf.logical_xor(a, a)
    names = [op.name for op in tf.get_default_graph().get_operations()]
    assert names == ["Const", "Const_1", "floordiv", "mod", "floordiv_1/y", "floordiv_1", "Less/y", "Less",
                     "Abs", "div", "floordiv_2", "FloorMod", "Const_2", "and", "or", "xor/LogicalOr",
                     "xor/LogicalAnd", "xor/LogicalNot", "xor", "LogicalNot", "LogicalOr", "LogicalAnd",
                     "LogicalNot_1", "LogicalXor"]


def test_where_node_names():
    c = tf.constant([True, False])
    tf.where(c, [1.0, 2.0], [3.0, 4.0])
    tf.where(c)
    tf.where_v2(c, 1.0, 2.0)
    names = [op.name for op in tf.get_default_graph().get_operations()]
    assert names == ["Const", "Select/t", "Select/e", "Select", "Where", "SelectV2/t", "SelectV2/e", "SelectV2"]


def test_eq_operator_stays_identity():
    x = tf.constant(1.0)
    y = tf.constant(1.0)
    assert (x == x) is True and (x == y) is False
    assert len({x: 1, y: 2}) == 2


def test_matmul_accepts_adjoint_and_sparse_hints():
    a = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    got = _run([tf.matmul(a, a, adjoint_b=True, a_is_sparse=True), a @ a])
    np.testing.assert_array_equal(got[0], [[5.0, 11.0], [11.0, 25.0]])
    np.testing.assert_array_equal(got[1], [[7.0, 10.0], [15.0, 22.0]])
    with pytest.raises(ValueError):
        tf.matmul(a, a, transpose_a=True, adjoint_a=True)


# ---- errors name the op and what it received -------------------------------------------------
def test_broadcast_error_at_build_time_names_op_and_shapes():
    with pytest.raises(ValueError, match=r"'Maximum'.*\[2,3\], \[4\]"):
        tf.maximum(tf.zeros([2, 3]), tf.zeros([4]))
    with pytest.raises(ValueError, match=r"'SquaredDifference'.*\[2,3\], \[2\]"):
        tf.squared_difference(tf.zeros([2, 3]), tf.zeros([2]))


@pytest.mark.parametrize("build", [
    lambda: tf.sqrt(tf.constant([4, 9])),
    lambda: tf.exp(tf.constant([1, 2])),
    lambda: tf.sigmoid(tf.constant([1, 2])),
    lambda: tf.logical_and(tf.constant([1.0]), tf.constant([1.0])),
    lambda: ~tf.constant([1, 2]),
    lambda: tf.maximum(tf.constant([True]), tf.constant([False])),
    lambda: tf.less(tf.constant([1]), tf.constant([1.0])),
    lambda: tf.where(tf.constant([1.0, 0.0]), tf.constant([1.0, 2.0]), tf.constant([3.0, 4.0])),
    lambda: tf.add(tf.constant([True]), tf.constant([True])),
], ids=["sqrt_int", "exp_int", "sigmoid_int", "and_float", "invert_int", "maximum_bool",
        "less_mixed", "where_float_condition", "add_bool"])
def test_type_errors(build):
    with pytest.raises(TypeError):
        build()


def test_where_shape_errors():
    x = tf.zeros((2, 3))
    with pytest.raises(ValueError, match="Dimension 0 in both shapes must be equal, but are 3 and 2"):
        tf.where(tf.constant([True, False, True]), x, x)
    with pytest.raises(ValueError, match=r"'Select_1'.*\[1,3\], \[2,3\], \[2,3\]"):
        tf.where(tf.constant([[True, False, True]]), x, x)
    with pytest.raises(ValueError, match="both be non-None"):
        tf.where(tf.constant([True]), x)


def test_integer_division_by_zero_fails_at_run_time():
    x = tf.constant([1, 2])
    y = tf.constant([0, 1])
    for z in (x // y, x % y, tf.truncatediv(x, y)):
        with pytest.raises(tf.errors.InvalidArgumentError, match="Integer division by zero"):
            _run(z)


def test_float_division_by_zero_follows_ieee():
    got = _run([tf.constant([1.0, -1.0]) // 0.0, tf.constant(1.0) % 0.0])
    assert list(got[0]) == [math.inf, -math.inf] and math.isnan(got[1])
