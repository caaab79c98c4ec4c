"""tf.data cases: Dataset sources and transformations, iterators, their names, types, shapes,
values and errors (OutOfRangeError at the end, FailedPreconditionError before `initializer`).

Shuffled orders come from each library's own random numbers, so shuffle cases return what
both must agree on: the multiset of elements, each epoch a permutation, batch shapes.
"""
import numpy as np

from cases.harness import catch


def _drain(tf, sess, nxt, limit=100):
    """Every element until OutOfRangeError (as a list), and the error's class name."""
    out = []
    for _ in range(limit):
        try:
            out.append(sess.run(nxt))
        except tf.errors.OutOfRangeError as e:
            return out, type(e).__name__
    return out, None


def _names(tf):
    return [(op.name, op.type) for op in tf.get_default_graph().get_operations()]


def case_data_slices_one_shot(tf):
    ds = tf.data.Dataset.from_tensor_slices(np.arange(6, dtype=np.float32).reshape(3, 2))
    nxt = tf.data.make_one_shot_iterator(ds).get_next()
    with tf.Session() as sess:
        values, err = _drain(tf, sess, nxt)
    return {"values": values, "end": err, "name": nxt.name, "shape": str(nxt.shape), "dtype": nxt.dtype.name,
            "ops": _names(tf), "types": repr(ds.output_types), "shapes": str(ds.output_shapes)}


def case_data_tuple_map_batch(tf):
    x = np.arange(5, dtype=np.float32)
    y = np.arange(5)
    ds = tf.data.Dataset.from_tensor_slices((x, y)).map(lambda a, b: (a * 2.0, b + 1)).batch(2)
    it = ds.make_one_shot_iterator()
    a, b = it.get_next()
    with tf.Session() as sess:
        values, err = _drain(tf, sess, [a, b])
    return {"values": values, "end": err, "names": [a.name, b.name], "shapes": [str(a.shape), str(b.shape)],
            "types": [t.name for t in ds.output_types], "ops": _names(tf)}


def case_data_dict_elements(tf):
    ds = tf.data.Dataset.from_tensor_slices({"x": [[1.0, 2.0], [3.0, 4.0]], "label": [0, 1]})
    ds = ds.map(lambda d: {"x": d["x"] * 10.0, "label": d["label"]})
    nxt = ds.make_one_shot_iterator().get_next()
    with tf.Session() as sess:
        values, err = _drain(tf, sess, nxt)
    return {"values": values, "end": err, "keys": sorted(nxt), "x": str(nxt["x"].shape),
            "label": nxt["label"].dtype.name}


def case_data_batch_drop_remainder(tf):
    ds = tf.data.Dataset.range(7).batch(3, drop_remainder=True)
    nxt = ds.make_one_shot_iterator().get_next()
    ds2 = tf.data.Dataset.range(7).batch(3)
    nxt2 = ds2.make_one_shot_iterator().get_next()
    with tf.Session() as sess:
        v1, e1 = _drain(tf, sess, nxt)
        v2, e2 = _drain(tf, sess, nxt2)
    return {"drop": v1, "keep": v2, "ends": [e1, e2], "shapes": [str(nxt.shape), str(nxt2.shape)],
            "dtype": nxt.dtype.name}


def case_data_repeat_take_skip(tf):
    ds = tf.data.Dataset.range(4).repeat(3).skip(2).take(7)
    nxt = ds.make_one_shot_iterator().get_next()
    with tf.Session() as sess:
        values, err = _drain(tf, sess, nxt)
    return {"values": values, "end": err, "ops": _names(tf)}


def case_data_range_forms(tf):
    out = []
    for args in [(5,), (2, 5), (10, 0, -3), (1, 8, 2)]:
        nxt = tf.data.Dataset.range(*args).make_one_shot_iterator().get_next()
        with tf.Session() as sess:
            out.append(_drain(tf, sess, nxt)[0])
    return out


def case_data_filter(tf):
    ds = tf.data.Dataset.range(10).filter(lambda x: tf.equal(x % 3, 0))
    nxt = ds.make_one_shot_iterator().get_next()
    with tf.Session() as sess:
        values, err = _drain(tf, sess, nxt)
    return {"values": values, "end": err, "ops": _names(tf)}


