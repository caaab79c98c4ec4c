"""Restore a tfteach checkpoint of recurrent cells in real TensorFlow, and save one of its own.

Run by tests/test_rnn.py with a Python that has TensorFlow (never imported by CI):

    TF_USE_LEGACY_KERAS=1 /opt/tfvenv/bin/python tests/tf_oracle_rnn.py spec.json

spec.json: {"checkpoint": tfteach's prefix, "save_to": a prefix for TF's checkpoint}
-> stdout: {"restored": the outputs of rnn_programs.rnn_checkpoint_net after restoring
tfteach's checkpoint, "variables": [name, shape] in TF's graph, "saved": TF's prefix,
"theirs": the outputs with TF's own (seeded, random) weights, which it saved}.
Both sides build the graph with the same code: the checkpoint's keys are the variable names.
"""
import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")
import tensorflow.compat.v1 as tf  # noqa: E402

tf.disable_v2_behavior()

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rnn_programs  # noqa: E402


def main(spec_path):
    with open(spec_path) as f:
        spec = json.load(f)
    tf.set_random_seed(1)
    outputs = rnn_programs.rnn_checkpoint_net(tf)
    saver = tf.train.Saver()
    with tf.Session() as sess:
        saver.restore(sess, spec["checkpoint"])
        restored = sess.run(outputs)
        sess.run(tf.global_variables_initializer())  # TF's own random weights
        theirs = sess.run(outputs)
        saved = saver.save(sess, spec["save_to"])
    print(json.dumps({"restored": [r.tolist() for r in restored], "theirs": [t.tolist() for t in theirs],
                      "saved": saved,
                      "variables": [[v.name, v.get_shape().as_list()] for v in tf.global_variables()]}))


if __name__ == "__main__":
    main(sys.argv[1])
