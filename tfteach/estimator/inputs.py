"""tf.estimator.inputs: numpy_input_fn and pandas_input_fn, input functions over arrays in memory.

Mirrors tensorflow_estimator/python/estimator/inputs/numpy_io.py and pandas_io.py (TF 1.15).
TF fed a queue from Python threads; here the arrays go through tf.data (from_tensor_slices,
shuffle, repeat, batch), which gives the same batches to the model: the last batch of the
last epoch is smaller, and reading past the end raises OutOfRangeError, which ends training,
evaluation or prediction.
"""
import collections

import numpy as np

from .. import dtypes
from ..data import Dataset
from ..graph import get_default_graph, name_scope
from ..tensor_shape import TensorShape

__all__ = ["numpy_input_fn", "pandas_input_fn"]

_TARGET_KEY = "__target_key__"


def _validate_and_convert_features(x):
    if isinstance(x, dict):
        if not x:
            raise ValueError("x cannot be an empty dict")
        return collections.OrderedDict(sorted(x.items(), key=lambda t: t[0]))
    if isinstance(x, np.ndarray):
        if x.size == 0:
            raise ValueError("x cannot be an empty array")
        return collections.OrderedDict({"__direct_np_input__": x})
    raise TypeError(f"x must be a dict or array; got {type(x).__name__}")


def numpy_input_fn(x, y=None, batch_size=128, num_epochs=1, shuffle=None, queue_capacity=1000, num_threads=1):
    """An input_fn giving batches of `x` (an array or a dict of arrays) and `y`.

    Args:
      x: a numpy array (one feature: features is a tensor) or a dict of arrays (features is a
        dict of tensors with the same keys).
      y: a numpy array, a dict of arrays, or None (the input_fn then returns features only).
      batch_size: examples per batch.
      num_epochs: passes over the data; None: forever (every batch full).
      shuffle: True or False, required (True for training, False to evaluate and predict in order).
      queue_capacity: the shuffle buffer (TF's queue capacity).
      num_threads: accepted; batches are made in the session, in order.
    Returns:
      A function () -> (features, labels), or () -> features when y is None.
    """
    if not isinstance(shuffle, bool):
        raise ValueError(f"shuffle must be provided and explicitly set as boolean (it is recommended to set it "
                         f"as True for training); got {shuffle}")

    def input_fn():
        data = _validate_and_convert_features(x)
        feature_keys = list(data)
        if y is None:
            target_keys = None
        elif isinstance(y, dict):
            if not y:
                raise ValueError("y cannot be empty dict, use None instead.")
            ordered_y = collections.OrderedDict(sorted(y.items(), key=lambda t: t[0]))
            target_keys = list(ordered_y)
            duplicate = set(feature_keys) & set(target_keys)
            if duplicate:
                raise ValueError(f"{len(duplicate)} duplicate keys are found in both x and y: {duplicate}")
            data.update(ordered_y)
        else:
            target_keys = _TARGET_KEY
            while target_keys in data:
                target_keys += "_n"
            data[target_keys] = y
        if len({np.shape(v)[0] for v in data.values()}) != 1:
            shapes_x = {k: data[k].shape for k in feature_keys}
            if target_keys is None:
                shape_y = None
            elif isinstance(target_keys, str):
                shape_y = y.shape
            else:
                shape_y = {k: data[k].shape for k in target_keys}
            raise ValueError(f"Length of tensors in x and y is mismatched. All elements in x and y must have the "
                             f"same length.\nShapes in x: {shapes_x}\nShapes in y: {shape_y}\n")
        batch = _batches(data, batch_size, num_epochs, shuffle, queue_capacity)
        if isinstance(x, np.ndarray):
            features = batch["__direct_np_input__"]
        else:
            features = {k: batch[k] for k in feature_keys}
        if target_keys is None:
            return features
        if isinstance(target_keys, str):
            return features, batch[target_keys]
        return features, {k: batch[k] for k in target_keys}

    return input_fn


def _batches(data, batch_size, num_epochs, shuffle, capacity):
    """The next batch of `data` (a dict of arrays) from a one-shot tf.data iterator.

    As TF's feeding queue, the arrays stay in Python (not constants in the graph): a generator
    yields each batch, in a new order each epoch when `shuffle` (seeded by the graph seed).
    """
    arrays = {k: np.asarray(v) for k, v in data.items()}
    n = len(next(iter(arrays.values())))
    seed = get_default_graph().seed

    def generate():
        """Batches of the stream of indices: epoch after epoch, each in order or a permutation."""
        rng = np.random.RandomState(seed)
        pending, epoch = np.empty(0, np.int64), 0
        while True:
            while len(pending) < batch_size and (num_epochs is None or epoch < num_epochs):
                pending = np.concatenate([pending, rng.permutation(n) if shuffle else np.arange(n)])
                epoch += 1
            if len(pending) == 0:
                return  # the iterator raises OutOfRangeError
            take, pending = pending[:batch_size], pending[batch_size:]
            yield tuple(arrays[k][take] for k in keys)

    # a tuple, in the order of `keys`: the batch becomes a dict below
    keys = list(arrays)
    types = tuple(dtypes.as_dtype(arrays[k].dtype) for k in keys)
    shapes = tuple(TensorShape([None if num_epochs is not None else batch_size] + list(arrays[k].shape[1:]))
                   for k in keys)
    with name_scope("enqueue_input"):
        ds = Dataset.from_generator(generate, types, shapes)
        return dict(zip(keys, ds.make_one_shot_iterator().get_next()))


def pandas_input_fn(x, y=None, batch_size=128, num_epochs=1, shuffle=None, queue_capacity=1000, num_threads=1,
                    target_column="target"):
    """numpy_input_fn over a DataFrame's columns (features dict by column name) and a Series `y`."""
    if not isinstance(shuffle, bool):
        raise ValueError(f"shuffle must be provided and explicitly set as boolean (it is recommended to set it "
                         f"as True for training); got {shuffle}")
    if not hasattr(x, "columns"):
        raise TypeError(f"x must be a pandas DataFrame; got {type(x).__name__}")
    if y is not None:
        if target_column in x:
            raise ValueError(f"Cannot use name {target_column} for target column: DataFrame already has a column "
                             f"with that name: {list(x.columns)}")
        if not np.array_equal(np.asarray(x.index), np.asarray(y.index)):
            raise ValueError(f"Index for x and y are mismatched.\nIndex for x: {x.index}\nIndex for y: {y.index}\n")
        y = y.to_numpy() if not hasattr(y, "columns") else {c: y[c].to_numpy() for c in y.columns}
    features = {str(c): x[c].to_numpy() for c in x.columns}
    return numpy_input_fn(features, y, batch_size=batch_size, num_epochs=num_epochs, shuffle=shuffle,
                          queue_capacity=queue_capacity, num_threads=num_threads)
