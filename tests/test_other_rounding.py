"""tests/other_rounding.py, the emulated machine CI runs the lessons on, really rounds otherwise."""
import os
import subprocess
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))

PROGRAM = """
import numpy as np
exec(open(%r).read())
import tfteach as tf
rng = np.random.RandomState(0)
a, b = rng.randn(64, 300).astype(np.float32), rng.randn(300, 20).astype(np.float32)
counts = rng.randint(0, 2, size=1000).astype(np.float32)
with tf.Session() as sess:
    product, total, mean, same = sess.run([tf.matmul(a, b), tf.reduce_sum(a, axis=0), tf.reduce_mean(counts),
                                           tf.reduce_sum(a, axis=[])])
np.savez(%r, product=product, total=total, mean=mean, same=same, a=a, b=b, counts=counts)
"""


def test_other_rounding_moves_long_results_by_at_most_one_ulp(tmp_path):
    out = str(tmp_path / "out.npz")
    subprocess.run([sys.executable, "-c", PROGRAM % (os.path.join(HERE, "other_rounding.py"), out)],
                   check=True, cwd=HERE)
    r = np.load(out)
    here = np.matmul(r["a"], r["b"])
    ulps = np.abs(r["product"].view(np.int32).astype(np.int64) - here.view(np.int32))
    assert ulps.max() == 1 and 0.2 < (ulps == 1).mean() < 0.9  # moved, by one ulp at most
    assert (r["total"] != np.sum(r["a"], axis=0)).any()          # long float sums: moved
    assert r["mean"] == np.float32(r["counts"].mean())          # a count: exact everywhere
    np.testing.assert_array_equal(r["same"], r["a"])           # a sum over no axes: unchanged
