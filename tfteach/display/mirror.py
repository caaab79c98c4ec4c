"""The gradient mirror: constraints that draw each `<op>_grad` box beside its forward op.

Found from `op.gradient_of` (the forward op each gradient op belongs to, set by
tf.gradients), never from names. Used by `scene.py`; both renderers honour the result (dot as
invisible edges and `rank=same`, the built-in layout as the same two kinds of constraint).
"""


def mirror_constraints(ops, rep):
    """Constraints that turn the gradient ops into the forward graph's mirror.

    dot aligns clusters, not nodes across clusters, so two kinds of constraint, found
    from `op.gradient_of` (the forward op each gradient op belongs to), never from names:
    - stacking: each `<op>_grad` group sits wholly above the groups it takes gradients
      from (invisible edges from its bottom nodes), so the boxes stack in one column;
    - levels: the group's middle layer shares a rank with its forward op, so the box
      spans the op's height, and since other nodes stay out of a cluster's box, the
      box lands beside the op.
    Returns ([(upper, lower) stacking pairs], [(forward node, gradient node)]).
    """
    stacking, levels = [], []
    call = _gradient_calls(ops[0].graph) if ops else {}
    # a forward op's `_grad` ops and its AddN, per tf.gradients call
    stack = {op: (op.gradient_of[0], call[op]) for op in ops
             if op.gradient_of is not None and op.gradient_of[0] is not None}
    pairs, bottoms, tops = {}, {}, {}
    for op in ops:
        group = stack.get(op)
        if group is None:
            continue
        if not any(stack.get(t.op) == group for t in op.inputs):
            bottoms.setdefault(group, {})[rep[op]] = True
        if not any(stack.get(c) == group for t in op.outputs for c in t.consumers()):
            tops.setdefault(group, {})[rep[op]] = True
        for t in op.inputs:
            if t.op in stack and stack[t.op] != group:
                pairs[(stack[t.op], group)] = True
    seen = set()
    for lower, upper in pairs:
        for b in bottoms.get(upper, ()):
            for a in tops.get(lower, ()):
                if a != b and (b, a) not in seen:
                    seen.add((b, a))
                    stacking.append((b, a))
    groups = {}  # (forward op, call) -> its `_grad` ops
    for op in ops:
        if op.gradient_of is not None and op.gradient_of[1] is None and op.gradient_of[0] is not None:
            groups.setdefault(stack[op], []).append(op)
    owner = {}  # node id -> the group it belongs to (None: shared by several)
    for key, group in groups.items():
        for op in group:
            node = rep[op]
            owner[node] = key if owner.get(node, key) == key else None
    forward_nodes = {}
    for forward, _ in groups:
        if forward in rep and not _is_grad(forward):
            forward_nodes.setdefault(rep[forward], set()).add(forward)
    for (forward, n), group in groups.items():
        node = rep.get(forward)
        if node is None or _is_grad(forward) or len(forward_nodes[node]) != 1:
            continue  # second-order gradients, or several forward ops in one collapsed node
        if any(owner[rep[op]] != (forward, n) for op in group):
            continue
        levels.append((node, _middle(group, rep)))
    return stacking, levels


def _is_grad(op):
    return op.gradient_of is not None


def _gradient_calls(graph):
    """{gradient op: which tf.gradients call made it (0, 1, ...)}, from creation order.

    A call's ops are made one after the other, starting with its seed (`gradients/Fill`);
    so a new call starts at a seed op after a non-seed op, or at a gradient op after an op
    that is not one.
    """
    calls, n, previous = {}, -1, None
    for op in graph.get_operations():
        if op.gradient_of is None:
            previous = None
            continue
        seed = op.gradient_of[1] == "seed"
        if previous is None or (seed and previous != "seed"):
            n += 1
        calls[op] = n
        previous = "seed" if seed else "grad"
    return calls


def _middle(group, rep):
    """The node in the middle layer of a gradient group (layers counted along its flow)."""
    inside = set(group)
    height = {}
    for op in group:  # creation order is a topological order of the data flow
        below = [height[t.op] for t in op.inputs if t.op in inside and t.op in height]
        height[op] = 1 + max(below) if below else 0
    first = {}  # node -> (layer of its first op, that op's position): ties go to the earliest
    for i, op in enumerate(group):
        first.setdefault(rep[op], []).append((height[op], i))
    top = max(height.values())
    target = (top + 1) // 2
    return min(first, key=lambda n: min((abs(h - target), i) for h, i in first[n]))
