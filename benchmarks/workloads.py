"""The workloads W1-W7, each written once against the TF1 graph API (`tf` is an argument: tfteach
or tensorflow.compat.v1) and once by hand in numpy (forward, manual backward, in-place update,
float32).

The engine side is the learners' code, as the seeds write it; the numpy side is the plain numpy
a person would write for the same computation. The numpy side was written before any engine
optimization and must not be tuned to the engine: it is the floor the engine is measured
against.

Each workload has `full` and `tiny` parameters (steps per repeat, repeats, warm-up steps, sizes);
`data(p)` builds the inputs both sides share (float32, from a fixed RandomState); `engine(tf, p,
data)` and `numpy(p, data)` return a harness.Side. W6 (graph building) is measured differently:
see W6.measure.
"""
import gc
import statistics
import time

import numpy as np

from .harness import Side, compare, log_log_slope

F32 = np.float32


def batch_generator(X, y, batch_size):
    """Seed 002's generator: consecutive batches, wrapping around (In [68])."""
    total_batches = len(X) // batch_size
    current_batch = 0
    while True:
        start = batch_size * current_batch
        end = start + batch_size
        yield (X[start:end], y[start:end])
        current_batch = (current_batch + 1) % total_batches


def session_side(sess, init, run, result):
    return Side(run, reset=lambda: sess.run(init), result=result, close=sess.close)


class Workload:
    id = ""
    title = ""
    full = {}
    tiny = {}
    tolerance = {"rtol": 1e-5, "atol": 1e-6}
    memory = False  # print tracemalloc growth step over step

    def params(self, tiny=False, **overrides):
        p = dict(self.tiny if tiny else self.full)
        p.update({k: v for k, v in overrides.items() if v is not None})
        return p

    def data(self, p):
        return None


# ---------------------------------------------------------------------------------------------
class W1(Workload):
    id = "W1"
    title = "seed neuron (w*x-0)**2, run(train_step)"
    full = {"steps": 100, "repeats": 41, "warmup": 100}
    tiny = {"steps": 5, "repeats": 2, "warmup": 2}

    def engine(self, tf, p, data):
        tf.reset_default_graph()
        x = tf.constant(1.0, name='input')
        w = tf.Variable(0.8, name='weight')
        y = tf.multiply(w, x, name='output')
        y_ = tf.constant(0.0)
        loss = (y - y_) ** 2
        train_step = tf.train.GradientDescentOptimizer(0.025).minimize(loss)
        init = tf.global_variables_initializer()
        sess = tf.Session()

        def run(steps):
            for _ in range(steps):
                sess.run(train_step)

        return session_side(sess, init, run,
                            lambda: dict(zip(("w", "loss"), sess.run([w, loss]))))

    def numpy(self, p, data):
        x = np.array(1.0, F32)
        y_ = np.array(0.0, F32)
        lr = F32(0.025)
        weight = np.array(0.8, F32)

        def reset():
            weight[...] = 0.8

        def run(steps):
            w = weight
            for _ in range(steps):
                y = w * x                   # forward
                diff = y - y_
                loss = diff ** 2            # noqa: F841 (the forward computes it; nobody fetches it)
                grad_y = 2 * diff           # backward
                grad_w = grad_y * x
                w -= lr * grad_w            # in-place update

        def result():
            return {"w": weight.copy(), "loss": (weight * x - y_) ** 2}

        return Side(run, reset, result)


# ---------------------------------------------------------------------------------------------
class W2(Workload):
    id = "W2"
    title = "x*x, fetch {'x','loss','train_op'}"
    full = {"steps": 100, "repeats": 41, "warmup": 100}
    tiny = {"steps": 5, "repeats": 2, "warmup": 2}

    def engine(self, tf, p, data):
        tf.reset_default_graph()
        x = tf.Variable(5.0)
        loss = x * x
        minimize_loss = tf.train.GradientDescentOptimizer(learning_rate=0.01).minimize(loss)
        initialize_all = tf.global_variables_initializer()
        sess = tf.Session()
        to_fetch = {'x': x, 'loss': loss, 'train_op': minimize_loss}

        def run(steps):
            for i in range(steps):
                fetched = sess.run(to_fetch)  # noqa: F841

        return session_side(sess, initialize_all, run,
                            lambda: dict(zip(("x", "loss"), sess.run([x, loss]))))

    def numpy(self, p, data):
        lr = F32(0.01)
        variable = np.array(5.0, F32)

        def reset():
            variable[...] = 5.0

        def run(steps):
            x = variable
            for i in range(steps):
                loss = x * x                                 # forward
                grad_x = 2 * x                               # backward
                fetched = {'x': x[()], 'loss': loss, 'train_op': None}  # noqa: F841
                x -= lr * grad_x                             # in-place update

        def result():
            return {"x": variable.copy(), "loss": variable * variable}

        return Side(run, reset, result)


