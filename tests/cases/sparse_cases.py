"""SparseTensor, the sparse ops, VarLenFeature and Dataset.map capturing outer tensors (issue #25),
written once against the TF1 API. Fetches name the three tensors of a SparseTensor (a fetch of the
SparseTensor itself needs the session hook: tests/test_sparse.py)."""
from cases.harness import catch


def _st(tf, indices=((0, 0), (1, 2)), values=(1.0, 2.0), shape=(3, 4)):
    return tf.SparseTensor(indices=[list(i) for i in indices], values=list(values), dense_shape=list(shape))


def _parts(sess, st):
    return list(sess.run([st.indices, st.values, st.dense_shape]))


def case_sparse_tensor_names_and_shape(tf):
    st = _st(tf)
    return {"names": [st.indices.name, st.values.name, st.dense_shape.name, st.op.name],
            "dtypes": [st.indices.dtype.name, st.dtype.name, st.dense_shape.dtype.name],
            "shape": str(st.get_shape())}


def case_sparse_to_dense(tf):
    st = _st(tf)
    d = tf.sparse_tensor_to_dense(st)
    d2 = tf.sparse.to_dense(st, default_value=-1.0)
    with tf.Session() as sess:
        return {"names": [d.name, [i.name for i in d.op.inputs], d2.name, [i.name for i in d2.op.inputs]],
                "shape": str(d.shape), "values": sess.run([d, d2])}


def case_sparse_to_dense_errors(tf):
    out = []
    for idx in ([[1, 0], [0, 0]], [[1, 0], [1, 0]], [[5, 0], [6, 0]]):
        d = tf.sparse.to_dense(tf.SparseTensor(idx, [1.0, 2.0], [2, 2]))
        with tf.Session() as sess:
            out.append(catch(sess.run, d))
    d = tf.sparse.to_dense(tf.SparseTensor([[1, 0], [0, 0]], [1.0, 2.0], [2, 2]), validate_indices=False)
    with tf.Session() as sess:
        out.append(sess.run(d))
    return out


def case_sparse_reduce_sum(tf):
    st = _st(tf, ((1, 0), (0, 2), (1, 3)), (1.0, 2.0, 4.0))
    r, r1, rk, rn = (tf.sparse_reduce_sum(st), tf.sparse_reduce_sum(st, axis=1),
                     tf.sparse_reduce_sum(st, axis=0, keepdims=True), tf.sparse_reduce_sum(st, axis=-1))
    with tf.Session() as sess:
        return {"names": [r.name, r1.name, [i.name for i in r1.op.inputs]],
                "shapes": [str(t.shape) for t in (r, r1, rk, rn)],
                "values": sess.run([r, r1, rk, rn]),
                "bad_axis": catch(sess.run, tf.sparse_reduce_sum(st, axis=2))}


def case_sparse_dense_matmul(tf):
    st = _st(tf, ((0, 0), (1, 2), (2, 3)), (1.0, 2.0, -1.0))
    b = tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0], [7.0, 8.0]])
    m = tf.sparse_tensor_dense_matmul(st, b)
    mt = tf.sparse.sparse_dense_matmul(st, tf.transpose(b), adjoint_b=True)
    ma = tf.sparse_tensor_dense_matmul(st, tf.ones([3, 2]), adjoint_a=True)
    with tf.Session() as sess:
        return {"names": [m.name, [i.name for i in m.op.inputs]], "shapes": [str(m.shape), str(ma.shape)],
                "values": sess.run([m, mt, ma]),
                "static_error": catch(tf.sparse_tensor_dense_matmul, st, tf.ones([5, 2])),
                "out_of_bounds": catch(sess.run, tf.sparse_tensor_dense_matmul(_st(tf, ((5, 0),), (1.0,)), b))}


def case_sparse_dense_matmul_gradients(tf):
    values = tf.constant([1.0, 2.0, -1.0])
    st = tf.SparseTensor([[0, 0], [1, 2], [2, 3]], values, [3, 4])
    b = tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0], [7.0, 8.0]])
    y = tf.reduce_sum(tf.sparse_tensor_dense_matmul(st, b) * tf.constant([[1.0, -1.0], [2.0, 0.5], [3.0, 1.0]]))
    gv, gb = tf.gradients(y, [values, b])
    with tf.Session() as sess:
        return sess.run([gv, gb])


def case_sparse_reorder_and_add(tf):
    a = _st(tf, ((1, 0), (0, 2)), (1.0, 2.0))
    ro = tf.sparse.reorder(a)
    s = tf.sparse_add(tf.sparse.reorder(a), _st(tf, ((1, 0), (2, 2)), (1.0, -2.0)))
    sd = tf.sparse_add(a, tf.ones([3, 4]))
    with tf.Session() as sess:
        return {"names": [ro.indices.name, ro.values.name, ro.dense_shape.name, s.indices.name, sd.name],
                "shapes": [str(ro.get_shape()), str(s.get_shape()), str(s.indices.shape), str(sd.shape)],
                "reorder": _parts(sess, ro), "add": _parts(sess, s), "add_dense": sess.run(sd)}


