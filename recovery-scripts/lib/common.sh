#!/usr/bin/env bash
# common.sh — shared helpers sourced by every recovery script (not run on its own)
#
# PURPOSE: one definition of how the procedures call entra-vault, log and fail, so every
#   script behaves the same and an auditor reads the helpers once.
# PRECONDITIONS: sourced from a script in recovery-scripts/ with bash 4+.
# PERMISSIONS: none (no Graph call is made here).
# STEPS:
#   ev ARGS…     run the entra-vault CLI with ARGS passed as separate words (never eval'd);
#                the CLI is $ENTRA_VAULT_BIN if set, else `node <package>/bin/entra-vault.js`.
#   log TEXT…    one timestamped line on stderr (arguments printed literally with printf %s).
#   die TEXT…    log and exit 2 (a usage or precondition problem).
#   need NAME V  die unless V is non-empty (NAME is the option shown to the operator).
# VERIFY: `bash -n recovery-scripts/lib/common.sh`.
# USAGE: . "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
set -euo pipefail

EV_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
if [ -n "${ENTRA_VAULT_BIN:-}" ]; then
  EV_CMD=("$ENTRA_VAULT_BIN")
else
  EV_CMD=("${ENTRA_VAULT_NODE:-node}" "$EV_ROOT/bin/entra-vault.js")
fi

ev() {
  "${EV_CMD[@]}" "$@"
}

log() {
  printf '[%s] %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*" >&2
}

die() {
  log "error: $*"
  exit 2
}

need() {
  if [ -z "${2:-}" ]; then
    die "missing $1 (see the USAGE section at the top of $(basename "$0"))"
  fi
}

need_file() {
  if [ ! -f "$2" ]; then
    die "$1: file not found: $2"
  fi
}
