"""tf.logging: TF1's logging functions on Python's `logging`, through a logger named "tensorflow".

Mirrors tensorflow/python/platform/tf_logging.py (TF 1.15): the levels are Python's numbers
(DEBUG 10, INFO 20, WARN 30, ERROR 40, FATAL 50); `tf.logging.set_verbosity(tf.logging.INFO)`
sets the level of the "tensorflow" logger, so `logging.getLogger("tensorflow")` sees the same.
"""
import logging as _logging
import sys as _sys
import threading as _threading

DEBUG = _logging.DEBUG
INFO = _logging.INFO
WARN = _logging.WARN
ERROR = _logging.ERROR
FATAL = _logging.FATAL

__all__ = ["DEBUG", "INFO", "WARN", "ERROR", "FATAL", "debug", "info", "warn", "warning", "error",
           "fatal", "log", "log_if", "log_every_n", "log_first_n", "vlog", "flush",
           "get_verbosity", "set_verbosity", "TaskLevelStatusMessage"]

_logger = None
_logger_lock = _threading.Lock()


def get_logger():
    """The "tensorflow" logger. As TF's, it gets its own handler (Python's basic format,
    `INFO:tensorflow:message`) only when the root logger has none, on stdout in an interactive
    session and on stderr otherwise."""
    global _logger
    with _logger_lock:
        if _logger is None:
            logger = _logging.getLogger("tensorflow")
            if not _logging.getLogger().handlers:
                interactive = hasattr(_sys, "ps1") or bool(_sys.flags.interactive)
                handler = _logging.StreamHandler(_sys.stdout if interactive else _sys.stderr)
                handler.setFormatter(_logging.Formatter(_logging.BASIC_FORMAT, None))
                logger.addHandler(handler)
            _logger = logger
    return _logger


def log(level, msg, *args, **kwargs):
    get_logger().log(level, msg, *args, **kwargs)


def debug(msg, *args, **kwargs):
    get_logger().debug(msg, *args, **kwargs)


def info(msg, *args, **kwargs):
    get_logger().info(msg, *args, **kwargs)


def warn(msg, *args, **kwargs):
    get_logger().warning(msg, *args, **kwargs)


def warning(msg, *args, **kwargs):
    get_logger().warning(msg, *args, **kwargs)


def error(msg, *args, **kwargs):
    get_logger().error(msg, *args, **kwargs)


def fatal(msg, *args, **kwargs):
    """Logs at FATAL (50, Python's CRITICAL); as TF's, it does not stop the program."""
    get_logger().fatal(msg, *args, **kwargs)


def vlog(level, msg, *args, **kwargs):
    get_logger().log(level, msg, *args, **kwargs)


def log_if(level, msg, condition, *args):
    """Log `msg % args` at `level` when `condition` holds."""
    if condition:
        vlog(level, msg, *args)


_log_counter_per_token = {}


def _next_count(token):
    """0 the first time `token` (a caller's file and line) is seen, then 1, 2, ..."""
    _log_counter_per_token[token] = 1 + _log_counter_per_token.get(token, -1)
    return _log_counter_per_token[token]


def _get_caller(offset=3):
    """TF's own lookup, quirk included: frame `offset` is the code that called log_every_n (or
    log_first_n); the result is the first frame further out that is in *another file* (None at
    the top). So every call made from one file shares one counter, as in TF."""
    f = _sys._getframe(offset)
    our_file = f.f_code.co_filename
    f = f.f_back
    while f:
        if f.f_code.co_filename != our_file:
            return f.f_code, f
        f = f.f_back
    return None, None


def _file_and_line():
    """The counter's key: (file, line) of the frame _get_caller finds."""
    code, f = _get_caller()
    if not code:
        return ("<unknown>", 0)
    return (code.co_filename, f.f_lineno)


def log_every_n(level, msg, n, *args):
    """Log at `level` on the 1st, (n+1)th, (2n+1)th, ... call (counted as TF counts: one counter
    per calling file, see _get_caller)."""
    count = _next_count(_file_and_line())
    log_if(level, msg, not (count % n), *args)


def log_first_n(level, msg, n, *args):  # noqa: D401 - TF's name
    """Log at `level` only on the first `n` calls (one counter per calling file, as TF's)."""
    count = _next_count(_file_and_line())
    log_if(level, msg, count < n, *args)


def flush():
    """TF's flush does nothing: Python's handlers write as they go."""


def TaskLevelStatusMessage(msg):  # noqa: N802 - TensorFlow's name
    error(msg)


def get_verbosity():
    """The effective level of the "tensorflow" logger (30, WARN, until set)."""
    return get_logger().getEffectiveLevel()


def set_verbosity(v):
    """Show messages at level `v` and above, e.g. `tf.logging.set_verbosity(tf.logging.INFO)`."""
    get_logger().setLevel(v)
