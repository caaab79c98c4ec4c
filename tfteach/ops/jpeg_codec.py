"""The JPEG decoding behind tfteach/ops/jpeg_ops.py: the header read as libjpeg reads it, Pillow's
libjpeg for the entropy decoding and IDCT, and what TF asks libjpeg for that Pillow cannot.

Mirrors tensorflow/core/lib/jpeg/jpeg_mem.cc (TF's decoder settings, its size limit, its CMYK
conversion) and, for TF's default, libjpeg-turbo's jdsample.c (fancy upsampling) and jdcolor.c
(YCbCr to RGB). GIF and BMP files (which TF's image ops also read) go through Pillow as they are.
"""
import io
import struct

import numpy as np
from PIL import BmpImagePlugin, GifImagePlugin, Image, JpegImagePlugin

from ..errors import InvalidArgumentError
from ..limits import check_allocation
from . import png_ops

UNCOMPRESS = "jpeg::Uncompress failed. Invalid JPEG data or crop window."
_MAX_BYTES = 1 << 29  # jpeg_mem.cc: "Image too large" at stride * height >= 2**29
# what a damaged file can make Pillow raise
_PIL_ERRORS = (OSError, SyntaxError, ValueError, EOFError, IndexError, struct.error, Image.DecompressionBombError)


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


def header_of(data):
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
    header = header_of(data)
    if header is None:
        raise InvalidArgumentError(None, None, UNCOMPRESS)
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


# jdcolor.c's tables, indexed by the Cb or Cr sample: 16 fraction bits, ONE_HALF folded in
_C = np.arange(256, dtype=np.int64) - 128
_CR_R = ((_fix(1.40200) * _C + (1 << 15)) >> 16).astype(np.int32)
_CB_B = ((_fix(1.77200) * _C + (1 << 15)) >> 16).astype(np.int32)
_CR_G = (-_fix(0.71414) * _C).astype(np.int32)
_CB_G = (-_fix(0.34414) * _C + (1 << 15)).astype(np.int32)


def _ycc_to_rgb(y, cb, cr):
    """jdcolor.c ycc_rgb_convert: its fixed-point tables, clamped to 0..255."""
    y, cb, cr = y.astype(np.int32), np.asarray(cb, np.uint8), np.asarray(cr, np.uint8)
    out = np.empty(y.shape + (3,), np.uint8)
    for k, plane in enumerate((y + _CR_R[cr], y + ((_CB_G[cb] + _CR_G[cr]) >> 16), y + _CB_B[cb])):
        np.clip(plane, 0, 255, out=plane)
        out[..., k] = plane
    return out


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


def decode_jpeg_bytes(data, channels, ratio, fancy_upscaling, try_recover_truncated, dct_method):
    header = _checked_header(data)
    components = channels or (1 if len(header.comps) == 1 else 3)
    if components == 1 and len(header.comps) == 4:
        raise InvalidArgumentError(None, None, UNCOMPRESS)
    height, width = -(-header.height // ratio), -(-header.width // ratio)
    if height * width * components >= _MAX_BYTES:
        raise InvalidArgumentError(None, None, UNCOMPRESS)
    check_allocation((height, width, 4), np.int64, named=np.uint8)  # the widest copy made below
    if not header.complete:
        if not try_recover_truncated:
            raise InvalidArgumentError(None, None, UNCOMPRESS)
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
        raise InvalidArgumentError(None, None, UNCOMPRESS) from None
    if pixels.shape[2] == 4:
        pixels = _cmyk_to_rgb(pixels, header.adobe)
    if components == 3 and pixels.shape[2] == 1:
        pixels = np.repeat(pixels, 3, axis=2)
    return pixels


def decode_other(data, kind, channels, op_type):
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
    plugin = GifImagePlugin.GifImageFile if kind == "gif" else BmpImagePlugin.BmpImageFile
    try:
        im = plugin(io.BytesIO(data))
        check_allocation((im.size[1], im.size[0], 4), np.uint8)  # before Pillow walks the frames
        n = getattr(im, "n_frames", 1)
        check_allocation((n, im.size[1], im.size[0], 4), np.uint8)
        if n > 1 and op_type in ("DecodeJpeg", "DecodePng"):
            raise InvalidArgumentError(None, None, f"Got {n} frames, but animated gifs can only be decoded by "
                                                   f"tf.io.decode_gif or tf.io.decode_image")
        mode = "RGBA" if channels == 4 or (kind == "bmp" and not channels and im.mode == "RGBA") else "RGB"
        frames = []
        for k in range(n):
            im.seek(k)
            frames.append(np.asarray(im.convert(mode)))
    except _PIL_ERRORS as e:
        raise InvalidArgumentError(None, None, f"Invalid {kind.upper()} data, size {len(data)}: {e}") from None
    if len({f.shape for f in frames}) > 1:  # Pillow gives a damaged GIF's frames different sizes
        raise InvalidArgumentError(None, None, f"Invalid GIF data, size {len(data)}: frames of different sizes "
                                               f"{sorted({f.shape[:2] for f in frames})}")
    return np.stack(frames) if kind == "gif" else frames[0]


_NAMES = {"jpeg": "JPEG", "png": "PNG", "gif": "GIF", "bmp": "BMP"}


def check_op_and_channels(kind, op_type, channels):
    """decode_image_op.cc's checks, in its order: the channels the format allows, then whether
    this op may read the format (TF 2's one kernel serves DecodeJpeg, DecodePng, DecodeGif, DecodeBmp
    and DecodeImage)."""
    if kind == "jpeg" and channels not in (0, 1, 3):
        raise InvalidArgumentError(None, None, "JPEG does not support 4 channels" if channels == 4 else
                                   f"channels must be 0, 1, or 3 for JPEG, got {channels}")
    if kind == "gif" and channels not in (0, 3):
        raise InvalidArgumentError(None, None, f"channels must be 0 or 3 for GIF, got {channels}")
    if kind == "bmp" and channels not in (0, 3, 4):
        raise InvalidArgumentError(None, None, f"`channels` must be 0, 3 or 4 for BMP, but got {channels}")
    if op_type == "DecodeBmp" and kind != "bmp":
        raise InvalidArgumentError(None, None, f"Trying to decode {_NAMES[kind]} format using DecodeBmp op. Use "
                                               f"`decode_{kind}` or `decode_image` instead.")
    if kind == "bmp" and op_type not in ("DecodeBmp", "DecodeImage"):
        raise InvalidArgumentError(None, None, "Trying to decode BMP format using a wrong op. Use `decode_bmp` or "
                                               f"`decode_image` instead. Op used: {op_type}")
