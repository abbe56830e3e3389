/**
 * The executor's record of settled ops (src/restore/execute/settled.ts): kept compactly, every
 * result comes back equal to the one it was settled with, whether the op's own fields tell it
 * (a bare outcome is kept) or not (a live id, an error, a result that names other fields).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { OpOutcome, OpResult } from '../../src/restore/execute/executor.js';
import { Settled } from '../../src/restore/execute/settled.js';
import type { Operation } from '../../src/restore/types.js';

const OUTCOMES: OpOutcome[] = ['created', 'restored', 'updated', 'related', 'enabled', 'alreadyPresent', 'resumed', 'leftReportOnly', 'verify', 'failed', 'skipped', 'notRun'];

const edge = (i: number): Operation => ({ opId: `add:groupMembers:g${i}:u${i}`, tier: 3, dependsOn: [], label: `member ${i}`, kind: 'addRelation', relation: 'groupMembers', from: `g${i}`, to: `u${i}`, toType: 'user' });

/** A result for op `i`: plain, or with a live id, an error, or another label than the op's. */
const resultFor = (op: Operation) =>
  fc.record({
    outcome: fc.constantFrom(...OUTCOMES),
    liveId: fc.option(fc.uuid(), { nil: undefined }),
    error: fc.option(fc.record({ code: fc.constant('GRAPH_FORBIDDEN' as const), message: fc.string() }), { nil: undefined }),
    relabel: fc.boolean(),
  }).map(({ outcome, liveId, error, relabel }): OpResult => ({
    opId: op.opId, kind: op.kind, tier: op.tier, label: relabel ? `${op.label} (again)` : op.label, outcome,
    ...(liveId !== undefined ? { liveId } : {}), ...(error !== undefined ? { error } : {}),
  }));

describe('Settled', () => {
  it('gives back every result equal to the one settled, the last one per op', () => {
    const ops = Array.from({ length: 12 }, (_, i) => edge(i));
    const setting = fc.array(fc.integer({ min: 0, max: ops.length - 1 }).chain((i) => resultFor(ops[i]!).map((r) => [i, r] as const)), { maxLength: 40 });
    fc.assert(
      fc.property(setting, (writes) => {
        const s = new Settled(ops.length);
        const model = new Map<string, OpResult>();
        for (const [i, r] of writes) {
          s.set(i, ops[i]!, r);
          model.set(ops[i]!.opId, r);
        }
        expect(s.size).toBe(model.size);
        ops.forEach((op, i) => {
          expect(s.outcome(i) !== undefined).toBe(model.has(op.opId));
          expect(s.result(i, op)).toStrictEqual(model.get(op.opId));
          expect(s.outcome(i)).toBe(model.get(op.opId)?.outcome);
        });
      }),
    );
  });

  it('keeps a new object for each read of a plain result, never one a caller could change for the next', () => {
    const op = edge(1);
    const s = new Settled(1);
    s.set(0, op, { opId: op.opId, kind: op.kind, tier: op.tier, label: op.label, outcome: 'related' });
    const a = s.result(0, op)!;
    a.outcome = 'failed';
    expect(s.result(0, op)?.outcome).toBe('related');
  });
});
