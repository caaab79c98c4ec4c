"""Sampled losses: tf.nn.nce_loss, sampled_softmax_loss, and the candidate-sampling ops they use.

Mirrors tensorflow/python/ops/nn_impl.py (_compute_sampled_logits, nce_loss,
sampled_softmax_loss) and candidate_sampling_ops.py with the kernels of
core/kernels/candidate_sampler_ops.cc. For a vocabulary too big for a full softmax, each step
scores the true class against `num_sampled` classes drawn from a log-uniform (Zipf) law, where
class k has probability log((k + 2) / (k + 1)) / log(range_max + 1): small ids (frequent words in
a vocabulary sorted by count) are drawn most. tfteach draws from numpy, not TF's Philox stream.
"""
import numpy as np

from .. import dtypes as _dtypes
from ..graph import convert_to_tensor
from ..registry import FRESH, NotDifferentiable, apply_op, kernel, shape_rule
from .array import _const_value, _scope, expand_dims, ones, ones_like, reshape, shape, zeros_like
from .building import concat, stack
from .control import stop_gradient
from .math import cast, matmul, multiply
from .unary import log
from .nn_impl import sigmoid_cross_entropy_with_logits, softmax_cross_entropy_with_logits_v2
from .random import get_seed
from .shapes import shape_of
from .slicing import embedding_lookup, slice
from . import sparse_ops

_FLT_MAX = np.finfo(np.float32).max


# ---- LogUniformCandidateSampler ---------------------------------------------------------------
def log_uniform_probability(classes, range_max):
    """P(class) under the log-uniform law on [0, range_max): log((c + 2) / (c + 1)) / log(range_max + 1)."""
    c = np.asarray(classes, np.float64)
    return np.log((c + 2.0) / (c + 1.0)) / np.log(range_max + 1.0)


def _expected_count(p, num_sampled, num_tries):
    """TF's ExpectedCountHelper: how often a class with probability p shows up in the sample."""
    if num_tries == num_sampled:
        return p * num_sampled
    return -np.expm1(num_tries * np.log1p(-p))


@kernel("LogUniformCandidateSampler", inputs=("true_classes",), session=True)
def _log_uniform_sampler(ctx, true_classes, num_true, num_sampled, unique, range_max, seed=0, seed2=0):
    log_range = np.log(range_max + 1.0)

    def draw(n):  # TF's LogUniformSampler::Sample: exp(u * log(range + 1)) - 1, truncated
        return (np.exp(ctx.rng.random(n) * log_range) - 1).astype(np.int64) % range_max

    if unique:
        if num_sampled > range_max:
            raise ValueError(f"LogUniformCandidateSampler: num_sampled ({num_sampled}) must be at most "
                             f"range_max ({range_max}) when unique=True")
        picked, seen, tries = [], set(), 0
        while len(picked) < num_sampled:  # draw again until num_sampled different classes
            for c in draw(2 * (num_sampled - len(picked)) + 8):
                tries += 1
                if c not in seen:
                    seen.add(c)
                    picked.append(c)
                    if len(picked) == num_sampled:
                        break
        sampled = np.array(picked, np.int64)
    else:
        sampled, tries = draw(num_sampled), num_sampled
    true_expected = _expected_count(log_uniform_probability(true_classes, range_max), num_sampled, tries)
    sampled_expected = _expected_count(log_uniform_probability(sampled, range_max), num_sampled, tries)
    return [sampled, true_expected.astype(np.float32), sampled_expected.astype(np.float32)]


@shape_rule("LogUniformCandidateSampler")
def _log_uniform_sampler_shape(op):
    true_shape = shape_of(op.inputs[0])
    return [(op.attrs["num_sampled"],), true_shape, (op.attrs["num_sampled"],)]


NotDifferentiable("LogUniformCandidateSampler")


