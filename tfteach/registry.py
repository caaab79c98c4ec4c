"""The op table: for each op type its kernel, shape rule and gradient rule, and `apply_op`.

Plays the part of TF1's op registry plus op_def_library: an op is declared once (see the
style guide), and `apply_op` turns a call like `multiply(x, 2)` into a graph node.
"""
from . import dtypes as _dtypes
from .graph import Tensor, convert_to_tensor, graph_of
from .tensor_shape import TensorShape


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


_OPS = {}


def op_def(op_type):
    """The OpDef for `op_type` (made on first mention)."""
    d = _OPS.get(op_type)
    if d is None:
        d = _OPS[op_type] = OpDef(op_type)
    return d


def lookup(op_type):
    return _OPS.get(op_type)


def kernel(op_type, inputs=None, ref_inputs=(), session=False, writes=False, same_dtype=True):
    """Register the numpy kernel of `op_type`: arrays positional, attributes by keyword.

    `session=True` kernels get the run context first (variable storage, random streams).
    """
    def register(fn):
        d = op_def(op_type)
        d.kernel = fn
        if inputs is not None:
            d.inputs = tuple(inputs)
        d.ref_inputs = tuple(ref_inputs)
        d.session = session
        d.writes = writes
        d.same_dtype = same_dtype
        return fn
    return register


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
