/**
 * Operations on objects: restore from the recycle bin, create, update. Each first looks
 * for its effect in the target (the id, the natural or composite key, the live values)
 * and writes nothing when it is already there (docs/reliability.md 12, 13). A created user's
 * temporary password goes to the CredentialsSink only.
 */
import { putStreams, takeStreams } from './branding-streams.js';
import { liveDirectoryRoleId } from './directory-roles.js';
import { VaultError } from '../../errors.js';
import type { DirObject, Json, JsonObject } from '../../model.js';
import { readFlowReferences } from '../../snapshot/events-flow-navs.js';
import { canonicalJson } from '../../json.js';
import type { Operation } from '../types.js';
import { PIM_REQUEST_PATH, PIM_SCHEDULE_PATH, collectionPath, itemPath, restorePath, type ExecDescriptor } from './endpoints.js';
import { archiveIdOf } from '../../catalog/contained-ids.js';
import { findUserFlowObject } from './user-flows.js';
import { putOverridesPages } from './user-flow-pages.js';
import { takeOrder, withOrder } from './user-flow-order.js';
import { filtered, generateTemporaryPassword, listAll, tryGet } from './graph.js';
import { parseExtensionName } from '../catalog.js';
import { substituteRefs } from './refs.js';
import { livePolicyOfGroup, livePolicyOfRole, patchPolicyRules } from './pim-rules.js';
import { writeAllowedValues } from './allowed-values.js';
import { PIM_GROUP_PATHS, findPimGroupSchedule, pimGroupRequest } from './pim-groups.js';
import { requestAssignment } from './assignment-requests.js';
import { isRequestUpdated, updateSchedule } from './schedule-updates.js';
import { writeFlowApps } from './flow-apps.js';
import { findWithinLink } from './entitlement.js';
import { addCatalogResource, findRoleScope } from './entitlement-resources.js';
import { wholePutBody, wholeReadPath } from './entitlement.js';
import { updateWorkflow } from './workflows.js';
import { logicAppRefusal } from './logic-apps.js';
import { appIdOf, lag, liveIds, newHere, parentLiveId, patientFind, resolveAppIds, stringProp, type Ctx, type Done } from './context.js';

/**
 * Restores a soft-deleted object by its id; adopts it when it is already back.
 * @throws VaultError from Graph (the run records the op as failed)
 */
export async function runRestoreDeleted(op: Extract<Operation, { kind: 'restoreDeleted' }>, ctx: Ctx): Promise<Done> {
  const d = ctx.opts.catalog(op.type);
  // Already back (a resumed or repeated run)? The id is kept by a restore (docs/graph-facts.md §4).
  const present = await patientFind(ctx, () => tryGet<Record<string, unknown>>(ctx.graph, itemPath(d, op.deletedId)));
  if (present) return { outcome: 'alreadyPresent', liveId: op.deletedId, ...appIdOf(op.type, present) };
  const res = await ctx.graph.post<Record<string, unknown>>(restorePath(d, op.deletedId), {});
  return { outcome: 'restored', liveId: stringProp(res, 'id') ?? op.deletedId, ...appIdOf(op.type, res) };
}

