/**
 * Creating, updating and deleting objects with Graph's rules (docs/graph-facts.md §3, §4):
 * server-assigned ids (and appIds), read-only and required properties, uniqueness,
 * per-type validation, soft delete into the recycle bins and hard delete with cascade.
 */
import { syncServicePrincipal } from './app-sp-sync.js';
import { checkExtensionValue } from './extension-values.js';
import { checkJsonTypes } from './json-types.js';
import { checkIpRanges, prepareNamedLocation } from './named-locations.js';
import { checkCustomSecurityAttributeValues } from './allowed-values.js';
import { prepareAdministrativeUnit, prepareCombinationConfiguration, prepareDomain } from './write-rules.js';
import { checkListenerPatch, prepareAuthenticationEventListener, prepareB2xUserFlow, prepareCustomAuthenticationExtension, prepareIdentityProvider } from './identity-providers.js';
import { checkUserFlowAttributePatch, prepareUserFlowAttribute, prepareUserFlowAttributeAssignment } from './user-flow-attributes.js';
import { prepareDomainFederation } from './domain-federation.js';
import { checkSecurityDefaults } from './security-defaults.js';
import { checkConsentDelete, checkConsentPatch, CONSENT_PREPARE } from './consent-policies.js';
import { checkEntitlementDelete, checkEntitlementPatch, ENTITLEMENT_PREPARE } from './entitlement.js';
import { GOVERNANCE_PREPARE } from './governance.js';
import { activeDirectoryRole } from './directory-roles.js';
import { firstPartyServicePrincipalFor } from './graph-app.js';
import type { ResourceType } from '../catalog/types.js';
import type { DirObject, Json } from '../model.js';
import { type Ctx, nowMs } from './context.js';
import { checkAssignmentDeletable, checkConditionalAccess, checkDomainDeletable, checkGroupCreatable, checkGroupUpdatable, checkIdentifierUris, checkSyncedPatch, checkUserDeletable } from './directory-rules.js';
import { evaluateGroup, evaluateUnit, evaluateUser, isDynamic, isDynamicUnit, parseRule } from './dynamic.js';
import { badRequest, GraphHttpError, notFound } from './graph-error.js';
import { UNIQUE_KEYS, type TenantStore } from './store.js';
import { principalType, resolveRoleDefinition, stripPassword, verifiedDomains } from './write-lookups.js';
import { checkSensitiveAction, touchesSensitive } from './sensitive-actions.js';
import { linkedIds, PRINCIPAL_LINKED } from './principal-links.js';
import { provisionPackageRoles } from './package-roles.js';

const ZERO_GUID = '00000000-0000-0000-0000-000000000000';
const ENTITY_NAME: Partial<Record<ResourceType, string>> = { user: 'User', group: 'Group', application: 'Application' };

export function isoNow(ctx: Ctx): string {
  return ctx.clock.now().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** False while a freshly created object is still replicating (FaultConfig.replicationLagMs). */
export function visible(ctx: Ctx, id: string): boolean {
  const lag = ctx.rt.faults.replicationLagMs ?? 0;
  if (lag <= 0) return true;
  const created = ctx.rt.store.createdMs.get(id);
  return created === undefined || nowMs(ctx) - created >= lag;
}

/** A live, visible object of the type or 404 Request_ResourceNotFound. */
export function mustGet(ctx: Ctx, type: ResourceType, id: string): DirObject {
  const o = ctx.rt.store.get(type, id);
  if (!o || !visible(ctx, id)) throw notFound(id);
  return o;
}

function asBody(body: unknown): Record<string, Json> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw badRequest('Empty Payload. JSON content expected.');
  }
  return body as Record<string, Json>;
}

