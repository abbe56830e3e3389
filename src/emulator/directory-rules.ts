/**
 * Directory invariants the real service enforces and a restore must live with:
 * the last Global Administrator (docs/graph-facts.md §7), on-premises mastered attributes
 * of synced objects, and what a conditional-access policy may reference (§3).
 */
import { CA_LOCATION_VALUES } from '../catalog/ca-dependencies.js';
import { GLOBAL_ADMIN_TEMPLATE_ID } from '../catalog/permissions.js';
import type { ResourceType } from '../catalog/types.js';
import type { DirObject, Json } from '../model.js';
import { badRequest } from './graph-error.js';
import type { TenantStore } from './store.js';

/** Attributes AD Connect masters for synced users and groups (cloud writes are refused). */
export const SYNCED_ATTRIBUTES: Partial<Record<ResourceType, readonly string[]>> = {
  user: [
    'accountEnabled', 'displayName', 'givenName', 'surname', 'userPrincipalName', 'mail', 'mailNickname',
    'jobTitle', 'department', 'companyName', 'officeLocation', 'streetAddress', 'city', 'state', 'country',
    'postalCode', 'businessPhones', 'mobilePhone', 'faxNumber', 'employeeId', 'proxyAddresses',
    'onPremisesImmutableId', 'onPremisesSecurityIdentifier', 'onPremisesSamAccountName', 'onPremisesUserPrincipalName',
    'onPremisesDomainName', 'onPremisesDistinguishedName', 'onPremisesSyncEnabled', 'onPremisesLastSyncDateTime',
    'onPremisesExtensionAttributes',
  ],
  group: [
    'displayName', 'description', 'mail', 'mailNickname', 'mailEnabled', 'securityEnabled', 'proxyAddresses',
    'onPremisesSecurityIdentifier', 'onPremisesSamAccountName', 'onPremisesDomainName', 'onPremisesSyncEnabled',
    'onPremisesLastSyncDateTime', 'onPremisesNetBiosName',
  ],
};

export function isSynced(o: DirObject): boolean {
  return o.onPremisesSyncEnabled === true;
}

/** 400 when a PATCH touches an on-premises mastered attribute of a synced object. */
export function checkSyncedPatch(type: ResourceType, o: DirObject, body: Record<string, unknown>): void {
  if (!isSynced(o)) return;
  const mastered = SYNCED_ATTRIBUTES[type] ?? [];
  const hit = Object.keys(body).filter((k) => mastered.includes(k));
  if (hit.length > 0) {
    throw badRequest(
      `Unable to update the specified properties for on-premises mastered Directory Sync objects or objects currently undergoing migration. Properties: ${hit.join(', ')}.`,
    );
  }
}

/** Role definition ids that mean Global Administrator (its id, equal to the template id for built-ins). */
function gaDefinitionIds(store: TenantStore): Set<string> {
  const ids = new Set<string>([GLOBAL_ADMIN_TEMPLATE_ID]);
  for (const d of store.live.get('roleDefinition')?.values() ?? []) {
    if (d.templateId === GLOBAL_ADMIN_TEMPLATE_ID) ids.add(d.id);
  }
  return ids;
}

/** Live users holding Global Administrator tenant-wide (directly or through a role-assignable group). */
export function globalAdmins(store: TenantStore, skipAssignmentId?: string): Set<string> {
  const defs = gaDefinitionIds(store);
  const users = new Set<string>();
  for (const a of store.live.get('roleAssignment')?.values() ?? []) {
    if (a.id === skipAssignmentId || !defs.has(String(a.roleDefinitionId)) || (a.directoryScopeId ?? '/') !== '/') continue;
    const pid = String(a.principalId);
    if (store.get('user', pid)) users.add(pid);
    else if (store.get('group', pid)) {
      for (const m of store.edges('groupMembers').targets(pid)) if (store.get('user', m)) users.add(m);
    }
  }
  return users;
}

const LAST_GA = 'The last Global Administrator of the directory cannot be removed. Assign the role to another user first.';

/** 400 when deleting this user would leave the tenant without a Global Administrator (§7). */
export function checkUserDeletable(store: TenantStore, userId: string): void {
  const gas = globalAdmins(store);
  if (gas.has(userId) && gas.size <= 1) throw badRequest(LAST_GA);
}

/** 400 when removing this role assignment would leave no Global Administrator. */
export function checkAssignmentDeletable(store: TenantStore, assignment: DirObject): void {
  const before = globalAdmins(store);
  if (before.size === 0) return;
  if (globalAdmins(store, assignment.id).size === 0) throw badRequest(LAST_GA);
}

function strings(v: Json | undefined): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function get(o: Json | undefined, path: string): Json | undefined {
  let cur = o;
  for (const seg of path.split('.')) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    cur = (cur as Record<string, Json>)[seg];
  }
  return cur;
}

/** Built-in authentication strengths exist in every tenant with these ids. */
const BUILT_IN_STRENGTHS = new Set([
  '00000000-0000-0000-0000-000000000002',
  '00000000-0000-0000-0000-000000000003',
  '00000000-0000-0000-0000-000000000004',
]);

