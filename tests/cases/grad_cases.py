"""Cases for autodiff and training: tf.gradients values and names, optimizers, losses, layers.

Each `case_<name>(tf)` builds on the (already reset) default graph, runs it, and returns plain
data. Expected results come from real TensorFlow (tests/fixtures/make_fixtures.py).

Kept out on purpose, because TF 2.21 differs from the classic TF 1.x the seeds show:
- integer gradients: classic TF 1.x returned int32 gradients (`tf.gradients(a + 2*b, [a, b])`
  gave [1, 2] in the seeds); TF 2.21 returns None for integer tensors. Those are tested from
  the seed text, not from these fixtures.
- the walk's seed names (`gradients/Shape`, `gradients/Const`, `gradients/Fill` in TF 1.x;
  TF 2.21 writes `gradients/grad_ys_0`), and the names inside gradient rules that TF 2.21
  rewrote (Add/Sub/Mul/RealDiv/Pow/Maximum/Square/Softmax/Softplus/Sum/Mean shortcuts).
- slot initializer op names (`.../Initializer/zeros` in TF 2.21, `.../Initializer/Const` in the
  seeds).
Also: a run that fetches a ref variable together with an update of it (the seeds' loops) is
racy in TF, so the cases here read first and update in a separate run.
"""
import numpy as np

from cases.harness import catch

# ---- shared data -----------------------------------------------------------------------

A23 = np.array([[1.0, -2.0, 3.0], [0.5, 4.0, -1.5]])
B3 = np.array([2.0, -1.0, 0.5])
B21 = np.array([[2.0], [-3.0]])
S = 1.5
C23 = np.array([[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]])  # upstream weights for sum(C * f)
POS23 = np.array([[0.5, 1.0, 2.0], [3.0, 0.25, 4.0]])


def _run(tf, fetches, feed=None):
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        return sess.run(fetches, feed_dict=feed)


def _grads(tf, y, xs, feed=None, **kwargs):
    """Run tf.gradients(y, xs); None stays None."""
    gs = tf.gradients(y, xs, **kwargs)
    live = [g for g in gs if g is not None]
    vals = _run(tf, live, feed) if live else []
    it = iter(vals)
    return [None if g is None else next(it) for g in gs]


def _const(tf, arr, dtype="float32"):
    return tf.constant(np.asarray(arr, dtype=dtype))


def _weighted(tf, t, dtype="float32"):
    """sum(C * t) for t of shape (2, 3): a non-uniform upstream gradient."""
    return tf.reduce_sum(t * _const(tf, C23, dtype))


def _binary(tf, fn, b, dtype="float32"):
    a_t = _const(tf, A23, dtype)
    b_t = _const(tf, b, dtype)
    da, db = _grads(tf, _weighted(tf, fn(a_t, b_t), dtype), [a_t, b_t])
    return {"da": da, "db": db}


def _unary(tf, fn, x, dtype="float32"):
    x_t = _const(tf, x, dtype)
    return {"dx": _grads(tf, _weighted(tf, fn(x_t), dtype), [x_t])[0]}


def _new_names(tf, before):
    return [o.name for o in tf.get_default_graph().get_operations() if o.name not in before]


def _op_names(tf):
    return {o.name for o in tf.get_default_graph().get_operations()}


def _grad_rule_names(tf, prefix):
    """Op names (and types) under `gradients/<prefix>` , i.e. after the walk's seed."""
    return [[o.name, o.type] for o in tf.get_default_graph().get_operations()
            if o.name.startswith("gradients/" + prefix)]


# ---- elementwise binary ops with broadcasting ------------------------------------------

def _binary_table(tf, fn):
    """The three broadcasts from a (2, 3) tensor: a row (3,), a column (2, 1) and a scalar."""
    return {"row": _binary(tf, fn, B3),
            "col": _binary(tf, fn, B21),
            "scalar_y": _binary(tf, fn, S),
            "row_f64": _binary(tf, fn, B3, "float64"),
            "col_f64": _binary(tf, fn, B21, "float64"),
            "scalar_f64": _binary(tf, fn, S, "float64"),
            "scalar_first": _binary(tf, lambda x, y: fn(y, x), S)}


def case_grad_add(tf):
    return _binary_table(tf, lambda a, b: a + b)


def case_grad_sub(tf):
    return _binary_table(tf, lambda a, b: a - b)


def case_grad_mul(tf):
    return _binary_table(tf, lambda a, b: a * b)


def case_grad_div(tf):
    return _binary_table(tf, lambda a, b: a / b)


def case_grad_same_shape_ops(tf):
    out = {}
    for name, fn in [("add", tf.add), ("subtract", tf.subtract), ("multiply", tf.multiply),
                     ("divide", tf.divide), ("truediv", tf.truediv)]:
        out[name] = _binary(tf, fn, POS23)
    return out


# ---- matmul -----------------------------------------------------------------------------

_MA = np.array([[1.0, 2.0, -1.0], [0.5, -3.0, 2.0]])          # (2, 3)
_MB = np.array([[2.0, 0.0, 1.0, -1.0], [1.0, 3.0, -2.0, 0.5],
                [0.0, -1.0, 1.5, 2.0]])                        # (3, 4)
_MC = np.array([[1.0, -1.0, 0.5, 2.0], [0.0, 2.0, -1.5, 1.0]])  # upstream (2, 4)


def _matmul_case(tf, ta, tb, dtype="float32"):
    a = _const(tf, _MA.T if ta else _MA, dtype)
    b = _const(tf, _MB.T if tb else _MB, dtype)
    y = tf.reduce_sum(tf.matmul(a, b, transpose_a=ta, transpose_b=tb) * _const(tf, _MC, dtype))
    da, db = _grads(tf, y, [a, b])
    return {"da": da, "db": db}


def case_grad_matmul(tf):
    return _matmul_case(tf, False, False)


def case_grad_matmul_transpose_a(tf):
    return _matmul_case(tf, True, False)


def case_grad_matmul_transpose_b_f64(tf):
    return _matmul_case(tf, False, True, "float64")


def case_grad_matmul_transpose_ab(tf):
    return _matmul_case(tf, True, True)


# ---- reductions --------------------------------------------------------------------------

_RED = np.array([[1.0, 3.0, 3.0], [-2.0, 0.5, -2.0]])      # ties for max (row 0) and min (row 1)
_PROD = np.array([[1.5, -2.0, 0.5], [2.0, 0.0, 3.0]])      # a zero in row 1


def _reduce_case(tf, fn, data, dtype="float32"):
    out = {}
    for axis in [None, 0, 1, -1, [0, 1]]:
        for keepdims in [False, True]:
            x = _const(tf, data, dtype)
            y = fn(x, axis=axis, keepdims=keepdims)
            out[f"axis={axis} keepdims={keepdims}"] = _grads(tf, tf.reduce_sum(y * y), [x])[0]
    return out


def case_grad_reduce_sum(tf):
    return _reduce_case(tf, tf.reduce_sum, _RED)


def case_grad_reduce_mean_f64(tf):
    return _reduce_case(tf, tf.reduce_mean, _RED, "float64")


def case_grad_reduce_max_ties(tf):
    return _reduce_case(tf, tf.reduce_max, _RED)


def case_grad_reduce_min_ties(tf):
    return _reduce_case(tf, tf.reduce_min, _RED)


def case_grad_reduce_prod(tf):
    return _reduce_case(tf, tf.reduce_prod, _PROD)


def case_grad_reduce_sum_legacy_args(tf):
    x = _const(tf, _RED)
    y1 = tf.reduce_sum(x, reduction_indices=[1], keep_dims=True)
    y2 = tf.reduce_mean(x, 0)
    return {"keep_dims": _grads(tf, _weighted(tf, y1 * tf.ones([2, 3])), [x])[0],
            "mean_axis0": _grads(tf, tf.reduce_sum(y2 * _const(tf, B3)), [x])[0]}


