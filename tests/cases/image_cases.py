"""tf.image, tf.summary.image and tf.nn.nce_loss cases (issue #23 part C).

Each `case_<name>(tf)` builds on the (already reset) default graph, runs it and returns plain
data; the expected results come from real TensorFlow (`tests/fixtures/make_fixtures.py
image_cases`), tf.compat.v1 in TF 2.21, which keeps TF 1.x's image functions.

Random ops cannot draw TF's Philox numbers, so the random augmentations return what holds for
every draw (each image is the original or its mirror; the brightness shift is one number in
[-d, d]) and their node names. Summary images are compared as decoded pixels, not PNG bytes
(zlib settings differ), read from the serialized Summary with the small wire-format reader
below, so neither library's proto classes are trusted.
"""
import struct
import zlib

import numpy as np

from cases.harness import catch


def _run(tf, fetches, feed=None):
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        return sess.run(fetches, feed_dict=feed)


def _image(shape, seed, dtype=np.float32):
    """Pixels in [0, 1) on a 1/64 grid (uint8 images: 0..255), the same in both libraries."""
    rng = np.random.RandomState(seed)
    if np.dtype(dtype) == np.uint8:
        return rng.randint(0, 256, size=shape).astype(np.uint8)
    return (rng.randint(0, 64, size=shape) / 64).astype(dtype)


def _info(y):
    # `a + b` is AddV2 in TF 2.x graphs, Add in TF 1.x's (and tfteach's): compared as Add
    return {"name": y.name, "type": "Add" if y.op.type == "AddV2" else y.op.type, "dtype": y.dtype.name,
            "shape": y.shape.as_list()}


def _result(tf, y, feed=None):
    out = _info(y)
    out["value"] = _run(tf, y, feed)
    return out


# ---- resize ----------------------------------------------------------------------------------
def _resize(tf, shape, size, dtype=np.float32, **kwargs):
    x = tf.constant(_image(shape, 1, dtype))
    return _result(tf, tf.image.resize_images(x, size, **kwargs))


def case_resize_bilinear_up(tf):
    return _resize(tf, (2, 3, 4, 2), [5, 7])


def case_resize_bilinear_down(tf):
    return _resize(tf, (1, 7, 9, 3), [3, 4])


def case_resize_bilinear_align_corners(tf):
    return _resize(tf, (1, 3, 4, 1), [5, 7], align_corners=True)


def case_resize_bilinear_3d_uint8(tf):
    # a single image (HWC) and uint8 pixels: float32 out, the batch axis added and removed
    return _resize(tf, (4, 5, 3), [6, 3], dtype=np.uint8)


def case_resize_images_default_names(tf):
    x = tf.placeholder(tf.float32, [None, 8, 8, 1], name="x")
    y = tf.image.resize_images(x, [28, 28])
    z = tf.image.resize(x, (4, 4), method=tf.image.ResizeMethod.NEAREST_NEIGHBOR)
    same = tf.image.resize_images(x, [8, 8])
    return {"y": _info(y), "z": _info(z), "same": same.name, "methods": [
        tf.image.ResizeMethod.BILINEAR, tf.image.ResizeMethod.NEAREST_NEIGHBOR,
        tf.image.ResizeMethod.BICUBIC, tf.image.ResizeMethod.AREA],
        "ops": [(op.name, op.type) for op in tf.get_default_graph().get_operations()]}


def case_resize_nearest_up(tf):
    return _resize(tf, (1, 3, 4, 2), [7, 9], method=1)


def case_resize_nearest_down_int32(tf):
    x = tf.constant(np.arange(2 * 7 * 5 * 1, dtype=np.int32).reshape(2, 7, 5, 1))
    return _result(tf, tf.image.resize_images(x, [3, 2], method=tf.image.ResizeMethod.NEAREST_NEIGHBOR))


def case_resize_nearest_align_corners(tf):
    return _resize(tf, (1, 4, 3, 1), [7, 5], method=1, align_corners=True)


def case_resize_errors(tf):
    x5 = tf.zeros([1, 2, 2, 2, 1])
    x = tf.zeros([1, 2, 2, 1])
    return {"rank5": catch(tf.image.resize_images, x5, [3, 3]),
            "size3": catch(tf.image.resize_images, x, [3, 3, 3]),
            "method": catch(tf.image.resize_images, x, [3, 3], method=7)}


