# The embedded default: SQLite files and a SoftHSM2 token under one data directory. Sourced after env.sh.

SMPKI_SERVICES=(root-ca sub-ca skm directory)
export SMPKI_DATA_DIR="${SMPKI_DATA_DIR:-$SMPKI_ROOT/data}"
SMPKI_DATA_DIR="$(mkdir -p "$SMPKI_DATA_DIR" && cd "$SMPKI_DATA_DIR" && pwd)"
SMPKI_TOKEN_LABEL="${SMPKI_TOKEN_LABEL:-smpki}"

embedded_port() {
  case "$1" in
    root-ca) echo "${SMPKI_ROOT_CA_PORT:-8410}" ;;
    sub-ca) echo "${SMPKI_SUB_CA_PORT:-8420}" ;;
    skm) echo "${SMPKI_SKM_PORT:-8430}" ;;
    directory) echo "${SMPKI_DIRECTORY_PORT:-8440}" ;;
  esac
}
# sub-ca speaks HTTPS with client certificates (mutual TLS) when SMPKI_SUB_CA_TLS=true (`npm start -- --tls`).
embedded_sub_ca_tls() { [ "${SMPKI_SUB_CA_TLS:-false}" = true ]; }
embedded_url() {
  local scheme=http
  if [ "$1" = sub-ca ] && embedded_sub_ca_tls; then scheme=https; fi
  echo "$scheme://127.0.0.1:$(embedded_port "$1")"
}

smpki_cli() { node "$SMPKI_ROOT/dist/apps/cli/src/main.js" "$@"; }

# Runs a command with the settings of one service (its database and port).
embedded_service_env() {
  local svc="$1"; shift
  SMPKI_DB_URL="sqlite:$SMPKI_DATA_DIR/db/$svc.sqlite" SMPKI_HTTP_PORT="$(embedded_port "$svc")" \
    SMPKI_HTTP_HOST=127.0.0.1 "$@"
}

# softhsm2-util pads labels with spaces: "Label:            smpki                           ".
embedded_token_exists() {
  softhsm2-util --show-slots 2>/dev/null | grep -qE "^[[:space:]]*Label:[[:space:]]+${SMPKI_TOKEN_LABEL}[[:space:]]*\$"
}

# Exports the settings every embedded service and the CLI share (HSM module, token, PIN file, platform key URIs).
embedded_settings() {
  export SOFTHSM2_CONF="$SMPKI_DATA_DIR/softhsm/softhsm2.conf"
  export SMPKI_HSM_MODULE="${SMPKI_HSM_MODULE:-/usr/lib/softhsm/libsofthsm2.so}"
  export SMPKI_HSM_TOKEN="$SMPKI_TOKEN_LABEL"
  export SMPKI_HSM_PIN_FILE="$SMPKI_DATA_DIR/secrets/hsm-user-pin"
  unset SMPKI_HSM_PIN
  export SMPKI_AUTH_TOKEN_KEY="${SMPKI_AUTH_TOKEN_KEY:-pkcs11:token=$SMPKI_TOKEN_LABEL;object=auth-token-signer}"
  export SMPKI_AUDIT_CHECKPOINT_KEY="${SMPKI_AUDIT_CHECKPOINT_KEY:-pkcs11:token=$SMPKI_TOKEN_LABEL;object=audit-checkpoint}"
}

# Creates the data directory and, on the first start, the SoftHSM2 token with random PINs (files of mode 600).
embedded_prepare() {
  umask 077
  mkdir -p "$SMPKI_DATA_DIR"/{softhsm/tokens,db,logs,run,secrets}
  local conf="$SMPKI_DATA_DIR/softhsm/softhsm2.conf"
  [ -f "$conf" ] || printf 'directories.tokendir = %s\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n' \
    "$SMPKI_DATA_DIR/softhsm/tokens" > "$conf"
  embedded_settings
  local pin_file="$SMPKI_HSM_PIN_FILE"
  if ! embedded_token_exists; then
    # A PIN file without its token means the token directory was lost or moved: never make a new PIN over it,
    # the keys it protected would become unusable for good.
    if [ -f "$pin_file" ]; then
      log "token '$SMPKI_TOKEN_LABEL' not found in $SMPKI_DATA_DIR/softhsm but $pin_file exists; restore the token or remove the data directory"
      return 1
    fi
    log "initialising SoftHSM2 token '$SMPKI_TOKEN_LABEL' in $SMPKI_DATA_DIR/softhsm"
    openssl rand -hex 16 > "$pin_file.new"
    openssl rand -hex 16 > "$SMPKI_DATA_DIR/secrets/hsm-so-pin.new"
    # Development token only: softhsm2-util takes the PINs as arguments (briefly visible in the process list).
    softhsm2-util --init-token --free --label "$SMPKI_TOKEN_LABEL" \
      --pin "$(cat "$pin_file.new")" --so-pin "$(cat "$SMPKI_DATA_DIR/secrets/hsm-so-pin.new")" >/dev/null
    mv "$pin_file.new" "$pin_file"
    mv "$SMPKI_DATA_DIR/secrets/hsm-so-pin.new" "$SMPKI_DATA_DIR/secrets/hsm-so-pin"
  fi
  umask 022
}

