"""Graph, Operation, Tensor, name scopes, control dependencies, the default-graph and
default-session stacks.

Mirrors tensorflow/python/framework/ops.py. Nothing here computes: a graph is a description
of computation that a Session later runs.
"""
import contextlib
import re
import threading

from . import device_spec, dtypes as _dtypes
from .graph_keys import GraphKeys  # noqa: F401 - tf.GraphKeys, with the collections below
from .default_session import (_DefaultSession, _default_session_stack, _session_for,  # noqa: F401
                              get_default_session)
from .tensor_shape import TensorShape, as_shape


class Tensor:
    """A symbolic handle to one output of an Operation: `"<op name>:<index>"`."""

    # numpy must defer to our reflected operators (np.float32(2) * t builds a Mul)
    __array_priority__ = 100
    # set by tf.gradients on the tensors a gradient rule returns: (forward op, input index)
    gradient_for = None

    def __init__(self, op, value_index, dtype, shape):
        self._op = op
        self._value_index = value_index
        self._dtype = dtype
        self._shape = shape if isinstance(shape, TensorShape) else TensorShape(shape)
        self._consumers = []

    op = property(lambda self: self._op)
    value_index = property(lambda self: self._value_index)
    dtype = property(lambda self: self._dtype)
    graph = property(lambda self: self._op._graph)
    shape = property(lambda self: self._shape)
    device = property(lambda self: self._op._device)

    @property
    def name(self):
        return f"{self._op.name}:{self._value_index}"

    def get_shape(self):
        return self._shape

    def set_shape(self, shape):
        self._shape = self._shape.merge_with(as_shape(shape))

    def consumers(self):
        """The operations that take this tensor as an input, in creation order."""
        return list(self._consumers)

    def eval(self, feed_dict=None, session=None):
        """Run this tensor in `session` (default: the default session) and return its value."""
        return _session_for(session, self).run(self, feed_dict)

    def __repr__(self):
        return f"<tf.Tensor '{self.name}' shape={self._shape} dtype={self._dtype.name}>"

    # ---- display hook (tfteach/display, imported on first use) ----
    def show(self, **options):
        """Draw the ops this tensor depends on; options as in `tfteach.display.show_graph`."""
        from .display import show
        show(self, **options)

    def __str__(self):
        shape = "" if self._shape.dims is None else f"shape={self._shape}, "
        return f'Tensor("{self.name}", {shape}dtype={self._dtype.name})'

    def __bool__(self):
        raise TypeError(
            "Using a `tf.Tensor` as a Python `bool` is not allowed. Use `if t is not None:` "
            "instead of `if t:` to test if a tensor is defined, and use TensorFlow ops such "
            "as tf.cond to execute subgraphs conditioned on the value of a tensor.")

    def __iter__(self):
        raise TypeError("Tensor objects are only iterable when eager execution is enabled. To "
                        "iterate over this tensor use tf.map_fn, or tf.unstack for a known length.")

    def __len__(self):
        raise TypeError(f"len is not well defined for symbolic Tensors. ({self.name}) "
                        "Please call `x.shape` rather than `len(x)` for shape information.")

    __hash__ = object.__hash__  # graph mode: == is identity, tensors are dict keys

    @classmethod
    def _override_operator(cls, operator, func):
        """Install an operator (`__add__`, ...); the op library calls this at import."""
        setattr(cls, operator, func)


