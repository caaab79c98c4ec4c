"""Array ops (array.py, building.py, slicing.py): gradients, static shapes, names, errors.

Values against real TensorFlow live in tests/cases/ops_cases.py; here: float64 gradient checks
(first and second order), static shapes with None dimensions, TF1 node names of gradient
graphs, x[...] against numpy indexing, and build-time / run-time errors.
"""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import tfteach as tf
import tfteach.testing
from tfteach.testing import check_gradients

RNG = np.random.RandomState(0)
X23 = RNG.randn(2, 3)
X234 = RNG.randn(2, 3, 4)


# ---- gradients: one table, checked against float64 central differences ----------------------
GRADIENTS = {
    "reshape": (lambda x: tf.reshape(x, [3, -1]), [X23]),
    "expand_dims_0": (lambda x: tf.expand_dims(x, 0), [X23]),
    "expand_dims_-1": (lambda x: tf.expand_dims(x, -1), [X23]),
    "squeeze_all": (lambda x: tf.squeeze(x), [RNG.randn(1, 3, 1)]),
    "squeeze_axis_-1": (lambda x: tf.squeeze(x, axis=-1), [RNG.randn(1, 3, 1)]),
    "transpose_default": (lambda x: tf.transpose(x), [X234]),
    "transpose_perm": (lambda x: tf.transpose(x, [2, 0, 1]), [X234]),
    "reverse": (lambda x: tf.reverse(x, [0, -1]), [X234]),
    "concat_0": (lambda x, y: tf.concat([x, y], 0), [X23, RNG.randn(1, 3)]),
    "concat_-1_three": (lambda x, y: tf.concat([x, y, x], -1), [X23, RNG.randn(2, 1)]),
    "stack_0": (lambda x, y: tf.stack([x, y]), [X23, RNG.randn(2, 3)]),
    "stack_-1": (lambda x, y: tf.stack([x, y], axis=-1), [X23, RNG.randn(2, 3)]),
    "unstack_partial": (lambda x: tf.unstack(x, axis=1)[2] * 3.0 + tf.unstack(x, axis=1)[0], [X23]),
    "split_num": (lambda x: tf.split(x, 3, axis=1)[1] * 2.0, [X23]),
    "split_sizes_-1": (lambda x: tf.split(x, [1, -1], -1)[1], [X234]),
    "slice": (lambda x: tf.slice(x, [0, 1, 1], [-1, 2, 2]), [X234]),
    "getitem_int": (lambda x: x[1], [X234]),
    "getitem_steps": (lambda x: x[1:, ::-2, 2], [X234]),
    "getitem_newaxis_ellipsis": (lambda x: x[..., tf.newaxis, 1:3], [X234]),
    "getitem_neg": (lambda x: x[-1, -2::-1], [X23]),
    "gather_0_repeats": (lambda x: tf.gather(x, [1, 1, 0]), [X234]),
    "gather_2d_indices": (lambda x: tf.gather(x, [[2, 0], [2, 2]], axis=1), [X234]),
    "gather_-1": (lambda x: tf.gather(x, [3, 3, 0], axis=-1), [X234]),
    "embedding_lookup": (lambda x: tf.nn.embedding_lookup(x, [[0, 1], [1, 1]]), [X23]),
    "tile": (lambda x: tf.tile(x, [2, 1, 3]), [X234]),
    "broadcast_to": (lambda x: tf.broadcast_to(x, [4, 2, 3]), [X23]),
    "pad": (lambda x: tf.pad(x, [[1, 0], [0, 2]]), [X23]),
    "pad_v2": (lambda x: tf.pad(x, [[1, 0], [0, 2]], constant_values=2.0), [X23]),
    "pad_reflect": (lambda x: tf.pad(x, [[1, 1], [2, 1]], "REFLECT"), [X23]),
    "pad_symmetric": (lambda x: tf.pad(x, [[2, 1], [3, 0]], "SYMMETRIC"), [X23]),
    "fill_value": (lambda x: tf.fill([2, 2], tf.reduce_sum(x)), [X23]),
    "dynamic_stitch": (lambda a, b: tf.dynamic_stitch([[0, 2], [1]], [a, b]), [X23[:2], X23[:1]]),
    "unsorted_segment_sum": (lambda a: tf.unsorted_segment_sum(a, [2, 0, 2], 4), [RNG.randn(3, 2)]),
}


