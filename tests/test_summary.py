"""Summary ops and FileWriter: TF1's names, tags and bytes, the seeds' loops, the writer's rules."""
import json
import os

import numpy as np
import pytest

import tfteach as tf
from tfteach import events
import tf_programs

FIXTURES = os.path.join(os.path.dirname(__file__), "fixtures", "tf_written")


@pytest.fixture(autouse=True)
def fresh_graph():
    tf.reset_default_graph()
    yield
    tf.reset_default_graph()


def expected():
    with open(os.path.join(FIXTURES, "expected.json")) as f:
        return json.load(f)


# ---- names, tags and bytes as real TensorFlow makes them -----------------------------------------
def test_node_names_and_tags_match_tensorflow():
    assert tf_programs.summary_names_and_tags(tf) == expected()["names"]


def test_summary_bytes_match_tensorflow_exactly():
    want = expected()["summaries"]
    ops = {}
    for name, values in want["arrays"].items():
        dtype = tf.int32 if name == "ints" else tf.float32
        ops["histogram_" + name] = tf.summary.histogram(name, tf.constant(values, dtype=dtype, shape=[len(values)]))
    ops["scalar_zero"] = tf.summary.scalar("zero", tf.constant(0.0))
    ops["scalar_pi"] = tf.summary.scalar("pi", tf.constant(3.14159, tf.float64))
    ops["scalar_vector_tags"] = tf.scalar_summary(["a", "b"], tf.constant([1.5, -2.0]))
    ops["merged"] = tf.summary.merge([ops["scalar_zero"], ops["scalar_pi"]])
    with tf.Session() as sess:
        got = sess.run(ops)
    assert {k: v.hex() for k, v in got.items()} == want["bytes"]


def test_summary_op_is_a_string_scalar_of_serialized_summary_bytes():
    s = tf.summary.scalar('zero', tf.constant(0.0))
    assert s.dtype == tf.string and s.shape == () and s.op.type == "ScalarSummary"
    value = tf.Session().run(s)
    assert type(value) is bytes and value.endswith(b"\x00\x00\x00\x00")  # no NULs lost
    assert tf.Summary.FromString(value).value[0].simple_value == 0.0


def test_summaries_are_not_differentiable_and_do_not_disturb_gradients():
    from tfteach.registry import lookup
    assert not any(lookup(t).differentiable for t in ("ScalarSummary", "HistogramSummary", "MergeSummary"))
    x = tf.Variable(2.0)
    y = x * x
    tf.summary.merge([tf.summary.scalar('y', y), tf.summary.histogram('x', x)])
    with tf.Session() as sess:
        sess.run(x.initializer)
        assert sess.run(tf.gradients(y, [x])) == [4.0]


# ---- TF 0.x names (seed 004): the tag exactly as given ----------------------------------------------
def test_old_names_use_the_tag_as_given(tmp_path):
    x = tf.constant(1.0, name='input')
    w = tf.Variable(0.8, name='weight')
    y = tf.mul(w, x, name='output')
    summary_y = tf.scalar_summary('output', y)
    h = tf.histogram_summary('weights', w)
    assert (summary_y.op.name, summary_y.op.inputs[0].op.name) == ("ScalarSummary", "ScalarSummary/tags")
    assert (h.op.name, h.op.inputs[0].op.name) == ("HistogramSummary", "HistogramSummary/tag")
    summaries = tf.merge_all_summaries()
    assert summaries.op.name == "MergeSummary/MergeSummary"
    sess = tf.Session()
    summary_writer = tf.train.SummaryWriter(str(tmp_path), sess.graph)
    sess.run(tf.initialize_all_variables())
    for i in range(3):
        summary_writer.add_summary(sess.run(summary_y), i)
    summary_writer.close()
    assert [(e.step, e.value) for e in events.read_scalars(str(tmp_path))["output"]] == \
        [(0, np.float32(0.8)), (1, np.float32(0.8)), (2, np.float32(0.8))]


def test_merge_all_without_summaries_is_none():
    assert tf.summary.merge_all() is None and tf.merge_all_summaries() is None


# ---- errors that teach ---------------------------------------------------------------------------
def test_scalar_summary_of_a_vector_says_what_to_do():
    s = tf.summary.scalar('v', tf.constant([1.0, 2.0]))
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"tags and values not the same shape: \[\] != \[2\]"
                       r"(.|\n)*tf.reduce_mean"):
        tf.Session().run(s)


