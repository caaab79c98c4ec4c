"""tf.nn.rnn_cell (= tf.contrib.rnn): the TF1 recurrent cells, built from ordinary ops.

Mirrors tensorflow/python/ops/rnn_cell_impl.py of TF 1.15 (kept in TF 2.x as tf_keras's
legacy_cells.py): the same variable names (`rnn/basic_lstm_cell/kernel`, `gru_cell/gates/kernel`),
the same gate order (LSTM: i, j, f, o) and kernel layout ([inputs; h] rows), so checkpoints
move between tfteach and TensorFlow. A cell is a function of (inputs, state) -> (output, new_state)
whose variables are made on its first call and shared by every later call (every time step).
"""
import collections
import numbers
import re
import types

from . import dtypes as _dtypes
from .coverage import missing
from .graph import Tensor, convert_to_tensor, get_default_graph
from .ops import array as array_ops, building as building_ops, clip as clip_ops, constant as constant_ops
from .ops import math as math_ops, nn as nn_ops, slicing as slicing_ops, unary as unary_ops
from .init_ops import constant_initializer, zeros_initializer
from .tensor_shape import TensorShape
from .variable_scope import get_variable, get_variable_scope, variable_scope


# ---- nested states: tuples of tensors (LSTMStateTuple, MultiRNNCell's tuple of states) -------
def is_sequence(x):
    return isinstance(x, (tuple, list))


def flatten(structure):
    """The leaves of a nest of tuples/lists, depth first."""
    if not is_sequence(structure):
        return [structure]
    return [leaf for part in structure for leaf in flatten(part)]


def pack_sequence_as(structure, flat):
    """Rebuild `structure`'s nesting from the leaves `flat` (namedtuples stay namedtuples)."""
    it = iter(flat)

    def build(s):
        if not is_sequence(s):
            return next(it)
        parts = [build(p) for p in s]
        if hasattr(s, "_fields"):  # a namedtuple such as LSTMStateTuple
            return type(s)(*parts)
        return type(s)(parts)
    return build(structure)


def _map(fn, structure):
    return pack_sequence_as(structure, [fn(leaf) for leaf in flatten(structure)])


class LSTMStateTuple(collections.namedtuple("LSTMStateTuple", ("c", "h"))):
    """The state of an LSTM cell: `c` the memory, `h` the output, in that order."""

    __slots__ = ()

    @property
    def dtype(self):
        c, h = self
        if c.dtype != h.dtype:
            raise TypeError(f"Inconsistent internal state: {c.dtype} vs {h.dtype}")
        return c.dtype


def assert_like_rnncell(cell_name, cell):
    """TF's check that `cell` has output_size, state_size, zero_state and is callable."""
    checks = [(hasattr(cell, "output_size"), "'output_size' property is missing"),
              (hasattr(cell, "state_size"), "'state_size' property is missing"),
              (hasattr(cell, "get_initial_state") or hasattr(cell, "zero_state"),
               "either 'zero_state' or 'get_initial_state' method is required"),
              (callable(cell), "is not callable")]
    errors = [message for ok, message in checks if not ok]
    if errors:
        raise TypeError(f"The argument {cell_name!r} ({cell}) is not an RNNCell: {', '.join(errors)}.")


def _zero_state_tensors(state_size, batch_size, dtype):
    """tf.zeros(concat([batch_size], [size])) for each size, as TF's (the ops `concat`, `zeros`)."""

    def zeros(size):
        dims = [size] if isinstance(size, numbers.Integral) else TensorShape(size).as_list()
        batch = array_ops.expand_dims(batch_size, 0) if isinstance(batch_size, Tensor) else constant_ops.constant([batch_size])
        z = array_ops.zeros(building_ops.concat([batch, constant_ops.constant(dims)], 0), dtype=dtype)
        z.set_shape([batch_size if isinstance(batch_size, numbers.Integral) else None] + dims)
        return z
    return _map(zeros, state_size)


