"""File size and write time of 1,000 scalar steps: `python benchmarks/bench_event_writer.py`.

Three loops: one scalar per step through a Session (the seeds' pattern), the same written
from prebuilt tf.Summary objects (the writer alone), and the seed's five merged scalars.
"""
import os
import tempfile
import time

import tfteach as tf
from tfteach import events


def size(logdir):
    return sum(os.path.getsize(p) for p in events.event_files(logdir))


def timed(label, logdir, loop):
    start = time.perf_counter()
    loop()
    seconds = time.perf_counter() - start
    print(f"{label:48s} {size(logdir):8d} bytes  {seconds * 1000:7.1f} ms  "
          f"({seconds * 1e6 / 1000:5.1f} us/step)")


def main(steps=1000):
    with tempfile.TemporaryDirectory() as root:
        tf.reset_default_graph()
        loss = tf.placeholder(tf.float32, name="loss")
        summary = tf.summary.scalar("loss", loss)
        sess = tf.Session()
        logdir = os.path.join(root, "one")

        def one_scalar_via_session():
            with tf.summary.FileWriter(logdir) as writer:
                for i in range(steps):
                    writer.add_summary(sess.run(summary, {loss: 1.0 / (i + 1)}), i)
        timed("1 scalar/step, sess.run + add_summary", logdir, one_scalar_via_session)

        prebuilt = [tf.Summary(value=[tf.Summary.Value(tag="loss", simple_value=1.0 / (i + 1))])
                    for i in range(steps)]
        logdir = os.path.join(root, "writer")

        def writer_only():
            with tf.summary.FileWriter(logdir) as writer:
                for i, s in enumerate(prebuilt):
                    writer.add_summary(s, i)
        timed("1 scalar/step, add_summary only", logdir, writer_only)

        tf.reset_default_graph()
        x = tf.constant(1.0, name='input')
        w = tf.Variable(0.8, name='weight')
        y = tf.multiply(w, x, name='output')
        y_ = tf.constant(0.0, name='correct_value')
        loss = tf.pow(y - y_, 2, name='loss')
        train_step = tf.train.GradientDescentOptimizer(0.025).minimize(loss)
        for value in [x, w, y, y_, loss]:
            tf.summary.scalar(value.op.name, value)
        summaries = tf.summary.merge_all()
        session = tf.Session()
        logdir = os.path.join(root, "seed")

        def seed_loop():
            with tf.summary.FileWriter(logdir, session.graph) as writer:
                session.run(tf.global_variables_initializer())
                for i in range(steps):
                    writer.add_summary(session.run(summaries), i)
                    session.run(train_step)
        timed("seed 000: 5 merged scalars/step + graph + train", logdir, seed_loop)


if __name__ == "__main__":
    main()
