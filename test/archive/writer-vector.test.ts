/**
 * The archive writer against its committed vector, byte for byte (issue 10 item 7;
 * inputs and the randomness stub are explained in writer-vector.ts). Checked layer by
 * layer so a failure says which layer moved: the tar, then the gzip plaintext, then the
 * age ciphertext and the detached signature.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openArchive } from '../../src/archive/reader.js';
import { decryptAgeBytes, loadIdentity } from '../../src/crypto/age.js';
import type { FinishedArchive } from '../../src/archive/writer.js';
import { tmp } from './helpers.js';
import { seededBytes, sha256, VECTOR_DIR, VECTOR_NAME, WRITER_VECTOR_INPUTS, writeVectorArchive } from './writer-vector.js';

interface Expected {
  kind: 'archive';
  file: string;
  expect: { manifestSha256: string; sha256: string; signatureSha256: string; plaintextSha256: string; tarSha256: string; bytes: number; randomDraws: number[] };
  inputs: unknown;
}

const expected = JSON.parse(readFileSync(join(VECTOR_DIR, `${VECTOR_NAME}.expected.json`), 'utf8')) as Expected;
const committed = readFileSync(join(VECTOR_DIR, expected.file));
const committedSig = readFileSync(join(VECTOR_DIR, `${expected.file}.minisig`));
const identityPath = join(VECTOR_DIR, WRITER_VECTOR_INPUTS.identity);

let out: string;
let written: FinishedArchive;
let draws: number[];
let plaintext: Buffer;

beforeAll(async () => {
  out = tmp('ev-writer-vector-');
  ({ archive: written, draws } = await writeVectorArchive(out));
  plaintext = await decryptAgeBytes(readFileSync(written.archivePath), { identities: await loadIdentity(identityPath) });
});
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('archive writer vector (archive-writer-basic)', () => {
  it('the committed files are the ones the .expected.json describes, made from the recorded inputs', () => {
    expect(sha256(committed)).toBe(expected.expect.sha256);
    expect(sha256(committedSig)).toBe(expected.expect.signatureSha256);
    expect(committed.length).toBe(expected.expect.bytes);
    // the inputs written to the .expected.json are the ones this test uses
    expect(expected.inputs).toEqual(JSON.parse(JSON.stringify(WRITER_VECTOR_INPUTS)));
  });

  it('the age library draws exactly file key, X25519 ephemeral and payload nonce', () => {
    expect(draws).toEqual(expected.expect.randomDraws);
  });

  it('tar and gzip layers: the plaintext is byte-identical', () => {
    expect(sha256(gunzipSync(plaintext))).toBe(expected.expect.tarSha256);
    expect(sha256(plaintext)).toBe(expected.expect.plaintextSha256);
    expect(written.manifestSha256).toBe(expected.expect.manifestSha256);
  });

  it('the archive file and its signature are byte-identical to the committed vector', () => {
    const bytes = readFileSync(written.archivePath);
    expect(bytes.length).toBe(committed.length);
    expect(bytes.equals(committed)).toBe(true);
    expect(readFileSync(written.signaturePath).equals(committedSig)).toBe(true);
    expect(written.bytes).toBe(expected.expect.bytes);
  });

  it('the committed vector reads back as the inputs: sorted, last duplicate wins, warning kept', async () => {
    const a = await openArchive(join(VECTOR_DIR, expected.file), {
      identity: identityPath,
      signerPublicKey: join(VECTOR_DIR, 'keys/test-signing.pub'),
      expectedTenantId: WRITER_VECTOR_INPUTS.tenantId,
      stagingParent: out,
    });
    try {
      expect(a.manifestSha256).toBe(expected.expect.manifestSha256);
      expect(a.manifest).toMatchObject({ takenAt: WRITER_VECTOR_INPUTS.takenAt, sequence: WRITER_VECTOR_INPUTS.sequence, counts: { objects: { user: 2, group: 1 }, relations: { groupMembers: 2 } } });
      expect(a.manifest).not.toHaveProperty('deltaLinks');
      const data = await a.loadTenantData();
      expect(data.objects.user!.map((u) => [u.id, u.displayName])).toEqual([
        ['u1', 'Alice'],
        ['u2', 'Bob (renamed)'],
      ]);
      expect(data.relations.groupMembers!.map((r) => r.to)).toEqual(['u1', 'u2']);
      expect(a.manifest.warnings).toEqual(WRITER_VECTOR_INPUTS.warnings);
    } finally {
      await a.close();
    }
  });

  it('the stub is confined to the write, and the seed does reach the ciphertext', async () => {
    const a = new Uint8Array(16);
    globalThis.crypto.getRandomValues(a);
    const seeded = new Uint8Array(16);
    seededBytes(WRITER_VECTOR_INPUTS.randomSeed)(seeded);
    expect(Buffer.from(a).equals(Buffer.from(seeded))).toBe(false);
    // another seed changes the ciphertext and not the plaintext: the seed does reach age's draws
    const o2 = tmp('ev-writer-vector-');
    try {
      const other = await writeVectorArchive(o2, 'another seed');
      const bytes = readFileSync(other.archive.archivePath);
      expect(bytes.equals(committed)).toBe(false);
      const p2 = await decryptAgeBytes(bytes, { identities: await loadIdentity(identityPath) });
      expect(sha256(p2)).toBe(expected.expect.plaintextSha256);
    } finally {
      rmSync(o2, { recursive: true, force: true });
    }
  });
});