def test_histogram_of_nan_is_an_error():
    h = tf.summary.histogram('h', tf.constant([1.0, np.nan]))
    with pytest.raises(tf.errors.InvalidArgumentError, match="Nan in summary histogram for: h"):
        tf.Session().run(h)


def test_merge_with_duplicate_tags_is_an_error():
    a = tf.scalar_summary('same', tf.constant(1.0))
    b = tf.scalar_summary('same', tf.constant(2.0))
    with pytest.raises(tf.errors.InvalidArgumentError, match="Duplicate tag same found in summary inputs"):
        tf.Session().run(tf.summary.merge([a, b]))


# ---- seed 000's last script, end to end ------------------------------------------------------------
def test_seed000_training_diagnostics(tmp_path):
    logdir = str(tmp_path / "log_simple_stats")
    x = tf.constant(1.0, name='input')
    w = tf.Variable(0.8, name='weight')
    y = tf.multiply(w, x, name='output')
    y_ = tf.constant(0.0, name='correct_value')
    loss = tf.pow(y - y_, 2, name='loss')
    train_step = tf.train.GradientDescentOptimizer(0.025).minimize(loss)
    for value in [x, w, y, y_, loss]:
        tf.summary.scalar(value.op.name, value)
    summaries = tf.summary.merge_all()
    session = tf.Session()
    summary_writer = tf.summary.FileWriter(logdir, session.graph)
    session.run(tf.global_variables_initializer())
    for i in range(100):
        summary_writer.add_summary(session.run(summaries), i)
        session.run(train_step)
    summary_writer.close()
    ours = events.read_scalars(logdir)
    theirs = events.read_scalars(os.path.join(FIXTURES, "seed_neuron_events"))  # the same script, real TF
    assert sorted(ours) == sorted(theirs)
    for tag in ours:
        assert [(e.step, e.value) for e in ours[tag]] == [(e.step, e.value) for e in theirs[tag]], tag
    graph = events.read_graph(logdir)
    assert [n.name for n in graph.node][:3] == ["input", "weight/initial_value", "weight"]


# ---- FileWriter ------------------------------------------------------------------------------------
def one(tag, value):
    return tf.Summary(value=[tf.Summary.Value(tag=tag, simple_value=value)])


def test_filewriter_context_manager_and_summary_objects(tmp_path):
    with tf.summary.FileWriter(str(tmp_path)) as writer:
        writer.add_summary(one("a", 1.0), 7)
        writer.add_summary(one("a", 2.0).SerializeToString(), global_step=np.int64(8))
        assert writer.get_logdir() == str(tmp_path)
    assert [(e.step, e.value) for e in events.read_scalars(str(tmp_path))["a"]] == [(7, 1.0), (8, 2.0)]


def test_flush_makes_events_visible_before_close(tmp_path):
    writer = tf.summary.FileWriter(str(tmp_path), max_queue=100, flush_secs=1000)
    writer.add_summary(one("a", 1.0), 0)
    writer.flush()
    assert len(events.read_scalars(str(tmp_path))["a"]) == 1
    for i in range(1, 100):
        writer.add_summary(one("a", 1.0), i)
    writer.add_summary(one("a", 1.0), 100)
    assert len(events.read_scalars(str(tmp_path))["a"]) == 101  # the 100th (max_queue) flushes
    writer.close()
    writer.close()  # twice is harmless


def test_writing_after_close_is_a_clear_error_and_reopen_continues(tmp_path):
    writer = tf.summary.FileWriter(str(tmp_path))
    writer.close()
    with pytest.raises(ValueError, match="is closed.*reopen"):
        writer.add_summary(one("a", 1.0), 0)
    writer.reopen()
    writer.add_summary(one("a", 1.0), 1)
    writer.close()
    assert len(events.event_files(str(tmp_path))) == 2
    assert [e.step for e in events.read_scalars(str(tmp_path))["a"]] == [1]


def test_add_summary_of_the_op_itself_says_to_run_it(tmp_path):
    s = tf.summary.scalar('x', tf.constant(1.0))
    with tf.summary.FileWriter(str(tmp_path)) as writer:
        with pytest.raises(TypeError, match=r"sess.run\(op\)"):
            writer.add_summary(s, 0)


