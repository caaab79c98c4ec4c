"""tf.nn.static_rnn and static_bidirectional_rnn: a cell unrolled over a Python list of inputs.

Mirrors tensorflow/python/ops/rnn.py of TF 1.15. The graph holds one copy of the cell's ops per
time step, all reading the same variables (`rnn/basic_lstm_cell/kernel`): this is the unrolled
network of the textbooks. tf.nn.dynamic_rnn (rnn_dynamic.py) runs the cell in a tf.while_loop instead.
"""
from . import dtypes as _dtypes
from .graph import convert_to_tensor
from .ops import array as array_ops, building as building_ops, compare as compare_ops, constant as constant_ops
from .ops import math as math_ops, slicing as slicing_ops
from .rnn_cell import assert_like_rnncell, flatten, is_sequence, pack_sequence_as
from .variable_scope import variable_scope


def static_rnn(cell, inputs, initial_state=None, dtype=None, sequence_length=None, scope=None):
    """Run `cell` over `inputs`, a list of T tensors [batch, input_size]; returns (outputs, state).

    outputs is the list of the T outputs [batch, cell.output_size]; state the last state. The
    first step makes the variables in variable scope `scope` (default "rnn"), later steps reuse
    them. With `sequence_length` (an int vector [batch]), a row whose sequence has ended gets
    zero outputs and keeps its last state, as TF's (its copy-through uses tf.where at every step
    where TF adds a tf.cond around it: the same values).

    Example: `outputs, state = tf.nn.static_rnn(tf.nn.rnn_cell.BasicLSTMCell(64),
    tf.unstack(x, axis=1), dtype=tf.float32)` for x of shape (batch, 28, 28).
    """
    assert_like_rnncell("cell", cell)
    if not is_sequence(inputs):
        hint = ""
        if hasattr(inputs, "shape") and getattr(inputs.shape, "ndims", None) == 3:
            hint = (" static_rnn takes a Python list with one [batch, depth] tensor per time step: "
                    "for x of shape [batch, time, depth] pass tf.unstack(x, axis=1).")
        raise TypeError(f"Argument `inputs` must be a sequence. Received: {inputs}.{hint}")
    if not inputs:
        raise ValueError("Argument `inputs` must not be empty.")
    outputs = []
    with variable_scope(scope or "rnn") as varscope:
        first_input = inputs
        while is_sequence(first_input):
            first_input = first_input[0]
        first_input = convert_to_tensor(first_input)
        if first_input.shape.ndims is None or first_input.shape.ndims < 2:
            raise ValueError(f"Shape {first_input.shape} must have rank at least 2")
        fixed_batch_size = first_input.shape[0]
        for flat_input in flatten(inputs):
            flat_input = convert_to_tensor(flat_input)
            shape = flat_input.shape
            if shape.ndims is None or shape.ndims < 2:
                raise ValueError(f"Shape {shape} must have rank at least 2")
            if not fixed_batch_size.is_compatible_with(shape[0]):
                raise ValueError(f"Dimensions {fixed_batch_size} and {shape[0]} are not compatible")
            for i, size in enumerate(shape.dims[1:]):
                if size.value is None:
                    raise ValueError(f"Input size (dimension {i} of input {flat_input}) must be accessible "
                                     f"via shape inference, but saw value None.")
        batch_size = fixed_batch_size.value if fixed_batch_size.value else array_ops.shape(first_input)[0]
        if initial_state is not None:
            state = initial_state
        else:
            if not dtype:
                raise ValueError("If no initial_state is provided, argument `dtype` must be specified")
            state = cell.get_initial_state(inputs=None, batch_size=batch_size, dtype=_dtypes.as_dtype(dtype))

        if sequence_length is not None:
            sequence_length = convert_to_tensor(sequence_length, name="sequence_length")
            if sequence_length.shape.ndims not in (None, 1):
                raise ValueError(f"Argument `sequence_length` must be a vector of length {batch_size}. "
                                 f"Received sequence_length={sequence_length}.")
            state_dtype = flatten(state)[0].dtype.base_dtype
            zero_output = pack_sequence_as(
                cell.output_size,
                [_zeros(batch_size, size, state_dtype) for size in flatten(cell.output_size)])
            sequence_length = math_ops.cast(sequence_length, _dtypes.int32)

        for time, input_ in enumerate(inputs):
            if time > 0:
                varscope.reuse_variables()
            output, new_state = cell(input_, state)
            if sequence_length is not None:
                output, new_state = _copy_through(time, sequence_length, zero_output, state,
                                                  output, new_state)
            state = new_state
            outputs.append(output)
    return outputs, state


