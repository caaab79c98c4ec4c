"""A checkpoint's `.index` file: an SSTable, LevelDB's file of sorted (key, value) entries.

Mirrors tensorflow/core/lib/io/{block_builder,table_builder,format,table}.cc, which TF copied
from LevelDB; its CRC32C is tfteach/crc32c.py's, shared with the event files.

    file    := data block* metaindex block, index block, footer
    block   := entry* restart offsets (uint32 each), their count (uint32); then 1 type byte
               (0: not compressed) and the masked CRC32C of block + type byte
    entry   := varint shared, varint unshared, varint value size, key[shared:], value
    footer  := varint handles (offset, size) of metaindex and index, zero padding to 40
               bytes, the magic number 0xdb4775248b80fb57 (8 bytes, little-endian)

A key stores only what differs from the key before it (sorted keys share prefixes), except
at each 16th entry, a "restart point" where the key is written whole. The index block has
one entry per data block: a key between that block's last key and the next block's first
(as short as possible), and the block's handle.
"""
import struct

from ..errors import DataLossError
from ..crc32c import crc32c, mask  # noqa: F401 - checkpoint.py reads them from here
from ..protobuf import DecodeError, decode_varint, encode_varint

MAGIC = 0xDB4775248B80FB57
FOOTER_SIZE = 48
BLOCK_SIZE = 256 * 1024   # TF's table::Options: data blocks of about 256 KiB ...
RESTART_INTERVAL = 16     # ... a restart point every 16 keys (1 in the index block)
NO_COMPRESSION = 0


# ---- writing ---------------------------------------------------------------------------
class _BlockBuilder:
    def __init__(self, restart_interval):
        self.restart_interval = restart_interval
        self.buffer = bytearray()
        self.restarts = [0]
        self.counter = 0
        self.last_key = b""

    def add(self, key, value):
        shared = 0
        if self.counter < self.restart_interval:
            limit = min(len(key), len(self.last_key))
            while shared < limit and key[shared] == self.last_key[shared]:
                shared += 1
        else:
            self.restarts.append(len(self.buffer))
            self.counter = 0
        self.buffer += encode_varint(shared) + encode_varint(len(key) - shared) + encode_varint(len(value))
        self.buffer += key[shared:] + value
        self.last_key = key
        self.counter += 1

    def size_estimate(self):
        return len(self.buffer) + 4 * len(self.restarts) + 4

    def finish(self):
        return bytes(self.buffer) + struct.pack(f"<{len(self.restarts) + 1}I", *self.restarts, len(self.restarts))


def _shortest_separator(start, limit):
    """A short key >= start and < limit: `start` cut after its first differing byte, raised by 1."""
    i = 0
    while i < min(len(start), len(limit)) and start[i] == limit[i]:
        i += 1
    if i < min(len(start), len(limit)) and start[i] < 0xFF and start[i] + 1 < limit[i]:
        return start[:i] + bytes([start[i] + 1])
    return start


def _short_successor(key):
    """A short key >= key: its first byte that is not 0xff, raised by 1."""
    for i, b in enumerate(key):
        if b != 0xFF:
            return key[:i] + bytes([b + 1])
    return key


def _handle(offset, size):
    return encode_varint(offset) + encode_varint(size)


def write_table(entries, block_size=BLOCK_SIZE):
    """The bytes of a table holding `entries`, (key, value) byte strings in increasing key order."""
    out = bytearray()

    def write_block(block):
        raw = block.finish()
        offset = len(out)
        out.extend(raw + b"\0" + struct.pack("<I", mask(crc32c(b"\0", crc32c(raw)))))
        return _handle(offset, len(raw))

    data, index = _BlockBuilder(RESTART_INTERVAL), _BlockBuilder(1)
    pending, last_key = None, None
    for key, value in entries:
        if last_key is not None and key <= last_key:
            raise ValueError(f"table keys must increase: {key!r} after {last_key!r}")
        if pending is not None:
            index.add(_shortest_separator(last_key, key), pending)
            pending = None
        data.add(key, value)
        last_key = key
        if data.size_estimate() >= block_size:
            pending, data = write_block(data), _BlockBuilder(RESTART_INTERVAL)
    if data.counter:
        pending = write_block(data)
    metaindex = write_block(_BlockBuilder(RESTART_INTERVAL))  # empty: no filters, no stats
    if pending is not None:
        index.add(_short_successor(last_key), pending)
    index_handle = write_block(index)
    footer = (metaindex + index_handle).ljust(FOOTER_SIZE - 8, b"\0") + struct.pack("<Q", MAGIC)
    return bytes(out) + footer


