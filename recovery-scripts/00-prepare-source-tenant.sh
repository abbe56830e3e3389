#!/usr/bin/env bash
# 00-prepare-source-tenant.sh — Checklist to prepare a tenant for backup and recovery
#
# PURPOSE: write, for a Global Administrator of the tenant to protect, the exact Microsoft
#   Graph v1.0 calls that register the two appliance apps (backup reader, break-glass
#   recovery writer) with certificate credentials and exactly the permissions entra-vault
#   needs, and that create two cloud-only emergency-access accounts. This script never
#   contacts a tenant and never changes anything: it only writes a checklist file (it
#   refuses to overwrite one) for the administrator to follow and sign off.
# PRECONDITIONS: the administrator who follows the checklist holds Global Administrator
#   (or Privileged Role Administrator + Application Administrator) in the tenant; openssl
#   is available on the machine where the certificates are made (not this appliance).
# PERMISSIONS: the backup-reader app gets these Microsoft Graph application permissions:
#   User.Read.All, Group.Read.All, Application.Read.All, RoleManagement.Read.Directory, RoleManagementPolicy.Read.Directory, PrivilegedEligibilitySchedule.Read.AzureADGroup, PrivilegedAssignmentSchedule.Read.AzureADGroup, RoleManagementPolicy.Read.AzureADGroup, Policy.Read.PermissionGrant,
#   Policy.Read.All, Organization.Read.All, Domain.Read.All, AdministrativeUnit.Read.All,
#   CustomSecAttributeDefinition.Read.All, CustomSecAttributeAssignment.Read.All,
#   IdentityProvider.Read.All, CustomAuthenticationExtension.Read.All, EventListener.Read.All, IdentityUserFlow.Read.All,
#   EntitlementManagement.Read.All, AccessReview.Read.All, LifecycleWorkflows.Read.All,
#   Device.Read.All, Policy.Read.DeviceConfiguration, MultiTenantOrganization.Read.All,
#   OrgContact.Read.All, PeopleSettings.Read.All, AuditLog.Read.All,
#   Directory.Read.All.
#   The break-glass recovery (restore-writer) app gets these application permissions:
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
#   CustomSecAttributeAssignment.ReadWrite.All, Organization.ReadWrite.All,
#   Domain.ReadWrite.All, Directory.ReadWrite.All, Device.Read.All, Policy.ReadWrite.DeviceConfiguration, MultiTenantOrganization.Read.All, OrgContact.Read.All, PeopleSettings.ReadWrite.All, Directory.Read.All.
#   Following the checklist needs Global Administrator (delegated, interactive).
# STEPS:
#   1. Validate the arguments; refuse --apply and any unknown option; refuse an existing --out.
#   2. Write the checklist: certificates (made offline with openssl), the backup-reader app
#      and its service principal, the recovery app and its service principal, admin consent
#      per permission (appRoleAssignedTo on Microsoft Graph's service principal), two
#      emergency-access accounts with Global Administrator (role template
#      62e90394-69f5-4237-9190-012177145e10) and the sign-off lines.
#   3. Print where the checklist is and its SHA-256.
#   Optional (section 6 of the checklist): extra recovery apps for a faster large restore.
#   Graph meters writes per app and tenant (3,000 per 2 min 30 s) and per tenant for all apps
#   (18,000 per 5 min, docs/graph-facts.md §5 "Throttling"), so a restore through three
#   recovery apps (`restore --target writer.json --target writer-2.json --target writer-3.json`)
#   writes up to three times as fast. Each extra app is registered exactly like the recovery
#   app of steps 2 and 3, with its own certificate: the same application permissions and the
#   same two directory roles (src/catalog/permissions.ts RESTORE_WRITER_PERMISSIONS,
#   RESTORE_WRITER_DIRECTORY_ROLES), nothing more; each is Tier-0 and stays credential-less
#   between drills like the first. More than three gain nothing: the tenant's limit binds.
# VERIFY: after the administrator has followed the checklist, run 10-scheduled-backup.sh
#   with the backup-reader profile: the backup reports no PERMISSION_MISSING warning; run
#   90-drill.sh to exercise the recovery procedures on the emulator.
# USAGE: 00-prepare-source-tenant.sh --out CHECKLIST.md --tenant-domain contoso.onmicrosoft.com
#   [--organization NAME] [--reader-name NAME] [--recovery-name NAME]
#   [--emergency-name-1 NAME] [--emergency-name-2 NAME]
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

