/**
 * The community age test vectors (npm `cctv-age`, C2SP/CCTV age/testdata) and a harness that
 * runs one through the project's decryptor (`src/crypto/age.ts`) and reports what happened
 * in the vocabulary of the vectors' `expect` field.
 *
 * The lists below are the project's classification of the vectors (see cctv-age.test.ts).
 *
 * Vector layout (the package README): a textual header of `key: value` lines, an empty line,
 * then the age file, zlib-compressed when `compressed: zlib`. Keys: expect, payload (sha256
 * of all plaintext released, even when decryption later fails), identity / passphrase (may
 * repeat), armored, compressed, file key, comment.
 */
import { createDecipheriv, createHash, hkdfSync } from 'node:crypto';
import { inflateSync } from 'node:zlib';
import { expect } from 'vitest';
import * as cctv from 'cctv-age';
import { decryptAgeBytes, openAgeDecryption, parseAgeHeader } from '../../src/crypto/age.js';
import { VaultError } from '../../src/errors.js';

export type Expect = 'success' | 'no match' | 'HMAC failure' | 'header failure' | 'payload failure' | 'armor failure';
const EXPECTS: readonly string[] = ['success', 'no match', 'HMAC failure', 'header failure', 'payload failure', 'armor failure'];
/** Header keys this harness understands; a new key means a new feature to look at, so it fails. */
const KNOWN_KEYS: readonly string[] = ['expect', 'payload', 'identity', 'passphrase', 'armored', 'compressed', 'file key', 'comment'];

export interface CctvVector {
  name: string;
  expect: Expect;
  /** sha256 hex of the plaintext the reference releases (absent for header-phase failures). */
  payload?: string;
  identities: string[];
  passphrases: string[];
  armored: boolean;
  fileKey?: Buffer;
  comment?: string;
  /** The age file itself, decompressed. */
  body: Buffer;
}

function parseVector(name: string, raw: Uint8Array): CctvVector {
  const buf = Buffer.from(raw);
  const sep = buf.indexOf('\n\n');
  if (sep < 0) throw new Error(`cctv vector ${name}: no blank line after its header`);
  const meta = new Map<string, string[]>();
  for (const line of buf.subarray(0, sep).toString('utf8').split('\n')) {
    const i = line.indexOf(': ');
    const key = i < 0 ? line : line.slice(0, i);
    if (!KNOWN_KEYS.includes(key)) throw new Error(`cctv vector ${name}: unknown header key ${JSON.stringify(key)}`);
    meta.set(key, [...(meta.get(key) ?? []), line.slice(i + 2)]);
  }
  const one = (k: string) => meta.get(k)?.[0];
  const expect = one('expect');
  if (expect === undefined || !EXPECTS.includes(expect)) throw new Error(`cctv vector ${name}: unknown expect ${JSON.stringify(expect)}`);
  const compressed = one('compressed');
  if (compressed !== undefined && compressed !== 'zlib') throw new Error(`cctv vector ${name}: unknown compression ${compressed}`);
  const armored = one('armored');
  if (armored !== undefined && armored !== 'yes') throw new Error(`cctv vector ${name}: armored: ${armored}`);
  let body = buf.subarray(sep + 2);
  if (compressed === 'zlib') body = inflateSync(body);
  const fk = one('file key');
  return {
    name,
    expect: expect as Expect,
    payload: one('payload'),
    identities: meta.get('identity') ?? [],
    passphrases: meta.get('passphrase') ?? [],
    armored: armored === 'yes',
    fileKey: fk === undefined ? undefined : Buffer.from(fk, 'hex'),
    comment: one('comment'),
    body,
  };
}

/** Every vector in the installed package, sorted by name. */
export const cctvVectors: readonly CctvVector[] = Object.entries(cctv as Record<string, Uint8Array>)
  .filter(([name]) => name !== 'default')
  .sort(([a], [b]) => (a < b ? -1 : 1))
  .map(([name, raw]) => parseVector(name, raw));

/** What the project's decryptor did with one vector. */
export type Outcome =
  | { kind: 'success'; plaintext: Buffer }
  /** openAgeDecryption refused the file: no payload iterator was ever handed out. */
  | { kind: 'header'; error: VaultError }
  /** The header was accepted; the payload iterator threw after releasing `released`. */
  | { kind: 'payload'; error: VaultError; released: Buffer };

export type Feed = 'whole' | 'chunks-64k' | 'chunks-odd' | 'byte-by-byte';
export const FEEDS: readonly Feed[] = ['whole', 'chunks-64k', 'byte-by-byte'];

