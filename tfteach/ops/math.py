"""Elementwise arithmetic, matmul, cast and the Python operators on tensors.

Mirrors tensorflow/python/ops/math_ops.py. Binary ops broadcast like numpy; the operators
name their nodes as TF1 did (`a + b` is 'add', `tf.add(a, b)` is 'Add', `2 * b` makes 'mul/x').
"""
import numpy as np

from .. import dtypes as _dtypes
from .. import threads
from ..errors import InvalidArgumentError
from ..graph import Tensor, convert_to_tensor, graph_of
from ..registry import (FRESH, NotDifferentiable, PURE, RegisterGradient, apply_op, kernel,
                        local_derivatives, shape_rule)
from .common import (FLOATS, INTS, NUMBERS, _broadcast_rule, _install, _unary_rule, check_dtype,  # noqa: F401
                     elementwise)
from .constant import constant
from . import control as control_flow_ops
from . import reduce as reduce_ops
from .shapes import fmt, shape_of
from . import array as array_ops
from . import compare as compare_ops
from . import unary as unary_ops


# ---- Add ----------------------------------------------------------------------
elementwise("Add", np.add, FRESH, dtypes=NUMBERS + ("string",))


local_derivatives("Add", ("1", lambda a, z: 1.0), ("1", lambda a, z: 1.0))


@RegisterGradient("Add")
def _add_grad(op, grad):
    """d(x+y)/dx = d(x+y)/dy = 1, each summed back over its broadcast axes."""
    x, y = op.inputs
    sx, sy, rx, ry = array_ops.broadcast_gradient_shapes(x, y)
    return [array_ops.sum_to(grad, rx, sx), array_ops.sum_to(grad, ry, sy)]


def add(x, y, name=None):
    """Elementwise x + y with numpy broadcasting. Op type "Add"."""
    return apply_op("Add", [x, y], name=name)


# ---- Sub ----------------------------------------------------------------------
elementwise("Sub", np.subtract, FRESH, dtypes=NUMBERS)


local_derivatives("Sub", ("1", lambda a, z: 1.0), ("−1", lambda a, z: -1.0))


@RegisterGradient("Sub")
def _sub_grad(op, grad):
    """d(x-y)/dx = 1, d(x-y)/dy = -1, each summed back over its broadcast axes."""
    x, y = op.inputs
    sx, sy, rx, ry = array_ops.broadcast_gradient_shapes(x, y)
    return [array_ops.sum_to(grad, rx, sx), array_ops.reshape(-reduce_ops.reduce_sum(grad, ry), sy)]


def subtract(x, y, name=None):
    """Elementwise x - y with numpy broadcasting. Op type "Sub"."""
    return apply_op("Sub", [x, y], name=name)


# ---- Mul ----------------------------------------------------------------------
elementwise("Mul", np.multiply, FRESH, dtypes=NUMBERS)


local_derivatives("Mul", ("{1}", lambda a, z: a[1]), ("{0}", lambda a, z: a[0]))


@RegisterGradient("Mul")
def _mul_grad(op, grad):
    """d(x*y)/dx = y, d(x*y)/dy = x, each summed back over its broadcast axes."""
    x, y = op.inputs
    sx, sy, rx, ry = array_ops.broadcast_gradient_shapes(x, y)
    return [array_ops.sum_to(grad * y, rx, sx), array_ops.sum_to(x * grad, ry, sy)]


def multiply(x, y, name=None):
    """Elementwise x * y with numpy broadcasting. Op type "Mul"."""
    return apply_op("Mul", [x, y], name=name)


# ---- RealDiv --------------------------------------------------------------------
elementwise("RealDiv", np.true_divide, FRESH, dtypes=NUMBERS)


local_derivatives("RealDiv",
                  ("1 / {1}", lambda a, z: 1 / a[1]),
                  ("−{0} / {1}²", lambda a, z: -a[0] / a[1] ** 2))


