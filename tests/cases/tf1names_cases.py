"""Cases for TF1's everyday Python-level names (issue #23 part A): tf.metrics, tf.logging,
tf.contrib.layers.flatten/fully_connected, tf.losses.huber_loss, tf.arg_min/arg_max,
tf.floor_div, tf.div_no_nan, tf.random.*, tf.report_uninitialized_variables.

Real TensorFlow runs them through tf.compat.v1; tf.contrib.layers comes from tf_slim 1.1 there
(`pip install tf_slim` into the TensorFlow venv; it needed no tf-keras). Node lists are
compared by name; op types where TF 2.21 and TF 1.15 agree (AddV2 is read as the classic Add).
"""
import logging

import numpy as np

from cases.harness import catch


def _type(op):
    return "Add" if op.type == "AddV2" else op.type


def _names(tf):
    return [op.name for op in tf.get_default_graph().get_operations()]


def _contrib_layers(tf):
    """tf.contrib.layers on tfteach; tf_slim.layers (what contrib became) on TF 2.x."""
    try:
        return tf.contrib.layers
    except AttributeError:
        import tf_slim
        return tf_slim.layers


def _var_names(variables):
    return [v.name for v in variables]


def _collections(tf):
    keys = tf.GraphKeys
    return {"global": _var_names(tf.global_variables()), "local": _var_names(tf.local_variables()),
            "trainable": _var_names(tf.trainable_variables()),
            "metric": _var_names(tf.get_collection("metric_variables")),
            "model": _var_names(tf.get_collection(keys.MODEL_VARIABLES))}


def _feeds(labels, preds, probs):
    return [{labels: [1, 0, 1, 1], preds: [1, 1, 1, 0], probs: [0.9, 0.6, 0.35, 0.1]},
            {labels: [0, 0, 1, 1], preds: [0, 1, 1, 1], probs: [0.2, 0.3, 0.8, 0.7]}]


def _stream(tf, value, update, feeds):
    """value before any batch, (update, value) after each batch, value after a reset."""
    out = []
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        out.append(sess.run(value))
        for fd in feeds:
            out.append(sess.run(update, feed_dict=fd))
            out.append(sess.run(value))
        sess.run(tf.local_variables_initializer())
        out.append(sess.run(value))
    return out


def _inputs(tf):
    labels = tf.placeholder(tf.int64, [4], name="labels")
    preds = tf.placeholder(tf.int64, [4], name="preds")
    probs = tf.placeholder(tf.float32, [4], name="probs")
    return labels, preds, probs


# ---- tf.metrics -------------------------------------------------------------------------------

def case_metrics_accuracy_graph(tf):
    labels, preds, _ = _inputs(tf)
    acc, update = tf.metrics.accuracy(labels, preds)
    graph = tf.get_default_graph()
    return {"value": acc.name, "update": update.name, "value_type": acc.op.type,
            "update_type": update.op.type, "names": _names(tf), "collections": _collections(tf),
            "assign_adds": [[op.name, [i.name for i in op.inputs]] for op in graph.get_operations()
                            if op.type == "AssignAdd"],
            "dtypes": [acc.dtype.name, update.dtype.name], "shapes": [acc.shape.as_list(), update.shape.as_list()]}


def case_metrics_accuracy_streaming(tf):
    labels, preds, probs = _inputs(tf)
    acc, update = tf.metrics.accuracy(labels, preds)
    init = tf.local_variables_initializer()
    return {"runs": _stream(tf, acc, update, _feeds(labels, preds, probs)), "init": [init.name, init.type]}


def case_metrics_accuracy_weighted(tf):
    labels, preds, probs = _inputs(tf)
    acc, update = tf.metrics.accuracy(labels, preds, weights=tf.constant([1., 2., 0., 1.]))
    return {"names": _names(tf), "runs": _stream(tf, acc, update, _feeds(labels, preds, probs))}


def case_metrics_accuracy_squeezes_labels(tf):
    labels = tf.placeholder(tf.int64, [4, 1], name="labels")
    preds = tf.placeholder(tf.int64, [4], name="preds")
    acc, update = tf.metrics.accuracy(labels, preds)
    feeds = [{labels: [[1], [0], [1], [1]], preds: [1, 1, 1, 0]}]
    return {"names": _names(tf), "runs": _stream(tf, acc, update, feeds)}


