"""Protocol buffers by hand: the wire format, a table-driven Message, and the text format.

Mirrors the part of google.protobuf tfteach needs. A message lists its fields as
`(number, name, kind, rule)`; one encoder, decoder, printer and parser serve them all.
"""
import math
import re
import struct


class DecodeError(ValueError):
    """Bytes that are not a valid encoding of the message asked for."""


# ---- the wire format: varints, fixed-width numbers, length-delimited bytes -------------
VARINT, FIXED64, BYTES, FIXED32 = 0, 1, 2, 5
_WIRE = {"double": FIXED64, "float": FIXED32, "int64": VARINT, "int32": VARINT, "uint32": VARINT,
         "uint64": VARINT, "bool": VARINT, "string": BYTES, "bytes": BYTES, "fixed32": FIXED32,
         "fixed64": FIXED64}
ENUMS = {}  # enum kind -> {NAME: number}, filled by the modules that define messages


def _wire(kind):
    return _WIRE.get(kind, VARINT)  # enums are varints


def encode_varint(n):
    """Seven bits per byte, low bits first; the high bit says "more follows".

    Negative ints are sent as their 64-bit two's complement (ten bytes), as protobuf does.
    """
    n &= (1 << 64) - 1
    out = bytearray()
    while n > 0x7F:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


def decode_varint(data, pos):
    """The varint at data[pos:] and the position after it."""
    n = shift = 0
    while True:
        if pos >= len(data):
            raise DecodeError("truncated varint")
        b = data[pos]
        pos += 1
        n |= (b & 0x7F) << shift
        if b < 0x80:
            return n, pos
        shift += 7
        if shift >= 70:
            raise DecodeError("varint longer than 10 bytes")


def _scalar_bytes(kind, value):
    if kind == "double":
        return struct.pack("<d", value)
    if kind == "float":
        return struct.pack("<f", value)
    if kind in ("fixed32", "fixed64"):  # unsigned, little-endian (a checksum, in a checkpoint)
        return struct.pack("<I" if kind == "fixed32" else "<Q", value)
    if kind in ("string", "bytes"):
        value = value.encode("utf-8") if isinstance(value, str) else bytes(value)
        return encode_varint(len(value)) + value
    return encode_varint(int(value))


def _signed(n, bits=64):
    return n - (1 << 64) if n >= 1 << (bits - 1) else n


def _from_wire(kind, wire, raw):
    """A scalar field's Python value from its decoded wire value."""
    if kind == "double":
        return struct.unpack("<d", raw)[0]
    if kind == "float":
        return struct.unpack("<f", raw)[0]
    if kind in ("fixed32", "fixed64"):
        return struct.unpack("<I" if kind == "fixed32" else "<Q", raw)[0]
    if kind == "string":
        return raw.decode("utf-8", errors="replace")
    if kind == "bytes":
        return bytes(raw)
    if kind == "bool":
        return raw != 0
    if kind in ("int64", "int32") or kind in ENUMS:
        return _signed(raw)
    return raw


def _fields(data):
    """Yield (field number, wire type, raw value) for each field in an encoded message."""
    pos, end = 0, len(data)
    while pos < end:
        key, pos = decode_varint(data, pos)
        number, wire = key >> 3, key & 7
        if wire == VARINT:
            raw, pos = decode_varint(data, pos)
        elif wire in (FIXED64, FIXED32):
            size = 8 if wire == FIXED64 else 4
            raw, pos = data[pos:pos + size], pos + size
        elif wire == BYTES:
            size, pos = decode_varint(data, pos)
            raw, pos = data[pos:pos + size], pos + size
        else:
            raise DecodeError(f"unsupported wire type {wire} for field {number}")
        if pos > end or number == 0:
            raise DecodeError("truncated or malformed field")
        yield number, wire, raw


