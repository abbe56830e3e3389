/**
 * Every recovery script run end to end against the Graph emulator, through
 * runRecoveryScript (execa, argument arrays). Needs the build (dist/): `npm test` builds first.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot, runRecoveryScript } from '../../src/ops/procedures.js';

const root = packageRoot();
const bin = join(root, 'bin', 'entra-vault.js');
const tmp = mkdtempSync(join(tmpdir(), 'ev-procedures-'));
const keys = join(tmp, 'keys');
const vault = join(tmp, 'vault');
const offline = join(tmp, 'offline-vault');
const emulators: ResultPromise[] = [];
const profiles = {
  source: join(tmp, 'source-reader.json'),
  sourceWriter: join(tmp, 'source-writer.json'),
  target: join(tmp, 'target-reader.json'),
  targetWriter: join(tmp, 'target-writer.json'),
};
const HOSTILE = `Ops $(touch ${join(tmp, 'pwned1')}) \`touch ${join(tmp, 'pwned2')}\`; touch ${join(tmp, 'pwned3')}`;
const env = { ENTRA_VAULT_OPERATOR: undefined, TMPDIR: tmp };

async function startEmulator(args: string[], profile: string): Promise<void> {
  const p = execa('node', [bin, 'emulator', '--port', '0', ...args], { reject: false, stdout: 'ignore', stderr: 'ignore' });
  emulators.push(p);
  for (let i = 0; i < 300 && !existsSync(profile); i++) await new Promise((r) => setTimeout(r, 100));
  if (!existsSync(profile)) throw new Error(`emulator did not write ${profile}`);
}

function archive(v: string): string {
  const t = readdirSync(v, { withFileTypes: true }).find((d) => d.isDirectory() && !d.name.startsWith('.'))!.name;
  return join(v, t, readdirSync(join(v, t)).find((f) => f.endsWith('.evault'))!);
}

const tenantOf = (profile: string) => (JSON.parse(readFileSync(profile, 'utf8')) as { tenantId: string }).tenantId;

beforeAll(async () => {
  await execa('node', [bin, 'keys', 'init', '--dir', keys, '--x25519']);
  await startEmulator(['--users', '30', '--seed', '7', '--profile-out', profiles.source, '--writer-profile-out', profiles.sourceWriter], profiles.sourceWriter);
  await startEmulator(['--empty', '--profile-out', profiles.target, '--writer-profile-out', profiles.targetWriter], profiles.targetWriter);
}, 120_000);

afterAll(async () => {
  for (const e of emulators) e.kill('SIGTERM');
  await Promise.allSettled(emulators);
});

const ok = (r: { exitCode: number; stderr: string }) => expect(r.exitCode, r.stderr.slice(-2000)).toBe(0);

describe.sequential('recovery scripts against the emulator', () => {
  it('10-scheduled-backup.sh backs up, verifies and copies into the offline vault', async () => {
    const recipient = readFileSync(join(keys, 'recipient.txt'), 'utf8').trim();
    const r = await runRecoveryScript('10-scheduled-backup.sh', [
      '--source', profiles.source, '--vault', vault, '--recipient', recipient, '--signing-key', join(keys, 'signing.key'),
      '--offline-vault', offline, '--identity', join(keys, 'identity.txt'), '--init',
    ], { env });
    ok(r);
    expect(r.stderr).toContain('backup complete');
    expect(readFileSync(archive(offline))).toEqual(readFileSync(archive(vault)));
  });

  it('20-vault-custody-check.sh verifies archives, chain and evidence and writes the report', async () => {
    const report = join(tmp, 'audit-report.md');
    const r = await runRecoveryScript('20-vault-custody-check.sh', ['--vault', vault, '--identity', join(keys, 'identity.txt'), '--record', '--report', report], { env });
    ok(r);
    expect(r.stdout).toContain('audit verify: OK');
    const md = readFileSync(report, 'utf8');
    expect(md).toContain('## Backups (1)');
    expect(md).toContain('| audit.verify | pass |');
  });

  it('40-recover-tenant-loss.sh plans (dry run) into the empty tenant', async () => {
    const out = join(tmp, 'r40');
    const a = archive(vault);
    const base = ['--archive', a, '--target', profiles.targetWriter, '--identity', join(keys, 'identity.txt'), '--out', out, '--contact', HOSTILE];
    const dry = await runRecoveryScript('40-recover-tenant-loss.sh', base, { env });
    ok(dry);
    expect(dry.stderr).toContain('dry run complete');
    expect(existsSync(join(out, 'restore.journal'))).toBe(false);
    const plan = JSON.parse(readFileSync(join(out, 'plan.json'), 'utf8')) as { scenario: string; operations: { tier: number }[] };
    expect(plan.scenario).toBe('tenant-loss');
    expect(plan.operations.some((o) => o.tier === 0)).toBe(true);
    const md = readFileSync(join(out, 'runbook.md'), 'utf8');
    expect(md).toContain(`- ${HOSTILE.replace(/`/g, '\\`')}`);
    expect(readFileSync(join(out, 'runbook.html'), 'utf8')).toContain(HOSTILE.replace(/&/g, '&amp;'));
    // The writing runs of this script (typed confirmation, --expect-plan, journal, diff before
    // and after, a TERM that pauses and a --resume that finishes) are test/tui/services-real*.test.ts's,
    // through the wizard's services: one wet run of each kind in the suite is enough.
  });

  it('30-recover-all-admins-deleted.sh plans against the live source tenant', async () => {
    const out = join(tmp, 'r30');
    const r = await runRecoveryScript('30-recover-all-admins-deleted.sh', ['--archive', archive(vault), '--target', profiles.sourceWriter, '--identity', join(keys, 'identity.txt'), '--out', out], { env });
    ok(r);
    expect(JSON.parse(readFileSync(join(out, 'plan.json'), 'utf8')).scenario).toBe('all-admins-deleted');
  });

  it('50-restore-objects.sh and 51-restore-attributes.sh plan a selection', async () => {
    const diff = JSON.parse(readFileSync(join(tmp, 'r40', 'diff-before.json'), 'utf8')) as { objects: { type: string; status: string; archivedId?: string }[] };
    const user = diff.objects.find((o) => o.type === 'user' && o.status === 'missing')!;
    const common = ['--archive', archive(vault), '--identity', join(keys, 'identity.txt'), '--objects', user.archivedId!];
    // an objects restore goes into the archive's own tenant only (WRONG_TENANT otherwise)
    const wrong = await runRecoveryScript('50-restore-objects.sh', [...common, '--target', profiles.targetWriter, '--out', join(tmp, 'r50-wrong')], { env });
    expect(wrong.exitCode).not.toBe(0);
    expect(wrong.stderr).toContain('[WRONG_TENANT]');
    const r50 = await runRecoveryScript('50-restore-objects.sh', [...common, '--target', profiles.sourceWriter, '--out', join(tmp, 'r50')], { env });
    ok(r50);
    const p50 = JSON.parse(readFileSync(join(tmp, 'r50', 'plan.json'), 'utf8')) as { scenario: string; operations: { kind: string; archivedId?: string }[] };
    expect(p50.scenario).toBe('objects');
    const r51 = await runRecoveryScript('51-restore-attributes.sh', [...common, '--attributes', 'jobTitle', '--target', profiles.sourceWriter, '--out', join(tmp, 'r51')], { env });
    ok(r51);
    expect(JSON.parse(readFileSync(join(tmp, 'r51', 'plan.json'), 'utf8')).scenario).toBe('attributes');
    const bad = await runRecoveryScript('51-restore-attributes.sh', [...common, '--target', profiles.sourceWriter, '--out', join(tmp, 'r51b')], { env });
    expect(bad.exitCode).toBe(2);
  });

  it('90-drill.sh runs the drill end to end; a hostile operator name reaches the evidence literally', async () => {
    const out = join(tmp, 'drill');
    const r = await runRecoveryScript('90-drill.sh', ['--out', out, '--users', '30', '--operator', HOSTILE, '--contact', HOSTILE], { env });
    // 0 pass, 1 ran but fidelity < 100 %: either way the evidence must exist and verify
    expect([0, 1], r.stderr.slice(-2000)).toContain(r.exitCode);
    expect(r.stdout).toContain('audit verify: OK');
    const ev = JSON.parse(readFileSync(join(out, 'evidence', 'evidence.json'), 'utf8')) as { who: string; kind: string; result: string };
    expect(ev.who).toBe(HOSTILE);
    expect(ev.kind).toBe('drill');
    expect(r.exitCode).toBe(ev.result === 'pass' ? 0 : 1);
    expect(readFileSync(join(out, 'runbook.md'), 'utf8')).toContain('### Tier 0');
    for (const f of ['pwned1', 'pwned2', 'pwned3']) expect(existsSync(join(tmp, f))).toBe(false);
  });

  it('10-scheduled-backup.sh --incremental chains an incremental to the newest archive, and into the offline vault', async () => {
    // last in the sequence: the tests above read the vault's single full archive
    const recipient = readFileSync(join(keys, 'recipient.txt'), 'utf8').trim();
    const r = await runRecoveryScript('10-scheduled-backup.sh', [
      '--source', profiles.source, '--vault', vault, '--recipient', recipient, '--signing-key', join(keys, 'signing.key'),
      '--offline-vault', offline, '--incremental', '--full-after', '24',
    ], { env });
    ok(r);
    expect(r.stdout).toMatch(/\(incremental, chain link 1\)/);
    const listed = await execa('node', [bin, 'vault', 'list', '--vault', offline]);
    expect(listed.stdout).toMatch(/incr 1 <- \S+/);
    expect((await runRecoveryScript('10-scheduled-backup.sh', ['--source', profiles.source, '--vault', vault, '--recipient', recipient, '--signing-key', join(keys, 'signing.key'), '--incremental', '--full-after', 'x'], { env })).exitCode).not.toBe(0);
  });
});