class Operation:
    """A node of the graph: its type ("MatMul"), inputs, outputs and attributes."""

    def __init__(self, graph, op_type, name, inputs, output_dtypes, attrs, control_inputs, shapes=None):
        self._graph = graph
        self._type = op_type
        self._name = name
        self._inputs = tuple(inputs)  # a tuple, so `inputs` can hand it out without a copy
        self._control_inputs = list(control_inputs)
        self._outputs = []
        for i, dtype in enumerate(output_dtypes):
            self._outputs.append(Tensor(self, i, dtype, None if shapes is None else shapes[i]))
        self._attrs = dict(attrs) if attrs else {}
        self._id = len(graph._ops)
        self._device = ""  # set by create_op from the `with tf.device(...)` blocks around it
        # set by tf.gradients on the ops it adds: (forward op, input index or None)
        self.gradient_of = None

    name = property(lambda self: self._name)
    type = property(lambda self: self._type)
    graph = property(lambda self: self._graph)
    inputs = property(lambda self: self._inputs)
    outputs = property(lambda self: list(self._outputs))
    control_inputs = property(lambda self: list(self._control_inputs))
    attrs = property(lambda self: self._attrs)
    device = property(lambda self: self._device)  # "/device:CPU:0" as given; tfteach runs on one CPU

    def _set_device(self, device):
        self._device = device_spec.as_string(device)

    @property
    def node_def(self):
        """This op as a NodeDef protocol buffer; prints like TF1's text form."""
        from .graph_def import node_def_of  # graph_def builds on this module: it stays below
        return node_def_of(self)

    def get_attr(self, name):
        if name not in self._attrs:
            raise ValueError(f"Operation '{self._name}' has no attr named '{name}'.")
        return self._attrs[name]

    def values(self):
        return tuple(self._outputs)

    def run(self, feed_dict=None, session=None):
        """Run this operation in `session` (default: the default session)."""
        _session_for(session, self).run(self, feed_dict)

    def _add_control_input(self, op):
        self._control_inputs.append(op)
        self._graph._version += 1

    def _update_input(self, index, tensor):
        """Replace input `index` (tf.while_loop closes its loop: Merge's second input becomes
        the NextIteration made after it)."""
        inputs = list(self._inputs)
        inputs[index]._consumers.remove(self)
        inputs[index] = tensor
        tensor._consumers.append(self)
        self._inputs = tuple(inputs)
        self._graph._version += 1

    def __repr__(self):
        return f"<tf.Operation '{self._name}' type={self._type}>"

    # ---- display hook (tfteach/display, imported on first use) ----
    def show(self, **options):
        """Draw the ops this op depends on; options as in `tfteach.display.show_graph`."""
        from .display import show
        show(self, **options)

    def __str__(self):
        return str(self.node_def)


