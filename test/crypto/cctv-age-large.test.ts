/**
 * The cctv-age vectors larger than 1 MiB (16 MiB STREAM payloads of 257 and 258 chunks), fed
 * to the project's age decryptor in small pieces (one byte, or 4,099 bytes). Split from cctv-age.test.ts because each
 * takes ~10 s: `npm test` runs this file, `npm run test:fast` does not.
 */
import { describe, expect, it } from 'vitest';
import { cctvVectors, checkVector, LARGE_BYTES } from './cctv.js';

const large = cctvVectors.filter((v) => v.body.length > LARGE_BYTES);

describe('cctv-age large vectors, byte by byte', () => {
  it('are the three 16 MiB STREAM vectors', () => {
    expect(large.map((v) => v.name)).toEqual(['stream_257_chunks', 'stream_257_chunks_full', 'stream_258_chunks']);
  });
  // One byte at a time costs ~12 s per 16 MiB vector: the 258-chunk one (a full last chunk
  // followed by one more) goes byte by byte; the other two in 4,099-byte pieces, whose
  // edges still land at a different offset of every age chunk.
  for (const v of large) {
    const feed = v.name === 'stream_258_chunks' ? 'byte-by-byte' : 'chunks-odd';
    it(`${v.name} (${v.expect}) ${feed}`, async () => {
      await checkVector(v, feed);
    }, 120_000);
  }
});
