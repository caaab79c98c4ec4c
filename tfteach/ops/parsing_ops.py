"""Parsing and file ops: ParseSingleExample (tf.io.parse_single_example), DecodeCSV
(tf.decode_csv) and ReadFile (tf.read_file).

Mirrors tensorflow/python/ops/parsing_ops.py and io_ops.py. Their kernels read strings (the
bytes of a serialized tf.train.Example, a CSV line, a file) and make numeric tensors.
"""
import csv

import numpy as np

from .. import dtypes as _dtypes
from .. import fileio

from ..protobuf import DecodeError
from ..graph import Tensor, convert_to_tensor, get_default_graph
from ..registry import PURE, NotDifferentiable, apply_op, kernel, shape_rule
from ..sparse_tensor import SparseTensor
from ..tensor_shape import as_shape
from .shapes import fmt


# ---- ParseSingleExample ------------------------------------------------------------------------
class FixedLenFeature:
    """A feature of fixed shape: `FixedLenFeature([2], tf.float32, default_value=None)`."""

    def __init__(self, shape, dtype, default_value=None):
        self.shape, self.dtype, self.default_value = shape, _dtypes.as_dtype(dtype), default_value

    def __repr__(self):
        return f"FixedLenFeature(shape={self.shape!r}, dtype={self.dtype!r}, default_value={self.default_value!r})"


class VarLenFeature:
    """A feature of any length, parsed into a SparseTensor: `VarLenFeature(tf.int64)`."""

    def __init__(self, dtype):
        self.dtype = _dtypes.as_dtype(dtype)

    def __repr__(self):
        return f"VarLenFeature(dtype={self.dtype!r})"


_KINDS = {"float32": "float_list", "int64": "int64_list", "string": "bytes_list"}
_KIND_NAMES = {"float_list": "float", "int64_list": "int64", "bytes_list": "string"}


@kernel("ParseSingleExample", PURE, inputs=("serialized", "dense_defaults"), same_dtype=False)
def _parse_single_example(serialized, *defaults, dense_keys, dense_shapes, Tdense, num_sparse=0,  # noqa: N803
                          sparse_keys=(), sparse_types=()):
    from ..data.example import Example  # data/ is above the ops: tf.train.Example's parser lives there
    data = serialized.item() if isinstance(serialized, np.ndarray) else serialized
    try:
        example = Example.FromString(data)
    except DecodeError:
        raise ValueError(f"Could not parse example input, value: '{data[:40]!r}'") from None
    features = example.features.feature if example.features is not None else {}
    sparse = [_var_len(features.get(key), key, dtype) for key, dtype in zip(sparse_keys, sparse_types)]
    out = [np.arange(len(v), dtype=np.int64).reshape(-1, 1) for v in sparse] + sparse + \
        [np.array([len(v)], np.int64) for v in sparse]
    for key, shape, dtype, default in zip(dense_keys, dense_shapes, Tdense, defaults):
        feature = features.get(key)
        count = shape.num_elements()
        if feature is None or feature.WhichOneof("kind") is None:
            if np.size(default) == 0:
                raise ValueError(f"Feature: {key} (data type: {dtype.name}) is required but "
                                           f"could not be found.")
            out.append(np.reshape(np.asarray(default, dtype=dtype.np), shape.as_tuple()))
            continue
        kind = feature.WhichOneof("kind")
        if kind != _KINDS[dtype.name]:
            raise ValueError(f"Name: <unknown>, Key: {key}, Index: 0.  Data types don't match. "
                                       f"Data type: {_KIND_NAMES[kind]} but expected type: {dtype.name}")
        values = getattr(feature, kind).value
        if len(values) != count:
            raise ValueError(f"Name: <unknown>, Key: {key}, Index: 0.  Number of float values "
                                       f"!= expected.  values size: {len(values)} but output shape: {fmt(shape.as_tuple())}"
                                       if kind == "float_list" else
                                       f"Name: <unknown>, Key: {key}, Index: 0.  Number of {_KIND_NAMES[kind]} "
                                       f"values != expected.  values size: {len(values)} but output shape: "
                                       f"{fmt(shape.as_tuple())}")
        arr = np.array(values, dtype=dtype.np)
        out.append(arr.reshape(shape.as_tuple()))
    return out[0] if len(out) == 1 else tuple(out)


