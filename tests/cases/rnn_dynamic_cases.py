"""Cases for tf.nn.dynamic_rnn and bidirectional_dynamic_rnn (issue #25): the cell run inside a
TF1 while loop (Enter/Merge/Switch/LoopCond/NextIteration/Exit) over TensorArrays.

Each `case_<name>(tf)` builds on the (already reset) default graph and returns plain data; the
expected results come from real TensorFlow 2.21 with control flow v1 (tests/fixtures/make_fixtures.py
rnn_dynamic_cases). Weights are set by tf.assign to fixed values (tests/cases/rnn_cases.py), so
values do not depend on the random initializers.
"""
import numpy as np

from cases.harness import catch
from cases.rnn_cases import X, _flat, _set_and_run, _variables, _weights

XB = np.transpose(X, (1, 0, 2))  # [batch=2, time=3, depth=4]

# The nodes TF 1.15's _dynamic_rnn_loop makes that a learner meets in TensorBoard, by name.
MAIN_NODES = ["rnn/transpose", "rnn/TensorArray", "rnn/TensorArray_1", "rnn/time",
              "rnn/TensorArrayUnstack/TensorArrayScatter/TensorArrayScatterV3",
              "rnn/while/Enter", "rnn/while/Merge", "rnn/while/Switch", "rnn/while/LoopCond",
              "rnn/while/NextIteration", "rnn/while/Exit", "rnn/while/Exit_2",
              "rnn/while/TensorArrayReadV3", "rnn/while/TensorArrayWrite/TensorArrayWriteV3",
              "rnn/TensorArrayStack/TensorArrayGatherV3", "rnn/transpose_1"]


def _control_flow_v1(tf):
    """TF1 frames on the oracle (tfteach has only those)."""
    if hasattr(tf, "disable_control_flow_v2"):
        tf.disable_control_flow_v2()


def _nodes(tf, names):
    """{name: op type or None} for the given op names."""
    g = tf.get_default_graph()
    found = {o.name: o.type for o in g.get_operations()}
    return {n: found.get(n) for n in names}


def _cell_nodes(tf, prefix):
    """The op names under `prefix` (the cell's ops inside the loop), sorted; no types: TF 2.21's
    `+` is AddV2 where TF 1.15's (and tfteach's) is Add."""
    g = tf.get_default_graph()
    return sorted(o.name for o in g.get_operations() if o.name.startswith(prefix) and o.type != "Const")


def _structure(state):
    """The nesting of a state: namedtuple and tuple type names, "tensor" for the leaves."""
    if isinstance(state, tuple):
        return [type(state).__name__, [_structure(s) for s in state]]
    return "tensor"


def _run(tf, cell, dtype="float32", time_major=False, **kwargs):
    _control_flow_v1(tf)
    data = X if time_major else XB
    x = tf.constant(data.astype(dtype), name="x")
    outputs, state = tf.nn.dynamic_rnn(cell, x, dtype=getattr(tf, dtype), time_major=time_major, **kwargs)
    return {"values": _set_and_run(tf, {"outputs": outputs, "state": state}),
            "variables": _variables(tf),
            "output_name": [t.name for t in _flat(outputs)],
            "output_shape": [t.get_shape().as_list() for t in _flat(outputs)],
            "state_shapes": [t.get_shape().as_list() for t in _flat(state)],
            "state_structure": _structure(state)}


# ---- the cells: values, variable names, output names ------------------------------------------------
def case_basic_rnn_cell(tf):
    return _run(tf, tf.nn.rnn_cell.BasicRNNCell(3))


def case_basic_lstm_cell(tf):
    out = _run(tf, tf.nn.rnn_cell.BasicLSTMCell(3))
    out["nodes"] = _nodes(tf, MAIN_NODES)
    out["cell_nodes"] = _cell_nodes(tf, "rnn/while/basic_lstm_cell/")
    return out


def case_gru_cell(tf):
    out = _run(tf, tf.nn.rnn_cell.GRUCell(3))
    out["cell_nodes"] = _cell_nodes(tf, "rnn/while/gru_cell/")
    return out