/**
 * A source delivering `body` in `size`-byte chunks. An object iterator rather than an async
 * generator: 16 MiB one byte at a time is 16 M `next()` calls, and a generator's extra
 * machinery per call doubles the time.
 */
export function chunked(body: Buffer, size: number): AsyncIterable<Uint8Array> {
  return {
    [Symbol.asyncIterator]() {
      let at = 0;
      return {
        next: () => {
          if (at >= body.length) return Promise.resolve({ done: true as const, value: undefined });
          const value = body.subarray(at, at + size);
          at += size;
          return Promise.resolve({ done: false as const, value });
        },
      };
    },
  };
}

function source(body: Buffer, feed: Feed): AsyncIterable<Uint8Array> | Uint8Array {
  if (feed === 'whole') return body;
  // 64 KiB is what openArchive's file stream delivers; it straddles the 64 KiB + 16 age chunk.
  // 4,099 bytes (a prime): its edges fall at a different offset of every 64 KiB + 16 age chunk
  return chunked(body, feed === 'chunks-64k' ? 64 * 1024 : feed === 'chunks-odd' ? 4099 : 1);
}

/**
 * Decrypt one vector through openAgeDecryption + its payload iterator, the way the archive
 * reader does. Anything thrown that is not a VaultError is a crash and propagates.
 */
export async function decryptVector(v: CctvVector, feed: Feed): Promise<Outcome> {
  let payload: AsyncIterable<Buffer>;
  try {
    ({ payload } = await openAgeDecryption(source(v.body, feed), { identities: v.identities, passphrases: v.passphrases }));
  } catch (e) {
    if (e instanceof VaultError) return { kind: 'header', error: e };
    throw e;
  }
  const parts: Buffer[] = [];
  try {
    for await (const p of payload) parts.push(Buffer.from(p));
  } catch (e) {
    if (e instanceof VaultError) return { kind: 'payload', error: e, released: Buffer.concat(parts) };
    throw e;
  }
  return { kind: 'success', plaintext: Buffer.concat(parts) };
}

export const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/**
 * Reference model of what the age reference implementation releases from a STREAM payload:
 * every 64 KiB + 16 chunk, in order, that authenticates at its position as "not last", then
 * the one that authenticates as "last" (and nothing after it); it stops at the first chunk
 * that authenticates neither way. Built from the vector's `file key` with
 * node:crypto directly, independent of the project's payload loop; used only to show that
 * what the project released is a prefix of what the reference releases.
 */
export async function referenceRelease(v: CctvVector): Promise<Buffer> {
  if (v.fileKey === undefined) throw new Error(`${v.name} has no file key`);
  const header = await parseAgeHeader(v.body);
  const nonce = v.body.subarray(header.bytes.length, header.bytes.length + 16);
  const key = Buffer.from(hkdfSync('sha256', v.fileKey, nonce, Buffer.from('payload'), 32));
  const payload = v.body.subarray(header.bytes.length + 16);
  const out: Buffer[] = [];
  for (let i = 0, at = 0; at < payload.length; i++, at += 64 * 1024 + 16) {
    const sealed = payload.subarray(at, at + 64 * 1024 + 16);
    const more = open(key, i, 0, sealed);
    if (more !== null) {
      out.push(more);
      continue;
    }
    const last = open(key, i, 1, sealed);
    if (last !== null) out.push(last);
    break; // after a "last" chunk, or at the first chunk that does not authenticate
  }
  return Buffer.concat(out);
}

function open(key: Buffer, counter: number, last: number, sealed: Buffer): Buffer | null {
  if (sealed.length < 16) return null;
  const nonce = Buffer.alloc(12);
  nonce.writeUIntBE(counter, 5, 6);
  nonce[11] = last;
  const d = createDecipheriv('chacha20-poly1305', key, nonce, { authTagLength: 16 });
  d.setAuthTag(sealed.subarray(sealed.length - 16));
  try {
    return Buffer.concat([d.update(sealed.subarray(0, sealed.length - 16)), d.final()]);
  } catch {
    return null;
  }
}

/** Vectors in cctv-age 0.2.0. A new package version must be read before it is trusted. */
export const VECTOR_COUNT = 143;

/**
 * ASCII armor is not supported: entra-vault writes and reads binary age files only (archives,
 * identity files, credential spools), so an armored file must be refused before any key is
 * tried — as a header that is not `age-encryption.org/v1`, whatever the vector expects.
 */
