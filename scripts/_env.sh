# Shared by scripts/test and scripts/run: create .venv and install the project once, again when pyproject.toml changes.
VENV="${QA_VENV:-.venv}"
ensure_env() {
    local stamp="$VENV/.installed"
    if [ ! -x "$VENV/bin/python" ]; then
        python3 -m venv "$VENV"
    fi
    if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
        "$VENV/bin/python" -m pip install -q --upgrade pip
        # The CPU wheel must come first: an unpinned torch pulls gigabytes of CUDA packages.
        "$VENV/bin/python" -m pip install -q "torch==2.13.0"
        "$VENV/bin/python" -m pip install -q -e ".[dev]"
        touch "$stamp"
    fi
}
