#!/usr/bin/env bash
# 51-restore-attributes.sh — Restore selected attributes of selected objects
#
# PURPOSE: put individual attributes back to their archived values (for example the
#   cloud-only attributes of a user that directory sync brought back from on-premises AD),
#   leaving every other attribute and object as it is.
# PRECONDITIONS: as 50-restore-objects.sh; the archived object ids and the property names.
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
#   1. Runs 50-restore-objects.sh with --scenario attributes and the same arguments
#      (custody check, runbook, diff, plan, restore only with --confirm, diff again).
# VERIFY: the named attributes show as equal in diff-after.json.
# USAGE: 51-restore-attributes.sh --archive A.evault --target writer.json --identity I
#   --objects ID[,ID…] --attributes NAME[,NAME…] --out DIR [--confirm TENANT_ID]
#   [any other option of 50-restore-objects.sh, e.g. --vault V --expect-plan SHA256 --resume
#   --allow-rollback REASON]
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

case " $* " in
  *" --attributes "*) ;;
  *) die "--attributes is required (comma-separated property names)" ;;
esac
exec bash "$(dirname "${BASH_SOURCE[0]}")/50-restore-objects.sh" --scenario attributes "$@"
