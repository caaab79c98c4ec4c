"""The BLAS thread policy (tfteach/threads.py): its decisions with a fake load and CPU set, the
user's overrides (TFTEACH_NUM_THREADS, ConfigProto, OPENBLAS_/OMP_NUM_THREADS), unchanged results."""
import numpy as np
import pytest

import tfteach as tf
from tfteach import threads

BIG, SMALL = 10 * threads.PARALLEL_MIN_WORK, threads.PARALLEL_MIN_WORK // 10


@pytest.fixture
def machine(monkeypatch):
    """A fake machine: `machine(cpus, load)`; no user limits; the BLAS calls recorded, not made."""
    for name in ("TFTEACH_NUM_THREADS", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"):
        monkeypatch.delenv(name, raising=False)
    calls = []

    class FakeBlas:
        def set_num_threads(self, n):
            calls.append(n)

    def set_machine(cpus, load):
        monkeypatch.setattr(threads.os, "sched_getaffinity", lambda pid: set(range(cpus)))
        monkeypatch.setattr(threads.os, "getloadavg", lambda: (load, load, load))
        threads.reset()
        return calls

    monkeypatch.setattr(threads, "_blas", [FakeBlas()])
    monkeypatch.setattr(threads, "session_limit", 0)
    yield set_machine
    threads.reset()


def test_small_products_run_on_one_thread(machine):
    machine(8, 0.0)
    assert threads.wanted(SMALL) == 1


def test_big_products_use_the_free_cores(machine):
    machine(8, 1.0)   # only we are running
    assert threads.wanted(BIG) == 8
    machine(8, 5.0)   # four other busy processes
    assert threads.wanted(BIG) == 4
    machine(2, 3.0)   # two busy neighbours on two cores: never more than one thread
    assert threads.wanted(BIG) == 1
    machine(2, 40.0)
    assert threads.wanted(BIG) == 1


def test_the_affinity_mask_counts_not_the_machine(machine):
    machine(3, 0.0)
    assert threads.wanted(BIG) == 3


@pytest.mark.parametrize("name", ["OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"])
def test_blas_variables_are_an_upper_bound(machine, monkeypatch, name):
    machine(8, 0.0)
    monkeypatch.setenv(name, "2")
    threads.reset()
    assert threads.wanted(BIG) == 2
    monkeypatch.setenv("TFTEACH_NUM_THREADS", "6")   # asking for more does not pass the bound
    threads.reset()
    assert threads.wanted(BIG) == 2


def test_tfteach_num_threads_sets_the_count_for_big_products(machine, monkeypatch):
    monkeypatch.setenv("TFTEACH_NUM_THREADS", "2")   # the user's choice, busy or not
    machine(2, 30.0)
    assert threads.wanted(BIG) == 2
    assert threads.wanted(SMALL) == 1
    monkeypatch.setenv("TFTEACH_NUM_THREADS", "1")
    machine(8, 0.0)
    assert threads.wanted(BIG) == 1


def test_the_load_and_environment_are_read_once_a_second(machine, monkeypatch):
    machine(8, 0.0)
    assert threads.wanted(BIG) == 8
    monkeypatch.setattr(threads.os, "getloadavg", lambda: (7.0, 7.0, 7.0))
    assert threads.wanted(BIG) == 8                  # the sample of a moment ago
    monkeypatch.setattr(threads, "_load", (threads._load[0] - 2,) + threads._load[1:])
    assert threads.wanted(BIG) == 2                  # a second later: 6 others busy, 2 free


def test_the_blas_is_switched_only_when_the_count_changes(machine):
    calls = machine(4, 0.0)
    for work in (SMALL, SMALL, BIG, BIG, SMALL):
        threads.for_work(work)
    assert calls == [1, 4, 1]


def test_config_proto_limits_the_session(machine):
    calls = machine(4, 0.0)
    x = tf.constant(np.ones((400, 200), np.float32))
    y = tf.matmul(x, tf.constant(np.ones((200, 600), np.float32)))   # 48 M multiply-adds: big
    with tf.Session(config=tf.ConfigProto(intra_op_parallelism_threads=2)) as sess:
        sess.run(y)
    assert calls[-1] == 2
    with tf.Session() as sess:   # 0, the default: tfteach decides
        sess.run(y)
    assert calls[-1] == 4


def test_config_proto_rejects_a_negative_count():
    with pytest.raises(ValueError, match="intra_op_parallelism_threads"):
        tf.Session(config=tf.ConfigProto(intra_op_parallelism_threads=-1))


@pytest.mark.parametrize("n", [1, 2])
def test_results_do_not_depend_on_the_thread_count(monkeypatch, n):
    monkeypatch.setenv("TFTEACH_NUM_THREADS", str(n))
    threads.reset()
    rng = np.random.RandomState(0)
    a, b = rng.randn(300, 400).astype(np.float32), rng.randn(400, 500).astype(np.float32)
    img, w = rng.randn(8, 20, 20, 4).astype(np.float32), rng.randn(5, 5, 4, 16).astype(np.float32)
    tf.reset_default_graph()
    y = tf.matmul(a, b)
    c = tf.nn.conv2d(img, w, [1, 1, 1, 1], "SAME")
    with tf.Session() as sess:
        y_val, c_val = sess.run([y, c])
    np.testing.assert_allclose(y_val, a.astype(np.float64) @ b, rtol=1e-4, atol=1e-3)
    assert c_val.dtype == np.float32 and c_val.shape == (8, 20, 20, 16)
    threads.reset()
