/**
 * Writes the credentials-spool vectors (docs/credentials-format.md) into test/vectors/:
 * a valid spool, a torn last record, a tampered record and a spool for another identity.
 * Run `npx tsx scripts/gen-credential-vectors.ts`; the files are random each run, so only
 * regenerate when the format changes.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { identityToRecipient } from 'age-encryption';
import { loadIdentity } from '../src/crypto/age.js';
import { SPOOL_SUFFIX, createEncryptedCredentialsFile } from '../src/restore/credentials.js';

const out = join(import.meta.dirname, '../test/vectors');
const entries = [1, 2, 3].map((i) => ({ userPrincipalName: `vector${i}@contoso.example`, temporaryPassword: `Vector-Only-Pw-${i}!` }));
const sha = (s: string) => createHash('sha256').update(s).digest('hex');

async function spool(identityFile: string): Promise<Buffer> {
  const [id] = await loadIdentity(join(out, identityFile));
  const path = join(mkdtempSync(join(tmpdir(), 'ev-vec-')), 'c.age');
  const sink = await createEncryptedCredentialsFile(path, await identityToRecipient(id as string));
  for (const e of entries) await sink.add(e);
  return readFileSync(`${path}${SPOOL_SUFFIX}`); // read before close: the crash case
}

function write(name: string, bytes: Buffer, description: string, expect: object): void {
  writeFileSync(join(out, `${name}.spool`), bytes);
  writeFileSync(join(out, `${name}.expected.json`), `${JSON.stringify({ kind: 'credentials-spool', file: `${name}.spool`, description, options: { identity: 'keys/test-identity.txt' }, expect }, null, 2)}\n`);
}

const good = await spool('keys/test-identity.txt');
write('credentials-spool-valid', good, 'three credentials, spool of a run that never closed', { ok: true, credentials: 3, sha256: sha(JSON.stringify(entries)) });
write('credentials-spool-torn', good.subarray(0, good.length - 5), 'the last append was cut by a crash: the first two come back', { ok: true, credentials: 2, sha256: sha(JSON.stringify(entries.slice(0, 2))) });
const bad = Buffer.from(good);
const at = good.length - 100;
bad[at] = (bad[at] as number) ^ 0x40;
write('credentials-spool-tampered', bad, 'one ciphertext byte of a complete record flipped', { error: 'INTEGRITY' });
write('credentials-spool-wrong-identity', await spool('keys/test-wrong-identity.txt'), 'spool key encrypted to another operator', { error: 'DECRYPT_FAILED' });
