/**
 * The Microsoft Graph service principal as it appears in every tenant, with the
 * application permissions (app roles) the appliance uses and the delegated scopes the
 * seeded apps consent to.
 *
 * Every appRole id below is Microsoft Graph's real, published app role id (the values
 * `GET /servicePrincipals(appId='00000003-0000-0000-c000-000000000000')` returns in
 * every tenant). None is derived: all 28 were checked against the published
 * permissions reference, so a profile written against a real tenant and one written
 * against the emulator name the same GUIDs.
 */
import { MICROSOFT_GRAPH_APP_ID } from '../catalog/permissions.js';
import type { DirObject } from '../model.js';

export interface GraphAppRole {
  id: string;
  value: string;
  displayName: string;
}

/** Microsoft Graph's application permissions used by the appliance, sorted by value. */
export const MICROSOFT_GRAPH_APP_ROLES: readonly GraphAppRole[] = [
  { id: '134fd756-38ce-4afd-ba33-e9623dbe66c2', value: 'AdministrativeUnit.Read.All', displayName: 'Read all administrative units' },
  { id: '5eb59dd3-1da2-4329-8733-9dabdc435916', value: 'AdministrativeUnit.ReadWrite.All', displayName: 'Read and write all administrative units' },
  { id: '06b708a9-e830-4db3-a914-8e69da51d44f', value: 'AppRoleAssignment.ReadWrite.All', displayName: 'Manage app permission grants and app role assignments' },
  { id: '9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30', value: 'Application.Read.All', displayName: 'Read all applications' },
  { id: '1bfefb4e-e0b5-418b-a88f-73c46d2cc8e9', value: 'Application.ReadWrite.All', displayName: 'Read and write all applications' },
  { id: 'b0afded3-3588-46d8-8b3d-9842eff778da', value: 'AuditLog.Read.All', displayName: 'Read all audit log data' },
  { id: '3b37c5a4-1226-493d-bec3-5d6c6b866f3f', value: 'CustomSecAttributeAssignment.Read.All', displayName: 'Read custom security attribute assignments' },
  { id: 'de89b5e4-5b8f-48eb-8925-29c2b33bd8bd', value: 'CustomSecAttributeAssignment.ReadWrite.All', displayName: 'Read and write custom security attribute assignments' },
  { id: 'b185aa14-d8d2-42c1-a685-0f5596613624', value: 'CustomSecAttributeDefinition.Read.All', displayName: 'Read custom security attribute definitions' },
  { id: '12338004-21f4-4896-bf5e-b75dfaf1016d', value: 'CustomSecAttributeDefinition.ReadWrite.All', displayName: 'Read and write custom security attribute definitions' },
  { id: '8e8e4742-1d95-4f68-9d56-6ee75648c72a', value: 'DelegatedPermissionGrant.ReadWrite.All', displayName: 'Manage all delegated permission grants' },
  { id: '7ab1d382-f21e-4acd-a863-ba3e13f7da61', value: 'Directory.Read.All', displayName: 'Read directory data' },
  { id: '19dbc75e-c2e2-444c-a770-ec69d8559fc7', value: 'Directory.ReadWrite.All', displayName: 'Read and write directory data' },
  { id: 'dbb9058a-0e50-45d7-ae91-66909b5d4664', value: 'Domain.Read.All', displayName: 'Read domains' },
  { id: '7e05723c-0bb0-42da-be95-ae9f08a6e53c', value: 'Domain.ReadWrite.All', displayName: 'Read and write domains' },
  { id: '5b567255-7703-4780-807c-7be8301ae99b', value: 'Group.Read.All', displayName: 'Read all groups' },
  { id: '62a82d76-70ea-41e2-9197-370581804d09', value: 'Group.ReadWrite.All', displayName: 'Read and write all groups' },
  { id: '98830695-27a2-44f7-8c18-0c3ebc9698f6', value: 'GroupMember.Read.All', displayName: 'Read all group memberships' },
  { id: '498476ce-e0fe-48b0-b801-37ba7e2685c6', value: 'Organization.Read.All', displayName: 'Read organization information' },
  { id: '292d869f-3427-49a8-9dab-8c70152b74e9', value: 'Organization.ReadWrite.All', displayName: 'Read and write organization information' },
  { id: '246dd0d5-5bd0-4def-940b-0421030a5b68', value: 'Policy.Read.All', displayName: "Read your organization's policies" },
  { id: 'be74164b-cff1-491c-8741-e671cb536e13', value: 'Policy.ReadWrite.ApplicationConfiguration', displayName: "Read and write your organization's application configuration policies" },
  { id: '29c18626-4985-4dcd-85c0-193eef327366', value: 'Policy.ReadWrite.AuthenticationMethod', displayName: 'Read and write all authentication method policies' },
  { id: 'fb221be6-99f2-473f-bd32-01c6a0e9ca3b', value: 'Policy.ReadWrite.Authorization', displayName: "Read and write your organization's authorization policy" },
  { id: '01c0a623-fc9b-48e9-b794-0756f8e8f067', value: 'Policy.ReadWrite.ConditionalAccess', displayName: "Read and write your organization's conditional access policies" },
  { id: '338163d7-f101-4c92-94ba-ca46fe52447c', value: 'Policy.ReadWrite.CrossTenantAccess', displayName: "Read and write your organization's cross tenant access policies" },
  { id: 'd5fe8ce8-684c-4c83-a52c-46e882ce4be1', value: 'RoleAssignmentSchedule.Read.Directory', displayName: 'Read all active role assignments and role schedules for your company\'s directory' },
  { id: 'ff278e11-4a33-4d0c-83d2-d01dc58929a5', value: 'RoleEligibilitySchedule.Read.Directory', displayName: 'Read all eligible role assignments and role schedules for your company\'s directory' },
  { id: '483bed4a-2ad3-4361-a73b-c83ccdbdc53c', value: 'RoleManagement.Read.Directory', displayName: 'Read all directory RBAC settings' },
  { id: '9e3f62cf-ca93-4989-b6ce-bf83c28f9fe8', value: 'RoleManagement.ReadWrite.Directory', displayName: 'Read and write all directory RBAC settings' },
  { id: 'df021288-bdef-4463-88db-98f22de89214', value: 'User.Read.All', displayName: "Read all users' full profiles" },
  { id: '741f803b-c850-494e-b5df-cde7c675a1ca', value: 'User.ReadWrite.All', displayName: "Read and write all users' full profiles" },
];