class Graph:
    """A TensorFlow computation: operations in creation order, plus names, scopes, collections."""

    def __init__(self):
        self._ops = []
        self._ops_by_name = {}
        self._names_in_use = {}
        self._name_stack = ""
        self._control_dependencies_stack = []
        self._outside_control_flow = False  # inside control_dependencies(None): see there
        self._device_stack = []  # the `with tf.device(...)` blocks: strings, functions or None
        self._collections = {}
        self._finalized = False
        self._version = 0  # bumped on every change a cached session plan depends on
        self.seed = None
        self._var_store = None  # the variable_scope store, made on first use

    # ---- building -------------------------------------------------------
    def create_op(self, op_type, inputs, dtypes, name=None, attrs=None, shapes=None):
        """Add an Operation. `name` ending in '/' is taken as is (a name scope's own name)."""
        if self._finalized:
            raise RuntimeError("Graph is finalized and cannot be modified.")
        if name and name.endswith("/"):
            name = name[:-1]
        else:
            if name and not _VALID_OP_NAME.match(name):
                raise ValueError(f"'{name}' is not a valid node name")
            name = self.unique_name(name or op_type)
        control = self._current_control_dependencies(inputs)
        op = Operation(self, op_type, name, inputs, dtypes, attrs, control, shapes)
        if self._device_stack:
            op._device = self._current_device(op)
        for t in inputs:
            t._consumers.append(op)
        self._ops.append(op)
        self._ops_by_name[name] = op
        self._version += 1
        return op

    def _remove_op(self, op):
        """Undo create_op for an op whose shape or dtype check failed (its name stays used)."""
        assert self._ops and self._ops[-1] is op
        self._ops.pop()
        del self._ops_by_name[op.name]
        for t in op._inputs:
            t._consumers.remove(op)
        self._version += 1

    def unique_name(self, name, mark_as_used=True):
        """`name` prefixed by the current scope and made unique: 'add', 'add_1', ...

        Case-sensitive, as in the TensorFlow the seeds ran (`Add_1` then `add`).
        """
        if self._name_stack:
            name = self._name_stack + "/" + name
        i = self._names_in_use.get(name, 0)
        if mark_as_used:
            self._names_in_use[name] = i + 1
        if i > 0:
            base = name
            while name in self._names_in_use:
                name = f"{base}_{i}"
                i += 1
            if mark_as_used:
                self._names_in_use[name] = 1
        return name

    def get_name_scope(self):
        return self._name_stack

    def name_scope(self, name):
        """Enter a name scope; yields the scope string ('layer1/'). '' or None resets to top."""
        return _NameScope(self, name)

    def as_default(self):
        """Make this graph the default for the `with` block (nestable)."""
        return _DefaultGraph(self)

    def finalize(self):
        self._finalized = True

    def as_graph_def(self, from_version=None, add_shapes=False):
        """This graph as a GraphDef protocol buffer (see tfteach/graph_def.py)."""
        from .graph_def import as_graph_def  # graph_def builds on this module: it stays below
        return as_graph_def(self, add_shapes=add_shapes)

    @property
    def finalized(self):
        return self._finalized

    @property
    def version(self):
        return self._version

    # ---- devices ---------------------------------------------------------
    @contextlib.contextmanager
    def device(self, device_name_or_function):
        """Ops created inside get this device (`op.device`), as in TF1; tfteach runs them all on
        its one CPU, so the device is only kept (and written in the GraphDef), never used.

        A string ("/cpu:0", "/job:ps/task:0"), a function called with each new op that returns
        one, or None (no device inside). Nested blocks: the innermost non-empty device wins.
        """
        if device_name_or_function is not None and not callable(device_name_or_function):
            device_name_or_function = device_spec.parse(device_spec.as_string(device_name_or_function))
        self._device_stack.append(device_name_or_function)
        try:
            yield
        finally:
            self._device_stack.pop()

    def _current_device(self, op):
        """The device of a new op: the `with tf.device(...)` blocks around it, merged as TF1 does."""
        return device_spec.merge(self._device_stack, op)

    # ---- control dependencies -------------------------------------------
    @contextlib.contextmanager
    def control_dependencies(self, control_inputs):
        """Ops created inside run only after `control_inputs` (ops or tensors); None clears."""
        if control_inputs is None:
            # as TF1: also leave any tf.cond branch or while loop being built (a variable made
            # in a loop's body lives outside the loop; see ops/control.py)
            saved = self._control_dependencies_stack, self._outside_control_flow
            self._control_dependencies_stack, self._outside_control_flow = [], True
            try:
                yield
            finally:
                self._control_dependencies_stack, self._outside_control_flow = saved
            return
        ops = []
        for c in control_inputs:
            c = self.as_graph_element(c)
            op = c.op if isinstance(c, Tensor) else c
            if op not in ops:
                ops.append(op)
        self._control_dependencies_stack.append(ops)
        try:
            yield
        finally:
            self._control_dependencies_stack.pop()

    def _current_control_dependencies(self, inputs):
        if not self._control_dependencies_stack:
            return []
        input_ops = {t.op for t in inputs}
        deps = []
        for frame in self._control_dependencies_stack:
            for op in frame:
                if op not in deps and op not in input_ops:
                    deps.append(op)
        return deps

    # ---- lookup ---------------------------------------------------------
    def get_operations(self):
        """All operations, in the order they were created."""
        return list(self._ops)

    def get_operation_by_name(self, name):
        if not isinstance(name, str):
            raise TypeError(f"Operation names are strings (or similar), not {type(name).__name__}.")
        return self.as_graph_element(name, allow_tensor=False, allow_operation=True)

    def get_tensor_by_name(self, name):
        if not isinstance(name, str):
            raise TypeError(f"Tensor names are strings (or similar), not {type(name).__name__}.")
        return self.as_graph_element(name, allow_tensor=True, allow_operation=False)

    def as_graph_element(self, obj, allow_tensor=True, allow_operation=True):
        """Resolve a Tensor, Operation, Variable or name to an element of this graph."""
        if hasattr(obj, "_as_graph_element"):
            obj = obj._as_graph_element()
        if isinstance(obj, str):
            return self._element_by_name(obj, allow_tensor, allow_operation)
        if isinstance(obj, Tensor) and allow_tensor:
            if obj.graph is not self:
                raise ValueError(f"Tensor {obj} is not an element of this graph.")
            return obj
        if isinstance(obj, Operation) and allow_operation:
            if obj.graph is not self:
                raise ValueError(f"Operation {obj} is not an element of this graph.")
            return obj
        kinds = " or ".join(k for k, ok in (("Tensor", allow_tensor), ("Operation", allow_operation)) if ok)
        raise TypeError(f"Can not convert a {type(obj).__name__} into a {kinds}.")

    def _element_by_name(self, name, allow_tensor, allow_operation):
        if ":" in name:
            if not allow_tensor:
                raise ValueError(f"Name '{name}' appears to refer to a Tensor, not an Operation.")
            op_name, _, index = name.rpartition(":")
            try:
                index = int(index)
            except ValueError:
                raise ValueError(f"The name '{name}' looks a like a Tensor name, but is not a valid one.")
            if op_name not in self._ops_by_name:
                raise KeyError(f"The name '{name}' refers to a Tensor which does not exist. "
                               f"The operation, '{op_name}', does not exist in the graph.")
            outputs = self._ops_by_name[op_name]._outputs
            if not 0 <= index < len(outputs):
                raise KeyError(f"The name '{name}' refers to a Tensor which does not exist. "
                               f"The operation, '{op_name}', exists but only has {len(outputs)} outputs.")
            return outputs[index]
        if not allow_operation:
            if name in self._ops_by_name:
                raise ValueError(f"The name '{name}' refers to an Operation, not a Tensor. "
                                 f"Tensor names must be of the form \"<op_name>:<output_index>\".")
            raise ValueError(f"The name '{name}' looks like an (invalid) Operation name, not a Tensor. "
                             f"Tensor names must be of the form \"<op_name>:<output_index>\".")
        if name not in self._ops_by_name:
            raise KeyError(f"The name '{name}' refers to an Operation not in the graph.")
        return self._ops_by_name[name]

    # ---- collections ----------------------------------------------------
    def add_to_collection(self, name, value):
        self._collections.setdefault(name, []).append(value)

    def add_to_collections(self, names, value):
        for name in ([names] if isinstance(names, str) else set(names)):
            self.add_to_collection(name, value)

    def get_collection_ref(self, name):
        return self._collections.setdefault(name, [])

    def get_collection(self, name, scope=None):
        items = self._collections.get(name, [])
        if scope is None:
            return list(items)
        pattern = re.compile(scope)
        return [i for i in items if hasattr(i, "name") and pattern.match(i.name)]

    def get_all_collection_keys(self):
        return [k for k, v in self._collections.items() if v]

    def clear_collection(self, name):
        self._collections.pop(name, None)

    def __repr__(self):
        n = len(self._ops)
        return f"<tf.Graph: {n} op{'' if n == 1 else 's'}{f' ({_op_types(self._ops)})' if n else ''}>"

    # ---- display hooks (tfteach/display, imported on first use) ----
    def _repr_mimebundle_(self, include=None, exclude=None):
        """Jupyter's picture of the graph (SVG via Graphviz), with the repr as text/plain."""
        from .display import graph_bundle
        return graph_bundle(self, include, exclude)

    def show(self, **options):
        """Draw the graph now; options as in `tfteach.display.show_graph`."""
        from .display import show
        show(self, **options)


