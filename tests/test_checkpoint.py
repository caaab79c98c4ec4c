"""The V2 checkpoint format: SSTable, tensor bundle, CRC32C, against files real TensorFlow wrote.

tests/fixtures/tf_written/checkpoint_net/ was written once by real TensorFlow
(tests/fixtures/make_tf_checkpoints.py); these tests only read it.
"""
import json
import os
import shutil

import numpy as np
import pytest

import tfteach as tf
from tfteach import events
from tfteach.protos import BundleEntryProto, BundleHeaderProto, TensorShapeProto, VersionDef
from tfteach.train import checkpoint, sstable

FIXTURES = os.path.join(os.path.dirname(__file__), "fixtures", "tf_written", "checkpoint_net")
PREFIX = os.path.join(FIXTURES, "model-3")
with open(os.path.join(FIXTURES, "expected.json")) as _f:
    EXPECTED = json.load(_f)


# ---- CRC32C ------------------------------------------------------------------------------
@pytest.mark.parametrize("n", [0, 1, 9, 8191, 8192, 8193, 50_001, 300_007])
def test_fast_crc32c_equals_the_byte_loop(n):
    data = np.random.default_rng(n).integers(0, 256, n, dtype=np.uint8).tobytes()
    assert sstable.crc32c(data) == events.crc32c(data)
    cut = n // 3  # crc32c(b, crc32c(a)) continues a CRC, as TF's crc32c::Extend
    assert sstable.crc32c(data[cut:], sstable.crc32c(data[:cut])) == events.crc32c(data)


def test_crc32c_check_value_and_mask():
    assert sstable.crc32c(b"123456789") == 0xE3069283
    assert sstable.mask(sstable.crc32c(b"abc")) == events.masked_crc32c(b"abc")


# ---- the SSTable -------------------------------------------------------------------------
def test_tensorflows_index_reads_and_rewrites_byte_for_byte():
    with open(PREFIX + ".index", "rb") as f:
        data = f.read()
    entries = sstable.read_table(data, PREFIX + ".index")
    assert [k.decode() for k, _ in entries] == [""] + sorted(EXPECTED["net"]["saved"])
    assert sstable.write_table(entries) == data


@pytest.mark.parametrize("block_size", [1, 64, 4096])
def test_table_round_trip_across_blocks_and_restart_points(block_size):
    keys = sorted({f"layer{i % 7}/w{i}".encode() for i in range(100)} | {b"", b"\xff\xff", b"a\xff", b"z"})
    entries = [(k, bytes(range(len(k) % 50)) * 3) for k in keys]
    data = sstable.write_table(entries, block_size=block_size)
    assert sstable.read_table(data, "t.index") == entries


def test_table_keys_must_increase():
    with pytest.raises(ValueError, match="must increase"):
        sstable.write_table([(b"b", b""), (b"a", b"")])


# ---- the bundle --------------------------------------------------------------------------
def test_bundle_protos_encode_as_tensorflow_does():
    header = BundleHeaderProto(num_shards=1, version=VersionDef(producer=1))
    assert header.SerializeToString() == bytes.fromhex("0801 1a02 0801")
    entry = BundleEntryProto(dtype=1, shape=TensorShapeProto(), size=4, crc32c=0xDFC7EBFD)
    assert entry.SerializeToString() == bytes.fromhex("0801 1200 2804 35fd ebc7 df")  # fixed32, not varint
    assert BundleEntryProto.FromString(entry.SerializeToString()).crc32c == 0xDFC7EBFD


def test_reads_the_values_tensorflow_saved():
    reader = tf.train.load_checkpoint(PREFIX)
    dtypes = reader.get_variable_to_dtype_map()
    assert dtypes["global_step"] == tf.int64 and dtypes["layer1/weights"] == tf.float32
    for name, value in EXPECTED["net"]["saved"].items():
        got = reader.get_tensor(name)
        np.testing.assert_array_equal(got, np.array(value, dtype=dtypes[name].np), err_msg=name)
        assert reader.get_variable_to_shape_map()[name] == list(np.shape(value))


def test_load_checkpoint_list_variables_load_variable_accept_a_directory():
    assert tf.train.list_variables(FIXTURES) == sorted((k, list(np.shape(v)))
                                                       for k, v in EXPECTED["net"]["saved"].items())
    np.testing.assert_array_equal(tf.train.load_variable(FIXTURES, "layer2/biases:0"),
                                  np.float32(EXPECTED["net"]["saved"]["layer2/biases"]))
    assert tf.train.NewCheckpointReader(PREFIX).has_tensor("beta1_power")


def test_writing_tensorflows_tensors_gives_tensorflows_files(tmp_path):
    reader = checkpoint.CheckpointReader(PREFIX)
    names = sorted(reader.get_variable_to_shape_map())
    dtypes = reader.get_variable_to_dtype_map()
    checkpoint.write_bundle(str(tmp_path / "m"), names, reader.get_tensors(names), [dtypes[n] for n in names])
    for suffix in [".index", ".data-00000-of-00001"]:
        assert (tmp_path / ("m" + suffix)).read_bytes() == open(PREFIX + suffix, "rb").read(), suffix
    assert sorted(os.listdir(tmp_path)) == ["m.data-00000-of-00001", "m.index"]  # no temporary files left


