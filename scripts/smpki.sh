#!/usr/bin/env bash
# The operator CLI (`npm run smpki -- <command>`). With no SMPKI_HSM_MODULE in the environment it works on the
# embedded platform that `npm start` created (SMPKI_DATA_DIR, default ./data), with the settings of the service
# named by --service (default sub-ca); otherwise it uses the SMPKI_* environment as given (production).
source "$(dirname "${BASH_SOURCE[0]}")/lib/env.sh"
source "$SMPKI_ROOT/scripts/lib/embedded.sh"
ensure_platform >&2
ensure_build >&2

service="${SMPKI_SERVICE:-sub-ca}"
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  case "${args[$i]}" in
    --service) service="${args[$((i + 1))]:-}" ;;
    --service=*) service="${args[$i]#--service=}" ;;
  esac
done

if [ -z "${SMPKI_HSM_MODULE:-}" ] && [ -f "$SMPKI_DATA_DIR/softhsm/softhsm2.conf" ]; then
  embedded_settings
  embedded_service_env "$service" smpki_cli "$@"
else
  smpki_cli "$@"
fi
