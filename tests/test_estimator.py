"""tf.estimator on tfteach: the driver's loop (restores, logging, the input's end, NaN, hooks),
a kill -9 while training, and the digits program against TF 2.15's Estimator.

What TF's Estimator returns for the same calls is checked by tests/cases/estimator_cases.py.
"""
import json
import logging
import os
import random
import signal
import subprocess
import sys
import time

import numpy as np
import pytest

import tfteach as tf

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "tests", "fixtures")

X = np.array([[0.5, 1.0], [1.5, -0.5], [-1.0, 2.0], [2.0, 0.5], [0.0, -1.5],
              [1.0, 1.0], [-0.5, -0.5], [2.5, 1.5], [-2.0, 0.0], [0.5, 2.5]], np.float32)
Y = np.array([1, 0, 1, 0, 0, 1, 0, 1, 1, 1], np.int32)


def model_fn(features, labels, mode, params):
    w = tf.get_variable("weights", [2, 1], initializer=tf.zeros_initializer())
    b = tf.get_variable("bias", [1], initializer=tf.zeros_initializer())
    logits = tf.squeeze(tf.matmul(features["x"], w) + b, axis=1)
    if mode == tf.estimator.ModeKeys.PREDICT:
        return tf.estimator.EstimatorSpec(mode, predictions={"logit": logits})
    loss = tf.losses.sigmoid_cross_entropy(tf.cast(labels, tf.float32), logits) * params.get("scale", 1.0)
    train_op = tf.train.GradientDescentOptimizer(params["lr"]).minimize(loss, global_step=tf.train.get_global_step())
    return tf.estimator.EstimatorSpec(mode, loss=loss, train_op=train_op)


def constant_input():
    return {"x": tf.constant(X)}, tf.constant(Y)


def estimator(model_dir, lr=0.5, **config):
    return tf.estimator.Estimator(model_fn, model_dir=str(model_dir), params={"lr": lr},
                                  config=tf.estimator.RunConfig(**config) if config else None)


def test_train_restores_between_calls(tmp_path):
    """5 steps + 5 steps from the checkpoint = 10 steps in one call, to the last bit."""
    twice = estimator(tmp_path / "twice")
    twice.train(constant_input, steps=5).train(constant_input, steps=5)
    once = estimator(tmp_path / "once")
    once.train(constant_input, steps=10)
    assert twice.get_variable_value("global_step") == 10
    np.testing.assert_array_equal(twice.get_variable_value("weights"), once.get_variable_value("weights"))
    np.testing.assert_array_equal(twice.get_variable_value("bias"), once.get_variable_value("bias"))
    # a new Estimator object on the same directory goes on from there too; so do evaluate and predict
    again = estimator(tmp_path / "twice").train(constant_input, max_steps=12)
    assert again.get_variable_value("global_step") == 12
    assert again.evaluate(constant_input, steps=1)["global_step"] == 12
    logit = next(again.predict(lambda: {"x": tf.constant(X[:1])}))["logit"]
    w, b = again.get_variable_value("weights"), again.get_variable_value("bias")
    np.testing.assert_allclose(logit, (X[:1] @ w + b)[0, 0], rtol=1e-6)