def case_data_from_tensors(tf):
    ds = tf.data.Dataset.from_tensors(([1, 2, 3], 4.5)).repeat(2)
    a, b = ds.make_one_shot_iterator().get_next()
    with tf.Session() as sess:
        values, err = _drain(tf, sess, (a, b))
    return {"values": values, "end": err, "shapes": [str(a.shape), str(b.shape)],
            "types": [a.dtype.name, b.dtype.name]}


def case_data_initializable_feed(tf):
    x = tf.placeholder(tf.float32, [None, 2], name="x")
    ds = tf.data.Dataset.from_tensor_slices(x).map(lambda r: tf.reduce_sum(r)).batch(2)
    it = ds.make_initializable_iterator()
    nxt = it.get_next()
    with tf.Session() as sess:
        before = catch(sess.run, nxt)
        sess.run(it.initializer, {x: [[1, 2], [3, 4], [5, 6]]})
        first, e1 = _drain(tf, sess, nxt)
        sess.run(it.initializer, {x: [[10, 20]]})
        second, e2 = _drain(tf, sess, nxt)
    return {"before": before, "first": first, "second": second, "ends": [e1, e2], "init": it.initializer.name,
            "init_type": it.initializer.type, "ops": _names(tf), "shape": str(nxt.shape)}


def case_data_two_sessions_independent(tf):
    nxt = tf.data.Dataset.range(3).make_one_shot_iterator().get_next()
    with tf.Session() as s1, tf.Session() as s2:
        return [s1.run(nxt), s1.run(nxt), s2.run(nxt), s1.run(nxt), s2.run(nxt)]


def case_data_get_next_twice(tf):
    it = tf.data.Dataset.range(4).make_one_shot_iterator()
    a = it.get_next()
    b = it.get_next()
    with tf.Session() as sess:
        return {"names": [a.name, b.name], "values": [sess.run(a), sess.run(b), sess.run(a)]}


def case_data_shuffle_behaviour(tf):
    ds = tf.data.Dataset.range(10).shuffle(4, seed=3).repeat(2)
    nxt = ds.make_one_shot_iterator().get_next()
    with tf.Session() as sess:
        values, err = _drain(tf, sess, nxt)
    first, second = [int(v) for v in values[:10]], [int(v) for v in values[10:]]
    return {"count": len(values), "end": err, "epoch1": sorted(first), "epoch2": sorted(second),
            "ops": [n for n in _names(tf) if "Dataset" in n[1] or "Iterator" in n[1]]}


def case_data_shuffle_seeded_repeatable(tf):
    ds = tf.data.Dataset.range(20).shuffle(20, seed=7)
    it = ds.make_initializable_iterator()
    nxt = it.get_next()
    with tf.Session() as sess:
        sess.run(it.initializer)
        a = [int(v) for v in _drain(tf, sess, nxt)[0]]
        sess.run(it.initializer)
        b = [int(v) for v in _drain(tf, sess, nxt)[0]]
    return {"same_order": a == b, "permutation": sorted(a) == list(range(20)), "shuffled": a != sorted(a)}


def case_data_shuffle_batch_prefetch(tf):
    x = np.arange(12, dtype=np.float32).reshape(6, 2)
    ds = tf.data.Dataset.from_tensor_slices(x).shuffle(6, seed=1).batch(4).prefetch(1)
    nxt = ds.make_one_shot_iterator().get_next()
    with tf.Session() as sess:
        values, err = _drain(tf, sess, nxt)
    rows = sorted(tuple(r) for v in values for r in v.tolist())
    return {"shapes": [list(v.shape) for v in values], "rows": rows, "end": err, "static": str(nxt.shape)}


def case_data_output_types_shapes(tf):
    ds = tf.data.Dataset.from_tensor_slices((np.zeros((4, 3), np.float32), np.zeros(4, np.int32)))
    b = ds.batch(2)
    return {"types": [t.name for t in ds.output_types], "shapes": [str(s) for s in ds.output_shapes],
            "batched": [str(s) for s in b.output_shapes],
            "classes": [c.__name__ for c in ds.output_classes],
            "get": [str(s) for s in tf.data.get_output_shapes(b)]}


