"""TF1's TensorArray ops: TensorArrayV3 and its Write, Read, Gather, Scatter, Concat, Split, Size,
Close and Grad ops (data_flow_ops' V3 family), with the gradients of tensor_array_grad.py.

A TensorArray lives for one Session.run, as in TF (its per-step resource manager): each time the
TensorArrayV3 kernel runs it makes a new `TensorArrayState`, which is the handle's value; the other
kernels read and change that object, however the handle reached them (directly, through an
Identity, or through a while loop's Enter). Nothing is kept in the graph. The flow is a float32
scalar (always 0) that only orders the ops: each write, scatter or split returns a new flow, and a
read takes the flow of the writes it must follow. The Python class is tfteach/tensor_array.py.

Every kernel is `session=True` (stateful): each changes or reads the array (a read may clear its
element), so none may be folded, and a write kept only by a control dependency must still run
(plan_passes.drop_unused keeps only stateful ops whose outputs nobody reads); TensorArrayV3 also
names the run's array after its op (`TensorArray_7`), as TF does in its errors.
"""
import itertools

import numpy as np

from .. import dtypes as _dtypes
from ..errors import InvalidArgumentError, UnimplementedError
from ..graph import convert_to_tensor, control_dependencies, name_scope
from ..registry import NotDifferentiable, RegisterGradient, apply_op, kernel, shape_rule
from ..tensor_shape import TensorShape, as_shape
from .common import _shape_error
from .shapes import fmt
from . import control as control_flow_ops
from . import math as math_ops

# TF names each run's array `<op name>_<n>` with a counter shared by the whole process
_RUN_NAMES = itertools.count()


# ---- the state of one TensorArray in one run (TF's tensor_array.h) ---------------------------
class _Element:
    __slots__ = ("value", "shape", "written", "read", "cleared")

    def __init__(self):
        self.value, self.shape = None, None  # a grad array may know an element's shape, not its value
        self.written = self.read = self.cleared = False


