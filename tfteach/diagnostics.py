"""Errors that teach: `tf.explain`, `tf.explain_gradient`, and `tf.GraphGrowthWarning`.

tfteach's own additions for learners (TensorFlow has none of them; see docs/diagnostics.md).
The facts come from the graph and the session; the drawings from tfteach.display, imported
on first use, so `import tfteach` stays light.
"""
import html
import os
import re
import sys
import types
import warnings
import weakref

from . import errors
from .graph import Operation, Tensor, get_default_graph, get_default_session, graph_of
from .registry import lookup
from .variables import Variable
from .walk import downstream, needed_for_run, ref_inputs, upstream, variable_read


class GraphGrowthWarning(UserWarning):
    """The graph keeps growing between runs: ops built inside a loop, or a cell run twice.

    Turn it into an error with `warnings.simplefilter("error", tf.GraphGrowthWarning)`.
    """


# ---- what an explanation is ------------------------------------------------------------------
class Explanation:
    """What `tf.explain` found: a few lines of text and a drawing of the graph involved.

    In Jupyter it shows both (text/html: the text, and the SVG as an <img>, which an untrusted
    notebook keeps); elsewhere its repr is the text.
    `culprits` are the ops drawn with a red border; `placeholders` and `variables` list
    (op, state) pairs, e.g. (Placeholder op, "not fed").
    """

    def __init__(self, title, lines, draw=None, culprits=(), gradients="mirror"):
        self.title, self.lines = title, lines
        self.culprits = list(culprits)
        self.placeholders, self.variables = [], []
        self._draw, self._gradients, self._drawing = draw, gradients, None

    @property
    def text(self):
        return "\n".join([self.title] + self.lines)

    def __repr__(self):
        return self.text

    @property
    def drawing(self):
        """The `show_graph` Drawing of the ops involved, culprits highlighted (or None)."""
        if self._drawing is None and self._draw:
            from .display import show_graph
            self._drawing = show_graph(self._draw, highlight=self.culprits or None,
                                       gradients=self._gradients)
        return self._drawing

    def _repr_mimebundle_(self, include=None, exclude=None):
        text, picture = self.text, ""
        if self.drawing is not None:
            from .display import RenderError
            try:
                picture = _svg_img(self.drawing.svg(), "the drawing of this run, culprits outlined in red")
            except RenderError as e:
                text += "\n" + str(e)
        # HTML without <svg>: an untrusted notebook (every downloaded lesson) sanitizes its
        # HTML, which would drop the <svg> tags and leave their labels as stray text
        html_text = f'<pre style="white-space: pre-wrap">{html.escape(text)}</pre>\n{picture}'
        if picture:
            text += "\n(tf.explain's explanation: in Jupyter it comes with a drawing of the run)"
        return {"text/plain": text, "text/html": html_text}


def _svg_img(svg, alt):
    """An <img> showing `svg` from a data: URI, which JupyterLab's sanitizer keeps.

    The SVG text stays readable (and nbval's sanitize pattern for <svg> still matches it): only
    what would end the URI or the attribute is escaped.
    """
    svg = svg.strip()
    for char, code in (("%", "%25"), ("#", "%23"), ("\n", "%0A"), ("\r", "%0D"), ("\t", "%09")):
        svg = svg.replace(char, code)
    uri = "data:image/svg+xml;charset=utf-8," + svg.replace("&", "&amp;").replace("'", "&#39;")
    return f"<img alt=\"{html.escape(alt)}\" src='{uri}'>"


# ---- tf.explain ------------------------------------------------------------------------------
def explain(what=None, session=None, feed_dict=None):
    """Explain an error from `sess.run`, or what running some tensors needs.

    Args:
      what: a `tf.errors.OpError` (by default the last error, `sys.last_value`); or tensors,
        ops or variables (one or a list): then what `sess.run(what, feed_dict)` needs.
      session, feed_dict: for tensors, the session and feeds the run would use (variables
        are checked for initialization only when a session is given).
    Returns:
      An Explanation: shown in a notebook as text and a drawing of the fetched subgraph, the
      culprits (unfed placeholders, uninitialized variables) outlined in red.
    Example: `tf.explain(err)` in `except tf.errors.OpError as err:`.
    """
    if what is None:
        what = getattr(sys, "last_value", None)
        if what is None:
            raise ValueError("Nothing to explain: pass an error from sess.run, or tensors.")
    if isinstance(what, BaseException):
        if not isinstance(what, errors.OpError):
            return Explanation(f"{type(what).__name__}: {what}",
                               ["tf.explain knows the errors sess.run raises (tf.errors.*)."])
        return _explain_error(what)
    items = list(what) if isinstance(what, (list, tuple)) else [what]
    session = session or get_default_session()
    graph = session.graph if session is not None else _graph_of(items)
    fetches = [_fetchable(graph, item) for item in items]
    feeds = {graph.as_graph_element(k, allow_operation=False): v for k, v in (feed_dict or {}).items()}
    names = ", ".join(_name(f) for f in fetches[:3]) + (", ..." if len(fetches) > 3 else "")
    return _explain_run(f"What sess.run({names}) needs:", fetches, feeds, session, None)


