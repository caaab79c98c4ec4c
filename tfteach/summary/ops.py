"""The summary ops: ScalarSummary, HistogramSummary, MergeSummary, and TF1's functions for them.

Mirrors tensorflow/python/summary/summary.py and core/kernels/summary_op.cc. Each op
evaluates to a serialized `Summary` (a string scalar) that FileWriter.add_summary writes.
"""
import re

import numpy as np

from .. import dtypes as _dtypes
from ..errors import InvalidArgumentError
from ..graph import GraphKeys, get_default_graph, graph_of
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


def histogram_proto(values):
    """HistogramProto of `values`, bucketed and encoded exactly as TF's Histogram class."""
    x = np.asarray(values, dtype=np.float64).ravel()
    limits = histogram_bucket_limits()
    # TF counts v in the first bucket whose limit is > v (std::upper_bound)
    counts = np.bincount(np.searchsorted(limits, x, side="right"), minlength=len(limits))[:len(limits)]
    # TF adds values one by one; cumsum is sequential too, so the sums match to the last bit
    total = float(np.cumsum(x)[-1]) if x.size else 0.0
    squares = float(np.cumsum(x * x)[-1]) if x.size else 0.0
    proto = HistogramProto(min=float(x.min()) if x.size else float(limits[-1]),
                           max=float(x.max()) if x.size else -float(limits[-1]),
                           num=float(x.size), sum=total, sum_squares=squares)
    i, n = 0, len(limits)
    while i < n:  # runs of empty buckets become one bucket ending at the run's last limit
        end, count = limits[i], counts[i]
        i += 1
        if count <= 0:
            while i < n and counts[i] <= 0:
                end, count = limits[i], counts[i]
                i += 1
        proto.bucket_limit.append(float(end))
        proto.bucket.append(float(count))
    return proto


@kernel("HistogramSummary", inputs=("tag", "values"), same_dtype=False, session=True)
def _histogram_summary(ctx, tag, values):
    tag = _tag(np.asarray(tag, dtype=object).item())
    values = np.asarray(values, dtype=np.float64)
    if not np.all(np.isfinite(values)):
        kind = "Nan" if np.any(np.isnan(values)) else "Infinity"
        raise InvalidArgumentError(None, ctx.op, f"{kind} in summary histogram for: {tag}\n\t [[node "
                                   f"{ctx.op.name}]]\nThe values diverged; try a smaller learning rate.")
    return Summary(value=[Summary.Value(tag=tag, histo=histogram_proto(values))]).SerializeToString()


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
    merged, seen = Summary(), set()
    for serialized in inputs:
        for data in np.asarray(serialized, dtype=object).ravel():
            for value in Summary.FromString(data).value:
                if value.tag in seen:
                    raise InvalidArgumentError(None, ctx.op, f"Duplicate tag {value.tag} found in summary "
                                               f"inputs\n\t [[node {ctx.op.name}]]")
                seen.add(value.tag)
                merged.value.append(value)
    return merged.SerializeToString()


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
