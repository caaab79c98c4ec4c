"""Neural-net ops: the activations, softmax and log_softmax, bias_add and l2_loss.

Mirrors tensorflow/python/ops/nn_ops.py and nn_grad.py. As in TF1, each activation's gradient
is an op of its own (ReluGrad, EluGrad, ...) with a gradient of its own, so second
derivatives work. The cross entropies and the composed functions are in nn_impl.py.
"""
import numpy as np

from .. import dtypes as _dtypes
from ..graph import convert_to_tensor, graph_of
from ..registry import FRESH, PURE, RegisterGradient, apply_op, kernel, local_derivatives, shape_rule
from . import common
from . import math as math_ops
from . import reduce as reduce_ops
from .shapes import fmt, shape_of
from . import array as array_ops
from . import building as building_ops
from . import compare as compare_ops
from . import unary as unary_ops
from ..errors import InvalidArgumentError


def _grad_helper(op_type, fn):
    """Register a gradient helper op like ReluGrad(gradients, features): kernel and shape."""
    kernel(op_type, PURE, inputs=("gradients", "features"))(fn)
    shape_rule(op_type)(common._broadcast_rule)


def _grad_op(op_type, gradients, features, **attrs):
    return apply_op(op_type, [gradients, features], attrs or None)


# ---- Relu ------------------------------------------------------------------------------
def _relu(features):
    return np.maximum(features, features.dtype.type(0))


common.elementwise("Relu", _relu, FRESH, inputs=("features",), dtypes=common.NUMBERS)


local_derivatives("Relu", ("1 if {0} > 0 else 0", lambda a, z: float(a[0] > 0)))


@RegisterGradient("Relu")
def _relu_grad(op, grad):
    """d relu(x)/dx = 1 where the output is > 0, else 0 (0 at x = 0 too)."""
    return [_grad_op("ReluGrad", grad, op.outputs[0])]


def _relu_grad_kernel(gradients, features):
    return gradients * (features > 0)


_grad_helper("ReluGrad", _relu_grad_kernel)


@RegisterGradient("ReluGrad")
def _relu_grad_grad(op, grad):
    """ReluGrad(g, y) is g masked by y > 0: linear in g, flat in y."""
    y = op.inputs[1]
    return [_grad_op("ReluGrad", grad, y), array_ops.zeros_like(y)]


def relu(features, name=None):
    """max(features, 0), elementwise. Op type "Relu"."""
    return apply_op("Relu", [features], name=name)


# ---- Relu6 -----------------------------------------------------------------------------
def _relu6(features):
    zero, six = features.dtype.type(0), features.dtype.type(6)
    return np.minimum(np.maximum(features, zero), six)


common.elementwise("Relu6", _relu6, PURE, inputs=("features",), dtypes=common.NUMBERS)


@RegisterGradient("Relu6")
def _relu6_grad(op, grad):
    """d relu6(x)/dx = 1 where 0 < output < 6, else 0."""
    return [_grad_op("Relu6Grad", grad, op.outputs[0])]


def _relu6_grad_kernel(gradients, features):
    return gradients * ((features > 0) & (features < 6))


_grad_helper("Relu6Grad", _relu6_grad_kernel)


@RegisterGradient("Relu6Grad")
def _relu6_grad_grad(op, grad):
    """Relu6Grad(g, y) is g masked by 0 < y < 6: linear in g, flat in y."""
    y = op.inputs[1]
    return [_grad_op("Relu6Grad", grad, y), array_ops.zeros_like(y)]


def relu6(features, name=None):
    """min(max(features, 0), 6), elementwise. Op type "Relu6"."""
    return apply_op("Relu6", [features], name=name)


# ---- Elu -------------------------------------------------------------------------------
def _elu(features):
    return np.where(features > 0, features, np.expm1(np.minimum(features, 0)))


common.elementwise("Elu", _elu, PURE, inputs=("features",), dtypes=common.FLOATS)


@RegisterGradient("Elu")
def _elu_grad(op, grad):
    """d elu(x)/dx = 1 for x > 0, else exp(x) = output + 1."""
    return [_grad_op("EluGrad", grad, op.outputs[0])]


def _elu_grad_kernel(gradients, outputs):
    return np.where(outputs < 0, gradients * (outputs + 1), gradients)


kernel("EluGrad", PURE, inputs=("gradients", "outputs"))(_elu_grad_kernel)
shape_rule("EluGrad")(common._broadcast_rule)


