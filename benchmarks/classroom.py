"""`python -m benchmarks.classroom`: a class of K learners running lesson 1 at the same moment (issue 21).

    python -m benchmarks.classroom                 # 20 kernels at once, lesson 1
    python -m benchmarks.classroom --kernels 5 --notebook notebooks/03_graphs_sessions_gradients.ipynb
    python -m benchmarks.classroom --tiny          # 2 kernels: proves it runs (CI)

Each learner is a separate process that executes the notebook through nbclient in its own kernel,
in its own copy of the notebook's folder (as each learner has a home directory on a JupyterHub), all
started together. A learner passes when no cell raises and every output a learner reads is the one
stored in the notebook (nbval's rule: cells marked NBVAL_IGNORE_OUTPUT or NBVAL_SKIP are run but not
compared; the regexes of nbval_sanitize.cfg apply). The kernel measures its own peak resident memory
(getrusage's ru_maxrss) in a last cell that the benchmark appends. Reported per kernel: wall time
from kernel start to the last cell, peak RSS; and the wall time of the whole class.
"""
import argparse
import configparser
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LESSON_1 = os.path.join(ROOT, "notebooks", "01_hello_neuron.ipynb")
MARK = "CLASSROOM_PEAK_RSS_KB="
PEAK_CELL = f"import resource\nprint('{MARK}' + str(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))"


# ---- one learner ------------------------------------------------------------------------------
def _sanitizers():
    cfg = configparser.ConfigParser()
    cfg.read(os.path.join(ROOT, "nbval_sanitize.cfg"))
    return [(re.compile(cfg[s]["regex"]), cfg[s]["replace"]) for s in cfg.sections()]


def _texts(outputs, sanitizers):
    """What a learner reads of a cell's outputs: streams and text/plain, sanitized as nbval does."""
    texts = []
    for out in outputs:
        if out.get("output_type") == "stream":
            text = out.get("text", "")
        elif out.get("output_type") in ("execute_result", "display_data"):
            text = out.get("data", {}).get("text/plain", "")
        elif out.get("output_type") == "error":
            text = f"{out.get('ename')}: {out.get('evalue')}"
        else:
            continue
        text = "".join(text) if isinstance(text, list) else text
        for regex, replace in sanitizers:
            text = regex.sub(replace, text)
        texts.append(text)
    return "".join(texts)


def _compared(cell):
    source = cell.source if isinstance(cell.source, str) else "".join(cell.source)
    return cell.cell_type == "code" and "NBVAL_IGNORE_OUTPUT" not in source and "NBVAL_SKIP" not in source


def run_one(notebook, workdir):
    """Execute `notebook` in `workdir` (a fresh copy of its folder); return this learner's record."""
    import nbclient
    import nbformat

    nb = nbformat.read(notebook, as_version=4)
    nb.cells = [c for c in nb.cells if "NBVAL_SKIP" not in "".join(c.source)]  # nbval does not run them
    stored = [list(c.get("outputs", [])) if c.cell_type == "code" else None for c in nb.cells]
    nb.cells.append(nbformat.v4.new_code_cell(PEAK_CELL))
    client = nbclient.NotebookClient(nb, timeout=900, kernel_name="python3",
                                     resources={"metadata": {"path": workdir}})
    start = time.perf_counter()
    error = None
    try:
        client.execute()
    except Exception as e:  # a failing cell: recorded, the learner fails
        error = f"{type(e).__name__}: {str(e).strip().splitlines()[-1] if str(e).strip() else ''}"
    wall = time.perf_counter() - start
    sanitizers = _sanitizers()
    compared = [i for i, (cell, want) in enumerate(zip(nb.cells, stored)) if want is not None and _compared(cell)]
    differ = [i for i in compared if _texts(nb.cells[i].outputs, sanitizers) != _texts(stored[i], sanitizers)]
    peak = None
    for out in nb.cells[-1].get("outputs", []):
        if out.get("output_type") == "stream" and MARK in out.get("text", ""):
            peak = int(out["text"].split(MARK)[1].split()[0])
    return {"wall_s": wall, "peak_rss_mb": peak / 1024 if peak else None, "error": error,
            "cells_compared": len(compared), "differing_cells": differ, "passed": error is None and not differ}


