"""The summary ops: ScalarSummary, HistogramSummary, MergeSummary, and TF1's functions for them.

Mirrors tensorflow/python/summary/summary.py and core/kernels/summary_op.cc. Each op
evaluates to a serialized `Summary` (a string scalar) that FileWriter.add_summary writes.
"""
import re
import struct

import numpy as np

from .. import dtypes as _dtypes
from ..errors import InvalidArgumentError
from ..graph import GraphKeys, get_default_graph, graph_of
from ..protobuf import _fields, encode_varint
from ..protos import HistogramProto, Summary
from ..registry import NotDifferentiable, apply_op, kernel, shape_rule

__all__ = ["scalar", "histogram", "merge", "merge_all",
           "scalar_summary", "histogram_summary", "merge_summary", "merge_all_summaries"]


def _tag(value):
    return value.decode("utf-8", errors="replace") if isinstance(value, bytes) else str(value)


def _scalar_output(op):
    return [()]


# ---- ScalarSummary -----------------------------------------------------------------------
# The summary kernels take the run context (session=True) only to name their op in errors.
@kernel("ScalarSummary", inputs=("tags", "values"), same_dtype=False, session=True)
def _scalar_summary(ctx, tags, values):
    tags, values = np.asarray(tags, dtype=object), np.asarray(values)
    if tags.shape != values.shape:
        raise InvalidArgumentError(
            None, ctx.op, f"tags and values not the same shape: {list(tags.shape)} != {list(values.shape)} "
            f"(tag '{_tag(tags.ravel()[0]) if tags.size else ''}')\n\t [[node {ctx.op.name}]]\n"
            f"A scalar summary logs one number: summarize a tensor with tf.reduce_mean, or log "
            f"all its values with tf.summary.histogram.")
    summary = Summary(value=[Summary.Value(tag=_tag(t), simple_value=float(v))
                             for t, v in zip(tags.ravel(), values.ravel())])
    return summary.SerializeToString()  # bytes, not np.bytes_, which drops trailing NULs


shape_rule("ScalarSummary")(_scalar_output)
NotDifferentiable("ScalarSummary")


def scalar(name, tensor, collections=None, family=None):
    """A summary op logging one number under the tag `name`, uniquified as TF1 does.

    Args:
      name: the tag; next to an op already named 'loss' the tag becomes 'loss_1', and
        inside `tf.name_scope('train')` it is 'train/loss'.
      tensor: a real-valued scalar tensor.
      collections: graph collections to add the op to (default [GraphKeys.SUMMARIES]).
      family: optional prefix grouping tags in TensorBoard.
    Returns:
      A string scalar tensor: a serialized Summary for FileWriter.add_summary.
    """
    graph = graph_of([tensor])
    with graph.name_scope(_summary_scope_name(name, family)) as scope:
        tag = scope.rstrip("/") if family is None else f"{_clean_tag(family)}/{scope.rstrip('/')}"
        val = apply_op("ScalarSummary", [tag, tensor], name=scope, dtypes=[_dtypes.string])
    _collect(val, collections)
    return val


# ---- HistogramSummary ----------------------------------------------------------------------
_bucket_limits = None
_MANTISSA_BITS = 5  # a float64's exponent and top 5 mantissa bits: ranges narrower than 1.1x


def histogram_bucket_limits():
    """TF's default histogram buckets: +-1e-12 growing by 10% to +-1e20, 0, and +-DBL_MAX."""
    global _bucket_limits
    if _bucket_limits is None:
        positive, v = [], 1.0e-12
        while v < 1.0e20:  # the same double arithmetic as TF's C++, so the same limits
            positive.append(v)
            v *= 1.1
        positive.append(np.finfo(np.float64).max)
        _bucket_limits = np.array([-x for x in reversed(positive)] + [0.0] + positive)
    return _bucket_limits


_bins = {}
# (float type, unsigned type of its bits, mantissa bits): a float64's or a float32's sign, exponent
# and top 5 mantissa bits pick its bin, a range narrower than a factor 1.1
_LAYOUTS = {np.dtype(np.float64): (np.float64, np.uint64, 52), np.dtype(np.float32): (np.float32, np.uint32, 23)}