class TensorArrayState:
    """A TensorArray during one run: its elements, and its gradient arrays by `source`.

    Made by the TensorArrayV3 kernel at every run; it is the value of the array's handle.
    A gradient array (`aggregate`) sums a second write to an index instead of refusing it.
    """

    def __init__(self, name, dtype, size, element_shape, identical_shapes, dynamic_size, clear_after_read,
                 aggregate=False):
        self.name, self.dtype = name, dtype
        self.element_shape = as_shape(element_shape)
        self.identical_shapes, self.dynamic_size = identical_shapes, dynamic_size
        self.clear_after_read, self.aggregate = clear_after_read, aggregate
        self.elements = [_Element() for _ in range(size)]
        self.grads = {}
        self.closed = False

    def __repr__(self):
        return f"<TensorArray {self.name}: {len(self.elements)} x {self.dtype.name} {self.element_shape}>"

    def _fail(self, message):
        raise InvalidArgumentError(None, None, f"TensorArray {self.name}: {message}")

    def _check_open(self):
        if self.closed:
            raise InvalidArgumentError(None, None, f"TensorArray {self.name} has already been closed.")

    def size(self):
        self._check_open()
        return len(self.elements)

    def write(self, index, value):
        """Store `value` at `index` (TF's LockedWriteOrAggregate)."""
        self._check_open()
        if index < 0 or (not self.dynamic_size and index >= len(self.elements)):
            self._fail(f"Tried to write to index {index} but array is not resizeable and size is: "
                       f"{len(self.elements)}")
        while index >= len(self.elements):
            self.elements.append(_Element())
        e = self.elements[index]
        if not self.element_shape.is_compatible_with(value.shape):
            self._fail(f"Could not write to TensorArray index {index} because the value shape is "
                       f"{fmt(value.shape)} which is incompatible with the TensorArray's inferred element shape: "
                       f"{fmt(self.element_shape.as_tuple())} (consider setting infer_shape=False).")
        if self.identical_shapes and not self.element_shape.is_fully_defined():
            self.element_shape = TensorShape(value.shape)
        if e.read:
            self._fail(f"Could not write to TensorArray index {index} because it has already been read.")
        if e.written and not self.aggregate:
            self._fail(f"Could not write to TensorArray index {index} because it has already been written to.")
        if e.written:
            if e.shape != value.shape:
                self._fail(f"Could not aggregate to TensorArray index {index} because the existing shape is "
                           f"{fmt(e.shape)} but the new input shape is {fmt(value.shape)}.")
            e.value = value if e.value is None else e.value + value  # a new array: values are never changed
            return
        e.value, e.shape, e.written = value, value.shape, True

    def read(self, index):
        """The value at `index`; zeros where only the shape is known (TF's LockedRead)."""
        self._check_open()
        if index < 0 or index >= len(self.elements):
            raise InvalidArgumentError(None, None, f"Tried to read from index {index} but array size is: "
                                       f"{len(self.elements)}")
        e = self.elements[index]
        if e.cleared:
            self._fail(f"Could not read index {index} twice because it was cleared after a previous read "
                       f"(perhaps try setting clear_after_read = false?).")
        if not e.written:
            if not self.element_shape.is_fully_defined():
                self._fail(f"Could not read from TensorArray index {index}.  Furthermore, the element shape is not "
                           f"fully defined: {fmt(self.element_shape.as_tuple())}.  It is possible you are working "
                           f"with a resizeable TensorArray and stop_gradients is not allowing the gradients to be "
                           f"written.  If you set the full element_shape property on the forward TensorArray, the "
                           f"proper all-zeros tensor will be returned instead of incurring this error.")
            e.shape = self.element_shape.as_tuple()
        value = e.value if e.value is not None else np.zeros(e.shape, self.dtype.np)
        if self.clear_after_read:
            e.value, e.cleared = None, True
        e.read = True
        return value

    def grad(self, source):
        """The gradient array for `source` (one per tf.gradients call), made on first use with
        this array's size and the shapes of its written elements (TF's CopyShapesFrom)."""
        self._check_open()
        self.dynamic_size = False  # once gradients are computed, the forward array may not grow
        g = self.grads.get(source)
        if g is None:
            g = self.grads[source] = TensorArrayState(f"{self.name}@{source}", self.dtype, len(self.elements),
                                                      self.element_shape, self.identical_shapes, False, True,
                                                      aggregate=True)
            for mine, theirs in zip(g.elements, self.elements):
                if theirs.written:
                    mine.shape, mine.written = theirs.shape, True
        return g


def _tf_type(dtype):
    """A dtype as TF's kernels print it (DataTypeString): float, double, int32, ..."""
    return {"float32": "float", "float64": "double", "float16": "half"}.get(dtype.name, dtype.name)


def _check_dtype(ta, dtype, verb):
    if dtype.base_dtype != ta.dtype:
        raise InvalidArgumentError(None, None, f"TensorArray dtype is {_tf_type(ta.dtype)} but Op {verb} "
                                   f"dtype {_tf_type(dtype.base_dtype)}.")


def _scalar_index(index):
    index = np.asarray(index)
    if index.ndim:
        raise InvalidArgumentError(None, None, f"TensorArray index must be scalar, but had shape: {fmt(index.shape)}")
    return int(index)


def _vector(x, what):
    x = np.asarray(x)
    if x.ndim != 1:
        raise InvalidArgumentError(None, None, f"Expected {what} to be a vector, but received shape: {fmt(x.shape)}")
    return [int(i) for i in x]


def _at_least_vector(value):
    if value.ndim == 0:
        raise InvalidArgumentError(None, None, f"Expected value to be at least a vector, but received shape: "
                                   f"{fmt(value.shape)}")


def _rank(op, i, rank):
    s = op.inputs[i].shape.as_tuple()
    if s is not None and len(s) != rank:
        raise _shape_error(op, f"Shape must be rank {rank} but is rank {len(s)}")


