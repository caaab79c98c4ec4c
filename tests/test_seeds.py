"""The seeds' graph, session and gradient cells: names and numbers exactly as the seeds print.

Where the seed (classic TF 1.x) and today's TensorFlow differ (case-sensitive names,
`gradients/Fill`, integer gradients), these tests hold the seed's output.
"""
import numpy as np
import pytest

import tfteach as tf


def names(graph=None):
    return [f"{op.name}:{op.type}" for op in (graph or tf.get_default_graph()).get_operations()]


@pytest.fixture(autouse=True)
def fresh_graph():
    tf.reset_default_graph()
    yield
    tf.reset_default_graph()


def test_seed002_constants_add_and_run():  # In[3]-In[18]
    g = tf.get_default_graph()
    assert g.get_operations() == []
    tf.constant(3.14)
    assert [repr(op) for op in g.get_operations()] == ["<tf.Operation 'Const' type=Const>"]
    const_tensor = g.get_operations()[0].outputs[0]
    assert repr(const_tensor) == "<tf.Tensor 'Const:0' shape=() dtype=float32>"
    another = tf.constant(1.414)
    assert repr(another) == "<tf.Tensor 'Const_1:0' shape=() dtype=float32>"
    sum_tensor = tf.add(const_tensor, another)
    assert repr(sum_tensor) == "<tf.Tensor 'Add:0' shape=() dtype=float32>"
    add_op = g.get_operations()[2]
    assert (len(add_op.inputs), len(add_op.outputs)) == (2, 1)
    config = tf.ConfigProto()
    config.gpu_options.allow_growth = True
    sess = tf.Session(config=config)
    assert sess.graph == g
    values = sess.run(sum_tensor), sess.run(const_tensor), sess.run(another)
    assert [type(v) for v in values] == [np.float32] * 3
    assert values == (np.float32(4.554), np.float32(3.14), np.float32(1.414))
    got = sess.run({'a': const_tensor, 'b': another, '[a,b,a+b]': [const_tensor, another, sum_tensor]})
    assert got == {'a': np.float32(3.14), 'b': np.float32(1.414),
                   '[a,b,a+b]': [np.float32(3.14), np.float32(1.414), np.float32(4.554)]}
    sess.close()


def test_seed002_placeholders_and_operators():  # In[19]-In[30], incl. case-sensitive 'add'
    tf.constant(3.14)
    tf.constant(1.414)
    tf.add(tf.get_default_graph().get_operations()[0].outputs[0],
           tf.get_default_graph().get_operations()[1].outputs[0])
    a = tf.placeholder(tf.float32)
    assert repr(a) == "<tf.Tensor 'Placeholder:0' shape=<unknown> dtype=float32>"
    b = tf.placeholder(tf.float32)
    flexible_sum_tensor = tf.add(a, b)
    sess = tf.Session()
    assert sess.run(flexible_sum_tensor, feed_dict={a: 1., b: 2.}) == 3.0
    out = sess.run(flexible_sum_tensor, feed_dict={a: [1.], b: [2.]})
    assert out.dtype == np.float32 and out.tolist() == [3.0]
    out = sess.run(flexible_sum_tensor, feed_dict={a: [[1., 2.], [3., 4.]], b: [[5., 6.], [7., 8.]]})
    assert out.tolist() == [[6., 8.], [10., 12.]]
    distance_from_origin = tf.sqrt((a * a) + (b * b))
    assert names() == ["Const:Const", "Const_1:Const", "Add:Add", "Placeholder:Placeholder",
                       "Placeholder_1:Placeholder", "Add_1:Add", "mul:Mul", "mul_1:Mul", "add:Add",
                       "Sqrt:Sqrt"]
    assert repr(distance_from_origin) == "<tf.Tensor 'Sqrt:0' shape=<unknown> dtype=float32>"
    assert sess.run(distance_from_origin, feed_dict={a: 3., b: 4.}) == 5.0
    with tf.Session() as sess2:
        assert sess2.run(distance_from_origin, feed_dict={a: 9., b: 12.}) == 15.0


def test_seed002_reset_keeps_old_graph():  # In[31]-In[32]
    g = tf.get_default_graph()
    tf.constant(1.0)
    tf.reset_default_graph()
    assert len(g.get_operations()) == 1
    assert tf.get_default_graph().get_operations() == []


