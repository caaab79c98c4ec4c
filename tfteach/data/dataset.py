"""tf.data.Dataset (TF1's DatasetV1) and its iterators, built on the ops in ops/data_ops.py.

Mirrors tensorflow/python/data/ops/dataset_ops.py and iterator_ops.py. A Dataset object is a
graph tensor (a `variant` made by a *Dataset op) plus the structure of its elements; an
iterator is a stateful op whose position lives in the Session.
"""
import numpy as np

from .. import dtypes as _dtypes
from ..graph import Tensor, convert_to_tensor, get_default_graph
from ..ops import data_ops
from ..ops.common import _const_value
from ..ops.constant import constant
from ..ops.random import get_seed
from ..tensor_shape import TensorShape, as_shape
from .function import Function
from .structure import flatten, pack


class Dataset:
    """A stream of elements, each a tensor or a tuple/dict of tensors (TF1's DatasetV1).

    Built from tensors (`from_tensor_slices`, `from_tensors`, `range`) and transformed
    (`map`, `filter`, `shuffle`, `batch`, `repeat`, `take`, `skip`, `prefetch`); read with an
    iterator: `it = ds.make_one_shot_iterator(); x = it.get_next()`, then `sess.run(x)` gives
    the next element and raises tf.errors.OutOfRangeError at the end.
    """

    def __init__(self, variant, structure, types, shapes):
        self._variant = variant
        self._structure = structure
        self._types = list(types)
        self._shapes = [TensorShape(s) for s in shapes]

    # ---- structure -----------------------------------------------------------
    @property
    def output_types(self):
        return pack(self._structure, self._types)

    @property
    def output_shapes(self):
        return pack(self._structure, self._shapes)

    @property
    def output_classes(self):
        return pack(self._structure, [Tensor] * len(self._types))

    @property
    def element_spec(self):
        return pack(self._structure, list(zip(self._shapes, self._types)))

    def __repr__(self):
        return f"<{type(self).__name__} shapes: {_fmt(self.output_shapes)}, types: {_fmt(self.output_types)}>"

    def _derive(self, op_type, inputs, shapes=None, structure=None, types=None, name=None, **attrs):
        types = self._types if types is None else types
        shapes = self._shapes if shapes is None else shapes
        variant = data_ops.make_dataset(op_type, [self._variant] + list(inputs), types, shapes, name=name, **attrs)
        return Dataset(variant, self._structure if structure is None else structure, types, shapes)

    # ---- sources -------------------------------------------------------------------
    @staticmethod
    def from_tensor_slices(tensors):
        """A dataset of the slices of `tensors` along their first dimension (all the same length)."""
        structure, flat = _normalize(tensors)
        for t in flat:
            if t.shape.ndims == 0:
                raise ValueError(f"Unbatching a tensor is only supported for rank >= 1, got {t.name} of shape ().")
        first = None
        for t in flat:
            n = t.shape.as_tuple()[0] if t.shape.ndims else None
            if first is not None and n is not None and first != n:
                raise ValueError(f"Dimensions {first} and {n} are not compatible: every component of "
                                 f"from_tensor_slices needs the same first dimension.")
            first = n if first is None else first
        shapes = [TensorShape(t.shape.as_tuple()[1:]) if t.shape.ndims is not None else TensorShape(None) for t in flat]
        types = [t.dtype.base_dtype for t in flat]
        variant = data_ops.make_dataset("TensorSliceDataset", flat, types, shapes,
                                        Toutput_types=types)
        return Dataset(variant, structure, types, shapes)

    @staticmethod
    def from_tensors(tensors):
        """A dataset of one element: `tensors` itself."""
        structure, flat = _normalize(tensors)
        types = [t.dtype.base_dtype for t in flat]
        variant = data_ops.make_dataset("TensorDataset", flat, types, [t.shape for t in flat], Toutput_types=types)
        return Dataset(variant, structure, types, [t.shape for t in flat])

    @staticmethod
    def range(*args, output_type=_dtypes.int64):
        """range(stop), range(start, stop[, step]): int64 elements, as Python's range."""
        start, step = 0, 1
        if len(args) == 1:
            (stop,) = args
        elif len(args) == 2:
            start, stop = args
        elif len(args) == 3:
            start, stop, step = args
        else:
            raise ValueError(f"Invalid arguments to Dataset.range: {args!r}")
        ins = [convert_to_tensor(v, dtype=_dtypes.int64, name=n) for v, n in
               ((start, "start"), (stop, "stop"), (step, "step"))]
        variant = data_ops.make_dataset("RangeDataset", ins, [_dtypes.int64], [()])
        return Dataset(variant, None, [_dtypes.int64], [()])

    @staticmethod
    def from_generator(generator, output_types, output_shapes=None, args=None):
        """A dataset of what `generator()` yields (called again at each pass; Python, as in TF)."""
        structure = _structure_of(output_types)
        types = [_dtypes.as_dtype(t) for t in flatten(output_types)]
        if output_shapes is None:
            shapes = [TensorShape(None)] * len(types)
        else:
            shapes = [as_shape(s) for s in flatten(_shapes_structure(output_shapes))]
        fn = (lambda: generator(*args)) if args else generator
        variant = data_ops.make_dataset("GeneratorDataset", [], types, shapes, generator=fn)
        return Dataset(variant, structure, types, shapes)

    @staticmethod
    def zip(datasets):
        """Elements made of one element of each dataset (a nested tuple or dict of datasets);
        as long as the shortest."""
        structure = _structure_of(datasets)
        flat = flatten(datasets)
        for d in flat:
            if not isinstance(d, Dataset):
                raise TypeError(f"Dataset.zip takes a (nested) tuple or dict of datasets, got {type(d).__name__}")
        element = pack(structure, [d._structure for d in flat])
        types = [t for d in flat for t in d._types]
        shapes = [s for d in flat for s in d._shapes]
        variant = data_ops.make_dataset("ZipDataset", [d._variant for d in flat], types, shapes, N=len(flat))
        return Dataset(variant, element, types, shapes)

    def concatenate(self, dataset):
        """This dataset's elements, then `dataset`'s (same structure and types)."""
        if dataset._types != self._types or _fmt(dataset.output_types) != _fmt(self.output_types):
            raise TypeError(f"Two datasets to concatenate have different types {_fmt(self.output_types)} and "
                            f"{_fmt(dataset.output_types)}")
        shapes = [TensorShape(None) if a.ndims != b.ndims else
                  TensorShape([x if x == y else None for x, y in zip(a.as_tuple(), b.as_tuple())])
                  for a, b in zip(self._shapes, dataset._shapes)]
        return self._derive("ConcatenateDataset", [dataset._variant], shapes)

    # ---- transformations ------------------------------------------------------------
    def map(self, map_func, num_parallel_calls=None):
        """Apply `map_func` to each element (a tuple element is passed as separate arguments).

        The function is called once, on placeholders, and its graph runs for each element. It
        may use tensors made outside it (a placeholder, a variable): their values are read when
        the iterator is initialized, as in TF.
        """
        fn = Function(map_func, self._structure, self._types, self._shapes, True, "map")
        structure, _ = _result_structure(fn.structure)
        types = [t.dtype.base_dtype for t in fn.outputs]
        shapes = [t.shape for t in fn.outputs]
        return self._derive("MapDataset", fn.captured, shapes, structure, types, f=fn, **_targuments(fn))

    def filter(self, predicate):
        """Keep the elements for which `predicate` (a scalar tf.bool) is True."""
        fn = Function(predicate, self._structure, self._types, self._shapes, True, "filter")
        if len(fn.outputs) != 1 or fn.outputs[0].dtype.base_dtype != _dtypes.bool or \
                fn.outputs[0].shape.ndims not in (None, 0):
            raise ValueError(f"`predicate` return type must be convertible to a scalar boolean tensor. Was "
                             f"{[(str(t.shape), t.dtype.name) for t in fn.outputs]}.")
        return self._derive("FilterDataset", fn.captured, predicate=fn, **_targuments(fn))

    def flat_map(self, map_func):
        """The elements of the datasets `map_func` makes from each element, one dataset after another."""
        return self.interleave(map_func, cycle_length=1, block_length=1, _op="FlatMapDataset")

    def interleave(self, map_func, cycle_length=None, block_length=1, num_parallel_calls=None, _op="InterleaveDataset"):
        """Like flat_map, but `block_length` elements at a time from `cycle_length` datasets in turn
        (e.g. lines from several files mixed)."""
        fn = Function(map_func, self._structure, self._types, self._shapes, True, _op)
        inner = fn.dataset
        if inner is None:
            raise TypeError(f"`map_func` must return a `Dataset` object. Got {type(fn.structure).__name__}")
        extra = []
        if _op == "InterleaveDataset":
            extra = [convert_to_tensor(cycle_length or 1, dtype=_dtypes.int64, name="cycle_length"),
                     convert_to_tensor(block_length, dtype=_dtypes.int64, name="block_length")]
        variant = data_ops.make_dataset(_op, [self._variant] + fn.captured + extra, inner._types, inner._shapes,
                                        f=fn, **_targuments(fn))
        return Dataset(variant, inner._structure, inner._types, inner._shapes)

    def padded_batch(self, batch_size, padded_shapes=None, padding_values=None, drop_remainder=False):
        """Batches whose elements are padded (with 0, b"" or `padding_values`) to `padded_shapes`
        (-1 or None: the longest in the batch)."""
        size = convert_to_tensor(batch_size, dtype=_dtypes.int64, name="batch_size")
        if padded_shapes is None:
            want = [s if s.ndims is not None else None for s in self._shapes]
            if any(s is None for s in want):
                raise ValueError("padded_batch needs padded_shapes when a component's rank is unknown")
        else:
            want = [as_shape(s) for s in flatten(_shapes_structure(padded_shapes))]
        shape_tensors = [convert_to_tensor(np.array([-1 if d is None else d for d in s.as_tuple()], np.int64),
                                           name="padded_shapes") for s in want]
        if padding_values is None:
            values = [b"" if t == _dtypes.string else 0 for t in self._types]
        else:
            values = flatten(padding_values)
        value_tensors = [convert_to_tensor(v, dtype=t, name="padding_values") for v, t in zip(values, self._types)]
        drop = convert_to_tensor(drop_remainder, dtype=_dtypes.bool, name="drop_remainder")
        static = _static_int(batch_size) if drop_remainder is True else None
        shapes = [TensorShape((static,) + s.as_tuple()) for s in want]
        return self._derive("PaddedBatchDatasetV2", [size] + shape_tensors + value_tensors + [drop], shapes,
                            Toutput_types=self._types, N=len(want), parallel_copy=False)

    def batch(self, batch_size, drop_remainder=False):
        """Stack `batch_size` consecutive elements; the last batch may be smaller unless
        `drop_remainder`."""
        size = convert_to_tensor(batch_size, dtype=_dtypes.int64, name="batch_size")
        drop = convert_to_tensor(drop_remainder, dtype=_dtypes.bool, name="drop_remainder")
        static = _static_int(batch_size) if drop_remainder is True else None
        shapes = [TensorShape(None) if s.ndims is None else TensorShape((static,) + s.as_tuple())
                  for s in self._shapes]
        return self._derive("BatchDatasetV2", [size, drop], shapes, parallel_copy=False)

    def repeat(self, count=None):
        """Repeat the dataset `count` times (forever for None or -1)."""
        count = convert_to_tensor(-1 if count is None else count, dtype=_dtypes.int64, name="count")
        return self._derive("RepeatDataset", [count])

    def shuffle(self, buffer_size, seed=None, reshuffle_each_iteration=None):
        """Shuffle with a buffer of `buffer_size` elements (TF's algorithm; tfteach's random
        numbers, so the order differs from TF's even with the same seed)."""
        size = convert_to_tensor(buffer_size, dtype=_dtypes.int64, name="buffer_size")
        seed1, seed2 = get_seed(seed)
        s1 = constant(seed1, dtype=_dtypes.int64, name="seed")
        s2 = constant(seed2, dtype=_dtypes.int64, name="seed2")
        return self._derive("ShuffleDataset", [size, s1, s2],
                            reshuffle_each_iteration=reshuffle_each_iteration is not False)

    def prefetch(self, buffer_size):
        """Accepted: elements are made when asked for, so prefetching changes nothing seen."""
        size = convert_to_tensor(buffer_size, dtype=_dtypes.int64, name="buffer_size")
        return self._derive("PrefetchDataset", [size])

    def take(self, count):
        """The first `count` elements (all for -1)."""
        return self._derive("TakeDataset", [convert_to_tensor(count, dtype=_dtypes.int64, name="count")])

    def skip(self, count):
        """All but the first `count` elements (none for -1)."""
        return self._derive("SkipDataset", [convert_to_tensor(count, dtype=_dtypes.int64, name="count")])

    def cache(self, filename=""):
        """Keep the elements of the first full pass in memory; later passes replay them (a
        shuffle before the cache is then frozen). Files (`filename`) are not supported."""
        if filename:
            raise NotImplementedError("tfteach caches in memory only: call cache() without a filename")
        return self._derive("CacheDataset", [convert_to_tensor("", dtype=_dtypes.string, name="filename")])

    def unbatch(self):
        """The rows of each element's components, one element each (batch's inverse)."""
        shapes = [TensorShape(None) if s.ndims is None else TensorShape(s.as_tuple()[1:]) for s in self._shapes]
        if any(s.ndims == 0 for s in self._shapes):
            raise ValueError("Cannot unbatch an input with scalar components.")
        return self._derive("UnbatchDataset", [], shapes)

    def apply(self, transformation_func):
        """`transformation_func(self)`, which must return a Dataset."""
        out = transformation_func(self)
        if not isinstance(out, Dataset):
            raise TypeError("`transformation_func` must return a Dataset.")
        return out

    # ---- iterators ----------------------------------------------------------------------
    def make_one_shot_iterator(self):
        """An iterator that needs no initializer (the dataset may not use placeholders)."""
        return make_one_shot_iterator(self)

    def make_initializable_iterator(self, shared_name=None):
        """An iterator started (and restarted) by running its `.initializer`."""
        return make_initializable_iterator(self)


