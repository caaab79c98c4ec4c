"""tf.data's graph ops: the *Dataset ops (each makes a description of a stream) and the
iterator ops (OneShotIterator, IteratorV2, MakeIterator, IteratorGetNext).

Mirrors tensorflow/core/kernels/data and python/ops/gen_dataset_ops. A dataset op's value
(dtype `variant`) is an immutable `Stream` object: a recipe that can start a Python
generator of elements (each a tuple of numpy arrays, one per component). An iterator's
state, the running generator, lives in the Session (so two sessions on one graph iterate
independently, as TF1's resource containers do). Map and filter functions are traced once
into a graph of their own (`Function`) and run element by element in a session of their own.
"""
import numpy as np

from .. import dtypes as _dtypes
from ..errors import FailedPreconditionError, InvalidArgumentError, OutOfRangeError
from ..graph import Graph, get_default_graph
from ..registry import PURE, NotDifferentiable, apply_op, kernel, shape_rule
from ..tensor_shape import TensorShape
from .shapes import fmt


variant, resource = _dtypes.variant, _dtypes.resource


# ---- the streams a dataset op's value describes ---------------------------------------------
class Env:
    """What a running stream needs: the session (to run traced functions) and per-iterator
    random generators for its shuffle stages."""

    def __init__(self, session):
        self.session = session
        self.rngs = {}

    def rng(self, stage, seeds, fresh=False):
        """The generator of a shuffle stage; `fresh` restarts it from its seeds (the same
        order each epoch, reshuffle_each_iteration=False)."""
        if fresh or stage not in self.rngs:
            self.rngs[stage] = np.random.default_rng(None if seeds == (0, 0) else list(seeds))
        return self.rngs[stage]


class Stream:
    """A dataset's value: `elements(env)` starts a fresh generator of element tuples."""

    def elements(self, env):
        raise NotImplementedError


class _Slices(Stream):
    def __init__(self, components, op):
        self.components, self.op = components, op

    def elements(self, env):
        n = len(self.components[0]) if self.components[0].ndim else None
        for c in self.components:
            if np.ndim(c) == 0:
                raise InvalidArgumentError(None, self.op, f"TensorSliceDataset '{self.op.name}': every "
                                           f"component must have rank >= 1, got a scalar")
            if len(c) != n:
                raise InvalidArgumentError(
                    None, self.op, f"Dimensions 0 in both shapes must be equal: {fmt(self.components[0].shape)} "
                    f"and {fmt(c.shape)} (TensorSliceDataset '{self.op.name}')")
        for i in range(n):
            yield tuple(c[i] for c in self.components)


class _Tensors(Stream):
    def __init__(self, components):
        self.components = components

    def elements(self, env):
        yield tuple(self.components)


class _Range(Stream):
    def __init__(self, start, stop, step):
        self.args = int(start), int(stop), int(step)

    def elements(self, env):
        for i in range(*self.args):
            yield (np.int64(i),)


class _Map(Stream):
    def __init__(self, upstream, fn, keep=False):
        self.upstream, self.fn, self.keep = upstream, fn, keep

    def elements(self, env):
        for element in self.upstream.elements(env):
            out = self.fn.call(env, element)
            if not self.keep:
                yield out
            elif bool(out[0]):  # filter: keep the element when the predicate says so
                yield element


class _Batch(Stream):
    def __init__(self, upstream, size, drop_remainder, op):
        self.upstream, self.size, self.drop, self.op = upstream, int(size), bool(drop_remainder), op

    def elements(self, env):
        if self.size <= 0:
            raise InvalidArgumentError(None, self.op, f"Batch size must be greater than zero, got {self.size}")
        batch = []
        for element in self.upstream.elements(env):
            batch.append(element)
            if len(batch) == self.size:
                yield self._stack(batch)
                batch = []
        if batch and not self.drop:
            yield self._stack(batch)

    def _stack(self, batch):
        out = []
        for k in range(len(batch[0])):
            parts = [np.asarray(e[k]) for e in batch]
            for j, p in enumerate(parts):
                if p.shape != parts[0].shape:
                    raise InvalidArgumentError(
                        None, self.op, f"Cannot batch tensors with different shapes in component {k}. First "
                        f"element had shape {fmt(parts[0].shape)} and element {j} had shape {fmt(p.shape)}.")
            out.append(np.stack(parts))
        return tuple(out)


