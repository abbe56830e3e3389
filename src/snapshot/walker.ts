/**
 * The backup engine: walks the catalog through a GraphClient and streams every
 * object and relation into a SnapshotSink.
 *
 * - Every read `$select`s the catalog's full property list: Graph returns 11 user
 *   properties unless asked (docs/graph-facts.md §2).
 * - Collections with delta support are read through `/delta`, which returns the full
 *   set on the first round and a deltaLink for the next incremental (docs/graph-facts.md §5).
 * - Per-object reads (contained collections, relations) go through `$batch`, 20 per
 *   call (docs/graph-facts.md §5), with bounded concurrency.
 * - Properties Graph returns only on a single-object GET (`perObjectProperties`, e.g. a
 *   group's allowExternalSenders, docs/graph-facts.md §2) are read per object through `$batch`
 *   and merged before the object reaches the sink; at most a small window of objects
 *   waits, so memory stays flat.
 * - Directory extension attributes (`extension_<appId>_<name>`) are `$select`ed by name:
 *   applications and their extension properties are read before users and groups.
 * - Only ids are kept per type (for contained and relation reads); objects are never
 *   retained after the sink has them.
 * - A permission the app lacks, or a type the tenant does not have, becomes a warning
 *   naming the permission — never a crash, never a silently partial archive.
 */
import { readBrandingStreams, STREAM_TYPES } from './branding-streams.js';
import { readOverridesPages } from './user-flow-pages.js';
import { readAssignmentOrder } from './user-flow-order.js';
import { readFlowReferences } from './events-flow-navs.js';
import { catalog, instancePath, relationCatalog, typeForODataType } from '../catalog/index.js';
import { identitySyncArchiveId } from '../catalog/cross-tenant-sync.js';
import { GRAPH_ID_KEY, profileCardArchiveId } from '../catalog/people-settings.js';
import { archiveIdOf } from '../catalog/contained-ids.js';
import type { RelationDescriptor, ResourceDescriptor, ResourceType } from '../catalog/types.js';
import type { Clock } from '../clock.js';
import { VaultError } from '../errors.js';
import type { GraphClient } from '../graph/types.js';
import type { DirObject, Json, SnapshotWarning } from '../model.js';
import type { Reporter } from '../progress.js';
import type { SnapshotSink } from './sink.js';
import { forEachBatched, pageItems } from './batched.js';
import { directoryRoleAnnotator } from './directory-roles.js';
import { warningFor } from './read-warnings.js';
import type { ChangeReader, DeltaCapture } from './delta-read.js';
import { finishScoped, getOptional, scopedRead } from './contained-read.js';

export interface WalkOptions {
  graph: GraphClient;
  sink: SnapshotSink;
  reporter: Reporter;
  clock: Clock;
  /** Restrict to these types (and relations whose owner type is included). Default: all. */
  types?: readonly ResourceType[];
  /** Parallel `$batch` calls for per-object reads. */
  concurrency?: number;
  /** Progress phase name: 'backup' (default), or 'live' when reading a restore target. */
  phase?: string;
  /** Read relations (members, owners, manager, AU members). Default true. */
  relations?: boolean;
  /**
   * Stops the walk at the next safe point (between types, relations and `$batch` calls) by
   * throwing the signal's reason; give it to the GraphClient too to cut reads in flight.
   */
  signal?: AbortSignal;
  /** Collects each delta type's deltaLink and ids for the next incremental (backups set it). */
  capture?: DeltaCapture;
  /**
   * Incremental mode (docs/archive-format.md §12): delta types with a stored link are read as
   * changes, their relations only for the changed objects; the modes go to the manifest.
   */
  changes?: ChangeReader;
}

export interface WalkSummary {
  counts: Record<string, number>;
  warnings: number;
  /** Warnings for facts the tenant holds and the archive lacks (all but NOT_AVAILABLE). */
  incomplete: number;
  elapsedMs: number;
}

/** Graph keys that are response metadata, not object state. */
const METADATA_KEYS = new Set(['@odata.context', '@odata.id', '@odata.etag', '@odata.editLink']);

/**
 * Takes a complete snapshot.
 * @throws VaultError GRAPH_AUTH / GRAPH_UNAVAILABLE when the tenant cannot be read at all.
 *   Per-type failures (403, a missing type) become sink warnings instead.
 */