def case_metrics_two_accuracies_and_name(tf):
    labels, preds, _ = _inputs(tf)
    a1 = tf.metrics.accuracy(labels, preds)
    a2 = tf.metrics.accuracy(labels, preds)
    a3 = tf.metrics.accuracy(labels, preds, name="train_acc")
    return {"pairs": [[v.name, u.name] for v, u in (a1, a2, a3)], "collections": _collections(tf)}


def case_metrics_collections_arguments(tf):
    labels, preds, _ = _inputs(tf)
    acc, update = tf.metrics.accuracy(labels, preds, metrics_collections=["my_metrics"],
                                      updates_collections=[tf.GraphKeys.UPDATE_OPS])
    return {"metrics": [t.name for t in tf.get_collection("my_metrics")],
            "updates": [t.name for t in tf.get_collection(tf.GraphKeys.UPDATE_OPS)]}


def case_metrics_accuracy_shape_mismatch(tf):
    return catch(tf.metrics.accuracy, tf.constant([1, 0, 1]), tf.constant([1, 0]))


def case_metrics_mean(tf):
    labels, preds, probs = _inputs(tf)
    m, update = tf.metrics.mean(probs)
    return {"names": _names(tf), "pair": [m.name, update.name],
            "runs": _stream(tf, m, update, _feeds(labels, preds, probs))}


def case_metrics_mean_weighted(tf):
    labels, preds, probs = _inputs(tf)
    m, update = tf.metrics.mean(probs, weights=[0.5, 1.0, 2.0, 0.0])
    return {"pair": [m.name, update.name], "runs": _stream(tf, m, update, _feeds(labels, preds, probs))}


def case_metrics_precision_graph(tf):
    labels, preds, probs = _inputs(tf)
    p, update = tf.metrics.precision(labels, preds)
    return {"names": _names(tf), "pair": [p.name, update.name], "collections": _collections(tf),
            "types": [p.op.type, update.op.type],
            "runs": _stream(tf, p, update, _feeds(labels, preds, probs))}


def case_metrics_recall_graph(tf):
    labels, preds, probs = _inputs(tf)
    r, update = tf.metrics.recall(labels, preds)
    return {"names": _names(tf), "pair": [r.name, update.name], "collections": _collections(tf),
            "runs": _stream(tf, r, update, _feeds(labels, preds, probs))}


def case_metrics_precision_recall_no_positives(tf):
    labels = tf.constant([0, 0, 1])
    preds = tf.constant([0, 0, 0])
    p, pu = tf.metrics.precision(labels, preds)
    r, ru = tf.metrics.recall(labels, preds)
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        return sess.run([pu, ru, p, r])


def case_metrics_counts(tf):
    labels, preds, probs = _inputs(tf)
    pairs = [tf.metrics.true_positives(labels, preds), tf.metrics.false_positives(labels, preds),
             tf.metrics.false_negatives(labels, preds, weights=[1.0, 2.0, 3.0, 4.0])]
    feeds = _feeds(labels, preds, probs)
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        runs = [sess.run([u for _, u in pairs], feed_dict=fd) for fd in feeds]
        runs.append(sess.run([v for v, _ in pairs]))
    return {"names": [[v.name, u.name] for v, u in pairs], "runs": runs, "collections": _collections(tf)}


def case_metrics_auc_roc(tf):
    labels, preds, probs = _inputs(tf)
    a, update = tf.metrics.auc(labels, probs)
    variables = tf.local_variables()
    return {"pair": [a.name, update.name], "types": [a.op.type, update.op.type],
            "variables": [[v.name, v.shape.as_list()] for v in variables],
            "metric": _var_names(tf.get_collection("metric_variables")),
            "runs": _stream(tf, a, update, _feeds(labels, preds, probs))}


def case_metrics_auc_options(tf):
    labels, preds, probs = _inputs(tf)
    pairs = [tf.metrics.auc(labels, probs, num_thresholds=10),
             tf.metrics.auc(labels, probs, curve="PR"),
             tf.metrics.auc(labels, probs, summation_method="minoring"),
             tf.metrics.auc(labels, probs, summation_method="majoring", name="major"),
             tf.metrics.auc(labels, probs, thresholds=[0.25, 0.5, 0.75]),
             tf.metrics.auc(labels, probs, weights=[1.0, 0.5, 2.0, 1.0])]
    feeds = _feeds(labels, preds, probs)
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        runs = [sess.run([u for _, u in pairs], feed_dict=fd) for fd in feeds]
        runs.append(sess.run([v for v, _ in pairs]))
    return {"names": [[v.name, u.name] for v, u in pairs], "runs": runs,
            "tp_shapes": [v.shape.as_list() for v in tf.local_variables() if v.name.endswith("true_positives:0")]}