# ---- the base classes --------------------------------------------------------------------------
class RNNCell:
    """An RNN cell: `output, new_state = cell(inputs, state)`.

    Subclasses give `state_size`, `output_size` and `call(inputs, state)`, and may make their
    variables in `build(input_shape)` with `add_weight` or in `call` with tf.get_variable. The
    first call opens the variable scope named after the cell (`my_cell` for a class MyCell,
    unique in the current scope); later calls reuse the variables and put their ops in the same
    name scope (`MatMul_1`, `MatMul_2`, ...), as TF's. A plain RNNCell first re-enters the
    current variable scope, which opens a name scope of the same name: TF's `rnn/rnn/my_cell`.
    """

    # class-level defaults, so a subclass whose __init__ skips super().__init__() still works
    trainable = True
    dtype = None
    built = False
    _given_name = None
    _reuse = None
    _scope = None

    def __init__(self, trainable=True, name=None, dtype=None, _reuse=None, **kwargs):
        self.trainable = trainable
        self._given_name = name
        self._reuse = _reuse
        self.dtype = None if dtype is None else _dtypes.as_dtype(dtype)
        self._scope = None
        self.built = False
        self._trainable_weights = []

    @property
    def _base_name(self):
        """The class name in snake case, as Keras names layers: MyCell -> my_cell."""
        name = re.sub("(.)([A-Z][a-z0-9]+)", r"\1_\2", type(self).__name__)
        name = re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()
        return name if name[0] != "_" else "private" + name

    @property
    def name(self):
        return self._scope.name if self._scope is not None else (self._given_name or self._base_name)

    @property
    def state_size(self):
        raise NotImplementedError("Abstract method")

    @property
    def output_size(self):
        raise NotImplementedError("Abstract method")

    @property
    def trainable_variables(self):
        return list(self.__dict__.get("_trainable_weights", []))

    trainable_weights = variables = weights = trainable_variables

    def __call__(self, inputs, state, scope=None):
        if scope is not None:
            return self._layer_call(inputs, state, scope)
        outer = self.__dict__.get("_rnncell_scope")
        if outer is None:
            outer = self._rnncell_scope = get_variable_scope()
        with variable_scope(outer):
            return self._layer_call(inputs, state)

    def _layer_call(self, inputs, state, scope=None):
        inputs = convert_to_tensor(inputs)
        self._check_dtypes(inputs, state)
        if self._scope is None:
            with variable_scope(scope or self._given_name, default_name=self._base_name,
                                reuse=self._reuse) as vs:
                self._scope = vs
                if self.dtype is None and inputs.dtype.base_dtype.is_floating:
                    self.dtype = inputs.dtype.base_dtype  # the layer's dtype: its first input's
                if not self.built:
                    self.build(inputs.shape)
                    self.built = True
                return self.call(inputs, state)
        with variable_scope(self._scope, reuse=True, auxiliary_name_scope=False), \
                get_default_graph().name_scope(self._scope.original_name_scope):
            return self.call(inputs, state)

    def build(self, input_shape):
        self.built = True

    def add_weight(self, name, shape, initializer=None, dtype=None):
        v = get_variable(name, shape=shape, dtype=dtype or self.dtype, initializer=initializer,
                         trainable=self.trainable)
        weights = self.__dict__.setdefault("_trainable_weights", [])
        if self.trainable and all(v is not w for w in weights):
            weights.append(v)
        return v

    def _input_depth(self, input_shape):
        input_shape = TensorShape(input_shape)
        if input_shape.ndims != 2:
            raise ValueError(f"Input 0 of layer {self._base_name} is incompatible with the layer: "
                             f"expected ndim=2, found ndim={input_shape.ndims}. Full shape received: "
                             f"{input_shape}")
        if input_shape[-1].value is None:
            raise ValueError(f"Expected inputs.shape[-1] to be known, received shape: {input_shape}")
        return input_shape[-1].value

    def _check_dtypes(self, inputs, state):
        for t in [inputs] + flatten(state):
            dtype = convert_to_tensor(t).dtype.base_dtype
            if not dtype.is_floating:
                raise ValueError(f"RNN cell only supports floating point inputs, but received dtype: {dtype}")

    def get_initial_state(self, inputs=None, batch_size=None, dtype=None):
        if inputs is not None:
            inputs = convert_to_tensor(inputs, name="inputs")
            batch_size = inputs.shape[0].value or array_ops.shape(inputs)[0]
            dtype = inputs.dtype
        if batch_size is None or dtype is None:
            raise ValueError(f"batch_size and dtype cannot be None while constructing initial state: "
                             f"batch_size={batch_size}, dtype={dtype}")
        return self.zero_state(batch_size, dtype)

    def zero_state(self, batch_size, dtype):
        """Zeros of shape [batch_size, s] for each s in state_size (a tuple of them for tuples)."""
        with get_default_graph().name_scope(type(self).__name__ + "ZeroState"):
            return _zero_state_tensors(self.state_size, batch_size, _dtypes.as_dtype(dtype))


