/**
 * Relationships (docs/graph-facts.md §3 "Membership and ownership"): listing members,
 * owners, manager and reverse navigations, `$ref` add/remove, `PUT …/manager/$ref`,
 * and `members@odata.bind` / `owners@odata.bind` (20 at most, all or nothing).
 */
import { relationCatalog } from '../catalog/index.js';
import type { RelationDescriptor, RelationKind, ResourceType } from '../catalog/types.js';
import type { DirObject, Json } from '../model.js';
import { requirePermission } from './auth.js';
import type { Answer, Ctx } from './context.js';
import { checkGroupUpdatable, isSynced } from './directory-rules.js';
import { isDynamicUnit } from './dynamic.js';
import { graphTypes } from '../catalog/generated/graph-v1.0.js';
import { badRequest, notFound, unknownSegment, unsupportedQuery } from './graph-error.js';
import { advancedQuery, contextUrl, countText, listPage, project, selectList, type ListSource } from './odata/listing.js';
import { transitiveMemberIds, transitiveMemberOfIds } from './membership.js';
import { visible } from './writes.js';
import { checkSinglePolicy } from './consent-policies.js';
import { checkContactMember } from './org-contacts.js';
import type { Edges, TenantStore } from './store.js';

/** The relation a `/{type}/{id}/{nav}` segment names, from the catalog's relation paths. */
export function relationFor(type: ResourceType, nav: string): RelationDescriptor | undefined {
  return relationCatalog.find((r) => r.fromType === type && r.path.split('/').pop()!.toLowerCase() === nav.toLowerCase());
}

/** Reverse navigations: which relation kinds, read backwards. */
const REVERSE: Record<string, readonly RelationKind[]> = {
  memberof: ['groupMembers', 'administrativeUnitMembers'],
  directreports: ['userManager'],
  ownedobjects: ['groupOwners', 'applicationOwners', 'servicePrincipalOwners'],
  // a policy's apps and service principals (https://learn.microsoft.com/graph/api/appmanagementpolicy-list-appliesto)
  appliesto: ['applicationAppManagementPolicies', 'servicePrincipalAppManagementPolicies', 'applicationTokenLifetimePolicies',
    'applicationTokenIssuancePolicies', 'servicePrincipalClaimsMappingPolicies', 'servicePrincipalHomeRealmDiscoveryPolicies'],
};

/** Extracts the object id from an `@odata.id` URL (…/directoryObjects/{id} or …/users/{id}). */
export function idFromODataId(v: Json | undefined): string {
  if (typeof v !== 'string' || !v) throw badRequest("Invalid '@odata.id' value: a URL naming a directory object is required.");
  const m = /\/([^/?()]+)\/?$/.exec(v.trim());
  if (!m) throw badRequest(`Invalid '@odata.id' value '${v}'.`);
  return decodeURIComponent(m[1]!);
}

/** The live, visible target of a reference, checked against the relation's allowed types. */
function target(ctx: Ctx, rel: RelationDescriptor, id: string, from?: Readonly<Record<string, Json | undefined>>): { type: ResourceType; obj: DirObject } {
  const hit = ctx.rt.store.anyLive(id);
  if (!hit || !visible(ctx, id)) throw notFound(id);
  if (!rel.targets.includes(hit.type)) {
    throw badRequest(`An object of type '${hit.type}' cannot be added to '${rel.kind}'.`);
  }
  if (rel.kind === 'groupMembers') checkContactMember(hit.type, from);
  return hit;
}

function checkMembershipWritable(ctx: Ctx, rel: RelationDescriptor, from: DirObject): void {
  if (rel.fromType === 'group') checkGroupUpdatable(from);
  if (rel.kind === 'groupMembers' && isSynced(from)) {
    throw badRequest('Cannot update the membership of a group synchronized from on-premises Active Directory.');
  }
  if (rel.kind === 'groupMembers' && Array.isArray(from.groupTypes) && from.groupTypes.includes('DynamicMembership')) {
    throw badRequest('Members of a group with dynamic membership cannot be added or removed manually.');
  }
  if (rel.kind === 'administrativeUnitMembers' && isDynamicUnit(from)) {
    throw badRequest('Members of an administrative unit with dynamic membership cannot be added or removed manually.');
  }
}

