"""The array work behind ops/conv.py's convolution and max-pooling kernels (numpy only, no graph).

A convolution is one BLAS product per slice of the batch: each output pixel's window copied into a
row of a matrix (im2col) times the filter as a matrix. The matrix is built a few images at a time,
so it stays under CHUNK_BYTES however big the batch: the copy is then read back by the product
while it is still in the processor's cache, and memory stays bounded. The input gradient is the
product the other way round (dy times the filter) scattered back onto the image (col2im). A
max-pooling whose windows tile the image (ksize == stride, nothing to pad) is an elementwise
maximum of kh*kw strided views; its gradient compares each view with MaxPool's output.
"""
import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from ..threads import matmul  # one BLAS product, on the threads the policy gives its size

# The im2col matrix of one chunk of the batch (about 6 images of a 14x14x32 input and a 5x5
# filter): the product reads it back from the cache the copy just wrote it to. On the 2-core
# machine (32 MB L3) 2-4 MB chunks made the three kernels 15% faster than one matrix for the
# whole batch, 8-32 MB no faster (docs/benchmarks.md).
CHUNK_BYTES = 4 << 20
# MaxPoolGrad's chunks of its input: m and grad (a quarter of that each for 2x2 windows) are read
# once per window position; 1 MB chunks took the CNN's first pooling gradient from 9.6 to 7.1 ms.
POOL_CHUNK_BYTES = 1 << 20


def pad(x, ph, pw, value=0):
    """x (NHWC) with ph = (top, bottom) rows and pw = (left, right) columns of `value` around it."""
    if ph == (0, 0) and pw == (0, 0):
        return x
    n, h, w, c = x.shape
    xp = np.full((n, h + sum(ph), w + sum(pw), c), value, x.dtype)
    xp[:, ph[0]:ph[0] + h, pw[0]:pw[0] + w] = x
    return xp


