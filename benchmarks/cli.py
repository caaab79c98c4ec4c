"""`python -m benchmarks`: the table of workloads W1-W7, engine against numpy.

    python -m benchmarks                      # tfteach, full size (a few minutes)
    python -m benchmarks --tiny               # every workload at a tiny size, in seconds
    python -m benchmarks --only W1,W4 --profile
    python -m benchmarks --set W3.steps=500 --set W6.ns=500,1000 --repeats 5
    TF_CPP_MIN_LOG_LEVEL=3 PYTHONPATH=. /opt/tfvenv/bin/python -m benchmarks --engine tensorflow

The exit status is 1 when a workload fails or the engine's numbers differ from numpy's.
"""
import argparse
import gc
import json
import os
import sys
import time
import traceback

from . import harness
from .harness import fmt_ratio, fmt_time, write
from .workloads import BY_ID, WORKLOADS


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.split("\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--engine", choices=harness.ENGINES, default="tfteach")
    parser.add_argument("--tiny", action="store_true",
                        help="every workload at a tiny size with few repeats (proves it works; the timings mean nothing)")
    parser.add_argument("--only", default="", help="comma-separated workload ids, e.g. W1,W4")
    parser.add_argument("--repeats", type=int, help="repeats per workload (overrides every workload's own)")
    parser.add_argument("--set", action="append", default=[], metavar="Wn.param=value",
                        help="override one workload parameter, e.g. W3.steps=500 or W6.ns=500,1000 (repeatable)")
    parser.add_argument("--gc", action="store_true", help="keep the cyclic garbage collector on in timed loops")
    parser.add_argument("--blas-threads", type=int, metavar="N",
                        help="limit numpy's BLAS to N threads (threadpoolctl; sets TFTEACH_NUM_THREADS); quieter on a busy machine")
    parser.add_argument("--no-memory", action="store_true", help="skip the tracemalloc pass of W4 and W7")
    parser.add_argument("--profile", action="store_true",
                        help="also profile the engine side of each workload (cProfile, top 10)")
    parser.add_argument("--json", metavar="PATH", help="also write the results as JSON")
    args = parser.parse_args(argv)
    ids = [i.strip().upper() for i in args.only.split(",") if i.strip()]
    unknown = [i for i in ids if i not in BY_ID]
    if unknown:
        parser.error(f"unknown workload id(s) {', '.join(unknown)}; known: {', '.join(BY_ID)}")
    args.ids = ids or [w.id for w in WORKLOADS]
    args.overrides = {}
    for item in args.set:
        try:
            key, value = item.split("=", 1)
            wid, param = key.split(".", 1)
            wid = wid.upper()
            if wid not in BY_ID:
                raise ValueError
        except ValueError:
            parser.error(f"--set wants Wn.param=value, got {item!r}")
        args.overrides.setdefault(wid, {})[param] = _value(value)
    return args


def _value(text):
    if "," in text:
        return tuple(_value(t) for t in text.split(",") if t)
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return {"true": True, "false": False}.get(text.lower(), text)


HEADER = (f"{'id':3s} {'workload':40s} {'steps':>5s} {'reps':>4s} {'numpy/step':>11s} "
          f"{'engine/step':>11s}  {'engine/numpy median [min, max]':31s} same numbers")


def check_text(check, tolerance=None):
    tol = f", tol rtol={tolerance['rtol']:g} atol={tolerance['atol']:g}" if tolerance else ""
    if check["ok"]:
        return f"ok (max rel diff {check['worst']:.1e}{tol})"
    return f"DIFFER at {check['where']} (max rel diff {check['worst']:.1e}{tol})"


