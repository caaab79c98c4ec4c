"""Cases for the engine core: Graph, Operation, Tensor, dtypes, Session.run, Variables.

Each `case_<name>(tf)` builds on a fresh default graph and returns plain data; the fixture
script records what real TensorFlow returns, the tests compare tfteach against it.

Two helpers paper over TensorFlow-version drift the seeds disagree with (the seeds win):
`_type` reads TF >= 1.15's `AddV2` as the classic `Add`, and `_op_repr` does the same inside
`repr(op)`. Mixed-case name collisions (`tf.add` then `+` in one graph) are kept out, since
classic TF1 uniquified names case-sensitively and later versions do not.
"""
import collections

import numpy as np

from cases.harness import catch


# ---- helpers ---------------------------------------------------------------------------

def _type(op):
    """op.type, with AddV2 read as the classic Add that the seeds show."""
    return "Add" if op.type == "AddV2" else op.type


def _op_repr(op):
    return repr(op).replace("type=AddV2>", "type=Add>")


def _names(tf, graph=None):
    graph = graph or tf.get_default_graph()
    return [op.name for op in graph.get_operations()]


def _ops(tf, graph=None):
    graph = graph or tf.get_default_graph()
    return [[op.name, _type(op)] for op in graph.get_operations()]


def _raises_type_error(fn):
    """TF1 raises TypeError; TF 2.x graph mode raises a TypeError subclass. Record the base."""
    try:
        fn()
    except TypeError:
        return "TypeError"
    except Exception as e:
        return type(e).__name__
    return "no error"


def _run(tf, fetches, feed_dict=None, graph=None):
    with tf.Session(graph=graph) as sess:
        return sess.run(fetches, feed_dict=feed_dict)


def _fetch_type(value):
    if isinstance(value, np.bool_):
        return "numpy.bool_"
    return type(value).__name__


# ---- Graph: default graph, operations, names -------------------------------------------

def case_graph_default_starts_empty(tf):
    g = tf.get_default_graph()
    return {"ops": _names(tf, g), "same_again": tf.get_default_graph() is g}


def case_graph_get_operations_creation_order(tf):
    tf.placeholder(tf.float32)
    tf.constant(1.0)
    tf.Variable(2.0)
    tf.constant(3.0, name="late")
    return _ops(tf)


def case_graph_const_names_uniquified(tf):
    ts = [tf.constant(i) for i in range(4)]
    return [t.name for t in ts]


def case_graph_user_names_collide(tf):
    ts = [tf.constant(1, name="a") for _ in range(3)]
    return [t.name for t in ts]


def case_graph_node_and_scope_names_checked(tf):
    def op_name(make, name):
        out = catch(make, name)
        return out if isinstance(out, dict) else out.op.name
    names = ["a\nb", "a b", "a:b", "_a", "-a", "a-b.c>d", "x_1"]
    const = {n: op_name(lambda n: tf.constant(1.0, name=n), n) for n in names}
    add = {n: op_name(lambda n: tf.add(1.0, 2.0, name=n), n) for n in names}
    with tf.name_scope("outer"):
        nested = op_name(lambda n: tf.add(1.0, 2.0, name=n), "_inner")
    return {"const": const, "add": add, "nested": nested}


def case_graph_explicit_suffix_name_taken(tf):
    tf.constant(1, name="a")
    tf.constant(1, name="a")    # -> a_1
    tf.constant(1, name="a_1")  # a_1 is taken -> a_1_1
    tf.constant(1, name="a")    # -> a_2
    return _names(tf)


def case_graph_explicit_suffix_name_first(tf):
    tf.constant(1, name="a_1")
    tf.constant(1, name="a")
    tf.constant(1, name="a")    # a_1 is taken -> a_2
    return _names(tf)


def case_graph_get_operation_by_name(tf):
    c = tf.constant(1.0, name="c")
    g = tf.get_default_graph()
    op = g.get_operation_by_name("c")
    return {"is_op": op is c.op, "name": op.name, "type": op.type, "repr": repr(op)}


def case_graph_get_tensor_by_name(tf):
    c = tf.constant(1.0, name="c")
    g = tf.get_default_graph()
    t = g.get_tensor_by_name("c:0")
    return {"is_tensor": t is c, "repr": repr(t)}


def case_graph_lookup_errors(tf):
    tf.constant(1)
    g = tf.get_default_graph()
    return {"op_missing": catch(g.get_operation_by_name, "nope"),
            "op_given_tensor_name": catch(g.get_operation_by_name, "Const:0"),
            "tensor_missing_op": catch(g.get_tensor_by_name, "nope:0"),
            "tensor_without_index": catch(g.get_tensor_by_name, "Const"),
            "tensor_bad_index": catch(g.get_tensor_by_name, "Const:5")}


def case_graph_finalize_blocks_new_ops(tf):
    tf.constant(1)
    g = tf.get_default_graph()
    before = g.finalized
    g.finalize()
    return {"before": before, "after": g.finalized, "add_op": catch(tf.constant, 2),
            "ops": _names(tf, g)}


def case_graph_finalized_graph_still_runs(tf):
    c = tf.constant(2.0) * 3.0
    tf.get_default_graph().finalize()
    return _run(tf, c)


def case_graph_new_graph_isolation(tf):
    default = tf.get_default_graph()
    tf.constant(0, name="outside")
    g = tf.Graph()
    with g.as_default():
        inner_default = tf.get_default_graph() is g
        c = tf.constant(1)
    return {"inner_default": inner_default, "c_name": c.name, "c_graph_is_g": c.graph is g,
            "g_ops": _names(tf, g), "default_ops": _names(tf, default),
            "default_restored": tf.get_default_graph() is default}


def case_graph_nested_as_default(tf):
    g1, g2 = tf.Graph(), tf.Graph()
    with g1.as_default():
        a = tf.constant(1)
        with g2.as_default():
            b = tf.constant(2)
            in_g2 = tf.get_default_graph() is g2
        c = tf.constant(3)
        back_in_g1 = tf.get_default_graph() is g1
    return {"names": [a.name, b.name, c.name], "in_g2": in_g2, "back_in_g1": back_in_g1,
            "g1": _names(tf, g1), "g2": _names(tf, g2), "default": _names(tf)}


def case_graph_reset_inside_as_default(tf):
    with tf.Graph().as_default():
        return catch(tf.reset_default_graph)


def case_graph_ops_in_other_graph_not_in_default(tf):
    g = tf.Graph()
    with g.as_default():
        tf.constant(1, name="x")
    return {"in_g": g.get_operation_by_name("x").name,
            "in_default": catch(tf.get_default_graph().get_operation_by_name, "x")}


# ---- name scopes ---------------------------------------------------------------------

def case_name_scope_basic(tf):
    with tf.name_scope("layer1") as scope:
        a = tf.constant(1)
        b = tf.constant(2, name="b")
    return {"scope": scope, "names": [a.name, b.name]}


def case_name_scope_reused_gets_suffix(tf):
    with tf.name_scope("layer1") as s1:
        a = tf.constant(1)
    with tf.name_scope("layer1") as s2:
        b = tf.constant(1)
    return {"scopes": [s1, s2], "names": [a.name, b.name]}


def case_name_scope_nested(tf):
    with tf.name_scope("outer") as so:
        with tf.name_scope("inner") as si:
            a = tf.constant(1)
        b = tf.constant(1)
    c = tf.constant(1)
    return {"scopes": [so, si], "names": [a.name, b.name, c.name]}


def case_name_scope_trailing_slash_reenters(tf):
    with tf.name_scope("layer1"):
        a = tf.constant(1)
    with tf.name_scope("layer1/") as s:
        b = tf.constant(1)
    return {"scope": s, "names": [a.name, b.name]}


