"""tf.train.FtrlOptimizer and its update ops ApplyFtrl / ApplyFtrlV2 (FTRL-Proximal, McMahan et al. 2013).

Mirrors tensorflow/python/training/ftrl.py and the ApplyFtrl kernels of core/kernels/training_ops.
The linear canned estimators (tf.estimator.LinearRegressor, LinearClassifier) train with it.
"""
import numpy as np

from ..graph import convert_to_tensor
from ..ops.math import cast
from ..registry import NotDifferentiable, kernel, shape_rule
from .optimizer import Optimizer
from .training_ops import _apply, _refs, _var_shape


# ---- ApplyFtrl, ApplyFtrlV2 --------------------------------------------------------------
def _ftrl_step(ctx, var, accum, linear, grad, lr, l1, l2, l2_shrinkage, lr_power):
    """TF's FTRL step: `linear` keeps the sum of (shrunk) gradients minus the moves of the
    per-coordinate learning rate; the variable is then the closed-form argmin, zero while
    |linear| <= l1 (the L1 penalty's sparsity)."""
    w, a, z = ctx.read_variable(var), ctx.read_variable(accum), ctx.read_variable(linear)
    new_a = a + grad * grad
    shrunk = grad + 2 * l2_shrinkage * w if l2_shrinkage else grad
    if lr_power == -0.5:
        sigma = (np.sqrt(new_a) - np.sqrt(a)) / lr
        quadratic = np.sqrt(new_a) / lr + 2 * l2
    else:
        sigma = (new_a ** -lr_power - a ** -lr_power) / lr
        quadratic = new_a ** -lr_power / lr + 2 * l2
    z = ctx.write_variable(linear, z + shrunk - sigma * w)
    ctx.write_variable(accum, new_a)
    new_w = np.where(np.abs(z) > l1, (l1 * np.sign(z) - z) / quadratic, 0)
    return ctx.write_variable(var, new_w)


@kernel("ApplyFtrl", {"new_array"}, inputs=("var", "accum", "linear", "grad", "lr", "l1", "l2", "lr_power"),
        ref_inputs=(0, 1, 2), session=True, writes=True)
def _apply_ftrl(ctx, var, accum, linear, grad, lr, l1, l2, lr_power, use_locking=False,
                multiply_linear_by_lr=False):
    """accum' = accum + g**2; linear += g - (sqrt(accum') - sqrt(accum)) / lr * var;
    var = (l1 * sign(linear) - linear) / (sqrt(accum') / lr + 2 * l2) if |linear| > l1 else 0"""
    return _ftrl_step(ctx, var, accum, linear, grad, lr, l1, l2, 0.0, lr_power)


@kernel("ApplyFtrlV2", {"new_array"}, inputs=("var", "accum", "linear", "grad", "lr", "l1", "l2", "l2_shrinkage",
                                             "lr_power"), ref_inputs=(0, 1, 2), session=True, writes=True)
def _apply_ftrl_v2(ctx, var, accum, linear, grad, lr, l1, l2, l2_shrinkage, lr_power, use_locking=False,
                   multiply_linear_by_lr=False):
    """ApplyFtrl with the gradient shrunk first: g + 2 * l2_shrinkage * var (the accumulator sees g)."""
    return _ftrl_step(ctx, var, accum, linear, grad, lr, l1, l2, l2_shrinkage, lr_power)


for _op_type in ("ApplyFtrl", "ApplyFtrlV2"):
    shape_rule(_op_type)(_var_shape)
    NotDifferentiable(_op_type)


def apply_ftrl(var, accum, linear, grad, lr, l1, l2, lr_power, use_locking=False, name=None):
    return _apply("ApplyFtrl", [_refs(var), _refs(accum), _refs(linear), grad, lr, l1, l2, lr_power],
                  use_locking, name)


def apply_ftrl_v2(var, accum, linear, grad, lr, l1, l2, l2_shrinkage, lr_power, use_locking=False, name=None):
    return _apply("ApplyFtrlV2", [_refs(var), _refs(accum), _refs(linear), grad, lr, l1, l2, l2_shrinkage,
                                  lr_power], use_locking, name)


