"""DecodeJpeg, EncodeJpeg, ExtractJpegShape, DecodeImage, is_jpeg: tf.image.decode_jpeg & co.

Mirrors tensorflow/core/kernels/image/decode_image_op.cc, encode_jpeg_op.cc and
extract_jpeg_shape_op.cc. The decoding (Pillow's libjpeg, plus what TF asks libjpeg for that Pillow
cannot) is in jpeg_codec.py; the pixels are TF's (docs/input_pipelines.md says where they are not).
"""
import builtins
import io

import numpy as np
from PIL import Image

from .. import dtypes as _dtypes
from ..errors import InternalError, InvalidArgumentError
from ..graph import convert_to_tensor
from ..registry import FRESH, NotDifferentiable, apply_op, kernel, shape_rule
from . import compare, jpeg_codec
from .common import _scope

_UNKNOWN = "Unknown image file format. One of JPEG, JPEG XL, PNG, GIF, BMP, WebP required."
_DCT_METHODS = ("", "INTEGER_FAST", "INTEGER_ACCURATE")


def _bytes(contents, extract=False):
    shape = np.shape(contents)
    if shape:  # a placeholder without a static shape lets a list through to here
        raise InvalidArgumentError(None, None, f"contents must be scalar, got shape [{','.join(map(str, shape))}]"
                                   if extract else f"`contents` must be scalar but got shape[{','.join(map(str, shape))}]")
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
    jpeg_codec.check_op_and_channels(kind, "DecodeJpeg", channels)
    if kind != "jpeg":
        pixels = jpeg_codec.decode_other(data, kind, channels, "DecodeJpeg")
        return pixels if pixels.ndim == 3 else pixels[0]  # a one-frame GIF
    return jpeg_codec.decode_jpeg_bytes(data, channels, ratio, fancy_upscaling, try_recover_truncated, dct_method)


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
    data = _bytes(contents, extract=True)
    header = jpeg_codec.header_of(data) if data[:3] == b"\xff\xd8\xff" else None
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
        raise InternalError(None, None, "JPEG encoding failed")
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
    jpeg_codec.check_op_and_channels(kind, "DecodeImage", channels)
    if kind == "jpeg":
        pixels = jpeg_codec.decode_jpeg_bytes(data, channels, 1, True, False, "")
    else:
        pixels = jpeg_codec.decode_other(data, kind, channels, "DecodeImage")
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


# ---- DecodeGif, DecodeBmp -------------------------------------------------------------------------
@kernel("DecodeGif", FRESH, inputs=("contents",), same_dtype=False)
def _decode_gif(contents):
    data = _checked_contents(contents)
    kind = _format(data)
    jpeg_codec.check_op_and_channels(kind, "DecodeGif", 3)
    if kind == "jpeg":  # TF 2's kernel: any still image, as one RGB frame
        return jpeg_codec.decode_jpeg_bytes(data, 3, 1, True, False, "")[None]
    pixels = jpeg_codec.decode_other(data, kind, 3, "DecodeGif")
    return pixels if pixels.ndim == 4 else pixels[None]


@shape_rule("DecodeGif")
def _decode_gif_shape(op):
    _rank0(op)
    return [(None, None, None, 3)]


NotDifferentiable("DecodeGif")


def decode_gif(contents, name=None):
    """The frames of a GIF file as a (frames, height, width, 3) uint8 tensor. Op type "DecodeGif"."""
    contents = convert_to_tensor(contents, dtype=_dtypes.string, name="contents")
    return apply_op("DecodeGif", [contents], {}, name=name, dtypes=[_dtypes.uint8])


@kernel("DecodeBmp", FRESH, inputs=("contents",), same_dtype=False)
def _decode_bmp(contents, channels=0):
    data = _checked_contents(contents)
    kind = _format(data)
    jpeg_codec.check_op_and_channels(kind, "DecodeBmp", channels)
    return jpeg_codec.decode_other(data, kind, channels, "DecodeBmp")


@shape_rule("DecodeBmp")
def _decode_bmp_shape(op):
    _rank0(op)
    return [(None, None, op.attrs["channels"] or None)]


NotDifferentiable("DecodeBmp")


def decode_bmp(contents, channels=0, name=None):
    """The pixels of a BMP file as a (height, width, channels) uint8 tensor; `channels` 0 keeps the
    file's, 3 or 4 ask for RGB or RGBA. Op type "DecodeBmp"."""
    contents = convert_to_tensor(contents, dtype=_dtypes.string, name="contents")
    return apply_op("DecodeBmp", [contents], {"channels": int(channels)}, name=name, dtypes=[_dtypes.uint8])


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
