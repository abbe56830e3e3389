/**
 * realWizardServices over the core, driven directly: a vault prepared by a small drill
 * (signed archive + identity), then every call the wizard makes, in the wizard's order.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFile, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { generateIdentity } from 'age-encryption';
import { listVault } from '../../src/vault/index.js';
import type { ProgressEvent } from '../../src/progress.js';
import { doneOps, fidelityRows, realWizardServices, restoreScriptArgs, RESTORE_SCRIPTS } from '../../tui/services-real.js';
import { PASSPHRASE_ENV, eventOfLine, scriptEnv } from '../../tui/script-runner.js';
import type { ScriptRunner } from '../../tui/script-runner.js';
import { runRecoveryScript, scriptInventory } from '../../src/ops/procedures.js';
import { startEmulator } from '../../src/emulator/index.js';
import { emptyTenant } from '../../src/emulator/seed/index.js';
import { planSha256 } from '../../src/ops/restore.js';
import type { FidelityReport } from '../../src/restore/fidelity.js';
import { drillVault, ensureBuilt } from './real-vault.js';
import { fitPath } from '../../tui/steps/report.js';

let dir: string;
let vault: string;
let identity: string;
let archive: string;

beforeAll(async () => {
  // the recovery scripts run the built CLI (bin/ → dist/)
  await ensureBuilt();
  dir = await mkdtemp(join(tmpdir(), 'ev-svc-real-'));
  const out = join(dir, 'drill');
  ({ vault, identity } = await drillVault(out));
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
      // issue 12 item 14f: who holds Global Administrator now, from the executed plan
      expect(result.globalAdmins?.restored.length).toBeGreaterThan(0);
      for (const upn of result.globalAdmins!.restored) expect(upn).toMatch(/^[^@\s]+@[^@\s]+( \(emergency access\))?$/);
      expect(result.globalAdmins?.notRestored).toEqual([]);
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

  it('runs the recovery scripts: 40 for a tenant-loss execute, 20 for the vault check, each audit-logged with its sha256; a plan changed since review is refused with zero writes', async () => {
    const emu = await startEmulator({ port: 0, tenants: [] });
    const tenant = emptyTenant({ seed: 31 });
    emu.addTenant(tenant);
    const writer = join(dir, 'scripts-writer.json');
    await emu.writeProfiles(tenant.tenantId, { readerPath: join(dir, 'scripts-reader.json'), writerPath: writer });
    const calls: { name: string; args: readonly string[]; env: Record<string, string | undefined>; extendEnv: boolean | undefined }[] = [];
    const recorder: ScriptRunner = (name, args, o = {}) => {
      calls.push({ name, args: [...args], env: { ...(o.env ?? {}) }, extendEnv: o.extendEnv });
      return runRecoveryScript(name, args, o);
    };
    const workDir = join(dir, 'work-scripts');
    const svc = realWizardServices({ workDir, vaultDir: vault, runScript: recorder });
    const auditRecords = async () => (await readFile(join(vault, 'audit.log'), 'utf8')).split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
    const inventory = await scriptInventory();
    const shaOf = (name: string) => inventory.find((x) => x.path === `recovery-scripts/${name}`)!.sha256;
    try {
      await svc.unlock({ archivePath: archive, identityPath: identity });
      const pre = await svc.connect({ profilePath: writer }, { onDeviceCode: () => undefined, signal: new AbortController().signal });
      expect(pre.tenantId).toBe(tenant.tenantId);
      // the plan is deterministic: two plannings of the same state hash alike
      const { plan } = await svc.plan({ scenario: 'tenant-loss' });
      const again = await svc.plan({ scenario: 'tenant-loss' });
      expect(planSha256(again.plan)).toBe(planSha256(plan));

      // without the typed confirmation the script runs as a dry run: plan files, no write
      emu.tenant(tenant.tenantId).resetStats();
      const dry = await svc.execute(plan, { reporter: { report: () => undefined }, signal: new AbortController().signal });
      expect(dry.status).toBe('dryRun');
      expect(emu.tenant(tenant.tenantId).stats().mutating).toBe(0);
      expect(dry.reportPath).toMatch(/restore-\d{8}T\d{9}Z\/plan\.json$/);
      expect(planSha256(JSON.parse(await readFile(dry.reportPath, 'utf8')) as typeof plan)).toBe(planSha256(plan));
      expect(dry.manualSteps).toEqual(plan.manualSteps);
      calls.length = 0;

      emu.tenant(tenant.tenantId).resetStats();
      // the vault is shared with the first test: look at the records this run adds
      const auditBefore = (await auditRecords()).length;
      const events: ProgressEvent[] = [];
      const result = await svc.execute(plan, { confirmTenantId: pre.tenantId, reporter: { report: (e) => events.push(e) }, signal: new AbortController().signal });
      expect(result.status).toBe('completed');

      // the script ran, with the reviewed plan's hash, an explicit environment and no secret in argv
      expect(calls.map((c) => c.name)).toEqual([RESTORE_SCRIPTS['tenant-loss']]);
      const call = calls[0]!;
      expect(call.extendEnv).toBe(false);
      expect(call.args).toEqual(expect.arrayContaining(['--expect-plan', planSha256(plan), '--confirm', pre.tenantId, '--identity', identity, '--target', writer]));
      const argv = call.args.join('\n');
      const identityText = (await readFile(identity, 'utf8')).trim();
      const clientSecret = (JSON.parse(await readFile(writer, 'utf8')) as { auth: { secret?: string } }).auth.secret;
      expect(identityText).toMatch(/^AGE-SECRET-KEY-/m);
      expect(argv).not.toContain('AGE-SECRET-KEY');
      expect(clientSecret).toBeTruthy();
      expect(argv).not.toContain(clientSecret!);
      expect(Object.values(call.env).join('\n')).not.toContain('AGE-SECRET-KEY');
      expect(call.env.ENTRA_VAULT_PROGRESS).toBe('jsonl');

      // audit-logged with the script's real sha256 and its exit code
      const run40 = (await auditRecords()).slice(auditBefore).filter((r) => r.action === 'procedure.run' && r.script === RESTORE_SCRIPTS['tenant-loss']);
      expect(run40).toHaveLength(1);
      // exit 1: the run finished but the seeded custom domain cannot come back through Graph (a
      // deviation), and a restore exits 0 only when everything came back (src/cli/commands/restore.ts)
      expect(run40[0]).toMatchObject({ sha256: shaOf(RESTORE_SCRIPTS['tenant-loss']), exitCode: 1, via: 'wizard' });
      // the CLI restore the script ran logged itself too
      expect((await auditRecords()).slice(auditBefore).some((r) => r.action === 'restore' && r.targetTenantId === tenant.tenantId)).toBe(true);

      // the target really got the objects
      const st = emu.tenant(tenant.tenantId);
      expect(st.stats().mutating).toBeGreaterThan(40);
      expect((st.exportState().data.objects.user ?? []).length).toBeGreaterThan(20);
      expect((st.exportState().data.objects.group ?? []).length).toBeGreaterThan(0);

      // what the wizard shows is read from the script's files
      expect(result.reportPath).toMatch(/restore-\d{8}T\d{9}Z\/restore-result\.json$/);
      const report = JSON.parse(await readFile(result.reportPath, 'utf8')) as { fidelity: FidelityReport; execution: { paused: boolean; tiers: { tier: number; total: number }[] } };
      expect(report.execution.paused).toBe(false);
      // the script's other files: plan.txt ends with the reviewed hash, for a person to copy;
      // its own before/after diffs show fewer objects missing after the restore
      const runDir = dirname(result.reportPath);
      expect(await readFile(join(runDir, 'plan.txt'), 'utf8')).toContain(`plan sha256 ${planSha256(plan)}`);
      const missing = async (f: string) => (JSON.parse(await readFile(join(runDir, f), 'utf8')) as { counts: { missing: number } }).counts.missing;
      expect(await missing('diff-after.json')).toBeLessThan(await missing('diff-before.json'));
      expect(result.fidelity).toEqual(fidelityRows(report.fidelity));
      expect(result.perTier.map((t) => t.tier)).toEqual(report.execution.tiers.map((t) => t.tier));
      expect(result.runbookPath.endsWith('runbook.md')).toBe(true);
      expect(await readFile(result.runbookPath, 'utf8')).toContain('#');
      const planJson = JSON.parse(await readFile(join(result.reportPath, '..', 'plan.json'), 'utf8')) as { manualSteps: unknown[] };
      expect(result.manualSteps).toEqual(planJson.manualSteps);
      expect(result.credentialsPath).toMatch(/restore-credentials\.age$/);
      // issue 12 item 14f: the Global Administrators from the script's plan and outcomes
      expect(result.globalAdmins?.restored.length).toBeGreaterThan(0);
      // progress arrived live: the CLI's JSON-lines events and the script's own step lines
      expect(events.some((e) => e.kind === 'phase' && e.phase === 'restore')).toBe(true);
      expect(events.some((e) => e.kind === 'log' && e.message.includes('5. restore into'))).toBe(true);
      expect(await svc.findUnfinishedJournal()).toBeNull();

      // the vault check runs 20-vault-custody-check.sh
      const verified = await svc.verifyArchive(archive, { reporter: { report: () => undefined }, signal: new AbortController().signal });
      expect(calls.at(-1)!.name).toBe('20-vault-custody-check.sh');
      expect(calls.at(-1)!.args).toEqual(expect.arrayContaining(['--vault', vault, '--identity', identity]));
      expect(verified, JSON.stringify(verified)).toMatchObject({ ok: true, signature: 'valid', problems: [] });
      expect(verified.entries).toBeGreaterThan(0);
      const run20 = (await auditRecords()).filter((r) => r.action === 'procedure.run' && r.script === '20-vault-custody-check.sh');
      expect(run20.at(-1)).toMatchObject({ sha256: shaOf('20-vault-custody-check.sh'), exitCode: 0 });

      // review a plan, then the target changes (security groups hard-deleted): refused, nothing written
      const reviewed = await svc.plan({ scenario: 'tenant-loss' });
      st.damage('hardDeleteSecurityGroups');
      st.resetStats();
      const before = (await readdir(workDir)).length;
      await expect(svc.execute(reviewed.plan, { confirmTenantId: pre.tenantId, reporter: { report: () => undefined }, signal: new AbortController().signal })).rejects.toMatchObject({ code: 'PLAN_CHANGED' });
      expect(st.stats().mutating).toBe(0);
      const refused = (await auditRecords()).filter((r) => r.action === 'procedure.run' && r.script === RESTORE_SCRIPTS['tenant-loss']);
      expect(refused.at(-1)).toMatchObject({ exitCode: 6 });
      // no journal, so nothing is offered for resume (the sidecar of the refused run is gone)
      expect(await svc.findUnfinishedJournal()).toBeNull();
      // resume records live in the vault (issue 12 item 9)
      const records = await Promise.all((await readdir(join(vault, '.restores'))).filter((n) => n.endsWith('.wizard.json')).map(async (n) => JSON.parse(await readFile(join(vault, '.restores', n), 'utf8')) as { journalPath: string }));
      expect(records.filter((r) => r.journalPath.startsWith(workDir))).toHaveLength(1);
      expect((await readdir(workDir)).length).toBe(before + 1);
    } finally {
      await svc.close();
      await emu.close();
    }
  }, 240_000);

  it('passes a rollback reason to a script as one argument after --allow-rollback, only when there is one', () => {
    const base = { archivePath: '/v/t/a.evault', profilePath: '/p/w.json', identityPath: '/k/i.txt', outDir: '/w/r', enableCa: false };
    expect(restoreScriptArgs(base)).not.toContain('--allow-rollback');
    const args = restoreScriptArgs({ ...base, allowRollbackReason: `it's "$(id)"; --confirm x` });
    expect(args.slice(args.indexOf('--allow-rollback'))).toEqual(['--allow-rollback', `it's "$(id)"; --confirm x`]);
  });

  it('puts no secret in a script\'s argv: a passphrase goes by environment variable name, its value only in the child environment', () => {
    const passphrase = 'correct horse battery staple';
    const args = restoreScriptArgs({
      archivePath: '/v/t/a.evault', profilePath: '/p/writer.json', identityPath: '/k/identity.txt', outDir: '/w/restore-1',
      vault: '/v', confirmTenantId: 'tid', expectPlanSha256: 'a'.repeat(64), selection: { objectIds: ['o1', 'o2'], attributes: ['jobTitle'] },
      passphraseEnv: PASSPHRASE_ENV, enableCa: true,
    });
    expect(args).toEqual([
      '--archive', '/v/t/a.evault', '--target', '/p/writer.json', '--identity', '/k/identity.txt', '--out', '/w/restore-1', '--vault', '/v',
      '--passphrase-env', PASSPHRASE_ENV, '--objects', 'o1,o2', '--attributes', 'jobTitle', '--enable-ca', '--expect-plan', 'a'.repeat(64), '--confirm', 'tid',
    ]);
    expect(args.join(' ')).not.toContain(passphrase);
    const env = scriptEnv({ [PASSPHRASE_ENV]: passphrase }, { PATH: '/bin', HOME: '/root', AWS_SECRET_ACCESS_KEY: 'nope', ENTRA_VAULT_BIN: '/x/ev' });
    expect(env[PASSPHRASE_ENV]).toBe(passphrase);
    // only the named basics of the wizard's environment are inherited
    expect(env.AWS_SECRET_ACCESS_KEY).toBeUndefined();
    expect(env).toMatchObject({ PATH: '/bin', HOME: '/root', ENTRA_VAULT_BIN: '/x/ev', ENTRA_VAULT_PROGRESS: 'jsonl', ENTRA_VAULT_STOP_WITH_PARENT: '1' });
  });

  it('turns script output lines into progress events: JSON lines as events, other lines as log text', () => {
    expect(eventOfLine('{"ts":"2026-01-01T00:00:00Z","kind":"progress","phase":"restore","item":"user","done":3,"total":9}')).toEqual({ kind: 'progress', phase: 'restore', item: 'user', done: 3, total: 9 });
    expect(eventOfLine('[2026-01-01T00:00:00Z] 5. restore into t')).toEqual({ kind: 'log', level: 'info', message: '[2026-01-01T00:00:00Z] 5. restore into t' });
    expect(eventOfLine('{"not":"an event"}')).toEqual({ kind: 'log', level: 'info', message: '{"not":"an event"}' });
    expect(eventOfLine('   ')).toBeUndefined();
  });

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
