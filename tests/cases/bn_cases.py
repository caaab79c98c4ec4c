"""Batch normalization and transposed convolution cases (issue #23, part B).

tf.nn.fused_batch_norm (FusedBatchNormV3 and its gradient), tf.layers.batch_normalization with
training as a Python bool and as a bool placeholder, its variables, collections and update ops
(UPDATE_OPS, TF's node names), tf.nn.conv2d_transpose and tf.layers.conv2d_transpose. Expected
results come from real TensorFlow (`tests/fixtures/make_fixtures.py bn_cases`, tf.compat.v1 with
tf-keras for tf.layers).

Kept out on purpose: node names inside a cond that TF 2.21 makes and TF 1.x's graph did not
need (the RefSwitch of a variable assigned in a branch): the cases compare the names a learner
sees (outputs, variables, update ops), not every Switch. Constant inputs to an inference-mode
FusedBatchNormV3 are fed as placeholders: TF 2.21's constant folding of that op fails on CPU.
"""
import numpy as np

from cases.harness import catch


def _data(shape, seed, scale=1.0):
    """Random values rounded to 1/8 (sums of few of them are exact in float32)."""
    return (np.round(np.random.RandomState(seed).randn(*shape) * 8 * scale) / 8).astype(np.float32)


def _run(tf, fetches, feed=None, init=True):
    with tf.Session() as sess:
        if init:
            sess.run(tf.global_variables_initializer())
        return sess.run(fetches, feed_dict=feed)


def _names(items):
    return [getattr(v, "name", None) for v in items]


def _forward_names(tf):
    """The graph's op names outside gradients/: TF 2.21 names its gradient helpers differently
    from TF 1.x (gradients/grad_ys_0, no BroadcastGradientArgs for known shapes), tfteach as TF 1.x."""
    return [op.name for op in tf.get_default_graph().get_operations() if not op.name.startswith("gradients/")]


# ---- tf.nn.fused_batch_norm --------------------------------------------------------------------
def case_fused_batch_norm_training(tf):
    x = tf.constant(_data((2, 3, 3, 2), 1))
    y, mean, var = tf.nn.fused_batch_norm(x, tf.constant([1.5, 0.5]), tf.constant([0.25, -0.5]))
    return {"values": _run(tf, [y, mean, var]), "names": [y.name, mean.name, var.name],
            "type": y.op.type, "shapes": [t.shape.as_list() for t in (y, mean, var)],
            "dtype": y.dtype.name, "is_training": y.op.get_attr("is_training"),
            "epsilon": y.op.get_attr("epsilon")}


def case_fused_batch_norm_inference(tf):
    x = tf.placeholder(tf.float32, [2, 2, 3, 3])
    m = tf.placeholder(tf.float32, [3])
    v = tf.placeholder(tf.float32, [3])
    y, mean, var = tf.nn.fused_batch_norm(x, tf.constant([1.0, 2.0, 0.5]), tf.constant([0.0, 1.0, -1.0]),
                                          mean=m, variance=v, is_training=False, name="bn")
    feed = {x: _data((2, 2, 3, 3), 2), m: np.float32([0.5, -0.25, 0.0]), v: np.float32([1.0, 4.0, 0.25])}
    return {"values": _run(tf, [y, mean, var], feed), "name": y.name, "is_training": y.op.get_attr("is_training")}


def case_fused_batch_norm_grad_training(tf):
    x = tf.constant(_data((2, 3, 2, 3), 3))
    scale = tf.constant([1.5, 0.5, -1.0])
    offset = tf.constant([0.25, -0.5, 0.0])
    y, _, _ = tf.nn.fused_batch_norm(x, scale, offset)
    w = tf.constant(_data((2, 3, 2, 3), 4))
    grads = tf.gradients(tf.reduce_sum(y * w), [x, scale, offset])
    return {"grads": _run(tf, grads), "dx": grads[0].name, "type": grads[0].op.type,
            "inputs": [t.name for t in grads[0].op.inputs[1:]]}


