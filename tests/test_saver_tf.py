"""Real TensorFlow restores a tfteach checkpoint and trains on (the oracle; skipped when absent).

TensorFlow runs in its own interpreter (TFTEACH_TF_PYTHON, default /opt/tfvenv/bin/python)
through tests/tf_oracle_saver.py: it reads our checkpoint with tf.train.load_checkpoint,
rebuilds our graph with tf.train.import_meta_graph, restores through our `save/` ops, trains
5 Adam steps, and saves its own checkpoint, which tfteach then restores ("and back").
"""
import json
import os
import subprocess

import numpy as np
import pytest

import tfteach as tf
from test_saver import build_net, values

TF_PYTHON = os.environ.get("TFTEACH_TF_PYTHON", "/opt/tfvenv/bin/python")
SCRIPT = os.path.join(os.path.dirname(__file__), "tf_oracle_saver.py")

pytestmark = [pytest.mark.needs_tf,
              pytest.mark.skipif(not os.path.exists(TF_PYTHON), reason=f"no TensorFlow python at {TF_PYTHON}")]


@pytest.fixture(autouse=True)
def fresh_graph():
    tf.reset_default_graph()
    yield
    tf.reset_default_graph()


def run_in_tensorflow(tmp_path, spec):
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(spec))
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
    done = subprocess.run([TF_PYTHON, SCRIPT, str(path)], capture_output=True, text=True, timeout=300, env=env)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_tensorflow_restores_our_checkpoint_and_trains_on(tmp_path):
    feed, loss, train = build_net()
    saver = tf.train.Saver()
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    for _ in range(5):
        sess.run(train, feed)
    prefix = saver.save(sess, str(tmp_path / "ours" / "model"), global_step=tf.train.get_global_step())
    saved = values(sess)
    ours = [float(sess.run([loss, train], feed)[0]) for _ in range(5)]
    after = values(sess)
    graph_ops = [[op.name, op.type] for op in tf.get_default_graph().get_operations()]

    got = run_in_tensorflow(tmp_path, {
        "meta": prefix + ".meta", "checkpoint": prefix, "loss": loss.name, "steps": 5,
        "feed": {t.name: v.tolist() for t, v in feed.items()}, "save_to": str(tmp_path / "theirs" / "model")})

    assert got["ops"] == graph_ops  # TF imported every node of our .meta, save/ ops included
    assert got["read"].keys() == saved.keys()
    for name, value in saved.items():  # TF's reader sees exactly our bytes
        np.testing.assert_array_equal(np.asarray(got["read"][name], value.dtype), value, err_msg=name)
    np.testing.assert_allclose(got["losses"], ours, rtol=1e-6)
    for name, value in after.items():
        np.testing.assert_allclose(got["after"][name], value, rtol=1e-5, atol=1e-6, err_msg=name)

    # and back: TF's checkpoint, saved through our save/ ops, restores in tfteach
    assert got["saved"] == str(tmp_path / "theirs" / "model-10")
    tf.reset_default_graph()
    build_net()
    sess = tf.Session()
    tf.train.Saver().restore(sess, tf.train.latest_checkpoint(str(tmp_path / "theirs")))
    for name, value in values(sess).items():
        np.testing.assert_array_equal(value, np.asarray(got["after"][name], value.dtype), err_msg=name)
