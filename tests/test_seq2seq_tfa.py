"""tf.contrib.seq2seq.sequence_loss against tensorflow-addons' sequence_loss (TF 2.15), every mode.

TF 1.15's contrib version cannot be installed any more; tensorflow-addons carries the same function
(tests/fixtures/make_seq2seq_tfa.py wrote the expected values).
"""
import json
import os

import numpy as np
import pytest

import tfteach as tf

FIXTURE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures", "seq2seq_tfa.json")


def _inputs():  # the same as make_seq2seq_tfa.inputs()
    rng = np.random.RandomState(0)
    logits = rng.randn(3, 4, 5).astype(np.float32)
    targets = rng.randint(0, 5, (3, 4)).astype(np.int32)
    weights = (rng.rand(3, 4) > 0.3).astype(np.float32)
    weights[2] = 0
    return logits, targets, weights


with open(FIXTURE) as f:
    EXPECTED = json.load(f)


@pytest.mark.parametrize("mode, want", list(zip(EXPECTED["modes"], EXPECTED["results"])), ids=str)
def test_sequence_loss_matches_tensorflow_addons(mode, want):
    at, ab, st, sb = mode
    logits, targets, weights = _inputs()
    with tf.Graph().as_default():
        loss = tf.contrib.seq2seq.sequence_loss(logits, targets, weights, average_across_timesteps=at,
                                                average_across_batch=ab, sum_over_timesteps=st, sum_over_batch=sb)
        with tf.Session() as sess:
            got = sess.run(loss)
    np.testing.assert_allclose(got, np.asarray(want, dtype=np.float32), rtol=1e-6, atol=1e-7)
