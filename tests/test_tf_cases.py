"""Every case in tests/cases/*, run on tfteach, against what real TensorFlow returned.

The fixtures are written by tests/fixtures/make_fixtures.py with a local TensorFlow.
"""
import json
import math
import os

import numpy as np
import pytest

import tfteach
from cases import harness

FIXTURES = os.path.join(os.path.dirname(__file__), "fixtures")

# Cases where tfteach differs from TensorFlow on purpose (strict: they fail today, and the
# suite says so if one starts to pass). Each is listed in the README's "Differences" section.
DIFFERENCES = {
    "case_grad_gather_indexed_slices": "tfteach has no IndexedSlices: the gradient of gather is a "
                                       "dense tensor (the same values TF gets by converting it)",
}


def _load():
    params = []
    for mod_name, case_name, fn in harness.all_cases():
        path = os.path.join(FIXTURES, f"{mod_name}.json")
        if not os.path.exists(path):
            continue
        with open(path) as f:
            expected = json.load(f)["cases"]
        if case_name in expected:
            marks = [pytest.mark.xfail(strict=True, reason=DIFFERENCES[case_name])] \
                if case_name in DIFFERENCES else []
            params.append(pytest.param(fn, expected[case_name], id=f"{mod_name}.{case_name}", marks=marks))
    return params


def assert_matches(got, want, path="result"):
    """Compare encoded results: exact for names/dtypes/errors, 1e-5 relative for numbers."""
    if isinstance(want, dict) and set(want) == {"array", "shape", "dtype"}:
        assert isinstance(got, dict) and "array" in got, f"{path}: expected an array, got {got!r}"
        assert got["dtype"] == want["dtype"], f"{path}: dtype {got['dtype']} != {want['dtype']}"
        assert got["shape"] == want["shape"], f"{path}: shape {got['shape']} != {want['shape']}"
        for i, (g, w) in enumerate(zip(got["array"], want["array"])):
            _num_close(g, w, f"{path}[{i}]")
        return
    if isinstance(want, dict) and set(want) == {"scalar", "dtype"}:
        assert isinstance(got, dict) and "scalar" in got, f"{path}: expected a scalar, got {got!r}"
        assert got["dtype"] == want["dtype"], f"{path}: dtype {got['dtype']} != {want['dtype']}"
        _num_close(got["scalar"], want["scalar"], path)
        return
    if isinstance(want, dict):
        assert isinstance(got, dict), f"{path}: expected a dict, got {got!r}"
        assert sorted(got) == sorted(want), f"{path}: keys {sorted(got)} != {sorted(want)}"
        for k in want:
            assert_matches(got[k], want[k], f"{path}.{k}")
        return
    if isinstance(want, list):
        assert isinstance(got, list) and len(got) == len(want), f"{path}: {got!r} != {want!r}"
        for i, (g, w) in enumerate(zip(got, want)):
            assert_matches(g, w, f"{path}[{i}]")
        return
    if isinstance(want, float) and not isinstance(want, bool):
        _num_close(got, want, path)
        return
    assert got == want, f"{path}: {got!r} != {want!r}"


def _num_close(g, w, path):
    if isinstance(w, dict) or isinstance(g, dict):
        assert g == w, f"{path}: {g!r} != {w!r}"  # nan / inf markers
        return
    if isinstance(w, (bool, str)) or w is None:
        assert g == w, f"{path}: {g!r} != {w!r}"
        return
    assert isinstance(g, (int, float)) and not isinstance(g, bool), f"{path}: {g!r} != {w!r}"
    assert math.isclose(g, w, rel_tol=1e-5, abs_tol=1e-6), f"{path}: {g!r} != {w!r}"


@pytest.mark.parametrize("case, expected", _load())
def test_case_matches_tensorflow(case, expected):
    got = harness.run_case(case, tfteach)
    assert_matches(got, expected)


@pytest.mark.parametrize("case, expected", _load())
def test_case_matches_tensorflow_compiled(case, expected, monkeypatch):
    """The same cases with every plan compiled at its first run (a case usually runs once,
    so above it is interpreted): the compiled code must give the same values and errors."""
    monkeypatch.setattr(tfteach.plan, "COMPILE_AT_RUN", 1)
    got = harness.run_case(case, tfteach)
    assert_matches(got, expected)


def test_fixtures_exist():
    assert _load(), "no fixtures found in tests/fixtures"
    assert np is not None
