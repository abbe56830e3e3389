/**
 * `vault consolidate POINT` (docs/archive-format.md §12.6): the tenant at any point of a chain,
 * written as one full archive, signed anew and imported into the vault, so the chain before it
 * can be pruned. Its delta state is the point's, re-sealed for the new archive, so the next
 * `backup --incremental` follows the consolidated archive.
 */
import { mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createArchiveWriter } from '../archive/index.js';
import type { RelationKind, ResourceType } from '../catalog/types.js';
import type { MinisignSecretKey } from '../crypto/index.js';
import { VaultError } from '../errors.js';
import { tempPathFor } from '../fs/atomic.js';
import { readDeltaState, writeDeltaState } from '../snapshot/delta-state.js';
import { importArchive } from '../vault/index.js';
import { openArchiveForUse } from './open-archive.js';

export interface ConsolidateRequest {
  /** An archive of the vault: an incremental (a full archive is refused: nothing to consolidate). */
  point: string;
  vault: string;
  identityPath: string;
  passphrase?: string;
  recipients: readonly string[];
  signingKey: MinisignSecretKey;
  toolVersion: string;
  /** Newer archives of the tenant exist: importing the consolidation is a logged rollback. */
  allowRollback?: string;
}

export interface ConsolidateResult {
  archivePath: string;
  manifestSha256: string;
  /** The point it was composed from and its chain index. */
  from: { file: string; chainIndex: number };
}

/**
 * Composes the chain up to `point` and writes it as a full archive dated 1 ms after the point
 * (the same tenant state; a distinct file name and a higher sequence).
 * @throws VaultError USAGE (a full archive) | CHAIN_BROKEN | the openArchiveForUse errors |
 *   ROLLBACK (newer archives exist, without allowRollback) | the writer and import errors
 */
export async function consolidatePoint(r: ConsolidateRequest): Promise<ConsolidateResult> {
  const opened = await openArchiveForUse({
    archivePath: r.point, identityPath: r.identityPath, ...(r.passphrase ? { passphrase: r.passphrase } : {}), via: 'cli', readOnly: true,
  });
  const chain = opened.manifest.chain;
  if (!chain) throw new VaultError('USAGE', `${r.point} is a full archive already`, 'consolidate an incremental archive (vault list shows them)');
  const m = opened.manifest;
  const staging = tempPathFor(join(r.vault, '.staging', 'consolidate'));
  await mkdir(staging, { recursive: true, mode: 0o700 });
  try {
    const w = await createArchiveWriter({
      outDir: staging, tenantId: m.tenantId, initialDomain: m.initialDomain, takenAt: new Date(Date.parse(m.takenAt) + 1),
      recipients: r.recipients, signingKey: r.signingKey, toolVersion: r.toolVersion, catalogHash: m.catalogHash, spoolParent: tmpdir(),
    });
    for (const [t, list] of Object.entries(opened.data.objects) as [ResourceType, NonNullable<(typeof opened.data.objects)[ResourceType]>][]) {
      for (const o of list) await w.addObject(t, o);
    }
    for (const [, list] of Object.entries(opened.data.relations) as [RelationKind, NonNullable<(typeof opened.data.relations)[RelationKind]>][]) {
      for (const e of list) await w.addRelation(e);
    }
    for (const warning of m.warnings) w.addWarning(warning);
    const finished = await w.finish();
    const imported = await importArchive(r.vault, finished.archivePath, {
      expectedTenantId: m.tenantId, signingKey: r.signingKey, ...(r.allowRollback ? { allowRollback: { reason: r.allowRollback } } : {}),
    });
    const st = await readDeltaState(r.point, { tenantId: m.tenantId, manifestSha256: opened.meta.manifestSha256 }, r.signingKey);
    if (st.ok) await writeDeltaState(imported.archivePath, { ...st.state, manifestSha256: finished.manifestSha256, chainIndex: 0 }, r.signingKey);
    // audited by the import (`archive.import`, with the new manifest hash)
    return { archivePath: imported.archivePath, manifestSha256: finished.manifestSha256, from: { file: r.point, chainIndex: chain.index } };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
