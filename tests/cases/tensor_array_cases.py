"""tf.TensorArray (issue #25): values, static shapes, node names, gradients and run-time errors.

Written once against the TF1 API; tests/fixtures/tensor_array_cases.json holds what tensorflow-cpu 2.21
returned with tf.compat.v1, v2 behaviour and control flow v2 off (the fixture script turns off v2
behaviour; each case turns off control flow v2, which TF1's TensorArray ops need).
An error is its class and the first line of its message, with the run-time array name's counter
(`TensorArray_7`, shared by the whole process) written as `_N`.
"""
import re

import numpy as np


def _v1(tf):
    off = getattr(getattr(tf, "compat", None), "v1", None)
    if off is not None and hasattr(off, "disable_control_flow_v2"):
        off.disable_control_flow_v2()  # real TF: the TF1 TensorArray ops, not TensorLists


def _error(fn, message=True):
    """None if fn() runs; else the error's class, and its first line of text."""
    try:
        fn()
    except Exception as e:  # the class and text are what the case records
        if not message:
            return {"error": type(e).__name__}
        text = getattr(e, "message", None) or str(e)
        lines = text.split("\n")
        node = [line for i, line in enumerate(lines) if i and lines[i - 1].startswith("Node: ")]  # TF 2's framing
        first = (node or lines)[0]
        return {"error": type(e).__name__, "message": re.sub(r"TensorArray (\S+?)_\d+([:@ ])", r"TensorArray \1_N\2",
                                                             first)}
    return None


def _run(tf, fetches, feed_dict=None):
    with tf.Session() as sess:
        return sess.run(fetches, feed_dict)


def _shape(t):
    s = t.shape
    return None if s.ndims is None else [None if d is None else int(d) for d in s.as_list()]


def _ops(tf):
    """(name, type, inputs, control inputs) of the TensorArray ops and their gradients' ops. The
    other ops' gradients are other cases' business (TF 2.21 writes some differently from TF 1.x):
    their tensors show as <grad>."""
    out = []
    for op in tf.get_default_graph().get_operations():
        if "TensorArray" not in op.name:
            continue
        inputs = [t.name if "TensorArray" in t.name or not t.name.startswith("gradients") else "<grad>"
                  for t in op.inputs]
        out.append([op.name, op.type, inputs, sorted(c.name for c in op.control_inputs)])
    return out


def _x(tf, shape, name="x", start=1.0):
    return tf.constant(np.arange(start, start + np.prod(shape), dtype=np.float32).reshape(shape), name=name)


# ---- building: names, dtypes, static shapes --------------------------------------------------
def case_ta_unstack_read_stack(tf):
    _v1(tf)
    x = _x(tf, (3, 2))
    ta = tf.TensorArray(tf.float32, size=3, clear_after_read=False)
    ta2 = ta.unstack(x)
    r = ta2.read(1)
    s = ta2.stack()
    return {"handle": [ta.handle.name, ta.handle.dtype.name, _shape(ta.handle)],
            "flow": [ta.flow.name, ta.flow.dtype.name, _shape(ta.flow), ta2.flow.name],
            "read": [r.name, _shape(r)], "stack": [s.name, _shape(s)],
            "element_shape": str(ta2.element_shape), "dtype": ta2.dtype.name, "ops": _ops(tf),
            "values": _run(tf, [r, s])}


def case_ta_write_dynamic(tf):
    _v1(tf)
    ta = tf.TensorArray(tf.float32, size=2, dynamic_size=True, element_shape=[2])
    ta = ta.write(0, [1.0, 2.0]).write(1, [3.0, 4.0]).write(3, [7.0, 8.0])
    size, stack, concat, gather = ta.size(), ta.stack(), ta.concat(), ta.gather([3, 0])
    return {"names": [t.name for t in (size, stack, concat, gather, ta.flow)],
            "shapes": [_shape(t) for t in (size, stack, concat, gather)],
            "dynamic_size": ta.dynamic_size, "ops": _ops(tf)}


