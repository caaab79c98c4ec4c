"""tf.import_graph_def: rebuild the ops of a GraphDef (tfteach's or real TensorFlow's).

Mirrors tensorflow/python/framework/importer.py. Each NodeDef becomes an Operation through
the op registry, so an imported graph runs in a Session like one built by hand.
"""
import heapq
import inspect

import numpy as np

from .graph import convert_to_tensor, get_default_graph
from .graph_def import GraphDef, attr_python, proto_shape
from .errors import InvalidArgumentError, OpError
from . import import_frames, lazy
from .op_signatures import attr_defaults, output_dtypes, signature
from .protobuf import parse_text
from .registry import lookup
from .tensor_shape import TensorShape
from .versions import NUMPY, require

require(np, NUMPY, "tf.import_graph_def and tf.train.import_meta_graph")

# op types newer TensorFlow writes for ops tfteach knows by their TF1 name (TF 2.x: `+` is AddV2)
RENAMED = {"AddV2": "Add"}


def import_graph_def(graph_def, input_map=None, return_elements=None, name=None, op_dict=None,
                     producer_op_list=None):
    """Add the ops of `graph_def` to the default graph, under the name scope `name`.

    Args:
      graph_def: a GraphDef (tfteach's, or real TensorFlow's: anything with
        SerializeToString()), its serialized bytes, or its text form.
      input_map: {name in graph_def: Tensor} to use in place of those tensors ('x:0' or 'x';
        '^x' replaces a control input).
      return_elements: names in graph_def to return: 'x:0' gives a Tensor, 'x' an Operation.
      name: prefix for the imported names (default 'import'; '' for none).
    Returns:
      The list of `return_elements`, or None.
    Example: `y, = tf.import_graph_def(gd, input_map={'x:0': my_x}, return_elements=['y:0'])`.
    """
    graph_def = _as_graph_def(graph_def)
    graph = get_default_graph()
    nodes = {}
    for n in graph_def.node:
        if n.name in nodes:
            raise ValueError(f"Node '{n.name}' is not unique")  # TF's importer, as a ValueError
        nodes[n.name] = n
    input_map = _normalize_input_map(input_map, nodes, graph)
    prefix = "" if name == "" else graph.unique_name("import" if name is None else name) + "/"
    created = {}
    back_edges = []  # (Merge op, input index, NextIteration's name): a while loop's, closed at the end
    for node in _topological(graph_def.node, nodes):
        full = prefix + node.name
        if full in graph._ops_by_name:
            raise ValueError(f"import_graph_def: the graph already has an op named '{full}'. "
                             f"Import under a name scope (name='import') or into a new graph.")
        later = [(i, spec) for i, spec in enumerate(node.input)
                 if import_frames.back_edge(node, nodes.get(_source(spec))) and _source(spec) not in created]
        if later:  # the loop's Merge takes its first input twice until its NextIteration exists
            node = _with_inputs(node, [node.input[0] if (i, spec) in later else spec
                                       for i, spec in enumerate(node.input)])
        created[node.name] = _make_op(graph, node, full, created, input_map)
        back_edges.extend((created[node.name], i, spec) for i, spec in later)
        _reserve(graph, full)
    for merge, i, spec in back_edges:
        merge._update_input(i, _input(spec, merge, created, input_map))
    if back_edges or any(n.op == "Enter" for n in graph_def.node):
        import_frames.rebuild([created[n.name] for n in _topological(graph_def.node, nodes)])
    if return_elements is None:
        return None
    result = []
    for element in return_elements:
        op_name = element.split(":")[0]
        if op_name not in created:
            raise ValueError(f"Requested return_element '{element}' not found in graph_def.")
        result.append(graph.as_graph_element(prefix + element))
    return result


def _as_graph_def(graph_def):
    if isinstance(graph_def, GraphDef):
        return graph_def
    if isinstance(graph_def, (bytes, bytearray)):
        return GraphDef.FromString(graph_def)
    if isinstance(graph_def, str):
        return parse_text(graph_def, GraphDef())
    if hasattr(graph_def, "SerializeToString"):  # e.g. a real TensorFlow GraphDef
        return GraphDef.FromString(graph_def.SerializeToString())
    raise TypeError(f"import_graph_def needs a GraphDef, got {type(graph_def).__name__}")


def _normalize_input_map(input_map, nodes, graph):
    result = {}
    for key, value in (input_map or {}).items():
        key = key if key.startswith("^") or ":" in key else key + ":0"
        if key.lstrip("^").split(":")[0] not in nodes:
            raise ValueError(f"Attempted to map inputs that were not found in graph_def: [{key}]")
        result[key] = value if key.startswith("^") else convert_to_tensor(value)
    return result


def _topological(node_list, nodes):
    """The nodes with every input before its consumers; ties keep the GraphDef's order."""
    order = {n.name: i for i, n in enumerate(node_list)}
    waiting = {n.name: 0 for n in node_list}
    consumers = {n.name: [] for n in node_list}
    for n in node_list:
        for source in {_source(i) for i in n.input}:
            if source in nodes and not import_frames.back_edge(n, nodes[source]):
                waiting[n.name] += 1
                consumers[source].append(n.name)
    ready = [order[name] for name, count in waiting.items() if count == 0]
    heapq.heapify(ready)
    while ready:
        node = node_list[heapq.heappop(ready)]
        yield node
        for c in consumers[node.name]:
            waiting[c] -= 1
            if waiting[c] == 0:
                heapq.heappush(ready, order[c])
    stuck = sorted((name for name, count in waiting.items() if count > 0), key=order.get)
    if stuck:
        raise ValueError(f"import_graph_def: the GraphDef has a cycle through '{stuck[0]}' that is "
                         f"not a while loop's NextIteration -> Merge edge; it cannot run.")