def _zeros(batch_size, size, dtype):
    if isinstance(batch_size, int):
        return array_ops.zeros([batch_size, size], dtype=dtype)
    return array_ops.zeros(building_ops.stack([batch_size, size]), dtype=dtype)


def _copy_through(time, sequence_length, zero_output, state, new_output, new_state):
    """Rows whose sequence has ended (time >= length): zero output, the state from before."""
    copy_cond = time >= sequence_length
    flat_out = [compare_ops.where(copy_cond, z, n) for z, n in zip(flatten(zero_output), flatten(new_output))]
    flat_state = [compare_ops.where(copy_cond, s, n) for s, n in zip(flatten(state), flatten(new_state))]
    for t, ref in zip(flat_out + flat_state, flatten(new_output) + flatten(new_state)):
        t.set_shape(ref.shape)
    return pack_sequence_as(zero_output, flat_out), pack_sequence_as(state, flat_state)


def static_bidirectional_rnn(cell_fw, cell_bw, inputs, initial_state_fw=None, initial_state_bw=None,
                             dtype=None, sequence_length=None, scope=None):
    """A forward and a backward static_rnn over `inputs` (scopes `bidirectional_rnn/fw`, `/bw`).

    Returns (outputs, output_state_fw, output_state_bw), outputs[t] = concat([fw_t, bw_t], 1).
    With `sequence_length` the backward cell reads each row's first length steps reversed (TF's
    tf.reverse_sequence, here a gather) and its outputs are put back in time order.
    """
    assert_like_rnncell("cell_fw", cell_fw)
    assert_like_rnncell("cell_bw", cell_bw)
    if not is_sequence(inputs):
        raise TypeError(f"Argument `inputs` must be a sequence. Received: {inputs}")
    if not inputs:
        raise ValueError("Argument `inputs` must not be empty.")
    with variable_scope(scope or "bidirectional_rnn"):
        with variable_scope("fw") as fw_scope:
            output_fw, state_fw = static_rnn(cell_fw, inputs, initial_state_fw, dtype, sequence_length,
                                             scope=fw_scope)
        with variable_scope("bw") as bw_scope:
            reversed_inputs = _reverse_seq(inputs, sequence_length)
            tmp, state_bw = static_rnn(cell_bw, reversed_inputs, initial_state_bw, dtype, sequence_length,
                                       scope=bw_scope)
    output_bw = _reverse_seq(tmp, sequence_length)
    flat = [building_ops.concat([fw, bw], 1) for fw, bw in zip(flatten(output_fw), flatten(output_bw))]
    return pack_sequence_as(output_fw, flat), state_fw, state_bw


def _reverse_seq(input_seq, lengths):
    """The list reversed; with `lengths`, row b reverses only its first lengths[b] steps (the
    values of TF's tf.reverse_sequence on the stacked steps, made of a gather here)."""
    if lengths is None:
        return list(reversed(input_seq))
    steps = len(input_seq)
    lengths = math_ops.cast(convert_to_tensor(lengths), _dtypes.int32)
    t = constant_ops.constant([[i] for i in range(steps)], dtype=_dtypes.int32)       # [T, 1]
    ends = array_ops.expand_dims(lengths, 0)                                          # [1, B]
    inside = math_ops.cast(compare_ops.less(t, ends), _dtypes.int32)
    source = t + (ends - 1 - 2 * t) * inside          # step read for (t, b): length-1-t inside, t after
    flat_seqs = [flatten(x) for x in input_seq]
    results = [[] for _ in range(steps)]
    for parts in zip(*flat_seqs):
        stacked = building_ops.stack(list(parts))                                     # [T, B, d]
        shape = array_ops.shape(stacked)
        rows = array_ops.reshape(stacked, building_ops.stack([-1, shape[2]]))         # [T*B, d]
        batch = array_ops.expand_dims(building_ops.range(shape[1]), 0)
        picked = slicing_ops.gather(rows, array_ops.reshape(source * shape[1] + batch, [-1]))
        for i, part in enumerate(building_ops.unstack(array_ops.reshape(picked, shape), steps)):
            part.set_shape(parts[i].shape)
            results[i].append(part)
    return [pack_sequence_as(x, r) for x, r in zip(input_seq, results)]


__all__ = ["static_rnn", "static_bidirectional_rnn"]
