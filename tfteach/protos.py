"""The TensorFlow protocol buffers tfteach reads and writes, as field tables.

Mirrors tensorflow/core/framework/{graph,node_def,attr_value,tensor,tensor_shape,summary}.proto,
core/util/event.proto and, for checkpoints, core/protobuf/{tensor_bundle,saver,meta_graph}.proto,
keeping only the fields tfteach uses (readers skip the others).
"""
from .protobuf import ENUMS, Message

# ---- DataType (types.proto); a ref type is the base value + 100 -----------------------
DATA_TYPES = {"DT_INVALID": 0, "DT_FLOAT": 1, "DT_DOUBLE": 2, "DT_INT32": 3, "DT_UINT8": 4,
              "DT_INT16": 5, "DT_INT8": 6, "DT_STRING": 7, "DT_COMPLEX64": 8, "DT_INT64": 9,
              "DT_BOOL": 10, "DT_BFLOAT16": 14, "DT_UINT16": 17, "DT_COMPLEX128": 18,
              "DT_HALF": 19, "DT_RESOURCE": 20, "DT_VARIANT": 21, "DT_UINT32": 22, "DT_UINT64": 23}
DATA_TYPES.update({k + "_REF": v + 100 for k, v in list(DATA_TYPES.items()) if v})
DATA_TYPE_NAMES = {v: k for k, v in DATA_TYPES.items()}
ENUMS["DataType"] = DATA_TYPES


# ---- the messages --------------------------------------------------------------------------
class TensorShapeDim(Message):
    FIELDS = ((1, "size", "int64", ""), (2, "name", "string", ""))


class TensorShapeProto(Message):
    FIELDS = ((2, "dim", TensorShapeDim, "repeated"), (3, "unknown_rank", "bool", ""))


TensorShapeProto.Dim = TensorShapeDim


class TensorProto(Message):
    FIELDS = ((1, "dtype", "DataType", ""), (2, "tensor_shape", TensorShapeProto, ""),
              (3, "version_number", "int32", ""), (4, "tensor_content", "bytes", ""),
              (5, "float_val", "float", "repeated"), (6, "double_val", "double", "repeated"),
              (7, "int_val", "int32", "repeated"), (8, "string_val", "bytes", "repeated"),
              (9, "scomplex_val", "float", "repeated"), (10, "int64_val", "int64", "repeated"),
              (11, "bool_val", "bool", "repeated"), (12, "dcomplex_val", "double", "repeated"),
              (13, "half_val", "int32", "repeated"), (16, "uint32_val", "uint32", "repeated"),
              (17, "uint64_val", "uint64", "repeated"))


class AttrValueList(Message):
    FIELDS = ((2, "s", "bytes", "repeated"), (3, "i", "int64", "repeated"), (4, "f", "float", "repeated"),
              (5, "b", "bool", "repeated"), (6, "type", "DataType", "repeated"),
              (7, "shape", TensorShapeProto, "repeated"), (8, "tensor", TensorProto, "repeated"))


class AttrValue(Message):
    FIELDS = ((1, "list", AttrValueList, "oneof"), (2, "s", "bytes", "oneof"), (3, "i", "int64", "oneof"),
              (4, "f", "float", "oneof"), (5, "b", "bool", "oneof"), (6, "type", "DataType", "oneof"),
              (7, "shape", TensorShapeProto, "oneof"), (8, "tensor", TensorProto, "oneof"),
              (9, "placeholder", "string", "oneof"))


AttrValue.ListValue = AttrValueList


class NodeDef(Message):
    FIELDS = ((1, "name", "string", ""), (2, "op", "string", ""), (3, "input", "string", "repeated"),
              (4, "device", "string", ""), (5, "attr", ("string", AttrValue), "map"))


class VersionDef(Message):
    FIELDS = ((1, "producer", "int32", ""), (2, "min_consumer", "int32", ""),
              (3, "bad_consumers", "int32", "repeated"))


class GraphDef(Message):
    """A whole graph: its NodeDefs in creation order. `str(graph_def)` is the text form."""
    FIELDS = ((1, "node", NodeDef, "repeated"), (4, "versions", VersionDef, ""))


class HistogramProto(Message):
    FIELDS = ((1, "min", "double", ""), (2, "max", "double", ""), (3, "num", "double", ""),
              (4, "sum", "double", ""), (5, "sum_squares", "double", ""),
              (6, "bucket_limit", "double", "repeated"), (7, "bucket", "double", "repeated"))


class PluginData(Message):
    FIELDS = ((1, "plugin_name", "string", ""), (2, "content", "bytes", ""))


class SummaryMetadata(Message):
    FIELDS = ((1, "plugin_data", PluginData, ""), (2, "display_name", "string", ""),
              (3, "summary_description", "string", ""))


class SummaryImage(Message):
    """Summary.Image: one PNG, as tf.summary.image writes it."""
    FIELDS = ((1, "height", "int32", ""), (2, "width", "int32", ""), (3, "colorspace", "int32", ""),
              (4, "encoded_image_string", "bytes", ""))


class SummaryValue(Message):
    FIELDS = ((7, "node_name", "string", ""), (1, "tag", "string", ""), (9, "metadata", SummaryMetadata, ""),
              (2, "simple_value", "float", "oneof"), (4, "image", SummaryImage, "oneof"),
              (5, "histo", HistogramProto, "oneof"), (8, "tensor", TensorProto, "oneof"))


