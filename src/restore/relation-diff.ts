/**
 * Relations after id mapping (docs/design.md "Restore"): each archived edge is present in the
 * target (`equal`) or not (`missing`), and each live edge no archived edge maps to is `extra`.
 *
 * `visitRelations` hands each edge's status to a callback instead of building a list: the final
 * verify of a 100k-user restore walks about 262,000 membership edges, and holding a status
 * object and a joined key string per edge cost tens of MiB at the restore's memory peak (issue
 * 17 item 1). The live edges are indexed by kind, then source, then target, so no key string is
 * made per edge. Pure: no I/O.
 */
import type { RelationKind, ResourceType } from '../catalog/types.js';
import type { PlannerCatalog } from './catalog.js';
import type { Relation, TenantData } from '../model.js';
import { cmp } from './json.js';
import { memMarkEvery } from '../mem-probe.js';
import type { LiveState, RelationDiff } from './types.js';

/**
 * kind → from → its one `to`, or the set of them. Most sources have one edge of a kind (a user's
 * manager, an object's one owner): a set for each was about 14 MiB of the final verify's peak at
 * 100k users (issue 17 item 1).
 */
type EdgeIndex = Map<RelationKind, Map<string, string | Set<string>>>;

function add(ix: EdgeIndex, kind: RelationKind, from: string, to: string): void {
  let byFrom = ix.get(kind);
  if (!byFrom) ix.set(kind, (byFrom = new Map()));
  const tos = byFrom.get(from);
  if (tos === undefined) byFrom.set(from, to);
  else if (typeof tos === 'string') {
    if (tos !== to) byFrom.set(from, new Set([tos, to]));
  } else tos.add(to);
}

function has(ix: EdgeIndex, kind: RelationKind, from: string, to: string): boolean {
  const tos = ix.get(kind)?.get(from);
  return tos === to || (tos instanceof Set && tos.has(to));
}

/** Removes the edge from `ix`; true when it was there. A source left without targets goes. */
function remove(ix: EdgeIndex, kind: RelationKind, from: string, to: string): boolean {
  const byFrom = ix.get(kind);
  const tos = byFrom?.get(from);
  if (tos === to) {
    byFrom?.delete(from);
    return true;
  }
  if (!(tos instanceof Set) || !tos.delete(to)) return false;
  if (tos.size === 1) byFrom?.set(from, tos.values().next().value as string);
  return true;
}

/**
 * One kind's edges as three columns instead of an object each (`columnEdges`): at 100k users the
 * final verify held about 1,045,000 edges (the archive's and the target's), about 56 bytes of
 * object each plus the list's slot, where the columns take 24 bytes (issue 17 item 1).
 */
export class EdgeColumns {
  readonly from: string[] = [];
  readonly to: string[] = [];
  readonly toType: ResourceType[] = [];
  constructor(readonly kind: RelationKind) {}

  push(e: Relation): void {
    this.from.push(e.from);
    this.to.push(e.to);
    this.toType.push(e.toType);
  }

  get length(): number {
    return this.from.length;
  }

  /** Edge `i` as a new object. */
  edge(i: number): Relation {
    return { from: this.from[i] as string, kind: this.kind, to: this.to[i] as string, toType: this.toType[i] as ResourceType };
  }
}

/** Each kind's edges: as read (a list of objects) or as columns. */
export type EdgeLists = Partial<Record<RelationKind, readonly Relation[] | EdgeColumns>>;

/**
 * Moves every kind's edges of `data` into columns, kind by kind, deleting each list from `data`
 * once moved: its edge objects are then garbage (the verify hands its copies over, ./fidelity.ts
 * `release`). Returns the columns.
 */
export function columnEdges(data: { relations: Partial<Record<RelationKind, Relation[]>> }): EdgeLists {
  const out: EdgeLists = {};
  for (const kind of Object.keys(data.relations) as RelationKind[]) {
    out[kind] = edgeColumnsOf(kind, data.relations[kind] ?? []);
    delete data.relations[kind];
  }
  return out;
}

/** `kind`'s edges `edges` as columns, read once in their order. */
export function edgeColumnsOf(kind: RelationKind, edges: Iterable<Relation>): EdgeColumns {
  const cols = new EdgeColumns(kind);
  for (const e of edges) cols.push(e);
  return cols;
}

function fromAt(l: readonly Relation[] | EdgeColumns, i: number): string {
  return l instanceof EdgeColumns ? (l.from[i] as string) : (l[i] as Relation).from;
}

function toAt(l: readonly Relation[] | EdgeColumns, i: number): string {
  return l instanceof EdgeColumns ? (l.to[i] as string) : (l[i] as Relation).to;
}

function edgeAt(l: readonly Relation[] | EdgeColumns, i: number): Relation {
  return l instanceof EdgeColumns ? l.edge(i) : (l[i] as Relation);
}

