"""show_graph: a graph (or the part computing some tensors) drawn for Jupyter.

Engine objects' display hooks (`Graph._repr_mimebundle_`, `Tensor.show()`, `Operation.show()`,
`Variable.show()`) import this module on first use; `import tfteach` never does.
"""
from ..graph import Graph, _op_types, get_default_graph
from . import fit, render
from .dot import dot_text
from .scene import THEMES, build_scene, select
from .values import from_record, run_values

# What a Graph left at the end of a cell looks like, and what show_graph uses for options left
# as None. E.g. `tf.display.defaults["theme"] = "dark"`.
defaults = {"gradients": "mirror", "depth": "auto", "theme": "light", "renderer": "auto"}
RENDERERS = ("auto", "dot", "builtin")
AUTO_MAX_OPS = 5000   # a bigger graph left as a cell's output is summarized in text, not drawn
AUTO_MAX_NODES = 500  # "auto" does not try a view with more boxes than this (dot would be slow)
# the text form's second line: Jupyter shows the text instead of the picture in a notebook that
# is not trusted yet (e.g. downloaded), until the cell runs again
SEE_IT = "(a drawing of the graph: run the cell to see it)"
# under every picture (not in the text form, which has no edges or colours)
KEY = ("Key: an edge's label is its tensor's shape and dtype (? = unknown); orange ops compute "
       "gradients (x_grad: back through op x); a thick red border marks what the cell points at.")


class Drawing:
    """A drawn graph: SVG in Jupyter, its text form elsewhere; `.source` is the DOT text.

    The SVG comes from Graphviz's `dot`, or, when it is not installed, from tfteach's own
    layout of the same `scene` (`renderer`: "auto", "dot" or "builtin").
    `save("g.png")` writes a file (png, pdf, ... need `dot`; `.svg` works without it; `.dot`
    writes the source).
    """

    def __init__(self, source, text, fallback=None, scene=None, renderer="auto", theme="light"):
        self.source = source
        self.text = text
        self.scene = scene  # what the built-in layout draws (None: dot only)
        self.renderer = renderer
        self.theme = theme
        self.notes = []   # lines under the picture: what was folded and how to open it
        self.focus = []   # ids of the nodes the cell points at
        self._fallback = fallback  # makes a plainer source if dot rejects this one
        self._svg = None

    def __repr__(self):
        return self.text

    def _repr_mimebundle_(self, include=None, exclude=None):
        def wanted(key):
            return (not include or key in include) and not (exclude and key in exclude)
        data = {"text/plain": self.text}
        if wanted("image/svg+xml"):
            try:
                data["image/svg+xml"] = self.picture()
                data["text/plain"] = f"{self.text}\n{SEE_IT}"
            except render.RenderError as e:
                data["text/plain"] = f"{self.text}\n{e}"
        return data

    def picture(self):
        """The SVG as the notebook shows it: sized to the output area, the notes under it.

        A picture too wide to read whole (labels under 9 px at the default width) that has a
        focus shows the part around its first focus node instead, at its natural size."""
        pal = THEMES[self.theme]
        attrs = {"data-focus": " ".join(self.focus)} if self.focus else None
        svg, notes = self.svg(), list(self.notes)
        if self.focus and fit.view_box(svg)[2] > fit.MAX_UNITS:
            try:
                svg = fit.window(svg, self.focus[0])
                notes.append(f"Too wide to read whole: this is the part around "
                             f"{self.focus[0]}. All of it: .save('graph.svg'), or draw less.")
            except KeyError:
                pass
        return fit.fitted(svg, notes + [KEY], (pal["bg"], pal["dim"]), attrs)

    def zoom(self, node, scale=1.0):
        """A window of the picture around `node` (an op name, or a tensor, op or variable) at
        `scale` times the natural size (1: labels at 13 px), as wide as a notebook's output.

        Example: `show_graph(g).zoom("Softmax", 1.5)`.
        """
        name = _op_name(node)
        node_id = self.scene.node_of.get(name, name) if self.scene is not None else name
        try:
            svg = fit.window(self.svg(), node_id, scale)
        except KeyError:
            raise ValueError(f"zoom: '{name}' is not drawn in this picture") from None
        return Zoomed(svg, f"<tf.Graph drawing zoomed on '{name}' (x{scale:g}) of {self.text}>")

    def svg(self):
        """The picture as SVG text: from `dot`, else from the built-in layout with a note
        saying so (raises render.RenderError when neither can draw it)."""
        if self._svg is None:
            self._svg = self._draw()
        return self._svg

    def _draw(self):
        use_dot = self.scene is None or self.renderer == "dot" or (
            self.renderer == "auto" and render.find_dot() is not None)
        if not use_dot:
            return render.builtin_svg(self.scene)
        try:
            return self._render(render.svg)
        except render.RenderError as e:
            if self.scene is None or self.renderer == "dot" or render.find_dot() is None:
                raise
            # dot is installed but failed on this graph: still a picture, and why
            why = str(e).strip("()").removeprefix("no picture: ")
            return render.builtin_svg(self.scene, f"{why}; drawn without Graphviz instead.")

    def save(self, path, format=None):  # noqa: A002 - graphviz's name
        """Write the drawing to `path`, in the format its suffix names. Returns `path`."""
        fmt = format or str(path).rpartition(".")[2].lower()
        if fmt in ("dot", "gv"):
            data = self.source.encode()
        elif fmt == "svg":
            data = self.svg().encode()
        else:
            data = self._render(lambda source: render.run_dot(source, fmt))
        with open(path, "wb") as f:
            f.write(data)
        return path

    def _render(self, fn):
        try:
            return fn(self.source)
        except render.RenderError:
            if self._fallback is None or render.find_dot() is None:
                raise
            return fn(self._fallback())