/** Rejects read-only (and, on update, create-only) and undeclared properties. */
function checkProperties(ctx: Ctx, type: ResourceType, body: Record<string, Json>, creating: boolean): void {
  const d = ctx.reg.descriptor(type);
  const declared = new Set([...d.properties, ...Object.keys(d.excluded), ...(d.perObjectProperties ?? []), ...(d.inlineNavigation ?? []), ...(d.navigationReads ?? [])]);
  const readOnly = new Set(d.readOnly);
  const createOnly = new Set(d.createOnly);
  // custom security attribute values: their own permission, predefined values (./allowed-values.ts)
  checkCustomSecurityAttributeValues(ctx, body);
  for (const k of Object.keys(body)) {
    if (k.includes('@')) continue; // @odata.type, members@odata.bind: handled by the caller
    if (type === 'crossTenantAccessPolicyPartner' && k === 'tenantId' && creating) continue;
    if (readOnly.has(k) && !(creating && createOnly.has(k))) {
      throw badRequest(`Property '${k}' is read-only and cannot be set.`);
    }
    if (!creating && createOnly.has(k)) throw badRequest(`Property '${k}' is read-only and cannot be set.`);
    if (k.startsWith('extension_') && !declared.has(k)) checkExtensionValue(ctx.rt.store, type, k, body[k]!);
    else if (!declared.has(k)) throw badRequest(`Property '${k}' does not exist as a declared property or extension property.`);
  }
  checkJsonTypes(d.entityType, body);
}

function checkRequired(ctx: Ctx, type: ResourceType, body: Record<string, Json>): void {
  const d = ctx.reg.descriptor(type);
  for (const p of d.requiredOnCreate) {
    if (body[p] === undefined || body[p] === null || body[p] === '') {
      const entity = ENTITY_NAME[type] ?? d.entityType.replace('microsoft.graph.', '');
      throw badRequest(`Invalid value specified for property '${p}' of resource '${entity}'.`);
    }
  }
}

/** 400 when another live object of `type` holds one of its unique keys (./store.ts UNIQUE_KEYS, the store's own index). */
function checkUnique(store: TenantStore, type: ResourceType, o: DirObject, selfId?: string): void {
  for (const prop of UNIQUE_KEYS[type] ?? []) {
    const v = o[prop];
    if (typeof v !== 'string') continue;
    const other = store.byKey(type, prop, v);
    if (other && other.id !== selfId) {
      throw badRequest(`Another object with the same value for property ${prop} already exists.`, 'Request_MultipleObjectsWithSameKeyValue');
    }
  }
}

/** What a per-type create step gets besides the object. */
export interface CreateContext {
  type: ResourceType;
  parentId: string | undefined;
  /** The request's time, for createdDateTime and modifiedDateTime. */
  now: string;
}

/** Per-type completion and validation of a new object (mutates `o`). */
function prepareCreate(ctx: Ctx, type: ResourceType, o: DirObject, parentId: string | undefined): void {
  const now = isoNow(ctx);
  if (ctx.reg.descriptor(type).properties.includes('createdDateTime')) o.createdDateTime = now;
  PREPARE[type]?.(ctx, o, { type, parentId, now });
}

function prepareUser(ctx: Ctx, o: DirObject, c: CreateContext): void {
  const store = ctx.rt.store;
  const upn = String(o.userPrincipalName);
  const domain = upn.split('@')[1]?.toLowerCase() ?? '';
  if (!verifiedDomains(store).has(domain)) {
    throw badRequest(
      'The domain portion of the userPrincipalName property is invalid. You must use one of the verified domain names in your organization.',
    );
  }
  const pp = o.passwordProfile as Record<string, Json> | null;
  if (!pp || typeof pp.password !== 'string' || pp.password === '') {
    throw badRequest('A password must be specified to create a new user.');
  }
  stripPassword(o);
  o.userType ??= 'Member';
  o.proxyAddresses ??= [];
  o.onPremisesSyncEnabled ??= null;
}