def _handle_element_shape(handle):
    """The element shape the array was made with (TF's handle data): followed back through the
    ops that pass a handle along (Identity, a while loop's Enter and Switch ...) to TensorArrayV3."""
    op = handle.op
    while op.type != "TensorArrayV3" and op.type in _PASS_HANDLE and op.inputs:
        op = op.inputs[0].op
    return op.get_attr("element_shape") if op.type == "TensorArrayV3" else TensorShape(None)


_PASS_HANDLE = ("Identity", "Enter", "RefEnter", "Switch", "Merge", "Exit", "NextIteration")


def _handle_and_flow_shape(op):
    return [TensorShape([2]), TensorShape([])]


# ---- TensorArrayV3 ----------------------------------------------------------------------------
@kernel("TensorArrayV3", inputs=("size",), session=True, same_dtype=False)
def _tensor_array(ctx, size, dtype, element_shape, dynamic_size, clear_after_read, identical_element_shapes,
                  tensor_array_name=""):
    size = np.asarray(size)
    if size.ndim:
        raise InvalidArgumentError(None, None, f"TensorArray size must be scalar, but had shape: {fmt(size.shape)}")
    if int(size) < 0:
        raise InvalidArgumentError(None, None, "Size should be >= 0.")
    name = f"{tensor_array_name or ctx.op.name}_{next(_RUN_NAMES)}"
    state = TensorArrayState(name, dtype, int(size), element_shape, identical_element_shapes, dynamic_size,
                             clear_after_read)
    return state, np.float32(0.0)


@shape_rule("TensorArrayV3")
def _tensor_array_shape(op):
    _rank(op, 0, 0)
    return _handle_and_flow_shape(op)


NotDifferentiable("TensorArrayV3")


def tensor_array_v3(size, dtype, element_shape=None, dynamic_size=False, clear_after_read=True,
                    identical_element_shapes=False, tensor_array_name="", name=None):
    """The op making a TensorArray: returns (handle, flow). tf.TensorArray calls it."""
    attrs = {"dtype": _dtypes.as_dtype(dtype).base_dtype, "element_shape": as_shape(element_shape),
             "dynamic_size": bool(dynamic_size), "clear_after_read": bool(clear_after_read),
             "identical_element_shapes": bool(identical_element_shapes), "tensor_array_name": tensor_array_name or ""}
    return apply_op("TensorArrayV3", [size], attrs, name=name, dtypes=[_dtypes.resource, _dtypes.float32])


# ---- TensorArrayGradV3 ------------------------------------------------------------------------
@kernel("TensorArrayGradV3", inputs=("handle", "flow_in"), session=True, same_dtype=False)
def _tensor_array_grad(ctx, handle, flow_in, source):
    return handle.grad(source), flow_in


shape_rule("TensorArrayGradV3")(_handle_and_flow_shape)
NotDifferentiable("TensorArrayGradV3")


def tensor_array_grad_v3(handle, flow_in, source, name=None):
    """The op giving the gradient array of `handle` for the tf.gradients call `source`: (handle, flow)."""
    return apply_op("TensorArrayGradV3", [handle, flow_in], {"source": source}, name=name,
                    dtypes=[_dtypes.resource, _dtypes.float32])


def _grad_array(handle, flow, source):
    """TensorArray(handle=handle, flow=flow).grad(source, flow) of tensor_array_grad.py: the
    gradient array's handle, and a flow that follows its creation (`TensorArrayGrad/...`)."""
    with name_scope(None, "TensorArrayGrad", [handle]):
        g_handle, _ = tensor_array_grad_v3(handle, flow, source)
        with control_dependencies([g_handle]):
            flow = control_flow_ops.identity(flow, name="gradient_flow")
    return g_handle, flow