# ---- FtrlOptimizer ----------------------------------------------------------------------
class FtrlOptimizer(Optimizer):
    """FTRL-Proximal: per-coordinate learning rates (as Adagrad) with L1 and L2 penalties.

    Slots: `accum` (named `<var>/Ftrl`, starts at initial_accumulator_value) and `linear`
    (`<var>/Ftrl_1`, starts at 0). The default optimizer of the linear canned estimators.

    Example:
        train = tf.train.FtrlOptimizer(0.2, l1_regularization_strength=0.01).minimize(loss)
    """

    def __init__(self, learning_rate, learning_rate_power=-0.5, initial_accumulator_value=0.1,
                 l1_regularization_strength=0.0, l2_regularization_strength=0.0, use_locking=False,
                 name="Ftrl", accum_name=None, linear_name=None, l2_shrinkage_regularization_strength=0.0,
                 beta=None):
        super().__init__(use_locking, name)
        for what, value, rule in (
                ("initial_accumulator_value", initial_accumulator_value, "positive or zero"),
                ("learning_rate_power", -learning_rate_power, None),
                ("l1_regularization_strength", l1_regularization_strength, "positive or zero"),
                ("l2_regularization_strength", l2_regularization_strength, "positive or zero"),
                ("l2_shrinkage_regularization_strength", l2_shrinkage_regularization_strength,
                 "positive or zero")):
            if value < 0.0:
                if rule is None:
                    raise ValueError(f"learning_rate_power {learning_rate_power:f} needs to be negative or zero")
                raise ValueError(f"{what} {value:f} needs to be {rule}")
        self._learning_rate = learning_rate
        self._learning_rate_power = learning_rate_power
        self._initial_accumulator_value = initial_accumulator_value
        self._l1_regularization_strength = l1_regularization_strength
        self._l2_regularization_strength = l2_regularization_strength
        self._beta = 0.0 if beta is None else beta
        self._l2_shrinkage_regularization_strength = l2_shrinkage_regularization_strength
        self._accum_name = accum_name
        self._linear_name = linear_name

    def _create_slots(self, var_list):
        for v in var_list:
            self._slot_with_value(v, "accum", self._accum_name or self._name, self._initial_accumulator_value)
            self._zeros_slot(v, "linear", self._linear_name or self._name)

    def _prepare(self):
        lr = self._call_if_callable(self._learning_rate)
        self._learning_rate_tensor = convert_to_tensor(lr, name="learning_rate")
        self._l1_tensor = convert_to_tensor(self._l1_regularization_strength, name="l1_regularization_strength")
        # beta / (2 lr) folds into the L2 penalty, as TF's optimizer does
        l2 = self._l2_regularization_strength + (self._beta / (2. * max(lr, 1e-36)) if self._beta else 0.0)
        self._l2_tensor = convert_to_tensor(l2, name="adjusted_l2_regularization_strength")
        self._beta_tensor = convert_to_tensor(self._beta, name="beta")
        self._l2_shrinkage_tensor = convert_to_tensor(self._l2_shrinkage_regularization_strength,
                                                      name="l2_shrinkage_regularization_strength")
        self._learning_rate_power_tensor = convert_to_tensor(self._learning_rate_power, name="learning_rate_power")

    def _apply_dense(self, grad, var):
        dtype = var.dtype.base_dtype
        args = [cast(self._learning_rate_tensor, dtype), cast(self._l1_tensor, dtype), cast(self._l2_tensor, dtype)]
        accum, linear = self.get_slot(var, "accum"), self.get_slot(var, "linear")
        if self._l2_shrinkage_regularization_strength <= 0.0:
            return apply_ftrl(var, accum, linear, grad, *args, cast(self._learning_rate_power_tensor, dtype),
                              use_locking=self._use_locking).op
        return apply_ftrl_v2(var, accum, linear, grad, *args, cast(self._l2_shrinkage_tensor, dtype),
                             cast(self._learning_rate_power_tensor, dtype), use_locking=self._use_locking).op
