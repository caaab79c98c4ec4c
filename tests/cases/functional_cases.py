"""Cases for tf.map_fn, tf.scan, tf.foldl, tf.foldr (issue #25): TF1's functional_ops on while_loop.

Written once against the TF1 API; tests/fixtures/functional_cases.json holds what tensorflow-cpu 2.21
returned with tf.compat.v1, v2 behaviour and control flow v2 off (each case turns control flow v2
off: the frames and TensorArray ops TF 1.x built). An error is its class and the first line of its
message.
"""
import re

import numpy as np


def _v1(tf):
    off = getattr(getattr(tf, "compat", None), "v1", tf)
    if hasattr(off, "disable_control_flow_v2"):
        off.disable_control_flow_v2()


def _error(fn):
    """'built' if fn() builds or runs; else the error's class and the first line of its message
    (TF 2 frames a run-time error: its own first line follows the 'Node: ...' line), with the
    run-time array name's counter (`TensorArray_7`, shared by the whole process) written as `_N`
    and TF >= 1.15's AddV2 read as TF1's Add."""
    try:
        fn()
    except Exception as e:  # the class and text are what the case records
        lines = (getattr(e, "message", None) or str(e)).split("\n")
        node = [line for i, line in enumerate(lines) if i and lines[i - 1].startswith("Node: ")]
        first = re.sub(r"TensorArray (\S+?)_\d+([:@ ])", r"TensorArray \1_N\2", (node or lines)[0])
        return {"error": type(e).__name__, "message": first.replace("'AddV2'", "'Add'")}  # TF1's op type
    return "built"


def _ops(tf, prefix=""):
    """[name, type, inputs] of every op under `prefix`; TF >= 1.15's AddV2 read as TF1's Add."""
    return sorted([o.name, "Add" if o.type == "AddV2" else o.type, [t.name for t in o.inputs]]
                  for o in tf.get_default_graph().get_operations() if o.name.startswith(prefix))


def _shape(t):
    return None if t.get_shape().ndims is None else t.get_shape().as_list()


def _run(tf, fetches, feed_dict=None):
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        return sess.run(fetches, feed_dict)


# ---- map_fn ---------------------------------------------------------------------------------
def case_map_fn_names_and_value(tf):
    _v1(tf)
    x = tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], name="x")
    y = tf.map_fn(lambda row: tf.reduce_sum(row * row), x)
    return {"value": _run(tf, y), "name": y.name, "shape": _shape(y), "dtype": y.dtype.name,
            "ops": _ops(tf)}


def case_map_fn_length_fed_at_run_time(tf):
    _v1(tf)
    x = tf.placeholder(tf.float32, [None, 2], name="x")
    y = tf.map_fn(lambda row: row * 2.0 + 1.0, x)
    values = [_run(tf, y, {x: np.arange(2 * k, dtype=np.float32).reshape(k, 2)}) for k in (1, 4)]
    return {"values": values, "shape": _shape(y),
            "ops": [o for o in _ops(tf) if "while" not in o[0] and "TensorArray" not in o[0]]}


def case_map_fn_tuple_elems_and_dtype(tf):
    _v1(tf)
    a = tf.constant([1.0, 2.0, 3.0], name="a")
    b = tf.constant([10, 20, 30], name="b")
    prod = tf.map_fn(lambda ab: ab[0] * tf.cast(ab[1], tf.float32), (a, b), dtype=tf.float32)
    pair = tf.map_fn(lambda e: (e * 2.0, tf.cast(e, tf.int32) + 1), a, dtype=(tf.float32, tf.int32))
    same = tf.map_fn(lambda ab: (ab[1], ab[0]), (b, b))
    return {"value": _run(tf, [prod, pair, same]),
            "names": [prod.name, [t.name for t in pair], [t.name for t in same]],
            "dtypes": [t.dtype.name for t in pair], "types": [type(pair).__name__, type(same).__name__]}


def case_map_fn_dict_elems(tf):
    _v1(tf)
    elems = {"w": tf.constant([1.0, 2.0]), "b": tf.constant([0.5, -0.5])}
    out = tf.map_fn(lambda d: {"w": d["w"] * 3.0, "b": d["b"] + d["w"]}, elems)
    return {"value": _run(tf, out), "names": {k: v.name for k, v in out.items()}}


