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
    old = [ctx.read_variable(m), ctx.read_variable(v), ctx.read_variable(var)]
    grad = np.asarray(grad)
    if not all(a.shape == grad.shape and a.dtype == grad.dtype for a in old):
        return _apply_adam_broadcast(ctx, var, m, v, old, lr_t, beta1, beta2, epsilon, grad, use_nesterov)
    # in place when the plan allows (no one else holds these arrays), else into new arrays
    new = old if ctx.in_place else [np.empty_like(a) for a in old]
    for a in new:
        a.flags.writeable = True
    _adam_chunks(*old, *new, grad, lr_t, beta1, beta2, epsilon, use_nesterov)
    for a in new:
        a.flags.writeable = False
    ctx.write_variable(m, new[0], fresh=True)
    ctx.write_variable(v, new[1], fresh=True)
    return ctx.write_variable(var, new[2], fresh=True)


# A few cache-sized pieces at a time: the ten operations of a step run on 256 KB that stays in
# the processor's cache, not on whole weight arrays read from memory ten times (the CNN's 3.2 M
# weights: 22 ms a step as whole arrays; see docs/benchmarks.md).
ADAM_CHUNK = 1 << 16


def _adam_chunks(m_old, v_old, w_old, m_new, v_new, w_new, grad, lr_t, beta1, beta2, epsilon, use_nesterov):
    """The same float32 operations as TF1's kernel, piece by piece; *_new may be *_old:
    m += (grad - m) * (1 - beta1); v += (grad^2 - v) * (1 - beta2);
    var -= lr_t * m / (sqrt(v) + epsilon)   (Nesterov: m * beta1 + grad * (1 - beta1) for m)."""
    flat = [a.reshape(-1) for a in (m_old, v_old, w_old, m_new, v_new, w_new, grad)]
    size = flat[0].size
    t = np.empty(min(size, ADAM_CHUNK), grad.dtype)
    u = np.empty_like(t)
    for lo in range(0, size, ADAM_CHUNK):
        hi = min(lo + ADAM_CHUNK, size)
        mo, vo, wo, mn, vn, wn, g = (a[lo:hi] for a in flat)
        tc, uc = t[:hi - lo], u[:hi - lo]
        np.subtract(g, mo, out=tc)
        tc *= 1 - beta1
        np.add(tc, mo, out=mn)
        np.multiply(g, g, out=tc)
        tc -= vo
        tc *= 1 - beta2
        np.add(tc, vo, out=vn)
        if use_nesterov:
            np.multiply(mn, beta1, out=uc)
            np.multiply(g, 1 - beta1, out=tc)
            uc += tc
            np.multiply(lr_t, uc, out=uc)
        else:
            np.multiply(lr_t, mn, out=uc)
        np.sqrt(vn, out=tc)
        tc += epsilon
        uc /= tc
        np.subtract(wo, uc, out=wn)


def _apply_adam_broadcast(ctx, var, m, v, old, lr_t, beta1, beta2, epsilon, grad, use_nesterov):
    """A gradient that broadcasts against the slots (a scalar): whole arrays, new ones."""
    m_old, v_old, w_old = old
    m_t = ctx.write_variable(m, m_old + (grad - m_old) * (1 - beta1), fresh=True)
    v_t = ctx.write_variable(v, v_old + (grad * grad - v_old) * (1 - beta2), fresh=True)
    step = (m_t * beta1 + grad * (1 - beta1)) if use_nesterov else m_t
    return ctx.write_variable(var, w_old - lr_t * step / (np.sqrt(v_t) + epsilon), fresh=True)


shape_rule("ApplyAdam")(_var_shape)
NotDifferentiable("ApplyAdam")


def apply_adam(var, m, v, beta1_power, beta2_power, lr, beta1, beta2, epsilon, grad, use_locking=False,
               use_nesterov=False, name=None):
    return _apply("ApplyAdam", [_refs(var), _refs(m), _refs(v), beta1_power, beta2_power, lr, beta1, beta2,
                                epsilon, grad], use_locking, name, use_nesterov=bool(use_nesterov))