class Summary(Message):
    """tf.Summary: what a summary op evaluates to, serialized. `Summary.Value(tag=, simple_value=)`."""
    FIELDS = ((1, "value", SummaryValue, "repeated"),)


Summary.Value = SummaryValue
Summary.Image = SummaryImage


class Event(Message):
    """One record of an event file: a time, a step, and one of the fields after them."""
    FIELDS = ((1, "wall_time", "double", ""), (2, "step", "int64", ""), (3, "file_version", "string", "oneof"),
              (4, "graph_def", "bytes", "oneof"), (5, "summary", Summary, "oneof"),
              (9, "meta_graph_def", "bytes", "oneof"))


# ---- checkpoints: tensorflow/core/protobuf/{tensor_bundle,saver,meta_graph}.proto, -----------
# ---- core/framework/variable.proto and python/training/checkpoint_state.proto ---------------
ENUMS["Endianness"] = {"LITTLE": 0, "BIG": 1}
ENUMS["CheckpointFormatVersion"] = {"LEGACY": 0, "V1": 1, "V2": 2}


class TensorSliceExtent(Message):
    FIELDS = ((1, "start", "int64", ""), (2, "length", "int64", "oneof"))


class TensorSliceProto(Message):
    """A slice of a partitioned variable; tfteach writes none and refuses to read them."""
    FIELDS = ((1, "extent", TensorSliceExtent, "repeated"),)


class BundleHeaderProto(Message):
    """The `.index` entry under the empty key: how many data files, their byte order."""
    FIELDS = ((1, "num_shards", "int32", ""), (2, "endianness", "Endianness", ""),
              (3, "version", VersionDef, ""))


class BundleEntryProto(Message):
    """Where one tensor's bytes are: data file `shard_id`, `offset`, `size`, and their CRC32C."""
    FIELDS = ((1, "dtype", "DataType", ""), (2, "shape", TensorShapeProto, ""), (3, "shard_id", "int32", ""),
              (4, "offset", "int64", ""), (5, "size", "int64", ""), (6, "crc32c", "fixed32", ""),
              (7, "slices", TensorSliceProto, "repeated"))


class SaverDef(Message):
    """Which graph nodes save and restore: feed a path to `filename_tensor_name`, run the others."""
    FIELDS = ((1, "filename_tensor_name", "string", ""), (2, "save_tensor_name", "string", ""),
              (3, "restore_op_name", "string", ""), (4, "max_to_keep", "int32", ""), (5, "sharded", "bool", ""),
              (6, "keep_checkpoint_every_n_hours", "float", ""), (7, "version", "CheckpointFormatVersion", ""))


SaverDef.LEGACY, SaverDef.V1, SaverDef.V2 = 0, 1, 2  # `tf.train.Saver(write_version=tf.train.SaverDef.V2)`


class CheckpointState(Message):
    """The text file `checkpoint` next to the checkpoints: the latest one and those kept."""
    FIELDS = ((1, "model_checkpoint_path", "string", ""), (2, "all_model_checkpoint_paths", "string", "repeated"),
              (3, "all_model_checkpoint_timestamps", "double", "repeated"),
              (4, "last_preserved_timestamp", "double", ""))


class VariableDef(Message):
    """A tf.Variable as the names of its ops, so a collection can hold it in a MetaGraphDef."""
    FIELDS = ((1, "variable_name", "string", ""), (6, "initial_value_name", "string", ""),
              (2, "initializer_name", "string", ""), (3, "snapshot_name", "string", ""),
              (5, "is_resource", "bool", ""), (7, "trainable", "bool", ""))


class _StringList(Message):
    FIELDS = ((1, "value", "string", "repeated"),)


class _BytesList(Message):
    FIELDS = ((1, "value", "bytes", "repeated"),)


class _Int64List(Message):
    FIELDS = ((1, "value", "int64", "repeated"),)


class _FloatList(Message):
    FIELDS = ((1, "value", "float", "repeated"),)


class CollectionDef(Message):
    """One graph collection: op/tensor names, serialized protos (VariableDefs), ints or floats."""
    FIELDS = ((1, "node_list", _StringList, "oneof"), (2, "bytes_list", _BytesList, "oneof"),
              (3, "int64_list", _Int64List, "oneof"), (4, "float_list", _FloatList, "oneof"))


CollectionDef.NodeList, CollectionDef.BytesList = _StringList, _BytesList
CollectionDef.Int64List, CollectionDef.FloatList = _Int64List, _FloatList


class MetaInfoDef(Message):
    FIELDS = ((1, "meta_graph_version", "string", ""), (4, "tags", "string", "repeated"),
              (5, "tensorflow_version", "string", ""), (6, "tensorflow_git_version", "string", ""),
              (7, "stripped_default_attrs", "bool", ""))


class MetaGraphDef(Message):
    """A `.meta` file: the GraphDef, the SaverDef naming its save ops, and the collections."""
    FIELDS = ((1, "meta_info_def", MetaInfoDef, ""), (2, "graph_def", GraphDef, ""), (3, "saver_def", SaverDef, ""),
              (4, "collection_def", ("string", CollectionDef), "map"))


MetaGraphDef.MetaInfoDef = MetaInfoDef
