"""tf.nn.rnn_cell's wrappers: DropoutWrapper and ResidualWrapper around any cell.

Mirrors TF 1.15's rnn_cell_wrapper_impl.py (tf_keras's legacy_cell_wrappers.py in TF 2.x). A
wrapper opens no variable scope: the wrapped cell's variables keep their names.
"""
import hashlib

from .graph import Tensor, convert_to_tensor, get_default_graph
from .ops import nn_impl
from .rnn_cell import LSTMStateTuple, RNNCell, assert_like_rnncell, flatten, is_sequence, pack_sequence_as


# ---- DropoutWrapper ----------------------------------------------------------------------------
def _default_dropout_state_filter(substate):
    if isinstance(substate, LSTMStateTuple):
        return LSTMStateTuple(c=False, h=True)  # never drop the memory c
    return True


class DropoutWrapper(RNNCell):
    """Dropout on a cell's inputs, outputs and (not the LSTM memory c) new state, each with its
    keep probability (a float or a scalar tensor, e.g. a placeholder fed 1.0 when testing).
    The wrapper adds no variable scope: the wrapped cell's variables keep their names."""

    def __init__(self, cell, input_keep_prob=1.0, output_keep_prob=1.0, state_keep_prob=1.0,
                 variational_recurrent=False, input_size=None, dtype=None, seed=None,
                 dropout_state_filter_visitor=None, **kwargs):
        super().__init__(dtype=dtype)
        assert_like_rnncell("cell", cell)
        if variational_recurrent:
            raise NotImplementedError("tfteach's DropoutWrapper has no variational_recurrent dropout")
        if dropout_state_filter_visitor is not None and not callable(dropout_state_filter_visitor):
            raise TypeError(f"dropout_state_filter_visitor must be callable. Received: "
                            f"{dropout_state_filter_visitor}")
        self.cell = cell
        self._seed = seed
        self._dropout_state_filter = dropout_state_filter_visitor or _default_dropout_state_filter
        with get_default_graph().name_scope("DropoutWrapperInit"):
            for prob, attr in [(input_keep_prob, "input_keep_prob"), (state_keep_prob, "state_keep_prob"),
                               (output_keep_prob, "output_keep_prob")]:
                if isinstance(prob, Tensor):
                    setattr(self, "_" + attr, prob)
                    continue
                if prob < 0 or prob > 1:
                    raise ValueError(f"Parameter {attr} must be between 0 and 1: {prob}")
                setattr(self, "_" + attr, float(prob))

    wrapped_cell = property(lambda self: self.cell)
    state_size = property(lambda self: self.cell.state_size)
    output_size = property(lambda self: self.cell.output_size)

    @property
    def trainable_variables(self):
        return self.cell.trainable_variables

    trainable_weights = variables = weights = trainable_variables

    def zero_state(self, batch_size, dtype):
        with get_default_graph().name_scope(type(self).__name__ + "ZeroState"):
            return self.cell.zero_state(batch_size, dtype)

    def _gen_seed(self, salt_prefix, index):
        if self._seed is None:
            return None
        salt = "%s_%d" % (salt_prefix, index)
        string = (str(self._seed) + salt).encode("utf-8")
        return int(hashlib.md5(string).hexdigest()[:8], 16) & 0x7FFFFFFF

    def _dropout(self, values, salt_prefix, keep_prob, keep=None):
        flat = flatten(values)
        flags = [True] * len(flat) if keep is None else _filter_flags(keep, values)
        out = [nn_impl.dropout(v, rate=1.0 - keep_prob, seed=self._gen_seed(salt_prefix, i)) if do else v
               for i, (do, v) in enumerate(zip(flags, flat))]
        return pack_sequence_as(values, out)

    def __call__(self, inputs, state, scope=None):
        def should(p):
            return not isinstance(p, float) or p < 1
        if should(self._input_keep_prob):
            inputs = self._dropout(inputs, "input", self._input_keep_prob)
        output, new_state = self.cell(inputs, state, scope=scope)
        if should(self._state_keep_prob):
            new_state = self._dropout(new_state, "state", self._state_keep_prob, keep=self._dropout_state_filter)
        if should(self._output_keep_prob):
            output = self._dropout(output, "output", self._output_keep_prob)
        return output, new_state


# ---- ResidualWrapper ---------------------------------------------------------------------------
class ResidualWrapper(RNNCell):
    """output = inputs + cell's output (a residual connection; inputs and outputs of one shape),
    or residual_fn(inputs, outputs). The state is the cell's."""

    def __init__(self, cell, residual_fn=None, **kwargs):
        super().__init__(**kwargs)
        assert_like_rnncell("cell", cell)
        self.cell = cell
        self._residual_fn = residual_fn

    wrapped_cell = property(lambda self: self.cell)
    state_size = property(lambda self: self.cell.state_size)
    output_size = property(lambda self: self.cell.output_size)
    trainable_variables = trainable_weights = variables = weights = property(
        lambda self: self.cell.trainable_variables)

    def zero_state(self, batch_size, dtype):
        with get_default_graph().name_scope(type(self).__name__ + "ZeroState"):
            return self.cell.zero_state(batch_size, dtype)

    def __call__(self, inputs, state, scope=None):
        outputs, new_state = self.cell(inputs, state, scope=scope)
        if self._residual_fn is not None:
            return self._residual_fn(inputs, outputs), new_state
        flat_in, flat_out = flatten(inputs), flatten(outputs)
        if len(flat_in) != len(flat_out):
            raise ValueError(f"The two structures don't have the same nested structure: {inputs} and {outputs}")
        for i, o in zip(flat_in, flat_out):
            i, o = convert_to_tensor(i), convert_to_tensor(o)
            if not i.shape.is_compatible_with(o.shape):
                raise ValueError(f"Shapes {i.shape} and {o.shape} are incompatible")
        return pack_sequence_as(outputs, [i + o for i, o in zip(flat_in, flat_out)]), new_state


def _filter_flags(visitor, structure):
    """One bool per leaf of `structure`, as TF's get_traverse_shallow_structure: the visitor says
    False (keep the whole subtree), True (go on into it) or gives one verdict per child
    (LSTMStateTuple(c=False, h=True))."""
    verdict = visitor(structure)
    n = len(flatten(structure))
    if verdict is False:
        return [False] * n
    if verdict is True:
        if not is_sequence(structure):
            return [True]
        return [f for sub in structure for f in _filter_flags(visitor, sub)]
    flags = []
    for sub_verdict, sub in zip(verdict, structure):
        if sub_verdict is False:
            flags.extend([False] * len(flatten(sub)))
        elif is_sequence(sub):
            flags.extend(_filter_flags(visitor, sub))
        else:
            flags.append(True)
    return flags
