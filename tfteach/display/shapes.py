"""How big things are in the no-dot drawing: font metrics, label lines, node boxes.

Sizes are in points (1/72 in, the unit of dot's SVG). Shared by `layout.py`, which needs the
sizes, and `svg.py`, which draws the labels the same way.
"""
TITLE, SUBTITLE, VALUE, CONST_TITLE, EDGE_LABEL, SCOPE_LABEL = 10, 8, 9, 9, 8, 9
LINE = 1.25            # line height / font size
NODE_SEP = 14          # between two boxes in a rank
DUMMY_SEP = 6          # between an edge and anything else in a rank
RANK_GAP = 9           # between two ranks (each edge spans two: a label fits between)
PAD = 6                # a scope box's margin around its contents
MARGIN = 10            # around the whole picture
CYLINDER_CAP = 5       # the height of a variable's elliptic top

# Helvetica's advance widths (per 1000 em) for ' ' .. '~'; Arial has the same metrics.
_REGULAR = [278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
            556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
            1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
            667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
            333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
            556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584]
_BOLD = [278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278,
         556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611,
         975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778,
         667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556,
         333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611,
         611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584]


def text_width(text, size, bold=False):
    """The width of `text` in points, from Helvetica's metrics (no font files needed)."""
    table = _BOLD if bold else _REGULAR
    units = sum(table[ord(ch) - 32] if 32 <= ord(ch) <= 126 else 1000 if ch == "…" else 600
                for ch in text)
    return units * size / 1000 * 1.04  # a little room for fallback fonts that run wider


def label_lines(node):
    """[(text, size, bold, colour or None for the theme's)] of a node's label, top to bottom."""
    const = node.kind == "const"
    out = [(node.title, CONST_TITLE if const else TITLE, not const, None)]
    if node.subtitle:
        out.append((node.subtitle, SUBTITLE, False, "dim"))
    out += [(text, VALUE, False, colour) for text, colour in node.lines]
    return out


def node_size(node):
    """(width, height) of a node's box: its label plus the margins its shape needs."""
    lines = label_lines(node)
    w = max(text_width(t, s, b) for t, s, b, _ in lines)
    h = sum(s * LINE for _, s, _, _ in lines)
    if node.kind == "const":
        return max(w + 8, 24), h + 4
    w, h = max(w + 16, 40), max(h + 8, 26)
    if node.kind == "placeholder":
        w, h = w + 6, h + 6   # room for the double border
    elif node.kind in ("variable", "variable_scope"):
        h += 2 * CYLINDER_CAP
    elif node.kind == "scope":
        w, h = w + 4, h + 4   # the 3-D box's depth
    return w, h