@RegisterGradient("EluGrad")
def _elu_grad_grad(op, grad):
    """EluGrad(g, y) = g * (y + 1) where y < 0: d/dg is EluGrad itself, d/dy is g there."""
    g, y = op.inputs
    return [_grad_op("EluGrad", grad, y), compare_ops.where(compare_ops.less(y, 0), grad * g, array_ops.zeros_like(y))]


def elu(features, name=None):
    """x for x > 0, exp(x) - 1 otherwise, elementwise. Op type "Elu"."""
    return apply_op("Elu", [features], name=name)


# ---- Selu ------------------------------------------------------------------------------
_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


def _selu(features):
    t = features.dtype.type
    return t(_SELU_SCALE) * np.where(features > 0, features, t(_SELU_ALPHA) * np.expm1(np.minimum(features, 0)))


common.elementwise("Selu", _selu, PURE, inputs=("features",), dtypes=common.FLOATS)


@RegisterGradient("Selu")
def _selu_grad(op, grad):
    """d selu(x)/dx = scale for x > 0, else output + scale * alpha."""
    return [_grad_op("SeluGrad", grad, op.outputs[0])]


def _selu_grad_kernel(gradients, outputs):
    t = outputs.dtype.type
    return np.where(outputs < 0, gradients * (outputs + t(_SELU_SCALE * _SELU_ALPHA)), gradients * t(_SELU_SCALE))


kernel("SeluGrad", PURE, inputs=("gradients", "outputs"))(_selu_grad_kernel)
shape_rule("SeluGrad")(common._broadcast_rule)


@RegisterGradient("SeluGrad")
def _selu_grad_grad(op, grad):
    """SeluGrad(g, y) is linear in g; d/dy is g where y < 0."""
    g, y = op.inputs
    return [_grad_op("SeluGrad", grad, y),
            compare_ops.where(compare_ops.less(y, 0.0), grad * g, array_ops.zeros_like(y))]


def selu(features, name=None):
    """Scaled elu: scale * (x if x > 0 else alpha * (exp(x) - 1)). Op type "Selu"."""
    return apply_op("Selu", [features], name=name)


# ---- LeakyRelu -------------------------------------------------------------------------
def _leaky_relu(features, alpha=0.2):
    a = features.dtype.type(alpha)
    if 0 < alpha <= 1:  # then x >= alpha*x above 0 and below: a maximum is TF's select, same bits,
        return np.maximum(features, features * a)  # without np.where's branch per value (12x faster)
    return np.where(features > 0, features, features * a)  # (alpha = 0 and inf: inf*0 would be nan)


common.elementwise("LeakyRelu", _leaky_relu, PURE, inputs=("features",), dtypes=common.FLOATS)


@RegisterGradient("LeakyRelu")
def _leaky_relu_grad(op, grad):
    """d leaky_relu(x)/dx = 1 for x > 0, else alpha."""
    return [_grad_op("LeakyReluGrad", grad, op.inputs[0], alpha=op.get_attr("alpha"))]


def _leaky_relu_grad_kernel(gradients, features, alpha=0.2):
    a = features.dtype.type(alpha)
    if 0 < alpha <= 1:  # the factor max(x > 0, alpha) is 1 above 0 and alpha below (g * 1 is g)
        return gradients * np.maximum(features > 0, a)
    return np.where(features > 0, gradients, gradients * a)


_grad_helper("LeakyReluGrad", _leaky_relu_grad_kernel)


@RegisterGradient("LeakyReluGrad")
def _leaky_relu_grad_grad(op, grad):
    """LeakyReluGrad(g, x) is linear in g, flat in x."""
    x = op.inputs[1]
    return [_grad_op("LeakyReluGrad", grad, x, alpha=op.get_attr("alpha")), array_ops.zeros_like(x)]


def leaky_relu(features, alpha=0.2, name=None):
    """x for x > 0, alpha * x otherwise (integers are cast to float32 first). Op "LeakyRelu"."""
    with graph_of([features]).name_scope(name or "LeakyRelu") as scope:
        features = convert_to_tensor(features, name="features")
        if features.dtype.is_integer:
            features = math_ops.cast(features, _dtypes.float32)
        return apply_op("LeakyRelu", [features], {"alpha": float(alpha)}, name=scope)


# ---- Softplus --------------------------------------------------------------------------
def _softplus(features):
    # TF's kernel: x where exp(x) would overflow, exp(x) where 1 + exp(x) rounds to 1
    threshold = np.log(np.finfo(features.dtype).eps) + 2
    with np.errstate(over="ignore"):
        e = np.exp(features)
        return np.where(features > -threshold, features,
                        np.where(features < threshold, e, np.log(e + 1)))


