"""tf.nn.dynamic_rnn and bidirectional_dynamic_rnn: the cell run by a tf.while_loop in the graph.

Mirrors tensorflow/python/ops/rnn.py of TF 1.15 (`dynamic_rnn`, `_dynamic_rnn_loop`, `_rnn_step`,
`bidirectional_dynamic_rnn`), node for node. Where static_rnn copies the cell's ops once per time
step, dynamic_rnn builds them once, inside the frame `rnn/while/`; the session runs that frame as
many times as the inputs have steps, so the number of steps (and the lengths) may be fed at run
time. For x of shape [batch, time, depth]:

    rnn/transpose                   x as [time, batch, depth]
    rnn/TensorArray_1, rnn/TensorArrayUnstack/TensorArrayScatter/TensorArrayScatterV3
                                    the steps, one element per time step
    rnn/TensorArray                 the outputs, written one per iteration
    rnn/while/TensorArrayReadV3     this iteration's input
    rnn/while/basic_lstm_cell/...   the cell (its variables rnn/basic_lstm_cell/kernel, bias)
    rnn/while/TensorArrayWrite/TensorArrayWriteV3
    rnn/TensorArrayStack/TensorArrayGatherV3, rnn/transpose_1   the outputs, [batch, time, units]
"""
from . import dtypes as _dtypes
from .graph import convert_to_tensor, get_default_graph
from .ops import array as array_ops, building as building_ops, compare as compare_ops
from .ops import control as control_ops, math as math_ops, reduce as reduce_ops, slicing as slicing_ops
from .ops.assert_op import Assert
from .ops.constant import constant
from .ops.reverse_sequence import reverse_sequence
from .ops.while_loop import while_loop
from .rnn_cell import _zero_state_tensors, assert_like_rnncell, flatten, pack_sequence_as
from .tensor_array import TensorArray
from .tensor_shape import TensorShape, as_shape
from .variable_scope import variable_scope


def _concat_shapes(first, rest):
    """TensorShape(first) followed by `rest` (TF's TensorShape.concatenate); unknown if either is."""
    first, rest = as_shape(first), as_shape(rest)
    if first.ndims is None or rest.ndims is None:
        return TensorShape(None)
    return TensorShape(first.as_list() + rest.as_list())


def _transpose_batch_time(x):
    """x with its first two axes swapped, keeping what is known of its shape (TF's names:
    `Rank`, `range`, `concat`, `transpose`)."""
    shape = x.get_shape()
    if shape.ndims is not None and shape.ndims < 2:
        return x
    perm = building_ops.concat(([1, 0], building_ops.range(2, array_ops.rank(x))), axis=0)
    x_t = array_ops.transpose(x, perm)
    if shape.ndims is not None:
        x_t.set_shape(_concat_shapes([shape.dims[1].value, shape.dims[0].value], shape[2:]))
    return x_t


def _best_effort_input_batch_size(flat_input):
    """The static batch size (axis 1 of time-major inputs) if known, else a scalar tensor."""
    for input_ in flat_input:
        shape = input_.shape
        if shape.ndims is None:
            continue
        if shape.ndims < 2:
            raise ValueError(f"Input tensor should have rank >= 2. Received input={input_} of rank {shape.ndims}")
        if shape.dims[1].value is not None:
            return shape.dims[1].value
    return array_ops.shape(flat_input[0])[1]


def _infer_state_dtype(explicit_dtype, state):
    if explicit_dtype is not None:
        return _dtypes.as_dtype(explicit_dtype)
    found = [t.dtype for t in flatten(state)]
    if not found:
        raise ValueError(f"Unable to infer dtype from argument state={state}.")
    if any(d != found[0] for d in found):
        raise ValueError(f"Argument state={state} has tensors of different inferred dtypes. Unable to infer a "
                         f"single representative dtype. Dtypes received: {found}")
    return found[0]


def _rnn_step(time, sequence_length, zero_output, state, call_cell):
    """One step with `sequence_length` (TF's _rnn_step with skip_conditionals=True): rows whose
    sequence has ended (time >= length) get zero outputs and keep their state, through Select."""
    new_output, new_state = call_cell()
    copy_cond = time >= sequence_length

    def copy_one_through(old, new):
        if old.shape.ndims == 0:
            return new
        return compare_ops.where(copy_cond, old, new)

    flat_output = [copy_one_through(z, n) for z, n in zip(flatten(zero_output), flatten(new_output))]
    flat_state = [copy_one_through(s, n) for s, n in zip(flatten(state), flatten(new_state))]
    for t, ref in zip(flat_output + flat_state, flatten(zero_output) + flatten(state)):
        t.set_shape(ref.get_shape())
    return pack_sequence_as(zero_output, flat_output), pack_sequence_as(state, flat_state)


