#!/usr/bin/env bash
# Builds dist/ (scripts/build.sh: the directory service runs from dist/apps/directory) and runs bench/directory:
# `bash bench/directory/run.sh [--entries 1000000] [--seconds 10] [--connections 4] [--depth 4] [--check]`.
# Needs SoftHSM2, PostgreSQL on 127.0.0.1:5432 and Debian's slapd (/usr/sbin/slapd, slapadd), ldap-utils.
# Writes bench/results/directory.json.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
bash scripts/build.sh
exec bash scripts/bench.sh directory "$@"
