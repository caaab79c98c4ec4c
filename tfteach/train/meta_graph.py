"""MetaGraphDef, the `.meta` file: a GraphDef, its Saver's node names and its collections.

Mirrors tensorflow/python/framework/meta_graph.py (export_scoped_meta_graph,
import_scoped_meta_graph). A collection of variables is stored as VariableDefs (the names of
a variable's ops); of ops or tensors, as their names; of numbers or strings, as values.
"""
import os
import warnings

from ..errors import DataLossError, InvalidArgumentError, NotFoundError
from ..fileio import read_file
from ..graph import GraphKeys, Operation, Tensor, get_default_graph
from ..graph_def import GraphDef
from ..importer import import_graph_def
from ..protobuf import DecodeError, parse_text
from ..protos import CollectionDef, MetaGraphDef, MetaInfoDef, SaverDef, VariableDef
from ..variables import Variable
from .checkpoint import atomic_write

# collections whose items are tf.Variables, stored as VariableDefs (TF registers these)
VARIABLE_COLLECTIONS = {GraphKeys.GLOBAL_VARIABLES, GraphKeys.TRAINABLE_VARIABLES, GraphKeys.LOCAL_VARIABLES,
                        GraphKeys.MODEL_VARIABLES, GraphKeys.MOVING_AVERAGE_VARIABLES, GraphKeys.GLOBAL_STEP,
                        "metric_variables"}


# ---- export -------------------------------------------------------------------------------
def export_meta_graph(filename=None, meta_info_def=None, graph_def=None, saver_def=None, collection_list=None,
                      as_text=False, graph=None, export_scope=None, clear_devices=False,
                      clear_extraneous_savers=False, strip_default_attrs=False, save_debug_info=False, **kwargs):
    """The MetaGraphDef of `graph` (default: the default graph), also written to `filename`.

    Args:
      filename: where to write it (atomically); None only returns it.
      saver_def: the SaverDef to store (a Saver passes its own).
      collection_list: the collection keys to store (default: all).
      as_text: write the text form instead of binary.
    Returns:
      The MetaGraphDef; `tf.train.import_meta_graph` rebuilds the graph from it.
    """
    if export_scope:
        raise NotImplementedError("tfteach's export_meta_graph exports whole graphs; export_scope is not "
                                  f"supported (got {export_scope!r})")
    graph = graph or get_default_graph()
    meta = MetaGraphDef(meta_info_def=meta_info_def or MetaInfoDef(),
                        graph_def=graph_def or graph.as_graph_def(add_shapes=True), saver_def=saver_def)
    keys = graph.get_all_collection_keys() if collection_list is None else collection_list
    for key in keys:
        collection = _collection_def(key, graph.get_collection(key))
        if collection is not None:
            meta.collection_def[key] = collection
    if filename:
        atomic_write(filename, str(meta).encode("utf-8") if as_text else meta.SerializeToString())
    return meta


def _collection_def(key, items):
    """The CollectionDef of one collection, or None (with a warning) when it cannot be stored."""
    if not items:
        return None
    if key in VARIABLE_COLLECTIONS and all(isinstance(v, Variable) for v in items):
        return CollectionDef(bytes_list=CollectionDef.BytesList(value=[variable_def(v).SerializeToString()
                                                                       for v in items]))
    first = items[0]
    try:
        if isinstance(first, (str, bytes)):
            return CollectionDef(bytes_list=CollectionDef.BytesList(
                value=[v.encode("utf-8") if isinstance(v, str) else bytes(v) for v in items]))
        if isinstance(first, int):
            return CollectionDef(int64_list=CollectionDef.Int64List(value=[int(v) for v in items]))
        if isinstance(first, float):
            return CollectionDef(float_list=CollectionDef.FloatList(value=[float(v) for v in items]))
        return CollectionDef(node_list=CollectionDef.NodeList(value=[_node_name(v) for v in items]))
    except (TypeError, ValueError) as e:
        warnings.warn(f"Issue encountered when serializing: {key}.\n{e}", stacklevel=3)
        return None


def _node_name(item):
    if isinstance(item, (Tensor, Operation, Variable)):
        return item.name
    raise TypeError(f"a collection item of type {type(item).__name__} has no graph name: {item!r}")


def variable_def(v):
    """The VariableDef of a tf.Variable: the names of its VariableV2, initializer, read, initial value."""
    return VariableDef(variable_name=v.name, initial_value_name=v.initial_value.name,
                       initializer_name=v.initializer.name, snapshot_name=v.value().name,
                       trainable=v.trainable)


