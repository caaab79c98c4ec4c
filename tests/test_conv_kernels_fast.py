"""ops/conv_kernels.py's fast paths against plain loops: im2col for one and many channels, col2im
clipped to the image, MaxPoolGrad reading MaxPool's output (and recomputing it when handed another).

The loops here visit every pixel, in float64: slow and obviously right, on small shapes.
"""
import numpy as np
import pytest

import tfteach as tf
from tfteach.ops import conv_kernels
from tfteach.registry import apply_op

# (image, kh, kw, stride, padding, out channels): one and several input channels, SAME and VALID
GEOMETRIES = [
    ((2, 7, 6, 1), 3, 3, 1, "SAME", 4),
    ((3, 8, 9, 3), 5, 5, 1, "SAME", 2),
    ((2, 7, 8, 2), 3, 2, 3, "SAME", 3),
    ((1, 9, 9, 1), 3, 3, 2, "VALID", 2),
    ((2, 4, 5, 4), 5, 5, 1, "SAME", 3),  # window larger than the image
    ((1, 6, 7, 2), 2, 3, 2, "VALID", 5),
    ((2, 9, 8, 3), 3, 3, (2, 1), "SAME", 2),  # stride 1 along the width only
    ((1, 8, 9, 2), 4, 3, (1, 2), "VALID", 3),
]


def _strides(stride):
    return stride if isinstance(stride, tuple) else (stride, stride)


