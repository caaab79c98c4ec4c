"""The while loops of an imported GraphDef: which ops form each frame, found again from the
graph alone, so that a loop TF wrote (a dynamic_rnn, a gradient's backward loop) runs here.

A GraphDef keeps no WhileContext, only each Enter's `frame_name`; TF's executor finds a node's
frame as it runs. This finds it once, the same way: an Enter starts the frame it names (inside
its input's frame), every other op is in the frame of its inputs (an op without inputs: of its
control inputs); an Exit belongs to the frame it leaves, its output to the frame around. Then
each frame gets a WhileContext with the parts plan_frames.py and while_grad.py read.
"""
from .ops.while_loop import WhileContext


def back_edge(node, source_node):
    """True for the input of a loop's Merge that comes round from its NextIteration."""
    return node.op == "Merge" and source_node is not None and source_node.op == "NextIteration"


def rebuild(ops):
    """Give each op of a loop (from `ops`, in an order where inputs come first except for the
    NextIteration -> Merge edges) its WhileContext."""
    frame_of = {}
    contexts = {}
    for op in ops:
        frame = _frame(op, frame_of, contexts)
        frame_of[op] = frame
    members = {}
    for op, frame in frame_of.items():
        if frame is not None:
            members.setdefault(frame, []).append(op)
    for frame, group in members.items():
        for op in group:
            frame._own(op)
        _fill(frame, group)
    return list(contexts.values())


def _frame(op, frame_of, contexts):
    sources = [t._op for t in op._inputs] or list(op._control_inputs)
    # the frame each input is seen in: an Exit's output is already outside its frame
    seen = [frame_of[s].outer_context if s._type == "Exit" and frame_of.get(s) is not None else frame_of.get(s)
            for s in sources]
    outer = next((f for f in seen if f is not None), None)
    if op._type == "Enter":
        name = op._attrs.get("frame_name", "")
        name = name.decode() if isinstance(name, bytes) else name
        key = (name, outer)
        if key not in contexts:
            context = WhileContext(name[:-len("while_context")] if name.endswith("while_context") else name + "/",
                                   int(op._attrs.get("parallel_iterations", 10) or 10))
            context.frame_name = name
            context.outer_context = outer
            contexts[key] = context
        return contexts[key]
    return outer  # an Exit too: it belongs to the frame it leaves, as tf.while_loop builds it


def _fill(context, group):
    """The loop variables' parts, in the order of their Merges; the constant Enters; LoopCond."""
    own = set(group)
    conds = [op for op in group if op._type == "LoopCond"]
    context.pivot = conds[0]._outputs[0] if conds else None
    for op in group:
        if op._type == "Enter" and op._attrs.get("is_constant"):
            context.invariants[op._inputs[0]] = op._outputs[0]
    for m in (op for op in group if op._type == "Merge" and len(op._inputs) == 2
              and op._inputs[1]._op._type == "NextIteration" and op._inputs[0]._op._type == "Enter"):
        switch = next((c for c in m._outputs[0]._consumers if c._type == "Switch" and c in own), None)
        if switch is None:
            continue
        identity = next((c for c in switch._outputs[1]._consumers if c._type == "Identity"), None)
        exit_op = next((c for c in switch._outputs[0]._consumers if c._type == "Exit"), None)
        if identity is None or exit_op is None:
            continue
        context.loop_enters.append(m._inputs[0])
        context.merges.append(m._outputs[0])
        context.switches.append(switch._outputs)
        context.identities.append(identity._outputs[0])
        context.next_iterations.append(m._inputs[1])
        context.exits.append(exit_op._outputs[0])
    if context.identities:
        context._control_pivot = context.identities[0]
