#!/usr/bin/env bash
# bench/crl: 1,000,000-entry CRL, smpki's streaming encoder (SoftHSM2 key) against `openssl ca -gencrl`, then the
# same list through CrlPublisher on PostgreSQL (SMPKI_TEST_PG_URL or 127.0.0.1:5432; skipped, visibly, without one).
# Usage: bash bench/crl/run.sh [--entries 1000000] [--seed 20260301] [--check] [--keep] [--no-service]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
source scripts/lib/env.sh
ensure_apt_packages softhsm2 openssl
ensure_node
exec node --require ./libs/persistence/src/tools/typescript-hooks.cjs bench/crl/main.ts "$@"