def _explain_error(err):
    fetches = getattr(err, "fetches", None)
    first = str(err).splitlines()[0] if str(err) else ""
    title = f"{type(err).__name__}: {first}"
    if fetches is None:  # raised outside Session.run: only the failing op is known
        if err.op is None:
            return Explanation(title, ["(no graph context: this error did not come from sess.run)"])
        fetches = [err.op]
    return _explain_run(title, fetches, getattr(err, "feed_dict", {}) or {},
                        getattr(err, "session", None), err)


def _explain_run(title, fetches, feeds, session, err):
    fed = set(feeds)
    needed = needed_for_run(fetches, fed)
    missing = [op for op in needed if op.type == "Placeholder"]
    given = [t.op for t in feeds if t.op.type == "Placeholder" and t.op in needed_for_run(fetches, fed - {t})]
    placeholders = sorted(set(missing) | set(given), key=lambda op: op._id)
    variables = {}
    for op in needed:
        if op.type == "VariableV2":
            variables[op] = True
        refs = ref_inputs(op)
        for i, t in enumerate(op.inputs):
            # Assign writes, not reads; AssignAdd, the optimizers' Apply* ops read and write
            var = variable_read(t, fed) if i not in refs or op.type != "Assign" else None
            if var is not None:
                variables[var] = True
    variables = sorted(variables, key=lambda op: op._id)
    stopped = err.op if err is not None else None
    if isinstance(err, errors.FailedPreconditionError):
        m = re.search(r"uninitialized value (\S+)", str(err))
        if m and m.group(1) in [v.name for v in variables]:
            stopped = next(v for v in variables if v.name == m.group(1))
    names = _user_names(placeholders + variables)
    lines, culprits = [], []
    what = "This run needs" if err is not None else "It needs"
    if placeholders:
        lines.append(f"{what} {_count(len(placeholders), 'placeholder')}; feed_dict gives "
                     f"{len(given)} of them:")
        for op in placeholders:
            state = "fed" if op in given else "not fed"
            lines.append(_row(op, names, state, op is stopped))
            if state == "not fed":
                culprits.append(op)
    else:
        lines.append(f"{what} no placeholders.")
    states = {}
    if variables:
        lines.append(f"It reads {_count(len(variables), 'variable')}:")
        for op in variables:
            if session is None:
                state = "initialized?"
            else:
                state = "initialized" if op in session._variables else "not initialized"
            states[op] = state
            lines.append(_row(op, names, state, op is stopped))
            if state == "not initialized":
                culprits.append(op)
    lines += _advice(culprits, names)
    if err is not None and stopped is not None and stopped not in culprits:
        culprits.append(stopped)  # some other failure: outline where it stopped
        lines.append(f"The run stopped at '{stopped.name}' ({stopped.type}).")
    if culprits:
        lines.append("In the drawing of what this run computes, the culprits have red borders.")
    ex = Explanation(title, lines, fetches, culprits)
    ex.placeholders = [(op, "fed" if op in given else "not fed") for op in placeholders]
    ex.variables = [(op, states.get(op, "initialized?")) for op in variables]
    return ex


