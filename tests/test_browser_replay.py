"""The backprop replay in a real browser: JupyterLab, headless Chromium, Run All, then Next.

Checks that Next moves the highlight: the position label, the op named above the picture and
the node drawn with the highlight colour in the SVG all move from `input` to `weight/read`.
Screenshots go to pytest's tmp dir, and also to $TFTEACH_SCREENSHOTS when that is set.
"""
import os

import pytest

from jupyterlab_browser import jupyter_lab, lab_page, open_and_run_all  # noqa: F401

pytestmark = pytest.mark.browser
WAIT = 60_000  # ms: generous, for a busy 2-core machine
HIGHLIGHTED = """(root) => {
    // the title of each SVG node drawn with the highlight colour (a thick red outline)
    const out = [];
    for (const g of root.querySelectorAll('svg g.node')) {
        if (g.querySelector('[stroke="#d62728"]')) out.push(g.querySelector('title').textContent);
    }
    return out;
}"""


def _screenshot(locator, tmp_path, name):
    paths = [tmp_path / name]
    if os.environ.get("TFTEACH_SCREENSHOTS"):
        os.makedirs(os.environ["TFTEACH_SCREENSHOTS"], exist_ok=True)
        paths.append(os.path.join(os.environ["TFTEACH_SCREENSHOTS"], name))
    for path in paths:
        locator.screenshot(path=str(path))
    return paths[0]


def _wait_highlighted(page, graph, names):
    page.wait_for_function(f"(root) => JSON.stringify(({HIGHLIGHTED})(root)) === {names!r}",
                           arg=graph.element_handle(), polling=250, timeout=WAIT)


def test_next_moves_the_highlight_in_jupyterlab(jupyter_lab, lab_page, tmp_path):  # noqa: F811
    from playwright.sync_api import expect
    page = lab_page
    open_and_run_all(page, jupyter_lab, "backprop_replay.ipynb")
    # the last cell has run: everything above it too
    expect(page.locator(".jp-OutputArea-output").last).to_contain_text(
        "too many to replay even one top-level name scope", timeout=WAIT)

    replay = page.locator(".tfteach-replay").first      # the neuron, op by op
    label = replay.locator(".tfteach-replay-position")
    op = replay.locator(".tfteach-replay-op")
    graph = replay.locator(".tfteach-replay-graph")
    expect(label).to_contain_text("step 1 of 59 · forward", timeout=WAIT)
    expect(op).to_have_text("input", timeout=WAIT)
    _wait_highlighted(page, graph, '["input"]')
    replay.scroll_into_view_if_needed()
    _screenshot(replay, tmp_path, "replay-step-1.png")

    replay.locator("button.widget-button", has_text="Next").click()
    expect(label).to_contain_text("step 2 of 59 · forward", timeout=WAIT)
    expect(op).to_have_text("weight/read", timeout=WAIT)
    expect(replay.locator(".tfteach-replay-current")).to_contain_text(
        "weight/read reads the variable weight = 0.8", timeout=WAIT)
    _wait_highlighted(page, graph, '["weight/read"]')

    replay.locator("button.widget-button", has_text="Next").click()
    expect(label).to_contain_text("step 3 of 59 · forward", timeout=WAIT)
    expect(replay.locator(".tfteach-replay-current")).to_contain_text(
        "output = weight × input = 0.8 × 1.0 = 0.8", timeout=WAIT)
    _wait_highlighted(page, graph, '["output"]')
    _screenshot(replay, tmp_path, "replay-step-3.png")
