"""StackV2, StackPushV2, StackPopV2: the stacks that carry a while loop's forward values to
its backward loop (while_grad.py), as TF1's gradient of tf.while_loop uses them.

Mirrors the Stack ops of tensorflow/python/ops/data_flow_ops (gen_data_flow_ops). A stack is
made fresh each time its StackV2 op runs, so it lives for one session.run: the forward loop
pushes one value per iteration and the backward loop pops them in reverse order.
"""
from .. import dtypes as _dtypes, errors
from ..registry import NotDifferentiable, apply_op, kernel, shape_rule


class _Stack(list):
    """One run's stack (a list whose last element is the top)."""

    __slots__ = ("name",)


@kernel("StackV2", set(), inputs=("max_size",), same_dtype=False)
def _stack_v2(max_size, elem_type=None, stack_name=""):
    stack = _Stack()
    stack.name = stack_name
    return stack


@shape_rule("StackV2")
def _stack_v2_shape(op):
    return [()]


@kernel("StackPushV2", set(), inputs=("handle", "elem"), same_dtype=False)
def _stack_push_v2(handle, elem, T=None, swap_memory=False):  # noqa: N803 - TF attr
    handle.append(elem)
    return elem


@shape_rule("StackPushV2")
def _stack_push_v2_shape(op):
    return [op.inputs[1].shape]


@kernel("StackPopV2", set(), inputs=("handle",), same_dtype=False)
def _stack_pop_v2(handle, elem_type=None):
    if not handle:
        raise errors.InvalidArgumentError(None, None, f"Stack[{handle.name}] is empty.")
    return handle.pop()


@shape_rule("StackPopV2")
def _stack_pop_v2_shape(op):
    return [None]  # stack_pop_v2 sets the pushed tensor's shape


for _op_type in ("StackV2", "StackPushV2", "StackPopV2"):
    NotDifferentiable(_op_type)


def stack_v2(elem_type, stack_name="", name="f_acc"):
    """A new stack of `elem_type` values (max_size -1: unbounded)."""
    return apply_op("StackV2", [-1],
                    {"elem_type": elem_type, "stack_name": stack_name}, name=name, dtypes=[_dtypes.resource])


def stack_push_v2(handle, elem, name="StackPushV2"):
    return apply_op("StackPushV2", [handle, elem], {"swap_memory": False}, name=name, dtypes=[elem.dtype.base_dtype])


def stack_pop_v2(handle, elem_type, shape=None, name="StackPopV2"):
    out = apply_op("StackPopV2", [handle], {"elem_type": elem_type}, name=name, dtypes=[elem_type])
    if shape is not None:
        out._shape = shape  # what was pushed
    return out
