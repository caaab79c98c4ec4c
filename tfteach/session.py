"""Session.run: normalise fetches and feeds, compile a plan once, run numpy kernels.

Mirrors tensorflow/python/client/session.py. A plan is cached per (graph version, fetches,
feeds): the pruned ops in a fixed order, each a kernel call reading and writing value slots,
so a training loop pays little more than the numpy calls themselves.
"""
import collections
import gc

import numpy as np

from . import errors
from . import session_conversions, threads
from . import dtypes as _dtypes
from .graph import (Tensor, _DefaultSession, _default_session_stack, _session_for,  # noqa: F401
                    get_default_graph, get_default_session)
from .codegen import ShapeChanged
from .diagnostics import check_growth
from .interrupts import DeferInterrupts
from .plan import _Plan


class ConfigProto:
    """A session's options. `intra_op_parallelism_threads=N` (N > 0) caps the BLAS threads of
    this session's MatMul and Conv2D kernels at N, as it sizes TF's pool (0: tfteach decides,
    see tfteach/threads.py); the rest (`gpu_options.allow_growth`, ...) is accepted, no effect."""

    def __init__(self, **kwargs):
        self.gpu_options = GPUOptions()
        self.allow_soft_placement = False
        self.log_device_placement = False
        self.intra_op_parallelism_threads = 0
        self.inter_op_parallelism_threads = 0
        self.__dict__.update(kwargs)


class GPUOptions:
    def __init__(self, allow_growth=False, per_process_gpu_memory_fraction=1.0):
        self.allow_growth = allow_growth
        self.per_process_gpu_memory_fraction = per_process_gpu_memory_fraction


class RunOptions:
    """Accepted for compatibility; tfteach has no tracing levels."""
    NO_TRACE, SOFTWARE_TRACE, HARDWARE_TRACE, FULL_TRACE = 0, 1, 2, 3

    def __init__(self, trace_level=0):
        self.trace_level = trace_level


class RunMetadata:
    """Filled by `run(..., run_metadata=...)` with `.record`: every op's outputs, in order."""

    def __init__(self):
        self.record = None


