"""`import tfteach` stays light (issue #24): no notebook library, and the later chapters
(tf.estimator, tf.image, tf.metrics, the RNN cells, ...) load on first use (tfteach/lazy.py).

Each check runs in a fresh interpreter, since this test process has long imported everything.
No timing asserts (a shared machine's timings vary): what is loaded is what is checked.
"""
import json
import subprocess
import sys

import numpy as np

NOTEBOOK_ONLY = ["IPython", "matplotlib", "ipywidgets", "graphviz"]
# the modules behind the lazy names: none of them is loaded by `import tfteach`
LAZY_MODULES = ["tfteach.estimator", "tfteach.image", "tfteach.ops.image", "tfteach.ops.image_resize",
                "tfteach.ops.png_ops", "tfteach.metrics", "tfteach.tf_logging", "tfteach.rnn_cell",
                "tfteach.rnn", "tfteach.seq2seq", "tfteach.io_ns", "tfteach.python_io_ns",
                "tfteach.ops.parsing_ops", "tfteach.ops.candidate_sampling", "tfteach.ops.conv_transpose", "tfteach.keras.datasets",
                "tfteach.display", "tfteach.data", "tfteach.ops.data_ops", "tfteach.ops.queue_ops",
                "tfteach.train.queue_runner", "tfteach.train.input", "tfteach.normalization",
                "tfteach.ops.batch_norm", "tfteach.ops.jpeg_ops", "tfteach.ops.jpeg_codec", "tfteach.rnn_dynamic",
                "tfteach.functional_ops", "tfteach.tensor_array", "tfteach.ops.tensor_array_ops",
                "tfteach.feature_column", "tfteach.ops.sparse_ops"]


def _fresh(code):
    """Run `code` in a fresh interpreter; its last stdout line is JSON."""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_import_loads_no_notebook_library_and_no_lazy_namespace():
    loaded = _fresh("import json, sys, tfteach; print(json.dumps(sorted(sys.modules)))")
    heavy = [m for m in loaded if m.split(".")[0] in NOTEBOOK_ONLY]
    assert heavy == [], f"import tfteach loaded {heavy}"
    eager = [m for m in LAZY_MODULES if m in loaded]
    assert eager == [], f"import tfteach loaded the lazy modules {eager}"


def test_lazy_names_are_listed_and_load_on_first_use():
    seen = _fresh(
        "import json, sys, tfteach as tf\n"
        "names = {'tf': dir(tf), 'nn': dir(tf.nn), 'contrib': dir(tf.contrib), 'keras': dir(tf.keras)}\n"
        "before = 'tfteach.estimator' in sys.modules\n"
        "from tfteach import image\n"
        "import tfteach.metrics\n"
        "print(json.dumps({'names': names, 'before': before, 'estimator': hasattr(tf, 'estimator'),\n"
        "    'after': 'tfteach.estimator' in sys.modules, 'image': image is tf.image,\n"
        "    'Dataset': tf.data.Dataset.__name__, 'cell': tf.nn.rnn_cell.BasicLSTMCell.__name__,\n"
        "    'contrib_rnn': tf.contrib.rnn.static_rnn is tf.nn.static_rnn,\n"
        "    'seq2seq': tf.contrib.seq2seq.__name__, 'mnist': tf.keras.datasets.mnist.__name__,\n"
        "    'queue': tf.FIFOQueue.__name__, 'missing': hasattr(tf, 'make_template'),\n"
        "    'display_listed': 'display' in dir(tf)}))")
    for name in ["estimator", "data", "image", "io", "python_io", "metrics", "logging", "FIFOQueue",
                 "decode_csv", "FixedLenFeature"]:
        assert name in seen["names"]["tf"], name
    for name in ["conv2d_transpose", "rnn_cell", "static_rnn", "static_bidirectional_rnn", "nce_loss", "sampled_softmax_loss"]:
        assert name in seen["names"]["nn"], name
    assert {"rnn", "seq2seq", "layers"} <= set(seen["names"]["contrib"])
    assert "datasets" in seen["names"]["keras"]
    assert (seen["before"], seen["estimator"], seen["after"]) == (False, True, True)
    assert seen["image"] and seen["contrib_rnn"]
    assert (seen["Dataset"], seen["cell"], seen["queue"]) == ("Dataset", "BasicLSTMCell", "FIFOQueue")
    assert (seen["seq2seq"], seen["mnist"]) == ("tfteach.seq2seq", "tfteach.keras.datasets.mnist")
    assert seen["missing"] is False and seen["display_listed"] is False


def test_import_graph_def_finds_ops_of_namespaces_not_loaded_yet(tmp_path):
    """A GraphDef with ResizeBilinear and LogUniformCandidateSampler imports in a process that never
    touched tf.image nor tf.nn's samplers: the importer loads the lazy modules when an op type is
    unknown (their NodeDef signatures are registered by those modules too)."""
    path = tmp_path / "graph.pb"
    _fresh(
        "import json, numpy as np, tfteach as tf\n"
        "x = tf.placeholder(tf.float32, [1, 2, 2, 1], name='x')\n"
        "y = tf.image.resize_bilinear(x, [4, 4], name='resized')\n"
        "classes = tf.constant([[1], [3]], tf.int64, name='classes')\n"
        "tf.nn.log_uniform_candidate_sampler(classes, 1, 4, True, 10, seed=7, name='sampler')\n"
        f"open({str(path)!r}, 'wb').write(tf.get_default_graph().as_graph_def().SerializeToString())\n"
        "print(json.dumps(sorted({op.type for op in tf.get_default_graph().get_operations()})))")
    got = _fresh(
        "import json, sys, numpy as np, tfteach as tf\n"
        "lazy = [m for m in ('tfteach.image', 'tfteach.ops.image_resize', 'tfteach.ops.candidate_sampling')\n"
        "        if m in sys.modules]\n"
        f"g = tf.GraphDef.FromString(open({str(path)!r}, 'rb').read())\n"
        "tf.import_graph_def(g, name='')\n"
        "types = sorted({op.type for op in tf.get_default_graph().get_operations()})\n"
        "with tf.Session() as sess:\n"
        "    value = sess.run('resized:0', {'x:0': np.arange(4.0).reshape(1, 2, 2, 1)})\n"
        "    sampled = sess.run('sampler:0')\n"
        "print(json.dumps({'lazy': lazy, 'types': types, 'value': value.ravel().tolist(),\n"
        "    'sampled': sampled.tolist(), 'dtype': str(sampled.dtype),\n"
        "    'out': [t.dtype.name for t in tf.get_default_graph().get_operation_by_name('sampler').outputs]}))")
    assert got["lazy"] == []
    assert "ResizeBilinear" in got["types"] and "LogUniformCandidateSampler" in got["types"]
    x = np.arange(4.0).reshape(2, 2)  # TF1's resize_bilinear (align_corners=False): source = dest * 2 / 4
    src = np.minimum(np.arange(4) * 0.5, 1)
    lo, hi = np.floor(src).astype(int), np.minimum(np.floor(src).astype(int) + 1, 1)
    frac = src - lo
    rows = x[lo] * (1 - frac)[:, None] + x[hi] * frac[:, None]
    want = rows[:, lo] * (1 - frac) + rows[:, hi] * frac
    np.testing.assert_allclose(got["value"], want.ravel(), rtol=1e-6)
    assert got["out"] == ["int64", "float32", "float32"] and got["dtype"] == "int64"
    assert len(got["sampled"]) == 4 and len(set(got["sampled"])) == 4  # unique=True
    assert all(0 <= c < 10 for c in got["sampled"])