def _grad_source(t):
    """Which tf.gradients call made `t` ('gradients', 'gradients_1', ...): its gradient arrays
    are its own (tensor_array_grad.py's _GetGradSource)."""
    tokens = t.name.split("/")
    at = [i for i, x in enumerate(tokens) if x.startswith("gradients")]
    if not at:
        raise ValueError(f"Expected op/tensor name to start with gradients (excluding scope), got: {t.name}. This "
                         f"means that a tf.gradients op with this op in its dependency path has a custom name that "
                         f"does not start with 'gradients'. Please make sure all calls to tf.gradients that have "
                         f"non-empty `name` arguments use names that start with 'gradients'.")
    return "/".join(tokens[:at[-1] + 1])


def _after_forward(op, flow):
    """The upstream flow, made to wait for the forward op (the write barrier of tensor_array_grad.py)."""
    flow_out = control_flow_ops.identity(op.outputs[0], name="flow_out")
    with control_dependencies([flow_out]):
        return control_flow_ops.identity(flow, name="write_barrier")


# ---- TensorArrayWriteV3 -----------------------------------------------------------------------
@kernel("TensorArrayWriteV3", inputs=("handle", "index", "value", "flow_in"), session=True, same_dtype=False)
def _tensor_array_write(ctx, handle, index, value, flow_in, T):  # noqa: N803 - TF attr name
    index = _scalar_index(index)
    _check_dtype(handle, T, "is trying to write")
    handle.write(index, np.asarray(value))
    return flow_in


@shape_rule("TensorArrayWriteV3")
def _tensor_array_write_shape(op):
    _rank(op, 1, 0)
    _rank(op, 3, 0)
    return [TensorShape([])]


@RegisterGradient("TensorArrayWriteV3")
def _tensor_array_write_grad(op, flow):
    """d(value) = what was written to the gradient array at the same index: read it back."""
    handle, index = op.inputs[0], op.inputs[1]
    source = _grad_source(flow)
    flow = _after_forward(op, flow)
    g_handle, g_flow = _grad_array(handle, flow, source)
    grad = tensor_array_read_v3(g_handle, index, g_flow, op.get_attr("T"))
    return [None, None, grad, flow]


def tensor_array_write_v3(handle, index, value, flow_in, name=None):
    """The op writing `value` at `index`; returns the new flow."""
    value = convert_to_tensor(value)
    return apply_op("TensorArrayWriteV3", [handle, index, value, flow_in], {"T": value.dtype.base_dtype},
                    name=name, dtypes=[_dtypes.float32])


# ---- TensorArrayReadV3 ------------------------------------------------------------------------
@kernel("TensorArrayReadV3", inputs=("handle", "index", "flow_in"), session=True, same_dtype=False)
def _tensor_array_read(ctx, handle, index, flow_in, dtype):
    index = _scalar_index(index)
    _check_dtype(handle, dtype, "requested")
    return handle.read(index)


@shape_rule("TensorArrayReadV3")
def _tensor_array_read_shape(op):
    _rank(op, 1, 0)
    _rank(op, 2, 0)
    return [TensorShape(None)]  # tf.TensorArray sets the element shape it knows


@RegisterGradient("TensorArrayReadV3")
def _tensor_array_read_grad(op, grad):
    """d(flow_in): the read's gradient is written to the gradient array at the same index."""
    handle, index, flow = op.inputs
    g_handle, g_flow = _grad_array(handle, flow, _grad_source(grad))
    with name_scope(None, "TensorArrayWrite", [g_handle, index, grad]):
        w_flow = tensor_array_write_v3(g_handle, index, grad, g_flow)
    return [None, None, w_flow]


def tensor_array_read_v3(handle, index, flow_in, dtype, name=None):
    """The op reading the element at `index`."""
    return apply_op("TensorArrayReadV3", [handle, index, flow_in], {"dtype": _dtypes.as_dtype(dtype).base_dtype},
                    name=name, dtypes=[_dtypes.as_dtype(dtype).base_dtype])


