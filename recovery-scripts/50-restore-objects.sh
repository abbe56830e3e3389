#!/usr/bin/env bash
# 50-restore-objects.sh — Restore selected objects, or selected attributes of objects
#
# PURPOSE: bring back individual objects (with every dependency they need: owners, groups,
#   apps, locations …) or individual attributes (including cloud-only attributes of
#   objects synced from on-premises AD) from an archive into the live tenant, without
#   touching anything else.
# PRECONDITIONS: the archive and its signature; the archived object ids (from
#   `entra-vault diff` or the wizard); for attributes, the property names; the age identity
#   of a recovery operator; the recovery app's writer profile.
# PERMISSIONS: the recovery (restore-writer) app's Microsoft Graph application permissions:
#   User.ReadWrite.All, Group.ReadWrite.All, Application.ReadWrite.All,
#   AppRoleAssignment.ReadWrite.All, DelegatedPermissionGrant.ReadWrite.All,
#   RoleManagement.ReadWrite.Directory, RoleManagementPolicy.ReadWrite.Directory, PrivilegedEligibilitySchedule.ReadWrite.AzureADGroup, PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup, RoleManagementPolicy.ReadWrite.AzureADGroup, Policy.ReadWrite.ConditionalAccess, Policy.Read.All,
#   Application.Read.All, Policy.ReadWrite.AuthenticationMethod,
#   Policy.ReadWrite.Authorization, Policy.ReadWrite.CrossTenantAccess, Policy.ReadWrite.ApplicationConfiguration, Policy.ReadWrite.PermissionGrant,
#   Policy.ReadWrite.ConsentRequest,
#   Policy.ReadWrite.AuthenticationFlows, IdentityProvider.ReadWrite.All, CustomAuthenticationExtension.ReadWrite.All, EventListener.ReadWrite.All,
#   IdentityUserFlow.ReadWrite.All, EntitlementManagement.ReadWrite.All,
#   AccessReview.ReadWrite.All, LifecycleWorkflows.ReadWrite.All,
#   AdministrativeUnit.ReadWrite.All, CustomSecAttributeDefinition.ReadWrite.All,
#   CustomSecAttributeAssignment.ReadWrite.All, Organization.ReadWrite.All, Domain.ReadWrite.All, Directory.ReadWrite.All, Device.Read.All, Policy.ReadWrite.DeviceConfiguration, MultiTenantOrganization.Read.All, OrgContact.Read.All, PeopleSettings.ReadWrite.All, Directory.Read.All.
# STEPS:
#   1. Custody check of the archive before anything is decrypted.
#   2-4 come from one read of the target, so the runbook and the diff describe the plan.
#   2. Write the runbook for the selection (runbook.md / runbook.html).
#   3. Diff the archive against the live tenant (diff-before.json).
#   4. Plan (plan.json): the selection plus the dependencies it needs, listed with the
#      object that needed each. Review it.
#   5. With --confirm TENANT_ID only: execute the plan (result in restore-result.json).
#      --expect-plan SHA256 (the reviewed plan's hash, last line of plan.txt) refuses a
#      changed plan before any write; --resume continues a paused run.
#   6. Diff again (diff-after.json).
# VERIFY: exit code 0; the selected objects / attributes show as equal in diff-after.json.
# USAGE: 50-restore-objects.sh --scenario objects|attributes --archive A.evault
#   --target writer.json --identity identity.txt --objects ID[,ID…] [--attributes NAME[,NAME…]]
#   --out DIR [--confirm TENANT_ID] [--vault V] [--signer signing.pub] [--contact TEXT]... [--operator NAME]
#   [--passphrase-env NAME] [--enable-ca] [--expect-plan SHA256] [--resume]
#   [--allow-rollback REASON]
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
. "$(dirname "${BASH_SOURCE[0]}")/lib/restore-flow.sh"

RF_SCENARIO="objects"
RF_SCENARIO_CHOICES="objects attributes"
rf_parse "$@"
case " ${RF_COMMON[*]} " in
  *" --objects "*) ;;
  *) die "--objects is required (comma-separated archived object ids)" ;;
esac
rf_run