common.elementwise("Softplus", _softplus, PURE, inputs=("features",), dtypes=common.FLOATS)


@RegisterGradient("Softplus")
def _softplus_grad(op, grad):
    """d softplus(x)/dx = sigmoid(x) = 1 / (1 + exp(-x))."""
    return [_grad_op("SoftplusGrad", grad, op.inputs[0])]


def _softplus_grad_kernel(gradients, features):
    with np.errstate(over="ignore"):
        return gradients / (np.exp(-features) + 1)


_grad_helper("SoftplusGrad", _softplus_grad_kernel)


@RegisterGradient("SoftplusGrad")
def _softplus_grad_grad(op, grad):
    """SoftplusGrad(g, x) = g * sigmoid(x): d/dg = sigmoid(x), d/dx = g / (e^-x + 2 + e^x)."""
    dy, x = op.inputs
    with graph_of([grad]).control_dependencies([grad]):
        ddy = _grad_op("SoftplusGrad", grad, x)
        d2x = grad * dy / (unary_ops.exp(-x) + 2.0 + unary_ops.exp(x))
        return [ddy, d2x]


def softplus(features, name=None):
    """log(exp(features) + 1), elementwise. Op type "Softplus"."""
    return apply_op("Softplus", [features], name=name)


# ---- Softsign --------------------------------------------------------------------------
def _softsign(features):
    return features / (np.abs(features) + 1)


common.elementwise("Softsign", _softsign, PURE, inputs=("features",), dtypes=common.FLOATS)


@RegisterGradient("Softsign")
def _softsign_grad(op, grad):
    """d softsign(x)/dx = 1 / (1 + |x|)**2 (TF1 defines no gradient of SoftsignGrad)."""
    return [_grad_op("SoftsignGrad", grad, op.inputs[0])]


def _softsign_grad_kernel(gradients, features):
    return gradients / np.square(np.abs(features) + 1)


_grad_helper("SoftsignGrad", _softsign_grad_kernel)


def softsign(features, name=None):
    """features / (abs(features) + 1), elementwise. Op type "Softsign"."""
    return apply_op("Softsign", [features], name=name)


# ---- Softmax / LogSoftmax --------------------------------------------------------------
def _shifted(logits):
    """logits minus their row maximum, so exp() cannot overflow (inf - inf gives NaN, as TF)."""
    with np.errstate(invalid="ignore"):
        return logits - np.max(logits, axis=-1, keepdims=True)


def _softmax_kernel(logits):
    if logits.shape[-1] == 0:
        return logits.copy()
    e = np.exp(_shifted(logits))
    return e / np.sum(e, axis=-1, keepdims=True)


def _log_softmax_kernel(logits):
    if logits.shape[-1] == 0:
        return logits.copy()
    shifted = _shifted(logits)
    with np.errstate(invalid="ignore"):
        return shifted - np.log(np.sum(np.exp(shifted), axis=-1, keepdims=True))


def _softmax_shape(op):
    common.check_dtype(op, common.FLOATS, "logits")
    s = shape_of(op.inputs[0])
    if s is not None and len(s) < 1:
        raise ValueError(f"Shape must be at least rank 1 but is rank 0 for '{op.name}' (op: "
                         f"'{op.type}') with input shapes: [].")
    return [op.inputs[0].shape]


kernel("Softmax", PURE, inputs=("logits",))(_softmax_kernel)
kernel("LogSoftmax", PURE, inputs=("logits",))(_log_softmax_kernel)
shape_rule("Softmax")(_softmax_shape)
shape_rule("LogSoftmax")(_softmax_shape)


@RegisterGradient("Softmax")
def _softmax_grad(op, grad):
    """With s = softmax(x): dx = (grad - sum(grad * s, -1)) * s."""
    s = op.outputs[0]
    sum_channels = reduce_ops.reduce_sum(grad * s, -1, keepdims=True)
    return [(grad - sum_channels) * s]


@RegisterGradient("LogSoftmax")
def _log_softmax_grad(op, grad):
    """With y = log_softmax(x): dx = grad - sum(grad, -1) * exp(y)."""
    softmax = unary_ops.exp(op.outputs[0])
    return [grad - reduce_ops.reduce_sum(grad, -1, keepdims=True) * softmax]


