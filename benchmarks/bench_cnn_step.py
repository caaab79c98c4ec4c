"""One CNN training step on the 8x8 digits, tfteach against real TensorFlow: the same TF1 code.

    python benchmarks/bench_cnn_step.py                       # tfteach, and TF if /opt/tfvenv exists
    TF_CPP_MIN_LOG_LEVEL=3 /opt/tfvenv/bin/python benchmarks/bench_cnn_step.py --tf   # TF alone
    python benchmarks/bench_cnn_step.py --kernels   # each conv/pool kernel of the raw CNN, one thread

The network is the digits CNN of tests/test_keras_digits.py written with tf.layers: conv 3x3x16,
max pool, conv 3x3x32, max pool, dense 64, dense 10, Adam, batch 32. The step is timed as the
median of many `sess.run(train_op)` calls on the same batch, after a warm-up. Also reported:
numpy's BLAS with one thread, since on a busy 2-core machine BLAS threads waiting for each
other can cost more than the small matrix products they split.
"""
import json
import os
import subprocess
import sys
import time

import numpy as np

TF_PYTHON = "/opt/tfvenv/bin/python"


def batch(size=32):
    """The first `size` digits, pixels in [0, 1], as a JSON-able pair (the TF venv has no sklearn)."""
    from sklearn.datasets import load_digits
    digits = load_digits()
    return (digits.images[:size] / 16.0).tolist(), digits.target[:size].tolist()


def step_time(tf, data, steps=300, warmup=20):
    """Median seconds of one training step of the digits CNN, built with the TF1 API of `tf`."""
    tf.reset_default_graph()
    tf.set_random_seed(0)
    x = tf.placeholder(tf.float32, (None, 8, 8, 1))
    labels = tf.placeholder(tf.int32, (None,))
    h = tf.layers.conv2d(x, 16, 3, padding="same", activation=tf.nn.relu)
    h = tf.layers.max_pooling2d(h, 2, 2)
    h = tf.layers.conv2d(h, 32, 3, padding="same", activation=tf.nn.relu)
    h = tf.layers.max_pooling2d(h, 2, 2)
    h = tf.layers.dense(tf.layers.flatten(h), 64, activation=tf.nn.relu)
    logits = tf.layers.dense(h, 10)
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits))
    train = tf.train.AdamOptimizer(1e-3).minimize(loss)
    feed = {x: np.array(data[0], np.float32).reshape(-1, 8, 8, 1), labels: np.array(data[1], np.int32)}
    times = []
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for i in range(warmup + steps):
            start = time.perf_counter()
            sess.run(train, feed)
            if i >= warmup:
                times.append(time.perf_counter() - start)
    return float(np.median(times))


def kernel_times(reps=7):
    """Median CPU milliseconds of each convolution and pooling kernel of benchmarks/programs.py's raw
    CNN (batch 128: conv 5x5 1->32 on 28x28, pool, conv 5x5 32->64 on 14x14, pool), on one BLAS
    thread. CPU time, not wall time, so that the figures hold on a busy machine."""
    os.environ["TFTEACH_NUM_THREADS"] = "1"
    from tfteach.ops import conv_kernels as k
    rng = np.random.RandomState(0)

    def normal(*shape):
        return rng.standard_normal(shape).astype(np.float32)

    x1, w1, dy1 = normal(128, 28, 28, 1), normal(5, 5, 1, 32), normal(128, 28, 28, 32)
    x2, w2, dy2 = np.maximum(normal(128, 14, 14, 32), 0), normal(5, 5, 32, 64), normal(128, 14, 14, 64)
    r1, r2 = np.maximum(dy1, 0), np.maximum(dy2, 0)  # what the poolings see: ReLU outputs, many ties at 0
    two, same = [1, 2, 2, 1], ((2, 2), (2, 2))
    m1, m2 = (k.max_of(k.tiles(r, two, two, "SAME")) for r in (r1, r2))
    g1, g2 = normal(*m1.shape), normal(*m2.shape)
    kernels = {
        "Conv2D 1->32": lambda: k.conv2d(x1, w1, 1, 1, 28, 28, *same),
        "Conv2DBackpropFilter 1->32": lambda: k.conv2d_backprop_filter(x1, dy1, 5, 5, 1, 1, *same),
        "Conv2D 32->64": lambda: k.conv2d(x2, w2, 1, 1, 14, 14, *same),
        "Conv2DBackpropFilter 32->64": lambda: k.conv2d_backprop_filter(x2, dy2, 5, 5, 1, 1, *same),
        "Conv2DBackpropInput 32->64": lambda: k.conv2d_backprop_input(x2.shape, w2, dy2, 1, 1, *same),
        "MaxPool 28x28x32": lambda: k.max_of(k.tiles(r1, two, two, "SAME")),
        "MaxPoolGrad 28x28x32": lambda: k.max_pool_grad(r1, m1, g1, two, k.tiles(r1, two, two, "SAME")),
        "MaxPool 14x14x64": lambda: k.max_of(k.tiles(r2, two, two, "SAME")),
        "MaxPoolGrad 14x14x64": lambda: k.max_pool_grad(r2, m2, g2, two, k.tiles(r2, two, two, "SAME")),
    }
    times = {}
    for name, fn in kernels.items():
        fn()
        runs = []
        for _ in range(reps):
            start = time.process_time()
            fn()
            runs.append(time.process_time() - start)
        times[name] = float(np.median(runs)) * 1e3
    return times


def _child(python, flag, data, **env):
    """Run this script as `python ... flag` with the batch on stdin; its step time in seconds."""
    out = subprocess.run([python, __file__, flag], input=json.dumps(data), capture_output=True, text=True,
                         env=dict(os.environ, **env), check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])["step"]


def main():
    if "--tf" in sys.argv:  # in the TensorFlow venv: TF1 API, tf.layers from the legacy Keras
        os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")
        import tensorflow.compat.v1 as tf
        tf.disable_v2_behavior()
        print(json.dumps({"step": step_time(tf, json.load(sys.stdin))}))
        return
    if "--kernels" in sys.argv:
        times = kernel_times()
        for name, ms in times.items():
            print(f"{name:30s} {ms:7.1f} ms")
        print(f"{'total':30s} {sum(times.values()):7.1f} ms")
        return
    if "--child" in sys.argv:
        import tfteach as tf
        print(json.dumps({"step": step_time(tf, json.load(sys.stdin))}))
        return
    import tfteach as tf
    data = batch()
    ours = step_time(tf, data)
    ours_one = _child(sys.executable, "--child", data, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1",
                      MKL_NUM_THREADS="1")
    print(f"tfteach step:               {ours * 1e3:7.2f} ms")
    print(f"tfteach step, 1 BLAS thread: {ours_one * 1e3:7.2f} ms")
    if os.path.exists(TF_PYTHON):
        theirs = _child(TF_PYTHON, "--tf", data, TF_CPP_MIN_LOG_LEVEL="3")
        print(f"TensorFlow step:            {theirs * 1e3:7.2f} ms")
        print(f"ratio tfteach / TensorFlow: {ours / theirs:7.1f}x ({ours_one / theirs:.1f}x with 1 BLAS thread)")


if __name__ == "__main__":
    main()