function addEdge(ctx: Ctx, rel: RelationDescriptor, from: string, to: string): void {
  const store = ctx.rt.store;
  const edges = store.edges(rel.kind);
  if (rel.singleValued) for (const old of edges.targets(from)) edges.remove(from, old);
  edges.add(from, to);
  if (rel.kind === 'groupMembers') store.memberChanged(from, to, false);
  else store.touch(rel.fromType, from, 'live');
}

/**
 * `members@odata.bind` / `owners@odata.bind` in a group create or PATCH: resolves every
 * reference first (20 in total at most), so a bad entry adds none (§3).
 */
export function resolveBinds(ctx: Ctx, type: ResourceType, body: Record<string, Json>): Array<{ rel: RelationDescriptor; to: string }> {
  const out: Array<{ rel: RelationDescriptor; to: string }> = [];
  for (const [k, v] of Object.entries(body)) {
    if (!k.endsWith('@odata.bind')) continue;
    const rel = relationFor(type, k.slice(0, -'@odata.bind'.length));
    if (!rel) throw badRequest(`Property '${k}' does not exist as a declared property or extension property.`);
    if (!Array.isArray(v)) throw badRequest(`The value of '${k}' must be an array of URLs.`);
    for (const url of v) out.push({ rel, to: target(ctx, rel, idFromODataId(url), body).obj.id });
  }
  if (out.length > 20) {
    throw badRequest('A maximum of 20 members or owners can be added in a single request.');
  }
  return out;
}

export function applyBinds(ctx: Ctx, from: DirObject, binds: Array<{ rel: RelationDescriptor; to: string }>): void {
  for (const b of binds) {
    checkMembershipWritable(ctx, b.rel, from);
    if (b.rel.kind === 'groupMembers') checkContactMember(ctx.rt.store.anyLive(b.to)?.type ?? '', from);
    if (ctx.rt.store.edges(b.rel.kind).has(from.id, b.to)) {
      throw badRequest(`One or more added object references already exist for the following modified properties: '${b.rel.kind === 'groupMembers' ? 'members' : 'owners'}'.`);
    }
  }
  for (const b of binds) addEdge(ctx, b.rel, from.id, b.to);
}

/**
 * A type-cast segment after a collection navigation (`…/members/microsoft.graph.user`, or the
 * short `graph.user` the Kiota SDKs send): the cast's catalog type (undefined for a directory
 * type the emulator does not hold, such as a device, whose list is then empty), or undefined
 * when the segment is no cast. Casting to a type that is not a directory object is a 400
 * (https://learn.microsoft.com/graph/api/group-list-members, "OData cast").
 */
export function castOf(ctx: Ctx, seg: string | undefined): { name: string; type: ResourceType | undefined } | undefined {
  if (!seg) return undefined;
  const m = /^(?:microsoft\.)?graph\.([A-Za-z]+)$/.exec(seg);
  if (!m) return undefined;
  const name = `microsoft.graph.${m[1]}`;
  let directory = false;
  for (let n: string | null | undefined = name, hops = 0; n && hops < 10; n = graphTypes[n]?.baseType, hops++) {
    if (n === 'microsoft.graph.directoryObject') directory = true;
  }
  if (!directory || name === 'microsoft.graph.directoryObject') throw unknownSegment(seg);
  return { name, type: ctx.reg.typeForODataType(name) };
}

/** Collection navigations that only read: memberOf, ownedObjects, directReports and the transitive ones. */
const TRANSITIVE: Record<string, readonly ResourceType[]> = {
  transitivemembers: ['group'],
  transitivememberof: ['user', 'group', 'servicePrincipal'],
};

/**
 * GET of a collection navigation: the list, `/{cast}` (narrowed to one type, `$select` checked
 * against it), `/$count` and `/{cast}/$count`. `/$count` needs `ConsistencyLevel: eventual`
 * ("Use of $count as a URL segment", https://learn.microsoft.com/graph/aad-advanced-queries);
 * a cast on a transitive list needs the advanced-query parameters too ("Use of OData cast with
 * transitive members list", same page).
 */
