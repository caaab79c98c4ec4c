"""Cases for recurrent networks: tf.nn.rnn_cell's cells, static_rnn, sequence_loss (issue #25).

Each `case_<name>(tf)` builds on the (already reset) default graph and returns plain data; the
expected results come from real TensorFlow (tests/fixtures/make_fixtures.py rnn_cases).
The cells' weights are set by tf.assign to fixed values, so values do not depend on the
random initializers. Op names are compared without the `Const` nodes and the variables'
initializer ops: TF 1.15's tf.split makes a Const for its number of pieces (tfteach keeps TF1's
naming there) while TF 2.21's does not, which shifts the Const_N counters.
"""
import numpy as np

from cases.harness import catch

X = np.array([[[0.5, -1.0, 0.25, 2.0], [1.5, 0.5, -0.5, 0.0]],
              [[-0.75, 0.3, 1.0, -1.2], [0.2, -0.4, 0.6, 0.8]],
              [[1.1, 0.0, -0.3, 0.45], [-1.0, 1.0, 0.5, -0.5]]])  # [time, batch, depth]


def _weights(shape, k):
    n = int(np.prod(shape))
    return (0.5 * np.sin(np.arange(n) * 0.37 + k)).reshape(shape)


def _inputs(tf, dtype="float32", steps=3):
    return [tf.constant(X[t].astype(dtype), name="x%d" % t) for t in range(steps)]


def _set_and_run(tf, fetches, feed=None):
    """Initialize, assign the fixed weights to every trainable variable (by sorted name), run."""
    vars_ = sorted(tf.trainable_variables(), key=lambda v: v.name)
    assigns = [tf.assign(v, _weights(v.get_shape().as_list(), k).astype(v.dtype.base_dtype.name))
               for k, v in enumerate(vars_)]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(assigns)
        return sess.run(fetches, feed_dict=feed)


def _variables(tf):
    return [[v.name, v.get_shape().as_list()] for v in tf.global_variables()]


def _op_names(tf):
    """The graph's op names, without Const nodes and the variables' own ops."""
    var_ops = [v.op.name for v in tf.global_variables()]
    return [o.name for o in tf.get_default_graph().get_operations()
            if o.type != "Const" and not any(o.name == n or o.name.startswith(n + "/") for n in var_ops)]


def _run_cell(tf, cell, steps=3, dtype="float32", **kwargs):
    outputs, state = tf.nn.static_rnn(cell, _inputs(tf, dtype, steps), dtype=getattr(tf, dtype), **kwargs)
    names = _op_names(tf)
    variables = _variables(tf)
    values = _set_and_run(tf, {"outputs": outputs, "state": state})
    return {"values": values, "variables": variables, "ops": names,
            "output_names": [o.name for o in outputs],
            "state_shapes": [t.get_shape().as_list() for t in _flat(state)]}


def _flat(s):
    if isinstance(s, (tuple, list)):
        return [leaf for part in s for leaf in _flat(part)]
    return [s]


# ---- the cells over three steps: values, variable names, op names -------------------------
def case_basic_rnn_cell(tf):
    return _run_cell(tf, tf.nn.rnn_cell.BasicRNNCell(3))


def case_basic_lstm_cell(tf):
    return _run_cell(tf, tf.nn.rnn_cell.BasicLSTMCell(3))


def case_basic_lstm_cell_forget_bias_and_concat_state(tf):
    cell = tf.nn.rnn_cell.BasicLSTMCell(3, forget_bias=0.5, state_is_tuple=False)
    out = _run_cell(tf, cell)
    out["state_size"] = cell.state_size
    return out


def case_gru_cell(tf):
    return _run_cell(tf, tf.nn.rnn_cell.GRUCell(3))


def case_lstm_cell(tf):
    return _run_cell(tf, tf.nn.rnn_cell.LSTMCell(3))


