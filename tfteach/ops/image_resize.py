"""Image resizing ops: ResizeBilinear, ResizeNearestNeighbor, ResizeBicubic, ResizeArea, their
gradients, and TF1's resize_images (tf.compat.v1.image.resize).

Mirrors tensorflow/python/ops/image_ops_impl.py and image_grad.py with the kernels of
core/kernels/image/resize_*_op.cc in their TF1 form: align_corners=False and no half-pixel
centres, so output pixel i reads input position i * in/out (its top-left corner, not its centre).
"""
import numpy as np

from .. import dtypes as _dtypes
from ..graph import convert_to_tensor
from ..registry import FRESH, NotDifferentiable, RegisterGradient, apply_op, kernel, shape_rule
from ..tensor_shape import TensorShape
from .array import _const_value, _scope, _shape_error, expand_dims, shape, squeeze
from .compare import minimum
from .constant import constant
from .math import cast
from .shapes import fmt, shape_of
from .unary import round  # noqa: A004 - TF's name


def _resize_scale(in_size, out_size, align_corners):
    """TF's CalculateResizeScale, in float32 as the C++ does."""
    if align_corners and out_size > 1:
        return np.float32((in_size - 1) / np.float32(out_size - 1))
    return np.float32(in_size / np.float32(out_size))


def _check_size(what, size):
    size = np.asarray(size).reshape(-1)
    if size.shape != (2,) or (size <= 0).any():
        raise ValueError(f"{what}: size must be 2 positive numbers (new_height, new_width), got "
                         f"{size.tolist()}")
    return int(size[0]), int(size[1])


def _resize_shape(op):
    """(batch, new_height, new_width, channels), the new size when it is a constant."""
    images = shape_of(op.inputs[0])
    if images is not None and len(images) != 4:
        raise _shape_error(op, f"Shape must be rank 4 but is rank {len(images)}")
    size = _const_value(op.inputs[1])
    h, w = (None, None) if size is None else (int(size[0]), int(size[1]))
    n, c = (None, None) if images is None else (images[0], images[3])
    return [(n, h, w, c)]


# ---- ResizeBilinear ----------------------------------------------------------------------------
def _bilinear_weights(in_size, out_size, align_corners):
    """For each output row: the input rows above and below and the weight of the lower one."""
    pos = np.arange(out_size, dtype=np.float32) * _resize_scale(in_size, out_size, align_corners)
    low = np.floor(pos)
    lower = np.maximum(low.astype(np.int64), 0)
    upper = np.minimum(np.ceil(pos).astype(np.int64), in_size - 1)
    return lower, upper, (pos - low).astype(np.float32)


@kernel("ResizeBilinear", FRESH, inputs=("images", "size"), same_dtype=False)
def _resize_bilinear(images, size, align_corners=False, half_pixel_centers=False):
    x = np.asarray(images, dtype=np.float32)
    oh, ow = _check_size("ResizeBilinear", size)
    top, bottom, dy = _bilinear_weights(x.shape[1], oh, align_corners)
    left, right, dx = _bilinear_weights(x.shape[2], ow, align_corners)
    dx = dx[None, None, :, None]
    tl, tr = x[:, top][:, :, left], x[:, top][:, :, right]
    bl, br = x[:, bottom][:, :, left], x[:, bottom][:, :, right]
    t = tl + (tr - tl) * dx
    b = bl + (br - bl) * dx
    return t + (b - t) * dy[None, :, None, None]


shape_rule("ResizeBilinear")(_resize_shape)


@RegisterGradient("ResizeBilinear")
def _resize_bilinear_grad(op, grad):
    """Each output pixel's gradient goes back to its four input pixels with its four weights."""
    dx = apply_op("ResizeBilinearGrad", [grad, op.inputs[0]], {
        "align_corners": op.attrs["align_corners"], "half_pixel_centers": False},
        dtypes=[op.inputs[0].dtype.base_dtype])
    return [dx, None]


# ---- ResizeBilinearGrad ------------------------------------------------------------------------
@kernel("ResizeBilinearGrad", FRESH, inputs=("grads", "original_image"), same_dtype=False)
def _resize_bilinear_grad_kernel(grads, original_image, align_corners=False, half_pixel_centers=False):
    n, h, w, c = original_image.shape
    g = np.asarray(grads, dtype=np.float64)
    wy = _bilinear_matrix(h, g.shape[1], align_corners)  # (out_h, h)
    wx = _bilinear_matrix(w, g.shape[2], align_corners)  # (out_w, w)
    return np.einsum("ih,nijc,jw->nhwc", wy, g, wx).astype(original_image.dtype)