/** Per relation's edges: one source's live targets in id order, and the versions they were read at. */
const targetCache = new WeakMap<Edges, Map<string, { edges: number; live: number; ids: string[] }>>();

/**
 * The live targets of `from`, sorted, kept until an edge or a live object changes: each page
 * of a 20k-member list filtered and sorted all 20k again (pages × members per list read).
 */
function liveTargets(store: TenantStore, edges: Edges, from: string): string[] {
  let bySource = targetCache.get(edges);
  if (!bySource) targetCache.set(edges, (bySource = new Map()));
  const hit = bySource.get(from);
  if (hit && hit.edges === edges.version && hit.live === store.liveVersion) return hit.ids;
  const ids = edges.targets(from).filter((id) => store.isLive(id)).sort();
  // a few lists per relation: a cache for the lists being paged, not a copy of the tenant. One
  // entry was not enough: a client pages several groups at once (4 requests in flight), so
  // their pages evicted each other and every page filtered and sorted its whole list again
  // (a 100k-user read spent 40 s of the emulator's CPU there, issue 17 item 2).
  bySource.delete(from);
  if (bySource.size >= LISTS_PER_RELATION) bySource.delete(bySource.keys().next().value as string);
  bySource.set(from, { edges: edges.version, live: store.liveVersion, ids });
  return ids;
}

/** Lists kept per relation by liveTargets: more than a client pages at once. */
const LISTS_PER_RELATION = 64;

