#!/usr/bin/env bash
# Install what the browser tests (pytest -m browser) and scripts/make_example_report.py need:
#   - Debian's Chromium at /usr/bin/chromium (+ chromium-driver), from apt;
#   - the Playwright driver for Python, from PyPI (its own browser downloads are never used:
#     no `playwright install`, scripts/browser.py launches /usr/bin/chromium).
# Idempotent: each step is skipped when already done. Usage: bash scripts/install-browser.sh
set -euo pipefail

PYTHON="${PYTHON:-python3}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi

if [ -x /usr/bin/chromium ] && command -v chromedriver >/dev/null 2>&1; then
    echo "install-browser: chromium already installed: $(/usr/bin/chromium --version 2>/dev/null || true)"
else
    echo "install-browser: installing chromium and chromium-driver with apt-get"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
        chromium chromium-driver fonts-dejavu-core
fi

if "$PYTHON" -c "import playwright.sync_api" >/dev/null 2>&1; then
    echo "install-browser: playwright already installed"
else
    echo "install-browser: installing playwright with pip"
    "$PYTHON" -m pip install --quiet "playwright>=1.40"
fi

/usr/bin/chromium --version >/dev/null 2>&1
echo "install-browser: ready"
