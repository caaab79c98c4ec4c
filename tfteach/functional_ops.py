"""tf.map_fn, tf.scan, tf.foldl, tf.foldr: a Python function applied along axis 0, in the graph.

Mirrors TF 1.x's tensorflow/python/ops/map_fn.py and functional_ops.py node for node: each is a
tf.while_loop ('map/while/...') whose body reads one element from a TensorArray filled by
unstack ('map/TensorArrayUnstack/...') and, for map_fn and scan, writes its result to another
TensorArray, stacked after the loop ('map/TensorArrayStack/...'). `fn` is called once, while
the graph is built; the loop runs it len(elems) times when the graph runs. Gradients flow
through the loop (while_grad.py) and the TensorArrays.
"""
import builtins

from . import dtypes as _dtypes
from .graph import Tensor, convert_to_tensor, get_default_graph
from .ops import array as array_ops
from .ops.constant import constant
from .ops.while_loop import while_loop
from .tensor_array import TensorArray
from .tensor_shape import Dimension, TensorShape

__all__ = ["foldl", "foldr", "map_fn", "scan"]


# ---- a small tf.nest: lists, tuples (namedtuples too) and dicts by sorted key ---------------
def _is_nested(x):
    return isinstance(x, (list, builtins.tuple, dict))


def _flatten(structure):
    if isinstance(structure, dict):
        return [leaf for k in sorted(structure) for leaf in _flatten(structure[k])]
    if isinstance(structure, (list, builtins.tuple)):
        return [leaf for s in structure for leaf in _flatten(s)]
    return [structure]


def _pack(structure, flat):
    """`flat` (a list) put back into the shape of `structure` (TF's nest.pack_sequence_as)."""
    leaves = iter(flat)

    def pack(s):
        if isinstance(s, dict):
            packed = {k: pack(s[k]) for k in sorted(s)}
            return type(s)((k, packed[k]) for k in s)
        if isinstance(s, builtins.tuple) and hasattr(s, "_fields"):
            return type(s)(*[pack(x) for x in s])
        if isinstance(s, (list, builtins.tuple)):
            return type(s)(pack(x) for x in s)
        return next(leaves)
    return pack(structure)


def _map_structure(fn, structure):
    return _pack(structure, [fn(leaf) for leaf in _flatten(structure)])


def _assert_same_structure(first, second):
    """TF's nest.assert_same_structure: ValueError when the nesting or the number of elements
    differ, TypeError when two sequences at the same place have different types."""
    def describe(s):
        return f"type={type(s).__name__} str={s}"

    def header(more):
        return (f"The two structures don't have the same nested structure.\n\nFirst structure: "
                f"{describe(first)}\n\nSecond structure: {describe(second)}\n\nMore specifically: {more}")

    def check(a, b):
        if _is_nested(a) != _is_nested(b):
            seq, leaf = (a, b) if _is_nested(a) else (b, a)
            raise ValueError(header(f'Substructure "{describe(seq)}" is a sequence, while substructure '
                                    f'"{describe(leaf)}" is not'))
        if not _is_nested(a):
            return
        if len(_flatten(a)) != len(_flatten(b)):
            raise ValueError(header(f"The two structures don't have the same number of elements. "
                                    f"First structure: {describe(a)}. Second structure: {describe(b)}"))
        if type(a) is not type(b):
            raise TypeError(header(f"The two namedtuples don't have the same sequence type. First structure "
                                   f"{describe(a)} has type {type(a).__name__}, while second structure "
                                   f"{describe(b)} has type {type(b).__name__}"))
        if isinstance(a, dict):
            if sorted(a) != sorted(b):
                raise ValueError(header(f"The two dictionaries don't have the same set of keys. First "
                                        f"structure has keys {sorted(a)}, while second structure has "
                                        f"keys {sorted(b)}."))
            for k in a:
                check(a[k], b[k])
            return
        for x, y in zip(a, b):
            check(x, y)
    check(first, second)


# ---- what the four share --------------------------------------------------------------------
def _check_callable(fn, what):
    if not callable(fn):
        name = getattr(fn, "__name__", None)
        if name is None:  # TF 1.15's wording (TF 2's reads fn.__name__ and fails)
            raise TypeError(f"fn must be callable, got {fn!r} of type {type(fn).__name__}.")
        if what == "map_fn":
            raise TypeError(f"The provided function {name} is not callable.fn must be callable.")
        raise TypeError(f"{name} is not callable. Please provide a callable function.")


