#!/usr/bin/env bash
# Compiles bench/hsm (and the libraries it imports) to dist/ and runs it: `bash bench/hsm/run.sh [--seconds 3] [--check]`.
# Writes bench/results/hsm.json. Needs SoftHSM2 and openssl (scripts/lib/env.sh provides them).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
source scripts/lib/env.sh
ensure_platform
npx tsc -p bench/hsm/tsconfig.json
exec node dist/bench/hsm/main.js "$@"