/** `ids` sorted already (liveTargets) need no sort per page: a page of a 20k-member list sorted all 20k again. */
function listNavigation(ctx: Ctx, ids: readonly string[], tail: string[], transitive: boolean, sorted = false): Answer {
  const store = ctx.rt.store;
  const cast = castOf(ctx, tail[0]);
  const rest = cast ? tail.slice(1) : tail;
  const count = rest.length === 1 && rest[0] === '$count';
  if (rest.length > 0 && !count) throw unknownSegment(rest[rest.length - 1]!);
  if (cast && transitive && !count && !advancedQuery(ctx)) {
    throw unsupportedQuery('An OData cast on a transitive membership list requires the ConsistencyLevel header set to eventual and $count=true.');
  }
  const wanted = cast ? ids.filter((id) => cast.type !== undefined && store.typeOf.get(id) === cast.type) : ids;
  const src: ListSource = {
    ids: sorted ? wanted : [...wanted].sort(),
    type: cast?.type,
    entitySet: cast?.type ? ctx.reg.descriptor(cast.type).path.replace(/^\//, '') : 'directoryObjects',
    get: (id) => store.anyLive(id),
  };
  if (count) return { status: 200, text: countText(ctx, src) };
  return { status: 200, body: listPage(ctx, src) };
}

/** `/{type}/{id}/{nav}[/…]` for relationship navigations; undefined when `nav` is not one. */
export function navigation(ctx: Ctx, type: ResourceType, from: DirObject, rest: string[]): Answer | undefined {
  const nav = rest[0]!;
  const store = ctx.rt.store;
  const navLower = nav.toLowerCase();
  const transitive = TRANSITIVE[navLower]?.includes(type) === true;
  const rel = transitive ? undefined : relationFor(type, nav);
  const reverse = REVERSE[navLower];
  if (!rel && !reverse && !transitive) return undefined;
  if (!rel) {
    if (ctx.method !== 'GET') throw unknownSegment(rest[rest.length - 1]!);
    if (navLower === 'transitivemembers') {
      requirePermission(ctx.caller, { permissions: relationFor('group', 'members')!.permissions }, false);
      return listNavigation(ctx, transitiveMemberIds(store, from.id), rest.slice(1), true);
    }
    requirePermission(ctx.caller, ctx.reg.descriptor(type), false);
    if (transitive) return listNavigation(ctx, transitiveMemberOfIds(store, from.id), rest.slice(1), true);
    const ids = new Set<string>();
    for (const k of reverse!) for (const s of store.edges(k).sources(from.id)) if (store.isLive(s)) ids.add(s);
    return listNavigation(ctx, [...ids], rest.slice(1), false);
  }
  const write = ctx.method !== 'GET';
  requirePermission(ctx.caller, { permissions: rel.permissions }, write);
  const edges = store.edges(rel.kind);
  const tail = rest.slice(1).map((s) => s.toLowerCase());
  if (rel.singleValued) {
    if (tail.length === 0 && ctx.method === 'GET') {
      const to = edges.targets(from.id).find((id) => store.isLive(id));
      const hit = to ? store.anyLive(to) : undefined;
      if (!hit) throw notFound(nav);
      // `$select` is served on a single-valued navigation (https://learn.microsoft.com/graph/api/user-list-manager)
      const select = selectList(ctx, hit.type, true);
      return { status: 200, body: { '@odata.context': contextUrl(ctx, 'directoryObjects', select, true), ...project(ctx, hit.type, hit.obj, select) } };
    }
    if (tail.length === 1 && tail[0] === '$ref') {
      if (ctx.method === 'PUT') {
        const to = target(ctx, rel, idFromODataId((ctx.body as Record<string, Json> | null)?.['@odata.id']), from).obj.id;
        if (to === from.id) throw badRequest('A user cannot be their own manager.');
        addEdge(ctx, rel, from.id, to);
        return { status: 204, mutated: true };
      }
      if (ctx.method === 'DELETE') {
        if (ctx.query.get('$id') !== null) throw badRequest("The query parameter '$id' is not supported on a single-valued navigation.", 'BadRequest');
        const old = edges.targets(from.id);
        if (old.length === 0) throw notFound(nav);
        for (const o of old) edges.remove(from.id, o);
        store.touch(rel.fromType, from.id, 'live');
        return { status: 204, mutated: true };
      }
      if (ctx.method === 'GET') {
        const to = edges.targets(from.id).find((id) => store.isLive(id));
        if (!to) throw notFound(nav);
        return { status: 200, body: { '@odata.id': `${ctx.base}/directoryObjects/${to}` } };
      }
    }
    throw unknownSegment(rest[rest.length - 1]!);
  }
  if (ctx.method === 'GET' && (tail.length === 0 || tail[0] === '$count' || castOf(ctx, rest[1]))) {
    return listNavigation(ctx, liveTargets(store, edges, from.id), rest.slice(1), false, true);
  }
  if (tail.length === 1 && tail[0] === '$ref' && ctx.method === 'POST') {
    checkMembershipWritable(ctx, rel, from);
    const to = target(ctx, rel, idFromODataId((ctx.body as Record<string, Json> | null)?.['@odata.id']), from).obj.id;
    // the edge set itself, not a copy of every target (a 20k-member group's adds cost 20k each)
    if (edges.fwd.get(from.id)?.has(to) === true) {
      throw badRequest(`One or more added object references already exist for the following modified properties: '${nav}'.`);
    }
    if (rel.targets.includes('appManagementPolicy')) checkSinglePolicy(rel, edges.targets(from.id).filter((id) => store.isLive(id)));
    addEdge(ctx, rel, from.id, to);
    return { status: 204, mutated: true };
  }
  const byQuery = tail.length === 1 && tail[0] === '$ref' && ctx.method === 'DELETE' ? ctx.query.get('$id') : null;
  if ((tail.length === 2 && tail[1] === '$ref' && ctx.method === 'DELETE') || byQuery !== null) {
    checkMembershipWritable(ctx, rel, from);
    const to = byQuery !== null ? idFromODataId(byQuery) : rest[1]!;
    if (edges.fwd.get(from.id)?.has(to) !== true || !store.isLive(to)) throw notFound(to);
    edges.remove(from.id, to);
    if (rel.kind === 'groupMembers') store.memberChanged(from.id, to, true);
    else store.touch(rel.fromType, from.id, 'live');
    return { status: 204, mutated: true };
  }
  throw unknownSegment(rest[rest.length - 1]!);
}