@shape_rule("ParseSingleExample")
def _parse_single_example_shape(op):
    if op.inputs[0].shape.ndims not in (None, 0):
        raise ValueError(f"Shape must be rank 0 but is rank {op.inputs[0].shape.ndims} for "
                         f"'{op.name}' (op: 'ParseSingleExample') with input shapes: {op.inputs[0].shape}.")
    n = op.attrs.get("num_sparse", 0)
    return [(None, 1)] * n + [(None,)] * n + [(1,)] * n + list(op.attrs["dense_shapes"])


def _var_len(feature, key, dtype):
    """The values of a VarLenFeature in one example (none when the feature is missing)."""
    kind = None if feature is None else feature.WhichOneof("kind")
    if kind is None:
        return np.zeros([0], dtype=dtype.np if dtype != _dtypes.string else object)
    if kind != _KINDS[dtype.name]:
        raise ValueError(f"Name: <unknown>, Key: {key}, Index: 0.  Data types don't match. "
                         f"Data type: {_KIND_NAMES[kind]} but expected type: {dtype.name}")
    return np.array(list(getattr(feature, kind).value), dtype=dtype.np if dtype != _dtypes.string else object)


NotDifferentiable("ParseSingleExample")


def parse_single_example(serialized, features, name=None, example_names=None):
    """The features of one serialized tf.train.Example, as a dict of tensors.

    `features` maps each key to a FixedLenFeature (a dense tensor) or a VarLenFeature (a 1-D
    SparseTensor), of tf.float32, tf.int64 or tf.string.
    Example: `tf.io.parse_single_example(record, {"x": tf.io.FixedLenFeature([2], tf.float32)})`.
    """
    return _parse("ParseSingleExample", serialized, features, name)


def _parse(op_type, serialized, features, name):
    if not features:
        raise ValueError("Missing: features was {}.")
    sparse_keys = sorted(k for k in features if isinstance(features[k], VarLenFeature))
    keys = sorted(k for k in features if not isinstance(features[k], VarLenFeature))
    for k in sorted(features):
        f = features[k]
        if not isinstance(f, (FixedLenFeature, VarLenFeature)):
            raise ValueError(f"Unsupported {type(f).__name__} for key {k!r}: tfteach parses FixedLenFeature and "
                             f"VarLenFeature")
        if f.dtype.name not in _KINDS:
            raise ValueError(f"Unsupported dtype {f.dtype.name} for key {k!r}: use tf.float32, tf.int64 or tf.string")
    graph = get_default_graph()
    with graph.name_scope(name or op_type) as scope:
        serialized = convert_to_tensor(serialized, dtype=_dtypes.string, name="serialized")
        defaults = []
        for k in keys:
            f = features[k]
            shape = as_shape(f.shape)
            if f.default_value is None:
                value = np.zeros([0], dtype=f.dtype.np) if f.dtype != _dtypes.string else np.zeros([0], object)
            else:
                value = np.reshape(np.asarray(f.default_value, dtype=f.dtype.np if f.dtype != _dtypes.string
                                              else object), shape.as_tuple())
            defaults.append(convert_to_tensor(value, dtype=f.dtype, name="Const"))
        shapes = [as_shape(features[k].shape) for k in keys]
        dts = [features[k].dtype for k in keys]
        sts = [features[k].dtype for k in sparse_keys]
        n = len(sparse_keys)
        outs = apply_op(op_type, [serialized] + defaults,
                        {"dense_keys": keys, "dense_shapes": shapes, "Tdense": dts, "num_sparse": n,
                         "sparse_keys": sparse_keys, "sparse_types": sts}, name=scope,
                        dtypes=[_dtypes.int64] * n + sts + [_dtypes.int64] * n + dts, num_outputs=3 * n + len(keys))
    outs = outs if isinstance(outs, list) else [outs]
    result = dict(zip(keys, outs[3 * n:]))
    result.update((k, SparseTensor(outs[i], outs[n + i], outs[2 * n + i])) for i, k in enumerate(sparse_keys))
    return result


