#!/usr/bin/env bash
# Benchmarks, after a build (`npm run bench [-- <name> [options]]`). Each prints its figures beside the raw HSM rate
# measured in the same run. Names: hsm (raw token rates vs openssl speed), crl (a 1,000,000-entry CRL vs openssl),
# encoding (certificate encoding vs a signature), issuance (certificates/s through the sub-CA API vs raw signing),
# calibration (meters certified/s through POST /v1/meters/batch over mutual TLS vs raw signing), directory (LDAP
# base and subtree searches/s on 1,000,000 meter entries vs Debian's slapd in the same run).
# Without a name, all of them run in turn. Run them on an otherwise idle machine: they measure the CPU.
source "$(dirname "${BASH_SOURCE[0]}")/lib/env.sh"
cd "$SMPKI_ROOT"
# Benchmarks run from source through the repository's TypeScript hooks (swc, same code as dist/): some of them
# start child processes from their own .ts files (bench/crl), which the compiled copy cannot. The build before
# (scripts/run.sh) is for the services a benchmark starts (bench/issuance runs dist/apps/sub-ca).
run_bench() { node --require ./libs/persistence/src/tools/typescript-hooks.cjs "bench/$1/main.ts" "${@:2}"; }
available=()
for dir in bench/*/; do
  name="$(basename "$dir")"
  [ -f "bench/$name/main.ts" ] && available+=("$name")
done
name="${1:-all}"
[ $# -gt 0 ] && shift
if [ "$name" = all ]; then
  for bench in "${available[@]}"; do log "bench $bench"; run_bench "$bench"; done
elif [ -f "bench/$name/main.ts" ]; then
  run_bench "$name" "$@"
else
  echo "unknown benchmark: $name (available: ${available[*]})" >&2; exit 2
fi
