import { copyFileSync, readFileSync, readdirSync, writeFileSync, chmodSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createGunzip } from 'node:zlib';
import { Readable } from 'node:stream';
import { describe, expect, it, beforeAll } from 'vitest';
import { openArchive, verifyArchive } from '../../src/archive/reader.js';
import { decryptAgeBytes, loadIdentity } from '../../src/crypto/age.js';
import { initKeys, type InitKeysResult } from '../../src/crypto/keys.js';
import { keys, listTree, sampleUsers, tmp, writeSample, codeOf } from './helpers.js';
import { validateManifest } from '../../src/archive/manifest-schema.js';
import { manifestFor } from './hostile.js';

let k: InitKeysResult;
let other: InitKeysResult;
let archive: string;
let out: string;


function copyArchive(src: string, dir: string, mutate?: (b: Buffer) => Buffer, mutateSig?: (s: Buffer) => Buffer): string {
  const dst = join(dir, 'a.evault');
  const b = readFileSync(src);
  writeFileSync(dst, mutate ? mutate(Buffer.from(b)) : b);
  const s = readFileSync(`${src}.minisig`);
  writeFileSync(`${dst}.minisig`, mutateSig ? mutateSig(Buffer.from(s)) : s);
  return dst;
}

beforeAll(async () => {
  k = await keys(true);
  other = await keys(true);
  out = tmp();
  archive = (await writeSample(k, { outDir: out })).archivePath;
});

describe('archive v1 round trip', () => {
  it('reads back exactly what was written, sorted, with manifest fields', async () => {
    const a = await openArchive(archive, { identity: k.identityPath, signerPublicKey: k.signingPublicKeyPath, expectedTenantId: '11111111-2222-3333-4444-555555555555' });
    try {
      const data = await a.loadTenantData();
      const ids = data.objects.user!.map((u) => u.id);
      expect(ids).toEqual([...ids].sort());
      expect(ids).toHaveLength(20);
      expect(data.objects.user![5]).toEqual(sampleUsers(20)[5]);
      expect(data.relations.groupMembers!.map((r) => r.to)).toEqual([sampleUsers(20)[0]!.id, sampleUsers(20)[1]!.id]);
      expect(a.manifest).toMatchObject({ format: 'entra-vault-archive', version: 1, counts: { objects: { user: 20, group: 1 }, relations: { groupMembers: 2 } } });
      expect(a.manifest).not.toHaveProperty('deltaLinks'); // no longer written (docs/archive-format.md)
      expect(a.manifest.warnings[0]!.code).toBe('PERMISSION_MISSING');
      expect(a.entriesChecked).toBe(3);
      expect((await import('node:fs')).statSync(a.stagingDir).mode & 0o777).toBe(0o700);
    } finally {
      await a.close();
    }
    expect(readdirSync(join(out, '11111111-2222-3333-4444-555555555555')).sort()).toEqual(['20260126T111500000Z.evault', '20260126T111500000Z.evault.minisig']);
  });

  it('is deterministic: the same tenant state gives a byte-identical tar.gz plaintext', async () => {
    const o2 = tmp();
    const a2 = (await writeSample(k, { outDir: o2 })).archivePath;
    const ids = await loadIdentity(k.identityPath);
    const p1 = await decryptAgeBytes(readFileSync(archive), { identities: ids });
    const p2 = await decryptAgeBytes(readFileSync(a2), { identities: ids });
    expect(p1.equals(p2)).toBe(true);
    // fixed gzip header: no mtime, no name
    expect(p1.subarray(0, 10).toString('hex')).toBe('1f8b0800000000000003');
    const tar: Buffer[] = [];
    for await (const c of Readable.from([p1]).pipe(createGunzip())) tar.push(c as Buffer);
    const t = Buffer.concat(tar);
    expect(t.subarray(0, 13).toString()).toBe('manifest.json');
    expect(t.subarray(136, 147).toString()).toBe('00000000000'); // mtime 0
  });

  it('verify: custody without identity, full re-hash and sampled coverage with identity', async () => {
    const custody = await verifyArchive(archive, { signerPublicKey: k.signingPublicKeyPath });
    expect(custody).toMatchObject({ signatureValid: true, mode: 'custody', entriesChecked: 0 });
    const full = await verifyArchive(archive, { signerPublicKey: k.signingPublicKeyPath, identity: k.identityPath, readData: true });
    expect(full).toMatchObject({ mode: 'full', entriesChecked: 3, entriesTotal: 3, coverage: 1 });
    const sampled = await verifyArchive(archive, { signerPublicKey: k.signingPublicKeyPath, identity: k.identityPath, readData: { sample: 2 } });
    expect(sampled).toMatchObject({ mode: 'sampled', entriesChecked: 2, entriesTotal: 3 });
    expect(sampled.coverage).toBeCloseTo(2 / 3);
  });

  it('verifying against a key other than the signer is SIGNATURE_INVALID', async () => {
    expect(await codeOf(verifyArchive(archive, { signerPublicKey: other.signingPublicKeyPath }))).toBe('SIGNATURE_INVALID');
  });
});

