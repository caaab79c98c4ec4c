"""Op-library cases: math, reductions, shapes, random, nn, clipping, control, errors.

Each `case_<name>(tf)` builds a graph with the TF1 API on the (already reset) default
graph, runs it and returns plain data. The expected results come from real TensorFlow
(`tests/fixtures/make_fixtures.py ops_cases`); tfteach must reproduce them.
"""
import numpy as np

from cases.harness import catch

NAN = float("nan")
INF = float("inf")


# ---------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------

def _run(tf, fetches, feed=None):
    with tf.Session() as sess:
        return sess.run(fetches, feed_dict=feed)


def _run_dict(tf, named, feed=None):
    """Run a {key: tensor} dict via a list fetch and return {key: value}."""
    keys = sorted(named)
    with tf.Session() as sess:
        values = sess.run([named[k] for k in keys], feed_dict=feed)
    return dict(zip(keys, values))


def _names(tf):
    return [op.name for op in tf.get_default_graph().get_operations()]


def _types(tf):
    return [op.type for op in tf.get_default_graph().get_operations()]


def _shape(t):
    return None if t.shape.ndims is None else t.shape.as_list()


def _f32(values):
    return np.array(values, dtype=np.float32)


def _i32(values):
    return np.array(values, dtype=np.int32)


# ---------------------------------------------------------------------------
# math: binary ops with broadcasting
# ---------------------------------------------------------------------------

def case_add_broadcast_row(tf):
    x = tf.constant(_f32([[1, 2, 3], [4, 5, 6]]))
    y = tf.constant(_f32([10, 20, 30]))
    z = tf.add(x, y)
    return {"value": _run(tf, z), "dtype": z.dtype.name, "shape": _shape(z)}


def case_add_broadcast_column_and_row(tf):
    x = tf.constant(_f32([[1], [2]]))
    y = tf.constant(_f32([[10, 20, 30]]))
    z = x + y
    return {"value": _run(tf, z), "shape": _shape(z)}


def case_add_broadcast_scalar_tensor(tf):
    x = tf.constant(_i32([[1, 2], [3, 4]]))
    y = tf.constant(np.int32(100))
    z = x + y
    return {"value": _run(tf, z), "dtype": z.dtype.name}


def case_add_python_lists(tf):
    i = tf.add([1, 2, 3], [10, 20, 30])
    f = tf.add([1.0, 2.0], [0.5, 0.25])
    return {"int": _run(tf, i), "float": _run(tf, f), "dtypes": [i.dtype.name, f.dtype.name]}


def case_subtract_int32(tf):
    x = tf.constant(_i32([5, 3, -1]))
    y = tf.constant(_i32([1, 7, -4]))
    z = tf.subtract(x, y)
    return {"value": _run(tf, z), "dtype": z.dtype.name}


def case_multiply_broadcast_float32(tf):
    x = tf.constant(_f32([[1, 2, 3], [4, 5, 6]]))
    y = tf.constant(_f32([[2], [-1]]))
    z = tf.multiply(x, y)
    return {"value": _run(tf, z), "shape": _shape(z)}


def case_python_scalar_takes_tensor_dtype(tf):
    i = tf.constant(_i32([1, 2, 3]))
    f = tf.constant(_f32([1.5, 2.5]))
    d = tf.constant(np.array([1.5, 2.5], dtype=np.float64))
    named = {"i32_times_int": i * 3, "f32_times_int": f * 2, "f32_plus_int": f + 1,
             "float_times_f32": 0.5 * f, "f64_times_float": d * 0.1}
    out = _run_dict(tf, named)
    out["dtypes"] = {k: v.dtype.name for k, v in named.items()}
    return out


def case_divide_float32(tf):
    x = tf.constant(_f32([1, 2, 3, -4]))
    y = tf.constant(_f32([2, 4, 3, 8]))
    z = tf.divide(x, y)
    w = x / y
    return {"divide": _run(tf, z), "operator": _run(tf, w), "dtype": z.dtype.name}


def case_truediv_float64_preserved(tf):
    x = tf.constant(np.array([1.0, 2.0], dtype=np.float64))
    z = tf.truediv(x, 3.0)
    return {"value": _run(tf, z), "dtype": z.dtype.name}


def case_operators_reflected(tf):
    x = tf.constant(_f32([1, 2, 4]))
    named = {
        "rsub": 2 - x,
        "radd": 1 + x,
        "rmul": 3 * x,
        "rdiv": 2 / x,
        "rpow": 2 ** x,
        "pow": x ** 2,
        "neg": -x,
        "abs": abs(-x),
        "sub": x - 1,
        "div": x / 2,
    }
    out = _run_dict(tf, named)
    out["dtypes"] = {k: v.dtype.name for k, v in named.items()}
    return out


def case_operators_reflected_int32(tf):
    x = tf.constant(_i32([1, 2, 4]))
    named = {"rsub": 10 - x, "rmul": 3 * x, "pow": x ** 2, "radd": 5 + x, "neg": -x}
    out = _run_dict(tf, named)
    out["dtypes"] = {k: v.dtype.name for k, v in named.items()}
    return out


def case_operator_node_names(tf):
    x = tf.constant(_f32([1, 2]))
    y = tf.constant(_f32([3, 4]))
    ops = [x + y, x - y, x * y, x / y, -x, abs(x), x ** 2]
    return {"names": _names(tf), "outputs": [t.name for t in ops]}


def case_reflected_operator_node_names(tf):
    x = tf.constant(_f32([1, 2]))
    _ = 2 - x
    _ = 3 * x
    _ = 2 ** x
    return _names(tf)


def case_function_node_names(tf):
    x = tf.constant(_f32([1, 2]))
    y = tf.constant(_f32([3, 4]))
    tf.add(x, y)
    tf.multiply(x, y)
    tf.maximum(x, y)
    tf.minimum(x, y)
    tf.squared_difference(x, y)
    tf.pow(x, y)
    return _names(tf)


def case_explicit_name_argument(tf):
    x = tf.constant(_f32([1, 2]), name="x")
    y = tf.add(x, x, name="my_sum")
    z = tf.multiply(y, 2.0, name="scaled")
    return {"names": _names(tf), "y": y.name, "z": z.name, "value": _run(tf, z)}


# ---------------------------------------------------------------------------
# math: true division of integers
# ---------------------------------------------------------------------------

def case_truediv_integers_give_float64(tf):
    x = tf.constant(_i32([1, 2, 7, -7]))
    y = tf.constant(_i32([2, 2, 2, 2]))
    a = tf.constant(np.array([3, 5], dtype=np.int64))
    b = tf.constant(np.array([2, 4], dtype=np.int64))
    named = {"int32_operator": x / y, "int32_divide_fn": tf.divide(x, 2), "int64_truediv": tf.truediv(a, b)}
    out = _run_dict(tf, named)
    out["dtypes"] = {k: v.dtype.name for k, v in named.items()}
    return out


def case_truediv_int32_node_names(tf):
    x = tf.constant(_i32([1, 2]))
    y = tf.constant(_i32([2, 2]))
    z = x / y
    return {"names": _names(tf), "types": _types(tf), "output": z.name}


def case_truediv_int32_by_zero_gives_inf(tf):
    x = tf.constant(_i32([1, -1]))
    y = tf.constant(_i32([0, 0]))
    z = x / y
    return {"value": _run(tf, z), "dtype": z.dtype.name}


# ---------------------------------------------------------------------------
# math: floor division and mod with negatives
# ---------------------------------------------------------------------------

def case_floordiv_negative_int32(tf):
    x = tf.constant(_i32([7, -7, 7, -7, 6, -6]))
    y = tf.constant(_i32([2, 2, -2, -2, 3, 3]))
    z = x // y
    return {"value": _run(tf, z), "dtype": z.dtype.name}


def case_floordiv_mod_functions_negative_int32(tf):
    x = tf.constant(_i32([7, -7, 7, -7]))
    y = tf.constant(_i32([3, 3, -3, -3]))
    f = tf.floordiv(x, y)
    m = tf.mod(x, y)
    return {"floordiv": _run(tf, f), "mod": _run(tf, m), "dtypes": [f.dtype.name, m.dtype.name]}


def case_floordiv_negative_float32(tf):
    x = tf.constant(_f32([7.5, -7.5, 7.5, -7.5]))
    y = tf.constant(_f32([2, 2, -2, -2]))
    z = x // y
    return {"value": _run(tf, z), "dtype": z.dtype.name}


def case_mod_negative_int32_sign_of_divisor(tf):
    x = tf.constant(_i32([7, -7, 7, -7, 6]))
    y = tf.constant(_i32([3, 3, -3, -3, 3]))
    z = x % y
    return {"value": _run(tf, z), "dtype": z.dtype.name}


def case_mod_negative_float32(tf):
    x = tf.constant(_f32([7.5, -7.5, 7.5, -7.5]))
    y = tf.constant(_f32([2, 2, -2, -2]))
    z = x % y
    return {"value": _run(tf, z), "dtype": z.dtype.name}


