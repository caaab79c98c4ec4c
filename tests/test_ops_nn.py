"""tf.nn and the clipping functions: gradients against float64 central differences (first and
second order), numerical stability with huge logits, static shapes, errors and a few node
names. Values against real TensorFlow live in the fixture suite (tests/cases/ops_cases.py);
the few values here are worked out by hand.
"""
import numpy as np
import pytest

import tfteach as tf
from tfteach.testing import check_gradients


@pytest.fixture(autouse=True)
def fresh_graph():
    tf.reset_default_graph()


def _run(fetches, feed=None):
    with tf.Session() as sess:
        return sess.run(fetches, feed)


RNG = np.random.RandomState(0)


def away_from(points, shape, rng=RNG):
    """Random values at least 0.1 away from each of `points` (the kinks of an activation)."""
    x = rng.uniform(-3.0, 8.0, shape)
    for p in points:
        x = np.where(np.abs(x - p) < 0.1, x + 0.25, x)
    return x


def normal(shape, rng=RNG):
    return rng.standard_normal(shape)


def soft_labels(shape, rng=RNG):
    z = rng.uniform(0.1, 1.0, shape)
    return z / z.sum(axis=-1, keepdims=True)


# ---- first-order gradients: (name, fn, inputs) ------------------------------------------------
ACTIVATIONS = [
    ("relu", tf.nn.relu, [0.0]),
    ("relu6", tf.nn.relu6, [0.0, 6.0]),
    ("elu", tf.nn.elu, [0.0]),
    ("selu", tf.nn.selu, [0.0]),
    ("leaky_relu", tf.nn.leaky_relu, [0.0]),
    ("leaky_relu_alpha", lambda x: tf.nn.leaky_relu(x, alpha=0.3), [0.0]),
    ("softplus", tf.nn.softplus, []),
    ("softsign", tf.nn.softsign, []),
    ("softmax", tf.nn.softmax, []),
    ("softmax_axis0", lambda x: tf.nn.softmax(x, axis=0), []),
    ("log_softmax", tf.nn.log_softmax, []),
    ("log_softmax_axis0", lambda x: tf.nn.log_softmax(x, axis=0), []),
    ("l2_loss", tf.nn.l2_loss, []),
    ("l2_normalize", lambda x: tf.nn.l2_normalize(x, axis=1), []),
    ("l2_normalize_all", tf.nn.l2_normalize, []),
    ("sigmoid", tf.nn.sigmoid, []),
    ("tanh", tf.nn.tanh, []),
]


@pytest.mark.parametrize("name, fn, kinks", ACTIVATIONS, ids=[a[0] for a in ACTIVATIONS])
def test_activation_gradients(name, fn, kinks):
    check_gradients(fn, [away_from(kinks, (3, 4))])


SECOND_ORDER = [a for a in ACTIVATIONS if a[0] != "softsign"]


@pytest.mark.parametrize("name, fn, kinks", SECOND_ORDER, ids=[a[0] for a in SECOND_ORDER])
def test_activation_second_derivatives(name, fn, kinks):
    w = RNG.standard_normal((3, 4))

    def first(x):
        return tf.gradients(tf.reduce_sum(fn(x) * w), x)[0]
    check_gradients(first, [away_from(kinks, (3, 4))])


def test_relu_gradient_at_zero_is_zero():
    x = tf.constant([-1.0, 0.0, 2.0])
    assert list(_run(tf.gradients(tf.nn.relu(x), x)[0])) == [0.0, 0.0, 1.0]


def test_softsign_has_no_second_derivative_as_in_tf1():
    x = tf.placeholder(tf.float32, [3])
    g = tf.gradients(tf.nn.softsign(x), x)[0]
    with pytest.raises(LookupError, match="SoftsignGrad"):
        tf.gradients(g, x)


def test_relu6_gradient_is_zero_at_both_ends():
    x = tf.constant([0.0, 3.0, 6.0, 7.0])
    assert list(_run(tf.gradients(tf.nn.relu6(x), x)[0])) == [0.0, 1.0, 0.0, 0.0]


def test_bias_add_gradients_nhwc_and_nchw():
    check_gradients(tf.nn.bias_add, [normal((4, 3)), normal((3,))])
    check_gradients(tf.nn.bias_add, [normal((2, 2, 2, 3)), normal((3,))])
    check_gradients(lambda x, b: tf.nn.bias_add(x, b, data_format="NCHW"), [normal((2, 3, 2, 2)), normal((3,))])


