import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { heldCandidate } from '../../src/restore/plan/candidate-body.js';
import { BodyStore } from '../../src/restore/held-bodies.js';
import type { JsonObject } from '../../src/model.js';

// The planner's create candidates hold their bodies compressed (src/restore/plan/candidate-body.ts,
// issue 17 item 1): a held candidate must read as the literal candidate it replaces.

const fields = (i: number) => ({ opId: `create:user:${i}`, kind: 'create' as const, type: 'user' as const, archivedId: `${i}`, tier: 2 as const, after: [] as string[] });

describe('held candidate bodies', () => {
  it('gives back each body equal, in any order, across many chunks', () => {
    fc.assert(
      fc.property(fc.array(fc.dictionary(fc.string(), fc.jsonValue()), { minLength: 1, maxLength: 60 }), fc.integer({ min: 1, max: 400 }), (bodies, copies) => {
        const store = new BodyStore();
        const all = Array.from({ length: copies }, (_, k) => bodies[k % bodies.length] as JsonObject);
        const cands = all.map((b, i) => heldCandidate(fields(i), b, store));
        // read backwards, then forwards: out of order costs a chunk's decompression, never a wrong body
        for (let i = cands.length - 1; i >= 0; i--) expect(cands[i]!.body).toEqual(JSON.parse(JSON.stringify(all[i])));
        for (let i = 0; i < cands.length; i++) expect(cands[i]!.body).toEqual(JSON.parse(JSON.stringify(all[i])));
      }),
      { numRuns: 60 },
    );
  });

  it('keeps a copy: the body handed over may change after, each read is a new frozen copy', () => {
    const store = new BodyStore();
    const body: JsonObject = { displayName: 'Ada', identities: [{ issuer: 'contoso' }] };
    const c = heldCandidate(fields(1), body, store);
    body['displayName'] = 'changed';
    const a = c.body as JsonObject;
    const b = c.body as JsonObject;
    expect(a).toEqual({ displayName: 'Ada', identities: [{ issuer: 'contoso' }] });
    expect(a).not.toBe(b);
    expect(() => {
      a['displayName'] = 'x';
    }).toThrow(TypeError);
    expect(() => (a['identities'] as JsonObject[]).push({})).toThrow(TypeError);
    expect(store.bytes).toBeGreaterThan(0);
  });

  it('reads as the literal candidate: its fields, a body assigned, a body let go of', () => {
    const store = new BodyStore();
    const c = heldCandidate(fields(7), { a: 1 }, store);
    c.parent = 'p';
    expect({ opId: c.opId, kind: c.kind, type: c.type, archivedId: c.archivedId, tier: c.tier, after: c.after, parent: c.parent, blocked: c.blocked })
      .toEqual({ ...fields(7), parent: 'p', blocked: undefined });
    expect('body' in c).toBe(true);
    c.body = { b: 2 };
    expect(c.body).toEqual({ b: 2 });
    c.body = undefined;
    expect(c.body).toBeUndefined();
    // another candidate of the same store keeps its own
    expect(heldCandidate(fields(8), { z: [1] }, store).body).toEqual({ z: [1] });
  });
});