# ---- the class ----------------------------------------------------------------------------------
def run_class(kernels, notebook, out=sys.stdout):
    """Start `kernels` learners at once; return (all passed, records, class wall time)."""
    folder = os.path.dirname(os.path.abspath(notebook))
    name = os.path.basename(notebook)
    with tempfile.TemporaryDirectory(prefix="tfteach-classroom-") as tmp:
        procs = []
        start = time.perf_counter()
        for i in range(kernels):
            home = os.path.join(tmp, f"learner{i:02d}")
            shutil.copytree(folder, home, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "last-run*", "log_*"))
            result = os.path.join(tmp, f"learner{i:02d}.json")
            cmd = [sys.executable, "-m", "benchmarks.classroom", "--one", os.path.join(home, name), "--result", result]
            procs.append((subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE), result))
        records = []
        for i, (proc, result) in enumerate(procs):
            _, err = proc.communicate()
            if proc.returncode == 0 and os.path.exists(result):
                with open(result) as f:
                    records.append(json.load(f))
            else:
                records.append({"wall_s": None, "peak_rss_mb": None, "passed": False, "differing_cells": [],
                                "error": f"learner process exited {proc.returncode}: {err.decode()[-300:]}"})
        class_wall = time.perf_counter() - start
    report(records, class_wall, notebook, out)
    return all(r["passed"] for r in records), records, class_wall


def report(records, class_wall, notebook, out):
    walls = [r["wall_s"] for r in records if r["wall_s"] is not None]
    peaks = [r["peak_rss_mb"] for r in records if r["peak_rss_mb"] is not None]
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    out.write(f"classroom: {len(records)} kernels at once running {os.path.relpath(notebook, ROOT)} "
              f"on {os.cpu_count()} cores (load average before the end: {load})\n")
    out.write(f"{'kernel':>6s} {'wall s':>8s} {'peak RSS MB':>12s}  result\n")
    for i, r in enumerate(records):
        wall = f"{r['wall_s']:.1f}" if r["wall_s"] is not None else "-"
        peak = f"{r['peak_rss_mb']:.0f}" if r["peak_rss_mb"] is not None else "-"
        why = f"pass ({r['cells_compared']} cells' outputs as stored)" if r["passed"] else (r["error"] or f"outputs differ in cells {r['differing_cells']}")
        out.write(f"{i:>6d} {wall:>8s} {peak:>12s}  {why}\n")
    passed = sum(r["passed"] for r in records)
    out.write(f"passed: {passed}/{len(records)}; class wall time {class_wall:.1f} s")
    if walls:
        out.write(f"; per kernel wall median {statistics.median(walls):.1f} s [{min(walls):.1f}, {max(walls):.1f}]")
    if peaks:
        out.write(f"; peak RSS median {statistics.median(peaks):.0f} MB [{min(peaks):.0f}, {max(peaks):.0f}]")
    out.write("\n")


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m benchmarks.classroom", description=__doc__.split("\n")[0])
    parser.add_argument("--kernels", type=int, default=20, help="learners at once (default 20)")
    parser.add_argument("--notebook", default=LESSON_1, help="the lesson (default lesson 1)")
    parser.add_argument("--tiny", action="store_true", help="2 kernels: proves the benchmark runs")
    parser.add_argument("--json", metavar="PATH", help="also write the records as JSON")
    parser.add_argument("--one", help=argparse.SUPPRESS)     # a learner process: run this notebook
    parser.add_argument("--result", help=argparse.SUPPRESS)  # ... and write its record here
    args = parser.parse_args(argv)
    if args.one:
        record = run_one(args.one, os.path.dirname(args.one))
        with open(args.result, "w") as f:
            json.dump(record, f)
        return 0
    if args.kernels < 1:
        parser.error(f"--kernels must be at least 1, got {args.kernels}")
    ok, records, class_wall = run_class(2 if args.tiny else args.kernels, args.notebook)
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"class_wall_s": class_wall, "kernels": records,
                       "driver_peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}, f, indent=1)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
