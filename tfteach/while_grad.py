"""The gradient of a tf.while_loop: a second loop that runs the body's gradient backwards.

Mirrors what TF1's gradients_impl and control_flow_grad build for a frame (the same nodes,
under the same names), written as one function per frame instead of per op:

    gradients/f_count ... f_count_2   a counter added to the forward loop: how many iterations ran
    gradients/b_count ... b_count_3   the backward loop counts it down to zero
    gradients/while/Exit_1_grad/b_exit        the gradient at a loop variable's Exit enters ...
    gradients/while/Switch_1_grad/b_switch    ... is merged with the previous backward iteration's ...
    gradients/while/Merge_1_grad/Switch       ... and goes through the body's gradient (:1) ...
    gradients/while/Enter_1_grad/Exit         ... until it leaves as the gradient of the initial value
    gradients/while/MatMul/Enter_grad/b_acc_3 the sum over iterations for a tensor from outside (W)

A forward value the body's gradient needs (the Tanh of iteration k) is pushed on a stack by
the forward loop (`.../f_acc`, `StackPushV2`) and popped by the backward loop (`StackPopV2`),
so backward iteration k sees forward iteration n-1-k: backpropagation through time.
"""
import contextlib

from .ops import array, compare, control, math, stack_ops
from .ops.constant import constant
from .ops.while_loop import WhileContext, exit as exit_op, frame_of, loop_cond, next_iteration


def frame_gradients(graph, context, exit_grads, backprop):
    """Gradients for what enters `context` from outside, given those at its Exits.

    `exit_grads`: one gradient (or None) per loop variable. `backprop(ys, xs, grad_ys, level)`
    is tf.gradients' walk, run on the body inside the backward frame. Returns a list of
    (tensor outside the loop, its gradient).
    """
    if isinstance(context, GradWhileContext):
        raise NotImplementedError(
            f"tf.gradients reached '{context.frame_name}', the backward loop of a tf.while_loop's "
            f"gradient: tfteach does not differentiate through it (a second derivative through a loop).")
    # every float loop variable carries a gradient back, even one whose Exit has none (an
    # LSTM's c state feeds h); integer ones (counters) carry none
    carried = [j for j, m in enumerate(context.merges) if m.dtype.base_dtype.is_floating]
    if not context.back_prop or not any(exit_grads[j] is not None for j in carried):
        return []
    count = forward_count(graph, context)
    grad = GradWhileContext(graph, context, count)
    pairs = []
    with grad.entered(graph):
        dv, b_switches, enter_grads = {}, {}, {}
        for j in carried:
            exit_t = context.exits[j]
            g = exit_grads[j]
            if g is None:
                g = _zeros_like_outside(graph, grad, exit_t)
            with graph.name_scope(exit_t.op.name + "_grad"):
                b_exit = grad.make_enter(graph, _outside_value(grad, graph, g), False, name="b_exit")
            with graph.name_scope(context.switches[j][0].op.name + "_grad"):
                b_switches[j] = control.merge([b_exit, b_exit], name="b_switch")[0]
            with graph.name_scope(context.merges[j].op.name + "_grad"):
                sw = control.switch(b_switches[j], grad.pivot)
            with graph.name_scope(context.loop_enters[j].op.name + "_grad"):
                enter_grads[j] = exit_op(sw[0])
            dv[j] = sw[1]
        invariants = [e for e in context.invariants.values() if e.dtype.base_dtype.is_floating]
        xs = [context.identities[j] for j in carried] + invariants
        ys = [context.next_iterations[j].op._inputs[0] for j in carried]
        grads = backprop(ys, xs, [dv[j] for j in carried], context)
        for k, j in enumerate(carried):
            g = grads[k] if grads[k] is not None else array.zeros_like(dv[j])
            with graph.name_scope(context.switches[j][0].op.name + "_grad"):
                b_switches[j].op._update_input(1, next_iteration(g))
            pairs.append((context.loop_enters[j].op._inputs[0], enter_grads[j]))
        for enter, g in zip(invariants, grads[len(carried):]):
            if g is not None:
                pairs.append((enter.op._inputs[0], _accumulate(graph, grad, enter, g)))
    return pairs


def _accumulate(graph, grad, enter, g):
    """The sum of `g` over the backward iterations: a loop variable of the backward loop."""
    with graph.name_scope(enter.op.name + "_grad"):
        zeros = _zeros_like_outside(graph, grad, enter.op._inputs[0], name="b_acc")
        acc = grad.make_enter(graph, _outside_value(grad, graph, zeros), False, name="b_acc_1")
        m = control.merge([acc, acc], name="b_acc_2")[0]
        sw = control.switch(m, grad.pivot)
        total = math.add(sw[1], g)
        m.op._update_input(1, next_iteration(total))
        return exit_op(sw[0], name="b_acc_3")


def _zeros_like_outside(graph, grad, t, name=None):
    """Zeros like `t` (a tensor outside the forward loop), made around the backward loop: inside
    an outer backward loop, `t` is seen through it (from its stack)."""
    outer = grad.outer_context
    seen = t if outer is None else outer.add_value(graph, t)
    return _build_in(graph, outer, lambda: array.zeros_like(seen, name=name))


