"""What the op families share: input dtype lists, the elementwise and broadcast shape rules,
TF1's name scope helper, and the build-time reading of constant and shape tensors.

Imports only the graph, the registry, dtypes and shapes, so every op family (ops/*.py) can
import it at the top. Mirrors bits of TF's framework/ops.py, tensor_util.py and math_ops.py.
"""
import numpy as np

from ..graph import Tensor, convert_to_tensor, graph_of
from ..registry import has, kernel, shape_rule
from .shapes import broadcast_shape, fmt, shape_of


# Input types an op accepts, as TF's op definitions list them ("T: {float, double, ...}").
FLOATS = ("float16", "float32", "float64")
INTS = ("int8", "int16", "int32", "int64", "uint8", "uint16")
NUMBERS = FLOATS + INTS


def check_dtype(op, allowed, arg="x"):
    """Raise TF's TypeError when `op`'s first input has a type outside `allowed` (names)."""
    dtype = op.inputs[0].dtype.base_dtype
    if dtype.name not in allowed:
        raise TypeError(f"{op.type} '{op.name}': Value passed to parameter '{arg}' has DataType "
                        f"{dtype.name} not in list of allowed values: {', '.join(allowed)}")


def _broadcast_rule(op):
    x, y = op.inputs[0], op.inputs[1]
    out = broadcast_shape(shape_of(x), shape_of(y))
    if out is False:
        a, b = _first_mismatch(shape_of(x), shape_of(y))
        raise _shape_error(op, f"Dimensions must be equal, but are {a} and {b}")
    return [out]


def _first_mismatch(a, b):
    """The first pair of known dimensions that cannot broadcast, the shapes aligned from the
    right and read from the left, as TF's shape function reports them: (2, 4) for [2,3], [4,5]."""
    n = max(len(a), len(b))
    for x, y in zip((1,) * (n - len(a)) + tuple(a), (1,) * (n - len(b)) + tuple(b)):
        if x is not None and y is not None and x != y and 1 not in (x, y):
            return x, y
    return None


def _unary_rule(op):
    return [op.inputs[0].shape]


def elementwise(op_type, fn, facts, inputs=("x", "y"), dtypes=None):
    """Register a numpy function as the kernel of an elementwise op, with its shape rule.

    `facts` are the kernel's (registry.py: PURE, or FRESH when `fn` always makes a new array).
    `dtypes` (type names) are the input types the op accepts; others raise TypeError while
    the graph is built, as in TF.
    """
    kernel(op_type, facts, inputs=inputs)(fn)
    rule = _broadcast_rule if len(inputs) == 2 else _unary_rule

    def checked_rule(op):
        check_dtype(op, dtypes, inputs[0])
        return rule(op)
    shape_rule(op_type)(rule if dtypes is None else checked_rule)


# ---- helpers shared by the shape rules and public functions --------------------------------
class _scope:  # noqa: N801 - used like TF1's ops.name_scope
    """TF1's `ops.name_scope(name, default, values)`: the graph of `values`, then a name scope."""

    def __init__(self, name, values=()):
        graph = graph_of(list(values))
        self._default, self._scope = graph.as_default(), graph.name_scope(name)

    def __enter__(self):
        self._default.__enter__()
        try:
            return self._scope.__enter__()
        except BaseException:
            self._default.__exit__(None, None, None)
            raise

    def __exit__(self, *exc):
        self._scope.__exit__(*exc)
        self._default.__exit__(*exc)


def _shape_error(op, message, partial=None):
    """A build-time ValueError in TF1's wording: '... for 'concat' (op: 'ConcatV2') with ...'.

    `partial` maps an input index to what its value is known to be while building (a shape
    tensor's [2,?]), which TF adds when the shape rule read it.
    """
    shapes = ", ".join(fmt(shape_of(t)) for t in op.inputs)
    known = "".join(f" and with input tensors computed as partial shapes: input[{i}] = {fmt(p)}"
                    for i, p in (partial or {}).items())
    return ValueError(f"{message} for '{op.name}' (op: '{op.type}') with input shapes: {shapes}{known}.")