# ---------------------------------------------------------------------------------------------
class W3(Workload):
    id = "W3"
    title = "seed-002 linear regression, feed_dict"
    full = {"steps": 5000, "repeats": 7, "warmup": 500, "points": 1000, "train": 800, "batch": 100}
    tiny = {"steps": 20, "repeats": 2, "warmup": 5, "points": 100, "train": 80, "batch": 10}
    tolerance = {"rtol": 1e-4, "atol": 1e-3}

    def data(self, p):
        rs = np.random.RandomState(2)
        temps = rs.normal(55, 20, p["points"])
        random_noise = rs.normal(0, 100, p["points"])
        hosp_visits = 1000 - 5 * temps + random_noise
        normalized_temps = (temps - np.mean(temps)) / np.std(temps)
        n = p["train"]
        return normalized_temps[:n].astype(F32), hosp_visits[:n].astype(F32)

    def engine(self, tf, p, data):
        train_X, train_y = data
        tf.reset_default_graph()
        X = tf.placeholder(tf.float32)
        y = tf.placeholder(tf.float32)
        m = tf.Variable(0.)
        b = tf.Variable(0.)
        predicted_y = X * m + b
        avg_loss = tf.reduce_mean(tf.squared_difference(predicted_y, y))
        train_one_step = tf.train.GradientDescentOptimizer(learning_rate=0.0005).minimize(avg_loss)
        init_all_vars = tf.global_variables_initializer()
        sess = tf.Session()
        state = {}

        def reset():
            sess.run(init_all_vars)
            state["generator"] = batch_generator(train_X, train_y, batch_size=p["batch"])

        def run(steps):
            training_generator = state["generator"]
            for i in range(steps):
                X_batch, y_batch = next(training_generator)
                feed_dict = {X: X_batch, y: y_batch}
                _, loss, m_pred, b_pred = sess.run([train_one_step, avg_loss, m, b], feed_dict=feed_dict)
            state["loss"] = loss

        def result():
            m_val, b_val = sess.run([m, b])
            return {"m": m_val, "b": b_val, "last loss": state["loss"]}

        return Side(run, reset, result, sess.close)

    def numpy(self, p, data):
        train_X, train_y = data
        lr = F32(0.0005)
        two_over_n = F32(2.0 / p["batch"])
        slope, intercept = np.array(0.0, F32), np.array(0.0, F32)
        state = {}

        def reset():
            slope[...] = 0.0
            intercept[...] = 0.0
            state["generator"] = batch_generator(train_X, train_y, batch_size=p["batch"])

        def run(steps):
            training_generator = state["generator"]
            m, b = slope, intercept
            for i in range(steps):
                X_batch, y_batch = next(training_generator)
                predicted_y = X_batch * m + b                      # forward
                diff = predicted_y - y_batch
                loss = np.mean(diff * diff)
                grad_pred = diff * two_over_n                      # backward
                grad_m = np.sum(grad_pred * X_batch)
                grad_b = np.sum(grad_pred)
                m_pred, b_pred = m[()], b[()]                      # noqa: F841 (fetched)
                m -= lr * grad_m                                   # in-place update
                b -= lr * grad_b
            state["loss"] = loss

        def result():
            return {"m": slope.copy(), "b": intercept.copy(), "last loss": state["loss"]}

        return Side(run, reset, result)


