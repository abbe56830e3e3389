/**
 * Issue 13 item 8 through the built CLI (needs `npx tsc -p tsconfig.json`): a plan killed while
 * it stages decrypted entries leaves nothing the next run does not remove (SIGKILL), and a plan
 * stopped by signals (SIGTERM twice: bin/entra-vault.js exits at once) leaves nothing at all.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSigningKey, type InitKeysResult } from '../../src/crypto/keys.js';
import { keys, tmp, writeSample } from './helpers.js';
import { writeBomb } from './bomb.js';

const BIN = resolve('bin/entra-vault.js');
let k: InitKeysResult;
let big: string;
let small: string;
let target: string;

beforeAll(async () => {
  k = await keys(true);
  const dir = tmp('ev-sig-');
  big = join(dir, 'big.evault');
  // about 190 MiB of records: staging takes seconds, long enough to be interrupted
  await writeBomb(big, await loadSigningKey(k.signingKeyPath), k.recipient, { records: 200_000, lineBytes: 1000 });
  small = (await writeSample(k, { outDir: dir })).archivePath;
  target = join(dir, 'target.json');
  writeFileSync(target, JSON.stringify({ tenantId: '22222222-2222-3333-4444-555555555555', authorityHost: 'http://127.0.0.1:9', graphBaseUrl: 'http://127.0.0.1:9/v1.0', clientId: 'x', auth: { kind: 'clientSecret', secret: 's' }, emulator: true }), { mode: 0o600 });
}, 180_000);

const staged = (d: string) => readdirSync(d).filter((n) => n.startsWith('entra-vault-staging-'));

/** Start `plan` on the big archive and resolve once its staging directory holds a file. */
async function planUntilStaging(tmpDir: string) {
  const child = spawn(process.execPath, [BIN, 'plan', big, '--target', target, '--identity', k.identityPath, '--signer', k.signingPublicKeyPath, '--scenario', 'tenant-loss'], {
    env: { ...process.env, TMPDIR: tmpDir }, stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<number | null>((res) => child.on('exit', (code, sig) => res(code ?? (sig ? -1 : null))));
  for (let i = 0; i < 600; i++) {
    const s = staged(tmpDir);
    if (s.length > 0 && readdirSync(join(tmpDir, s[0]!)).length > 0) return { child, exited, err: () => err };
    await sleep(50);
  }
  throw new Error(`plan never staged anything: ${err}`);
}

describe('issue 13 item 8: killed plans leave no decrypted staging behind', () => {
  it('SIGKILL while staging: the staging directory is removed by the next run', { tags: ['slow'], timeout: 120_000 }, async () => {
    const t = mkdtempSync(join(tmpdir(), 'ev-sig-tmp-'));
    const p = await planUntilStaging(t);
    p.child.kill('SIGKILL');
    await p.exited;
    expect(staged(t)).toHaveLength(1);
    const next = spawnSync(process.execPath, [BIN, 'verify', small, '--signer', k.signingPublicKeyPath, '--identity', k.identityPath, '--read-data'], { env: { ...process.env, TMPDIR: t }, encoding: 'utf8' });
    expect(next.status, next.stderr).toBe(0);
    expect(staged(t)).toEqual([]);
  });

  it('SIGTERM twice while staging: the CLI exits at once and removes its staging', { tags: ['slow'], timeout: 120_000 }, async () => {
    const t = mkdtempSync(join(tmpdir(), 'ev-sig-tmp-'));
    const p = await planUntilStaging(t);
    p.child.kill('SIGTERM');
    await sleep(20);
    p.child.kill('SIGTERM');
    const code = await p.exited;
    expect(code, p.err()).toBe(130);
    expect(p.err()).not.toMatch(/^\s+at /m);
    expect(staged(t)).toEqual([]);
  });
});
