"""Sigmoid, LeakyRelu and LeakyReluGrad pick between two formulas per value without np.where
(whose branch per value made them 8-12x slower on random signs): the same bits as the select,
for every float type, the special values and the alphas TF allows."""
import numpy as np
import pytest

from tfteach.ops.nn import _leaky_relu, _leaky_relu_grad_kernel
from tfteach.ops.unary import _sigmoid

DTYPES = [np.float16, np.float32, np.float64]


def values(dtype, seed):
    """Random values of both signs, and the special ones first."""
    info = np.finfo(dtype)
    special = [0.0, -0.0, np.inf, -np.inf, np.nan, info.tiny, -info.tiny, info.smallest_subnormal,
               -info.smallest_subnormal, info.max, -info.max, 1.0, -1.0, 80.0, -80.0]
    x = (np.random.RandomState(seed).randn(2000) * 8).astype(dtype)
    x[:len(special)] = special
    return x


def assert_same_bits(got, want):
    assert got.dtype == want.dtype and got.shape == want.shape
    assert np.array_equal(got, want, equal_nan=True)
    assert np.array_equal(np.signbit(got), np.signbit(want))  # -0.0 stays -0.0


@pytest.mark.parametrize("dtype", DTYPES)
@np.errstate(all="ignore")
def test_sigmoid_is_the_select_of_its_two_stable_forms(dtype):
    x = values(dtype, 0)
    e = np.exp(-np.abs(x))
    want = np.where(x >= 0, 1 / (1 + e), e / (1 + e)).astype(dtype)
    assert_same_bits(_sigmoid(x), want)
    assert_same_bits(_sigmoid(x.reshape(40, 50)), want.reshape(40, 50))
    scalar = np.asarray(dtype(-3.0))
    assert isinstance(_sigmoid(scalar), np.ndarray) and _sigmoid(scalar).shape == ()


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("alpha", [1e-6, 0.01, 0.2, 0.5, 1.0, 0.0, 1.5, -0.1])
@np.errstate(all="ignore")
def test_leaky_relu_and_its_gradient_are_tfs_select(dtype, alpha):
    x, g = values(dtype, 1), values(dtype, 2)[::-1].copy()  # special gradients meet random features
    a = dtype(alpha)
    assert_same_bits(_leaky_relu(x, alpha=alpha), np.where(x > 0, x, x * a))
    assert_same_bits(_leaky_relu_grad_kernel(g, x, alpha=alpha), np.where(x > 0, g, g * a))
    assert_same_bits(_leaky_relu_grad_kernel(x, g, alpha=alpha), np.where(g > 0, x, x * a))
