"""DOT text -> SVG (or PNG, PDF) with Graphviz's `dot` program, and what to say without it.

The only module here that runs a program. When `dot` is missing or fails, `RenderError`
carries a one-line hint that the display shows instead of a picture.
"""
import re
import shutil
import subprocess

INSTALL_HINT = ("(no picture: install Graphviz's `dot` program to draw graphs, e.g. "
                "`apt-get install graphviz`, `brew install graphviz` or `conda install graphviz`)")
TIMEOUT = 60  # seconds; a teaching graph takes well under one


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