@pytest.mark.parametrize("name", sorted(GRADIENTS))
def test_gradient(name):
    fn, args = GRADIENTS[name]
    check_gradients(fn, args)


def _second_order(first):
    """x -> d(sum(first(x) ** 3))/dx: differentiating that checks the gradient's own gradient."""
    return lambda x: tf.gradients(tf.reduce_sum(first(x) ** 3), x)[0]


SECOND_ORDER = {
    "getitem": (lambda x: x[1:, ::-2], X234),
    "pad_reflect": (lambda x: tf.pad(x, [[1, 1], [2, 1]], "REFLECT"), X23),
    "gather_1": (lambda x: tf.gather(x, [1, 1], axis=1), X23),
    "concat": (lambda x: tf.concat([x, x * x], 0), X23),
    "slice": (lambda x: tf.slice(x, [1, 0], [1, 2]), X23),
    "tile": (lambda x: tf.tile(x, [2, 2]), X23),
}


@pytest.mark.parametrize("name", sorted(SECOND_ORDER))
def test_second_order_gradient(name):
    first, x = SECOND_ORDER[name]
    check_gradients(_second_order(first), [x])


@pytest.fixture
def unknown_batch(monkeypatch):
    """Make the checker's placeholders [None, ...]: the gradients must not need static shapes."""
    placeholder = tfteach.testing.placeholder

    def with_unknown_first_dim(dtype, shape=None, name=None):
        shape = list(shape)
        return placeholder(dtype, [None] + shape[1:] if shape else shape, name)
    monkeypatch.setattr(tfteach.testing, "placeholder", with_unknown_first_dim)


def _unknown_first(fn):
    def wrapped(*xs):
        assert all(x.shape.ndims == 0 or x.shape[0].value is None for x in xs)
        return fn(*xs)
    return wrapped


NONE_DIMS = ["concat_0", "concat_-1_three", "stack_-1", "split_sizes_-1", "slice", "getitem_steps",
             "getitem_newaxis_ellipsis", "gather_0_repeats", "gather_2d_indices", "gather_-1", "tile",
             "pad", "pad_reflect", "transpose_perm", "reverse", "expand_dims_-1", "reshape"]


@pytest.mark.parametrize("name", NONE_DIMS)
def test_gradient_with_unknown_first_dimension(name, unknown_batch):
    fn, args = GRADIENTS[name]
    check_gradients(_unknown_first(fn), args)


# ---- static shapes with None dimensions -------------------------------------------------------
def _p(shape=(None, 3), dtype=tf.float32):
    return tf.placeholder(dtype, shape)


