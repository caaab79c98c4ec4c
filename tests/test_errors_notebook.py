"""Errors in a notebook (issue 20): the explanation first, then only the learner's own frames,
TensorFlow's message once; outside IPython, Python's usual traceback. And the explanation's HTML
survives an untrusted notebook's sanitizer without stray text.
"""
import os
import re
import subprocess
import sys
from html.parser import HTMLParser

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

import tfteach as tf
from tfteach import diagnostics

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
UNINITIALIZED = "Attempting to use uninitialized value Variable"
UNFED = "You must feed a value for placeholder tensor 'Placeholder' with dtype float"
TFTEACH_FRAME = re.compile(r"tfteach[/\\]\w+\.py")


def plain(text):
    return re.sub(r"\x1b\[[0-9;]*m", "", text)  # IPython colours its tracebacks


# ---- in an IPython shell ----------------------------------------------------------------------
@pytest.fixture
def shell(monkeypatch):
    """An InteractiveShell with tfteach's handler, and `shown`: what it displayed, in order."""
    from IPython.core.interactiveshell import InteractiveShell
    import IPython.display
    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda *objs, **kw: shown.extend(
        ("display", obj) for obj in objs))
    ip = InteractiveShell.instance()
    monkeypatch.setattr(ip, "_showtraceback", lambda etype, value, stb: shown.append(
        ("traceback", plain("\n".join(stb)))))
    ip.run_line_magic("load_ext", "tfteach")
    ip.run_cell("import tfteach as tf\ntf.reset_default_graph()")
    try:
        yield ip, shown
    finally:
        ip.set_custom_exc((), None)
        InteractiveShell.clear_instance()


def test_the_explanation_comes_first_then_only_the_cells_frames(shell):
    ip, shown = shell
    ip.run_cell("x = tf.Variable(3)\nsess = tf.Session()")
    result = ip.run_cell("sess.run(x)")
    assert not result.success and isinstance(result.error_in_exec, tf.errors.FailedPreconditionError)
    assert [kind for kind, _ in shown] == ["display", "traceback"]
    ex, tb = shown[0][1], shown[1][1]
    assert isinstance(ex, diagnostics.Explanation) and ex.culprits[0].name == "Variable"
    assert "----> 1 sess.run(x)" in tb
    assert not TFTEACH_FRAME.search(tb) and "numpy" not in tb and "interactiveshell" not in tb
    # the message once: at the end of the traceback, with TensorFlow's hint
    seen = tb + "\n" + ex._repr_mimebundle_()["text/plain"]
    assert seen.count(UNINITIALIZED) == 1
    assert tb.rstrip().endswith("Hint: run sess.run(tf.global_variables_initializer()) (or the "
                                "variable's initializer) in this session first.")
    # tf.explain() in the next cell still has the whole story, and its title the message
    assert tf.explain().title == f"FailedPreconditionError: {UNINITIALIZED}"
    files, tb_ = [], sys.last_traceback
    while tb_ is not None:
        files.append(tb_.tb_frame.f_code.co_filename)
        tb_ = tb_.tb_next
    assert any(TFTEACH_FRAME.search(f) for f in files)  # %debug still reaches tfteach's frames


def test_frames_of_the_learners_own_functions_stay(shell):
    ip, shown = shell
    ip.run_cell("a = tf.placeholder(tf.float32)\n"
                "def predict():\n"
                "    return tf.Session().run(a * 2.0)\n"
                "predict()")
    kinds = [kind for kind, _ in shown]
    assert kinds == ["display", "traceback"]
    tb = shown[1][1]
    assert "----> 4 predict()" in tb and "return tf.Session().run(a * 2.0)" in tb
    assert not TFTEACH_FRAME.search(tb)
    assert (tb + shown[0][1]._repr_mimebundle_()["text/plain"]).count(UNFED) == 1


def test_other_run_errors_hide_tfteach_frames_and_the_kernels_numpy_error(shell):
    ip, shown = shell
    ip.run_cell("a = tf.placeholder(tf.float32)\n"
                "tf.Session().run(tf.matmul(a, a), feed_dict={a: [[1.0, 2.0, 3.0]]})")
    assert [kind for kind, _ in shown] == ["traceback"]  # nothing to explain about feeds
    tb = shown[0][1]
    assert tb.rstrip().endswith("InvalidArgumentError: Matrix size-incompatible: In[0]: [1,3], In[1]: [1,3]\n"
                                "\t [[node MatMul]]")
    assert not TFTEACH_FRAME.search(tb) and "numpy" not in tb and "direct cause" not in tb
    # numpy's own broadcast error is the cause of TF's message, and is not shown
    shown.clear()
    ip.run_cell("tf.Session().run(a + tf.ones([4]), feed_dict={a: [1.0, 2.0, 3.0]})")
    tb = shown[0][1]
    assert "InvalidArgumentError: Incompatible shapes: [3] vs. [4]\n\t [[node add]]" in tb
    assert not TFTEACH_FRAME.search(tb) and "numpy" not in tb
    assert "direct cause" not in tb and "could not be broadcast" not in tb
    # the exception itself is left as it was raised
    assert isinstance(sys.last_value.__cause__, ValueError)