# ---- ParseExample ----------------------------------------------------------------------------
@kernel("ParseExample", PURE, inputs=("serialized", "dense_defaults"), same_dtype=False)
def _parse_example(serialized, *defaults, dense_keys, dense_shapes, Tdense, sparse_keys, sparse_types,  # noqa: N803
                   num_sparse):
    """ParseSingleExample per record; dense values stacked, sparse ones indexed [example, position]."""
    n = num_sparse
    rows = []
    for record in np.asarray(serialized, dtype=object).reshape(-1):
        out = _parse_single_example(np.array(record, dtype=object), *defaults, dense_keys=dense_keys,
                                    dense_shapes=dense_shapes, Tdense=Tdense, num_sparse=n, sparse_keys=sparse_keys,
                                    sparse_types=sparse_types)
        rows.append(out if isinstance(out, tuple) else (out,))
    sparse_out = [[], [], []]
    for i, dtype in enumerate(sparse_types):
        values = [r[n + i] for r in rows]
        sparse_out[0].append(np.array([[b, j] for b, v in enumerate(values) for j in range(len(v))],
                                      np.int64).reshape(-1, 2))
        sparse_out[1].append(np.concatenate(values) if values else np.zeros([0], dtype.np))
        sparse_out[2].append(np.array([len(rows), max((len(v) for v in values), default=0)], np.int64))
    dense = [np.stack([r[3 * n + k] for r in rows]) if rows else
             np.zeros((0,) + shape.as_tuple(), dtype.np) for k, (shape, dtype) in enumerate(zip(dense_shapes, Tdense))]
    out = sparse_out[0] + sparse_out[1] + sparse_out[2] + dense
    return out[0] if len(out) == 1 else tuple(out)


@shape_rule("ParseExample")
def _parse_example_shape(op):
    if op.inputs[0].shape.ndims not in (None, 1):
        raise ValueError(f"Shape must be rank 1 but is rank {op.inputs[0].shape.ndims} for "
                         f"'{op.name}' (op: 'ParseExample') with input shapes: {op.inputs[0].shape}.")
    n, batch = op.attrs["num_sparse"], (op.inputs[0].shape.as_tuple() or (None,))[0]
    return [(None, 2)] * n + [(None,)] * n + [(2,)] * n + \
        [(batch,) + s.as_tuple() for s in op.attrs["dense_shapes"]]


NotDifferentiable("ParseExample")


def parse_example(serialized, features, name=None, example_names=None):
    """The features of a batch (a vector) of serialized tf.train.Examples: dense tensors with the
    batch dimension first; a VarLenFeature gives a SparseTensor of dense shape [batch, longest]."""
    return _parse("ParseExample", serialized, features, name)


# ---- DecodeCSV -------------------------------------------------------------------------------
_CSV_TYPES = ("float32", "float64", "int32", "int64", "string")


@kernel("DecodeCSV", PURE, inputs=("records", "record_defaults"), same_dtype=False)
def _decode_csv(records, *defaults, OUT_TYPE, field_delim=",", use_quote_delim=True, na_value="",  # noqa: N803
                select_cols=()):
    records = np.asarray(records, dtype=object)
    flat = records.reshape(-1)
    columns = [np.empty(flat.shape, dtype=t.np) for t in OUT_TYPE]
    n = len(OUT_TYPE)
    for r, record in enumerate(flat):
        text = record.decode("utf-8") if isinstance(record, bytes) else str(record)
        fields = _split_csv(text, field_delim, use_quote_delim, r)
        if select_cols:
            if max(select_cols) >= len(fields):
                raise ValueError(f"Expect {n} fields but have {len(fields)} in record {r}")
            fields = [fields[c] for c in select_cols]
        if len(fields) != n:
            raise ValueError(f"Expect {n} fields but have {len(fields)} in record {r}")
        for c, (field, dtype, default) in enumerate(zip(fields, OUT_TYPE, defaults)):
            if field == "" or (na_value and field == na_value):
                if np.size(default) == 0:
                    raise ValueError(f"Field {c} is required but missing in record {r}!")
                columns[c][r] = np.reshape(default, -1)[0]
                continue
            if dtype == _dtypes.string:
                columns[c][r] = field.encode("utf-8")
                continue
            try:
                value = int(field) if dtype.is_integer else float(field)
                if dtype.is_integer and not dtype.min <= value <= dtype.max:
                    raise ValueError
            except ValueError:
                raise ValueError(f"Field {c} in record {r} is not a valid "
                                           f"{'float' if dtype.name == 'float32' else dtype.name.replace('float64', 'double')}: "
                                           f"{field}") from None
            columns[c][r] = value
    out = [col.reshape(records.shape) for col in columns]
    return out[0] if n == 1 else tuple(out)