def _resize_grad(tf, shape, size, method, align_corners=False):
    x = tf.constant(_image(shape, 2))
    y = tf.image.resize_images(x, size, method=method, align_corners=align_corners)
    w = tf.constant(_image(y.shape.as_list(), 3))
    g, = tf.gradients(tf.reduce_sum(y * w), [x])
    return {"grad": _run(tf, g), "name": g.name, "type": g.op.type, "dtype": g.dtype.name}


def case_resize_bilinear_grad_up(tf):
    return _resize_grad(tf, (2, 3, 4, 2), [5, 7], 0)


def case_resize_bilinear_grad_down(tf):
    return _resize_grad(tf, (1, 7, 9, 1), [3, 4], 0)


def case_resize_bilinear_grad_align_corners(tf):
    return _resize_grad(tf, (1, 3, 4, 1), [5, 7], 0, align_corners=True)


def case_resize_nearest_grad(tf):
    return _resize_grad(tf, (1, 5, 4, 2), [3, 7], 1)


# ---- flips -----------------------------------------------------------------------------------
def case_flips(tf):
    img = tf.constant(_image((2, 3, 4, 2), 4))
    one = tf.constant(_image((3, 4, 2), 5))
    ys = [tf.image.flip_left_right(img), tf.image.flip_up_down(img),
          tf.image.flip_left_right(one), tf.image.flip_up_down(one)]
    return {"info": [_info(y) for y in ys], "values": _run(tf, ys)}


def case_flip_errors(tf):
    return {"rank2": catch(tf.image.flip_left_right, tf.zeros([3, 4])),
            "rank5": catch(tf.image.flip_up_down, tf.zeros([1, 1, 3, 4, 1]))}


def _each_original_or_flipped(images, out, axis):
    return [bool(np.array_equal(o, i) or np.array_equal(o, np.flip(i, axis))) for i, o in zip(images, out)]


def case_random_flip_batch(tf):
    images = _image((6, 3, 4, 1), 6)
    lr = tf.image.random_flip_left_right(tf.constant(images), seed=3)
    ud = tf.image.random_flip_up_down(tf.constant(images), seed=4)
    out_lr, out_ud = _run(tf, [lr, ud])
    return {"lr": _info(lr), "ud": _info(ud), "lr_ok": _each_original_or_flipped(images, out_lr, 1),
            "ud_ok": _each_original_or_flipped(images, out_ud, 0)}


def case_random_flip_single(tf):
    image = _image((3, 4, 2), 7)
    lr = tf.image.random_flip_left_right(tf.constant(image), seed=3)
    ud = tf.image.random_flip_up_down(tf.constant(image), seed=3)
    out_lr, out_ud = _run(tf, [lr, ud])
    # the ops of the coin and the tf.cond (TF 2.21 leaves out random_uniform's Sub and Add for
    # [0, 1), which TF 1.x made)
    types = sorted({op.type for op in tf.get_default_graph().get_operations()
                    if op.name.startswith("random_flip_left_right/")}
                   & {"RandomUniform", "Less", "Switch", "Merge", "ReverseV2"})
    return {"lr": _info(lr), "ud": _info(ud), "types": types,
            "lr_ok": _each_original_or_flipped([image], [out_lr], 1),
            "ud_ok": _each_original_or_flipped([image], [out_ud], 0)}


# ---- colour ----------------------------------------------------------------------------------
def case_convert_image_dtype(tf):
    u8 = tf.constant(_image((2, 3, 3), 8, np.uint8))
    f32 = tf.constant(np.array([[-0.5, 0.0, 0.25], [0.5, 0.999, 1.5]], np.float32))
    i16 = tf.constant(np.array([0, 1, 255, 256, 32767, 1000], np.int16))
    ys = {"u8_f32": tf.image.convert_image_dtype(u8, tf.float32),
          "u8_f64": tf.image.convert_image_dtype(u8, tf.float64),
          "f32_u8_saturate": tf.image.convert_image_dtype(f32, tf.uint8, saturate=True),
          "f32_f64": tf.image.convert_image_dtype(f32, tf.float64),
          "i16_u8": tf.image.convert_image_dtype(i16, tf.uint8),
          "u8_i32": tf.image.convert_image_dtype(u8, tf.int32),
          "same": tf.image.convert_image_dtype(u8, tf.uint8),
          "named": tf.image.convert_image_dtype(u8, tf.float32, name="to_float")}
    values = _run(tf, ys)
    return {k: dict(_info(y), value=values[k]) for k, y in ys.items()}


