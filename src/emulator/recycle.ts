/**
 * The recycle bins (docs/graph-facts.md §4): `/directory/deletedItems` (users, M365 groups,
 * applications, service principals, AUs; listing needs a type cast) and
 * `/identity/conditionalAccess/deletedItems/{policies|namedLocations}`.
 */
import type { ResourceType } from '../catalog/types.js';
import type { DirObject } from '../model.js';
import { requirePermission } from './auth.js';
import type { Answer, Ctx } from './context.js';
import { badRequest, forbidden, notFound, unknownSegment } from './graph-error.js';
import { contextUrl, countText, listPage, project } from './odata/listing.js';
import { afterWrite, hardDelete } from './writes.js';
import { checkSensitiveAction } from './sensitive-actions.js';
import { UNIQUE_KEYS } from './store.js';

const DIRECTORY_BIN: readonly ResourceType[] = ['user', 'group', 'application', 'servicePrincipal', 'administrativeUnit'];
const CA_BIN: Record<string, ResourceType> = { policies: 'conditionalAccessPolicy', namedlocations: 'namedLocation' };

function binned(ctx: Ctx, types: readonly ResourceType[], id: string): { type: ResourceType; obj: DirObject } | undefined {
  for (const t of types) {
    const obj = ctx.rt.store.bin.get(t)?.get(id);
    if (obj) return { type: t, obj };
  }
  return undefined;
}

/** Brings a soft-deleted object back with its id; 400 when a live object took its unique key. */
function restore(ctx: Ctx, type: ResourceType, obj: DirObject): Answer {
  requirePermission(ctx.caller, ctx.reg.descriptor(type), true);
  const store = ctx.rt.store;
  // a user who held an admin role comes back only through a caller with a higher role (S57)
  if (type === 'user') checkSensitiveAction(store, ctx.caller, obj.id);
  // the store's own unique keys (./store.ts UNIQUE_KEYS), as a create checks them (./writes.ts checkUnique)
  for (const prop of UNIQUE_KEYS[type] ?? []) {
    const v = obj[prop];
    if (typeof v === 'string' && store.byKey(type, prop, v)) {
      throw badRequest(`Another object with the same value for property ${prop} already exists.`, 'Request_MultipleObjectsWithSameKeyValue');
    }
  }
  store.binMap(type).delete(obj.id);
  obj = { ...obj, deletedDateTime: null };
  store.insert(type, obj);
  // memberships, owners and role assignments were kept while hidden: they are back now (§4)
  store.touch(type, obj.id, 'live');
  afterWrite(store, type, obj);
  return { status: 200, body: { '@odata.context': contextUrl(ctx, 'directoryObjects', undefined, true), ...project(ctx, type, obj) }, mutated: true };
}

function purge(ctx: Ctx, type: ResourceType, obj: DirObject): Answer {
  requirePermission(ctx.caller, ctx.reg.descriptor(type), true);
  if (type === 'user') checkSensitiveAction(ctx.rt.store, ctx.caller, obj.id);
  // docs/graph-facts.md §4 (S5): administrative units cannot be purged, they expire.
  if (type === 'administrativeUnit') {
    throw badRequest('Permanent deletion of administrative units is not supported; they are removed after 30 days.');
  }
  hardDelete(ctx.rt.store, type, obj.id);
  return { status: 204, mutated: true };
}

function binList(ctx: Ctx, type: ResourceType, entitySet: string): Answer {
  requirePermission(ctx.caller, ctx.reg.descriptor(type), false);
  const m = ctx.rt.store.bin.get(type);
  const ids = [...(m?.keys() ?? [])].sort();
  return {
    status: 200,
    body: listPage(ctx, { ids, type, entitySet, get: (id) => (m?.get(id) ? { type, obj: m.get(id)! } : undefined) }),
  };
}

