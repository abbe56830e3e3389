/**
 * Regenerates test/vectors/ (archive, age and minisign vectors + expected results) with
 * the TEST-ONLY keys in test/vectors/keys/. Run: npx tsx scripts/gen-vectors.ts
 * Ciphertexts change on every run (age is randomised); expected results do not.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateX25519Identity, identityToRecipient } from 'age-encryption';
import { createArchiveWriter } from '../src/archive/writer.js';
import { encryptAgeBytes } from '../src/crypto/age.js';
import { encodePublicKey, encodeSecretKey, secretKeyFromSeed, signFile, type MinisignSecretKey } from '../src/crypto/minisign.js';
import { sealHostile } from '../test/archive/hostile.js';

const root = join(import.meta.dirname, '..', 'test', 'vectors');
const keysDir = join(root, 'keys');
mkdirSync(keysDir, { recursive: true });

async function identity(name: string): Promise<{ path: string; recipient: string }> {
  const path = join(keysDir, `${name}.txt`);
  if (!existsSync(path)) {
    const id = await generateX25519Identity();
    writeFileSync(path, `# TEST-ONLY age identity for entra-vault test vectors. Never use for real data.\n${id}\n`);
  }
  const id = readFileSync(path, 'utf8').split('\n').find((l) => l.startsWith('AGE-SECRET-KEY-'))!;
  return { path, recipient: await identityToRecipient(id) };
}

function signingKey(name: string): MinisignSecretKey {
  const seed = createHash('sha256').update(`entra-vault TEST-ONLY signing key ${name}`).digest();
  const keyId = createHash('sha256').update(`key id ${name}`).digest().subarray(0, 8);
  return secretKeyFromSeed(seed, keyId);
}

const id = await identity('test-identity');
const wrongId = await identity('test-wrong-identity');
const sk = signingKey('collector');
const otherSk = signingKey('other');
writeFileSync(join(keysDir, 'test-signing.key'), await encodeSecretKey(sk));
writeFileSync(join(keysDir, 'test-signing.pub'), encodePublicKey(sk));
writeFileSync(join(keysDir, 'test-other-signing.pub'), encodePublicKey(otherSk));

for (const f of readdirSync(root)) if (f !== 'keys' && !f.endsWith('.test.ts') && !f.startsWith('archive-writer-') && f !== 'chain') rmSync(join(root, f), { recursive: true, force: true });

type Expect = { ok: true; manifestSha256?: string; plaintextSha256?: string; trustedComment?: string } | { error: string };
function expected(name: string, kind: 'archive' | 'age' | 'minisign', description: string, expect: Expect, options: Record<string, string> = {}, file = `${name}.${kind === 'archive' ? 'evault' : kind === 'age' ? 'age' : 'txt'}`): void {
  writeFileSync(join(root, `${name}.expected.json`), `${JSON.stringify({ kind, file, description, options, expect }, null, 2)}\n`);
}

// --- archives ---------------------------------------------------------------------------
const tmp = join(root, '.gen');
mkdirSync(tmp, { recursive: true });
const w = await createArchiveWriter({
  outDir: tmp,
  tenantId: '11111111-2222-3333-4444-555555555555',
  initialDomain: 'contoso.onmicrosoft.com',
  takenAt: new Date('2026-01-26T11:15:00.000Z'),
  recipients: [id.recipient],
  signingKey: sk,
  toolVersion: 'vectors',
  catalogHash: 'vectors',
});
await w.addObject('user', { id: 'u2', displayName: 'Bob', userPrincipalName: 'bob@contoso.onmicrosoft.com' });
await w.addObject('user', { id: 'u1', displayName: 'Alice', userPrincipalName: 'alice@contoso.onmicrosoft.com' });
await w.addObject('group', { id: 'g1', displayName: 'Admins' });
await w.addRelation({ kind: 'groupMembers', from: 'g1', to: 'u1', toType: 'user' });
const valid = await w.finish();
const validBytes = readFileSync(valid.archivePath);
const validSig = readFileSync(valid.signaturePath);
rmSync(tmp, { recursive: true, force: true });

const put = (name: string, bytes: Buffer, sig?: Buffer) => {
  writeFileSync(join(root, `${name}.evault`), bytes);
  if (sig) writeFileSync(join(root, `${name}.evault.minisig`), sig);
};
put('archive-valid', validBytes, validSig);
expected('archive-valid', 'archive', 'well-formed v1 archive', { ok: true, manifestSha256: valid.manifestSha256 }, { expectedTenantId: '11111111-2222-3333-4444-555555555555' });
const flipped = Buffer.from(validBytes);
flipped[Math.floor(flipped.length / 2)]! ^= 0x01;
put('archive-flipped-byte', flipped, validSig);
expected('archive-flipped-byte', 'archive', 'one ciphertext bit flipped', { error: 'SIGNATURE_INVALID' });
put('archive-truncated', validBytes.subarray(0, validBytes.length - 1), validSig);
expected('archive-truncated', 'archive', 'last byte removed', { error: 'SIGNATURE_INVALID' });
put('archive-no-signature', validBytes);
expected('archive-no-signature', 'archive', 'detached .minisig missing', { error: 'SIGNATURE_MISSING' });
put('archive-wrong-signer', validBytes, Buffer.from(await signFile(otherSk, validBytes, validSig.toString().split('\n')[2]!.slice(17))));
expected('archive-wrong-signer', 'archive', 'signed by a key that is not trusted', { error: 'SIGNATURE_INVALID' });
put('archive-wrong-tenant', validBytes, validSig);
expected('archive-wrong-tenant', 'archive', 'valid archive of another tenant (substitution)', { error: 'WRONG_TENANT' }, { expectedTenantId: 'aaaaaaaa-0000-0000-0000-000000000000' });
const sigEdited = validSig.toString().replace('sequence=', 'sequence=9');
put('archive-trusted-comment-edited', validBytes, Buffer.from(sigEdited));
expected('archive-trusted-comment-edited', 'archive', 'trusted comment changed after signing', { error: 'SIGNATURE_INVALID' });

const line = Buffer.from('{"id":"u1"}\n');
const listed = [{ path: 'objects/user.jsonl', data: line }];
const hostile: [string, string, Parameters<typeof sealHostile>[3], string][] = [
  ['archive-traversal', 'tar entry ../x', { listed, entries: [{ name: '../x', data: line }] }, 'ARCHIVE_UNSAFE_ENTRY'],
  ['archive-absolute', 'tar entry with absolute path', { listed, entries: [{ name: '/etc/evil', data: line }] }, 'ARCHIVE_UNSAFE_ENTRY'],
  ['archive-symlink', 'symlink entry followed by a file of the same name', { listed, entries: [{ name: 'objects/user.jsonl', type: '2', linkname: '/etc' }, { name: 'objects/user.jsonl', data: line }] }, 'ARCHIVE_UNSAFE_ENTRY'],
  ['archive-hardlink', 'hardlink entry', { listed, entries: [{ name: 'objects/user.jsonl', type: '1', linkname: 'manifest.json' }] }, 'ARCHIVE_UNSAFE_ENTRY'],
  ['archive-pax-path', 'PAX header overriding the path', { listed, entries: [{ name: 'PaxHeader/x', type: 'x', data: Buffer.from('30 path=../../../../tmp/pwned\n') }, { name: 'objects/user.jsonl', data: line }] }, 'ARCHIVE_UNSAFE_ENTRY'],
  ['archive-case-collision', 'two names equal after case folding', { listed, entries: [{ name: 'objects/user.jsonl', data: line }, { name: 'objects/User.jsonl', data: line }] }, 'ARCHIVE_UNSAFE_ENTRY'],
  ['archive-unlisted-entry', 'entry not listed in the signed manifest', { listed, entries: [{ name: 'objects/user.jsonl', data: line }, { name: 'objects/group.jsonl', data: line }] }, 'ARCHIVE_UNSAFE_ENTRY'],
  ['archive-entry-hash-mismatch', 'entry bytes differ from the manifest SHA-256 (compromised collector)', { listed, entries: [{ name: 'objects/user.jsonl', data: Buffer.from('{"id":"u9"}\n') }] }, 'INTEGRITY'],
  ['archive-manifest-other-signer', 'manifest.sig made by another key', { listed, entries: [{ name: 'objects/user.jsonl', data: line }], manifestSigKey: otherSk }, 'SIGNATURE_INVALID'],
  ['archive-oversized-entry', 'entry header claims 100 GiB', { listed, entries: [{ name: 'objects/user.jsonl', claimedSize: 100 * 1024 ** 3 }] }, 'ARCHIVE_LIMIT'],
];
for (const [name, description, build, code] of hostile) {
  await sealHostile(join(root, `${name}.evault`), sk, id.recipient, build);
  expected(name, 'archive', description, { error: code });
}
await sealHostile(join(root, 'archive-wrong-recipient.evault'), sk, wrongId.recipient, { listed, entries: [{ name: 'objects/user.jsonl', data: line }] });
expected('archive-wrong-recipient', 'archive', 'validly signed, encrypted to another recipient', { error: 'DECRYPT_FAILED' });

// --- age (C2SP CCTV style) ----------------------------------------------------------------
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const small = Buffer.from('entra-vault age vector\n');
const big = Buffer.alloc(70 * 1024, 0x61);
const putAge = (name: string, bytes: Buffer, description: string, expect: Expect, options: Record<string, string> = { identity: 'keys/test-identity.txt' }) => {
  writeFileSync(join(root, `${name}.age`), bytes);
  expected(name, 'age', description, expect, options);
};
const x = await encryptAgeBytes(small, { recipients: [id.recipient] });
putAge('age-x25519', x, 'X25519 recipient, single chunk', { ok: true, plaintextSha256: sha(small) });
const xb = await encryptAgeBytes(big, { recipients: [id.recipient] });
putAge('age-x25519-two-chunks', xb, 'X25519, 70 KiB: two STREAM chunks', { ok: true, plaintextSha256: sha(big) });
const sc = await encryptAgeBytes(small, { passphrase: 'vector-passphrase', workFactor: 10 });
putAge('age-scrypt', sc, 'scrypt recipient, work factor 10', { ok: true, plaintextSha256: sha(small) }, { passphrase: 'vector-passphrase' });
putAge('age-scrypt-work-factor-21', Buffer.from(sc.toString('latin1').replace(/^(-> scrypt \S+ )10$/m, '$121'), 'latin1'), 'scrypt work factor 21 (above the limit of 20)', { error: 'WORK_FACTOR_TOO_HIGH' }, { passphrase: 'vector-passphrase' });
putAge('age-scrypt-work-factor-64', Buffer.from(sc.toString('latin1').replace(/^(-> scrypt \S+ )10$/m, '$164'), 'latin1'), 'scrypt work factor 64', { error: 'WORK_FACTOR_TOO_HIGH' }, { passphrase: 'vector-passphrase' });
putAge('age-wrong-recipient', await encryptAgeBytes(small, { recipients: [wrongId.recipient] }), 'encrypted to a recipient we have no identity for', { error: 'DECRYPT_FAILED' });
putAge('age-scrypt-wrong-passphrase', sc, 'wrong passphrase', { error: 'PASSPHRASE_WRONG' }, { passphrase: 'not-it' });
const hdrEnd = x.indexOf('\n---') + 1 + x.subarray(x.indexOf('\n---') + 1).indexOf('\n') + 1;
putAge('age-truncated-header', x.subarray(0, hdrEnd - 10), 'file ends inside the header', { error: 'TRUNCATED' });
putAge('age-truncated-nonce', x.subarray(0, hdrEnd + 8), 'file ends inside the payload nonce', { error: 'TRUNCATED' });
putAge('age-truncated-chunk-boundary', xb.subarray(0, hdrEnd + 16 + 64 * 1024 + 16), 'payload cut after the first full chunk', { error: 'TRUNCATED' });
putAge('age-empty', Buffer.alloc(0), 'zero bytes', { error: 'TRUNCATED' });
const tag = Buffer.from(x);
tag[tag.length - 1]! ^= 0x80;
putAge('age-tampered-tag', tag, 'last byte of the final chunk tag flipped', { error: 'INTEGRITY' });
const mac = Buffer.from(x);
const macPos = x.indexOf('\n--- ') + 6;
mac[macPos] = mac[macPos] === 0x41 ? 0x42 : 0x41;
putAge('age-bad-header-mac', mac, 'header MAC altered', { error: 'DECRYPT_FAILED' });
const midTamper = Buffer.from(xb);
midTamper[hdrEnd + 16 + 100]! ^= 1;
putAge('age-tampered-first-chunk', midTamper, 'first of two chunks altered', { error: 'INTEGRITY' });

// --- minisign ------------------------------------------------------------------------------
const msg = Buffer.from('entra-vault minisign vector\n');
writeFileSync(join(root, 'minisign-valid.txt'), msg);
writeFileSync(join(root, 'minisign-valid.txt.minisig'), await signFile(sk, msg, 'vector trusted comment'));
expected('minisign-valid', 'minisign', 'prehashed Ed25519 signature with trusted comment', { ok: true, trustedComment: 'vector trusted comment' }, { publicKey: 'keys/test-signing.pub' });
writeFileSync(join(root, 'minisign-comment-edited.txt'), msg);
writeFileSync(join(root, 'minisign-comment-edited.txt.minisig'), (await signFile(sk, msg, 'vector trusted comment')).replace('vector trusted', 'vector TRUSTED'));
expected('minisign-comment-edited', 'minisign', 'trusted comment edited after signing', { error: 'SIGNATURE_INVALID' }, { publicKey: 'keys/test-signing.pub' });
writeFileSync(join(root, 'minisign-wrong-key.txt'), msg);
writeFileSync(join(root, 'minisign-wrong-key.txt.minisig'), await signFile(sk, msg, 'vector'));
expected('minisign-wrong-key', 'minisign', 'verified against another public key', { error: 'SIGNATURE_INVALID' }, { publicKey: 'keys/test-other-signing.pub' });
writeFileSync(join(root, 'minisign-data-changed.txt'), Buffer.from('entra-vault minisign vector!\n'));
writeFileSync(join(root, 'minisign-data-changed.txt.minisig'), await signFile(sk, msg, 'vector'));
expected('minisign-data-changed', 'minisign', 'data differs from what was signed', { error: 'SIGNATURE_INVALID' }, { publicKey: 'keys/test-signing.pub' });
process.stdout.write(`vectors written to ${root}\n`);