def test_bias_add_second_order_through_bias_add_grad():
    w = normal((2, 2, 3))

    def dbias(x, b):
        return tf.gradients(tf.reduce_sum(tf.nn.bias_add(x, b) * w * x), b)[0]
    check_gradients(dbias, [normal((2, 2, 3)), normal((3,))])


def test_bias_add_grad_sums_all_but_last_axis():
    x = tf.placeholder(tf.float32, (2, 2, 3))
    b = tf.placeholder(tf.float32, (3,))
    db = tf.gradients(tf.nn.bias_add(x, b), b)[0]
    assert db.op.type == "BiasAddGrad"
    assert list(_run(db, {x: np.zeros((2, 2, 3)), b: np.zeros(3)})) == [4.0, 4.0, 4.0]


XENT = [
    ("softmax_v2", lambda z, x: tf.nn.softmax_cross_entropy_with_logits_v2(labels=z, logits=x)),
    ("softmax_v2_axis0", lambda z, x: tf.nn.softmax_cross_entropy_with_logits_v2(labels=tf.transpose(z),
                                                                                   logits=tf.transpose(x), axis=0)),
    ("sigmoid", lambda z, x: tf.nn.sigmoid_cross_entropy_with_logits(labels=z, logits=x)),
    ("weighted", lambda z, x: tf.nn.weighted_cross_entropy_with_logits(labels=z, logits=x, pos_weight=3.0)),
]


@pytest.mark.parametrize("name, fn", XENT, ids=[x[0] for x in XENT])
def test_cross_entropy_gradients_logits_and_labels(name, fn):
    check_gradients(fn, [soft_labels((4, 3)), normal((4, 3))])


@pytest.mark.parametrize("name, fn", XENT, ids=[x[0] for x in XENT])
def test_cross_entropy_second_derivatives(name, fn):
    labels = soft_labels((4, 3))
    w = normal((4,)) if name.startswith("softmax") else normal((4, 3))

    def dlogits(x):
        return tf.gradients(tf.reduce_sum(fn(tf.constant(labels), x) * w), x)[0]
    check_gradients(dlogits, [normal((4, 3))])


def test_softmax_xent_v1_stops_the_gradient_to_labels():
    labels = soft_labels((2, 3))
    z = tf.constant(labels)
    logits = tf.constant(normal((2, 3)))
    loss = tf.nn.softmax_cross_entropy_with_logits(labels=z, logits=logits)
    dlogits, dlabels = tf.gradients(loss, [logits, z])
    assert dlabels is None
    check_gradients(lambda x: tf.nn.softmax_cross_entropy_with_logits(labels=labels, logits=x), [normal((2, 3))])


def test_sparse_softmax_xent_gradients_first_and_second_order():
    labels = np.array([0, 2, 1, 2], np.int64)
    check_gradients(lambda x: tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=x),
                    [normal((4, 3))])
    w = normal((4,))

    def dlogits(x):
        loss = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=x)
        return tf.gradients(tf.reduce_sum(loss * w), x)[0]
    check_gradients(dlogits, [normal((4, 3))])
    labels = tf.constant(labels)
    loss = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=tf.constant(normal((4, 3))))
    assert tf.gradients(loss, labels) == [None]


def test_sparse_softmax_xent_any_rank():
    labels = np.array([[0, 2], [1, 1]], np.int32)
    check_gradients(lambda x: tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=x),
                    [normal((2, 2, 3))])


def test_moments_and_batch_normalization_gradients():
    def mean_and_var(x):
        mean, var = tf.nn.moments(x, axes=[0])
        return mean + 2.0 * var
    check_gradients(mean_and_var, [normal((5, 3))])

    def bn(x, mean, var, offset, scale):
        return tf.nn.batch_normalization(x, mean, var, offset, scale, 1e-3)
    check_gradients(bn, [normal((4, 3)), normal((3,)), RNG.uniform(0.5, 2.0, 3), normal((3,)), normal((3,))])

    def batch_norm_of_moments(x):
        mean, var = tf.nn.moments(x, [0])
        return tf.nn.batch_normalization(x, mean, var, None, None, 1e-3)
    check_gradients(batch_norm_of_moments, [normal((5, 3))])