/** Finds a live object equal (by natural or composite key) to what `body` would create. */
async function findExisting(op: Extract<Operation, { kind: 'create' }>, body: JsonObject, ctx: Ctx, collection: string): Promise<Record<string, unknown> | undefined> {
  const g = ctx.graph;
  const same = (o: Record<string, unknown>, keys: string[]) => keys.every((k) => (o[k] ?? null) === (body[k] ?? null));
  switch (op.type) {
    case 'appRoleAssignment': {
      const resourceId = stringProp(body, 'resourceId');
      const principalId = stringProp(body, 'principalId');
      if (!resourceId || !principalId || newHere(ctx, principalId, resourceId)) return undefined;
      const list = await listAll<Record<string, unknown>>(g, assignmentsToSearch(op, resourceId, principalId));
      return list.find((o) => same(o, ['principalId', 'resourceId', 'appRoleId']));
    }
    case 'roleAssignment':
    case 'roleEligibilitySchedule':
    case 'roleAssignmentSchedule': {
      const principalId = stringProp(body, 'principalId');
      if (!principalId) return undefined;
      const base = op.type === 'roleAssignment' ? '/roleManagement/directory/roleAssignments' : (PIM_SCHEDULE_PATH[op.type] as string);
      const list = await filtered(g, base, 'principalId', principalId);
      return list.find((o) => same(o, ['roleDefinitionId', 'directoryScopeId']));
    }
    case 'scopedRoleMembership': {
      // Graph keeps an AU-scoped role membership while its user is in the recycle bin and
      // brings it back with the user ("fully restore the item",
      // https://learn.microsoft.com/graph/api/directory-deleteditems-restore): the live read
      // before planning did not show it, so look again before adding a second one.
      const memberId = stringProp((body.roleMemberInfo ?? {}) as Record<string, unknown>, 'id');
      if (!memberId) return undefined;
      const list = await listAll<Record<string, unknown>>(g, collection);
      return list.find((o) => o.roleId === body.roleId && stringProp((o.roleMemberInfo ?? {}) as Record<string, unknown>, 'id') === memberId);
    }
    case 'customSecurityAttributeDefinition': {
      // Keyed by attribute set and name (Graph's id is `<set>_<name>`, docs/graph-facts.md §3):
      // a create sent before a crash is found again here, not POSTed twice (issue 12 e2e test).
      const set = stringProp(body, 'attributeSet')?.toLowerCase();
      const name = stringProp(body, 'name')?.toLowerCase();
      if (!set || !name) return undefined;
      const list = await listAll<Record<string, unknown>>(g, collection);
      return list.find((o) => stringProp(o, 'attributeSet')?.toLowerCase() === set && stringProp(o, 'name')?.toLowerCase() === name);
    }
    case 'authenticationCombinationConfiguration': {
      // Keyed by its kind and the combinations it narrows (one configuration per combination set).
      const key = (o: Record<string, unknown>): string => `${String(o['@odata.type'] ?? '')}|${[...((o.appliesToCombinations as string[] | undefined) ?? [])].sort().join(',')}`;
      const list = await listAll<Record<string, unknown>>(g, collection);
      return list.find((o) => key(o) === key(body));
    }
    case 'extensionProperty': {
      // POSTed with its short name; Graph stores extension_<appId without dashes>_<name>
      // (src/restore/plan/candidates.ts). A resumed run compared the short name with the
      // stored one, missed the property its killed run had created and POSTed it again.
      const name = stringProp(body, 'name');
      if (!name) return undefined;
      const list = await listAll<Record<string, unknown>>(g, collection);
      return list.find((o) => { const live = stringProp(o, 'name'); return live === name || parseExtensionName(live ?? '')?.short === name; });
    }
    case 'b2xUserFlow': case 'userFlowAttribute': case 'userFlowAttributeAssignment':
      return findUserFlowObject(g, op.type, collection, body); // by name, or an assignment by its attribute (./user-flows.ts)
    case 'pimGroupEligibilitySchedule':
    case 'pimGroupAssignmentSchedule':
      return findPimGroupSchedule(ctx, op.type, body);
    case 'accessPackageResourceRoleScope': return findRoleScope(g, collection, body); // by its role and scope origins
    case 'oauth2PermissionGrant': {
      const clientId = stringProp(body, 'clientId');
      if (!clientId || newHere(ctx, clientId, stringProp(body, 'resourceId'))) return undefined;
      const list = await filtered(g, '/oauth2PermissionGrants', 'clientId', clientId);
      return list.find((o) => same(o, ['resourceId', 'consentType', 'principalId']));
    }
    case 'permissionGrantPolicyInclude':
    case 'permissionGrantPolicyExclude': {
      // A condition set has no name or id of its own to find it by: its key is every condition
      // the body sets (the catalog's composite `a+b+…` key). Without this a create sent before a
      // crash was POSTed again on resume, a duplicate set (found by test/ops/sharded-restore.test.ts).
      const composite = ctx.opts.catalog(op.type).naturalKey.find((k) => k.includes('+'));
      if (!composite) break;
      const props = composite.split('+').filter((p) => p in body);
      const list = await listAll<Record<string, unknown>>(g, collection);
      return list.find((o) => props.every((p) => canonicalJson(o[p] ?? null) === canonicalJson(body[p] ?? null)));
    }
    default: {
      // access packages and policies: by name within their catalog / package (./entitlement.ts)
      const within = await findWithinLink(g, op.type, collection, body);
      if (within !== null) return within;
      break;
    }
  }
  const d = ctx.opts.catalog(op.type);
  // The plan's key names the property; its value is read from the body as sent, because a
  // key that is a reference (a service principal's appId) is the archived value in the plan
  // and the target's own value only after substitution — a resumed run looked up the archived
  // appId, missed the SP its killed run had created, and POSTed it again (409).
  const key = op.naturalKey ? (naturalKeyOf([op.naturalKey.property], body) ?? op.naturalKey) : naturalKeyOf(d.naturalKey, body);
  if (!key) return undefined;
  // two archived objects of one name (two workflows, two policies) are two live ones: never adopt another's
  const free = (o: Record<string, unknown>): boolean => !ownedByAnother(ctx, op.archivedId, o['id']);
  if (d.shape === 'contained') {
    const list = await listAll<Record<string, unknown>>(g, collection);
    return list.find((o) => o[key.property] === key.value && free(o));
  }
  const list = await filtered(g, collection, key.property, key.value);
  return list.find((o) => (o[key.property] === key.value || (typeof o[key.property] === 'string' && (o[key.property] as string).toLowerCase() === key.value.toLowerCase())) && free(o));
}

