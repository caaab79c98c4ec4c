"""`python -m benchmarks.programs`: whole TF1 training programs, tfteach next to TensorFlow (issue 21).

    python -m benchmarks.programs                       # the five programs, tfteach and (if installed) TF
    python -m benchmarks.programs --load 2              # the same beside 2 busy processes
    python -m benchmarks.programs --tiny                # a few steps of each: proves they run (CI)
    python -m benchmarks.programs --only logreg,cnn --engine tfteach

Each program is written once against the TF1 API, with `tf` passed in, in the style of the classic
TF1 examples (random_normal weights, feed_dict batches). The data are scikit-learn's 1,797 digits
upsampled from 8x8 to a 20x20 box centred in 28x28 (as MNIST), plus copies shifted by 2 pixels,
shuffled: 6,985 training images, one-hot labels; an epoch is 70 batches of 100 (the last of 85).
TensorFlow runs in a subprocess of /opt/tfvenv's Python (tf.compat.v1), with the data in a file.
The time is the whole program after the imports: building the graph, the session, training.
`--load N` starts N processes that spin on a core (each stops by itself after --load-seconds and
is ended by the benchmark when it finishes).
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

from tfteach.keras.datasets.digits28 import resize_matrix

TF_PYTHON = os.environ.get("TFTEACH_TF_PYTHON", "/opt/tfvenv/bin/python")
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


# ---- data ---------------------------------------------------------------------------------------
def digits_28x28(count=6985, seed=0):
    """(images (count, 784) float32 in [0, 1], one-hot labels (count, 10) float32)."""
    from sklearn.datasets import load_digits
    digits = load_digits()
    m = resize_matrix(8, 20)
    small = np.einsum("ij,njk,lk->nil", m, digits.images / 16.0, m)  # (n, 20, 20)
    images, labels = [], []
    for dy, dx in ((0, 0), (-2, 0), (2, 0), (0, -2), (0, 2)):
        big = np.zeros((len(small), 28, 28))
        big[:, 4 + dy:24 + dy, 4 + dx:24 + dx] = small
        images.append(big)
        labels.append(digits.target)
    images, labels = np.concatenate(images), np.concatenate(labels)
    order = np.random.RandomState(seed).permutation(len(images))[:count]
    return (images[order].reshape(count, 784).astype(np.float32),
            np.eye(10, dtype=np.float32)[labels[order]])


def batches(x, y, size, epochs):
    """(epoch, i, batch_x, batch_y) in order: ceil(n / size) batches an epoch."""
    per_epoch = -(-len(x) // size)
    for epoch in range(epochs):
        for i in range(per_epoch):
            yield epoch, i, x[i * size:(i + 1) * size], y[i * size:(i + 1) * size]


# ---- the programs: each takes the TF1 module, its sizes and the data; returns the last loss -----
def logreg(tf, p, x_all, y_all, logdir):
    """Logistic regression 784->10, softmax, gradient descent 0.01, batch 100."""
    x = tf.placeholder(tf.float32, [None, 784])
    y = tf.placeholder(tf.float32, [None, 10])
    W = tf.Variable(tf.zeros([784, 10]))
    b = tf.Variable(tf.zeros([10]))
    pred = tf.nn.softmax(tf.matmul(x, W) + b)
    cost = tf.reduce_mean(-tf.reduce_sum(y * tf.log(pred), reduction_indices=1))
    train = tf.train.GradientDescentOptimizer(0.01).minimize(cost)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _, _, bx, by in batches(x_all, y_all, 100, p["epochs"]):
            _, c = sess.run([train, cost], feed_dict={x: bx, y: by})
    return float(c)


def _mlp(tf, x, sizes, activation=None):
    h = x
    for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        w = tf.Variable(tf.random_normal([n_in, n_out]), name=f"W{i + 1}")
        b = tf.Variable(tf.random_normal([n_out]), name=f"b{i + 1}")
        h = tf.add(tf.matmul(h, w), b)
        if activation is not None and i < len(sizes) - 2:
            h = activation(h)
    return h


def mlp(tf, p, x_all, y_all, logdir):
    """MLP 784-256-256-10 without hidden activations, Adam 0.001, batch 100."""
    x = tf.placeholder(tf.float32, [None, 784])
    y = tf.placeholder(tf.float32, [None, 10])
    logits = _mlp(tf, x, [784, 256, 256, 10])
    loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(logits=logits, labels=y))
    train = tf.train.AdamOptimizer(0.001).minimize(loss)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _, _, bx, by in batches(x_all, y_all, 100, p["epochs"]):
            _, c = sess.run([train, loss], feed_dict={x: bx, y: by})
    return float(c)


def gan(tf, p, x_all, y_all, logdir):
    """GAN: generator 100-256-784, discriminator 784-256-1, two Adams 2e-4, batch 128."""
    def glorot(shape):
        return tf.random_normal(shape=shape, stddev=1.0 / np.sqrt(shape[0] / 2.0))

    g_w = [tf.Variable(glorot([100, 256])), tf.Variable(glorot([256, 784]))]
    g_b = [tf.Variable(tf.zeros([256])), tf.Variable(tf.zeros([784]))]
    d_w = [tf.Variable(glorot([784, 256])), tf.Variable(glorot([256, 1]))]
    d_b = [tf.Variable(tf.zeros([256])), tf.Variable(tf.zeros([1]))]

    def generator(z):
        return tf.nn.sigmoid(tf.matmul(tf.nn.relu(tf.matmul(z, g_w[0]) + g_b[0]), g_w[1]) + g_b[1])

    def discriminator(v):
        return tf.nn.sigmoid(tf.matmul(tf.nn.relu(tf.matmul(v, d_w[0]) + d_b[0]), d_w[1]) + d_b[1])

    z = tf.placeholder(tf.float32, [None, 100])
    real = tf.placeholder(tf.float32, [None, 784])
    fake = generator(z)
    d_real, d_fake = discriminator(real), discriminator(fake)
    g_loss = -tf.reduce_mean(tf.log(d_fake))
    d_loss = -tf.reduce_mean(tf.log(d_real) + tf.log(1.0 - d_fake))
    train_g = tf.train.AdamOptimizer(2e-4).minimize(g_loss, var_list=g_w + g_b)
    train_d = tf.train.AdamOptimizer(2e-4).minimize(d_loss, var_list=d_w + d_b)
    rng = np.random.RandomState(0)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for step in range(p["steps"]):
            start = (step * 128) % (len(x_all) - 128)
            noise = rng.uniform(-1.0, 1.0, size=[128, 100]).astype(np.float32)
            _, _, gl, dl = sess.run([train_g, train_d, g_loss, d_loss],
                                    feed_dict={real: x_all[start:start + 128], z: noise})
    return float(gl + dl)


def mlp_summaries(tf, p, x_all, y_all, logdir):
    """MLP 784-256-256-10 ReLU, GD 0.01, batch 100; histograms of every weight, gradient and
    activation and two scalars each step, merge_all + FileWriter (TF1's tensorboard_advanced)."""
    x = tf.placeholder(tf.float32, [None, 784], name="InputData")
    y = tf.placeholder(tf.float32, [None, 10], name="LabelData")
    weights = {"w1": tf.Variable(tf.random_normal([784, 256]), name="W1"),
               "w2": tf.Variable(tf.random_normal([256, 256]), name="W2"),
               "w3": tf.Variable(tf.random_normal([256, 10]), name="W3")}
    biases = {"b1": tf.Variable(tf.random_normal([256]), name="b1"),
              "b2": tf.Variable(tf.random_normal([256]), name="b2"),
              "b3": tf.Variable(tf.random_normal([10]), name="b3")}
    layer_1 = tf.nn.relu(tf.add(tf.matmul(x, weights["w1"]), biases["b1"]))
    tf.summary.histogram("relu1", layer_1)
    layer_2 = tf.nn.relu(tf.add(tf.matmul(layer_1, weights["w2"]), biases["b2"]))
    tf.summary.histogram("relu2", layer_2)
    logits = tf.add(tf.matmul(layer_2, weights["w3"]), biases["b3"])
    with tf.name_scope("Loss"):
        loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(logits=logits, labels=y))
    with tf.name_scope("SGD"):
        optimizer = tf.train.GradientDescentOptimizer(0.01)
        grads = optimizer.compute_gradients(loss, tf.trainable_variables())
        apply_grads = optimizer.apply_gradients(grads)
    with tf.name_scope("Accuracy"):
        acc = tf.reduce_mean(tf.cast(tf.equal(tf.argmax(logits, 1), tf.argmax(y, 1)), tf.float32))
    tf.summary.scalar("loss", loss)
    tf.summary.scalar("accuracy", acc)
    for var in tf.trainable_variables():
        tf.summary.histogram(var.name.replace(":", "_"), var)
    for grad, var in grads:
        tf.summary.histogram(var.name.replace(":", "_") + "/gradient", grad)
    merged = tf.summary.merge_all()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        writer = tf.summary.FileWriter(logdir, graph=tf.get_default_graph())
        per_epoch = -(-len(x_all) // 100)
        for epoch, i, bx, by in batches(x_all, y_all, 100, p["epochs"]):
            _, c, summary = sess.run([apply_grads, loss, merged], feed_dict={x: bx, y: by})
            writer.add_summary(summary, epoch * per_epoch + i)
        writer.close()
    return float(c)


def cnn(tf, p, x_all, y_all, logdir):
    """Raw CNN: conv 5x5 1->32, max-pool 2, conv 5x5 32->64, max-pool 2, dense 3136->1024, dropout
    (keep 0.75), 10 out; Adam 0.001, batch 128 (TF1's convolutional_network_raw)."""
    x = tf.placeholder(tf.float32, [None, 784])
    y = tf.placeholder(tf.float32, [None, 10])
    keep_prob = tf.placeholder(tf.float32)
    w = {"wc1": tf.Variable(tf.random_normal([5, 5, 1, 32])),
         "wc2": tf.Variable(tf.random_normal([5, 5, 32, 64])),
         "wd1": tf.Variable(tf.random_normal([7 * 7 * 64, 1024])),
         "out": tf.Variable(tf.random_normal([1024, 10]))}
    b = {"bc1": tf.Variable(tf.random_normal([32])), "bc2": tf.Variable(tf.random_normal([64])),
         "bd1": tf.Variable(tf.random_normal([1024])), "out": tf.Variable(tf.random_normal([10]))}

    def conv(v, weights, bias):
        return tf.nn.relu(tf.nn.bias_add(tf.nn.conv2d(v, weights, strides=[1, 1, 1, 1], padding="SAME"), bias))

    def pool(v):
        return tf.nn.max_pool(v, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="SAME")

    h = pool(conv(tf.reshape(x, shape=[-1, 28, 28, 1]), w["wc1"], b["bc1"]))
    h = pool(conv(h, w["wc2"], b["bc2"]))
    h = tf.nn.relu(tf.add(tf.matmul(tf.reshape(h, [-1, 7 * 7 * 64]), w["wd1"]), b["bd1"]))
    h = tf.nn.dropout(h, keep_prob)
    logits = tf.add(tf.matmul(h, w["out"]), b["out"])
    loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(logits=logits, labels=y))
    train = tf.train.AdamOptimizer(0.001).minimize(loss)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for step in range(p["steps"]):
            start = (step * 128) % (len(x_all) - 128)
            _, c = sess.run([train, loss], feed_dict={x: x_all[start:start + 128], y: y_all[start:start + 128],
                                                      keep_prob: 0.75})
    return float(c)


