"""Backprop replay: one run recorded op by op, then stepped through: forward, backward, update.

`Replay` runs the fetches once through `Session.record` (the same plan and kernels as
`sess.run`) and keeps the record. Positions, the highlight, the greyed-out ops, the arithmetic
of each step and the drawing of any position are plain methods; the widget (replay_view.py)
only calls them. See docs/replay.md.
"""
import numpy as np

from ..display import Drawing
from ..display.dot import dot_text
from ..display.scene import Text, build_scene
from ..display.values import RunValues
from ..graph import Tensor
from ..ops.control import DEAD
from ..registry import lookup
from ..graph import get_default_session
from ..variables import Variable
from ..walk import upstream, variable_read
from .config import REPLAY_CONTROLS, REPLAY_KEYS, check, dump_config, load_config
from .replay_rules import Words, _brief
from .stepper import WIDGET_NOTE

MAX_OP_STEPS = 150    # a run executing more ops is replayed by name scope
MAX_POSITIONS = 150   # more steps than this even by top-level name scope: too big to replay
MAX_CAPTION = 6       # lines of arithmetic written above the picture


class Step:
    """One recorded op: the values it read, the values it computed, and the words for it."""

    def __init__(self, index, op, inputs, outputs):
        self.index, self.op = index, op
        self.inputs = inputs        # [(tensor, value when the op ran)]
        self.outputs = outputs      # [value], one per output
        self.phase = "forward"      # or "gradient" or "update"
        self.lines = []             # the arithmetic, one line each
        self.short = ""             # the line written beside the node in the picture
        self.key = True             # kept when steps are grouped into one position
        self.summary = None         # what is kept then (default: the lines)

    name = property(lambda self: self.op.name)
    type = property(lambda self: self.op.type)

    def __repr__(self):
        return f"Step({self.index}, {self.name!r}, {self.type}, {self.phase})"


_DEFAULT = object()  # an argument not given (depth=None means something: every box open)


