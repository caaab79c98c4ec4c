"""tf.image and tf.summary.image on tfteach: gradients against central differences, the random
augmentations' distributions, the PNG writer, and TensorBoard reading the image summaries.

Values, node names and errors against real TensorFlow are in tests/cases/image_cases.py.
"""
import numpy as np
import pytest

import tfteach as tf
from tfteach.summary.png import decode_png, encode_png
from tfteach.testing import check_gradients, numeric_and_symbolic


@pytest.fixture(autouse=True)
def fresh_graph():
    tf.reset_default_graph()


# ---- gradients --------------------------------------------------------------------------------
@pytest.mark.parametrize("method, align_corners, shape, size", [
    (0, False, (2, 3, 4, 2), [5, 7]), (0, False, (1, 7, 9, 1), [3, 4]), (0, True, (1, 3, 4, 1), [5, 7]),
    (1, False, (1, 5, 4, 2), [3, 7]), (1, True, (1, 4, 3, 1), [7, 5]),
    (2, False, (2, 3, 4, 2), [5, 7]), (2, False, (1, 7, 9, 1), [3, 4]), (2, True, (1, 4, 3, 1), [7, 5])])
def test_resize_gradient_matches_central_differences(method, align_corners, shape, size):
    # ResizeBilinear and ResizeBicubic compute in float32 (as TF's kernel), so the function is float32-rounded;
    # it is linear in the pixels, so a large step (0.1) gives the exact derivative and keeps the
    # rounding out of the difference
    fn = lambda x: tf.cast(tf.image.resize_images(x, size, method=method, align_corners=align_corners),  # noqa: E731
                           tf.float64)
    x = np.random.RandomState(0).rand(*shape)
    for symbolic, numeric in numeric_and_symbolic(fn, [x], eps=0.1):
        assert np.isclose(symbolic, numeric, rtol=1e-4, atol=1e-5), (symbolic, numeric)


def test_resize_gradient_dtype_is_the_image_dtype():
    x = tf.placeholder(tf.float64, [1, 2, 2, 1])
    g, = tf.gradients(tf.image.resize_images(x, [3, 3]), [x])
    assert (g.op.type, g.dtype, g.shape.as_list()) == ("ResizeBilinearGrad", tf.float64, [1, 2, 2, 1])


@pytest.mark.parametrize("fn", [
    tf.image.flip_left_right, tf.image.flip_up_down,
    lambda x: tf.image.central_crop(x, 0.5),
    lambda x: tf.image.resize_image_with_crop_or_pad(x, 3, 7),
    lambda x: tf.image.resize_image_with_crop_or_pad(x[0], 5, 2)])
def test_float64_image_functions_gradients(fn):
    check_gradients(fn, [np.random.RandomState(1).rand(2, 4, 5, 3)])


# ---- random augmentations: behaviour and distribution (TF's Philox draws cannot be matched) ----
def _flipped_fraction(out, images, axis):
    flipped = [np.array_equal(o, np.flip(i, axis)) for o, i in zip(out, images)]
    same = [np.array_equal(o, i) for o, i in zip(out, images)]
    assert all(f or s for f, s in zip(flipped, same))
    return np.mean(flipped)


def test_random_flip_batch_flips_about_half_each_on_its_own_coin():
    images = np.arange(2000 * 2, dtype=np.float32).reshape(2000, 1, 2, 1)
    y = tf.image.random_flip_left_right(tf.constant(images), seed=1)
    with tf.Session() as sess:
        first, second = sess.run(y), sess.run(y)
    assert 0.45 < _flipped_fraction(first, images, 1) < 0.55  # 5 standard deviations of 1/2
    assert not np.array_equal(first, second)  # a new coin per run


def test_random_flip_single_image_over_runs():
    image = np.arange(6, dtype=np.float32).reshape(3, 2, 1)
    y = tf.image.random_flip_up_down(tf.constant(image), seed=2)
    with tf.Session() as sess:
        outs = [sess.run(y) for _ in range(400)]
    assert 0.42 < _flipped_fraction(outs, [image] * 400, 0) < 0.58


def test_random_flip_seeded_repeats_across_sessions():
    tf.set_random_seed(5)
    y = tf.image.random_flip_left_right(tf.constant(np.arange(40.0).reshape(20, 1, 2, 1)), seed=3)
    runs = []
    for _ in range(2):
        with tf.Session() as sess:
            runs.append(sess.run(y))
    np.testing.assert_array_equal(runs[0], runs[1])