def case_floordiv_mod_broadcast_scalar(tf):
    x = tf.constant(_i32([-5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5]))
    return _run_dict(tf, {"floordiv": x // 3, "mod": x % 3, "mod_neg": x % -3})


def case_floordiv_mod_node_names(tf):
    x = tf.constant(_i32([7, -7]))
    y = tf.constant(_i32([2, 2]))
    _ = x // y
    _ = x % y
    return {"names": _names(tf), "types": _types(tf)}


def case_floordiv_mod_int32_by_zero_error(tf):
    x = tf.constant(_i32([1, 2]))
    y = tf.constant(_i32([0, 1]))
    f = x // y
    m = x % y
    with tf.Session() as sess:
        return {"floordiv": catch(sess.run, f), "mod": catch(sess.run, m)}


# ---------------------------------------------------------------------------
# math: pow, maximum, minimum, squared_difference
# ---------------------------------------------------------------------------

def case_pow_float32(tf):
    x = tf.constant(_f32([1, 2, 3, 4]))
    y = tf.constant(_f32([2, 0.5, -1, 0]))
    z = tf.pow(x, y)
    return {"value": _run(tf, z), "dtype": z.dtype.name}


def case_pow_int32(tf):
    x = tf.constant(_i32([2, 3, -2]))
    z = tf.pow(x, 3)
    return {"value": _run(tf, z), "dtype": z.dtype.name}


def case_maximum_minimum_broadcast(tf):
    x = tf.constant(_f32([[-1, 2, -3], [4, -5, 6]]))
    return _run_dict(tf, {"max0": tf.maximum(x, 0.0), "min0": tf.minimum(x, 0.0),
                          "max_row": tf.maximum(x, _f32([0, 3, -4])),
                          "min_row": tf.minimum(x, _f32([0, 3, -4]))})


def case_maximum_minimum_int32(tf):
    x = tf.constant(_i32([1, 5, -3]))
    y = tf.constant(_i32([2, 4, -4]))
    z = tf.maximum(x, y)
    return {"max": _run(tf, z), "min": _run(tf, tf.minimum(x, y)), "dtype": z.dtype.name}


def case_squared_difference(tf):
    x = tf.constant(_f32([[1, 2], [3, 4]]))
    y = tf.constant(_f32([2, 0]))
    z = tf.squared_difference(x, y)
    return {"value": _run(tf, z), "type": z.op.type, "name": z.op.name}


# ---------------------------------------------------------------------------
# math: unary ops
# ---------------------------------------------------------------------------

def _unary(tf, fn, values, dtype=np.float32):
    x = tf.constant(np.array(values, dtype=dtype))
    z = fn(x)
    return {"value": _run(tf, z), "dtype": z.dtype.name, "type": z.op.type, "name": z.op.name}


def case_unary_negative(tf):
    return _unary(tf, tf.negative, [1, -2, 0])


def case_unary_abs_float32(tf):
    return _unary(tf, tf.abs, [-1.5, 2, 0])


def case_unary_int32_preserved(tf):
    x = tf.constant(_i32([-3, 0, 4]))
    named = {"abs": tf.abs(x), "sign": tf.sign(x), "square": tf.square(x), "negative": tf.negative(x)}
    out = _run_dict(tf, named)
    out["dtypes"] = {k: v.dtype.name for k, v in named.items()}
    return out


def case_unary_sign_float32(tf):
    return _unary(tf, tf.sign, [-2.5, 0, 3])


def case_unary_sqrt(tf):
    return _unary(tf, tf.sqrt, [0, 1, 4, 2])


def case_unary_rsqrt(tf):
    return _unary(tf, tf.rsqrt, [1, 4, 0.25])


def case_unary_square_float32(tf):
    return _unary(tf, tf.square, [-3, 0.5, 2])


def case_unary_exp(tf):
    return _unary(tf, tf.exp, [0, 1, -1, 2])


def case_unary_log(tf):
    return _unary(tf, tf.log, [1, np.e, 10, 0.5])


def case_unary_log1p(tf):
    return _unary(tf, tf.log1p, [0, 1e-7, 1, -0.5])


def case_unary_sin(tf):
    return _unary(tf, tf.sin, [0, np.pi / 2, np.pi / 6, -1])


def case_unary_cos(tf):
    return _unary(tf, tf.cos, [0, np.pi / 3, np.pi, 1])


def case_unary_tanh(tf):
    return _unary(tf, tf.tanh, [-20, -1, 0, 0.5, 20])


def case_unary_sigmoid(tf):
    return _unary(tf, tf.sigmoid, [-100, -1, 0, 1, 100])


def case_unary_exp_float64(tf):
    return _unary(tf, tf.exp, [0, 1, 100], np.float64)


def case_unary_sqrt_int32_type_error(tf):
    x = tf.constant(_i32([4, 9]))
    return catch(tf.sqrt, x)


# ---------------------------------------------------------------------------
# math: matmul and add_n
# ---------------------------------------------------------------------------

def case_matmul_basic(tf):
    a = tf.constant(_f32([[1, 2, 3], [4, 5, 6]]))
    b = tf.constant(_f32([[1, 0], [0, 1], [1, 1]]))
    c = tf.matmul(a, b)
    return {"value": _run(tf, c), "shape": _shape(c), "dtype": c.dtype.name,
            "names": _names(tf), "type": c.op.type}


def case_matmul_transpose_a(tf):
    a = tf.constant(_f32([[1, 2], [3, 4], [5, 6]]))  # (3, 2) -> used as (2, 3)
    b = tf.constant(_f32([[1, 0], [0, 1], [1, 1]]))
    c = tf.matmul(a, b, transpose_a=True)
    return {"value": _run(tf, c), "shape": _shape(c)}


def case_matmul_transpose_b(tf):
    a = tf.constant(_f32([[1, 2, 3], [4, 5, 6]]))
    b = tf.constant(_f32([[1, 0, 1], [0, 1, 1]]))  # (2, 3) -> used as (3, 2)
    c = tf.matmul(a, b, transpose_b=True)
    return {"value": _run(tf, c), "shape": _shape(c)}


def case_matmul_transpose_both(tf):
    a = tf.constant(_f32([[1, 2], [3, 4], [5, 6]]))
    b = tf.constant(_f32([[1, 0, 1], [0, 1, 1]]))
    c = tf.matmul(a, b, transpose_a=True, transpose_b=True)
    return {"value": _run(tf, c), "shape": _shape(c)}


def case_matmul_int32_and_float64(tf):
    a = tf.constant(_i32([[1, 2], [3, 4]]))
    b = tf.constant(_i32([[5], [6]]))
    c = tf.matmul(a, b)
    d = tf.matmul(tf.constant(np.array([[0.1, 0.2]], dtype=np.float64)),
                  tf.constant(np.array([[1.0], [2.0]], dtype=np.float64)))
    return {"int32": _run(tf, c), "int32_dtype": c.dtype.name,
            "float64": _run(tf, d), "float64_dtype": d.dtype.name}


def case_matmul_operator(tf):
    a = tf.constant(_f32([[1, 2], [3, 4]]))
    b = tf.constant(_f32([[1], [1]]))
    c = a @ b
    return {"value": _run(tf, c), "name": c.op.name, "type": c.op.type}


def case_matmul_static_shape_with_none(tf):
    x = tf.placeholder(tf.float32, [None, 3])
    w = tf.constant(np.ones((3, 4), dtype=np.float32))
    y = tf.matmul(x, w)
    v = _run(tf, y, {x: _f32([[1, 2, 3], [4, 5, 6]])})
    return {"static": _shape(y), "value": v}


def case_add_n(tf):
    a = tf.constant(_f32([1, 2]))
    b = tf.constant(_f32([10, 20]))
    c = tf.constant(_f32([100, 200]))
    s = tf.add_n([a, b, c])
    return {"value": _run(tf, s), "name": s.op.name, "type": s.op.type}


def case_add_n_int32_and_single_input(tf):
    xs = [tf.constant(_i32([[1, 2], [3, 4]])) for _ in range(4)]
    s = tf.add_n(xs)
    one = tf.add_n([tf.constant(_f32([1, 2]))])
    return {"value": _run(tf, s), "dtype": s.dtype.name, "single": _run(tf, one), "single_shape": _shape(one)}


# ---------------------------------------------------------------------------
# comparisons
# ---------------------------------------------------------------------------

def case_comparisons_float32(tf):
    x = tf.constant(_f32([1, 2, 3]))
    y = tf.constant(_f32([3, 2, 1]))
    named = {"equal": tf.equal(x, y), "not_equal": tf.not_equal(x, y), "less": tf.less(x, y),
             "less_equal": tf.less_equal(x, y), "greater": tf.greater(x, y),
             "greater_equal": tf.greater_equal(x, y)}
    out = _run_dict(tf, named)
    out["dtypes"] = {k: v.dtype.name for k, v in named.items()}
    return out


def case_comparison_operators(tf):
    x = tf.constant(_i32([1, 2, 3]))
    return _run_dict(tf, {"lt": x < 2, "le": x <= 2, "gt": x > 2, "ge": x >= 2})


def case_comparison_broadcast(tf):
    x = tf.constant(_f32([[1, 2, 3], [4, 5, 6]]))
    y = tf.constant(_f32([[2], [5]]))
    z = tf.greater(x, y)
    return {"value": _run(tf, z), "shape": _shape(z)}


def case_comparison_and_logical_node_names(tf):
    x = tf.constant(_f32([1, 2]))
    tf.equal(x, 1.0)
    tf.less(x, 1.0)
    _ = x > 1.0
    tf.not_equal(x, 2.0)
    a = tf.constant([True, False])
    b = tf.constant([False, False])
    tf.logical_and(a, b)
    tf.logical_or(a, b)
    tf.logical_not(a)
    return {"names": _names(tf), "types": _types(tf)}


def case_tensor_eq_operator_is_identity(tf):
    x = tf.constant(_f32([1, 2]))
    y = tf.identity(x)
    return {"same": x == x, "different": x == y, "hashable": len({x, y})}


def case_comparison_mixed_dtype_error(tf):
    x = tf.constant(_i32([1, 2]))
    y = tf.constant(_f32([1, 2]))
    return catch(tf.equal, x, y)


# ---------------------------------------------------------------------------
# logical ops
# ---------------------------------------------------------------------------

def case_logical_functions(tf):
    a = tf.constant([True, True, False, False])
    b = tf.constant([True, False, True, False])
    named = {"and": tf.logical_and(a, b), "or": tf.logical_or(a, b),
             "not": tf.logical_not(a), "xor": tf.logical_xor(a, b)}
    out = _run_dict(tf, named)
    out["dtypes"] = {k: v.dtype.name for k, v in named.items()}
    return out


def case_logical_operators(tf):
    a = tf.constant([True, True, False, False])
    b = tf.constant([True, False, True, False])
    return _run_dict(tf, {"and": a & b, "or": a | b, "invert": ~a, "xor": a ^ b})


def case_logical_broadcast(tf):
    a = tf.constant([[True], [False]])
    b = tf.constant([True, False, True])
    return _run(tf, tf.logical_or(a, b))


def case_logical_and_on_float_type_error(tf):
    a = tf.constant(_f32([1, 0]))
    return catch(tf.logical_and, a, a)


def case_logical_from_comparisons(tf):
    x = tf.constant(_f32([-2, -0.5, 0.5, 2]))
    inside = tf.logical_and(x > -1.0, x < 1.0)
    return _run(tf, inside)


# ---------------------------------------------------------------------------
# tf.where
# ---------------------------------------------------------------------------

def case_where_same_shape(tf):
    c = tf.constant([[True, False], [False, True]])
    x = tf.constant(_f32([[1, 2], [3, 4]]))
    y = tf.constant(_f32([[10, 20], [30, 40]]))
    z = tf.where(c, x, y)
    return {"value": _run(tf, z), "type": z.op.type, "name": z.op.name, "shape": _shape(z)}


def case_where_scalar_condition(tf):
    x = tf.constant(_f32([[1, 2], [3, 4]]))
    y = tf.constant(_f32([[10, 20], [30, 40]]))
    return _run_dict(tf, {"true": tf.where(tf.constant(True), x, y),
                          "false": tf.where(tf.constant(False), x, y)})


def case_where_vector_condition_selects_rows(tf):
    c = tf.constant([True, False, True])
    x = tf.constant(_i32([[1, 2], [3, 4], [5, 6]]))
    y = tf.constant(_i32([[-1, -2], [-3, -4], [-5, -6]]))
    z = tf.where(c, x, y)
    return {"value": _run(tf, z), "dtype": z.dtype.name, "shape": _shape(z)}


def case_where_from_comparison(tf):
    x = tf.constant(_f32([-2, 3, -1, 4]))
    z = tf.where(x > 0, x, tf.zeros_like(x))
    return _run(tf, z)


def case_where_condition_shape_mismatch_error(tf):
    c = tf.constant([True, False, True])
    x = tf.constant(np.zeros((2, 3), dtype=np.float32))
    y = tf.constant(np.ones((2, 3), dtype=np.float32))
    return catch(tf.where, c, x, y)


def case_where_condition_not_broadcast_error(tf):
    c = tf.constant([[True, False, True]])
    x = tf.constant(np.zeros((2, 3), dtype=np.float32))
    y = tf.constant(np.ones((2, 3), dtype=np.float32))
    return catch(tf.where, c, x, y)


def case_where_one_arg_indices(tf):
    c = tf.constant([[True, False, True], [False, False, True]])
    z = tf.where(c)
    return {"value": _run(tf, z), "dtype": z.dtype.name, "static": _shape(z),
            "type": z.op.type, "name": z.op.name}


def case_where_one_arg_1d_and_none_true(tf):
    x = tf.constant(_f32([0, 3, 0, -1]))
    z = tf.where(tf.not_equal(x, 0.0))
    e = tf.where(tf.constant([False, False]))
    v, ve = _run(tf, [z, e])
    return {"value": v, "static": _shape(z), "empty_shape": list(ve.shape), "empty_dtype": str(ve.dtype)}


# ---------------------------------------------------------------------------
# reductions
# ---------------------------------------------------------------------------

_M = [[1, 2, 3], [4, 5, 6]]


def case_reduce_sum_axes(tf):
    x = tf.constant(_f32(_M))
    return _run_dict(tf, {"none": tf.reduce_sum(x), "axis0": tf.reduce_sum(x, 0),
                          "axis1": tf.reduce_sum(x, axis=1), "neg1": tf.reduce_sum(x, -1),
                          "list": tf.reduce_sum(x, [0, 1]), "empty_list": tf.reduce_sum(x, [])})


def case_reduce_sum_keepdims(tf):
    x = tf.constant(_f32(_M))
    a = tf.reduce_sum(x, 1, keepdims=True)
    b = tf.reduce_sum(x, keepdims=True)
    return {"axis1": _run(tf, a), "all": _run(tf, b), "shape_axis1": _shape(a), "shape_all": _shape(b)}


def case_reduce_sum_old_keep_dims_kwarg(tf):
    x = tf.constant(_f32(_M))
    a = tf.reduce_sum(x, 0, keep_dims=True)
    return {"value": _run(tf, a), "shape": _shape(a)}


def case_reduce_sum_old_reduction_indices_kwarg(tf):
    x = tf.constant(_f32(_M))
    a = tf.reduce_sum(x, reduction_indices=1)
    b = tf.reduce_sum(x, reduction_indices=[0])
    return _run_dict(tf, {"ri1": a, "ri0": b})


def case_reduce_keepdims_and_keep_dims_both_error(tf):
    x = tf.constant(_f32(_M))
    return catch(tf.reduce_sum, x, 0, keepdims=True, keep_dims=True)


def case_reduce_sum_int32_dtype(tf):
    x = tf.constant(_i32(_M))
    z = tf.reduce_sum(x, 0)
    return {"value": _run(tf, z), "dtype": z.dtype.name}


def case_reduce_node_names(tf):
    x = tf.constant(_f32(_M))
    a = tf.reduce_sum(x, 1)
    tf.reduce_mean(x, 0)
    tf.reduce_max(x, 1)
    tf.reduce_min(x, 1)
    tf.reduce_prod(x, 1)
    return {"names": _names(tf), "types": _types(tf), "output": a.name}


def case_reduce_sum_axis_none_node_names(tf):
    x = tf.constant(_f32(_M))
    tf.reduce_sum(x)
    return {"names": _names(tf), "types": _types(tf)}


def case_reduce_mean_float32(tf):
    x = tf.constant(_f32(_M))
    return _run_dict(tf, {"none": tf.reduce_mean(x), "axis0": tf.reduce_mean(x, 0),
                          "axis1": tf.reduce_mean(x, 1)})


def case_reduce_mean_int32_truncates(tf):
    x = tf.constant(_i32([[1, 2], [3, 5]]))
    z = tf.reduce_mean(x)
    return {"all": _run(tf, z), "axis1": _run(tf, tf.reduce_mean(x, 1)), "dtype": z.dtype.name}


def case_reduce_mean_float64_preserved(tf):
    x = tf.constant(np.array([0.1, 0.2, 0.4], dtype=np.float64))
    z = tf.reduce_mean(x)
    return {"value": _run(tf, z), "dtype": z.dtype.name}


def case_reduce_max_min(tf):
    x = tf.constant(_f32([[1, 9, 3], [7, 5, -6]]))
    return _run_dict(tf, {"max": tf.reduce_max(x), "min": tf.reduce_min(x),
                          "max0": tf.reduce_max(x, 0), "min1": tf.reduce_min(x, 1),
                          "max_keep": tf.reduce_max(x, 1, keepdims=True)})


def case_reduce_max_int32(tf):
    x = tf.constant(_i32([[1, 9, 3], [7, 5, -6]]))
    z = tf.reduce_max(x, -1)
    return {"value": _run(tf, z), "dtype": z.dtype.name}


def case_reduce_prod(tf):
    x = tf.constant(_f32([[1, 2, 3], [4, 5, 6]]))
    return _run_dict(tf, {"all": tf.reduce_prod(x), "axis0": tf.reduce_prod(x, 0),
                          "axis1": tf.reduce_prod(x, 1)})


def case_reduce_any_all(tf):
    x = tf.constant([[True, False, True], [False, False, True]])
    named = {"any": tf.reduce_any(x), "all": tf.reduce_all(x), "any0": tf.reduce_any(x, 0),
             "all0": tf.reduce_all(x, 0), "any1": tf.reduce_any(x, 1), "all1": tf.reduce_all(x, 1)}
    out = _run_dict(tf, named)
    out["dtype"] = named["any"].dtype.name
    return out


def case_reduce_3d_negative_axes(tf):
    x = tf.constant(np.arange(24, dtype=np.float32).reshape(2, 3, 4))
    a = tf.reduce_sum(x, [-1, 0])
    b = tf.reduce_max(x, -2, keepdims=True)
    return {"sum": _run(tf, a), "max": _run(tf, b), "sum_shape": _shape(a), "max_shape": _shape(b)}


def case_reduce_empty_sum(tf):
    x = tf.constant(np.zeros((0, 3), dtype=np.float32))
    named = {"all": tf.reduce_sum(x), "axis0": tf.reduce_sum(x, 0), "axis1": tf.reduce_sum(x, 1)}
    out = _run_dict(tf, named)
    out["shapes"] = {k: _shape(v) for k, v in named.items()}
    return out


def case_reduce_empty_max_min_float(tf):
    x = tf.constant(np.zeros((0, 3), dtype=np.float32))
    return _run_dict(tf, {"max": tf.reduce_max(x), "min": tf.reduce_min(x),
                          "max0": tf.reduce_max(x, 0)})


def case_reduce_empty_max_int32(tf):
    x = tf.constant(np.zeros((0,), dtype=np.int32))
    return _run_dict(tf, {"max": tf.reduce_max(x), "min": tf.reduce_min(x)})


def case_reduce_empty_prod_mean_any_all(tf):
    x = tf.constant(np.zeros((0,), dtype=np.float32))
    b = tf.constant(np.zeros((0,), dtype=bool))
    return _run_dict(tf, {"prod": tf.reduce_prod(x), "mean": tf.reduce_mean(x),
                          "any": tf.reduce_any(b), "all": tf.reduce_all(b)})


def case_reduce_static_shapes_with_none(tf):
    x = tf.placeholder(tf.float32, [None, 3])
    return {"none": _shape(tf.reduce_sum(x)), "axis0": _shape(tf.reduce_sum(x, 0)),
            "axis1": _shape(tf.reduce_mean(x, 1)), "keep0": _shape(tf.reduce_max(x, 0, keepdims=True)),
            "keep1": _shape(tf.reduce_min(x, 1, keepdims=True)),
            "keep_all": _shape(tf.reduce_sum(x, keepdims=True))}


def case_reduce_with_placeholder_fed(tf):
    x = tf.placeholder(tf.float32, [None, 2])
    s = tf.reduce_sum(x, 0)
    m = tf.reduce_mean(x)
    return _run_dict(tf, {"sum": s, "mean": m}, {x: _f32([[1, 2], [3, 4], [5, 6]])})


# ---------------------------------------------------------------------------
# argmax / argmin / accuracy idiom / cast
# ---------------------------------------------------------------------------

def case_argmax_axis1(tf):
    x = tf.constant(_f32([[1, 5, 3], [7, 2, 7], [0, 0, 0]]))
    z = tf.argmax(x, 1)
    return {"value": _run(tf, z), "dtype": z.dtype.name, "shape": _shape(z)}


def case_argmax_default_axis0(tf):
    x = tf.constant(_f32([[1, 5, 3], [7, 2, 3]]))
    z = tf.argmax(x)
    return {"value": _run(tf, z), "shape": _shape(z)}


def case_argmin_ties_first_index(tf):
    x = tf.constant(_i32([[3, 1, 1], [2, 2, 5]]))
    return _run_dict(tf, {"axis0": tf.argmin(x, 0), "axis1": tf.argmin(x, 1)})


def case_argmax_ties_first_index(tf):
    x = tf.constant(_f32([4, 9, 9, 1, 9]))
    return _run(tf, tf.argmax(x, 0))


def case_argmax_output_type_int32(tf):
    x = tf.constant(_f32([[1, 5], [7, 2]]))
    z = tf.argmax(x, 1, output_type=tf.int32)
    return {"value": _run(tf, z), "dtype": z.dtype.name}


def case_argmax_old_dimension_kwarg_and_negative_axis(tf):
    x = tf.constant(_f32([[1, 5, 3], [7, 2, 3]]))
    return _run_dict(tf, {"dimension1": tf.argmax(x, dimension=1), "argmin_neg1": tf.argmin(x, -1)})


def case_argmax_node_names(tf):
    x = tf.constant(_f32([[1, 5], [7, 2]]))
    tf.argmax(x, 1)
    tf.argmin(x, 0)
    return {"names": _names(tf), "types": _types(tf)}


def case_argmax_static_shape_with_none(tf):
    x = tf.placeholder(tf.float32, [None, 10])
    return {"axis1": _shape(tf.argmax(x, 1)), "axis0": _shape(tf.argmax(x, 0))}


def case_accuracy_idiom(tf):
    y = tf.placeholder(tf.float32, [None, 3])
    y_ = tf.placeholder(tf.float32, [None, 3])
    correct = tf.equal(tf.argmax(y, 1), tf.argmax(y_, 1))
    acc = tf.reduce_mean(tf.cast(correct, tf.float32))
    feed = {y: _f32([[0.1, 0.8, 0.1], [0.6, 0.3, 0.1], [0.2, 0.2, 0.6], [0.3, 0.4, 0.3]]),
            y_: _f32([[0, 1, 0], [0, 0, 1], [0, 0, 1], [1, 0, 0]])}
    out = _run_dict(tf, {"correct": correct, "acc": acc}, feed)
    out["correct_dtype"] = correct.dtype.name
    out["acc_dtype"] = acc.dtype.name
    return out


def case_cast_float_to_int_truncates(tf):
    x = tf.constant(_f32([-2.7, -0.5, 0.5, 1.999, 3.0]))
    z = tf.cast(x, tf.int32)
    return {"value": _run(tf, z), "dtype": z.dtype.name, "name": z.op.name, "type": z.op.type}


def case_cast_bool_int_float(tf):
    b = tf.constant([True, False, True])
    x = tf.constant(_f32([0, 0.5, -2]))
    return _run_dict(tf, {"bool_to_f32": tf.cast(b, tf.float32), "bool_to_i32": tf.cast(b, tf.int32),
                          "f32_to_bool": tf.cast(x, tf.bool),
                          "i32_to_f64": tf.cast(tf.constant(_i32([1, -2])), tf.float64)})


# ---------------------------------------------------------------------------
# shapes: reshape, transpose
# ---------------------------------------------------------------------------

def case_reshape_minus_one(tf):
    x = tf.constant(np.arange(6, dtype=np.int32).reshape(2, 3))
    named = {"flat": tf.reshape(x, [-1]), "cols": tf.reshape(x, [3, -1]),
             "rows": tf.reshape(x, [-1, 1, 2])}
    out = _run_dict(tf, named)
    out["shapes"] = {k: _shape(v) for k, v in named.items()}
    return out


def case_shape_op_node_names(tf):
    x = tf.constant(np.arange(6, dtype=np.float32))
    r = tf.reshape(x, [2, 3])
    tf.transpose(r)
    tf.transpose(r, [1, 0])
    tf.concat([r, r], 0)
    tf.expand_dims(x, 0)
    tf.squeeze(r)
    return {"names": _names(tf), "types": _types(tf), "reshape_output": r.name}


def case_reshape_static_shape_with_none(tf):
    x = tf.placeholder(tf.float32, [None, 3])
    return {"flat": _shape(tf.reshape(x, [-1])), "same": _shape(tf.reshape(x, [-1, 3])),
            "pairs": _shape(tf.reshape(x, [-1, 1, 3])), "fixed_first": _shape(tf.reshape(x, [2, -1]))}


def case_reshape_placeholder_fed(tf):
    x = tf.placeholder(tf.float32, [None, 2])
    y = tf.reshape(x, [-1])
    return _run(tf, y, {x: _f32([[1, 2], [3, 4], [5, 6]])})


def case_reshape_incompatible_build_error(tf):
    x = tf.constant(np.arange(6, dtype=np.float32))
    return catch(tf.reshape, x, [4, 2])


def case_reshape_incompatible_run_error(tf):
    x = tf.placeholder(tf.float32, None)
    y = tf.reshape(x, [4, -1])
    with tf.Session() as sess:
        return catch(sess.run, y, {x: np.arange(6, dtype=np.float32)})


def case_transpose_default_reverses(tf):
    x = tf.constant(np.arange(24, dtype=np.int32).reshape(2, 3, 4))
    y = tf.transpose(x)
    v = _run(tf, y)
    return {"shape": _shape(y), "value": v}


def case_transpose_perm(tf):
    x = tf.constant(np.arange(24, dtype=np.int32).reshape(2, 3, 4))
    y = tf.transpose(x, [1, 0, 2])
    z = tf.transpose(x, perm=[2, 0, 1])
    return {"y": _run(tf, y), "y_shape": _shape(y), "z_shape": _shape(z), "z": _run(tf, z)}


# ---------------------------------------------------------------------------
# shapes: concat, stack, unstack
# ---------------------------------------------------------------------------

def case_concat_axes(tf):
    a = tf.constant(_i32([[1, 2], [3, 4]]))
    b = tf.constant(_i32([[5, 6], [7, 8]]))
    named = {"axis0": tf.concat([a, b], 0), "axis1": tf.concat([a, b], 1),
             "neg1": tf.concat([a, b], axis=-1), "three": tf.concat([a, b, a], 0)}
    out = _run_dict(tf, named)
    out["shapes"] = {k: _shape(v) for k, v in named.items()}
    return out


def case_concat_single_tensor_list(tf):
    a = tf.constant(_f32([[1, 2]]))
    return _run(tf, tf.concat([a], 0))


def case_concat_stack_split_static_shape_with_none(tf):
    x = tf.placeholder(tf.float32, [None, 3])
    y = tf.placeholder(tf.float32, [2, 3])
    w = tf.placeholder(tf.float32, [None, 6])
    return {"concat0": _shape(tf.concat([x, y], 0)), "concat1": _shape(tf.concat([x, x], 1)),
            "stack0": _shape(tf.stack([x, x])), "stack1": _shape(tf.stack([x, x], 1)),
            "split": [_shape(p) for p in tf.split(w, 2, 1)]}


def case_concat_shape_mismatch_error(tf):
    a = tf.constant(np.zeros((2, 3), dtype=np.float32))
    b = tf.constant(np.zeros((2, 4), dtype=np.float32))
    return catch(tf.concat, [a, b], 0)


def case_stack_axes(tf):
    a = tf.constant(_i32([1, 2, 3]))
    b = tf.constant(_i32([4, 5, 6]))
    named = {"axis0": tf.stack([a, b]), "axis1": tf.stack([a, b], axis=1),
             "neg1": tf.stack([a, b], -1)}
    out = _run_dict(tf, named)
    out["shapes"] = {k: _shape(v) for k, v in named.items()}
    return out


def case_stack_scalars_and_names(tf):
    s = tf.stack([tf.constant(1.0), tf.constant(2.0), tf.constant(3.0)])
    return {"value": _run(tf, s), "name": s.op.name, "type": s.op.type}


def case_unstack(tf):
    x = tf.constant(_f32([[1, 2, 3], [4, 5, 6]]))
    parts = tf.unstack(x)
    cols = tf.unstack(x, axis=1)
    return {"n": len(parts), "values": _run(tf, parts), "shapes": [_shape(p) for p in parts],
            "names": [p.name for p in parts], "n_axis1": len(cols), "values_axis1": _run(tf, cols)}


def case_unstack_unknown_dim_needs_num(tf):
    x = tf.placeholder(tf.float32, [None, 3])
    parts = tf.unstack(x, num=2)
    err = catch(lambda: len(tf.unstack(x)))
    vals = _run(tf, parts, {x: _f32([[1, 2, 3], [4, 5, 6]])})
    return {"values": vals, "no_num": err}


# ---------------------------------------------------------------------------
# shapes: squeeze, expand_dims
# ---------------------------------------------------------------------------

def case_squeeze_all(tf):
    x = tf.constant(np.arange(3, dtype=np.float32).reshape(1, 3, 1))
    y = tf.squeeze(x)
    return {"value": _run(tf, y), "shape": _shape(y), "name": y.op.name}


def case_squeeze_axis(tf):
    x = tf.constant(np.arange(3, dtype=np.float32).reshape(1, 3, 1))
    a = tf.squeeze(x, [0])
    b = tf.squeeze(x, axis=-1)
    c = tf.squeeze(x, squeeze_dims=[2])
    return {"a": _shape(a), "b": _shape(b), "c": _shape(c), "b_value": _run(tf, b)}


def case_squeeze_non_one_axis_error(tf):
    x = tf.constant(np.zeros((2, 3), dtype=np.float32))
    return catch(tf.squeeze, x, [0])


def case_squeeze_expand_dims_static_shape_with_none(tf):
    x = tf.placeholder(tf.float32, [None, 1])
    y = tf.placeholder(tf.float32, [None, 1, 3])
    z = tf.placeholder(tf.float32, [None, 3])
    return {"squeeze_x1": _shape(tf.squeeze(x, [1])), "squeeze_y1": _shape(tf.squeeze(y, 1)),
            "expand0": _shape(tf.expand_dims(z, 0)), "expand1": _shape(tf.expand_dims(z, 1)),
            "expand_neg1": _shape(tf.expand_dims(z, -1))}


def case_expand_dims(tf):
    x = tf.constant(_f32([[1, 2], [3, 4]]))
    named = {"axis0": tf.expand_dims(x, 0), "axis1": tf.expand_dims(x, 1),
             "neg1": tf.expand_dims(x, -1), "old_dim": tf.expand_dims(x, dim=2)}
    out = {k: _shape(v) for k, v in named.items()}
    out["value1"] = _run(tf, named["axis1"])
    return out


# ---------------------------------------------------------------------------
# shapes: split, slice
# ---------------------------------------------------------------------------

def case_split_num(tf):
    x = tf.constant(np.arange(12, dtype=np.int32).reshape(2, 6))
    parts = tf.split(x, 3, axis=1)
    return {"n": len(parts), "values": _run(tf, parts), "shapes": [_shape(p) for p in parts],
            "names": [p.name for p in parts]}


def case_split_num_axis0_default(tf):
    x = tf.constant(np.arange(8, dtype=np.float32).reshape(4, 2))
    parts = tf.split(x, 2)
    return _run(tf, parts)


def case_split_size_splits(tf):
    x = tf.constant(np.arange(6, dtype=np.int32))
    parts = tf.split(x, [1, 2, 3])
    return {"values": _run(tf, parts), "shapes": [_shape(p) for p in parts]}


def case_split_size_splits_with_minus_one(tf):
    x = tf.constant(np.arange(12, dtype=np.int32).reshape(2, 6))
    parts = tf.split(x, [2, -1], 1)
    return {"values": _run(tf, parts), "shapes": [_shape(p) for p in parts]}


def case_split_uneven_error(tf):
    x = tf.constant(np.zeros((2, 5), dtype=np.float32))
    return catch(tf.split, x, 2, 1)


def case_slice_basic(tf):
    x = tf.constant(np.arange(12, dtype=np.int32).reshape(3, 4))
    a = tf.slice(x, [1, 0], [2, 3])
    b = tf.slice(x, [0, 2], [-1, -1])
    return {"a": _run(tf, a), "b": _run(tf, b), "a_shape": _shape(a), "b_shape": _shape(b),
            "names": _names(tf)}


# ---------------------------------------------------------------------------
# shapes: strided __getitem__
# ---------------------------------------------------------------------------

_G = np.arange(12, dtype=np.int32).reshape(3, 4)


def case_getitem_int_and_columns(tf):
    x = tf.constant(_G)
    named = {"row1": x[1], "last_row": x[-1], "col1": x[:, 1], "elem": x[2, 3], "neg_elem": x[-1, -2]}
    out = _run_dict(tf, named)
    out["shapes"] = {k: _shape(v) for k, v in named.items()}
    return out


def case_getitem_ranges(tf):
    x = tf.constant(_G)
    named = {"r1_3": x[1:3], "tail": x[-2:], "cols": x[:, 1:3], "step": x[:, ::2],
             "block": x[0:2, 1:]}
    out = _run_dict(tf, named)
    out["shapes"] = {k: _shape(v) for k, v in named.items()}
    return out


def case_getitem_negative_steps(tf):
    x = tf.constant(_G)
    v = tf.constant(np.arange(6, dtype=np.float32))
    named = {"rev_rows": x[::-1], "rev_cols": x[:, ::-1], "row_rev": x[1, ::-1],
             "v_rev": v[::-1], "v_rev2": v[::-2], "v_4_to_1": v[4:1:-1], "v_neg": v[-1:-4:-1]}
    out = _run_dict(tf, named)
    out["shapes"] = {k: _shape(t) for k, t in named.items()}
    return out


def case_getitem_newaxis_and_ellipsis(tf):
    x = tf.constant(np.arange(24, dtype=np.int32).reshape(2, 3, 4))
    named = {"newaxis0": x[tf.newaxis], "none_mid": x[:, None], "ell_last": x[..., 0],
             "ell_first": x[0, ...], "ell_newaxis": x[..., tf.newaxis], "mixed": x[1, ..., ::2]}
    out = {k: _shape(t) for k, t in named.items()}
    out["values"] = _run_dict(tf, {"ell_last": named["ell_last"], "mixed": named["mixed"]})
    out["newaxis_is_none"] = tf.newaxis is None
    return out


def case_getitem_node_names(tf):
    x = tf.constant(_f32([1, 2, 3]))
    y = x[1:]
    return {"names": _names(tf), "types": _types(tf), "output": y.name}


def case_getitem_tensor_index_and_fed_placeholder(tf):
    x = tf.constant(_G)
    i = tf.placeholder(tf.int32, [])
    row = x[i]
    p = tf.placeholder(tf.float32, [None, 3])
    y = p[:, ::-1][1:]
    feed = {i: 2, p: _f32([[1, 2, 3], [4, 5, 6], [7, 8, 9]])}
    return {"row": _run(tf, row, feed), "row_shape": _shape(row), "fed": _run(tf, y, feed)}


def case_getitem_static_shape_with_none(tf):
    x = tf.placeholder(tf.float32, [None, 3])
    return {"col": _shape(x[:, 0]), "row": _shape(x[0]), "tail": _shape(x[1:]),
            "newaxis": _shape(x[..., None]), "rev": _shape(x[::-1]), "cols": _shape(x[:, 1:])}


# ---------------------------------------------------------------------------
# shapes: gather, embedding_lookup
# ---------------------------------------------------------------------------

def case_gather_rows(tf):
    params = tf.constant(_f32([[1, 2], [3, 4], [5, 6]]))
    g = tf.gather(params, [2, 0, 2])
    s = tf.gather(params, 1)
    return {"value": _run(tf, g), "shape": _shape(g), "scalar_index": _run(tf, s), "scalar_shape": _shape(s)}


def case_gather_2d_indices(tf):
    params = tf.constant(_i32([10, 20, 30, 40]))
    g = tf.gather(params, [[0, 1], [3, 3]])
    return {"value": _run(tf, g), "shape": _shape(g), "dtype": g.dtype.name}


def case_gather_axis1(tf):
    params = tf.constant(_f32([[1, 2, 3], [4, 5, 6]]))
    g = tf.gather(params, [2, 0], axis=1)
    return {"value": _run(tf, g), "shape": _shape(g)}


def case_gather_out_of_range_error(tf):
    params = tf.constant(_f32([1, 2, 3]))
    idx = tf.placeholder(tf.int32, [None])
    g = tf.gather(params, idx)
    with tf.Session() as sess:
        return catch(sess.run, g, {idx: _i32([0, 5])})


def case_embedding_lookup(tf):
    emb = tf.constant(np.arange(12, dtype=np.float32).reshape(4, 3))
    ids = tf.placeholder(tf.int32, [None])
    e = tf.nn.embedding_lookup(emb, ids)
    return {"value": _run(tf, e, {ids: _i32([3, 0, 3])}), "static": _shape(e)}


def case_embedding_lookup_2d_ids(tf):
    emb = tf.constant(np.arange(8, dtype=np.float32).reshape(4, 2))
    e = tf.nn.embedding_lookup(emb, [[0, 1], [2, 3], [1, 1]])
    return {"value": _run(tf, e), "shape": _shape(e)}


# ---------------------------------------------------------------------------
# shapes: tile, pad
# ---------------------------------------------------------------------------

def case_tile(tf):
    x = tf.constant(_i32([[1, 2], [3, 4]]))
    a = tf.tile(x, [2, 1])
    b = tf.tile(x, [1, 3])
    return {"a": _run(tf, a), "b": _run(tf, b), "b_shape": _shape(b), "names": _names(tf)}


def case_tile_pad_transpose_static_shape_with_none(tf):
    x = tf.placeholder(tf.float32, [None, 3])
    return {"tile": _shape(tf.tile(x, [2, 2])), "pad": _shape(tf.pad(x, [[1, 1], [2, 2]])),
            "transpose": _shape(tf.transpose(x))}


def case_pad_constant(tf):
    x = tf.constant(_i32([[1, 2], [3, 4]]))
    p = tf.pad(x, [[1, 0], [0, 2]])
    v = tf.pad(tf.constant(_f32([1, 2])), [[2, 1]], constant_values=-1)
    return {"value": _run(tf, p), "shape": _shape(p), "names": _names(tf), "constant_values": _run(tf, v)}


def case_pad_reflect_symmetric(tf):
    x = tf.constant(_i32([[1, 2, 3], [4, 5, 6]]))
    return _run_dict(tf, {"reflect": tf.pad(x, [[1, 1], [2, 2]], "REFLECT"),
                          "symmetric": tf.pad(x, [[1, 1], [2, 2]], mode="SYMMETRIC")})


# ---------------------------------------------------------------------------
# shapes: shape, size, rank
# ---------------------------------------------------------------------------

def case_shape_size_rank_constant(tf):
    x = tf.constant(np.zeros((2, 3, 4), dtype=np.float32))
    named = {"shape": tf.shape(x), "size": tf.size(x), "rank": tf.rank(x)}
    out = _run_dict(tf, named)
    out["dtypes"] = {k: v.dtype.name for k, v in named.items()}
    out["static"] = {k: _shape(v) for k, v in named.items()}
    out["names"] = _names(tf)
    return out


def case_shape_of_fed_placeholder(tf):
    x = tf.placeholder(tf.float32, [None, 3])
    named = {"shape": tf.shape(x), "size": tf.size(x), "rank": tf.rank(x)}
    out = _run_dict(tf, named, {x: np.zeros((5, 3), dtype=np.float32)})
    out["names"] = _names(tf)
    out["types"] = _types(tf)
    return out


def case_shape_out_type_int64(tf):
    x = tf.placeholder(tf.float32, [None, 2])
    s = tf.shape(x, out_type=tf.int64)
    return {"value": _run(tf, s, {x: np.zeros((4, 2), dtype=np.float32)}), "dtype": s.dtype.name}


def case_shape_used_for_batch_size(tf):
    x = tf.placeholder(tf.float32, [None, 2])
    n = tf.shape(x)[0]
    mean = tf.reduce_sum(x) / tf.cast(n, tf.float32)
    return _run_dict(tf, {"n": n, "mean": mean}, {x: _f32([[1, 2], [3, 4], [5, 6]])})


# ---------------------------------------------------------------------------
# shapes: fill, zeros, ones, *_like
# ---------------------------------------------------------------------------

def case_fill(tf):
    a = tf.fill([2, 3], 7)
    b = tf.fill([2], 1.5)
    return {"a": _run(tf, a), "b": _run(tf, b), "a_dtype": a.dtype.name, "b_dtype": b.dtype.name,
            "a_shape": _shape(a)}


def case_zeros_ones_default_float32(tf):
    z = tf.zeros([2, 3])
    o = tf.ones([3])
    return {"zeros": _run(tf, z), "ones": _run(tf, o), "z_dtype": z.dtype.name, "o_dtype": o.dtype.name,
            "names": _names(tf)}


def case_zeros_ones_dtype(tf):
    z = tf.zeros([2], dtype=tf.int32)
    o = tf.ones([2, 2], tf.float64)
    s = tf.zeros([])
    return {"zeros": _run(tf, z), "ones": _run(tf, o), "z_dtype": z.dtype.name, "o_dtype": o.dtype.name,
            "scalar": _run(tf, s), "scalar_shape": _shape(s)}


def case_zeros_like_ones_like_preserve_dtype(tf):
    x = tf.constant(_i32([[1, 2], [3, 4]]))
    y = tf.constant(np.array([1.5, 2.5], dtype=np.float64))
    named = {"zl_int": tf.zeros_like(x), "ol_int": tf.ones_like(x), "zl_f64": tf.zeros_like(y),
             "ol_f64": tf.ones_like(y), "zl_cast": tf.zeros_like(x, dtype=tf.float32)}
    out = _run_dict(tf, named)
    out["dtypes"] = {k: v.dtype.name for k, v in named.items()}
    return out


def case_zeros_like_static_shape_with_none(tf):
    x = tf.placeholder(tf.float32, [None, 3])
    z = tf.zeros_like(x)
    o = tf.ones_like(x)
    v = _run(tf, o, {x: np.zeros((2, 3), dtype=np.float32)})
    return {"z": _shape(z), "o": _shape(o), "value": v}


def case_fill_and_ones_from_dynamic_shape(tf):
    x = tf.placeholder(tf.float32, [None, 3])
    f = tf.fill(tf.shape(x), 2.0)
    o = tf.ones(tf.shape(x))
    v = _run(tf, f, {x: np.zeros((2, 3), dtype=np.float32)})
    return {"fill_static": _shape(f), "ones_static": _shape(o), "value": v}


# ---------------------------------------------------------------------------
# shapes: range, linspace, one_hot
# ---------------------------------------------------------------------------

def case_range_int(tf):
    named = {"limit": tf.range(5), "start_limit": tf.range(2, 6), "delta": tf.range(1, 10, 3),
             "negative": tf.range(5, 0, -2), "empty": tf.range(3, 3)}
    out = _run_dict(tf, named)
    out["dtypes"] = {k: v.dtype.name for k, v in named.items()}
    out["shapes"] = {k: _shape(v) for k, v in named.items()}
    return out


def case_range_float(tf):
    named = {"float_limit": tf.range(3.0), "float_delta": tf.range(0, 2, 0.5),
             "dtype_arg": tf.range(4, dtype=tf.float32)}
    out = _run_dict(tf, named)
    out["dtypes"] = {k: v.dtype.name for k, v in named.items()}
    return out


def case_range_node_names(tf):
    r = tf.range(5)
    return {"names": _names(tf), "output": r.name, "type": r.op.type}


def case_linspace(tf):
    a = tf.linspace(0.0, 1.0, 5)
    b = tf.linspace(-1.0, 1.0, 3)
    c = tf.linspace(2.0, 3.0, 1)
    return {"a": _run(tf, a), "b": _run(tf, b), "c": _run(tf, c), "dtype": a.dtype.name,
            "shape": _shape(a)}


def case_one_hot_basic(tf):
    oh = tf.one_hot([0, 2, 1], 3)
    return {"value": _run(tf, oh), "dtype": oh.dtype.name, "shape": _shape(oh)}


def case_one_hot_out_of_range_rows_are_zero(tf):
    oh = tf.one_hot(_i32([1, -1, 5]), 4)
    return _run(tf, oh)


def case_one_hot_on_off_values_and_dtype(tf):
    oh = tf.one_hot([1, 0], 3, on_value=5, off_value=-1)
    od = tf.one_hot([1], 2, dtype=tf.float64)
    return {"value": _run(tf, oh), "dtype": oh.dtype.name, "f64": _run(tf, od), "f64_dtype": od.dtype.name}


def case_one_hot_axis0(tf):
    oh = tf.one_hot([0, 2], 3, axis=0)
    return {"value": _run(tf, oh), "shape": _shape(oh)}


def case_one_hot_placeholder_static_shape(tf):
    idx = tf.placeholder(tf.int32, [None])
    oh = tf.one_hot(idx, 10)
    v = _run(tf, oh, {idx: _i32([9, 0])})
    return {"static": _shape(oh), "value": v}


# ---------------------------------------------------------------------------
# static shape inference with None dimensions (no run)
# ---------------------------------------------------------------------------

def case_static_shape_elementwise_broadcast(tf):
    x = tf.placeholder(tf.float32, [None, 3])
    c = tf.constant(_f32([1, 2, 3]))
    y = tf.placeholder(tf.float32, [None, 1])
    z = tf.placeholder(tf.float32, [4, 1])
    return {"x_plus_row": _shape(x + c), "x_times_col": _shape(x * y),
            "x_plus_fixed": _shape(x + z), "relu": _shape(tf.nn.relu(x)),
            "compare": _shape(x > 0.0), "scalar": _shape(x * 2.0)}


def case_static_shape_unknown_rank(tf):
    u = tf.placeholder(tf.float32)
    return {"placeholder": _shape(u), "relu": _shape(tf.nn.relu(u)),
            "plus_vector": _shape(u + tf.constant(_f32([1, 2, 3]))),
            "reduce_all": _shape(tf.reduce_sum(u)), "shape_of": _shape(tf.shape(u)),
            "ndims": u.shape.ndims}


def case_static_shape_get_shape_and_dims(tf):
    x = tf.placeholder(tf.float32, [None, 3])
    y = tf.matmul(x, tf.ones([3, 2]))
    return {"get_shape": y.get_shape().as_list(), "ndims": y.shape.ndims,
            "dim1": y.shape[1].value if hasattr(y.shape[1], "value") else y.shape[1],
            "fully_defined": y.shape.is_fully_defined()}


def case_static_shape_pipeline(tf):
    x = tf.placeholder(tf.float32, [None, 4])
    h = tf.nn.relu(tf.matmul(x, tf.ones([4, 5])) + tf.zeros([5]))
    logits = tf.matmul(h, tf.ones([5, 3]))
    probs = tf.nn.softmax(logits)
    pred = tf.argmax(probs, 1)
    return {"h": _shape(h), "logits": _shape(logits), "probs": _shape(probs), "pred": _shape(pred),
            "shape_tensor": _shape(tf.shape(x)), "size": _shape(tf.size(x)),
            "where1": _shape(tf.where(x > 0.0)), "gather": _shape(tf.gather(x, [0, 1]))}


def case_static_shape_cross_entropy_with_none(tf):
    logits = tf.placeholder(tf.float32, [None, 10])
    labels = tf.placeholder(tf.float32, [None, 10])
    sparse = tf.placeholder(tf.int32, [None])
    nn = tf.nn
    return {"softmax_xent": _shape(nn.softmax_cross_entropy_with_logits_v2(labels=labels, logits=logits)),
            "sparse_xent": _shape(nn.sparse_softmax_cross_entropy_with_logits(labels=sparse, logits=logits)),
            "sigmoid_xent": _shape(nn.sigmoid_cross_entropy_with_logits(labels=labels, logits=logits))}


# ---------------------------------------------------------------------------
# random ops (only shapes, dtypes and coarse properties)
# ---------------------------------------------------------------------------

def case_random_normal_shape_dtype(tf):
    r = tf.random_normal([3, 4], seed=1)
    r64 = tf.random_normal([2], dtype=tf.float64, seed=2)
    v, v64 = _run(tf, [r, r64])
    return {"shape": _shape(r), "dtype": r.dtype.name, "value_shape": list(v.shape),
            "value_dtype": str(v.dtype), "dtype64": r64.dtype.name, "value_dtype64": str(v64.dtype)}


def case_random_normal_moments_coarse(tf):
    r = tf.random_normal([20000], mean=5.0, stddev=2.0, seed=3)
    v = _run(tf, r)
    return {"mean_ok": bool(abs(v.mean() - 5.0) < 0.1), "std_ok": bool(abs(v.std() - 2.0) < 0.1)}


def case_random_normal_node_names(tf):
    tf.random_normal([2], seed=1)
    return _names(tf)


def case_random_uniform_range(tf):
    r = tf.random_uniform([1000], seed=4)
    m = tf.random_uniform([2, 500], minval=-3.0, maxval=-1.0, seed=5)
    v, vm = _run(tf, [r, m])
    return {"in_range": bool(np.all((v >= 0) & (v < 1))), "dtype": r.dtype.name, "shape": _shape(r),
            "mean_ok": bool(abs(v.mean() - 0.5) < 0.05),
            "minmax_in_range": bool(np.all((vm >= -3) & (vm < -1))), "minmax_shape": list(vm.shape)}


def case_random_uniform_int32(tf):
    r = tf.random_uniform([1000], minval=0, maxval=10, dtype=tf.int32, seed=6)
    v = _run(tf, r)
    return {"in_range": bool(np.all((v >= 0) & (v < 10))), "dtype": r.dtype.name,
            "value_dtype": str(v.dtype), "all_values_seen": bool(len(set(v.tolist())) == 10)}


def case_random_uniform_int_without_maxval_error(tf):
    return catch(tf.random_uniform, [3], dtype=tf.int32)


def case_truncated_normal_within_two_stddev(tf):
    r = tf.truncated_normal([5000], mean=1.0, stddev=0.5, seed=7)
    v = _run(tf, r)
    return {"within": bool(np.all(np.abs(v - 1.0) <= 1.0 + 1e-6)), "dtype": r.dtype.name,
            "shape": _shape(r), "mean_ok": bool(abs(v.mean() - 1.0) < 0.05)}


def case_random_shuffle_is_permutation(tf):
    x = tf.constant(np.arange(10, dtype=np.int32))
    s = tf.random_shuffle(x, seed=8)
    v = _run(tf, s)
    return {"perm": bool(sorted(v.tolist()) == list(range(10))), "dtype": s.dtype.name,
            "shape": _shape(s), "type": s.op.type}


def case_random_shuffle_rows_stay_intact(tf):
    x = tf.constant(np.arange(12, dtype=np.int32).reshape(6, 2))
    v = _run(tf, tf.random_shuffle(x, seed=9))
    return {"rows_ok": bool(np.all(v[:, 1] == v[:, 0] + 1) and np.all(v[:, 0] % 2 == 0)),
            "perm": bool(sorted(v[:, 0].tolist()) == [0, 2, 4, 6, 8, 10])}


def case_random_runs_and_ops_differ(tf):
    tf.set_random_seed(7)
    r = tf.random_uniform([20], seed=10)
    a = tf.random_uniform([10])
    b = tf.random_uniform([10])
    with tf.Session() as sess:
        r1 = sess.run(r)
        r2 = sess.run(r)
        va, vb = sess.run([a, b])
    return {"same_op_two_runs_differ": bool(not np.array_equal(r1, r2)),
            "two_unseeded_ops_differ": bool(not np.array_equal(va, vb))}


def case_random_seeded_reproducible_across_sessions(tf):
    tf.set_random_seed(1234)
    r = tf.random_normal([10], seed=11)
    with tf.Session() as sess:
        a1 = sess.run(r)
        a2 = sess.run(r)
    with tf.Session() as sess:
        b1 = sess.run(r)
        b2 = sess.run(r)
    return {"first_equal": bool(np.array_equal(a1, b1)), "second_equal": bool(np.array_equal(a2, b2))}


def case_random_seeded_reproducible_across_graphs(tf):
    def build():
        tf.reset_default_graph()
        tf.set_random_seed(42)
        r = tf.random_uniform([10], seed=1)
        s = tf.random_shuffle(tf.range(10), seed=2)
        with tf.Session() as sess:
            return sess.run([r, s])
    (r1, s1), (r2, s2) = build(), build()
    return {"uniform": bool(np.array_equal(r1, r2)), "shuffle": bool(np.array_equal(s1, s2))}


def case_random_static_shape_from_dynamic(tf):
    x = tf.placeholder(tf.float32, [None, 3])
    r = tf.random_normal(tf.shape(x))
    v = _run(tf, r, {x: np.zeros((4, 3), dtype=np.float32)})
    return {"static": _shape(r), "value_shape": list(v.shape)}


# ---------------------------------------------------------------------------
# nn: activations
# ---------------------------------------------------------------------------

_ACT = [-3.0, -1.0, -0.5, 0.0, 0.5, 1.0, 3.0, 8.0]


def case_nn_relu(tf):
    return _unary(tf, tf.nn.relu, _ACT)


def case_nn_relu_int32(tf):
    return _unary(tf, tf.nn.relu, [-2, 0, 3], np.int32)


def case_nn_relu6(tf):
    return _unary(tf, tf.nn.relu6, _ACT)


def case_nn_elu(tf):
    return _unary(tf, tf.nn.elu, _ACT)


def case_nn_leaky_relu(tf):
    x = tf.constant(_f32(_ACT))
    z = tf.nn.leaky_relu(x)
    return {"default_alpha": _run(tf, z), "alpha_0_1": _run(tf, tf.nn.leaky_relu(x, alpha=0.1)),
            "name": z.op.name}


def case_nn_sigmoid(tf):
    return _unary(tf, tf.nn.sigmoid, [-1000, -5, 0, 5, 1000])


def case_nn_tanh(tf):
    return _unary(tf, tf.nn.tanh, [-1000, -1, 0, 1, 1000])


def case_nn_softplus(tf):
    return _unary(tf, tf.nn.softplus, [-20, -1, 0, 1, 20, 100])


def case_nn_activation_float64(tf):
    x = tf.constant(np.array([-1.0, 0.5], dtype=np.float64))
    named = {"relu": tf.nn.relu(x), "sigmoid": tf.nn.sigmoid(x), "elu": tf.nn.elu(x),
             "softplus": tf.nn.softplus(x)}
    out = _run_dict(tf, named)
    out["dtypes"] = {k: v.dtype.name for k, v in named.items()}
    return out


# ---------------------------------------------------------------------------
# nn: softmax, log_softmax
# ---------------------------------------------------------------------------

def case_nn_softmax_rows(tf):
    x = tf.constant(_f32([[1, 2, 3], [1, 1, 1], [0, 0, 10]]))
    z = tf.nn.softmax(x)
    v = tf.nn.softmax(tf.constant(_f32([1, 2, 3])))
    return {"value": _run(tf, z), "name": z.op.name, "type": z.op.type, "shape": _shape(z),
            "vector": _run(tf, v)}


def case_nn_softmax_large_logits_stable(tf):
    x = tf.constant(_f32([[1000, 1000, 0], [-1000, 0, 1000]]))
    return _run(tf, tf.nn.softmax(x))


def case_nn_softmax_axis0_and_old_dim(tf):
    x = tf.constant(_f32([[1, 2], [3, 2]]))
    return _run_dict(tf, {"axis0": tf.nn.softmax(x, axis=0), "dim0": tf.nn.softmax(x, dim=0),
                          "last": tf.nn.softmax(x, axis=-1)})


def case_nn_log_softmax(tf):
    x = tf.constant(_f32([[1, 2, 3], [1000, 0, -1000]]))
    z = tf.nn.log_softmax(x)
    return {"value": _run(tf, z), "name": z.op.name, "type": z.op.type}


# ---------------------------------------------------------------------------
# nn: cross entropies
# ---------------------------------------------------------------------------

def case_softmax_xent_v2(tf):
    labels = tf.constant(_f32([[0, 1, 0], [0.5, 0.5, 0]]))
    logits = tf.constant(_f32([[1, 2, 3], [0, 0, 0]]))
    loss = tf.nn.softmax_cross_entropy_with_logits_v2(labels=labels, logits=logits)
    l64 = tf.nn.softmax_cross_entropy_with_logits_v2(labels=tf.constant(np.array([[0.0, 1.0]])),
                                                     logits=tf.constant(np.array([[0.3, 0.7]])))
    return {"value": _run(tf, loss), "shape": _shape(loss), "dtype": loss.dtype.name,
            "float64": _run(tf, l64), "float64_dtype": l64.dtype.name}


def case_softmax_xent_v1(tf):
    labels = tf.constant(_f32([[0, 1, 0], [1, 0, 0]]))
    logits = tf.constant(_f32([[1, 2, 3], [2, 0, -2]]))
    loss = tf.nn.softmax_cross_entropy_with_logits(labels=labels, logits=logits)
    return {"value": _run(tf, loss), "shape": _shape(loss)}


def case_softmax_xent_large_logits_finite(tf):
    labels = tf.constant(_f32([[0, 1], [1, 0], [0, 1]]))
    logits = tf.constant(_f32([[1000, 0], [1000, 0], [-1000, 1000]]))
    loss = tf.nn.softmax_cross_entropy_with_logits_v2(labels=labels, logits=logits)
    v = _run(tf, loss)
    return {"value": v, "finite": bool(np.all(np.isfinite(v)))}


def case_softmax_xent_mean_loss(tf):
    labels = tf.placeholder(tf.float32, [None, 2])
    logits = tf.placeholder(tf.float32, [None, 2])
    loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=labels, logits=logits))
    return _run(tf, loss, {labels: _f32([[1, 0], [0, 1]]), logits: _f32([[2, 1], [0.5, 0.5]])})