def case_lstm_cell_projection_peepholes_clip(tf):
    cell = tf.nn.rnn_cell.LSTMCell(4, use_peepholes=True, num_proj=2, cell_clip=0.6, proj_clip=0.3)
    out = _run_cell(tf, cell)
    out["sizes"] = [list(cell.state_size), cell.output_size]
    return out


def case_multi_rnn_cell(tf):
    cell = tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.BasicLSTMCell(3), tf.nn.rnn_cell.GRUCell(2)])
    out = _run_cell(tf, cell)
    out["sizes"] = [[list(cell.state_size[0]), cell.state_size[1]], cell.output_size]
    return out


def case_multi_rnn_cell_concat_state(tf):
    cell = tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.BasicRNNCell(3), tf.nn.rnn_cell.BasicRNNCell(2)],
                                       state_is_tuple=False)
    out = _run_cell(tf, cell)
    out["sizes"] = [cell.state_size, cell.output_size]
    return out


def case_lstm_float64_named_scope(tf):
    cell = tf.nn.rnn_cell.BasicLSTMCell(2)
    return _run_cell(tf, cell, dtype="float64", scope="encoder")


def case_dropout_wrapper_keep_one(tf):
    """Keep probabilities fed 1.0 (a placeholder, as labs do at test time): the plain values."""
    keep = tf.placeholder(tf.float32, [], name="keep_prob")
    cell = tf.nn.rnn_cell.DropoutWrapper(tf.nn.rnn_cell.BasicLSTMCell(3), input_keep_prob=keep,
                                         output_keep_prob=keep, state_keep_prob=keep)
    outputs, state = tf.nn.static_rnn(cell, _inputs(tf), dtype=tf.float32)
    return {"values": _set_and_run(tf, [outputs, state], {keep: 1.0}), "variables": _variables(tf),
            "sizes": [list(cell.state_size), cell.output_size]}


def case_dropout_wrapper_drops(tf):
    """output_keep_prob=0.5: every output is 0 or twice the undropped one."""
    cell = tf.nn.rnn_cell.BasicRNNCell(3)
    plain, _ = tf.nn.static_rnn(cell, _inputs(tf), dtype=tf.float32)
    wrapped = tf.nn.rnn_cell.DropoutWrapper(cell, output_keep_prob=0.5, seed=3)
    dropped, _ = tf.nn.static_rnn(wrapped, _inputs(tf), dtype=tf.float32)  # the built cell reuses
    p, d = _set_and_run(tf, [plain, dropped])
    p, d = np.array(p), np.array(d)
    ok = bool(np.all(np.isclose(d, 0) | np.isclose(d, 2 * p)))
    return {"zero_or_double": ok, "variables": _variables(tf)}


def case_sequence_length(tf):
    """Rows past their length: zero outputs, the state of their last step."""
    cell = tf.nn.rnn_cell.BasicLSTMCell(3)
    lengths = tf.placeholder(tf.int32, [None], name="lengths")
    outputs, state = tf.nn.static_rnn(cell, _inputs(tf), dtype=tf.float32, sequence_length=lengths)
    return {"full": _set_and_run(tf, [outputs, state], {lengths: [3, 3]}),
            "short": _set_and_run(tf, [outputs, state], {lengths: [1, 2]}),
            "shapes": [o.get_shape().as_list() for o in outputs]}


def case_initial_state_and_unknown_batch(tf):
    cell = tf.nn.rnn_cell.GRUCell(3)
    xs = [tf.placeholder(tf.float32, [None, 4], name="in%d" % t) for t in range(2)]
    h0 = tf.placeholder(tf.float32, [None, 3], name="h0")
    outputs, state = tf.nn.static_rnn(cell, xs, initial_state=h0)
    feed = {xs[0]: X[0].astype("float32"), xs[1]: X[1].astype("float32"),
            h0: np.array([[0.1, -0.2, 0.3], [0.0, 0.5, -0.5]], "float32")}
    return {"values": _set_and_run(tf, [outputs, state], feed),
            "shape": state.get_shape().as_list()}