def _const_value(t):
    """The numpy value of `t` if it is known while building (constants and shapes of them)."""
    op = t.op
    if not has(op.type, "build_time"):  # the ops this function knows how to evaluate
        return None
    if op.type == "Const":
        return op.attrs["value"]
    if op.type in ("Shape", "Size", "Rank"):
        s = op.inputs[0].shape
        if op.type == "Rank":
            return None if s.ndims is None else np.array(s.ndims, np.int32)
        if not s.is_fully_defined():
            return None
        value = s.as_list() if op.type == "Shape" else s.num_elements()
        return np.array(value, dtype=op.attrs["out_type"].np)
    parts = [_const_value(x) for x in op.inputs]
    if any(p is None for p in parts):
        return None
    if op.type == "Identity":
        return parts[0]
    if op.type == "Reshape":
        return parts[0].reshape(parts[1])
    if op.type == "Pack":
        return np.stack(parts, axis=op.attrs["axis"])
    return np.concatenate(parts[:-1], axis=int(parts[-1]))


def _partial_values(t):
    """A 1-D int tensor's elements as far as known while building: [2, None, 3], or None.

    Follows TF's partial evaluation of shape tensors: constants, Shape (its input's static
    shape), Pack of scalars, ConcatV2 of such parts and plain slices of them (tf.shape(x)[1:]).
    """
    value = _const_value(t)
    if value is not None:
        return [int(v) for v in np.asarray(value).reshape(-1)]
    op, s = t.op, shape_of(t)
    if op.type == "Shape":
        dims = shape_of(op.inputs[0])
        return None if dims is None else list(dims)
    if op.type == "Pack" and op.attrs["axis"] == 0 and s is not None and len(s) == 1:
        values = [_const_value(x) for x in op.inputs]
        return [None if v is None else int(v) for v in values]
    if op.type == "ConcatV2":
        parts = [_partial_values(x) for x in op.inputs[:-1]]
        if all(p is not None for p in parts):
            return sum(parts, [])
    if op.type == "StridedSlice" and not any(op.attrs[m] for m in ("ellipsis_mask", "new_axis_mask",
                                                                     "shrink_axis_mask")):
        values, ends = _partial_values(op.inputs[0]), [_const_value(x) for x in op.inputs[1:]]
        if values is not None and all(e is not None and e.size == 1 for e in ends):
            b, e, step = (int(v.reshape(-1)[0]) for v in ends)
            return values[slice(None if op.attrs["begin_mask"] & 1 else b,
                                None if op.attrs["end_mask"] & 1 else e, step)]
    return None if s is None or len(s) != 1 or s[0] is None else [None] * s[0]


def _partial_shape(t):
    """What a shape tensor says about a shape while building: (None, 3) from tf.shape(x), or None."""
    values = _partial_values(t)
    return None if values is None else tuple(None if v is None or v < 0 else v for v in values)


def _is_tensor(value):
    return isinstance(value, Tensor) or hasattr(value, "_as_graph_element")


def _axis(value, rank, op, what="axis"):
    """A static axis in [-rank, rank) made non-negative, or a build-time error naming the op."""
    if not -rank <= value < max(rank, 1):
        raise _shape_error(op, f"Expected {what} in the range [{-rank}, {rank}), but got {value}")
    return value % rank if rank else 0


# ---- the Python operators on tensors (installed by math.py and compare.py) -------------------
def _binary_operator(func, op_name):
    """`x <op> y` and the reflected `y <op> x`, named as TF1's operator overloads did.

    As TF1's binary_op_wrapper: two tensors (or variables) go to the op as they are, so a dtype
    mix raises the op's own TypeError ("Input 'y' of 'Add' Op has type int32 that does not
    match type float32 of argument 'x'."); a Python value or array becomes a tensor of x's dtype.
    """
    def forward(x, y):
        with graph_of([x, y]).name_scope(op_name) as scope:
            if _is_tensor(y):
                y = convert_to_tensor(y)
            else:
                y = _operand(y, x.dtype.base_dtype, "y")
            return func(x, y, name=scope)

    def reflected(y, x):
        with graph_of([x, y]).name_scope(op_name) as scope:
            x = _operand(x, y.dtype.base_dtype, "x")
            return func(x, y, name=scope)
    return forward, reflected


def _operand(value, dtype, name):
    """The other operand as a tensor of `dtype`; TF1 raises TypeError when it cannot be."""
    try:
        return convert_to_tensor(value, dtype=dtype, name=name)
    except ValueError as e:
        raise TypeError(str(e)) from None


def _install(name, func, op_name):
    forward, reflected = _binary_operator(func, op_name)
    Tensor._override_operator(f"__{name}__", forward)
    Tensor._override_operator(f"__r{name}__", reflected)