def _geometry(image, kh, kw, stride, padding):
    pads = []
    for size, k, stride in ((image[1], kh, _strides(stride)[0]), (image[2], kw, _strides(stride)[1])):
        if padding == "VALID":
            pads.append(((size - k) // stride + 1, (0, 0)))
        else:
            out = -(-size // stride)
            total = max((out - 1) * stride + k - size, 0)
            pads.append((out, (total // 2, total - total // 2)))
    return pads[0][0], pads[1][0], pads[0][1], pads[1][1]


def _loop_conv(x, w, stride, oh, ow, ph, pw):
    xp = np.pad(x, ((0, 0), ph, pw, (0, 0)))
    kh, kw = w.shape[:2]
    sh, sw = _strides(stride)
    y = np.zeros((x.shape[0], oh, ow, w.shape[3]))
    for i in range(oh):
        for j in range(ow):
            win = xp[:, i * sh:i * sh + kh, j * sw:j * sw + kw]
            y[:, i, j] = np.einsum("nabc,abco->no", win, w)
    return y


def _loop_backprop_input(shape, w, dy, stride, ph, pw):
    n, h, wd, _ = shape
    kh, kw = w.shape[:2]
    sh, sw = _strides(stride)
    dxp = np.zeros((n, h + sum(ph), wd + sum(pw), shape[3]))
    for i in range(dy.shape[1]):
        for j in range(dy.shape[2]):
            dxp[:, i * sh:i * sh + kh, j * sw:j * sw + kw] += np.einsum("no,abco->nabc", dy[:, i, j], w)
    return dxp[:, ph[0]:ph[0] + h, pw[0]:pw[0] + wd]


def _loop_backprop_filter(x, dy, kh, kw, stride, ph, pw):
    xp = np.pad(x, ((0, 0), ph, pw, (0, 0)))
    sh, sw = _strides(stride)
    dw = np.zeros((kh, kw, x.shape[3], dy.shape[3]))
    for i in range(dy.shape[1]):
        for j in range(dy.shape[2]):
            dw += np.einsum("nabc,no->abco", xp[:, i * sh:i * sh + kh, j * sw:j * sw + kw], dy[:, i, j])
    return dw


@pytest.fixture(params=[None, 1 << 10], ids=["one-chunk", "small-chunks"])
def chunk_bytes(request, monkeypatch):
    """Each kernel once with the whole batch in one chunk, once a few images (or one) at a time."""
    if request.param:
        monkeypatch.setattr(conv_kernels, "CHUNK_BYTES", request.param)


@pytest.mark.parametrize("image, kh, kw, stride, padding, c_out", GEOMETRIES)
def test_kernels_equal_loops(image, kh, kw, stride, padding, c_out, chunk_bytes):
    rng = np.random.RandomState(0)
    x = rng.standard_normal(image).astype(np.float32)
    w = rng.standard_normal((kh, kw, image[3], c_out)).astype(np.float32)
    oh, ow, ph, pw = _geometry(image, kh, kw, stride, padding)
    dy = rng.standard_normal((image[0], oh, ow, c_out)).astype(np.float32)
    x64, w64, dy64 = (a.astype(np.float64) for a in (x, w, dy))
    sh, sw = _strides(stride)
    y = conv_kernels.conv2d(x, w, sh, sw, oh, ow, ph, pw)
    dx = conv_kernels.conv2d_backprop_input(image, w, dy, sh, sw, ph, pw)
    dw = conv_kernels.conv2d_backprop_filter(x, dy, kh, kw, sh, sw, ph, pw)
    assert y.dtype == dx.dtype == dw.dtype == np.float32
    np.testing.assert_allclose(y, _loop_conv(x64, w64, stride, oh, ow, ph, pw), rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(dx, _loop_backprop_input(image, w64, dy64, stride, ph, pw), rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(dw, _loop_backprop_filter(x64, dy64, kh, kw, stride, ph, pw), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("channels", [1, 3])
def test_im2col_rows_are_windows(channels):
    rng = np.random.RandomState(1)
    xp = rng.standard_normal((2, 6, 7, channels)).astype(np.float32)
    buf = np.empty(2 * 4 * 5 * 3 * 3 * channels, np.float32)
    cols = conv_kernels.im2col(conv_kernels.windows(xp, 3, 3, 1, 1, 4, 5), buf)
    assert cols.shape == (2 * 4 * 5, 3 * 3 * channels)
    for n, i, j in [(0, 0, 0), (1, 3, 4), (1, 2, 1)]:
        np.testing.assert_array_equal(cols[(n * 4 + i) * 5 + j], xp[n, i:i + 3, j:j + 3].ravel())


# ---- MaxPoolGrad with the windows tiling the image ------------------------------------------
def _loop_max_pool_grad(x, grad, k):
    """Each k x k window's gradient to the first maximum in reading order."""
    dx = np.zeros_like(x)
    for n in range(x.shape[0]):
        for i in range(grad.shape[1]):
            for j in range(grad.shape[2]):
                for c in range(x.shape[3]):
                    win = x[n, i * k:i * k + k, j * k:j * k + k, c]
                    a, b = divmod(int(np.argmax(win)), k)
                    dx[n, i * k + a, j * k + b, c] += grad[n, i, j, c]
    return dx


def _max_pool_grad(x, y, grad, padding="VALID"):
    attrs = {"ksize": [1, 2, 2, 1], "strides": [1, 2, 2, 1], "padding": padding, "data_format": "NHWC"}
    with tf.Session() as sess:
        return sess.run(apply_op("MaxPoolGrad", [tf.constant(x), tf.constant(y), tf.constant(grad)], attrs))


@pytest.fixture(params=[None, 1], ids=["one-chunk", "image-by-image"])
def pool_chunk(request, monkeypatch):
    if request.param:
        monkeypatch.setattr(conv_kernels, "POOL_CHUNK_BYTES", request.param)


def test_max_pool_grad_ties_after_relu_go_to_the_first(pool_chunk):
    rng = np.random.RandomState(2)
    x = np.maximum(rng.standard_normal((2, 7, 9, 3)), 0).astype(np.float32)  # many all-zero windows
    x[0, 0, :2, 0] = x[0, 1, :2, 0] = 5  # a four-way tie that is not zero
    tf.reset_default_graph()
    y = tf.Session().run(tf.nn.max_pool(tf.constant(x), 2, 2, "VALID"))
    grad = rng.standard_normal(y.shape).astype(np.float32)
    dx = _max_pool_grad(x, y, grad)
    np.testing.assert_array_equal(dx, _loop_max_pool_grad(x, grad, 2))
    assert not dx[:, 6:].any() and not dx[:, :, 8:].any()  # VALID's dropped last row and column


def test_max_pool_grad_with_another_orig_output_follows_orig_input(pool_chunk):
    """TF's CPU kernel finds the maxima in orig_input whatever orig_output holds; here too when
    orig_output is not a value of every window."""
    x = np.arange(48, dtype=np.float32).reshape(3, 4, 4, 1)
    grad = np.ones((3, 2, 2, 1), np.float32)
    expected = _loop_max_pool_grad(x, grad, 2)
    right = (np.array([[5, 7], [13, 15]])[None, :, :, None] + 16 * np.arange(3)[:, None, None, None]).astype(np.float32)
    one_wrong = right.copy()
    one_wrong[1, 0, 0] = 0  # only the second image's first window
    for y in (np.full((3, 2, 2, 1), 7, np.float32), np.zeros((3, 2, 2, 1), np.float32), one_wrong):
        tf.reset_default_graph()
        np.testing.assert_array_equal(_max_pool_grad(x, y, grad), expected)


def test_max_pool_grad_orig_output_of_wrong_shape_is_an_error():
    x = np.zeros((1, 4, 4, 1), np.float32)
    tf.reset_default_graph()
    with pytest.raises(Exception, match="orig_output has shape"):
        _max_pool_grad(x, np.zeros((1, 2, 3, 1), np.float32), np.zeros((1, 2, 3, 1), np.float32))