def _softmax(logits, op_type, axis, name):
    """Softmax or LogSoftmax along `axis`: the op works on the last axis, so TF1 swaps the two."""
    logits = convert_to_tensor(logits)
    shape = logits.shape
    if axis == -1 or shape.ndims is not None and axis == shape.ndims - 1:
        return apply_op(op_type, [logits], name=name)
    if shape.ndims is None:
        raise ValueError(f"{op_type} along axis {axis} needs a tensor of known rank, got {logits}.")
    if not -shape.ndims <= axis < shape.ndims:
        raise InvalidArgumentError(None, None, f"Dimension ({axis}) must be in the range [{-shape.ndims}, "
                                   f"{shape.ndims}) where {shape.ndims} is the number of dimensions in the input.")
    ndims = array_ops.rank(logits)
    if axis < 0:
        axis += ndims
    input_rank = array_ops.rank(logits)
    axis = axis % shape.ndims
    last = math_ops.subtract(input_rank, 1)
    output = apply_op(op_type, [_swap_axis(logits, axis, last)])
    output = _swap_axis(output, axis, math_ops.subtract(input_rank, 1), name=name)
    output.set_shape(shape)
    return output


def _swap_axis(x, axis, last, name=None):
    """x with dimensions `axis` and `last` (a tensor) swapped, built as TF1 builds it."""
    perm = building_ops.concat([building_ops.range(axis), [last], building_ops.range(axis + 1, last), [axis]], 0)
    return _set_permuted_shape(array_ops.transpose(x, perm, name=name or "transpose"), x, axis, swap=True)


def _set_permuted_shape(y, x, axis, swap):
    """Give a transpose the static shape TF1's shape inference finds (its perm is built of ops):
    dimension `axis` of x swapped with the last one, or (swap=False) moved to the end."""
    dims = shape_of(x)
    if dims is not None and isinstance(axis, int):
        dims = list(dims)
        if swap:
            dims[axis], dims[-1] = dims[-1], dims[axis]
        else:
            dims.append(dims.pop(axis))
        y.set_shape(dims)
    return y


def softmax(logits, axis=None, name=None, dim=None):
    """exp(logits) / sum(exp(logits)) along `axis` (default: the last). Op type "Softmax".

    Computed stably (the row maximum is subtracted first), so logits of 1000 are fine.
    `dim` is the old name of `axis`.
    """
    axis = reduce_ops.pick(axis, dim, "axis", "dim")
    return _softmax(logits, "Softmax", -1 if axis is None else axis, name)


def log_softmax(logits, axis=None, name=None, dim=None):
    """logits - log(sum(exp(logits))) along `axis` (default: the last). Op type "LogSoftmax"."""
    axis = reduce_ops.pick(axis, dim, "axis", "dim")
    return _softmax(logits, "LogSoftmax", -1 if axis is None else axis, name)


# ---- BiasAdd ---------------------------------------------------------------------------
def _channel_axis(ndim, data_format):
    return 1 if data_format.startswith("NC") else ndim - 1


@kernel("BiasAdd", FRESH, inputs=("value", "bias"))
def _bias_add(value, bias, data_format="NHWC"):
    axis = _channel_axis(value.ndim, data_format)
    if np.ndim(bias) != 1 or value.shape[axis] != bias.shape[0]:
        raise ValueError(f"Must provide as many biases as the channel dimension of the input tensor: "
                         f"{fmt(np.shape(bias))} vs. {fmt(value.shape)}")
    return value + bias.reshape((-1,) + (1,) * (value.ndim - 1 - axis))


@shape_rule("BiasAdd")
def _bias_add_shape(op):
    value, bias = (shape_of(t) for t in op.inputs)
    common.check_dtype(op, common.NUMBERS, "value")
    shapes = f"with input shapes: {fmt(value)}, {fmt(bias)}."
    if value is not None and len(value) < 2:
        raise ValueError(f"Shape must be at least rank 2 but is rank {len(value)} for '{op.name}' "
                         f"(op: 'BiasAdd') {shapes}")
    if bias is not None and len(bias) != 1:
        raise ValueError(f"Shape must be rank 1 but is rank {len(bias)} for '{op.name}' (op: 'BiasAdd') {shapes}")
    if value is None:
        return [None]
    axis = _channel_axis(len(value), op.attrs["data_format"])
    channels = value[axis] if value[axis] is not None else (bias[0] if bias else None)
    if bias is not None and None not in (value[axis], bias[0]) and value[axis] != bias[0]:
        raise ValueError(f"Dimensions must be equal, but are {value[axis]} and {bias[0]} for '{op.name}' "
                         f"(op: 'BiasAdd') {shapes}")
    return [value[:axis] + (channels,) + value[axis + 1:]]


