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
import { isSynced } from './directory-rules.js';
import { badRequest, notFound, unknownSegment } from './graph-error.js';
import { contextUrl, listPage, project } from './odata/listing.js';
import { visible } from './writes.js';

/** The relation a `/{type}/{id}/{nav}` segment names, from the catalog's relation paths. */
export function relationFor(type: ResourceType, nav: string): RelationDescriptor | undefined {
  return relationCatalog.find((r) => r.fromType === type && r.path.split('/').pop()!.toLowerCase() === nav.toLowerCase());
}

/** Reverse navigations: which relation kinds, read backwards. */
const REVERSE: Record<string, readonly RelationKind[]> = {
  memberof: ['groupMembers', 'administrativeUnitMembers'],
  directreports: ['userManager'],
  ownedobjects: ['groupOwners', 'applicationOwners', 'servicePrincipalOwners'],
};

/** Extracts the object id from an `@odata.id` URL (…/directoryObjects/{id} or …/users/{id}). */
export function idFromODataId(v: Json | undefined): string {
  if (typeof v !== 'string' || !v) throw badRequest("Invalid '@odata.id' value: a URL naming a directory object is required.");
  const m = /\/([^/?()]+)\/?$/.exec(v.trim());
  if (!m) throw badRequest(`Invalid '@odata.id' value '${v}'.`);
  return decodeURIComponent(m[1]!);
}

/** The live, visible target of a reference, checked against the relation's allowed types. */
function target(ctx: Ctx, rel: RelationDescriptor, id: string): { type: ResourceType; obj: DirObject } {
  const hit = ctx.rt.store.anyLive(id);
  if (!hit || !visible(ctx, id)) throw notFound(id);
  if (!rel.targets.includes(hit.type)) {
    throw badRequest(`An object of type '${hit.type}' cannot be added to '${rel.kind}'.`);
  }
  return hit;
}

function checkMembershipWritable(ctx: Ctx, rel: RelationDescriptor, from: DirObject): void {
  if (rel.kind === 'groupMembers' && isSynced(from)) {
    throw badRequest('Cannot update the membership of a group synchronized from on-premises Active Directory.');
  }
  if (rel.kind === 'groupMembers' && Array.isArray(from.groupTypes) && from.groupTypes.includes('DynamicMembership')) {
    throw badRequest('Members of a group with dynamic membership cannot be added or removed manually.');
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
    for (const url of v) out.push({ rel, to: target(ctx, rel, idFromODataId(url)).obj.id });
  }
  if (out.length > 20) {
    throw badRequest('A maximum of 20 members or owners can be added in a single request.');
  }
  return out;
}

export function applyBinds(ctx: Ctx, from: DirObject, binds: Array<{ rel: RelationDescriptor; to: string }>): void {
  for (const b of binds) {
    checkMembershipWritable(ctx, b.rel, from);
    if (ctx.rt.store.edges(b.rel.kind).targets(from.id).includes(b.to)) {
      throw badRequest(`One or more added object references already exist for the following modified properties: '${b.rel.kind === 'groupMembers' ? 'members' : 'owners'}'.`);
    }
  }
  for (const b of binds) addEdge(ctx, b.rel, from.id, b.to);
}

function listIds(ctx: Ctx, ids: string[], entitySet: string): Answer {
  const store = ctx.rt.store;
  return {
    status: 200,
    body: listPage(ctx, {
      ids: ids.sort(),
      type: undefined,
      entitySet,
      get: (id) => store.anyLive(id),
    }),
  };
}

/** `/{type}/{id}/{nav}[/…]` for relationship navigations; undefined when `nav` is not one. */
export function navigation(ctx: Ctx, type: ResourceType, from: DirObject, rest: string[]): Answer | undefined {
  const nav = rest[0]!;
  const store = ctx.rt.store;
  const rel = relationFor(type, nav);
  const reverse = REVERSE[nav.toLowerCase()];
  if (!rel && !reverse) return undefined;
  if (!rel) {
    if (ctx.method !== 'GET' || rest.length > 1) throw unknownSegment(rest[rest.length - 1]!);
    requirePermission(ctx.caller, ctx.reg.descriptor(type), false);
    const ids = new Set<string>();
    for (const k of reverse!) for (const s of store.edges(k).sources(from.id)) ids.add(s);
    return listIds(ctx, [...ids], 'directoryObjects');
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
      return { status: 200, body: { '@odata.context': contextUrl(ctx, 'directoryObjects', undefined, true), ...project(ctx, hit.type, hit.obj) } };
    }
    if (tail.length === 1 && tail[0] === '$ref') {
      if (ctx.method === 'PUT') {
        const to = target(ctx, rel, idFromODataId((ctx.body as Record<string, Json> | null)?.['@odata.id'])).obj.id;
        if (to === from.id) throw badRequest('A user cannot be their own manager.');
        addEdge(ctx, rel, from.id, to);
        return { status: 204, mutated: true };
      }
      if (ctx.method === 'DELETE') {
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
  if (tail.length === 0 && ctx.method === 'GET') {
    return listIds(ctx, edges.targets(from.id), 'directoryObjects');
  }
  if (tail.length === 1 && tail[0] === '$count' && ctx.method === 'GET') {
    return { status: 200, text: String(edges.targets(from.id).filter((id) => store.isLive(id)).length) };
  }
  if (tail.length === 1 && tail[0] === '$ref' && ctx.method === 'POST') {
    checkMembershipWritable(ctx, rel, from);
    const to = target(ctx, rel, idFromODataId((ctx.body as Record<string, Json> | null)?.['@odata.id'])).obj.id;
    if (edges.targets(from.id).includes(to)) {
      throw badRequest(`One or more added object references already exist for the following modified properties: '${nav}'.`);
    }
    addEdge(ctx, rel, from.id, to);
    return { status: 204, mutated: true };
  }
  if (tail.length === 2 && tail[1] === '$ref' && ctx.method === 'DELETE') {
    checkMembershipWritable(ctx, rel, from);
    const to = rest[1]!;
    if (!edges.targets(from.id).includes(to) || !store.isLive(to)) throw notFound(to);
    edges.remove(from.id, to);
    if (rel.kind === 'groupMembers') store.memberChanged(from.id, to, true);
    else store.touch(rel.fromType, from.id, 'live');
    return { status: 204, mutated: true };
  }
  throw unknownSegment(rest[rest.length - 1]!);
}
