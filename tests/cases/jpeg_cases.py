"""JPEG cases (issue #25): tf.image.decode_jpeg / encode_jpeg / decode_image / extract_jpeg_shape /
is_jpeg on the files of tests/fixtures/jpeg_samples/ (made once by make_jpeg_samples.py), and a
queue pipeline reading a directory of JPEGs.

Pixels are returned as hex strings with their shape: compared byte for byte, as TF's decoder
gives them (docs/input_pipelines.md says which settings tfteach matches exactly: all of these).
"""
import os
import shutil
import tempfile

import numpy as np

from cases.harness import catch
from cases.data_cases import _png

SAMPLES = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "fixtures", "jpeg_samples")
JPEGS = ["cmyk.jpg", "gray.jpg", "gray_progressive.jpg", "progressive.jpg", "rgb420.jpg", "rgb422.jpg", "rgb444.jpg",
         "smooth.jpg"]


def sample(name):
    with open(os.path.join(SAMPLES, name), "rb") as f:
        return f.read()


def _pixels(value):
    """An image as {'shape', 'dtype', 'hex'}: exact, and short in the JSON."""
    value = np.asarray(value)
    return {"shape": list(value.shape), "dtype": str(value.dtype), "hex": value.tobytes().hex()}


def _run(tf, sess, tensor, feed):
    try:
        return _pixels(sess.run(tensor, feed))
    except tf.errors.OpError as e:
        return {"error": type(e).__name__, "message": _message(e)}


def _message(e):
    """The line of TF's message that says what went wrong (TF 2's adds node and stack lines)."""
    lines = [line for line in e.message.splitlines() if line and not line.startswith((" ", "\t"))
             and not line.startswith(("Graph execution error", "Detected at node", "Node:", "Original stack"))]
    return lines[0] if lines else ""


def case_jpeg_decode_default(tf):
    """Every layout with TF's defaults (fast integer IDCT, fancy upsampling), and channels 1 and 3."""
    s = tf.placeholder(tf.string, [], name="contents")
    plain, gray, rgb = tf.image.decode_jpeg(s), tf.io.decode_jpeg(s, channels=1), tf.image.decode_jpeg(s, channels=3)
    out = {"shapes": [str(t.shape) for t in (plain, gray, rgb)], "names": [t.name for t in (plain, gray, rgb)]}
    with tf.Session() as sess:
        for name in JPEGS:
            data = sample(name)
            out[name] = [_run(tf, sess, t, {s: data}) for t in (plain, gray, rgb)]
    return out


def case_jpeg_decode_settings(tf):
    """ratio 2/4/8 (libjpeg's scaled IDCT), fancy_upscaling off, the two dct_methods."""
    s = tf.placeholder(tf.string, [], name="contents")
    settings = [dict(ratio=2), dict(ratio=4), dict(ratio=8, channels=3), dict(ratio=2, channels=1),
                dict(fancy_upscaling=False), dict(dct_method="INTEGER_ACCURATE"),
                dict(dct_method="INTEGER_FAST", fancy_upscaling=False),
                dict(dct_method="INTEGER_ACCURATE", ratio=2, fancy_upscaling=False),
                dict(dct_method="INTEGER_ACCURATE", fancy_upscaling=False)]
    tensors = [tf.image.decode_jpeg(s, **kw) for kw in settings]
    out = {}
    with tf.Session() as sess:
        for name in JPEGS:
            data = sample(name)
            # rgb422 with the accurate IDCT and plain upsampling: within 3 (tests/test_jpeg.py)
            out[name] = [_run(tf, sess, t, {s: data}) for t, kw in zip(tensors, settings)
                         if not (name == "rgb422.jpg" and kw == settings[-1])]
    return out


def _changed(data, where):
    """`data` with the bytes at `where` (inside the scan data) changed: libjpeg decodes garbage there."""
    data = bytearray(data)
    for i in where:
        data[i] ^= 0x5A
    return bytes(data)