def _bucket_bins(dtype=np.float64):
    """Lookup tables for bucket indices without a binary search, for float64 or float32 values.

    Every value falls in a bin given by its top bits (sign, exponent, 5 mantissa bits); a bin
    spans less than a factor 1.1, so it holds at most one limit. Per bin: `base`, the number
    of limits <= every value of the bin below that limit, and the limit itself (or +inf: none).
    The bucket index of x is then base[bin] + (x >= limit[bin]). For float32 values the limit is
    the smallest float32 >= TF's double limit: a float32 x is >= one exactly when >= the other.
    """
    dtype = np.dtype(dtype)
    if dtype not in _bins:
        ftype, utype, mantissa = _LAYOUTS[dtype]
        limits = histogram_bucket_limits()
        shift = utype(mantissa - _MANTISSA_BITS)
        bins = np.arange(1 << (8 * dtype.itemsize - mantissa + _MANTISSA_BITS), dtype=utype)
        with np.errstate(invalid="ignore", over="ignore"):  # the bins of inf and NaN bit patterns: never used
            lower = (bins << shift).view(ftype)                              # each bin's end nearest to 0
            upper = (((bins + utype(1)) << shift) - utype(1)).view(ftype)    # its other end
            lo = np.minimum(lower, upper).astype(np.float64)
            split = limits.astype(ftype)  # the first value of ftype >= each limit (+-DBL_MAX: +-inf)
            split = np.where(split < limits, np.nextafter(split, ftype(np.inf)), split)
            key = split.view(utype) >> shift
            limit = np.full(len(bins), np.inf)
            limit[key] = split
            # values below the bin's limit (or all values when there is none) have the index of lo:
            # no other limit lies between lo and the bin's limit
            base = np.searchsorted(limits, lo, side="right")
            inside = (limit > lo) & (limit < np.inf)
        limit[~inside] = np.inf  # a limit at the low end is counted in base already
        _bins[dtype] = (shift, base.astype(np.intp), limit.astype(ftype))
    return _bins[dtype]


def bucket_indices(x):
    """For each finite float64 or float32 in x, the index of the first limit > it (TF's
    std::upper_bound over doubles): np.searchsorted(histogram_bucket_limits(), x, side="right"),
    in a few O(n) passes."""
    shift, base, limit = _bucket_bins(x.dtype)
    x = x + x.dtype.type(0)  # -0.0 becomes 0.0, which has the bits of a positive number
    key = (x.view(shift.dtype) >> shift).astype(np.intp)
    index = np.take(base, key)
    index += np.take(limit, key) <= x
    return index


def _double(number, value):
    """A proto3 double field: key and 8 bytes, nothing when 0 (the default)."""
    return b"" if value == 0 else bytes([number << 3 | 1]) + struct.pack("<d", value)


def _packed(number, values):
    """A packed repeated double field: key, byte length, the values as one little-endian block."""
    return b"" if not len(values) else (bytes([number << 3 | 2]) + encode_varint(8 * len(values))
                                        + values.astype("<f8").tobytes())


def _sequential_sums(x):
    """(sum of x, sum of x*x) added value by value in double, as TF's Histogram::Add: the two
    running sums are the real and imaginary parts of one complex cumsum, so that one pass keeps
    both chains of additions going (each part is rounded exactly as a float64 sum would be)."""
    z = np.empty(x.size, np.complex128)
    z.real = x
    np.multiply(z.real, z.real, out=z.imag)
    total = np.cumsum(z)[-1] if x.size else 0j
    return float(total.real), float(total.imag)


def histogram_bytes(values):
    """A serialized HistogramProto of `values`, bucketed and encoded exactly as TF's Histogram.

    float32 values are bucketed as they are (no float64 copy); TF converts each to double, which
    changes no value, so the buckets, sums, min and max are the same."""
    x = np.asarray(values)
    if x.dtype not in _LAYOUTS:
        x = x.astype(np.float64)
    x = x.ravel()
    limits = histogram_bucket_limits()
    counts = np.bincount(bucket_indices(x), minlength=len(limits))[:len(limits)].astype(np.float64)
    total, squares = _sequential_sums(x)
    # a run of empty buckets becomes one bucket ending at the run's last limit: keep a bucket
    # that is not empty, or is empty and is the last of its run
    keep = (counts > 0) | np.append(counts[1:] > 0, True)
    return b"".join([_double(1, float(x.min()) if x.size else float(limits[-1])),
                     _double(2, float(x.max()) if x.size else -float(limits[-1])),
                     _double(3, float(x.size)), _double(4, total), _double(5, squares),
                     _packed(6, limits[keep]), _packed(7, counts[keep])])


def histogram_proto(values):
    """HistogramProto of `values`, bucketed and encoded exactly as TF's Histogram class."""
    return HistogramProto.FromString(histogram_bytes(values))


@kernel("HistogramSummary", inputs=("tag", "values"), same_dtype=False, session=True)
def _histogram_summary(ctx, tag, values):
    tag = _tag(np.asarray(tag, dtype=object).item())
    values = np.asarray(values)
    if values.dtype not in _LAYOUTS:
        values = values.astype(np.float64)
    if not np.isfinite(values).all():
        kind = "Nan" if np.any(np.isnan(values)) else "Infinity"
        raise InvalidArgumentError(None, ctx.op, f"{kind} in summary histogram for: {tag}\n\t [[node "
                                   f"{ctx.op.name}]]\nThe values diverged; try a smaller learning rate.")
    # Summary{value: [Value{tag: 1, histo: 5}]} written directly: the same bytes as the messages
    histo = histogram_bytes(values)
    tag_bytes = tag.encode("utf-8")
    value = ((b"\x0a" + encode_varint(len(tag_bytes)) + tag_bytes if tag_bytes else b"")
             + b"\x2a" + encode_varint(len(histo)) + histo)
    return b"\x0a" + encode_varint(len(value)) + value