def test_add_graph_accepts_a_graph_def_and_rejects_both(tmp_path):
    tf.constant(1.0, name='c')
    graph = tf.get_default_graph()
    with tf.summary.FileWriter(str(tmp_path)) as writer:
        writer.add_graph(None, graph_def=graph.as_graph_def())
        with pytest.raises(ValueError, match="not both"):
            writer.add_graph(graph, graph_def=graph.as_graph_def())
    assert [n.name for n in events.read_graph(str(tmp_path)).node] == ["c"]


def test_summary_namespace_has_no_reader_and_names_what_is_missing():
    assert not hasattr(tf.summary, "read_scalars")
    with pytest.raises(AttributeError, match="tf.summary.audio"):
        tf.summary.audio


# ---- the fast histogram: the same buckets and bytes as the message path --------------------------
def _histogram_by_messages(x):
    """The HistogramProto built value by value as TF's Histogram::EncodeToProto does."""
    from tfteach.protos import HistogramProto
    from tfteach.summary.ops import histogram_bucket_limits
    limits = histogram_bucket_limits()
    counts = np.bincount(np.searchsorted(limits, x, side="right"), minlength=len(limits))[:len(limits)]
    proto = HistogramProto(min=float(x.min()), max=float(x.max()), num=float(x.size),
                           sum=float(np.cumsum(x)[-1]), sum_squares=float(np.cumsum(x * x)[-1]))
    i = 0
    while i < len(limits):
        end, count = limits[i], counts[i]
        i += 1
        if count <= 0:
            while i < len(limits) and counts[i] <= 0:
                end, count = limits[i], counts[i]
                i += 1
        proto.bucket_limit.append(float(end))
        proto.bucket.append(float(count))
    return proto.SerializeToString()


def test_bucket_indices_equal_a_binary_search_at_every_limit():
    from tfteach.summary.ops import bucket_indices, histogram_bucket_limits
    limits = histogram_bucket_limits()
    rng = np.random.RandomState(0)
    finite = limits[1:-1]
    xs = np.concatenate([limits, np.nextafter(finite, np.inf), np.nextafter(finite, -np.inf), rng.randn(1000),
                         10.0 ** rng.uniform(-320, 307, 3000) * np.sign(rng.randn(3000)),
                         [0.0, -0.0, 5e-324, -5e-324, np.finfo(float).tiny, -np.finfo(float).tiny]])
    np.testing.assert_array_equal(bucket_indices(xs), np.searchsorted(limits, xs, side="right"))


@pytest.mark.parametrize("values", [np.random.RandomState(1).randn(784, 256).astype(np.float32) * 0.05,
                                    np.zeros(7), np.array([3.0]), np.array([-0.0, 1e-15, -2e19])])
def test_histogram_bytes_equal_the_message_path(values):
    from tfteach.summary.ops import histogram_bytes
    x = np.asarray(values, np.float64).ravel()
    assert histogram_bytes(x) == _histogram_by_messages(x)


def test_merged_histograms_and_event_records_are_canonical_protobuf(tmp_path):
    """The kernels and add_summary write bytes directly: parsing and re-serializing changes nothing."""
    from tfteach.protos import Event, Summary
    w = tf.constant(np.random.RandomState(2).randn(30, 20).astype(np.float32))
    tf.summary.histogram("w", w)
    tf.summary.scalar("m", tf.reduce_mean(w))
    tf.summary.histogram("h", tf.nn.relu(w))
    merged = tf.summary.merge_all()
    with tf.Session() as sess:
        data = sess.run(merged)
    assert Summary.FromString(data).SerializeToString() == data
    assert [v.tag for v in Summary.FromString(data).value] == ["w", "m", "h"]
    with tf.summary.FileWriter(str(tmp_path)) as writer:
        writer.add_summary(data, 7)
        writer.add_summary(data)
    records = [data for _, data in events.read_records(events.event_files(str(tmp_path))[0])]
    assert len(records) == 3
    for record in records:
        assert Event.FromString(record).SerializeToString() == record
    assert Event.FromString(records[1]).step == 7 and Event.FromString(records[2]).step == 0
    assert Event.FromString(records[1]).summary.SerializeToString() == data
