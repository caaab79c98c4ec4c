"""The ipywidgets view of a Replay: Prev / Next / Play, a position slider, the arithmetic, the graph.

Every callback moves the Replay (`replay.position = k`) and every refresh reads it, so the view
holds no state of its own. The picture is one `ipywidgets.HTML` whose SVG is replaced in place.
"""
import html

import ipywidgets as widgets
import numpy as np

from ..display import RenderError
from ..versions import IPYWIDGETS, require
from .replay import _brief

require(widgets, IPYWIDGETS, "tfteach's widgets (the stepper and the replay)")

PLAY_INTERVAL_MS = 1200   # Play: one position per tick of the browser's timer
MAX_VALUE_ROWS = 6        # input rows shown in the values table


class ReplayView:
    """Prev, Next, Play and a slider over the positions; the label, the arithmetic, the picture."""

    def __init__(self, replay):
        self.replay = replay
        self._quiet = False
        n = len(replay.positions)
        self.prev_button = widgets.Button(description="Prev", icon="step-backward",
                                          tooltip="Back one step", layout=widgets.Layout(width="80px"))
        self.next_button = widgets.Button(description="Next", icon="step-forward",
                                          tooltip="Forward one step", layout=widgets.Layout(width="80px"))
        self.play = widgets.Play(value=1, min=1, max=n, interval=PLAY_INTERVAL_MS, show_repeat=False,
                                 tooltip="▶ play to the end, ❚❚ pause, ■ back to the start")
        self.slider = widgets.IntSlider(value=1, min=1, max=n, description="step",
                                        continuous_update=False, layout=widgets.Layout(width="360px"))
        widgets.jslink((self.play, "value"), (self.slider, "value"))
        self.position_label = widgets.HTML()
        self.current = widgets.HTML()
        self.picture = widgets.HTML(layout=widgets.Layout(overflow="auto", max_height="760px"))
        for w, name in [(self.position_label, "position"), (self.current, "current"),
                        (self.picture, "graph"), (self.play, "play"), (self.slider, "slider")]:
            w.add_class("tfteach-replay-" + name)
        what = ", ".join(getattr(i, "name", str(i)) for i in replay._items)
        title = widgets.HTML(f"<b>Backprop replay</b> of <code>{html.escape(what)}</code>: "
                             f"{len(replay.steps)} ops run, forward → gradients → update")
        note = widgets.HTML(f"<div style='color:#8a5a00'>{html.escape(replay.note)}</div>"
                            if replay.note else "")
        controls = widgets.HBox([self.prev_button, self.next_button, self.play, self.slider,
                                 self.position_label],
                                layout=widgets.Layout(align_items="center", flex_flow="row wrap"))
        self.box = widgets.VBox([title, note, controls, self.current, self.picture])
        self.box.add_class("tfteach-replay")

        self.prev_button.on_click(lambda _: replay.prev())
        self.next_button.on_click(lambda _: replay.next())
        self.slider.observe(self._on_slider, names="value")
        replay._listeners.append(self.refresh)
        self.refresh()

    def _on_slider(self, change):
        if not self._quiet:
            self.replay.position = change["new"] - 1

    # ---- drawing: everything read from the replay ----------------------------------------
    def refresh(self):
        r = self.replay
        k = r.position
        self._quiet = True
        try:
            self.slider.value = k + 1
        finally:
            self._quiet = False
        # the picture first: the browser applies updates in order, so when the label says
        # a position, the picture shows it too
        try:
            self.picture.value = r.svg(k)
        except RenderError as e:
            self.picture.value = f"<pre>{html.escape(str(e))}</pre>"
        self.current.value = self._current_html(k)
        self.position_label.value = (f"<span style='font-size:1.15em'>&nbsp;<b>{html.escape(r.label(k))}"
                                     f"</b></span>")
        self.prev_button.disabled = k == 0
        self.next_button.disabled = k == len(r.positions) - 1

    def _current_html(self, k):
        r = self.replay
        steps = r.steps_at(k)
        names = ", ".join(s.name for s in steps if s.key) or steps[-1].name
        lines = "<br>".join(html.escape(line) for line in r.explain(k))
        head = (f"<div>ran: <code class='tfteach-replay-op'>{html.escape(names)}</code>"
                f" <span style='color:#777'>({html.escape(steps[-1].type)})</span></div>"
                if len(steps) == 1 else
                f"<div>ran {len(steps)} ops, ending with <code class='tfteach-replay-op'>"
                f"{html.escape(steps[-1].name)}</code></div>")
        return (head + f"<div style='font-family:monospace;font-size:1.1em;margin:4px 0'>{lines}</div>"
                + (self._values_html(steps[0]) if len(steps) == 1 else ""))

    def _values_html(self, step):
        """The op's inputs and outputs with their values, as a small table."""
        rows = [(f"in: {t.name}", v) for t, v in step.inputs[:MAX_VALUE_ROWS]]
        rows += [(f"out: {t.name}", v) for t, v in zip(step.op.outputs, step.outputs)]
        if not rows:
            return ""
        cells = "".join(f"<tr><td style='padding-right:1em;color:#555'>{html.escape(name)}</td>"
                        f"<td><code>{html.escape(_brief(v, full=True, limit=16) if not _is_op(v) else 'ref')}"
                        f"</code></td></tr>" for name, v in rows)
        return f"<table style='font-size:0.9em'>{cells}</table>"


def _is_op(v):
    return not isinstance(v, (np.ndarray, np.generic, int, float, bool, type(None)))