/** The positions of `l`'s edges by from, then to (a stable sort: equal edges keep their order). */
function byEnds(l: readonly Relation[] | EdgeColumns): Uint32Array {
  const order = new Uint32Array(l.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  return order.sort((a, b) => cmp(fromAt(l, a), fromAt(l, b)) || cmp(toAt(l, a), toAt(l, b)) || a - b);
}

/** Archived edges walked between two memory marks (`visitRelations` `mark`): six at 100k users, none at 10k. */
const EDGES_PER_MARK = 100_000;

/** The relation kinds either side holds. */
function kindsIn(archive: { relations: EdgeLists }, live: { relations: EdgeLists }): Set<RelationKind> {
  return new Set<RelationKind>([...(Object.keys(archive.relations) as RelationKind[]), ...(Object.keys(live.relations) as RelationKind[])]);
}

/**
 * Calls `visit` for every archived edge (kinds in name order, edges by from then to) with
 * `equal` or `missing`, then for every live edge no archived edge mapped to, with `extra`, in
 * the same order. `idMap` maps archived ids to live ids (an id it lacks is taken as is);
 * `kinds` narrows the kinds visited. Never throws on data.
 *
 * The walk goes kind by kind: one kind's live edges are indexed, its archived edges walked, and
 * its extras noted (their positions) before the next kind is indexed, so only one kind's index is
 * held at a time (at 100k users the final verify held every kind's at once, with the walk's
 * deviations growing beside them, where its memory peaked; issue 17 item 1). With `release`, the
 * caller hands both sides' edges over: each kind's lists are deleted from `archive.relations` and
 * `live.relations` once walked, and its extras are kept as objects until they are visited; without
 * it the inputs are never mutated. With `mark`, a memory mark of that label every EDGES_PER_MARK
 * archived edges walked (src/mem-probe.ts: a full collection in the CLI).
 */
export function visitRelations(
  archive: { relations: EdgeLists },
  live: { relations: EdgeLists },
  idMap: ReadonlyMap<string, string>,
  kinds: ReadonlySet<RelationKind> | undefined,
  visit: (kind: RelationKind, status: RelationDiff['status'], edge: Relation) => void,
  opts: { release?: boolean; mark?: string } = {},
): void {
  // at 100k users the final verify's walk of 640,000 edges left the garbage that set its peak (421 MiB;
  // with a mark every 100,000, 410 at the first and 392–401 after: docs/design.md "Session 42")
  const tick = opts.mark === undefined ? undefined : memMarkEvery(opts.mark, EDGES_PER_MARK);
  const sortedKinds = [...kindsIn(archive, live)].filter((k) => !kinds || kinds.has(k)).sort(cmp);
  const extras: { kind: RelationKind; edges: Relation[] | { list: readonly Relation[] | EdgeColumns; at: number[] } }[] = [];
  for (const kind of sortedKinds) {
    const l = live.relations[kind] ?? [];
    const liveEdges: EdgeIndex = new Map();
    for (let i = 0; i < l.length; i++) add(liveEdges, kind, fromAt(l, i), toAt(l, i));
    // a live edge an archived one maps to moves from `liveEdges` to `seen`, so the two together hold
    // each live edge once (not every live edge, then again each one matched: at 100k users 405,000
    // edges twice at the end of the final verify's comparison, issue 17 item 1); what is left in
    // `liveEdges` at the end is what no archived edge maps to
    const seen: EdgeIndex = new Map();
    const a = archive.relations[kind] ?? [];
    for (const i of byEnds(a)) {
      const e = edgeAt(a, i);
      const from = idMap.get(e.from) ?? e.from;
      const to = idMap.get(e.to) ?? e.to;
      const present = remove(liveEdges, kind, from, to) ? (add(seen, kind, from, to), true) : has(seen, kind, from, to);
      visit(kind, present ? 'equal' : 'missing', e);
      tick?.();
    }
    const at: number[] = [];
    for (const i of byEnds(l)) if (has(liveEdges, kind, fromAt(l, i), toAt(l, i))) at.push(i);
    if (opts.release) {
      extras.push({ kind, edges: at.map((i) => edgeAt(l, i)) });
      delete archive.relations[kind];
      delete live.relations[kind];
    } else extras.push({ kind, edges: { list: l, at } });
  }
  for (const { kind, edges } of extras) {
    if (Array.isArray(edges)) for (const e of edges) visit(kind, 'extra', e);
    else for (const i of edges.at) visit(kind, 'extra', edgeAt(edges.list, i));
  }
}

/** The same walk as a list (the diff command and the planner's callers read it whole). */
export function diffRelationList(archive: TenantData, live: LiveState, idMap: ReadonlyMap<string, string>, kinds?: ReadonlySet<RelationKind>): RelationDiff[] {
  const out: RelationDiff[] = [];
  visitRelations(archive, live, idMap, kinds, (kind, status, edge) => out.push({ kind, status, edge }));
  return out;
}

/** The relation kinds whose source type is one of `types` (a diff narrowed to some types). */
export function relationKindsFrom(catalog: Pick<PlannerCatalog, 'relation'>, archive: { relations: EdgeLists }, live: { relations: EdgeLists }, types: ReadonlySet<ResourceType>): Set<RelationKind> {
  const kinds = new Set<RelationKind>();
  for (const k of kindsIn(archive, live)) {
    const from = catalog.relation(k)?.fromType;
    if (from && types.has(from)) kinds.add(k);
  }
  return kinds;
}
