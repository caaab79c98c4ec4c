"""Scene -> DOT text: the pure function behind `show_graph` and a Graph's picture.

No I/O and no Graphviz here, and the same graph always gives the same text (node ids are op
names). Name scopes become `cluster_` boxes; the gradient ops are drawn as the forward graph's
mirror, each `<op>_grad` box beside its forward op, walking back up. What to draw is decided
in `scene.py`, shared with the no-dot SVG (`layout.py`, `svg.py`).
"""
import html

from .mirror import _gradient_calls  # noqa: F401  (its old home: tests import it from here)
from .scene import GRADIENTS, THEMES, build_scene, select  # noqa: F401

FONT = "Helvetica,Arial,sans-serif"


def to_dot(graph_or_tensors, values=None, gradients="mirror", depth=None, highlight=None,
           theme="light"):
    """DOT text for a graph, or for the subgraph that computes some tensors.

    Args:
      graph_or_tensors: a Graph; or a tensor, op, variable or name (or a list of them), to
        draw only the ops they depend on.
      values: a `values.RunValues` to print on the nodes, or None.
      gradients: "mirror" (gradient ops beside their forward ops, flowing back up),
        "inline" (coloured, laid out like any op) or "hide".
      depth: how many levels of name-scope boxes to open; deeper boxes are drawn as one
        node each. None opens them all.
      highlight: tensors, ops, variables or names to draw with a thick border.
      theme: "light" or "dark".
    Returns:
      The DOT source, a str. Example: `print(to_dot(tf.get_default_graph()))`.
    """
    return dot_text(build_scene(graph_or_tensors, values, gradients, depth, highlight, theme))


def dot_text(scene):
    """The DOT source of a Scene."""
    p = scene.palette
    lines = [
        "digraph tfgraph {",
        f'  graph [bgcolor="{p["bg"]}", fontname="{FONT}", fontsize=10, fontcolor="{p["dim"]}",'
        f' newrank=true, rankdir=TB, nodesep=0.25, ranksep=0.3, pad=0.2, labeljust=l];',
        f'  node [fontname="{FONT}", fontsize=10, fontcolor="{p["text"]}", penwidth=1];',
        f'  edge [fontname="{FONT}", fontsize=8, fontcolor="{p["dim"]}", color="{p["edge"]}",'
        f' arrowsize=0.6];',
    ]
    if any(n.xlabel for n in scene.nodes):
        lines.append("  forcelabels=true;")  # side labels even where they touch something
    if scene.caption:
        lines.append(f'  label={_text_label(scene.caption, p, "LEFT")}; labelloc="t"; labeljust="l";')
    _emit_cluster(scene.root, lines, "  ", p)
    lines += [_edge_line(e, p) for e in scene.edges]
    lines += [f"  {_q(a)} -> {_q(b)} [style=invis];" for a, b in scene.stack]
    lines += [f"  {{rank=same; {_q(a)}; {_q(b)};}}" for a, b in scene.same_rank]
    lines.append("}")
    return "\n".join(lines) + "\n"


def _emit_cluster(cluster, lines, indent, p):
    for node in cluster.nodes:
        lines.append(indent + _node_line(node, p))
    for child in cluster.children:
        lines.append(indent + f"subgraph {_q('cluster_' + child.path)} {{")
        if child.frame:  # a while loop: its name in bold, in the frame's colour
            lines.append(indent + f'  graph [label=<<B>{_esc(child.label)}</B>>, style="rounded,filled", '
                         f'fillcolor="{child.fill}", color="{child.border}", fontcolor="{child.border}", '
                         f'fontsize=10, penwidth=2, margin=10];')
        else:
            lines.append(indent + f'  graph [label="{_esc(child.label)}", style="rounded,filled", '
                         f'fillcolor="{child.fill}", color="{child.border}", fontcolor="{p["dim"]}", '
                         f'fontsize=9, margin=6];')
        _emit_cluster(child, lines, indent + "  ", p)
        lines.append(indent + "}")


