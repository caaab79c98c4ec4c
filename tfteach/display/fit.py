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
import xml.etree.ElementTree as ET

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
SVG_NS = "{http://www.w3.org/2000/svg}"


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

    `svg`: SVG text or its parsed root. The built-in renderer writes `data-box`; Graphviz
    writes shapes inside a group moved by a transform, so their points are read and moved.
    """
    root = ET.fromstring(svg) if isinstance(svg, str) else svg
    transform = _identity
    for g in root.iter(SVG_NS + "g"):
        classes = g.get("class", "").split()
        if "graph" in classes and g.get("transform"):   # dot: the whole picture is moved
            transform = _transform(g.get("transform"))
        if "node" not in classes:
            continue
        title = g.find(SVG_NS + "title")
        if title is None or title.text != node_id:
            continue
        if g.get("data-box"):                            # the built-in layout says where
            return tuple(float(v) for v in g.get("data-box").split(","))
        points = []
        for shape in g:
            tag = shape.tag[len(SVG_NS):]
            if tag in ("polygon", "polyline"):
                nums = _numbers(shape.get("points"))
            elif tag == "path":
                nums = _numbers(shape.get("d"))
            elif tag == "ellipse":
                cx, cy, rx, ry = (float(shape.get(a)) for a in ("cx", "cy", "rx", "ry"))
                nums = [cx - rx, cy - ry, cx + rx, cy + ry]
            else:
                continue
            points += [transform(a, b) for a, b in zip(nums[::2], nums[1::2])]
        if points:
            xs, ys = [p[0] for p in points], [p[1] for p in points]
            return min(xs), min(ys), max(xs), max(ys)
    return None


def _transform(text):
    """dot's 'scale(s s) rotate(0) translate(tx ty)' as a function of a point."""
    sx = sy = 1.0
    tx = ty = 0.0
    for part in text.split(")"):
        name, _, args = part.strip().partition("(")
        nums = _numbers(args)
        if name == "scale" and nums:
            sx, sy = nums[0], nums[-1]
        elif name == "translate" and nums:
            tx, ty = nums[0], (nums[1] if len(nums) > 1 else 0.0)
    return lambda x, y: (sx * (x + tx), sy * (y + ty))


def _identity(x, y):
    return x, y


def _numbers(text):
    """The numbers in an SVG attribute ('M24.3,-73.5C...', '1,2 3,4')."""
    spaced = "".join(ch if ch in "0123456789." else " -" if ch == "-" else " " for ch in text)
    return [float(v) for v in spaced.split()]


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
