/**
 * Dispatch of one Graph v1.0 call (after authentication, throttling and faults):
 * special endpoints (recycle bins, directoryObjects, PIM requests, app role
 * assignments by principal), then catalog routes: collections, items (by id or
 * alternate key), singletons, navigations, `$count`, delta and actions.
 */
import { refuseUndocumentedWrite } from './documented-methods.js';
import { checkLocalizationCreate, listLocalizations } from './branding-localizations.js';
import { allowedValuesRoute, keepAllowedValues, refuseAllowedValuesPatch, takeInlineAllowedValues } from './allowed-values.js';
import type { ResourceType } from '../catalog/types.js';
import type { DirObject, Json } from '../model.js';
import { requirePermission } from './auth.js';
import type { Answer, Ctx } from './context.js';
import { deltaQuery } from './odata/delta.js';
import { badRequest, GraphHttpError, notFound, unknownSegment } from './graph-error.js';
import { contextUrl, countText, listPage, project, selectList, type ListSource } from './odata/listing.js';
import { applyBinds, navigation, resolveBinds } from './navs.js';
import { caDeletedItems, directoryDeletedItems, lifecycleDeletedItems } from './recycle.js';
import { checkGovernancePatch, newWorkflowVersion, putAccessReview, workflowDetail } from './governance.js';
import { UNIQUE_KEYS } from './store.js';
import {
  asBody,
  commitCreate,
  createObject,
  deleteObject,
  hiddenByPrincipal,
  patchObject,
  PRINCIPAL_LINKED,
  visible,
} from './writes.js';
import { addPassword, removePassword } from './credentials.js';
import { scheduleRequest } from './pim.js';
import { addRolePolicy, removeRolePolicy, roleManagementPolicies, roleManagementPolicyAssignments } from './role-policies.js';
import { directoryRoles, directoryRoleTemplates } from './directory-roles.js';
import { membershipAction } from './membership.js';
import { putAdminConsentRequestPolicy } from './consent-policies.js';
import { expanderFor } from './expand.js';
import { revokeSignInSessions, verifyDomain } from './actions.js';
import { domainNavigation } from './domain-records.js';
import { graphTypes } from '../catalog/generated/graph-v1.0.js';
import { assignLicense, licenseDetails, subscribedSkus } from './licensing.js';
import { authenticationContextWrite } from './auth-contexts.js';
import { directorySettingsRoute } from './directory-settings.js';
import { brandingStreamRoute } from './branding-streams.js';
import { pimGroups } from './pim-groups.js';
import { scopeTargetsRoute } from './workflow-scopes.js';
import { resourceRequests } from './resource-requests.js';
// entitlement management's requests: a catalog resource (S206), an assignment (S384)
import { assignmentRequests } from './assignment-requests.js';
import { preparePolicyPut } from './entitlement.js';
import { scopedArchiveId } from '../catalog/contained-ids.js';
import { flowLanguageRoute, flowLanguages } from './user-flow-languages.js';
import { assignmentOrderRoute } from './user-flow-order.js';
import { eventsFlowRoute } from './events-flows.js';
import type { IdSequence } from './sorted-ids.js';

/** Alternate-key segments (`applications(appId='…')`) become the name plus a key marker. */
export const ALT_KEY = '\u0000';

export function splitAltKeys(segs: string[]): string[] {
  const out: string[] = [];
  for (const s of segs) {
    const m = /^([A-Za-z]+)\((\w+)='((?:[^']|'')*)'\)$/.exec(s);
    if (m) out.push(m[1]!, `${ALT_KEY}${m[2]}=${m[3]!.replace(/''/g, "'")}`);
    else out.push(s);
  }
  return out;
}

