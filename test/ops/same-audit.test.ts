/**
 * One restore, two entry points, the same evidence (docs/audit-log.md "restore"): a restore
 * through the CLI and one through the wizard's services leave the same audit records, apart
 * from the time, the chain link, the target tenant and the entry point they name. Twice: a
 * signed archive (the wizard runs its recovery script), and an archive whose bad signature the
 * operator accepts with a reason (the wizard runs in-process, the CLI with --allow-bad-signature).
 * The CLI gets --enable-ca because the wizard's restores switch verified CA policies on.
 */
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../cli/io.js';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.js';
import { emptyTenant } from '../../src/emulator/seed/index.js';
import { listVault } from '../../src/vault/index.js';
import { realWizardServices } from '../../tui/services-real.js';
import { drillVault, ensureBuilt } from '../tui/real-vault.js';

type Rec = Record<string, unknown>;
let dir: string;
let vault: string;
let identity: string;
let archive: string;
let emu: EmulatorHandle;

const records = async (): Promise<Rec[]> => (await readFile(join(vault, 'audit.log'), 'utf8')).split('\n').filter(Boolean).map((l) => JSON.parse(l) as Rec);

/** A record without what legitimately differs between two runs: time, chain link, target, entry point. */
const comparable = (r: Rec): Rec => {
  const { at, prev, targetTenantId, via, ...rest } = r;
  void at, void prev, void targetTenantId, void via;
  return rest;
};

async function newTarget(name: string): Promise<{ tenantId: string; writer: string }> {
  const t = emptyTenant({ seed: name.length * 7 + 3 });
  emu.addTenant(t);
  const writer = join(dir, `${name}-writer.json`);
  await emu.writeProfiles(t.tenantId, { readerPath: join(dir, `${name}-reader.json`), writerPath: writer });
  return { tenantId: t.tenantId, writer };
}

/** The records one action appended to the vault's audit log. */
async function added(action: () => Promise<void>): Promise<Rec[]> {
  const before = (await records()).length;
  await action();
  return (await records()).slice(before);
}

async function wizardRestore(archivePath: string, writer: string, override?: string): Promise<void> {
  const svc = realWizardServices({ workDir: join(dir, `work-${Date.now()}`), vaultDir: vault });
  try {
    if (override) await svc.overrideSignature(archivePath, override);
    await svc.unlock({ archivePath, identityPath: identity });
    const pre = await svc.connect({ profilePath: writer }, { onDeviceCode: () => undefined, signal: new AbortController().signal });
    const { plan } = await svc.plan({ scenario: 'tenant-loss' });
    const r = await svc.execute(plan, { confirmTenantId: pre.tenantId, reporter: { report: () => undefined }, signal: new AbortController().signal });
    expect(r.status).toBe('completed');
  } finally {
    await svc.close();
  }
}

beforeAll(async () => {
  await ensureBuilt(); // the wizard's recovery scripts run the built CLI
  dir = await mkdtemp(join(tmpdir(), 'ev-same-audit-'));
  const out = join(dir, 'drill');
  ({ vault, identity, archive } = await drillVault(out, 30, 5));
  emu = await startEmulator({ port: 0, tenants: [] });
}, 180_000);

afterAll(async () => {
  await emu?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('the same audit evidence from the CLI and the wizard', () => {
  it('a signed archive: the CLI restore and the wizard (through its recovery script) record the same restore', async () => {
    const a = await newTarget('cli');
    const b = await newTarget('wizard');
    const viaCli = await added(async () => {
      const r = await cli(['restore', archive, '--target', a.writer, '--identity', identity, '--scenario', 'tenant-loss', '--enable-ca', '--confirm', a.tenantId, '--journal', join(dir, 'cli.journal'), '--credentials-out', join(dir, 'cli-credentials.age')]);
      // 1: finished, with the seeded custom domain as a deviation (0 only when everything came back)
      expect(r.code, r.err).toBe(1);
    });
    const viaWizard = await added(() => wizardRestore(archive, b.writer));

    const restoreOf = (rs: Rec[]) => rs.filter((r) => r.action === 'restore');
    expect(restoreOf(viaCli)).toHaveLength(1);
    expect(restoreOf(viaWizard)).toHaveLength(1);
    const [c, w] = [restoreOf(viaCli)[0]!, restoreOf(viaWizard)[0]!];
    expect(c).toMatchObject({ v: 2, via: 'cli', targetTenantId: a.tenantId, outcome: 'completed', failures: 0 });
    expect(w).toMatchObject({ v: 2, via: 'wizard', targetTenantId: b.tenantId });
    expect(c.objectsExpected).toBeGreaterThan(30);
    expect(c.manifestSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(comparable(w)).toEqual(comparable(c));
    // the wizard's run also names the script it ran, with its SHA-256
    // exit 1: finished, but the seeded custom domain is a deviation (exit 0 only when everything came back)
    expect(viaWizard.filter((r) => r.action === 'procedure.run')).toEqual([expect.objectContaining({ script: '40-recover-tenant-loss.sh', exitCode: 1, via: 'wizard' })]);
    // apart from the script's own records, nothing else differs
    expect(viaWizard.filter((r) => !String(r.action).startsWith('procedure.')).map(comparable)).toEqual(viaCli.map(comparable));
  }, 240_000);

  it('a bad signature accepted with a reason: the same override record (with the manifest hash) and the same restore, in-process in the wizard', async () => {
    const copyDir = join(vault, String((await listVault(vault))[0]!.tenantId));
    const bad = join(copyDir, 'resigned.evault');
    await copyFile(archive, bad);
    const sig = (await readFile(`${archive}.minisig`, 'utf8')).split('\n');
    const raw = Buffer.from(sig[1]!, 'base64');
    raw[20] = raw[20]! ^ 0xff;
    sig[1] = raw.toString('base64');
    await writeFile(`${bad}.minisig`, sig.join('\n'));
    const reason = 'drill: signing key rotated, hashes compared by hand';
    const a = await newTarget('cli-override');
    const b = await newTarget('wizard-override');
    const viaCli = await added(async () => {
      const r = await cli(['restore', bad, '--target', a.writer, '--identity', identity, '--scenario', 'tenant-loss', '--enable-ca', '--confirm', a.tenantId, '--allow-bad-signature', reason, '--journal', join(dir, 'cli-override.journal'), '--credentials-out', join(dir, 'cli-override-credentials.age')]);
      expect(r.code, r.err).toBe(1);
    });
    expect(viaCli.map((r) => r.action)).toEqual(['signature.override', 'restore']);
    const viaWizard = await added(() => wizardRestore(bad, b.writer, reason));
    expect(viaWizard.map((r) => r.action)).toEqual(['signature.override', 'restore']);
    expect(viaWizard[0]).toMatchObject({ via: 'wizard', reason, file: expect.stringContaining('resigned.evault'), manifestSha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(viaWizard.map(comparable)).toEqual(viaCli.map(comparable));
  }, 240_000);
});
