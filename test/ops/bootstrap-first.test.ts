/**
 * Bootstrap-first restore (issue 17 item 4; src/ops/restore-bootstrap.ts, docs/design.md
 * "Bootstrap-first restore"): the Global Administrators are written before any tier-2 write
 * (order of the emulator's admitted writes), they work when read back through Graph, a
 * SIGKILL between the two phases resumes to the same state without duplicates, and nothing
 * is written without the typed confirmation.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EmulatorHandle } from '../../src/emulator/index.js';
import { emptyTenant } from '../../src/emulator/seed/index.js';
import type { SeededTenant } from '../../src/emulator/seed/types.js';
import type { GraphClient } from '../../src/graph/types.js';
import type { TenantData } from '../../src/model.js';
import { restPlanPath } from '../../src/ops/restore-bootstrap.js';
import type { ArchiveMeta } from '../../src/ops/restore-pipeline.js';
import { runRestore } from '../../src/ops/restore.js';
import { RecordingReporter, silentReporter, type Reporter } from '../../src/progress.js';
import { GLOBAL_ADMIN_TEMPLATE } from '../../src/restore/catalog.js';
import { MemoryCredentialsSink } from '../../src/restore/credentials.js';
import { backupOf, naturalState, operatorKey, writerOf, type ChildInput } from './emulator-fixture.js';
import { useSourceAndTarget } from './source-target.js';

const CHILD = join(import.meta.dirname, 'emulator-restore-child.ts');
let dir: string;
let emu: EmulatorHandle;
let source: SeededTenant;
let archive: TenantData;
let archiveMeta: ArchiveMeta;
let seq = 0;
/** The target of the uninterrupted run, by natural key (test 1), that the resumed run must equal. */
let reference: string[] | undefined;

useSourceAndTarget('ev-bootfirst-', { seed: 61, users: 12 }, (f) => ({ dir, emu, source } = f));

/** A fresh empty target beside the source, its writer, and the archive of the source (backed up once). */
async function freshTarget(): Promise<{ t: SeededTenant; graph: GraphClient; profilePath: string; sub: string }> {
  const t = emptyTenant({ seed: 6100 + ++seq });
  emu.addTenant(t);
  const sub = await mkdtemp(join(dir, `t${seq}-`));
  if (!archive) ({ archive, archiveMeta } = await backupOf(emu, source.tenantId, await mkdtemp(join(dir, 'src-'))));
  return { t, ...(await writerOf(emu, t.tenantId, sub)), sub };
}

/** Users holding Global Administrator in the target, read back through Graph (PIM active assignments and role assignments). */
async function globalAdminsOf(graph: GraphClient): Promise<string[]> {
  const upns: string[] = [];
  for await (const a of graph.list<{ principalId: string }>(`/roleManagement/directory/roleAssignments?$filter=roleDefinitionId%20eq%20'${GLOBAL_ADMIN_TEMPLATE}'`)) {
    const u = await graph.get<{ userPrincipalName?: string; accountEnabled?: boolean }>(`/users/${a.principalId}?$select=userPrincipalName,accountEnabled`).catch(() => undefined);
    if (u?.userPrincipalName && u.accountEnabled !== false) upns.push(u.userPrincipalName.toLowerCase());
  }
  return upns.sort();
}

/** Writes that only the rest phase makes (tier 1 and later): groups, apps, policies, locations. */
const LATER_TIER = /^POST \/(groups|applications|servicePrincipals|identity\/conditionalAccess|administrativeUnits|policies)(\/|$)/;

