"""Matplotlib helpers for training: loss curves, loss landscapes with a path, a fitted line.

In matplotlib's style: each takes `ax=None` (then the current axes) and returns its artists;
none calls `plt.show()`. The smoothing is TensorBoard's scalar-dashboard smoothing.
"""
import numpy as np
from matplotlib.ticker import MaxNLocator

__all__ = ["smooth", "plot_loss", "loss_along", "plot_landscape", "plot_landscape_2d", "plot_fit"]


def smooth(values, weight=0.6):
    """TensorBoard's smoothing: an exponential moving average, debiased.

    A plain moving average started at 0 drags the first points towards zero; dividing by
    `1 - weight**n` (as Adam does for its moments) removes that bias. NaN and inf are passed
    through and do not count.

    Args:
        values: sequence of numbers.
        weight: 0 (no smoothing) to just below 1 (very smooth).
    Returns:
        float64 array, the same length as `values`.

    >>> smooth([1.0, 1.0, 1.0]).tolist()
    [1.0, 1.0, 1.0]
    """
    values = np.asarray(values, dtype=np.float64).ravel()
    out = np.empty_like(values)
    last, count = 0.0, 0
    for i, v in enumerate(values):
        if not np.isfinite(v):
            out[i] = v
            continue
        last = last * weight + (1 - weight) * v
        count += 1
        out[i] = last / (1 - weight ** count) if weight != 1 else last
    return out


def _axes(ax):
    if ax is None:
        import matplotlib.pyplot as plt  # only when the caller gave no axes
        ax = plt.gca()
    return ax


def _spans_decades(values, decades=2):
    finite = values[np.isfinite(values)]
    return finite.size > 1 and finite.min() > 0 and finite.max() / finite.min() >= 10 ** decades


def plot_loss(losses_or_history, ax=None, smoothing=0.6, log=None, color="C0", label="loss"):
    """The loss per step: the raw values, and TensorBoard's debiased smoothed line over them.

    The raw loss is what was measured, so it is drawn solid and at least as visibly as the
    smoothed trend (dashed); a legend says which is which.

    Args:
        losses_or_history: a sequence of losses, or anything with a `.history` list (a
            `GradientDescentStepper`).
        ax: matplotlib Axes; default the current one.
        smoothing: TensorBoard's smoothing weight in [0, 1); 0 draws the raw line only.
        log: log-scale y axis; None chooses it when the positive losses span two decades.
    Returns:
        list of Line2D: [raw] or [raw, smoothed].
    """
    ax = _axes(ax)
    losses = getattr(losses_or_history, "history", losses_or_history)
    values = np.asarray(losses, dtype=np.float64).ravel()
    steps = np.arange(len(values))
    dots = dict(marker="o", ms=3) if len(values) <= 30 else {}  # a few steps: show each one
    artists = []
    if smoothing:
        artists += ax.plot(steps, values, color=color, lw=1.8, label=f"{label} (raw)", **dots)
        artists += ax.plot(steps, smooth(values, smoothing), color="0.35", lw=1.5, ls="--",
                           label=f"{label} smoothed (moving average, weight {smoothing:g})")
        ax.legend(fontsize=8, loc="upper right")
    else:
        artists += ax.plot(steps, values, color=color, lw=2, label=label, **dots)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    if log is None:
        log = _spans_decades(values)
    ax.set_yscale("log" if log else "linear")
    ax.set_xlabel("step")
    ax.set_ylabel(label)
    return artists


def loss_along(loss, variables, points, session, feed_dict=None):
    """The loss at other values of some variables, without changing them in the session.

    Each variable's value is fed for the run (both the variable and its `read` tensor), so
    the session's state stays as it was.

    Args:
        loss: scalar tensor.
        variables: a Variable, or a list of them.
        points: for one variable, a sequence of its values; for several, a sequence of
            tuples, one value per variable.
        session: the Session holding the other variables' values.
        feed_dict: extra feeds (e.g. the placeholders' data).
    Returns:
        float64 array with one loss per point (NaN where the run fails).
    """
    if not isinstance(variables, (list, tuple)):
        variables, points = [variables], [(p,) for p in points]
    out = []
    with np.errstate(all="ignore"):
        for point in points:
            feed = dict(feed_dict or {})
            for v, value in zip(variables, point):
                value = np.broadcast_to(np.asarray(value, v.dtype.base_dtype.np), v.shape.as_list())
                feed[v] = value
                feed[v.value()] = value
            try:
                out.append(float(session.run(loss, feed)))
            except Exception:  # noqa: BLE001  a point outside the loss's domain is left blank
                out.append(np.nan)
    return np.array(out)