def case_map_fn_python_values_name_and_options(tf):
    _v1(tf)
    y = tf.map_fn(lambda e: e * e, np.array([1.0, 2.0, 3.0], np.float32), name="squares",
                  parallel_iterations=3, back_prop=False, swap_memory=True)
    z = tf.map_fn(lambda e: tf.range(2) + e, tf.constant([1, 2, 3]), infer_shape=False)
    enter = tf.get_default_graph().get_operation_by_name("squares/while/Enter")
    return {"value": _run(tf, [y, z]), "names": [y.name, z.name], "shapes": [_shape(y), _shape(z)],
            "parallel_iterations": enter.get_attr("parallel_iterations"),
            "ops": [o[:2] for o in _ops(tf, "squares/") if "while/" not in o[0]]}


def case_map_fn_nested(tf):
    _v1(tf)
    x = tf.constant([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], name="x")
    y = tf.map_fn(lambda row: tf.map_fn(lambda e: e * e + 1.0, row), x)
    g = tf.gradients(tf.reduce_sum(y * x), x)[0]
    return {"value": _run(tf, [y, g]), "names": [y.name, g.name], "shape": _shape(y)}


def case_map_fn_gradient_with_a_variable(tf):
    _v1(tf)
    w = tf.Variable([[0.5, -1.0], [0.25, 2.0]], name="w")
    x = tf.placeholder(tf.float32, [None, 2], name="x")
    y = tf.map_fn(lambda row: tf.tanh(tf.reduce_sum(tf.expand_dims(row, 1) * w, 0)), x)
    loss = tf.reduce_sum(y * y)
    g_w, g_x = tf.gradients(loss, [w, x])
    value = _run(tf, [loss, g_w, g_x], {x: [[0.1, 0.2], [-0.3, 0.4], [1.0, -2.0]]})
    return {"value": value, "names": [g_w.name, g_x.name], "shapes": [_shape(g_w), _shape(g_x)]}


def case_map_fn_errors(tf):
    _v1(tf)
    import math
    x = tf.constant([1.0, 2.0, 3.0], name="x")
    y = tf.constant([1.0, 2.0, 3.0, 4.0], name="y")
    return {
        "scalar": _error(lambda: tf.map_fn(lambda e: e, tf.constant(1.0))),
        "lengths_differ": _error(lambda: tf.map_fn(lambda e: e, (x, y))),
        "empty": _error(lambda: tf.map_fn(lambda e: e, [])),
        "not_callable": _error(lambda: tf.map_fn(math, x)),
        "tuple_for_tensor": _error(lambda: tf.map_fn(lambda e: (e, e), x)),
        "returns_none": _error(lambda: tf.map_fn(lambda e: None, x)),
        "python_list": _error(lambda: tf.map_fn(lambda e: e, [1.0, 2.0, 3.0])),
        "dict_keys": _error(lambda: tf.map_fn(lambda d: {"b": d["a"]}, {"a": x})),
        "list_for_tuple": _error(lambda: tf.map_fn(lambda e: [e[0], e[1]], (x, x))),
        "tensor_for_dtype_tuple": _error(lambda: tf.map_fn(lambda e: e[0], (x, x), dtype=(tf.float32,))),
    }


def case_map_fn_run_time_errors(tf):
    _v1(tf)
    x = tf.placeholder(tf.float32, [None], name="x")
    ragged = tf.map_fn(lambda e: tf.fill(tf.cast(tf.expand_dims(e, 0), tf.int32), e), x)
    ints = tf.constant([1, 2, 3], name="ints")
    no_dtype = tf.map_fn(lambda e: tf.cast(e, tf.float32) * 0.5, ints)  # a learner's slip: dtype= missing
    with tf.Session() as sess:
        return {"ragged": _error(lambda: sess.run(ragged, {x: [1.0, 2.0]})),
                "same": sess.run(ragged, {x: [2.0, 2.0]}).tolist(),
                "no_dtype": _error(lambda: sess.run(no_dtype)), "no_dtype_dtype": no_dtype.dtype.name}


def case_map_fn_over_a_variable(tf):
    _v1(tf)
    w = tf.Variable([[1.0, 2.0], [3.0, -4.0]], name="w")
    y = tf.map_fn(lambda r: tf.reduce_sum(r * r) * r, w)
    g = tf.gradients(tf.reduce_sum(y), w)[0]
    scatter = tf.get_default_graph().get_operation_by_name("map/TensorArrayUnstack/TensorArrayScatter/"
                                                           "TensorArrayScatterV3")
    return {"value": _run(tf, [y, g]), "scatter_inputs": [t.name for t in scatter.inputs], "grad": g.name}


