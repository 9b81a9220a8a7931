#!/usr/bin/env bash
# Runs a project task on Node 24 after making sure the platform is installed: build, bench.
source "$(dirname "${BASH_SOURCE[0]}")/lib/env.sh"
task="${1:?usage: scripts/run.sh build|bench [name]}"; shift
ensure_platform >&2
case "$task" in
  build) bash "$SMPKI_ROOT/scripts/build.sh" ;;
  bench) ensure_build && bash "$SMPKI_ROOT/scripts/bench.sh" "$@" ;;
  *) echo "unknown task: $task" >&2; exit 2 ;;
esac
