/**
 * Reading a valid archive no longer loads zod: src/archive/manifest.ts accepts a manifest of the
 * plain shape itself and leaves every other one to the zod schema (src/archive/manifest-schema.ts).
 * That is sound only if the plain check accepts nothing the schema refuses, and the verdicts of
 * `checkManifest` are those of `validateManifest` for any input: both are checked here on
 * valid manifests and on random damage to them.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkManifest, isPlainManifest, INCREMENTAL_FORMAT } from '../../src/archive/manifest.js';
import { manifestSchema, validateManifest } from '../../src/archive/manifest-schema.js';
import { VaultError } from '../../src/errors.js';

const sha = (c: string) => c.repeat(64);
const full = {
  format: 'entra-vault-archive',
  version: 1,
  tenantId: 'contoso',
  initialDomain: 'contoso.onmicrosoft.com',
  takenAt: '2026-12-04T22:16:07.786Z',
  sequence: 1796422567786,
  toolVersion: '0.1.0',
  catalogHash: sha('c'),
  counts: { objects: { group: 1, user: 2 }, relations: { groupMembers: 2 } },
  entries: [
    { path: 'objects/group.jsonl', size: 40, sha256: sha('a') },
    { path: 'objects/user.jsonl', size: 80, sha256: sha('b') },
    { path: 'relations/groupMembers.jsonl', size: 0, sha256: sha('d') },
  ],
  warnings: [
    { code: 'PERMISSION_MISSING', type: 'user', message: 'no sign-in activity', permission: 'AuditLog.Read.All' },
    { code: 'NOT_AVAILABLE', type: 'device', message: 'not licensed' },
  ],
  deltaLinks: { user: 'https://graph.microsoft.com/v1.0/users/delta?$deltatoken=x' },
};
const incremental = {
  ...full,
  format: INCREMENTAL_FORMAT,
  entries: [...full.entries, { path: 'removed/user.jsonl', size: 5, sha256: sha('e') }],
  chain: { parentManifestSha256: sha('f'), index: 2, objects: { user: 'delta' }, relations: { groupMembers: 'replace' } },
};

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Every path to a value inside `v` (the root is []). */
function paths(v: Json, at: (string | number)[] = []): (string | number)[][] {
  const out = [at];
  if (Array.isArray(v)) v.forEach((x, i) => out.push(...paths(x, [...at, i])));
  else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) out.push(...paths(x, [...at, k]));
  return out;
}

/** Odd values that sit at a boundary of some rule (types, integers, lengths, patterns, enums). */
const odd = fc.constantFrom<Json>(
  -1, 0, 1, 1.5, 2 ** 53, 2 ** 53 - 1, -0, '', 'x'.repeat(129), 'x'.repeat(257), 'a'.repeat(63), 'A'.repeat(64), sha('A'), 'user', 'replace', 'delta', 'other',
  'PERMISSION_MISSING', 'objects/user.jsonl', 'manifest.json', 'removed/group.jsonl', '../x', '2026-12-04T22:16:07Z', null, true, [], {}, [1], { a: 1 },
);

/** A damaged copy: one value replaced, a member dropped, a member added, or a `__proto__` member added. */
const damaged = (base: Json) =>
  fc.tuple(fc.nat(), fc.integer({ min: 0, max: 3 }), fc.oneof(odd, fc.jsonValue() as fc.Arbitrary<Json>), fc.constantFrom('extra', 'user', '__proto__', 'permission', 'chain', 'deltaLinks', 'x1')).map(([pick, op, value, key]) => {
    const copy = JSON.parse(JSON.stringify(base)) as Json;
    const all = paths(copy);
    const path = all[pick % all.length]!;
    const parent = path.slice(0, -1).reduce<Json>((o, k) => (o as { [k: string]: Json })[k as string]!, copy);
    const last = path.at(-1);
    if (op === 0 && last !== undefined) (parent as { [k: string]: Json })[last as string] = value;
    else if (op === 1 && last !== undefined && !Array.isArray(parent)) delete (parent as { [k: string]: Json })[last as string];
    else {
      const target = path.reduce<Json>((o, k) => (o as { [k: string]: Json })[k as string]!, copy);
      if (target === null || typeof target !== 'object' || Array.isArray(target)) return copy;
      // added under a stand-in name and renamed in the JSON text, then parsed: a `__proto__`
      // member becomes an own member, as it is in a parsed manifest
      (target as { [k: string]: Json })['\u0001added'] = value;
      return JSON.parse(JSON.stringify(copy).split(JSON.stringify('\u0001added')).join(JSON.stringify(key))) as Json;
    }
    return copy;
  });

async function verdict(f: () => unknown): Promise<unknown> {
  try {
    return { ok: await f() };
  } catch (e) {
    if (!(e instanceof VaultError)) throw e;
    return { code: e.code, message: e.message };
  }
}

describe('manifest: the plain check and the zod schema', () => {
  it('valid manifests (full and incremental) take the plain path', async () => {
    for (const m of [full, incremental, { ...full, warnings: [] }, { ...full, deltaLinks: undefined }]) {
      const parsed = JSON.parse(JSON.stringify(m)) as unknown;
      expect(isPlainManifest(parsed)).toBe(true);
      expect(await checkManifest(parsed)).toEqual(validateManifest(parsed));
    }
  });

  it('on damaged manifests the plain check accepts nothing the schema refuses, and the verdicts are the same', async () => {
    let plain = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom<Json>(full as Json, incremental as Json).chain(damaged), async (m) => {
        if (isPlainManifest(m)) {
          plain++;
          expect(manifestSchema.safeParse(m).success).toBe(true);
        } else refused++;
        expect(await verdict(() => checkManifest(m))).toEqual(await verdict(() => validateManifest(m)));
      }),
      { numRuns: 4000 },
    );
    // both sides of the property were exercised
    expect(plain).toBeGreaterThan(100);
    expect(refused).toBeGreaterThan(1000);
  });
});