class _Repeat(Stream):
    def __init__(self, upstream, count):
        self.upstream, self.count = upstream, int(count)

    def elements(self, env):
        epoch = 0
        while self.count < 0 or epoch < self.count:
            empty = True
            for element in self.upstream.elements(env):
                empty = False
                yield element
            if empty:  # an empty input repeated forever is empty, as in TF
                return
            epoch += 1


class _Shuffle(Stream):
    """TF's algorithm: keep a buffer of `size` elements; each step yields a random one and
    puts the next input element in its place."""

    def __init__(self, upstream, size, seeds, reshuffle, op):
        self.upstream, self.size, self.seeds, self.reshuffle, self.op = upstream, int(size), seeds, reshuffle, op

    def elements(self, env):
        if self.size <= 0:
            raise InvalidArgumentError(None, self.op, f"buffer_size must be greater than zero, got {self.size}")
        rng = env.rng(self, self.seeds, fresh=not self.reshuffle)
        buffer = []
        for element in self.upstream.elements(env):
            if len(buffer) < self.size:
                buffer.append(element)
                continue
            i = int(rng.integers(len(buffer)))
            yield buffer[i]
            buffer[i] = element
        while buffer:
            i = int(rng.integers(len(buffer)))
            buffer[i], buffer[-1] = buffer[-1], buffer[i]
            yield buffer.pop()


class _Take(Stream):
    def __init__(self, upstream, count, skip=False):
        self.upstream, self.count, self.skip = upstream, int(count), skip

    def elements(self, env):
        for i, element in enumerate(self.upstream.elements(env)):
            if self.skip:
                if self.count < 0 or i < self.count:
                    continue
            elif 0 <= self.count <= i:
                return
            yield element


class _Generator(Stream):
    """Dataset.from_generator: the Python generator is called anew at each iteration."""

    def __init__(self, fn, dtypes, shapes, op):
        self.fn, self.dtypes, self.shapes, self.op = fn, dtypes, shapes, op

    def elements(self, env):
        for value in self.fn():
            flat = value if isinstance(value, tuple) else (value,)
            out = []
            for v, dt, shape in zip(flat, self.dtypes, self.shapes):
                arr = np.asarray(v, dtype=dt.np)
                if not shape.is_compatible_with(arr.shape):
                    raise InvalidArgumentError(
                        None, self.op, f"`generator` yielded an element of shape {fmt(arr.shape)} where an "
                        f"element of shape {fmt(shape.as_tuple())} was expected.")
                out.append(arr)
            yield tuple(out)


class _Zip(Stream):
    def __init__(self, streams):
        self.streams = streams

    def elements(self, env):
        for parts in zip(*[s.elements(env) for s in self.streams]):
            yield tuple(c for part in parts for c in part)


class _Concatenate(Stream):
    def __init__(self, first, second):
        self.first, self.second = first, second

    def elements(self, env):
        yield from self.first.elements(env)
        yield from self.second.elements(env)


class _FlatMap(Stream):
    """flat_map (cycle 1) and interleave: the datasets `fn` makes from each element, `block`
    elements at a time from `cycle` of them in turn (TF's interleave order)."""

    def __init__(self, upstream, fn, cycle=1, block=1):
        self.upstream, self.fn, self.cycle, self.block = upstream, fn, max(int(cycle), 1), max(int(block), 1)

    def elements(self, env):
        sources = (self.fn.call(env, element)[0].elements(env) for element in self.upstream.elements(env))
        active = []
        for source in sources:
            active.append(source)
            if len(active) == self.cycle:
                break
        position = 0
        while active:
            taken = 0
            for element in active[position]:
                yield element
                taken += 1
                if taken == self.block:
                    break
            if taken < self.block:  # exhausted: its place goes to the next source, the turn to the next slot
                replacement = next(sources, None)
                if replacement is None:
                    del active[position]
                    if position >= len(active):
                        position = 0
                    continue
                active[position] = replacement
            position = (position + 1) % len(active)