DatasetV1 = Dataset


class TFRecordDataset(Dataset):
    """The records of one or more TFRecord files, as scalar tf.string elements (in order)."""

    def __init__(self, filenames, compression_type=None, buffer_size=None, num_parallel_reads=None):
        super().__init__(*_file_dataset("TFRecordDataset", filenames, compression_type, buffer_size))


class TextLineDataset(Dataset):
    """The lines of one or more text files (without their line endings), as tf.string elements."""

    def __init__(self, filenames, compression_type=None, buffer_size=None, num_parallel_reads=None):
        super().__init__(*_file_dataset("TextLineDataset", filenames, compression_type, buffer_size))


def _file_dataset(op_type, filenames, compression_type, buffer_size):
    names = convert_to_tensor(filenames, dtype=_dtypes.string, name="filenames")
    if names.shape.ndims not in (None, 0, 1):
        raise TypeError(f"`filenames` must be a `tf.Tensor` of dtype `tf.string` and rank 0 or 1, got shape "
                        f"{names.shape}.")
    compression = convert_to_tensor(compression_type or "", dtype=_dtypes.string, name="compression_type")
    size = convert_to_tensor(-1 if buffer_size is None else buffer_size, dtype=_dtypes.int64, name="buffer_size")
    variant = data_ops.make_dataset(op_type, [names, compression, size], [_dtypes.string], [()])
    return variant, None, [_dtypes.string], [()]


