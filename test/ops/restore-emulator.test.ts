/**
 * Restore reliability against the emulator (docs/reliability.md 12, 13, 15, 16, 18, 19, 22):
 * a seeded source tenant is backed up through the real pipeline once; each check
 * restores into its own fresh target tenant of the same emulator and inspects the
 * emulator's own state and counters, never the tool's report alone.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.js';
import { emptyTenant, seedTenant } from '../../src/emulator/seed/index.js';
import type { SeededTenant } from '../../src/emulator/seed/types.js';
import type { DirObject, TenantData } from '../../src/model.js';
import { RecordingReporter, silentReporter, type Reporter } from '../../src/progress.js';
import { MemoryCredentialsSink } from '../../src/restore/credentials.js';
import type { ArchiveMeta } from '../../src/ops/restore-pipeline.js';
import { runRestore } from '../../src/ops/restore.js';
import { setMemberStore } from '../../src/set-aside.js';
import { SpillFile } from '../../src/spill-file.js';
import { backupOf, naturalState, operatorKey, writerOf, type ChildInput } from './emulator-fixture.js';

const USERS = 24;
const CHILD = join(process.cwd(), 'test', 'ops', 'emulator-restore-child.ts');

let dir: string;
let emu: EmulatorHandle;
let source: SeededTenant;
let recycled: SeededTenant;
const targets: SeededTenant[] = [];
let archive: TenantData;
let archiveMeta: ArchiveMeta;
let nextTarget = 0;

function runChild(inputPath: string): Promise<{ signal: NodeJS.Signals | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const c = spawn(process.execPath, ['--import', 'tsx', CHILD, inputPath], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    c.stderr.on('data', (d: Buffer) => { stderr += d.toString('utf8'); });
    const timer = setTimeout(() => c.kill('SIGTERM'), 120_000);
    c.on('error', reject);
    c.on('exit', (_code, signal) => {
      clearTimeout(timer);
      resolve({ signal, stderr });
    });
  });
}

/** A fresh, never-used empty target tenant. */
function target(): SeededTenant {
  const t = targets[nextTarget++];
  if (!t) throw new Error('add more target tenants to the fixture');
  return t;
}