def case_sparse_softmax_xent(tf):
    labels = tf.constant(_i32([1, 0, 2]))
    logits = tf.constant(_f32([[1, 2, 3], [2, 0, -2], [0, 0, 0]]))
    loss = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits)
    l64 = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=tf.constant(np.array([0, 1], dtype=np.int64)),
                                                         logits=tf.constant(_f32([[1, 0], [1, 0]])))
    return {"value": _run(tf, loss), "shape": _shape(loss), "dtype": loss.dtype.name,
            "int64_labels": _run(tf, l64)}


def case_sparse_softmax_xent_large_logits_finite(tf):
    labels = tf.constant(_i32([1, 0]))
    logits = tf.constant(_f32([[1000, 0, -1000], [1000, 999, 0]]))
    loss = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits)
    v = _run(tf, loss)
    return {"value": v, "finite": bool(np.all(np.isfinite(v)))}


def case_sparse_softmax_xent_rank_mismatch_error(tf):
    labels = tf.constant(_i32([[1], [0]]))
    logits = tf.constant(_f32([[1, 0], [0, 1]]))
    return catch(tf.nn.sparse_softmax_cross_entropy_with_logits, labels=labels, logits=logits)


def case_sigmoid_xent(tf):
    labels = tf.constant(_f32([0, 1, 0.5, 1]))
    logits = tf.constant(_f32([0, 2, -1, -3]))
    loss = tf.nn.sigmoid_cross_entropy_with_logits(labels=labels, logits=logits)
    return {"value": _run(tf, loss), "shape": _shape(loss), "dtype": loss.dtype.name}