def test_training_logs_loss_and_step_like_tf(tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="tensorflow")
    est = estimator(tmp_path, log_step_count_steps=3, save_checkpoints_steps=4)
    est.train(constant_input, steps=7)
    lines = [r.getMessage() for r in caplog.records if r.name == "tensorflow"]
    losses = [line for line in lines if line.startswith("loss = ")]
    assert losses[0] == "loss = 0.6931472, step = 1"  # TF 2.15's first line for this model
    assert [line.split(", step = ")[1].split(" ")[0] for line in losses] == ["1", "4", "7"]
    assert all(line.endswith(" sec)") for line in losses[1:])
    saves = [line for line in lines if line.startswith("Saving checkpoints for")]
    prefix = os.path.join(str(tmp_path), "model.ckpt")
    assert saves == [f"Saving checkpoints for {n} into {prefix}." for n in (0, 4, 7)]
    assert lines[-1].startswith("Loss for final step: ")
    assert "Graph was finalized." in lines and "Create CheckpointSaverHook." in lines
    assert sorted(f for f in os.listdir(tmp_path) if f.endswith(".index")) == \
        ["model.ckpt-0.index", "model.ckpt-4.index", "model.ckpt-7.index"]
    assert os.path.exists(tmp_path / "graph.pbtxt")
    events = [f for f in os.listdir(tmp_path) if f.startswith("events.out.tfevents.")]
    assert len(events) == 1
    from tfteach.events import read_scalars
    scalars = read_scalars(str(tmp_path))
    assert [(e.step, round(e.value, 6)) for e in scalars["loss"]] == [(1, 0.693147)]  # every 100 steps
    assert [e.step for e in scalars["global_step/sec"]] == [4, 7]


def test_input_end_stops_training_and_evaluation(tmp_path):
    """numpy_input_fn: 10 examples, batches of 4, 2 epochs: 5 steps (the last batch full: the
    second epoch continues the first), then OutOfRangeError ends train() quietly."""
    est = estimator(tmp_path)
    est.train(tf.estimator.inputs.numpy_input_fn({"x": X}, Y, batch_size=4, num_epochs=2, shuffle=False))
    assert est.get_variable_value("global_step") == 5
    batches = list(est.predict(tf.estimator.inputs.numpy_input_fn({"x": X}, batch_size=4, shuffle=False),
                               yield_single_examples=False))
    assert [len(b["logit"]) for b in batches] == [4, 4, 2]
    assert len(list(est.predict(tf.estimator.inputs.numpy_input_fn({"x": X}, batch_size=4, shuffle=False)))) == 10


def test_shuffled_batches_cover_each_epoch(tmp_path):
    """shuffle=True: every example once per epoch; the graph seed fixes the order."""
    def batches(seed):
        tf.reset_default_graph()
        tf.set_random_seed(seed)
        features = tf.estimator.inputs.numpy_input_fn({"x": np.arange(10)}, batch_size=5, num_epochs=2,
                                                      shuffle=True)()
        with tf.Session() as sess:
            out = []
            while True:
                try:
                    out.append(sess.run(features["x"]))
                except tf.errors.OutOfRangeError:
                    return out
    first = batches(1)
    assert [sorted(np.concatenate(first[:2])), sorted(np.concatenate(first[2:]))] == [list(range(10))] * 2
    assert [b.tolist() for b in batches(1)] == [b.tolist() for b in first]


def test_nan_loss_stops_training(tmp_path):
    est = tf.estimator.Estimator(model_fn, model_dir=str(tmp_path), params={"lr": 0.5, "scale": float("nan")})
    with pytest.raises(tf.estimator.NanLossDuringTrainingError, match="NaN loss during training."):
        est.train(constant_input, steps=3)


def test_hooks_see_each_step_and_can_stop(tmp_path):
    class StopAfter(tf.estimator.SessionRunHook):
        def __init__(self, n):
            self.n, self.seen, self.ended = n, [], False

        def begin(self):
            self.step = tf.train.get_global_step()

        def before_run(self, run_context):
            return tf.estimator.SessionRunArgs(self.step)

        def after_run(self, run_context, run_values):
            self.seen.append(int(run_values.results))
            if len(self.seen) >= self.n:
                run_context.request_stop()

        def end(self, session):
            self.ended = True

    hook = StopAfter(3)
    est = estimator(tmp_path).train(constant_input, steps=100, hooks=[hook])
    assert hook.seen == [0, 1, 2] and hook.ended  # the step read in each run is the one before it
    assert est.get_variable_value("global_step") == 3
    with pytest.raises(TypeError, match="Hooks must be a SessionRunHook"):
        est.train(constant_input, steps=1, hooks=[object()])


