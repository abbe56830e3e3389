/**
 * Time-bound access the archive cannot see (issue 11 item 13, docs/graph-facts.md §3
 * "Time-bound group membership"). A membership granted by a PIM for Groups assignment
 * schedule or by an access-package assignment shows in `/groups/{id}/members` like any
 * other member while it is active. PIM for Groups schedules are archived and restored with
 * their end dates (./pim-groups.ts); access-package assignments are archived and requested again
 * with theirs, and the memberships their package's group roles give are left to them
 * (./entitlement.ts `packageGrantedEdges`). Any other time-bound membership is archived as a plain
 * member edge, which the archive cannot tell apart from a direct one.
 * Restored through `members/$ref` it becomes permanent. The plan says so whenever it
 * writes group memberships, rather than letting a lapsed grant come back silently. Pure.
 */
import type { ManualStep, Operation } from '../types.js';
import { cmp } from '../json.js';

/** The plan warning, once per plan that adds group members. */
export const TIME_BOUND_WARNING =
  'Group memberships are restored as permanent, except those an archived PIM for Groups active assignment grants (restored as that assignment, with its end date) and those an archived access package assignment gives through the package\'s group roles (left to the assignment, requested again with its end date). A time-bound membership given any other way (another tool, a package role the archive does not show) comes back permanent. Review these groups after the restore and remove or re-grant such members where their access is governed.';

/** Adds the time-bound warning when the plan writes any group membership. */
export function timeBoundWarnings(ops: readonly Operation[], warnings: string[]): void {
  if (ops.some((o) => o.kind === 'addRelation' && o.relation === 'groupMembers')) warnings.push(TIME_BOUND_WARNING);
}

/**
 * The same fact as a manual step naming the groups whose memberships the plan writes (issue 11
 * item 13: the operator gets the object list). The archive cannot tell which of their members
 * were time-bound, so every such group is listed for review.
 */
/** Its id: a review step, which never explains a missing object or edge (restore/fidelity.ts). */
export const TIME_BOUND_STEP_ID = 'manual:timeBoundMembership';

export function timeBoundStep(ops: readonly Operation[]): ManualStep | undefined {
  const groups = new Set<string>();
  for (const o of ops) if (o.kind === 'addRelation' && o.relation === 'groupMembers') groups.add(o.from);
  if (groups.size === 0) return undefined;
  return {
    id: TIME_BOUND_STEP_ID,
    kind: 'other',
    title: `Review time-bound access in ${groups.size} group(s) whose memberships are restored as permanent`,
    instructions: `${TIME_BOUND_WARNING} For each group listed, check PIM for Groups (Identity Governance > Privileged Identity Management > Groups) and Entitlement Management; re-grant time-bound members there and remove their permanent membership.`,
    objects: [...groups].sort(cmp),
  };
}
