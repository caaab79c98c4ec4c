"""Event files: CRC32C, TFRecord framing, the writer, the readers (fuzzed), and the plot."""
import json
import os
import random
import struct
import subprocess
import sys

import numpy as np
import pytest

import tfteach as tf
from tfteach import events
from tfteach.protos import Event, Summary

FIXTURES = os.path.join(os.path.dirname(__file__), "fixtures", "tf_written")
TF_LOGDIR = os.path.join(FIXTURES, "seed_neuron_events")


def expected():
    with open(os.path.join(FIXTURES, "expected.json")) as f:
        return json.load(f)


# ---- CRC32C and framing ---------------------------------------------------------------------
def test_crc32c_known_values():
    # the check value of CRC-32C, and RFC 3720's test vectors (iSCSI)
    assert events.crc32c(b"123456789") == 0xE3069283
    assert events.crc32c(b"\x00" * 32) == 0x8A9136AA
    assert events.crc32c(b"\xff" * 32) == 0x62A8AB43
    assert events.crc32c(bytes(range(32))) == 0x46DD794E
    assert events.crc32c(b"") == 0


def test_tfrecord_framing_layout():
    record = events.tfrecord(b"hello")
    length, length_crc = struct.unpack("<QI", record[:12])
    assert length == 5 and length_crc == events.masked_crc32c(record[:8])
    assert record[12:17] == b"hello"
    assert struct.unpack("<I", record[17:])[0] == events.masked_crc32c(b"hello")


def write_records(path, payloads):
    with open(path, "wb") as f:
        for p in payloads:
            f.write(events.tfrecord(p))


def test_read_records_round_trip(tmp_path):
    payloads = [b"", b"a", b"x" * 1000, bytes(range(256))]
    write_records(tmp_path / "r", payloads)
    assert [d for _, d in events.read_records(tmp_path / "r")] == payloads
    offsets = [o for o, _ in events.read_records(tmp_path / "r")]
    assert offsets == [0, 16, 33, 1049]


# ---- fuzzing the reader: cuts and bit flips (fixed seed) ----------------------------------------
def record_boundaries(payloads):
    bounds, pos = [0], 0
    for p in payloads:
        pos += 16 + len(p)
        bounds.append(pos)
    return bounds


@pytest.fixture
def fuzz_file(tmp_path):
    rng = random.Random(1234)
    payloads = [Event(step=i, summary=Summary(value=[Summary.Value(tag=f"t{i % 3}", simple_value=rng.random())]))
                .SerializeToString() for i in range(20)]
    payloads.insert(5, bytes(rng.randrange(256) for _ in range(300)))  # one longer record
    path = tmp_path / "events.out.tfevents.fuzz"
    write_records(path, payloads)
    return path, payloads


def test_cut_between_records_reads_the_records_before(fuzz_file, tmp_path):
    path, payloads = fuzz_file
    data = path.read_bytes()
    for n, cut in enumerate(record_boundaries(payloads)):
        short = tmp_path / "cut"
        short.write_bytes(data[:cut])
        assert [d for _, d in events.read_records(short)] == payloads[:n]


def test_cut_inside_a_record_gives_the_complete_records_and_one_warning(fuzz_file, tmp_path):
    """A writer killed mid-record: every record before the cut is read, one warning names the cut."""
    path, payloads = fuzz_file
    data = path.read_bytes()
    bounds = record_boundaries(payloads)
    rng = random.Random(99)
    cuts = [c for c in range(len(data)) if c not in bounds]
    for cut in rng.sample(cuts, 200) + [1, 11, 12, bounds[1] + 13, len(data) - 1]:
        short = tmp_path / "cut"
        short.write_bytes(data[:cut])
        start = max(b for b in bounds if b <= cut)
        with pytest.warns(UserWarning) as caught:
            records = list(events.read_records(short))
        assert [d for _, d in records] == payloads[:bounds.index(start)]
        assert len(caught) == 1
        message = str(caught[0].message)
        assert str(short) in message and f"byte offset {start}" in message, message