def case_data_slices_mismatch(tf):
    return catch(tf.data.Dataset.from_tensor_slices, (np.zeros(3), np.zeros(4)))


def case_data_map_random_per_element(tf):
    ds = tf.data.Dataset.range(5).map(lambda i: tf.random_uniform([]) + tf.cast(i, tf.float32) * 0.0)
    nxt = ds.make_one_shot_iterator().get_next()
    with tf.Session() as sess:
        values, err = _drain(tf, sess, nxt)
    return {"distinct": len(set(float(v) for v in values)), "in_range": all(0 <= v < 1 for v in values), "end": err}


def case_data_batch_shape_mismatch(tf):
    ds = tf.data.Dataset.range(1, 4).map(lambda n: tf.range(n)).batch(2)
    nxt = ds.make_one_shot_iterator().get_next()
    with tf.Session() as sess:
        return catch(sess.run, nxt)


def case_data_from_generator(tf):
    def gen():
        for i in range(3):
            yield i, [float(i)] * 2
    ds = tf.data.Dataset.from_generator(gen, (tf.int32, tf.float32), (tf.TensorShape([]), tf.TensorShape([2])))
    a, b = ds.make_one_shot_iterator().get_next()
    with tf.Session() as sess:
        values, err = _drain(tf, sess, (a, b))
    return {"values": values, "end": err, "shapes": [str(a.shape), str(b.shape)]}


# ---- TFRecord files, tf.train.Example, parse_single_example ------------------------------------
def _example(tf, i):
    return tf.train.Example(features=tf.train.Features(feature={
        "x": tf.train.Feature(float_list=tf.train.FloatList(value=[i, i + 0.5])),
        "y": tf.train.Feature(int64_list=tf.train.Int64List(value=[i * 10])),
        "name": tf.train.Feature(bytes_list=tf.train.BytesList(value=[b"row%d" % i]))}))


_SPEC = {"x": ([2], "float32"), "y": ([], "int64"), "name": ([], "string")}


def _spec(tf, **extra):
    spec = {k: tf.io.FixedLenFeature(shape, getattr(tf, dt)) for k, (shape, dt) in _SPEC.items()}
    spec.update(extra)
    return spec


def _as_dict(tf, data):
    """A serialized Example's features as {key: (kind, values)} (its map order is TF's own)."""
    f = tf.train.Example.FromString(data).features.feature
    return {k: (f[k].WhichOneof("kind"), list(getattr(f[k], f[k].WhichOneof("kind")).value)) for k in f}


def case_data_example_bytes(tf):
    ex = _example(tf, 2)
    data = ex.SerializeToString()
    back = tf.train.Example.FromString(data)
    f = back.features.feature
    single = tf.train.Example(features=tf.train.Features(feature={
        "v": tf.train.Feature(float_list=tf.train.FloatList(value=[1.5, -2.0]))})).SerializeToString()
    return {"size": len(data), "single": single, "parsed": _as_dict(tf, data), "x": list(f["x"].float_list.value), "y": list(f["y"].int64_list.value),
            "kind": f["name"].WhichOneof("kind"), "equal": back == ex}


def case_data_tfrecord_roundtrip(tf):
    import os
    import tempfile
    path = os.path.join(tempfile.mkdtemp(), "rows.tfrecord")
    with tf.io.TFRecordWriter(path) as w:
        for i in range(5):
            w.write(_example(tf, i).SerializeToString())
    raw = open(path, "rb").read()
    records = list(tf.python_io.tf_record_iterator(path))
    ds = tf.data.TFRecordDataset(path).map(lambda r: tf.io.parse_single_example(r, _spec(tf))).batch(2)
    nxt = ds.make_one_shot_iterator().get_next()
    with tf.Session() as sess:
        values, err = _drain(tf, sess, nxt)
    return {"size": len(raw), "records": [_as_dict(tf, r) for r in records], "values": values, "end": err,
            "shapes": {k: str(v.shape) for k, v in nxt.items()}, "types": {k: v.dtype.name for k, v in nxt.items()}}


