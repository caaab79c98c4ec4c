"""tf.feature_column: the columns that turn a features dict into model inputs (TF 1.15).

See docs/estimator.md ("Canned estimators and feature columns").
"""
from .columns import (bucketized_column, categorical_column_with_hash_bucket,  # noqa: F401
                      categorical_column_with_identity, categorical_column_with_vocabulary_list, crossed_column,
                      embedding_column, indicator_column, numeric_column)
from .layers import input_layer, linear_model  # noqa: F401

__all__ = ["bucketized_column", "categorical_column_with_hash_bucket", "categorical_column_with_identity",
           "categorical_column_with_vocabulary_list", "crossed_column", "embedding_column", "indicator_column", "input_layer",
           "linear_model", "numeric_column"]


def __getattr__(name):
    if name.startswith("__"):
        raise AttributeError(name)
    from ..coverage import missing
    raise missing("tf.feature_column", name)
