/**
 * The community age test vectors (npm `cctv-age`) through the project's age decryptor, the
 * way typage (the age library this project builds on) runs them in its own tests: every
 * vector whole, streamed in 64 KiB chunks (what openArchive's file stream delivers), and
 * one byte per chunk (openAgeDecryption and its payload iterator), and whole through
 * decryptAgeBytes too. The 16 MiB vectors run byte by byte in cctv-age-large.test.ts.
 *
 * A vector the project does not handle as the reference does is listed in ./cctv.ts by name
 * with the reason; anything new in the package (a vector, a header key, an expect value) fails
 * until someone classifies it here.
 */
import { describe, expect, it } from 'vitest';
import { cctvVectors, checkVector, FEEDS, LARGE_BYTES, RELEASES_LESS, UNSUPPORTED_ARMOR, VECTOR_COUNT } from './cctv.js';

describe('cctv-age community vectors through src/crypto/age.ts', () => {
  it(`the package holds the ${VECTOR_COUNT} classified vectors, each list names only real vectors`, () => {
    const names = cctvVectors.map((v) => v.name);
    expect(names.length).toBe(VECTOR_COUNT);
    for (const n of [...UNSUPPORTED_ARMOR, ...RELEASES_LESS]) expect(names).toContain(n);
    // every armored vector is in the unsupported list, and nothing else is
    expect(cctvVectors.filter((v) => v.armored).map((v) => v.name)).toEqual(UNSUPPORTED_ARMOR);
    expect(cctvVectors.filter((v) => RELEASES_LESS.includes(v.name)).every((v) => v.expect === 'payload failure')).toBe(true);
    // every kind of expectation is exercised on supported vectors
    const expects = new Set(cctvVectors.filter((v) => !v.armored).map((v) => v.expect));
    expect([...expects].sort()).toEqual(['HMAC failure', 'header failure', 'no match', 'payload failure', 'success']);
  });

  for (const v of cctvVectors) {
    for (const feed of FEEDS) {
      if (feed === 'byte-by-byte' && v.body.length > LARGE_BYTES) continue; // cctv-age-large.test.ts
      it(`${v.name} (${v.expect}${v.armored ? ', armored: unsupported' : ''}) ${feed}`, async () => {
        await checkVector(v, feed);
      });
    }
  }
});