class _PaddedBatch(_Batch):
    def __init__(self, upstream, size, drop_remainder, op, shapes, values):
        super().__init__(upstream, size, drop_remainder, op)
        self.shapes, self.values = shapes, values

    def _stack(self, batch):
        out = []
        for k, (shape, value) in enumerate(zip(self.shapes, self.values)):
            parts = [np.asarray(e[k]) for e in batch]
            want = [max(p.shape[d] for p in parts) if n < 0 else n for d, n in enumerate(shape)]
            if any(p.ndim != len(want) for p in parts):
                raise InvalidArgumentError(None, self.op, f"PaddedBatch: component {k} has rank "
                                           f"{parts[0].ndim}, its padded shape {list(shape)} has {len(want)}")
            stacked = np.full([len(parts)] + want, value, dtype=parts[0].dtype)
            for i, p in enumerate(parts):
                if any(a > b for a, b in zip(p.shape, want)):
                    raise InvalidArgumentError(None, self.op, f"Attempted to pad to a smaller size than the input "
                                               f"element: component {k} has shape {fmt(p.shape)}, padded shape "
                                               f"{fmt(tuple(want))}")
                stacked[(i,) + tuple(slice(0, n) for n in p.shape)] = p
            out.append(stacked)
        return tuple(out)


class _Cache(Stream):
    """cache(): the first full pass is kept (per iterator) and replayed by the later ones."""

    def __init__(self, upstream):
        self.upstream = upstream

    def elements(self, env):
        kept = env.rngs.get((self, "cache"))
        if kept is not None:
            yield from kept
            return
        seen = []
        for element in self.upstream.elements(env):
            seen.append(element)
            yield element
        env.rngs[(self, "cache")] = seen  # only a pass read to its end is kept, as in TF


class _Unbatch(Stream):
    def __init__(self, upstream, op):
        self.upstream, self.op = upstream, op

    def elements(self, env):
        for element in self.upstream.elements(env):
            n = {np.shape(c)[0] if np.ndim(c) else None for c in element}
            if None in n or len(n) != 1:
                raise InvalidArgumentError(None, self.op, f"Input element must have a non-scalar value in each "
                                           f"component, with the same first dimension, got shapes "
                                           f"{[fmt(np.shape(c)) for c in element]}")
            for i in range(n.pop()):
                yield tuple(c[i] for c in element)


class _Files(Stream):
    """TFRecordDataset / TextLineDataset: the records (or lines) of each file in turn."""

    def __init__(self, filenames, read):
        self.filenames, self.read = [f for f in np.reshape(filenames, -1)], read

    def elements(self, env):
        for name in self.filenames:
            for record in self.read(name):
                yield (np.array(record, dtype=object),)


def _text_lines(name):
    from ..fileio import open_file
    with open_file(name.decode() if isinstance(name, bytes) else name) as f:
        for line in f:
            yield line.rstrip(b"\n").rstrip(b"\r")


class Function:
    """A map or filter function traced once into a graph of its own (TF's FunctionDef).

    `inputs` are that graph's placeholders, `outputs` its flat results; `call` runs it on one
    element in a session kept per outer session (random ops in it continue their streams).
    """

    def __init__(self, fn, structure, dtypes, shapes, unpack, name):
        from ..ops.constant import placeholder
        from ..graph import convert_to_tensor
        from ..data.structure import flatten, pack
        self.graph = Graph()
        self.graph.seed = get_default_graph().seed
        self.name = name
        with self.graph.as_default():
            self.inputs = [placeholder(dt, shape, name=f"args_{i}") for i, (dt, shape) in enumerate(zip(dtypes, shapes))]
            args = pack(structure, self.inputs)
            try:
                result = fn(*args) if unpack and isinstance(args, tuple) else fn(args)
            except ValueError as e:
                if "must be from the same graph" not in str(e):
                    raise
                raise ValueError(f"Dataset.{name}: the function uses a tensor made outside it ({e}). tfteach traces "
                                 f"{name} functions into a graph of their own and cannot capture outside tensors: "
                                 f"make the tensor inside the function, or use a Python number or numpy array "
                                 f"there.") from None
            if isinstance(result, list):  # TF turns a returned list into a tuple
                result = tuple(result)
            self.structure = result
            self.dataset = result if hasattr(result, "_variant") else None  # flat_map's function
            self.outputs = [result._variant] if self.dataset is not None else \
                [convert_to_tensor(t) for t in flatten(result)]

    def call(self, env, element):
        if all(t.op.type == "Placeholder" and t.op.graph is self.graph for t in self.outputs):
            return tuple(element[self.inputs.index(t)] for t in self.outputs)
        sessions = env.session.__dict__.setdefault("_data_function_sessions", {})
        sess = sessions.get(self)
        if sess is None:
            from ..session import Session
            sess = sessions[self] = Session(graph=self.graph)
        return tuple(sess.run(self.outputs, dict(zip(self.inputs, element))))