embedded_start_service() {
  local svc="$1" ca_config="" tls_env=() publication_env=()
  log "starting $svc on $(embedded_url "$svc")"
  # Only the sub-CA serves CA instances (an empty SMPKI_CA_CONFIG means none).
  [ "$svc" = sub-ca ] && [ -f "$SMPKI_CA_CONFIG_FILE" ] && ca_config="$SMPKI_CA_CONFIG_FILE"
  # Only the sub-CA gets the TLS files: the production lines talk to it alone.
  if [ "$svc" = sub-ca ] && embedded_sub_ca_tls; then
    tls_env=(SMPKI_TLS_CERT_FILE="$SMPKI_TLS_DIR/sub-ca-server.pem" SMPKI_TLS_KEY_FILE="$SMPKI_DATA_DIR/secrets/sub-ca-server.key"
             SMPKI_TLS_CLIENT_CA_FILE="$SMPKI_TLS_DIR/client-cas.pem")
  fi
  # The sub-CA pushes what it issues, revokes and signs to the directory, which serves it over LDAP.
  [ "$svc" = sub-ca ] && publication_env=(SMPKI_DIRECTORY_URL="$(embedded_url directory)")
  [ "$svc" = directory ] && publication_env=(SMPKI_LDAP_PORT="$SMPKI_LDAP_PORT" SMPKI_LDAP_HOST=127.0.0.1)
  # A simple command (no function or subshell around it), so $! is the service's own PID: nohup and env exec node.
  SMPKI_DB_URL="sqlite:$SMPKI_DATA_DIR/db/$svc.sqlite" SMPKI_HTTP_PORT="$(embedded_port "$svc")" SMPKI_HTTP_HOST=127.0.0.1 \
    SMPKI_CA_CONFIG="$ca_config" nohup env "${tls_env[@]}" "${publication_env[@]}" node "$SMPKI_ROOT/dist/apps/$svc/src/main.js" >> "$SMPKI_DATA_DIR/logs/$svc.log" 2>&1 < /dev/null &
  echo $! > "$SMPKI_DATA_DIR/run/$svc.pid"
}

# --- The test CA hierarchy of the embedded default -------------------------------------------------------------
# A brainpoolP384r1 root (offline: root-ca's database) certifies two brainpoolP256r1 sub-CA instances served by the
# sub-ca service. Every key is in the platform token. Made once; ca-config.json, written last, marks it complete.
SMPKI_CA_DIR="$SMPKI_DATA_DIR/ca"
SMPKI_CA_CONFIG_FILE="$SMPKI_CA_DIR/ca-config.json"
SMPKI_ROOT_NAME="sm-test-root-1"
# name|CN|profiles (JSON)
SMPKI_TEST_CAS=(
  'calibration|SM-Test-Calibration.CA|["meter-calibration"]'
  'market|SM-Test-Market.CA|["sm-user-tls","sm-user-sig","sm-user-enc","sm-gateway-tls","sm-gateway-sig","sm-gateway-enc"]'
)
# The directory's LDAP port (the CRL distribution points name it).
SMPKI_LDAP_PORT="${SMPKI_LDAP_PORT:-1389}"

embedded_ca_names() { local entry; for entry in "${SMPKI_TEST_CAS[@]}"; do echo "${entry%%|*}"; done; }

embedded_write_ceremony_file() {
  local file="$1"
  cat > "$file" <<JSON
{
  "name": "$SMPKI_ROOT_NAME",
  "keyUri": "pkcs11:token=$SMPKI_TOKEN_LABEL;object=$SMPKI_ROOT_NAME",
  "subject": [{ "type": "CN", "value": "SM-Test-Root.CA" }, { "type": "O", "value": "SM-Test-PKI-DE" },
              { "type": "C", "value": "DE" }, { "type": "serialNumber", "value": "1" }],
  "curve": "brainpoolP384r1",
  "validityYears": 10,
  "crl": { "ldap": "ldap://127.0.0.1:$SMPKI_LDAP_PORT/cn=SM-Test-Root.CA,o=SM-Test-PKI-DE,c=DE?certificateRevocationList",
           "validityHours": 720 }
}
JSON
}