class LayerRNNCell(RNNCell):
    """The built-in cells (TF's LayerRNNCell): the call opens the cell's own scope directly,
    hence `rnn/basic_lstm_cell/MatMul` for both the variables and the ops."""

    def __call__(self, inputs, state, scope=None):
        return self._layer_call(inputs, state, scope)


# ---- BasicRNNCell ------------------------------------------------------------------------------
class BasicRNNCell(LayerRNNCell):
    """output = new_state = tanh([inputs, state] @ kernel + bias). Variables `kernel`
    [input_depth + num_units, num_units] and `bias` [num_units] (zeros)."""

    _base_name = "basic_rnn_cell"

    def __init__(self, num_units, activation=None, reuse=None, name=None, dtype=None, **kwargs):
        super().__init__(_reuse=reuse, name=name, dtype=dtype, **kwargs)
        self._num_units = num_units
        self._activation = activation or unary_ops.tanh

    @property
    def state_size(self):
        return self._num_units

    @property
    def output_size(self):
        return self._num_units

    def build(self, input_shape):
        depth = self._input_depth(input_shape)
        self._kernel = self.add_weight("kernel", [depth + self._num_units, self._num_units])
        self._bias = self.add_weight("bias", [self._num_units], initializer=zeros_initializer())
        self.built = True

    def call(self, inputs, state):
        gate_inputs = math_ops.matmul(building_ops.concat([inputs, state], 1), self._kernel)
        gate_inputs = nn_ops.bias_add(gate_inputs, self._bias)
        output = self._activation(gate_inputs)
        return output, output


# ---- GRUCell -------------------------------------------------------------------------------------
class GRUCell(LayerRNNCell):
    """Gated recurrent unit (Cho et al. 2014), TF's variant:
    r, u = split(sigmoid([x, h] @ gates/kernel + gates/bias)); c = tanh([x, r*h] @ candidate/kernel
    + candidate/bias); new_h = u*h + (1-u)*c. The gates' bias starts at 1.0."""

    _base_name = "gru_cell"

    def __init__(self, num_units, activation=None, reuse=None, kernel_initializer=None,
                 bias_initializer=None, name=None, dtype=None, **kwargs):
        super().__init__(_reuse=reuse, name=name, dtype=dtype, **kwargs)
        self._num_units = num_units
        self._activation = activation or unary_ops.tanh
        self._kernel_initializer = kernel_initializer
        self._bias_initializer = bias_initializer

    @property
    def state_size(self):
        return self._num_units

    @property
    def output_size(self):
        return self._num_units

    def build(self, input_shape):
        depth = self._input_depth(input_shape)
        n = self._num_units
        self._gate_kernel = self.add_weight("gates/kernel", [depth + n, 2 * n],
                                            initializer=self._kernel_initializer)
        self._gate_bias = self.add_weight("gates/bias", [2 * n],
                                          initializer=self._bias_initializer or constant_initializer(1.0))
        self._candidate_kernel = self.add_weight("candidate/kernel", [depth + n, n],
                                                 initializer=self._kernel_initializer)
        self._candidate_bias = self.add_weight("candidate/bias", [n],
                                               initializer=self._bias_initializer or zeros_initializer())
        self.built = True

    def call(self, inputs, state):
        gate_inputs = math_ops.matmul(building_ops.concat([inputs, state], 1), self._gate_kernel)
        gate_inputs = nn_ops.bias_add(gate_inputs, self._gate_bias)
        value = unary_ops.sigmoid(gate_inputs)
        r, u = slicing_ops.split(value=value, num_or_size_splits=2, axis=1)
        r_state = r * state
        candidate = math_ops.matmul(building_ops.concat([inputs, r_state], 1), self._candidate_kernel)
        candidate = nn_ops.bias_add(candidate, self._candidate_bias)
        c = self._activation(candidate)
        new_h = u * state + (1 - u) * c
        return new_h, new_h


