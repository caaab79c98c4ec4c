#!/usr/bin/env bash
# Build a static JupyterLite site holding the tfteach wheel and the lessons (see docs/deploy.md).
#   lite/build.sh [PYTHON]   PYTHON: a Python with lite/requirements.txt installed (default:
#                             python3); the site is written to lite/_output/.
# Offline: the build reads only this repository and the installed packages. Opening the site
# needs a browser that loads Pyodide from its CDN.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
python="${1:-python3}"
rm -rf "$here/dist" "$here/contents" "$here/_output" "$here/.jupyterlite.doit.db"
"$python" -m pip wheel "$root" --no-deps -q -w "$here/dist"
# the lessons, copied by the same code a learner runs (lessons.py needs only the standard library)
"$python" "$root/tfteach/lessons.py" "$here/contents" > /dev/null
rm -f "$here/contents/.tfteach-lessons.json"
cd "$here"
"$python" -m jupyter lite build --config jupyter_lite_config.json
# the check CI relies on: every notebook and the wheel are in the site
wheel="$(cd "$here/dist" && ls tfteach-*.whl)"
test -f "_output/pypi/$wheel" && grep -q '"tfteach"' _output/pypi/all.json
(cd contents && find . -name '*.ipynb' | sort) > /tmp/tfteach-lite-expected.$$
(cd _output/files && find . -name '*.ipynb' | sort) > /tmp/tfteach-lite-found.$$
diff /tmp/tfteach-lite-expected.$$ /tmp/tfteach-lite-found.$$
rm -f /tmp/tfteach-lite-expected.$$ /tmp/tfteach-lite-found.$$
echo "JupyterLite site in $here/_output: $wheel and $(ls _output/files/*.ipynb _output/files/*/*.ipynb | wc -l) notebooks"
