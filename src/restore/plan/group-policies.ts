/**
 * PIM for Groups settings in a restore (issue 15 item 1). A group's member and owner policies
 * cannot be created through Graph: the target makes them when the group is onboarded by its
 * first PIM for Groups schedule request (catalog/pim-group-policies.ts). At plan time a
 * recreated group has no policies, so an archived policy would be "missing"; instead it becomes
 * an update that runs after the group's schedules are restored and patches the rules of the
 * policy the group got, found through the group's live id and the role (execute/pim-rules.ts).
 * Pure.
 */
import type { DirObject, JsonObject } from '../../model.js';
import { mapToLive } from '../diff.js';
import { opIdFor, str, type Candidate, type PlanContext } from './context.js';

const SCHEDULES = ['pimGroupEligibilitySchedule', 'pimGroupAssignmentSchedule'] as const;

/** The archived group and role (`member` / `owner`) of a PIM for Groups policy, through its assignment. */
export function archivedScopeOfGroupPolicy(ctx: Pick<PlanContext, 'archive'>, policyId: string): { groupId: string; role: string } | undefined {
  const a = (ctx.archive.objects.pimGroupPolicyAssignment ?? []).find((x) => x['policyId'] === policyId);
  const groupId = str(a?.['scopeId']);
  const role = str(a?.['roleDefinitionId']);
  return groupId !== undefined && role !== undefined ? { groupId, role } : undefined;
}

/** Why a missing group policy is not written: nothing in this plan onboards its group. */
export const NOT_ONBOARDED_REASON = 'the target has no such policy for its group, and this plan neither recreates the group nor restores its PIM schedules '
  + '(either onboards it): restore the group and its PIM for Groups assignments, then restore again';

/**
 * The update candidate for a missing group policy: after the create ops of the group's
 * archived schedules, whose first request onboards it ("After PIM onboards a group, the IDs of
 * the PIM policies and policy assignments for the specific group change", docs/graph-facts.md
 * S231, so the policy is looked up when the op runs); with no schedule to restore, after the
 * group's create (a rule update onboards a group too, S231). Undefined when the plan creates neither.
 */
export function policyOfOnboardedGroup(ctx: PlanContext, policy: DirObject, createOps: ReadonlySet<string>): Candidate | undefined {
  const scope = archivedScopeOfGroupPolicy(ctx, policy.id);
  if (scope === undefined) return undefined;
  const after = SCHEDULES.flatMap((t) => (ctx.archive.objects[t] ?? [])
    .filter((s) => s['groupId'] === scope.groupId)
    .map((s) => opIdFor('create', t, s.id))
    .filter((op) => createOps.has(op)));
  const groupOp = opIdFor('create', 'group', scope.groupId);
  if (after.length === 0 && createOps.has(groupOp)) after.push(groupOp);
  if (after.length === 0) return undefined;
  const desc = ctx.catalog.descriptor('pimGroupPolicy');
  const rules = mapToLive(desc, policy, ctx.match)['rules'] ?? [];
  // `@groupId` / `@roleDefinitionId` (annotations, never written) tell the executor which policy to patch.
  const body: JsonObject = { rules, '@groupId': scope.groupId, '@roleDefinitionId': scope.role };
  return {
    opId: opIdFor('update', 'pimGroupPolicy', policy.id), kind: 'update', type: 'pimGroupPolicy', archivedId: policy.id,
    tier: desc.tier, body, changes: [{ property: 'rules', archived: rules, live: null }], after, parent: scope.groupId,
  };
}

/** True for the policy assignment of a group whose policy is planned: Entra adds it on onboarding. */
export function isAssignmentOfOnboardedGroup(assignment: DirObject, createOps: ReadonlySet<string>): boolean {
  const policy = assignment['policyId'];
  return typeof policy === 'string' && createOps.has(opIdFor('update', 'pimGroupPolicy', policy));
}