class Iterator:
    """A position in a dataset, kept in the session. `get_next()` is the next element."""

    def __init__(self, handle, string_handle, initializer, structure, types, shapes):
        self._handle = handle
        self._string_handle = string_handle
        self._initializer = initializer
        self._structure = structure
        self._types, self._shapes = types, shapes
        self._next = None

    @property
    def initializer(self):
        if self._initializer is None:
            raise ValueError("Iterator does not have an initializer.")
        return self._initializer

    output_types = property(lambda self: pack(self._structure, self._types))
    output_shapes = property(lambda self: pack(self._structure, self._shapes))
    output_classes = property(lambda self: pack(self._structure, [Tensor] * len(self._types)))

    def get_next(self, name=None):
        """The next element's tensors (a new IteratorGetNext op each call, as in TF)."""
        flat = data_ops.get_next(self._handle, self._types, self._shapes, name=name)
        return pack(self._structure, flat)

    @staticmethod
    def from_structure(output_types, output_shapes=None, shared_name=None, output_classes=None):
        """An iterator not bound to a dataset: `make_initializer(ds)` points it at any dataset
        with this structure (the train/validation switch of TF1 labs)."""
        structure = _structure_of(output_types)
        types = [_dtypes.as_dtype(t) for t in flatten(output_types)]
        shapes = [TensorShape(None)] * len(types) if output_shapes is None else \
            [as_shape(s) for s in flatten(_shapes_structure(output_shapes))]
        handle = data_ops.iterator_ops("IteratorV2", types, shapes)
        return Iterator(handle, data_ops.string_handle(handle), None, structure, types, shapes)

    @staticmethod
    def from_string_handle(string_handle, output_types, output_shapes=None, output_classes=None):
        """A feedable iterator: the iterator whose `string_handle()` value is fed to `string_handle`."""
        structure = _structure_of(output_types)
        types = [_dtypes.as_dtype(t) for t in flatten(output_types)]
        shapes = [TensorShape(None)] * len(types) if output_shapes is None else \
            [as_shape(s) for s in flatten(_shapes_structure(output_shapes))]
        string_handle = convert_to_tensor(string_handle, dtype=_dtypes.string)
        handle = data_ops.from_string_handle(string_handle, types, shapes)
        return Iterator(handle, string_handle, None, structure, types, shapes)

    def string_handle(self, name=None):
        return self._string_handle

    def make_initializer(self, dataset, name=None):
        """The op (re)starting this iterator on `dataset`, which must have the iterator's types."""
        if [t.name for t in dataset._types] != [t.name for t in self._types]:
            raise TypeError(f"Expected output types {_fmt(self.output_types)} but got dataset with output types "
                            f"{_fmt(dataset.output_types)}.")
        for want, got in zip(self._shapes, dataset._shapes):
            if not want.is_compatible_with(got):
                raise TypeError(f"Expected output shapes compatible with {_fmt(self.output_shapes)} but got dataset "
                                f"with output shapes {_fmt(dataset.output_shapes)}.")
        return data_ops.make_iterator(dataset._variant, self._handle, name=name or "make_initializer")


