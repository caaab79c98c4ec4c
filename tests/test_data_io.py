"""TFRecord files across libraries, and hostile files.

tests/fixtures/make_data_files.py (run by hand with real TensorFlow) wrote a file with TF
that tfteach must read, and read with TF a file that tfteach wrote; here tfteach reads the
first, writes the second again (the same bytes, so TF's reading of it still holds) and
meets files built to hurt: a length field of 2**60, a flipped byte, a cut record.
"""
import json
import os
import struct
import sys

import numpy as np
import pytest

import tfteach as tf
from tfteach.crc32c import masked_crc32c

DATA = os.path.join(os.path.dirname(__file__), "fixtures", "data")
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "fixtures"))


def _rows():
    """The rows make_data_files.py wrote."""
    import make_data_files
    return make_data_files.rows()


def _read_all(path):
    tf.reset_default_graph()
    spec = {"x": tf.io.FixedLenFeature([2], tf.float32), "label": tf.io.FixedLenFeature([], tf.int64),
            "name": tf.io.FixedLenFeature([], tf.string)}
    nxt = tf.data.TFRecordDataset(path).map(lambda r: tf.io.parse_single_example(r, spec)) \
        .make_one_shot_iterator().get_next()
    out = []
    with tf.Session() as sess:
        while True:
            try:
                out.append(sess.run(nxt))
            except tf.errors.OutOfRangeError:
                return out


def test_tfteach_reads_a_file_tensorflow_wrote():
    got = _read_all(os.path.join(DATA, "tf_written.tfrecord"))
    want = _rows()
    assert len(got) == len(want)
    for g, w in zip(got, want):
        np.testing.assert_array_equal(g["x"], np.float32(w["x"]))
        assert g["x"].dtype == np.float32 and g["label"].dtype == np.int64
        assert g["label"] == w["label"] and g["name"] == w["name"]


def test_tensorflow_read_what_tfteach_writes(tmp_path):
    """tfteach's writer gives the bytes TF read back (fixture), and TF got the rows."""
    import make_data_files
    path = str(tmp_path / "again.tfrecord")
    make_data_files.write(tf, path)
    with open(path, "rb") as f, open(os.path.join(DATA, "tfteach_written.tfrecord"), "rb") as g:
        assert f.read() == g.read()
    with open(os.path.join(DATA, "tf_read_tfteach.json")) as f:
        tf_rows = json.load(f)["rows"]
    assert [(r["x"], r["label"], r["name"].encode()) for r in tf_rows] == \
        [(list(map(float, np.float32(r["x"]))), r["label"], r["name"]) for r in _rows()]


def test_same_framing_as_tensorflow(tmp_path):
    """Records copied from TF's file through tfteach's writer give TF's file, byte for byte."""
    src = os.path.join(DATA, "tf_written.tfrecord")
    path = str(tmp_path / "copy.tfrecord")
    with tf.python_io.TFRecordWriter(path) as w:
        for record in tf.python_io.tf_record_iterator(src):
            w.write(record)
    with open(src, "rb") as f, open(path, "rb") as g:
        assert f.read() == g.read()


def _header(length):
    head = struct.pack("<Q", length)
    return head + struct.pack("<I", masked_crc32c(head))


def _first(path):
    tf.reset_default_graph()
    nxt = tf.data.TFRecordDataset(path).make_one_shot_iterator().get_next()
    with tf.Session() as sess:
        return sess.run(nxt)


def test_hostile_length_field_is_bounded(tmp_path, monkeypatch):
    """A length of 2**60 with a valid CRC is refused before anything is read or allocated."""
    path = str(tmp_path / "huge.tfrecord")
    with open(path, "wb") as f:
        f.write(_header(2 ** 60) + b"tiny")
    asked = []
    real_open = open

    class Spy:
        def __init__(self, f):
            self.f = f

        def read(self, n=-1):
            asked.append(n)
            return self.f.read(n)

        def __getattr__(self, name):
            return getattr(self.f, name)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.f.close()

    import tfteach.fileio as fileio
    monkeypatch.setattr(fileio, "open", lambda p, mode="r": Spy(real_open(p, mode)), raising=False)
    with pytest.raises(tf.errors.DataLossError, match="truncated record at 0"):
        _first(path)
    assert asked and max(asked) <= os.path.getsize(path)


@pytest.mark.parametrize("damage, message", [
    (lambda raw: raw[:14] + bytes([raw[14] ^ 1]) + raw[15:], "corrupted record at 0"),
    (lambda raw: raw[:3] + bytes([raw[3] ^ 1]) + raw[4:], "corrupted record at 0"),
    (lambda raw: raw[:-2], "truncated record at 21"),
    (lambda raw: raw[:25], "truncated record at 21"),
])
def test_damaged_files_raise_data_loss(tmp_path, damage, message):
    path = str(tmp_path / "d.tfrecord")
    with tf.io.TFRecordWriter(path) as w:
        w.write(b"hello")
        w.write(b"world")
    with open(path, "rb") as f:
        raw = f.read()
    with open(path, "wb") as f:
        f.write(damage(raw))
    tf.reset_default_graph()
    nxt = tf.data.TFRecordDataset(path).make_one_shot_iterator().get_next()
    with tf.Session() as sess:
        with pytest.raises(tf.errors.DataLossError, match=message):
            while True:
                sess.run(nxt)


def test_writer_rejects_compression():
    with pytest.raises(tf.errors.InvalidArgumentError, match="uncompressed"):
        tf.io.TFRecordWriter("/tmp/never.tfrecord", options="GZIP")


def _png_chunks(width, height, idat):
    import zlib

    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", idat) + chunk(b"IEND", b""))


def test_png_that_inflates_past_its_header_is_refused():
    """A zlib bomb: 4x4 pixels in the header, 64 MB of zeros in the data; refused before inflating it all."""
    import zlib
    bomb = _png_chunks(4, 4, zlib.compress(b"\0" * (64 << 20), 9))
    assert len(bomb) < 100_000
    tf.reset_default_graph()
    img = tf.io.decode_png(tf.constant(bomb))
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError, match="inflates to more bytes"):
            sess.run(img)


def test_png_header_too_big_for_memory_is_refused():
    import zlib
    huge = _png_chunks(200_000, 200_000, zlib.compress(b"\0" * 100))
    tf.reset_default_graph()
    img = tf.io.decode_png(tf.constant(huge))
    with tf.Session() as sess:
        with pytest.raises(tf.errors.ResourceExhaustedError):
            sess.run(img)
