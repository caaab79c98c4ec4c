"""The words of a backprop replay: each recorded op's arithmetic, written out with numbers.

For a forward op its expression (`output = weight × input = 0.8 × 1.0 = 0.8`); for a gradient
op the local rule of its forward op and the chain rule (`d(weight × input)/d(weight) = input =
1.0`, `∂loss/∂weight = ∂loss/∂output × d(output)/d(weight) = 1.6 × 1.0 = 1.6`); for an update
the value before and after. Used by replay.py; mirrors the rules in TF's math_grad.py.
"""
import re

import numpy as np

from ..ops.control import DEAD
from ..registry import lookup
from ..walk import variable_read
from .stepper import Update, format_update


def _local(op_type):
    """The local derivatives registered in the op's block (registry.local_derivatives), or ()."""
    d = lookup(op_type)
    return d.local if d is not None and d.local is not None else ()


# Each forward op type: its expression in its inputs {0}, {1}.
_EXPR = {
    "Mul": "{0} × {1}", "Add": "{0} + {1}", "AddV2": "{0} + {1}", "BiasAdd": "{0} + {1}",
    "Sub": "{0} − {1}", "RealDiv": "{0} / {1}", "Div": "{0} / {1}", "Pow": "{0} ^ {1}",
    "MatMul": "{0} @ {1}", "Neg": "−{0}", "Square": "{0}²", "Sqrt": "√{0}", "Exp": "exp({0})",
    "Log": "log({0})", "Sigmoid": "σ({0})", "Tanh": "tanh({0})", "Relu": "max({0}, 0)",
    "Maximum": "max({0}, {1})", "Minimum": "min({0}, {1})", "Identity": "{0}",
    "SquaredDifference": "({0} − {1})²", "Mean": "mean({0})", "Sum": "sum({0})",
    "Greater": "{0} > {1}", "Select": "{1} if {0} else {2}", "Reshape": "reshape({0})",
    "Tile": "tile({0}, {1})", "ZerosLike": "zeros like {0}", "OnesLike": "ones like {0}",
    "Fill": "{1} in shape {0}", "SigmoidGrad": "{1} × {0}·(1 − {0})", "TanhGrad": "{1} × (1 − {0}²)",
    "ReluGrad": "{0} where {1} > 0, else 0", "Cast": "{0}", "StopGradient": "{0}",
    "BroadcastGradientArgs": "axes to sum over for shapes {0} and {1}",
}
class Words:
    """Writes each Step's lines: the op's arithmetic; for gradient ops the local rule of the
    forward op with numbers (`d(weight × input)/d(weight) = input = 1.0`); for updates the
    value before and after."""

    def __init__(self, replay):
        self.r = replay
        self.value = {}  # tensor -> its first value in the run
        for t, v in replay._fed.items():
            self.value[t] = v
        for s in replay.steps:
            for t, v in zip(s.op.outputs, s.outputs):
                self.value.setdefault(t, v)
        self.groups = {}  # forward op -> its `_grad` ops, in creation order
        seeds = []
        for op in replay.graph.get_operations():
            of = op.gradient_of
            if of is not None and of[0] is not None and of[1] is None:
                self.groups.setdefault(of[0], []).append(op)
            elif of is not None and of[1] == "seed":
                seeds.append(op)
        self.owner = {op: f for f, ops in self.groups.items() for op in ops}
        self.grad_name = {}  # gradient tensor -> "∂loss/∂x"
        self.input_of = {}   # a `_grad` box's result tensor -> the forward input index
        self.loss = self._loss(seeds)
        for t in (t for op in seeds for t in op.outputs):
            self.grad_name[t] = f"∂{self.loss}/∂{self.loss}"
        ran = {s.op for s in replay.steps}
        self.unused = {}  # op of a `_grad` box -> the result it works toward, which nothing uses
        for f, ops in self.groups.items():
            results = _results(f, ops)
            for t, i in results.items():
                self.input_of[t] = i
                x = f.inputs[i]
                x = x.op.name if x.op.type == "Const" else self.name(x)
                self.grad_name[t] = f"∂{self.loss}/∂{_wrap(x)}"
            toward = _toward(ops, results)
            for op, ts in toward.items():
                if not any(c in ran for t in ts for c in t.consumers()) and \
                        not any(t in replay._items for t in ts):
                    self.unused[op] = ts[0]
        for op in replay.graph.get_operations():
            if op.gradient_of is not None and op.gradient_of[1] == "aggregate":
                x = self.name(op.gradient_of[0].outputs[0])
                self.grad_name[op.outputs[0]] = f"∂{self.loss}/∂{_wrap(x)}"

    def _loss(self, seeds):
        for op in seeds:
            for t in op.outputs:
                for c in t.consumers():
                    if c in self.owner:
                        return self.owner[c].name
                    if c.gradient_of is not None and c.gradient_of[0] is not None:
                        return c.gradient_of[0].name
        return "loss"

    # ---- names --------------------------------------------------------------------------
    def name(self, t, box=None):
        """How a tensor is called in the arithmetic: its variable, a constant's value, its
        gradient name (∂loss/∂x), or its op's name (inside a `_grad` box: relative to it)."""
        op = t.op
        v = self.value.get(t, op.attrs.get("value"))
        unnamed = op.gradient_of is not None or _AUTO.fullmatch(op.name.rpartition("/")[2])
        small = np.size(v) == 1 or (np.size(v) <= 4 and np.asarray(v).dtype.kind in "iu")
        if op.type == "Const" and unnamed and small:  # a number typed in: shown as the number
            return _brief(v)
        if t in self.grad_name:
            return self.grad_name[t]
        var = variable_read(t)
        if var is not None:
            return var.name
        name = op.name
        if box and name.startswith(box):
            name = name[len(box):]
        return name + (f":{t.value_index}" if len(op.outputs) > 1 else "")

    def box(self, op):
        """'gradients/output_grad/' for an op of output's `_grad` box."""
        f = self.owner.get(op)
        if f is not None:
            marker = f.name + "_grad/"
            at = op.name.find(marker)
            if at >= 0:
                return op.name[:at + len(marker)]
        return op.name.rpartition("/")[0] + "/" if "/" in op.name else ""

    # ---- lines --------------------------------------------------------------------------
    def write(self):
        for s in self.r.steps:
            if s.phase == "gradient":
                self._gradient(s)
            elif s.phase == "update" and lookup(s.type) is not None and lookup(s.type).writes:
                self._update(s)
            else:
                self._forward(s)

    def _forward(self, s, box=None):
        op, out = s.op, (s.outputs[0] if len(s.outputs) == 1 else None)
        left = op.name[len(box):] if box and op.name.startswith(box) else op.name
        if op.type == "Const":
            s.lines = [f"{left} = {_brief(out, full=True)}" + ("" if box else " (a constant)")]
            s.short, s.key = f"= {_brief(out)}", box is None
            return
        var = variable_read(op.outputs[0]) if op.outputs else None
        if var is not None:
            s.lines = [f"{op.name} reads the variable {var.name} = {_brief(out, full=True)}"]
            s.short = f"{var.name} = {_brief(out)}"
            return
        if op.type == "NoOp":
            inner = box or op.name + "/"
            waits = " and ".join(c.name[len(inner):] if c.name.startswith(inner) else c.name
                                 for c in op.control_inputs)
            if len(op.control_inputs) > 2:
                waits = f"its {len(op.control_inputs)} updates"
            done = s.phase == "update"
            s.lines = [f"{left}: the train step is done once {waits} ran" if done
                       else f"{left} waits for {waits}"]
            s.short, s.key = ("done" if done else ""), done
            return
        names = [self.name(t, box) for t, _ in s.inputs]
        expr = _expression(op, names)
        numbers = _expression(op, [_brief(v) for _, v in s.inputs])
        if any(np.size(v) > 1 for _, v in s.inputs) and _repeats(op):
            numbers = ""  # σ'-style formulas of arrays: shapes would say nothing
        if len(s.outputs) > 1:
            calc = f"{numbers} → " + " and ".join(_brief(v) for v in s.outputs)
        elif np.size(out) == 1:
            calc = f"{numbers} = {_brief(out)}" if numbers != _brief(out) else _brief(out)
        elif numbers == _brief(out):  # identity, reshape to the same shape
            calc = numbers
        else:
            calc = f"{numbers} → {_brief(out)}".strip() if out is not None else numbers
        joint = " " if calc.startswith("→") else " = "
        s.lines = [f"{left} = {expr}{joint}{calc}" if calc != expr else f"{left} = {expr}"]
        s.short = calc
        if s.phase == "forward" and out is not None and 1 < np.size(out) <= 12:
            s.lines.append(f"{left} = {_brief(out, full=True)}")

    def _gradient(self, s):
        op = s.op
        kind = op.gradient_of[1]
        if kind == "seed":
            self._forward(s, "")
            if op.type == "Fill":
                s.lines = [f"{self.grad_name[op.outputs[0]]} = {_brief(s.outputs[0])}: backprop "
                           f"starts with 1 at {self.loss}"]
                s.short = f"{self.grad_name[op.outputs[0]]} = {_brief(s.outputs[0])}"
            else:
                s.key = False
            return
        f = op.gradient_of[0]
        box = self.box(op)
        context = f"backprop through {f.name} = {_expression(f, [self.name(t) for t in f.inputs])}"
        if kind == "aggregate":
            self._forward(s, box)
            total = self.grad_name.get(op.outputs[0], "the gradient")
            s.lines = [f"{total}: the gradients from {len(op.inputs)} uses of "
                       f"{self.name(f.outputs[0])} add up"] + [
                           s.lines[0].replace(op.name, total, 1)]
            s.short = f"{total} = {_brief(s.outputs[0])}"
            return
        self._forward(s, box)
        s.short = f"{op.name[len(box):]}: {s.short}"
        s.key = False
        rules, short = [], None
        for t in op.outputs:
            if t in self.input_of:
                lines, short = self._rule(f, self.input_of[t], t)
                rules += lines
        if rules:
            s.lines += rules
            s.summary = [context] + rules
            s.short = short
            s.key = True
        elif op in self.unused:
            s.lines.append(f"(toward {self.grad_name[self.unused[op]]}, which nothing uses)")
        s.lines = [context] + s.lines

    def _rule(self, f, i, result):
        """The chain rule for input i of forward op f, with numbers where they are scalars:
        (lines, the short line for beside the node)."""
        names = [self.name(t) for t in f.inputs]
        target = self.grad_name[result]
        upstream = [t for op in self.groups[f] for t in op.inputs
                    if t.op not in self.groups[f] and t in self.grad_name]
        up = upstream[0] if upstream else None
        up_name = self.grad_name[up] if up is not None else f"∂{self.loss}/∂{f.name}"
        a = [self.value.get(t) for t in f.inputs]
        z = self.value.get(f.outputs[0]) if f.outputs else None
        g, got = self.value.get(up), self.value.get(result)
        local = _local(f.type)
        floats = [v for t, v in zip(f.inputs, a) if t.dtype.base_dtype.is_floating]
        scalar = all(v is not None and np.size(v) == 1 for v in floats + [g, got])
        if i < len(local) and scalar:
            text, fn = local[i]
            lines = [f"d({_expression(f, names)})/d({names[i]}) = {text.format(*names, z=f.name)}"]
            try:
                with np.errstate(all="ignore"):
                    value = float(fn([float(np.ravel(v)[0]) if np.size(v) else None for v in a],
                                     None if z is None else float(np.ravel(z)[0])))
            except (TypeError, ValueError, IndexError):
                value = None
            if value is not None and "{" in text:
                numbers = text.format(*[_num(v) for v in a], z=_brief(z))
                if numbers != _num(value):
                    lines[0] += f" = {numbers}"
                lines[0] += f" = {_num(value)}"
            product = float(np.ravel(g)[0]) * value if value is not None else None
            if product is not None and np.isclose(product, float(np.ravel(got)[0]), rtol=1e-3, atol=1e-6):
                product = f"{_num(g)} × {_num(value)} = {_num(got)}"
                lines.append(f"{target} = {up_name} × d({f.name})/d({names[i]}) = {product}")
                return lines, f"{target} = {product}"
            lines.append(f"{target} = {_brief(got)}")
            return lines, lines[-1]
        return [self._array_rule(f, i, names, target, up_name, got, up)], f"{target}: {_brief(got)}"

    def _array_rule(self, f, i, names, target, up, got, up_tensor):
        shapes = [_shape(self.value.get(t)) for t in f.inputs]
        value = _brief(got, full=True)
        if f.type == "MatMul" and not f.attrs.get("transpose_a") and not f.attrs.get("transpose_b"):
            rule = (f"{up} @ {names[1]}ᵀ" if i == 0 else f"{names[0]}ᵀ @ {up}")
            return f"{target} = {rule} = {value}"
        if f.type in ("Mean", "Sum") and i == 0 and got is not None:
            n = np.size(got) // max(np.size(self.value.get(up_tensor)), 1)
            share = f"{up} / {n}" if f.type == "Mean" else up
            return f"{target} = {share}, copied to each of the {n} elements = {value}"
        if i < len(_local(f.type)):
            local = _local(f.type)[i][0].format(*names, z=f.name)
            summed = (f", summed over the broadcast axes to {shapes[i]}"
                      if shapes[i] != _shape(self.value.get(f.outputs[0])) else "")
            return f"{target} = {up} × {local}, element by element{summed} = {value}"
        return f"{target} = by {f.type}'s gradient rule = {value}"

    def _update(self, s):
        op = s.op
        d = lookup(op.type)
        var = op.inputs[0].op
        by_name = dict(zip(d.inputs, [v for _, v in s.inputs]))
        before, after = s.inputs[0][1], s.outputs[0] if s.outputs else None
        grad = by_name.get("delta", by_name.get("grad"))
        rate = by_name.get("alpha", by_name.get("lr"))
        if op.type.startswith("Apply") and grad is not None and before is not None:
            name = op.type[len("Apply"):]
            text = format_update(Update(var.name, before, grad, after),
                                 float(np.ravel(rate)[0]) if rate is not None else float("nan"), name)
            s.lines = [text.replace(f"∂L/∂{var.name}", f"∂{self.loss}/∂{_wrap(var.name)}")]
        else:
            s.lines = [f"{op.name} writes {var.name}"]
        s.lines.append(f"{var.name}: {_brief(before, full=True)} → {_brief(after, full=True)}")
        s.short = f"{var.name}: {_brief(before)} → {_brief(after)}"


