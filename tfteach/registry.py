"""The op table: for each op type its kernel, shape rule and gradient rule, and `apply_op`.

Plays the part of TF1's op registry plus op_def_library: an op is declared once (see the
style guide), and `apply_op` turns a call like `multiply(x, 2)` into a graph node.

An op's kernel also states the facts the engine reads about it, in its own block:

    @kernel("Shape", {"pure", "shape_only", "build_time"}, inputs=("input",), same_dtype=False)
    @kernel("MatMul", FRESH, inputs=("a", "b"))
    elementwise("Sin", np.sin, PURE, inputs=("x",))      # ops/math.py's helper passes them on

    pure          its value is a function of its inputs alone (no session state, no randomness,
                  not Switch/Merge): the plan folds it when its inputs are known before a run
    shape_only    it reads only its inputs' shapes (Shape, Size, Rank, ShapeN): folded when
                  those shapes are known (fed, or observed by a first run)
    pass_through  it may return its input as it is (Identity, StopGradient, a Reshape to the same
                  shape, a Sum over no axes, x ** 1): the plan then skips it (plan_passes.py)
    new_array     its kernel always returns a new array, never its input or a view: a variable
                  read only by such ops may be updated in place by an optimizer
    build_time    tf's constant_value evaluates it while the graph is built (ops/array.py)

There is no default: a kernel without facts raises at registration, so a new op cannot be
forgotten by the plan. The one exception is `session=True` (the kernel gets the run context:
variables, random streams, files): that is itself the fact "stateful", which excludes every
fact above but `new_array` (so such kernels may leave `facts` out).
"""
from . import dtypes as _dtypes
from .graph import Tensor, convert_to_tensor, graph_of
from .tensor_shape import TensorShape


FACTS = frozenset({"pure", "shape_only", "pass_through", "new_array", "build_time"})
PURE = frozenset({"pure"})                  # a function of its inputs
FRESH = frozenset({"pure", "new_array"})    # ... whose kernel always makes a new array (np.add)
STATEFUL = frozenset()                      # reads or changes session state (with session=True)


class OpDef:
    """What the engine knows about one op type."""

    def __init__(self, op_type):
        self.type = op_type
        self.kernel = None
        self.shape_fn = None
        self.grad_fn = None
        self.differentiable = True
        self.inputs = ("x",)        # input argument names, used to name converted constants
        self.ref_inputs = ()        # inputs that receive a variable reference, not a value
        self.session = False        # kernel takes the run context first (state, randomness)
        self.writes = False         # updates variables: scheduled after independent reads
        self.same_dtype = True      # all inputs must share one dtype (TF's attr T)
        self.facts = STATEFUL       # what the plan may assume (see the module docstring)
        self.local = None           # the replay's words for d(output)/d(input): see local_derivatives


_OPS = {}


def op_def(op_type):
    """The OpDef for `op_type` (made on first mention)."""
    d = _OPS.get(op_type)
    if d is None:
        d = _OPS[op_type] = OpDef(op_type)
    return d


def lookup(op_type):
    return _OPS.get(op_type)


def kernel(op_type, facts=None, inputs=None, ref_inputs=(), session=False, writes=False, same_dtype=True):
    """Register the numpy kernel of `op_type`: arrays positional, attributes by keyword.

    `facts` (a set of names from FACTS, see the module docstring) are what the plan may assume.
    `session=True` kernels get the run context first (variable storage, random streams).
    """
    facts = _check_facts(op_type, facts, session or writes or bool(ref_inputs))

    def register(fn):
        d = op_def(op_type)
        d.kernel = fn
        if inputs is not None:
            d.inputs = tuple(inputs)
        d.ref_inputs = tuple(ref_inputs)
        d.session = session
        d.writes = writes
        d.same_dtype = same_dtype
        d.facts = facts
        return fn
    return register


def _check_facts(op_type, facts, stateful):
    if facts is None:
        if stateful:
            return STATEFUL
        raise TypeError(f"kernel('{op_type}'): say which facts hold for this op, e.g. "
                        f"kernel('{op_type}', PURE) or kernel('{op_type}', {{'pure', 'new_array'}}); "
                        f"the names are {', '.join(sorted(FACTS))} (see tfteach/registry.py).")
    facts = frozenset({facts} if isinstance(facts, str) else facts)
    unknown = facts - FACTS
    if unknown:
        raise ValueError(f"kernel('{op_type}'): unknown facts {sorted(unknown)}; "
                         f"the names are {', '.join(sorted(FACTS))}.")
    if stateful and facts - {"new_array"}:
        raise ValueError(f"kernel('{op_type}'): an op with session=True, writes=True or ref inputs "
                         f"is stateful: it cannot be {', '.join(sorted(facts - {'new_array'}))}.")
    return facts


