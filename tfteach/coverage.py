"""What tfteach implements: `python -m tfteach.coverage` prints the README's coverage table.

Also home of the clear error for a TF1 name tfteach does not have (`tf.make_template`), raised
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
            ("tf.losses", tf.losses), ("tf.summary", tf.summary), ("tf.errors", tf.errors), ("tf.contrib.layers", tf.contrib.layers),
            ("tf.nn.rnn_cell", tf.nn.rnn_cell), ("tf.contrib.rnn", tf.contrib.rnn),
            ("tf.contrib.seq2seq", tf.contrib.seq2seq), ("tf.metrics", tf.metrics), ("tf.logging", tf.logging),
            ("tf.random", tf.random), ("tf.keras.datasets.mnist", tf.keras.datasets.mnist),
            ("tf.image", tf.image), ("tf.data", tf.data), ("tf.io", tf.io), ("tf.python_io", tf.python_io),
            ("tf.estimator", tf.estimator), ("tf.estimator.inputs", tf.estimator.inputs),
            ("tf.feature_column", tf.feature_column),
            ("tf.sparse", tf.sparse)]


def public_names(module):
    """Public names of a namespace: functions, classes and dtypes, not submodules or helpers."""
    names = []
    for name in getattr(module, "__all__", None) or dir(module):
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


START, END = "<!-- coverage:start -->", "<!-- coverage:end -->"


def update_readme(path):
    """Replace the table between the coverage markers of `path` (the README) with a fresh one."""
    with open(path) as f:
        text = f.read()
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    with open(path, "w") as f:
        f.write(head + START + "\n" + table() + "\n" + END + tail)


if __name__ == "__main__":
    import sys
    if sys.argv[1:2] == ["--write"]:
        update_readme(sys.argv[2])
    else:
        print(table())