def case_metrics_auc_bad_curve(tf):
    return catch(tf.metrics.auc, tf.constant([1, 0]), tf.constant([0.5, 0.2]), curve="XY")


def case_metrics_errors(tf):
    labels, preds, probs = _inputs(tf)
    y = tf.cast(labels, tf.float32)
    pairs = [tf.metrics.mean_squared_error(y, probs), tf.metrics.mean_absolute_error(y, probs),
             tf.metrics.root_mean_squared_error(y, probs)]
    feeds = _feeds(labels, preds, probs)
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        runs = [sess.run([u for _, u in pairs], feed_dict=fd) for fd in feeds]
        runs.append(sess.run([v for v, _ in pairs]))
    return {"names": _names(tf), "pairs": [[v.name, u.name] for v, u in pairs], "runs": runs,
            "collections": _collections(tf)}


def case_metrics_local_initializer_with_global_variables(tf):
    """A model's global variable and a metric's local ones: each initializer sets only its own."""
    w = tf.Variable(3.0, name="w")
    acc, update = tf.metrics.accuracy(tf.constant([1, 1]), tf.constant([1, 0]))
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        first = sess.run(update)
        uninitialized = sess.run(tf.report_uninitialized_variables())
        sess.run(tf.global_variables_initializer())
        return {"first": first, "uninitialized": uninitialized, "w": sess.run(w), "acc": sess.run(acc),
                "reported_after": sess.run(tf.report_uninitialized_variables())}


# ---- tf.logging -------------------------------------------------------------------------------

