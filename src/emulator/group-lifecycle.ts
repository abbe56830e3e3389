/**
 * The group lifecycle (expiration) policy as Graph v1.0 serves it (issue 15 item 10), beyond
 * the catalog's generic get/patch/delete. Sources in docs/graph-facts.md §3 "Group lifecycle
 * policy" (S105–S107):
 * - "Only one policy exists in the tenant": a second POST is refused
 *   (https://learn.microsoft.com/graph/api/grouplifecyclepolicy-post-grouplifecyclepolicies);
 * - `managedGroupTypes` is one of `All`, `Selected`, `None`
 *   (https://learn.microsoft.com/graph/api/resources/grouplifecyclepolicy);
 * - `addGroup` / `removeGroup` take `{ groupId }`, one group per call, and answer 200 with
 *   `{ value: true }` when the group was added (removed), false otherwise; adding is
 *   "supported only if the managedGroupTypes property of the policy is set to Selected", and a
 *   Selected policy takes up to 500 groups
 *   (https://learn.microsoft.com/graph/api/grouplifecyclepolicy-addgroup,
 *   https://learn.microsoft.com/graph/api/grouplifecyclepolicy-removegroup);
 * - `GET /groups/{id}/groupLifecyclePolicies` lists the policies the group belongs to
 *   (https://learn.microsoft.com/graph/api/group-list-grouplifecyclepolicies). The policy is
 *   "a lifecycle policy for a Microsoft 365 group": an `All` policy lists itself under every
 *   Microsoft 365 group, a `Selected` one under the groups added to it, and a group that is no
 *   Microsoft 365 group cannot be added (false).
 * The selected groups are the store's `groupLifecyclePolicies` edges (group → policy).
 */
import type { DirObject, Json } from '../model.js';
import { requirePermission } from './auth.js';
import type { Answer, Ctx } from './context.js';
import { badRequest, GraphHttpError, notFound, unknownSegment } from './graph-error.js';
import { contextUrl, listPage, project } from './odata/listing.js';
import { asBody, commitCreate, createObject, visible } from './writes.js';

const TYPE = 'groupLifecyclePolicy' as const;
const KIND = 'groupLifecyclePolicies' as const;
const GROUP_TYPES = new Set(['All', 'Selected', 'None']);
/** Most groups a Selected policy applies to (grouplifecyclepolicy-addgroup). */
export const MAX_SELECTED_GROUPS = 500;

const isUnified = (g: DirObject): boolean => Array.isArray(g.groupTypes) && g.groupTypes.includes('Unified');

function checkValues(body: Record<string, Json>): void {
  if ('managedGroupTypes' in body && !GROUP_TYPES.has(String(body.managedGroupTypes))) {
    throw badRequest(`Invalid value specified for property 'managedGroupTypes' of resource 'GroupLifecyclePolicy': use All, Selected or None.`);
  }
  if ('groupLifetimeInDays' in body && (typeof body.groupLifetimeInDays !== 'number' || body.groupLifetimeInDays < 1)) {
    throw badRequest(`Invalid value specified for property 'groupLifetimeInDays' of resource 'GroupLifecyclePolicy'.`);
  }
}

function policies(ctx: Ctx): DirObject[] {
  return [...(ctx.rt.store.live.get(TYPE)?.values() ?? [])];
}

/** Whether `policy` applies to `group` (see the module comment). */
export function appliesTo(ctx: Ctx, policy: DirObject, group: DirObject): boolean {
  if (policy.managedGroupTypes === 'All') return isUnified(group);
  if (policy.managedGroupTypes === 'Selected') return ctx.rt.store.edges(KIND).has(group.id, policy.id);
  return false;
}