# One sub-CA: its key and request (sub-ca's audit trail), certified by the root (root-ca's audit trail). Each step
# is skipped when its output exists, so a start interrupted half-way continues where it stopped.
embedded_make_sub_ca() {
  local name="$1" cn="$2" request="$SMPKI_CA_DIR/$1.csr.pem" certificate="$SMPKI_CA_DIR/$1.pem"
  if [ ! -f "$request" ]; then
    # --reuse-key: the key may exist from an interrupted start; in the platform's own token only this script makes it.
    embedded_service_env sub-ca smpki_cli --service sub-ca sub-ca request --reuse-key \
      --key-uri "pkcs11:token=$SMPKI_TOKEN_LABEL;object=$name-ca-1" --subject "CN=$cn,O=SM-Test-PKI-DE,C=DE,serialNumber=1" \
      --curve brainpoolP256r1 --out "$request.new" >/dev/null
    mv "$request.new" "$request"
  fi
  if [ ! -f "$certificate" ]; then
    embedded_service_env root-ca smpki_cli --service root-ca root-ca certify --root "$SMPKI_ROOT_NAME" \
      --request "$request" --profile sm-sub-ca --out "$certificate.new" --operator embedded-start >/dev/null
    mv "$certificate.new" "$certificate"
  fi
}

# The ca-config.json entry of one sub-CA (SMPKI_CA_CONFIG format, libs/ca/src/ca-config.ts). No aiaUrl: no service
# serves CA certificates over HTTP yet, and a URL that answers 404 would be worse than none.
embedded_ca_config_entry() {
  local name="$1" cn="$2" profiles="$3" sub_ca; sub_ca="$(embedded_url sub-ca)"
  cat <<JSON
    { "name": "$name", "keyUri": "pkcs11:token=$SMPKI_TOKEN_LABEL;object=$name-ca-1",
      "certificateFile": "$name.pem", "chainFile": "$SMPKI_ROOT_NAME.pem", "profiles": $profiles,
      "crlDistributionPoints": { "http": "$sub_ca/v1/cas/$name/crl",
                                 "ldap": "ldap://127.0.0.1:$SMPKI_LDAP_PORT/cn=$cn,o=SM-Test-PKI-DE,c=DE?certificateRevocationList" },
      "crlValidityHours": 168, "crlOnRevocation": true }
JSON
}

# On the first start: the root ceremony, the sub-CA keys and requests, their certification, then ca-config.json.
# Later starts find ca-config.json and change nothing (the URLs in it keep the ports of the first start).
embedded_ensure_ca_hierarchy() {
  [ -f "$SMPKI_CA_CONFIG_FILE" ] && return 0
  log "creating the test CA hierarchy in $SMPKI_CA_DIR (once)"
  mkdir -p "$SMPKI_CA_DIR"
  if [ ! -f "$SMPKI_CA_DIR/$SMPKI_ROOT_NAME.pem" ]; then
    embedded_write_ceremony_file "$SMPKI_CA_DIR/$SMPKI_ROOT_NAME.ceremony.json"
    embedded_service_env root-ca smpki_cli --service root-ca root-ca ceremony --file "$SMPKI_CA_DIR/$SMPKI_ROOT_NAME.ceremony.json" \
      --out "$SMPKI_CA_DIR" --operator embedded-start >&2
  fi
  local entry name cn profiles entries=()
  for entry in "${SMPKI_TEST_CAS[@]}"; do
    IFS='|' read -r name cn profiles <<< "$entry"
    embedded_make_sub_ca "$name" "$cn"
    entries+=("$(embedded_ca_config_entry "$name" "$cn" "$profiles")")
  done
  local IFS=','
  printf '{ "cas": [\n%s\n] }\n' "${entries[*]}" > "$SMPKI_CA_CONFIG_FILE.new"
  mv "$SMPKI_CA_CONFIG_FILE.new" "$SMPKI_CA_CONFIG_FILE"
}

# --- Mutual TLS for sub-ca (opt-in) ----------------------------------------------------------------------------
# Production lines register meters over mutual TLS (docs/METER-REGISTRATION.md). With SMPKI_SUB_CA_TLS=true the
# embedded start serves sub-ca over HTTPS only, asking callers for a client certificate verified against the market
# CA (which issues the manufacturers' credentials) and the root; callers without one still use bearer tokens. The
# server certificate comes from a development TLS CA made here with openssl (P-256): Node's TLS listener needs its
# key in a file, so this key is a software key in data/secrets (mode 600), unlike every CA key, which stays in the
# HSM. Production mounts its own SMPKI_TLS_CERT_FILE / SMPKI_TLS_KEY_FILE / SMPKI_TLS_CLIENT_CA_FILE instead.
SMPKI_TLS_DIR="$SMPKI_DATA_DIR/tls"

