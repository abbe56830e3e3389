/**
 * src/restore/plan-aside.ts: a plan set aside member by member comes back equal as JSON, members
 * in the plan's order, its maps entry by entry and its lists element by element (issue 17 item 1).
 */
import { describe, expect, test } from 'vitest';
import { PlanAside, runWithNotesAside } from '../../src/restore/plan-aside.js';
import { buildPlan } from '../../src/restore/plan/planner.js';
import { blockedEdge } from '../../src/restore/plan/relation-op.js';
import { planSha256 } from '../../src/ops/restore-pipeline.js';
import type { Plan } from '../../src/restore/types.js';
import { emptyLive, liveCopy, meta, sampleArchive } from './planner-fixtures.js';

describe('PlanAside', () => {
  test('a plan with maps, lists, nested values and an undefined member: equal as JSON, same sha256', () => {
    const a = sampleArchive();
    const live = liveCopy(a);
    // the target holds everything under other ids: the plan's idMap is full
    const plan: Plan = buildPlan({ archive: a, archiveMeta: meta, live: emptyLive(), scenario: 'tenant-loss' });
    const withMaps: Plan = {
      ...plan,
      idMap: Object.fromEntries((live.objects.user ?? []).map((u, i) => [u.id, `live-${i}`])),
      appIdMap: { 'app-1': 'app-2' },
      domainMap: { 'contoso.com': 'fresh.onmicrosoft.com' },
      included: undefined,
      warnings: ['a warning with a → and "quotes"\nand a newline'],
    };
    expect(Object.keys(withMaps.idMap).length).toBeGreaterThan(1);
    const back = new PlanAside(withMaps).take();
    expect(JSON.stringify(back)).toBe(JSON.stringify(withMaps));
    expect(planSha256(back)).toBe(planSha256(withMaps));
    expect('included' in back).toBe(false);
    expect(back.operations).toHaveLength(plan.operations.length);
  });

  test('each take is a new copy', () => {
    const plan = buildPlan({ archive: sampleArchive(), archiveMeta: meta, live: emptyLive(), scenario: 'tenant-loss' });
    const aside = new PlanAside(plan);
    const one = aside.take();
    const two = aside.take();
    expect(one).toEqual(two);
    expect(one).not.toBe(two);
    expect(one.operations[0]).not.toBe(two.operations[0]);
  });
});

describe('runWithNotesAside', () => {
  const noted = (): Plan => {
    const plan = buildPlan({ archive: sampleArchive(), archiveMeta: meta, live: emptyLive(), scenario: 'tenant-loss' });
    return {
      ...plan,
      unresolved: [
        { opId: 'create:user:a', type: 'user', archivedId: 'a', path: 'manager', value: 'x', effect: 'dropped' },
        { opId: 'create:conditionalAccessPolicy:p', type: 'conditionalAccessPolicy', archivedId: 'p', path: 'conditions.users.includeUsers', value: 'y', effect: 'keptReportOnly' },
        // as the planner makes a blocked edge's entry: its op id made when read (src/restore/plan/relation-op.ts)
        blockedEdge({ kind: 'groupMembers', from: 'g', to: 'u' }, 'group', 'u'),
      ],
      manualSteps: [{ id: 'm', kind: 'password', title: 'Passwords', instructions: 'reset', objects: ['a'] }],
      skipped: [{ archivedId: 's', type: 'user', displayName: 'S', reason: 'synced' }],
    };
  };

  test('the run sees only what the executor reads; after it the plan is as it was, as JSON and by sha256', async () => {
    const plan = noted();
    const before = JSON.stringify(plan);
    const seen = await runWithNotesAside(plan, async () => {
      await Promise.resolve();
      return { unresolved: plan.unresolved.map((u) => u.archivedId), steps: plan.manualSteps.length, skipped: plan.skipped?.length };
    });
    // a Conditional Access policy's unresolved references stay: src/restore/execute/access.ts reads them
    expect(seen).toEqual({ unresolved: ['p'], steps: 0, skipped: 0 });
    expect(JSON.stringify(plan)).toBe(before);
    // the blocked edge's entry comes back as the planner made it, not with its op id as a string of its own
    expect(Object.getOwnPropertyDescriptor(plan.unresolved[2], 'opId')?.get).toBeTypeOf('function');
    expect(Object.getOwnPropertyDescriptor(plan.unresolved[0], 'opId')?.value).toBe('create:user:a');
  });

  test('a run that throws gives the notes back too', async () => {
    const plan = noted();
    const sha = planSha256(plan);
    await expect(runWithNotesAside(plan, () => Promise.reject(new Error('journal write failed')))).rejects.toThrow('journal write failed');
    expect(planSha256(plan)).toBe(sha);
    expect(plan.unresolved).toHaveLength(3);
  });
});
