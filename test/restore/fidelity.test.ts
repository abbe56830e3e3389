/** Fidelity reasons stay honest: a failed write is never explained away. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { ExecutionResult, OpResult } from '../../src/restore/execute/executor.js';
import { computeFidelity, deviationText, fidelityReasons } from '../../src/restore/fidelity.js';
import { buildPlan } from '../../src/restore/plan/planner.js';
import { slimUser } from '../../src/restore/plan/release.js';
import { CompactUsers } from '../../src/restore/compact-users.js';
import type { DirObject } from '../../src/model.js';
import { columnEdges } from '../../src/restore/relation-diff.js';
import { isUnexplained } from '../../src/ops/drill.js';
import { GA, emptyLive, liveCopy, meta, sampleArchive } from './planner-fixtures.js';

function failed(opIds: string[], plan: ReturnType<typeof buildPlan>): ExecutionResult {
  const outcomes: OpResult[] = plan.operations.map((o) => ({
    opId: o.opId, kind: o.kind, tier: o.tier, label: o.label,
    outcome: opIds.includes(o.opId) ? 'failed' : 'created',
    ...(opIds.includes(o.opId) ? { error: { code: 'GRAPH_REQUEST_FAILED' as const, message: 'boom' } } : {}),
  }));
  return {
    outcomes, tiers: [], counts: {} as ExecutionResult['counts'], idMap: {}, liveAppIds: {}, paused: false, writeCalls: 0, elapsedMs: 0,
    failures: outcomes.filter((o) => o.outcome === 'failed').map((o) => ({ opId: o.opId, label: o.label, code: 'GRAPH_REQUEST_FAILED' as const, message: 'boom' })),
  };
}

/** The target holds every archived object (same ids) but no membership: each edge is missing. */
function withoutEdges(archive: ReturnType<typeof sampleArchive>) {
  const live = liveCopy(archive);
  live.relations = {};
  return live;
}