class _Records(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.seen = []

    def emit(self, record):
        self.seen.append([record.name, record.levelname, record.levelno, record.getMessage()])


def case_logging_levels(tf):
    lg = tf.logging
    return {"levels": [lg.DEBUG, lg.INFO, lg.WARN, lg.ERROR, lg.FATAL],
            "names": sorted(n for n in ("DEBUG", "INFO", "WARN", "WARNING", "ERROR", "FATAL") if hasattr(lg, n))}


def case_logging_messages(tf):
    logger = logging.getLogger("tensorflow")
    old_level = logger.level
    records = _Records()
    logger.addHandler(records)
    try:
        tf.logging.set_verbosity(tf.logging.INFO)
        verbosity = [tf.logging.get_verbosity(), logger.level]
        tf.logging.debug("hidden %d", 1)
        tf.logging.info("step %d loss %.2f", 10, 0.25)
        tf.logging.warning("careful")
        tf.logging.error("bad %s", "thing")
        tf.logging.log(tf.logging.WARN, "via log")
        tf.logging.vlog(tf.logging.ERROR, "via vlog")
        for i in range(5):
            tf.logging.log_every_n(tf.logging.INFO, "every second: %d", 2, i)
        for i in range(5):
            tf.logging.log_first_n(tf.logging.INFO, "first three: %d", 3, i)
        tf.logging.set_verbosity(tf.logging.ERROR)
        tf.logging.info("now hidden")
        tf.logging.error("still shown")
        verbosity.append(tf.logging.get_verbosity())
        tf.logging.set_verbosity(tf.logging.DEBUG)
        tf.logging.debug("debug shown")
    finally:
        logger.removeHandler(records)
        logger.setLevel(old_level)
    return {"verbosity": verbosity, "records": [r for r in records.seen if "deprecat" not in r[3]]}


# ---- aliases ----------------------------------------------------------------------------------

def case_arg_min_arg_max(tf):
    a = tf.constant([[1., 5., 2.], [7., 0., 3.]])
    ts = [tf.arg_min(a, 1), tf.arg_max(a, 0), tf.arg_max(a, 1, output_type=tf.int32),
          tf.arg_min(a, 0, name="smallest")]
    with tf.Session() as sess:
        values = sess.run(ts)
    return {"names": [t.name for t in ts], "types": [t.op.type for t in ts],
            "dtypes": [t.dtype.name for t in ts], "values": values}


def case_floor_div(tf):
    t = tf.floor_div(tf.constant([7, -7, 6]), 2)
    f = tf.floor_div(tf.constant([7.5, -7.5]), tf.constant([2.0, 2.0]))
    with tf.Session() as sess:
        return {"names": [t.name, f.name], "types": [t.op.type, f.op.type], "values": sess.run([t, f]),
                "dtypes": [t.dtype.name, f.dtype.name]}


def case_div_no_nan(tf):
    x = tf.constant([1., 0., -3., 4.])
    y = tf.constant([0., 0., 2., 8.])
    d = tf.div_no_nan(x, y)
    d2 = tf.div_no_nan(tf.constant([[2.0], [6.0]], dtype=tf.float64), tf.constant([0.0, 3.0], dtype=tf.float64),
                       name="ratio")
    gx, gy = tf.gradients(tf.reduce_sum(d * tf.constant([1., 2., 3., 4.])), [x, y])
    with tf.Session() as sess:
        values = sess.run([d, d2, gx, gy])
    return {"names": [d.name, d2.name], "types": [d.op.type, d2.op.type], "inputs": [i.name for i in d.op.inputs],
            "shape": d2.shape.as_list(), "values": values}


def case_random_namespace(tf):
    same = {"uniform": tf.random.uniform is tf.random_uniform, "normal": tf.random.normal is tf.random_normal,
            "truncated_normal": tf.random.truncated_normal is tf.truncated_normal,
            "shuffle": tf.random.shuffle is tf.random_shuffle,
            "set_random_seed": tf.random.set_random_seed is tf.set_random_seed,
            "multinomial": tf.random.multinomial is tf.multinomial}
    tf.random.set_random_seed(7)
    u = tf.random.uniform([200], minval=2.0, maxval=3.0)
    n = tf.random.normal([2, 3], dtype=tf.float64)
    t = tf.random.truncated_normal([500], stddev=2.0)
    s = tf.random.shuffle(tf.range(10))
    logits = tf.constant([[0.0, 1.0, 2.0], [5.0, -50.0, -50.0]])
    c = tf.random.categorical(logits, 4)
    c2 = tf.random.categorical(logits, 3, dtype=tf.int32, name="pick")
    with tf.Session() as sess:
        uv, nv, tv, sv, cv, c2v = sess.run([u, n, t, s, c, c2])
    return {"same": same, "seed": tf.get_default_graph().seed, "shuffle_name": s.name,
            "categorical": [[x.name, x.dtype.name, x.shape.as_list()] for x in (c, c2)],
            "categorical_in_range": bool(cv.min() >= 0 and cv.max() <= 2), "second_row_is_zero": c2v[1].tolist(),
            "get_seed": list(tf.random.get_seed(3)),
            "dtypes": [x.dtype.name for x in (u, n, t, s)], "shapes": [x.shape.as_list() for x in (u, n, t, s)],
            "uniform_in_range": bool(uv.min() >= 2.0 and uv.max() < 3.0),
            "truncated_within_two_stddev": bool(np.abs(tv).max() <= 4.0),
            "shuffle_is_permutation": sorted(sv.tolist()) == list(range(10))}


def case_report_uninitialized_variables(tf):
    v = tf.Variable(1.0, name="v")
    with tf.name_scope("layer"):
        w = tf.Variable([2.0, 3.0], name="w")
    report = tf.report_uninitialized_variables()
    ops = [[op.name, _type(op), [i.name for i in op.inputs]] for op in tf.get_default_graph().get_operations()
           if op.name.startswith("report_uninitialized_variables")]
    with tf.Session() as sess:
        runs = [sess.run(report)]
        sess.run(v.initializer)
        runs.append(sess.run(report))
        sess.run(w.initializer)
        runs.append(sess.run(report))
    return {"name": report.name, "dtype": report.dtype.name, "shape": report.shape.as_list(), "ops": ops,
            "runs": runs}


def case_report_uninitialized_variables_var_list_and_empty(tf):
    v = tf.Variable(1.0, name="v")
    tf.Variable(2.0, name="u")
    only_v = tf.report_uninitialized_variables([v], name="just_v")
    empty = tf.report_uninitialized_variables([])
    g = tf.Graph()
    with g.as_default():
        none = tf.report_uninitialized_variables()
        none_ops = [[op.name, op.type] for op in g.get_operations()]
    with tf.Session() as sess:
        runs = sess.run([only_v, empty])
    with tf.Session(graph=g) as sess:
        runs.append(sess.run(none))
    return {"names": [only_v.name, empty.name, none.name], "none_ops": none_ops,
            "shapes": [t.shape.as_list() for t in (empty, none)], "runs": runs}


# ---- tf.losses.huber_loss -----------------------------------------------------------------------

def case_huber_loss(tf):
    y = tf.constant([0., 1., 2., 3.])
    p = tf.constant([0.5, 3., 2.2, -1.])
    loss = tf.losses.huber_loss(y, p)
    names = _names(tf)
    # the forward part up to the elementwise losses (compute_weighted_loss is tf.losses' shared code)
    parts = ("Cast", "Sub", "Abs", "Minimum", "Sub_1", "Const", "Mul", "Mul_1", "Mul_2", "Add")
    forward = [[op.name, _type(op)] for op in tf.get_default_graph().get_operations()
               if op.name.startswith("huber_loss/") and op.name.split("/")[1] in parts]
    delta = tf.losses.huber_loss(y, p, delta=2.5, scope="wide")
    per_element = tf.losses.huber_loss(y, p, weights=[1., 0., 2., 1.], reduction=tf.losses.Reduction.NONE)
    weighted = tf.losses.huber_loss(y, p, weights=[1., 0., 2., 1.])
    summed = tf.losses.huber_loss(y, p, reduction=tf.losses.Reduction.SUM)
    grad = tf.gradients(loss, p)[0]
    with tf.Session() as sess:
        values = sess.run([loss, delta, per_element, weighted, summed, grad])
    return {"name": loss.name, "forward": forward, "first_ops": names[2:13], "values": values,
            "dtype": loss.dtype.name, "losses": [t.name for t in tf.get_collection(tf.GraphKeys.LOSSES)],
            "names": [delta.name, per_element.name, weighted.name, summed.name]}


def case_huber_loss_int_labels_and_errors(tf):
    loss = tf.losses.huber_loss(tf.constant([1, 2]), tf.constant([1.5, 0.0]))
    with tf.Session() as sess:
        value = sess.run(loss)
    return {"value": value, "none": catch(tf.losses.huber_loss, None, tf.constant([1.0])),
            "shapes": catch(tf.losses.huber_loss, tf.constant([1.0, 2.0]), tf.constant([1.0, 2.0, 3.0]))}


# ---- tf.contrib.layers ------------------------------------------------------------------------

def case_contrib_flatten(tf):
    layers = _contrib_layers(tf)
    x = tf.placeholder(tf.float32, [None, 2, 3], name="x")
    f = layers.flatten(x)
    f2 = layers.flatten(tf.constant([[[1., 2.], [3., 4.]]]))
    f3 = layers.flatten(tf.placeholder(tf.float32, [None, 28, 28, 1]), scope="images")
    v = tf.placeholder(tf.float32, [4, None], name="v")
    f4 = layers.flatten(v)
    ts = [f, f2, f3, f4]
    with tf.Session() as sess:
        values = sess.run([f, f4], feed_dict={x: np.arange(12.0).reshape(2, 2, 3), v: np.ones((4, 2))})
    return {"names": [t.name for t in ts], "shapes": [t.shape.as_list() for t in ts], "ops": _names(tf),
            "values": values, "scalar": catch(layers.flatten, tf.constant(1.0))}


def case_contrib_fully_connected(tf):
    layers = _contrib_layers(tf)
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    h = layers.fully_connected(x, 4)
    o = layers.fully_connected(h, 2, activation_fn=None, scope="out")
    h2 = layers.fully_connected(x, 5, biases_initializer=None, activation_fn=tf.nn.sigmoid)
    ops = [[op.name, _type(op), [i.name for i in op.inputs]] for op in tf.get_default_graph().get_operations()]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        w = sess.run(tf.get_default_graph().get_tensor_by_name("fully_connected/weights:0"))
    limit = np.sqrt(6.0 / (3 + 4))
    return {"names": [t.name for t in (h, o, h2)], "shapes": [t.shape.as_list() for t in (h, o, h2)],
            "ops": ops, "collections": _collections(tf),
            "weights_within_glorot_limit": bool(np.abs(w).max() <= limit), "weights_shape": list(w.shape)}


def case_contrib_fully_connected_values(tf):
    layers = _contrib_layers(tf)
    x = tf.constant([[1.0, -2.0, 0.5], [0.0, 1.0, 1.0]])
    h = layers.fully_connected(x, 2, weights_initializer=tf.constant_initializer([[0.1, -0.2], [0.3, 0.4],
                                                                                  [-0.5, 0.6]]),
                               biases_initializer=tf.constant_initializer(0.05))
    lin = layers.fully_connected(x, 2, activation_fn=None, weights_initializer=tf.ones_initializer(),
                                 scope="linear")
    loss = tf.reduce_sum(h * h) + tf.reduce_sum(lin)
    grads = tf.gradients(loss, tf.trainable_variables())
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        return {"values": sess.run([h, lin]), "grads": sess.run(grads),
                "trainable": _var_names(tf.trainable_variables())}


def case_contrib_fully_connected_reuse(tf):
    layers = _contrib_layers(tf)
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    a = layers.fully_connected(x, 2, scope="shared")
    b = layers.fully_connected(x, 2, scope="shared", reuse=True)
    c = layers.fully_connected(x, 2, trainable=False, scope="frozen")
    return {"names": [a.name, b.name, c.name], "collections": _collections(tf),
            "inputs": [[i.name for i in t.op.inputs[0].op.inputs[0].op.inputs] for t in (a, b)],
            "bad_units": catch(layers.fully_connected, x, 2.5)}


def case_metrics_mean_iou(tf):
    labels = tf.placeholder(tf.int64, [4], name="labels")
    preds = tf.placeholder(tf.int64, [4], name="preds")
    miou, update = tf.metrics.mean_iou(labels, preds, 3)
    weighted, w_update = tf.metrics.mean_iou(labels, preds, 3, weights=tf.constant([1.0, 0.5, 2.0, 0.0]),
                                             name="weighted")
    runs = []
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        runs.append(sess.run([miou, weighted]))
        for fd in ({labels: [0, 1, 2, 2], preds: [0, 2, 2, 1]}, {labels: [1, 1, 0, 0], preds: [1, 1, 0, 2]}):
            runs.append(sess.run([update, w_update], feed_dict=fd))
            runs.append(sess.run([miou, weighted]))
    return {"names": [miou.name, update.name, weighted.name, w_update.name], "runs": runs,
            "dtypes": [miou.dtype.name, update.dtype.name], "collections": _collections(tf)}


def case_metrics_weights_of_unknown_shape(tf):
    """Weights whose shape is only known at run time are broadcast by a Mul (TF also asserts
    that they broadcast, with ops tfteach does not have: only the values are compared)."""
    labels, preds, probs = _inputs(tf)
    w = tf.placeholder(tf.float32, [None], name="w")
    s = tf.placeholder(tf.float32, [], name="s")
    m, m_update = tf.metrics.mean(probs, weights=w)
    a, a_update = tf.metrics.accuracy(labels, preds, weights=s)
    feeds = _feeds(labels, preds, probs)
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        runs = []
        for fd in feeds:
            fd.update({w: [1.0, 0.0, 2.0, 0.5], s: 2.0})
            runs.append(sess.run([m_update, a_update], feed_dict=fd))
        runs.append(sess.run([m, a]))
    return {"runs": runs, "pairs": [[m.name, m_update.name], [a.name, a_update.name]]}


def case_contrib_fully_connected_rank3(tf):
    layers = _contrib_layers(tf)
    x = tf.placeholder(tf.float32, [None, 5, 3], name="x")
    h = layers.fully_connected(x, 4, weights_initializer=tf.constant_initializer(np.arange(12.).reshape(3, 4) / 10))
    c = layers.fully_connected(tf.constant(np.ones((2, 2, 3), np.float32)), 2, activation_fn=None,
                               weights_initializer=tf.ones_initializer())
    grad = tf.gradients(tf.reduce_sum(h * h), x)[0]
    ops = [[op.name, _type(op), [i.name for i in op.inputs]] for op in tf.get_default_graph().get_operations()
           if "Initializer" not in op.name and not op.name.startswith("gradients")]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        values = sess.run([h, c, grad], {x: np.linspace(-1, 1, 30).reshape(2, 5, 3)})
    return {"names": [h.name, c.name], "shapes": [h.shape.as_list(), c.shape.as_list()], "ops": ops,
            "values": values, "rank1": catch(layers.fully_connected, tf.constant([1.0, 2.0]), 2)}


def case_report_uninitialized_variables_outside_collections(tf):
    """TF's fallback when no collection lists a variable: every variable op of the graph."""
    v = tf.Variable(1.0, name="v")
    graph = tf.get_default_graph()
    for key in (tf.GraphKeys.GLOBAL_VARIABLES, tf.GraphKeys.TRAINABLE_VARIABLES):
        graph.get_collection_ref(key).clear()
    report = tf.report_uninitialized_variables()
    with tf.Session() as sess:
        before = sess.run(report)
        sess.run(v.initializer)
        return {"before": before, "after": sess.run(report), "name": report.name,
                "checks": [op.name for op in graph.get_operations() if op.type == "IsVariableInitialized"]}