function binItem(ctx: Ctx, types: readonly ResourceType[], rest: string[]): Answer {
  const id = rest[0]!;
  const hit = binned(ctx, types, id);
  if (!hit) throw notFound(id);
  if (rest.length === 1) {
    if (ctx.method === 'GET') {
      requirePermission(ctx.caller, ctx.reg.descriptor(hit.type), false);
      return { status: 200, body: { '@odata.context': contextUrl(ctx, 'directoryObjects', undefined, true), ...project(ctx, hit.type, hit.obj) } };
    }
    if (ctx.method === 'DELETE') return purge(ctx, hit.type, hit.obj);
  }
  if (rest.length === 2 && rest[1]!.toLowerCase() === 'restore' && ctx.method === 'POST') return restore(ctx, hit.type, hit.obj);
  throw unknownSegment(rest[rest.length - 1]!);
}

/** `/directory/deletedItems/...` */
export function directoryDeletedItems(ctx: Ctx, rest: string[]): Answer {
  if (rest.length === 0) {
    // docs/graph-facts.md §4: the cast is mandatory when listing.
    throw badRequest(
      "Listing deleted items requires a type cast: /directory/deletedItems/microsoft.graph.{user|group|application|servicePrincipal|administrativeUnit|device}.",
    );
  }
  // the Kiota SDKs send the short cast `graph.user` for `microsoft.graph.user`
  const first = rest[0]!.replace(/^graph\./, 'microsoft.graph.');
  if (first.startsWith('microsoft.graph.')) {
    const type = ctx.reg.typeForODataType(first);
    if (!type || !DIRECTORY_BIN.includes(type)) {
      if (first === 'microsoft.graph.device' && rest.length === 1) return { status: 200, body: { '@odata.context': contextUrl(ctx, 'directoryObjects'), value: [] } };
      throw unknownSegment(rest[0]!);
    }
    if (rest.length === 1 && ctx.method === 'GET') return binList(ctx, type, `deletedItems/${first}`);
    // `/$count` of a cast bin needs ConsistencyLevel: eventual like every directory count
    // (https://learn.microsoft.com/graph/api/directory-deleteditems-list, "$count")
    if (rest.length === 2 && rest[1] === '$count' && ctx.method === 'GET') {
      requirePermission(ctx.caller, ctx.reg.descriptor(type), false);
      const m = ctx.rt.store.bin.get(type);
      const ids = [...(m?.keys() ?? [])].sort();
      return { status: 200, text: countText(ctx, { ids, type, entitySet: first, get: (id) => (m?.get(id) ? { type, obj: m.get(id)! } : undefined) }) };
    }
    return binItem(ctx, [type], rest.slice(1));
  }
  return binItem(ctx, DIRECTORY_BIN, rest);
}

/** `/identity/conditionalAccess/deletedItems/{policies|namedLocations}/...` (S18). */
export function caDeletedItems(ctx: Ctx, rest: string[]): Answer {
  const type = CA_BIN[(rest[0] ?? '').toLowerCase()];
  if (!type) throw unknownSegment(rest[0] ?? 'deletedItems');
  if (rest.length === 1 && ctx.method === 'GET') return binList(ctx, type, `identity/conditionalAccess/deletedItems/${rest[0]}`);
  // Restoring a deleted policy: no v1.0 page, and beta's conditionalaccesspolicy-restore page
  // lists "Application: Not supported" (docs/graph-facts.md S392). A named location's restore
  // is left served: its beta page's permissions table was not available to check.
  if (type === 'conditionalAccessPolicy' && rest.length === 3 && rest[2]!.toLowerCase() === 'restore' && ctx.method === 'POST' && ctx.caller.userId === undefined) throw forbidden();
  return binItem(ctx, [type], rest.slice(1));
}

/** `/identityGovernance/lifecycleWorkflows/deletedItems/workflows/...`: list, get, restore, permanent delete (S183). */
export function lifecycleDeletedItems(ctx: Ctx, rest: string[]): Answer {
  if ((rest[0] ?? '').toLowerCase() !== 'workflows') throw unknownSegment(rest[0] ?? 'deletedItems');
  if (rest.length === 1 && ctx.method === 'GET') return binList(ctx, 'lifecycleWorkflow', 'identityGovernance/lifecycleWorkflows/deletedItems/workflows');
  return binItem(ctx, ['lifecycleWorkflow'], rest.slice(1));
}