def case_ta_write_dynamic_values(tf):
    _v1(tf)
    ta = tf.TensorArray(tf.float32, size=2, dynamic_size=True, element_shape=[2], clear_after_read=False)
    ta = ta.write(0, [1.0, 2.0]).write(1, [3.0, 4.0]).write(3, [7.0, 8.0])
    return _run(tf, [ta.size(), ta.stack(), ta.concat(), ta.gather([3, 0])])


def case_ta_flow_values(tf):
    _v1(tf)
    ta = tf.TensorArray(tf.float32, size=2)
    ta2 = ta.write(0, 5.0)
    return _run(tf, [ta.flow, ta2.flow, ta2.read(0)])


def case_ta_split_concat(tf):
    _v1(tf)
    x = _x(tf, (5, 2))
    ta = tf.TensorArray(tf.float32, size=2, infer_shape=False).split(x, [2, 3])
    c = ta.concat()
    eq = tf.TensorArray(tf.float32, size=2).split(x[:4], [2, 2])
    c2 = eq.concat()
    return {"names": [ta.flow.name, c.name, eq.flow.name, c2.name],
            "shapes": [_shape(c), _shape(c2)], "element_shapes": [str(ta.element_shape), str(eq.element_shape)],
            "ops": _ops(tf), "values": _run(tf, [c, c2])}


def case_ta_concat_lengths(tf):
    _v1(tf)
    ta = tf.TensorArray(tf.float32, size=3, infer_shape=False)
    ta = ta.write(0, [[1.0, 2.0]]).write(1, [[3.0, 4.0], [5.0, 6.0]]).write(2, np.zeros((0, 2), np.float32))
    value, lengths = ta.concat(), None
    for op in tf.get_default_graph().get_operations():
        if op.type == "TensorArrayConcatV3":
            lengths = op.outputs[1]
    return {"shapes": [_shape(value), _shape(lengths), lengths.dtype.name], "values": _run(tf, [value, lengths])}


def case_ta_names_given(tf):
    _v1(tf)
    x = _x(tf, (2, 3))
    ta = tf.TensorArray(tf.float32, size=2, name="arr", tensor_array_name="memory")
    ta = ta.unstack(x, name="u")
    r = ta.read(1, name="r")
    s = ta.stack(name="s")
    g = ta.gather([0], name="g")
    n = ta.size(name="n")
    c = ta.close(name="c")
    return {"names": [ta.handle.name, r.name, s.name, g.name, n.name, c.name], "ops": _ops(tf)}


def case_ta_write_names_given(tf):
    _v1(tf)
    ta = tf.TensorArray(tf.float32, size=2, name="arr")
    ta = ta.write(0, 1.0, name="w").write(1, 2.0, name="w")
    sp = tf.TensorArray(tf.float32, size=2).split([1.0, 2.0, 3.0], [1, 2], name="sp")
    return {"names": [ta.flow.name, sp.flow.name], "ops": _ops(tf)}


def case_ta_static_shapes(tf):
    _v1(tf)
    p = tf.placeholder(tf.float32, [None, 3], name="p")
    n = tf.placeholder(tf.int32, [], name="n")
    fixed = tf.TensorArray(tf.float32, size=4).unstack(tf.zeros([4, 3]))
    fed = tf.TensorArray(tf.float32, size=n).unstack(p)
    unknown = tf.TensorArray(tf.float32, size=2)
    given = tf.TensorArray(tf.float32, size=2, element_shape=[None, 5])
    noinfer = tf.TensorArray(tf.float32, size=2, infer_shape=False).write(0, [1.0, 2.0])
    out = {}
    for key, ta in (("fixed", fixed), ("fed", fed), ("unknown", unknown), ("given", given), ("noinfer", noinfer)):
        out[key] = {"element_shape": str(ta.element_shape), "read": _shape(ta.read(0)), "stack": _shape(ta.stack()),
                    "gather": _shape(ta.gather([0, 1])), "concat": _shape(ta.concat()), "size": _shape(ta.size())}
    return out


