"""Graphs drawn in Jupyter: `show_graph`, and the pieces behind a Graph's picture.

dot.py makes DOT text (pure), values.py gathers a run's values, render.py runs Graphviz,
drawing.py ties them into `show_graph`, ipython.py is `%load_ext tfteach`. See docs/display.md.
"""
from .dot import THEMES, to_dot  # noqa: F401
from .drawing import Drawing, defaults, graph_bundle, show, show_graph  # noqa: F401
from .render import INSTALL_HINT, RenderError  # noqa: F401