def case_adjust_brightness(tf):
    f = tf.constant(_image((2, 3, 4, 3), 9))
    u = tf.constant(_image((3, 4, 3), 10, np.uint8))
    ys = [tf.image.adjust_brightness(f, 0.25), tf.image.adjust_brightness(u, -0.1),
          tf.image.adjust_brightness(u, 0.3)]
    return {"info": [_info(y) for y in ys], "values": _run(tf, ys)}


def case_adjust_contrast(tf):
    f = tf.constant(_image((2, 3, 4, 3), 11))
    u = tf.constant(_image((3, 4, 1), 12, np.uint8))
    ys = [tf.image.adjust_contrast(f, 1.5), tf.image.adjust_contrast(f, 0.5),
          tf.image.adjust_contrast(u, 2.0)]
    ops = [(op.name, op.type) for op in tf.get_default_graph().get_operations()
           if op.name.startswith("adjust_contrast/")]
    return {"info": [_info(y) for y in ys], "values": _run(tf, ys), "ops": ops}


def case_adjust_contrast_has_no_gradient(tf):
    x = tf.constant(_image((1, 2, 2, 1), 13))
    y = tf.image.adjust_contrast(x, 1.5)
    return catch(tf.gradients, tf.reduce_sum(y), [x])


def case_adjust_hue(tf):
    f = tf.constant(_image((2, 3, 4, 3), 14))
    u = tf.constant(_image((3, 4, 3), 15, np.uint8))
    ys = [tf.image.adjust_hue(f, 0.2), tf.image.adjust_hue(f, -0.45), tf.image.adjust_hue(u, 0.1)]
    ops = [(op.name, op.type) for op in tf.get_default_graph().get_operations()
           if op.name.startswith("adjust_hue/")]
    return {"info": [_info(y) for y in ys], "values": _run(tf, ys), "ops": ops}


def case_adjust_saturation(tf):
    f = tf.constant(_image((2, 3, 4, 3), 16))
    u = tf.constant(_image((3, 4, 3), 17, np.uint8))
    ys = [tf.image.adjust_saturation(f, 1.7), tf.image.adjust_saturation(f, 0.3),
          tf.image.adjust_saturation(u, 2.0)]
    ops = [(op.name, op.type) for op in tf.get_default_graph().get_operations()
           if op.name.startswith("adjust_saturation/")]
    return {"info": [_info(y) for y in ys], "values": _run(tf, ys), "ops": ops}


def case_adjust_hue_not_rgb(tf):
    y = tf.image.adjust_hue(tf.zeros([2, 2, 4]), 0.1)
    return {"run": catch(_run, tf, y)}


def case_random_brightness(tf):
    image = _image((4, 5, 3), 18)
    y = tf.image.random_brightness(tf.constant(image), 0.2, seed=5)
    out = _run(tf, y)
    delta = out - image
    return {"info": _info(y), "one_delta": bool(np.allclose(delta, delta.flat[0], atol=1e-6)),
            "in_range": bool(abs(delta.flat[0]) <= 0.2 + 1e-6),
            "negative": catch(tf.image.random_brightness, tf.constant(image), -0.1)}


def case_random_contrast(tf):
    image = _image((4, 5, 3), 19)
    y = tf.image.random_contrast(tf.constant(image), 0.5, 1.5, seed=6)
    out = _run(tf, y)
    mean = image.mean(axis=(0, 1))
    factor = ((out - mean) / np.where(image - mean == 0, 1, image - mean))[image != mean]
    return {"info": _info(y), "one_factor": bool(np.allclose(factor, factor[0], atol=1e-4)),
            "in_range": bool(0.5 - 1e-4 <= factor[0] <= 1.5 + 1e-4),
            "bad": catch(tf.image.random_contrast, tf.constant(image), 1.5, 0.5)}


def case_per_image_standardization(tf):
    f = tf.constant(_image((2, 3, 4, 3), 20))
    u = tf.constant(_image((3, 4, 1), 21, np.uint8))
    flat = tf.constant(np.full((2, 2, 1), 0.5, np.float32))  # stddev 0: divided by 1/sqrt(4)
    ys = [tf.image.per_image_standardization(f), tf.image.per_image_standardization(u),
          tf.image.per_image_standardization(flat)]
    return {"info": [_info(y) for y in ys], "values": _run(tf, ys)}


