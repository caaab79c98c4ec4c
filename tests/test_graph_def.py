"""GraphDef: node_def text, as_graph_def, the protobuf encodings, write_graph, import_graph_def."""
import json
import os

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import tfteach as tf
from tfteach.graph_def import node_def_of, tensor_proto, tensor_to_numpy
from tfteach.protobuf import parse_text
from tfteach.protos import TensorProto, TensorShapeDim, TensorShapeProto

FIXTURES = os.path.join(os.path.dirname(__file__), "fixtures", "tf_written")


@pytest.fixture(autouse=True)
def fresh_graph():
    tf.reset_default_graph()
    yield
    tf.reset_default_graph()


def expected():
    with open(os.path.join(FIXTURES, "expected.json")) as f:
        return json.load(f)


def tf_graph_def(name):
    with open(os.path.join(FIXTURES, name), "rb") as f:
        return tf.GraphDef.FromString(f.read())


def seed_neuron():
    x = tf.constant(1.0, name='input')
    w = tf.Variable(0.8, name='weight')
    y = tf.multiply(w, x, name='output')
    y_ = tf.constant(0.0, name='correct_value')
    loss = tf.pow(y - y_, 2, name='loss')
    train_step = tf.train.GradientDescentOptimizer(0.025).minimize(loss)
    for value in [x, w, y, y_, loss]:
        tf.summary.scalar(value.op.name, value)
    return y, train_step, tf.summary.merge_all()


def many_ops_graph():
    """A graph of about a hundred op types, a cond, five optimizers and summaries.

    Returns (fetches, feed, init op): a list of tensors/ops to run, a feed by tensor name.
    """
    x = tf.placeholder(tf.float32, [2, 3], name='x')
    i = tf.placeholder(tf.int32, [2], name='i')
    v = tf.Variable(tf.zeros([3]), name='v')
    nn = tf.nn
    fetches = [
        tf.abs(x), tf.exp(x), tf.log1p(tf.abs(x)), tf.sqrt(tf.abs(x)), tf.rsqrt(tf.abs(x) + 1), tf.square(x),
        tf.sigmoid(x), tf.tanh(x), tf.sign(x), tf.floor(x), tf.ceil(x), tf.round(x), tf.reciprocal(x + 10),
        tf.cos(x), tf.sin(x), tf.erf(x), tf.expm1(x), x + 1, x - 1, x * 2, x / 2, x // 2, x % 2, -x, x ** 2,
        tf.maximum(x, 0.), tf.minimum(x, 0.), tf.squared_difference(x, 1.),
        tf.reduce_sum(x, 1), tf.reduce_mean(x, 0, keepdims=True), tf.reduce_max(x), tf.reduce_min(x, 1),
        tf.reduce_prod(x, 1), tf.reduce_any(x > 0, 1), tf.reduce_all(x > 0), tf.argmax(x, 1), tf.argmin(x, 0),
        tf.cumsum(x, 1), tf.cumprod(x, 1, exclusive=True), tf.matmul(x, tf.transpose(x)),
        tf.matmul(x, x, transpose_b=True), tf.add_n([x, x, x]), tf.cast(x, tf.int32), tf.equal(x, 1.),
        tf.not_equal(x, 1.), tf.less(x, 1.), tf.greater_equal(x, 1.), tf.logical_and(x > 0, x < 1),
        tf.logical_not(x > 0), tf.logical_or(x > 0, x < 1), tf.where(x > 0, x, -x), tf.where(x > 0),
        tf.reshape(x, [-1]), tf.expand_dims(x, 0), tf.squeeze(tf.expand_dims(x, 0)), tf.transpose(x, [1, 0]),
        tf.concat([x, x], 0), tf.stack([x, x], 1), tf.unstack(x)[1], tf.tile(x, [2, 1]), tf.reverse(x, [1]),
        tf.shape(x), tf.size(x), tf.rank(x), tf.fill([2, 2], 3.0), tf.zeros_like(x), tf.ones_like(x),
        tf.one_hot(i, 4), tf.range(5), tf.linspace(0., 1., 5), tf.broadcast_to(tf.constant([1., 2., 3.]), [2, 3]),
        tf.identity(x), tf.stop_gradient(x), x[:, 1], tf.gather(x, i), tf.pad(x, [[1, 0], [0, 1]]),
        nn.relu(x), nn.softmax(x), nn.log_softmax(x), nn.bias_add(x, tf.ones([3])), nn.l2_loss(x), nn.softplus(x),
        nn.elu(x), nn.relu6(x), nn.leaky_relu(x),
        nn.softmax_cross_entropy_with_logits_v2(labels=nn.softmax(x), logits=x),
        nn.sparse_softmax_cross_entropy_with_logits(labels=tf.constant([0, 1]), logits=x),
        tf.dynamic_stitch([tf.constant([0, 1]), tf.constant([2])], [tf.constant([1., 2.]), tf.constant([3.])]),
        tf.check_numerics(x, 'bad'), tf.cond(tf.constant(True), lambda: x + 1, lambda: x - 1)]
    loss = tf.reduce_sum(tf.square(tf.sigmoid(tf.matmul(x, tf.reshape(v, [3, 1])))))
    for opt in [tf.train.GradientDescentOptimizer(0.1), tf.train.MomentumOptimizer(0.1, 0.9),
                tf.train.AdamOptimizer(), tf.train.AdagradOptimizer(0.1), tf.train.RMSPropOptimizer(0.1)]:
        fetches.append(opt.minimize(loss))
    tf.summary.scalar('loss', loss)
    tf.summary.histogram('x', x)
    fetches.append(tf.summary.merge_all())
    feed = {'x:0': [[1., -2., 3.], [0.5, 0., -1.]], 'i:0': [1, 0]}
    return fetches, feed, tf.global_variables_initializer()