def _node_line(node, p):
    fill, border = (p["grey"][0], p["grey"][1]) if node.dim else (node.fill, node.border)
    extra = ""
    if node.dim:
        extra += f', fontcolor="{p["grey"][2]}"'
    if node.xlabel:
        extra += f", xlabel={_text_label(node.xlabel, p)}"
    if node.kind in ("scope", "variable_scope"):  # a collapsed name scope
        label = _html(node.title, node.subtitle, node.lines, p)
        shape = "cylinder" if node.kind == "variable_scope" else "box3d"
        pen = "3" if node.highlight else "1.5"
        return (f"{_q(node.id)} [label={label}, shape={shape}, style=filled, "
                f"fillcolor=\"{fill}\", color=\"{border}\", penwidth={pen}{extra}];")
    if node.kind == "const":
        label = _html(node.title, node.subtitle, [], p, size=9, bold=False)
        attrs = dict(shape="box", style="filled", height="0.2", margin="0.04,0.02")
    else:
        label = _html(node.title, node.subtitle, node.lines, p)
        if node.kind == "variable":
            attrs = dict(shape="cylinder", style="filled", penwidth="1.5")
        elif node.kind == "placeholder":
            attrs = dict(shape="box", style="filled", penwidth="1.5", peripheries="2")
        else:
            attrs = dict(shape="box", style="rounded,filled", margin="0.1,0.04")
    if node.skipped:
        attrs["style"] += ",dashed"
    if node.highlight:
        attrs["penwidth"] = "3"
    attrs.update(fillcolor=fill, color=border)
    return f"{_q(node.id)} [label={label}, {_attrs(attrs)}{extra}];"


def _edge_line(e, p):
    """Data edges labelled, reference edges bold, control dashed, a loop's next-iteration
    edge dashed and coloured; `back` as dir=back."""
    attrs = {}
    if e.kind == "next":  # a loop's back edge: dashed, up the right-hand side to Merge
        attrs.update(label=e.label, style="dashed", penwidth="1.6", color=e.color,
                     fontcolor=e.fontcolor, constraint="false", tailport="e", headport="e")
        if e.dim:
            attrs.update(color=p["grey"][1], fontcolor=p["grey"][1])
        return f"  {_q(e.tail)} -> {_q(e.head)} [{_attrs(attrs)}];"
    if e.kind == "control":
        attrs.update(style="dashed", arrowhead="odot")
    elif e.kind == "ref":
        attrs.update(label=e.label, penwidth="2.2", color=e.color, fontcolor=e.fontcolor)
    elif e.label is not None:
        attrs["label"] = e.label
    if e.back:
        attrs.update(dir="back", arrowtail=attrs.pop("arrowhead", "normal"))
    if not e.constraint:
        attrs.update(constraint="false", color=e.color, fontcolor=e.fontcolor)
    if e.dim:
        attrs.update(color=p["grey"][1], fontcolor=p["grey"][1])
    tail, head = _q(e.tail), _q(e.head)
    return f"  {tail} -> {head} [{_attrs(attrs)}];" if attrs else f"  {tail} -> {head};"


# ---- small helpers ------------------------------------------------------------------------
def _html(title, subtitle, lines, pal, size=10, bold=True):
    """An HTML-like Graphviz label: the name, the type in grey, then the value lines."""
    name = f"<B>{_esc(title)}</B>" if bold else _esc(title)
    parts = [f'<FONT POINT-SIZE="{size}">{name}</FONT>']
    if subtitle:
        small = max(size - 2, 8)
        parts.append(f'<FONT POINT-SIZE="{small}" COLOR="{pal["dim"]}">{_esc(subtitle)}</FONT>')
    for text, colour in lines:
        parts.append(f'<FONT POINT-SIZE="{size - 1}" COLOR="{colour}">{_esc(text)}</FONT>')
    return "<" + "<BR/>".join(parts) + ">"


def _text_label(texts, pal, align=None):
    """An HTML-like label of [Text] lines; `align` "LEFT" left-aligns every line."""
    brk = f'<BR ALIGN="{align}"/>' if align else "<BR/>"
    parts = []
    for t in texts:
        body = f"<B>{_esc(t.text)}</B>" if t.bold else _esc(t.text)
        parts.append(f'<FONT POINT-SIZE="{t.size}" COLOR="{t.colour or pal["text"]}">{body}</FONT>')
    return "<" + brk.join(parts) + (brk if align else "") + ">"


def _esc(text):
    return html.escape(str(text), quote=True)


def _q(name):
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _attrs(attrs):
    return ", ".join(f"{k}={v if k == 'label' and v.startswith('<') else _q(v)}"  # <...>: HTML
                     for k, v in attrs.items())