function entitySetOf(ctx: Ctx, type: ResourceType): string {
  return ctx.reg.descriptor(type).path.replace(/^\//, '').replace(/\{parentId\}/g, '…');
}

function sourceFor(ctx: Ctx, type: ResourceType, parentId?: string): ListSource {
  const store = ctx.rt.store;
  const linked = PRINCIPAL_LINKED.includes(type);
  const get = (id: string): { type: ResourceType; obj: DirObject } | undefined => {
    const obj = store.get(type, id);
    if (!obj || (linked && hiddenByPrincipal(store, obj))) return undefined;
    return { type, obj };
  };
  return {
    // built when read: a lookup through an index (listPage) never needs them
    get ids(): IdSequence {
      if (parentId === undefined) return store.sortedIds(type);
      const m = store.live.get(type);
      return [...store.parentOf.childrenOf(parentId)].filter((id) => m?.has(id) === true).sort();
    },
    get,
    type,
    entitySet: entitySetOf(ctx, type),
    lookup: (prop, value) => {
      if (parentId !== undefined) return undefined;
      if (!store.hasUniqueIndex(type, prop)) return store.idsWhereEqual(type, prop, value);
      const o = store.byKey(type, prop, value);
      return o ? [o.id] : [];
    },
  };
}

/** The object a key segment names (id, alternate key, or a user's UPN); 404 otherwise. */
export function resolveItem(ctx: Ctx, type: ResourceType, key: string, parentId?: string): DirObject {
  const store = ctx.rt.store;
  let o: DirObject | undefined;
  let shown = key;
  if (key.startsWith(ALT_KEY)) {
    const [prop, ...rest] = key.slice(1).split('=');
    const value = rest.join('=');
    shown = value;
    if (!(UNIQUE_KEYS[type] ?? []).includes(prop!)) throw unknownSegment(`${prop}='${value}'`);
    o = store.byKey(type, prop!, value);
  } else {
    // an id Graph repeats under every parent is stored <parentId>/<id> (src/catalog/contained-ids.ts)
    if (parentId !== undefined && ctx.reg.descriptor(type).idScopedByParent) key = scopedArchiveId(parentId, key);
    o = store.get(type, key);
    const keyProp = ctx.reg.descriptor(type).keyProperty;
    if (!o && keyProp) o = [...(store.live.get(type)?.values() ?? [])].find((x) => x[keyProp] === key);
    if (!o && type === 'user' && key.includes('@')) o = store.byKey('user', 'userPrincipalName', key);
    // Keys are case-insensitive: Graph documents `/authenticationMethodConfigurations/fido2` for
    // the object whose id is "Fido2" (https://learn.microsoft.com/graph/api/fido2authenticationmethodconfiguration-get),
    // and a GUID in any case names the same object.
    const lowered = key.toLowerCase();
    // (a miss on a lower-case GUID cannot match another case: skip the scan on that hot path)
    if (!o && (lowered !== key || !/^[0-9a-f-]{36}$/.test(key))) {
      o = [...(store.live.get(type)?.values() ?? [])].find((x) => x.id.toLowerCase() === lowered);
    }
  }
  if (!o || !visible(ctx, o.id)) throw notFound(shown);
  if (parentId !== undefined && store.parentOf.get(o.id) !== parentId) throw notFound(shown);
  if (PRINCIPAL_LINKED.includes(type) && hiddenByPrincipal(store, o)) throw notFound(shown);
  return o;
}

function entityAnswer(ctx: Ctx, type: ResourceType, o: DirObject, status = 200, select?: string[]): Answer {
  return {
    status,
    body: { '@odata.context': contextUrl(ctx, entitySetOf(ctx, type), select, true), ...project(ctx, type, o, select) },
  };
}

function create(ctx: Ctx, type: ResourceType, parentId: string | undefined): Answer {
  requirePermission(ctx.caller, ctx.reg.descriptor(type), true);
  const body = asBody(ctx.body);
  // a definition's predefined values may come inline (./allowed-values.ts)
  const inline = type === 'customSecurityAttributeDefinition' ? takeInlineAllowedValues(body) : [];
  if (type === 'organizationalBrandingLocalization') checkLocalizationCreate(ctx, body);
  const o = createObject(ctx, type, parentId, body);
  const binds = resolveBinds(ctx, type, body);
  // an app role assignment lives under its resource SP, whichever side it was posted to
  if (type === 'appRoleAssignment') parentId = String(o.resourceId);
  if (type === 'scopedRoleMembership' && parentId) o.administrativeUnitId = parentId;
  commitCreate(ctx, type, o, parentId);
  keepAllowedValues(o, inline);
  applyBinds(ctx, o, binds);
  // a new custom role gets its PIM role settings, as every role has them (./role-policies.ts)
  if (type === 'roleDefinition') addRolePolicy(ctx.rt.store, o.id);
  // a new user flow offers the built-in languages (./user-flow-languages.ts)
  if (type === 'b2xUserFlow') for (const l of flowLanguages(o.id)) commitCreate(ctx, 'userFlowLanguage', l, o.id);
  const ans = entityAnswer(ctx, type, o, 201);
  // a created workflow answers with its execution conditions, as "Create workflow" shows (./governance.ts)
  if (type === 'lifecycleWorkflow') (ans.body as Record<string, Json>).executionConditions = o.executionConditions ?? null;
  return { ...ans, mutated: true };
}

/** `PUT …/assignmentPolicies/{id}` (S242): 200 with the updated policy. */
function putPolicy(ctx: Ctx, o: DirObject): Answer {
  const type = 'accessPackageAssignmentPolicy';
  requirePermission(ctx.caller, ctx.reg.descriptor(type), true);
  const body = asBody(ctx.body);
  const keep = preparePolicyPut(ctx, o, body);
  patchObject(ctx, type, o, body);
  keep();
  return { ...entityAnswer(ctx, type, ctx.rt.store.get(type, o.id) ?? o), mutated: true };
}

/**
 * Refuses a read or write without a header the type's pages mark Required (its catalog
 * `requestHeaders`): `Accept-Language` must be a locale or `0` ("A valid ISO 639-1 locale or `0`
 * for the default locale. Required", S391; Node's fetch sends `*`, which is neither).
 * @throws GraphHttpError 400 Request_BadRequest
 */
function checkRequestHeaders(ctx: Ctx, required: Readonly<Record<string, string>>): void {
  for (const name of Object.keys(required)) {
    const v = ctx.headers[name.toLowerCase()] ?? '';
    const ok = name.toLowerCase() === 'accept-language' ? /^(0|[a-z]{2,3}(-[a-z0-9]{2,8})*)$/i.test(v) : v !== '';
    if (!ok) throw badRequest(`The ${name} header is required${name.toLowerCase() === 'accept-language' ? ': a locale, or 0 for the default branding' : ''}.`, 'Request_BadRequest');
  }
}

function singleton(ctx: Ctx, type: ResourceType, parentId: string | undefined): Answer {
  const store = ctx.rt.store;
  const all = [...(store.live.get(type)?.values() ?? [])];
  const o = parentId === undefined ? all[0] : all.find((x) => store.parentOf.get(x.id) === parentId);
  if (!o) throw notFound(ctx.reg.descriptor(type).path);
  // headers its pages require (catalog `requestHeaders`: the default branding's Accept-Language, S391)
  const required = ctx.reg.descriptor(type).requestHeaders;
  if (required && (ctx.method === 'GET' || ctx.method === 'PATCH')) checkRequestHeaders(ctx, required);
  if (ctx.method === 'GET') {
    requirePermission(ctx.caller, ctx.reg.descriptor(type), false);
    return entityAnswer(ctx, type, o, 200, selectList(ctx, type, true));
  }
  // the admin consent request policy is written with PUT only (./consent-policies.ts)
  if (type === 'adminConsentRequestPolicy' && (ctx.method === 'PUT' || ctx.method === 'PATCH')) {
    requirePermission(ctx.caller, ctx.reg.descriptor(type), true);
    if (ctx.method === 'PATCH') throw new GraphHttpError(405, 'Request_BadRequest', `The HTTP method 'PATCH' is not allowed on this resource; use PUT.`);
    return putAdminConsentRequestPolicy(ctx, o, (b) => patchObject(ctx, type, o, b));
  }
  if (ctx.method === 'PATCH') {
    requirePermission(ctx.caller, ctx.reg.descriptor(type), true);
    patchObject(ctx, type, o, ctx.body);
    return { status: 204, mutated: true };
  }
  throw new GraphHttpError(405, 'Request_BadRequest', `The HTTP method '${ctx.method}' is not allowed on this resource.`);
}

/** `/{principal collection}/{id}/appRoleAssignments` (principal side of app role assignments). */
function principalAssignments(ctx: Ctx, principal: DirObject, rest: string[]): Answer {
  const store = ctx.rt.store;
  const d = ctx.reg.descriptor('appRoleAssignment');
  if (rest.length === 1 && ctx.method === 'GET') {
    requirePermission(ctx.caller, d, false);
    const m = store.live.get('appRoleAssignment');
    const ids = store.idsWhereEqual('appRoleAssignment', 'principalId', principal.id).filter((id) => m?.get(id)?.principalId === principal.id);
    return { status: 200, body: listPage(ctx, { ...sourceFor(ctx, 'appRoleAssignment'), ids, lookup: undefined }) };
  }
  if (rest.length === 1 && ctx.method === 'POST') {
    const body = asBody(ctx.body);
    if (body.principalId !== principal.id) throw badRequest('The principalId must match the object in the request path.');
    return create(ctx, 'appRoleAssignment', undefined);
  }
  if (rest.length === 2) {
    const a = resolveItem(ctx, 'appRoleAssignment', rest[1]!);
    if (a.principalId !== principal.id) throw notFound(rest[1]!);
    if (ctx.method === 'GET') {
      requirePermission(ctx.caller, d, false);
      return entityAnswer(ctx, 'appRoleAssignment', a);
    }
    if (ctx.method === 'DELETE') {
      requirePermission(ctx.caller, d, true);
      deleteObject(ctx, 'appRoleAssignment', a);
      return { status: 204, mutated: true };
    }
  }
  throw unknownSegment(rest[rest.length - 1]!);
}

/** Whether an entity type derives from microsoft.graph.directoryObject (by its CSDL base types). */
function isDirectoryObject(entityType: string): boolean {
  for (let t: string | null | undefined = entityType; t; t = graphTypes[t]?.baseType) if (t === 'microsoft.graph.directoryObject') return true;
  return false;
}

/**
 * `DELETE /directoryObjects/{id}`: deletes a user, group, application, service principal or
 * other directory object as its own collection's DELETE does (soft or hard), with the
 * permission of its type ("Delete directoryObject",
 * https://learn.microsoft.com/graph/api/directoryobject-delete).
 */
function deleteDirectoryObject(ctx: Ctx, id: string): Answer {
  const hit = ctx.rt.store.anyLive(id);
  if (!hit || !visible(ctx, id) || !isDirectoryObject(ctx.reg.descriptor(hit.type).entityType)) throw notFound(id);
  requirePermission(ctx.caller, ctx.reg.descriptor(hit.type), true);
  deleteObject(ctx, hit.type, hit.obj);
  return { status: 204, mutated: true };
}

function directoryObjects(ctx: Ctx, rest: string[]): Answer {
  const store = ctx.rt.store;
  if (rest.length === 1 && rest[0]!.toLowerCase() === 'getbyids' && ctx.method === 'POST') {
    const body = asBody(ctx.body);
    const ids = Array.isArray(body.ids) ? body.ids.filter((x): x is string => typeof x === 'string') : [];
    if (ids.length > 1000) throw badRequest('A maximum of 1000 ids can be requested.');
    const value: Json[] = [];
    for (const id of ids) {
      const hit = store.anyLive(id);
      if (hit && visible(ctx, id)) {
        requirePermission(ctx.caller, ctx.reg.descriptor(hit.type), false);
        value.push(project(ctx, hit.type, hit.obj));
      }
    }
    return { status: 200, body: { '@odata.context': contextUrl(ctx, 'directoryObjects'), value } };
  }
  if (rest.length === 2 && ctx.method === 'POST') {
    const hit = store.anyLive(rest[0]!);
    if (!hit || !visible(ctx, hit.obj.id)) throw notFound(rest[0]!);
    const member = membershipAction(ctx, hit.type, hit.obj, lower(rest[1]));
    if (member) return member;
  }
  if (rest.length === 1 && ctx.method === 'DELETE') return deleteDirectoryObject(ctx, rest[0]!);
  if (rest.length === 1 && ctx.method === 'GET') {
    const hit = store.anyLive(rest[0]!);
    if (!hit || !visible(ctx, hit.obj.id)) throw notFound(rest[0]!);
    requirePermission(ctx.caller, ctx.reg.descriptor(hit.type), false);
    return { status: 200, body: { '@odata.context': contextUrl(ctx, 'directoryObjects', undefined, true), ...project(ctx, hit.type, hit.obj) } };
  }
  throw unknownSegment(rest[rest.length - 1] ?? 'directoryObjects');
}

const lower = (s: string | undefined): string => (s ?? '').toLowerCase();

/** GET, PATCH or DELETE of one object of a collection. */
function oneItem(ctx: Ctx, type: ResourceType, d: ReturnType<Ctx['reg']['descriptor']>, o: DirObject): Answer {
  switch (ctx.method) {
    case 'GET': {
      requirePermission(ctx.caller, d, false);
      const expand = expanderFor(ctx, type, true);
      const select = selectList(ctx, type, true);
      const ans = entityAnswer(ctx, type, o, 200, select);
      if (expand) expand(type, o, ans.body as Record<string, Json>);
      // a workflow's execution conditions and tasks come on its own GET only (./governance.ts)
      if (type === 'lifecycleWorkflow') Object.assign(ans.body as Record<string, Json>, workflowDetail(o, select));
      return ans;
    }
    case 'PUT': {
      // an access package assignment policy is updated whole, questions included (./entitlement.ts)
      if (type === 'accessPackageAssignmentPolicy') return putPolicy(ctx, o);
      if (type !== 'accessReviewDefinition') throw new GraphHttpError(405, 'Request_BadRequest', `The HTTP method 'PUT' is not allowed on this resource.`);
      requirePermission(ctx.caller, d, true);
      putAccessReview(ctx, o, asBody(ctx.body));
      return { status: 204, mutated: true };
    }
    case 'PATCH': {
      requirePermission(ctx.caller, d, true);
      const body = asBody(ctx.body);
      if (type === 'customSecurityAttributeDefinition') refuseAllowedValuesPatch(body);
      checkGovernancePatch(type, body);
      const binds = resolveBinds(ctx, type, body);
      patchObject(ctx, type, o, body);
      applyBinds(ctx, o, binds);
      return { status: 204, mutated: true };
    }
    case 'DELETE':
      requirePermission(ctx.caller, d, true);
      deleteObject(ctx, type, o);
      if (type === 'roleDefinition') removeRolePolicy(ctx.rt.store, o.id);
      return { status: 204, mutated: true };
    default:
      throw new GraphHttpError(405, 'Request_BadRequest', `The HTTP method '${ctx.method}' is not allowed on this resource.`);
  }
}


/** `POST /roleManagement/directory/role{Eligibility|Assignment}ScheduleRequests` (./pim.ts); nothing else under them. */
function roleScheduleRequest(ctx: Ctx, segs: string[], set: string): Answer {
  if (segs.length !== 3 || ctx.method !== 'POST') throw unknownSegment(segs[segs.length - 1]!);
  return scheduleRequest(ctx, set === 'roleeligibilityschedulerequests' ? 'roleEligibilitySchedule' : 'roleAssignmentSchedule');
}

/** Handles one authenticated, admitted Graph call. */
export function dispatch(ctx: Ctx): Answer {
  const segs = splitAltKeys(ctx.segs);
  if (segs.length === 0) throw unknownSegment('v1.0');
  const [a, b, c] = [lower(segs[0]), lower(segs[1]), lower(segs[2])];
  if (a === 'directory' && b === 'deleteditems') return directoryDeletedItems(ctx, segs.slice(2));
  if (a === 'identity' && b === 'conditionalaccess' && c === 'deleteditems') return caDeletedItems(ctx, segs.slice(3));
  if (a === 'directoryobjects') return directoryObjects(ctx, segs.slice(1));
  if (a === 'identitygovernance' && b === 'lifecycleworkflows' && c === 'deleteditems') return lifecycleDeletedItems(ctx, segs.slice(3));
  if (a === 'directoryroles') return directoryRoles(ctx, segs.slice(1));
  if (a === 'directoryroletemplates') return directoryRoleTemplates(ctx, segs.slice(1));
  if (a === 'subscribedskus') return subscribedSkus(ctx, segs.slice(1));
  if (a === 'users' && segs.length >= 3 && c === 'licensedetails') return licenseDetails(ctx, resolveItem(ctx, 'user', segs[1]!), segs.slice(3));
  if (a === 'rolemanagement' && b === 'directory' && (c === 'roleeligibilityschedulerequests' || c === 'roleassignmentschedulerequests')) return roleScheduleRequest(ctx, segs, c);
  if (a === 'policies' && b === 'rolemanagementpolicies') return roleManagementPolicies(ctx, segs.slice(2));
  if (a === 'identitygovernance' && b === 'privilegedaccess' && c === 'group') return pimGroups(ctx, segs.slice(3));
  if (a === 'identitygovernance' && b === 'entitlementmanagement' && (c === 'resourcerequests' || c === 'assignmentrequests')) return (c === 'resourcerequests' ? resourceRequests : assignmentRequests)(ctx, segs.slice(3));
  if (a === 'identity' && b === 'conditionalaccess' && c === 'authenticationcontextclassreferences') {
    const upsert = authenticationContextWrite(ctx, segs.slice(3));
    if (upsert) return upsert;
  }
  if (a === 'policies' && b === 'rolemanagementpolicyassignments') return roleManagementPolicyAssignments(ctx, segs.slice(2));
  const principalColl: Record<string, ResourceType> = { users: 'user', groups: 'group', serviceprincipals: 'servicePrincipal' };
  if (principalColl[a] && segs.length >= 3 && c === 'approleassignments') {
    const principal = resolveItem(ctx, principalColl[a]!, segs[1]!);
    return principalAssignments(ctx, principal, segs.slice(2));
  }
  const settings = directorySettingsRoute(ctx, segs);
  if (settings) return settings;
  const stream = brandingStreamRoute(ctx, segs);
  if (stream) return stream;
  const languages = flowLanguageRoute(ctx, segs);
  if (languages) return languages;
  // a user flow's attribute order (./user-flow-order.ts); sign-up events flows' writes and navigations (./events-flows.ts)
  const special = assignmentOrderRoute(ctx, segs) ?? eventsFlowRoute(ctx, segs);
  if (special) return special;
  const m = ctx.reg.match(segs);
  if (!m) throw unknownSegment(segs[0]!.startsWith(ALT_KEY) ? segs[0]!.slice(1) : segs[0]!);
  const { type, rest } = m;
  const d = ctx.reg.descriptor(type);
  // a write the type's reference page does not document is refused, never stored (./documented-methods.ts)
  if (rest.length <= 1) refuseUndocumentedWrite(type, ctx.method, rest.length === 0 && d.shape !== 'singleton');
  // a contained type's parent must exist (and be visible) before its children are
  let parentId = m.parentIds[0];
  if (parentId !== undefined && d.parentType) parentId = resolveItem(ctx, d.parentType, parentId).id;
  if (d.shape === 'singleton') {
    if (rest.length > 0) throw unknownSegment(rest[0]!);
    return singleton(ctx, type, parentId);
  }
  // a branding's localizations list the default branding too (./branding-localizations.ts)
  const localizations = type === 'organizationalBrandingLocalization' && rest.length === 0 && parentId !== undefined ? listLocalizations(ctx, parentId) : undefined;
  if (localizations) return localizations;
  if (rest.length === 0) {
    if (ctx.method === 'GET') {
      requirePermission(ctx.caller, d, false);
      const expand = expanderFor(ctx, type);
      return { status: 200, body: listPage(ctx, { ...sourceFor(ctx, type, parentId), ...(expand ? { expand } : {}) }) };
    }
    if (ctx.method === 'POST') return create(ctx, type, parentId);
    throw new GraphHttpError(405, 'Request_BadRequest', `The HTTP method '${ctx.method}' is not allowed on this collection.`);
  }
  const key = rest[0]!;
  if (rest.length === 1 && key === '$count' && ctx.method === 'GET') {
    requirePermission(ctx.caller, d, false);
    return { status: 200, text: countText(ctx, sourceFor(ctx, type, parentId)) };
  }
  if (rest.length === 1 && (key === 'delta' || key === 'delta()') && ctx.method === 'GET') {
    if (!d.delta) throw unknownSegment(key);
    requirePermission(ctx.caller, d, false);
    return deltaQuery(ctx, type);
  }
  const o = resolveItem(ctx, type, key, parentId);
  if (rest.length === 1) return oneItem(ctx, type, d, o);
  const action = lower(rest[1]);
  if (rest.length === 2 && ctx.method === 'POST') {
    if (type === 'application' || type === 'servicePrincipal') {
      if (action === 'addpassword') return addPassword(ctx, type, o);
      if (action === 'removepassword') return removePassword(ctx, type, o);
    }
    const member = membershipAction(ctx, type, o, action);
    if (member) return member;
    if (type === 'user' && action === 'revokesigninsessions') return revokeSignInSessions(ctx, o);
    if (type === 'user' && action === 'assignlicense') return assignLicense(ctx, o);
    if (type === 'domain' && action === 'verify') return verifyDomain(ctx, o);
    if (type === 'lifecycleWorkflow' && action === 'createnewversion') {
      requirePermission(ctx.caller, d, true);
      newWorkflowVersion(ctx, o, asBody(ctx.body));
      return { ...entityAnswer(ctx, type, o, 201), mutated: true };
    }
  }
  if (type === 'domain' && rest.length === 2) {
    const records = domainNavigation(ctx, o, rest[1]!);
    if (records) return records;
  }
  if (type === 'customSecurityAttributeDefinition' && lower(rest[1]) === 'allowedvalues') return allowedValuesRoute(ctx, o, rest.slice(2));
  if (type === 'lifecycleWorkflow' && lower(rest[1]) === 'administrationscopetargets') return scopeTargetsRoute(ctx, o, rest.slice(2));
  const nav = navigation(ctx, type, o, rest.slice(1));
  if (nav) return nav;
  throw unknownSegment(rest[1]!);
}
