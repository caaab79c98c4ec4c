"""Widgets for the notebook: ipywidgets wired to engine objects (the engine never imports these).

`GradientDescentStepper` steps a loss by hand, with Step, Play and Reset buttons.
"""
from .stepper import GradientDescentStepper, Update, format_update  # noqa: F401