def _unpack(kind, raw):
    """The values of a packed repeated field (proto3 writes numbers packed)."""
    if kind in ("double", "float", "fixed32", "fixed64"):
        fmt = {"double": "d", "float": "f", "fixed32": "I", "fixed64": "Q"}[kind]
        size = struct.calcsize(fmt)
        if len(raw) % size:
            raise DecodeError("packed field has a partial value")
        return list(struct.unpack(f"<{len(raw) // size}{fmt}", raw))
    values, pos = [], 0
    while pos < len(raw):
        v, pos = decode_varint(raw, pos)
        values.append(_from_wire(kind, VARINT, v))
    return values


# ---- Message: fields described by a table ----------------------------------------------
class Message:
    """A protocol buffer message. Subclasses list FIELDS: (number, name, kind, rule).

    kind is a scalar type name, an enum name from ENUMS, or a Message subclass; rule is "" (proto3:
    written unless default), "oneof" (written whenever set, even to 0), "repeated", or
    "map" with kind = (key kind, value kind).
    """
    FIELDS = ()

    def __init__(self, **values):
        for _, name, kind, rule in self.FIELDS:
            setattr(self, name, [] if rule == "repeated" else {} if rule == "map" else _default(kind, rule))
        for name, value in values.items():
            if name not in self._names():
                raise TypeError(f"{type(self).__name__} has no field '{name}'")
            setattr(self, name, list(value) if isinstance(value, (list, tuple)) else value)

    @classmethod
    def _names(cls):
        return {f[1] for f in cls.FIELDS}

    def HasField(self, name):  # noqa: N802 - protobuf's name
        """Whether a message or oneof field is set (proto3 scalars have no presence)."""
        _, _, kind, rule = self._field(name)
        if rule == "oneof" or (isinstance(kind, type) and rule == ""):
            return getattr(self, name) is not None
        raise ValueError(f"Field {type(self).__name__}.{name} does not have presence.")

    @classmethod
    def _field(cls, name):
        for f in cls.FIELDS:
            if f[1] == name:
                return f
        raise ValueError(f"{cls.__name__} has no field '{name}'")

    def __eq__(self, other):
        return type(self) is type(other) and all(
            getattr(self, f[1]) == getattr(other, f[1]) for f in self.FIELDS)

    def __repr__(self):
        return str(self)  # as protobuf's own messages: `op.node_def` in a notebook shows its text

    def __str__(self):
        """The protobuf text format, as TensorFlow prints messages."""
        return "".join(_text_lines(self, ""))

    def ByteSize(self):  # noqa: N802
        return len(self.SerializeToString())

    # ---- binary ----------------------------------------------------------------
    def SerializeToString(self):  # noqa: N802 - protobuf's name
        out = bytearray()
        for number, name, kind, rule in sorted(self.FIELDS):
            value = getattr(self, name)
            if rule == "map":
                entry = _map_entry(kind)
                for k in sorted(value):
                    out += _field_bytes(number, entry, entry(key=k, value=value[k]))
            elif rule == "repeated":
                if value and not isinstance(kind, type) and _wire(kind) != BYTES:
                    packed = b"".join(_scalar_bytes(kind, v) for v in value)
                    out += encode_varint(number << 3 | BYTES) + encode_varint(len(packed)) + packed
                else:
                    for v in value:
                        out += _field_bytes(number, kind, v)
            elif value is not None and (rule == "oneof" or isinstance(kind, type)
                                        or value != _default(kind, rule)):
                out += _field_bytes(number, kind, value)
        return bytes(out)

    @classmethod
    def FromString(cls, data):  # noqa: N802 - protobuf's name
        msg = cls()
        msg.ParseFromString(data)
        return msg

    def ParseFromString(self, data):  # noqa: N802
        """Read fields from `data` into this message; any malformed input raises DecodeError."""
        try:
            return self._parse(bytes(data))
        except (struct.error, TypeError, KeyError) as e:
            raise DecodeError(f"{type(self).__name__}: malformed field ({e})") from None

    def _parse(self, data):
        by_number = {f[0]: f for f in self.FIELDS}
        for number, wire, raw in _fields(data):
            spec = by_number.get(number)
            if spec is None:
                continue  # a field tfteach does not model: skip it, as protobuf does
            _, name, kind, rule = spec
            if isinstance(kind, tuple):
                if wire != BYTES:
                    raise DecodeError(f"{type(self).__name__}.{name}: expected a map entry")
                entry = _map_entry(kind)()._parse(raw)
                getattr(self, name)[entry.key] = entry.value
            elif isinstance(kind, type):
                if wire != BYTES:
                    raise DecodeError(f"{type(self).__name__}.{name}: expected a message")
                value = kind()._parse(raw)
                getattr(self, name).append(value) if rule == "repeated" else setattr(self, name, value)
            elif rule == "repeated" and wire == BYTES and _wire(kind) != BYTES:
                getattr(self, name).extend(_unpack(kind, raw))
            else:
                if wire != _wire(kind):
                    raise DecodeError(f"{type(self).__name__}.{name}: wrong wire type {wire}")
                value = _from_wire(kind, wire, raw)
                getattr(self, name).append(value) if rule == "repeated" else setattr(self, name, value)
        return self