def log_uniform_candidate_sampler(true_classes, num_true, num_sampled, unique, range_max, seed=None, name=None):
    """Draw `num_sampled` class ids from the log-uniform law on [0, range_max).

    Returns (sampled_candidates int64 [num_sampled], true_expected_count float32 shaped like
    `true_classes`, sampled_expected_count float32 [num_sampled]): the expected counts are how
    often each class shows up in such a sample, which the sampled losses correct for.
    """
    true_classes = convert_to_tensor(true_classes, dtype=_dtypes.int64, name="true_classes")
    seed1, seed2 = get_seed(seed)
    attrs = {"num_true": int(num_true), "num_sampled": int(num_sampled), "unique": bool(unique),
             "range_max": int(range_max), "seed": seed1, "seed2": seed2}
    return tuple(apply_op("LogUniformCandidateSampler", [true_classes], attrs, name=name,
                          dtypes=[_dtypes.int64, _dtypes.float32, _dtypes.float32]))


# ---- ComputeAccidentalHits --------------------------------------------------------------------
@kernel("ComputeAccidentalHits", FRESH, inputs=("true_classes", "sampled_candidates"), same_dtype=False)
def _compute_accidental_hits(true_classes, sampled_candidates, num_true, seed=0, seed2=0):
    position = {int(c): j for j, c in enumerate(sampled_candidates)}  # the last one wins, as in TF
    hits = [(i, position[int(c)]) for i, row in enumerate(np.reshape(true_classes, (-1, num_true)))
            for c in row if int(c) in position]
    indices = np.array([i for i, _ in hits], np.int32)
    ids = np.array([j for _, j in hits], np.int64)
    return [indices, ids, np.full(len(hits), -_FLT_MAX, np.float32)]


shape_rule("ComputeAccidentalHits")(lambda op: [(None,), (None,), (None,)])
NotDifferentiable("ComputeAccidentalHits")


def compute_accidental_hits(true_classes, sampled_candidates, num_true, seed=None, name=None):
    """Where a sampled class is one of the example's true classes: (row indices, positions in the
    sample, weights of -FLT_MAX to add to those logits)."""
    seed1, seed2 = get_seed(seed)
    return tuple(apply_op("ComputeAccidentalHits", [true_classes, sampled_candidates],
                          {"num_true": int(num_true), "seed": seed1, "seed2": seed2}, name=name,
                          dtypes=[_dtypes.int32, _dtypes.int64, _dtypes.float32]))


# ---- the sampled losses ----------------------------------------------------------------------
def _sum_rows(x):
    """Sum of each row as a product with a column of ones (faster than reduce_sum in TF)."""
    cols = shape(x)[1]
    ones_shape = stack([cols, 1])
    return reshape(matmul(x, ones(ones_shape, x.dtype)), [-1])


