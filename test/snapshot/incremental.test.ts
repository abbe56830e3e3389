/**
 * Issue 18 items 1–2: `backup --incremental` on the emulator. A chain (full → incremental →
 * incremental) composed at its last point equals a full backup taken at the same moment, fact
 * by fact (every object and every relation); the incrementals cost fewer Graph requests; a
 * tampered or missing parent fails with CHAIN_BROKEN (restore and `vault verify`); expired
 * tokens (7 days) and Graph's `410 Gone` fall back to a full backup and say why.
 * Delta behaviour relied on: docs/graph-facts.md §5 "Delta" —
 * https://learn.microsoft.com/graph/delta-query-overview, https://learn.microsoft.com/graph/api/group-delta
 */
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../../src/clock.js';
import { systemClock } from '../../src/clock.js';
import { loadSigningKey, type InitKeysResult } from '../../src/crypto/keys.js';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.js';
import { graphAppRoleId } from '../../src/emulator/graph-app.js';
import { seedTenant } from '../../src/emulator/seed/index.js';
import { createGraphClient } from '../../src/graph/index.js';
import type { GraphClient } from '../../src/graph/types.js';
import { openArchiveForUse } from '../../src/ops/open-archive.js';
import { loadProfile } from '../../src/profile.js';
import { silentReporter, type ProgressEvent } from '../../src/progress.js';
import { runBackup, type BackupResult } from '../../src/snapshot/backup.js';
import { incrementalBase } from '../../src/snapshot/incremental.js';
import { listVault, pruneVault, verifyVault, type PruneResult } from '../../src/vault/index.js';
import { consolidatePoint } from '../../src/ops/consolidate.js';
import { buildPlan } from '../../src/restore/plan/planner.js';
import { newKeys, tmp } from './helpers.js';

const tenant = seedTenant({ seed: 18, users: 30 });
const tid = tenant.tenantId;
/** The emulator's clock: moved 8 days ahead to make Graph expire the stored tokens. */
class ShiftClock implements Clock {
  shiftMs = 0;
  now(): Date {
    return new Date(Date.now() + this.shiftMs);
  }
  async sleep(ms: number): Promise<void> {
    await new Promise((r) => setTimeout(r, ms));
  }
}
const emuClock = new ShiftClock();
let emu: EmulatorHandle;
let keys: InitKeysResult;
let dir: string;
let vault: string;
let writer: GraphClient;
let readerPath: string;

async function backup(incremental: boolean, clock: Clock = systemClock, events: ProgressEvent[] = []): Promise<BackupResult> {
  const graph = await createGraphClient(await loadProfile(readerPath), { clock });
  return runBackup({
    graph, vaultDir: vault, recipients: [keys.recipient], signingKey: await loadSigningKey(keys.signingKeyPath),
    reporter: { report: (e) => void events.push(e) }, clock, toolVersion: 'test', createVault: true, incremental,
  });
}

const use = (archivePath: string) => openArchiveForUse({ archivePath, identityPath: keys.identityPath, expectedTenantId: tid, via: 'cli', readOnly: true });

/** Every object and relation, as comparable facts. */
async function facts(archivePath: string): Promise<{ objects: unknown; relations: unknown }> {
  const { data } = await use(archivePath);
  return { objects: data.objects, relations: data.relations };
}

const users = () => (tenant.objects.user ?? []).map((u) => String(u.id));
const groups = () => (tenant.objects.group ?? []).filter((g) => !(Array.isArray(g.groupTypes) && g.groupTypes.includes('DynamicMembership'))).map((g) => String(g.id));

/** What churn 2 added under parents that did not change (issue 18: audit log as change feed). */
const added = { pimGroup: '', pimPrincipal: '', ficApp: '', ficName: 'incr-fic', araResource: '', araPrincipal: '' };

