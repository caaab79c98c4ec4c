"""tf.variable_scope and tf.get_variable: variables shared by name, with reuse.

Mirrors tensorflow/python/ops/variable_scope.py. Variable names depend on the variable
scope only (`layer/w`), op names on the name scope, which a reopened scope makes unique
(`layer_1/add`). The store of variables and the current scope belong to each graph.
"""
import contextlib

from . import dtypes as _dtypes
from .graph import get_default_graph
from .init_ops import glorot_uniform_initializer, zeros_initializer
from .tensor_shape import as_shape
from .variables import Variable


class _ReuseMode:
    def __repr__(self):
        return "tf.AUTO_REUSE"


AUTO_REUSE = _ReuseMode()


class VariableScope:
    """A variable scope: its name, whether get_variable reuses, and defaults for new variables."""

    def __init__(self, reuse, name="", initializer=None, regularizer=None, dtype=_dtypes.float32,
                 name_scope=""):
        self._reuse = reuse
        self._name = name
        self._initializer = initializer
        self._regularizer = regularizer
        self._dtype = dtype
        self._name_scope = name_scope

    name = property(lambda self: self._name)
    reuse = property(lambda self: self._reuse)
    initializer = property(lambda self: self._initializer)
    regularizer = property(lambda self: self._regularizer)
    dtype = property(lambda self: self._dtype)
    original_name_scope = property(lambda self: self._name_scope)

    def reuse_variables(self):
        """From now on, get_variable in this scope returns existing variables."""
        self._reuse = True

    def set_initializer(self, initializer):
        self._initializer = initializer

    def get_variable(self, name, shape=None, dtype=None, initializer=None, regularizer=None,
                     reuse=None, trainable=None, collections=None, validate_shape=True, **_unused):
        full_name = self._name + "/" + name if self._name else name
        store = _store()
        graph = get_default_graph()
        with graph.name_scope(None):  # variable names follow the variable scope only
            return store.get_variable(full_name, shape, _first(dtype, self._dtype),
                                      _first(initializer, self._initializer),
                                      _first(regularizer, self._regularizer),
                                      self._reuse if reuse is None else reuse,
                                      True if trainable is None else trainable, collections, validate_shape)


def _first(value, default):
    return default if value is None else value


class _VariableStore:
    def __init__(self):
        self.vars = {}
        self.scope_counts = {}
        self.scope = VariableScope(False)

    def get_variable(self, name, shape, dtype, initializer, regularizer, reuse, trainable,
                     collections, validate_shape):
        from_value = initializer is not None and not callable(initializer)
        if shape is not None and from_value:
            raise ValueError("If initializer is a constant, do not specify shape.")
        dtype = _dtypes.as_dtype(dtype)
        shape = as_shape(shape)
        if name in self.vars:
            if reuse is False:
                raise ValueError(f"Variable {name} already exists, disallowed. Did you mean to set "
                                 f"reuse=True or reuse=tf.AUTO_REUSE in VarScope?")
            found = self.vars[name]
            if not shape.is_compatible_with(found.get_shape()):
                raise ValueError(f"Trying to share variable {name}, but specified shape {shape} and "
                                 f"found shape {found.get_shape()}.")
            if dtype.base_dtype != found.dtype.base_dtype:
                raise ValueError(f"Trying to share variable {name}, but specified dtype {dtype.name} "
                                 f"and found dtype {found.dtype.base_dtype.name}.")
            return found
        if reuse is True:
            raise ValueError(f"Variable {name} does not exist, or was not created with tf.get_variable(). "
                             f"Did you mean to set reuse=tf.AUTO_REUSE in VarScope?")
        if initializer is None:
            if dtype.is_floating:
                initializer = glorot_uniform_initializer()
            elif dtype.is_integer or dtype.is_bool:
                initializer = zeros_initializer()
            else:
                raise ValueError(f"An initializer for variable {name} of {dtype.base_dtype!r} is required")
        if from_value:
            init_val, var_dtype = initializer, None
        else:
            if isinstance(initializer, type):
                initializer = initializer()
            if shape.is_fully_defined():
                dims = shape.as_list()

                def init_val():
                    return initializer(dims, dtype=dtype.base_dtype)
                var_dtype = dtype.base_dtype
            else:
                raise ValueError(f"Shape of a new variable ({name}) must be fully defined, but instead "
                                 f"was {shape}.")
        v = Variable(initial_value=init_val, name=name, trainable=trainable, collections=collections,
                     dtype=var_dtype, validate_shape=validate_shape)
        self.vars[name] = v
        if regularizer is not None:
            graph = get_default_graph()
            with graph.name_scope(name + "/Regularizer/"):
                loss = regularizer(v)
            if loss is not None:
                graph.add_to_collection("regularization_losses", loss)
        return v


