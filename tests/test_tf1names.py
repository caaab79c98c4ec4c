"""tfteach's own checks of issue #23's names, beyond the TF fixtures (tests/cases/tf1names_cases.py):
DivNoNan's gradient against float64 central differences, tf.logging's handler, mnist's file
lookup and error, digits28's structure, the course-lab program."""
import logging
import os

import numpy as np
import pytest

import tfteach as tf
from tfteach.testing import check_gradients, numeric_and_symbolic


def test_div_no_nan_gradient_matches_central_differences():
    x = np.array([[1.5, -2.0, 0.3], [0.7, 4.0, -1.0]])
    y = np.array([0.5, -3.0, 2.0])  # no zero: central differences cross no discontinuity
    check_gradients(lambda a, b: tf.div_no_nan(a, b), [x, y])
    check_gradients(lambda a, b: tf.div_no_nan(a * a, b) * b, [x, y])


def test_div_no_nan_gradient_is_zero_where_the_divisor_is():
    x = tf.constant([1.0, 2.0])
    y = tf.constant([0.0, 4.0])
    gx, gy = tf.gradients(tf.div_no_nan(x, y), [x, y])
    with tf.Session() as sess:
        np.testing.assert_allclose(sess.run([gx, gy]), [[0.0, 0.25], [0.0, -0.125]])


def test_huber_loss_gradient_matches_central_differences():
    y = np.array([0.0, 1.0, 2.0, 3.0])
    p = np.array([0.4, 3.0, 2.2, -1.0])  # no |error| at delta exactly (the kink)

    def huber(pred):
        return tf.losses.huber_loss(tf.constant(y), pred, delta=1.5, loss_collection=None)
    # huber_loss computes in float32 (as TF's): a step of 1e-3 keeps float32 rounding small, and
    # central differences are exact on each quadratic or linear piece
    (sym, num), = numeric_and_symbolic(lambda pred: tf.cast(huber(pred), tf.float64), [p], eps=1e-3)
    assert sym == pytest.approx(num, rel=1e-3)


def test_metric_update_is_stateful_and_value_is_not_cached():
    tf.reset_default_graph()
    x = tf.placeholder(tf.float32, [None])
    m, update = tf.metrics.mean(x)
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        for batch in ([1.0, 2.0], [3.0], [4.0, 5.0, 6.0]):
            sess.run(update, {x: batch})
        assert sess.run(m) == pytest.approx(3.5)
        sess.run(update, {x: [10.0]})
        assert sess.run(m) == pytest.approx(31.0 / 7)


def test_logging_uses_the_tensorflow_logger():
    logger = logging.getLogger("tensorflow")
    old = logger.level
    try:
        tf.logging.set_verbosity(tf.logging.WARN)
        assert logger.level == logging.WARNING and tf.logging.get_verbosity() == 30
        assert not hasattr(tf.logging, "WARNING")  # TF 1.15 has WARN only
    finally:
        logger.setLevel(old)


def test_mnist_reads_the_keras_cache_file(tmp_path, monkeypatch):
    rng = np.random.RandomState(0)
    data = {"x_train": rng.randint(0, 256, (6, 28, 28)).astype(np.uint8),
            "y_train": np.arange(6, dtype=np.uint8),
            "x_test": rng.randint(0, 256, (2, 28, 28)).astype(np.uint8),
            "y_test": np.array([3, 4], np.uint8)}
    cache = tmp_path / "datasets"
    cache.mkdir()
    np.savez(cache / "mnist.npz", **data)
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    (x_train, y_train), (x_test, y_test) = tf.keras.datasets.mnist.load_data()
    np.testing.assert_array_equal(x_train, data["x_train"])
    assert x_train.dtype == np.uint8 and y_test.tolist() == [3, 4]
    other = tmp_path / "elsewhere.npz"
    np.savez(other, **data)
    (x2, _), _ = tf.keras.datasets.mnist.load_data(path=str(other))
    np.testing.assert_array_equal(x2, data["x_train"])


def test_mnist_missing_file_says_how_to_get_it(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    monkeypatch.setenv("HOME", str(tmp_path))
    if os.path.exists("/tmp/.keras/datasets/mnist.npz"):
        pytest.skip("a real mnist.npz is in /tmp/.keras/datasets")
    with pytest.raises(FileNotFoundError) as info:
        tf.keras.datasets.mnist.load_data()
    message = str(info.value)
    assert "tf-keras-datasets/mnist.npz" in message and "digits28.load_data()" in message
    assert str(tmp_path / "datasets" / "mnist.npz") in message


def test_digits28_has_mnists_structure():
    pytest.importorskip("sklearn")
    (x_train, y_train), (x_test, y_test) = tf.keras.datasets.digits28.load_data()
    assert x_train.shape == (7185, 28, 28) and x_test.shape == (1800, 28, 28)
    assert y_train.shape == (7185,) and y_test.shape == (1800,)
    assert {a.dtype for a in (x_train, y_train, x_test, y_test)} == {np.dtype(np.uint8)}
    assert x_train.max() == 255 and x_train.min() == 0 and set(np.unique(y_train)) == set(range(10))
    assert x_train[:, :2].max() == 0  # the 2-pixel shift keeps a 2-pixel border, as MNIST's
    (again, _), _ = tf.keras.datasets.digits28.load_data()
    np.testing.assert_array_equal(again, x_train)