def run_paired(workload, tf, p, args, out):
    data = workload.data(p)
    engine = workload.engine(tf, p, data)
    reference = workload.numpy(p, data)
    try:
        result = harness.paired(engine, reference, p["steps"], p["repeats"], p.get("warmup", 0),
                                workload.tolerance, keep_gc=args.gc)
        result.update(id=workload.id, title=workload.title, steps=p["steps"], repeats=p["repeats"])
        ratio = (f"{fmt_ratio(result['ratio_median'])} [{fmt_ratio(result['ratio_min'])}, "
                 f"{fmt_ratio(result['ratio_max'])}]")
        write(out, f"{workload.id:3s} {workload.title:40s} {p['steps']:5d} {p['repeats']:4d} "
                   f"{fmt_time(result['numpy_per_step']):>11s} {fmt_time(result['engine_per_step']):>11s}  "
                   f"{ratio:31s} {check_text(result['check'])}")
        if workload.memory and not args.no_memory:
            steps, settle = p.get("mem_steps", p["steps"]), p.get("mem_settle", 0)
            result["memory"] = {}
            for name, side in (("engine", engine), ("numpy", reference)):
                sizes, garbage = harness.memory_growth(side, steps, settle)
                result["memory"][name] = {"traced_bytes": sizes, "garbage": garbage, "settle": settle}
                result.setdefault("memory_lines", []).append(
                    f"{workload.id} {name:6s} {harness.describe_memory(sizes, garbage, settle)}")
        if args.profile:
            result["profile"] = harness.profile_text(lambda: (engine.reset(), engine.run(p["steps"])))
        return result
    finally:
        engine.close()
        reference.close()


def run_w6(workload, tf, p, args, out):
    result = workload.measure(tf, p, keep_gc=args.gc)
    result.update(id=workload.id, title=workload.title)
    write(out, f"{workload.id:3s} {workload.title:40s} n = {', '.join(str(n) for n in p['ns'])}, "
               f"best of {p['repeats']} (sizes take turns); {check_text(result['check'])}")
    if args.profile:
        n = max(p["ns"])
        result["profile"] = harness.profile_text(lambda: workload.build(tf, n))
    return result


def print_w6(result, out):
    write(out, f"    {'n':>5s} {'ops fwd':>7s} {'ops grad':>8s} {'fwd/link':>9s} {'grad/link':>9s} "
               f"{'fwd/op':>8s} {'grad/op':>8s} {'first run':>10s} {'later run':>10s} {'numpy loop':>10s}")
    for r in result["rows"]:
        n = r["n"]
        write(out, f"    {n:5d} {r['ops_forward']:7d} {r['ops_gradient']:8d} "
                   f"{fmt_time(r['forward'] / n):>9s} {fmt_time(r['gradient'] / n):>9s} "
                   f"{fmt_time(r['forward'] / r['ops_forward']):>8s} "
                   f"{fmt_time(r['gradient'] / max(r['ops_gradient'], 1)):>8s} "
                   f"{fmt_time(r['first_run']):>10s} {fmt_time(r['later_run']):>10s} "
                   f"{fmt_time(r['numpy_loop']):>10s}")
    g = result["growth"]
    worst = max(g["forward"], g["gradient"])
    verdict = "linear" if worst <= 1.15 else "NOT linear"
    write(out, f"    growth exponent k in t ~ n^k (1 = linear): build forward {g['forward']:.2f}, "
               f"gradient {g['gradient']:.2f}; first run {g['first_run']:.2f}, later runs "
               f"{g['later_run']:.2f} -> build {verdict}")


def run(argv=None, out=None):
    """Run the suite; (exit status, results). `out` receives the printed table."""
    out = out or sys.stdout
    args = parse_args(argv)
    if args.blas_threads:
        # tfteach's thread policy sets the count per product: TFTEACH_NUM_THREADS is its limit
        from threadpoolctl import threadpool_limits  # optional on TensorFlow's side
        saved = os.environ.get("TFTEACH_NUM_THREADS")
        os.environ["TFTEACH_NUM_THREADS"] = str(args.blas_threads)
        try:
            with threadpool_limits(limits=args.blas_threads, user_api="blas"):
                return _run(args, out)
        finally:
            if saved is None:
                del os.environ["TFTEACH_NUM_THREADS"]
            else:
                os.environ["TFTEACH_NUM_THREADS"] = saved
    return _run(args, out)