OUT=""
DOMAIN=""
ORG="organisation name"
READER_NAME="entra-vault backup reader"
RECOVERY_NAME="entra-vault break-glass recovery"
EA1="Emergency Access 1"
EA2="Emergency Access 2"
while [ $# -gt 0 ]; do
  case "$1" in
    --out) OUT="${2:-}"; shift 2 ;;
    --tenant-domain) DOMAIN="${2:-}"; shift 2 ;;
    --organization) ORG="${2:-}"; shift 2 ;;
    --reader-name) READER_NAME="${2:-}"; shift 2 ;;
    --recovery-name) RECOVERY_NAME="${2:-}"; shift 2 ;;
    --emergency-name-1) EA1="${2:-}"; shift 2 ;;
    --emergency-name-2) EA2="${2:-}"; shift 2 ;;
    --apply|--execute|--yes)
      die "$1: this script never changes a tenant; follow the checklist it writes" ;;
    *) die "unknown option: $1" ;;
  esac
done
need --out "$OUT"
need --tenant-domain "$DOMAIN"
# Names go into a Markdown checklist and into Graph request bodies. Shell characters are
# harmless here (they are written literally, never run), but a terminal escape, a line break,
# an invisible or direction-changing character (U+202E and its kin) or HTML would make the
# checklist show something other than what it says: refused (the rule of src/text.ts).
# (UTF-8 bytes of U+00AD, U+061C, U+200B-U+200F, U+2028-U+202E, U+2060-U+2064, U+2066-U+2069,
# U+FEFF, matched byte-wise so the check holds in any locale)
UNSAFE_FORMAT=($'\xc2\xad' $'\xd8\x9c' $'\xe2\x80\x8b' $'\xe2\x80\x8c' $'\xe2\x80\x8d'
  $'\xe2\x80\x8e' $'\xe2\x80\x8f' $'\xe2\x80\xa8' $'\xe2\x80\xa9' $'\xe2\x80\xaa' $'\xe2\x80\xab'
  $'\xe2\x80\xac' $'\xe2\x80\xad' $'\xe2\x80\xae' $'\xe2\x81\xa0' $'\xe2\x81\xa1' $'\xe2\x81\xa2'
  $'\xe2\x81\xa3' $'\xe2\x81\xa4' $'\xe2\x81\xa6' $'\xe2\x81\xa7' $'\xe2\x81\xa8' $'\xe2\x81\xa9'
  $'\xef\xbb\xbf')
# C1 controls (U+0080-U+009F) are the UTF-8 bytes C2 80-C2 9F: matched byte-wise.
has_c1() {
  local LC_ALL=C
  [[ "$1" == *$'\xc2'[$'\x80'-$'\x9f']* ]]
}
has_format() {
  local LC_ALL=C c
  for c in "${UNSAFE_FORMAT[@]}"; do
    if [[ "$1" == *"$c"* ]]; then return 0; fi
  done
  return 1
}
plain_name() {
  local flag="$1" v="$2"
  local why="$flag: no control, invisible or direction-changing characters and no < > (it goes into a checklist)"
  if [ -z "$v" ] || [ "${#v}" -gt 256 ]; then die "$flag: give 1 to 256 characters"; fi
  if [[ "$v" == *[[:cntrl:]]* || "$v" == *[\<\>]* ]]; then die "$why"; fi
  if has_c1 "$v"; then die "$why"; fi
  if has_format "$v"; then die "$why"; fi
}
plain_name --organization "$ORG"
plain_name --reader-name "$READER_NAME"
plain_name --recovery-name "$RECOVERY_NAME"
plain_name --emergency-name-1 "$EA1"
plain_name --emergency-name-2 "$EA2"
if ! [[ "$DOMAIN" =~ ^[A-Za-z0-9-]+\.onmicrosoft\.com$ ]]; then
  die "--tenant-domain must be the initial *.onmicrosoft.com domain (emergency accounts must not depend on federation or DNS)"
fi
if [ -e "$OUT" ]; then
  die "refusing to overwrite $OUT"
fi