def test_many_op_types_round_trip_through_import():
    fetches, feed, init = many_ops_graph()
    graph_def = tf.get_default_graph().as_graph_def(add_shapes=True)
    names = [t.name for t in fetches]
    with tf.Session() as sess:
        sess.run(init)
        ours = sess.run(names, feed)
    with tf.Graph().as_default() as g2:
        tf.import_graph_def(graph_def, name="")
        assert g2.as_graph_def(add_shapes=True) == graph_def
        with tf.Session() as sess:
            sess.run(init.name)
            again = sess.run(names, feed)
    for name, a, b in zip(names, ours, again):
        if isinstance(a, bytes):
            assert tf.Summary.FromString(a).value[0].simple_value == tf.Summary.FromString(b).value[0].simple_value
        elif a is not None:
            np.testing.assert_array_equal(a, b, err_msg=name)


# ---- op.node_def as seed 004 prints it ----------------------------------------------------------------
SEED_004_NODE_DEF = '''name: "Const"
op: "Const"
attr {
  key: "dtype"
  value {
    type: DT_FLOAT
  }
}
attr {
  key: "value"
  value {
    tensor {
      dtype: DT_FLOAT
      tensor_shape {
      }
      float_val: 1.0
    }
  }
}
'''


def test_seed004_node_def_of_a_constant():
    graph = tf.get_default_graph()
    input_value = tf.constant(1.0)
    operations = graph.get_operations()
    assert str(operations[0].node_def) == SEED_004_NODE_DEF
    node_def = operations[0].node_def
    assert (node_def.name, node_def.op) == ("Const", "Const")
    assert node_def.attr["value"].tensor.float_val == [1.0]
    assert input_value.op.node_def == node_def


def test_node_def_lists_inputs_and_control_inputs():
    a = tf.constant(1.0, name='a')
    with tf.control_dependencies([a]):
        b = tf.identity(tf.constant(2.0, name='c'), name='b')
    s = tf.unstack(tf.constant([1.0, 2.0]), name='u')
    z = tf.add(s[1], b, name='z')
    assert b.op.node_def.input == ["c", "^a"]
    assert z.op.node_def.input == ["u:1", "b"]
    assert 'input: "u:1"' in str(z.op)


