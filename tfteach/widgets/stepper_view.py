"""The ipywidgets view of a GradientDescentStepper: buttons, slider, the update, one plot.

Every callback calls a method of the stepper and every refresh reads the stepper, so the
view holds no training state. The plot is one `ipywidgets.Image` whose PNG is replaced in
place after each change: the notebook keeps one output however many steps are taken.
"""
import html
import io
import math
import time

import ipywidgets as widgets
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from .. import plots
from ..versions import IPYWIDGETS, require
from .stepper import format_update

require(widgets, IPYWIDGETS, "tfteach's widgets (the stepper and the replay)")

PLAY_INTERVAL_MS = 200   # Play: one step per tick of the browser's timer
PLOT_EVERY_S = 0.5       # while playing, the plot is redrawn at most this often
MAX_LINES = 6            # variables written out; the rest are counted
# JupyterLab's theme colours, so the text stays readable on the dark theme; the fallbacks
# are for other front ends
HINT_COLOR = "var(--jp-ui-font-color2, #555)"
ERROR_COLOR = "var(--jp-error-color1, #b00020)"


class StepperView:
    """Step, Play/Pause, Reset, a log-scale learning-rate slider, a counter, the update, a plot."""

    def __init__(self, stepper):
        self.stepper = stepper
        self._quiet = False      # True while the view itself sets widget values
        self._range = None       # the landscape's axis ranges, kept while the path stays inside

        self.step_button = widgets.Button(description="Step", icon="step-forward",
                                          tooltip="Take one gradient-descent step",
                                          layout=widgets.Layout(width="90px"))
        self.play = widgets.Play(value=0, min=0, max=stepper.play_steps, interval=PLAY_INTERVAL_MS,
                                 show_repeat=False,
                                 tooltip=f"▶ play up to {stepper.play_steps} steps, ❚❚ pause, ■ stop")
        self.reset_button = widgets.Button(description="Reset", icon="undo",
                                           tooltip="Variables back to their starting values, history cleared",
                                           layout=widgets.Layout(width="90px"))
        rate = stepper.learning_rate if stepper.learning_rate_adjustable else 0.01
        exponent = math.log10(rate)
        low, high = math.floor(exponent) - 3, math.ceil(exponent + 2)
        if stepper.learning_rate_range:  # the teacher's range, exactly
            low, high = (math.log10(r) for r in stepper.learning_rate_range)
        step = 0.05 if high - low > 0.5 else (high - low) / 20 or 0.05  # a narrow range: finer steps
        self.rate_slider = widgets.FloatLogSlider(
            value=rate, base=10, min=low, max=high, step=step,
            description="η (learning rate)", readout_format=".2g", continuous_update=False,
            disabled=not stepper.learning_rate_adjustable, style={"description_width": "initial"},
            layout=widgets.Layout(width="340px"))
        self.counter = widgets.HTML()
        self.update_text = widgets.HTML()
        self.status = widgets.HTML()
        self.image = widgets.Image(format="png", layout=widgets.Layout(width="720px"))
        for w, name in [(self.counter, "step-counter"), (self.update_text, "update"),
                        (self.status, "status"), (self.image, "plot"), (self.play, "play")]:
            w.add_class("tfteach-" + name)

        title = widgets.HTML(f"<b>Gradient descent</b> on <code>{html.escape(stepper.loss.name)}</code> "
                             f"with {html.escape(stepper.optimizer.get_name())}")
        # the teacher's configuration chooses which controls show; the counter always does
        shown = {"step": self.step_button, "play": self.play, "reset": self.reset_button,
                 "learning_rate": self.rate_slider}
        controls = widgets.HBox([shown[name] for name in stepper.controls] + [self.counter],
                                layout=widgets.Layout(align_items="center", flex_flow="row wrap"))
        self.box = widgets.VBox([title, controls, self.update_text, self.status, self.image])
        self.box.add_class("tfteach-stepper")

        self.step_button.on_click(lambda _: self.stepper.step())
        self.reset_button.on_click(lambda _: self.stepper.reset())
        self.rate_slider.observe(self._on_rate, names="value")
        self.play.observe(self._on_tick, names="value")
        self.play.observe(self._on_playing, names="playing")
        # a fixed layout: constrained layout would double the drawing time of each step
        self._figure = Figure(figsize=(9, 3.3), dpi=80)
        FigureCanvasAgg(self._figure)
        self._drawn_at = -math.inf
        stepper._listeners.append(self.refresh)
        self.refresh()

    # ---- callbacks: each one calls the stepper -----------------------------------------
    def _on_rate(self, change):
        if not self._quiet:
            self.stepper.learning_rate = change["new"]

    def _on_tick(self, change):
        """Play's timer runs in the browser; each tick arrives here as a new value."""
        if self._quiet or change["new"] <= change["old"] or not self.play.playing:
            return  # not a tick of a playing timer (e.g. one still in flight after Reset)
        self.stepper.step()   # its refresh pauses Play when the stepper stops

    def _on_playing(self, change):
        if not change["new"] and not self._quiet:
            self.refresh()  # the plot is drawn less often while playing: draw the last state

    # ---- drawing: everything read from the stepper -------------------------------------
    def refresh(self):
        s = self.stepper
        self._quiet = True
        try:
            if s.step_count == 0:  # a reset (or no step yet): Play stops and starts over
                self.play.playing = False
                self.play.value = 0
                self._range = None
            if s.stopped:
                self.play.playing = False
            if s.learning_rate_adjustable and s.learning_rate != self.rate_slider.value:
                exponent = math.log10(s.learning_rate)  # a rate set in code may be off the scale
                self.rate_slider.min = min(self.rate_slider.min, math.floor(exponent))
                self.rate_slider.max = max(self.rate_slider.max, math.ceil(exponent))
                self.rate_slider.value = s.learning_rate
        finally:
            self._quiet = False
        loss = s.current_loss()
        # the plot first: the browser applies updates in order, so when the counter shows a
        # step, the plot shows it too. While playing it is redrawn at most every PLOT_EVERY_S.
        if not self.play.playing or time.monotonic() - self._drawn_at >= PLOT_EVERY_S:
            self.image.value = self._png(loss)
            self._drawn_at = time.monotonic()
        self.update_text.value = self._update_html()
        self.step_button.disabled = bool(s.stopped)
        self.status.value = (f"<div style='color:{ERROR_COLOR};font-weight:bold'>⚠ {html.escape(s.stopped)}</div>"
                             if s.stopped else "")
        self.counter.value = (f"<span style='font-size:1.15em'>&nbsp;<b>step {s.step_count}</b>"
                              f"&nbsp;·&nbsp;loss {_fmt(loss)}</span>")

    def _update_html(self):
        s = self.stepper
        update = s.last_update
        if update is None:
            names = ", ".join(v.op.name for v in s.var_list[:MAX_LINES])
            return (f"<div style='color:{HINT_COLOR}'>Press <b>Step</b>: each variable ({html.escape(names)}) "
                    f"moves against its gradient, <code>w ← w − η·∂L/∂w</code>.</div>")
        lines = [format_update(u, s.learning_rate, s.optimizer.get_name()) for u in update[:MAX_LINES]]
        if len(update) > MAX_LINES:
            lines.append(f"… and {len(update) - MAX_LINES} more variables")
        body = "<br>".join(html.escape(line) for line in lines)
        return (f"<div>last step (η = {_fmt(s.learning_rate)}, loss before it {_fmt(s.history[-1])}):</div>"
                f"<div style='font-family:monospace;font-size:1.1em'>{body}</div>")

    def _png(self, current_loss):
        s = self.stepper
        fig = self._figure
        fig.clear()
        fig.subplots_adjust(left=0.07, right=0.98, bottom=0.17, top=0.9, wspace=0.22)
        scalars = s.scalar_variables
        landscape = 1 <= len(scalars) <= 2
        loss_ax = fig.add_subplot(1, 2 if landscape else 1, 1)
        losses = list(s.history) + [current_loss]
        plots.plot_loss(losses, ax=loss_ax, smoothing=0.6 if len(losses) > 2 else 0)
        loss_ax.set_xlabel("steps taken")
        # no step count in the title: while playing, the plot is redrawn less often than the
        # counter, and the two would disagree
        loss_ax.set_title("loss per step", fontsize=11)
        loss_ax.grid(alpha=0.3)
        if landscape:
            self._draw_landscape(fig.add_subplot(1, 2, 2), scalars)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png")
        return buffer.getvalue()

    def _draw_landscape(self, ax, scalars):
        s = self.stepper
        paths = [np.asarray(s.trajectory[v.op.name], np.float64) for v in scalars]
        ranges = [_range(p) for p in paths]
        if self._range is None or not all(_inside(r, p) for r, p in zip(self._range, paths)):
            self._range = ranges
        feed = s.current_feed()
        title = "loss landscape and the steps taken"
        if len(scalars) == 1:
            plots.plot_landscape(s.loss, scalars[0], s.session, values=np.linspace(*self._range[0], 81),
                                 feed_dict=feed, path=paths[0], ax=ax)
        else:
            plots.plot_landscape_2d(s.loss, scalars[0], scalars[1], s.session,
                                    xs=np.linspace(*self._range[0], 25), ys=np.linspace(*self._range[1], 25),
                                    feed_dict=feed, path=np.stack(paths, axis=1), ax=ax)
        if s.batched:
            title += " (this batch)"
        ax.set_title(title, fontsize=11)
        ax.legend(fontsize=8, loc="upper center")
        ax.grid(alpha=0.3)


def _range(path, pad=0.1):
    """The path, and the start ± 1.25·|start| (at least ± 1): wide enough to show a valley."""
    finite = path[np.isfinite(path) & (np.abs(path) < 1e6)]
    if not finite.size:
        return -1.0, 1.0
    start = finite[0]
    half = max(1.25 * abs(start), 1.0)
    lo, hi = min(finite.min(), start - half), max(finite.max(), start + half)
    return lo - pad * (hi - lo), hi + pad * (hi - lo)


def _inside(bounds, path):
    finite = path[np.isfinite(path) & (np.abs(path) < 1e6)]
    return finite.size == 0 or (bounds[0] <= finite.min() and finite.max() <= bounds[1])


def _fmt(x):
    x = float(np.ravel(x)[0]) if np.size(x) == 1 else float("nan")
    return f"{x:.4g}"
