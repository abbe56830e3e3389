#!/usr/bin/env bash
# restore-flow.sh — the restore procedure shared by scripts 30, 40 and 50 (sourced)
#
# PURPOSE: one implementation of verify → runbook, diff and plan → (confirm) restore →
#   diff again, so the three recovery scripts cannot drift apart.
# PRECONDITIONS: sourced after lib/common.sh; RF_* variables set by the calling script.
# PERMISSIONS: the target profile's app holds the restore-writer permissions listed in the
#   calling script (diff and plan only read).
# STEPS:
#   1. entra-vault verify ARCHIVE: signature over the ciphertext, before anything is decrypted.
#   2-4. entra-vault plan --json --text-out --diff-out --runbook-out, from one read of the
#      target (one plan): the runbook of this archive, scenario and plan (runbook.md and
#      runbook.html); the archive against the live target (diff-before.json); the reviewable
#      plan as plan.txt (to read, its last line the plan's sha256) and plan.json. Nothing is
#      written to the tenant. With --expect-plan H
#      the plan must hash to H (the plan a person reviewed) or the script stops here
#      (PLAN_CHANGED, exit 6).
#   5. Only with --confirm TENANT_ID: entra-vault restore with the journal and the encrypted
#      credentials file in the output directory; its result (or error) as JSON in
#      restore-result.json. With --expect-plan H the restore re-plans and refuses before any
#      write unless the plan still hashes to H. A TERM or INT sent to the script pauses the
#      restore at the next operation boundary (continue with --resume).
#   6. entra-vault diff --json again, saved as diff-after.json (what is still different);
#      skipped when the restore was paused.
#   With --resume (and --confirm): steps 2-4 are skipped (their files are in --out from
#   the first run) and step 5 continues the journal in --out with the plan stored beside it.
# VERIFY: the restore's exit code is 0 (1 = ran but incomplete or paused); restore-result.json
#   has no failures; diff-after.json lists no missing objects; with --vault, entra-vault audit
#   verify passes.
# USAGE: rf_run (after setting RF_SCENARIO RF_ARCHIVE RF_TARGET RF_IDENTITY RF_OUT and the
#   optional arrays RF_COMMON RF_RESTORE RF_RUNBOOK RF_ROLLBACK). --allow-rollback REASON
#   (RF_ROLLBACK) goes to runbook, diff, plan and restore, the commands that check the
#   archive against the vault's newest; the CLI logs it. ENTRA_VAULT_STOP_WITH_PARENT=1 (set by
#   the wizard) also pauses the restore when the process that started the script is gone.
set -euo pipefail

# With --json the CLI writes progress events to stderr and only the result document to
# stdout; older builds mixed them, so drop any progress line that still appears.
rf_result() {
  grep -v '^{"ts":"' || true
}

rf_parse() {
  RF_ARCHIVE="" RF_TARGET="" RF_IDENTITY="" RF_OUT="" RF_CONFIRM="" RF_VAULT="" RF_EXPECT_PLAN="" RF_RESUME=""
  RF_COMMON=() RF_RESTORE=() RF_RUNBOOK=() RF_ROLLBACK=()
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
      --allow-rollback)
        if [ -z "${2:-}" ]; then die "--allow-rollback needs a reason (it is written to the vault's audit log)"; fi
        RF_ROLLBACK=("$1" "$2"); shift 2 ;;
      --contact) RF_RUNBOOK+=("$1" "${2:-}"); shift 2 ;;
      --operator) export ENTRA_VAULT_OPERATOR="${2:-}"; shift 2 ;;
      --enable-ca) RF_RESTORE+=("$1"); shift ;;
      --expect-plan) RF_EXPECT_PLAN="${2:-}"; shift 2 ;;
      --resume) RF_RESUME=1; shift ;;
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
  if [ -n "$RF_RESUME" ]; then
    need --confirm "$RF_CONFIRM"
    need_file "--resume: the journal" "$RF_OUT/restore.journal"
  fi
}

