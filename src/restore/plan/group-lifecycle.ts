/**
 * The group lifecycle policy's groups in a plan (issue 15 item 10). Graph adds a group to the
 * policy only when the policy is `Selected` (`addGroup`, docs/graph-facts.md §3 "Group lifecycle
 * policy"); an `All` policy lists itself under every Microsoft 365 group by itself, and a
 * `None` policy under none. So only the archived edges of a `Selected` policy become writes.
 * Pure.
 */
import type { DirObject, Relation } from '../../model.js';

/** True for an archived group → policy edge that Graph would not maintain by itself (the policy is Selected). */
export function writesLifecycleEdge(e: Relation, policy: DirObject | undefined): boolean {
  return e.kind !== 'groupLifecyclePolicies' || policy?.managedGroupTypes === 'Selected';
}
