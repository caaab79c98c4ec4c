"""tf.train's queue-based input pipeline: the input producers, batch and shuffle_batch.

Mirrors tensorflow/python/training/input.py, with the same node names. Each function makes
a queue, an enqueue op and a QueueRunner (added to GraphKeys.QUEUE_RUNNERS) that fills the
queue when tf.train.start_queue_runners has started it (see train/queue_runner.py).
With `num_epochs`, an epoch counter (a local variable: run tf.local_variables_initializer())
raises OutOfRangeError after the last epoch, which closes the queue.
"""
from .. import dtypes as _dtypes
from ..graph import GraphKeys, Tensor, control_dependencies, convert_to_tensor, get_default_graph
from ..ops.queue_ops import FIFOQueue, RandomShuffleQueue, count_up_to
from ..tensor_shape import TensorShape
from .queue_runner import QueueRunner, add_queue_runner


def _tf():
    import tfteach
    return tfteach


def limit_epochs(tensor, num_epochs=None, name=None):
    """`tensor`, but running it more than `num_epochs` times raises OutOfRangeError."""
    if num_epochs is None:
        return tensor
    if num_epochs <= 0:
        raise ValueError(f"num_epochs must be > 0 not {num_epochs}.")
    tf = _tf()
    graph = get_default_graph()
    with graph.name_scope(name or "limit_epochs") as scope:
        zero64 = tf.constant(0, dtype=_dtypes.int64)
        epochs = tf.Variable(zero64, name="epochs", trainable=False, collections=[GraphKeys.LOCAL_VARIABLES])
        counter = count_up_to(epochs, num_epochs)
        with control_dependencies([counter]):
            return tf.identity(tensor, name=scope)


def input_producer(input_tensor, element_shape=None, num_epochs=None, shuffle=True, seed=None, capacity=32,
                   shared_name=None, summary_name=None, name=None, cancel_op=None):
    """A queue filled with the rows of `input_tensor`, `num_epochs` times (forever if None)."""
    tf = _tf()
    graph = get_default_graph()
    with graph.name_scope(name or "input_producer") as scope:
        input_tensor = convert_to_tensor(input_tensor, name="input_tensor")
        shape = input_tensor.shape
        element = TensorShape(None) if shape.ndims is None else TensorShape(shape.as_tuple()[1:])
        if element_shape is not None:
            element = element.merge_with(element_shape)
        if not element.is_fully_defined():
            raise ValueError("Either `input_tensor` must have a fully defined shape or `element_shape` must be "
                             "specified")
        if shuffle:
            input_tensor = tf.random_shuffle(input_tensor, seed=seed)
        input_tensor = limit_epochs(input_tensor, num_epochs)
        q = FIFOQueue(capacity=capacity, dtypes=[input_tensor.dtype.base_dtype], shapes=[element],
                      shared_name=shared_name, name=scope)
        enq = q.enqueue_many([input_tensor])
        add_queue_runner(QueueRunner(q, [enq], cancel_op=cancel_op))
        if summary_name is not None:
            tf.summary.scalar(summary_name, tf.cast(q.size(), _dtypes.float32) * (1.0 / capacity))
        return q


def string_input_producer(string_tensor, num_epochs=None, shuffle=True, seed=None, capacity=32,
                          shared_name=None, name=None, cancel_op=None):
    """A queue of file names for a reader: `tf.train.string_input_producer(["a.csv"], num_epochs=2)`."""
    if not isinstance(string_tensor, Tensor) and not len(string_tensor):
        raise ValueError("string_input_producer requires a non-null input tensor")
    graph = get_default_graph()
    with graph.name_scope(name or "input_producer") as scope:
        string_tensor = convert_to_tensor(string_tensor, dtype=_dtypes.string)
        return input_producer(string_tensor, num_epochs=num_epochs, shuffle=shuffle, seed=seed, capacity=capacity,
                              shared_name=shared_name, name=scope, summary_name=f"fraction_of_{capacity}_full",
                              cancel_op=cancel_op)


def range_input_producer(limit, num_epochs=None, shuffle=True, seed=None, capacity=32, shared_name=None, name=None):
    """A queue of the integers 0 .. limit-1, each epoch (shuffled if `shuffle`)."""
    tf = _tf()
    graph = get_default_graph()
    with graph.name_scope(name or "input_producer") as scope:
        range_tensor = tf.range(limit)
        return input_producer(range_tensor, [], num_epochs, shuffle, seed, capacity, shared_name,
                              f"fraction_of_{capacity}_full", scope)


