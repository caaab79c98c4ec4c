"""The later chapters load on first use, as TF1 loads tf.contrib and tf.estimator (its LazyLoader).

`import tfteach` stays as fast as the first lessons need (issue #24): tf.estimator, tf.data,
tf.image, tf.io, tf.metrics, the RNN cells, ... are imported the first time a program touches
them. Each namespace (`tfteach`, `tf.nn`, `tf.contrib`, `tf.keras`) keeps a table
`name -> (module, attribute)` and calls `attribute` from its module `__getattr__` (PEP 562);
`names` feeds its `__dir__`, so `dir(tf)`, `hasattr` and tab completion still see every name.

The catch: the lazy modules register ops. A GraphDef or a .meta file may hold such an op
(ResizeBilinear, FIFOQueueV2, IteratorGetNext, ...) before anything loaded its module, so an
op-type lookup that misses calls `load_all` and looks again (tfteach/importer.py does).
"""
import importlib
import sys

from .coverage import missing

# Every lazy table, by namespace module name; `load_all` walks them all.
TABLES = {}


def register(namespace, label, table):
    """Declare the lazy names of the module `namespace` (shown as `label` in errors)."""
    TABLES[namespace] = (label, table)


def module(name):
    """Import a tfteach module by its relative name (".estimator")."""
    return importlib.import_module(name, "tfteach")


def _load(entry):
    if callable(entry):  # a namespace built from modules (tf.contrib.rnn)
        return entry()
    module_name, attr = entry
    loaded = module(module_name)
    return loaded if attr is None else getattr(loaded, attr)


def attribute(namespace, name):
    """The value of the lazy `namespace.name`, loaded now and kept in the namespace's globals."""
    label, table = TABLES[namespace]
    if name not in table:
        raise missing(label, name)
    value = _load(table[name])
    setattr(sys.modules[namespace], name, value)
    return value


def names(namespace, defined, hidden=()):
    """`dir()` of a namespace: its defined names plus the lazy ones (less `hidden`)."""
    return sorted(set(defined) | (set(TABLES[namespace][1]) - set(hidden)))


def load_all():
    """Load every lazy namespace, so that every op tfteach implements is registered (a namespace
    loaded here may register a table of its own, as tf.image's JPEG names do: walked too)."""
    done = set()
    while set(TABLES) - done:
        for namespace in sorted(set(TABLES) - done):
            done.add(namespace)
            for name in TABLES[namespace][1]:
                if name != "display":  # drawing code registers no op
                    getattr(sys.modules[namespace], name)