# ---- TensorArrayGatherV3 (stack) ----------------------------------------------------------------
@kernel("TensorArrayGatherV3", inputs=("handle", "indices", "flow_in"), session=True, same_dtype=False)
def _tensor_array_gather(ctx, handle, indices, flow_in, dtype, element_shape=None):
    _check_dtype(handle, dtype, "requested")
    indices = _vector(indices, "indices")
    if not indices:
        shape = handle.element_shape.merge_with(element_shape if element_shape is not None else TensorShape(None))
        if not shape.is_fully_defined():
            raise UnimplementedError(None, None, f"TensorArray has size zero, but element shape "
                                     f"{fmt(shape.as_tuple())} is not fully defined. Currently only static shapes "
                                     f"are supported when packing zero-size TensorArrays.")
        return np.zeros((0,) + shape.as_tuple(), handle.dtype.np)
    values = [handle.read(i) for i in indices]
    for i, v in enumerate(values[1:], 1):
        if v.shape != values[0].shape:
            raise InvalidArgumentError(None, None, f"TensorArray has inconsistent shapes.  Index 0 has shape: "
                                       f"{fmt(values[0].shape)} but index {i} has shape: {fmt(v.shape)}")
    return np.stack(values)


@shape_rule("TensorArrayGatherV3")
def _tensor_array_gather_shape(op):
    _rank(op, 1, 1)
    _rank(op, 2, 0)
    indices = op.inputs[1].shape.as_tuple()
    element = _handle_element_shape(op.inputs[0]).as_tuple()
    if element is None:
        return [TensorShape(None)]  # tf.TensorArray sets the element shape it has learnt
    return [TensorShape((None if indices is None else indices[0],) + element)]


@RegisterGradient("TensorArrayGatherV3")
def _tensor_array_gather_grad(op, grad):
    """d(flow_in): the gathered gradient is scattered back to the same indices."""
    handle, indices, flow = op.inputs
    g_handle, g_flow = _grad_array(handle, flow, _grad_source(grad))
    with name_scope(None, "TensorArrayScatter", [g_handle, grad, indices]):
        u_flow = tensor_array_scatter_v3(g_handle, indices, grad, g_flow)
    return [None, None, u_flow]


def tensor_array_gather_v3(handle, indices, flow_in, dtype, element_shape=None, name=None):
    """The op stacking the elements at `indices` along a new first dimension."""
    dtype = _dtypes.as_dtype(dtype).base_dtype
    return apply_op("TensorArrayGatherV3", [handle, indices, flow_in],
                    {"dtype": dtype, "element_shape": as_shape(element_shape)}, name=name, dtypes=[dtype])


# ---- TensorArrayScatterV3 (unstack) ----------------------------------------------------------
@kernel("TensorArrayScatterV3", inputs=("handle", "indices", "value", "flow_in"), session=True, same_dtype=False)
def _tensor_array_scatter(ctx, handle, indices, value, flow_in, T):  # noqa: N803 - TF attr name
    _check_dtype(handle, T, "is trying to write")
    value = np.asarray(value)
    _at_least_vector(value)
    indices = _vector(indices, "indices")
    if len(indices) != value.shape[0]:
        raise InvalidArgumentError(None, None, f"Expected len(indices) == values.shape[0], but saw: {len(indices)} "
                                   f"vs. {value.shape[0]}")
    if indices and not handle.dynamic_size and max(indices) >= handle.size():
        raise InvalidArgumentError(None, None, f"Max scatter index must be < array size ({max(indices)} vs. "
                                   f"{handle.size()})")
    for i, index in enumerate(indices):
        handle.write(index, value[i])
    return flow_in


@shape_rule("TensorArrayScatterV3")
def _tensor_array_scatter_shape(op):
    _rank(op, 1, 1)
    _rank(op, 3, 0)
    indices, value = op.inputs[1].shape.as_tuple(), op.inputs[2].shape.as_tuple()
    if value is not None and not value:
        raise _shape_error(op, "Shape must be at least rank 1 but is rank 0")
    if indices is not None and value is not None and None not in (indices[0], value[0]) and indices[0] != value[0]:
        raise _shape_error(op, f"Dimensions must be equal, but are {value[0]} and {indices[0]}")
    return [TensorShape([])]


