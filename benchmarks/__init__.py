"""Benchmarks of tfteach: the workloads W1-W7 of issue 12, each on the engine (tfteach, or real
TensorFlow's compat.v1) next to the same computation hand-written in numpy.

Run `python -m benchmarks` from the repository root (`--help` for the options); see
docs/benchmarks.md. This package imports no engine at import time.
"""
