"""tf.Variable: a VariableV2 op, its initial value, its Assign initializer and its read.

Mirrors tensorflow/python/ops/variables.py (RefVariable). `tf.Variable(42)` adds TF1's four
ops: `Variable/initial_value` (Const), `Variable` (VariableV2), `Variable/Assign`, `Variable/read`.
"""
from . import dtypes as _dtypes
from .graph import (GraphKeys, Tensor, _session_for, convert_to_tensor, get_default_graph,
                    register_tensor_conversion_function)
from .ops import control as control_flow_ops, state
from .ops.control import group, identity
from .registry import apply_op
from .tensor_shape import TensorShape


class Variable:
    """A value that lives in a Session and persists across runs, changed by assign ops."""

    def __init__(self, initial_value=None, trainable=True, collections=None, validate_shape=True,
                 caching_device=None, name=None, variable_def=None, dtype=None, expected_shape=None,
                 import_scope=None, constraint=None, use_resource=None, **_unused):
        if initial_value is None:
            raise ValueError("initial_value must be specified.")
        graph = get_default_graph()
        from_fn = callable(initial_value)
        if collections is None:
            collections = [GraphKeys.GLOBAL_VARIABLES]
        if trainable and GraphKeys.TRAINABLE_VARIABLES not in collections:
            collections = list(collections) + [GraphKeys.TRAINABLE_VARIABLES]
        # variables are made outside any control-dependency context, as TF1's init_scope does
        with graph.control_dependencies(None), graph.name_scope(name or "Variable") as scope:
            if from_fn:
                with graph.name_scope("Initializer"):
                    self._initial_value = convert_to_tensor(initial_value(), name="initial_value",
                                                            dtype=dtype)
            else:
                self._initial_value = convert_to_tensor(initial_value, name="initial_value", dtype=dtype)
            shape = self._initial_value.shape if validate_shape else None
            base = self._initial_value.dtype.base_dtype
            shape = shape if shape is not None else TensorShape(None)
            var_op = graph.create_op("VariableV2", [], [base._as_ref], name=scope,
                                     attrs={"shape": shape, "dtype": base, "container": "",
                                            "shared_name": ""}, shapes=[shape])
            self._variable = var_op.outputs[0]
            self._initializer_op = state.assign(self._variable, self._initial_value,
                                                validate_shape=validate_shape).op
            self._snapshot = identity(self._variable, name="read")
        self._trainable = trainable
        self._constraint = constraint
        self._save_slice_info = None
        graph.add_to_collections(collections, self)

    # ---- what a Variable is in the graph ----------------------------------------
    name = property(lambda self: self._variable.name)
    op = property(lambda self: self._variable.op)
    graph = property(lambda self: self._variable.graph)
    dtype = property(lambda self: self._variable.dtype)
    shape = property(lambda self: self._variable.shape)
    initializer = property(lambda self: self._initializer_op)
    initial_value = property(lambda self: self._initial_value)
    trainable = property(lambda self: self._trainable)
    device = property(lambda self: self._variable.device)
    constraint = property(lambda self: self._constraint)

    def get_shape(self):
        return self.shape

    def value(self):
        """The `<name>/read` tensor: the variable's value as an ordinary tensor."""
        return self._snapshot

    def read_value(self):
        return identity(self._variable, name="read")

    def _ref(self):
        return self._variable

    def _as_graph_element(self):
        return self._variable

    def initialized_value(self):
        return control_flow_ops.with_dependencies([self._initializer_op], self._initial_value)

    def eval(self, session=None):
        return self._variable.eval(session=session)

    def load(self, value, session=None):
        """Set the variable's value in `session` without adding ops (feeds the initializer)."""
        _session_for(session, self._variable).run(self._initializer_op, {self._initial_value: value})

    # ---- changing it --------------------------------------------------------------
    def assign(self, value, use_locking=False, name=None, read_value=True):
        """Op setting the variable to `value`; its output is the new value."""
        out = state.assign(self._variable, value, use_locking=use_locking, name=name)
        return out if read_value else out.op

    def assign_add(self, delta, use_locking=False, name=None, read_value=True):
        out = state.assign_add(self._variable, delta, use_locking=use_locking, name=name)
        return out if read_value else out.op

    def assign_sub(self, delta, use_locking=False, name=None, read_value=True):
        out = state.assign_sub(self._variable, delta, use_locking=use_locking, name=name)
        return out if read_value else out.op

    def __repr__(self):
        return f"<tf.Variable '{self.name}' shape={self.shape} dtype={self.dtype.name}>"

    # ---- display hook (tfteach/display, imported on first use) ----
    def show(self, **options):
        """Draw the variable's four ops; options as in `tfteach.display.show_graph`."""
        from .display import show
        show(self, **options)

    __hash__ = object.__hash__

    def __bool__(self):
        return Tensor.__bool__(self._snapshot)

    def __iter__(self):
        return iter(self._snapshot)

    @classmethod
    def _overload_operators(cls):
        """Give Variable every operator Tensor has, applied to the variable's value."""
        names = [n for n in vars(Tensor) if n.startswith("__") and n.endswith("__") and n not in _NOT_OPERATORS]
        for n in names:
            cls._overload(n)

    @classmethod
    def _overload(cls, name):
        method = getattr(Tensor, name)
        setattr(cls, name, lambda self, *args: method(self._snapshot, *args))


_NOT_OPERATORS = {"__init__", "__repr__", "__str__", "__bool__", "__iter__", "__len__", "__hash__",
                  "__dict__", "__weakref__", "__doc__", "__module__", "__array_priority__", "__eq__",
                  "__ne__", "__qualname__", "__firstlineno__", "__static_attributes__"}

VariableV1 = RefVariable = Variable


def _variable_conversion(v, dtype=None, name=None, as_ref=False):
    t = v._variable if as_ref else v._snapshot
    if dtype is not None and t.dtype.base_dtype != _dtypes.as_dtype(dtype).base_dtype:
        raise ValueError(f"Incompatible type conversion requested to type '{_dtypes.as_dtype(dtype).name}' "
                         f"for variable of type '{t.dtype.name}'")
    return t


register_tensor_conversion_function(Variable, _variable_conversion)


# ---- collections and initializers -----------------------------------------------------
def global_variables(scope=None):
    return get_default_graph().get_collection(GraphKeys.GLOBAL_VARIABLES, scope)


all_variables = global_variables


def trainable_variables(scope=None):
    return get_default_graph().get_collection(GraphKeys.TRAINABLE_VARIABLES, scope)


def local_variables(scope=None):
    return get_default_graph().get_collection(GraphKeys.LOCAL_VARIABLES, scope)


def model_variables(scope=None):
    return get_default_graph().get_collection(GraphKeys.MODEL_VARIABLES, scope)


def variables_initializer(var_list, name="init"):
    """One op that runs the initializers of `var_list` (a NoOp named `init`)."""
    if var_list:
        return group(*[v.initializer for v in var_list], name=name)
    return control_flow_ops.no_op(name=name)


def global_variables_initializer():
    """The op `init` (a NoOp) that initializes every global variable created so far."""
    return variables_initializer(global_variables())


def initialize_all_variables():
    """Old name of global_variables_initializer (TF 0.x)."""
    return global_variables_initializer()


def local_variables_initializer():
    return variables_initializer(local_variables(), name="init")


def is_variable_initialized(variable):
    return apply_op("IsVariableInitialized", [variable._variable], dtypes=[_dtypes.bool])