@RegisterGradient("TensorArrayScatterV3")
def _tensor_array_scatter_grad(op, flow):
    """d(value) = the gradient array's elements at the scattered indices, gathered."""
    handle, indices = op.inputs[0], op.inputs[1]
    source = _grad_source(flow)
    flow = _after_forward(op, flow)
    g_handle, g_flow = _grad_array(handle, flow, source)
    grad = tensor_array_gather_v3(g_handle, indices, g_flow, op.get_attr("T"))
    return [None, None, grad, flow]


def tensor_array_scatter_v3(handle, indices, value, flow_in, name=None):
    """The op writing value[i] at indices[i]; returns the new flow."""
    value = convert_to_tensor(value)
    return apply_op("TensorArrayScatterV3", [handle, indices, value, flow_in], {"T": value.dtype.base_dtype},
                    name=name, dtypes=[_dtypes.float32])


# ---- TensorArrayConcatV3 ----------------------------------------------------------------------
@kernel("TensorArrayConcatV3", inputs=("handle", "flow_in"), session=True, same_dtype=False)
def _tensor_array_concat(ctx, handle, flow_in, dtype, element_shape_except0=None):
    _check_dtype(handle, dtype, "requested")
    values = [handle.read(i) for i in range(handle.size())]
    if not values:
        rest = element_shape_except0 if element_shape_except0 is not None else TensorShape(None)
        if not rest.is_fully_defined():
            raise UnimplementedError(None, None, f"TensorArray has size zero, but element_shape_except0 "
                                     f"{fmt(rest.as_tuple())} is not fully defined. Currently only static shapes "
                                     f"are supported when concatenating zero-size TensorArrays.")
        return np.zeros((0,) + rest.as_tuple(), handle.dtype.np), np.zeros(0, np.int64)
    for i, v in enumerate(values):
        if v.ndim == 0:
            raise InvalidArgumentError(None, None, f"Concat saw a scalar shape at index {i} but requires at least "
                                       f"vectors.  Did you mean to call pack?")
        if v.shape[1:] != values[0].shape[1:]:
            raise InvalidArgumentError(None, None, f"TensorArray has inconsistent shapes.  Index 0 has (excepting "
                                       f"dimension 0) shape: {fmt(values[0].shape[1:])} but index {i} has "
                                       f"(excepting dimension 0) shape: {fmt(v.shape[1:])}")
    return np.concatenate(values), np.array([v.shape[0] for v in values], np.int64)


@shape_rule("TensorArrayConcatV3")
def _tensor_array_concat_shape(op):
    _rank(op, 1, 0)
    rest = op.get_attr("element_shape_except0").as_tuple()
    return [TensorShape(None if rest is None else (None,) + rest), TensorShape([None])]


@RegisterGradient("TensorArrayConcatV3")
def _tensor_array_concat_grad(op, grad, unused_lengths_grad):
    """d(flow_in): the gradient is split back into pieces of the concatenated lengths."""
    handle, flow = op.inputs
    g_handle, g_flow = _grad_array(handle, flow, _grad_source(grad))
    u_flow = _split(g_handle, g_flow, grad, op.outputs[1])
    return [None, u_flow]


def tensor_array_concat_v3(handle, flow_in, dtype, element_shape_except0=None, name=None):
    """The op concatenating every element along dimension 0: (value, lengths)."""
    dtype = _dtypes.as_dtype(dtype).base_dtype
    return apply_op("TensorArrayConcatV3", [handle, flow_in],
                    {"dtype": dtype, "element_shape_except0": as_shape(element_shape_except0)}, name=name,
                    dtypes=[dtype, _dtypes.int64])