# Every op enters one or two name scopes (its own, and the operator's `mul`), so these two are
# small classes: a @contextmanager generator costs several times more to enter and leave.
# the names TF1 accepts (framework/ops.py): letters, digits and . _ - / > only
_VALID_OP_NAME = re.compile(r"^[A-Za-z0-9.][A-Za-z0-9_.\-/>]*$")
_VALID_SCOPE_NAME = re.compile(r"^[A-Za-z0-9_.\-/>]*$")


class _NameScope:
    """The context manager of Graph.name_scope."""

    def __init__(self, graph, name):
        self._graph = graph
        self._name = name
        self._old = None

    def __enter__(self):
        graph, name = self._graph, self._name
        self._old = graph._name_stack
        if name:
            # TF1's rule: a scope at the top starts like an op name, a nested one may start
            # with '_', '-', '/' or '>'
            if not (_VALID_SCOPE_NAME if self._old else _VALID_OP_NAME).match(name):
                raise ValueError(f"'{name}' is not a valid scope name")
            if name.endswith("/"):
                new = name[:-1]  # re-entering a scope captured earlier, as is
            else:
                new = graph.unique_name(name)
        else:
            new = ""
        graph._name_stack = new
        return (new + "/") if new else ""

    def __exit__(self, *exc_info):
        self._graph._name_stack = self._old


class _DefaultGraph:
    """The context manager of Graph.as_default."""

    def __init__(self, graph):
        self._graph = graph

    def __enter__(self):
        _default_graph_stack.append(self._graph)
        return self._graph

    def __exit__(self, *exc_info):
        _default_graph_stack.remove(self._graph)


