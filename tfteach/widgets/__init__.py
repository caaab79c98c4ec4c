"""Widgets for the notebook: ipywidgets wired to engine objects (the engine never imports these).

`GradientDescentStepper` steps a loss by hand, with Step, Play and Reset buttons.
`replay(train_step, session=sess)` records one run and steps through it: forward, backward, update.
`Playground(...)` is the TensorFlow Playground on an ordinary tfteach graph (`build_network`).
"""
from .stepper import GradientDescentStepper, Update, format_update  # noqa: F401
from .replay import Replay, replay  # noqa: F401
from .playground import Playground, build_network  # noqa: F401,E402
