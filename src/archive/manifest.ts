/**
 * Archive format v1: the manifest and the detached signature's trusted comment.
 * See docs/archive-format.md — this file is its executable form.
 */
import { z } from 'zod';
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

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);
const iso = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);

const modeSchema = z.enum(['replace', 'delta']);
const chainSchema = z.strictObject({
  parentManifestSha256: z.string().regex(/^[0-9a-f]{64}$/),
  index: z.number().int().min(1),
  objects: z.record(z.string().regex(/^[A-Za-z][A-Za-z0-9]{0,63}$/), modeSchema),
  relations: z.record(z.string().regex(/^[A-Za-z][A-Za-z0-9]{0,63}$/), modeSchema),
});

export const manifestSchema = z.strictObject({
  format: z.enum([ARCHIVE_FORMAT, INCREMENTAL_FORMAT]),
  version: z.literal(ARCHIVE_VERSION),
  tenantId: z.string().min(1).max(256),
  initialDomain: z.string().max(256),
  takenAt: iso,
  sequence: z.number().int().nonnegative(),
  toolVersion: z.string().max(128),
  catalogHash: z.string().max(128),
  counts: z.strictObject({
    objects: z.record(z.string().regex(TYPE_NAME), z.number().int().nonnegative()),
    relations: z.record(z.string().regex(TYPE_NAME), z.number().int().nonnegative()),
  }),
  entries: z
    .array(z.strictObject({ path: z.string().regex(ENTRY_NAME), size: z.number().int().nonnegative(), sha256: hex64 }))
    .max(100_000),
  warnings: z.array(
    z.strictObject({
      code: z.enum(['PERMISSION_MISSING', 'NOT_AVAILABLE', 'READ_FAILED', 'TRUNCATED_LIST']),
      type: z.string(),
      message: z.string(),
      permission: z.string().optional(),
    }),
  ),
  // Written by 0.1.0 and never read: accepted so those archives stay readable, then ignored.
  deltaLinks: z.record(z.string().regex(TYPE_NAME), z.string()).optional(),
  chain: chainSchema.optional(),
});

/**
 * Validate decoded manifest JSON.
 * @throws VaultError FORMAT_UNSUPPORTED (other format/version) | ARCHIVE_MALFORMED
 */
export function validateManifest(value: unknown): Manifest {
  const v = value as { format?: unknown; version?: unknown } | null;
  if (v === null || typeof v !== 'object' || (v.format !== ARCHIVE_FORMAT && v.format !== INCREMENTAL_FORMAT)) {
    throw new VaultError('FORMAT_UNSUPPORTED', 'manifest does not declare the entra-vault-archive format');
  }
  if (v.version !== ARCHIVE_VERSION) {
    throw new VaultError('FORMAT_UNSUPPORTED', `archive format version ${String(v.version).slice(0, 12)} is not supported (this build reads version ${ARCHIVE_VERSION})`, 'use the entra-vault release that wrote the archive');
  }
  const r = manifestSchema.safeParse(value);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new VaultError('ARCHIVE_MALFORMED', `manifest is invalid at ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
  }
  const m = r.data as unknown as Manifest;
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
