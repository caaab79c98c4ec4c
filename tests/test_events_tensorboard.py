"""What tfteach writes, read by the real TensorBoard (a test dependency only).

EventAccumulator must see every scalar step and value, the histograms, and the graph (every
node, its inputs and op type); and a TensorBoard server must serve the scalars over HTTP.
"""
import json
import socket
import time
import threading
import urllib.error
import urllib.parse
import urllib.request

import numpy as np
import pytest

import tfteach as tf

event_accumulator = pytest.importorskip("tensorboard.backend.event_processing.event_accumulator")


@pytest.fixture(scope="module")
def seed_log(tmp_path_factory):
    """Seed 000's last script, plus a histogram, run by tfteach: (logdir, graph, logged values)."""
    logdir = str(tmp_path_factory.mktemp("log_simple_stats"))
    graph = tf.Graph()
    with graph.as_default():
        x = tf.constant(1.0, name='input')
        w = tf.Variable(0.8, name='weight')
        y = tf.multiply(w, x, name='output')
        y_ = tf.constant(0.0, name='correct_value')
        loss = tf.pow(y - y_, 2, name='loss')
        train_step = tf.train.GradientDescentOptimizer(0.025).minimize(loss)
        for value in [x, w, y, y_, loss]:
            tf.summary.scalar(value.op.name, value)
        tf.summary.histogram('weight_histogram', tf.stack([w, 2 * w, -w]))
        summaries = tf.summary.merge_all()
        session = tf.Session()
        summary_writer = tf.summary.FileWriter(logdir, session.graph)
        session.run(tf.global_variables_initializer())
        logged = {}
        for i in range(100):
            summary = session.run(summaries)
            for v in tf.Summary.FromString(summary).value:
                logged.setdefault(v.tag, []).append(v)
            summary_writer.add_summary(summary, i)
            session.run(train_step)
        summary_writer.close()
    return logdir, graph, logged


def accumulator(logdir):
    acc = event_accumulator.EventAccumulator(logdir, size_guidance={"scalars": 0, "histograms": 0})
    acc.Reload()
    return acc


def test_tensorboard_sees_every_scalar_step_and_value(seed_log):
    logdir, _, logged = seed_log
    acc = accumulator(logdir)
    tags = acc.Tags()["scalars"]
    assert sorted(tags) == ["correct_value_1", "input_1", "loss_1", "output_1", "weight_1"]
    for tag in tags:
        got = acc.Scalars(tag)
        assert [e.step for e in got] == list(range(100))
        assert [e.value for e in got] == [np.float32(v.simple_value) for v in logged[tag]]
    assert acc.Scalars("loss_1")[0].value == pytest.approx(0.64)


def test_tensorboard_sees_the_histograms(seed_log):
    logdir, _, logged = seed_log
    acc = accumulator(logdir)
    assert acc.Tags()["histograms"] == ["weight_histogram"]
    got = acc.Histograms("weight_histogram")
    assert [e.step for e in got] == list(range(100))
    for event, ours in zip(got, logged["weight_histogram"]):
        h = event.histogram_value
        assert (h.min, h.max, h.num, h.sum) == (ours.histo.min, ours.histo.max, 3.0, ours.histo.sum)
        assert list(h.bucket_limit) == ours.histo.bucket_limit and list(h.bucket) == ours.histo.bucket


def test_tensorboard_sees_the_graph(seed_log):
    logdir, graph, _ = seed_log
    acc = accumulator(logdir)
    assert acc.Tags()["graph"] is True
    graph_def = acc.Graph()
    ours = [op for op in graph.get_operations() if op.name != "init"]  # made after the writer
    assert [n.name for n in graph_def.node] == [op.name for op in ours]
    for node, op in zip(graph_def.node, ours):
        inputs = [t.op.name if t.value_index == 0 else t.name for t in op.inputs]
        assert node.op == op.type
        assert list(node.input) == inputs + ["^" + c.name for c in op.control_inputs]
    by_name = {n.name: n for n in graph_def.node}
    assert by_name["weight"].attr["dtype"].type == 1  # DT_FLOAT
    assert by_name["output"].attr["T"].type == 1
    assert by_name["input"].attr["value"].tensor.float_val == [1.0]
    assert len(by_name["output"].attr["_output_shapes"].list.shape) == 1
    assert any(n.input and n.input[-1].startswith("^") for n in graph_def.node)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore:html5lib's sanitizer is deprecated:DeprecationWarning")
def test_tensorboard_server_serves_our_scalars(seed_log):
    """TensorBoard in-process on a free loopback port; read /data/plugin/scalars back, with a deadline."""
    from tensorboard import program
    logdir, _, logged = seed_log
    board = program.TensorBoard()
    board.configure(argv=[None, "--logdir", logdir, "--host", "127.0.0.1", "--port", str(free_port()),
                          "--load_fast", "false", "--reload_interval", "1"])
    server = board._make_server()  # what launch() does, keeping the server so we can stop it
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = server.get_url()
    try:
        query = urllib.parse.urlencode({"run": ".", "tag": "loss_1"})
        deadline, data = time.monotonic() + 60, None
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{url}data/plugin/scalars/scalars?{query}", timeout=10) as r:
                    data = json.load(r)
                if len(data) == 100:
                    break
            except urllib.error.HTTPError:  # 400 until the run is loaded
                pass
            time.sleep(0.5)
        assert data is not None and len(data) == 100, f"TensorBoard served {data!r} before the deadline"
        assert [step for _, step, _ in data] == list(range(100))
        assert [value for _, _, value in data] == [float(np.float32(v.simple_value)) for v in logged["loss_1"]]
    finally:
        server.shutdown()
        thread.join(timeout=10)