describe('fidelity reasons', () => {
  test('a membership whose add failed, or was skipped, says so (only those ops get an archived key)', () => {
    const archive = sampleArchive();
    const plan = buildPlan({ archive, archiveMeta: meta, live: emptyLive(), scenario: 'tenant-loss' });
    const add = plan.operations.find((o) => o.kind === 'addRelation' && o.relation === 'groupMembers');
    expect(add).toBeDefined();
    const f = computeFidelity(archive, withoutEdges(archive), plan, failed([add!.opId], plan));
    const edge = f.deviations.filter((d) => d.what === 'relationMissing');
    expect(edge).toHaveLength(1);
    // the other end is a field of its own, and the reason is the one shared by every edge so explained
    expect(edge[0]).toMatchObject({ to: 'u-bob', reason: 'operation failed: GRAPH_REQUEST_FAILED boom' });
    expect(deviationText(edge[0]!)).toBe('→ u-bob: operation failed: GRAPH_REQUEST_FAILED boom');
    expect(f.relations).toEqual([{ kind: 'groupMembers', expected: 1, restored: 0 }]);
    const skipped = failed([], plan);
    skipped.outcomes = skipped.outcomes.map((o) => (o.opId === add!.opId ? { ...o, outcome: 'skipped' as const } : o));
    const g = computeFidelity(archive, withoutEdges(archive), plan, skipped);
    expect(g.deviations.find((d) => d.what === 'relationMissing')).toMatchObject({ to: 'u-bob', reason: 'not run: a dependency failed' });
    // and with every edge present, none is missing
    const h = computeFidelity(archive, liveCopy(archive), plan, failed([], plan));
    expect(h.relations).toEqual([{ kind: 'groupMembers', expected: 1, restored: 1 }]);
    expect(h.deviations.filter((d) => d.what === 'relationMissing')).toEqual([]);
  });


  test('a user whose create failed is unexplained even though a manual step lists it', () => {
    const archive = sampleArchive();
    const plan = buildPlan({ archive, archiveMeta: meta, live: emptyLive(), scenario: 'tenant-loss' });
    expect(plan.manualSteps.some((m) => m.objects.includes('u-bob'))).toBe(true);
    const f = computeFidelity(archive, emptyLive(), plan, failed(['create:user:u-bob'], plan));
    const bob = f.deviations.find((d) => d.archivedId === 'u-bob' && d.what === 'objectMissing');
    expect(bob?.reason).toMatch(/^operation failed/);
    expect(isUnexplained(bob!)).toBe(true);
    // its missing membership is unexplained too: the end's absence is a failure
    const edge = f.deviations.find((d) => d.what === 'relationMissing' && d.to === 'u-bob');
    expect(edge && isUnexplained(edge)).toBe(true);
  });

  test('a role assignment covered by a failed schedule request is unexplained', () => {
    const archive = sampleArchive();
    archive.objects.roleAssignmentSchedule = [{
      id: 's-ga', principalId: 'u-admin', roleDefinitionId: GA, directoryScopeId: '/',
      scheduleInfo: { startDateTime: '2026-01-01T00:00:00Z', expiration: { type: 'noExpiration' } },
    }];
    const plan = buildPlan({ archive, archiveMeta: meta, live: emptyLive(), scenario: 'tenant-loss' });
    const f = computeFidelity(archive, emptyLive(), plan, failed(['create:roleAssignmentSchedule:s-ga'], plan));
    const ra = f.deviations.find((d) => d.archivedId === 'ra-ga');
    expect(ra?.reason).toMatch(/^operation failed/);
    expect(isUnexplained(ra!)).toBe(true);
  });

  test('service principal names: only names embedding the old appId are put down to the new appId; a lost custom name is a deviation', () => {
    const NEW = '99999999-8888-7777-6666-555555555555';
    const withNames = (names: string[]) => {
      const archive = sampleArchive();
      const sp = archive.objects.servicePrincipal![0]!;
      sp.servicePrincipalNames = names;
      return archive;
    };
    const run = (names: string[]) => {
      const archive = withNames(names);
      const plan = buildPlan({ archive, archiveMeta: meta, live: emptyLive(), scenario: 'tenant-loss' });
      const live = liveCopy(archive);
      const sp = live.objects.servicePrincipal![0]!;
      sp.servicePrincipalNames = [NEW, `api://${NEW}`];
      return computeFidelity(archive, live, plan, failed([], plan)).deviations.find((d) => d.property === 'servicePrincipalNames');
    };
    const appId = sampleArchive().objects.servicePrincipal![0]!.appId as string;
    const derived = run([appId, `api://${appId}`]);
    expect(derived?.reason).toMatch(/new appId/);
    expect(isUnexplained(derived!)).toBe(false);
    const custom = run([appId, `api://${appId}`, 'https://payroll.contoso.com']);
    expect(custom?.reason).not.toMatch(/new appId/);
    expect(isUnexplained(custom!)).toBe(true);
  });

  test('released users (the final verify of a restore): the same report, and the archive and the read-back are left without users', () => {
    const base = sampleArchive();
    base.relations.groupMembers = [...(base.relations.groupMembers ?? []), { kind: 'groupMembers', from: 'g-sales', to: 'u-hyb', toType: 'user' }];
    base.relations.userManager = [{ kind: 'userManager', from: 'u-bob', to: 'u-admin', toType: 'user' }];
    // a mail on a domain the target has not verified: its reason reads the user's archived mail
    // (attributeReason), so it holds only if the user is counted before it is let go of
    base.objects.user = (base.objects.user ?? []).map((u) => (u.id === 'u-admin' ? { ...u, mail: 'admin@contoso.com' } : u));
    const planned = buildPlan({ archive: base, archiveMeta: meta, live: emptyLive(), scenario: 'tenant-loss' });
    // no plan note explains the synced user: only its own onPremisesSyncEnabled does
    const plan = { ...planned, manualSteps: [], skipped: [], unresolved: [] };
    const run = failed(['create:user:u-bob'], plan);
    // the target after the restore: bob's create failed, the synced user is not back, no edge is, the admin differs
    const after = () => {
      const l = liveCopy(base);
      l.objects.user = (l.objects.user ?? []).filter((u) => u.id === 'u-admin').map((u) => ({ ...u, displayName: 'changed', mail: 'admin@contoso.onmicrosoft.com' }));
      l.relations = {};
      l.verifiedDomains = ['contoso.onmicrosoft.com'];
      return l;
    };
    const copy = () => JSON.parse(JSON.stringify(base)) as typeof base;
    const kept = computeFidelity(copy(), after(), plan, run);
    const archive = copy();
    const live = after();
    const released = computeFidelity(archive, live, plan, run, { release: true });
    expect(released).toEqual(kept);
    expect(kept.deviations.find((d) => d.what === 'relationMissing' && d.to === 'u-hyb')?.reason).toBe('end u-hyb is not in the target: synced from on-premises AD: directory sync restores it');
    expect(kept.deviations.some((d) => d.what === 'attributeDiffers' && d.archivedId === 'u-admin' && d.property === 'displayName')).toBe(true);
    expect(kept.deviations.find((d) => d.what === 'attributeDiffers' && d.archivedId === 'u-admin' && d.property === 'mail')?.reason).toMatch(/^on domain contoso\.com, not verified in the target/);
    expect(kept.deviations.some((d) => d.what === 'relationMissing' && d.archivedId === 'u-bob' && d.reason === 'end u-bob is not in the target: operation failed: GRAPH_REQUEST_FAILED boom')).toBe(true);
    expect(archive.objects.user).toBeUndefined();
    expect(live.objects.user).toBeUndefined();
    expect(archive.objects.group).toHaveLength(1);
  });

  test('users matched slim and compared whole one at a time (the final verify of an owned archive): the same report, in the same order', () => {
    const base = sampleArchive();
    base.relations.groupMembers = [...(base.relations.groupMembers ?? []), { kind: 'groupMembers', from: 'g-sales', to: 'u-hyb', toType: 'user' }];
    // a mail on a domain the target has not verified: its reason reads the archived mail, which the
    // slim copy keeps; a job title only the whole user holds, so its deviation needs the whole copy
    base.objects.user = (base.objects.user ?? []).map((u) => (u.id === 'u-admin' ? { ...u, mail: 'admin@contoso.com', jobTitle: 'Chief' } : u));
    const planned = buildPlan({ archive: base, archiveMeta: meta, live: emptyLive(), scenario: 'tenant-loss' });
    const plan = { ...planned, manualSteps: [], skipped: [], unresolved: [] };
    const run = failed(['create:user:u-bob'], plan);
    const after = () => {
      const l = liveCopy(base);
      l.objects.user = (l.objects.user ?? []).filter((u) => u.id !== 'u-hyb' && u.id !== 'u-bob')
        .map((u) => (u.id === 'u-admin' ? { ...u, displayName: 'changed', mail: 'admin@contoso.onmicrosoft.com', jobTitle: 'Clerk' } : { ...u, jobTitle: 'Temp' }));
      l.relations = {};
      l.verifiedDomains = ['contoso.onmicrosoft.com'];
      return l;
    };
    const copy = () => JSON.parse(JSON.stringify(base)) as typeof base;
    const whole = computeFidelity(copy(), after(), plan, run);
    expect(whole.deviations.filter((d) => d.type === 'user').length).toBeGreaterThan(3);
    expect(whole.deviations.some((d) => d.archivedId === 'u-admin' && d.property === 'jobTitle')).toBe(true);
    for (const release of [true, false]) {
      const archive = copy();
      const users = archive.objects.user ?? [];
      archive.objects.user = users.map(slimUser);
      // the whole copies in another order than the archive's: the report still lists users by id
      const given = [...users].reverse();
      const released = computeFidelity(archive, after(), plan, run, { release, wholeUsers: () => given });
      expect(released).toEqual(whole);
    }
    // the users read back slim too, each whole in a CompactUsers (src/restore/compact-users.ts), with
    // the archive's users whole or slim: the same report. Only the whole copies hold the admin's job
    // title (as archived: no deviation) and office (not archived: one), so comparing a slim copy
    // would report the title and miss the office
    const afterWhole = () => {
      const l = after();
      l.objects.user = (l.objects.user ?? []).map((u) => (u.id === 'u-admin' ? { ...u, jobTitle: 'Chief', officeLocation: 'Annex' } : u));
      return l;
    };
    const wholeLive = computeFidelity(copy(), afterWhole(), plan, run);
    const admin = wholeLive.deviations.filter((d) => d.archivedId === 'u-admin').map((d) => d.property);
    expect(admin).toContain('officeLocation');
    expect(admin).not.toContain('jobTitle');
    for (const [release, split] of [[true, true], [false, true], [true, false], [false, false]] as const) {
      const archive = copy();
      const users = archive.objects.user ?? [];
      if (split) archive.objects.user = users.map(slimUser);
      const live = afterWhole();
      const compact = new CompactUsers();
      live.objects.user = (live.objects.user ?? []).map((u) => compact.hold(u));
      expect(live.objects.user.every((u) => u['jobTitle'] === undefined && u['officeLocation'] === undefined)).toBe(true);
      const got = computeFidelity(archive, live, plan, run, { release, liveUsers: compact, ...(split ? { wholeUsers: () => [...users].reverse() } : {}) });
      expect(got).toEqual(wholeLive);
      // a release lets go of the whole copies once the users are compared; otherwise the caller keeps them
      const slimAdmin = (live.objects.user ?? []).find((u) => u.id === 'u-admin');
      if (release) expect(compact.bytes).toBe(0);
      else expect(compact.whole(slimAdmin as DirObject)['officeLocation']).toBe('Annex');
    }
    // the edges already moved into columns by the caller (src/ops/restore-pipeline.ts verifyRestore)
    {
      const archive = copy();
      const live = after();
      const edges = { archive: columnEdges(archive), live: columnEdges(live) };
      expect(archive.relations).toEqual({});
      expect(computeFidelity(archive, live, plan, run, { release: true, edges })).toEqual(whole);
    }
    // a whole user the slim list does not name is a bug, not a silent skip
    const archive = copy();
    archive.objects.user = (archive.objects.user ?? []).slice(1).map(slimUser);
    expect(() => computeFidelity(archive, after(), plan, run, { release: true, wholeUsers: () => copy().objects.user ?? [] })).toThrow(/was not in the archive matched/);
  });
});

