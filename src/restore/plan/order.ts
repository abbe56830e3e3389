/**
 * Ordering of plan operations: a stable topological sort (Kahn's algorithm with a
 * priority queue keyed by tier, catalog type order, archived id, opId), tiers raised so
 * that nothing sits in a lower tier than what it waits for, and dependency cycles
 * (app A needs app B's appId and B needs A's) broken by moving the cyclic references
 * into a follow-up update. Pure.
 */
import type { RestoreTier } from '../../catalog/types.js';
import type { Operation } from '../types.js';
import { cmp } from '../json.js';
import { RankHeap } from '../rank-heap.js';

/**
 * Sort key within a tier: catalog type index, then a stable id (an archived id), or for an edge
 * its two ends, ordered as the string `${sortId}|${sortIdTail}` would be without making it (at
 * 100k users that string was made, and flattened by the comparisons, for each of 250,000 edges:
 * the sort's heap in use peaked about 20 MiB higher, `node --trace-gc`; issue 17 item 1).
 */
export type OpKey = (op: Operation) => { typeIndex: number; sortId: string; sortIdTail?: string };

/**
 * Break a cycle: given a create op and the deps to cut, return the op without them plus
 * a follow-up op carrying the cut references; undefined when it cannot be split.
 */
export type OpSplitter = (op: Operation, cut: Set<string>) => Operation[] | undefined;

/**
 * The index in `ops` of each op another one depends on, by opId (opIds are unique). Only those:
 * on the 100k bench tenant 85,162 of 345,747 operations (no membership edge is waited for), and a map
 * of every opId was 13.9 MiB of the sort's garbage (issue 17 item 1).
 */
function indexOfDependedOn(ops: Operation[]): Map<string, number> {
  const wanted = new Set<string>();
  for (const o of ops) for (const d of o.dependsOn) wanted.add(d);
  const index = new Map<string, number>();
  for (let i = 0; i < ops.length; i++) {
    const id = (ops[i] as Operation).opId;
    if (wanted.has(id)) index.set(id, i);
  }
  return index;
}

/** Each op's dependencies as op indices: op i's are `deps[start[i] .. start[i + 1])`. */
interface DepGraph {
  start: Int32Array;
  deps: Int32Array;
}

/**
 * The dependencies by index. The map of opIds it needs (indexOfDependedOn) is let go of before
 * the sort's own arrays are made, instead of living through both of Kahn's passes.
 * @throws Error on a dependency on an unknown op (a planner bug)
 */
function depGraph(ops: Operation[]): DepGraph {
  const index = indexOfDependedOn(ops);
  const n = ops.length;
  const start = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) start[i + 1] = (start[i] as number) + (ops[i] as Operation).dependsOn.length;
  const deps = new Int32Array(start[n] as number);
  let k = 0;
  for (const o of ops) {
    for (const d of o.dependsOn) {
      const j = index.get(d);
      if (j === undefined) throw new Error(`planner bug: ${o.opId} depends on unknown op ${d}`);
      deps[k++] = j;
    }
  }
  return { start, deps };
}

/** Who waits for each op: op j's are `waiting[start[j] .. start[j + 1])`, by index as the ops come. */
interface Waiters {
  start: Int32Array;
  waiting: Int32Array;
}

/** The dependencies reversed (Waiters): made once per graph, read by both of Kahn's passes. */
function waitersOf(n: number, g: DepGraph): Waiters {
  const start = new Int32Array(n + 1);
  for (let e = 0; e < g.deps.length; e++) start[(g.deps[e] as number) + 1]++;
  for (let j = 0; j < n; j++) (start[j + 1] as number) += start[j] as number;
  const waiting = new Int32Array(start[n] as number);
  const fill = start.slice(0, n);
  for (let i = 0; i < n; i++) for (let e = g.start[i] as number; e < (g.start[i + 1] as number); e++) waiting[fill[g.deps[e] as number]++] = i;
  return { start, waiting };
}

/**
 * Kahn's algorithm over op indices; returns the order (indices) and whether every op was
 * placed (false only on a cycle). `prio[i]` orders what is ready, lower first; priorities are
 * distinct, so the order does not depend on the order ops became ready. The bookkeeping is in
 * typed arrays indexed by op: at 100k users (about 350,000 operations) maps, heaps and lists of
 * objects keyed by opId made several hundred MiB of garbage in each sort, which set the
 * planner's peak (issue 17 item 1). The reversed graph (`w`) is the caller's, shared by both passes.
 */
function kahn(n: number, g: DepGraph, w: Waiters, prio: Int32Array): { order: Int32Array; placed: Uint8Array; complete: boolean } {
  // an op waits for as many as it lists (a repeated dependency counts twice, as it is waited for twice)
  const indeg = new Int32Array(n);
  for (let i = 0; i < n; i++) indeg[i] = (g.start[i + 1] as number) - (g.start[i] as number);
  const heap = new RankHeap<number>();
  for (let i = 0; i < n; i++) if (indeg[i] === 0) heap.push(i, prio[i] as number);
  const order = new Int32Array(n);
  const placed = new Uint8Array(n);
  let k = 0;
  for (let i = heap.pop(); i !== undefined; i = heap.pop()) {
    order[k++] = i;
    placed[i] = 1;
    for (let x = w.start[i] as number; x < (w.start[i + 1] as number); x++) {
      const d = w.waiting[x] as number;
      if (--indeg[d] === 0) heap.push(d, prio[d] as number);
    }
  }
  return { order: order.subarray(0, k), placed, complete: k === n };
}

