"""Fault injection: Ctrl-C (SIGINT) at random moments of `while True: sess.run(train)`.

w1 and w2 start equal and get the same gradient, so after every whole step they are equal.
A driver process (this file run as a script, so pytest's threads are never forked) forks a
training child, interrupts it after a random delay, and the child reports whether w1 == w2
when its KeyboardInterrupt arrived, and whether the interrupt was held back until the end of a
run (raised from tfteach/interrupts.py) or landed between runs.

By hand, for the figures: `python tests/test_faults_interrupt.py 300`.
"""
import json
import os
import random
import signal
import subprocess
import sys
import time
import traceback

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _training_child(fd):
    import numpy as np
    import tfteach as tf
    signal.signal(signal.SIGINT, signal.default_int_handler)  # a background shell may have ignored it
    start = np.linspace(-1, 1, 200_000).astype(np.float32)
    w1, w2 = tf.Variable(start, name="w1"), tf.Variable(start, name="w2")
    loss = tf.reduce_sum(tf.square(w1 - 3.0)) + tf.reduce_sum(tf.square(w2 - 3.0))
    train = tf.train.GradientDescentOptimizer(1e-6).minimize(loss)
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    os.write(fd, b"ready\n")
    steps = 0
    try:
        while True:
            sess.run(train)
            steps += 1
    except KeyboardInterrupt:
        frames = traceback.extract_tb(sys.exc_info()[2])
        held = frames[-1].filename.endswith("interrupts.py")
    a, b = sess.run([w1, w2])
    os.write(fd, json.dumps({"equal": bool((a == b).all()), "held": held, "steps": steps}).encode() + b"\n")


def drive(interrupts, seed, max_delay):
    rng = random.Random(seed)
    results = []
    for _ in range(interrupts):
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(read_end)
            try:
                _training_child(write_end)
            finally:
                os._exit(0)
        os.close(write_end)
        with os.fdopen(read_end, "rb") as pipe:
            if pipe.readline() != b"ready\n":
                raise AssertionError("the training child died before it was ready")
            time.sleep(rng.uniform(0, max_delay))
            os.kill(pid, signal.SIGINT)
            results.append(json.loads(pipe.readline()))
        os.waitpid(pid, 0)
    return {"interrupts": interrupts, "consistent": sum(r["equal"] for r in results),
            "held_to_end_of_run": sum(r["held"] for r in results),
            "between_runs": sum(not r["held"] for r in results),
            "steps_before_interrupt": [min(r["steps"] for r in results), max(r["steps"] for r in results)]}


def run_driver(interrupts, seed=0, max_delay=0.1):
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    args = [sys.executable, os.path.abspath(__file__), str(interrupts), str(seed), str(max_delay)]
    done = subprocess.run(args, capture_output=True, text=True, timeout=300, env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    return json.loads(done.stdout.splitlines()[-1])


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_ctrl_c_during_training_never_leaves_half_a_step():
    figures = run_driver(20)
    assert figures["consistent"] == figures["interrupts"] == 20, figures
    assert figures["held_to_end_of_run"] > 0, figures  # most interrupts land inside a run


def test_an_interrupt_inside_the_block_is_raised_at_its_end():
    from tfteach.interrupts import DeferInterrupts
    # as in a learner's kernel: Python's own handler (a shell's background job inherits SIGINT
    # ignored, and then DeferInterrupts rightly does nothing)
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        done = []
        with pytest.raises(KeyboardInterrupt):
            with DeferInterrupts():
                signal.raise_signal(signal.SIGINT)
                done.append("the rest of the step")
        assert done == ["the rest of the step"]
        assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    finally:
        signal.signal(signal.SIGINT, previous)


def test_an_ignored_interrupt_stays_ignored():
    """A process started with SIGINT ignored (a background job): the block changes nothing."""
    from tfteach.interrupts import DeferInterrupts
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        with DeferInterrupts():
            assert signal.getsignal(signal.SIGINT) == signal.SIG_IGN
            signal.raise_signal(signal.SIGINT)
        assert signal.getsignal(signal.SIGINT) == signal.SIG_IGN
    finally:
        signal.signal(signal.SIGINT, previous)


if __name__ == "__main__":
    n = int(sys.argv[1])
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    delay = float(sys.argv[3]) if len(sys.argv) > 3 else 0.1
    import tfteach  # noqa: F401 - imported once, before the forks
    print(json.dumps(drive(n, seed, delay)))
