/**
 * `diff ARCHIVE_A ARCHIVE_B` (issue 18 item 3): opens both archives under the vault's rules
 * (./open-archive.ts: signature against the vault's signer, the identity to decrypt, the
 * tenant an archive is filed under), except the anti-rollback rule, which protects what is
 * restored and does not apply to a read-only comparison; refuses two different tenants unless
 * the operator acknowledges it; and compares them (src/restore/archive-diff.ts).
 */
import { VaultError } from '../errors.js';
import type { EntryPoint } from '../vault/index.js';
import { compareArchives } from '../restore/archive-diff.js';
import { archiveDiffReport, type ArchiveDiffReport } from '../restore/render-archive-diff.js';
import { openArchiveForUse, vaultTenantOf, type ArchiveForUse } from './open-archive.js';

export interface ArchiveDiffRequest {
  /** The older archive. */
  archiveA: string;
  /** The newer archive. */
  archiveB: string;
  identityPath?: string;
  passphrase?: string;
  /** Signing public key for both; default: each archive's vault's. */
  signer?: string;
  /** Accept a bad signature for this reason (audit-logged; only inside a vault). */
  allowBadSignature?: string;
  /** Compare archives of two different tenants (objects then match by natural key). */
  allowDifferentTenants?: boolean;
  via: EntryPoint;
}

function refuse(a: string, b: string): VaultError {
  return new VaultError('WRONG_TENANT', `the archives are of different tenants (A: ${a}, B: ${b})`,
    'compare two archives of one tenant, or add --allow-different-tenants to compare them by natural key');
}

async function open(r: ArchiveDiffRequest, archivePath: string): Promise<ArchiveForUse> {
  return openArchiveForUse({
    archivePath, via: r.via, readOnly: true,
    ...(r.identityPath ? { identityPath: r.identityPath } : {}),
    ...(r.passphrase ? { passphrase: r.passphrase } : {}),
    ...(r.signer ? { signer: r.signer } : {}),
    ...(r.allowBadSignature ? { allowBadSignature: r.allowBadSignature } : {}),
  });
}

/**
 * Opens A and B and returns the forensics report: what was created, deleted and changed
 * from A to B, grouped by risk. Reads only; never prints and never returns secret material.
 * @throws VaultError WRONG_TENANT (A and B of different tenants without
 *   `allowDifferentTenants`; checked from the vault directories before anything is decrypted,
 *   and from the signed manifests after) | the ./open-archive.ts errors except ROLLBACK
 */
export async function diffArchives(r: ArchiveDiffRequest): Promise<ArchiveDiffReport> {
  const [filedA, filedB] = [await vaultTenantOf(r.archiveA), await vaultTenantOf(r.archiveB)];
  if (!r.allowDifferentTenants && filedA && filedB && filedA.toLowerCase() !== filedB.toLowerCase()) throw refuse(filedA, filedB);
  const a = await open(r, r.archiveA);
  const b = await open(r, r.archiveB);
  if (!r.allowDifferentTenants && a.meta.tenantId.toLowerCase() !== b.meta.tenantId.toLowerCase()) throw refuse(a.meta.tenantId, b.meta.tenantId);
  return archiveDiffReport({ ...a.meta, file: r.archiveA }, { ...b.meta, file: r.archiveB }, compareArchives(a.data, b.data));
}
