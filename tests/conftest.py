"""Shared pytest setup for the tfteach tests."""
import os
import sys

# Make `from cases import harness` work: tests/cases is a package living in tests/.
TESTS_DIR = os.path.dirname(os.path.abspath(__file__))
if TESTS_DIR not in sys.path:
    sys.path.insert(0, TESTS_DIR)

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from hypothesis import settings  # noqa: E402

# "ci": reproducible and bounded; no deadline, since CI machines are slow and noisy.
settings.register_profile("ci", deadline=None, derandomize=True, max_examples=50)
# "dev": random examples each run (finds new cases locally), still no flaky deadlines.
settings.register_profile("dev", deadline=None, max_examples=50)
# HYPOTHESIS_PROFILE overrides; otherwise "ci" when CI is set, else "dev".
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev"))


@pytest.fixture
def no_dot(monkeypatch):
    """Graphviz's `dot` not installed, as far as tfteach can tell: the built-in layout draws."""
    from tfteach.display import render
    monkeypatch.setattr(render, "find_dot", lambda: None)


@pytest.fixture(autouse=True)
def _numpy_print_options():
    """Each test starts with numpy's default print options and leaves them so: a test that runs a
    lesson's code in this process (which sets legacy='1.13') must not change how later tests format."""
    saved = np.get_printoptions()
    yield
    np.set_printoptions(**saved)
