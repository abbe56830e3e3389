/**
 * PIM schedule requests (`POST /roleManagement/directory/role{Eligibility|Assignment}ScheduleRequests`):
 * `adminAssign` creates the schedule (and, for active assignments, the role assignment
 * it grants); `adminUpdate` changes a schedule's period; `adminRemove` removes them. docs/graph-facts.md §3 "unifiedRoleAssignment".
 */
import type { DirObject, Json } from '../model.js';
import { requirePermission } from './auth.js';
import { type Answer, type Ctx } from './context.js';
import { badRequest, notFound } from './graph-error.js';
import { contextUrl } from './odata/listing.js';
import { asBody, commitCreate, createObject, deleteObject, isoNow, patchObject, resolveRoleDefinition } from './writes.js';

export function scheduleRequest(ctx: Ctx, type: 'roleEligibilitySchedule' | 'roleAssignmentSchedule'): Answer {
  requirePermission(ctx.caller, ctx.reg.descriptor(type), true);
  const body = asBody(ctx.body);
  const action = body.action;
  // a validation-only request checks without assigning: not emulated, so refused, never performed
  if (body.isValidationOnly === true) throw badRequest('The emulator does not serve validation-only schedule requests (isValidationOnly).');
  for (const p of ['principalId', 'roleDefinitionId']) {
    if (typeof body[p] !== 'string') throw badRequest(`Invalid value specified for property '${p}' of resource 'UnifiedRoleScheduleRequest'.`);
  }
  const store = ctx.rt.store;
  const def = resolveRoleDefinition(store, String(body.roleDefinitionId));
  if (!def) throw notFound(String(body.roleDefinitionId));
  const scope = typeof body.directoryScopeId === 'string' ? body.directoryScopeId : '/';
  const matches = (o: DirObject): boolean =>
    o.principalId === body.principalId && o.roleDefinitionId === def.id && (o.directoryScopeId ?? '/') === scope;
  let targetScheduleId: string | null = null;
  if (action === 'adminAssign') {
    if ([...(store.live.get(type)?.values() ?? [])].some(matches)) {
      throw badRequest('The Role assignment already exists.', 'RoleAssignmentExists');
    }
    const fields: Record<string, Json> = {
      principalId: body.principalId!,
      roleDefinitionId: def.id,
      directoryScopeId: scope,
      appScopeId: body.appScopeId ?? null,
      memberType: 'Direct',
      status: 'Provisioned',
      scheduleInfo: body.scheduleInfo ?? { startDateTime: isoNow(ctx), expiration: { type: 'noExpiration' } },
      createdUsing: null,
    };
    if (type === 'roleAssignmentSchedule') fields.assignmentType = 'Assigned';
    const sched = createObject(ctx, type, undefined, fields, true);
    const props = new Set(ctx.reg.descriptor(type).properties);
    for (const k of Object.keys(sched)) if (k !== 'id' && !props.has(k)) delete sched[k];
    commitCreate(ctx, type, sched, undefined);
    targetScheduleId = sched.id;
    if (type === 'roleAssignmentSchedule') {
      // an active PIM assignment is a role assignment while it lasts
      const ra = createObject(ctx, 'roleAssignment', undefined, { principalId: body.principalId!, roleDefinitionId: def.id, directoryScopeId: scope }, true);
      commitCreate(ctx, 'roleAssignment', ra, undefined);
    }
  } else if (action === 'adminRemove') {
    const hit = [...(store.live.get(type)?.values() ?? [])].find(matches);
    if (!hit) throw notFound(String(body.principalId));
    deleteObject(ctx, type, hit);
    if (type === 'roleAssignmentSchedule') {
      const ra = [...(store.live.get('roleAssignment')?.values() ?? [])].find(matches);
      if (ra) deleteObject(ctx, 'roleAssignment', ra);
    }
  } else if (action === 'adminUpdate') {
    // "For administrators to change existing role assignments" (docs/graph-facts.md S386): the
    // schedule's period; the schedule itself answers only List and Get
    const hit = [...(store.live.get(type)?.values() ?? [])].find(matches);
    if (!hit) throw notFound(String(body.principalId));
    if (body.scheduleInfo === null || typeof body.scheduleInfo !== 'object' || Array.isArray(body.scheduleInfo)) {
      throw badRequest("Invalid value specified for property 'scheduleInfo' of resource 'UnifiedRoleScheduleRequest'.");
    }
    patchObject(ctx, type, hit, { scheduleInfo: body.scheduleInfo });
    targetScheduleId = hit.id;
  } else {
    throw badRequest(`Unsupported action '${String(action)}': the emulator serves adminAssign, adminUpdate and adminRemove.`);
  }
  const requestId = ctx.rt.ids.guid();
  const set = type === 'roleEligibilitySchedule' ? 'roleEligibilityScheduleRequests' : 'roleAssignmentScheduleRequests';
  return {
    status: 201,
    body: {
      '@odata.context': contextUrl(ctx, `roleManagement/directory/${set}`, undefined, true),
      id: requestId,
      status: 'Provisioned',
      createdDateTime: isoNow(ctx),
      completedDateTime: isoNow(ctx),
      action: action as string,
      principalId: body.principalId!,
      roleDefinitionId: def.id,
      directoryScopeId: scope,
      appScopeId: body.appScopeId ?? null,
      justification: body.justification ?? null,
      scheduleInfo: body.scheduleInfo ?? null,
      targetScheduleId,
      // the rest of a request as the create pages answer it (unifiedRoleAssignmentScheduleRequest)
      approvalId: null,
      customData: null,
      isValidationOnly: false,
      createdBy: { application: null, device: null, user: null },
      ticketInfo: body.ticketInfo ?? { ticketNumber: null, ticketSystem: null },
    },
    mutated: true,
  };
}