STATIC_SHAPES = [
    (lambda: tf.shape(_p()), [2]),
    (lambda: tf.size(_p()), []),
    (lambda: tf.rank(_p(None)), []),
    (lambda: tf.reshape(_p(), [-1, 1, 3]), [None, 1, 3]),
    (lambda: tf.reshape(_p(), tf.shape(_p((4, None)))), [4, None]),
    (lambda: tf.reshape(tf.zeros([2, 3]), tf.concat([[-1], tf.shape(_p())[1:]], 0)), [2, 3]),
    (lambda: tf.zeros(tf.shape(_p())), [None, 3]),
    (lambda: tf.ones([tf.shape(_p())[0], 2]), [None, 2]),
    (lambda: tf.fill(tf.shape(_p()), 1.0), [None, 3]),
    (lambda: tf.zeros_like(_p()), [None, 3]),
    (lambda: tf.ones_like(_p()), [None, 3]),
    (lambda: tf.expand_dims(_p(), 1), [None, 1, 3]),
    (lambda: tf.squeeze(_p((None, 1, 3)), [1]), [None, 3]),
    (lambda: tf.squeeze(_p((None, 1, 3))), None),  # TF: with an unknown dim the rank is unknown
    (lambda: tf.transpose(_p()), [3, None]),
    (lambda: tf.transpose(_p(None)), None),
    (lambda: tf.concat([_p(), _p((2, 3))], 0), [None, 3]),
    (lambda: tf.concat([_p(), _p()], -1), [None, 6]),
    (lambda: tf.concat([_p(), _p()], tf.placeholder(tf.int32, [])), [None, None]),
    (lambda: tf.stack([_p(), _p()], 1), [None, 2, 3]),
    (lambda: tf.unstack(_p(), axis=1)[0], [None]),
    (lambda: tf.split(_p((None, 6)), 3, 1)[0], [None, 2]),
    (lambda: tf.split(_p((None, 6)), [2, -1], 1)[1], [None, 4]),
    (lambda: tf.slice(_p(), [0, 1], [-1, 2]), [None, 2]),
    (lambda: tf.slice(_p(), [0, 1], [2, -1]), [2, 2]),
    (lambda: _p()[:, 0], [None]),
    (lambda: _p()[0], [3]),
    (lambda: _p()[1:], [None, 3]),
    (lambda: _p()[::-1, tf.newaxis, 1:], [None, 1, 2]),
    (lambda: _p()[..., None], [None, 3, 1]),
    (lambda: _p()[tf.placeholder(tf.int32, [])], [3]),
    (lambda: _p()[:, :tf.placeholder(tf.int32, [])], [None, None]),
    (lambda: tf.gather(_p(), [0, 1]), [2, 3]),
    (lambda: tf.gather(_p(), tf.placeholder(tf.int32, [None, 2]), axis=1), [None, None, 2]),
    (lambda: tf.tile(_p(), [2, 2]), [None, 6]),
    (lambda: tf.broadcast_to(tf.zeros([3]), tf.shape(_p())), [None, 3]),
    (lambda: tf.pad(_p(), [[1, 1], [2, 2]]), [None, 7]),
    (lambda: tf.pad(_p(), [[1, 1], [2, 2]], "SYMMETRIC"), [None, 7]),
    (lambda: tf.reverse(_p(), [0]), [None, 3]),
    (lambda: tf.range(tf.shape(_p())[0]), [None]),
    (lambda: tf.range(1, 10, 3), [3]),
    (lambda: tf.linspace(0.0, 1.0, 5), [5]),
    (lambda: tf.one_hot(_p([None], tf.int32), 10), [None, 10]),
    (lambda: tf.one_hot(_p([None, 2], tf.int32), 4, axis=1), [None, 4, 2]),
    (lambda: tf.dynamic_stitch([tf.range(3), [1]], [_p((3, 2)), _p((1, 2))]), [None, 2]),
    (lambda: tf.unsorted_segment_sum(_p(), [0, 1], 4), [4, 3]),
    (lambda: tf.unsorted_segment_sum(_p((5, 3)), tf.zeros([5], tf.int32), 4), [4, 3]),
]


@pytest.mark.parametrize("i", range(len(STATIC_SHAPES)))
def test_static_shape(i):
    build, expected = STATIC_SHAPES[i]
    with tf.Graph().as_default():
        t = build()
        got = None if t.shape.ndims is None else t.shape.as_list()
    assert got == expected


def test_static_shape_matches_run_shape():
    with tf.Graph().as_default():
        x = _p((None, 4))
        outs = [tf.gather(x, [[1, 0]], axis=-1), x[1:, ::2], tf.pad(x, [[0, 1], [2, 0]], "REFLECT"),
                tf.tile(x, [1, 2]), tf.concat([x, x[:1]], 0), tf.split(x, [1, 3], 1)[1]]
        with tf.Session() as sess:
            values = sess.run(outs, {x: np.zeros((3, 4))})
    for t, v in zip(outs, values):
        assert t.shape.is_compatible_with(v.shape), (t, v.shape)


# ---- x[...] against numpy indexing -------------------------------------------------------------
_index_part = st.one_of(
    st.integers(-3, 2),
    st.builds(slice, st.none() | st.integers(-4, 4), st.none() | st.integers(-4, 4),
              st.none() | st.sampled_from([-2, -1, 1, 2])),
    st.just(None))


@given(st.lists(_index_part, min_size=0, max_size=3), st.booleans())
def test_getitem_matches_numpy(spec, ellipsis):
    x_value = np.arange(3 * 4 * 5).reshape(3, 4, 5)
    index = tuple(spec) + ((Ellipsis,) if ellipsis else ())
    expected = x_value[index]
    with tf.Graph().as_default():
        x = tf.placeholder(tf.int32, [3, 4, 5])
        y = x[index]
        assert y.op.type == "StridedSlice"
        assert y.shape.as_list() == list(expected.shape)
        with tf.Session() as sess:
            np.testing.assert_array_equal(sess.run(y, {x: x_value}), expected)


