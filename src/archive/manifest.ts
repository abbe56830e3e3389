/**
 * Archive format v1: the manifest and the detached signature's trusted comment.
 * See docs/archive-format.md — this file is its executable form.
 */
import { VaultError } from '../errors.js';
import type { RelationKind, ResourceType } from '../catalog/types.js';
import type { SnapshotWarning } from '../model.js';

export const ARCHIVE_FORMAT = 'entra-vault-archive';
export const ARCHIVE_VERSION = 1;
/**
 * An incremental archive (docs/archive-format.md §12) declares another format id, in its
 * manifest and in its trusted comment, so a reader that knows only full archives refuses it
 * with FORMAT_UNSUPPORTED at the signature check, before decrypting, and never reads it as a
 * whole tenant.
 */
export const INCREMENTAL_FORMAT = 'entra-vault-incremental';
export const ARCHIVE_EXTENSION = '.evault';
export const SIGNATURE_EXTENSION = '.evault.minisig';

/** Entry names a v1 archive may contain (anything else is refused before it is read). */
export const ENTRY_NAME = /^(manifest\.json|manifest\.sig|(objects|relations|removed|unrelations|resets)\/[A-Za-z][A-Za-z0-9]{0,63}\.jsonl)$/;
/** Entry prefixes only an incremental archive may list (docs/archive-format.md §12). */
export const CHANGE_PREFIXES = ['removed', 'unrelations', 'resets'] as const;
export type ChangePrefix = (typeof CHANGE_PREFIXES)[number];
export const TYPE_NAME = /^[A-Za-z][A-Za-z0-9]{0,63}$/;

export interface ManifestEntry {
  path: string;
  size: number;
  sha256: string;
}

/**
 * How an incremental archive changes its parent's content, per type and relation kind
 * (docs/archive-format.md §12): `replace` — this archive holds the whole current set;
 * `delta` — upserted objects plus `removed/` ids (types), or `resets/` sources, `unrelations/`
 * and added `relations/` edges (kinds). A type or kind not listed is carried over unchanged.
 */
export interface ChainLink {
  /** SHA-256 of the parent archive's manifest.json (its trusted comment's manifest-sha256). */
  parentManifestSha256: string;
  /** 1 for the first incremental after a full archive, parent's + 1 after that. */
  index: number;
  objects: Partial<Record<ResourceType, 'replace' | 'delta'>>;
  relations: Partial<Record<RelationKind, 'replace' | 'delta'>>;
}

export interface Manifest {
  /** ARCHIVE_FORMAT for a full archive; INCREMENTAL_FORMAT (with `chain`) for an incremental. */
  format: typeof ARCHIVE_FORMAT | typeof INCREMENTAL_FORMAT;
  version: typeof ARCHIVE_VERSION;
  tenantId: string;
  initialDomain: string;
  /** ISO 8601 UTC with milliseconds. */
  takenAt: string;
  /** Monotonic per tenant (default: ms since epoch of takenAt); rollback detection. */
  sequence: number;
  toolVersion: string;
  catalogHash: string;
  counts: { objects: Partial<Record<ResourceType, number>>; relations: Partial<Record<RelationKind, number>> };
  /** Every data entry (objects/…, relations/…), sorted by path. */
  entries: ManifestEntry[];
  warnings: SnapshotWarning[];
  /** Present exactly when format is INCREMENTAL_FORMAT. */
  chain?: ChainLink;
}

/**
 * The rules of a manifest beyond its shape: entries sorted and unique, not listing
 * themselves, `chain` exactly in an incremental archive, change entries only there.
 * @throws VaultError ARCHIVE_MALFORMED
 */