# ---- BasicLSTMCell --------------------------------------------------------------------------
class BasicLSTMCell(LayerRNNCell):
    """LSTM without peepholes or projection (Zaremba et al. 2014).

    i, j, f, o = split([x, h] @ kernel + bias, 4, axis=1)  (input gate, new input, forget, output)
    new_c = c * sigmoid(f + forget_bias) + sigmoid(i) * tanh(j);  new_h = tanh(new_c) * sigmoid(o)
    Variables `kernel` [input_depth + num_units, 4 * num_units] and `bias` [4 * num_units] (zeros).
    """

    _base_name = "basic_lstm_cell"

    def __init__(self, num_units, forget_bias=1.0, state_is_tuple=True, activation=None, reuse=None,
                 name=None, dtype=None, **kwargs):
        super().__init__(_reuse=reuse, name=name, dtype=dtype, **kwargs)
        self._num_units = num_units
        self._forget_bias = forget_bias
        self._state_is_tuple = state_is_tuple
        self._activation = activation or unary_ops.tanh

    @property
    def state_size(self):
        n = self._num_units
        return LSTMStateTuple(n, n) if self._state_is_tuple else 2 * n

    @property
    def output_size(self):
        return self._num_units

    def build(self, input_shape):
        depth = self._input_depth(input_shape)
        n = self._num_units
        self._kernel = self.add_weight("kernel", [depth + n, 4 * n])
        self._bias = self.add_weight("bias", [4 * n], initializer=zeros_initializer())
        self.built = True

    def call(self, inputs, state):
        one = constant_ops.constant(1, dtype=_dtypes.int32)
        if self._state_is_tuple:
            c, h = state
        else:
            c, h = slicing_ops.split(value=state, num_or_size_splits=2, axis=one)
        gate_inputs = math_ops.matmul(building_ops.concat([inputs, h], 1), self._kernel)
        gate_inputs = nn_ops.bias_add(gate_inputs, self._bias)
        i, j, f, o = slicing_ops.split(value=gate_inputs, num_or_size_splits=4, axis=one)
        forget_bias_tensor = constant_ops.constant(self._forget_bias, dtype=f.dtype)
        new_c = math_ops.add(math_ops.multiply(c, unary_ops.sigmoid(math_ops.add(f, forget_bias_tensor))),
                       math_ops.multiply(unary_ops.sigmoid(i), self._activation(j)))
        new_h = math_ops.multiply(self._activation(new_c), unary_ops.sigmoid(o))
        new_state = LSTMStateTuple(new_c, new_h) if self._state_is_tuple else building_ops.concat([new_c, new_h], 1)
        return new_h, new_state


