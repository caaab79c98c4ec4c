"""The Optimizer base class: compute_gradients, apply_gradients, minimize, and slots.

Mirrors tensorflow/python/training/optimizer.py and slot_creator.py. A subclass adds its
slot variables (`Variable/Adam`) in `_create_slots`, its hyper-parameter tensors in
`_prepare` and one `Apply*` op per variable in `_apply_dense`.
"""
from .. import dtypes as _dtypes
from ..gradients import gradients
from ..graph import GraphKeys, Tensor, convert_to_tensor, get_default_graph
from ..ops import control
from ..ops.constant import constant
from ..ops.state import assign_add
from ..variable_scope import get_variable, variable_scope
from ..variables import Variable, trainable_variables

_VALID_DTYPES = (_dtypes.float16, _dtypes.float32, _dtypes.float64)


class Optimizer:
    """Base class of the tf.train optimizers."""

    GATE_NONE, GATE_OP, GATE_GRAPH = 0, 1, 2

    def __init__(self, use_locking, name):
        if not name:
            raise ValueError("Must specify the optimizer name")
        self._use_locking = use_locking
        self._name = name
        self._slots = {}          # slot name -> {variable: slot variable}
        self._non_slot_dict = {}  # (name, graph) -> variable, e.g. Adam's beta1_power

    def get_name(self):
        return self._name

    # ---- the three public steps ----------------------------------------------------
    def minimize(self, loss, global_step=None, var_list=None, gate_gradients=GATE_OP,
                 aggregation_method=None, colocate_gradients_with_ops=False, name=None, grad_loss=None):
        """compute_gradients then apply_gradients: one op that takes one training step."""
        grads_and_vars = self.compute_gradients(loss, var_list=var_list, gate_gradients=gate_gradients,
                                                aggregation_method=aggregation_method,
                                                colocate_gradients_with_ops=colocate_gradients_with_ops,
                                                grad_loss=grad_loss)
        if not [v for g, v in grads_and_vars if g is not None]:
            raise ValueError(
                "No gradients provided for any variable, check your graph for ops that do not support "
                f"gradients, between variables {[str(v) for _, v in grads_and_vars]} and loss {loss}.")
        return self.apply_gradients(grads_and_vars, global_step=global_step, name=name)

    def compute_gradients(self, loss, var_list=None, gate_gradients=GATE_OP, aggregation_method=None,
                          colocate_gradients_with_ops=False, grad_loss=None):
        """[(gradient, variable), ...] for every trainable variable (or `var_list`).

        The gradient is None for a variable the loss does not depend on.
        """
        if callable(loss):
            loss = loss()
        _assert_valid_dtypes([loss])
        var_list = trainable_variables() if var_list is None else list(var_list)
        if not var_list:
            raise ValueError("No variables to optimize.")
        grads = gradients(loss, [v._ref() if isinstance(v, Variable) else v for v in var_list],
                          grad_ys=grad_loss, gate_gradients=(gate_gradients == Optimizer.GATE_OP),
                          aggregation_method=aggregation_method,
                          colocate_gradients_with_ops=colocate_gradients_with_ops)
        if gate_gradients == Optimizer.GATE_GRAPH:
            grads = control.tuple(grads)
        grads_and_vars = list(zip(grads, var_list))
        _assert_valid_dtypes([v for g, v in grads_and_vars if g is not None])
        return grads_and_vars

    def apply_gradients(self, grads_and_vars, global_step=None, name=None):
        """One op updating each variable from its gradient (and `global_step` by one)."""
        grads_and_vars = tuple(grads_and_vars)
        if not grads_and_vars:
            raise ValueError("No variables provided.")
        converted = []
        for g, v in grads_and_vars:
            if g is not None:
                try:
                    g = convert_to_tensor(g)
                except (TypeError, ValueError):
                    raise TypeError(f"Gradient must be convertible to a Tensor or None: {g}") from None
            converted.append((g, v))
        var_list = [v for g, v in converted if g is not None]
        if not var_list:
            raise ValueError(f"No gradients provided for any variable: {[str(v) for _, v in converted]}.")
        graph = get_default_graph()
        with graph.control_dependencies(None):
            self._create_slots(var_list)
        update_ops = []
        with graph.name_scope(name or self._name) as scope:
            self._prepare()
            for grad, var in converted:
                if grad is None:
                    continue
                with graph.name_scope("update_" + var.op.name):
                    update_ops.append(self._apply_dense(grad, var))
            if global_step is None:
                apply_updates = self._finish(update_ops, scope)
            else:
                with graph.control_dependencies([self._finish(update_ops, "update")]):
                    apply_updates = assign_add(global_step, 1, name=scope).op
            train_ops = graph.get_collection_ref(GraphKeys.TRAIN_OP)
            if apply_updates not in train_ops:
                train_ops.append(apply_updates)
            return apply_updates

    # ---- for subclasses -----------------------------------------------------------
    def _create_slots(self, var_list):
        pass

    def _prepare(self):
        pass

    def _apply_dense(self, grad, var):
        raise NotImplementedError

    def _finish(self, update_ops, name_scope):
        return control.group(*update_ops, name=name_scope)

    # ---- slots -------------------------------------------------------------------
    def get_slot_names(self):
        return sorted(self._slots)

    def get_slot(self, var, name):
        return self._slots.get(name, {}).get(var)

    def variables(self):
        current = get_default_graph()
        slots = [v for d in self._slots.values() for v in d.values() if v.graph is current]
        non_slot = [v for (n, g), v in self._non_slot_dict.items() if g is current]
        return sorted(non_slot, key=lambda v: v.name) + slots

    def _zeros_slot(self, var, slot_name, op_name):
        return self._slot_with_value(var, slot_name, op_name, 0)

    def _slot_with_value(self, var, slot_name, op_name, value):
        """Slot variable `<var>/<op_name>` (then `<var>/<op_name>_1`, ...) filled with `value`."""
        slots = self._slots.setdefault(slot_name, {})
        if var not in slots:
            dtype = var.dtype.base_dtype
            shape = var.get_shape()
            with variable_scope(None, var.op.name + "/" + op_name):
                slots[var] = get_variable(
                    "", initializer=_FilledInitializer(value), shape=shape, dtype=dtype,
                    trainable=False, validate_shape=shape.is_fully_defined())
        return slots[var]

    def _create_non_slot_variable(self, initial_value, name, colocate_with):
        """A variable of the optimizer itself, e.g. Adam's `beta1_power`, one per graph."""
        graph = colocate_with.graph
        key = (name, graph)
        v = self._non_slot_dict.get(key)
        if v is None:
            with graph.as_default(), graph.name_scope(None):
                v = Variable(initial_value, name=name, trainable=False)
            self._non_slot_dict[key] = v
        return v

    def _get_non_slot_variable(self, name, graph=None):
        return self._non_slot_dict.get((name, graph or get_default_graph()))

    def _call_if_callable(self, param):
        return param() if callable(param) else param


class _FilledInitializer:
    """Slot initializer: a Const of the variable's shape (`.../Initializer/Const`)."""

    def __init__(self, value):
        self.value = value

    def __call__(self, shape, dtype=None, partition_info=None):
        return constant(self.value, dtype=dtype, shape=shape)


def _assert_valid_dtypes(tensors):
    for t in tensors:
        dtype = t.dtype.base_dtype
        if dtype not in _VALID_DTYPES:
            raise ValueError(f"Invalid type {dtype!r} for {t.name}, expected: "
                             f"{list(_VALID_DTYPES)}.")


def _is_tensor(x):
    return isinstance(x, Tensor)
