# Sourced by ./run-tests and ./run-lesson: make sure .venv exists and holds tfteach
# (editable) with the test and lesson extras, at the versions pinned in constraints.txt.
# Re-installs only when pyproject.toml or constraints.txt changed since the last install.
# Set PYTHON to choose the interpreter that creates the venv (default: python3).

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"

ensure_venv() {
    local py="${PYTHON:-python3}"
    if [ ! -x "$VENV/bin/python" ]; then
        # tfteach itself supports 3.10, but the pins in constraints.txt need 3.11.
        if ! "$py" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            echo "error: the pinned dependencies need Python >= 3.11; '$py' is $("$py" --version 2>&1 || echo missing)." >&2
            echo "Set PYTHON=/path/to/python3.11 and try again." >&2
            return 1
        fi
        echo "Creating $VENV with $("$py" --version 2>&1) ..."
        "$py" -m venv "$VENV"
    fi
    local stamp="$VENV/.tfteach-installed"
    local want
    want="$(cat "$ROOT/pyproject.toml" "$ROOT/constraints.txt" | sha256sum | cut -d' ' -f1)"
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
        return 0
    fi
    echo "Installing tfteach and its pinned dependencies into .venv ..."
    (cd "$ROOT" && "$VENV/bin/python" -m pip install --disable-pip-version-check -q \
        -c constraints.txt -e ".[test,lessons]")
    echo "$want" > "$stamp"
}