# ---- reading ---------------------------------------------------------------------------
def read_table(data, path):
    """[(key, value)] of a table's bytes; anything malformed raises DataLossError naming `path`."""
    if len(data) < FOOTER_SIZE:
        raise _loss(path, 0, f"the file has {len(data)} bytes, fewer than a table's {FOOTER_SIZE}-byte footer "
                    "(cut short?)")
    end = len(data) - FOOTER_SIZE
    if struct.unpack_from("<Q", data, len(data) - 8)[0] != MAGIC:
        raise _loss(path, len(data) - 8, "no table magic number at the end of the file (not a checkpoint "
                    ".index file, or cut short)")
    try:
        meta_offset, pos = decode_varint(data, end)
        meta_size, pos = decode_varint(data, pos)
        index_offset, pos = decode_varint(data, pos)
        index_size, pos = decode_varint(data, pos)
    except DecodeError:
        raise _loss(path, end, "the footer's block handles are malformed") from None
    _block(data, meta_offset, meta_size, end, path)  # checked, not used: TF writes it empty
    entries, last, free = [], None, 0
    for _, handle in _entries(_block(data, index_offset, index_size, end, path), index_offset, path):
        try:
            offset, pos = decode_varint(handle, 0)
            size, _ = decode_varint(handle, pos)
        except DecodeError:
            raise _loss(path, index_offset, "an index entry is not a block handle") from None
        if offset < free:  # blocks follow one another: reading one twice would be work without end
            raise _loss(path, offset, f"an index entry points back into an earlier block (ending at {free})")
        free = offset + size + 5
        for key, value in _entries(_block(data, offset, size, end, path), offset, path):
            if last is not None and key <= last:
                raise _loss(path, offset, f"keys out of order: {key!r} after {last!r}")
            entries.append((key, value))
            last = key
    return entries


def _block(data, offset, size, end, path):
    """The contents of the block at `offset`, after checking its type byte and CRC."""
    if offset + size + 5 > end:
        raise _loss(path, offset, f"a block of {size} bytes would run past the table's end at {end}")
    raw = data[offset:offset + size + 1]
    (stored,) = struct.unpack_from("<I", data, offset + size + 1)
    if mask(crc32c(raw)) != stored:
        raise _loss(path, offset, "the block fails its CRC check (the file is corrupt)")
    if raw[-1] != NO_COMPRESSION:
        raise _loss(path, offset, f"the block is compressed (type {raw[-1]}); checkpoints are not")
    return raw[:-1]


def _entries(block, offset, path):
    """Yield (key, value) of a block's entries, rebuilding each key from the one before it."""
    if len(block) < 4:
        raise _loss(path, offset, "a block too short to hold its restart count")
    (restarts,) = struct.unpack_from("<I", block, len(block) - 4)
    limit = len(block) - 4 - 4 * restarts
    if restarts < 1 or limit < 0:
        raise _loss(path, offset, f"a block claims {restarts} restart points")
    pos, key = 0, b""
    try:
        while pos < limit:
            shared, pos = decode_varint(block, pos)
            unshared, pos = decode_varint(block, pos)
            size, pos = decode_varint(block, pos)
            if shared > len(key) or pos + unshared + size > limit:
                raise DecodeError("entry runs past its block")
            key = key[:shared] + bytes(block[pos:pos + unshared])
            pos += unshared
            yield key, bytes(block[pos:pos + size])
            pos += size
    except DecodeError as e:
        raise _loss(path, offset + pos, f"a malformed entry ({e})") from None


def _loss(path, offset, what):
    return DataLossError(None, None, f"{path}: corrupt checkpoint index at byte offset {offset}: {what}.")
