"""Convolution and pooling cases: tf.nn.conv2d/max_pool/avg_pool, their gradients, the layers.

Each `case_<name>(tf)` builds on the (already reset) default graph, runs it, and returns plain
data. Expected results come from real TensorFlow (`tests/fixtures/make_fixtures.py conv_cases`),
so TF's padding rule (SAME puts the odd padding row/column at the bottom/right) is checked
against the real thing, not against a reference written by the same hand.

Kept out on purpose: TF 2.21's AvgPoolGrad is wrong for a 5x5 SAME window on a 4-pixel side
(its own tf.test.compute_gradient_error is 0.08 there); tests/test_conv.py checks tfteach's
gradient for that shape against central differences instead. And names that differ only in
case (`conv2d/...` next to `Conv2D`): TF 2.21 uniquifies them case-insensitively, the TF 1.x of
the seeds did not, nor does tfteach.
"""
import numpy as np

from cases.harness import catch


def _run(tf, fetches, feed=None):
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        return sess.run(fetches, feed_dict=feed)


def _data(shape, seed):
    """Random values rounded to 1/8, so sums are exact in float32 and TF's order cannot matter."""
    return np.round(np.random.RandomState(seed).randn(*shape) * 8) / 8


def _f32(shape, seed):
    return _data(shape, seed).astype(np.float32)


# ---- Conv2D forward ----------------------------------------------------------------------------
def _conv(tf, image, kernel, stride, padding, dtype=np.float32):
    x = tf.constant(_data(image, 1).astype(dtype))
    w = tf.constant(_data(kernel, 2).astype(dtype))
    y = tf.nn.conv2d(x, w, strides=[1, stride, stride, 1], padding=padding)
    return {"y": _run(tf, y), "shape": y.shape.as_list(), "name": y.name, "dtype": y.dtype.name}


def case_conv2d_same_odd_stride1(tf):
    return _conv(tf, (1, 5, 5, 1), (3, 3, 1, 1), 1, "SAME")


def case_conv2d_valid_odd_stride1(tf):
    return _conv(tf, (1, 5, 5, 1), (3, 3, 1, 1), 1, "VALID")


def case_conv2d_same_even_stride2(tf):
    # 6 -> 3 with a 3x3 filter: one padding row, and TF puts it at the bottom
    return _conv(tf, (2, 6, 6, 2), (3, 3, 2, 3), 2, "SAME")


def case_conv2d_same_even_kernel(tf):
    # a 2x2 filter with SAME and stride 1: the single padding row/column goes bottom/right
    return _conv(tf, (1, 4, 5, 1), (2, 2, 1, 2), 1, "SAME")


def case_conv2d_valid_even_stride2(tf):
    return _conv(tf, (2, 8, 7, 3), (3, 3, 3, 4), 2, "VALID")


def case_conv2d_same_stride3(tf):
    return _conv(tf, (1, 7, 8, 2), (3, 2, 2, 2), 3, "SAME")


def case_conv2d_valid_stride3(tf):
    return _conv(tf, (2, 9, 10, 1), (4, 3, 1, 3), 3, "VALID")


def case_conv2d_same_kernel_larger_than_image(tf):
    return _conv(tf, (1, 3, 4, 2), (5, 5, 2, 1), 1, "SAME")


def case_conv2d_1x1_multichannel(tf):
    return _conv(tf, (2, 3, 3, 4), (1, 1, 4, 5), 1, "VALID")


def case_conv2d_float64(tf):
    return _conv(tf, (1, 5, 4, 2), (3, 3, 2, 2), 2, "SAME", dtype=np.float64)


def case_conv2d_static_shapes(tf):
    x = tf.placeholder(tf.float32, (None, 28, 28, 1))
    w = tf.constant(_f32((5, 5, 1, 32), 0))
    shapes = {}
    for padding in ("SAME", "VALID"):
        for stride in (1, 2, 3):
            y = tf.nn.conv2d(x, w, [1, stride, stride, 1], padding)
            shapes[f"{padding}{stride}"] = y.shape.as_list()
    unknown = tf.nn.conv2d(tf.placeholder(tf.float32, (None, None, None, 1)), w, [1, 2, 2, 1], "SAME")
    shapes["unknown"] = unknown.shape.as_list()
    return shapes


def case_conv2d_placeholder_feed(tf):
    x = tf.placeholder(tf.float32, (None, 6, 5, 2))
    w = tf.constant(_f32((3, 3, 2, 2), 2))
    y = tf.nn.conv2d(x, w, [1, 2, 2, 1], "SAME")
    return {"y": _run(tf, y, {x: _f32((3, 6, 5, 2), 1)}), "shape": y.shape.as_list()}


def case_conv2d_channel_mismatch(tf):
    x = tf.constant(_f32((1, 5, 5, 3), 1))
    w = tf.constant(_f32((3, 3, 2, 4), 2))
    return catch(tf.nn.conv2d, x, w, [1, 1, 1, 1], "SAME")