# ---- TF1 node names ---------------------------------------------------------------------------
def _names(graph, prefix=""):
    return [(op.name, op.type) for op in graph.get_operations() if op.name.startswith(prefix)]


def _grad_names(build, shape=(2, 3)):
    """The ops the gradient rules add (not the walk's seed), and the gradient of x."""
    with tf.Graph().as_default() as g:
        x = tf.placeholder(tf.float32, shape, name="x")
        y = build(x)
        n = len(g.get_operations())
        dx = tf.gradients(y, x)[0]
        return [(op.name, op.type) for op in g.get_operations()[n:] if "_grad/" in op.name], dx


def test_names_getitem_with_tensor_index():
    with tf.Graph().as_default() as g:
        x = tf.constant([1, 2, 3])
        i = tf.placeholder(tf.int32, [])
        y = x[i]
    assert _names(g)[2:] == [("add/y", "Const"), ("add", "Add"), ("strided_slice/stack", "Pack"),
                             ("strided_slice/stack_1", "Pack"), ("strided_slice/stack_2", "Const"),
                             ("strided_slice", "StridedSlice")]
    assert y.op.get_attr("shrink_axis_mask") == 1


def test_names_zeros_ones():
    with tf.Graph().as_default() as g:
        tf.zeros([2, 3])
        tf.zeros([100, 100])
        tf.ones_like(tf.placeholder(tf.float32, [None, 3], name="p"))
        tf.concat([tf.constant([1.0])], 0)
    assert _names(g) == [
        ("zeros", "Const"),
        ("zeros_1/shape_as_tensor", "Const"), ("zeros_1/Const", "Const"), ("zeros_1", "Fill"),
        ("p", "Placeholder"),
        ("ones_like/Shape", "Shape"), ("ones_like/Const", "Const"), ("ones_like", "Fill"),
        ("Const", "Const"), ("concat/concat_dim", "Const"), ("concat/concat", "Identity")]


def test_names_transpose_unknown_rank():
    with tf.Graph().as_default() as g:
        tf.transpose(tf.placeholder(tf.float32, name="p"))
    assert [t for _, t in _names(g)] == ["Placeholder", "Rank", "Const", "Sub", "Const", "Const", "Range",
                                         "Transpose"]
    assert _names(g)[-2] == ("transpose/Range", "Range")


def test_names_gradient_rules():
    ops, dx = _grad_names(lambda x: tf.transpose(x))
    assert ops[-2:] == [("gradients/transpose_grad/InvertPermutation", "InvertPermutation"),
                        ("gradients/transpose_grad/transpose", "Transpose")]
    ops, _ = _grad_names(lambda x: tf.slice(x, [0, 1], [1, 2]))
    assert [n for n, _ in ops] == [
        "gradients/Slice_grad/Rank", "gradients/Slice_grad/Shape", "gradients/Slice_grad/stack/1",
        "gradients/Slice_grad/stack", "gradients/Slice_grad/Reshape", "gradients/Slice_grad/Shape_1",
        "gradients/Slice_grad/sub", "gradients/Slice_grad/sub_1", "gradients/Slice_grad/Reshape_1",
        "gradients/Slice_grad/concat/axis", "gradients/Slice_grad/concat", "gradients/Slice_grad/Pad"]
    ops, _ = _grad_names(lambda x: tf.pad(x, [[1, 1], [0, 2]]))
    assert ops[-1] == ("gradients/Pad_grad/Slice_1", "Slice")
    ops, _ = _grad_names(lambda x: tf.pad(x, [[1, 1], [0, 2]], "REFLECT"))
    assert ops[-1] == ("gradients/MirrorPad_grad/MirrorPadGrad", "MirrorPadGrad")
    ops, dx = _grad_names(lambda x: x[0, 1:])
    assert ops[-2:] == [("gradients/strided_slice_grad/Shape", "Const"),
                        ("gradients/strided_slice_grad/StridedSliceGrad", "StridedSliceGrad")]
    ops, dx = _grad_names(lambda x: tf.tile(x, [2, 1]))
    assert [t for _, t in ops] == ["Const", "Pack", "Const", "Transpose", "Const", "Reshape", "Const",
                                   "Const", "Const", "Range", "Reshape", "Sum"]
    assert dx.name == "gradients/Tile_grad/Sum:0"
    ops, dx = _grad_names(lambda x: tf.concat([x, x], 1), shape=(None, 3))
    assert [n for n, _ in ops if "concat_grad" in n] == [
        "gradients/concat_grad/Shape", "gradients/concat_grad/ShapeN", "gradients/concat_grad/ConcatOffset",
        "gradients/concat_grad/Slice", "gradients/concat_grad/Slice_1"]
    ops, dx = _grad_names(lambda x: tf.gather(x, [1, 0, 1]))
    assert ops[-1] == ("gradients/GatherV2_grad/UnsortedSegmentSum", "UnsortedSegmentSum")
    ops, dx = _grad_names(lambda x: tf.split(x, 3, 1)[0])
    assert dx.name == "gradients/split_grad/concat:0"
    ops, dx = _grad_names(lambda x: tf.unstack(x)[0])
    assert dx.name == "gradients/unstack_grad/stack:0"


