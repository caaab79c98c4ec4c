"""The losses and the functions made of other ops: the softmax cross entropies (their ops and
the reshaping TF1 builds around them), the logistic losses, l2_normalize, moments,
batch_normalization and dropout.

Mirrors the cross-entropy part of tensorflow/python/ops/nn_ops.py, nn_grad.py and nn_impl.py:
each function builds the subgraph TF1 builds, under the same name scope.
"""
import numbers

import numpy as np

from .. import dtypes as _dtypes
from ..graph import Tensor, convert_to_tensor, graph_of
from ..registry import PURE, RegisterGradient, apply_op, kernel, shape_rule
from ..tensor_shape import TensorShape, as_shape
from .compare import greater_equal, maximum, where
from .control import stop_gradient
from .math import FLOATS, add, cast, check_dtype, div, multiply, squared_difference, square, subtract
from .nn import _set_permuted_shape, _shifted, log_softmax, relu, softmax
from .reduce import pick, reduce_mean, reduce_sum
from .shapes import fmt, shape_of
from .unary import abs as abs_op, exp, floor, log1p, rsqrt
from . import array as array_ops
from . import building as building_ops
from . import random as random_ops
from . import slicing as slicing_ops


# ---- SoftmaxCrossEntropyWithLogits -----------------------------------------------------
def _xent_rows(logits, labels):
    """TF's kernel: loss = sum(labels * (log(sum(exp(s))) - s)) and backprop = softmax - labels,
    with s the logits minus their row maximum, so large logits stay finite."""
    shifted = _shifted(logits)
    e = np.exp(shifted)
    total = np.sum(e, axis=-1, keepdims=True)
    with np.errstate(invalid="ignore"):
        loss = np.sum(labels * (np.log(total) - shifted), axis=-1)
    return loss.astype(logits.dtype), (e / total - labels).astype(logits.dtype)


@kernel("SoftmaxCrossEntropyWithLogits", PURE, inputs=("features", "labels"))
def _softmax_xent(features, labels):
    if features.shape != labels.shape:
        raise ValueError(f"logits and labels must be same size: logits_size={fmt(features.shape)} "
                         f"labels_size={fmt(labels.shape)}")
    return _xent_rows(features, labels)


@shape_rule("SoftmaxCrossEntropyWithLogits")
def _softmax_xent_shape(op):
    check_dtype(op, FLOATS, "features")
    x, z = (shape_of(t) for t in op.inputs)
    for s in (x, z):
        if s is not None and len(s) != 2:
            raise ValueError(f"Shape must be rank 2 but is rank {len(s)} for '{op.name}' (op: "
                             f"'SoftmaxCrossEntropyWithLogits') with input shapes: {fmt(x)}, {fmt(z)}.")
    merged = op.inputs[0].shape
    if not merged.is_compatible_with(op.inputs[1].shape):
        a, b = (fmt(s) for s in (x, z))
        bad = next(i for i in range(2) if None not in (x[i], z[i]) and x[i] != z[i])
        raise ValueError(f"Dimensions must be equal, but are {x[bad]} and {z[bad]} for '{op.name}' "
                         f"(op: 'SoftmaxCrossEntropyWithLogits') with input shapes: {a}, {b}.")
    merged = merged.merge_with(op.inputs[1].shape).as_tuple()
    return [None if merged is None else merged[:1], merged]


@RegisterGradient("SoftmaxCrossEntropyWithLogits")
def _softmax_xent_grad(op, grad_loss, grad_grad):
    """d loss/d logits = softmax - labels (the op's second output), times the upstream gradient;
    d loss/d labels = -log_softmax(logits). A gradient reaching the second output adds the
    softmax's own derivative, so second derivatives work."""
    logits = op.inputs[0]
    return [_xent_logits_grad(op, grad_loss, grad_grad), _broadcast_mul(grad_loss, -log_softmax(logits))]


def _xent_logits_grad(op, grad_loss, grad_grad):
    grad = _broadcast_mul(grad_loss, op.outputs[1])
    if grad_grad is not None and not _is_zero(grad_grad):
        # TF1 writes the row sums as a batched matmul; tfteach's MatMul is 2-D only
        softmax_t = softmax(op.inputs[0])
        grad += (grad_grad - reduce_sum(grad_grad * softmax_t, 1, keepdims=True)) * softmax_t
    return grad


