"""The BLAS thread policy (tfteach/threads.py): its decisions with a fake load and CPU set, the
user's overrides (TFTEACH_NUM_THREADS, ConfigProto, OPENBLAS_/OMP_NUM_THREADS), unchanged results."""
import numpy as np
import pytest

import tfteach as tf
from tfteach import threads

BIG, SMALL = 10 * threads.PARALLEL_MIN_WORK, threads.PARALLEL_MIN_WORK // 10


class FakeMachine:
    """`cpus` CPUs on which other processes keep `others` cores busy, a clock moved by hand,
    and a container quota of `quota` cores (None: no limit)."""

    def __init__(self, monkeypatch):
        self.cpus, self.others, self.quota, self.now, self.busy, self.ours = 1, 0.0, None, 1000.0, 0.0, 0.0
        monkeypatch.setattr(threads, "_affinity", lambda: list(range(self.cpus)))
        monkeypatch.setattr(threads, "_quota", lambda: self.quota)
        monkeypatch.setattr(threads, "_busy_seconds", lambda cpus: self.busy + self.ours)
        monkeypatch.setattr(threads.time, "monotonic", lambda: self.now)
        monkeypatch.setattr(threads.time, "process_time", lambda: self.ours)

    def __call__(self, cpus, others, quota=None):
        """A new machine, measured over one sample: the policy has seen it."""
        self.cpus, self.others, self.quota = cpus, others, quota
        threads.reset()
        threads.wanted(BIG)            # the first sample
        self.wait(threads.SAMPLE_SECONDS + 0.1)
        return calls

    def wait(self, seconds, our_cores=1.0):
        """Time passes: the others use their cores, we use `our_cores`."""
        self.now += seconds
        self.busy += self.others * seconds
        self.ours += our_cores * seconds


calls = []


class FakeBlas:
    def get_num_threads(self):
        return 2

    def set_num_threads(self, n):
        calls.append(n)


