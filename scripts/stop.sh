#!/usr/bin/env bash
# Stops the services that `npm start` started for this data directory.
source "$(dirname "${BASH_SOURCE[0]}")/lib/env.sh"
source "$SMPKI_ROOT/scripts/lib/embedded.sh"
embedded_stop_running
