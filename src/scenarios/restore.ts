/**
 * The four restore scenarios (DESIGN.md "Scenarios"). They share one pipeline
 * (restore-core.ts); they differ only in what the planner is asked for:
 * - tenant-loss: rebuild everything into a fresh tenant (bootstrap admins first);
 * - all-admins-deleted: tenant alive, every admin gone — recycle bin first, then a
 *   break-glass Global Administrator if no archived admin can come back;
 * - objects: the selected objects with their dependencies;
 * - attributes: the selected attributes of the selected objects.
 */
import { buildPlan } from '../restore/plan/planner.js';
import type { RestoreSelection } from '../restore/types.js';
import { VaultError } from '../errors.js';
import { defaultLiveReader, runRestoreWith, type RunRestoreOptions, type RunRestoreResult } from './restore-core.js';

export type { RunRestoreOptions, RunRestoreResult, ArchiveMeta } from './restore-core.js';
export { planSha256 } from './restore-core.js';

/**
 * Runs a restore scenario: read live → diff → plan → (dry run: stop) → confirm → execute → verify.
 * Dry run is the default and makes zero mutating calls.
 * @throws VaultError USAGE (objects/attributes without a selection) | CONFIRM_MISMATCH | PLAN_CHANGED | FILE_EXISTS
 *   | JOURNAL_MISMATCH | JOURNAL_CORRUPT and the Graph errors of the live reads
 */
export function runRestore(o: RunRestoreOptions): Promise<RunRestoreResult> {
  checkSelection(o.scenario, o.selection);
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

/** Full tenant loss: everything into a brand-new tenant. */
export const restoreTenantLoss = (o: Omit<RunRestoreOptions, 'scenario'>) => runRestore({ ...o, scenario: 'tenant-loss' });
/** All admins deleted: recycle bin first, bootstrap admins in tier 0. */
export const restoreAllAdminsDeleted = (o: Omit<RunRestoreOptions, 'scenario'>) => runRestore({ ...o, scenario: 'all-admins-deleted' });
/** Selected objects with their dependencies. */
export const restoreObjects = (o: Omit<RunRestoreOptions, 'scenario'> & { selection: RestoreSelection }) => runRestore({ ...o, scenario: 'objects' });
/** Selected attributes of selected objects. */
export const restoreAttributes = (o: Omit<RunRestoreOptions, 'scenario'> & { selection: RestoreSelection }) => runRestore({ ...o, scenario: 'attributes' });
