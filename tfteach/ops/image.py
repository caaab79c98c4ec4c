"""Image ops: flips, colour adjustments, standardization, dtype conversion, cropping (resizing is
in image_resize.py).

Mirrors tensorflow/python/ops/image_ops_impl.py (tf.compat.v1.image) with the kernels of
core/kernels/image/ (adjust_contrast_op.cc, adjust_hue_op.cc, adjust_saturation_op.cc). Images are
(height, width, channels) or a batch NHWC; float pixels are in [0, 1], integer ones in [0, MAX].
"""
import numpy as np

from .. import dtypes as _dtypes
from ..graph import convert_to_tensor
from ..registry import FRESH, apply_op, kernel, shape_rule
from .array import _scope, expand_dims, reshape, shape, squeeze
from .building import pad, stack
from .compare import less, maximum, minimum
from .constant import constant
from .control import cond, identity
from .math import add, cast, divide, floordiv, matmul, multiply, sqrt, square
from .random import random_uniform
from .reduce import reduce_mean, reduce_prod
from .image_resize import (ResizeMethod, resize, resize_area, resize_bicubic, resize_bilinear,  # noqa: F401
                           resize_images, resize_nearest_neighbor)
from .shapes import fmt, shape_of
from .slicing import reverse, slice
from .unary import round, rsqrt  # noqa: A004 - TF's name


# ---- helpers -----------------------------------------------------------------------------------
def _image_rank(what, image, ranks=(3, 4)):
    """The static rank of `image`, checked as TF's _CheckAtLeast3DImage and _flip do (TF's words,
    then what to do)."""
    shape = shape_of(image)
    if shape is None:
        raise ValueError(f"{what}: tfteach needs the image's rank while building; give the "
                         f"placeholder a shape such as [None, 28, 28, 1]")
    shown = "(" + ", ".join("None" if d is None else str(d) for d in shape) + ("," if len(shape) == 1 else "") + ")"
    hint = (" (An image is (height, width, channels), a batch (batch, height, width, channels); "
            "reshape a flat batch first, e.g. tf.reshape(x, [-1, 28, 28, 1]))")
    if len(shape) < 3:
        raise ValueError(f"'image' (shape {shown}) must be at least three-dimensional." + hint)
    if len(shape) not in ranks:
        raise ValueError(f"'image' (shape {shown})must have either 3 or 4 dimensions." + hint)
    if any(d == 0 for d in shape[-3:]):
        raise ValueError(f"inner 3 dims of 'image.shape' must be > 0: {shown}")
    return len(shape)


def _checked(what, image):
    """TF's _AssertAtLeast3DImage: the static check, then the Identity 'control_dependency'."""
    _image_rank(what, image)
    return identity(image, name="control_dependency")


def _float_image(image):
    """float16/float32 images as they are, others converted to float32 (in [0, 1])."""
    if image.dtype.base_dtype in (_dtypes.float16, _dtypes.float32):
        return image
    return convert_image_dtype(image, _dtypes.float32)


# ---- flips ------------------------------------------------------------------------------------
def _flip(image, flip_index, scope_name):
    with _scope(scope_name, [image]):
        image = convert_to_tensor(image, name="image")
        rank = _image_rank(scope_name, image)
        image = identity(image, name="control_dependency")
        return reverse(image, [flip_index + rank - 3])


def flip_left_right(image):
    """The image mirrored left to right (its width axis reversed). Op ReverseV2."""
    return _flip(image, 1, "flip_left_right")


def flip_up_down(image):
    """The image upside down (its height axis reversed). Op ReverseV2."""
    return _flip(image, 0, "flip_up_down")


