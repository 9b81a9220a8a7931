#!/usr/bin/env bash
# Quick start, command 1: the whole platform on the embedded default.
#   - installs what is missing (SoftHSM2 and the other Debian tools, Node 24 LTS, npm dependencies) and builds;
#   - creates and initialises a SoftHSM2 token under the data directory (random PINs kept in data/secrets, mode 600);
#   - creates the platform keys in the token (token-signing and audit-checkpoint keys), SQLite databases per service;
#   - on the first start, a test CA hierarchy: a brainpoolP384r1 root (ceremony in root-ca's database) certifying two
#     brainpoolP256r1 sub-CA instances (calibration, market) that the sub-ca service serves (data/ca/ca-config.json);
#   - starts root-ca, sub-ca, skm and directory, waits until each is ready, prints their URLs and, on the very
#     first start, the one-time bootstrap credential of the first administrator.
# Options: --detach (return once everything is ready; stop with `npm run stop`); --tls (sub-ca over HTTPS with client
# certificates, mutual TLS for production lines: server certificate from a development TLS CA in data/tls, its key
# a software file in data/secrets; same as SMPKI_SUB_CA_TLS=true). Environment: SMPKI_DATA_DIR (default ./data),
# SMPKI_ROOT_CA_PORT / SMPKI_SUB_CA_PORT / SMPKI_SKM_PORT / SMPKI_DIRECTORY_PORT, SMPKI_SUB_CA_TLS.
source "$(dirname "${BASH_SOURCE[0]}")/lib/env.sh"
source "$SMPKI_ROOT/scripts/lib/embedded.sh"

detach=false
for arg in "$@"; do
  case "$arg" in
    --detach) detach=true ;;
    --tls) export SMPKI_SUB_CA_TLS=true ;;
    *) echo "unknown option: $arg (known: --detach, --tls)" >&2; exit 2 ;;
  esac
done

ensure_platform
ensure_build

embedded_prepare          # data directory, SoftHSM2 token, PIN files, exported SMPKI_* settings
embedded_stop_running     # a previous run of this data directory is stopped first
embedded_check_ports
embedded_service_env sub-ca smpki_cli init   # platform keys in the token (idempotent, audited by sub-ca)
embedded_ensure_ca_hierarchy                  # root + sub-CAs on the first start; later starts reuse them
embedded_ensure_sub_ca_tls                    # with --tls: sub-ca's server certificate and client CA bundle

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
if embedded_sub_ca_tls; then
  echo
  log "sub-ca speaks HTTPS with client certificates (mutual TLS); its server certificate is from $SMPKI_TLS_DIR/tls-ca.pem:"
  echo "  curl --cacert $SMPKI_TLS_DIR/tls-ca.pem $(embedded_url sub-ca)/v1/info"
  echo "  npm run smpki -- meters register --url $(embedded_url sub-ca) --ca $SMPKI_TLS_DIR/tls-ca.pem --cert client.pem --key client.key --file batch.csv --out certs/"
fi
if [ -n "$bootstrap" ]; then
  echo
  log "one-time bootstrap credential for the first administrator (shown once, stored only as a hash):"
  echo "  $bootstrap"
  curl_ca=""; embedded_sub_ca_tls && curl_ca="--cacert $SMPKI_TLS_DIR/tls-ca.pem "
  echo "  exchange it:  curl -s ${curl_ca}-X POST $(embedded_url sub-ca)/v1/auth/bootstrap -H 'content-type: application/json' -d '{\"secret\":\"$bootstrap\"}'"
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