def case_sigmoid_xent_large_logits_finite(tf):
    labels = tf.constant(_f32([0, 1, 1, 0, 0.5]))
    logits = tf.constant(_f32([1000, -1000, 1000, -1000, 1000]))
    loss = tf.nn.sigmoid_cross_entropy_with_logits(labels=labels, logits=logits)
    v = _run(tf, loss)
    return {"value": v, "finite": bool(np.all(np.isfinite(v)))}


def case_sigmoid_xent_shape_mismatch_error(tf):
    labels = tf.constant(_f32([0, 1]))
    logits = tf.constant(_f32([0, 1, 2]))
    return catch(tf.nn.sigmoid_cross_entropy_with_logits, labels=labels, logits=logits)


# ---------------------------------------------------------------------------
# nn: l2_loss, l2_normalize, moments, bias_add, batch_normalization, dropout
# ---------------------------------------------------------------------------

def case_l2_loss(tf):
    x = tf.constant(_f32([[1, 2], [3, 4]]))
    z = tf.nn.l2_loss(x)
    return {"value": _run(tf, z), "shape": _shape(z), "name": z.op.name, "type": z.op.type}


def case_l2_normalize(tf):
    x = tf.constant(_f32([[3, 4], [0, 0], [1, 1]]))
    return _run_dict(tf, {"axis1": tf.nn.l2_normalize(x, axis=1), "axis0": tf.nn.l2_normalize(x, 0),
                          "dim1": tf.nn.l2_normalize(x, dim=1), "all": tf.nn.l2_normalize(x)})


