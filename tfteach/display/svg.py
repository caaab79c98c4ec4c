"""Scene + Layout -> SVG text: the picture drawn without Graphviz.

Draws what `dot.py` would ask Graphviz to draw, from the same Scene: the same shapes and
colours, at the places `layout.py` found. Every element carries its name in a `<title>`
(a tooltip) and a few `data-` attributes (a node's rank, scope box and outline; an edge's
ends; class "back" on an edge drawn against the ranks), so tests can read the geometry back.
Decorations: greyed-out nodes and edges (class "dim"), side labels (class "xlabel", inside
their node's group, as dot draws them) and the caption (class "caption") above the picture.
"""
import html

from .layout import layout, text_block
from .shapes import (CYLINDER_CAP, EDGE_LABEL, LINE, MARGIN, SCOPE_LABEL, label_lines,
                     text_width)

FONT = "Helvetica,Arial,sans-serif"
NOTE = 9  # font size of the note under the picture
DEPTH = 4  # of a collapsed scope's 3-D box


def to_svg(scene, note=None):
    """The SVG text of a Scene laid out by `layout.layout`, with `note` (one line) below."""
    where = layout(scene)
    p = scene.palette
    width, height = where.width, where.height
    if note:
        width = max(width, text_width(note, NOTE) + 2 * MARGIN)
        height += NOTE * LINE + 4
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{_n(width)}pt" height="{_n(height)}pt" '
           f'viewBox="0 0 {_n(width)} {_n(height)}" font-family="{FONT}">',
           f'<rect class="background" width="{_n(width)}" height="{_n(height)}" fill="{p["bg"]}"/>']
    if scene.caption:
        out += _texts(scene.caption, MARGIN, MARGIN, p, "caption")
    _clusters(scene.root, where, p, out)
    for route in where.routes:
        out += _edge(route, p)
    scope = {}
    _scopes(scene.root, scope)
    for node in scene.nodes:
        out += _node(node, where, p, scope[node.id])
    if note:
        out.append(f'<text class="note" x="{MARGIN}" y="{_n(height - 6)}" font-size="{NOTE}" '
                   f'fill="{p["dim"]}">{_esc(note)}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _clusters(cluster, where, p, out):
    for c in cluster.children:  # outer boxes first, so inner ones are painted on top
        x0, y0, x1, y1 = where.clusters[c.path]
        # a while loop's frame: a thicker border, its title bold in the border's colour
        kind, pen, colour, weight = (("cluster frame", 2, c.border, ' font-weight="bold"')
                                     if c.frame else ("cluster", 1, p["dim"], ""))
        out += [f'<g class="{kind}" data-path="{_esc(c.path)}"><title>{_esc(c.path)}</title>',
                f'<rect x="{_n(x0)}" y="{_n(y0)}" width="{_n(x1 - x0)}" height="{_n(y1 - y0)}" '
                f'rx="4" fill="{c.fill}" stroke="{c.border}" stroke-width="{pen}"/>',
                f'<text x="{_n(x0 + 6)}" y="{_n(y0 + SCOPE_LABEL * LINE + 2)}" '
                f'font-size="{SCOPE_LABEL}" fill="{colour}"{weight}>{_esc(c.label)}</text></g>']
        _clusters(c, where, p, out)


def _scopes(cluster, scope):
    for node in cluster.nodes:
        scope[node.id] = cluster.path
    for c in cluster.children:
        _scopes(c, scope)


# ---- nodes -------------------------------------------------------------------------------
def _node(node, where, p, scope):
    x, y, w, h = where.nodes[node.id]
    x0, y0, x1, y1 = x - w / 2, y - h / 2, x + w / 2, y + h / 2
    pen = 3 if node.highlight else 1.5 if node.kind in ("placeholder", "variable", "scope",
                                                        "variable_scope") else 1
    fill, border, text = p["grey"] if node.dim else (node.fill, node.border, p["text"])
    paint = f'fill="{fill}" stroke="{border}" stroke-width="{pen}"'
    if node.skipped:
        paint += ' stroke-dasharray="5,2"'
    classes = "node dim" if node.dim else "node"
    out = [f'<g class="{classes}" data-id="{_esc(node.id)}" data-kind="{node.kind}" '
           f'data-rank="{where.ranks[node.id]}" data-scope="{_esc(scope)}" '
           f'data-box="{_n(x0)},{_n(y0)},{_n(x1)},{_n(y1)}"><title>{_esc(node.id)}</title>']
    if node.kind in ("variable", "variable_scope"):
        cap, rx = CYLINDER_CAP, w / 2
        out.append(f'<path d="M{_n(x0)},{_n(y0 + cap)} A{_n(rx)},{cap} 0 0 1 {_n(x1)},{_n(y0 + cap)} '
                   f'V{_n(y1 - cap)} A{_n(rx)},{cap} 0 0 1 {_n(x0)},{_n(y1 - cap)} Z" {paint}/>')
        out.append(f'<path d="M{_n(x0)},{_n(y0 + cap)} A{_n(rx)},{cap} 0 0 0 {_n(x1)},{_n(y0 + cap)}" '
                   f'fill="none" stroke="{border}" stroke-width="{pen}"/>')
    elif node.kind == "scope":  # a 3-D box: the front face, then the top and the side
        d = DEPTH
        out.append(f'<rect x="{_n(x0)}" y="{_n(y0 + d)}" width="{_n(w - d)}" height="{_n(h - d)}" {paint}/>')
        out.append(f'<path d="M{_n(x0)},{_n(y0 + d)} L{_n(x0 + d)},{_n(y0)} H{_n(x1)} V{_n(y1 - d)} '
                   f'L{_n(x1 - d)},{_n(y1)} M{_n(x1 - d)},{_n(y0 + d)} L{_n(x1)},{_n(y0)}" {paint}/>')
        x, y = x - d / 2, y + d / 2
    else:
        rx = 4 if node.kind == "op" else 0
        out.append(f'<rect x="{_n(x0)}" y="{_n(y0)}" width="{_n(w)}" height="{_n(h)}" rx="{rx}" {paint}/>')
        if node.kind == "placeholder":  # dot's peripheries=2: a second border inside
            out.append(f'<rect x="{_n(x0 + 3)}" y="{_n(y0 + 3)}" width="{_n(w - 6)}" '
                       f'height="{_n(h - 6)}" fill="none" stroke="{border}" stroke-width="1"/>')
    lines = label_lines(node)
    total = sum(size * LINE for _, size, _, _ in lines)
    baseline = y - total / 2
    for line, size, bold, colour in lines:
        baseline += size * LINE
        fill = text if colour is None else p["dim"] if colour == "dim" else colour
        weight = ' font-weight="bold"' if bold else ""
        out.append(f'<text x="{_n(x)}" y="{_n(baseline - size * 0.3)}" text-anchor="middle" '
                   f'font-size="{size}"{weight} fill="{fill}">{_esc(line)}</text>')
    if node.id in where.xlabels:
        x0, y0, _, _ = where.xlabels[node.id]
        out += _texts(node.xlabel, x0, y0, p, "xlabel")
    out.append("</g>")
    return out


def _texts(texts, x0, y0, p, cls):
    """[Text] lines, left-aligned from (x0, y0) down, in a group of class `cls`."""
    w, h = text_block(texts)
    out = [f'<g class="{cls}" data-box="{_n(x0)},{_n(y0)},{_n(x0 + w)},{_n(y0 + h)}">']
    baseline = y0
    for t in texts:
        baseline += t.size * LINE
        weight = ' font-weight="bold"' if t.bold else ""
        out.append(f'<text x="{_n(x0)}" y="{_n(baseline - t.size * 0.3)}" font-size="{t.size}"'
                   f'{weight} fill="{t.colour or p["text"]}">{_esc(t.text)}</text>')
    out.append("</g>")
    return out


# ---- edges -------------------------------------------------------------------------------
def _edge(route, p):
    """A curve through the route's points, an arrowhead (a circle for a control edge) at
    the end the edge points to, and the label beside it."""
    e = route.edge
    colour = e.color or p["edge"]
    pen = 2.2 if e.kind == "ref" else 1.6 if e.kind == "next" else 1
    classes = "edge" + (" back" if route.upward or route.flat else "")
    if e.dim:
        colour = p["grey"][1]
        classes += " dim"
    out = [f'<g class="{classes}" data-tail="{_esc(e.tail)}" data-head="{_esc(e.head)}" '
           f'data-kind="{e.kind}"><title>{_esc(e.tail)}&#8594;{_esc(e.head)}</title>']
    points, straight = list(route.points), route.straight
    if e.back:  # the arrow goes at the tail: the mirror's gradients flow up
        points.reverse()
        straight = {len(points) - i for i in straight}
    tip = points[-1]
    before = (tip[0], tip[1] - 25) if route.flat else points[-2]
    sign = 1 if tip[1] >= before[1] else -1
    length = 6 if e.kind == "control" else 7
    points[-1] = (tip[0], tip[1] - sign * length)
    if route.flat:
        (ax, ay), (bx, by) = points
        d = f"M{_n(ax)},{_n(ay)} C{_n(ax)},{_n(ay - 25)} {_n(bx)},{_n(by - 25)} {_n(bx)},{_n(by)}"
    else:
        d = _curve(points, straight)
    dash = ' stroke-dasharray="5,3"' if e.kind in ("control", "next") else ""
    out.append(f'<path d="{d}" fill="none" stroke="{colour}" stroke-width="{pen}"{dash}/>')
    tx, ty = tip
    if e.kind == "control":  # dot's "odot": an open circle
        out.append(f'<circle cx="{_n(tx)}" cy="{_n(ty - sign * 3)}" r="3" fill="{p["bg"]}" '
                   f'stroke="{colour}"/>')
    else:
        out.append(f'<polygon points="{_n(tx)},{_n(ty)} {_n(tx - 3)},{_n(ty - sign * length)} '
                   f'{_n(tx + 3)},{_n(ty - sign * length)}" fill="{colour}" stroke="{colour}"/>')
    if e.label and route.label_at:
        lx, ly = route.label_at
        out.append(f'<text x="{_n(lx)}" y="{_n(ly + EDGE_LABEL * 0.35)}" font-size="{EDGE_LABEL}" '
                   f'fill="{colour if e.dim else e.fontcolor or p["dim"]}">{_esc(e.label)}</text>')
    out.append("</g>")
    return out


def _curve(points, straight):
    """A smooth curve through the points (Catmull-Rom, as cubic Beziers), leaving and
    entering boxes vertically, and straight where it passes a rank of boxes."""
    last = len(points) - 1

    def tangent(i):
        (px, py), (nx, ny) = points[max(i - 1, 0)], points[min(i + 1, last)]
        dy = (ny - py) / 2
        if i in (0, last):
            return 0.0, dy
        if i in straight or i + 1 in straight:  # along the straight piece
            (ax, ay), (bx, by) = (points[i - 1], points[i]) if i in straight else (points[i], points[i + 1])
            return (bx - ax) / (by - ay) * dy, dy
        x = points[i][0]
        if (px - x) * (nx - x) >= 0:  # a turn: no overshoot beyond it (monotone in x)
            return 0.0, dy
        return max(-3 * min(abs(x - px), abs(nx - x)), min((nx - px) / 2, 3 * min(abs(x - px), abs(nx - x)))), dy
    d = [f"M{_n(points[0][0])},{_n(points[0][1])}"]
    for i in range(last):
        (x0, y0), (x1, y1) = points[i], points[i + 1]
        if i + 1 in straight:
            d.append(f"L{_n(x1)},{_n(y1)}")
            continue
        (ax, ay), (bx, by) = tangent(i), tangent(i + 1)
        d.append(f"C{_n(x0 + ax / 3)},{_n(y0 + ay / 3)} {_n(x1 - bx / 3)},{_n(y1 - by / 3)} "
                 f"{_n(x1)},{_n(y1)}")
    return " ".join(d)


def _n(v):
    """Numbers with one decimal: short, and the same text on every machine."""
    text = f"{v:.1f}"
    if text.endswith(".0"):
        text = text[:-2]
    return "0" if text == "-0" else text


def _esc(text):
    return html.escape(str(text), quote=True)
