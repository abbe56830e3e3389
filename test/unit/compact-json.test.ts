/** JSON values held compressed one by one (src/compact-json.ts): each comes back equal, alone. */
import { describe, expect, it } from 'vitest';
import { CompactJson } from '../../src/compact-json.js';

/** A user-like value: most of its text repeats from one to the next, as a tenant's users do. */
function user(i: number): Record<string, unknown> {
  return {
    id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    displayName: `User ${i}`,
    userPrincipalName: `user${i}@contoso.onmicrosoft.com`,
    accountEnabled: i % 3 !== 0,
    businessPhones: i % 2 ? [] : [`+1 555 01${i % 100}`],
    identities: [{ signInType: 'userPrincipalName', issuer: 'contoso.onmicrosoft.com', issuerAssignedId: `user${i}@contoso.onmicrosoft.com` }],
    usageLocation: 'US',
    note: 'é ✓ 𝄞',
  };
}

describe('CompactJson', () => {
  it('gives each value back equal, in any order, before and after its dictionary is made', () => {
    const store = new CompactJson<Record<string, unknown>>();
    const values = Array.from({ length: 200 }, (_, i) => user(i));
    // a few values: held as JSON until there are enough to make the dictionary from
    for (let i = 0; i < 5; i++) expect(store.add(values[i]!)).toBe(i);
    expect(store.get(3)).toEqual(values[3]);
    expect(store.bytes).toBe(0);
    for (let i = 5; i < values.length; i++) expect(store.add(values[i]!)).toBe(i);
    expect(store.size).toBe(200);
    for (const i of [199, 0, 15, 16, 17, 100, 4]) expect(store.get(i)).toEqual(values[i]);
    // a new object each time, not one the store keeps
    expect(store.get(7)).not.toBe(store.get(7));
    // the dictionary makes repeated text small: far below the values' JSON
    const json = values.reduce((n, v) => n + Buffer.byteLength(JSON.stringify(v)), 0);
    expect(store.bytes).toBeGreaterThan(0);
    expect(store.bytes).toBeLessThan(json / 3);
  });

  it('keeps a value larger than a slab, and those after it', () => {
    const store = new CompactJson<unknown>();
    for (let i = 0; i < 20; i++) store.add(user(i));
    // random text does not compress: about 2.7 MiB of it, more than one slab (1 MiB)
    const big = { blob: Array.from({ length: 70_000 }, (_, i) => Math.random().toString(36) + i).join('') };
    const at = store.add(big);
    const after = store.add(user(21));
    expect(store.get(at)).toEqual(big);
    expect(store.get(after)).toEqual(user(21));
    expect(store.get(19)).toEqual(user(19));
  });

  it('refuses a value without JSON, and a number it never gave', () => {
    const store = new CompactJson<unknown>();
    expect(() => store.add(undefined)).toThrow(TypeError);
    expect(store.size).toBe(0);
    store.add({ a: 1 });
    expect(() => store.get(1)).toThrow(RangeError);
    expect(() => store.get(-1)).toThrow(RangeError);
    expect(() => store.get(0.5)).toThrow(RangeError);
    expect(store.get(0)).toEqual({ a: 1 });
  });
});