def _store():
    graph = get_default_graph()
    if graph._var_store is None:
        graph._var_store = _VariableStore()
    return graph._var_store


def get_variable_scope():
    """The current VariableScope (the root one has the name '')."""
    return _store().scope


def get_variable(name, shape=None, dtype=None, initializer=None, regularizer=None, trainable=None,
                 collections=None, caching_device=None, partitioner=None, validate_shape=True,
                 use_resource=None, custom_getter=None, constraint=None, **_unused):
    """Get the variable `<scope>/name`, creating it unless the scope reuses.

    Example: `with tf.variable_scope('layer'): w = tf.get_variable('w', [3, 2])` makes
    `layer/w:0`, initialized with glorot uniform values.
    """
    return get_variable_scope().get_variable(name, shape=shape, dtype=dtype, initializer=initializer,
                                             regularizer=regularizer, trainable=trainable,
                                             collections=collections, validate_shape=validate_shape)


def _unique_scope_name(prefix):
    store = _store()
    current = store.scope.name
    name = current + "/" + prefix if current else prefix
    if store.scope_counts.get(name, 0) == 0:
        return prefix
    i = 1
    while store.scope_counts.get(f"{name}_{i}", 0) > 0:
        i += 1
    return f"{prefix}_{i}"


@contextlib.contextmanager
def variable_scope(name_or_scope, default_name=None, values=None, initializer=None, regularizer=None,
                   caching_device=None, partitioner=None, custom_getter=None, reuse=None, dtype=None,
                   use_resource=None, constraint=None, auxiliary_name_scope=True):
    """Open a variable scope: prefixes variable names and op names, sets reuse and defaults.

    `default_name` (with name_or_scope None) makes a unique scope: 'dense', 'dense_1', ...
    Reuse is inherited by sub-scopes; `tf.AUTO_REUSE` creates or reuses as needed.
    """
    graph = get_default_graph()
    store = _store()
    old = store.scope
    if name_or_scope is None and default_name is None:
        raise TypeError("If default_name is None then name_or_scope is required")
    if name_or_scope is None and reuse is True:
        raise ValueError("reuse=True cannot be used without a name_or_scope")
    if isinstance(name_or_scope, VariableScope):
        scope_name = name_or_scope.name
        ns = name_or_scope.name.split("/")[-1]
        base_reuse = name_or_scope.reuse
        base = name_or_scope
    else:
        base = old
        base_reuse = old.reuse
        if name_or_scope is None:
            ns = default_name
        else:
            ns = name_or_scope
    name_ctx = graph.name_scope(ns) if auxiliary_name_scope else contextlib.nullcontext(
        base.original_name_scope if isinstance(name_or_scope, VariableScope) else graph.get_name_scope())
    with name_ctx as name_scope_name:
        if not isinstance(name_or_scope, VariableScope):
            short = name_or_scope if name_or_scope is not None else _unique_scope_name(default_name)
            scope_name = old.name + "/" + short if old.name else short
        # reuse is inherited: a sub-scope of a reusing scope reuses whatever it says
        new_reuse = reuse if reuse else base_reuse
        new = VariableScope(new_reuse, name=scope_name, initializer=base.initializer,
                            regularizer=base.regularizer, dtype=base.dtype,
                            name_scope=name_scope_name)
        if initializer is not None:
            new.set_initializer(initializer)
        if regularizer is not None:
            new._regularizer = regularizer
        if dtype is not None:
            new._dtype = _dtypes.as_dtype(dtype)
        store.scope_counts[scope_name] = store.scope_counts.get(scope_name, 0) + 1
        saved_counts = dict(store.scope_counts)
        store.scope = new
        try:
            yield new
        finally:
            store.scope = old
            if isinstance(name_or_scope, VariableScope):
                store.scope_counts = saved_counts
            else:
                for k in list(store.scope_counts):
                    if k.startswith(scope_name + "/"):
                        store.scope_counts[k] = 0


def variable_op_scope(values, name_or_scope, default_name=None, **kwargs):
    return variable_scope(name_or_scope, default_name=default_name, values=values, **kwargs)
