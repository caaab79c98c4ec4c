"""tf.data's graph ops: the *Dataset ops (each makes a description of a stream) and the
iterator ops (OneShotIterator, IteratorV2, MakeIterator, IteratorGetNext).

Mirrors tensorflow/core/kernels/data and python/ops/gen_dataset_ops. A dataset op's value
(dtype `variant`) is an immutable `Stream` (ops/data_streams.py): a recipe that can start a
Python generator of elements. An iterator's state, the running generator, lives in the Session
(so two sessions on one graph iterate independently, as TF1's resource containers do). Map and
filter functions (tfteach/data/function.py) are an attribute of their op; the tensors they
capture from outside are its `other_arguments` inputs, so their values are read when the
dataset op runs: when the iterator is initialized, as in TF.
"""
import numpy as np

from .. import dtypes as _dtypes
from ..errors import FailedPreconditionError, InvalidArgumentError, OutOfRangeError
from ..registry import PURE, NotDifferentiable, apply_op, kernel, shape_rule
from ..tensor_shape import TensorShape
from . import data_streams as streams
from .shapes import fmt


variant, resource = _dtypes.variant, _dtypes.resource


# ---- the dataset ops ------------------------------------------------------------------------
def _dataset_op(op_type, inputs, attrs, name=None):
    return apply_op(op_type, inputs, attrs, name=name, dtypes=[variant])


def _scalar_shape(op):
    return [()]


@kernel("TensorSliceDataset", inputs=("components",), same_dtype=False, session=True)
def _tensor_slice_dataset(ctx, *components, Toutput_types, output_types, output_shapes):  # noqa: N803 - TF attr name
    return streams.Slices([np.asarray(c) for c in components], ctx.op)


@kernel("TensorDataset", PURE, inputs=("components",), same_dtype=False)
def _tensor_dataset(*components, Toutput_types, output_types, output_shapes):  # noqa: N803
    return streams.Tensors([np.asarray(c) for c in components])


@kernel("RangeDataset", PURE, inputs=("start", "stop", "step"), same_dtype=False)
def _range_dataset(start, stop, step, output_types, output_shapes, **_):
    return streams.Range(start, stop, step)


@kernel("MapDataset", PURE, inputs=("input_dataset", "other_arguments"), same_dtype=False)
def _map_dataset(ds, *captured, f, output_types, output_shapes, **_):
    return streams.Map(ds, f, captured)


@kernel("FilterDataset", PURE, inputs=("input_dataset", "other_arguments"), same_dtype=False)
def _filter_dataset(ds, *captured, predicate, output_types, output_shapes, **_):
    return streams.Map(ds, predicate, captured, keep=True)


@kernel("BatchDatasetV2", inputs=("input_dataset", "batch_size", "drop_remainder"), same_dtype=False,
        session=True)
def _batch_dataset(ctx, ds, size, drop_remainder, output_types, output_shapes, **_):
    return streams.Batch(ds, size, drop_remainder, ctx.op)


@kernel("RepeatDataset", PURE, inputs=("input_dataset", "count"), same_dtype=False)
def _repeat_dataset(ds, count, output_types, output_shapes, **_):
    return streams.Repeat(ds, count)


@kernel("ShuffleDataset", inputs=("input_dataset", "buffer_size", "seed", "seed2"), same_dtype=False,
        session=True)
def _shuffle_dataset(ctx, ds, size, seed, seed2, reshuffle_each_iteration, output_types, output_shapes, **_):
    return streams.Shuffle(ds, size, (int(seed), int(seed2)), reshuffle_each_iteration, ctx.op)


@kernel("PrefetchDataset", PURE, inputs=("input_dataset", "buffer_size"), same_dtype=False)
def _prefetch_dataset(ds, size, output_types, output_shapes, **_):
    return ds  # elements are made when asked for: prefetching changes no value


@kernel("TakeDataset", PURE, inputs=("input_dataset", "count"), same_dtype=False)
def _take_dataset(ds, count, output_types, output_shapes, **_):
    return streams.Take(ds, count)


@kernel("SkipDataset", PURE, inputs=("input_dataset", "count"), same_dtype=False)
def _skip_dataset(ds, count, output_types, output_shapes, **_):
    return streams.Take(ds, count, skip=True)


@kernel("GeneratorDataset", inputs=(), same_dtype=False, session=True)
def _generator_dataset(ctx, generator, output_types, output_shapes, **_):
    return streams.Generator(generator, output_types, output_shapes, ctx.op)


@kernel("TFRecordDataset", inputs=("filenames", "compression_type", "buffer_size"), same_dtype=False,
        session=True)
def _tfrecord_dataset(ctx, filenames, compression_type, buffer_size, **_):
    from ..data.tfrecord import _check_compression, read_records
    compression = np.asarray(compression_type).item()
    _check_compression(compression.decode() if isinstance(compression, bytes) else compression)
    return streams.Files(filenames, read_records)


@kernel("TextLineDataset", inputs=("filenames", "compression_type", "buffer_size"), same_dtype=False,
        session=True)
def _text_line_dataset(ctx, filenames, compression_type, buffer_size, **_):
    return streams.Files(filenames, streams.text_lines)


@kernel("ZipDataset", PURE, inputs=("input_datasets",), same_dtype=False)
def _zip_dataset(*inputs, output_types, output_shapes, **_):
    return streams.Zip(inputs)


@kernel("ConcatenateDataset", PURE, inputs=("input_dataset", "another_dataset"), same_dtype=False)
def _concatenate_dataset(first, second, output_types, output_shapes, **_):
    return streams.Concatenate(first, second)


@kernel("FlatMapDataset", PURE, inputs=("input_dataset", "other_arguments"), same_dtype=False)
def _flat_map_dataset(ds, *captured, f, output_types, output_shapes, **_):
    return streams.FlatMap(ds, f, captured)


@kernel("InterleaveDataset", PURE, inputs=("input_dataset", "other_arguments", "cycle_length", "block_length"),
        same_dtype=False)
def _interleave_dataset(ds, *rest, f, output_types, output_shapes, **_):
    *captured, cycle, block = rest
    return streams.FlatMap(ds, f, captured, cycle, block)


@kernel("PaddedBatchDatasetV2", inputs=("input_dataset", "batch_size", "padded_shapes", "padding_values",
                                         "drop_remainder"), same_dtype=False, session=True)
def _padded_batch_dataset(ctx, ds, size, *rest, output_types, output_shapes, **_):
    n = len(output_types)
    shapes, values, drop = rest[:n], rest[n:2 * n], rest[2 * n]
    return streams.PaddedBatch(ds, size, drop, ctx.op, [[int(d) for d in np.reshape(s, -1)] for s in shapes],
                        [np.asarray(v).item() for v in values])


@kernel("CacheDataset", PURE, inputs=("input_dataset", "filename"), same_dtype=False)
def _cache_dataset(ds, filename, output_types, output_shapes, **_):
    return streams.Cache(ds)


@kernel("UnbatchDataset", inputs=("input_dataset",), same_dtype=False, session=True)
def _unbatch_dataset(ctx, ds, output_types, output_shapes, **_):
    return streams.Unbatch(ds, ctx.op)


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
        running[op] = stream.elements(streams.Env(session))


@kernel("MakeIterator", inputs=("dataset", "iterator"), same_dtype=False, session=True)
def _make_iterator(ctx, stream, iterator):
    _iterators(ctx.session)[iterator] = stream.elements(streams.Env(ctx.session))


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
