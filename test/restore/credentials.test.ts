import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateHybridIdentity, generateX25519Identity, identityToRecipient } from 'age-encryption';
import { describe, expect, it } from 'vitest';
import { decryptAgeBytes } from '../../src/crypto/age.js';
import {
  SPOOL_SUFFIX,
  createEncryptedCredentialsFile,
  readCredentialSpool,
  recoverCredentialSpools,
  type TemporaryCredential,
} from '../../src/restore/credentials.js';
import { codeOf } from '../archive/helpers.js';

const dir = () => mkdtempSync(join(tmpdir(), 'ev-cred-'));
const creds = (n: number, tag = 'u'): TemporaryCredential[] =>
  Array.from({ length: n }, (_, i) => ({ userPrincipalName: `${tag}${i}@contoso.example`, temporaryPassword: `Pw!${tag}${i}-${'x'.repeat(12)}` }));

async function decryptFinal(path: string, identity: string): Promise<TemporaryCredential[]> {
  const doc = JSON.parse((await decryptAgeBytes(readFileSync(path), { identities: [identity] })).toString('utf8')) as { format: string; credentials: TemporaryCredential[] };
  expect(doc.format).toBe('entra-vault-credentials');
  return doc.credentials;
}

/** A sink at `<new dir>/c.age` with `n` credentials durable in its spool, not closed. */
async function spoolOf(n: number) {
  const id = await generateX25519Identity();
  const d = dir();
  const path = join(d, 'c.age');
  const sink = await createEncryptedCredentialsFile(path, await identityToRecipient(id));
  for (const c of creds(n)) await sink.add(c);
  return { id, d, path, sink, spoolPath: `${path}${SPOOL_SUFFIX}` };
}