class Session:
    """Runs parts of a graph and keeps the values of its variables between runs."""

    def __init__(self, target="", graph=None, config=None):
        self._graph = graph if graph is not None else get_default_graph()
        self._config = config
        intra = getattr(config, "intra_op_parallelism_threads", 0) or 0
        if not isinstance(intra, (int, np.integer)) or intra < 0:
            raise ValueError(f"ConfigProto: intra_op_parallelism_threads must be an int >= 0 (0: tfteach "
                             f"decides), got {intra!r}")
        self._intra_op_threads = int(intra)
        self._closed = False
        self._variables = {}   # VariableV2 op -> current value
        self._rngs = {}        # op -> np.random.Generator, a stream per session
        self._plans = {}
        self._fetch_cache = {}  # fetch structure -> (its graph elements, how to rebuild it)
        self._context_stack = []
        # ---- diagnostics (tfteach/diagnostics.py): runs so far, ops seen at the last run ----
        self._runs, self._ops_seen, self._growth = 0, -1, None

    graph = property(lambda self: self._graph)
    sess_str = property(lambda self: "")

    # ---- public API -------------------------------------------------------------
    def run(self, fetches, feed_dict=None, options=None, run_metadata=None):
        """Compute `fetches` (a tensor, op, name, or any nesting of list/tuple/dict of them).

        Returns the same structure with each tensor replaced by its numpy value (an op gives
        None). `feed_dict` maps tensors (or their names) to values that replace them.
        """
        flat, rebuild = self._flatten(fetches)
        feeds = self._convert_feeds(feed_dict) if feed_dict else {}
        # ---- diagnostics (tfteach/diagnostics.py): a graph growing between runs gets a
        # warning; a failed run's error carries what was fetched and fed, for tf.explain ----
        self._runs += 1
        if len(self._graph._ops) != self._ops_seen:
            check_growth(self)
        try:
            record = [] if run_metadata is not None else None
            threads.session_limit = self._intra_op_threads  # this session's intra_op_parallelism_threads
            with DeferInterrupts():  # Ctrl-C raised after the step, never halfway through it
                values = self._execute(flat, feeds, record)
        except errors.OpError as err:
            err.fetches, err.feed_dict, err.session = flat, feeds, self
            raise
        finally:
            threads.restore()  # the learner's own numpy keeps the BLAS threads it had
        # ---- end diagnostics ----
        if run_metadata is not None:
            run_metadata.record = record
        return rebuild(values)

    def record(self, fetches, feed_dict=None):
        """Run like `run`, and also return every executed op's outputs in execution order.

        Returns (results, [(op, [output values])]). Uses the same plan and kernels as `run`.
        """
        meta = RunMetadata()
        results = self.run(fetches, feed_dict, run_metadata=meta)
        return results, meta.record

    def plan_source(self, fetches, feed_dict=None):
        """The Python function `run(fetches, feed_dict)` executes, as text (tfteach only).

        The plan after a run with these fetches and feeds (specialized on their shapes); before
        any run, the plan a first run would make. Nothing is run. See docs/engine.md.
        """
        flat, _ = self._flatten(fetches)
        feeds = self._convert_feeds(feed_dict) if feed_dict else {}
        key = (self._graph._version, flat, tuple(feeds))
        shaped_key = (key, tuple([a.shape for a in feeds.values()]) if feeds else ())
        plan = self._plans.get(shaped_key) or self._plans.get(key) or _make_plan(self, flat, list(feeds))
        return plan.source or "# this plan has tf.cond in it: the session interprets it op by op\n"

    def close(self):
        self._closed = True
        self._variables = {}
        self._plans = {}

    def as_default(self):
        return _DefaultSession(self)

    def list_devices(self):
        return []

    def __enter__(self):
        self._default = _DefaultSession(self)
        self._default.__enter__()
        return self

    def __exit__(self, *exc):
        self._default.__exit__(*exc)
        self.close()

    def __del__(self):
        pass

    # ---- fetches ------------------------------------------------------------------
    def _flatten(self, fetches):
        """The graph elements in `fetches`, and a function rebuilding its structure.

        A flat list or a dict of tensors and ops (the usual training-loop fetch) is
        remembered by its contents, so a loop pays for the walk once.
        """
        if self._closed:
            raise RuntimeError("Attempted to use a closed Session.")
        if not self._graph._ops:
            raise RuntimeError("The Session graph is empty. Add operations to the graph before "
                               "calling run().")
        key = _structure_key(fetches)
        found = self._fetch_cache.get(key) if key is not None else None
        if found is None:
            found = self._walk(fetches)
            if key is not None:
                if len(self._fetch_cache) > 256:
                    self._fetch_cache.clear()
                self._fetch_cache[key] = found
        return found

    def _walk(self, fetches):
        flat = []

        def walk(f):
            f = session_conversions.fetch_structure(f)  # a tf.SparseTensor: its three tensors
            if isinstance(f, dict):
                keys = list(f.keys())
                subs = [walk(f[k]) for k in keys]
                kind = type(f)
                return lambda vals: _rebuild_dict(kind, f, keys, [s(vals) for s in subs])
            if isinstance(f, tuple) and hasattr(f, "_fields"):
                subs = [walk(x) for x in f]
                return lambda vals: type(f)(*[s(vals) for s in subs])
            if isinstance(f, (list, tuple)):
                subs = [walk(x) for x in f]
                kind = type(f)
                return lambda vals: kind(s(vals) for s in subs)
            flat.append(self._element(f))
            i = len(flat) - 1
            return lambda vals: vals[i]

        rebuild = walk(fetches)
        flat_structure = len(flat) == len(fetches) if type(fetches) in (list, tuple, dict) else False
        if flat_structure and not any(isinstance(f, (list, tuple, dict)) for f in _values(fetches)):
            # a flat list, tuple or dict of elements: rebuilt in one call
            if type(fetches) is dict:
                keys = list(fetches)
                rebuild = lambda vals: dict(zip(keys, vals))  # noqa: E731
            else:
                rebuild = type(fetches)
        return tuple(flat), rebuild

    def _element(self, f):
        if f is None:
            raise TypeError("Fetch argument None has invalid type <class 'NoneType'>")
        try:
            el = self._graph.as_graph_element(f)
        except TypeError:
            raise TypeError(f"Fetch argument {f!r} has invalid type {type(f)}, must be a string or "
                            f"Tensor. (Can not convert a {type(f).__name__} into a Tensor or "
                            f"Operation.)") from None
        except ValueError as e:
            raise ValueError(f"Fetch argument {f!r} cannot be interpreted as a Tensor. ({e})") from None
        except KeyError as e:
            raise ValueError(f"Fetch argument {f!r} cannot be interpreted as a Tensor. ({e.args[0]})") from None
        return el

    # ---- feeds ----------------------------------------------------------------------
    def _convert_feeds(self, feed_dict):
        feeds = {}
        for key, value in session_conversions.expand_feeds(feed_dict).items():
            try:
                t = self._graph.as_graph_element(key, allow_tensor=True, allow_operation=False)
            except (TypeError, KeyError, ValueError) as e:
                raise TypeError(f"Cannot interpret feed_dict key as Tensor: {e}") from None
            if type(value) is not np.ndarray and (isinstance(value, Tensor) or
                                                  hasattr(value, "_as_graph_element")):
                raise TypeError("The value of a feed cannot be a tf.Tensor object. Acceptable feed "
                                "values include Python scalars, strings, lists, numpy ndarrays, or "
                                "TensorHandles. For reference, the tensor object was "
                                f"{value!s} which was passed to the feed with key {t!s}.")
            dtype = t.dtype.base_dtype
            if dtype is _dtypes.string:
                arr = np.asarray(value, dtype=object)
            else:
                try:
                    arr = np.asarray(value, dtype=dtype.np)
                except OverflowError:  # TF's wording (session.py, for a Python number too big)
                    raise TypeError(f"Type of feed value {value} with type {type(value)} is not compatible with "
                                    f"Tensor type {dtype!r}. Try explicitly setting the type of the feed tensor "
                                    f"to a larger type (e.g. int64).") from None
                except (TypeError, ValueError) as e:
                    raise ValueError(f"Cannot feed value {value!r} for Tensor '{t.name}' of dtype "
                                     f"{dtype.name}: {e}") from None
            if not _fits(t.shape.as_tuple(), arr.shape):
                raise ValueError(f"Cannot feed value of shape {arr.shape!r} for Tensor '{t.name}', "
                                 f"which has shape '{t.shape}'")
            feeds[t] = arr
        return feeds

    # ---- plans -----------------------------------------------------------------------
    def _execute(self, flat, feeds, record):
        """Run the plan for (fetches, feeds, the fed shapes), making it on first use.

        A new pair runs once on the plain plan, which also observes the shapes of tensors whose
        static shapes are unknown; the plan kept for the next runs folds the shape work those
        shapes decide (seed 002's placeholders have no shape, so its reduce_mean gradient
        computes DynamicStitch, Range, ... from them). If a later run finds another shape, that
        plan stops before changing anything and the plain plan runs from then on.
        """
        key = (self._graph._version, flat, tuple(feeds))
        shaped_key = (key, tuple([a.shape for a in feeds.values()]) if feeds else ())
        plan = self._plans.get(shaped_key)
        if plan is not None:
            try:
                return plan.execute(self, feeds, record)
            except ShapeChanged:
                plan = self._plans[shaped_key] = self._plans[key]
                return plan.execute(self, feeds, record)
        if len(self._plans) > 256:
            self._plans.clear()  # graphs that keep growing would otherwise pin old plans
        plain = self._plans.get(key)
        if plain is None:
            plain = self._plans[key] = _make_plan(self, flat, list(feeds))
        observed = dict.fromkeys(plain.observe())
        if not observed and all(t.shape.is_fully_defined() for t in feeds):
            self._plans[shaped_key] = plain  # every shape is static: nothing to specialize on
            return plain.execute(self, feeds, record)
        values = plain.execute(self, feeds, record, observe=observed)
        known = {t: s for t, s in observed.items() if s is not None}
        known.update((t, a.shape) for t, a in feeds.items())
        self._plans[shaped_key] = _make_plan(self, flat, list(feeds), known)
        return values

    # ---- state the kernels use ----------------------------------------------------------
    def _rng(self, op):
        """The random stream of `op` in this session: same seeds, same sequence per session.

        The seeds are the op's `seed`/`seed2` attributes, fixed when the op was built (see
        tf.set_random_seed); (0, 0) means no seed was given: fresh numbers every session.
        """
        rng = self._rngs.get(op)
        if rng is None:
            seeds = (int(op.attrs.get("seed", 0) or 0), int(op.attrs.get("seed2", 0) or 0))
            rng = np.random.default_rng() if seeds == (0, 0) else np.random.default_rng(seeds)
            self._rngs[op] = rng
        return rng


