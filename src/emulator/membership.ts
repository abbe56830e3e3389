/**
 * Transitive membership (docs/graph-facts.md §8 "Membership queries"): `transitiveMembers`
 * of a group, `transitiveMemberOf` of any principal, and the four membership actions
 * `getMemberGroups`, `getMemberObjects`, `checkMemberGroups`, `checkMemberObjects` on users,
 * groups and service principals. Nested groups are walked breadth-first; a cycle is walked
 * once. Only live objects count: a soft-deleted group neither appears nor passes membership on.
 */
import type { ResourceType } from '../catalog/types.js';
import type { DirObject, Json } from '../model.js';
import { canRead } from './auth.js';
import type { Answer, Ctx } from './context.js';
import { badRequest, forbidden } from './graph-error.js';
import type { TenantStore } from './store.js';

/**
 * Breadth-first walk of live objects from `start` along `next`; `descend` says whether a
 * reached object is walked further. `start` itself is never in the result; a cycle is walked once.
 */
function walkLive(store: TenantStore, start: string, next: (id: string) => Iterable<string>, descend: (id: string) => boolean): string[] {
  const seen = new Set<string>([start]);
  const out: string[] = [];
  const queue = [start];
  while (queue.length > 0) {
    for (const x of next(queue.shift()!)) {
      if (seen.has(x) || !store.isLive(x)) continue;
      seen.add(x);
      out.push(x);
      if (descend(x)) queue.push(x);
    }
  }
  return out;
}

/** Every live object reachable through `members` from a group (nested groups included). */
export function transitiveMemberIds(store: TenantStore, groupId: string): string[] {
  const edges = store.edges('groupMembers');
  return walkLive(store, groupId, (g) => edges.targets(g), (m) => store.typeOf.get(m) === 'group');
}

/** Groups an object belongs to directly or through nested groups (live only). */
export function transitiveGroupIds(store: TenantStore, id: string): string[] {
  const edges = store.edges('groupMembers');
  return walkLive(store, id, (x) => edges.sources(x), () => true);
}

/** Groups (transitive) and administrative units (direct) an object is a member of. */
export function transitiveMemberOfIds(store: TenantStore, id: string): string[] {
  const aus = store.edges('administrativeUnitMembers').sources(id).filter((a) => store.isLive(a));
  return [...transitiveGroupIds(store, id), ...aus];
}

/**
 * The membership actions need to read the object and groups: "User.Read.All and
 * Group.Read.All" or Directory.Read.All for a user, Group.Read.All for a group,
 * Application.Read.All for a service principal
 * (https://learn.microsoft.com/graph/api/directoryobject-checkmembergroups, permissions tables).
 */
function requireMembershipRead(ctx: Ctx, type: ResourceType): void {
  const own = canRead(ctx.caller, ctx.reg.descriptor(type));
  const groups = type === 'servicePrincipal' || canRead(ctx.caller, ctx.reg.descriptor('group'));
  if (!own || !groups) throw forbidden();
}

function idList(body: Record<string, Json>, name: string, max?: number): string[] {
  const v = body[name];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) {
    throw badRequest(`The parameter '${name}' must be a collection of strings.`, 'BadRequest');
  }
  if (max !== undefined && v.length > max) {
    throw badRequest(`The parameter '${name}' may contain at most ${max} values.`, 'Request_BadRequest');
  }
  return v as string[];
}

function securityFlag(body: Record<string, Json>): boolean {
  const v = body.securityEnabledOnly;
  if (typeof v !== 'boolean') throw badRequest("The parameter 'securityEnabledOnly' is required and must be a Boolean.", 'BadRequest');
  return v;
}

const strings = (ctx: Ctx, value: string[]): Answer => ({
  status: 200,
  body: { '@odata.context': `${ctx.base}/$metadata#Collection(Edm.String)`, value },
});

/** Graph's cap on getMemberGroups / getMemberObjects results (the documented 11,000 ids). */
const RESULT_LIMIT = 11_000;

/**
 * `POST /{users|groups|servicePrincipals}/{id}/{getMemberGroups|getMemberObjects|
 * checkMemberGroups|checkMemberObjects}`; undefined when `action` is none of them.
 * Shapes: https://learn.microsoft.com/graph/api/directoryobject-getmembergroups,
 * https://learn.microsoft.com/graph/api/directoryobject-getmemberobjects,
 * https://learn.microsoft.com/graph/api/directoryobject-checkmembergroups (up to 20 groupIds),
 * https://learn.microsoft.com/graph/api/directoryobject-checkmemberobjects.
 */
export function membershipAction(ctx: Ctx, type: ResourceType, o: DirObject, action: string): Answer | undefined {
  const names = ['getmembergroups', 'getmemberobjects', 'checkmembergroups', 'checkmemberobjects'];
  if (!names.includes(action) || !['user', 'group', 'servicePrincipal'].includes(type)) return undefined;
  requireMembershipRead(ctx, type);
  const store = ctx.rt.store;
  const body = (ctx.body && typeof ctx.body === 'object' && !Array.isArray(ctx.body) ? ctx.body : {}) as Record<string, Json>;
  const groups = transitiveGroupIds(store, o.id);
  const security = (id: string): boolean => store.get('group', id)?.securityEnabled === true;
  switch (action) {
    case 'getmembergroups':
    case 'getmemberobjects': {
      const onlySecurity = securityFlag(body);
      let ids = action === 'getmembergroups' ? groups : transitiveMemberOfIds(store, o.id);
      if (onlySecurity) ids = ids.filter((id) => store.typeOf.get(id) !== 'group' || security(id));
      if (ids.length > RESULT_LIMIT) {
        throw badRequest('The number of results exceeds the limit; use transitiveMemberOf instead.', 'Directory_ResultSizeLimitExceeded');
      }
      return strings(ctx, ids.sort());
    }
    case 'checkmembergroups': {
      const asked = idList(body, 'groupIds', 20);
      const mine = new Set(groups);
      return strings(ctx, asked.filter((id) => mine.has(id)));
    }
    default: {
      const asked = idList(body, 'ids');
      const mine = new Set(transitiveMemberOfIds(store, o.id));
      return strings(ctx, asked.filter((id) => mine.has(id)));
    }
  }
}
