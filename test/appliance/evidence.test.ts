import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { generateSigningKey, parsePublicKey } from '../../src/crypto/minisign.js';
import { isVaultError } from '../../src/errors.js';
import { appendAudit, verifyAuditLog } from '../../src/vault/vault.js';
import { auditVerifyCommand } from '../../src/cli/commands/audit.js';
import type { CliIo } from '../../src/cli/io.js';
import { verifyEvidencePack, writeEvidencePack } from '../../src/report/evidence.js';
import { HOSTILE, evidenceInput, tempVault } from './fixtures.js';

function io(): CliIo & { out: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let text = '';
  stdout.on('data', (c) => (text += String(c)));
  stderr.resume();
  return { stdout, stderr, stdin: new PassThrough(), env: {}, cwd: process.cwd(), out: () => text };
}

async function pack() {
  const v = await tempVault();
  const dir = join(v.root, 'evidence');
  const res = await writeEvidencePack(dir, evidenceInput(), { signingKey: v.key, vault: v.vault });
  return { ...v, dir, res, pk: parsePublicKey(v.pub) };
}

const code = (c: string) => (e: unknown) => isVaultError(e, c as never);

describe('evidence packs', () => {
  it('writes, signs, records and verifies a pack', async () => {
    const p = await pack();
    for (const f of ['evidence.json', 'evidence.json.minisig', 'evidence.md', 'evidence.md.minisig', 'evidence.html']) expect(existsSync(join(p.dir, f)), f).toBe(true);
    const v = await verifyEvidencePack(p.dir, { signerPublicKey: p.pk, vault: p.vault });
    expect(v).toMatchObject({ kind: 'drill', scenario: 'tenant-loss', result: 'pass', who: 'alice', sha256: p.res.sha256 });
    expect(v.recorded?.line).toBe(2);
    const rec = JSON.parse(readFileSync(join(p.vault, 'audit.log'), 'utf8').trim().split('\n')[1]!);
    expect(rec).toMatchObject({ action: 'evidence.drill', result: 'pass', rtoMs: 300000, rtoMsTier0: 1000, rtoMsTier2: 200000, evidenceSha256: p.res.sha256, rpoMs: 3_900_000 });
    const doc = JSON.parse(readFileSync(join(p.dir, 'evidence.json'), 'utf8'));
    expect(doc.format).toBe('entra-vault-evidence');
    expect(readFileSync(join(p.dir, 'evidence.md'), 'utf8')).toContain('Hand out temporary passwords');
  });

  it('signatures verify with the stock minisign -V', async () => {
    const p = await pack();
    const pubFile = join(p.root, 'signing.pub');
    writeFileSync(pubFile, p.pub);
    for (const f of ['evidence.json', 'evidence.md']) {
      const r = await execa('minisign', ['-V', '-p', pubFile, '-m', join(p.dir, f)], { reject: false });
      expect(r.stdout + r.stderr).toContain('Signature and comment signature verified');
      expect(r.exitCode).toBe(0);
    }
  });

  it('never overwrites a pack', async () => {
    const p = await pack();
    await expect(writeEvidencePack(p.dir, evidenceInput(), { signingKey: p.key })).rejects.toSatisfy(code('FILE_EXISTS'));
  });

  it('rejects one flipped byte in evidence.json or evidence.md', async () => {
    for (const f of ['evidence.json', 'evidence.md']) {
      const p = await pack();
      const path = join(p.dir, f);
      const b = readFileSync(path);
      b[Math.floor(b.length / 2)] ^= 0x01;
      writeFileSync(path, b);
      await expect(verifyEvidencePack(p.dir, { signerPublicKey: p.pk, vault: p.vault })).rejects.toSatisfy(code('EVIDENCE_INVALID'));
    }
  });

  it('rejects a tampered, missing or foreign signature', async () => {
    const p = await pack();
    const sigPath = join(p.dir, 'evidence.json.minisig');
    const sig = readFileSync(sigPath, 'utf8');
    const lines = sig.split('\n');
    lines[2] = lines[2]!.replace('result=pass', 'result=fail');
    writeFileSync(sigPath, lines.join('\n'));
    await expect(verifyEvidencePack(p.dir, { signerPublicKey: p.pk })).rejects.toSatisfy(code('EVIDENCE_INVALID'));
    writeFileSync(sigPath, sig);
    await expect(verifyEvidencePack(p.dir, { signerPublicKey: p.pk })).resolves.toMatchObject({ result: 'pass' });
    await expect(verifyEvidencePack(p.dir, { signerPublicKey: parsePublicKey((await import('../../src/crypto/minisign.js')).encodePublicKey(generateSigningKey())) })).rejects.toSatisfy(code('EVIDENCE_INVALID'));
  });

  it('rejects a validly signed pack that the audit log does not record (substitution)', async () => {
    const p = await pack();
    const other = join(p.root, 'other');
    await writeEvidencePack(other, evidenceInput({ result: 'pass', rtoMs: 1 }), { signingKey: p.key });
    await expect(verifyEvidencePack(other, { signerPublicKey: p.pk })).resolves.toMatchObject({ rtoMs: 1 });
    await expect(verifyEvidencePack(other, { signerPublicKey: p.pk, vault: p.vault })).rejects.toSatisfy(code('EVIDENCE_INVALID'));
  });

  it('audit verify passes on an intact vault and prints the summary', async () => {
    const p = await pack();
    const c = io();
    await expect(auditVerifyCommand({ vault: p.vault, evidence: [p.dir] }, c)).resolves.toBe(0);
    expect(c.out()).toContain('audit log: OK, 2 records, hash chain intact');
    expect(c.out()).toContain(`${p.dir}: OK — drill tenant-loss PASS`);
    expect(c.out()).toContain('audit verify: OK');
  });

  it('audit verify finds packs from the log and fails with EVIDENCE_INVALID on a tampered pack', async () => {
    const p = await pack();
    const path = join(p.dir, 'evidence.json');
    writeFileSync(path, readFileSync(path, 'utf8').replace('"result": "pass"', '"result": "fail"'));
    const c = io();
    await expect(auditVerifyCommand({ vault: p.vault }, c)).rejects.toSatisfy(code('EVIDENCE_INVALID'));
    expect(c.out()).toContain('audit verify: FAILED');
  });

  it('a changed, removed or inserted audit-log line makes audit verify fail with AUDIT_CHAIN_BROKEN', async () => {
    const mutations: ((lines: string[]) => string[])[] = [
      (l) => [l[0]!, l[1]!.replace('"rtoMs":300000', '"rtoMs":3000'), l[2]!],
      (l) => [l[0]!, l[2]!],
      (l) => [l[0]!, l[0]!, l[1]!, l[2]!],
      (l) => [l[0]!, l[1]!.replace('"result":"pass"', '"result":"fail"'), l[2]!],
    ];
    for (const m of mutations) {
      const p = await pack();
      await appendAudit(p.vault, { action: 'backup', tenantId: 't1' });
      const log = join(p.vault, 'audit.log');
      const lines = readFileSync(log, 'utf8').trim().split('\n');
      expect(lines).toHaveLength(3);
      writeFileSync(log, `${m(lines).join('\n')}\n`);
      await expect(verifyAuditLog(p.vault)).rejects.toSatisfy(code('AUDIT_CHAIN_BROKEN'));
      const c = io();
      await expect(auditVerifyCommand({ vault: p.vault, evidence: [p.dir] }, c)).rejects.toSatisfy(code('AUDIT_CHAIN_BROKEN'));
      expect(c.out()).toContain('audit log: FAILED [AUDIT_CHAIN_BROKEN]');
    }
  });

  it('an edited newest log line (which no later line hashes) is caught against the signed pack', async () => {
    for (const [from, to] of [
      ['"rtoMs":300000', '"rtoMs":3000'],
      ['"result":"pass"', '"result":"fail"'],
      ['"who":"alice"', '"who":"mallory"'],
    ] as const) {
      const p = await pack();
      const log = join(p.vault, 'audit.log');
      const text = readFileSync(log, 'utf8');
      expect(text).toContain(from);
      writeFileSync(log, text.replace(from, to));
      await expect(verifyEvidencePack(p.dir, { signerPublicKey: p.pk, vault: p.vault })).rejects.toSatisfy(code('EVIDENCE_INVALID'));
      // the CLI checks the vault's audit head first, which already catches an edited newest line
      await expect(auditVerifyCommand({ vault: p.vault }, io())).rejects.toSatisfy(code('AUDIT_CHAIN_BROKEN'));
    }
  });

  it('keeps a hostile operator name literal in the JSON and escaped in Markdown/HTML', async () => {
    const v = await tempVault();
    const dir = join(v.root, 'ev');
    await writeEvidencePack(dir, evidenceInput({ who: HOSTILE }), { signingKey: v.key, vault: v.vault });
    expect(JSON.parse(readFileSync(join(dir, 'evidence.json'), 'utf8')).who).toBe(HOSTILE);
    const md = readFileSync(join(dir, 'evidence.md'), 'utf8');
    expect(md).toContain('Ops $(touch PWNED) \\`touch PWNED2\\`; rm -rf / \\<b\\>x\\</b\\> \\| \\*y\\* \\[z\\](u) \\\\n# h');
    const html = readFileSync(join(dir, 'evidence.html'), 'utf8');
    expect(html).toContain('Ops $(touch PWNED) `touch PWNED2`; rm -rf / &lt;b&gt;x&lt;/b&gt; | *y* [z](u) \\n# h');
    expect(html).not.toContain('<b>x');
    const v2 = await verifyEvidencePack(dir, { signerPublicKey: parsePublicKey(v.pub), vault: v.vault });
    expect(v2.who).toBe(HOSTILE);
  });
});