def case_lstm_cell_peepholes_projection(tf):
    return _run(tf, tf.nn.rnn_cell.LSTMCell(3, use_peepholes=True, num_proj=2, cell_clip=0.8))


def case_multi_rnn_cell(tf):
    cell = tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.BasicLSTMCell(3), tf.nn.rnn_cell.GRUCell(2)])
    return _run(tf, cell)


def case_time_major(tf):
    out = _run(tf, tf.nn.rnn_cell.BasicLSTMCell(2), time_major=True)
    out["nodes"] = _nodes(tf, ["rnn/transpose", "rnn/transpose_1", "rnn/TensorArray"])
    return out


def case_float64_named_scope(tf):
    return _run(tf, tf.nn.rnn_cell.GRUCell(2), dtype="float64", scope="encoder")


def case_static_and_dynamic_agree(tf):
    """The same cell and weights through static_rnn and dynamic_rnn: the same numbers."""
    _control_flow_v1(tf)
    cell = tf.nn.rnn_cell.BasicLSTMCell(3)
    x = tf.constant(XB.astype("float32"))
    d_out, d_state = tf.nn.dynamic_rnn(cell, x, dtype=tf.float32)
    s_out, s_state = tf.nn.static_rnn(cell, tf.unstack(x, axis=1), dtype=tf.float32)
    d, s = _set_and_run(tf, [[d_out, d_state], [tf.stack(s_out, axis=1), s_state]])
    return {"dynamic": d, "same": bool(all(np.allclose(a, b, atol=1e-6) for a, b in
                                           zip(_flat(d), _flat(s)))), "variables": _variables(tf)}


# ---- sequence_length fed at run time -------------------------------------------------------------
def case_sequence_length(tf):
    """Rows past their length: zero outputs; the final state is the one of the last valid step."""
    _control_flow_v1(tf)
    lengths = tf.placeholder(tf.int32, [None], name="lengths")
    x = tf.constant(XB.astype("float32"))
    outputs, state = tf.nn.dynamic_rnn(tf.nn.rnn_cell.BasicLSTMCell(3), x, dtype=tf.float32,
                                       sequence_length=lengths)
    fetch = [outputs, state]
    return {"full": _set_and_run(tf, fetch, {lengths: [3, 3]}),
            "short": _set_and_run(tf, fetch, {lengths: [1, 2]}),
            "zero": _set_and_run(tf, fetch, {lengths: [0, 2]}),
            "nodes": _nodes(tf, ["rnn/sequence_length", "rnn/CheckSeqLen", "rnn/Min", "rnn/Max",
                                 "rnn/Minimum", "rnn/Maximum", "rnn/while/Select", "rnn/while/GreaterEqual"]),
            "shape": outputs.get_shape().as_list()}


def case_sequence_length_multi_gru_and_unknown_time(tf):
    """Inputs [batch, time, depth] with time and batch unknown until run time, lengths as a list."""
    _control_flow_v1(tf)
    x = tf.placeholder(tf.float32, [None, None, 4], name="x")
    cell = tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.GRUCell(3), tf.nn.rnn_cell.BasicRNNCell(2)])
    lengths = tf.placeholder(tf.int64, [None], name="lengths")
    outputs, state = tf.nn.dynamic_rnn(cell, x, dtype=tf.float32, sequence_length=lengths)
    fetch = [outputs, state]
    x3 = XB.astype("float32")
    x2 = x3[:, :2]
    return {"three": _set_and_run(tf, fetch, {x: x3, lengths: [2, 3]}),
            "two": _set_and_run(tf, fetch, {x: x2, lengths: [1, 2]}),
            "shapes": [t.get_shape().as_list() for t in _flat([outputs, state])]}


def case_initial_state(tf):
    _control_flow_v1(tf)
    cell = tf.nn.rnn_cell.BasicLSTMCell(3)
    c0 = tf.placeholder(tf.float32, [None, 3], name="c0")
    h0 = tf.placeholder(tf.float32, [None, 3], name="h0")
    x = tf.placeholder(tf.float32, [None, 3, 4], name="x")
    outputs, state = tf.nn.dynamic_rnn(cell, x, initial_state=tf.nn.rnn_cell.LSTMStateTuple(c0, h0))
    feed = {x: XB.astype("float32"), c0: np.array([[0.1, -0.2, 0.3], [0.0, 0.5, -0.5]], "float32"),
            h0: np.array([[-0.3, 0.2, 0.1], [0.4, 0.0, -0.1]], "float32")}
    return {"values": _set_and_run(tf, [outputs, state], feed),
            "shapes": [t.get_shape().as_list() for t in _flat([outputs, state])]}