def case_moments(tf):
    x = tf.constant(_f32([[1, 2], [3, 6], [5, 10]]))
    mean, var = tf.nn.moments(x, axes=[0])
    m_all, v_all = tf.nn.moments(x, [0, 1])
    m_keep, v_keep = tf.nn.moments(x, axes=[1], keep_dims=True)
    out = _run_dict(tf, {"mean": mean, "var": var, "mean_all": m_all, "var_all": v_all,
                         "mean_keep": m_keep, "var_keep": v_keep})
    out["shapes"] = [_shape(mean), _shape(var), _shape(m_all), _shape(m_keep)]
    return out


def case_bias_add(tf):
    x = tf.constant(_f32([[1, 2, 3], [4, 5, 6]]))
    b = tf.constant(_f32([10, 20, 30]))
    z = tf.nn.bias_add(x, b)
    z4 = tf.nn.bias_add(tf.constant(np.zeros((1, 2, 2, 3), dtype=np.float32)), tf.constant(_f32([1, 2, 3])))
    return {"value": _run(tf, z), "name": z.op.name, "type": z.op.type, "shape": _shape(z),
            "value_4d": _run(tf, z4), "shape_4d": _shape(z4)}


def case_bias_add_shape_mismatch_error(tf):
    x = tf.constant(np.zeros((2, 3), dtype=np.float32))
    b = tf.constant(_f32([1, 2]))
    return catch(tf.nn.bias_add, x, b)