def case_zero_state(tf):
    lstm = tf.nn.rnn_cell.BasicLSTMCell(3)
    multi = tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.BasicRNNCell(2), tf.nn.rnn_cell.LSTMCell(4, num_proj=1)])
    z1 = lstm.zero_state(5, tf.float32)
    z2 = multi.zero_state(2, tf.float64)
    with tf.Session() as sess:
        values = sess.run([z1, z2])
    return {"values": values, "types": [type(z1).__name__, type(z2).__name__, type(z2[1]).__name__],
            "dtypes": [t.dtype.name for t in _flat([z1, z2])]}


def case_bidirectional(tf):
    outputs, fw, bw = tf.nn.static_bidirectional_rnn(tf.nn.rnn_cell.BasicRNNCell(2),
                                                     tf.nn.rnn_cell.GRUCell(3), _inputs(tf),
                                                     dtype=tf.float32)
    variables = _variables(tf)
    return {"values": _set_and_run(tf, [outputs, fw, bw]), "variables": variables,
            "shapes": [o.get_shape().as_list() for o in outputs]}


def case_cell_called_directly_twice(tf):
    """A cell called by hand: variables made once, ops of the second call in the same scope."""
    cell = tf.nn.rnn_cell.BasicRNNCell(2)
    x = _inputs(tf)
    state = cell.zero_state(2, tf.float32)
    out1, state = cell(x[0], state)
    out2, state = cell(x[1], state)
    return {"names": [out1.name, out2.name], "variables": _variables(tf),
            "values": _set_and_run(tf, [out1, out2])}


# ---- gradients through the unrolled graph ------------------------------------------------------
def _grads(tf, cell, dtype="float32"):
    xs = _inputs(tf, dtype)
    outputs, state = tf.nn.static_rnn(cell, xs, dtype=getattr(tf, dtype))
    weights = tf.constant(_weights([2, cell.output_size], 7).astype(dtype))
    loss = tf.add_n([tf.reduce_sum(o * weights) for o in outputs])
    variables = sorted(tf.trainable_variables(), key=lambda v: v.name)
    grads = tf.gradients(loss, xs + variables)
    return _set_and_run(tf, grads)


def case_grad_basic_lstm(tf):
    return _grads(tf, tf.nn.rnn_cell.BasicLSTMCell(3))


def case_grad_gru(tf):
    return _grads(tf, tf.nn.rnn_cell.GRUCell(3))


def case_grad_lstm_peepholes_projection(tf):
    return _grads(tf, tf.nn.rnn_cell.LSTMCell(3, use_peepholes=True, num_proj=2))


def case_grad_multi(tf):
    return _grads(tf, tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.BasicRNNCell(3),
                                                   tf.nn.rnn_cell.BasicLSTMCell(2)]))


# ---- errors -------------------------------------------------------------------------------------
def case_errors(tf):
    cell = tf.nn.rnn_cell.BasicRNNCell(2)
    x = _inputs(tf)
    return {"no_dtype": catch(tf.nn.static_rnn, cell, x),
            "not_a_list": catch(tf.nn.static_rnn, cell, x[0], dtype=tf.float32),
            "empty": catch(tf.nn.static_rnn, cell, [], dtype=tf.float32),
            "not_a_cell": catch(tf.nn.static_rnn, "cell", x, dtype=tf.float32),
            "no_cells": catch(tf.nn.rnn_cell.MultiRNNCell, []),
            "int_inputs": catch(tf.nn.static_rnn, tf.nn.rnn_cell.BasicRNNCell(2),
                                [tf.constant([[1, 2]])], dtype=tf.float32),
            "unknown_depth": catch(tf.nn.static_rnn, tf.nn.rnn_cell.BasicRNNCell(2),
                                   [tf.placeholder(tf.float32, [2, None])], dtype=tf.float32)}