# ---- as_graph_def --------------------------------------------------------------------------------------
def test_as_graph_def_has_every_node_with_tf_attrs():
    seed_neuron()
    graph = tf.get_default_graph()
    graph_def = graph.as_graph_def()
    assert [n.name for n in graph_def.node] == [op.name for op in graph.get_operations()]
    assert [n.op for n in graph_def.node] == [op.type for op in graph.get_operations()]
    nodes = {n.name: n for n in graph_def.node}
    assert nodes["output"].attr["T"].type == 1 and nodes["weight/Assign"].attr["T"].type == 1
    assert nodes["weight"].attr["shape"].shape.dim == [] and nodes["weight"].attr["dtype"].type == 1
    assert nodes["Merge/MergeSummary"].attr["N"].i == 5
    assert nodes["loss_1/tags"].attr["value"].tensor.string_val == [b"loss_1"]
    assert nodes["gradients/loss_grad/Sum"].attr["Tidx"].type == 3
    assert nodes["GradientDescent"].input == ["^GradientDescent/update_weight/ApplyGradientDescent"]
    assert graph_def.versions.producer == 27
    assert "_output_shapes" not in nodes["output"].attr


def test_add_shapes_writes_output_shapes():
    x = tf.placeholder(tf.float32, [None, 3], name='x')
    tf.matmul(x, tf.ones([3, 2]), name='y')
    tf.no_op(name='nothing')
    nodes = {n.name: n for n in tf.get_default_graph().as_graph_def(add_shapes=True).node}
    (shape,) = nodes["y"].attr["_output_shapes"].list.shape
    assert [d.size for d in shape.dim] == [-1, 2]
    assert nodes["nothing"].attr["_output_shapes"].list.shape == []


def test_binary_and_text_forms_round_trip():
    seed_neuron()
    graph_def = tf.get_default_graph().as_graph_def(add_shapes=True)
    assert tf.GraphDef.FromString(graph_def.SerializeToString()) == graph_def
    assert parse_text(str(graph_def), tf.GraphDef()) == graph_def
    assert str(graph_def).startswith('node {\n  name: "input"\n  op: "Const"\n')


def test_tf_written_text_and_binary_forms_read_the_same():
    with open(os.path.join(FIXTURES, "seed_neuron.pbtxt")) as f:
        text = f.read()
    assert parse_text(text, tf.GraphDef()) == tf_graph_def("seed_neuron.pb")


@pytest.mark.parametrize("name", ["seed_neuron.pb", "forward_ops.pb"])
def test_our_node_defs_of_imported_tf_graphs_match_tfs(name):
    """Re-exported, each node has TF's inputs and TF's attr values (minus defaulted attrs)."""
    graph_def = tf_graph_def(name)
    tf.import_graph_def(graph_def, name="")
    graph = tf.get_default_graph()
    for node in graph_def.node:
        ours = node_def_of(graph.get_operation_by_name(node.name))
        assert ours.input == node.input, node.name
        assert {k: node.attr.get(k) for k in ours.attr} == ours.attr, node.name
        missing = {k for k in node.attr if not k.startswith("_")} - set(ours.attr)
        assert missing <= {"grad_a", "grad_b", "Truncate", "incompatible_shape_error"}, node.name


# ---- tensors --------------------------------------------------------------------------------------------
DTYPES = [np.float32, np.float64, np.int32, np.int64, np.int16, np.int8, np.uint8, np.uint16, np.bool_, np.float16]


@given(hnp.arrays(st.sampled_from(DTYPES), hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=4)))
def test_tensor_proto_round_trip(arr):
    back = tensor_to_numpy(tensor_proto(arr))
    assert back.dtype == arr.dtype and back.shape == arr.shape
    np.testing.assert_array_equal(back, arr)
    again = tensor_to_numpy(TensorProto.FromString(tensor_proto(arr).SerializeToString()))
    np.testing.assert_array_equal(again, arr)