def case_batch_normalization(tf):
    x = tf.constant(_f32([[1, 2], [3, 6], [5, 10]]))
    mean, var = tf.nn.moments(x, [0])
    y = tf.nn.batch_normalization(x, mean, var, offset=tf.constant(_f32([0, 1])),
                                  scale=tf.constant(_f32([1, 2])), variance_epsilon=1e-3)
    x2 = tf.constant(_f32([[0, 4], [2, 8]]))
    z = tf.nn.batch_normalization(x2, _f32([1, 6]), _f32([1, 4]), None, None, 0.0)
    return {"value": _run(tf, y), "shape": _shape(y), "no_offset_scale": _run(tf, z)}


def case_dropout_keep_prob_one_identity(tf):
    x = tf.constant(_f32([[1, 2, 3], [4, 5, 6]]))
    d = tf.nn.dropout(x, keep_prob=1.0)
    r = tf.nn.dropout(x, rate=0.0)
    return {"value": _run(tf, d), "shape": _shape(d), "dtype": d.dtype.name, "rate0": _run(tf, r)}


def case_dropout_keep_prob_placeholder_fed_one(tf):
    x = tf.placeholder(tf.float32, [None, 2])
    kp = tf.placeholder(tf.float32)
    d = tf.nn.dropout(x, keep_prob=kp)
    v = _run(tf, d, {x: _f32([[1, 2], [3, 4]]), kp: 1.0})
    return {"value": v, "static": _shape(d)}


