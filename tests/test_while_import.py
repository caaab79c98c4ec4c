"""While loops written by real TensorFlow (control flow v1) import and run here: a GraphDef with
a loop and its gradient, and a Saver's meta graph and checkpoint of a dynamic_rnn LSTM with an
Adam step (tests/fixtures/make_tf_loops.py). And tfteach's own loops survive the round trip."""
import json
import os

import numpy as np
import pytest

import tfteach as tf

HERE = os.path.join(os.path.dirname(__file__), "fixtures", "tf_written")
with open(os.path.join(HERE, "while_loops.json")) as _f:
    EXPECTED = json.load(_f)
X0 = [[0.1, 0.2], [-1.0, 0.5]]


@pytest.fixture(autouse=True)
def fresh_graph():
    tf.reset_default_graph()


def test_a_tf_written_loop_and_its_gradient_run_with_tfs_values():
    with open(os.path.join(HERE, "while_grad.pb"), "rb") as f:
        tf.import_graph_def(f.read(), name="")
    graph = tf.get_default_graph()
    loop_merge = graph.get_operation_by_name("while/Merge_1")
    assert loop_merge.inputs[1].op.name == "while/NextIteration_1"  # the back edge is closed
    with tf.Session() as sess:
        for n, want in EXPECTED["while_grad"].items():
            got = sess.run(["loss:0", "gw:0", "gx:0"], {"x0:0": X0, "n:0": int(n)})
            for g, w in zip(got, want):
                np.testing.assert_allclose(g, w, rtol=2e-5, atol=1e-6)


def test_a_tf_written_dynamic_rnn_restores_and_trains_like_tf():
    e = EXPECTED["while_lstm"]
    saver = tf.train.import_meta_graph(os.path.join(HERE, "while_lstm", "model.meta"))
    feed = {"x:0": np.array(e["x"], np.float32), "y:0": np.array(e["y"], np.float32), "seq:0": e["seq"]}
    with tf.Session() as sess:
        saver.restore(sess, os.path.join(HERE, "while_lstm", "model"))
        np.testing.assert_allclose(sess.run("loss:0", feed), e["loss_before"], rtol=1e-5)
        sess.run("train", feed)
        np.testing.assert_allclose(sess.run("loss:0", feed), e["loss_after"], rtol=1e-4)


def test_tfteachs_loop_with_gradient_round_trips_through_a_graph_def():
    w = tf.constant([[0.5, -0.25], [0.75, 0.1]], name="w")
    x0 = tf.placeholder(tf.float32, [None, 2], name="x0")
    n = tf.placeholder(tf.int32, [], name="n")
    _, x = tf.while_loop(lambda i, x: i < n, lambda i, x: (i + 1, tf.tanh(tf.matmul(x, w)) + x * 0.5),
                         [tf.constant(0), x0])
    loss = tf.reduce_sum(x * x, name="loss")
    gw, gx = tf.gradients(loss, [w, x0])
    graph_def = tf.get_default_graph().as_graph_def()
    with tf.Session() as sess:
        want = sess.run([loss, gw, gx], {x0: X0, n: 4})
    with tf.Graph().as_default():
        got_loss, got_gw, got_gx = tf.import_graph_def(graph_def, return_elements=["loss:0", gw.name, gx.name])
        with tf.Session() as sess:
            got = sess.run([got_loss, got_gw, got_gx], {"import/x0:0": X0, "import/n:0": 4})
    for g, w_ in zip(got, want):
        np.testing.assert_allclose(g, w_, rtol=1e-6)
    np.testing.assert_allclose(want[0], EXPECTED["while_grad"]["4"][0], rtol=2e-5)


def test_an_imported_loop_can_be_differentiated_again():
    """The frames found on import are full WhileContexts: tf.gradients builds a backward loop."""
    with open(os.path.join(HERE, "while_grad.pb"), "rb") as f:
        tf.import_graph_def(f.read(), name="")
    graph = tf.get_default_graph()
    loss = graph.get_tensor_by_name("loss:0")
    (gx,) = tf.gradients(loss, [graph.get_tensor_by_name("x0:0")], name="again")
    with tf.Session() as sess:
        got = sess.run(gx, {"x0:0": X0, "n:0": 4})
    np.testing.assert_allclose(got, EXPECTED["while_grad"]["4"][2], rtol=2e-5, atol=1e-6)
