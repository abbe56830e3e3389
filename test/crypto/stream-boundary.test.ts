import { generateX25519Identity, identityToRecipient } from 'age-encryption';
import { describe, expect, it } from 'vitest';
import { openAgeDecryption, parseAgeHeader, encryptAgeBytes } from '../../src/crypto/age.js';
import { VaultError } from '../../src/errors.js';

// The age STREAM at its chunk boundaries (age spec, STREAM payload, as docs/archive-format.md
// cites it): 64 KiB plaintext chunks + 16-byte tag, the final chunk flagged, never empty
// unless the whole payload is. Through node:crypto's ChaCha20-Poly1305 (src/crypto/age.ts),
// fed whole, in 64 KiB reads and in the reader's 16-chunk reads (src/archive/reader.ts).
const CHUNK = 64 * 1024;
const SEALED = CHUNK + 16;
const READS = { whole: 0, '64k': CHUNK, '16 chunks': 16 * SEALED } as const;

function feed(body: Buffer, size: number): Uint8Array | AsyncIterable<Uint8Array> {
  if (size === 0) return body;
  return (async function* () {
    for (let at = 0; at < body.length; at += size) yield body.subarray(at, at + size);
  })();
}

async function decrypt(body: Buffer, identity: string, size: number): Promise<{ plain: Buffer; chunks: number }> {
  const { payload } = await openAgeDecryption(feed(body, size), { identities: [identity] });
  const parts: Buffer[] = [];
  for await (const p of payload) parts.push(p);
  return { plain: Buffer.concat(parts), chunks: parts.length };
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof VaultError) return e.code;
    throw e;
  }
  return 'none';
}

describe('age STREAM chunk boundaries through the native ChaCha20-Poly1305 path', async () => {
  const identity = await generateX25519Identity();
  const recipient = await identityToRecipient(identity);
  const cases = [
    { name: 'empty', bytes: 0, chunks: 0 },
    { name: 'exactly 64 KiB', bytes: CHUNK, chunks: 1 },
    { name: '64 KiB + 1', bytes: CHUNK + 1, chunks: 2 },
    { name: '16 × 64 KiB (one reader read of whole chunks)', bytes: 16 * CHUNK, chunks: 16 },
  ];
  for (const c of cases) {
    it(`${c.name}: sizes per the spec, decrypted identically in every read size; cut or altered is TRUNCATED / INTEGRITY`, async () => {
      const plain = Buffer.alloc(c.bytes);
      for (let i = 0; i < plain.length; i++) plain[i] = (i * 7 + 3) & 0xff;
      const file = await encryptAgeBytes(plain, { recipients: [recipient] });
      const headerBytes = (await parseAgeHeader(file)).bytes.length;
      const payloadAt = headerBytes + 16; // header, then the 16-byte payload nonce
      // a full final chunk is not followed by an empty one; an empty payload is one empty chunk
      const sealedLen = c.bytes === 0 ? 16 : c.bytes + Math.ceil(c.bytes / CHUNK) * 16;
      expect(file.length - payloadAt).toBe(sealedLen);
      for (const size of Object.values(READS)) {
        const r = await decrypt(file, identity, size);
        expect(r.plain.equals(plain)).toBe(true);
        expect(r.chunks).toBe(c.chunks);
      }
      // cut inside the last chunk, and (with 2+ chunks) exactly at a chunk boundary
      expect(await codeOf(decrypt(file.subarray(0, file.length - 1), identity, READS['16 chunks']))).toBe(c.bytes === 0 ? 'TRUNCATED' : 'INTEGRITY');
      if (c.chunks >= 2) expect(await codeOf(decrypt(file.subarray(0, payloadAt + SEALED), identity, READS['64k']))).toBe('TRUNCATED');
      expect(await codeOf(decrypt(file.subarray(0, payloadAt), identity, 0))).toBe('TRUNCATED');
      // one bit flipped in the last byte of the payload (the final tag)
      const bad = Buffer.from(file);
      bad[bad.length - 1]! ^= 1;
      expect(await codeOf(decrypt(bad, identity, READS['16 chunks']))).toBe('INTEGRITY');
      // a chunk appended after a final one
      expect(await codeOf(decrypt(Buffer.concat([file, Buffer.alloc(16)]), identity, 0))).toMatch(/^(INTEGRITY|TRUNCATED)$/);
    });
  }
});
