"""A small PNG writer and reader (numpy + zlib), for image summaries: no imaging library needed.

Only what TensorBoard's images need: 8-bit grayscale, gray+alpha, RGB or RGBA, no interlacing.
The writer puts filter 0 (none) on every row; the reader undoes all five PNG filters, so it
also reads PNGs written by TensorFlow or any other encoder.
"""
import struct
import zlib

import numpy as np

_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_COLOR_TYPE = {1: 0, 2: 4, 3: 2, 4: 6}     # channels -> PNG colour type
_CHANNELS = {v: k for k, v in _COLOR_TYPE.items()}


def _chunk(kind, body):
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def encode_png(pixels, level=6):
    """The PNG bytes of a (height, width, channels) uint8 array (channels 1, 2, 3 or 4)."""
    pixels = np.asarray(pixels)
    if pixels.dtype != np.uint8 or pixels.ndim != 3 or pixels.shape[2] not in _COLOR_TYPE:
        raise ValueError(f"encode_png: want a (height, width, 1|2|3|4) uint8 array, got "
                         f"{pixels.dtype} {pixels.shape}")
    h, w, c = pixels.shape
    rows = np.zeros((h, 1 + w * c), np.uint8)  # a leading 0 on each row: filter type None
    rows[:, 1:] = pixels.reshape(h, w * c)
    header = struct.pack(">IIBBBBB", w, h, 8, _COLOR_TYPE[c], 0, 0, 0)
    return (_SIGNATURE + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(rows.tobytes(), level))
            + _chunk(b"IEND", b""))


def decode_png(data):
    """The pixels of an 8-bit, non-interlaced PNG as a (height, width, channels) uint8 array."""
    if data[:8] != _SIGNATURE:
        raise ValueError("decode_png: not a PNG (the first 8 bytes are not the PNG signature)")
    i, idat, header = 8, [], None
    while i < len(data):
        n, kind = struct.unpack(">I4s", data[i:i + 8])
        body = data[i + 8:i + 8 + n]
        if zlib.crc32(kind + body) != struct.unpack(">I", data[i + 8 + n:i + 12 + n])[0]:
            raise ValueError(f"decode_png: bad CRC in chunk {kind!r}")
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        i += 12 + n
    w, h, depth, color, _, _, interlace = header
    if depth != 8 or interlace or color not in _CHANNELS:
        raise ValueError(f"decode_png: only 8-bit non-interlaced gray/RGB(A) PNGs, got depth {depth}, "
                         f"colour type {color}, interlace {interlace}")
    c = _CHANNELS[color]
    raw = np.frombuffer(zlib.decompress(b"".join(idat)), np.uint8).reshape(h, 1 + w * c)
    out = np.zeros((h, w * c), np.int64)
    for y in range(h):
        out[y] = _unfilter(raw[y, 0], raw[y, 1:].astype(np.int64), out[y - 1] if y else np.zeros(w * c, np.int64), c)
    return out.reshape(h, w, c).astype(np.uint8)


def _unfilter(kind, line, prev, c):
    if kind == 0:
        return line
    if kind == 2:
        return (line + prev) & 0xFF
    out = np.zeros_like(line)
    for x in range(len(line)):  # Sub, Average and Paeth read the pixel just decoded
        a = out[x - c] if x >= c else 0
        b, d = prev[x], (prev[x - c] if x >= c else 0)
        if kind == 1:
            p = a
        elif kind == 3:
            p = (a + b) // 2
        else:
            pa, pb, pc = abs(b - d), abs(a - d), abs(a + b - 2 * d)
            p = a if pa <= pb and pa <= pc else (b if pb <= pc else d)
        out[x] = (line[x] + p) & 0xFF
    return out
