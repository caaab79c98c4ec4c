"""The stepper in a real browser: JupyterLab, headless Chromium, Run All, Step, Play, Pause.

Screenshots go to pytest's tmp dir, and also to $TFTEACH_SCREENSHOTS when that is set.
"""
import os
import re

import pytest

from jupyterlab_browser import jupyter_lab, lab_page, open_and_run_all  # noqa: F401

pytestmark = pytest.mark.browser
WAIT = 60_000  # ms: generous, for a busy 2-core machine


def _screenshot(locator, tmp_path, name):
    paths = [tmp_path / name]
    if os.environ.get("TFTEACH_SCREENSHOTS"):
        os.makedirs(os.environ["TFTEACH_SCREENSHOTS"], exist_ok=True)
        paths.append(os.path.join(os.environ["TFTEACH_SCREENSHOTS"], name))
    for path in paths:
        locator.screenshot(path=str(path))
    return paths[0]


def _step_number(counter):
    return int(re.search(r"step (\d+)", counter.inner_text()).group(1))


def test_step_play_pause_in_jupyterlab(jupyter_lab, lab_page, tmp_path):  # noqa: F811
    from playwright.sync_api import expect
    page = lab_page
    open_and_run_all(page, jupyter_lab, "gradient_descent.ipynb")

    stepper = page.locator(".tfteach-stepper").first
    counter = stepper.locator(".tfteach-step-counter")
    update = stepper.locator(".tfteach-update")
    # the notebook's last cell resets the stepper: step 0, weight 0.8
    expect(page.locator(".jp-OutputArea-output").last).to_contain_text("step=0 loss=0.64 weight=0.8",
                                                                        timeout=WAIT)
    expect(counter).to_contain_text("step 0", timeout=WAIT)
    expect(update).to_contain_text("Press Step", timeout=WAIT)

    stepper.locator("button.widget-button", has_text="Step").click()
    expect(counter).to_contain_text("step 1", timeout=WAIT)
    expect(update).to_contain_text("weight ← weight − η·∂L/∂weight = 0.8 − 0.025·1.6 = 0.76", timeout=WAIT)
    stepper.scroll_into_view_if_needed()
    _screenshot(stepper, tmp_path, "stepper-after-step.png")

    play = stepper.locator(".tfteach-play button").first   # the play/pause toggle
    play.click()
    expect(play.locator("i")).to_have_class(re.compile("fa-pause"), timeout=WAIT)
    expect(counter).to_contain_text(re.compile(r"step ([4-9]|\d\d+)\b"), timeout=WAIT)
    play.click()                                            # Pause
    expect(play.locator("i")).to_have_class(re.compile("fa-play"), timeout=WAIT)
    # ticks already sent may still arrive: wait until the counter has not moved for 1.5 s
    page.wait_for_function(
        """(el) => {
            const now = el.textContent, t = performance.now();
            if (window.__lastCount !== now) { window.__lastCount = now; window.__since = t; }
            return t - window.__since > 1500;
        }""", arg=counter.element_handle(), polling=250, timeout=WAIT)
    paused_at = _step_number(counter)
    assert paused_at >= 4
    expect(update).not_to_contain_text("= 0.8 − 0.025·1.6 = 0.76", timeout=WAIT)
    stepper.locator("button.widget-button", has_text="Step").click()
    expect(counter).to_contain_text(f"step {paused_at + 1}", timeout=WAIT)
    _screenshot(stepper, tmp_path, "stepper-after-play.png")