def case_data_parse_default_and_errors(tf):
    data = _example(tf, 1).SerializeToString()
    s = tf.placeholder(tf.string, [])
    with_default = tf.parse_single_example(s, _spec(tf, z=tf.FixedLenFeature([2], tf.int64, default_value=[7, 8])))
    missing = tf.parse_single_example(s, {"z": tf.FixedLenFeature([1], tf.float32)})
    wrong_type = tf.parse_single_example(s, {"y": tf.FixedLenFeature([], tf.float32)})
    wrong_size = tf.parse_single_example(s, {"x": tf.FixedLenFeature([3], tf.float32)})
    with tf.Session() as sess:
        return {"default": sess.run(with_default, {s: data}),
                "missing": catch(sess.run, missing, {s: data}), "wrong_type": catch(sess.run, wrong_type, {s: data}),
                "wrong_size": catch(sess.run, wrong_size, {s: data}),
                "not_example": catch(sess.run, missing, {s: b"not a proto"}),
                "shapes": {k: str(v.shape) for k, v in with_default.items()}}


def case_data_tfrecord_corrupt(tf):
    import os
    import tempfile
    path = os.path.join(tempfile.mkdtemp(), "bad.tfrecord")
    with tf.io.TFRecordWriter(path) as w:
        w.write(b"hello")
        w.write(b"world")
    raw = open(path, "rb").read()
    out = {}
    for label, data in [("flipped", raw[:14] + b"X" + raw[15:]), ("cut", raw[:-3])]:
        with open(path, "wb") as f:
            f.write(data)
        nxt = tf.data.TFRecordDataset(path).make_one_shot_iterator().get_next()
        with tf.Session() as sess:
            out[label] = [catch(sess.run, nxt), catch(sess.run, nxt)]
    return out


def case_data_tfrecord_missing_file(tf):
    nxt = tf.data.TFRecordDataset("/nonexistent/dir/x.tfrecord").make_one_shot_iterator().get_next()
    with tf.Session() as sess:
        return catch(sess.run, nxt)


def case_data_text_line_dataset(tf):
    import os
    import tempfile
    path = os.path.join(tempfile.mkdtemp(), "t.csv")
    with open(path, "w") as f:
        f.write("a,b\n1,2.5\n3,4\r\n")
    ds = tf.data.TextLineDataset(path).skip(1).map(lambda line: tf.decode_csv(line, [[0], [0.0]]))
    a, b = ds.make_one_shot_iterator().get_next()
    with tf.Session() as sess:
        values, err = _drain(tf, sess, [a, b])
    return {"values": values, "end": err}


# ---- decode_csv, read_file -------------------------------------------------------------------------
def case_data_decode_csv(tf):
    lines = tf.constant(["1,2.5,a", "3,,b", '4,5,"c,d"', "-2,1e3,"])
    cols = tf.decode_csv(lines, [[0], [9.0], ["zz"]])
    semi = tf.decode_csv(tf.constant([["1;2"], ["3;4"]]), [[0.0], tf.constant([], tf.int64)], field_delim=";")
    with tf.Session() as sess:
        return {"cols": sess.run(cols), "semi": sess.run(semi), "names": [c.name for c in cols],
                "shapes": [str(c.shape) for c in semi], "types": [c.dtype.name for c in cols + semi]}


def case_data_decode_csv_errors(tf):
    p = tf.placeholder(tf.string, [None])
    cols = tf.decode_csv(p, [[0], tf.constant([], tf.float32)])
    with tf.Session() as sess:
        return {"few": catch(sess.run, cols, {p: ["1"]}), "many": catch(sess.run, cols, {p: ["1,2,3"]}),
                "required": catch(sess.run, cols, {p: ["1,"]}), "not_int": catch(sess.run, cols, {p: ["x,2"]}),
                "not_float": catch(sess.run, cols, {p: ["1,y"]}), "ok": sess.run(cols, {p: ["5,6"]})}


def case_data_read_file(tf):
    import os
    import tempfile
    path = os.path.join(tempfile.mkdtemp(), "f.txt")
    with open(path, "wb") as f:
        f.write(b"line one\nline two\n")
    t = tf.read_file(path)
    missing = tf.read_file(path + ".nope")
    with tf.Session() as sess:
        return {"value": sess.run(t), "dtype": t.dtype.name, "shape": str(t.shape), "missing": catch(sess.run, missing)}


