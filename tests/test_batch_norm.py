"""Batch normalization and transposed convolution: gradients against float64 central differences,
the training/inference switch, UPDATE_OPS, errors.

Values, node names and collections against real TensorFlow live in tests/cases/bn_cases.py.
"""
import numpy as np
import pytest

import tfteach as tf
from tfteach.ops.batch_norm import _fused
from tfteach.testing import check_gradients


@pytest.fixture(autouse=True)
def _fresh_graph():
    tf.reset_default_graph()


def _rand(shape, seed):
    return np.random.RandomState(seed).standard_normal(shape)


def check_layer_gradients(fn, x_value, seed=0, eps=1e-6):
    """check_gradients for a function that makes variables: d sum(fn(x) * w) along a random
    direction, with respect to x and to every trainable variable, against central differences."""
    rng = np.random.RandomState(seed)
    x = tf.placeholder(tf.float64, x_value.shape)
    y = fn(x)
    params = tf.trainable_variables()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        w = rng.standard_normal(sess.run(y, {x: x_value}).shape)
        loss = tf.reduce_sum(y * w)
        grads = sess.run(tf.gradients(loss, [x] + params), {x: x_value})
        v = rng.standard_normal(x_value.shape)
        num = (sess.run(loss, {x: x_value + eps * v}) - sess.run(loss, {x: x_value - eps * v})) / (2 * eps)
        assert np.isclose(np.sum(grads[0] * v), num, rtol=1e-5, atol=1e-6), "gradient of x"
        for p, g in zip(params, grads[1:]):
            p0 = sess.run(p)
            d = rng.standard_normal(p0.shape)
            p.load(p0 + eps * d, sess)
            plus = sess.run(loss, {x: x_value})
            p.load(p0 - eps * d, sess)
            minus = sess.run(loss, {x: x_value})
            p.load(p0, sess)
            assert np.isclose(np.sum(g * d), (plus - minus) / (2 * eps), rtol=1e-5, atol=1e-6), p.name


# ---- FusedBatchNormV3 in float64 (the op runs it; the public function keeps TF's float types) ----
@pytest.mark.parametrize("data_format", ["NHWC", "NCHW"])
def test_fused_training_gradient(data_format):
    shape = (2, 3, 4, 3) if data_format == "NHWC" else (2, 3, 4, 3)
    depth = shape[3] if data_format == "NHWC" else shape[1]
    empty = np.zeros((0,))

    def fn(x, scale, offset):
        return _fused(x, scale, offset, tf.constant(empty), tf.constant(empty), 1e-3, data_format, True, None)[0]
    check_gradients(fn, [_rand(shape, 0), _rand((depth,), 1), _rand((depth,), 2)])


def test_fused_inference_gradient():
    mean, var = _rand((2,), 3), np.abs(_rand((2,), 4)) + 0.5

    def fn(x, scale, offset):
        return _fused(x, scale, offset, tf.constant(mean), tf.constant(var), 1e-3, "NHWC", False, None)[0]
    check_gradients(fn, [_rand((2, 2, 3, 2), 5), _rand((2,), 6), _rand((2,), 7)])


def test_fused_matches_moments_and_batch_normalization():
    x = _rand((3, 2, 2, 4), 8)
    scale, offset = _rand((4,), 9), _rand((4,), 10)
    xt = tf.constant(x)
    y = _fused(xt, tf.constant(scale), tf.constant(offset), tf.constant(np.zeros(0)), tf.constant(np.zeros(0)),
               1e-3, "NHWC", True, None)
    mean, var = tf.nn.moments(xt, [0, 1, 2])
    # the op's epsilon attr is a float32, as TF's: 1e-3 becomes 0.0010000000474974513
    ref = tf.nn.batch_normalization(xt, mean, var, offset, scale, float(np.float32(1e-3)))
    with tf.Session() as sess:
        (got, m, v), want = sess.run([list(y), ref])
    np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-12)
    n = 3 * 2 * 2
    np.testing.assert_allclose(v, x.reshape(-1, 4).var(axis=0) * n / (n - 1), rtol=1e-12)  # Bessel-corrected
    np.testing.assert_allclose(m, x.reshape(-1, 4).mean(axis=0), rtol=1e-12)


def test_fused_batch_norm_rejects_float64_and_names_the_op():
    with pytest.raises(TypeError, match="DataType float64 not in list of allowed values"):
        tf.nn.fused_batch_norm(np.zeros((1, 2, 2, 1)), [1.0], [0.0])


def test_fused_batch_norm_rank_error():
    with pytest.raises(ValueError, match="Shape must be rank 4 but is rank 2 for 'FusedBatchNormV3'"):
        tf.nn.fused_batch_norm(tf.zeros([2, 3]), tf.ones([3]), tf.zeros([3]))


def test_fused_batch_norm_inference_needs_statistics():
    with pytest.raises(ValueError, match="is_training=False, pass the population mean"):
        tf.nn.fused_batch_norm(tf.zeros([1, 2, 2, 1]), [1.0], [0.0], is_training=False)


# ---- the layer's gradients ------------------------------------------------------------------------
@pytest.mark.parametrize("shape,fused", [((5, 3), None), ((2, 3, 3, 2), False)])
def test_layer_gradient_non_fused(shape, fused):
    check_layer_gradients(lambda x: tf.layers.batch_normalization(x, training=True, fused=fused), _rand(shape, 11))


def test_layer_gradient_axis1():
    check_layer_gradients(lambda x: tf.layers.batch_normalization(x, axis=1, training=True), _rand((3, 2, 4), 12))


