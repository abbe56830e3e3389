/**
 * src/set-aside.ts: a list set aside (compressed JSON lines in memory) comes back equal as JSON,
 * in order, across compressed members, and takes far less memory than its JSON when it repeats
 * itself as a tenant does.
 */
import { brotliDecompressSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { ListAside, compress } from '../../src/set-aside.js';

describe('ListAside', () => {
  test('gives back an equal list, in order, whatever the values hold', () => {
    const values = [
      { id: 'a', s: 'line\nbreak', u: '\u2028\u2029 é 😀', n: null, x: [1, 2.5, -3], nested: { deep: [{ k: true }] } },
      'a string',
      42,
      null,
      [],
      {},
    ];
    expect(new ListAside(values).take()).toEqual(values);
    expect(new ListAside([]).take()).toEqual([]);
  });

  test('spans many members (each about 1 MiB of JSON) and compresses what repeats', () => {
    const users = Array.from({ length: 20_000 }, (_, i) => ({
      id: `00000000-0000-0000-0000-${String(i).padStart(12, '0')}`,
      displayName: `User ${i}`,
      companyName: 'Blue Yonder Airlines',
      identities: [{ signInType: 'userPrincipalName', issuer: 'contoso.onmicrosoft.com', issuerAssignedId: `user${i}@contoso.onmicrosoft.com` }],
    }));
    const json = users.reduce((n, u) => n + JSON.stringify(u).length + 1, 0);
    expect(json).toBeGreaterThan(3 * 2 ** 20);
    const aside = new ListAside(users);
    expect(aside.bytes).toBeLessThan(json / 10);
    const back = aside.take((u) => ({ ...u, seen: true }));
    expect(back).toHaveLength(users.length);
    expect(back[12_345]).toEqual({ ...users[12_345], seen: true });
    expect(back.map((u) => u.id)).toEqual(users.map((u) => u.id));
  });

  test('a value longer than a member, and members filled with characters of 1 to 4 UTF-8 bytes, come back whole', () => {
    const big = { id: 'big', text: 'x→😀'.repeat(300_000) }; // about 2.4 MiB of UTF-8, one line
    const small = Array.from({ length: 40_000 }, (_, i) => ({ i, label: `Add groupMembers Zoë ${i} → Ōtani 😀 ${'é'.repeat(i % 7)}` }));
    const values = [...small.slice(0, 25_000), big, ...small.slice(25_000), big];
    const aside = new ListAside(values);
    const back = aside.take();
    expect(back).toHaveLength(values.length);
    expect(back).toEqual(values);
  });
});

describe('compress', () => {
  test('a small input is held in memory of its own size, not in zlib\'s 16 KiB output buffer', () => {
    for (const n of [10, 3000, 6000]) {
      const input = Buffer.from(Array.from({ length: n }, (_, i) => String.fromCharCode(33 + ((i * 7919) % 90))).join(''));
      const packed = compress(input);
      expect(brotliDecompressSync(packed).equals(input)).toBe(true);
      // at most a pooled slab of 8 KiB (inputs under 4 KiB are copied into Node's shared pool)
      expect(packed.buffer.byteLength).toBeLessThanOrEqual(Math.max(8192, packed.length));
    }
  });
});
