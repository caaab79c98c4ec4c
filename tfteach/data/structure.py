"""Nested element structures (tuples, dicts, single tensors) flattened to component lists.

A small tf.nest for tf.data: tuples keep their order, dicts go by sorted key (as TF's nest).
"""


def flatten(structure):
    """The leaves of `structure` in TF's order."""
    if isinstance(structure, tuple):
        return [leaf for s in structure for leaf in flatten(s)]
    if isinstance(structure, dict):
        return [leaf for k in sorted(structure) for leaf in flatten(structure[k])]
    return [structure]


def pack(structure, flat):
    """`flat` leaves put back into the shape of `structure`."""
    flat = list(flat)
    out = _pack(structure, flat)
    if flat:
        raise ValueError(f"Structure had {len(flatten(structure))} leaves, got more values.")
    return out


def _pack(structure, flat):
    if isinstance(structure, tuple):
        items = [_pack(s, flat) for s in structure]
        return type(structure)(*items) if hasattr(structure, "_fields") else tuple(items)
    if isinstance(structure, dict):
        packed = {k: _pack(structure[k], flat) for k in sorted(structure)}
        return type(structure)((k, packed[k]) for k in structure)
    return flat.pop(0)


def map_structure(fn, structure):
    return pack(structure, [fn(leaf) for leaf in flatten(structure)])