# ---- bidirectional --------------------------------------------------------------------------------------
def case_bidirectional(tf):
    _control_flow_v1(tf)
    x = tf.constant(XB.astype("float32"))
    (fw, bw), (s_fw, s_bw) = tf.nn.bidirectional_dynamic_rnn(
        tf.nn.rnn_cell.BasicRNNCell(2), tf.nn.rnn_cell.GRUCell(3), x, dtype=tf.float32)
    return {"values": _set_and_run(tf, [fw, bw, s_fw, s_bw]), "variables": _variables(tf),
            "names": [t.name for t in [fw, bw, s_fw, s_bw]],
            "nodes": _nodes(tf, ["bidirectional_rnn/fw/fw/transpose", "bidirectional_rnn/bw/ReverseV2",
                                 "bidirectional_rnn/bw/bw/transpose", "ReverseV2",
                                 "bidirectional_rnn/fw/fw/while/Exit_2"]),
            "shapes": [t.get_shape().as_list() for t in [fw, bw, s_fw, s_bw]]}


def case_bidirectional_sequence_length(tf):
    _control_flow_v1(tf)
    lengths = tf.placeholder(tf.int32, [None], name="lengths")
    x = tf.constant(XB.astype("float32"))
    (fw, bw), (s_fw, s_bw) = tf.nn.bidirectional_dynamic_rnn(
        tf.nn.rnn_cell.GRUCell(2), tf.nn.rnn_cell.BasicLSTMCell(2), x, dtype=tf.float32,
        sequence_length=lengths)
    fetch = [fw, bw, s_fw, s_bw]
    return {"short": _set_and_run(tf, fetch, {lengths: [2, 1]}),
            "full": _set_and_run(tf, fetch, {lengths: [3, 3]}),
            "none": _set_and_run(tf, fetch, {lengths: [0, 3]}),
            "nodes": _nodes(tf, ["bidirectional_rnn/bw/ReverseSequence", "ReverseSequence"]),
            "shapes": [t.get_shape().as_list() for t in [fw, bw]]}


def case_reverse_sequence(tf):
    x = tf.constant(np.arange(2 * 4 * 3, dtype="float32").reshape(2, 4, 3))
    r1 = tf.reverse_sequence(x, [3, 1], seq_axis=1, batch_axis=0)
    xt = tf.constant(np.arange(4 * 2 * 3, dtype="float32").reshape(4, 2, 3))
    r2 = tf.reverse_sequence(xt, tf.constant([4, 0], tf.int64), seq_axis=0, batch_axis=1)
    g = tf.gradients(tf.reduce_sum(r1 * tf.constant(np.arange(24, dtype="float32").reshape(2, 4, 3))), x)
    with tf.Session() as sess:
        values = sess.run([r1, r2, g])
    return {"values": values, "names": [r1.name, r2.name, g[0].name],
            "too_long": catch(lambda: tf.Session().run(tf.reverse_sequence(x, [5, 1], 1, 0)))}


# ---- gradients through the loop -------------------------------------------------------------------
def _grads(tf, cell, lengths=None, dtype="float32"):
    _control_flow_v1(tf)
    x = tf.constant(XB.astype(dtype), name="x")
    outputs, state = tf.nn.dynamic_rnn(cell, x, dtype=getattr(tf, dtype), sequence_length=lengths)
    w_out = tf.constant(_weights(outputs.get_shape().as_list(), 7).astype(dtype))
    ends = _flat(state)
    loss = tf.reduce_sum(outputs * w_out) + tf.add_n([tf.reduce_sum(s * (0.5 + i)) for i, s in enumerate(ends)])
    variables = sorted(tf.trainable_variables(), key=lambda v: v.name)
    grads = tf.gradients(loss, [x] + variables)
    return {"values": _set_and_run(tf, grads), "names": [g.name for g in grads]}