# ---- a real kernel: what nbval and JupyterLab receive -------------------------------------------
CELLS = [
    "import tfteach as tf\nx = tf.Variable(3)\na = tf.placeholder(tf.float32)\nsess = tf.Session()",
    "# NBVAL_RAISES_EXCEPTION\nsess.run(x)",
    "# NBVAL_RAISES_EXCEPTION\nsess.run(a + 1.0)",
]


def test_a_kernel_reports_the_cell_failed_with_the_explanation_above(tmp_path):
    nb = nbformat.v4.new_notebook()
    for source in CELLS:
        cell = nbformat.v4.new_code_cell(source)
        if "RAISES" in source:
            cell.metadata["tags"] = ["raises-exception"]
        nb.cells.append(cell)
    nb.cells.append(nbformat.v4.new_code_cell("sess.run(x)"))  # the same error, not expected
    client = NotebookClient(nb, timeout=120, kernel_name="python3",
                            resources={"metadata": {"path": str(tmp_path)}})
    with client.setup_kernel():
        for i, cell in enumerate(nb.cells[:3]):
            client.execute_cell(cell, i)
        with pytest.raises(CellExecutionError, match="FailedPreconditionError"):
            client.execute_cell(nb.cells[3], 3)  # the kernel says the cell failed
    for cell, (ename, message) in zip(nb.cells[1:], [("FailedPreconditionError", UNINITIALIZED),
                                                      ("InvalidArgumentError", UNFED)]):
        kinds = [o.output_type for o in cell.outputs]
        assert kinds == ["display_data", "error"], kinds
        shown, error = cell.outputs
        assert error.ename == ename
        tb = plain("\n".join(error.traceback))
        assert not TFTEACH_FRAME.search(tb), tb
        assert len(tb.splitlines()) < 12, tb   # was about 55 lines
        assert (shown.data["text/plain"] + tb).count(message) == 1
        assert shown.data["text/plain"].startswith(f"Why sess.run failed (the {ename} is below):")
        assert "<img" in shown.data["text/html"] and "<svg" not in _html_text(shown.data["text/html"])


# ---- outside IPython: Python's own traceback ------------------------------------------------------
def test_a_script_prints_pythons_usual_traceback(tmp_path):
    script = tmp_path / "lesson.py"
    script.write_text("import tfteach as tf\nx = tf.Variable(3)\ntf.Session().run(x)\n")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120,
                          env=dict(os.environ, PYTHONPATH=ROOT))
    assert done.returncode == 1
    err = done.stderr
    assert err.startswith("Traceback (most recent call last):")
    assert 'lesson.py", line 3, in <module>' in err
    assert re.search(r'tfteach[/\\]session\.py", line \d+, in run', err)
    assert re.search(r'tfteach[/\\]plan\.py", line \d+, in read_variable', err)
    assert f"tfteach.errors.FailedPreconditionError: {UNINITIALIZED}" in err


# ---- untrusted notebooks: sanitized HTML ------------------------------------------------------------
class _Text(HTMLParser):
    """The text a sanitizer leaves when it drops tags it does not know (svg, title, text, ...)."""

    def __init__(self):
        super().__init__()
        self.text, self.tags = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_data(self, data):
        self.text.append(data)


def _html_text(markup):
    parser = _Text()
    parser.feed(markup)
    parser.close()
    return "".join(parser.text)


def test_the_explanations_html_is_text_and_an_image_only():
    tf.reset_default_graph()
    x = tf.Variable(3)
    with pytest.raises(tf.errors.FailedPreconditionError) as info:
        tf.Session().run(x)
    bundle = tf.explain(info.value)._repr_mimebundle_()
    parser = _Text()
    parser.feed(bundle["text/html"])
    assert parser.tags == ["pre", "img"]   # no inline <svg>: its labels would be stray text
    assert "".join(parser.text).strip() == tf.explain(info.value).text
    img = re.search(r"<img alt=\"[^\"]+\" src='data:image/svg\+xml;charset=utf-8,(<svg[^']*</svg>)'>",
                    bundle["text/html"])
    assert img and "#" not in img.group(1) and "\n" not in img.group(1)
    assert bundle["text/plain"].endswith("(tf.explain's explanation: in Jupyter it comes with a "
                                         "drawing of the run)")
    assert not re.search(r"color\s*:\s*#", bundle["text/html"])  # no fixed colours (dark theme)