def _results(f, ops):
    """{tensor: index of f's input it is the gradient of} for the results of f's `_grad` box.

    A result is a box output no op of the box uses. Which input it belongs to is read from
    where it goes (the box of that input's op, or the Apply* updating that input's variable),
    else from order: gradient rules return one result per input, in order.
    """
    inside = set(ops)
    outs = [t for op in ops if op.type != "NoOp" for t in op.outputs
            if not any(c in inside for c in t.consumers())]
    wanted = [i for i, t in enumerate(f.inputs) if t.dtype.base_dtype.is_floating]
    found = {}
    for t in outs:
        for c in t.consumers():
            fwd = c.gradient_of[0] if c.gradient_of is not None else None
            var = c.inputs[0].op if c.type.startswith("Apply") else None
            match = [i for i in wanted if i not in found.values() and (
                f.inputs[i].op is fwd or (var is not None and variable_read(f.inputs[i]) is var))]
            if match and t not in found:
                found[t] = match[0]
    rest = [i for i in wanted if i not in found.values()]
    for t in outs:
        if t not in found and rest:
            found[t] = rest.pop(0)
    return found


def _toward(ops, results):
    """{op of the box: the results it helps compute}, walking back from each result."""
    inside, toward = set(ops), {}
    for t in results:
        stack, seen = [t.op], set()
        while stack:
            op = stack.pop()
            if op in seen or op not in inside:
                continue
            seen.add(op)
            toward.setdefault(op, []).append(t)
            stack += [x.op for x in op.inputs]
    return toward


