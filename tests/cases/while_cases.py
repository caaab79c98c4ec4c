"""Cases for tf.while_loop (issue #25): TF1's frame, its names, values, errors and gradients.

Each `case_<name>(tf)` builds on the (already reset) default graph and returns plain data; the
expected results come from real TensorFlow with control flow v1, the frames TF 1.x built
(tests/fixtures/make_fixtures.py while_cases).
"""
import numpy as np

from cases.harness import catch


def _v1(tf):
    if hasattr(tf, "disable_control_flow_v2"):
        tf.disable_control_flow_v2()


def _built(fn):
    """The error class `fn` raises, or 'built' when it builds."""
    result = catch(fn)
    return result if isinstance(result, dict) and "error" in result else "built"


def _ops(tf):
    """[name, type, inputs, control inputs] of every op; TF >= 1.15's AddV2 read as TF1's Add."""
    return [[o.name, "Add" if o.type == "AddV2" else o.type, [t.name for t in o.inputs], sorted(c.name for c in o.control_inputs)]
            for o in tf.get_default_graph().get_operations()]


def case_counter_names_and_value(tf):
    _v1(tf)
    i = tf.while_loop(lambda i: tf.less(i, 10), lambda i: tf.add(i, 1), [tf.constant(0)])
    with tf.Session() as sess:
        value = sess.run(i)
    return {"value": value, "name": i.name, "ops": sorted(_ops(tf))}


def case_two_vars_and_an_outside_tensor(tf):
    _v1(tf)
    w = tf.constant([[0.5, -0.25], [0.75, 0.1]], name="w")
    x0 = tf.placeholder(tf.float32, [None, 2], name="x0")
    i, x = tf.while_loop(lambda i, x: i < 3, lambda i, x: (i + 1, tf.tanh(tf.matmul(x, w)) * 2.0),
                         [tf.constant(0), x0])
    with tf.Session() as sess:
        value = sess.run([i, x], {x0: [[0.1, 0.2], [-1.0, 0.5]]})
    ops = [o for o in _ops(tf) if o[1] != "Add" and not o[0].endswith("/y")]
    return {"value": value, "names": [i.name, x.name], "shape": x.get_shape().as_list(),
            "ops": sorted(o[:2] + [o[2]] for o in ops)}


def case_iterations_fed_at_run_time(tf):
    _v1(tf)
    n = tf.placeholder(tf.int32, [], name="n")
    k, total = tf.while_loop(lambda k, t: k < n, lambda k, t: (k + 1, t + tf.cast(k, tf.float32) * 0.5),
                             [tf.constant(0), tf.constant(0.0)])
    with tf.Session() as sess:
        return [sess.run([k, total], {n: m}) for m in (0, 1, 7, 30)]


def case_nested_loops(tf):
    _v1(tf)

    def outer_body(a, tot):
        _, t = tf.while_loop(lambda b, t: b < a, lambda b, t: (b + 1, t + a), [tf.constant(0), tot])
        return a + 1, t
    a, tot = tf.while_loop(lambda a, t: a < 5, outer_body, [tf.constant(0), tf.constant(0)])
    with tf.Session() as sess:
        return {"value": sess.run([a, tot]), "names": [a.name, tot.name]}


def case_cond_inside_the_body(tf):
    _v1(tf)
    r = tf.while_loop(lambda k, a: k < 6,
                      lambda k, a: (k + 1, tf.cond(tf.equal(k % 2, 0), lambda: a * 2.0, lambda: a - 1.0)),
                      [tf.constant(0), tf.constant(1.5)])
    with tf.Session() as sess:
        return sess.run(r)


def case_maximum_iterations(tf):
    _v1(tf)
    r = tf.while_loop(lambda k: k < 1000, lambda k: k * 2, [tf.constant(1)], maximum_iterations=5)
    r2 = tf.while_loop(lambda k, s: k < 3, lambda k, s: [k + 1, s * 3.0], [tf.constant(0), tf.constant(1.0)],
                       maximum_iterations=tf.constant(10))
    with tf.Session() as sess:
        return {"value": sess.run([r, r2]), "names": [r.name] + [t.name for t in r2]}


