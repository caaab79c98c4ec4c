"""Recurrent TF1 programs written once with `tf` as an argument (issue #25), shared by the
fixture script (tests/fixtures/make_rnn_fixtures.py, run on real TensorFlow), the oracle script
(tests/tf_oracle_rnn.py) and the tests that run them on tfteach."""
import glob
import gzip
import os

import numpy as np


def load_digits(csv_path=None):
    """scikit-learn's 8x8 digits (1797 images) read from the CSV scikit-learn ships, so that a
    Python without scikit-learn (the TensorFlow oracle's) reads the same numbers. Returns a fixed
    80/20 split: x_train (1437, 8, 8) in [0, 1], y_train, x_test (360, 8, 8), y_test."""
    if csv_path is None:
        csv_path = os.environ.get("TFTEACH_DIGITS_CSV")
    if csv_path is None:
        try:
            import sklearn
            csv_path = os.path.join(os.path.dirname(sklearn.__file__), "datasets", "data", "digits.csv.gz")
        except ImportError:
            here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
            found = glob.glob(os.path.join(here, ".venv", "lib", "python*", "site-packages", "sklearn",
                                           "datasets", "data", "digits.csv.gz"))
            if not found:
                raise
            csv_path = found[0]
    with gzip.open(csv_path, "rt") as f:
        data = np.loadtxt(f, delimiter=",")
    x = (data[:, :-1] / 16.0).reshape(-1, 8, 8).astype(np.float32)
    y = data[:, -1].astype(np.int64)
    order = np.random.RandomState(0).permutation(len(x))
    split = int(0.8 * len(x))
    train, test = order[:split], order[split:]
    return x[train], y[train], x[test], y[test]


def digits_lstm(tf, data, steps=300, batch_size=64, seed=0, num_units=32, learning_rate=0.01):
    """The course lab's MNIST LSTM on the 8x8 digits: each image's 8 rows are 8 time steps of
    8 pixels; a BasicLSTMCell reads them with static_rnn, a dense layer on the last output gives
    10 logits; softmax cross-entropy, Adam. Returns the final training loss (whole training set)
    and the test accuracy, with the seed and the number of steps."""
    x_train, y_train, x_test, y_test = data
    tf.reset_default_graph()
    tf.set_random_seed(seed)
    x = tf.placeholder(tf.float32, [None, 8, 8], name="x")
    y = tf.placeholder(tf.int64, [None], name="y")
    inputs = tf.unstack(x, 8, 1)
    cell = tf.nn.rnn_cell.BasicLSTMCell(num_units, forget_bias=1.0)
    outputs, state = tf.nn.static_rnn(cell, inputs, dtype=tf.float32)
    w = tf.Variable(tf.random_normal([num_units, 10], stddev=0.1, seed=seed), name="out_w")
    b = tf.Variable(tf.zeros([10]), name="out_b")
    logits = tf.matmul(outputs[-1], w) + b
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
    train_op = tf.train.AdamOptimizer(learning_rate).minimize(loss)
    correct = tf.equal(tf.argmax(logits, 1), y)
    accuracy = tf.reduce_mean(tf.cast(correct, tf.float32))
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
            "batch_size": batch_size, "variables": sorted(v.name for v in tf.trainable_variables())}


CKPT_INPUT = (np.cos(np.arange(3 * 2 * 4) * 0.45)).reshape(3, 2, 4).astype(np.float32)  # [time, batch, depth]


def rnn_checkpoint_net(tf):
    """Every cell kind in one graph: a MultiRNNCell (BasicLSTMCell over GRUCell) and, in its own
    scope, an LSTMCell with peepholes and a projection, a BasicRNNCell beside it. Returns the
    tensors whose values a restored checkpoint must reproduce."""
    xs = [tf.constant(CKPT_INPUT[t]) for t in range(CKPT_INPUT.shape[0])]
    multi = tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.BasicLSTMCell(4), tf.nn.rnn_cell.GRUCell(3)])
    out_multi, _ = tf.nn.static_rnn(multi, xs, dtype=tf.float32)
    lstm = tf.nn.rnn_cell.LSTMCell(3, use_peepholes=True, num_proj=2)
    out_lstm, state_lstm = tf.nn.static_rnn(lstm, xs, dtype=tf.float32, scope="proj")
    out_basic, _ = tf.nn.static_rnn(tf.nn.rnn_cell.BasicRNNCell(2), xs, dtype=tf.float32, scope="plain")
    return out_multi + out_lstm + [state_lstm.c] + out_basic
