/**
 * The executor's dependency bookkeeping by plan position (src/restore/execute/waiting.ts), against
 * a model of maps keyed by op id as the executor kept it before: the same unmet counts, the same
 * waiters in plan order, dependencies outside the plan counted and never released.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Waiting } from '../../src/restore/execute/waiting.js';
import { DigestIndex } from '../../src/digest-index.js';
import type { Operation } from '../../src/restore/types.js';

const op = (i: number, deps: string[]): Operation => ({ opId: `op${i}`, tier: 3, dependsOn: deps, label: `op ${i}`, kind: 'verify' });

/** Plans of up to 30 ops, each depending on earlier ones (some twice) or on an id the plan lacks; some done already. */
const plans = fc.integer({ min: 1, max: 30 }).chain((n) =>
  fc.tuple(
    fc.array(fc.array(fc.oneof(fc.integer({ min: 0, max: n }), fc.constant(-1)), { maxLength: 4 }), { minLength: n, maxLength: n }),
    fc.array(fc.boolean(), { minLength: n, maxLength: n }),
  ).map(([deps, done]) => ({
    ops: deps.map((ds, i) => op(i, ds.filter((d) => d < i).map((d) => (d < 0 ? 'ghost' : `op${d}`)))),
    done: new Set(done.flatMap((x, i) => (x ? [`op${i}`] : []))),
  })),
);

describe('Waiting', () => {
  it('counts unmet dependencies and lists waiters in plan order, as maps by op id would', () => {
    fc.assert(
      fc.property(plans, ({ ops, done }) => {
        const index = DigestIndex.of(ops.map((o) => o.opId));
        const w = new Waiting(ops, index, (i) => done.has(ops[i]!.opId), (d) => done.has(ops[d]!.opId));
        const waiters = new Map<string, string[]>();
        ops.forEach((o, i) => {
          expect(index.get(o.opId)).toBe(i);
          expect(w.waits(i)).toBe(!done.has(o.opId));
          if (done.has(o.opId)) return;
          const unmet = o.dependsOn.filter((d) => !done.has(d));
          expect(w.unmet(i)).toBe(unmet.length);
          for (const d of unmet) waiters.set(d, [...(waiters.get(d) ?? []), o.opId]);
          expect(w.hasAll(o.dependsOn)).toBe(!o.dependsOn.includes('ghost'));
        });
        ops.forEach((o, i) => expect([...w.waitersOf(i)].map((j) => ops[j]!.opId)).toEqual(waiters.get(o.opId) ?? []));
        expect(index.get('ghost')).toBeUndefined();
      }),
    );
  });

  it('releases an op once every dependency is met; one that left waits no more', () => {
    const ops = [op(0, []), op(1, ['op0']), op(2, ['op0', 'op1', 'op0'])];
    const w = new Waiting(ops, DigestIndex.of(ops.map((o) => o.opId)), () => false, () => false);
    expect([...w.waitersOf(0)]).toEqual([1, 2, 2]);
    // an op's waiters are handed out once, however often it settles
    expect([...w.release(0)]).toEqual([1, 2, 2]);
    expect([...w.release(0)]).toEqual([]);
    expect([...w.waitersOf(0)]).toEqual([1, 2, 2]);
    expect(w.meet(1)).toBe(0);
    expect(w.meet(2)).toBe(2);
    expect(w.meet(2)).toBe(1);
    w.leave(1);
    expect(w.waits(1)).toBe(false);
    expect(w.meet(2)).toBe(0);
    expect(w.waits(2)).toBe(true);
  });
});