def show_graph(graph_or_tensors=None, session=None, feed_dict=None, values=False, gradients=None,
               depth=None, highlight=None, theme=None, renderer=None, focus=None):
    """Draw a graph, or the subgraph computing some tensors, for a notebook.

    Args:
      graph_or_tensors: a Graph (default: the default graph), or tensors, ops, variables or
        names (one or a list): then only the ops they depend on, the given ones highlighted.
      session, feed_dict: where values come from when `values=True` (default: the default
        session).
      values: False; True to run `session` once in record mode and show each node's value
        (the given tensors are run as `sess.run` would, so a train op takes a step; for a
        whole Graph, everything that changes no variable is run); or a `tf.RunMetadata`
        filled by `sess.run(..., run_metadata=meta)` to show what that run computed.
      gradients: "mirror" (default), "inline" or "hide": where the gradient ops go.
      depth: "auto" (default): every name scope open if the picture then fits the notebook
        with legible labels, else the scopes below the deepest level that fits are folded
        into one box each, and a note under the picture says so; "all": every scope open
        however wide; a number: that many levels open.
      highlight: tensors, ops, variables or names drawn with a thick red border.
      theme: "light" (default) or "dark".
      renderer: "auto" (default: Graphviz's `dot` when installed, else tfteach's own
        layout), "dot" (Graphviz only) or "builtin" (always tfteach's own layout).
      focus: what the cell's text talks about (tensors, ops or names): highlighted, and
        "auto" folds no scope that holds one of them.
    Returns:
      A Drawing: the last expression of a cell shows it; `.save("g.png")` writes it;
      `.zoom("op name")` shows a part of it larger.
    Example: `show_graph(loss, session=sess, values=True)`.
    """
    if graph_or_tensors is None:
        graph_or_tensors = get_default_graph()
    gradients = gradients or defaults["gradients"]
    depth = depth if depth is not None else defaults["depth"]
    theme = theme or defaults["theme"]
    renderer = renderer or defaults["renderer"]
    if renderer not in RENDERERS:
        raise ValueError(f"renderer must be one of {RENDERERS}, got {renderer!r}")
    if not (depth in ("auto", "all") or (isinstance(depth, int) and depth >= 0)):
        raise ValueError(f"depth must be 'auto', 'all' or a number of levels >= 0, got {depth!r}")
    graph, ops, fetches = select(graph_or_tensors)
    run = None
    if values is True:
        if session is None:
            from ..session import get_default_session
            session = get_default_session()
        if session is None:
            raise ValueError("values=True needs a session to run: show_graph(..., session=sess).")
        if session.graph is not graph:
            raise ValueError("The session runs a different graph than the one to draw "
                             "(was it made before tf.reset_default_graph()?).")
        run = run_values(session, ops, fetches, feed_dict)
    elif values is not False and values is not None:
        run = from_record(values)
    whole = isinstance(graph_or_tensors, Graph)
    if highlight is None and not whole:
        highlight = graph_or_tensors
    focus_names = [_op_name(f) for f in _listed(focus)]
    if focus_names:
        highlight = _listed(highlight) + focus_names

    def drawing(levels):
        def scene(grads):
            return build_scene(graph_or_tensors, run, grads, levels, highlight, theme)
        drawn = scene(gradients)
        d = Drawing(dot_text(drawn), _text(graph, ops, whole, run),
                    (lambda: dot_text(scene("inline"))) if gradients == "mirror" else None,
                    drawn, renderer, theme)
        d.focus = [drawn.node_of.get(n, n) for n in focus_names]
        return d

    if depth != "auto":
        d = drawing(None if depth == "all" else depth)
    else:
        d = _auto(drawing, focus_names)
    return d


