"""Recurrent cells and static_rnn (issue #25) beyond the TF fixtures (tests/cases/rnn_cases.py):
gradients against float64 central differences, checkpoints that move between tfteach and
TensorFlow, the digits LSTM program next to TensorFlow's run, and the namespaces."""
import json
import os
import subprocess

import numpy as np
import pytest

import tfteach as tf
import rnn_programs

FIXTURES = os.path.join(os.path.dirname(__file__), "fixtures")
TF_PYTHON = os.environ.get("TFTEACH_TF_PYTHON", "/opt/tfvenv/bin/python")


@pytest.fixture(autouse=True)
def fresh_graph():
    tf.reset_default_graph()
    yield
    tf.reset_default_graph()


# ---- gradients: tf.gradients through the unrolled graph against central differences ----------
CELLS = {
    "basic_rnn": lambda: tf.nn.rnn_cell.BasicRNNCell(3),
    "basic_lstm": lambda: tf.nn.rnn_cell.BasicLSTMCell(3, forget_bias=0.5),
    "basic_lstm_concat_state": lambda: tf.nn.rnn_cell.BasicLSTMCell(2, state_is_tuple=False),
    "gru": lambda: tf.nn.rnn_cell.GRUCell(3),
    "lstm_peepholes_projection": lambda: tf.nn.rnn_cell.LSTMCell(3, use_peepholes=True, num_proj=2),
    "multi": lambda: tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.GRUCell(2), tf.nn.rnn_cell.BasicLSTMCell(3)]),
}


def _flat(s):
    return [leaf for part in s for leaf in _flat(part)] if isinstance(s, (tuple, list)) else [s]


@pytest.mark.parametrize("name", sorted(CELLS))
def test_cell_gradients_match_central_differences(name):
    """d(loss)/d(every input, the initial state, every variable) along random directions, float64."""
    rng = np.random.RandomState(0)
    cell = CELLS[name]()
    xs = [tf.placeholder(tf.float64, [2, 4], name="x%d" % t) for t in range(3)]
    zero = cell.zero_state(2, tf.float64)
    h0 = [tf.placeholder(tf.float64, z.get_shape().as_list(), name="h0_%d" % i) for i, z in enumerate(_flat(zero))]
    initial = rnn_programs_pack(zero, h0)
    outputs, state = tf.nn.static_rnn(cell, xs, initial_state=initial)
    ends = outputs + _flat(state)
    weights = [rng.standard_normal(t.get_shape().as_list()) for t in ends]
    loss = tf.add_n([tf.reduce_sum(t * w) for t, w in zip(ends, weights)])
    variables = tf.trainable_variables()
    assert variables and all(v.dtype.base_dtype == tf.float64 for v in variables)
    grads = tf.gradients(loss, xs + h0 + variables)
    assert all(g is not None for g in grads)
    slots = [tf.placeholder(tf.float64, v.get_shape().as_list()) for v in variables]
    loads = [tf.assign(v, s) for v, s in zip(variables, slots)]
    feed = {t: rng.standard_normal(t.get_shape().as_list()) for t in xs + h0}
    var_values = [0.5 * rng.standard_normal(v.get_shape().as_list()) for v in variables]
    with tf.Session() as sess:
        def set_vars(values):
            sess.run(loads, dict(zip(slots, values)))
        set_vars(var_values)
        symbolic = sess.run(grads, feed)
        eps = 1e-6
        for i, target in enumerate(xs + h0 + variables):
            direction = rng.standard_normal(target.get_shape().as_list())
            sides = []
            for sign in (1, -1):
                if i < len(xs) + len(h0):
                    f = dict(feed)
                    f[target] = feed[target] + sign * eps * direction
                    sides.append(sess.run(loss, f))
                else:
                    k = i - len(xs) - len(h0)
                    set_vars([v + sign * eps * direction if j == k else v for j, v in enumerate(var_values)])
                    sides.append(sess.run(loss, feed))
                    set_vars(var_values)
            numeric = (sides[0] - sides[1]) / (2 * eps)
            got = float(np.sum(symbolic[i] * direction))
            assert got == pytest.approx(numeric, rel=1e-5, abs=1e-7), f"{name}: gradient of {target.name}"


def rnn_programs_pack(structure, flat):
    from tfteach.rnn_cell import pack_sequence_as
    return pack_sequence_as(structure, flat)


