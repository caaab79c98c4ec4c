"""The augmentation lab (tests/image_programs.py) on tfteach against what real TensorFlow printed
(tests/fixtures/image_programs.json, written by tests/fixtures/make_image_programs.py)."""
import json
import os

import numpy as np
import pytest

import tfteach as tf
import image_programs

FIXTURE = os.path.join(os.path.dirname(__file__), "fixtures", "image_programs.json")


@pytest.fixture(scope="module")
def expected():
    with open(FIXTURE) as f:
        return json.load(f)["results"]


@pytest.fixture(scope="module")
def data():
    return image_programs.digits()


def _run(data, kwargs, **extra):
    tf.reset_default_graph()
    return image_programs.augmentation_lab(tf, *data, **kwargs, **extra)


def test_fixed_augmentation_matches_tensorflow_step_by_step(expected, data):
    want = expected["fixed"]
    got = _run(data, want["kwargs"])
    assert got["names"] == want["names"]
    # float32 sums in another order drift by about 1e-7 a step: 150 steps stay within 1e-4
    np.testing.assert_allclose(got["losses"], want["losses"], rtol=1e-4)
    assert abs(got["test_accuracy"] - want["test_accuracy"]) <= 1 / 360 + 1e-6


def test_random_augmentation_learns_as_in_tensorflow(expected, data, tmp_path):
    want = expected["random"]
    got = _run(data, want["kwargs"], logdir=str(tmp_path))
    assert got["names"] == want["names"]
    assert np.mean(got["losses"][-20:]) < 0.5 * np.mean(got["losses"][:5])
    assert got["test_accuracy"] > 0.7 and abs(got["test_accuracy"] - want["test_accuracy"]) < 0.08
    event_accumulator = pytest.importorskip("tensorboard.backend.event_processing.event_accumulator")
    acc = event_accumulator.EventAccumulator(str(tmp_path), size_guidance={"images": 0})
    acc.Reload()
    assert sorted(acc.Tags()["images"]) == [f"augmented/image/{i}"
                                            for i in range(4)]
    assert [e.step for e in acc.Images("augmented/image/0")] == [0, 50, 100]
    assert (acc.Images("augmented/image/0")[0].height, acc.Images("augmented/image/0")[0].width) == (16, 16)
