"""The README stays true: its coverage table is the one the package generates."""
import os

import pytest

from tfteach import coverage

README = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "README.md")


def test_readme_coverage_table_is_current():
    with open(README) as f:
        text = f.read()
    table = text.split(coverage.START, 1)[1].split(coverage.END, 1)[0].strip()
    assert table == coverage.table(), "run: python -m tfteach.coverage --write README.md"


def test_every_listed_name_exists_and_others_get_the_clear_error():
    import tfteach as tf
    for label, module in coverage._namespaces():
        for name in coverage.public_names(module):
            assert hasattr(module, name), f"{label}.{name}"
    with pytest.raises(AttributeError, match="tfteach does not implement tf.nn.conv3d_transpose"):
        tf.nn.conv3d_transpose


def test_module_index_is_current():
    """docs/modules.md lists every module with its docstring (scripts/module_index.py rewrites it)."""
    import subprocess
    import sys
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    result = subprocess.run([sys.executable, os.path.join(root, "scripts", "module_index.py"), "--check"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
