"""The two ops feature columns add: Bucketize and StringToHashBucketFast (with TF's Fingerprint64).

Mirrors TF's math_ops.bucketize (core/kernels/bucketize_op.cc) and string_ops.string_to_hash_bucket_fast
(core/kernels/string_to_hash_bucket_op.cc), whose hash is FarmHash's Fingerprint64 (farmhash.cc, farmhashna).
"""
import numpy as np

from .. import dtypes
from ..ops.control import no_op
from ..registry import FRESH, NotDifferentiable, PURE, apply_op, kernel, shape_rule

# ---- Fingerprint64: farmhashna::Hash64, in Python integers kept to 64 bits -----------------
_M = (1 << 64) - 1
_K0, _K1, _K2 = 0xc3a5c85c97cb3127, 0xb492b66fbe98f273, 0x9ae16a3b2f90404f


def _fetch64(s, i):
    return int.from_bytes(s[i:i + 8], "little")


def _fetch32(s, i):
    return int.from_bytes(s[i:i + 4], "little")


def _rotate(v, shift):
    return ((v >> shift) | (v << (64 - shift))) & _M


def _shift_mix(v):
    return v ^ (v >> 47)


def _hash_len16(u, v, mul):
    a = ((u ^ v) * mul) & _M
    a ^= a >> 47
    b = ((v ^ a) * mul) & _M
    b ^= b >> 47
    return (b * mul) & _M


def _hash_len0to16(s):
    n = len(s)
    if n >= 8:
        mul = _K2 + n * 2
        a = (_fetch64(s, 0) + _K2) & _M
        b = _fetch64(s, n - 8)
        c = (_rotate(b, 37) * mul + a) & _M
        d = ((_rotate(a, 25) + b) * mul) & _M
        return _hash_len16(c, d, mul)
    if n >= 4:
        mul = _K2 + n * 2
        return _hash_len16((n + (_fetch32(s, 0) << 3)) & _M, _fetch32(s, n - 4), mul)
    if n > 0:
        y = s[0] + (s[n >> 1] << 8)
        z = n + (s[n - 1] << 2)
        return (_shift_mix(((y * _K2) ^ (z * _K0)) & _M) * _K2) & _M
    return _K2


def _hash_len17to32(s):
    n = len(s)
    mul = _K2 + n * 2
    a = (_fetch64(s, 0) * _K1) & _M
    b = _fetch64(s, 8)
    c = (_fetch64(s, n - 8) * mul) & _M
    d = (_fetch64(s, n - 16) * _K2) & _M
    return _hash_len16((_rotate((a + b) & _M, 43) + _rotate(c, 30) + d) & _M,
                       (a + _rotate((b + _K2) & _M, 18) + c) & _M, mul)


def _hash_len33to64(s):
    n = len(s)
    mul = _K2 + n * 2
    a = (_fetch64(s, 0) * _K2) & _M
    b = _fetch64(s, 8)
    c = (_fetch64(s, n - 8) * mul) & _M
    d = (_fetch64(s, n - 16) * _K2) & _M
    y = (_rotate((a + b) & _M, 43) + _rotate(c, 30) + d) & _M
    z = _hash_len16(y, (a + _rotate((b + _K2) & _M, 18) + c) & _M, mul)
    e = (_fetch64(s, 16) * mul) & _M
    f = _fetch64(s, 24)
    g = ((y + _fetch64(s, n - 32)) * mul) & _M
    h = ((z + _fetch64(s, n - 24)) * mul) & _M
    return _hash_len16((_rotate((e + f) & _M, 43) + _rotate(g, 30) + h) & _M,
                       (e + _rotate((f + a) & _M, 18) + g) & _M, mul)


def _weak_hash_len32_with_seeds(s, i, a, b):
    w, x, y, z = _fetch64(s, i), _fetch64(s, i + 8), _fetch64(s, i + 16), _fetch64(s, i + 24)
    a = (a + w) & _M
    b = _rotate((b + a + z) & _M, 21)
    c = a
    a = (a + x + y) & _M
    b = (b + _rotate(a, 44)) & _M
    return (a + z) & _M, (b + c) & _M