# ---------------------------------------------------------------------------------------------
class TwoLayerNet(Workload):
    """Seed 001's 2-layer net (In: "optimizer"): h = maximum(x @ w1, 0), y_pred = h @ w2,
    loss = reduce_mean(reduce_sum((y_pred - y)**2, axis=1)), GradientDescentOptimizer,
    fetch [loss, train_op] with the same feed_dict every step."""
    memory = True
    tolerance = {"rtol": 2e-3, "atol": 1e-2}

    def data(self, p):
        N, D, H = p["N"], p["D"], p["H"]
        rs = np.random.RandomState(1)
        x = rs.randn(N, D).astype(F32)
        y = rs.randn(N, D).astype(F32)
        w1 = rs.randn(D, H) * (D ** -0.5 if p["scaled_init"] else 1.0)
        w2 = rs.randn(H, D) * (H ** -0.5 if p["scaled_init"] else 1.0)
        return x, y, w1.astype(F32), w2.astype(F32)

    def engine(self, tf, p, data):
        x_data, y_data, w1_init, w2_init = data
        N, D = p["N"], p["D"]
        tf.reset_default_graph()
        x = tf.placeholder(tf.float32, shape=(N, D))
        y = tf.placeholder(tf.float32, shape=(N, D))
        w1 = tf.Variable(w1_init)
        w2 = tf.Variable(w2_init)

        h = tf.maximum(tf.matmul(x, w1), 0)
        y_pred = tf.matmul(h, w2)
        diff = y_pred - y
        loss = tf.reduce_mean(tf.reduce_sum(diff ** 2, axis=1))

        optimizer = tf.train.GradientDescentOptimizer(p["lr"])
        weight_updates = optimizer.minimize(loss)
        init = tf.global_variables_initializer()
        sess = tf.Session()
        values = {x: x_data, y: y_data}
        losses = []

        def reset():
            sess.run(init)
            losses.clear()

        def run(steps):
            for t in range(steps):
                loss_val, _ = sess.run([loss, weight_updates], feed_dict=values)
                losses.append(loss_val)

        def result():
            w1_val, w2_val = sess.run([w1, w2])
            return {"losses": np.array(losses), "w1": w1_val, "w2": w2_val}

        return Side(run, reset, result, sess.close, forget=losses.clear)

    def numpy(self, p, data):
        x, y, w1_init, w2_init = data
        lr = F32(p["lr"])
        two_over_n = F32(2.0 / p["N"])
        w1_state, w2_state = w1_init.copy(), w2_init.copy()
        losses = []

        def reset():
            w1_state[...] = w1_init
            w2_state[...] = w2_init
            losses.clear()

        def run(steps):
            w1, w2 = w1_state, w2_state
            for t in range(steps):
                h_pre = x @ w1                                     # forward
                h = np.maximum(h_pre, 0)
                y_pred = h @ w2
                diff = y_pred - y
                loss = np.mean(np.sum(diff ** 2, axis=1))
                grad_y_pred = diff * two_over_n                    # backward
                grad_w2 = h.T @ grad_y_pred
                grad_h = grad_y_pred @ w2.T
                grad_h[h_pre < 0] = 0
                grad_w1 = x.T @ grad_h
                w1 -= lr * grad_w1                                 # in-place update
                w2 -= lr * grad_w2
                losses.append(loss)

        def result():
            return {"losses": np.array(losses), "w1": w1_state.copy(), "w2": w2_state.copy()}

        return Side(run, reset, result, forget=losses.clear)


class W4(TwoLayerNet):
    id = "W4"
    title = "seed-001 net 64x1000x100, [loss, train]"
    full = {"steps": 50, "repeats": 21, "warmup": 10, "mem_settle": 100, "mem_steps": 50,
            "N": 64, "D": 1000, "H": 100, "lr": 1e-5, "scaled_init": False}
    tiny = {"steps": 3, "repeats": 2, "warmup": 1, "mem_settle": 2, "mem_steps": 3,
            "N": 8, "D": 20, "H": 6, "lr": 1e-3, "scaled_init": False}


class W7(TwoLayerNet):
    id = "W7"
    title = "net 256x1024x1024 relu (BLAS-bound)"
    full = {"steps": 10, "repeats": 7, "warmup": 2, "mem_settle": 10, "mem_steps": 10,
            "N": 256, "D": 1024, "H": 1024, "lr": 1e-3, "scaled_init": True}
    tiny = {"steps": 2, "repeats": 2, "warmup": 1, "mem_settle": 2, "mem_steps": 3,
            "N": 16, "D": 32, "H": 32, "lr": 1e-3, "scaled_init": True}


