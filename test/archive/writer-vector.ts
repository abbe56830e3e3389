/**
 * The committed archive-writer vector (docs/archive-format.md): fixed inputs run through
 * the production `createArchiveWriter`, whose output must equal
 * test/vectors/archive-writer-basic.evault (+ .minisig) byte for byte.
 *
 * Randomness. The writer's output depends on three random draws, all made inside the
 * age library (age-encryption's `Encrypter.encrypt` and `X25519Recipient.wrapFileKey`):
 * the 16-byte file key, the 32-byte X25519 ephemeral scalar and the 16-byte payload
 * nonce. The library takes no randomness source, so an option on the writer could not
 * reach them without a second, test-only age encoder (which would then be what the
 * vector tests). Instead `withSeededWebCrypto` replaces `globalThis.crypto.getRandomValues`
 * — the only entropy the library reads (via @noble/hashes' randomBytes) — with a seeded
 * SHA-256 counter stream for the duration of the write. Production code is unchanged
 * and never sees the stub; the spool's AES key comes from node:crypto's randomBytes,
 * which is not stubbed and does not reach the output (spool.ts).
 *
 * Everything else is fixed: the test-only keys in test/vectors/keys/, takenAt (the
 * writer has no other clock), the objects, relations and warning below. tar headers and
 * the gzip header are fixed by the writer itself; the deflate stream is zlib's at level 6.
 *
 * Regenerate (only when the format or the writer changes on purpose):
 *   npx tsx test/archive/writer-vector.ts
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createArchiveWriter, type FinishedArchive } from '../../src/archive/writer.js';
import { loadIdentity } from '../../src/crypto/age.js';
import { loadSigningKey } from '../../src/crypto/keys.js';
import type { DirObject, Relation, SnapshotWarning } from '../../src/model.js';
import { identityToRecipient } from 'age-encryption';

export const VECTOR_DIR = join(import.meta.dirname, '..', 'vectors');
export const VECTOR_NAME = 'archive-writer-basic';

/** The fixed inputs, recorded verbatim in the .expected.json. */
export const WRITER_VECTOR_INPUTS = {
  tenantId: '11111111-2222-3333-4444-555555555555',
  initialDomain: 'contoso.onmicrosoft.com',
  takenAt: '2026-01-26T11:15:00.000Z',
  sequence: 42,
  toolVersion: 'vector',
  catalogHash: 'sha256:vector',
  identity: 'keys/test-identity.txt',
  signingKey: 'keys/test-signing.key',
  randomSeed: 'entra-vault archive-writer-basic',
  /** Added in this order; the writer must sort them. */
  objects: [
    ['user', { id: 'u2', displayName: 'Bob', userPrincipalName: 'bob@contoso.onmicrosoft.com', accountEnabled: true }],
    ['user', { id: 'u1', displayName: 'Alice', userPrincipalName: 'alice@contoso.onmicrosoft.com', accountEnabled: false, otherMails: ['a@example.org'] }],
    ['group', { id: 'g1', displayName: 'Admins', securityEnabled: true }],
    ['user', { id: 'u2', displayName: 'Bob (renamed)', userPrincipalName: 'bob@contoso.onmicrosoft.com', accountEnabled: true }],
  ] as [string, DirObject][],
  relations: [
    { kind: 'groupMembers', from: 'g1', to: 'u2', toType: 'user' },
    { kind: 'groupMembers', from: 'g1', to: 'u1', toType: 'user' },
  ] as Relation[],
  warnings: [{ code: 'PERMISSION_MISSING', type: 'roleEligibilitySchedule', message: 'no RoleEligibilitySchedule.Read.Directory', permission: 'RoleEligibilitySchedule.Read.Directory' }] as SnapshotWarning[],
};

/**
 * A deterministic byte stream: block i is SHA-256(seed ‖ i as 4 bytes BE). Not a CSPRNG
 * for any real use; it stands in for one so the vector is reproducible.
 */
export function seededBytes(seed: string): (out: Uint8Array) => void {
  let counter = 0;
  let pool = Buffer.alloc(0);
  return (out) => {
    while (pool.length < out.length) {
      const n = Buffer.alloc(4);
      n.writeUInt32BE(counter++);
      pool = Buffer.concat([pool, createHash('sha256').update(seed).update(n).digest()]);
    }
    out.set(pool.subarray(0, out.length));
    pool = pool.subarray(out.length);
  };
}

