import { readFileSync, statSync, writeFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { InitKeysResult } from '../../src/crypto/keys.js';
import { appendAudit, catchUpHead, checkArchiveAgainstVault, importArchive, initVault, listVault, verifyAuditLog, verifyVault } from '../../src/vault/vault.js';
import { pruneVault } from '../../src/vault/prune.js';
import { keys, tmp, writeSample, codeOf as code } from '../archive/helpers.js';

const T = '11111111-2222-3333-4444-555555555555';
let k: InitKeysResult;
let older: string;
let newer: string;
let tenantB: string;


beforeAll(async () => {
  k = await keys(true);
  const staging = tmp();
  older = (await writeSample(k, { outDir: staging, takenAt: new Date('2026-01-01T00:00:00.000Z') })).archivePath;
  newer = (await writeSample(k, { outDir: staging, takenAt: new Date('2026-01-20T00:00:00.000Z') })).archivePath;
  tenantB = (await writeSample(k, { outDir: staging, tenantId: 'bbbbbbbb-0000-0000-0000-000000000000' })).archivePath;
});

async function freshVault(): Promise<string> {
  const v = join(tmp(), 'vault');
  await initVault(v, { signerPublicKey: k.signingPublicKeyPath });
  return v;
}

describe('vault import', () => {
  it('imports read-only copies, lists them with custody status, and logs', async () => {
    const v = await freshVault();
    const r = await importArchive(v, newer);
    expect(statSync(r.archivePath).mode & 0o777).toBe(0o444);
    expect(statSync(r.signaturePath).mode & 0o777).toBe(0o444);
    const list = await listVault(v);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ tenantId: T, signature: 'valid', takenAt: '2026-01-20T00:00:00.000Z' });
    expect(JSON.parse(readFileSync(join(v, T, 'sequence.json'), 'utf8')).highestSequence).toBe(Date.parse('2026-01-20T00:00:00.000Z'));
    expect(readFileSync(join(v, 'audit.log'), 'utf8')).toContain('archive.import');
    expect(readdirSync(join(v, T)).filter((n) => n.includes('.tmp-'))).toEqual([]);
  });

  it('docs/reliability.md 5: an older archive is refused (ROLLBACK) unless allowed with a reason, which is logged', async () => {
    const v = await freshVault();
    await importArchive(v, newer);
    expect(await code(importArchive(v, older))).toBe('ROLLBACK');
    expect(await code(importArchive(v, older, { allowRollback: { reason: '   ' } }))).toBe('ROLLBACK');
    await importArchive(v, older, { allowRollback: { reason: 'drill: restore pre-incident state' } });
    const log = readFileSync(join(v, 'audit.log'), 'utf8');
    expect(log).toContain('rollback.allowed');
    expect(log).toContain('drill: restore pre-incident state');
    // the newest seen stays the newer one
    expect(JSON.parse(readFileSync(join(v, T, 'sequence.json'), 'utf8')).highestSequence).toBe(Date.parse('2026-01-20T00:00:00.000Z'));
    expect(await code(checkArchiveAgainstVault(v, { tenantId: T, sequence: 5, takenAt: '1970-01-01T00:00:00.005Z' }, { expectedTenantId: T }))).toBe('ROLLBACK');
    await verifyAuditLog(v);
  });

  it('docs/reliability.md 6: tenant B offered as tenant A is refused (WRONG_TENANT)', async () => {
    const v = await freshVault();
    expect(await code(importArchive(v, tenantB, { expectedTenantId: T }))).toBe('WRONG_TENANT');
    expect(await code(checkArchiveAgainstVault(v, { tenantId: 'bbbbbbbb-0000-0000-0000-000000000000', sequence: 1, takenAt: 'x' }, { expectedTenantId: T }))).toBe('WRONG_TENANT');
  });

  it('a tampered archive or one without signature is refused before copying', async () => {
    const v = await freshVault();
    const d = tmp();
    const bad = join(d, 'x.evault');
    const b = readFileSync(newer);
    b[200] = b[200]! ^ 0xff;
    writeFileSync(bad, b);
    expect(await code(importArchive(v, bad))).toBe('SIGNATURE_MISSING');
    writeFileSync(`${bad}.minisig`, readFileSync(`${newer}.minisig`));
    expect(await code(importArchive(v, bad))).toBe('SIGNATURE_INVALID');
    expect(readdirSync(v).sort()).toEqual(['audit.head', 'audit.log', 'vault.json']);
  });
});

