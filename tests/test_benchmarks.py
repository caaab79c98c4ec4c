"""The benchmark suite (benchmarks/, `python -m benchmarks`) runs at its tiny size and the engine
reaches numpy's numbers on every workload. No timing is asserted: timings on a shared 2-core
machine prove nothing in a test.
"""
import io
import os
import subprocess
import sys

import numpy as np
import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

from benchmarks import cli, harness  # noqa: E402
from benchmarks.workloads import BY_ID, WORKLOADS  # noqa: E402

TF_PYTHON = os.environ.get("TFTEACH_TF_PYTHON", "/opt/tfvenv/bin/python")
IDS = ["W1", "W2", "W3", "W4", "W5", "W6", "W7"]


@pytest.fixture(scope="module")
def tiny_run():
    out = io.StringIO()
    status, results = cli.run(["--tiny"], out=out)
    import tfteach as tf
    tf.reset_default_graph()  # leave no benchmark graph behind for the other tests
    return status, results, out.getvalue()


def test_every_workload_is_there():
    assert [w.id for w in WORKLOADS] == IDS


def test_tiny_suite_runs_and_the_numbers_agree(tiny_run):
    status, results, text = tiny_run
    assert status == 0, text
    assert [r["id"] for r in results] == IDS
    for r in results:
        assert "error" not in r, text
        assert r["check"]["ok"], (r["id"], r["check"], text)
    assert "all workloads ran; engine and numpy reach the same numbers" in text


def test_tiny_suite_prints_the_table(tiny_run):
    _, results, text = tiny_run
    for r in results:
        if r["id"] != "W6":
            assert r["repeats"] == len(r["ratios"]) == len(r["numpy_samples"]) == len(r["engine_samples"])
            assert all(x > 0 for x in r["ratios"])
    w6 = next(r for r in results if r["id"] == "W6")
    assert [row["n"] for row in w6["rows"]] == list(BY_ID["W6"].tiny["ns"])
    assert "growth exponent" in text
    for wid in ("W4", "W7"):  # memory growth, step over step, for both sides
        assert f"{wid} engine " in text and f"{wid} numpy " in text
    assert "BLAS:" in text and "load average" in text


def test_the_check_catches_a_difference():
    ok, worst, where = harness.compare({"w": np.float32(1.0)}, {"w": np.float32(1.0)}, rtol=1e-5, atol=1e-6)
    assert ok and worst == 0
    ok, worst, where = harness.compare({"w": np.array([1.0, 2.0])}, {"w": np.array([1.0, 2.1])},
                                       rtol=1e-5, atol=1e-6)
    assert not ok and where == "w" and worst > 0.04
    ok, _, _ = harness.compare({"w": np.array([np.nan])}, {"w": np.array([np.nan])}, rtol=1e-5, atol=1e-6)
    assert not ok


def test_a_wrong_engine_result_fails_the_run(monkeypatch):
    """An engine whose numbers differ from numpy's makes the run fail (status 1)."""
    workload = BY_ID["W1"]
    original = workload.numpy

    def off_by_a_bit(p, data):
        side = original(p, data)
        result = side.result
        side.result = lambda: {k: v * 1.01 for k, v in result().items()}
        return side

    monkeypatch.setattr(workload, "numpy", off_by_a_bit)
    out = io.StringIO()
    status, results = cli.run(["--tiny", "--only", "W1", "--no-memory"], out=out)
    assert status == 1 and not results[0]["check"]["ok"]
    assert "DIFFER" in out.getvalue()


def test_options_override_parameters():
    args = cli.parse_args(["--only", "w3,W6", "--set", "W3.steps=7", "--set", "W6.ns=5,10"])
    assert args.ids == ["W3", "W6"]
    assert BY_ID["W3"].params(True, **args.overrides["W3"])["steps"] == 7
    assert BY_ID["W6"].params(True, **args.overrides["W6"])["ns"] == (5, 10)