def case_rgb_to_grayscale(tf):
    f = tf.constant(_image((2, 3, 4, 3), 22))
    u = tf.constant(_image((3, 4, 3), 23, np.uint8))
    ys = [tf.image.rgb_to_grayscale(f), tf.image.rgb_to_grayscale(u)]
    return {"info": [_info(y) for y in ys], "values": _run(tf, ys)}


def case_central_crop(tf):
    img = tf.constant(_image((2, 6, 8, 1), 24))
    one = tf.constant(_image((5, 7, 3), 25))
    ys = [tf.image.central_crop(img, 0.5), tf.image.central_crop(one, 0.6), tf.image.central_crop(one, 1.0)]
    return {"info": [_info(y) for y in ys], "values": _run(tf, ys),
            "bad": catch(tf.image.central_crop, one, 1.5)}


def case_resize_image_with_crop_or_pad(tf):
    img = tf.constant(_image((2, 5, 6, 1), 26))
    one = tf.constant(_image((4, 3, 2), 27))
    ys = [tf.image.resize_image_with_crop_or_pad(img, 3, 9),
          tf.image.resize_image_with_crop_or_pad(one, 7, 2)]
    return {"info": [_info(y) for y in ys], "values": _run(tf, ys)}


# ---- tf.summary.image ------------------------------------------------------------------------
def _fields(data):
    """(field number, wire type, value) of one serialized protobuf message."""
    i, out = 0, []
    while i < len(data):
        key, i = _varint(data, i)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, i = _varint(data, i)
        elif wire == 2:
            n, i = _varint(data, i)
            value, i = data[i:i + n], i + n
        elif wire == 1:
            value, i = data[i:i + 8], i + 8
        elif wire == 5:
            value, i = data[i:i + 4], i + 4
        else:
            raise ValueError(f"wire type {wire}")
        out.append((number, wire, value))
    return out


def _varint(data, i):
    shift = result = 0
    while True:
        b = data[i]
        i += 1
        result |= (b & 0x7F) << shift
        shift += 7
        if not b & 0x80:
            return result, i


def decode_png(data):
    """The pixels of an 8-bit PNG (gray, RGB or RGBA; no interlacing) as (h, w, channels) uint8."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    i, idat, header = 8, b"", None
    while i < len(data):
        n, kind = struct.unpack(">I4s", data[i:i + 8])
        body = data[i + 8:i + 8 + n]
        assert zlib.crc32(kind + body) == struct.unpack(">I", data[i + 8 + n:i + 12 + n])[0], "bad CRC"
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        i += 12 + n
    w, h, depth, color, _, _, interlace = header
    assert depth == 8 and interlace == 0, header
    c = {0: 1, 2: 3, 4: 2, 6: 4}[color]
    raw = np.frombuffer(zlib.decompress(idat), np.uint8).reshape(h, 1 + w * c)
    out = np.zeros((h, w * c), np.int64)
    for y in range(h):
        f, line = raw[y, 0], raw[y, 1:].astype(np.int64)
        prev = out[y - 1] if y else np.zeros(w * c, np.int64)
        for x in range(w * c):
            a = out[y, x - c] if x >= c else 0
            b, d = prev[x], (prev[x - c] if x >= c else 0)
            if f == 0:
                p = 0
            elif f == 1:
                p = a
            elif f == 2:
                p = b
            elif f == 3:
                p = (a + b) // 2
            else:
                pa, pb, pc = abs(b - d), abs(a - d), abs(a + b - 2 * d)
                p = a if pa <= pb and pa <= pc else (b if pb <= pc else d)
            out[y, x] = (line[x] + p) & 0xFF
    return out.reshape(h, w, c).astype(np.uint8)


def read_image_summary(serialized):
    """[(tag, height, width, colorspace, pixels)] of a serialized Summary's image values."""
    found = []
    for number, _, value in _fields(serialized):
        if number != 1:
            continue
        fields = {n: v for n, _, v in _fields(value)}
        image = {n: v for n, _, v in _fields(fields[4])}
        found.append([fields[1].decode(), image.get(1, 0), image.get(2, 0), image.get(3, 0),
                      decode_png(image[4])])
    return found