def case_fused_batch_norm_grad_inference(tf):
    x = tf.placeholder(tf.float32, [1, 2, 3, 2])
    m = tf.placeholder(tf.float32, [2])
    v = tf.placeholder(tf.float32, [2])
    scale = tf.constant([2.0, 0.5])
    offset = tf.constant([0.5, 1.0])
    y, _, _ = tf.nn.fused_batch_norm(x, scale, offset, mean=m, variance=v, is_training=False)
    w = tf.constant(_data((1, 2, 3, 2), 5))
    grads = tf.gradients(tf.reduce_sum(y * w), [x, scale, offset, m, v])
    feed = {x: _data((1, 2, 3, 2), 6), m: np.float32([0.25, -1.0]), v: np.float32([0.75, 2.0])}
    return {"grads": _run(tf, [g for g in grads if g is not None], feed), "none": [g is None for g in grads]}


def case_fused_batch_norm_nchw_and_float16(tf):
    x = tf.constant(_data((2, 3, 2, 2), 50))
    y, m, v = tf.nn.fused_batch_norm(x, tf.constant([1.5, 0.5, 2.0]), tf.constant([0.25, -0.5, 0.0]),
                                     data_format="NCHW")
    xh = tf.constant(_data((2, 2, 2, 2), 51).astype(np.float16))
    yh, mh, vh = tf.nn.fused_batch_norm(xh, tf.constant([1.5, 0.5]), tf.constant([0.25, -0.5]))
    layer = tf.layers.batch_normalization(tf.constant(_data((2, 3, 2, 2), 52)), axis=1, training=True)
    return {"values": _run(tf, [y, m, v, yh, mh, vh, layer]), "dtypes": [t.dtype.name for t in (yh, mh, vh)],
            "layer_type": layer.op.type, "shapes": [t.shape.as_list() for t in (y, m, yh, layer)]}


def case_fused_batch_norm_float64_rejected(tf):
    x = tf.constant(np.zeros((1, 2, 2, 1)))
    return catch(tf.nn.fused_batch_norm, x, tf.constant([1.0], tf.float64), tf.constant([0.0], tf.float64))


# ---- tf.layers.batch_normalization -----------------------------------------------------------
def _layer_report(tf, y):
    return {"output": y.name, "shape": y.shape.as_list(),
            "update_ops": _names(tf.get_collection(tf.GraphKeys.UPDATE_OPS)),
            "update_types": [op.type for op in tf.get_collection(tf.GraphKeys.UPDATE_OPS)],
            "global": _names(tf.global_variables()), "trainable": _names(tf.trainable_variables())}


def case_bn_layer_dense_training(tf):
    x = tf.constant(_data((4, 3), 7))
    y = tf.layers.batch_normalization(x, training=True)
    updates = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        out = sess.run(y)
        sess.run(updates)
        moving = sess.run(tf.global_variables()[2:])
    return {"report": _layer_report(tf, y), "y": out, "moving_after_one_update": moving,
            "op_names": [op.name for op in tf.get_default_graph().get_operations()]}


def case_bn_layer_dense_inference(tf):
    x = tf.constant(_data((4, 3), 8))
    y = tf.layers.batch_normalization(x)
    return {"report": _layer_report(tf, y), "y": _run(tf, y),
            "op_names": [op.name for op in tf.get_default_graph().get_operations()]}


def case_bn_layer_dense_placeholder(tf):
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    training = tf.placeholder(tf.bool, name="training")
    y = tf.layers.batch_normalization(x, training=training)
    updates = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
    data = _data((5, 3), 9)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        y_train, _ = sess.run([y, updates], {x: data, training: True})
        moving = sess.run(tf.global_variables()[2:])
        y_test, _ = sess.run([y, updates], {x: data, training: False})
        moving_after_test = sess.run(tf.global_variables()[2:])
    return {"report": _layer_report(tf, y), "y_train": y_train, "y_test": y_test, "moving": moving,
            "moving_after_test_run": moving_after_test}


def case_bn_layer_images_fused_training(tf):
    x = tf.constant(_data((2, 3, 3, 2), 10))
    y = tf.layers.batch_normalization(x, training=True, momentum=0.9)
    updates = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        out = sess.run(y)
        sess.run(updates)
        sess.run(updates)
        moving = sess.run(tf.global_variables()[2:])
    return {"report": _layer_report(tf, y), "y": out, "moving_after_two_updates": moving, "type": y.op.type,
            "epsilon": y.op.get_attr("epsilon"),
            "op_names": [op.name for op in tf.get_default_graph().get_operations()]}