/** A PIM for Groups eligibility, a federated credential and an app role assignment, each added without its parent changing. */
async function containedChurn(): Promise<void> {
  const pim = (tenant.objects.pimGroupEligibilitySchedule ?? [])[0]!;
  added.pimGroup = String(pim.groupId);
  added.pimPrincipal = users().find((u) => !(tenant.objects.pimGroupEligibilitySchedule ?? []).some((e) => e.principalId === u && e.groupId === pim.groupId))!;
  await writer.post('/identityGovernance/privilegedAccess/group/eligibilityScheduleRequests', {
    accessId: 'member', principalId: added.pimPrincipal, groupId: added.pimGroup, action: 'adminAssign', justification: 'issue 18 test',
    scheduleInfo: { startDateTime: new Date().toISOString(), expiration: { type: 'noExpiration' } },
  });
  added.ficApp = String(tenant.objects.application![1]!.id);
  await writer.post(`/applications/${added.ficApp}/federatedIdentityCredentials`, { name: added.ficName, issuer: 'https://token.actions.githubusercontent.com', subject: 'repo:o/r:ref:refs/heads/incr', audiences: ['api://AzureADTokenExchange'] });
  const ara = (tenant.objects.appRoleAssignment ?? []).find((a) => a.principalType === 'User')!;
  added.araResource = String(ara.resourceId);
  added.araPrincipal = users().find((u) => !(tenant.objects.appRoleAssignment ?? []).some((a) => a.principalId === u && a.resourceId === ara.resourceId))!;
  await writer.post(`/servicePrincipals/${added.araResource}/appRoleAssignedTo`, { principalId: added.araPrincipal, resourceId: added.araResource, appRoleId: ara.appRoleId });
}

let full: BackupResult;
let inc1: BackupResult;
let inc2: BackupResult;
let pruned: PruneResult;

beforeAll(async () => {
  keys = await newKeys();
  dir = tmp('ev-incr-');
  vault = join(dir, 'vault');
  emu = await startEmulator({ port: 0, tenants: [tenant], clock: emuClock });
  readerPath = join(dir, 'r.json');
  await emu.writeProfiles(tid, { readerPath, writerPath: join(dir, 'w.json') });
  writer = await createGraphClient(await loadProfile(join(dir, 'w.json')), { reporter: silentReporter });
  full = await backup(true); // no archive yet: a full one, saying why
  const [u0, u1, u2, u3] = users();
  const [g0] = groups();
  const base = emu.graphBaseUrl;
  // churn 1: a new user, a changed user, a deleted user, a membership added and one removed, a manager
  const created = await writer.post<{ id: string }>('/users', { accountEnabled: true, displayName: 'Incr One', mailNickname: 'incr1', userPrincipalName: `incr1@${tenant.initialDomain}`, passwordProfile: { password: 'Xy!23456789abc', forceChangePasswordNextSignIn: true } });
  await writer.patch(`/users/${u0}`, { jobTitle: 'Changed by churn 1' });
  await writer.delete(`/users/${u1}`);
  await writer.post(`/groups/${g0}/members/$ref`, { '@odata.id': `${base}/directoryObjects/${created.id}` });
  await writer.put(`/users/${u2}/manager/$ref`, { '@odata.id': `${base}/users/${u3}` });
  inc1 = await backup(true);
  // churn 2: the new user leaves the group again, a group changes
  await writer.delete(`/groups/${g0}/members/${created.id}/$ref`);
  await writer.patch(`/groups/${g0}`, { description: 'Changed by churn 2' });
  // contained writes whose parent does not change: found through the directory audit log
  await containedChurn();
  inc2 = await backup(true);
  pruned = await pruneVault(vault, { keepDaily: 0, keepWeekly: 0, keepMonthly: 0, keepYearly: 0, dryRun: true });
}, 60_000);

afterAll(async () => {
  await emu?.close();
});

