"""The ImageSummary op and tf.summary.image: images logged as PNGs for TensorBoard's image tab.

Mirrors tensorflow/python/summary/summary.py (image) and core/kernels/summary_image_op.cc:
float images are scaled per image into 0..255 the way TF's kernel does, then PNG-encoded
(tfteach/summary/png.py). The Summary is written directly as bytes (field numbers of
summary.proto: Value.image = 4; Image.height 1, width 2, colorspace 3, encoded_image_string 4).
"""
import numpy as np

from .. import dtypes as _dtypes
from ..errors import InvalidArgumentError
from ..graph import graph_of
from ..protobuf import encode_varint
from ..registry import NotDifferentiable, apply_op, kernel, shape_rule
from .ops import _clean_tag, _collect, _scalar_output, _summary_scope_name, _tag
from .png import encode_png

_BAD_COLOR = np.array([255, 0, 0, 255], np.uint8)  # TF's default: non-finite pixels are red


def _to_uint8(image, bad_color):
    """One (h, w, c) image as uint8, as TF's NormalizeFloatImage: finite pixels set the range;
    all >= 0 scales max to 255, else max |x| to 127 around 128; a non-finite pixel is bad_color."""
    if image.dtype == np.uint8:
        return image
    t = image.dtype.type if image.dtype in (np.float32, np.float64) else np.float32
    x = image.astype(t)
    finite = np.isfinite(x).all(axis=-1)
    good = x[finite]
    lo = float(good.min()) if good.size else np.inf
    hi = float(good.max()) if good.size else -np.inf
    if lo < 0:
        top = max(abs(lo), abs(hi))
        scale, offset = t(0.0 if top < 1e-6 else np.float32(127.0) / np.float32(top)), t(128.0)
    else:
        scale, offset = t(0.0 if hi < 1e-6 else np.float32(255.0) / np.float32(hi)), t(0.0)
    with np.errstate(invalid="ignore"):
        out = (x * scale + offset).astype(np.uint8)
    out[~finite] = bad_color[:x.shape[-1]]
    return out


def _value(tag, image):
    h, w, c = image.shape
    png = encode_png(image)
    fields = (b"\x08" + encode_varint(h) + b"\x10" + encode_varint(w) + b"\x18" + encode_varint(c)
              + b"\x22" + encode_varint(len(png)) + png)
    tag = tag.encode("utf-8")
    value = b"\x0a" + encode_varint(len(tag)) + tag + b"\x22" + encode_varint(len(fields)) + fields
    return b"\x0a" + encode_varint(len(value)) + value


# ---- ImageSummary -------------------------------------------------------------------------------
@kernel("ImageSummary", inputs=("tag", "tensor"), same_dtype=False, session=True)
def _image_summary(ctx, tag, tensor, max_images=3, bad_color=None):
    tag = _tag(np.asarray(tag, dtype=object).item())
    tensor = np.asarray(tensor)
    if tensor.ndim != 4 or tensor.shape[3] not in (1, 3, 4):
        raise InvalidArgumentError(
            None, ctx.op, f"Tensor must be 4-D with last dim 1, 3, or 4, not "
            f"[{','.join(str(d) for d in tensor.shape)}]\n\t [[node {ctx.op.name}]]\n"
            f"tf.summary.image wants a batch (batch, height, width, channels): reshape a flat "
            f"MNIST batch with tf.reshape(x, [-1, 28, 28, 1]).")
    color = _BAD_COLOR if bad_color is None else np.asarray(bad_color, np.uint8).ravel()
    n = min(max_images, tensor.shape[0])
    names = [f"{tag}/image/{i}" if max_images > 1 else f"{tag}/image" for i in range(n)]
    return b"".join(_value(name, _to_uint8(tensor[i], color)) for i, name in enumerate(names))


shape_rule("ImageSummary")(_scalar_output)
NotDifferentiable("ImageSummary")


def image(name, tensor, max_outputs=3, collections=None, family=None):
    """A summary op logging up to `max_outputs` images of a (batch, height, width, channels) tensor.

    Channels 1 (gray), 3 (RGB) or 4 (RGBA); uint8 pixels as they are, float pixels scaled per
    image into 0..255 (all >= 0: the largest becomes 255; else the largest |x| becomes 127 around
    128). Tags are '<name>/image/0', '/image/1', ... ('<name>/image' when max_outputs is 1).
    Example: `tf.summary.image('input', tf.reshape(x, [-1, 28, 28, 1]), max_outputs=4)`.
    """
    graph = graph_of([tensor])
    with graph.name_scope(_summary_scope_name(name, family)) as scope:
        tag = scope.rstrip("/") if family is None else f"{_clean_tag(family)}/{scope.rstrip('/')}"
        val = apply_op("ImageSummary", [tag, tensor], {"max_images": int(max_outputs)}, name=scope,
                       dtypes=[_dtypes.string])
    _collect(val, collections)
    return val
