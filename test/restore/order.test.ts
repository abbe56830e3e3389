/**
 * The planner's ordering (src/restore/plan/order.ts) against a reference written the plain way:
 * rank every op by (type index, sort id, opId); take, again and again, the lowest-ranked op
 * whose dependencies are placed; raise each op's tier to its dependencies' highest; then take,
 * again and again, the ready op lowest by (tier, rank). The product does the same on op indices
 * in typed arrays (issue 17 item 1); the order must be the same for any acyclic plan.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { RestoreTier } from '../../src/catalog/types.js';
import { cmpKeys, orderOperations, type OpKey } from '../../src/restore/plan/order.js';
import { cmp } from '../../src/restore/json.js';
import type { Operation } from '../../src/restore/types.js';

interface Spec {
  tier: number;
  typeIndex: number;
  sortId: string;
  /** an edge's second end (OpKey sortIdTail) */
  tail?: string;
  deps: number[];
}

/** Ops `o0`…: each may depend on ops before it in the list (acyclic), duplicates allowed. */
function opsOf(specs: Spec[]): { ops: Operation[]; key: OpKey } {
  const keys = new Map<string, { typeIndex: number; sortId: string; sortIdTail?: string }>();
  const ops = specs.map((s, i): Operation => {
    const opId = `o${String(i).padStart(3, '0')}`;
    keys.set(opId, { typeIndex: s.typeIndex, sortId: s.sortId, ...(s.tail !== undefined ? { sortIdTail: s.tail } : {}) });
    return { opId, kind: 'verify', tier: s.tier as RestoreTier, dependsOn: s.deps.filter((d) => d < i).map((d) => `o${String(d).padStart(3, '0')}`), label: opId };
  });
  return { ops, key: (o) => keys.get(o.opId) as { typeIndex: number; sortId: string } };
}

/** The key as one string, as the planner once made it for an edge: `${from}|${to}`. */
const joined = (k: ReturnType<OpKey>): string => (k.sortIdTail === undefined ? k.sortId : `${k.sortId}|${k.sortIdTail}`);

function reference(input: Operation[], key: OpKey): Operation[] {
  const rankOf = new Map(
    [...input]
      .sort((a, b) => {
        const ka = key(a);
        const kb = key(b);
        return ka.typeIndex - kb.typeIndex || (joined(ka) < joined(kb) ? -1 : joined(ka) > joined(kb) ? 1 : 0) || (a.opId < b.opId ? -1 : 1);
      })
      .map((o, i) => [o.opId, i]),
  );
  const take = (ops: Operation[], prio: (o: Operation) => number): Operation[] => {
    const placed = new Set<string>();
    const out: Operation[] = [];
    while (out.length < ops.length) {
      const ready = ops.filter((o) => !placed.has(o.opId) && o.dependsOn.every((d) => placed.has(d)));
      const next = ready.reduce((a, b) => (prio(b) < prio(a) ? b : a));
      placed.add(next.opId);
      out.push(next);
    }
    return out;
  };
  const topo = take(input, (o) => rankOf.get(o.opId) as number);
  const tier = new Map<string, number>();
  const raised = topo.map((o) => {
    const t = Math.max(o.tier, ...o.dependsOn.map((d) => tier.get(d) as number));
    tier.set(o.opId, t);
    return t === o.tier ? o : { ...o, tier: t as RestoreTier };
  });
  return take(raised, (o) => o.tier * (input.length + 1) + (rankOf.get(o.opId) as number));
}

const spec = fc.record({
  tier: fc.integer({ min: 0, max: 5 }),
  typeIndex: fc.integer({ min: -1, max: 6 }),
  sortId: fc.constantFrom('', 'a', 'a|b', 'ab', 'b', 'b|a', 'ba'),
  tail: fc.option(fc.constantFrom('', 'a', '|', 'b|', 'ab'), { nil: undefined }),
  deps: fc.array(fc.nat({ max: 40 }), { maxLength: 4 }),
});

describe('plan ordering (issue 17 item 1: op indices in typed arrays)', () => {
  test('the same order and tiers as the plain reference, for any acyclic plan', () => {
    fc.assert(
      fc.property(fc.array(spec, { maxLength: 40 }), (specs) => {
        const { ops, key } = opsOf(specs);
        const got = orderOperations(ops, key, () => undefined);
        const want = reference(ops, key);
        expect(got.map((o) => `${o.opId}@${o.tier}`)).toEqual(want.map((o) => `${o.opId}@${o.tier}`));
      }),
      { numRuns: 300 },
    );
  });

  test('an edge\'s two ends order as the string `${from}|${to}` would, without making it (property)', () => {
    const part = fc.string({ unit: fc.constantFrom('a', 'b', '|', '{', '0'), maxLength: 5 });
    fc.assert(
      fc.property(part, fc.option(part, { nil: undefined }), part, fc.option(part, { nil: undefined }), (a, at, b, bt) => {
        const want = cmp(joined({ typeIndex: 0, sortId: a, ...(at !== undefined ? { sortIdTail: at } : {}) }), joined({ typeIndex: 0, sortId: b, ...(bt !== undefined ? { sortIdTail: bt } : {}) }));
        expect(Math.sign(cmpKeys(a, at, b, bt))).toBe(Math.sign(want));
      }),
      { numRuns: 2000 },
    );
  });

  test('an op whose dependency is unknown is a planner bug', () => {
    const { ops, key } = opsOf([{ tier: 0, typeIndex: 0, sortId: 'a', deps: [] }]);
    const bad: Operation[] = [{ ...(ops[0] as Operation), dependsOn: ['nowhere'] }];
    expect(() => orderOperations(bad, key, () => undefined)).toThrow(/unknown op nowhere/);
  });
});
