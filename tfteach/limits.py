"""How much memory a tensor may take: checked before numpy allocates, as TF's allocator does.

Mirrors the ResourceExhaustedError of tensorflow/core/framework/allocator ("OOM when
allocating tensor with shape[...]"). The limit is MemAvailable in /proc/meminfo, or the
cgroup's memory limit when that is lower; where neither can be read, nothing is checked.
"""
import math
import os

import numpy as np

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


class AllocationTooBig(MemoryError):
    """A tensor refused before numpy allocates it; carries `shape` and `dtype` as numpy's own does."""

    def __init__(self, shape, dtype, nbytes, available):
        super().__init__(f"{nbytes} bytes wanted, {available} available")
        self.shape, self.dtype = tuple(shape), dtype


def check_allocation(shape, dtype, named=None):
    """Raise AllocationTooBig if a tensor of `shape` and numpy `dtype` cannot fit in the memory left
    (`named`: the dtype the error names, when the kernel allocates wider than what it returns).

    Called by the kernels that make a tensor from a shape given as a value (Fill, the random
    ops), where numpy's lazily zeroed pages would otherwise let the OS kill the process later.
    """
    nbytes = num_elements(shape) * np.dtype(dtype).itemsize
    if nbytes < (64 << 20):
        return  # small: not worth reading /proc
    available = memory_available()
    if nbytes > available:
        raise AllocationTooBig(shape, np.dtype(named or dtype), nbytes, available)


_TF_TYPE_NAMES = {"float32": "float", "float64": "double", "object": "string"}


def oom_error(error, op=None, what=None):
    """TF's ResourceExhaustedError for a MemoryError (ours or numpy's), naming the op or the thing made."""
    shape, dtype = getattr(error, "shape", None), getattr(error, "dtype", None)
    name = _TF_TYPE_NAMES.get(str(dtype), str(dtype))
    text = "OOM when allocating tensor" if shape is None else \
        f"OOM when allocating tensor with shape[{','.join(str(int(d)) for d in shape)}] and type {name}"
    text += " on /job:localhost/replica:0/task:0/device:CPU:0 by allocator cpu"
    if op is not None:
        text = f"{op.type} '{op.name}': {text} ({error})\n\t [[node {op.name}]]"
    elif what:
        text = f"{what}: {text} ({error})"
    return ResourceExhaustedError(None, op, text)