local_derivatives("BiasAdd", ("1", lambda a, z: 1.0), ("1", lambda a, z: 1.0))


@RegisterGradient("BiasAdd")
def _bias_add_grad(op, grad):
    """d(x + b)/dx = 1; d/db sums the gradient over every axis but the channel one."""
    return [grad, apply_op("BiasAddGrad", [grad], {"data_format": op.get_attr("data_format")})]


@kernel("BiasAddGrad", PURE, inputs=("out_backprop",))
def _bias_add_grad_kernel(out_backprop, data_format="NHWC"):
    axis = _channel_axis(out_backprop.ndim, data_format)
    return np.sum(out_backprop, axis=tuple(i for i in range(out_backprop.ndim) if i != axis))


@shape_rule("BiasAddGrad")
def _bias_add_grad_shape(op):
    s = shape_of(op.inputs[0])
    return [None if s is None else (s[_channel_axis(len(s), op.attrs["data_format"])],)]


@RegisterGradient("BiasAddGrad")
def _bias_add_grad_grad(op, grad):
    """BiasAddGrad sums over the batch: its gradient tiles `grad` back to the input's shape."""
    shape = array_ops.shape(op.inputs[0])
    bias_shape = array_ops.shape(grad)
    if op.get_attr("data_format").startswith("NC"):
        expanded_shape = building_ops.concat(
            [array_ops.ones_like(shape[:1]), bias_shape, array_ops.ones_like(shape[2:])], 0)
        tile_mults = building_ops.concat([shape[:1], [1], shape[2:]], 0)
    else:
        expanded_shape = building_ops.concat([array_ops.ones_like(shape[:-1]), bias_shape], 0)
        tile_mults = building_ops.concat([shape[:-1], [1]], 0)
    return [building_ops.tile(array_ops.reshape(grad, expanded_shape), tile_mults)]


def bias_add(value, bias, data_format=None, name=None):
    """`value` plus the 1-D `bias` along its last dimension (the channels). Op type "BiasAdd".

    Unlike `value + bias` this never broadcasts anything else: the bias must have exactly
    one entry per channel. `data_format="NCHW"` puts the channels second.
    """
    if data_format is None or data_format.startswith("N") and data_format.endswith("C"):
        data_format = "NHWC"
    elif data_format.startswith("NC"):
        data_format = "NCHW"
    else:
        raise ValueError("data_format must be of the form `N...C` or `NC...`")
    with graph_of([value, bias]).name_scope(name or "BiasAdd") as scope:
        value = convert_to_tensor(value, name="input")
        bias = convert_to_tensor(bias, dtype=value.dtype.base_dtype, name="bias")
        return apply_op("BiasAdd", [value, bias], {"data_format": data_format}, name=scope)


def xw_plus_b(x, weights, biases, name=None):
    """matmul(x, weights) + biases, as 'xw_plus_b/MatMul' and 'xw_plus_b' (a BiasAdd)."""
    with graph_of([x, weights, biases]).name_scope(name or "xw_plus_b") as scope:
        return bias_add(math_ops.matmul(x, weights), biases, name=scope)


def relu_layer(x, weights, biases, name=None):
    """relu(matmul(x, weights) + biases), as 'relu_layer/MatMul', '.../BiasAdd', 'relu_layer'."""
    with graph_of([x, weights, biases]).name_scope(name or "relu_layer") as scope:
        return relu(bias_add(math_ops.matmul(x, weights), biases), name=scope)


# ---- L2Loss ----------------------------------------------------------------------------
@kernel("L2Loss", FRESH, inputs=("t",))
def _l2_loss(t):
    return np.asarray(np.sum(np.square(t)) / 2, dtype=t.dtype)


@shape_rule("L2Loss")
def _l2_loss_shape(op):
    common.check_dtype(op, common.FLOATS, "t")
    return [()]


@RegisterGradient("L2Loss")
def _l2_loss_grad(op, grad):
    """d(sum(x**2) / 2)/dx = x."""
    return [op.inputs[0] * grad]


def l2_loss(t, name=None):
    """sum(t ** 2) / 2, a scalar: the usual weight-decay penalty. Op type "L2Loss"."""
    return apply_op("L2Loss", [t], name=name)


__all__ = ["relu", "relu6", "elu", "selu", "leaky_relu", "softplus", "softsign", "softmax", "log_softmax",
           "bias_add", "xw_plus_b", "relu_layer", "l2_loss"]
