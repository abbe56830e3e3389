/**
 * PIM role settings of a custom role the plan recreates (issue 15 item 1). Entra gives every
 * new role definition its own role management policy with default rules, which cannot be
 * created through Graph (catalog/pim-policies.ts): at plan time the target has no such policy,
 * so the archived one would be "missing". Instead it becomes an update that runs after the
 * role's create and patches the rules of whatever policy the new role got; the executor finds
 * that policy through the role's live id (execute/pim-rules.ts). Pure.
 */
import type { DirObject, JsonObject } from '../../model.js';
import { mapToLive } from '../diff.js';
import { opIdFor, type Candidate, type PlanContext } from './context.js';

/** The archived role definition id a policy belongs to (through its assignment), if any. */
export function archivedRoleOfPolicy(ctx: Pick<PlanContext, 'archive'>, policyId: string): string | undefined {
  const a = (ctx.archive.objects.roleManagementPolicyAssignment ?? []).find((x) => x['policyId'] === policyId);
  return typeof a?.['roleDefinitionId'] === 'string' ? a['roleDefinitionId'] : undefined;
}

/**
 * The update candidate for a policy whose role this plan creates, or undefined when the
 * policy's role is not one the plan creates (then it stays a "cannot be created" skip).
 */
export function policyOfCreatedRole(ctx: PlanContext, policy: DirObject, createOps: ReadonlySet<string>): Candidate | undefined {
  const role = archivedRoleOfPolicy(ctx, policy.id);
  if (role === undefined) return undefined;
  const roleOp = opIdFor('create', 'roleDefinition', role);
  if (!createOps.has(roleOp)) return undefined;
  const desc = ctx.catalog.descriptor('roleManagementPolicy');
  const rules = mapToLive(desc, policy, ctx.match)['rules'] ?? [];
  // `@roleDefinitionId` (an annotation, never written) tells the executor which role's policy to patch.
  const body: JsonObject = { rules, '@roleDefinitionId': role };
  return {
    opId: opIdFor('update', 'roleManagementPolicy', policy.id), kind: 'update', type: 'roleManagementPolicy', archivedId: policy.id,
    tier: desc.tier, body, changes: [{ property: 'rules', archived: rules, live: null }], after: [roleOp],
  };
}

/** True for the policy assignment of a role this plan creates: Entra adds it with the role, nothing to do. */
export function isAssignmentOfCreatedRole(assignment: DirObject, createOps: ReadonlySet<string>): boolean {
  const role = assignment['roleDefinitionId'];
  return typeof role === 'string' && createOps.has(opIdFor('create', 'roleDefinition', role));
}
