"""Session.run: normalise fetches and feeds, compile a plan once, run numpy kernels.

Mirrors tensorflow/python/client/session.py. A plan is cached per (graph version, fetches,
feeds): the pruned ops in a fixed order, each a kernel call reading and writing value slots,
so a training loop pays little more than the numpy calls themselves.
"""
import collections
import heapq

import numpy as np

from . import errors
from .graph import Operation, Tensor, get_default_graph
from .registry import lookup
from .ops.control import DEAD  # tf.cond: the value of a tensor on the branch not taken


class ConfigProto:
    """Accepted for compatibility (`config.gpu_options.allow_growth = True`); has no effect."""

    def __init__(self, **kwargs):
        self.gpu_options = GPUOptions()
        self.allow_soft_placement = False
        self.log_device_placement = False
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
        self._closed = False
        self._variables = {}   # VariableV2 op -> current value
        self._rngs = {}        # op -> np.random.Generator, a stream per session
        self._plans = {}
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
            from .diagnostics import check_growth
            check_growth(self)
        try:
            plan = self._plan(flat, feeds)
            record = [] if run_metadata is not None else None
            values = plan.execute(self, feeds, record)
        except errors.OpError as err:
            err.fetches, err.feed_dict, err.session = flat, feeds, self
            raise
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
        """The graph elements in `fetches`, and a function rebuilding its structure."""
        if self._closed:
            raise RuntimeError("Attempted to use a closed Session.")
        if not self._graph._ops:
            raise RuntimeError("The Session graph is empty. Add operations to the graph before "
                               "calling run().")
        flat = []

        def walk(f):
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
        return flat, rebuild

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
        for key, value in feed_dict.items():
            try:
                t = self._graph.as_graph_element(key, allow_tensor=True, allow_operation=False)
            except (TypeError, KeyError, ValueError) as e:
                raise TypeError(f"Cannot interpret feed_dict key as Tensor: {e}") from None
            if isinstance(value, Tensor) or hasattr(value, "_as_graph_element"):
                raise TypeError("The value of a feed cannot be a tf.Tensor object. Acceptable feed "
                                "values include Python scalars, strings, lists, numpy ndarrays, or "
                                "TensorHandles. For reference, the tensor object was "
                                f"{value!s} which was passed to the feed with key {t!s}.")
            dtype = t.dtype.base_dtype
            if dtype.name == "string":
                arr = np.asarray(value, dtype=object)
            else:
                try:
                    arr = np.asarray(value, dtype=dtype.np)
                except (TypeError, ValueError) as e:
                    raise ValueError(f"Cannot feed value {value!r} for Tensor '{t.name}' of dtype "
                                     f"{dtype.name}: {e}") from None
            if not t.shape.is_compatible_with(arr.shape):
                raise ValueError(f"Cannot feed value of shape {arr.shape!r} for Tensor '{t.name}', "
                                 f"which has shape '{t.shape}'")
            feeds[t] = arr
        return feeds

    # ---- plans -----------------------------------------------------------------------
    def _plan(self, flat, feeds):
        key = (self._graph._version, tuple(flat), tuple(feeds))
        plan = self._plans.get(key)
        if plan is None:
            if len(self._plans) > 256:
                self._plans.clear()  # graphs that keep growing would otherwise pin old plans
            plan = self._plans[key] = _Plan(self, flat, list(feeds))
        return plan

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


def _rebuild_dict(kind, original, keys, values):
    if kind is collections.defaultdict:
        out = collections.defaultdict(original.default_factory)
        out.update(zip(keys, values))
        return out
    try:
        return kind(zip(keys, values))
    except TypeError:
        return dict(zip(keys, values))


class _RunContext:
    """What a stateful kernel sees: its op, the session's variables and random streams."""

    __slots__ = ("session", "op")

    def __init__(self, session, op):
        self.session = session
        self.op = op

    def read_variable(self, var_op):
        value = self.session._variables.get(var_op)
        if value is None:
            raise errors.FailedPreconditionError(
                None, self.op,
                f"Attempting to use uninitialized value {var_op.name}\n\t [[node {self.op.name}]]\n"
                f"Hint: run sess.run(tf.global_variables_initializer()) (or the variable's "
                f"initializer) in this session first.")
        return value

    def write_variable(self, var_op, value):
        value = np.array(value, dtype=var_op.attrs["dtype"].np)  # own copy: no aliasing of feeds
        value.flags.writeable = False
        self.session._variables[var_op] = value
        return value

    @property
    def rng(self):
        return self.session._rng(self.op)


