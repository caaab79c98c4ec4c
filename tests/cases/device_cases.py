"""tf.device: the device string each op keeps, and the NodeDef's `device` field (issue 23).

tfteach runs every op on its one CPU: `with tf.device(...)` only records the device on the ops
made inside, merged the way TF1 merges nested blocks. Fixture: tests/fixtures/device_cases.json,
written by tensorflow-cpu 2.21 (tf.compat.v1) with tests/fixtures/make_fixtures.py device_cases.
"""


def _devices(tf):
    return [[op.name, op.device] for op in tf.get_default_graph().get_operations()]


def case_device_nested_strings(tf):
    device = tf.device
    a = tf.constant(1.0, name="a")
    with device("/cpu:0"):
        c = a + tf.constant(2.0, name="b")
        with device("/job:ps/task:1"):
            c * 2
        with device(""):
            c * 3
        with device(None):
            c * 4
        with device("/gpu:1"):
            c * 5
        with device("/device:CPU:0"):
            c * 6
    with device("/job:worker/replica:0/task:0/cpu:0"):
        d = tf.identity(a, name="d")
    return {"ops": _devices(tf), "tensors": [c.device, d.device]}


def case_device_function(tf):
    device = tf.device
    a = tf.constant(1.0, name="a")
    with device(lambda op: "/cpu:0" if op.type == "Mul" else ""):
        a * 2.0
        a + 2.0
    with device("/cpu:0"):
        with device(lambda op: ""):  # an empty answer keeps the outer device
            a - 1.0
    return _devices(tf)


def case_device_graph_def(tf):
    device = tf.device
    with device("/cpu:0"):
        x = tf.placeholder(tf.float32, [2], name="x")
        y = tf.reduce_sum(x * 3.0)
    z = y + 1.0
    nodes = tf.get_default_graph().as_graph_def().node
    return {"nodes": [[n.name, n.device] for n in nodes], "z": z.device}


def case_device_runs_on_the_cpu(tf):
    device = tf.device
    with device("/cpu:0"):
        x = tf.placeholder(tf.float32, [3], name="x")
        w = tf.constant([1.0, 2.0, 3.0], name="w")
        y = tf.reduce_sum(x * w)
    with device("/device:CPU:0"):
        grad = tf.gradients(y, x)[0]
    with tf.Session() as sess:
        values = sess.run([y, grad], {x: [1.0, 1.0, 2.0]})
    return {"values": values, "grad_device": grad.device, "y_device": y.device}
