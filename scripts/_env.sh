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

# The browser test needs Debian's Chromium, its driver and a CJK font; CI installs them (a tool's own browser
# download cannot work here). Elsewhere set QA_INSTALL_BROWSER=1, or the browser test skips with its reason.
ensure_browser() {
    if command -v chromium >/dev/null && command -v chromedriver >/dev/null && fc-list 2>/dev/null | grep -qi "cjk"; then
        return
    fi
    if [ "${CI:-}" != "true" ] && [ "${QA_INSTALL_BROWSER:-}" != "1" ]; then
        return
    fi
    if [ "$(id -u)" != "0" ]; then
        echo "scripts: not root, so not installing chromium; the browser test will skip" >&2
        return
    fi
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver fonts-noto-cjk fonts-noto-color-emoji >/dev/null
}