class Replay:
    """One run of `fetches`, recorded op by op, to step through forward, backward and update.

    Args:
      fetches: what `sess.run` would get: a train op, tensors, or a list of them.
      session: the Session holding the variables (default: the default session). The run is
        real: a train op takes one step, as `sess.run(train_step)` would.
      feed_dict: feeds for the run.
      group: "op" (one position per executed op); "scope" (one per forward op, with the
        constants and variable reads it uses, and one per `<op>_grad` box; on a large run, one
        per name scope and its gradients); or "auto": by op unless the run executes more than
        MAX_OP_STEPS ops.
      depth: name-scope levels the drawing opens (1: each `<op>_grad` box is one node);
        None opens all.
      theme: "light" or "dark".
      config: a teacher's classroom configuration (a dict, a JSON file's path or JSON text) with
        any of: controls (which of prev, next, play, slider, whole show), position (shown
        first), group, depth, theme. Arguments given here win over it; `export_config()`
        writes the current one.
      controls: the controls that show (default: all).

    Example (the seed neuron)::

        r = Replay(train_step, session=sess)
        r.next(); r.explain()   # ['weight/read reads the variable weight = 0.8']
        r                       # as the last line of a cell: the widget
    """

    def __init__(self, fetches, session=None, feed_dict=None, group=None, depth=_DEFAULT, theme=None,
                 config=None, controls=None):
        setup = load_config(config, REPLAY_KEYS, REPLAY_CONTROLS)
        given = check({k: v for k, v in dict(controls=controls, group=group, theme=theme).items()
                       if v is not None}, "Replay's arguments", REPLAY_CONTROLS)
        setup.update(given)
        group, theme = setup.get("group", "auto"), setup.get("theme", "light")
        if depth is _DEFAULT:  # depth=None (a configuration's "all"): every box open
            depth = setup.get("depth", 1)
            depth = None if depth == "all" else depth
        self.controls = list(setup.get("controls", REPLAY_CONTROLS))
        session = session if session is not None else get_default_session()
        if session is None:
            raise ValueError("replay needs the session holding the variables: "
                             "replay(train_step, session=sess).")
        if group not in ("auto", "op", "scope"):
            raise ValueError(f"group must be 'auto', 'op' or 'scope', got {group!r}")
        if theme not in ("light", "dark"):
            raise ValueError(f"theme must be 'light' or 'dark', got {theme!r}")
        self.session, self.graph, self.fetches = session, session.graph, fetches
        self.depth, self.theme = depth, theme
        self._items = [self.graph.as_graph_element(f) for f in _flatten(fetches)]
        self.ops = _closure(self._items)  # what the picture shows
        fed = {}
        for key, value in (feed_dict or {}).items():
            t = self.graph.as_graph_element(key, allow_operation=False)
            fed[t] = np.asarray(value, dtype=t.dtype.base_dtype.np)
        self._fed = fed
        self.start = {op: session.run(op.outputs[0]) for op in self.ops if op.type == "VariableV2"}
        self.results, self.record = session.record(fetches, feed_dict)
        self.steps = self._make_steps()
        if not self.steps:
            raise ValueError("replay: the run executed no op (everything it needs was fed).")
        Words(self).write()
        self.positions, self.group, self.note = self._group(group)
        self._position = 0
        if setup.get("position"):
            self._position = min(setup["position"], len(self.positions) - 1)
        self._listeners = []    # called after every move (the widget's refresh)
        self._svgs = {}
        self._view = None

    # ---- the record ---------------------------------------------------------------------
    def _make_steps(self):
        """One Step per record entry, with the values each op read when it ran."""
        current = dict(self._fed)          # tensor -> its latest value in the run
        variables = dict(self.start)       # VariableV2 op -> its value, as writes change it
        steps = []
        for i, (op, outs) in enumerate(self.record):
            d = lookup(op.type)
            refs = d.ref_inputs if d is not None else ()
            inputs = [(t, variables.get(t.op) if k in refs or t.op.type == "VariableV2"
                       else current.get(t)) for k, t in enumerate(op.inputs)]
            current.update(zip(op.outputs, outs))
            if d is not None and d.writes and refs and outs:
                variables[op.inputs[refs[0]].op] = outs[0]
            steps.append(Step(i, op, inputs, list(outs)))
        ran = {s.op for s in steps}
        update = set()
        for s in steps:  # writers, and what runs after them because of them
            d = lookup(s.op.type)
            if s.op.gradient_of is None and ((d is not None and d.writes)
                                             or any(t.op in update for t in s.op.inputs)
                                             or any(c in update for c in s.op.control_inputs)):
                update.add(s.op)
        for s in reversed(steps):  # what only the updates use (the learning rate)
            users = [c for t in s.op.outputs for c in t.consumers() if c in ran]
            if s.op.gradient_of is None and users and all(c in update for c in users):
                update.add(s.op)
        for s in steps:
            s.phase = "gradient" if s.op.gradient_of is not None else (
                "update" if s.op in update else "forward")
        return steps

    def _group(self, group):
        """(positions as lists of step indices, "op" or "scope", a note or None)."""
        n = len(self.steps)
        if group == "op" or (group == "auto" and n <= MAX_OP_STEPS):
            if n > MAX_OP_STEPS:
                raise ValueError(
                    f"replay: this run executes {n} ops, too many to replay op by op (at most "
                    f"{MAX_OP_STEPS}). Use group='scope' (one step per name scope and per "
                    f"<op>_grad box), or replay a smaller part of the graph.")
            return [[i] for i in range(n)], "op", None
        deepest = max(s.name.count("/") + 1 for s in self.steps)
        for level in range(deepest, 0, -1):
            positions = self._by_scope(level)
            if len(positions) <= MAX_POSITIONS:
                note = None
                if group == "auto":
                    note = (f"This run executes {n} ops, too many to replay op by op (at most "
                            f"{MAX_OP_STEPS}): each of the {len(positions)} steps is one name "
                            f"scope{'' if level == 1 else f' ({level} levels deep)'}, or its gradients.")
                return positions, "scope", note
        raise ValueError(
            f"replay: this run executes {n} ops, too many to replay even one top-level name scope "
            f"at a time ({len(positions)} steps, at most {MAX_POSITIONS}). Put the model's parts "
            f"in tf.name_scope(...) blocks, or replay a smaller part of the graph.")

    def _by_scope(self, level):
        """Consecutive steps with the same key form one position: a forward op's key is the
        first `level` parts of its name; a gradient op's is its forward op's key, so each
        `<op>_grad` box is one position. Constants and variable reads join the next step."""
        def key(op):
            of = op.gradient_of
            if of is not None:
                return ("∇",) + (key(of[0]) if of[0] is not None else ("seed",))
            return ("/".join(op.name.split("/")[:level]),)
        positions, pending, last = [], [], None
        for s in self.steps:
            k = key(s.op)
            if k == last and not pending:
                positions[-1].append(s.index)
            elif _is_leaf(s.op):
                pending.append(s.index)
            else:
                positions.append(pending + [s.index])
                pending, last = [], k
        if pending:
            positions.append(pending)
        return positions

    # ---- where we are ---------------------------------------------------------------------
    @property
    def position(self):
        """The current position, 0 to len(positions) - 1."""
        return self._position

    @position.setter
    def position(self, k):
        k = max(0, min(int(k), len(self.positions) - 1))
        if k != self._position:
            self._position = k
            for listener in list(self._listeners):
                listener()

    def go(self, k):
        self.position = k

    def next(self):
        self.position = self._position + 1

    def prev(self):
        self.position = self._position - 1

    def steps_at(self, position=None):
        """The Steps run at `position` (default: the current one)."""
        return [self.steps[i] for i in self.positions[self._at(position)]]

    def highlighted(self, position=None):
        """Names of the ops run at `position`: drawn with a thick red border."""
        return {s.name for s in self.steps_at(position)}

    def executed(self, position=None):
        """Names of the ops run up to and including `position`."""
        last = self.positions[self._at(position)][-1]
        return {s.name for s in self.steps[:last + 1]}

    def greyed(self, position=None):
        """Names of the drawn ops not run yet (variables and fed tensors hold values already)."""
        done = self.executed(position)
        fed = {t.op for t in self._fed}
        return {op.name for op in self.ops
                if op.name not in done and op.type != "VariableV2" and op not in fed}

    def phase(self, position=None):
        return self.steps_at(position)[-1].phase

    def explain(self, position=None):
        """The arithmetic of `position`, as lines of text."""
        steps = self.steps_at(position)
        if len(steps) == 1:
            return list(steps[0].lines)
        lines = []
        for s in steps:
            for line in ((s.summary or s.lines) if s.key else []):
                if line not in lines:
                    lines.append(line)
        return lines or [f"{steps[-1].name}: bookkeeping ops ({len(steps)})"]

    def label(self, position=None):
        """'step 3 of 56 · forward', the position in words."""
        k = self._at(position)
        text = f"step {k + 1} of {len(self.positions)} · {self.phase(k)}"
        if self.group == "scope":
            first, last = self.positions[k][0] + 1, self.positions[k][-1] + 1
            ops = f"op {first}" if first == last else f"ops {first}–{last}"
            text += f" ({ops} of {len(self.steps)})"
        return text

    def _at(self, position):
        return self._position if position is None else int(position)

    # ---- the picture ----------------------------------------------------------------------
    def scene(self, position=None, gradients="mirror"):
        """The Scene drawn at `position` (see tfteach/display/scene.py): values so far, the ops
        of this position highlighted, the ops not run yet greyed out, the step's result beside
        its node, "updated: a → b" beside updated variables, the arithmetic above."""
        k = self._at(position)
        last = self.positions[k][-1]
        values = RunValues(self.record[:last + 1], self.start, self._fed)
        scene = build_scene(self._items, values, gradients, self.depth,
                            [s.op for s in self.steps_at(k)], self.theme)
        pal, node = scene.palette, scene.node_of
        members = {}
        for op in self.ops:
            members.setdefault(node.get(op.name), []).append(op.name)
        greyed = self.greyed(k)
        scene.grey_out(n for n, names in members.items() if all(x in greyed for x in names))
        steps = self.steps_at(k)
        keep = 2 if steps[-1].phase == "gradient" else 1   # a box's two results, or one op's
        short = [s.short for s in steps if s.short and s.key][-keep:] or [steps[-1].short]
        target = self.focus(k, scene)
        beside = {target: [Text(t, pal["highlight"], 11, True) for t in short if t]}
        for s in self.steps[:last + 1]:
            if s.phase == "update" and lookup(s.type) is not None and lookup(s.type).writes:
                var = s.op.inputs[0].op
                if var in self.start and node.get(var.name) not in (None, target):
                    before, after = _brief(self.start[var]), _brief(s.outputs[0] if s.outputs else None)
                    beside[node[var.name]] = [Text(f"updated: {before} → {after}", pal["highlight"], 10, False)]
        for n in scene.nodes:
            n.xlabel = beside.get(n.id, [])
        # each line once in the picture: what is written beside the node is left out above
        written = {t.text for texts in beside.values() for t in texts}
        lines = [line for line in self.explain(k) if line not in written]
        if len(lines) > MAX_CAPTION:
            lines = lines[:MAX_CAPTION - 1] + [f"… {len(lines) - MAX_CAPTION + 1} more lines"]
        scene.caption = ([Text(self.label(k), None, 14, True)]
                         + [Text(line, None, 13, False) for line in lines])
        return scene

    def focus(self, position=None, scene=None):
        """The id of the node drawing the op that ran last at `position` (the one to look at:
        the widget keeps it in view)."""
        k = self._at(position)
        scene = scene or build_scene(self._items, None, "mirror", self.depth, theme=self.theme)
        return scene.node_of[self.steps_at(k)[-1].name]

    def dot(self, position=None):
        """The DOT text of the drawing at `position` (no Graphviz needed)."""
        return dot_text(self.scene(position))

    def svg(self, position=None):
        """The picture at `position` as SVG text: drawn by Graphviz's `dot`, or without it by
        tfteach's own layout of the same Scene."""
        k = self._at(position)
        if k not in self._svgs:
            self._svgs[k] = self.drawing(k).svg()
        return self._svgs[k]

    def drawing(self, position=None):
        """A `tfteach.display.Drawing` of `position`: `.save('step.png')`, `.source`, `.scene`."""
        k = self._at(position)
        scene = self.scene(k)
        drawing = Drawing(dot_text(scene), f"<Replay drawing: {self.label(k)}>",
                          lambda: dot_text(self.scene(k, "inline")), scene, "auto", self.theme)
        drawing.focus = [self.focus(k, scene)]  # too wide to read whole: shown around it
        return drawing

    # ---- for teachers -------------------------------------------------------------------
    @property
    def config(self):
        """This replay's classroom configuration now (see `config=`), as a dict."""
        return {"controls": list(self.controls), "position": self._position, "group": self.group,
                "depth": "all" if self.depth is None else self.depth, "theme": self.theme}

    def export_config(self):
        """The configuration as one line of JSON: `Replay(..., config=that)` elsewhere gives the
        same controls at the same position."""
        return dump_config(self.config, "Replay", REPLAY_KEYS)

    def export(self):
        """The record as a list of plain dicts, one per executed op, in execution order.

        Each: {"step": 1-based, "position": 1-based, "phase", "op", "type",
        "inputs": [{"tensor": name, "value": ...}], "output": value (a list for several
        outputs, None for none), "text": the arithmetic}. Values are Python numbers or
        nested lists, e.g. for printing or for an exercise ("what is the value at step 7?").
        """
        where = {i: k for k, pos in enumerate(self.positions) for i in pos}
        out = []
        for s in self.steps:
            outputs = [_plain(v) for v in s.outputs]
            out.append({"step": s.index + 1, "position": where[s.index] + 1, "phase": s.phase,
                        "op": s.name, "type": s.type,
                        "inputs": [{"tensor": t.name, "value": _plain(v)} for t, v in s.inputs],
                        "output": outputs[0] if len(outputs) == 1 else (outputs or None),
                        "text": "; ".join(s.lines)})
        return out

    def table(self, steps=None):
        """The record as printable text: one line per executed op (or the given indices)."""
        rows = []
        for s in (self.steps if steps is None else [self.steps[i] for i in steps]):
            text = (s.lines[-1] if s.phase == "gradient" else s.lines[0]) if s.lines else ""
            rows.append(f"{s.index + 1:>4}  {s.phase:<8}  {s.name} ({s.type}): {text}")
        return "\n".join(rows)

    # ---- the widget -----------------------------------------------------------------------
    @property
    def widget(self):
        """The ipywidgets view (made on first use)."""
        if self._view is None:
            from .replay_view import ReplayView
            self._view = ReplayView(self)
        return self._view

    def _repr_mimebundle_(self, include=None, exclude=None, **kwargs):
        bundle = dict(self.widget.box._repr_mimebundle_(include=include, exclude=exclude, **kwargs) or {})
        bundle["text/plain"] = f"{self!r}\n{WIDGET_NOTE}"
        return bundle

    def __repr__(self):
        counts = ", ".join(f"{sum(s.phase == p for s in self.steps)} {p}"
                           for p in ("forward", "gradient", "update"))
        what = ", ".join(getattr(i, "name", str(i)) for i in self._items)
        first = self.explain()[0] if self.explain() else ""
        return (f"<Replay of {what}: {len(self.steps)} ops run ({counts}); {self.label()}: {first}>")


