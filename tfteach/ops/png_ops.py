"""DecodePng: tf.io.decode_png / tf.image.decode_png, 8-bit PNG files to uint8 pixels.

Mirrors tensorflow/core/kernels/image/decode_image_op.cc for PNG, using the zlib-only decoder
of tfteach/summary/png.py. A file is checked before it is inflated: its header's size must fit
in memory and its compressed data may not inflate to more than that size (no zlib bomb).
"""
import struct
import zlib

import numpy as np

from .. import dtypes as _dtypes
from ..graph import convert_to_tensor
from ..limits import check_allocation
from ..registry import PURE, NotDifferentiable, apply_op, kernel, shape_rule
from ..summary.png import decode_png as _decode

_CHANNELS = {0: 1, 2: 3, 4: 2, 6: 4}  # PNG colour type -> channels


def _checked(data):
    """The expected inflated size of PNG `data`, after bounding it; ValueError if malformed."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("Got 0 frames, but animated images are not supported (contents are not a PNG file)")
    i, idat, header = 8, [], None
    while i + 8 <= len(data):
        n, kind = struct.unpack(">I4s", data[i:i + 8])
        if i + 12 + n > len(data):
            raise ValueError(f"Invalid PNG data, size {len(data)}: chunk {kind!r} runs past the end of the file")
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", data[i + 8:i + 8 + 13])
        elif kind == b"IDAT":
            idat.append(data[i + 8:i + 8 + n])
        i += 12 + n
    if header is None:
        raise ValueError(f"Invalid PNG header, data size {len(data)}")
    w, h, depth, color, _, _, interlace = header
    if depth != 8 or interlace or color not in _CHANNELS:
        raise ValueError(f"tfteach decodes 8-bit non-interlaced gray/RGB(A) PNGs only, got bit depth {depth}, colour "
                         f"type {color}, interlace {interlace}")
    c = _CHANNELS[color]
    check_allocation((h, w, c), np.int64)  # the decoder works in int64
    expected = h * (1 + w * c)
    inflater = zlib.decompressobj()
    try:
        got = len(inflater.decompress(b"".join(idat), expected + 1))
    except zlib.error as e:
        raise ValueError(f"Invalid PNG data: {e}") from None
    if got != expected:
        raise ValueError(f"Invalid PNG data: the image data inflates to {'more' if got > expected else got} bytes, "
                         f"the header says {expected}")
    return c


@kernel("DecodePng", PURE, inputs=("contents",), same_dtype=False)
def _decode_png(contents, channels=0, dtype=_dtypes.uint8):
    data = contents.item() if isinstance(contents, np.ndarray) else contents
    have = _checked(data)
    pixels = _decode(data)
    if channels and channels != have:
        gray, alpha = pixels[..., :1 if have < 3 else 3], pixels[..., -1:] if have in (2, 4) else None
        if have < 3 and channels >= 3:
            gray = np.repeat(gray, 3, axis=2)
        elif have >= 3 and channels < 3:
            raise ValueError(f"tfteach does not convert colour to gray: the PNG has {have} channels, asked for "
                             f"{channels}")
        if channels in (2, 4):
            alpha = alpha if alpha is not None else np.full(gray.shape[:2] + (1,), 255, np.uint8)
            pixels = np.concatenate([gray, alpha], axis=2)
        else:
            pixels = gray
    return pixels.astype(dtype.np)


@shape_rule("DecodePng")
def _decode_png_shape(op):
    if op.inputs[0].shape.ndims not in (None, 0):
        raise ValueError(f"Shape must be rank 0 but is rank {op.inputs[0].shape.ndims} for '{op.name}' (op: "
                         f"'DecodePng') with input shapes: {op.inputs[0].shape}.")
    return [(None, None, op.attrs["channels"] or None)]


NotDifferentiable("DecodePng")


def decode_png(contents, channels=0, dtype=_dtypes.uint8, name=None):
    """The pixels of a PNG file's contents (a scalar tf.string) as a (height, width, channels)
    uint8 tensor; `channels` 0 keeps the file's, 1/3/4 ask for gray, RGB or RGBA."""
    if channels not in (0, 1, 2, 3, 4):
        raise ValueError(f"channels must be 0, 1, 2, 3 or 4, got {channels}")
    contents = convert_to_tensor(contents, dtype=_dtypes.string, name="contents")
    return apply_op("DecodePng", [contents], {"channels": int(channels), "dtype": _dtypes.as_dtype(dtype)},
                    name=name, dtypes=[_dtypes.as_dtype(dtype)])