/**
 * Run `fn` with `globalThis.crypto.getRandomValues` drawing from `seededBytes(seed)`;
 * the original is restored afterwards, also when `fn` throws. Returns how many draws
 * were made (the vector expects exactly three: file key, ephemeral, nonce).
 */
export async function withSeededWebCrypto<T>(seed: string, fn: () => Promise<T>): Promise<{ value: T; draws: number[] }> {
  const c = globalThis.crypto;
  const original = c.getRandomValues;
  const fill = seededBytes(seed);
  const draws: number[] = [];
  const stub = <A extends ArrayBufferView | null>(array: A): A => {
    if (array) {
      const view = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
      fill(view);
      draws.push(view.length);
    }
    return array;
  };
  Object.defineProperty(c, 'getRandomValues', { value: stub, configurable: true, writable: true });
  try {
    return { value: await fn(), draws };
  } finally {
    // drop the own property: the prototype's getRandomValues shows through again
    delete (c as { getRandomValues?: unknown }).getRandomValues;
    if (c.getRandomValues !== original) Object.defineProperty(c, 'getRandomValues', { value: original, configurable: true, writable: true });
  }
}

/** Write the vector's archive with the fixed inputs into `outDir` (production writer); `seed` only for tests that show it matters. */
export async function writeVectorArchive(outDir: string, seed = WRITER_VECTOR_INPUTS.randomSeed): Promise<{ archive: FinishedArchive; draws: number[] }> {
  const i = WRITER_VECTOR_INPUTS;
  const [identity] = await loadIdentity(join(VECTOR_DIR, i.identity));
  const recipient = await identityToRecipient(identity!);
  const signingKey = await loadSigningKey(join(VECTOR_DIR, i.signingKey));
  const { value, draws } = await withSeededWebCrypto(seed, async () => {
    const w = await createArchiveWriter({
      outDir,
      tenantId: i.tenantId,
      initialDomain: i.initialDomain,
      takenAt: new Date(i.takenAt),
      sequence: i.sequence,
      recipients: [recipient],
      signingKey,
      toolVersion: i.toolVersion,
      catalogHash: i.catalogHash,
      spoolParent: outDir,
    });
    for (const [type, obj] of i.objects) await w.addObject(type as Parameters<typeof w.addObject>[0], obj);
    for (const r of i.relations) await w.addRelation(r);
    for (const x of i.warnings) w.addWarning(x);
    return w.finish();
  });
  return { archive: value, draws };
}

export const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

/** Regenerate the committed vector files. */
async function regenerate(): Promise<void> {
  const out = mkdtempSync(join(tmpdir(), 'ev-writer-vector-'));
  try {
    const { archive, draws } = await writeVectorArchive(out);
    const bytes = readFileSync(archive.archivePath);
    const sig = readFileSync(archive.signaturePath);
    const { decryptAgeBytes } = await import('../../src/crypto/age.js');
    const plaintext = await decryptAgeBytes(bytes, { identities: await loadIdentity(join(VECTOR_DIR, WRITER_VECTOR_INPUTS.identity)) });
    const { gunzipSync } = await import('node:zlib');
    writeFileSync(join(VECTOR_DIR, `${VECTOR_NAME}.evault`), bytes);
    writeFileSync(join(VECTOR_DIR, `${VECTOR_NAME}.evault.minisig`), sig);
    const expected = {
      kind: 'archive',
      file: `${VECTOR_NAME}.evault`,
      description: 'archive writer output for fixed inputs, byte for byte (test/archive/writer-vector.ts)',
      options: { expectedTenantId: WRITER_VECTOR_INPUTS.tenantId },
      expect: {
        ok: true,
        manifestSha256: archive.manifestSha256,
        sha256: sha256(bytes),
        signatureSha256: sha256(sig),
        plaintextSha256: sha256(plaintext),
        tarSha256: sha256(gunzipSync(plaintext)),
        bytes: archive.bytes,
        randomDraws: draws,
      },
      inputs: WRITER_VECTOR_INPUTS,
    };
    writeFileSync(join(VECTOR_DIR, `${VECTOR_NAME}.expected.json`), `${JSON.stringify(expected, null, 2)}\n`);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await regenerate();
