/**
 * Opening an archive for use (diff, plan, restore): the one place that decides which
 * signing key an archive is checked against, when a bad signature may be accepted, the
 * vault's anti-rollback rule and what goes into the audit log. The CLI and the wizard both
 * call it; neither repeats any of these rules.
 */
import { basename, dirname, resolve } from 'node:path';
import { openArchive, USE_LIMITS, type Manifest } from '../archive/index.js';
import { VaultError } from '../errors.js';
import type { TenantData } from '../model.js';
import { appendAudit, checkArchiveAgainstVault } from '../vault/index.js';
import type { EntryPoint } from '../vault/index.js';
import type { ArchiveMeta } from './restore-pipeline.js';
import { composeChainPoint } from './open-chain.js';
import { signerIn, vaultOf } from './archive-signer.js';

export { signerFor, vaultOf, vaultTenantOf } from './archive-signer.js';

export interface OpenForUseRequest {
  archivePath: string;
  /** The age identity file; or `passphrase` alone for a passphrase-encrypted archive. */
  identityPath?: string;
  /** Unlocks the identity file, or the archive itself when there is no identity file. */
  passphrase?: string;
  /** Signing public key; default: the key the archive's vault trusts. */
  signer?: string;
  /** Accept a bad signature for this reason (audit-logged; only inside a vault). */
  allowBadSignature?: string;
  /** Accept an archive older than the newest of its tenant for this reason (audit-logged). */
  allowRollback?: string;
  /**
   * A read-only comparison (`diff A B`): the anti-rollback rule does not apply (an older
   * archive is read on purpose and nothing is restored from it); the tenant checks still do.
   */
  readOnly?: boolean;
  /** Refuse an archive of any other tenant (TENANT_MISMATCH) before it is decrypted. */
  expectedTenantId?: string;
  via: EntryPoint;
}

export interface ArchiveForUse {
  data: TenantData;
  meta: ArchiveMeta;
  /** The signed manifest (domains, counts, warnings, tool version) for reports and runbooks. */
  manifest: Manifest;
  /** The vault the archive sits in, whose audit log records what is done with it. */
  vault?: string;
}

/**
 * Verifies, decrypts and checks an archive, applies the vault's rules, and returns its
 * contents (the staging copy is removed before it returns).
 *
 * Order: signature check → an accepted signature failure is written to the audit log (before
 * anything is decrypted) → decryption and entry checks within USE_LIMITS (inside openArchive)
 * → the anti-rollback check (which logs an allowed rollback) → contents read. So an override
 * is on record before any byte of the archive is used, even when reading it then fails.
 * @throws VaultError USAGE (override outside a vault) | the openArchive errors (SIGNATURE_*,
 *   ARCHIVE_*, KEY_*, DECRYPT_*) | ROLLBACK_REFUSED | TENANT_MISMATCH | VAULT_INVALID
 */
export async function openArchiveForUse(r: OpenForUseRequest): Promise<ArchiveForUse> {
  const vault = await vaultOf(r.archivePath);
  if (r.allowBadSignature && !vault) {
    throw new VaultError('USAGE', 'accepting a bad signature needs the archive to be in a vault, whose audit log records the override', 'import it with `vault import` (which also refuses a bad signature) or restore a signed archive');
  }
  let key: string;
  try {
    key = await signerIn(vault, r.archivePath, r.signer);
  } catch (e) {
    if (!r.allowBadSignature) throw e;
    key = r.signer ?? '';
  }
  const filedUnder = vault ? basename(dirname(resolve(r.archivePath))) : undefined;
  if (filedUnder && r.expectedTenantId && filedUnder.toLowerCase() !== r.expectedTenantId.toLowerCase()) {
    throw new VaultError('WRONG_TENANT', `the archive is filed under tenant ${filedUnder}, expected ${r.expectedTenantId}`, 'pick an archive of the tenant you are restoring');
  }
  const expectedTenantId = r.expectedTenantId ?? filedUnder;
  const openOpts = {
    ...(r.identityPath ? { identity: r.identityPath } : {}),
    ...(r.passphrase ? { passphrase: r.passphrase } : {}),
    signerPublicKey: key,
    limits: USE_LIMITS,
  };
  const opened = await openArchive(r.archivePath, {
    ...openOpts,
    ...(expectedTenantId ? { expectedTenantId } : {}),
    ...(r.allowBadSignature ? { allowBadSignature: { reason: r.allowBadSignature } } : {}),
    // everything is held in memory below: the limits that bound it (docs/archive-format.md §6)
    limits: USE_LIMITS,
    // the override is on record before one byte is decrypted, so a read that then fails
    // (cut, altered, hostile) is on record too
    onSignatureOverride: async (o) => {
      if (!vault) return;
      await appendAudit(vault, {
        action: 'signature.override', file: relativeToVault(vault, r.archivePath), via: r.via,
        problem: o.problem, reason: o.reason, ...(o.claimedManifestSha256 ? { manifestSha256: o.claimedManifestSha256 } : {}),
      });
    },
  });
  try {
    if (vault) {
      await checkArchiveAgainstVault(vault, opened.trustedComment, {
        expectedTenantId: expectedTenantId ?? opened.manifest.tenantId,
        ...(r.allowRollback ? { allowRollback: { reason: r.allowRollback } } : {}),
        ...(r.readOnly ? { ignoreRollback: true } : {}),
      });
    }
    const meta = { tenantId: opened.manifest.tenantId, takenAt: opened.manifest.takenAt, manifestSha256: opened.manifestSha256 };
    // any point of a chain: the full archive and the incrementals up to it, composed
    const data = opened.manifest.chain
      ? await composeChainPoint(vault, opened, { ...openOpts, ...(expectedTenantId ? { expectedTenantId } : {}) })
      : await opened.loadTenantData();
    return { data, meta, manifest: opened.manifest, ...(vault ? { vault } : {}) };
  } finally {
    await opened.close();
  }
}

/** `<tenant>/<file>` for an archive inside the vault, else its base name. */
function relativeToVault(vault: string, archivePath: string): string {
  const abs = resolve(archivePath);
  return abs.startsWith(`${vault}/`) ? abs.slice(vault.length + 1) : basename(abs);
}

/**
 * The wizard operator's decision to use an archive older than the newest of its tenant,
 * recorded when the reason is typed; its use is recorded again as `rollback.allowed` by the
 * vault's check (docs/audit-log.md). Outside a vault there is no rollback rule and no record.
 */
export async function recordRollbackDecision(archivePath: string, reason: string, via: EntryPoint): Promise<void> {
  const vault = await vaultOf(archivePath);
  if (vault) await appendAudit(vault, { action: 'rollback.override', file: basename(archivePath), reason, via });
}
