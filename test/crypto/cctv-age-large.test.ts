/**
 * The cctv-age vectors larger than 1 MiB (16 MiB STREAM payloads of 257 and 258 chunks), fed
 * to the project's age decryptor one byte per chunk. Split from cctv-age.test.ts because each
 * takes ~10 s: `npm test` runs this file, `npm run test:fast` does not.
 */
import { describe, expect, it } from 'vitest';
import { cctvVectors, checkVector, LARGE_BYTES } from './cctv.js';

const large = cctvVectors.filter((v) => v.body.length > LARGE_BYTES);

describe('cctv-age large vectors, byte by byte', () => {
  it('are the three 16 MiB STREAM vectors', () => {
    expect(large.map((v) => v.name)).toEqual(['stream_257_chunks', 'stream_257_chunks_full', 'stream_258_chunks']);
  });
  for (const v of large) {
    it(`${v.name} (${v.expect}) byte-by-byte`, async () => {
      await checkVector(v, 'byte-by-byte');
    }, 120_000);
  }
});