def test_read_scalars_of_a_log_cut_mid_record_returns_every_complete_scalar(tmp_path):
    writer = tf.summary.FileWriter(str(tmp_path))
    for step in range(100):
        writer.add_summary(tf.Summary(value=[tf.Summary.Value(tag="loss", simple_value=float(step))]), step)
    writer.close()
    (path,) = tmp_path.iterdir()
    path.write_bytes(path.read_bytes()[:-7])
    with pytest.warns(UserWarning, match="incomplete"):
        scalars = events.read_scalars(str(tmp_path))
    assert [e.step for e in scalars["loss"]] == list(range(99))


def test_a_huge_record_length_is_a_cut_record_not_an_allocation(tmp_path):
    import struct
    for length in (8 << 30, 2 ** 63, 2 ** 64 - 1):
        header = struct.pack("<Q", length)
        path = tmp_path / "events.out.tfevents.1"
        path.write_bytes(header + struct.pack("<I", events.masked_crc32c(header)) + b"abc")
        with pytest.warns(UserWarning, match=f"a record of {length} bytes is cut short"):
            assert list(events.read_records(str(path))) == []


def test_flipped_bits_raise_a_clear_error(fuzz_file, tmp_path):
    path, payloads = fuzz_file
    data = path.read_bytes()
    bounds = record_boundaries(payloads)
    rng = random.Random(7)
    for _ in range(300):
        bit = rng.randrange(len(data) * 8)
        flipped = bytearray(data)
        flipped[bit // 8] ^= 1 << (bit % 8)
        bad = tmp_path / "flipped"
        bad.write_bytes(bytes(flipped))
        start = max(b for b in bounds if b <= bit // 8)
        with pytest.raises(tf.errors.DataLossError) as info:
            list(events.read_records(bad))
        assert f"{bad}: bad record at byte offset {start}" in str(info.value)


def test_valid_record_that_is_not_an_event_names_file_and_offset(tmp_path):
    path = tmp_path / "events.out.tfevents.junk"
    write_records(path, [Event(step=1).SerializeToString(), b"\x0a\xff\xff"])
    with pytest.raises(tf.errors.DataLossError, match=r"byte offset 18: the record is not an Event"):
        list(events.read_events(path))


# ---- the writer -------------------------------------------------------------------------------
def test_event_file_name_and_first_event(tmp_path):
    w = events.EventFileWriter(str(tmp_path))
    w.close()
    name = os.path.basename(w.path)
    parts = name.split(".")
    assert parts[:3] == ["events", "out", "tfevents"] and len(parts[3]) == 10 and parts[3].isdigit()
    assert parts[-2] == str(os.getpid())
    (first,) = events.read_events(w.path)
    assert first.file_version == "brain.Event:2" and first.wall_time > 0


def test_two_writers_in_one_second_make_two_files(tmp_path):
    a, b = events.EventFileWriter(str(tmp_path)), events.EventFileWriter(str(tmp_path))
    a.close(), b.close()
    assert a.path != b.path and len(events.event_files(str(tmp_path))) == 2


def test_writer_flushes_at_interpreter_exit(tmp_path):
    code = ("import tfteach as tf\n"
            f"w = tf.summary.FileWriter({str(tmp_path)!r}, max_queue=1000, flush_secs=1000)\n"
            "for i in range(50):\n"
            "    w.add_summary(tf.Summary(value=[tf.Summary.Value(tag='x', simple_value=i)]), i)\n")
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)
    assert [e.step for e in events.read_scalars(str(tmp_path))["x"]] == list(range(50))


def test_writer_closes_its_file_when_collected(tmp_path):
    w = tf.summary.FileWriter(str(tmp_path), max_queue=1000)
    w.add_summary(tf.Summary(value=[tf.Summary.Value(tag="x", simple_value=1.0)]), 3)
    file = w._events._file
    del w
    import gc
    gc.collect()
    assert file.closed
    assert events.read_scalars(str(tmp_path))["x"][0].step == 3


# ---- reading what real TensorFlow wrote -------------------------------------------------------
def test_reads_tf_written_scalars_every_step():
    scalars = events.read_scalars(TF_LOGDIR)
    assert sorted(scalars) == ["correct_value_1", "input_1", "loss_1", "output_1", "weight_1"]
    assert all([e.step for e in scalars[tag]] == list(range(100)) for tag in scalars)
    # the output logged before each step is TF's y after the step before
    y_after = expected()["seed_neuron"]["y_after"]
    assert [e.value for e in scalars["output_1"]][1:] == [float(np.float32(v)) for v in y_after[:-1]]
    assert scalars["input_1"][0].value == 1.0 and scalars["correct_value_1"][-1].value == 0.0


def test_reads_tf_written_histograms_and_graph():
    histograms = events.read_histograms(TF_LOGDIR)
    (tag,) = histograms
    first = histograms[tag][0].histo
    assert tag == "weight_histogram" and first.num == 1.0 and first.min == np.float32(0.8)
    assert sum(first.bucket) == 1.0
    graph_def = events.read_graph(TF_LOGDIR)
    names = [n.name for n in graph_def.node]
    # the writer saved the graph before the script made its `init` op
    assert names + ["init"] == [n for n, _ in expected()["seed_neuron_ops"]]


def test_reads_tf2_tensor_scalars(tmp_path):
    from tfteach.graph_def import tensor_proto
    from tfteach.protos import PluginData, SummaryMetadata
    w = events.EventFileWriter(str(tmp_path))
    meta = SummaryMetadata(plugin_data=PluginData(plugin_name="scalars"))
    for step in range(3):
        value = Summary.Value(tag="acc", tensor=tensor_proto(np.float32(step / 2)), metadata=meta if step == 0 else None)
        w.write_event(Event(step=step, summary=Summary(value=[value])))
    w.close()
    assert [(e.step, e.value) for e in events.read_scalars(str(tmp_path))["acc"]] == [(0, 0.0), (1, 0.5), (2, 1.0)]


def test_missing_logdir_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="No such log directory"):
        events.read_scalars(str(tmp_path / "nope"))