# ---- LSTMCell ----------------------------------------------------------------------------------
class LSTMCell(LayerRNNCell):
    """LSTM with optional peepholes (`w_f_diag`, `w_i_diag`, `w_o_diag`), cell clipping and a
    projection of the output (`projection/kernel` [num_units, num_proj]); same gates as
    BasicLSTMCell. With num_proj the state is LSTMStateTuple(c: num_units, h: num_proj)."""

    _base_name = "lstm_cell"

    def __init__(self, num_units, use_peepholes=False, cell_clip=None, initializer=None, num_proj=None,
                 proj_clip=None, num_unit_shards=None, num_proj_shards=None, forget_bias=1.0,
                 state_is_tuple=True, activation=None, reuse=None, name=None, dtype=None, **kwargs):
        super().__init__(_reuse=reuse, name=name, dtype=dtype, **kwargs)
        if num_unit_shards is not None or num_proj_shards is not None:
            raise NotImplementedError("tfteach's LSTMCell does not shard its variables "
                                      "(num_unit_shards / num_proj_shards): leave them None")
        self._num_units = num_units
        self._use_peepholes = use_peepholes
        self._cell_clip = cell_clip
        self._initializer = initializer
        self._num_proj = num_proj
        self._proj_clip = proj_clip
        self._forget_bias = forget_bias
        self._state_is_tuple = state_is_tuple
        self._activation = activation or unary_ops.tanh
        out = num_proj if num_proj else num_units
        self._state_size = LSTMStateTuple(num_units, out) if state_is_tuple else num_units + out
        self._output_size = out

    @property
    def state_size(self):
        return self._state_size

    @property
    def output_size(self):
        return self._output_size

    def build(self, input_shape):
        depth = self._input_depth(input_shape)
        n = self._num_units
        h_depth = n if self._num_proj is None else self._num_proj
        self._kernel = self.add_weight("kernel", [depth + h_depth, 4 * n], initializer=self._initializer)
        self._bias = self.add_weight("bias", [4 * n], initializer=zeros_initializer())
        if self._use_peepholes:
            self._w_f_diag = self.add_weight("w_f_diag", [n], initializer=self._initializer)
            self._w_i_diag = self.add_weight("w_i_diag", [n], initializer=self._initializer)
            self._w_o_diag = self.add_weight("w_o_diag", [n], initializer=self._initializer)
        if self._num_proj is not None:
            self._proj_kernel = self.add_weight("projection/kernel", [n, self._num_proj],
                                                initializer=self._initializer)
        self.built = True

    def call(self, inputs, state):
        num_proj = self._num_units if self._num_proj is None else self._num_proj
        sigmoid = unary_ops.sigmoid
        if self._state_is_tuple:
            c_prev, m_prev = state
        else:
            c_prev = slicing_ops.slice(state, [0, 0], [-1, self._num_units])
            m_prev = slicing_ops.slice(state, [0, self._num_units], [-1, num_proj])
        lstm_matrix = math_ops.matmul(building_ops.concat([inputs, m_prev], 1), self._kernel)
        lstm_matrix = nn_ops.bias_add(lstm_matrix, self._bias)
        i, j, f, o = slicing_ops.split(value=lstm_matrix, num_or_size_splits=4, axis=1)
        if self._use_peepholes:
            c = (sigmoid(f + self._forget_bias + self._w_f_diag * c_prev) * c_prev
                 + sigmoid(i + self._w_i_diag * c_prev) * self._activation(j))
        else:
            c = sigmoid(f + self._forget_bias) * c_prev + sigmoid(i) * self._activation(j)
        if self._cell_clip is not None:
            c = clip_ops.clip_by_value(c, -self._cell_clip, self._cell_clip)
        if self._use_peepholes:
            m = sigmoid(o + self._w_o_diag * c) * self._activation(c)
        else:
            m = sigmoid(o) * self._activation(c)
        if self._num_proj is not None:
            m = math_ops.matmul(m, self._proj_kernel)
            if self._proj_clip is not None:
                m = clip_ops.clip_by_value(m, -self._proj_clip, self._proj_clip)
        new_state = LSTMStateTuple(c, m) if self._state_is_tuple else building_ops.concat([c, m], 1)
        return m, new_state