def test_tensor_proto_layout_and_tf_short_forms():
    assert tensor_proto(np.float32(1.0)).float_val == [1.0]
    assert tensor_proto(np.array([1.0, 2.0], np.float32)).tensor_content == b"\x00\x00\x80?\x00\x00\x00@"
    assert tensor_proto(np.array([b"a", b"b"], dtype=object), tf.string).string_val == [b"a", b"b"]
    # TF writes tf.constant(0.0, shape=[3]) as one value: the last one repeats
    short = TensorProto(dtype=1, tensor_shape=TensorShapeProto(dim=[TensorShapeDim(size=3)]), float_val=[0.5])
    np.testing.assert_array_equal(tensor_to_numpy(short), [0.5, 0.5, 0.5])


# ---- write_graph ----------------------------------------------------------------------------------------
def test_write_graph_text_and_binary(tmp_path):
    seed_neuron()
    graph = tf.get_default_graph()
    path = tf.train.write_graph(graph, str(tmp_path / "new"), "g.pbtxt")
    assert path == str(tmp_path / "new" / "g.pbtxt")
    with open(path) as f:
        assert parse_text(f.read(), tf.GraphDef()) == graph.as_graph_def()
    path = tf.train.write_graph(graph.as_graph_def(), str(tmp_path), "g.pb", as_text=False)
    with open(path, "rb") as f:
        assert tf.GraphDef.FromString(f.read()) == graph.as_graph_def()


# ---- import_graph_def ----------------------------------------------------------------------------------
def test_import_tf_seed_neuron_and_train_it_like_tf():
    tf.import_graph_def(tf_graph_def("seed_neuron.pb"), name="")
    graph = tf.get_default_graph()
    assert [(op.name, op.type) for op in graph.get_operations()] == \
        [tuple(p) for p in expected()["seed_neuron_ops"]]
    sess = tf.Session()
    sess.run("init")
    outputs = []
    for i in range(100):
        summary = tf.Summary.FromString(sess.run("Merge/MergeSummary:0"))
        sess.run("GradientDescent")
        outputs.append(float(sess.run("output:0")))
    assert outputs == expected()["seed_neuron"]["y_after"]
    assert [v.tag for v in summary.value][:2] == ["input_1", "weight_1"]


def test_import_tf_forward_graph_reads_addv2_as_add():
    want = expected()["forward_ops"]
    outputs = tf.import_graph_def(tf_graph_def("forward_ops.pb"), return_elements=list(want["fetches"].values()))
    graph = tf.get_default_graph()
    assert graph.get_operation_by_name("import/h").type == "Add"
    assert graph.get_tensor_by_name("import/x:0").shape.as_list() == [None, 3]
    with tf.Session() as sess:
        values = sess.run(outputs, {"import/x:0": np.array(want["feed"], np.float32)})
    for key, value in zip(want["fetches"], values):
        np.testing.assert_allclose(value, want["values"][key], rtol=1e-6, err_msg=key)


def test_our_graph_round_trips_through_import():
    seed_neuron()
    graph_def = tf.get_default_graph().as_graph_def()
    with tf.Graph().as_default() as g2:
        tf.import_graph_def(graph_def, name="")
        assert g2.as_graph_def() == graph_def
        with tf.Session() as sess:
            sess.run("weight/Assign")
            for _ in range(100):
                sess.run("GradientDescent")
            assert sess.run("output:0") == np.float32(expected()["seed_neuron"]["final_y"])


