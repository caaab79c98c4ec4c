"""Backprop replay, engine side: the record, its order, its values, positions, words, export.

The seed neuron (seed 000: w = 0.8, x = 1.0, loss = (w·x − 0)², learning rate 0.025) gives the
numbers: output 0.8, loss 0.64, ∂loss/∂weight = 1.6, weight 0.8 → 0.76. No `dot` is needed here:
the drawing is checked as DOT text (tests/test_replay_view.py and test_replay_picture.py draw it).
"""
import json

import numpy as np
import pytest

import tfteach as tf
from tfteach.widgets import Replay, replay
from tfteach.widgets.replay import MAX_OP_STEPS
from tfteach.widgets.replay_rules import _num

f32 = np.float32
FORWARD = ["input", "weight/read", "output", "correct_value", "sub", "loss/y", "loss"]
UPDATE = ["GradientDescent/learning_rate", "GradientDescent/update_weight/ApplyGradientDescent",
          "GradientDescent"]


@pytest.fixture(autouse=True)
def fresh_graph():
    tf.reset_default_graph()
    yield
    tf.reset_default_graph()


def neuron():
    """Seed 000's graph, initialized: (session, train_step, loss, weight)."""
    x = tf.constant(1.0, name='input')
    w = tf.Variable(0.8, name='weight')
    y = tf.multiply(w, x, name='output')
    y_ = tf.constant(0.0, name='correct_value')
    loss = tf.pow(y - y_, 2, name='loss')
    train_step = tf.train.GradientDescentOptimizer(0.025).minimize(loss)
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    return sess, train_step, loss, w


def noisy_net():
    """A 2-layer net with seeded random initial values and a seeded random op in the forward
    pass (noise added to the input on every run)."""
    x = tf.constant([[0., 0.], [0., 1.], [1., 0.], [1., 1.]], name='x')
    y = tf.constant([[0.], [1.], [1.], [0.]], name='y')
    noisy = tf.add(x, 0.1 * tf.random_normal([4, 2], seed=7), name='noisy_x')
    w1 = tf.Variable(tf.random_normal([2, 3], seed=1), name='w1')
    b1 = tf.Variable(tf.zeros([3]), name='b1')
    w2 = tf.Variable(tf.random_uniform([3, 1], -1, 1, seed=2), name='w2')
    hidden = tf.sigmoid(tf.matmul(noisy, w1) + b1, name='hidden')
    loss = tf.reduce_mean(tf.square(tf.matmul(hidden, w2) - y), name='loss')
    return tf.train.GradientDescentOptimizer(0.5).minimize(loss), loss


# ---- the record ----------------------------------------------------------------------------
def test_neuron_steps_forward_then_gradients_then_update():
    sess, train_step, _, _ = neuron()
    r = replay(train_step, session=sess)
    names = [s.name for s in r.steps]
    phases = [s.phase for s in r.steps]
    assert names[:7] == FORWARD and set(phases[:7]) == {"forward"}
    assert names[-3:] == UPDATE and set(phases[-3:]) == {"update"}
    grads = r.steps[7:-3]
    assert grads and all(s.phase == "gradient" and s.op.gradient_of is not None for s in grads)
    assert [s.name for s in grads[:3]] == ["gradients/Shape", "gradients/Const", "gradients/Fill"]
    # the backward pass walks the forward ops in reverse: loss, sub, output
    owners = [s.op.gradient_of[0].name for s in grads if s.op.gradient_of[0] is not None]
    assert list(dict.fromkeys(owners)) == ["loss", "sub", "output"]
    # exactly the session's own record, in its order
    assert [op for op, _ in r.record] == [s.op for s in r.steps]
    assert r.group == "op" and len(r.positions) == len(r.steps) and r.note is None


