"""A drawing's size in the notebook: scaled to the output area, notes under it, zoomed windows.

JupyterLab shows an `image/svg+xml` output as an <img> at the SVG's own size and cuts off what
is wider than the output area, so a 3744-px graph showed its top-left corner only. Here the root
<svg> of either renderer (Graphviz's or the built-in one) is rewritten: a picture wider than
the output area gets `width="100%"` (the viewBox keeps its proportions; no script needed, so it
works in a static render too), a smaller one keeps its natural size. `drawing.py` chooses a view
whose labels stay legible at that scale; `window` cuts a zoomed part out of a picture.
"""
import html
import re
import textwrap

NOTEBOOK_PX = 1000   # the default width of a JupyterLab output area (a 1440-px window)
FIT_PX = 800         # pictures wider than this are scaled to the output area's width, so that
                     # they fit narrower ones too (848 px: a 1280-px window, file browser open)
PX_PER_UNIT = 4 / 3  # both renderers use points: 1 viewBox unit = 1 pt = 4/3 px at natural size
LABEL_PT = 9         # the smallest node label (a constant's value; op names are 10 pt)
MIN_LABEL_PX = 9     # held at the default width
# the widest picture whose 9-pt labels are still 9 px when it is scaled to NOTEBOOK_PX: 1000 units
MAX_UNITS = NOTEBOOK_PX * LABEL_PT / MIN_LABEL_PX
NOTE_PT = 10         # the notes under a picture, in viewBox units at the natural size
CHAR_UNITS = NOTE_PT * 0.5  # the average width of a character of the notes (Helvetica)
NOTE_WIDTH = 360     # notes wrap at the picture's width, and at least at this many units
_ROOT = re.compile(r"<svg\b[^>]*>")
_NUMBER = r"-?\d+(?:\.\d+)?"


def view_box(svg):
    """(x, y, width, height) of the root <svg>'s viewBox."""
    root = _ROOT.search(svg).group(0)
    return tuple(float(v) for v in re.search(r'viewBox="([^"]*)"', root).group(1).split())


def scale_at_default_width(svg):
    """Screen px per viewBox unit when the picture is shown in a NOTEBOOK_PX output area."""
    width = view_box(svg)[2]
    return PX_PER_UNIT if width * PX_PER_UNIT <= FIT_PX else NOTEBOOK_PX / width


def fitted(svg, notes=(), colours=("#ffffff", "#6e6e6e"), attrs=None):
    """`svg` with `notes` (lines) written under the picture, sized for the notebook.

    colours: (background, text) of the notes; attrs: extra attributes of the root, e.g.
    {"data-focus": "Softmax"} for tests and tools that look for a node.
    """
    x, y, width, height = view_box(svg)
    line = NOTE_PT * 1.35
    texts = []
    width = max(width, NOTE_WIDTH) if notes else width
    notes = [part for note in notes for part in textwrap.wrap(note, int((width - 16) / CHAR_UNITS))]
    if notes:
        top = y + height
        height += line * len(notes) + 8
        texts.append(f'<rect class="notes" x="{x:g}" y="{top:g}" width="{width:g}" '
                     f'height="{y + height - top:g}" fill="{colours[0]}"/>')
        for i, note in enumerate(notes):
            texts.append(f'<text class="note" x="{x + 8:g}" y="{top + line * (i + 1):g}" '
                         f'font-family="Helvetica,Arial,sans-serif" font-size="{NOTE_PT}" '
                         f'fill="{colours[1]}">{html.escape(note)}</text>')
    natural = width * PX_PER_UNIT
    size = ('width="100%"' if natural > FIT_PX else
            f'width="{width:g}pt" height="{height:g}pt"')
    extra = "".join(f' {k}="{html.escape(str(v))}"' for k, v in (attrs or {}).items())
    root = (f'<svg {size} viewBox="{x:g} {y:g} {width:g} {height:g}" '
            f'xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"{extra}>')
    body = svg[_ROOT.search(svg).end():]
    end = body.rfind("</svg>")
    return root + body[:end] + "".join(texts) + body[end:]


def node_box(svg, node_id):
    """(x0, y0, x1, y1) of the node `node_id` in viewBox units, or None if it is not drawn.

    The built-in renderer writes `data-box`; Graphviz writes shapes inside a translated group,
    so their points are read and moved by that translation.
    """
    esc = re.escape(html.escape(node_id, quote=False))
    built_in = re.search(r'data-id="' + esc + r'"[^>]*data-box="([^"]*)"', svg)
    if built_in:
        return tuple(float(v) for v in built_in.group(1).split(","))
    group = re.search(r'<g id="[^"]*" class="node">\s*<title>' + esc + r'</title>(.*?)</g>', svg, re.S)
    if not group:
        return None
    shapes = re.findall(r'(?:points|d)="([^"]*)"', group.group(1))
    numbers = [float(v) for s in shapes for v in re.findall(_NUMBER, s)]
    xs, ys = numbers[0::2], numbers[1::2]
    if not xs:
        return None
    move = re.search(r'class="graph" transform="[^"]*translate\((' + _NUMBER + r') (' + _NUMBER + r')\)',
                     svg)
    dx, dy = (float(move.group(1)), float(move.group(2))) if move else (0.0, 0.0)
    return min(xs) + dx, min(ys) + dy, max(xs) + dx, max(ys) + dy


def window(svg, node_id, scale=1.0, height_px=560):
    """A FIT_PX-wide window of `svg` around node `node_id`, at `scale` x the natural size.

    The whole picture stays in the SVG; only the viewBox moves, so the result is a plain
    picture (no script). Raises KeyError if the node is not drawn.
    """
    box = node_box(svg, node_id)
    if box is None:
        raise KeyError(node_id)
    x, y, width, height = view_box(svg)
    units = PX_PER_UNIT * scale
    w, h = min(width, FIT_PX / units), min(height, height_px / units)
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    left = min(max(cx - w / 2, x), x + width - w)
    top = min(max(cy - h / 2, y), y + height - h)
    root = (f'<svg width="{w * units:g}px" height="{h * units:g}px" viewBox="{left:g} {top:g} {w:g} {h:g}" '
            f'xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">')
    return root + svg[_ROOT.search(svg).end():]