def _broadcast_mul(vec, mat):
    """vec[:, None] * mat: each row of `mat` scaled by its entry of `vec`."""
    return array_ops.expand_dims(vec, -1) * mat


def _is_zero(g):
    """True for a gradient known to be all zeros (the fill tf.gradients makes for unused outputs)."""
    if g.op.type in ("ZerosLike", "Zeros"):
        return True
    value = array_ops._const_value(g)
    return value is not None and not np.any(value)


def _check_xent_args(name, sentinel, labels, logits):
    if sentinel is not None:
        raise ValueError(f"Only call `{name}` with named arguments (labels=..., logits=..., ...)")
    if labels is None or logits is None:
        raise ValueError("Both labels and logits must be provided.")


def softmax_cross_entropy_with_logits_v2(_sentinel=None, labels=None, logits=None, axis=None, name=None,
                                         dim=None):
    """Cross entropy between `labels` (a distribution per row) and softmax(`logits`).

    Computed in one stable op, so logits of 1000 give finite losses. Gradients flow into
    both logits and labels. Any rank: `axis` (default: the last) holds the classes.

    Returns:
      The loss per example: the shape of `logits` without `axis`
      ('softmax_cross_entropy_with_logits/Reshape_2').
    Example: `tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=y, logits=z))`.
    """
    _check_xent_args("softmax_cross_entropy_with_logits", _sentinel, labels, logits)
    axis = pick(axis, dim, "axis", "dim")
    axis = -1 if axis is None else axis
    with graph_of([logits, labels]).name_scope(name or "softmax_cross_entropy_with_logits") as scope:
        logits = convert_to_tensor(logits, name="logits")
        labels = convert_to_tensor(labels, name="labels")
        labels = cast(labels, logits.dtype.base_dtype)
        input_rank = array_ops.rank(logits)
        shape = logits.shape
        if axis != -1:
            logits = _move_dim_to_end(logits, axis, input_rank)
            labels = _move_dim_to_end(labels, axis, input_rank)
        input_shape = array_ops.shape(logits)
        logits = _flatten_outer_dims(logits)
        labels = _flatten_outer_dims(labels)
        cost = apply_op("SoftmaxCrossEntropyWithLogits", [logits, labels], name=scope, num_outputs=2,
                        dtypes=[logits.dtype.base_dtype] * 2)[0]
        output_shape = _slice(input_shape, [0], [subtract(input_rank, 1)])
        cost = array_ops.reshape(cost, output_shape)
        if shape.ndims is not None:
            dims = shape.as_list()
            del dims[axis]
            cost.set_shape(dims)
        return cost


def softmax_cross_entropy_with_logits(_sentinel=None, labels=None, logits=None, dim=-1, name=None, axis=None):
    """The v2 cross entropy with no gradient into `labels` (TF1's original behaviour).

    Its nodes live under 'softmax_cross_entropy_with_logits_sg/' as in TF 1.5 and later.
    """
    _check_xent_args("softmax_cross_entropy_with_logits", _sentinel, labels, logits)
    dim = pick(axis, dim if dim != -1 else None, "axis", "dim")
    with graph_of([logits, labels]).name_scope(name or "softmax_cross_entropy_with_logits_sg") as scope:
        labels = stop_gradient(labels, name="labels_stop_gradient")
    return softmax_cross_entropy_with_logits_v2(labels=labels, logits=logits, axis=dim, name=scope)


def _slice(x, begin, size, name="Slice"):
    """tf.slice with TF1's autopacked begin/size lists ('Slice/begin' is a Pack if it holds a tensor)."""
    with graph_of([x]).name_scope(name) as scope:
        begin = array_ops._int_tensor(begin, "begin")
        size = array_ops._int_tensor(size, "size")
        return slicing_ops.slice(x, begin, size, name=scope)


def _flatten_outer_dims(x):
    """x reshaped to [-1, last dimension], as TF1's nn_ops._flatten_outer_dims."""
    rank = array_ops.rank(x)
    last_dim_size = _slice(array_ops.shape(x), [subtract(rank, 1)], [1])
    output = array_ops.reshape(x, building_ops.concat([[-1], last_dim_size], 0))
    s = shape_of(x)
    if s is not None and None not in s[:-1]:
        output.set_shape([int(np.prod(s[:-1], dtype=np.int64)), s[-1]])
    return output


