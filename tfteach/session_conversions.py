"""How Session.run fetches and feeds objects that stand for several tensors (tf.SparseTensor).

Mirrors TF1's `register_session_run_conversion_functions` (client/session.py): a type registers
how to split an object into tensors for a fetch (and how to put the values back together) and
how to split a fed value. Session.run asks `fetch_structure` and `expand_feeds` first.
"""

_FETCH = {}  # type -> fetch_function(obj) -> (list of tensors, contract(list of values))
_FEED = {}   # type -> feed_function(obj, value) -> [(tensor, value), ...]


def register_session_run_conversion_functions(tensor_type, fetch_function, feed_function=None,
                                              feed_function_for_partial_run=None):
    """Teach Session.run about `tensor_type` (TF1's signature; partial runs are not supported).

    `fetch_function(obj)` returns `(tensors, contract)`: `contract(tensors)` must build a
    namedtuple, list or dict of those tensors, which the session rebuilds with their values
    (a SparseTensor: `SparseTensorValue(indices, values, dense_shape)`).
    `feed_function(obj, value)` returns the (tensor, value) pairs a fed `value` stands for.
    """
    if tensor_type in _FETCH:
        raise ValueError(f"{tensor_type} has already been registered so ignore it.")
    _FETCH[tensor_type] = fetch_function
    if feed_function is not None:
        _FEED[tensor_type] = feed_function


def fetch_structure(fetch):
    """A fetch of a registered type as a structure of plain tensors; anything else as it is."""
    fn = _FETCH.get(type(fetch))
    if fn is None:
        return fetch
    tensors, contract = fn(fetch)
    return contract(list(tensors))


def expand_feeds(feed_dict):
    """`feed_dict` with each key of a registered type replaced by the tensors it stands for."""
    if not any(type(key) in _FEED for key in feed_dict):
        return feed_dict
    out = {}
    for key, value in feed_dict.items():
        fn = _FEED.get(type(key))
        if fn is None:
            out[key] = value
        else:
            out.update(fn(key, value))
    return out
