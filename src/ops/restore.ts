/**
 * The restore use-case for the four scenarios (docs/design.md "Scenarios"). They share one
 * pipeline (restore-pipeline.ts); they differ only in what the planner is asked for:
 * - tenant-loss: rebuild everything into a fresh tenant (bootstrap admins first);
 * - all-admins-deleted: tenant alive, every admin gone — recycle bin first, then a
 *   break-glass Global Administrator if no archived admin can come back;
 * - objects: the selected objects with their dependencies;
 * - attributes: the selected attributes of the selected objects.
 */
import { buildPlan } from '../restore/plan/planner.js';
import type { RestoreSelection } from '../restore/types.js';
import { VaultError } from '../errors.js';
import { defaultLiveReader, runRestoreWith, type RunRestoreOptions, type RunRestoreResult } from './restore-pipeline.js';

export type { RunRestoreOptions, RunRestoreResult, ArchiveMeta } from './restore-pipeline.js';
export { planSha256 } from './restore-pipeline.js';

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
