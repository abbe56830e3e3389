/**
 * PIM role settings for directory roles (issue 15 item 1): one role management policy per
 * role definition and tenant, with its rules (activation duration, MFA/justification/ticket
 * enablement, approval with approvers, notifications, eligibility and assignment expiration),
 * and the policy assignment saying which role the policy belongs to.
 *
 * Graph facts (docs/graph-facts.md §3 "PIM role settings"):
 * - policies and their assignments cannot be created or deleted; every built-in and custom
 *   directory role has exactly one (scopeId '/', scopeType 'DirectoryRole')
 *   https://learn.microsoft.com/graph/api/resources/unifiedrolemanagementpolicy
 * - both lists require `$filter` on scopeId and scopeType
 *   https://learn.microsoft.com/graph/api/policyroot-list-rolemanagementpolicies,
 *   https://learn.microsoft.com/graph/api/policyroot-list-rolemanagementpolicyassignments
 * - rules come with `$expand=rules` and are written one at a time with
 *   `PATCH /policies/roleManagementPolicies/{id}/rules/{ruleId}`
 *   https://learn.microsoft.com/graph/api/unifiedrolemanagementpolicyrule-update
 * - policy ids differ between tenants: a policy is matched through its assignment's
 *   roleDefinitionId (restore/diff.ts), so the policy itself has no natural key.
 */
import type { ReferenceRule } from './types.js';
import { define, ms } from './define.js';
import { PIM_AUTHENTICATION_CONTEXT_REFS } from './ca-dependencies.js';

const P = { read: 'RoleManagementPolicy.Read.Directory', write: 'RoleManagementPolicy.ReadWrite.Directory' } as const;

const DIRECTORY_ROLE_SCOPE = "$filter=scopeId eq '/' and scopeType eq 'DirectoryRole'";

/**
 * Approvers inside the approval rule (`setting.approvalStages[].primaryApprovers[]` and
 * `escalationApprovers[]`, subjectSet singleUser/groupMembers). Not required: an approver
 * that cannot be resolved is taken out of the stage and reported (plan `unresolved`, effect
 * 'dropped', and a fidelity deviation with that reason); the rest of the policy is still written.
 */
export const APPROVER_REFS: readonly ReferenceRule[] = ['primaryApprovers', 'escalationApprovers'].flatMap((list) => [
  { path: `rules.setting.approvalStages.${list}.userId`, by: 'id' as const, targets: ['user'] as const, required: false },
  { path: `rules.setting.approvalStages.${list}.groupId`, by: 'id' as const, targets: ['group'] as const, required: false },
]);

export const roleManagementPolicy = define({
  type: 'roleManagementPolicy', entityType: ms('unifiedRoleManagementPolicy'), title: 'PIM role settings',
  path: '/policies/roleManagementPolicies', shape: 'collection', inlineNavigation: ['rules'],
  listQuery: `${DIRECTORY_ROLE_SCOPE}&$expand=rules`,
  // Only the rules are written (per rule); the policy's own properties are Graph's.
  readOnly: ['description', 'displayName', 'isOrganizationDefault', 'lastModifiedBy', 'lastModifiedDateTime', 'scopeId', 'scopeType'],
  requiredOnCreate: [], references: [...APPROVER_REFS, ...PIM_AUTHENTICATION_CONTEXT_REFS],
  // Matched through its assignment's role (restore/diff.ts `byPolicyAssignment`).
  naturalKey: [], softDelete: 'notDeletable', tier: 3, permissions: P,
});

export const roleManagementPolicyAssignment = define({
  type: 'roleManagementPolicyAssignment', entityType: ms('unifiedRoleManagementPolicyAssignment'),
  title: 'PIM role settings assignment', path: '/policies/roleManagementPolicyAssignments', shape: 'collection',
  listQuery: DIRECTORY_ROLE_SCOPE,
  readOnly: ['policyId', 'roleDefinitionId', 'scopeId', 'scopeType'], requiredOnCreate: [],
  references: [
    { path: 'roleDefinitionId', by: 'roleDefinitionId', targets: ['roleDefinition'], required: true },
    { path: 'policyId', by: 'id', targets: ['roleManagementPolicy'], required: true },
  ],
  naturalKey: ['roleDefinitionId+scopeId+scopeType'], softDelete: 'notDeletable', tier: 3, permissions: P,
});
