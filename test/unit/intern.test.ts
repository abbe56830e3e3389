/**
 * The interner and the string-sharing JSON copy (src/intern.ts, src/restore/json.ts cloneJson):
 * issue 17 item 1 holds each id once; neither may change a value anyone can observe.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hash53, INTERN_MAX_LENGTH, Interner, SHARED_NODE_MAX_JSON, worthInterning } from '../../src/intern.js';
import { cloneJson } from '../../src/restore/json.js';
import type { Json } from '../../src/model.js';

const ID = '0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0';
/** A fresh copy of a string (JSON.parse makes one per value read). */
const fresh = (s: string): string => JSON.parse(JSON.stringify(s)) as string;

describe('Interner', () => {
  it('hands back the first copy of equal strings, in objects and arrays at any depth, keys and values unchanged', () => {
    const ids = new Interner();
    const a = JSON.parse(`{"id":"${ID}","memberOf":["${ID}",{"to":"${ID}"}],"n":3,"x":null,"t":true}`) as { [k: string]: Json };
    const b = JSON.parse(`{"from":"${ID}","kind":"member"}`) as { [k: string]: Json };
    const before = JSON.stringify([a, b]);
    ids.values(a);
    ids.values(b);
    expect(JSON.stringify([a, b])).toBe(before);
    expect(ids.size).toBe(2); // the id and "member"
    expect(ids.str(fresh(ID))).toBe(ID);
    expect(Object.keys(a)).toEqual(['id', 'memberOf', 'n', 'x', 't']);
  });

  it('interns strings up to INTERN_MAX_LENGTH characters only; a member named __proto__ stays a member', () => {
    expect(worthInterning(ID)).toBe(true);
    expect(worthInterning('Member')).toBe(true);
    expect(worthInterning('x'.repeat(INTERN_MAX_LENGTH))).toBe(true);
    expect(worthInterning('x'.repeat(INTERN_MAX_LENGTH + 1))).toBe(false);
    const long = 'y'.repeat(INTERN_MAX_LENGTH + 1);
    const ids = new Interner();
    const o = JSON.parse(`{"__proto__":"x","y":"${long}"}`) as object;
    ids.values(o);
    expect(Object.getPrototypeOf(o)).toBe(Object.prototype);
    expect(JSON.stringify(o)).toBe(`{"__proto__":"x","y":"${long}"}`);
    expect(ids.size).toBe(1);
  });

  it('holds once the values every user repeats: the issuer of an identity, the company name', () => {
    const ids = new Interner();
    const line = (n: number) => `{"id":"u${n}","companyName":"Blue Yonder Airlines","identities":[{"signInType":"userPrincipalName","issuer":"blueyonderairlines2240.onmicrosoft.com","issuerAssignedId":"u${n}@blueyonderairlines2240.onmicrosoft.com"}]}`;
    type U = { companyName: string; identities: { issuer: string; issuerAssignedId: string }[] };
    const a = ids.values(JSON.parse(line(1)) as U);
    const b = ids.values(JSON.parse(line(2)) as U);
    expect(b.companyName).toBe(a.companyName);
    expect(b.identities[0]!.issuer).toBe(a.identities[0]!.issuer);
    // one held copy of each repeated value; the distinct ones are held as read
    expect(ids.size).toBe(7);
    expect(JSON.stringify(b)).toBe(line(2));
  });
});

