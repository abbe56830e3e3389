/**
 * PIM for Groups in drill tenants (issue 15 item 1): the first role-assignable group (else a
 * security group) is governed by PIM, as an administrator sets it up for just-in-time admin
 * access: one user is an eligible member (permanently), one admin an eligible owner (until a
 * date), and one user an active member for a limited time, which also makes that user a member
 * of the group (../pim-groups.ts). Another security group has a nested group as eligible member.
 * Both groups are onboarded, so each has its member and owner policies (../group-policies.ts);
 * the governed group's member activation is hardened: approval by the eligible owner admin,
 * MFA and justification, for at most 2 hours.
 */
import type { DirObject, JsonObject } from '../../model.js';
import { defaultDirectoryRoleRules } from '../builtin/pim-default-rules.js';
import { groupPolicyObjects, type GroupAccess } from '../group-policies.js';
import type { SeedContext } from './context.js';
import type { SeededGroup } from './directory.js';
import { iso, pastDate, Rng, SEED_NOW_MS } from './rng.js';

type Kind = 'pimGroupEligibilitySchedule' | 'pimGroupAssignmentSchedule';
const ODATA: Record<Kind, string> = {
  pimGroupEligibilitySchedule: '#microsoft.graph.privilegedAccessGroupEligibilitySchedule',
  pimGroupAssignmentSchedule: '#microsoft.graph.privilegedAccessGroupAssignmentSchedule',
};

function schedule(ctx: SeedContext, rng: Rng, kind: Kind, groupId: string, principalId: string, accessId: 'member' | 'owner', endMs: number | null): DirObject {
  const start = pastDate(rng, SEED_NOW_MS - 200 * 86400000, SEED_NOW_MS - 86400000);
  return ctx.add(kind, {
    id: rng.guid(), '@odata.type': ODATA[kind], accessId, groupId, principalId, memberType: 'direct', status: 'Provisioned',
    createdDateTime: start, modifiedDateTime: start, createdUsing: null,
    scheduleInfo: {
      startDateTime: start, recurrence: null,
      expiration: endMs === null ? { type: 'noExpiration', endDateTime: null, duration: null } : { type: 'afterDateTime', endDateTime: iso(endMs), duration: null },
    },
    ...(kind === 'pimGroupAssignmentSchedule' ? { assignmentType: 'assigned' } : {}),
  }, groupId);
}

/** The member activation rules an administrator hardens: approval, MFA and justification, 2 hours. */
export function hardenedGroupMemberRules(approverUserId: string | undefined): JsonObject[] {
  const rules = defaultDirectoryRoleRules();
  for (const r of rules) {
    if (r['id'] === 'Expiration_EndUser_Assignment') r['maximumDuration'] = 'PT2H';
    if (r['id'] === 'Enablement_EndUser_Assignment') r['enabledRules'] = ['MultiFactorAuthentication', 'Justification'];
    if (r['id'] === 'Approval_EndUser_Assignment' && approverUserId) {
      r['setting'] = {
        isApprovalRequired: true, isApprovalRequiredForExtension: false, isRequestorJustificationRequired: true, approvalMode: 'SingleStage',
        approvalStages: [{
          approvalStageTimeOutInDays: 1, isApproverJustificationRequired: true, escalationTimeInMinutes: 0, isEscalationEnabled: false,
          primaryApprovers: [{ '@odata.type': '#microsoft.graph.singleUser', userId: approverUserId, description: 'Group owner' }], escalationApprovers: [],
        }],
      };
    }
  }
  return rules;
}

/** A group onboarded to PIM: its member and owner policies (member rules as given). */
function onboard(ctx: SeedContext, groupId: string, memberRules?: JsonObject[]): void {
  for (const access of ['member', 'owner'] as GroupAccess[]) {
    const { policy, assignment } = groupPolicyObjects(groupId, access, access === 'member' && memberRules ? memberRules : defaultDirectoryRoleRules());
    ctx.add('pimGroupPolicy', policy, groupId);
    ctx.add('pimGroupPolicyAssignment', assignment, groupId);
  }
}

/** Seeds PIM for Groups schedules; nothing when the tenant has no suitable group or users. */
export function seedPimGroups(ctx: SeedContext, groups: readonly SeededGroup[]): void {
  const rng = new Rng(ctx.seed, 'pimGroups');
  const governed = groups.find((g) => g.kind === 'roleAssignable') ?? groups.find((g) => g.kind === 'security');
  if (!governed) return;
  const members = new Set((ctx.relations.get('groupMembers') ?? []).filter((r) => r.from === governed.id).map((r) => r.to));
  const owners = new Set((ctx.relations.get('groupOwners') ?? []).filter((r) => r.from === governed.id).map((r) => r.to));
  const cloud = ctx.users.filter((u) => !u.hybrid && !u.guest && u.enabled && !members.has(u.id) && !ctx.emergencyAccess.includes(u) && !ctx.admins.includes(u));
  const [eligible, active] = cloud;
  onboard(ctx, governed.id, hardenedGroupMemberRules(ctx.admins.find((a) => !owners.has(a.id))?.id));
  if (eligible) schedule(ctx, rng, 'pimGroupEligibilitySchedule', governed.id, eligible.id, 'member', null);
  const admin = ctx.admins.find((a) => !owners.has(a.id));
  if (admin) schedule(ctx, rng, 'pimGroupEligibilitySchedule', governed.id, admin.id, 'owner', SEED_NOW_MS + 365 * 86400000);
  if (active) {
    schedule(ctx, rng, 'pimGroupAssignmentSchedule', governed.id, active.id, 'member', SEED_NOW_MS + 30 * 86400000);
    ctx.rel('groupMembers', governed.id, active.id, 'user');
  }
  const nested = groups.find((g) => g.kind === 'security' && g.id !== governed.id);
  if (nested) onboard(ctx, nested.id);
  if (nested) schedule(ctx, rng, 'pimGroupEligibilitySchedule', nested.id, governed.id, 'member', null);
}