function prepareGroup(ctx: Ctx, o: DirObject, c: CreateContext): void {
  const store = ctx.rt.store;
  const types = (o.groupTypes as string[] | undefined) ?? [];
  o.groupTypes = types;
  if (o.isAssignableToRole === true && types.includes('DynamicMembership')) {
    throw badRequest('A role-assignable group cannot have dynamic membership.');
  }
  if (types.includes('DynamicMembership')) {
    if (typeof o.membershipRule !== 'string') throw badRequest("Invalid value specified for property 'membershipRule' of resource 'Group'.");
    parseRule(o.membershipRule);
    o.membershipRuleProcessingState ??= 'On';
  }
  o.securityIdentifier = `S-1-12-1-${[0, 1, 2, 3].map(() => Math.floor(ctx.rt.ids.next() * 4e9)).join('-')}`;
  o.renewedDateTime = c.now;
  o.mail ??= o.mailEnabled ? `${String(o.mailNickname)}@${store.initialDomain}` : null;
  o.proxyAddresses = o.mailEnabled ? [`SMTP:${String(o.mailNickname)}@${store.initialDomain}`] : [];
}

function prepareApplication(ctx: Ctx, o: DirObject, c: CreateContext): void {
  const store = ctx.rt.store;
  const creds = o.passwordCredentials;
  if (Array.isArray(creds) && creds.length > 0) {
    throw badRequest("Property 'passwordCredentials' cannot be set on create; use addPassword.");
  }
  o.appId = ctx.rt.ids.guid();
  o.publisherDomain ??= store.initialDomain;
  o.signInAudience ??= 'AzureADMyOrg';
  o.passwordCredentials = [];
}

function prepareServicePrincipal(ctx: Ctx, o: DirObject, c: CreateContext): void {
  const store = ctx.rt.store;
  const appId = String(o.appId);
  const app = store.byKey('application', 'appId', appId);
  // A Microsoft first-party app lives in Microsoft's tenant: Graph instantiates its SP from appId alone.
  const firstParty = app ? undefined : firstPartyServicePrincipalFor(appId, o.id);
  if (firstParty) {
    if (store.byKey('servicePrincipal', 'appId', String(firstParty.appId))) {
      throw new GraphHttpError(409, 'Request_MultipleObjectsWithSameKeyValue', 'Another object with the same value for property servicePrincipalNames already exists.');
    }
    Object.assign(o, firstParty, { accountEnabled: o.accountEnabled ?? true });
    return;
  }
  // docs/graph-facts.md §3 (S21): an SP posted before its app has replicated fails this way.
  if (!app || !visible(ctx, app.id)) {
    throw new GraphHttpError(
      400,
      'Request_BadRequest',
      `The appId '${appId}' of the service principal does not reference a valid application object. (NoBackingApplicationObject)`,
    );
  }
  if (store.byKey('servicePrincipal', 'appId', appId)) {
    throw new GraphHttpError(409, 'Request_MultipleObjectsWithSameKeyValue', 'Another object with the same value for property servicePrincipalNames already exists.');
  }
  o.displayName ??= app.displayName ?? null;
  o.appDisplayName = app.displayName ?? null;
  o.appOwnerOrganizationId = store.tenantId;
  o.appRoles ??= app.appRoles ?? [];
  const api = app.api as Record<string, Json> | null | undefined;
  o.oauth2PermissionScopes = api?.oauth2PermissionScopes ?? [];
  // Graph names an SP by its appId and the app's identifier URIs, plus any names given
  const uris = Array.isArray(app.identifierUris) ? app.identifierUris.filter((x): x is string => typeof x === 'string') : [];
  const given = Array.isArray(o.servicePrincipalNames) ? o.servicePrincipalNames.filter((x): x is string => typeof x === 'string') : [];
  o.servicePrincipalNames = [...new Set([appId, ...uris, ...given])];
  o.servicePrincipalType = 'Application';
  o.signInAudience = app.signInAudience ?? 'AzureADMyOrg';
  o.accountEnabled ??= true;
}