def test_neuron_values_and_inputs():
    sess, train_step, _, _ = neuron()
    r = replay(train_step, session=sess)
    step = {s.name: s for s in r.steps}
    assert step["output"].outputs == [f32(0.8)]
    assert [v for _, v in step["output"].inputs] == [f32(0.8), f32(1.0)]
    assert step["loss"].outputs[0] == f32(0.8) * f32(0.8)
    apply = step[UPDATE[1]]
    assert [v for _, v in apply.inputs] == [f32(0.8), f32(0.025), f32(1.6)]  # before, η, grad
    assert apply.outputs[0] == f32(0.76)
    assert step["weight/read"].inputs[0][1] == f32(0.8)
    assert sess.run("weight:0") == f32(0.76)  # the run was real: one training step


def test_recorded_values_equal_plain_runs_in_fresh_sessions():
    """Every recorded value is what a plain sess.run of that tensor returns in a fresh session
    from the same seeds (random ops draw new numbers on each run of one session, as in TF1)."""
    tf.set_random_seed(3)
    train_step, _ = noisy_net()
    init = tf.global_variables_initializer()
    sess = tf.Session()
    sess.run(init)
    r = replay(train_step, session=sess)
    assert any(s.type == "RandomStandardNormal" for s in r.steps)
    checked = 0
    for s in r.steps:
        if not s.op.outputs:
            continue
        fresh = tf.Session()
        fresh.run(init)
        for got, want in zip(s.outputs, fresh.run(s.op.outputs)):
            np.testing.assert_array_equal(np.asarray(got), np.asarray(want), err_msg=s.name)
        checked += 1
    assert checked > 40
    again = replay(train_step, session=sess)  # the same session draws new noise
    noise = [s for s in again.steps if s.type == "RandomStandardNormal"][0]
    assert not np.array_equal(noise.outputs[0], [s for s in r.steps if s.name == noise.name][0].outputs[0])


@pytest.mark.parametrize("graph", ["neuron", "noisy_net"])
def test_variables_after_replay_equal_one_plain_step(graph):
    tf.set_random_seed(5)
    if graph == "neuron":
        _, train_step, _, _ = neuron()
    else:
        train_step, _ = noisy_net()
    variables = tf.global_variables()
    init = tf.global_variables_initializer()
    replayed, plain = tf.Session(), tf.Session()
    replayed.run(init)
    plain.run(init)
    np.testing.assert_array_equal(replayed.run(variables[0]), plain.run(variables[0]))
    replay(train_step, session=replayed)
    plain.run(train_step)
    for v, a, b in zip(variables, replayed.run(variables), plain.run(variables)):
        np.testing.assert_array_equal(a, b, err_msg=v.name)


# ---- positions: highlight and greyed-out ----------------------------------------------------
def test_highlight_and_greyed_at_first_middle_last():
    sess, train_step, _, _ = neuron()
    r = replay(train_step, session=sess)
    drawn = {op.name for op in r.ops}
    assert {"weight", "input", "GradientDescent"} <= drawn and "weight/Assign" not in drawn

    assert r.position == 0
    assert r.highlighted() == {"input"}
    assert r.greyed() == drawn - {"input", "weight"}   # the variable holds a value already
    assert r.phase() == "forward"

    middle = [s.name for s in r.steps].index("gradients/output_grad/mul")
    r.go(middle)
    assert r.highlighted() == {"gradients/output_grad/mul"}
    ran = {s.name for s in r.steps[:middle + 1]}
    assert r.executed() == ran
    assert r.greyed() == drawn - ran - {"weight"}
    assert {"gradients/output_grad/Sum", UPDATE[1]} <= r.greyed()
    assert not {"loss", "gradients/loss_grad/mul_1", "gradients/output_grad/mul"} & r.greyed()
    assert r.phase() == "gradient"

    r.go(len(r.positions) - 1)
    assert r.highlighted() == {"GradientDescent"}
    assert r.greyed() == set()   # everything drawn ran (the drawing is what the fetch needs)
    assert r.phase() == "update"


def _node_line(dot, node_id):
    return next(line for line in dot.splitlines() if line.strip().startswith(f'"{node_id}" [label'))