GRAPH_APP_ID="00000003-0000-0000-c000-000000000000"
GA_TEMPLATE="62e90394-69f5-4237-9190-012177145e10"
READER_PERMISSIONS=(User.Read.All Group.Read.All Application.Read.All RoleManagement.Read.Directory RoleManagementPolicy.Read.Directory PrivilegedEligibilitySchedule.Read.AzureADGroup PrivilegedAssignmentSchedule.Read.AzureADGroup RoleManagementPolicy.Read.AzureADGroup
  Policy.Read.PermissionGrant
  Policy.Read.All Organization.Read.All Domain.Read.All AdministrativeUnit.Read.All
  CustomSecAttributeDefinition.Read.All CustomSecAttributeAssignment.Read.All Directory.Read.All
  IdentityProvider.Read.All CustomAuthenticationExtension.Read.All EventListener.Read.All IdentityUserFlow.Read.All EntitlementManagement.Read.All AccessReview.Read.All LifecycleWorkflows.Read.All
  Device.Read.All Policy.Read.DeviceConfiguration MultiTenantOrganization.Read.All OrgContact.Read.All PeopleSettings.Read.All
  AuditLog.Read.All)
WRITER_PERMISSIONS=(User.ReadWrite.All Group.ReadWrite.All Application.ReadWrite.All
  AppRoleAssignment.ReadWrite.All DelegatedPermissionGrant.ReadWrite.All
  RoleManagement.ReadWrite.Directory RoleManagementPolicy.ReadWrite.Directory PrivilegedEligibilitySchedule.ReadWrite.AzureADGroup PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup RoleManagementPolicy.ReadWrite.AzureADGroup Policy.ReadWrite.ConditionalAccess Policy.Read.All
  Application.Read.All Policy.ReadWrite.AuthenticationMethod Policy.ReadWrite.Authorization
  Policy.ReadWrite.CrossTenantAccess Policy.ReadWrite.ApplicationConfiguration Policy.ReadWrite.PermissionGrant Policy.ReadWrite.ConsentRequest
  AdministrativeUnit.ReadWrite.All
  Policy.ReadWrite.AuthenticationFlows IdentityProvider.ReadWrite.All CustomAuthenticationExtension.ReadWrite.All EventListener.ReadWrite.All IdentityUserFlow.ReadWrite.All
  CustomSecAttributeDefinition.ReadWrite.All CustomSecAttributeAssignment.ReadWrite.All Organization.ReadWrite.All Domain.ReadWrite.All Directory.ReadWrite.All
  EntitlementManagement.ReadWrite.All AccessReview.ReadWrite.All LifecycleWorkflows.ReadWrite.All
  Device.Read.All Policy.ReadWrite.DeviceConfiguration MultiTenantOrganization.Read.All
  OrgContact.Read.All PeopleSettings.ReadWrite.All
  Directory.Read.All)

# JSON string literal of $1 (quotes, backslashes and control characters escaped), so a
# display name is written into the request bodies exactly as given.
json_str() {
  local s="$1" out="" c i
  for ((i = 0; i < ${#s}; i++)); do
    c="${s:i:1}"
    case "$c" in
      '"') out+='\"' ;;
      '\') out+='\\' ;;
      $'\n') out+='\n' ;;
      $'\r') out+='\r' ;;
      $'\t') out+='\t' ;;
      *)
        if [[ "$c" < ' ' ]]; then out+="$(printf '\\u%04x' "'$c")"; else out+="$c"; fi ;;
    esac
  done
  printf '"%s"' "$out"
}