def _bilinear_matrix(in_size, out_size, align_corners):
    """The (out, in) matrix of the forward pass's weights along one axis."""
    lower, upper, frac = _bilinear_weights(in_size, out_size, align_corners)
    m = np.zeros((out_size, in_size))
    rows = np.arange(out_size)
    np.add.at(m, (rows, lower), 1 - frac.astype(np.float64))
    np.add.at(m, (rows, upper), frac.astype(np.float64))
    return m


shape_rule("ResizeBilinearGrad")(lambda op: [op.inputs[1].shape])
NotDifferentiable("ResizeBilinearGrad")


def resize_bilinear(images, size, align_corners=False, name=None, half_pixel_centers=False):
    """tf.image.resize_bilinear: op ResizeBilinear on an NHWC batch; float32 out."""
    if half_pixel_centers:
        raise ValueError("ResizeBilinear: tfteach implements TF1's half_pixel_centers=False only")
    return apply_op("ResizeBilinear", [images, _size_tensor(size)],
                    {"align_corners": bool(align_corners), "half_pixel_centers": False},
                    name=name, dtypes=[_dtypes.float32])


# ---- ResizeNearestNeighbor ---------------------------------------------------------------------
def _nearest_index(in_size, out_size, align_corners):
    pos = np.arange(out_size, dtype=np.float32) * _resize_scale(in_size, out_size, align_corners)
    # align_corners rounds half away from zero (C's roundf); positions are >= 0, so floor(p + 0.5)
    index = np.floor(pos + np.float32(0.5)) if align_corners else np.floor(pos)
    return np.minimum(index.astype(np.int64), in_size - 1)


@kernel("ResizeNearestNeighbor", FRESH, inputs=("images", "size"), same_dtype=False)
def _resize_nearest(images, size, align_corners=False, half_pixel_centers=False):
    oh, ow = _check_size("ResizeNearestNeighbor", size)
    rows = _nearest_index(images.shape[1], oh, align_corners)
    cols = _nearest_index(images.shape[2], ow, align_corners)
    return images[:, rows][:, :, cols]


shape_rule("ResizeNearestNeighbor")(_resize_shape)


@RegisterGradient("ResizeNearestNeighbor")
def _resize_nearest_grad(op, grad):
    """Each output pixel's gradient is added to the one input pixel it copied."""
    size = shape(op.inputs[0])[1:3] if not shape_of(op.inputs[0]) or None in shape_of(op.inputs[0])[1:3] \
        else constant(list(shape_of(op.inputs[0])[1:3]), dtype=_dtypes.int32)
    dx = apply_op("ResizeNearestNeighborGrad", [grad, size],
                  {"align_corners": op.attrs["align_corners"], "half_pixel_centers": False})
    return [dx, None]


@kernel("ResizeNearestNeighborGrad", FRESH, inputs=("grads", "size"), same_dtype=False)
def _resize_nearest_grad_kernel(grads, size, align_corners=False, half_pixel_centers=False):
    h, w = _check_size("ResizeNearestNeighborGrad", size)
    rows = _nearest_index(h, grads.shape[1], align_corners)
    cols = _nearest_index(w, grads.shape[2], align_corners)
    part = np.zeros((grads.shape[0], grads.shape[1], w, grads.shape[3]), grads.dtype)
    np.add.at(part, (np.s_[:], np.s_[:], cols), grads)
    out = np.zeros((grads.shape[0], h, w, grads.shape[3]), grads.dtype)
    np.add.at(out, (np.s_[:], rows), part)
    return out


shape_rule("ResizeNearestNeighborGrad")(_resize_shape)
NotDifferentiable("ResizeNearestNeighborGrad")


def resize_nearest_neighbor(images, size, align_corners=False, name=None, half_pixel_centers=False):
    """tf.image.resize_nearest_neighbor: op ResizeNearestNeighbor; the images' dtype out."""
    if half_pixel_centers:
        raise ValueError("ResizeNearestNeighbor: tfteach implements TF1's half_pixel_centers=False only")
    return apply_op("ResizeNearestNeighbor", [images, _size_tensor(size)],
                    {"align_corners": bool(align_corners), "half_pixel_centers": False}, name=name)


def _size_tensor(size):
    try:
        return convert_to_tensor(size, dtype=_dtypes.int32, name="size")
    except (TypeError, ValueError):
        raise ValueError("'size' must be a 1-D int32 Tensor") from None


# ---- ResizeBicubic and ResizeArea: separable, one weight matrix per axis ---------------------------
def _separable(x, wy, wx):
    """out[n, o, p, c] = sum over i, j of wy[o, i] * x[n, i, j, c] * wx[p, j], in float64."""
    return np.einsum("oi,nijc,pj->nopc", wy, np.asarray(x, np.float64), wx)


