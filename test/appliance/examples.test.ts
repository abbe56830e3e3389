/** The committed example (docs/examples/tenant-loss-200) is a real, verifiable drill output. */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { auditVerifyCommand } from '../../src/cli/commands/audit.js';
import type { CliIo } from '../../src/cli/io.js';
import { parsePublicKey } from '../../src/crypto/minisign.js';
import { verifyEvidencePack, type EvidenceDocument } from '../../src/report/evidence.js';
import { packageRoot } from '../../src/ops/procedures.js';

const dir = join(packageRoot(), 'docs', 'examples', 'tenant-loss-200');

describe('docs/examples/tenant-loss-200', () => {
  it('verifies: evidence signatures, the audit chain and the record of the pack', async () => {
    const v = await verifyEvidencePack(join(dir, 'evidence'), { signerPublicKey: parsePublicKey(readFileSync(join(dir, 'signing.pub'), 'utf8')), vault: join(dir, 'vault') });
    expect(v).toMatchObject({ kind: 'drill', scenario: 'tenant-loss' });
    const stdout = new PassThrough();
    let out = '';
    stdout.on('data', (c) => (out += String(c)));
    const io: CliIo = { stdout, stderr: new PassThrough(), stdin: new PassThrough(), env: {}, cwd: process.cwd() };
    await expect(auditVerifyCommand({ vault: join(dir, 'vault'), evidence: [join(dir, 'evidence')] }, io)).resolves.toBe(0);
    expect(out).toContain('audit verify: OK');
  });

  it('the runbook has every tier of the plan and every manual step of the drill', () => {
    const md = readFileSync(join(dir, 'runbook.md'), 'utf8');
    const ev = JSON.parse(readFileSync(join(dir, 'evidence', 'evidence.json'), 'utf8')) as EvidenceDocument;
    for (const t of [0, 2, 3, 5]) expect(md).toContain(`### Tier ${t} — `);
    for (const s of ev.manualSteps) expect(md).toContain(`[${s.kind}]`.replace(/[[\]]/g, (c) => `\\${c}`));
    expect(md).toContain('## Procedure (recovery-scripts/40-recover-tenant-loss.sh)');
    expect(readFileSync(join(dir, 'runbook.html'), 'utf8')).toContain('<h2>Manual steps');
  });

  it('holds no secret material', () => {
    const files = (d: string): string[] => readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(d, e.name)) : [join(d, e.name)]));
    for (const f of files(dir)) {
      const t = readFileSync(f, 'utf8');
      expect(t, f).not.toMatch(/AGE-SECRET-KEY|AGE-PLUGIN|BEGIN [A-Z ]*PRIVATE KEY|minisign (encrypted )?secret key|"secret"\s*:|client_secret|access_token/i);
    }
    expect(files(dir).map((f) => f.slice(dir.length + 1)).sort()).not.toContain('keys/identity.txt');
  });
});
