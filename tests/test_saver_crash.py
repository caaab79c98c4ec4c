"""Fault injection: the saving process dies after writing its new files, before renaming them.

A child process saves checkpoint 1, changes its variable, and saves checkpoint 2 with os.replace
patched to record the rename it was about to do and os._exit() instead: the crash lands after
the temporary files are complete and before the n-th rename (data file, index, .meta, state
file). The parent checks that the hook fired and that the latest checkpoint still restores.
"""
import os
import subprocess
import sys

import numpy as np
import pytest

import tfteach as tf

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CHILD = r"""
import os, sys
import numpy as np
import tfteach as tf

rundir, crash_at, same_prefix = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "same"
v = tf.Variable(np.zeros(4, np.float32), name='v')
saver = tf.train.Saver()
sess = tf.Session()
sess.run(v.initializer)
sess.run(v.assign([1.0, 2.0, 3.0, 4.0]))
saver.save(sess, rundir + "/model", global_step=None if same_prefix else 1)
sess.run(v.assign([5.0, 6.0, 7.0, 8.0]))

renames = []
real_replace = os.replace


def crash_instead(src, dst):
    renames.append(dst)
    if len(renames) == crash_at:
        with open(os.path.join(rundir, "hook_fired"), "w") as f:
            f.write(f"{src}\n{dst}\n{os.path.getsize(src)}\n")
        os._exit(17)
    real_replace(src, dst)


os.replace = crash_instead
saver.save(sess, rundir + "/model", global_step=None if same_prefix else 2)
print("no crash: renames were", renames)
"""


def crash_while_saving(tmp_path, crash_at, same_prefix):
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    args = [str(tmp_path), str(crash_at), "same" if same_prefix else "new"]
    done = subprocess.run([sys.executable, "-c", CHILD] + args, capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 17, done.stdout + done.stderr
    src, dst, size = (tmp_path / "hook_fired").read_text().splitlines()
    return src, dst, int(size)


def restore_latest(rundir):
    tf.reset_default_graph()
    v = tf.Variable(np.zeros(4, np.float32), name='v')
    sess = tf.Session()
    latest = tf.train.latest_checkpoint(str(rundir))
    tf.train.Saver().restore(sess, latest)
    return latest, sess.run(v)


@pytest.mark.parametrize("crash_at, renaming", [(1, ".data-00000-of-00001"), (2, ".index"), (3, ".meta"),
                                                (4, "checkpoint")])
def test_crash_before_a_rename_leaves_the_previous_checkpoint_restorable(tmp_path, crash_at, renaming):
    src, dst, size = crash_while_saving(tmp_path, crash_at, same_prefix=False)
    assert dst.endswith(renaming) and ".tempstate" in src and size > 0  # the new file was written, whole
    assert os.path.exists(src) and os.path.getsize(src) == size
    latest, value = restore_latest(tmp_path)
    assert latest == str(tmp_path / "model-1")
    np.testing.assert_array_equal(value, [1, 2, 3, 4])


def test_crash_before_renaming_over_the_same_prefix_keeps_the_old_files(tmp_path):
    src, dst, _ = crash_while_saving(tmp_path, 1, same_prefix=True)
    assert dst == str(tmp_path / "model.data-00000-of-00001")
    latest, value = restore_latest(tmp_path)
    assert latest == str(tmp_path / "model")
    np.testing.assert_array_equal(value, [1, 2, 3, 4])


def test_crash_between_the_two_renames_of_one_prefix_keeps_the_old_checkpoint(tmp_path):
    """The window TF's writer has: saving over the same prefix, the new data file renamed, the
    old index not yet replaced. The new data file keeps the old tensors' bytes where the old
    index points, so the prefix restores the old values (and real TF reads them too)."""
    crash_while_saving(tmp_path, 2, same_prefix=True)
    latest, value = restore_latest(tmp_path)
    assert latest == str(tmp_path / "model")
    np.testing.assert_array_equal(value, [1, 2, 3, 4])


def test_leftover_temporary_files_are_removed_by_the_next_save(tmp_path):
    crash_while_saving(tmp_path, 2, same_prefix=False)
    assert any(".tempstate" in n for n in os.listdir(tmp_path))
    tf.reset_default_graph()
    v = tf.Variable(np.arange(4, dtype=np.float32), name='v')
    sess = tf.Session()
    sess.run(v.initializer)
    tf.train.Saver().save(sess, str(tmp_path / "model"), global_step=3)
    assert not [n for n in os.listdir(tmp_path) if ".tempstate" in n]


def test_saving_over_a_prefix_keeps_the_previous_bytes_and_restores_the_new(tmp_path):
    tf.reset_default_graph()
    v = tf.Variable(np.zeros(4, np.float32), name='v')
    saver, sess = tf.train.Saver(), tf.Session()
    sess.run(v.initializer)
    for k in range(1, 6):
        sess.run(v.assign(np.full(4, k, np.float32)))
        saver.save(sess, str(tmp_path / "model"))
        assert os.path.getsize(tmp_path / "model.data-00000-of-00001") <= 2 * 16
        np.testing.assert_array_equal(tf.train.load_variable(str(tmp_path / "model"), "v"), [k] * 4)
