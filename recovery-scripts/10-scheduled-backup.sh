#!/usr/bin/env bash
# 10-scheduled-backup.sh — Scheduled backup of a tenant into the vault, with custody check
#
# PURPOSE: take a complete, encrypted, signed snapshot of the tenant, put it in the vault
#   (and, with --offline-vault, copy it into the offline vault), and prove custody: the
#   new archive's signature verifies and the vault's audit log chain is intact.
# PRECONDITIONS: the backup-reader app registered and consented (00-prepare-source-tenant.sh)
#   and its connection profile; the vault directory (created by the first backup); the
#   age recipient(s) of the recovery operators; the collector's signing key (signing.key).
#   The collector holds no age identity: it cannot read old archives.
# PERMISSIONS: the backup-reader app's Microsoft Graph application permissions:
#   User.Read.All, Group.Read.All, Application.Read.All, RoleManagement.Read.Directory, RoleManagementPolicy.Read.Directory, PrivilegedEligibilitySchedule.Read.AzureADGroup, PrivilegedAssignmentSchedule.Read.AzureADGroup, RoleManagementPolicy.Read.AzureADGroup, Policy.Read.PermissionGrant,
#   Policy.Read.All, Organization.Read.All, Domain.Read.All, AdministrativeUnit.Read.All,
#   CustomSecAttributeDefinition.Read.All, CustomSecAttributeAssignment.Read.All,
#   IdentityProvider.Read.All, CustomAuthenticationExtension.Read.All, EventListener.Read.All, IdentityUserFlow.Read.All,
#   EntitlementManagement.Read.All, AccessReview.Read.All, LifecycleWorkflows.Read.All,
#   Device.Read.All, Policy.Read.DeviceConfiguration, MultiTenantOrganization.Read.All,
#   OrgContact.Read.All, PeopleSettings.Read.All, AuditLog.Read.All,
#   Directory.Read.All.
#   Operator: the scheduler's service account (no directory role).
# STEPS:
#   1. Check the vault's audit log chain before adding to it (skipped for a new vault).
#   2. entra-vault backup: snapshot → archive (age + minisign) → imported into the vault.
#      With --incremental: only what changed since the newest archive (Graph delta), a full
#      backup when the chain's full archive is --full-after hours old (default 24) or no
#      incremental is possible (the reason is printed). Run hourly: hourly recovery points,
#      one full archive a day (docs/archive-format.md §12; schedules: docs/scheduling.md).
#   3. entra-vault verify on the new archive (signature; with --identity also re-hash).
#   4. With --offline-vault: entra-vault vault import into the offline vault (a new one is
#      created trusting the signing keys of the vault's vault.json), then vault verify.
#   5. entra-vault vault audit verify on every vault touched.
# VERIFY: exit code 0; `entra-vault vault list --vault V` shows the new archive as valid;
#   `entra-vault audit report --vault V` lists the backup. Exit 1: the archive was taken,
#   verified and imported but lacks part of the tenant (a permission missing, a read
#   refused: the backup's warnings name each); grant what they name and run again.
# USAGE: 10-scheduled-backup.sh --source reader.json --vault V --recipient age1…
#   [--recipient …] --signing-key signing.key [--passphrase-env NAME]
#   [--offline-vault V2] [--identity identity.txt] [--init] [--incremental [--full-after HOURS]]
#   (--init: the first backup creates V, trusting the signing key; otherwise V must exist)
#   (--incremental: an incremental archive chained to the newest one; --full-after: hours
#   after which a full backup starts a new chain, default 24)
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

SOURCE="" VAULT="" SIGNING_KEY="" OFFLINE="" IDENTITY="" INCREMENTAL="" FULL_AFTER="24"
RECIPIENTS=()
EXTRA=()
while [ $# -gt 0 ]; do
  case "$1" in
    --source) SOURCE="${2:-}"; shift 2 ;;
    --vault) VAULT="${2:-}"; shift 2 ;;
    --recipient) RECIPIENTS+=("${2:-}"); shift 2 ;;
    --signing-key) SIGNING_KEY="${2:-}"; shift 2 ;;
    --passphrase-env) EXTRA+=(--passphrase-env "${2:-}"); shift 2 ;;
    --init) EXTRA+=(--init); shift ;;
    --offline-vault) OFFLINE="${2:-}"; shift 2 ;;
    --identity) IDENTITY="${2:-}"; shift 2 ;;
    --incremental) INCREMENTAL=1; shift ;;
    --full-after) FULL_AFTER="${2:-}"; shift 2 ;;
    *) die "unknown option: $1" ;;
  esac
done
need --source "$SOURCE"
need --vault "$VAULT"
need --signing-key "$SIGNING_KEY"
need --recipient "${RECIPIENTS[*]:-}"
need_file --source "$SOURCE"
need_file --signing-key "$SIGNING_KEY"
case "$FULL_AFTER" in ''|*[!0-9]*) die "--full-after takes a whole number of hours" ;; esac
if [ -n "$INCREMENTAL" ]; then
  EXTRA+=(--incremental --full-after "$FULL_AFTER")
fi

if [ -f "$VAULT/audit.log" ]; then
  log "1. audit chain of $VAULT before the backup"
  ev vault audit verify --vault "$VAULT"
fi

marker="$(mktemp "${TMPDIR:-/tmp}/entra-vault-backup.XXXXXX")"
trap 'rm -f "$marker"' EXIT
log "2. backup"
# exit 1: the archive is in the vault but lacks part of the tenant (its warnings say what);
# verify and import it all the same, and end with exit 1 so the scheduler reports it
incomplete=""
ev backup --source "$SOURCE" --vault "$VAULT" --recipient "${RECIPIENTS[@]}" --signing-key "$SIGNING_KEY" "${EXTRA[@]}" || {
  rc=$?
  [ "$rc" -eq 1 ] || exit "$rc"
  incomplete=1
}

archive="$(find "$VAULT" -mindepth 2 -maxdepth 2 -name '*.evault' -newer "$marker" -print | sort | tail -n 1)"
if [ -z "$archive" ]; then
  die "the backup reported success but no new archive is in $VAULT"
fi
log "3. verify $archive"
if [ -n "$IDENTITY" ]; then
  ev verify "$archive" --identity "$IDENTITY" --read-data
else
  ev verify "$archive"
fi

if [ -n "$OFFLINE" ]; then
  log "4. import into the offline vault $OFFLINE"
  if [ ! -f "$OFFLINE/vault.json" ]; then
    # A new offline vault trusts the same signing keys as the collector's vault: its
    # vault.json holds public keys only. The import below starts its audit log.
    log "   $OFFLINE is new: it trusts the signing keys of $VAULT/vault.json"
    mkdir -p "$OFFLINE"
    chmod 750 "$OFFLINE"
    cp "$VAULT/vault.json" "$OFFLINE/vault.json"
    chmod 644 "$OFFLINE/vault.json"
  fi
  ev vault import "$archive" --vault "$OFFLINE"
  ev vault verify --vault "$OFFLINE"
  ev vault audit verify --vault "$OFFLINE"
fi
log "5. audit chain of $VAULT"
ev vault audit verify --vault "$VAULT"
if [ -n "$incomplete" ]; then
  log "backup INCOMPLETE: $archive lacks what the backup's warnings name (exit 1)"
  exit 1
fi
log "backup complete: $archive"