# ---- conv2d_transpose ---------------------------------------------------------------------------
@pytest.mark.parametrize("image,kernel,out,stride,padding", [
    ((2, 3, 3, 2), (3, 3, 4, 2), (2, 6, 6, 4), 2, "SAME"),
    ((1, 3, 2, 3), (3, 3, 2, 3), (1, 7, 5, 2), 2, "VALID"),
    ((1, 4, 4, 1), (4, 4, 1, 1), (1, 7, 7, 1), 2, "SAME"),
])
def test_conv2d_transpose_gradient(image, kernel, out, stride, padding):
    check_gradients(lambda x, w: tf.nn.conv2d_transpose(x, w, list(out), [1, stride, stride, 1], padding),
                    [_rand(image, 13), _rand(kernel, 14)])


def test_conv2d_transpose_is_the_transpose_of_conv2d():
    """<conv2d_transpose(y, w), x> == <y, conv2d(x, w)> for every x, y: the adjoint, exactly."""
    x, y, w = _rand((1, 6, 6, 3), 15), _rand((1, 3, 3, 2), 16), _rand((3, 3, 3, 2), 17)
    lhs = tf.reduce_sum(tf.nn.conv2d_transpose(y, w, [1, 6, 6, 3], [1, 2, 2, 1], "SAME") * x)
    rhs = tf.reduce_sum(y * tf.nn.conv2d(x, w, [1, 2, 2, 1], "SAME"))
    with tf.Session() as sess:
        a, b = sess.run([lhs, rhs])
    assert np.isclose(a, b, rtol=1e-12)


def test_conv2d_transpose_layer_gradient():
    def fn(x):
        return tf.layers.conv2d_transpose(x, 2, 3, strides=2, padding="same",
                                          kernel_initializer=tf.constant_initializer(_rand((3, 3, 2, 2), 18)))
    check_layer_gradients(fn, _rand((1, 2, 3, 2), 19))


def test_conv2d_transpose_channel_error_names_both():
    with pytest.raises(ValueError, match="input channels does not match filter's input channels, 3 != 4"):
        tf.nn.conv2d_transpose(tf.zeros([1, 2, 2, 3]), tf.zeros([2, 2, 5, 4]), [1, 4, 4, 5], [1, 2, 2, 1])


# ---- the training/inference switch and UPDATE_OPS ---------------------------------------------------
def _bn_program(with_update_ops, steps=5):
    x = tf.placeholder(tf.float32, [None, 2])
    training = tf.placeholder_with_default(False, [], name="training")
    h = tf.layers.batch_normalization(x, training=training, momentum=0.5)
    loss = tf.reduce_mean(tf.square(h))
    opt = tf.train.GradientDescentOptimizer(0.1)
    if with_update_ops:
        with tf.control_dependencies(tf.get_collection(tf.GraphKeys.UPDATE_OPS)):
            train = opt.minimize(loss)
    else:
        train = opt.minimize(loss)
    data = (np.random.RandomState(20).standard_normal((64, 2)) * 2 + 5).astype(np.float32)
    moving_mean = tf.global_variables()[2]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(steps):
            sess.run(train, {x: data, training: True})
        return sess.run(moving_mean), sess.run(h, {x: data[:4]}), data


def test_update_ops_move_the_moving_mean():
    moving_mean, test_out, data = _bn_program(True)
    # momentum 0.5, five updates: 1 - 0.5**5 of the batch mean
    np.testing.assert_allclose(moving_mean, data.mean(axis=0) * (1 - 0.5 ** 5), rtol=1e-5)


def test_forgetting_update_ops_leaves_moving_mean_at_zero():
    moving_mean, test_out, data = _bn_program(False)
    assert np.all(moving_mean == 0)
    # inference then normalizes with mean 0 and variance 1: the outputs keep the inputs' mean of 5
    assert test_out.mean() > 2


def test_training_as_python_bool_adds_no_cond():
    x = tf.placeholder(tf.float32, [None, 3])
    tf.layers.batch_normalization(x, training=True)
    types = {op.type for op in tf.get_default_graph().get_operations()}
    assert "Switch" not in types and "Merge" not in types
    assert [op.type for op in tf.get_collection(tf.GraphKeys.UPDATE_OPS)] == ["AssignSub", "AssignSub"]


def test_inference_layer_adds_no_update_ops():
    tf.layers.batch_normalization(tf.zeros([2, 3]), training=False)
    tf.layers.batch_normalization(tf.zeros([2, 2, 2, 3]))
    assert tf.get_collection(tf.GraphKeys.UPDATE_OPS) == []


def test_moving_statistics_are_global_not_trainable():
    tf.layers.batch_normalization(tf.zeros([2, 3]), training=True)
    assert [v.name for v in tf.trainable_variables()] == ["batch_normalization/gamma:0", "batch_normalization/beta:0"]
    assert [v.name for v in tf.global_variables()][2:] == ["batch_normalization/moving_mean:0",
                                                           "batch_normalization/moving_variance:0"]


def test_graph_def_round_trip_keeps_the_six_outputs_and_the_gradient():
    x = tf.placeholder(tf.float32, [2, 2, 2, 3], name="x")
    y, _, _ = tf.nn.fused_batch_norm(x, tf.constant([1.0, 2.0, 0.5]), tf.constant([0.0, 1.0, -1.0]))
    (dx,) = tf.gradients(tf.reduce_sum(y * y), [x])
    data = _rand((2, 2, 2, 3), 21).astype(np.float32)
    with tf.Session() as sess:
        want = sess.run([y, dx], {x: data})
    graph_def = tf.get_default_graph().as_graph_def()
    with tf.Graph().as_default() as g:
        tf.import_graph_def(graph_def, name="")
        assert len(g.get_operation_by_name(y.op.name).outputs) == 6
        with tf.Session() as sess:
            got = sess.run([y.name, dx.name], {"x:0": data})
    for a, b in zip(got, want):
        np.testing.assert_array_equal(a, b)
