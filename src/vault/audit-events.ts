/**
 * The events the vault's audit log records (docs/audit-log.md). This union is the only
 * thing `appendAudit` accepts, so every writer — CLI, wizard, recovery scripts through the
 * CLI, the drill — records one event kind in one shape.
 *
 * Version 2 (this file) adds `v: 2` to every record it writes and fixes the shapes below.
 * Version 1 records (no `v`) were untyped; readers accept both (`AuditRecord` is loose on
 * purpose: a log written by an older version must still verify and report).
 */
import type { ScenarioName } from '../restore/types.js';

/** The version written into every new record as `v`. */
export const AUDIT_RECORD_VERSION = 2;

/** Where an action was taken: a command line, the wizard, or the drill. */
export type EntryPoint = 'cli' | 'wizard' | 'drill';

/** How a restore ended: every operation done, stopped at a boundary (resumable), or with failures. */
export type RestoreOutcome = 'completed' | 'paused' | 'failed';

/** A verification's fidelity totals, as a restore and an evidence pack record them. */
export interface FidelityTotals {
  objectsExpected: number;
  objectsRestored: number;
  attributesExpected: number;
  attributesMatching: number;
  relationsExpected: number;
  relationsRestored: number;
}

/** What a restore leaves as evidence, whichever entry point started it (docs/audit-log.md "restore"). */
export interface RestoreEvent extends FidelityTotals {
  action: 'restore' | 'restore.resume';
  via: EntryPoint;
  scenario: ScenarioName;
  /** The archive's tenant. */
  tenantId: string;
  targetTenantId: string;
  manifestSha256: string;
  outcome: RestoreOutcome;
  failures: number;
  paused: boolean;
}

/** The evidence pack's summary (src/report/evidence.ts), with one `rtoMsTier<N>` per tier. */
export type EvidenceEvent = FidelityTotals & {
  action: 'evidence.drill' | 'evidence.restore';
  scenario: string;
  result: 'pass' | 'fail';
  who: string;
  startedAt: string;
  finishedAt: string;
  rtoMs: number;
  rpoMs: number | null;
  deviations: number;
  manualSteps: number;
  tenantId: string | null;
  archiveSha256: string;
  archiveManifestSha256: string | null;
  evidenceSha256: string;
  evidenceMdSha256: string;
  signingKeyId: string;
  pack: string;
} & { [tier: `rtoMsTier${number}`]: number };

export type AuditEvent =
  | { action: 'vault.init'; signingKeyId: string }
  | { action: 'vault.targets'; rpoHours: number | null; rtoHours: number | null }
  | { action: 'backup'; tenantId: string; file: string; manifestSha256: string; objects: number; warnings: number; elapsedMs: number }
  | { action: 'archive.import'; tenantId: string; sequence: number; takenAt: string; file: string; manifestSha256: string }
  | { action: 'archive.prune'; tenantId: string; file: string; takenAt: string | null }
  | { action: 'archive.quarantined'; file: string; reason: string }
  /**
   * A signed archive found in the vault without an audit record (an import or backup killed
   * after publishing it, or an older version's leftover): recorded on the next write or
   * verify, after its signature verified (src/vault/reconcile.ts).
   */
  | { action: 'archive.recovered'; tenantId: string; sequence: number; takenAt: string; file: string; manifestSha256: string; reason: string }
  | { action: 'recovery.orphanSignature'; file: string }
  /**
   * A drill that stopped with an error after its backup (the restore or its final read-back
   * failed): no evidence pack exists, so this record is what the audit trail keeps of it.
   */
  | { action: 'drill.failed'; scenario: string; code: string; message: string; startedAt: string; failedAt: string }
  /** An older archive used anyway, when it is used (the vault's anti-rollback check). */
  | { action: 'rollback.allowed'; tenantId: string; sequence: number; highestSequence: number; reason: string }
  /** The wizard operator's decision to use an older archive, when it is typed. */
  | { action: 'rollback.override'; file: string; reason: string; via: EntryPoint }
  /**
   * A bad signature accepted with a reason. From the wizard when the reason is typed (no
   * manifest yet); from the open-for-use step when the archive is used (with its manifest hash).
   */
  | { action: 'signature.override'; file: string; reason: string; via: EntryPoint; problem?: string; manifestSha256?: string }
  | RestoreEvent
  | { action: 'procedure.start'; script: string; sha256: string; startedAt: string; via?: string }
  | { action: 'procedure.run'; script: string; sha256: string; exitCode: number; startedAt: string; via?: string }
  | EvidenceEvent
  | { action: 'audit.verify'; result: 'pass' | 'fail'; records: number; archives: number; archivesValid: number; packs: number; packsValid: number };

export type AuditAction = AuditEvent['action'];
