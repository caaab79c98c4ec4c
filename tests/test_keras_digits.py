"""A small CNN on scikit-learn's 8x8 digits reaches at least 97% test accuracy (a few seconds).

Fixed 80/20 split, pixels scaled to [0, 1], seeded. BLAS is held to one thread while training:
these matrix products are small, and on a busy 2-core machine two BLAS threads waiting for each
other made the same training 2 to 10 times slower (see benchmarks/bench_cnn_step.py).
"""
import contextlib

import numpy as np
import pytest

import tfteach as tf
from tfteach.keras.layers import Conv2D, Dense, Flatten, MaxPooling2D
from tfteach.keras.models import Sequential
from tfteach.keras.optimizers import Adam

datasets = pytest.importorskip("sklearn.datasets")


def digits_split():
    digits = datasets.load_digits()
    x = (digits.images / 16.0).reshape(-1, 8, 8, 1).astype(np.float32)
    order = np.random.RandomState(0).permutation(len(x))
    split = int(0.8 * len(x))
    train, test = order[:split], order[split:]
    return x[train], digits.target[train], x[test], digits.target[test]


def one_blas_thread():
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        return contextlib.nullcontext()
    return threadpool_limits(1, user_api="blas")


def test_digits_cnn_reaches_97_percent():
    tf.reset_default_graph()
    tf.set_random_seed(0)
    np.random.seed(0)
    x_train, y_train, x_test, y_test = digits_split()
    assert x_train.shape == (1437, 8, 8, 1) and x_test.shape == (360, 8, 8, 1)
    model = Sequential([Conv2D(16, 3, padding="same", activation="relu", input_shape=(8, 8, 1)),
                        MaxPooling2D(),
                        Conv2D(32, 3, padding="same", activation="relu"),
                        MaxPooling2D(),
                        Flatten(),
                        Dense(64, activation="relu"),
                        Dense(10, activation="softmax")])
    model.compile(optimizer=Adam(lr=2e-3), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    with one_blas_thread():
        history = model.fit(x_train, y_train, epochs=15, batch_size=32, verbose=0)
        loss, accuracy = model.evaluate(x_test, y_test)
    assert history.history["loss"][-1] < 0.1
    assert accuracy >= 0.97, f"test accuracy {accuracy:.4f}"
    assert np.mean(model.predict_classes(x_test) == y_test) == pytest.approx(accuracy)