def test_clip_gradients():
    x = RNG.uniform(-3, 3, (3, 4))
    x = np.where(np.abs(np.abs(x) - 1.0) < 0.1, x * 1.5, x)  # away from the bounds
    check_gradients(lambda t: tf.clip_by_value(t, -1.0, 1.0), [x])
    check_gradients(lambda t: tf.clip_by_norm(t, 1.0), [normal((3, 4))])       # norm above 1: scaled
    check_gradients(lambda t: tf.clip_by_norm(t, 100.0), [normal((3, 4))])     # below: unchanged
    check_gradients(lambda t: tf.clip_by_norm(t, 1.0, axes=[1]), [normal((3, 4))])
    check_gradients(lambda a, b: tf.global_norm([a, b]), [normal((3,)), normal((2, 2))])

    def clipped(a, b):
        ca, cb = tf.clip_by_global_norm([a, b], 1.0)[0]
        return tf.reduce_sum(ca) + tf.reduce_sum(cb * cb)
    check_gradients(clipped, [normal((3,)), normal((2, 2))])


def test_clip_by_norm_gradient_of_zero_vector_is_finite():
    x = tf.constant(np.zeros(3))
    g = _run(tf.gradients(tf.reduce_sum(tf.clip_by_norm(x, 1.0)), x)[0])
    assert np.all(np.isfinite(g))


# ---- stability ------------------------------------------------------------------------------
def test_huge_logits_give_finite_losses_and_gradients():
    logits = tf.constant(np.array([[1000.0, 0.0, -1000.0], [-1000.0, 1000.0, 999.0]], np.float32))
    onehot = tf.constant(np.array([[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]], np.float32))
    sparse = tf.constant([2, 0])
    losses = {
        "softmax": tf.nn.softmax_cross_entropy_with_logits_v2(labels=onehot, logits=logits),
        "sparse": tf.nn.sparse_softmax_cross_entropy_with_logits(labels=sparse, logits=logits),
        "sigmoid": tf.nn.sigmoid_cross_entropy_with_logits(labels=onehot, logits=logits),
        "weighted": tf.nn.weighted_cross_entropy_with_logits(labels=onehot, logits=logits, pos_weight=2.0),
        "log_softmax": -tf.nn.log_softmax(logits),
        "softmax_probs": tf.nn.softmax(logits),
        "softplus": tf.nn.softplus(logits),
    }
    for name, loss in losses.items():
        value, grad = _run([loss, tf.gradients(tf.reduce_sum(loss), logits)[0]])
        assert np.all(np.isfinite(value)), name
        assert np.all(np.isfinite(grad)), name
    assert _run(losses["softmax"])[0] == pytest.approx(2000.0)
    assert _run(losses["sparse"])[1] == pytest.approx(2000.0 + np.log1p(np.exp(-1.0)))


def test_softmax_rows_sum_to_one():
    x = tf.constant(normal((4, 5)) * 30)
    assert np.allclose(_run(tf.reduce_sum(tf.nn.softmax(x), axis=1)), 1.0)


# ---- values worked out by hand ----------------------------------------------------------------
def test_l2_loss_and_leaky_relu_by_hand():
    assert _run(tf.nn.l2_loss(tf.constant([3.0, 4.0]))) == 12.5
    assert list(_run(tf.nn.leaky_relu(tf.constant([-1.0, 2.0]), alpha=0.5))) == [-0.5, 2.0]
    assert tf.nn.leaky_relu(tf.constant([-1, 2])).dtype == tf.float32


def test_bias_add_nchw_adds_along_the_second_axis():
    x = tf.zeros([1, 2, 1, 3])
    out = _run(tf.nn.bias_add(x, tf.constant([1.0, 2.0]), data_format="NCHW"))
    assert out[0, :, 0, 0].tolist() == [1.0, 2.0] and out.shape == (1, 2, 1, 3)


# ---- dropout ----------------------------------------------------------------------------------
def test_dropout_zeroes_and_scales():
    x = tf.ones([200, 50])
    d = tf.nn.dropout(x, keep_prob=0.5)
    v = _run(d)
    assert set(np.unique(v)) <= {0.0, 2.0}
    assert 0.4 < np.mean(v == 2.0) < 0.6
    assert d.shape.as_list() == [200, 50]
    assert [op.type for op in d.graph.get_operations() if op.name.startswith("dropout/")][-3:] == \
        ["Floor", "RealDiv", "Mul"]