# ---- import --------------------------------------------------------------------------------
def read_meta_graph_file(filename):
    """The MetaGraphDef in `filename`: binary, or the text form if it does not parse as binary."""
    if not os.path.exists(filename):
        raise NotFoundError(None, None, f"File {filename} does not exist.")
    data = read_file(filename, what="MetaGraphDef")  # a directory: TF's FailedPreconditionError
    try:
        return MetaGraphDef.FromString(data)
    except DecodeError as binary_error:
        try:
            return parse_text(data.decode("utf-8"), MetaGraphDef())
        except (DecodeError, UnicodeDecodeError):
            raise DataLossError(None, None, f"Cannot parse file {filename}: it is neither a binary nor a text "
                                f"MetaGraphDef ({binary_error}). Is it cut short, or not a .meta file?") from None


def import_meta_graph(meta_graph_or_file, clear_devices=False, import_scope=None, **kwargs):
    """Rebuild a saved graph in the default graph; returns a Saver that restores its checkpoints.

    Args:
      meta_graph_or_file: a `.meta` path (written by tfteach or by TF) or a MetaGraphDef.
      import_scope: a name scope to put the imported names under.
    Returns:
      A tf.train.Saver using the graph's own save ops (None when the graph has no variables).
    Example: `saver = tf.train.import_meta_graph('run/model-10.meta'); saver.restore(sess,
    'run/model-10')`, then `tf.get_collection('train_op')[0]` trains on.
    """
    from .saver import Saver
    meta = meta_graph_or_file
    if not isinstance(meta, MetaGraphDef):
        meta = read_meta_graph_file(meta_graph_or_file)
    graph = get_default_graph()
    prefix = ""
    if import_scope:
        prefix = graph.unique_name(import_scope, mark_as_used=False) + "/"  # the importer's choice
    try:  # an empty .meta holds no graph: nothing is imported, and there is no Saver (as TF)
        import_graph_def(meta.graph_def or GraphDef(), name=prefix[:-1] if prefix else "")
    except ValueError as e:
        if "already has an op named" not in str(e):
            raise
        raise ValueError(f"import_meta_graph: {e} (here: call tf.reset_default_graph() first, or pass "
                         f"import_scope='...')") from None
    try:
        _add_collections(graph, meta, prefix)
    except (KeyError, AttributeError, TypeError, ValueError) as e:
        where = meta_graph_or_file if isinstance(meta_graph_or_file, str) else "the MetaGraphDef"
        raise InvalidArgumentError(None, None, f"{where}: a collection cannot be rebuilt: "
                                   f"{type(e).__name__}: {e}") from None
    if meta.saver_def is not None and meta.saver_def.restore_op_name:
        return Saver(saver_def=_prefixed(meta.saver_def, prefix))
    if graph.get_collection(GraphKeys.GLOBAL_VARIABLES):
        return Saver()
    return None


def _prefixed(saver_def, prefix):
    copy = SaverDef.FromString(saver_def.SerializeToString())
    copy.filename_tensor_name = prefix + copy.filename_tensor_name
    copy.save_tensor_name = prefix + copy.save_tensor_name
    copy.restore_op_name = prefix + copy.restore_op_name
    return copy


def _add_collections(graph, meta, prefix):
    variables = {}  # one Variable per VariableDef, shared by `variables` and `trainable_variables`
    for key in sorted(meta.collection_def):
        collection = meta.collection_def[key]
        if collection.bytes_list is not None and key in VARIABLE_COLLECTIONS:
            for data in collection.bytes_list.value:
                if data not in variables:
                    variables[data] = _variable_from_def(graph, VariableDef.FromString(data), prefix)
                if variables[data] is not None:
                    graph.add_to_collection(key, variables[data])
        elif collection.node_list is not None:
            for name in collection.node_list.value:
                graph.add_to_collection(key, graph.as_graph_element(prefix + name))
        elif collection.bytes_list is not None:
            for value in collection.bytes_list.value:
                graph.add_to_collection(key, value)
        elif collection.int64_list is not None:
            for value in collection.int64_list.value:
                graph.add_to_collection(key, int(value))
        elif collection.float_list is not None:
            for value in collection.float_list.value:
                graph.add_to_collection(key, float(value))


def _variable_from_def(graph, vd, prefix):
    """A tf.Variable over ops already in the graph (TF's `Variable(variable_def=...)`).

    Made here rather than by Variable.__init__, which always adds new ops.
    """
    if vd.is_resource:
        warnings.warn(f"skipping resource variable {vd.variable_name}: tfteach has only TF1's ref variables",
                      stacklevel=4)
        return None
    v = Variable.__new__(Variable)
    v._variable = graph.as_graph_element(prefix + vd.variable_name)
    v._initializer_op = graph.as_graph_element(prefix + vd.initializer_name)
    v._snapshot = graph.as_graph_element(prefix + vd.snapshot_name)
    v._initial_value = graph.as_graph_element(prefix + vd.initial_value_name) if vd.initial_value_name else None
    v._trainable = vd.trainable
    v._constraint = None
    v._save_slice_info = None
    return v
