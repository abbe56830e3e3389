/**
 * Issue 15 item 2, security defaults through the whole product: archived like any setting,
 * and on a tenant-loss restore into a new tenant (security defaults on, as in every tenant
 * created since October 2019) the plan turns them off — only because the archive had them
 * off, and its label says so — before any Conditional Access policy is switched on, which
 * Graph refuses while they are on (src/emulator/security-defaults.ts names the sources).
 * Checked through Graph after the restore, not through the tool's report.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.js';
import { emptyTenant, seedTenant } from '../../src/emulator/seed/index.js';
import type { SeededTenant } from '../../src/emulator/seed/types.js';
import { silentReporter } from '../../src/progress.js';
import { MemoryCredentialsSink } from '../../src/restore/credentials.js';
import { runRestore } from '../../src/ops/restore.js';
import { backupOf, writerOf } from './emulator-fixture.js';

let dir: string;
let emu: EmulatorHandle;
let source: SeededTenant;
let fresh: SeededTenant;
const targets: SeededTenant[] = [];
const PATH = '/policies/identitySecurityDefaultsEnforcementPolicy';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ev-secdef-'));
  source = seedTenant({ seed: 23, users: 12 });
  fresh = emptyTenant({ seed: 24 });
  targets.push(emptyTenant({ seed: 25 }), emptyTenant({ seed: 26 }), emptyTenant({ seed: 27 }), emptyTenant({ seed: 28 }));
  emu = await startEmulator({ port: 0, tenants: [source, fresh, ...targets] });
}, 60_000);

afterAll(async () => {
  await emu?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function restoreInto(from: SeededTenant, to: SeededTenant, journal: string, enableConditionalAccess = true) {
  const work = join(dir, journal.replace('.journal', ''));
  await mkdir(work);
  const { archive, archiveMeta } = await backupOf(emu, from.tenantId, work);
  const { graph } = await writerOf(emu, to.tenantId, work);
  const r = await runRestore({
    archive, archiveMeta, graph, targetTenantId: to.tenantId, scenario: 'tenant-loss', dryRun: false, confirmTenantId: to.tenantId,
    journalPath: join(dir, journal), credentialsSink: new MemoryCredentialsSink(), reporter: silentReporter, enableConditionalAccess,
  });
  return { r, archive, graph };
}

describe('security defaults on a tenant-loss restore', () => {
  it('turns them off before the CA policies are switched on, when the archive had them off', { timeout: 180_000 }, async () => {
    const { r, archive, graph } = await restoreInto(source, targets[0]!, 'off.journal');
    expect(archive.objects.identitySecurityDefaultsEnforcementPolicy?.[0]).toMatchObject({ isEnabled: false });
    const sd = r.plan.operations.find((o) => 'type' in o && o.type === 'identitySecurityDefaultsEnforcementPolicy');
    expect(sd?.label).toBe('Turn security defaults off, as archived, before Conditional Access policies are switched on (kept on if they stay report-only)');
    const enables = r.plan.operations.filter((o) => o.kind === 'enableConditionalAccess' && o.state === 'enabled');
    expect(enables.length).toBeGreaterThan(0);
    for (const e of enables) expect(e.dependsOn).toContain(sd!.opId);
    expect(r.execution?.failures).toEqual([]);
    // through Graph: defaults off, and every CA policy enabled in the archive is enabled again
    expect((await graph.get<{ isEnabled: boolean }>(PATH)).isEnabled).toBe(false);
    const live: { displayName: string; state: string }[] = [];
    for await (const p of graph.list<{ displayName: string; state: string }>('/identity/conditionalAccess/policies')) live.push(p);
    const archivedOn = (archive.objects.conditionalAccessPolicy ?? []).filter((p) => p.state === 'enabled').map((p) => String(p.displayName)).sort();
    expect(archivedOn.length).toBeGreaterThan(0);
    expect(live.filter((p) => p.state === 'enabled').map((p) => p.displayName).sort()).toEqual(archivedOn);
  });

  it('keeps them on when the CA policies stay report-only (the CLI without --enable-ca): never neither', { timeout: 180_000 }, async () => {
    const { r, graph } = await restoreInto(source, targets[3]!, 'report-only.journal', false);
    const sd = r.plan.operations.find((o) => 'type' in o && o.type === 'identitySecurityDefaultsEnforcementPolicy')!;
    expect(r.execution?.failures).toEqual([]);
    expect(r.execution?.outcomes.find((o) => o.opId === sd.opId)?.outcome).toBe('leftReportOnly');
    expect((await graph.get<{ isEnabled: boolean }>(PATH)).isEnabled).toBe(true);
    const live: { state: string }[] = [];
    for await (const p of graph.list<{ state: string }>('/identity/conditionalAccess/policies')) live.push(p);
    expect(live.some((p) => p.state === 'enabled')).toBe(false);
  });

  it('leaves them on when the archive had them on', { timeout: 180_000 }, async () => {
    const { r, archive, graph } = await restoreInto(fresh, targets[1]!, 'on.journal');
    expect(archive.objects.identitySecurityDefaultsEnforcementPolicy?.[0]).toMatchObject({ isEnabled: true });
    expect(r.plan.operations.some((o) => 'type' in o && o.type === 'identitySecurityDefaultsEnforcementPolicy')).toBe(false);
    expect(r.execution?.failures).toEqual([]);
    expect((await graph.get<{ isEnabled: boolean }>(PATH)).isEnabled).toBe(true);
  });

  it('an objects restore into a tenant whose security defaults are on leaves an enabled CA policy report-only, with the reason', { timeout: 180_000 }, async () => {
    const work = join(dir, 'objects');
    await mkdir(work);
    const { archive, archiveMeta } = await backupOf(emu, source.tenantId, work);
    const to = targets[2]!;
    const { graph } = await writerOf(emu, to.tenantId, work);
    const policy = (archive.objects.conditionalAccessPolicy ?? []).find((p) => p.state === 'enabled')!;
    const r = await runRestore({
      archive, archiveMeta: { ...archiveMeta, tenantId: to.tenantId }, graph, targetTenantId: to.tenantId, scenario: 'objects',
      selection: { objectIds: [policy.id] }, dryRun: false, confirmTenantId: to.tenantId, journalPath: join(work, 'objects.journal'),
      credentialsSink: new MemoryCredentialsSink(), reporter: silentReporter, enableConditionalAccess: true,
    });
    // the operator chose objects, not the tenant's security settings: defaults stay on, and
    // the policy is not switched on (Graph would refuse) but listed with the reason
    expect(r.plan.operations.some((o) => 'type' in o && o.type === 'identitySecurityDefaultsEnforcementPolicy')).toBe(false);
    expect(r.plan.reportOnly.find((x) => x.archivedId === policy.id)?.reason).toMatch(/security defaults are on/);
    expect(r.execution?.failures).toEqual([]);
    expect((await graph.get<{ isEnabled: boolean }>(PATH)).isEnabled).toBe(true);
    const live: { displayName: string; state: string }[] = [];
    for await (const p of graph.list<{ displayName: string; state: string }>('/identity/conditionalAccess/policies')) live.push(p);
    expect(live.find((p) => p.displayName === policy.displayName)?.state).toBe('enabledForReportingButNotEnforced');
  });
});
