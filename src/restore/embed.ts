/**
 * Values that embed the lost tenant's identity inside a longer string: an identifier URI
 * `api://<appId>`, a service principal name, a reply URL or an `identities[].issuer` on
 * the old tenant's initial `*.onmicrosoft.com` domain, a URI holding the old tenant id
 * (docs/graph-facts.md §3 "Values that embed an appId or the tenant"). A restore into
 * another tenant must write them in the target's terms: Entra refuses an identifier URI
 * `api://<appId>` that is not the application's own appId, and the old tenant's initial
 * domain can never be verified again. This module finds and rewrites such substrings;
 * the planner (restore/plan/embed.ts) decides when, the diff (restore/diff.ts) compares
 * archived values after the same rewrite. Pure.
 */
import type { Json, JsonObject } from '../model.js';

/** One old → new substitution. */
export interface Rewrite {
  from: string;
  to: string;
  what: 'tenantId' | 'initialDomain' | 'appId';
}

/** A compiled set of rewrites: one regular expression for all of them. */
export interface Rewriter {
  readonly rewrites: readonly Rewrite[];
  /** Matches any `from` as a whole token (not inside a longer name or GUID), case-insensitively. */
  readonly re: RegExp | undefined;
  /** lower-case `from` → its rewrite */
  readonly byFrom: ReadonlyMap<string, Rewrite>;
  /** The shortest `from`: a shorter string cannot hold one. */
  readonly minLength: number;
  /** lower-case `from` → its position in `rewrites` */
  readonly rank: ReadonlyMap<string, number>;
}

/** A GUID as a whole token: appIds and tenant ids are matched by shape, then looked up. */
const GUID_TOKEN = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const IS_GUID = new RegExp(`^${GUID_TOKEN}$`, 'i');

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Compiles rewrites (empty `from` and identity rewrites are dropped). */
export function compileRewrites(rewrites: readonly Rewrite[]): Rewriter {
  const byFrom = new Map<string, Rewrite>();
  for (const r of rewrites) {
    const k = r.from.toLowerCase();
    if (k === '' || k === r.to.toLowerCase() || byFrom.has(k)) continue;
    byFrom.set(k, r);
  }
  // Longest first, so a domain is never cut short by a shorter one it contains.
  const keys = [...byFrom.keys()];
  const literals = keys.filter((k) => !IS_GUID.test(k)).sort((a, b) => b.length - a.length || (a < b ? -1 : 1)).map(escapeRe);
  // GUID-shaped ones (appIds, the tenant id) as one GUID pattern, looked up by the caller: an
  // alternation of every recreated application's appId cost time per string in proportion to
  // the number of applications, so a 100k-user plan spent 20 s here (issue 17 item 2). It comes
  // after the literals, which are tried first at a position as the longer ones were before;
  // a GUID token that is no `from` matches and is left as it is (rewriteString, embeddedIn).
  const alts = keys.some((k) => IS_GUID.test(k)) ? [...literals, GUID_TOKEN] : literals;
  // Token boundaries: `contoso.onmicrosoft.com` does not match inside `xcontoso.onmicrosoft.com`.
  const re = alts.length ? new RegExp(`(?<![A-Za-z0-9-])(?:${alts.join('|')})(?![A-Za-z0-9-])`, 'gi') : undefined;
  const minLength = Math.min(...keys.map((k) => k.length), Number.POSITIVE_INFINITY);
  return { rewrites: [...byFrom.values()], re, byFrom, minLength, rank: new Map(keys.map((k, i) => [k, i])) };
}

/**
 * The tenant-level rewrites from the archived tenant to the target: its id and its
 * initial domain (`*.onmicrosoft.com` names are unique worldwide, so the old one can
 * never be verified in another tenant). Nothing when they are the same tenant.
 */
export function tenantRewrites(archive: { tenantId: string; initialDomain: string }, target: { tenantId: string; initialDomain: string }): Rewrite[] {
  const out: Rewrite[] = [];
  if (archive.tenantId && target.tenantId && archive.tenantId.toLowerCase() !== target.tenantId.toLowerCase()) {
    out.push({ from: archive.tenantId, to: target.tenantId, what: 'tenantId' });
  }
  if (archive.initialDomain && target.initialDomain && archive.initialDomain.toLowerCase() !== target.initialDomain.toLowerCase()) {
    out.push({ from: archive.initialDomain, to: target.initialDomain, what: 'initialDomain' });
  }
  return out;
}

/** The rewrites whose `from` occurs in `s` (each once, in compiled order). */
export function embeddedIn(s: string, rw: Rewriter): Rewrite[] {
  if (!rw.re) return [];
  const seen = new Set<string>();
  for (const m of s.matchAll(rw.re)) {
    const k = m[0].toLowerCase();
    if (rw.byFrom.has(k)) seen.add(k);
  }
  if (seen.size === 0) return [];
  return [...seen].sort((a, b) => (rw.rank.get(a) as number) - (rw.rank.get(b) as number)).map((k) => rw.byFrom.get(k) as Rewrite);
}

/** True when `s` embeds any `from` (the regex alone also matches GUIDs that are none). */
export function embedsAny(s: string, rw: Rewriter): boolean {
  if (!rw.re || s.length < rw.minLength) return false;
  for (const m of s.matchAll(rw.re)) if (rw.byFrom.has(m[0].toLowerCase())) return true;
  return false;
}

/** `s` with every embedded `from` replaced by its `to`. */
export function rewriteString(s: string, rw: Rewriter): string {
  if (!rw.re) return s;
  return s.replace(rw.re, (m) => rw.byFrom.get(m.toLowerCase())?.to ?? m);
}

/**
 * `v` with every string rewritten. Copy on write: a value with nothing to rewrite is returned
 * as it is (the same reference), so a restore of a large tenant allocates only for the few
 * strings that embed the old tenant; a changed value is a fresh copy along the changed path.
 */
export function rewriteJson(v: Json, rw: Rewriter): Json {
  if (typeof v === 'string') return v.length < rw.minLength ? v : rewriteString(v, rw);
  if (Array.isArray(v)) {
    let out: Json[] | undefined;
    for (let i = 0; i < v.length; i++) {
      const x = v[i] as Json;
      const y = rewriteJson(x, rw);
      if (y !== x && !out) out = v.slice(0, i);
      if (out) out.push(y);
    }
    return out ?? v;
  }
  if (v !== null && typeof v === 'object') {
    let out: JsonObject | undefined;
    for (const k of Object.keys(v)) {
      const x = v[k] as Json;
      const y = rewriteJson(x, rw);
      if (y !== x && !out) out = { ...v };
      if (out) out[k] = y;
    }
    return out ?? v;
  }
  return v;
}

/** Every string leaf of `v` with its path (object keys and array indices). */
export function stringLeaves(v: Json, at: (string | number)[] = [], out: { at: (string | number)[]; value: string }[] = []): { at: (string | number)[]; value: string }[] {
  if (typeof v === 'string') out.push({ at, value: v });
  else if (Array.isArray(v)) v.forEach((x, i) => stringLeaves(x, [...at, i], out));
  else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) stringLeaves(x, [...at, k], out);
  return out;
}
