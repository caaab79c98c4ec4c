#!/usr/bin/env bash
# The core tests (no notebooks, no browser) on the oldest Python and dependencies pyproject.toml
# allows: Python 3.10, numpy 2.0, ipython 7.34, ipywidgets 8.0, matplotlib 3.9 (the rest as pip
# picks). Debian offers no second Python, so this uses a 3.10 the machine already has (pyenv's,
# or python3.10 on PATH) and says so when there is none.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
py=""
for candidate in $(ls -d /root/.pyenv/versions/3.10.*/bin/python 2>/dev/null) "$(command -v python3.10 || true)"; do
    # a pyenv shim is on PATH even where it cannot run 3.10: try each one
    if [ -n "$candidate" ] && "$candidate" -c "import sys, venv; assert sys.version_info[:2] == (3, 10)" 2>/dev/null; then
        py="$candidate"
        break
    fi
done
if [ -z "$py" ]; then
    echo "no Python 3.10 on this machine: the oldest-combination run is skipped"
    exit 0
fi
venv="$(mktemp -d)/py310"
echo "Python: $("$py" --version) ($py), venv $venv"
"$py" -m venv "$venv"
"$venv/bin/python" -m pip install --disable-pip-version-check -q "numpy==2.0.2" "ipython==7.34.0" \
    "ipywidgets==8.0.0" "matplotlib==3.9.0" -e "$ROOT[test,lessons]"
cd "$ROOT"
# addopts without --nbval: the notebooks' stored outputs are made with constraints.txt's versions
exec "$venv/bin/python" -m pytest tests -m "not browser and not slow" -o addopts="--strict-markers -ra" \
    -p no:cacheprovider -q