def has(op_type, fact):
    """Whether the registered op `op_type` has `fact` (False for an unknown op type)."""
    d = _OPS.get(op_type)
    return d is not None and fact in d.facts


def shape_rule(op_type):
    """Register the static shape rule: op -> one shape per output (None dims unknown)."""
    def register(fn):
        op_def(op_type).shape_fn = fn
        return fn
    return register


class RegisterGradient:
    """Decorator registering `fn(op, *grads) -> [grad per input]` for an op type."""

    def __init__(self, op_type):
        self._op_type = op_type

    def __call__(self, fn):
        op_def(self._op_type).grad_fn = fn
        return fn


def local_derivatives(op_type, *rules):
    """The backprop replay's words for d(output)/d(input i) of `op_type` (widgets/replay_rules.py):
    per input, a text in the inputs {0}, {1} and the output {z}, and the same as a function of
    the input values `a` and the output value `z`. Written next to the op's gradient rule, which
    it must agree with (tests/test_architecture.py checks that the gradient exists)."""
    op_def(op_type).local = tuple(rules)


def NotDifferentiable(op_type):  # noqa: N802 - TensorFlow's name
    """Declare that `op_type` has no gradient: tf.gradients stops there without error."""
    d = op_def(op_type)
    d.differentiable = False
    d.grad_fn = None


NoGradient = NotDifferentiable


def get_gradient_function(op):
    d = _OPS.get(op.type)
    if d is None or not d.differentiable:
        return None
    if d.grad_fn is None:
        raise LookupError(f"No gradient defined for operation '{op.name}' (op type: {op.type})")
    return d.grad_fn


# ---- building ops -----------------------------------------------------------
def apply_op(op_type, inputs, attrs=None, name=None, dtypes=None, num_outputs=None):
    """Add an `op_type` node on `inputs` and return its output tensor (or list, or the op).

    Python values and numpy arrays among `inputs` become Const nodes named after the input
    argument (`Mul/y`), with the dtype of the tensors before them, as TF1's op_def_library.
    `dtypes` lists output dtypes; by default one output with the first input's dtype.
    Returns the Operation itself when the op has no outputs.
    """
    d = _OPS[op_type]
    graph = graph_of(inputs)
    with graph.name_scope(name or op_type) as scope:
        tensors = _convert_inputs(d, inputs, op_type)
        if dtypes is None:
            dtypes = [tensors[0]._dtype.base_dtype] if num_outputs is None else []
        op = graph.create_op(op_type, tensors, dtypes, name=scope, attrs=attrs)
    if d.shape_fn is not None:
        try:
            shapes = d.shape_fn(op)
        except (TypeError, ValueError):
            graph._remove_op(op)  # a rejected op leaves no node behind, as in TF1
            raise
        for t, shape in zip(op._outputs, shapes):
            t._shape = shape if isinstance(shape, TensorShape) else TensorShape(shape)
    if not op._outputs:
        return op
    return op._outputs[0] if len(op._outputs) == 1 and num_outputs is None else list(op._outputs)


def _convert_inputs(d, inputs, op_type):
    tensors = []
    dtype = None
    for i, value in enumerate(inputs):
        if isinstance(value, Tensor):
            t = value
        else:
            hint = dtype if d.same_dtype else None
            try:
                t = convert_to_tensor(value, dtype=hint, name=_arg_name(d, i), as_ref=i in d.ref_inputs)
            except ValueError as e:
                raise TypeError(f"Input '{_arg_name(d, i)}' of '{op_type}' Op: {e}") from None
        if d.same_dtype:
            base = t._dtype.base_dtype
            if dtype is None:
                dtype = base
            elif base != dtype:
                raise TypeError(f"Input '{_arg_name(d, i)}' of '{op_type}' Op has type {base.name} that does "
                                f"not match type {dtype.name} of argument '{d.inputs[0]}'.")
        tensors.append(t)
    return tensors


def _arg_name(d, i):
    """The name of input i of op `d` ('y'; 'values_2' for the third of a list input)."""
    return d.inputs[i] if i < len(d.inputs) else d.inputs[-1] + f"_{i}"


def as_tensor(value, dtype=None, name=None):
    """convert_to_tensor for use inside public op functions."""
    return convert_to_tensor(value, dtype=dtype, name=name)


def static_shape(t):
    """The static shape of tensor t as a tuple (None dims unknown), or None for unknown rank."""
    return t._shape.as_tuple()


def base(dtype):
    return _dtypes.as_dtype(dtype).base_dtype
