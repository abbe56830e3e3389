/**
 * "What changed since this archive?" against a live tenant (issue 18 item 3, the wizard's
 * question before choosing the point to restore): the forensics comparison of
 * src/restore/archive-diff.ts with the archive as A and the tenant read now as B, so the
 * operator sees, grouped by risk (src/restore/risk.ts), what an attacker changed since the
 * archive was taken. Reads only: the tenant through a read-only client (src/graph/dryrun.ts),
 * the archive already opened under the vault's rules by the caller.
 */
import type { Clock } from '../clock.js';
import { readOnlyGraph } from '../graph/dryrun.js';
import type { GraphClient } from '../graph/types.js';
import type { Reporter } from '../progress.js';
import { compareArchives } from '../restore/archive-diff.js';
import { readLiveState } from '../restore/live.js';
import { archiveDiffReport, type ArchiveDiffReport } from '../restore/render-archive-diff.js';
import type { ArchiveForUse } from './open-archive.js';

export interface ArchiveLiveDiffRequest {
  /** The archive (A), opened by the caller (./open-archive.ts `openArchiveForUse`, read-only). */
  archive: ArchiveForUse;
  /** The archive's file, as the report names it. */
  archiveFile: string;
  graph: GraphClient;
  /** The connected tenant's id (the profile's). */
  targetTenantId: string;
  /** How the report names the live side (B's `file`): e.g. "live tenant contoso.onmicrosoft.com". */
  targetLabel: string;
  reporter: Reporter;
  clock: Clock;
}

/**
 * Reads the target and compares the archive with it: B's `takenAt` is the time the read
 * started, its `manifestSha256` is empty (a live tenant has no manifest). Objects of another
 * tenant than the archive's are matched by natural key, as in a restore diff.
 * @throws VaultError GRAPH_* when the tenant cannot be read (src/restore/live.ts). Never writes.
 */
export async function diffArchiveWithLive(r: ArchiveLiveDiffRequest): Promise<ArchiveDiffReport> {
  const takenAt = r.clock.now().toISOString();
  r.reporter.report({ kind: 'phase', phase: 'live', message: 'reading the target tenant' });
  const live = await readLiveState(readOnlyGraph(r.graph), { reporter: r.reporter, clock: r.clock, tenantId: r.targetTenantId });
  r.reporter.report({ kind: 'phase', phase: 'diff', message: 'comparing the archive with the tenant' });
  return archiveDiffReport(
    { ...r.archive.meta, file: r.archiveFile },
    { tenantId: live.tenantId || r.targetTenantId, takenAt, manifestSha256: '', file: r.targetLabel },
    compareArchives(r.archive.data, live),
  );
}