# ---- MultiRNNCell ------------------------------------------------------------------------------
class MultiRNNCell(RNNCell):
    """Cells stacked: cell i reads cell i-1's output, in variable scope `multi_rnn_cell/cell_i`.
    The state is a tuple of the cells' states (or, with state_is_tuple=False, their concat)."""

    _base_name = "multi_rnn_cell"

    def __init__(self, cells, state_is_tuple=True):
        super().__init__()
        if not cells:
            raise ValueError("Must specify at least one cell for MultiRNNCell.")
        if not is_sequence(cells):
            raise TypeError(f"cells must be a list or tuple, but received: {cells}.")
        self._cells = list(cells)
        self._state_is_tuple = state_is_tuple
        if not state_is_tuple and any(is_sequence(c.state_size) for c in self._cells):
            raise ValueError("Some cells return tuples of states, but the flag state_is_tuple is not set. "
                             f"State sizes are: {[c.state_size for c in self._cells]}")

    @property
    def state_size(self):
        if self._state_is_tuple:
            return tuple(cell.state_size for cell in self._cells)
        return sum(cell.state_size for cell in self._cells)

    @property
    def output_size(self):
        return self._cells[-1].output_size

    @property
    def trainable_variables(self):
        return [v for cell in self._cells for v in cell.trainable_variables]

    trainable_weights = variables = weights = trainable_variables

    def zero_state(self, batch_size, dtype):
        with get_default_graph().name_scope(type(self).__name__ + "ZeroState"):
            if self._state_is_tuple:
                return tuple(cell.zero_state(batch_size, dtype) for cell in self._cells)
            return super().zero_state(batch_size, dtype)  # a second scope inside, as TF's

    def call(self, inputs, state):
        cur_pos = 0
        cur_inp = inputs
        new_states = []
        for i, cell in enumerate(self._cells):
            with variable_scope("cell_%d" % i):
                if self._state_is_tuple:
                    if not is_sequence(state):
                        raise ValueError(f"Expected state to be a tuple of length {len(self.state_size)}, "
                                         f"but received: {state}")
                    cur_state = state[i]
                else:
                    cur_state = slicing_ops.slice(state, [0, cur_pos], [-1, cell.state_size])
                    cur_pos += cell.state_size
                cur_inp, new_state = cell(cur_inp, cur_state)
                new_states.append(new_state)
        return cur_inp, (tuple(new_states) if self._state_is_tuple else building_ops.concat(new_states, 1))


# the wrappers (DropoutWrapper, ResidualWrapper) live in rnn_cell_wrappers.py, TF's rnn_cell_wrapper_impl
from .rnn_cell_wrappers import DropoutWrapper, ResidualWrapper  # noqa: E402  (they subclass RNNCell)

__all__ = ["RNNCell", "BasicRNNCell", "BasicLSTMCell", "LSTMCell", "GRUCell", "MultiRNNCell",
           "DropoutWrapper", "ResidualWrapper", "LSTMStateTuple"]


def contrib_namespace(rnn):
    """tf.contrib.rnn: the cells plus static_rnn and static_bidirectional_rnn, as a module whose
    missing names (tf.contrib.rnn.LayerNormBasicLSTMCell) raise tfteach's clear error."""
    module = types.ModuleType("tf.contrib.rnn", "tf.contrib.rnn: the recurrent cells and static RNNs.")
    for name in __all__:
        setattr(module, name, globals()[name])
    module.static_rnn, module.static_bidirectional_rnn = rnn.static_rnn, rnn.static_bidirectional_rnn
    module.__all__ = __all__ + ["static_rnn", "static_bidirectional_rnn"]

    def __getattr__(name):  # noqa: N807 - the module hook
        raise missing("tf.contrib.rnn", name)
    module.__getattr__ = __getattr__
    return module


def __getattr__(name):
    raise missing("tf.nn.rnn_cell", name)