describe('Interner: shared nested values (issue 17 item 1)', () => {
  it('hands two objects one frozen copy of each equal small nested value; the objects themselves stay their own', () => {
    const ids = new Interner();
    const line = `{"id":"${ID}","tags":[],"info":{"certificateUserIds":[]},"lic":[{"disabledPlans":[],"skuId":"${ID}"}]}`;
    const a = ids.values(JSON.parse(line) as { [k: string]: Json });
    const b = ids.values(JSON.parse(line) as { [k: string]: Json });
    expect(JSON.stringify(a)).toBe(line);
    expect(b.tags).toBe(a.tags);
    expect(b.info).toBe(a.info);
    expect(b.lic).toBe(a.lic);
    expect(Object.isFrozen(a.lic) && Object.isFrozen((a.lic as Json[])[0])).toBe(true);
    expect(Object.isFrozen(a) || Object.isFrozen(b)).toBe(false);
    // a write into a shared value would land in every object holding it: it throws instead
    expect(() => (b.tags as Json[]).push('x')).toThrow(TypeError);
    expect(() => { (b.info as { [k: string]: Json }).certificateUserIds = ['x']; }).toThrow(TypeError);
    b.id = 'changed';
    expect(a.id).toBe(ID);
  });

  it('shares equal nested values keyed by a hash of their JSON as those keyed by the JSON itself; distinct ones stay distinct', () => {
    const ids = new Interner();
    // JSON over 32 characters: keyed by hash53 of it
    const line = (n: number) => `{"id":"u${n}","identities":[{"signInType":"userPrincipalName","issuer":"contoso.com","issuerAssignedId":"u${n}@contoso.com"}],"lic":[{"disabledPlans":[],"skuId":"${ID}"}]}`;
    type U = { identities: object[]; lic: object[] };
    const users = Array.from({ length: 2000 }, (_, n) => ids.values(JSON.parse(line(n)) as U));
    expect(users.map((u) => JSON.stringify(u))).toEqual(users.map((_, n) => line(n)));
    expect(new Set(users.map((u) => u.lic)).size).toBe(1);
    expect(new Set(users.map((u) => u.identities)).size).toBe(2000);
    const again = ids.values(JSON.parse(line(7)) as U);
    expect(again.identities).toBe(users[7]!.identities);
    expect(Object.isFrozen(again.identities)).toBe(true);
    expect(hash53('a')).not.toBe(hash53('b'));
    expect(hash53(line(1))).toBe(hash53(line(1)));
    expect(Number.isSafeInteger(hash53(line(1)))).toBe(true);
  });

  it('never shares a value JSON cannot carry, nor one longer than the limit', () => {
    const ids = new Interner();
    const odd = () => ({ u: { x: undefined }, z: [-0], d: [new Date(0)], long: ['x'.repeat(SHARED_NODE_MAX_JSON)] });
    const a = ids.values(odd());
    const b = ids.values(odd());
    for (const k of ['u', 'z', 'd', 'long'] as const) {
      expect(b[k]).not.toBe(a[k]);
      expect(Object.isFrozen(a[k])).toBe(false);
    }
    expect(Object.is(a.z[0], -0)).toBe(true);
  });

  it('changes no JSON value, however nested (property)', () => {
    fc.assert(fc.property(fc.array(fc.dictionary(fc.string(), fc.jsonValue()), { maxLength: 6 }), (objs) => {
      const ids = new Interner();
      const copies = objs.map((o) => JSON.parse(JSON.stringify(o)) as object);
      const before = JSON.stringify(copies);
      for (const c of copies) ids.values(c);
      expect(JSON.stringify(copies)).toBe(before);
    }), { numRuns: 300 });
  });
});

const withUndefined = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, fc.jsonValue(), fc.constant(undefined), fc.double(), fc.array(tie('value'), { maxLength: 5 }), fc.dictionary(fc.string(), tie('value'), { maxKeys: 5 })),
})).value;

describe('cloneJson', () => {
  it('is JSON.parse(JSON.stringify(v)) for any value (property)', () => {
    fc.assert(fc.property(fc.dictionary(fc.string(), withUndefined), (v) => {
      expect(JSON.stringify(cloneJson(v as Json))).toBe(JSON.stringify(JSON.parse(JSON.stringify(v))));
    }), { numRuns: 100 });
  });

  it('equals a JSON round trip (undefined members left out, undefined items and non-finite numbers null) and shares nothing mutable', () => {
    const v = { a: [1, undefined, 'x', { b: NaN, c: undefined, d: [] }], e: { f: 'g' }, h: Infinity, i: new Date(0) } as unknown as Json;
    const c = cloneJson(v);
    expect(JSON.stringify(c)).toBe(JSON.stringify(JSON.parse(JSON.stringify(v))));
    expect(c).toEqual(JSON.parse(JSON.stringify(v)));
    (c as { e: { f: string } }).e.f = 'changed';
    expect((v as { e: { f: string } }).e.f).toBe('g');
    const p = JSON.parse('{"__proto__":{"polluted":true},"k":1}') as Json;
    const q = cloneJson(p) as object;
    expect(Object.getPrototypeOf(q)).toBe(Object.prototype);
    expect(JSON.stringify(q)).toBe('{"__proto__":{"polluted":true},"k":1}');
  });
});

describe('Interner.forgetValues', () => {
  it('keeps the ids and lets go of other values and nodes: equal ones from then on are shared among themselves', () => {
    const ids = new Interner();
    const id = '0b7f3c1e-2d4a-4f6b-9c8d-1a2b3c4d5e6f';
    ids.str(id);
    ids.str('Engineering');
    const a = ids.values({ licences: [{ skuId: 'x' }] });
    // the id, 'Engineering' and 'x'
    expect(ids.size).toBe(3);
    ids.forgetValues();
    expect(ids.size).toBe(1);
    ids.str(id);
    expect(ids.size).toBe(1);
    const b = ids.values({ licences: [{ skuId: 'x' }] });
    const c = ids.values({ licences: [{ skuId: 'x' }] });
    expect(b.licences).not.toBe(a.licences);
    expect(c.licences).toBe(b.licences);
    expect(Object.isFrozen(a.licences)).toBe(true);
  });
});
