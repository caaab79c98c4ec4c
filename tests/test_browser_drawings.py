"""Every graph a lesson draws, as a learner sees it: JupyterLab in Chromium, Run All, then each
picture measured where it is shown.

For every `image/svg+xml` output (JupyterLab shows it as an <img>): it is no wider than its
output area, every node's label (its name) is at least 9 px on screen, and the nodes the cell names
with `focus=` (the picture's `data-focus`) lie inside the visible output area. The window is
1440 px wide, which gives the output area the 1000 px the drawings are made for.
With TFTEACH_SCREENSHOTS=<folder>, a screenshot of each drawing is saved there too.
"""
import os
import re
import urllib.parse

import pytest

from jupyterlab_browser import jupyter_lab, lab_page, open_and_run_all  # noqa: F401
from tfteach.display import fit

pytestmark = pytest.mark.browser
NOTEBOOKS = ["notebooks/01_hello_neuron.ipynb", "notebooks/02_numpy_and_graphs.ipynb",
             "notebooks/03_graphs_sessions_gradients.ipynb",
             "notebooks/04_training_a_classifier.ipynb", "notebooks/05_char_rnn.ipynb", "graph_view.ipynb",
             "backprop_replay.ipynb"]
WAIT = 300_000  # ms: a whole lesson runs first, on a busy 2-core machine

PICTURES = """() => Array.from(document.querySelectorAll('.jp-RenderedSVG img')).map(img => {
    const area = img.closest('.jp-OutputArea-output').getBoundingClientRect();
    const r = img.getBoundingClientRect();
    const cell = img.closest('.jp-Cell');
    const cells = Array.from(document.querySelectorAll('.jp-Notebook .jp-Cell'));
    return {src: img.src, left: r.left, width: r.width, areaLeft: area.left, areaWidth: area.width,
            cell: cells.indexOf(cell)};
})"""

DONE = """() => {
    const w = window.jupyterapp.shell.currentWidget;
    const kernel = w.sessionContext.session && w.sessionContext.session.kernel;
    const cells = w.content.widgets.filter(c => c.model.type === 'code');
    return kernel && kernel.status === 'idle' && cells.every(c => c.model.executionCount !== null);
}"""


def node_label_sizes(svg):
    """The font size (viewBox units) of each node's label: its name, the largest text in the
    node's group (the op type and values under it are smaller), both renderers."""
    nodes = re.findall(r'<g [^>]*class="node[^"]*"[^>]*>(.*?)</g>', svg, re.S)
    sizes = [[float(v) for v in re.findall(r'font-size="([\d.]+)"', n)] for n in nodes]
    return [max(s) for s in sizes if s]


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_every_drawing_fits_and_is_legible(jupyter_lab, lab_page, notebook):  # noqa: F811
    page = lab_page
    page.set_viewport_size({"width": 1440, "height": 1000})
    open_and_run_all(page, jupyter_lab, notebook)
    page.wait_for_function(DONE, timeout=WAIT, polling=1000)
    page.wait_for_timeout(1000)  # the last outputs are painted
    pictures = page.evaluate(PICTURES)
    assert pictures, f"{notebook}: no drawing rendered"
    keep = os.environ.get("TFTEACH_SCREENSHOTS")  # a folder: a screenshot of every drawing
    if keep:
        for img, p in zip(page.locator(".jp-RenderedSVG img").all(), pictures):
            img.scroll_into_view_if_needed()
            name = os.path.basename(notebook).replace(".ipynb", "")
            img.screenshot(path=os.path.join(keep, f"{name}-cell{p['cell']}.png"))
    problems = []
    for p in pictures:
        svg = urllib.parse.unquote(p["src"].split(",", 1)[1])
        where = f"{notebook} cell {p['cell']}"
        assert 950 <= p["areaWidth"] <= 1100, f"{where}: output area {p['areaWidth']} px, not ~1000"
        if p["width"] > p["areaWidth"] + 0.5:
            problems.append(f"{where}: {p['width']:.0f} px wide in a {p['areaWidth']:.0f} px area")
        x, y, width, height = fit.view_box(svg)
        px_per_unit = p["width"] / width
        sizes = node_label_sizes(svg)
        if sizes and min(sizes) * px_per_unit < fit.MIN_LABEL_PX - 0.01:
            problems.append(f"{where}: labels of {min(sizes) * px_per_unit:.1f} px (the picture "
                            f"{width:.0f} units in {p['width']:.0f} px of a {p['areaWidth']:.0f} px area)")
        focus = re.search(r'<svg[^>]* data-focus="([^"]*)"', svg)
        for node_id in (focus.group(1).split() if focus else []):
            box = fit.node_box(svg, node_id)
            assert box is not None, f"{where}: focus {node_id} is not drawn"
            left = p["left"] + (box[0] - x) * px_per_unit
            right = p["left"] + (box[2] - x) * px_per_unit
            if left < p["areaLeft"] - 0.5 or right > p["areaLeft"] + p["areaWidth"] + 0.5:
                problems.append(f"{where}: focus {node_id} at {left:.0f}-{right:.0f} px, outside "
                                f"the output area {p['areaLeft']:.0f}-{p['areaLeft'] + p['areaWidth']:.0f}")
    assert not problems, "\n".join(problems)
