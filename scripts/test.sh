#!/usr/bin/env bash
# The project's test command: installs what the tests need on a fresh machine, then runs them.
# `.ci/run` runs exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v qpdf >/dev/null 2>&1 || need_apt+=(qpdf)
{ command -v pdftotext && command -v pdffonts && command -v pdfinfo; } >/dev/null 2>&1 || need_apt+=(poppler-utils)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "installing ${need_apt[*]} (PDF checks)"
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

# The collect tests run moto's server (with tests/moto/trailcase_moto.py, which needs cbor2 for
# CloudWatch's rpc-v2-cbor protocol), installed from PyPI into a local virtual environment that
# later runs on the same machine reuse.
if [ -z "${TRAILCASE_PYTHON:-}" ]; then
  VENV="$PWD/.cache/test-venv"
  if ! "$VENV/bin/python" -c 'import moto.server, cbor2' >/dev/null 2>&1; then
    echo "installing moto[server] and cbor2 into $VENV (AWS emulator for the collect tests)"
    python3 -m venv "$VENV"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check 'moto[server]>=5.2,<6' 'cbor2>=5,<7'
  fi
  export TRAILCASE_PYTHON="$VENV/bin/python"
fi

cargo fmt --all -- --check
cargo clippy --workspace --all-targets --quiet -- -D warnings
cargo test --workspace --quiet