def _values(fetches):
    return fetches.values() if type(fetches) is dict else fetches


def _make_plan(session, flat, fed, known_shapes=None):
    """A new _Plan, made with the cyclic garbage collector paused: making one allocates many
    small objects that all stay alive, and each collection midway would scan the whole graph."""
    paused = gc.isenabled()
    gc.disable()
    try:
        return _Plan(session, flat, fed, known_shapes)
    finally:
        if paused:
            gc.enable()


def _fits(static, shape):
    """Whether a value of `shape` may be fed to a tensor of static shape `static` (None: any)."""
    return static is None or (len(static) == len(shape) and
                              all(d is None or d == n for d, n in zip(static, shape)))


def _structure_key(fetches):
    """A hashable stand-in for `fetches` (None when it has a list or dict inside)."""
    kind = type(fetches)
    key = (kind, *fetches) if kind is list or kind is tuple else \
        (dict, tuple(fetches.items())) if kind is dict else fetches
    try:
        hash(key)
    except TypeError:
        return None
    return key


def _rebuild_dict(kind, original, keys, values):
    if kind is collections.defaultdict:
        out = collections.defaultdict(original.default_factory)
        out.update(zip(keys, values))
        return out
    try:
        return kind(zip(keys, values))
    except TypeError:
        return dict(zip(keys, values))


# The default-session stack lives next to the default graph (graph.py), as in TF1's ops.py.


class InteractiveSession(Session):
    """A Session that makes itself the default on creation, for notebooks and shells."""

    def __init__(self, target="", graph=None, config=None):
        super().__init__(target, graph, config)
        _default_session_stack.append(self)

    def close(self):
        super().close()
        if self in _default_session_stack:
            _default_session_stack.remove(self)
