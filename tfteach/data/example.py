"""tf.train.Example and its parts: the protocol buffers TFRecord files of training data hold.

Mirrors tensorflow/core/example/{example,feature}.proto as field tables (tfteach/protobuf.py):
an Example is a map from feature names to a Feature, which holds one list of bytes, floats
or int64s. `SerializeToString()` / `FromString()` give TF's wire format.
"""
from ..protobuf import Message


class _List(Message):
    def __init__(self, value=()):
        super().__init__()
        self.value = [self._item(v) for v in value]

    def _item(self, v):
        return v


class BytesList(_List):
    FIELDS = ((1, "value", "bytes", "repeated"),)

    def _item(self, v):
        if isinstance(v, str):
            raise TypeError(f"{v!r} has type str, but expected one of: bytes (encode it: {v!r}.encode())")
        return bytes(v)


class FloatList(_List):
    FIELDS = ((1, "value", "float", "repeated"),)

    def _item(self, v):
        return float(v)


class Int64List(_List):
    FIELDS = ((1, "value", "int64", "repeated"),)

    def _item(self, v):
        if isinstance(v, float) and not v.is_integer():
            raise TypeError(f"{v!r} has type float, but expected one of: int")
        return int(v)


class Feature(Message):
    FIELDS = ((1, "bytes_list", BytesList, ""), (2, "float_list", FloatList, ""), (3, "int64_list", Int64List, ""))

    def __init__(self, **values):
        if len(values) > 1:
            raise ValueError(f"Feature: only one of bytes_list, float_list, int64_list may be set, got "
                             f"{sorted(values)}")
        super().__init__(**values)

    def WhichOneof(self, group):  # noqa: N802 - protobuf's name
        """The name of the list that is set ('bytes_list', 'float_list', 'int64_list'), or None."""
        if group != "kind":
            raise ValueError(f'Protocol message has no oneof "{group}" field.')
        return next((f[1] for f in self.FIELDS if getattr(self, f[1]) is not None), None)


class Features(Message):
    FIELDS = ((1, "feature", ("string", Feature), "map"),)

    def __init__(self, feature=None):
        super().__init__()
        self.feature = dict(feature or {})


class Example(Message):
    FIELDS = ((1, "features", Features, ""),)

    def __init__(self, features=None):
        super().__init__()
        self.features = features if features is not None else Features()


class FeatureList(Message):
    FIELDS = ((1, "feature", Feature, "repeated"),)


class FeatureLists(Message):
    FIELDS = ((1, "feature_list", ("string", FeatureList), "map"),)


class SequenceExample(Message):
    FIELDS = ((1, "context", Features, ""), (2, "feature_lists", FeatureLists, ""))
