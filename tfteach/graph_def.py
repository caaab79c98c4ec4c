"""GraphDef: a graph as the protocol buffer TensorFlow and TensorBoard read and write.

Mirrors Graph.as_graph_def, tensor_util.make_tensor_proto/MakeNdarray and
tf.train.write_graph. `tf.import_graph_def`, the way back, lives in importer.py.
"""
import math
import os

import numpy as np

from . import dtypes as _dtypes
from .errors import InvalidArgumentError, ResourceExhaustedError
from .limits import check_allocation, oom_error
from .op_signatures import known_attrs, type_attrs
from .protos import (DATA_TYPES, AttrValue, GraphDef, NodeDef, TensorProto, TensorShapeProto,
                     VersionDef)
from .tensor_shape import TensorShape

__all__ = ["GraphDef", "NodeDef", "as_graph_def", "node_def_of", "write_graph"]

# The GraphDef version written. TF reads any version from 0 up to its own (2474 for TF 2.21);
# 27 is a TF 1.x-era version, so no newer-version rules apply to our graphs.
PRODUCER = 27

# ---- dtypes --------------------------------------------------------------------------
_ENUM_NAMES = {"float32": "DT_FLOAT", "float64": "DT_DOUBLE", "float16": "DT_HALF"}


def dtype_enum(dtype):
    """The DataType number of a tfteach dtype (tf.float32 -> 1, DT_FLOAT)."""
    dtype = _dtypes.as_dtype(dtype)
    name = dtype.base_dtype.name
    number = DATA_TYPES[_ENUM_NAMES.get(name, "DT_" + name.upper())]
    return number + 100 if dtype.is_ref_dtype else number


_BY_ENUM = {dtype_enum(d): d for d in _dtypes._BASE.values()}


def enum_dtype(number):
    """The tfteach dtype of a DataType number (ref types, +100, become `_ref` dtypes)."""
    base = _BY_ENUM.get(number % 100)
    if base is None:
        raise ValueError(f"tfteach has no dtype for TensorFlow DataType {number}")
    return base._as_ref if number > 100 else base


# ---- shapes ---------------------------------------------------------------------------
def shape_proto(shape):
    """TensorShapeProto of a TensorShape: an unknown dimension is -1, an unknown rank a flag."""
    shape = shape if isinstance(shape, TensorShape) else TensorShape(shape)
    if shape.dims is None:
        return TensorShapeProto(unknown_rank=True)
    return TensorShapeProto(dim=[TensorShapeProto.Dim(size=-1 if d is None else d) for d in shape.as_tuple()])


def proto_shape(proto):
    if proto.unknown_rank:
        return TensorShape(None)
    return TensorShape([None if d.size < 0 else d.size for d in proto.dim])


# ---- tensors ------------------------------------------------------------------------------
# which repeated field holds each dtype's values when they are not packed in tensor_content
_VALUE_FIELD = {"float32": "float_val", "float64": "double_val", "int32": "int_val", "int16": "int_val",
                "int8": "int_val", "uint8": "int_val", "uint16": "int_val", "int64": "int64_val",
                "bool": "bool_val", "string": "string_val", "float16": "half_val"}


def tensor_proto(value, dtype=None):
    """TensorProto of a numpy value, laid out as TF's make_tensor_proto does.

    One element goes in its typed field (`float_val: 1.0`); more numbers go as raw
    little-endian bytes in `tensor_content`; bools and strings are listed one by one.
    """
    dtype = _dtypes.as_dtype(dtype if dtype is not None else np.asarray(value).dtype).base_dtype
    arr = np.asarray(value, dtype=object if dtype == _dtypes.string else dtype.np)
    proto = TensorProto(dtype=dtype_enum(dtype), tensor_shape=shape_proto(arr.shape))
    field = _VALUE_FIELD[dtype.name]
    if arr.size >= 1000 and field not in ("bool_val", "string_val") and _all_same(arr):
        # one value fills the shape (readers repeat the last value): TF itself makes such big
        # constant-filled tensors with Fill, so its GraphDefs stay small; so do ours
        arr = arr.ravel()[:1]
    if arr.size > 1 and field not in ("bool_val", "string_val"):
        proto.tensor_content = arr.astype(arr.dtype.newbyteorder("<")).tobytes()
    elif dtype == _dtypes.string:
        proto.string_val = [v.encode("utf-8") if isinstance(v, str) else bytes(v) for v in arr.ravel()]
    elif field == "half_val":
        proto.half_val = [int(v) for v in arr.ravel().view(np.uint16)]
    else:
        setattr(proto, field, arr.ravel().tolist())
    return proto


