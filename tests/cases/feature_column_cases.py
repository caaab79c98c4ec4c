"""Cases for tf.feature_column: input_layer and linear_model values, names and variables, errors.

The oracle is TF 2.15 (tf.compat.v1.feature_column, TF 1.15's), as for estimator_cases:

    TF_USE_LEGACY_KERAS=0 /opt/tf215venv/bin/python tests/fixtures/make_fixtures.py feature_column_cases

Inputs are dense arrays (a [batch] array gets a last axis of 1, as in TF); a missing value is
'' for strings and -1 for integers. Embedding tables start from a constant initializer, so
every number is deterministic.
"""
import numpy as np

from cases.harness import catch

def _fc(tf):
    return tf.feature_column


def _run(tf, tensors):
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        if hasattr(tf, "tables_initializer"):  # TF's vocabulary lists are lookup tables
            sess.run(tf.tables_initializer())
        return sess.run(tensors)


def _names(tf):
    return sorted((v.op.name, v.shape.as_list()) for v in tf.global_variables())


def case_input_layer_numeric_bucketized(tf):
    fc = _fc(tf)
    price = fc.numeric_column("price")
    size = fc.numeric_column("size", shape=(2,))
    age = fc.bucketized_column(fc.numeric_column("age"), [18., 30., 65.])
    features = {"price": np.array([1.5, 2.0, -3.0], np.float32),
                "size": np.array([[1., 2.], [3., 4.], [5., 6.]], np.float32),
                "age": np.array([10., 30., 70.], np.float32)}
    net = fc.input_layer(features, [size, price, age])
    return {"value": _run(tf, net), "name": net.name, "shape": net.shape.as_list()}


def case_input_layer_bucketized_2d(tf):
    fc = _fc(tf)
    xy = fc.bucketized_column(fc.numeric_column("xy", shape=(2,)), [0., 1.])
    net = fc.input_layer({"xy": np.array([[-1., 0.5], [1., 2.]], np.float32)}, [xy])
    return {"value": _run(tf, net), "shape": net.shape.as_list()}


def case_input_layer_normalizer(tf):
    fc = _fc(tf)
    x = fc.numeric_column("x", normalizer_fn=lambda t: (t - 3.0) / 2.0)
    return _run(tf, fc.input_layer({"x": np.array([1., 3., 9.], np.float32)}, [x]))


def case_indicator_vocabulary_list(tf):
    fc = _fc(tf)
    color = fc.categorical_column_with_vocabulary_list("color", ["red", "green", "blue"])
    net = fc.input_layer({"color": np.array([["red", "blue"], ["green", ""], ["pink", "red"]])},
                         [fc.indicator_column(color)])
    return {"value": _run(tf, net), "shape": net.shape.as_list()}


def case_indicator_vocabulary_list_int(tf):
    fc = _fc(tf)
    rooms = fc.categorical_column_with_vocabulary_list("rooms", [1, 2, 3, 5])
    net = fc.input_layer({"rooms": np.array([5, 2, 4, -1], np.int64)}, [fc.indicator_column(rooms)])
    return _run(tf, net)


def case_indicator_vocabulary_oov_buckets(tf):
    fc = _fc(tf)
    city = fc.categorical_column_with_vocabulary_list("city", ["paris", "rome"], num_oov_buckets=3)
    net = fc.input_layer({"city": np.array(["rome", "oslo", "lima", "paris", "kyiv"])}, [fc.indicator_column(city)])
    return _run(tf, net)


def case_indicator_identity(tf):
    fc = _fc(tf)
    digit = fc.categorical_column_with_identity("digit", 4)
    net = fc.input_layer({"digit": np.array([[0, 3], [2, -1]], np.int64)}, [fc.indicator_column(digit)])
    return _run(tf, net)


def case_indicator_identity_default(tf):
    fc = _fc(tf)
    digit = fc.categorical_column_with_identity("digit", 4, default_value=0)
    net = fc.input_layer({"digit": np.array([1, 7, 3], np.int64)}, [fc.indicator_column(digit)])
    return _run(tf, net)


