/**
 * Canonical JSON: object keys sorted by UTF-16 code unit order (as JavaScript's
 * default sort), no whitespace, `undefined` members dropped, numbers as JSON.stringify
 * writes them. One value → one byte sequence, which is what makes archives of the
 * same tenant state byte-identical and manifest hashes meaningful.
 */
import type { Json } from '../model.js';

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new TypeError('canonical JSON cannot encode a non-finite number');
    const s = JSON.stringify(value);
    if (s === undefined) throw new TypeError(`canonical JSON cannot encode ${typeof value}`);
    return s;
  }
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}

/** Parse JSON that must be an object (reader side). */
export function parseJsonObject(text: string): { [key: string]: Json } | null {
  try {
    const v: unknown = JSON.parse(text);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as { [key: string]: Json }) : null;
  } catch {
    return null;
  }
}