def _assert_has_shape(x, shape):
    """An Assert that x's shape is `shape` when the graph runs (rnn/Assert/Assert)."""
    x_shape = array_ops.shape(x)
    packed_shape = building_ops.stack(shape)
    return Assert(reduce_ops.reduce_all(compare_ops.equal(x_shape, packed_shape)),
                  ["Expected shape for Tensor %s is " % x.name, packed_shape, " but saw shape: ", x_shape])


def dynamic_rnn(cell, inputs, sequence_length=None, initial_state=None, dtype=None, parallel_iterations=None,
                swap_memory=False, time_major=False, scope=None):
    """Run `cell` over every time step of `inputs` inside a tf.while_loop; returns (outputs, state).

    Args:
      cell: an RNNCell (tf.nn.rnn_cell.BasicLSTMCell(64), ...).
      inputs: [batch, time, depth] (or [time, batch, depth] with time_major=True), or a nest of such.
      sequence_length: optional int vector [batch], fed at run time if you like: a row's outputs
        after its length are zeros and its final state is the one of its last valid step.
      initial_state: the cell's starting state; else zeros of `dtype` (then dtype is required).
    Returns:
      outputs [batch, time, cell.output_size] (time-major if asked) and the final state, shaped
      like cell.state_size (an LSTMStateTuple(c, h) for an LSTM).

    Example: `outputs, state = tf.nn.dynamic_rnn(tf.nn.rnn_cell.BasicLSTMCell(64), x, dtype=tf.float32)`
    for x of shape (batch, 28, 28): variables rnn/basic_lstm_cell/kernel and bias, as static_rnn's.
    """
    assert_like_rnncell("cell", cell)
    with variable_scope(scope or "rnn"):
        flat_input = flatten(inputs)
        if not time_major:
            flat_input = [convert_to_tensor(input_) for input_ in flat_input]
            flat_input = tuple(_transpose_batch_time(input_) for input_ in flat_input)
        else:
            flat_input = tuple(convert_to_tensor(input_) for input_ in flat_input)
        parallel_iterations = parallel_iterations or 32
        if sequence_length is not None:
            sequence_length = math_ops.cast(sequence_length, _dtypes.int32)
            if sequence_length.get_shape().ndims not in (None, 1):
                raise ValueError(f"Argument sequence_length must be a vector of length batch_size. Received "
                                 f"sequence_length={sequence_length} of shape: {sequence_length.get_shape()}")
            sequence_length = control_ops.identity(sequence_length, name="sequence_length")
        batch_size = _best_effort_input_batch_size(flat_input)
        if initial_state is not None:
            state = initial_state
        else:
            if not dtype:
                raise ValueError("If no initial_state is provided, argument `dtype` must be specified")
            state = cell.get_initial_state(inputs=None, batch_size=batch_size, dtype=_dtypes.as_dtype(dtype))
        if sequence_length is not None:
            with get_default_graph().control_dependencies([_assert_has_shape(sequence_length, [batch_size])]):
                sequence_length = control_ops.identity(sequence_length, name="CheckSeqLen")
        inputs = pack_sequence_as(inputs, list(flat_input))
        outputs, final_state = _dynamic_rnn_loop(cell, inputs, state, parallel_iterations, swap_memory,
                                                 sequence_length, dtype)
        if not time_major:
            outputs = pack_sequence_as(outputs, [_transpose_batch_time(o) for o in flatten(outputs)])
        return outputs, final_state


