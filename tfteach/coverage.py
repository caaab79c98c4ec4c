"""What tfteach implements: `python -m tfteach.coverage` prints the README's coverage table.

Also home of the clear error for a TF1 name tfteach does not have (`tf.while_loop`), raised
by the module `__getattr__` hooks of `tfteach` and its namespaces.
"""
import types


class NotImplementedInTfteach(AttributeError, NotImplementedError):
    """A TF1 name that tfteach does not implement (an AttributeError, so hasattr() is False)."""


def missing(namespace, name):
    """The error for `namespace.name` that does not exist; dunder lookups stay plain."""
    if name.startswith("__") and name.endswith("__"):
        return AttributeError(f"module '{namespace}' has no attribute '{name}'")
    return NotImplementedInTfteach(
        f"tfteach does not implement {namespace}.{name} (see the coverage table in the README: "
        f"python -m tfteach.coverage)")


def _namespaces():
    import tfteach as tf
    return [("tf", tf), ("tf.nn", tf.nn), ("tf.train", tf.train), ("tf.layers", tf.layers),
            ("tf.losses", tf.losses), ("tf.errors", tf.errors), ("tf.contrib.layers", tf.contrib.layers)]


def public_names(module):
    """Public names of a namespace: functions, classes and dtypes, not submodules or helpers."""
    names = []
    for name in dir(module):
        if name.startswith("_"):
            continue
        value = getattr(module, name)
        if isinstance(value, types.ModuleType):
            continue
        names.append(name)
    return sorted(names)


def table():
    """The coverage table as Markdown: one row per namespace, its implemented names."""
    lines = ["| namespace | implemented names |", "|---|---|"]
    for label, module in _namespaces():
        lines.append(f"| `{label}` | " + ", ".join(f"`{n}`" for n in public_names(module)) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(table())
