"""The course lab's MNIST LSTM with tf.nn.dynamic_rnn (issue #25), written once with `tf` as an
argument: the fixture script (tests/fixtures/make_rnn_dynamic_program.py) runs it on real
TensorFlow, tests/test_rnn_dynamic.py on tfteach. The same network with static_rnn is the
`rnn="static"` variant, so the two ways of running a cell are checked on the same data.

The data are tfteach's digits28 (scikit-learn's 8x8 digits enlarged to MNIST's 28x28), loaded
from its file so that TensorFlow's Python reads the same images without importing tfteach.
"""
import importlib.util
import os

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def load_digits28(n_train=3000, n_test=900):
    """The first images of digits28: float32 [0, 1] (n, 28, 28), int64 labels, train and test."""
    path = os.path.join(ROOT, "tfteach", "keras", "datasets", "digits28.py")
    spec = importlib.util.spec_from_file_location("digits28", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    (x_train, y_train), (x_test, y_test) = module.load_data()
    return (x_train[:n_train].astype(np.float32) / 255.0, y_train[:n_train].astype(np.int64),
            x_test[:n_test].astype(np.float32) / 255.0, y_test[:n_test].astype(np.int64))


def digits28_lstm(tf, data, rnn="dynamic", steps=150, batch_size=128, seed=0, num_units=32, learning_rate=0.005):
    """Each 28x28 image is 28 time steps of 28 pixels; a BasicLSTMCell reads them (dynamic_rnn,
    or static_rnn over tf.unstack(x, 28, 1)); a dense layer on the last output gives 10 logits;
    softmax cross-entropy, Adam. Returns the final training loss (the whole training set), the
    test accuracy, the seed and the number of steps."""
    x_train, y_train, x_test, y_test = data
    tf.reset_default_graph()
    tf.set_random_seed(seed)
    x = tf.placeholder(tf.float32, [None, 28, 28], name="x")
    y = tf.placeholder(tf.int64, [None], name="y")
    cell = tf.nn.rnn_cell.BasicLSTMCell(num_units, forget_bias=1.0)
    if rnn == "dynamic":
        outputs, state = tf.nn.dynamic_rnn(cell, x, dtype=tf.float32)
        last = state.h
    else:
        outputs, state = tf.nn.static_rnn(cell, tf.unstack(x, 28, 1), dtype=tf.float32)
        last = outputs[-1]
    w = tf.Variable(tf.random_normal([num_units, 10], stddev=0.1, seed=seed), name="out_w")
    b = tf.Variable(tf.zeros([10]), name="out_b")
    logits = tf.matmul(last, w) + b
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
    train_op = tf.train.AdamOptimizer(learning_rate).minimize(loss)
    accuracy = tf.reduce_mean(tf.cast(tf.equal(tf.argmax(logits, 1), y), tf.float32))
    rng = np.random.RandomState(seed)
    # both frameworks start from the same weights (glorot-uniform draws of numpy's RandomState),
    # so their runs differ only by float rounding, not by their random number generators
    start = []
    for v in sorted(tf.trainable_variables(), key=lambda v: v.name):
        shape = v.get_shape().as_list()
        limit = np.sqrt(6.0 / (shape[0] + shape[-1])) if len(shape) == 2 else 0.0
        start.append(v.assign(rng.uniform(-limit, limit, shape).astype(np.float32)))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(start)
        for _ in range(steps):
            idx = rng.randint(0, len(x_train), batch_size)
            sess.run(train_op, {x: x_train[idx], y: y_train[idx]})
        final_loss = sess.run(loss, {x: x_train, y: y_train})
        test_accuracy = sess.run(accuracy, {x: x_test, y: y_test})
    return {"loss": float(final_loss), "accuracy": float(test_accuracy), "steps": steps, "seed": seed,
            "batch_size": batch_size, "rnn": rnn, "variables": sorted(v.name for v in tf.trainable_variables())}
