/**
 * An owned archive is set aside while a writing restore runs its plan, and the plan is set aside
 * while the final verify runs (src/archive/held.ts, src/restore/plan-aside.ts,
 * src/ops/restore-pipeline.ts verifyRestore; issue 17 item 1). The result must be the same as a
 * run that holds everything throughout, and the memory must really be let go of: each test
 * checks, through a WeakRef and a full collection at the pipeline's memory marks, that nothing
 * still refers to the archive's objects while the plan runs, nor to the plan while the target is
 * read back.
 */
import { mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import { HeldArchive } from '../../src/archive/held.js';
import { systemClock } from '../../src/clock.js';
import type { EmulatorHandle } from '../../src/emulator/index.js';
import { emptyTenant } from '../../src/emulator/seed/index.js';
import type { SeededTenant } from '../../src/emulator/seed/types.js';
import { setMemProbe } from '../../src/mem-probe.js';
import type { DirObject, Relation, TenantData } from '../../src/model.js';
import { defaultBootstrapPhase } from '../../src/ops/restore-bootstrap.js';
import { defaultLiveReader, planSha256, runRestoreWith, type ArchiveMeta, type RunRestoreResult } from '../../src/ops/restore-pipeline.js';
import { silentReporter } from '../../src/progress.js';
import { MemoryCredentialsSink } from '../../src/restore/credentials.js';
import { buildPlan } from '../../src/restore/plan/planner.js';
import { slimUser } from '../../src/restore/plan/release.js';
import { PlanAside } from '../../src/restore/plan-aside.js';
import { outcomesOf } from '../../src/restore/execute/outcomes-aside.js';
import { backupOf, operatorKey, writerOf } from './emulator-fixture.js';
import { useSourceAndTarget } from './source-target.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

let dir: string;
let emu: EmulatorHandle;
let source: SeededTenant;
let backup: { archive: TenantData; archiveMeta: ArchiveMeta } | undefined;
let seq = 0;

useSourceAndTarget('ev-held-', { seed: 83, users: 14 }, (f) => ({ dir, emu, source } = f));
afterEach(() => setMemProbe(undefined));

/** A fresh copy of the source's archive (the owned holder must be its only holder). */
async function archiveCopy(): Promise<{ archive: TenantData; archiveMeta: ArchiveMeta }> {
  backup ??= await backupOf(emu, source.tenantId, await mkdtemp(join(dir, 'src-')));
  return { archive: JSON.parse(JSON.stringify(backup.archive)) as TenantData, archiveMeta: backup.archiveMeta };
}

/**
 * The archive to give the run, and a weak reference to its objects. The box lets go of it, so
 * that when `owned` the holder is the only thing referring to it (V8 keeps an async function's
 * locals alive across its awaits, dead or not).
 */
function handOver(box: { archive?: TenantData }, owned: boolean): { archive: TenantData | HeldArchive; archiveRef: WeakRef<object> } {
  const data = box.archive as TenantData;
  delete box.archive;
  return { archive: owned ? HeldArchive.owning(data) : data, archiveRef: new WeakRef(data.objects) };
}

/**
 * One writing tenant-loss restore into a fresh empty target. With `owned`, the archive is handed
 * over in an owning holder; at each memory mark the probe collects garbage and records whether
 * the archive's objects and the plan are still reachable.
 */
async function restore(
  owned: boolean,
  bootstrapFirst: boolean,
  run: { abortAt?: string; resume?: Interrupted; keepOutcomesAside?: boolean } = {},
): Promise<{ r: RunRestoreResult; alive: Map<string, { archive: boolean; plan: boolean }>; interrupted: Interrupted; compactUsers: number[] }> {
  let t: SeededTenant;
  let sub: string;
  if (run.resume) ({ t, sub } = run.resume);
  else {
    t = emptyTenant({ seed: 8300 + ++seq });
    emu.addTenant(t);
    sub = await mkdtemp(join(dir, `t${seq}-`));
  }
  const { graph } = await writerOf(emu, t.tenantId, await mkdtemp(join(sub, 'profile-')));
  const box: { archive?: TenantData; archiveMeta: ArchiveMeta } = await archiveCopy();
  const { archive, archiveRef } = handOver(box, owned);
  const planRefs: WeakRef<object>[] = [];
  const compactUsers: number[] = [];
  const alive = new Map<string, { archive: boolean; plan: boolean }>();
  const stop = new AbortController();
  if (owned) {
    setMemProbe((label) => {
      gc();
      alive.set(label, { archive: archiveRef.deref() !== undefined, plan: planRefs.some((p) => p.deref() !== undefined) });
      if (label === run.abortAt) stop.abort();
    });
  }
  const key = run.resume?.key ?? (await operatorKey());
  // a WeakRef's target is held until the current task ends (ECMAScript KeepDuringJob): the run's
  // first mark (a resume's) must not come in the task that made `archiveRef`
  await new Promise((resolve) => setImmediate(resolve));
  const r = await runRestoreWith(
    (input) => {
      const p = buildPlan(input);
      // an object the plan holds through the run: not an operation, which the run replaces by an
      // equal one (src/restore/held-fields.ts), but a natural key, which that one keeps
      const held = p.operations.find((o) => o.kind === 'create' && o.naturalKey !== undefined);
      if (held?.kind !== 'create' || !held.naturalKey) throw new Error('the plan creates nothing with a natural key');
      planRefs.push(new WeakRef(held.naturalKey));
      return p;
    },
    // the target's reads: how many users each held compact (src/restore/compact-users.ts), -1 when not asked to
    (g, opts) => defaultLiveReader(g, opts).then((l) => (compactUsers.push(opts.users ? opts.users.size : -1), l)),
    {
      archive, archiveMeta: box.archiveMeta, graph, targetTenantId: t.tenantId, scenario: 'tenant-loss', dryRun: false, confirmTenantId: t.tenantId,
      journalPath: join(sub, 'restore.journal'), credentialsRecipient: key.recipient, operatorIdentity: key.identity, credentialsSink: new MemoryCredentialsSink(), reporter: silentReporter, bootstrapFirst,
      ...(run.abortAt !== undefined ? { signal: stop.signal } : {}), ...(run.resume ? { resume: true } : {}),
      ...(run.keepOutcomesAside ? { keepOutcomesAside: true } : {}),
    },
    defaultBootstrapPhase,
  );
  return { r, alive, interrupted: { t, sub, key }, compactUsers };
}

/** What a resume of a run needs: its target, its directory (journal, stored plans) and the operator's key. */
interface Interrupted {
  t: SeededTenant;
  sub: string;
  key: { identity: string; recipient: string };
}

/** What two runs of the same restore must share, ids of the new target aside. */
function outcome(r: RunRestoreResult) {
  const f = r.fidelity;
  return {
    planOps: r.plan.operations.length,
    failures: r.execution?.failures.length,
    // the break-glass admin's label names the target's initial domain
    outcomes: r.execution && [...outcomesOf(r.execution)].map((x) => `${x.opId} ${x.kind} ${x.tier} ${x.outcome} ${x.label.replace(/@[a-z0-9]+\.onmicrosoft\.com/g, '@(target)')}`),
    counts: r.execution?.counts,
    totals: f?.totals,
    deviations: f?.deviations.map((d) => `${d.type} ${d.archivedId} ${d.reason}`).sort(),
  };
}

describe('an owned archive is set aside while the plan runs, the plan while the verify runs (issue 17 item 1)', () => {
  for (const bootstrapFirst of [false, true]) {
    it(`${bootstrapFirst ? 'bootstrap-first' : 'one-phase'} tenant-loss restore: the same result as a run holding everything, with the archive and the plan let go of`, async () => {
      const held = await restore(false, bootstrapFirst);
      // the bootstrap-first run leaves its outcomes set aside, as the CLI's does (src/cli/commands/restore.ts)
      const owned = await restore(true, bootstrapFirst, { keepOutcomesAside: bootstrapFirst });
      expect(owned.r.execution?.failures).toEqual([]);
      expect(outcome(owned.r)).toEqual(outcome(held.r));
      expect(owned.r.execution?.outcomes.length === 0).toBe(bootstrapFirst);
      expect(owned.r.execution?.outcomesAside !== undefined).toBe(bootstrapFirst);
      expect(held.r.execution?.outcomesAside).toBeUndefined();
      // the verify of an owned archive read the target's users back compact, and only it
      expect(held.compactUsers.every((n) => n === -1)).toBe(true);
      expect(owned.compactUsers.at(-1)).toBeGreaterThan(10);
      expect(owned.compactUsers.slice(0, -1).every((n) => n === -1)).toBe(true);
      expect(owned.r.fidelity?.totals.objectsRestored).toBeGreaterThan(50);
      // while the plan ran, the archive's objects were unreachable (set aside), and the plan was held
      const executed = owned.alive.get(bootstrapFirst ? 'rest:execute' : 'execute');
      expect(executed).toEqual({ archive: false, plan: true });
      // while the target was read back, neither the archive's objects nor the plan were reachable
      expect(owned.alive.get('verify:live')).toEqual({ archive: false, plan: false });
      // nor once the verify was done: the result parses the plan back only when it is read, once
      expect(owned.alive.get('verify:fidelity')).toEqual({ archive: false, plan: false });
      expect(owned.r.plan).toBe(owned.r.plan);
      // before they were set aside, both were held (the probe sees what it should)
      expect(owned.alive.get(bootstrapFirst ? 'rest:plan' : 'plan')).toEqual({ archive: true, plan: true });
    }, 240_000);
  }
});

describe('what is set aside comes back equal', () => {
  it('an archive: equal as JSON, nested values shared and frozen as the reader makes them; a borrowed one is never set aside', async () => {
    const { archive } = await archiveCopy();
    const json = JSON.stringify(archive);
    const held = HeldArchive.owning(archive);
    expect(held.setAside()).toBeGreaterThan(0);
    expect(held.held).toBe(false);
    expect(() => held.get()).toThrow(/set aside/);
    const back = held.load();
    expect(JSON.stringify(back)).toBe(json);
    expect(held.load()).not.toBe(back); // a fresh copy each time: the holder keeps none
    // the reader's interning: equal small nested values are one frozen object
    const users = back.objects.user ?? [];
    expect(users.length).toBeGreaterThan(2);
    const firstBusinessPhones = users.map((u) => u['businessPhones']).filter((x) => Array.isArray(x) && x.length === 0);
    expect(firstBusinessPhones.length).toBeGreaterThan(1);
    expect(firstBusinessPhones[0]).toBe(firstBusinessPhones[1]);
    expect(Object.isFrozen(firstBusinessPhones[0])).toBe(true);
    // its last use: the same contents, and then the holder has nothing left to give
    expect(JSON.stringify(held.loadLast())).toBe(json);
    expect(() => held.load()).toThrow(/let go/);
    const borrowed = HeldArchive.borrowing(back);
    expect(borrowed.setAside()).toBe(0);
    expect(borrowed.get()).toBe(back);
    expect(borrowed.loadLast()).toBe(back);
    expect(borrowed.get()).toBe(back); // a borrowed holder lets nothing go
  });

  it('an archive for its last use with its users split: slim copies, and the whole ones given one at a time, equal to loadLast\'s', async () => {
    const { archive } = await archiveCopy();
    const json = JSON.stringify(archive);
    const expected = JSON.parse(json) as TenantData;
    const held = HeldArchive.owning(archive);
    held.setAside();
    const { data, whole } = held.loadLastSplit('user', slimUser);
    expect(() => held.load()).toThrow(/let go/);
    // every type but the users as loadLast gives it; the users slim, in the archive's order
    expect(JSON.stringify({ ...data, objects: { ...data.objects, user: undefined } })).toBe(JSON.stringify({ ...expected, objects: { ...expected.objects, user: undefined } }));
    expect(data.objects.user).toEqual((expected.objects.user ?? []).map(slimUser));
    // the whole users, parsed as they are asked for: one whole at a time once the caller lets each go
    expect(whole).toBeDefined();
    const ids: string[] = [];
    let previous: WeakRef<object> | undefined;
    let heldOn = 0;
    for (const u of (whole as () => Iterable<DirObject>)()) {
      // the user before this one, let go of by this loop: nothing else holds it
      gc();
      if (previous?.deref() !== undefined) heldOn++;
      expect(u).toEqual((expected.objects.user ?? [])[ids.length]);
      ids.push(u.id);
      previous = new WeakRef(u);
      // a WeakRef keeps its target until the task that made it ends (ECMAScript's KeepDuringJob)
      await new Promise((r) => setImmediate(r));
    }
    expect(ids.length).toBeGreaterThan(2);
    expect(heldOn).toBe(0);
    // a borrowed holder, or one still holding its contents, gives them whole and nothing to split
    const borrowed = HeldArchive.borrowing(expected);
    expect(borrowed.loadLastSplit('user', slimUser)).toEqual({ data: expected });
    expect(HeldArchive.owning(JSON.parse(json) as TenantData).loadLastSplit('user', slimUser).whole).toBeUndefined();
  });

  it('an archive for its last use with its edges handed over kind by kind: the same edges, none left in the copy', async () => {
    const { archive } = await archiveCopy();
    const expected = JSON.parse(JSON.stringify(archive)) as TenantData;
    const held = HeldArchive.owning(archive);
    held.setAside();
    const got: Partial<Record<string, Relation[]>> = {};
    const { data } = held.loadLastSplit('user', slimUser, (kind, edges) => {
      got[kind] = [...edges];
    });
    expect(Object.keys(expected.relations).length).toBeGreaterThan(1);
    expect(got).toEqual(expected.relations);
    expect(data.relations).toEqual({});
    // a holder without a compressed copy gives its edges as lists and never calls onEdges
    let called = false;
    const borrowed = HeldArchive.borrowing(expected);
    expect(borrowed.loadLastSplit('user', slimUser, () => (called = true)).data.relations).toBe(expected.relations);
    expect(called).toBe(false);
  });

  it('a plan: the same planSha256, equal as JSON, many members deep', async () => {
    const { archive, archiveMeta } = await archiveCopy();
    const t = emptyTenant({ seed: 8399 });
    emu.addTenant(t);
    const { graph } = await writerOf(emu, t.tenantId, await mkdtemp(join(dir, 'p-')));
    const live = await defaultLiveReader(graph, { reporter: silentReporter, clock: systemClock, tenantId: t.tenantId });
    const plan = buildPlan({ archive, archiveMeta, live, scenario: 'tenant-loss' });
    expect(plan.operations.length).toBeGreaterThan(100);
    const aside = new PlanAside(plan);
    expect(aside.bytes).toBeGreaterThan(0);
    const back = aside.take();
    expect(planSha256(back)).toBe(planSha256(plan));
    expect(JSON.stringify(back)).toBe(JSON.stringify(plan));
  });
});

describe('a resumed restore sets an owned archive aside before it loads its stored plan (issue 17 item 1)', () => {
  const cases = [
    { name: 'one-phase, stopped before its first write', bootstrapFirst: false, abortAt: 'archive-aside' },
    { name: 'bootstrap-first, stopped in its bootstrap phase (the rest plan is made on resume, from the archive taken back)', bootstrapFirst: true, abortAt: 'bootstrap:plan' },
    { name: 'bootstrap-first, stopped once its rest plan was stored', bootstrapFirst: true, abortAt: 'rest:archive-aside' },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const whole = await restore(true, c.bootstrapFirst);
      const stopped = await restore(true, c.bootstrapFirst, { abortAt: c.abortAt });
      expect(stopped.r.execution?.paused).toBe(true);
      const resumed = await restore(true, c.bootstrapFirst, { resume: stopped.interrupted });
      expect(resumed.r.execution?.failures).toEqual([]);
      expect(resumed.r.execution?.paused).toBeFalsy();
      // the archive's objects were unreachable from before the stored plan was loaded
      expect(resumed.alive.get('resume:archive-aside')).toEqual({ archive: false, plan: false });
      // the same target state as a run that was never stopped
      expect(resumed.r.fidelity?.totals).toEqual(whole.r.fidelity?.totals);
      expect(outcome(resumed.r).deviations).toEqual(outcome(whole.r).deviations);
      expect(resumed.r.fidelity?.totals.objectsRestored).toBeGreaterThan(50);
    }, 360_000);
  }
});
