"""Opening and reading files with TF's error classes: what a missing file or a directory raises.

Mirrors tensorflow/core/platform/errors' errno mapping (ENOENT: NotFound; EISDIR, ENOTDIR:
FailedPrecondition; EACCES: PermissionDenied), with TF's `<path>; <reason>` wording.
"""
import errno
import os

from .errors import (FailedPreconditionError, NotFoundError, PermissionDeniedError,
                     ResourceExhaustedError, UnknownError)

_CLASSES = {errno.ENOENT: NotFoundError, errno.EISDIR: FailedPreconditionError,
            errno.ENOTDIR: FailedPreconditionError, errno.EACCES: PermissionDeniedError,
            errno.EPERM: PermissionDeniedError}


def tf_error(path, error):
    """The TF error for an OSError met on `path` (e.g. `FailedPreconditionError: m.meta; Is a directory`)."""
    cls = _CLASSES.get(error.errno, UnknownError)
    return cls(None, None, f"{path}; {error.strerror or error}")


def open_file(path):
    """`open(path, 'rb')`, failing with TF's error class; a directory fails here, not at read."""
    try:
        f = open(path, "rb")
    except OSError as e:
        raise tf_error(path, e) from None
    if not os.path.isfile(path):  # a FIFO or device: its "size" means nothing
        f.close()
        raise FailedPreconditionError(None, None, f"{path}; not a regular file")
    return f


def read_file(path, cap=None, what="file"):
    """The bytes of `path`, refusing files over `cap` bytes (default: the memory available)."""
    with open_file(path) as f:
        size = os.fstat(f.fileno()).st_size
        limit = cap if cap is not None else _memory_limit()
        if size > limit:
            raise ResourceExhaustedError(None, None, f"{path}: the {what} has {size} bytes, more than the "
                                         f"{limit} tfteach will read into memory")
        try:
            return f.read()
        except OSError as e:
            raise tf_error(path, e) from None


def _memory_limit():
    from .limits import memory_available
    return memory_available()
