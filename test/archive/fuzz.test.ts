/**
 * Issue 13, "the reader never crashes and never exceeds its memory budget": the built CLI's
 * `plan` and `verify --read-data` on crafted archives — cuts at random points (signature
 * overridden inside a vault, or re-signed with the signing key), deep nesting, oversized
 * lines, and a gzip bomb. Every run: no stack trace, an exit code of the documented set
 * (src/cli/exit.ts; never 70, a bug), no staging directory left in its TMPDIR, RSS under the
 * budget of docs/archive-format.md §6 (1 GiB), and an accepted signature failure on record.
 * Needs the built dist/ (`npx tsc -p tsconfig.json`).
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSigningKey, type InitKeysResult } from '../../src/crypto/keys.js';
import { parseSignature, signFile, type MinisignSecretKey } from '../../src/crypto/minisign.js';
import { keys, sampleUsers, tmp, writeSample } from './helpers.js';
import { manifestFor, sealHostile, TEST_TENANT } from './hostile.js';
import { writeBomb } from './bomb.js';

const BIN = resolve('bin/entra-vault.js');
const RSS_BUDGET_KIB = 1024 * 1024;
const DOCUMENTED_EXITS = [0, 1, 2, 3, 4, 5, 6];

let k: InitKeysResult;
let sk: MinisignSecretKey;
let dir: string;
let vault: string;
let archive: string;
let target: string;

beforeAll(async () => {
  k = await keys(true);
  sk = await loadSigningKey(k.signingKeyPath);
  dir = tmp('ev-fuzz-');
  const users = sampleUsers(6000).map((u, i) => ({ ...u, displayName: `${u.displayName} ${(i * 2654435761) % 2 ** 32}` }));
  archive = (await writeSample(k, { outDir: dir, users })).archivePath;
  vault = join(dir, 'vault');
  expect(run(['vault', 'init', '--vault', vault, '--signer', k.signingPublicKeyPath]).code).toBe(0);
  mkdirSync(join(vault, TEST_TENANT), { recursive: true });
  // nothing listens on port 9: an archive that opens fails at the target (exit 4), after the reader
  target = join(dir, 'target.json');
  writeFileSync(target, JSON.stringify({ tenantId: '22222222-2222-3333-4444-555555555555', authorityHost: 'http://127.0.0.1:9', graphBaseUrl: 'http://127.0.0.1:9/v1.0', clientId: 'x', auth: { kind: 'clientSecret', secret: 's' }, emulator: true }), { mode: 0o600 });
}, 180_000);

interface Run { code: number; err: string; rssKiB: number; leftInTmp: string[] }

function run(args: string[]): Run {
  const tmpDir = mkdtempSync(join(tmpdir(), 'ev-fuzz-tmp-'));
  const timeFile = join(tmpDir, '..', `${tmpDir.split('/').pop()}.time`);
  const r = spawnSync('/usr/bin/time', ['-f', '%M', '-o', timeFile, process.execPath, BIN, ...args], {
    encoding: 'utf8', timeout: 120_000, env: { ...process.env, TMPDIR: tmpDir, NO_COLOR: '1' },
  });
  return { code: r.status ?? -1, err: r.stderr, rssKiB: Number(readFileSync(timeFile, 'utf8').trim().split('\n').pop()), leftInTmp: readdirSync(tmpDir) };
}

function plan(p: string, extra: string[] = []): Run {
  return run(['plan', p, '--target', target, '--identity', k.identityPath, '--scenario', 'tenant-loss', ...extra]);
}

function verify(p: string): Run {
  return run(['verify', p, '--signer', k.signingPublicKeyPath, '--identity', k.identityPath, '--read-data']);
}

/** The invariants of every run; `refused` when the archive must be refused (exit 3). */
function check(r: Run, refused: boolean): void {
  expect(r.err).not.toMatch(/^\s+at /m);
  expect(r.err).not.toContain('internal error');
  expect(DOCUMENTED_EXITS).toContain(r.code);
  if (refused) {
    expect(r.code, r.err).toBe(3);
    expect(r.err).toMatch(/\[(TRUNCATED|INTEGRITY|ARCHIVE_LIMIT|ARCHIVE_MALFORMED|DECRYPT_FAILED)\]/);
  }
  expect(r.leftInTmp.filter((n) => n.startsWith('entra-vault-staging-'))).toEqual([]);
  expect(r.rssKiB).toBeGreaterThan(0);
  expect(r.rssKiB).toBeLessThan(RSS_BUDGET_KIB);
}

