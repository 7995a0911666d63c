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
# CloudWatch's rpc-v2-cbor protocol). pip keeps its wheels cached, so a rerun installs nothing.
PY="${TRAILCASE_PYTHON:-python3}"
if ! command -v moto_server >/dev/null 2>&1 || ! "$PY" -c 'import moto.server, cbor2' >/dev/null 2>&1; then
  echo "installing moto[server] and cbor2 (AWS emulator for the collect tests)"
  "$PY" -m pip install --quiet 'moto[server]>=5.2,<6' 'cbor2>=5,<7'
fi

# The pipeline's CloudFormation template (deploy/) must pass cfn-lint; a finding fails the run.
# Run through the interpreter so a pip scripts directory missing from PATH does not matter.
if ! "$PY" -c 'import cfnlint' >/dev/null 2>&1; then
  echo "installing cfn-lint (CloudFormation linter)"
  "$PY" -m pip install --quiet 'cfn-lint>=1.20,<2'
fi
"$PY" -c 'import sys; from cfnlint.runner import main; sys.exit(main())' deploy/*.yaml

cargo fmt --all -- --check
cargo clippy --workspace --all-targets --quiet -- -D warnings
cargo test --workspace --quiet
