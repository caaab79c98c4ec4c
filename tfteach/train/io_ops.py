"""SaveV2 and RestoreV2: the ops a tf.train.Saver adds, writing and reading V2 checkpoints.

Mirrors tensorflow/python/ops/io_ops.py and core/kernels/save_restore_v2_ops.cc. Registered
here, beside the Saver, rather than in ops/: nothing else uses them.
"""
import numpy as np

from ..errors import InvalidArgumentError, NotFoundError, UnimplementedError
from ..registry import NotDifferentiable, apply_op, kernel, shape_rule
from ..tensor_shape import TensorShape
from .checkpoint import CheckpointReader, write_bundle


def _strings(arr):
    return [v.decode("utf-8") if isinstance(v, bytes) else str(v) for v in np.asarray(arr, dtype=object).ravel()]


def _check_whole(ctx, names, shape_and_slices):
    if len(shape_and_slices) != len(names):
        raise InvalidArgumentError(None, ctx.op, f"{ctx.op.type} '{ctx.op.name}': {len(names)} tensor names "
                                   f"but {len(shape_and_slices)} shape_and_slices")
    if any(shape_and_slices):
        raise UnimplementedError(None, ctx.op, f"{ctx.op.type} '{ctx.op.name}': tfteach saves and restores "
                                 f"whole tensors only, got shape_and_slices {shape_and_slices}")


# ---- SaveV2 -------------------------------------------------------------------------------
@kernel("SaveV2", inputs=("prefix", "tensor_names", "shape_and_slices", "tensors"), session=True,
        same_dtype=False)
def _save_v2(ctx, prefix, tensor_names, shape_and_slices, *tensors, dtypes=None):
    names = _strings(tensor_names)
    _check_whole(ctx, names, _strings(shape_and_slices))
    if len(tensors) != len(names):
        raise InvalidArgumentError(None, ctx.op, f"SaveV2 '{ctx.op.name}': {len(names)} tensor names but "
                                   f"{len(tensors)} tensors")
    dtypes = dtypes or [t.dtype.base_dtype for t in ctx.op.inputs[3:]]
    write_bundle(_strings(prefix)[0], names, tensors, dtypes)


@shape_rule("SaveV2")
def _save_v2_shape(op):
    return []


NotDifferentiable("SaveV2")


def save_v2(prefix, tensor_names, shape_and_slices, tensors, name=None):
    """Op writing `tensors` as checkpoint `prefix`, named `tensor_names` ('' slices: whole tensors)."""
    dtypes = [t.dtype.base_dtype for t in tensors]
    return apply_op("SaveV2", [prefix, list(tensor_names), list(shape_and_slices)] + list(tensors),
                    {"dtypes": dtypes}, name=name, dtypes=[])


# ---- RestoreV2 ------------------------------------------------------------------------------
@kernel("RestoreV2", inputs=("prefix", "tensor_names", "shape_and_slices"), session=True, same_dtype=False)
def _restore_v2(ctx, prefix, tensor_names, shape_and_slices, dtypes):
    names = _strings(tensor_names)
    _check_whole(ctx, names, _strings(shape_and_slices))
    reader = CheckpointReader(_strings(prefix)[0])
    missing = [n for n in names if not reader.has_tensor(n)]
    if missing:
        raise NotFoundError(None, ctx.op, "Key " + ", ".join(missing) + " not found in checkpoint\n\t [[node "
                            f"{ctx.op.name}]]")
    stored = reader.get_variable_to_dtype_map()
    wrong = [f"tensor_name = {n}; expected dtype {d.name} does not equal original dtype {stored[n].name}"
             for n, d in zip(names, dtypes) if stored[n] != d.base_dtype]
    if wrong:
        raise InvalidArgumentError(None, ctx.op, "\n".join(wrong) + f"\n\t [[node {ctx.op.name}]]")
    values = reader.get_tensors(names)
    return values[0] if len(values) == 1 else values


@shape_rule("RestoreV2")
def _restore_v2_shape(op):
    return [TensorShape(None)] * len(op.outputs)


NotDifferentiable("RestoreV2")


def restore_v2(prefix, tensor_names, shape_and_slices, dtypes, name=None):
    """Op reading `tensor_names` from checkpoint `prefix`: a list of tensors of `dtypes`."""
    return apply_op("RestoreV2", [prefix, list(tensor_names), list(shape_and_slices)], {"dtypes": list(dtypes)},
                    name=name, dtypes=list(dtypes), num_outputs=len(dtypes))