/** Delegated scopes of Microsoft Graph that seeded apps request and consent to (real ids). */
export const MICROSOFT_GRAPH_SCOPES: readonly GraphAppRole[] = [
  { id: '64a6cdd6-aab1-4aaf-94b8-3cc8405e90d0', value: 'email', displayName: "View users' email address" },
  { id: '7427e0e9-2fba-42fe-b0c0-848c9e6a8182', value: 'offline_access', displayName: 'Maintain access to data you have given it access to' },
  { id: '37f7f235-527c-4136-accd-4a02d197296e', value: 'openid', displayName: 'Sign users in' },
  { id: '14dad69e-099b-42c9-810b-d002981feec1', value: 'profile', displayName: "View users' basic profile" },
  { id: 'e1fe6dd8-ba31-4d61-89e7-88639da4683d', value: 'User.Read', displayName: 'Sign in and read user profile' },
];

const ROLE_BY_VALUE = new Map(MICROSOFT_GRAPH_APP_ROLES.map((r) => [r.value, r]));

/**
 * The app role id of a Microsoft Graph application permission.
 * @throws RangeError when the permission is not one the appliance uses (a programming error).
 */
export function graphAppRoleId(value: string): string {
  const role = ROLE_BY_VALUE.get(value);
  if (!role) throw new RangeError(`unknown Microsoft Graph application permission ${value}`);
  return role.id;
}

/** The tenant of Microsoft's first-party applications ("Microsoft Services"). */
export const MICROSOFT_SERVICES_TENANT_ID = 'f8cdef31-a31e-4b4a-93e4-5f571e91255a';

/**
 * The Microsoft Graph service principal as Graph returns it, with object id `id`
 * (which differs per tenant; the appId never does). Never throws.
 */
export function msGraphServicePrincipal(id: string): DirObject {
  return {
    id,
    '@odata.type': '#microsoft.graph.servicePrincipal',
    deletedDateTime: null,
    accountEnabled: true,
    addIns: [],
    alternativeNames: [],
    appDescription: null,
    appDisplayName: 'Microsoft Graph',
    appId: MICROSOFT_GRAPH_APP_ID,
    applicationTemplateId: null,
    appOwnerOrganizationId: MICROSOFT_SERVICES_TENANT_ID,
    appRoleAssignmentRequired: false,
    appRoles: MICROSOFT_GRAPH_APP_ROLES.map((r) => ({
      allowedMemberTypes: ['Application'],
      description: `Allows the app to ${r.displayName.charAt(0).toLowerCase()}${r.displayName.slice(1)} without a signed-in user.`,
      displayName: r.displayName,
      id: r.id,
      isEnabled: true,
      origin: 'Application',
      value: r.value,
    })),
    createdByAppId: null,
    customSecurityAttributes: null,
    description: null,
    disabledByMicrosoftStatus: null,
    displayName: 'Microsoft Graph',
    homepage: null,
    isDisabled: null,
    info: { logoUrl: null, marketingUrl: null, privacyStatementUrl: null, supportUrl: null, termsOfServiceUrl: null },
    keyCredentials: [],
    loginUrl: null,
    logoutUrl: null,
    notes: null,
    notificationEmailAddresses: [],
    oauth2PermissionScopes: MICROSOFT_GRAPH_SCOPES.map((s) => ({
      adminConsentDescription: `Allows the app to ${s.displayName.charAt(0).toLowerCase()}${s.displayName.slice(1)}.`,
      adminConsentDisplayName: s.displayName,
      id: s.id,
      isEnabled: true,
      origin: null,
      type: 'User',
      userConsentDescription: `Allows the app to ${s.displayName.charAt(0).toLowerCase()}${s.displayName.slice(1)}.`,
      userConsentDisplayName: s.displayName,
      value: s.value,
    })),
    passwordCredentials: [],
    preferredSingleSignOnMode: null,
    preferredTokenSigningKeyThumbprint: null,
    replyUrls: [],
    resourceSpecificApplicationPermissions: [],
    samlSingleSignOnSettings: null,
    servicePrincipalNames: [
      `${MICROSOFT_GRAPH_APP_ID}/ags.windows.net`,
      MICROSOFT_GRAPH_APP_ID,
      'https://canary.graph.microsoft.com',
      'https://graph.microsoft.com',
      'https://ags.windows.net',
      'https://graph.microsoft.us',
      'https://graph.microsoft.com/',
      'https://dod-graph.microsoft.us',
      'https://canary.graph.microsoft.com/',
      'https://graph.microsoft.us/',
      'https://dod-graph.microsoft.us/',
    ],
    servicePrincipalType: 'Application',
    signInAudience: 'AzureADMultipleOrgs',
    tags: [],
    tokenEncryptionKeyId: null,
    verifiedPublisher: { displayName: null, verifiedPublisherId: null, addedDateTime: null },
  };
}