export async function walkTenant(opts: WalkOptions): Promise<WalkSummary> {
  const started = opts.clock.now().getTime();
  const wanted = opts.types ? new Set(opts.types) : undefined;
  const idsByType = new Map<ResourceType, string[]>();
  const counts: Record<string, number> = {};
  let warnings = 0;
  let incomplete = 0;
  /** Types that could not be read at all, with their warning (their contained types are not read either). */
  const unread = new Map<string, Parameters<SnapshotSink['addWarning']>[0]>();
  const warn = (w: Parameters<SnapshotSink['addWarning']>[0]) => {
    warnings += 1;
    if (w.code !== 'NOT_AVAILABLE') incomplete += 1;
    opts.sink.addWarning(w);
    opts.reporter.report({ kind: 'warning', code: w.code, message: w.message });
  };

  /** Directory extension attribute names by target ('User', 'Group'), from the extension properties read. */
  const extensionNames = new Map<string, string[]>();
  const annotateRole = directoryRoleAnnotator(opts.graph);
  opts.reporter.report({ kind: 'phase', phase: opts.phase ?? 'backup', message: 'reading objects' });
  for (const d of walkOrder()) {
    if (wanted && !wanted.has(d.type)) continue;
    opts.signal?.throwIfAborted();
    const ids: string[] = [];
    const t0 = opts.clock.now().getTime();
    let n = 0;
    const enrich = perObjectReader(opts, d);
    const store = async (obj: DirObject) => {
      ids.push(obj.id);
      n += 1;
      if (typeof obj['@parentId'] === 'string') opts.capture?.child(d.type, obj['@parentId'], obj.id);
      await opts.sink.addObject(d.type, obj);
      if (n % 500 === 0) progress(opts, d.type, n, t0);
    };
    const emit = async (raw: unknown, parentId?: string) => {
      const obj = normalize(d, raw);
      if (!obj) return;
      if (d.type === 'extensionProperty') noteExtension(extensionNames, obj);
      // Graph's contained objects carry no parent id: record it, the restore needs it.
      if (parentId !== undefined) obj['@parentId'] = parentId;
      // an id Graph repeats under every parent is archived as <parentId>/<id> (src/catalog/contained-ids.ts)
      if (d.idScopedByParent && parentId !== undefined) obj.id = archiveIdOf(d, obj.id, parentId);
      // one identity synchronization policy per partner, and Graph gives it no id (src/catalog/cross-tenant-sync.ts)
      if (d.type === 'crossTenantIdentitySyncPolicyPartner' && parentId !== undefined) obj.id = identitySyncArchiveId(parentId);
      if (d.type === 'scopedRoleMembership') await annotateRole(obj);
      // company branding images and stylesheet, archived on the record (./branding-streams.ts)
      if (STREAM_TYPES.has(d.type) && parentId !== undefined) {
        for (const m of await readBrandingStreams(opts.graph, d.type, parentId, obj)) warn({ code: 'NOT_AVAILABLE', type: d.type, message: `${d.title}: ${m} not archived` });
      }
      // a user flow language's customized pages, archived on the record (./user-flow-pages.ts)
      if (d.type === 'userFlowLanguage' && parentId !== undefined) for (const m of await readOverridesPages(opts.graph, d, parentId, obj)) warn({ code: 'NOT_AVAILABLE', type: d.type, message: `${d.title}: ${m} not archived` });
      // a user flow's attribute order, archived on the record (./user-flow-order.ts)
      if (d.type === 'b2xUserFlow') for (const m of await readAssignmentOrder(opts.graph, obj)) warn({ code: 'NOT_AVAILABLE', type: d.type, message: `${d.title}: ${m}` });
      // a sign-up events flow's apps, identity providers and attributes, archived inline (./events-flow-navs.ts)
      if (d.type === 'authenticationEventsFlow') await readFlowReferences(opts.graph, obj);
      if (enrich) await enrich.add(obj, store);
      else await store(obj);
    };
    const inc = opts.changes?.covers(d.type) ? opts.changes : undefined;
    // incremental: a type contained in a delta type is read under the changed and audited parents only (./contained-read.ts)
    const parents = d.parentType ? idsByType.get(d.parentType) ?? [] : [];
    const scoped = inc ? undefined : scopedRead(opts.changes, d, parents);
    try {
      const extensions = extensionNames.get(EXTENSION_TARGET[d.type] ?? '') ?? [];
      if (inc) await inc.read(opts, d, selectQuery(d, extensions), (raw) => emit(raw));
      else await readType(opts, d, scoped ? new Map(idsByType).set(d.parentType!, scoped.parents) : idsByType, emit, extensions);
      if (enrich) {
        await enrich.flush(store);
        const w = enrich.warning();
        if (w) warn(w);
      }
    } catch (e) {
      const w = warningFor(e, d.type, d.permissions.read, d.title);
      if (!w) throw e;
      warn(w);
      unread.set(d.type, w);
    }
    // A contained type whose parents could not be read was not read either: say so, never silently.
    const parentMissed = d.parentType ? unread.get(d.parentType) : undefined;
    if (parentMissed && !unread.has(d.type)) {
      const w = { ...parentMissed, type: d.type, message: `${d.title}: not read, because ${parentMissed.message}` };
      warn(w);
      unread.set(d.type, w);
    }
    // incremental: every id of the type (stored ids − removed + changed), for contained reads
    const all = scoped && !unread.has(d.type) ? await finishScoped(opts.changes!, scoped, parents) : undefined;
    idsByType.set(d.type, all ?? (inc ? opts.capture?.ids[d.type] ?? ids : ids));
    if (!inc && d.delta && opts.capture?.links[d.type] !== undefined) opts.capture.ids[d.type] = [...ids].sort();
    if (!unread.has(d.type)) opts.changes?.setMode('objects', d.type, inc || scoped ? 'delta' : 'replace');
    counts[`objects/${d.type}`] = n;
    progress(opts, d.type, n, t0, true);
  }

  if (opts.relations !== false) await readRelations(opts, wanted, idsByType, counts, warn);
  const elapsedMs = opts.clock.now().getTime() - started;
  return { counts, warnings, incomplete, elapsedMs };
}

