"""SparseTensor and the sparse ops (issue #25): gradients against float64 central differences,
kernels against dense numpy, Session.run's conversions, and Dataset functions that capture
tensors from outside. Values, names and errors against TensorFlow: tests/cases/sparse_cases.py."""
import itertools

import numpy as np
import pytest

import tfteach as tf
from tfteach import session_conversions
from tfteach.testing import check_gradients

IDX = [[0, 0], [0, 3], [1, 2], [2, 1]]


@pytest.fixture(autouse=True)
def _fresh_graph():
    tf.reset_default_graph()


def _st(values, indices=IDX, shape=(3, 4)):
    return tf.SparseTensor(indices, values, list(shape))


def _rand(shape, seed):
    return np.random.RandomState(seed).standard_normal(shape)


# ---- gradients -------------------------------------------------------------------------------------
@pytest.mark.parametrize("adjoint_a,adjoint_b", list(itertools.product([False, True], repeat=2)))
def test_sparse_dense_matmul_gradients(adjoint_a, adjoint_b):
    inner = 3 if adjoint_a else 4
    b_shape = (2, inner) if adjoint_b else (inner, 2)
    check_gradients(lambda v, b: tf.sparse_tensor_dense_matmul(_st(v), b, adjoint_a=adjoint_a, adjoint_b=adjoint_b),
                    [_rand(4, 0), _rand(b_shape, 1)])


@pytest.mark.parametrize("axis,keepdims", [(None, False), (0, False), (1, True), (-1, False), ([0, 1], True)])
def test_sparse_reduce_sum_gradients(axis, keepdims):
    check_gradients(lambda v: tf.sparse_reduce_sum(_st(v), axis=axis, keepdims=keepdims), [_rand(4, 2)])


def test_sparse_to_dense_gradients_values_and_default():
    check_gradients(lambda v, d: tf.sparse_tensor_to_dense(_st(v), default_value=d), [_rand(4, 3), np.array(0.5)])


def test_sparse_dense_add_gradients():
    check_gradients(lambda v, b: tf.sparse_add(_st(v), b), [_rand(4, 4), _rand((3, 4), 5)])


def test_sparse_reorder_gradient_puts_values_back_in_input_order():
    unsorted = [[2, 1], [0, 3], [1, 2], [0, 0]]
    check_gradients(lambda v: tf.sparse.reorder(_st(v, unsorted)).values * np.arange(1.0, 5.0), [_rand(4, 6)])


def test_sparse_add_gradients_of_both_values():
    other = [[0, 3], [1, 0], [2, 1]]
    check_gradients(lambda a, b: tf.sparse_add(_st(a), _st(b, other)).values, [_rand(4, 7), _rand(3, 8)])


# ---- kernels against dense numpy ---------------------------------------------------------------------
def _dense(indices, values, shape):
    out = np.zeros(shape)
    for i, v in zip(indices, values):
        out[tuple(i)] += v
    return out


def test_matmul_and_reduce_match_dense_numpy_with_repeated_indices():
    rng = np.random.RandomState(0)
    idx = sorted(map(list, rng.randint(0, 5, size=(12, 2))))  # repeats sum, as in TF
    values, b = rng.standard_normal(12), rng.standard_normal((5, 3))
    st = tf.SparseTensor(idx, values, [5, 5])
    dense = _dense(idx, values, (5, 5))
    with tf.Session() as sess:
        m, ma, r0, r1 = sess.run([tf.sparse_tensor_dense_matmul(st, b),
                                  tf.sparse_tensor_dense_matmul(st, b, adjoint_a=True),
                                  tf.sparse_reduce_sum(st, axis=0), tf.sparse_reduce_sum(st, axis=1)])
    np.testing.assert_allclose(m, dense @ b)
    np.testing.assert_allclose(ma, dense.T @ b)
    np.testing.assert_allclose(r0, dense.sum(0))
    np.testing.assert_allclose(r1, dense.sum(1))


def test_sparse_add_drops_small_sums_below_threshold():
    a, b = _st([1.0, 2.0, 3.0, 4.0]), _st([-0.95, 0.5], [[0, 0], [2, 1]])
    s = tf.sparse_add(a, b, threshold=0.1)
    with tf.Session() as sess:
        indices, values = sess.run([s.indices, s.values])
    assert indices.tolist() == [[0, 3], [1, 2], [2, 1]]
    np.testing.assert_allclose(values, [2.0, 3.0, 4.5])