describe('V8 hidden classes', () => {
  // %HaveSameMap, in a process of its own (test/restore/held-fields.test.ts says why). A deviation
  // built as `{ ...base, … }` got a hidden class of its own (about 300 bytes) once the spread's source
  // came in several shapes: 100,000 of them at 100k users (issue 17 item 1).
  test('deviations with the same keys share one hidden class; slim match entries stay fast', () => {
    const child = spawnSync(process.execPath, ['--allow-natives-syntax', '--import', 'tsx', join(process.cwd(), 'test', 'restore', 'fidelity-v8.child.ts')], { encoding: 'utf8' });
    expect(child.stderr).toBe('');
    const { groups, entries } = JSON.parse(child.stdout) as { groups: { keys: string; n: number; shared: number }[]; entries: { n: number; live: number; fast: number } };
    expect(groups.map((g) => g.keys)).toEqual(expect.arrayContaining(['type,archivedId,displayName,what,reason', 'type,archivedId,displayName,what,property,reason']));
    for (const g of groups) expect(g, g.keys).toMatchObject({ shared: g.n });
    expect(groups.reduce((n, g) => n + g.n, 0)).toBeGreaterThan(500);
    // a user's entry made slim keeps fast properties: deleting its live copy made each a slow
    // dictionary of about 450 bytes (31 MiB at 100k users at `verify:objects`)
    expect(entries.live).toBeGreaterThan(100);
    expect(entries).toMatchObject({ fast: entries.n });
  });
});

