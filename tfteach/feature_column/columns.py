"""The feature columns: what each one reads from the features dict and how it becomes numbers.

Mirrors tensorflow/python/feature_column/feature_column.py (TF 1.15's tf.feature_column).
Dense columns (numeric, bucketized, indicator, embedding) give a float32 [batch, n] block;
categorical columns give ids, as TF's SparseTensor but dense here: an int64 [batch, k] tensor
where NO_ID (the smallest int64) marks a place without a value (an empty string or -1 in the
input: TF's sparse ids leave it out). An out-of-vocabulary value is the id -1, as in TF: no
weight row, but crossed like any id. Every negative id counts for nothing in the sums.
"""
import collections
import math

import numpy as np

from .. import dtypes
from ..init_ops import truncated_normal_initializer
from ..ops import array as array_ops
from ..ops import building, compare, math as math_ops, reduce as reduce_ops
from ..graph import convert_to_tensor
from ..ops.constant import constant
from ..ops.slicing import gather
from ..tf1_names import div_no_nan
from ..variable_scope import get_variable
from .ops import NO_ID, as_string, bucketize, cross_hashed, string_length, string_to_hash_bucket_fast, vocabulary_lookup


def _raw(features, key, cache):
    """features[key] as a tensor of rank >= 2 (a [batch] input gets a last axis of 1, as TF's)."""
    if key in cache:
        return cache[key]
    if key not in features:
        raise ValueError(f"The feature column '{key}' needs features['{key}'], but the features dict has "
                         f"only {sorted(features)}.")
    t = convert_to_tensor(features[key]) if not hasattr(features[key], "op") else features[key]
    if t.shape.ndims == 1:
        t = array_ops.expand_dims(t, -1)
    cache[key] = t
    return t


def _flat(t, n):
    """Reshape [batch, ...] to [batch, n]."""
    return array_ops.reshape(t, building.stack([array_ops.shape(t)[0], n]))


def _multi_hot(ids, num_buckets, weights=None):
    """[batch, k] ids (negative: none) -> float32 [batch, num_buckets] counts (or summed weights)."""
    hot = building.one_hot(ids, num_buckets, dtype=dtypes.float32)  # a negative id is a row of zeros
    if weights is not None:
        hot = hot * array_ops.expand_dims(weights, -1)
    return reduce_ops.reduce_sum(hot, axis=1)


# ---- dense columns -------------------------------------------------------------------------
class NumericColumn(collections.namedtuple("NumericColumn", ["key", "shape", "default_value", "dtype",
                                                            "normalizer_fn"])):
    """A real-valued feature: the input as float32 (after normalizer_fn), `shape` values per example."""

    @property
    def name(self):
        return self.key

    @property
    def dimension(self):
        return int(np.prod(self.shape))

    def _dense(self, features, cache):
        t = _raw(features, self.key, cache)
        if self.normalizer_fn is not None:
            t = self.normalizer_fn(t)
        return math_ops.cast(t, dtypes.float32)


class BucketizedColumn(collections.namedtuple("BucketizedColumn", ["source_column", "boundaries"])):
    """A numeric column cut at `boundaries`: len(boundaries) + 1 buckets per value."""

    @property
    def name(self):
        return self.source_column.name + "_bucketized"

    @property
    def num_buckets(self):
        return (len(self.boundaries) + 1) * self.source_column.dimension

    @property
    def dimension(self):
        return self.num_buckets

    def _buckets(self, features, cache):
        return bucketize(self.source_column._dense(features, cache), self.boundaries)

    def _dense(self, features, cache):
        """One one-hot block per value of the source column, side by side."""
        return building.one_hot(math_ops.cast(self._buckets(features, cache), dtypes.int64),
                                len(self.boundaries) + 1, on_value=1., off_value=0.)

    def _ids(self, features, cache):
        """Bucket i of value j is id j * (len(boundaries) + 1) + i, as TF's."""
        buckets = math_ops.cast(self._buckets(features, cache), dtypes.int64)
        n = self.source_column.dimension
        flat = _flat(buckets, n)
        offsets = building.range(0, n * (len(self.boundaries) + 1), len(self.boundaries) + 1, dtype=dtypes.int64)
        return flat + offsets