def make_one_shot_iterator(dataset):
    """tf.data.make_one_shot_iterator: see Dataset.make_one_shot_iterator."""
    _check_capturable(dataset._variant)
    handle = data_ops.iterator_ops("OneShotIterator", dataset._types, dataset._shapes,
                                   dataset_factory=dataset._variant)
    return Iterator(handle, data_ops.string_handle(handle), None, dataset._structure, dataset._types, dataset._shapes)


def make_initializable_iterator(dataset, shared_name=None):
    """tf.data.make_initializable_iterator: see Dataset.make_initializable_iterator."""
    handle = data_ops.iterator_ops("IteratorV2", dataset._types, dataset._shapes)
    init = data_ops.make_iterator(dataset._variant, handle)
    return Iterator(handle, data_ops.string_handle(handle), init, dataset._structure, dataset._types, dataset._shapes)


def get_output_types(dataset):
    return dataset.output_types


def get_output_shapes(dataset):
    return dataset.output_shapes


def get_output_classes(dataset):
    return dataset.output_classes


# ---- helpers ----------------------------------------------------------------------------------
def _normalize(tensors):
    """(structure, flat tensors) of an element given as tensors, arrays or Python values."""
    structure = _structure_of(tensors)
    graph = get_default_graph()
    with graph.name_scope("normalize_element"):
        flat = [t if isinstance(t, Tensor) else convert_to_tensor(t, name=f"component_{i}")
                for i, t in enumerate(flatten(tensors))]
    return structure, flat