@RegisterGradient("RealDiv")
def _realdiv_grad(op, grad):
    """d(x/y)/dx = 1/y, d(x/y)/dy = -x/y**2, each summed back over its broadcast axes."""
    x, y = op.inputs
    sx, sy, rx, ry = array_ops.broadcast_gradient_shapes(x, y)
    return [array_ops.sum_to(realdiv(grad, y), rx, sx),
            array_ops.sum_to(grad * realdiv(realdiv(-x, y), y), ry, sy)]


def realdiv(x, y, name=None):
    """Elementwise x / y for floats. Op type "RealDiv"."""
    return apply_op("RealDiv", [x, y], name=name)


def truediv(x, y, name=None):
    """x / y as Python 3 does it: integers are cast to float64 first (int32 / int32 -> float64)."""
    with graph_of([x, y]).name_scope(name or "truediv") as scope:
        x = convert_to_tensor(x, name="x")
        # a Python value takes x's dtype; a tensor keeps its own, and a mix is TF1's TypeError
        hint = None if isinstance(y, Tensor) or hasattr(y, "_as_graph_element") else x.dtype.base_dtype
        y = convert_to_tensor(y, dtype=hint, name="y")
        if x.dtype.base_dtype != y.dtype.base_dtype:
            raise TypeError(f"x and y must have the same dtype, got {x.dtype.base_dtype!r} != "
                            f"{y.dtype.base_dtype!r}")
        if x.dtype.is_integer:
            target = _dtypes.float32 if x.dtype.size <= 2 else _dtypes.float64
            x, y = cast(x, target), cast(y, target)
        return apply_op("RealDiv", [x, y], name=scope)


def divide(x, y, name=None):
    """x / y with Python 3 semantics: TF1's tf.divide is the `/` operator (node 'truediv')."""
    if name is None:
        return x / y
    return truediv(x, y, name=name)


def div(x, y, name=None):
    """TF1's old tf.div, Python 2 division: RealDiv for floats, FloorDiv (rounding down) for ints.

    Example: tf.div(-7, 2) -> -4, tf.div(-7.0, 2.0) -> -3.5. Node name 'div'.
    """
    with graph_of([x, y]).name_scope(name or "div") as scope:
        x = convert_to_tensor(x, name="x")
        y = convert_to_tensor(y, dtype=x.dtype.base_dtype, name="y")
        op_type = "RealDiv" if x.dtype.is_floating else "FloorDiv"
        return apply_op(op_type, [x, y], name=scope)


# ---- FloorDiv -------------------------------------------------------------------
def _check_integer_divisor(x, y):
    # numpy would quietly give 0; TF fails (an empty result divides nothing, so it is fine)
    if y.dtype.kind in "iu" and np.broadcast(x, y).size and np.any(y == 0):
        raise ValueError("Integer division by zero")


def _floor_div(x, y):
    _check_integer_divisor(x, y)
    if x.dtype.kind == "f":
        return np.floor(np.true_divide(x, y))  # TF's floor(x / y), not numpy's fmod-based //
    return np.floor_divide(x, y)


elementwise("FloorDiv", _floor_div, PURE, dtypes=NUMBERS)
NotDifferentiable("FloorDiv")  # piecewise constant: TF1 returns no gradient for x or y


def floordiv(x, y, name=None):
    """Elementwise x // y, rounding toward -inf for ints and floats. Op type "FloorDiv".

    Example: tf.floordiv(-7, 2) -> -4. The `//` operator names its node 'floordiv'.
    """
    with graph_of([x, y]).name_scope(name or "floordiv") as scope:
        return apply_op("FloorDiv", [x, y], name=scope)


# ---- FloorMod -------------------------------------------------------------------
def _floor_mod(x, y):
    _check_integer_divisor(x, y)
    return np.mod(x, y)


elementwise("FloorMod", _floor_mod, PURE, dtypes=NUMBERS)


@RegisterGradient("FloorMod")
def _floor_mod_grad(op, grad):
    """x mod y = x - floor(x/y) * y: d/dx = 1, d/dy = -floor(x/y)."""
    x, y = op.inputs
    sx, sy, rx, ry = array_ops.broadcast_gradient_shapes(x, y)
    floor_xy = apply_op("FloorDiv", [x, y])
    return [array_ops.sum_to(grad, rx, sx),
            array_ops.sum_to(grad * negative(floor_xy), ry, sy)]