def case_name_scope_none_and_empty_go_to_root(tf):
    with tf.name_scope("s"):
        with tf.name_scope(None):
            a = tf.constant(1)
        with tf.name_scope(""):
            b = tf.constant(1)
        c = tf.constant(1)
    return [a.name, b.name, c.name]


def case_name_scope_then_op_with_same_name(tf):
    with tf.name_scope("layer1"):
        tf.constant(1)
    c = tf.constant(1, name="layer1")
    return c.name


def case_op_name_then_name_scope_with_same_name(tf):
    tf.constant(1, name="x")
    with tf.name_scope("x") as s:
        c = tf.constant(1)
    return {"scope": s, "name": c.name}


def case_name_scope_unused_scopes_take_names(tf):
    with tf.name_scope("s"):
        pass
    with tf.name_scope("s"):
        pass
    c = tf.constant(1, name="s")
    return c.name


def case_name_scope_operator_ops(tf):
    b = tf.placeholder(tf.float32, name="b")
    with tf.name_scope("s"):
        y = b * 2
    return _ops(tf) + [[y.name]]


# ---- Operation and Tensor attributes -------------------------------------------------

def case_op_inputs_outputs_counts(tf):
    a = tf.constant([1, 2, 3, 4])
    b = a * 2
    parts = tf.split(a, 2)
    noop = tf.no_op()
    return {op.name: [len(op.inputs), len(op.outputs)]
            for op in [a.op, b.op, parts[0].op, noop]}


def case_op_input_tensor_names(tf):
    a = tf.constant(1.0, name="a")
    b = tf.constant(2.0, name="b")
    c = a * b
    return {"inputs": [t.name for t in c.op.inputs], "outputs": [t.name for t in c.op.outputs],
            "input_is_a": c.op.inputs[0] is a, "output_is_c": c.op.outputs[0] is c}


def case_op_graph_and_tensor_graph(tf):
    g = tf.get_default_graph()
    c = tf.constant(1)
    return {"t_graph": c.graph is g, "op_graph": c.op.graph is g, "op_name": c.op.name,
            "t_op_is": c.op is g.get_operations()[0]}


def case_tensor_value_index_multi_output(tf):
    parts = tf.split(tf.constant([1, 2, 3, 4]), 2)
    return {"names": [t.name for t in parts], "value_index": [t.value_index for t in parts],
            "same_op": parts[0].op is parts[1].op, "op": parts[0].op.name,
            "type": parts[0].op.type, "values": _run(tf, parts)}


def case_tensor_consumers(tf):
    c = tf.constant(1.0)
    tf.identity(c)
    c * 2
    d = tf.constant(5.0)
    return {"c": [op.name for op in c.consumers()], "d": [op.name for op in d.consumers()]}


def case_control_inputs_names(tf):
    a = tf.constant(1.0)
    b = tf.identity(a)
    c = a * 2
    with tf.control_dependencies([b, c.op]):
        f = tf.identity(a, name="f")
    return {"control_inputs": [op.name for op in f.op.control_inputs],
            "inputs": [t.name for t in f.op.inputs],
            "b_control_inputs": [op.name for op in b.op.control_inputs]}


def case_control_dependencies_none_clears(tf):
    a = tf.constant(1.0, name="a")
    with tf.control_dependencies([a]):
        with tf.control_dependencies(None):
            x = tf.constant(1)
        y = tf.constant(2)
    return {"x": [op.name for op in x.op.control_inputs],
            "y": [op.name for op in y.op.control_inputs]}


def case_tensor_equality_is_identity(tf):
    a = tf.constant(1)
    b = tf.constant(1)
    return {"a==a": a == a, "a==b": a == b, "a!=b": a != b, "type": type(a == b).__name__}


def case_tensor_hashable(tf):
    a = tf.constant(1)
    b = tf.constant(2)
    d = {a: "a", b: "b"}
    return {"lookup": [d[a], d[b]], "set_len": len({a, b, a}), "hash_stable": hash(a) == hash(a)}


def case_tensor_bool_if_iter_raise_type_error(tf):
    a = tf.constant([1, 2])

    def use_in_if():
        if a:
            return 1
        return 0
    return {"bool": _raises_type_error(lambda: bool(a)), "if": _raises_type_error(use_in_if),
            "iter": _raises_type_error(lambda: [x for x in a])}


def case_op_reprs(tf):
    c = tf.constant(1.0)
    p = tf.placeholder(tf.float32)
    m = c * p
    n = tf.no_op()
    return [repr(op) for op in [c.op, p.op, m.op, n]]


# ---- operators and the names they create ---------------------------------------------

def case_operator_add_name(tf):
    a = tf.constant(1.0)
    b = tf.constant(2.0)
    c = a + b
    d = a + b
    return {"names": _names(tf), "c": c.name, "d": d.name, "value": _run(tf, c)}


def case_tf_add_name(tf):
    a = tf.constant(1.0)
    b = tf.constant(2.0)
    c = tf.add(a, b)
    d = tf.add(a, b)
    return {"names": _names(tf), "c": c.name, "d": d.name, "value": _run(tf, d)}


def case_operator_mul_python_number(tf):
    b = tf.constant(7, name="b")
    y = 2 * b  # a seed shows the left operand's name: mul/x
    z = b * 2
    return {"ops": _ops(tf), "names": [y.name, z.name], "values": _run(tf, [y, z])}


def case_operator_sub(tf):
    b = tf.constant(7.0, name="b")
    y = b - 1
    z = 1 - b
    return {"ops": _ops(tf), "names": [y.name, z.name], "values": _run(tf, [y, z])}


def case_operator_neg_and_abs(tf):
    b = tf.constant([-7.0, 2.0], name="b")
    y = -b
    z = abs(b)
    return {"ops": _ops(tf), "names": [y.name, z.name], "values": _run(tf, [y, z])}


def case_operator_truediv_float(tf):
    b = tf.constant(7.0, name="b")
    y = b / 2
    z = 2 / b
    return {"ops": _ops(tf), "names": [y.name, z.name], "dtypes": [y.dtype.name, z.dtype.name],
            "values": _run(tf, [y, z])}


def case_operator_truediv_int_casts_to_float64(tf):
    b = tf.constant(7, name="b")
    y = b / 2
    return {"ops": _ops(tf), "y": y.name, "dtype": y.dtype.name, "value": _run(tf, y)}


def case_operator_floordiv_and_mod(tf):
    b = tf.constant([7, -7], name="b")
    q = b // 2
    r = b % 2
    return {"ops": _ops(tf), "values": _run(tf, [q, r])}


def case_operator_pow(tf):
    b = tf.constant(3.0, name="b")
    y = b ** 2
    return {"ops": _ops(tf), "y": y.name, "value": _run(tf, y)}


def case_operator_matmul(tf):
    m = tf.constant([[1.0, 2.0], [3.0, 4.0]], name="m")
    y = m @ m
    return {"ops": _ops(tf), "y": y.name, "shape": y.shape.as_list(), "value": _run(tf, y)}


def case_operator_comparisons(tf):
    b = tf.constant([1.0, 2.0, 3.0], name="b")
    ys = [b < 2, b <= 2, b > 2, b >= 2]
    return {"ops": _ops(tf), "dtypes": [y.dtype.name for y in ys], "values": _run(tf, ys)}


def case_operator_getitem_index(tf):
    m = tf.constant([[1, 2, 3], [4, 5, 6]], name="m")
    y = m[1]
    return {"ops": _ops(tf), "y": y.name, "shape": y.shape.as_list(), "value": _run(tf, y)}