/**
 * Conditional-access references must exist (docs/graph-facts.md §3: the service rejects
 * unknown ids). `visible` says whether an id is visible yet (replication lag).
 */
export function checkConditionalAccess(store: TenantStore, p: DirObject, visible: (id: string) => boolean): void {
  const conditions = p.conditions as Json | undefined;
  if (!conditions || typeof conditions !== 'object') {
    throw badRequest("Invalid value specified for property 'conditions' of resource 'ConditionalAccessPolicy'.");
  }
  const fail = (what: string, id: string): never => {
    throw badRequest(`Invalid ${what} '${id}' in conditional access policy: the object does not exist.`);
  };
  for (const side of ['include', 'exclude']) {
    for (const id of strings(get(conditions, `users.${side}Users`))) {
      if (['All', 'None', 'GuestsOrExternalUsers'].includes(id)) continue;
      if (!store.get('user', id) || !visible(id)) fail('user', id);
    }
    for (const id of strings(get(conditions, `users.${side}Groups`))) {
      if (!store.get('group', id) || !visible(id)) fail('group', id);
    }
    for (const id of strings(get(conditions, `users.${side}Roles`))) {
      const known = [...(store.live.get('roleDefinition')?.values() ?? [])].some((d) => d.templateId === id || d.id === id);
      if (!known) fail('role', id);
    }
    for (const id of strings(get(conditions, `locations.${side}Locations`))) {
      if (CA_LOCATION_VALUES.includes(id)) continue; // All, AllTrusted, the legacy MFA Trusted IPs (S389)
      if (!store.get('namedLocation', id) || !visible(id)) fail('named location', id);
    }
    for (const appId of strings(get(conditions, `applications.${side}Applications`))) {
      if (['All', 'None', 'Office365', 'MicrosoftAdminPortals'].includes(appId)) continue;
      if (!store.byKey('servicePrincipal', 'appId', appId) && !store.byKey('application', 'appId', appId)) fail('application', appId);
    }
  }
  // an authentication context is named by its id (c1…c99) and must exist too (created by PATCH of that id)
  for (const id of strings(get(conditions, 'applications.includeAuthenticationContextClassReferences'))) {
    if (!store.get('authenticationContextClassReference', id)) fail('authentication context', id);
  }
  const strength = get(p.grantControls as Json | undefined, 'authenticationStrength.id');
  if (typeof strength === 'string' && !BUILT_IN_STRENGTHS.has(strength) && (!store.get('authenticationStrengthPolicy', strength) || !visible(strength))) {
    fail('authentication strength', strength);
  }
}

const API_GUID_URI = /^api:\/\/([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})(?:\/|$)/;

/**
 * Entra's identifier-URI restrictions (docs/graph-facts.md §3 "Values that embed an appId
 * or the tenant"): an `api://<GUID>` identifier URI names the application's own appId or
 * the tenant id (`api://<tenantId>/<string>`); another application's appId is refused.
 * @throws GraphHttpError 400 naming the first refused URI
 */
export function checkIdentifierUris(store: TenantStore, app: DirObject): void {
  const uris = Array.isArray(app.identifierUris) ? app.identifierUris : [];
  const own = typeof app.appId === 'string' ? app.appId.toLowerCase() : '';
  for (const u of uris) {
    if (typeof u !== 'string') continue;
    const g = API_GUID_URI.exec(u)?.[1]?.toLowerCase();
    if (g === undefined || g === own || g === store.tenantId.toLowerCase()) continue;
    throw badRequest(`Values of identifierUris property must use a verified domain of the organization or its subdomain, the application's own appId or the tenant id: '${u}'`);
  }
}

/**
 * Graph creates only Microsoft 365 groups (groupTypes 'Unified') and security groups
 * (mailEnabled false); mail-enabled security groups and distribution lists are made in
 * Exchange (docs/graph-facts.md §3 "Mail-enabled groups").
 * @throws GraphHttpError 400 for a mail-enabled group without 'Unified'
 */
export function checkGroupCreatable(group: DirObject): void {
  if (isExchangeMastered(group)) throw badRequest('Cannot Create a mail-enabled security groups and or distribution list.');
}

/** A mail-enabled security group or a distribution list: Exchange owns it, Graph only reads it. */
export function isExchangeMastered(group: DirObject): boolean {
  const types = Array.isArray(group.groupTypes) ? group.groupTypes : [];
  return group.mailEnabled === true && !types.includes('Unified');
}

/**
 * Properties, members and owners of a mail-enabled security group or distribution list are
 * read-only through Graph: 400 "Cannot Update a mail-enabled security groups and or
 * distribution list." (docs/graph-facts.md §3 "Mail-enabled groups", S58).
 */
export function checkGroupUpdatable(group: DirObject): void {
  if (isExchangeMastered(group)) throw badRequest('Cannot Update a mail-enabled security groups and or distribution list.');
}

// a domain objects still name cannot be deleted (domain-delete): beside the other delete rules
export { checkDomainDeletable } from './domain-records.js';