# ---- queues, readers, queue runners ----------------------------------------------------------------
def _csv(text):
    import os
    import tempfile
    path = os.path.join(tempfile.mkdtemp(), "data.csv")
    with open(path, "w") as f:
        f.write(text)
    return path


def _csv_rows(n):
    return "x,y\n" + "".join(f"{i},{i * 0.5 + 1}\n" for i in range(n))


def case_queue_fifo_basics(tf):
    q = tf.FIFOQueue(5, [tf.float32, tf.int32], shapes=[[], [2]])
    e = q.enqueue([1.5, [1, 2]])
    em = q.enqueue_many([[2.5, 3.5, 4.5], [[3, 4], [5, 6], [7, 8]]])
    d = q.dequeue()
    dm = q.dequeue_many(2)
    du = q.dequeue_up_to(3)
    size = q.size()
    close = q.close()
    with tf.Session() as sess:
        sess.run(e)
        sess.run(em)
        out = {"size": sess.run(size), "one": sess.run(d), "two": sess.run(dm)}
        sess.run(close)
        out.update({"after_close": catch(sess.run, e), "up_to": sess.run(du), "empty": catch(sess.run, d),
                    "closed_size": sess.run(size)})
    out["names"] = [op.name for op in tf.get_default_graph().get_operations()]
    out["types"] = [op.type for op in tf.get_default_graph().get_operations()]
    out["shapes"] = [str(t.shape) for t in [d[0], d[1], dm[0], dm[1], du[0], size]]
    return out


def case_queue_enqueue_shape_mismatch(tf):
    q = tf.FIFOQueue(3, [tf.float32], shapes=[[2]])
    return {"enqueue": catch(q.enqueue, [[1.0, 2.0, 3.0]]), "many": catch(q.enqueue_many, [[[1.0], [2.0]]]),
            "count": catch(q.enqueue, [1.0, 2.0])}


def case_queue_text_line_reader(tf):
    path = _csv(_csv_rows(3))
    files = tf.train.string_input_producer([path], num_epochs=2, shuffle=False)
    reader = tf.TextLineReader(skip_header_lines=1)
    key, value = reader.read(files)
    x, y = tf.decode_csv(value, [[0], [0.0]])
    out = []
    with tf.Session() as sess:
        sess.run([tf.global_variables_initializer(), tf.local_variables_initializer()])
        coord = tf.train.Coordinator()
        threads = tf.train.start_queue_runners(sess, coord)
        err = None
        try:
            while not coord.should_stop():
                k, xv, yv = sess.run([key, x, y])
                out.append([k.decode().rsplit("/", 1)[-1], xv, yv])
        except tf.errors.OutOfRangeError as e:
            err = type(e).__name__
        stop_before = coord.should_stop()
        coord.request_stop()
        coord.join(threads)
    return {"rows": out, "end": err, "stop_before": stop_before, "stop_after": coord.should_stop(),
            "names": [key.name, value.name, x.name, files.name],
            "local": [v.op.name for v in tf.local_variables()],
            "runners": [(qr.name, [o.name for o in qr.enqueue_ops], qr.close_op.name, qr.cancel_op.name)
                        for qr in tf.get_collection(tf.GraphKeys.QUEUE_RUNNERS)]}


def _batches(tf, fetches, limit=50):
    out, err = [], None
    with tf.Session() as sess:
        sess.run([tf.global_variables_initializer(), tf.local_variables_initializer()])
        coord = tf.train.Coordinator()
        threads = tf.train.start_queue_runners(sess=sess, coord=coord)
        try:
            for _ in range(limit):
                out.append(sess.run(fetches))
        except tf.errors.OutOfRangeError as e:
            err = type(e).__name__
        finally:
            coord.request_stop()
        coord.join(threads)
    return out, err