describe('docs/reliability.md 1: tampering', () => {
  it('flipping a byte anywhere in the archive fails with SIGNATURE_INVALID and writes nothing outside staging', async () => {
    const size = readFileSync(archive).length;
    const positions = [0, 10, 40, 100, Math.floor(size / 2), size - 17, size - 1];
    const staging = tmp('ev-staging-');
    for (const pos of positions) {
      const dir = tmp();
      const before = listTree(dir);
      const a = copyArchive(archive, dir, (b) => {
        b[pos] = b[pos]! ^ 0x01;
        return b;
      });
      const beforeWithA = listTree(dir);
      expect(before).toEqual([]);
      expect(await codeOf(openArchive(a, { identity: k.identityPath, signerPublicKey: k.signingPublicKeyPath, stagingParent: staging }))).toBe('SIGNATURE_INVALID');
      expect(await codeOf(verifyArchive(a, { signerPublicKey: k.signingPublicKeyPath }))).toBe('SIGNATURE_INVALID');
      expect(listTree(dir)).toEqual(beforeWithA);
      expect(readdirSync(staging)).toEqual([]);
    }
  });

  it('flipping a byte of the signature file fails with a signature code', async () => {
    const sigLen = readFileSync(`${archive}.minisig`).length;
    const codes = new Set<string>();
    for (const pos of [20, 60, 70, 100, 130, 160, 200, sigLen - 10]) {
      const dir = tmp();
      const a = copyArchive(archive, dir, undefined, (s) => {
        s[pos] = s[pos] === 0x41 ? 0x42 : 0x41;
        return s;
      });
      const c = await codeOf(verifyArchive(a, { signerPublicKey: k.signingPublicKeyPath }));
      codes.add(c);
    }
    // Untrusted comment (pos 20) may be edited freely by design; every other position must fail.
    codes.delete('OK');
    expect([...codes].every((c) => c === 'SIGNATURE_INVALID' || c === 'FORMAT_UNSUPPORTED')).toBe(true);
    expect(codes.size).toBeGreaterThan(0);
  });

  it('a missing signature is SIGNATURE_MISSING', async () => {
    const dir = tmp();
    copyFileSync(archive, join(dir, 'x.evault'));
    expect(await codeOf(verifyArchive(join(dir, 'x.evault'), { signerPublicKey: k.signingPublicKeyPath }))).toBe('SIGNATURE_MISSING');
  });

  it('an archive of tenant B offered as tenant A is WRONG_TENANT (docs/reliability.md 6)', async () => {
    expect(await codeOf(openArchive(archive, { identity: k.identityPath, signerPublicKey: k.signingPublicKeyPath, expectedTenantId: 'aaaaaaaa-0000-0000-0000-000000000000' }))).toBe('WRONG_TENANT');
  });
});