/**
 * Every relation kind of the wanted types. Incremental: a kind whose owner type was read as
 * changes is read for the changed owners only, each reset first (`resets/<kind>`); group
 * members come from `members@delta` instead (delta-read.ts).
 */
async function readRelations(
  opts: WalkOptions,
  wanted: Set<ResourceType> | undefined,
  idsByType: Map<ResourceType, string[]>,
  counts: Record<string, number>,
  warn: (w: SnapshotWarning) => void,
): Promise<void> {
  opts.reporter.report({ kind: 'phase', phase: opts.phase ?? 'backup', message: 'reading relationships' });
  for (const r of relationCatalog) {
    if (wanted && !wanted.has(r.fromType)) continue;
    opts.signal?.throwIfAborted();
    const changed = opts.changes?.changedIds(r.fromType);
    if (changed && r.kind === 'groupMembers') {
      opts.changes!.setMode('relations', r.kind, 'delta');
      continue;
    }
    const t0 = opts.clock.now().getTime();
    let n = 0;
    try {
      for (const id of changed ?? []) await opts.changes!.reset(r.kind, id);
      n = await readRelation(opts, r, changed ?? idsByType.get(r.fromType) ?? [], t0);
      opts.changes?.setMode('relations', r.kind, changed ? 'delta' : 'replace');
    } catch (e) {
      const w = warningFor(e, r.kind, r.permissions.read, r.kind);
      if (!w) throw e;
      warn(w);
    }
    counts[`relations/${r.kind}`] = n;
    progress(opts, r.kind, n, t0, true);
  }
}

function progress(opts: WalkOptions, item: string, done: number, t0: number, final = false): void {
  const secs = Math.max(0.001, (opts.clock.now().getTime() - t0) / 1000);
  opts.reporter.report({
    kind: 'progress',
    phase: opts.phase ?? 'backup',
    item,
    done,
    ...(final ? { total: done } : {}),
    ratePerSec: done / secs,
  });
}

/** Relationships a delta round tracks only when `$select`ed (docs/graph-facts.md §5 "Delta"). */
const TRACKED_NAVS: Partial<Record<ResourceType, string>> = { group: ',members', user: ',manager' };
/** What those selections add to an item: relationship state, read by the relation reads instead. */
const NAV_KEYS = ['members@delta', 'manager@delta', 'members', 'manager'];

/** The `targetObjects` value naming each type that carries directory extension attributes. */
const EXTENSION_TARGET: Partial<Record<ResourceType, string>> = { user: 'User', group: 'Group' };

