#!/usr/bin/env bash
# 90-drill.sh — Recovery drill end to end on the built-in Graph emulator
#
# PURPOSE: prove the recovery procedure works and measure it: seed a tenant in the
#   emulator, back it up into an encrypted, signed archive in a vault, damage or lose the
#   tenant (scenario), restore it with the same code a real recovery uses, verify fidelity,
#   and leave a signed evidence pack, the audit log record and a runbook for the auditor.
# PRECONDITIONS: entra-vault installed (this image or `npm ci`); a writable --out directory;
#   nothing else (the emulator runs in-process on 127.0.0.1 and needs no network).
# PERMISSIONS: none in a real tenant. In the emulator the backup-reader and restore-writer
#   apps hold exactly the permissions of 00-prepare-source-tenant.sh:
#   reader User.Read.All, Group.Read.All, Application.Read.All, RoleManagement.Read.Directory, RoleManagementPolicy.Read.Directory, PrivilegedEligibilitySchedule.Read.AzureADGroup, PrivilegedAssignmentSchedule.Read.AzureADGroup, RoleManagementPolicy.Read.AzureADGroup, Policy.Read.PermissionGrant,
#   Policy.Read.All, Organization.Read.All, Domain.Read.All, AdministrativeUnit.Read.All,
#   CustomSecAttributeDefinition.Read.All, CustomSecAttributeAssignment.Read.All,
#   IdentityProvider.Read.All, CustomAuthenticationExtension.Read.All, EventListener.Read.All, IdentityUserFlow.Read.All,
#   EntitlementManagement.Read.All, AccessReview.Read.All, LifecycleWorkflows.Read.All,
#   Device.Read.All, Policy.Read.DeviceConfiguration, MultiTenantOrganization.Read.All,
#   OrgContact.Read.All, PeopleSettings.Read.All, AuditLog.Read.All,
#   Directory.Read.All; writer User.ReadWrite.All,
#   Group.ReadWrite.All, Application.ReadWrite.All, AppRoleAssignment.ReadWrite.All,
#   DelegatedPermissionGrant.ReadWrite.All, RoleManagement.ReadWrite.Directory, RoleManagementPolicy.ReadWrite.Directory,
#   PrivilegedEligibilitySchedule.ReadWrite.AzureADGroup, PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup, RoleManagementPolicy.ReadWrite.AzureADGroup,
#   Policy.ReadWrite.ConditionalAccess, Policy.Read.All, Application.Read.All,
#   Policy.ReadWrite.AuthenticationMethod, Policy.ReadWrite.Authorization,
#   Policy.ReadWrite.CrossTenantAccess, Policy.ReadWrite.ApplicationConfiguration, Policy.ReadWrite.PermissionGrant,
#   Policy.ReadWrite.ConsentRequest, AdministrativeUnit.ReadWrite.All,
#   Policy.ReadWrite.AuthenticationFlows, IdentityProvider.ReadWrite.All, CustomAuthenticationExtension.ReadWrite.All, EventListener.ReadWrite.All,
#   IdentityUserFlow.ReadWrite.All, EntitlementManagement.ReadWrite.All,
#   AccessReview.ReadWrite.All, LifecycleWorkflows.ReadWrite.All,
#   CustomSecAttributeDefinition.ReadWrite.All, CustomSecAttributeAssignment.ReadWrite.All,
#   Organization.ReadWrite.All, Domain.ReadWrite.All, Directory.ReadWrite.All, Device.Read.All, Policy.ReadWrite.DeviceConfiguration, MultiTenantOrganization.Read.All, OrgContact.Read.All, PeopleSettings.ReadWrite.All, Directory.Read.All.
#   Operator: the drill lead (named with --operator; recorded in the evidence).
# STEPS:
#   1. entra-vault drill --scenario S --users N --seed X --out DIR (backup, damage, restore,
#      verify; writes the report, the vault, and the signed evidence pack).
#   2. entra-vault audit verify on the drill's vault and evidence pack(s).
#   3. entra-vault runbook for the drill's archive (runbook.md / runbook.html in DIR),
#      planned against a fresh, empty emulator tenant started for it and stopped after.
# VERIFY: exit code 0 (1 = the drill ran but fidelity was below 100 %); `audit verify: OK`;
#   the evidence pack's result is pass.
# USAGE: 90-drill.sh --out DIR [--scenario tenant-loss|all-admins-deleted] [--users N]
#   [--seed N] [--operator NAME] [--faults SPEC] [--contact TEXT]...
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

