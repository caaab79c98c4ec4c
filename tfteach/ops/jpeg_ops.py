"""DecodeJpeg, EncodeJpeg, ExtractJpegShape, DecodeImage: tf.image.decode_jpeg & co. on Pillow.

Mirrors tensorflow/core/kernels/image/decode_image_op.cc, encode_jpeg_op.cc, extract_jpeg_shape_op.cc
and lib/jpeg/jpeg_mem.cc. Pillow's libjpeg(-turbo) does the entropy decoding and the inverse DCT;
what Pillow cannot ask libjpeg for (TF's default: the fast integer IDCT *with* fancy upsampling) is
done here as libjpeg does it (jdsample.c, jdcolor.c), so the pixels are TF's (docs/input_pipelines.md).
The header is read here first: its size is checked before anything is allocated.
"""
import builtins
import io
import struct

import numpy as np
from PIL import BmpImagePlugin, GifImagePlugin, Image, JpegImagePlugin

from .. import dtypes as _dtypes
from ..errors import InvalidArgumentError
from ..graph import convert_to_tensor
from ..limits import check_allocation
from ..registry import FRESH, NotDifferentiable, apply_op, kernel, shape_rule
from . import compare, png_ops
from .common import _scope

_UNCOMPRESS = "jpeg::Uncompress failed. Invalid JPEG data or crop window."
_UNKNOWN = "Unknown image file format. One of JPEG, JPEG XL, PNG, GIF, BMP, WebP required."
_MAX_BYTES = 1 << 29  # jpeg_mem.cc: "Image too large" at stride * height >= 2**29
_DCT_METHODS = ("", "INTEGER_FAST", "INTEGER_ACCURATE")
# what a damaged file can make Pillow raise
_PIL_ERRORS = (OSError, SyntaxError, ValueError, EOFError, IndexError, struct.error, Image.DecompressionBombError)


def _bytes(contents):
    return contents.item() if isinstance(contents, np.ndarray) else contents


def _format(data):
    if data[:3] == b"\xff\xd8\xff":
        return "jpeg"
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return "png"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if data[:2] == b"BM":
        return "bmp"
    raise InvalidArgumentError(None, None, _UNKNOWN)


# ---- the header, read as libjpeg's jpeg_read_header does --------------------------------------
_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}


class _Header:
    """A JPEG's frame: size, components (id, h, v), progressive, Adobe transform, whether it ends."""

    def __init__(self, height, width, comps, progressive, adobe, complete):
        self.height, self.width, self.comps = height, width, comps
        self.progressive, self.adobe, self.complete = progressive, adobe, complete


def _tables_ok(kind, body):
    """DHT/DQT segments must hold whole tables (libjpeg's JERR_BAD_LENGTH, JERR_BAD_HUFF_TABLE)."""
    i = 0
    while i < len(body):
        if kind == 0xC4:
            counts = body[i + 1:i + 17]
            if len(counts) < 16 or sum(counts) > 256:
                return False
            i += 17 + sum(counts)
        else:
            i += 1 + (128 if body[i] >> 4 else 64)
    return i == len(body)


def _header(data):
    """Walk the markers to the first SOS; None where libjpeg's jpeg_read_header would fail."""
    i, frame, adobe = 2, None, None
    while True:
        if i + 4 > len(data):
            return None
        marker = data[i + 1]
        if data[i] != 0xFF or marker in (0x00, 0xFF):  # libjpeg's next_marker: skip to the next 0xFF xx
            i += 1
            continue
        n = struct.unpack(">H", data[i + 2:i + 4])[0]
        body = data[i + 4:i + 2 + n]
        if n < 2 or len(body) != n - 2:
            return None
        if marker in _SOF:
            if len(body) < 6 or len(body) != 6 + 3 * body[5] or body[5] == 0:
                return None
            height, width = struct.unpack(">HH", body[1:5])
            comps = [(body[6 + 3 * k], body[7 + 3 * k] >> 4, body[7 + 3 * k] & 15) for k in range(body[5])]
            if not height or not width or any(not 1 <= h <= 4 or not 1 <= v <= 4 for _, h, v in comps):
                return None
            frame = (height, width, comps, marker in (0xC2, 0xC6, 0xCA, 0xCE))
        elif marker in (0xC4, 0xDB) and not _tables_ok(marker, body):
            return None
        elif marker == 0xEE and body[:5] == b"Adobe" and len(body) >= 12:
            adobe = body[11]
        elif marker == 0xDA:
            if frame is None:
                return None
            complete = data.find(b"\xff\xd9", i + 2 + n) >= 0  # 0xFFD9 never occurs inside scan data
            return _Header(*frame, adobe, complete)
        i += 2 + n


