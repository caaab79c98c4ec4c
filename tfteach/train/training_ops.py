"""The Apply* ops the optimizers add: each updates a variable (and its slots) in place.

Mirrors tensorflow/core/kernels/training_ops (the TF1 update formulas, with their defaults
and traps) and python/training/training_ops.py. Every op: kernel, shape rule, function.
"""
import numpy as np

from ..registry import NotDifferentiable, apply_op, kernel, shape_rule


def _var_shape(op):
    return [op.inputs[0].shape]


def _apply(op_type, inputs, use_locking, name=None, **attrs):
    ref = inputs[0]
    attrs["use_locking"] = bool(use_locking)
    return apply_op(op_type, inputs, attrs, name=name or op_type, dtypes=[ref.dtype.base_dtype._as_ref])


def _refs(v):
    return v._ref() if hasattr(v, "_ref") else v


# ---- ApplyGradientDescent ---------------------------------------------------------
@kernel("ApplyGradientDescent", {"new_array"}, inputs=("var", "alpha", "delta"), ref_inputs=(0,), session=True,
        writes=True)
def _apply_gradient_descent(ctx, var, alpha, delta, use_locking=False):
    """var -= alpha * delta"""
    return ctx.assign_sub(var, alpha * delta)


shape_rule("ApplyGradientDescent")(_var_shape)
NotDifferentiable("ApplyGradientDescent")


def apply_gradient_descent(var, alpha, delta, use_locking=False, name=None):
    return _apply("ApplyGradientDescent", [_refs(var), alpha, delta], use_locking, name)


# ---- ApplyMomentum -----------------------------------------------------------------
@kernel("ApplyMomentum", {"new_array"}, inputs=("var", "accum", "lr", "grad", "momentum"), ref_inputs=(0, 1),
        session=True, writes=True)
def _apply_momentum(ctx, var, accum, lr, grad, momentum, use_locking=False, use_nesterov=False):
    """accum = accum * momentum + grad; var -= lr * accum (Nesterov: lr * (grad + momentum * accum))"""
    a = ctx.write_variable(accum, ctx.read_variable(accum) * momentum + grad)
    if use_nesterov:
        # computed in float64 and rounded once, as TF's fused CPU kernel nearly does (float32
        # rounding of each product drifts by an ulp from TF within ten steps)
        dtype = np.result_type(grad)
        step = (np.float64(grad) * lr + np.float64(a) * momentum * lr).astype(dtype)
    else:
        step = a * lr
    return ctx.write_variable(var, ctx.read_variable(var) - step)


shape_rule("ApplyMomentum")(_var_shape)
NotDifferentiable("ApplyMomentum")


def apply_momentum(var, accum, lr, grad, momentum, use_locking=False, use_nesterov=False, name=None):
    return _apply("ApplyMomentum", [_refs(var), _refs(accum), lr, grad, momentum], use_locking, name,
                  use_nesterov=bool(use_nesterov))


# ---- ApplyAdagrad ---------------------------------------------------------------------
@kernel("ApplyAdagrad", {"new_array"}, inputs=("var", "accum", "lr", "grad"), ref_inputs=(0, 1), session=True,
        writes=True)
def _apply_adagrad(ctx, var, accum, lr, grad, use_locking=False, update_slots=True):
    """accum += grad**2; var -= lr * grad / sqrt(accum)"""
    a = ctx.write_variable(accum, ctx.read_variable(accum) + grad * grad)
    return ctx.write_variable(var, ctx.read_variable(var) - lr * grad / np.sqrt(a))


shape_rule("ApplyAdagrad")(_var_shape)
NotDifferentiable("ApplyAdagrad")


def apply_adagrad(var, accum, lr, grad, use_locking=False, name=None):
    return _apply("ApplyAdagrad", [_refs(var), _refs(accum), lr, grad], use_locking, name)


# ---- ApplyRMSProp ----------------------------------------------------------------------
@kernel("ApplyRMSProp", {"new_array"}, inputs=("var", "ms", "mom", "lr", "rho", "momentum", "epsilon", "grad"),
        ref_inputs=(0, 1, 2), session=True, writes=True)