PROGRAMS = {  # name: (function, full size, tiny size, what the table calls it)
    "logreg": (logreg, {"epochs": 25}, {"epochs": 1}, "logistic regression 784->10, GD, 25 epochs"),
    "mlp": (mlp, {"epochs": 15}, {"epochs": 1}, "MLP 784-256-256-10, Adam, 15 epochs"),
    "gan": (gan, {"steps": 3000}, {"steps": 3}, "GAN 100-256-784 / 784-256-1, 3000 steps"),
    "summaries": (mlp_summaries, {"epochs": 25}, {"epochs": 1}, "MLP ReLU + histograms each step, 25 epochs"),
    "cnn": (cnn, {"steps": 200}, {"steps": 2}, "raw CNN 32/64 conv, dense 1024, 200 steps"),
}


def run_one(tf, name, tiny, x_all, y_all):
    """Seconds and last loss of one program (tiny: the first 2 batches' worth of data an epoch)."""
    fn, full, small, _ = PROGRAMS[name]
    if tiny:
        x_all, y_all = x_all[:200], y_all[:200]
    tf.reset_default_graph()
    tf.set_random_seed(0)
    with tempfile.TemporaryDirectory() as logdir:
        start, cpu = time.perf_counter(), time.process_time()
        loss = fn(tf, small if tiny else full, x_all, y_all, logdir)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    # CPU seconds of all the process's threads: on a busy machine the scheduler shares the cores
    # by thread, so an engine running more threads gets more of them
    return {"program": name, "seconds": seconds, "cpu_seconds": cpu, "loss": loss}