def test_seed002_variables():  # In[33]-In[41]
    g = tf.get_default_graph()
    x = tf.Variable(42)
    summary = [(repr(op), f"{len(op.inputs)} inputs and {len(op.outputs)} output") for op in g.get_operations()]
    assert summary == [("<tf.Operation 'Variable/initial_value' type=Const>", '0 inputs and 1 output'),
                       ("<tf.Operation 'Variable' type=VariableV2>", '0 inputs and 1 output'),
                       ("<tf.Operation 'Variable/Assign' type=Assign>", '2 inputs and 1 output'),
                       ("<tf.Operation 'Variable/read' type=Identity>", '1 inputs and 1 output')]
    sess, sess2 = tf.Session(), tf.Session()
    with pytest.raises(tf.errors.FailedPreconditionError, match="Attempting to use uninitialized value Variable"):
        sess.run(x)
    assert sess.run(g.get_operations()[2]) is None
    assert sess.run(x) == 42
    with pytest.raises(tf.errors.FailedPreconditionError):
        sess2.run(x)
    assert (sess2.run(x.initializer), sess2.run(x)) == (None, 42)


def test_seed002_gradient_names_out45_and_int_values():  # In[44]-In[51]
    a = tf.constant(5, name='a')
    b = tf.constant(7, name='b')
    eqn = a + 2 * b
    assert names() == ["a:Const", "b:Const", "mul/x:Const", "mul:Mul", "add:Add"]
    grad = tf.gradients(eqn, b)
    assert names()[5:] == [
        "gradients/Shape:Const", "gradients/Const:Const", "gradients/Fill:Fill",
        "gradients/add_grad/Shape:Const", "gradients/add_grad/Shape_1:Const",
        "gradients/add_grad/BroadcastGradientArgs:BroadcastGradientArgs",
        "gradients/add_grad/Sum:Sum", "gradients/add_grad/Reshape:Reshape",
        "gradients/add_grad/Sum_1:Sum", "gradients/add_grad/Reshape_1:Reshape",
        "gradients/mul_grad/Shape:Const", "gradients/mul_grad/Shape_1:Const",
        "gradients/mul_grad/BroadcastGradientArgs:BroadcastGradientArgs",
        "gradients/mul_grad/mul:Mul", "gradients/mul_grad/Sum:Sum", "gradients/mul_grad/Reshape:Reshape",
        "gradients/mul_grad/mul_1:Mul", "gradients/mul_grad/Sum_1:Sum",
        "gradients/mul_grad/Reshape_1:Reshape"]
    assert [repr(t) for t in grad] == ["<tf.Tensor 'gradients/mul_grad/Reshape_1:0' shape=() dtype=int32>"]
    sess = tf.Session()
    assert sess.run(grad) == [2]
    assert sess.run(tf.gradients(eqn, [a, b])) == [1, 2]
    eqn2 = a * b + b
    assert sess.run(tf.gradients(eqn2, [a, b])) == [7, 6]
    assert sess.run(tf.gradients([eqn, eqn2], [a, b])) == [8, 8]


OUT62 = """Variable/initial_value:Const Variable:VariableV2 Variable/Assign:Assign Variable/read:Identity
mul:Mul gradients/Shape:Const gradients/Const:Const gradients/Fill:Fill gradients/mul_grad/Shape:Const
gradients/mul_grad/Shape_1:Const gradients/mul_grad/BroadcastGradientArgs:BroadcastGradientArgs
gradients/mul_grad/mul:Mul gradients/mul_grad/Sum:Sum gradients/mul_grad/Reshape:Reshape
gradients/mul_grad/mul_1:Mul gradients/mul_grad/Sum_1:Sum gradients/mul_grad/Reshape_1:Reshape
gradients/mul_grad/tuple/group_deps:NoOp gradients/mul_grad/tuple/control_dependency:Identity
gradients/mul_grad/tuple/control_dependency_1:Identity gradients/AddN:AddN
GradientDescent/learning_rate:Const GradientDescent/update_Variable/ApplyGradientDescent:ApplyGradientDescent
GradientDescent:NoOp gradients_1/Shape:Const gradients_1/Const:Const gradients_1/Fill:Fill
gradients_1/mul_grad/Shape:Const gradients_1/mul_grad/Shape_1:Const
gradients_1/mul_grad/BroadcastGradientArgs:BroadcastGradientArgs gradients_1/mul_grad/mul:Mul
gradients_1/mul_grad/Sum:Sum gradients_1/mul_grad/Reshape:Reshape gradients_1/mul_grad/mul_1:Mul
gradients_1/mul_grad/Sum_1:Sum gradients_1/mul_grad/Reshape_1:Reshape gradients_1/mul_grad/tuple/group_deps:NoOp
gradients_1/mul_grad/tuple/control_dependency:Identity gradients_1/mul_grad/tuple/control_dependency_1:Identity
gradients_1/AddN:AddN beta1_power/initial_value:Const beta1_power:VariableV2 beta1_power/Assign:Assign
beta1_power/read:Identity beta2_power/initial_value:Const beta2_power:VariableV2 beta2_power/Assign:Assign
beta2_power/read:Identity Variable/Adam/Initializer/Const:Const Variable/Adam:VariableV2
Variable/Adam/Assign:Assign Variable/Adam/read:Identity Variable/Adam_1/Initializer/Const:Const
Variable/Adam_1:VariableV2 Variable/Adam_1/Assign:Assign Variable/Adam_1/read:Identity
Adam/learning_rate:Const Adam/beta1:Const Adam/beta2:Const Adam/epsilon:Const
Adam/update_Variable/ApplyAdam:ApplyAdam Adam/mul:Mul Adam/Assign:Assign Adam/mul_1:Mul Adam/Assign_1:Assign
Adam:NoOp""".split()