# ---- behaviour the fixtures do not show ---------------------------------------------------------
def test_namespaces():
    assert tf.contrib.rnn.BasicLSTMCell is tf.nn.rnn_cell.BasicLSTMCell
    assert tf.contrib.rnn.static_rnn is tf.nn.static_rnn
    assert tf.contrib.rnn.LSTMStateTuple is tf.nn.rnn_cell.LSTMStateTuple
    assert callable(tf.contrib.seq2seq.sequence_loss)
    assert callable(tf.nn.dynamic_rnn) and callable(tf.nn.bidirectional_dynamic_rnn)  # tests/test_rnn_dynamic.py
    with pytest.raises(AttributeError, match="tfteach does not implement tf.nn.raw_rnn"):
        tf.nn.raw_rnn


def test_dropout_wrapper_never_drops_the_lstm_memory():
    """state_keep_prob applies to h only: c passes through as the cell computed it."""
    x = [tf.constant(np.ones((4, 3), np.float32))]
    plain = tf.nn.rnn_cell.BasicLSTMCell(5)
    _, s_plain = tf.nn.static_rnn(plain, x, dtype=tf.float32)
    wrapped = tf.nn.rnn_cell.DropoutWrapper(plain, state_keep_prob=0.5, seed=1)
    _, s_drop = tf.nn.static_rnn(wrapped, x, dtype=tf.float32)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        a, b = sess.run([s_plain, s_drop])
    np.testing.assert_array_equal(a.c, b.c)
    assert np.all(np.isclose(b.h, 0) | np.isclose(b.h, 2 * a.h)) and not np.allclose(a.h, b.h)


def test_sequence_loss_rejects_wrong_ranks():
    logits = tf.zeros([2, 3, 5])
    with pytest.raises(ValueError, match="Logits must be a"):
        tf.contrib.seq2seq.sequence_loss(tf.zeros([6, 5]), tf.zeros([2, 3], tf.int32), tf.ones([2, 3]))
    with pytest.raises(ValueError, match="Targets must be a"):
        tf.contrib.seq2seq.sequence_loss(logits, tf.zeros([6], tf.int32), tf.ones([2, 3]))
    with pytest.raises(ValueError, match="cannot be set to True at same time"):
        tf.contrib.seq2seq.sequence_loss(logits, tf.zeros([2, 3], tf.int32), tf.ones([2, 3]),
                                         sum_over_timesteps=True)


def test_reusing_a_cell_scope_without_reuse_raises_as_tf():
    x = [tf.constant(np.ones((1, 2), np.float32))]
    tf.nn.static_rnn(tf.nn.rnn_cell.BasicRNNCell(2), x, dtype=tf.float32, scope="enc")
    with pytest.raises(ValueError, match="enc/basic_rnn_cell/kernel already exists"):
        tf.nn.static_rnn(tf.nn.rnn_cell.BasicRNNCell(2), x, dtype=tf.float32, scope="enc")


# ---- the digits LSTM next to TensorFlow's run ----------------------------------------------------
def test_digits_lstm_program_matches_tensorflow():
    """The program of tests/rnn_programs.py, 600 Adam steps, seed 0: TensorFlow 2.21 reached the
    accuracy and loss in fixtures/rnn_program.json (tests/fixtures/make_rnn_fixtures.py)."""
    with open(os.path.join(FIXTURES, "rnn_program.json")) as f:
        want = json.load(f)["digits_lstm"]
    got = rnn_programs.digits_lstm(tf, rnn_programs.load_digits(), steps=want["steps"], seed=want["seed"])
    assert got["variables"] == want["variables"]
    assert abs(got["accuracy"] - want["accuracy"]) <= 0.03, (got, want)
    assert abs(got["loss"] - want["loss"]) <= 0.10 * want["loss"], (got, want)
    assert got["accuracy"] >= 0.9