def test_errors_name_the_op_and_what_it_got():
    d = tf.sparse.to_dense(_st([1.0, 2.0], [[1, 0], [0, 0]], (2, 2)))
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError, match=r"indices\[1\] = \[0,0\] is out of order") as e:
            sess.run(d)
    assert e.value.op is d.op
    with pytest.raises(TypeError, match="Input must be a SparseTensor"):
        tf.sparse.to_dense(tf.constant([1.0]))
    with pytest.raises(ValueError, match="Dimensions must be equal, but are 4 and 5"):
        tf.sparse_tensor_dense_matmul(_st([1.0, 2.0, 3.0, 4.0]), tf.ones([5, 2]))


# ---- Session.run conversions --------------------------------------------------------------------------
def test_a_sparse_tensor_fetch_is_its_three_tensors_rebuilt_as_a_value():
    st = _st([1.0, 2.0, 3.0, 4.0])
    fetch = session_conversions.fetch_structure(st)
    assert type(fetch) is tf.SparseTensorValue and list(fetch) == [st.indices, st.values, st.dense_shape]
    sp = tf.sparse_placeholder(tf.float32)
    value = tf.SparseTensorValue([[0, 1]], [3.0], [2, 2])
    x = tf.placeholder(tf.float32)
    feeds = session_conversions.expand_feeds({sp: value, x: 1.0})
    assert feeds == {sp.indices: [[0, 1]], sp.values: [3.0], sp.dense_shape: [2, 2], x: 1.0}
    plain = {x: 1.0}
    assert session_conversions.expand_feeds(plain) is plain  # the usual feed costs one scan


def test_feeding_the_three_tensors_of_a_sparse_placeholder():
    sp = tf.sparse_placeholder(tf.float32, shape=[2, 3])
    y = tf.sparse_tensor_dense_matmul(sp, tf.ones([3, 1]))
    with tf.Session() as sess:
        feeds = session_conversions.expand_feeds({sp: ([[0, 1], [1, 2]], [3.0, 4.0], [2, 3])})
        assert sess.run(y, feeds).tolist() == [[3.0], [4.0]]


def test_sess_run_fetches_and_feeds_sparse_tensors():
    st = _st([1.0, 2.0, 3.0, 4.0])
    sp = tf.sparse_placeholder(tf.float32)
    with tf.Session() as sess:
        value = sess.run(st)
        both = sess.run({"st": st, "total": tf.sparse_reduce_sum(sp)},
                        {sp: tf.SparseTensorValue([[0, 1]], [3.0], [2, 2])})
        assert st.eval(session=sess).values.tolist() == [1.0, 2.0, 3.0, 4.0]
    assert isinstance(value, tf.SparseTensorValue) and value.indices.tolist() == IDX
    assert both["total"] == 3.0 and both["st"].dense_shape.tolist() == [3, 4]


# ---- Dataset functions capturing outside tensors ------------------------------------------------------
def _drain(sess, t):
    out = []
    while True:
        try:
            out.append(sess.run(t))
        except tf.errors.OutOfRangeError:
            return out


def test_flat_map_and_interleave_capture_a_placeholder_and_nest_a_map():
    p = tf.placeholder(tf.int64, [])
    flat = tf.data.Dataset.range(3).flat_map(
        lambda x: tf.data.Dataset.range(x).map(lambda y: y * p)).make_initializable_iterator()
    mixed = tf.data.Dataset.range(2).interleave(lambda x: tf.data.Dataset.from_tensors(x + p).repeat(2),
                                                cycle_length=2).make_initializable_iterator()
    a, b = flat.get_next(), mixed.get_next()
    with tf.Session() as sess:
        sess.run([flat.initializer, mixed.initializer], {p: 10})
        assert _drain(sess, a) == [0, 0, 10]
        assert _drain(sess, b) == [10, 11, 10, 11]


def test_a_failing_function_leaves_the_graph_as_it_was():
    graph = tf.get_default_graph()
    before = [op.name for op in graph.get_operations()]
    with pytest.raises(TypeError):
        tf.data.Dataset.range(3).map(lambda x: tf.cast(x, tf.float32) + tf.constant(1, tf.int32))
    ds_ops = [op.name for op in graph.get_operations()]
    assert ds_ops[:len(before)] == before and all(n.startswith(("start", "stop", "step", "RangeDataset"))
                                                 for n in ds_ops[len(before):])
    assert tf.cast(tf.constant(1), tf.float32).op.name == "Cast"  # the function's names are not used up