# ---- sequence_loss ---------------------------------------------------------------------------
LOGITS = (np.sin(np.arange(2 * 3 * 5) * 0.7) * 2).reshape(2, 3, 5)
TARGETS = np.array([[1, 4, 0], [2, 2, 3]])
SEQ_WEIGHTS = np.array([[1.0, 1.0, 0.0], [1.0, 0.5, 1.0]])


def _sequence_loss_tf115(tf, logits, targets, weights, average_across_timesteps=True,
                         average_across_batch=True, sum_over_timesteps=False, sum_over_batch=False):
    """TF 1.15's contrib/seq2seq/python/ops/loss.py, for the oracle (TF 2.x has no contrib)."""
    with tf.name_scope("sequence_loss"):
        num_classes = tf.shape(logits)[2]
        crossent = tf.nn.sparse_softmax_cross_entropy_with_logits(
            labels=tf.reshape(targets, [-1]), logits=tf.reshape(logits, [-1, num_classes]))
        crossent *= tf.reshape(weights, [-1])
        if average_across_timesteps and average_across_batch:
            return tf.div_no_nan(tf.reduce_sum(crossent), tf.reduce_sum(weights))
        if sum_over_timesteps and sum_over_batch:
            return tf.div_no_nan(tf.reduce_sum(crossent), tf.cast(tf.count_nonzero(weights), tf.float32))
        crossent = tf.reshape(crossent, tf.shape(logits)[0:2])
        if average_across_timesteps or average_across_batch:
            axis = [0] if average_across_batch else [1]
            return tf.div_no_nan(tf.reduce_sum(crossent, axis=axis), tf.reduce_sum(weights, axis=axis))
        if sum_over_timesteps or sum_over_batch:
            axis = [0] if sum_over_batch else [1]
            return tf.div_no_nan(tf.reduce_sum(crossent, axis=axis),
                                 tf.cast(tf.count_nonzero(weights, axis=axis), tf.float32))
        return crossent


def case_sequence_loss(tf):
    contrib = getattr(tf, "contrib", None)
    loss_fn = contrib.seq2seq.sequence_loss if contrib is not None else None
    if loss_fn is None:
        def loss_fn(*args, **kwargs):
            return _sequence_loss_tf115(tf, *args, **kwargs)
    logits = tf.constant(LOGITS.astype("float32"))
    targets = tf.constant(TARGETS.astype("int32"))
    weights = tf.constant(SEQ_WEIGHTS.astype("float32"))
    modes = {"mean": {}, "per_step": dict(average_across_timesteps=False),
             "per_example": dict(average_across_batch=False),
             "each": dict(average_across_timesteps=False, average_across_batch=False),
             "sum_steps": dict(average_across_timesteps=False, sum_over_timesteps=True),
             "sum_all": dict(average_across_timesteps=False, average_across_batch=False,
                             sum_over_timesteps=True, sum_over_batch=True)}
    losses = {k: loss_fn(logits, targets, weights, **kw) for k, kw in modes.items()}
    grad = tf.gradients(losses["mean"], logits)[0]
    with tf.Session() as sess:
        values = sess.run({"losses": losses, "grad": grad})
    values["shapes"] = {k: v.get_shape().as_list() for k, v in losses.items()}
    return values


# ---- scopes: where variables and ops go -----------------------------------------------------------
def case_scopes_and_names(tf):
    x = _inputs(tf, steps=2)
    o1, _ = tf.nn.static_rnn(tf.nn.rnn_cell.BasicLSTMCell(3), x, dtype=tf.float32)
    o2, _ = tf.nn.static_rnn(tf.nn.rnn_cell.BasicLSTMCell(3), x, dtype=tf.float32, scope="rnn2")
    o3, _ = tf.nn.static_rnn(tf.nn.rnn_cell.GRUCell(3, name="my_gru"), x, dtype=tf.float32)
    cell = tf.nn.rnn_cell.BasicRNNCell(2)
    o4, _ = cell(x[0], cell.zero_state(2, tf.float32), scope="manual")
    o5, _ = cell(x[1], o4)
    with tf.variable_scope("outer"):
        o6, _ = tf.nn.static_rnn(tf.nn.rnn_cell.BasicRNNCell(3), x, dtype=tf.float32)
    again = catch(tf.nn.static_rnn, tf.nn.rnn_cell.BasicLSTMCell(3), x, dtype=tf.float32)
    wrapped = tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.DropoutWrapper(tf.nn.rnn_cell.GRUCell(2),
                                                                         output_keep_prob=0.9)
                                           for _ in range(2)])
    o7, _ = tf.nn.static_rnn(wrapped, x, dtype=tf.float32, scope="stack")
    return {"variables": _variables(tf), "again": again,
            "outputs": [o1[-1].name, o2[-1].name, o3[-1].name, o4.name, o5.name, o6[-1].name]}