def replay(fetches, session=None, feed_dict=None, **options):
    """Run `fetches` once in record mode and return a `Replay` to step through (a widget).

    Example: `tfteach.widgets.replay(train_step, session=sess, feed_dict={x: batch})`.
    Options: group="auto"|"op"|"scope", depth=1, theme="light" (see `Replay`).
    """
    return Replay(fetches, session=session, feed_dict=feed_dict, **options)


# ---- small helpers ------------------------------------------------------------------------
def _flatten(fetches):
    if isinstance(fetches, dict):
        return [x for v in fetches.values() for x in _flatten(v)]
    if isinstance(fetches, (list, tuple)):
        return [x for v in fetches for x in _flatten(v)]
    return [fetches]


def _closure(items):
    """The ops `items` depend on (data, reference and control inputs), in creation order."""
    return upstream([i.op if isinstance(i, (Tensor, Variable)) else i for i in items])


def _is_leaf(op):
    return op.type == "Const" or (bool(op.outputs) and variable_read(op.outputs[0]) is not None)


def _plain(v):
    """A value as plain Python: numbers as they print (0.8, not 0.800000011920929), lists."""
    if v is None or v is DEAD:
        return None
    a = np.asarray(v)
    if a.dtype.kind == "f":
        if a.ndim == 0:
            return float(str(a[()]))
        return np.vectorize(lambda x: float(str(x)), otypes=[object])(a).tolist()
    return a.tolist()