def _structure_of(value):
    """A template with the nesting of `value` (None leaves); None for a single tensor."""
    if isinstance(value, tuple) and not hasattr(value, "_fields"):
        return tuple(_structure_of(v) for v in value)
    if isinstance(value, tuple):
        return type(value)(*[_structure_of(v) for v in value])
    if isinstance(value, dict):
        return type(value)((k, _structure_of(v)) for k, v in value.items())
    return None


def _shapes_structure(shapes):
    """output_shapes as given to from_generator: a leaf is a shape (list/tuple/TensorShape)."""
    if isinstance(shapes, dict):
        return {k: _shapes_structure(v) for k, v in shapes.items()}
    if isinstance(shapes, tuple) and shapes and all(isinstance(s, (tuple, list, TensorShape)) for s in shapes):
        return tuple(_shapes_structure(s) for s in shapes)
    return as_shape(shapes)


def _result_structure(result):
    if isinstance(result, list):  # a map function's list result becomes a tuple, as in TF
        result = tuple(result)
    return _structure_of(result), flatten(result)


def _static_int(value):
    if isinstance(value, Tensor):
        v = _const_value(value)
        return None if v is None else int(v)
    return int(value)


def _targuments(fn):
    """The attribute naming the dtypes of what a dataset function captures (TF's Targuments)."""
    return {"Targuments": [t.dtype.base_dtype for t in fn.captured]}


