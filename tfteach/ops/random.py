"""Random ops: random_normal, random_uniform, truncated_normal, random_shuffle, multinomial.

Mirrors tensorflow/python/ops/random_ops.py and framework/random_seed.py. Each op carries TF1's
`seed`/`seed2` attributes; its numbers come from `ctx.rng`, a numpy Generator the session keeps
per op: runs in one session continue the sequence, a new session starts it again.
"""
import numpy as np

from ..limits import check_allocation
from .. import dtypes as _dtypes
from ..graph import convert_to_tensor, get_default_graph
from ..registry import NotDifferentiable, apply_op, kernel, shape_rule
from .array import _const_value, _int_tensor, _partial_shape, _scope, _shape_error
from .math import add
from .shapes import shape_of

DEFAULT_GRAPH_SEED = 87654321
_MAXINT32 = 2 ** 31 - 1


def set_random_seed(seed):
    """Set the graph-level seed: random ops made afterwards give the same numbers in every session.

    With a graph seed, an op without its own seed gets one from the number of ops made before
    it, so rebuilding the same graph gives the same numbers.
    """
    get_default_graph().seed = seed


def get_seed(op_seed):
    """TF1's random_seed.get_seed: the (seed, seed2) attributes of a new random op.

    graph seed and op seed -> both; graph seed only -> op seed from the op count; op seed only
    -> a fixed default graph seed; neither -> (0, 0), which means "nondeterministic".
    """
    graph = get_default_graph()
    if graph.seed is None and op_seed is None:
        return 0, 0
    if graph.seed is None:
        seeds = DEFAULT_GRAPH_SEED, op_seed
    else:
        seeds = graph.seed, len(graph.get_operations()) if op_seed is None else op_seed
    seeds = tuple(int(s) % _MAXINT32 for s in seeds)
    return (0, _MAXINT32) if seeds == (0, 0) else seeds  # (0, 0) would mean "nondeterministic"


def _dims(shape, dtype):
    """Kernel helper: a shape tensor's value as a tuple, checked (the error names `dtype`)."""
    dims = tuple(int(d) for d in np.reshape(shape, -1))
    if any(d < 0 for d in dims):
        raise ValueError(f"Shape dimensions must be non-negative, got {list(dims)}")
    check_allocation(dims, np.float64, dtype)  # numpy draws float64 first, then casts
    return dims


def _shape_from_input(op):
    """Static shape rule: the output has the shape the shape input says (partly, while building)."""
    values = _const_value(op.inputs[0])
    if values is not None and (np.asarray(values) < 0).any():
        raise _shape_error(op, f"Shape dimensions must be non-negative, got {values.tolist()}")
    return [_partial_shape(op.inputs[0])]


def _random_op(op_type, shape, dtype, seed, inputs=(), name=None):
    seed1, seed2 = get_seed(seed)
    attrs = {"Tout" if op_type == "RandomUniformInt" else "dtype": dtype, "seed": seed1, "seed2": seed2}
    return apply_op(op_type, [shape] + list(inputs), attrs, name=name, dtypes=[dtype])


def _check_float(dtype):
    if not dtype.is_floating:
        raise TypeError(f"Value passed to parameter 'dtype' has DataType {dtype.name} not in list of "
                        f"allowed values: float16, float32, float64")


# ---- RandomStandardNormal ---------------------------------------------------------------------
@kernel("RandomStandardNormal", inputs=("shape",), session=True, same_dtype=False)
def _random_standard_normal(ctx, shape, dtype, seed=0, seed2=0):
    return ctx.rng.standard_normal(_dims(shape, dtype.np)).astype(dtype.np)


shape_rule("RandomStandardNormal")(_shape_from_input)
NotDifferentiable("RandomStandardNormal")


def random_normal(shape, mean=0.0, stddev=1.0, dtype=_dtypes.float32, seed=None, name=None):
    """Samples of a normal distribution: RandomStandardNormal * stddev + mean.

    Example: `tf.random_normal([2, 3], stddev=0.1, seed=1)`. See `set_random_seed` for seeds.
    """
    dtype = _dtypes.as_dtype(dtype).base_dtype
    with _scope(name or "random_normal", [shape, mean, stddev]) as scope:
        shape = _int_tensor(shape, "shape")
        mean = convert_to_tensor(mean, dtype=dtype, name="mean")
        stddev = convert_to_tensor(stddev, dtype=dtype, name="stddev")
        _check_float(dtype)
        rnd = _random_op("RandomStandardNormal", shape, dtype, seed)
        return add(rnd * stddev, mean, name=scope)


# ---- TruncatedNormal --------------------------------------------------------------------------
@kernel("TruncatedNormal", inputs=("shape",), session=True, same_dtype=False)
def _truncated_normal(ctx, shape, dtype, seed=0, seed2=0):
    x = ctx.rng.standard_normal(_dims(shape, dtype.np))
    far = np.abs(x) > 2.0
    while far.any():  # draw again wherever a sample fell more than 2 stddevs out
        x[far] = ctx.rng.standard_normal(int(far.sum()))
        far = np.abs(x) > 2.0
    return x.astype(dtype.np)