async function restoreInto(t: SeededTenant, opts: { journal: string; reporter?: Reporter; dryRun?: boolean; data?: TenantData; scenario?: 'tenant-loss' | 'objects'; objectIds?: string[] }) {
  const reporter = opts.reporter ?? silentReporter;
  const { graph } = await writerOf(emu, t.tenantId, dir, reporter);
  // An objects restore goes only into the archive's own tenant (src/ops/restore.ts
  // checkTenantBinding): the empty target stands for that tenant with the objects hard-deleted.
  const meta = opts.scenario === 'objects' ? { ...archiveMeta, tenantId: t.tenantId } : archiveMeta;
  // ... and like the archive's tenant, which uses Conditional Access, its security defaults are off
  if (opts.scenario === 'objects') await graph.patch('/policies/identitySecurityDefaultsEnforcementPolicy', { isEnabled: false });
  return runRestore({
    archive: opts.data ?? archive, archiveMeta: meta, graph, targetTenantId: t.tenantId, scenario: opts.scenario ?? 'tenant-loss',
    ...(opts.objectIds ? { selection: { objectIds: opts.objectIds } } : {}),
    dryRun: opts.dryRun ?? false, confirmTenantId: t.tenantId, journalPath: join(dir, opts.journal),
    credentialsSink: new MemoryCredentialsSink(), reporter, enableConditionalAccess: true,
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ev-restore-emu-'));
  source = seedTenant({ seed: 11, users: USERS });
  recycled = seedTenant({ seed: 12, users: USERS });
  for (let i = 0; i < 8; i++) targets.push(emptyTenant({ seed: 500 + i }));
  emu = await startEmulator({ port: 0, tenants: [source, recycled, ...targets] });
  ({ archive, archiveMeta } = await backupOf(emu, source.tenantId, dir));
}, 60_000);

afterAll(async () => {
  await emu?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('restore against the emulator', () => {
  let reference: string[];
  let referenceOps = 0;
  let referenceTarget: SeededTenant;

  it('an uninterrupted tenant-loss restore completes; a second run makes zero mutating calls (13)', async () => {
    referenceTarget = target();
    const first = await restoreInto(referenceTarget, { journal: 'ref.journal' });
    expect(first.execution?.failures).toEqual([]);
    referenceOps = first.execution?.outcomes.length ?? 0;
    expect(referenceOps).toBeGreaterThan(50);
    reference = naturalState(emu.tenant(referenceTarget.tenantId).exportState());
    const ctl = emu.tenant(referenceTarget.tenantId);
    ctl.resetStats();
    const second = await restoreInto(referenceTarget, { journal: 'ref-again.journal' });
    expect(second.execution?.failures).toEqual([]);
    expect(ctl.stats().mutating).toBe(0);
    expect(naturalState(ctl.exportState())).toEqual(reference);
  }, 60_000);

  it('a spill file that cannot be written: the same end state, and the restore warns (src/spill-file.ts, issue 17 item 1)', async () => {
    const t = target();
    const file = new SpillFile(join(dir, 'no-such-dir'));
    setMemberStore(file);
    const reporter = new RecordingReporter();
    try {
      const r = await restoreInto(t, { journal: 'spill-fails.journal', reporter });
      expect(r.execution?.failures).toEqual([]);
    } finally {
      setMemberStore(undefined);
      file.close();
    }
    expect(file.failure).toBe('ENOENT');
    expect(naturalState(emu.tenant(t.tenantId).exportState())).toEqual(reference);
    const warnings = reporter.events.filter((e) => e.kind === 'warning' && e.code === 'SPILL_IN_MEMORY');
    expect(warnings).toHaveLength(1);
    expect(JSON.stringify(warnings)).toMatch(/could not be written \(ENOENT\).*TMPDIR/);
  }, 60_000);

  it('SIGKILL after journal record k (seeded random k), resume: same final state, zero duplicates (12)', async () => {
    const t = target();
    let seed = 20261126;
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    const k = 1 + (seed % (referenceOps - 2));
    const key = await operatorKey();
    const { profilePath } = await writerOf(emu, t.tenantId, dir);
    const input: ChildInput = { archive, archiveMeta, profilePath, journalPath: join(dir, 'crash.journal'), recipient: key.recipient, identity: key.identity, k };
    const inputPath = join(dir, 'crash-input.json');
    await writeFile(inputPath, JSON.stringify(input));
    // asynchronous: the emulator answering the child runs in this process's event loop
    const child = await runChild(inputPath);
    expect(child.signal, `child (k=${k}): ${child.stderr}`).toBe('SIGKILL');
    const partial = naturalState(emu.tenant(t.tenantId).exportState());
    expect(partial).not.toEqual(reference);

    const { graph } = await writerOf(emu, t.tenantId, dir);
    const resumed = await runRestore({
      archive, archiveMeta, graph, targetTenantId: t.tenantId, scenario: 'tenant-loss', dryRun: false, confirmTenantId: t.tenantId,
      journalPath: input.journalPath, resume: true, operatorIdentity: key.identity, credentialsRecipient: key.recipient,
      credentialsSink: new MemoryCredentialsSink(), reporter: silentReporter, enableConditionalAccess: true,
    });
    expect(resumed.execution?.failures, `k=${k}`).toEqual([]);
    expect(naturalState(emu.tenant(t.tenantId).exportState()), `k=${k}`).toEqual(reference);
  }, 150_000);

  it('a dry run makes zero mutating calls (19)', async () => {
    const t = target();
    const ctl = emu.tenant(t.tenantId);
    ctl.resetStats();
    const before = naturalState(ctl.exportState());
    const r = await restoreInto(t, { journal: 'dry.journal', dryRun: true });
    expect(r.dryRun).toBe(true);
    expect(r.plan.operations.length).toBeGreaterThan(50);
    expect(ctl.stats().requests).toBeGreaterThan(0);
    expect(ctl.stats().mutating).toBe(0);
    expect(naturalState(ctl.exportState())).toEqual(before);
  }, 60_000);

  it('with 30 % of calls answered 429 + Retry-After the restore completes, waiting at least every Retry-After (15)', async () => {
    const t = target();
    const ctl = emu.tenant(t.tenantId);
    ctl.resetStats();
    const rep = new RecordingReporter();
    // The 429s are answered while the plan executes, not during the two whole-tenant reads
    // around it (before planning, and the fidelity check after): those are throttled the
    // same way in test/snapshot/faults.test.ts, and here their hundreds of 1 s waits made
    // this the slowest test of the suite.
    const phased: Reporter = {
      report: (e) => {
        if (e.kind === 'phase' && e.phase === 'restore') ctl.setFaults({ throttleFraction: 0.3, retryAfterSeconds: 1, seed: 3 });
        if (e.kind === 'phase' && e.phase === 'verify') ctl.setFaults({});
        rep.report(e);
      },
    };
    // a small slice (one CA policy and what it references) keeps the waits short
    const policy = (archive.objects.conditionalAccessPolicy ?? []).find((p) => p.state === 'enabled') as DirObject;
    const r = await restoreInto(t, { journal: 'throttle.journal', reporter: phased, scenario: 'objects', objectIds: [policy.id] });
    // the executor's client: direct calls' retry waits and its $batch sub-request waits
    const graphWait = () => r.graphStats?.throttleWaitMs ?? 0;
    ctl.setFaults({});
    expect(r.execution?.failures).toEqual([]);
    const throttled = ctl.stats().throttled;
    expect(throttled).toBeGreaterThan(0);
    // Every throttled response the client received was waited out for its Retry-After (1 s
    // here) before the retry; a $batch whose sub-requests were throttled together needs
    // one wait, so the client sees at most as many throttled responses as the emulator sent.
    const waits = rep.events.flatMap((e) => (e.kind === 'throttled' ? [e.waitMs] : []));
    expect(waits.length).toBeGreaterThan(0);
    expect(waits.length).toBeLessThanOrEqual(throttled);
    for (const w of waits) expect(w).toBeGreaterThanOrEqual(1000);
    const waited = waits.reduce((a, w) => a + w, 0);
    expect(waited).toBeGreaterThanOrEqual(waits.length * 1000);
    // The client counts the time it then spent at its throttle gate, which closes from the
    // moment the 429 arrived: the few ms between that and reaching the gate are not counted
    // (src/graph/pacing.ts ThrottleGate.pass), so allow 50 ms per wait.
    expect(graphWait()).toBeGreaterThanOrEqual(waits.length * 950);
    const restored = (ctl.exportState().data.objects.conditionalAccessPolicy ?? []).filter((p) => p.displayName === policy.displayName);
    expect(restored).toHaveLength(1);
  }, 120_000);

  it('replication lag: objects briefly not found after creation are retried, never duplicated (16)', async () => {
    const t = target();
    const ctl = emu.tenant(t.tenantId);
    ctl.setFaults({ replicationLagMs: 400, seed: 5 });
    const r = await restoreInto(t, { journal: 'lag.journal' });
    ctl.setFaults({});
    expect(r.execution?.failures).toEqual([]);
    expect(naturalState(ctl.exportState())).toEqual(reference);
  }, 120_000);

  it('a CA policy whose reference cannot be resolved is never enabled and is listed (22)', async () => {
    const t = target();
    const data = structuredClone(archive);
    const policy = (data.objects.conditionalAccessPolicy ?? []).find((p) => p.state === 'enabled') as DirObject;
    const users = (policy.conditions as { users: { includeGroups: string[] } }).users;
    const ghost = '0badc0de-0000-4000-8000-00000000dead';
    users.includeGroups = [...users.includeGroups, ghost];
    const r = await restoreInto(t, { journal: 'ca.journal', data, scenario: 'objects', objectIds: [policy.id] });
    expect(r.execution?.failures).toEqual([]);
    expect(r.plan.reportOnly.map((x) => x.archivedId)).toContain(policy.id);
    expect(r.plan.unresolved.some((u) => u.archivedId === policy.id && u.value === ghost)).toBe(true);
    const live = (emu.tenant(t.tenantId).exportState().data.objects.conditionalAccessPolicy ?? []).filter((p) => p.displayName === policy.displayName);
    expect(live).toHaveLength(1);
    expect(live[0]?.state).not.toBe('enabled');
    expect(JSON.stringify(live[0])).not.toContain(ghost);
  }, 60_000);

  it('soft-deleted users come back from the recycle bin with their ids, not as new objects (18)', async () => {
    const rdir = join(dir, 'recycled');
    const backup = await backupOf(emu, recycled.tenantId, rdir);
    const ctl = emu.tenant(recycled.tenantId);
    const userIdsBefore = new Set((ctl.exportState().data.objects.user ?? []).map((u) => u.id));
    // Issue 12 (found on the way): a user holding an AU-scoped role is soft-deleted too. Graph
    // keeps the membership while the user is in the recycle bin and brings it back with the
    // user, so the restore must not add it a second time.
    const scoped = ctl.exportState().data.objects.scopedRoleMembership ?? [];
    const scopedUser = (scoped[0]?.roleMemberInfo as { id?: string } | undefined)?.id;
    expect(scopedUser).toBeDefined();
    const { graph: pre } = await writerOf(emu, recycled.tenantId, rdir);
    await pre.delete(`/users/${scopedUser}`);
    const damage = ctl.damage('deleteAllAdmins');
    damage.softDeleted.push(scopedUser as string);
    const hardUsers = damage.hardDeleted.filter((id) => userIdsBefore.has(id));
    const before = ctl.exportState();
    const binUsers = new Set((before.deleted.user ?? []).map((u) => u.id));
    const softUsers = damage.softDeleted.filter((id) => binUsers.has(id));
    expect(softUsers.length).toBeGreaterThan(0);
    const usersBefore = (before.data.objects.user ?? []).length;
    const { graph } = await writerOf(emu, recycled.tenantId, rdir);
    const r = await runRestore({
      archive: backup.archive, archiveMeta: backup.archiveMeta, graph, targetTenantId: recycled.tenantId, scenario: 'all-admins-deleted',
      dryRun: false, confirmTenantId: recycled.tenantId, journalPath: join(dir, 'recycle.journal'),
      credentialsSink: new MemoryCredentialsSink(), reporter: silentReporter, enableConditionalAccess: true,
    });
    expect(r.execution?.failures).toEqual([]);
    const restoreOps = r.plan.operations.filter((o) => o.kind === 'restoreDeleted').map((o) => ('archivedId' in o ? o.archivedId : ''));
    for (const id of softUsers) expect(restoreOps).toContain(id);
    const after = ctl.exportState();
    const liveIds = new Set((after.data.objects.user ?? []).map((u) => u.id));
    for (const id of softUsers) expect(liveIds.has(id), `user ${id} restored with its id`).toBe(true);
    expect((after.deleted.user ?? []).filter((u) => softUsers.includes(u.id))).toEqual([]);
    // restored, not recreated: the soft-deleted ones came back, only hard-deleted ones were created anew, none twice
    expect((after.data.objects.user ?? []).length).toBe(usersBefore + softUsers.length + hardUsers.length);
    const upns = (after.data.objects.user ?? []).map((u) => String(u.userPrincipalName).toLowerCase());
    expect(new Set(upns).size).toBe(upns.length);
    const scopedKey = (m: Record<string, unknown>) => `${String(m.administrativeUnitId)} ${String(m.roleId)} ${String((m.roleMemberInfo as { id?: string }).id)}`;
    const scopedAfter = (after.data.objects.scopedRoleMembership ?? []).map(scopedKey).sort();
    expect(scopedAfter).toEqual(scoped.map(scopedKey).sort());
  }, 90_000);
});