def _move_dim_to_end(x, dim_index, rank):
    perm = building_ops.concat([building_ops.range(dim_index), building_ops.range(dim_index + 1, rank), [dim_index]], 0)
    return _set_permuted_shape(array_ops.transpose(x, perm), x, dim_index, swap=False)


# ---- SparseSoftmaxCrossEntropyWithLogits -----------------------------------------------
@kernel("SparseSoftmaxCrossEntropyWithLogits", PURE, inputs=("features", "labels"), same_dtype=False)
def _sparse_softmax_xent(features, labels, Tlabels=None):  # noqa: N803 - TF attr name
    n = features.shape[-1]
    if features.shape[:1] != labels.shape:
        raise ValueError(f"logits and labels must have the same first dimension, got logits shape "
                         f"{fmt(features.shape)} and labels shape {fmt(labels.shape)}")
    bad = (labels < 0) | (labels >= n)
    if np.any(bad):
        raise ValueError(f"Received a label value of {labels[bad][0]} which is outside the valid range of "
                         f"[0, {n}).  Label values: {' '.join(str(v) for v in labels)}")
    onehot = np.zeros_like(features)
    onehot[np.arange(labels.shape[0]), labels] = 1
    return _xent_rows(features, onehot)


@shape_rule("SparseSoftmaxCrossEntropyWithLogits")
def _sparse_softmax_xent_shape(op):
    check_dtype(op, FLOATS, "features")
    x, z = (shape_of(t) for t in op.inputs)
    if x is not None and len(x) != 2 or z is not None and len(z) != 1:
        raise ValueError(f"Shapes must be rank 2 and rank 1 for '{op.name}' (op: "
                         f"'SparseSoftmaxCrossEntropyWithLogits') with input shapes: {fmt(x)}, {fmt(z)}.")
    batch = x[0] if x is not None and x[0] is not None else (z[0] if z is not None else None)
    return [(batch,), (batch, None if x is None else x[1])]


@RegisterGradient("SparseSoftmaxCrossEntropyWithLogits")
def _sparse_softmax_xent_grad(op, grad_loss, grad_grad):
    """As the dense one, with one-hot labels; integer labels get no gradient."""
    return [_xent_logits_grad(op, grad_loss, grad_grad), None]


def sparse_softmax_cross_entropy_with_logits(_sentinel=None, labels=None, logits=None, name=None):
    """Cross entropy of softmax(`logits`) against class indices `labels` (int32 or int64).

    `labels` has the shape of `logits` without its last dimension, with values in
    [0, num_classes); a label out of range raises InvalidArgumentError when run.
    Returns the loss per example, with the shape of `labels`.
    """
    _check_xent_args("sparse_softmax_cross_entropy_with_logits", _sentinel, labels, logits)
    with graph_of([logits, labels]).name_scope(name or "SparseSoftmaxCrossEntropyWithLogits"):
        labels = convert_to_tensor(labels)
        logits = convert_to_tensor(logits)
        if labels.dtype.base_dtype not in (_dtypes.int32, _dtypes.int64):
            raise TypeError(f"Value passed to parameter 'labels' has DataType {labels.dtype.base_dtype.name} "
                            f"not in list of allowed values: int32, int64")
        labels_static = labels.shape
        labels_shape = array_ops.shape(labels)
        x = logits.shape
        if x.ndims == 0:
            raise ValueError(f"Logits cannot be scalars - received shape {x}.")
        if x.ndims is not None and labels_static.ndims is not None and labels_static.ndims != x.ndims - 1:
            raise ValueError(f"Rank mismatch: Rank of labels (received {labels_static.ndims}) should equal "
                             f"rank of logits minus 1 (received {x.ndims}).")
        if (labels_static.is_fully_defined() and x.ndims is not None and x[:-1].is_fully_defined()
                and labels_static.as_list() != x.as_list()[:-1]):
            raise ValueError(f"Shape mismatch: The shape of labels (received {labels_static}) should equal "
                             f"the shape of logits except for the last dimension (received {x}).")
        attrs = {"Tlabels": labels.dtype.base_dtype}
        dtypes = [logits.dtype.base_dtype] * 2
        if x.ndims == 2:
            return apply_op("SparseSoftmaxCrossEntropyWithLogits", [logits, labels], attrs, name=name,
                            dtypes=dtypes, num_outputs=2)[0]
        num_classes = array_ops.shape(logits)[array_ops.rank(logits) - 1]
        with graph_of([logits]).name_scope("Reshape") as reshape_scope:  # 'Reshape/shape' is a Pack
            flat_logits = array_ops.reshape(logits, array_ops._int_tensor([-1, num_classes], "shape"),
                                            name=reshape_scope)
        flat_labels = array_ops.reshape(labels, [-1])
        cost = apply_op("SparseSoftmaxCrossEntropyWithLogits", [flat_logits, flat_labels], attrs, name=name,
                        dtypes=dtypes, num_outputs=2)[0]
        cost = array_ops.reshape(cost, labels_shape)
        cost.set_shape(labels_static)
        return cost