# ---- scan -----------------------------------------------------------------------------------
def case_scan_cumsum_names_and_value(tf):
    _v1(tf)
    x = tf.constant([1.0, 2.0, 3.0, 4.0], name="x")
    c = tf.scan(lambda a, e: a + e, x)
    return {"value": _run(tf, c), "name": c.name, "shape": _shape(c), "ops": _ops(tf)}


def case_scan_initializer_and_reverse(tf):
    _v1(tf)
    x = tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], name="x")
    fwd = tf.scan(lambda a, e: a * 0.5 + e, x, initializer=tf.constant([1.0, -1.0]))
    rev = tf.scan(lambda a, e: a * 0.5 + e, x, reverse=True)
    rev_init = tf.scan(lambda a, e: a + tf.reduce_sum(e), x, initializer=tf.constant(0.0), reverse=True)
    return {"value": _run(tf, [fwd, rev, rev_init]), "names": [fwd.name, rev.name, rev_init.name],
            "shapes": [_shape(fwd), _shape(rev), _shape(rev_init)],
            "ops": [o[:2] for o in _ops(tf, "scan_1/") if "while/" not in o[0]]}


def case_scan_fibonacci_tuple_accumulator(tf):
    _v1(tf)
    elems = tf.constant([1, 1, 1, 1, 1, 1], name="elems")
    a, b = tf.scan(lambda acc, _: (acc[1], acc[0] + acc[1]), elems, initializer=(tf.constant(0), tf.constant(1)))
    return {"value": _run(tf, [a, b]), "names": [a.name, b.name], "shapes": [_shape(a), _shape(b)]}


def case_scan_tuple_elems_fed_length(tf):
    _v1(tf)
    x = tf.placeholder(tf.float32, [None, 2], name="x")
    y = tf.placeholder(tf.float32, [None, 2], name="y")
    out = tf.scan(lambda acc, xy: (acc[0] + xy[0], acc[1] * xy[1]), (x, y))
    feed = {x: [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], y: [[1.0, 2.0], [0.5, 2.0], [2.0, 2.0]]}
    return {"value": _run(tf, out, feed), "shapes": [_shape(t) for t in out],
            "infer_shape_off": _shape(tf.scan(lambda a, e: a + e, x, infer_shape=False))}


def case_scan_rnn_gradient(tf):
    _v1(tf)
    w_x = tf.Variable([[0.5, -0.3, 0.2], [0.1, 0.4, -0.6]], name="w_x")
    w_h = tf.Variable([[0.3, 0.1, 0.0], [-0.2, 0.5, 0.1], [0.05, -0.1, 0.4]], name="w_h")
    inputs = tf.placeholder(tf.float32, [None, 2, 2], name="inputs")  # time-major: [time, batch, features]
    h0 = tf.zeros([2, 3])
    states = tf.scan(lambda h, x_t: tf.tanh(tf.matmul(x_t, w_x) + tf.matmul(h, w_h)), inputs, initializer=h0)
    loss = tf.reduce_mean(tf.square(states[-1] - 0.5))
    grads = tf.gradients(loss, [w_x, w_h, inputs])
    feed = {inputs: np.linspace(-1.0, 1.0, 16).reshape(4, 2, 2).astype(np.float32)}
    return {"value": _run(tf, [states, loss] + grads, feed), "shape": _shape(states),
            "names": [g.name for g in grads]}


def case_scan_errors(tf):
    _v1(tf)
    import math
    x = tf.constant([1.0, 2.0, 3.0], name="x")
    y = tf.constant([1.0, 2.0, 3.0, 4.0], name="y")
    return {
        "scalar": {"error": _error(lambda: tf.scan(lambda a, e: a + e, tf.constant(1.0)))["error"]},
        "not_callable": _error(lambda: tf.scan(math, x)),
        "tuple_for_tensor": _error(lambda: tf.scan(lambda a, e: (a, a), x)),
        "returns_none": _error(lambda: tf.scan(lambda a, e: None, x)),
        "int_initializer": _error(lambda: tf.scan(lambda a, e: a + e, x, initializer=0)),
        "shape_changes": _error(lambda: tf.scan(lambda a, e: tf.stack([a, e]), x)),
        "list_initializer": _error(lambda: tf.scan(lambda a, e: a + e, x, initializer=[1.0])),
        "tuple_elems_lengths": _error(lambda: tf.scan(lambda a, e: (a[0] + e[0], a[1] + e[1]), (x, y))),
        "bad_parallel": {"error": _error(lambda: tf.scan(lambda a, e: a + e, x, parallel_iterations=0))["error"]},
    }