def case_operator_getitem_slices(tf):
    m = tf.constant([[1, 2, 3], [4, 5, 6]], name="m")
    a = m[0]
    b = m[:, 1:3]
    return {"names": _names(tf), "b": b.name, "shape": b.shape.as_list(),
            "values": _run(tf, [a, b])}


def case_operator_python_scalar_takes_tensor_dtype(tf):
    i = tf.constant(3)
    f = tf.constant(3.0)
    d = tf.constant(np.float64(3.0))
    ys = [i * 2, f * 2, d * 2, f + 1, 2 - f]
    return {"dtypes": [y.dtype.name for y in ys], "values": _run(tf, ys)}


def case_mixed_dtypes_errors(tf):
    i = tf.constant(1)
    f = tf.constant(1.0)
    return {"operator": catch(lambda: i + f), "tf_add": catch(tf.add, i, f),
            "tf_multiply": catch(tf.multiply, f, i),
            "int_plus_float_number": catch(lambda: i + 1.5)}


def case_operator_chain_names(tf):
    a = tf.constant(1.0, name="a")
    y = (a * a + a * 3) * 2
    return {"names": _names(tf), "value": _run(tf, y)}


# ---- reprs and strs ------------------------------------------------------------------

def case_repr_constant(tf):
    c = tf.constant(3.14)
    m = tf.constant([[1, 2, 3]], name="m")
    return {"repr": [repr(c), repr(m)], "str": [str(c), str(m)]}


def case_repr_placeholder_unknown_shape(tf):
    p = tf.placeholder(tf.float32)
    return {"repr": repr(p), "str": str(p), "shape_str": str(p.shape),
            "shape_repr": repr(p.shape)}


def case_repr_placeholder_partial_shape(tf):
    p = tf.placeholder(tf.float32, [None, 3])
    q = tf.placeholder(tf.int32, [None, None])
    r = tf.placeholder(tf.float64, shape=(2,))
    return {"repr": [repr(p), repr(q), repr(r)], "str": [str(p), str(q), str(r)]}


def case_repr_variable(tf):
    v = tf.Variable(42)
    w = tf.Variable([[1.0, 2.0]], name="w")
    return {"repr": [repr(v), repr(w)], "dtype_repr": [repr(v.dtype), repr(w.dtype)],
            "dtype_str": [str(v.dtype), str(w.dtype)]}


def case_repr_dtypes(tf):
    return {"repr": [repr(tf.float32), repr(tf.int32), repr(tf.bool), repr(tf.string)],
            "str": [str(tf.float32), str(tf.string)],
            "name": tf.float32.name,
            "as_dtype_str": repr(tf.as_dtype("float32")),
            "as_dtype_np": repr(tf.as_dtype(np.float64)),
            "as_dtype_np_dtype": repr(tf.as_dtype(np.dtype("int64")))}


def case_dtype_equality(tf):
    return {"eq_self": tf.float32 == tf.float32, "eq_str": tf.float32 == "float32",
            "eq_np": tf.float32 == np.float32, "ne_other": tf.float32 != tf.float64,
            "as_dtype_eq": tf.as_dtype("float32") == tf.float32}


def case_dtype_properties(tf):
    return {"np": [tf.float32.as_numpy_dtype.__name__, tf.int64.as_numpy_dtype.__name__],
            "is_floating": [tf.float32.is_floating, tf.int32.is_floating],
            "is_integer": [tf.int32.is_integer, tf.float32.is_integer],
            "is_bool": tf.bool.is_bool, "base": repr(tf.float32.base_dtype)}


def case_dtype_all_supported(tf):
    dtypes = [tf.float16, tf.float32, tf.float64, tf.int8, tf.int16, tf.int32, tf.int64,
              tf.uint8, tf.bool, tf.string]
    return {"names": [d.name for d in dtypes], "reprs": [repr(d) for d in dtypes],
            "placeholders": [tf.placeholder(d).dtype.name for d in dtypes]}


def case_constant_each_numeric_dtype_runs(tf):
    dtypes = [tf.float16, tf.float32, tf.float64, tf.int8, tf.int16, tf.int32, tf.int64,
              tf.uint8]
    ts = [tf.constant([1, 2], dtype=d) for d in dtypes]
    return {"dtypes": [t.dtype.name for t in ts], "values": _run(tf, ts)}


def case_tensorshape_repr_str(tf):
    shapes = [tf.TensorShape([2, 3]), tf.TensorShape([None, 3]), tf.TensorShape(None),
              tf.TensorShape([])]
    return {"repr": [repr(s) for s in shapes], "str": [str(s) for s in shapes]}


def case_shape_as_list_and_ndims(tf):
    t = tf.constant([[1, 2, 3]])
    s = tf.constant(1)
    p = tf.placeholder(tf.float32, [None, 3])
    return {"t": [t.shape.as_list(), t.shape.ndims, len(t.shape)],
            "scalar": [s.shape.as_list(), s.shape.ndims],
            "p": [p.shape.as_list(), p.shape.ndims],
            "get_shape": t.get_shape().as_list()}


def case_shape_unknown_rank(tf):
    p = tf.placeholder(tf.float32)
    return {"ndims": p.shape.ndims, "as_list": catch(p.shape.as_list)}


def case_shape_dimension_value(tf):
    t = tf.constant([[1, 2, 3]])
    p = tf.placeholder(tf.float32, [None, 3])
    d0, d1 = t.get_shape()[0], t.get_shape()[1]
    u = p.get_shape()[0]
    return {"values": [d0.value, d1.value, u.value], "repr": [repr(d1), repr(u)],
            "str": [str(d1), str(u)], "eq_int": d1 == 3, "shape_eq_tuple": t.shape == (1, 3)}


# ---- dtypes of constants ---------------------------------------------------------------

def case_dtype_python_float_is_float32(tf):
    c = tf.constant(2.5)
    v = _run(tf, c)
    return {"dtype": c.dtype.name, "value": v, "type": _fetch_type(v)}


def case_dtype_python_int_is_int32(tf):
    c = tf.constant(7)
    v = _run(tf, c)
    return {"dtype": c.dtype.name, "value": v, "type": _fetch_type(v)}


def case_dtype_big_int_is_int64(tf):
    c = tf.constant(2 ** 40)
    d = tf.constant([1, 2 ** 40])
    return {"dtypes": [c.dtype.name, d.dtype.name], "values": _run(tf, [c, d])}


def case_dtype_bool(tf):
    c = tf.constant(True)
    d = tf.constant([True, False])
    v, w = _run(tf, [c, d])
    return {"dtypes": [c.dtype.name, d.dtype.name], "scalar": bool(v),
            "scalar_type": _fetch_type(v), "array": w}


def case_dtype_string_scalar_fetches_bytes(tf):
    c = tf.constant("hi")
    d = tf.constant(b"there")
    v, w = _run(tf, [c, d])
    return {"dtypes": [c.dtype.name, d.dtype.name], "values": [v, w],
            "types": [_fetch_type(v), _fetch_type(w)], "repr": repr(c)}


def case_dtype_string_array(tf):
    c = tf.constant(["a", "bc"])
    v = _run(tf, c)
    return {"dtype": c.dtype.name, "shape": c.shape.as_list(), "value": v,
            "items": [type(x).__name__ for x in v.tolist()]}


def case_dtype_numpy_float64_array_stays(tf):
    c = tf.constant(np.array([1.5, 2.5]))
    return {"dtype": c.dtype.name, "value": _run(tf, c)}