def _random_flip(image, flip_index, seed, scope_name):
    """TF's _random_flip: a 3-D image flips with probability 1/2 (a tf.cond); in a batch each
    image flips on its own coin (a 0/1 mask mixing the flipped and the original batch)."""
    with _scope(scope_name, [image]) as scope:
        image = convert_to_tensor(image, name="image")
        rank = _image_rank(scope_name, image)
        image = identity(image, name="control_dependency")
        if rank == 3:
            uniform_random = random_uniform([], 0, 1.0, seed=seed)
            mirror_cond = less(uniform_random, .5)
            result = cond(mirror_cond, lambda: reverse(image, [flip_index]), lambda: image, name=scope)
            result._shape = image._shape
            return result
        batch_size = shape(image)[0]
        uniform_random = random_uniform(stack([batch_size]), 0, 1.0, seed=seed)
        flips = round(reshape(uniform_random, stack([batch_size, 1, 1, 1])))
        flips = cast(flips, image.dtype)
        flipped_input = reverse(image, [flip_index + 1])
        return flips * flipped_input + (1 - flips) * image


def random_flip_left_right(image, seed=None):
    """With probability 1/2 (per image in a batch) the image mirrored left to right."""
    return _random_flip(image, 1, seed, "random_flip_left_right")


def random_flip_up_down(image, seed=None):
    """With probability 1/2 (per image in a batch) the image upside down."""
    return _random_flip(image, 0, seed, "random_flip_up_down")


# ---- convert_image_dtype ----------------------------------------------------------------------
def _saturate_cast(value, dtype, name):
    """TF's saturate_cast: clip to the range of `dtype`, then Cast (named `name`)."""
    with _scope(name or "saturate_cast", [value]) as scope:
        if value.dtype.min < dtype.min:
            value = maximum(value, convert_to_tensor(dtype.min, dtype=value.dtype, name="min"))
        if value.dtype.max > dtype.max:
            value = minimum(value, convert_to_tensor(dtype.max, dtype=value.dtype, name="max"))
        return cast(value, dtype, name=scope)


