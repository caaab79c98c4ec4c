"""show_graph: a graph (or the part computing some tensors) drawn for Jupyter.

Engine objects' display hooks (`Graph._repr_mimebundle_`, `Tensor.show()`, `Operation.show()`,
`Variable.show()`) import this module on first use; `import tfteach` never does.
"""
from ..graph import Graph, _op_types, get_default_graph
from . import render
from .dot import dot_text
from .scene import build_scene, select
from .values import from_record, run_values

# What a Graph left at the end of a cell looks like, and what show_graph uses for options left
# as None. E.g. `tf.display.defaults["theme"] = "dark"`.
defaults = {"gradients": "mirror", "depth": None, "theme": "light", "renderer": "auto"}
RENDERERS = ("auto", "dot", "builtin")


class Drawing:
    """A drawn graph: SVG in Jupyter, its text form elsewhere; `.source` is the DOT text.

    The SVG comes from Graphviz's `dot`, or, when it is not installed, from tfteach's own
    layout of the same `scene` (`renderer`: "auto", "dot" or "builtin").
    `save("g.png")` writes a file (png, pdf, ... need `dot`; `.svg` works without it; `.dot`
    writes the source).
    """

    def __init__(self, source, text, fallback=None, scene=None, renderer="auto"):
        self.source = source
        self.text = text
        self.scene = scene  # what the built-in layout draws (None: dot only)
        self.renderer = renderer
        self._fallback = fallback  # makes a plainer source if dot rejects this one

    def __repr__(self):
        return self.text

    def _repr_mimebundle_(self, include=None, exclude=None):
        def wanted(key):
            return (not include or key in include) and not (exclude and key in exclude)
        data = {"text/plain": self.text}
        if wanted("image/svg+xml"):
            try:
                data["image/svg+xml"] = self.svg()
            except render.RenderError as e:
                data["text/plain"] = f"{self.text}\n{e}"
        return data

    def svg(self):
        """The picture as SVG text: from `dot`, else from the built-in layout with a note
        saying so (raises render.RenderError when neither can draw it)."""
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
               depth=None, highlight=None, theme=None, renderer=None):
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
      depth: levels of name-scope boxes to open; deeper ones become one node (None: all).
      highlight: tensors, ops, variables or names drawn with a thick red border.
      theme: "light" (default) or "dark".
      renderer: "auto" (default: Graphviz's `dot` when installed, else tfteach's own
        layout), "dot" (Graphviz only) or "builtin" (always tfteach's own layout).
    Returns:
      A Drawing: the last expression of a cell shows it; `.save("g.png")` writes it.
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

    def scene(grads):
        return build_scene(graph_or_tensors, run, grads, depth, highlight, theme)

    drawn = scene(gradients)
    return Drawing(dot_text(drawn), _text(graph, ops, whole, run),
                   (lambda: dot_text(scene("inline"))) if gradients == "mirror" else None,
                   drawn, renderer)


def show(graph_or_tensors=None, **options):
    """Display `show_graph(graph_or_tensors, **options)` right away; returns None.

    In Jupyter this shows the picture; in a plain Python session it prints the text form.
    """
    from IPython.display import display
    display(show_graph(graph_or_tensors, **options))


def graph_bundle(graph, include=None, exclude=None):
    """`Graph._repr_mimebundle_`: the picture with `defaults`, and the Graph's repr as text."""
    if not graph.get_operations():
        return {"text/plain": repr(graph)}
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