def case_bn_layer_images_fused_placeholder(tf):
    x = tf.placeholder(tf.float32, [None, 2, 2, 3], name="x")
    training = tf.placeholder(tf.bool, name="training")
    y = tf.layers.batch_normalization(x, training=training)
    updates = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
    data = _data((3, 2, 2, 3), 11)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        y_train, _ = sess.run([y, updates], {x: data, training: True})
        moving = sess.run(tf.global_variables()[2:])
        y_test, _ = sess.run([y, updates], {x: data, training: False})
        moving_after_test = sess.run(tf.global_variables()[2:])
    return {"report": _layer_report(tf, y), "y_train": y_train, "y_test": y_test, "moving": moving,
            "moving_after_test_run": moving_after_test}


def case_bn_layer_images_inference(tf):
    x = tf.constant(_data((1, 2, 2, 2), 12))
    y = tf.layers.batch_normalization(x, training=False, name="bn")
    return {"report": _layer_report(tf, y), "y": _run(tf, y), "type": y.op.type}


def case_bn_layer_not_fused(tf):
    x = tf.constant(_data((2, 2, 2, 2), 13))
    y = tf.layers.batch_normalization(x, training=True, fused=False)
    return {"report": _layer_report(tf, y), "y": _run(tf, y)}


def case_bn_layer_axis1_rank3(tf):
    x = tf.constant(_data((2, 3, 4), 14))
    y = tf.layers.batch_normalization(x, axis=1, training=True, gamma_initializer=tf.constant_initializer(2.0))
    return {"report": _layer_report(tf, y), "y": _run(tf, y),
            "op_names": [op.name for op in tf.get_default_graph().get_operations()]}


def case_bn_layer_no_center_no_scale(tf):
    x = tf.constant(_data((3, 2), 15))
    y = tf.layers.batch_normalization(x, center=False, scale=False, training=True)
    x4 = tf.constant(_data((2, 2, 2, 2), 16))
    y4 = tf.layers.batch_normalization(x4, center=False, scale=False, training=True)
    return {"report": _layer_report(tf, y4), "y": _run(tf, [y, y4]), "names": [y.name, y4.name]}


def case_bn_layer_two_layers_names(tf):
    x = tf.placeholder(tf.float32, [None, 4])
    h = tf.layers.batch_normalization(tf.layers.dense(x, 3, use_bias=False), training=True)
    y = tf.layers.batch_normalization(h, training=True, name="bn_out")
    return _layer_report(tf, y)


def case_bn_layer_class(tf):
    layer = tf.layers.BatchNormalization(momentum=0.5)
    x = tf.constant(_data((4, 2), 17))
    y = layer(x, training=True)
    return {"y": y.name, "trainable": _names(layer.trainable_weights),
            "updates": _names(tf.get_collection(tf.GraphKeys.UPDATE_OPS)), "values": _run(tf, y)}


def case_bn_layer_gradients_dense(tf):
    x = tf.constant(_data((4, 3), 18))
    y = tf.layers.batch_normalization(x, training=True)
    w = tf.constant(_data((4, 3), 19))
    gamma, beta = tf.trainable_variables()
    grads = tf.gradients(tf.reduce_sum(y * w), [x, gamma, beta])
    return {"grads": _run(tf, grads)}


def case_bn_layer_gradients_fused(tf):
    x = tf.constant(_data((2, 2, 3, 2), 20))
    y = tf.layers.batch_normalization(x, training=True)
    w = tf.constant(_data((2, 2, 3, 2), 21))
    gamma, beta = tf.trainable_variables()
    grads = tf.gradients(tf.reduce_sum(y * w), [x, gamma, beta])
    return {"grads": _run(tf, grads), "dx": grads[0].name}


def case_bn_layer_update_ops_training_loop(tf):
    """The course-lab pattern: the train op depends on UPDATE_OPS; three steps of SGD."""
    x = tf.placeholder(tf.float32, [None, 2], name="x")
    training = tf.placeholder(tf.bool, name="training")
    h = tf.layers.batch_normalization(x, training=training)
    loss = tf.reduce_mean(tf.square(h - 1.0))
    update_ops = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
    with tf.control_dependencies(update_ops):
        train = tf.train.GradientDescentOptimizer(0.5).minimize(loss)
    data = _data((6, 2), 22)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        losses = [sess.run([loss, train], {x: data, training: True})[0] for _ in range(3)]
        variables = sess.run(tf.global_variables())
        test = sess.run(h, {x: data[:2], training: False})
    return {"losses": losses, "variables": variables, "test": test, "train": train.name}