def test_random_brightness_and_contrast_draws_are_uniform():
    image = np.random.RandomState(0).rand(3, 4, 3).astype(np.float32)
    b = tf.image.random_brightness(tf.constant(image), 0.2, seed=1)
    c = tf.image.random_contrast(tf.constant(image), 0.5, 1.5, seed=2)
    mean = image.mean(axis=(0, 1))
    with tf.Session() as sess:
        draws = [sess.run([b, c]) for _ in range(300)]
    deltas = np.array([(out - image)[0, 0, 0] for out, _ in draws])
    factors = np.array([((out - mean) / (image - mean))[0, 0, 0] for _, out in draws])
    for values, lo, hi in ((deltas, -0.2, 0.2), (factors, 0.5, 1.5)):
        assert lo - 1e-5 <= values.min() and values.max() <= hi + 1e-5
        assert abs(values.mean() - (lo + hi) / 2) < 0.25 * (hi - lo) / np.sqrt(12 * 300) * 4 * 3
        assert values.min() < lo + 0.05 * (hi - lo) and values.max() > hi - 0.05 * (hi - lo)


def test_random_ops_node_names_and_errors():
    x = tf.placeholder(tf.float32, [None, 8, 8, 1])
    y = tf.image.random_flip_left_right(x)
    assert y.name == "random_flip_left_right/add:0"
    with pytest.raises(ValueError, match="max_delta must be non-negative"):
        tf.image.random_brightness(x, -1)
    with pytest.raises(ValueError, match="upper must be > lower"):
        tf.image.random_contrast(x, 2.0, 1.0)


# ---- PNG writer -----------------------------------------------------------------------------
@pytest.mark.parametrize("channels", [1, 2, 3, 4])
def test_png_round_trip(channels):
    pixels = np.random.RandomState(channels).randint(0, 256, (5, 7, channels)).astype(np.uint8)
    data = encode_png(pixels)
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    np.testing.assert_array_equal(decode_png(data), pixels)


def test_png_reader_undoes_every_filter():
    import struct
    import zlib
    pixels = np.random.RandomState(9).randint(0, 256, (5, 4, 3)).astype(np.int64)
    rows, prev = [], np.zeros(12, np.int64)
    for y, kind in enumerate([1, 2, 3, 4, 0]):  # Sub, Up, Average, Paeth, None, written by hand
        line = pixels[y].reshape(-1)
        a = np.concatenate([[0, 0, 0], line[:-3]])
        d = np.concatenate([[0, 0, 0], prev[:-3]])
        p = {0: 0, 1: a, 2: prev, 3: (a + prev) // 2}.get(kind)
        if kind == 4:
            pa, pb, pc = abs(prev - d), abs(a - d), abs(a + prev - 2 * d)
            p = np.where((pa <= pb) & (pa <= pc), a, np.where(pb <= pc, prev, d))
        rows.append(bytes([kind]) + ((line - p) & 0xFF).astype(np.uint8).tobytes())
        prev = line

    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    data = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 5, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"".join(rows))) + chunk(b"IEND", b""))
    np.testing.assert_array_equal(decode_png(data), pixels)


# ---- tf.summary.image in TensorBoard -------------------------------------------------------------
def test_image_summary_rank_error_says_what_to_do():
    s = tf.summary.image("bad", tf.zeros([3, 784]))
    with tf.Session() as sess, pytest.raises(tf.errors.InvalidArgumentError,
                                             match=r"Tensor must be 4-D with last dim 1, 3, or 4, not \[3,784\]"):
        sess.run(s)