def case_ta_int32_and_double(tf):
    _v1(tf)
    ti = tf.TensorArray(tf.int32, size=2).write(0, 3).write(1, 4)
    td = tf.TensorArray(tf.float64, size=1).write(0, tf.constant([1.5, 2.5], tf.float64))
    return {"dtypes": [ti.dtype.name, td.dtype.name, ti.stack().dtype.name],
            "values": _run(tf, [ti.stack(), td.read(0)])}


def case_ta_python_value_takes_the_dtype(tf):
    _v1(tf)
    r = tf.TensorArray(tf.float32, size=1).write(0, 2).read(0)
    return {"dtype": r.dtype.name, "value": _run(tf, r)}


def case_ta_unwritten_reads_zeros(tf):
    _v1(tf)
    a = tf.TensorArray(tf.float32, size=3).write(0, [1.0, 2.0]).stack()  # the first write teaches the shape
    b = tf.TensorArray(tf.float32, size=1, dynamic_size=True).write(2, 1.0).write(0, 3.0).stack()
    c = tf.TensorArray(tf.float32, size=2, element_shape=[2]).read(1)
    d = tf.TensorArray(tf.float32, size=0, element_shape=[2]).stack()
    return _run(tf, [a, b, c, d])


def case_ta_clear_after_read_false(tf):
    _v1(tf)
    ta = tf.TensorArray(tf.float32, size=1, clear_after_read=False).write(0, 1.0)
    r1 = ta.read(0)
    with tf.control_dependencies([r1]):
        r2 = ta.read(0)
    return _run(tf, [r1, r2, ta.stack()])


def case_ta_fresh_each_run(tf):
    _v1(tf)
    x = tf.placeholder(tf.float32, [None], name="x")
    ta = tf.TensorArray(tf.float32, size=tf.shape(x)[0]).unstack(x)
    r = ta.read(0)
    s = ta.size()
    with tf.Session() as sess:
        return [sess.run([r, s], {x: [1.0, 2.0]}), sess.run([r, s], {x: [5.0, 6.0, 7.0]}),
                sess.run(r, {x: [9.0]})]


def case_ta_identity(tf):
    _v1(tf)
    ta = tf.TensorArray(tf.float32, size=1).write(0, 4.0)
    same = ta.identity()
    return {"names": [same.flow.name, same.handle.name], "value": _run(tf, same.read(0))}


# ---- gradients -----------------------------------------------------------------------------
def case_ta_grad_unstack_stack(tf):
    _v1(tf)
    x = _x(tf, (3, 2))
    s = tf.TensorArray(tf.float32, size=3).unstack(x).stack()
    y = tf.reduce_sum(s * s)
    g = tf.gradients(y, x)[0]
    return {"grad": [g.name, _shape(g)], "ops": _ops(tf), "value": _run(tf, g)}


def case_ta_grad_write_read(tf):
    _v1(tf)
    a, b = tf.constant([1.0, 2.0], name="a"), tf.constant([3.0, -1.0], name="b")
    ta = tf.TensorArray(tf.float32, size=2).write(0, a).write(1, b)
    y = tf.reduce_sum(ta.read(0) * ta.read(1))
    ga, gb = tf.gradients(y, [a, b])
    return {"grads": [ga.name, gb.name], "ops": _ops(tf), "values": _run(tf, [ga, gb])}


def case_ta_grad_partial_read(tf):
    _v1(tf)
    x = _x(tf, (3, 2))
    r = tf.TensorArray(tf.float32, size=3).unstack(x).read(1)
    g = tf.gradients(r * 2.0, x)[0]
    return _run(tf, g)