def case_bn_layer_forgot_update_ops(tf):
    """Without the control dependency the moving averages never move: inference uses 0 and 1."""
    x = tf.placeholder(tf.float32, [None, 2], name="x")
    h = tf.layers.batch_normalization(x, training=True)
    loss = tf.reduce_mean(tf.square(h - 1.0))
    train = tf.train.GradientDescentOptimizer(0.5).minimize(loss)
    data = _data((6, 2), 23) + 3
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(3):
            sess.run(train, {x: data})
        return sess.run(tf.global_variables())


def case_bn_layer_undefined_channels(tf):
    x = tf.placeholder(tf.float32, [None, None])
    return catch(tf.layers.batch_normalization, x)


# ---- tf.nn.conv2d_transpose ------------------------------------------------------------------
def _conv_t(tf, image, kernel, out, stride, padding):
    x = tf.constant(_data(image, 30))
    w = tf.constant(_data(kernel, 31))
    y = tf.nn.conv2d_transpose(x, w, out, [1, stride, stride, 1], padding)
    dy = tf.constant(_data(out, 32))
    grads = tf.gradients(tf.reduce_sum(y * dy), [x, w])
    return {"y": _run(tf, y), "name": y.name, "type": y.op.type, "shape": y.shape.as_list(),
            "grads": _run(tf, grads), "grad_names": [g.name for g in grads],
            "op_names": _forward_names(tf)}


def case_conv2d_transpose_same_stride2(tf):
    return _conv_t(tf, (2, 3, 3, 2), (3, 3, 4, 2), [2, 6, 6, 4], 2, "SAME")


def case_conv2d_transpose_valid_stride2(tf):
    return _conv_t(tf, (1, 3, 2, 3), (3, 3, 2, 3), [1, 7, 5, 2], 2, "VALID")


def case_conv2d_transpose_same_stride1(tf):
    return _conv_t(tf, (1, 4, 4, 1), (5, 5, 3, 1), [1, 4, 4, 3], 1, "SAME")


def case_conv2d_transpose_odd_output(tf):
    # SAME with stride 2 also reaches the odd size 7 (ceil(7 / 2) = 4)
    return _conv_t(tf, (1, 4, 4, 2), (4, 4, 1, 2), [1, 7, 7, 1], 2, "SAME")


def case_conv2d_transpose_named(tf):
    x = tf.placeholder(tf.float32, [1, 2, 2, 3])
    w = tf.constant(_data((2, 2, 5, 3), 33))
    y = tf.nn.conv2d_transpose(x, w, tf.constant([1, 4, 4, 5]), [1, 2, 2, 1], "SAME", name="deconv")
    return {"name": y.name, "shape": y.shape.as_list(), "y": _run(tf, y, {x: _data((1, 2, 2, 3), 34)})}


def case_conv2d_transpose_channel_mismatch(tf):
    x = tf.constant(_data((1, 2, 2, 3), 35))
    w = tf.constant(_data((2, 2, 5, 4), 36))
    return catch(tf.nn.conv2d_transpose, x, w, [1, 4, 4, 5], [1, 2, 2, 1], "SAME")


# ---- tf.layers.conv2d_transpose --------------------------------------------------------------
def case_conv2d_transpose_layer_same(tf):
    x = tf.placeholder(tf.float32, [None, 3, 3, 2], name="z")
    y = tf.layers.conv2d_transpose(x, 4, 3, strides=2, padding="same",
                                   kernel_initializer=tf.constant_initializer(_data((3, 3, 4, 2), 40)),
                                   bias_initializer=tf.constant_initializer(0.5))
    return {"y": _run(tf, y, {x: _data((2, 3, 3, 2), 41)}), "name": y.name, "shape": y.shape.as_list(),
            "variables": _names(tf.global_variables()),
            "shapes": [v.shape.as_list() for v in tf.global_variables()],
            "op_names": [op.name for op in tf.get_default_graph().get_operations()]}