def case_dtype_numpy_scalar_keeps_dtype(tf):
    c = tf.constant(np.float64(2.5))
    d = tf.constant(np.int64(3))
    e = tf.constant(np.float32(1.5))
    arrays = [tf.constant(np.array([1, 2], dtype=np.int64)),
              tf.constant(np.array([1, 2], dtype=np.int16)),
              tf.constant(np.zeros(3, dtype=np.float32))]
    return {"dtypes": [c.dtype.name, d.dtype.name, e.dtype.name], "values": _run(tf, [c, d, e]),
            "array_dtypes": [t.dtype.name for t in arrays]}


def case_dtype_nested_list_mixing_ints_and_floats(tf):
    c = tf.constant([[1, 2.5], [3, 4]])
    return {"dtype": c.dtype.name, "shape": c.shape.as_list(), "value": _run(tf, c)}


def case_constant_float_value_into_int_dtype_error(tf):
    return catch(tf.constant, 2.5, dtype=tf.int32)


def case_constant_int_list_with_float32_dtype(tf):
    c = tf.constant([1, 2], dtype=tf.float32)
    d = tf.constant(1, dtype=tf.float64)
    return {"dtypes": [c.dtype.name, d.dtype.name], "values": _run(tf, [c, d])}


def case_constant_scalar_broadcast_to_shape(tf):
    c = tf.constant(0, shape=[2, 3])
    d = tf.constant(1.5, shape=[2])
    return {"shapes": [c.shape.as_list(), d.shape.as_list()], "values": _run(tf, [c, d])}


def case_constant_shape_reshapes_list(tf):
    c = tf.constant([1, 2, 3, 4, 5, 6], shape=[2, 3])
    return {"shape": c.shape.as_list(), "value": _run(tf, c)}


def case_constant_short_list_fills_with_last(tf):
    c = tf.constant([1, 2, 3], shape=[2, 3])
    return {"shape": c.shape.as_list(), "value": _run(tf, c)}


def case_constant_too_many_values_error(tf):
    return catch(tf.constant, [1, 2, 3, 4], shape=[3])


def case_constant_ragged_list_error(tf):
    return catch(tf.constant, [[1, 2], [3]])


def case_constant_name_argument(tf):
    c = tf.constant(1.0, name="x")
    return {"name": c.name, "op": c.op.name, "type": c.op.type}


def case_cast_float_to_int_truncates(tf):
    y = tf.cast(tf.constant([1.7, -1.7, 2.0]), tf.int32)
    return {"name": y.name, "type": y.op.type, "dtype": y.dtype.name, "value": _run(tf, y)}


def case_cast_bool_to_float(tf):
    y = tf.cast(tf.constant([True, False]), tf.float32)
    return {"dtype": y.dtype.name, "value": _run(tf, y)}


def case_cast_same_dtype_returns_input(tf):
    c = tf.constant([1.0])
    y = tf.cast(c, tf.float32)
    return {"same": y is c, "ops": _names(tf)}


def case_fetch_scalar_types(tf):
    ts = [tf.constant(1.5), tf.constant(2), tf.constant(1.5, dtype=tf.float64),
          tf.constant(3, dtype=tf.int64), tf.constant(False)]
    vs = _run(tf, ts)
    return {"types": [_fetch_type(v) for v in vs], "values": vs}


def case_fetch_array_type(tf):
    v = _run(tf, tf.constant([1.0, 2.0]))
    return {"type": _fetch_type(v), "value": v}


# ---- Session.run: fetch structures -----------------------------------------------------

def case_run_single_tensor(tf):
    c = tf.constant([[1, 2], [3, 4]])
    return _run(tf, c)


def case_run_op_returns_none(tf):
    c = tf.constant(1)
    return {"op": _run(tf, c.op), "noop": _run(tf, tf.no_op())}


def case_run_tensor_name_string(tf):
    tf.constant(3.0)
    tf.constant(4.0, name="four")
    return _run(tf, ["Const:0", "four:0"])


def case_run_op_name_string(tf):
    tf.constant(3.0)
    return _run(tf, "Const")


def case_run_list(tf):
    a = tf.constant(1.0)
    b = tf.constant(2)
    r = _run(tf, [a, b, a.op])
    return {"type": type(r).__name__, "value": r}


def case_run_tuple(tf):
    a = tf.constant(1.0)
    b = tf.constant(2)
    r = _run(tf, (a, b))
    return {"type": type(r).__name__, "value": r}


def case_run_namedtuple(tf):
    Pair = collections.namedtuple("Pair", ["first", "second"])
    a = tf.constant(1.0)
    b = tf.constant(2)
    r = _run(tf, Pair(a, b))
    return {"type": type(r).__name__, "fields": list(r._fields), "first": r.first,
            "second": r.second}


def case_run_dict(tf):
    a = tf.constant(1.0)
    b = tf.constant(2)
    r = _run(tf, {"a": a, "b": b, "op": a.op})
    return {"type": type(r).__name__, "value": r}


def case_run_nested_dict_with_list(tf):
    a = tf.constant(1.0)
    b = tf.constant(2.0)
    r = _run(tf, {"x": [a, (b, a)], "y": {"z": b}})
    return {"types": [type(r["x"]).__name__, type(r["x"][1]).__name__, type(r["y"]).__name__],
            "value": r}


def case_run_same_tensor_twice(tf):
    a = tf.constant(1.0)
    return _run(tf, [a, a, [a]])


def case_run_empty_structures(tf):
    tf.constant(1)
    return {"list": _run(tf, []), "dict": _run(tf, {}), "tuple": _run(tf, ())}


def case_run_bad_fetch_errors(tf):
    tf.constant(1)
    return {"none": catch(_run, tf, None), "number": catch(_run, tf, 3),
            "missing_name": catch(_run, tf, "nope:0"), "list_with_none": catch(_run, tf, [None])}


def case_run_variable_fetch(tf):
    v = tf.Variable([1.0, 2.0])
    with tf.Session() as sess:
        sess.run(v.initializer)
        return sess.run(v)


# ---- Session.run: feeds -----------------------------------------------------------------

def case_feed_by_tensor(tf):
    a = tf.placeholder(tf.float32)
    b = tf.placeholder(tf.float32)
    s = a + b
    with tf.Session() as sess:
        return [sess.run(s, feed_dict={a: 1., b: 2.}),
                sess.run(s, feed_dict={a: [1.], b: [2.]}),
                sess.run(s, feed_dict={a: [[1., 2.], [3., 4.]], b: [[5., 6.], [7., 8.]]})]


def case_feed_by_name_string(tf):
    a = tf.placeholder(tf.float32, name="a")
    y = a * 2
    return _run(tf, y, {"a:0": 3.0})


def case_feed_positional_feed_dict(tf):
    x = tf.placeholder(tf.int32)
    y = x * 3
    with tf.Session() as sess:
        return sess.run(y, {x: 2})


def case_feed_values_converted_to_placeholder_dtype(tf):
    p = tf.placeholder(tf.float32)
    q = tf.placeholder(tf.int32)
    with tf.Session() as sess:
        return [sess.run(p, {p: 2}), sess.run(p, {p: [1, 2]}),
                sess.run(p, {p: np.array([1.5, 2.5], dtype=np.float64)}),
                sess.run(q, {q: np.array([1, 2], dtype=np.int64)}),
                sess.run(p, {p: np.float64(0.5)})]


def case_feed_intermediate_tensor(tf):
    a = tf.placeholder(tf.float32)
    b = a * 2
    c = b + 1
    return _run(tf, c, {b: 10.0})


def case_feed_constant_tensor(tf):
    c = tf.constant(3.0)
    y = c * 2
    return _run(tf, [c, y], {c: 10.0})


def case_feed_variable(tf):
    v = tf.Variable(1.0)
    y = v * 2
    return _run(tf, y, {v: 5.0})


