/**
 * Reading: `$select` projection with Graph's default property subsets, `$filter`,
 * `$count`, `$top` and keyset paging with an opaque `$skiptoken` in `@odata.nextLink`
 * (docs/graph-facts.md §2 defaults and page sizes, §5 paging and advanced queries).
 */
import { inlineChildren } from '../inline-children.js';
import { maskWriteOnly } from '../identity-providers.js';
import type { ResourceType } from '../../catalog/types.js';
import { graphTypes } from '../../catalog/generated/graph-v1.0.js';
import type { DirObject, Json } from '../../model.js';
import type { Ctx } from '../context.js';
import { badRequest, unsupportedQuery, forbidden } from '../graph-error.js';
import { evalFilter, filterRoots, parseFilter, simpleEquality, type FilterExpr, type ParsedFilter } from './filter.js';
import { filterView } from '../entitlement.js';
import { PARENT_FIELDS } from '../registry.js';
import { graphIdOf } from '../../catalog/contained-ids.js';
import { partitionPoint, type IdSequence } from '../sorted-ids.js';

/** Navigation names accepted in `$select` of a delta query (relationship tracking). */
const SELECTABLE_NAVS = new Set(['members', 'owners', 'manager']);

export function odataType(ctx: Ctx, type: ResourceType, o: DirObject): string {
  const own = o['@odata.type'];
  return typeof own === 'string' ? own : `#${ctx.reg.descriptor(type).entityType}`;
}

/** The `$select` list, validated against the type's properties (undefined: none given). */
export function selectList(ctx: Ctx, type: ResourceType | undefined, single = false): string[] | undefined {
  const raw = ctx.query.get('$select');
  if (raw === null || raw.trim() === '') return undefined;
  const props = raw.split(',').map((s) => s.trim()).filter(Boolean);
  // reading custom security attribute values needs CustomSecAttributeAssignment.Read.All (or
  // ReadWrite.All): https://learn.microsoft.com/graph/custom-security-attributes-examples
  if (props.includes('customSecurityAttributes') && !ctx.caller.roles.has('CustomSecAttributeAssignment.Read.All') && !ctx.caller.roles.has('CustomSecAttributeAssignment.ReadWrite.All')) throw forbidden();
  if (type) {
    const d = ctx.reg.descriptor(type);
    // perObjectProperties are selectable on a single-object GET only (catalog types.ts)
    const known = new Set([...d.properties, ...Object.keys(d.excluded), 'id', ...(single ? d.perObjectProperties ?? [] : [])]);
    for (const p of props) {
      if (!known.has(p) && !p.startsWith('extension_') && !SELECTABLE_NAVS.has(p)) {
        throw badRequest(
          `Parsing OData Select and Expand failed: Could not find a property named '${p}' on type '${d.entityType}'.`,
          'BadRequest',
        );
      }
    }
  }
  return props;
}

const collections = new Map<string, Set<string>>();
/** The collection-valued structural properties of an entity type (CSDL). */
function collectionProps(entityType: string): Set<string> {
  let s = collections.get(entityType);
  if (!s) collections.set(entityType, (s = new Set((graphTypes[entityType]?.properties ?? []).filter((x) => x.collection).map((x) => x.name))));
  return s;
}

/** One object as Graph returns it: the selected (or default) properties, `@odata.type`, no secrets. */
export function project(ctx: Ctx, type: ResourceType, o: DirObject, select?: string[]): Record<string, Json> {
  const d = ctx.reg.descriptor(type);
  const props = select ?? d.defaultProperties ?? d.properties;
  const kind = odataType(ctx, type, o);
  // An object of a derived type (an ipNamedLocation, a fido2AuthenticationMethodConfiguration)
  // shows its own type's properties, never its sibling types' as nulls (issue 14 "shapes").
  const derived = !select && kind !== `#${d.entityType}` ? graphTypes[kind.slice(1)] : undefined;
  const own = derived ? new Set(derived.properties.map((x) => x.name)) : undefined;
  // an id stored <parentId>/<id> shows as Graph's id (src/catalog/contained-ids.ts)
  const out: Record<string, Json> = { '@odata.type': kind, id: graphIdOf(d, o.id, ctx.rt.store.parentOf.get(o.id)) };
  for (const p of props) {
    if (p === 'id' || SELECTABLE_NAVS.has(p)) continue;
    if (own && !own.has(p) && o[p] === undefined) continue;
    const v = o[p];
    if (v === undefined && p.startsWith('extension_')) continue;
    // an unset collection reads as [] (Graph never answers null for a collection property)
    out[p] = v === undefined ? (collectionProps(d.entityType).has(p) ? [] : null) : v;
  }
  if (!select && !d.defaultProperties) {
    // no default subset declared: everything stored that is not bookkeeping
    for (const [k, v] of Object.entries(o)) {
      if (!(k in out) && v !== undefined && !(PARENT_FIELDS as readonly string[]).includes(k) && !k.startsWith('@em.')) out[k] = v;
    }
  }
  // navigations Graph returns inline on a plain read: a permission grant policy's condition sets,
  // a strength's combination configurations, the methods policy's configurations (../inline-children.ts)
  if (!select) Object.assign(out, inlineChildren(ctx, type, o, project) ?? {});
  if (type === 'identityProvider') maskWriteOnly(out);
  return out;
}