def _split_csv(text, delim, quotes, r):
    if not quotes:
        return text.split(delim)
    if '"' not in text:
        return text.split(delim)
    try:
        rows = list(csv.reader([text], delimiter=delim, quotechar='"', strict=True))
    except csv.Error:
        raise ValueError(f"Quoted field has to end with quote followed by delim or end "
                                   f"in record {r}") from None
    return rows[0] if rows else [""]


@shape_rule("DecodeCSV")
def _decode_csv_shape(op):
    for i, d in enumerate(op.inputs[1:]):
        if d.shape.ndims is not None and d.shape.ndims > 1:
            raise ValueError(f"Shape must be at most rank 1 but is rank {d.shape.ndims} for '{op.name}' "
                             f"(op: 'DecodeCSV'): record_defaults[{i}] has shape {d.shape}")
    return [op.inputs[0].shape] * (len(op.inputs) - 1)


NotDifferentiable("DecodeCSV")


def decode_csv(records, record_defaults, field_delim=",", use_quote_delim=True, name=None, na_value="",
               select_cols=None):
    """Split CSV lines into columns: one tensor per column, shaped like `records`.

    `record_defaults` gives each column's dtype and its value for an empty field, e.g.
    `[[0.0], [0], [""]]`; an empty default (`tf.constant([], tf.float32)`) makes it required.
    """
    if len(field_delim) != 1:
        raise ValueError(f"field_delim should be only 1 char, got {field_delim!r}")
    graph = get_default_graph()
    with graph.name_scope(name or "DecodeCSV") as scope:
        records = convert_to_tensor(records, dtype=_dtypes.string, name="records")
        defaults = []
        for i, d in enumerate(record_defaults):
            t = d if isinstance(d, Tensor) else convert_to_tensor(d, name=f"record_defaults_{i}")
            if t.dtype.base_dtype.name not in _CSV_TYPES:
                raise TypeError(f"Value passed to parameter 'record_defaults' has DataType {t.dtype.name} not in "
                                f"list of allowed values: float32, float64, int32, int64, string")
            defaults.append(t)
        dts = [t.dtype.base_dtype for t in defaults]
        return apply_op("DecodeCSV", [records] + defaults,
                        {"OUT_TYPE": dts, "field_delim": field_delim, "use_quote_delim": use_quote_delim,
                         "na_value": na_value, "select_cols": list(select_cols or [])},
                        name=scope, dtypes=dts, num_outputs=len(dts))


# ---- ReadFile ----------------------------------------------------------------------------------
@kernel("ReadFile", inputs=("filename",), session=True, same_dtype=False)
def _read_file(ctx, filename):
    name = filename.item() if isinstance(filename, np.ndarray) else filename
    name = name.decode() if isinstance(name, bytes) else name
    return np.array(fileio.read_file(name), dtype=object)


@shape_rule("ReadFile")
def _read_file_shape(op):
    return [()]


NotDifferentiable("ReadFile")


def read_file(filename, name=None):
    """The whole contents of file `filename` as a scalar tf.string (read at each run)."""
    return apply_op("ReadFile", [convert_to_tensor(filename, dtype=_dtypes.string, name="filename")], {},
                    name=name, dtypes=[_dtypes.string])