def test_import_name_scopes_input_map_and_return_elements():
    x = tf.placeholder(tf.float32, name='x')
    tf.multiply(x, 3.0, name='y')
    graph_def = tf.get_default_graph().as_graph_def()
    with tf.Graph().as_default() as g:
        a = tf.constant(2.0, name='a')
        (y1,) = tf.import_graph_def(graph_def, input_map={'x': a}, return_elements=['y:0'])
        y2, op = tf.import_graph_def(graph_def, input_map={'x:0': a}, return_elements=['y:0', 'y'])
        assert (y1.name, y2.name, op.name) == ("import/y:0", "import_1/y:0", "import_1/y")
        with tf.Session() as sess:
            assert sess.run([y1, y2]) == [6.0, 6.0]
        assert tf.import_graph_def(graph_def, name="net") is None
        assert "net/y" in [o.name for o in g.get_operations()]
    with tf.Graph().as_default() as g:
        tf.import_graph_def(graph_def, name="")
        assert tf.constant(1.0, name='y').op.name == "y_1"  # imported names are taken


def test_import_errors_say_what_is_wrong():
    node = tf.NodeDef(name="conv", op="Conv3DBackpropFilterV2")
    with pytest.raises(ValueError, match="'conv' has op type 'Conv3DBackpropFilterV2', which tfteach does not"):
        tf.import_graph_def(tf.GraphDef(node=[node]))
    loop = tf.GraphDef(node=[tf.NodeDef(name="a", op="Identity", input=["b"]),
                             tf.NodeDef(name="b", op="Identity", input=["a"])])
    with pytest.raises(ValueError, match="cycle through 'a'"):
        tf.import_graph_def(loop)
    dangling = tf.GraphDef(node=[tf.NodeDef(name="a", op="Identity", input=["nowhere:0"])])
    with pytest.raises(ValueError, match="input 'nowhere:0', which is not in the GraphDef"):
        tf.import_graph_def(dangling)
    with pytest.raises(ValueError, match="not found in graph_def"):
        tf.import_graph_def(tf.GraphDef(), input_map={"x:0": tf.constant(1.0)})
    with tf.Graph().as_default() as g:
        tf.constant(1.0, name="c")
        with pytest.raises(ValueError, match="already has an op named 'c'"):
            tf.import_graph_def(g.as_graph_def(), name="")


def test_import_fills_type_attrs_a_node_def_leaves_out():
    graph_def = parse_text('''
      node { name: "a" op: "Const" attr { key: "dtype" value { type: DT_FLOAT } }
             attr { key: "value" value { tensor { dtype: DT_FLOAT tensor_shape {} float_val: 2.0 } } } }
      node { name: "b" op: "Mul" input: "a" input: "a" }
      node { name: "c" op: "ArgMax" input: "b" input: "a" }
    ''', tf.GraphDef())
    (b,) = tf.import_graph_def(tf.GraphDef(node=graph_def.node[:2]), return_elements=["b:0"])
    assert b.dtype == tf.float32 and tf.Session().run(b) == 4.0
    with pytest.raises(ValueError, match="cannot type node 'c' .*no attr 'output_type'"):
        tf.import_graph_def(graph_def)


def test_import_accepts_bytes_and_text():
    tf.constant(5.0, name='c')
    graph_def = tf.get_default_graph().as_graph_def()
    for form in (graph_def.SerializeToString(), str(graph_def)):
        with tf.Graph().as_default():
            (c,) = tf.import_graph_def(form, return_elements=["c:0"])
            assert tf.Session().run(c) == 5.0


# ---- malformed input: a clear DecodeError, never another exception or a hang --------------------------
def test_fuzzed_binary_and_text_raise_decode_error():
    import random
    from tfteach.protobuf import DecodeError
    seed_neuron()
    graph_def = tf.get_default_graph().as_graph_def(add_shapes=True)
    data, text = graph_def.SerializeToString(), str(graph_def)
    rng = random.Random(2024)
    for _ in range(500):
        broken = bytearray(data[:rng.randrange(len(data) + 1)])
        for _ in range(rng.randrange(4)):
            if broken:
                broken[rng.randrange(len(broken))] = rng.randrange(256)
        try:
            tf.GraphDef.FromString(bytes(broken))
        except DecodeError:
            pass
        chars = list(text[:rng.randrange(len(text) + 1)])
        for _ in range(rng.randrange(3)):
            if chars:
                chars[rng.randrange(len(chars))] = rng.choice('{}:"[]x1 \n,<>')
        try:
            parse_text("".join(chars), tf.GraphDef())
        except DecodeError:
            pass