/** Parses `$filter`, insisting on advanced-query headers for ne/not/endswith (§5). */
export function filterOf(ctx: Ctx): ParsedFilter | undefined {
  const raw = ctx.query.get('$filter');
  if (raw === null) return undefined;
  const f = parseFilter(raw);
  if (f.advanced && !advancedQuery(ctx)) {
    throw unsupportedQuery(
      "Operator 'ne', 'not' or 'endsWith' requires the ConsistencyLevel header set to 'eventual' and $count=true.",
    );
  }
  return f;
}

export function advancedQuery(ctx: Ctx): boolean {
  return (ctx.headers['consistencylevel'] ?? '').toLowerCase() === 'eventual' && ctx.query.get('$count') === 'true';
}

function countRequested(ctx: Ctx): boolean {
  const c = ctx.query.get('$count');
  if (c === null) return false;
  if (c !== 'true' && c !== 'false') throw badRequest(`Invalid value '${c}' for $count.`);
  if (c === 'true' && (ctx.headers['consistencylevel'] ?? '').toLowerCase() !== 'eventual') {
    throw unsupportedQuery('Count is not supported without the ConsistencyLevel header set to eventual.');
  }
  return c === 'true';
}

/** Page size: `$top` (bounded by the type's maximum) or the default 100. */
export function pageSize(ctx: Ctx, type: ResourceType | undefined): number {
  const raw = ctx.query.get('$top');
  if (raw === null) return 100;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw badRequest(`Invalid value '${raw}' for $top.`);
  // docs/graph-facts.md §2: /users pages max at 999; Graph rejects a larger $top for users.
  if (n > 999) {
    if (type === 'user' || type === 'group') {
      throw badRequest(`Invalid page size specified: '${n}'. Must be between 1 and 999 inclusive.`, 'Request_UnsupportedQuery');
    }
    return 999;
  }
  return n;
}

export function encodeToken(v: object): string {
  return Buffer.from(JSON.stringify(v)).toString('base64url');
}
export function decodeToken<T>(tok: string, what = '$skiptoken'): T {
  try {
    return JSON.parse(Buffer.from(tok, 'base64url').toString('utf8')) as T;
  } catch {
    throw badRequest(`Invalid ${what} value.`, 'Request_BadRequest');
  }
}

/** The request URL with one query parameter replaced (for nextLinks). */
export function linkWith(ctx: Ctx, name: string, value: string, drop: string[] = []): string {
  const q = new URLSearchParams(ctx.query);
  for (const d of drop) q.delete(d);
  q.set(name, value);
  const qs = q.toString().replace(/%24/g, '$');
  return `${ctx.base}${ctx.pathname}?${qs}`;
}

export function contextUrl(ctx: Ctx, entitySet: string, select?: string[], entity = false): string {
  const sel = select ? `(${select.join(',')})` : '';
  return `${ctx.base}/$metadata#${entitySet}${sel}${entity ? '/$entity' : ''}`;
}

export interface ListSource {
  /** Candidate ids in id order (a getter may build them: read only when the lookup gives none). */
  readonly ids: IdSequence;
  /** The object and its type for an id, or undefined to skip it (hidden, deleted). */
  get(id: string): { type: ResourceType; obj: DirObject } | undefined;
  /** Type used for `$select` validation (undefined for mixed directoryObject lists). */
  type: ResourceType | undefined;
  entitySet: string;
  /** Adds `$expand`ed navigations to a projected item (expand.ts); without it `$expand` is a 400. */
  expand?(type: ResourceType, o: DirObject, out: Record<string, Json>): void;
  /** A fast path: ids matching `prop eq value` through a unique index. */
  lookup?(prop: string, value: string): readonly string[] | undefined;
}