/**
 * The catalog order, except that applications and their extension properties come
 * before users and groups: a directory extension attribute (`extension_<appId>_<name>`)
 * is returned only when `$select`ed by name (docs/graph-facts.md §2: unselected properties are
 * not returned), so the names must be known before users and groups are listed.
 */
function walkOrder(): ResourceDescriptor[] {
  const early = new Set<ResourceType>(['application', 'extensionProperty']);
  const first = catalog.filter((d) => early.has(d.type));
  const firstIdx = catalog.findIndex((d) => d.type === 'user' || d.type === 'group');
  const rest = catalog.filter((d) => !early.has(d.type));
  return [...rest.slice(0, firstIdx), ...first, ...rest.slice(firstIdx)];
}

function noteExtension(names: Map<string, string[]>, obj: DirObject): void {
  const name = obj.name;
  const targets = obj.targetObjects;
  if (typeof name !== 'string' || !name.startsWith('extension_') || !Array.isArray(targets)) return;
  for (const t of targets) {
    if (typeof t !== 'string') continue;
    const list = names.get(t) ?? [];
    if (!list.includes(name)) list.push(name);
    names.set(t, list);
  }
}

/**
 * `$select` of every catalog property. Collections of several subtypes (named
 * locations, method configurations) are read without `$select`: Graph returns all of
 * a subtype's properties there, and may reject selecting a property of another subtype.
 */
export function selectQuery(d: ResourceDescriptor, extensions: readonly string[] = []): string {
  if (d.derivedEntityTypes && d.derivedEntityTypes.length > 0) return '';
  return `$select=${[...d.properties, ...extensions].join(',')}`;
}

async function readType(
  opts: WalkOptions,
  d: ResourceDescriptor,
  idsByType: Map<ResourceType, string[]>,
  emit: (raw: unknown, parentId?: string) => Promise<void>,
  extensions: readonly string[],
): Promise<void> {
  const g = opts.graph;
  if (d.shape === 'singleton') {
    if (d.path.includes('{parentId}')) {
      // a singleton under each parent, e.g. /organization/{id}/branding
      for (const pid of d.parentType ? idsByType.get(d.parentType) ?? [] : []) {
        const got = await getOptional(g, d, `${instancePath(d, pid)}?${selectQuery(d)}`);
        if (got !== undefined) await emit(got, pid);
      }
      return;
    }
    const got = await getOptional(g, d, `${d.path}?${selectQuery(d)}`);
    if (got !== undefined) await emit(got);
    return;
  }
  if (d.shape === 'collection') {
    if (d.delta) {
      // a backup's round selects `members` (groups) and `manager` (users) so that its deltaLink
      // tracks those relationships (docs/graph-facts.md §5 "Delta", [S69]) for the next incremental
      const members = opts.capture ? TRACKED_NAVS[d.type] ?? '' : '';
      for await (const page of g.delta<Record<string, Json>>(`${d.path}/delta?${selectQuery(d, extensions)}${members}`)) {
        for (const item of page.items) {
          if (item && typeof item === 'object' && '@removed' in item) continue;
          if (members) for (const k of NAV_KEYS) delete item[k];
          await emit(item);
        }
        if (page.deltaLink) opts.capture?.link(d.type, page.deltaLink);
      }
      return;
    }
    // Some lists are refused without their scoping query (catalog `listQuery`: the PIM policies).
    const query = [d.listQuery, selectQuery(d, extensions)].filter((q) => q).join('&');
    for await (const item of g.list(`${d.path}?${query}`)) await emit(item);
    return;
  }
  // contained: one collection per parent, read through $batch
  const parents = d.parentType ? idsByType.get(d.parentType) ?? [] : [];
  if (d.parentExpand) return readExpandedOnParent(opts, d, parents, emit);
  // A contained list Graph scopes by a filter on its parent (catalog `listQuery` with {parentId}: PIM for Groups).
  const scoped = (pid: string): string => [d.listQuery?.replace('{parentId}', pid).replace(/ /g, '%20'), selectQuery(d)].filter((q) => q).join('&');
  await forEachBatched(opts, parents, (pid) => `${d.path.replace('{parentId}', encodeURIComponent(pid))}?${scoped(pid)}`,
    async (pid, body) => {
      for await (const item of pageItems(g, body)) await emit(item, pid);
    });
}

/**
 * A contained type read as an expansion of each parent's GET, through `$batch` (catalog
 * `parentExpand`: access package resource role scopes, docs/graph-facts.md §3, S225).
 */
