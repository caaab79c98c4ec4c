"""Lesson 1 as a newcomer meets it: opened in JupyterLab, Run All, pictures and a working stepper."""
import re

import pytest

from jupyterlab_browser import jupyter_lab, lab_page, open_and_run_all  # noqa: F401

pytestmark = pytest.mark.browser
WAIT = 120_000  # ms: the whole lesson runs first, on a busy 2-core machine


def test_lesson1_runs_draws_graphs_and_steps(jupyter_lab, lab_page, tmp_path):  # noqa: F811
    from playwright.sync_api import expect
    page = lab_page
    open_and_run_all(page, jupyter_lab, "notebooks/01_hello_neuron.ipynb")
    # the lesson's last cell plots the logged summaries: when it shows, every cell has run
    expect(page.locator(".jp-OutputArea-output img").last).to_be_visible(timeout=WAIT)
    graphs = page.locator(".jp-RenderedSVG")  # image/svg+xml outputs, whatever the element inside
    assert graphs.count() >= 3, "the graph drawings are missing"
    stepper = page.locator(".tfteach-stepper").first
    stepper.scroll_into_view_if_needed()
    counter = stepper.locator(".tfteach-step-counter")
    expect(counter).to_contain_text("step 100", timeout=WAIT)  # the cells after it took 100 steps
    stepper.locator("button.widget-button", has_text="Step").click()
    expect(counter).to_contain_text("step 101", timeout=WAIT)
    expect(stepper.locator(".tfteach-update")).to_contain_text(re.compile(r"weight ← weight − η"), timeout=WAIT)
    stepper.screenshot(path=str(tmp_path / "lesson1-stepper.png"))
