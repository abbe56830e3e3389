/**
 * canonicalJson is the byte definition of "the same JSON" for archives, journals and plans
 * (src/json.ts). It was rewritten with loops for speed; its output must equal the
 * map/filter/join formulation it replaced (kept here as the oracle), byte for byte.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/json.js';

function previous(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : previous(v))).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${previous(obj[k])}`).join(',')}}`;
}

describe('canonicalJson', () => {
  it('equals the formulation it replaced, for any JSON value (integer-like keys sorted as strings)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(canonicalJson(v)).toBe(previous(v));
      }),
      { numRuns: 500 },
    );
  });

  it('drops undefined members, writes undefined array items as null, refuses non-finite numbers', () => {
    expect(canonicalJson({ b: 1, a: undefined, c: [undefined, 'x'] })).toBe('{"b":1,"c":[null,"x"]}');
    expect(canonicalJson({ 'é': 1, z: 2, Z: 3, '': 4, 10: 5, 9: 6 })).toBe('{"":4,"10":5,"9":6,"Z":3,"z":2,"é":1}');
    expect(() => canonicalJson({ a: Number.NaN })).toThrow(/non-finite/);
    expect(() => canonicalJson(() => 1)).toThrow(/cannot encode/);
  });
});