@pytest.mark.needs_tf
@pytest.mark.slow
@pytest.mark.skipif(not os.path.exists(TF_PYTHON), reason=f"no TensorFlow python at {TF_PYTHON}")
def test_tiny_suite_on_tensorflow_without_tfteach():
    """The same workloads run on real TensorFlow (compat.v1) and reach numpy's numbers; the
    tensorflow engine never imports tfteach."""
    code = ("import runpy, sys\n"
            "sys.argv = ['benchmarks', '--engine', 'tensorflow', '--tiny']\n"
            "try:\n"
            "    runpy.run_module('benchmarks', run_name='__main__', alter_sys=True)\n"
            "except SystemExit as exit:\n"
            "    status = exit.code\n"
            "assert 'tfteach' not in sys.modules, 'the tensorflow engine imported tfteach'\n"
            "sys.exit(status)\n")
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", PYTHONPATH=ROOT)
    done = subprocess.run([TF_PYTHON, "-c", code], cwd=ROOT, capture_output=True, text=True,
                          timeout=300, env=env)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "engine: tensorflow" in done.stdout
    assert "all workloads ran; engine and numpy reach the same numbers" in done.stdout


# ---- whole programs (benchmarks/programs.py, issue 21) ---------------------------------------------
from benchmarks import programs  # noqa: E402


@pytest.fixture(scope="module")
def digits():
    return programs.digits_28x28()


def test_the_programs_data_are_the_issues_digits(digits):
    x, y = digits
    assert x.shape == (6985, 784) and y.shape == (6985, 10) and x.dtype == y.dtype == np.float32
    assert 0 <= x.min() and x.max() <= 1 and np.all(y.sum(axis=1) == 1)
    assert -(-len(x) // 100) == 70   # an epoch is 70 batches of 100
    assert np.all(x.reshape(-1, 28, 28)[:, :2].sum(axis=(1, 2)) == 0)   # a centred 20x20 box, +-2


@pytest.mark.parametrize("name", list(programs.PROGRAMS))
def test_every_program_runs_tiny_on_tfteach(digits, name):
    import tfteach as tf
    result = programs.run_one(tf, name, True, *digits)
    tf.reset_default_graph()
    assert result["program"] == name and result["seconds"] > 0 and np.isfinite(result["loss"])
    assert result["cpu_seconds"] > 0


def test_the_load_processes_are_ended_by_the_benchmark():
    procs = programs.start_load(2, 60)
    try:
        assert all(p.poll() is None for p in procs)
    finally:
        programs.stop_load(procs)
    assert all(p.returncode is not None for p in procs)


def test_the_programs_command_with_load_prints_a_table():
    out = io.StringIO()
    status = programs.main(["--tiny", "--engine", "tfteach", "--only", "logreg", "--load", "1"], out=out)
    text = out.getvalue()
    assert status == 0, text
    assert "1 busy processes" in text and "logreg" in text and "tfteach s" in text


@pytest.mark.needs_tf
@pytest.mark.slow
@pytest.mark.skipif(not os.path.exists(TF_PYTHON), reason=f"no TensorFlow python at {TF_PYTHON}")
def test_a_program_runs_tiny_on_tensorflow():
    out = io.StringIO()
    status = programs.main(["--tiny", "--engine", "tensorflow", "--only", "logreg,cnn"], out=out)
    assert status == 0, out.getvalue()
    assert "tensorflow s" in out.getvalue()


# ---- the classroom run (benchmarks/classroom.py) -------------------------------------------------
def _tiny_notebook(path, stored_text):
    import nbformat
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("import tfteach as tf\nprint(tf.Session().run(tf.constant(2.0) * 3.0))")
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=stored_text)]
    nb.cells = [cell]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)


@pytest.mark.parametrize("stored, passes", [("6.0\n", True), ("7.0\n", False)])
def test_classroom_compares_what_the_learner_reads(tmp_path, stored, passes):
    from benchmarks import classroom
    folder = tmp_path / "lesson"
    folder.mkdir()
    _tiny_notebook(str(folder / "tiny.ipynb"), stored)
    out = io.StringIO()
    ok, records, _ = classroom.run_class(1, str(folder / "tiny.ipynb"), out=out)
    assert ok is passes, out.getvalue()
    assert records[0]["cells_compared"] == 1
    assert records[0]["differing_cells"] == ([] if passes else [0])
    assert records[0]["peak_rss_mb"] > 10  # the kernel's own getrusage, read from its last cell
    assert ("passed: 1/1" if passes else "passed: 0/1") in out.getvalue()


def test_classroom_tiny_runs_lesson_1():
    from benchmarks import classroom
    out = io.StringIO()
    ok, records, _ = classroom.run_class(2, classroom.LESSON_1, out=out)
    assert ok, out.getvalue()
    assert len(records) == 2 and all(r["cells_compared"] > 10 for r in records), out.getvalue()
