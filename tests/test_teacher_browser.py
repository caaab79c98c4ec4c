"""A stepper built from a teacher's configuration file, clicked in a real browser (JupyterLab).

The file and a small notebook are saved into the served folder by JupyterLab's own contents
service (in the page, so the server's XSRF check passes);
the widget must show only the configured controls and stop at the configured step cap.
"""
import json

import nbformat
import pytest

from jupyterlab_browser import jupyter_lab, lab_page, open_and_run_all  # noqa: F401

pytestmark = pytest.mark.browser
WAIT = 60_000  # ms: generous, for a busy 2-core machine

CLASS = {"controls": ["step", "reset"], "learning_rate": 0.025, "max_steps": 2}
CELLS = [
    "import tfteach as tf\n"
    "from tfteach.widgets import GradientDescentStepper\n"
    "w = tf.Variable(0.8, name='weight')\n"
    "loss = tf.pow(w * 1.0 - 0.0, 2, name='loss')",
    "GradientDescentStepper(loss, config='teacher_class.json')",
]


def _save(page, base_url, path, model):
    page.evaluate("([path, model]) => window.jupyterapp.serviceManager.contents.save(path, model)",
                  [path, model])


def test_a_stepper_from_a_configuration_file(jupyter_lab, lab_page):  # noqa: F811
    from playwright.sync_api import expect
    page = lab_page
    page.goto(f"{jupyter_lab}/lab?reset", wait_until="domcontentloaded")
    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.serviceManager.contents",
                           timeout=90_000)
    _save(page, jupyter_lab, "teacher_class.json",
          {"type": "file", "format": "text", "content": json.dumps(CLASS)})
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in CELLS])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    _save(page, jupyter_lab, "teacher_stepper.ipynb",
          {"type": "notebook", "format": "json", "content": json.loads(nbformat.writes(nb))})
    open_and_run_all(page, jupyter_lab, "teacher_stepper.ipynb")

    stepper = page.locator(".tfteach-stepper").first
    counter = stepper.locator(".tfteach-step-counter")
    expect(counter).to_contain_text("step 0", timeout=WAIT)
    # only Step and Reset: no Play, no learning-rate slider
    expect(stepper.locator("button.widget-button", has_text="Reset")).to_be_visible(timeout=WAIT)
    assert stepper.locator(".tfteach-play").count() == 0
    assert stepper.locator(".widget-slider").count() == 0

    step = stepper.locator("button.widget-button", has_text="Step")
    step.click()
    expect(counter).to_contain_text("step 1", timeout=WAIT)
    step.click()
    expect(counter).to_contain_text("step 2", timeout=WAIT)
    expect(stepper.locator(".tfteach-status")).to_contain_text("max_steps = 2", timeout=WAIT)
    expect(step).to_be_disabled(timeout=WAIT)
    stepper.locator("button.widget-button", has_text="Reset").click()
    expect(counter).to_contain_text("step 0", timeout=WAIT)
    expect(step).to_be_enabled(timeout=WAIT)