def case_feed_wrong_shape_error(tf):
    p = tf.placeholder(tf.float32, [2])
    q = tf.placeholder(tf.float32, [None, 3])
    return {"length": catch(_run, tf, p, {p: [1.0, 2.0, 3.0]}),
            "rank": catch(_run, tf, q, {q: [1.0, 2.0, 3.0]}),
            "ok": _run(tf, q, {q: [[1.0, 2.0, 3.0]]})}


def case_feed_non_numeric_string_error(tf):
    p = tf.placeholder(tf.float32)
    return catch(_run, tf, p, {p: "abc"})


def case_feed_unknown_name_error(tf):
    c = tf.constant(1)
    return catch(_run, tf, c, {"nope:0": 1})


def case_unfed_placeholder_error(tf):
    p = tf.placeholder(tf.float32)
    return catch(_run, tf, p * 2)


def case_feed_not_persistent_across_runs(tf):
    p = tf.placeholder(tf.float32)
    y = p + 1
    with tf.Session() as sess:
        first = sess.run(y, {p: 1.0})
        second = catch(sess.run, y)
    return [first, second]


def case_placeholder_partial_shape_varying_batch(tf):
    p = tf.placeholder(tf.float32, [None, 3])
    y = p * 2
    with tf.Session() as sess:
        a = sess.run(y, {p: np.ones((2, 3))})
        b = sess.run(y, {p: np.ones((5, 3))})
    return {"static": y.shape.as_list(), "shapes": [list(a.shape), list(b.shape)], "b": b}


def case_placeholder_named(tf):
    p = tf.placeholder(tf.float32, name="p")
    q = tf.placeholder(tf.float32, shape=(2,), name="p")
    return {"names": [p.name, q.name], "type": p.op.type}


def case_placeholder_with_default(tf):
    d = tf.placeholder_with_default(tf.constant([1.0, 2.0]), shape=[2])
    y = d * 10
    with tf.Session() as sess:
        unfed = sess.run(y)
        fed = sess.run(y, {d: [5.0, 6.0]})
    return {"ops": _ops(tf), "repr": repr(d), "unfed": unfed, "fed": fed}


def case_placeholder_with_default_python_value(tf):
    d = tf.placeholder_with_default(3.0, shape=[])
    return {"ops": _ops(tf), "dtype": d.dtype.name, "unfed": _run(tf, d),
            "fed": _run(tf, d, {d: 4.0})}


def case_placeholder_string_feed(tf):
    p = tf.placeholder(tf.string)
    v = _run(tf, p, {p: "abc"})
    return {"value": v, "type": _fetch_type(v), "dtype": p.dtype.name}


# ---- Variables ---------------------------------------------------------------------------

def case_variable_attributes(tf):
    x = tf.Variable(42)
    return {"name": x.name, "op_name": x.op.name, "op_type": x.op.type,
            "initializer": [x.initializer.name, x.initializer.type],
            "initial_value": [x.initial_value.name, repr(x.initial_value)],
            "value": [x.value().name, repr(x.value())],
            "dtype": [repr(x.dtype), x.dtype.name, repr(x.dtype.base_dtype)],
            "shape": [repr(x.shape), x.shape.as_list(), x.get_shape().as_list()],
            "graph": x.graph is tf.get_default_graph()}


def case_variable_float_matrix_attributes(tf):
    w = tf.Variable([[1.0, 2.0, 3.0]], name="w")
    return {"repr": repr(w), "dtype": repr(w.dtype), "shape": w.shape.as_list(),
            "read": repr(w.value()), "ops": _ops(tf)}


def case_variable_names_uniquified(tf):
    a = tf.Variable(1)
    b = tf.Variable(1)
    c = tf.Variable(1, name="v")
    d = tf.Variable(1, name="v")
    with tf.name_scope("ns"):
        e = tf.Variable(1)
    return [v.name for v in [a, b, c, d, e]]


def case_variable_from_tensor_initial_value(tf):
    v = tf.Variable(tf.zeros([2]))
    return {"ops": _ops(tf), "initial_value": v.initial_value.name,
            "value": _run(tf, v.initial_value)}


def case_variable_uninitialized_read_error(tf):
    x = tf.Variable(42)
    return {"read": catch(_run, tf, x), "in_op": catch(_run, tf, x + 1)}


def case_variable_assign_methods(tf):
    x = tf.Variable(10)
    a = x.assign(5)
    b = x.assign_add(3)
    c = x.assign_sub(1)
    with tf.Session() as sess:
        sess.run(x.initializer)
        values = [sess.run(a), sess.run(x), sess.run(b), sess.run(c), sess.run(x)]
    return {"ops": _ops(tf), "names": [a.name, b.name, c.name],
            "reprs": [repr(a), repr(b)], "values": values}


def case_tf_assign_functions(tf):
    x = tf.Variable(1.0)
    a = tf.assign(x, 4.0)
    b = tf.assign_add(x, 2.0)
    c = tf.assign_sub(x, 0.5)
    with tf.Session() as sess:
        sess.run(x.initializer)
        values = [sess.run(a), sess.run(b), sess.run(c), sess.run(x)]
    return {"ops": _ops(tf), "values": values, "dtype": repr(a.dtype)}


def case_assign_from_own_value(tf):
    x = tf.Variable(42)
    double = tf.assign(x, x * 2)
    with tf.Session() as sess:
        sess.run(x.initializer)
        values = [sess.run(double), sess.run(double), sess.run(x.assign(x + 1))]
    return {"ops": _names(tf), "values": values}


def case_assign_shape_mismatch_error(tf):
    x = tf.Variable([1.0, 2.0])
    return catch(x.assign, [1.0, 2.0, 3.0])


def case_global_variables_initializer(tf):
    a = tf.Variable(1)
    b = tf.Variable(2.0)
    init = tf.global_variables_initializer()
    with tf.Session() as sess:
        result = sess.run(init)
        values = sess.run([a, b])
    return {"name": init.name, "type": init.type, "repr": repr(init),
            "io": [len(init.inputs), len(init.outputs)],
            "control_inputs": sorted(op.name for op in init.control_inputs),
            "result": result, "values": values}


def case_initializer_names_uniquified(tf):
    tf.Variable(1)
    i1 = tf.global_variables_initializer()
    i2 = tf.global_variables_initializer()
    i3 = tf.variables_initializer([])
    return [i1.name, i2.name, i3.name, i3.type]


def case_variables_initializer_subset(tf):
    a = tf.Variable(1, name="a")
    b = tf.Variable(2, name="b")
    init = tf.variables_initializer([a])
    with tf.Session() as sess:
        sess.run(init)
        return {"name": init.name, "a": sess.run(a), "b": catch(sess.run, b)}


def case_stale_initializer_misses_new_variable(tf):
    a = tf.Variable(1, name="a")
    init = tf.global_variables_initializer()
    b = tf.Variable(2, name="b")
    with tf.Session() as sess:
        sess.run(init)
        return {"a": sess.run(a), "b": catch(sess.run, b)}


def case_global_and_trainable_variables(tf):
    tf.Variable(1, name="w")
    tf.Variable(2, name="step", trainable=False)
    with tf.variable_scope("s"):
        tf.get_variable("k", [1])
        tf.get_variable("frozen", [1], trainable=False)
    return {"global": [v.name for v in tf.global_variables()],
            "trainable": [v.name for v in tf.trainable_variables()]}


def case_graphkeys_values(tf):
    return {"GLOBAL_VARIABLES": tf.GraphKeys.GLOBAL_VARIABLES,
            "TRAINABLE_VARIABLES": tf.GraphKeys.TRAINABLE_VARIABLES,
            "LOCAL_VARIABLES": tf.GraphKeys.LOCAL_VARIABLES}