def _check_result(result, what):
    """fn's result must hold tensors (or values that convert): a forgotten `return` gives None."""
    if any(leaf is None for leaf in _flatten(result)):
        raise ValueError(f"None values not supported.\n{what}'s fn returned {result!r}: does it end with "
                         f"`return ...`?")


def _first_dimension(shape, what):
    """shape[0] of the first element: TF indexes the shape, so a scalar raises IndexError."""
    if shape.ndims == 0:
        raise IndexError(f"list index out of range: {what} needs elems of rank 1 or more to "
                         f"unstack along axis 0, got a scalar")
    return shape[0].value


def _length(first, what):
    """The number of iterations: len(elems) if known while building, else a Shape op."""
    n = _first_dimension(first.shape, what)
    return n if n else array_ops.shape(first)[0]


def _n_static(elems_flat):
    """The static first dimension shared by all elems (ValueError if two differ)."""
    def first(t):
        if t.shape.ndims == 0:
            raise ValueError(f"Shape {t.shape} must have rank at least 1")
        return Dimension(t.shape[0].value)
    n = first(elems_flat[0])
    for t in elems_flat[1:]:
        other = first(t)
        if not n.is_compatible_with(other):
            raise ValueError(f"Dimensions {n} and {other} are not compatible")
    return n


def _set_first_dimension(results, n_static):
    """TF's r.set_shape(TensorShape(n_static).concatenate(r.shape[1:]))."""
    for r in results:
        if r.shape.ndims is not None:
            r.set_shape([n_static.value] + r.shape[1:].as_list())


# ---- map_fn ---------------------------------------------------------------------------------
def map_fn(fn, elems, dtype=None, parallel_iterations=None, back_prop=True, swap_memory=False,
           infer_shape=True, name=None, fn_output_signature=None):
    """fn applied to each element of `elems` (unstacked along axis 0), results stacked again.

    Args:
      fn: function of one element (a tensor, or the structure of `elems`) returning a tensor or
        a structure of tensors.
      elems: a tensor, or a (nested) tuple/list/dict of tensors sharing their first dimension.
      dtype: the dtype (structure of dtypes) of fn's result, when it differs from elems'.
      parallel_iterations: the loop's (default 10; tfteach runs iterations one after another).
      back_prop: False: no gradient flows back through the loop.
      swap_memory: accepted; tfteach keeps every iteration's values in memory.
      infer_shape: whether all results must have one shape (default True).
      name: the name scope (default "map").
    Returns:
      fn's results stacked along a new axis 0, structured like `dtype` (or `elems`).
    Example: `tf.map_fn(lambda row: tf.reduce_sum(row), x)` sums each row of x; the result is
    'map/TensorArrayStack/TensorArrayGatherV3:0'.
    """
    del swap_memory
    if fn_output_signature is None:
        fn_output_signature = dtype
    _check_callable(fn, "map_fn")
    if not parallel_iterations:
        parallel_iterations = 10
    elems_flat = _flatten(elems)
    if not elems_flat:
        raise ValueError(f"elems must be a Tensor or (possibly nested) sequence of Tensors. Got {elems}, "
                         f"which does not contain any Tensors.")
    if fn_output_signature is None:
        result_dtypes = None  # the dtype of each elem: filled in below
        result_unflatten = lambda x: _pack(elems, x)  # noqa: E731 - TF's names
    else:
        result_dtypes = [_dtypes.as_dtype(d) for d in _flatten(fn_output_signature)]
        result_unflatten = lambda x: _pack(fn_output_signature, x)  # noqa: E731

    graph = _graph_of(elems_flat)
    with graph.as_default(), graph.name_scope(name or "map"):
        elems_flat = [t if isinstance(t, Tensor) else convert_to_tensor(t, name="elem") for t in elems_flat]
        if elems_flat[0].shape.ndims is not None and elems_flat[0].shape.ndims < 1:
            raise ValueError("Elements in elems must be 1+ dimensional Tensors, not scalars")
        n_static = _n_static(elems_flat)
        n = n_static.value or array_ops.shape(elems_flat[0])[0]

        elems_ta = [TensorArray(dtype=t.dtype, size=n, dynamic_size=False, infer_shape=True)
                    for t in elems_flat]
        elems_ta = [ta.unstack(t) for ta, t in zip(elems_ta, elems_flat)]
        i = constant(0)
        if result_dtypes is None:
            result_dtypes = [t.dtype.base_dtype for t in elems_flat]
        result_ta = [TensorArray(dtype=d, size=n, dynamic_size=False, infer_shape=infer_shape,
                                 element_shape=TensorShape(None)) for d in result_dtypes]

        def compute(i, tas):
            """One element in, fn's result written at position i."""
            value = _pack(elems, [ta.read(i) for ta in elems_ta])
            result = fn(value)
            _check_result(result, "map_fn")
            _assert_same_structure(fn_output_signature or elems, result)
            tas = [ta.write(i, v) for ta, v in zip(tas, _flatten(result))]
            return (i + 1, tas)

        _, r_a = while_loop(lambda i, _: i < n, compute, (i, result_ta),
                            parallel_iterations=parallel_iterations, back_prop=back_prop,
                            maximum_iterations=n)
        results = [r.stack() for r in r_a]
        _set_first_dimension(results, n_static)
        return result_unflatten(results)


