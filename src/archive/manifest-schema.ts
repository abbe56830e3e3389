/**
 * The manifest's schema in zod, the reference for what a valid manifest is
 * (docs/archive-format.md §3). Loaded only for a manifest that the plain check of
 * src/archive/manifest.ts (`checkManifest`) does not accept at once — an invalid one, to
 * report what is wrong — so that reading a valid archive does not load zod (issue 17 item 5:
 * about 70 ms of every `verify` run). test/archive/manifest-shape.test.ts checks that the plain
 * check accepts nothing this schema refuses.
 */
import { z } from 'zod';
import { VaultError } from '../errors.js';
import { scalarText } from '../text.js';
import { ARCHIVE_FORMAT, ARCHIVE_VERSION, ENTRY_NAME, INCREMENTAL_FORMAT, TYPE_NAME, manifestRules, type Manifest } from './manifest.js';

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
    throw new VaultError('FORMAT_UNSUPPORTED', `archive format version ${scalarText(v.version).slice(0, 12)} is not supported (this build reads version ${ARCHIVE_VERSION})`, 'use the entra-vault release that wrote the archive');
  }
  const r = manifestSchema.safeParse(value);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new VaultError('ARCHIVE_MALFORMED', `manifest is invalid at ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
  }
  return manifestRules(r.data as unknown as Manifest);
}