describe('bootstrap-first restore (issue 17 item 4)', () => {
  it('writes the bootstrap operations before any later-tier write; the Global Administrators work (read back through Graph)', async () => {
    const { t, graph, sub } = await freshTarget();
    const rec = emu.tenant(t.tenantId).recordWrites();
    let atRestPhase = -1;
    const reporter: Reporter = {
      report(e) {
        if (e.kind === 'phase' && e.message.includes('rest phase') && atRestPhase < 0) atRestPhase = rec.writes().length;
      },
    };
    const key = await operatorKey();
    const r = await runRestore({
      archive, archiveMeta, graph, targetTenantId: t.tenantId, scenario: 'tenant-loss', dryRun: false, confirmTenantId: t.tenantId,
      journalPath: join(sub, 'restore.journal'), credentialsRecipient: key.recipient, operatorIdentity: key.identity, credentialsSink: new MemoryCredentialsSink(), reporter, enableConditionalAccess: true,
    });
    expect(r.execution?.failures).toEqual([]);
    const writes = rec.writes();
    const tier0 = r.plan.operations.filter((o) => o.tier === 0);
    expect(tier0.length).toBeGreaterThan(2);
    // the bootstrap phase made its writes (at least one per tier-0 op) before the rest phase began
    expect(atRestPhase).toBeGreaterThanOrEqual(tier0.length);
    const firstLater = writes.findIndex((w) => LATER_TIER.test(w));
    expect(firstLater, writes.slice(0, atRestPhase + 3).join('\n')).toBeGreaterThanOrEqual(atRestPhase);
    expect(writes.slice(0, atRestPhase).filter((w) => LATER_TIER.test(w))).toEqual([]);
    expect(writes.slice(0, atRestPhase).some((w) => w.startsWith('POST /roleManagement/directory/roleAssignment'))).toBe(true);
    expect(r.timings?.firstGlobalAdminMs).toBeGreaterThan(0);
    expect(r.timings?.firstGlobalAdminMs).toBeLessThanOrEqual(r.timings?.bootstrapMs ?? 0);
    // every archived Global Administrator (and the break-glass account, when planned) holds the role in the target
    const archivedGa = new Set((archive.objects.roleAssignment ?? []).filter((a) => a['roleDefinitionId'] === GLOBAL_ADMIN_TEMPLATE).map((a) => String(a['principalId'])));
    const local = (upn: string): string => upn.split('@')[0]!.toLowerCase();
    const expected = (archive.objects.user ?? []).filter((u) => archivedGa.has(u.id)).map((u) => local(String(u['userPrincipalName'])));
    expect(expected.length).toBeGreaterThan(0);
    const live = (await globalAdminsOf(graph)).map(local);
    for (const e of expected) expect(live.some((l) => l === e || l.startsWith(`${e}-`)), `${e} in ${live.join(',')}`).toBe(true);
    reference = naturalState(emu.tenant(t.tenantId).exportState());
  }, 60_000);

  it('SIGKILL between the phases, resume: the rest plan is made then, the same final state as an uninterrupted run, zero duplicates', async () => {
    if (!reference) throw new Error('needs the uninterrupted run of the test before');
    const key = await operatorKey();

    const { t, graph, profilePath, sub } = await freshTarget();
    const input: ChildInput = { archive, archiveMeta, profilePath, journalPath: join(sub, 'restore.journal'), recipient: key.recipient, identity: key.identity, k: Number.MAX_SAFE_INTEGER, killAtPhase: 'rest phase' };
    const inputPath = join(sub, 'input.json');
    writeFileSync(inputPath, JSON.stringify(input));
    const child = await new Promise<{ signal: NodeJS.Signals | null; stderr: string }>((resolve, reject) => {
      const c = spawn(process.execPath, ['--import', 'tsx', CHILD, inputPath], { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      c.stderr.on('data', (d: Buffer) => { stderr += d.toString('utf8'); });
      c.on('error', reject);
      c.on('exit', (_code, signal) => resolve({ signal, stderr }));
    });
    expect(child.signal, child.stderr).toBe('SIGKILL');
    // killed after the bootstrap phase: its writes are in the journal, no rest plan yet
    const journal = readFileSync(input.journalPath, 'utf8');
    expect(journal).toMatch(/"state":"done"/);
    expect(journal).not.toMatch(/phase:rest:/);
    expect(existsSync(restPlanPath(input.journalPath))).toBe(false);
    expect((await globalAdminsOf(graph)).length).toBeGreaterThan(1);

    const resumed = await runRestore({
      archive, archiveMeta, graph, targetTenantId: t.tenantId, scenario: 'tenant-loss', dryRun: false, confirmTenantId: t.tenantId,
      journalPath: input.journalPath, resume: true, operatorIdentity: key.identity, credentialsRecipient: key.recipient,
      credentialsSink: new MemoryCredentialsSink(), reporter: silentReporter, enableConditionalAccess: true,
    });
    expect(resumed.execution?.failures).toEqual([]);
    expect(readFileSync(input.journalPath, 'utf8')).toMatch(/phase:rest:[0-9a-f]{64}/);
    expect(naturalState(emu.tenant(t.tenantId).exportState())).toEqual(reference);
    const upns: string[] = [];
    for await (const u of graph.list<{ userPrincipalName: string }>('/users?$select=userPrincipalName')) upns.push(u.userPrincipalName.toLowerCase());
    expect(upns.length).toBeGreaterThan(0);
    expect(new Set(upns).size).toBe(upns.length);
  }, 90_000);

  it('writes nothing without the typed target tenant id, and a reviewed plan hash keeps the restore in one phase', async () => {
    const { t, graph, sub } = await freshTarget();
    const rec = emu.tenant(t.tenantId).recordWrites();
    const key = await operatorKey();
    const base = {
      archive, archiveMeta, graph, targetTenantId: t.tenantId, scenario: 'tenant-loss' as const, credentialsRecipient: key.recipient, operatorIdentity: key.identity,
      credentialsSink: new MemoryCredentialsSink(), reporter: new RecordingReporter(), enableConditionalAccess: true,
    };
    await expect(runRestore({ ...base, dryRun: false, confirmTenantId: source.tenantId, journalPath: join(sub, 'a.journal') })).rejects.toMatchObject({ code: 'CONFIRM_MISMATCH' });
    await expect(runRestore({ ...base, dryRun: false, journalPath: join(sub, 'b.journal') })).rejects.toMatchObject({ code: 'CONFIRM_MISMATCH' });
    expect(rec.writes()).toEqual([]);
    expect(existsSync(join(sub, 'a.journal'))).toBe(false);
    // the review (dry run) lists the bootstrap tier first; run with its hash, the whole plan is checked before any write
    const dry = await runRestore({ ...base, dryRun: true, journalPath: join(sub, 'c.journal') });
    const firstLater = dry.plan.operations.findIndex((o) => o.tier !== 0);
    expect(dry.plan.operations.slice(firstLater).some((o) => o.tier === 0)).toBe(false);
    await expect(runRestore({ ...base, dryRun: false, confirmTenantId: t.tenantId, journalPath: join(sub, 'd.journal'), expectPlanSha256: '0'.repeat(64) })).rejects.toMatchObject({ code: 'PLAN_CHANGED' });
    expect(rec.writes()).toEqual([]);
  }, 60_000);
});
