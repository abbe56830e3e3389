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
import { checkAttributeSelection } from '../restore/plan/attributes.js';
import { HeldArchive } from '../archive/held.js';
import { defaultBootstrapPhase } from './restore-bootstrap.js';
import { defaultLiveReader, runRestoreWith, type RunRestoreOptions, type RunRestoreResult } from './restore-pipeline.js';

export type { RunRestoreOptions, RunRestoreResult, ArchiveMeta } from './restore-pipeline.js';
export { planSha256 } from './restore-pipeline.js';

/**
 * Runs a restore scenario: read live → diff → plan → (dry run: stop) → confirm → execute → verify;
 * a writing tenant-loss or all-admins-deleted restore runs its bootstrap tier first (src/ops/restore-bootstrap.ts).
 * Dry run is the default and makes zero mutating calls.
 * @throws VaultError USAGE (objects/attributes without a selection) | ATTRIBUTE_UNSUPPORTED (attributes: a name it cannot restore) | CONFIRM_MISMATCH | PLAN_CHANGED | FILE_EXISTS
 *   | JOURNAL_MISMATCH | JOURNAL_CORRUPT and the Graph errors of the live reads
 */
export function runRestore(o: RunRestoreOptions): Promise<RunRestoreResult> {
  checkSelection(o.scenario, o.selection);
  checkTenantBinding(o.scenario, o.archiveMeta.tenantId, o.targetTenantId);
  if (o.scenario === 'attributes') checkAttributeSelection(HeldArchive.of(o.archive).get(), o.selection?.objectIds ?? [], o.selection?.attributes ?? []);
  return runRestoreWith(buildPlan, defaultLiveReader, o, defaultBootstrapPhase);
}

/**
 * Only a tenant-loss restore may go into another tenant than the archive's (the lost tenant
 * is gone; the plan and the report name both). Restoring admins, objects or attributes of
 * tenant B into tenant A would write B's accounts and settings into A.
 * @throws VaultError WRONG_TENANT naming both tenants
 */
export function checkTenantBinding(scenario: RunRestoreOptions['scenario'], archiveTenantId: string, targetTenantId: string): void {
  if (scenario === 'tenant-loss' || archiveTenantId.toLowerCase() === targetTenantId.toLowerCase()) return;
  throw new VaultError(
    'WRONG_TENANT',
    `the archive is of tenant ${archiveTenantId}; the ${scenario} scenario restores into that same tenant, not ${targetTenantId}`,
    'connect to the archive\'s tenant, pick an archive of the target tenant, or use the tenant-loss scenario to rebuild a lost tenant in a new one',
  );
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
 * True when a restore that wrote brought back everything: not paused, no failed operation, a
 * fidelity read-back ran, every expected object, attribute and relation matched, and no
 * deviation was reported — not even one with a stated reason and a manual step. README's exit
 * codes and issue 11's rule: every archived fact is restored, or reported as a deviation AND
 * the exit code is non-zero, in every scenario. The wizard's headline follows the same rule
 * (tui/report-rows.ts restoredEverything). Pure.
 */
export function restoreComplete(r: Pick<RunRestoreResult, 'execution' | 'fidelity'>): boolean {
  const ex = r.execution;
  const f = r.fidelity;
  if (!ex || ex.paused || ex.failures.length > 0 || !f) return false;
  const t = f.totals;
  return f.deviations.length === 0 && t.objectsRestored >= t.objectsExpected && t.attributesMatching >= t.attributesExpected && t.relationsRestored >= t.relationsExpected;
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

/**
 * The operator's keys a restore needs, with the identity decrypted at most once (a
 * passphrase-protected identity costs a scrypt run per decryption): for a run that writes, the
 * credentials recipient and the identity text, which tags the stored plan and, on resume, decrypts
 * it and checks its tag (src/restore/plan-tag.ts). A dry run needs neither and decrypts nothing.
 * @throws VaultError KEY_INVALID | file read errors | the passphrase errors of loadIdentity
 */
export async function operatorKeys(o: { identityPath: string; passphrase?: string; recipient?: string; dryRun: boolean }): Promise<{ credentialsRecipient?: string; operatorIdentity?: string }> {
  if (o.dryRun) return {};
  const identity = await identityText(o.identityPath, o.passphrase);
  const credentialsRecipient = o.recipient ? await operatorRecipient({ recipient: o.recipient, identityPath: o.identityPath }) : await identityToRecipient(identity);
  return { credentialsRecipient, operatorIdentity: identity };
}