function prepareAppRoleAssignment(ctx: Ctx, o: DirObject, c: CreateContext): void {
  const store = ctx.rt.store;
  const resource = mustGet(ctx, 'servicePrincipal', String(o.resourceId));
  if (c.parentId && c.parentId !== resource.id && c.parentId !== o.principalId) {
    throw badRequest('The resourceId or principalId must match the object in the request path.');
  }
  const principal = store.anyLive(String(o.principalId));
  if (!principal || !visible(ctx, principal.obj.id) || !principalType(store, principal.obj.id)) throw notFound(String(o.principalId));
  const roles = (resource.appRoles as Array<{ id?: string }> | undefined) ?? [];
  if (o.appRoleId !== ZERO_GUID && !roles.some((r) => r.id === o.appRoleId)) {
    throw badRequest(`Permission (appRole) with id '${String(o.appRoleId)}' does not exist on the resource service principal.`);
  }
  // by the principal's index (./store.ts idsWhereEqual), not a walk of every assignment
  for (const id of store.idsWhereEqual('appRoleAssignment', 'principalId', String(o.principalId))) {
    const a = store.get('appRoleAssignment', id);
    if (a && a.principalId === o.principalId && a.resourceId === o.resourceId && a.appRoleId === o.appRoleId) {
      throw badRequest('Permission being assigned already exists on the object');
    }
  }
  o.principalType = principalType(store, principal.obj.id)!;
  o.principalDisplayName = principal.obj.displayName ?? null;
  o.resourceDisplayName = resource.displayName ?? null;
  o.deletedDateTime = null;
}

function prepareOAuth2PermissionGrant(ctx: Ctx, o: DirObject, c: CreateContext): void {
  mustGet(ctx, 'servicePrincipal', String(o.clientId));
  mustGet(ctx, 'servicePrincipal', String(o.resourceId));
  if (o.consentType === 'Principal') {
    if (typeof o.principalId !== 'string') throw badRequest("Property 'principalId' is required when consentType is 'Principal'.");
    mustGet(ctx, 'user', o.principalId);
  } else if (o.consentType === 'AllPrincipals') {
    o.principalId = null;
  } else {
    throw badRequest(`Invalid value specified for property 'consentType' of resource 'OAuth2PermissionGrant'.`);
  }
}

function prepareRoleAssignment(ctx: Ctx, o: DirObject, c: CreateContext): void {
  const store = ctx.rt.store;
  const def = resolveRoleDefinition(store, String(o.roleDefinitionId));
  if (!def) throw notFound(String(o.roleDefinitionId));
  o.roleDefinitionId = def.id;
  const p = store.anyLive(String(o.principalId));
  if (!p || !visible(ctx, p.obj.id) || !principalType(store, p.obj.id)) throw notFound(String(o.principalId));
  if (p.type === 'group' && p.obj.isAssignableToRole !== true) {
    throw badRequest('Only role-assignable groups can be assigned to roles.');
  }
  if (o.directoryScopeId == null && o.appScopeId == null) o.directoryScopeId = '/';
  const scope = o.directoryScopeId;
  if (typeof scope === 'string' && scope.startsWith('/administrativeUnits/')) {
    mustGet(ctx, 'administrativeUnit', scope.slice('/administrativeUnits/'.length));
  }
  if (c.type === 'roleAssignment') {
    for (const id of store.idsWhereEqual('roleAssignment', 'principalId', String(o.principalId))) {
      const a = store.get('roleAssignment', id);
      if (a && a.principalId === o.principalId && a.roleDefinitionId === o.roleDefinitionId && a.directoryScopeId === o.directoryScopeId) {
        throw new GraphHttpError(409, 'Request_BadRequest', 'A conflicting object with one or more of the specified property values is present in the directory.');
      }
    }
  }
}

function prepareExtensionProperty(ctx: Ctx, o: DirObject, c: CreateContext): void {
  const store = ctx.rt.store;
  // POST /applications/{id}/extensionProperties takes the short name; Graph stores
  // extension_<appId without dashes>_<name> (Graph's extensionProperty create).
  const app = c.parentId ? store.live.get('application')?.get(c.parentId) : undefined;
  const name = typeof o.name === 'string' ? o.name : '';
  if (app && typeof app.appId === 'string' && !name.startsWith('extension_')) {
    o.name = `extension_${app.appId.replace(/-/g, '')}_${name}`;
  }
  if (app) o.appDisplayName = app.displayName ?? null;
}

