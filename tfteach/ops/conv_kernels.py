"""The array work behind ops/conv.py's convolution and max-pooling kernels (numpy only, no graph).

A convolution is one BLAS product per slice of the batch: each output pixel's window copied into a
row of a matrix (im2col) times the filter as a matrix. The matrix is built a few images at a time,
so it stays under CHUNK_BYTES however big the batch: the copy is then read back by the product
while it is still in the processor's cache, and memory stays bounded. A max-pooling whose windows
tile the image (ksize == stride, nothing to pad) is an elementwise maximum of kh*kw strided views.
"""
import numpy as np

from .. import threads

# The im2col matrix of one chunk of the batch (about 6 images of a 14x14x32 input and a 5x5
# filter): the product reads it back from the cache the copy just wrote it to. On the 2-core
# machine (32 MB L3) 2-4 MB chunks made the three kernels 15% faster than one matrix for the
# whole batch, 8-32 MB no faster (docs/benchmarks.md).
CHUNK_BYTES = 4 << 20


def matmul(a, b, out=None):
    """One BLAS product, on as many threads as the policy gives its size (tfteach/threads.py)."""
    return threads.matmul(a, b, out=out)


def pad(x, ph, pw, value=0):
    """x (NHWC) with ph = (top, bottom) rows and pw = (left, right) columns of `value` around it."""
    if ph == (0, 0) and pw == (0, 0):
        return x
    n, h, w, c = x.shape
    xp = np.full((n, h + sum(ph), w + sum(pw), c), value, x.dtype)
    xp[:, ph[0]:ph[0] + h, pw[0]:pw[0] + w] = x
    return xp