# ---- checkpoints both ways with real TensorFlow -----------------------------------------------
@pytest.mark.needs_tf
@pytest.mark.skipif(not os.path.exists(TF_PYTHON), reason=f"no TensorFlow python at {TF_PYTHON}")
def test_checkpoints_move_between_tfteach_and_tensorflow(tmp_path):
    tf.set_random_seed(3)
    outputs = rnn_programs.rnn_checkpoint_net(tf)
    variables = [[v.name, v.get_shape().as_list()] for v in tf.global_variables()]
    saver = tf.train.Saver()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        ours = sess.run(outputs)
        prefix = saver.save(sess, str(tmp_path / "ours" / "model"))
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps({"checkpoint": prefix, "save_to": str(tmp_path / "theirs" / "model")}))
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", TF_USE_LEGACY_KERAS="1")
    script = os.path.join(os.path.dirname(__file__), "tf_oracle_rnn.py")
    done = subprocess.run([TF_PYTHON, script, str(spec)], capture_output=True, text=True, timeout=300, env=env)
    assert done.returncode == 0, done.stderr[-3000:]
    got = json.loads(done.stdout.strip().splitlines()[-1])
    assert got["variables"] == variables  # the same names, shapes and order
    for i, (mine, theirs) in enumerate(zip(ours, got["restored"])):
        np.testing.assert_allclose(theirs, mine, rtol=1e-5, atol=1e-6, err_msg=f"output {i}")
    # and back: TF's checkpoint restores in tfteach and gives TF's values
    with tf.Session() as sess:
        saver.restore(sess, got["saved"])
        back = sess.run(outputs)
    for i, (mine, theirs) in enumerate(zip(back, got["theirs"])):
        np.testing.assert_allclose(mine, theirs, rtol=1e-5, atol=1e-6, err_msg=f"output {i}")
    assert not np.allclose(back[0], ours[0])  # TF's weights, not ours


def _directional_check(loss, targets, feed, sess, rng, eps=1e-6):
    """tf.gradients of loss along a random direction of each fed target, against central differences."""
    grads = sess.run(tf.gradients(loss, targets), feed)
    for target, g in zip(targets, grads):
        direction = rng.standard_normal(feed[target].shape)
        sides = []
        for sign in (1, -1):
            f = dict(feed)
            f[target] = feed[target] + sign * eps * direction
            sides.append(sess.run(loss, f))
        numeric = (sides[0] - sides[1]) / (2 * eps)
        assert float(np.sum(g * direction)) == pytest.approx(numeric, rel=1e-5, abs=1e-7), target.name


def test_bidirectional_with_lengths_gradients_match_central_differences():
    """The backward cell's reversal by length (a gather) passes gradients to the right steps."""
    rng = np.random.RandomState(1)
    xs = [tf.placeholder(tf.float64, [3, 2], name="x%d" % t) for t in range(4)]
    lengths = tf.constant([4, 2, 0])
    outputs, fw, bw = tf.nn.static_bidirectional_rnn(tf.nn.rnn_cell.GRUCell(2), tf.nn.rnn_cell.BasicLSTMCell(3),
                                                     xs, dtype=tf.float64, sequence_length=lengths)
    ends = outputs + [fw, bw.c, bw.h]
    loss = tf.add_n([tf.reduce_sum(t * rng.standard_normal(t.get_shape().as_list())) for t in ends])
    feed = {x: rng.standard_normal((3, 2)) for x in xs}
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        got = sess.run(outputs, feed)
        assert np.all(got[2][1] == 0) and np.all(got[0][2] == 0)  # past a row's length: zeros
        _directional_check(loss, xs, feed, sess, rng)


def test_sequence_loss_gradient_matches_central_differences():
    rng = np.random.RandomState(2)
    logits = tf.placeholder(tf.float64, [2, 3, 4])
    weights = tf.constant([[1.0, 0.5, 0.0], [1.0, 1.0, 2.0]], tf.float64)
    targets = tf.constant([[0, 3, 1], [2, 2, 1]])
    losses = [tf.contrib.seq2seq.sequence_loss(logits, targets, weights),
              tf.contrib.seq2seq.sequence_loss(logits, targets, weights, average_across_batch=False),
              tf.contrib.seq2seq.sequence_loss(logits, targets, weights, average_across_timesteps=False,
                                               average_across_batch=False)]
    loss = tf.add_n([tf.reduce_sum(l * rng.standard_normal(l.get_shape().as_list())) for l in losses])
    with tf.Session() as sess:
        _directional_check(loss, [logits], {logits: rng.standard_normal((2, 3, 4))}, sess, rng)


def test_a_3d_tensor_instead_of_a_list_says_to_unstack():
    x = tf.placeholder(tf.float32, [None, 8, 8])
    with pytest.raises(TypeError, match=r"must be a sequence.*tf.unstack\(x, axis=1\)"):
        tf.nn.static_rnn(tf.nn.rnn_cell.BasicLSTMCell(4), x, dtype=tf.float32)
