"""The lessons ship with tfteach: `python -m tfteach.lessons DIR` copies them, keeps edits.

The slow test does what a teacher's class does: build the wheel, install it with its `lessons`
extra into a fresh venv (pinned by constraints.txt, so pip takes what it has cached), copy the
lessons out with the console script and execute every notebook through nbclient.
"""
import json
import os
import shutil
import subprocess
import sys
import venv

import pytest

from tfteach import lessons

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# the numbered lessons and the template (pyproject.toml's data-files globs)
EXPECTED = sorted(f for f in os.listdir(os.path.join(ROOT, "notebooks"))
                  if f.endswith(".ipynb") and (f[0].isdigit() or f == "lesson_template.ipynb"))


def test_shipped_lists_every_lesson_and_widget_notebook():
    names = list(lessons.shipped())
    assert "01_hello_neuron.ipynb" in EXPECTED and len(EXPECTED) >= 5
    assert [n for n in names if "/" not in n] == EXPECTED
    widgets = sorted(f for f in os.listdir(os.path.join(ROOT, "widgets")) if f.endswith(".ipynb"))
    assert [n for n in names if n.startswith("widgets/")] == ["widgets/" + w for w in widgets]


def test_copies_then_finds_them_unchanged(tmp_path, capsys):
    assert lessons.main([str(tmp_path / "class")]) == 0
    out = capsys.readouterr().out
    assert out.count("copied") == len(lessons.shipped())
    copied = tmp_path / "class" / "01_hello_neuron.ipynb"
    assert copied.read_bytes() == open(os.path.join(ROOT, "notebooks", "01_hello_neuron.ipynb"), "rb").read()
    assert (tmp_path / "class" / "widgets" / "gradient_descent.ipynb").exists()
    assert lessons.main([str(tmp_path / "class")]) == 0
    assert capsys.readouterr().out.count("unchanged") == len(lessons.shipped())


