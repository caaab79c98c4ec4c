"""Queues and readers, TF1's input pipeline before tf.data: FIFOQueue, RandomShuffleQueue,
TextLineReader, TFRecordReader, and CountUpTo (the epoch counter of the input producers).

Mirrors tensorflow/python/ops/data_flow_ops.py and io_ops.py. A queue's contents and a
reader's position live in the Session. TF1 fills queues from queue-runner threads; tfteach
has no threads: a dequeue that finds too few elements runs the enqueue ops of the queue's
started runners (tf.train.start_queue_runners) itself until it has enough, or until a
runner's input is exhausted (OutOfRangeError), which closes the queue, as TF's runner does.
The values seen are TF's; only `size()` differs (no runner fills a queue ahead of time).
"""
import numpy as np

from .. import dtypes as _dtypes
from ..dtypes import resource
from ..data.tfrecord import _check_compression, read_records_at
from ..errors import CancelledError, DeadlineExceededError, InvalidArgumentError, OpError, OutOfRangeError
from ..fileio import open_file, read_file
from ..graph import convert_to_tensor, get_default_graph
from ..registry import NotDifferentiable, apply_op, kernel, shape_rule
from ..tensor_shape import TensorShape, as_shape
from .random import get_seed
from .shapes import fmt


# ---- a queue's state in one session --------------------------------------------------------------
class _QueueState:
    def __init__(self, op, capacity, min_after_dequeue=0, seeds=(0, 0)):
        self.op, self.capacity, self.min_after_dequeue = op, capacity, min_after_dequeue
        self.items, self.closed = [], False
        self.rng = np.random.default_rng(None if seeds == (0, 0) else list(seeds)) if op.type.startswith("Random") \
            else None

    @property
    def kind(self):
        return "RandomShuffleQueue" if self.rng is not None else "FIFOQueue"


def _queues(session):
    return session.__dict__.setdefault("_queue_states", {})


def _state(ctx, handle):
    """The state of queue op `handle` in this session (made at the queue op's first run)."""
    s = _queues(ctx.session).get(handle)
    if s is None:
        a = handle.attrs
        s = _queues(ctx.session)[handle] = _QueueState(handle, a["capacity"], a.get("min_after_dequeue", 0),
                                                       (a.get("seed", 0), a.get("seed2", 0)))
    return s


def started_runners(session):
    """{queue op: [QueueRunner]} of the runners tf.train.start_queue_runners started in `session`."""
    return session.__dict__.setdefault("_started_queue_runners", {})


def _fill(ctx, state, wanted):
    """Run the queue's started runners until it holds `wanted` elements, or it is closed."""
    runners = started_runners(ctx.session).get(state.op, [])
    while len(state.items) < wanted and not state.closed and runners:
        runner = runners[0]
        try:
            runner._run_once(ctx.session)
        except OutOfRangeError:
            runners.pop(0)  # this runner's input is exhausted: TF's runner closes the queue
            if not runners:
                ctx.session.run(runner.close_op)
        except OpError as e:
            runner._report(e)
            raise e


def _dequeue(ctx, handle, n, up_to=False):
    """Take n elements (fewer for dequeue_up_to once the queue is closed), in order or at random."""
    state = _state(ctx, handle)
    extra = 0 if state.rng is None else state.min_after_dequeue
    if len(state.items) < n + extra:
        _fill(ctx, state, n + extra)
    have = len(state.items)
    if have < n + extra and not state.closed:
        if have >= n and state.rng is not None:
            pass  # no runner can add more: TF would wait; take what min_after_dequeue allows
        else:
            raise DeadlineExceededError(
                None, ctx.op, f"{state.kind} '{handle.name}' has {have} elements, {ctx.op.name} needs {n}, and no "
                f"started queue runner can add more: TensorFlow would wait here forever.\n\t [[node {ctx.op.name}]]\n"
                f"Hint: call tf.train.start_queue_runners(sess) after initializing the variables (the local ones "
                f"too: tf.local_variables_initializer()), or enqueue elements first.")
    if have < n and (not up_to or have == 0):
        raise OutOfRangeError(None, ctx.op, f"{state.kind} '{handle.name}' is closed and has insufficient elements "
                              f"(requested {n}, current size {have})\n\t [[node {ctx.op.name}]]")
    take = min(n, have)
    if state.rng is None:
        out, state.items = state.items[:take], state.items[take:]
    else:
        out = []
        for _ in range(take):
            i = int(state.rng.integers(len(state.items)))
            state.items[i], state.items[-1] = state.items[-1], state.items[i]
            out.append(state.items.pop())
    return out