def case_conv2d_transpose_layer_valid_activation(tf):
    x = tf.constant(_data((1, 2, 3, 1), 42))
    y = tf.layers.conv2d_transpose(x, 2, (3, 2), strides=(2, 1), padding="valid", activation=tf.nn.relu,
                                   kernel_initializer=tf.constant_initializer(_data((3, 2, 2, 1), 43)))
    y2 = tf.layers.conv2d_transpose(y, 1, 2, use_bias=False,
                                    kernel_initializer=tf.constant_initializer(_data((2, 2, 1, 2), 49)))
    return {"y": _run(tf, [y, y2]), "names": [y.name, y2.name], "shapes": [y.shape.as_list(), y2.shape.as_list()],
            "variables": _names(tf.global_variables())}


def case_conv2d_transpose_layer_gradients(tf):
    x = tf.constant(_data((1, 2, 2, 2), 44))
    layer = tf.layers.Conv2DTranspose(3, 2, strides=2, padding="same",
                                      kernel_initializer=tf.constant_initializer(_data((2, 2, 3, 2), 45)))
    y = layer(x)
    w = tf.constant(_data((1, 4, 4, 3), 46))
    grads = tf.gradients(tf.reduce_sum(y * w), [x, layer.kernel, layer.bias])
    return {"grads": _run(tf, grads), "names": [g.name for g in grads]}


def case_conv2d_transpose_layer_unknown_size(tf):
    x = tf.placeholder(tf.float32, [None, None, None, 2], name="z")
    y = tf.layers.conv2d_transpose(x, 1, 3, strides=2, padding="same",
                                   kernel_initializer=tf.constant_initializer(_data((3, 3, 1, 2), 47)))
    return {"shape": y.shape.as_list(), "y": _run(tf, y, {x: _data((1, 2, 3, 2), 48)})}


# ---- programs: course-lab TF1, unchanged between TensorFlow and tfteach -------------------------------
def _digits():
    """scikit-learn's 8x8 digits scaled to [0, 1]: 1,437 training and 360 test images, fixed split."""
    import importlib.util
    import os
    # the file load_digits reads, without importing scikit-learn (seconds of scipy imports)
    package = importlib.util.find_spec("sklearn").submodule_search_locations[0]
    table = np.loadtxt(os.path.join(package, "datasets", "data", "digits.csv.gz"), delimiter=",")
    x = (table[:, :64].reshape(-1, 8, 8) / 16.0).astype(np.float32)
    order = np.random.RandomState(0).permutation(len(x))
    x, y = x[order], table[order, 64].astype(np.int64)
    return x[:1437], y[:1437], x[1437:], y[1437:]


def case_program_digits_mlp_batch_norm(tf):
    """An MNIST-style lab on the digits: dense -> batch norm -> relu -> dense, momentum SGD,
    UPDATE_OPS through control_dependencies, a training placeholder, tf.metrics.accuracy."""
    x_train, y_train, x_test, y_test = _digits()
    x_train, x_test = x_train.reshape(-1, 64), x_test.reshape(-1, 64)
    x = tf.placeholder(tf.float32, [None, 64], name="x")
    y = tf.placeholder(tf.int64, [None], name="y")
    is_training = tf.placeholder(tf.bool, name="is_training")
    w1 = tf.constant_initializer(np.random.RandomState(1).uniform(-0.2, 0.2, (64, 64)).astype(np.float32))
    w2 = tf.constant_initializer(np.random.RandomState(2).uniform(-0.2, 0.2, (64, 10)).astype(np.float32))
    h = tf.layers.dense(x, 64, use_bias=False, kernel_initializer=w1)
    h = tf.layers.batch_normalization(h, training=is_training)
    h = tf.nn.relu(h)
    logits = tf.layers.dense(h, 10, kernel_initializer=w2)
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
    update_ops = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
    with tf.control_dependencies(update_ops):
        train = tf.train.MomentumOptimizer(0.1, 0.9).minimize(loss)
    accuracy, accuracy_update = tf.metrics.accuracy(labels=y, predictions=tf.argmax(logits, 1))
    losses = []
    with tf.Session() as sess:
        sess.run([tf.global_variables_initializer(), tf.local_variables_initializer()])
        for step in range(30):
            batch = slice((step % 7) * 200, (step % 7) * 200 + 200)
            value, _ = sess.run([loss, train], {x: x_train[batch], y: y_train[batch], is_training: True})
            losses.append(value)
        sess.run(accuracy_update, {x: x_test, y: y_test, is_training: False})
        test_accuracy = sess.run(accuracy)
        moving = sess.run(tf.global_variables("batch_normalization/moving"))
    return {"losses": losses, "test_accuracy": test_accuracy, "moving_mean_head": moving[0][:4],
            "moving_variance_head": moving[1][:4], "update_ops": _names(update_ops)}


