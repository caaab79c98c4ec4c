"""tf.feature_column.input_layer and linear_model: a features dict and columns -> one tensor.

Mirrors TF 1.15's feature_column.py (`input_layer`, `linear_model`, `_LinearModel`): columns in
the order of their names, each under a variable scope of its name, as TF names them.
"""
from .. import dtypes
from ..graph import GraphKeys, get_collection, name_scope
from ..init_ops import zeros_initializer
from ..ops import building, math as math_ops, reduce as reduce_ops
from ..ops.nn import bias_add
from ..tf1_names import div_no_nan
from ..variable_scope import get_variable, get_variable_scope, variable_scope
from .columns import (BucketizedColumn, CrossedColumn, EmbeddingColumn, HashedColumn, IdentityColumn, IndicatorColumn, NumericColumn,
                      VocabularyListColumn, _flat, _multi_hot)

DENSE = (NumericColumn, BucketizedColumn, IndicatorColumn, EmbeddingColumn)


def _sorted_columns(feature_columns, allowed, what):
    if feature_columns is None or not hasattr(feature_columns, "__iter__") or isinstance(feature_columns, str):
        feature_columns = [feature_columns]
    feature_columns = list(feature_columns)
    if not feature_columns:
        raise ValueError("feature_columns must not be empty.")
    for column in feature_columns:
        if not isinstance(column, allowed):
            raise ValueError(what.format(column))
    seen = {}
    for column in feature_columns:
        if column.name in seen:
            raise ValueError(f"Duplicate feature column name found for columns: {seen[column.name]} and {column}. "
                             "This usually means that these columns refer to same base feature. Either one must be "
                             "discarded or a different transformation can be applied on them.")
        seen[column.name] = column
    return sorted(feature_columns, key=lambda c: c.name)


def input_layer(features, feature_columns, weight_collections=None, trainable=True, cols_to_vars=None):
    """The dense columns' blocks side by side: a float32 [batch, sum of dimensions] tensor.

    Args:
      features: a dict {key: tensor}, e.g. what an input_fn returns.
      feature_columns: numeric, bucketized, indicator or embedding columns (a categorical
        column must be wrapped in indicator_column or embedding_column first).
      cols_to_vars: a dict to fill with {column: [its variables]} (embedding tables).

    Example:
        net = tf.feature_column.input_layer(features, [tf.feature_column.numeric_column('x')])
    """
    columns = _sorted_columns(feature_columns, DENSE,
                              "Items of feature_columns must be a _DenseColumn. You can wrap a categorical column "
                              "with an embedding_column or indicator_column. Given: {}")
    cache, blocks = {}, []
    with variable_scope(None, default_name="input_layer", values=list(features.values())):
        for column in columns:
            with variable_scope(None, default_name=column.name):
                block = _flat(column._dense(features, cache), column.dimension)
                blocks.append(block)
                if cols_to_vars is not None:
                    cols_to_vars[column] = get_collection(GraphKeys.GLOBAL_VARIABLES,
                                                          scope=get_variable_scope().name + "/")
        return building.concat(blocks, 1)


def _weighted_sum(column, features, cache, units, sparse_combiner, trainable):
    """One column's part of the linear model: its values (or ids) times its `weights`."""
    if isinstance(column, (NumericColumn, IndicatorColumn, EmbeddingColumn)):
        block = _flat(column._dense(features, cache), column.dimension)
        weights = get_variable("weights", [column.dimension, units], dtype=dtypes.float32,
                               initializer=zeros_initializer(), trainable=trainable)
        return math_ops.matmul(block, weights, name="weighted_sum")
    # categorical (and bucketized): the `sparse_combiner` of the weight rows of its ids
    ids = column._ids(features, cache)
    weights = get_variable("weights", [column.num_buckets, units], dtype=dtypes.float32,
                           initializer=zeros_initializer(), trainable=trainable)
    counts = _multi_hot(ids, column.num_buckets)                       # [batch, num_buckets]
    if sparse_combiner != "sum":
        n = reduce_ops.reduce_sum(counts, axis=1, keepdims=True)
        counts = div_no_nan(counts, math_ops.sqrt(n) if sparse_combiner == "sqrtn" else n)
    return math_ops.matmul(counts, weights, name="weighted_sum")


def linear_model(features, feature_columns, units=1, sparse_combiner="sum", weight_collections=None,
                 trainable=True, cols_to_vars=None):
    """A weighted sum of the columns plus a bias: float32 [batch, units].

    Every column gets `linear_model/<column name>/weights` (zeros): [dimension, units] for
    numeric columns, [num_buckets, units] for bucketized and categorical ones (an id's row is
    added, combined per example by `sparse_combiner`: 'sum', 'mean' or 'sqrtn'); then
    `linear_model/bias_weights` [units]. The model of tf.estimator.LinearRegressor/Classifier.
    """
    allowed = DENSE + (CrossedColumn, HashedColumn, IdentityColumn, VocabularyListColumn)
    columns = _sorted_columns(feature_columns, allowed,
                              "Items of feature_columns must be either a _DenseColumn or _CategoricalColumn. "
                              "Given: {}")
    if sparse_combiner not in ("sum", "mean", "sqrtn"):
        raise ValueError(f"sparse_combiner must be one of 'mean', 'sqrtn' or 'sum', got {sparse_combiner!r}")
    cache, sums = {}, []
    with variable_scope(None, default_name="linear_model", values=list(features.values())):
        for column in columns:
            with variable_scope(None, default_name=column.name):
                sums.append(_weighted_sum(column, features, cache, units, sparse_combiner, trainable))
                if cols_to_vars is not None:
                    cols_to_vars[column] = get_collection(GraphKeys.GLOBAL_VARIABLES,
                                                          scope=get_variable_scope().name + "/")
        no_bias = math_ops.add_n(sums, name="weighted_sum_no_bias")
        bias = get_variable("bias_weights", [units], dtype=dtypes.float32, initializer=zeros_initializer(),
                            trainable=trainable)
        if cols_to_vars is not None:
            cols_to_vars["bias"] = [bias]
    # TF's _LinearModel is a Keras model: its output lands in the name scope linear_model_1/linear_model
    with name_scope("linear_model"), name_scope("linear_model"):
        return bias_add(no_bias, bias, name="weighted_sum")
