"""Values after a run, for the drawing: what each op computed, from the session's record mode.

`run_values` runs a session once through `Session.record` (the same plan and kernels as
`run`); `summarize` turns a value into the few words a node shows.
"""
import numpy as np

from .. import errors
from ..graph import Tensor
from ..ops import control as _control
from ..registry import lookup
from ..walk import ref_inputs, variable_read

_DEAD = getattr(_control, "DEAD", object())  # tf.cond's value on the branch not taken


class RunValues:
    """What one run computed: each executed op's outputs, and variables as the run began.

    `outputs` maps an op to its list of output values (ops the run skipped are absent);
    `variables` maps a VariableV2 op to its value, or None when it was not initialized.
    """

    def __init__(self, record, variables=None, fed=None):
        self.outputs = {op: list(outs) for op, outs in record}
        for t, value in (fed or {}).items():  # a fed tensor's op does not run: show the feed
            self.outputs.setdefault(t.op, [None] * len(t.op.outputs))[t.value_index] = value
        self.variables = dict(variables or {})

    def computed(self, op):
        return op in self.outputs

    def has_value(self, op):
        """Computed; or a variable's `read` that the run's ops read (see `read_by_run`)."""
        return op in self.outputs or self.read_by_run(op)

    def read_by_run(self, op):
        """True for a variable or its `read` whose value the run used: tfteach's kernels read
        variables when their consumers run, so the `read` Identity itself is not recorded."""
        if len(op.outputs) != 1 or variable_of(op.outputs[0]) is None:
            return False
        var = variable_of(op.outputs[0])
        return self.variables.get(var) is not None or any(
            c in self.outputs for c in op.outputs[0].consumers())

    def value(self, tensor):
        """The value `tensor` had in the run; KeyError when the run did not compute it."""
        if tensor.op in self.outputs:
            return self.outputs[tensor.op][tensor.value_index]
        var = variable_of(tensor)
        if var is not None and self.variables.get(var) is not None:
            return self.variables[var]  # variables are read by their consumers, not recorded
        raise KeyError(tensor.name)


def run_values(session, ops, fetches=None, feed_dict=None):
    """Run `fetches` once in record mode and return a RunValues for the drawing.

    With `fetches=None`, runs every op in `ops` that can run without changing a variable:
    no Assign or Apply* (nor what depends on them), no placeholder that is not fed.
    Variables are read first, so they show the values the run started from.
    """
    graph = session.graph
    fed = {}
    for key, value in (feed_dict or {}).items():
        fed[graph.as_graph_element(key, allow_operation=False)] = np.asarray(value)
    variables = {}
    for op in ops:
        if op.type == "VariableV2":
            try:
                variables[op] = session.run(op.outputs[0])
            except errors.FailedPreconditionError:
                variables[op] = None
    if fetches is None:
        fetches = _side_effect_free(ops, fed, variables)
    else:  # what reads an uninitialized variable cannot run: the drawing says so instead
        stuck = _closure(ops, lambda op: op.type == "VariableV2" and variables.get(op) is None, fed)
        fetches = [f for f in fetches if (f.op if isinstance(f, Tensor) else f) not in stuck]
    record = session.record(fetches, feed_dict)[1] if fetches else []
    return RunValues(record, variables, fed)


def from_record(record):
    """A RunValues from `run_metadata.record` (or `Session.record(...)[1]`) of an earlier run."""
    if hasattr(record, "record"):
        record = record.record
    if record is None:
        raise ValueError("This RunMetadata holds no record: pass it to sess.run(..., "
                         "run_metadata=meta) first.")
    return RunValues(record)


def _side_effect_free(ops, fed, variables):
    """The fetches for 'everything that can run': tensors (or ops) that change no state."""
    blocked = _closure(ops, lambda op: _cannot_run(op, fed, variables), fed)
    fetches = []
    for op in ops:
        if op in blocked:
            continue
        outs = [t for t in op.outputs if t not in fed]
        if outs:
            fetches.append(outs[0])
        elif not op.outputs:
            fetches.append(op)
    return fetches


