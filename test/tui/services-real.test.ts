/**
 * realWizardServices over the core, driven directly: a vault prepared by a small drill
 * (signed archive + identity), then every call the wizard makes, in the wizard's order.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFile, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateIdentity } from 'age-encryption';
import { listVault } from '../../src/vault/index.js';
import { runDrill } from '../../src/scenarios/drill.js';
import type { ProgressEvent } from '../../src/progress.js';
import { doneOps, realWizardServices } from '../../tui/services-real.js';
import { fitPath } from '../../tui/steps/report.js';

let dir: string;
let vault: string;
let identity: string;
let archive: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ev-svc-real-'));
  const out = join(dir, 'drill');
  await runDrill({ scenario: 'tenant-loss', users: 40, seed: 11, outDir: out, reporter: { report: () => undefined }, toolVersion: 'test' });
  vault = join(out, 'vault');
  identity = join(out, 'keys', 'identity.txt');
  const rows = await listVault(vault);
  expect(rows).toHaveLength(1);
  archive = rows[0]!.file;
}, 120_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('realWizardServices', () => {
  it('lists, unlocks, connects, plans, executes and verifies a tenant-loss restore into the built-in emulator', async () => {
    const svc = realWizardServices({ workDir: join(dir, 'work'), vaultDir: vault });
    try {
      const list = await svc.listArchives(vault);
      expect(list).toHaveLength(1);
      expect(list[0]).toMatchObject({ path: archive, signature: 'valid' });
      expect(list[0]!.signatureProblem).toBeUndefined();
      expect(list[0]!.takenAt).toMatch(/^\d{4}-\d\d-\d\dT/);

      // a wrong identity is refused from the header: nothing unlocked
      const wrong = join(dir, 'wrong-identity.txt');
      await writeFile(wrong, `${await generateIdentity()}\n`);
      await expect(svc.unlock({ archivePath: archive, identityPath: wrong })).rejects.toMatchObject({ code: expect.stringMatching(/KEY_INVALID|PASSPHRASE_WRONG|DECRYPT_FAILED/) });
      await expect(svc.plan({ scenario: 'tenant-loss' })).rejects.toMatchObject({ code: 'USAGE' });

      await svc.unlock({ archivePath: archive, identityPath: identity });
      // the Connect step aborts its signal when the operator leaves it: later calls must not care
      const leaving = new AbortController();
      const pre = await svc.connect({ emulator: true }, { onDeviceCode: () => undefined, signal: leaving.signal });
      leaving.abort();
      expect(pre.tenantId).toMatch(/^[0-9a-f-]{36}$/);
      expect(pre.initialDomain).toMatch(/\.onmicrosoft\.com$/);
      expect(pre.state).toBe('empty');
      expect(pre.permissionsNeeded.length).toBeGreaterThan(5);
      expect(pre.missing).toEqual([]);
      for (const p of pre.permissionsNeeded) expect(pre.permissionsHeld.some((h) => h === p || h === p.replace('.Read.', '.ReadWrite.'))).toBe(true);

      const { plan } = await svc.plan({ scenario: 'tenant-loss' });
      expect(plan.scenario).toBe('tenant-loss');
      expect(plan.target.tenantId).toBe(pre.tenantId);
      expect(plan.operations.length).toBeGreaterThan(40);

      const events: ProgressEvent[] = [];
      const result = await svc.execute(plan, { confirmTenantId: pre.tenantId, reporter: { report: (e) => events.push(e) }, signal: new AbortController().signal });
      expect(result.status).toBe('completed');
      expect(result.perTier.length).toBeGreaterThan(0);
      const users = result.fidelity.find((r) => r.type === 'user');
      expect(users?.objects.expected).toBeGreaterThanOrEqual(40);
      // synced (on-premises) users come back through directory sync: a manual step, not a failure
      expect(users!.objects.matched).toBeGreaterThan(0);
      // every user not restored is on the deviations list, with a reason the operator can act on
      const missingUsers = new Set(result.deviations.filter((d) => d.type === 'user' && d.archivedId !== '').map((d) => d.archivedId));
      expect(missingUsers.size).toBeGreaterThanOrEqual(users!.objects.expected - users!.objects.matched);
      for (const d of result.deviations) expect(d.reason.length).toBeGreaterThan(0);
      // relation fidelity shows on the owning type's row (members on group)
      const groups = result.fidelity.find((r) => r.type === 'group');
      expect(groups!.relations.expected).toBeGreaterThan(0);
      expect(groups!.relations.matched).toBeGreaterThan(0);
      expect(result.credentialsPath).toBeDefined();
      expect(JSON.parse(await readFile(result.reportPath, 'utf8'))).toHaveProperty('fidelity');
      expect(events.some((e) => e.kind === 'phase')).toBe(true);
      // a finished restore is not offered for resume
      expect(await svc.findUnfinishedJournal()).toBeNull();
      // the audit log records the wizard's restore
      expect(await readFile(join(vault, 'audit.log'), 'utf8').catch(async () => (await readdir(vault)).join(' '))).toContain('restore');

      const verified = await svc.verifyArchive(archive, { reporter: { report: () => undefined }, signal: new AbortController().signal });
      expect(verified).toMatchObject({ ok: true, signature: 'valid', problems: [] });
      expect(verified.entries).toBeGreaterThan(0);
    } finally {
      await svc.close();
    }
  }, 120_000);

  it('lists a tampered copy of the archive with an invalid signature and fails its verification', async () => {
    const copyVault = join(dir, 'tampered-vault');
    const tenant = archive.split('/').at(-2)!;
    await mkdir(join(copyVault, tenant), { recursive: true });
    for (const f of await readdir(vault, { withFileTypes: true })) if (f.isFile()) await copyFile(join(vault, f.name), join(copyVault, f.name));
    for (const f of await readdir(join(vault, tenant))) await copyFile(join(vault, tenant, f), join(copyVault, tenant, f));
    const copy = join(copyVault, tenant, archive.split('/').at(-1)!);
    const bytes = await readFile(copy);
    bytes[bytes.length - 100] = bytes[bytes.length - 100]! ^ 0xff;
    await writeFile(copy, bytes);
    const svc = realWizardServices({ workDir: join(dir, 'work2'), vaultDir: copyVault });
    try {
      const list = await svc.listArchives(copyVault);
      expect(list).toHaveLength(1);
      expect(list[0]!.signature).toBe('invalid');
      expect(list[0]!.signatureProblem).toBeTruthy();
      const verified = await svc.verifyArchive(copy, { reporter: { report: () => undefined }, signal: new AbortController().signal });
      expect(verified.ok).toBe(false);
      expect(verified.signature).toBe('invalid');
      expect(verified.problems.length).toBeGreaterThan(0);
    } finally {
      await svc.close();
    }
  }, 60_000);

  it('an archive with a bad signature is refused until the operator overrides it with a reason, which is audit-logged', async () => {
    const copyVault = join(dir, 'badsig-vault');
    const tenant = archive.split('/').at(-2)!;
    await mkdir(join(copyVault, tenant), { recursive: true });
    for (const f of await readdir(vault, { withFileTypes: true })) if (f.isFile()) await copyFile(join(vault, f.name), join(copyVault, f.name));
    for (const f of await readdir(join(vault, tenant))) await copyFile(join(vault, tenant, f), join(copyVault, tenant, f));
    const copy = join(copyVault, tenant, archive.split('/').at(-1)!);
    // the ciphertext is intact; only the detached signature no longer verifies
    const sig = (await readFile(`${copy}.minisig`, 'utf8')).split('\n');
    const raw = Buffer.from(sig[1]!, 'base64');
    raw[20] = raw[20]! ^ 0xff;
    sig[1] = raw.toString('base64');
    await writeFile(`${copy}.minisig`, sig.join('\n'));
    const svc = realWizardServices({ workDir: join(dir, 'work3'), vaultDir: copyVault });
    try {
      expect((await svc.listArchives(copyVault))[0]!.signature).toBe('invalid');
      await svc.unlock({ archivePath: copy, identityPath: identity });
      await svc.connect({ emulator: true }, { onDeviceCode: () => undefined, signal: new AbortController().signal });
      await expect(svc.plan({ scenario: 'tenant-loss' })).rejects.toMatchObject({ code: 'SIGNATURE_INVALID' });
      await svc.overrideSignature(copy, 'drill: signing key rotated, hashes compared by hand');
      await svc.unlock({ archivePath: copy, identityPath: identity });
      const planned = await svc.plan({ scenario: 'tenant-loss' });
      expect(planned.plan.operations.length).toBeGreaterThan(0);
      const audit = await readFile(join(copyVault, 'audit.log'), 'utf8');
      expect(audit).toContain('signature.override');
      expect(audit).toContain('signing key rotated');
    } finally {
      await svc.close();
    }
  }, 90_000);

  it('counts finished operations of a journal by their latest state, ignoring a torn last line', () => {
    const text = [
      '{"kind":"entra-vault-restore-journal"}',
      '{"seq":1,"opId":"a","state":"started"}',
      '{"seq":2,"opId":"a","state":"done"}',
      '{"seq":3,"opId":"b","state":"started"}',
      '{"seq":4,"opId":"c","state":"skipped"}',
      '{"seq":5,"opId":"d","state":"done"}',
      '{"seq":6,"opId":"d","state":"failed"}',
      '{"seq":7,"opId":"e","sta',
    ].join('\n');
    expect(doneOps(text)).toBe(2);
    expect(doneOps('')).toBe(0);
  });

  it('cuts long paths from the left so the file name stays visible', () => {
    expect(fitPath('/short/name.json', 20)).toBe('/short/name.json');
    const cut = fitPath('/a/very/long/directory/restore-20261126T123859216Z.journal.report.json', 40);
    expect([...cut]).toHaveLength(40);
    expect(cut.startsWith('…')).toBe(true);
    expect(cut.endsWith('restore-20261126T123859216Z.journal.report.json'.slice(-39))).toBe(true);
  });
});