# ---- TensorArraySplitV3 -----------------------------------------------------------------------
@kernel("TensorArraySplitV3", inputs=("handle", "value", "lengths", "flow_in"), session=True, same_dtype=False)
def _tensor_array_split(ctx, handle, value, lengths, flow_in, T):  # noqa: N803 - TF attr name
    _check_dtype(handle, T, "is trying to write")
    value = np.asarray(value)
    _at_least_vector(value)
    lengths = np.asarray(lengths)
    if lengths.ndim != 1:
        raise InvalidArgumentError(None, None, f"Expected lengths to be a vector, received shape: {fmt(lengths.shape)}")
    lengths = [int(n) for n in lengths]
    if sum(lengths) != value.shape[0]:
        raise InvalidArgumentError(None, None, f"Expected sum of lengths to be equal to values.shape[0], but sum of "
                                   f"lengths is {sum(lengths)} and value's shape is: {fmt(value.shape)}")
    size = handle.size()
    if not handle.dynamic_size and size != len(lengths):
        raise InvalidArgumentError(None, None, f"TensorArray's size is not equal to the size of lengths ({size} vs. "
                                   f"{len(lengths)}), and the TensorArray is not marked as dynamically resizeable")
    starts = np.cumsum([0] + lengths)
    for i, n in enumerate(lengths):
        handle.write(i, value[starts[i]:starts[i] + n])
    return flow_in


@shape_rule("TensorArraySplitV3")
def _tensor_array_split_shape(op):
    value = op.inputs[1].shape.as_tuple()
    if value is not None and not value:
        raise _shape_error(op, "Shape must be at least rank 1 but is rank 0")
    _rank(op, 2, 1)
    _rank(op, 3, 0)
    return [TensorShape([])]


@RegisterGradient("TensorArraySplitV3")
def _tensor_array_split_grad(op, flow):
    """d(value) = the gradient array's elements, concatenated."""
    handle = op.inputs[0]
    source = _grad_source(flow)
    flow = _after_forward(op, flow)
    g_handle, g_flow = _grad_array(handle, flow, source)
    grad, _ = tensor_array_concat_v3(g_handle, g_flow, op.get_attr("T"))
    return [None, grad, None, flow]


def tensor_array_split_v3(handle, value, lengths, flow_in, name=None):
    """The op writing consecutive pieces of `value` (lengths int64) as elements; returns the new flow."""
    value = convert_to_tensor(value)
    return apply_op("TensorArraySplitV3", [handle, value, lengths, flow_in], {"T": value.dtype.base_dtype},
                    name=name, dtypes=[_dtypes.float32])


def _split(handle, flow, value, lengths, name=None):
    """TensorArray.split's ops (`TensorArraySplit/Cast`, `TensorArraySplit/TensorArraySplitV3`)."""
    with name_scope(name, "TensorArraySplit", [handle, value, lengths]):
        lengths_64 = math_ops.cast(lengths, _dtypes.int64)
        return tensor_array_split_v3(handle, value, lengths_64, flow, name=name)


# ---- TensorArraySizeV3, TensorArrayCloseV3 ---------------------------------------------------
@kernel("TensorArraySizeV3", inputs=("handle", "flow_in"), session=True, same_dtype=False)
def _tensor_array_size(ctx, handle, flow_in):
    return np.int32(handle.size())


shape_rule("TensorArraySizeV3")(lambda op: [TensorShape([])])
NotDifferentiable("TensorArraySizeV3")


def tensor_array_size_v3(handle, flow_in, name=None):
    """The op giving the current number of elements (int32)."""
    return apply_op("TensorArraySizeV3", [handle, flow_in], name=name, dtypes=[_dtypes.int32])


@kernel("TensorArrayCloseV3", inputs=("handle",), session=True, same_dtype=False)
def _tensor_array_close(ctx, handle):
    handle.elements, handle.closed = [], True


shape_rule("TensorArrayCloseV3")(lambda op: [])
NotDifferentiable("TensorArrayCloseV3")


def tensor_array_close_v3(handle, name=None):
    """The op closing the array: its elements are freed, later ops on it fail."""
    return apply_op("TensorArrayCloseV3", [handle], name=name, dtypes=[])
