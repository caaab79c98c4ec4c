"""tf.nn.conv2d_transpose: the "deconvolution" of DCGAN generators, which is Conv2DBackpropInput.

Mirrors conv2d_transpose in tensorflow/python/ops/nn_ops.py: no op of its own. A transposed
convolution spreads each input pixel over a kernel-sized window of a larger output, exactly
what the gradient of conv2d with respect to its input does; so TF builds that op (ops/conv.py
holds its kernel, shape rule and gradient), named `conv2d_transpose`.
"""
from ..graph import convert_to_tensor, graph_of
from .conv import conv2d_backprop_input
from .shapes import fmt, shape_of


def conv2d_transpose(value=None, filter=None, output_shape=None, strides=None, padding="SAME",  # noqa: A002
                     data_format="NHWC", name=None, input=None, filters=None, dilations=None):  # noqa: A002
    """The transpose of conv2d: `value` (batch, h, w, in) -> `output_shape` (batch, H, W, out).

    `filter` is (kh, kw, out_channels, in_channels): note the order, the reverse of conv2d's,
    because this is conv2d's gradient for a conv2d from `output_shape` to `value`'s shape.
    With padding 'SAME' and stride s, H = h * s. Op type Conv2DBackpropInput, named
    'conv2d_transpose'. Example (a DCGAN step from 4x4 to 8x8):
    `tf.nn.conv2d_transpose(x, w, [n, 8, 8, 64], [1, 2, 2, 1], 'SAME')` with w (5, 5, 64, 128).
    """
    value = input if value is None else value
    filter = filters if filter is None else filter  # noqa: A001
    if value is None or filter is None or output_shape is None or strides is None:
        raise TypeError("conv2d_transpose() needs value, filter, output_shape and strides")
    if data_format not in ("NHWC", None):
        raise ValueError(f"conv2d_transpose: only data_format='NHWC' is supported, got {data_format!r}")
    if dilations not in (None, 1, [1, 1, 1, 1], (1, 1, 1, 1)):
        raise ValueError(f"conv2d_transpose: dilations other than 1 are not implemented in tfteach, got {dilations!r}")
    with graph_of([value, filter, output_shape]).name_scope(name or "conv2d_transpose") as scope:
        value = convert_to_tensor(value, name="value")
        filter = convert_to_tensor(filter, name="filter")  # noqa: A001
        w, x = shape_of(filter), shape_of(value)
        if w is not None and x is not None and len(x) == 4 and len(w) == 4 \
                and None not in (x[3], w[3]) and x[3] != w[3]:
            raise ValueError(f"input channels does not match filter's input channels, {x[3]} != {w[3]}: "
                             f"value {fmt(x)}, filter {fmt(w)} (kh, kw, out_channels, in_channels)")
        if isinstance(output_shape, (list, tuple)) and len(output_shape) == 4 and w is not None \
                and isinstance(output_shape[3], int) and w[2] is not None and output_shape[3] != w[2]:
            raise ValueError(f"output_shape does not match filter's output channels, {output_shape[3]} != {w[2]}")
        if isinstance(strides, int):
            strides = [1, strides, strides, 1]
        elif len(strides) == 2:
            strides = [1, *strides, 1]
        return conv2d_backprop_input(output_shape, filter, value, strides, padding, name=scope)


__all__ = ["conv2d_transpose"]
