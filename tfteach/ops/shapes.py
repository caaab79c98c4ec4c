"""Static shape helpers shared by the shape rules of every op family."""
from ..tensor_shape import TensorShape


def broadcast_shape(a, b):
    """numpy broadcasting on static shapes (tuples with None dims, or None for unknown rank)."""
    if a is None or b is None:
        return None
    n = max(len(a), len(b))
    out = []
    # aligned from the right: the shorter shape is padded with 1s in front
    for x, y in zip((1,) * (n - len(a)) + tuple(a), (1,) * (n - len(b)) + tuple(b)):
        if x == 1:
            out.append(y)
        elif y == 1:
            out.append(x)
        elif x is None or y is None:
            out.append(x if y is None else y)
        elif x == y:
            out.append(x)
        else:
            return False  # incompatible: the caller names the op in its error
    return tuple(out)


def fmt(shape):
    """A static shape as TF1 prints it in errors: [2,3], [?,3], <unknown>."""
    if shape is None:
        return "<unknown>"
    return "[" + ",".join("?" if d is None else str(d) for d in shape) + "]"


def shape_of(t):
    return t._shape.as_tuple()


def as_tensorshape(shape):
    return shape if isinstance(shape, TensorShape) else TensorShape(shape)
