"""Too-old dependencies get a message naming the package, the version found and the one needed."""
import importlib
import sys
import types

import pytest

from tfteach import versions


def test_parse_reads_the_leading_numbers():
    assert versions.parse("8.1.2") == (8, 1, 2)
    assert versions.parse("2.0.0rc1") == (2, 0, 0)
    assert versions.parse("7.8.5.dev0") == (7, 8, 5)
    assert versions.parse("unknown") == ()


def test_require_names_package_found_and_needed():
    old = types.SimpleNamespace(__name__="ipywidgets", __version__="7.8.5")
    with pytest.raises(ImportError) as e:
        versions.require(old, (8, 0), "tfteach's widgets")
    assert str(e.value) == ("tfteach's widgets need ipywidgets >= 8.0, but ipywidgets 7.8.5 is "
                            "installed. Upgrade it with: pip install -U 'ipywidgets>=8.0' (then "
                            "restart the kernel).")
    versions.require(types.SimpleNamespace(__name__="ipywidgets", __version__="8.0.0"), (8, 0), "x")


@pytest.mark.parametrize("module", ["tfteach.widgets.stepper_view", "tfteach.widgets.replay_view"])
def test_widget_views_refuse_ipywidgets_7(monkeypatch, module):
    import ipywidgets
    monkeypatch.setattr(ipywidgets, "__version__", "7.8.5")
    monkeypatch.delitem(sys.modules, module, raising=False)
    with pytest.raises(ImportError, match=r"need ipywidgets >= 8\.0, but ipywidgets 7\.8\.5"):
        importlib.import_module(module)


def test_importer_refuses_too_old_numpy(monkeypatch):
    import numpy
    monkeypatch.setattr(numpy, "__version__", "1.21.6")
    monkeypatch.delitem(sys.modules, "tfteach.importer", raising=False)
    with pytest.raises(ImportError, match=r"need numpy >= .*, but numpy 1\.21\.6 is installed"):
        importlib.import_module("tfteach.importer")