def _check_capturable(variant):
    """A one-shot iterator makes its dataset once, by value: TF refuses placeholders and
    variables upstream of it (feed them to an initializable iterator's initializer instead)."""
    seen, stack = set(), [variant.op]
    while stack:
        op = stack.pop()
        if op in seen:
            continue
        seen.add(op)
        if op.type == "Placeholder":
            raise ValueError(f"Cannot capture a placeholder (name:{op.name}, type:Placeholder) by value. (tfteach: "
                             f"use make_initializable_iterator() and feed it when running the initializer.)")
        if op.type in ("VariableV2", "VarHandleOp"):
            raise ValueError(f"Cannot capture a stateful node (name:{op.name}, type:{op.type}) by value.: A likely "
                             f"cause of this error is that the dataset for which you are calling "
                             f"`make_one_shot_iterator()` captures a stateful object, such as a `tf.Variable` or "
                             f"`tf.lookup.StaticHashTable`, which is not supported. Use "
                             f"`make_initializable_iterator()` instead.")
        stack.extend(i.op for i in op.inputs)
        stack.extend(op.control_inputs)


def _fmt(structure):
    if isinstance(structure, tuple):
        return "(" + ", ".join(_fmt(s) for s in structure) + ")"
    if isinstance(structure, dict):
        return "{" + ", ".join(f"{k}: {_fmt(v)}" for k, v in structure.items()) + "}"
    if isinstance(structure, TensorShape):
        return str(structure)
    return repr(structure)