def _check_dense_input(key, t):
    if t.dtype.base_dtype not in (dtypes.string, dtypes.int64, dtypes.int32):
        raise ValueError(f"Column dtype and SparseTensors dtype must be compatible. key: {key}, "
                         f"column dtype: string or integer, tensor dtype: {t.dtype.base_dtype.name}")


class VocabularyListColumn(collections.namedtuple("VocabularyListColumn", [
        "key", "vocabulary_list", "dtype", "default_value", "num_oov_buckets"])):
    """Strings (or ints) looked up in a list: id = position in the list; others: default_value
    (-1, no id) or, with num_oov_buckets, len(list) + Fingerprint64(value) % num_oov_buckets.
    TF looks them up in a hash table (filled by tf.tables_initializer()); tfteach in one pure op."""

    @property
    def name(self):
        return self.key

    @property
    def num_buckets(self):
        return len(self.vocabulary_list) + self.num_oov_buckets

    def _ids(self, features, cache):
        x = _raw(features, self.key, cache)
        _check_dense_input(self.key, x)
        if x.dtype.base_dtype != dtypes.string:
            x = math_ops.cast(x, dtypes.int64)
        return vocabulary_lookup(x, self.vocabulary_list, self.default_value, self.num_oov_buckets)


class IdentityColumn(collections.namedtuple("IdentityColumn", ["key", "number_buckets", "default_value"])):
    """Integer inputs that are already ids in [0, num_buckets); -1 means no value."""

    @property
    def name(self):
        return self.key

    @property
    def num_buckets(self):
        return self.number_buckets

    def _ids(self, features, cache):
        x = math_ops.cast(_raw(features, self.key, cache), dtypes.int64)
        none = compare.equal(x, -1)
        if self.default_value is not None:
            inside = compare.logical_and(compare.greater_equal(x, 0), compare.less(x, self.number_buckets))
            x = compare.where(inside, x, array_ops.fill(array_ops.shape(x), np.int64(self.default_value)))
        return compare.where(none, array_ops.fill(array_ops.shape(x), np.int64(NO_ID)), x)


class HashedColumn(collections.namedtuple("HashedColumn", ["key", "hash_bucket_size", "dtype"])):
    """id = Fingerprint64(the value as a string) % hash_bucket_size (TF's to_hash_bucket_fast)."""

    @property
    def name(self):
        return self.key

    @property
    def num_buckets(self):
        return self.hash_bucket_size

    def _ids(self, features, cache):
        x = _raw(features, self.key, cache)
        _check_dense_input(self.key, x)
        if x.dtype.base_dtype == dtypes.string:
            text, missing = x, compare.equal(string_length(x), 0)  # '' is no value
        else:
            text, missing = as_string(x), compare.equal(x, -1)
        ids = string_to_hash_bucket_fast(text, self.hash_bucket_size)
        return compare.where(missing, array_ops.fill(array_ops.shape(ids), np.int64(NO_ID)), ids)


class CrossedColumn(collections.namedtuple("CrossedColumn", ["keys", "hash_bucket_size", "hash_key"])):
    """Feature crosses: every combination of the keys' values per example, hashed into
    hash_bucket_size buckets (TF's sparse_cross_hashed: FingerprintCat64 from hash_key)."""

    @property
    def name(self):
        return "_X_".join(sorted(k if isinstance(k, str) else k.name for k in self._leaves()))

    @property
    def num_buckets(self):
        return self.hash_bucket_size

    def _leaves(self):
        for key in self.keys:
            if isinstance(key, CrossedColumn):
                yield from key._leaves()
            else:
                yield key

    def _ids(self, features, cache):
        """Raw features (string keys) are crossed as they are, '' and -1 included; columns give ids."""
        ids, raw = [], []
        for key in self._leaves():
            if isinstance(key, str):
                t = _raw(features, key, cache)
                _check_dense_input(key, t)
                raw.append(t if t.dtype.base_dtype == dtypes.string else math_ops.cast(t, dtypes.int64))
            else:
                ids.append(key._ids(features, cache))
        return cross_hashed(ids, raw, self.hash_bucket_size, self.hash_key)