def case_conv2d_valid_window_too_large(tf):
    x = tf.constant(_f32((1, 2, 5, 1), 1))
    w = tf.constant(_f32((3, 3, 1, 1), 2))
    return catch(tf.nn.conv2d, x, w, [1, 1, 1, 1], "VALID")


def case_conv2d_rank3_input(tf):
    x = tf.constant(_f32((5, 5, 1), 1))
    w = tf.constant(_f32((3, 3, 1, 1), 2))
    return catch(tf.nn.conv2d, x, w, [1, 1, 1, 1], "SAME")


# ---- Conv2D gradients --------------------------------------------------------------------------
def _conv_grads(tf, image, kernel, stride, padding):
    x = tf.constant(_f32(image, 1))
    w = tf.constant(_f32(kernel, 2))
    y = tf.nn.conv2d(x, w, [1, stride, stride, 1], padding)
    upstream = tf.constant(_f32(y.shape.as_list(), 3))
    dx, dw = tf.gradients(tf.reduce_sum(y * upstream), [x, w])
    return {"dx": _run(tf, dx), "dw": _run(tf, dw), "types": [dx.op.type, dw.op.type],
            "shapes": [dx.shape.as_list(), dw.shape.as_list()]}


def case_conv2d_grad_same_stride1(tf):
    return _conv_grads(tf, (2, 5, 5, 2), (3, 3, 2, 3), 1, "SAME")


def case_conv2d_grad_same_even_stride2(tf):
    return _conv_grads(tf, (1, 6, 7, 2), (3, 3, 2, 2), 2, "SAME")


def case_conv2d_grad_valid_stride2_leftover(tf):
    # 8 rows, 3x3 filter, stride 2, VALID: the last row is in no window and gets zero gradient
    return _conv_grads(tf, (1, 8, 8, 1), (3, 3, 1, 2), 2, "VALID")


def case_conv2d_grad_valid_stride3(tf):
    return _conv_grads(tf, (2, 7, 9, 2), (2, 3, 2, 2), 3, "VALID")


def case_conv2d_grad_names(tf):
    x = tf.placeholder(tf.float32, (None, 5, 5, 1), name="x")
    w = tf.constant(_f32((3, 3, 1, 2), 2), name="w")
    y = tf.nn.conv2d(x, w, [1, 1, 1, 1], "SAME")
    tf.gradients(tf.reduce_sum(y), [x, w])
    return [op.name for op in tf.get_default_graph().get_operations() if "Conv2D" in op.name]


def case_conv2d_backprop_input_direct(tf):
    w = tf.constant(_f32((3, 3, 2, 3), 2))
    dy = tf.constant(_f32((1, 3, 3, 3), 3))
    dx = tf.nn.conv2d_backprop_input([1, 6, 6, 2], w, dy, [1, 2, 2, 1], "SAME")
    return {"dx": _run(tf, dx), "shape": dx.shape.as_list(), "name": dx.name}


def case_conv2d_backprop_filter_direct(tf):
    x = tf.constant(_f32((1, 5, 5, 2), 1))
    dy = tf.constant(_f32((1, 3, 3, 3), 3))
    dw = tf.nn.conv2d_backprop_filter(x, [3, 3, 2, 3], dy, [1, 2, 2, 1], "SAME")
    return {"dw": _run(tf, dw), "shape": dw.shape.as_list(), "name": dw.name}


# ---- pooling -----------------------------------------------------------------------------------
def _pool(tf, fn, image, k, stride, padding):
    x = tf.constant(_f32(image, 1))
    y = fn(x, [1, k, k, 1], [1, stride, stride, 1], padding)
    upstream = tf.constant(_f32(y.shape.as_list(), 3))
    dx, = tf.gradients(tf.reduce_sum(y * upstream), [x])
    return {"y": _run(tf, y), "dx": _run(tf, dx), "shape": y.shape.as_list(), "name": y.name,
            "grad_type": dx.op.type}


def case_max_pool_same_odd_stride2(tf):
    return _pool(tf, tf.nn.max_pool, (2, 5, 5, 2), 2, 2, "SAME")


def case_max_pool_valid_odd_stride2(tf):
    return _pool(tf, tf.nn.max_pool, (2, 5, 5, 2), 2, 2, "VALID")


def case_max_pool_same_even_stride1_overlap(tf):
    # 3x3 windows at stride 1 overlap: an input that is the max of several windows sums their grads
    return _pool(tf, tf.nn.max_pool, (1, 6, 6, 1), 3, 1, "SAME")


def case_max_pool_valid_stride3(tf):
    return _pool(tf, tf.nn.max_pool, (1, 7, 8, 3), 3, 3, "VALID")


def case_max_pool_same_stride3(tf):
    return _pool(tf, tf.nn.max_pool, (1, 7, 8, 2), 2, 3, "SAME")


def case_max_pool_negative_values_same(tf):
    # padding must never win a window, even when every real value is negative
    x = tf.constant(-np.abs(_f32((1, 5, 5, 1), 1)) - 1)
    y = tf.nn.max_pool(x, [1, 3, 3, 1], [1, 2, 2, 1], "SAME")
    return _run(tf, y)


