"""tf.TensorArray: a list of tensors written and read inside a graph, the loop memory of dynamic_rnn.

TF1's graph-mode class (tensorflow/python/ops/tensor_array_ops.py `_GraphTensorArray`) on the ops of
tfteach/ops/tensor_array_ops.py. A TensorArray object is a (handle, flow) pair: every write returns
a new object with a new flow, sharing the handle and the static element shape it has inferred.
"""
import numpy as np

from . import dtypes as _dtypes
from .graph import Tensor, control_dependencies, convert_to_tensor, name_scope
from .tensor_shape import TensorShape, as_shape
from .ops import tensor_array_ops as ta_ops
from .ops import building as building_ops
from .ops import control as control_flow_ops
from .ops import math as math_ops
from .ops.array import shape as _shape
from .ops.common import _const_value


def _constant_value(x):
    """TF's tensor_util.constant_value: x itself when it is not a tensor."""
    if isinstance(x, Tensor):
        return _const_value(x)
    return None if x is None else np.asarray(x)


def _to_tensor(value, preferred_dtype, name):
    """convert_to_tensor(value, preferred_dtype=...): the preferred dtype when the value fits it."""
    if isinstance(value, Tensor):
        return value
    try:
        return convert_to_tensor(value, dtype=preferred_dtype, name=name)
    except (TypeError, ValueError):
        return convert_to_tensor(value, name=name)


