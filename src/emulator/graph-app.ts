/**
 * The Microsoft Graph service principal as it appears in every tenant, with all of its
 * application permissions (app roles) and delegated permissions (OAuth2 scopes).
 *
 * Every id is Microsoft Graph's real, published one: the lists are generated
 * (src/emulator/builtin/generated/tenant-builtins.ts, scripts/gen-builtins.ts) from
 * Microsoft's permissions data vendored in vendor/tenant-builtins/ (SOURCE.md), so a profile
 * written against a real tenant and one written against the emulator name the same GUIDs.
 */
import { MICROSOFT_GRAPH_APP_ID, MICROSOFT_SERVICES_TENANT_ID } from '../catalog/permissions.js';
import type { DirObject, JsonObject } from '../model.js';
import { FIRST_PARTY_APPS, GRAPH_APP_ROLES, GRAPH_SCOPES } from './builtin/generated/tenant-builtins.js';

export interface GraphAppRole {
  id: string;
  value: string;
  displayName: string;
}

/** Microsoft Graph's application permissions, sorted by value. */
export const MICROSOFT_GRAPH_APP_ROLES: readonly GraphAppRole[] = GRAPH_APP_ROLES.map(({ id, value, displayName }) => ({ id, value, displayName }));

/** Microsoft Graph's delegated permissions (scopes), sorted by value. */
export const MICROSOFT_GRAPH_SCOPES: readonly GraphAppRole[] = GRAPH_SCOPES.map(({ id, value, displayName }) => ({ id, value, displayName }));

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

export { MICROSOFT_SERVICES_TENANT_ID };

const GRAPH_SP_APP_ROLES: JsonObject[] = GRAPH_APP_ROLES.map((r) => ({
  allowedMemberTypes: ['Application'],
  description: r.description,
  displayName: r.displayName,
  id: r.id,
  isEnabled: r.isEnabled,
  origin: 'Application',
  value: r.value,
}));

const GRAPH_SP_SCOPES: JsonObject[] = GRAPH_SCOPES.map((s) => ({
  adminConsentDescription: s.description,
  adminConsentDisplayName: s.displayName,
  id: s.id,
  isEnabled: s.isEnabled,
  origin: null,
  type: s.isAdmin ? 'Admin' : 'User',
  userConsentDescription: s.userDescription,
  userConsentDisplayName: s.userDisplayName,
  value: s.value,
}));

const GRAPH_SPNS = [
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
];

/**
 * A Microsoft first-party application's service principal as Graph returns it, with object
 * id `id` (which differs per tenant; the appId never does). Microsoft Graph's carries its
 * app roles and scopes; the others none (vendor/tenant-builtins/SOURCE.md "Coverage").
 * Every call returns fresh objects (the store may patch them). Never throws.
 */
export function firstPartyServicePrincipal(app: { appId: string; displayName: string }, id: string): DirObject {
  const graph = app.appId === MICROSOFT_GRAPH_APP_ID;
  return {
    id,
    '@odata.type': '#microsoft.graph.servicePrincipal',
    deletedDateTime: null,
    accountEnabled: true,
    addIns: [],
    alternativeNames: [],
    appDescription: null,
    appDisplayName: app.displayName,
    appId: app.appId,
    applicationTemplateId: null,
    appOwnerOrganizationId: MICROSOFT_SERVICES_TENANT_ID,
    appRoleAssignmentRequired: false,
    appRoles: graph ? structuredClone(GRAPH_SP_APP_ROLES) : [],
    createdByAppId: null,
    customSecurityAttributes: null,
    description: null,
    disabledByMicrosoftStatus: null,
    displayName: app.displayName,
    homepage: null,
    info: { logoUrl: null, marketingUrl: null, privacyStatementUrl: null, supportUrl: null, termsOfServiceUrl: null },
    keyCredentials: [],
    loginUrl: null,
    logoutUrl: null,
    notes: null,
    notificationEmailAddresses: [],
    oauth2PermissionScopes: graph ? structuredClone(GRAPH_SP_SCOPES) : [],
    passwordCredentials: [],
    preferredSingleSignOnMode: null,
    preferredTokenSigningKeyThumbprint: null,
    replyUrls: [],
    resourceSpecificApplicationPermissions: [],
    samlSingleSignOnSettings: null,
    servicePrincipalNames: graph ? [...GRAPH_SPNS] : [app.appId],
    servicePrincipalType: 'Application',
    signInAudience: 'AzureADMultipleOrgs',
    tags: [],
    tokenEncryptionKeyId: null,
    verifiedPublisher: { displayName: null, verifiedPublisherId: null, addedDateTime: null },
  };
}

/** The Microsoft Graph service principal with object id `id` (see {@link firstPartyServicePrincipal}). */
export function msGraphServicePrincipal(id: string): DirObject {
  return firstPartyServicePrincipal({ appId: MICROSOFT_GRAPH_APP_ID, displayName: 'Microsoft Graph' }, id);
}

/**
 * The service principal Graph instantiates for a Microsoft first-party `appId` posted to
 * `/servicePrincipals` (an application registered in Microsoft's tenant: "Create
 * servicePrincipal", https://learn.microsoft.com/graph/api/serviceprincipal-post-serviceprincipals);
 * undefined for any other appId.
 */
export function firstPartyServicePrincipalFor(appId: string, id: string): DirObject | undefined {
  const app = FIRST_PARTY_APPS.find((a) => a.appId === appId.toLowerCase());
  return app ? firstPartyServicePrincipal(app, id) : undefined;
}