def case_queue_batch_csv(tf):
    path = _csv(_csv_rows(5))
    files = tf.train.string_input_producer([path], num_epochs=1, shuffle=False)
    _, value = tf.TextLineReader(skip_header_lines=1).read(files)
    x, y = tf.decode_csv(value, [[0], [0.0]])
    xb, yb = tf.train.batch([x, y], batch_size=2)
    out, err = _batches(tf, [xb, yb])
    return {"batches": out, "end": err, "names": [xb.name, yb.name], "shapes": [str(xb.shape), str(yb.shape)],
            "summaries": [s.op.name for s in tf.get_collection(tf.GraphKeys.SUMMARIES)]}


def case_queue_batch_smaller_final(tf):
    path = _csv(_csv_rows(5))
    files = tf.train.string_input_producer([path], num_epochs=1, shuffle=False)
    _, value = tf.TextLineReader(skip_header_lines=1).read(files)
    x, y = tf.decode_csv(value, [[0], [0.0]])
    xb = tf.train.batch([x], batch_size=2, allow_smaller_final_batch=True)
    out, err = _batches(tf, xb)
    return {"batches": out, "end": err, "name": xb.name, "shape": str(xb.shape)}


def case_queue_batch_dict(tf):
    x, y = tf.train.slice_input_producer([np.arange(6, dtype=np.float32), np.arange(6) * 10], num_epochs=1,
                                         shuffle=False)
    b = tf.train.batch({"x": x, "y": y}, batch_size=3)
    out, err = _batches(tf, b)
    return {"batches": out, "end": err, "keys": sorted(b), "x": b["x"].name}


def case_queue_slice_input_producer(tf):
    feats = np.arange(8, dtype=np.float32).reshape(4, 2)
    labels = np.array([0, 1, 0, 1])
    f, l_ = tf.train.slice_input_producer([feats, labels], num_epochs=2, shuffle=False)
    out, err = _batches(tf, [f, l_])
    return {"rows": out, "end": err, "shapes": [str(f.shape), str(l_.shape)], "names": [f.name, l_.name]}


def case_queue_shuffle_batch_behaviour(tf):
    x, = tf.train.slice_input_producer([np.arange(20)], num_epochs=1, shuffle=True, seed=4)
    xb = tf.train.shuffle_batch([x], batch_size=4, capacity=12, min_after_dequeue=5, seed=2)
    out, err = _batches(tf, xb)
    seen = sorted(int(v) for b in out for v in b)
    return {"count": len(out), "shapes": [list(b.shape) for b in out], "all_seen": seen == list(range(20)),
            "end": err, "name": xb.name, "static": str(xb.shape)}


def case_queue_random_shuffle_queue(tf):
    q = tf.RandomShuffleQueue(10, 0, [tf.int32], shapes=[[]], seed=3)
    fill = q.enqueue_many([list(range(10))])
    take = q.dequeue_many(10)
    with tf.Session() as sess:
        sess.run(fill)
        got = sess.run(take)
    return {"sorted": sorted(got.tolist()), "shuffled": got.tolist() != list(range(10)), "names": [q.name, take.name]}


def case_queue_producer_no_epochs_cycles(tf):
    q = tf.train.string_input_producer(["a", "b", "c"], shuffle=False)
    d = q.dequeue()
    with tf.Session() as sess:
        tf.train.start_queue_runners(sess)
        return [sess.run(d) for _ in range(7)]


def case_queue_coordinator(tf):
    c = tf.train.Coordinator()
    a = [c.should_stop()]
    try:
        raise tf.errors.OutOfRangeError(None, None, "done")
    except tf.errors.OutOfRangeError as e:
        c.request_stop(e)
    a.append(c.should_stop())
    a.append(catch(c.join, []))
    c2 = tf.train.Coordinator()
    try:
        raise ValueError("boom")
    except ValueError as e:
        c2.request_stop(e)
    a.append(catch(c2.join, []))
    c3 = tf.train.Coordinator()
    with c3.stop_on_exception():
        raise RuntimeError("inside")
    a.append(c3.should_stop())
    return a


def case_queue_empty_producer(tf):
    return catch(tf.train.string_input_producer, [])