def _checked_header(data):
    header = _header(data)
    if header is None:
        raise InvalidArgumentError(None, None, _UNCOMPRESS)
    return header


# ---- what libjpeg does that Pillow cannot be asked for -------------------------------------------
def _scaled_sizes(header, ratio):
    """libjpeg-turbo's per-component IDCT size at 1/ratio (jdmaster.c): chroma is scaled up by the
    IDCT, not the upsampler, where it can."""
    max_h = max(h for _, h, _ in header.comps)
    max_v = max(v for _, _, v in header.comps)
    smallest = 8 // ratio
    sizes = []
    for _, h, v in header.comps:
        size = smallest
        while size < 8 and (max_h * smallest) % (h * size * 2) == 0 and (max_v * smallest) % (v * size * 2) == 0:
            size *= 2
        sizes.append((size, max_h * smallest // (h * size), max_v * smallest // (v * size)))
    return sizes


def _fancy_h2(plane, width):
    """jdsample.c h2v1_fancy_upsample along the last axis: 3/4 nearer + 1/4 further sample."""
    x = plane.astype(np.int32)
    left, right = np.empty_like(x), np.empty_like(x)
    left[..., 1:] = (3 * x[..., 1:] + x[..., :-1] + 1) >> 2
    left[..., 0] = x[..., 0]
    right[..., :-1] = (3 * x[..., :-1] + x[..., 1:] + 2) >> 2
    right[..., -1] = x[..., -1]
    return np.stack([left, right], axis=-1).reshape(x.shape[:-1] + (-1,))[..., :width]


def _fancy_h2v2(plane, height, width):
    """jdsample.c h2v2_fancy_upsample: the column sums 3*nearer row + further row (edge rows
    repeated), then 3/4 : 1/4 across, with the biases 8 and 7 of its >> 4."""
    x = plane.astype(np.int32)
    padded = np.concatenate([x[:1], x, x[-1:]])
    sums = np.stack([3 * x + padded[:-2], 3 * x + padded[2:]], axis=1).reshape(-1, x.shape[1])
    left, right = np.empty_like(sums), np.empty_like(sums)
    left[:, 1:] = (3 * sums[:, 1:] + sums[:, :-1] + 8) >> 4
    left[:, 0] = (4 * sums[:, 0] + 8) >> 4
    right[:, :-1] = (3 * sums[:, :-1] + sums[:, 1:] + 7) >> 4
    right[:, -1] = (4 * sums[:, -1] + 7) >> 4
    return np.stack([left, right], axis=-1).reshape(sums.shape[0], -1)[:height, :width]


def _fancy_v2(plane, height):
    """jdsample.c h1v2_fancy_upsample: 3/4 nearer + 1/4 further row, biases 1 (above) and 2."""
    x = plane.astype(np.int32)
    padded = np.concatenate([x[:1], x, x[-1:]])
    rows = np.stack([(3 * x + padded[:-2] + 1) >> 2, (3 * x + padded[2:] + 2) >> 2], axis=1)
    return rows.reshape(-1, x.shape[1])[:height]


def _fix(x):
    return int(x * 65536 + 0.5)


def _ycc_to_rgb(y, cb, cr):
    """jdcolor.c ycc_rgb_convert: its fixed-point tables, 16 fraction bits, clamped to 0..255."""
    cb, cr, y = cb.astype(np.int64) - 128, cr.astype(np.int64) - 128, y.astype(np.int64)
    half = 1 << 15
    r = y + ((_fix(1.40200) * cr + half) >> 16)
    g = y + ((-_fix(0.34414) * cb + half - _fix(0.71414) * cr) >> 16)
    b = y + ((_fix(1.77200) * cb + half) >> 16)
    return np.clip(np.stack([r, g, b], axis=-1), 0, 255).astype(np.uint8)


def _fast_fancy(data, header):
    """The fast IDCT with fancy upsampling (TF's default): Pillow decodes Y, Cb, Cr with the fast
    IDCT and replicated chroma; the chroma planes are taken back and upsampled as libjpeg does."""
    (_, h0, v0), rest = header.comps[0], header.comps[1:]
    if len(rest) != 2 or any((h, v) != (1, 1) for _, h, v in rest) or (h0, v0) not in ((2, 1), (2, 2), (1, 2)):
        return None  # other layouts: Pillow's accurate IDCT (docs/input_pipelines.md)
    ycc = _pillow(data, "YCbCr", 1, fast=True)
    height, width = header.height, header.width
    planes = [ycc[..., 0]]
    for k in (1, 2):
        chroma = ycc[::v0, ::h0, k]
        if (h0, v0) == (2, 2):
            planes.append(_fancy_h2v2(chroma, height, width))
        elif h0 == 2:
            planes.append(_fancy_h2(chroma, width))
        else:
            planes.append(_fancy_v2(chroma, height))
    return _ycc_to_rgb(*planes)


def _accurate_plain(data, header):
    """The accurate IDCT without fancy upsampling, for 4:2:0: Y from Pillow's accurate decode, the
    chroma planes from its decode at half size (libjpeg then runs their full 8x8 accurate IDCT and
    upsamples nothing), repeated 2x2 as libjpeg's merged upsampler does, then jdmerge.c's colours."""
    if [(h, v) for _, h, v in header.comps] != [(2, 2), (1, 1), (1, 1)]:
        return None
    y = _pillow(data, "YCbCr", 1, fast=False)[..., 0]
    half = _pillow(data, "YCbCr", 2, fast=False)
    cb, cr = (half[..., k].repeat(2, axis=0).repeat(2, axis=1)[:y.shape[0], :y.shape[1]] for k in (1, 2))
    return _ycc_to_rgb(y, cb, cr)


def _pillow(data, mode, ratio, fast):
    """Pillow's decode at 1/ratio, in `mode` ("L", "YCbCr" or the file's), with libjpeg's fast IDCT
    and no fancy upsampling (`fast`, Pillow's draft flag) or its accurate IDCT with fancy upsampling."""
    im = JpegImagePlugin.JpegImageFile(io.BytesIO(data))  # not Image.open: the size is checked already
    im.draft(mode, None)
    if ratio > 1:
        size = (-(-im.size[0] // ratio), -(-im.size[1] // ratio))
        codec, _, offset, args = im.tile[0]
        im.tile = [type(im.tile[0])(codec, (0, 0) + size, offset, args)]
        im._size = size
    im.decoderconfig = (ratio, int(fast))
    im.load()
    pixels = np.asarray(im)
    return pixels[..., None] if pixels.ndim == 2 else pixels


def _cmyk_to_rgb(cmyk, adobe):
    """jpeg_mem.cc's CMYK conversion; Adobe's files store the inks inverted (Pillow undid that)."""
    c, m, y, k = (cmyk[..., i].astype(np.int32) for i in range(4))
    if adobe is not None:
        c, m, y, k = 255 - c, 255 - m, 255 - y, 255 - k
        return np.stack([k * c // 255, k * m // 255, k * y // 255], axis=-1).astype(np.uint8)
    return np.stack([(255 - k) * (255 - c) // 255, (255 - k) * (255 - m) // 255, (255 - k) * (255 - y) // 255],
                    axis=-1).astype(np.uint8)


def _decode_jpeg_bytes(data, channels, ratio, fancy_upscaling, try_recover_truncated, dct_method):
    header = _checked_header(data)
    components = channels or (1 if len(header.comps) == 1 else 3)
    if components == 1 and len(header.comps) == 4:
        raise InvalidArgumentError(None, None, _UNCOMPRESS)
    height, width = -(-header.height // ratio), -(-header.width // ratio)
    if height * width * components >= _MAX_BYTES:
        raise InvalidArgumentError(None, None, _UNCOMPRESS)
    check_allocation((height, width, 4), np.int64, named=np.uint8)  # the widest copy made below
    if not header.complete:
        if not try_recover_truncated:
            raise InvalidArgumentError(None, None, _UNCOMPRESS)
        data = data + b"\xff\xd9"  # jpeg_handle.cc: a truncated file gets a fake EOI
    sizes = _scaled_sizes(header, ratio)[:1 if components == 1 else None]
    upsampled = components == 3 and any((uh, uv) != (1, 1) for _, uh, uv in sizes)
    idct_8x8 = any(size == 8 for size, _, _ in sizes)
    fast = dct_method != "INTEGER_ACCURATE"
    try:
        if upsampled and idct_8x8 and fancy_upscaling and fast and ratio == 1 and header.adobe != 0:
            pixels = _fast_fancy(data, header)
            if pixels is not None:
                return pixels
        if upsampled and idct_8x8 and not fancy_upscaling and not fast and ratio == 1 and header.adobe != 0:
            pixels = _accurate_plain(data, header)
            if pixels is not None:
                return pixels
        # Pillow's two settings: (fast IDCT, no fancy upsampling) and (accurate, fancy)
        flag = (not fancy_upscaling) if upsampled else (fast if idct_8x8 else False)
        pixels = _pillow(data, "L" if components == 1 else None, ratio, flag)
    except _PIL_ERRORS:
        raise InvalidArgumentError(None, None, _UNCOMPRESS) from None
    if pixels.shape[2] == 4:
        pixels = _cmyk_to_rgb(pixels, header.adobe)
    if components == 3 and pixels.shape[2] == 1:
        pixels = np.repeat(pixels, 3, axis=2)
    return pixels


def _other_format(data, kind, channels, op_type):
    """PNG through png_ops; GIF and BMP through Pillow (TF2's DecodeJpeg reads PNGs and one-frame
    GIFs too; DecodeImage reads them all)."""
    if kind == "png" and channels == 1:
        pixels = png_ops._decode_png(data).astype(np.int64)
        if pixels.shape[2] < 3:
            return pixels[..., :1].astype(np.uint8)
        # libpng's png_set_rgb_to_gray with TF's weights 0.299, 0.587 (15 fraction bits)
        r, g, b = pixels[..., 0], pixels[..., 1], pixels[..., 2]
        return ((9798 * r + 19235 * g + 3735 * b + 16384) >> 15).astype(np.uint8)[..., None]
    if kind == "png":
        return png_ops._decode_png(data, channels=channels)
    if kind == "bmp" and op_type == "DecodeJpeg":
        raise InvalidArgumentError(None, None, "Trying to decode BMP format using a wrong op. Use `decode_bmp` or "
                                               "`decode_image` instead. Op used: DecodeJpeg")
    if kind == "gif" and channels not in (0, 3):
        raise InvalidArgumentError(None, None, f"channels must be 0 or 3 for GIF, got {channels}")
    if kind == "bmp" and channels not in (0, 3, 4):
        raise InvalidArgumentError(None, None, f"`channels` must be 0, 3 or 4 for BMP, but got {channels}")
    plugin = GifImagePlugin.GifImageFile if kind == "gif" else BmpImagePlugin.BmpImageFile
    try:
        im = plugin(io.BytesIO(data))
        check_allocation((im.size[1], im.size[0], 4), np.uint8)  # before Pillow walks the frames
        n = getattr(im, "n_frames", 1)
        check_allocation((n, im.size[1], im.size[0], 4), np.uint8)
        if n > 1 and op_type == "DecodeJpeg":
            raise InvalidArgumentError(None, None, f"Got {n} frames, but animated gifs can only be decoded by "
                                                   f"tf.io.decode_gif or tf.io.decode_image")
        mode = "RGBA" if channels == 4 or (kind == "bmp" and not channels and im.mode == "RGBA") else "RGB"
        frames = []
        for k in range(n):
            im.seek(k)
            frames.append(np.asarray(im.convert(mode)))
    except _PIL_ERRORS as e:
        raise InvalidArgumentError(None, None, f"Invalid {kind.upper()} data, size {len(data)}: {e}") from None
    return np.stack(frames) if kind == "gif" else frames[0]


def _checked_contents(contents):
    data = _bytes(contents)
    if not data:
        raise InvalidArgumentError(None, None, "Input is empty.")
    return data


def _rank0(op):
    if op.inputs[0].shape.ndims not in (None, 0):
        raise ValueError(f"Shape must be rank 0 but is rank {op.inputs[0].shape.ndims} for '{op.name}' (op: "
                         f"'{op.type}') with input shapes: {op.inputs[0].shape}.")


def _check_channels(what, channels, allowed):
    if channels not in allowed:
        raise ValueError(f"{what}: channels must be one of {', '.join(map(str, allowed))}, got {channels!r}")


# ---- DecodeJpeg -------------------------------------------------------------------------------
@kernel("DecodeJpeg", FRESH, inputs=("contents",), same_dtype=False)
def _decode_jpeg(contents, channels=0, ratio=1, fancy_upscaling=True, try_recover_truncated=False,
                 acceptable_fraction=1.0, dct_method=""):
    data = _checked_contents(contents)
    kind = _format(data)
    if kind != "jpeg":
        pixels = _other_format(data, kind, channels, "DecodeJpeg")
        return pixels if pixels.ndim == 3 else pixels[0]  # a one-frame GIF
    return _decode_jpeg_bytes(data, channels, ratio, fancy_upscaling, try_recover_truncated, dct_method)


@shape_rule("DecodeJpeg")
def _decode_jpeg_shape(op):
    _rank0(op)
    return [(None, None, op.attrs["channels"] or None)]


NotDifferentiable("DecodeJpeg")


def decode_jpeg(contents, channels=0, ratio=1, fancy_upscaling=True, try_recover_truncated=False,
                acceptable_fraction=1, dct_method="", name=None):
    """The pixels of a JPEG file's contents (a scalar tf.string) as a (height, width, channels) uint8
    tensor. Op type "DecodeJpeg".

    Args:
        channels: 0 keeps the file's (1 or 3), 1 asks for gray, 3 for RGB.
        ratio: 1, 2, 4 or 8: decode at 1/ratio of the size (libjpeg's scaled IDCT), cheaply.
        fancy_upscaling: smooth (True) or repeat (False) the half-resolution colour planes.
        try_recover_truncated: decode a file cut short, the missing blocks gray.
        acceptable_fraction: accepted and kept for TF's graph (libjpeg returns every row).
        dct_method: "" or "INTEGER_FAST" (TF's default), or "INTEGER_ACCURATE".
    """
    _check_channels("decode_jpeg", channels, (0, 1, 3))
    if ratio not in (1, 2, 4, 8):
        raise ValueError(f"decode_jpeg: ratio must be 1, 2, 4 or 8, got {ratio!r}")
    if dct_method not in _DCT_METHODS:
        raise ValueError(f"decode_jpeg: dct_method must be '', 'INTEGER_FAST' or 'INTEGER_ACCURATE', got "
                         f"{dct_method!r}")
    contents = convert_to_tensor(contents, dtype=_dtypes.string, name="contents")
    attrs = {"channels": int(channels), "ratio": int(ratio), "fancy_upscaling": bool(fancy_upscaling),
             "try_recover_truncated": bool(try_recover_truncated), "acceptable_fraction": float(acceptable_fraction),
             "dct_method": dct_method}
    return apply_op("DecodeJpeg", [contents], attrs, name=name, dtypes=[_dtypes.uint8])


# ---- ExtractJpegShape ---------------------------------------------------------------------------
@kernel("ExtractJpegShape", FRESH, inputs=("contents",), same_dtype=False)
def _extract_jpeg_shape(contents, output_type=_dtypes.int32):
    data = _bytes(contents)
    header = _header(data) if data[:3] == b"\xff\xd8\xff" else None
    if header is None:
        raise InvalidArgumentError(None, None, f"Invalid JPEG data, size {len(data)}")
    return np.array([header.height, header.width, len(header.comps)], dtype=output_type.np)


@shape_rule("ExtractJpegShape")
def _extract_jpeg_shape_shape(op):
    _rank0(op)
    return [(3,)]


NotDifferentiable("ExtractJpegShape")


def extract_jpeg_shape(contents, output_type=_dtypes.int32, name=None):
    """[height, width, channels] of a JPEG file's contents, read from its header alone (nothing is
    decoded). Op type "ExtractJpegShape"; output_type int32 or int64."""
    output_type = _dtypes.as_dtype(output_type)
    if output_type not in (_dtypes.int32, _dtypes.int64):
        raise TypeError(f"Value passed to parameter 'output_type' has DataType {output_type.name} not in list of "
                        f"allowed values: int32, int64")
    contents = convert_to_tensor(contents, dtype=_dtypes.string, name="contents")
    return apply_op("ExtractJpegShape", [contents], {"output_type": output_type}, name=name, dtypes=[output_type])


# ---- EncodeJpeg ---------------------------------------------------------------------------------
@kernel("EncodeJpeg", FRESH, inputs=("image",), same_dtype=False)
def _encode_jpeg(image, format="", quality=95, progressive=False, optimize_size=False,  # noqa: A002 - TF's name
                 chroma_downsampling=True, density_unit="in", x_density=300, y_density=300, xmp_metadata=""):
    shown = "[" + ",".join(str(d) for d in image.shape) + "]"
    if image.ndim != 3:
        raise InvalidArgumentError(None, None, f"image must be 3-dimensional{shown}")
    c = image.shape[2]
    if format and c != {"grayscale": 1, "rgb": 3}[format]:
        raise InvalidArgumentError(None, None, f"format {format} expects {1 if format == 'grayscale' else 3} "
                                               f"channels, got {shown}")
    if c not in (1, 3):
        raise InvalidArgumentError(None, None, f"image must have 1 or 3 channels, got {shown}")
    if not image.size:
        raise InvalidArgumentError(None, None, f"Invalid image size: {shown}")
    im = Image.fromarray(np.ascontiguousarray(image[..., 0] if c == 1 else image))
    out = io.BytesIO()
    options = {"quality": int(quality), "progressive": bool(progressive), "optimize": bool(optimize_size),
               "subsampling": 2 if chroma_downsampling and c == 3 else 0, "dpi": (int(x_density), int(y_density))}
    if xmp_metadata:
        options["xmp"] = xmp_metadata.encode() if isinstance(xmp_metadata, str) else xmp_metadata
    im.save(out, "JPEG", **options)
    data = bytearray(out.getvalue())
    if data[6:11] == b"JFIF\0":  # Pillow writes dots per inch; TF may say per cm
        data[13] = 2 if density_unit == "cm" else 1
    return np.array(bytes(data), dtype=object)


@shape_rule("EncodeJpeg")
def _encode_jpeg_shape(op):
    if op.inputs[0].shape.ndims not in (None, 3):
        raise ValueError(f"Shape must be rank 3 but is rank {op.inputs[0].shape.ndims} for '{op.name}' (op: "
                         f"'EncodeJpeg') with input shapes: {op.inputs[0].shape}.")
    return [()]


NotDifferentiable("EncodeJpeg")


def encode_jpeg(image, format="", quality=95, progressive=False, optimize_size=False,  # noqa: A002
                chroma_downsampling=True, density_unit="in", x_density=300, y_density=300, xmp_metadata="",
                name=None):
    """The JPEG file (a scalar tf.string) of a (height, width, 1 or 3) uint8 image. Op type "EncodeJpeg".

    `quality` 0-100, `chroma_downsampling` halves the colour planes both ways (4:2:0), `progressive`
    and `optimize_size` as libjpeg's; the density goes in the JFIF header, `xmp_metadata` in an
    APP1 segment."""
    if format not in ("", "grayscale", "rgb"):
        raise ValueError(f"encode_jpeg: format must be '', 'grayscale' or 'rgb', got {format!r}")
    if density_unit not in ("in", "cm"):
        raise ValueError(f"encode_jpeg: density_unit must be 'in' or 'cm', got {density_unit!r}")
    image = convert_to_tensor(image, dtype=_dtypes.uint8, name="image")
    attrs = {"format": format, "quality": int(quality), "progressive": bool(progressive),
             "optimize_size": bool(optimize_size), "chroma_downsampling": bool(chroma_downsampling),
             "density_unit": density_unit, "x_density": int(x_density), "y_density": int(y_density),
             "xmp_metadata": xmp_metadata}
    return apply_op("EncodeJpeg", [image], attrs, name=name, dtypes=[_dtypes.string])


# ---- DecodeImage ----------------------------------------------------------------------------------
@kernel("DecodeImage", FRESH, inputs=("contents",), same_dtype=False)
def _decode_image(contents, channels=0, dtype=_dtypes.uint8, expand_animations=True):
    if channels not in (0, 1, 3, 4):
        raise InvalidArgumentError(None, None, f"`channels` must be 0, 1, 3 or 4 but got {channels}")
    data = _checked_contents(contents)
    kind = _format(data)
    if kind == "jpeg" and channels == 4:
        raise InvalidArgumentError(None, None, "JPEG does not support 4 channels")
    if kind == "jpeg":
        pixels = _decode_jpeg_bytes(data, channels, 1, True, False, "")
    else:
        pixels = _other_format(data, kind, channels, "DecodeImage")
        if pixels.ndim == 4 and not expand_animations:
            pixels = pixels[0]
    if dtype == _dtypes.uint8:
        return pixels
    # TF reads an 8-bit PNG as 16 bits (x * 257) and scales by 1/65535; the others x << 8, 1/255
    wide = pixels.astype(np.uint16) * np.uint16(257) if kind == "png" else pixels.astype(np.uint16) << np.uint16(8)
    if dtype == _dtypes.uint16:
        return wide
    scale = np.float32(1 / 65535) if kind == "png" else np.float32(1 / 255)
    return ((wide if kind == "png" else pixels).astype(np.float32) * scale).astype(dtype.np)


@shape_rule("DecodeImage")
def _decode_image_shape(op):
    _rank0(op)
    if op.attrs["expand_animations"]:
        return [None]
    return [(None, None, op.attrs["channels"] or None)]


NotDifferentiable("DecodeImage")


def decode_image(contents, channels=None, dtype=_dtypes.uint8, name=None, expand_animations=True):
    """The pixels of a JPEG, PNG, GIF or BMP file, whichever the header says. Op type "DecodeImage"
    in a "decode_image" scope. A GIF gives (frames, height, width, 3) unless expand_animations is
    False (its first frame); the others (height, width, channels). dtype uint8, uint16 or float
    (scaled to [0, 1])."""
    dtype = _dtypes.as_dtype(dtype)
    with _scope(name or "decode_image", [contents]):
        contents = convert_to_tensor(contents, dtype=_dtypes.string, name="contents")
        attrs = {"channels": int(channels or 0), "dtype": dtype, "expand_animations": bool(expand_animations)}
        return apply_op("DecodeImage", [contents], attrs, dtypes=[dtype])


# ---- is_jpeg (Substr, Equal) ----------------------------------------------------------------------
@kernel("Substr", FRESH, inputs=("input", "pos", "len"), same_dtype=False)
def _substr(input, pos, len, unit="BYTE"):  # noqa: A002 - TF's argument names
    def one(s, p, n):
        if not 0 <= p <= builtins.len(s):
            raise InvalidArgumentError(None, None, f"pos {p} out of range for string b'{s.decode('latin-1')}' at index 0")
        return s[p:p + max(n, 0)]
    out = np.frompyfunc(one, 3, 1)(np.asarray(input, dtype=object), np.asarray(pos), np.asarray(len))
    return np.asarray(out, dtype=object)


@shape_rule("Substr")
def _substr_shape(op):
    return [op.inputs[0].shape]


NotDifferentiable("Substr")


def is_jpeg(contents, name=None):
    """Whether a file's contents start as a JPEG's do (0xFF 0xD8 0xFF): a bool scalar, without
    decoding. TF's graph: is_jpeg/Substr (the first 3 bytes), is_jpeg/Equal."""
    with _scope(name or "is_jpeg", [contents]):
        contents = convert_to_tensor(contents, dtype=_dtypes.string, name="contents")
        first = apply_op("Substr", [contents, 0, 3], {"unit": "BYTE"},
                         name="Substr", dtypes=[_dtypes.string])
        return compare.equal(first, b"\xff\xd8\xff")