def case_collections(tf):
    c = tf.constant(1)
    tf.add_to_collection("foo", c)
    tf.add_to_collection("foo", 3)
    foo = tf.get_collection("foo")
    v = tf.Variable(1)
    return {"foo_first_is_c": foo[0] is c, "foo_second": foo[1], "len": len(foo),
            "missing": tf.get_collection("missing"),
            "globals": [x.name for x in tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES)],
            "trainables": [x.name for x in tf.get_collection(tf.GraphKeys.TRAINABLE_VARIABLES)],
            "same_var": tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES)[0] is v}


def case_get_collection_returns_copy(tf):
    tf.add_to_collection("foo", 1)
    got = tf.get_collection("foo")
    got.append(2)
    return tf.get_collection("foo")


def case_collections_per_graph(tf):
    tf.add_to_collection("foo", 1)
    g = tf.Graph()
    with g.as_default():
        tf.add_to_collection("foo", 2)
        inner = tf.get_collection("foo")
    return {"inner": inner, "outer": tf.get_collection("foo"), "g": g.get_collection("foo")}


# ---- variable_scope and get_variable ---------------------------------------------------

def case_get_variable_in_scope_names(tf):
    with tf.variable_scope("scope"):
        w = tf.get_variable("w", [2], initializer=tf.zeros_initializer())
    return {"name": w.name, "op": w.op.name, "repr": repr(w), "ops": _ops(tf)}


def case_get_variable_nested_scopes(tf):
    with tf.variable_scope("a"):
        with tf.variable_scope("b"):
            w = tf.get_variable("w", [1])
    return [w.name, w.op.name]


def case_variable_scope_name(tf):
    with tf.variable_scope("s") as vs:
        inner = tf.get_variable_scope().name
    return {"vs": vs.name, "inner": inner, "outer": tf.get_variable_scope().name}


def case_get_variable_reuse_true(tf):
    with tf.variable_scope("scope"):
        w = tf.get_variable("w", [2])
    n_ops = len(tf.get_default_graph().get_operations())
    with tf.variable_scope("scope", reuse=True):
        w2 = tf.get_variable("w", [2])
    return {"same": w2 is w, "new_ops": len(tf.get_default_graph().get_operations()) - n_ops,
            "globals": [v.name for v in tf.global_variables()]}


def case_get_variable_reuse_via_scope_object(tf):
    with tf.variable_scope("scope") as sc:
        w = tf.get_variable("w", [2])
    with tf.variable_scope(sc, reuse=True):
        w2 = tf.get_variable("w")
    with tf.variable_scope("scope") as sc2:
        sc2.reuse_variables()
        w3 = tf.get_variable("w")
    return {"scope_object": w2 is w, "reuse_variables": w3 is w}


def case_get_variable_exists_without_reuse_error(tf):
    with tf.variable_scope("scope"):
        tf.get_variable("w", [2])
    with tf.variable_scope("scope"):
        return catch(tf.get_variable, "w", [2])


def case_get_variable_missing_with_reuse_error(tf):
    with tf.variable_scope("scope", reuse=True):
        return catch(tf.get_variable, "nope", [2])


def case_get_variable_auto_reuse(tf):
    def make():
        with tf.variable_scope("auto", reuse=tf.AUTO_REUSE):
            return tf.get_variable("a", [1], initializer=tf.ones_initializer())
    a1 = make()
    a2 = make()
    return {"same": a1 is a2, "name": a1.name,
            "globals": [v.name for v in tf.global_variables()]}


def case_get_variable_no_shape_error(tf):
    return catch(tf.get_variable, "w")


def case_get_variable_shape_mismatch_on_reuse_error(tf):
    with tf.variable_scope("s"):
        tf.get_variable("w", [2])
    with tf.variable_scope("s", reuse=True):
        return catch(tf.get_variable, "w", [3])


def case_get_variable_fixed_initializers(tf):
    with tf.variable_scope("s"):
        z = tf.get_variable("z", [2], initializer=tf.zeros_initializer())
        o = tf.get_variable("o", [2, 2], initializer=tf.ones_initializer())
        k = tf.get_variable("k", [3], initializer=tf.constant_initializer(3.0))
        m = tf.get_variable("m", [2, 2], initializer=tf.constant_initializer([1, 2, 3, 4]))
        i = tf.get_variable("i", [2], dtype=tf.int32, initializer=tf.constant_initializer(7))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        values = sess.run([z, o, k, m, i])
    return {"ops": _ops(tf), "dtypes": [repr(v.dtype) for v in [z, o, k, m, i]],
            "values": values}


def case_get_variable_tensor_initializer(tf):
    init = tf.constant([1.0, 2.0])
    v = tf.get_variable("c", initializer=init)
    with tf.Session() as sess:
        sess.run(v.initializer)
        value = sess.run(v)
    return {"name": v.name, "shape": v.shape.as_list(), "ops": _ops(tf), "value": value}


def case_get_variable_random_initializers_shape_dtype(tf):
    inits = {"normal": tf.random_normal_initializer(),
             "truncated": tf.truncated_normal_initializer(stddev=0.1),
             "uniform": tf.random_uniform_initializer(0.0, 1.0),
             "glorot": tf.glorot_uniform_initializer(),
             "default": None}
    vs = {k: tf.get_variable(k, [3, 4], initializer=i) for k, i in inits.items()}
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        vals = sess.run(vs)
    limit = np.sqrt(6.0 / (3 + 4))
    return {"shapes": {k: list(v.shape) for k, v in vals.items()},
            "dtypes": {k: str(v.dtype) for k, v in vals.items()},
            "var_dtypes": {k: repr(v.dtype) for k, v in vs.items()},
            "uniform_in_range": bool(np.all((vals["uniform"] >= 0) & (vals["uniform"] < 1))),
            "truncated_in_range": bool(np.all(np.abs(vals["truncated"]) <= 0.2)),
            "glorot_in_range": bool(np.all(np.abs(vals["glorot"]) <= limit)),
            "default_in_range": bool(np.all(np.abs(vals["default"]) <= limit)),
            "not_constant": bool(np.std(vals["normal"]) > 0)}


def case_tf_random_ops_shape_dtype(tf):
    ts = [tf.random_normal([2, 3]), tf.truncated_normal([4]), tf.random_uniform([2, 2])]
    vals = _run(tf, ts)
    return {"static": [t.shape.as_list() for t in ts], "dtypes": [t.dtype.name for t in ts],
            "shapes": [list(v.shape) for v in vals]}


def case_variable_scope_prefixes_ops(tf):
    with tf.variable_scope("scope"):
        w = tf.get_variable("w", [1], initializer=tf.ones_initializer())
        y = w * 2
    return {"y": y.name, "ops": _names(tf)}


def case_variable_scope_reopened_gets_new_name_scope(tf):
    with tf.variable_scope("scope"):
        a = tf.constant(1)
    with tf.variable_scope("scope"):
        b = tf.constant(1)
    with tf.variable_scope("scope", reuse=True):
        c = tf.constant(1)
    return [a.name, b.name, c.name]


def case_variable_scope_reused_ops_and_variables(tf):
    def layer(x):
        with tf.variable_scope("layer", reuse=tf.AUTO_REUSE):
            w = tf.get_variable("w", [], initializer=tf.constant_initializer(2.0))
            return x * w
    x = tf.constant(3.0)
    y1 = layer(x)
    y2 = layer(y1)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        values = sess.run([y1, y2])
    return {"names": [y1.name, y2.name], "globals": [v.name for v in tf.global_variables()],
            "values": values}