# Runs `entra-vault ARGS…` in the background and waits for it, so a TERM or INT sent to
# this script reaches the restore, which then pauses at the next operation boundary (in
# the foreground, bash would defer the signal until the restore ended, or die and leave it
# running). The CLI is started directly, not through ev(): a function would run in a
# subshell and the signal would stop the subshell, not the CLI. A second signal is
# forwarded too: the CLI then stops at once. With
# ENTRA_VAULT_STOP_WITH_PARENT=1 the restore is paused once when the process that started
# this script is gone, so a killed wizard never leaves a restore writing behind it.
rf_guarded() {
  RF_INTERRUPTED=""
  "${EV_CMD[@]}" "$@" &
  local pid=$! parent=$PPID watching="${ENTRA_VAULT_STOP_WITH_PARENT:-}"
  trap 'RF_INTERRUPTED=1; kill -TERM "$pid" 2>/dev/null || true' INT TERM
  while kill -0 "$pid" 2>/dev/null; do
    if [ "$watching" = 1 ] && ! kill -0 "$parent" 2>/dev/null; then
      watching=""
      RF_INTERRUPTED=1
      kill -TERM "$pid" 2>/dev/null || true
    fi
    sleep 0.2
  done
  local rc=0
  wait "$pid" || rc=$?
  trap - INT TERM
  return "$rc"
}

rf_run() {
  mkdir -p "$RF_OUT"
  local signer=()
  local i
  for ((i = 0; i < ${#RF_COMMON[@]}; i++)); do
    if [ "${RF_COMMON[i]}" = "--signer" ]; then signer=(--signer "${RF_COMMON[i + 1]}"); fi
  done
  local expect=()
  if [ -n "$RF_EXPECT_PLAN" ]; then expect=(--expect-plan "$RF_EXPECT_PLAN"); fi
  log "1. custody check of $RF_ARCHIVE"
  ev verify "$RF_ARCHIVE" "${signer[@]}"
  if [ -z "$RF_RESUME" ]; then
    log "2-4. runbook for scenario $RF_SCENARIO, diff before and plan (nothing is written)"
    # runbook.md, diff-before.json, plan.txt (for people) and plan.json (hashed) from one read
    # of the target: the runbook and the diff describe the plan that is reviewed and hashed
    ev plan "$RF_ARCHIVE" --target "$RF_TARGET" --identity "$RF_IDENTITY" --scenario "$RF_SCENARIO" "${RF_COMMON[@]}" "${RF_ROLLBACK[@]}" "${expect[@]}" \
      --runbook-out "$RF_OUT/runbook.md" --runbook-html "${RF_RUNBOOK[@]}" --diff-out "$RF_OUT/diff-before.json" \
      --text-out "$RF_OUT/plan.txt" --json | rf_result > "$RF_OUT/plan.json"
  else
    log "2-4. resuming: runbook, diff and plan of the first run stay in $RF_OUT"
  fi
  if [ -z "$RF_CONFIRM" ]; then
    log "dry run complete: review $RF_OUT/runbook.md and $RF_OUT/plan.json, then run again with --confirm <target tenant id>"
    return 0
  fi
  local resume=()
  if [ -n "$RF_RESUME" ]; then resume=(--resume); fi
  log "5. restore into $RF_CONFIRM${RF_RESUME:+ (resumed)}"
  local rc=0
  # --json: the result document goes to restore-result.json; progress stays text for a
  # person unless the caller asked for JSON lines (ENTRA_VAULT_PROGRESS=jsonl)
  ENTRA_VAULT_PROGRESS="${ENTRA_VAULT_PROGRESS:-text}" rf_guarded restore "$RF_ARCHIVE" --target "$RF_TARGET" \
    --identity "$RF_IDENTITY" --scenario "$RF_SCENARIO" "${RF_COMMON[@]}" "${RF_ROLLBACK[@]}" "${RF_RESTORE[@]}" "${expect[@]}" "${resume[@]}" \
    --confirm "$RF_CONFIRM" --journal "$RF_OUT/restore.journal" --credentials-out "$RF_OUT/restore-credentials.age" \
    --json > "$RF_OUT/restore-result.json" || rc=$?
  log "restore exit code $rc: result in $RF_OUT/restore-result.json"
  if [ -n "$RF_INTERRUPTED" ]; then
    log "interrupted: the restore paused; continue with the same arguments and --resume"
    return "$rc"
  fi
  log "6. diff after"
  ev diff "$RF_ARCHIVE" --target "$RF_TARGET" --identity "$RF_IDENTITY" --scenario "$RF_SCENARIO" "${RF_COMMON[@]}" "${RF_ROLLBACK[@]}" --json | rf_result > "$RF_OUT/diff-after.json" || true
  if [ -n "$RF_VAULT" ]; then
    ev audit verify --vault "$RF_VAULT"
  fi
  return "$rc"
}