def case_grad_basic_lstm(tf):
    return _grads(tf, tf.nn.rnn_cell.BasicLSTMCell(3))


def case_grad_gru(tf):
    return _grads(tf, tf.nn.rnn_cell.GRUCell(3))


def case_grad_basic_rnn_sequence_length(tf):
    return _grads(tf, tf.nn.rnn_cell.BasicRNNCell(3), lengths=tf.constant([2, 1]))


def case_grad_multi_lstm_sequence_length(tf):
    cell = tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.LSTMCell(3, use_peepholes=True),
                                       tf.nn.rnn_cell.BasicLSTMCell(2)])
    return _grads(tf, cell, lengths=tf.constant([3, 2]))


# ---- errors -------------------------------------------------------------------------------------------------
def case_errors(tf):
    _control_flow_v1(tf)
    cell = tf.nn.rnn_cell.BasicRNNCell(2)
    x = tf.constant(XB.astype("float32"))
    return {"no_dtype": catch(tf.nn.dynamic_rnn, cell, x),
            "rank_2": catch(tf.nn.dynamic_rnn, cell, x[0], dtype=tf.float32),
            "not_a_cell": catch(tf.nn.dynamic_rnn, "cell", x, dtype=tf.float32),
            "unknown_depth": catch(tf.nn.dynamic_rnn, tf.nn.rnn_cell.BasicRNNCell(2),
                                   tf.placeholder(tf.float32, [2, 3, None]), dtype=tf.float32, scope="u"),
            "lengths_matrix": catch(tf.nn.dynamic_rnn, tf.nn.rnn_cell.BasicRNNCell(2), x, dtype=tf.float32,
                                    sequence_length=[[1, 2]], scope="m")}


def case_scopes(tf):
    """A second dynamic_rnn in scope "rnn" fails (its variables exist); another scope works;
    every variable is made outside the loop (no "while" in its name)."""
    _control_flow_v1(tf)
    x = tf.constant(XB.astype("float32"))
    o1, _ = tf.nn.dynamic_rnn(tf.nn.rnn_cell.BasicLSTMCell(3), x, dtype=tf.float32)
    again = catch(tf.nn.dynamic_rnn, tf.nn.rnn_cell.BasicLSTMCell(3), x, dtype=tf.float32)
    o2, _ = tf.nn.dynamic_rnn(tf.nn.rnn_cell.GRUCell(2), x, dtype=tf.float32, scope="decoder")
    with tf.variable_scope("outer"):
        o3, _ = tf.nn.dynamic_rnn(tf.nn.rnn_cell.BasicRNNCell(2), x, dtype=tf.float32)
    return {"variables": _variables(tf), "again": again, "outputs": [o1.name, o2.name, o3.name],
            "var_ops_outside_loop": sorted(v.op.name for v in tf.global_variables()
                                           if "while" not in v.op.name)}


# ---- cells a learner writes or wraps ----------------------------------------------------------------
def case_custom_cell(tf):
    """A subclass of RNNCell with tf.get_variable in `call` (the TF 1.x tutorials' way): its
    variables are made outside the loop, its ops run inside."""
    _control_flow_v1(tf)

    class MyCell(tf.nn.rnn_cell.RNNCell):
        def __init__(self, n):
            super(MyCell, self).__init__()
            self._n = n

        @property
        def state_size(self):
            return self._n

        @property
        def output_size(self):
            return self._n

        def call(self, inputs, state):
            w = tf.get_variable("w", [inputs.get_shape()[1], self._n])
            u = tf.get_variable("u", [self._n, self._n])
            h = tf.tanh(tf.matmul(inputs, w) + tf.matmul(state, u))
            return h, h

    x = tf.constant(XB.astype("float32"))
    outputs, state = tf.nn.dynamic_rnn(MyCell(2), x, dtype=tf.float32)
    return {"values": _set_and_run(tf, [outputs, state]), "variables": _variables(tf),
            "names": [outputs.name, state.name],
            "variables_outside_loop": all("while" not in v.op.name for v in tf.global_variables()),
            "cell_nodes": _cell_nodes(tf, "rnn/while/rnn/my_cell/")}


