"""The ipywidgets view of a Playground: the controls, the network, the boundary and the curves.

Every callback calls a method of the Playground and every refresh reads it, so the view holds
no training state. Play is an `ipywidgets.Play` whose timer runs in the browser (non-blocking,
as the stepper's): each tick trains for about TICK_S seconds (at least one epoch) and redraws.
The pictures are PNGs and SVGs made from numpy arrays (playground_draw.py); a picture whose
bytes did not change is not sent again.
"""
import html
import time

import ipywidgets as widgets
import numpy as np

from ..versions import IPYWIDGETS, require
from . import playground_data
from . import playground_draw as draw
from .playground import ACTIVATIONS, FEATURES, MAX_LAYERS, MAX_NEURONS

require(widgets, IPYWIDGETS, "tfteach's widgets (the Playground)")

PLAY_INTERVAL_MS = 150   # the browser's timer
TICK_S = 0.08            # training time per tick, before the redraw
DENSITY = 50             # grid points per side for the output picture
NEURON_DENSITY = 17      # per side for each neuron's small picture
RATES = (0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)  # the Playground's
REG_RATES = (0.0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
ERROR_COLOR = "var(--jp-error-color1, #b00020)"
FEATURE_LABELS = {"x1": "x₁", "x2": "x₂", "x1^2": "x₁²", "x2^2": "x₂²", "x1*x2": "x₁x₂",
                  "sin_x1": "sin x₁", "sin_x2": "sin x₂"}


def _lay(width):
    return widgets.Layout(width=width)


class PlaygroundView:
    def __init__(self, pg):
        self.pg = pg
        self._quiet = False
        s = pg.settings
        style = {"description_width": "initial"}
        # ---- the controls -------------------------------------------------------------
        self.play = widgets.Play(value=0, min=0, max=10**9, interval=PLAY_INTERVAL_MS, show_repeat=False,
                                 tooltip="▶ train, ❚❚ pause")
        self.step_button = widgets.Button(description="Step", icon="step-forward", layout=_lay("80px"),
                                          tooltip="Train one epoch")
        self.reset_button = widgets.Button(description="Reset", icon="undo", layout=_lay("80px"),
                                           tooltip="Weights back to their start; epoch 0")
        self.regen_button = widgets.Button(description="Regenerate", icon="refresh", layout=_lay("130px"),
                                           tooltip="New points from the same kind of data")
        self.counter = widgets.HTML()
        self.status = widgets.HTML()
        names = list(playground_data.DATASETS) + (["own"] if pg.own_data is not None else [])
        self.dataset = widgets.Dropdown(options=names, value=s["dataset"], description="data",
                                        layout=_lay("190px"), style=style)
        self.noise = widgets.IntSlider(value=round(s["noise"] * 100), min=0, max=50, step=5,
                                       description="noise %", continuous_update=False, style=style,
                                       layout=_lay("240px"))
        self.ratio = widgets.IntSlider(value=round(s["train_ratio"] * 100), min=10, max=90, step=10,
                                       description="train %", continuous_update=False, style=style,
                                       layout=_lay("240px"))
        self.batch = widgets.IntSlider(value=s["batch_size"], min=1, max=30, description="batch size",
                                       continuous_update=False, style=style, layout=_lay("240px"))
        self.features = {f: widgets.ToggleButton(value=f in s["features"], description=FEATURE_LABELS[f],
                                                 layout=_lay("64px")) for f in FEATURES}
        self.layers = widgets.IntSlider(value=len(s["hidden"]), min=0, max=MAX_LAYERS, description="hidden layers",
                                        continuous_update=False, style=style, layout=_lay("210px"))
        self.neurons = [widgets.BoundedIntText(value=(s["hidden"] + [4] * MAX_LAYERS)[k], min=1,
                                               max=MAX_NEURONS, layout=_lay("46px"))
                        for k in range(MAX_LAYERS)]
        self.activation = widgets.Dropdown(options=list(ACTIVATIONS), value=s["activation"],
                                           description="activation", layout=_lay("190px"), style=style)
        self.problem = widgets.Dropdown(options=["classification", "regression"], value=s["problem"],
                                        description="problem", layout=_lay("220px"), style=style)
        rates = sorted(set(RATES) | {s["learning_rate"]})
        self.rate = widgets.Dropdown(options=rates, value=s["learning_rate"], description="learning rate",
                                     layout=_lay("190px"), style=style)
        self.reg = widgets.Dropdown(options=["none", "L1", "L2"],
                                    value=s["regularization"] or "none", description="regularization",
                                    layout=_lay("190px"), style=style)
        reg_rates = sorted(set(REG_RATES) | {s["regularization_rate"]})
        self.reg_rate = widgets.Dropdown(options=reg_rates, value=s["regularization_rate"],
                                         description="reg. rate", layout=_lay("160px"), style=style)
        self.cap = widgets.BoundedIntText(value=pg.max_epochs or 0, min=0, max=10**7,
                                          description="stop at epoch (0: never)", style=style,
                                          layout=_lay("240px"))
        # ---- the pictures -------------------------------------------------------------
        self.network = widgets.HTML()
        self.output = widgets.Image(format="png", width=240, height=240)
        self.loss = widgets.HTML()
        self.neuron = widgets.Dropdown(options=pg.neurons(), description="neuron", layout=_lay("200px"),
                                       style=style)
        self.formula = widgets.HTML()
        self.graph_button = widgets.Button(description="show the graph", icon="sitemap", layout=_lay("150px"))
        self.replay_button = widgets.Button(description="replay one step", icon="film", layout=_lay("150px"))
        self.below = widgets.Output()
        for w, name in [(self.counter, "epoch"), (self.status, "status"), (self.output, "boundary"),
                        (self.play, "play"), (self.network, "network"), (self.loss, "loss"),
                        (self.formula, "formula")]:
            w.add_class("tfteach-playground-" + name)
        c = set(pg.controls)
        row = [w for key, w in [("play", self.play), ("step", self.step_button), ("reset", self.reset_button),
                                ("regenerate", self.regen_button)] if key in c] + [self.counter]
        top = widgets.HBox(row, layout=widgets.Layout(align_items="center", flex_flow="row wrap"))
        settings = [widgets.HBox([self.rate, self.activation] if "learning_rate" in c else [self.activation])]
        if "regularization" in c:
            settings.append(widgets.HBox([self.reg, self.reg_rate]))
        settings.append(widgets.HBox([self.problem, self.cap]))
        left = []
        if "dataset" in c:
            left.append(self.dataset)
        if "data" in c:
            left += [self.noise, self.ratio, self.batch]
        feats = widgets.VBox([widgets.HTML("<b>features</b>"),
                              widgets.HBox(list(self.features.values())[:4]),
                              widgets.HBox(list(self.features.values())[4:])])
        net_controls = widgets.HBox([self.layers] + self.neurons)
        middle = ([feats] if "features" in c else []) + ([net_controls] if "network" in c else [])
        middle += [self.network, widgets.HBox([self.neuron]), self.formula]
        right = [widgets.HTML("<b>output</b> <small>(training points ringed white, test black)</small>"),
                 self.output, widgets.HTML("<b>loss</b> per epoch <small>(test black, training grey)</small>"),
                 self.loss]
        extra = [w for key, w in [("graph", self.graph_button), ("replay", self.replay_button)] if key in c]
        self.box = widgets.VBox([top, widgets.VBox(settings), self.status,
                                 widgets.HBox([widgets.VBox(left + right, layout=_lay("250px")),
                                               widgets.VBox(middle)]),
                                 widgets.HBox(extra), self.below])
        self.box.add_class("tfteach-playground")
        # ---- wiring: every callback calls the Playground ---------------------------------
        self.step_button.on_click(lambda _: pg.step())
        self.reset_button.on_click(lambda _: pg.reset())
        self.regen_button.on_click(lambda _: pg.regenerate())
        self.play.observe(self._on_tick, names="value")
        self.play.observe(self._on_playing, names="playing")
        self.graph_button.on_click(self._show_graph)
        self.replay_button.on_click(self._show_replay)
        self.neuron.observe(lambda _: self._draw_formula(), names="value")
        simple = [(self.dataset, "dataset", None), (self.noise, "noise", lambda v: v / 100),
                  (self.ratio, "train_ratio", lambda v: v / 100), (self.batch, "batch_size", None),
                  (self.activation, "activation", None), (self.problem, "problem", None),
                  (self.rate, "learning_rate", None), (self.reg, "regularization", lambda v: None if v == "none" else v),
                  (self.reg_rate, "regularization_rate", None)]
        for w, key, f in simple:
            w.observe(self._setter(key, f), names="value")
        self.cap.observe(self._setter("max_epochs", lambda v: v or None), names="value")
        for w in list(self.features.values()) + [self.layers] + self.neurons:
            w.observe(self._on_shape, names="value")
        self._shape_shown = None
        pg._listeners.append(self.refresh)
        self.refresh()

    # ---- callbacks ------------------------------------------------------------------------
    def _setter(self, key, convert):
        def on_change(change):
            if self._quiet or change["new"] == "own":
                return
            value = convert(change["new"]) if convert else change["new"]
            try:
                self.pg.set(**{key: value})
            except ValueError as e:
                self.status.value = f"<div style='color:{ERROR_COLOR}'>⚠ {html.escape(str(e))}</div>"
        return on_change

    def _on_shape(self, change):
        if self._quiet:
            return
        features = [f for f, w in self.features.items() if w.value]
        if not features:  # at least one: put the last one back
            self._quiet = True
            change["owner"].value = True
            self._quiet = False
            return
        hidden = [w.value for w in self.neurons[:self.layers.value]]
        self.pg.set(features=features, hidden=hidden)

    def _on_tick(self, change):
        if self._quiet or change["new"] <= change["old"] or not self.play.playing:
            return
        pg = self.pg
        end = time.monotonic() + TICK_S
        with pg._quiet_listeners():
            while True:
                pg.step()
                if pg.stopped or time.monotonic() >= end:
                    break
        self.refresh()

    def _on_playing(self, change):
        if not change["new"] and not self._quiet:
            self.refresh()

    def _show_graph(self, _):
        self.below.clear_output()
        with self.below:
            from IPython.display import display
            display(self.pg.show_graph())

    def _show_replay(self, _):
        self.play.playing = False
        self.below.clear_output()
        with self.below:
            from IPython.display import display
            display(self.pg.replay())

    # ---- drawing ----------------------------------------------------------------------------
    def refresh(self):
        pg, s = self.pg, self.pg.settings
        self._quiet = True
        try:
            if pg.epoch == 0 and pg.steps == 0:
                self.play.playing = False
                self.play.value = 0
            if pg.stopped:
                self.play.playing = False
            for w, value in [(self.dataset, s["dataset"]), (self.noise, round(s["noise"] * 100)),
                             (self.ratio, round(s["train_ratio"] * 100)), (self.batch, s["batch_size"]),
                             (self.activation, s["activation"]), (self.problem, s["problem"]),
                             (self.reg, s["regularization"] or "none"), (self.layers, len(s["hidden"])),
                             (self.cap, pg.max_epochs or 0)]:
                if w.value != value and (not hasattr(w, "options") or value in
                                         [o[1] if isinstance(o, tuple) else o for o in w.options]):
                    w.value = value
            for key, w in ((("learning_rate", self.rate), ("regularization_rate", self.reg_rate))):
                if s[key] not in w.options:
                    w.options = sorted(set(w.options) | {s[key]})
                w.value = s[key]
            for f, w in self.features.items():
                w.value = f in s["features"]
            for k, w in enumerate(self.neurons):
                w.layout.display = "" if k < len(s["hidden"]) else "none"
                if k < len(s["hidden"]):
                    w.value = s["hidden"][k]
            shape = (tuple(s["features"]), tuple(s["hidden"]))
            if shape != self._shape_shown:
                self.neuron.options = pg.neurons()
                self.neuron.value = pg.neurons()[-1]
                self._shape_shown = shape
        finally:
            self._quiet = False
        self.draw()

    def draw(self):
        """The pictures and the counter from the Playground's state, in one run on the grid."""
        pg, s = self.pg, self.pg.settings
        xs, layers = pg.grid(DENSITY)
        regression = s["problem"] == "regression"
        scale = max(1.0, float(np.abs(pg.train_labels).max())) if regression else 1.0
        image = draw.boundary(layers[-1][:, :, 0], pg.domain, train=(pg.train_points, pg.train_labels),
                              test=(pg.test_points, pg.test_labels), scale=scale)
        _set(self.output, "value", draw.png(image))
        step = max(1, DENSITY // NEURON_DENSITY)
        feature_maps = _feature_maps(s["features"], xs[::step])
        maps = [[draw.data_uri(draw.png(draw.colours(m))) for m in feature_maps]]
        for out in layers:
            small = out[::step, ::step]
            maps.append([draw.data_uri(draw.png(draw.colours(small[:, :, j]))) for j in range(small.shape[2])])
        weights = pg.session.run([w for w, _ in pg.net["weights"]])
        layer_names = [w.op.name.rsplit("/", 1)[0] for w, _ in pg.net["weights"]]
        formulas = pg.formulas()
        svg = draw.network_svg(layer_names, s["features"], [w.shape[1] for w in weights], weights, maps,
                               selected=self.neuron.value, formulas=formulas)
        _set(self.network, "value", svg)
        _set(self.loss, "value", draw.loss_svg(pg.history["train"], pg.history["test"], width=240))
        self._draw_formula(formulas)
        train, test = pg.history["train"][-1], pg.history["test"][-1]
        self.counter.value = (f"<span style='font-size:1.15em'>&nbsp;<b>epoch {pg.epoch}</b>&nbsp;·&nbsp;"
                              f"test loss {test:.3f}&nbsp;·&nbsp;training loss {train:.3f}</span>")
        self.status.value = (f"<div style='color:{ERROR_COLOR};font-weight:bold'>⚠ {html.escape(pg.stopped)}</div>"
                             if pg.stopped else "")
        self.step_button.disabled = bool(pg.stopped)

    def _draw_formula(self, formulas=None):
        name = self.neuron.value
        if name is None:
            return
        text = (formulas or {}).get(name) or self.pg.formula(name)
        _set(self.formula, "value", f"<code style='font-size:1.05em'>{html.escape(text)}</code>")


def _set(widget, attr, value):
    """Send a picture only when it changed."""
    if getattr(widget, attr) != value:
        setattr(widget, attr, value)


def _feature_maps(features, xs):
    x1, x2 = np.meshgrid(xs, xs[::-1])
    values = {"x1": x1 / 6, "x2": x2 / 6, "x1^2": x1 ** 2 / 18 - 1, "x2^2": x2 ** 2 / 18 - 1,
              "x1*x2": x1 * x2 / 18, "sin_x1": np.sin(x1), "sin_x2": np.sin(x2)}
    return [values[f] for f in features]