shape_rule("TruncatedNormal")(_shape_from_input)
NotDifferentiable("TruncatedNormal")


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=_dtypes.float32, seed=None, name=None):
    """Normal samples redrawn until within 2 stddevs of the mean (the usual weight initializer)."""
    dtype = _dtypes.as_dtype(dtype).base_dtype
    with _scope(name or "truncated_normal", [shape, mean, stddev]) as scope:
        shape = _int_tensor(shape, "shape")
        mean = convert_to_tensor(mean, dtype=dtype, name="mean")
        stddev = convert_to_tensor(stddev, dtype=dtype, name="stddev")
        _check_float(dtype)
        rnd = _random_op("TruncatedNormal", shape, dtype, seed)
        return add(rnd * stddev, mean, name=scope)


# ---- RandomUniform / RandomUniformInt ---------------------------------------------------------
@kernel("RandomUniform", inputs=("shape",), session=True, same_dtype=False)
def _random_uniform(ctx, shape, dtype, seed=0, seed2=0):
    return ctx.rng.random(_dims(shape, dtype.np)).astype(dtype.np)


@kernel("RandomUniformInt", inputs=("shape", "minval", "maxval"), session=True, same_dtype=False)
def _random_uniform_int(ctx, shape, minval, maxval, Tout, seed=0, seed2=0):  # noqa: N803 - TF attr name
    if not minval < maxval:
        raise ValueError(f"Need minval < maxval: {minval} >= {maxval}")
    return ctx.rng.integers(minval, maxval, size=_dims(shape, Tout.np)).astype(Tout.np)


shape_rule("RandomUniform")(_shape_from_input)
shape_rule("RandomUniformInt")(_shape_from_input)
NotDifferentiable("RandomUniform")
NotDifferentiable("RandomUniformInt")


def random_uniform(shape, minval=0, maxval=None, dtype=_dtypes.float32, seed=None, name=None):
    """Samples uniform in [minval, maxval): floats default to [0, 1); ints need `maxval`.

    Floats are RandomUniform * (maxval - minval) + minval; ints one RandomUniformInt op.
    """
    dtype = _dtypes.as_dtype(dtype).base_dtype
    if dtype not in (_dtypes.float16, _dtypes.float32, _dtypes.float64, _dtypes.int32, _dtypes.int64):
        raise ValueError(f"Invalid dtype {dtype!r}")
    if maxval is None:
        if dtype.is_integer:
            raise ValueError(f"Must specify maxval for integer dtype {dtype!r}")
        maxval = 1
    with _scope(name or "random_uniform", [shape, minval, maxval]) as scope:
        shape = _int_tensor(shape, "shape")
        minval = convert_to_tensor(minval, dtype=dtype, name="min")
        maxval = convert_to_tensor(maxval, dtype=dtype, name="max")
        if dtype.is_integer:
            return _random_op("RandomUniformInt", shape, dtype, seed, [minval, maxval], name=scope)
        rnd = _random_op("RandomUniform", shape, dtype, seed)
        return add(rnd * (maxval - minval), minval, name=scope)


# ---- RandomShuffle ----------------------------------------------------------------------------
@kernel("RandomShuffle", inputs=("value",), session=True)
def _random_shuffle(ctx, x, seed=0, seed2=0):
    return x[ctx.rng.permutation(len(x))] if np.ndim(x) else x.copy()


shape_rule("RandomShuffle")(lambda op: [op.inputs[0].shape])
NotDifferentiable("RandomShuffle")


def random_shuffle(value, seed=None, name=None):
    """`value` with its first dimension shuffled: rows move, each row stays intact."""
    seed1, seed2 = get_seed(seed)
    return apply_op("RandomShuffle", [value], {"seed": seed1, "seed2": seed2}, name=name)


# ---- Multinomial ------------------------------------------------------------------------------
@kernel("Multinomial", inputs=("logits", "num_samples"), session=True, same_dtype=False)
def _multinomial(ctx, logits, num_samples, output_dtype, seed=0, seed2=0):
    p = np.exp(logits - np.max(logits, axis=1, keepdims=True), dtype=np.float64)
    p /= p.sum(axis=1, keepdims=True)
    draws = [ctx.rng.choice(p.shape[1], size=int(num_samples), p=row) for row in p]
    return np.array(draws, dtype=output_dtype.np).reshape(len(p), int(num_samples))


@shape_rule("Multinomial")
def _multinomial_shape(op):
    logits, n = shape_of(op.inputs[0]), _const_value(op.inputs[1])
    if logits is not None and len(logits) != 2:
        raise _shape_error(op, f"Shape must be rank 2 but is rank {len(logits)}")
    return [(None if logits is None else logits[0], None if n is None else int(n))]


NotDifferentiable("Multinomial")


def multinomial(logits, num_samples, seed=None, name=None, output_dtype=None):
    """For each row of `logits` (unnormalized log-probabilities), `num_samples` class indices."""
    output_dtype = _dtypes.as_dtype(output_dtype or _dtypes.int64)
    with _scope(name or "multinomial", [logits]):
        logits = convert_to_tensor(logits, name="logits")
        seed1, seed2 = get_seed(seed)
        return apply_op("Multinomial", [logits, num_samples],
                        {"seed": seed1, "seed2": seed2, "output_dtype": output_dtype}, dtypes=[output_dtype])


__all__ = ["set_random_seed", "get_seed", "random_normal", "truncated_normal", "random_uniform",
           "random_shuffle", "multinomial"]