def _auto(drawing, focus_names):
    """The most open view that fits the notebook with legible labels (see fit.MAX_UNITS).

    Folds in rounds until the picture fits: first each `<op>_grad` box of the gradients (one
    box per forward op, still level with it), then the insides of variables' initializers,
    then each backward while loop (tf.gradients' loop beside the forward one), then the
    deepest remaining scopes, a level at a time (at each level a while loop, or a scope
    holding one, after the others). A scope holding a focus op stays
    open. A note says what was folded and how to open it.
    """
    d = drawing(None)
    scopes = _scopes(d.scene.root)
    keep = {s for s in scopes for name in focus_names if name.startswith(s + "/") or name == s}
    rounds = [{s for s in scopes if s.startswith("gradients") and s.endswith("_grad")},
              {s for s in scopes if s.rpartition("/")[2] in ("Initializer", "initial_value")},
              _frames(d.scene.root, backward=True)]  # a backward while loop, before any other
    loops = _frames(d.scene.root, backward=False)
    holds_loop = {s for s in scopes if any(f == s or f.startswith(s + "/") for f in loops)}
    for level in range(max((s.count("/") for s in scopes), default=-1), -1, -1):
        # at each level, a while loop (or a scope holding one) folds after the other scopes
        rounds.append({s for s in scopes if s.count("/") == level} - holds_loop)
        rounds.append({s for s in scopes if s.count("/") == level} & holds_loop)
    folded = set()
    for more in rounds:
        if _fits(d):
            break
        more -= keep | {s for s in more if any(s.startswith(f + "/") for f in folded)}
        more -= _holding_one_box(d.scene.root)  # folding it again gains nothing, hides a name
        if not more:
            continue
        folded |= more
        d = drawing(frozenset(folded))
    if folded:
        boxes = sum(1 for n in d.scene.nodes if n.kind in ("scope", "variable_scope"))
        d.notes.append(f"Folded to fit the notebook: {boxes} name scopes are drawn as one box "
                       f"each (3-D boxes). All {len(d.scene.node_of)} ops: "
                       f"show_graph(..., depth='all'); a part larger: .zoom('op name').")
    if not _fits(d):
        d.notes.append("Still wider than the notebook, so its labels are small: "
                       "show_graph(tensor) draws only what one tensor needs.")
    return d


def _fits(d):
    try:
        return len(d.scene.nodes) <= AUTO_MAX_NODES and fit.view_box(d.svg())[2] <= fit.MAX_UNITS
    except render.RenderError:
        return False


def _scopes(cluster):
    """The paths of the name-scope boxes in a Scene's cluster tree."""
    out = []
    for child in cluster.children:
        out += [child.path] + _scopes(child)
    return out


def _holding_one_box(cluster):
    """The paths of the scope boxes whose only content is one folded box (e.g. `gradients/rnn`
    around the folded backward loop `gradients/rnn/while`)."""
    out = set()
    for child in cluster.children:
        if not child.children and len(child.nodes) == 1 and child.nodes[0].kind in ("scope", "variable_scope"):
            out.add(child.path)
        out |= _holding_one_box(child)
    return out


def _frames(cluster, backward):
    """The paths of the while-loop boxes (only the backward loops' if `backward`)."""
    out = set()
    for child in cluster.children:
        if child.frame and (not backward or child.label.startswith("backward")):
            out.add(child.path)
        out |= _frames(child, backward)
    return out


def _listed(items):
    if items is None:
        return []
    return list(items) if isinstance(items, (list, tuple)) else [items]


def _op_name(item):
    """The op name of a tensor, op, variable or name ('y:0' -> 'y')."""
    if isinstance(item, str):
        return item.rsplit(":", 1)[0] if ":" in item else item
    op = getattr(item, "op", item)
    return op.name


class Zoomed:
    """A window of a drawing (`Drawing.zoom`): SVG in Jupyter, its text form elsewhere."""

    def __init__(self, svg, text):
        self.svg, self.text = svg, text

    def __repr__(self):
        return self.text

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"text/plain": self.text, "image/svg+xml": self.svg}


def show(graph_or_tensors=None, **options):
    """Display `show_graph(graph_or_tensors, **options)` right away; returns None.

    In Jupyter this shows the picture; in a plain Python session it prints the text form.
    """
    from IPython.display import display
    display(show_graph(graph_or_tensors, **options))


def graph_bundle(graph, include=None, exclude=None):
    """`Graph._repr_mimebundle_`: the picture with `defaults`, and the Graph's repr as text."""
    ops = graph.get_operations()
    if not ops:
        return {"text/plain": repr(graph)}
    if len(ops) > AUTO_MAX_OPS and defaults["depth"] == "auto":
        return {"text/plain": _summary(graph, ops)}
    drawing = show_graph(graph)
    drawing.text = repr(graph)
    return drawing._repr_mimebundle_(include, exclude)


def _text(graph, ops, whole, run):
    """The text/plain form: no addresses, no timings, the same on every machine."""
    if whole:
        text = repr(graph)[:-1]
    else:
        total = len(graph.get_operations())
        text = f"<tf.Graph drawing: {len(ops)} of {total} ops ({_op_types(ops)})"
    if run is not None:
        done = sum(1 for op in ops if run.has_value(op))
        text += f"; values after a run: {done} ops with values, {len(ops) - done} not computed"
    return text + ">"


def _summary(graph, ops):
    """What a graph too big to draw shows instead: its size and how to draw a part of it."""
    scopes = {op.name.split("/", 1)[0] for op in ops}
    return (f"{graph!r}\nNot drawn: {len(ops)} ops are too many to read in one picture. "
            f"Draw a part: show_graph(tensor) (the ops one tensor needs), "
            f"show_graph(g, depth=0) (one box per top-level name: {len(scopes)} boxes), "
            f"or write it for TensorBoard: tf.summary.FileWriter(logdir, g).")
