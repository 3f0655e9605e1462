#!/usr/bin/env bash
# Set up and run the demo class (build, release, grade, feedback, export, score tables).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/course demo "$@"