def _check_components(ctx, state, components, many):
    dtypes = state.op.attrs["component_types"]
    shapes = state.op.attrs["shapes"]
    out = []
    for i, (value, dt) in enumerate(zip(components, dtypes)):
        arr = np.asarray(value, dtype=dt.np)
        shape = arr.shape[1:] if many else arr.shape
        if shapes and not shapes[i].is_compatible_with(shape):
            raise InvalidArgumentError(None, ctx.op, f"Shape mismatch in tuple component {i}. Expected "
                                       f"{fmt(shapes[i].as_tuple())}, got {fmt(shape)}\n\t [[node {ctx.op.name}]]")
        out.append(arr)
    return out


# ---- the queue ops ---------------------------------------------------------------------------
@kernel("FIFOQueueV2", inputs=(), session=True)
def _fifo_queue(ctx, component_types, shapes, capacity, container="", shared_name=""):
    _state(ctx, ctx.op)
    return ctx.op


@kernel("RandomShuffleQueueV2", inputs=(), session=True)
def _random_shuffle_queue(ctx, component_types, shapes, capacity, min_after_dequeue, seed=0, seed2=0,
                          container="", shared_name=""):
    _state(ctx, ctx.op)
    return ctx.op


def _enqueue_kernel(many):
    def enqueue(ctx, handle, *components, Tcomponents=None, timeout_ms=-1):  # noqa: N803 - TF attr name
        state = _state(ctx, handle)
        if state.closed:
            raise CancelledError(None, ctx.op, f"{state.kind} '{handle.name}' is closed.\n\t [[node {ctx.op.name}]]")
        arrays = _check_components(ctx, state, components, many)
        if many:
            n = {len(a) for a in arrays}
            if len(n) != 1:
                raise InvalidArgumentError(None, ctx.op, f"{ctx.op.name}: the components have different first "
                                           f"dimensions {sorted(n)}")
            new = [tuple(a[i] for a in arrays) for i in range(n.pop())]
        else:
            new = [tuple(arrays)]
        runners = started_runners(ctx.session).get(handle)
        if not runners and len(state.items) + len(new) > state.capacity:
            raise DeadlineExceededError(
                None, ctx.op, f"{state.kind} '{handle.name}' is full (capacity {state.capacity}): TensorFlow would "
                f"wait here until something dequeues.\n\t [[node {ctx.op.name}]]")
        state.items.extend(new)
    return enqueue


kernel("QueueEnqueueV2", inputs=("handle", "components"), session=True, same_dtype=False)(_enqueue_kernel(False))
kernel("QueueEnqueueManyV2", inputs=("handle", "components"), session=True, same_dtype=False)(_enqueue_kernel(True))


def _stack(items, k):
    return np.stack([item[k] for item in items]) if items else None


@kernel("QueueDequeueV2", inputs=("handle",), session=True, same_dtype=False)
def _queue_dequeue(ctx, handle, component_types, timeout_ms=-1, **_):
    (item,) = _dequeue(ctx, handle, 1)
    return item[0] if len(item) == 1 else tuple(item)


def _dequeue_many_kernel(up_to):
    def dequeue_many(ctx, handle, n, component_types, timeout_ms=-1, **_):
        items = _dequeue(ctx, handle, int(n), up_to=up_to)
        out = tuple(_stack(items, k) for k in range(len(component_types)))
        return out[0] if len(out) == 1 else out
    return dequeue_many