export function manifestRules(m: Manifest): Manifest {
  const paths = m.entries.map((e) => e.path);
  for (let i = 1; i < paths.length; i++) {
    if (!(paths[i - 1]! < paths[i]!)) throw new VaultError('ARCHIVE_MALFORMED', 'manifest entries are not sorted and unique');
  }
  if (paths.some((p) => p === 'manifest.json' || p === 'manifest.sig')) throw new VaultError('ARCHIVE_MALFORMED', 'manifest lists itself');
  const incremental = m.format === INCREMENTAL_FORMAT;
  if (incremental !== (m.chain !== undefined)) throw new VaultError('ARCHIVE_MALFORMED', 'manifest `chain` must be present exactly in an incremental archive');
  if (!incremental && paths.some((p) => CHANGE_PREFIXES.some((c) => p.startsWith(`${c}/`)))) {
    throw new VaultError('ARCHIVE_MALFORMED', 'a full archive lists a change entry (removed/, unrelations/, resets/)');
  }
  return m;
}

/**
 * Validate decoded manifest JSON: a manifest of the plain shape below is accepted here; any
 * other is judged, and its fault named, by the zod schema (src/archive/manifest-schema.ts),
 * loaded only then. Same verdicts as that schema alone.
 * @throws VaultError FORMAT_UNSUPPORTED (other format/version) | ARCHIVE_MALFORMED
 */
export async function checkManifest(value: unknown): Promise<Manifest> {
  if (isPlainManifest(value)) return manifestRules(value);
  return (await import('./manifest-schema.js')).validateManifest(value);
}

type Plain = { [key: string]: unknown };
const HEX64 = /^[0-9a-f]{64}$/;
const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const CHAIN_KEY = /^[A-Za-z][A-Za-z0-9]{0,63}$/;
const WARNING_CODES = new Set(['PERMISSION_MISSING', 'NOT_AVAILABLE', 'READ_FAILED', 'TRUNCATED_LIST']);

/** A JSON object whose own keys are all in `required` or `optional`, with every required one present. */
function hasKeys(v: unknown, required: readonly string[], optional: readonly string[] = []): v is Plain {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const keys = Object.keys(v);
  let present = 0;
  for (const k of keys) {
    if (required.includes(k)) present++;
    else if (!optional.includes(k)) return false;
  }
  return present === required.length;
}
const isString = (v: unknown, max = Infinity): v is string => typeof v === 'string' && v.length <= max;
const isCount = (v: unknown, min = 0): v is number => Number.isSafeInteger(v) && (v as number) >= min;
/** A JSON object of `key`-named members whose values all pass `value` (no `__proto__` member: it would fail `key`). */
function isRecord(v: unknown, key: RegExp, value: (x: unknown) => boolean): boolean {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  return Object.entries(v).every(([k, x]) => key.test(k) && value(x));
}
const isMode = (x: unknown) => x === 'replace' || x === 'delta';

/**
 * The manifest's shape, checked without zod, and strictly: anything this accepts the zod schema
 * accepts too (test/archive/manifest-shape.test.ts); for anything else it only says "not sure".
 */
