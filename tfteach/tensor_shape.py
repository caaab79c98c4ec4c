"""TensorShape and Dimension: static shapes that may have unknown (None) dimensions.

Mirrors tensorflow/python/framework/tensor_shape.py (TF1 behaviour: indexing gives a Dimension).
"""


class Dimension:
    """One dimension of a static shape; `value` is an int or None when unknown."""

    __slots__ = ("_value",)

    def __init__(self, value):
        self._value = None if value is None else int(value)

    @property
    def value(self):
        return self._value

    def __repr__(self):
        return f"Dimension({self._value})"

    def __str__(self):
        return "?" if self._value is None else str(self._value)

    def __int__(self):
        return self._value

    def __index__(self):
        return self._value

    def __eq__(self, other):
        other = as_dimension(other)
        if self._value is None or other.value is None:
            return None
        return self._value == other.value

    def __ne__(self, other):
        eq = self.__eq__(other)
        return None if eq is None else not eq

    def __hash__(self):
        return hash(self._value)

    def is_compatible_with(self, other):
        other = as_dimension(other)
        return self._value is None or other.value is None or self._value == other.value

    def merge_with(self, other):
        other = as_dimension(other)
        if not self.is_compatible_with(other):
            raise ValueError(f"Dimensions {self} and {other} are not compatible")
        return Dimension(self._value if self._value is not None else other.value)


def as_dimension(value):
    return value if isinstance(value, Dimension) else Dimension(value)


class TensorShape:
    """A static shape: `dims` is a list of Dimensions, or None when even the rank is unknown.

    Kept as a tuple of ints (None for an unknown dimension): every op's shape rule reads it,
    so the Dimension objects of TF1's API are made only when asked for (`dims`, `shape[i]`).
    """

    def __init__(self, dims):
        if dims is None:
            self._values = None
        elif isinstance(dims, TensorShape):
            self._values = dims._values
        else:
            self._values = tuple(map(_dimension_value, dims))

    @property
    def dims(self):
        return None if self._values is None else [Dimension(v) for v in self._values]

    @property
    def ndims(self):
        return None if self._values is None else len(self._values)

    rank = ndims

    def as_list(self):
        if self._values is None:
            raise ValueError("as_list() is not defined on an unknown TensorShape.")
        return list(self._values)

    def as_tuple(self):
        """Shape as a tuple with None for unknown dims, or None for unknown rank (internal)."""
        return self._values

    def is_fully_defined(self):
        return self._values is not None and None not in self._values

    def num_elements(self):
        if not self.is_fully_defined():
            return None
        n = 1
        for d in self._values:
            n *= d
        return n

    def is_compatible_with(self, other):
        a, b = self._values, as_shape(other)._values
        if a is None or b is None:
            return True
        if len(a) != len(b):
            return False
        return all(x is None or y is None or x == y for x, y in zip(a, b))

    def merge_with(self, other):
        other = as_shape(other)
        if self._values is None:
            return other
        if other._values is None or other._values == self._values:
            return self
        if not self.is_compatible_with(other):
            raise ValueError(f"Shapes {self} and {other} are not compatible")
        return TensorShape([x if x is not None else y for x, y in zip(self._values, other._values)])

    def assert_is_compatible_with(self, other):
        if not self.is_compatible_with(other):
            raise ValueError(f"Shapes {self} and {as_shape(other)} are incompatible")

    def __len__(self):
        if self._values is None:
            raise ValueError("Cannot take the length of Shape with unknown rank.")
        return len(self._values)

    def __iter__(self):
        if self._values is None:
            raise ValueError("Cannot iterate over a shape with unknown rank.")
        return map(Dimension, self._values)

    def __getitem__(self, key):
        if self._values is None:
            return TensorShape(None) if isinstance(key, slice) else Dimension(None)
        if isinstance(key, slice):
            return TensorShape(self._values[key])
        return Dimension(self._values[key])

    def __bool__(self):
        return self._values is not None

    def __eq__(self, other):
        try:
            other = as_shape(other)
        except TypeError:
            return NotImplemented
        return self._values is not None and other._values is not None and self._values == other._values

    def __ne__(self, other):
        eq = self.__eq__(other)
        return eq if eq is NotImplemented else not eq

    def __hash__(self):
        return hash(self._values)

    def __str__(self):
        if self._values is None:
            return "<unknown>"
        dims = ["?" if d is None else str(d) for d in self._values]
        if len(dims) == 1:
            return f"({dims[0]},)"
        return "(" + ", ".join(dims) + ")"

    def __repr__(self):
        if self._values is None:
            return "TensorShape(None)"
        return "TensorShape([" + ", ".join(repr(Dimension(d)) for d in self._values) + "])"


def _dimension_value(d):
    """One dimension as TensorShape keeps it: an int, or None when unknown."""
    if d is None:
        return None
    if isinstance(d, Dimension):
        return d._value
    return int(d)


def as_shape(shape):
    if isinstance(shape, TensorShape):
        return shape
    if isinstance(shape, (int, Dimension)):
        shape = [shape]
    try:
        return TensorShape(shape)
    except TypeError as e:
        raise TypeError(f"Cannot convert {shape!r} to a TensorShape") from e


def unknown_shape(ndims=None):
    return TensorShape(None if ndims is None else [None] * ndims)


def scalar():
    return TensorShape([])