def case_queue_tfrecord_reader(tf):
    import os
    import tempfile
    path = os.path.join(tempfile.mkdtemp(), "r.tfrecord")
    with tf.io.TFRecordWriter(path) as w:
        for i in range(3):
            w.write(_example(tf, i).SerializeToString())
    files = tf.train.string_input_producer([path], num_epochs=1, shuffle=False)
    key, value = tf.TFRecordReader().read(files)
    parsed = tf.parse_single_example(value, _spec(tf))
    out, err = _batches(tf, [key, parsed])
    return {"rows": [[k.decode().rsplit("/", 1)[-1], p] for k, p in out], "end": err}


# ---- zip, concatenate, reinitializable iterators, decode_png ----------------------------------------
def case_data_zip_concatenate(tf):
    a = tf.data.Dataset.range(3)
    b = tf.data.Dataset.from_tensor_slices(np.arange(5.0))
    z = tf.data.Dataset.zip((a, {"v": b}))
    c = a.concatenate(tf.data.Dataset.range(10, 12))
    zn = z.make_one_shot_iterator().get_next()
    cn = c.make_one_shot_iterator().get_next()
    with tf.Session() as sess:
        zv, ze = _drain(tf, sess, zn)
        cv, ce = _drain(tf, sess, cn)
    return {"zip": zv, "concat": cv, "ends": [ze, ce], "types": repr(z.output_types),
            "ops": [n for n in _names(tf) if "Dataset" in n[1]], "bad": catch(a.concatenate, b)}


def case_data_iterator_from_structure(tf):
    train = tf.data.Dataset.from_tensor_slices(np.arange(6, dtype=np.float32)).batch(4)
    valid = tf.data.Dataset.from_tensor_slices(np.arange(100, 103, dtype=np.float32)).batch(4)
    it = tf.data.Iterator.from_structure(train.output_types, train.output_shapes)
    nxt = it.get_next()
    to_train, to_valid = it.make_initializer(train), it.make_initializer(valid)
    with tf.Session() as sess:
        before = catch(sess.run, nxt)
        sess.run(to_train)
        t, te = _drain(tf, sess, nxt)
        sess.run(to_valid)
        v, ve = _drain(tf, sess, nxt)
    return {"before": before, "train": t, "valid": v, "ends": [te, ve], "names": [to_train.name, to_valid.name],
            "shape": str(nxt.shape), "wrong": catch(it.make_initializer, tf.data.Dataset.range(3))}


def _png(pixels):
    """A PNG file of uint8 `pixels` (h, w, c), rows filtered None, Sub, Up in turn (plain zlib)."""
    import struct
    import zlib
    h, w, c = pixels.shape
    raw, prev = b"", np.zeros(w * c, np.int64)
    for y in range(h):
        row = pixels[y].reshape(-1).astype(np.int64)
        kind = y % 3
        if kind == 1:
            left = np.concatenate([np.zeros(c, np.int64), row[:-c]])
            line = (row - left) % 256
        elif kind == 2:
            line = (row - prev) % 256
        else:
            line = row
        raw += bytes([kind]) + bytes(line.astype(np.uint8).tolist())
        prev = row

    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    color = {1: 0, 2: 4, 3: 2, 4: 6}[c]
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, color, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def case_data_decode_png(tf):
    rgb = (np.arange(4 * 5 * 3).reshape(4, 5, 3) * 7 % 256).astype(np.uint8)
    gray = (np.arange(3 * 2).reshape(3, 2, 1) * 40).astype(np.uint8)
    s = tf.placeholder(tf.string, [])
    same = tf.io.decode_png(s)
    rgba = tf.io.decode_png(s, channels=4)
    as_rgb = tf.io.decode_png(s, channels=3)
    with tf.Session() as sess:
        return {"rgb": sess.run(same, {s: _png(rgb)}), "rgba": sess.run(rgba, {s: _png(rgb)}),
                "gray": sess.run(same, {s: _png(gray)}), "gray_rgb": sess.run(as_rgb, {s: _png(gray)}),
                "shapes": [str(same.shape), str(rgba.shape)], "name": same.name,
                "not_png": catch(sess.run, same, {s: b"GIF89a not a png"})}


