"""tf.atan, the op added in one block to show the house (issue #24; docs/engine.md): its
gradient and second derivative against float64 central differences. Values and node names
against real TensorFlow are in tests/cases/engine_cases.py."""
import numpy as np
import pytest

import tfteach as tf
from tfteach.testing import check_gradients


@pytest.fixture(autouse=True)
def fresh_graph():
    tf.reset_default_graph()


def test_atan_gradient():
    x = np.random.RandomState(1).normal(size=(2, 3)) * 2
    check_gradients(tf.atan, [x])


def test_atan_second_derivative():
    def first_derivative(x):
        return tf.gradients(tf.atan(x), x)[0]
    check_gradients(first_derivative, [np.random.RandomState(2).normal(size=(2, 3))])


def test_atan_forward_matches_numpy_and_keeps_float32():
    x = np.linspace(-5, 5, 11, dtype=np.float32)
    y = tf.atan(x)
    with tf.Session() as sess:
        out = sess.run(y)
    assert y.dtype == tf.float32 and out.dtype == np.float32 and y.shape.as_list() == [11]
    np.testing.assert_allclose(out, np.arctan(x.astype(np.float64)), rtol=1e-6)


def test_atan_is_one_block():
    """The op's facts, shape rule and gradient are all registered with the kernel."""
    from tfteach import registry
    d = registry.lookup("Atan")
    assert d.facts == registry.PURE and d.shape_fn is not None and d.grad_fn is not None
