"""The lessons run top to bottom, and a second time in the same kernel give the same outputs.

nbval (configured in pyproject.toml) compares each notebook with its stored outputs; this test
adds what nbval cannot see: re-running every cell without restarting the kernel, as a learner
does, must not change what the cells print (cells that build graphs reset them first).
"""
import os

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LESSONS = sorted(f for f in os.listdir(os.path.join(ROOT, "notebooks")) if f.endswith(".ipynb"))


def _texts(cell):
    out = []
    for o in cell.get("outputs", []):
        if o.output_type == "stream":
            # a long loop's prints arrive in chunks that depend on timing: join them, as nbval does
            if out and out[-1][0] == o.name:
                out[-1] = (o.name, out[-1][1] + o.text)
            else:
                out.append((o.name, o.text))
        elif o.output_type in ("execute_result", "display_data"):
            out.append(("text/plain", o.data.get("text/plain", "")))
        elif o.output_type == "error":
            out.append(("error", o.ename))
    return out


@pytest.mark.parametrize("name", LESSONS)
def test_lesson_runs_twice_in_one_kernel_with_the_same_outputs(name, tmp_path):
    nb = nbformat.read(os.path.join(ROOT, "notebooks", name), as_version=4)
    client = NotebookClient(nb, timeout=300, kernel_name="python3", allow_errors=True,
                            resources={"metadata": {"path": str(tmp_path)}})
    with client.setup_kernel():
        first = []
        for i, cell in enumerate(nb.cells):
            if cell.cell_type == "code":
                client.execute_cell(cell, i)
                first.append(_texts(cell))
        second = []
        for i, cell in enumerate(nb.cells):
            if cell.cell_type == "code":
                client.execute_cell(cell, i)
                second.append(_texts(cell))
    code = [c for c in nb.cells if c.cell_type == "code"]
    for cell, texts in zip(code, first):
        shows_error = "NBVAL_RAISES_EXCEPTION" in cell.source  # a cell that fails on purpose
        assert any(kind == "error" for kind, _ in texts) == shows_error, cell.source[:200]
    assert first == second
