"""How much memory a tensor may take: checked before numpy allocates, as TF's allocator does.

Mirrors the ResourceExhaustedError of tensorflow/core/framework/allocator ("OOM when
allocating tensor with shape[...]"). The limit is MemAvailable in /proc/meminfo, or the
cgroup's memory limit when that is lower; where neither can be read, nothing is checked.
"""
import math
import os

from .errors import ResourceExhaustedError

_UNLIMITED = 1 << 62


def memory_available():
    """Bytes a new allocation can still get: MemAvailable, or the cgroup limit if lower."""
    limits = [_meminfo_available(), _cgroup_left(), _address_space_limit()]
    known = [x for x in limits if x is not None]
    return min(known) if known else _UNLIMITED


def _meminfo_available():
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def _cgroup_left():
    for limit_path, usage_path in (("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory.current"),
                                   ("/sys/fs/cgroup/memory/memory.limit_in_bytes",
                                    "/sys/fs/cgroup/memory/memory.usage_in_bytes")):
        try:
            with open(limit_path) as f:
                limit = f.read().strip()
            with open(usage_path) as f:
                usage = int(f.read().strip())
        except (OSError, ValueError):
            continue
        if limit.isdigit() and int(limit) < _UNLIMITED:
            return max(int(limit) - usage, 0)
    return None


def _address_space_limit():
    """What RLIMIT_AS (`ulimit -v`) leaves of this process's address space."""
    try:
        import resource
        soft, _ = resource.getrlimit(resource.RLIMIT_AS)
    except (ImportError, OSError, ValueError):
        return None
    if soft == resource.RLIM_INFINITY:
        return None
    try:
        with open("/proc/self/status") as f:
            used = next(int(line.split()[1]) * 1024 for line in f if line.startswith("VmSize:"))
    except (OSError, ValueError, StopIteration):
        used = 0
    return max(soft - used, 0)


def num_elements(shape):
    return math.prod(int(d) for d in shape)


def check_allocation(shape, dtype, op=None, what=None):
    """Raise TF's OOM error if a tensor of `shape` and `dtype` cannot fit in the memory left.

    `op` (an Operation) or `what` (text) names who asked for it. Cheap: called only by the ops
    that make a tensor from a shape given as a value (Fill, random ops, Tile, broadcasts).
    """
    shape = [int(d) for d in shape]
    itemsize = getattr(dtype, "itemsize", None) or 8
    nbytes = num_elements(shape) * itemsize
    if nbytes < (64 << 20):
        return  # small: not worth reading /proc
    if nbytes > memory_available():
        name = getattr(dtype, "name", str(dtype))
        name = {"float32": "float", "float64": "double"}.get(name, name)
        where = f" for {op.type} '{op.name}'" if op is not None else (f" for {what}" if what else "")
        raise ResourceExhaustedError(None, op, f"OOM when allocating tensor with shape[{','.join(map(str, shape))}] "
                                     f"and type {name} on /job:localhost/replica:0/task:0/device:CPU:0 by "
                                     f"allocator cpu{where} ({nbytes} bytes; {memory_available()} available)")