kernel("QueueDequeueManyV2", inputs=("handle", "n"), session=True, same_dtype=False)(_dequeue_many_kernel(False))
kernel("QueueDequeueUpToV2", inputs=("handle", "n"), session=True, same_dtype=False)(_dequeue_many_kernel(True))


@kernel("QueueCloseV2", inputs=("handle",), session=True, same_dtype=False)
def _queue_close(ctx, handle, cancel_pending_enqueues=False):
    _state(ctx, handle).closed = True


@kernel("QueueSizeV2", inputs=("handle",), session=True, same_dtype=False)
def _queue_size(ctx, handle):
    return np.int32(len(_state(ctx, handle).items))


@kernel("QueueIsClosedV2", inputs=("handle",), session=True, same_dtype=False)
def _queue_is_closed(ctx, handle):
    return np.bool_(_state(ctx, handle).closed)


def _queue_op_shapes(op):
    return [()] * len(op.outputs)


for _t in ("FIFOQueueV2", "RandomShuffleQueueV2", "QueueSizeV2", "QueueIsClosedV2"):
    shape_rule(_t)(_queue_op_shapes)
for _t in ("QueueEnqueueV2", "QueueEnqueueManyV2", "QueueCloseV2"):
    shape_rule(_t)(lambda op: [])


@shape_rule("QueueDequeueV2")
def _dequeue_shape(op):
    return [TensorShape(s) for s in op.attrs["_shapes"]]


def _dequeue_many_shape(op):
    n = None
    if op.type == "QueueDequeueManyV2" and op.inputs[1].op.type == "Const":
        n = int(op.inputs[1].op.attrs["value"])
    return [TensorShape(None) if s.ndims is None else TensorShape((n,) + s.as_tuple()) for s in op.attrs["_shapes"]]


shape_rule("QueueDequeueManyV2")(_dequeue_many_shape)
shape_rule("QueueDequeueUpToV2")(_dequeue_many_shape)
for _t in ("FIFOQueueV2", "RandomShuffleQueueV2", "QueueEnqueueV2", "QueueEnqueueManyV2", "QueueDequeueV2",
           "QueueDequeueManyV2", "QueueDequeueUpToV2", "QueueCloseV2", "QueueSizeV2", "QueueIsClosedV2"):
    NotDifferentiable(_t)