/** Where a principal of each type lists the app roles it holds (`GET /users/{id}/appRoleAssignments`…). */
const PRINCIPAL_BASE: Partial<Record<string, string>> = { user: '/users', group: '/groups', servicePrincipal: '/servicePrincipals' };

/**
 * The list an app role assignment is looked for in before it is created: its principal's
 * (https://learn.microsoft.com/graph/api/user-list-approleassignments, and the group and service
 * principal pages), which holds the few roles that principal has, when the plan knows the
 * principal's type (it recreated the principal); otherwise the resource's `appRoleAssignedTo`.
 * A resource may hold one assignment per user of the tenant: read before each of its creates,
 * its list made a tenant-loss restore's assignments quadratic (issue 17 item 2: at 100k users
 * 8,572 assignments at 537/s against 900/s at 10k), and against Graph each read is pages of the
 * read quota.
 */
function assignmentsToSearch(op: Extract<Operation, { kind: 'create' }>, resourceId: string, principalId: string): string {
  const slot = op.refs.find((r) => r.at.length === 1 && r.at[0] === 'principalId');
  const base = slot ? PRINCIPAL_BASE[slot.targetType] : undefined;
  return base ? `${base}/${encodeURIComponent(principalId)}/appRoleAssignments` : `/servicePrincipals/${encodeURIComponent(resourceId)}/appRoleAssignedTo`;
}

/**
 * True when live object `id` is already another archived object's in this run (matched by the
 * plan, or created or adopted by an earlier op). A scan of the id map, run only when a create
 * finds an object of its key in the target, which is rare (a resumed op, a name shared).
 */
function ownedByAnother(ctx: Ctx, archivedId: string, id: unknown): boolean {
  if (typeof id !== 'string' || ctx.idMap.get(archivedId) === id) return false;
  for (const v of ctx.idMap.values()) if (v === id) return true;
  return false;
}

function naturalKeyOf(props: readonly string[], body: JsonObject): { property: string; value: string } | undefined {
  for (const p of props) {
    const v = body[p];
    if (typeof v === 'string' && v.length > 0) return { property: p, value: v };
  }
  return undefined;
}

/**
 * Creates an object unless one with the same natural or composite key exists (then it
 * is adopted). Singletons are patched instead; CA policies are created report-only;
 * PIM schedules go through schedule requests; a user gets a generated temporary
 * password, handed to the CredentialsSink and never returned.
 * @throws VaultError from Graph, or PLAN_BLOCKED when a reference or parent has no live id
 */