class IndicatorColumn(collections.namedtuple("IndicatorColumn", ["categorical_column"])):
    """A categorical column as a multi-hot float32 block: the count of each id per example."""

    @property
    def name(self):
        return self.categorical_column.name + "_indicator"

    @property
    def dimension(self):
        return self.categorical_column.num_buckets

    def _dense(self, features, cache):
        return _multi_hot(self.categorical_column._ids(features, cache), self.dimension)


class EmbeddingColumn(collections.namedtuple("EmbeddingColumn", [
        "categorical_column", "dimension", "combiner", "initializer", "max_norm", "trainable"])):
    """A categorical column through a trainable table `embedding_weights` [num_buckets, dimension]:
    each example gets the combination ('mean', 'sum' or 'sqrtn') of its ids' rows."""

    @property
    def name(self):
        return self.categorical_column.name + "_embedding"

    def _dense(self, features, cache):
        weights = get_variable("embedding_weights", [self.categorical_column.num_buckets, self.dimension],
                               dtype=dtypes.float32, initializer=self.initializer, trainable=self.trainable)
        ids = self.categorical_column._ids(features, cache)
        present = math_ops.cast(compare.greater_equal(ids, 0), dtypes.float32)        # [batch, k]
        rows = gather(weights, compare.maximum(ids, 0)) * array_ops.expand_dims(present, -1)
        total = reduce_ops.reduce_sum(rows, axis=1)
        if self.combiner == "sum":
            return total
        count = reduce_ops.reduce_sum(present, axis=1, keepdims=True)
        if self.combiner == "sqrtn":  # times 1/sqrt(n), as TF's SparseSegmentSqrtN rounds it
            return total * div_no_nan(constant(1.0), math_ops.sqrt(count))
        return div_no_nan(total, count)  # an example without ids gets zeros, as TF's


# ---- the public constructors (tf.feature_column.*) ------------------------------------------
def numeric_column(key, shape=(1,), default_value=None, dtype=dtypes.float32, normalizer_fn=None):
    """A real-valued column read from features[key]. Example: numeric_column('rooms')."""
    shape = (shape,) if isinstance(shape, int) else tuple(int(d) for d in shape)
    if not isinstance(key, str):
        raise ValueError(f"key must be a string. Given: {key!r}")
    if not dtypes.as_dtype(dtype).is_floating and not dtypes.as_dtype(dtype).is_integer:
        raise ValueError(f"dtype must be convertible to float. dtype: {dtype}, key: {key}")
    if normalizer_fn is not None and not callable(normalizer_fn):
        raise TypeError(f"normalizer_fn must be a callable. Given: {normalizer_fn}")
    return NumericColumn(key, shape, default_value, dtypes.as_dtype(dtype), normalizer_fn)


def bucketized_column(source_column, boundaries):
    """Cut a numeric column at sorted `boundaries`. Example: bucketized_column(age, [18, 30, 65])."""
    if not isinstance(source_column, NumericColumn):
        raise ValueError(f"source_column must be a column generated with numeric_column(). Given: {source_column}")
    if not isinstance(boundaries, (list, tuple)) or not boundaries:
        raise ValueError(f"boundaries must be a sorted list. boundaries: {boundaries}")
    for i in range(len(boundaries) - 1):
        if boundaries[i] >= boundaries[i + 1]:
            raise ValueError(f"boundaries must be a sorted list. boundaries: {boundaries}")
    return BucketizedColumn(source_column, tuple(float(b) for b in boundaries))


def categorical_column_with_vocabulary_list(key, vocabulary_list, dtype=None, default_value=-1, num_oov_buckets=0):
    """Ids from a list of strings or ints. Example: ..._with_vocabulary_list('color', ['red', 'green'])."""
    if vocabulary_list is None or len(vocabulary_list) < 1:
        raise ValueError(f"vocabulary_list {vocabulary_list} must be non-empty, column_name: {key}")
    if len(set(vocabulary_list)) != len(vocabulary_list):
        raise ValueError(f"Duplicate keys in vocabulary_list {vocabulary_list}, column_name: {key}")
    if num_oov_buckets and default_value != -1:
        raise ValueError(f"Can't specify both num_oov_buckets and default_value in {key}.")
    vocab_dtype = dtypes.string if isinstance(vocabulary_list[0], (str, bytes)) else dtypes.int64
    dtype = vocab_dtype if dtype is None else dtypes.as_dtype(dtype)
    if (dtype == dtypes.string) != (vocab_dtype == dtypes.string):
        raise ValueError(f"dtype {dtype} and vocabulary dtype {vocab_dtype} do not match, column_name: {key}")
    return VocabularyListColumn(key, tuple(vocabulary_list), dtype, default_value, num_oov_buckets)


