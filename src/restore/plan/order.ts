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

/** Sort key within a tier: catalog type index, then a stable id (archived id or edge). */
export type OpKey = (op: Operation) => { typeIndex: number; sortId: string };

/**
 * Break a cycle: given a create op and the deps to cut, return the op without them plus
 * a follow-up op carrying the cut references; undefined when it cannot be split.
 */
export type OpSplitter = (op: Operation, cut: Set<string>) => Operation[] | undefined;

class Heap<T> {
  private readonly items: T[] = [];
  constructor(private readonly less: (a: T, b: T) => boolean) {}
  get size(): number {
    return this.items.length;
  }
  push(x: T): void {
    const a = this.items;
    a.push(x);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(a[i] as T, a[p] as T)) break;
      [a[i], a[p]] = [a[p] as T, a[i] as T];
      i = p;
    }
  }
  pop(): T | undefined {
    const a = this.items;
    if (a.length === 0) return undefined;
    const top = a[0] as T;
    const last = a.pop() as T;
    if (a.length > 0) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && this.less(a[l] as T, a[m] as T)) m = l;
        if (r < a.length && this.less(a[r] as T, a[m] as T)) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m] as T, a[i] as T];
        i = m;
      }
    }
    return top;
  }
}

/**
 * Kahn's algorithm; returns the order and the ops left over (non-empty only on a cycle).
 * `prio` gives each op a number, lower first, computed once per op: a comparator of keys ran
 * for every heap step and took 9 s of a 100k-user plan (issue 17 item 2).
 */
function kahn(ops: Operation[], prio: (o: Operation) => number): { order: Operation[]; rest: Operation[] } {
  const byId = new Map(ops.map((o) => [o.opId, o]));
  const indeg = new Map<string, number>();
  const dependants = new Map<string, string[]>();
  for (const o of ops) {
    indeg.set(o.opId, o.dependsOn.length);
    for (const d of o.dependsOn) {
      if (!byId.has(d)) throw new Error(`planner bug: ${o.opId} depends on unknown op ${d}`);
      const list = dependants.get(d);
      if (list) list.push(o.opId);
      else dependants.set(d, [o.opId]);
    }
  }
  const heap = new Heap<{ p: number; o: Operation }>((a, b) => a.p < b.p);
  for (const o of ops) if (indeg.get(o.opId) === 0) heap.push({ p: prio(o), o });
  const order: Operation[] = [];
  for (let e = heap.pop(); e; e = heap.pop()) {
    const o = e.o;
    order.push(o);
    for (const d of dependants.get(o.opId) ?? []) {
      const n = (indeg.get(d) as number) - 1;
      indeg.set(d, n);
      if (n === 0) {
        const x = byId.get(d) as Operation;
        heap.push({ p: prio(x), o: x });
      }
    }
  }
  const done = new Set(order.map((o) => o.opId));
  return { order, rest: ops.filter((o) => !done.has(o.opId)) };
}

/**
 * Sort `ops` topologically with a stable priority, raising tiers where needed and
 * splitting cycles. Throws a plain Error (a planner bug) only if a cycle cannot be
 * split; never mutates ops it does not return.
 */
export function orderOperations(input: Operation[], key: OpKey, split: OpSplitter): Operation[] {
  let ops = [...input];
  // Keys are computed once per op object (comparisons run O(n log n) times).
  const memo = new WeakMap<Operation, { typeIndex: number; sortId: string }>();
  const keyOf = (o: Operation): { typeIndex: number; sortId: string } => {
    let k = memo.get(o);
    if (!k) memo.set(o, (k = key(o)));
    return k;
  };
  const baseLess = (a: Operation, b: Operation): boolean => {
    const ka = keyOf(a);
    const kb = keyOf(b);
    if (ka.typeIndex !== kb.typeIndex) return ka.typeIndex < kb.typeIndex;
    const c = cmp(ka.sortId, kb.sortId);
    if (c !== 0) return c < 0;
    return a.opId < b.opId;
  };
  // baseLess as a number per opId (opIds are unique): its position in one sort by baseLess
  const rankOf = (xs: Operation[]): Map<string, number> =>
    new Map([...xs].sort((a, b) => (baseLess(a, b) ? -1 : baseLess(b, a) ? 1 : 0)).map((o, i) => [o.opId, i]));
  // 1. Break cycles until the graph is acyclic.
  for (let guard = 0; ; guard++) {
    const rank = rankOf(ops);
    const { order, rest } = kahn(ops, (o) => rank.get(o.opId) as number);
    if (rest.length === 0) {
      ops = order;
      break;
    }
    const restIds = new Set(rest.map((o) => o.opId));
    const sortedRest = [...rest].sort((a, b) => (baseLess(a, b) ? -1 : baseLess(b, a) ? 1 : 0));
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
  // 2. Raise tiers: nothing runs in a lower tier than an op it waits for.
  const tier = new Map<string, RestoreTier>();
  const raised = ops.map((o) => {
    let t = o.tier;
    for (const d of o.dependsOn) t = Math.max(t, tier.get(d) as RestoreTier) as RestoreTier;
    tier.set(o.opId, t);
    return t === o.tier ? o : { ...o, tier: t };
  });
  // 3. Final stable order by (tier, type, id): the tier above the rank (tiers are 0–5).
  const rank = rankOf(ops);
  const { order, rest } = kahn(raised, (o) => o.tier * (rank.size + 1) + (rank.get(o.opId) as number));
  if (rest.length) throw new Error('planner bug: cycle after splitting');
  return order;
}
