/**
 * The narrow, explicit interface between the wizard and the domain core. The wizard
 * does nothing that is not one of these calls, so every procedure it offers is also
 * reachable from the non-interactive CLI (docs/design.md "Interfaces"). The real
 * implementation lives over src/ (tui/services-real.ts); tests use a fake.
 *
 * Error convention: every method may reject with a `VaultError` (src/errors.ts), whose
 * code, one-line message and hint the wizard shows on the current step, staying there.
 * Any other rejection is a bug and is shown as such. No value crossing this interface
 * may hold a secret: passphrases go in, nothing secret comes out.
 */
import type { ResourceType, RestoreTier } from '../src/catalog/types.js';
import type { Reporter } from '../src/progress.js';
import type { DiffResult, ManualStep, Plan, RestoreSelection, ScenarioName } from '../src/restore/types.js';
import type { ArchiveDiffReport } from '../src/restore/render-archive-diff.js';
export type { ArchiveDiffReport } from '../src/restore/render-archive-diff.js';

/**
 * "What changed since this archive?" (issue 18 item 3), asked on the Archive step before the
 * point to restore is chosen: the archive against the connected target (`live`), or two
 * archives of the vault (`archives`, `older` as A). `identityPath` decrypts them; absent, the
 * key the session last unlocked or compared with is used. Nothing is chosen or unlocked by it.
 */
export type ChangesRequest =
  | { kind: 'live'; archivePath: string; identityPath?: string }
  | { kind: 'archives'; olderPath: string; newerPath: string; identityPath?: string };

/** What the operator can do. The four restore scenarios plus a drill and a vault check. */
export type WizardScenario = ScenarioName | 'drill' | 'verify-vault';

export type SignatureStatus = 'valid' | 'invalid' | 'missing';

/** One archive of the vault, as listed (read from the signed manifest; never decrypted). */
export interface ArchiveInfo {
  path: string;
  tenantId: string;
  /** ISO 8601 UTC. */
  takenAt: string;
  /** Objects per catalog type, from the manifest. */
  counts: Partial<Record<ResourceType, number>>;
  bytes: number;
  signature: SignatureStatus;
  /** One line on why the signature is not valid (absent when valid). */
  signatureProblem?: string;
  /** The signed sequence (absent when the signature cannot be read). */
  sequence?: number;
  /** The vault's rollback mark for this tenant: an archive below it is a rollback even when no newer archive is listed (damaged or removed). */
  vaultMark?: { sequence: number; takenAt: string | null };
  /**
   * The signed header could not be read (the listing gives `takenAt` ''): the wizard then
   * shows the time of the file name, which is not signed, and sets this.
   */
  takenAtFromName?: boolean;
}

/** How to unlock an archive: the age identity file, or the passphrase it was encrypted to. */
export type UnlockRequest =
  | { archivePath: string; identityPath: string }
  | { archivePath: string; passphrase: string };

export type ConnectTarget = { profilePath: string } | { emulator: true };

/** Shown while a device-code sign-in waits for the operator (the code is not a secret). */
export interface DeviceCodePrompt {
  userCode: string;
  verificationUri: string;
}

import type { Preflight } from '../src/ops/preflight.js';
export type { Preflight, TenantState } from '../src/ops/preflight.js';

export interface PlanRequest {
  scenario: ScenarioName;
  /** For `objects` and `attributes`: what to restore (absent: everything that differs). */
  selection?: RestoreSelection;
}

export interface PlanResult {
  plan: Plan;
  /** Archive vs live target; given for the `objects` and `attributes` scenarios. */
  diff?: DiffResult;
  /**
   * The archive's initial domain, from its manifest (read when the archive is opened to
   * plan). The signed header listed before unlocking carries the tenant id only.
   */
  archiveDomain?: string;
}

export interface ExecuteOptions {
  /**
   * The target tenant id or initial domain exactly as the operator typed it and the
   * wizard matched it. Absent: a dry run (no mutating call). The core checks it again.
   */
  confirmTenantId?: string;
  reporter: Reporter;
  /** Aborted by Ctrl-C: the core stops at the next operation boundary and returns `paused`. */
  signal: AbortSignal;
}

export interface TierTiming {
  tier: RestoreTier;
  operations: number;
  elapsedMs: number;
}

export interface FidelityRow {
  type: ResourceType | string;
  objects: { expected: number; matched: number };
  attributes: { expected: number; matched: number };
  relations: { expected: number; matched: number };
}

export interface Deviation {
  type: ResourceType | string;
  archivedId: string;
  displayName?: string;
  reason: string;
}

/** One operation that failed, as the report lists it. */
export interface FailedOperation {
  label: string;
  /** `[CODE] message`, one line. */
  reason: string;
}

export interface ExecuteResult {
  /** `completed`: the run reached its end, whatever failed on the way (see `failed`, `skipped`). */
  status: 'completed' | 'dryRun' | 'paused';
  /** Operations that failed, and the ones skipped because something they need failed. */
  failed: number;
  skipped: number;
  failures: FailedOperation[];
  perTier: TierTiming[];
  fidelity: FidelityRow[];
  deviations: Deviation[];
  manualSteps: ManualStep[];
  reportPath: string;
  runbookPath: string;
  /** Encrypted file of temporary passwords; absent when none were set (dry run, no users). */
  credentialsPath?: string;
  /** For `paused`: the journal a later run resumes from. */
  journalPath?: string;
  /** Runs that bring admins back (all admins deleted, tenant loss): who holds Global Administrator now. */
  globalAdmins?: GlobalAdminsAfter;
}