def case_dropout_wrapper(tf):
    """Keep probabilities fed 1.0 give the plain values; output_keep_prob=0.5 zeros or doubles."""
    _control_flow_v1(tf)
    keep = tf.placeholder(tf.float32, [], name="keep_prob")
    x = tf.constant(XB.astype("float32"))
    cell = tf.nn.rnn_cell.DropoutWrapper(tf.nn.rnn_cell.BasicLSTMCell(3), input_keep_prob=keep,
                                         output_keep_prob=keep, state_keep_prob=keep)
    outputs, state = tf.nn.dynamic_rnn(cell, x, dtype=tf.float32)
    plain_cell = tf.nn.rnn_cell.GRUCell(3)
    plain, _ = tf.nn.dynamic_rnn(plain_cell, x, dtype=tf.float32, scope="g")
    dropped, _ = tf.nn.dynamic_rnn(tf.nn.rnn_cell.DropoutWrapper(plain_cell, output_keep_prob=0.5, seed=3),
                                   x, dtype=tf.float32, scope="g")
    values, p, d = _set_and_run(tf, [[outputs, state], plain, dropped], {keep: 1.0})
    p, d = np.array(p), np.array(d)
    return {"values": values, "zero_or_double": bool(np.all(np.isclose(d, 0) | np.isclose(d, 2 * p))),
            "variables": _variables(tf)}


def case_bidirectional_time_major_lengths(tf):
    _control_flow_v1(tf)
    lengths = tf.placeholder(tf.int32, [None], name="lengths")
    x = tf.constant(X.astype("float32"))  # [time, batch, depth]
    (fw, bw), (s_fw, s_bw) = tf.nn.bidirectional_dynamic_rnn(
        tf.nn.rnn_cell.BasicRNNCell(2), tf.nn.rnn_cell.BasicRNNCell(2), x, dtype=tf.float32,
        sequence_length=lengths, time_major=True, scope="bi")
    return {"values": _set_and_run(tf, [fw, bw, s_fw, s_bw], {lengths: [1, 3]}),
            "names": [t.name for t in [fw, bw, s_fw, s_bw]], "variables": _variables(tf)}


# ---- tf.Assert (dynamic_rnn checks the lengths with one) ----------------------------------------------
def case_assert(tf):
    _control_flow_v1(tf)
    ok = tf.placeholder(tf.bool, [], name="ok")
    n = tf.placeholder(tf.int32, [None], name="n")
    plain = tf.Assert(ok, ["n is", n, tf.shape(n)], name="check")
    guarded = tf.Assert(ok, [tf.constant([1.5, 2.0, 3.0, 4.0, 5.0]), "hi"], summarize=2)
    with tf.control_dependencies([plain]):
        y = tf.identity(n)
    with tf.control_dependencies([guarded]):
        z = tf.identity(n)
    x = tf.constant(XB.astype("float32"))
    lengths = tf.placeholder(tf.int32, [None], name="lengths")
    outputs, _ = tf.nn.dynamic_rnn(tf.nn.rnn_cell.BasicRNNCell(2), x, dtype=tf.float32, sequence_length=lengths)
    ops = tf.get_default_graph().get_operations()

    def run(fetch, feed):
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            try:
                return sess.run(fetch, feed)
            except tf.errors.InvalidArgumentError as e:
                return {"error": type(e).__name__, "message": e.message.split("\n")[-2 if "Graph execution" in
                                                                                 e.message else 0]}
    return {"names": sorted([o.name, o.type] for o in ops if "Assert" in o.name or "AssertGuard" in o.name
                            or o.name == "rnn/CheckSeqLen"),
            "pass": run([y, z], {ok: True, n: [1, 2]}),
            "fail_plain": run(y, {ok: False, n: [1, 2, 3, 4]}),
            "fail_guarded": run(z, {ok: False, n: [1]}),
            "not_fetched": run(n, {ok: False, n: [1]}),
            "lengths_wrong": run(outputs, {lengths: [1, 2, 3]}),
            "plain_type": plain.type, "guarded_type": guarded.type}