def slice_input_producer(tensor_list, num_epochs=None, shuffle=True, seed=None, capacity=32, shared_name=None,
                         name=None):
    """One row of each tensor in `tensor_list` at a time (the same row index for all)."""
    tf = _tf()
    graph = get_default_graph()
    with graph.name_scope(name or "input_producer"):
        tensor_list = [convert_to_tensor(t) for t in tensor_list]
        if not tensor_list:
            raise ValueError("Expected at least one tensor in slice_input_producer().")
        first = tensor_list[0].shape
        if first.ndims and first.as_tuple()[0] is not None:
            range_size = first.as_tuple()[0]
        else:
            range_size = tf.shape(tensor_list[0])[0]
        queue = range_input_producer(range_size, num_epochs=num_epochs, shuffle=shuffle, seed=seed,
                                     capacity=capacity, shared_name=shared_name)
        index = queue.dequeue()
        return [tf.gather(t, index) for t in tensor_list]


# ---- batching -----------------------------------------------------------------------------------
def _as_list(tensors):
    if isinstance(tensors, dict):
        return [tensors[k] for k in sorted(tensors)]
    if isinstance(tensors, Tensor):
        raise TypeError("tensors must be a list or a dict of tensors, got a single Tensor: wrap it, "
                        "tf.train.batch([x], ...), which gives a Tensor back")
    return list(tensors)


def _as_original(original, tensors):
    if isinstance(original, dict):
        tensors = tensors if isinstance(tensors, list) else [tensors]
        return {k: tensors[i] for i, k in enumerate(sorted(original))}
    return tensors


def _shapes(tensor_list, shapes, enqueue_many):
    if shapes is not None:
        return [TensorShape(s) if not isinstance(s, TensorShape) else s for s in shapes]
    out = []
    for t in tensor_list:
        s = t.shape
        if enqueue_many:
            s = TensorShape(None) if s.ndims is None else TensorShape(s.as_tuple()[1:])
        out.append(s)
    if not all(s.is_fully_defined() for s in out):
        raise ValueError(f"All shapes must be fully defined: {[str(s) for s in out]}")
    return out


def batch(tensors, batch_size, num_threads=1, capacity=32, enqueue_many=False, shapes=None, dynamic_pad=False,
          allow_smaller_final_batch=False, shared_name=None, name=None):
    """Batches of `batch_size` elements, in order: `x_batch, y_batch = tf.train.batch([x, y], 32)`.

    The last, smaller batch comes out only with `allow_smaller_final_batch` (first dimension None).
    """
    if dynamic_pad:
        raise NotImplementedError("tfteach does not implement tf.train.batch(dynamic_pad=True)")
    tf = _tf()
    graph = get_default_graph()
    with graph.name_scope(name or "batch") as scope:
        tensor_list = [convert_to_tensor(t) for t in _as_list(tensors)]
        if not tensor_list:
            raise ValueError("Expected at least one tensor in batch().")
        dtypes = [t.dtype.base_dtype for t in tensor_list]
        queue = FIFOQueue(capacity=capacity, dtypes=dtypes, shapes=_shapes(tensor_list, shapes, enqueue_many),
                          shared_name=shared_name)
        enqueue = queue.enqueue_many(tensor_list) if enqueue_many else queue.enqueue(tensor_list)
        add_queue_runner(QueueRunner(queue, [enqueue] * num_threads))
        tf.summary.scalar(f"fraction_of_{capacity}_full", tf.cast(queue.size(), _dtypes.float32) * (1.0 / capacity))
        out = queue.dequeue_up_to(batch_size, name=scope) if allow_smaller_final_batch else \
            queue.dequeue_many(batch_size, name=scope)
        return _as_original(tensors, out)


def shuffle_batch(tensors, batch_size, capacity, min_after_dequeue, num_threads=1, seed=None, enqueue_many=False,
                  shapes=None, allow_smaller_final_batch=False, shared_name=None, name=None):
    """Batches drawn at random from a buffer holding at least `min_after_dequeue` elements."""
    tf = _tf()
    graph = get_default_graph()
    with graph.name_scope(name or "shuffle_batch") as scope:
        tensor_list = [convert_to_tensor(t) for t in _as_list(tensors)]
        if not tensor_list:
            raise ValueError("Expected at least one tensor in shuffle_batch().")
        dtypes = [t.dtype.base_dtype for t in tensor_list]
        queue = RandomShuffleQueue(capacity=capacity, min_after_dequeue=min_after_dequeue, seed=seed, dtypes=dtypes,
                                   shapes=_shapes(tensor_list, shapes, enqueue_many), shared_name=shared_name)
        enqueue = queue.enqueue_many(tensor_list) if enqueue_many else queue.enqueue(tensor_list)
        add_queue_runner(QueueRunner(queue, [enqueue] * num_threads))
        full = tf.cast(tf.maximum(0, queue.size() - min_after_dequeue), _dtypes.float32) * \
            (1.0 / (capacity - min_after_dequeue))
        tf.summary.scalar(f"fraction_over_{min_after_dequeue}_of_{capacity - min_after_dequeue}_full", full)
        out = queue.dequeue_up_to(batch_size, name=scope) if allow_smaller_final_batch else \
            queue.dequeue_many(batch_size, name=scope)
        return _as_original(tensors, out)
