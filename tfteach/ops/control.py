"""NoOp, Identity, group, tuple and stop_gradient: ops that order or pass values along.

Mirrors tensorflow/python/ops/control_flow_ops.py and array_ops.identity.
"""
import builtins

from ..graph import Operation, Tensor, get_default_graph, graph_of
from ..registry import NotDifferentiable, RegisterGradient, apply_op, kernel, shape_rule


# ---- NoOp -------------------------------------------------------------------
@kernel("NoOp", inputs=())
def _no_op():
    return None


NotDifferentiable("NoOp")


def no_op(name=None):
    """An op that does nothing; useful as a target for control dependencies."""
    return get_default_graph().create_op("NoOp", [], [], name=name or "NoOp")


def group(*inputs, name=None):
    """A NoOp that runs after all `inputs` (ops or tensors); run it to run them all."""
    graph = graph_of(inputs)
    ops = []
    for x in inputs:
        for item in (x if isinstance(x, (list, builtins.tuple)) else [x]):
            item = graph.as_graph_element(item)
            op = item.op if isinstance(item, Tensor) else item
            if op not in ops:
                ops.append(op)
    with graph.name_scope(name or "group_deps") as scope, graph.control_dependencies(ops):
        return graph.create_op("NoOp", [], [], name=scope)


# ---- Identity -----------------------------------------------------------------
@kernel("Identity", inputs=("input",))
def _identity(x, T=None):
    return x


@shape_rule("Identity")
def _identity_shape(op):
    return [op.inputs[0].shape]


@RegisterGradient("Identity")
def _identity_grad(op, grad):
    """d(x)/dx = 1: the gradient passes through unchanged."""
    return [grad]


def identity(input, name=None):  # noqa: A002 - TF's argument name
    """A tensor with the same value as `input` (a new node, e.g. to name a value)."""
    return apply_op("Identity", [input], name=name)


def tuple(tensors, name=None, control_inputs=None):  # noqa: A001 - TF's name
    """Tensors with the same values as `tensors`, available only after all of them are."""
    graph = graph_of(tensors)
    with graph.name_scope(name or "tuple") as scope:
        deps = [t for t in tensors if t is not None] + list(control_inputs or [])
        gate = group(*deps, name="group_deps")
        del scope
        return [None if t is None else with_dependencies([gate], t) for t in tensors]


def with_dependencies(dependencies, output_tensor, name=None):
    """`output_tensor`'s value, computed only after `dependencies` have run."""
    graph = graph_of([output_tensor])
    with graph.name_scope(name or "control_dependency") as scope:
        with graph.control_dependencies(dependencies):
            return apply_op("Identity", [output_tensor], name=scope)


# ---- StopGradient ---------------------------------------------------------------
@kernel("StopGradient", inputs=("input",))
def _stop_gradient(x):
    return x


@shape_rule("StopGradient")
def _stop_gradient_shape(op):
    return [op.inputs[0].shape]


NotDifferentiable("StopGradient")


def stop_gradient(input, name=None):  # noqa: A002
    """The value of `input`, but tf.gradients treats it as a constant."""
    return apply_op("StopGradient", [input], name=name)


__all__ = ["no_op", "group", "identity", "tuple", "with_dependencies", "stop_gradient"]
