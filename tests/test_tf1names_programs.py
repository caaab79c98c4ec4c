"""The course labs of tests/tf1names_programs.py, run unchanged on tfteach, against what real
TensorFlow (with tf_slim for tf.contrib.layers) wrote in tests/fixtures/tf1names_programs.json.

Both engines start from the same weights; float32 rounding differs (BLAS, summation order), so
numbers are compared with tolerances that a few hundred training steps keep, names and the
structure of the log exactly.
"""
import json
import os
import re

import pytest

import tf1names_programs
import tfteach as tf

FIXTURE = os.path.join(os.path.dirname(__file__), "fixtures", "tf1names_programs.json")


def expected(name):
    with open(FIXTURE) as f:
        return json.load(f)["results"][name]


def _split_log(messages):
    """(the messages with numbers replaced by '#', the numbers)."""
    number = re.compile(r"-?\d+\.\d+|\d+")
    return ([number.sub("#", m) for m in messages],
            [float(n) for m in messages for n in number.findall(m)])


def test_digits_mlp_lab_matches_tensorflow():
    pytest.importorskip("sklearn")
    (x_train, y_train), (x_test, y_test) = tf.keras.datasets.digits28.load_data()
    tf.reset_default_graph()
    got = tf1names_programs.digits_mlp_lab(tf, *tf1names_programs.digits_data(x_train, y_train, x_test, y_test))
    want = expected("digits_mlp_lab")
    for key in ("names", "metric_variables", "model_variables", "uninitialized"):
        assert got[key] == want[key], key
    # 360 steps of gradient descent at rate 0.2: with one BLAS thread the numbers are TF's to the
    # last digit; with two (tfteach's thread policy on an idle 2-core machine) the sums are ordered
    # otherwise and the losses drift by up to 0.4%, the test loss by 0.007
    assert got["losses"] == pytest.approx(want["losses"], rel=1e-2)
    for got_eval, want_eval in zip(got["eval"], want["eval"]):
        # accuracy, precision, recall, auc, mean loss: a prediction flipped by rounding moves
        # accuracy by 1/500; allow five
        assert got_eval == pytest.approx(want_eval, abs=1e-2)
    assert got["eval"][-1][0] > 0.6  # the lab learns
    got_text, got_numbers = _split_log(got["log"])
    want_text, want_numbers = _split_log(want["log"])
    assert got_text == want_text
    assert got_numbers == pytest.approx(want_numbers, rel=1e-2, abs=2e-3)  # logged losses drift as above


def test_huber_regression_lab_matches_tensorflow():
    tf.reset_default_graph()
    got = tf1names_programs.huber_regression_lab(tf)
    want = expected("huber_regression_lab")
    assert got["names"] == want["names"]
    for kind in ("squared", "huber"):
        assert got[kind] == pytest.approx(want[kind], rel=1e-4, abs=1e-5), kind
    # the lesson: the Huber line is much closer to y = 2x + 1 on clean points
    assert got["huber"][2] < 0.2 < got["squared"][2]