def _advice(culprits, names):
    """What to do next: feed the placeholders, initialize the variables (and why `init` may
    not cover one)."""
    unfed = [op for op in culprits if op.type == "Placeholder"]
    cold = [op for op in culprits if op.type == "VariableV2"]
    lines = []
    if unfed:
        keys = ", ".join(f"{_key(op, names)}: ..." for op in unfed)
        lines.append(f"Fix: give each placeholder a value, e.g. sess.run(..., feed_dict={{{keys}}}). "
                     f"Feeds last one run only.")
    local = _local_variables(cold)
    if local:
        listed = ", ".join(repr(op.name) for op in local)
        what = "is a local variable" if len(local) == 1 else "are local variables"
        lines.append(f"Fix: run sess.run(tf.local_variables_initializer()) in this session first: {listed} "
                     f"{what} (metrics' totals, epoch counters), which tf.global_variables_initializer() "
                     f"leaves alone.")
    cold = [op for op in cold if op not in local]
    if cold:
        lines.append("Fix: run sess.run(tf.global_variables_initializer()) in this session first "
                     "(each session keeps its own variable values).")
        graph = cold[0].graph
        for init in graph.get_operations():
            if init.type == "NoOp" and init.name.split("/")[-1].startswith("init") and init.control_inputs \
                    and all(c.type == "Assign" for c in init.control_inputs):
                late = [op for op in cold if _initializer(op) not in init.control_inputs]
                if late and init._id < late[0]._id:
                    lines.append(f"Note: '{init.name}' was made before '{late[0].name}' existed, so it "
                                 f"does not initialize it: call tf.global_variables_initializer() again "
                                 f"after creating all the variables.")
                    break
    return lines


def _local_variables(var_ops):
    """Those of `var_ops` in the LOCAL_VARIABLES collection: tf.local_variables_initializer's."""
    if not var_ops:
        return []
    local = {getattr(v, "op", None) for v in var_ops[0].graph.get_collection("local_variables")}
    return [op for op in var_ops if op in local]


# ---- tf.explain_gradient ------------------------------------------------------------------------
def explain_gradient(loss, var):
    """Why `tf.gradients(loss, var)` is (or is not) None, with a drawing.

    None means no gradient can flow from `loss` back to `var`: either `loss` is computed
    without `var` at all, or every path between them passes an op without a gradient.
    Example: `tf.explain_gradient(loss, w)` after `tf.gradients(loss, w) == [None]`.
    """
    graph = _graph_of([loss, var])
    loss = graph.as_graph_element(loss, allow_operation=False)
    start = var.op if isinstance(var, Variable) else graph.as_graph_element(var).op
    name = start.name
    forward = downstream(start, follow=lambda op: op.gradient_of is None)  # not gradient ops
    title = f"tf.gradients({loss.op.name}, {name}):"
    draw = [loss, var] + [op for op in forward if not any(c in forward for t in op.outputs
                                                          for c in t.consumers())][:8]
    if loss.op not in forward:
        reads = [op for op in set(upstream([loss.op], controls=False)) if op.type == "VariableV2"]
        lines = [f"None: there is no path from '{name}' to '{loss.op.name}'. The loss is computed "
                 f"without it, so changing it cannot change the loss."]
        if reads:
            lines.append(f"'{loss.op.name}' reads these variables: " + ", ".join(v.name for v in reads) + ".")
        twins = [v for v in reads if v is not start and _base(v.name) == _base(name)]
        if twins:
            lines.append(f"'{name}' and '{twins[0].name}' are two copies of one variable (a cell run "
                         f"twice?), and the loss uses '{twins[0].name}'. Build the graph once, after "
                         f"tf.reset_default_graph().")
        lines.append("The drawing shows both parts: what computes the loss, and what uses the "
                     "variable; they are not connected.")
        return Explanation(title, lines, draw, [start, loss.op], gradients="hide")
    between = forward & set(upstream([loss.op], controls=False))
    blocked = [op for op in sorted(between - {start}, key=lambda op: op._id)
               if lookup(op.type) is not None and not lookup(op.type).differentiable]
    if blocked:
        lines = [f"None: every path from '{name}' to '{loss.op.name}' passes an op without a "
                 f"gradient: " + ", ".join(f"'{op.name}' ({op.type})" for op in blocked) + ".",
                 "Such ops (argmax, comparisons, casts to integers, tf.stop_gradient) have no "
                 "derivative, so no gradient flows back through them."]
        return Explanation(title, lines, draw, blocked + [start], gradients="hide")
    lines = [f"There is a path from '{name}' to '{loss.op.name}' through "
             f"{_count(len(between) - 1, 'op')}, so tf.gradients can differentiate along it."]
    return Explanation(title, lines, draw, [start, loss.op], gradients="hide")


# ---- a graph that grows run after run ----------------------------------------------------------
class _Growth:
    """What one graph looked like at its last run: how many ops, which blocks of new ops
    were seen, and which warnings were given."""

    def __init__(self):
        self.count, self.blocks, self.warned = 0, set(), set()