OUT="" SCENARIO="tenant-loss" USERS="200" SEED="1"
DRILL_EXTRA=()
RUNBOOK_EXTRA=()
while [ $# -gt 0 ]; do
  case "$1" in
    --out) OUT="${2:-}"; shift 2 ;;
    --scenario) SCENARIO="${2:-}"; shift 2 ;;
    --users) USERS="${2:-}"; shift 2 ;;
    --seed) SEED="${2:-}"; shift 2 ;;
    --operator) export ENTRA_VAULT_OPERATOR="${2:-}"; shift 2 ;;
    --faults) DRILL_EXTRA+=(--faults "${2:-}"); shift 2 ;;
    --contact) RUNBOOK_EXTRA+=(--contact "${2:-}"); shift 2 ;;
    *) die "unknown option: $1" ;;
  esac
done
need --out "$OUT"
case "$SCENARIO" in
  tenant-loss|all-admins-deleted) ;;
  *) die "--scenario must be tenant-loss or all-admins-deleted" ;;
esac

log "1. drill $SCENARIO with $USERS users into $OUT"
rc=0
ev drill --scenario "$SCENARIO" --users "$USERS" --seed "$SEED" --out "$OUT" "${DRILL_EXTRA[@]}" || rc=$?
if [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; then
  exit "$rc"
fi

vault="$(find "$OUT" -name vault.json -print | sort | head -n 1)"
if [ -z "$vault" ]; then
  die "the drill left no vault in $OUT"
fi
vault="$(dirname "$vault")"
packs=()
while IFS= read -r f; do
  packs+=(--evidence "$(dirname "$f")")
done < <(find "$OUT" -name evidence.json -print | sort)
log "2. audit verify ($(( ${#packs[@]} / 2 )) evidence pack(s))"
ev audit verify --vault "$vault" "${packs[@]}"

archive="$(find "$vault" -mindepth 2 -maxdepth 2 -name '*.evault' -print | sort | tail -n 1)"
identity="$(find "$OUT" -name identity.txt -print | sort | head -n 1)"
if [ -n "$archive" ] && [ -n "$identity" ]; then
  # The drill's own target is gone with its emulator: plan the runbook against a fresh,
  # empty emulator tenant (what a tenant-loss recovery starts from), stopped afterwards.
  log "3. runbook for $archive, planned against a fresh empty emulator tenant"
  target_profile="$OUT/runbook-target-writer.json"
  rm -f "$target_profile"
  "${EV_CMD[@]}" emulator --empty --port 0 --writer-profile-out "$target_profile" >/dev/null 2>"$OUT/runbook-emulator.log" &
  emu_pid=$!
  trap 'kill "$emu_pid" 2>/dev/null || true' EXIT
  for _ in $(seq 1 300); do
    if [ -s "$target_profile" ] || ! kill -0 "$emu_pid" 2>/dev/null; then break; fi
    sleep 0.1
  done
  if [ ! -s "$target_profile" ]; then
    die "the emulator for the runbook did not start (see $OUT/runbook-emulator.log)"
  fi
  ev runbook "$archive" --scenario "$SCENARIO" --vault "$vault" --identity "$identity" --target "$target_profile" \
    "${RUNBOOK_EXTRA[@]}" --out "$OUT/runbook.md" --html
  kill "$emu_pid" 2>/dev/null || true
  wait "$emu_pid" 2>/dev/null || true
  trap - EXIT
fi
log "drill complete (exit $rc)"
exit "$rc"
