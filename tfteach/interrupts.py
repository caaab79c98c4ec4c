"""Ctrl-C held back while Session.run runs a step, then raised: a step is all or nothing.

TF1 runs a step in C++, where Python's KeyboardInterrupt cannot land, so an interrupted
training loop never has half of its variables updated; tfteach's kernels are Python, so the
SIGINT handler is swapped for one that only notes the signal until the step has finished.
"""
import _signal  # signal's C functions: signal.signal's IntEnum wrapping cost 17-26 µs a run
import signal
import threading

_SIGINT = int(signal.SIGINT)

_held = []       # the (signum, frame) of interrupts that arrived during the step
_depth = 0       # nested runs (a py_func calling run) install the handler once
_previous = None


def _hold(signum, frame):
    _held.append((signum, frame))


class DeferInterrupts:
    """`with DeferInterrupts(): ...` runs the block to its end, then raises a Ctrl-C it saw.

    Only in the main thread (the only one Python delivers signals to, and the only one allowed
    to set handlers); elsewhere, and when SIGINT has no Python handler, it does nothing.
    """

    __slots__ = ("active",)

    def __enter__(self):
        global _depth, _previous
        self.active = threading.current_thread() is threading.main_thread()
        if not self.active:
            return self
        if _depth == 0:
            handler = _signal.getsignal(_SIGINT)
            if not callable(handler):
                self.active = False
                return self
            _previous = handler
            _signal.signal(_SIGINT, _hold)
        _depth += 1
        return self

    def __exit__(self, *exc):
        global _depth
        if not self.active:
            return False
        _depth -= 1
        if _depth == 0:
            _signal.signal(_SIGINT, _previous)
            if _held:
                signum, frame = _held[-1]
                _held.clear()
                _previous(signum, frame)  # the default handler raises KeyboardInterrupt here
        return False
