"""The fast paths of issue 21 give the same numbers as the plain definitions they replace.

Convolutions built a few images at a time (ops/conv_kernels.py) against windows summed in float64;
max pooling over tiling windows against the generic window path; float32 histogram buckets
against a binary search; the two histogram sums against a Python loop; the numpy CRC32C against
the byte-at-a-time table loop.
"""
import numpy as np
import pytest

from tfteach import crc32c as crc_module
from tfteach.ops import conv, conv_kernels
from tfteach.summary import ops as summary_ops

GEOMETRIES = [  # (input shape, filter h, w, strides, padding)
    ((3, 7, 6, 2), 3, 2, (1, 1), "SAME"), ((3, 7, 6, 2), 3, 3, (2, 2), "SAME"),
    ((2, 9, 8, 1), 5, 5, (1, 1), "SAME"), ((4, 8, 9, 3), 2, 3, (2, 1), "VALID"),
    ((5, 6, 6, 4), 1, 1, (1, 1), "VALID"), ((3, 10, 7, 2), 4, 4, (3, 2), "SAME"),
]


def _reference_conv(x, w, strides, padding):
    """Conv2D as its definition: every output pixel is its window times the filter, in float64."""
    kh, kw = w.shape[:2]
    oh, ow, ph, pw = conv._geometry("Conv2D", x.shape, (kh, kw), [1, *strides, 1], padding)
    xp = np.pad(x.astype(np.float64), ((0, 0), ph, pw, (0, 0)))
    y = np.zeros((x.shape[0], oh, ow, w.shape[3]))
    for i in range(oh):
        for j in range(ow):
            win = xp[:, i * strides[0]:i * strides[0] + kh, j * strides[1]:j * strides[1] + kw]
            y[:, i, j] = np.einsum("nhwc,hwco->no", win, w.astype(np.float64))
    return y


@pytest.fixture(params=[conv_kernels.CHUNK_BYTES, 700], ids=["one chunk", "many chunks"])
def chunk_bytes(request, monkeypatch):
    monkeypatch.setattr(conv_kernels, "CHUNK_BYTES", request.param)
    return request.param


@pytest.mark.parametrize("shape, kh, kw, strides, padding", GEOMETRIES)
def test_conv_kernels_match_the_definition_in_any_chunking(chunk_bytes, shape, kh, kw, strides, padding):
    rng = np.random.RandomState(0)
    x = rng.randn(*shape).astype(np.float32)
    w = rng.randn(kh, kw, shape[3], 3).astype(np.float32)
    attrs = {"strides": [1, *strides, 1], "padding": padding}
    y = conv._conv2d(x, w, **attrs)
    np.testing.assert_allclose(y, _reference_conv(x, w, strides, padding), rtol=1e-5, atol=1e-5)
    assert y.dtype == np.float32 and y.flags.c_contiguous
    # the two backprops are the adjoints of the convolution: <conv(x, w), dy> is linear in x and in w
    dy = rng.randn(*y.shape).astype(np.float32)
    dx = conv._conv2d_backprop_input(np.array(x.shape), w, dy, **attrs)
    dw = conv._conv2d_backprop_filter(x, np.array(w.shape), dy, **attrs)
    assert dx.shape == x.shape and dw.shape == w.shape and dx.dtype == dw.dtype == np.float32
    for k in range(3):
        ex = np.zeros(x.size)
        ex[rng.randint(x.size)] = 1
        ew = np.zeros(w.size)
        ew[rng.randint(w.size)] = 1
        dx_k = np.sum(_reference_conv(ex.reshape(x.shape), w, strides, padding) * dy)
        dw_k = np.sum(_reference_conv(x, ew.reshape(w.shape), strides, padding) * dy)
        np.testing.assert_allclose(dx.ravel() @ ex, dx_k, rtol=1e-4, atol=1e-4)
        np.testing.assert_allclose(dw.ravel() @ ew, dw_k, rtol=1e-4, atol=1e-4)


def test_conv_of_an_empty_batch():
    x, w = np.zeros((0, 5, 5, 2), np.float32), np.ones((3, 3, 2, 4), np.float32)
    attrs = {"strides": [1, 1, 1, 1], "padding": "SAME"}
    assert conv._conv2d(x, w, **attrs).shape == (0, 5, 5, 4)
    dy = np.zeros((0, 5, 5, 4), np.float32)
    assert conv._conv2d_backprop_input(np.array(x.shape), w, dy, **attrs).shape == x.shape
    np.testing.assert_array_equal(conv._conv2d_backprop_filter(x, np.array(w.shape), dy, **attrs), 0 * w)


def _pool_inputs():
    rng = np.random.RandomState(1)
    x = rng.randn(3, 8, 6, 2).astype(np.float32)
    ties = np.round(x)
    nans = np.where(rng.rand(*x.shape) < 0.15, np.nan, x).astype(np.float32)
    return {"plain": x, "ties": ties, "nan": nans, "float64": x.astype(np.float64)}