class _Plan:
    """The ops one (fetches, feeds) pair needs, in execution order, as flat kernel calls.

    Every tensor gets a slot in a list of values; a ref input (the variable an Assign
    writes) gets a slot that always holds the variable's op. A run copies the template
    list, puts the feeds in their slots and calls each kernel in turn.
    """

    def __init__(self, session, fetches, fed):
        fed_set = set(fed)
        order = _schedule(_prune(fetches, fed_set))
        slot = {t: i for i, t in enumerate(fed)}
        for op in order:
            for t in op._outputs:
                slot.setdefault(t, len(slot))
        template = [None] * max(len(slot), 1)  # slot 0 also stands in for variable reads
        steps = []
        for op in order:
            d = lookup(op.type)
            if d is None or d.kernel is None:
                raise errors.UnimplementedError(None, op, f"tfteach has no kernel for op type "
                                                f"{op.type} ('{op.name}').")
            ins, reads = [], []
            for i, t in enumerate(op._inputs):
                if i in d.ref_inputs:
                    ins.append(len(template))
                    template.append(_variable_op(t, op))
                elif _variable_read(t, fed_set) is not None:
                    # a variable is read when its consumer runs, as a TF1 ref is
                    ins.append(0)
                    reads.append((i, _variable_read(t, fed_set), t.op))
                else:
                    ins.append(slot[t])
            outs = [slot[t] for t in op._outputs]
            ctx = _RunContext(session, op) if (d.session or reads) else None
            steps.append((op, d.kernel, ins, outs, ctx if d.session else None, reads and (ctx, reads)))
        self.template = template
        self.steps = steps
        self.fed_slots = [slot[t] for t in fed]
        self.fed_set = set(self.fed_slots)  # a fed tensor is fetched back as fed, as in TF1
        self.fetch_slots = [slot[f] if isinstance(f, Tensor) else None for f in fetches]
        # ---- tf.cond (see ops/control.py): ops that a Switch can make dead ----
        self.guards = _dead_guards(order)
        self.fetches = fetches
        # ---- end tf.cond ----

    def execute(self, session, feeds, record=None):
        vals = self.template.copy()
        for s, arr in zip(self.fed_slots, feeds.values()):
            vals[s] = arr
        guards, dead = self.guards, set()
        last_read = {}
        for op, fn, ins, outs, ctx, reads in self.steps:
            args = [vals[i] for i in ins]
            if reads:
                read_ctx, positions = reads
                for i, var_op, read_op in positions:
                    args[i] = read_ctx.read_variable(var_op)
                    if record is not None and last_read.get(read_op) is not args[i]:
                        # the read happens here: recorded like an op, again only if the value changed
                        last_read[read_op] = args[i]
                        record.append((read_op, [args[i]]))
            # ---- tf.cond: skip the ops of the branch not taken, their outputs are dead ----
            if guards is not None and op in guards and _is_dead(op, guards[op], args, dead):
                for s in outs:
                    vals[s] = DEAD
                continue
            # ---- end tf.cond ----
            try:
                out = fn(*args, **op._attrs) if ctx is None else fn(ctx, *args, **op._attrs)
            except errors.OpError:
                raise
            except (ValueError, IndexError, TypeError, FloatingPointError, np.linalg.LinAlgError) as e:
                shapes = ", ".join(str(np.shape(a)) for a in args if not isinstance(a, Operation))
                raise errors.InvalidArgumentError(
                    None, op, f"{op.type} '{op.name}' failed on inputs of shapes {shapes}: {e}\n"
                    f"\t [[node {op.name}]]") from e
            if len(outs) == 1:
                vals[outs[0]] = out
            elif outs:
                for s, v in zip(outs, out):
                    vals[s] = v
            if record is not None:
                record.append((op, [vals[s] for s in outs]))
        if guards is not None:
            _check_not_dead(self.fetches, self.fetch_slots, vals)  # tf.cond
        fed = self.fed_set
        return [None if s is None else vals[s] if s in fed else _fetch_value(vals[s])
                for s in self.fetch_slots]


# ---- tf.cond: dead values (see ops/control.py) ---------------------------------------
# A Switch op puts DEAD on the output its predicate does not pick. An op with a dead input
# or a dead control input is skipped and its outputs are dead too; Merge runs when any input
# is alive (TF's executor does the same). Plans without a Switch pay nothing for this.
def _dead_guards(order):
    """{op: its control inputs a dead value can reach} for every op downstream of a Switch."""
    if not any(op.type == "Switch" for op in order):
        return None
    reach, guards = set(), {}
    for op in order:
        controls = [c for c in op._control_inputs if c in reach]
        if controls or any(t.op in reach for t in op._inputs):
            guards[op] = controls
            reach.add(op)
        elif op.type == "Switch":
            reach.add(op)
    return guards


def _is_dead(op, controls, args, dead):
    flags = [a is DEAD for a in args]
    if (all(flags) if op.type == "Merge" else any(flags)) or any(c in dead for c in controls):
        dead.add(op)
        return True
    return False


def _check_not_dead(fetches, slots, vals):
    for f, s in zip(fetches, slots):
        if s is not None and vals[s] is DEAD:
            raise errors.InvalidArgumentError(
                None, f.op, f"Retval does not have value: {f.name} belongs to the branch of tf.cond "
                f"that was not taken, so it was not computed. Fetch the result of tf.cond instead.")
# ---- end tf.cond ------------------------------------------------------------------------


def _fetch_value(v):
    """What run() hands back: numpy scalars for 0-d results, copies of read-only arrays."""
    if isinstance(v, np.ndarray):
        if v.ndim == 0:
            return v[()]
        if not v.flags.writeable:
            return v.copy()
    return v