# ---- the inline plot ----------------------------------------------------------------------------
def test_plot_scalars_draws_one_line_per_tag():
    import matplotlib
    matplotlib.use("Agg")
    from matplotlib.figure import Figure
    ax = Figure().subplots()
    lines = events.plot_scalars(TF_LOGDIR, tags=["loss_1", "output_1"], ax=ax)
    assert [line.get_label() for line in lines] == ["loss_1", "output_1"]
    assert list(lines[0].get_xdata()) == list(range(100))
    assert ax.get_xlabel() == "step" and ax.get_legend() is not None


def test_plot_scalars_unknown_tag_lists_the_logged_ones():
    with pytest.raises(KeyError, match="logged tags: .*'loss_1'"):
        events.plot_scalars(TF_LOGDIR, tags=["nope"])


def _crc32c_byte_loop(data):
    crc = 0xFFFFFFFF
    for b in data:
        for _ in range(8):
            crc = (crc >> 1) ^ 0x82F63B78 if (crc ^ b) & 1 else crc >> 1
            b >>= 1
    return crc ^ 0xFFFFFFFF


@pytest.mark.parametrize("n", [0, 1, 100, 2047, 2048, 5000, 70001])
def test_one_crc32c_for_events_and_checkpoints_equals_a_bit_loop(n):
    from tfteach import crc32c
    from tfteach.train import sstable
    data = np.random.RandomState(n).bytes(n)
    assert events.crc32c is sstable.crc32c is crc32c.crc32c
    assert crc32c.crc32c(data) == _crc32c_byte_loop(data)
    assert crc32c.crc32c(data[n // 3:], crc32c.crc32c(data[:n // 3])) == _crc32c_byte_loop(data)
