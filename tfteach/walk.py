"""Walks over a graph, written once: what some ops depend on, what a run needs, which
tensor is a variable's value. Shared by the plan, the drawings, the replay and the diagnostics.

Plays the part of the small graph helpers TF1 keeps in graph_util and the executor. Imports
only the graph and the registry, so any layer above them may use it.
"""
from .graph import Tensor
from .registry import lookup


def variable_read(t, fed=()):
    """The VariableV2 op whose value `t` is (the variable itself or its `read` Identity), else None.

    Such inputs are read when the consuming op runs: in TF1 a variable's read aliases its
    buffer, so an op ordered after an update (by data or control dependencies) sees the new
    value, and one ordered before sees the old value. A fed tensor is not a read; nor is an
    Identity with control inputs (it runs as an op of its own).
    """
    op = t._op
    if op._type == "Identity" and op._inputs and op._inputs[0]._op._type == "VariableV2" \
            and op._inputs[0] not in fed and not op._control_inputs:
        op = op._inputs[0]._op
    return op if op._type == "VariableV2" and op._outputs[0] not in fed and t not in fed else None


def ref_inputs(op):
    """The input positions of `op` that receive a variable reference (Assign's `ref`), not a value."""
    d = lookup(op._type)
    return d.ref_inputs if d is not None else ()


def upstream(roots, controls=True):
    """Every op the ops `roots` depend on (themselves included), through data inputs and, when
    `controls`, control inputs; in creation order. No recursion: deep graphs are fine."""
    needed, stack = set(), list(roots)
    while stack:
        op = stack.pop()
        if op not in needed:
            needed.add(op)
            stack.extend(t._op for t in op._inputs)
            if controls:
                stack.extend(op._control_inputs)
    return sorted(needed, key=lambda op: op._id)


def downstream(op, follow=lambda op: True):
    """The ops computed from `op` (its data consumers, transitively, itself included) for which
    `follow(op)` holds."""
    seen, stack = {op}, [op]
    while stack:
        for t in stack.pop()._outputs:
            for c in t.consumers():
                if c not in seen and follow(c):
                    seen.add(c)
                    stack.append(c)
    return seen


def needed_for_run(fetches, fed):
    """The ops a run of `fetches` executes when the tensors in `fed` are given (a set).

    Stops at fed tensors and at variable reads (the VariableV2 op and its `read` Identity run
    only when fetched themselves: their consumers read the value); a control input whose
    outputs are all fed is satisfied by the feed (TF1 does the same: e.g. a gradient rule's
    control_dependencies([grad]) with grad_ys fed).
    """
    needed = set()
    stack = [f._op if isinstance(f, Tensor) else f for f in fetches if not (isinstance(f, Tensor) and f in fed)]
    while stack:
        op = stack.pop()
        if op in needed:
            continue
        needed.add(op)
        refs = ref_inputs(op)
        for i, t in enumerate(op._inputs):
            if t not in fed and i not in refs and variable_read(t, fed) is None:
                stack.append(t._op)
        stack.extend(c for c in op._control_inputs if not (c._outputs and all(t in fed for t in c._outputs)))
    return needed
