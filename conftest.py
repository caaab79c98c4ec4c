"""Repo-wide pytest setup: nbval compares notebook outputs, except the SVG pictures.

Graphviz versions lay a graph out differently, so `image/svg+xml` outputs are not compared;
their `text/plain` form (deterministic: no addresses, no timings) still is. It lives at the
repository root so that it covers `notebooks/` and `widgets/` as well as `tests/`.
"""


def pytest_collectstart(collector):
    skip = getattr(collector, "skip_compare", None)  # set by nbval's notebook collector
    if skip is not None and "image/svg+xml" not in skip:
        collector.skip_compare = tuple(skip) + ("image/svg+xml",)