def _default(kind, rule):
    if rule == "oneof" or isinstance(kind, type):
        return None
    return {"string": "", "bytes": b"", "bool": False, "float": 0.0, "double": 0.0}.get(kind, 0)


def _field_bytes(number, kind, value):
    if isinstance(kind, type):
        body = value.SerializeToString()
        return encode_varint(number << 3 | BYTES) + encode_varint(len(body)) + body
    return encode_varint(number << 3 | _wire(kind)) + _scalar_bytes(kind, value)


_MAP_ENTRIES = {}


def _map_entry(kinds):
    """The implicit `{key = 1; value = 2}` message a map field is made of."""
    if kinds not in _MAP_ENTRIES:
        fields = ((1, "key", kinds[0], ""), (2, "value", kinds[1], ""))
        _MAP_ENTRIES[kinds] = type("MapEntry", (Message,), {"FIELDS": fields})
    return _MAP_ENTRIES[kinds]


# ---- text format ------------------------------------------------------------------------
def _text_lines(msg, indent):
    for number, name, kind, rule in sorted(msg.FIELDS):
        value = getattr(msg, name)
        if rule == "map":
            entry = _map_entry(kind)
            items = [entry(key=k, value=value[k]) for k in sorted(value)]
        elif rule == "repeated":
            items = value
        elif value is not None and (rule == "oneof" or isinstance(kind, type) or value != _default(kind, rule)):
            items = [value]
        else:
            items = []
        for v in items:
            if isinstance(v, Message):
                yield f"{indent}{name} {{\n"
                yield from _text_lines(v, indent + "  ")
                yield f"{indent}}}\n"
            else:
                yield f"{indent}{name}: {_text_scalar(kind, v)}\n"


def _text_scalar(kind, v):
    if kind in ENUMS:
        return next((name for name, n in ENUMS[kind].items() if n == v), str(v))
    if kind == "bool":
        return "true" if v else "false"
    if kind in ("string", "bytes"):
        return '"' + c_escape(v.encode("utf-8") if isinstance(v, str) else v) + '"'
    if kind == "float":
        return str(shortest_float32(v))
    if kind == "double":
        return str(float(v))
    return str(v)


def _float32(x):
    """x rounded to the nearest float32, as a float field holds it."""
    return struct.unpack("<f", struct.pack("<f", x))[0]


def shortest_float32(x):
    """The shortest decimal that reads back as the same float32 (0.8, not 0.800000011920929)."""
    if math.isnan(x) or math.isinf(x):
        return x
    f32 = _float32(x)
    for digits in range(6, 10):
        shorter = float(f"{f32:.{digits}g}")
        if _float32(shorter) == f32:
            return shorter
    return f32


_ESCAPES = {ord("\n"): r"\n", ord("\r"): r"\r", ord("\t"): r"\t", ord('"'): r"\"", ord("'"): r"\'",
            ord("\\"): r"\\"}