# Once: the development TLS CA and the sub-CA's server certificate (127.0.0.1, localhost, this host's name).
# Every start: the client CA bundle (market CA + root), so it follows the hierarchy in data/ca.
embedded_ensure_sub_ca_tls() {
  embedded_sub_ca_tls || return 0
  local dir="$SMPKI_TLS_DIR" secrets="$SMPKI_DATA_DIR/secrets"
  mkdir -p "$dir"
  if [ ! -f "$dir/sub-ca-server.pem" ]; then
    log "creating the sub-CA's TLS server certificate in $dir (development TLS CA; software keys in $secrets, mode 600)"
    ( umask 077
      openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$secrets/tls-ca.key" \
        -out "$dir/tls-ca.pem" -days 3650 -subj '/CN=smpki development TLS CA' 2>/dev/null
      openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$secrets/sub-ca-server.key" \
        -out "$dir/sub-ca-server.csr" -subj '/CN=localhost' 2>/dev/null )
    printf 'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:%s\nextendedKeyUsage=serverAuth\n' "$(hostname)" > "$dir/sub-ca-server.ext"
    openssl x509 -req -in "$dir/sub-ca-server.csr" -CA "$dir/tls-ca.pem" -CAkey "$secrets/tls-ca.key" -CAcreateserial \
      -days 825 -extfile "$dir/sub-ca-server.ext" -out "$dir/sub-ca-server.pem.new" 2>/dev/null
    chmod 644 "$dir/tls-ca.pem"   # public: every client needs it
    mv "$dir/sub-ca-server.pem.new" "$dir/sub-ca-server.pem"
  fi
  cat "$SMPKI_CA_DIR/market.pem" "$SMPKI_CA_DIR/$SMPKI_ROOT_NAME.pem" > "$dir/client-cas.pem"
}

embedded_port_free() {
  ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Refuses to start when a port is taken: a foreign process answering /readyz would pass for ours.
embedded_check_ports() {
  local svc busy=0
  for svc in "${SMPKI_SERVICES[@]}"; do
    if ! embedded_port_free "$(embedded_port "$svc")"; then
      log "port $(embedded_port "$svc") for $svc is in use (another smpki? npm run stop, or set SMPKI_$(echo "$svc" | tr 'a-z-' 'A-Z_')_PORT)"
      busy=1
    fi
  done
  return $busy
}

embedded_wait_ready() {
  local svc="$1" url; url="$(embedded_url "$svc")/readyz"
  local pid; pid="$(cat "$SMPKI_DATA_DIR/run/$svc.pid")"
  # sub-ca over HTTPS: its server certificate is from the development TLS CA.
  local curl_tls=()
  if [ "$svc" = sub-ca ] && embedded_sub_ca_tls; then curl_tls=(--cacert "$SMPKI_TLS_DIR/tls-ca.pem"); fi
  for _ in $(seq 1 120); do
    if ! kill -0 "$pid" 2>/dev/null; then
      log "$svc exited during start; last log lines:"; tail -n 20 "$SMPKI_DATA_DIR/logs/$svc.log" >&2; return 1
    fi
    if curl -fsS "${curl_tls[@]}" -o /dev/null "$url" 2>/dev/null; then return 0; fi
    sleep 0.5
  done
  log "$svc not ready after 60 s; last log lines:"; tail -n 20 "$SMPKI_DATA_DIR/logs/$svc.log" >&2; return 1
}

embedded_all_alive() {
  local svc
  for svc in "${SMPKI_SERVICES[@]}"; do
    kill -0 "$(cat "$SMPKI_DATA_DIR/run/$svc.pid" 2>/dev/null || echo 0)" 2>/dev/null || return 1
  done
}

embedded_stop_running() {
  local svc pid_file pid
  for svc in "${SMPKI_SERVICES[@]}"; do
    pid_file="$SMPKI_DATA_DIR/run/$svc.pid"
    [ -f "$pid_file" ] || continue
    pid="$(cat "$pid_file")"
    # Only a process that is still this service (a PID can be reused after a reboot).
    if kill -0 "$pid" 2>/dev/null && grep -q "dist/apps/$svc/src/main.js" "/proc/$pid/cmdline" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null || true
      for _ in $(seq 1 75); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
      if kill -0 "$pid" 2>/dev/null; then
        log "$svc did not stop within 15 s; killing it"
        kill -KILL "$pid" 2>/dev/null || true
      fi
    fi
    rm -f "$pid_file"
  done
}
