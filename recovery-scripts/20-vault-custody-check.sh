#!/usr/bin/env bash
# 20-vault-custody-check.sh — Custody check of the offline vault
#
# PURPOSE: prove, without the decryption key, that every archive in the vault is intact and
#   signed by a trusted key, that the audit log's hash chain is unbroken, and that the
#   drill and restore evidence packs are signed and recorded in that log. With an age
#   identity, also decrypt and re-hash archive contents (all, or a sample).
# PRECONDITIONS: read access to the vault directory; for --record, write access to its
#   audit.log; for --identity, a recovery operator's age identity.
# PERMISSIONS: none in Microsoft Graph (the vault is offline). Operator: vault custodian;
#   auditor may run it read-only (without --record).
# STEPS:
#   1. entra-vault vault verify: every archive's signature (and contents with --identity);
#      with --json-out FILE its result is saved there as JSON (one entry per archive).
#   2. entra-vault vault audit verify: the audit log's hash chain.
#   3. entra-vault audit verify: the chain plus every evidence pack (signatures, log record);
#      --record appends the result to the audit log.
#   4. entra-vault audit report: backups, verifications, drills and restores with RPO/RTO
#      achieved against the vault's targets, saved next to the vault if --report is given.
# VERIFY: exit code 0 and "audit verify: OK" in the output; paste the summary into the
#   audit file.
# USAGE: 20-vault-custody-check.sh --vault V [--identity identity.txt [--sample PERCENT]]
#   [--evidence DIR]... [--record] [--report FILE] [--since YYYY-MM-DD] [--json-out FILE]
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

VAULT="" REPORT="" SINCE="" JSON_OUT=""
VERIFY_ARGS=()
AUDIT_ARGS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --vault) VAULT="${2:-}"; shift 2 ;;
    --identity) VERIFY_ARGS+=(--identity "${2:-}" --read-data); shift 2 ;;
    --sample) VERIFY_ARGS+=(--sample "${2:-}"); shift 2 ;;
    --evidence) AUDIT_ARGS+=(--evidence "${2:-}"); shift 2 ;;
    --record) AUDIT_ARGS+=(--record); shift ;;
    --report) REPORT="${2:-}"; shift 2 ;;
    --since) SINCE="${2:-}"; shift 2 ;;
    --json-out) JSON_OUT="${2:-}"; shift 2 ;;
    *) die "unknown option: $1" ;;
  esac
done
need --vault "$VAULT"
need_file --vault "$VAULT/vault.json"

log "1. archives in $VAULT"
if [ -n "$JSON_OUT" ]; then
  ev vault verify --vault "$VAULT" "${VERIFY_ARGS[@]}" --json > "$JSON_OUT"
  log "archive results saved to $JSON_OUT"
else
  ev vault verify --vault "$VAULT" "${VERIFY_ARGS[@]}"
fi
log "2. audit log chain"
ev vault audit verify --vault "$VAULT"
log "3. audit log and evidence packs"
ev audit verify --vault "$VAULT" "${AUDIT_ARGS[@]}"
if [ -n "$REPORT" ]; then
  log "4. audit report to $REPORT"
  if [ -n "$SINCE" ]; then
    ev audit report --vault "$VAULT" --since "$SINCE" > "$REPORT"
  else
    ev audit report --vault "$VAULT" > "$REPORT"
  fi
fi
log "custody check complete"
