"""tf.map_fn, tf.scan, tf.foldl, tf.foldr (issue #25): gradients against float64 central differences,
the loop they build, tfteach's own messages, and the TF 2 switches. Values, node names and TF's
errors are in tests/cases/functional_cases.py (fixtures from TF 2.21 with control flow v1)."""
import json
import os
import subprocess
import sys

import numpy as np
import pytest

import tfteach as tf
from tfteach.testing import check_gradients

TF_PYTHON = os.environ.get("TFTEACH_TF_PYTHON", "/opt/tfvenv/bin/python")


@pytest.fixture(autouse=True)
def fresh_graph():
    tf.reset_default_graph()


RNG = np.random.RandomState(0)


def _seeded(y):
    """check_gradients seeds tf.gradients with a fed grad_ys; a gradient reaching a TensorArray op
    must come from a 'gradients/...' op (_GetGradSource), which tfteach's grad_ys is not yet (TF wraps
    it in 'gradients/grad_ys_0': see test_a_fed_seed_at_a_stacked_result), so the stacked result
    goes through one op first, as any loss would."""
    return y * 1.0


def test_map_fn_gradient_with_a_tensor_from_outside():
    def fn(x, w):
        return _seeded(tf.map_fn(lambda row: tf.tanh(tf.reduce_sum(tf.expand_dims(row, 1) * w, 0)), x))
    check_gradients(fn, [RNG.normal(size=(4, 3)), RNG.normal(size=(3, 2))])


def test_map_fn_gradient_of_tuple_elems_and_two_outputs():
    def fn(a, b):
        s, p = tf.map_fn(lambda ab: (tf.sin(ab[0]) + ab[1], ab[0] * ab[1]), (a, b), dtype=(tf.float64, tf.float64))
        return s * 2.0 + p * p
    check_gradients(fn, [RNG.normal(size=(5, 2)), RNG.normal(size=(5, 2))])


def test_nested_map_fn_gradient():
    def fn(x):
        return _seeded(tf.map_fn(lambda row: tf.map_fn(lambda e: e * tf.sin(e), row), x))
    check_gradients(fn, [RNG.normal(size=(3, 4))])


def test_scan_gradient_without_and_with_initializer_and_reversed():
    def fn(x, h0):
        plain = tf.scan(lambda a, e: a * tf.cos(e) + e, x)
        init = tf.scan(lambda a, e: tf.tanh(a * 0.5 + e), x, initializer=h0)
        back = tf.scan(lambda a, e: a * e + 0.1, x, initializer=h0, reverse=True)
        return plain + init * 2.0 + back * 3.0
    check_gradients(fn, [RNG.normal(size=(4, 3)), RNG.normal(size=(3,))])


def test_scan_rnn_gradient():
    """An Elman RNN over time-major inputs: h_t = tanh(x_t W + h_{t-1} U)."""
    def fn(inputs, w, u):
        h0 = tf.zeros([2, 3], dtype=tf.float64)
        return _seeded(tf.scan(lambda h, x_t: tf.tanh(tf.matmul(x_t, w) + tf.matmul(h, u)), inputs, initializer=h0))
    check_gradients(fn, [RNG.normal(size=(5, 2, 2)), RNG.normal(size=(2, 3)) * 0.5, RNG.normal(size=(3, 3)) * 0.5])


def test_scan_gradient_of_a_tuple_accumulator():
    def fn(x):
        a, b = tf.scan(lambda acc, e: (acc[1] * e, acc[0] + tf.sin(acc[1])), x,
                       initializer=(tf.constant(0.5, tf.float64), tf.constant(-0.3, tf.float64)))
        return a + b * b
    check_gradients(fn, [RNG.normal(size=(6,))])


def test_foldl_and_foldr_gradients():
    def fn(x, a):
        left = tf.foldl(lambda acc, e: tf.sin(acc) * a + e, x)
        right = tf.foldr(lambda acc, e: acc * e + a, x, initializer=tf.ones([2], tf.float64))
        return left * right
    check_gradients(fn, [RNG.normal(size=(4, 2)), RNG.normal(size=(2,))])


def test_fold_gradient_of_a_structured_elems_and_accumulator():
    def fn(x, y):
        s, p = tf.foldl(lambda acc, e: (acc[0] + e[0] * e[1], acc[1] * tf.cos(e[1])), (x, y),
                        initializer=(tf.constant(0.0, tf.float64), tf.constant(1.0, tf.float64)))
        return s + p
    check_gradients(fn, [RNG.normal(size=(5,)), RNG.normal(size=(5,))])