def test_gather_gradient_is_dense():
    """TF1 gives IndexedSlices here; tfteach sums the rows into a dense tensor (same values)."""
    with tf.Graph().as_default():
        params = tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0], [7.0, 8.0]])
        g = tf.gradients(tf.reduce_sum(tf.gather(params, [2, 0, 2])), params)[0]
        assert isinstance(g, tf.Tensor) and g.shape.as_list() == [4, 2]
        with tf.Session() as sess:
            np.testing.assert_array_equal(sess.run(g), [[1, 1], [0, 0], [2, 2], [0, 0]])


# ---- values the TF fixtures do not cover ------------------------------------------------------
def _run(t, feed=None):
    with tf.Session() as sess:
        return sess.run(t, feed)


def test_values_misc():
    with tf.Graph().as_default():
        x = tf.constant(X234)
        cases = {
            "reverse": (tf.reverse(x, [-1, 0]), X234[::-1, :, ::-1]),
            "broadcast_to": (tf.broadcast_to(tf.constant([[1], [2]]), [3, 2, 4]),
                             np.broadcast_to([[1], [2]], (3, 2, 4))),
            "one_hot_axis1": (tf.one_hot([[0, 3], [1, -1]], 3, on_value=2.0, off_value=-1.0, axis=1),
                              np.moveaxis(np.where(np.eye(4, 3)[[[0, 3], [1, 3]]] * [[[1], [1]], [[1], [0]]],
                                                   2.0, -1.0), -1, 1)),
            "range_float": (tf.range(0.5, 2.1, 0.3), np.float32([0.5, 0.8, 1.1, 1.4, 1.7, 2.0])),
            "linspace_f64": (tf.linspace(tf.constant(1.0, tf.float64), 2.0, 4), np.linspace(1.0, 2.0, 4)),
            "stitch": (tf.dynamic_stitch([[0, 2], [1, 3]], [[[1, 2], [3, 4]], [[5, 6], [7, 8]]]),
                       [[1, 2], [5, 6], [3, 4], [7, 8]]),
            "segment_sum": (tf.unsorted_segment_sum(tf.constant([1.0, 2.0, 3.0]), [2, -1, 2], 3), [0, 0, 4]),
            "setdiff1d": (tf.setdiff1d([1, 5, 3, 7, 5], [5, 1])[0], [3, 7]),
            "setdiff1d_idx": (tf.setdiff1d([1, 5, 3, 7, 5], [5, 1])[1], [2, 3]),
            "zeros_bool": (tf.zeros([2], tf.bool), [False, False]),
            "expand_tensor_axis": (tf.expand_dims(x, tf.constant(-2)), X234[:, :, None]),
            "strided_slice_fn": (tf.strided_slice(x, [0, 1], [2, 3], [1, 1], shrink_axis_mask=1),
                                 X234[0, 1:3]),
        }
        values = _run({k: t for k, (t, _) in cases.items()})
    for k, (_, expected) in cases.items():
        np.testing.assert_allclose(values[k], expected, rtol=1e-6, err_msg=k)


def test_range_dtype_inference():
    with tf.Graph().as_default():
        assert tf.range(5).dtype == tf.int32
        assert tf.range(0, 2, 0.5).dtype == tf.float32
        assert tf.range(tf.constant(2, tf.int64), 6).dtype == tf.int64
        assert tf.range(3, dtype=tf.float64).dtype == tf.float64