# ---- the dataset ops ------------------------------------------------------------------------
def _dataset_op(op_type, inputs, attrs, name=None):
    return apply_op(op_type, inputs, attrs, name=name, dtypes=[variant])


def _scalar_shape(op):
    return [()]


@kernel("TensorSliceDataset", inputs=("components",), same_dtype=False, session=True)
def _tensor_slice_dataset(ctx, *components, Toutput_types, output_types, output_shapes):  # noqa: N803 - TF attr name
    return _Slices([np.asarray(c) for c in components], ctx.op)


@kernel("TensorDataset", PURE, inputs=("components",), same_dtype=False)
def _tensor_dataset(*components, Toutput_types, output_types, output_shapes):  # noqa: N803
    return _Tensors([np.asarray(c) for c in components])


@kernel("RangeDataset", PURE, inputs=("start", "stop", "step"), same_dtype=False)
def _range_dataset(start, stop, step, output_types, output_shapes, **_):
    return _Range(start, stop, step)


@kernel("MapDataset", PURE, inputs=("input_dataset",), same_dtype=False)
def _map_dataset(ds, f, output_types, output_shapes, **_):
    return _Map(ds, f)


@kernel("FilterDataset", PURE, inputs=("input_dataset",), same_dtype=False)
def _filter_dataset(ds, predicate, output_types, output_shapes, **_):
    return _Map(ds, predicate, keep=True)


@kernel("BatchDatasetV2", inputs=("input_dataset", "batch_size", "drop_remainder"), same_dtype=False,
        session=True)
def _batch_dataset(ctx, ds, size, drop_remainder, output_types, output_shapes, **_):
    return _Batch(ds, size, drop_remainder, ctx.op)


@kernel("RepeatDataset", PURE, inputs=("input_dataset", "count"), same_dtype=False)
def _repeat_dataset(ds, count, output_types, output_shapes, **_):
    return _Repeat(ds, count)


@kernel("ShuffleDataset", inputs=("input_dataset", "buffer_size", "seed", "seed2"), same_dtype=False,
        session=True)
def _shuffle_dataset(ctx, ds, size, seed, seed2, reshuffle_each_iteration, output_types, output_shapes, **_):
    return _Shuffle(ds, size, (int(seed), int(seed2)), reshuffle_each_iteration, ctx.op)


@kernel("PrefetchDataset", PURE, inputs=("input_dataset", "buffer_size"), same_dtype=False)
def _prefetch_dataset(ds, size, output_types, output_shapes, **_):
    return ds  # elements are made when asked for: prefetching changes no value


@kernel("TakeDataset", PURE, inputs=("input_dataset", "count"), same_dtype=False)
def _take_dataset(ds, count, output_types, output_shapes, **_):
    return _Take(ds, count)


@kernel("SkipDataset", PURE, inputs=("input_dataset", "count"), same_dtype=False)
def _skip_dataset(ds, count, output_types, output_shapes, **_):
    return _Take(ds, count, skip=True)


@kernel("GeneratorDataset", inputs=(), same_dtype=False, session=True)
def _generator_dataset(ctx, generator, output_types, output_shapes, **_):
    return _Generator(generator, output_types, output_shapes, ctx.op)


@kernel("TFRecordDataset", inputs=("filenames", "compression_type", "buffer_size"), same_dtype=False,
        session=True)
def _tfrecord_dataset(ctx, filenames, compression_type, buffer_size, **_):
    from ..data.tfrecord import _check_compression, read_records
    compression = np.asarray(compression_type).item()
    _check_compression(compression.decode() if isinstance(compression, bytes) else compression)
    return _Files(filenames, read_records)


