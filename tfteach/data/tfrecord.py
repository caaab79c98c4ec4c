"""TFRecord files of training data: a writer (tf.io.TFRecordWriter) and a bounded reader.

The framing is the event files' (tfteach/events.py): uint64 length, its masked CRC32C, the
data, the data's masked CRC32C. The reader checks a length field against the bytes the file
has left before reading anything, so a hostile file cannot make it allocate more than its
own size; a bad CRC or a record cut short raise tf.errors.DataLossError (TF's wording).
"""
import os
import struct

from ..crc32c import masked_crc32c
from ..errors import DataLossError, InvalidArgumentError
from ..events import tfrecord
from ..fileio import open_file, tf_error


class TFRecordCompressionType:
    NONE, ZLIB, GZIP = 0, 1, 2


class TFRecordOptions:
    """Accepted with no compression only (tfteach writes and reads uncompressed TFRecords)."""

    def __init__(self, compression_type=None, **kwargs):
        _check_compression(compression_type)
        self.compression_type = compression_type


def _check_compression(compression_type):
    if isinstance(compression_type, TFRecordOptions):
        compression_type = compression_type.compression_type
    if compression_type not in (None, "", 0, TFRecordCompressionType.NONE):
        raise InvalidArgumentError(None, None, f"tfteach reads and writes uncompressed TFRecord files only, got "
                                   f"compression_type={compression_type!r}")


class TFRecordWriter:
    """Writes records (bytes, e.g. `example.SerializeToString()`) to a TFRecord file.

    Usable as a context manager: `with tf.io.TFRecordWriter(path) as w: w.write(data)`.
    """

    def __init__(self, path, options=None):
        _check_compression(options)
        self.path = os.fspath(path)
        try:
            self._file = open(self.path, "wb")
        except OSError as e:
            raise tf_error(self.path, e) from None

    def write(self, record):
        if self._file.closed:
            raise ValueError(f"TFRecordWriter for {self.path} is closed.")
        if isinstance(record, str):
            record = record.encode()
        self._file.write(tfrecord(bytes(record)))

    def flush(self):
        self._file.flush()

    def close(self):
        self._file.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def read_records(path):
    """Yield the data of each record of TFRecord file `path`, checking lengths and CRCs."""
    for _, data in read_records_at(path):
        yield data


def read_records_at(path):
    """Yield (byte offset, data) for each record of TFRecord file `path` (see read_records)."""
    path = os.fspath(path.decode() if isinstance(path, bytes) else path)
    with open_file(path) as f:
        size = os.fstat(f.fileno()).st_size
        offset = 0
        while True:
            header = f.read(12)
            if not header:
                return
            if len(header) < 12:
                raise DataLossError(None, None, f"truncated record at {offset}' failed with Read less bytes "
                                    f"than requested ({path}: {len(header)} of a 12-byte header)")
            length, length_crc = struct.unpack("<QI", header)
            if masked_crc32c(header[:8]) != length_crc:
                raise DataLossError(None, None, f"corrupted record at {offset} ({path}: the length fails its CRC)")
            if length + 4 > size - offset - 12:  # checked before reading: no allocation past the file
                raise DataLossError(None, None, f"truncated record at {offset}' failed with Read less bytes "
                                    f"than requested ({path}: a record of {length} bytes, "
                                    f"{max(size - offset - 16, 0)} left in the file)")
            body = f.read(length + 4)
            data, (data_crc,) = body[:length], struct.unpack("<I", body[length:])
            if masked_crc32c(data) != data_crc:
                raise DataLossError(None, None, f"corrupted record at {offset} ({path}: the data fails its CRC)")
            yield offset, data
            offset += 16 + length


def tf_record_iterator(path, options=None):
    """tf.python_io.tf_record_iterator: the records of a file, as bytes."""
    _check_compression(options)
    return read_records(path)