def _apply_rms_prop(ctx, var, ms, mom, lr, rho, momentum, epsilon, grad, use_locking=False):
    """ms = rho*ms + (1-rho)*grad**2; mom = momentum*mom + lr*grad/sqrt(ms+epsilon); var -= mom"""
    m = ctx.write_variable(ms, ctx.read_variable(ms) * rho + grad * grad * (1 - rho))
    v = ctx.write_variable(mom, ctx.read_variable(mom) * momentum + lr * grad / np.sqrt(m + epsilon))
    return ctx.write_variable(var, ctx.read_variable(var) - v)


shape_rule("ApplyRMSProp")(_var_shape)
NotDifferentiable("ApplyRMSProp")


def apply_rms_prop(var, ms, mom, lr, rho, momentum, epsilon, grad, use_locking=False, name=None):
    return _apply("ApplyRMSProp", [_refs(var), _refs(ms), _refs(mom), lr, rho, momentum, epsilon, grad],
                  use_locking, name)


# ---- ApplyCenteredRMSProp ------------------------------------------------------------------
@kernel("ApplyCenteredRMSProp", inputs=("var", "mg", "ms", "mom", "lr", "rho", "momentum", "epsilon",
                                        "grad"), ref_inputs=(0, 1, 2, 3), session=True, writes=True)
def _apply_centered_rms_prop(ctx, var, mg, ms, mom, lr, rho, momentum, epsilon, grad, use_locking=False):
    """As RMSProp, but divides by the estimated variance: sqrt(ms - mg**2 + epsilon)."""
    g = ctx.write_variable(mg, ctx.read_variable(mg) * rho + grad * (1 - rho))
    m = ctx.write_variable(ms, ctx.read_variable(ms) * rho + grad * grad * (1 - rho))
    v = ctx.write_variable(mom, ctx.read_variable(mom) * momentum + lr * grad / np.sqrt(m - g * g + epsilon))
    return ctx.write_variable(var, ctx.read_variable(var) - v)


shape_rule("ApplyCenteredRMSProp")(_var_shape)
NotDifferentiable("ApplyCenteredRMSProp")


def apply_centered_rms_prop(var, mg, ms, mom, lr, rho, momentum, epsilon, grad, use_locking=False,
                            name=None):
    return _apply("ApplyCenteredRMSProp", [_refs(var), _refs(mg), _refs(ms), _refs(mom), lr, rho, momentum,
                                           epsilon, grad], use_locking, name)


# ---- ApplyAdam -------------------------------------------------------------------------------
@kernel("ApplyAdam", {"new_array"}, inputs=("var", "m", "v", "beta1_power", "beta2_power", "lr", "beta1", "beta2",
                             "epsilon", "grad"), ref_inputs=(0, 1, 2), session=True, writes=True)
def _apply_adam(ctx, var, m, v, beta1_power, beta2_power, lr, beta1, beta2, epsilon, grad,
                use_locking=False, use_nesterov=False):
    """lr_t = lr*sqrt(1-beta2^t)/(1-beta1^t); m, v moving averages; var -= lr_t*m/(sqrt(v)+eps)

    epsilon sits outside the square root, as in TF1's kernel.
    """
    lr_t = lr * np.sqrt(1 - beta2_power) / (1 - beta1_power)
    # the same float32 operations as m + (grad - m) * (1 - beta1), ..., each result computed into
    # one new array: a big layer's step makes 4 arrays the size of its weights, not 15
    m_old, v_old = ctx.read_variable(m), ctx.read_variable(v)
    m_t = np.subtract(grad, m_old)
    m_t *= 1 - beta1
    m_t += m_old
    m_t = ctx.write_variable(m, m_t, fresh=True)
    v_t = np.multiply(grad, grad)
    v_t -= v_old
    v_t *= 1 - beta2
    v_t += v_old
    v_t = ctx.write_variable(v, v_t, fresh=True)
    step = (m_t * beta1 + grad * (1 - beta1)) if use_nesterov else m_t
    update = np.multiply(lr_t, step)
    denominator = np.sqrt(v_t)
    denominator += epsilon
    update /= denominator
    return ctx.write_variable(var, np.subtract(ctx.read_variable(var), update), fresh=True)


shape_rule("ApplyAdam")(_var_shape)
NotDifferentiable("ApplyAdam")


def apply_adam(var, m, v, beta1_power, beta2_power, lr, beta1, beta2, epsilon, grad, use_locking=False,
               use_nesterov=False, name=None):
    return _apply("ApplyAdam", [_refs(var), _refs(m), _refs(v), beta1_power, beta2_power, lr, beta1, beta2,
                                epsilon, grad], use_locking, name, use_nesterov=bool(use_nesterov))
