"""VariableV2 and the assign ops: the state a Session keeps between runs.

Mirrors tensorflow/python/ops/state_ops.py. A variable's value lives in the Session, keyed by
its VariableV2 op; ops with a ref input (Assign, ApplyGradientDescent, ...) get that op and
write through the run context, so two sessions on one graph stay independent.
"""
import numpy as np

from ..errors import InvalidArgumentError
from ..registry import NotDifferentiable, apply_op, kernel, shape_rule
from .shapes import broadcast_shape, fmt, shape_of


# ---- VariableV2 ---------------------------------------------------------------
@kernel("VariableV2", inputs=(), session=True)
def _variable(ctx, shape, dtype, container="", shared_name=""):
    # a copy: an optimizer later in the same run may update the stored array in place
    return np.array(ctx.read_variable(ctx.op))


@shape_rule("VariableV2")
def _variable_shape(op):
    return [op.attrs["shape"]]


NotDifferentiable("VariableV2")


# ---- Assign -----------------------------------------------------------------
@kernel("Assign", inputs=("ref", "value"), ref_inputs=(0,), session=True, writes=True)
def _assign(ctx, ref, value, validate_shape=True, use_locking=True):
    if validate_shape:
        want = ref.attrs["shape"]
        if want.dims is not None and not want.is_compatible_with(np.shape(value)):
            raise InvalidArgumentError(
                None, ctx.op, f"Assign requires shapes of both tensors to match. lhs shape= "
                f"{fmt(want.as_tuple())} rhs shape= {fmt(np.shape(value))}\n\t [[node {ctx.op.name}]]")
    return ctx.write_variable(ref, value)


@shape_rule("Assign")
def _assign_shape(op):
    ref, value = op.inputs
    if op.attrs.get("validate_shape", True) and not ref.shape.is_compatible_with(value.shape):
        raise ValueError(f"Dimensions must be equal for Assign '{op.name}': shape of ref "
                         f"{ref.shape} and of value {value.shape}.")
    return [value.shape if op.attrs.get("validate_shape", True) is False else ref.shape.merge_with(value.shape)]


NotDifferentiable("Assign")


def assign(ref, value, validate_shape=None, use_locking=None, name=None):
    """Op that sets variable `ref` to `value` when run; its output is the new value."""
    return apply_op("Assign", [ref, value],
                    {"validate_shape": validate_shape is not False, "use_locking": use_locking is not False},
                    name=name, dtypes=[_ref_dtype(ref)])


def _ref_dtype(ref):
    return ref.dtype.base_dtype._as_ref


# ---- AssignAdd / AssignSub --------------------------------------------------------
@kernel("AssignAdd", inputs=("ref", "value"), ref_inputs=(0,), session=True, writes=True)
def _assign_add(ctx, ref, value, use_locking=False):
    return ctx.write_variable(ref, _same_shape(ctx, ref, np.add(ctx.read_variable(ref), value)))


@kernel("AssignSub", inputs=("ref", "value"), ref_inputs=(0,), session=True, writes=True)
def _assign_sub(ctx, ref, value, use_locking=False):
    return ctx.write_variable(ref, _same_shape(ctx, ref, np.subtract(ctx.read_variable(ref), value)))


def _same_shape(ctx, ref, new):
    old = ctx.read_variable(ref)
    if np.shape(new) != np.shape(old):
        raise InvalidArgumentError(None, ctx.op, f"{ctx.op.type} requires shapes of both tensors to "
                                   f"match. lhs shape= {fmt(np.shape(old))} rhs shape= "
                                   f"{fmt(np.shape(new))}\n\t [[node {ctx.op.name}]]")
    return new


def _assign_update_shape(op):
    ref, value = op.inputs
    b = broadcast_shape(shape_of(ref), shape_of(value))
    if b is False or (b is not None and shape_of(ref) is not None and len(b) != len(shape_of(ref))):
        raise ValueError(f"Shapes must be equal for {op.type} '{op.name}': {ref.shape} and {value.shape}.")
    return [ref.shape]


shape_rule("AssignAdd")(_assign_update_shape)
shape_rule("AssignSub")(_assign_update_shape)
NotDifferentiable("AssignAdd")
NotDifferentiable("AssignSub")


def assign_add(ref, value, use_locking=None, name=None):
    """Op that adds `value` to variable `ref`; its output is the new value."""
    return apply_op("AssignAdd", [ref, value], {"use_locking": bool(use_locking)}, name=name,
                    dtypes=[_ref_dtype(ref)])


def assign_sub(ref, value, use_locking=None, name=None):
    """Op that subtracts `value` from variable `ref`; its output is the new value."""
    return apply_op("AssignSub", [ref, value], {"use_locking": bool(use_locking)}, name=name,
                    dtypes=[_ref_dtype(ref)])


# ---- IsVariableInitialized -----------------------------------------------------------
@kernel("IsVariableInitialized", inputs=("ref",), ref_inputs=(0,), session=True, same_dtype=False)
def _is_variable_initialized(ctx, ref):
    return np.bool_(ref in ctx.session._variables)


@shape_rule("IsVariableInitialized")
def _is_variable_initialized_shape(op):
    return [()]


NotDifferentiable("IsVariableInitialized")
