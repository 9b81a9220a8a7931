#!/usr/bin/env bash
# Builds dist/ (scripts/build.sh: the sub-CA service runs from dist/apps/sub-ca) and runs bench/issuance:
# `bash bench/issuance/run.sh [--seconds 10] [--concurrency 32] [--profile] [--sqlite] [--check]`.
# Needs SoftHSM2, openssl and PostgreSQL on 127.0.0.1:5432 (or --sqlite). Writes bench/results/issuance.json.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
bash scripts/build.sh
exec bash scripts/bench.sh issuance "$@"