def _all_same(arr):
    first = arr.ravel()[0]
    return bool(np.all(arr == first)) and not (isinstance(first, np.floating) and np.signbit(arr).any() != np.signbit(first))


# A TensorProto listing fewer values than its shape holds repeats the last one: 60 bytes can
# ask for gigabytes. Such fills are allowed up to this size (and the memory available).
MAX_FILLED_BYTES = 1 << 30


def tensor_to_numpy(proto):
    """The numpy value of a TensorProto (TF's MakeNdarray).

    As in TF, listing fewer values than the shape holds repeats the last one (`float_val:
    0.0` with shape [3] is three zeros), and listing none means zeros. The shape is checked
    before anything is allocated: InvalidArgumentError for a shape that is not one, or bytes
    that do not match it; ResourceExhaustedError for a fill too big to make.
    """
    dtype = enum_dtype(proto.dtype).base_dtype
    shape_pb = proto.tensor_shape or TensorShapeProto()
    if shape_pb.unknown_rank or any(d.size < 0 for d in shape_pb.dim):
        raise InvalidArgumentError(None, None, f"a tensor's shape must be fully defined, got "
                                   f"{proto_shape(shape_pb)}")
    shape = tuple(d.size for d in shape_pb.dim)
    size = math.prod(shape)
    itemsize = 8 if dtype == _dtypes.string else np.dtype(dtype.np).itemsize
    if proto.tensor_content:
        if len(proto.tensor_content) != size * itemsize:
            raise InvalidArgumentError(None, None, f"tensor_content has {len(proto.tensor_content)} bytes; a "
                                       f"{dtype.name} tensor of shape {list(shape)} has {size * itemsize}")
        return np.frombuffer(proto.tensor_content, dtype=dtype.np.newbyteorder("<")).astype(dtype.np).reshape(shape)
    values = getattr(proto, _VALUE_FIELD[dtype.name])
    if len(values) > size:
        raise InvalidArgumentError(None, None, f"TensorProto has {len(values)} values for shape {list(shape)}")
    if len(values) < size and size * itemsize > MAX_FILLED_BYTES:
        raise ResourceExhaustedError(None, None, f"OOM when allocating tensor with shape[{','.join(map(str, shape))}]"
                                     f" and type {dtype.name}: {len(values)} value(s) would fill "
                                     f"{size * itemsize} bytes, over tfteach's {MAX_FILLED_BYTES} for a constant "
                                     f"from a file")
    try:
        check_allocation(shape, object if dtype == _dtypes.string else dtype.np)
    except MemoryError as e:
        raise oom_error(e, what="a TensorProto") from None
    if dtype == _dtypes.string:
        arr = np.empty(size, dtype=object)
        arr[:len(values)] = list(values)
        arr[len(values):] = values[-1] if values else b""
        return arr.reshape(shape)
    if dtype == _dtypes.float16:
        values = np.array(values, dtype=np.uint16).view(np.float16)
    values = np.asarray(values, dtype=dtype.np)
    if values.size == size:
        return values.reshape(shape)
    fill = values[-1] if values.size else dtype.np.type(0)
    return np.concatenate([values, np.full(size - values.size, fill, dtype=dtype.np)]).reshape(shape)


