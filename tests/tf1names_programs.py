"""Two course-lab TF1 programs for issue #23's names, written once with `tf` as an argument: run
unchanged on tfteach (tests/test_tf1names_programs.py) and on real TensorFlow
(tests/fixtures/make_tf1names_programs.py, which wrote tests/fixtures/tf1names_programs.json).

Initial weights come from numpy (tf.constant_initializer), so both engines start from the same
numbers and the results agree up to float32 rounding.
"""
import logging

import numpy as np


class LogRecords(logging.Handler):
    """Collects what the program logs through tf.logging (the "tensorflow" logger)."""

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.messages = []

    def emit(self, record):
        self.messages.append(f"{record.levelname}: {record.getMessage()}")

    def __enter__(self):
        self._logger = logging.getLogger("tensorflow")
        self._old_level = self._logger.level
        self._logger.addHandler(self)
        return self

    def __exit__(self, *exc):
        self._logger.removeHandler(self)
        self._logger.setLevel(self._old_level)


def digits_data(x_train, y_train, x_test, y_test, n_train=2000, n_test=500):
    """The first images of digits28 (or MNIST) as float32 in [0, 1], labels int64."""
    return (x_train[:n_train].astype(np.float32) / 255.0, y_train[:n_train].astype(np.int64),
            x_test[:n_test].astype(np.float32) / 255.0, y_test[:n_test].astype(np.int64))


def digits_mlp_lab(tf, x_train, y_train, x_test, y_test, epochs=5, batch=100):
    """Lab: an MLP on 28x28 digits with tf.contrib.layers, tf.logging and tf.metrics.

    flatten -> fully_connected(64, relu) -> fully_connected(10), softmax cross entropy, plain
    gradient descent. Logs the loss with tf.logging; reports streaming accuracy (tf.arg_max),
    precision/recall/AUC of "is it a 0?", the mean loss, before and after training.
    """
    rng = np.random.RandomState(0)
    w1 = (rng.standard_normal((784, 64)) * np.sqrt(2.0 / 784)).astype(np.float32)
    w2 = (rng.standard_normal((64, 10)) * np.sqrt(1.0 / 64)).astype(np.float32)
    tf.logging.set_verbosity(tf.logging.INFO)

    x = tf.placeholder(tf.float32, [None, 28, 28], name="images")
    y = tf.placeholder(tf.int64, [None], name="labels")
    layers = _layers(tf)
    flat = layers.flatten(x)
    hidden = layers.fully_connected(flat, 64, weights_initializer=tf.constant_initializer(w1))
    logits = layers.fully_connected(hidden, 10, activation_fn=None, weights_initializer=tf.constant_initializer(w2))
    loss = tf.losses.sparse_softmax_cross_entropy(labels=y, logits=logits)
    train = tf.train.GradientDescentOptimizer(0.2).minimize(loss)

    predicted = tf.arg_max(logits, 1)
    prob_zero = tf.nn.softmax(logits)[:, 0]
    with tf.name_scope("eval"):
        acc, acc_update = tf.metrics.accuracy(labels=y, predictions=predicted)
        prec, prec_update = tf.metrics.precision(tf.equal(y, 0), tf.equal(predicted, 0))
        rec, rec_update = tf.metrics.recall(tf.equal(y, 0), tf.equal(predicted, 0))
        auc, auc_update = tf.metrics.auc(tf.equal(y, 0), prob_zero)
        mean_loss, mean_loss_update = tf.metrics.mean(loss)
    updates = tf.group(acc_update, prec_update, rec_update, auc_update, mean_loss_update)
    report = tf.report_uninitialized_variables()

    def evaluate(sess):
        sess.run(tf.local_variables_initializer())
        for start in range(0, len(x_test), batch):
            sess.run(updates, {x: x_test[start:start + batch], y: y_test[start:start + batch]})
        return [float(v) for v in sess.run([acc, prec, rec, auc, mean_loss])]

    result = {"uninitialized": [], "eval": [], "losses": []}
    with LogRecords() as records, tf.Session() as sess:
        result["uninitialized"].append(sorted(n.decode() for n in sess.run(report)))
        sess.run(tf.global_variables_initializer())
        result["uninitialized"].append(sorted(n.decode() for n in sess.run(report)))
        result["eval"].append(evaluate(sess))
        step = 0
        for epoch in range(epochs):
            for start in range(0, len(x_train), batch):
                _, value = sess.run([train, loss], {x: x_train[start:start + batch], y: y_train[start:start + batch]})
                step += 1
                tf.logging.log_every_n(tf.logging.INFO, "step %d: loss %.3f", 10, step, value)
            result["losses"].append(float(value))
            tf.logging.info("epoch %d: loss %.3f", epoch + 1, value)
        result["eval"].append(evaluate(sess))
        tf.logging.info("test accuracy %.3f", result["eval"][-1][0])
    result["log"] = records.messages
    result["names"] = [t.name for t in (flat, hidden, logits, acc, acc_update, auc, predicted)]
    result["metric_variables"] = [v.name for v in tf.local_variables()]
    result["model_variables"] = [v.name for v in tf.get_collection(tf.GraphKeys.MODEL_VARIABLES)]
    return result