def load_engine(engine):
    if engine == "tensorflow":
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
        import tensorflow.compat.v1 as tf
        tf.disable_v2_behavior()
        return tf
    import tfteach as tf
    return tf


# ---- load: busy processes beside the measurement -----------------------------------------------
def start_load(n, seconds):
    """n processes spinning on a core, each stopping by itself after `seconds`."""
    code = f"import time\nend = time.time() + {float(seconds)}\nwhile time.time() < end:\n    pass\n"
    return [subprocess.Popen([sys.executable, "-c", code]) for _ in range(n)]


def stop_load(procs):
    for proc in procs:
        proc.terminate()
    for proc in procs:
        proc.wait()


def child_main(args):
    """In the engine's own Python: run the programs on the data file, print one JSON line each."""
    tf = load_engine(args.engine)
    data = np.load(args.data)
    for name in args.names:
        print(json.dumps(run_one(tf, name, args.tiny, data["x"], data["y"])), flush=True)


def run_engine(engine, names, tiny, data_path):
    """The results of `names` on `engine`, each program in the engine's own subprocess (so one
    program's memory and threads do not carry over to the next)."""
    python = TF_PYTHON if engine == "tensorflow" else sys.executable
    results = []
    for name in names:
        cmd = [python, "-m", "benchmarks.programs", "--child", "--engine", engine, "--data", data_path,
               "--only", name] + (["--tiny"] if tiny else [])
        out = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT,
                             env=dict(os.environ, PYTHONPATH=ROOT, TF_CPP_MIN_LOG_LEVEL="3"))
        if out.returncode != 0:
            results.append({"program": name, "error": out.stderr.strip().splitlines()[-1:]})
            continue
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    return results


