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
export const ARCHIVE_EXTENSION = '.evault';
export const SIGNATURE_EXTENSION = '.evault.minisig';

/** Entry names a v1 archive may contain (anything else is refused before it is read). */
export const ENTRY_NAME = /^(manifest\.json|manifest\.sig|objects\/[A-Za-z][A-Za-z0-9]{0,63}\.jsonl|relations\/[A-Za-z][A-Za-z0-9]{0,63}\.jsonl)$/;
export const TYPE_NAME = /^[A-Za-z][A-Za-z0-9]{0,63}$/;

export interface ManifestEntry {
  path: string;
  size: number;
  sha256: string;
}

export interface Manifest {
  format: typeof ARCHIVE_FORMAT;
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
}

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);
const iso = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);

export const manifestSchema = z.strictObject({
  format: z.literal(ARCHIVE_FORMAT),
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
});

/**
 * Validate decoded manifest JSON.
 * @throws VaultError FORMAT_UNSUPPORTED (other format/version) | ARCHIVE_MALFORMED
 */
export function validateManifest(value: unknown): Manifest {
  const v = value as { format?: unknown; version?: unknown } | null;
  if (v === null || typeof v !== 'object' || v.format !== ARCHIVE_FORMAT) {
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
  return m;
}

/** What the detached signature's trusted comment says (signed, readable without the key). */
export interface TrustedComment {
  tenantId: string;
  takenAt: string;
  sequence: number;
  manifestSha256: string;
}

const TC_RE = /^entra-vault-archive v1 tenant=([^\s=]{1,256}) takenAt=(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z) sequence=(\d{1,16}) manifest-sha256=([0-9a-f]{64})$/;

export function formatTrustedComment(tc: TrustedComment): string {
  return `entra-vault-archive v1 tenant=${tc.tenantId} takenAt=${tc.takenAt} sequence=${tc.sequence} manifest-sha256=${tc.manifestSha256}`;
}

/**
 * Parse a trusted comment written by formatTrustedComment.
 * @throws VaultError FORMAT_UNSUPPORTED (validly signed, but not an entra-vault v1 comment)
 */
export function parseTrustedComment(text: string): TrustedComment {
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
