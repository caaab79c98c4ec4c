"""The augmentation lab (issue #23 part C), a TF1 program written once with `tf` as an argument:
run on tfteach by tests/test_image_programs.py and on real TensorFlow by
tests/fixtures/make_image_programs.py, which writes tests/fixtures/image_programs.json.

With `augment="random"` it is the course lab as written (random flips, brightness and contrast):
TF's random numbers cannot be drawn by numpy, so those runs are compared by what they learn.
With `augment="fixed"` every random choice is made by numpy and fed (a flip mask, a brightness
delta, a contrast factor, through the same tf.image functions' deterministic forms), so the two
engines must agree step by step.
"""
import numpy as np


def digits(n_train=512):
    """The 8x8 digits as (x_train, y_train, x_test, y_test), images (N, 8, 8, 1) in [0, 1]."""
    from rnn_programs import load_digits
    x_train, y_train, x_test, y_test = load_digits()
    return x_train[:n_train, :, :, None], y_train[:n_train], x_test[:, :, :, None], y_test


def augmentation_lab(tf, x_train, y_train, x_test, y_test, augment="random", steps=150, batch_size=32,
                     learning_rate=0.1, seed=0, logdir=None):
    """Augment 8x8 digits with tf.image (flip, brightness, contrast, resize to 16x16), train a
    one-hidden-layer classifier on them, and report the losses and the test accuracy."""
    rng = np.random.RandomState(seed)
    tf.set_random_seed(seed)

    images = tf.placeholder(tf.float32, [None, 8, 8, 1], name='images')
    labels = tf.placeholder(tf.int64, [None], name='labels')
    flip_mask = tf.placeholder(tf.float32, [None, 1, 1, 1], name='flip_mask')
    delta = tf.placeholder(tf.float32, [], name='delta')
    factor = tf.placeholder(tf.float32, [], name='factor')

    with tf.name_scope('augment'):
        if augment == "random":
            flipped = tf.image.random_flip_left_right(images, seed=1)
            brighter = tf.image.random_brightness(flipped, max_delta=0.2, seed=2)
            contrasted = tf.image.random_contrast(brighter, 0.7, 1.3, seed=3)
        else:
            # random_flip_left_right's own formula for a batch, with the coins fed
            flipped = flip_mask * tf.image.flip_left_right(images) + (1 - flip_mask) * images
            brighter = tf.image.adjust_brightness(flipped, delta)
            contrasted = tf.image.adjust_contrast(brighter, factor)
        clipped = tf.clip_by_value(contrasted, 0.0, 1.0)
        train_images = tf.image.resize_images(clipped, [16, 16])
    test_images = tf.image.resize_images(images, [16, 16])
    tf.summary.image('augmented', train_images, max_outputs=4)

    w1 = tf.Variable((rng.randn(256, 32) * 0.1).astype(np.float32), name='w1')
    b1 = tf.Variable(tf.zeros([32]), name='b1')
    w2 = tf.Variable((rng.randn(32, 10) * 0.1).astype(np.float32), name='w2')
    b2 = tf.Variable(tf.zeros([10]), name='b2')

    def classifier(x):
        hidden = tf.nn.relu(tf.matmul(tf.reshape(x, [-1, 256]), w1) + b1)
        return tf.matmul(hidden, w2) + b2

    logits = classifier(train_images)
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits))
    tf.summary.scalar('loss', loss)
    train_op = tf.train.GradientDescentOptimizer(learning_rate).minimize(loss)
    correct = tf.equal(tf.argmax(classifier(test_images), 1), labels)
    accuracy = tf.reduce_mean(tf.cast(correct, tf.float32))
    merged = tf.summary.merge_all()

    losses = []
    with tf.Session() as sess:
        writer = tf.summary.FileWriter(logdir, sess.graph) if logdir else None
        sess.run(tf.global_variables_initializer())
        for step in range(steps):
            idx = rng.randint(0, len(x_train), batch_size)
            feed = {images: x_train[idx], labels: y_train[idx],
                    flip_mask: (rng.rand(batch_size, 1, 1, 1) < 0.5).astype(np.float32),
                    delta: np.float32(rng.uniform(-0.2, 0.2)), factor: np.float32(rng.uniform(0.7, 1.3))}
            if augment == "random":
                feed = {images: feed[images], labels: feed[labels]}
            summary, loss_value, _ = sess.run([merged, loss, train_op], feed)
            losses.append(float(loss_value))
            if writer is not None and step % 50 == 0:
                writer.add_summary(summary, step)
        test_accuracy = float(sess.run(accuracy, {images: x_test, labels: y_test}))
        if writer is not None:
            writer.close()
    return {"losses": losses, "test_accuracy": test_accuracy,
            "names": {"train_images": train_images.name, "test_images": test_images.name,
                      "flipped": flipped.name, "brighter": brighter.name, "contrasted": contrasted.name}}