def _build_in(graph, context, fn):
    """Ops made by `fn` as they are, then made ops of `context` (None: outside every loop); an
    op without inputs gets the context's pivot as a control input, as inside the loop."""
    start = len(graph._ops)
    with control.building_structure(graph), graph.control_dependencies(None):
        out = fn()
    if context is not None:
        pivot = context.control_pivot()  # a loop's, or a tf.cond branch's
        for op in graph._ops[start:]:
            context._own(op)
            if not op._inputs and not op._control_inputs:
                op._add_control_input(pivot.op)
    return out


def _outside_value(grad, graph, t):
    """`t` (made around the backward loop) as the context around it sees it."""
    return t if grad.outer_context is None else grad.outer_context.add_value(graph, t)


def forward_count(graph, context):
    """TF1's f_count: a counter added to the forward loop; its Exit is the number of iterations."""
    if context.forward_count is not None:
        return context.forward_count
    outer = context.outer_context
    zero = _build_in(graph, outer, lambda: constant(0, name="f_count"))
    enter = context.make_enter(graph, zero if outer is None else outer.add_value(graph, zero), False,
                               name="f_count")

    def build():
        m = control.merge([enter, enter])[0]
        sw = control.switch(m, context.pivot)
        add = math.add(sw[1], 1)
        nxt = next_iteration(add)
        m.op._update_input(1, nxt)
        return add, nxt, exit_op(sw[0], name="f_count")
    add, nxt, count = _build_in(graph, context, build)
    context.count_step = add.op  # the stack pushes run after it: one push per body iteration
    context.count_next = nxt.op  # ... and before the next iteration (TF's executor needs the edge)
    context.forward_count = count
    return count


class GradWhileContext(WhileContext):
    """The backward loop of one forward loop (built by frame_gradients). Its ops see forward
    values through stacks and tensors from outside through Enters (`add_value`)."""

    def __init__(self, graph, forward, count):
        scope = graph.get_name_scope()
        super().__init__(scope + "/" + forward.name if scope else forward.name, forward.parallel_iterations)
        self.forward = forward
        self.outer_context = control.current_context(graph)
        self._real = {}
        one = _build_in(graph, self.outer_context, lambda: constant(1, name="b_count"))
        start = _outside_value(self, graph, count)
        step_scope = graph.unique_name("GreaterEqual", mark_as_used=False) + "/"

        def build():
            m = control.merge([self.make_enter(graph, start, False, name="b_count")] * 2)[0]
            step = self.add_value(graph, _outside_value(self, graph, one), step_scope)
            go = loop_cond(compare.greater_equal(m, step), name="b_count")
            sw = control.switch(m, go)
            sub = math.subtract(sw[1], step)
            m.op._update_input(1, next_iteration(sub))
            exit_op(sw[0], name="b_count")
            return go, sub
        self.pivot, self._control_pivot = _build_in(graph, self, build)

    def add_value(self, graph, t, scope=None):
        """`t` as the backward loop sees it: a forward loop value comes off its stack, a tensor
        from outside enters once."""
        if t.op in self._ops:
            return t
        if t in self._real:
            return self._real[t]
        forward = self.forward
        if t.op in forward._ops:
            if t.op._type == "Enter" and t.op._attrs.get("is_constant") and frame_of(t.op) is forward:
                real = self.add_value(graph, t.op._inputs[0], scope)  # the same tensor from outside
            else:
                real = self._pop(graph, t, scope)
        else:
            outside = t if self.outer_context is None else self.outer_context.add_value(graph, t, scope)
            real = self.make_enter(graph, outside, True, scope)
        self._real[t] = real
        return real

    def _pop(self, graph, t, scope):
        """Push `t` each forward iteration, pop it each backward one (the same order reversed)."""
        forward = self.forward
        named = graph.name_scope(scope) if scope else contextlib.nullcontext()
        with named:
            acc = _build_in(graph, forward.outer_context,
                            lambda: stack_ops.stack_v2(t.dtype.base_dtype, stack_name=t.op.name, name="f_acc"))
        push_handle = forward.add_value(graph, acc, scope)

        def push():
            with graph.name_scope(scope) if scope else contextlib.nullcontext():
                op = stack_ops.stack_push_v2(push_handle, t).op
            op._add_control_input(forward.count_step)
            forward.count_next._add_control_input(op)
            return op
        _build_in(graph, forward, push)
        pop_handle = self.make_enter(graph, _outside_value(self, graph, acc), True,
                                     (scope or graph.get_name_scope() + "/") + "StackPopV2/")

        def pop():
            with graph.name_scope(scope) if scope else contextlib.nullcontext():
                out = stack_ops.stack_pop_v2(pop_handle, t.dtype.base_dtype, t.shape)
            out.op._add_control_input(self._control_pivot.op)
            return out
        return _build_in(graph, self, pop)