def case_ta_grad_gather_twice_aggregates(tf):
    _v1(tf)
    x = _x(tf, (3, 2))
    ta = tf.TensorArray(tf.float32, size=3, clear_after_read=False).scatter([2, 0, 1], x)
    y = ta.gather([0, 2, 0])
    g = tf.gradients(y * tf.constant([[1.0], [2.0], [3.0]]), x)[0]
    return {"ops": _ops(tf), "values": _run(tf, [y, g])}


def case_ta_grad_split_concat(tf):
    _v1(tf)
    x = _x(tf, (5, 2))
    c = tf.TensorArray(tf.float32, size=2, infer_shape=False).split(x, [3, 2]).concat()
    g = tf.gradients(tf.reduce_sum(tf.square(c)), x)[0]
    return {"ops": _ops(tf), "values": _run(tf, [c, g])}


def case_ta_grad_two_calls_have_their_own_arrays(tf):
    _v1(tf)
    x = _x(tf, (2, 2))
    s = tf.TensorArray(tf.float32, size=2, clear_after_read=False).unstack(x).stack()
    g1 = tf.gradients(s * 3.0, x)[0]
    g2 = tf.gradients(s * s, x)[0]
    return {"names": [g1.name, g2.name], "values": _run(tf, [g1, g2])}


# ---- errors --------------------------------------------------------------------------------
def case_ta_errors_at_run_time(tf):
    _v1(tf)
    F = tf.float32  # noqa: N806
    ph = tf.placeholder_with_default
    cases = {
        "read_unwritten": lambda: tf.TensorArray(F, 3).read(1),
        "read_out_of_range": lambda: tf.TensorArray(F, 3).read(5),
        "read_negative": lambda: tf.TensorArray(F, 3).write(0, 1.0).read(-1),
        "read_twice": lambda: (lambda ta: tf.identity(ta.read(0)) + ta.read(0))(tf.TensorArray(F, 3).write(0, 1.0)),
        "stack_after_read": lambda: (lambda ta: [ta.stack(), ta.read(0)])(tf.TensorArray(F, 1).write(0, 1.0)),
        "write_twice": lambda: tf.TensorArray(F, 3).write(0, 1.0).write(0, 2.0).read(0),
        "write_out_of_range": lambda: tf.TensorArray(F, 3).write(3, 1.0).flow,
        "write_negative": lambda: tf.TensorArray(F, 3).write(-1, 1.0).flow,
        "write_dtype": lambda: tf.TensorArray(F, 3).write(0, tf.constant(1, tf.int32)).flow,
        "write_shape_at_run_time": lambda: tf.TensorArray(F, 3).write(0, [1.0, 2]).write(1, ph([1.0, 2, 3], [None])).flow,
        "element_shape_at_run_time": lambda: tf.TensorArray(F, 2, element_shape=[3]).write(0, ph([1.0, 2], [None])).flow,
        "read_unwritten_no_shape": lambda: tf.TensorArray(F, 3, infer_shape=False).write(0, [1.0, 2]).concat(),
        "stack_empty": lambda: tf.TensorArray(F, 0).stack(),
        "stack_inconsistent": lambda: tf.TensorArray(F, 2, infer_shape=False).write(0, [1.0]).write(1, [1.0, 2]).stack(),
        "gather_out_of_range": lambda: tf.TensorArray(F, 2).unstack([1.0, 2]).gather([0, 2]),
        "scatter_out_of_range": lambda: tf.TensorArray(F, 2).scatter([0, 2], [1.0, 2]).flow,
        "scatter_length": lambda: tf.TensorArray(F, 3).scatter(ph([0, 1], [None]), [1.0, 2, 3]).flow,
        "unstack_too_many": lambda: tf.TensorArray(F, 2).unstack([1.0, 2, 3]).flow,
        "split_sum": lambda: tf.TensorArray(F, 2).split([1.0, 2, 3], [1, 1]).flow,
        "split_count": lambda: tf.TensorArray(F, 2).split([1.0, 2, 3], [1, 1, 1]).flow,
        "split_unequal_inferred": lambda: tf.TensorArray(F, 2).split([1.0, 2, 3], [1, 2]).flow,
        "split_scalar": lambda: tf.TensorArray(F, 2).split(ph(1.0, None), [1]).flow,
        "concat_scalars": lambda: tf.TensorArray(F, 2, infer_shape=False).write(0, 1.0).write(1, 2.0).concat(),
        "concat_inconsistent": lambda: tf.TensorArray(F, 2, infer_shape=False).write(0, [[1.0, 2]]).write(
            1, [[1.0], [2]]).concat(),
        "concat_empty": lambda: tf.TensorArray(F, 0).concat(),
        "negative_size": lambda: tf.TensorArray(F, -1).flow,
    }
    out = {}
    for key, build in cases.items():
        tf.reset_default_graph()
        out[key] = _error(lambda: _run(tf, build()))
    return out


