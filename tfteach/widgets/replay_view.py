"""The ipywidgets view of a Replay: Prev / Next / Play, a position slider, the arithmetic, the graph.

Every callback moves the Replay (`replay.position = k`) and every refresh reads it, so the view
holds no state of its own. The picture is one `ipywidgets.HTML` whose SVG is replaced in place.

Keeping the op that ran in view: a big graph drawn to fit a notebook is too small to read, and
drawn at its natural size it scrolls, so after a few steps the active op is off screen. The
picture is therefore a window of WINDOW_W × WINDOW_H px on the whole drawing at its natural size
(1 pt = 4/3 px, as a browser shows dot's SVG), centred on the active node: an outer <svg> whose
viewBox is the window, holding the drawing unchanged as an inner <svg>. No JavaScript is involved
(untrusted notebooks strip scripts). The node's box is read from the drawing: `data-box` in the
built-in layout's SVG, the outline's points (and the graph group's transform) in dot's.
"Whole picture" shows everything, scaled to the window's width.
"""
import html
import xml.etree.ElementTree as ET

import ipywidgets as widgets
import numpy as np

from ..display import RenderError
from ..display.fit import node_box
from ..versions import IPYWIDGETS, require
from .replay import _brief

require(widgets, IPYWIDGETS, "tfteach's widgets (the stepper and the replay)")

PLAY_INTERVAL_MS = 1200   # Play: one position per tick of the browser's timer
MAX_VALUE_ROWS = 6        # input rows shown in the values table
WINDOW_W, WINDOW_H = 740, 520   # px: the part of the picture shown around the active node
UNIT_PX = {"pt": 4 / 3, "px": 1.0, "": 1.0}
# JupyterLab's theme colours (with fallbacks for plain Jupyter), so text reads in light and dark
TEXT_DIM = "var(--jp-ui-font-color2, #666)"
TEXT_WARN = "var(--jp-warn-color0, #8a5a00)"


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
        self.whole = widgets.ToggleButton(value=False, description="Whole picture", icon="expand",
                                          tooltip="Show the whole graph (or follow the active op)")
        self.picture = widgets.HTML(layout=widgets.Layout(overflow="auto", max_height="760px"))
        for w, name in [(self.position_label, "position"), (self.current, "current"),
                        (self.picture, "graph"), (self.play, "play"), (self.slider, "slider")]:
            w.add_class("tfteach-replay-" + name)
        what = ", ".join(getattr(i, "name", str(i)) for i in replay._items)
        title = widgets.HTML(f"<b>Backprop replay</b> of <code>{html.escape(what)}</code>: "
                             f"{len(replay.steps)} ops run, forward → gradients → update")
        note = widgets.HTML(f"<div style='color:{TEXT_WARN}'>{html.escape(replay.note)}</div>"
                            if replay.note else "")
        shown = {"prev": self.prev_button, "next": self.next_button, "play": self.play,
                 "slider": self.slider, "whole": self.whole}  # a teacher may hide some
        controls = widgets.HBox([shown[c] for c in replay.controls] + [self.position_label],
                                layout=widgets.Layout(align_items="center", flex_flow="row wrap"))
        self.box = widgets.VBox([title, note, controls, self.current, self.picture])
        self.box.add_class("tfteach-replay")

        self.prev_button.on_click(lambda _: replay.prev())
        self.next_button.on_click(lambda _: replay.next())
        self.slider.observe(self._on_slider, names="value")
        self.whole.observe(lambda _: self.refresh(), names="value")
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
            self.picture.value = window(r.svg(k), r.focus(k), whole=self.whole.value)
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
                f" <span style='color:{TEXT_DIM}'>({html.escape(steps[-1].type)})</span></div>"
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
        cells = "".join(f"<tr><td style='padding-right:1em;color:{TEXT_DIM}'>{html.escape(name)}</td>"
                        f"<td><code>{html.escape(_brief(v, full=True, limit=16) if not _is_op(v) else 'ref')}"
                        f"</code></td></tr>" for name, v in rows)
        return f"<table style='font-size:0.9em'>{cells}</table>"


def _is_op(v):
    return not isinstance(v, (np.ndarray, np.generic, int, float, bool, type(None)))


# ---- the window on the picture -------------------------------------------------------------
def window(svg, node_id, whole=False):
    """`svg` (a drawing's SVG text) seen through a WINDOW_W × WINDOW_H px window centred on the
    node `node_id`, at the drawing's natural size; `whole`: all of it, at most WINDOW_W wide.

    Returns SVG text: an outer <svg class="tfteach-replay-window"> whose viewBox (in px of the
    drawing at natural size) is the window, `data-focus` the node's box, the drawing inside.
    """
    root = ET.fromstring(svg)
    vx, vy, vw, vh = (float(v) for v in root.get("viewBox").split())
    scale = _px(root.get("width")) / vw            # px per unit of the drawing
    full_w, full_h = vw * scale, vh * scale
    if whole:
        w = min(WINDOW_W, full_w)
        x, y, ww, wh, width, height = 0.0, 0.0, full_w, full_h, w, full_h * w / full_w
    else:
        ww, wh = min(WINDOW_W, full_w), min(WINDOW_H, full_h)
        x0, y0, x1, y1 = node_box(root, node_id) or (vx, vy, vx + vw, vy + vh)
        cx, cy = ((x0 + x1) / 2 - vx) * scale, ((y0 + y1) / 2 - vy) * scale
        x = min(max(cx - ww / 2, 0.0), full_w - ww)
        y = min(max(cy - wh / 2, 0.0), full_h - wh)
        width, height = ww, wh
    focus = node_box(root, node_id)
    data = "" if focus is None else ' data-focus="{}"'.format(",".join(
        _n((v - o) * scale) for v, o in zip(focus, (vx, vy, vx, vy))))
    inner = svg[svg.find("<svg"):]
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="tfteach-replay-window" '
            f'width="{_n(width)}px" height="{_n(height)}px" viewBox="{_n(x)} {_n(y)} {_n(ww)} {_n(wh)}"'
            f'{data}>\n{_sized(inner, full_w, full_h)}</svg>\n')


def _sized(inner, w, h):
    """The drawing as the inner <svg>, at (0, 0) with its natural size in px."""
    head, _, rest = inner.partition(">")
    attrs = ET.fromstring(head + ("" if head.endswith("/") else "/") + ">").attrib
    kept = " ".join(f'{k}="{html.escape(v)}"' for k, v in attrs.items()
                    if k not in ("width", "height", "x", "y") and not k.startswith("{"))
    return f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" ' \
           f'x="0" y="0" width="{_n(w)}" height="{_n(h)}" {kept}>{rest}'


def _px(length):
    """An SVG length ('1537pt', '800px', '800') in px."""
    number = length.rstrip("abcdefghijklmnopqrstuvwxyz%")
    return float(number) * UNIT_PX[length[len(number):]]


def _n(v):
    text = f"{v:.1f}"
    return text[:-2] if text.endswith(".0") else text
