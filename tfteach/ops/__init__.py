"""The op library, one module per family. Importing it registers every op with the registry."""
from . import constant, state, control, math  # noqa: F401  (order: math uses constant)