_growth = weakref.WeakKeyDictionary()  # graph -> _Growth
LOOP_RUNS = 3  # warn when this many runs in a row each follow the same new ops


def check_growth(session):
    """Called by Session.run when the graph has more ops than at this session's last run.

    Warns (once per graph) when the same ops were built before each of the last LOOP_RUNS
    runs of a session (a loop building ops), or, in IPython, when new variables or
    placeholders repeat ops already in the graph (a cell run twice).
    """
    graph = session._graph
    state = _growth.get(graph)
    if state is None:
        state = _growth[graph] = _Growth()
    n = len(graph._ops)
    block = graph._ops[state.count:n]
    state.count = session._ops_seen = n
    if not block:
        return
    sig = tuple((op.type, _base(op.name)) for op in block)
    last_run, last_sig, streak = session._growth or (-2, (), 0)
    consecutive = last_run == session._runs - 1 and last_sig[-len(sig):] == sig
    streak = streak + 1 if consecutive else 1
    session._growth = (session._runs, sig, streak)
    if streak >= LOOP_RUNS and "loop" not in state.warned:
        state.warned.add("loop")
        warnings.warn(
            f"The graph grew by {_count(len(block), 'op')} ({_names(block)}) before each of the "
            f"last {streak} sess.run calls. Building ops inside a loop adds new nodes every step: "
            f"the graph keeps growing, each step gets slower and uses more memory, and the "
            f"drawing fills with copies. Build the ops once, before the loop, and only call "
            f"sess.run inside it (e.g. y = tf.constant(1.0) + x above the loop, then "
            f"sess.run(y) in it).", GraphGrowthWarning, stacklevel=3)
    state_ops = [op for op in block if op.type in ("Placeholder", "VariableV2")]
    repeated = sig in state.blocks or _periodic(sig)
    state.blocks.add(sig)
    if state_ops and repeated and "copy" not in state.warned and _interactive():
        state.warned.add("copy")
        first = {}
        for op in graph._ops[:block[0]._id]:
            first.setdefault((op.type, _base(op.name)), op)
        twin = first.get((state_ops[0].type, _base(state_ops[0].name)), state_ops[0])
        warnings.warn(
            f"The {_count(len(block), 'op')} just added ({_names(block)}) repeat ops already in "
            f"the graph: '{state_ops[0].name}' is a second copy of '{twin.name}'. Did a cell run "
            f"twice? The old copies stay: feeding the new placeholder does not feed the old one, "
            f"a new variable has its own value, and the graph and its drawing keep growing. Start "
            f"the cell with tf.reset_default_graph() (or %tf_reset) so running it again builds "
            f"the same graph.", GraphGrowthWarning, stacklevel=3)


def _interactive():
    """True when the code calling sess.run was typed in IPython (a notebook cell) or an
    interactive shell: only there can a cell run twice. Found from the first caller outside
    tfteach: its globals are the shell's namespace."""
    frame = sys._getframe(1)
    while frame is not None and frame.f_globals.get("__name__", "").split(".")[0] == "tfteach":
        frame = frame.f_back
    if frame is None:
        return False
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None and hasattr(ipython, "get_ipython") else None
    if shell is not None and frame.f_globals is getattr(shell, "user_ns", None):
        return True
    main = sys.modules.get("__main__")
    return hasattr(sys, "ps1") and main is not None and frame.f_globals is vars(main)