@pytest.mark.parametrize("name", ["plain", "ties", "nan", "float64"])
@pytest.mark.parametrize("k, padding", [(2, "SAME"), (2, "VALID"), (3, "VALID"), (1, "SAME")])
def test_max_pool_over_tiles_equals_the_window_path(monkeypatch, name, k, padding):
    x = _pool_inputs()[name]
    attrs = {"ksize": [1, k, k, 1], "strides": [1, k, k, 1], "padding": padding}
    assert conv_kernels.tiles(x, attrs["ksize"], attrs["strides"], padding) is not None
    fast = conv._max_pool(x, **attrs)
    grad = np.random.RandomState(2).randn(*fast.shape).astype(x.dtype)
    fast_grad = conv._max_pool_grad_kernel(x, fast, grad, **attrs)
    monkeypatch.setattr(conv_kernels, "tiles", lambda *args: None)
    slow = conv._max_pool(x, **attrs)
    np.testing.assert_array_equal(fast, slow)
    assert fast.dtype == slow.dtype
    slow_grad = conv._max_pool_grad_kernel(x, slow, grad, **attrs)
    np.testing.assert_array_equal(fast_grad, slow_grad)  # ties and NaN: the first in reading order


def test_max_pool_grad_over_tiles_keeps_an_infinite_gradient_in_its_window():
    x = np.array([[[[1.0], [2.0]], [[0.0], [-1.0]]]], np.float32)
    attrs = {"ksize": [1, 2, 2, 1], "strides": [1, 2, 2, 1], "padding": "VALID"}
    grad = np.array([[[[np.inf]]]], np.float32)
    dx = conv._max_pool_grad_kernel(x, conv._max_pool(x, **attrs), grad, **attrs)
    np.testing.assert_array_equal(dx.ravel(), [0, np.inf, 0, 0])


def test_windows_that_do_not_tile_take_the_general_path():
    x = np.zeros((1, 5, 4, 1), np.float32)
    assert conv_kernels.tiles(x, [1, 2, 2, 1], [1, 2, 2, 1], "SAME") is None   # 5 rows need padding
    assert conv_kernels.tiles(x, [1, 3, 3, 1], [1, 2, 2, 1], "VALID") is None  # overlapping windows
    assert len(conv_kernels.tiles(x, [1, 2, 2, 1], [1, 2, 2, 1], "VALID")) == 4


# ---- histograms ---------------------------------------------------------------------------------
def test_float32_bucket_indices_equal_a_binary_search_over_the_double_limits():
    limits = summary_ops.histogram_bucket_limits()
    with np.errstate(over="ignore"):
        near = limits.astype(np.float32)
    near = near[np.isfinite(near)]
    rng = np.random.RandomState(3)
    every_bits = np.arange(0, 2 ** 32, 4099, dtype=np.uint64).astype(np.uint32).view(np.float32)
    xs = np.concatenate([near, np.nextafter(near, np.float32(np.inf)), np.nextafter(near, np.float32(-np.inf)),
                         rng.randn(5000).astype(np.float32), every_bits,
                         np.array([0.0, -0.0, 1e-45, -1e-45, 3.4028235e38, -3.4028235e38], np.float32)])
    xs = xs[np.isfinite(xs)]
    assert xs.dtype == np.float32
    np.testing.assert_array_equal(summary_ops.bucket_indices(xs),
                                  np.searchsorted(limits, xs.astype(np.float64), side="right"))


@pytest.mark.parametrize("values", [np.random.RandomState(4).randn(300, 70) * 0.05, np.zeros(5),
                                    np.array([-0.0, 1e-15, -2e19, 7.5]), np.random.RandomState(5).randn(999) * 1e30])
def test_float32_histograms_are_the_bytes_of_their_float64_values(values):
    x = values.astype(np.float32)
    assert summary_ops.histogram_bytes(x) == summary_ops.histogram_bytes(x.astype(np.float64))


def test_histogram_sums_are_added_value_by_value_in_double():
    x = (np.random.RandomState(6).randn(20001) * np.exp(np.random.RandomState(7).uniform(-9, 3, 20001)))
    total = squares = 0.0
    for v in x.astype(np.float32).astype(np.float64).tolist():
        total += v
        squares += v * v
    assert summary_ops._sequential_sums(x.astype(np.float32)) == (total, squares)
    assert summary_ops._sequential_sums(np.zeros(0)) == (0.0, 0.0)


# ---- CRC32C -------------------------------------------------------------------------------------
def _crc_by_bytes(data, crc=0):
    reg = crc ^ 0xFFFFFFFF
    for b in data:
        reg = crc_module.TABLE[(reg ^ b) & 0xFF] ^ (reg >> 8)
    return reg ^ 0xFFFFFFFF


@pytest.mark.parametrize("n", [0, 9, 1023, 1024, 1027, 4096, 35027, 100003])
def test_numpy_crc32c_equals_the_byte_loop(monkeypatch, n):
    monkeypatch.setattr(crc_module, "_google", None)
    data = np.random.RandomState(n).randint(0, 256, n).astype(np.uint8).tobytes()
    for start in (0, 0x12345678):
        assert crc_module.crc32c(data, start) == _crc_by_bytes(data, start)
    assert crc_module.crc32c(b"123456789") == 0xE3069283
