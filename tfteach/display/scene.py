"""Graph -> Scene: what a drawing shows, built once for both pictures (DOT and the no-dot SVG).

A Scene is boxes (nodes), arrows (edges), name-scope boxes (clusters) and the few layout
constraints of the gradient mirror. `dot.py` writes it as DOT text for Graphviz; `layout.py`
and `svg.py` draw it without Graphviz. No I/O here, and the same graph gives the same Scene.
Callers may decorate a Scene before drawing it (the backprop replay does): grey out nodes and
their edges, write a side label beside a node, a caption above the picture.
"""
from collections import namedtuple

from ..graph import Graph, Tensor, graph_of
from ..registry import lookup
from ..variables import Variable
from ..walk import upstream
from . import frames as _frames
from .mirror import mirror_constraints
from .values import summarize, variable_gradient, variable_of

GRADIENTS = ("mirror", "inline", "hide")

# Each (fill, border). Explicit colours, background included, so a picture reads the same in
# JupyterLab's light and dark themes.
THEMES = {
    "light": dict(
        bg="#ffffff", text="#1f1f1f", dim="#6e6e6e", edge="#5a5a5a", cross="#c8c8c8",
        op=("#ffffff", "#4d4d4d"), const=("#f2f2f2", "#bdbdbd"),
        placeholder=("#deebf7", "#3182bd"), variable=("#e5f5e0", "#31a354"),
        grad=("#fee6ce", "#e6550d"), grad_const=("#fff5eb", "#fdbe85"),
        scope=("#f8f8f8", "#c8c8c8"), var_scope=("#f3faf0", "#a1d99b"),
        grad_scope=("#fffaf5", "#fdae6b"),
        frame=("#f7f5fb", "#756bb1"), grad_frame=("#fdf6f0", "#9e6b3f"), frame_op=("#efedf5", "#54278f"),
        next="#6a51a3",
        value="#08519c", grad_value="#a63603", highlight="#d62728", skipped="#9e9e9e",
        grey=("#f3f3f3", "#d4d4d4", "#ababab")),
    "dark": dict(
        bg="#1e1e1e", text="#e8e8e8", dim="#a8a8a8", edge="#b8b8b8", cross="#555555",
        op=("#2d2d2d", "#c0c0c0"), const=("#262626", "#5c5c5c"),
        placeholder=("#16324f", "#6baed6"), variable=("#173b1d", "#74c476"),
        grad=("#4a2a10", "#fd8d3c"), grad_const=("#2e2217", "#8c5a2e"),
        scope=("#242424", "#4f4f4f"), var_scope=("#1c2a1d", "#3f6f45"),
        grad_scope=("#2a2018", "#8c5a2e"),
        frame=("#221f2e", "#9e9ac8"), grad_frame=("#2a2119", "#c08a5a"), frame_op=("#2c2640", "#bcbddc"),
        next="#bcbddc",
        value="#9ecae1", grad_value="#fdae6b", highlight="#ff6b6b", skipped="#6e6e6e",
        grey=("#232323", "#3d3d3d", "#666666")),
}
# `grey` (fill, border, text): a node greyed out (not run yet, in the replay), and its edges.
# `frame`: a while loop's box (`grad_frame`: the backward loop's), `frame_op` its Enter, Merge,
# Switch, LoopCond, NextIteration and Exit, `next` the NextIteration -> Merge edge.

# One line of a side label or caption: `colour` None is the theme's text colour.
Text = namedtuple("Text", "text colour size bold")


class Node:
    """One box: an op, or a name scope collapsed into one node.

    kind: "const", "op", "placeholder", "variable" (an op), or "scope" / "variable_scope"
    (a collapsed box). The label is `title` (bold, except constants), `subtitle` in grey,
    then `lines` of (text, colour), e.g. the value after a run. Decorations: `dim` (greyed
    out: drawn in the theme's `grey`), `xlabel` ([Text], a label beside the box, outside it).
    """

    def __init__(self, id, kind, title, subtitle, lines, fill, border, highlight=False,
                 skipped=False):
        self.id, self.kind = id, kind
        self.title, self.subtitle, self.lines = title, subtitle, lines
        self.fill, self.border = fill, border
        self.highlight, self.skipped = highlight, skipped
        self.dim, self.xlabel = False, []

    def __repr__(self):
        return f"Node({self.id!r}, {self.kind})"