def case_data_feedable_iterator(tf):
    train = tf.data.Dataset.range(100).make_one_shot_iterator()
    valid = tf.data.Dataset.range(500, 503).make_initializable_iterator()
    handle = tf.placeholder(tf.string, shape=[])
    it = tf.data.Iterator.from_string_handle(handle, train.output_types, train.output_shapes)
    nxt = it.get_next()
    with tf.Session() as sess:
        th, vh = sess.run([train.string_handle(), valid.string_handle()])
        sess.run(valid.initializer)
        out = [sess.run(nxt, {handle: th}), sess.run(nxt, {handle: th}), sess.run(nxt, {handle: vh}),
               sess.run(nxt, {handle: th})]
    return {"values": out, "shape": str(nxt.shape), "dtype": nxt.dtype.name}


def case_queue_whole_file_reader(tf):
    import os
    import tempfile
    d = tempfile.mkdtemp()
    names = []
    for i in range(2):
        names.append(os.path.join(d, f"f{i}.txt"))
        with open(names[-1], "wb") as f:
            f.write(b"contents %d\n" % i)
    files = tf.train.string_input_producer(names, num_epochs=1, shuffle=False)
    key, value = tf.WholeFileReader().read(files)
    out, err = _batches(tf, [key, value])
    return {"rows": [[k.decode().rsplit("/", 1)[-1], v] for k, v in out], "end": err}


def case_data_flat_map_interleave(tf):
    ds = tf.data.Dataset.range(1, 4)
    fm = ds.flat_map(lambda n: tf.data.Dataset.from_tensors(n).repeat(n))
    il = ds.interleave(lambda n: tf.data.Dataset.from_tensors(n * 10).repeat(n + 1), cycle_length=2, block_length=2)
    a = fm.make_one_shot_iterator().get_next()
    b = il.make_one_shot_iterator().get_next()
    with tf.Session() as sess:
        return {"flat_map": _drain(tf, sess, a), "interleave": _drain(tf, sess, b), "shape": str(a.shape),
                "ops": [n for n in _names(tf) if "Dataset" in n[1]]}


def case_data_flat_map_files(tf):
    paths = [_csv("h\n1\n2\n"), _csv("h\n3\n")]
    ds = tf.data.Dataset.from_tensor_slices(paths).flat_map(lambda f: tf.data.TextLineDataset(f).skip(1))
    ds = ds.map(lambda line: tf.decode_csv(line, [[0]]))
    nxt = ds.make_one_shot_iterator().get_next()
    with tf.Session() as sess:
        return _drain(tf, sess, nxt)


def case_data_padded_batch(tf):
    ds = tf.data.Dataset.range(1, 6).map(lambda n: (tf.range(n), tf.fill([2, n], n)))
    a = ds.padded_batch(2, padded_shapes=([None], [2, None])).make_one_shot_iterator().get_next()
    b = ds.padded_batch(2, padded_shapes=([6], [2, 5]), padding_values=(tf.constant(-1, tf.int64), tf.constant(9, tf.int64)),
                        drop_remainder=True).make_one_shot_iterator().get_next()
    with tf.Session() as sess:
        return {"a": _drain(tf, sess, a), "b": _drain(tf, sess, b), "shapes": [str(t.shape) for t in a + b],
                "too_small": catch(lambda: sess.run(ds.padded_batch(2, padded_shapes=([2], [2, 2]))
                                                    .make_one_shot_iterator().get_next()))}


def case_data_cache_unbatch_apply(tf):
    cached = tf.data.Dataset.range(6).shuffle(6, seed=3).cache().repeat(3)
    nxt = cached.make_one_shot_iterator().get_next()
    rows = tf.data.Dataset.from_tensor_slices(np.arange(12).reshape(3, 2, 2)).unbatch() \
        .apply(lambda d: d.map(lambda r: r * 10))
    rn = rows.make_one_shot_iterator().get_next()
    with tf.Session() as sess:
        values = [int(v) for v in _drain(tf, sess, nxt)[0]]
        unbatched = _drain(tf, sess, rn)
    return {"epochs_equal": values[:6] == values[6:12] == values[12:], "permutation": sorted(values[:6]) == list(range(6)),
            "count": len(values), "unbatched": unbatched, "shape": str(rn.shape),
            "ops": [n for n in _names(tf) if n[1] in ("CacheDataset", "UnbatchDataset")]}