class QueueBase:
    """A queue of tuples of tensors whose contents live in the session (TF1's QueueBase)."""

    def __init__(self, dtypes, shapes, names, queue_ref):
        self._dtypes, self._shapes, self._names = dtypes, shapes, names
        self._queue_ref = queue_ref
        self._name = queue_ref.op.name.split("/")[-1]

    queue_ref = property(lambda self: self._queue_ref)
    name = property(lambda self: self._queue_ref.op.name)
    dtypes = property(lambda self: self._dtypes)
    shapes = property(lambda self: self._shapes)
    names = property(lambda self: self._names)

    def _components(self, vals, scope_name, many=False):
        if isinstance(vals, dict):
            if self._names is None:
                raise ValueError("Queue must have names to enqueue a dictionary")
            vals = [vals[k] for k in self._names]
        elif not isinstance(vals, (list, tuple)):
            vals = [vals]
        if len(vals) != len(self._dtypes):
            raise ValueError(f"Expected {len(self._dtypes)} components, got {len(vals)} in {scope_name}")
        tensors = [convert_to_tensor(v, dtype=dt, name=f"component_{i}") for i, (v, dt) in
                   enumerate(zip(vals, self._dtypes))]
        for t, want in zip(tensors, self._shapes or []):
            got = t.shape if not many or t.shape.ndims is None else \
                TensorShape(t.shape.as_tuple()[1:])
            if not want.is_compatible_with(got):
                raise ValueError(f"Shapes {want} and {got} are incompatible ({scope_name[:-1]}: an element of "
                                 f"the queue has shape {want})")
        return tensors

    def _op(self, suffix, name, inputs_fn, op_type, attrs, dtypes=None, num_outputs=None):
        graph = get_default_graph()
        with graph.name_scope(name or f"{self._name}_{suffix}") as scope:
            inputs = inputs_fn(scope)
            return apply_op(op_type, [self._queue_ref] + inputs, attrs, name=scope, dtypes=dtypes or [],
                            num_outputs=num_outputs)

    def enqueue(self, vals, name=None):
        """Op adding one element (a tensor, a list of tensors, or a dict with `names`)."""
        return self._op("enqueue", name, lambda s: self._components(vals, s), "QueueEnqueueV2",
                        {"Tcomponents": self._dtypes, "timeout_ms": -1})

    def enqueue_many(self, vals, name=None):
        """Op adding the slices of `vals` along their first dimension, each an element."""
        return self._op("EnqueueMany", name, lambda s: self._components(vals, s, many=True), "QueueEnqueueManyV2",
                        {"Tcomponents": self._dtypes, "timeout_ms": -1})

    def _result(self, out):
        out = out if isinstance(out, list) else [out]
        if self._names is not None:
            return dict(zip(self._names, out))
        return out[0] if len(out) == 1 else out

    def _shape_attr(self):
        return [s if s is not None else TensorShape(None) for s in (self._shapes or [None] * len(self._dtypes))]

    def dequeue(self, name=None):
        """The next element (a tensor, or a list/dict of tensors)."""
        return self._result(self._op("Dequeue", name, lambda s: [], "QueueDequeueV2",
                                     {"component_types": self._dtypes, "timeout_ms": -1,
                                      "_shapes": self._shape_attr()},
                                     dtypes=self._dtypes, num_outputs=len(self._dtypes)))

    def dequeue_many(self, n, name=None):
        """The next `n` elements, stacked along a new first dimension."""
        return self._result(self._op("DequeueMany", name,
                                     lambda s: [convert_to_tensor(n, dtype=_dtypes.int32, name="n")],
                                     "QueueDequeueManyV2", {"component_types": self._dtypes, "timeout_ms": -1,
                                                            "_shapes": self._shape_attr()},
                                     dtypes=self._dtypes, num_outputs=len(self._dtypes)))

    def dequeue_up_to(self, n, name=None):
        """Like dequeue_many, but a closed queue gives its last, smaller batch too."""
        return self._result(self._op("DequeueUpTo", name,
                                     lambda s: [convert_to_tensor(n, dtype=_dtypes.int32, name="n")],
                                     "QueueDequeueUpToV2", {"component_types": self._dtypes, "timeout_ms": -1,
                                                            "_shapes": self._shape_attr()},
                                     dtypes=self._dtypes, num_outputs=len(self._dtypes)))

    def close(self, cancel_pending_enqueues=False, name=None):
        """Op closing the queue: enqueues then fail, dequeues drain what is left."""
        return self._op("Close", name, lambda s: [], "QueueCloseV2",
                        {"cancel_pending_enqueues": bool(cancel_pending_enqueues)})

    def size(self, name=None):
        """The number of elements in the queue (int32)."""
        return self._op("Size", name, lambda s: [], "QueueSizeV2", {}, dtypes=[_dtypes.int32])

    def is_closed(self, name=None):
        return self._op("IsClosed", name, lambda s: [], "QueueIsClosedV2", {}, dtypes=[_dtypes.bool])


def _queue_args(capacity, dtypes, shapes, names):
    dtypes = [_dtypes.as_dtype(d) for d in (dtypes if isinstance(dtypes, (list, tuple)) else [dtypes])]
    if shapes is not None:
        shapes = [as_shape(s) for s in (shapes if isinstance(shapes, (list, tuple)) and shapes and
                                        isinstance(shapes[0], (list, tuple, TensorShape)) else [shapes])]
        if len(shapes) != len(dtypes):
            raise ValueError("Queue shapes must have the same length as dtypes")
    if names is not None:
        names = list(names) if isinstance(names, (list, tuple)) else [names]
        if len(names) != len(dtypes):
            raise ValueError("Queue names must have the same length as dtypes")
    return dtypes, shapes, names