_CUBIC_TABLE_SIZE = 1024


def _cubic_table(a=-0.75):
    """TF's legacy bicubic coefficients, tabulated at 1/1024 steps (so are TF's weights)."""
    x = np.arange(_CUBIC_TABLE_SIZE + 1, dtype=np.float32) / np.float32(_CUBIC_TABLE_SIZE)
    near = ((a + 2) * x - (a + 3)) * x * x + 1
    x1 = x + 1
    far = ((a * x1 - 5 * a) * x1 + 8 * a) * x1 - 4 * a
    return near.astype(np.float32), far.astype(np.float32)


def _bicubic_matrix(in_size, out_size, align_corners):
    """The (out, in) matrix of TF's legacy bicubic weights: 4 taps, indices clamped at the edges."""
    near, far = _cubic_table()
    m = np.zeros((out_size, in_size))
    pos = np.arange(out_size, dtype=np.float32) * _resize_scale(in_size, out_size, align_corners)
    for o, p in enumerate(pos):
        loc = int(np.floor(p))
        k = int(np.rint(np.float32(p - loc) * _CUBIC_TABLE_SIZE))
        weights = (far[k], near[k], near[_CUBIC_TABLE_SIZE - k], far[_CUBIC_TABLE_SIZE - k])
        for tap, w in zip(range(loc - 1, loc + 3), weights):
            m[o, min(max(tap, 0), in_size - 1)] += w
    return m


@kernel("ResizeBicubic", FRESH, inputs=("images", "size"), same_dtype=False)
def _resize_bicubic(images, size, align_corners=False, half_pixel_centers=False):
    oh, ow = _check_size("ResizeBicubic", size)
    wy = _bicubic_matrix(images.shape[1], oh, align_corners)
    wx = _bicubic_matrix(images.shape[2], ow, align_corners)
    return _separable(images, wy, wx).astype(np.float32)


shape_rule("ResizeBicubic")(_resize_shape)


@RegisterGradient("ResizeBicubic")
def _resize_bicubic_grad(op, grad):
    """The transpose of the forward weights: each output's gradient back to its 16 input taps."""
    dx = apply_op("ResizeBicubicGrad", [grad, op.inputs[0]], {
        "align_corners": op.attrs["align_corners"], "half_pixel_centers": False},
        dtypes=[op.inputs[0].dtype.base_dtype])
    return [dx, None]


@kernel("ResizeBicubicGrad", FRESH, inputs=("grads", "original_image"), same_dtype=False)
def _resize_bicubic_grad_kernel(grads, original_image, align_corners=False, half_pixel_centers=False):
    _, h, w, _ = original_image.shape
    wy = _bicubic_matrix(h, grads.shape[1], align_corners)
    wx = _bicubic_matrix(w, grads.shape[2], align_corners)
    return _separable(grads, wy.T, wx.T).astype(original_image.dtype)


shape_rule("ResizeBicubicGrad")(lambda op: [op.inputs[1].shape])
NotDifferentiable("ResizeBicubicGrad")


def resize_bicubic(images, size, align_corners=False, name=None, half_pixel_centers=False):
    """tf.image.resize_bicubic: op ResizeBicubic (TF1's cubic with a = -0.75); float32 out."""
    if half_pixel_centers:
        raise ValueError("ResizeBicubic: tfteach implements TF1's half_pixel_centers=False only")
    return apply_op("ResizeBicubic", [images, _size_tensor(size)],
                    {"align_corners": bool(align_corners), "half_pixel_centers": False},
                    name=name, dtypes=[_dtypes.float32])


def _area_matrix(in_size, out_size, align_corners):
    """(out, in) weights of TF's ResizeArea: how much of input pixel i output pixel o covers."""
    scale = _resize_scale(in_size, out_size, align_corners)
    m = np.zeros((out_size, in_size))
    for o in range(out_size):
        lo, hi = np.float32(o * scale), np.float32((o + 1) * scale)
        for i in range(int(np.floor(lo)), int(np.ceil(hi))):
            if i < lo:
                w = scale if i + 1 > hi else i + 1 - lo
            else:
                w = hi - i if i + 1 > hi else 1.0
            m[o, min(i, in_size - 1)] += w
    return m / float(scale)


@kernel("ResizeArea", FRESH, inputs=("images", "size"), same_dtype=False)
def _resize_area(images, size, align_corners=False):
    oh, ow = _check_size("ResizeArea", size)
    wy = _area_matrix(images.shape[1], oh, align_corners)
    wx = _area_matrix(images.shape[2], ow, align_corners)
    return _separable(images, wy, wx).astype(np.float32)