def case_shape_invariants(tf):
    _v1(tf)
    x = tf.constant([[1.0, 2.0]])
    bad = _built(lambda: tf.while_loop(lambda i, x: i < 3, lambda i, x: (i + 1, tf.concat([x, x], 0)),
                                      [tf.constant(0), x]))
    i, y = tf.while_loop(lambda i, x: i < 3, lambda i, x: (i + 1, tf.concat([x, x], 0)), [tf.constant(0), x],
                         shape_invariants=[tf.TensorShape([]), tf.TensorShape([None, 2])])
    with tf.Session() as sess:
        value = sess.run(y)
    return {"bad": bad, "value": value, "shape": y.get_shape().as_list()}


def case_errors(tf):
    _v1(tf)
    c = tf.constant(1)
    return {
        "cond_not_callable": _built(lambda: tf.while_loop(True, lambda i: i, [c])),
        "body_not_callable": _built(lambda: tf.while_loop(lambda i: i < 2, 3, [c])),
        "no_vars": _built(lambda: tf.while_loop(lambda: True, lambda: [], [])),
        "wrong_count": _built(lambda: tf.while_loop(lambda a, b: a < 2, lambda a, b: (a + 1,), [c, c])),
        "cond_not_bool": _built(lambda: tf.while_loop(lambda a: a, lambda a: a + 1, [c])),
        "bad_parallel": _built(lambda: tf.while_loop(lambda a: a < 2, lambda a: a + 1, [c], parallel_iterations=0)),
    }


def case_single_var_structure(tf):
    _v1(tf)
    a = tf.while_loop(lambda i: i < 3, lambda i: i + 1, [tf.constant(0)])
    b = tf.while_loop(lambda i: i < 3, lambda i: [i + 1], [tf.constant(0)], return_same_structure=True)
    c = tf.while_loop(lambda i: i < 3, lambda i: (i + 1,), (tf.constant(0),))
    return {"a": isinstance(a, tf.Tensor), "b": [type(b).__name__, len(b)], "c": isinstance(c, tf.Tensor)}


def case_gradient_through_the_loop(tf):
    _v1(tf)
    w = tf.Variable([[0.5, -0.25], [0.75, 0.1]], name="w")
    x0 = tf.placeholder(tf.float32, [None, 2], name="x0")
    i, x = tf.while_loop(lambda i, x: i < 4, lambda i, x: (i + 1, tf.tanh(tf.matmul(x, w)) + x * 0.5),
                         [tf.constant(0), x0])
    loss = tf.reduce_sum(x * x)
    g_w, g_x = tf.gradients(loss, [w, x0])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        value = sess.run([loss, g_w, g_x], {x0: [[0.1, 0.2], [-1.0, 0.5]]})
    return {"value": value, "names": [g_w.name, g_x.name],
            "shapes": [g_w.get_shape().as_list(), g_x.get_shape().as_list()]}


def case_gradient_with_fed_iterations(tf):
    _v1(tf)
    n = tf.placeholder(tf.int32, [], name="n")
    a = tf.Variable(1.1, name="a")
    k, y = tf.while_loop(lambda k, y: k < n, lambda k, y: (k + 1, y * a + 0.1), [tf.constant(0), tf.constant(1.0)])
    g = tf.gradients(y, a)[0]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        return [sess.run([y, g], {n: m}) for m in (0, 1, 3, 6)]


def case_gradient_of_two_outputs_and_an_unused_var(tf):
    _v1(tf)
    x = tf.constant([0.3, -0.2, 0.9], name="x")
    _, h, c = tf.while_loop(lambda i, h, c: i < 3,
                            lambda i, h, c: (i + 1, tf.sigmoid(c) * h + x, c * 0.9 + tf.sin(h)),
                            [tf.constant(0), x * 0.5, x * 0.1])
    gs = tf.gradients(tf.reduce_sum(h), [x])
    gs2 = tf.gradients([tf.reduce_sum(h), tf.reduce_sum(c * c)], [x])
    with tf.Session() as sess:
        return sess.run(gs + gs2)


def case_training_a_loop_with_gradient_descent(tf):
    _v1(tf)
    w = tf.Variable(0.5, name="w")
    _, y = tf.while_loop(lambda i, y: i < 5, lambda i, y: (i + 1, y * w + 1.0), [tf.constant(0), tf.constant(0.0)])
    loss = tf.square(y - 3.0)
    step = tf.train.GradientDescentOptimizer(0.01).minimize(loss)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        losses = [sess.run([loss, step])[0] for _ in range(20)]
        return {"losses": losses[::5], "w": sess.run(w)}


del np