/**
 * A custom role keeps the templateId it is POSTed with, else takes its own id
 * (docs/graph-facts.md §3 "Built-in role ids"; Graph "Create unifiedRoleDefinition").
 */
function prepareRoleDefinition(ctx: Ctx, o: DirObject, c: CreateContext): void {
  o.isBuiltIn = false;
  o.templateId ??= o.id;
}

/** A scoped role member names an activated directoryRole by its object id, never a template id (docs/graph-facts.md §3 "Directory roles"). */
function prepareScopedRoleMembership(ctx: Ctx, o: DirObject, c: CreateContext): void {
  if (!activeDirectoryRole(ctx.rt.store, String(o.roleId))) throw notFound(String(o.roleId));
}

function prepareConditionalAccessPolicy(ctx: Ctx, o: DirObject, c: CreateContext): void {
  const store = ctx.rt.store;
  checkConditionalAccess(store, o, (id) => visible(ctx, id));
  checkSecurityDefaults(store, o);
  o.modifiedDateTime = null;
}

function prepareAuthenticationStrength(ctx: Ctx, o: DirObject, c: CreateContext): void {
  o.policyType = 'custom';
  o.modifiedDateTime = c.now;
}

/** The types whose create Graph completes or checks beyond the catalog's generic rules. */
const PREPARE: Partial<Record<ResourceType, (ctx: Ctx, o: DirObject, c: CreateContext) => void>> = {
  user: prepareUser,
  domain: prepareDomain,
  group: prepareGroup,
  administrativeUnit: prepareAdministrativeUnit,
  application: prepareApplication,
  servicePrincipal: prepareServicePrincipal,
  appRoleAssignment: prepareAppRoleAssignment,
  oauth2PermissionGrant: prepareOAuth2PermissionGrant,
  roleAssignment: prepareRoleAssignment, roleEligibilitySchedule: prepareRoleAssignment, roleAssignmentSchedule: prepareRoleAssignment,
  extensionProperty: prepareExtensionProperty,
  roleDefinition: prepareRoleDefinition,
  scopedRoleMembership: prepareScopedRoleMembership,
  conditionalAccessPolicy: prepareConditionalAccessPolicy,
  namedLocation: prepareNamedLocation,
  authenticationStrengthPolicy: prepareAuthenticationStrength,
  authenticationCombinationConfiguration: prepareCombinationConfiguration, ...CONSENT_PREPARE,
  ...ENTITLEMENT_PREPARE, ...GOVERNANCE_PREPARE,
  identityProvider: prepareIdentityProvider, domainFederation: prepareDomainFederation,
  customAuthenticationExtension: prepareCustomAuthenticationExtension, b2xUserFlow: prepareB2xUserFlow, authenticationEventListener: prepareAuthenticationEventListener,
  userFlowAttribute: prepareUserFlowAttribute, userFlowAttributeAssignment: prepareUserFlowAttributeAssignment,
};

/**
 * POST to a collection: validates and stores a new object with a server-assigned id.
 * @throws GraphHttpError 400 for read-only/undeclared/missing properties and rule violations.
 */