# ---- attrs -----------------------------------------------------------------------------------
def attr_value(value):
    """AttrValue of an attr as tfteach stores it (DType, TensorShape, numpy array, bool, ...).

    Returns None for a value no AttrValue can hold (it is left out of the NodeDef).
    """
    if isinstance(value, _dtypes.DType):
        return AttrValue(type=dtype_enum(value.base_dtype))
    if isinstance(value, TensorShape):
        return AttrValue(shape=shape_proto(value))
    if isinstance(value, np.ndarray):
        return AttrValue(tensor=tensor_proto(value))
    if isinstance(value, (bool, np.bool_)):  # before int: True is an int in Python
        return AttrValue(b=bool(value))
    if isinstance(value, (int, np.integer)):
        return AttrValue(i=int(value))
    if isinstance(value, (float, np.floating)):
        return AttrValue(f=float(value))
    if isinstance(value, (str, bytes)):
        return AttrValue(s=value.encode("utf-8") if isinstance(value, str) else value)
    if isinstance(value, (list, tuple)):
        items = [attr_value(v) for v in value]
        if any(v is None for v in items):
            return None
        lst = AttrValue.ListValue()
        for v in items:
            kind = next(f[1] for f in AttrValue.FIELDS if f[1] != "list" and getattr(v, f[1]) is not None)
            getattr(lst, kind).append(getattr(v, kind))
        return AttrValue(list=lst)
    return None


def attr_python(value):
    """An AttrValue as tfteach stores attrs: DType, TensorShape, numpy array, str, list, ..."""
    if value.list is not None:
        lst = value.list
        return ([s.decode("utf-8", errors="replace") for s in lst.s] + list(lst.i) + list(lst.f) + list(lst.b)
                + [enum_dtype(t) for t in lst.type] + [proto_shape(s) for s in lst.shape]
                + [tensor_to_numpy(t) for t in lst.tensor])
    if value.type is not None:
        return enum_dtype(value.type)
    if value.shape is not None:
        return proto_shape(value.shape)
    if value.tensor is not None:
        arr = tensor_to_numpy(value.tensor)
        arr.flags.writeable = False  # a graph constant never changes
        return arr
    if value.s is not None:
        return value.s.decode("utf-8", errors="replace")
    for name in ("b", "i", "f"):
        if getattr(value, name) is not None:
            return getattr(value, name)
    return None


# ---- graphs -------------------------------------------------------------------------------
def node_def_of(op, add_shapes=False):
    """The NodeDef of an Operation: name, op type, inputs ('^name' for control inputs), attrs.

    Attrs are TF's: the type attrs TF's signature of the op asks for (`T`, `N`, ...) plus the
    op's own attrs that TF knows, so real TensorFlow can import the node.
    """
    inputs = [t.op.name if t.value_index == 0 else t.name for t in op.inputs]
    inputs += ["^" + c.name for c in op.control_inputs]
    allowed = known_attrs(op.type)
    values = dict(type_attrs(op))
    values.update({k: v for k, v in op.attrs.items() if v is not None and (allowed is None or k in allowed)})
    for k in getattr(op, "_defaulted_attrs", ()):  # filled in by the importer: left out as they came
        values.pop(k, None)
    attrs = {}
    for key, value in values.items():
        av = attr_value(value)
        if av is not None:
            attrs[key] = av
    if add_shapes:
        lst = AttrValue.ListValue(shape=[shape_proto(t.shape) for t in op.outputs])
        attrs["_output_shapes"] = AttrValue(list=lst)
    return NodeDef(name=op.name, op=op.type, input=inputs, device=op.device, attr=attrs)


def as_graph_def(graph, add_shapes=False):
    """GraphDef of every op of `graph`, in creation order (`add_shapes`: `_output_shapes` attrs)."""
    return GraphDef(node=[node_def_of(op, add_shapes) for op in graph.get_operations()],
                    versions=VersionDef(producer=PRODUCER))


def write_graph(graph_or_graph_def, logdir, name, as_text=True):
    """Write a graph to `logdir/name` as a GraphDef: text form (`.pbtxt`) or binary (`.pb`).

    Args:
      graph_or_graph_def: a tf.Graph or a GraphDef.
      logdir: directory to write into (created when missing).
      name: file name, e.g. 'graph.pbtxt'.
      as_text: text form (readable, what `print(graph_def)` shows) or binary.
    Returns:
      The path written. Real TensorFlow reads both forms.
    """
    graph_def = graph_or_graph_def
    if not isinstance(graph_def, GraphDef):
        graph_def = graph_def.as_graph_def()
    os.makedirs(logdir, exist_ok=True)
    path = os.path.join(logdir, name)
    with open(path, "w" if as_text else "wb") as f:
        f.write(str(graph_def) if as_text else graph_def.SerializeToString())
    return path
