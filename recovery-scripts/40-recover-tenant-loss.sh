#!/usr/bin/env bash
# 40-recover-tenant-loss.sh — Rebuild a lost tenant into a brand-new tenant
#
# PURPOSE: the tenant is gone (deleted, compromised beyond trust or unrecoverable). Rebuild
#   it from the newest trusted archive into a new tenant: bootstrap admins first, then
#   settings and policies, objects, relationships and conditional access, every reference
#   remapped from the old ids to the new ones.
# PRECONDITIONS: a new tenant with one initial Global Administrator; in it, the break-glass
#   recovery app registered and consented with the permissions below (follow the checklist
#   of 00-prepare-source-tenant.sh in the new tenant) and its writer profile; the archive
#   and its signature; the age identity of a recovery operator.
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
#   Operators: two people (four eyes), one holding the age identity; a DNS administrator
#   for the domain verification steps.
# STEPS:
#   1. Custody check of the archive (signature, tenant) before anything is decrypted.
#   2-4 come from one read of the target, so the runbook and the diff describe the plan.
#   2. Write the runbook (runbook.md / runbook.html) for this archive and the new tenant.
#   3. Diff the archive against the new tenant (diff-before.json: nearly everything missing).
#   4. Plan (plan.json): UPN domains are mapped to the new initial domain until DNS is
#      verified; CA policies are created report-only. Review with the second operator.
#   5. With --confirm NEW_TENANT_ID only: execute (result in restore-result.json); passwords
#      go to restore-credentials.age. --expect-plan SHA256 (the reviewed plan's hash, last line
#      of plan.txt) refuses a changed plan before any write; --resume continues a paused run.
#   6. Diff again (diff-after.json); work through the manual steps (domain verification,
#      passwords / Temporary Access Passes, MFA registrations, client secrets, licences).
# VERIFY: exit code 0; fidelity in the restore evidence is 100 % for restorable objects;
#   diff-after.json lists no missing objects; `entra-vault audit verify --vault V` passes.
# USAGE: 40-recover-tenant-loss.sh --archive A.evault --target new-tenant-writer.json
#   --identity identity.txt --out DIR [--confirm NEW_TENANT_ID] [--vault V]
#   [--signer signing.pub] [--passphrase-env NAME] [--enable-ca] [--contact TEXT]... [--operator NAME]
#   [--expect-plan SHA256] [--resume] [--allow-rollback REASON]
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
. "$(dirname "${BASH_SOURCE[0]}")/lib/restore-flow.sh"

RF_SCENARIO="tenant-loss"
RF_SCENARIO_CHOICES=""
rf_parse "$@"
rf_run