describe('encrypted credentials file', () => {
  it('concurrent adds are all durable in the spool before they resolve, and close writes one age file the stock age CLI decrypts', async () => {
    const id = await generateX25519Identity();
    const d = dir();
    const path = join(d, 'restore-credentials.age');
    const sink = await createEncryptedCredentialsFile(path, await identityToRecipient(id));
    const all = creds(57);
    await Promise.all(all.slice(0, 40).map((c) => sink.add(c)));
    for (const c of all.slice(40)) await sink.add(c);
    // a crash now: the spool alone gives every password back, and holds none in clear
    const spool = readFileSync(`${path}${SPOOL_SUFFIX}`);
    for (const c of all) expect(spool.includes(Buffer.from(c.temporaryPassword))).toBe(false);
    expect(await readCredentialSpool(`${path}${SPOOL_SUFFIX}`, [id])).toEqual(all);
    expect(statSync(`${path}${SPOOL_SUFFIX}`).mode & 0o777).toBe(0o600);
    expect(existsSync(path)).toBe(false);

    await sink.close();
    expect(existsSync(`${path}${SPOOL_SUFFIX}`)).toBe(false);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(await decryptFinal(path, id)).toEqual(all);
    const idFile = join(d, 'id.txt');
    writeFileSync(idFile, `${id}\n`, { mode: 0o600 });
    const plain = JSON.parse(execFileSync('age', ['-d', '-i', idFile, path]).toString('utf8')) as { credentials: TemporaryCredential[] };
    expect(plain.credentials).toEqual(all);
    await expect(sink.add(all[0] as TemporaryCredential)).rejects.toThrow(/closed/);
  });

  it('works with the hybrid post-quantum recipient; a sink with no add leaves no file', async () => {
    const id = await generateHybridIdentity();
    const d = dir();
    const empty = await createEncryptedCredentialsFile(join(d, 'none.age'), await identityToRecipient(id));
    await empty.close();
    expect(readdirSync(d)).toEqual([]);
    const sink = await createEncryptedCredentialsFile(join(d, 'c.age'), await identityToRecipient(id));
    await sink.add(creds(1)[0] as TemporaryCredential);
    await sink.close();
    expect(await decryptFinal(join(d, 'c.age'), id)).toEqual(creds(1));
  });

  it('a torn last record (crash mid-append) ends the list; a tampered record, another file or a wrong identity is refused', async () => {
    const { id, d, spoolPath } = await spoolOf(5);
    const good = readFileSync(spoolPath);
    truncateSync(spoolPath, good.length - 3);
    expect(await readCredentialSpool(spoolPath, [id])).toEqual(creds(4));

    const tampered = Buffer.from(good);
    tampered[good.length - 60] = (tampered[good.length - 60] as number) ^ 1;
    writeFileSync(spoolPath, tampered);
    expect(await codeOf(readCredentialSpool(spoolPath, [id]))).toBe('INTEGRITY');

    writeFileSync(spoolPath, good);
    expect(await codeOf(readCredentialSpool(spoolPath, [await generateX25519Identity()]))).toBe('DECRYPT_FAILED');
    writeFileSync(join(d, 'other'), 'hello');
    expect(await codeOf(readCredentialSpool(join(d, 'other'), [id]))).toBe('INTEGRITY');
  });

  it('close writes the final file from the spool: a spool tampered with during the run fails close with INTEGRITY and is kept', async () => {
    const { path, sink, spoolPath } = await spoolOf(3);
    const tampered = readFileSync(spoolPath);
    tampered[tampered.length - 20] = (tampered[tampered.length - 20] as number) ^ 1;
    writeFileSync(spoolPath, tampered);
    expect(await codeOf(sink.close())).toBe('INTEGRITY');
    expect(existsSync(spoolPath)).toBe(true);
    expect(existsSync(path)).toBe(false);
  });

  it('recovery turns a crashed run\'s spool into its age file; the resumed run writes a sibling and never overwrites', async () => {
    const id = await generateX25519Identity();
    const recipient = await identityToRecipient(id);
    const d = dir();
    const path = join(d, 'restore-credentials.age');
    const crashed = await createEncryptedCredentialsFile(path, recipient);
    for (const c of creds(3, 'a')) await crashed.add(c);
    // (never closed: the process died here)
    const resumedEarly = await createEncryptedCredentialsFile(path, recipient);
    expect(resumedEarly.path).toBe(`${path}.2`);

    expect(await recoverCredentialSpools(path, [id], recipient)).toEqual([{ file: path, credentials: 3 }]);
    expect(existsSync(`${path}${SPOOL_SUFFIX}`)).toBe(false);
    expect(await decryptFinal(path, id)).toEqual(creds(3, 'a'));
    expect(await recoverCredentialSpools(path, [id], recipient)).toEqual([]);

    const resumed = await createEncryptedCredentialsFile(path, recipient);
    expect(resumed.path).toBe(`${path}.2`);
    await resumed.add(creds(1, 'b')[0] as TemporaryCredential);
    await resumed.close();
    expect(await decryptFinal(path, id)).toEqual(creds(3, 'a'));
    expect(await decryptFinal(`${path}.2`, id)).toEqual(creds(1, 'b'));
  });

  it('a withdrawn entry (its create was refused) is not in the final file nor in a crashed run\'s recovered spool; an earlier entry of the same user stays', async () => {
    const id = await generateX25519Identity();
    const recipient = await identityToRecipient(id);
    const d = dir();
    const [a, b] = creds(2, 'w') as [TemporaryCredential, TemporaryCredential];
    const retried = { userPrincipalName: a.userPrincipalName, temporaryPassword: 'Pw!second-attempt-xx' };
    const closed = await createEncryptedCredentialsFile(join(d, 'closed.age'), recipient);
    await closed.add(a);
    await closed.add(b);
    await closed.add(retried);
    await closed.withdraw(a.userPrincipalName);
    expect(closed.count()).toBe(2);
    await closed.close();
    expect(await decryptFinal(join(d, 'closed.age'), id)).toEqual([a, b]);

    const crashed = await createEncryptedCredentialsFile(join(d, 'crashed.age'), recipient);
    await crashed.add(a);
    await crashed.add(b);
    await crashed.withdraw(b.userPrincipalName);
    // (never closed: the process died here)
    expect(await readCredentialSpool(join(d, `crashed.age${SPOOL_SUFFIX}`), [id])).toEqual([a]);
    expect(await recoverCredentialSpools(join(d, 'crashed.age'), [id], recipient)).toEqual([{ file: join(d, 'crashed.age'), credentials: 1 }]);
    expect(await decryptFinal(join(d, 'crashed.age'), id)).toEqual([a]);
  });
});
