"""The replay's picture follows the active op in a real browser: JupyterLab, headless Chromium.

Runs widgets/backprop_replay.ipynb, presses Next on the 2-layer net past the first screen
(12 presses and more), and checks with getBoundingClientRect that the node drawn with the
highlight colour lies inside the picture box each time. Run it once with Graphviz's `dot` on
PATH and once without (a PATH with no `dot`: the kernel then draws with the built-in layout):

    TFTEACH_BROWSER=required .venv/bin/python -m pytest -p no:cacheprovider -m browser \
        tests/test_replay_browser.py
"""
import os
import shutil

import pytest

from jupyterlab_browser import jupyter_lab, lab_page, open_and_run_all  # noqa: F401

pytestmark = pytest.mark.browser
WAIT = 60_000  # ms: generous, for a busy 2-core machine
PRESSES = 14
WHERE = """(root) => {
    // the highlighted node's box and the visible picture (the window's <svg>, clipped to the
    // picture box), in the page's pixels
    const outer = root.getBoundingClientRect();
    const win = root.querySelector('svg.tfteach-replay-window').getBoundingClientRect();
    const box = {left: Math.max(outer.left, win.left), top: Math.max(outer.top, win.top),
                 right: Math.min(outer.right, win.right), bottom: Math.min(outer.bottom, win.bottom)};
    for (const g of root.querySelectorAll('svg g.node')) {
        if (g.querySelector('[stroke="#d62728"]')) {
            const r = g.getBoundingClientRect();
            return {name: g.querySelector('title').textContent,
                    node: [r.left, r.top, r.right, r.bottom],
                    box: [box.left, box.top, box.right, box.bottom],
                    builtin: root.innerHTML.includes('Drawn without Graphviz')};
        }
    }
    return null;
}"""


def test_next_keeps_the_active_op_in_view(jupyter_lab, lab_page, tmp_path):  # noqa: F811
    from playwright.sync_api import expect
    page = lab_page
    open_and_run_all(page, jupyter_lab, "backprop_replay.ipynb")
    expect(page.locator(".jp-OutputArea-output").last).to_contain_text(
        "too many to replay even one top-level name scope", timeout=WAIT)
    net = page.locator(".tfteach-replay").nth(2)           # the 2-layer net, by scope
    label = net.locator(".tfteach-replay-position")
    graph = net.locator(".tfteach-replay-graph")
    expect(label).to_contain_text("step 1 of 22 · forward", timeout=WAIT)
    seen = []
    for press in range(1, PRESSES + 1):
        net.locator("button.widget-button", has_text="Next").click()
        expect(label).to_contain_text(f"step {press + 1} of 22", timeout=WAIT)
        # the picture for this step has arrived: its caption names the step
        page.wait_for_function(
            "([root, text]) => root.innerHTML.includes(text)",
            arg=[graph.element_handle(), f"step {press + 1} of 22"], polling=250, timeout=WAIT)
        graph.scroll_into_view_if_needed()
        where = graph.evaluate(WHERE)
        assert where is not None, f"no highlighted node after {press} presses"
        (nx0, ny0, nx1, ny1), (bx0, by0, bx1, by1) = where["node"], where["box"]
        assert bx0 - 1 <= nx0 and nx1 <= bx1 + 1 and by0 - 1 <= ny0 and ny1 <= by1 + 1, (press, where)
        assert bx1 - bx0 <= 760          # the window is at most 740 px wide
        seen.append(where["name"])
        assert where["builtin"] == (shutil.which("dot") is None)
    assert len(set(seen)) > 5            # the highlight moved along the graph
    for path in [tmp_path / "replay-net-step-15.png"] + (
            [os.path.join(os.environ["TFTEACH_SCREENSHOTS"], "replay-net-step-15.png")]
            if os.environ.get("TFTEACH_SCREENSHOTS") else []):
        net.screenshot(path=str(path))