def case_variable_inside_variable_scope(tf):
    with tf.variable_scope("s"):
        v = tf.Variable(1)
    return {"name": v.name, "ops": _names(tf)}


# ---- run semantics ---------------------------------------------------------------------

def case_run_each_op_once_per_run(tf):
    v = tf.Variable(0)
    inc = v.assign_add(1)
    with tf.Session() as sess:
        sess.run(v.initializer)
        both = sess.run([inc, inc])
        after = sess.run(v)
    return {"both": both, "after": after}


def case_run_random_once_per_run(tf):
    r = tf.random_uniform([3])
    with tf.Session() as sess:
        a, b = sess.run([r, r])
        zero = sess.run(r - r)
        c = sess.run(r)
    return {"same_within_run": bool(np.array_equal(a, b)), "r_minus_r": zero,
            "differs_across_runs": not bool(np.array_equal(a, c))}


def case_run_state_persists_across_runs(tf):
    v = tf.Variable(0)
    inc = tf.assign_add(v, 1)
    with tf.Session() as sess:
        sess.run(v.initializer)
        values = [sess.run(inc) for _ in range(3)]
        final = sess.run(v)
    return {"values": values, "final": final}


def case_run_fetch_only_needed_ops(tf):
    v = tf.Variable(0)
    tf.assign_add(v, 1)  # in the graph, but not needed by the fetch below
    unrelated = tf.constant(5)
    with tf.Session() as sess:
        sess.run(v.initializer)
        sess.run(unrelated)
        return sess.run(v)


def case_control_dependencies_effect(tf):
    v = tf.Variable(0)
    upd = tf.assign(v, 5)
    c = tf.constant(1)
    with tf.control_dependencies([upd]):
        out = tf.identity(c)
        k = tf.constant(2)
    with tf.Session() as sess:
        sess.run(v.initializer)
        before = sess.run(v)
        result = sess.run(out)
        after = sess.run(v)
    return {"out_ctrl": [op.name for op in out.op.control_inputs],
            "k_ctrl": [op.name for op in k.op.control_inputs],
            "before": before, "result": result, "after": after}


def case_control_dependencies_read_value(tf):
    v = tf.Variable(1)
    upd = tf.assign_add(v, 10)
    with tf.control_dependencies([upd]):
        r = v.read_value()
    with tf.Session() as sess:
        sess.run(v.initializer)
        return {"name": r.name, "ctrl": [op.name for op in r.op.control_inputs],
                "value": sess.run(r)}


def case_group_runs_all(tf):
    a = tf.Variable(0, name="a")
    b = tf.Variable(0, name="b")
    g = tf.group(tf.assign(a, 1), tf.assign(b, 2))
    with tf.Session() as sess:
        sess.run([a.initializer, b.initializer])
        result = sess.run(g)
        return {"type": g.type, "name": g.name, "result": result, "values": sess.run([a, b])}


def case_session_run_after_close_error(tf):
    c = tf.constant(1)
    sess = tf.Session()
    sess.close()
    return catch(sess.run, c)


def case_session_empty_graph_error(tf):
    g = tf.Graph()
    sess = tf.Session(graph=g)
    try:
        return catch(sess.run, [])
    finally:
        sess.close()


def case_session_fetch_from_other_graph_error(tf):
    g = tf.Graph()
    with g.as_default():
        other = tf.constant(1)
    tf.constant(2)
    return catch(_run, tf, other)


def case_op_mixing_graphs_error(tf):
    g = tf.Graph()
    with g.as_default():
        other = tf.constant(1.0)
    mine = tf.constant(2.0)
    return {"operator": catch(lambda: mine + other), "tf_add": catch(tf.add, mine, other)}


def case_session_graph_argument(tf):
    g = tf.Graph()
    with g.as_default():
        c = tf.constant(7)
    tf.constant(1)
    with tf.Session(graph=g) as sess:
        return {"graph_is_g": sess.graph is g, "value": sess.run(c)}


def case_session_target_graph_config_positional(tf):
    config = tf.ConfigProto()
    config.gpu_options.allow_growth = True
    c = tf.constant(2.0) * 2
    sess = tf.Session("", tf.get_default_graph(), config)
    try:
        return {"allow_growth": config.gpu_options.allow_growth, "value": sess.run(c)}
    finally:
        sess.close()


def case_session_graph_is_default(tf):
    c = tf.constant(1)
    with tf.Session() as sess:
        return {"eq": sess.graph == tf.get_default_graph(), "is": sess.graph is c.graph}


def case_session_context_manager_default_session(tf):
    before = tf.get_default_session()
    with tf.Session() as sess:
        inside = tf.get_default_session() is sess
    after = tf.get_default_session()
    return {"before": before, "inside": inside, "after": after}


def case_session_context_manager_closes(tf):
    c = tf.constant(1)
    with tf.Session() as sess:
        v = sess.run(c)
    return {"value": v, "after": catch(sess.run, c)}


def case_tensor_eval_and_op_run_as_default(tf):
    v = tf.Variable(3)
    y = v * 2
    sess = tf.Session()
    try:
        with sess.as_default():
            ran = v.initializer.run()
            value = y.eval()
            fed = y.eval(feed_dict={v: 10})
    finally:
        sess.close()
    return {"ran": ran, "value": value, "fed": fed}


def case_tensor_eval_session_argument_and_with_block(tf):
    c = tf.constant([1, 2]) * 3
    sess = tf.Session()
    try:
        explicit = c.eval(session=sess)
    finally:
        sess.close()
    with tf.Session():
        in_with = c.eval()
    return [explicit, in_with]


def case_eval_and_run_without_session_error(tf):
    c = tf.constant(1)
    return {"eval": catch(c.eval), "run": catch(c.op.run)}


def case_interactive_session(tf):
    v = tf.Variable(1.5)
    y = v * 2
    sess = tf.InteractiveSession()
    try:
        is_default = tf.get_default_session() is sess
        v.initializer.run()
        value = y.eval()
        run_value = sess.run(v)
    finally:
        sess.close()
    return {"is_default": is_default, "value": value, "run": run_value}


def case_build_time_shape_error(tf):
    return catch(tf.add, tf.zeros([2, 3]), tf.zeros([4]))


def case_build_time_matmul_shape_error(tf):
    a = tf.placeholder(tf.float32, [2, 2])
    b = tf.placeholder(tf.float32, [3, 2])
    return catch(tf.matmul, a, b)


def case_build_time_broadcast_static_shape(tf):
    y = tf.zeros([2, 3]) + tf.zeros([3])
    z = tf.placeholder(tf.float32, [None, 1]) * tf.zeros([4])
    return [y.shape.as_list(), z.shape.as_list()]


def case_run_time_shape_error(tf):
    a = tf.placeholder(tf.float32, [None])
    b = tf.placeholder(tf.float32, [None])
    y = a * b
    return catch(_run, tf, y, {a: [1.0, 2.0], b: [1.0, 2.0, 3.0]})


# ---- the seeds' graph cells -----------------------------------------------------------

def case_seed002_constants_and_add(tf):
    """002 In[3]-In[12]: two constants, tf.add, ops and their input/output counts."""
    g = tf.get_default_graph()
    empty = g.get_operations()
    tf.constant(3.14)
    after_one = [_op_repr(op) for op in g.get_operations()]
    const_operation = g.get_operations()[0]
    const_tensor = const_operation.outputs[0]
    another_const_tensor = tf.constant(1.414)
    sum_tensor = tf.add(const_tensor, another_const_tensor)
    add_op = g.get_operations()[2]
    return {"empty": empty, "after_one": after_one,
            "const_io": [len(const_operation.inputs), len(const_operation.outputs)],
            "const_tensor": repr(const_tensor), "another": repr(another_const_tensor),
            "sum": repr(sum_tensor), "ops": [_op_repr(op) for op in g.get_operations()],
            "add_io": [len(add_op.inputs), len(add_op.outputs)]}