describe('docs/reliability.md 2: truncation', () => {
  it('rejects truncation at 0, inside the age header and at length-1, and removes staging', async () => {
    const size = readFileSync(archive).length;
    const staging = tmp('ev-staging-');
    for (const cut of [0, 30, 120, size - 1]) {
      const dir = tmp();
      const a = copyArchive(archive, dir, (b) => b.subarray(0, cut));
      expect(await codeOf(openArchive(a, { identity: k.identityPath, signerPublicKey: k.signingPublicKeyPath, stagingParent: staging }))).toBe('SIGNATURE_INVALID');
      expect(readdirSync(staging)).toEqual([]);
    }
  });

  it('rejects truncation at 64 KiB ± 1 of a multi-chunk archive', async () => {
    const dir = tmp();
    // random-ish, incompressible-ish data so the ciphertext spans several 64 KiB chunks
    const users = sampleUsers(600).map((u, i) => ({ ...u, blob: randomBytes(300 + (i % 7)).toString('base64') }));
    const big = (await writeSample(k, { outDir: dir, users })).archivePath;
    expect(readFileSync(big).length).toBeGreaterThan(64 * 1024 + 200);
    const staging = tmp('ev-staging-');
    for (const cut of [64 * 1024 - 1, 64 * 1024, 64 * 1024 + 1]) {
      const d2 = tmp();
      const a = copyArchive(big, d2, (b) => b.subarray(0, cut));
      expect(await codeOf(openArchive(a, { identity: k.identityPath, signerPublicKey: k.signingPublicKeyPath, stagingParent: staging }))).toBe('SIGNATURE_INVALID');
      expect(readdirSync(staging)).toEqual([]);
    }
    // and the intact one opens
    const ok = await openArchive(big, { identity: k.identityPath, signerPublicKey: k.signingPublicKeyPath, stagingParent: staging });
    expect(ok.manifest.counts.objects.user).toBe(600);
    await ok.close();
    expect(readdirSync(staging)).toEqual([]);
  });
});

describe('docs/reliability.md 3: wrong identity or passphrase fails before the payload', () => {
  it('wrong identity → DECRYPT_FAILED, staging removed', async () => {
    const staging = tmp('ev-staging-');
    expect(await codeOf(openArchive(archive, { identity: other.identityPath, signerPublicKey: k.signingPublicKeyPath, stagingParent: staging }))).toBe('DECRYPT_FAILED');
    expect(readdirSync(staging)).toEqual([]);
  });

  it('wrong passphrase for a protected identity → PASSPHRASE_WRONG', { tags: ['slow'] }, async () => {
    const pk = await initKeys(join(tmp(), 'k'), { passphrase: 'correct horse battery staple' });
    expect(readFileSync(pk.identityPath).subarray(0, 21).toString()).toBe('age-encryption.org/v1');
    expect(readFileSync(pk.signingKeyPath, 'utf8')).toContain('minisign encrypted secret key');
    expect(await codeOf(loadIdentity(pk.identityPath, 'wrong'))).toBe('PASSPHRASE_WRONG');
    expect(await codeOf(loadIdentity(pk.identityPath))).toBe('PASSPHRASE_WRONG');
    expect((await loadIdentity(pk.identityPath, 'correct horse battery staple'))[0]).toMatch(/^AGE-SECRET-KEY-PQ-1/);
  });

  it('the payload is not read when the identity is wrong (header-only source)', async () => {
    const { openAgeDecryption } = await import('../../src/crypto/age.js');
    const bytes = readFileSync(archive);
    let served = 0;
    const hdrEnd = bytes.indexOf('\n---') + 1 + bytes.subarray(bytes.indexOf('\n---') + 1).indexOf('\n') + 1;
    async function* src() {
      for (let i = 0; i < bytes.length; i += 16) {
        served = i + 16;
        yield bytes.subarray(i, i + 16);
      }
    }
    const ids = await loadIdentity(other.identityPath);
    expect(await codeOf(openAgeDecryption(src(), { identities: ids }))).toBe('DECRYPT_FAILED');
    expect(served).toBeLessThanOrEqual(hdrEnd + 16);
  });
});