app_section() {
  local n="$1" name="$2" var="$3" cn="$4"
  shift 4
  local perms=("$@")
  printf '\n## %s. App registration: ' "$n"; printf '%s\n\n' "$name"
  printf -- '- [ ] %s.1 Make the certificate offline (not on this appliance), 2 years, key never leaves the vault room:\n\n' "$n"
  printf '      openssl req -x509 -newkey rsa:3072 -sha256 -days 730 -nodes -subj "/CN=%s" -keyout %s.key -out %s.crt\n' "$cn" "$cn" "$cn"
  printf '      cat %s.crt %s.key > %s.pem   # certificatePath of the connection profile (mode 0600)\n' "$cn" "$cn" "$cn"
  printf '      KEY=$(openssl x509 -in %s.crt -outform DER | base64 -w0)\n\n' "$cn"
  printf -- '- [ ] %s.2 Create the application (single tenant, certificate credential, no secret):\n\n' "$n"
  printf '      POST https://graph.microsoft.com/v1.0/applications\n'
  printf '      { "displayName": %s, "signInAudience": "AzureADMyOrg",\n' "$(json_str "$name")"
  printf '        "keyCredentials": [ { "type": "AsymmetricX509Cert", "usage": "Verify", "key": "<KEY>", "displayName": "CN=%s" } ],\n' "$cn"
  printf '        "requiredResourceAccess": [ { "resourceAppId": "%s", "resourceAccess": [ <one {"id": APPROLE_ID, "type": "Role"} per permission below> ] } ] }\n\n' "$GRAPH_APP_ID"
  printf '      Record: appId = %s_APP_ID (clientId of the profile), id = %s_APP_OBJECT_ID\n\n' "$var" "$var"
  printf -- '- [ ] %s.3 Create its service principal:\n\n' "$n"
  printf '      POST https://graph.microsoft.com/v1.0/servicePrincipals\n'
  printf '      { "appId": "<%s_APP_ID>" }\n\n' "$var"
  printf '      Record: id = %s_SP_ID\n\n' "$var"
  printf -- '- [ ] %s.4 Grant admin consent, one call per permission. APPROLE_ID is the id of the appRole whose "value" is the permission, from\n\n' "$n"
  printf "      GET https://graph.microsoft.com/v1.0/servicePrincipals(appId='%s')?\$select=id,appRoles   (id = GRAPH_SP_ID)\n\n" "$GRAPH_APP_ID"
  local p
  for p in "${perms[@]}"; do
    printf '      - [ ] %s\n' "$p"
    printf '            POST https://graph.microsoft.com/v1.0/servicePrincipals/<GRAPH_SP_ID>/appRoleAssignedTo\n'
    printf '            { "principalId": "<%s_SP_ID>", "resourceId": "<GRAPH_SP_ID>", "appRoleId": "<APPROLE_ID of %s>" }\n' "$var" "$p"
  done
}

ea_section() {
  local n="$1" name="$2" nick="$3"
  printf -- '- [ ] 4.%s Emergency-access account: ' "$n"; printf '%s\n\n' "$name"
  printf '      POST https://graph.microsoft.com/v1.0/users\n'
  printf '      { "accountEnabled": true, "displayName": %s, "mailNickname": "%s",\n' "$(json_str "$name")" "$nick"
  printf '        "userPrincipalName": "%s@%s",\n' "$nick" "$DOMAIN"
  printf '        "passwordProfile": { "forceChangePasswordNextSignIn": false, "password": "<generated offline, 64+ characters, sealed envelope; never typed into this file>" } }\n\n'
  printf '      POST https://graph.microsoft.com/v1.0/roleManagement/directory/roleAssignments\n'
  printf '      { "principalId": "<id of %s@%s>", "roleDefinitionId": "%s", "directoryScopeId": "/" }\n\n' "$nick" "$DOMAIN" "$GA_TEMPLATE"
}

