#!/usr/bin/env bash
# Compiles apps/, libs/, bench/ and tools/ (tsconfig.build.json: everything but tests) to dist/, then rewrites the
# @smpki/* import aliases to relative paths (tsc-alias), so `node dist/apps/<app>/src/main.js` runs without any
# loader. Fails on the first type error. Run it from anywhere: `bash scripts/build.sh` (or `npm run build`).
source "$(dirname "${BASH_SOURCE[0]}")/lib/env.sh"
ensure_node
cd "$SMPKI_ROOT"

# From clean: a source file that was deleted must not live on in dist/.
rm -rf dist
node node_modules/typescript/bin/tsc -p tsconfig.build.json
# tsc keeps `require("@smpki/platform")` as written; TS 6 `paths` without baseUrl are resolved by tsc-alias too.
node node_modules/tsc-alias/dist/bin/index.js -p tsconfig.build.json
log "built dist/ ($(find dist -name '*.js' | wc -l) files)"