class Edge:
    """An arrow from `tail` to `head` (node ids), in the direction the layout ranks it.

    kind: "data", "ref" (Assign/Apply* writing into a variable), "control", or "next" (a
    while loop's NextIteration -> Merge: the value for the next iteration). `back`: the
    arrowhead sits at the tail (the mirror's gradient edges, which flow up). `constraint`
    False: the edge does not move nodes (forward values reused by gradient ops).
    `color`, `fontcolor` None mean the theme's edge colours; `dim` (greyed out) overrides them.
    """

    def __init__(self, tail, head, kind, label=None, color=None, fontcolor=None, back=False,
                 constraint=True):
        self.tail, self.head, self.kind, self.label = tail, head, kind, label
        self.color, self.fontcolor = color, fontcolor
        self.back, self.constraint = back, constraint
        self.dim = False

    def __repr__(self):
        return f"Edge({self.tail!r} -> {self.head!r}, {self.kind})"


class Cluster:
    """A name scope drawn as a box around its nodes (`path` "" is the whole picture).
    `frame`: the box is a while loop's frame (drawn with a thicker border)."""

    def __init__(self, path, label, fill, border, frame=False):
        self.path, self.label, self.fill, self.border = path, label, fill, border
        self.frame = frame
        self.nodes, self.children = [], []  # Node objects and Clusters, in drawing order

    def all_nodes(self):
        return self.nodes + [n for c in self.children for n in c.all_nodes()]


class Scene:
    """Everything a picture shows: `root` (a Cluster tree holding every Node), `edges`,
    and the mirror's constraints: `stack` edges (invisible, ranking only) and `same_rank`
    pairs of node ids. `palette` is the theme's colours; `node_of` maps each drawn op's name
    to the id of the node drawing it (its own, or the collapsed name-scope box holding it);
    `caption` ([Text], empty for none) is written above the picture."""

    def __init__(self, root, edges, stack, same_rank, palette, node_of=None):
        self.root, self.edges, self.stack, self.same_rank = root, edges, stack, same_rank
        self.palette, self.node_of = palette, dict(node_of or {})
        self.caption = []

    @property
    def nodes(self):
        return self.root.all_nodes()

    def node(self, id):
        """The Node with this id."""
        return next(n for n in self.nodes if n.id == id)

    def grey_out(self, ids):
        """Draw these nodes, and every edge touching one, greyed out."""
        ids = set(ids)
        for n in self.nodes:
            n.dim = n.dim or n.id in ids
        for e in self.edges:
            e.dim = e.dim or e.tail in ids or e.head in ids


def build_scene(graph_or_tensors, values=None, gradients="mirror", depth=None, highlight=None,
                theme="light"):
    """The Scene for a graph, or for the subgraph computing some tensors (see `to_dot`).

    `depth`: how many levels of name-scope boxes are open (None: all), or a set of scope
    paths, each drawn as one box (what `show_graph(depth="auto")` folds to fit).
    """
    if gradients not in GRADIENTS:
        raise ValueError(f"gradients must be one of {GRADIENTS}, got {gradients!r}")
    if theme not in THEMES:
        raise ValueError(f"theme must be one of {tuple(THEMES)}, got {theme!r}")
    graph, ops, _ = select(graph_or_tensors)
    if gradients == "hide":
        ops = [op for op in ops if op.gradient_of is None]
    return _Builder(ops, values, gradients, depth, _as_ops(graph, highlight), THEMES[theme]).scene()


# ---- what to draw ---------------------------------------------------------------------
def select(graph_or_tensors):
    """(graph, ops to draw in creation order, what to fetch for values or None for all).

    A Graph gives all its ops. Tensors, ops and names give the ops they depend on (data,
    reference and control inputs). A Variable gives its four ops and fetches its value.
    """
    if isinstance(graph_or_tensors, Graph):
        return graph_or_tensors, graph_or_tensors.get_operations(), None
    items = list(graph_or_tensors) if isinstance(graph_or_tensors, (list, tuple)) else [graph_or_tensors]
    if not items:
        raise ValueError("Nothing to draw: pass a Graph, or tensors, ops or variables.")
    graph = graph_of([i for i in items if not isinstance(i, str)])
    roots, fetches = [], []
    for item in items:
        if isinstance(item, Variable):
            roots += [item.initializer, item.value().op]
            fetches.append(item.value())
        else:
            el = graph.as_graph_element(item)
            roots.append(el.op if isinstance(el, Tensor) else el)
            fetches.append(el)
    return graph, upstream(roots), fetches