def chunks(n, row_bytes, budget=None):
    """(start, stop) slices of a batch of n, each holding at most `budget` bytes (CHUNK_BYTES) of
    `row_bytes` each (at least one row)."""
    step = max(1, min(n, (budget or CHUNK_BYTES) // max(row_bytes, 1)))
    return [(s, min(s + step, n)) for s in range(0, n, step)]


def windows(xp, kh, kw, sh, sw, oh, ow):
    """A (nb, oh, ow, kh, kw, C) view of padded images xp (nb, hp, wp, C), copying nothing:
    [n, i, j, a, b] is xp[n, i*sh + a, j*sw + b]. For each window the (kw, C) part is one
    contiguous run of xp's memory, which is what makes copying it fast."""
    win = sliding_window_view(xp, (kh, kw), axis=(1, 2))  # (nb, hp-kh+1, wp-kw+1, C, kh, kw)
    return win[:, :(oh - 1) * sh + 1:sh, :(ow - 1) * sw + 1:sw].transpose(0, 1, 2, 4, 5, 3)


def im2col(win, buf):
    """The windows `win` (nb, oh, ow, kh, kw, C), a view from windows(), copied into the flat buffer
    `buf` as an (nb*oh*ow, kh*kw*C) matrix: row (n, i, j) is the window at output pixel (i, j) of
    image n, in the filter's (height, width, channel) order. With one channel (grey images) a
    window's runs would be a single pixel long, so the copy is made in (kh*kw, nb*oh*ow) order
    instead, moving whole image rows, and the result is its transpose (a view: BLAS reads either)."""
    nb, oh, ow, kh, kw, c = win.shape
    if c == 1:
        taps = buf[:win.size].reshape(kh, kw, nb, oh, ow)
        np.copyto(taps, win[..., 0].transpose(3, 4, 0, 1, 2))
        return taps.reshape(kh * kw, nb * oh * ow).T
    cols = buf[:win.size].reshape(win.shape)
    np.copyto(cols, win)
    return cols.reshape(nb * oh * ow, kh * kw * c)


def conv2d(x, w, sh, sw, oh, ow, ph, pw):
    """y[n, i, j] = window(n, i, j) . w, as (chunk of im2col) @ w.reshape(kh*kw*C, out)."""
    kh, kw, c_in, c_out = w.shape
    n = x.shape[0]
    win = windows(pad(x, ph, pw), kh, kw, sh, sw, oh, ow)
    w_rows = w.reshape(kh * kw * c_in, c_out).astype(x.dtype, copy=False)
    y = np.empty((n, oh, ow, c_out), x.dtype)
    parts = chunks(n, oh * ow * kh * kw * c_in * x.itemsize)
    buf = np.empty((parts[0][1] if parts else 0) * oh * ow * kh * kw * c_in, x.dtype)
    for s, e in parts:
        matmul(im2col(win[s:e], buf), w_rows, out=y[s:e].reshape(-1, c_out))
    return y


def conv2d_backprop_filter(x, dy, kh, kw, sh, sw, ph, pw):
    """dw = im2col(x)^T @ dy, summed chunk by chunk: each filter tap correlates the input with dy."""
    n, oh, ow, c_out = dy.shape
    c_in = x.shape[3]
    win = windows(pad(x, ph, pw), kh, kw, sh, sw, oh, ow)
    dy = dy.astype(x.dtype, copy=False)
    parts = chunks(n, oh * ow * kh * kw * c_in * x.itemsize)
    if not parts:
        return np.zeros((kh, kw, c_in, c_out), x.dtype)
    buf = np.empty(parts[0][1] * oh * ow * kh * kw * c_in, x.dtype)
    dw = part = None
    for s, e in parts:
        c = im2col(win[s:e], buf)
        d = dy[s:e].reshape(-1, c_out)
        if dw is None:
            dw = matmul(c.T, d)
        else:
            part = matmul(c.T, d, out=part)
            dw += part
    return dw.reshape(kh, kw, c_in, c_out)


def _inside(k, stride, before, out, size):
    """For filter tap k along one axis: the outputs (i0, i1) whose tap lands inside the unpadded
    input (0 <= i*stride + k - before < size), and the input index the first of them lands on."""
    i0 = max(0, -(-(before - k) // stride))
    i1 = min(out, (size - 1 - k + before) // stride + 1)
    return i0, max(i0, i1), i0 * stride + k - before


def conv2d_backprop_input(shape, w, dy, sh, sw, ph, pw):
    """dx: each output pixel's window gets w @ dy back (col2im), the windows' overlaps adding up.

    Chunk by chunk of the batch: dcols = dy @ w_rows^T, laid out as im2col's matrix
    (nb, oh, ow, kh, kw, C); then for each filter tap one strided addition into dx, over the
    outputs whose tap lands inside the image: what would land on the padding is never added,
    so there is no padded copy to crop and dx is written in place, channels last.
    With stride 1 along the width, _backprop_input_by_rows does the same work in fewer additions.
    """
    if sw == 1:
        return _backprop_input_by_rows(shape, w, dy, sh, ph, pw)
    n, h, wd, c_in = shape
    kh, kw, _, c_out = w.shape
    _, oh, ow, _ = dy.shape
    w_cols = w.reshape(kh * kw * c_in, c_out).astype(dy.dtype, copy=False).T
    dx = np.zeros(shape, w.dtype)
    parts = chunks(n, oh * ow * kh * kw * c_in * dy.itemsize)
    buf = np.empty((parts[0][1] if parts else 0) * oh * ow * kh * kw * c_in, dy.dtype)
    rows = [_inside(a, sh, ph[0], oh, h) for a in range(kh)]
    cols = [_inside(b, sw, pw[0], ow, wd) for b in range(kw)]
    for s, e in parts:
        nb = e - s
        dc = buf[:nb * oh * ow * kh * kw * c_in].reshape(nb * oh * ow, kh * kw * c_in)
        dc = matmul(dy[s:e].reshape(nb * oh * ow, c_out), w_cols, out=dc).reshape(nb, oh, ow, kh, kw, c_in)
        d = dx[s:e]
        for a, (i0, i1, r) in enumerate(rows):
            for b, (j0, j1, q) in enumerate(cols):
                if i1 > i0 and j1 > j0:
                    d[:, r:r + (i1 - i0 - 1) * sh + 1:sh, q:q + (j1 - j0 - 1) * sw + 1:sw] += dc[:, i0:i1, j0:j1, a, b]
    return dx


def _backprop_input_by_rows(shape, w, dy, sh, ph, pw):
    """conv2d_backprop_input for a stride of 1 along the width: the sum over the filter's columns
    is done inside the BLAS product, leaving kh additions instead of kh*kw.

    Input column q gets dy's columns q + pw - b (b = 0..kw-1), a window of kw columns of dy padded
    along the width (flipped: the filter's columns are reversed to match). One copy of those
    windows (nb, oh, wd, kw*out) times the filter as a (kw*out, kh*C) matrix gives, for every dy
    row i and input column q, what each filter row a sends to input row i*sh + a - ph; the kh
    strided additions of whole rows then put them in place (those landing on the padding dropped).
    """
    n, h, wd, c_in = shape
    kh, kw, _, c_out = w.shape
    _, oh, ow, _ = dy.shape
    left = kw - 1 - pw[0]
    dyp = pad(dy, (0, 0), (left, wd + kw - 1 - left - ow))
    dyw = sliding_window_view(dyp, kw, axis=2).transpose(0, 1, 2, 4, 3)  # (n, oh, wd, kw, out)
    w_rows = w[:, ::-1].transpose(1, 3, 0, 2).reshape(kw * c_out, kh * c_in).astype(dy.dtype, copy=False)
    dx = np.zeros(shape, w.dtype)
    parts = chunks(n, oh * wd * kw * c_out * dy.itemsize)
    cap = parts[0][1] if parts else 0
    cols_buf = np.empty(cap * oh * wd * kw * c_out, dy.dtype)
    rows_buf = np.empty((cap * oh * wd, kh * c_in), dy.dtype)
    rows = [_inside(a, sh, ph[0], oh, h) for a in range(kh)]
    for s, e in parts:
        nb = e - s
        cols = cols_buf[:nb * oh * wd * kw * c_out].reshape(nb, oh, wd, kw, c_out)
        np.copyto(cols, dyw[s:e])
        r = matmul(cols.reshape(nb * oh * wd, kw * c_out), w_rows, out=rows_buf[:nb * oh * wd])
        r = r.reshape(nb, oh, wd, kh, c_in)
        d = dx[s:e]
        for a, (i0, i1, row) in enumerate(rows):
            if i1 > i0:
                d[:, row:row + (i1 - i0 - 1) * sh + 1:sh] += r[:, i0:i1, :, a]
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


def max_pool_grad(x, m, grad, ksize, views):
    """MaxPoolGrad when the windows tile x (`views` from tiles(x)): each window's gradient goes to the
    first of its maxima in reading order, as TF's CPU kernel. A NaN counts as the maximum, as in
    max_of; TF 2.21's CPU MaxPool skips it instead (a window [[1, 2], [3, nan]] pools to 3).

    `m` is MaxPool's output, the windows' maxima: each view is compared with it once. TF's CPU
    kernel recomputes the maxima from x instead; the two agree unless a caller passes some other
    orig_output. One that is not a value of every window is caught (some window would get no
    gradient) and the maxima are then recomputed from x. A few images at a time (POOL_CHUNK_BYTES
    of x), so that m and grad, read once per view, are still in the cache.
    """
    kh, kw = ksize[1:3]
    nan = m.dtype.kind == "f" and bool(np.isnan(m).any())
    finite = grad.dtype.kind != "f" or bool(np.isfinite(grad).all())  # then grad * False is 0
    n, (oh, ow) = x.shape[0], m.shape[1:3]
    dx = np.empty(x.shape, grad.dtype)
    dx[:, oh * kh:] = 0  # VALID's last rows and columns that fill no window
    dx[:, :oh * kh, ow * kw:] = 0
    parts = chunks(n, x[:1].nbytes, POOL_CHUNK_BYTES)
    hit = np.empty(((parts[0][1] if parts else 0),) + m.shape[1:], bool)
    rest = np.empty_like(hit)  # windows whose maximum no earlier position was
    for s, e in parts:
        h, r, g = hit[:e - s], rest[:e - s], grad[s:e]
        for k, v in enumerate(views):
            np.equal(v[s:e], m[s:e], out=h)
            if nan:
                h |= np.isnan(v[s:e])
            if k:
                np.logical_and(h, r, out=h)  # the first maximum wins
                np.greater(r, h, out=r)      # rest and not hit
            else:
                np.logical_not(h, out=r)
            a, b = divmod(k, kw)
            where = dx[s:e, a:oh * kh:kh, b:ow * kw:kw]
            if finite:
                np.multiply(g, h, out=where)
            else:
                where[...] = np.where(h, g, grad.dtype.type(0))
        if r.any():  # m is not these windows' maxima: recompute them (max_of's always pass)
            part = [v[s:e] for v in views]
            dx[s:e] = max_pool_grad(x[s:e], max_of(part), g, ksize, part)
    return dx