def test_shape_size_rank_fold_to_constants():
    with tf.Graph().as_default():
        x = tf.zeros([2, 3])
        p = tf.placeholder(tf.float32, [None, 3])
        assert [t.op.type for t in (tf.shape(x), tf.size(x), tf.rank(x))] == ["Const"] * 3
        assert [t.op.type for t in (tf.shape(p), tf.size(p), tf.rank(p))] == ["Shape", "Size", "Const"]
        assert tf.size(tf.placeholder(tf.float32, [None, 0])).op.type == "Const"
        assert _run([tf.shape(p), tf.size(p)], {p: np.zeros((4, 3))})[1] == 12


# ---- errors: at build time (ValueError / TypeError) and at run time (InvalidArgumentError) -----
def test_concat_mismatch_message():
    with tf.Graph().as_default():
        a, b = tf.zeros([2, 3]), tf.zeros([2, 4])
        with pytest.raises(ValueError) as e:
            tf.concat([a, b], 0)
    assert str(e.value) == ("Dimension 1 in both shapes must be equal, but are 3 and 4. Shapes are [2,3] and "
                            "[2,4]. for 'concat' (op: 'ConcatV2') with input shapes: [2,3], [2,4], [].")


BUILD_ERRORS = {
    "concat_rank": (lambda: tf.concat([tf.zeros([2, 3]), tf.zeros([3])], 0), ValueError, "must be rank 2"),
    "concat_axis": (lambda: tf.concat([tf.zeros([2, 3])] * 2, 2), ValueError, "range [-2, 2)"),
    "concat_dtypes": (lambda: tf.concat([tf.zeros([2]), tf.constant([1, 2])], 0), TypeError,
                      "don't all match"),
    "stack_shapes": (lambda: tf.stack([tf.zeros([2, 3]), tf.zeros([1])]), ValueError, "equal rank"),
    "stack_axis": (lambda: tf.stack([tf.zeros([2])] * 2, axis=3), ValueError, "axis = 3 not in [-2, 2)"),
    "unstack_no_num": (lambda: tf.unstack(tf.placeholder(tf.float32, [None, 3])), ValueError, "infer num"),
    "expand_dims": (lambda: tf.expand_dims(tf.zeros([2, 3]), 3), ValueError, "expand dim index 3"),
    "expand_dims_no_axis": (lambda: tf.expand_dims(tf.zeros([2])), ValueError, "Must specify an axis"),
    "squeeze_not_one": (lambda: tf.squeeze(tf.zeros([2, 3]), [0]), ValueError,
                        "expected a dimension of 1, got 2"),
    "squeeze_range": (lambda: tf.squeeze(tf.zeros([2, 3]), [5]), ValueError, "squeeze_dims[0] not in [-2,2)"),
    "transpose_perm": (lambda: tf.transpose(tf.zeros([2, 3]), [0, 1, 2]), ValueError, "must be 2 but is 3"),
    "reshape": (lambda: tf.reshape(tf.zeros([6]), [4, 2]), ValueError, "6 elements"),
    "split_uneven": (lambda: tf.split(tf.zeros([2, 5]), 2, 1), ValueError, "divisible by 2"),
    "split_sizes": (lambda: tf.split(tf.zeros([2, 3]), [1, 1], 1), ValueError, "Got: 2"),
    "split_rank0": (lambda: tf.split(tf.zeros([4]), tf.constant(2)), ValueError, "Rank-0"),
    "tile": (lambda: tf.tile(tf.zeros([2, 3]), [2]), ValueError, "Tile"),
    "pad_rank": (lambda: tf.pad(tf.zeros([2, 3]), [[1, 1]]), ValueError, "rank"),
    "pad_mode": (lambda: tf.pad(tf.zeros([2]), [[1, 1]], "WRAP"), ValueError, "Unknown padding mode: WRAP"),
    "gather_axis": (lambda: tf.gather(tf.zeros([2, 3]), [0], axis=2), ValueError, "GatherV2"),
    "getitem_out_of_bounds": (lambda: tf.zeros([2, 3])[5], ValueError, "slice index 5 of dimension 0"),
    "getitem_too_many": (lambda: tf.zeros([2, 3])[1, 2, 3], ValueError, "Index out of range"),
    "getitem_float": (lambda: tf.zeros([2, 3])[1.5], TypeError, "Only integers, slices"),
    "getitem_step_0": (lambda: tf.zeros([2, 3])[::0], ValueError, "strides[0] must be non-zero"),
    "broadcast_to": (lambda: tf.broadcast_to(tf.zeros([2, 3]), [3, 3]), ValueError, "Unable to broadcast"),
    "range_delta_0": (lambda: tf.range(0, 5, 0), ValueError, "Requires delta != 0"),
    "range_direction": (lambda: tf.range(5, 0, 1), ValueError, "start <= limit"),
    "linspace_num": (lambda: tf.linspace(0.0, 1.0, 0), ValueError, "num > 0"),
    "linspace_int": (lambda: tf.linspace(0, 1, 3), TypeError, "float32"),
    "one_hot_dtypes": (lambda: tf.one_hot([1], 2, on_value=1.0, dtype=tf.int32), TypeError, "on_value"),
    "stitch_shapes": (lambda: tf.dynamic_stitch([[0, 1], [2]], [tf.zeros([3]), tf.zeros([1])]), ValueError,
                      "must start with indices"),
    "embedding_sharded": (lambda: tf.nn.embedding_lookup([tf.zeros([2, 2])] * 2, [0]), NotImplementedError,
                          "sharded"),
    "embedding_empty": (lambda: tf.nn.embedding_lookup([], [0]), ValueError, "Need at least one param"),
}