shape_rule("ResizeArea")(_resize_shape)
# no gradient, as in TensorFlow: tf.gradients raises LookupError through it


def resize_area(images, size, align_corners=False, name=None):
    """tf.image.resize_area: each output pixel the average of the input area it covers. Float32."""
    return apply_op("ResizeArea", [images, _size_tensor(size)], {"align_corners": bool(align_corners)},
                    name=name, dtypes=[_dtypes.float32])


# ---- resize_images / resize (TF1) --------------------------------------------------------------
class ResizeMethod:
    """TF1's resize methods (tf.compat.v1.image.ResizeMethod): small ints."""
    BILINEAR = 0
    NEAREST_NEIGHBOR = 1
    BICUBIC = 2
    AREA = 3


def resize_images(images, size, method=ResizeMethod.BILINEAR, align_corners=False,
                  preserve_aspect_ratio=False, name=None):
    """Resize `images` (NHWC or HWC) to `size` = [new_height, new_width], TF1's way.

    BILINEAR (the default) gives float32; NEAREST_NEIGHBOR keeps the dtype. When the size is
    already `size`, the images come back as they are. Example:
    `tf.image.resize_images(x, [28, 28])` -> op 'resize/ResizeBilinear'.
    """
    with _scope(name or "resize", [images, size]):
        images = convert_to_tensor(images, name="images")
        dims = shape_of(images)
        if dims is None:
            raise ValueError("'images' contains no shape.")
        batch = len(dims) == 4
        if len(dims) == 3:
            images = expand_dims(images, 0)
        elif len(dims) != 4:
            raise ValueError(f"'images' must have either 3 or 4 dimensions. (got shape {fmt(dims)}: an image "
                             f"is (height, width, channels), a batch (batch, height, width, channels); "
                             f"reshape a flat batch first, e.g. tf.reshape(x, [-1, 28, 28, 1]))")
        height, width = shape_of(images)[1:3]
        size = _size_tensor(size)
        if shape_of(size) not in (None, (2,)):
            raise ValueError("'size' must be a 1-D Tensor of 2 elements: new_height, new_width")
        known = _const_value(size)
        if preserve_aspect_ratio:  # the largest size within `size` with the images' aspect ratio
            size, known = _fit_size(images, size, known)
        new_h, new_w = (None, None) if known is None else (int(known[0]), int(known[1]))
        if (new_h, new_w) == (height, width) and height is not None:
            return images if batch else squeeze(images, axis=[0])
        if method in (ResizeMethod.BILINEAR, "bilinear"):
            out = resize_bilinear(images, size, align_corners=align_corners)
        elif method in (ResizeMethod.NEAREST_NEIGHBOR, "nearest"):
            out = resize_nearest_neighbor(images, size, align_corners=align_corners)
        elif method in (ResizeMethod.BICUBIC, "bicubic"):
            out = resize_bicubic(images, size, align_corners=align_corners)
        elif method in (ResizeMethod.AREA, "area"):
            out = resize_area(images, size, align_corners=align_corners)
        else:
            raise ValueError(f"Resize method is not implemented: {method}")
        if preserve_aspect_ratio and known is not None:  # TF's set_shape with the folded size
            out._shape = TensorShape([shape_of(out)[0], new_h, new_w, shape_of(out)[3]])
        return out if batch else squeeze(out, axis=[0])


resize = resize_images


def _fit_size(images, size, known):
    """TF's preserve_aspect_ratio: scale both sides by min(new_h / h, new_w / w), rounded half to
    even (as tf.round), as graph ops like TF's."""
    dims = shape_of(images)
    height, width = (shape(images)[i] if dims[i] is None else dims[i] for i in (1, 2))
    scale_h = cast(size[0], _dtypes.float32) / cast(height, _dtypes.float32)
    scale_w = cast(size[1], _dtypes.float32) / cast(width, _dtypes.float32)
    scale = minimum(scale_h, scale_w)
    new_h = cast(round(scale * cast(height, _dtypes.float32)), _dtypes.int32)
    new_w = cast(round(scale * cast(width, _dtypes.float32)), _dtypes.int32)
    static = None  # TF evaluates the constant subgraph while building: so does tfteach, in float32
    if known is not None and None not in dims[1:3]:
        f = min(np.float32(known[0]) / np.float32(dims[1]), np.float32(known[1]) / np.float32(dims[2]))
        static = [int(np.round(np.float32(f) * np.float32(d))) for d in dims[1:3]]
    return convert_to_tensor([new_h, new_w], dtype=_dtypes.int32, name="size"), static