@kernel("TextLineDataset", inputs=("filenames", "compression_type", "buffer_size"), same_dtype=False,
        session=True)
def _text_line_dataset(ctx, filenames, compression_type, buffer_size, **_):
    return _Files(filenames, _text_lines)


@kernel("ZipDataset", PURE, inputs=("input_datasets",), same_dtype=False)
def _zip_dataset(*streams, output_types, output_shapes, **_):
    return _Zip(streams)


@kernel("ConcatenateDataset", PURE, inputs=("input_dataset", "another_dataset"), same_dtype=False)
def _concatenate_dataset(first, second, output_types, output_shapes, **_):
    return _Concatenate(first, second)


@kernel("FlatMapDataset", PURE, inputs=("input_dataset",), same_dtype=False)
def _flat_map_dataset(ds, f, output_types, output_shapes, **_):
    return _FlatMap(ds, f)


@kernel("InterleaveDataset", PURE, inputs=("input_dataset", "cycle_length", "block_length"), same_dtype=False)
def _interleave_dataset(ds, cycle, block, f, output_types, output_shapes, **_):
    return _FlatMap(ds, f, cycle, block)


@kernel("PaddedBatchDatasetV2", inputs=("input_dataset", "batch_size", "padded_shapes", "padding_values",
                                         "drop_remainder"), same_dtype=False, session=True)
def _padded_batch_dataset(ctx, ds, size, *rest, output_types, output_shapes, **_):
    n = len(output_types)
    shapes, values, drop = rest[:n], rest[n:2 * n], rest[2 * n]
    return _PaddedBatch(ds, size, drop, ctx.op, [[int(d) for d in np.reshape(s, -1)] for s in shapes],
                        [np.asarray(v).item() for v in values])


@kernel("CacheDataset", PURE, inputs=("input_dataset", "filename"), same_dtype=False)
def _cache_dataset(ds, filename, output_types, output_shapes, **_):
    return _Cache(ds)


@kernel("UnbatchDataset", inputs=("input_dataset",), same_dtype=False, session=True)
def _unbatch_dataset(ctx, ds, output_types, output_shapes, **_):
    return _Unbatch(ds, ctx.op)


for _t in ("CacheDataset", "UnbatchDataset", "FlatMapDataset", "InterleaveDataset", "PaddedBatchDatasetV2", "ZipDataset", "ConcatenateDataset", "TFRecordDataset", "TextLineDataset", "TensorSliceDataset", "TensorDataset", "RangeDataset", "MapDataset", "FilterDataset",
           "BatchDatasetV2", "RepeatDataset", "ShuffleDataset", "PrefetchDataset", "TakeDataset",
           "SkipDataset", "GeneratorDataset"):
    shape_rule(_t)(_scalar_shape)
    NotDifferentiable(_t)


# ---- iterators ------------------------------------------------------------------------------
def _iterators(session):
    """The session's running iterators: {iterator op: generator}."""
    return session.__dict__.setdefault("_data_iterators", {})


@kernel("IteratorV2", inputs=(), session=True)
def _iterator(ctx, shared_name, container, output_types, output_shapes, **_):
    return ctx.op


@kernel("OneShotIterator", inputs=(), session=True)
def _one_shot_iterator(ctx, dataset_factory, shared_name, container, output_types, output_shapes, **_):
    _start_one_shot(ctx.session, ctx.op)
    return ctx.op


def _start_one_shot(session, op):
    running = _iterators(session)
    if op not in running:
        # TF makes the dataset with a function run once, at the first use in a session
        stream = session.run(op.attrs["dataset_factory"])
        running[op] = stream.elements(Env(session))


@kernel("MakeIterator", inputs=("dataset", "iterator"), same_dtype=False, session=True)
def _make_iterator(ctx, stream, iterator):
    _iterators(ctx.session)[iterator] = stream.elements(Env(ctx.session))


