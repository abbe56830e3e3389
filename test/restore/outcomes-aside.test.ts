import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RecordingReporter } from '../../src/progress.js';
import { MemoryCredentialsSink } from '../../src/restore/credentials.js';
import { executePlan, type ExecutionResult, type OpResult } from '../../src/restore/execute/executor.js';
import { openJournal, planIdentity } from '../../src/restore/execute/journal.js';
import { OutcomesAside, outcomesOf } from '../../src/restore/execute/outcomes-aside.js';
import { mergeExecutions } from '../../src/ops/restore-bootstrap.js';
import { FakeGraph, fakeCatalog } from './fake-graph.js';
import { FakeClock, fixturePlan, targetState } from './fixture-plan.js';

// A restore that owns its archive sets the run's outcomes aside as the run ends, never as a list
// (src/restore/execute/outcomes-aside.ts, issue 17 item 1): what the run reports must not change.

async function run(aside: boolean, pauseAfter?: number): Promise<ExecutionResult> {
  const plan = fixturePlan();
  const journal = openJournal(join(mkdtempSync(join(tmpdir(), 'ev-aside-')), 'j'), planIdentity(plan));
  const g = new FakeGraph(targetState());
  const ac = new AbortController();
  if (pauseAfter !== undefined) g.afterWrite = (n) => {
    if (n === pauseAfter) ac.abort();
  };
  try {
    return await executePlan(plan, {
      graph: g, journal, reporter: new RecordingReporter(), clock: new FakeClock(), credentialsSink: new MemoryCredentialsSink(),
      enableConditionalAccess: true, catalog: fakeCatalog, concurrency: 1, signal: ac.signal, releaseFinished: true,
      ...(aside ? { outcomesAside: true } : {}),
    });
  } finally {
    journal.close();
  }
}

/** A result's JSON without what differs between two runs against two fakes (their live ids). */
const stable = (rs: readonly OpResult[]) => JSON.parse(JSON.stringify(rs, (k, v: unknown) => (k === 'liveId' ? typeof v : v))) as unknown;

describe('a run\'s outcomes set aside', () => {
  for (const pause of [undefined, 4]) {
    it(`give the same outcomes, counts, failures and pause as a list${pause ? ' (a paused run)' : ''}`, async () => {
      const listed = await run(false, pause);
      const aside = await run(true, pause);
      expect(listed.outcomesAside).toBeUndefined();
      expect(aside.outcomes).toEqual([]);
      expect(aside.outcomesAside).toBeDefined();
      const back = aside.outcomesAside!.take();
      expect(back.length).toBe(fixturePlan().operations.length);
      expect(stable(back)).toEqual(stable(listed.outcomes));
      expect(stable([...outcomesOf(aside)])).toEqual(stable(listed.outcomes));
      expect(aside.counts).toEqual(listed.counts);
      expect(aside.failures).toEqual(listed.failures);
      expect(aside.paused).toBe(listed.paused);
      expect(aside.paused).toBe(pause !== undefined);
      expect(aside.tiers).toEqual(listed.tiers);
    });
  }

  it('are made one at a time as they are set aside, and may be read again', () => {
    let made = 0;
    function* results(): Generator<OpResult> {
      for (let i = 0; i < 3; i++) {
        made++;
        yield { opId: `op${i}`, kind: 'create', tier: 2, label: `Create ${i} →`, outcome: 'created', liveId: `l${i}` };
      }
    }
    const a = OutcomesAside.of(results());
    expect(made).toBe(3);
    expect(a.take()).toEqual([0, 1, 2].map((i) => ({ opId: `op${i}`, kind: 'create', tier: 2, label: `Create ${i} →`, outcome: 'created', liveId: `l${i}` })));
    expect([...a.each()].map((r) => r.opId)).toEqual(['op0', 'op1', 'op2']);
  });

  it('after a bootstrap phase: its outcomes first, then the rest phase\'s it does not name', () => {
    const r = (opId: string, outcome: OpResult['outcome']): OpResult => ({ opId, kind: 'create', tier: 0, label: opId, outcome });
    const merged = OutcomesAside.after([r('a', 'created'), r('b', 'created')], OutcomesAside.of([r('b', 'resumed'), r('c', 'created'), r('a', 'resumed')]));
    expect(merged.take()).toEqual([r('a', 'created'), r('b', 'created'), r('c', 'created')]);
    expect(() => OutcomesAside.after([r('z', 'created')], merged)).toThrow();
  });

  it('merged with the bootstrap phase\'s execution: counted as the listed merge counts them', async () => {
    const boot = await run(false, 2);
    const restListed = await run(false);
    const restAside = await run(true);
    const listed = mergeExecutions(boot, restListed);
    const aside = mergeExecutions(boot, restAside);
    expect(aside.outcomes).toEqual([]);
    expect(stable(aside.outcomesAside!.take())).toEqual(stable(listed.outcomes));
    expect(aside.counts).toEqual(listed.counts);
  });
});