def test_tensorboard_reads_our_image_summaries(tmp_path):
    event_accumulator = pytest.importorskip("tensorboard.backend.event_processing.event_accumulator")
    images = np.random.RandomState(3).randint(0, 256, (4, 6, 5, 3)).astype(np.uint8)
    x = tf.placeholder(tf.uint8, [None, 6, 5, 3])
    summary = tf.summary.image("input", x, max_outputs=2)
    gray = tf.summary.image("gray", tf.cast(x[:, :, :, :1], tf.float32) - 100.0, max_outputs=1)
    merged = tf.summary.merge_all()
    writer = tf.summary.FileWriter(str(tmp_path))
    with tf.Session() as sess:
        for step in range(3):
            writer.add_summary(sess.run(merged, {x: images[step:step + 2]}), step)
    writer.close()
    assert summary.name == "input:0" and gray.name == "gray:0"
    acc = event_accumulator.EventAccumulator(str(tmp_path), size_guidance={"images": 0})
    acc.Reload()
    assert sorted(acc.Tags()["images"]) == ["gray/image", "input/image/0", "input/image/1"]
    for i in range(2):
        events = acc.Images(f"input/image/{i}")
        assert [e.step for e in events] == [0, 1, 2]
        for e in events:
            assert (e.height, e.width) == (6, 5)
            np.testing.assert_array_equal(decode_png(e.encoded_image_string), images[e.step + i])
    # floats with negatives: max |x| becomes 127 around 128, truncated, as TF's kernel
    e = acc.Images("gray/image")[1]
    g = images[1, :, :, :1].astype(np.float32) - 100.0
    expected = (g * (np.float32(127.0) / np.abs(g).max()) + np.float32(128.0)).astype(np.uint8)
    np.testing.assert_array_equal(decode_png(e.encoded_image_string), expected)


# ---- errors: TF's words first (verbatim, from TF 2.21's image_ops_impl), then what to do --------
@pytest.mark.parametrize("fn, shape, start", [
    (tf.image.flip_left_right, [3, 784], "'image' (shape (3, 784)) must be at least three-dimensional."),
    (tf.image.flip_up_down, [1, 3, 3, 3, 1], "'image' (shape (1, 3, 3, 3, 1))must have either 3 or 4 dimensions."),
    (tf.image.random_flip_left_right, [3, 784], "'image' (shape (3, 784)) must be at least three-dimensional."),
    (tf.image.per_image_standardization, [3, 784], "'image' (shape (3, 784)) must be at least three-dimensional."),
    (lambda x: tf.image.resize_images(x, [28, 28]), [3, 784], "'images' must have either 3 or 4 dimensions."),
    (tf.image.flip_left_right, [0, 3, 3], "inner 3 dims of 'image.shape' must be > 0: (0, 3, 3)")])
def test_image_rank_errors_in_tf_words(fn, shape, start):
    with pytest.raises(ValueError) as info:
        fn(tf.zeros(shape))
    assert str(info.value).startswith(start)
    if len(shape) == 2:
        assert "tf.reshape(x, [-1, 28, 28, 1])" in str(info.value)


def test_graph_def_round_trip_keeps_the_new_ops_output_dtypes():
    """The ops' NodeDef signatures: a uint8 image resized is float32, a summary a string, the
    sampler's outputs int64/float32, after tf.import_graph_def as before."""
    x = tf.placeholder(tf.uint8, [2, 4, 6, 3], name="x")
    labels = tf.constant([[1], [2]], dtype=tf.int64)
    sampled = tf.nn.log_uniform_candidate_sampler(labels, 1, 3, True, 10)
    ys = [tf.image.resize_images(x, [8, 8], method=m) for m in range(4)] + [
        tf.image.adjust_hue(tf.image.convert_image_dtype(x, tf.float32), 0.1), tf.summary.image("im", x),
        *sampled, *tf.nn.compute_accidental_hits(labels, sampled[0], 1)]
    graph_def = tf.get_default_graph().as_graph_def()
    with tf.Graph().as_default():
        outs = tf.import_graph_def(graph_def, return_elements=[y.name for y in ys], name="")
        assert [o.dtype for o in outs] == [y.dtype for y in ys]
        with tf.Session() as sess:
            got = sess.run(outs[:4], {"x:0": np.full((2, 4, 6, 3), 7, np.uint8)})
    assert [g.dtype for g in got] == [np.float32, np.uint8, np.float32, np.float32]
    assert all(np.allclose(g, 7) for g in got)


def test_image_summary_parses_as_tf_summary_image():
    """The serialized summary reads back through tf.Summary: Value.image with TF's field numbers."""
    pixels = np.arange(2 * 4 * 5 * 3, dtype=np.uint8).reshape(2, 4, 5, 3)
    with tf.Graph().as_default():
        summary = tf.summary.image("pic", tf.constant(pixels), max_outputs=2)
        with tf.Session() as sess:
            value = tf.Summary.FromString(sess.run(summary)).value
    assert [v.tag for v in value] == ["pic/image/0", "pic/image/1"]
    for v, want in zip(value, pixels):
        assert (v.image.height, v.image.width, v.image.colorspace) == (4, 5, 3)
        np.testing.assert_array_equal(decode_png(v.image.encoded_image_string), want)
