#!/usr/bin/env bash
# The test command of the README (and of CI): set up, check generated files, run the suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/course build --check
.venv/bin/python -m pytest -q "$@"
