#!/usr/bin/env bash
# Quick start, command 1: the whole platform on the embedded default.
#   - installs what is missing (SoftHSM2 and the other Debian tools, Node 24 LTS, npm dependencies) and builds;
#   - creates and initialises a SoftHSM2 token under the data directory (random PINs kept in data/secrets, mode 600);
#   - creates the platform keys in the token (token-signing and audit-checkpoint keys), SQLite databases per service;
#   - on the first start, a test CA hierarchy: a brainpoolP384r1 root (ceremony in root-ca's database) certifying two
#     brainpoolP256r1 sub-CA instances (calibration, market) that the sub-ca service serves (data/ca/ca-config.json);
#   - starts root-ca, sub-ca, skm and directory, waits until each is ready, prints their URLs and, on the very
#     first start, the one-time bootstrap credential of the first administrator.
# Options: --detach (return once everything is ready; stop with `npm run stop`). Environment: SMPKI_DATA_DIR (default
# ./data), SMPKI_ROOT_CA_PORT / SMPKI_SUB_CA_PORT / SMPKI_SKM_PORT / SMPKI_DIRECTORY_PORT.
source "$(dirname "${BASH_SOURCE[0]}")/lib/env.sh"
source "$SMPKI_ROOT/scripts/lib/embedded.sh"

detach=false
for arg in "$@"; do
  case "$arg" in
    --detach) detach=true ;;
    *) echo "unknown option: $arg (known: --detach)" >&2; exit 2 ;;
  esac
done

ensure_platform
ensure_build

embedded_prepare          # data directory, SoftHSM2 token, PIN files, exported SMPKI_* settings
embedded_stop_running     # a previous run of this data directory is stopped first
embedded_check_ports
embedded_service_env sub-ca smpki_cli init   # platform keys in the token (idempotent, audited by sub-ca)
embedded_ensure_ca_hierarchy                  # root + sub-CAs on the first start; later starts reuse them

# A failed start leaves nothing running behind it.
trap 'status=$?; [ $status -ne 0 ] && embedded_stop_running; exit $status' EXIT
for svc in "${SMPKI_SERVICES[@]}"; do embedded_start_service "$svc"; done
for svc in "${SMPKI_SERVICES[@]}"; do embedded_wait_ready "$svc"; done

bootstrap="$(embedded_service_env sub-ca smpki_cli auth bootstrap --quiet)"
echo
log "smpki is running (data: $SMPKI_DATA_DIR, logs: $SMPKI_DATA_DIR/logs)"
for svc in "${SMPKI_SERVICES[@]}"; do
  printf '  %-10s %s  (OpenAPI: %s/docs)\n' "$svc" "$(embedded_url "$svc")" "$(embedded_url "$svc")"
done
echo
log "CA instances of sub-ca (root certificate: $SMPKI_CA_DIR/$SMPKI_ROOT_NAME.pem):"
for ca in $(embedded_ca_names); do
  printf '  %-12s %s/v1/cas/%s  (certificate: %s)\n' "$ca" "$(embedded_url sub-ca)" "$ca" "$SMPKI_CA_DIR/$ca.pem"
done
if [ -n "$bootstrap" ]; then
  echo
  log "one-time bootstrap credential for the first administrator (shown once, stored only as a hash):"
  echo "  $bootstrap"
  echo "  exchange it:  curl -s -X POST $(embedded_url sub-ca)/v1/auth/bootstrap -H 'content-type: application/json' -d '{\"secret\":\"$bootstrap\"}'"
fi
echo

if $detach; then
  trap - EXIT
  log "detached; stop with: npm run stop"
  exit 0
fi
log "press Ctrl-C to stop"
trap - EXIT
trap 'embedded_stop_running; exit 0' INT TERM
while embedded_all_alive; do sleep 2; done
log "a service stopped unexpectedly; see $SMPKI_DATA_DIR/logs"
embedded_stop_running
exit 1