let n = 0;
/** A copy of the archive cut to `len` bytes, in the vault (signature kept, so it no longer verifies) or re-signed outside it. */
async function cutCopy(len: number, resign: boolean): Promise<string> {
  const p = resign ? join(dir, `cut-${++n}.evault`) : join(vault, TEST_TENANT, `cut-${++n}.evault`);
  copyFileSync(archive, p);
  truncateSync(p, len);
  const sig = readFileSync(`${archive}.minisig`, 'utf8');
  writeFileSync(`${p}.minisig`, resign ? await signFile(sk, readFileSync(p), parseSignature(sig).trustedComment) : sig);
  return p;
}

async function sealed(data: Buffer): Promise<string> {
  const p = join(dir, `h-${++n}.evault`);
  const listed = [{ path: 'objects/user.jsonl', data }];
  // counts name the entry, so plan parses its records (an uncounted entry is staged, never loaded)
  const records = data.toString('latin1').split('\n').filter((l) => l !== '').length;
  await sealHostile(p, sk, k.recipient, { listed, manifest: manifestFor(listed, { counts: { objects: { user: records }, relations: {} } }), entries: [{ name: 'objects/user.jsonl', data }] });
  return p;
}

const overrides = () => readFileSync(join(vault, 'audit.log'), 'utf8').split('\n').filter((l) => l.includes('"signature.override"')).length;

describe('issue 13: fuzzing the reader through the CLI', () => {
  it('cuts at random points, signature overridden: refused with a code, override on record, no staging left', { tags: ['slow'], timeout: 600_000 }, async () => {
    const size = statSync(archive).size;
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.integer({ min: 1, max: size - 1 }), fc.constantFrom(size - 1, 65535, 65536, 65537)), async (len) => {
        const before = overrides();
        const r = plan(await cutCopy(len, false), ['--allow-bad-signature', 'key lost']);
        check(r, true);
        expect(overrides()).toBe(before + 1);
      }),
      { numRuns: 8 },
    );
  });

  it('cuts at random points re-signed with the signing key: plan and verify refuse with a code', { tags: ['slow'], timeout: 600_000 }, async () => {
    const size = statSync(archive).size;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: size - 1 }), async (len) => {
        const p = await cutCopy(len, true);
        check(plan(p, ['--signer', k.signingPublicKeyPath]), true);
        check(verify(p), true);
      }),
      { numRuns: 6 },
    );
  });

  it('nesting of any depth and lines of any length: refused over the documented limits, read under them', { tags: ['slow'], timeout: 600_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 6000 }), fc.integer({ min: 0, max: 6 * 1024 * 1024 }), async (depth, pad) => {
        const line = Buffer.from(`{"id":"u1","p":"${'a'.repeat(pad)}","x":${'['.repeat(depth)}${']'.repeat(depth)}}\n`);
        const p = await sealed(line);
        const tooDeep = depth + 1 > 64;
        const r = plan(p, ['--signer', k.signingPublicKeyPath]);
        check(r, tooDeep || line.length > 4 * 1024 * 1024);
        if (!tooDeep && line.length <= 4 * 1024 * 1024) expect(r.code, r.err).toBe(4);
        check(verify(p), tooDeep);
      }),
      { numRuns: 6, examples: [[5000, 10], [63, 10], [64, 10], [10, 5 * 1024 * 1024]] },
    );
  });

  it('ten million empty arrays (60 MB of JSON, under the byte limit): refused by the value limit within the budget', { tags: ['slow'], timeout: 600_000 }, async () => {
    const line = `{"id":"u","x":[${Array(10_000).fill('[]').join(',')}]}`;
    const r = plan(await sealed(Buffer.from(Array.from({ length: 1000 }, (_, i) => line.replace('"u"', `"u${i}"`)).join('\n') + '\n')), ['--signer', k.signingPublicKeyPath]);
    check(r, true);
    expect(r.err).toContain('JSON values');
  });

  it('a signed gzip bomb (12 MB expanding past the plan limit): refused within the memory budget', { tags: ['slow'], timeout: 600_000 }, async () => {
    const p = join(dir, 'bomb.evault');
    expect(await writeBomb(p, sk, k.recipient, { records: 560_000, lineBytes: 1000 })).toBeGreaterThan(512 * 1024 ** 2);
    const r = plan(p, ['--signer', k.signingPublicKeyPath]);
    check(r, true);
    expect(r.err).toContain('[ARCHIVE_LIMIT]');
    // verify streams to staging and accepts it (its limits are the format's, not plan's)
    const v = verify(p);
    check(v, false);
    expect(v.code, v.err).toBe(0);
  });
});