def test_dot_of_a_position_shows_highlight_grey_and_arithmetic():
    sess, train_step, _, _ = neuron()
    r = replay(train_step, session=sess)
    first = r.dot(0)
    assert 'fillcolor="#f3f3f3"' in _node_line(first, "output")     # not run yet: greyed
    assert 'fontcolor="#ababab"' in _node_line(first, "output")
    assert 'fillcolor="#f3f3f3"' not in _node_line(first, "input")
    assert "step 1 of 59 · forward" in first and "input = 1.0 (a constant)" in first
    assert first.rstrip().endswith("}")
    middle = r.dot([s.name for s in r.steps].index("gradients/output_grad/tuple/control_dependency"))
    # depth=1: output's `_grad` box is one node, highlighted, with the chain rule beside it
    node = _node_line(middle, "gradients/output_grad/")
    assert 'color="#d62728"' in node and 'penwidth=3' in node and "xlabel=<" in node
    assert "∂loss/∂weight = 1.6 × 1.0 = 1.6" in node
    assert "d(weight × input)/d(weight) = input = 1.0" in middle
    last = r.dot(len(r.positions) - 1)
    assert "#f3f3f3" not in last
    assert "updated: 0.8 → 0.76" in _node_line(last, "weight")   # beside the variable


# ---- the words ---------------------------------------------------------------------------------
def test_neuron_arithmetic_by_scope():
    sess, train_step, _, _ = neuron()
    r = replay(train_step, session=sess, group="scope")
    assert r.group == "scope" and len(r.positions) == 9
    text = [r.explain(k) for k in range(len(r.positions))]
    assert text[0][-1] == "output = weight × input = 0.8 × 1.0 = 0.8"
    assert text[1][-1] == "sub = output − correct_value = 0.8 − 0.0 = 0.8"
    assert text[2][-1] == "loss = sub ^ 2.0 = 0.8 ^ 2.0 = 0.64"
    assert text[3] == ["∂loss/∂loss = 1.0: backprop starts with 1 at loss"]
    assert text[4] == ["backprop through loss = sub ^ 2.0",
                       "d(sub ^ 2.0)/d(sub) = 2.0·sub^(2.0 − 1) = 2.0·0.8^(2.0 − 1) = 1.6",
                       "∂loss/∂sub = ∂loss/∂loss × d(loss)/d(sub) = 1.0 × 1.6 = 1.6"]
    assert text[5] == ["backprop through sub = output − correct_value",
                       "d(output − correct_value)/d(output) = 1",
                       "∂loss/∂output = ∂loss/∂sub × d(sub)/d(output) = 1.6 × 1.0 = 1.6"]
    assert text[6] == ["backprop through output = weight × input",
                       "d(weight × input)/d(weight) = input = 1.0",
                       "∂loss/∂weight = ∂loss/∂output × d(output)/d(weight) = 1.6 × 1.0 = 1.6"]
    assert text[7][1:] == ["weight ← weight − η·∂loss/∂weight = 0.8 − 0.025·1.6 = 0.76",
                           "weight: 0.8 → 0.76"]
    assert r.highlighted(6) == {s.name for s in r.steps if s.op.gradient_of is not None
                                and s.op.gradient_of[0] is not None
                                and s.op.gradient_of[0].name == "output"}
    assert r.label(6) == "step 7 of 9 · gradient (ops 46–56 of 59)"


def test_unused_gradient_work_is_named():
    sess, train_step, _, _ = neuron()
    r = replay(train_step, session=sess)
    lines = {s.name: s.lines for s in r.steps}
    assert lines["gradients/loss_grad/Log"][-1] == "(toward ∂loss/∂(loss/y), which nothing uses)"
    assert lines["gradients/output_grad/mul_1"][-1] == "(toward ∂loss/∂input, which nothing uses)"
    assert lines["gradients/output_grad/mul"][1] == "mul = ∂loss/∂output × input = 1.6 × 1.0 = 1.6"


LOCAL_RULES = [  # op, a, b: the replay's local derivative times the upstream must match tfteach
    (tf.multiply, 0.8, 1.5), (tf.add, 0.8, 1.5), (tf.subtract, 0.8, 1.5), (tf.div, 0.8, 1.5),
    (tf.pow, 0.8, 1.5), (tf.maximum, 0.8, 1.5), (tf.squared_difference, 0.8, 1.5),
    (tf.square, 0.8, None), (tf.sqrt, 0.8, None), (tf.exp, 0.8, None), (tf.log, 0.8, None),
    (tf.sigmoid, 0.8, None), (tf.tanh, 0.8, None), (tf.nn.relu, 0.8, None), (tf.negative, 0.8, None),
    (tf.reduce_mean, 0.8, None),   # (Identity's gradient adds no op: nothing to show)
]


