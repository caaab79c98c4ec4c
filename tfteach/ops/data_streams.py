"""The streams behind tf.data's dataset ops: what a *Dataset op's value (dtype `variant`) is.

A `Stream` is an immutable recipe that starts a Python generator of elements (each a tuple of
numpy arrays, one per component); ops/data_ops.py makes one per dataset op, and an iterator
keeps the running generator in the Session. Mirrors the iterators of tensorflow/core/kernels/data.
"""
import numpy as np

from ..errors import InvalidArgumentError
from ..fileio import open_file
from .shapes import fmt


class Env:
    """What a running stream needs: the session (to run traced functions) and per-iterator
    random generators for its shuffle stages."""

    def __init__(self, session):
        self.session = session
        self.rngs = {}

    def rng(self, stage, seeds, fresh=False):
        """The generator of a shuffle stage; `fresh` restarts it from its seeds (the same
        order each epoch, reshuffle_each_iteration=False)."""
        if fresh or stage not in self.rngs:
            self.rngs[stage] = np.random.default_rng(None if seeds == (0, 0) else list(seeds))
        return self.rngs[stage]


class Stream:
    """A dataset's value: `elements(env)` starts a fresh generator of element tuples."""

    def elements(self, env):
        raise NotImplementedError


class Slices(Stream):
    def __init__(self, components, op):
        self.components, self.op = components, op

    def elements(self, env):
        n = len(self.components[0]) if self.components[0].ndim else None
        for c in self.components:
            if np.ndim(c) == 0:
                raise InvalidArgumentError(None, self.op, f"TensorSliceDataset '{self.op.name}': every "
                                           f"component must have rank >= 1, got a scalar")
            if len(c) != n:
                raise InvalidArgumentError(
                    None, self.op, f"Dimensions 0 in both shapes must be equal: {fmt(self.components[0].shape)} "
                    f"and {fmt(c.shape)} (TensorSliceDataset '{self.op.name}')")
        for i in range(n):
            yield tuple(c[i] for c in self.components)


class Tensors(Stream):
    def __init__(self, components):
        self.components = components

    def elements(self, env):
        yield tuple(self.components)


class Range(Stream):
    def __init__(self, start, stop, step):
        self.args = int(start), int(stop), int(step)

    def elements(self, env):
        for i in range(*self.args):
            yield (np.int64(i),)


class Map(Stream):
    def __init__(self, upstream, fn, captured=(), keep=False):
        self.upstream, self.fn, self.captured, self.keep = upstream, fn, tuple(captured), keep

    def elements(self, env):
        for element in self.upstream.elements(env):
            out = self.fn.call(env, element, self.captured)
            if not self.keep:
                yield out
            elif bool(out[0]):  # filter: keep the element when the predicate says so
                yield element


class Batch(Stream):
    def __init__(self, upstream, size, drop_remainder, op):
        self.upstream, self.size, self.drop, self.op = upstream, int(size), bool(drop_remainder), op

    def elements(self, env):
        if self.size <= 0:
            raise InvalidArgumentError(None, self.op, f"Batch size must be greater than zero, got {self.size}")
        batch = []
        for element in self.upstream.elements(env):
            batch.append(element)
            if len(batch) == self.size:
                yield self._stack(batch)
                batch = []
        if batch and not self.drop:
            yield self._stack(batch)

    def _stack(self, batch):
        out = []
        for k in range(len(batch[0])):
            parts = [np.asarray(e[k]) for e in batch]
            for j, p in enumerate(parts):
                if p.shape != parts[0].shape:
                    raise InvalidArgumentError(
                        None, self.op, f"Cannot batch tensors with different shapes in component {k}. First "
                        f"element had shape {fmt(parts[0].shape)} and element {j} had shape {fmt(p.shape)}.")
            out.append(np.stack(parts))
        return tuple(out)


class Repeat(Stream):
    def __init__(self, upstream, count):
        self.upstream, self.count = upstream, int(count)

    def elements(self, env):
        epoch = 0
        while self.count < 0 or epoch < self.count:
            empty = True
            for element in self.upstream.elements(env):
                empty = False
                yield element
            if empty:  # an empty input repeated forever is empty, as in TF
                return
            epoch += 1


class Shuffle(Stream):
    """TF's algorithm: keep a buffer of `size` elements; each step yields a random one and
    puts the next input element in its place."""

    def __init__(self, upstream, size, seeds, reshuffle, op):
        self.upstream, self.size, self.seeds, self.reshuffle, self.op = upstream, int(size), seeds, reshuffle, op

    def elements(self, env):
        if self.size <= 0:
            raise InvalidArgumentError(None, self.op, f"buffer_size must be greater than zero, got {self.size}")
        rng = env.rng(self, self.seeds, fresh=not self.reshuffle)
        buffer = []
        for element in self.upstream.elements(env):
            if len(buffer) < self.size:
                buffer.append(element)
                continue
            i = int(rng.integers(len(buffer)))
            yield buffer[i]
            buffer[i] = element
        while buffer:
            i = int(rng.integers(len(buffer)))
            buffer[i], buffer[-1] = buffer[-1], buffer[i]
            yield buffer.pop()


class Take(Stream):
    def __init__(self, upstream, count, skip=False):
        self.upstream, self.count, self.skip = upstream, int(count), skip

    def elements(self, env):
        for i, element in enumerate(self.upstream.elements(env)):
            if self.skip:
                if self.count < 0 or i < self.count:
                    continue
            elif 0 <= self.count <= i:
                return
            yield element