# ---------------------------------------------------------------------------
# clipping and check_numerics
# ---------------------------------------------------------------------------

def case_clip_by_value(tf):
    x = tf.constant(_f32([-2, -0.5, 0, 0.5, 2]))
    z = tf.clip_by_value(x, -1.0, 1.0)
    return {"value": _run(tf, z), "dtype": z.dtype.name}


def case_clip_by_value_int32_and_tensor_bounds(tf):
    i = tf.constant(_i32([-5, 0, 5, 10]))
    ci = tf.clip_by_value(i, 0, 6)
    x = tf.constant(_f32([[1, 5], [-3, 9]]))
    cx = tf.clip_by_value(x, tf.constant(_f32([0, 2])), tf.constant(_f32([2, 6])))
    return {"int": _run(tf, ci), "int_dtype": ci.dtype.name, "tensor_bounds": _run(tf, cx)}


def case_clip_by_norm(tf):
    x = tf.constant(_f32([3, 4]))
    return _run_dict(tf, {"clipped": tf.clip_by_norm(x, 1.0), "unchanged": tf.clip_by_norm(x, 10.0),
                          "exact": tf.clip_by_norm(x, 5.0)})


def case_clip_by_norm_axes(tf):
    x = tf.constant(_f32([[3, 4], [0.3, 0.4]]))
    return _run(tf, tf.clip_by_norm(x, 1.0, axes=[1]))


def case_clip_by_global_norm(tf):
    a = tf.constant(_f32([3, 4]))
    b = tf.constant(_f32([[0, 12]]))
    clipped, norm = tf.clip_by_global_norm([a, b], 6.5)
    out = _run_dict(tf, {"a": clipped[0], "b": clipped[1], "norm": norm})
    out["n"] = len(clipped)
    out["shapes"] = [_shape(c) for c in clipped]
    return out


def case_clip_by_global_norm_below_threshold_and_none(tf):
    a = tf.constant(_f32([0.3, 0.4]))
    clipped, norm = tf.clip_by_global_norm([a], 1.0)
    b = tf.constant(_f32([6, 8]))
    clipped2, norm2 = tf.clip_by_global_norm([b, None], 5.0)
    out = _run_dict(tf, {"a": clipped[0], "norm": norm, "b": clipped2[0], "norm2": norm2})
    out["none_kept"] = clipped2[1] is None
    return out


def case_check_numerics_passes_finite(tf):
    x = tf.constant(_f32([1, 2]))
    z = tf.check_numerics(x, "bad")
    return {"value": _run(tf, z), "type": z.op.type}


def case_check_numerics_nan_inf_error(tf):
    x = tf.constant(_f32([1, 0]))
    z = tf.check_numerics(tf.log(x) * 0.0, "nan appeared")
    p = tf.placeholder(tf.float32, [None])
    w = tf.check_numerics(p / 0.0, "inf appeared")
    with tf.Session() as sess:
        return {"nan": catch(sess.run, z), "inf": catch(sess.run, w, {p: _f32([1])})}


# ---------------------------------------------------------------------------
# control: cond, identity, group, no_op, control_dependencies, stop_gradient, Print
# ---------------------------------------------------------------------------

def case_cond_placeholder_predicate(tf):
    p = tf.placeholder(tf.bool, [])
    x = tf.constant(_f32([1, 2]))
    r = tf.cond(p, lambda: x * 10.0, lambda: x - 1.0)
    with tf.Session() as sess:
        t = sess.run(r, {p: True})
        f = sess.run(r, {p: False})
    return {"true": t, "false": f, "dtype": r.dtype.name, "shape": _shape(r)}