def _as_ops(graph, items):
    if items is None:
        return set()
    items = items if isinstance(items, (list, tuple, set)) else [items]
    out = set()
    for item in items:
        if isinstance(item, Variable):
            out.add(item.op)
            continue
        el = graph.as_graph_element(item)
        out.add(el.op if isinstance(el, Tensor) else el)
    return out


def _kind(op):
    if op.type == "Const":
        return "const"
    if op.type in ("Placeholder", "PlaceholderWithDefault"):
        return "placeholder"
    if op.type in ("VariableV2", "Variable", "VarHandleOp"):
        return "variable"
    return "op"


def _is_grad(op):
    return op.gradient_of is not None


class _Box:
    """A name scope while the Scene is built: its ops, its child boxes, collapsed or not."""

    def __init__(self, path, parent):
        self.path, self.parent = path, parent
        self.level = parent.level + 1 if parent else 0
        self.ops, self.children = [], []
        self.collapsed = False

    @property
    def id(self):
        return self.path + "/"  # op names never end in "/": no clash with op node ids

    def all_ops(self):
        return self.ops + [op for b in self.children for op in b.all_ops()]


class _Builder:
    """Builds the Scene in one pass over the selected ops (kept in creation order)."""

    def __init__(self, ops, values, gradients, depth, highlight, pal):
        self.ops, self.values, self.gradients = ops, values, gradients
        self.highlight, self.pal = highlight, pal
        self.frames = _frames.frames(ops)  # {path: WhileContext}
        # gradient ops that run forward, in a forward loop (TF1's f_count, the stack pushes):
        # drawn flowing down with it, outside the mirror
        self.forward_grads = _frames.forward_gradient_ops(ops) if self.frames else set()
        self.root = self._boxes(ops, depth)
        self.rep = {}  # op -> id of the node standing for it (its own, or a collapsed box)
        self._map(self.root, None)

    def scene(self):
        root = Cluster("", "", None, None)
        self._fill(self.root, root)
        mirrored = [op for op in self.ops if op not in self.forward_grads]
        stack, same_rank = ([], []) if self.gradients != "mirror" else mirror_constraints(mirrored, self.rep)
        if self.frames:
            more_stack, more_same = _frames.border_constraints(self.ops, self.rep,
                                                               self.gradients == "mirror")
            stack, same_rank = stack + more_stack, same_rank + more_same
        return Scene(root, self._edges(), stack, same_rank, self.pal,
                     {op.name: node for op, node in self.rep.items()})

    # ---- name scopes -> boxes ---------------------------------------------------------
    def _boxes(self, ops, depth):
        """A box per name scope holding two or more non-Const ops (an op with the
        constants made for its arguments, like `loss` and `loss/y`, needs no box)."""
        prefixes = {op.name[:i] for op in ops for i, ch in enumerate(op.name) if ch == "/"}
        counts = {}
        scope_of = {}
        for op in ops:
            # the op named like a scope (a variable `w` and its `w/read`) goes in that box
            scope = op.name if op.name in prefixes else op.name.rpartition("/")[0]
            frame = _frames.frame_path(op) if self.frames else None
            if frame is not None and (op.type in ("Enter", "Exit") or
                                      not (scope + "/").startswith(frame + "/")):
                # a loop's Enters and Exits sit in its box itself (at its border), and so do
                # the ops of the frame named outside it (tf.gradients' gradients/f_count)
                scope = frame
            scope_of[op] = scope
            if op.type != "Const":
                for p in _ancestors(scope):
                    counts[p] = counts.get(p, 0) + 1
        root = _Box("", None)
        boxes = {"": root}
        for op in ops:
            box = root
            for p in reversed(_ancestors(scope_of[op])):
                if counts.get(p, 0) >= 2 or p in self.frames:
                    if p not in boxes:
                        boxes[p] = _Box(p, box)
                        box.children.append(boxes[p])
                    box = boxes[p]
            box.ops.append(op)
        if isinstance(depth, (set, frozenset)):  # the paths of the scopes to fold
            for b in boxes.values():
                b.collapsed = b.path in depth
        elif depth is not None:
            for b in boxes.values():
                b.collapsed = b.level == depth + 1
        return root

    def _map(self, box, collapsed_id):
        cid = collapsed_id or (box.id if box.collapsed else None)
        for op in box.ops:
            self.rep[op] = cid or op.name
        for child in box.children:
            self._map(child, cid)

    def _fill(self, box, cluster):
        for op in box.ops:
            cluster.nodes.append(self._node(op, box))
        for child in box.children:
            if child.collapsed:
                cluster.nodes.append(self._collapsed_node(child))
            else:
                sub = self._cluster(child)
                cluster.children.append(sub)
                self._fill(child, sub)

    def _cluster(self, box):
        ops = box.all_ops()
        if all(_is_grad(op) for op in ops):
            fill, border = self.pal["grad_scope"]
        elif any(op.name == box.path and _kind(op) == "variable" for op in box.ops):
            fill, border = self.pal["var_scope"]
        else:
            fill, border = self.pal["scope"]
        label = box.path[len(box.parent.path) + 1:] if box.parent.path else box.path
        if box.path in self.frames:
            backward = all(_is_grad(op) for op in ops)
            fill, border = self.pal["grad_frame" if backward else "frame"]
            return Cluster(box.path, _frames.label(box.path, backward), fill, border, frame=True)
        return Cluster(box.path, label, fill, border)

    # ---- nodes --------------------------------------------------------------------------
    def _node(self, op, box):
        p = self.pal
        kind = _kind(op)
        grad = _is_grad(op)
        if op.name == box.path:  # a variable `w` in its box `w`: named like the box
            rel = box.path.rpartition("/")[2]
        elif box.path and not op.name.startswith(box.path + "/"):
            # a frame's op named outside its box (gradients/f_count, a gradient's StackPushV2):
            # the end of its name, as the rest would not fit
            rel = "/".join(op.name.split("/")[-2:]) if op.name.count("/") > 1 else op.name
        else:  # named relative to its box, which shows the rest of the name
            rel = op.name[len(box.path) + 1:] if box.path else op.name
        lines = self._value_lines(op) if self.values is not None else []
        skipped = bool(lines) and lines[0][0] == "not computed"
        if kind == "const":
            value = summarize(op.attrs.get("value"))[0] if "value" in op.attrs else ""
            if len(value) > 24:
                value = value[:22] + "…"
            subtitle, lines = f"Const {value}".strip(), []  # a constant needs no value line
            fill, border = p["grad_const"] if grad else p["const"]
        else:
            subtitle = op.type
            if kind in ("variable", "placeholder"):
                fill, border = p[kind]
            elif op.type in _frames.FRAME_OPS and self.frames:
                fill, border = p["frame_op"]
                if grad:
                    border = p["grad"][1]
            else:
                fill, border = p["grad"] if grad else p["op"]
        if skipped:
            border = p["skipped"]
        highlight = op in self.highlight
        if highlight:
            border = p["highlight"]
        return Node(op.name, kind, rel, subtitle, lines, fill, border, highlight, skipped)

    def _collapsed_node(self, box):
        p = self.pal
        ops = box.all_ops()
        var = next((op for op in box.ops if op.name == box.path and _kind(op) == "variable"), None)
        lines = []
        if self.values is not None:
            inner = next((op for op in ops if op.name == box.path), var)
            if inner is not None:
                lines = self._value_lines(inner)
            else:
                done = sum(1 for op in ops if self.values.computed(op))
                lines = [(f"{done} of {len(ops)} computed", p["dim"])]
        n = f"{len(ops)} ops"
        if var is not None:
            kind, subtitle = "variable_scope", f"Variable ({n})"
            fill, border = p["variable"]
        elif box.path in self.frames:  # a folded while loop
            backward = all(_is_grad(op) for op in ops)
            kind, subtitle = "scope", f"{'backward ' if backward else ''}while loop, {n}"
            fill, border = p["grad_frame" if backward else "frame"]
        else:
            kind, subtitle = "scope", n
            fill, border = p["grad"] if all(_is_grad(op) for op in ops) else p["op"]
        highlight = bool(self.highlight & set(ops))
        if highlight:
            border = p["highlight"]
        return Node(box.id, kind, box.path.rpartition("/")[2], subtitle, lines, fill, border,
                    highlight)

    def _value_lines(self, op):
        """[(text, colour)] for a node after a run: its value, or 'not computed'."""
        p, values = self.pal, self.values
        if _kind(op) == "variable":
            if op in values.outputs:  # fetched in the run
                value = values.outputs[op][0]
            elif op in values.variables:  # read before the run
                value = values.variables[op]
                if value is None:
                    return [("uninitialized", p["skipped"])]
            else:  # an earlier run's record, which does not list variable reads
                value = None
            lines = [] if value is None else [(t, p["value"]) for t in _prefix("= ", summarize(value))]
            g = variable_gradient(op)
            if g is not None and values.computed(g.op):
                lines += [(t, p["grad_value"]) for t in _prefix("grad = ", summarize(values.value(g)))]
            return lines
        if not values.computed(op):
            if not values.read_by_run(op):
                return [("not computed", p["skipped"])]
            var = variable_of(op.outputs[0])
            if values.variables.get(var) is None:
                return [("read when used", p["dim"])]
            return [(t, p["value"]) for t in _prefix("= ", summarize(values.variables[var]))]
        outs = values.outputs[op]
        if not outs:
            return [("ran", p["dim"])]
        colour = p["grad_value"] if _is_grad(op) else p["value"]
        if len(outs) == 1:
            return [(t, colour) for t in _prefix("= ", summarize(outs[0]))]
        return [(t, colour) for i, v in enumerate(outs) for t in _prefix(f":{i} ", summarize(v))]

    # ---- edges --------------------------------------------------------------------------
    def _edges(self):
        """Data edges labelled with shape and dtype, reference edges bold, control dashed.

        In the mirror, edges between gradient ops are reversed (`back`), so the layout ranks
        the gradient flow bottom to top; edges between the forward graph and the gradient
        ops do not constrain the layout at all.
        """
        selected = set(self.ops)
        merged = {}  # (tail, head, kind[, input index]) -> tensors, in order
        for op in self.ops:
            head = self.rep[op]
            d = lookup(op.type)
            refs = d.ref_inputs if d is not None else ()
            for i, t in enumerate(op.inputs):
                if t.op not in selected or self.rep[t.op] == head:
                    continue
                tail = self.rep[t.op]
                kind = "ref" if i in refs else "data"
                collapsed = tail.endswith("/") or head.endswith("/")
                key = (tail, head, kind) if collapsed else (tail, head, kind, i)
                merged.setdefault(key, ([], t.op, op))[0].append(t)
            for c in op.control_inputs:
                if c in selected and self.rep[c] != head:
                    merged.setdefault((self.rep[c], head, "control"), ([], c, op))
        edges = []
        p = self.pal
        for key, (tensors, src, dst) in merged.items():
            tail, head, kind = key[:3]
            e = Edge(tail, head, kind)
            if kind == "data" and _frames.is_next_iteration(src, dst):
                # the loop's back edge: drawn against the ranks, moving nothing
                e.kind, e.label, e.constraint = "next", "next iteration", False
                e.color = e.fontcolor = p["next"]
                edges.append(e)
                continue
            if kind == "ref":
                e.label = "ref " + _tensor_label(tensors)
                e.color = e.fontcolor = p["variable"][1]
            elif kind == "data":
                e.label = _tensor_label(tensors)
            if self.gradients == "mirror":
                g_src = _is_grad(src) and src not in self.forward_grads
                g_dst = _is_grad(dst) and dst not in self.forward_grads
                if g_src and g_dst:
                    e.tail, e.head, e.back = head, tail, True
                elif g_src != g_dst:
                    e.constraint = False
                    e.color = e.fontcolor = p["cross"]
                    if kind == "data":
                        e.label = None
            edges.append(e)
        return edges


# ---- small helpers ------------------------------------------------------------------------
def _ancestors(path):
    """'a/b/c' -> ['a/b/c', 'a/b', 'a']; '' -> []."""
    out = []
    while path:
        out.append(path)
        path = path.rpartition("/")[0]
    return out


def _tensor_label(tensors):
    distinct = list(dict.fromkeys(tensors))
    if len(distinct) > 1:
        return f"{len(distinct)} tensors"
    t = distinct[0]
    shape = str(t.shape).replace("<unknown>", "?")
    dtype = t.dtype.base_dtype.name
    index = f":{t.value_index} " if len(t.op.outputs) > 1 else ""
    return f"{index}{shape} {dtype}"


def _prefix(first, lines):
    return [first + lines[0]] + lines[1:]
