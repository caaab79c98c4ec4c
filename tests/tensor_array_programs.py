"""TensorArrays written inside tf.while_loop, as dynamic_rnn uses them: programs written once against
the TF1 API, run on real TensorFlow by tests/fixtures/make_tensor_array_loop.py (control flow v1) and
on tfteach by tests/test_tensor_array.py.
"""
import numpy as np

X = np.random.RandomState(0).normal(size=(5, 3)).astype(np.float32)
LENGTHS = (5, 2)  # sequence lengths fed at run time


def _ta_ops(tf, grad):
    """(name, type) of the TensorArray ops, the forward ones or the gradient's."""
    return [[op.name, op.type] for op in tf.get_default_graph().get_operations()
            if "TensorArray" in op.type and op.name.startswith("gradients") == grad]


def rnn_like(tf):
    """Read input t from one array, write output t to another; gradients for two sequence lengths."""
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    n = tf.shape(x)[0]
    inputs = tf.TensorArray(tf.float32, size=n).unstack(x)
    outputs = tf.TensorArray(tf.float32, size=n)

    def body(t, h, out):
        h = tf.tanh(inputs.read(t) + h * 0.5)
        return t + 1, h, out.write(t, h * 2.0)
    _, h, out = tf.while_loop(lambda t, h, out: t < n, body, [tf.constant(0), tf.zeros([3]), outputs])
    y = out.stack()
    forward = _ta_ops(tf, grad=False)
    g = tf.gradients(tf.reduce_sum(y * y) + tf.reduce_sum(h), x)[0]
    result = {"stack": [y.name, _shape(y)], "forward_ops": forward, "gradient_ops": _ta_ops(tf, grad=True)}
    with tf.Session() as sess:
        for length in LENGTHS:
            y_value, g_value = sess.run([y, g], {x: X[:length]})
            result[f"length_{length}"] = {"stack": y_value.tolist(), "grad": g_value.tolist()}
    return result


def growing(tf):
    """A dynamic_size array grown by one element per iteration; its size and stack, and a gradient."""
    x = tf.placeholder(tf.float32, [3], name="x")
    n = tf.placeholder(tf.int32, [], name="n")
    ta = tf.TensorArray(tf.float32, size=0, dynamic_size=True)

    def body(t, acc, ta):
        acc = acc * x + 1.0
        return t + 1, acc, ta.write(t, acc)
    _, _, ta = tf.while_loop(lambda t, acc, ta: t < n, body, [tf.constant(0), tf.ones([3]), ta])
    y, size = ta.stack(), ta.size()
    g = tf.gradients(tf.reduce_sum(tf.sin(y)), x)[0]
    result = {"stack": [y.name, _shape(y)], "size": size.name}
    with tf.Session() as sess:
        for steps in (4, 1):
            y_value, size_value, g_value = sess.run([y, size, g], {x: X[0], n: steps})
            result[f"steps_{steps}"] = {"stack": y_value.tolist(), "size": int(size_value), "grad": g_value.tolist()}
    return result


def _shape(t):
    return None if t.shape.ndims is None else [None if d is None else int(d) for d in t.shape.as_list()]


PROGRAMS = {"rnn_like": rnn_like, "growing": growing}