def convert_image_dtype(image, dtype, saturate=False, name=None):
    """Convert pixel values between dtypes, rescaling: floats are in [0, 1], ints in [0, MAX].

    uint8 -> float32 divides by 255; float32 -> uint8 multiplies by 255.5 and truncates.
    """
    image = convert_to_tensor(image, name="image")
    dtype = _dtypes.as_dtype(dtype).base_dtype
    src = image.dtype.base_dtype
    if not (dtype.is_floating or dtype.is_integer):
        raise AttributeError("dtype must be either floating point or integer")
    if not (src.is_floating or src.is_integer):
        raise AttributeError("image dtype must be either floating point or integer")
    if dtype == src:
        return identity(image, name=name)
    with _scope(name or "convert_image", [image]) as scope:
        if src.is_integer and dtype.is_integer:
            scale_in, scale_out = src.max, dtype.max
            if scale_in > scale_out:
                scaled = floordiv(image, (scale_in + 1) // (scale_out + 1))
                return _saturate_cast(scaled, dtype, scope) if saturate else cast(scaled, dtype, name=scope)
            casted = _saturate_cast(image, dtype, None) if saturate else cast(image, dtype)
            return multiply(casted, (scale_out + 1) // (scale_in + 1), name=scope)
        if src.is_floating and dtype.is_floating:
            return cast(image, dtype, name=scope)
        if src.is_integer:
            return multiply(cast(image, dtype), 1. / src.max, name=scope)
        scaled = multiply(image, dtype.max + 0.5)  # + 0.5: the cast truncates
        return _saturate_cast(scaled, dtype, scope) if saturate else cast(scaled, dtype, name=scope)


# ---- adjust_brightness / random_brightness ----------------------------------------------------
def adjust_brightness(image, delta):
    """`image + delta` on float pixels (ints go to float32 and back, saturating)."""
    with _scope("adjust_brightness", [image, delta]) as scope:
        image = convert_to_tensor(image, name="image")
        orig_dtype = image.dtype.base_dtype
        flt_image = _float_image(image)
        adjusted = add(flt_image, cast(delta, flt_image.dtype.base_dtype), name=scope)
        return convert_image_dtype(adjusted, orig_dtype, saturate=True)


def random_brightness(image, max_delta, seed=None):
    """adjust_brightness by one delta drawn uniformly from [-max_delta, max_delta) per run."""
    if max_delta < 0:
        raise ValueError("max_delta must be non-negative.")
    delta = random_uniform([], -max_delta, max_delta, seed=seed)
    return adjust_brightness(image, delta)


# ---- AdjustContrastv2 -------------------------------------------------------------------------
@kernel("AdjustContrastv2", FRESH, inputs=("images", "contrast_factor"), same_dtype=False)
def _adjust_contrast(images, contrast_factor):
    x = images.astype(np.float32)
    mean = x.mean(axis=(-3, -2), keepdims=True, dtype=np.float32)
    return ((x - mean) * np.float32(contrast_factor) + mean).astype(images.dtype)


shape_rule("AdjustContrastv2")(lambda op: [op.inputs[0].shape])
# no gradient, as in TensorFlow: tf.gradients raises LookupError through it


def adjust_contrast(images, contrast_factor):
    """Per image and channel, (x - mean) * contrast_factor + mean. Op AdjustContrastv2."""
    with _scope("adjust_contrast", [images, contrast_factor]) as scope:
        images = convert_to_tensor(images, name="images")
        orig_dtype = images.dtype.base_dtype
        flt_images = _float_image(images)
        factor = convert_to_tensor(contrast_factor, dtype=_dtypes.float32, name="contrast_factor")
        adjusted = apply_op("AdjustContrastv2", [flt_images, factor], name=scope)
        return convert_image_dtype(adjusted, orig_dtype, saturate=True)


def random_contrast(image, lower, upper, seed=None):
    """adjust_contrast by one factor drawn uniformly from [lower, upper) per run."""
    if upper <= lower:
        raise ValueError("upper must be > lower.")
    if lower < 0:
        raise ValueError("lower must be non-negative.")
    contrast_factor = random_uniform([], lower, upper, seed=seed)
    return adjust_contrast(image, contrast_factor)


# ---- AdjustHue and AdjustSaturation: through HSV, as TF's kernels --------------------------------
def _rgb_to_hsv(rgb):
    r, g, b = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    v = np.maximum(r, np.maximum(g, b))
    rng = v - np.minimum(r, np.minimum(g, b))
    s = np.where(v > 0, rng / np.where(v > 0, v, 1), np.float32(0))
    with np.errstate(divide="ignore", invalid="ignore"):
        norm = np.float32(1) / (np.float32(6) * rng)
        h = np.where(r == v, norm * (g - b),
                     np.where(g == v, norm * (b - r) + np.float32(2 / 6), norm * (r - g) + np.float32(4 / 6)))
    h = np.where(rng <= 0, np.float32(0), h)
    h = np.where(h < 0, h + np.float32(1), h)
    return h.astype(np.float32), s.astype(np.float32), v


def _hsv_to_rgb(h, s, v):
    c = s * v
    m = v - c
    dh = h * np.float32(6)
    category = dh.astype(np.int64)
    fmodu = np.mod(dh, np.float32(2))
    x = c * (1 - np.abs(fmodu - 1))
    zero = np.zeros_like(c)
    table = [(c, x, zero), (x, c, zero), (zero, c, x), (zero, x, c), (x, zero, c), (c, zero, x)]
    out = np.zeros(h.shape + (3,), np.float32)
    for k, rgb in enumerate(table):
        mask = category == k
        for channel in range(3):
            out[..., channel] = np.where(mask, rgb[channel], out[..., channel])
    return out + m[..., None]


def _check_rgb(what, images):
    if images.shape[-1] != 3:
        raise ValueError(f"{what}: input must have 3 channels (RGB) but instead has "
                         f"{images.shape[-1]} channels, shape {list(images.shape)}")


@kernel("AdjustHue", FRESH, inputs=("images", "delta"), same_dtype=False)
def _adjust_hue(images, delta):
    _check_rgb("AdjustHue", images)
    h, s, v = _rgb_to_hsv(images.astype(np.float32))
    h = np.mod(h + np.float32(delta), np.float32(1))
    return _hsv_to_rgb(h, s, v).astype(images.dtype)


shape_rule("AdjustHue")(lambda op: [op.inputs[0].shape])


def adjust_hue(image, delta, name=None):
    """Rotate the hue of RGB pixels by `delta` (a fraction of the colour circle). Op AdjustHue."""
    with _scope(name or "adjust_hue", [image]):
        image = convert_to_tensor(image, name="image")
        orig_dtype = image.dtype.base_dtype
        flt_image = _float_image(image)
        with _scope("AdjustHue", [flt_image]) as scope:
            delta = convert_to_tensor(delta, dtype=_dtypes.float32, name="delta")
            rgb_altered = apply_op("AdjustHue", [flt_image, delta], name=scope)
        return convert_image_dtype(rgb_altered, orig_dtype)


@kernel("AdjustSaturation", FRESH, inputs=("images", "scale"), same_dtype=False)
def _adjust_saturation(images, scale):
    _check_rgb("AdjustSaturation", images)
    h, s, v = _rgb_to_hsv(images.astype(np.float32))
    s = np.clip(s * np.float32(scale), np.float32(0), np.float32(1))
    return _hsv_to_rgb(h, s, v).astype(images.dtype)


shape_rule("AdjustSaturation")(lambda op: [op.inputs[0].shape])


def adjust_saturation(image, saturation_factor, name=None):
    """Multiply the saturation of RGB pixels by `saturation_factor`. Op AdjustSaturation."""
    with _scope(name or "adjust_saturation", [image]):
        image = convert_to_tensor(image, name="image")
        orig_dtype = image.dtype.base_dtype
        flt_image = _float_image(image)
        with _scope("AdjustSaturation", [flt_image]) as scope:
            factor = convert_to_tensor(saturation_factor, dtype=_dtypes.float32, name="scale")
            adjusted = apply_op("AdjustSaturation", [flt_image, factor], name=scope)
        return convert_image_dtype(adjusted, orig_dtype)


# ---- per_image_standardization, rgb_to_grayscale, central_crop -----------------------------------
def per_image_standardization(image):
    """(x - mean) / max(stddev, 1/sqrt(pixels)) per image: zero mean, unit variance, float32."""
    with _scope("per_image_standardization", [image]) as scope:
        image = convert_to_tensor(image, name="image")
        image = _checked("per_image_standardization", image)
        image = cast(image, _dtypes.float32)
        num_pixels = reduce_prod(shape(image)[-3:])
        image_mean = reduce_mean(image, axis=[-1, -2, -3], keepdims=True)
        with _scope("reduce_std", [image]):
            with _scope("reduce_variance", [image]):
                mean = reduce_mean(image, axis=[-1, -2, -3], keepdims=True)
                variance = reduce_mean(square(image - mean), axis=[-1, -2, -3], keepdims=True)
            stddev = sqrt(variance)
        min_stddev = rsqrt(cast(num_pixels, _dtypes.float32))
        adjusted_stddev = maximum(stddev, min_stddev)
        image = image - image_mean
        return divide(image, adjusted_stddev, name=scope)


def rgb_to_grayscale(images, name=None):
    """Weighted sum of R, G, B (0.2989, 0.5870, 0.1140) keeping a channel axis of 1."""
    with _scope(name or "rgb_to_grayscale", [images]) as scope:
        images = convert_to_tensor(images, name="images")
        dims = shape_of(images)
        if dims is None or dims[-1] != 3:
            raise ValueError(f"rgb_to_grayscale: the last dimension must be 3 (RGB), got shape "
                             f"{fmt(dims) if dims is not None else '<unknown>'}")
        orig_dtype = images.dtype.base_dtype
        flt_image = convert_image_dtype(images, _dtypes.float32)
        with _scope("Tensordot", [flt_image]) as dot:  # tensordot(flt_image, weights, [-1, -1])
            weights = constant([0.2989, 0.5870, 0.1140], dtype=_dtypes.float32, name="b")
            flat = reshape(flt_image, [-1, 3])
            gray = matmul(flat, reshape(weights, [3, 1]), name="MatMul")
            outer = [d if d is not None else -1 for d in dims[:-1]]
            if outer.count(-1) > 1:
                outer = stack([shape(flt_image)[i] for i in range(len(dims) - 1)])
            gray_float = reshape(gray, outer, name=dot)
        gray_float = expand_dims(gray_float, -1)
        return convert_image_dtype(gray_float, orig_dtype, name=scope)


def central_crop(image, central_fraction):
    """The central `central_fraction` of the image's height and width (a Slice)."""
    with _scope("central_crop", [image]):
        image = convert_to_tensor(image, name="image")
        if not isinstance(central_fraction, (int, float)):
            raise ValueError("central_crop: tfteach needs central_fraction as a Python number")
        if central_fraction <= 0.0 or central_fraction > 1.0:
            raise ValueError("central_fraction must be within (0, 1]")
        if central_fraction == 1.0:
            return image
        image = _checked("central_crop", image)
        dims = shape_of(image)
        rank = len(dims)
        img_h, img_w = dims[rank - 3], dims[rank - 2]
        if img_h is None or img_w is None:
            raise ValueError("central_crop: tfteach needs the image's height and width while building")
        h_start = int((float(img_h) - float(img_h) * central_fraction) / 2)
        w_start = int((float(img_w) - float(img_w) * central_fraction) / 2)
        h_size, w_size = img_h - 2 * h_start, img_w - 2 * w_start
        if rank == 3:
            begin, size = stack([h_start, w_start, 0]), stack([h_size, w_size, -1])
        else:
            begin, size = stack([0, h_start, w_start, 0]), stack([-1, h_size, w_size, -1])
        return slice(image, begin, size)


def resize_image_with_crop_or_pad(image, target_height, target_width):
    """Crop (centrally) or zero-pad (evenly) the image to target_height x target_width."""
    with _scope("resize_image_with_crop_or_pad", [image]):
        image = convert_to_tensor(image, name="image")
        rank = _image_rank("resize_image_with_crop_or_pad", image)
        if rank == 3:
            image = expand_dims(image, 0)
        if target_width <= 0 or target_height <= 0:
            raise ValueError("target_width must be > 0." if target_width <= 0 else "target_height must be > 0.")
        image = identity(image, name="control_dependency")
        height, width = shape_of(image)[1:3]
        if height is None or width is None:
            raise ValueError("resize_image_with_crop_or_pad: tfteach needs the image's height and "
                             "width while building")
        off_crop_h, off_crop_w = max((height - target_height) // 2, 0), max((width - target_width) // 2, 0)
        off_pad_h, off_pad_w = max((target_height - height) // 2, 0), max((target_width - width) // 2, 0)
        ch, cw = min(target_height, height), min(target_width, width)
        with _scope("crop_to_bounding_box", [image]):
            image = identity(image, name="control_dependency")
            cropped = slice(image, stack([0, off_crop_h, off_crop_w, 0]), stack([-1, ch, cw, -1]))
        with _scope("pad_to_bounding_box", [cropped]):
            cropped = identity(cropped, name="control_dependency")
            rows = [off_pad_h, target_height - ch - off_pad_h]
            cols = [off_pad_w, target_width - cw - off_pad_w]
            padded = pad(cropped, [[0, 0], rows, cols, [0, 0]])
        resized = identity(padded, name="control_dependency_1")
        return resized if rank == 4 else squeeze(resized, axis=[0])


__all__ = ["ResizeMethod", "resize_images", "resize", "resize_bilinear", "resize_nearest_neighbor",
           "resize_bicubic", "resize_area",
           "flip_left_right", "flip_up_down", "random_flip_left_right", "random_flip_up_down",
           "convert_image_dtype", "adjust_brightness", "random_brightness", "adjust_contrast",
           "random_contrast", "adjust_hue", "adjust_saturation", "per_image_standardization",
           "rgb_to_grayscale", "central_crop", "resize_image_with_crop_or_pad"]
