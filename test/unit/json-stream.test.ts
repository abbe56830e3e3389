/**
 * src/json-stream.ts writes stored plans and hashes plans piece by piece (issue 17 item 1): its
 * pieces must join to exactly JSON.stringify's and canonicalJson's bytes, or a stored plan would
 * read back differently and a plan hash (journal header, --expect-plan) would change.
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, stableJson } from '../../src/json.js';
import { canonicalJsonChunks, canonicalSha256, jsonChunks, JsonListOf, stableJsonChunks, utf8Batches } from '../../src/json-stream.js';
import { buildPlan } from '../../src/restore/plan/planner.js';
import { planToJson } from '../../src/restore/render.js';
import { emptyLive, meta, sampleArchive } from '../restore/planner-fixtures.js';

const join = (it: Iterable<string>): string => [...it].join('');
const withUndefined = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, fc.jsonValue(), fc.constant(undefined), fc.array(tie('value'), { maxLength: 5 }), fc.dictionary(fc.string(), tie('value'), { maxKeys: 5 })),
})).value;

describe('json-stream', () => {
  it('stableJsonChunks joins to stableJson (sorted keys, 2-space indent, newline) at every split depth', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), fc.array(withUndefined), fc.dictionary(fc.string(), withUndefined)), fc.integer({ min: 0, max: 4 }), (v, d) => {
        expect(join(stableJsonChunks(v, d))).toBe(stableJson(v));
      }),
      { numRuns: 500 },
    );
    // and a real plan, as `plan --json` prints it (src/cli/io.ts writeStableJson)
    const plan = buildPlan({ archive: sampleArchive(), archiveMeta: meta, live: emptyLive(), scenario: 'tenant-loss' });
    for (const d of [1, 2, 3, 5]) expect(join(stableJsonChunks(plan, d))).toBe(planToJson(plan));
  });

  it('jsonChunks joins to JSON.stringify, at every split depth (undefined members and array slots included)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.array(withUndefined), fc.dictionary(fc.string(), withUndefined)), fc.integer({ min: 0, max: 4 }), (v, d) => {
        expect(join(jsonChunks(v, d))).toBe(JSON.stringify(v));
      }),
      { numRuns: 300 },
    );
  });

  it('a JsonListOf is written as the list of what it yields, at every split depth, one element at a time', () => {
    fc.assert(
      fc.property(fc.array(withUndefined), fc.integer({ min: 0, max: 4 }), (list, d) => {
        const v = { before: 1, list: new JsonListOf(() => list), after: [list] };
        expect(join(jsonChunks(v, d))).toBe(JSON.stringify({ before: 1, list, after: [list] }));
      }),
      { numRuns: 300 },
    );
    // read as it is written: the second element is asked for after the first is out
    const asked: number[] = [];
    const pieces = jsonChunks({ outcomes: new JsonListOf(function* () { for (const i of [1, 2]) { asked.push(i); yield { i }; } }) }, 3);
    const out: string[] = [];
    for (const p of pieces) {
      out.push(p);
      if (p === '{"i":1}') expect(asked).toEqual([1]);
    }
    expect(out.join('')).toBe('{"outcomes":[{"i":1},{"i":2}]}');
  });

  it('canonicalJsonChunks joins to canonicalJson and canonicalSha256 hashes the same bytes', () => {
    fc.assert(
      fc.property(fc.oneof(fc.array(withUndefined), fc.dictionary(fc.string(), withUndefined)), fc.integer({ min: 0, max: 4 }), (v, d) => {
        const whole = canonicalJson(v);
        expect(join(canonicalJsonChunks(v, d))).toBe(whole);
        expect(canonicalSha256(v, d)).toBe(createHash('sha256').update(whole, 'utf8').digest('hex'));
      }),
      { numRuns: 300 },
    );
  });

  it('a value with toJSON (a Date) is one piece, as JSON.stringify writes it', () => {
    const v = { at: new Date(0), ops: [{ b: 1, a: 'é' }] };
    expect(join(jsonChunks(v))).toBe(JSON.stringify(v));
  });

  it('utf8Batches keeps every byte (multi-byte characters across batch bounds)', () => {
    const pieces = Array.from({ length: 200 }, (_, i) => `é${i}€😀`);
    const out = Buffer.concat([...utf8Batches(pieces, 64)]).toString('utf8');
    expect(out).toBe(pieces.join(''));
  });
});
