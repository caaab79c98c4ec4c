"""Device strings as TF1 keeps them on ops: '/job:ps/task:0/device:CPU:0' (TF's pydev/device_spec.py).

tfteach runs every op on its one CPU, so a device is only recorded (`op.device`) and written in
the GraphDef, where real TensorFlow reads it. Used by Graph.device (graph.py).
"""


def parse(text):
    """'/job:ps/task:1/cpu:0' as TF's DeviceSpec fields: {'job': 'ps', 'task': '1', 'device': 'CPU:0'}."""
    fields = {}
    for part in text.split("/"):
        if not part:
            continue
        key, _, rest = part.partition(":")
        if key in ("job", "replica", "task") and rest:
            fields[key] = rest
        elif key.lower() == "device" and rest:
            kind, _, index = rest.partition(":")
            fields["device"] = f"{kind.upper() if kind.lower() in ('cpu', 'gpu', 'tpu') else kind}:{index or '*'}"
        elif key.lower() in ("cpu", "gpu", "tpu"):
            fields["device"] = f"{key.upper()}:{rest or '*'}"
        else:
            raise ValueError(f"Unknown attribute: '{part}' in '{text}'")
    return fields


def as_string(device):
    """A device as the text TF keeps on an op: a string as given, a DeviceSpec by to_string()."""
    if device is None:
        return ""
    if hasattr(device, "to_string"):
        return device.to_string()
    if not isinstance(device, str):
        raise TypeError(f"tf.device: a device is a string like '/cpu:0', a function or None, "
                        f"got {type(device).__name__}: {device!r}")
    return device


def merge(stack, op):
    """TF1's merge of the device blocks around `op`, outermost first: an inner string's fields
    (job, replica, task, device) replace the outer ones; None starts afresh; a function's
    non-empty answer is taken as it is."""
    fields = {}
    for spec in stack:
        if spec is None:
            fields = {}
        elif callable(spec):
            device = as_string(spec(op))
            if device:
                fields = {"as is": device}
        else:
            fields = {k: v for k, v in fields.items() if k != "as is"}
            fields.update(spec)
    if "as is" in fields:
        return fields["as is"]
    return "".join(f"/{k}:{fields[k]}" for k in ("job", "replica", "task", "device") if k in fields)