def _periodic(sig):
    """True when `sig` is one block of ops repeated (a cell run twice between two runs)."""
    n = len(sig)
    return any(n % p == 0 and sig == sig[:p] * (n // p) for p in range(1, n // 2 + 1))


# ---- IPython: errors shown with their explanation -------------------------------------------------
HIDDEN_PACKAGES = ("tfteach", "numpy", "IPython")  # their frames are left out of a notebook's traceback


def _ipython_handler(shell, etype, value, tb, tb_offset=None):
    """IPython's custom exception handler for OpErrors: the explanation of an unfed placeholder
    or an uninitialized variable first, then a traceback of the learner's own frames (none
    from tfteach, numpy or IPython) ending in TensorFlow's message, shown once."""
    try:
        ex = _notebook_explanation(value)
        if ex is not None:
            from IPython.display import display
            display(ex)
    except Exception as e:  # never hide the error behind a failing explanation
        print(f"(tf.explain failed: {e})", file=sys.stderr)
    user_tb = _user_frames(tb)
    cause = value.__cause__, value.__suppress_context__
    chained = cause[0] if cause[0] is not None else (None if cause[1] else value.__context__)
    if chained is not None and _user_frames(chained.__traceback__) is None:
        # raised inside a kernel (numpy's ValueError, ...): its message is already in the OpError's
        value.__cause__, value.__suppress_context__ = None, True
    try:
        # the error output Jupyter records (ename, evalue, these frames) comes from showtraceback
        shell.showtraceback((etype, value, user_tb or tb), tb_offset=0 if user_tb else tb_offset)
    finally:
        value.__cause__, value.__suppress_context__ = cause
    sys.last_traceback = tb  # %debug still reaches every frame


def _notebook_explanation(err):
    """The explanation shown above an unfed-placeholder or uninitialized-variable error, or None.
    Its title does not repeat the message: the traceback under it ends with that."""
    if getattr(err, "fetches", None) is None or not isinstance(
            err, (errors.FailedPreconditionError, errors.InvalidArgumentError)):
        return None
    ex = _explain_error(err)
    if not any(op.type in ("Placeholder", "VariableV2") for op in ex.culprits):
        return None
    ex.title = f"Why sess.run failed (the {type(err).__name__} is below):"
    return ex


def _user_frames(tb):
    """A new traceback chain holding only the frames of `tb` whose code is outside
    HIDDEN_PACKAGES (the learner's cells and modules), or None when no frame is left."""
    hidden = tuple(os.path.dirname(sys.modules[name].__file__) + os.sep
                   for name in HIDDEN_PACKAGES if getattr(sys.modules.get(name), "__file__", None))
    kept = []
    while tb is not None:
        if not tb.tb_frame.f_code.co_filename.startswith(hidden):
            kept.append(tb)
        tb = tb.tb_next
    chain = None
    for t in reversed(kept):
        chain = types.TracebackType(chain, t.tb_frame, t.tb_lasti, t.tb_lineno)
    return chain


def install_ipython_handler(shell):
    """Show OpErrors with their explanation in `shell`; leaves another handler in place."""
    if shell.custom_exceptions in ((), (errors.OpError,)):
        shell.set_custom_exc((errors.OpError,), _ipython_handler)


def _register_in_ipython():
    """On `import tfteach` inside IPython (already loaded, so this costs nothing)."""
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None and hasattr(ipython, "get_ipython") else None
    if shell is not None and hasattr(shell, "set_custom_exc"):
        install_ipython_handler(shell)


# ---- small helpers -------------------------------------------------------------------------------
def _graph_of(items):
    objs = [i for i in items if not isinstance(i, str)]
    return graph_of(objs) if objs else get_default_graph()


def _fetchable(graph, item):
    return item.value() if isinstance(item, Variable) else graph.as_graph_element(item)


def _initializer(var_op):
    return next((c for t in var_op.outputs for c in t.consumers() if c.type == "Assign"
                 and c.name == var_op.name + "/Assign"), None)


def _base(name):
    """'Variable_1/read' -> 'Variable/read': a name without TF's uniquifying suffixes."""
    return re.sub(r"_\d+(?=/|$)", "", name)


def _user_names(ops):
    """{op: the name the learner's code gives its tensor or variable}, from `__main__`."""
    main = sys.modules.get("__main__")
    wanted, found = set(ops), {}
    for key, value in list(vars(main).items()) if main is not None else []:
        if key.startswith("_"):
            continue
        op = value.op if isinstance(value, (Tensor, Variable)) else None
        if isinstance(op, Operation) and op in wanted:
            found.setdefault(op, key)
    return found


def _row(op, names, state, stopped):
    t = op.outputs[0]
    who = f"{names[op]} = {op.name}" if op in names else op.name
    shape = str(t.shape).replace("<unknown>", "?")
    mark = "   <- the run stopped here" if stopped else ""
    return f"  {who:<28} {t.dtype.base_dtype.name:<8} {shape:<14} {state}{mark}"


def _key(op, names):
    return names.get(op) or f"'{op.outputs[0].name}'"


def _name(f):
    return f.name if isinstance(f, (Tensor, Operation)) else str(f)


def _names(ops, limit=4):
    shown = ", ".join(op.name for op in ops[:limit])
    return shown + (", ..." if len(ops) > limit else "")


def _count(n, word):
    return f"{n} {word}{'' if n == 1 else 's'}"
