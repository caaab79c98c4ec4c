"""Convolution and pooling ops: Conv2D and its two backprops, MaxPool, AvgPool and their gradients.

Mirrors tensorflow/python/ops/nn_ops.py (conv2d, max_pool, avg_pool) and their rules in nn_grad.py.
Images are NHWC (batch, height, width, channels); filters are (height, width, in, out channels).
No Python loop visits a pixel. A convolution copies the windows into a matrix, one row per
output pixel (im2col), a few images at a time, and makes one BLAS product of each slice
(ops/conv_kernels.py); a pooling is one max or sum of a strided view of the windows (numpy's
sliding_window_view), or, when the windows tile the image, of kh*kw strided slices.
"""
import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from ..graph import convert_to_tensor, graph_of
from ..registry import FRESH, PURE, RegisterGradient, apply_op, kernel, shape_rule
from .array import _partial_shape
from .math import FLOATS, check_dtype
from .shapes import fmt, shape_of
from . import array as array_ops
from . import conv_kernels


# ---- geometry shared by every op ------------------------------------------------------
def _out_and_pads(size, k, stride, padding):
    """Output size and (before, after) padding along one spatial axis, by TensorFlow's rule.

    VALID keeps only the windows that fit: out = ceil((size - k + 1) / stride), no padding.
    SAME gives out = ceil(size / stride) and pads just enough for that; an odd amount puts the
    extra row (column) at the bottom (right), which is where hand-written references go wrong.
    `size` may be None (unknown while building): then so is the output size.
    """
    if size is None:
        return None, None
    if padding == "VALID":
        return -(-(size - k + 1) // stride), (0, 0)
    out = -(-size // stride)
    total = max((out - 1) * stride + k - size, 0)
    return out, (total // 2, total - total // 2)


def _geometry(what, shape, ksize, strides, padding):
    """(out_h, out_w, pads_h, pads_w) for an NHWC `shape`; a window larger than a VALID image is an
    error naming `what` (the op), as TF's 'Computed output size would be negative'."""
    oh, ph = _out_and_pads(shape[1], ksize[0], strides[1], padding)
    ow, pw = _out_and_pads(shape[2], ksize[1], strides[2], padding)
    for out, size, k, s in ((oh, shape[1], ksize[0], strides[1]), (ow, shape[2], ksize[1], strides[2])):
        if out is not None and out <= 0 and size > 0:
            raise ValueError(f"{what}: a {ksize[0]}x{ksize[1]} window does not fit an input of shape "
                             f"{fmt(shape)} with padding VALID; use padding='SAME' or a smaller window "
                             f"(computed output size would be {out - 1} [input_size: {size}, "
                             f"effective_filter_size: {k}, stride: {s}])")
    return oh, ow, ph, pw


def _windows(xp, kh, kw, sh, sw, oh, ow):
    """A (N, oh, ow, C, kh, kw) view of padded xp: [n, i, j] is xp[n, i*sh:i*sh+kh, j*sw:j*sw+kw, :]."""
    return sliding_window_view(xp, (kh, kw), axis=(1, 2))[:, ::sh, ::sw][:, :oh, :ow]


def _spread(dy, kh, kw, sh, sw, hp, wp):
    """The output gradient placed back on the padded input's grid, ready for a stride-1 window sum.

    dy[:, i, j] goes to row kh-1 + i*sh, column kw-1 + j*sw of a zero array of shape
    (N, hp+kh-1, wp+kw-1, C): every (kh, kw) window of it then collects exactly the outputs whose
    window covered that input pixel. This is why a convolution's input gradient is a
    convolution of the (stride-dilated) output gradient with the flipped filter.
    """
    n, oh, ow, c = dy.shape
    out = np.zeros((n, hp + kh - 1, wp + kw - 1, c), dy.dtype)
    out[:, kh - 1:kh - 1 + (oh - 1) * sh + 1:sh, kw - 1:kw - 1 + (ow - 1) * sw + 1:sw] = dy
    return out


def _crop(xp, shape, ph, pw):
    return xp[:, ph[0]:ph[0] + shape[1], pw[0]:pw[0] + shape[2]]


def _check_format(what, data_format):
    if data_format != "NHWC":
        raise ValueError(f"{what}: only data_format='NHWC' (batch, height, width, channels) is supported, "
                         f"got {data_format!r}; TensorFlow's CPU kernels have the same limit.")


def _four(what, arg, value):
    """strides/ksize as TF1 accepts them (an int, or a list of 1, 2 or 4) -> [1, h, w, 1]."""
    values = [value] if isinstance(value, (int, np.integer)) else list(value)
    if len(values) == 1:
        values = [1, values[0], values[0], 1]
    elif len(values) == 2:
        values = [1, values[0], values[1], 1]
    if len(values) != 4 or not all(isinstance(v, (int, np.integer)) and v > 0 for v in values):
        raise ValueError(f"{what}: {arg} must be a positive int or a list of 1, 2 or 4 of them, got {value!r}")
    if values[0] != 1 or values[3] != 1:
        raise ValueError(f"{what}: {arg} must be 1 in the batch and channel dimensions ([1, h, w, 1]), "
                         f"got {list(value)}")
    return [int(v) for v in values]


def _check_padding(what, padding):
    if padding not in ("SAME", "VALID"):
        raise ValueError(f"{what}: padding must be 'SAME' or 'VALID' (upper case), got {padding!r}")
    return padding


def _rank4(op, t, arg):
    s = shape_of(t)
    if s is not None and len(s) != 4:
        raise ValueError(f"{op.type} '{op.name}': {arg} must be rank 4 (NHWC: batch, height, width, "
                         f"channels), got shape {fmt(s)}")
    return (None,) * 4 if s is None else s


def _sizes_shape(t):
    """The 4-D shape a shape-vector input (input_sizes, filter_sizes) holds, as far as known."""
    s = _partial_shape(t)
    return (None,) * 4 if s is None else s


# ---- Conv2D ---------------------------------------------------------------------------
@kernel("Conv2D", FRESH, inputs=("input", "filter"))
def _conv2d(x, w, strides=None, padding=None, data_format="NHWC", dilations=None):
    kh, kw, c_in, c_out = w.shape
    if x.shape[3] != c_in:
        raise ValueError(f"input depth {x.shape[3]} does not match the filter's input depth {c_in}")
    oh, ow, ph, pw = _geometry("Conv2D", x.shape, (kh, kw), strides, padding)
    return conv_kernels.conv2d(x, w, strides[1], strides[2], oh, ow, ph, pw)


@shape_rule("Conv2D")
def _conv2d_shape(op):
    check_dtype(op, FLOATS, "input")
    x, w = _rank4(op, op.inputs[0], "input"), _rank4(op, op.inputs[1], "filter")
    if None not in (x[3], w[2]) and x[3] != w[2]:
        raise ValueError(f"Conv2D '{op.name}': the input has {x[3]} channels but the filter expects {w[2]} "
                         f"(filter shape is [height, width, in_channels, out_channels]); input shapes: "
                         f"{fmt(x)}, {fmt(w)}.")
    if None in w[:2]:
        return [(x[0], None, None, w[3])]
    oh, ow, _, _ = _geometry(f"Conv2D '{op.name}'", x, w[:2], op.attrs["strides"], op.attrs["padding"])
    return [(x[0], oh, ow, w[3])]


@RegisterGradient("Conv2D")
def _conv2d_grad(op, grad):
    """d/dinput is the output gradient convolved back with the flipped filter; d/dfilter correlates
    the input with the output gradient (Conv2DBackpropInput and Conv2DBackpropFilter)."""
    x, w = op.inputs
    x_shape, w_shape = array_ops.shape_n([x, w])
    attrs = _attrs(op)
    return [conv2d_backprop_input(x_shape, w, grad, **attrs), conv2d_backprop_filter(x, w_shape, grad, **attrs)]


def _attrs(op):
    return {"strides": op.get_attr("strides"), "padding": op.get_attr("padding")}


def conv2d(input, filter=None, strides=None, padding=None, use_cudnn_on_gpu=True,  # noqa: A002
           data_format="NHWC", dilations=None, name=None, filters=None):
    """2-D convolution (a cross-correlation, as in every deep-learning library). Op type "Conv2D".

    Args:
        input: (batch, height, width, in_channels) float tensor.
        filter: (filter_height, filter_width, in_channels, out_channels), same dtype.
        strides: an int or [1, stride_h, stride_w, 1].
        padding: 'VALID' (only windows that fit) or 'SAME' (output size ceil(size / stride); the
            odd padding row/column goes to the bottom/right).
    Returns:
        (batch, out_height, out_width, out_channels).

    Example: a (1, 5, 5, 1) image and a (3, 3, 1, 8) filter give (1, 3, 3, 8) with 'VALID',
    (1, 5, 5, 8) with 'SAME', (1, 3, 3, 8) with 'SAME' and strides=2.
    """
    if filter is None:
        filter = filters  # noqa: A001 - TF's argument name
    if dilations is not None and _four("Conv2D", "dilations", dilations) != [1, 1, 1, 1]:
        raise ValueError("Conv2D: dilations other than 1 are not implemented in tfteach")
    _check_format("Conv2D", data_format)
    attrs = {"strides": _four("Conv2D", "strides", strides), "padding": _check_padding("Conv2D", padding),
             "data_format": "NHWC", "dilations": [1, 1, 1, 1]}
    return apply_op("Conv2D", [input, filter], attrs, name=name)


# ---- Conv2DBackpropInput ----------------------------------------------------------------
@kernel("Conv2DBackpropInput", FRESH, inputs=("input_sizes", "filter", "out_backprop"), same_dtype=False)
def _conv2d_backprop_input(input_sizes, w, dy, strides=None, padding=None, data_format="NHWC",
                           dilations=None):
    shape = tuple(int(v) for v in input_sizes)
    kh, kw = w.shape[:2]
    oh, ow, ph, pw = _geometry("Conv2DBackpropInput", shape, (kh, kw), strides, padding)
    if dy.shape != (shape[0], oh, ow, w.shape[3]):
        raise ValueError(f"out_backprop has shape {fmt(dy.shape)}, but the convolution of an input of shape "
                         f"{fmt(shape)} with a filter of shape {fmt(w.shape)} gives "
                         f"{fmt((shape[0], oh, ow, w.shape[3]))}")
    return conv_kernels.conv2d_backprop_input(shape, w, dy, strides[1], strides[2], ph, pw)


@shape_rule("Conv2DBackpropInput")
def _conv2d_backprop_input_shape(op):
    return [_sizes_shape(op.inputs[0])]


@RegisterGradient("Conv2DBackpropInput")
def _conv2d_backprop_input_grad(op, grad):
    """Linear in filter and out_backprop: d/dfilter correlates grad with out_backprop, d/dout_backprop
    convolves grad with the filter; the sizes get none."""
    _, w, dy = op.inputs
    attrs = _attrs(op)
    return [None, conv2d_backprop_filter(grad, array_ops.shape(w), dy, **attrs), conv2d(grad, w, **attrs)]


def conv2d_backprop_input(input_sizes, filter, out_backprop, strides, padding,  # noqa: A002
                          use_cudnn_on_gpu=True, data_format="NHWC", dilations=None, name=None):
    """The gradient of conv2d with respect to its input, of shape `input_sizes` (a 4-vector)."""
    _check_format("Conv2DBackpropInput", data_format)
    with graph_of([input_sizes, filter, out_backprop]).name_scope(name or "Conv2DBackpropInput") as scope:
        filter = convert_to_tensor(filter, name="filter")  # noqa: A001
        out_backprop = convert_to_tensor(out_backprop, dtype=filter.dtype.base_dtype, name="out_backprop")
        attrs = {"strides": _four("Conv2DBackpropInput", "strides", strides),
                 "padding": _check_padding("Conv2DBackpropInput", padding), "data_format": "NHWC",
                 "dilations": [1, 1, 1, 1]}
        return apply_op("Conv2DBackpropInput", [input_sizes, filter, out_backprop], attrs, name=scope,
                        dtypes=[filter.dtype.base_dtype])


# ---- Conv2DBackpropFilter ---------------------------------------------------------------
@kernel("Conv2DBackpropFilter", PURE, inputs=("input", "filter_sizes", "out_backprop"), same_dtype=False)
def _conv2d_backprop_filter(x, filter_sizes, dy, strides=None, padding=None, data_format="NHWC",
                            dilations=None):
    kh, kw, c_in, c_out = (int(v) for v in filter_sizes)
    oh, ow, ph, pw = _geometry("Conv2DBackpropFilter", x.shape, (kh, kw), strides, padding)
    if dy.shape != (x.shape[0], oh, ow, c_out):
        raise ValueError(f"out_backprop has shape {fmt(dy.shape)}, but the convolution of an input of shape "
                         f"{fmt(x.shape)} with a filter of shape {fmt((kh, kw, c_in, c_out))} gives "
                         f"{fmt((x.shape[0], oh, ow, c_out))}")
    return conv_kernels.conv2d_backprop_filter(x, dy, kh, kw, strides[1], strides[2], ph, pw)


@shape_rule("Conv2DBackpropFilter")
def _conv2d_backprop_filter_shape(op):
    return [_sizes_shape(op.inputs[1])]


@RegisterGradient("Conv2DBackpropFilter")
def _conv2d_backprop_filter_grad(op, grad):
    """Linear in input and out_backprop: d/dinput is a backprop-input of out_backprop through grad,
    d/dout_backprop convolves the input with grad; the sizes get none."""
    x, _, dy = op.inputs
    attrs = _attrs(op)
    return [conv2d_backprop_input(array_ops.shape(x), grad, dy, **attrs), None, conv2d(x, grad, **attrs)]


def conv2d_backprop_filter(input, filter_sizes, out_backprop, strides, padding,  # noqa: A002
                           use_cudnn_on_gpu=True, data_format="NHWC", dilations=None, name=None):
    """The gradient of conv2d with respect to its filter, of shape `filter_sizes` (a 4-vector)."""
    _check_format("Conv2DBackpropFilter", data_format)
    with graph_of([input, filter_sizes, out_backprop]).name_scope(name or "Conv2DBackpropFilter") as scope:
        input = convert_to_tensor(input, name="input")  # noqa: A001
        out_backprop = convert_to_tensor(out_backprop, dtype=input.dtype.base_dtype, name="out_backprop")
        attrs = {"strides": _four("Conv2DBackpropFilter", "strides", strides),
                 "padding": _check_padding("Conv2DBackpropFilter", padding), "data_format": "NHWC",
                 "dilations": [1, 1, 1, 1]}
        return apply_op("Conv2DBackpropFilter", [input, filter_sizes, out_backprop], attrs, name=scope,
                        dtypes=[input.dtype.base_dtype])


# ---- pooling helpers --------------------------------------------------------------------
def _pool_attrs(what, ksize, strides, padding, data_format):
    _check_format(what, data_format)
    return {"ksize": _four(what, "ksize", ksize), "strides": _four(what, "strides", strides),
            "padding": _check_padding(what, padding), "data_format": "NHWC"}


def _pool_shape(op):
    check_dtype(op, FLOATS, "input")
    x = _rank4(op, op.inputs[0], "input")
    oh, ow, _, _ = _geometry(f"{op.type} '{op.name}'", x, op.attrs["ksize"][1:3], op.attrs["strides"],
                             op.attrs["padding"])
    return [(x[0], oh, ow, x[3])]


def _pool_windows(x, ksize, strides, padding, fill=0):
    """(windows (N, oh, ow, C, kh, kw), pads_h, pads_w) of x padded with `fill`."""
    kh, kw = ksize[1:3]
    oh, ow, ph, pw = _geometry("pooling", x.shape, (kh, kw), strides, padding)
    return _windows(conv_kernels.pad(x, ph, pw, fill), kh, kw, strides[1], strides[2], oh, ow), ph, pw


def _argmax(x, ksize, strides, padding):
    """Where each window's maximum is, as an index into the window read row by row.

    Padding counts as -inf so it never wins; on ties the first in reading order wins, as in TF's
    CPU kernel. Returns (index (N, oh, ow, C), pads_h, pads_w).
    """
    low = -np.inf if x.dtype.kind == "f" else np.iinfo(x.dtype).min
    win, ph, pw = _pool_windows(x, ksize, strides, padding, low)
    return np.argmax(win.reshape(win.shape[:4] + (-1,)), axis=-1), ph, pw


# ---- MaxPool ------------------------------------------------------------------------------
@kernel("MaxPool", PURE, inputs=("input",))
def _max_pool(x, ksize=None, strides=None, padding=None, data_format="NHWC"):
    views = conv_kernels.tiles(x, ksize, strides, padding)
    if views is not None:
        return conv_kernels.max_of(views)
    low = -np.inf if x.dtype.kind == "f" else np.iinfo(x.dtype).min
    win, _, _ = _pool_windows(x, ksize, strides, padding, low)
    return win.max(axis=(4, 5))


shape_rule("MaxPool")(_pool_shape)


@RegisterGradient("MaxPool")
def _max_pool_grad(op, grad):
    """Each window's gradient goes to the one input that was its maximum (MaxPoolGrad)."""
    return [_max_pool_grad_op("MaxPoolGrad", op.inputs[0], op.outputs[0], grad, op)]


def _max_pool_grad_op(op_type, orig_input, orig_output, grad, like):
    attrs = {k: like.get_attr(k) for k in ("ksize", "strides", "padding", "data_format")}
    return apply_op(op_type, [orig_input, orig_output, grad], attrs)


def max_pool(value, ksize, strides, padding, data_format="NHWC", name=None, input=None):  # noqa: A002
    """The maximum of each ksize window, per channel. Op type "MaxPool".

    Example: `tf.nn.max_pool(x, [1, 2, 2, 1], [1, 2, 2, 1], 'SAME')` halves height and width
    (rounding up). `ksize` and `strides` may also be an int or a pair.
    """
    if value is None:
        value = input
    return apply_op("MaxPool", [value], _pool_attrs("MaxPool", ksize, strides, padding, data_format),
                    name=name)


# ---- MaxPoolGrad ----------------------------------------------------------------------------
@kernel("MaxPoolGrad", PURE, inputs=("orig_input", "orig_output", "grad"))
def _max_pool_grad_kernel(orig_input, orig_output, grad, ksize=None, strides=None, padding=None,
                          data_format="NHWC"):
    if grad.shape != orig_output.shape:
        raise ValueError(f"grad has shape {fmt(grad.shape)} but the pooled output has {fmt(orig_output.shape)}")
    views = conv_kernels.tiles(orig_input, ksize, strides, padding)
    if views is not None:
        if orig_output.shape != views[0].shape:
            raise ValueError(f"orig_output has shape {fmt(orig_output.shape)}, but max-pooling an input of shape "
                             f"{fmt(orig_input.shape)} gives {fmt(views[0].shape)}")
        return conv_kernels.max_pool_grad(orig_input, orig_output, grad, ksize, views)
    idx, ph, pw = _argmax(orig_input, ksize, strides, padding)
    n, h, w, c = orig_input.shape
    hp, wp = h + sum(ph), w + sum(pw)
    kw = ksize[2]
    # the padded-input (row, column) of every window's maximum, then one flat index per output
    rows = np.arange(idx.shape[1])[:, None, None] * strides[1] + idx // kw
    cols = np.arange(idx.shape[2])[None, :, None] * strides[2] + idx % kw
    flat = ((np.arange(n)[:, None, None, None] * hp + rows) * wp + cols) * c + np.arange(c)
    dxp = np.bincount(flat.ravel(), weights=grad.ravel(), minlength=n * hp * wp * c)  # sums overlaps
    return _crop(dxp.reshape(n, hp, wp, c), orig_input.shape, ph, pw).astype(grad.dtype)


@shape_rule("MaxPoolGrad")
def _max_pool_grad_shape(op):
    return [op.inputs[0].shape]


@RegisterGradient("MaxPoolGrad")
def _max_pool_grad_grad(op, grad):
    """MaxPoolGrad routes grad linearly, by positions fixed by orig_input: its gradient picks grad
    at those positions (MaxPoolGradGrad); the original input and output get zeros."""
    orig_input, orig_output = op.inputs[:2]
    return [array_ops.zeros_like(orig_input), array_ops.zeros_like(orig_output),
            _max_pool_grad_op("MaxPoolGradGrad", orig_input, orig_output, grad, op)]


# ---- MaxPoolGradGrad ------------------------------------------------------------------------
@kernel("MaxPoolGradGrad", PURE, inputs=("orig_input", "orig_output", "grad"))
def _max_pool_grad_grad_kernel(orig_input, orig_output, grad, ksize=None, strides=None, padding=None,
                               data_format="NHWC"):
    idx, _, _ = _argmax(orig_input, ksize, strides, padding)
    win, _, _ = _pool_windows(grad, ksize, strides, padding)
    picked = np.take_along_axis(win.reshape(win.shape[:4] + (-1,)), idx[..., None], axis=-1)
    return picked[..., 0]


@shape_rule("MaxPoolGradGrad")
def _max_pool_grad_grad_shape(op):
    return [op.inputs[1].shape]


@RegisterGradient("MaxPoolGradGrad")
def _max_pool_grad_grad_grad(op, grad):
    """MaxPoolGradGrad picks grad at the maxima: its gradient puts grad back there (MaxPoolGrad)."""
    orig_input, orig_output = op.inputs[:2]
    return [array_ops.zeros_like(orig_input), array_ops.zeros_like(orig_output),
            _max_pool_grad_op("MaxPoolGrad", orig_input, orig_output, grad, op)]


# ---- AvgPool --------------------------------------------------------------------------------
def _window_counts(shape, ksize, strides, padding):
    """How many real (not padding) pixels each output window covers, shaped (oh, ow, 1):
    TF's SAME average divides by this, not by the window size."""
    ones = np.ones((1, shape[1], shape[2], 1))
    win, _, _ = _pool_windows(ones, ksize, strides, padding)
    return win.sum(axis=(4, 5))[0]


@kernel("AvgPool", PURE, inputs=("value",))
def _avg_pool(x, ksize=None, strides=None, padding=None, data_format="NHWC"):
    win, _, _ = _pool_windows(x, ksize, strides, padding)
    return (win.sum(axis=(4, 5)) / _window_counts(x.shape, ksize, strides, padding)).astype(x.dtype)


shape_rule("AvgPool")(_pool_shape)


@RegisterGradient("AvgPool")
def _avg_pool_grad(op, grad):
    """Each window's gradient is shared equally by the pixels it averaged (AvgPoolGrad)."""
    attrs = {k: op.get_attr(k) for k in ("ksize", "strides", "padding", "data_format")}
    return [apply_op("AvgPoolGrad", [array_ops.shape(op.inputs[0]), grad], attrs, dtypes=[grad.dtype.base_dtype])]


def avg_pool(value, ksize, strides, padding, data_format="NHWC", name=None, input=None):  # noqa: A002
    """The mean of each ksize window, per channel; SAME windows average only real pixels. Op "AvgPool"."""
    if value is None:
        value = input
    return apply_op("AvgPool", [value], _pool_attrs("AvgPool", ksize, strides, padding, data_format),
                    name=name)


# ---- AvgPoolGrad ----------------------------------------------------------------------------
@kernel("AvgPoolGrad", PURE, inputs=("orig_input_shape", "grad"), same_dtype=False)
def _avg_pool_grad_kernel(orig_input_shape, grad, ksize=None, strides=None, padding=None,
                          data_format="NHWC"):
    shape = tuple(int(v) for v in orig_input_shape)
    kh, kw = ksize[1:3]
    oh, ow, ph, pw = _geometry("AvgPoolGrad", shape, (kh, kw), strides, padding)
    if grad.shape != (shape[0], oh, ow, shape[3]):
        raise ValueError(f"grad has shape {fmt(grad.shape)}, but pooling an input of shape {fmt(shape)} "
                         f"gives {fmt((shape[0], oh, ow, shape[3]))}")
    share = grad / _window_counts(shape, ksize, strides, padding)
    hp, wp = shape[1] + sum(ph), shape[2] + sum(pw)
    dxp = _windows(_spread(share, kh, kw, strides[1], strides[2], hp, wp), kh, kw, 1, 1, hp, wp).sum(axis=(4, 5))
    return _crop(dxp, shape, ph, pw).astype(grad.dtype)


@shape_rule("AvgPoolGrad")
def _avg_pool_grad_shape(op):
    return [_sizes_shape(op.inputs[0])]


@RegisterGradient("AvgPoolGrad")
def _avg_pool_grad_grad(op, grad):
    """AvgPoolGrad is linear in grad, the adjoint of AvgPool: its gradient is AvgPool of grad."""
    attrs = {k: op.get_attr(k) for k in ("ksize", "strides", "padding", "data_format")}
    return [None, apply_op("AvgPool", [grad], attrs)]


__all__ = ["conv2d", "conv2d_backprop_input", "conv2d_backprop_filter", "max_pool", "avg_pool"]
