"""Fused batch normalization: FusedBatchNormV3, its gradient FusedBatchNormGradV3, tf.nn.fused_batch_norm.

Mirrors tensorflow/python/ops/nn_impl.py (fused_batch_norm) and the rule in nn_grad.py; the
kernels follow TF's CPU kernel (fused_batch_norm_op.cc): statistics over every axis but the
channels, in the input's float type. The public function accepts TF's float types only; the op
itself also runs float64, so tests check its gradient against float64 central differences.
tf.nn.moments and tf.nn.batch_normalization (the non-fused
path) are ordinary ops in nn_impl.py.
"""
import numpy as np

from ..graph import convert_to_tensor
from ..registry import FRESH, RegisterGradient, apply_op, kernel, shape_rule
from .shapes import fmt, shape_of

_FLOATS_BN = ("float16", "bfloat16", "float32")


def _channels_axis(data_format):
    return 1 if data_format in ("NCHW", b"NCHW") else 3


def _to_nhwc(a, data_format):
    return np.moveaxis(a, 1, 3) if _channels_axis(data_format) == 1 else a


def _from_nhwc(a, data_format):
    return np.moveaxis(a, 3, 1) if _channels_axis(data_format) == 1 else a


def _check_vectors(what, x, vectors):
    """Every per-channel input is a vector as long as x's channel axis."""
    depth = x.shape[3]
    for arg, v in vectors:
        if v.ndim != 1 or v.shape[0] != depth:
            raise ValueError(f"{what}: {arg} must be a vector of length {depth} (the channels of x), "
                             f"got shape {fmt(v.shape)}")


# ---- FusedBatchNormV3 ---------------------------------------------------------------------
@kernel("FusedBatchNormV3", FRESH, inputs=("x", "scale", "offset", "mean", "variance"), same_dtype=False)
def _fused_batch_norm(x, scale, offset, mean, variance, epsilon=1e-4, exponential_avg_factor=1.0,
                      data_format="NHWC", is_training=True, T=None, U=None):  # noqa: N803 - TF's attrs
    if x.ndim != 4:
        raise ValueError(f"FusedBatchNormV3: input must be 4-dimensional, got shape {fmt(x.shape)}")
    xt = _to_nhwc(x, data_format)
    dt = x.dtype if x.dtype != np.float16 else np.float32  # TF computes float16 in float32 (U)
    xf = xt.astype(dt, copy=False)
    eps = np.asarray(epsilon, dt)
    if is_training:
        _check_vectors("FusedBatchNormV3", xt, [("scale", scale), ("offset", offset)])
        n = xf.size // xf.shape[3]
        batch_mean = xf.mean(axis=(0, 1, 2), dtype=dt)
        batch_var = np.square(xf - batch_mean).mean(axis=(0, 1, 2), dtype=dt)
        # the variance output is the sample (Bessel-corrected) one, used for the moving average
        corrected = batch_var * np.asarray(n / max(n - 1, 1), dt)
        if exponential_avg_factor != 1.0 and mean.size:
            f = np.asarray(exponential_avg_factor, dt)
            out_mean = (1 - f) * mean + f * batch_mean
            out_var = (1 - f) * variance + f * corrected
        else:
            out_mean, out_var = batch_mean, corrected
        use_mean, use_var = batch_mean, batch_var
    else:
        _check_vectors("FusedBatchNormV3", xt, [("scale", scale), ("offset", offset), ("mean", mean),
                                                ("variance", variance)])
        use_mean, use_var = mean.astype(dt), variance.astype(dt)
        out_mean, out_var = use_mean.copy(), use_var.copy()
    inv = (1 / np.sqrt(use_var + eps)) * scale
    y = (xf - use_mean) * inv + offset
    y = _from_nhwc(y, data_format).astype(x.dtype, copy=False)
    # reserve spaces 1 and 2 hold the statistics the output used (the gradient reads them)
    return (np.ascontiguousarray(y), out_mean.astype(dt), out_var.astype(dt), use_mean.astype(dt),
            use_var.astype(dt), np.zeros((), dt))


@shape_rule("FusedBatchNormV3")
def _fused_batch_norm_shape(op):
    x = shape_of(op.inputs[0])
    if x is not None and len(x) != 4:
        raise ValueError(f"Shape must be rank 4 but is rank {len(x)} for '{op.name}' (op: 'FusedBatchNormV3') "
                         f"with input shapes: {', '.join(fmt(shape_of(t)) for t in op.inputs)}.")
    depth = None if x is None else x[_channels_axis(op.get_attr("data_format"))]
    return [x, (depth,), (depth,), (depth,), (depth,), None]


@RegisterGradient("FusedBatchNormV3")
def _fused_batch_norm_grad(op, *grads):
    """Training: dx = scale/sqrt(var+eps)/n * (n*dy - sum(dy) - xhat*sum(dy*xhat)); inference:
    dx = dy*scale/sqrt(pop_var+eps). dscale = sum(dy*xhat), doffset = sum(dy) in both."""
    x, scale = op.inputs[0], op.inputs[1]
    is_training = op.get_attr("is_training")
    if is_training:
        r1, r2 = op.outputs[3], op.outputs[4]
    else:
        r1, r2 = op.inputs[3], op.inputs[4]
    dx, dscale, doffset, _, _ = apply_op(
        "FusedBatchNormGradV3", [grads[0], x, scale, r1, r2, op.outputs[5]],
        {"epsilon": op.get_attr("epsilon"), "data_format": op.get_attr("data_format"),
         "is_training": is_training, "T": x.dtype.base_dtype, "U": scale.dtype.base_dtype},
        name="FusedBatchNormGradV3", dtypes=[x.dtype.base_dtype] + [scale.dtype.base_dtype] * 4)
    return [dx, dscale, doffset, None, None]