def test_bundle_round_trip_of_every_numeric_dtype(tmp_path):
    values = {"f16": np.float16([1.5, -2]), "f64": np.arange(6.0).reshape(2, 3), "i8": np.int8([-3]),
              "u8": np.uint8([[250]]), "i16": np.int16(7), "i32": np.int32([1, 2]), "i64": np.int64(-5),
              "bool": np.array([True, False]), "empty": np.zeros((0, 3), np.float32)}
    names = list(values)
    checkpoint.write_bundle(str(tmp_path / "m"), names, list(values.values()), [v.dtype for v in values.values()])
    reader = checkpoint.CheckpointReader(str(tmp_path / "m"))
    for name, value in values.items():
        got = reader.get_tensor(name)
        assert got.dtype == value.dtype and got.shape == value.shape
        np.testing.assert_array_equal(got, value)


def test_missing_checkpoint_and_missing_key_are_not_found(tmp_path):
    with pytest.raises(tf.errors.NotFoundError, match="model-99") as e:
        tf.train.load_checkpoint(os.path.join(FIXTURES, "model-99"))
    assert "model-3" in str(e.value)  # the checkpoints that are there
    with pytest.raises(tf.errors.NotFoundError, match="Key nope not found in checkpoint"):
        tf.train.load_checkpoint(PREFIX).get_tensor("nope")
    with pytest.raises(ValueError, match="Couldn't find 'checkpoint' file"):
        tf.train.load_checkpoint(str(tmp_path))


# ---- corrupt files ------------------------------------------------------------------------
def _read_everything(prefix):
    reader = checkpoint.CheckpointReader(prefix)
    names = sorted(reader.get_variable_to_shape_map())
    return dict(zip(names, reader.get_tensors(names)))


@pytest.mark.parametrize("suffix", [".index", ".data-00000-of-00001"])
def test_fuzzed_files_give_data_loss_errors_naming_file_and_offset(tmp_path, suffix):
    """Truncations and bit flips (fixed seed): a DataLossError, or, for the few bytes no check
    covers (the footer's zero padding), exactly the original values; nothing else."""
    original = _read_everything(PREFIX)
    rng = np.random.default_rng(20240610)
    with open(PREFIX + suffix, "rb") as f:
        good = f.read()
    prefix = str(tmp_path / "model-3")
    other = ".data-00000-of-00001" if suffix == ".index" else ".index"
    shutil.copy(PREFIX + other, prefix + other)
    outcomes = {"error": 0, "same": 0}
    cases = [("cut", n) for n in [0, 1, len(good) - 1] + rng.integers(0, len(good), 60).tolist()]
    cases += [("flip", int(i)) for i in rng.integers(0, 8 * len(good), 300)]
    for kind, n in cases:
        bad = good[:n] if kind == "cut" else bytearray(good)
        if kind == "flip":
            bad[n // 8] ^= 1 << (n % 8)
        with open(prefix + suffix, "wb") as f:
            f.write(bytes(bad))
        try:
            got = _read_everything(prefix)
        except tf.errors.DataLossError as e:
            assert prefix + suffix in str(e) and "byte offset" in str(e), str(e)
            outcomes["error"] += 1
            continue
        assert kind == "flip" and got.keys() == original.keys(), (kind, n)
        for name in original:
            np.testing.assert_array_equal(got[name], original[name], err_msg=f"{kind} {n}: {name}")
        outcomes["same"] += 1
    assert outcomes["error"] > 0.9 * len(cases), outcomes
    if suffix != ".index":
        assert outcomes["same"] == 0  # every byte of the data file is under a tensor's CRC


def test_index_and_data_of_different_checkpoints_do_not_mix(tmp_path):
    a, b = str(tmp_path / "a"), str(tmp_path / "b")
    checkpoint.write_bundle(a, ["w"], [np.float32([1, 2])], [tf.float32])
    checkpoint.write_bundle(b, ["w"], [np.float32([3, 4])], [tf.float32])
    os.replace(b + ".data-00000-of-00001", a + ".data-00000-of-00001")
    with pytest.raises(tf.errors.DataLossError, match="fail their CRC check"):
        tf.train.load_checkpoint(a).get_tensor("w")


def test_reads_tensorflows_sharded_checkpoint():
    """Saver(sharded=True) over two devices: one index, entries pointing into two data files."""
    reader = tf.train.load_checkpoint(os.path.join(FIXTURES, "sharded", "model"))
    np.testing.assert_array_equal(reader.get_tensor("a"), np.float32(EXPECTED["sharded"]["a"]))
    assert reader.get_tensor("b") == EXPECTED["sharded"]["b"] and reader.get_tensor("b").dtype == np.int64