def _with_inputs(node, inputs):
    """A copy of NodeDef `node` with other inputs."""
    copy = type(node).FromString(node.SerializeToString())
    del copy.input[:]
    copy.input.extend(inputs)
    return copy


def _source(input_name):
    return input_name.lstrip("^").split(":")[0]


def _make_op(graph, node, full_name, created, input_map):
    op_type = RENAMED.get(node.op, node.op)
    d = lookup(op_type)
    if d is None:  # an op of a chapter not loaded yet (ResizeBilinear, FIFOQueueV2, ...): load them all
        lazy.load_all()
        d = lookup(op_type)
    if d is None or d.kernel is None:
        raise ValueError(f"import_graph_def: node '{node.name}' has op type '{node.op}', which "
                         f"tfteach does not implement.")
    inputs, controls = [], []
    for spec in node.input:
        (controls if spec.startswith("^") else inputs).append(_input(spec, node, created, input_map))
    defaults = attr_defaults(node.op)  # TF's strip_default_attrs leaves these out
    try:
        attrs = {k: attr_python(v) for k, v in node.attr.items() if not k.startswith("_")}
    except (OpError, ValueError, TypeError, AttributeError) as e:  # e.g. a Const asking for gigabytes, an empty attr
        cls = type(e) if isinstance(e, OpError) else InvalidArgumentError
        raise cls(None, None, f"import_graph_def: node '{node.name}' ({node.op}): {e}") from None
    filled = [k for k in defaults if k not in attrs]
    attrs.update((k, defaults[k]) for k in filled)
    known = node.attr.get("_output_shapes")
    known = None if known is None or known.list is None else [proto_shape(s) for s in known.list.shape]
    try:
        dtypes = output_dtypes(node.op, attrs, [t.dtype.base_dtype for t in inputs])
    except ValueError as e:
        raise ValueError(f"import_graph_def: cannot type node '{node.name}' ({node.op}): {e}") from None
    if signature(node.op) is None and known is not None:  # the saved shapes tell how many outputs
        if not known:
            dtypes = []
        elif dtypes:
            dtypes = dtypes[:1] * len(known)
    if dtypes is None:
        raise ValueError(f"import_graph_def: cannot tell the output types of node '{node.name}' "
                         f"(op type '{node.op}'); add its line to tfteach/op_signatures.py.")
    op = graph.create_op(op_type, inputs, dtypes, name=full_name + "/", attrs=_kernel_attrs(d, attrs))
    if node.device:
        op._set_device(node.device)  # tf.device's string survives the round trip (one CPU runs it)
    op._defaulted_attrs = frozenset(filled)  # exported as imported: still left out
    for c in controls:
        op._add_control_input(c)
    try:
        shapes = d.shape_fn(op) if d.shape_fn is not None else known
    except KeyError as e:  # TF checks a NodeDef against its OpDef first; the shape rule finds it here
        raise ValueError(f"NodeDef missing attr {e} from Op<name={node.op}>; NodeDef: node '{node.name}'") from None
    for t, shape in zip(op.outputs, shapes or ()):
        t._shape = shape if isinstance(shape, TensorShape) else TensorShape(shape)
    for t, shape in zip(op.outputs, known or ()):  # what set_shape() knew when the graph was saved
        if t.shape.is_compatible_with(shape):
            t._shape = t.shape.merge_with(shape)
    return op


def _input(spec, node, created, input_map):
    """The Tensor (or, for '^name', the Operation) a NodeDef input names."""
    if spec.startswith("^"):
        if spec in input_map:
            return input_map[spec]
        source = spec[1:]
    else:
        source, _, index = spec.partition(":")
        key = f"{source}:{index or 0}"
        if key in input_map:
            return input_map[key]
    if source not in created:
        raise ValueError(f"import_graph_def: node '{node.name}' has input '{spec}', which is not "
                         f"in the GraphDef (nor in input_map).")
    op = created[source]
    if spec.startswith("^"):
        return op
    try:
        index = int(index or 0)
    except ValueError:
        raise ValueError(f"Node '{node.name}': Unknown input node '{spec}'") from None
    if not 0 <= index < len(op.outputs):
        raise ValueError(f"Node '{node.name}': Connecting to invalid output {index} of source node {source} "
                         f"which has {len(op.outputs)} outputs.")
    return op.outputs[index]


def _kernel_attrs(d, attrs):
    """The attrs the op's kernel takes: a real TF NodeDef lists more (`T`, `Truncate`, ...)."""
    params = _kernel_params(d.kernel)
    keep = set(params)
    if any(p.kind is p.VAR_KEYWORD for p in params.values()):  # **attrs: all but the type attrs
        sig = signature(d.type)
        keep |= set(attrs) if sig is None else set(sig.attrs)
    return {k: v for k, v in attrs.items() if k in keep}


def _kernel_params(fn):
    """The kernel's parameters by name. numpy ufuncs and other builtins (np.add, np.asarray)
    take arrays only, and `inspect.signature` cannot read them before numpy 2.4: no attrs."""
    if isinstance(fn, np.ufunc):
        return {}
    try:
        return inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return {}


def _reserve(graph, name):
    """Mark `name` and its scopes used, so later ops get `name_1` as TF1 would name them."""
    parts = name.split("/")
    for i in range(1, len(parts) + 1):
        scope = "/".join(parts[:i])
        graph._names_in_use[scope] = max(graph._names_in_use.get(scope, 0), 1)
