"""Import a tfteach GraphDef into real TensorFlow and run it; print the results as JSON.

Run by tests/test_graph_def_tf.py with a Python that has TensorFlow (never imported by CI):

    /opt/tfvenv/bin/python tests/tf_oracle_import.py spec.json

spec.json: {"graph_def": path (.pb, or .pbtxt for the text form), "init": [op names],
"steps": [[fetch names, feed {name: value}], ...]} -> stdout: one result list per step, plus
the op types and node names TensorFlow imported.
"""
import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np  # noqa: E402
import tensorflow.compat.v1 as tf  # noqa: E402
from google.protobuf import text_format  # noqa: E402

tf.disable_v2_behavior()


def main(spec_path):
    with open(spec_path) as f:
        spec = json.load(f)
    graph_def = tf.GraphDef()
    if spec["graph_def"].endswith(".pbtxt"):
        with open(spec["graph_def"]) as f:
            text_format.Parse(f.read(), graph_def)
    else:
        with open(spec["graph_def"], "rb") as f:
            graph_def.ParseFromString(f.read())
    graph = tf.Graph()
    with graph.as_default():
        tf.import_graph_def(graph_def, name="")
    results = []
    with tf.Session(graph=graph) as sess:
        for name in spec.get("init", []):
            sess.run(name)
        for fetches, feed in spec["steps"]:
            values = sess.run(fetches, {k: np.array(v) for k, v in feed.items()})
            results.append([v.hex() if isinstance(v, bytes) else np.asarray(v).tolist() if v is not None else None
                            for v in values])
    nodes = [[op.name, op.type] for op in graph.get_operations()]
    print(json.dumps({"results": results, "nodes": nodes}))


if __name__ == "__main__":
    main(sys.argv[1])