def _summary(tf, images, **kwargs):
    s = tf.summary.image("digits", tf.constant(images), **kwargs)
    return {"info": _info(s), "images": read_image_summary(_run(tf, s)),
            "inputs": [t.name for t in s.op.inputs],
            "collected": [t.name for t in tf.get_collection(tf.GraphKeys.SUMMARIES)]}


def case_summary_image_float_positive(tf):
    return _summary(tf, _image((4, 3, 5, 1), 28))  # scaled by 255 / max; 3 of 4 kept


def case_summary_image_float_negative_rgb(tf):
    images = _image((2, 4, 3, 3), 29) - 0.5  # some negative: 127 / max|x| and offset 128
    return _summary(tf, images, max_outputs=5)


def case_summary_image_uint8_rgba_one(tf):
    return _summary(tf, _image((2, 3, 2, 4), 30, np.uint8), max_outputs=1)


def case_summary_image_names(tf):
    x = tf.placeholder(tf.float32, [None, 8, 8, 1])
    with tf.name_scope("train"):
        a = tf.summary.image("input", x)
    b = tf.summary.image("input", x, max_outputs=10)
    return {"a": _info(a), "b": _info(b), "attrs": [a.op.get_attr("max_images"), b.op.get_attr("max_images")],
            "bad_rank": catch(lambda: _run(tf, tf.summary.image("bad", tf.zeros([3, 3]))))}


# ---- tf.nn.nce_loss / sampled_softmax_loss with the sample given --------------------------------
def _names(tf, before):
    """Names of the ops made since `before`; TF 2.x's ones_like names its static shape
    'ones_like/Shape/shape_as_tensor', TF 1.x's (and tfteach's) 'ones_like/Shape'."""
    return [op.name.replace("/Shape/shape_as_tensor", "/Shape")
            for op in tf.get_default_graph().get_operations()[before:]]


def _sampled_setup(tf, dtype=np.float32):
    rng = np.random.RandomState(31)
    weights = tf.Variable(rng.randn(12, 4).astype(dtype) / 2, name="nce_w")
    biases = tf.Variable(rng.randn(12).astype(dtype) / 4, name="nce_b")
    inputs = tf.constant(rng.randn(3, 4).astype(dtype), name="embed")
    labels = tf.constant([[1], [5], [11]], dtype=tf.int64, name="labels")
    sampled = (tf.constant([0, 5, 2, 9], dtype=tf.int64), tf.constant([[0.9], [0.4], [0.1]], dtype=tf.float32),
               tf.constant([1.2, 0.4, 0.7, 0.15], dtype=tf.float32))
    return weights, biases, inputs, labels, sampled


def case_nce_loss_given_sample(tf):
    weights, biases, inputs, labels, sampled = _sampled_setup(tf)
    before = len(tf.get_default_graph().get_operations())
    loss = tf.nn.nce_loss(weights, biases, labels, inputs, num_sampled=4, num_classes=12, sampled_values=sampled)
    names = _names(tf, before)
    mean = tf.reduce_mean(loss)
    # TF's gradients of the gathered rows are IndexedSlices (tfteach's are dense): compared dense
    grads = [tf.convert_to_tensor(g) for g in tf.gradients(mean, [weights, biases, inputs])]
    return {"loss": _info(loss), "values": _run(tf, [loss, mean] + grads), "names": names}


def case_nce_loss_remove_accidental_hits(tf):
    weights, biases, inputs, labels, sampled = _sampled_setup(tf)
    loss = tf.nn.nce_loss(weights, biases, labels, inputs, 4, 12, sampled_values=sampled,
                          remove_accidental_hits=True)
    return {"loss": _info(loss), "values": _run(tf, loss)}


def case_sampled_softmax_loss_given_sample(tf):
    weights, biases, inputs, labels, sampled = _sampled_setup(tf)
    before = len(tf.get_default_graph().get_operations())
    loss = tf.nn.sampled_softmax_loss(weights, biases, labels, inputs, 4, 12, sampled_values=sampled)
    names = _names(tf, before)
    grads = [tf.convert_to_tensor(g) for g in tf.gradients(tf.reduce_sum(loss), [weights, biases, inputs])]
    return {"loss": _info(loss), "values": _run(tf, [loss] + grads), "names": names}