export function createObject(ctx: Ctx, type: ResourceType, parentId: string | undefined, raw: unknown, trusted = false): DirObject {
  const body = asBody(raw);
  if (!trusted) {
    checkProperties(ctx, type, body, true);
    checkRequired(ctx, type, body);
  }
  const d = ctx.reg.descriptor(type);
  const o: DirObject = { id: '' };
  for (const [k, v] of Object.entries(body)) if (!k.endsWith('@odata.bind')) o[k] = v;
  const keyProp = d.keyProperty;
  o.id = keyProp && typeof body[keyProp] === 'string' ? (body[keyProp] as string) : typeof body.id === 'string' && d.createOnly.includes('id') ? body.id : ctx.rt.ids.guid();
  // A custom security attribute definition's id is `{attributeSet}_{name}`, as the "Create
  // customSecurityAttributeDefinition" response shows ("id": "Engineering_ProjectDate",
  // https://learn.microsoft.com/graph/api/directory-post-customsecurityattributedefinitions).
  if (type === 'customSecurityAttributeDefinition' && typeof body.attributeSet === 'string' && typeof body.name === 'string') o.id = `${body.attributeSet}_${body.name}`;
  if (ctx.rt.store.typeOf.has(o.id) && ctx.rt.store.anyLive(o.id)) {
    throw new GraphHttpError(409, 'Request_MultipleObjectsWithSameKeyValue', `Another object with the same value for property id already exists.`);
  }
  if (!trusted && type === 'group') checkGroupCreatable(o);
  prepareCreate(ctx, type, o, parentId);
  if (!trusted && type === 'application') checkIdentifierUris(ctx.rt.store, o);
  checkUnique(ctx.rt.store, type, o);
  if (d.properties.includes('deletedDateTime')) o.deletedDateTime = null;
  return o;
}

/** Stores a prepared object (after any all-or-nothing checks the caller made). */
export function commitCreate(ctx: Ctx, type: ResourceType, o: DirObject, parentId: string | undefined): void {
  const store = ctx.rt.store;
  store.insert(type, o);
  if (parentId) store.parentOf.set(o.id, parentId);
  store.createdMs.set(o.id, nowMs(ctx));
  store.touch(type, o.id, 'live');
  afterWrite(store, type, o);
}

/** Keeps dynamic group membership current after a user or group changes. */
export function afterWrite(store: TenantStore, type: ResourceType, o: DirObject): void {
  if (type === 'user') evaluateUser(store, o);
  // an access package assignment's group roles (./package-roles.ts)
  if (type === 'accessPackageAssignment' || type === 'accessPackageResourceRoleScope') provisionPackageRoles(store, type, o);
  if (type === 'group' && isDynamic(o)) evaluateGroup(store, o);
  if (type === 'administrativeUnit' && isDynamicUnit(o)) evaluateUnit(store, o);
}

/** PATCH: merges top-level properties (complex values are replaced whole, as Graph does). */
export function patchObject(ctx: Ctx, type: ResourceType, o: DirObject, raw: unknown): void {
  const body = asBody(raw);
  checkConsentPatch(ctx.rt.store, type, o, body);
  checkProperties(ctx, type, body, false);
  checkEntitlementPatch(ctx, type, body);
  checkSyncedPatch(type, o, body);
  checkListenerPatch(type, o, body);
  checkUserFlowAttributePatch(type, o, body);
  const store = ctx.rt.store;
  if (type === 'user' && touchesSensitive(body)) checkSensitiveAction(store, ctx.caller, o.id);
  if (type === 'group') checkGroupUpdatable(o);
  // "Only verified domains can be updated" (https://learn.microsoft.com/graph/api/domain-update)
  if (type === 'domain' && o.isVerified !== true) throw badRequest(`Domain '${o.id}' is not verified: only verified domains can be updated.`);
  const next: DirObject = { ...o };
  for (const [k, v] of Object.entries(body)) if (!k.includes('@')) next[k] = v;
  if (type === 'user') {
    if (body.userPrincipalName !== undefined) {
      const domain = String(body.userPrincipalName).split('@')[1]?.toLowerCase() ?? '';
      if (!verifiedDomains(store).has(domain)) {
        throw badRequest('The domain portion of the userPrincipalName property is invalid. You must use one of the verified domain names in your organization.');
      }
    }
    stripPassword(next);
  }
  if (type === 'conditionalAccessPolicy') {
    checkConditionalAccess(store, next, (id) => visible(ctx, id));
    checkSecurityDefaults(store, next);
  }
  if (type === 'application' && body.identifierUris !== undefined) checkIdentifierUris(store, next);
  if (type === 'namedLocation') checkIpRanges(next);
  checkUnique(store, type, next, o.id);
  const d = ctx.reg.descriptor(type);
  if (d.properties.includes('modifiedDateTime')) next.modifiedDateTime = isoNow(ctx);
  if (d.properties.includes('lastModifiedDateTime')) next.lastModifiedDateTime = isoNow(ctx);
  if (((type === 'group' && isDynamic(next)) || (type === 'administrativeUnit' && isDynamicUnit(next))) && typeof next.membershipRule === 'string') parseRule(next.membershipRule);
  store.replace(type, next);
  store.touch(type, o.id, 'live');
  if (type === 'application') syncServicePrincipal(store, next, body);
  afterWrite(store, type, next);
}

