"""Paired timing of an engine against numpy, the numbers check, memory growth, profiles, and
the machine facts printed above the table.

Nothing here imports tfteach: with `--engine tensorflow` the suite runs on real
`tensorflow.compat.v1` in an interpreter that may not have tfteach at all.
"""
import gc
import io
import os
import platform
import statistics
import time
import tracemalloc

import numpy as np

ENGINES = ("tfteach", "tensorflow")


def load_engine(name):
    """(tf module, description) for an engine name: tfteach, or TensorFlow's compat.v1 with v2
    behaviour disabled (the TF1 graph API as today's TensorFlow serves it)."""
    if name == "tfteach":
        import tfteach as tf
        return tf, f"tfteach {tf.__version__} ({os.path.dirname(tf.__file__)})"
    if name == "tensorflow":
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
        import tensorflow
        import tensorflow.compat.v1 as tf
        tf.disable_v2_behavior()
        tf.logging.set_verbosity(tf.logging.ERROR)
        return tf, (f"tensorflow {tensorflow.__version__} (tf.compat.v1, v2 behaviour disabled, "
                    f"default session threads)")
    raise ValueError(f"unknown engine {name!r}; choose one of {', '.join(ENGINES)}")


# ---------------------------------------------------------------------------------------------
# The machine

def blas_info():
    """One line about the BLAS numpy calls: threadpoolctl's view when it is installed (the kernel
    actually chosen at run time), else 'unknown' plus what numpy was built against."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        runtime = "unknown (threadpoolctl not installed)"
    else:
        libs = [i for i in threadpool_info() if i.get("user_api") == "blas"]
        runtime = "; ".join(
            f"{i.get('internal_api')} {i.get('version')} kernel {i.get('architecture', '?')}, "
            f"{i.get('num_threads')} threads" for i in libs) or "unknown (no BLAS found)"
    try:
        built = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        build = f"{built.get('name')} {built.get('version')}"
    except Exception:  # older numpy, or a build without that section
        build = "unknown"
    return f"{runtime} (numpy built with {build})"


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def load_average():
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except (AttributeError, OSError):
        return "unknown"


def busy_note():
    """A warning when other processes keep the machine busy (1-minute load above half the cores),
    else ''."""
    try:
        load, cores = os.getloadavg()[0], os.cpu_count() or 1
    except (AttributeError, OSError):
        return ""
    if load > cores / 2:
        return (f"note: the machine is busy (load {load:.2f} on {cores} cores): medians hold up, but min/max "
                f"and BLAS-bound figures (numpy's threaded BLAS stalls when a core is taken) do not")
    return ""


def machine_facts():
    env = ", ".join(f"{k}={os.environ[k]!r}" if k in os.environ else f"{k} unset"
                    for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"))
    return [
        f"python {platform.python_version()} · numpy {np.__version__} · {os.cpu_count()} cores ({cpu_model()})",
        f"BLAS: {blas_info()}",
        f"env: {env}",
    ]


# ---------------------------------------------------------------------------------------------
# One side of a pair

class Side:
    """One side of a pair (the engine or numpy) of one workload.

    run(steps) is the timed loop; reset() (untimed) restores the starting state, so every
    repeat computes the same numbers; result() (untimed) gives {name: array} to compare with
    the other side; close() frees the session; forget() drops what run() keeps per step (the
    list of fetched losses), so that the memory pass sees only what the engine itself keeps."""

    def __init__(self, run, reset=None, result=None, close=None, forget=None):
        self.run = run
        self.reset = reset or (lambda: None)
        self.result = result or (lambda: {})
        self.close = close or (lambda: None)
        self.forget = forget or (lambda: None)


def time_run(side, steps, keep_gc=False):
    """Seconds for side.run(steps), after an untimed reset and a full collection; the cyclic
    collector is off during the loop unless keep_gc."""
    side.reset()
    gc.collect()
    was_enabled = gc.isenabled()
    if not keep_gc:
        gc.disable()
    try:
        start = time.perf_counter()
        side.run(steps)
        return time.perf_counter() - start
    finally:
        if was_enabled:
            gc.enable()


def compare(engine, reference, rtol, atol):
    """(ok, worst relative difference, the name where it is) between two {name: values} dicts;
    `ok` is np.allclose(engine, reference, rtol, atol) for every name."""
    ok, worst, where = True, 0.0, None
    if set(engine) != set(reference):
        return False, float("inf"), f"names differ: {sorted(engine)} vs {sorted(reference)}"
    for name in sorted(reference):
        a = np.asarray(engine[name], dtype=np.float64)
        b = np.asarray(reference[name], dtype=np.float64)
        if a.shape != b.shape:
            return False, float("inf"), f"{name}: shape {a.shape} vs {b.shape}"
        if not (np.all(np.isfinite(a)) and np.all(np.isfinite(b))):
            ok, rel = False, float("inf")  # a NaN or inf on either side is never "the same numbers"
        else:
            ok = ok and bool(np.allclose(a, b, rtol=rtol, atol=atol))
            rel = float(np.max(np.abs(a - b) / np.maximum(np.abs(b), atol))) if a.size else 0.0
        if rel >= worst:
            worst, where = rel, name
    return ok, worst, where


def paired(engine, reference, steps, repeats, warmup, tolerance, keep_gc=False):
    """Time the two sides alternately, repeat by repeat (the order swaps every repeat so that
    neither side always runs first), and compare their numbers after every repeat.

    Returns a dict: per-repeat seconds per step for each side, the paired ratios
    engine/numpy, and the worst comparison."""
    if warmup:
        time_run(engine, warmup, keep_gc)
        time_run(reference, warmup, keep_gc)
    engine_s, numpy_s, ratios = [], [], []
    check = {"ok": True, "worst": 0.0, "where": None}
    for r in range(repeats):
        if r % 2 == 0:
            t_engine = time_run(engine, steps, keep_gc)
            t_numpy = time_run(reference, steps, keep_gc)
        else:
            t_numpy = time_run(reference, steps, keep_gc)
            t_engine = time_run(engine, steps, keep_gc)
        engine_s.append(t_engine / steps)
        numpy_s.append(t_numpy / steps)
        ratios.append(t_engine / t_numpy)
        ok, worst, where = compare(engine.result(), reference.result(), **tolerance)
        check["ok"] = check["ok"] and ok
        if worst >= check["worst"]:
            check["worst"], check["where"] = worst, where
    return {
        "numpy_per_step": statistics.median(numpy_s),
        "engine_per_step": statistics.median(engine_s),
        "ratio_median": statistics.median(ratios),
        "ratio_min": min(ratios),
        "ratio_max": max(ratios),
        "numpy_samples": numpy_s,
        "engine_samples": engine_s,
        "ratios": ratios,
        "check": check,
    }


# ---------------------------------------------------------------------------------------------
# Memory and profiles

def memory_growth(side, steps, settle=0):
    """Traced Python/numpy heap (tracemalloc) after each of `steps` single steps, each followed
    by side.forget() and a full collection. Before them: one untimed step, then `settle` traced
    steps (numpy keeps a cache of small freed blocks that fills over the first steps: under
    tracemalloc it looks like growth that then stops). Returns (bytes after each step, objects
    the collector freed after each step). Memory that the engine allocates outside Python's
    allocators (TensorFlow's C++ tensors) is not traced."""
    side.reset()
    side.run(1)
    side.forget()
    sizes = np.zeros(steps, np.int64)  # preallocated: recording adds nothing to the traced heap
    garbage = np.zeros(steps, np.int64)
    gc.collect()
    tracemalloc.start()
    try:
        for _ in range(settle):
            side.run(1)
            side.forget()
            gc.collect()
        for i in range(steps):
            side.run(1)
            side.forget()
            garbage[i] = gc.collect()
            sizes[i] = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    return sizes.tolist(), garbage.tolist()


def describe_memory(sizes, garbage, settle=0):
    if len(sizes) < 2:
        return "too few steps to tell"
    per_step = (sizes[-1] - sizes[0]) / (len(sizes) - 1)
    deltas = [b - a for a, b in zip(sizes, sizes[1:])]
    shown = deltas[-10:]
    return (f"{per_step:+.0f} B/step over steps {settle + 2}-{settle + len(sizes) + 1} "
            f"(traced {sizes[0] / 1024:.1f} -> {sizes[-1] / 1024:.1f} KiB; last step-over-step deltas "
            f"{', '.join(f'{d:+d}' for d in shown)} B; "
            f"cyclic garbage {statistics.median(garbage):.0f} objects/step)")


def profile_text(fn, top=10):
    """Run fn() under cProfile; the top functions by cumulative and by own time, as text."""
    import cProfile
    import pstats
    profiler = cProfile.Profile()
    gc.collect()
    profiler.enable()
    fn()
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs()
    for key, label in (("cumulative", "cumulative time"), ("tottime", "own time")):
        out.write(f"--- top {top} by {label}\n")
        stats.sort_stats(key).print_stats(top)
    return _trim_pstats(out.getvalue())


def _trim_pstats(text):
    keep = []
    for line in text.splitlines():
        if line.strip().startswith(("Ordered by", "List reduced")) or not line.strip():
            continue
        keep.append(line)
    return "\n".join(keep)


# ---------------------------------------------------------------------------------------------
# Formatting

def fmt_time(seconds):
    us = seconds * 1e6
    if us < 1000:
        return f"{us:.1f} µs" if us < 100 else f"{us:.0f} µs"
    if us < 1e6:
        return f"{us / 1000:.2f} ms"
    return f"{seconds:.2f} s"


def fmt_ratio(x):
    return f"{x:.2f}x" if x < 10 else f"{x:.1f}x"


def write(out, text=""):
    out.write(text + "\n")
    out.flush()


def log_log_slope(ns, ts):
    """The exponent k of t ~ n**k fitted to the points (1 = linear growth)."""
    if len(ns) < 2 or any(t <= 0 for t in ts):
        return float("nan")
    return float(np.polyfit(np.log(ns), np.log(ts), 1)[0])
