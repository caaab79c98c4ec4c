"""DOT text -> SVG (or PNG, PDF) with Graphviz's `dot` program, or SVG without it.

The only module here that runs a program. When `dot` is missing (or fails), `builtin_svg`
draws the same Scene with tfteach's own small layout (`layout.py`, `svg.py`) and a one-line
note; `RenderError` carries the one line to show when there is no picture at all.
"""
import re
import shutil
import subprocess

INSTALL_HINT = ("(no picture: install Graphviz's `dot` program to draw graphs, e.g. "
                "`apt-get install graphviz`, `brew install graphviz` or `conda install graphviz`)")
NO_DOT_NOTE = "Drawn without Graphviz; installing it gives the full drawing (apt-get install graphviz)."
TIMEOUT = 60  # seconds; a teaching graph takes well under one
BUILTIN_MAX_NODES = 400  # the built-in layout takes about a second for this many


class RenderError(Exception):
    """Why there is no picture, as the one line to show in its place."""


def find_dot():
    """The path of the `dot` program, or None. Tests replace this to simulate its absence."""
    return shutil.which("dot")


def run_dot(source, fmt="svg"):
    """Run `dot -T<fmt>` on DOT `source` and return the output bytes (raises RenderError)."""
    dot = find_dot()
    if dot is None:
        raise RenderError(INSTALL_HINT)
    try:
        done = subprocess.run([dot, f"-T{fmt}"], input=source.encode(), capture_output=True,
                              timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        raise RenderError(f"(no picture: dot took over {TIMEOUT} s; draw less, e.g. "
                          "show_graph(g, depth=1) or gradients='hide')") from None
    except OSError as e:
        raise RenderError(f"(no picture: could not run {dot}: {e})") from None
    if done.returncode != 0:
        first = (done.stderr.decode(errors="replace").strip().splitlines() or ["no message"])[0]
        raise RenderError(f"(no picture: dot failed: {first})")
    return done.stdout


def svg(source):
    """The SVG text for DOT `source`: just the <svg> element, ready for Jupyter."""
    text = run_dot(source, "svg").decode()
    text = text[max(text.find("<svg"), 0):]
    return re.sub(r"<!-- .*? -->\n", "", text)  # dot's comment per node and edge: size only


def builtin_svg(scene, note=NO_DOT_NOTE):
    """SVG for a Scene from the built-in layout, no Graphviz needed (raises RenderError
    for scenes too big for it)."""
    if len(scene.nodes) > BUILTIN_MAX_NODES:
        raise RenderError(f"(no picture: {len(scene.nodes)} nodes are too many for the drawing "
                          f"without Graphviz; draw less, e.g. show_graph(g, depth=1), or install "
                          f"Graphviz: apt-get install graphviz)")
    from .svg import to_svg
    return to_svg(scene, note)
