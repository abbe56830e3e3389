/**
 * Issue 16: a drill that fails after its backup (the README's faults drill ended with
 * GRAPH_THROTTLED in its final read-back) still leaves a record: drill-failed.json and a
 * `drill.failed` line in the vault's audit log, and the error reaches the caller.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VaultError } from '../../src/errors.js';
import { runDrill } from '../../src/ops/drill.js';
import { verifyAuditLog } from '../../src/vault/index.js';

describe('a drill that fails after its backup', () => {
  it('writes drill-failed.json and a drill.failed audit record, then rethrows the error', async () => {
    const out = join(await mkdtemp(join(tmpdir(), 'ev-drill-failed-')), 'run');
    const failure = new VaultError('GRAPH_THROTTLED', 'Graph GET /users throttled (429) during the final read-back');
    await expect(runDrill({
      scenario: 'tenant-loss', users: 12, seed: 7, outDir: out, reporter: { report: () => undefined }, toolVersion: 'test',
      // the last step of a drill (after restore and verification): fail it as a throttled read would
      inspect: async () => { throw failure; },
    })).rejects.toBe(failure);
    const doc = JSON.parse(await readFile(join(out, 'drill-failed.json'), 'utf8')) as { result: string; error: { code: string; message: string } };
    expect(doc).toMatchObject({ result: 'fail', error: { code: 'GRAPH_THROTTLED' } });
    const audit = (await readFile(join(out, 'vault', 'audit.log'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(audit.at(-1)).toMatchObject({ action: 'drill.failed', scenario: 'tenant-loss', code: 'GRAPH_THROTTLED' });
    await verifyAuditLog(join(out, 'vault'));
  }, 180_000);
});