export function isPlainManifest(v: unknown): v is Manifest {
  if (!hasKeys(v, ['format', 'version', 'tenantId', 'initialDomain', 'takenAt', 'sequence', 'toolVersion', 'catalogHash', 'counts', 'entries', 'warnings'], ['deltaLinks', 'chain'])) return false;
  if ((v.format !== ARCHIVE_FORMAT && v.format !== INCREMENTAL_FORMAT) || v.version !== ARCHIVE_VERSION) return false;
  if (!isString(v.tenantId, 256) || v.tenantId.length === 0 || !isString(v.initialDomain, 256) || !isString(v.takenAt) || !ISO_MS.test(v.takenAt)) return false;
  if (!isCount(v.sequence) || !isString(v.toolVersion, 128) || !isString(v.catalogHash, 128)) return false;
  const c = v.counts;
  if (!hasKeys(c, ['objects', 'relations']) || !isRecord(c.objects, TYPE_NAME, (x) => isCount(x)) || !isRecord(c.relations, TYPE_NAME, (x) => isCount(x))) return false;
  if (!Array.isArray(v.entries) || v.entries.length > 100_000) return false;
  for (const e of v.entries as unknown[]) {
    if (!hasKeys(e, ['path', 'size', 'sha256']) || !isString(e.path) || !ENTRY_NAME.test(e.path) || !isCount(e.size) || !isString(e.sha256) || !HEX64.test(e.sha256)) return false;
  }
  if (!Array.isArray(v.warnings)) return false;
  for (const w of v.warnings as unknown[]) {
    if (!hasKeys(w, ['code', 'type', 'message'], ['permission']) || !WARNING_CODES.has(w.code as string) || !isString(w.type) || !isString(w.message)) return false;
    if ('permission' in w && !isString(w.permission)) return false;
  }
  if ('deltaLinks' in v && !isRecord(v.deltaLinks, TYPE_NAME, (x) => isString(x))) return false;
  if ('chain' in v) {
    const ch = v.chain;
    if (!hasKeys(ch, ['parentManifestSha256', 'index', 'objects', 'relations']) || !isString(ch.parentManifestSha256) || !HEX64.test(ch.parentManifestSha256)) return false;
    if (!isCount(ch.index, 1) || !isRecord(ch.objects, CHAIN_KEY, isMode) || !isRecord(ch.relations, CHAIN_KEY, isMode)) return false;
  }
  return true;
}

/** What the detached signature's trusted comment says (signed, readable without the key). */
export interface TrustedComment {
  tenantId: string;
  takenAt: string;
  sequence: number;
  manifestSha256: string;
  /** An incremental archive's link to its parent (signed, so custody checks a chain without keys). */
  parent?: { manifestSha256: string; index: number };
}

const TC_RE = /^entra-vault-archive v1 tenant=([^\s=]{1,256}) takenAt=(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z) sequence=(\d{1,16}) manifest-sha256=([0-9a-f]{64})$/;
const TC_INCR_RE = /^entra-vault-incremental v1 tenant=([^\s=]{1,256}) takenAt=(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z) sequence=(\d{1,16}) manifest-sha256=([0-9a-f]{64}) parent-sha256=([0-9a-f]{64}) chain=(\d{1,9})$/;

export function formatTrustedComment(tc: TrustedComment): string {
  if (tc.parent) {
    return `entra-vault-incremental v1 tenant=${tc.tenantId} takenAt=${tc.takenAt} sequence=${tc.sequence} manifest-sha256=${tc.manifestSha256} parent-sha256=${tc.parent.manifestSha256} chain=${tc.parent.index}`;
  }
  return `entra-vault-archive v1 tenant=${tc.tenantId} takenAt=${tc.takenAt} sequence=${tc.sequence} manifest-sha256=${tc.manifestSha256}`;
}

/**
 * Parse a trusted comment written by formatTrustedComment.
 * @throws VaultError FORMAT_UNSUPPORTED (validly signed, but not an entra-vault v1 comment)
 */
export function parseTrustedComment(text: string): TrustedComment {
  const i = TC_INCR_RE.exec(text);
  if (i) return { tenantId: i[1]!, takenAt: i[2]!, sequence: Number(i[3]), manifestSha256: i[4]!, parent: { manifestSha256: i[5]!, index: Number(i[6]) } };
  const m = TC_RE.exec(text);
  if (!m) throw new VaultError('FORMAT_UNSUPPORTED', 'the signature\'s trusted comment is not an entra-vault archive v1 comment');
  return { tenantId: m[1]!, takenAt: m[2]!, sequence: Number(m[3]), manifestSha256: m[4]! };
}

/** `2026-01-26T11:15:00.123Z` → `20260126T111500123Z` (file name part, sorts by time). */
export function timestampName(iso: string): string {
  return iso.replace(/[-:.]/g, '');
}

/** Tenant ids become directory names: refuse anything that is not a plain name. */
export function assertSafeTenantId(tenantId: string): void {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(tenantId) || tenantId.includes('..')) {
    throw new VaultError('USAGE', 'tenant id must be a GUID or a plain name (letters, digits, . _ -)');
  }
}
