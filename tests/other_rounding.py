"""Another machine's rounding, emulated: an IPython startup file for the lesson tests.

A different CPU or BLAS library rounds long float computations differently: matrix products,
convolutions and long sums add in another order, and exp/log/tanh use other approximations.
This file nudges the result of every such kernel by -1, 0 or +1 ulp (deterministically, so
the same inputs give the same outputs, as on a real machine). Lesson outputs must not change:
a stored number that does depends on the machine that computed it.

Used by .ci/run: copied into a fresh IPYTHONDIR as profile_default/startup/, so every notebook
kernel runs it before the first cell.
"""
import functools

import numpy as np

from tfteach.registry import lookup

# kernels whose float results differ between machines
ROUNDING_OPS = ("MatMul", "BatchMatMul", "Conv2D", "Conv2DBackpropInput", "Conv2DBackpropFilter",
                "Exp", "Log", "Log1p", "Expm1", "Tanh", "Sigmoid", "Softmax", "LogSoftmax",
                "SoftmaxCrossEntropyWithLogits", "Pow", "Sqrt", "Rsqrt")
# sums: exact (the same everywhere) when they add whole numbers, e.g. a count of right answers
SUM_OPS = ("Sum", "Mean", "Prod", "L2Loss", "BiasAddGrad")


def _nudged(out):
    bits = out.view(np.uint32) * np.uint32(2654435761)  # a hash of the value picks the nudge
    step = (bits >> np.uint32(30)).astype(np.int64) % 3 - 1
    up, down = np.nextafter(out, np.float32(np.inf)), np.nextafter(out, np.float32(-np.inf))
    return np.where(step > 0, up, np.where(step < 0, down, out)).astype(np.float32)


def _changes(out, args, sums):
    if not (isinstance(out, np.ndarray) and out.dtype == np.float32 and out.size):
        return False
    arrays = [a for a in args if isinstance(a, np.ndarray)]
    if any(a.shape == out.shape and np.array_equal(a, out) for a in arrays):
        return False  # passed through unchanged (a sum over no axes)
    if sums and arrays and np.array_equal(arrays[0], np.round(arrays[0])):
        return False
    return True


def _wrap(kernel, sums):
    @functools.wraps(kernel)  # keeps the kernel's signature: the graph importer reads it
    def other_machine(*args, **kwargs):
        out = kernel(*args, **kwargs)
        outs = out if isinstance(out, (tuple, list)) else [out]
        outs = [_nudged(o) if _changes(o, args, sums) else o for o in outs]
        return type(out)(outs) if isinstance(out, (tuple, list)) else outs[0]
    return other_machine


for _type in ROUNDING_OPS + SUM_OPS:
    _d = lookup(_type)
    if _d is not None and _d.kernel is not None:
        _d.kernel = _wrap(_d.kernel, _type in SUM_OPS)