def _variable_op(t, consumer):
    if t.op.type != "VariableV2":
        raise TypeError(f"'{consumer.name}' ({consumer.type}) needs a variable as input, got {t.name} "
                        f"from a {t.op.type} op.")
    return t.op


def _variable_read(t, fed):
    """The VariableV2 op whose value `t` is (the variable itself or its `read` Identity).

    Such inputs are read when the consuming op runs: in TF1 a variable's read aliases its
    buffer, so an op ordered after an update (by data or control dependencies) sees the
    new value, and one ordered before sees the old value.
    """
    op = t.op
    if op.type == "Identity" and op._inputs and op._inputs[0].op.type == "VariableV2" \
            and op._inputs[0] not in fed and not op._control_inputs:
        op = op._inputs[0].op
    return op if op.type == "VariableV2" and op._outputs[0] not in fed and t not in fed else None


def _prune(fetches, fed):
    """Every op needed to compute `fetches` when the tensors in `fed` are given (no recursion)."""
    needed = set()
    stack = [f.op if isinstance(f, Tensor) else f for f in fetches]
    stack = [op for f, op in zip(fetches, stack) if not (isinstance(f, Tensor) and f in fed)]
    while stack:
        op = stack.pop()
        if op in needed:
            continue
        needed.add(op)
        d = lookup(op.type)
        refs = d.ref_inputs if d is not None else ()
        for i, t in enumerate(op._inputs):
            # variables are read by their consumers: the VariableV2 op (and its `read`
            # Identity) run only when fetched themselves
            if t not in fed and i not in refs and _variable_read(t, fed) is None:
                stack.append(t.op)
        # a control input whose outputs are all fed is satisfied by the feed (TF1 does the
        # same): e.g. a gradient rule's control_dependencies([grad]) with grad_ys fed
        stack.extend(c for c in op._control_inputs if not (c._outputs and all(t in fed for t in c._outputs)))
    return needed


def _schedule(ops):
    """A topological order of `ops`; reads that do not depend on an update run before it.

    The rule for a run that both reads and updates a variable: an op that neither writes state
    nor depends on a writing op runs first, so it sees the values from before the run.
    """
    deps = {op: set() for op in ops}
    users = {op: [] for op in ops}
    for op in ops:
        d = lookup(op.type)
        refs = d.ref_inputs if d is not None else ()
        for i, t in enumerate(op._inputs):
            if t.op in deps and i not in refs and t.op is not op:
                deps[op].add(t.op)
        for c in op._control_inputs:
            if c in deps:
                deps[op].add(c)
        for p in deps[op]:
            users[p].append(op)
    # phase 1: writers and everything after a writer, found in creation order
    late = set()
    for op in sorted(ops, key=lambda o: o._id):
        d = lookup(op.type)
        if (d is not None and d.writes) or any(p in late for p in deps[op]):
            late.add(op)
    # ops created later may be inputs of earlier ones only via control inputs added after;
    # repeat until stable so `late` is closed under "depends on"
    changed = True
    while changed:
        changed = False
        for op in ops:
            if op not in late and any(p in late for p in deps[op]):
                late.add(op)
                changed = True
    waiting = {op: len(deps[op]) for op in ops}
    ready = [((op in late), op._id, op) for op in ops if waiting[op] == 0]
    heapq.heapify(ready)
    order = []
    while ready:
        _, _, op = heapq.heappop(ready)
        order.append(op)
        for u in users[op]:
            waiting[u] -= 1
            if waiting[u] == 0:
                heapq.heappush(ready, ((u in late), u._id, u))
    if len(order) != len(ops):
        raise errors.InvalidArgumentError(None, None, "Graph has a cycle; cannot run it.")
    return order


# ---- default sessions ---------------------------------------------------------------
_default_session_stack = []


class _DefaultSession:
    def __init__(self, session):
        self._session = session

    def __enter__(self):
        _default_session_stack.append(self._session)
        return self._session

    def __exit__(self, *exc):
        if self._session in _default_session_stack:
            _default_session_stack.remove(self._session)


def get_default_session():
    return _default_session_stack[-1] if _default_session_stack else None


def _session_for(session, element):
    """The session `eval()`/`run()` use: the one given, else the default one, checked."""
    session = session or get_default_session()
    if session is None:
        raise ValueError("Cannot evaluate tensor using `eval()`: No default session is registered. "
                         "Use `with sess.as_default()` or pass an explicit session to `eval(session=sess)`")
    if session.graph is not element.graph:
        raise ValueError("Cannot use the given session to evaluate tensor: the tensor's graph is "
                         "different from the session's graph.")
    return session


class InteractiveSession(Session):
    """A Session that makes itself the default on creation, for notebooks and shells."""

    def __init__(self, target="", graph=None, config=None):
        super().__init__(target, graph, config)
        _default_session_stack.append(self)

    def close(self):
        super().close()
        if self in _default_session_stack:
            _default_session_stack.remove(self)
