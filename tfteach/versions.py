"""The oldest versions of tfteach's dependencies that work, checked where each one is imported.

pyproject.toml declares the same floors; this catches an environment that pip did not set up
(an older package already installed, a hosted notebook service's own image) with a message
that says what to do, instead of a crash deep inside a widget or the importer.
"""
import re

# The same floors as pyproject.toml; each found by installing the version below it (see the
# README's "Supported versions").
NUMPY = (2, 0)
IPYWIDGETS = (8, 0)


def parse(version):
    """'8.1.2' -> (8, 1, 2); '2.0.0rc1' -> (2, 0, 0): the leading numbers of a version."""
    match = re.match(r"\d+(?:\.\d+)*", str(version))
    return tuple(int(part) for part in match.group(0).split(".")) if match else ()


def require(module, minimum, needed_for):
    """Raise ImportError naming the package, the version found and the version needed."""
    name = module.__name__.split(".")[0]
    found = getattr(module, "__version__", "unknown")
    if parse(found) < minimum:
        need = ".".join(map(str, minimum))
        raise ImportError(f"{needed_for} need {name} >= {need}, but {name} {found} is installed. "
                          f"Upgrade it with: pip install -U '{name}>={need}' (then restart the "
                          f"kernel).")