# ---- shape ops -----------------------------------------------------------------------------

def case_grad_reshape(tf):
    x = _const(tf, A23)
    y = tf.reshape(x, [3, 2])
    w = _const(tf, [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    y2 = tf.reshape(x, [-1])
    return {"to_3x2": _grads(tf, tf.reduce_sum(y * w), [x])[0],
            "flat": _grads(tf, tf.reduce_sum(y2 * _const(tf, np.arange(6.0))), [x])[0]}


def case_grad_transpose(tf):
    x = _const(tf, A23)
    w = _const(tf, [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    x3 = _const(tf, np.arange(24.0).reshape(2, 3, 4) / 10.0)
    w3 = _const(tf, np.arange(24.0).reshape(4, 2, 3))
    return {"2d": _grads(tf, tf.reduce_sum(tf.transpose(x) * w), [x])[0],
            "perm": _grads(tf, tf.reduce_sum(tf.transpose(x3, [2, 0, 1]) * w3), [x3])[0]}


def case_grad_concat(tf):
    a = _const(tf, A23)
    b = _const(tf, [[7.0, 8.0, 9.0]])
    c = _const(tf, [[1.0], [2.0]])
    y0 = tf.concat([a, b], 0)
    y1 = tf.concat([a, c], axis=1)
    w0 = _const(tf, np.arange(9.0).reshape(3, 3))
    w1 = _const(tf, np.arange(8.0).reshape(2, 4))
    return {"axis0": _grads(tf, tf.reduce_sum(y0 * w0), [a, b]),
            "axis1": _grads(tf, tf.reduce_sum(y1 * w1), [a, c]),
            "neg_axis": _grads(tf, tf.reduce_sum(tf.concat([a, c], -1) * w1), [a, c])}


def case_grad_stack_unstack(tf):
    a = _const(tf, B3)
    b = _const(tf, [1.0, 2.0, 3.0])
    s0 = tf.stack([a, b])
    s1 = tf.stack([a, b], axis=1)
    x = _const(tf, A23)
    u0, u1 = tf.unstack(x)
    c0, c1, c2 = tf.unstack(x, axis=1)
    return {"stack0": _grads(tf, _weighted(tf, s0), [a, b]),
            "stack1": _grads(tf, tf.reduce_sum(s1 * tf.transpose(_const(tf, C23))), [a, b]),
            "unstack0": _grads(tf, tf.reduce_sum(u0 * 2.0 + u1 * u1), [x])[0],
            "unstack1_partial": _grads(tf, tf.reduce_sum(c0 * 3.0 + c2), [x])[0]}


def case_grad_gather_dense(tf):
    params = _const(tf, [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0], [7.0, 8.0]])
    y = tf.gather(params, [2, 0, 2])
    w = _const(tf, [[1.0, -1.0], [2.0, 0.5], [3.0, 1.0]])
    g = tf.gradients(tf.reduce_sum(y * w), params)[0]
    return {"dense": _run(tf, tf.convert_to_tensor(g))}


def case_grad_gather_indexed_slices(tf):
    params = _const(tf, [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0], [7.0, 8.0]])
    y = tf.gather(params, [2, 0, 2])
    g = tf.gradients(tf.reduce_sum(y), params)[0]
    values, indices = _run(tf, [g.values, g.indices])
    return {"type": type(g).__name__, "values": values, "indices": indices}


def case_grad_slice(tf):
    x = _const(tf, np.arange(12.0).reshape(3, 4))
    y = tf.slice(x, [1, 1], [2, 2])
    w = _const(tf, [[1.0, 2.0], [3.0, 4.0]])
    y2 = tf.slice(x, [0, 2], [-1, -1])
    return {"slice": _grads(tf, tf.reduce_sum(y * w), [x])[0],
            "slice_to_end": _grads(tf, tf.reduce_sum(y2 * y2), [x])[0]}


def case_grad_getitem(tf):
    x = _const(tf, np.arange(12.0).reshape(3, 4))
    out = {}
    for key, fn in [("row", lambda t: t[1]),
                    ("col_range", lambda t: t[:, 1:3]),
                    ("reverse", lambda t: t[::-1]),
                    ("step", lambda t: t[1, ::2]),
                    ("neg_index", lambda t: t[-1, -2]),
                    ("ellipsis_newaxis", lambda t: t[..., None]),
                    ("neg_step", lambda t: t[2:0:-1, ::-2])]:
        y = fn(x)
        out[key] = _grads(tf, tf.reduce_sum(y * y + y), [x])[0]
    return out


# ---- selection -----------------------------------------------------------------------------

def case_grad_where_select(tf):
    cond = tf.constant([[True, False, True], [False, False, True]])
    a = _const(tf, A23)
    b = _const(tf, POS23)
    y = tf.where(cond, a, b)
    return {"where": _grads(tf, _weighted(tf, y), [a, b, cond])}


def case_grad_where_v2_broadcast(tf):
    cond = tf.constant([True, False, True])
    a = _const(tf, A23)
    b = _const(tf, 2.0)
    y = tf.where_v2(cond, a, b)
    return {"where_v2": _grads(tf, _weighted(tf, y), [a, b])}


def case_grad_maximum_ties(tf):
    x = _const(tf, [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    y = _const(tf, [[1.0, 3.0, 2.0], [4.0, 5.0, 7.0]])  # ties at (0,0), (1,0), (1,1)
    dx, dy = _grads(tf, _weighted(tf, tf.maximum(x, y)), [x, y])
    s = _const(tf, 2.0)
    dx2, ds = _grads(tf, _weighted(tf, tf.maximum(x, s)), [x, s])
    return {"dx": dx, "dy": dy, "bcast_scalar_tie": [dx2, ds]}


def case_grad_minimum_ties(tf):
    x = _const(tf, [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    y = _const(tf, [[1.0, 3.0, 2.0], [4.0, 5.0, 7.0]])
    dx, dy = _grads(tf, _weighted(tf, tf.minimum(x, y)), [x, y])
    s = _const(tf, [3.0, 3.0, 3.0])
    dx2, ds = _grads(tf, _weighted(tf, tf.minimum(x, s)), [x, s])
    return {"dx": dx, "dy": dy, "bcast_row_tie": [dx2, ds]}


def case_grad_maximum_relu_style(tf):
    # the seed's h = tf.maximum(tf.matmul(x, w1), 0) with exact zeros in the input
    x = _const(tf, [[-1.0, 0.0, 2.0], [0.0, 3.0, -0.5]])
    return {"dx": _grads(tf, _weighted(tf, tf.maximum(x, 0)), [x])[0]}


def case_grad_clip_by_value(tf):
    x = _const(tf, [[-2.0, -1.0, 0.0], [0.5, 1.0, 3.0]])  # -1 and 1 sit on the boundaries
    return {"dx": _grads(tf, _weighted(tf, tf.clip_by_value(x, -1.0, 1.0)), [x])[0]}


# ---- pow and unary math ---------------------------------------------------------------------

def case_grad_pow_constant_exponent(tf):
    return {"square": _unary(tf, lambda t: t ** 2, A23),
            "half": _unary(tf, lambda t: t ** 0.5, POS23),
            "pow_3_f64": _unary(tf, lambda t: tf.pow(t, 3.0), A23, "float64"),
            "at_zero": _unary(tf, lambda t: t ** 2, [[0.0, 1.0, -1.0], [2.0, 0.0, 3.0]])}


def case_grad_pow_tensor_exponent(tf):
    x = _const(tf, POS23)
    e = _const(tf, [2.0, 0.5, -1.0])
    dx, de = _grads(tf, _weighted(tf, tf.pow(x, e)), [x, e])
    base = _const(tf, 2.0, "float64")
    e2 = _const(tf, A23, "float64")
    dbase, de2 = _grads(tf, _weighted(tf, base ** e2, "float64"), [base, e2])
    # x <= 0: the exponent's gradient uses log(x) only where x > 0 (0 elsewhere)
    xn = _const(tf, [[-2.0, -1.0, 0.0], [1.0, 2.0, 3.0]])
    e3 = _const(tf, 3.0)
    dxn, de3 = _grads(tf, _weighted(tf, tf.pow(xn, e3)), [xn, e3])
    return {"row_exponent": [dx, de], "scalar_base_f64": [dbase, de2],
            "negative_base": [dxn, de3]}


def case_grad_unary_math(tf):
    return {"sqrt": _unary(tf, tf.sqrt, POS23),
            "rsqrt": _unary(tf, tf.rsqrt, POS23),
            "exp": _unary(tf, tf.exp, A23),
            "log_f64": _unary(tf, tf.log, POS23, "float64"),
            "abs_with_zeros": _unary(tf, tf.abs, [[-1.0, 0.0, 2.0], [3.0, -0.5, 0.0]]),
            "square": _unary(tf, tf.square, A23),
            "negative": _unary(tf, tf.negative, A23),
            "neg_operator": _unary(tf, lambda t: -t, A23),
            "identity": _unary(tf, tf.identity, A23)}


def case_grad_tanh_sigmoid(tf):
    return {"tanh": _unary(tf, tf.tanh, A23),
            "sigmoid": _unary(tf, tf.sigmoid, A23),
            "nn_sigmoid_f64": _unary(tf, tf.nn.sigmoid, A23, "float64"),
            "nn_tanh_f64": _unary(tf, tf.nn.tanh, A23, "float64")}


def case_grad_cast(tf):
    x = _const(tf, A23)
    y = tf.cast(x, tf.float64)
    x64 = _const(tf, B3, "float64")
    y32 = tf.cast(x64, tf.float32) * 2.0
    return {"f32_to_f64": _grads(tf, _weighted(tf, y, "float64"), [x])[0],
            "f64_to_f32": _grads(tf, tf.reduce_sum(y32), [x64])[0]}


def case_grad_squared_difference(tf):
    a = _const(tf, A23)
    b = _const(tf, B3)
    da, db = _grads(tf, _weighted(tf, tf.squared_difference(a, b)), [a, b])
    return {"da": da, "db": db}


# ---- neural-net ops -------------------------------------------------------------------------

_ACT = np.array([[-2.0, 0.0, 0.5], [6.0, 7.0, -0.25]])  # exact 0 and 6 for relu/relu6


def case_grad_relu_at_zero(tf):
    return _unary(tf, tf.nn.relu, _ACT)


def case_grad_relu6(tf):
    return _unary(tf, tf.nn.relu6, _ACT)


def case_grad_elu(tf):
    return _unary(tf, tf.nn.elu, _ACT)


def case_grad_softplus(tf):
    return _unary(tf, tf.nn.softplus, _ACT)


def case_grad_softmax(tf):
    return _unary(tf, tf.nn.softmax, A23)


def case_grad_log_softmax(tf):
    return _unary(tf, tf.nn.log_softmax, A23)


def case_grad_bias_add(tf):
    x = _const(tf, A23)
    b = _const(tf, B3)
    dx, db = _grads(tf, _weighted(tf, tf.nn.bias_add(x, b)), [x, b])
    return {"dx": dx, "db": db}


_LOGITS = np.array([[2.0, 1.0, 0.1], [0.5, 2.5, -1.0]])
_ONEHOT = np.array([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]])
_SOFT_LABELS = np.array([[0.7, 0.2, 0.1], [0.1, 0.3, 0.6]])


def case_grad_softmax_ce_v1(tf):
    logits = _const(tf, _LOGITS)
    labels = _const(tf, _SOFT_LABELS)
    loss = tf.nn.softmax_cross_entropy_with_logits(labels=labels, logits=logits)
    w = _const(tf, [1.0, 2.0])
    value = _run(tf, loss)
    dlogits, dlabels = _grads(tf, tf.reduce_sum(loss * w), [logits, labels])
    return {"loss": value, "dlogits": dlogits, "dlabels": dlabels}


def case_grad_softmax_ce_v2(tf):
    logits = _const(tf, _LOGITS)
    labels = _const(tf, _SOFT_LABELS)
    loss = tf.nn.softmax_cross_entropy_with_logits_v2(labels=labels, logits=logits)
    value = _run(tf, loss)
    dlogits, dlabels = _grads(tf, tf.reduce_mean(loss), [logits, labels])
    return {"loss": value, "dlogits": dlogits, "dlabels": dlabels}


def case_grad_sparse_softmax_ce(tf):
    logits = _const(tf, _LOGITS)
    labels = tf.constant([0, 2])
    loss = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits)
    value = _run(tf, loss)
    dlogits, dlabels = _grads(tf, tf.reduce_sum(loss * _const(tf, [1.0, 3.0])), [logits, labels])
    return {"loss": value, "dlogits": dlogits, "dlabels": dlabels}


def case_grad_sigmoid_ce(tf):
    logits = _const(tf, _LOGITS)
    labels = _const(tf, [[1.0, 0.0, 0.5], [0.0, 1.0, 1.0]])
    loss = tf.nn.sigmoid_cross_entropy_with_logits(labels=labels, logits=logits)
    value = _run(tf, loss)
    dlogits, dlabels = _grads(tf, _weighted(tf, loss), [logits, labels])
    return {"loss": value, "dlogits": dlogits, "dlabels": dlabels}


def case_grad_l2_loss(tf):
    x = _const(tf, A23)
    y = tf.nn.l2_loss(x)
    x64 = _const(tf, B3, "float64")
    return {"value": _run(tf, y), "dx": _grads(tf, y * 3.0, [x])[0],
            "dx64": _grads(tf, tf.nn.l2_loss(x64), [x64])[0]}


# ---- tf.gradients API ------------------------------------------------------------------------

def case_grad_stop_gradient(tf):
    x = _const(tf, A23)
    s = tf.stop_gradient(x)
    y = tf.reduce_sum(s * x)
    only_stopped = tf.reduce_sum(tf.stop_gradient(x * 2.0))
    return {"through_other_path": _grads(tf, y, [x])[0],
            "only_stopped": _grads(tf, only_stopped, [x])}


def case_grad_unconnected_none(tf):
    x = _const(tf, 1.0)
    z = _const(tf, 2.0)
    y = x * 3.0
    return {"grads": _grads(tf, y, [x, z]), "single": _grads(tf, y, z)}


def case_grad_several_ys_summed(tf):
    a = tf.constant(5.0, name="a")
    b = tf.constant(7.0, name="b")
    eqn = a + 2 * b
    eqn2 = a * b + b
    return {"eqn": _grads(tf, eqn, [a, b]),
            "eqn2": _grads(tf, eqn2, [a, b]),
            "both": _grads(tf, [eqn, eqn2], [a, b]),
            "wrt_b_only": _grads(tf, eqn, b)}


def case_grad_grad_ys(tf):
    x = _const(tf, A23)
    y = x * x
    gy = _const(tf, C23)
    a = _const(tf, 3.0)
    out = {"grad_ys": _grads(tf, y, [x], grad_ys=gy)[0],
           "two_ys": _grads(tf, [y, x * a], [x, a],
                            grad_ys=[gy, _const(tf, np.ones((2, 3)) * 2.0)])}
    return out


def case_grad_fan_in(tf):
    x = _const(tf, [1.0, -2.0, 3.0])
    y = x * x * x + tf.sin(x) * x + tf.exp(x)
    return {"dx": _grads(tf, tf.reduce_sum(y), [x])[0]}


def case_grad_xs_is_intermediate(tf):
    x = _const(tf, A23)
    h = x * 2.0
    y = tf.reduce_sum(h * h)
    dh, dx = _grads(tf, y, [h, x])
    return {"dh": dh, "dx": dx}


def case_grad_second_derivative_cube(tf):
    x = tf.constant(2.0)
    y = x ** 3
    g1 = tf.gradients(y, x)[0]
    g2 = tf.gradients(g1, x)[0]
    g3 = tf.gradients(g2, x)[0]
    return {"dy": _run(tf, g1), "d2y": _run(tf, g2), "d3y": _run(tf, g3)}


def case_grad_second_derivative_cube_mul(tf):
    x = _const(tf, [1.0, -2.0, 0.5])
    y = tf.reduce_sum(x * x * x)
    g1 = tf.gradients(y, x)[0]
    g2 = tf.gradients(tf.reduce_sum(g1), x)[0]
    return {"dy": _run(tf, g1), "d2y": _run(tf, g2)}


def case_grad_second_derivative_activations(tf):
    out = {}
    for name, fn in [("tanh", tf.tanh), ("sigmoid", tf.sigmoid), ("exp", tf.exp),
                     ("log", tf.log), ("sqrt", tf.sqrt), ("square", tf.square),
                     ("relu", tf.nn.relu)]:
        x = _const(tf, [0.5, 1.0, 2.0], "float64")
        g1 = tf.gradients(tf.reduce_sum(fn(x)), x)[0]
        g2 = tf.gradients(tf.reduce_sum(g1), x)[0]
        out[name] = _run(tf, [g1, g2])
    return out


def case_grad_mixed_partial(tf):
    x = tf.constant(1.5)
    y = tf.constant(-2.0)
    f = x * x * y + tf.sin(y)
    dfdx = tf.gradients(f, x)[0]
    d2 = tf.gradients(dfdx, [x, y])
    return {"dfdx": _run(tf, dfdx), "d2f": _run(tf, d2)}


def case_grad_variable_and_placeholder(tf):
    w = tf.Variable(np.array([[1.0, 2.0], [3.0, 4.0]], dtype=np.float32), name="w")
    x = tf.placeholder(tf.float32, shape=(None, 2))
    y = tf.reduce_mean(tf.square(tf.matmul(x, w)))
    dw, dx = tf.gradients(y, [w, x])
    feed = {x: np.array([[1.0, -1.0], [0.5, 2.0], [0.0, 1.0]], dtype=np.float32)}
    return {"dw": _run(tf, dw, feed), "dx": _run(tf, dx, feed)}


def case_grad_placeholder_unknown_shape(tf):
    a = tf.placeholder(tf.float32)
    b = tf.placeholder(tf.float32)
    y = tf.reduce_sum(a * b + a / b)
    feed = {a: np.array([[1.0, 2.0, 3.0]], np.float32), b: np.array([2.0, -4.0, 0.5], np.float32)}
    return {"grads": _grads(tf, y, [a, b], feed)}


def case_grad_two_layer_net(tf):
    # seed 001's "silly" network, small and with literal data
    rs = np.random.RandomState(3)
    xv, yv = rs.randn(4, 5), rs.randn(4, 5)
    w1v, w2v = rs.randn(5, 3), rs.randn(3, 5)
    x = tf.placeholder(tf.float32, shape=(4, 5))
    y = tf.placeholder(tf.float32, shape=(4, 5))
    w1 = tf.placeholder(tf.float32, shape=(5, 3))
    w2 = tf.placeholder(tf.float32, shape=(3, 5))
    h = tf.maximum(tf.matmul(x, w1), 0)
    y_pred = tf.matmul(h, w2)
    diff = y_pred - y
    loss = tf.reduce_mean(tf.reduce_sum(diff ** 2, axis=1))
    grad_w1, grad_w2 = tf.gradients(loss, [w1, w2])
    with tf.Session() as sess:
        out = sess.run([loss, grad_w1, grad_w2], feed_dict={x: xv, y: yv, w1: w1v, w2: w2v})
    return {"loss": out[0], "grad_w1": out[1], "grad_w2": out[2]}


def case_grad_returned_names_and_dtypes(tf):
    a = tf.placeholder(tf.float32, (2, 3), name="a")
    w = tf.placeholder(tf.float32, (3, 4), name="w")
    y = tf.matmul(a, w)
    ga, gw = tf.gradients(y, [a, w])
    x64 = tf.placeholder(tf.float64, (2,), name="x64")
    g64 = tf.gradients(tf.tanh(x64), x64)[0]
    return {"names": [ga.name, gw.name, g64.name],
            "dtypes": [ga.dtype.name, gw.dtype.name, g64.dtype.name],
            "shapes": [ga.shape.as_list(), gw.shape.as_list()]}


def case_grad_name_scope_counter(tf):
    x = tf.placeholder(tf.float32, (2,), name="x")
    y = tf.sigmoid(x)
    g1 = tf.gradients(y, x)[0]
    g2 = tf.gradients(y, x)[0]
    g3 = tf.gradients(y, x, name="my_grads")[0]
    return [g1.name, g2.name, g3.name]


# ---- gradient node names (only where TF 2.21 matches the classic form) -----------------------

def case_grad_names_matmul(tf):
    out = {}
    for ta in [False, True]:
        for tb in [False, True]:
            tf.reset_default_graph()
            a = tf.placeholder(tf.float32, (3, 2) if ta else (2, 3))
            b = tf.placeholder(tf.float32, (4, 3) if tb else (3, 4))
            ga, gb = tf.gradients(tf.matmul(a, b, transpose_a=ta, transpose_b=tb), [a, b])
            out[f"ta={ta} tb={tb}"] = {"ops": _grad_rule_names(tf, "MatMul_grad/"),
                                       "grads": [ga.name, gb.name]}
    return out


def case_grad_names_unary(tf):
    fns = [("Sigmoid", tf.sigmoid), ("Tanh", tf.tanh), ("Relu", tf.nn.relu),
           ("Relu6", tf.nn.relu6), ("Elu", tf.nn.elu), ("Exp", tf.exp), ("Log", tf.log),
           ("Neg", tf.negative), ("Sqrt", tf.sqrt), ("Rsqrt", tf.rsqrt), ("Abs", tf.abs),
           ("Cast", lambda t: tf.cast(t, tf.float64)), ("L2Loss", tf.nn.l2_loss)]
    out = {}
    for op_type, fn in fns:
        tf.reset_default_graph()
        x = tf.placeholder(tf.float32, (2, 3))
        g = tf.gradients(fn(x), x)[0]
        out[op_type] = {"ops": _grad_rule_names(tf, op_type + "_grad/"), "grad": g.name}
    return out


def case_grad_names_shape_ops(tf):
    out = {}
    tf.reset_default_graph()
    x = tf.placeholder(tf.float32, (2, 3))
    g = tf.gradients(tf.reshape(x, [3, 2]), x)[0]
    out["Reshape"] = {"ops": _grad_rule_names(tf, "Reshape_grad/"), "grad": g.name}
    tf.reset_default_graph()
    x = tf.placeholder(tf.float32, (2, 3))
    g = tf.gradients(tf.transpose(x), x)[0]
    out["transpose"] = {"ops": _grad_rule_names(tf, "transpose_grad/"), "grad": g.name}
    tf.reset_default_graph()
    x = tf.placeholder(tf.float32, (2, 3))
    b = tf.placeholder(tf.float32, (3,))
    gb = tf.gradients(tf.nn.bias_add(x, b), [x, b])[1]  # dx is the walk's seed itself
    out["BiasAdd"] = {"ops": _grad_rule_names(tf, "BiasAdd_grad/"), "grad": gb.name}
    return out


def case_grad_names_dense_chain(tf):
    # the typical layer: relu(x @ W + b) with bias_add; every rule here keeps its classic names
    x = tf.placeholder(tf.float32, (4, 3), name="x")
    w = tf.Variable(np.ones((3, 2), np.float32), name="W")
    b = tf.Variable(np.zeros(2, np.float32), name="b")
    h = tf.nn.relu(tf.nn.bias_add(tf.matmul(x, w), b))
    y = tf.sigmoid(h)
    gw, gb = tf.gradients(y, [w, b])
    names = [o.name for o in tf.get_default_graph().get_operations()
             if o.name.startswith("gradients/") and "_grad/" in o.name]
    return {"ops": names, "grads": [gw.name, gb.name]}


def case_grad_names_fan_in_addn(tf):
    # two ys that both reach x: the fan-in is summed by gradients/AddN
    x = tf.placeholder(tf.float32, (2,), name="x")
    g = tf.gradients([tf.sigmoid(x), tf.tanh(x)], x)[0]
    return {"grad": g.name, "type": g.op.type,
            "inputs": [t.name for t in g.op.inputs]}


# ---- optimizers: a small problem ----------------------------------------------------------

_W0 = np.array([[0.5, -0.3, 0.8], [-0.2, 0.4, 0.1]], dtype=np.float32)
_B0 = np.array([0.1, -0.2], dtype=np.float32)
_X = np.array([[1.0, 0.5, -1.0, 2.0], [0.0, -1.0, 1.5, 0.5], [2.0, 1.0, 0.0, -0.5]],
              dtype=np.float32)   # (3, 4): four samples as columns
_Y = np.array([[1.0, 0.0, -1.0, 2.0], [0.5, 1.5, 0.0, -1.0]], dtype=np.float32)


def _problem(tf):
    W = tf.Variable(_W0, name="W")
    b = tf.Variable(_B0, name="b")
    pred = tf.matmul(W, tf.constant(_X)) + tf.reshape(b, [2, 1])
    loss = tf.reduce_sum((pred - tf.constant(_Y)) ** 2) + tf.reduce_sum(b ** 2)
    return W, b, loss


def _trajectory(tf, opt, steps=10):
    W, b, loss = _problem(tf)
    train = opt.minimize(loss)
    out = {"W": [], "b": [], "loss": []}
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(steps):
            lv = sess.run(loss)
            sess.run(train)
            wv, bv = sess.run([W, b])
            out["loss"].append(lv)
            out["W"].append(wv)
            out["b"].append(bv)
        slots = {}
        for name in opt.get_slot_names():
            for var in [W, b]:
                slot = opt.get_slot(var, name)
                slots[slot.op.name] = sess.run(slot)
        out["slots"] = slots
        out["final_loss"] = sess.run(loss)
    return out


def case_opt_gradient_descent_trajectory(tf):
    return _trajectory(tf, tf.train.GradientDescentOptimizer(0.01))


def case_opt_momentum_trajectory(tf):
    return _trajectory(tf, tf.train.MomentumOptimizer(0.01, momentum=0.9))


def case_opt_momentum_nesterov_trajectory(tf):
    return _trajectory(tf, tf.train.MomentumOptimizer(0.01, 0.9, use_nesterov=True))


def case_opt_adagrad_trajectory(tf):
    return _trajectory(tf, tf.train.AdagradOptimizer(0.1))


def case_opt_adagrad_initial_accumulator_trajectory(tf):
    return _trajectory(tf, tf.train.AdagradOptimizer(0.1, initial_accumulator_value=1.0))


def case_opt_rmsprop_trajectory(tf):
    return _trajectory(tf, tf.train.RMSPropOptimizer(0.01))


def case_opt_rmsprop_momentum_trajectory(tf):
    return _trajectory(tf, tf.train.RMSPropOptimizer(0.01, decay=0.8, momentum=0.5))


def case_opt_rmsprop_centered_trajectory(tf):
    return _trajectory(tf, tf.train.RMSPropOptimizer(0.01, momentum=0.9, centered=True))


def case_opt_adam_trajectory(tf):
    return _trajectory(tf, tf.train.AdamOptimizer(0.05))


def case_opt_adam_custom_betas_trajectory(tf):
    return _trajectory(tf, tf.train.AdamOptimizer(0.02, beta1=0.5, beta2=0.9, epsilon=1e-3))


def _names_after_minimize(tf, opt):
    W, b, loss = _problem(tf)
    before = _op_names(tf)
    train = opt.minimize(loss)
    new_ops = [n for n in _new_names(tf, before)
               if not n.startswith("gradients") and "/Initializer/" not in n]
    slots = {}
    for name in opt.get_slot_names():
        slots[name] = [opt.get_slot(W, name).name, opt.get_slot(b, name).name]
    g = tf.get_default_graph()
    return {"global_variables": [v.name for v in tf.global_variables()],
            "trainable_variables": [v.name for v in tf.trainable_variables()],
            "variable_dtypes": [v.dtype.base_dtype.name for v in tf.global_variables()],
            "slot_names": sorted(opt.get_slot_names()),
            "slots": slots,
            "optimizer_ops": [[n, g.get_operation_by_name(n).type] for n in new_ops],
            "train_op": [train.name, train.type],
            "opt_name": opt.get_name()}


def case_opt_names_gradient_descent(tf):
    return _names_after_minimize(tf, tf.train.GradientDescentOptimizer(0.1))


def case_opt_names_momentum(tf):
    return _names_after_minimize(tf, tf.train.MomentumOptimizer(0.1, 0.9))


def case_opt_names_adagrad(tf):
    return _names_after_minimize(tf, tf.train.AdagradOptimizer(0.1))


def case_opt_names_rmsprop(tf):
    return _names_after_minimize(tf, tf.train.RMSPropOptimizer(0.1))


def case_opt_names_rmsprop_centered(tf):
    return _names_after_minimize(tf, tf.train.RMSPropOptimizer(0.1, centered=True))


def case_opt_names_adam(tf):
    return _names_after_minimize(tf, tf.train.AdamOptimizer(0.1))


def case_opt_names_custom_name(tf):
    return _names_after_minimize(tf, tf.train.GradientDescentOptimizer(0.1, name="SGD"))


def case_opt_compute_gradients_order(tf):
    W, b, loss = _problem(tf)
    c = tf.Variable(3.0, name="c")         # not connected to the loss
    opt = tf.train.GradientDescentOptimizer(0.1)
    gv = opt.compute_gradients(loss)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        values = sess.run([g for g, _ in gv if g is not None])
    del c
    return {"vars": [v.name for _, v in gv],
            "grad_is_none": [g is None for g, _ in gv],
            "W_grad_name": gv[0][0].name,
            "grad_values": values}


def case_opt_compute_gradients_var_list(tf):
    W, b, loss = _problem(tf)
    opt = tf.train.GradientDescentOptimizer(0.1)
    gv = opt.compute_gradients(loss, var_list=[b])
    return {"vars": [v.name for _, v in gv], "grad": _run(tf, gv[0][0])}


def case_opt_apply_gradients_manual(tf):
    W, b, loss = _problem(tf)
    opt = tf.train.GradientDescentOptimizer(0.05)
    gv = opt.compute_gradients(loss)
    clipped = [(tf.clip_by_value(g, -1.0, 1.0), v) for g, v in gv]
    train = opt.apply_gradients(clipped)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(3):
            sess.run(train)
        return {"W": sess.run(W), "b": sess.run(b), "train_op": [train.name, train.type]}


def case_opt_minimize_var_list(tf):
    W, b, loss = _problem(tf)
    opt = tf.train.GradientDescentOptimizer(0.01)
    train = opt.minimize(loss, var_list=[W])
    ops = [o.name for o in tf.get_default_graph().get_operations()
           if o.name.startswith("GradientDescent")]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(3):
            sess.run(train)
        return {"W": sess.run(W), "b": sess.run(b), "ops": ops}


def case_opt_minimize_global_step(tf):
    W, b, loss = _problem(tf)
    gs = tf.Variable(0, name="global_step", trainable=False)
    opt = tf.train.GradientDescentOptimizer(0.01)
    before = _op_names(tf)
    train = opt.minimize(loss, global_step=gs)
    new = [n for n in _new_names(tf, before) if not n.startswith("gradients")]
    g = tf.get_default_graph()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(3):
            sess.run(train)
        return {"global_step": sess.run(gs), "W": sess.run(W),
                "train_op": [train.name, train.type],
                "ops": [[n, g.get_operation_by_name(n).type] for n in new]}


def case_opt_minimize_get_or_create_global_step(tf):
    gs = tf.train.get_or_create_global_step()
    W, b, loss = _problem(tf)
    train = tf.train.AdamOptimizer(0.05).minimize(loss, global_step=gs)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        steps = []
        for _ in range(3):
            sess.run(train)
            steps.append(sess.run(gs))
        return {"steps": steps, "train_op": [train.name, train.type],
                "global_variables": [v.name for v in tf.global_variables()]}


def case_opt_get_or_create_global_step(tf):
    gs = tf.train.get_or_create_global_step()
    gs2 = tf.train.get_or_create_global_step()
    gs3 = tf.train.get_global_step()
    return {"name": gs.name, "dtype_name": gs.dtype.base_dtype.name, "same": gs is gs2,
            "same_get": gs3 is gs, "static_shape": gs.shape.as_list(),
            "value": _run(tf, gs), "trainable": [v.name for v in tf.trainable_variables()],
            "collection": [v.name for v in tf.get_collection(tf.GraphKeys.GLOBAL_STEP)]}


def case_opt_learning_rate_placeholder(tf):
    W, b, loss = _problem(tf)
    lr = tf.placeholder(tf.float32, shape=[], name="lr")
    train = tf.train.GradientDescentOptimizer(lr).minimize(loss)
    out = []
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for rate in [0.01, 0.0, 0.02]:
            sess.run(train, feed_dict={lr: rate})
            out.append(sess.run(b))
    return out


def case_opt_learning_rate_tensor_momentum(tf):
    W, b, loss = _problem(tf)
    lr = tf.placeholder(tf.float32, shape=[])
    opt = tf.train.MomentumOptimizer(lr, momentum=0.5)
    train = opt.minimize(loss)
    out = []
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for rate in [0.01, 0.005, 0.01]:
            sess.run(train, feed_dict={lr: rate})
            out.append(sess.run(W))
    return out


def case_opt_exponential_decay(tf):
    gs = tf.placeholder(tf.int64, shape=[])
    smooth = tf.train.exponential_decay(0.1, gs, decay_steps=10, decay_rate=0.5)
    stair = tf.train.exponential_decay(0.1, gs, 10, 0.5, staircase=True)
    out = {"smooth": [], "staircase": []}
    with tf.Session() as sess:
        for step in [0, 1, 5, 9, 10, 15, 20, 35, 100]:
            a, s = sess.run([smooth, stair], feed_dict={gs: step})
            out["smooth"].append(a)
            out["staircase"].append(s)
    out["dtype_name"] = smooth.dtype.name
    return out


def case_opt_exponential_decay_with_global_step(tf):
    gs = tf.train.get_or_create_global_step()
    lr = tf.train.exponential_decay(0.5, gs, 3, 0.9, staircase=True)
    W, b, loss = _problem(tf)
    train = tf.train.GradientDescentOptimizer(lr).minimize(loss * 0.01, global_step=gs)
    rates = []
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(7):
            rates.append(sess.run(lr))
            sess.run(train)
        rates.append(sess.run(lr))
        return {"rates": rates, "step": sess.run(gs), "b": sess.run(b)}


def case_opt_no_gradients_error(tf):
    v = tf.Variable(1.0, name="v")
    c = tf.constant(2.0)
    loss = c * c
    opt = tf.train.GradientDescentOptimizer(0.1)
    del v
    return {"minimize": catch(lambda: opt.minimize(loss)),
            "no_variables": catch(lambda: tf.train.GradientDescentOptimizer(0.1).minimize(
                loss, var_list=[]))}


def case_opt_apply_gradients_all_none_error(tf):
    v = tf.Variable(1.0, name="v")
    opt = tf.train.GradientDescentOptimizer(0.1)
    return {"apply_none": catch(lambda: opt.apply_gradients([(None, v)]))}


def case_opt_two_optimizers_names(tf):
    # the seed's x*x graph: GD then Adam on the same loss (gradient-rule internals left out)
    x = tf.Variable(5.0)
    loss = x * x
    gd = tf.train.GradientDescentOptimizer(learning_rate=0.1).minimize(loss)
    adam = tf.train.AdamOptimizer(learning_rate=0.1).minimize(loss)

    def keep(name):
        if "/Initializer/" in name:
            return False
        if name.split("/")[0] in ("gradients", "gradients_1"):
            return name.endswith("/AddN") or "/tuple/" in name
        return True
    names = [[o.name, o.type] for o in tf.get_default_graph().get_operations() if keep(o.name)]
    return {"ops": names, "train_ops": [gd.name, adam.name],
            "vars": [v.name for v in tf.global_variables()]}


# ---- losses -------------------------------------------------------------------------------

_LAB = np.array([[1.0, 0.0, 2.0], [0.5, -1.0, 3.0]], dtype=np.float32)
_PRED = np.array([[0.8, 0.3, 2.5], [0.0, -1.5, 2.0]], dtype=np.float32)
_W2 = np.array([[1.0], [0.0]], dtype=np.float32)
_W23 = np.array([[1.0, 2.0, 0.0], [0.5, 0.0, 3.0]], dtype=np.float32)


def _loss_case(tf, fn, labels, preds):
    lab = tf.constant(labels)
    pred = tf.constant(preds)
    out = {}
    for key, w in [("plain", 1.0), ("scalar_w", 2.0), ("col_w", _W2), ("full_w", _W23)]:
        weights = w if np.isscalar(w) else tf.constant(w)
        out[key] = _run(tf, fn(lab, pred, weights=weights))
    for red in ["NONE", "SUM", "MEAN", "SUM_OVER_BATCH_SIZE", "SUM_BY_NONZERO_WEIGHTS"]:
        out["reduction_" + red] = _run(tf, fn(lab, pred, weights=tf.constant(_W23),
                                              reduction=getattr(tf.losses.Reduction, red)))
    return out


def case_loss_mean_squared_error(tf):
    return _loss_case(tf, tf.losses.mean_squared_error, _LAB, _PRED)


def case_loss_absolute_difference(tf):
    return _loss_case(tf, tf.losses.absolute_difference, _LAB, _PRED)


def case_loss_log_loss(tf):
    lab = np.array([[1.0, 0.0, 1.0], [0.0, 1.0, 1.0]], dtype=np.float32)
    pred = np.array([[0.9, 0.2, 0.6], [0.3, 0.99, 1.0]], dtype=np.float32)
    out = _loss_case(tf, tf.losses.log_loss, lab, pred)
    out["epsilon"] = _run(tf, tf.losses.log_loss(tf.constant(lab), tf.constant(pred),
                                                 epsilon=0.1))
    return out


def case_loss_sigmoid_cross_entropy(tf):
    lab = np.array([[1.0, 0.0, 1.0], [0.0, 1.0, 1.0]], dtype=np.float32)
    logits = _LOGITS.astype(np.float32)
    out = {}
    for key, w in [("plain", 1.0), ("scalar_w", 2.0), ("col_w", _W2), ("full_w", _W23)]:
        weights = w if np.isscalar(w) else tf.constant(w)
        out[key] = _run(tf, tf.losses.sigmoid_cross_entropy(tf.constant(lab), tf.constant(logits),
                                                            weights=weights))
    out["label_smoothing"] = _run(tf, tf.losses.sigmoid_cross_entropy(
        tf.constant(lab), tf.constant(logits), label_smoothing=0.2))
    return out


def case_loss_softmax_cross_entropy(tf):
    onehot = tf.constant(_ONEHOT.astype(np.float32))
    logits = tf.constant(_LOGITS.astype(np.float32))
    return {"plain": _run(tf, tf.losses.softmax_cross_entropy(onehot, logits)),
            "weights": _run(tf, tf.losses.softmax_cross_entropy(
                onehot, logits, weights=tf.constant([2.0, 0.5]))),
            "label_smoothing": _run(tf, tf.losses.softmax_cross_entropy(
                onehot, logits, label_smoothing=0.1)),
            "none": _run(tf, tf.losses.softmax_cross_entropy(
                onehot, logits, reduction=tf.losses.Reduction.NONE))}


def case_loss_sparse_softmax_cross_entropy(tf):
    labels = tf.constant([0, 2])
    logits = tf.constant(_LOGITS.astype(np.float32))
    return {"plain": _run(tf, tf.losses.sparse_softmax_cross_entropy(labels, logits)),
            "weights": _run(tf, tf.losses.sparse_softmax_cross_entropy(
                labels, logits, weights=tf.constant([2.0, 0.0]))),
            "scalar_w": _run(tf, tf.losses.sparse_softmax_cross_entropy(labels, logits, 3.0))}


def case_loss_names_and_collection(tf):
    lab = tf.constant(_LAB)
    pred = tf.constant(_PRED)
    l1 = tf.losses.mean_squared_error(lab, pred)
    l2 = tf.losses.absolute_difference(lab, pred)
    l3 = tf.losses.mean_squared_error(lab, pred, loss_collection=None)
    l4 = tf.losses.softmax_cross_entropy(tf.constant(_ONEHOT.astype(np.float32)),
                                         tf.constant(_LOGITS.astype(np.float32)))
    total = tf.losses.get_total_loss(add_regularization_losses=False)
    return {"names": [l1.name, l2.name, l3.name, l4.name],
            "collection": [t.name for t in tf.get_collection(tf.GraphKeys.LOSSES)],
            "get_losses": [t.name for t in tf.losses.get_losses()],
            "total": _run(tf, total),
            "shapes": [l1.shape.as_list(), l4.shape.as_list()]}


def case_loss_op_scopes(tf):
    """Each loss builds its ops under its own name scope and ends in '<scope>/value'."""
    lab, pred = tf.constant(_LAB), tf.constant(_PRED)
    p01 = tf.constant(np.array([[0.9, 0.2, 0.6], [0.3, 0.99, 1.0]], dtype=np.float32))
    onehot = tf.constant(_ONEHOT.astype(np.float32))
    logits = tf.constant(_LOGITS.astype(np.float32))
    out = {}
    for key, fn in [("mse", lambda: tf.losses.mean_squared_error(lab, pred)),
                    ("abs", lambda: tf.losses.absolute_difference(lab, pred)),
                    ("log", lambda: tf.losses.log_loss(onehot, p01)),
                    ("sigmoid", lambda: tf.losses.sigmoid_cross_entropy(onehot, logits)),
                    ("softmax", lambda: tf.losses.softmax_cross_entropy(onehot, logits)),
                    ("sparse", lambda: tf.losses.sparse_softmax_cross_entropy([0, 2], logits)),
                    ("mse_again", lambda: tf.losses.mean_squared_error(lab, pred))]:
        before = _op_names(tf)
        t = fn()
        names = _new_names(tf, before)
        scope = t.op.name.split("/")[0]
        out[key] = {"tensor": t.name, "first": names[0],
                    "all_in_scope": all(n.startswith(scope + "/") for n in names)}
    return out


def case_loss_mse_grad(tf):
    lab = tf.constant(_LAB)
    pred = tf.Variable(_PRED, name="pred")
    loss = tf.losses.mean_squared_error(lab, pred, weights=tf.constant(_W23))
    return {"dpred": _run(tf, tf.gradients(loss, pred)[0])}


def case_loss_seed_argument_order(tf):
    # seed 001 calls tf.losses.mean_squared_error(y_pred, y): labels=y_pred, predictions=y
    y_pred = tf.constant(_PRED)
    y = tf.constant(_LAB)
    a = tf.losses.mean_squared_error(y_pred, y)
    b = tf.losses.mean_squared_error(labels=y, predictions=y_pred)
    return _run(tf, [a, b])


# ---- layers -------------------------------------------------------------------------------

_LX = np.array([[1.0, -2.0, 0.5], [0.0, 1.0, 3.0]], dtype=np.float32)
_LK = np.array([[0.1, -0.2, 0.3, 0.4], [0.5, 0.6, -0.7, 0.8], [-0.9, 1.0, 1.1, -1.2]],
               dtype=np.float32)


def case_layers_dense_names(tf):
    x = tf.placeholder(tf.float32, (None, 3), name="x")
    y1 = tf.layers.dense(x, 4)
    y2 = tf.layers.dense(y1, 2)
    y3 = tf.layers.dense(x, 5, name="out")
    return {"vars": [v.name for v in tf.global_variables()],
            "trainable": [v.name for v in tf.trainable_variables()],
            "shapes": [v.shape.as_list() for v in tf.global_variables()],
            "outputs": [y1.name, y2.name, y3.name],
            "output_shapes": [y1.shape.as_list(), y2.shape.as_list(), y3.shape.as_list()]}


def case_layers_dense_value(tf):
    x = tf.constant(_LX)
    y = tf.layers.dense(x, 4, kernel_initializer=tf.constant_initializer(_LK),
                        bias_initializer=tf.constant_initializer([0.1, 0.2, -0.3, 0.0]))
    return {"y": _run(tf, y), "name": y.name}


def case_layers_dense_default_bias_zero(tf):
    x = tf.constant(_LX)
    y = tf.layers.dense(x, 4, kernel_initializer=tf.constant_initializer(_LK))
    bias = [v for v in tf.global_variables() if v.name == "dense/bias:0"][0]
    return {"y": _run(tf, y), "bias": _run(tf, bias)}


def case_layers_dense_relu(tf):
    x = tf.constant(_LX)
    y = tf.layers.dense(inputs=x, units=4, activation=tf.nn.relu,
                        kernel_initializer=tf.constant_initializer(_LK))
    return {"y": _run(tf, y), "name": y.name}


def case_layers_dense_no_bias(tf):
    x = tf.constant(_LX)
    y = tf.layers.dense(x, 4, use_bias=False, kernel_initializer=tf.constant_initializer(_LK))
    return {"y": _run(tf, y), "name": y.name, "vars": [v.name for v in tf.global_variables()]}


def case_layers_dense_glorot(tf):
    # the seed's tf.contrib.layers.xavier_initializer(); TF 2.21 has no tf.contrib
    x = tf.placeholder(tf.float32, (None, 6))
    init = tf.glorot_uniform_initializer()
    h = tf.layers.dense(inputs=x, units=5, activation=tf.nn.relu, kernel_initializer=init)
    y = tf.layers.dense(inputs=h, units=6, kernel_initializer=init)
    kernel = [v for v in tf.global_variables() if v.name == "dense/kernel:0"][0]
    kv = _run(tf, kernel)
    limit = np.sqrt(6.0 / (6 + 5))
    return {"in_range": bool(np.all(np.abs(kv) <= limit)), "kernel_shape": list(kv.shape),
            "outputs": [h.name, y.name], "vars": [v.name for v in tf.global_variables()]}


def case_layers_dense_training(tf):
    x = tf.constant(_LX)
    t = tf.constant(np.array([[1.0, 0.0], [0.0, 1.0]], dtype=np.float32))
    h = tf.layers.dense(x, 4, activation=tf.nn.relu,
                        kernel_initializer=tf.constant_initializer(_LK))
    y = tf.layers.dense(h, 2, kernel_initializer=tf.constant_initializer(
        np.array([[0.5, -0.5], [0.25, 0.75], [-1.0, 0.5], [0.3, 0.2]], dtype=np.float32)))
    loss = tf.losses.mean_squared_error(t, y)
    train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    losses = []
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(5):
            lv = sess.run(loss)
            sess.run(train)
            losses.append(lv)
        return {"losses": losses, "y": sess.run(y)}


def case_layers_flatten(tf):
    x = tf.placeholder(tf.float32, (None, 2, 3), name="x")
    f = tf.layers.flatten(x)
    c = tf.layers.flatten(tf.constant(np.arange(24.0, dtype=np.float32).reshape(2, 3, 4)))
    return {"static_shape": f.shape.as_list(), "name": f.name, "value": _run(tf, c),
            "static_shape_const": c.shape.as_list()}


def case_layers_dropout_inference(tf):
    x = tf.constant(_LX)
    y = tf.layers.dropout(x, rate=0.5, training=False)
    y2 = tf.layers.dropout(x)  # training defaults to False
    return {"y": _run(tf, y), "y2": _run(tf, y2)}


# ---- the seeds' numbers ---------------------------------------------------------------------

def case_seed_neuron(tf):
    x = tf.constant(1.0, name="input")
    w = tf.Variable(0.8, name="weight")
    y = tf.multiply(w, x, name="output")
    y_ = tf.constant(0.0, name="correct_value")
    loss = (y - y_) ** 2
    optim = tf.train.GradientDescentOptimizer(learning_rate=0.025)
    grads_and_vars = optim.compute_gradients(loss)
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    grad = sess.run(grads_and_vars[0][0])
    sess.run(optim.apply_gradients(grads_and_vars))
    w1 = sess.run(w)
    train_step = tf.train.GradientDescentOptimizer(0.025).minimize(loss)
    for _ in range(100):
        sess.run(train_step)
    y100 = sess.run(y)
    sess.close()
    return {"grad": grad, "w_after_apply": w1, "y_after_100": y100,
            "vars": [v.name for _, v in grads_and_vars]}


def case_seed_neuron_pow_loss(tf):
    x = tf.constant(1.0, name="input")
    w = tf.Variable(0.8, name="weight")
    y = tf.multiply(w, x, name="output")
    y_ = tf.constant(0.0, name="correct_value")
    loss = tf.pow(y - y_, 2, name="loss")
    train_step = tf.train.GradientDescentOptimizer(0.025).minimize(loss)
    values = []
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for i in range(100):
            if i % 25 == 0:
                values.append(sess.run([x, w, y, y_, loss]))
            sess.run(train_step)
        values.append(sess.run([x, w, y, y_, loss]))
    return {"values": values, "loss_name": loss.name, "train_step": train_step.name}


def _x_squared_fetches(tf, make_step):
    """Seed 002's loop. The seed fetches {'x', 'loss', <update>} in ONE run; with TF's ref
    variables the fetched x may already be updated (it aliases the variable's buffer) and loss
    may be computed before or after the update, so TF's answer is racy. Here x and loss are
    fetched first, then the update runs: the values before and after each printed step."""
    x = tf.Variable(5.0)
    loss = x * x
    step = make_step(x, loss)
    printed = {}
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for i in range(100):
            fetched = sess.run({"x": x, "loss": loss})
            out = sess.run(step)
            if i % 10 == 0 or i + 1 == 100:
                fetched["x_after"] = sess.run(x)
                fetched["step_output"] = out
                printed[f"iter {i:02d}"] = fetched
    return printed


def case_seed_x_squared_manual(tf):
    def build(x, loss):
        dloss_dx = 2.0 * x
        return tf.assign(x, x - dloss_dx * 0.1)
    return _x_squared_fetches(tf, build)


def case_seed_x_squared_tf_gradients(tf):
    def build(x, loss):
        dloss_dx = tf.gradients(loss, x)[0]
        return tf.assign(x, x - dloss_dx * 0.1)
    return _x_squared_fetches(tf, build)


def case_seed_x_squared_gradient_descent(tf):
    def build(x, loss):
        return tf.train.GradientDescentOptimizer(learning_rate=0.1).minimize(loss)
    return _x_squared_fetches(tf, build)


def case_seed_x_squared_adam(tf):
    def build(x, loss):
        return tf.train.AdamOptimizer(learning_rate=0.1).minimize(loss)
    return _x_squared_fetches(tf, build)


def case_seed_numpy_vs_tf(tf):
    np.random.seed(0)
    N, D = 3, 4
    x = tf.placeholder(tf.float32)
    y = tf.placeholder(tf.float32)
    z = tf.placeholder(tf.float32)
    a = x * y
    b = a + z
    c = tf.reduce_sum(b)
    grad_x, grad_y, grad_z = tf.gradients(c, [x, y, z])
    with tf.Session() as sess:
        values = {x: np.random.randn(N, D), y: np.random.randn(N, D), z: np.random.randn(N, D)}
        out = sess.run([c, grad_x, grad_y, grad_z], feed_dict=values)
    return {"c": out[0], "grad_x": out[1], "grad_y": out[2], "grad_z": out[3]}


def case_seed_assign_group_updates(tf):
    # seed 001: new_w = w.assign(w - lr * grad_w), grouped with tf.group
    rs = np.random.RandomState(1)
    x = tf.constant(rs.randn(4, 3).astype(np.float32))
    y = tf.constant(rs.randn(4, 2).astype(np.float32))
    w1 = tf.Variable(rs.randn(3, 5).astype(np.float32))
    w2 = tf.Variable(rs.randn(5, 2).astype(np.float32))
    h = tf.maximum(tf.matmul(x, w1), 0)
    loss = tf.reduce_mean(tf.reduce_sum((tf.matmul(h, w2) - y) ** 2, axis=1))
    grad_w1, grad_w2 = tf.gradients(loss, [w1, w2])
    lr = 1e-2
    # The seed writes w1.assign(w1 - lr * grad_w1) and w2.assign(...) directly; with TF's ref
    # variables one assign can then land before the other gradient has read the variable (a
    # race). Computing both new values before either assign makes the result deterministic.
    value_w1 = w1 - lr * grad_w1
    value_w2 = w2 - lr * grad_w2
    with tf.control_dependencies([value_w1, value_w2]):
        new_w1 = w1.assign(value_w1)
        new_w2 = w2.assign(value_w2)
    updates = tf.group(new_w1, new_w2)
    losses = []
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(10):
            lv = sess.run(loss)
            sess.run(updates)
            losses.append(lv)
    return {"losses": losses, "group_type": updates.type}


def case_seed_hospital_regression(tf):
    # seed 002's linear regression, with seeded made-up data and fewer steps
    rs = np.random.RandomState(0)
    temps = rs.normal(55, 20, 300)
    hosp = 1000 - 5 * temps + rs.normal(0, 100, 300)
    norm = (temps - np.mean(temps)) / np.std(temps)
    X = tf.placeholder(tf.float32)
    y = tf.placeholder(tf.float32)
    m = tf.Variable(0.)
    b = tf.Variable(0.)
    predicted_y = X * m + b
    avg_loss = tf.reduce_mean(tf.squared_difference(predicted_y, y))
    train_one_step = tf.train.GradientDescentOptimizer(learning_rate=0.05).minimize(avg_loss)
    log = []
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for i in range(60):
            start = (i % 3) * 100
            feed = {X: norm[start:start + 100], y: hosp[start:start + 100]}
            # the seed fetches [train_one_step, avg_loss, m, b] in one run, which is racy
            # with ref variables; read first, then step
            loss, m_pred, b_pred = sess.run([avg_loss, m, b], feed_dict=feed)
            sess.run(train_one_step, feed_dict=feed)
            if i % 10 == 0:
                log.append([loss, m_pred, b_pred])
        final = sess.run([m, b, avg_loss], {X: norm, y: hosp})
    return {"log": log, "final": final}