def _repeats(op):
    """Whether op's expression uses an input twice (SigmoidGrad's `{1} × {0}·(1 − {0})`)."""
    found = re.findall(r"\{(\d)\}", _EXPR.get(op.type, ""))
    return len(found) != len(set(found))


def _wrap(name):
    """`loss/y` -> `(loss/y)`: a name with a slash, inside ∂loss/∂(...)."""
    return f"({name})" if "/" in name else name


def _expression(op, names):
    if op.type == "AddN":
        return " + ".join(names)
    if op.type in ("Sum", "Mean") and len(names) == 2:
        return f"{op.type.lower()}({names[0]}, axes {names[1]})"
    if op.type == "MatMul":
        a = names[0] + ("ᵀ" if op.attrs.get("transpose_a") else "")
        b = names[1] + ("ᵀ" if op.attrs.get("transpose_b") else "")
        return f"{a} @ {b}"
    template = _EXPR.get(op.type)
    if template is not None and max(map(int, re.findall(r"\{(\d)\}", template))) < len(names):
        return template.format(*names)
    return f"{op.type}({', '.join(names)})"


# ---- small helpers ------------------------------------------------------------------------
_AUTO = re.compile(r"(Const|x|y|a|b)(_\d+)?")  # names TF gives constants made from numbers