def _graph_of(values):
    for v in values:
        if isinstance(v, Tensor):
            return v.graph
    return get_default_graph()


# ---- foldl and foldr ------------------------------------------------------------------------
def _fold(fn, elems, initializer, parallel_iterations, back_prop, name, what):
    _check_callable(fn, what)
    leaves = _flatten(elems)
    graph = _graph_of(leaves + _flatten(initializer))
    with graph.as_default(), graph.name_scope(name or what):
        elems_flat = [convert_to_tensor(e, name="elem") for e in leaves]
        if not elems_flat:
            raise IndexError(f"list index out of range: {what} got no elems")
        n = _length(elems_flat[0], what)

        def create_ta(elem):
            # TF unstacks the elems as given (not their converted copies 'foldl/elem')
            dtype = elem.dtype if isinstance(elem, Tensor) else convert_to_tensor(elem).dtype
            return TensorArray(dtype=dtype, size=n, dynamic_size=False, infer_shape=True).unstack(elem)
        elems_ta = _map_structure(create_ta, elems)

        if what == "foldl":
            if initializer is None:
                a = _map_structure(lambda ta: ta.read(0), elems_ta)
                i = constant(1)
            else:
                a, i = initializer, constant(0)

            def compute(i, a):
                elem_i = _map_structure(lambda ta: ta.read(i), elems_ta)
                a = fn(a, elem_i)  # before i + 1, as TF: the order names the adds
                _check_result(a, what)
                return [i + 1, a]
            cond = lambda i, a: i < n  # noqa: E731
        else:
            if initializer is None:
                i = n - 1
                a = _map_structure(lambda ta: ta.read(i), elems_ta)
            else:
                i, a = n, initializer

            def compute(i, a):
                i -= 1
                elem = _map_structure(lambda ta: ta.read(i), elems_ta)
                a_out = fn(a, elem)
                _check_result(a_out, what)
                return [i, a_out]
            cond = lambda i, a: i > 0  # noqa: E731

        _, r_a = while_loop(cond, compute, [i, a], parallel_iterations=parallel_iterations,
                            back_prop=back_prop, maximum_iterations=n)
        return r_a


def foldl(fn, elems, initializer=None, parallel_iterations=10, back_prop=True, swap_memory=False,
          name=None):
    """fn(...fn(fn(initializer, elems[0]), elems[1])..., elems[n-1]), left to right, in the graph.

    Args:
      fn: function (accumulator, element) -> new accumulator, of the accumulator's structure.
      elems: a tensor or a (nested) structure of tensors, unstacked along axis 0.
      initializer: the first accumulator (default: elems[0], and the fold starts at elems[1]).
      parallel_iterations, back_prop, name: as for tf.while_loop (name scope "foldl").
      swap_memory: accepted; tfteach keeps every iteration's values in memory.
    Returns:
      The last accumulator ('foldl/while/Exit_2:0' for a single tensor).
    Example: `tf.foldl(lambda a, x: a + x, tf.constant([1, 2, 3]))` is 6.
    """
    del swap_memory
    return _fold(fn, elems, initializer, parallel_iterations, back_prop, name, "foldl")


def foldr(fn, elems, initializer=None, parallel_iterations=10, back_prop=True, swap_memory=False,
          name=None):
    """fn(...fn(fn(initializer, elems[n-1]), elems[n-2])..., elems[0]), right to left, in the graph.

    As foldl (name scope "foldr"), but from the last element: without initializer the
    accumulator starts at elems[-1].
    Example: `tf.foldr(lambda a, x: a * 10 + x, tf.constant([1, 2, 3]))` is 321.
    """
    del swap_memory
    return _fold(fn, elems, initializer, parallel_iterations, back_prop, name, "foldr")