def test_evaluate_without_checkpoint_initializes(tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="tensorflow")
    results = estimator(tmp_path).evaluate(constant_input, steps=2)
    assert results["global_step"] == 0 and abs(results["loss"] - np.log(2)) < 1e-6
    assert any("running initialization to evaluate" in r.getMessage() for r in caplog.records)


def test_pandas_input_fn(tmp_path):
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({"x": list(X)})
    with pytest.raises(ValueError, match="shuffle must be provided"):
        tf.estimator.inputs.pandas_input_fn(frame, pd.Series(Y))
    df = pd.DataFrame({"a": X[:, 0], "b": X[:, 1]})
    input_fn = tf.estimator.inputs.pandas_input_fn(df, pd.Series(Y), batch_size=10, shuffle=False)
    features, labels = input_fn()
    with tf.Session() as sess:
        a, y = sess.run([features["a"], labels])
    np.testing.assert_array_equal(a, X[:, 0])
    np.testing.assert_array_equal(y, Y)


# ---- kill -9 while training --------------------------------------------------------------
_CHILD = """
import sys
import tfteach as tf
model_dir = sys.argv[1]

def model_fn(features, labels, mode):
    # `count` is added to at every step together with the global step: a checkpoint must hold
    # the two equal, whatever moment the process died at
    count = tf.get_variable("count", [], tf.int64, initializer=tf.zeros_initializer(), trainable=False)
    w = tf.get_variable("w", [300], initializer=tf.zeros_initializer())
    loss = tf.reduce_sum(tf.square(w - features))
    step = tf.train.get_global_step()
    train_op = tf.group(tf.train.GradientDescentOptimizer(0.01).minimize(loss, global_step=step),
                        tf.assign_add(count, 1))
    return tf.estimator.EstimatorSpec(mode, loss=loss, train_op=train_op)

config = tf.estimator.RunConfig(save_checkpoints_steps=1, log_step_count_steps=None, keep_checkpoint_max=3)
est = tf.estimator.Estimator(model_fn, model_dir=model_dir, config=config)
est.train(lambda: tf.ones([300]), steps=100000)
"""


def _step_in(model_dir):
    latest = tf.train.latest_checkpoint(model_dir)
    return -1 if latest is None else int(latest.rsplit("-", 1)[1])


def _kill_during_training(model_dir, rng, after_step):
    """Start a training child, wait until it has saved a step beyond `after_step` (it is then in
    its loop, saving every step), let it run a random moment more, and SIGKILL it."""
    child = subprocess.Popen([sys.executable, "-c", _CHILD, model_dir], stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL, env=dict(os.environ, PYTHONPATH=ROOT))
    try:
        deadline = time.time() + 120
        while _step_in(model_dir) <= after_step:
            assert child.poll() is None, "the training child died on its own"
            assert time.time() < deadline, "the training child saved nothing in 120 s"
            time.sleep(0.02)
        time.sleep(rng.uniform(0, 0.4))
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()


def test_kill_9_during_training_leaves_a_restorable_model_dir(tmp_path):
    """SIGKILL a training process (a checkpoint every step) at random moments, 4 times: each time
    the latest checkpoint restores, with `count` equal to the global step, and training goes on."""
    rng = random.Random(0)
    model_dir = str(tmp_path)
    steps = [-1]
    for _ in range(4):
        _kill_during_training(model_dir, rng, steps[-1])
        latest = tf.train.latest_checkpoint(model_dir)
        reader = tf.train.NewCheckpointReader(latest)
        step, count = int(reader.get_tensor("global_step")), int(reader.get_tensor("count"))
        assert step == count, f"{latest}: global_step {step} but count {count}"
        assert step > steps[-1], (step, steps)
        steps.append(step)
    # a normal run goes on from the last checkpoint
    code = _CHILD.replace("steps=100000", "steps=2")
    done = subprocess.run([sys.executable, "-c", code, model_dir], capture_output=True, timeout=300,
                          env=dict(os.environ, PYTHONPATH=ROOT))
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    reader = tf.train.NewCheckpointReader(tf.train.latest_checkpoint(model_dir))
    assert int(reader.get_tensor("global_step")) == steps[-1] + 2 == int(reader.get_tensor("count"))
    assert not [n for n in os.listdir(model_dir) if ".tempstate" in n]


