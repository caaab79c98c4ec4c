"""Cases for the ops added to show the one-block house (issue #24): tf.atan.

Node names and values from real TensorFlow; the gradient's node names are compared by name
(TF 2.21 builds `add` as AddV2, tfteach as TF1's Add).
"""
import numpy as np

from cases.harness import catch


def _grad_names(tf):  # the rule's own ops (the seed's names changed in TF 2.x)
    return [op.name for op in tf.get_default_graph().get_operations() if op.name.startswith("gradients/Atan_grad/")]


def case_atan_values_and_gradient(tf):
    x = tf.constant(np.array([-3.0, -1.0, -0.25, 0.0, 0.5, 1.0, 10.0], np.float32))
    y = tf.atan(x)
    named = tf.atan(x, name="angle")
    g, = tf.gradients(y, x)
    with tf.Session() as sess:
        yv, gv = sess.run([y, g])
    return {"y": yv, "grad": gv, "names": [y.op.name, named.op.name, y.op.type, g.op.name],
            "dtype": y.dtype.name, "shape": y.shape.as_list(), "grad_ops": _grad_names(tf)}


def case_atan_float64_and_second_order(tf):
    x = tf.placeholder(tf.float64, [None], name="x")
    y = tf.atan(x)
    g, = tf.gradients(y, x)
    gg, = tf.gradients(g, x)
    with tf.Session() as sess:
        out = sess.run([y, g, gg], {x: [0.3, -2.0]})
    return {"values": out, "static": [y.shape.as_list(), g.shape.as_list()]}


def case_atan_rejects_ints(tf):
    return catch(tf.atan, tf.constant([1, 2]))
