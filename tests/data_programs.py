"""Input-pipeline programs in the style of TF1 course labs, written once with `tf` as an
argument: run on tfteach by tests/test_data_programs.py and on real TensorFlow by
tests/fixtures/make_data_programs.py (which stores TF's results in data_programs.json).

1. `csv_queue_regression`: a CSV file read through string_input_producer, TextLineReader,
   decode_csv and tf.train.batch, with a Coordinator and queue runners, trains a linear
   regression until the last epoch raises OutOfRangeError.
2. `tfrecord_dataset_classifier`: points written to a TFRecord file as tf.train.Examples,
   read back with tf.data (TFRecordDataset, map(parse_single_example), shuffle, repeat,
   batch, one-shot iterator), train a softmax classifier until OutOfRangeError.
Both seed their data with numpy; the reported loss and accuracy are on the whole data set.
"""
import os

import numpy as np

CSV_ROWS, CSV_EPOCHS, CSV_BATCH, CSV_LR = 200, 5, 20, 0.1
REC_ROWS, REC_EPOCHS, REC_BATCH, REC_LR, REC_SEED = 300, 10, 30, 0.5, 1


def _csv_data():
    rng = np.random.RandomState(0)
    x = np.round(rng.uniform(-1, 1, size=(CSV_ROWS, 2)), 3)
    y = np.round(3.0 * x[:, 0] - 2.0 * x[:, 1] + 0.5 + rng.normal(0, 0.1, CSV_ROWS), 3)
    return x, y


def csv_queue_regression(tf, workdir):
    """Linear regression on a CSV file through a queue pipeline. Returns steps, loss, w, b."""
    x_all, y_all = _csv_data()
    path = os.path.join(workdir, "points.csv")
    with open(path, "w") as f:
        f.write("x1,x2,y\n")
        for (a, b), t in zip(x_all, y_all):
            f.write(f"{a},{b},{t}\n")

    tf.reset_default_graph()
    filename_queue = tf.train.string_input_producer([path], num_epochs=CSV_EPOCHS, shuffle=False)
    reader = tf.TextLineReader(skip_header_lines=1)
    _, line = reader.read(filename_queue)
    x1, x2, label = tf.decode_csv(line, record_defaults=[[0.0], [0.0], [0.0]])
    features = tf.stack([x1, x2])
    x_batch, y_batch = tf.train.batch([features, label], batch_size=CSV_BATCH)

    w = tf.Variable(tf.zeros([2, 1]), name="w")
    b = tf.Variable(0.0, name="b")
    pred = tf.squeeze(tf.matmul(x_batch, w), axis=1) + b
    loss = tf.reduce_mean(tf.square(pred - y_batch))
    train = tf.train.GradientDescentOptimizer(CSV_LR).minimize(loss)
    full_loss = tf.reduce_mean(tf.square(tf.squeeze(tf.matmul(tf.constant(x_all, tf.float32), w), axis=1) + b
                                         - tf.constant(y_all, tf.float32)))

    steps = 0
    with tf.Session() as sess:
        sess.run([tf.global_variables_initializer(), tf.local_variables_initializer()])
        coord = tf.train.Coordinator()
        threads = tf.train.start_queue_runners(sess=sess, coord=coord)
        try:
            while not coord.should_stop():
                sess.run(train)
                steps += 1
        except tf.errors.OutOfRangeError:
            pass
        finally:
            coord.request_stop()
        coord.join(threads)
        final, w_value, b_value = sess.run([full_loss, w, b])
    return {"steps": steps, "loss": float(final), "w": w_value.ravel().tolist(), "b": float(b_value)}


def _blobs():
    rng = np.random.RandomState(1)
    centers = np.array([[0.0, 1.5], [1.5, -1.0], [-1.5, -1.0]])
    labels = rng.randint(0, 3, size=REC_ROWS)
    points = np.round(centers[labels] + rng.normal(0, 0.7, size=(REC_ROWS, 2)), 3)
    return points, labels


def tfrecord_dataset_classifier(tf, workdir):
    """Softmax regression on points stored as tf.train.Examples. Returns steps, loss, accuracy."""
    points, labels = _blobs()
    path = os.path.join(workdir, "points.tfrecord")
    with tf.io.TFRecordWriter(path) as writer:
        for p, c in zip(points, labels):
            example = tf.train.Example(features=tf.train.Features(feature={
                "point": tf.train.Feature(float_list=tf.train.FloatList(value=p.tolist())),
                "label": tf.train.Feature(int64_list=tf.train.Int64List(value=[int(c)]))}))
            writer.write(example.SerializeToString())

    tf.reset_default_graph()

    def parse(record):
        parsed = tf.io.parse_single_example(record, {
            "point": tf.io.FixedLenFeature([2], tf.float32),
            "label": tf.io.FixedLenFeature([], tf.int64)})
        return parsed["point"], parsed["label"]

    dataset = tf.data.TFRecordDataset(path).map(parse).shuffle(REC_ROWS, seed=REC_SEED) \
        .repeat(REC_EPOCHS).batch(REC_BATCH).prefetch(1)
    x, y = tf.data.make_one_shot_iterator(dataset).get_next()

    w = tf.Variable(tf.zeros([2, 3]), name="w")
    b = tf.Variable(tf.zeros([3]), name="b")
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=tf.matmul(x, w) + b))
    train = tf.train.GradientDescentOptimizer(REC_LR).minimize(loss)

    all_x = tf.constant(points, tf.float32)
    all_logits = tf.matmul(all_x, w) + b
    full_loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(
        labels=tf.constant(labels, tf.int64), logits=all_logits))
    accuracy = tf.reduce_mean(tf.cast(tf.equal(tf.argmax(all_logits, 1), tf.constant(labels, tf.int64)), tf.float32))

    steps = 0
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        while True:
            try:
                sess.run(train)
                steps += 1
            except tf.errors.OutOfRangeError:
                break
        final_loss, final_accuracy = sess.run([full_loss, accuracy])
    return {"steps": steps, "loss": float(final_loss), "accuracy": float(final_accuracy)}


PROGRAMS = {"csv_queue_regression": csv_queue_regression, "tfrecord_dataset_classifier": tfrecord_dataset_classifier}