@pytest.mark.parametrize("fn, a, b", LOCAL_RULES, ids=[f[0].__name__ for f in LOCAL_RULES])
def test_local_rules_agree_with_the_gradient_ops(fn, a, b):
    va = tf.Variable(a, name="a")
    args = [va] + ([tf.Variable(b, name="b")] if b is not None else [])
    out = fn(*args)
    loss = tf.multiply(out, 3.0, name="L")   # an upstream gradient of 3, not 1
    grads = tf.gradients(loss, args)
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    r = replay([loss] + grads, session=sess)
    chains = [line for s in r.steps for line in s.lines if line.startswith("∂L/∂a =")
              or line.startswith("∂L/∂b =")]
    want = sess.run(grads)
    assert len(chains) == len(args), [line for s in r.steps for line in s.lines]
    for line, name, g in zip(sorted(chains), ["a", "b"], want):
        assert line.startswith(f"∂L/∂{name} = ∂L/∂{out.op.name} × d({out.op.name})/d({name}) = 3.0 × ")
        assert line.endswith(f" = {_num(g)}"), line


def test_two_layer_net_rules_for_arrays():
    tf.set_random_seed(3)
    train_step, loss = noisy_net()
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    r = replay([loss, train_step], session=sess, group="scope")
    text = "\n".join(line for k in range(len(r.positions)) for line in r.explain(k))
    assert "∂loss/∂w2 = hiddenᵀ @ ∂loss/∂MatMul_1 = [[" in text
    assert "∂loss/∂w1 = noisy_xᵀ @ ∂loss/∂MatMul = [[" in text
    assert "∂loss/∂add = ∂loss/∂hidden × hidden·(1 − hidden), element by element" in text
    assert "∂loss/∂b1 = ∂loss/∂add × 1, element by element, summed over the broadcast axes to (3,)" in text
    assert "∂loss/∂Square = ∂loss/∂loss / 4, copied to each of the 4 elements = [[0.25], [0.25], [0.25], [0.25]]" in text
    assert "w1 (2×3) ← w1 − η·∂loss/∂w1" in text
    # the numbers in the words are the recorded ones
    w2_grad = [s for s in r.steps if s.name == "gradients/MatMul_1_grad/MatMul_1"][0].outputs[0]
    assert f"∂loss/∂w2 = hiddenᵀ @ ∂loss/∂MatMul_1 = [[{_num(w2_grad[0, 0])}], [{_num(w2_grad[1, 0])}]" in text


def test_feeds_are_values_not_greyed():
    x = tf.placeholder(tf.float32, shape=[], name="x")
    w = tf.Variable(2.0, name="w")
    loss = tf.square(w * x - 1.0, name="loss")
    train_step = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    r = replay(train_step, session=sess, feed_dict={x: 3.0})
    assert "x" not in r.greyed(0)
    mul = [s for s in r.steps if s.name == "mul"][0]
    assert [v for _, v in mul.inputs] == [f32(2.0), f32(3.0)]
    assert mul.lines == ["mul = w × x = 2.0 × 3.0 = 6.0"]
    assert sess.run(w) == pytest.approx(2.0 - 0.1 * 2 * 5 * 3)


# ---- moving ---------------------------------------------------------------------------------------
def test_moving_clamps_and_notifies():
    sess, train_step, _, _ = neuron()
    r = replay(train_step, session=sess)
    seen = []
    r._listeners.append(lambda: seen.append(r.position))
    r.prev()
    assert r.position == 0 and seen == []
    r.next()
    r.next()
    r.go(1000)
    r.go(-5)
    assert seen == [1, 2, len(r.positions) - 1, 0]
    assert r.label() == "step 1 of 59 · forward"


