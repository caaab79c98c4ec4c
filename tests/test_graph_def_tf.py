"""Our GraphDefs imported and run by real TensorFlow (the oracle; skipped when it is absent).

TensorFlow runs in its own interpreter (TFTEACH_TF_PYTHON, default /opt/tfvenv/bin/python)
through tests/tf_oracle_import.py, so it is never imported by tfteach's test process.
"""
import json
import os
import subprocess

import numpy as np
import pytest

import tfteach as tf
import tf_programs

TF_PYTHON = os.environ.get("TFTEACH_TF_PYTHON", "/opt/tfvenv/bin/python")
SCRIPT = os.path.join(os.path.dirname(__file__), "tf_oracle_import.py")

pytestmark = [pytest.mark.needs_tf,
              pytest.mark.skipif(not os.path.exists(TF_PYTHON), reason=f"no TensorFlow python at {TF_PYTHON}")]


@pytest.fixture(autouse=True)
def fresh_graph():
    tf.reset_default_graph()
    yield
    tf.reset_default_graph()


def run_in_tensorflow(tmp_path, graph_def, steps, init=(), as_text=False):
    name = "graph.pbtxt" if as_text else "graph.pb"
    path = tf.train.write_graph(graph_def, str(tmp_path), name, as_text=as_text)
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps({"graph_def": path, "init": list(init), "steps": steps}))
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
    done = subprocess.run([TF_PYTHON, SCRIPT, str(spec)], capture_output=True, text=True, timeout=300, env=env)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("as_text", [False, True])
def test_tensorflow_imports_and_trains_our_seed_neuron(tmp_path, as_text):
    y, train_step, summaries = tf_programs.seed_neuron(tf)
    init = tf.global_variables_initializer()
    graph = tf.get_default_graph()
    steps = [[[summaries.name], {}], [[train_step.name], {}]] * 100 + [[[y.name], {}]]
    got = run_in_tensorflow(tmp_path, graph.as_graph_def(add_shapes=True), steps, init=[init.name],
                            as_text=as_text)
    assert got["nodes"] == [[op.name, op.type] for op in graph.get_operations()]
    sess = tf.Session()
    sess.run(init)
    for i in range(100):
        ours = sess.run(summaries)
        assert got["results"][2 * i][0] == ours.hex(), f"step {i}"  # the same summary bytes
        sess.run(train_step)
    assert np.float32(got["results"][-1][0]) == sess.run(y)


def test_tensorflow_runs_our_forward_graph(tmp_path):
    x = tf.placeholder(tf.float32, shape=[None, 3], name='x')
    w = tf.constant(np.arange(6, dtype=np.float32).reshape(3, 2) / 10, name='w')
    h = tf.matmul(x, w) + tf.constant([0.5, -0.5])
    fetches = [h, tf.sigmoid(h), tf.reduce_mean(tf.square(h), axis=0), tf.argmax(h, 1),
               tf.concat([h, tf.transpose(h)[:, :2]], axis=1), tf.reshape(h, [-1]), tf.cast(h > 0, tf.int32),
               tf.reduce_sum(h, keepdims=True), tf.stack([h, h], axis=1), tf.maximum(h, 0.0) / 2.0]
    feed = np.array([[1.0, 2.0, 3.0], [-1.0, 0.5, 0.0]], np.float32)
    got = run_in_tensorflow(tmp_path, tf.get_default_graph().as_graph_def(),
                            [[[t.name for t in fetches], {"x:0": feed.tolist()}]])
    ours = tf.Session().run(fetches, {x: feed})
    for t, theirs, mine in zip(fetches, got["results"][0], ours):
        np.testing.assert_allclose(theirs, mine, rtol=1e-6, err_msg=t.name)


def test_tensorflow_imports_and_runs_many_op_types(tmp_path):
    from test_graph_def import many_ops_graph
    fetches, feed, init = many_ops_graph()
    names = [t.name for t in fetches]
    got = run_in_tensorflow(tmp_path, tf.get_default_graph().as_graph_def(), [[names, feed]], init=[init.name])
    with tf.Session() as sess:
        sess.run(init)
        ours = sess.run(names, feed)
    for name, theirs, mine in zip(names, got["results"][0], ours):
        if isinstance(mine, bytes):  # summaries: the step's values, not the wall-clock-free bytes
            assert tf.Summary.FromString(bytes.fromhex(theirs)).value[0].simple_value == \
                pytest.approx(tf.Summary.FromString(mine).value[0].simple_value, rel=1e-6)
        elif mine is not None:
            np.testing.assert_allclose(np.asarray(theirs, dtype=float), np.asarray(mine, dtype=float),
                                       rtol=1e-5, atol=1e-6, err_msg=name)