# ---- foldl and foldr ------------------------------------------------------------------------
def case_foldl_names_and_value(tf):
    _v1(tf)
    x = tf.constant([1, 2, 3, 4], name="x")
    s = tf.foldl(lambda a, e: a * 10 + e, x)
    return {"value": _run(tf, s), "name": s.name, "shape": _shape(s), "ops": _ops(tf)}


def case_foldr_names_and_value(tf):
    _v1(tf)
    x = tf.constant([1, 2, 3, 4], name="x")
    s = tf.foldr(lambda a, e: a * 10 + e, x)
    return {"value": _run(tf, s), "name": s.name, "shape": _shape(s), "ops": _ops(tf)}


def case_folds_with_initializer_and_structures(tf):
    _v1(tf)
    x = tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], name="x")
    l_init = tf.foldl(lambda a, e: a * 2.0 + e, x, initializer=tf.constant([1.0, 0.0]))
    r_init = tf.foldr(lambda a, e: a * 2.0 + e, x, initializer=tf.constant([1.0, 0.0]))
    pair = tf.foldl(lambda acc, e: (acc[0] + tf.reduce_sum(e[0]), acc[1] * e[1]),
                    (x, tf.constant([2, 3, 4])), initializer=(tf.constant(0.0), tf.constant(1)))
    r_pair = tf.foldr(lambda acc, e: [acc[0] - e[0], acc[1] + e[1]], [x, x * 2.0])
    return {"value": _run(tf, [l_init, r_init, pair, r_pair]),
            "names": [l_init.name, r_init.name, [t.name for t in pair], [t.name for t in r_pair]],
            "types": [type(pair).__name__, type(r_pair).__name__]}


def case_folds_fed_length(tf):
    _v1(tf)
    x = tf.placeholder(tf.float32, [None], name="x")
    left = tf.foldl(lambda a, e: a * 0.5 + e, x, initializer=tf.constant(0.0))
    right = tf.foldr(lambda a, e: a * 0.5 + e, x, initializer=tf.constant(0.0))
    values = [_run(tf, [left, right], {x: np.arange(k, dtype=np.float32) + 1.0}) for k in (0, 1, 5)]
    return {"values": values, "ops": [o for o in _ops(tf) if "while" not in o[0] and "TensorArray" not in o[0]]}


def case_folds_gradients(tf):
    _v1(tf)
    x = tf.placeholder(tf.float32, [4, 2], name="x")
    a = tf.Variable([0.5, -0.5], name="a")
    left = tf.foldl(lambda acc, e: tf.sin(acc) * a + e, x, initializer=tf.constant([0.1, 0.2]))
    right = tf.foldr(lambda acc, e: acc * e + a, x)
    grads = tf.gradients(tf.reduce_sum(left) + tf.reduce_sum(right * right), [x, a])
    feed = {x: [[0.5, 1.0], [-0.5, 0.25], [1.5, -1.0], [0.2, 0.3]]}
    return {"value": _run(tf, [left, right] + grads, feed), "names": [g.name for g in grads]}


def case_back_prop_false(tf):
    _v1(tf)
    x = tf.constant([1.0, 2.0, 3.0], name="x")
    m = tf.map_fn(lambda e: e * e, x, back_prop=False)
    s = tf.scan(lambda a, e: a * e, x, back_prop=False)
    f = tf.foldl(lambda a, e: a * e, x, back_prop=False)
    grads = tf.gradients(tf.reduce_sum(m) + tf.reduce_sum(s) + f, x)
    return {"value": _run(tf, [m, s, f]), "grads": [g is None for g in grads]}