describe('vault verify and audit chain', () => {
  it('verifyVault: custody, full re-hash with identity, and sampled coverage', async () => {
    const v = await freshVault();
    await importArchive(v, newer);
    const custody = await verifyVault(v);
    expect(custody.ok).toBe(true);
    const full = await verifyVault(v, { identity: k.identityPath, readData: true });
    expect(full.archives[0]!.report).toMatchObject({ entriesChecked: 3, coverage: 1 });
    const sampled = await verifyVault(v, { identity: k.identityPath, readData: true, sample: 1 });
    expect(sampled.archives[0]!.report).toMatchObject({ mode: 'sampled', entriesChecked: 1, entriesTotal: 3 });
  });

  it('two crashes in a row between a log append and its head (docs/audit-log.md "Write order") are not taken for tampering', async () => {
    const v = await freshVault();
    const head = join(v, 'audit.head');
    const logLines = () => readFileSync(join(v, 'audit.log'), 'utf8').trimEnd().split('\n');
    // a crash after appending, before the head: the head stays one line behind (accepted)
    const crashAppend = async (n: number): Promise<void> => {
      const before = readFileSync(head);
      await appendAudit(v, { action: 'recovery.orphanSignature', file: `f${n}` });
      writeFileSync(head, before);
    };
    await crashAppend(1);
    expect((await verifyAuditLog(v)).lines).toBe(2);
    // a head two lines behind (what a second crash left before the catch-up existed) fails verification
    const copy = join(tmp(), 'copy');
    (await import('node:fs')).cpSync(v, copy, { recursive: true });
    const raw = readFileSync(join(copy, 'audit.head'));
    await appendAudit(copy, { action: 'recovery.orphanSignature', file: 'f2' });
    writeFileSync(join(copy, 'audit.head'), raw);
    await expect(verifyAuditLog(copy)).rejects.toMatchObject({ code: 'AUDIT_CHAIN_BROKEN' });
    // the next append first brings the head up to the log; then the same crash is one line behind again
    await catchUpHead(v, logLines());
    expect(JSON.parse(readFileSync(head, 'utf8'))).toMatchObject({ lines: 2 });
    await crashAppend(2);
    expect((await verifyAuditLog(v)).lines).toBe(3);
    // and a normal append afterwards leaves the log and head in step
    await appendAudit(v, { action: 'recovery.orphanSignature', file: 'f3' });
    expect((await verifyAuditLog(v)).lines).toBe(4);
  });

  it('detects an edited, removed or reordered audit line and names the first bad line', async () => {
    const v = await freshVault();
    for (let i = 0; i < 4; i++) await appendAudit(v, { action: 'test', n: i });
    expect((await verifyAuditLog(v)).lines).toBe(5);
    const p = join(v, 'audit.log');
    const lines = readFileSync(p, 'utf8').trimEnd().split('\n');
    const edited = [...lines];
    edited[2] = edited[2]!.replace('"n":1', '"n":7');
    writeFileSync(p, `${edited.join('\n')}\n`);
    await expect(verifyAuditLog(v)).rejects.toMatchObject({ code: 'AUDIT_CHAIN_BROKEN', message: expect.stringContaining('line 4') });
    writeFileSync(p, `${[lines[0], lines[2], lines[3], lines[4]].join('\n')}\n`);
    await expect(verifyAuditLog(v)).rejects.toMatchObject({ code: 'AUDIT_CHAIN_BROKEN', message: expect.stringContaining('line 2') });
    expect((await verifyVault(v)).ok).toBe(false);
  });
});

describe('prune', () => {
  it('restic-style keep rules, dry run by default, then removes and logs', async () => {
    const v = await freshVault();
    const staging = tmp();
    const dates = ['2025-11-15T10:00:00.000Z', '2025-12-30T10:00:00.000Z', '2026-01-10T10:00:00.000Z', '2026-01-19T09:00:00.000Z', '2026-01-19T18:00:00.000Z', '2026-01-20T08:00:00.000Z'];
    for (const d of dates) {
      const a = (await writeSample(k, { outDir: staging, takenAt: new Date(d) })).archivePath;
      await importArchive(v, a);
    }
    const plan = await pruneVault(v, { keepDaily: 2, keepMonthly: 2 });
    expect(plan.dryRun).toBe(true);
    const kept = plan.kept.map((x) => x.takenAt).sort();
    expect(kept).toEqual(['2025-12-30T10:00:00.000Z', '2026-01-19T18:00:00.000Z', '2026-01-20T08:00:00.000Z']);
    expect(plan.removed).toHaveLength(3);
    expect((await listVault(v))).toHaveLength(6);
    const done = await pruneVault(v, { keepDaily: 2, keepMonthly: 2, dryRun: false });
    expect(done.removed).toHaveLength(3);
    expect(await listVault(v)).toHaveLength(3);
    expect(readFileSync(join(v, 'audit.log'), 'utf8').match(/archive\.prune/g)).toHaveLength(3);
    await verifyAuditLog(v);
  });
});