async function readExpandedOnParent(opts: WalkOptions, d: ResourceDescriptor, parents: string[], emit: (raw: unknown, parentId?: string) => Promise<void>): Promise<void> {
  const cut = d.path.lastIndexOf('/');
  const parentPath = d.path.slice(0, cut);
  const nav = d.path.slice(cut + 1);
  await forEachBatched(opts, parents, (pid) => `${parentPath.replace('{parentId}', encodeURIComponent(pid))}?$select=id&$expand=${d.parentExpand!}`,
    async (pid, body) => {
      const parent = body as Record<string, unknown> | undefined;
      const items = parent?.[nav];
      if (!Array.isArray(items)) throw new VaultError('GRAPH_BAD_RESPONSE', `Graph returned a ${d.parentType ?? 'parent'} without its expanded ${nav}`);
      for (const item of items) await emit(item, pid);
      const next = parent?.[`${nav}@odata.nextLink`];
      if (typeof next === 'string') for await (const item of opts.graph.list(next)) await emit(item, pid);
    });
}

async function readRelation(opts: WalkOptions, r: RelationDescriptor, fromIds: string[], t0: number): Promise<number> {
  let n = 0;
  const add = async (from: string, raw: unknown) => {
    if (!raw || typeof raw !== 'object') return;
    const o = raw as Record<string, unknown>;
    const to = typeof o.id === 'string' ? o.id : undefined;
    if (!to) throw new VaultError('GRAPH_BAD_RESPONSE', `Graph returned a ${r.kind} entry without an id`);
    const odataType = typeof o['@odata.type'] === 'string' ? (o['@odata.type'] as string) : undefined;
    const toType = (odataType && typeForODataType(odataType)) || r.targets[0];
    if (!toType) return;
    n += 1;
    await opts.sink.addRelation({ kind: r.kind, from, to, toType });
    if (n % 1000 === 0) progress(opts, r.kind, n, t0);
  };
  await forEachBatched(opts, fromIds, (id) => `${r.path.replace('{id}', encodeURIComponent(id))}?$select=id`,
    async (from, body, status) => {
      if (r.singleValued) {
        if (status === 404) return; // no manager
        await add(from, body);
        return;
      }
      for await (const item of pageItems(opts.graph, body)) await add(from, item);
    }, r.singleValued);
  return n;
}

/** Objects held at most while their per-object properties are read: memory stays flat. */
const PER_OBJECT_WINDOW = 20 * 8;

interface PerObjectReader {
  add(obj: DirObject, store: (o: DirObject) => Promise<void>): Promise<void>;
  flush(store: (o: DirObject) => Promise<void>): Promise<void>;
  /** One warning for the objects whose per-object read failed (undefined: none failed). */
  warning(): SnapshotWarning | undefined;
}

/**
 * Reads `perObjectProperties` — properties Graph returns only on a single-object GET,
 * never on a list even when selected (docs/graph-facts.md §2) — through `$batch` GETs of
 * `/{type}/{id}?$select=…`, merging them into each listed object before it reaches the
 * sink. At most PER_OBJECT_WINDOW objects wait at a time. An object whose read is
 * refused (403/404/400: e.g. a user without a mailbox or SharePoint site) keeps its
 * list properties and is counted in one READ_FAILED warning, never silently.
 */
function perObjectReader(opts: WalkOptions, d: ResourceDescriptor): PerObjectReader | undefined {
  const extra = d.perObjectProperties ?? [];
  if (extra.length === 0 || d.shape !== 'collection') return undefined;
  // A lifecycle workflow's tasks come expanded by default on its own GET, and only without
  // `$select` (docs/graph-facts.md §3 "Access reviews and lifecycle workflows"): such a type
  // is read whole, and its inline navigations are merged too.
  const inline = d.inlineNavigation ?? [];
  const merged = [...extra, ...inline];
  const navs = d.navigationReads ?? [];
  const pending: DirObject[] = [];
  let failed = 0;
  let firstFailure = '';
  const flush = async (store: (o: DirObject) => Promise<void>) => {
    if (pending.length === 0) return;
    const batch = pending.splice(0, pending.length);
    const byId = new Map(batch.map((o) => [o.id, o]));
    await forEachBatched(
      opts,
      batch.map((o) => o.id),
      (id) => (inline.length > 0 ? `${d.path}/${encodeURIComponent(id)}` : `${d.path}/${encodeURIComponent(id)}?$select=${extra.join(',')}`),
      async (id, body) => {
        const obj = byId.get(id)!;
        const got = body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, Json>) : {};
        for (const p of merged) if (p in got) obj[p] = got[p]!;
      },
      false,
      async (_id, _status, message) => {
        failed += 1;
        if (!firstFailure) firstFailure = message;
      },
    );
    for (const nav of navs) await readNavigation(opts, d, nav, byId, (message) => { failed += 1; if (!firstFailure) firstFailure = message; });
    for (const o of batch) await store(o);
  };
  return {
    add: async (obj, store) => {
      pending.push(obj);
      if (pending.length >= PER_OBJECT_WINDOW) await flush(store);
    },
    flush,
    warning: () =>
      failed === 0
        ? undefined
        : {
            code: 'READ_FAILED',
            type: d.type,
            permission: d.permissions.read,
            message: `${d.title}: ${extra.join(', ')} not read for ${failed} object(s) (${firstFailure})`,
          },
  };
}

