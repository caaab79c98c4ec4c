"""How many BLAS threads a heavy kernel (MatMul, Conv2D and its backprops) may use.

TensorFlow sizes its own thread pool (ConfigProto.intra_op_parallelism_threads); numpy hands
matrix products to OpenBLAS, whose threads spin against each other and against a shared
server's other processes. So tfteach decides, per kernel call:

- small and medium products (under PARALLEL_MIN_WORK multiply-adds) run on one thread: starting
  threads costs more than it saves, and on a busy machine one stalled thread stalls the product;
- big ones use the cores that are free: the CPUs this process may run on (its affinity mask,
  and a container's CPU quota) minus what the other processes used over the last half second
  (/proc/stat less our own CPU time). Not the load average: it trails the machine by a minute,
  so a class starting its kernels together would all see an idle server and all spin;
- until the first half second has been measured, one thread (a busy server is the usual case);
- unless the user chose: a session's ConfigProto(intra_op_parallelism_threads=N), else the
  environment's TFTEACH_NUM_THREADS, is the count for big products (as TF sizes its pool by it);
- never more than OPENBLAS_NUM_THREADS / OMP_NUM_THREADS (what the BLAS started with) when set.

Session.run hands the BLAS back with the count it had before (`restore`), so a learner's own
numpy code between runs is not changed by tfteach. Switching costs one C call (about 1.5 µs),
made only when the wanted count changes.
"""
import math
import os
import time

import numpy as np

# About 0.15 ms of work on one core; measured on the 2-core machine (docs/benchmarks.md):
# a 100x256 @ 256x256 float32 product (6.6 M multiply-adds) gains from 2 threads when the
# machine is quiet, a 100x784 @ 784x10 (0.8 M) does not.
PARALLEL_MIN_WORK = 4_000_000
SAMPLE_SECONDS = 0.5
_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
# Where a container's CPU quota is: cgroup v2's "quota period" file, v1's two files.
QUOTA_FILES = (("/sys/fs/cgroup/cpu.max", None),
               ("/sys/fs/cgroup/cpu/cpu.cfs_quota_us", "/sys/fs/cgroup/cpu/cpu.cfs_period_us"))

session_limit = 0        # the running session's intra_op_parallelism_threads (0: no limit)
_current = None          # what tfteach set the BLAS to (None: not touched since the last restore)
_original = None         # the BLAS's own counts before tfteach changed them in this run
_blas = None             # threadpoolctl's controllers for the loaded BLAS libraries
_sample = None           # (monotonic time, busy seconds of our CPUs, our CPU seconds) of the last sample
_state = (1, 0, 0)       # (free cores, TFTEACH_NUM_THREADS, BLAS bound) as of the last sample


def _env_limit(name):
    value = os.environ.get(name, "").strip()
    try:
        return max(int(value), 0)
    except ValueError:
        return 0