class TensorArray:
    """A list of tensors of one dtype that lives for one Session.run (TF1's TensorArray).

    Args:
      dtype: the elements' dtype.
      size: the number of elements (an int32 scalar), required unless `handle` is given.
      dynamic_size: let writes past the end grow the array (default False).
      clear_after_read: free an element when it is read, so it can be read only once (default True).
      tensor_array_name: the array's name at run time (default: its op's name).
      handle, flow: wrap an existing array (what `write` and the gradients do).
      infer_shape: all elements share one shape, learnt from the writes (default True).
      element_shape: the elements' shape, if known.
      name: the op's name (default "TensorArray").

    Example: `ta = tf.TensorArray(tf.float32, size=3).unstack(x)`; `ta.read(1)` is x[1],
    `ta.stack()` is x again. Use the object each write returns: its flow orders the ops.
    """

    def __init__(self, dtype, size=None, dynamic_size=None, clear_after_read=None, tensor_array_name=None,
                 handle=None, flow=None, infer_shape=True, element_shape=None,
                 colocate_with_first_write_call=True, name=None):
        if handle is not None and tensor_array_name:
            raise ValueError("Cannot provide both `handle` and `tensor_array_name` arguments at the same time.")
        if handle is not None and not isinstance(handle, Tensor):
            raise TypeError(f"Expected `handle` to be a Tensor, but got `{handle}` of type `{type(handle)}` instead.")
        if handle is None and size is None:
            raise ValueError("Argument `size` must be provided if handle is not provided.")
        if handle is not None and size is not None:
            raise ValueError("Cannot provide both a `handle` and `size` arguments at the same time.")
        if handle is not None and element_shape is not None:
            raise ValueError("Cannot provide both `handle` and `element_shape` arguments at the same time.")
        if handle is not None and dynamic_size is not None:
            raise ValueError("Cannot provide both `handle` and `dynamic_size` arguments at the same time.")
        if handle is not None and clear_after_read is not None:
            raise ValueError("Cannot provide both `handle` and `clear_after_read` arguments at the same time.")
        self._dynamic_size = bool(dynamic_size)
        self._dtype = _dtypes.as_dtype(dtype).base_dtype
        self._colocate_with_first_write_call = colocate_with_first_write_call
        self._element_shape = [as_shape(element_shape) if element_shape is not None else TensorShape(None)]
        self._infer_shape = infer_shape
        self._size = size
        if handle is not None:
            if flow is None:
                raise ValueError("flow must not be None if handle is not None.")
            self._handle, self._flow = handle, flow
            return
        with name_scope(name, "TensorArray", [size]) as scope:
            self._handle, self._flow = ta_ops.tensor_array_v3(
                size, self._dtype, element_shape=self._element_shape[0], dynamic_size=self._dynamic_size,
                clear_after_read=True if clear_after_read is None else clear_after_read,
                identical_element_shapes=infer_shape, tensor_array_name=tensor_array_name, name=scope)

    flow = property(lambda self: self._flow, doc="The flow tensor: the state of the array after the ops before it.")
    dtype = property(lambda self: self._dtype, doc="The elements' dtype.")
    handle = property(lambda self: self._handle, doc="The reference to the array (a resource tensor).")
    element_shape = property(lambda self: self._element_shape[0], doc="The static shape of the elements.")
    dynamic_size = property(lambda self: self._dynamic_size, doc="Whether writes may grow the array.")

    def __repr__(self):
        return f"<tf.TensorArray '{self._handle.op.name}' dtype={self._dtype.name} flow={self._flow.name}>"

    def _with_flow(self, flow):
        """This array at another point of its history: what a while loop makes of a TensorArray
        loop variable (TF's control_flow_ops._make_tensor_array)."""
        return build_ta_with_new_flow(self, flow)

    def _check_element_shape(self, shape):
        """Merge `shape` into the element shape (ValueError if they differ)."""
        if not shape.is_compatible_with(self.element_shape):
            raise ValueError(f"Inconsistent shapes: saw {shape} but expected {self.element_shape} ")
        if self._infer_shape:
            self._element_shape[0] = self.element_shape.merge_with(shape)

    def identity(self):
        """The same array with a new flow (an Identity), e.g. under control dependencies."""
        return build_ta_with_new_flow(self, control_flow_ops.identity(self._flow))

    def grad(self, source, flow=None, name=None):
        """The gradient array of this one for the tf.gradients call `source` ('gradients')."""
        if flow is None:
            flow = self.flow
        with name_scope(name, "TensorArrayGrad", [self._handle]):
            g_handle, _ = ta_ops.tensor_array_grad_v3(self._handle, flow, source, name=name)
            with control_dependencies([g_handle]):
                flow = control_flow_ops.identity(flow, name="gradient_flow")
            g = TensorArray(dtype=self._dtype, handle=g_handle, flow=flow, infer_shape=self._infer_shape,
                            colocate_with_first_write_call=False)
            g._element_shape = self._element_shape
            return g

    def read(self, index, name=None):
        """The element at `index` (TensorArrayReadV3). Read once unless clear_after_read=False."""
        value = ta_ops.tensor_array_read_v3(self._handle, index, self._flow, self._dtype, name=name)
        if self.element_shape:
            value.set_shape(self.element_shape)
        return value

    def write(self, index, value, name=None):
        """A TensorArray with `value` written at `index`: use the returned object from then on."""
        with name_scope(name, "TensorArrayWrite", [self._handle, index, value]):
            value = _to_tensor(value, self._dtype, "value")
            self._check_element_shape(value.shape)
            flow_out = ta_ops.tensor_array_write_v3(self._handle, index, value, self._flow, name=name)
            return build_ta_with_new_flow(self, flow_out)

    def stack(self, name=None):
        """Every element, stacked along a new first dimension (a gather of range(size))."""
        with name_scope(name, "TensorArrayStack", [self._handle]):
            value = self.gather(building_ops.range(0, self.size()), name=name)
            if self.element_shape and not self._dynamic_size and self._size is not None:
                n = _constant_value(self._size)
                value.set_shape([None if n is None else int(n)] + self.element_shape.as_list())
            return value

    def gather(self, indices, name=None):
        """The elements at `indices`, stacked along a new first dimension (TensorArrayGatherV3)."""
        value = ta_ops.tensor_array_gather_v3(self._handle, indices, self._flow, self._dtype,
                                              element_shape=self._element_shape[0], name=name)
        if self.element_shape:
            value.set_shape([None] + self.element_shape.as_list())
        return value

    def concat(self, name=None):
        """Every element concatenated along dimension 0 (TensorArrayConcatV3)."""
        value, _ = ta_ops.tensor_array_concat_v3(self._handle, self._flow, self._dtype,
                                                 element_shape_except0=self.element_shape[1:], name=name)
        if self.element_shape:
            dim0 = None
            if self._infer_shape:
                size = _constant_value(self.size())
                first = self.element_shape.as_tuple()[0]  # IndexError for scalars, as in TF
                if size is not None and first is not None:
                    dim0 = int(size) * first
            value.set_shape([dim0] + self.element_shape.as_list()[1:])
        return value

    def unstack(self, value, name=None):
        """A TensorArray holding value[0], value[1], ... (a scatter to range(len(value)))."""
        with name_scope(name, "TensorArrayUnstack", [self._handle, value]):
            num_elements = _shape(value)[0]
            return self.scatter(indices=building_ops.range(0, num_elements), value=value, name=name)

    def scatter(self, indices, value, name=None):
        """A TensorArray with value[i] written at indices[i] (TensorArrayScatterV3)."""
        with name_scope(name, "TensorArrayScatter", [self._handle, value, indices]):
            value = _to_tensor(value, self._dtype, "value")
            self._check_element_shape(value.shape[1:])
            flow_out = ta_ops.tensor_array_scatter_v3(self._handle, indices, value, self._flow, name=name)
            return build_ta_with_new_flow(self, flow_out)

    def split(self, value, lengths, name=None):
        """A TensorArray whose elements are consecutive pieces of `value` (TensorArraySplitV3)."""
        with name_scope(name, "TensorArraySplit", [self._handle, value, lengths]):
            value = convert_to_tensor(value, dtype=self._dtype, name="value")
            clengths = _constant_value(lengths)  # (tfteach cannot fold the Cast below, TF can)
            lengths_64 = math_ops.cast(lengths, _dtypes.int64)
            if value.shape.ndims is not None and clengths is not None and clengths.ndim and clengths.size \
                    and clengths.max() == clengths.min():
                self._check_element_shape(TensorShape([int(clengths[0])] + value.shape.as_list()[1:]))
            flow_out = ta_ops.tensor_array_split_v3(self._handle, value, lengths_64, self._flow, name=name)
            return build_ta_with_new_flow(self, flow_out)

    def size(self, name=None):
        """The number of elements: a constant unless the array has a dynamic size."""
        if not self._dynamic_size and self._size is not None:
            return convert_to_tensor(self._size, dtype=_dtypes.int32)
        return ta_ops.tensor_array_size_v3(self._handle, self._flow, name=name)

    def close(self, name=None):
        """The op closing the array."""
        return ta_ops.tensor_array_close_v3(self._handle, name=name)


def build_ta_with_new_flow(old_ta, flow):
    """A TensorArray like `old_ta` with another flow: what write, scatter and split return, and
    what a while loop makes of a TensorArray loop variable at each iteration."""
    new_ta = TensorArray(dtype=old_ta.dtype, handle=old_ta.handle, flow=flow, infer_shape=old_ta._infer_shape,
                         colocate_with_first_write_call=old_ta._colocate_with_first_write_call)
    new_ta._dynamic_size = old_ta._dynamic_size
    new_ta._size = old_ta._size
    new_ta._element_shape = old_ta._element_shape  # shared: a shape learnt later is learnt by all
    return new_ta