def test_a_function_making_a_variable_says_where_to_make_it():
    with pytest.raises(ValueError, match="makes a variable"):
        tf.data.Dataset.range(3).map(lambda x: tf.cast(x, tf.float32) * tf.Variable(2.0))
    assert not tf.global_variables()


def test_a_sparse_tensor_where_a_dense_one_is_needed_says_what_to_do():
    st = _st([1.0, 2.0, 3.0, 4.0])
    with pytest.raises(TypeError, match=r"Failed to convert object of type .*tf.sparse.to_dense\(sp\)"):
        tf.reduce_sum(st)
    parse = lambda r: tf.parse_single_example(r, {"ids": tf.io.VarLenFeature(tf.int64)})  # noqa: E731
    with pytest.raises(TypeError, match="Dataset.map: the function returns a SparseTensor"):
        tf.data.Dataset.from_tensors(b"").map(parse)


def test_var_len_feature_through_tf_data_made_dense_in_the_map_function(tmp_path):
    path = str(tmp_path / "ids.tfrecord")
    with tf.io.TFRecordWriter(path) as w:
        for ids in ([1, 2, 3], [4], [5, 6]):
            feature = {"ids": tf.train.Feature(int64_list=tf.train.Int64List(value=ids))}
            w.write(tf.train.Example(features=tf.train.Features(feature=feature)).SerializeToString())
    spec = {"ids": tf.io.VarLenFeature(tf.int64)}
    ds = tf.data.TFRecordDataset(path).map(lambda r: tf.sparse.to_dense(tf.parse_single_example(r, spec)["ids"]))
    nxt = ds.padded_batch(3, [None]).make_one_shot_iterator().get_next()
    with tf.Session() as sess:
        assert sess.run(nxt).tolist() == [[1, 2, 3], [4, 0, 0], [5, 6, 0]]


# ---- embedding_lookup_sparse (tf.nn's, once nn.py lists it: ops/sparse_ops.py) -------------------------
from tfteach.ops.sparse_ops import embedding_lookup_sparse  # noqa: E402

BAGS = [[0, 0], [0, 1], [0, 2], [2, 0], [3, 0], [3, 1]]  # row 1 has no ids
IDS = [1, 3, 1, 0, 2, 2]


@pytest.mark.parametrize("combiner", ["mean", "sum", "sqrtn"])
@pytest.mark.parametrize("weighted", [False, True])
def test_embedding_lookup_sparse_values_and_gradients(combiner, weighted):
    params, weights = _rand((4, 3), 9), np.abs(_rand(6, 10)) + 0.5
    sp_ids = tf.SparseTensor(BAGS, np.array(IDS, np.int64), [4, 3])
    sp_w = tf.SparseTensor(BAGS, weights.astype(np.float32), [4, 3]) if weighted else None
    with tf.Session() as sess:
        got = sess.run(embedding_lookup_sparse(tf.constant(params, tf.float32), sp_ids, sp_w, combiner=combiner))
    w = weights if weighted else np.ones(6)
    want = np.zeros((4, 3))
    for row in range(4):
        mine = [k for k, (r, _) in enumerate(BAGS) if r == row]
        if mine:
            total = sum(w[k] * params[IDS[k]] for k in mine)
            norm = {"sum": 1.0, "mean": sum(w[k] for k in mine), "sqrtn": np.sqrt(sum(w[k] ** 2 for k in mine))}
            want[row] = total / norm[combiner]
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)
    def ids():  # check_gradients builds in a graph of its own
        return tf.SparseTensor(BAGS, np.array(IDS, np.int64), [4, 3])
    if weighted:
        check_gradients(lambda p, wv: embedding_lookup_sparse(p, ids(), tf.SparseTensor(BAGS, wv, [4, 3]),
                                                              combiner=combiner), [params, weights])
    else:
        check_gradients(lambda p: embedding_lookup_sparse(p, ids(), None, combiner=combiner), [params])


def test_segment_ids_out_of_order_are_refused():
    st = tf.SparseTensor([[1, 0], [0, 0]], np.array([0, 1], np.int64), [2, 1])
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError, match="segment ids are not increasing"):
            sess.run(embedding_lookup_sparse(tf.ones([2, 2]), st, None))