describe('backup --incremental', () => {
  it('starts a chain with a full backup, then writes linked incrementals that read less', () => {
    expect(full.kind).toBe('full');
    expect(full.fallback).toMatch(/no archive of this tenant/);
    expect([inc1.kind, inc1.chainIndex, inc2.kind, inc2.chainIndex]).toEqual(['incremental', 1, 'incremental', 2]);
    // each client counts its own requests
    expect(inc1.graphRequests).toBeLessThan(full.graphRequests);
    // the created user, the changed one and the one whose manager changed (Graph tracks manager
    // as a user change when selected, docs/graph-facts.md §5), nothing else
    expect(inc1.counts['objects/user']).toBe(3);
  });

  it('the chain composed at each point equals a full backup taken at the same moment, fact by fact', async () => {
    const now = await backup(false);
    expect(now.kind).toBe('full');
    expect(await facts(inc2.archivePath)).toEqual(await facts(now.archivePath));
    // and a restore from either plans the same writes: the tenant-loss plan into an empty tenant
    const meta = { tenantId: tid, takenAt: '2026-12-04T00:00:00Z', manifestSha256: 'ab'.repeat(32) };
    const live = { tenantId: 'target', initialDomain: 'target.onmicrosoft.com', objects: {}, relations: {}, deleted: {}, verifiedDomains: ['target.onmicrosoft.com'] };
    const planOf = async (path: string) => {
      const p = buildPlan({ archive: (await use(path)).data, archiveMeta: meta, live, scenario: 'tenant-loss' });
      return { operations: p.operations, warnings: p.warnings, skipped: p.skipped };
    };
    const [fromChain, fromFull] = [await planOf(inc2.archivePath), await planOf(now.archivePath)];
    expect(fromChain.operations.length).toBeGreaterThan(100);
    expect(fromChain).toEqual(fromFull);
  });

  it('re-reads contained types only under changed or audit-named parents; what churn 2 added under unchanged parents is in the next point', async () => {
    // the incremental read few contained objects; composition carries the untouched parents' children
    const { data } = await use(inc2.archivePath);
    const objs = data.objects as Record<string, Array<Record<string, unknown>>>;
    for (const t of ['pimGroupPolicy', 'groupSpecificSetting', 'extensionProperty', 'appRoleAssignment']) {
      expect(objs[t]?.length ?? 0, t).toBe(full.counts[`objects/${t}`]! + (t === 'appRoleAssignment' ? 1 : 0));
    }
    expect(inc2.counts['objects/pimGroupPolicy']!).toBeLessThan(full.counts['objects/pimGroupPolicy']!);
    expect(inc2.counts['objects/appRoleAssignment']!).toBeLessThan(full.counts['objects/appRoleAssignment']!);
    expect(objs.pimGroupEligibilitySchedule!.some((e) => e.groupId === added.pimGroup && e.principalId === added.pimPrincipal)).toBe(true);
    expect(objs.federatedIdentityCredential!.some((f) => f.name === added.ficName && f['@parentId'] === added.ficApp)).toBe(true);
    expect(objs.appRoleAssignment!.some((a) => a.principalId === added.araPrincipal && a.resourceId === added.araResource)).toBe(true);
  });

  it('prune keeps every parent of a kept incremental (never orphans one)', () => {
    expect(pruned.removed).toEqual([]);
    expect(pruned.kept.find((k) => k.file === full.archivePath)?.reasons).toEqual(['parent of a kept incremental']);
    expect(pruned.kept.find((k) => k.file === inc1.archivePath)?.reasons).toEqual(['parent of a kept incremental']);
  });

  it('vault consolidate writes the chain point as one full archive, signed anew, with the same facts', async () => {
    const c = await consolidatePoint({
      point: inc2.archivePath, vault, identityPath: keys.identityPath, recipients: [keys.recipient], signingKey: await loadSigningKey(keys.signingKeyPath),
      toolVersion: 'test', allowRollback: 'test: newer archives exist',
    });
    const listed = (await listVault(vault)).find((l) => l.file === c.archivePath);
    expect(listed).toMatchObject({ signature: 'valid', manifestSha256: c.manifestSha256 });
    expect(listed?.parent).toBeUndefined();
    expect(await facts(c.archivePath)).toEqual(await facts(inc2.archivePath));
  });

  it('lists the chain: parent hash and link index', async () => {
    const l = (await listVault(vault)).filter((a) => a.tenantId === tid);
    const byFile = new Map(l.map((a) => [a.file, a]));
    expect(byFile.get(inc1.archivePath)?.parent).toEqual({ manifestSha256: full.manifestSha256, index: 1 });
    expect(byFile.get(inc2.archivePath)?.parent).toEqual({ manifestSha256: inc1.manifestSha256, index: 2 });
    expect((await verifyVault(vault)).ok).toBe(true);
  });

  it('falls back to a full backup when Graph answers 410 Gone to a stored token', async () => {
    emuClock.shiftMs = 8 * 86_400_000; // Graph's side: the token's sync state has expired
    try {
      const events: ProgressEvent[] = [];
      const r = await backup(true, systemClock, events);
      expect(r.kind).toBe('full');
      expect(r.fallback).toMatch(/410 Gone/);
      expect(events.some((e) => e.kind === 'warning' && e.code === 'INCREMENTAL_FALLBACK')).toBe(true);
    } finally {
      emuClock.shiftMs = 0;
    }
  });

  it('takes no incremental on tokens older than 7 days: the base says why', async () => {
    const later: Clock = { now: () => new Date(Date.now() + 8 * 86_400_000), sleep: async () => undefined };
    const r = await incrementalBase(vault, tid, await loadSigningKey(keys.signingKeyPath), later);
    expect(r).toMatchObject({ ok: false, reason: expect.stringMatching(/days old; Graph keeps them 7 days/) });
    expect(await incrementalBase(vault, tid, await loadSigningKey(keys.signingKeyPath), systemClock)).toMatchObject({ ok: true });
  });

  it('reads contained types in full and says why when the audit log answers 403 (no AuditLog.Read.All)', async () => {
    // List directoryAudits needs AuditLog.Read.All (https://learn.microsoft.com/graph/api/directoryaudit-list, docs/graph-facts.md S310)
    const readerApp = tenant.credentials.find((c) => c.role === 'backupReader')!.clientId;
    const sp = (await writer.get<{ value: Array<{ id: string }> }>(`/servicePrincipals?$filter=${encodeURIComponent(`appId eq '${readerApp}'`)}&$select=id`)).value[0]!.id;
    const audit = graphAppRoleId('AuditLog.Read.All');
    const grant = (await writer.get<{ value: Array<{ id: string; appRoleId: string; resourceId: string }> }>(`/servicePrincipals/${sp}/appRoleAssignments`)).value.find((a) => a.appRoleId === audit)!;
    await writer.delete(`/servicePrincipals/${sp}/appRoleAssignments/${grant.id}`);
    try {
      const events: ProgressEvent[] = [];
      const r = await backup(true, systemClock, events);
      expect(r.kind).toBe('incremental');
      const w = events.find((e) => e.kind === 'warning' && e.code === 'INCREMENTAL_FALLBACK');
      expect(w && 'message' in w ? w.message : '').toMatch(/contained types read in full.*answered 403/);
      for (const t of ['pimGroupPolicy', 'groupSpecificSetting']) expect(r.counts[`objects/${t}`], t).toBe(full.counts[`objects/${t}`]);
    } finally {
      await writer.post(`/servicePrincipals/${sp}/appRoleAssignments`, { principalId: sp, resourceId: grant.resourceId, appRoleId: audit });
    }
  });

  it('a SIGKILL during an incremental (reading, sealing) leaves every chain valid; the next run chains on', async () => {
    // the built CLI, as the scheduler runs it (docs/archive-format.md §12.5)
    const bin = join(import.meta.dirname, '..', '..', 'bin', 'entra-vault.js');
    if (!existsSync(join(import.meta.dirname, '..', '..', 'dist', 'src', 'cli', 'main.js'))) throw new Error('dist/ is missing: run npm run build before this test');
    await writer.patch(`/users/${users()[0]}`, { jobTitle: 'before the kill' });
    for (const at of [/== backup: reading objects/, /== backup: sealing/]) {
      const child = spawn(process.execPath, [bin, 'backup', '--source', readerPath, '--vault', vault, '--recipient', keys.recipient, '--signing-key', keys.signingKeyPath, '--incremental'], { stdio: ['ignore', 'ignore', 'pipe'] });
      let err = '';
      const killed = await new Promise<boolean>((resolve) => {
        child.stderr!.on('data', (d: Buffer) => {
          err += d.toString();
          if (at.test(err)) child.kill('SIGKILL');
        });
        child.on('exit', (_c, sig) => resolve(sig === 'SIGKILL'));
      });
      expect(killed, err.slice(-500)).toBe(true);
      const v = await verifyVault(vault);
      expect(v.archives.filter((a) => a.error !== undefined)).toEqual([]);
      expect(v.ok).toBe(true);
    }
    const next = await backup(true);
    expect(next.kind).toBe('incremental');
    expect((await verifyVault(vault)).ok).toBe(true);
  });

  it('a tampered or missing parent fails restore from that point and vault verify with CHAIN_BROKEN', async () => {
    const f = inc1.archivePath;
    chmodSync(f, 0o644);
    const bytes = readFileSync(f);
    bytes[bytes.length - 100] ^= 1;
    writeFileSync(f, bytes);
    await expect(use(inc2.archivePath)).rejects.toMatchObject({ code: 'CHAIN_BROKEN' });
    const v = await verifyVault(vault);
    expect(v.ok).toBe(false);
    expect(v.archives.find((a) => a.file === inc2.archivePath)).toMatchObject({ error: 'CHAIN_BROKEN' });
    bytes[bytes.length - 100] ^= 1;
    writeFileSync(f, bytes);
    renameSync(f, `${f}.away`);
    await expect(use(inc2.archivePath)).rejects.toMatchObject({ code: 'CHAIN_BROKEN', message: expect.stringMatching(/missing from the vault/) });
    renameSync(`${f}.away`, f);
    await expect(use(inc2.archivePath)).resolves.toBeDefined();
  });
});