def case_hash_bucket(tf):
    """Fingerprint64(value) % 7, TF's buckets, strings and integers (hashed as decimal strings)."""
    fc = _fc(tf)
    word = fc.categorical_column_with_hash_bucket("word", 7)
    code = fc.categorical_column_with_hash_bucket("code", 5, dtype=tf.int64)
    words = np.array(["the", "quick brown fox jumps over the lazy dog, twice: the quick brown fox", "", "tf"])
    net = fc.input_layer({"word": words, "code": np.array([12, 345, -1, 7], np.int64)},
                         [fc.indicator_column(word), fc.indicator_column(code)])
    return _run(tf, net)


def case_embedding(tf):
    fc = _fc(tf)
    table = np.arange(12, dtype=np.float32).reshape(4, 3) / 4
    out = {}
    for combiner in ("mean", "sum", "sqrtn"):
        tf.reset_default_graph()
        ids = fc.categorical_column_with_identity("ids", 4)
        emb = fc.embedding_column(ids, 3, combiner=combiner, initializer=tf.constant_initializer(table))
        net = fc.input_layer({"ids": np.array([[0, 2], [3, -1], [-1, -1]], np.int64)}, [emb])
        out[combiner] = _run(tf, net)
    out["variables"] = _names(tf)
    return out


def case_input_layer_names_and_variables(tf):
    fc = _fc(tf)
    ids = fc.categorical_column_with_identity("ids", 5)
    emb = fc.embedding_column(ids, 2, initializer=tf.zeros_initializer())
    cols_to_vars = {}
    net = fc.input_layer({"ids": np.array([1, 2], np.int64), "x": np.array([1., 2.], np.float32)},
                         [fc.numeric_column("x"), emb], cols_to_vars=cols_to_vars)
    net2 = fc.input_layer({"x": np.array([1., 2.], np.float32)}, [fc.numeric_column("x")])
    return {"names": [net.name, net2.name], "variables": _names(tf),
            "cols_to_vars": sorted((c.name, [v.op.name for v in vs]) for c, vs in cols_to_vars.items())}


def case_linear_model(tf):
    fc = _fc(tf)
    price = fc.numeric_column("price")
    age = fc.bucketized_column(fc.numeric_column("age"), [18., 30., 65.])
    color = fc.categorical_column_with_vocabulary_list("color", ["red", "green"])
    features = {"price": np.array([1.5, 2.0, -3.0], np.float32), "age": np.array([10., 30., 70.], np.float32),
                "color": np.array(["green", "red", "blue"])}
    cols_to_vars = {}
    out = fc.linear_model(features, [price, age, color], units=2, cols_to_vars=cols_to_vars)
    assigns = []
    for i, v in enumerate(tf.global_variables()):
        shape = v.shape.as_list()
        assigns.append(tf.assign(v, np.arange(np.prod(shape), dtype=np.float32).reshape(shape) / 10 + i))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        if hasattr(tf, "tables_initializer"):
            sess.run(tf.tables_initializer())
        sess.run(assigns)
        value = sess.run(out)
    return {"value": value, "name": out.name, "variables": _names(tf),
            "cols_to_vars": sorted((c if isinstance(c, str) else c.name, [v.op.name for v in vs])
                                   for c, vs in cols_to_vars.items())}


def case_linear_model_sparse_combiner(tf):
    fc = _fc(tf)
    tags = fc.categorical_column_with_identity("tags", 3)
    out = {}
    for combiner in ("sum", "mean", "sqrtn"):
        tf.reset_default_graph()
        pred = fc.linear_model({"tags": np.array([[0, 1], [2, -1], [1, 1]], np.int64)}, [tags],
                               sparse_combiner=combiner)
        weights = [v for v in tf.global_variables() if v.op.name.endswith("tags/weights")][0]
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            sess.run(tf.assign(weights, [[1.], [2.], [4.]]))
            out[combiner] = sess.run(pred)
    return out


def case_errors(tf):
    fc = _fc(tf)
    x = fc.numeric_column("x")
    color = fc.categorical_column_with_vocabulary_list("color", ["a", "b"])
    features = {"x": np.array([1.], np.float32), "color": np.array(["a"])}
    return {"categorical_in_input_layer": catch(fc.input_layer, features, [color]),
            "unsorted_boundaries": catch(fc.bucketized_column, x, [2., 1.]),
            "bucketize_categorical": catch(fc.bucketized_column, color, [1.]),
            "empty_vocabulary": catch(fc.categorical_column_with_vocabulary_list, "c", []),
            "duplicate_vocabulary": catch(fc.categorical_column_with_vocabulary_list, "c", ["a", "a"]),
            "identity_zero_buckets": catch(fc.categorical_column_with_identity, "c", 0),
            "hash_zero_buckets": catch(fc.categorical_column_with_hash_bucket, "c", 0),
            "embedding_zero_dimension": catch(fc.embedding_column, color, 0),
            "empty_columns": catch(fc.input_layer, features, []),
            "duplicate_columns": catch(fc.input_layer, features, [x, fc.numeric_column("x")])}