# ---------------------------------------------------------------------------------------------
class W5(Workload):
    """Seed 003's softmax regression (x: [None, 784], W, b zeros, GD 0.5, accuracy op), with the
    loss as tf.nn.softmax_cross_entropy_with_logits_v2 and synthetic MNIST-like data."""
    id = "W5"
    title = "softmax regression 784->10, batch 100"
    full = {"steps": 200, "repeats": 21, "warmup": 50, "features": 784, "classes": 10,
            "examples": 1000, "batch": 100, "every": 50}
    tiny = {"steps": 6, "repeats": 2, "warmup": 2, "features": 20, "classes": 3,
            "examples": 40, "batch": 10, "every": 3}
    tolerance = {"rtol": 1e-3, "atol": 1e-4}

    def data(self, p):
        rs = np.random.RandomState(3)
        features, classes, n = p["features"], p["classes"], p["examples"]
        # Like MNIST pixels: values in [0, 1], a fifth of them lit per class template, noisy.
        templates = rs.rand(classes, features) * (rs.rand(classes, features) < 0.2)
        labels = rs.randint(classes, size=n)
        images = np.clip(templates[labels] + 0.3 * rs.randn(n, features), 0, 1)
        one_hot = np.eye(classes)[labels]
        return images.astype(F32), one_hot.astype(F32)

    def engine(self, tf, p, data):
        images, labels = data
        tf.reset_default_graph()
        x = tf.placeholder(tf.float32, [None, p["features"]])
        W = tf.Variable(tf.zeros([p["features"], p["classes"]]))
        b = tf.Variable(tf.zeros([p["classes"]]))
        logits = tf.matmul(x, W) + b
        y_ = tf.placeholder(tf.float32, [None, p["classes"]])
        loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=y_, logits=logits))
        train_op = tf.train.GradientDescentOptimizer(0.5).minimize(loss)
        correct_prediction = tf.equal(tf.argmax(logits, 1), tf.argmax(y_, 1))
        accuracy = tf.reduce_mean(tf.cast(correct_prediction, tf.float32))
        init = tf.global_variables_initializer()
        sess = tf.Session()
        every = p["every"]
        state = {}

        def reset():
            sess.run(init)
            state["data"] = batch_generator(images, labels, p["batch"])
            state["accuracy"] = []

        def run(steps):
            data, accuracies = state["data"], state["accuracy"]
            for step in range(steps):
                batch_x, batch_y = next(data)
                batch = {x: batch_x, y_: batch_y}
                sess.run(train_op, batch)
                if step % every == 0:
                    accuracies.append(sess.run(accuracy, batch))

        def result():
            W_val, b_val = sess.run([W, b])
            return {"W": W_val, "b": b_val, "accuracy": np.array(state["accuracy"])}

        return Side(run, reset, result, sess.close)

    def numpy(self, p, data):
        images, labels = data
        lr = F32(0.5)
        inv_n = F32(1.0 / p["batch"])
        weights = np.zeros((p["features"], p["classes"]), F32)
        biases = np.zeros(p["classes"], F32)
        every = p["every"]
        state = {}

        def reset():
            weights[...] = 0
            biases[...] = 0
            state["data"] = batch_generator(images, labels, p["batch"])
            state["accuracy"] = []

        def run(steps):
            data, accuracies = state["data"], state["accuracy"]
            W, b = weights, biases
            for step in range(steps):
                batch_x, batch_y = next(data)
                logits = batch_x @ W + b                                    # forward
                shifted = logits - logits.max(axis=1, keepdims=True)
                exp = np.exp(shifted)
                sum_exp = exp.sum(axis=1, keepdims=True)
                loss = np.mean(np.log(sum_exp[:, 0]) - (batch_y * shifted).sum(axis=1))  # noqa: F841
                grad_logits = (exp / sum_exp - batch_y) * inv_n             # backward (one-hot rows)
                grad_W = batch_x.T @ grad_logits
                grad_b = grad_logits.sum(axis=0)
                W -= lr * grad_W                                            # in-place update
                b -= lr * grad_b
                if step % every == 0:
                    correct = np.argmax(batch_x @ W + b, 1) == np.argmax(batch_y, 1)
                    accuracies.append(np.mean(correct.astype(F32)))

        def result():
            return {"W": weights.copy(), "b": biases.copy(), "accuracy": np.array(state["accuracy"])}

        return Side(run, reset, result)