/** Global Administrators after a run, from the executed plan (tui/global-admins.ts). */
export interface GlobalAdminsAfter {
  /** UPNs (as in the target) whose restore, role assignment and role-group membership all succeeded; the emergency-access account when created. */
  restored: string[];
  /** The archive's Global Administrators whose restore failed, was skipped or did not run. */
  notRestored: string[];
}

/** A restore that stopped before its end (Ctrl-C, crash). */
export interface UnfinishedJournal {
  journalPath: string;
  archivePath: string;
  scenario: ScenarioName;
  target: ConnectTarget;
  targetTenantId: string;
  /** ISO 8601 UTC. */
  startedAt: string;
  done: number;
  total: number;
}

export interface VerifyArchiveResult {
  archivePath: string;
  /** This archive passed (its signature and re-hash); what failed elsewhere is in `elsewhere`. */
  ok: boolean;
  signature: SignatureStatus;
  entries: number;
  bytes: number;
  /** This archive's problems, one line each; empty when ok. */
  problems: string[];
  /**
   * What the vault check found outside this archive (another archive, each named; the audit
   * log): the vault did not pass, but this archive is not to blame (issue 12 item 14d).
   */
  elsewhere?: string[];
}

export interface WizardServices {
  /** Lists the vault's archives (every tenant), reading manifests and signatures only. */
  listArchives(vaultDir: string): Promise<ArchiveInfo[]>;
  /**
   * Accepts an archive whose signature is invalid or missing. The implementation writes
   * the path, status and reason to the audit log before resolving.
   */
  overrideSignature(archivePath: string, reason: string): Promise<void>;
  /**
   * Accepts an archive older than the newest of its tenant (a rollback, which the vault's
   * anti-rollback check refuses without a reason). The implementation writes the file and
   * reason to the audit log (`rollback.override`) before resolving, and every later check
   * of this archive against the vault in the session gets the reason (`--allow-rollback`
   * for a recovery script, `allowRollback` in-process). The reason is operator text, not a
   * secret. Optional so older implementations still type-check; without it the wizard
   * cannot take an older archive and says so.
   */
  overrideRollback?(archivePath: string, reason: string): Promise<void>;
  /** Verifies the key against the archive's header (no payload read); rejects PASSPHRASE_WRONG / KEY_INVALID. */
  unlock(request: UnlockRequest): Promise<void>;
  /**
   * Signs in (calling onDeviceCode for device-code profiles) and runs the preflight. The
   * optional reporter hears what it is doing (phases, throttling) while the wizard waits.
   */
  connect(
    target: ConnectTarget,
    hooks: { onDeviceCode: (prompt: DeviceCodePrompt) => void; signal: AbortSignal; reporter?: Reporter },
  ): Promise<Preflight>;
  /**
   * Diffs the unlocked archive against the connected target and plans (no write). The
   * optional reporter hears the live read and the planning (phases, counts, throttling).
   */
  plan(request: PlanRequest, hooks?: { reporter?: Reporter }): Promise<PlanResult>;
  /** Runs a plan (dry run unless confirmTenantId is given), journaled. */
  execute(plan: Plan, options: ExecuteOptions): Promise<ExecuteResult>;
  /** The newest restore journal that did not finish, if any. */
  findUnfinishedJournal(): Promise<UnfinishedJournal | null>;
  /** Continues a journal on the connected target, skipping what it records as done. */
  resume(journal: UnfinishedJournal, options: ExecuteOptions): Promise<ExecuteResult>;
  /**
   * The forensics diff of a ChangesRequest, grouped by risk (docs/archive-diff-format.md).
   * Reads only (the archives under the vault's rules except anti-rollback, the target through
   * a read-only client); the reporter hears the live read. Rejects USAGE when there is no key
   * or no connected target for `live`, and the archive-opening and Graph errors. Optional so
   * older implementations still type-check; without it the wizard does not offer the question.
   */
  changesSince?(request: ChangesRequest, hooks?: { reporter?: Reporter }): Promise<ArchiveDiffReport>;
  /** Checks signature, decryption and every entry's hash of the unlocked archive. */
  verifyArchive(archivePath: string, options: { reporter: Reporter; signal: AbortSignal }): Promise<VerifyArchiveResult>;
}

/**
 * Every member of WizardServices, optional ones included: the compiler fails here when one is
 * added and not listed, and test/tui/lazy-services.test.ts checks that every stand-in
 * (tui/lazy-services.ts) forwards each one.
 */
export const WIZARD_SERVICE_MEMBERS: Readonly<Record<keyof WizardServices, true>> = {
  listArchives: true, overrideSignature: true, overrideRollback: true, unlock: true, connect: true, plan: true,
  execute: true, findUnfinishedJournal: true, resume: true, changesSince: true, verifyArchive: true,
};