describe('unresolved references as reasons', () => {
  test('the first reference of each path explains its property, in plan order, one id or several paths alike', () => {
    const plan = buildPlan({ archive: sampleArchive(), archiveMeta: meta, live: emptyLive(), scenario: 'tenant-loss' });
    const u = (archivedId: string, path: string, value: string, effect: 'blocked' | 'dropped' | 'propertyKept') => ({ opId: `create:group:${archivedId}`, type: 'group' as const, archivedId, path, value, effect });
    plan.unresolved = [u('g-1', 'owners[0]', 'a', 'dropped'), u('g-1', 'owners[0]', 'b', 'blocked'), u('g-1', 'manager', 'c', 'propertyKept'), u('g-2', 'x', 'd', 'dropped')];
    const r = fidelityReasons(plan, undefined);
    expect(r.for('g-1', false, true, 'owners')).toBe('unresolved reference owners[0] → a (dropped)');
    expect(r.for('g-1', false, true, 'manager')).toBe('unresolved reference manager → c (not written: the property keeps its value in the target)');
    expect(r.for('g-1')).toBe('unresolved reference owners[0] → a (dropped)');
    expect(r.for('g-2', false, true, 'x')).toBe('unresolved reference x → d (dropped)');
    expect(r.for('g-2', false, true, 'owners')).not.toMatch(/unresolved/);
  });
});