/**
 * One `navigationReads` navigation of each object (`{path}/{id}/{nav}?$select=id`, S272), kept
 * as `[{ '@odata.type', id }]`: the shape Graph takes back in a create body. A refused read is
 * counted like a refused per-object read, never silently.
 */
async function readNavigation(opts: WalkOptions, d: ResourceDescriptor, nav: string, byId: Map<string, DirObject>, refused: (message: string) => void): Promise<void> {
  await forEachBatched(
    opts,
    [...byId.keys()],
    (id) => `${d.path}/${encodeURIComponent(id)}/${nav}?$select=id`,
    async (id, body) => {
      const out: Json[] = [];
      for await (const x of pageItems(opts.graph, body)) {
        const o = x as Record<string, Json>;
        if (typeof o['id'] === 'string') out.push({ '@odata.type': typeof o['@odata.type'] === 'string' ? o['@odata.type'] : '#microsoft.graph.directoryObject', id: o['id'] });
      }
      byId.get(id)![nav] = out;
    },
    false,
    async (_id, _status, message) => refused(message),
  );
}

/** Drops response metadata, keeps `@odata.type`; gives keyless singletons a stable id. */
export function normalize(d: ResourceDescriptor, raw: unknown): DirObject | undefined {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new VaultError('GRAPH_BAD_RESPONSE', `Graph returned a malformed ${d.title} object`);
  }
  const out: Record<string, Json> = {};
  for (const [k, v] of Object.entries(raw as Record<string, Json>)) {
    if (METADATA_KEYS.has(k) || v === undefined) continue;
    // an expanded navigation's own metadata (`rules@odata.context`) is not object state
    if (/.@odata\.(context|nextLink|count)$/.test(k)) continue;
    out[k] = v;
  }
  // the default branding, listed among the localizations as id "0", is the organizationalBranding
  // singleton, archived on its own (docs/graph-facts.md S198)
  if (d.type === 'organizationalBrandingLocalization' && out.id === '0') return undefined;
  // addressed by its sourceId in every documented URL, never by its GUID (src/catalog/people-settings.ts)
  // its GUID id is kept as `@graphId`: a precedence may name it in the form `…/profileSources/{id}` (src/restore/plan/profile-sources.ts)
  if (d.type === 'profileSource' && typeof out.sourceId === 'string') {
    if (typeof out.id === 'string' && out.id !== '' && out.id !== out.sourceId) out[GRAPH_ID_KEY] = out.id;
    out.id = out.sourceId;
  }
  if (typeof out.id !== 'string' || out.id === '') {
    if (d.type === 'crossTenantAccessPolicyPartner' && typeof out.tenantId === 'string') out.id = out.tenantId;
    // Graph's examples show a member tenant by its tenantId only (docs/graph-facts.md S261); never the partner's id
    else if (d.type === 'multiTenantOrganizationMember' && typeof out.tenantId === 'string') out.id = `multiTenantOrganizationMember:${out.tenantId}`;
    // keyed by directoryPropertyName, shown without an id (src/catalog/people-settings.ts)
    else if (d.type === 'profileCardProperty' && typeof out.directoryPropertyName === 'string') out.id = profileCardArchiveId(out.directoryPropertyName);
    else if (d.shape === 'singleton') out.id = d.type;
    else throw new VaultError('GRAPH_BAD_RESPONSE', `Graph returned a ${d.title} without an id`);
  }
  return out as DirObject;
}
