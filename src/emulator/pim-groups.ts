/**
 * PIM for Groups as Graph v1.0 serves it (issue 15 item 1), under
 * `/identityGovernance/privilegedAccess/group/`:
 *
 * - `eligibilitySchedules` and `assignmentSchedules` are listed only with a `$filter` (eq) on
 *   groupId or principalId ("This method requires the $filter (eq) query parameter to scope the
 *   request to a principalId or a groupId",
 *   https://learn.microsoft.com/graph/api/privilegedaccessgroup-list-eligibilityschedules,
 *   https://learn.microsoft.com/graph/api/privilegedaccessgroup-list-assignmentschedules);
 * - they are written only through `eligibilityScheduleRequests` / `assignmentScheduleRequests`
 *   (POST, https://learn.microsoft.com/graph/api/privilegedaccessgroup-post-eligibilityschedulerequests,
 *   https://learn.microsoft.com/graph/api/privilegedaccessgroup-post-assignmentschedulerequests):
 *   accessId (member or owner), principalId, groupId and action are required; `adminAssign`
 *   creates the schedule, `adminRemove` removes it; an active assignment makes its principal a
 *   member or owner of the group while it lasts;
 * - the permissions are PrivilegedEligibilitySchedule.* / PrivilegedAssignmentSchedule.*
 *   .AzureADGroup, the only ones the pages name (Directory.Read.All is not among them).
 * docs/graph-facts.md §3 "PIM for Groups" (S120–S123).
 */
import { onboardGroup } from './group-policies.js';
import type { ResourceType } from '../catalog/types.js';
import type { DirObject, Json, JsonObject } from '../model.js';
import type { Answer, Ctx } from './context.js';
import { badRequest, forbidden, GraphHttpError, notFound, unknownSegment } from './graph-error.js';
import { contextUrl, listPage, project, selectList } from './odata/listing.js';
import { asBody, isoNow } from './writes.js';

type PimGroupType = 'pimGroupEligibilitySchedule' | 'pimGroupAssignmentSchedule';

const SETS: Record<string, { type: PimGroupType; request: boolean; entitySet: string }> = {
  eligibilityschedules: { type: 'pimGroupEligibilitySchedule', request: false, entitySet: 'eligibilitySchedules' },
  assignmentschedules: { type: 'pimGroupAssignmentSchedule', request: false, entitySet: 'assignmentSchedules' },
  eligibilityschedulerequests: { type: 'pimGroupEligibilitySchedule', request: true, entitySet: 'eligibilityScheduleRequests' },
  assignmentschedulerequests: { type: 'pimGroupAssignmentSchedule', request: true, entitySet: 'assignmentScheduleRequests' },
};

const PERMISSION: Record<PimGroupType, string> = {
  pimGroupEligibilitySchedule: 'PrivilegedEligibilitySchedule',
  pimGroupAssignmentSchedule: 'PrivilegedAssignmentSchedule',
};

function checkPermission(ctx: Ctx, type: PimGroupType, write: boolean): void {
  const family = PERMISSION[type];
  const ok = ctx.caller.roles.has(`${family}.ReadWrite.AzureADGroup`) || (!write && ctx.caller.roles.has(`${family}.Read.AzureADGroup`));
  if (!ok) throw forbidden();
}

const NOT_ALLOWED = (method: string): GraphHttpError =>
  new GraphHttpError(405, 'Request_BadRequest', `The HTTP method '${method}' is not allowed on this resource.`);

/** `/identityGovernance/privilegedAccess/group/{set}[/{id}]` */
export function pimGroups(ctx: Ctx, rest: string[]): Answer {
  const set = SETS[(rest[0] ?? '').toLowerCase()];
  if (!set) throw unknownSegment(rest[0] ?? 'group');
  const base = `identityGovernance/privilegedAccess/group/${set.entitySet}`;
  if (set.request) {
    if (rest.length !== 1 || ctx.method !== 'POST') throw NOT_ALLOWED(ctx.method);
    checkPermission(ctx, set.type, true);
    return scheduleRequest(ctx, set.type, base);
  }
  if (ctx.method !== 'GET') throw NOT_ALLOWED(ctx.method);
  checkPermission(ctx, set.type, false);
  const store = ctx.rt.store;
  if (rest.length === 2) {
    const o = store.get(set.type, rest[1]!);
    if (!o) throw notFound(rest[1]!);
    const select = selectList(ctx, set.type, true);
    return { status: 200, body: { '@odata.context': contextUrl(ctx, base, select, true), ...project(ctx, set.type, o, select) } };
  }
  if (rest.length > 2) throw unknownSegment(rest[2]!);
  if (!/\b(groupId|principalId)\s+eq\s+'/i.test(ctx.query.get('$filter') ?? '')) {
    throw badRequest('The $filter (eq) query parameter is required to scope the request to a principalId or a groupId.', 'BadRequest');
  }
  const get = (id: string): { type: ResourceType; obj: DirObject } | undefined => {
    const obj = store.get(set.type, id);
    return obj ? { type: set.type, obj } : undefined;
  };
  return { status: 200, body: listPage(ctx, { ids: store.sortedIds(set.type), get, type: set.type, entitySet: base }) };
}

const EXPIRATIONS = new Set(['notSpecified', 'noExpiration', 'afterDateTime', 'afterDuration']);

