"""tf.nn.nce_loss / sampled_softmax_loss: gradients against float64 central differences, and the
log-uniform sampler's distribution (its draws cannot be TF's; tests/cases/image_cases.py checks
the losses against TF with the sample given)."""
import numpy as np
import pytest

import tfteach as tf
from tfteach.ops.candidate_sampling import log_uniform_probability
from tfteach.testing import check_gradients


@pytest.fixture(autouse=True)
def fresh_graph():
    tf.reset_default_graph()


def _sample():
    return (tf.constant([3, 6, 2, 4], dtype=tf.int64), tf.constant(np.array([[0.5, 0.2], [0.9, 0.1]])),
            tf.constant(np.array([0.3, 0.2, 0.4, 0.7])))


@pytest.mark.parametrize("loss_fn, remove", [(tf.nn.nce_loss, False), (tf.nn.nce_loss, True),
                                             (tf.nn.sampled_softmax_loss, True),
                                             (tf.nn.sampled_softmax_loss, False)])
def test_sampled_losses_gradients(loss_fn, remove):
    rng = np.random.RandomState(0)

    def fn(w, b, x):
        labels = tf.constant([[1, 4], [0, 7]], dtype=tf.int64)  # 4 is also sampled: an accidental hit
        return loss_fn(w, b, labels, x, 4, 8, num_true=2, sampled_values=_sample(),
                       remove_accidental_hits=remove)
    check_gradients(fn, [rng.randn(8, 3), rng.randn(8), rng.randn(2, 3)])


def test_log_uniform_sampler_draws_follow_the_law():
    n, classes = 40000, 30
    candidates, _, expected = tf.nn.log_uniform_candidate_sampler(
        tf.constant([[0]], dtype=tf.int64), 1, n, False, classes, seed=1)
    with tf.Session() as sess:
        drawn, counts = sess.run([candidates, expected])
    p = log_uniform_probability(np.arange(classes), classes)
    assert np.isclose(p.sum(), 1.0)
    histogram = np.bincount(drawn, minlength=classes)
    assert np.all(np.abs(histogram - n * p) < 5 * np.sqrt(n * p))  # 5 standard deviations
    np.testing.assert_allclose(counts, n * p[drawn], rtol=1e-5)


def test_unique_sampler_counts_come_from_the_number_of_tries():
    """unique=True draws until 4 different classes; every expected count is then
    1 - (1 - p)^tries (TF's ExpectedCountHelper; p * 4 when 4 tries sufficed) for one whole
    number of tries >= 4."""
    candidates, true_expected, sampled_expected = tf.nn.log_uniform_candidate_sampler(
        tf.constant([[0], [9]], dtype=tf.int64), 1, 4, True, 10, seed=2)
    seen = np.zeros(10)
    p = log_uniform_probability(np.arange(10), 10)
    with tf.Session() as sess:
        for _ in range(300):
            c, t, s = sess.run([candidates, true_expected, sampled_expected])
            assert len(set(c.tolist())) == 4
            seen[c] += 1
            def count(q, tries):
                return q * 4 if tries == 4 else -np.expm1(tries * np.log1p(-q))
            n = np.arange(5, 400)
            tries = ([4] if np.isclose(p[0] * 4, t[0, 0], rtol=1e-5) else []) + \
                n[np.isclose(-np.expm1(n * np.log1p(-p[0])), t[0, 0], rtol=1e-5)].tolist()
            assert tries, t
            np.testing.assert_allclose(s, count(p[c], tries[0]), rtol=1e-5)
            np.testing.assert_allclose(t[1, 0], count(p[9], tries[0]), rtol=1e-5)
    assert np.all(np.diff(seen[[0, 2, 5, 9]]) < 0)  # small ids are drawn most


def test_sampler_refuses_more_unique_samples_than_classes():
    c = tf.nn.log_uniform_candidate_sampler(tf.constant([[0]], dtype=tf.int64), 1, 11, True, 10)
    with tf.Session() as sess, pytest.raises(tf.errors.InvalidArgumentError, match="range_max"):
        sess.run(c)


def test_nce_loss_trains_word2vec_style():
    """A tiny skip-gram: nce_loss with the default sampler lowers the loss over 200 steps."""
    vocab, dim = 20, 5
    pairs = np.array([(i, (i + 1) % vocab) for i in range(vocab)] * 4)
    x = tf.placeholder(tf.int32, [None])
    y = tf.placeholder(tf.int32, [None, 1])
    embeddings = tf.Variable(tf.random_uniform([vocab, dim], -1.0, 1.0, seed=1))
    nce_w = tf.Variable(tf.truncated_normal([vocab, dim], stddev=1.0 / np.sqrt(dim), seed=2))
    nce_b = tf.Variable(tf.zeros([vocab]))
    embed = tf.nn.embedding_lookup(embeddings, x)
    loss = tf.reduce_mean(tf.nn.nce_loss(nce_w, nce_b, y, embed, num_sampled=5, num_classes=vocab))
    train = tf.train.GradientDescentOptimizer(0.5).minimize(loss)
    feed = {x: pairs[:, 0], y: pairs[:, 1:]}
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        first = np.mean([sess.run(loss, feed) for _ in range(20)])
        for _ in range(200):
            sess.run(train, feed)
        last = np.mean([sess.run(loss, feed) for _ in range(20)])
    assert last < 0.6 * first, (first, last)
