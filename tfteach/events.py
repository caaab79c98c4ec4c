"""Event files, the logs TensorBoard reads: TFRecord framing, a writer, readers and a plot.

Mirrors tensorflow/core/util/events_writer.cc and tensorboard's event_file_loader. Read back
without TensorBoard: `read_scalars(logdir)`, or `plot_scalars(logdir)` in a notebook.
"""
import collections
import itertools
import os
import socket
import struct
import time
import warnings
import weakref

from .crc32c import crc32c, masked_crc32c  # noqa: F401 - one CRC32C for events and checkpoints
from .errors import DataLossError, NotFoundError
from .fileio import open_file
from .graph_def import tensor_to_numpy
from .protobuf import DecodeError
from .protos import Event, GraphDef

# ---- TFRecord framing: length, CRC of length, data, CRC of data ---------------------------
def tfrecord(data):
    """One record: uint64 length, uint32 masked CRC of those 8 bytes, the data, its masked CRC."""
    header = struct.pack("<Q", len(data))
    return header + struct.pack("<I", masked_crc32c(header)) + data + struct.pack("<I", masked_crc32c(data))


def read_records(path):
    """Yield (byte offset, data) for each record of a TFRecord file, checking both CRCs.

    A record cut by the end of the file (its writer died mid-write) ends the records with one
    warning naming the file and offset: every complete record before it is yielded. Any
    changed byte raises tf.errors.DataLossError naming the file and offset. A length field is
    checked against the bytes the file has left before anything is read, so a corrupt one
    cannot ask for gigabytes.
    """
    with open_file(path) as f:
        size = os.fstat(f.fileno()).st_size
        offset = 0
        while True:
            header = f.read(12)
            if not header:
                return
            if len(header) < 12:
                _warn_cut(path, offset, f"the file ends {len(header)} bytes into a record header")
                return
            length, length_crc = struct.unpack("<QI", header)
            if masked_crc32c(header[:8]) != length_crc:
                raise _data_loss(path, offset, "the record length fails its CRC check (corrupt file)")
            left = size - offset - 12
            if length + 4 > left:
                _warn_cut(path, offset, f"a record of {length} bytes is cut short: the file ends "
                          f"{max(left, 0)} bytes into it")
                return
            body = f.read(length + 4)
            data, (data_crc,) = body[:length], struct.unpack("<I", body[length:])
            if masked_crc32c(data) != data_crc:
                raise _data_loss(path, offset, "the record data fails its CRC check (corrupt file)")
            yield offset, data
            offset += 12 + length + 4


def _warn_cut(path, offset, what):
    warnings.warn(f"{path}: the last record, at byte offset {offset}, is incomplete ({what}); the {offset} "
                  f"bytes before it were read. Was the writer killed, or is it still writing?", stacklevel=3)


def _data_loss(path, offset, what):
    return DataLossError(None, None, f"{path}: bad record at byte offset {offset}: {what}. The records "
                         f"before this offset are fine; was the file cut short while copying or writing?")


# ---- writing --------------------------------------------------------------------------
_file_counter = itertools.count()


class EventFileWriter:
    """Appends Events to a new file `events.out.tfevents.<time>.<host>.<pid>.<counter>`.

    The counter makes two writers on one logdir in the same second write two files. The
    file is closed (so flushed) by close(), when the writer is garbage-collected, and at
    interpreter exit: a notebook that forgets close() still loses nothing.
    """

    def __init__(self, logdir, filename_suffix=""):
        os.makedirs(logdir, exist_ok=True)
        name = (f"events.out.tfevents.{int(time.time()):010d}.{socket.gethostname()}.{os.getpid()}."
                f"{next(_file_counter)}{filename_suffix or ''}")
        self.path = os.path.join(logdir, name)
        self._file = open(self.path, "wb")
        # weakref.finalize runs at garbage collection or at exit, whichever comes first
        self._closer = weakref.finalize(self, self._file.close)
        self.write_event(Event(wall_time=time.time(), file_version="brain.Event:2"))

    def write_event(self, event):
        self.write_serialized(event.SerializeToString())

    def write_serialized(self, data):
        """Append one serialized Event (bytes) as a record."""
        if self._file.closed:
            raise ValueError(f"Event file {self.path} is closed; reopen the writer first.")
        self._file.write(tfrecord(data))

    def flush(self):
        if not self._file.closed:
            self._file.flush()

    def close(self):
        self._closer()

    @property
    def closed(self):
        return self._file.closed


