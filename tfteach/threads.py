"""How many BLAS threads a heavy kernel (MatMul, Conv2D and its backprops) may use.

TensorFlow sizes its own thread pool (ConfigProto.intra_op_parallelism_threads); numpy hands
matrix products to OpenBLAS, whose threads spin against each other and against a shared
server's other processes. So tfteach decides, per kernel call:

- small and medium products (under PARALLEL_MIN_WORK multiply-adds) run on one thread: starting
  threads costs more than it saves, and on a busy machine one stalled thread stalls the product;
- big ones use the cores that are free: the CPUs this process may run on
  (os.sched_getaffinity) minus the other processes' load (os.getloadavg, sampled once a second);
- unless the user chose: a session's ConfigProto(intra_op_parallelism_threads=N), else the
  environment's TFTEACH_NUM_THREADS, is the count for big products (as TF sizes its pool by it);
- never more than OPENBLAS_NUM_THREADS / OMP_NUM_THREADS (what the BLAS started with) when set.

Switching costs one C call (about 1.5 µs), made only when the wanted count changes.
"""
import os
import time

# About 0.15 ms of work on one core; measured on the 2-core machine (docs/benchmarks.md):
# a 100x256 @ 256x256 float32 product (6.6 M multiply-adds) gains from 2 threads when the
# machine is quiet, a 100x784 @ 784x10 (0.8 M) does not.
PARALLEL_MIN_WORK = 4_000_000
LOAD_SAMPLE_SECONDS = 1.0

session_limit = 0        # the running session's intra_op_parallelism_threads (0: no limit)
_current = None          # what the BLAS is set to now (None: not touched yet)
_blas = None             # threadpoolctl's controllers for the loaded BLAS libraries
_load = (-1e9,)          # (time sampled, free cores, TFTEACH_NUM_THREADS, BLAS bound)


def _env_limit(name):
    value = os.environ.get(name, "").strip()
    try:
        return max(int(value), 0)
    except ValueError:
        return 0


def cpu_count():
    """CPUs this process may run on (a container or `taskset` may give fewer than the machine has)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def free_cores(cpus, load, ours):
    """Cores not used by other processes: `cpus` minus the load average less our own `ours`
    running threads (the load counts them too), at least 1."""
    others = max(load - ours, 0.0)
    return max(1, min(cpus, int(cpus - others + 0.5)))


def _sample():
    """(free cores, TFTEACH_NUM_THREADS, the BLAS variables' bound), read at most once a second:
    a kernel call then costs no system call and no environment lookup."""
    global _load
    now = time.monotonic()
    if now - _load[0] > LOAD_SAMPLE_SECONDS:
        try:
            load = os.getloadavg()[0]
        except OSError:
            load = 0.0
        bounds = [n for n in (_env_limit("OPENBLAS_NUM_THREADS"), _env_limit("OMP_NUM_THREADS")) if n]
        _load = (now, free_cores(cpu_count(), load, _current or 1), _env_limit("TFTEACH_NUM_THREADS"),
                 min(bounds) if bounds else 0)
    return _load[1:]


def wanted(work):
    """Threads for a product of `work` multiply-adds: 1 when small; else the count the user chose
    (a session's intra_op_parallelism_threads, else TFTEACH_NUM_THREADS: as TF uses its pool's
    size), else the free cores; never above OPENBLAS_NUM_THREADS / OMP_NUM_THREADS."""
    if work < PARALLEL_MIN_WORK:
        return 1
    free, env, bound = _sample()
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
    global _current
    if n != _current:
        for lib in _controllers():
            lib.set_num_threads(n)
        _current = n


def for_work(work):
    """Before a BLAS call of `work` multiply-adds: set the thread count the policy wants."""
    n = wanted(work)
    if n != _current:
        use(n)


def reset():
    """Forget the sampled load and environment and what the BLAS was set to (tests)."""
    global _current, _load
    _current, _load = None, (-1e9,)