def _layers(tf):
    """tf.contrib.layers; on TF 2.x, tf_slim.layers (what contrib.layers became)."""
    try:
        return tf.contrib.layers
    except AttributeError:
        import tf_slim
        return tf_slim.layers


def huber_regression_lab(tf, steps=200):
    """Lab: a line fitted to data with outliers, with the squared loss and with tf.losses.huber_loss.

    The Huber fit stays close to the true line (y = 2x + 1); the squared-loss fit is pulled by the
    outliers. Reports both fits and streaming RMSE / MAE on clean test points (tf.metrics).
    """
    rng = np.random.RandomState(1)
    xs = np.linspace(-1, 1, 40).astype(np.float32)
    ys = (2 * xs + 1 + 0.05 * rng.standard_normal(40)).astype(np.float32)
    ys[::8] += 6.0  # five outliers
    x_test = np.linspace(-1, 1, 11).astype(np.float32)
    y_test = 2 * x_test + 1

    x = tf.placeholder(tf.float32, [None], name="x")
    y = tf.placeholder(tf.float32, [None], name="y")
    fits = {}
    for kind in ("squared", "huber"):
        with tf.variable_scope(kind):
            w = tf.get_variable("w", [], initializer=tf.zeros_initializer())
            b = tf.get_variable("b", [], initializer=tf.zeros_initializer())
            pred = w * x + b
            if kind == "huber":
                loss = tf.losses.huber_loss(y, pred, delta=0.5)
            else:
                loss = tf.losses.mean_squared_error(y, pred)
            train = tf.train.GradientDescentOptimizer(0.3).minimize(loss)
            rmse, rmse_update = tf.metrics.root_mean_squared_error(y, pred)
            mae, mae_update = tf.metrics.mean_absolute_error(y, pred)
        fits[kind] = (w, b, loss, train, rmse, rmse_update, mae, mae_update)

    result = {"names": {k: [f[2].name, f[4].name, f[5].name] for k, f in fits.items()}}
    with tf.Session() as sess:
        sess.run([tf.global_variables_initializer(), tf.local_variables_initializer()])
        for kind, (w, b, loss, train, rmse, rmse_update, mae, mae_update) in fits.items():
            for _ in range(steps):
                _, final_loss = sess.run([train, loss], {x: xs, y: ys})
            for start in range(0, 11, 4):  # three test batches, streamed
                sess.run([rmse_update, mae_update], {x: x_test[start:start + 4], y: y_test[start:start + 4]})
            result[kind] = [float(v) for v in sess.run([w, b, rmse, mae])] + [float(final_loss)]
    return result
