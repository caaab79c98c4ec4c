"""tfteach/malloc.py: with tfteach imported, a step's big temporaries do not fault their pages in
again each time (counted in a fresh process, so nothing else has tuned malloc before)."""
import subprocess
import sys

import pytest

import tfteach

STEPS = 200
CHURN = f"""
import resource, sys
import numpy as np
if sys.argv[1] == "tfteach":
    import tfteach
    assert tfteach._malloc.tuned
x = np.random.RandomState(0).rand(200_000).astype(np.float32)
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for _ in range({STEPS}):   # what a histogram summary's kernel allocates: 0.8-3.2 MB temporaries
    z = np.empty(x.size, np.complex128); z.real = x; c = np.cumsum(z); del z, c
    y = ((x + 0).view(np.int32) >> 3).astype(np.intp); del y
print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
"""


def faults(mode, env=None):
    out = subprocess.run([sys.executable, "-c", CHURN, mode], capture_output=True, text=True, env=env, check=True)
    return int(out.stdout)


@pytest.mark.skipif(not tfteach._malloc.tuned, reason="not glibc on Linux: malloc is left as it is")
def test_temporaries_keep_their_pages():
    untuned, tuned = faults("numpy"), faults("tfteach")
    # glibc's defaults fault ~90 pages a step in (the 0.8-3.2 MB blocks), tuned ~8 (one 3.2 MB
    # block's worth in 200 steps would be 800)
    assert untuned > 40 * STEPS
    assert tuned < 20 * STEPS


def test_system_malloc_can_be_kept(monkeypatch):
    monkeypatch.setenv("TFTEACH_MALLOC", "system")
    assert tfteach._malloc.tune() is False