def case_max_pool_ties_grad(tf):
    x = tf.constant(np.ones((1, 4, 4, 1), np.float32))
    y = tf.nn.max_pool(x, [1, 2, 2, 1], [1, 2, 2, 1], "VALID")
    dx, = tf.gradients(tf.reduce_sum(y), [x])
    return _run(tf, dx)


def case_avg_pool_same_odd_stride2(tf):
    # SAME windows at the border average only the real pixels
    return _pool(tf, tf.nn.avg_pool, (2, 5, 5, 2), 2, 2, "SAME")


def case_avg_pool_valid_even_stride2(tf):
    return _pool(tf, tf.nn.avg_pool, (1, 6, 6, 2), 2, 2, "VALID")


def case_avg_pool_same_stride1_overlap(tf):
    return _pool(tf, tf.nn.avg_pool, (1, 5, 6, 1), 3, 1, "SAME")


def case_avg_pool_valid_stride3(tf):
    return _pool(tf, tf.nn.avg_pool, (2, 7, 9, 1), 3, 3, "VALID")


def case_avg_pool_same_stride3(tf):
    return _pool(tf, tf.nn.avg_pool, (1, 8, 7, 2), 2, 3, "SAME")


def case_pool_static_shapes(tf):
    x = tf.placeholder(tf.float32, (None, 7, 8, 3))
    out = {}
    for fn in (tf.nn.max_pool, tf.nn.avg_pool):
        for padding in ("SAME", "VALID"):
            for k, s in ((2, 2), (3, 1), (3, 3)):
                y = fn(x, [1, k, k, 1], [1, s, s, 1], padding)
                out[f"{y.op.type}_{padding}_{k}_{s}"] = y.shape.as_list()
    return out


def case_max_pool_window_too_large(tf):
    return catch(tf.nn.max_pool, tf.constant(_f32((1, 2, 2, 1), 1)), [1, 3, 3, 1], [1, 1, 1, 1], "VALID")


# ---- tf.layers ---------------------------------------------------------------------------------
def case_layers_conv2d_names(tf):
    x = tf.placeholder(tf.float32, (None, 8, 8, 1), name="x")
    h = tf.layers.conv2d(x, 4, 3, padding="same", activation=tf.nn.relu)
    p = tf.layers.max_pooling2d(h, 2, 2)
    h2 = tf.layers.conv2d(p, 6, (3, 2), strides=(2, 1))
    p2 = tf.layers.max_pooling2d(h2, pool_size=(1, 2), strides=1, padding="same", name="pool")
    graph = tf.get_default_graph()
    return {"vars": [v.name for v in tf.global_variables()],
            "trainable": [v.name for v in tf.trainable_variables()],
            "var_shapes": [v.shape.as_list() for v in tf.global_variables()],
            "outputs": [t.name for t in (h, p, h2, p2)],
            "output_shapes": [t.shape.as_list() for t in (h, p, h2, p2)],
            "ops": [op.name for op in graph.get_operations() if "Initializer" not in op.name]}


def case_layers_conv2d_value(tf):
    x = tf.constant(_f32((2, 5, 5, 2), 1))
    y = tf.layers.conv2d(x, 3, 3, strides=2, padding="same",
                         kernel_initializer=tf.constant_initializer(_f32((3, 3, 2, 3), 2)),
                         bias_initializer=tf.constant_initializer([0.5, -0.25, 0.0]), activation=tf.nn.relu)
    return {"y": _run(tf, y), "name": y.name}


def case_layers_max_pooling2d_value(tf):
    x = tf.constant(_f32((1, 5, 6, 2), 1))
    y = tf.layers.max_pooling2d(x, 2, 2, padding="same")
    z = tf.layers.max_pooling2d(x, 3, 2)
    return {"y": _run(tf, y), "z": _run(tf, z), "names": [y.name, z.name]}


def case_layers_cnn_training(tf):
    # a tiny CNN trained for a few steps: values of the loss and of one kernel after training
    x = tf.constant(_f32((4, 6, 6, 1), 1))
    labels = tf.constant(np.array([0, 1, 2, 1], np.int32))
    init = tf.constant_initializer
    h = tf.layers.conv2d(x, 2, 3, padding="same", activation=tf.nn.relu,
                         kernel_initializer=init(_f32((3, 3, 1, 2), 2) / 4))
    h = tf.layers.max_pooling2d(h, 2, 2)
    h = tf.layers.flatten(h)
    logits = tf.layers.dense(h, 3, kernel_initializer=init(_f32((18, 3), 4) / 4))
    loss = tf.losses.sparse_softmax_cross_entropy(labels, logits)
    train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    kernel = [v for v in tf.global_variables() if v.name == "conv2d/kernel:0"][0]
    losses = []
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(4):
            losses.append(sess.run(loss))
            sess.run(train)
        return {"losses": losses, "kernel": sess.run(kernel)}
