#!/usr/bin/env bash
# Builds dist/ (scripts/build.sh: the sub-CA service runs from dist/apps/sub-ca) and runs bench/calibration:
# `bash bench/calibration/run.sh [--meters 15000] [--batch 500] [--batch-concurrency 4] [--check]`.
# Needs SoftHSM2, openssl and PostgreSQL on 127.0.0.1:5432. Writes bench/results/calibration.json.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
bash scripts/build.sh
exec bash scripts/bench.sh calibration "$@"