def test_gradient_with_the_length_fed_at_run_time():
    x = tf.placeholder(tf.float64, [None])
    a = tf.placeholder(tf.float64, [])
    y = tf.foldl(lambda acc, e: acc * a + tf.sin(e), x, initializer=tf.constant(0.3, tf.float64))
    total = tf.reduce_sum(tf.scan(lambda acc, e: acc * a + e, x))
    g, g_total = tf.gradients(y, a)[0], tf.gradients(total, a)[0]
    eps = 1e-6
    with tf.Session() as sess:
        for k in (1, 2, 6):
            xs = np.linspace(-1.0, 1.0, k)
            for out, grad in ((y, g), (total, g_total)):
                up, down = (sess.run(out, {x: xs, a: 0.9 + d}) for d in (eps, -eps))
                assert np.isclose(sess.run(grad, {x: xs, a: 0.9}), (up - down) / (2 * eps), rtol=1e-6, atol=1e-9)


def test_a_fed_seed_at_a_stacked_result():
    x = tf.constant([1.0, 2.0])
    y = tf.map_fn(lambda e: e * e, x)
    g = tf.gradients(y, x, grad_ys=tf.constant([1.0, 10.0]))[0]
    with tf.Session() as sess:
        np.testing.assert_allclose(sess.run(g), [2.0, 40.0])


def test_gradients_of_frames_in_frames():
    def fn(x):
        _, in_while = tf.while_loop(lambda k, v: k < 2, lambda k, v: (k + 1, tf.map_fn(lambda r: tf.sin(r) + r, v)),
                                    [tf.constant(0), x])
        scan_in_map = tf.map_fn(lambda r: tf.scan(lambda a, e: a * 0.5 + e * r[0], r), x)
        return in_while * 2.0 + scan_in_map * scan_in_map
    check_gradients(fn, [RNG.normal(size=(3, 2))])


def test_gradient_of_scan_in_map_fn_keeps_its_dtype_when_compiled(monkeypatch):
    monkeypatch.setattr(tf.plan, "COMPILE_AT_RUN", 1)
    x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    out = tf.map_fn(lambda r: tf.scan(lambda a, e: a * 0.5 + e, r), x)
    g = tf.gradients(tf.reduce_sum(out * out), x)[0]
    with tf.Session() as sess:
        assert sess.run(g).dtype == np.float32


def test_gradient_of_a_fold_inside_a_cond():
    def fn(x):
        return tf.cond(tf.constant(True), lambda: tf.foldl(lambda a, e: a * tf.sin(e), x), lambda: x[0])
    check_gradients(fn, [RNG.normal(size=(3, 2))])


def test_fn_runs_once_while_building_and_the_loop_does_not_grow_the_graph():
    calls = []
    x = tf.placeholder(tf.float32, [None])
    y = tf.map_fn(lambda e: calls.append(e) or e * 2.0, x)
    before = len(tf.get_default_graph().get_operations())
    with tf.Session() as sess:
        for k in (1, 10, 100):
            np.testing.assert_allclose(sess.run(y, {x: np.arange(k)}), np.arange(k) * 2.0)
    assert len(calls) == 1
    assert len(tf.get_default_graph().get_operations()) == before


def test_map_fn_result_is_a_real_loop():
    y = tf.map_fn(lambda e: e + 1, tf.constant([1, 2, 3]))
    types = {op.type for op in tf.get_default_graph().get_operations()}
    assert {"Enter", "Merge", "Switch", "LoopCond", "NextIteration", "Exit", "TensorArrayV3",
            "TensorArrayScatterV3", "TensorArrayReadV3", "TensorArrayWriteV3", "TensorArrayGatherV3"} <= types
    assert y.op.name == "map/TensorArrayStack/TensorArrayGatherV3"


def test_variables_made_in_fn_live_outside_the_loop():
    def fn(row):
        w = tf.get_variable("w", [2], initializer=tf.constant_initializer(3.0))
        return row * w
    with tf.variable_scope("layer"):
        y = tf.map_fn(fn, tf.constant([[1.0, 2.0], [3.0, 4.0]]))
    assert [v.name for v in tf.global_variables()] == ["layer/w:0"]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_allclose(sess.run(y), [[3.0, 6.0], [9.0, 12.0]])


