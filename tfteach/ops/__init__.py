"""The op library, one module per family. Importing it registers every op with the registry."""
from . import constant, state, control, math, unary, compare, nn, nn_impl  # noqa: F401  (order: math uses constant)
from . import array, building, slicing, random  # noqa: F401  (array's families and random ops)
from . import conv  # noqa: F401  (convolution and pooling)