def floormod(x, y, name=None):
    """Elementwise remainder with the sign of the divisor, as Python's %. Op type "FloorMod".

    Example: tf.floormod(-7, 3) -> 2, tf.floormod(7, -3) -> -2. `%` names its node 'mod'.
    """
    return apply_op("FloorMod", [x, y], name=name)


mod = floormod


# ---- TruncateDiv, TruncateMod -------------------------------------------------------
def _truncate_div(x, y):
    _check_integer_divisor(x, y)
    if x.dtype.kind == "f":
        return np.trunc(np.true_divide(x, y))
    return (np.sign(x) * np.sign(y) * (np.abs(x) // np.abs(y))).astype(x.dtype)


def _truncate_mod(x, y):
    _check_integer_divisor(x, y)
    return np.fmod(x, y)


elementwise("TruncateDiv", _truncate_div, PURE, dtypes=NUMBERS)
elementwise("TruncateMod", _truncate_mod, PURE, dtypes=NUMBERS)
NotDifferentiable("TruncateDiv")  # TruncateMod has no gradient in TF1 either: asking is an error


def truncatediv(x, y, name=None):
    """Elementwise x / y rounded toward zero, as C does. Op type "TruncateDiv". (-7, 2) -> -3."""
    return apply_op("TruncateDiv", [x, y], name=name)


def truncatemod(x, y, name=None):
    """Elementwise remainder with the sign of x, as C's fmod. Op type "TruncateMod". (-7, 3) -> -1."""
    return apply_op("TruncateMod", [x, y], name=name)


# ---- Neg ----------------------------------------------------------------------
elementwise("Neg", np.negative, FRESH, inputs=("x",), dtypes=NUMBERS)


local_derivatives("Neg", ("−1", lambda a, z: -1.0))


@RegisterGradient("Neg")
def _neg_grad(op, grad):
    """d(-x)/dx = -1."""
    return [-grad]


def negative(x, name=None):
    """Elementwise -x. Op type "Neg"."""
    return apply_op("Neg", [x], name=name)


# ---- Sqrt ---------------------------------------------------------------------
elementwise("Sqrt", np.sqrt, FRESH, inputs=("x",), dtypes=FLOATS)


local_derivatives("Sqrt", ("1 / (2·√{0})", lambda a, z: 0.5 / np.sqrt(a[0])))


@RegisterGradient("Sqrt")
def _sqrt_grad(op, grad):
    """d(sqrt x)/dx = 0.5 / sqrt(x), written with the op's own output y: grad * 0.5 / y."""
    y = op.outputs[0]
    return [apply_op("SqrtGrad", [y, grad])]


@kernel("SqrtGrad", PURE, inputs=("y", "dy"))
def _sqrt_grad_kernel(y, dy):
    return dy * np.asarray(0.5, dtype=y.dtype) / y


shape_rule("SqrtGrad")(_broadcast_rule)


@RegisterGradient("SqrtGrad")
def _sqrt_grad_grad(op, grad):
    """SqrtGrad(a, b) = 0.5 * b / a: d/da = -grad * out / a, d/db = 0.5 * grad / a."""
    a = op.inputs[0]
    y = op.outputs[0]
    with graph_of([a]).control_dependencies([grad]):
        ga = grad / a
        return [-ga * y, 0.5 * ga]


def sqrt(x, name=None):
    """Elementwise square root. Op type "Sqrt"."""
    return apply_op("Sqrt", [x], name=name)


# ---- Square -------------------------------------------------------------------
elementwise("Square", np.square, FRESH, inputs=("x",), dtypes=NUMBERS)


local_derivatives("Square", ("2·{0}", lambda a, z: 2 * a[0]))


@RegisterGradient("Square")
def _square_grad(op, grad):
    """d(x*x)/dx = 2x."""
    x = op.inputs[0]
    with graph_of([x]).control_dependencies([grad]):
        y = constant(2.0, dtype=x.dtype.base_dtype)
        return [multiply(grad, multiply(x, y))]


def square(x, name=None):
    """Elementwise x * x. Op type "Square"."""
    return apply_op("Square", [x], name=name)


# ---- Pow ----------------------------------------------------------------------
def _pow(x, y):
    if x.dtype.kind in "iu" and np.any(np.asarray(y) < 0):
        raise ValueError("Integers to negative integer powers are not allowed.")
    return np.power(x, y)


elementwise("Pow", _pow, {"pure", "pass_through", "new_array"}, dtypes=FLOATS + ("int32", "int64"))


local_derivatives("Pow",
                  ("{1}·{0}^({1} − 1)", lambda a, z: a[1] * a[0] ** (a[1] - 1)),
                  ("{z}·log({0})", lambda a, z: a[0] ** a[1] * np.log(a[0])))


@RegisterGradient("Pow")
def _pow_grad(op, grad):
    """d(x**y)/dx = y * x**(y-1); d(x**y)/dy = log(x) * x**y (0 where x <= 0)."""
    x, y = op.inputs
    z = op.outputs[0]
    sx, sy, rx, ry = array_ops.broadcast_gradient_shapes(x, y)
    gx = array_ops.sum_to(grad * y * pow(x, y - 1), rx, sx)
    if x.dtype.base_dtype.is_integer:
        return [gx, None]  # log of an integer is not defined: no gradient for the exponent
    mask = compare_ops.greater(x, 0)
    safe_x = compare_ops.where(mask, x, array_ops.ones_like(x))
    log_x = compare_ops.where(mask, unary_ops.log(safe_x), array_ops.zeros_like(x))
    gy = array_ops.sum_to(grad * z * log_x, ry, sy)
    return [gx, gy]


def pow(x, y, name=None):  # noqa: A001 - TensorFlow's name
    """Elementwise x ** y. Op type "Pow"."""
    return apply_op("Pow", [x, y], name=name)


# ---- SquaredDifference ------------------------------------------------------------
def _squared_difference(x, y):
    return np.square(x - y)


elementwise("SquaredDifference", _squared_difference, FRESH, dtypes=NUMBERS)


local_derivatives("SquaredDifference",
                  ("2·({0} − {1})", lambda a, z: 2 * (a[0] - a[1])),
                  ("−2·({0} − {1})", lambda a, z: -2 * (a[0] - a[1])))


@RegisterGradient("SquaredDifference")
def _squared_difference_grad(op, grad):
    """d(x-y)**2/dx = 2(x-y) = -d/dy, each summed back over its broadcast axes."""
    x, y = op.inputs
    sx, sy, rx, ry = array_ops.broadcast_gradient_shapes(x, y)
    with graph_of([x]).control_dependencies([grad]):
        x_grad = scalar_mul(2.0, grad) * (x - y)
    return [array_ops.sum_to(x_grad, rx, sx), -array_ops.sum_to(x_grad, ry, sy)]


def squared_difference(x, y, name=None):
    """Elementwise (x - y) * (x - y) with broadcasting. Op type "SquaredDifference"."""
    return apply_op("SquaredDifference", [x, y], name=name)


def scalar_mul(scalar, x, name=None):
    """scalar * x for a 0-d `scalar`, converted to x's dtype (a Const named 'scalar'). Op "Mul"."""
    x = convert_to_tensor(x)
    with graph_of([x]).as_default():
        scalar = convert_to_tensor(scalar, dtype=x.dtype.base_dtype, name="scalar")
    if scalar.shape.ndims != 0:
        raise ValueError(f"Only scalar multiply works, got shape {scalar.shape}")
    return apply_op("Mul", [scalar, x], name=name)


# ---- MatMul -------------------------------------------------------------------
@kernel("MatMul", FRESH, inputs=("a", "b"))
def _matmul(a, b, transpose_a=False, transpose_b=False):
    x, y = a.T if transpose_a else a, b.T if transpose_b else b
    if x.ndim != 2 or y.ndim != 2 or x.shape[1] != y.shape[0]:
        raise _matmul_error(a, b)
    return threads.matmul(x, y)  # on one core unless the product is big and cores are free


def _matmul_error(a, b):
    """TF's run-time error for inputs MatMul cannot multiply (their shapes before transposing)."""
    for i, m in enumerate((a, b)):
        if np.ndim(m) != 2:
            return InvalidArgumentError(None, None, f"In[{i}] is not a matrix. Instead it has shape {fmt(np.shape(m))}")
    return InvalidArgumentError(None, None, f"Matrix size-incompatible: In[0]: {fmt(a.shape)}, In[1]: {fmt(b.shape)}")


@shape_rule("MatMul")
def _matmul_shape(op):
    a, b = (shape_of(t) for t in op.inputs)
    ta, tb = op.attrs["transpose_a"], op.attrs["transpose_b"]
    for s, t in ((a, op.inputs[0]), (b, op.inputs[1])):
        if s is not None and len(s) != 2:
            raise ValueError(f"Shape must be rank 2 but is rank {len(s)} for '{op.name}' (op: 'MatMul') "
                             f"with input shapes: {fmt(a)}, {fmt(b)}.")
    if a is None or b is None:
        rows = None if a is None else a[1 if ta else 0]
        cols = None if b is None else b[0 if tb else 1]
        return [(rows, cols)]
    inner_a, inner_b = a[0 if ta else 1], b[1 if tb else 0]
    if inner_a is not None and inner_b is not None and inner_a != inner_b:
        raise ValueError(f"Dimensions must be equal, but are {inner_a} and {inner_b} for '{op.name}' "
                         f"(op: 'MatMul') with input shapes: {fmt(a)}, {fmt(b)}.")
    return [(a[1 if ta else 0], b[0 if tb else 1])]


@RegisterGradient("MatMul")
def _matmul_grad(op, grad):
    """d(a@b)/da = grad @ b.T, d(a@b)/db = a.T @ grad (with the transpose flags folded in)."""
    t_a, t_b = op.attrs["transpose_a"], op.attrs["transpose_b"]
    a, b = op.inputs
    if not t_a and not t_b:
        return [matmul(grad, b, transpose_b=True), matmul(a, grad, transpose_a=True)]
    if not t_a and t_b:
        return [matmul(grad, b), matmul(grad, a, transpose_a=True)]
    if t_a and not t_b:
        return [matmul(b, grad, transpose_b=True), matmul(a, grad)]
    return [matmul(b, grad, transpose_a=True, transpose_b=True),
            matmul(grad, a, transpose_a=True, transpose_b=True)]


def matmul(a, b, transpose_a=False, transpose_b=False, adjoint_a=False, adjoint_b=False,
           a_is_sparse=False, b_is_sparse=False, name=None):
    """Matrix product of two rank-2 tensors, optionally transposing either. Op type "MatMul".

    `adjoint_*` is the same as `transpose_*` for real numbers; `*_is_sparse` are hints TF used
    to pick a kernel, accepted and ignored. `a @ b` names its node 'matmul'.
    """
    if (transpose_a and adjoint_a) or (transpose_b and adjoint_b):
        raise ValueError("Only one of transpose_a and adjoint_a (or transpose_b and adjoint_b) "
                         "can be True.")
    attrs = {"transpose_a": bool(transpose_a or adjoint_a), "transpose_b": bool(transpose_b or adjoint_b)}
    return apply_op("MatMul", [a, b], attrs, name=name)


# ---- Cast ---------------------------------------------------------------------
@kernel("Cast", PURE, same_dtype=False)
def _cast(x, DstT, SrcT=None):  # noqa: N803 - TF attr names
    if DstT == _dtypes.string:
        raise ValueError("Cast to string is not supported")
    with np.errstate(invalid="ignore"):
        return np.asarray(x).astype(DstT.np)


shape_rule("Cast")(_unary_rule)


@RegisterGradient("Cast")
def _cast_grad(op, grad):
    """d(cast x)/dx = 1 between float types; no gradient to or from integers."""
    src = op.inputs[0].dtype.base_dtype
    if src.is_floating and grad.dtype.base_dtype.is_floating:
        return [cast(grad, src)]
    return [None]


def cast(x, dtype, name=None):
    """x converted to `dtype` (floats to ints truncate toward zero). Op type "Cast"."""
    dtype = _dtypes.as_dtype(dtype).base_dtype
    if isinstance(x, Tensor) or hasattr(x, "_as_graph_element"):
        x = convert_to_tensor(x)
        if x.dtype.base_dtype == dtype:
            return x  # TF1 adds no op when the dtype already matches
    with graph_of([x]).name_scope(name or "Cast") as scope:
        x = convert_to_tensor(x, name="x")
        if x.dtype.base_dtype == dtype:
            return x
        return apply_op("Cast", [x], {"DstT": dtype, "SrcT": x.dtype.base_dtype}, name=scope, dtypes=[dtype])


def to_float(x, name="ToFloat"):
    return cast(x, _dtypes.float32, name=name)


def to_int32(x, name="ToInt32"):
    return cast(x, _dtypes.int32, name=name)


def to_double(x, name="ToDouble"):
    return cast(x, _dtypes.float64, name=name)


def to_int64(x, name="ToInt64"):
    return cast(x, _dtypes.int64, name=name)


def saturate_cast(value, dtype, name=None):
    """cast(value, dtype), first clipping to dtype's range so nothing wraps around.

    Example: saturate_cast(300.0, tf.uint8) -> 255, where cast would wrap.
    """
    dtype = _dtypes.as_dtype(dtype).base_dtype
    with graph_of([value]).name_scope(name or "saturate_cast") as scope:
        value = convert_to_tensor(value, name="value")
        if value.dtype.min < dtype.min:
            value = compare_ops.maximum(value, convert_to_tensor(dtype.min, dtype=value.dtype, name="min"))
        if value.dtype.max > dtype.max:
            value = compare_ops.minimum(value, convert_to_tensor(dtype.max, dtype=value.dtype, name="max"))
        return cast(value, dtype, name=scope)


# ---- AddN ---------------------------------------------------------------------
@kernel("AddN", PURE, inputs=("inputs",))
def _add_n(*xs, N=None):  # noqa: N803 - TF attr name
    total = xs[0]
    for x in xs[1:]:
        total = np.add(total, x)
    return total


@shape_rule("AddN")
def _add_n_shape(op):
    out = op.inputs[0].shape
    for t in op.inputs[1:]:
        if not out.is_compatible_with(t.shape):
            raise ValueError(f"Shapes must be equal for '{op.name}' (op: 'AddN'): {out} and {t.shape}.")
        out = out.merge_with(t.shape)
    return [out]


@RegisterGradient("AddN")
def _add_n_grad(op, grad):
    """d(x1+...+xn)/dxi = 1: every input gets the upstream gradient."""
    return [grad] * len(op.inputs)


def add_n(inputs, name=None):
    """Elementwise sum of a list of tensors of the same shape and dtype. Op type "AddN"."""
    if not isinstance(inputs, (list, tuple)) or not inputs:
        raise ValueError("inputs must be a non-empty list of tensors with the same shape and dtype.")
    inputs = [convert_to_tensor(x) for x in inputs]
    if len(inputs) == 1:
        return inputs[0] if name is None else control_flow_ops.identity(inputs[0], name=name)
    return apply_op("AddN", inputs, {"N": len(inputs)}, name=name)


# ---- the Python operators ------------------------------------------------------
_install("add", add, "add")
_install("sub", subtract, "sub")
_install("mul", multiply, "mul")
_install("truediv", truediv, "truediv")
_install("pow", pow, "pow")
_install("matmul", matmul, "matmul")
_install("floordiv", floordiv, "floordiv")
_install("mod", floormod, "mod")
Tensor._override_operator("__neg__", lambda x: negative(x))

__all__ = ["add", "subtract", "multiply", "realdiv", "truediv", "divide", "div", "floordiv", "floormod", "mod",
           "truncatediv", "truncatemod", "negative", "sqrt", "square", "pow", "squared_difference",
           "scalar_mul", "matmul", "cast", "to_float", "to_double", "to_int32", "to_int64",
           "saturate_cast", "add_n"]