# ---- FusedBatchNormGradV3 -----------------------------------------------------------------
@kernel("FusedBatchNormGradV3", FRESH, same_dtype=False,
        inputs=("y_backprop", "x", "scale", "reserve_space_1", "reserve_space_2", "reserve_space_3"))
def _fused_batch_norm_grad_kernel(dy, x, scale, mean, var, _reserve3, epsilon=1e-4, data_format="NHWC",
                                  is_training=True, T=None, U=None):  # noqa: N803 - TF's attrs
    dt = x.dtype if x.dtype != np.float16 else np.float32
    xt = _to_nhwc(x, data_format).astype(dt, copy=False)
    g = _to_nhwc(dy, data_format).astype(dt, copy=False)
    rstd = 1 / np.sqrt(var.astype(dt) + np.asarray(epsilon, dt))
    xhat = (xt - mean.astype(dt)) * rstd
    axes = (0, 1, 2)
    doffset = g.sum(axis=axes, dtype=dt)
    dscale = (g * xhat).sum(axis=axes, dtype=dt)
    if is_training:
        n = g.size // g.shape[3]
        dx = (scale * rstd / n) * (n * g - doffset - xhat * dscale)
    else:
        dx = g * (scale * rstd)
    dx = _from_nhwc(dx, data_format).astype(x.dtype, copy=False)
    empty = np.zeros((0,), dt)
    return np.ascontiguousarray(dx), dscale, doffset, empty, empty.copy()


@shape_rule("FusedBatchNormGradV3")
def _fused_batch_norm_grad_shape(op):
    c = shape_of(op.inputs[2])
    return [shape_of(op.inputs[1]), c, c, (0,), (0,)]


def fused_batch_norm(x, scale, offset, mean=None, variance=None, epsilon=0.001, data_format="NHWC",
                     is_training=True, name=None, exponential_avg_factor=1.0):
    """Batch normalization of a 4-D `x` in one op: (y, batch_mean, batch_variance).

    Training (default): normalizes with the batch's own mean and (biased) variance over N, H, W;
    `batch_variance` is the unbiased one (n / (n-1)), which tf.layers feeds its moving average.
    Inference (`is_training=False`): uses the given `mean` and `variance` (the moving averages).
    Op type FusedBatchNormV3; `epsilon` is raised to 1.001e-5 if smaller, as TF1 does (cuDNN's
    minimum). Example: `y, m, v = tf.nn.fused_batch_norm(images, gamma, beta)`.
    """
    if data_format not in ("NHWC", "NCHW"):
        raise ValueError(f"fused_batch_norm: data_format must be 'NHWC' or 'NCHW', got {data_format!r}")
    x = convert_to_tensor(x, name="input")
    if x.dtype.base_dtype.name not in _FLOATS_BN:
        raise TypeError(f"Value passed to parameter 'x' has DataType {x.dtype.base_dtype.name} not in list of "
                        f"allowed values: {', '.join(_FLOATS_BN)} (FusedBatchNormV3; tf.nn.batch_normalization "
                        f"takes float64)")
    scale = convert_to_tensor(scale, name="scale")
    offset = convert_to_tensor(offset, name="offset")
    if not is_training and (mean is None or variance is None):
        raise ValueError("fused_batch_norm: with is_training=False, pass the population mean and "
                         "variance (the moving averages) as mean= and variance=")
    # TF1 builds the empty statistics as plain `Const` nodes outside any scope
    mean = convert_to_tensor(np.zeros((0,), np.float32) if mean is None else mean, dtype=scale.dtype.base_dtype)
    variance = convert_to_tensor(np.zeros((0,), np.float32) if variance is None else variance,
                                 dtype=scale.dtype.base_dtype)
    y, batch_mean, batch_var = _fused(x, scale, offset, mean, variance, epsilon, data_format, is_training,
                                      name, exponential_avg_factor)
    return y, batch_mean, batch_var


def _fused(x, scale, offset, mean, variance, epsilon, data_format, is_training, name,
           exponential_avg_factor=1.0):
    """The FusedBatchNormV3 node on tensors (tf.layers.BatchNormalization builds it directly)."""
    epsilon = max(float(epsilon), 1.001e-5)
    u = scale.dtype.base_dtype
    attrs = {"epsilon": float(np.float32(epsilon)), "exponential_avg_factor": float(exponential_avg_factor),
             "data_format": data_format, "is_training": bool(is_training), "T": x.dtype.base_dtype, "U": u}
    outs = apply_op("FusedBatchNormV3", [x, scale, offset, mean, variance], attrs,
                    name=name or "FusedBatchNormV3", dtypes=[x.dtype.base_dtype] + [u] * 5)
    return outs[0], outs[1], outs[2]


__all__ = ["fused_batch_norm"]