function create(ctx: Ctx): Answer {
  requirePermission(ctx.caller, ctx.reg.descriptor(TYPE), true);
  const body = asBody(ctx.body);
  if (policies(ctx).length > 0) throw badRequest('Only one group lifecycle policy can exist in a tenant: update or delete the existing one.');
  checkValues(body);
  const o = createObject(ctx, TYPE, undefined, body);
  o.alternateNotificationEmails ??= null;
  commitCreate(ctx, TYPE, o, undefined);
  return { status: 201, mutated: true, body: { '@odata.context': contextUrl(ctx, 'groupLifecyclePolicies', undefined, true), ...project(ctx, TYPE, o) } };
}

function groupAction(ctx: Ctx, policyId: string, add: boolean): Answer {
  requirePermission(ctx.caller, ctx.reg.descriptor(TYPE), true);
  const policy = ctx.rt.store.get(TYPE, policyId);
  if (!policy) throw notFound(policyId);
  const body = asBody(ctx.body);
  const extra = Object.keys(body).filter((k) => k !== 'groupId');
  if (extra.length) throw badRequest(`Property '${extra[0]}' does not exist on the action parameters of ${add ? 'addGroup' : 'removeGroup'}.`);
  if (typeof body.groupId !== 'string' || !body.groupId) throw badRequest("The parameter 'groupId' is required.");
  const group = ctx.rt.store.get('group', body.groupId);
  if (!group || !visible(ctx, group.id)) throw notFound(body.groupId);
  const edges = ctx.rt.store.edges(KIND);
  const has = edges.has(group.id, policy.id);
  let changed = false;
  if (!add) changed = has && edges.remove(group.id, policy.id);
  else if (policy.managedGroupTypes === 'Selected' && isUnified(group) && !has && edges.sources(policy.id).length < MAX_SELECTED_GROUPS) {
    changed = edges.add(group.id, policy.id);
  }
  return { status: 200, mutated: changed, body: { '@odata.context': contextUrl(ctx, 'Edm.Boolean'), value: changed } };
}

function listForGroup(ctx: Ctx, groupId: string): Answer {
  if (ctx.method !== 'GET') throw new GraphHttpError(405, 'Request_BadRequest', `The HTTP method '${ctx.method}' is not allowed on this navigation.`);
  const group = ctx.rt.store.get('group', groupId);
  if (!group || !visible(ctx, group.id)) throw notFound(groupId);
  requirePermission(ctx.caller, ctx.reg.descriptor(TYPE), false);
  const ids = policies(ctx).filter((p) => appliesTo(ctx, p, group)).map((p) => p.id).sort();
  const store = ctx.rt.store;
  return {
    status: 200,
    body: listPage(ctx, { ids, type: TYPE, entitySet: 'groupLifecyclePolicies', get: (id) => { const obj = store.get(TYPE, id); return obj ? { type: TYPE, obj } : undefined; } }),
  };
}

/**
 * The calls this module answers (POST of a policy, its value checks on PATCH, addGroup,
 * removeGroup, a group's policies); undefined for the generic routes.
 * @throws GraphHttpError 400/403/404/405 as documented above
 */
export function groupLifecycleRoute(ctx: Ctx, segs: readonly string[]): Answer | undefined {
  const [a, , c] = segs.map((s) => s.toLowerCase());
  if (a === 'groups' && segs.length >= 3 && c === 'grouplifecyclepolicies') {
    // a read-only navigation: Graph documents no `$ref`, count or item under it
    if (segs.length > 3) throw ctx.method === 'GET' ? unknownSegment(segs[3]!) : new GraphHttpError(405, 'Request_BadRequest', `The HTTP method '${ctx.method}' is not allowed on this navigation; add a group with POST /groupLifecyclePolicies/{id}/addGroup.`);
    return listForGroup(ctx, segs[1]!);
  }
  if (a !== 'grouplifecyclepolicies') return undefined;
  if (segs.length === 1 && ctx.method === 'POST') return create(ctx);
  if (segs.length === 2 && ctx.method === 'PATCH') checkValues(asBody(ctx.body));
  if (segs.length === 3 && ctx.method === 'POST' && (c === 'addgroup' || c === 'removegroup')) return groupAction(ctx, segs[1]!, c === 'addgroup');
  return undefined;
}