def _around(path, current, pad=0.25):
    """A range holding the path and the current value, padded on both sides."""
    values = np.asarray([current] + list(path if path is not None else []), np.float64)
    values = values[np.isfinite(values)]
    lo, hi = (values.min(), values.max()) if values.size else (-1.0, 1.0)
    span = hi - lo if hi > lo else max(abs(hi), 1.0)
    return lo - pad * span, hi + pad * span


def plot_landscape(loss, var, session, values=None, feed_dict=None, path=None, ax=None, num=101):
    """The loss as a function of one scalar variable, with the path the steps took.

    Args:
        loss: scalar tensor.
        var: scalar Variable.
        session: Session holding the variables' values.
        values: the variable's values to draw over; default a range around `path` and the
            current value.
        feed_dict: feeds for the loss (e.g. a batch of data).
        path: the variable's values, step by step (e.g. `stepper.trajectory[var.op.name]`);
            drawn as dots on the curve joined by arrows.
        num: points on the curve when `values` is not given.
    Returns:
        list of artists: the curve, then the path's line and points when given.
    """
    ax = _axes(ax)
    if values is None:
        values = np.linspace(*_around(path, float(session.run(var)), pad=0.25), num)
    values = np.asarray(values, np.float64)
    artists = ax.plot(values, loss_along(loss, var, values, session, feed_dict), color="C0", lw=2,
                      label="loss")
    if path is not None and len(path):
        path = np.asarray(path, np.float64)
        at = loss_along(loss, var, path, session, feed_dict)
        artists += ax.plot(path, at, color="C3", lw=1, alpha=0.6)
        artists.append(ax.scatter(path, at, color="C3", s=12, zorder=3, label="steps"))
        artists.append(ax.scatter(path[-1:], at[-1:], color="C3", s=60, marker="*", zorder=4,
                                  label="now"))
    ax.set_xlabel(var.op.name)
    ax.set_ylabel("loss")
    return artists


def plot_landscape_2d(loss, var_x, var_y, session, xs=None, ys=None, feed_dict=None, path=None,
                      ax=None, num=31, levels=20):
    """Contours of the loss over two scalar variables, with the path the steps took.

    Args:
        loss: scalar tensor.
        var_x, var_y: scalar Variables (horizontal, vertical axis).
        session: Session holding the variables' values.
        xs, ys: grid values; default ranges around the path and the current point.
        path: sequence of (x, y) pairs, step by step.
        num: grid points per axis when `xs`/`ys` are not given (num**2 session runs).
        levels: number of contour levels (log-spaced when the loss spans two decades).
    Returns:
        list of artists: the contour set, then the path's line and points when given.
    """
    ax = _axes(ax)
    path = None if path is None or not len(path) else np.asarray(path, np.float64).reshape(-1, 2)
    here = session.run([var_x, var_y])
    if xs is None:
        xs = np.linspace(*_around(None if path is None else path[:, 0], float(here[0])), num)
    if ys is None:
        ys = np.linspace(*_around(None if path is None else path[:, 1], float(here[1])), num)
    grid_x, grid_y = np.meshgrid(xs, ys)
    z = loss_along(loss, [var_x, var_y], list(zip(grid_x.ravel(), grid_y.ravel())), session,
                   feed_dict).reshape(grid_x.shape)
    if _spans_decades(z.ravel()):
        finite = z[np.isfinite(z)]
        levels = np.geomspace(finite.min(), finite.max(), levels)
    artists = [ax.contour(grid_x, grid_y, z, levels=levels, cmap="viridis", linewidths=1)]
    if path is not None:
        artists += ax.plot(path[:, 0], path[:, 1], color="C3", lw=1, alpha=0.6)
        artists.append(ax.scatter(path[:, 0], path[:, 1], color="C3", s=12, zorder=3, label="steps"))
        artists.append(ax.scatter(path[-1:, 0], path[-1:, 1], color="C3", s=60, marker="*", zorder=4,
                                  label="now"))
    ax.set_xlabel(var_x.op.name)
    ax.set_ylabel(var_y.op.name)
    return artists


def plot_fit(x, y, slope, intercept, ax=None):
    """Data points and the straight line `y = slope * x + intercept` (seed 002's regression).

    Returns:
        [PathCollection of the points, Line2D of the line].
    """
    ax = _axes(ax)
    x, y = np.asarray(x, np.float64).ravel(), np.asarray(y, np.float64).ravel()
    points = ax.scatter(x, y, s=10, alpha=0.6, color="C0", label="data")
    ends = np.array([x.min(), x.max()]) if x.size else np.array([0.0, 1.0])
    line, = ax.plot(ends, float(slope) * ends + float(intercept), color="C3", lw=2,
                    label=f"y = {float(slope):.3g}·x + {float(intercept):.3g}")
    return [points, line]