def test_import_does_not_need_signatures_of_numpy_builtins(monkeypatch):
    """numpy before 2.4 has no `inspect.signature` for ufuncs (np.add) and builtins: importing a
    graph whose kernels are such builtins must not ask for one."""
    import inspect
    from tfteach import importer
    real = inspect.signature

    def old_numpy_signature(fn, *args, **kwargs):
        if isinstance(fn, np.ufunc) or type(fn).__name__ in ("builtin_function_or_method",
                                                                "_ArrayFunctionDispatcher"):
            raise ValueError(f"no signature found for builtin {fn!r}")
        return real(fn, *args, **kwargs)

    monkeypatch.setattr(importer.inspect, "signature", old_numpy_signature)
    fetches, feed, init = many_ops_graph()
    graph_def = tf.get_default_graph().as_graph_def()
    names = [t.name for t in fetches]
    with tf.Session() as sess:
        sess.run(init)
        ours = sess.run(names, feed)
    with tf.Graph().as_default():
        tf.import_graph_def(graph_def, name="")
        with tf.Session() as sess:
            sess.run("init")
            theirs = sess.run(names, feed)
    for a, b in zip(ours, theirs):
        np.testing.assert_array_equal(a, b)


# ---- importing as TF imports: defaults, unique names, valid inputs ---------------------------
def _const(name, extra=""):
    return (f'node {{ name: "{name}" op: "Const" attr {{ key: "dtype" value {{ type: DT_FLOAT }} }} '
            f'attr {{ key: "value" value {{ tensor {{ dtype: DT_FLOAT tensor_shape {{ }} float_val: 2 }} }} }} }}\n')


def test_import_fills_the_attrs_a_stripped_graph_def_leaves_out():
    from tfteach.protobuf import parse_text
    text = ('node { name: "x" op: "Placeholder" attr { key: "dtype" value { type: DT_FLOAT } } }\n'
            'node { name: "y" op: "MatMul" input: "x" input: "x" attr { key: "T" value { type: DT_FLOAT } } }\n')
    graph_def = parse_text(text, tf.GraphDef())
    with tf.Graph().as_default() as g:
        tf.import_graph_def(graph_def, name="")
        with tf.Session() as sess:
            np.testing.assert_array_equal(sess.run("y:0", {"x:0": [[1., 2.], [3., 4.]]}), [[7., 10.], [15., 22.]])
        assert "transpose_a" not in g.as_graph_def().node[1].attr  # written back as it came


@pytest.mark.parametrize("text, message", [
    (_const("c") + _const("c"), "Node 'c' is not unique"),
    (_const("c") + 'node { name: "d" op: "Neg" input: "c:-1" }', "Connecting to invalid output -1 of source node c"),
    (_const("c") + 'node { name: "d" op: "Neg" input: "c:1" }', "Connecting to invalid output 1 of source node c"),
])
def test_import_rejects_what_tf_rejects(text, message):
    from tfteach.protobuf import parse_text
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match=message):
            tf.import_graph_def(parse_text(text, tf.GraphDef()))


def test_a_constant_whose_shape_asks_for_gigabytes_is_refused_before_allocating():
    from tfteach.protobuf import parse_text
    text = ('node { name: "c" op: "Const" attr { key: "dtype" value { type: DT_FLOAT } } attr { key: "value" '
            'value { tensor { dtype: DT_FLOAT tensor_shape { dim { size: 30000 } dim { size: 30000 } } '
            'float_val: 1 } } } }')
    with tf.Graph().as_default():
        with pytest.raises(tf.errors.ResourceExhaustedError, match="node 'c'.*OOM when allocating tensor "
                           "with shape\\[30000,30000\\]"):
            tf.import_graph_def(parse_text(text, tf.GraphDef()))
