"""Graphs drawn in Jupyter: `show_graph`, and the pieces behind a Graph's picture.

scene.py decides what to draw (pure), dot.py writes it as DOT text, layout.py and svg.py draw it
without Graphviz, values.py gathers a run's values, render.py runs Graphviz (or the built-in
layout), drawing.py ties them into `show_graph`, ipython.py is `%load_ext tfteach`. See
docs/display.md.
"""
from .dot import THEMES, to_dot  # noqa: F401
from .drawing import Drawing, defaults, graph_bundle, show, show_graph  # noqa: F401
from .render import INSTALL_HINT, NO_DOT_NOTE, RenderError  # noqa: F401