# ---- scan -----------------------------------------------------------------------------------
def scan(fn, elems, initializer=None, parallel_iterations=10, back_prop=True, swap_memory=False,
         infer_shape=True, reverse=False, name=None):
    """Every accumulator of a foldl, stacked: out[i] = fn(out[i-1], elems[i]), in the graph.

    Args:
      fn: function (accumulator, element) -> new accumulator (structured like `initializer`,
        or like `elems` when there is no initializer).
      elems: a tensor or a (nested) structure of tensors, unstacked along axis 0.
      initializer: out[-1] (default: out[0] is elems[0] and fn starts at elems[1]).
      infer_shape: whether all accumulators must have one shape (default True).
      reverse: scan from the last element to the first (out[n-1] first).
      parallel_iterations, back_prop, name: as for tf.while_loop (name scope "scan").
      swap_memory: accepted; tfteach keeps every iteration's values in memory.
    Returns:
      The accumulators stacked along a new axis 0, structured like the accumulator.
    Example: `tf.scan(lambda a, x: a + x, tf.constant([1, 2, 3]))` is [1, 3, 6] (a cumsum).
    """
    del swap_memory
    _check_callable(fn, "scan")
    input_is_sequence = _is_nested(elems)
    input_flatten = lambda x: _flatten(x) if input_is_sequence else [x]  # noqa: E731 - TF's names
    input_pack = lambda x: _pack(elems, x) if input_is_sequence else x[0]  # noqa: E731
    if initializer is None:
        output_flatten, output_pack = input_flatten, input_pack
    else:
        output_is_sequence = _is_nested(initializer)
        output_flatten = lambda x: _flatten(x) if output_is_sequence else [x]  # noqa: E731
        output_pack = lambda x: _pack(initializer, x) if output_is_sequence else x[0]  # noqa: E731

    elems_flat = input_flatten(elems)
    graph = _graph_of(elems_flat + _flatten(initializer))
    with graph.as_default(), graph.name_scope(name or "scan"):
        elems_flat = [convert_to_tensor(e, name="elem") for e in elems_flat]
        if not elems_flat:
            raise IndexError("list index out of range: scan got no elems")
        n = _first_dimension(elems_flat[0].shape, "scan")
        if n is None:
            n = array_ops.shape(elems_flat[0])[0]
        elems_ta = [TensorArray(dtype=e.dtype, size=n, dynamic_size=False, element_shape=e.shape[1:],
                                infer_shape=True) for e in elems_flat]
        elems_ta = [ta.unstack(e) for ta, e in zip(elems_ta, elems_flat)]

        if initializer is None:
            a_flat = [ta.read(n - 1 if reverse else 0) for ta in elems_ta]
            i = 1
        else:
            a_flat = [convert_to_tensor(init) for init in output_flatten(initializer)]
            i = 0
        accs_ta = [TensorArray(dtype=a.dtype, size=n, element_shape=a.shape if infer_shape else None,
                               dynamic_size=False, infer_shape=infer_shape) for a in a_flat]
        if initializer is None:
            accs_ta = [ta.write(n - 1 if reverse else 0, a) for ta, a in zip(accs_ta, a_flat)]

        def compute(i, a_flat, tas):
            """One element in; the new accumulator carried on and written at position i."""
            packed_elems = input_pack([ta.read(i) for ta in elems_ta])
            a_out = fn(output_pack(a_flat), packed_elems)
            _check_result(a_out, "scan")
            _assert_same_structure(elems if initializer is None else initializer, a_out)
            flat_a_out = output_flatten(a_out)
            tas = [ta.write(i, value) for ta, value in zip(tas, flat_a_out)]
            return (i - 1 if reverse else i + 1, flat_a_out, tas)

        if reverse:
            initial_i, condition = n - 1 - i, (lambda i, _1, _2: i >= 0)
        else:
            initial_i, condition = i, (lambda i, _1, _2: i < n)
        _, _, r_a = while_loop(condition, compute, (initial_i, a_flat, accs_ta),
                               parallel_iterations=parallel_iterations, back_prop=back_prop,
                               maximum_iterations=n)
        results = [r.stack() for r in r_a]
        _set_first_dimension(results, _n_static(elems_flat))
        return output_pack(results)