class Generator(Stream):
    """Dataset.from_generator: the Python generator is called anew at each iteration."""

    def __init__(self, fn, dtypes, shapes, op):
        self.fn, self.dtypes, self.shapes, self.op = fn, dtypes, shapes, op

    def elements(self, env):
        for value in self.fn():
            flat = value if isinstance(value, tuple) else (value,)
            out = []
            for v, dt, shape in zip(flat, self.dtypes, self.shapes):
                arr = np.asarray(v, dtype=dt.np)
                if not shape.is_compatible_with(arr.shape):
                    raise InvalidArgumentError(
                        None, self.op, f"`generator` yielded an element of shape {fmt(arr.shape)} where an "
                        f"element of shape {fmt(shape.as_tuple())} was expected.")
                out.append(arr)
            yield tuple(out)


class Zip(Stream):
    def __init__(self, streams):
        self.streams = streams

    def elements(self, env):
        for parts in zip(*[s.elements(env) for s in self.streams]):
            yield tuple(c for part in parts for c in part)


class Concatenate(Stream):
    def __init__(self, first, second):
        self.first, self.second = first, second

    def elements(self, env):
        yield from self.first.elements(env)
        yield from self.second.elements(env)


class FlatMap(Stream):
    """flat_map (cycle 1) and interleave: the datasets `fn` makes from each element, `block`
    elements at a time from `cycle` of them in turn (TF's interleave order)."""

    def __init__(self, upstream, fn, captured=(), cycle=1, block=1):
        self.upstream, self.fn, self.captured = upstream, fn, tuple(captured)
        self.cycle, self.block = max(int(cycle), 1), max(int(block), 1)

    def elements(self, env):
        sources = (self.fn.call(env, element, self.captured)[0].elements(env)
                   for element in self.upstream.elements(env))
        active = []
        for source in sources:
            active.append(source)
            if len(active) == self.cycle:
                break
        position = 0
        while active:
            taken = 0
            for element in active[position]:
                yield element
                taken += 1
                if taken == self.block:
                    break
            if taken < self.block:  # exhausted: its place goes to the next source, the turn to the next slot
                replacement = next(sources, None)
                if replacement is None:
                    del active[position]
                    if position >= len(active):
                        position = 0
                    continue
                active[position] = replacement
            position = (position + 1) % len(active)


class PaddedBatch(Batch):
    def __init__(self, upstream, size, drop_remainder, op, shapes, values):
        super().__init__(upstream, size, drop_remainder, op)
        self.shapes, self.values = shapes, values

    def _stack(self, batch):
        out = []
        for k, (shape, value) in enumerate(zip(self.shapes, self.values)):
            parts = [np.asarray(e[k]) for e in batch]
            want = [max(p.shape[d] for p in parts) if n < 0 else n for d, n in enumerate(shape)]
            if any(p.ndim != len(want) for p in parts):
                raise InvalidArgumentError(None, self.op, f"PaddedBatch: component {k} has rank "
                                           f"{parts[0].ndim}, its padded shape {list(shape)} has {len(want)}")
            stacked = np.full([len(parts)] + want, value, dtype=parts[0].dtype)
            for i, p in enumerate(parts):
                if any(a > b for a, b in zip(p.shape, want)):
                    raise InvalidArgumentError(None, self.op, f"Attempted to pad to a smaller size than the input "
                                               f"element: component {k} has shape {fmt(p.shape)}, padded shape "
                                               f"{fmt(tuple(want))}")
                stacked[(i,) + tuple(slice(0, n) for n in p.shape)] = p
            out.append(stacked)
        return tuple(out)


class Cache(Stream):
    """cache(): the first full pass is kept (per iterator) and replayed by the later ones."""

    def __init__(self, upstream):
        self.upstream = upstream

    def elements(self, env):
        kept = env.rngs.get((self, "cache"))
        if kept is not None:
            yield from kept
            return
        seen = []
        for element in self.upstream.elements(env):
            seen.append(element)
            yield element
        env.rngs[(self, "cache")] = seen  # only a pass read to its end is kept, as in TF


class Unbatch(Stream):
    def __init__(self, upstream, op):
        self.upstream, self.op = upstream, op

    def elements(self, env):
        for element in self.upstream.elements(env):
            n = {np.shape(c)[0] if np.ndim(c) else None for c in element}
            if None in n or len(n) != 1:
                raise InvalidArgumentError(None, self.op, f"Input element must have a non-scalar value in each "
                                           f"component, with the same first dimension, got shapes "
                                           f"{[fmt(np.shape(c)) for c in element]}")
            for i in range(n.pop()):
                yield tuple(c[i] for c in element)


class Files(Stream):
    """TFRecordDataset / TextLineDataset: the records (or lines) of each file in turn."""

    def __init__(self, filenames, read):
        self.filenames, self.read = [f for f in np.reshape(filenames, -1)], read

    def elements(self, env):
        for name in self.filenames:
            for record in self.read(name):
                yield (np.array(record, dtype=object),)


def text_lines(name):
    """The lines of file `name`, without their line endings (TextLineDataset's records)."""
    with open_file(name.decode() if isinstance(name, bytes) else name) as f:
        for line in f:
            yield line.rstrip(b"\n").rstrip(b"\r")