# ---- the logistic losses ---------------------------------------------------------------
def sigmoid_cross_entropy_with_logits(_sentinel=None, labels=None, logits=None, name=None):
    """Logistic loss of each logit against its label z in [0, 1], elementwise.

    Computed as max(x, 0) - x * z + log(1 + exp(-|x|)), which stays finite for logits of
    +-1000. Labels and logits must have the same shape.

    Returns:
      The loss per element ('logistic_loss'), the shape of `logits`.
    """
    _check_xent_args("sigmoid_cross_entropy_with_logits", _sentinel, labels, logits)
    with graph_of([logits, labels]).name_scope(name or "logistic_loss") as scope:
        logits = convert_to_tensor(logits, name="logits")
        labels = convert_to_tensor(labels, name="labels")
        if not labels.shape.is_compatible_with(logits.shape):
            raise ValueError(f"logits and labels must have the same shape ({logits.shape} vs {labels.shape})")
        # where(x >= 0, ...) rather than relu/abs: their gradients at 0 are what TF1 wanted here
        zeros = array_ops.zeros_like(logits, dtype=logits.dtype)
        cond = greater_equal(logits, zeros)
        relu_logits = where(cond, logits, zeros)
        neg_abs_logits = where(cond, -logits, logits)
        return add(relu_logits - logits * labels, log1p(exp(neg_abs_logits)), name=scope)


def weighted_cross_entropy_with_logits(labels=None, logits=None, pos_weight=None, name=None, targets=None):
    """The logistic loss with the positive term weighted by `pos_weight` ('logistic_loss').

    `targets` is TF1's old name for `labels`.
    """
    labels = pick(labels, targets, "labels", "targets")
    with graph_of([logits, labels]).name_scope(name or "logistic_loss") as scope:
        logits = convert_to_tensor(logits, name="logits")
        labels = convert_to_tensor(labels, name="labels")
        if not labels.shape.is_compatible_with(logits.shape):
            raise ValueError(f"logits and labels must have the same shape ({logits.shape} vs {labels.shape})")
        log_weight = 1 + (pos_weight - 1) * labels
        return add((1 - labels) * logits, log_weight * (log1p(exp(-abs_op(logits))) + relu(-logits)), name=scope)


def l2_normalize(x, axis=None, epsilon=1e-12, name=None, dim=None):
    """x / sqrt(max(sum(x**2, axis), epsilon)): unit L2 norm along `axis` (all axes if None).

    `dim` is the old name of `axis`.
    """
    axis = pick(axis, dim, "axis", "dim")
    with graph_of([x]).name_scope(name or "l2_normalize") as scope:
        x = convert_to_tensor(x, name="x")
        square_sum = reduce_sum(square(x), axis, keepdims=True)
        x_inv_norm = rsqrt(maximum(square_sum, epsilon))
        return multiply(x, x_inv_norm, name=scope)


def moments(x, axes, shift=None, name=None, keep_dims=None, keepdims=None):
    """(mean, variance) of `x` over `axes` ('moments/mean', 'moments/variance').

    The variance is the population one (divides by n). The reduced axes are dropped
    unless `keep_dims`. `shift` is accepted and ignored, as in TF1.
    """
    keep_dims = bool(pick(keepdims, keep_dims, "keepdims", "keep_dims"))
    with graph_of([x]).name_scope(name or "moments"):
        y = x = convert_to_tensor(x, name="x") if not isinstance(x, Tensor) else x
        if x.dtype.base_dtype == _dtypes.float16:
            y = cast(x, _dtypes.float32)  # float16 is too coarse for the sums
        mean = reduce_mean(y, axes, keepdims=True, name="mean")
        # the gradient of the variance with respect to the mean is zero: do not build it
        variance = reduce_mean(squared_difference(y, stop_gradient(mean)), axes, keepdims=True, name="variance")
        if not keep_dims:
            mean = array_ops.squeeze(mean, axes)
            variance = array_ops.squeeze(variance, axes)
        if x.dtype.base_dtype == _dtypes.float16:
            return cast(mean, _dtypes.float16), cast(variance, _dtypes.float16)
        return mean, variance