# ---- reading --------------------------------------------------------------------------
def event_files(logdir):
    """The event files of `logdir` (or `[logdir]` when it is a file), oldest first."""
    if os.path.isfile(logdir):
        return [logdir]
    if not os.path.isdir(logdir):
        raise LogDirNotFoundError(None, None, f"No such log directory: '{logdir}'")
    paths = (os.path.join(logdir, n) for n in os.listdir(logdir) if "tfevents" in n)
    return sorted(p for p in paths if os.path.isfile(p))  # a directory named like one is not one


class LogDirNotFoundError(NotFoundError, FileNotFoundError):
    """No log directory or event file at the path: a tf.errors.NotFoundError and a FileNotFoundError."""

    def __str__(self):
        return self.message


def read_events(logdir):
    """Yield every Event in an event file, or in all event files of a log directory."""
    for path in event_files(logdir):
        for offset, data in read_records(path):
            try:
                yield Event.FromString(data)
            except DecodeError as e:
                raise _data_loss(path, offset, f"the record is not an Event ({e})") from None


ScalarEvent = collections.namedtuple("ScalarEvent", ["wall_time", "step", "value"])
HistogramEvent = collections.namedtuple("HistogramEvent", ["wall_time", "step", "histo"])


def read_scalars(logdir):
    """Every logged scalar: {tag: [ScalarEvent(wall_time, step, value), ...]} in file order.

    Reads TF1's `simple_value` scalars and TF2's one-number tensor scalars, as TensorBoard's
    EventAccumulator.Scalars(tag) would. Example: `read_scalars('log_simple_stats')['loss']`.
    """
    scalars, plugin = {}, {}
    for event in read_events(logdir):
        for v in (event.summary.value if event.summary else ()):
            if v.metadata and v.metadata.plugin_data:
                plugin[v.tag] = v.metadata.plugin_data.plugin_name
            if v.simple_value is not None:
                value = v.simple_value
            elif v.tensor is not None and plugin.get(v.tag) == "scalars" and _one_number(v.tensor):
                value = float(tensor_to_numpy(v.tensor))
            else:
                continue
            scalars.setdefault(v.tag, []).append(ScalarEvent(event.wall_time, event.step, value))
    return scalars


def _one_number(tensor):
    """Whether a TensorProto's shape holds one number (checked before its values are made)."""
    shape = tensor.tensor_shape
    return shape is None or (not shape.unknown_rank and all(d.size == 1 for d in shape.dim))


def read_histograms(logdir):
    """Every logged histogram: {tag: [HistogramEvent(wall_time, step, HistogramProto), ...]}."""
    histograms = {}
    for event in read_events(logdir):
        for v in (event.summary.value if event.summary else ()):
            if v.histo is not None:
                histograms.setdefault(v.tag, []).append(HistogramEvent(event.wall_time, event.step, v.histo))
    return histograms


def read_graph(logdir):
    """The last graph written to `logdir` (a GraphDef; tf.import_graph_def reads it), or None."""
    graph = None
    for event in read_events(logdir):
        if event.graph_def is not None:
            graph = GraphDef.FromString(event.graph_def)
    return graph


# ---- the notebook's "TensorBoard" picture -------------------------------------------------
def plot_scalars(logdir, tags=None, ax=None):
    """Plot logged scalars against the step, one line per tag; returns the Line2D artists.

    Args:
      logdir: the directory given to the FileWriter (or one event file).
      tags: which tags to draw (default: all, in the order first logged).
      ax: matplotlib Axes to draw on (default: the current axes of pyplot).
    Never calls plt.show(): the notebook's inline backend shows the figure.
    """
    scalars = read_scalars(logdir)
    if tags is None:
        tags = list(scalars)
    missing = [t for t in tags if t not in scalars]
    if missing:
        raise KeyError(f"No scalars tagged {missing} in '{logdir}'; logged tags: {sorted(scalars)}")
    if ax is None:
        import matplotlib.pyplot as plt
        ax = plt.gca()
    lines = []
    for tag in tags:
        steps = [e.step for e in scalars[tag]]
        values = [e.value for e in scalars[tag]]
        lines += ax.plot(steps, values, label=tag)
    ax.set_xlabel("step")
    ax.set_title(os.path.basename(os.path.normpath(logdir)))
    if lines:
        ax.legend()
    return lines