def case_fold_errors(tf):
    _v1(tf)
    import math
    x = tf.constant([1.0, 2.0, 3.0], name="x")
    return {
        "foldl_scalar": {"error": _error(lambda: tf.foldl(lambda a, e: a + e, tf.constant(1.0)))["error"]},
        "foldr_scalar": {"error": _error(lambda: tf.foldr(lambda a, e: a + e, tf.constant(1.0)))["error"]},
        "foldl_not_callable": _error(lambda: tf.foldl(math, x)),
        "foldl_returns_none": _error(lambda: tf.foldl(lambda a, e: None, x)),
        "foldr_returns_none": _error(lambda: tf.foldr(lambda a, e: None, x, initializer=tf.constant(0.0))),
        "foldr_not_callable": _error(lambda: tf.foldr(math, x)),
        "foldl_shape_changes": _error(lambda: tf.foldl(lambda a, e: tf.stack([a, e]), x)),
        "foldl_wrong_count": _error(lambda: tf.foldl(lambda a, e: (a, a), x, initializer=(1.0, 2.0, 3.0))),
        "foldl_bad_parallel": {"error": _error(lambda: tf.foldl(lambda a, e: a + e, x,
                                                                parallel_iterations=0))["error"]},
    }


# ---- an unchanged TF1 program: a small RNN trained with tf.scan ------------------------------
def case_program_scan_rnn_training(tf):
    """A time-major Elman RNN written with tf.scan learns to output the running mean of its
    input (20 plain gradient-descent steps, fixed data; the loss printed every 5)."""
    _v1(tf)
    rng = np.random.RandomState(0)
    data = rng.uniform(-1, 1, size=(6, 4, 1)).astype(np.float32)              # [time, batch, 1]
    target = (np.cumsum(data, 0) / np.arange(1, 7).reshape(6, 1, 1)).astype(np.float32)
    inputs = tf.placeholder(tf.float32, [None, None, 1], name="inputs")
    targets = tf.placeholder(tf.float32, [None, None, 1], name="targets")
    with tf.variable_scope("rnn"):
        w_x = tf.get_variable("w_x", initializer=tf.constant([[0.3, -0.2, 0.1, 0.4]]))
        w_h = tf.get_variable("w_h", initializer=tf.constant(np.eye(4, dtype=np.float32) * 0.5))
        b = tf.get_variable("b", [4], initializer=tf.zeros_initializer())
        w_out = tf.get_variable("w_out", initializer=tf.constant([[0.5], [-0.5], [0.25], [0.1]]))
    h0 = tf.zeros(tf.stack([tf.shape(inputs)[1], 4]))
    states = tf.scan(lambda h, x_t: tf.tanh(tf.matmul(x_t, w_x) + tf.matmul(h, w_h) + b), inputs,
                     initializer=h0)
    outputs = tf.map_fn(lambda h_t: tf.matmul(h_t, w_out), states)
    loss = tf.reduce_mean(tf.square(outputs - targets))
    train = tf.train.GradientDescentOptimizer(0.5).minimize(loss)
    losses = []
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for step in range(20):
            value, _ = sess.run([loss, train], {inputs: data, targets: target})
            if step % 5 == 0:
                losses.append(value)
        losses.append(sess.run(loss, {inputs: data, targets: target}))
    return {"losses": losses, "shapes": [_shape(states), _shape(outputs)],
            "train": [v.name for v in tf.trainable_variables()]}


def case_zero_length_fed(tf):
    _v1(tf)
    x = tf.placeholder(tf.float32, [None, 2], name="x")
    y = tf.map_fn(lambda r: r * 2.0, x)
    s = tf.scan(lambda a, r: a + r, x)
    s2 = tf.scan(lambda a, r: a + r, x, initializer=tf.constant([0.0, 0.0]))
    f = tf.foldl(lambda a, r: a + r, x, initializer=tf.constant([1.0, 2.0]))
    empty = {x: np.zeros((0, 2), np.float32)}
    with tf.Session() as sess:
        return {"map": sess.run(y, empty), "scan_init": sess.run(s2, empty), "foldl_init": sess.run(f, empty),
                "scan_no_init": _error(lambda: sess.run(s, empty))}


def case_nested_frames(tf):
    """map_fn inside a while loop's body, scan inside map_fn's fn: frames in frames. (Their gradients:
    tests/test_functional_ops.py, against central differences.)"""
    _v1(tf)
    x = tf.constant([[1.0, 2.0], [3.0, 4.0], [0.5, -1.0]], name="x")
    _, in_while = tf.while_loop(lambda k, v: k < 2, lambda k, v: (k + 1, tf.map_fn(lambda r: tf.sin(r) + r, v)),
                                [tf.constant(0), x])
    scan_in_map = tf.map_fn(lambda r: tf.scan(lambda a, e: a * 0.5 + e, r), x)
    return {"value": _run(tf, [in_while, scan_in_map]), "names": [in_while.name, scan_in_map.name]}
