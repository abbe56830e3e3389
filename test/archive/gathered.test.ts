/**
 * The age payload's 64 KiB chunks are gathered into 1 MiB inputs for zlib (src/archive/stage.ts
 * `gathered`, issue 17 item 5): the same bytes in the same order, nothing held back at the end,
 * and a source that fails part-way fails the gathering too, without handing on what it held.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gathered } from '../../src/archive/stage.js';

async function* from(chunks: readonly Uint8Array[], failAfter?: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < chunks.length; i++) {
    if (i === failAfter) throw new Error('altered chunk');
    yield chunks[i]!;
  }
}

async function collect(src: AsyncIterable<Buffer>): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for await (const c of src) out.push(c);
  return out;
}

describe('gathered (src/archive/stage.ts)', () => {
  it('hands on the same bytes in chunks of at least `size`, only the last smaller', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.uint8Array({ maxLength: 50 }), { maxLength: 40 }), fc.integer({ min: 1, max: 120 }), async (chunks, size) => {
        const out = await collect(gathered(from(chunks), size));
        expect(Buffer.concat(out)).toEqual(Buffer.concat(chunks));
        out.slice(0, -1).forEach((c) => expect(c.length).toBeGreaterThanOrEqual(size));
        expect(out.every((c) => c.length > 0)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('fails when its source fails, having handed on only the chunks it completed', async () => {
    const chunks = Array.from({ length: 10 }, (_, i) => new Uint8Array(64).fill(i));
    const seen: Buffer[] = [];
    await expect(
      (async () => {
        for await (const c of gathered(from(chunks, 7), 128)) seen.push(c);
      })(),
    ).rejects.toThrow('altered chunk');
    // chunks 0–5 made three full gatherings; chunk 6 was held and is not handed on
    expect(seen.map((c) => c.length)).toEqual([128, 128, 128]);
    expect(Buffer.concat(seen)).toEqual(Buffer.concat(chunks.slice(0, 6)));
  });
});