export async function runCreate(op: Extract<Operation, { kind: 'create' }>, ctx: Ctx): Promise<Done> {
  await resolveAppIds(ctx, op);
  const body = substituteRefs(op.body, op.refs, liveIds(ctx), op.label);
  if (op.type === 'scopedRoleMembership' && typeof body.roleId === 'string') body.roleId = await liveDirectoryRoleId(ctx.graph, body.roleId, op.label);
  const parent = parentLiveId(ctx, op);
  // a branding's images and stylesheet: PUT apart once it exists (./branding-streams.ts)
  const streams = takeStreams(op.type, body);
  if (streams.length > 0 && parent !== undefined) {
    const done = await runCreateBody(op, ctx, body, parent);
    await putStreams(ctx, op.type, parent, done.liveId ?? (op.type === 'organizationalBranding' ? '0' : String(body.id)), streams);
    return done;
  }
  const done = await runCreateBody(op, ctx, body, parent).catch((e: unknown) => { throw logicAppRefusal(op.type, op.label, body, e); });
  // the live id in the archive's terms: <parentId>/<graph id> where Graph repeats ids per parent (src/catalog/contained-ids.ts)
  const d = ctx.opts.catalog(op.type);
  return done.liveId !== undefined && d.idScopedByParent ? { ...done, liveId: archiveIdOf(d, done.liveId, parent) } : done;
}

/** runCreate once the body is in the target's terms. */
async function runCreateBody(op: Extract<Operation, { kind: 'create' }>, ctx: Ctx, body: JsonObject, parent: string | undefined): Promise<Done> {
  const d = ctx.opts.catalog(op.type);
  if (d.shape === 'singleton') {
    // A partner's identity synchronization policy is created with PUT, which replaces one a
    // killed run already made (src/catalog/cross-tenant-sync.ts): idempotent on resume.
    if (op.type === 'crossTenantIdentitySyncPolicyPartner') {
      // Its partner may have been created a moment ago: a 404 within the replication-lag
      // window is retried, not a failure (docs/reliability.md 16; test/ops/restore-emulator.test.ts).
      const path = itemPath(d, '', parent);
      await lag(ctx, path, () => ctx.graph.put(path, body));
      return { outcome: 'created' };
    }
    // Singletons always exist: "creating" one is writing its archived values back.
    return applyPatch(ctx, itemPath(d, '', parent), body, d);
  }
  const collection = collectionPath(d, parent);
  if (op.type === 'authenticationContextClassReference') return upsertById(ctx, d, body, op.label);
  // a catalog resource is added through a resource request (./entitlement-resources.ts)
  if (op.type === 'accessPackageResource') return addCatalogResource(ctx, body, collection, parent, op.label);
  // an access package assignment through an assignment request (./assignment-requests.ts)
  if (op.type === 'accessPackageAssignment') return requestAssignment(ctx, body, op.label);
  if (op.type === 'conditionalAccessPolicy' && body.state === 'enabled') {
    // Created report-only; only an enableConditionalAccess op switches it on after its references verify (docs/reliability.md 22).
    body.state = 'enabledForReportingButNotEnforced';
  }
  const existing = await patientFind(ctx, () => findExisting(op, body, ctx, collection));
  if (existing) {
    const id = stringProp(existing, 'id') ?? stringProp(existing, 'targetScheduleId');
    return { outcome: 'alreadyPresent', ...(id ? { liveId: id } : {}), ...appIdOf(op.type, existing) };
  }
  let password: string | undefined;
  let path = collection;
  let sendBody: JsonObject = body;
  if (op.type === 'user' && (op.needsPassword || !('passwordProfile' in body))) {
    password = generateTemporaryPassword();
    sendBody = { ...body, passwordProfile: { forceChangePasswordNextSignIn: true, password } };
  } else if (op.type === 'appRoleAssignment') {
    path = `/servicePrincipals/${encodeURIComponent(String(body.resourceId))}/appRoleAssignedTo`;
  } else if (op.type === 'roleAssignment') {
    path = '/roleManagement/directory/roleAssignments';
  } else if (PIM_REQUEST_PATH[op.type]) {
    // PIM schedules are created through schedule requests (docs/graph-facts.md §1 roleManagement).
    path = PIM_REQUEST_PATH[op.type] as string;
    sendBody = pimRequest(body, ctx);
  } else if (PIM_GROUP_PATHS[op.type]) {
    // PIM for Groups schedules too, with action adminAssign (./pim-groups.ts)
    path = PIM_GROUP_PATHS[op.type]!.requests;
    sendBody = pimGroupRequest(body, ctx.opts.clock.now());
  }
  // The password is durable BEFORE the call that sets it: a run killed after Graph created
  // the user but before we heard back must not lose it (docs/credentials-format.md).
  const upn = String(body.userPrincipalName);
  if (password !== undefined) await ctx.opts.credentialsSink.add({ userPrincipalName: upn, temporaryPassword: password });
  // Bodies that reference objects created moments ago may hit replication lag (docs/graph-facts.md §3 NoBackingApplicationObject, §5).
  let res: Record<string, unknown>;
  try {
    res = await lag(ctx, path, () => ctx.graph.post<Record<string, unknown>>(path, sendBody));
  } catch (e) {
    if (password !== undefined && definitelyRefused(e)) await ctx.opts.credentialsSink.withdraw(upn);
    // A permanent role assignment and its PIM assignment schedule are one thing in Entra:
    // when a parallel op created it first, Graph answers RoleAssignmentExists. Adopt it.
    if (PIM_REQUEST_PATH[op.type] && (e as { graphCode?: string }).graphCode === 'RoleAssignmentExists') {
      const found = await patientFind(ctx, () => findExisting(op, body, ctx, collection));
      const id = found ? stringProp(found, 'id') : undefined;
      if (id) return { outcome: 'alreadyPresent', liveId: id };
    }
    throw e;
  }
  password = undefined;
  const id = stringProp(res, 'targetScheduleId') && (PIM_REQUEST_PATH[op.type] || PIM_GROUP_PATHS[op.type]) ? stringProp(res, 'targetScheduleId') : stringProp(res, 'id');
  if (!id) throw new VaultError('GRAPH_BAD_RESPONSE', `${op.label}: Graph returned no id for the created object`);
  return { outcome: 'created', liveId: id, ...appIdOf(op.type, res) };
}