def case_seed002_session_runs(tf):
    """002 In[13]-In[18]: config, sess.graph == g, fetching a tensor, a list and a dict."""
    g = tf.get_default_graph()
    const_tensor = tf.constant(3.14)
    another_const_tensor = tf.constant(1.414)
    sum_tensor = tf.add(const_tensor, another_const_tensor)
    config = tf.ConfigProto()
    config.gpu_options.allow_growth = True
    sess = tf.Session(config=config)
    try:
        return {"graph_eq": sess.graph == g,
                "three": (sess.run(sum_tensor), sess.run(const_tensor),
                          sess.run(another_const_tensor)),
                "list": sess.run([sum_tensor, const_tensor, another_const_tensor]),
                "dict": sess.run({"a": const_tensor, "b": another_const_tensor,
                                  "[a,b,a+b]": [const_tensor, another_const_tensor, sum_tensor]})}
    finally:
        sess.close()


def case_seed002_placeholders(tf):
    """002 In[19]-In[25]: placeholders after Const, Const_1, Add; feeds of three shapes."""
    g = tf.get_default_graph()
    tf.add(tf.constant(3.14), tf.constant(1.414))
    a = tf.placeholder(tf.float32)
    a_repr = repr(a)
    b = tf.placeholder(tf.float32)
    flexible_sum_tensor = tf.add(a, b)
    with tf.Session() as sess:
        values = [sess.run(flexible_sum_tensor, feed_dict={a: 1., b: 2.}),
                  sess.run(flexible_sum_tensor, feed_dict={a: [1.], b: [2.]}),
                  sess.run(flexible_sum_tensor,
                           feed_dict={a: [[1., 2.], [3., 4.]], b: [[5., 6.], [7., 8.]]})]
    return {"a": a_repr, "ops": [_op_repr(op) for op in g.get_operations()], "values": values}


def case_seed002_distance_from_origin(tf):
    """002 In[26]-In[30] on a graph of its own (see the module docstring on Add vs add)."""
    g = tf.get_default_graph()
    a = tf.placeholder(tf.float32)
    b = tf.placeholder(tf.float32)
    distance_from_origin = tf.sqrt((a * a) + (b * b))
    with tf.Session() as sess:
        first = sess.run(distance_from_origin, feed_dict={a: 3., b: 4.})
    with tf.Session() as sess:
        second = sess.run(distance_from_origin, feed_dict={a: 9., b: 12.})
    return {"ops": [_op_repr(op) for op in g.get_operations()],
            "repr": repr(distance_from_origin), "values": [first, second],
            "unfed": catch(_run, tf, distance_from_origin)}


def case_seed002_reset_default_graph(tf):
    """002 In[31]-In[32]."""
    g = tf.get_default_graph()
    tf.constant(1.0)
    tf.reset_default_graph()
    old = [_op_repr(op) for op in g.get_operations()]
    g = tf.get_default_graph()
    return {"old": old, "new": g.get_operations()}


def case_seed002_variable(tf):
    """002 In[33]-In[42]: Variable(42), its four ops, two sessions, x.initializer."""
    g = tf.get_default_graph()
    x = tf.Variable(42)
    summary = [(_op_repr(op), "{} inputs and {} output".format(len(op.inputs), len(op.outputs)))
               for op in g.get_operations()]
    config = tf.ConfigProto()
    config.gpu_options.allow_growth = True
    sess = tf.Session(config=config)
    sess2 = tf.Session(config=config)
    try:
        uninit = catch(sess.run, x)
        ran = sess.run(g.get_operations()[2])
        value = sess.run(x)
        uninit2 = catch(sess2.run, x)
        fixed = (sess2.run(x.initializer), sess2.run(x))
    finally:
        sess.close()
        sess2.close()
    return {"ops": summary, "uninit": uninit, "ran": ran, "value": value,
            "value_type": _fetch_type(value), "uninit2": uninit2, "fixed": fixed}


def case_seed002_gradient_example_forward_names(tf):
    """002 In[44]: a + 2 * b names (the gradient part lives in grad_cases)."""
    g = tf.get_default_graph()
    a = tf.constant(5, name="a")
    b = tf.constant(7, name="b")
    eqn = a + 2 * b
    return {"ops": [_op_repr(op) for op in g.get_operations()], "eqn": repr(eqn),
            "value": _run(tf, eqn)}


def case_seed003_constants(tf):
    one = tf.constant(1)
    two = tf.constant(2)
    three = one + two
    with tf.Session() as sess:
        value = sess.run(three)
        return {"value": value, "graph_eq": sess.graph == tf.get_default_graph(),
                "ops": [_op_repr(op) for op in sess.graph.get_operations()]}


def case_seed003_placeholder(tf):
    one = tf.constant(1)
    x = tf.placeholder(tf.int32)
    y = x + one
    with tf.Session() as sess:
        return {"value": sess.run(y, {x: 2}),
                "ops": [_op_repr(op) for op in sess.graph.get_operations()]}


def case_seed003_variables(tf):
    one = tf.constant(1)
    x = tf.Variable(2)
    y = x + one
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        return {"x": sess.run(x), "y": sess.run(y),
                "ops": [_op_repr(op) for op in sess.graph.get_operations()]}


def case_seed003_matmul(tf):
    x = tf.Variable([[2, 1]])
    y = tf.Variable([[1], [2]])
    z = tf.matmul(x, y)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        return {"z": sess.run(z), "repr": repr(z), "ops": _ops(tf)}


def case_seed000_neuron_forward(tf):
    """000 In[9]-In[12] / 004: weight * input, the last op is mul, value float32 0.8."""
    sess = tf.Session()
    try:
        graph = tf.get_default_graph()
        input_value = tf.constant(1.0)
        weight = tf.Variable(0.8)
        names_before = [op.name for op in graph.get_operations()]
        output_value = weight * input_value
        op = graph.get_operations()[-1]
        inputs = [str(t) for t in op.inputs]
        sess.run(tf.global_variables_initializer())
        value = sess.run(output_value)
    finally:
        sess.close()
    return {"names_before": names_before, "op_name": op.name, "op_type": op.type,
            "inputs": inputs, "value": value, "value_type": _fetch_type(value)}


def case_seed000_named_neuron(tf):
    """000 In[13] / 004: names given by hand, tf.multiply(..., name='output')."""
    x = tf.constant(1.0, name="input")
    w = tf.Variable(0.8, name="weight")
    y = tf.multiply(w, x, name="output")
    y_ = tf.constant(0.0, name="correct_value")
    loss = tf.pow(y - y_, 2, name="loss")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        values = sess.run([y, loss])
    return {"ops": _ops(tf), "names": [x.name, w.name, y.name, y_.name, loss.name],
            "op_names": [t.op.name for t in [x, w, y, y_, loss]], "values": values}


def case_seed004_initialize_all_variables_forward(tf):
    """004: the older initializer name, sess.run(input_value) and the product."""
    graph = tf.get_default_graph()
    input_value = tf.constant(1.0)
    sess = tf.Session()
    try:
        const_value = sess.run(input_value)
        weight = tf.Variable(0.8)
        output_value = weight * input_value
        init = tf.initialize_all_variables()
        sess.run(init)
        value = sess.run(output_value)
    finally:
        sess.close()
    return {"const": const_value, "value": value, "names": _names(tf, graph)}
