"""Const, Placeholder and PlaceholderWithDefault: the ops that bring values into a graph.

Mirrors tensorflow/python/framework/constant_op.py and array_ops.placeholder.
"""
import numbers

import numpy as np

from .. import dtypes as _dtypes
from ..errors import InvalidArgumentError
from ..graph import Tensor, get_default_graph, register_tensor_conversion_function
from ..registry import NotDifferentiable, PURE, apply_op, kernel, shape_rule
from ..tensor_shape import TensorShape, as_shape


def to_numpy(value, dtype=None):
    """`value` as a numpy array of a TF dtype, with TF1's checks (2.5 is not an int32)."""
    if isinstance(value, (Tensor,)) or hasattr(value, "_as_graph_element"):
        raise TypeError(f"Expected a Python value or numpy array, got the graph element {value!r}.")
    dtype = _dtypes.infer_dtype(value) if dtype is None else _dtypes.as_dtype(dtype).base_dtype
    if dtype == _dtypes.string:
        arr = np.array(value, dtype=object)
        return np.vectorize(_to_bytes, otypes=[object])(arr) if arr.size else arr, dtype
    if not isinstance(value, np.ndarray):
        _check_compatible(value, dtype)
    return _asarray_quietly(value, dtype=dtype.np), dtype


# numpy warns when a cast overflows (1e40 to float32), TF1 quietly gives inf. The decorator form
# of errstate costs half of a `with np.errstate(...)` block, and every constant pays it.
_asarray_quietly = np.errstate(all="ignore")(np.asarray)


def _to_bytes(x):
    return x.encode("utf-8") if isinstance(x, str) else bytes(x)


def _check_compatible(value, dtype):
    if isinstance(value, (list, tuple)):
        for v in value:
            _check_compatible(v, dtype)
        return
    if isinstance(value, np.generic) or value is None:
        return
    # int and float first: they are the usual values, and checking against an ABC is slow
    if dtype.is_integer:
        ok = isinstance(value, (int, numbers.Integral))
    elif dtype.is_floating:
        ok = isinstance(value, (float, int, numbers.Real))
    elif dtype.is_bool:
        ok = isinstance(value, (bool, np.bool_))
    else:
        ok = True
    if not ok:
        raise TypeError(f"Expected {dtype.name}, got {value!r} of type '{type(value).__name__}' instead.")


# ---- Const ------------------------------------------------------------------
@kernel("Const", {"pure", "build_time"}, inputs=())
def _const(value, dtype):
    return value


@shape_rule("Const")
def _const_shape(op):
    return [op.attrs["value"].shape]


NotDifferentiable("Const")


def constant(value, dtype=None, shape=None, name="Const", verify_shape=False):
    """A tensor whose value is fixed in the graph.

    Python floats become float32 and ints int32 unless `dtype` says otherwise; with `shape`,
    a scalar is repeated to fill it. Example: `tf.constant(3.14)` -> `<tf.Tensor 'Const:0'
    shape=() dtype=float32>`.
    """
    arr, dtype = to_numpy(value, dtype)
    if shape is not None:
        shape = tuple(as_shape(shape).as_list())
        if arr.shape != shape:
            if verify_shape:
                raise TypeError(f"Expected Tensor's shape: {shape}, got {arr.shape}.")
            n = int(np.prod(shape, dtype=np.int64))
            if arr.size > n:
                raise ValueError(f"Too many elements provided. Needed at most {n}, but received "
                                 f"{arr.size}")
            if arr.size == 0:
                raise ValueError(f"Cannot fill a constant of shape {list(shape)} from an empty value.")
            # TF1 fills what the value does not cover with its last element
            flat = np.concatenate([arr.reshape(-1), np.repeat(arr.reshape(-1)[-1:], n - arr.size)])
            arr = flat.reshape(shape)
    arr.setflags(write=False)  # a graph constant never changes; fetches get copies
    graph = get_default_graph()
    op = graph.create_op("Const", [], [dtype], name=name, attrs={"value": arr, "dtype": dtype},
                         shapes=[arr.shape])
    return op._outputs[0]


def _constant_conversion(value, dtype=None, name=None, as_ref=False):
    return constant(value, dtype=dtype, name=name or "Const")


# float and int ahead of numbers.Number only because an ABC is slow to check against
register_tensor_conversion_function((float, int, numbers.Number, np.ndarray, np.generic, list, tuple, str,
                                     bytes, bool), _constant_conversion)


# ---- Placeholder ------------------------------------------------------------
_TF_TYPE_NAMES = {"float32": "float", "float64": "double", "float16": "half"}


@kernel("Placeholder", inputs=(), session=True)
def _placeholder(ctx, dtype, shape):
    dims = "" if shape.dims is None else " and shape [" + ",".join(
        "?" if d.value is None else str(d.value) for d in shape.dims) + "]"
    type_name = _TF_TYPE_NAMES.get(dtype.name, dtype.name)
    raise InvalidArgumentError(
        None, ctx.op,
        f"You must feed a value for placeholder tensor '{ctx.op.name}' with dtype {type_name}{dims}\n"
        f"\t [[node {ctx.op.name}]]\n"
        f"Hint: pass it in feed_dict, e.g. sess.run(..., feed_dict={{{ctx.op.name}: value}}).")


@shape_rule("Placeholder")
def _placeholder_shape(op):
    return [op.attrs["shape"]]


NotDifferentiable("Placeholder")


def placeholder(dtype, shape=None, name=None):
    """A tensor whose value is given at run time: `sess.run(..., feed_dict={p: value})`.

    `shape=None` accepts any shape; `[None, 3]` any number of rows of 3.
    """
    dtype = _dtypes.as_dtype(dtype).base_dtype
    shape = TensorShape(None) if shape is None else as_shape(shape)
    op = get_default_graph().create_op("Placeholder", [], [dtype], name=name or "Placeholder",
                                       attrs={"dtype": dtype, "shape": shape}, shapes=[shape])
    return op.outputs[0]


@kernel("PlaceholderWithDefault", PURE, inputs=("input",))
def _placeholder_with_default(x, dtype, shape):
    return x


@shape_rule("PlaceholderWithDefault")
def _placeholder_with_default_shape(op):
    return [op.attrs["shape"]]


def placeholder_with_default(input, shape, name=None):  # noqa: A002 - TF's argument name
    """A placeholder that evaluates to `input` when it is not fed."""
    shape = as_shape(shape)
    graph = get_default_graph()
    with graph.name_scope(name or "PlaceholderWithDefault") as scope:
        x = input if isinstance(input, Tensor) else constant(input, name="input")
        if not shape.is_compatible_with(x.shape):
            raise ValueError(f"PlaceholderWithDefault '{scope[:-1]}': default value of shape {x.shape} "
                             f"is not compatible with shape {shape}.")
        return apply_op("PlaceholderWithDefault", [x], {"dtype": x.dtype, "shape": shape}, name=scope)