def case_sparse_placeholder(tf):
    sp = tf.sparse_placeholder(tf.float32, name="sp")
    sp2 = tf.sparse_placeholder(tf.float32, shape=[3, None])
    total = tf.sparse_reduce_sum(sp)
    with tf.Session() as sess:
        fed = sess.run(total, {sp.indices: [[0, 1], [1, 1]], sp.values: [3.0, 4.0], sp.dense_shape: [2, 2]})
    return {"names": [sp.indices.name, sp.values.name, sp.dense_shape.name, sp2.indices.name, sp2.values.name,
                      sp2.dense_shape.name, sp2.dense_shape.op.type],
            "shapes": [str(sp.get_shape()), str(sp2.get_shape()), str(sp2.indices.shape)], "fed": fed}


def _example(tf, ids, x):
    f = {"ids": tf.train.Feature(int64_list=tf.train.Int64List(value=ids)),
         "x": tf.train.Feature(float_list=tf.train.FloatList(value=x))}
    return tf.train.Example(features=tf.train.Features(feature=f)).SerializeToString()


def case_var_len_feature(tf):
    spec = {"ids": tf.io.VarLenFeature(tf.int64), "x": tf.io.FixedLenFeature([2], tf.float32),
            "w": tf.io.VarLenFeature(tf.string)}
    one = tf.parse_single_example(_example(tf, [3, 1, 4], [1.0, 2.0]), spec)
    batch = tf.parse_example([_example(tf, [3, 1, 4], [1.0, 2.0]), _example(tf, [7], [0.5, 0.5])], spec)
    with tf.Session() as sess:
        return {"repr": repr(tf.io.VarLenFeature(tf.int64)),
                "shapes": [str(one["ids"].indices.shape), str(one["ids"].dense_shape.shape),
                           str(batch["ids"].indices.shape), str(batch["x"].shape)],
                "one": [_parts(sess, one["ids"]), _parts(sess, one["w"]), sess.run(one["x"])],
                "batch": [_parts(sess, batch["ids"]), _parts(sess, batch["w"]), sess.run(batch["x"])]}


def case_map_captures_placeholder(tf):
    p = tf.placeholder(tf.float32, [], name="scale")
    c = tf.constant(10.0, name="ten")
    it = tf.data.Dataset.range(4).map(lambda x: tf.cast(x, tf.float32) * p + c).make_initializable_iterator()
    nx = it.get_next()
    ops = [(op.name, op.type, [i.name for i in op.inputs]) for op in tf.get_default_graph().get_operations()]
    with tf.Session() as sess:
        sess.run(it.initializer, {p: 2.0})
        first = [sess.run(nx), sess.run(nx, {p: 5.0})]  # the value fed to the initializer is kept
        unfed = catch(sess.run, it.initializer)
        sess.run(it.initializer, {p: -1.0})
        again = sess.run(nx)
    return {"ops": ops, "first": first, "unfed": unfed, "again": again}


def case_map_captures_variable_and_filter(tf):
    v = tf.Variable(3.0, name="v")
    p = tf.placeholder(tf.int64, [], name="limit")
    it = tf.data.Dataset.range(6).filter(lambda x: x < p).map(lambda x: tf.cast(x, tf.float32) * v) \
        .make_initializable_iterator()
    nx = it.get_next()
    with tf.Session() as sess:
        sess.run(v.initializer)
        sess.run(it.initializer, {p: 3})
        out = [sess.run(nx)]
        sess.run(v.assign(7.0))
        out += [sess.run(nx), sess.run(nx)]  # the variable was read when the iterator started
        out.append(catch(sess.run, nx))
    return out


def case_one_shot_cannot_capture(tf):
    p = tf.placeholder(tf.float32, [], name="scale")
    v = tf.Variable(3.0, name="v")
    c = tf.constant(2.0)
    ok = tf.data.Dataset.range(3).map(lambda x: tf.cast(x, tf.float32) * c).make_one_shot_iterator().get_next()
    with tf.Session() as sess:
        values = [sess.run(ok) for _ in range(3)]
    return {"values": values,
            "placeholder": catch(lambda: tf.data.Dataset.range(3).map(lambda x: tf.cast(x, tf.float32) * p)
                                 .make_one_shot_iterator()),
            "variable": catch(lambda: tf.data.Dataset.range(3).map(lambda x: tf.cast(x, tf.float32) * v)
                              .make_one_shot_iterator())}


def case_flat_map_interleave_and_cond_capture(tf):
    p = tf.placeholder(tf.int64, [], name="p")
    flat = tf.data.Dataset.range(3).flat_map(
        lambda x: tf.data.Dataset.range(x).map(lambda y: y * p)).make_initializable_iterator()
    mixed = tf.data.Dataset.range(2).interleave(lambda x: tf.data.Dataset.from_tensors(x + p).repeat(2),
                                                cycle_length=2).make_initializable_iterator()
    picked = tf.data.Dataset.range(5).map(lambda x: tf.cond(x < p, lambda: x * 10, lambda: -x)) \
        .make_initializable_iterator()
    nexts = [flat.get_next(), mixed.get_next(), picked.get_next()]
    ops = [(op.name, op.type, [i.name for i in op.inputs]) for op in tf.get_default_graph().get_operations()
           if op.type in ("FlatMapDataset", "InterleaveDataset", "MapDataset")]
    out = []
    with tf.Session() as sess:
        sess.run([flat.initializer, mixed.initializer, picked.initializer], {p: 3})
        for t in nexts:
            values = []
            while True:
                try:
                    values.append(sess.run(t))
                except tf.errors.OutOfRangeError:
                    break
            out.append(values)
    return {"ops": ops, "values": out}
