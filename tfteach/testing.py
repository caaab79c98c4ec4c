"""A gradient checker: compare tf.gradients with float64 central differences.

Usable from tests and from lessons: `check_gradients(lambda x: x * x, [np.array(3.0)])`.
Mirrors the idea of tf.test.compute_gradient_error and autograd's check_grads.
"""
import numpy as np

from .gradients import gradients
from .graph import Graph
from .ops.constant import placeholder
from .session import Session
from . import dtypes as _dtypes


def numeric_and_symbolic(fn, args, seed=0, eps=1e-6):
    """Directional derivatives of sum(fn(*args) * w) along random directions, two ways.

    Returns a list of (symbolic, numeric) pairs, one per argument: the symbolic one from
    tf.gradients dotted with the direction, the numeric one from central differences.
    All in float64, so the two agree to about 1e-7 for smooth functions.
    """
    rng = np.random.RandomState(seed)
    args = [np.asarray(a, dtype=np.float64) for a in args]
    graph = Graph()
    with graph.as_default():
        xs = [placeholder(_dtypes.float64, shape=a.shape) for a in args]
        y = fn(*xs)
        w_value = rng.standard_normal(np.shape(_run(graph, y, xs, args)))
        w = placeholder(_dtypes.float64, shape=w_value.shape)
        grads = gradients(y, xs, grad_ys=w)
        with Session(graph=graph) as sess:
            feed = dict(zip(xs, args))
            feed[w] = w_value
            sym = [None if g is None else sess.run(g, feed) for g in grads]
            pairs = []
            for i, a in enumerate(args):
                v = rng.standard_normal(a.shape)
                plus = [b if j != i else a + eps * v for j, b in enumerate(args)]
                minus = [b if j != i else a - eps * v for j, b in enumerate(args)]
                f_plus = np.sum(sess.run(y, dict(zip(xs, plus))) * w_value)
                f_minus = np.sum(sess.run(y, dict(zip(xs, minus))) * w_value)
                numeric = (f_plus - f_minus) / (2 * eps)
                symbolic = 0.0 if sym[i] is None else float(np.sum(np.asarray(sym[i]) * v))
                pairs.append((symbolic, numeric))
    return pairs


def check_gradients(fn, args, rtol=1e-5, atol=1e-6, seed=0):
    """Raise AssertionError if tf.gradients of fn disagrees with central differences."""
    for i, (sym, num) in enumerate(numeric_and_symbolic(fn, args, seed=seed)):
        if not np.isclose(sym, num, rtol=rtol, atol=atol):
            raise AssertionError(f"gradient of argument {i}: tf.gradients gives {sym!r}, "
                                 f"central differences give {num!r}")


def _run(graph, y, xs, args):
    with Session(graph=graph) as sess:
        return sess.run(y, dict(zip(xs, args)))