def _shape(v):
    return "(" + ", ".join(map(str, np.shape(v))) + ("," if np.ndim(v) == 1 else "") + ")"


def _num(x):
    """A number in at most 4 significant digits: 0.8, 1.0, 1.6, −0.1428; True; 3."""
    a = np.asarray(x)
    v = a.ravel()[0] if a.size else float("nan")
    if a.dtype == bool:
        return str(bool(v))
    if np.issubdtype(a.dtype, np.integer):
        return str(int(v)).replace("-", "−")
    text = f"{float(v):.4g}"
    if re.fullmatch(r"-?\d+", text):
        text += ".0"
    return text.replace("-", "−")


def _brief(v, full=False, limit=8):
    """A value in a few characters: the number; with `full`, an array of up to `limit`
    numbers in full, a bigger one as shape, mean, min and max; otherwise its shape."""
    if v is None:
        return "?"
    if v is DEAD:
        return "not taken (tf.cond)"
    a = np.asarray(v)
    if a.size == 1 and (a.ndim == 0 or a.dtype.kind not in "iu"):
        return _num(a)
    if a.size == 0:
        return "[]"
    if a.dtype.kind in "iu" and a.size <= 4:
        return "[" + ", ".join(str(int(x)) for x in a.ravel()) + "]"
    numeric = a.dtype.kind in "iufb"
    if full and numeric and a.size <= limit:
        return _nested(a)
    if full and numeric:
        return f"{_shape(a)} mean {_num(a.mean())}, min {_num(a.min())}, max {_num(a.max())}"
    return _shape(a)


def _nested(a):
    """[[0.103, −0.9805], [−1.028, 0.5]]: each number as _num writes it."""
    if a.ndim == 0:
        return _num(a)
    return "[" + ", ".join(_nested(x) for x in a) + "]"