shape_rule("HistogramSummary")(_scalar_output)
NotDifferentiable("HistogramSummary")


def histogram(name, values, collections=None, family=None):
    """A summary op logging the distribution of `values` (any shape) as a histogram.

    The tag is `name` uniquified as for `scalar`. Returns a string scalar tensor.
    """
    graph = graph_of([values])
    with graph.name_scope(_summary_scope_name(name, family)) as scope:
        tag = scope.rstrip("/") if family is None else f"{_clean_tag(family)}/{scope.rstrip('/')}"
        val = apply_op("HistogramSummary", [tag, values], name=scope, dtypes=[_dtypes.string])
    _collect(val, collections)
    return val


# ---- MergeSummary -----------------------------------------------------------------------------
@kernel("MergeSummary", inputs=("inputs",), same_dtype=False, session=True)
def _merge_summary(ctx, *inputs, N=None):  # noqa: N803 - TF attr name
    # A serialized Summary is its values one after another (field 1): the merged one is the
    # inputs' values joined, each copied as it is, checking only their tags
    parts, seen = [], set()
    for serialized in inputs:
        for data in np.asarray(serialized, dtype=object).ravel():
            for number, _, value in _fields(data):
                if number != 1:
                    continue
                tag = next((raw.decode("utf-8") for n, _, raw in _fields(value) if n == 1), "")
                if tag in seen:
                    raise InvalidArgumentError(None, ctx.op, f"Duplicate tag {tag} found in summary "
                                               f"inputs\n\t [[node {ctx.op.name}]]")
                seen.add(tag)
                parts.append(b"\x0a" + encode_varint(len(value)) + value)
    return b"".join(parts)


shape_rule("MergeSummary")(_scalar_output)
NotDifferentiable("MergeSummary")


def merge(inputs, collections=None, name=None):
    """One summary op whose value holds the values of all `inputs` (summary tensors)."""
    graph = graph_of(inputs)
    with graph.name_scope(name or "Merge"):
        val = apply_op("MergeSummary", list(inputs), {"N": len(inputs)}, name=name,
                       dtypes=[_dtypes.string])
    _collect(val, collections, default=())
    return val


def merge_all(key=GraphKeys.SUMMARIES, scope=None, name=None):
    """Merge every summary op in collection `key`; None when there are none yet."""
    summary_ops = get_default_graph().get_collection(key, scope)
    return merge(summary_ops, name=name) if summary_ops else None


# ---- TF 0.x names: the tag is used exactly as given ----------------------------------------------
def scalar_summary(tags, values, collections=None, name=None):
    """TF 0.x's scalar summary: `tags` (a string, or one per element of `values`) used as given."""
    graph = graph_of([values])
    with graph.name_scope(name or "ScalarSummary") as scope:
        val = apply_op("ScalarSummary", [tags, values], name=scope, dtypes=[_dtypes.string])
    _collect(val, collections)
    return val


def histogram_summary(tag, values, collections=None, name=None):
    """TF 0.x's histogram summary: `tag` used as given."""
    graph = graph_of([values])
    with graph.name_scope(name or "HistogramSummary") as scope:
        val = apply_op("HistogramSummary", [tag, values], name=scope, dtypes=[_dtypes.string])
    _collect(val, collections)
    return val


def merge_summary(inputs, collections=None, name=None):
    """TF 0.x's name for tf.summary.merge (op 'MergeSummary/MergeSummary')."""
    graph = graph_of(inputs)
    with graph.name_scope(name or "MergeSummary"):
        val = apply_op("MergeSummary", list(inputs), {"N": len(inputs)}, name=name,
                       dtypes=[_dtypes.string])
    _collect(val, collections, default=())
    return val


def merge_all_summaries(key=GraphKeys.SUMMARIES):
    """TF 0.x's name for tf.summary.merge_all."""
    summary_ops = get_default_graph().get_collection(key)
    return merge_summary(summary_ops) if summary_ops else None


# ---- helpers ------------------------------------------------------------------------------------
def _clean_tag(name):
    """TF1's clean_tag: characters a tag may not hold become '_'; no leading '/'."""
    return None if name is None else re.sub(r"[^-/\w.]", "_", name).lstrip("/")


def _summary_scope_name(name, family):
    name = _clean_tag(name)
    return name if family is None else f"{_clean_tag(family)}/{name}"


def _collect(val, collections, default=(GraphKeys.SUMMARIES,)):
    for key in (default if collections is None else collections):
        val.graph.add_to_collection(key, val)