/** The first index in the sorted `ids` of an id after `after`. */
export function lowerBound(ids: IdSequence, after: string): number {
  return partitionPoint(ids.length, (i) => ids.at(i)! <= after);
}

/** The lower-cased names a filter may start with, per entity type (built once: a restore filters before every create). */
const filterable = new Map<string, Set<string>>();

/**
 * A filter names properties of the type (structural or navigation, CSDL), `id`, or a directory
 * extension: anything else is Graph's 400 "Could not find a property named …", never an empty
 * page (which would tell a caller that nothing matched).
 */
function checkFilterRoots(ctx: Ctx, type: ResourceType, expr: FilterExpr): void {
  const d = ctx.reg.descriptor(type);
  let known = filterable.get(d.entityType);
  if (!known) {
    const csdl = graphTypes[d.entityType];
    known = new Set([...d.properties, ...Object.keys(d.excluded), 'id', ...(csdl?.properties ?? []).map((x) => x.name), ...(csdl?.navigationProperties ?? []).map((x) => x.name)].map((x) => x.toLowerCase()));
    filterable.set(d.entityType, known);
  }
  for (const root of filterRoots(expr)) {
    if (root.startsWith('extension_') || root.startsWith('@') || known.has(root.toLowerCase())) continue;
    throw badRequest(`Invalid filter clause: Could not find a property named '${root}' on type '${d.entityType}'.`, 'BadRequest');
  }
}

/** A collection page with nextLink / count, from sorted candidate ids. */
export function listPage(ctx: Ctx, src: ListSource): Record<string, Json> {
  const select = selectList(ctx, src.type);
  const filter = filterOf(ctx);
  const wantCount = countRequested(ctx);
  const top = pageSize(ctx, src.type);
  if (ctx.query.get('$skip') !== null) {
    throw badRequest("'$skip' is not supported by the service.", 'Request_BadRequest');
  }
  if (ctx.query.get('$expand') !== null && !src.expand) throw badRequest(`Expanding '${ctx.query.get('$expand')}' is not supported.`, 'Request_BadRequest');
  if (filter && src.type) checkFilterRoots(ctx, src.type, filter.expr);
  const eq = filter ? simpleEquality(filter.expr) : undefined;
  // the index first: a lookup before every create must not pay for the whole sorted list
  const ids = (eq && src.lookup ? src.lookup(eq.prop, eq.value) : undefined) ?? src.ids;
  const skip = ctx.query.get('$skiptoken');
  const start = skip ? lowerBound(ids, decodeToken<{ a: string }>(skip).a) : 0;
  const value: Json[] = [];
  let total = 0;
  let lastId: string | undefined;
  let more = false;
  for (let i = wantCount ? 0 : start; i < ids.length; i++) {
    const hit = src.get(ids.at(i)!);
    if (!hit) continue;
    if (filter && !evalFilter(filter.expr, filterView(hit.type, hit.obj) as Json)) continue;
    total++;
    if (i < start) continue;
    if (value.length < top) {
      const item = project(ctx, hit.type, hit.obj, select);
      src.expand?.(hit.type, hit.obj, item);
      value.push(item);
      lastId = hit.obj.id;
    } else {
      more = true;
      if (!wantCount) break;
    }
  }
  const out: Record<string, Json> = { '@odata.context': contextUrl(ctx, src.entitySet, select) };
  if (wantCount) out['@odata.count'] = total;
  if (more && lastId) out['@odata.nextLink'] = linkWith(ctx, '$skiptoken', encodeToken({ a: lastId }));
  out.value = value;
  return out;
}

/** `/{collection}/$count`: a plain-text number; needs ConsistencyLevel eventual (§5). */
export function countText(ctx: Ctx, src: ListSource): string {
  if ((ctx.headers['consistencylevel'] ?? '').toLowerCase() !== 'eventual') {
    throw unsupportedQuery('Count is not supported without the ConsistencyLevel header set to eventual.');
  }
  const raw = ctx.query.get('$filter');
  const filter = raw === null ? undefined : parseFilter(raw);
  let n = 0;
  const ids = src.ids;
  for (let i = 0; i < ids.length; i++) {
    const hit = src.get(ids.at(i)!);
    if (hit && (!filter || evalFilter(filter.expr, hit.obj as Json))) n++;
  }
  return String(n);
}
