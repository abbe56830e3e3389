/**
 * A PIM schedule whose live schedule differs from the archive (its expiration, or its start):
 * Graph documents only List and Get for the schedules themselves, so it is changed by a
 * schedule request with action `adminUpdate` ("For administrators to change existing role
 * assignments"), never a PATCH of the schedule (docs/graph-facts.md §3 "PIM schedules are
 * changed by request", S386). The same for directory roles and PIM for Groups.
 */
import type { ResourceType } from '../../catalog/types.js';
import { canonicalJson } from '../../json.js';
import type { Json, JsonObject } from '../../model.js';
import { PIM_REQUEST_PATH, PIM_SCHEDULE_PATH } from './endpoints.js';
import { lag, type Ctx, type Done } from './context.js';
import { PIM_GROUP_PATHS } from './pim-groups.js';

/** The schedule types a request changes (directory roles and PIM for Groups). */
export function isRequestUpdated(type: ResourceType): boolean {
  return PIM_SCHEDULE_PATH[type] !== undefined || PIM_GROUP_PATHS[type] !== undefined;
}

/** Where a schedule is read by id, and where its requests go. */
function pathsOf(type: ResourceType): { schedules: string; requests: string } {
  const group = PIM_GROUP_PATHS[type];
  if (group) return group;
  const schedules = PIM_SCHEDULE_PATH[type];
  const requests = PIM_REQUEST_PATH[type];
  if (!schedules || !requests) throw new Error(`no PIM request path for ${type}`);
  return { schedules, requests };
}

/** The principal, role (or group and access) and scope that name the schedule in a request. */
function subjectOf(type: ResourceType, live: Record<string, Json>): JsonObject {
  if (PIM_GROUP_PATHS[type]) return { accessId: live.accessId ?? null, principalId: live.principalId ?? null, groupId: live.groupId ?? null };
  const out: JsonObject = { principalId: live.principalId ?? null, roleDefinitionId: live.roleDefinitionId ?? null, directoryScopeId: live.directoryScopeId ?? '/' };
  if (typeof live.appScopeId === 'string') out.appScopeId = live.appScopeId;
  return out;
}

/**
 * Sets the live schedule `liveId` to the archived `scheduleInfo` in `body` with an adminUpdate
 * request; writes nothing when the live schedule already has it (a resumed or repeated run).
 * @throws GraphError from Graph (the run records the op as failed: an expiration already past,
 *   a policy that forbids the schedule)
 */
export async function updateSchedule(ctx: Ctx, type: ResourceType, liveId: string, body: JsonObject): Promise<Done> {
  const { schedules, requests } = pathsOf(type);
  const path = `${schedules}/${encodeURIComponent(liveId)}`;
  const live = await lag(ctx, path, () => ctx.graph.get<Record<string, Json>>(path));
  const wanted = body.scheduleInfo;
  if (wanted === undefined || canonicalJson(live.scheduleInfo ?? null) === canonicalJson(wanted)) return { outcome: 'alreadyPresent', liveId };
  await ctx.graph.post(requests, { action: 'adminUpdate', ...subjectOf(type, live), justification: 'entra-vault restore', scheduleInfo: wanted });
  return { outcome: 'updated', liveId };
}