def case_nce_loss_two_true_float64(tf):
    rng = np.random.RandomState(32)
    weights = tf.constant(rng.randn(8, 3))
    biases = tf.constant(rng.randn(8))
    inputs = tf.constant(rng.randn(2, 3))
    labels = tf.constant([[1, 4], [0, 7]], dtype=tf.int32)
    sampled = (tf.constant([3, 6, 2], dtype=tf.int64), tf.constant(np.array([[0.5, 0.2], [0.9, 0.1]])),
               tf.constant(np.array([0.3, 0.2, 0.4])))  # float64 counts: a sampler's float32 would not mix
    loss = tf.nn.nce_loss(weights, biases, labels, inputs, 3, 8, num_true=2, sampled_values=sampled)
    return {"loss": _info(loss), "values": _run(tf, loss)}


def case_compute_accidental_hits(tf):
    hits = tf.nn.compute_accidental_hits(tf.constant([[1, 4], [0, 7], [4, 2]], dtype=tf.int64),
                                         tf.constant([4, 9, 0, 4], dtype=tf.int64), num_true=2)
    return {"info": [_info(t) for t in hits], "values": _run(tf, list(hits))}


def case_log_uniform_sampler_without_unique(tf):
    # with unique=False the expected counts are p * num_sampled, whatever was drawn
    true_classes = tf.constant([[0], [3], [99]], dtype=tf.int64)
    sampled = tf.nn.log_uniform_candidate_sampler(true_classes, 1, 6, False, 100, seed=2)
    candidates, true_expected, sampled_expected = _run(tf, list(sampled))
    p = np.log((candidates + 2.0) / (candidates + 1.0)) / np.log(101.0)
    return {"info": [_info(t) for t in sampled], "true_expected": true_expected,
            "sampled_expected_ok": bool(np.allclose(sampled_expected, 6 * p, rtol=1e-5)),
            "in_range": bool(((candidates >= 0) & (candidates < 100)).all()),
            "attrs": [sampled[0].op.get_attr(a) for a in ("num_true", "num_sampled", "unique", "range_max")]}


def case_log_uniform_sampler_unique(tf):
    sampled = tf.nn.log_uniform_candidate_sampler(tf.constant([[2], [3]], dtype=tf.int64), 1, 8, True, 10)
    candidates, true_expected, sampled_expected = _run(tf, list(sampled))
    return {"info": [_info(t) for t in sampled], "distinct": len(set(candidates.tolist())),
            "in_range": bool(((candidates >= 0) & (candidates < 10)).all()),
            "counts_at_most_one": bool((sampled_expected <= 1.0 + 1e-6).all() and (true_expected <= 1.0 + 1e-6).all())}


# ---- ResizeBicubic and ResizeArea (TF1's legacy forms) ---------------------------------------------
def case_resize_bicubic(tf):
    return {"up": _resize(tf, (2, 3, 4, 2), [5, 7], method=2),
            "down": _resize(tf, (1, 7, 9, 1), [3, 4], method=tf.image.ResizeMethod.BICUBIC),
            "corners": _resize(tf, (1, 4, 3, 1), [7, 5], method=2, align_corners=True)}


def case_resize_bicubic_grad(tf):
    return {"up": _resize_grad(tf, (1, 3, 4, 2), [5, 7], 2), "down": _resize_grad(tf, (1, 7, 6, 1), [3, 4], 2)}


def case_resize_area(tf):
    return {"up": _resize(tf, (2, 3, 4, 2), [5, 7], method=3),
            "down": _resize(tf, (1, 7, 9, 1), [3, 4], method=tf.image.ResizeMethod.AREA),
            "uint8": _resize(tf, (5, 6, 3), [2, 4], dtype=np.uint8, method=3),
            "no_gradient": catch(_resize_grad, tf, (1, 4, 4, 1), [2, 2], 3)}


def case_resize_preserve_aspect_ratio(tf):
    wide = tf.constant(_image((1, 4, 10, 1), 33))
    one = tf.constant(_image((6, 3, 2), 34))
    ys = [tf.image.resize_images(wide, [6, 6], preserve_aspect_ratio=True),
          tf.image.resize_images(one, [5, 8], method=1, preserve_aspect_ratio=True),
          tf.image.resize_images(one, [12, 6], preserve_aspect_ratio=True)]  # the same ratio, twice the size
    return {"info": [_info(y) for y in ys], "values": _run(tf, ys)}