/**
 * Sort `ops` topologically with a stable priority, raising tiers where needed and
 * splitting cycles. Throws a plain Error (a planner bug) only if a cycle cannot be
 * split; never mutates ops it does not return.
 */
export function orderOperations(input: Operation[], key: OpKey, split: OpSplitter): Operation[] {
  let ops = [...input];
  // 1. Break cycles until the graph is acyclic.
  for (let guard = 0; ; guard++) {
    const g = depGraph(ops);
    const w = waitersOf(ops.length, g);
    const rank = ranks(ops, key);
    const { order, placed, complete } = kahn(ops.length, g, w, rank);
    if (complete) return raiseAndOrder(ops, g, w, rank, order);
    const rest = ops.filter((_, i) => placed[i] === 0);
    const restIds = new Set(rest.map((o) => o.opId));
    const restRank = new Map(ops.flatMap((o, i) => (placed[i] === 0 ? [[o, rank[i] as number] as const] : [])));
    const sortedRest = [...rest].sort((a, b) => (restRank.get(a) as number) - (restRank.get(b) as number));
    let replaced = false;
    for (const o of sortedRest) {
      if (o.kind !== 'create') continue;
      const cut = new Set(o.dependsOn.filter((d) => restIds.has(d)));
      const parts = cut.size ? split(o, cut) : undefined;
      if (!parts) continue;
      ops = ops.flatMap((x) => (x.opId === o.opId ? parts : [x]));
      replaced = true;
      break;
    }
    if (!replaced || guard > input.length) {
      throw new Error(`planner bug: unbreakable dependency cycle among ${[...restIds].sort(cmp).slice(0, 5).join(', ')}`);
    }
  }
}

/**
 * Steps 2 and 3 of `orderOperations` on an acyclic `ops` (indices as in `g`, `w`, `rank` and the
 * topological `order`): tiers raised so nothing runs in a lower tier than an op it waits for,
 * then the final stable order by (tier, type, id), the tier above the rank (tiers are 0–5).
 */
function raiseAndOrder(ops: Operation[], g: DepGraph, w: Waiters, rank: Int32Array, order: Int32Array): Operation[] {
  const n = ops.length;
  const tier = new Int8Array(n);
  // in topological order, an op's dependencies have their tiers before it
  for (let k = 0; k < n; k++) {
    const i = order[k] as number;
    const o = ops[i] as Operation;
    let t: number = o.tier;
    for (let e = g.start[i] as number; e < (g.start[i + 1] as number); e++) t = Math.max(t, tier[g.deps[e] as number] as number);
    tier[i] = t;
  }
  const raised = ops.map((o, i) => (tier[i] === o.tier ? o : { ...o, tier: tier[i] as RestoreTier }));
  // at most 5 × (n + 1) + n: an Int32 for any plan under 350 million operations
  const prio = new Int32Array(n);
  for (let i = 0; i < n; i++) prio[i] = (tier[i] as number) * (n + 1) + (rank[i] as number);
  const final = kahn(n, g, w, prio);
  if (!final.complete) throw new Error('planner bug: cycle after splitting');
  const out: Operation[] = new Array<Operation>(n);
  for (let k = 0; k < n; k++) out[k] = raised[final.order[k] as number] as Operation;
  return out;
}

/**
 * Each op's position in one sort of `ops` by (catalog type index, sort id, opId): a number per
 * op, computed with the keys held in arrays, so the sort compares numbers and strings only.
 */
function ranks(ops: Operation[], key: OpKey): Int32Array {
  const n = ops.length;
  const typeIndex = new Int32Array(n);
  const sortId: string[] = new Array<string>(n);
  const tail: (string | undefined)[] = new Array<string | undefined>(n);
  for (let i = 0; i < n; i++) {
    const k = key(ops[i] as Operation);
    typeIndex[i] = k.typeIndex;
    sortId[i] = k.sortId;
    tail[i] = k.sortIdTail;
  }
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  idx.sort((a, b) => {
    const t = (typeIndex[a] as number) - (typeIndex[b] as number);
    if (t !== 0) return t;
    const c = cmpKeys(sortId[a] as string, tail[a], sortId[b] as string, tail[b]);
    if (c !== 0) return c;
    return cmp((ops[a] as Operation).opId, (ops[b] as Operation).opId);
  });
  const rank = new Int32Array(n);
  for (let r = 0; r < n; r++) rank[idx[r] as number] = r;
  return rank;
}

/** The key string of `id` and `tail` (OpKey): `${id}|${tail}`, or `id` alone. */
function keyString(id: string, tail: string | undefined): string {
  return tail === undefined ? id : `${id}|${tail}`;
}

/**
 * cmp of the two key strings (`keyString`), without making them when the ids tell: equal ids
 * leave the order to the tails, ids differing before either ends to the ids. Only when one id is
 * a prefix of the other does the order depend on the '|' and what follows, and then the strings
 * are made.
 */
export function cmpKeys(a: string, aTail: string | undefined, b: string, bTail: string | undefined): number {
  if (a === b) return aTail === undefined || bTail === undefined ? cmp(keyString(a, aTail), keyString(b, bTail)) : cmp(aTail, bTail);
  if (!(a.startsWith(b) || b.startsWith(a))) return cmp(a, b);
  return cmp(keyString(a, aTail), keyString(b, bTail));
}
