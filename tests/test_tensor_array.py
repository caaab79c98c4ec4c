"""tf.TensorArray (issue #25): gradients of its chains against float64 central differences, and
what the engine must not do to it (fold, drop or keep its state between runs).

Values, names, static shapes and errors against real TensorFlow: tests/cases/tensor_array_cases.py.
"""
import json
import os

import numpy as np
import pytest

import tfteach as tf
from tfteach import registry
from tfteach.testing import check_gradients

import tensor_array_programs


@pytest.fixture(autouse=True)
def fresh_graph():
    tf.reset_default_graph()


def _normal(seed, *shape):
    return np.random.RandomState(seed).normal(size=shape)


# ---- gradients of each op pair (TF's tensor_array_grad.py) ----------------------------------
def test_unstack_stack_gradient():
    """ScatterV3's gradient gathers what GatherV3's gradient scattered."""
    def f(x):
        return tf.sin(tf.TensorArray(x.dtype, size=4).unstack(x).stack()) * x
    check_gradients(f, [_normal(1, 4, 3)])


def test_write_read_gradient():
    """ReadV3's gradient writes to the gradient array; WriteV3's reads it back."""
    def f(a, b):
        ta = tf.TensorArray(a.dtype, size=2).write(0, a).write(1, b * b)
        return ta.read(0) * tf.tanh(ta.read(1))
    check_gradients(f, [_normal(2, 3), _normal(3, 3)])


def test_gather_of_one_index_twice_aggregates_in_the_gradient_array():
    """Two reads of one element give two writes to one index of the gradient array: summed."""
    def f(x):
        ta = tf.TensorArray(x.dtype, size=3, clear_after_read=False).scatter([2, 0, 1], x)
        return ta.gather([0, 2, 0, 0]) * tf.constant([[1.0], [2.0], [3.0], [-1.0]], tf.float64)
    check_gradients(f, [_normal(4, 3, 2)])


def test_split_concat_gradient_with_unequal_lengths():
    def f(x):
        ta = tf.TensorArray(x.dtype, size=3, infer_shape=False).split(x, [1, 3, 2])
        return tf.square(ta.concat())
    check_gradients(f, [_normal(5, 6, 2)])


def test_split_then_read_pieces():
    def f(x):
        ta = tf.TensorArray(x.dtype, size=2).split(x, [2, 2])
        return tf.matmul(ta.read(0), ta.read(1), transpose_b=True)
    check_gradients(f, [_normal(6, 4, 3)])


def test_unread_elements_get_zero_gradients():
    """The gradient array knows the shapes of the forward writes: unread elements read zeros."""
    def f(x):
        return tf.TensorArray(x.dtype, size=4).unstack(x).read(2) * 3.0
    check_gradients(f, [_normal(7, 4, 2)])
    x = tf.constant(_normal(7, 4, 2))
    g = tf.gradients(tf.TensorArray(tf.float64, size=4).unstack(x).read(2), x)[0]
    with tf.Session() as sess:
        out = sess.run(g)
    np.testing.assert_array_equal(out, [[0, 0], [0, 0], [1, 1], [0, 0]])


def test_dynamic_size_writes_then_stack():
    def f(a, b):
        ta = tf.TensorArray(a.dtype, size=0, dynamic_size=True, element_shape=[2])
        ta = ta.write(0, a).write(1, a * b).write(2, tf.exp(b))
        return tf.square(ta.stack())  # (a grad_ys fed straight to the stack would have no gradients scope)
    check_gradients(f, [_normal(8, 2), _normal(9, 2)])


def test_a_chain_through_two_arrays():
    """stack of one array unstacked into another: the gradient crosses both."""
    def f(x):
        first = tf.TensorArray(x.dtype, size=3).unstack(x * 2.0)
        second = tf.TensorArray(x.dtype, size=3).unstack(tf.sigmoid(first.stack()))
        return second.gather([2, 1]) + second.read(0)
    check_gradients(f, [_normal(10, 3, 2)])


def test_two_gradient_calls_use_their_own_gradient_arrays():
    """TensorArrayGradV3's `source` is the tf.gradients scope: 'gradients', 'gradients_1'."""
    x = tf.constant(_normal(11, 2, 2))
    s = tf.TensorArray(tf.float64, size=2, clear_after_read=False).unstack(x).stack()
    g1 = tf.gradients(s * 3.0, x)[0]
    g2 = tf.gradients(s * s, x)[0]
    sources = sorted({op.get_attr("source") for op in tf.get_default_graph().get_operations()
                      if op.type == "TensorArrayGradV3"})
    assert sources == ["gradients", "gradients_1"]
    with tf.Session() as sess:
        v1, v2 = sess.run([g1, g2])
    np.testing.assert_allclose(v1, np.full((2, 2), 3.0))
    np.testing.assert_allclose(v2, 2 * _normal(11, 2, 2))


def test_gradient_needs_a_gradients_scope():
    """TF's _GetGradSource: a gradient tensor must come from a scope named gradients*."""
    x = tf.constant([1.0, 2.0])
    r = tf.TensorArray(tf.float32, size=1).write(0, x).read(0)
    with pytest.raises(ValueError, match="Expected op/tensor name to start with gradients"):
        tf.gradients(r, x, name="backprop")