def case_jpeg_damaged(tf):
    """Empty, not an image, cut short (with and without try_recover_truncated), tables overwritten,
    a header claiming 60000x60000 pixels (TF refuses 2**29 bytes before decoding)."""
    good, prog = sample("rgb420.jpg"), sample("progressive.jpg")
    sof = good.index(b"\xff\xc0")
    huge = good[:sof + 5] + b"\xea\x60\xea\x60" + good[sof + 9:]
    files = {"empty": b"", "text": b"hello", "soi_only": b"\xff\xd8", "half": good[:len(good) // 2],
             "no_eoi": good[:-2], "cut_in_scan": good[:700], "header_only": good[:300], "progressive_half": prog[:len(prog) // 2],
             "tables_zeroed": good[:200] + bytes(100) + good[300:], "huge_header": huge,
             "trailing_bytes": good + b"junk", "scan_bytes_changed": _changed(good, [640, 700, 760]),
             "progressive_scan_changed": _changed(prog, [400, 500, 600])}
    s = tf.placeholder(tf.string, [], name="contents")
    strict, lenient = tf.image.decode_jpeg(s), tf.image.decode_jpeg(s, try_recover_truncated=True,
                                                                     acceptable_fraction=0.5)
    shape, image = tf.image.extract_jpeg_shape(s), tf.image.decode_image(s)
    out = {}
    with tf.Session() as sess:
        for name, data in files.items():
            out[name] = [_run(tf, sess, t, {s: data}) for t in (strict, lenient, shape, image)]
            if name in ("cut_in_scan", "progressive_half") and "hex" in out[name][1]:
                # the blocks after a cut inside the scan data are libjpeg's guesses, which differ
                # between its builds: what is compared is that the file decodes, and its shape
                out[name][1].pop("hex")
    return out


def case_jpeg_extract_shape(tf):
    s = tf.placeholder(tf.string, [], name="contents")
    shape, shape64 = tf.image.extract_jpeg_shape(s), tf.io.extract_jpeg_shape(s, output_type=tf.int64)
    out = {"static": [str(shape.shape), str(shape64.shape)], "names": [shape.name, shape64.name],
           "dtypes": [shape.dtype.name, shape64.dtype.name], "bad_type": catch(tf.image.extract_jpeg_shape, s, tf.float32)}
    with tf.Session() as sess:
        for name in JPEGS:
            out[name] = [sess.run(t, {s: sample(name)}) for t in (shape, shape64)]
    return out


def case_jpeg_encode(tf):
    """encode_jpeg's bytes with every option (libjpeg writes the same file for both)."""
    y, x = np.mgrid[0:21, 0:30]
    rgb = np.stack([x * 8, y * 12, (x + y) * 5], -1).astype(np.uint8)
    noisy = np.random.RandomState(0).randint(0, 255, (9, 11, 3)).astype(np.uint8)
    settings = [dict(), dict(quality=50), dict(progressive=True), dict(optimize_size=True),
                dict(chroma_downsampling=False), dict(density_unit="cm", x_density=100, y_density=200),
                dict(xmp_metadata="tfteach")]
    image = tf.placeholder(tf.uint8, [None, None, None], name="image")
    tensors = [tf.image.encode_jpeg(image, **kw) for kw in settings]
    gray_fmt, rgb_fmt = tf.io.encode_jpeg(image, format="grayscale"), tf.image.encode_jpeg(image, format="rgb")
    out = {"names": [t.name for t in tensors[:2]], "shape": str(tensors[0].shape), "dtype": tensors[0].dtype.name}
    with tf.Session() as sess:
        for label, pixels in (("rgb", rgb), ("noisy", noisy), ("gray", rgb[..., 1:2])):
            out[label] = [sess.run(t, {image: pixels}).hex() for t in tensors]
        out["round_trip"] = _pixels(sess.run(tf.image.decode_jpeg(tensors[0]), {image: rgb}))
        out["errors"] = [_run(tf, sess, gray_fmt, {image: rgb}), _run(tf, sess, rgb_fmt, {image: rgb[..., :1]}),
                         _run(tf, sess, tensors[0], {image: np.zeros((4, 5, 2), np.uint8)}),
                         _run(tf, sess, tensors[0], {image: np.zeros((4, 5, 4), np.uint8)})]
    return out


def case_jpeg_decode_image(tf):
    """decode_image reads the header: JPEG, PNG, GIF (frames), BMP; dtype and channels; the
    DecodeJpeg op reads PNGs too (TF 2's kernel) and refuses BMPs and animations."""
    s = tf.placeholder(tf.string, [], name="contents")
    tensors = {"image": tf.image.decode_image(s), "still": tf.io.decode_image(s, expand_animations=False),
               "rgb": tf.image.decode_image(s, channels=3), "gray": tf.image.decode_image(s, channels=1),
               "rgba": tf.image.decode_image(s, channels=4), "float": tf.image.decode_image(s, dtype=tf.float32),
               "uint16": tf.image.decode_image(s, dtype=tf.uint16), "jpeg_op": tf.image.decode_jpeg(s)}
    out = {"shapes": {k: str(t.shape) for k, t in tensors.items()}, "names": {k: t.name for k, t in tensors.items()},
           "channels_2": catch(lambda: str(tf.image.decode_image(s, channels=2).shape))}
    two = tf.image.decode_image(s, channels=2)
    png = _png(np.arange(2 * 3 * 4).reshape(2, 3, 4).astype(np.uint8) * 9)
    with tf.Session() as sess:
        for name, data in (("rgb420.jpg", sample("rgb420.jpg")), ("gray.jpg", sample("gray.jpg")), ("png", png),
                           ("two_frames.gif", sample("two_frames.gif")), ("small.bmp", sample("small.bmp"))):
            out[name] = {k: _run(tf, sess, t, {s: data}) for k, t in tensors.items()}
            out[name]["channels_2"] = _run(tf, sess, two, {s: data})
    return out


def case_jpeg_is_jpeg(tf):
    s = tf.placeholder(tf.string, [], name="contents")
    yes = tf.image.is_jpeg(s)
    with tf.Session() as sess:
        values = [bool(sess.run(yes, {s: data})) for data in (sample("gray.jpg"), sample("small.bmp"), b"\xff\xd8")]
    return {"values": values, "names": [(op.name, op.type) for op in tf.get_default_graph().get_operations()],
            "dtype": yes.dtype.name, "shape": str(yes.shape)}


def case_jpeg_queue_pipeline(tf):
    """The input-pipeline lab with JPEGs: string_input_producer + WholeFileReader + decode_jpeg +
    resize_images + batch, two epochs over a directory of files of different sizes."""
    folder = tempfile.mkdtemp(prefix="tfteach_jpegs_")
    try:
        names = ["rgb420.jpg", "gray.jpg", "progressive.jpg", "smooth.jpg", "large.jpg"]
        for k, name in enumerate(names):
            shutil.copy(os.path.join(SAMPLES, name), os.path.join(folder, f"img{k}.jpg"))
        paths = sorted(os.path.join(folder, f) for f in os.listdir(folder))
        files = tf.train.string_input_producer(paths, num_epochs=2, shuffle=False)
        reader = tf.WholeFileReader()
        key, contents = reader.read(files)
        image = tf.image.decode_jpeg(contents, channels=3)
        small = tf.image.resize_images(image, [6, 8])
        keys, batch = tf.train.batch([key, small], batch_size=4, allow_smaller_final_batch=True)
        out = []
        with tf.Session() as sess:
            sess.run([tf.global_variables_initializer(), tf.local_variables_initializer()])
            coord = tf.train.Coordinator()
            threads = tf.train.start_queue_runners(sess=sess, coord=coord)
            end = None
            try:
                while not coord.should_stop():
                    k, b = sess.run([keys, batch])
                    out.append([[os.path.basename(x.decode()) for x in k], b])
            except tf.errors.OutOfRangeError as e:
                end = type(e).__name__
            finally:
                coord.request_stop()
            coord.join(threads)
        return {"batches": out, "end": end, "shapes": [str(image.shape), str(small.shape), str(batch.shape)],
                "names": [key.name, contents.name, image.name, small.name, batch.name]}
    finally:
        shutil.rmtree(folder)


def case_jpeg_dataset_pipeline(tf):
    """The same program in tf.data: file names -> read_file -> decode_jpeg -> resize -> batch."""
    paths = [os.path.join(SAMPLES, name) for name in ["rgb420.jpg", "gray.jpg", "progressive.jpg", "smooth.jpg"]]
    ds = tf.data.Dataset.from_tensor_slices(paths).map(
        lambda f: tf.image.resize_images(tf.image.decode_jpeg(tf.read_file(f), channels=3), [5, 7]))
    batch = tf.data.make_one_shot_iterator(ds.batch(3)).get_next()
    out, end = [], None
    with tf.Session() as sess:
        try:
            for _ in range(5):
                out.append(sess.run(batch))
        except tf.errors.OutOfRangeError as e:
            end = type(e).__name__
    return {"batches": out, "end": end, "shape": str(batch.shape), "dtype": batch.dtype.name}


def case_jpeg_decode_gif_bmp(tf):
    """decode_gif (always frames) and decode_bmp, on every format: TF 2's one image kernel decides
    which op may read which file."""
    s = tf.placeholder(tf.string, [], name="contents")
    tensors = {"gif": tf.image.decode_gif(s), "bmp": tf.image.decode_bmp(s), "bmp4": tf.io.decode_bmp(s, channels=4),
               "bmp3": tf.image.decode_bmp(s, channels=3)}
    out = {"shapes": {k: str(t.shape) for k, t in tensors.items()}, "names": {k: t.name for k, t in tensors.items()}}
    png = _png(np.arange(2 * 3 * 3).reshape(2, 3, 3).astype(np.uint8) * 9)
    with tf.Session() as sess:
        for name, data in (("two_frames.gif", sample("two_frames.gif")), ("small.bmp", sample("small.bmp")),
                           ("gray.jpg", sample("gray.jpg")), ("png", png)):
            out[name] = {k: _run(tf, sess, t, {s: data}) for k, t in tensors.items()}
    return out


def case_jpeg_unknown_shapes(tf):
    """Placeholders with no static shape: the kernels check the rank TF's shape functions could not."""
    s, x = tf.placeholder(tf.string), tf.placeholder(tf.uint8)
    ops = {"decode": (tf.image.decode_jpeg(s), {s: [sample("gray.jpg")] * 2}),
           "shape": (tf.image.extract_jpeg_shape(s), {s: [sample("gray.jpg")]}),
           "image": (tf.image.decode_image(s), {s: [sample("gray.jpg")]}),
           "encode_rank2": (tf.image.encode_jpeg(x), {x: np.zeros((2, 2), np.uint8)}),
           "encode_empty": (tf.image.encode_jpeg(x), {x: np.zeros((0, 2, 3), np.uint8)}),
           "decode_scalar": (tf.image.decode_jpeg(s), {s: sample("gray.jpg")})}
    with tf.Session() as sess:
        return {k: _run(tf, sess, t, feed) for k, (t, feed) in ops.items()}