def _dynamic_rnn_loop(cell, inputs, initial_state, parallel_iterations, swap_memory, sequence_length=None,
                      dtype=None):
    """The loop itself, on time-major inputs: (outputs [time, batch, ...], final state)."""
    state = initial_state
    flat_input = flatten(inputs)
    flat_output_size = flatten(cell.output_size)
    input_shape = array_ops.shape(flat_input[0])
    time_steps = input_shape[0]
    batch_size = _best_effort_input_batch_size(flat_input)

    inputs_got_shape = []
    for input_ in flat_input:
        shape = input_.get_shape()
        if shape.ndims is not None and shape.ndims < 3:
            raise ValueError(f"Shape {shape} must have rank at least 3")
        inputs_got_shape.append(shape if shape.ndims is not None else TensorShape([None, None, None]))
    const_time_steps, const_batch_size = inputs_got_shape[0].as_list()[:2]
    for i, shape in enumerate(inputs_got_shape):
        if not shape[2:].is_fully_defined():
            raise ValueError(f"Input size (depth of inputs) must be accessible via shape inference, but saw "
                             f"value None for input={flat_input[i]}.")
        if const_time_steps != shape.dims[0].value:
            raise ValueError(f"Time steps is not the same for all the elements in the input in a batch. "
                             f"Received time steps={shape.dims[0].value} for input={flat_input[i]}.")
        if const_batch_size != shape.dims[1].value:
            raise ValueError(f"Batch_size is not the same for all the elements in the input. "
                             f"Received batch size={shape.dims[1].value} for input={flat_input[i]}.")

    state_dtype = _infer_state_dtype(dtype, state)
    zero_output = pack_sequence_as(cell.output_size, flatten(
        _zero_state_tensors(cell.output_size, batch_size, state_dtype)))

    if sequence_length is not None:
        reduce_ops.reduce_min(sequence_length)  # rnn/Min: TF makes it for _rnn_step, which skips its use here
        max_sequence_length = reduce_ops.reduce_max(sequence_length)
    else:
        max_sequence_length = time_steps

    time = constant(0, dtype=_dtypes.int32, name="time")
    with get_default_graph().name_scope("dynamic_rnn") as base_name:
        pass

    def create_ta(name, element_shape, dtype):
        return TensorArray(dtype=dtype, size=time_steps, element_shape=element_shape,
                           tensor_array_name=base_name + name)

    output_ta = tuple(create_ta("output_%d" % i,
                                _concat_shapes([const_batch_size], size), state_dtype)
                      for i, size in enumerate(flat_output_size))
    input_ta = tuple(create_ta("input_%d" % i, x.shape[1:], x.dtype) for i, x in enumerate(flat_input))
    input_ta = tuple(ta.unstack(x) for ta, x in zip(input_ta, flat_input))

    def time_step(time, output_ta_t, state):
        input_t = tuple(ta.read(time) for ta in input_ta)
        for input_, shape in zip(input_t, inputs_got_shape):
            input_.set_shape(shape[1:])
        input_t = pack_sequence_as(inputs, list(input_t))

        def call_cell():
            return cell(input_t, state)

        if sequence_length is not None:
            output, new_state = _rnn_step(time, sequence_length, zero_output, state, call_cell)
        else:
            output, new_state = call_cell()
        output_ta_t = tuple(ta.write(time, out) for ta, out in zip(output_ta_t, flatten(output)))
        return (time + 1, output_ta_t, new_state)

    loop_bound = compare_ops.minimum(time_steps, compare_ops.maximum(1, max_sequence_length))
    _, output_final_ta, final_state = while_loop(
        cond=lambda time, *_: time < loop_bound, body=time_step, loop_vars=(time, output_ta, state),
        parallel_iterations=parallel_iterations, maximum_iterations=time_steps, swap_memory=swap_memory)

    final_outputs = tuple(ta.stack() for ta in output_final_ta)
    for output, size in zip(final_outputs, flat_output_size):
        output.set_shape(_concat_shapes([const_time_steps, const_batch_size], size))
    return pack_sequence_as(cell.output_size, list(final_outputs)), final_state


def bidirectional_dynamic_rnn(cell_fw, cell_bw, inputs, sequence_length=None, initial_state_fw=None,
                              initial_state_bw=None, dtype=None, parallel_iterations=None, swap_memory=False,
                              time_major=False, scope=None):
    """A forward and a backward dynamic_rnn (scopes `bidirectional_rnn/fw`, `/bw`).

    Returns ((output_fw, output_bw), (output_state_fw, output_state_bw)); output_bw is back in
    time order (tf.concat(outputs, 2) gives [batch, time, fw units + bw units]). With
    `sequence_length` the backward cell reads each row's first length steps reversed
    (tf.reverse_sequence), so padding never comes first; without, the whole time axis (tf.reverse).
    """
    assert_like_rnncell("cell_fw", cell_fw)
    assert_like_rnncell("cell_bw", cell_bw)
    time_axis, batch_axis = (0, 1) if time_major else (1, 0)

    def reverse(input_):
        if sequence_length is not None:
            return reverse_sequence(input_, sequence_length, seq_axis=time_axis, batch_axis=batch_axis)
        return slicing_ops.reverse(input_, axis=[time_axis])

    with variable_scope(scope or "bidirectional_rnn"):
        with variable_scope("fw") as fw_scope:
            output_fw, output_state_fw = dynamic_rnn(
                cell_fw, inputs, sequence_length=sequence_length, initial_state=initial_state_fw, dtype=dtype,
                parallel_iterations=parallel_iterations, swap_memory=swap_memory, time_major=time_major,
                scope=fw_scope)
        with variable_scope("bw") as bw_scope:
            inputs_reverse = pack_sequence_as(inputs, [reverse(x) for x in flatten(inputs)])
            tmp, output_state_bw = dynamic_rnn(
                cell_bw, inputs_reverse, sequence_length=sequence_length, initial_state=initial_state_bw,
                dtype=dtype, parallel_iterations=parallel_iterations, swap_memory=swap_memory,
                time_major=time_major, scope=bw_scope)
    output_bw = pack_sequence_as(tmp, [reverse(t) for t in flatten(tmp)])
    return (output_fw, output_bw), (output_state_fw, output_state_bw)


__all__ = ["dynamic_rnn", "bidirectional_dynamic_rnn"]