/**
 * An authentication context is created by PATCHing its own id, c1…c99 (Graph's "Create or
 * update", docs/graph-facts.md §3 "Authentication contexts"); one that is there already is adopted.
 */
async function upsertById(ctx: Ctx, d: ExecDescriptor, body: JsonObject, label: string): Promise<Done> {
  const { id, ...values } = body;
  if (typeof id !== 'string') throw new VaultError('PLAN_BLOCKED', `${label}: the archived object has no id`);
  const path = itemPath(d, id);
  if (await patientFind(ctx, () => tryGet<Record<string, unknown>>(ctx.graph, `${path}?$select=id`))) return { outcome: 'alreadyPresent', liveId: id };
  await lag(ctx, path, () => ctx.graph.patch(path, values));
  return { outcome: 'created', liveId: id };
}

function pimRequest(body: JsonObject, ctx: Ctx): JsonObject {
  const schedule = (body.scheduleInfo as JsonObject | undefined) ?? { startDateTime: ctx.opts.clock.now().toISOString(), expiration: { type: 'noExpiration' } };
  const out: JsonObject = {
    action: 'adminAssign',
    principalId: body.principalId ?? null,
    roleDefinitionId: body.roleDefinitionId ?? null,
    directoryScopeId: body.directoryScopeId ?? '/',
    justification: 'entra-vault restore',
    scheduleInfo: schedule,
  };
  if (typeof body.appScopeId === 'string') out.appScopeId = body.appScopeId;
  return out;
}

/**
 * Objects Graph updates with PUT of the whole object instead of PATCH (an access review
 * definition: src/catalog/governance.ts; an access package assignment policy, questions
 * included: docs/graph-facts.md §3 "Entitlement management", S242; the device registration
 * policy, every updatable property Required: S186).
 */
const PUT_WRITTEN: ReadonlySet<string> = new Set(['adminConsentRequestPolicy', 'accessReviewDefinition', 'accessPackageAssignmentPolicy', 'deviceRegistrationPolicy']);

/**
 * PUT of the whole object: an update op carries only the changed properties, so the rest
 * come from the live object (its key, annotations and server-kept `version` left out).
 */
