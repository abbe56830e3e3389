#!/usr/bin/env bash
# 30-recover-all-admins-deleted.sh — Recover a tenant in which every administrator was deleted
#
# PURPOSE: the tenant is alive but nobody can administer it. Bring administrators back
#   first (recycle bin within 30 days keeps ids and role assignments; otherwise a
#   break-glass Global Administrator is created by the recovery app, role template
#   62e90394-69f5-4237-9190-012177145e10), then restore what else the archive holds and
#   the tenant lost, dependencies before dependants.
# PRECONDITIONS: the archive (.evault + .evault.minisig) from the vault; the age identity of
#   a recovery operator; the connection profile of the break-glass recovery app (created
#   with 00-prepare-source-tenant.sh) with its certificate restored for this recovery;
#   network access to login.microsoftonline.com and graph.microsoft.com.
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
#   plus Privileged Authentication Administrator and Privileged Role Administrator on the app
#   itself, to restore users who held admin roles (docs/graph-facts.md §4 "Sensitive actions").
#   Operators: two people (four eyes), one holding the age identity.
# STEPS:
#   1. Custody check of the archive (signature, tenant) before anything is decrypted.
#   2-4 come from one read of the target, so the runbook and the diff describe the plan.
#   2. Write the runbook (runbook.md / runbook.html) for this archive and target.
#   3. Diff the archive against the live tenant (diff-before.json).
#   4. Plan the restore (plan.json): tier 0 bootstrap admins, 1 settings, 2 objects,
#      3 relationships, 4 conditional access (report-only until references verify), 5 verify.
#      Review it with the second operator. Nothing has been written so far.
#   5. With --confirm TENANT_ID only: execute the plan; temporary passwords go to the
#      age-encrypted restore-credentials.age, never to the screen or a log; the result in
#      restore-result.json. --expect-plan SHA256 (the reviewed plan's hash, last line of
#      plan.txt) refuses a changed plan before any write; --resume continues a paused run.
#   6. Diff again (diff-after.json) and hand the manual steps of the runbook to their owners.
# VERIFY: exit code 0; the restored Global Administrators can sign in; diff-after.json lists
#   no missing objects; `entra-vault audit verify --vault V` shows the restore evidence.
# USAGE: 30-recover-all-admins-deleted.sh --archive A.evault --target writer.json
#   --identity identity.txt --out DIR [--confirm TENANT_ID] [--vault V] [--signer signing.pub]
#   [--passphrase-env NAME] [--enable-ca] [--contact TEXT]... [--operator NAME]
#   [--expect-plan SHA256] [--resume] [--allow-rollback REASON]
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
. "$(dirname "${BASH_SOURCE[0]}")/lib/restore-flow.sh"

RF_SCENARIO="all-admins-deleted"
RF_SCENARIO_CHOICES=""
rf_parse "$@"
rf_run