def batch_normalization(x, mean, variance, offset, scale, variance_epsilon, name=None):
    """(x - mean) / sqrt(variance + variance_epsilon) * scale + offset ('batchnorm/...').

    `offset` (beta) and `scale` (gamma) may be None. Written as x * inv + (offset - mean *
    inv) with inv = scale / sqrt(variance + epsilon), the order TF1 builds.
    """
    with graph_of([x, mean, variance, scale, offset]).name_scope(name or "batchnorm"):
        inv = rsqrt(variance + variance_epsilon)
        if scale is not None:
            inv *= scale
        x_dtype = x.dtype.base_dtype if isinstance(x, Tensor) else convert_to_tensor(x).dtype.base_dtype
        return x * cast(inv, x_dtype) + cast(offset - mean * inv if offset is not None else -mean * inv, x_dtype)


def dropout(x, keep_prob=None, noise_shape=None, seed=None, name=None, rate=None):
    """Each element of `x` zeroed with probability `rate` (= 1 - keep_prob), the rest scaled
    by 1 / keep_prob so the expected sum is unchanged. A new mask on every run.

    With keep_prob 1 (rate 0) known while building, `x` itself is returned.
    `noise_shape` broadcasts one decision along some dimensions (e.g. [n, 1]).
    Example: `h = tf.nn.dropout(h, keep_prob)` with `keep_prob` a placeholder fed 0.5 for
    training and 1.0 for testing.
    """
    if keep_prob is not None and rate is not None:
        raise ValueError("Cannot specify both 'rate' and 'keep_prob'")
    if keep_prob is None and rate is None:
        raise ValueError("You must provide a rate to dropout.")
    if isinstance(rate, numbers.Real) and not isinstance(rate, bool):
        if not 0 <= rate < 1:
            raise ValueError(f"rate must be a scalar tensor or a float in the range [0, 1), got {rate:g}")
        keep_prob, rate = 1 - rate, None
    with graph_of([x]).name_scope(name or "dropout"):
        x = convert_to_tensor(x, name="x")
        if not x.dtype.is_floating:
            raise ValueError(f"x has to be a floating point tensor since it's going to be scaled. Got a "
                             f"{x.dtype.base_dtype.name} tensor instead.")
        if rate is not None:
            keep_prob = 1 - convert_to_tensor(rate, dtype=x.dtype.base_dtype, name="rate")
        if isinstance(keep_prob, numbers.Real) and not 0 < keep_prob <= 1:
            raise ValueError(f"keep_prob must be a scalar tensor or a float in the range (0, 1], got {keep_prob:g}")
        keep_prob = convert_to_tensor(keep_prob, dtype=x.dtype.base_dtype, name="keep_prob")
        if not keep_prob.shape.is_compatible_with(TensorShape([])):
            raise ValueError(f"keep_prob must be a scalar, got shape {keep_prob.shape}")
        known = array_ops._const_value(keep_prob)
        if known is not None and known == 1:
            return x
        random_tensor = keep_prob + random_ops.random_uniform(_noise_shape(x, noise_shape), seed=seed, dtype=x.dtype)
        binary_tensor = floor(random_tensor)  # 1 with probability keep_prob, else 0
        ret = div(x, keep_prob) * binary_tensor
        ret.set_shape(x.shape)
        return ret


def _noise_shape(x, noise_shape):
    """The mask's shape: x's, or `noise_shape` with its unknown dimensions taken from x."""
    if noise_shape is None:
        return array_ops.shape(x)
    try:
        wanted = as_shape(noise_shape)
    except (TypeError, ValueError):
        return noise_shape
    dims = x.shape.as_tuple()
    if dims is not None and wanted.ndims == len(dims):
        return TensorShape([d if n is None else n for n, d in zip(wanted.as_tuple(), dims)])
    return noise_shape


__all__ = ["softmax_cross_entropy_with_logits", "softmax_cross_entropy_with_logits_v2",
           "sparse_softmax_cross_entropy_with_logits", "sigmoid_cross_entropy_with_logits",
           "weighted_cross_entropy_with_logits", "l2_normalize", "moments", "batch_normalization", "dropout"]