def test_dropout_rate_noise_shape_and_new_mask_each_run():
    x = tf.ones([100, 4])
    d = tf.nn.dropout(x, rate=0.5, noise_shape=[100, 1])
    with tf.Session() as sess:
        a, b = sess.run(d), sess.run(d)
    assert np.all(a == a[:, :1])  # one decision per row
    assert not np.array_equal(a, b)


def test_dropout_gradient_uses_the_same_mask():
    x = tf.constant(np.ones((50, 4)))
    d = tf.nn.dropout(x, keep_prob=0.25)
    value, grad = _run([d, tf.gradients(tf.reduce_sum(d), x)[0]])
    assert np.array_equal(value, grad)  # d(x/k*m)/dx = m/k, and x is all ones


def test_dropout_seeded_is_reproducible():
    tf.set_random_seed(1)
    d = tf.nn.dropout(tf.ones([10, 10]), keep_prob=0.5, seed=7)
    first = _run(d)
    assert np.array_equal(first, _run(d))


def test_dropout_errors():
    with pytest.raises(ValueError):
        tf.nn.dropout(tf.ones([2]), keep_prob=1.5)
    with pytest.raises(ValueError):
        tf.nn.dropout(tf.ones([2]), rate=1.0)
    with pytest.raises(ValueError):
        tf.nn.dropout(tf.ones([2]))
    with pytest.raises(ValueError):
        tf.nn.dropout(tf.constant([1, 2]), keep_prob=0.5)
    with pytest.raises(ValueError):
        tf.nn.dropout(tf.ones([2]), keep_prob=0.5, rate=0.5)


# ---- static shapes and build-time errors ----------------------------------------------------------
def test_static_shapes_with_unknown_batch():
    x = tf.placeholder(tf.float32, [None, 10])
    labels = tf.placeholder(tf.int64, [None])
    assert tf.nn.relu(x).shape.as_list() == [None, 10]
    assert tf.nn.softmax(x, axis=0).shape.as_list() == [None, 10]
    assert tf.nn.bias_add(x, tf.zeros([10])).shape.as_list() == [None, 10]
    assert tf.nn.l2_loss(x).shape.as_list() == []
    assert tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=x).shape.as_list() == [None]
    assert tf.nn.softmax_cross_entropy_with_logits_v2(labels=x, logits=x).shape.as_list() == [None]
    mean, var = tf.nn.moments(x, [0])
    assert mean.shape.as_list() == [10] and var.shape.as_list() == [10]
    assert tf.nn.dropout(x, keep_prob=0.5).shape.as_list() == [None, 10]
    assert tf.clip_by_norm(x, 1.0).shape.as_list() == [None, 10]


def test_build_time_errors_name_the_op():
    with pytest.raises(TypeError, match="Elu"):
        tf.nn.elu(tf.constant([1, 2]))
    with pytest.raises(TypeError):
        tf.nn.relu(tf.constant([True]))
    with pytest.raises(ValueError, match="rank"):
        tf.nn.softmax(tf.constant(1.0))
    with pytest.raises(ValueError, match="BiasAdd"):
        tf.nn.bias_add(tf.zeros([2, 3]), tf.zeros([2]))
    with pytest.raises(ValueError, match="at least rank 2"):
        tf.nn.bias_add(tf.zeros([3]), tf.zeros([3]))
    with pytest.raises(ValueError, match="Dimensions must be equal"):
        tf.nn.softmax_cross_entropy_with_logits_v2(labels=tf.zeros([2, 3]), logits=tf.zeros([2, 4]))
    with pytest.raises(ValueError, match="same shape"):
        tf.nn.sigmoid_cross_entropy_with_logits(labels=tf.zeros([2]), logits=tf.zeros([3]))
    with pytest.raises(ValueError, match="Rank mismatch"):
        tf.nn.sparse_softmax_cross_entropy_with_logits(labels=tf.constant([[1], [0]]), logits=tf.zeros([2, 2]))
    with pytest.raises(TypeError, match="labels"):
        tf.nn.sparse_softmax_cross_entropy_with_logits(labels=tf.zeros([2]), logits=tf.zeros([2, 2]))
    with pytest.raises(ValueError, match="named arguments"):
        tf.nn.softmax_cross_entropy_with_logits_v2(tf.zeros([2, 2]), tf.zeros([2, 2]))
    with pytest.raises(TypeError, match="sequence"):
        tf.clip_by_global_norm(tf.zeros([2]), 1.0)
    with pytest.raises(ValueError):
        tf.clip_by_value(tf.zeros([2]), tf.zeros([3]), 1.0)


