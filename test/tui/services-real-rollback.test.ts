/**
 * realWizardServices with an OLDER archive of a tenant (issue 12 item 5, anti-rollback):
 * refused without a reason, audit-logged and passed to the recovery script with one, and
 * carried into a resumed run. Split from services-real.test.ts so the two long files run
 * side by side.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { access, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { identityToRecipient } from 'age-encryption';
import { systemClock } from '../../src/clock.js';
import { loadSigningKey } from '../../src/crypto/index.js';
import { createGraphClient } from '../../src/graph/index.js';
import { loadProfile } from '../../src/profile.js';
import { runBackup } from '../../src/snapshot/backup.js';
import { initialState, newerArchiveOf, reduce } from '../../tui/state.js';
import { listVault } from '../../src/vault/index.js';
import type { ProgressEvent } from '../../src/progress.js';
import { cli } from '../cli/io.js';
import { doneOps, realWizardServices, RESTORE_SCRIPTS } from '../../tui/services-real.js';
import { scriptEnv } from '../../tui/script-runner.js';
import type { ScriptRunner } from '../../tui/script-runner.js';
import { runRecoveryScript } from '../../src/ops/procedures.js';
import { startEmulator } from '../../src/emulator/index.js';
import { emptyTenant, seedTenant } from '../../src/emulator/seed/index.js';
import { drillVault, ensureBuilt } from './real-vault.js';

let dir: string;

beforeAll(async () => {
  // the recovery scripts run the built CLI (bin/ → dist/)
  await ensureBuilt();
  dir = await mkdtemp(join(tmpdir(), 'ev-svc-rollback-'));
}, 120_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('realWizardServices with an older archive', () => {
  it('restores an OLDER archive of the tenant only with a reason: audit-logged (rollback.override), passed to the script as --allow-rollback (and allowRollback in-process); without one refused with zero writes', async () => {
    // a vault with two archives of one tenant: the drill's, then a second backup (a higher sequence)
    const out = join(dir, 'rollback');
    const { vault: rbVault, identity: rbIdentity } = await drillVault(out);
    const source = seedTenant({ seed: 11, users: 40 });
    const emu = await startEmulator({ port: 0, tenants: [source] });
    try {
      await emu.writeProfiles(source.tenantId, { readerPath: join(out, 'again-reader.json'), writerPath: join(out, 'again-writer.json') });
      const secretKey = (await readFile(rbIdentity, 'utf8')).split('\n').find((l) => l.startsWith('AGE-SECRET-KEY-'))!;
      await runBackup({
        graph: await createGraphClient(await loadProfile(join(out, 'again-reader.json')), { clock: systemClock }),
        vaultDir: rbVault, recipients: [await identityToRecipient(secretKey)], signingKey: await loadSigningKey(join(out, 'keys', 'signing.key')),
        reporter: { report: () => undefined }, clock: systemClock, toolVersion: 'test',
      });
      const rows = (await listVault(rbVault)).sort((a, b) => (a.takenAt ?? '').localeCompare(b.takenAt ?? ''));
      expect(rows).toHaveLength(2);
      expect(rows[0]!.tenantId).toBe(rows[1]!.tenantId);
      const [older, newer] = [rows[0]!.file, rows[1]!.file];
      // the runbook reads the archive under the same vault rules (src/ops/open-archive.ts)
      const refused = await cli(['runbook', older, '--identity', rbIdentity]);
      expect(refused.code).not.toBe(0);
      expect(refused.err).toMatch(/ROLLBACK/);

      const target = emptyTenant({ seed: 41 });
      emu.addTenant(target);
      const writer = join(out, 'target-writer.json');
      await emu.writeProfiles(target.tenantId, { readerPath: join(out, 'target-reader.json'), writerPath: writer });
      const tenantCtl = emu.tenant(target.tenantId);

      const calls: { name: string; args: readonly string[] }[] = [];
      const recorder: ScriptRunner = (name, args, o = {}) => {
        calls.push({ name, args: [...args] });
        return runRecoveryScript(name, args, o);
      };
      const svc = realWizardServices({ workDir: join(dir, 'work-rollback'), vaultDir: rbVault, runScript: recorder });
      const auditRecords = async () => (await readFile(join(rbVault, 'audit.log'), 'utf8')).split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
      try {
        // the wizard's list marks the older archive, and the state machine refuses it without a reason
        const list = await svc.listArchives(rbVault);
        const olderInfo = list.find((a) => a.path === older)!;
        expect(newerArchiveOf(list, olderInfo)?.path).toBe(newer);
        expect(newerArchiveOf(list, list.find((a) => a.path === newer)!)).toBeNull();
        const chosen = [
          { type: 'scenarioChosen', scenario: 'tenant-loss' },
          { type: 'archivesLoaded', archives: list },
          { type: 'archiveChosen', archive: olderInfo },
        ] as const;
        const refusedState = chosen.reduce(reduce, initialState());
        expect(refusedState.step).toBe('archive');
        expect(refusedState.error?.code).toBe('ROLLBACK');

        // without a reason: the services refuse it too (the in-process check), nothing written
        await svc.unlock({ archivePath: older, identityPath: rbIdentity });
        await svc.connect({ profilePath: writer }, { onDeviceCode: () => undefined, signal: new AbortController().signal });
        tenantCtl.resetStats();
        await expect(svc.plan({ scenario: 'tenant-loss' })).rejects.toMatchObject({ code: 'ROLLBACK' });
        // and so does the recovery script, run with the typed confirmation but no --allow-rollback
        const direct = await runRecoveryScript(RESTORE_SCRIPTS['tenant-loss'], ['--archive', older, '--target', writer, '--identity', rbIdentity, '--out', join(dir, 'rollback-direct'), '--confirm', target.tenantId], { env: scriptEnv(), extendEnv: false });
        expect(direct.exitCode).not.toBe(0);
        expect(direct.stderr).toContain('[ROLLBACK]');
        expect(tenantCtl.stats().mutating).toBe(0);
        expect((await auditRecords()).some((r) => r.action === 'rollback.override' || r.action === 'rollback.allowed')).toBe(false);

        // with a reason: audit-logged first, then the plan and the scripted restore go through
        const canary = join(dir, 'rollback-canary');
        const reason = `03-02 already holds the attacker's changes; "$(touch ${canary})" \`touch ${canary}\` & exit 1`;
        const auditBefore = (await auditRecords()).length;
        await svc.overrideRollback!(older, reason);
        expect((await auditRecords()).slice(auditBefore)).toEqual([expect.objectContaining({ action: 'rollback.override', file: basename(older), reason, via: 'wizard' })]);
        const { plan } = await svc.plan({ scenario: 'tenant-loss' });
        expect(plan.archive.takenAt).toBe(rows[0]!.takenAt);
        tenantCtl.resetStats();
        const result = await svc.execute(plan, { confirmTenantId: target.tenantId, reporter: { report: () => undefined }, signal: new AbortController().signal });
        expect(result.status).toBe('completed');
        expect(tenantCtl.stats().mutating).toBeGreaterThan(40);

        // the reason went to the script as one literal argv element, and no shell ran it
        expect(calls.map((c) => c.name)).toEqual([RESTORE_SCRIPTS['tenant-loss']]);
        const args = calls[0]!.args;
        expect(args[args.indexOf('--allow-rollback') + 1]).toBe(reason);
        await expect(access(canary)).rejects.toThrow();

        const added = (await auditRecords()).slice(auditBefore);
        const actions = added.map((r) => r.action);
        expect(actions[0]).toBe('rollback.override');
        // exit 1: finished with the seeded custom domain as a deviation (0 only when everything came back)
        expect(added.filter((r) => r.action === 'procedure.run' && r.script === RESTORE_SCRIPTS['tenant-loss'])).toEqual([expect.objectContaining({ exitCode: 1, via: 'wizard' })]);
        // the CLI's own anti-rollback check accepted it with the literal reason (diff, plan, restore)
        const allowed = added.filter((r) => r.action === 'rollback.allowed');
        expect(allowed.length).toBeGreaterThanOrEqual(3);
        for (const r of allowed) expect(r.reason).toBe(reason);
        expect(added.some((r) => r.action === 'restore' && r.targetTenantId === target.tenantId)).toBe(true);
        expect(actions.indexOf('rollback.override')).toBeLessThan(actions.indexOf('procedure.run'));
        const runbook = await cli(['runbook', older, '--identity', rbIdentity, '--allow-rollback', 'runbook of the pre-incident state']);
        expect(runbook.code).toBe(0);
        expect(runbook.out).toContain('# ');
        expect((await auditRecords()).at(-1)).toMatchObject({ action: 'rollback.allowed', reason: 'runbook of the pre-incident state' });
      } finally {
        await svc.close();
      }

      // A paused scripted restore of the older archive resumes in a new session, which has no
      // Archive step to type the reason in: it comes back from the run's sidecar.
      const target3 = emptyTenant({ seed: 47 });
      emu.addTenant(target3);
      const writer3 = join(out, 'target3-writer.json');
      await emu.writeProfiles(target3.tenantId, { readerPath: join(out, 'target3-reader.json'), writerPath: writer3 });
      // slow writes so the run can be stopped part-way; the reads of the target before them (the
      // wizard's plan, the script's own plan) are not slowed
      emu.tenant(target3.tenantId).setFaults({ writeLatencyMs: 40 });
      const work3 = join(dir, 'work-rollback-resume');
      const resumeReason = 'resume: the newer backup holds the attacker changes';
      const svc3 = realWizardServices({ workDir: work3, vaultDir: rbVault });
      try {
        await svc3.overrideRollback!(older, resumeReason);
        await svc3.unlock({ archivePath: older, identityPath: rbIdentity });
        await svc3.connect({ profilePath: writer3 }, { onDeviceCode: () => undefined, signal: new AbortController().signal });
        const { plan: plan3 } = await svc3.plan({ scenario: 'tenant-loss' });
        const stop = new AbortController();
        const finished = async (): Promise<number> => {
          const run = (await readdir(work3).catch(() => [] as string[])).find((n) => /^restore-\d{8}T\d{9}Z$/.test(n));
          return run ? doneOps(await readFile(join(work3, run, 'restore.journal'), 'utf8').catch(() => '')) : 0;
        };
        const watcher = (async () => {
          while (!stop.signal.aborted) {
            if ((await finished()) >= 5) stop.abort();
            else await new Promise((r) => setTimeout(r, 20));
          }
        })();
        const paused = await svc3.execute(plan3, { confirmTenantId: target3.tenantId, reporter: { report: () => undefined }, signal: stop.signal }).finally(() => stop.abort());
        await watcher;
        expect(paused.status).toBe('paused');
        // the script stopped after the paused restore (an operation boundary): no diff-after yet
        const runDir3 = join(work3, (await readdir(work3)).find((n) => /^restore-\d{8}T\d{9}Z$/.test(n))!);
        expect((JSON.parse(await readFile(join(runDir3, 'restore-result.json'), 'utf8')) as { execution: { paused: boolean } }).execution.paused).toBe(true);
        await expect(access(join(runDir3, 'diff-after.json'))).rejects.toThrow();
      } finally {
        await svc3.close();
      }
      emu.tenant(target3.tenantId).setFaults({});
      const svc4 = realWizardServices({ workDir: work3, vaultDir: rbVault });
      try {
        const j = await svc4.findUnfinishedJournal();
        expect(j?.archivePath).toBe(older);
        await svc4.unlock({ archivePath: older, identityPath: rbIdentity });
        await svc4.connect({ profilePath: writer3 }, { onDeviceCode: () => undefined, signal: new AbortController().signal });
        const before4 = (await auditRecords()).length;
        const resumed = await svc4.resume(j!, { confirmTenantId: target3.tenantId, reporter: { report: () => undefined }, signal: new AbortController().signal });
        expect(resumed.status).toBe('completed');
        // --resume finished the journal and the rest of the flow, creating nothing twice
        const runDir4 = join(work3, (await readdir(work3)).find((n) => /^restore-\d{8}T\d{9}Z$/.test(n))!);
        expect((JSON.parse(await readFile(join(runDir4, 'restore-result.json'), 'utf8')) as { execution: { paused: boolean } }).execution.paused).toBe(false);
        await access(join(runDir4, 'diff-after.json'));
        const upns = (emu.tenant(target3.tenantId).exportState().data.objects.user ?? []).map((u) => String((u as { userPrincipalName?: unknown }).userPrincipalName).toLowerCase());
        expect(upns.length).toBeGreaterThan(1);
        expect(new Set(upns).size).toBe(upns.length);
        const added4 = (await auditRecords()).slice(before4);
        expect(added4.some((r) => r.action === 'procedure.run' && r.exitCode === 1)).toBe(true);
        expect(added4.filter((r) => r.action === 'rollback.allowed').map((r) => r.reason)).toContain(resumeReason);
      } finally {
        await svc4.close();
      }

      // The in-process path (a bad signature accepted: the scripts' custody check would refuse
      // it) checks the vault too: the signature override alone is not enough for an older
      // archive; with the rollback reason as well it restores.
      const sig = (await readFile(`${older}.minisig`, 'utf8')).split('\n');
      const raw = Buffer.from(sig[1]!, 'base64');
      raw[20] = raw[20]! ^ 0xff;
      sig[1] = raw.toString('base64');
      await writeFile(`${older}.minisig`, sig.join('\n'));
      const target2 = emptyTenant({ seed: 43 });
      emu.addTenant(target2);
      const writer2 = join(out, 'target2-writer.json');
      await emu.writeProfiles(target2.tenantId, { readerPath: join(out, 'target2-reader.json'), writerPath: writer2 });
      const svc2 = realWizardServices({ workDir: join(dir, 'work-rollback-inprocess'), vaultDir: rbVault, runScript: recorder });
      try {
        calls.length = 0;
        expect((await svc2.listArchives(rbVault)).find((a) => a.path === older)!.signature).toBe('invalid');
        await svc2.overrideSignature(older, 'signature damaged in transit; hashes compared by hand');
        await svc2.unlock({ archivePath: older, identityPath: rbIdentity });
        await svc2.connect({ profilePath: writer2 }, { onDeviceCode: () => undefined, signal: new AbortController().signal });
        emu.tenant(target2.tenantId).resetStats();
        await expect(svc2.plan({ scenario: 'tenant-loss' })).rejects.toMatchObject({ code: 'ROLLBACK' });
        expect(emu.tenant(target2.tenantId).stats().mutating).toBe(0);
        const before2 = (await auditRecords()).length;
        await svc2.overrideRollback!(older, 'in-process: the newer backup holds the attacker changes');
        const { plan: plan2 } = await svc2.plan({ scenario: 'tenant-loss' });
        const events: ProgressEvent[] = [];
        const r2 = await svc2.execute(plan2, { confirmTenantId: target2.tenantId, reporter: { report: (e) => events.push(e) }, signal: new AbortController().signal });
        expect(r2.status).toBe('completed');
        expect(calls).toEqual([]);
        expect(events.some((e) => e.kind === 'log' && e.message.includes('running in-process'))).toBe(true);
        expect(emu.tenant(target2.tenantId).stats().mutating).toBeGreaterThan(40);
        const added2 = (await auditRecords()).slice(before2);
        expect(added2[0]).toMatchObject({ action: 'rollback.override', file: basename(older), via: 'wizard' });
        expect(added2.some((r) => r.action === 'rollback.allowed' && r.reason === 'in-process: the newer backup holds the attacker changes')).toBe(true);
        expect(added2.some((r) => r.action === 'restore' && r.via === 'wizard' && r.targetTenantId === target2.tenantId)).toBe(true);
      } finally {
        await svc2.close();
      }
    } finally {
      await emu.close();
    }
  }, 300_000);

});