umask 077
{
  printf '# Tenant preparation checklist for entra-vault\n\n'
  printf 'Organisation: %s\n' "$ORG"
  printf 'Tenant initial domain: %s\n' "$DOMAIN"
  printf 'Generated: %s by recovery-scripts/00-prepare-source-tenant.sh (nothing was changed in any tenant)\n\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  printf 'Follow every step as a Global Administrator (Graph Explorer or any client with a delegated\n'
  printf 'admin session). Tick each box, note the recorded ids, and sign at the end. The two apps are\n'
  printf 'separate on purpose: the reader cannot change anything; the writer is Tier-0 (RoleManagement.ReadWrite.Directory\n'
  printf 'can grant Global Administrator) and stays without a valid credential between drills (docs/graph-facts.md §6).\n'
  app_section 1 "$READER_NAME" READER entra-vault-reader "${READER_PERMISSIONS[@]}"
  app_section 2 "$RECOVERY_NAME" RECOVERY entra-vault-recovery "${WRITER_PERMISSIONS[@]}"
  printf '\n## 3. Directory role for the recovery app\n\n'
  printf -- '- [ ] 3.1 Restoring, deleting or resetting users who hold admin roles needs two directory roles on the app itself; its permissions alone are refused (docs/graph-facts.md §4 "Sensitive actions"):\n\n'
  printf '      POST https://graph.microsoft.com/v1.0/roleManagement/directory/roleAssignments\n'
  printf '      { "principalId": "<RECOVERY_SP_ID>", "roleDefinitionId": "7be44c8a-adaf-4e2a-84d6-ab2649e08a13", "directoryScopeId": "/" }   (Privileged Authentication Administrator)\n'
  printf '      { "principalId": "<RECOVERY_SP_ID>", "roleDefinitionId": "e8611ab8-c189-46e8-94e1-60213ab1f814", "directoryScopeId": "/" }   (Privileged Role Administrator)\n\n'
  printf -- '- [ ] 3.2 Between drills: remove the recovery certificate from the app (keyCredentials: []) and keep the .pem offline; add it back only for a drill or a recovery, under four-eyes control.\n'
  printf -- '- [ ] 3.3 Only if lifecycle workflows use custom task extensions, or access package catalogs custom workflow extensions: in Azure\n'
  printf '      (Access control (IAM) of each Logic App they call, or of its resource group), assign the recovery app Logic App Contributor.\n'
  printf '      Graph recreates such an extension only for a caller with that role on its Logic App (docs/graph-facts.md S394);\n'
  printf '      without it the restore reports the extension failed, naming the Logic App.\n'
  printf '\n## 4. Two cloud-only emergency-access accounts (docs/graph-facts.md §7)\n\n'
  ea_section 1 "$EA1" emergency-access-1
  ea_section 2 "$EA2" emergency-access-2
  printf -- '- [ ] 4.3 Register a FIDO2 security key / passkey for each account (stored in two separate safes).\n'
  printf -- '- [ ] 4.4 Exclude both accounts from every Conditional Access policy that could lock them out; keep one policy that requires phishing-resistant MFA for them.\n'
  printf -- '- [ ] 4.5 Alert on every sign-in of either account (sign-in logs to the SIEM).\n'
  printf '\n## 5. Connection profiles for entra-vault\n\n'
  printf -- '- [ ] 5.1 reader.json: { "tenantId": "<TENANT_ID>", "authorityHost": "https://login.microsoftonline.com", "graphBaseUrl": "https://graph.microsoft.com/v1.0", "clientId": "<READER_APP_ID>", "auth": { "kind": "certificate", "certificatePath": "entra-vault-reader.pem" } }  (mode 0600)\n'
  printf -- '- [ ] 5.2 writer.json: the same with "<RECOVERY_APP_ID>" and entra-vault-recovery.pem, kept with the recovery operators, offline.\n'
  printf -- '- [ ] 5.3 Run recovery-scripts/10-scheduled-backup.sh with reader.json; the backup must report no PERMISSION_MISSING warning.\n'
  printf '\n## 6. Optional: extra recovery apps for a faster restore of a large tenant\n\n'
  printf 'Graph admits 3,000 writes per 2 min 30 s per app and tenant, but 18,000 per 5 min per tenant for all\n'
  printf 'apps together (docs/graph-facts.md §5 "Throttling"): a restore through up to three recovery apps writes up\n'
  printf 'to three times as fast. Skip this section for tenants under about 5,000 users.\n\n'
  printf -- '- [ ] 6.1 Repeat section 2 (the recovery app) and section 3 (its two directory roles) for "%s 2" and\n' "$RECOVERY_NAME"
  printf '      "%s 3", each with its own certificate (entra-vault-recovery-2.pem, -3.pem) and exactly the same\n' "$RECOVERY_NAME"
  printf '      permissions and roles as the recovery app: no more. Each is Tier-0 like the first.\n'
  printf -- '- [ ] 6.2 writer-2.json, writer-3.json: as writer.json (5.2) with each app'"'"'s own client id and certificate, the same tenant id.\n'
  printf -- '- [ ] 6.3 Restore through all of them: entra-vault restore ARCHIVE --target writer.json --target writer-2.json --target writer-3.json …\n'
  printf '      (profiles naming different tenants are refused, TARGET_TENANTS_DIFFER). Remove their certificates between drills (3.2).\n'
  printf '\n## Sign-off\n\n'
  printf 'Prepared by: ____________________  Date: __________\n'
  printf 'Checked by (four eyes): ____________________  Date: __________\n'
} > "$OUT"

log "checklist written to $OUT"
sha256sum "$OUT" >&2
