"""CRC-32C (Castagnoli), the checksum of TFRecord event files and of checkpoints' tables and data.

Mirrors tensorflow/core/lib/hash/crc32c.cc. One implementation for events.py and
train/sstable.py: google-crc32c's C code when that package is installed, else a byte loop for
short data and many interleaved byte loops in numpy for long data (megabytes of tensors).
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
    advances together, one byte column at a time; the registers are then folded left to right,
    since the CRC of `a + b` is the CRC of `a` pushed through len(b) zero bytes, xor the CRC of
    `b` alone.
    """
    if _google is not None:
        return _google.extend(crc, bytes(data))
    data = memoryview(data).cast("B")
    n = len(data)
    reg = crc ^ 0xFFFFFFFF
    k = chunk = 0
    if n >= 2048:
        # chunks of ~sqrt(n) bytes: numpy steps (one per byte of a chunk) and Python folds (one
        # per chunk) then cost about the same; above 512, memory traffic slows longer chunks
        chunk = min(512, max(64, 1 << round(math.log2(n / 6) / 2)))
        k = n // chunk
        columns = np.frombuffer(data, np.uint8, k * chunk).reshape(k, chunk).T.copy()
        state = np.zeros(k, np.uint32)
        state[0] = reg  # the starting register only affects the first chunk
        for column in columns:
            state = _TABLE[(state ^ column) & 0xFF] ^ (state >> 8)
        t0, t1, t2, t3 = _zeros_operator(chunk)
        reg = int(state[0])
        for s in state[1:].tolist():
            reg = t0[reg & 0xFF] ^ t1[(reg >> 8) & 0xFF] ^ t2[(reg >> 16) & 0xFF] ^ t3[reg >> 24] ^ s
    table = TABLE
    for b in data[k * chunk:]:
        reg = table[(reg ^ b) & 0xFF] ^ (reg >> 8)
    return reg ^ 0xFFFFFFFF


_ZEROS = {}


def _zeros_operator(length):
    """Tables for "push a CRC register through `length` zero bytes", a linear map on 32 bits.

    The map is found on the 32 one-bit registers; four tables of 256 then apply it a byte
    of the register at a time.
    """
    if length not in _ZEROS:
        basis = np.uint32(1) << np.arange(32, dtype=np.uint32)
        for _ in range(length):
            basis = _TABLE[basis & 0xFF] ^ (basis >> 8)
        bits = (np.arange(256)[:, None] >> np.arange(8)) & 1
        _ZEROS[length] = [np.bitwise_xor.reduce(np.where(bits, basis[8 * i:8 * i + 8], 0), axis=1).tolist()
                          for i in range(4)]
    return _ZEROS[length]


def mask(crc):
    """The CRC as TFRecord files and tables store it: rotated and offset, so a CRC of CRCs does
    not look valid."""
    return (((crc >> 15) | (crc << 17)) + 0xA282EAD8) & 0xFFFFFFFF


def masked_crc32c(data):
    return mask(crc32c(data))
