/**
 * PIM for Groups schedules in a restore (issue 15 item 1): created through
 * `…/eligibilityScheduleRequests` / `…/assignmentScheduleRequests` with action adminAssign,
 * the principal and group ids already re-linked by the plan's references; an existing one is
 * found by listing the group's schedules (the lists require `$filter` on groupId,
 * docs/graph-facts.md §3 "PIM for Groups").
 */
import type { ResourceType } from '../../catalog/types.js';
import type { JsonObject } from '../../model.js';
import { filtered } from './graph.js';
import { stringProp, type Ctx } from './context.js';

const BASE = '/identityGovernance/privilegedAccess/group';

/** Where each PIM for Groups type is listed and where its schedule requests are POSTed. */
export const PIM_GROUP_PATHS: Partial<Record<ResourceType, { schedules: string; requests: string }>> = {
  pimGroupEligibilitySchedule: { schedules: `${BASE}/eligibilitySchedules`, requests: `${BASE}/eligibilityScheduleRequests` },
  pimGroupAssignmentSchedule: { schedules: `${BASE}/assignmentSchedules`, requests: `${BASE}/assignmentScheduleRequests` },
};

/** The live schedule of the same group, principal and access, if Graph has it. */
export async function findPimGroupSchedule(ctx: Ctx, type: ResourceType, body: JsonObject): Promise<Record<string, unknown> | undefined> {
  const paths = PIM_GROUP_PATHS[type];
  const groupId = stringProp(body, 'groupId');
  if (!paths || !groupId) return undefined;
  const list = await filtered(ctx.graph, paths.schedules, 'groupId', groupId);
  return list.find((o) => o.principalId === body.principalId && o.accessId === body.accessId);
}

/**
 * The adminAssign request that recreates an archived schedule: its access, principal, group
 * and the archived schedule as it was (start and expiration, as the directory-role schedules
 * are restored in ./objects.ts); an expiration already past is Graph's to refuse, and the
 * run reports that failure.
 */
export function pimGroupRequest(body: JsonObject, now: Date): JsonObject {
  const schedule = (body.scheduleInfo as JsonObject | undefined) ?? { startDateTime: now.toISOString(), expiration: { type: 'noExpiration' } };
  return {
    action: 'adminAssign',
    accessId: body.accessId ?? null,
    principalId: body.principalId ?? null,
    groupId: body.groupId ?? null,
    justification: 'entra-vault restore',
    scheduleInfo: schedule,
  };
}
