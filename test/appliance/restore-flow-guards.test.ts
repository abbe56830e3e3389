/**
 * What the wizard relies on when it runs the restore scripts (lib/restore-flow.sh through
 * 40-recover-tenant-loss.sh, real CLI from dist/, against an in-process emulator whose
 * request counters the test reads):
 * - `--expect-plan H`: a plan that does not hash to H is refused (PLAN_CHANGED, exit 6)
 *   with zero mutating requests; the reviewed hash lets the restore run;
 * - JSON-lines progress on stderr with ENTRA_VAULT_PROGRESS=jsonl, the result document in
 *   restore-result.json;
 * - an abort (execa sends TERM to the script) pauses the restore at an operation boundary,
 *   and `--resume` finishes it without creating anything twice.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/emulator/index.js';
import type { EmulatorHandle } from '../../src/emulator/index.js';
import { emptyTenant } from '../../src/emulator/seed/index.js';
import { runRecoveryScript } from '../../src/ops/procedures.js';
import { planSha256 } from '../../src/ops/restore.js';
import type { Plan } from '../../src/restore/types.js';
import { drillVault, ensureBuilt } from '../tui/real-vault.js';

const tmp = mkdtempSync(join(tmpdir(), 'ev-flow-guards-'));
let emu: EmulatorHandle;
let archive: string;
let identity: string;
const env = { ENTRA_VAULT_OPERATOR: undefined, TMPDIR: tmp };

async function target(seed: number): Promise<{ tenantId: string; writer: string }> {
  const t = emptyTenant({ seed });
  emu.addTenant(t);
  const writer = join(tmp, `writer-${seed}.json`);
  await emu.writeProfiles(t.tenantId, { readerPath: join(tmp, `reader-${seed}.json`), writerPath: writer });
  return { tenantId: t.tenantId, writer };
}

const base = (writer: string, out: string) => ['--archive', archive, '--target', writer, '--identity', identity, '--out', out];

beforeAll(async () => {
  await ensureBuilt();
  const drill = join(tmp, 'drill');
  ({ archive, identity } = await drillVault(drill));
  emu = await startEmulator({ port: 0, tenants: [] });
}, 240_000);

afterAll(async () => {
  await emu?.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe.sequential('restore-flow guards the wizard relies on', () => {
  it('refuses a plan that differs from the reviewed hash with zero writes, and restores with the reviewed one', async () => {
    const t = await target(21);
    const dryOut = join(tmp, 'dry');
    const dry = await runRecoveryScript('40-recover-tenant-loss.sh', base(t.writer, dryOut), { env });
    expect(dry.exitCode, dry.stderr.slice(-2000)).toBe(0);
    const reviewed = planSha256(JSON.parse(readFileSync(join(dryOut, 'plan.json'), 'utf8')) as Plan);
    // plan.txt ends with the same hash, for a person to copy
    expect(readFileSync(join(dryOut, 'plan.txt'), 'utf8')).toContain(`plan sha256 ${reviewed}`);

    emu.tenant(t.tenantId).resetStats();
    const stale = 'f'.repeat(64);
    const refused = await runRecoveryScript('40-recover-tenant-loss.sh', [...base(t.writer, join(tmp, 'refused')), '--confirm', t.tenantId, '--expect-plan', stale], { env });
    expect(refused.exitCode).toBe(6);
    expect(refused.stderr).toContain('[PLAN_CHANGED]');
    expect(emu.tenant(t.tenantId).stats().mutating).toBe(0);
    expect(existsSync(join(tmp, 'refused', 'restore.journal'))).toBe(false);

    const out = join(tmp, 'wet');
    const wet = await runRecoveryScript('40-recover-tenant-loss.sh', [...base(t.writer, out), '--confirm', t.tenantId, '--expect-plan', reviewed], {
      env: { ...env, ENTRA_VAULT_PROGRESS: 'jsonl' },
    });
    expect([0, 1], wet.stderr.slice(-2000)).toContain(wet.exitCode);
    expect(emu.tenant(t.tenantId).stats().mutating).toBeGreaterThan(40);
    const result = JSON.parse(readFileSync(join(out, 'restore-result.json'), 'utf8')) as { execution: { paused: boolean; writeCalls: number }; fidelity: { totals: { objectsRestored: number } } };
    expect(result.execution.paused).toBe(false);
    expect(result.fidelity.totals.objectsRestored).toBeGreaterThan(0);
    // progress on stderr as JSON lines: the restore's own phase among them
    const events = wet.stderr.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { kind: string; phase?: string });
    expect(events.some((e) => e.kind === 'phase' && e.phase === 'restore')).toBe(true);
    const users = emu.tenant(t.tenantId).exportState().data.objects.user ?? [];
    expect(users.length).toBeGreaterThan(1);
    // the script's own before/after diffs: fewer objects missing after the restore
    const before = JSON.parse(readFileSync(join(out, 'diff-before.json'), 'utf8')) as { counts: { missing: number } };
    const after = JSON.parse(readFileSync(join(out, 'diff-after.json'), 'utf8')) as { counts: { missing: number } };
    expect(after.counts.missing).toBeLessThan(before.counts.missing);
  }, 240_000);

  it('an abort pauses the restore at an operation boundary; --resume finishes it without duplicates', async () => {
    const t = await target(22);
    emu.tenant(t.tenantId).setFaults({ latencyMs: 10 });
    const out = join(tmp, 'paused');
    const args = [...base(t.writer, out), '--confirm', t.tenantId];
    const stop = new AbortController();
    let stderr = '';
    const first = runRecoveryScript('40-recover-tenant-loss.sh', args, {
      env: { ...env, ENTRA_VAULT_PROGRESS: 'jsonl' },
      signal: stop.signal,
      onOutput: (chunk, stream) => {
        if (stream !== 'stderr') return;
        stderr += chunk;
        // abort once the restore has really started writing
        const journal = join(out, 'restore.journal');
        if (!stop.signal.aborted && existsSync(journal) && readFileSync(journal, 'utf8').split('"state":"done"').length > 5) stop.abort();
      },
    });
    const r1 = await first;
    expect(stop.signal.aborted).toBe(true);
    const paused = JSON.parse(readFileSync(join(out, 'restore-result.json'), 'utf8')) as { execution: { paused: boolean } };
    expect(paused.execution.paused, r1.stderr.slice(-2000)).toBe(true);
    // the flow stopped after the paused restore: no diff-after
    expect(existsSync(join(out, 'diff-after.json'))).toBe(false);

    emu.tenant(t.tenantId).setFaults({});
    const r2 = await runRecoveryScript('40-recover-tenant-loss.sh', [...args, '--resume'], { env });
    expect([0, 1], r2.stderr.slice(-2000)).toContain(r2.exitCode);
    expect(r2.stderr).toContain('resuming');
    const done = JSON.parse(readFileSync(join(out, 'restore-result.json'), 'utf8')) as { execution: { paused: boolean } };
    expect(done.execution.paused).toBe(false);
    expect(existsSync(join(out, 'diff-after.json'))).toBe(true);
    const upns = (emu.tenant(t.tenantId).exportState().data.objects.user ?? []).map((u) => String((u as { userPrincipalName?: unknown }).userPrincipalName).toLowerCase());
    expect(upns.length).toBeGreaterThan(1);
    expect(new Set(upns).size).toBe(upns.length);
  }, 240_000);

  it('--resume needs --confirm and an existing journal', async () => {
    const t = await target(23);
    const r = await runRecoveryScript('40-recover-tenant-loss.sh', [...base(t.writer, join(tmp, 'noresume')), '--resume'], { env });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('missing --confirm');
    const r2 = await runRecoveryScript('40-recover-tenant-loss.sh', [...base(t.writer, join(tmp, 'noresume')), '--resume', '--confirm', t.tenantId], { env });
    expect(r2.exitCode).toBe(2);
    expect(r2.stderr).toContain('restore.journal');
  });
});
