"""The input-pipeline programs of tests/data_programs.py on tfteach, against what real
TensorFlow got (tests/fixtures/data_programs.json, by tests/fixtures/make_data_programs.py).

Same seeds and steps: final loss within 10% of TF's, accuracy within 3 points. The CSV
program has no randomness (queue order is the file's), so its weights match too.
"""
import json
import os

import pytest

import tfteach as tf
import data_programs

with open(os.path.join(os.path.dirname(__file__), "fixtures", "data_programs.json")) as _f:
    TF_RESULTS = json.load(_f)["programs"]


@pytest.mark.parametrize("name", sorted(data_programs.PROGRAMS))
def test_program_matches_tensorflow(name, tmp_path):
    got = data_programs.PROGRAMS[name](tf, str(tmp_path))
    want = TF_RESULTS[name]
    assert got["steps"] == want["steps"]
    assert abs(got["loss"] - want["loss"]) <= 0.10 * want["loss"], (got, want)
    if "accuracy" in want:
        assert abs(got["accuracy"] - want["accuracy"]) <= 0.03, (got, want)
    if "w" in want:
        assert got["w"] == pytest.approx(want["w"], rel=1e-4) and got["b"] == pytest.approx(want["b"], rel=1e-4)