def case_program_dcgan_generator_step(tf):
    """A DCGAN-style step on the digits upsampled to 16x16: the generator is dense -> batch norm
    -> two conv2d_transpose (batch norm, relu; tanh), the discriminator two strided conv2d; Adam
    (2e-4, beta1 0.5) on each net's variables, the generator's after its UPDATE_OPS."""
    x_train = _digits()[0]
    real_images = np.kron(x_train[:16], np.ones((2, 2), np.float32))[..., None] * 2 - 1  # (16, 16, 16, 1)
    z_values = np.random.RandomState(3).uniform(-1, 1, (16, 8)).astype(np.float32)

    def init(shape, seed, scale=0.1):
        return tf.constant_initializer(np.random.RandomState(seed).uniform(-scale, scale, shape).astype(np.float32))

    z = tf.placeholder(tf.float32, [None, 8], name="z")
    real = tf.placeholder(tf.float32, [None, 16, 16, 1], name="real")
    training = tf.placeholder(tf.bool, name="training")

    def generator(z):
        with tf.variable_scope("generator"):
            h = tf.layers.dense(z, 4 * 4 * 16, use_bias=False, kernel_initializer=init((8, 256), 10))
            h = tf.reshape(h, [-1, 4, 4, 16])
            h = tf.nn.relu(tf.layers.batch_normalization(h, training=training))
            h = tf.layers.conv2d_transpose(h, 8, 5, strides=2, padding="same", use_bias=False,
                                           kernel_initializer=init((5, 5, 8, 16), 11))
            h = tf.nn.relu(tf.layers.batch_normalization(h, training=training))
            return tf.tanh(tf.layers.conv2d_transpose(h, 1, 5, strides=2, padding="same",
                                                      kernel_initializer=init((5, 5, 1, 8), 12)))

    def discriminator(images, reuse=False):
        with tf.variable_scope("discriminator", reuse=reuse):
            h = tf.layers.conv2d(images, 8, 5, strides=2, padding="same", kernel_initializer=init((5, 5, 1, 8), 13))
            h = tf.nn.leaky_relu(h, alpha=0.2)
            h = tf.layers.conv2d(h, 16, 5, strides=2, padding="same", kernel_initializer=init((5, 5, 8, 16), 14))
            h = tf.nn.leaky_relu(h, alpha=0.2)
            return tf.layers.dense(tf.layers.flatten(h), 1, kernel_initializer=init((256, 1), 15))

    fake = generator(z)
    d_real = discriminator(real)
    d_fake = discriminator(fake, reuse=True)
    xent = tf.nn.sigmoid_cross_entropy_with_logits
    d_loss = tf.reduce_mean(xent(labels=tf.ones_like(d_real), logits=d_real)) + \
        tf.reduce_mean(xent(labels=tf.zeros_like(d_fake), logits=d_fake))
    g_loss = tf.reduce_mean(xent(labels=tf.ones_like(d_fake), logits=d_fake))
    g_vars = tf.trainable_variables("generator")
    d_vars = tf.trainable_variables("discriminator")
    with tf.control_dependencies(tf.get_collection(tf.GraphKeys.UPDATE_OPS, "generator")):
        g_train = tf.train.AdamOptimizer(2e-4, beta1=0.5).minimize(g_loss, var_list=g_vars)
    d_train = tf.train.AdamOptimizer(2e-4, beta1=0.5).minimize(d_loss, var_list=d_vars)
    losses = []
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(5):
            feed = {z: z_values, real: real_images, training: True}
            d_value, _ = sess.run([d_loss, d_train], feed)
            g_value, _ = sess.run([g_loss, g_train], feed)
            losses.append([d_value, g_value])
        sample = sess.run(fake, {z: z_values[:2], training: False})
        moving = sess.run(tf.global_variables("generator/batch_normalization_1/moving_mean"))
    return {"losses": losses, "sample_corner": sample[:, :3, :3, 0], "fake": fake.name,
            "fake_shape": fake.shape.as_list(), "moving_mean_2": moving[0],
            "g_vars": _names(g_vars), "d_vars": _names(d_vars),
            "update_ops": _names(tf.get_collection(tf.GraphKeys.UPDATE_OPS))}