def _compute_sampled_logits(weights, biases, labels, inputs, num_sampled, num_classes, num_true=1,
                            sampled_values=None, subtract_log_q=True, remove_accidental_hits=False,
                            name=None, seed=None):
    """Logits of the true classes and of the sampled ones, [batch, num_true + num_sampled], and
    the matching labels (1/num_true for the true columns, 0 for the sampled)."""
    weights = list(weights) if isinstance(weights, (list, tuple)) else [weights]
    with _scope(name or "compute_sampled_logits", weights + [biases, inputs, labels]):
        labels = convert_to_tensor(labels, name="labels")
        if labels.dtype.base_dtype != _dtypes.int64:
            labels = cast(labels, _dtypes.int64)
        labels_flat = reshape(labels, [-1])
        if sampled_values is None:
            sampled_values = log_uniform_candidate_sampler(labels, num_true, num_sampled, True,
                                                           num_classes, seed=seed)
        sampled, true_expected_count, sampled_expected_count = (stop_gradient(s) for s in sampled_values)
        sampled = cast(sampled, _dtypes.int64)
        all_ids = concat([labels_flat, sampled], 0)
        all_w = embedding_lookup(weights, all_ids)
        if all_w.dtype.base_dtype != inputs.dtype.base_dtype:
            all_w = cast(all_w, inputs.dtype)
        true_w = slice(all_w, [0, 0], stack([shape(labels_flat)[0], -1]))
        sampled_w = slice(all_w, stack([shape(labels_flat)[0], 0]), [-1, -1])
        sampled_logits = matmul(inputs, sampled_w, transpose_b=True)
        all_b = embedding_lookup(biases, all_ids)
        if all_b.dtype.base_dtype != inputs.dtype.base_dtype:
            all_b = cast(all_b, inputs.dtype)
        true_b = slice(all_b, [0], shape(labels_flat))
        sampled_b = slice(all_b, shape(labels_flat), [-1])
        dim = shape(true_w)[1:2]
        new_true_w_shape = concat([[-1, num_true], dim], 0)
        row_wise_dots = multiply(expand_dims(inputs, 1), reshape(true_w, new_true_w_shape))
        dots_as_matrix = reshape(row_wise_dots, concat([[-1], dim], 0))
        true_logits = reshape(_sum_rows(dots_as_matrix), [-1, num_true])
        true_b = reshape(true_b, [-1, num_true])
        true_logits += true_b
        sampled_logits += sampled_b
        if remove_accidental_hits:
            acc_indices, acc_ids, acc_weights = compute_accidental_hits(labels, sampled, num_true=num_true)
            acc_indices_2d = reshape(acc_indices, [-1, 1])
            acc_ids_2d_int32 = reshape(cast(acc_ids, _dtypes.int32), [-1, 1])
            sparse_indices = concat([acc_indices_2d, acc_ids_2d_int32], 1, "sparse_indices")
            sampled_logits_shape = concat([shape(labels)[:1], expand_dims(num_sampled, 0)], 0)
            if sampled_logits.dtype.base_dtype != acc_weights.dtype.base_dtype:
                acc_weights = cast(acc_weights, sampled_logits.dtype)
            with _scope("SparseToDense", []) as scope:
                default = convert_to_tensor(0.0, dtype=acc_weights.dtype, name="default_value")
                dense = sparse_ops.sparse_to_dense(sparse_indices, sampled_logits_shape, acc_weights, default,
                                                  validate_indices=False, name=scope)
            sampled_logits += dense
        if subtract_log_q:  # subtract log Q(class): how likely the sampler was to pick it
            true_logits -= log(true_expected_count)
            sampled_logits -= log(sampled_expected_count)
        out_logits = concat([true_logits, sampled_logits], 1)
        out_labels = concat([ones_like(true_logits) / num_true, zeros_like(sampled_logits)], 1)
        return out_logits, out_labels


def nce_loss(weights, biases, labels, inputs, num_sampled, num_classes, num_true=1, sampled_values=None,
             remove_accidental_hits=False, partition_strategy="mod", name="nce_loss"):
    """Noise-contrastive estimation loss per example, [batch] (word2vec's loss).

    Each true class and each of `num_sampled` log-uniform samples is a logistic regression:
    true -> 1, sampled -> 0, on logits x . w_c + b_c - log(expected count of c). Take
    tf.reduce_mean of it. `weights` is [num_classes, dim], `biases` [num_classes], `labels`
    int [batch, num_true], `inputs` [batch, dim]. Pass `sampled_values` (three tensors from a
    candidate sampler) to fix the sample.
    """
    logits, labels = _compute_sampled_logits(
        weights, biases, labels, inputs, num_sampled, num_classes, num_true=num_true,
        sampled_values=sampled_values, subtract_log_q=True, remove_accidental_hits=remove_accidental_hits,
        name=name)
    sampled_losses = sigmoid_cross_entropy_with_logits(labels=labels, logits=logits, name="sampled_losses")
    return _sum_rows(sampled_losses)


def sampled_softmax_loss(weights, biases, labels, inputs, num_sampled, num_classes, num_true=1,
                         sampled_values=None, remove_accidental_hits=True, partition_strategy="mod",
                         name="sampled_softmax_loss", seed=None):
    """Softmax cross-entropy over the true class and `num_sampled` sampled classes, [batch]:
    an estimate of the full softmax loss for large vocabularies (training only)."""
    logits, labels = _compute_sampled_logits(
        weights, biases, labels, inputs, num_sampled, num_classes, num_true=num_true,
        sampled_values=sampled_values, subtract_log_q=True, remove_accidental_hits=remove_accidental_hits,
        name=name, seed=seed)
    labels = stop_gradient(labels, name="labels_stop_gradient")
    return softmax_cross_entropy_with_logits_v2(labels=labels, logits=logits)


__all__ = ["nce_loss", "sampled_softmax_loss", "log_uniform_candidate_sampler", "compute_accidental_hits"]