# ---- the engine and the per-run state ---------------------------------------------------------
def test_the_ops_are_stateful_so_never_folded_or_dropped():
    for op_type in ("TensorArrayV3", "TensorArrayGradV3", "TensorArrayWriteV3", "TensorArrayReadV3",
                    "TensorArrayGatherV3", "TensorArrayScatterV3", "TensorArrayConcatV3", "TensorArraySplitV3",
                    "TensorArraySizeV3", "TensorArrayCloseV3"):
        d = registry.lookup(op_type)
        assert d.session and "pure" not in d.facts and d.shape_fn is not None, op_type
    for op_type in ("TensorArrayV3", "TensorArrayGradV3", "TensorArraySizeV3", "TensorArrayCloseV3"):
        assert not registry.lookup(op_type).differentiable
    for op_type in ("TensorArrayWriteV3", "TensorArrayReadV3", "TensorArrayGatherV3", "TensorArrayScatterV3",
                    "TensorArrayConcatV3", "TensorArraySplitV3"):
        assert registry.lookup(op_type).grad_fn is not None


def test_a_write_kept_only_by_a_control_dependency_still_runs():
    ta = tf.TensorArray(tf.float32, size=1)
    w = ta.write(0, 7.0)
    with tf.control_dependencies([w.flow]):
        r = ta.read(0)
    with tf.Session() as sess:
        assert [sess.run(r) for _ in range(3)] == [7.0, 7.0, 7.0]  # the third run is the compiled plan


def test_each_run_gets_a_new_array():
    """A write and a read of index 0 in every run: a state kept between runs would say the index
    was already written (TF keeps a TensorArray in the run's resource manager)."""
    x = tf.placeholder(tf.float32, [])
    r = tf.TensorArray(tf.float32, size=1).write(0, x * 2.0).read(0)
    with tf.Session() as sess:
        assert [float(sess.run(r, {x: v})) for v in (1.0, 2.0, 3.0, 4.0)] == [2.0, 4.0, 6.0, 8.0]
        results, steps = sess.record(r, {x: 5.0})
    assert float(results) == 10.0
    handle = [values[0] for op, values in steps if op.type == "TensorArrayV3"][0]
    assert "TensorArray TensorArray_" in repr(handle) and "float32" in repr(handle)


def test_run_time_errors_name_the_op():
    r = tf.TensorArray(tf.float32, size=2).read(1, name="first")
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError) as info:
            sess.run(r)
    assert "Could not read from TensorArray index 1" in str(info.value)
    assert "[[node first]]" in str(info.value) and info.value.op.name == "first"


# ---- inside tf.while_loop (the lead's ops/while_loop.py) -------------------------------------------
def _loop_program(x):
    """dynamic_rnn's shape: read input t from one array, write output t to another."""
    n = tf.shape(x)[0]
    inputs = tf.TensorArray(x.dtype, size=n).unstack(x)
    outputs = tf.TensorArray(x.dtype, size=n)

    def body(t, h, out):
        h = tf.tanh(inputs.read(t) + h * 0.5)
        return t + 1, h, out.write(t, h * 2.0)
    _, _, out = tf.while_loop(lambda t, h, out: t < n, body, [tf.constant(0), tf.zeros_like(x[0]), outputs])
    return out.stack()


def _loop_numpy(x):
    h, out = np.zeros_like(x[0]), []
    for row in x:
        h = np.tanh(row + h * 0.5)
        out.append(h * 2.0)
    return np.stack(out)


def test_written_inside_a_while_loop():
    x = tf.placeholder(tf.float32, [None, 3])
    s = _loop_program(x)
    value = _normal(12, 5, 3).astype(np.float32)
    with tf.Session() as sess:
        for n in (5, 2, 5):  # sequence lengths fed at run time; the third run is compiled
            np.testing.assert_allclose(sess.run(s, {x: value[:n]}), _loop_numpy(value[:n]), rtol=1e-5)


def test_gradient_through_a_while_loop():
    check_gradients(lambda x: _loop_program(x) * 1.5, [_normal(13, 4, 3)])  # (a gradients-scoped grad)


def _numbers(v):
    """A (nested) list of numbers: compared with a tolerance, the rest exactly."""
    return isinstance(v, list) and bool(v) and all(_numbers(x) or isinstance(x, float) for x in v)


def _close(got, want, path):
    if isinstance(want, dict):
        assert sorted(got) == sorted(want), path
        for k in want:
            _close(got[k], want[k], f"{path}.{k}")
    elif _numbers(want):
        np.testing.assert_allclose(np.array(got, np.float64), np.array(want, np.float64), rtol=1e-4, atol=1e-5,
                                   err_msg=path)
    else:
        assert got == want, f"{path}: {got!r} != {want!r}"


@pytest.mark.parametrize("name", sorted(tensor_array_programs.PROGRAMS))
def test_loop_programs_match_tensorflow(name):
    """Values, gradients and the TensorArray ops' names (forward and gradient) of
    tests/tensor_array_programs.py against TF 2.21 with control flow v1."""
    with open(os.path.join(os.path.dirname(__file__), "fixtures", "tensor_array_loop.json")) as f:
        want = json.load(f)[name]
    _close(tensor_array_programs.PROGRAMS[name](tf), want, name)