@pytest.mark.parametrize("name", sorted(BUILD_ERRORS))
def test_build_time_error(name):
    build, error, text = BUILD_ERRORS[name]
    with tf.Graph().as_default():
        with pytest.raises(error) as e:
            build()
    assert text in str(e.value)


RUN_ERRORS = {
    "gather_out_of_range": (lambda p: tf.gather(tf.zeros([3]), tf.cast(p[0], tf.int32)), [5.0, 0.0],
                            "indices[] = 5 is not in [0, 3)"),
    "gather_negative": (lambda p: tf.gather(tf.zeros([3]), tf.cast(p, tf.int32)), [0.0, -1.0],
                        "indices[1] = -1 is not in [0, 3)"),
    "slice": (lambda p: tf.slice(p, [3], [1]), [1.0, 2.0], "Expected begin[0] in [0, 2], but got 3"),
    "split": (lambda p: tf.split(p, 2), [1.0, 2.0, 3.0], "evenly divide"),
    "split_v": (lambda p: tf.split(p, [1, 1]), [1.0, 2.0, 3.0], "Determined shape"),
    "unstack": (lambda p: tf.unstack(p, num=2), [1.0, 2.0, 3.0], "must equal 2"),
    "getitem": (lambda p: p[5], [1.0, 2.0], "out of bounds"),
    "reshape": (lambda p: tf.reshape(p, [2, -1]), [1.0, 2.0, 3.0], "Reshape"),
    "concat": (lambda p: tf.concat([tf.reshape(p, [1, -1]), tf.zeros([1, 2])], 0), [1.0, 2.0, 3.0],
               "Dimensions of inputs should match"),
    "tile": (lambda p: tf.tile(p, tf.cast(p, tf.int32)), [1.0, 2.0], "multiples"),
    "range": (lambda p: tf.range(0.0, p[0], -1.0), [3.0], "start >= limit"),
    "pad_reflect": (lambda p: tf.pad(p, [[2, 0]], "REFLECT"), [1.0, 2.0], "less than the dimension size"),
    "segment_ids": (lambda p: tf.unsorted_segment_sum(p, [0, 7], 3), [1.0, 2.0], "out of range [0, 3)"),
    "transpose_perm": (lambda p: tf.transpose(tf.reshape(p, [1, 2]), [0, 0]), [1.0, 2.0], "permutation"),
}


@pytest.mark.parametrize("name", sorted(RUN_ERRORS))
def test_run_time_error(name):
    build, value, text = RUN_ERRORS[name]
    with tf.Graph().as_default():
        p = tf.placeholder(tf.float32, None, name="p")
        y = build(p)
        with tf.Session() as sess:
            with pytest.raises(tf.errors.InvalidArgumentError) as e:
                sess.run(y, {p: value})
    assert text in str(e.value)
    op = (y[0] if isinstance(y, list) else y).op
    assert f"[[node {op.name}]]" in str(e.value)
