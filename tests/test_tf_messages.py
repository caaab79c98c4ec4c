"""Error messages a learner would search for, in TensorFlow 1.x's wording (issue 23).

The expected texts were printed by TensorFlow 2.21's tf.compat.v1 (the shape and dimension parts
verbatim); the tail that names the node keeps TF1's form (`for 'add' (op: 'Add')`), as elsewhere.
"""
import numpy as np
import pytest

import tfteach as tf


@pytest.fixture
def graph():
    with tf.Graph().as_default() as g:
        yield g


def _message(fn):
    with pytest.raises(Exception) as info:
        fn()
    return info.type, str(info.value)


def test_broadcasting_names_the_dimensions_not_the_shapes(graph):
    kind, text = _message(lambda: tf.constant([1., 2, 3]) + tf.constant([1., 2, 3, 4]))
    assert kind is ValueError
    assert text.startswith("Dimensions must be equal, but are 3 and 4 for 'add' (op: 'Add')"), text
    assert text.endswith("with input shapes: [3], [4]."), text
    kind, text = _message(lambda: tf.add(tf.constant([[1., 2, 3]]), tf.constant([[1., 2, 3, 4]]), name="myadd"))
    assert text.startswith("Dimensions must be equal, but are 3 and 4 for 'myadd'"), text
    assert text.endswith("with input shapes: [1,3], [1,4]."), text


def test_a_dtype_mix_names_both_types(graph):
    for build in (lambda: tf.constant(1.0) + tf.constant(1), lambda: tf.add(tf.constant(1.0), tf.constant(1))):
        kind, text = _message(build)
        assert kind is TypeError
        assert text == "Input 'y' of 'Add' Op has type int32 that does not match type float32 of argument 'x'.", text


def test_matmul_at_run_time(graph):
    a = tf.placeholder(tf.float32, [None, 2])
    b = tf.placeholder(tf.float32, [None, 2])
    m = tf.matmul(a, b)
    with tf.Session() as sess:
        kind, text = _message(lambda: sess.run(m, {a: np.ones((1, 2)), b: np.ones((1, 2))}))
    assert kind is tf.errors.InvalidArgumentError
    assert text.startswith("Matrix size-incompatible: In[0]: [1,2], In[1]: [1,2]"), text
    assert "[[node MatMul]]" in text


def test_reshape_writes_shapes_without_spaces(graph):
    kind, text = _message(lambda: tf.reshape(tf.constant([1., 2, 3]), [2, 2]))
    assert kind is ValueError
    assert text.startswith("Cannot reshape a tensor with 3 elements to shape [2,2] (4 elements)"), text
    a = tf.placeholder(tf.float32, [None, 2])
    r = tf.reshape(a, [2, 2])
    with tf.Session() as sess:
        kind, text = _message(lambda: sess.run(r, {a: np.ones((3, 2))}))
    assert kind is tf.errors.InvalidArgumentError
    assert text.startswith("Input to reshape is a tensor with 6 values, but the requested shape has 4"), text


def test_broadcasting_at_run_time(graph):
    x = tf.placeholder(tf.float32, [None])
    y = tf.placeholder(tf.float32, [None])
    with tf.Session() as sess:
        kind, text = _message(lambda: sess.run(x + y, {x: np.ones(3), y: np.ones(4)}))
    assert kind is tf.errors.InvalidArgumentError
    assert text.startswith("Incompatible shapes: [3] vs. [4]"), text


# ---- more of the same messages, as TensorFlow 2.21's tf.compat.v1 printed them ------------------
def test_broadcasting_names_the_first_mismatch_from_the_left_after_aligning_right(graph):
    _, text = _message(lambda: tf.constant(np.ones((2, 3))) + tf.constant(np.ones((4, 5))))
    assert text.startswith("Dimensions must be equal, but are 2 and 4 for 'add'"), text
    _, text = _message(lambda: tf.constant(np.ones((3, 1, 5))) + tf.constant(np.ones((4, 6))))
    assert text.startswith("Dimensions must be equal, but are 5 and 6 for 'add_1'"), text
    assert text.endswith("with input shapes: [3,1,5], [4,6]."), text


def test_a_dtype_mix_through_other_operators_and_variables(graph):
    v = tf.Variable(1.0)
    cases = [(lambda: tf.constant(1) + tf.constant(1.0), "Add", "float32", "int32"),
             (lambda: tf.constant(1.0) * tf.constant(1), "Mul", "int32", "float32"),
             (lambda: tf.constant(1.0) - tf.constant(1, tf.int64), "Sub", "int64", "float32"),
             (lambda: tf.constant([1.0]) + tf.constant([1.0, 2.0], tf.float64), "Add", "float64", "float32"),
             (lambda: v + tf.constant(1), "Add", "int32", "float32"),
             (lambda: tf.constant(1) + v, "Add", "float32", "int32")]
    for build, op, y, x in cases:
        kind, text = _message(build)
        assert kind is TypeError
        assert text == f"Input 'y' of '{op}' Op has type {y} that does not match type {x} of argument 'x'.", text
    # `/` checks the dtypes itself (TF 1.15's words; TF 2 adds backticks and a period)
    kind, text = _message(lambda: tf.constant(1.0) / tf.constant(1))
    assert kind is TypeError and text == "x and y must have the same dtype, got tf.float32 != tf.int32", text
    # a Python number still takes the tensor's dtype
    assert (tf.constant(1.0) + 1).dtype == tf.float32 and (tf.constant(1.0) / 2).dtype == tf.float32
    assert (tf.constant(1.0) + np.array([1, 2])).dtype == tf.float32


