"""Restore a tfteach checkpoint in real TensorFlow, train on, save; print the results as JSON.

Run by tests/test_saver_tf.py with a Python that has TensorFlow (never imported by CI):

    /opt/tfvenv/bin/python tests/tf_oracle_saver.py spec.json

spec.json: {"meta": the .meta path, "checkpoint": its prefix, "feed": {name: value},
"loss": tensor name, "steps": n, "save_to": a prefix for TF's own checkpoint after training}
-> stdout: {"read": every tensor as tf.train.load_checkpoint reads it, "losses": the loss at
each step, "after": every global variable after the steps, "saved": the prefix TF saved, "ops":
[name, type] of the imported graph}.
"""
import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np  # noqa: E402
import tensorflow.compat.v1 as tf  # noqa: E402

tf.disable_v2_behavior()


def main(spec_path):
    with open(spec_path) as f:
        spec = json.load(f)
    reader = tf.train.load_checkpoint(spec["checkpoint"])
    read = {name: reader.get_tensor(name).tolist() for name in reader.get_variable_to_shape_map()}
    graph = tf.Graph()
    with graph.as_default():
        saver = tf.train.import_meta_graph(spec["meta"])
        train_op = tf.get_collection(tf.GraphKeys.TRAIN_OP)[0]
        loss = graph.get_tensor_by_name(spec["loss"])
        feed = {graph.get_tensor_by_name(k): np.array(v, np.float32) for k, v in spec["feed"].items()}
        with tf.Session(graph=graph) as sess:
            saver.restore(sess, spec["checkpoint"])
            losses = [float(sess.run([loss, train_op], feed)[0]) for _ in range(spec["steps"])]
            after = {v.op.name: sess.run(v).tolist() for v in tf.global_variables()}
            saved = saver.save(sess, spec["save_to"], global_step=tf.train.get_global_step())
    print(json.dumps({"read": read, "losses": losses, "after": after, "saved": saved,
                      "ops": [[op.name, op.type] for op in graph.get_operations()]}))


if __name__ == "__main__":
    main(sys.argv[1])
