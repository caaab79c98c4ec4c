"""tfteach's own behaviour of tf.data and queue pipelines, where TF has none to compare with:
what would hang in TF (a dequeue with no runner) raises instead, errors that teach, map
functions traced once, shuffling that reshuffles per epoch, the on-demand queue runners.
(The values TF gives are checked against TF itself in tests/cases/data_cases.py.)
"""
import numpy as np
import pytest

import tfteach as tf


@pytest.fixture(autouse=True)
def fresh_graph():
    tf.reset_default_graph()


def _drain(sess, t):
    out = []
    while True:
        try:
            out.append(sess.run(t))
        except tf.errors.OutOfRangeError:
            return out


def test_map_function_is_traced_once_not_called_per_element():
    calls = []

    def double(x):
        calls.append(x)
        return x * 2

    nxt = tf.data.Dataset.range(50).map(double).make_one_shot_iterator().get_next()
    with tf.Session() as sess:
        values = _drain(sess, nxt)
    assert values == [2 * i for i in range(50)]
    assert len(calls) == 1 and isinstance(calls[0], tf.Tensor)
    assert calls[0].op.type == "Placeholder"
    assert calls[0].op not in tf.get_default_graph().get_operations()  # the function's nodes are its own


def test_shuffle_reshuffles_each_epoch_unless_told_not_to():
    a = tf.data.Dataset.range(30).shuffle(30, seed=5).repeat(3).make_one_shot_iterator().get_next()
    b = tf.data.Dataset.range(30).shuffle(30, seed=5, reshuffle_each_iteration=False).repeat(3) \
        .make_one_shot_iterator().get_next()
    with tf.Session() as sess:
        ea = np.array(_drain(sess, a)).reshape(3, 30)
        eb = np.array(_drain(sess, b)).reshape(3, 30)
    for epochs in (ea, eb):
        assert all(sorted(e) == list(range(30)) for e in epochs)
    assert not (ea[0] == ea[1]).all() and not (ea[1] == ea[2]).all()
    assert (eb[0] == eb[1]).all() and (eb[1] == eb[2]).all() and not (eb[0] == np.arange(30)).all()


def test_seeded_shuffle_gives_the_same_order_in_every_session():
    seeded = tf.data.Dataset.range(40).shuffle(40, seed=2).make_initializable_iterator()
    nxt = seeded.get_next()
    orders = []
    for _ in range(2):
        with tf.Session() as sess:
            sess.run(seeded.initializer)
            orders.append(_drain(sess, nxt))
    assert orders[0] == orders[1]


def test_dequeue_that_would_hang_in_tensorflow_raises_and_says_why():
    q = tf.FIFOQueue(3, [tf.float32], shapes=[[]])
    with tf.Session() as sess:
        with pytest.raises(tf.errors.DeadlineExceededError, match="start_queue_runners"):
            sess.run(q.dequeue())


def test_forgotten_local_variables_initializer_is_named():
    files = tf.train.string_input_producer(["a.csv"], num_epochs=1)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        tf.train.start_queue_runners(sess)
        with pytest.raises(tf.errors.FailedPreconditionError, match="local_variables_initializer"):
            sess.run(files.dequeue())


def test_runner_error_reaches_the_coordinator(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("1,2\nnot,a number\n")
    files = tf.train.string_input_producer([str(path)], shuffle=False)
    _, line = tf.TextLineReader().read(files)
    a, b = tf.decode_csv(line, [[0], [0]])
    batch = tf.train.batch([a, b], batch_size=2)
    with tf.Session() as sess:
        coord = tf.train.Coordinator()
        threads = tf.train.start_queue_runners(sess, coord)
        with pytest.raises(tf.errors.InvalidArgumentError, match="not a valid int32"):
            sess.run(batch)
        assert coord.should_stop()
        with pytest.raises(tf.errors.InvalidArgumentError):
            coord.join(threads)


def test_queue_runners_fill_on_demand_only():
    """A documented difference: no thread fills the queue ahead, so size() is 0 until a dequeue."""
    x = tf.train.slice_input_producer([np.arange(10)], shuffle=False)[0]
    b = tf.train.batch([x], batch_size=4)
    size = tf.get_collection(tf.GraphKeys.QUEUE_RUNNERS)[1].queue.size()
    with tf.Session() as sess:
        tf.train.start_queue_runners(sess)
        assert sess.run(size) == 0
        assert sess.run(b).tolist() == [0, 1, 2, 3]
        assert sess.run(b).tolist() == [4, 5, 6, 7]


def test_map_function_captures_outside_tensors_read_at_initialization():
    c = tf.constant(3.0)
    p = tf.placeholder(tf.float32, [])
    it = tf.data.Dataset.range(3).map(lambda x: tf.cast(x, tf.float32) * c + p).make_initializable_iterator()
    nxt = it.get_next()
    before = [op.name for op in tf.get_default_graph().get_operations()]
    assert "MapDataset" in before and not any(name.startswith(("Cast", "mul", "add")) for name in before)
    assert [t.name for t in tf.get_default_graph().get_operation_by_name("MapDataset").inputs][1:] == \
        [c.name, p.name]
    with tf.Session() as sess:
        sess.run(it.initializer, {p: 1.0})
        assert _drain(sess, nxt) == [1.0, 4.0, 7.0]
        with pytest.raises(tf.errors.InvalidArgumentError, match="must feed a value for placeholder"):
            sess.run(it.initializer)


def test_reinitializing_restarts_and_feeds_a_new_dataset():
    x = tf.placeholder(tf.int64, [None])
    it = tf.data.Dataset.from_tensor_slices(x).make_initializable_iterator()
    nxt = it.get_next()
    with tf.Session() as sess:
        sess.run(it.initializer, {x: [1, 2, 3]})
        assert sess.run(nxt) == 1
        sess.run(it.initializer, {x: [7]})
        assert _drain(sess, nxt) == [7]


def test_one_shot_iterator_refuses_placeholders():
    x = tf.placeholder(tf.float32, [None])
    with pytest.raises(ValueError, match="make_initializable_iterator"):
        tf.data.Dataset.from_tensor_slices(x).make_one_shot_iterator()


def test_training_on_dataset_records_and_draws():
    """Dataset ops and iterators take part in record mode and the graph drawing."""
    nxt = tf.data.Dataset.from_tensor_slices(np.arange(6, dtype=np.float32)).batch(3).make_one_shot_iterator().get_next()
    w = tf.Variable(1.0)
    loss = tf.reduce_sum(nxt * w)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        result, record = sess.record(loss)
    assert result == 3.0
    assert "IteratorGetNext" in [op.name for op, _ in record]
    assert "text/plain" in tf.get_default_graph()._repr_mimebundle_()
