"""CRC-32C (Castagnoli), the checksum of TFRecord event files and of checkpoints' tables and data.

Mirrors tensorflow/core/lib/hash/crc32c.cc. One implementation for events.py and
train/sstable.py: google-crc32c's C code when that package is installed, else a byte loop for
short data and many interleaved word loops in numpy for long data (events, megabytes of tensors).
"""
import math

import numpy as np

try:  # optional: hardware CRC32C, thousands of times faster than numpy on long data
    import google_crc32c as _google
    if _google.implementation != "c":
        _google = None
except ImportError:
    _google = None

POLY = 0x82F63B78  # Castagnoli's polynomial, bit-reversed


def _byte_table():
    table = []
    for byte in range(256):
        crc = byte
        for _ in range(8):
            crc = (crc >> 1) ^ POLY if crc & 1 else crc >> 1
        table.append(crc)
    return table


TABLE = _byte_table()
_TABLE = np.array(TABLE, dtype=np.uint32)


def crc32c(data, crc=0):
    """CRC-32C of `data`, continuing from `crc` (TF's crc32c::Extend; crc=0 starts anew).

    crc32c(b"123456789") == 0xE3069283. Long data is cut into k chunks whose CRC registers numpy
    advances together, four bytes at a time: a register r reading the little-endian word w
    becomes r ^ w pushed through four zero bytes, a linear map applied as two lookups in tables of
    65,536. The CRC of `a + b` is the CRC of `a` pushed through len(b) zero bytes, xor the CRC of
    `b` alone: neighbouring registers are then folded pairwise, all pairs of a level at once, the
    pushed length doubling each level.
    """
    if _google is not None:
        return _google.extend(crc, bytes(data))
    data = memoryview(data).cast("B")
    n = len(data)
    reg = crc ^ 0xFFFFFFFF
    k = chunk = 0
    if n >= 1024:
        # chunks of about sqrt(n) / 4 bytes, at least 16: few word steps and few fold levels
        chunk = min(1024, max(16, 1 << round(math.log2(n) / 2 - 2)))
        k = n // chunk
        words = np.frombuffer(data, "<u4", k * chunk // 4).reshape(k, chunk // 4).T.copy()
        low, high = _word_tables()
        state = np.zeros(k, np.uint32)
        state[0] = reg  # the starting register only affects the first chunk
        for word in words:
            state ^= word
            state = low[state & 0xFFFF] ^ high[state >> 16]
        # chunks of zero bytes with a zero register in front change nothing: k becomes a power of 2
        state = np.concatenate([np.zeros((1 << (k - 1).bit_length()) - k, np.uint32), state])
        length = chunk
        while len(state) > 1:
            left = state[0::2]
            state = _apply(_zeros_operator(length), left) ^ state[1::2]
            length *= 2
        reg = int(state[0])
    table = TABLE
    for b in data[k * chunk:]:
        reg = table[(reg ^ b) & 0xFF] ^ (reg >> 8)
    return reg ^ 0xFFFFFFFF


_ZEROS = {}
_WORDS = []


def _apply(tables, values):
    """The linear map given by four byte tables (from _zeros_operator) applied to 32-bit values."""
    t0, t1, t2, t3 = tables
    return t0[values & 0xFF] ^ t1[(values >> 8) & 0xFF] ^ t2[(values >> 16) & 0xFF] ^ t3[values >> 24]


def _word_tables():
    """"Push through four zero bytes" as two tables of 65,536: for the low and the high half."""
    if not _WORDS:
        t0, t1, t2, t3 = _zeros_operator(4)
        i = np.arange(1 << 16)
        _WORDS.extend([t0[i & 0xFF] ^ t1[i >> 8], t2[i & 0xFF] ^ t3[i >> 8]])
    return _WORDS


def _zeros_operator(length):
    """Tables for "push a CRC register through `length` zero bytes", a linear map on 32 bits.

    The map is found on the 32 one-bit registers (for a power of 2, by applying the map of half
    the length twice); four tables of 256 then apply it a byte of the register at a time.
    """
    if length not in _ZEROS:
        basis = np.uint32(1) << np.arange(32, dtype=np.uint32)
        if length >= 8 and length & (length - 1) == 0:
            half = _zeros_operator(length // 2)
            basis = _apply(half, _apply(half, basis))
        else:
            for _ in range(length):
                basis = _TABLE[basis & 0xFF] ^ (basis >> 8)
        bits = (np.arange(256)[:, None] >> np.arange(8)) & 1
        _ZEROS[length] = [np.bitwise_xor.reduce(np.where(bits, basis[8 * i:8 * i + 8], np.uint32(0)), axis=1)
                          .astype(np.uint32) for i in range(4)]
    return _ZEROS[length]


def mask(crc):
    """The CRC as TFRecord files and tables store it: rotated and offset, so a CRC of CRCs does
    not look valid."""
    return (((crc >> 15) | (crc << 17)) + 0xA282EAD8) & 0xFFFFFFFF


def masked_crc32c(data):
    return mask(crc32c(data))