def _run(args, out):
    started = time.perf_counter()
    tf, description = harness.load_engine(args.engine)
    # Everything alive now (the engine's modules, a test runner's objects) moves to the permanent
    # generation: the harness's many gc.collect() calls then scan only what the workloads make.
    gc.collect()
    gc.freeze()
    try:
        return _run_suite(args, out, tf, description, started)
    finally:
        gc.unfreeze()


def _run_suite(args, out, tf, description, started):
    size = "tiny size (timings mean nothing)" if args.tiny else "full size"
    write(out, f"tfteach benchmark suite · engine: {description} · {size}")
    for line in harness.machine_facts():
        write(out, line)
    write(out, f"load average (1/5/15 min) at start: {harness.load_average()}")
    if harness.busy_note():
        write(out, harness.busy_note())
    write(out, "timing: perf_counter; engine and numpy alternate repeat by repeat (order swapped each "
               f"repeat) after a warm-up; medians; cyclic gc {'on' if args.gc else 'off'} in timed loops, "
               "objects alive before the suite frozen (gc.freeze)")
    write(out)
    write(out, HEADER)
    results, failed, memory_lines, w6 = [], [], [], None
    for wid in args.ids:
        workload = BY_ID[wid]
        p = workload.params(args.tiny, **args.overrides.get(wid, {}))
        if args.repeats:
            p["repeats"] = args.repeats
        try:
            if wid == "W6":
                result = run_w6(workload, tf, p, args, out)
                w6 = result
            else:
                result = run_paired(workload, tf, p, args, out)
                memory_lines += result.pop("memory_lines", [])
        except Exception as exc:  # report and go on with the other workloads
            failed.append(wid)
            write(out, f"{wid:3s} {workload.title:40s} FAILED: {type(exc).__name__}: {exc}")
            write(out, "".join(traceback.format_exc(limit=-8)).rstrip())
            results.append({"id": wid, "error": f"{type(exc).__name__}: {exc}"})
            continue
        result["params"] = dict(p)
        results.append(result)
        if not result["check"]["ok"]:
            failed.append(wid)
    if w6 is not None:
        write(out)
        write(out, "W6  graph building: n links of y = y*1.001 + 0.1, then tf.gradients(y, x)")
        print_w6(w6, out)
    if memory_lines:
        write(out)
        write(out, "memory: traced bytes (tracemalloc: Python objects and numpy arrays, not TensorFlow's "
                   "C++ buffers) after each step, the list of fetched losses dropped and gc.collect() "
                   "run after each step, after settling steps")
        for line in memory_lines:
            write(out, line)
    if args.profile:
        for r in results:
            if "profile" in r:
                write(out)
                write(out, f"profile of the engine side of {r['id']} ({r['title']}):")
                write(out, r["profile"])
    write(out)
    write(out, f"load average (1/5/15 min) at end: {harness.load_average()}; "
               f"total {time.perf_counter() - started:.1f} s")
    if harness.busy_note():
        write(out, harness.busy_note())
    if failed:
        write(out, f"FAILED or numbers differ: {', '.join(failed)}")
    else:
        write(out, "all workloads ran; engine and numpy reach the same numbers")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"engine": description, "tiny": args.tiny, "machine": harness.machine_facts(),
                       "results": results}, f, indent=1, default=_jsonable)
    return (1 if failed else 0), results


def _jsonable(value):
    try:
        import numpy as np
        if isinstance(value, np.generic):
            return value.item()
        if isinstance(value, np.ndarray):
            return value.tolist()
    except ImportError:
        pass
    return str(value)


def main(argv=None):
    return run(argv)[0]
