"""glibc's malloc kept from handing numpy's temporaries back to the kernel each step (Linux).

A training step allocates and frees arrays of 0.1-16 MB over and over. glibc serves a block
above its mmap threshold (128 KB at start, raised to the size of the biggest block freed so far)
with fresh pages from the kernel, and gives the top of its heap back when more than twice that
is free; the next step then faults every page in again, one page at a time. Measured on the
2-core machine: the histogram MLP of benchmarks/programs.py, 5 epochs, made 1.08 M page faults
and spent 3.6 s of its 9.4 s in the kernel; with the two settings below, 3,800 faults and 4.3 s,
at the same peak RSS (76 MB). They are what glibc itself reaches once a 16 MB block has been
freed (its own ceiling is 32 MB and 64 MB); here they hold from the start.

TFTEACH_MALLOC=system leaves malloc as it is. Other C libraries (musl, macOS) are left alone.
"""
import ctypes
import os
import sys

M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3   # glibc's malloc.h
MMAP_ABOVE = 16 << 20     # blocks of at least 16 MB come from mmap and go back when freed
KEEP_FREE = 32 << 20      # up to 32 MB free at the top of the heap stay for the next step


def tune():
    """Set the two thresholds (glibc only); True when they were set."""
    if os.environ.get("TFTEACH_MALLOC", "").strip().lower() == "system" or not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None)
        libc.gnu_get_libc_version  # noqa: B018 - present in glibc only
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return False
    return bool(mallopt(M_MMAP_THRESHOLD, MMAP_ABOVE)) and bool(mallopt(M_TRIM_THRESHOLD, KEEP_FREE))


tuned = tune()
