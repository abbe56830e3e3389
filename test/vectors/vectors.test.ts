/**
 * Runs every committed vector (test/vectors/<case>.expected.json next to its file)
 * through the project's own code paths. age vectors go through the decrypt path whole
 * and in 1-byte chunks (docs/reliability.md 9). Regenerate with `npx tsx scripts/gen-vectors.ts`.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openArchive } from '../../src/archive/reader.js';
import { decryptAgeBytes, loadIdentity } from '../../src/crypto/age.js';
import { loadSigningPublicKey } from '../../src/crypto/keys.js';
import { verifySignature } from '../../src/crypto/minisign.js';
import { isVaultError } from '../../src/errors.js';
import { readCredentialSpool } from '../../src/restore/credentials.js';

const dir = import.meta.dirname;
interface Vector {
  kind: 'archive' | 'age' | 'minisign' | 'credentials-spool';
  file: string;
  description: string;
  options: { expectedTenantId?: string; identity?: string; passphrase?: string; publicKey?: string };
  expect: { ok: true; manifestSha256?: string; plaintextSha256?: string; trustedComment?: string; credentials?: number; sha256?: string } | { error: string };
}
const vectors = readdirSync(dir)
  .filter((f) => f.endsWith('.expected.json'))
  .sort()
  .map((f) => ({ name: f.slice(0, -'.expected.json'.length), v: JSON.parse(readFileSync(join(dir, f), 'utf8')) as Vector }));

async function outcome<T>(p: Promise<T>): Promise<{ ok: true; value: T } | { error: string }> {
  try {
    return { ok: true, value: await p };
  } catch (e) {
    if (isVaultError(e)) return { error: e.code };
    throw e;
  }
}

async function* oneByte(b: Buffer): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < b.length; i++) yield b.subarray(i, i + 1);
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('test vectors', () => {
  it('there are vectors of every kind', () => {
    expect(new Set(vectors.map((x) => x.v.kind))).toEqual(new Set(['archive', 'age', 'minisign', 'credentials-spool']));
    expect(vectors.length).toBeGreaterThanOrEqual(30);
  });

  for (const { name, v } of vectors) {
    it(`${name}: ${v.description} → ${'error' in v.expect ? v.expect.error : 'ok'}`, async () => {
      const file = join(dir, v.file);
      if (v.kind === 'archive') {
        const staging = mkdtempSync(join(tmpdir(), 'ev-vec-'));
        const r = await outcome(
          openArchive(file, { identity: join(dir, 'keys/test-identity.txt'), signerPublicKey: join(dir, 'keys/test-signing.pub'), expectedTenantId: v.options.expectedTenantId, stagingParent: staging }),
        );
        if ('error' in v.expect) expect(r).toEqual({ error: v.expect.error });
        else {
          expect('ok' in r).toBe(true);
          if ('ok' in r) {
            expect(r.value.manifestSha256).toBe(v.expect.manifestSha256);
            await r.value.close();
          }
        }
        expect(readdirSync(staging)).toEqual([]);
      } else if (v.kind === 'age') {
        const keys = { identities: v.options.identity ? await loadIdentity(join(dir, v.options.identity)) : [], passphrases: v.options.passphrase ? [v.options.passphrase] : [] };
        const bytes = readFileSync(file);
        const whole = await outcome(decryptAgeBytes(bytes, keys));
        const chunked = await outcome(decryptAgeBytes(oneByte(bytes), keys));
        for (const r of [whole, chunked]) {
          if ('error' in v.expect) expect(r).toEqual({ error: v.expect.error });
          else expect('ok' in r && sha(r.value)).toBe(v.expect.plaintextSha256);
        }
      } else if (v.kind === 'credentials-spool') {
        const r = await outcome(readCredentialSpool(file, await loadIdentity(join(dir, v.options.identity!))));
        if ('error' in v.expect) expect(r).toEqual({ error: v.expect.error });
        else {
          expect('ok' in r && r.value.length).toBe(v.expect.credentials);
          expect('ok' in r && createHash('sha256').update(JSON.stringify(r.value)).digest('hex')).toBe(v.expect.sha256);
        }
      } else {
        const pk = await loadSigningPublicKey(join(dir, v.options.publicKey!));
        const r = await outcome(verifySignature(pk, readFileSync(file), readFileSync(`${file}.minisig`, 'utf8')));
        if ('error' in v.expect) expect(r).toEqual({ error: v.expect.error });
        else expect(r).toEqual({ ok: true, value: v.expect.trustedComment });
      }
    });
  }
});