class FIFOQueue(QueueBase):
    """A first-in first-out queue: `tf.FIFOQueue(capacity, [tf.float32], shapes=[[]])`."""

    def __init__(self, capacity, dtypes, shapes=None, names=None, shared_name=None, name="fifo_queue"):
        dtypes, shapes, names = _queue_args(capacity, dtypes, shapes, names)
        ref = apply_op("FIFOQueueV2", [], {"component_types": dtypes, "shapes": shapes or [], "capacity": int(capacity),
                                           "container": "", "shared_name": shared_name or ""},
                       name=name, dtypes=[resource])
        super().__init__(dtypes, shapes, names, ref)


class RandomShuffleQueue(QueueBase):
    """A queue that dequeues in random order, keeping `min_after_dequeue` elements to mix."""

    def __init__(self, capacity, min_after_dequeue, dtypes, shapes=None, names=None, seed=None, shared_name=None,
                 name="random_shuffle_queue"):
        dtypes, shapes, names = _queue_args(capacity, dtypes, shapes, names)
        seed1, seed2 = get_seed(seed)
        ref = apply_op("RandomShuffleQueueV2", [], {
            "component_types": dtypes, "shapes": shapes or [], "capacity": int(capacity),
            "min_after_dequeue": int(min_after_dequeue), "seed": seed1, "seed2": seed2, "container": "",
            "shared_name": shared_name or ""}, name=name, dtypes=[resource])
        super().__init__(dtypes, shapes, names, ref)


# ---- CountUpTo: the epoch counter of tf.train's input producers ----------------------------------
@kernel("CountUpTo", inputs=("ref",), ref_inputs=(0,), session=True, writes=True)
def _count_up_to(ctx, ref, limit):
    old = ctx.read_variable(ref)
    if int(old) >= limit:
        raise OutOfRangeError(None, ctx.op, f"Reached limit of {limit}\n\t [[node {ctx.op.name}]]")
    ctx.write_variable(ref, old + 1)
    return np.array(old)


shape_rule("CountUpTo")(lambda op: [()])
NotDifferentiable("CountUpTo")


def count_up_to(ref, limit, name=None):
    """Op that adds 1 to int variable `ref` and returns its old value; OutOfRangeError at `limit`."""
    return apply_op("CountUpTo", [ref], {"limit": int(limit)}, name=name, dtypes=[ref.dtype.base_dtype])


# ---- readers ---------------------------------------------------------------------------------------
class _ReaderState:
    def __init__(self):
        self.file, self.records = None, None
        self.produced = 0


def _readers(session):
    return session.__dict__.setdefault("_reader_states", {})


@kernel("TextLineReaderV2", inputs=(), session=True)
def _text_line_reader(ctx, skip_header_lines=0, container="", shared_name=""):
    return ctx.op


@kernel("TFRecordReaderV2", inputs=(), session=True)
def _tfrecord_reader(ctx, compression_type="", container="", shared_name=""):
    return ctx.op


@kernel("WholeFileReaderV2", inputs=(), session=True)
def _whole_file_reader(ctx, container="", shared_name=""):
    return ctx.op


def _whole_file(name):
    yield name, read_file(name)


def _text_records(name, skip):
    with open_file(name) as f:
        for number, line in enumerate(f, start=1):
            if number > skip:
                yield f"{name}:{number}", line.rstrip(b"\n").rstrip(b"\r")


def _tfrecord_records(name):
    for offset, data in read_records_at(name):
        yield f"{name}:{offset}", data