def _affinity():
    try:
        return sorted(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return list(range(os.cpu_count() or 1))


def _quota():
    """A container's CPU quota in cores (cgroup v2 cpu.max or v1 cfs_quota_us), or None."""
    for path, period_path in QUOTA_FILES:
        try:
            with open(path) as f:
                fields = f.read().split()
            if period_path:
                with open(period_path) as f:
                    fields.append(f.read().strip())
            quota, period = fields[0], fields[1]
            if quota in ("max", "-1"):
                return None
            return max(1, math.ceil(int(quota) / int(period)))
        except (OSError, ValueError, IndexError):
            continue
    return None


def cpu_count():
    """CPUs this process may use: its affinity mask (`taskset`, a cpuset), at most a container's
    CPU quota (a JupyterHub pod limited to 1 CPU on a 64-core host may use one)."""
    cpus, quota = len(_affinity()), _quota()
    return min(cpus, quota) if quota else cpus


def _busy_seconds(cpus):
    """Seconds the CPUs in `cpus` have spent busy since boot (all processes; steal included, a
    core the hypervisor gives away is not free), from /proc/stat; None where there is none."""
    try:
        with open("/proc/stat") as f:
            lines = f.read().splitlines()
    except OSError:
        return None
    wanted, busy = {f"cpu{i}" for i in cpus}, 0
    for line in lines:
        fields = line.split()
        if fields and fields[0] in wanted:
            user, nice, system, _idle, _iowait, irq, softirq, steal = (int(v) for v in fields[1:9])
            busy += user + nice + system + irq + softirq + steal
    return busy / _TICKS


def free_cores(cpus, others):
    """Cores not used by other processes: `cpus` minus `others` (cores' worth busy), at least 1."""
    return max(1, min(cpus, int(cpus - others + 0.5)))


def _measure():
    """Refresh (free cores, TFTEACH_NUM_THREADS, the BLAS variables' bound) at most every
    SAMPLE_SECONDS: a kernel call between samples costs no system call and no environment lookup."""
    global _sample, _state
    now = time.monotonic()
    if _sample is not None and now - _sample[0] < SAMPLE_SECONDS:
        return _state
    affinity, ours = _affinity(), time.process_time()
    busy = _busy_seconds(affinity)
    cpus = cpu_count()
    if busy is None:  # no /proc: the load average, less our own threads
        try:
            others = max(os.getloadavg()[0] - (_current or 1), 0.0)
        except OSError:
            others = 0.0
        free = free_cores(cpus, others)
    elif _sample is None:
        free = 1  # nothing measured yet: assume the server is busy for the first half second
    else:
        elapsed = now - _sample[0]
        others = max((busy - _sample[1]) - (ours - _sample[2]), 0.0) / elapsed
        free = free_cores(cpus, others)
    bounds = [n for n in (_env_limit("OPENBLAS_NUM_THREADS"), _env_limit("OMP_NUM_THREADS")) if n]
    _sample = (now, busy, ours)
    _state = (free, _env_limit("TFTEACH_NUM_THREADS"), min(bounds) if bounds else 0)
    return _state


def wanted(work):
    """Threads for a product of `work` multiply-adds: 1 when small; else the count the user chose
    (a session's intra_op_parallelism_threads, else TFTEACH_NUM_THREADS: as TF uses its pool's
    size), else the free cores; never above OPENBLAS_NUM_THREADS / OMP_NUM_THREADS."""
    if work < PARALLEL_MIN_WORK:
        return 1
    free, env, bound = _measure()
    n = session_limit or env or free
    return min(n, bound) if bound else n


def _controllers():
    global _blas
    if _blas is None:
        try:
            from threadpoolctl import ThreadpoolController
            _blas = ThreadpoolController().select(user_api="blas").lib_controllers
        except Exception:  # noqa: BLE001 - no threadpoolctl, or a BLAS it cannot drive: leave the BLAS be
            _blas = []
    return _blas


def use(n):
    """Set the BLAS to `n` threads, if that is not what it has now."""
    global _current, _original
    if n != _current:
        libs = _controllers()
        if _current is None and libs:  # first change since the last restore: what the BLAS has now
            _original = [lib.get_num_threads() for lib in libs]
        for lib in libs:
            lib.set_num_threads(n)
        _current = n


def for_work(work):
    """Before a BLAS call of `work` multiply-adds: set the thread count the policy wants."""
    n = wanted(work)
    if n != _current:
        use(n)


def matmul(x, y, out=None):
    """x @ y (2-D) with the BLAS on the threads the policy gives the product's size.

    Not split over threads of our own: on the 2-core machine, halves of a product on a second
    Python thread (and independent products run side by side) made the GAN no faster than
    OpenBLAS's threads, because the main thread stays busy with everything else of a step
    (Adam, the elementwise ops: 3.1 of its 8.4 ms on one thread). docs/benchmarks.md, "Fourth pass"."""
    for_work(x.shape[0] * x.shape[1] * y.shape[1])
    return np.matmul(x, y, out=out)


def restore():
    """After a run: give the BLAS back the thread count it had before tfteach changed it."""
    global _current
    if _current is not None and _original is not None:
        for lib, n in zip(_controllers(), _original):
            if n != _current:
                lib.set_num_threads(n)
    _current = None


def reset():
    """Forget the samples, the environment and what the BLAS was set to (tests)."""
    global _current, _original, _sample, _state
    _current, _original, _sample, _state = None, None, None, (1, 0, 0)
