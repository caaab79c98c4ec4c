"""The Playground in a real browser: JupyterLab, headless Chromium, Run All, Play, Pause, show the graph.

Screenshots go to pytest's tmp dir, and also to $TFTEACH_SCREENSHOTS when that is set (the one
in docs/img/playground.png was taken this way).
"""
import os
import re

import pytest

from jupyterlab_browser import jupyter_lab, lab_page, open_and_run_all  # noqa: F401

pytestmark = pytest.mark.browser
WAIT = 90_000  # ms: generous, for a busy 2-core machine


def _screenshot(locator, tmp_path, name):
    paths = [tmp_path / name]
    if os.environ.get("TFTEACH_SCREENSHOTS"):
        os.makedirs(os.environ["TFTEACH_SCREENSHOTS"], exist_ok=True)
        paths.append(os.path.join(os.environ["TFTEACH_SCREENSHOTS"], name))
    for path in paths:
        locator.screenshot(path=str(path))
    return paths[0]


def _epoch(counter):
    return int(re.search(r"epoch (\d+)", counter.inner_text()).group(1))


def _wait_still(page, counter):
    """Ticks already sent may still arrive after Pause: wait until the counter is still for 1.5 s."""
    page.wait_for_function(
        """(el) => {
            const now = el.textContent, t = performance.now();
            if (window.__lastCount !== now) { window.__lastCount = now; window.__since = t; }
            return t - window.__since > 1500;
        }""", arg=counter.element_handle(), polling=250, timeout=WAIT)


def test_play_pause_moves_the_epoch_and_the_boundary(jupyter_lab, lab_page, tmp_path):  # noqa: F811
    from playwright.sync_api import expect
    page = lab_page
    open_and_run_all(page, jupyter_lab, "playground.ipynb")
    # three Playground widgets when every cell has run: the first, the moons, the teacher's
    expect(page.locator(".tfteach-playground")).to_have_count(3, timeout=WAIT)
    pg = page.locator(".tfteach-playground").first
    counter = pg.locator(".tfteach-playground-epoch")
    expect(counter).to_contain_text("epoch 200", timeout=WAIT)   # the notebook trained it 200 epochs
    boundary = pg.locator("img.tfteach-playground-boundary")
    before = boundary.get_attribute("src")
    # hovering a neuron shows its formula: the SVG's <title>
    title = pg.locator(".tfteach-playground-network g.tfteach-neuron[data-name='layer1/0'] title")
    expect(title).to_have_count(1, timeout=WAIT)
    assert re.match(r"layer1/0 = tanh\(−?[\d.e-]+·x1 [+−] [\d.e-]+·x2 [+−] [\d.e-]+\)$", title.text_content())

    play = pg.locator(".tfteach-playground-play button").first   # the play/pause toggle
    pg.scroll_into_view_if_needed()
    play.click()
    expect(play.locator("i")).to_have_class(re.compile("fa-pause"), timeout=WAIT)
    expect(counter).to_contain_text(re.compile(r"epoch (2[1-9]\d|[3-9]\d\d|\d{4,})\b"), timeout=WAIT)
    play.click()                                                     # Pause
    expect(play.locator("i")).to_have_class(re.compile("fa-play"), timeout=WAIT)
    _wait_still(page, counter)
    paused_at = _epoch(counter)
    assert paused_at >= 210
    assert boundary.get_attribute("src") != before                   # the picture was redrawn
    _screenshot(pg, tmp_path, "playground.png")

    pg.locator("button.widget-button[title='Train one epoch']").click()
    expect(counter).to_contain_text(f"epoch {paused_at + 1}", timeout=WAIT)
    pg.locator("button.widget-button", has_text="show the graph").click()
    # the drawing appears in the widget's output area (JupyterLab shows SVG as an <img>)
    drawn = pg.locator(".widget-output .jp-RenderedSVG img, .widget-output .jp-RenderedSVG svg")
    expect(drawn.first).to_be_visible(timeout=WAIT)
    pg.locator("button.widget-button", has_text="Reset").click()
    expect(counter).to_contain_text("epoch 0", timeout=WAIT)