@pytest.fixture
def machine(monkeypatch):
    """A fake machine: `machine(cpus, others)`; no user limits; the BLAS calls recorded, not made."""
    for name in ("TFTEACH_NUM_THREADS", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"):
        monkeypatch.delenv(name, raising=False)
    calls.clear()
    monkeypatch.setattr(threads, "_blas", [FakeBlas()])
    monkeypatch.setattr(threads, "session_limit", 0)
    yield FakeMachine(monkeypatch)
    threads.reset()


def test_small_products_run_on_one_thread(machine):
    machine(8, 0.0)
    assert threads.wanted(SMALL) == 1


def test_big_products_use_the_free_cores(machine):
    machine(8, 0.0)   # only we are running
    assert threads.wanted(BIG) == 8
    machine(8, 4.0)   # four other busy processes
    assert threads.wanted(BIG) == 4
    machine(2, 2.0)   # two busy neighbours on two cores: never more than one thread
    assert threads.wanted(BIG) == 1
    machine(2, 1.6)   # they got most of both cores
    assert threads.wanted(BIG) == 1


def test_before_the_first_sample_one_thread(machine):
    """A class starting its kernels together: nothing measured yet, so no thread spins."""
    machine.cpus = 8
    threads.reset()
    assert threads.wanted(BIG) == 1


def test_the_load_is_measured_not_averaged(machine):
    """Busy processes starting (or stopping) are seen within a sample, not a minute later."""
    machine(2, 0.0)
    assert threads.wanted(BIG) == 2
    machine.others = 2.0
    machine.wait(threads.SAMPLE_SECONDS + 0.1)
    assert threads.wanted(BIG) == 1
    machine.others = 0.0
    machine.wait(threads.SAMPLE_SECONDS + 0.1, our_cores=2.0)   # our own two threads are not "others"
    assert threads.wanted(BIG) == 2


def test_the_affinity_mask_counts_not_the_machine(machine):
    machine(3, 0.0)
    assert threads.wanted(BIG) == 3


def test_a_container_quota_bounds_the_count(machine):
    machine(64, 0.0, quota=2)
    assert threads.wanted(BIG) == 2
    assert threads.cpu_count() == 2


@pytest.mark.parametrize("name", ["OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"])
def test_blas_variables_are_an_upper_bound(machine, monkeypatch, name):
    monkeypatch.setenv(name, "2")
    machine(8, 0.0)
    assert threads.wanted(BIG) == 2
    monkeypatch.setenv("TFTEACH_NUM_THREADS", "6")   # asking for more does not pass the bound
    machine(8, 0.0)
    assert threads.wanted(BIG) == 2


def test_tfteach_num_threads_sets_the_count_for_big_products(machine, monkeypatch):
    monkeypatch.setenv("TFTEACH_NUM_THREADS", "2")   # the user's choice, busy or not
    machine(2, 30.0)
    assert threads.wanted(BIG) == 2
    assert threads.wanted(SMALL) == 1
    monkeypatch.setenv("TFTEACH_NUM_THREADS", "1")
    machine(8, 0.0)
    assert threads.wanted(BIG) == 1


def test_the_load_and_environment_are_read_once_a_sample(machine):
    machine(8, 0.0)
    assert threads.wanted(BIG) == 8
    machine.others = 6.0
    machine.wait(threads.SAMPLE_SECONDS / 4)
    assert threads.wanted(BIG) == 8                  # the sample of a moment ago
    machine.wait(threads.SAMPLE_SECONDS)
    assert threads.wanted(BIG) == 2                  # the next sample: 6 others busy, 2 free


def test_the_blas_is_switched_only_when_the_count_changes(machine):
    calls = machine(4, 0.0)
    for work in (SMALL, SMALL, BIG, BIG, SMALL):
        threads.for_work(work)
    assert calls == [1, 4, 1]


def test_a_run_gives_the_blas_back_its_own_count(machine):
    """numpy's BLAS had 2 threads (FakeBlas): a run that used 1 leaves it at 2 for the learner's code."""
    calls = machine(4, 0.0)
    x = tf.constant(np.ones((10, 10), np.float32))
    with tf.Session() as sess:
        sess.run(tf.matmul(x, x))
    assert calls == [1, 2]
    with tf.Session() as sess:
        sess.run(x)                  # no product: the BLAS is not touched
    assert calls == [1, 2]


def test_config_proto_limits_the_session(machine):
    calls = machine(4, 0.0)
    x = tf.constant(np.ones((400, 200), np.float32))
    y = tf.matmul(x, tf.constant(np.ones((200, 600), np.float32)))   # 48 M multiply-adds: big
    with tf.Session(config=tf.ConfigProto(intra_op_parallelism_threads=3)) as sess:
        sess.run(y)
    assert calls[-2:] == [3, 2]      # 3 for the product, then the BLAS's own 2 back
    with tf.Session() as sess:   # 0, the default: tfteach decides
        sess.run(y)
    assert calls[-2:] == [4, 2]


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


@pytest.mark.parametrize("files, cores", [
    ({"cpu.max": "150000 100000\n"}, 2),                   # cgroup v2: 1.5 CPUs may use 2 threads
    ({"cpu.max": "max 100000\n"}, None),                   # v2, no limit
    ({"quota": "100000\n", "period": "100000\n"}, 1),      # cgroup v1: one CPU
    ({"quota": "-1\n", "period": "100000\n"}, None),       # v1, no limit
    ({}, None),                                            # neither
])
def test_the_container_quota_is_read_from_cgroup_files(tmp_path, monkeypatch, files, cores):
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    monkeypatch.setattr(threads, "QUOTA_FILES", ((str(tmp_path / "cpu.max"), None),
                                                 (str(tmp_path / "quota"), str(tmp_path / "period"))))
    assert threads._quota() == cores


def test_this_machine_is_measured():
    """The real sources: the CPUs, their busy seconds since boot (Linux), a count of at least 1."""
    cpus = threads._affinity()
    assert threads.cpu_count() >= 1 and len(cpus) >= 1
    busy = threads._busy_seconds(cpus)
    assert busy is None or busy > 0