def main(argv=None, out=sys.stdout):
    parser = argparse.ArgumentParser(prog="python -m benchmarks.programs", description=__doc__.split("\n")[0])
    parser.add_argument("--engine", choices=["tfteach", "tensorflow", "both"], default="both",
                        help="both: tfteach, and TensorFlow when its venv exists")
    parser.add_argument("--only", default="", help=f"comma-separated programs: {', '.join(PROGRAMS)}")
    parser.add_argument("--tiny", action="store_true", help="a few steps of each (the timings mean nothing)")
    parser.add_argument("--load", type=int, default=0, metavar="N", help="N busy processes beside the run")
    parser.add_argument("--load-seconds", type=float, default=1800, help="the busy processes' own time limit")
    parser.add_argument("--json", metavar="PATH", help="also write the results as JSON")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--data", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.names = [n.strip() for n in args.only.split(",") if n.strip()] or list(PROGRAMS)
    unknown = [n for n in args.names if n not in PROGRAMS]
    if unknown:
        parser.error(f"unknown program(s) {', '.join(unknown)}; known: {', '.join(PROGRAMS)}")
    if args.child:
        child_main(args)
        return 0
    engines = ["tfteach", "tensorflow"] if args.engine == "both" else [args.engine]
    if args.engine == "both" and not os.path.exists(TF_PYTHON):
        engines = ["tfteach"]
    x, y = digits_28x28()
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        data_path = os.path.join(tmp, "digits.npz")
        np.savez(data_path, x=x, y=y)
        load = start_load(args.load, args.load_seconds)
        try:
            print(f"load average at start {os.getloadavg()[0]:.2f}; {args.load} busy processes; "
                  f"{len(os.sched_getaffinity(0))} CPUs", file=out)
            for engine in engines:
                results[engine] = run_engine(engine, args.names, args.tiny, data_path)
            print(f"load average at end {os.getloadavg()[0]:.2f}", file=out)
        finally:
            stop_load(load)
    status = 0
    print(f"{'program':12s} " + " ".join(f"{e + ' s (CPU s)':>15s}" for e in engines) + "  last loss", file=out)
    for i, name in enumerate(args.names):
        cells, losses = [], []
        for engine in engines:
            r = results[engine][i]
            if "error" in r:
                status = 1
                cells.append(f"{'FAILED':>15s}")
                losses.append(f"{engine}: {r['error']}")
            else:
                cells.append(f"{r['seconds']:7.2f} ({r['cpu_seconds']:5.1f})")
                losses.append(f"{r['loss']:.4g}")
                status |= not np.isfinite(r["loss"])
        print(f"{name:12s} " + " ".join(cells) + "  " + " / ".join(losses), file=out)
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"load": args.load, "tiny": args.tiny, "results": results}, f, indent=1)
    return status


if __name__ == "__main__":
    sys.exit(main())