def fingerprint64(s):
    """TF's Fingerprint64 of a byte string (FarmHash's farmhashna::Hash64), an int in [0, 2**64)."""
    n = len(s)
    if n <= 16:
        return _hash_len0to16(s)
    if n <= 32:
        return _hash_len17to32(s)
    if n <= 64:
        return _hash_len33to64(s)
    seed = 81
    x = seed
    y = (seed * _K1 + 113) & _M
    z = (_shift_mix((y * _K2 + 113) & _M) * _K2) & _M
    v, w = (0, 0), (0, 0)
    x = (x * _K2 + _fetch64(s, 0)) & _M
    end = ((n - 1) // 64) * 64
    last64 = end + ((n - 1) & 63) - 63
    i = 0
    while True:
        x = (_rotate((x + y + v[0] + _fetch64(s, i + 8)) & _M, 37) * _K1) & _M
        y = (_rotate((y + v[1] + _fetch64(s, i + 48)) & _M, 42) * _K1) & _M
        x ^= w[1]
        y = (y + v[0] + _fetch64(s, i + 40)) & _M
        z = (_rotate((z + w[0]) & _M, 33) * _K1) & _M
        v = _weak_hash_len32_with_seeds(s, i, (v[1] * _K1) & _M, (x + w[0]) & _M)
        w = _weak_hash_len32_with_seeds(s, i + 32, (z + w[1]) & _M, (y + _fetch64(s, i + 16)) & _M)
        z, x = x, z
        i += 64
        if i == end:
            break
    mul = _K1 + ((z & 0xff) << 1)
    i = last64
    w = ((w[0] + ((n - 1) & 63)) & _M, w[1])
    v = ((v[0] + w[0]) & _M, v[1])
    w = ((w[0] + v[0]) & _M, w[1])
    x = (_rotate((x + y + v[0] + _fetch64(s, i + 8)) & _M, 37) * mul) & _M
    y = (_rotate((y + v[1] + _fetch64(s, i + 48)) & _M, 42) * mul) & _M
    x ^= (w[1] * 9) & _M
    y = (y + v[0] * 9 + _fetch64(s, i + 40)) & _M
    z = (_rotate((z + w[0]) & _M, 33) * mul) & _M
    v = _weak_hash_len32_with_seeds(s, i, (v[1] * mul) & _M, (x + w[0]) & _M)
    w = _weak_hash_len32_with_seeds(s, i + 32, (z + w[1]) & _M, (y + _fetch64(s, i + 16)) & _M)
    z, x = x, z
    return _hash_len16((_hash_len16(v[0], w[0], mul) + _shift_mix(y) * _K0 + z) & _M,
                       (_hash_len16(v[1], w[1], mul) + x) & _M, mul)


def _as_bytes(value):
    return value if isinstance(value, bytes) else str(value).encode("utf-8")


# ---- StringToHashBucketFast --------------------------------------------------------------
@kernel("StringToHashBucketFast", PURE, inputs=("input",))
def _string_to_hash_bucket_fast(x, num_buckets=None):
    flat = [fingerprint64(_as_bytes(v)) % num_buckets for v in np.asarray(x, dtype=object).ravel()]
    return np.array(flat, np.int64).reshape(np.shape(x))


shape_rule("StringToHashBucketFast")(lambda op: [op.inputs[0].shape])
NotDifferentiable("StringToHashBucketFast")


def string_to_hash_bucket_fast(input, num_buckets, name=None):  # noqa: A002 - TF's name
    """Fingerprint64(string) % num_buckets, elementwise: int64 of the input's shape."""
    if num_buckets < 1:
        raise ValueError(f"StringToHashBucketFast: num_buckets must be >= 1, got {num_buckets}")
    return apply_op("StringToHashBucketFast", [input], {"num_buckets": int(num_buckets)}, name=name,
                    dtypes=[dtypes.int64])


# ---- Bucketize -------------------------------------------------------------------------------
@kernel("Bucketize", FRESH, inputs=("input",))
def _bucketize(x, boundaries=()):
    """The index of the bucket of each value: i where boundaries[i-1] <= x < boundaries[i]."""
    return np.searchsorted(np.asarray(boundaries, np.float64), np.asarray(x, np.float64), side="right").astype(np.int32)


shape_rule("Bucketize")(lambda op: [op.inputs[0].shape])
NotDifferentiable("Bucketize")


def bucketize(input, boundaries, name=None):  # noqa: A002 - TF's name
    """int32 bucket indices of `input` for the sorted float `boundaries` (len + 1 buckets)."""
    return apply_op("Bucketize", [input], {"boundaries": [float(b) for b in boundaries]}, name=name,
                    dtypes=[dtypes.int32])


# ---- AsString (integers only: what a hashed integer column needs) ---------------------------
@kernel("AsString", FRESH, inputs=("input",))
def _as_string(x, precision=-1, scientific=False, shortest=False, width=-1, fill=""):
    flat = [str(int(v)).encode() for v in np.asarray(x).ravel()]
    return np.array(flat, dtype=object).reshape(np.shape(x))


shape_rule("AsString")(lambda op: [op.inputs[0].shape])
NotDifferentiable("AsString")


def as_string(input, name=None):  # noqa: A002 - TF's name
    """Integers as decimal byte strings (TF's tf.as_string, integer inputs only here)."""
    if not input.dtype.base_dtype.is_integer:
        raise NotImplementedError(f"tfteach's AsString converts integers only, got {input.dtype.base_dtype.name}")
    return apply_op("AsString", [input], name=name, dtypes=[dtypes.string])


# ---- CrossHashed: TF's SparseCross(hashed_output=True) on dense ids ------------------------------
_KMUL = 0xc6a4a7935bd1e995
NO_ID = int(np.iinfo(np.int64).min)  # a place with no id (TF's sparse ids leave it out); -1 is an id (OOV)


def fingerprint_cat64(fp1, fp2):
    """TF's FingerprintCat64: combine two fingerprints (tensorflow/core/platform/fingerprint.h)."""
    result = fp1 ^ _KMUL
    result ^= (_shift_mix((fp2 * _KMUL) & _M) * _KMUL) & _M
    result = (result * _KMUL) & _M
    result = (_shift_mix(result) * _KMUL) & _M
    return _shift_mix(result)


def _cross_value(v):
    """A string is crossed by its Fingerprint64, an integer by itself (as TF's HashCrosser)."""
    if isinstance(v, (bytes, str)):
        return fingerprint64(_as_bytes(v))
    return int(v) & _M


@kernel("CrossHashed", FRESH, inputs=None, same_dtype=False)
def _cross_hashed(*columns, num_buckets=0, hash_key=0, num_id_inputs=0):
    """Every combination of one value per column (the last column varying fastest), hashed:
    FingerprintCat64 chained from hash_key over the values, % num_buckets. The first
    `num_id_inputs` columns hold ids, where NO_ID is no value: a combination with one gives NO_ID
    (TF's sparse output leaves it out; an OOV id -1 is crossed); the others are raw features, every
    value crossed ('' too)."""
    batch = columns[0].shape[0]
    rows = []
    for b in range(batch):
        combos = [[]]
        for i, col in enumerate(columns):
            combos = [c + [(v, i < num_id_inputs and int(v) == NO_ID)] for c in combos for v in col[b]]
        row = []
        for combo in combos:
            if any(missing for _, missing in combo):
                row.append(NO_ID)
                continue
            h = hash_key
            for v, _ in combo:
                h = fingerprint_cat64(h, _cross_value(v))
            row.append(h % num_buckets)
        rows.append(row)
    return np.array(rows, np.int64).reshape(batch, -1)


@shape_rule("CrossHashed")
def _cross_hashed_shape(op):
    width = 1
    for t in op.inputs:
        k = t.shape.as_list()[1] if t.shape.ndims == 2 else None
        width = None if width is None or k is None else width * k
    return [[op.inputs[0].shape.as_list()[0] if op.inputs[0].shape.ndims else None, width]]


NotDifferentiable("CrossHashed")


def cross_hashed(id_inputs, raw_inputs, num_buckets, hash_key, name=None):
    """Hashed crosses of [batch, k_i] tensors: int64 [batch, k_1 * k_2 * ...], each in
    [0, num_buckets), or NO_ID where an id input had none. TF's sparse_cross_hashed, densely: as
    there, the ids (TF's sparse inputs) come first, then the raw string or int64 features."""
    return apply_op("CrossHashed", list(id_inputs) + list(raw_inputs),
                    {"num_buckets": int(num_buckets), "hash_key": int(hash_key), "num_id_inputs": len(id_inputs)},
                    name=name, dtypes=[dtypes.int64])


def _key(v):
    """A string as bytes (what TF's string tensors hold; a fed numpy str array holds str), else an int."""
    return v.encode("utf-8") if isinstance(v, str) else (v if isinstance(v, bytes) else int(v))


# ---- VocabularyLookup: TF's index_table_from_tensor + LookupTableFindV2, as one pure op -----------
@kernel("VocabularyLookup", FRESH, inputs=("keys",), same_dtype=False)
def _vocabulary_lookup(keys, vocabulary=(), default_value=-1, num_oov_buckets=0, ignore_value=""):
    """The position of each key in `vocabulary`; a key not there gets len(vocabulary) +
    Fingerprint64(key) % num_oov_buckets, or default_value; an ignore_value ('' or -1) gets NO_ID."""
    table = {_key(v): i for i, v in enumerate(vocabulary)}
    ignore = _key(ignore_value)
    out = []
    for k in np.asarray(keys, dtype=object).ravel():
        k = _key(k)
        if k == ignore:
            out.append(NO_ID)
        elif k in table:
            out.append(table[k])
        elif num_oov_buckets:
            out.append(len(table) + fingerprint64(_as_bytes(k)) % num_oov_buckets)
        else:
            out.append(default_value)
    return np.array(out, np.int64).reshape(np.shape(keys))


shape_rule("VocabularyLookup")(lambda op: [op.inputs[0].shape])
NotDifferentiable("VocabularyLookup")


def vocabulary_lookup(keys, vocabulary, default_value=-1, num_oov_buckets=0, name=None):
    """int64 ids of string or int64 `keys` in `vocabulary` (see the kernel). TF builds a HashTableV2
    filled by tf.tables_initializer() and looks keys up with LookupTableFindV2; here one pure op."""
    is_string = keys.dtype.base_dtype == dtypes.string
    return apply_op("VocabularyLookup", [keys],
                    {"vocabulary": [v.encode() if isinstance(v, str) else v for v in vocabulary],
                     "default_value": int(default_value), "num_oov_buckets": int(num_oov_buckets),
                     "ignore_value": b"" if is_string else -1}, name=name, dtypes=[dtypes.int64])


# ---- StringLength ------------------------------------------------------------------------------------
@kernel("StringLength", FRESH, inputs=("input",))
def _string_length(x, unit="BYTE"):
    flat = [len(_key(v)) if unit == "BYTE" else len(_key(v).decode("utf-8")) for v in np.asarray(x, object).ravel()]
    return np.array(flat, np.int32).reshape(np.shape(x))


shape_rule("StringLength")(lambda op: [op.inputs[0].shape])
NotDifferentiable("StringLength")


def string_length(input, unit="BYTE", name=None):  # noqa: A002 - TF's name
    """The length of each string, in bytes (or UTF8_CHAR characters): int32 of the input's shape."""
    return apply_op("StringLength", [input], {"unit": unit}, name=name, dtypes=[dtypes.int32])


def tables_initializer(name="init_all_tables"):
    """tf.tables_initializer: TF1 programs run it before looking up vocabularies. tfteach's lookups
    are pure ops (VocabularyLookup) with no table to fill, so it is what TF returns when a graph
    has no tables: a NoOp named init_all_tables."""
    return no_op(name=name)