def case_sequence_length_multi_gru(tf):
    cell = tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.GRUCell(3), tf.nn.rnn_cell.BasicLSTMCell(2)])
    outputs, state = tf.nn.static_rnn(cell, _inputs(tf), dtype=tf.float32, sequence_length=[2, 0])
    return {"values": _set_and_run(tf, [outputs, state]),
            "shapes": [t.get_shape().as_list() for t in outputs + _flat(state)]}


# ---- a learner's own cell: subclassing RNNCell ----------------------------------------------------
def case_custom_cells(tf):
    """A subclass with `call` and tf.get_variable (the TF 1.x tutorials' way), and an old-style one
    that overrides __call__ with its own variable scope (and skips RNNCell.__init__)."""
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

    class OldCell(tf.nn.rnn_cell.RNNCell):
        def __init__(self, n):
            self._n = n

        @property
        def state_size(self):
            return self._n

        @property
        def output_size(self):
            return self._n

        def __call__(self, inputs, state, scope=None):
            with tf.variable_scope(scope or "old_cell"):
                w = tf.get_variable("w", [inputs.get_shape()[1], self._n])
                h = tf.tanh(tf.matmul(inputs, w) + state)
            return h, h

    x = _inputs(tf)
    o1, s1 = tf.nn.static_rnn(MyCell(2), x, dtype=tf.float32)
    o2, s2 = tf.nn.static_rnn(OldCell(2), x, dtype=tf.float32, scope="old")
    names = [o.name for o in o1 + o2]
    variables = _variables(tf)
    return {"names": names, "variables": variables, "values": _set_and_run(tf, [o1, s1, o2, s2])}


def case_residual_wrapper(tf):
    """inputs + outputs, for a cell whose output size is the input depth (4), inside a stack."""
    cell = tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.ResidualWrapper(tf.nn.rnn_cell.GRUCell(4)),
                                        tf.nn.rnn_cell.ResidualWrapper(tf.nn.rnn_cell.BasicLSTMCell(4))])
    out = _run_cell(tf, cell)
    wrong = catch(tf.nn.static_rnn, tf.nn.rnn_cell.ResidualWrapper(tf.nn.rnn_cell.BasicRNNCell(3)),
                  _inputs(tf), dtype=tf.float32, scope="wrong")
    return {"run": out, "wrong_size": wrong}


def case_bidirectional_sequence_length(tf):
    """The backward cell reads each row's first `length` steps reversed; outputs back in order."""
    lengths = tf.placeholder(tf.int32, [None], name="lengths")
    outputs, fw, bw = tf.nn.static_bidirectional_rnn(tf.nn.rnn_cell.GRUCell(2), tf.nn.rnn_cell.BasicLSTMCell(2),
                                                     _inputs(tf), dtype=tf.float32, sequence_length=lengths)
    return {"short": _set_and_run(tf, [outputs, fw, bw], {lengths: [2, 1]}),
            "full": _set_and_run(tf, [outputs, fw, bw], {lengths: [3, 3]}),
            "none": _set_and_run(tf, [outputs, fw, bw], {lengths: [0, 3]}),
            "shapes": [o.get_shape().as_list() for o in outputs]}
