/**
 * Issue 13 items 2, 4, 8 at the reader: a cut archive (signature overridden, or re-signed by
 * the signing key) is a coded error with its staging removed and its override recorded
 * before decryption; a deeply nested record and too many records are refused (in verify
 * too); staging left by a dead process is swept and staging of a process that exits
 * without closing its archive is removed.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openArchive, verifyArchive } from '../../src/archive/reader.js';
import { loadSigningKey, type InitKeysResult } from '../../src/crypto/keys.js';
import { parseSignature, signFile, type MinisignSecretKey } from '../../src/crypto/minisign.js';
import { isVaultError } from '../../src/errors.js';
import { keys, sampleUsers, tmp, writeSample } from './helpers.js';
import { sealHostile } from './hostile.js';

let k: InitKeysResult;
let sk: MinisignSecretKey;
let archive: string;
let size: number;
/** Offset of the first byte of the age STREAM's first chunk (after header and nonce). */
let payloadStart: number;
const CHUNK = 64 * 1024 + 16;

beforeAll(async () => {
  k = await keys(true);
  sk = await loadSigningKey(k.signingKeyPath);
  // random-ish names so the gzip stays larger than two age chunks
  const users = sampleUsers(6000).map((u, i) => ({ ...u, displayName: `${u.displayName} ${(i * 2654435761) % 2 ** 32}` }));
  const a = await writeSample(k, { outDir: tmp(), users });
  archive = a.archivePath;
  size = statSync(archive).size;
  const bytes = readFileSync(archive);
  const mac = bytes.indexOf('\n--- ');
  payloadStart = bytes.indexOf(0x0a, mac + 1) + 1 + 16;
}, 120_000);

interface Outcome { code: string; staging: string[]; overrides: number; orderOk: boolean }

/** A copy of the archive cut to `len` bytes; `resign` signs the cut bytes with the signing key. */
async function cut(len: number, resign: boolean): Promise<string> {
  const dir = tmp();
  const p = join(dir, 'cut.evault');
  copyFileSync(archive, p);
  truncateSync(p, len);
  const sig = readFileSync(`${archive}.minisig`, 'utf8');
  writeFileSync(`${p}.minisig`, resign ? await signFile(sk, readFileSync(p), parseSignature(sig).trustedComment) : sig);
  return p;
}

async function open(p: string, override: boolean): Promise<Outcome> {
  const staging = tmp('ev-staging-');
  let overrides = 0;
  let stagedWhenRecorded = -1;
  let code = 'OK';
  try {
    const a = await openArchive(p, {
      identity: k.identityPath,
      signerPublicKey: k.signingPublicKeyPath,
      stagingParent: staging,
      ...(override ? { allowBadSignature: { reason: 'key lost' } } : {}),
      onSignatureOverride: async () => {
        overrides++;
        stagedWhenRecorded = readdirSync(staging).length;
      },
    });
    await a.close();
  } catch (e) {
    if (!isVaultError(e)) throw e;
    code = e.code;
  }
  return { code, staging: readdirSync(staging), overrides, orderOk: !override || stagedWhenRecorded === 0 };
}

describe('issue 13 item 2: a cut archive is a coded error, never a crash', () => {
  const cuts: [string, () => number][] = [
    ['length − 1', () => size - 1],
    ['64 KiB − 1', () => 64 * 1024 - 1],
    ['64 KiB', () => 64 * 1024],
    ['64 KiB + 1', () => 64 * 1024 + 1],
    ['at the first chunk boundary', () => payloadStart + CHUNK],
    ['one byte into the second chunk', () => payloadStart + CHUNK + 1],
  ];
  for (const [label, at] of cuts) {
    it(`cut at ${label}, signature overridden: coded error, override recorded before decryption, staging removed`, async () => {
      const r = await open(await cut(at(), false), true);
      expect(['TRUNCATED', 'INTEGRITY']).toContain(r.code);
      expect(r.overrides).toBe(1);
      expect(r.orderOk).toBe(true);
      expect(r.staging).toEqual([]);
    });
    it(`cut at ${label}, re-signed with the signing key: coded error, staging removed`, async () => {
      const r = await open(await cut(at(), true), false);
      expect(['TRUNCATED', 'INTEGRITY']).toContain(r.code);
      expect(r.overrides).toBe(0);
      expect(r.staging).toEqual([]);
    });
  }
  it('the uncut archive opens (the cuts above are what fails)', async () => {
    expect((await open(await cut(size, true), false)).code).toBe('OK');
  });
});

