"""A tf.data function (the `map_func` of Dataset.map, filter, flat_map, interleave): traced once
into a graph of its own, as TF traces it into a FunctionDef, then run on each element.

Mirrors tensorflow/python/data/ops/structured_function.py and FuncGraph's captures. The function
may use tensors made outside it (a placeholder, a variable, a constant): each becomes a
placeholder of the function's graph, and the dataset op takes the outside tensor as an input
(TF's `other_arguments`), so its value is read when the dataset op runs, that is when the
iterator is initialized (a one-shot iterator: at its first use; placeholders and variables are
refused there, as in TF).
"""
from ..graph import Graph, convert_to_tensor, get_default_graph
from ..ops.constant import placeholder
from ..session import Session
from .structure import flatten, pack

_VARIABLE_OPS = ("VariableV2", "VarHandleOp")


class Function:
    """`fn` traced on placeholders standing for one element.

    `inputs` are the function graph's placeholders for the element's components, `captured` the
    outside tensors it uses and `captured_inputs` the placeholders standing for them, `outputs`
    its flat results (a flat_map function: the variant of the Dataset it returns).
    """

    def __init__(self, fn, structure, dtypes, shapes, unpack, name):
        self.name = name
        outer = get_default_graph()
        self.graph = Graph()
        self.graph.seed = outer.seed
        made, inputs, result, outputs = _trace_in(outer, fn, structure, dtypes, shapes, unpack, name)
        self.structure = result
        self.dataset = result if hasattr(result, "_variant") else None  # flat_map's function
        self.captured, self.captured_inputs = [], []
        self._copies = {}
        try:
            for op in made:
                self._copy(op, set(made))
            self.inputs = [self._inner(t) for t in inputs]
            self.outputs = [self._inner(t) for t in outputs]
        finally:
            _remove(outer, made)
        del self._copies

    # ---- tracing ------------------------------------------------------------------------------
    def _inner(self, t):
        """The function graph's tensor for the traced tensor `t` (a new capture if made outside)."""
        found = self._copies.get(t)
        if found is None:
            with self.graph.as_default():
                found = placeholder(t.dtype.base_dtype, t.shape, name=f"{t.op.name}_captured".replace("/", "_"))
            self._copies[t] = found
            self.captured.append(t)
            self.captured_inputs.append(found)
        return found

    def _copy(self, op, made):
        if op.type in _VARIABLE_OPS:
            raise ValueError(f"Dataset.{self.name}: the function makes a variable ({op.name}); make it outside the "
                             f"function and use it there (its value is read when the iterator is initialized)")
        for t in op.inputs:
            if t.op in made and t not in self._copies:
                raise NotImplementedError(f"Dataset.{self.name}: tfteach cannot trace a tf.while_loop inside a "
                                          f"dataset function yet ({op.name} reads {t.name} before it is made)")
        new = self.graph.create_op(op.type, [self._inner(t) for t in op.inputs], [t.dtype for t in op.outputs],
                                   name=op.name, attrs=op.attrs, shapes=[t.shape for t in op.outputs])
        for c in op.control_inputs:
            if c in made:
                new._add_control_input(self._copies[c.outputs[0]].op if c.outputs else self._copies[c])
        for old, t in zip(op.outputs, new.outputs):
            self._copies[old] = t
        if not op.outputs:
            self._copies[op] = new

    # ---- running ------------------------------------------------------------------------------
    def call(self, env, element, captured=()):
        """The function's flat results on one element, with the captured tensors' values."""
        direct = []
        for t in self.outputs:
            if t in self.inputs:
                direct.append(element[self.inputs.index(t)])
            elif t in self.captured_inputs:
                direct.append(captured[self.captured_inputs.index(t)])
            else:
                break
        else:
            return tuple(direct)
        sessions = env.session.__dict__.setdefault("_data_function_sessions", {})
        sess = sessions.get(self)
        if sess is None:
            sess = sessions[self] = Session(graph=self.graph)
        feeds = dict(zip(self.inputs, element))
        feeds.update(zip(self.captured_inputs, captured))
        return tuple(sess.run(self.outputs, feeds))


def _trace_in(outer, fn, structure, dtypes, shapes, unpack, name):
    """Call `fn` on placeholders in the outer graph, where it can use the tensors it closes over.

    Returns the ops it made (taken out again by the caller), the placeholders, its result and
    the flat output tensors. The outer graph's names and collections are restored, so its nodes
    and their names are the ones TF's graph has.
    """
    start = len(outer._ops)
    names = dict(outer._names_in_use)
    collections = {k: list(v) for k, v in outer._collections.items()}
    try:
        with outer.as_default(), outer.control_dependencies(None), outer.name_scope(None):
            inputs = [placeholder(dt, shape, name=f"args_{i}") for i, (dt, shape) in enumerate(zip(dtypes, shapes))]
            args = pack(structure, inputs)
            result = fn(*args) if unpack and isinstance(args, tuple) else fn(args)
            if isinstance(result, list):  # TF turns a returned list into a tuple
                result = tuple(result)
            if any(hasattr(t, "dense_shape") for t in flatten(result)):
                raise TypeError(f"Dataset.{name}: the function returns a SparseTensor; tfteach's datasets carry "
                                f"dense tensors only: return tf.sparse.to_dense(sp) (or its indices, values and "
                                f"dense_shape) instead")
            outputs = [result._variant] if hasattr(result, "_variant") else \
                [convert_to_tensor(t) for t in flatten(result)]
    except BaseException:
        _remove(outer, outer._ops[start:])
        raise
    finally:
        outer._names_in_use.clear()
        outer._names_in_use.update(names)
        outer._collections.clear()
        outer._collections.update(collections)
    return outer._ops[start:], inputs, result, outputs


def _remove(graph, ops):
    for op in reversed(list(ops)):
        if graph._ops and graph._ops[-1] is op:
            graph._remove_op(op)
