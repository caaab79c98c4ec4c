"""TF's V2 checkpoint, a "tensor bundle": `<prefix>.index` and `<prefix>.data-00000-of-00001`.

Mirrors tensorflow/core/util/tensor_bundle/tensor_bundle.cc and py_checkpoint_reader.
The data file is every tensor's raw little-endian bytes, one after another. The index is an
SSTable (sstable.py) mapping each tensor's name to a BundleEntryProto: dtype, shape, and where
its bytes are, with their CRC32C (masked, as TF stores it); under the empty key, a
BundleHeaderProto.
Writing is atomic per prefix: both files are written under temporary names, then renamed, the
data file keeping the bytes the old index points at (see write_bundle).
"""
import glob
import math
import os
import re
import uuid

import numpy as np

from .. import dtypes as _dtypes
from ..errors import DataLossError, InvalidArgumentError, NotFoundError, OpError, UnimplementedError
from ..fileio import open_file, read_file
from ..graph_def import dtype_enum, enum_dtype, proto_shape, shape_proto
from ..protobuf import DecodeError
from ..protos import BundleEntryProto, BundleHeaderProto, VersionDef
from . import sstable

VERSION = 1  # kTensorBundleVersion: the format version TF writes and the newest it reads


def data_filename(prefix, shard=0, num_shards=1):
    return f"{prefix}.data-{shard:05d}-of-{num_shards:05d}"


def index_filename(prefix):
    return prefix + ".index"


# ---- atomic writes ----------------------------------------------------------------------
# A temporary file is named after its writer's process id, so the next save can tell the
# leftovers of a killed process from the files another live process is still writing.
_TEMP = re.compile(r"\.tempstate(\d+)-[0-9a-f]+$")


def temp_name(path):
    """Where `path` is written before being renamed into place (TF's `.tempstate<random>`)."""
    return f"{path}.tempstate{os.getpid()}-{uuid.uuid4().hex[:12]}"


def write_file(path, data):
    """Write `data` to a temporary file and flush it to disk; returns the temporary name."""
    temp = temp_name(path)
    try:
        with open(temp, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())  # the bytes are on disk before the rename makes them visible
    except BaseException:
        _remove(temp)
        raise
    return temp


def atomic_write(path, data):
    """Replace `path` by `data` at once: a reader (or a crash) sees the old file or the new one."""
    os.replace(write_file(path, data), path)
    sync_directory(os.path.dirname(path))