function scheduleOf(ctx: Ctx, raw: Json | undefined): JsonObject {
  if (raw === undefined || raw === null) return { startDateTime: isoNow(ctx), recurrence: null, expiration: { type: 'noExpiration', endDateTime: null, duration: null } };
  if (typeof raw !== 'object' || Array.isArray(raw)) throw badRequest("Invalid value specified for property 'scheduleInfo'.");
  const exp = (raw['expiration'] ?? { type: 'noExpiration' }) as JsonObject;
  const type = String(exp['type'] ?? 'notSpecified');
  if (!EXPIRATIONS.has(type)) throw badRequest(`Invalid value '${type}' for property 'expiration.type'.`);
  if (type === 'afterDateTime' && typeof exp['endDateTime'] !== 'string') throw badRequest("An expiration of type 'afterDateTime' needs an endDateTime.");
  if (type === 'afterDuration' && typeof exp['duration'] !== 'string') throw badRequest("An expiration of type 'afterDuration' needs a duration.");
  return {
    startDateTime: typeof raw['startDateTime'] === 'string' ? raw['startDateTime'] : isoNow(ctx),
    recurrence: raw['recurrence'] ?? null,
    expiration: { type, endDateTime: exp['endDateTime'] ?? null, duration: exp['duration'] ?? null },
  };
}

function scheduleRequest(ctx: Ctx, type: PimGroupType, base: string): Answer {
  const body = asBody(ctx.body);
  for (const p of ['accessId', 'principalId', 'groupId', 'action']) {
    if (typeof body[p] !== 'string') throw badRequest(`Invalid value specified for property '${p}' of resource 'PrivilegedAccessGroupScheduleRequest'.`);
  }
  const accessId = String(body['accessId']);
  if (accessId !== 'member' && accessId !== 'owner') throw badRequest(`Invalid value '${accessId}' for property 'accessId': use member or owner.`);
  const store = ctx.rt.store;
  const group = store.live.get('group')?.get(String(body['groupId']));
  if (!group) throw notFound(String(body['groupId']));
  const principalId = String(body['principalId']);
  if (!store.live.get('user')?.has(principalId) && !store.live.get('group')?.has(principalId)) throw notFound(principalId);
  const same = (o: DirObject): boolean => o['groupId'] === group.id && o['principalId'] === principalId && o['accessId'] === accessId;
  const existing = [...(store.live.get(type)?.values() ?? [])].find(same);
  const relation = accessId === 'member' ? 'groupMembers' : 'groupOwners';
  let targetScheduleId: string | null = null;
  const action = String(body['action']);
  if (action === 'adminAssign') {
    if (existing) throw badRequest('The Role assignment already exists.', 'RoleAssignmentExists');
    const now = isoNow(ctx);
    const sched: DirObject = {
      id: ctx.rt.ids.guid(), '@odata.type': `#${ctx.reg.descriptor(type).entityType}`,
      accessId, groupId: group.id, principalId, memberType: 'direct', status: 'Provisioned',
      scheduleInfo: scheduleOf(ctx, body['scheduleInfo']), createdDateTime: now, modifiedDateTime: now, createdUsing: null,
      ...(type === 'pimGroupAssignmentSchedule' ? { assignmentType: 'assigned' } : {}),
    };
    // the group's first schedule onboards it to PIM: Graph gives it its member and owner policies
    onboardGroup(store, group.id);
    store.insert(type, sched);
    store.parentOf.set(sched.id, group.id);
    store.touch(type, sched.id, 'live');
    targetScheduleId = sched.id;
    // an active assignment is the membership (or ownership) itself while it lasts
    if (type === 'pimGroupAssignmentSchedule' && store.edges(relation).add(group.id, principalId) && relation === 'groupMembers') store.memberChanged(group.id, principalId, false);
  } else if (action === 'adminRemove') {
    if (!existing) throw notFound(principalId);
    store.unlink(type, existing.id);
    if (type === 'pimGroupAssignmentSchedule' && store.edges(relation).remove(group.id, principalId) && relation === 'groupMembers') store.memberChanged(group.id, principalId, true);
  } else if (action === 'adminUpdate') {
    // "For administrators to change existing group membership or ownership assignments" (S386)
    if (!existing) throw notFound(principalId);
    // the change is the period: a request without one changes nothing and is refused, never defaulted
    if (body['scheduleInfo'] === undefined || body['scheduleInfo'] === null) throw badRequest("An adminUpdate request needs the new 'scheduleInfo'.");
    store.replace(type, { ...existing, scheduleInfo: scheduleOf(ctx, body['scheduleInfo']), modifiedDateTime: isoNow(ctx) });
    store.touch(type, existing.id, 'live');
    targetScheduleId = existing.id;
  } else {
    // adminExtend, adminRenew and the self-service actions are not emulated: refused, never ignored
    throw badRequest(`The emulator does not serve action '${action}': use adminAssign, adminUpdate or adminRemove.`);
  }
  const now = isoNow(ctx);
  return {
    status: 201,
    body: {
      '@odata.context': contextUrl(ctx, base, undefined, true),
      id: ctx.rt.ids.guid(), status: 'Provisioned', createdDateTime: now, completedDateTime: now, approvalId: null, customData: null,
      action, accessId, principalId, groupId: group.id, isValidationOnly: false, targetScheduleId,
      justification: (body['justification'] as Json | undefined) ?? null,
      scheduleInfo: (body['scheduleInfo'] as Json | undefined) ?? null,
      ticketInfo: (body['ticketInfo'] as Json | undefined) ?? { ticketNumber: null, ticketSystem: null },
      createdBy: { user: null, application: null, device: null },
    },
    mutated: true,
  };
}