async function putWhole(ctx: Ctx, path: string, body: JsonObject, d: ExecDescriptor): Promise<void> {
  // a policy's questions and custom extension stages come only expanded, and a PUT without them would drop them (./entitlement.ts)
  const live = await lag(ctx, path, () => ctx.graph.get<Record<string, Json>>(wholeReadPath(d.type, path)));
  const readOnly = new Set(d.readOnly ?? []);
  const whole: JsonObject = {};
  for (const [k, v] of Object.entries(live ?? {})) if (k !== 'id' && k !== 'version' && !k.startsWith('@') && !readOnly.has(k)) whole[k] = v;
  await lag(ctx, path, () => ctx.graph.put(path, wholePutBody(d.type, whole, body)));
}

/** PATCHes only the properties whose live value differs; writes nothing when all match. */
async function applyPatch(ctx: Ctx, path: string, body: JsonObject, d: ExecDescriptor): Promise<Done> {
  // annotations (`@odata.type`) are not properties: never $select or compare them
  const keys = Object.keys(body).filter((k) => !k.startsWith('@'));
  if (keys.length === 0) return { outcome: 'alreadyPresent' };
  // a lifecycle workflow: PATCH of four properties, a new version for the rest (./workflows.ts)
  if (d.type === 'lifecycleWorkflow') return updateWorkflow(ctx, path, body);
  // Inline navigations (a method configuration's includeTargets) cannot be $selected:
  // Graph returns them on a plain GET of the object (catalog `inlineNavigation`).
  const inline = new Set(d.inlineNavigation ?? []);
  const sep = path.includes('?') ? '&' : '?';
  // a sign-up events flow's priority is a documented property the v1.0 CSDL lacks (docs/graph-facts.md S373): read whole
  const read = keys.some((k) => inline.has(k)) || d.type === 'authenticationEventsFlow' ? path : `${path}${sep}$select=${keys.map(encodeURIComponent).join(',')}`;
  const headers = d.requestHeaders ? { ...d.requestHeaders } : undefined;
  const live = await lag(ctx, path, () => ctx.graph.get<Record<string, unknown>>(read, headers));
  // a sign-up events flow's apps, providers and attributes come only from their navigations (src/snapshot/events-flow-navs.ts)
  if (d.type === 'authenticationEventsFlow' && typeof live?.['id'] === 'string') await readFlowReferences(ctx.graph, live as DirObject);
  const diff: JsonObject = {};
  for (const k of keys) if (canonicalJson(live?.[k] ?? null) !== canonicalJson(body[k] ?? null)) diff[k] = body[k] as Json;
  if (Object.keys(diff).length === 0) return { outcome: 'alreadyPresent' };
  // a sign-up flow's apps: added and removed one by one, as Graph documents them (./flow-apps.ts)
  if (d.type === 'authenticationEventsFlow' && 'conditions' in diff && typeof live?.['id'] === 'string') {
    const rest = await writeFlowApps(ctx, live['id'], live as JsonObject, diff['conditions']);
    if (rest === undefined) delete diff['conditions'];
    else diff['conditions'] = rest;
    if (Object.keys(diff).length === 0) return { outcome: 'updated' };
  }
  // a kind the planner names (a listener's or events flow's PATCH must carry it, docs/graph-facts.md S250, S373)
  if (typeof body['@odata.type'] === 'string') diff['@odata.type'] = body['@odata.type'];
  // The admin consent request policy is written whole with PUT, the one write Graph documents
  // for it (src/catalog/consent-policies.ts, docs/graph-facts.md §3 "App management and consent governance").
  if (PUT_WRITTEN.has(d.type)) await putWhole(ctx, path, body, d);
  else await lag(ctx, path, () => ctx.graph.patch(path, diff, headers));
  return { outcome: 'updated' };
}

/**
 * PATCHes the changed properties of the object's live counterpart (nothing when they
 * already match); a CA policy's state is written report-only.
 * @throws VaultError from Graph, or PLAN_BLOCKED when the object has no live counterpart
 */