def chunks(n, row_bytes):
    """(start, stop) slices of a batch of n, each holding at most CHUNK_BYTES of `row_bytes` each."""
    step = max(1, min(n, CHUNK_BYTES // max(row_bytes, 1)))
    return [(s, min(s + step, n)) for s in range(0, n, step)]


def im2col(xp, kh, kw, sh, sw, oh, ow, out):
    """Fill `out` (nb, oh, ow, kh, kw, C) with the windows of padded images xp (nb, hp, wp, C):
    out[n, i, j, a, b] = xp[n, i*sh + a, j*sw + b]. One strided copy per filter tap (kh*kw of them),
    each moving whole rows of channels; as a (nb*oh*ow, kh*kw*C) matrix, row (n, i, j) is the window
    in the filter's (height, width, channel) order."""
    for a in range(kh):
        for b in range(kw):
            out[:, :, :, a, b] = xp[:, a:a + (oh - 1) * sh + 1:sh, b:b + (ow - 1) * sw + 1:sw]
    return out


def conv2d(x, w, sh, sw, oh, ow, ph, pw):
    """y[n, i, j] = window(n, i, j) . w, as (chunk of im2col) @ w.reshape(kh*kw*C, out)."""
    kh, kw, c_in, c_out = w.shape
    n = x.shape[0]
    xp = pad(x, ph, pw)
    w_rows = w.reshape(kh * kw * c_in, c_out).astype(x.dtype, copy=False)
    y = np.empty((n, oh, ow, c_out), x.dtype)
    parts = chunks(n, oh * ow * kh * kw * c_in * x.itemsize)
    cols = np.empty((parts[0][1] if parts else 0, oh, ow, kh, kw, c_in), x.dtype)
    for s, e in parts:
        c = im2col(xp[s:e], kh, kw, sh, sw, oh, ow, cols[:e - s])
        matmul(c.reshape((e - s) * oh * ow, -1), w_rows, out=y[s:e].reshape(-1, c_out))
    return y


def conv2d_backprop_filter(x, dy, kh, kw, sh, sw, ph, pw):
    """dw = im2col(x)^T @ dy, summed chunk by chunk: each filter tap correlates the input with dy."""
    n, oh, ow, c_out = dy.shape
    c_in = x.shape[3]
    xp = pad(x, ph, pw)
    dy = dy.astype(x.dtype, copy=False)
    parts = chunks(n, oh * ow * kh * kw * c_in * x.itemsize)
    if not parts:
        return np.zeros((kh, kw, c_in, c_out), x.dtype)
    cols = np.empty((parts[0][1], oh, ow, kh, kw, c_in), x.dtype)
    dw = part = None
    for s, e in parts:
        c = im2col(xp[s:e], kh, kw, sh, sw, oh, ow, cols[:e - s]).reshape((e - s) * oh * ow, -1)
        d = dy[s:e].reshape(-1, c_out)
        if dw is None:
            dw = matmul(c.T, d)
        else:
            part = matmul(c.T, d, out=part)
            dw += part
    return dw.reshape(kh, kw, c_in, c_out)


def conv2d_backprop_input(shape, w, dy, sh, sw, ph, pw):
    """dx: each output pixel's window gets w @ dy back (col2im), the windows' overlaps adding up.

    Chunk by chunk of the batch: dcols = w_rows @ dy^T, channels first, so that each of the kh*kw
    additions into the padded gradient reads one contiguous block; then the padding is cropped off.
    """
    n, h, wd, c_in = shape
    kh, kw, _, c_out = w.shape
    _, oh, ow, _ = dy.shape
    hp, wp = h + sum(ph), wd + sum(pw)
    w_rows = w.reshape(kh * kw * c_in, c_out).astype(dy.dtype, copy=False)
    dx = np.empty(shape, w.dtype)
    parts = chunks(n, oh * ow * kh * kw * c_in * dy.itemsize)
    cap = parts[0][1] if parts else 0
    dcols = np.empty(kh * kw * c_in * cap * oh * ow, dy.dtype)
    dxp = np.empty((c_in, cap, hp, wp), dy.dtype)
    for s, e in parts:
        nb = e - s
        out = dcols[:kh * kw * c_in * nb * oh * ow].reshape(kh * kw * c_in, nb * oh * ow)
        dc = matmul(w_rows, dy[s:e].reshape(nb * oh * ow, c_out).T, out=out)
        dc = dc.reshape(kh, kw, c_in, nb, oh, ow)
        d = dxp[:, :nb]
        d[...] = 0
        for a in range(kh):
            for b in range(kw):
                d[:, :, a:a + (oh - 1) * sh + 1:sh, b:b + (ow - 1) * sw + 1:sw] += dc[a, b]
        dx[s:e] = d[:, :, ph[0]:ph[0] + h, pw[0]:pw[0] + wd].transpose(1, 2, 3, 0)
    return dx


# ---- max pooling whose windows tile the image ------------------------------------------------
def tiles(x, ksize, strides, padding):
    """The kh*kw strided views (N, oh, ow, C) of x, one per window position in reading order, when
    the windows tile x: stride == window and no padding (VALID, or SAME on a size the window
    divides); VALID drops the last rows/columns that do not fill a window, as TF. Else None."""
    kh, kw = ksize[1:3]
    if (strides[1], strides[2]) != (kh, kw):
        return None
    n, h, w, c = x.shape
    if padding == "SAME" and (h % kh or w % kw):
        return None
    oh, ow = h // kh, w // kw
    if oh == 0 or ow == 0:
        return None
    return [x[:, a:oh * kh:kh, b:ow * kw:kw] for a in range(kh) for b in range(kw)]


def max_of(views):
    """The elementwise maximum of the views (NaN wins, as in np.max)."""
    m = np.maximum(views[0], views[1]) if len(views) > 1 else views[0].copy()
    for v in views[2:]:
        np.maximum(m, v, out=m)
    return m


def max_pool_grad(x, grad, ksize, views):
    """MaxPoolGrad when the windows tile x (`views` from tiles(x)): each window's gradient goes to the
    first of its maxima in reading order (a NaN counts as the maximum), as TF's CPU kernel."""
    kh, kw = ksize[1:3]
    m = max_of(views)
    nan = m.dtype.kind == "f" and bool(np.isnan(m).any())
    finite = grad.dtype.kind != "f" or bool(np.isfinite(grad).all())  # then grad * False is 0
    dx = np.zeros(x.shape, grad.dtype)
    taken = np.zeros(m.shape, bool)  # windows whose maximum an earlier position already was
    for k, v in enumerate(views):
        hit = v == m
        if nan:
            hit |= np.isnan(v)
        first = np.greater(hit, taken)  # hit and not taken
        if k + 1 < len(views):
            taken |= hit
        a, b = divmod(k, kw)
        oh, ow = v.shape[1:3]
        where = dx[:, a:oh * kh:kh, b:ow * kw:kw]
        if finite:
            np.multiply(grad, first, out=where)
        else:
            where[...] = np.where(first, grad, grad.dtype.type(0))
    return dx