def _cannot_run(op, fed, variables):
    d = lookup(op.type)
    if d is None or d.kernel is None or d.writes:
        return True
    if op.type == "Placeholder" and op.outputs[0] not in fed:
        return True
    return op.type == "VariableV2" and variables.get(op) is None


def _closure(ops, start, fed):
    """The ops for which `start(op)` holds, and every op reading from them (not via a ref
    input, not past a feed), found by sweeping until nothing changes."""
    out = {op for op in ops if start(op)}
    changed = True
    while changed:  # ops created later can only be control inputs of earlier ones
        changed = False
        for op in ops:
            if op in out:
                continue
            refs = ref_inputs(op)
            if (any(t.op in out and t not in fed for i, t in enumerate(op.inputs) if i not in refs)
                    or any(c in out for c in op.control_inputs)):
                out.add(op)
                changed = True
    return out


# ---- which value belongs where ----------------------------------------------------------
def variable_of(tensor):
    """The VariableV2 op whose value `tensor` is (the variable or its `read`), else None."""
    return variable_read(tensor)


def variable_gradient(var_op):
    """The tensor holding d(loss)/d(variable) in the graph, or None when it cannot be told.

    Found from the graph's structure, not from names: the `grad` input of an optimizer's
    Apply* op; else the AddN summing the variable's fan-in (`gradient_of` says whose);
    else the one output of its consumer's `_grad` ops with the variable's shape.
    """
    ref = var_op.outputs[0]
    for c in ref.consumers():
        d = lookup(c.type)
        if c.type.startswith("Apply") and d is not None and c.inputs[0] is ref:
            for name, t in zip(d.inputs, c.inputs):
                if name in ("grad", "delta"):
                    return t
    values = [ref] + [t for c in ref.consumers() if c.type == "Identity" for t in c.outputs]
    reads = {t.op for t in values}
    groups = {}  # forward op -> the ops of its `_grad` rule
    for op in var_op.graph.get_operations():
        if op.gradient_of is None:
            continue
        forward, kind = op.gradient_of
        if forward in reads and kind == "aggregate":
            return op.outputs[0]
        if kind is None:
            groups.setdefault(forward, []).append(op)
    users = [(c, t) for t in values for c in t.consumers() if c in groups]
    if len(users) != 1:
        return None
    user, t = users[0]
    shape = t.shape.as_tuple()
    if shape is None or sum(1 for x in user.inputs if x.shape.as_tuple() == shape) != 1:
        return None  # another input of the same shape: its gradient would look the same
    inside = set(groups[user])
    outs = [o for op in groups[user] for o in op.outputs
            if o.shape.as_tuple() == shape and not any(c in inside for c in o.consumers())]
    return outs[0] if len(outs) == 1 else None


# ---- words for values -----------------------------------------------------------------
def summarize(value):
    """A value as one or two short lines: scalars in full, arrays as shape and a summary.

    Example: 0.8 -> ["0.8"]; a (64, 100) array -> ["(64, 100) mean 0.0123", "min -3.2 max 4.1"].
    """
    if value is _DEAD:
        return ["not taken (tf.cond)"]
    if value is None:
        return ["ran"]
    a = np.asarray(value)
    if a.ndim == 0:
        return [str(a[()])]
    shape = "(" + ", ".join(str(n) for n in a.shape) + ("," if a.ndim == 1 else "") + ")"
    if a.size == 0:
        return ["[]"]
    if a.size <= 4 and a.ndim == 1:
        return [np.array2string(a, precision=4, separator=", ")]
    if a.dtype == bool:
        return [f"{shape} {int(a.sum())} of {a.size} true"]
    if not np.issubdtype(a.dtype, np.number):
        return [f"{shape} {a.dtype.name}"]
    return [f"{shape} mean {_num(a.mean())}", f"min {_num(a.min())} max {_num(a.max())}"]


def _num(x):
    return f"{float(x):.4g}"