def case_cond_tensor_comparison_predicate(tf):
    a = tf.placeholder(tf.float32, [])
    r = tf.cond(tf.less(a, 0.0), lambda: tf.negative(a), lambda: a)
    with tf.Session() as sess:
        return [sess.run(r, {a: -3.0}), sess.run(r, {a: 2.0})]


def case_cond_untaken_branch_not_executed(tf):
    p = tf.placeholder(tf.bool, [])
    x = tf.constant(_f32([1, 0]))

    def bad():
        return tf.check_numerics(tf.log(x) * 0.0, "should not run")

    r = tf.cond(p, lambda: tf.identity(x), bad)
    with tf.Session() as sess:
        ok = sess.run(r, {p: True})
        err = catch(sess.run, r, {p: False})
    return {"taken_true": ok, "taken_false": err}


def case_cond_returns_tuple(tf):
    p = tf.placeholder(tf.bool, [])
    a = tf.constant(1)
    b = tf.constant(2.0)
    r = tf.cond(p, lambda: (a + 1, b * 2.0), lambda: (a - 1, b / 2.0))
    with tf.Session() as sess:
        t = sess.run(r, {p: True})
        f = sess.run(r, {p: False})
    return {"true": list(t), "false": list(f), "kind": type(r).__name__, "dtypes": [x.dtype.name for x in r]}


def case_cond_branch_dtype_mismatch_error(tf):
    p = tf.placeholder(tf.bool, [])
    return catch(tf.cond, p, lambda: tf.constant(1), lambda: tf.constant(1.0))


def case_cond_outside_op_runs_regardless(tf):
    v = tf.Variable(0, name="counter")
    assign = tf.assign(v, 5)
    p = tf.placeholder(tf.bool, [])
    r = tf.cond(p, lambda: assign, lambda: tf.constant(-1))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        out = sess.run(r, {p: False})
        after = sess.run(v)
    return {"result": out, "variable_after": after}


def case_cond_inside_op_runs_only_when_taken(tf):
    v = tf.Variable(0, name="counter")
    p = tf.placeholder(tf.bool, [])
    r = tf.cond(p, lambda: tf.assign(v, 5), lambda: tf.constant(-1))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        out_false = sess.run(r, {p: False})
        after_false = sess.run(v)
        out_true = sess.run(r, {p: True})
        after_true = sess.run(v)
    return [out_false, after_false, out_true, after_true]


def case_identity(tf):
    x = tf.constant(_i32([1, 2]))
    y = tf.identity(x)
    z = tf.identity(x, name="copy")
    return {"value": _run(tf, y), "dtype": y.dtype.name, "names": [y.op.name, z.op.name],
            "type": y.op.type, "shape": _shape(y)}


def case_group_returns_none(tf):
    a = tf.constant(1.0)
    b = tf.constant(2.0)
    g = tf.group(a + b, a * b)
    return {"run": _run(tf, g), "type": g.type, "name": g.name,
            "is_operation": not hasattr(g, "dtype")}


def case_no_op(tf):
    n = tf.no_op()
    x = tf.constant(3.0)
    return {"run": _run(tf, n), "type": n.type, "name": n.name, "with_tensor": _run(tf, [n, x * 2.0])}


def case_control_dependencies_assign_before_read(tf):
    v = tf.Variable(1.0, name="v")
    assign = tf.assign(v, 5.0)
    with tf.control_dependencies([assign]):
        r = tf.identity(v)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        out = sess.run(r)
    return {"value": out, "control_inputs": [op.name for op in r.op.control_inputs]}


def case_control_dependencies_counter(tf):
    v = tf.Variable(0, name="step")
    inc = tf.assign_add(v, 1)
    with tf.control_dependencies([inc]):
        doubled = v * 2
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        vals = [sess.run(doubled) for _ in range(3)]
        final = sess.run(v)
    return {"values": vals, "final": final}


def case_control_dependencies_plain_variable_not_affected(tf):
    v = tf.Variable(1.0, name="v")
    assign = tf.assign(v, 5.0)
    with tf.control_dependencies([assign]):
        r = v  # no new op is created, so there is no dependency
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        out = sess.run(r)
    return out


def case_control_dependencies_nested_and_none(tf):
    a = tf.constant(1.0, name="a")
    b = tf.constant(2.0, name="b")
    with tf.control_dependencies([a.op]):
        with tf.control_dependencies([b.op]):
            c = tf.identity(a, name="c")
        with tf.control_dependencies(None):
            d = tf.identity(a, name="d")
    return {"c": sorted(op.name for op in c.op.control_inputs),
            "d": [op.name for op in d.op.control_inputs], "value": _run(tf, c)}


def case_stop_gradient(tf):
    x = tf.constant(_f32([1, 2]))
    y = tf.stop_gradient(x * 2.0)
    return {"value": _run(tf, y), "type": y.op.type, "name": y.op.name, "dtype": y.dtype.name}


def case_print_passes_value_through(tf):
    x = tf.constant(_f32([1, 2, 3]))
    y = tf.Print(x, [x], message="x = ")
    return {"value": _run(tf, y), "dtype": y.dtype.name, "shape": _shape(y)}


def case_identity_and_group_node_names(tf):
    x = tf.constant(1.0)
    tf.identity(x)
    tf.no_op()
    tf.group(x.op)
    tf.stop_gradient(x)
    return {"names": _names(tf), "types": _types(tf)}


# ---------------------------------------------------------------------------
# NaN / inf propagation
# ---------------------------------------------------------------------------

def case_nan_maximum_minimum_propagate(tf):
    x = tf.constant(_f32([NAN, 1, 2]))
    y = tf.constant(_f32([1, NAN, 1]))
    return _run_dict(tf, {"max_xy": tf.maximum(x, y), "max_yx": tf.maximum(y, x),
                          "min_xy": tf.minimum(x, y)})


def case_log_sqrt_domain(tf):
    x = tf.constant(_f32([0, -1, 1, 4]))
    return _run_dict(tf, {"log": tf.log(x), "sqrt": tf.sqrt(x)})


def case_float_division_by_zero_and_exp_overflow(tf):
    x = tf.constant(_f32([1, -1, 0]))
    e = tf.constant(_f32([100, -1000]))
    return _run_dict(tf, {"div": x / 0.0, "exp": tf.exp(e)})


def case_nan_propagates_through_reductions(tf):
    x = tf.constant(_f32([1, NAN, 3]))
    return _run_dict(tf, {"sum": tf.reduce_sum(x), "mean": tf.reduce_mean(x), "max": tf.reduce_max(x)})


def case_nan_comparisons(tf):
    x = tf.constant(_f32([NAN, 1]))
    return _run_dict(tf, {"eq_self": tf.equal(x, x), "ne_self": tf.not_equal(x, x),
                          "gt": tf.greater(x, 0.0), "less": tf.less(x, 0.0)})


def case_inf_arithmetic(tf):
    x = tf.constant(_f32([INF, -INF, INF]))
    y = tf.constant(_f32([INF, INF, 1]))
    return _run_dict(tf, {"sum": x + y, "prod": x * 0.0, "div": x / y})


def case_nan_through_relu_sigmoid(tf):
    x = tf.constant(_f32([NAN, -INF, INF]))
    return _run_dict(tf, {"sigmoid": tf.sigmoid(x), "tanh": tf.tanh(x), "abs": tf.abs(x)})


# ---------------------------------------------------------------------------
# dtype errors (build time)
# ---------------------------------------------------------------------------

def case_dtype_error_int32_plus_float32(tf):
    a = tf.constant(_i32([1, 2]))
    b = tf.constant(_f32([1, 2]))
    return {"operator": catch(lambda: a + b), "function": catch(tf.add, a, b),
            "reflected": catch(lambda: b - a)}


def case_dtype_error_int32_plus_python_float(tf):
    a = tf.constant(_i32([1, 2]))
    return {"add": catch(lambda: a + 1.5), "mul": catch(lambda: a * 0.5)}


def case_dtype_error_float32_plus_float64_and_matmul(tf):
    a = tf.constant(_f32([[1, 2]]))
    b = tf.constant(np.array([[1.0, 2.0]], dtype=np.float64))
    i = tf.constant(_i32([[1], [2]]))
    return {"add": catch(lambda: a + b), "matmul": catch(tf.matmul, a, i)}


# ---------------------------------------------------------------------------
# shape errors (build time and run time)
# ---------------------------------------------------------------------------

def case_shape_error_matmul_constants_build_time(tf):
    a = tf.constant(np.zeros((2, 3), dtype=np.float32))
    b = tf.constant(np.zeros((4, 5), dtype=np.float32))
    return catch(tf.matmul, a, b)


def case_shape_error_matmul_rank1_build_time(tf):
    a = tf.constant(_f32([1, 2]))
    b = tf.constant(_f32([[1], [2]]))
    return catch(tf.matmul, a, b)


def case_shape_error_matmul_placeholders_run_time(tf):
    a = tf.placeholder(tf.float32)
    b = tf.placeholder(tf.float32)
    c = tf.matmul(a, b)
    with tf.Session() as sess:
        err = catch(sess.run, c, {a: np.zeros((2, 3), np.float32), b: np.zeros((4, 5), np.float32)})
        ok = sess.run(c, {a: np.ones((2, 3), np.float32), b: np.ones((3, 1), np.float32)})
    return {"error": err, "ok": ok}


def case_shape_error_matmul_partial_placeholder_build_time(tf):
    a = tf.placeholder(tf.float32, [None, 3])
    b = tf.constant(np.zeros((4, 2), dtype=np.float32))
    return catch(tf.matmul, a, b)


def case_shape_error_add_incompatible_build_time(tf):
    a = tf.constant(np.zeros((2, 3), dtype=np.float32))
    b = tf.constant(np.zeros((4,), dtype=np.float32))
    return catch(lambda: a + b)


def case_shape_error_add_placeholders_run_time(tf):
    a = tf.placeholder(tf.float32, [None])
    b = tf.placeholder(tf.float32, [None])
    c = a + b
    with tf.Session() as sess:
        return {"error": catch(sess.run, c, {a: np.zeros(3, np.float32), b: np.zeros(4, np.float32)}),
                "static": _shape(c)}


def case_shape_error_feed_wrong_shape(tf):
    x = tf.placeholder(tf.float32, [None, 3])
    y = x * 2.0
    with tf.Session() as sess:
        return catch(sess.run, y, {x: np.zeros((2, 4), dtype=np.float32)})


def case_where_v2_broadcasts_and_rejects_incompatible_shapes(tf):
    c = tf.constant([[True, False, True]])
    picked = tf.where_v2(c, tf.constant([[1.0], [2.0]]), 0.0)  # [1,3], [2,1], [] -> [2,3]
    with tf.Session() as sess:
        value = sess.run(picked)
    bad = catch(lambda: tf.where_v2(tf.ones([2, 3]) > 0, tf.ones([4, 5]), 0.0))
    bad_else = catch(lambda: tf.where_v2(tf.ones([2, 3]) > 0, 1.0, tf.ones([4, 5])))
    return {"value": value, "shape": picked.shape.as_list(), "bad": bad, "bad_else": bad_else}