def test_seed002_optimizer_ops_out62():  # In[60]-In[62]: 66 ops, in order
    x = tf.Variable(5.0)
    loss = x * x
    tf.train.GradientDescentOptimizer(learning_rate=0.1).minimize(loss)
    tf.train.AdamOptimizer(learning_rate=0.1).minimize(loss)
    assert len(OUT62) == 66
    assert names() == OUT62
    gd = tf.get_default_graph().get_operation_by_name("GradientDescent/update_Variable/ApplyGradientDescent")
    assert gd.gradient_of is None and tf.get_default_graph().get_operation_by_name(
        "gradients/AddN").gradient_of[0].name == "Variable/read"


def test_seed002_x_squared_descent_three_ways():  # In[54]-In[61]: identical trajectories
    def run(build):
        tf.reset_default_graph()
        x = tf.Variable(5.0)
        loss = x * x
        step = build(x, loss)
        out = []
        with tf.Session() as sess:
            sess.run(x.initializer)
            for _ in range(100):
                out.append(sess.run({'x': x, 'loss': loss, 'train': step}))
        return [(d['x'], d['loss']) for d in out]

    by_hand = run(lambda x, loss: tf.assign(x, x - 2. * x * 0.1))
    with_gradients = run(lambda x, loss: tf.assign(x, x - tf.gradients(loss, x)[0] * 0.1))
    optimizer = run(lambda x, loss: tf.train.GradientDescentOptimizer(learning_rate=0.1).minimize(loss))
    assert by_hand[0] == (np.float32(5.0), np.float32(25.0))  # reads see the value before the update
    np.testing.assert_allclose(by_hand, with_gradients, rtol=1e-6)
    np.testing.assert_allclose(by_hand, optimizer, rtol=1e-6)
    assert abs(by_hand[-1][0]) < 1e-8


def test_seed000_neuron_numbers():  # 000 In[9]-In[20], 004
    sess = tf.Session()
    graph = tf.get_default_graph()
    input_value = tf.constant(1.0)
    weight = tf.Variable(0.8)
    output_value = weight * input_value
    assert graph.get_operations()[-1].name == 'mul'
    sess.run(tf.global_variables_initializer())
    assert sess.run(output_value) == np.float32(0.8)
    tf.reset_default_graph()
    sess = tf.Session()
    x = tf.constant(1.0, name='input')
    w = tf.Variable(0.8, name='weight')
    y = tf.multiply(w, x, name='output')
    y_ = tf.constant(0.0)
    loss = (y - y_) ** 2
    optim = tf.train.GradientDescentOptimizer(learning_rate=0.025)
    grads_and_vars = optim.compute_gradients(loss)
    sess.run(tf.global_variables_initializer())
    assert sess.run(grads_and_vars[0][0]) == np.float32(1.6)
    sess.run(optim.apply_gradients(grads_and_vars))
    assert sess.run(w) == np.float32(0.76)
    train_step = tf.train.GradientDescentOptimizer(0.025).minimize(loss)
    for _ in range(100):
        sess.run(train_step)
    assert sess.run(y) == np.float32(0.0044996012)


def test_seed003_graph_slides():
    one, two = tf.constant(1), tf.constant(2)
    three = one + two
    sess = tf.Session()
    assert sess.run(three) == 3
    assert sess.graph == tf.get_default_graph()
    assert names() == ["Const:Const", "Const_1:Const", "add:Add"]
    tf.reset_default_graph()
    one = tf.constant(1)
    x = tf.placeholder(tf.int32)
    y = x + one
    assert tf.Session().run(y, {x: 2}) == 3
    assert names() == ["Const:Const", "Placeholder:Placeholder", "add:Add"]
    tf.reset_default_graph()
    one = tf.constant(1)
    x = tf.Variable(2)
    y = x + one
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    assert (sess.run(x), sess.run(y)) == (2, 3)
    assert names() == ["Const:Const", "Variable/initial_value:Const", "Variable:VariableV2",
                       "Variable/Assign:Assign", "Variable/read:Identity", "add:Add", "init:NoOp"]
    tf.reset_default_graph()
    z = tf.matmul(tf.Variable([[2, 1]]), tf.Variable([[1], [2]]))
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    out = sess.run(z)
    assert out.dtype == np.int32 and out.tolist() == [[4]]
