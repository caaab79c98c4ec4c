"""Fault injection: SIGKILL a process that saves checkpoints in a loop, at random moments.

A driver process (this file run as a script, so pytest's own threads are never forked) forks
a child that saves `v` and `u` (both filled with the step number k) as `model` (fixed prefix)
or `model-<k>` (new prefix), writing k to a pipe after each save returns. The driver kills it
a random delay after it has built its graph, then restores the latest checkpoint: it must restore, and give the last
k reported or the next one (the save that was under way), the same k in both variables.
The next child goes on from there; its first save removes the killed child's temporary files.

By hand, for the figures: `python tests/test_faults_save.py 300 same` (and `new`).
"""
import json
import os
import random
import signal
import subprocess
import sys
import time

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _saving_child(rundir, same_prefix, start, fd, once=False):
    import numpy as np
    import tfteach as tf
    tf.reset_default_graph()
    v = tf.Variable(np.zeros(300, np.float32), name="v")
    u = tf.Variable(np.zeros((20, 5), np.float32), name="u")
    k_in = tf.placeholder(tf.float32, shape=())
    fill = [v.assign(tf.fill([300], k_in)), u.assign(tf.fill([20, 5], k_in))]
    saver = tf.train.Saver(max_to_keep=3)
    sess = tf.Session()
    os.write(fd, b"ready\n")
    k = start
    while True:
        k += 1
        sess.run(fill, {k_in: float(k)})
        saver.save(sess, rundir + "/model", global_step=None if same_prefix else k)
        os.write(fd, f"{k}\n".encode())
        if once:
            return


def _restore(rundir):
    import numpy as np
    import tfteach as tf
    tf.reset_default_graph()
    v = tf.Variable(np.zeros(300, np.float32), name="v")
    u = tf.Variable(np.zeros((20, 5), np.float32), name="u")
    latest = tf.train.latest_checkpoint(rundir)
    if latest is None:
        return None
    sess = tf.Session()
    tf.train.Saver().restore(sess, latest)
    values = np.concatenate([sess.run(v), sess.run(u).ravel()])
    if not (values == values[0]).all():
        raise AssertionError(f"{latest}: v and u hold different steps: {sorted(set(values.tolist()))}")
    return int(values[0])


def _wait_ready(pipe):
    line = b""
    while not line.endswith(b"ready\n"):
        byte = pipe.read(1)
        if not byte:
            raise AssertionError("the saving child died before it was ready")
        line += byte


def drive(rundir, kills, same_prefix, seed, max_delay):
    """Kill `kills` saving children; returns the figures as a dict (raises on a bad restore)."""
    rng = random.Random(seed)
    last = 0  # the last step a child reported saved
    temps_seen = clean = 0
    for _ in range(kills):
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(read_end)
            try:
                _saving_child(rundir, same_prefix, last, write_end)
            finally:
                os._exit(1)
        os.close(write_end)
        with os.fdopen(read_end, "rb", buffering=0) as pipe:
            _wait_ready(pipe)
            time.sleep(rng.uniform(0, max_delay))
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            reported = [int(x) for x in pipe.read().split()]
        done = reported[-1] if reported else last
        temps_seen += sum(".tempstate" in n for n in os.listdir(rundir))
        restored = _restore(rundir)
        if restored is None and done == 0:
            continue  # killed before the first save finished: no checkpoint yet, as expected
        if restored not in (done, done + 1):
            raise AssertionError(f"restored step {restored}; the child had saved step {done} and was "
                                 f"saving {done + 1}")
        clean += 1
        last = restored
    # one save that finishes: it must clean every killed child's temporary files
    read_end, write_end = os.pipe()
    _saving_child(rundir, same_prefix, last, write_end, once=True)
    os.close(read_end)
    os.close(write_end)
    temps_after = [n for n in os.listdir(rundir) if ".tempstate" in n]
    return {"kills": kills, "clean_restores": clean, "steps_saved": last, "temps_seen_after_kills": temps_seen,
            "temps_left_after_next_save": len(temps_after)}


def run_driver(tmp_path, kills, prefix, seed=0, max_delay=0.15):
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    args = [sys.executable, os.path.abspath(__file__), str(kills), prefix, str(tmp_path), str(seed), str(max_delay)]
    done = subprocess.run(args, capture_output=True, text=True, timeout=300, env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    return json.loads(done.stdout.splitlines()[-1])


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
@pytest.mark.parametrize("prefix", ["same", "new"])
def test_a_killed_save_leaves_the_old_or_the_new_checkpoint(tmp_path, prefix):
    figures = run_driver(tmp_path, 20, prefix)
    assert figures["kills"] == 20
    assert figures["steps_saved"] > 0  # the kills did land after saves, not only before the first
    assert figures["temps_left_after_next_save"] == 0


if __name__ == "__main__":
    n, prefix_mode, directory = int(sys.argv[1]), sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else None
    if directory is None:
        import tempfile
        directory = tempfile.mkdtemp(prefix="tfteach-kills-")
    seed = int(sys.argv[4]) if len(sys.argv) > 4 else 0
    delay = float(sys.argv[5]) if len(sys.argv) > 5 else 0.15
    import tfteach  # noqa: F401 - imported once, before the forks
    print(json.dumps(drive(directory, n, prefix_mode == "same", seed, delay)))