@kernel("ReaderReadV2", inputs=("reader_handle", "queue_handle"), session=True, same_dtype=False)
def _reader_read(ctx, reader, queue):
    state = _readers(ctx.session).setdefault(reader, _ReaderState())
    while True:
        if state.records is None:
            (item,) = _dequeue(ctx, queue, 1)
            name = item[0].decode() if isinstance(item[0], bytes) else str(item[0])
            state.file = name
            state.records = (_text_records(name, reader.attrs.get("skip_header_lines", 0))
                             if reader.type == "TextLineReaderV2" else _whole_file(name)
                             if reader.type == "WholeFileReaderV2" else _tfrecord_records(name))
        for key, value in state.records:
            state.produced += 1
            return np.array(key.encode(), dtype=object), np.array(value, dtype=object)
        state.records = None


@kernel("ReaderNumRecordsProducedV2", inputs=("reader_handle",), session=True, same_dtype=False)
def _reader_num_records(ctx, reader):
    return np.int64(_readers(ctx.session).setdefault(reader, _ReaderState()).produced)


@kernel("ReaderResetV2", inputs=("reader_handle",), session=True, same_dtype=False)
def _reader_reset(ctx, reader):
    _readers(ctx.session)[reader] = _ReaderState()


for _t in ("TextLineReaderV2", "TFRecordReaderV2", "WholeFileReaderV2", "ReaderNumRecordsProducedV2"):
    shape_rule(_t)(lambda op: [()])
shape_rule("ReaderReadV2")(lambda op: [(), ()])
shape_rule("ReaderResetV2")(lambda op: [])
for _t in ("TextLineReaderV2", "TFRecordReaderV2", "WholeFileReaderV2", "ReaderReadV2", "ReaderNumRecordsProducedV2", "ReaderResetV2"):
    NotDifferentiable(_t)


class ReaderBase:
    """A reader: `read(queue)` gives (key, value) of the next record of the files the queue names."""

    def __init__(self, reader_ref):
        self._reader_ref = reader_ref

    reader_ref = property(lambda self: self._reader_ref)

    def read(self, queue, name=None):
        """(key, value) scalar strings: "file:line" (or "file:offset") and the record."""
        queue_ref = queue.queue_ref if isinstance(queue, QueueBase) else queue
        return tuple(apply_op("ReaderReadV2", [self._reader_ref, queue_ref], {}, name=name or "ReaderReadV2",
                              dtypes=[_dtypes.string, _dtypes.string]))

    def num_records_produced(self, name=None):
        return apply_op("ReaderNumRecordsProducedV2", [self._reader_ref], {}, name=name or "ReaderNumRecordsProducedV2",
                        dtypes=[_dtypes.int64])

    def reset(self, name=None):
        return apply_op("ReaderResetV2", [self._reader_ref], {}, name=name or "ReaderResetV2", dtypes=[])


class TextLineReader(ReaderBase):
    """Reads files line by line (without the line ending), after `skip_header_lines`."""

    def __init__(self, skip_header_lines=None, name=None):
        super().__init__(apply_op("TextLineReaderV2", [], {"skip_header_lines": int(skip_header_lines or 0),
                                                           "container": "", "shared_name": ""},
                                  name=name or "TextLineReaderV2", dtypes=[resource]))


class TFRecordReader(ReaderBase):
    """Reads the records of TFRecord files."""

    def __init__(self, name=None, options=None):
        _check_compression(options)
        super().__init__(apply_op("TFRecordReaderV2", [], {"compression_type": "", "container": "",
                                                           "shared_name": ""},
                                  name=name or "TFRecordReaderV2", dtypes=[resource]))


class WholeFileReader(ReaderBase):
    """Reads each file whole: key the file name, value its contents (e.g. for tf.io.decode_png)."""

    def __init__(self, name=None):
        super().__init__(apply_op("WholeFileReaderV2", [], {"container": "", "shared_name": ""},
                                  name=name or "WholeFileReaderV2", dtypes=[resource]))