def c_escape(data):
    """Bytes as text-format string content: printable ASCII as is, the rest as octal (\\000)."""
    return "".join(_ESCAPES.get(b) or (chr(b) if 32 <= b < 127 else f"\\{b:03o}") for b in data)


_TOKEN = re.compile(r'\s+|#[^\n]*|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|[{}\[\]:,<>]|[^\s{}\[\]:,<>"\']+')
_UNESCAPE = re.compile(rb"\\(x[0-9a-fA-F]{1,2}|[0-7]{1,3}|.)", re.S)
_SIMPLE = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"a": b"\a", b"b": b"\b", b"f": b"\f", b"v": b"\v"}


def _c_unescape(body):
    def one(m):
        s = m.group(1)
        if s[:1] == b"x":
            return bytes([int(s[1:], 16)])
        if s[:1].isdigit():
            return bytes([int(s, 8) & 0xFF])
        return _SIMPLE.get(s, s)
    return _UNESCAPE.sub(one, body.encode("utf-8"))


def parse_text(text, message):
    """Fill `message` from protobuf text format (what `str(message)` prints); returns it."""
    tokens = [t for t in _TOKEN.findall(text) if t.strip() and not t.startswith("#")]
    try:
        pos = _parse_fields(tokens, 0, message, end=None)
    except IndexError:
        raise DecodeError("text format: the text ends in the middle of a field") from None
    except ValueError as e:
        raise DecodeError(f"text format: {e}") from None
    if pos != len(tokens):
        raise DecodeError(f"text format: unexpected '{tokens[pos]}'")
    return message


def _parse_fields(tokens, pos, msg, end):
    while pos < len(tokens) and tokens[pos] != end:
        name = tokens[pos]
        spec = next((f for f in msg.FIELDS if f[1] == name), None)
        if spec is None:
            raise DecodeError(f"text format: {type(msg).__name__} has no field '{name}'")
        _, _, kind, rule = spec
        pos += 1
        if pos < len(tokens) and tokens[pos] == ":":
            pos += 1
        values = []
        if tokens[pos] == "[":
            pos += 1
            while tokens[pos] != "]":
                value, pos = _parse_value(tokens, pos, kind)
                values.append(value)
                pos += tokens[pos] == ","
            pos += 1
        else:
            value, pos = _parse_value(tokens, pos, kind)
            values.append(value)
        for value in values:
            if rule == "map":
                getattr(msg, name)[value.key] = value.value
            elif rule == "repeated":
                getattr(msg, name).append(value)
            else:
                setattr(msg, name, value)
    return pos


def _parse_value(tokens, pos, kind):
    tok = tokens[pos]
    if isinstance(kind, tuple) or isinstance(kind, type):
        cls = _map_entry(kind) if isinstance(kind, tuple) else kind
        close = {"{": "}", "<": ">"}.get(tok)
        if close is None:
            raise DecodeError(f"text format: expected '{{' for a {cls.__name__}, got '{tok}'")
        msg = cls()
        pos = _parse_fields(tokens, pos + 1, msg, close)
        if pos >= len(tokens):
            raise DecodeError(f"text format: a {cls.__name__} has no closing '{close}'")
        return msg, pos + 1
    if kind in ("string", "bytes"):
        if tok[0] not in "\"'":
            raise DecodeError(f"text format: expected a quoted string, got '{tok}'")
        raw = b""
        while pos < len(tokens) and tokens[pos][0] in "\"'":  # adjacent strings concatenate
            raw += _c_unescape(tokens[pos][1:-1])
            pos += 1
        return (raw.decode("utf-8", errors="replace") if kind == "string" else raw), pos
    if kind in ENUMS:
        return (ENUMS[kind][tok] if tok in ENUMS[kind] else int(tok)), pos + 1
    if kind == "bool":
        return tok in ("true", "True", "t", "1"), pos + 1
    if kind in ("float", "double"):
        value = float(tok.rstrip("fF") if not tok.lower().lstrip("-").startswith("inf") else tok)
        return (_float32(value) if kind == "float" else value), pos + 1
    return int(tok, 0), pos + 1
