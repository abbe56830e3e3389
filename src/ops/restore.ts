/**
 * The restore use-case for the four scenarios (docs/design.md "Scenarios"). They share one
 * pipeline (restore-pipeline.ts); they differ only in what the planner is asked for:
 * - tenant-loss: rebuild everything into a fresh tenant (bootstrap admins first);
 * - all-admins-deleted: tenant alive, every admin gone — recycle bin first, then a
 *   break-glass Global Administrator if no archived admin can come back;
 * - objects: the selected objects with their dependencies;
 * - attributes: the selected attributes of the selected objects.
 */
import { readFile } from 'node:fs/promises';
import { identityToRecipient } from 'age-encryption';
import { loadIdentity } from '../crypto/index.js';
import { buildPlan } from '../restore/plan/planner.js';
import { appendAudit, type EntryPoint, type RestoreEvent } from '../vault/index.js';
import type { RestoreSelection } from '../restore/types.js';
import { VaultError } from '../errors.js';
import { isUnexplained } from './drill.js';
import { checkAttributeSelection } from '../restore/plan/attributes.js';
import { defaultLiveReader, runRestoreWith, type RunRestoreOptions, type RunRestoreResult } from './restore-pipeline.js';

export type { RunRestoreOptions, RunRestoreResult, ArchiveMeta } from './restore-pipeline.js';
export { planSha256 } from './restore-pipeline.js';

/**
 * Runs a restore scenario: read live → diff → plan → (dry run: stop) → confirm → execute → verify.
 * Dry run is the default and makes zero mutating calls.
 * @throws VaultError USAGE (objects/attributes without a selection) | ATTRIBUTE_UNSUPPORTED (attributes: a name it cannot restore) | CONFIRM_MISMATCH | PLAN_CHANGED | FILE_EXISTS
 *   | JOURNAL_MISMATCH | JOURNAL_CORRUPT and the Graph errors of the live reads
 */
export function runRestore(o: RunRestoreOptions): Promise<RunRestoreResult> {
  checkSelection(o.scenario, o.selection);
  if (o.scenario === 'attributes') checkAttributeSelection(o.archive, o.selection?.objectIds ?? [], o.selection?.attributes ?? []);
  return runRestoreWith(buildPlan, defaultLiveReader, o);
}

function checkSelection(scenario: RunRestoreOptions['scenario'], selection: RestoreSelection | undefined): void {
  if ((scenario === 'objects' || scenario === 'attributes') && !selection?.objectIds?.length) {
    throw new VaultError('USAGE', `the ${scenario} scenario needs the archived ids of the objects to restore`, 'pass --object ID (repeatable)');
  }
  if (scenario === 'attributes' && !selection?.attributes?.length) {
    throw new VaultError('USAGE', 'the attributes scenario needs the attribute names to restore', 'pass --attribute NAME (repeatable)');
  }
}

/**
 * True when a restore that wrote is complete: not paused, no failed operation, a fidelity
 * read-back ran, and it found no deviation the restore should have prevented (reason
 * "operation failed", "not run", "no operation in the plan": the drill's `isUnexplained`).
 * That is README's "non-zero if anything restorable was not restored", in every scenario
 * (issue 11 item 6: missing manager edges were reported and the exit was still 0).
 * Deviations with a stated reason (on-premises synced, manual step) stay in the report.
 * Pure.
 */
export function restoreComplete(r: Pick<RunRestoreResult, 'execution' | 'fidelity'>): boolean {
  const ex = r.execution;
  const f = r.fidelity;
  if (!ex || ex.paused || ex.failures.length > 0 || !f) return false;
  return !f.deviations.some(isUnexplained);
}

/**
 * The entry point a command records in the audit log: `wizard` when the wizard ran it
 * through a recovery script (it sets ENTRA_VAULT_VIA=wizard in the script's environment),
 * else `cli`.
 */
export function entryPointOf(env: Readonly<Record<string, string | undefined>>): EntryPoint {
  return env.ENTRA_VAULT_VIA === 'wizard' ? 'wizard' : 'cli';
}

export interface AuditedRestoreOptions extends RunRestoreOptions {
  /** The archive's vault: a restore that wrote is recorded in its audit log. */
  vault?: string;
  via: EntryPoint;
}

/**
 * Runs a restore (as `runRestore`) and, when it wrote to the tenant and the archive is in a
 * vault, appends one `restore` (or `restore.resume`) record: the same fields whichever entry
 * point called it (docs/audit-log.md).
 * @throws what runRestore throws; the audit log's write errors
 */
export async function restoreAndAudit(o: AuditedRestoreOptions): Promise<RunRestoreResult> {
  const { vault, via, ...run } = o;
  const r = await runRestore(run);
  if (!r.dryRun && vault) await appendAudit(vault, restoreEvent(run, r, via));
  return r;
}

/** The audit record of a restore that wrote. Pure. */
export function restoreEvent(o: RunRestoreOptions, r: RunRestoreResult, via: EntryPoint): RestoreEvent {
  const ex = r.execution;
  const t = r.fidelity?.totals;
  const failures = ex?.failures.length ?? 0;
  const paused = Boolean(ex?.paused);
  return {
    action: o.resume ? 'restore.resume' : 'restore',
    via,
    scenario: o.scenario,
    tenantId: o.archiveMeta.tenantId,
    targetTenantId: o.targetTenantId,
    manifestSha256: o.archiveMeta.manifestSha256,
    outcome: paused ? 'paused' : failures > 0 || !ex ? 'failed' : 'completed',
    failures,
    paused,
    objectsExpected: t?.objectsExpected ?? 0,
    objectsRestored: t?.objectsRestored ?? 0,
    attributesExpected: t?.attributesExpected ?? 0,
    attributesMatching: t?.attributesMatching ?? 0,
    relationsExpected: t?.relationsExpected ?? 0,
    relationsRestored: t?.relationsRestored ?? 0,
  };
}

/**
 * The age identity itself (its text, never logged) from an identity file: what a resumed
 * restore decrypts its stored plan with.
 * @throws VaultError KEY_INVALID (no identity in the file) | the loadIdentity errors
 */
export async function identityText(identityPath: string, passphrase?: string): Promise<string> {
  const first = (await loadIdentity(identityPath, passphrase))[0];
  if (!first) throw new VaultError('KEY_INVALID', `no identity in ${identityPath}`);
  return first;
}

/**
 * Who the temporary-passwords file is encrypted to: the recipient given (`age1…` or a file
 * holding one), else the operator's own identity's recipient.
 * @throws VaultError KEY_INVALID (no recipient in the file, no identity) | file read errors
 */
export async function operatorRecipient(o: { recipient?: string; identityPath: string; passphrase?: string }): Promise<string> {
  if (o.recipient) {
    if (o.recipient.startsWith('age1')) return o.recipient;
    const found = (await readFile(o.recipient, 'utf8')).split('\n').map((l) => l.trim()).find((l) => l.startsWith('age1'));
    if (!found) throw new VaultError('KEY_INVALID', `no age recipient (age1…) in ${o.recipient}`);
    return found;
  }
  return identityToRecipient(await identityText(o.identityPath, o.passphrase));
}
