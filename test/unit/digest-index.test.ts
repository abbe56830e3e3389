/**
 * The op id index that holds digests, not strings (src/digest-index.ts), against a Map model:
 * the same entry for each key in the order first added, none for a key never added, through the
 * table's growth.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DigestIndex } from '../../src/digest-index.js';

describe('DigestIndex', () => {
  it('numbers keys in the order first added and finds each again, as a Map would (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary', maxLength: 12 }), { maxLength: 300 }), fc.array(fc.string({ maxLength: 12 }), { maxLength: 50 }), (added, probed) => {
        const index = new DigestIndex();
        const model = new Map<string, number>();
        for (const k of added) {
          if (!model.has(k)) model.set(k, model.size);
          expect(index.add(k)).toBe(model.get(k));
        }
        expect(index.size).toBe(model.size);
        for (const k of [...added, ...probed]) {
          expect(index.get(k)).toBe(model.get(k));
          expect(index.has(k)).toBe(model.has(k));
        }
      }),
    );
  });

  it('keeps every entry through its table and digest store growing (50,000 op ids)', () => {
    const ids = Array.from({ length: 50_000 }, (_, i) => `add:groupMembers:${i.toString(16).padStart(8, '0')}-0000-4000-8000-000000000000:u${i}`);
    const index = DigestIndex.of(ids);
    expect(index.size).toBe(ids.length);
    ids.forEach((id, i) => expect(index.get(id)).toBe(i));
    // one character apart, and the prefix of a key: none of them added
    expect(index.get(`${ids[7]!.slice(0, -1)}x`)).toBeUndefined();
    expect(index.get(ids[7]!.slice(0, -1))).toBeUndefined();
    expect(index.get('')).toBeUndefined();
  });

  it('refuses, as a bug, an index of keys that repeat', () => {
    expect(() => DigestIndex.of(['create:user:a', 'create:user:b', 'create:user:a'])).toThrow(/create:user:a repeats/);
  });
});
