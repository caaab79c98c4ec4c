"""`%load_ext tfteach`: text reprs for IPython and the magics used in class.

The pictures need no extension (a Graph has `_repr_mimebundle_`); loading it adds
`%tf_reset` (a fresh default graph at the top of a cell) and `%tf_graph` (draw it), and shows
errors from `sess.run` with `tf.explain`'s drawing (as `import tfteach` inside IPython does).
"""
import ast

from IPython.core.magic import Magics, line_magic, magics_class

from .. import graph as _graph
from ..diagnostics import install_ipython_handler
from ..variables import Variable
from .drawing import show_graph


def load_ipython_extension(ipython):
    """Called by `%load_ext tfteach`; safe to call again."""
    text = ipython.display_formatter.formatters["text/plain"]
    for cls in (_graph.Graph, _graph.Tensor, _graph.Operation, Variable):
        # the TF1 reprs, exactly (IPython's pretty printer would otherwise add nothing, but
        # registering keeps them stable whatever other extensions do)
        text.for_type(cls, _pretty_repr)
    ipython.register_magics(TfMagics)
    install_ipython_handler(ipython)


def _pretty_repr(obj, printer, cycle):
    printer.text(repr(obj))


@magics_class
class TfMagics(Magics):
    """Magics for teaching with tfteach."""

    @line_magic
    def tf_reset(self, line=""):
        """%tf_reset: start a new, empty default graph (put it at the top of a cell).

        Re-running the cell then rebuilds the same nodes with the same names, instead of
        piling up `Placeholder_9`. Like `tf.reset_default_graph()`.
        """
        _graph.reset_default_graph()

    @line_magic
    def tf_graph(self, line=""):
        """%tf_graph [depth=1] [gradients='hide'] [theme='dark']: draw the default graph.

        Takes show_graph's keyword options, written as name=value.
        """
        return show_graph(_graph.get_default_graph(), **_options(line))


def _options(line):
    """'depth=1 gradients=hide' -> {'depth': 1, 'gradients': 'hide'}."""
    options = {}
    for word in line.split():
        name, eq, value = word.partition("=")
        if not eq:
            raise ValueError(f"%tf_graph takes name=value options, got {word!r}")
        try:
            options[name] = ast.literal_eval(value)
        except (ValueError, SyntaxError):
            options[name] = value
    return options