describe('keys', () => {
  it('secret files are 0600 and never overwritten (FILE_EXISTS)', async () => {
    const d = join(tmp(), 'k');
    const r = await initKeys(d);
    expect(r.recipient).toMatch(/^age1pq1/);
    expect((await import('node:fs')).statSync(r.identityPath).mode & 0o777).toBe(0o600);
    expect((await import('node:fs')).statSync(r.signingKeyPath).mode & 0o777).toBe(0o600);
    const before = readFileSync(r.identityPath);
    expect(await codeOf(initKeys(d))).toBe('FILE_EXISTS');
    expect(readFileSync(r.identityPath).equals(before)).toBe(true);
    chmodSync(r.identityPath, 0o600);
    expect(existsSync(join(d, 'signing.pub'))).toBe(true);
  });
});

describe('accepting a signature failure (allowBadSignature)', () => {
  const tenant = '11111111-2222-3333-4444-555555555555';
  const open = (path: string, extra: Partial<Parameters<typeof openArchive>[1]> = {}) =>
    openArchive(path, { identity: k.identityPath, signerPublicKey: k.signingPublicKeyPath, expectedTenantId: tenant, ...extra });

  it('a missing .minisig with a reason opens, says so, and takes tenant/time from the manifest', async () => {
    const dir = tmp();
    const path = copyArchive(archive, dir);
    (await import('node:fs')).rmSync(`${path}.minisig`);
    expect(await codeOf(open(path))).toBe('SIGNATURE_MISSING');
    expect(await codeOf(open(path, { allowBadSignature: { reason: '  ' } }))).toBe('SIGNATURE_MISSING');
    const a = await open(path, { allowBadSignature: { reason: 'signing key lost' } });
    try {
      expect(a.signatureOverride).toEqual({ reason: 'signing key lost', problem: expect.stringMatching(/^SIGNATURE_MISSING: /) });
      expect(a.trustedComment).toEqual({ tenantId: tenant, takenAt: a.manifest.takenAt, sequence: a.manifest.sequence, manifestSha256: a.manifestSha256 });
      expect(a.entriesChecked).toBe(3);
    } finally {
      await a.close();
    }
  });

  it('a signature by another key is accepted with a reason; the inner manifest.sig failure then too', async () => {
    const dir = tmp();
    const path = copyArchive(archive, dir);
    const a = await openArchive(path, { identity: k.identityPath, signerPublicKey: other.signingPublicKeyPath, expectedTenantId: tenant, allowBadSignature: { reason: 'collector key rotated' } });
    try {
      expect(a.signatureOverride?.problem).toMatch(/^SIGNATURE_INVALID: /);
      expect((await a.loadTenantData()).objects.user).toHaveLength(20);
    } finally {
      await a.close();
    }
  });

  it('never overrides a wrong tenant', async () => {
    const dir = tmp();
    const path = copyArchive(archive, dir);
    (await import('node:fs')).rmSync(`${path}.minisig`);
    expect(await codeOf(open(path, { expectedTenantId: '99999999-2222-3333-4444-555555555555', allowBadSignature: { reason: 'r' } }))).toBe('WRONG_TENANT');
    expect(readdirSync(dir)).toEqual(['a.evault']);
  });
});

describe('manifest deltaLinks (written by 0.1.0, no longer written)', () => {
  it('is accepted when present, optional when absent, and still checked for shape', () => {
    const old = manifestFor([], { deltaLinks: { user: 'https://graph.microsoft.com/v1.0/users/delta()?$deltatoken=abc' } });
    expect(() => validateManifest(JSON.parse(JSON.stringify(old)))).not.toThrow();
    const { deltaLinks: _dropped, ...current } = old;
    expect(() => validateManifest(JSON.parse(JSON.stringify(current)))).not.toThrow();
    expect(() => validateManifest({ ...JSON.parse(JSON.stringify(current)), deltaLinks: { user: 42 } })).toThrow();
  });
});
