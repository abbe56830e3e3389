#!/usr/bin/env bash
# restore-flow.sh — the restore procedure shared by scripts 30, 40 and 50 (sourced)
#
# PURPOSE: one implementation of verify → runbook → diff → plan → (confirm) restore →
#   diff again, so the three recovery scripts cannot drift apart.
# PRECONDITIONS: sourced after lib/common.sh; RF_* variables set by the calling script.
# PERMISSIONS: the target profile's app holds the restore-writer permissions listed in the
#   calling script (diff and plan only read).
# STEPS:
#   1. entra-vault verify ARCHIVE: signature over the ciphertext, before anything is decrypted.
#   2. entra-vault runbook: the runbook for this archive, scenario and target (Markdown + HTML).
#   3. entra-vault diff --json: archive vs live target, saved as diff-before.json.
#   4. entra-vault plan: the reviewable plan, saved as plan.txt (to read) and plan.json;
#      nothing is written to the tenant.
#   5. Only with --confirm TENANT_ID: entra-vault restore with the journal and the encrypted
#      credentials file in the output directory.
#   6. entra-vault diff --json again, saved as diff-after.json (what is still different).
# VERIFY: the restore's exit code is 0 (1 = ran but incomplete); diff-after.json lists no
#   missing objects; with --vault, entra-vault audit verify passes.
# USAGE: rf_run (after setting RF_SCENARIO RF_ARCHIVE RF_TARGET RF_IDENTITY RF_OUT and the
#   optional arrays RF_COMMON RF_RESTORE RF_RUNBOOK)
set -euo pipefail

# With --json the CLI writes progress events to stderr and only the result document to
# stdout; older builds mixed them, so drop any progress line that still appears.
rf_result() {
  grep -v '^{"ts":"' || true
}

rf_parse() {
  RF_ARCHIVE="" RF_TARGET="" RF_IDENTITY="" RF_OUT="" RF_CONFIRM="" RF_VAULT=""
  RF_COMMON=() RF_RESTORE=() RF_RUNBOOK=()
  while [ $# -gt 0 ]; do
    case "$1" in
      --archive) RF_ARCHIVE="${2:-}"; shift 2 ;;
      --target) RF_TARGET="${2:-}"; shift 2 ;;
      --identity) RF_IDENTITY="${2:-}"; shift 2 ;;
      --out) RF_OUT="${2:-}"; shift 2 ;;
      --confirm) RF_CONFIRM="${2:-}"; shift 2 ;;
      --vault) RF_VAULT="${2:-}"; shift 2 ;;
      --passphrase-env|--signer) RF_COMMON+=("$1" "${2:-}"); shift 2 ;;
      --objects|--attributes) RF_COMMON+=("$1" "${2:-}"); shift 2 ;;
      --contact) RF_RUNBOOK+=("$1" "${2:-}"); shift 2 ;;
      --operator) export ENTRA_VAULT_OPERATOR="${2:-}"; shift 2 ;;
      --enable-ca) RF_RESTORE+=("$1"); shift ;;
      --scenario)
        if [ -z "${RF_SCENARIO_CHOICES:-}" ]; then die "--scenario is fixed by $(basename "$0")"; fi
        case " $RF_SCENARIO_CHOICES " in
          *" ${2:-} "*) RF_SCENARIO="$2" ;;
          *) die "--scenario must be one of: $RF_SCENARIO_CHOICES" ;;
        esac
        shift 2 ;;
      *) die "unknown option: $1" ;;
    esac
  done
  need --archive "$RF_ARCHIVE"
  need --target "$RF_TARGET"
  need --identity "$RF_IDENTITY"
  need --out "$RF_OUT"
  need_file --archive "$RF_ARCHIVE"
  need_file --target "$RF_TARGET"
  need_file --identity "$RF_IDENTITY"
}

rf_run() {
  mkdir -p "$RF_OUT"
  local signer=()
  local i
  for ((i = 0; i < ${#RF_COMMON[@]}; i++)); do
    if [ "${RF_COMMON[i]}" = "--signer" ]; then signer=(--signer "${RF_COMMON[i + 1]}"); fi
  done
  log "1. custody check of $RF_ARCHIVE"
  ev verify "$RF_ARCHIVE" "${signer[@]}"
  log "2. runbook for scenario $RF_SCENARIO"
  ev runbook "$RF_ARCHIVE" --scenario "$RF_SCENARIO" --target "$RF_TARGET" --identity "$RF_IDENTITY" \
    "${RF_COMMON[@]}" "${RF_RUNBOOK[@]}" --out "$RF_OUT/runbook.md" --html
  log "3. diff before"
  ev diff "$RF_ARCHIVE" --target "$RF_TARGET" --identity "$RF_IDENTITY" --scenario "$RF_SCENARIO" "${RF_COMMON[@]}" --json | rf_result > "$RF_OUT/diff-before.json"
  log "4. plan (nothing is written)"
  ev plan "$RF_ARCHIVE" --target "$RF_TARGET" --identity "$RF_IDENTITY" --scenario "$RF_SCENARIO" "${RF_COMMON[@]}" --json | rf_result > "$RF_OUT/plan.json"
  ev plan "$RF_ARCHIVE" --target "$RF_TARGET" --identity "$RF_IDENTITY" --scenario "$RF_SCENARIO" "${RF_COMMON[@]}" > "$RF_OUT/plan.txt"
  if [ -z "$RF_CONFIRM" ]; then
    log "dry run complete: review $RF_OUT/runbook.md and $RF_OUT/plan.json, then run again with --confirm <target tenant id>"
    return 0
  fi
  log "5. restore into $RF_CONFIRM"
  local rc=0
  ev restore "$RF_ARCHIVE" --target "$RF_TARGET" --identity "$RF_IDENTITY" --scenario "$RF_SCENARIO" "${RF_COMMON[@]}" \
    "${RF_RESTORE[@]}" --confirm "$RF_CONFIRM" --journal "$RF_OUT/restore.journal" \
    --credentials-out "$RF_OUT/restore-credentials.age" || rc=$?
  log "6. diff after"
  ev diff "$RF_ARCHIVE" --target "$RF_TARGET" --identity "$RF_IDENTITY" --scenario "$RF_SCENARIO" "${RF_COMMON[@]}" --json | rf_result > "$RF_OUT/diff-after.json" || true
  if [ -n "$RF_VAULT" ]; then
    ev audit verify --vault "$RF_VAULT"
  fi
  return "$rc"
}
