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

# The collect, kill-switch and posture tests run moto's server (with tests/moto/trailcase_moto.py,
# which needs cbor2 for CloudWatch's rpc-v2-cbor protocol, and sqlglot and duckdb for its Athena,
# which really runs the queries over the objects in moto's S3), and the CloudFormation template is
# linted with cfn-lint: all from PyPI, into a local virtual environment that later runs on the
# same machine reuse.
if [ -z "${TRAILCASE_PYTHON:-}" ]; then
  VENV="$PWD/.cache/test-venv"
  if ! "$VENV/bin/python" -c 'import moto.server, cbor2, cfnlint, sqlglot, duckdb' >/dev/null 2>&1; then
    echo "installing moto[server], cbor2, cfn-lint, sqlglot and duckdb into $VENV"
    python3 -m venv "$VENV"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
      'moto[server]>=5.2,<6' 'cbor2>=5,<7' 'cfn-lint>=1.20,<2' 'sqlglot>=30,<31' 'duckdb>=1.3,<3'
  fi
  export TRAILCASE_PYTHON="$VENV/bin/python"
fi

# The pipeline's CloudFormation template (deploy/) must pass cfn-lint; a finding fails the run.
"$TRAILCASE_PYTHON" -c 'import sys; from cfnlint.runner import main; sys.exit(main())' deploy/*.yaml

cargo fmt --all -- --check
cargo clippy --workspace --all-targets --quiet -- -D warnings
cargo test --workspace --quiet