def test_errors_say_what_was_received():
    x = tf.constant([1.0, 2.0])
    with pytest.raises(TypeError, match="fn must be callable, got 3 of type int"):
        tf.map_fn(3, x)
    with pytest.raises(IndexError, match="foldl needs elems of rank 1 or more.*got a scalar"):
        tf.foldl(lambda a, e: a + e, tf.constant(1.0))
    with pytest.raises(ValueError, match="Elements in elems must be 1\\+ dimensional"):
        tf.map_fn(lambda e: e, tf.constant(1.0))
    with pytest.raises(ValueError, match="(?s)None values not supported.*scan's fn returned None: does it end "
                                         "with `return ...`"):
        tf.scan(lambda a, e: print(a), x)
    with pytest.raises(ValueError, match="Dimensions 2 and 3 are not compatible"):
        tf.map_fn(lambda e: e, (x, tf.constant([1.0, 2.0, 3.0])))


def test_the_tf2_switches():
    tf.disable_control_flow_v2()
    tf.disable_v2_behavior()
    tf.disable_eager_execution()
    tf.disable_resource_variables()
    assert tf.control_flow_v2_enabled() is False
    assert tf.executing_eagerly() is False
    with pytest.raises(NotImplementedError, match="TF1's control flow only"):
        tf.enable_control_flow_v2()
    with pytest.raises(NotImplementedError, match="no TF 2 behaviour"):
        tf.enable_v2_behavior()
    assert {"map_fn", "scan", "foldl", "foldr", "disable_control_flow_v2"} <= set(dir(tf))


def test_functional_ops_load_on_first_use():
    code = ("import sys, tfteach as tf; assert 'tfteach.functional_ops' not in sys.modules; "
            "tf.map_fn; assert 'tfteach.functional_ops' in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True)


_RUN_IN_TF = """
import json, sys
import numpy as np
import tensorflow.compat.v1 as tf
tf.disable_v2_behavior()
spec = json.load(open(sys.argv[1]))
gd = tf.GraphDef()
gd.ParseFromString(open(spec["graph"], "rb").read())
tf.import_graph_def(gd, name="")
with tf.Session() as sess:
    feed = {k: np.array(v, np.float32) for k, v in spec["feed"].items()}
    print(json.dumps([sess.run(name, feed).tolist() for name in spec["fetch"]]))
"""


def test_the_graph_def_runs_on_tensorflow(tmp_path):
    """The GraphDef of map_fn, scan (forward and reversed), foldl and foldr (frames, TensorArrays,
    lengths fed at run time) imports into TensorFlow and gives tfteach's values."""
    if not os.path.exists(TF_PYTHON):
        pytest.skip(f"no TensorFlow at {TF_PYTHON} (TFTEACH_TF_PYTHON)")
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    w = tf.constant([[0.5, -0.2], [0.1, 0.3], [-0.4, 0.6]], name="w")
    fetches = [tf.map_fn(lambda row: tf.tanh(tf.squeeze(tf.matmul(tf.expand_dims(row, 0), w), 0)), x),
               tf.scan(lambda a, row: a * 0.5 + row, x), tf.scan(lambda a, row: a * row, x, reverse=True),
               tf.foldl(lambda a, row: a + tf.reduce_sum(row), x, initializer=tf.constant(0.0)),
               tf.foldr(lambda a, row: a * 0.9 - row, x)]
    fetch = [t.name for t in fetches]
    feed = {"x:0": np.linspace(-1.0, 1.0, 15).reshape(5, 3).tolist()}
    with tf.Session() as sess:
        ours = sess.run(fetch, feed)
    (tmp_path / "graph.pb").write_bytes(tf.get_default_graph().as_graph_def().SerializeToString())
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps({"graph": str(tmp_path / "graph.pb"), "feed": feed, "fetch": fetch}))
    done = subprocess.run([TF_PYTHON, "-c", _RUN_IN_TF, str(spec)], capture_output=True, text=True, timeout=300,
                          env=dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3"))
    assert done.returncode == 0, done.stderr[-3000:]
    theirs = json.loads(done.stdout.strip().splitlines()[-1])
    for name, mine, their in zip(fetch, ours, theirs):
        np.testing.assert_allclose(their, mine, rtol=1e-5, atol=1e-6, err_msg=name)