def test_refuses_an_edited_copy_and_force_overwrites_it(tmp_path, capsys):
    lessons.main([str(tmp_path)])
    edited = tmp_path / "01_hello_neuron.ipynb"
    edited.write_text(edited.read_text() + " ")  # the learner's edit
    capsys.readouterr()
    assert lessons.main([str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "refused" in out and "--force" in out and "01_hello_neuron.ipynb" in out
    assert edited.read_text().endswith(" ")   # kept
    assert lessons.main([str(tmp_path), "--force"]) == 0
    assert "overwritten" in capsys.readouterr().out
    assert not edited.read_text().endswith(" ")


def test_a_file_it_did_not_copy_is_refused_too(tmp_path, capsys):
    (tmp_path / "02_numpy_and_graphs.ipynb").write_text("{}")  # the learner's own, same name
    assert lessons.main([str(tmp_path)]) == 1
    assert (tmp_path / "02_numpy_and_graphs.ipynb").read_text() == "{}"


def test_an_untouched_copy_of_an_older_version_is_updated(tmp_path, capsys):
    lessons.main([str(tmp_path)])
    old = tmp_path / "lesson_template.ipynb"
    old.write_text("an older shipped version")
    manifest = tmp_path / lessons.MANIFEST
    recorded = json.loads(manifest.read_text())
    recorded["lesson_template.ipynb"] = lessons.sha256(old)  # as the older command recorded it
    manifest.write_text(json.dumps(recorded))
    capsys.readouterr()
    assert lessons.main([str(tmp_path)]) == 0
    assert "updated" in capsys.readouterr().out
    assert old.read_bytes() == open(os.path.join(ROOT, "notebooks", "lesson_template.ipynb"), "rb").read()


def test_module_runs_as_a_command(tmp_path):
    done = subprocess.run([sys.executable, "-m", "tfteach.lessons", str(tmp_path)], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "copied" in done.stdout and (tmp_path / "04_training_a_classifier.ipynb").exists()


# ---- the wheel, installed into a fresh venv -------------------------------------------
RUN_ALL = r"""
import json, os, sys
import nbformat
from nbclient import NotebookClient
results = {}
for folder, name in [(os.path.dirname(p), os.path.basename(p)) for p in sys.argv[1:]]:
    nb = nbformat.read(os.path.join(folder, name), as_version=4)
    # cells tagged raises-exception fail on purpose; any other error fails the run
    NotebookClient(nb, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": folder}}).execute()
    results[name] = len(nb.cells)
print(json.dumps({"prefix": sys.prefix, "results": results}))
"""


def _source_tree(dest):
    """The files git would commit (tracked, and new files not ignored), copied: a clean build."""
    names = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT, capture_output=True,
                           text=True, check=True).stdout.split("\n")
    for name in filter(None, names):
        if os.path.isfile(os.path.join(ROOT, name)):
            os.makedirs(os.path.join(dest, os.path.dirname(name)), exist_ok=True)
            shutil.copy2(os.path.join(ROOT, name), os.path.join(dest, name))


@pytest.mark.slow
def test_wheel_installs_in_a_fresh_venv_and_every_lesson_runs(tmp_path):
    src, wheels, env_dir, work = (tmp_path / d for d in ("src", "wheels", "venv", "class"))
    _source_tree(src)
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(src), "--no-deps", "-w", str(wheels), "-q"],
                   check=True, timeout=600)
    wheel, = wheels.glob("tfteach-*.whl")
    venv.create(env_dir, with_pip=True)
    python = str(env_dir / "bin" / "python")
    subprocess.run([python, "-m", "pip", "install", "-q", "-c", os.path.join(ROOT, "constraints.txt"),
                    f"{wheel}[lessons]"], check=True, timeout=900)
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", MPLBACKEND="agg")
    copied = subprocess.run([str(env_dir / "bin" / "tfteach-lessons"), str(work)], capture_output=True,
                            text=True, check=True, timeout=120, env=env, cwd=tmp_path)
    assert copied.stdout.count("copied") == len(lessons.shipped())
    notebooks = [str(p) for p in sorted(work.glob("*.ipynb")) + sorted(work.glob("widgets/*.ipynb"))]
    ran = subprocess.run([python, "-c", RUN_ALL, *notebooks], capture_output=True, text=True,
                         timeout=1800, env=env, cwd=tmp_path)
    assert ran.returncode == 0, ran.stderr[-3000:]
    report = json.loads(ran.stdout.strip().splitlines()[-1])
    assert report["prefix"] == str(env_dir)
    assert sorted(report["results"]) == sorted(os.path.basename(n) for n in notebooks)


# ---- what JupyterLite (Pyodide) implies: no dot, no processes ---------------------------
PYODIDE_LIKE = r"""
import os, subprocess
os.environ["PATH"] = "/nonexistent"   # no dot (Pyodide has no executables at all)
def _no_processes(*args, **kwargs):
    raise OSError(38, "Function not implemented (no processes, as in Pyodide)")
subprocess.Popen = _no_processes      # subprocess.run and friends go through Popen
"""


@pytest.mark.slow
@pytest.mark.parametrize("name", [n for n in lessons.shipped()])
def test_every_notebook_runs_without_dot_or_subprocess(name, tmp_path):
    import nbformat
    from nbclient import NotebookClient
    nb = nbformat.read(lessons.shipped()[name], as_version=4)
    nb.cells.insert(0, nbformat.v4.new_code_cell(PYODIDE_LIKE))
    nb.cells.append(nbformat.v4.new_code_cell(
        "import subprocess, shutil\n"
        "assert shutil.which('dot') is None\n"
        "try:\n    subprocess.run(['true'])\nexcept OSError:\n    print('no processes')"))
    # cells tagged raises-exception fail on purpose; any other error fails the test
    NotebookClient(nb, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    assert nb.cells[-1].outputs[0]["text"] == "no processes\n"