def case_ta_write_after_read(tf):
    _v1(tf)
    ta = tf.TensorArray(tf.float32, 2, clear_after_read=False).write(0, 1.0)
    r = ta.read(0)
    with tf.control_dependencies([r]):
        w = ta.write(0, 5.0).flow
    return _error(lambda: _run(tf, w))


def case_ta_read_after_close(tf):
    _v1(tf)
    ta = tf.TensorArray(tf.float32, 2).write(0, 1.0)
    c = ta.close()
    with tf.control_dependencies([c]):
        r = ta.read(0)
    return _error(lambda: _run(tf, r))


def case_ta_errors_while_building(tf):
    _v1(tf)
    F = tf.float32  # noqa: N806
    cases = {
        "write_shape": (lambda: tf.TensorArray(F, 3).write(0, [1.0, 2]).write(1, [1.0, 2, 3]), True),
        "element_shape": (lambda: tf.TensorArray(F, 2, element_shape=[3]).write(0, [1.0, 2]), True),
        "scatter_length": (lambda: tf.TensorArray(F, 3).scatter([0, 1], [1.0, 2, 3]), False),
        "write_index_rank": (lambda: tf.TensorArray(F, 2).write([0], 1.0), False),
        "read_index_rank": (lambda: tf.TensorArray(F, 2).read([0]), False),
        "no_size": (lambda: tf.TensorArray(F), True),
        "handle_and_size": (lambda: tf.TensorArray(F, size=2, handle=tf.TensorArray(F, 1).handle,
                                                   flow=tf.constant(0.0)), True),
        "handle_without_flow": (lambda: tf.TensorArray(F, handle=tf.TensorArray(F, 1).handle), True),
        "handle_and_name": (lambda: tf.TensorArray(F, handle=tf.TensorArray(F, 1).handle, flow=tf.constant(0.0),
                                                   tensor_array_name="a"), True),
        "concat_scalars": (lambda: tf.TensorArray(F, 2).write(0, 1.0).concat(), False),
    }
    out = {}
    for key, (build, message) in cases.items():
        tf.reset_default_graph()
        out[key] = _error(build, message)
    return out


def case_ta_python_values_and_grad_method(tf):
    _v1(tf)
    ta = tf.TensorArray(tf.float32, size=3).unstack([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    scattered = tf.TensorArray(tf.float32, size=2).scatter([1, 0], [[1.0], [2.0]])
    split = tf.TensorArray(tf.float32, size=2).split([1.0, 2.0, 3.0, 4.0], [2, 2])
    gathered, concat, stack = scattered.gather([0, 1]), split.concat(), ta.stack()
    g = ta.grad("gradients")
    sized = tf.TensorArray(tf.float32, size=tf.constant(2), element_shape=tf.TensorShape([2])).stack()
    return {"ops": [[op.name, op.type] for op in tf.get_default_graph().get_operations()],
            "shapes": [_shape(t) for t in (stack, concat, gathered, sized)],
            "grad": [g.flow.name, g.handle.name, str(g.element_shape)],
            "values": _run(tf, [stack, concat, gathered, sized])}