def case_crossed_strings_and_buckets(tf):
    """TF's hashed crosses: strings by Fingerprint64, bucket ids as integers, FingerprintCat64 from
    the default hash key; a missing value ('') leaves its crosses out."""
    fc = _fc(tf)
    lat = fc.bucketized_column(fc.numeric_column("lat"), [34., 36., 38.])
    cross = fc.crossed_column(["city", lat], 11)
    features = {"city": np.array([["sf", "la"], ["ny", ""], ["", ""]]), "lat": np.array([33., 37., 40.], np.float32)}
    net = fc.input_layer(features, [fc.indicator_column(cross)])
    return {"value": _run(tf, net), "name": cross.name, "shape": net.shape.as_list()}


def case_crossed_three_keys_and_hash_key(tf):
    fc = _fc(tf)
    color = fc.categorical_column_with_vocabulary_list("color", ["red", "green", "blue"])
    size = fc.categorical_column_with_identity("size", 4)
    inner = fc.crossed_column([color, size], 50)
    cross = fc.crossed_column([inner, "shape"], 13, hash_key=12345)
    features = {"color": np.array(["blue", "red"]), "size": np.array([3, 0], np.int64),
                "shape": np.array(["round", "square"])}
    return {"indicator": _run(tf, fc.input_layer(features, [fc.indicator_column(cross)])),
            "name": cross.name, "inner": _run(tf, fc.input_layer(features, [fc.indicator_column(inner)]))}


def case_crossed_int_feature_linear_model(tf):
    """A crossed column in linear_model: one weight row per hash bucket, the crossed ids' rows summed."""
    fc = _fc(tf)
    cross = fc.crossed_column(["a", "b"], 7)
    features = {"a": np.array([[1, 2], [3, -1]], np.int64), "b": np.array([5, 6], np.int64)}
    pred = fc.linear_model(features, [cross])
    weights = [v for v in tf.global_variables() if v.op.name.endswith("a_X_b/weights")][0]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(tf.assign(weights, np.arange(7, dtype=np.float32).reshape(7, 1) ** 2))
        return {"value": sess.run(pred), "variables": _names(tf)}


def case_crossed_errors(tf):
    fc = _fc(tf)
    hashed = fc.categorical_column_with_hash_bucket("h", 5)
    return {"one_key": catch(fc.crossed_column, ["a"], 10),
            "zero_buckets": catch(fc.crossed_column, ["a", "b"], 0),
            "hashed_key": catch(fc.crossed_column, ["a", hashed], 10),
            "numeric_key": catch(fc.crossed_column, ["a", fc.numeric_column("x")], 10)}


def case_crossed_out_of_vocabulary(tf):
    """An out-of-vocabulary value is the id -1: no row of its own, but crossed as a value;
    an empty string is no value at all (nothing crossed)."""
    fc = _fc(tf)
    color = fc.categorical_column_with_vocabulary_list("color", ["red", "green"])
    size = fc.categorical_column_with_identity("size", 3)
    cross = fc.crossed_column([color, size], 9)
    features = {"color": np.array(["pink", "red", "", "green"]), "size": np.array([1, 2, 0, -1], np.int64)}
    return _run(tf, fc.input_layer(features, [fc.indicator_column(cross), fc.indicator_column(color),
                                              fc.indicator_column(size)]))


def case_tables_initializer(tf):
    """Run before looking up a vocabulary, as TF1 programs do; the lookup then works."""
    fc = _fc(tf)
    color = fc.categorical_column_with_vocabulary_list("color", ["red", "green"])
    x = tf.placeholder(tf.string, [None])
    net = fc.input_layer({"color": x}, [fc.indicator_column(color)])
    init = tf.tables_initializer()
    with tf.Session() as sess:
        sess.run(init)
        return {"name": init.name, "type": init.type,
                "value": sess.run(net, {x: np.array(["green", "red", "blue", ""])})}