def test_matmul_at_run_time_shows_the_shapes_before_transposing(graph):
    a = tf.placeholder(tf.float32, [None, 2])
    b = tf.placeholder(tf.float32, [None, 2])
    m = tf.matmul(a, b, transpose_a=True)
    with tf.Session() as sess:
        kind, text = _message(lambda: sess.run(m, {a: np.ones((3, 2)), b: np.ones((1, 2))}))
    assert kind is tf.errors.InvalidArgumentError
    assert text == "Matrix size-incompatible: In[0]: [3,2], In[1]: [1,2]\n\t [[node MatMul]]", text


def test_reshape_with_a_minus_one(graph):
    kind, text = _message(lambda: tf.reshape(tf.constant(np.ones((2, 3))), [4, -1]))
    assert kind is ValueError
    assert text == ("Dimension size must be evenly divisible by 4 but is 6 for 'Reshape' (op: 'Reshape') with "
                    "input shapes: [2,3], [2] and with input tensors computed as partial shapes: "
                    "input[1] = [4,?]."), text
    _, text = _message(lambda: tf.reshape(tf.constant(np.ones((2, 3))), [0, -1]))
    assert text.startswith("Cannot reshape a tensor with 6 elements to shape [0,?] (0 elements) for 'Reshape_1'"), text
    _, text = _message(lambda: tf.reshape(tf.placeholder(tf.float32, [None, 3]), [2, 2]))
    assert text.startswith("Dimension size must be evenly divisible by 3 but is 4 for 'Reshape_2'"), text
    a = tf.placeholder(tf.float32, [None, 2])
    r = tf.reshape(a, [-1, 4])
    with tf.Session() as sess:
        kind, text = _message(lambda: sess.run(r, {a: np.ones((3, 2))}))
    assert kind is tf.errors.InvalidArgumentError
    assert text == ("Input to reshape is a tensor with 6 values, but the requested shape requires a multiple "
                    "of 4\n\t [[node Reshape_3]]"), text


def test_broadcasting_at_run_time_names_the_node_of_any_binary_op(graph):
    x = tf.placeholder(tf.float32, [None])
    y = tf.placeholder(tf.float32, [None])
    z = tf.multiply(x, y, name="mymul")
    with tf.Session() as sess:
        kind, text = _message(lambda: sess.run(z, {x: np.ones(3), y: np.ones(4)}))
    assert kind is tf.errors.InvalidArgumentError
    assert text == "Incompatible shapes: [3] vs. [4]\n\t [[node mymul]]", text


def test_broadcasting_at_run_time_in_a_compiled_plan(graph):
    # the feeds keep their shapes, so the third run uses the compiled plan (codegen.py), which
    # then fails on the values: the same error as the interpreter's
    x = tf.placeholder(tf.float32, [None])
    m = tf.placeholder(tf.int32, [1])
    z = tf.subtract(x, tf.tile(tf.ones([1]), m), name="mysub")
    with tf.Session() as sess:
        for _ in range(3):
            sess.run(z, {x: np.ones(3), m: [3]})
        assert "def run(" in sess.plan_source(z, {x: np.ones(3), m: [3]})
        kind, text = _message(lambda: sess.run(z, {x: np.ones(3), m: [4]}))
    assert kind is tf.errors.InvalidArgumentError
    assert text == "Incompatible shapes: [3] vs. [4]\n\t [[node mysub]]", text


# ---- local variables: TF's collection names, and which initializer the hint names ---------------
def test_metric_variables_collection(graph):
    assert tf.GraphKeys.METRIC_VARIABLES == "metric_variables"
    acc, update = tf.metrics.accuracy(tf.constant([1, 0]), tf.constant([1, 1]))
    names = [v.op.name for v in tf.get_collection(tf.GraphKeys.METRIC_VARIABLES)]
    assert names == [v.op.name for v in tf.local_variables()] == ["accuracy/total", "accuracy/count"]


def test_an_uninitialized_local_variable_names_the_local_initializer(graph):
    from tfteach import diagnostics
    acc, update = tf.metrics.accuracy(tf.constant([1, 0]), tf.constant([1, 1]))
    w = tf.Variable(1.0, name="w")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        kind, text = _message(lambda: sess.run(update))
        assert kind is tf.errors.FailedPreconditionError
        assert text.startswith("Attempting to use uninitialized value accuracy/")
        assert text.endswith("Hint: run sess.run(tf.local_variables_initializer()) (or the variable's initializer) "
                             "in this session first."), text
        with pytest.raises(tf.errors.FailedPreconditionError) as err:
            sess.run(update)
        explained = diagnostics.explain(err.value).text
        assert "Fix: run sess.run(tf.local_variables_initializer()) in this session first: 'accuracy/total', " \
               "'accuracy/count' are local variables" in explained, explained
        assert "Fix: run sess.run(tf.global_variables_initializer())" not in explained
        sess.run(tf.local_variables_initializer())
        assert sess.run(update) == 0.5
    with tf.Session() as sess:  # a global variable still gets the global initializer's name
        kind, text = _message(lambda: sess.run(w * 2.0))
        assert text.endswith("Hint: run sess.run(tf.global_variables_initializer()) (or the variable's "
                             "initializer) in this session first."), text