# ---- export -----------------------------------------------------------------------------------------
def test_export_is_plain_data():
    sess, train_step, _, _ = neuron()
    r = replay(train_step, session=sess)
    rows = r.export()
    assert len(rows) == len(r.steps)
    json.dumps(rows)  # plain Python values only
    assert rows[0] == {"step": 1, "position": 1, "phase": "forward", "op": "input", "type": "Const",
                       "inputs": [], "output": 1.0, "text": "input = 1.0 (a constant)"}
    assert rows[2]["inputs"] == [{"tensor": "weight/read:0", "value": 0.8},
                                 {"tensor": "input:0", "value": 1.0}]
    assert rows[2]["output"] == 0.8
    apply = [row for row in rows if row["type"] == "ApplyGradientDescent"][0]
    assert [i["value"] for i in apply["inputs"]] == [0.8, 0.025, 1.6]
    assert apply["output"] == 0.76 and apply["phase"] == "update"
    assert rows[-1]["output"] is None and rows[-1]["op"] == "GradientDescent"
    bga = [row for row in rows if row["type"] == "BroadcastGradientArgs"][0]
    assert bga["output"] == [[], []]
    assert r.table([0, 2]).splitlines() == [
        "   1  forward   input (Const): input = 1.0 (a constant)",
        "   3  forward   output (Mul): output = weight × input = 0.8 × 1.0 = 0.8"]


def test_repr_is_deterministic_text():
    sess, train_step, _, _ = neuron()
    r = Replay(train_step, session=sess)
    assert repr(r) == ("<Replay of GradientDescent: 59 ops run (7 forward, 49 gradient, 3 update); "
                       "step 1 of 59 · forward: input = 1.0 (a constant)>")


# ---- large graphs ----------------------------------------------------------------------------------
def chain(n, scopes):
    x = tf.Variable(1.0, name="x")
    h = x
    for block in range(n // 20):
        if scopes:
            with tf.name_scope(f"block{block}"):
                for _ in range(20):
                    h = tf.multiply(h, 1.01)
        else:
            for _ in range(20):
                h = tf.multiply(h, 1.01)
    train_step = tf.train.GradientDescentOptimizer(0.1).minimize(h)
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    return sess, train_step


def test_large_graph_is_grouped_by_name_scope_with_a_note():
    sess, train_step = chain(100, scopes=True)
    r = replay(train_step, session=sess)
    assert len(r.steps) > MAX_OP_STEPS
    assert r.group == "scope" and len(r.positions) <= 20
    assert r.note.startswith(f"This run executes {len(r.steps)} ops, too many to replay op by op")
    first = r.highlighted(0)
    assert "x/read" in first and "block0/Mul_19" in first
    assert all(name == "x/read" or name.startswith("block0/") for name in first)
    grads = [k for k in range(len(r.positions)) if r.phase(k) == "gradient"]
    assert "gradients/block4/Mul_19_grad/mul" in r.highlighted(grads[1])
    with pytest.raises(ValueError, match="too many to replay op by op"):
        replay(train_step, session=sess, group="op")


def test_too_big_to_replay_says_so():
    sess, train_step = chain(160, scopes=False)
    with pytest.raises(ValueError, match="too many to replay even one top-level name scope"):
        replay(train_step, session=sess)


def test_needs_a_session():
    _, train_step, _, _ = neuron()
    with pytest.raises(ValueError, match="session=sess"):
        replay(train_step)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert replay(train_step).session is sess   # the default session


def test_dark_theme_and_every_box_open():
    sess, train_step, _, _ = neuron()
    r = replay(train_step, session=sess, depth=None, theme="dark")
    text = r.dot(48)
    assert "xlabel=<" in _node_line(text, "gradients/output_grad/mul")  # no box collapsed
    assert "#232323" not in _node_line(text, "output")
    assert 'fillcolor="#232323"' in _node_line(text, "GradientDescent")
    with pytest.raises(ValueError, match="theme"):
        replay(train_step, session=sess, theme="blue")
    with pytest.raises(ValueError, match="group"):
        replay(train_step, session=sess, group="layer")