/** Removes an object for good, with every edge, assignment and child that depends on it. */
export function hardDelete(store: TenantStore, type: ResourceType, id: string): void {
  const obj = store.unlink(type, id);
  if (!obj) store.binMap(type).delete(id);
  store.typeOf.delete(id);
  store.parentOf.delete(id);
  store.createdMs.delete(id);
  for (const [kind, edges] of store.rel) {
    for (const [from, to] of edges.removeNode(id)) {
      if (kind === 'groupMembers' && from !== id && store.get('group', from)) store.memberChanged(from, to, true);
    }
  }
  store.touch(type, id, 'deleted');
  for (const t of PRINCIPAL_LINKED) {
    for (const m of [store.live.get(t), store.bin.get(t)]) {
      for (const a of [...(m?.values() ?? [])]) if (linkedIds(a).includes(id)) hardDelete(store, t, a.id);
    }
  }
  for (const [child, parent] of [...store.parentOf]) {
    if (parent === id) {
      const ct = store.typeOf.get(child);
      if (ct) hardDelete(store, ct, child);
    }
  }
}

/** Moves a live object to its recycle bin with deletedDateTime set. */
export function softDelete(store: TenantStore, type: ResourceType, id: string, when: string): void {
  const obj = store.unlink(type, id);
  if (!obj) return;
  store.binMap(type).set(id, { ...obj, deletedDateTime: when });
  store.touch(type, id, 'changed');
}

/** True when DELETE of this object soft-deletes it (docs/graph-facts.md §4). */
export function softDeletes(ctx: Ctx, type: ResourceType, o: DirObject): boolean {
  const sd = ctx.reg.descriptor(type).softDelete;
  // a workflow goes into …/lifecycleWorkflows/deletedItems/workflows (./governance.ts, ./recycle.ts)
  if (sd === 'recycleBin' || sd === 'caDeletedItems' || sd === 'lifecycleDeletedItems') return true;
  if (sd === 'recycleBinIfUnified') return Array.isArray(o.groupTypes) && o.groupTypes.includes('Unified');
  return false;
}

/**
 * DELETE: soft or hard per the catalog's softDelete rule; the last Global Administrator
 * (user or its role assignment) cannot be deleted (§7); deleting an application also
 * soft-deletes its service principal, which a later app restore does not bring back (§4).
 */
export function deleteObject(ctx: Ctx, type: ResourceType, o: DirObject): void {
  const store = ctx.rt.store;
  const d = ctx.reg.descriptor(type);
  if (d.softDelete === 'notDeletable') {
    throw new GraphHttpError(405, 'Request_BadRequest', `Objects of type '${d.entityType}' cannot be deleted.`);
  }
  if (type === 'user') {
    checkSensitiveAction(store, ctx.caller, o.id);
    checkUserDeletable(store, o.id);
  }
  if (type === 'roleAssignment') checkAssignmentDeletable(store, o);
  if (type === 'domain') checkDomainDeletable(ctx, o);
  checkConsentDelete(store, type, o);
  checkEntitlementDelete(ctx, type, o);
  if (softDeletes(ctx, type, o)) {
    const when = isoNow(ctx);
    softDelete(store, type, o.id, when);
    if (type === 'application') {
      const sp = store.byKey('servicePrincipal', 'appId', String(o.appId));
      if (sp) softDelete(store, 'servicePrincipal', sp.id, when);
    }
  } else {
    hardDelete(store, type, o.id);
  }
}

export { resolveRoleDefinition, asBody };
export { hiddenByPrincipal, PRINCIPAL_LINKED } from './principal-links.js';