describe('issue 13 item 4: nesting depth and record count are bounded, in verify too', () => {
  async function sealed(data: Buffer): Promise<string> {
    const p = join(tmp(), 'h.evault');
    await sealHostile(p, sk, k.recipient, { listed: [{ path: 'objects/user.jsonl', data }], entries: [{ name: 'objects/user.jsonl', data }] });
    return p;
  }
  const nested = (n: number) => Buffer.from(`{"id":"u1","x":${'['.repeat(n)}${']'.repeat(n)}}\n`);
  it('a record nested 5,000 levels deep → ARCHIVE_LIMIT from open and from verify --read-data', async () => {
    const p = await sealed(nested(5000));
    expect((await open(p, false)).code).toBe('ARCHIVE_LIMIT');
    const v = await verifyArchive(p, { signerPublicKey: k.signingPublicKeyPath, identity: k.identityPath, readData: true, stagingParent: tmp() }).then(() => 'OK', (e: unknown) => (isVaultError(e) ? e.code : 'BUG'));
    expect(v).toBe('ARCHIVE_LIMIT');
  });
  it('verify --read-data stages nothing, yet still re-hashes every entry: a changed entry → INTEGRITY', async () => {
    const data = Buffer.from('{"id":"u1"}\n');
    const good = await sealed(data);
    const staging = tmp('ev-staging-');
    const opened = await openArchive(good, { identity: k.identityPath, signerPublicKey: k.signingPublicKeyPath, stagingParent: staging, verifyOnly: true });
    try {
      expect(opened.entriesChecked).toBe(1);
      expect(readdirSync(join(staging, readdirSync(staging)[0]!))).toEqual([]);
      await expect((async () => { for await (const _ of opened.objects('user')) void _; })()).rejects.toMatchObject({ code: 'USAGE' });
    } finally {
      await opened.close();
    }
    const bad = join(tmp(), 'bad.evault');
    await sealHostile(bad, sk, k.recipient, { listed: [{ path: 'objects/user.jsonl', data }], entries: [{ name: 'objects/user.jsonl', data: Buffer.from('{"id":"u2"}\n') }] });
    const v = await verifyArchive(bad, { signerPublicKey: k.signingPublicKeyPath, identity: k.identityPath, readData: true, stagingParent: tmp() }).then(() => 'OK', (e: unknown) => (isVaultError(e) ? e.code : 'BUG'));
    expect(v).toBe('INTEGRITY');
  });
  it('nesting within the limit (and brackets inside strings) is accepted', async () => {
    const line = Buffer.from(`{"id":"u1","s":"${'[{'.repeat(500)}\\"","x":${'['.repeat(60)}${']'.repeat(60)}}\n`);
    expect((await open(await sealed(line), false)).code).toBe('OK');
  });
  it('more JSON values than maxValues → ARCHIVE_LIMIT (bytes alone do not bound the parsed heap)', async () => {
    const p = await sealed(Buffer.from(`{"id":"u","x":[${Array(100).fill('[]').join(',')}]}\n`));
    const code = await openArchive(p, { identity: k.identityPath, signerPublicKey: k.signingPublicKeyPath, stagingParent: tmp(), limits: { maxValues: 150 } }).then(
      async (a) => { await a.close(); return 'OK'; },
      (e: unknown) => (isVaultError(e) ? e.code : 'BUG'),
    );
    expect(code).toBe('ARCHIVE_LIMIT');
  });
  it('more records than maxRecords → ARCHIVE_LIMIT', async () => {
    const p = await sealed(Buffer.from('{"id":"u"}\n'.repeat(50)));
    const staging = tmp('ev-staging-');
    const code = await openArchive(p, { identity: k.identityPath, signerPublicKey: k.signingPublicKeyPath, stagingParent: staging, limits: { maxRecords: 49 } }).then(
      async (a) => { await a.close(); return 'OK'; },
      (e: unknown) => (isVaultError(e) ? e.code : 'BUG'),
    );
    expect(code).toBe('ARCHIVE_LIMIT');
    expect(readdirSync(staging)).toEqual([]);
  });
});

describe('issue 13 item 8: staging never outlives its process', () => {
  it('a stale staging directory of a dead process is swept by the next reader; a live one is kept', async () => {
    const parent = tmp('ev-staging-');
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
    const stale = join(parent, `entra-vault-staging-${dead}-abc123`);
    const alive = join(parent, `entra-vault-staging-${process.ppid}-xyz789`);
    for (const d of [stale, alive]) {
      mkdirSync(d);
      writeFileSync(join(d, 'e3.jsonl'), '{"id":"secret"}\n');
    }
    const a = await openArchive(archive, { identity: k.identityPath, signerPublicKey: k.signingPublicKeyPath, stagingParent: parent });
    await a.close();
    expect(readdirSync(parent)).toEqual([`entra-vault-staging-${process.ppid}-xyz789`]);
  });
  it('a process that exits without closing its archive leaves no staging behind', () => {
    const parent = tmp('ev-staging-');
    const script = `
      import { openArchive } from ${JSON.stringify(resolve('src/archive/reader.ts'))};
      const a = await openArchive(${JSON.stringify(archive)}, { identity: ${JSON.stringify(k.identityPath)}, signerPublicKey: ${JSON.stringify(k.signingPublicKeyPath)}, stagingParent: ${JSON.stringify(parent)} });
      process.stdout.write(a.stagingDir);
      process.exit(0);`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('entra-vault-staging-');
    expect(readdirSync(parent)).toEqual([]);
  }, 90_000);
});