def test_sparse_label_out_of_range_fails_at_run_time():
    labels = tf.placeholder(tf.int32, [None])
    loss = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=tf.zeros([3, 3]))
    with tf.Session() as sess:
        assert sess.run(loss, {labels: [0, 1, 2]}).shape == (3,)
        with pytest.raises(tf.errors.InvalidArgumentError, match=r"label value of 5 .* \[0, 3\)"):
            sess.run(loss, {labels: [1, 5, 2]})
        with pytest.raises(tf.errors.InvalidArgumentError, match="label value of -1"):
            sess.run(loss, {labels: [-1, 0, 0]})


def test_bias_add_run_time_mismatch_is_an_error_not_a_broadcast():
    x = tf.placeholder(tf.float32, [None, None])
    b = tf.placeholder(tf.float32, [None])
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError, match="biases"):
            sess.run(tf.nn.bias_add(x, b), {x: np.zeros((2, 3)), b: np.zeros(1)})


# ---- names (TF1's, checked against a local TensorFlow) ----------------------------------------
def test_node_names():
    x = tf.placeholder(tf.float32, [2, 3], name="x")
    z = tf.placeholder(tf.float32, [2, 3], name="z")
    names = {
        "softmax_v2": tf.nn.softmax_cross_entropy_with_logits_v2(labels=z, logits=x).name,
        "softmax_v1": tf.nn.softmax_cross_entropy_with_logits(labels=z, logits=x).name,
        "sparse": tf.nn.sparse_softmax_cross_entropy_with_logits(labels=[0, 1], logits=x).name,
        "sigmoid": tf.nn.sigmoid_cross_entropy_with_logits(labels=z, logits=x).name,
        "moments": [t.name for t in tf.nn.moments(x, [0])],
        "normalize": tf.nn.l2_normalize(x, 1).name,
        "batchnorm": tf.nn.batch_normalization(x, tf.zeros([3]), tf.ones([3]), None, None, 1e-3).name,
        "clip_value": tf.clip_by_value(x, 0.0, 1.0).name,
        "clip_norm": tf.clip_by_norm(x, 1.0).name,
        "global": [t.name for t in tf.clip_by_global_norm([x], 1.0)[0]],
        "softmax_axis0": tf.nn.softmax(x, axis=0).name,
    }
    assert names == {
        "softmax_v2": "softmax_cross_entropy_with_logits/Reshape_2:0",
        "softmax_v1": "softmax_cross_entropy_with_logits_sg/Reshape_2:0",
        "sparse": "SparseSoftmaxCrossEntropyWithLogits/SparseSoftmaxCrossEntropyWithLogits:0",
        "sigmoid": "logistic_loss:0",
        "moments": ["moments/Squeeze:0", "moments/Squeeze_1:0"],
        "normalize": "l2_normalize:0",
        "batchnorm": "batchnorm/add_1:0",
        "clip_value": "clip_by_value:0",
        "clip_norm": "clip_by_norm:0",
        "global": ["clip_by_global_norm/clip_by_global_norm/_0:0"],
        "softmax_axis0": "transpose_1:0",
    }
    g = tf.get_default_graph()
    assert g.get_operation_by_name("clip_by_value/Minimum").type == "Minimum"
    assert g.get_operation_by_name("clip_by_value").type == "Maximum"
    assert g.get_operation_by_name("moments/mean").type == "Mean"
    assert g.get_operation_by_name("moments/variance").type == "Mean"
    assert g.get_operation_by_name("global_norm/global_norm").type == "Sqrt"
    assert g.get_operation_by_name("softmax_cross_entropy_with_logits_sg/labels_stop_gradient").type == \
        "StopGradient"


def test_gradient_helper_op_names():
    x = tf.placeholder(tf.float32, [2, 3], name="x")
    expected = {tf.nn.relu: "ReluGrad", tf.nn.relu6: "Relu6Grad", tf.nn.elu: "EluGrad",
                tf.nn.leaky_relu: "LeakyReluGrad", tf.nn.softplus: "SoftplusGrad", tf.nn.softsign: "SoftsignGrad",
                tf.nn.selu: "SeluGrad"}
    for fn, op_type in expected.items():
        assert tf.gradients(fn(x), x)[0].op.type == op_type


def test_missing_nn_name_is_a_clear_error():
    with pytest.raises(AttributeError, match="tfteach does not implement tf.nn.ctc_loss"):
        tf.nn.ctc_loss  # noqa: B018