# ---------------------------------------------------------------------------------------------
class W6(Workload):
    """Graph building: n links of `y = y*1.001 + 0.1` from a scalar placeholder x, then
    tf.gradients(y, x); the build time per link (forward, gradient), the session's first run
    and its later runs, and whether the build time grows linearly in n."""
    id = "W6"
    title = "graph building: n links, tf.gradients"
    full = {"ns": (1000, 2000, 4000), "repeats": 5, "runs": 5}
    tiny = {"ns": (10, 20, 40), "repeats": 1, "runs": 2}
    tolerance = {"rtol": 1e-4, "atol": 1e-6}

    @staticmethod
    def build(tf, n):
        """(x, y, grad, seconds forward, seconds gradient, ops forward, ops gradient)."""
        tf.reset_default_graph()
        graph = tf.get_default_graph()
        start = time.perf_counter()
        x = tf.placeholder(tf.float32, shape=[])
        y = x
        for _ in range(n):
            y = y * 1.001 + 0.1
        built = time.perf_counter()
        ops_forward = len(graph.get_operations())
        start_gradient = time.perf_counter()
        grad = tf.gradients(y, x)[0]
        done = time.perf_counter()
        ops_gradient = len(graph.get_operations()) - ops_forward
        return x, y, grad, built - start, done - start_gradient, ops_forward, ops_gradient

    @staticmethod
    def reference(n, x=1.0):
        """The same chain and its derivative in numpy float32, in the order the graph does it."""
        y, g = F32(x), F32(1.0)
        a, c = F32(1.001), F32(0.1)
        for _ in range(n):
            y = y * a + c
            g = g * a
        return y, g

    def once(self, tf, n, runs, keep_gc=False):
        """Build the chain of n links, then run it: (seconds forward, gradient, first run, median
        later run), op counts, the values of the first and the last run."""
        gc.collect()
        was_enabled = gc.isenabled()
        if not keep_gc:
            gc.disable()
        try:
            x, y, grad, t_fwd, t_grad, ops_fwd, ops_grad = self.build(tf, n)
            sess = tf.Session()
            start = time.perf_counter()
            first = sess.run([y, grad], {x: 1.0})
            t_first = time.perf_counter() - start
            later, last = [], first
            for _ in range(runs):
                start = time.perf_counter()
                last = sess.run([y, grad], {x: 1.0})
                later.append(time.perf_counter() - start)
            sess.close()
        finally:
            if was_enabled:
                gc.enable()
        times = (t_fwd, t_grad, t_first, statistics.median(later) if later else float("nan"))
        return times, (ops_fwd, ops_grad), (first, last)

    def measure(self, tf, p, keep_gc=False):
        """The sizes take turns (n1, n2, n3, n1, n2, n3, ...), so that a busy spell on the machine
        does not fall on one size only. Each figure is the best (minimum) over the repeats: a
        build is a one-off cost, and on a shared machine the minimum is its steadiest estimate."""
        ns = list(p["ns"])
        samples = {n: [] for n in ns}
        ops, numpy_loop = {}, {}
        check = {"ok": True, "worst": 0.0, "where": None}
        for _ in range(p["repeats"]):
            for n in ns:
                times, ops[n], values = self.once(tf, n, p["runs"], keep_gc)
                samples[n].append(times)
                start = time.perf_counter()
                ref = self.reference(n)
                numpy_loop[n] = time.perf_counter() - start
                for got in values:
                    ok, worst, _ = compare({"y": got[0], "grad": got[1]},
                                           {"y": ref[0], "grad": ref[1]}, **self.tolerance)
                    check["ok"] = check["ok"] and ok
                    if worst >= check["worst"]:
                        check["worst"], check["where"] = worst, f"n={n}"
        rows = []
        for n in ns:
            med = [min(s[i] for s in samples[n]) for i in range(4)]
            rows.append({"n": n, "forward": med[0], "gradient": med[1], "first_run": med[2],
                         "later_run": med[3], "ops_forward": ops[n][0], "ops_gradient": ops[n][1],
                         "numpy_loop": numpy_loop[n], "samples": samples[n]})
        growth = {k: log_log_slope(ns, [r[k] for r in rows])
                  for k in ("forward", "gradient", "first_run", "later_run")}
        return {"rows": rows, "growth": growth, "check": check}


WORKLOADS = [W1(), W2(), W3(), W4(), W5(), W6(), W7()]
BY_ID = {w.id: w for w in WORKLOADS}