def categorical_column_with_identity(key, num_buckets, default_value=None):
    """Integer inputs used as ids directly. Example: ..._with_identity('digit', 10)."""
    if num_buckets < 1:
        raise ValueError(f"num_buckets {num_buckets} < 1, column_name {key}")
    if default_value is not None and not 0 <= default_value < num_buckets:
        raise ValueError(f"default_value {default_value} not in range [0, {num_buckets}), column_name {key}")
    return IdentityColumn(key, int(num_buckets), default_value)


def categorical_column_with_hash_bucket(key, hash_bucket_size, dtype=dtypes.string):
    """Ids from hashing: Fingerprint64(value) % hash_bucket_size (TF's exact buckets)."""
    if hash_bucket_size is None or hash_bucket_size < 1:
        raise ValueError(f"hash_bucket_size must be at least 1. hash_bucket_size: {hash_bucket_size}, key: {key}")
    return HashedColumn(key, int(hash_bucket_size), dtypes.as_dtype(dtype))


_DEFAULT_HASH_KEY = 0xDECAFCAFFE  # TF's feature_column._DEFAULT_HASH_KEY


def crossed_column(keys, hash_bucket_size, hash_key=None):
    """Cross features: keys are feature names (strings) or categorical/bucketized columns.

    Example: crossed_column([bucketized_latitude, bucketized_longitude], 1000). The buckets are
    TF's exactly (FingerprintCat64 over Fingerprint64 of strings and the integer ids).
    """
    if not hash_bucket_size or hash_bucket_size < 1:
        raise ValueError(f"hash_bucket_size must be > 1. hash_bucket_size: {hash_bucket_size}")
    if not keys or len(keys) < 2:
        raise ValueError(f"keys must be a list with length > 1. Given: {keys}")
    for key in keys:
        if not isinstance(key, (str, BucketizedColumn, VocabularyListColumn, IdentityColumn, CrossedColumn)):
            raise ValueError("Unsupported key type. All keys must be either string, or categorical column except "
                             f"HashedCategoricalColumn. Given: {key}")
    return CrossedColumn(tuple(keys), int(hash_bucket_size), _DEFAULT_HASH_KEY if hash_key is None else hash_key)


def indicator_column(categorical_column):
    """A categorical column as a multi-hot (one-hot for one id) float block, for input_layer/DNNs."""
    return IndicatorColumn(categorical_column)


def embedding_column(categorical_column, dimension, combiner="mean", initializer=None, ckpt_to_load_from=None,
                     tensor_name_in_ckpt=None, max_norm=None, trainable=True):
    """A categorical column through a trainable [num_buckets, dimension] table (for DNNs).

    The default initializer is TF's: truncated normal, mean 0, stddev 1/sqrt(dimension).
    """
    if dimension is None or dimension < 1:
        raise ValueError(f"Invalid dimension {dimension}.")
    if ckpt_to_load_from is not None or tensor_name_in_ckpt is not None:
        raise NotImplementedError("tfteach's embedding_column does not load from a checkpoint "
                                  "(ckpt_to_load_from, tensor_name_in_ckpt)")
    if max_norm is not None:
        raise NotImplementedError("tfteach's embedding_column does not implement max_norm")
    if initializer is not None and not callable(initializer):
        raise ValueError("initializer must be callable if specified. Embedding of column_name: "
                         f"{categorical_column.name}")
    initializer = initializer or truncated_normal_initializer(mean=0.0, stddev=1 / math.sqrt(dimension))
    return EmbeddingColumn(categorical_column, int(dimension), combiner, initializer, max_norm, trainable)

