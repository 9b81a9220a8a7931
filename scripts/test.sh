#!/usr/bin/env bash
# Quick start, command 2: runs the whole test suite (unit, SoftHSM2 integration, PostgreSQL, end-to-end).
# Installs what it needs first (Debian packages, Node 24, npm ci), builds, then runs jest. Extra arguments go to jest,
# e.g. `npm test -- test/hsm`.
source "$(dirname "${BASH_SOURCE[0]}")/lib/env.sh"
ensure_platform
ensure_build

cd "$SMPKI_ROOT"
mkdir -p "$SMPKI_ROOT/data/test-results"
results="$SMPKI_ROOT/data/test-results/jest.json"
rm -f "$results"
status=0
# require(esm) of NestJS 12 inside jest's module system needs the VM modules flag.
NODE_OPTIONS="--experimental-vm-modules ${NODE_OPTIONS:-}" npx jest --json --outputFile="$results" "$@" || status=$?

# One closing line in the plain 'N passed, N failed' form that CI reads.
if [ -f "$results" ]; then
  node -e '
    const r = require(process.argv[1]);
    const skipped = r.numPendingTests + r.numTodoTests;
    console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed` + (skipped ? `, ${skipped} skipped` : ""));
    if (r.numTotalTestSuites === 0 || r.numTotalTests === 0) { console.error("no test ran"); process.exit(1); }
  ' "$results" || status=1
fi
exit $status