# ---- the digits program against TF 2.15's Estimator ------------------------------------
def test_digits_estimator_matches_tensorflow(tmp_path):
    """tests/estimator_programs.py on tfteach and (fixture) on TF 2.15 + tensorflow-estimator 2.15:
    a linear classifier, numpy_input_fn, 1000 steps of batch 128, seed 0."""
    sys.path.insert(0, os.path.join(ROOT, "tests"))
    import estimator_programs
    import rnn_programs
    pytest.importorskip("sklearn")
    with open(os.path.join(FIXTURES, "estimator_program.json")) as f:
        want = json.load(f)["digits_estimator"]
    got = estimator_programs.digits_estimator(tf, rnn_programs.load_digits(), str(tmp_path),
                                              steps=want["steps"], seed=want["seed"])
    assert abs(got["accuracy"] - want["accuracy"]) <= 0.03, (got["accuracy"], want["accuracy"])
    assert abs(got["loss"] - want["loss"]) <= 0.10 * want["loss"], (got["loss"], want["loss"])
    for key in ("global_step", "variables", "checkpoints", "labels"):
        assert got[key] == want[key], key


def test_input_fn_may_return_a_dataset(tmp_path):
    """An input_fn returning a tf.data.Dataset of (features, labels): the Estimator makes and
    initializes its iterator; 10 examples in batches of 5 give 2 steps."""
    def input_fn():
        return tf.data.Dataset.from_tensor_slices(({"x": X}, Y)).batch(5)
    est = estimator(tmp_path).train(input_fn)
    assert est.get_variable_value("global_step") == 2
    assert est.evaluate(input_fn)["global_step"] == 2


def test_checkpoint_restores_by_hand_from_its_meta_graph(tmp_path):
    """What a learner does after est.train: import_meta_graph + Saver.restore, then read a weight."""
    est = estimator(tmp_path).train(constant_input, steps=3)
    latest = tf.train.latest_checkpoint(str(tmp_path))
    assert os.path.basename(latest) == "model.ckpt-3"
    tf.reset_default_graph()
    saver = tf.train.import_meta_graph(latest + ".meta")
    with tf.Session() as sess:
        saver.restore(sess, latest)
        w = sess.run(tf.get_default_graph().get_tensor_by_name("weights:0"))
    np.testing.assert_array_equal(w, est.get_variable_value("weights"))


def test_config_and_model_dir(tmp_path, caplog):
    caplog.set_level(logging.WARNING, logger="tensorflow")
    est = tf.estimator.Estimator(model_fn, params={"lr": 0.1})
    assert os.path.isdir(est.model_dir)
    assert any("Using temporary folder as model directory: " + est.model_dir in r.getMessage()
               for r in caplog.records)
    os.rmdir(est.model_dir)  # made by mkdtemp, still empty
    config = tf.estimator.RunConfig(save_checkpoints_steps=10)
    assert (config.save_checkpoints_steps, config.save_checkpoints_secs) == (10, None)
    assert tf.estimator.RunConfig().save_checkpoints_secs == 600
    replaced = config.replace(model_dir=str(tmp_path), save_checkpoints_secs=30)
    assert (replaced.model_dir, replaced.save_checkpoints_steps, replaced.save_checkpoints_secs) == \
        (str(tmp_path), None, 30)
    assert tf.estimator.Estimator(model_fn, config=replaced, params={}).model_dir == str(tmp_path)
    with pytest.raises(ValueError, match="Replacing nope is not supported"):
        config.replace(nope=1)
