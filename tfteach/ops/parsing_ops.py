"""Parsing and file ops: ParseSingleExample (tf.io.parse_single_example), DecodeCSV
(tf.decode_csv) and ReadFile (tf.read_file).

Mirrors tensorflow/python/ops/parsing_ops.py and io_ops.py. Their kernels read strings (the
bytes of a serialized tf.train.Example, a CSV line, a file) and make numeric tensors.
"""
import csv

import numpy as np

from .. import dtypes as _dtypes

from ..graph import Tensor, convert_to_tensor, get_default_graph
from ..registry import PURE, NotDifferentiable, apply_op, kernel, shape_rule
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
    """Variable-length features need SparseTensor, which tfteach does not have."""

    def __init__(self, dtype):
        raise NotImplementedError("tfteach does not implement VarLenFeature (it needs tf.SparseTensor); use "
                                  "FixedLenFeature with the length your records have")


_KINDS = {"float32": "float_list", "int64": "int64_list", "string": "bytes_list"}
_KIND_NAMES = {"float_list": "float", "int64_list": "int64", "bytes_list": "string"}


@kernel("ParseSingleExample", PURE, inputs=("serialized", "dense_defaults"), same_dtype=False)
def _parse_single_example(serialized, *defaults, dense_keys, dense_shapes, Tdense, num_sparse=0,  # noqa: N803
                          sparse_keys=(), sparse_types=()):
    from ..data.example import Example
    from ..protobuf import DecodeError
    data = serialized.item() if isinstance(serialized, np.ndarray) else serialized
    try:
        example = Example.FromString(data)
    except DecodeError:
        raise ValueError(f"Could not parse example input, value: '{data[:40]!r}'") from None
    features = example.features.feature if example.features is not None else {}
    out = []
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
    return list(op.attrs["dense_shapes"])


NotDifferentiable("ParseSingleExample")


def parse_single_example(serialized, features, name=None, example_names=None):
    """The features of one serialized tf.train.Example, as a dict of dense tensors.

    `features` maps each key to a FixedLenFeature (tf.float32, tf.int64 or tf.string).
    Example: `tf.io.parse_single_example(record, {"x": tf.io.FixedLenFeature([2], tf.float32)})`.
    """
    if not features:
        raise ValueError("Missing: features was {}.")
    keys = sorted(features)
    for k in keys:
        f = features[k]
        if not isinstance(f, FixedLenFeature):
            raise ValueError(f"Unsupported {type(f).__name__} for key {k!r}: tfteach parses FixedLenFeature only")
        if f.dtype.name not in _KINDS:
            raise ValueError(f"Unsupported dtype {f.dtype.name} for key {k!r}: use tf.float32, tf.int64 or tf.string")
    graph = get_default_graph()
    with graph.name_scope(name or "ParseSingleExample") as scope:
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
        outs = apply_op("ParseSingleExample", [serialized] + defaults,
                        {"dense_keys": keys, "dense_shapes": shapes, "Tdense": dts, "num_sparse": 0,
                         "sparse_keys": [], "sparse_types": []}, name=scope, dtypes=dts, num_outputs=len(keys))
    return dict(zip(keys, outs))


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
    from ..fileio import read_file as read
    name = filename.item() if isinstance(filename, np.ndarray) else filename
    name = name.decode() if isinstance(name, bytes) else name
    return np.array(read(name), dtype=object)


@shape_rule("ReadFile")
def _read_file_shape(op):
    return [()]


NotDifferentiable("ReadFile")


def read_file(filename, name=None):
    """The whole contents of file `filename` as a scalar tf.string (read at each run)."""
    return apply_op("ReadFile", [convert_to_tensor(filename, dtype=_dtypes.string, name="filename")], {},
                    name=name, dtypes=[_dtypes.string])