def _op_types(ops, limit=12):
    """'Const x2, VariableV2, Assign': op types in order of first use, with counts."""
    counts = {}
    for op in ops:
        counts[op.type] = counts.get(op.type, 0) + 1
    types = [t if n == 1 else f"{t} x{n}" for t, n in counts.items()]
    if len(types) > limit:
        types = types[:limit] + [f"{len(types) - limit} more types"]
    return ", ".join(types)


# ---- the default graph ---------------------------------------------------
_default_graph_stack = []
_global = threading.local()


def get_default_graph():
    """The graph new operations go into: the innermost `as_default()`, else the global one."""
    if _default_graph_stack:
        return _default_graph_stack[-1]
    graph = getattr(_global, "graph", None)
    if graph is None:
        graph = _global.graph = Graph()
    return graph


def reset_default_graph():
    """Replace the global default graph with a new, empty one (old graphs stay usable)."""
    if _default_graph_stack:
        raise AssertionError("Do not use tf.reset_default_graph() to clear nested graphs. If you "
                             "need a cleared graph, exit the nesting and create a new graph.")
    _global.graph = Graph()
    _default_session_stack.clear()


def graph_of(values, graph=None):
    """The graph shared by `values` (tensors, ops, variables), else `graph` or the default.

    Raises ValueError when two of them come from different graphs, e.g. a tensor kept from
    before `tf.reset_default_graph()`.
    """
    found = graph
    first = None
    for v in values:
        g = getattr(v, "graph", None)
        if not isinstance(g, Graph):
            continue
        if found is None:
            found, first = g, v
        elif g is not found:
            other = first if first is not None else "the default graph"
            raise ValueError(f"{v!s} must be from the same graph as {other!s} (graphs are "
                             f"{found} and {g}). Was it made before tf.reset_default_graph()?")
        elif first is None:
            first = v
    return found if found is not None else get_default_graph()


@contextlib.contextmanager
def name_scope(name, default_name=None, values=None):
    """TF1's `tf.name_scope(name, default_name=None, values=None)`; yields 'scope/'."""
    graph = graph_of(values or [])
    with graph.name_scope(name if name is not None else default_name) as scope:
        yield scope


def control_dependencies(control_inputs):
    return get_default_graph().control_dependencies(control_inputs)


def device(device_name_or_function):
    """TF1's `tf.device`: ops created inside keep the device in `op.device` (see Graph.device)."""
    return get_default_graph().device(device_name_or_function)


# ---- collections on the default graph ------------------------------------
def add_to_collection(name, value):
    get_default_graph().add_to_collection(name, value)


def add_to_collections(names, value):
    get_default_graph().add_to_collections(names, value)


def get_collection(key, scope=None):
    return get_default_graph().get_collection(key, scope)


def get_collection_ref(key):
    return get_default_graph().get_collection_ref(key)


# ---- converting Python values to tensors ---------------------------------
_conversion_functions = []  # (types, fn(value, dtype, name, as_ref) -> Tensor)


def register_tensor_conversion_function(base_type, conversion_func):
    """Let objects of `base_type` (e.g. Variable) be used where a Tensor is expected."""
    _conversion_functions.insert(0, (base_type, conversion_func))


def convert_to_tensor(value, dtype=None, name=None, preferred_dtype=None, as_ref=False):
    """A Tensor for `value`: tensors pass through, variables give their value, the rest a Const."""
    if dtype is not None:
        dtype = _dtypes.as_dtype(dtype)
    if isinstance(value, Tensor):
        if dtype is not None and value.dtype.base_dtype != dtype.base_dtype:
            raise ValueError(f"Tensor conversion requested dtype {dtype.name} for Tensor with "
                             f"dtype {value.dtype.name}: {value!r}")
        return value
    for base_type, fn in _conversion_functions:
        if isinstance(value, base_type):
            if dtype is None and preferred_dtype is not None:
                try:
                    result = fn(value, dtype=_dtypes.as_dtype(preferred_dtype), name=name, as_ref=as_ref)
                except (TypeError, ValueError):
                    result = NotImplemented
                if result is not NotImplemented:
                    return result
            result = fn(value, dtype=dtype, name=name, as_ref=as_ref)
            if result is not NotImplemented:  # a function may decline, e.g. a list of plain numbers
                return result
    raise TypeError(f"Failed to convert object of type {type(value)} to Tensor. Contents: "
                    f"{value!r}. Consider casting elements to a supported type.")