def sync_directory(directory):
    """Flush a directory's entries (the renames just made) to disk, where the OS allows it."""
    try:
        fd = os.open(directory or ".", os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # e.g. Windows, or a filesystem without directory fsync: the renames still happened
    finally:
        os.close(fd)


def remove_stale_temps(directory):
    """Delete the temporary files that processes killed mid-save left in `directory`."""
    if os.name != "posix":
        return
    try:
        names = os.listdir(directory or ".")
    except OSError:
        return
    for name in names:
        match = _TEMP.search(name)
        if match and not _alive(int(match.group(1))):
            _remove(os.path.join(directory, name))


def _alive(pid):
    if pid == os.getpid():
        return True  # ours: another thread may be saving right now
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, owned by someone else
    return True


def _remove(path):
    try:
        os.remove(path)
    except (FileNotFoundError, IsADirectoryError, PermissionError):
        pass


# ---- writing --------------------------------------------------------------------------------
def tensor_bytes(value, dtype):
    """The bytes TF stores for a tensor: its elements, C order, little-endian."""
    if dtype == _dtypes.string:
        raise UnimplementedError(None, None, "tfteach does not save string tensors in checkpoints")
    arr = np.ascontiguousarray(value, dtype=dtype.np.newbyteorder("<"))
    return arr.tobytes()


def write_bundle(prefix, names, values, dtypes):
    """Save `values` under `names` as the checkpoint `prefix` (TF's BundleWriter).

    The tensors go into the data file in the order given; the index lists them sorted. The
    directory holding `prefix` is created when its own parent exists, as TF does.
    """
    if len(set(names)) != len(names):
        raise InvalidArgumentError(None, None, f"a checkpoint cannot hold two tensors of one name: {names}")
    directory = os.path.dirname(prefix)
    if directory and not os.path.isdir(directory):
        try:
            os.mkdir(directory)
        except FileNotFoundError:
            raise NotFoundError(None, None, f"{directory}; No such file or directory") from None
    remove_stale_temps(directory)
    raws = [tensor_bytes(value, _dtypes.as_dtype(dtype).base_dtype) for value, dtype in zip(values, dtypes)]
    kept, base = _previous_bytes(prefix, sum(len(raw) for raw in raws))
    entries, offset = {}, base
    for name, value, dtype, raw in zip(names, values, dtypes, raws):
        entries[name.encode("utf-8")] = BundleEntryProto(
            dtype=dtype_enum(_dtypes.as_dtype(dtype).base_dtype), shape=shape_proto(np.shape(value)),
            offset=offset, size=len(raw), crc32c=sstable.mask(sstable.crc32c(raw)))
        offset += len(raw)
    new = b"".join(raws)
    data = new + kept[len(new):] if base == 0 else kept + new
    header = BundleHeaderProto(num_shards=1, version=VersionDef(producer=VERSION))
    index = [(b"", header.SerializeToString())]
    index += [(key, entries[key].SerializeToString()) for key in sorted(entries)]
    temps = []
    try:
        temps.append(write_file(data_filename(prefix), data))
        temps.append(write_file(index_filename(prefix), sstable.write_table(index)))
        # The data file first. It still holds the previous checkpoint's bytes where the old
        # index points, so between the two renames the old index reads the old values; the
        # index's rename is the one moment the prefix switches to the new checkpoint.
        os.replace(temps[0], data_filename(prefix))
        sync_directory(directory)
        os.replace(temps[1], index_filename(prefix))
        sync_directory(directory)
    finally:
        for temp in temps:
            _remove(temp)


def _previous_bytes(prefix, size):
    """(bytes to keep, where the new tensors go) when saving `size` bytes over checkpoint `prefix`.

    The bytes the current index points at keep their offsets in the new data file: the new
    tensors go before them when they fit, after them otherwise. A data file is thus at most
    about twice its checkpoint, and only when a prefix is saved over. A fresh prefix, or one
    whose old files are unreadable anyway, gets TF's layout: the tensors from offset 0.
    """
    try:
        reader = CheckpointReader(prefix)
        spans = [(e.offset, e.offset + e.size) for e in reader._entries.values() if e.size]
        if not spans or reader._num_shards != 1:
            return b"", 0
        start, end = min(s for s, _ in spans), max(e for _, e in spans)
        with open(data_filename(prefix), "rb") as f:
            kept = f.read(end)
    except (OpError, OSError):
        return b"", 0
    if len(kept) < end:
        return b"", 0
    return (kept, 0) if size <= start else (kept, end)


# ---- reading --------------------------------------------------------------------------------
def checkpoint_exists(prefix):
    """Whether `prefix` names a V2 checkpoint (its `.index` file exists)."""
    return os.path.isfile(index_filename(os.fspath(prefix)))


class CheckpointReader:
    """The tensors of a checkpoint: `get_tensor(name)`, `get_variable_to_shape_map()`, ...

    TF's `tf.train.load_checkpoint(path)` (py_checkpoint_reader). The index is read and
    checked when the reader is made; a tensor's bytes are read, and checked against their
    CRC32C, when asked for.
    """

    def __init__(self, prefix):
        prefix = os.fspath(prefix)
        self._prefix = prefix
        self._index_path = index_filename(prefix)
        if not os.path.lexists(self._index_path):
            raise NotFoundError(None, None, _not_found_message(prefix))
        data = read_file(self._index_path, what="checkpoint index")
        table = sstable.read_table(data, self._index_path)
        if not table or table[0][0] != b"":
            raise self._loss(0, "the index has no header entry (under the empty key)")
        header = self._parse(BundleHeaderProto, table[0][1], "header")
        if header.endianness != 0:
            raise UnimplementedError(None, None, f"{self._index_path}: the checkpoint was written on a big-endian "
                                     f"machine; tfteach reads little-endian checkpoints only.")
        version = header.version or VersionDef()
        if version.min_consumer > VERSION:
            raise UnimplementedError(None, None, f"{self._index_path}: checkpoint format version "
                                     f"{version.producer} needs a reader of version {version.min_consumer}; "
                                     f"tfteach reads version {VERSION}.")
        if header.num_shards < 1:
            raise self._loss(0, f"the header says {header.num_shards} data files")
        self._num_shards = header.num_shards
        self._entries = {}
        for key, value in table[1:]:
            name = key.decode("utf-8", errors="replace")
            entry = self._parse(BundleEntryProto, value, f"entry '{name}'")
            if not 0 <= entry.shard_id < self._num_shards or entry.offset < 0 or entry.size < 0:
                raise self._loss(0, f"entry '{name}' points outside the data files")
            shape = entry.shape
            if shape is not None and (shape.unknown_rank or any(d.size < 0 for d in shape.dim)):
                raise self._loss(0, f"entry '{name}' has shape {proto_shape(shape)}; a saved tensor's shape is "
                                 f"fully defined")
            self._entries[name] = entry

    def _parse(self, cls, value, what):
        try:
            return cls.FromString(value)
        except DecodeError as e:
            raise self._loss(0, f"its {what} is not a {cls.__name__} ({e})") from None

    def _loss(self, offset, what):
        return DataLossError(None, None, f"{self._index_path}: corrupt checkpoint index at byte offset "
                             f"{offset}: {what}.")

    # ---- what the checkpoint holds ----------------------------------------------------
    def has_tensor(self, name):
        return name in self._entries

    def get_variable_to_shape_map(self):
        """{name: [dims]} of every tensor in the checkpoint."""
        return {name: self._shape(name) for name in self._entries}

    def get_variable_to_dtype_map(self):
        """{name: tf.DType} of every tensor in the checkpoint."""
        return {name: self._dtype(name) for name in self._entries}

    def _shape(self, name):
        return list(proto_shape(self._entries[name].shape or shape_proto(())).as_tuple())

    def _dtype(self, name):
        try:
            return enum_dtype(self._entries[name].dtype)
        except ValueError as e:
            raise UnimplementedError(None, None, f"{self._index_path}: tensor '{name}': {e}") from None

    def debug_string(self):
        """One line per tensor, `name (dtype) [dims]`, sorted by name (as bytes)."""
        return "".join(f"{n} ({self._dtype(n).name}) {self._shape(n)}\n" for n in self._entries).encode()

    # ---- values -------------------------------------------------------------------------
    def get_tensor(self, name):
        """The value of tensor `name` as a numpy array, a scalar as a numpy scalar (`np.int64(3)`), as
        TF's reader returns it (NotFoundError when it is not there)."""
        value = self.get_tensors([name])[0]
        return value[()] if value.ndim == 0 else value

    def get_tensors(self, names):
        """The values of several tensors, each data file opened once."""
        missing = [n for n in names if n not in self._entries]
        if missing:
            raise NotFoundError(None, None, "Key " + ", ".join(missing) + f" not found in checkpoint "
                                f"{self._prefix}")
        files = {}
        try:
            return [self._read(name, files) for name in names]
        finally:
            for f in files.values():
                f.close()

    def _read(self, name, files):
        entry = self._entries[name]
        dtype = self._dtype(name)
        if entry.slices:
            raise UnimplementedError(None, None, f"{self._index_path}: tensor '{name}' is saved in slices (a "
                                     f"partitioned variable); tfteach does not read those.")
        if dtype == _dtypes.string:
            raise UnimplementedError(None, None, f"{self._index_path}: tensor '{name}' holds strings; tfteach "
                                     f"does not read string tensors from checkpoints.")
        path = data_filename(self._prefix, entry.shard_id, self._num_shards)
        shape = tuple(self._shape(name))
        itemsize = np.dtype(dtype.np).itemsize
        if entry.size != math.prod(shape) * itemsize:
            raise self._loss(0, f"entry '{name}' says {entry.size} bytes for a {dtype.name} tensor of shape "
                             f"{list(shape)}")
        if path not in files:
            if not os.path.lexists(path):
                raise NotFoundError(None, None, f"{path}: the checkpoint's data file is missing (its .index "
                                    f"file is there)")
            files[path] = open_file(path)
        f = files[path]
        # checked against the file before reading: a corrupt entry cannot ask for more than is there
        file_size = os.fstat(f.fileno()).st_size
        if entry.offset + entry.size > file_size:
            raise DataLossError(None, None, f"{path}: tensor '{name}' at byte offset {entry.offset}: its "
                                f"{entry.size} bytes run past the end of the {file_size}-byte file (cut short, "
                                f"or not this .index's data file).")
        f.seek(entry.offset)
        raw = f.read(entry.size)
        if len(raw) < entry.size:
            raise DataLossError(None, None, f"{path}: tensor '{name}' at byte offset {entry.offset}: the file "
                                f"ends {len(raw)} bytes into its {entry.size} bytes (cut short?).")
        if sstable.mask(sstable.crc32c(raw)) != entry.crc32c:
            raise DataLossError(None, None, f"{path}: tensor '{name}' at byte offset {entry.offset}: its "
                                f"{entry.size} bytes fail their CRC check (the file is corrupt, or does "
                                f"not belong to this .index).")
        return np.frombuffer(raw, dtype.np.newbyteorder("<")).astype(dtype.np).reshape(shape)


NewCheckpointReader = CheckpointReader


def _not_found_message(prefix):
    return (f"Unsuccessful TensorSliceReader constructor: Failed to find any matching files for {prefix}"
            f" (there is no file {index_filename(prefix)}).{missing_checkpoint_hint(prefix)}")


def missing_checkpoint_hint(prefix):
    """What is there instead of checkpoint `prefix`: a directory, or other checkpoints nearby."""
    if os.path.isdir(prefix):
        return (f" '{prefix}' is a directory: tf.train.latest_checkpoint('{prefix}') gives the path of its "
                f"latest checkpoint.")
    found = sorted(p[:-len(".index")] for p in glob.glob(glob.escape(os.path.dirname(prefix) or ".") + "/*.index"))
    if not found:
        return ""
    return " Checkpoints in that directory: " + ", ".join(found[:10]) + (" ..." if len(found) > 10 else "")
