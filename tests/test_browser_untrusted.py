"""Issue 20 in a real browser: lesson 3 as downloaded (untrusted) and the stepper on the dark theme.

An untrusted notebook shows its stored outputs as sanitized HTML or text: the error's
explanation must come out whole (its drawing an <img>, no stray SVG labels) and above the
traceback. On JupyterLab's dark theme, the stepper's hint and status must stay readable.
"""
import os

import pytest

from jupyterlab_browser import jupyter_lab, lab_page, open_and_run_all  # noqa: F401

pytestmark = pytest.mark.browser
WAIT = 120_000  # ms: a busy 2-core machine


def _screenshot(locator, tmp_path, name):
    """Into pytest's tmp dir, and $TFTEACH_SCREENSHOTS when set (as test_browser_stepper.py)."""
    locator.screenshot(path=str(tmp_path / name))
    if os.environ.get("TFTEACH_SCREENSHOTS"):
        os.makedirs(os.environ["TFTEACH_SCREENSHOTS"], exist_ok=True)
        locator.screenshot(path=os.path.join(os.environ["TFTEACH_SCREENSHOTS"], name))


def _open(page, base_url, notebook):
    """Open `notebook` without running it, every cell rendered."""
    from playwright.sync_api import expect
    page.goto(f"{base_url}/lab/tree/{notebook}", wait_until="domcontentloaded")
    expect(page.locator(".jp-NotebookPanel")).to_be_visible(timeout=WAIT)
    page.wait_for_function("""() => {
        const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
        return w && w.context && w.context.isReady && w.content.widgets.length > 1;
    }""", timeout=WAIT)


def test_lesson3_untrusted_shows_the_explanation_then_the_traceback(jupyter_lab, lab_page, tmp_path):  # noqa: F811
    from playwright.sync_api import expect
    page = lab_page
    _open(page, jupyter_lab, "notebooks/03_graphs_sessions_gradients.ipynb")
    trusted = page.evaluate("""() => window.jupyterapp.shell.currentWidget.content.widgets
        .filter(c => c.model.type === 'code' && c.model.outputs.length).map(c => c.model.trusted)""")
    assert trusted and not any(trusted), "the lesson should open untrusted, as downloaded"

    cell = page.locator(".jp-CodeCell").filter(has_text="Why sess.run failed").first
    expect(cell).to_be_attached(timeout=WAIT)
    cell.scroll_into_view_if_needed()
    outputs = cell.locator(".jp-OutputArea-output")
    expect(outputs).to_have_count(2, timeout=WAIT)
    explanation, traceback = outputs.nth(0), outputs.nth(1)
    expect(explanation).to_contain_text("Why sess.run failed (the FailedPreconditionError is below):")
    expect(traceback).to_contain_text("FailedPreconditionError: Attempting to use uninitialized value Variable")
    text = cell.locator(".jp-Cell-outputArea").inner_text()
    assert "tfgraph" not in text and "VariableV2" not in text, text  # no SVG labels left behind
    assert text.count("Attempting to use uninitialized value Variable") == 1
    assert "tfteach/" not in text  # no tfteach frames
    # the drawing survived the sanitizer as an image, and the browser could draw it
    img = explanation.locator("img")
    expect(img).to_have_count(1)
    page.wait_for_function("(img) => img.complete && img.naturalWidth > 0", arg=img.element_handle(),
                           timeout=WAIT)
    # where the stepper widget cannot show, its text says what it is
    expect(page.locator(".jp-OutputArea-output", has_text="<GradientDescentStepper").first) \
        .to_contain_text("(an interactive widget: run the cell in Jupyter to use it)")
    _screenshot(cell, tmp_path, "lesson3-untrusted-error.png")


def _luminance(rgb):
    def channel(c):
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(float(c)) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(fg, bg):
    """WCAG contrast ratio; `fg` may be rgba (the theme's secondary text is translucent)."""
    alpha = fg[3] if len(fg) > 3 else 1.0
    fg = [alpha * f + (1 - alpha) * b for f, b in zip(fg, bg)]
    hi, lo = sorted([_luminance(fg), _luminance(bg)], reverse=True)
    return (hi + 0.05) / (lo + 0.05)


COLOURS = """(el) => {
    const rgb = (s) => s.match(/[\\d.]+/g).slice(0, 4).map(Number);
    let node = el, bg = null;
    while (node) {   // the first ancestor with an opaque background
        const c = rgb(getComputedStyle(node).backgroundColor);
        if (c.length < 4 || c[3] > 0) { bg = c.slice(0, 3); break; }
        node = node.parentElement;
    }
    const probe = document.createElement('div');   // the status's colour, in the same place
    probe.setAttribute('style', 'color:var(--jp-error-color1, #b00020)');
    el.appendChild(probe);
    const status = rgb(getComputedStyle(probe).color);
    probe.remove();
    return {hint: rgb(getComputedStyle(el).color), status, bg};
}"""


def test_stepper_hint_is_readable_on_the_dark_theme(jupyter_lab, lab_page, tmp_path):  # noqa: F811
    from playwright.sync_api import expect
    page = lab_page
    open_and_run_all(page, jupyter_lab, "gradient_descent.ipynb")
    stepper = page.locator(".tfteach-stepper").first
    hint = stepper.locator(".tfteach-update div").first
    expect(hint).to_contain_text("Press Step", timeout=WAIT)   # the last cell resets the stepper
    page.evaluate("() => window.jupyterapp.commands.execute('apputils:change-theme', "
                  "{theme: 'JupyterLab Dark'})")
    page.wait_for_function("() => document.body.dataset.jpThemeLight === 'false'", timeout=WAIT)
    # the dark stylesheet arrives after the flag: wait until the hint's background is dark
    page.wait_for_function(f"(el) => {{ const c = ({COLOURS})(el).bg; return c[0] + c[1] + c[2] < 150; }}",
                           arg=hint.element_handle(), timeout=WAIT)
    stepper.scroll_into_view_if_needed()
    colours = hint.evaluate(COLOURS)
    assert _luminance(colours["bg"]) < 0.1, colours              # the dark theme is on
    assert _contrast(colours["hint"], colours["bg"]) >= 4.5, colours
    assert _contrast(colours["status"], colours["bg"]) >= 3, colours
    _screenshot(stepper, tmp_path, "stepper-dark.png")
