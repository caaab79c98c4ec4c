"""Data types: tf.float32, tf.int32, ... and the rules that turn Python values into them.

Mirrors tensorflow/python/framework/dtypes.py, reduced to the types a learner meets.
"""
import builtins

import numpy as np


class DType:
    """A tensor element type, e.g. `tf.float32`. `_ref` types are a variable's mutable storage."""

    def __init__(self, name, np_type, is_ref=False):
        self._name = name
        self._np = np.dtype(np_type) if np_type is not None else np.dtype(object)
        self._is_ref = is_ref
        self._full_name = name + "_ref" if is_ref else name  # compared on every op built

    @property
    def name(self):
        return self._full_name

    @property
    def base_dtype(self):
        return _BASE[self._name] if self._is_ref else self

    @property
    def _as_ref(self):
        return self if self._is_ref else _REFS[self._name]

    @property
    def is_ref_dtype(self):
        return self._is_ref

    @property
    def as_numpy_dtype(self):
        return self._np.type if self._name != "string" else np.bytes_

    @property
    def np(self):
        """The numpy dtype kernels compute in (object for strings)."""
        return self._np

    @property
    def is_floating(self):
        return self._np.kind == "f"

    @property
    def is_integer(self):
        return self._np.kind in "iu" and self._name != "bool"

    @property
    def is_bool(self):
        return self._name == "bool"

    @property
    def is_numeric(self):
        return self._np.kind in "iuf"

    @property
    def min(self):
        return np.finfo(self._np).min if self.is_floating else np.iinfo(self._np).min

    @property
    def max(self):
        return np.finfo(self._np).max if self.is_floating else np.iinfo(self._np).max

    @property
    def size(self):
        return self._np.itemsize

    def __repr__(self):
        return "tf." + self.name

    def __str__(self):
        return f"<dtype: '{self.name}'>"

    def __eq__(self, other):
        if not isinstance(other, DType):
            try:
                other = as_dtype(other)
            except TypeError:
                return False
        return self._full_name == other._full_name

    def __ne__(self, other):
        return not self.__eq__(other)

    def __hash__(self):
        return hash(self._full_name)

    def __reduce__(self):
        return as_dtype, (self.name,)


_SPECS = [
    ("float16", np.float16), ("float32", np.float32), ("float64", np.float64),
    ("int8", np.int8), ("int16", np.int16), ("int32", np.int32), ("int64", np.int64),
    ("uint8", np.uint8), ("uint16", np.uint16), ("bool", np.bool_), ("string", None),
    ("resource", None), ("variant", None),  # handles a kernel passes along: queues, iterators, datasets
]
_BASE = {name: DType(name, t) for name, t in _SPECS}
_REFS = {name: DType(name, t, is_ref=True) for name, t in _SPECS}

float16, float32, float64 = _BASE["float16"], _BASE["float32"], _BASE["float64"]
half, double = float16, float64
int8, int16, int32, int64 = _BASE["int8"], _BASE["int16"], _BASE["int32"], _BASE["int64"]
uint8, uint16 = _BASE["uint8"], _BASE["uint16"]
bool = _BASE["bool"]  # noqa: A001 - TensorFlow's public name
string = _BASE["string"]
resource, variant = _BASE["resource"], _BASE["variant"]

_BY_NUMPY = {np.dtype(t): _BASE[name] for name, t in _SPECS if t is not None}
_ALIASES = {"float": float32, "double": float64, "half": float16, "int": int32, "long": int64}


def as_dtype(type_value):
    """Convert a DType, a name ('float32', 'float32_ref'), a numpy dtype or type to a DType."""
    if isinstance(type_value, DType):
        return type_value
    if isinstance(type_value, str):
        if type_value in _BASE:
            return _BASE[type_value]
        if type_value.endswith("_ref") and type_value[:-4] in _REFS:
            return _REFS[type_value[:-4]]
        if type_value in _ALIASES:
            return _ALIASES[type_value]
    if type_value in (bytes, str, np.bytes_, np.str_, object):
        return string
    try:
        np_type = np.dtype(type_value)
    except TypeError:
        np_type = None
    if np_type is not None:
        if np_type in _BY_NUMPY:
            return _BY_NUMPY[np_type]
        if np_type.kind in "SUO":
            return string
    raise TypeError(f"Cannot convert value {type_value!r} to a TensorFlow DType.")


def infer_dtype(value):
    """The DType TF1 picks for a Python or numpy value when none is asked for.

    Python floats become float32 and ints int32 (int64 when too large), as TF1 did;
    numpy arrays keep their own dtype, so a float64 array stays float64.
    """
    if isinstance(value, np.ndarray):
        return as_dtype(value.dtype)
    if isinstance(value, np.generic):
        return as_dtype(value.dtype)
    kinds = set()
    _collect_kinds(value, kinds)
    if "str" in kinds:
        return string
    if "float" in kinds:
        return float32
    if "int" in kinds:
        lo, hi = _int_range(value)
        return int64 if lo < -2 ** 31 or hi >= 2 ** 31 else int32
    if "bool" in kinds:
        return _BASE["bool"]
    return float32  # an empty list, as TF1: tf.constant([]) is float32


def _collect_kinds(value, kinds):
    if isinstance(value, (list, tuple)):
        for v in value:
            _collect_kinds(v, kinds)
    elif isinstance(value, (str, bytes)):
        kinds.add("str")
    elif isinstance(value, (np.ndarray, np.generic)):
        kinds.add({"f": "float", "i": "int", "u": "int", "b": "bool"}.get(value.dtype.kind, "str"))
    elif isinstance(value, builtins.bool):
        kinds.add("bool")
    elif isinstance(value, int):
        kinds.add("int")
    elif isinstance(value, float):
        kinds.add("float")
    else:
        raise TypeError(f"Failed to convert object of type {type(value)} to Tensor. "
                        f"Contents: {value!r}. Consider casting elements to a supported type.")


def _int_range(value):
    if isinstance(value, (list, tuple)):
        ranges = [_int_range(v) for v in value] or [(0, 0)]
        return min(r[0] for r in ranges), max(r[1] for r in ranges)
    if isinstance(value, int):
        return value, value
    return 0, 0