export async function runUpdate(op: Extract<Operation, { kind: 'update' }>, ctx: Ctx): Promise<Done> {
  const d = ctx.opts.catalog(op.type);
  await resolveAppIds(ctx, op);
  const body = substituteRefs(op.body, op.refs, liveIds(ctx), op.label);
  if (op.type === 'conditionalAccessPolicy' && body.state === 'enabled') body.state = 'enabledForReportingButNotEnforced';
  // a user flow language: only its customized pages are written, also under a flow this run created (./user-flow-pages.ts)
  if (op.type === 'userFlowLanguage') return putOverridesPages(ctx, body, parentLiveId(ctx, op), op.archivedId, op.parentArchivedId);
  // a recreated custom role's PIM settings: its policy is found through the role's live id (./pim-rules.ts)
  // a recreated group's PIM for Groups settings: its policy is found through the group's live id and the role
  const liveId = d.shape === 'singleton' ? '' : (ctx.idMap.get(op.archivedId) ?? (op.type === 'roleManagementPolicy' ? await livePolicyOfRole(ctx, body)
    : op.type === 'pimGroupPolicy' ? await livePolicyOfGroup(ctx, body) : undefined));
  if (liveId === undefined && op.type === 'pimGroupPolicy') {
    // a recreated group PIM does not govern yet lists no policy (docs/graph-facts.md "PIM for Groups policies")
    throw new VaultError('PLAN_BLOCKED', `${op.label}: the target lists no PIM for Groups policy for this group (PIM has not onboarded it)`,
      'give the group a PIM for Groups eligibility or assignment (admin center, or a restore of its schedules), then restore this policy\'s attributes');
  }
  if (liveId === undefined) throw new VaultError('PLAN_BLOCKED', `${op.label}: archived ${op.archivedId} has no live counterpart`);
  // a PIM schedule: changed by an adminUpdate request, never PATCHed (./schedule-updates.ts)
  if (isRequestUpdated(op.type)) return updateSchedule(ctx, op.type, liveId, body);
  const parent = parentLiveId(ctx, op);
  const path = itemPath(d, liveId, parent);
  // a branding's images and stylesheet: PUT apart after the PATCH (./branding-streams.ts)
  const streams = takeStreams(op.type, body);
  if (streams.length > 0 && parent !== undefined) {
    const done = await applyPatch(ctx, path, body, d);
    await putStreams(ctx, op.type, parent, liveId || '0', streams);
    return { outcome: 'updated', ...(d.shape === 'singleton' ? {} : { liveId: done.liveId ?? liveId }) };
  }
  // PIM role settings: one PATCH per differing rule (./pim-rules.ts)
  // a group's first rule update onboards it to PIM and may give its policy a new id (S231): looked up again after each PATCH
  const relocate = op.type === 'pimGroupPolicy' && !ctx.idMap.has(op.archivedId)
    ? async () => { const id = await livePolicyOfGroup(ctx, body); return id === undefined ? undefined : itemPath(d, id, parent); } : undefined;
  // a user flow's attribute order: setOrder after its PATCH, once its assignments exist (./user-flow-order.ts)
  const order = op.type === 'b2xUserFlow' ? takeOrder(body) : undefined;
  const r = op.type === 'roleManagementPolicy' || op.type === 'pimGroupPolicy' ? await patchPolicyRules(ctx, path, body, relocate)
    : op.type === 'customSecurityAttributeDefinition' ? await patchDefinition(ctx, path, body, d)
    : await applyPatch(ctx, path, body, d).catch((e: unknown) => { throw logicAppRefusal(op.type, op.label, body, e); });
  if (order !== undefined) return withOrder(ctx, r, liveId, order);
  return d.shape === 'singleton' ? r : { ...r, liveId };
}

/** A definition's properties PATCHed, its predefined values written apart (./allowed-values.ts). */
async function patchDefinition(ctx: Ctx, path: string, body: JsonObject, d: ExecDescriptor): Promise<Done> {
  const { allowedValues, ...rest } = body;
  const a = await applyPatch(ctx, path, rest, d);
  const b = await writeAllowedValues(ctx, path, allowedValues);
  return { outcome: a.outcome === 'updated' || b.outcome === 'updated' ? 'updated' : 'alreadyPresent' };
}

/**
 * Whether Graph answered a create with a refusal (4xx), so no user exists with the
 * password just spooled. A timeout, a 5xx or a lost connection may have created it: the
 * password stays (a spare entry costs nothing; a missing one locks the account out).
 */
export function definitelyRefused(e: unknown): boolean {
  const status = (e as { status?: unknown }).status;
  return typeof status === 'number' && status >= 400 && status < 500 && status !== 408 && status !== 429;
}
