"""tf.device and Graph.device (issue 23): accepted and kept on the ops, written in the GraphDef.
Values against TensorFlow are in tests/cases/device_cases.py; these check the rest."""
import numpy as np
import pytest

import tfteach as tf
from tfteach.graph import device  # tf.device once tfteach/__init__.py exports it


@pytest.fixture
def graph():
    with tf.Graph().as_default() as g:
        yield g


def test_graph_device_on_a_graph_that_is_not_the_default():
    g = tf.Graph()
    with g.as_default(), g.device("/cpu:0"):
        a = tf.constant(1.0, name="a")
    assert a.op.device == a.device == "/device:CPU:0"
    with g.as_default():
        assert tf.constant(2.0).op.device == ""  # the block is over


def test_the_device_is_kept_but_the_run_is_the_same(graph):
    with device("/job:ps/task:3/gpu:7"):  # TensorFlow would need that machine; tfteach has one CPU
        x = tf.placeholder(tf.float32, [2])
        y = tf.reduce_sum(x * x)
    assert y.op.device == "/job:ps/task:3/device:GPU:7"
    with tf.Session() as sess:
        assert sess.run(y, {x: np.array([1.0, 2.0])}) == 5.0


def test_graph_def_round_trip_writes_the_device(graph):
    with device("/cpu:0"):
        tf.constant(1.0, name="a")
    tf.constant(2.0, name="b")
    data = graph.as_graph_def().SerializeToString()
    nodes = tf.GraphDef.FromString(data).node
    assert [(n.name, n.device) for n in nodes] == [("a", "/device:CPU:0"), ("b", "")]
    assert 'device: "/device:CPU:0"' in str(graph.as_graph_def())


def test_a_device_that_is_neither_a_string_nor_a_function(graph):
    with pytest.raises(TypeError, match="tf.device: a device is a string"):
        with device(3):
            pass
    with pytest.raises(ValueError, match="Unknown attribute: 'nonsense'"):
        with device("/nonsense"):
            pass


def test_import_graph_def_keeps_the_device(graph):
    with device("/cpu:0"):
        tf.constant(1.0, name="a")
    with tf.Graph().as_default() as g2:
        tf.import_graph_def(graph.as_graph_def(), name="imp")
    assert g2.get_operation_by_name("imp/a").device == "/device:CPU:0"


def test_a_variable_has_the_device_of_its_op(graph):
    with device("/cpu:0"):
        v = tf.Variable(1.0, name="v")
    assert v.op.device == "/device:CPU:0"
    assert v.device == "/device:CPU:0"