@kernel("IteratorFromStringHandleV2", inputs=("string_handle",), session=True, same_dtype=False)
def _iterator_from_string_handle(ctx, handle, output_types=(), output_shapes=()):
    name = np.asarray(handle).item()
    name = name.decode() if isinstance(name, bytes) else str(name)
    try:
        op = ctx.op.graph.get_operation_by_name(name)
    except (KeyError, ValueError):
        op = None
    if op is None or op.type not in ("IteratorV2", "OneShotIterator"):
        raise InvalidArgumentError(None, ctx.op, f"{ctx.op.name}: {name!r} is not the string handle of an iterator "
                                   f"of this graph (feed the value of sess.run(iterator.string_handle()))")
    for want, got in zip(output_types, op.attrs["output_types"]):
        if want != got:
            raise InvalidArgumentError(None, ctx.op, f"Expected output types {[t.name for t in output_types]} but "
                                       f"the iterator's are {[t.name for t in op.attrs['output_types']]}")
    if op.type == "OneShotIterator":
        _start_one_shot(ctx.session, op)
    return op


@kernel("IteratorToStringHandle", PURE, inputs=("resource_handle",), same_dtype=False)
def _iterator_to_string_handle(iterator):
    return np.array(iterator.name.encode(), dtype=object)


@kernel("IteratorGetNext", inputs=("iterator",), session=True, same_dtype=False)
def _iterator_get_next(ctx, iterator, output_types, output_shapes, **_):
    running = _iterators(ctx.session).get(iterator)
    if running is None:
        raise FailedPreconditionError(
            None, ctx.op, "GetNext() failed because the iterator has not been initialized. Ensure that you "
            "have run the initializer operation for this iterator before getting the next element.\n"
            f"\t [[node {ctx.op.name}]]\nHint: sess.run(iterator.initializer) first (and again to start over).")
    try:
        element = next(running)
    except StopIteration:
        raise OutOfRangeError(None, ctx.op, f"End of sequence\n\t [[node {ctx.op.name}]]") from None
    out = []
    for value, dt, shape in zip(element, output_types, output_shapes, **_):
        arr = np.asarray(value, dtype=dt.np)
        if not shape.is_compatible_with(arr.shape):
            raise InvalidArgumentError(None, ctx.op, f"IteratorGetNext '{ctx.op.name}': an element of shape "
                                       f"{fmt(arr.shape)} does not match the dataset's output shape {shape}")
        out.append(arr)
    return out[0] if len(out) == 1 else tuple(out)


@shape_rule("IteratorGetNext")
def _iterator_get_next_shape(op):
    return list(op.attrs["output_shapes"])


for _t in ("IteratorV2", "OneShotIterator", "IteratorToStringHandle", "IteratorFromStringHandleV2"):
    shape_rule(_t)(_scalar_shape)
shape_rule("MakeIterator")(lambda op: [])
for _t in ("IteratorV2", "OneShotIterator", "MakeIterator", "IteratorToStringHandle", "IteratorGetNext",
           "IteratorFromStringHandleV2"):
    NotDifferentiable(_t)


def make_dataset(op_type, inputs, types, shapes, name=None, **attrs):
    """Add a dataset op whose elements have flat `types` and `shapes` (its output: a variant)."""
    attrs = dict(attrs, output_types=list(types), output_shapes=[TensorShape(s) for s in shapes])
    return _dataset_op(op_type, list(inputs), attrs, name=name)


def iterator_ops(op_type, types, shapes, dataset_factory=None):
    """The iterator resource op (OneShotIterator or IteratorV2)."""
    attrs = {"shared_name": "", "container": "", "output_types": list(types),
             "output_shapes": [TensorShape(s) for s in shapes]}
    if dataset_factory is not None:
        attrs["dataset_factory"] = dataset_factory
    return apply_op(op_type, [], attrs, dtypes=[resource])


def string_handle(handle):
    return apply_op("IteratorToStringHandle", [handle], {}, dtypes=[_dtypes.string])


def get_next(handle, types, shapes, name=None):
    return apply_op("IteratorGetNext", [handle], {"output_types": list(types),
                                                  "output_shapes": [TensorShape(s) for s in shapes]},
                    name=name or "IteratorGetNext", dtypes=list(types), num_outputs=len(types))


def make_iterator(stream, handle, name=None):
    return apply_op("MakeIterator", [stream, handle], {}, name=name or "MakeIterator", dtypes=[])


def from_string_handle(string_handle, types, shapes):
    return apply_op("IteratorFromStringHandleV2", [string_handle], {"output_types": list(types),
                    "output_shapes": [TensorShape(s) for s in shapes]}, dtypes=[resource])
