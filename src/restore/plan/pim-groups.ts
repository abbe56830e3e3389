/**
 * PIM for Groups in the plan (issue 15 item 1). An active PIM for Groups assignment is a
 * group membership (or ownership) while it lasts, so Graph lists its principal among the
 * group's members too (docs/graph-facts.md §3 "PIM for Groups"). When the plan recreates the
 * assignment (adminAssign, with its end date), that membership edge is not written again
 * with `members/$ref`: it would be permanent and outlive the assignment's end date, which is
 * exactly the loss docs/limits.md `manual:timeBoundMembership` warns about. Pure.
 */
import type { TenantData, Relation } from '../../model.js';

/** `kind|group|principal` of every membership or ownership an archived active PIM for Groups assignment grants, with the assignment's id. */
export function pimGrantedEdges(archive: TenantData): Map<string, string> {
  const out = new Map<string, string>();
  for (const s of archive.objects.pimGroupAssignmentSchedule ?? []) {
    const kind = s['accessId'] === 'owner' ? 'groupOwners' : s['accessId'] === 'member' ? 'groupMembers' : undefined;
    if (kind && typeof s['groupId'] === 'string' && typeof s['principalId'] === 'string') out.set(`${kind}|${s['groupId']}|${s['principalId']}`, s.id);
  }
  return out;
}

/**
 * The assignment that brings this edge back, when the plan creates it or the target has it:
 * the edge is then left to the assignment.
 */
export function grantedByPimAssignment(granted: ReadonlyMap<string, string>, e: Relation, producedOrLive: (archivedId: string) => boolean): string | undefined {
  const id = granted.get(`${e.kind}|${e.from}|${e.to}`);
  return id !== undefined && producedOrLive(id) ? id : undefined;
}