export const UNSUPPORTED_ARMOR = [
  'armor_crlf', 'armor_empty', 'armor_empty_last_line', 'armor_empty_line_begin', 'armor_empty_line_end',
  'armor_eol_between_padding', 'armor_full_last_line', 'armor_garbage_encoded', 'armor_garbage_leading',
  'armor_garbage_trailing', 'armor_header_crlf', 'armor_headers', 'armor_hybrid', 'armor_invalid_character_header',
  'armor_invalid_character_payload', 'armor_long_line', 'armor_lowercase', 'armor_no_end_line', 'armor_no_eol',
  'armor_no_match', 'armor_no_padding', 'armor_not_canonical', 'armor_pgp_checksum', 'armor_scrypt',
  'armor_short_line', 'armor_whitespace_begin', 'armor_whitespace_end', 'armor_whitespace_eol',
  'armor_whitespace_last_line', 'armor_whitespace_line_start', 'armor_whitespace_outside', 'armor_wrong_type',
  'armor_x25519',
];

/**
 * Payload failures where the project releases less plaintext than the reference. The project
 * hands out a chunk only after it authenticated with the flag its position demands (the last
 * flag exactly when nothing follows), so it looks one byte past every full chunk first. The
 * reference releases a chunk that authenticated with either flag and only then notices the
 * trailing data, the second "last" chunk or the missing last chunk. Releasing less is the safe
 * side; the test checks that what was released is a strict prefix of the reference's release.
 */
export const RELEASES_LESS = [
  'stream_no_final_full',
  'stream_no_final_two_chunks_full',
  'stream_trailing_garbage_long',
  'stream_trailing_garbage_short',
  'stream_two_final_chunks',
  'stream_two_final_chunks_full',
  'stream_two_final_chunks_second',
];

/** Byte by byte through 16 MiB takes ~10 s each; they run in cctv-age-large.test.ts. */
export const LARGE_BYTES = 1024 * 1024;

type Seen = 'success' | 'no match' | 'header failure' | 'payload failure';

/** The project's outcome in the vectors' vocabulary. */
function classify(o: Outcome): Seen {
  if (o.kind === 'success') return 'success';
  if (o.kind === 'payload') {
    expect(['INTEGRITY', 'TRUNCATED']).toContain(o.error.code);
    return 'payload failure';
  }
  const noMatch = o.error.code === 'PASSPHRASE_WRONG' || (o.error.code === 'DECRYPT_FAILED' && /no identity matches/.test(o.error.message));
  if (noMatch) return 'no match';
  expect(['DECRYPT_FAILED', 'TRUNCATED', 'WORK_FACTOR_TOO_HIGH']).toContain(o.error.code);
  return 'header failure';
}

export async function checkVector(v: CctvVector, feed: Feed): Promise<void> {
  const o = await decryptVector(v, feed);
  const seen = classify(o);
  if (feed === 'whole') {
    // the whole-buffer entry point (identity files, credential spools) agrees with the stream
    const all = await decryptAgeBytes(v.body, { identities: v.identities, passphrases: v.passphrases }).then(
      (p) => ({ plaintext: sha256(p) }),
      (e: unknown) => {
        if (!(e instanceof VaultError)) throw e;
        return { error: e.code };
      },
    );
    expect(all).toEqual(o.kind === 'success' ? { plaintext: sha256(o.plaintext) } : { error: o.error.code });
  }
  if (UNSUPPORTED_ARMOR.includes(v.name)) {
    // refused as "not an age v1 file" (or, armor_crlf, for the CR in its first line)
    expect(o.kind === 'header' && o.error.code).toBe('DECRYPT_FAILED');
    return;
  }
  switch (v.expect) {
    case 'success':
      expect(seen).toBe('success');
      expect(o.kind === 'success' && sha256(o.plaintext)).toBe(v.payload);
      return;
    case 'no match':
      expect(seen).toBe('no match');
      return;
    case 'HMAC failure':
      // Aliased: a MAC that does not verify is reported like a header that cannot be decrypted.
      expect(seen).toBe('header failure');
      expect(o.kind === 'header' && o.error.code).toBe('DECRYPT_FAILED');
      return;
    case 'header failure':
      expect(seen).toBe('header failure');
      return;
    case 'payload failure': {
      expect(seen).toBe('payload failure');
      const released = o.kind === 'payload' ? o.released : Buffer.alloc(0);
      if (!RELEASES_LESS.includes(v.name)) {
        expect(sha256(released)).toBe(v.payload);
        return;
      }
      const reference = await referenceRelease(v);
      expect(sha256(reference)).toBe(v.payload);
      expect(released.length).toBeLessThan(reference.length);
      expect(released.equals(reference.subarray(0, released.length))).toBe(true);
      return;
    }
    case 'armor failure':
      throw new Error(`${v.name}: an armor vector that is not in UNSUPPORTED_ARMOR`);
  }
}
