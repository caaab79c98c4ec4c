"""FileWriter: writes summaries and graphs to an event file that TensorBoard reads.

Mirrors tensorflow/python/summary/writer/writer.py, but writes synchronously: each event
goes to the file buffer at once, flushed every `max_queue` events, after `flush_secs`, on
flush(), on close(), and at interpreter exit.
"""
import struct
import time

import numpy as np

from ..events import EventFileWriter
from ..protobuf import DecodeError, _fields, encode_varint
from ..protos import Event, GraphDef, Summary


class FileWriter:
    """Writes `Event`s to a new event file in `logdir`.

    Example (the seed's loop):
        writer = tf.summary.FileWriter('log_simple_stats', sess.graph)
        for i in range(100):
            writer.add_summary(sess.run(summaries), i)
        writer.close()
    Then `tensorboard --logdir=log_simple_stats`, or tfteach.events.plot_scalars in the notebook.
    """

    def __init__(self, logdir, graph=None, max_queue=10, flush_secs=120, graph_def=None,
                 filename_suffix=None, session=None):
        self._logdir = str(logdir)
        self._max_queue, self._flush_secs = max_queue, flush_secs
        self._suffix = filename_suffix
        self._events = EventFileWriter(self._logdir, filename_suffix)
        self._pending, self._last_flush = 0, time.time()
        if graph is not None or graph_def is not None:
            self.add_graph(graph, graph_def=graph_def)

    def get_logdir(self):
        return self._logdir

    def add_summary(self, summary, global_step=None):
        """Write a summary: what `sess.run(summary_op)` returned, or a tf.Summary."""
        if isinstance(summary, np.ndarray):
            summary = summary.item()
        if isinstance(summary, (bytes, bytearray)):
            # written as it came (what Event.SerializeToString would write around it), after
            # checking that it is a well-formed list of values; histograms are not re-encoded
            for number, wire, _ in _fields(summary):
                if number == 1 and wire != 2:
                    raise DecodeError(f"not a serialized Summary: field 1 has wire type {wire}")
            event = struct.pack("<Bd", 1 << 3 | 1, time.time())
            if step := int(global_step or 0):
                event += bytes([2 << 3]) + encode_varint(step)
            self._write(event + bytes([5 << 3 | 2]) + encode_varint(len(summary)) + bytes(summary))
            return
        if not isinstance(summary, Summary):
            raise TypeError(f"add_summary needs the value of a summary op (bytes) or a tf.Summary, got "
                            f"{type(summary).__name__}. Did you pass the op instead of sess.run(op)?")
        self.add_event(Event(summary=summary), global_step)

    def add_graph(self, graph, global_step=None, graph_def=None):
        """Write a graph (a tf.Graph, e.g. `sess.graph`, or a GraphDef) for TensorBoard's Graphs tab."""
        if graph is not None and graph_def is not None:
            raise ValueError("Please pass only graph, or graph_def (deprecated), but not both.")
        graph_def = graph_def if graph_def is not None else graph
        if not isinstance(graph_def, GraphDef):
            graph_def = graph_def.as_graph_def(add_shapes=True)  # shapes label TensorBoard's edges
        self.add_event(Event(graph_def=graph_def.SerializeToString()), global_step)

    def add_event(self, event, step=None):
        event.wall_time = time.time()
        if step is not None:
            event.step = int(step)
        self._write(event.SerializeToString())

    def _write(self, event_bytes):
        if self._events.closed:
            raise ValueError(f"This FileWriter for '{self._logdir}' is closed: nothing more can be "
                             f"written. Call writer.reopen() first, or make a new FileWriter.")
        self._events.write_serialized(event_bytes)
        self._pending += 1
        if self._pending >= self._max_queue or time.time() - self._last_flush >= self._flush_secs:
            self.flush()

    def flush(self):
        """Push everything written so far to the file, so TensorBoard sees it."""
        self._events.flush()
        self._pending, self._last_flush = 0, time.time()

    def close(self):
        """Flush and close the file. Calling it twice is harmless."""
        self._events.close()

    def reopen(self):
        """After close(), continue in a new event file in the same logdir."""
        if self._events.closed:
            self._events = EventFileWriter(self._logdir, self._suffix)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
