/**
 * PIM for Groups policies (issue 15 item 1): the role management policy of a group's member
 * role and of its owner role (scopeType 'Group'), with the same rule set as the directory-role
 * policies (./pim-policies.ts), and the policy assignment naming the group and the role.
 *
 * Graph facts (docs/graph-facts.md §3 "PIM for Groups policies", S209, S230, S231):
 * - the lists require `$filter=scopeId eq '{groupId}' and scopeType eq 'Group'`
 *   (https://learn.microsoft.com/graph/api/policyroot-list-rolemanagementpolicies,
 *   https://learn.microsoft.com/graph/api/policyroot-list-rolemanagementpolicyassignments):
 *   every group is read with its own filter, batched like any per-parent read;
 * - an assignment's roleDefinitionId is `member` or `owner` and its scopeId the group's id
 *   (https://learn.microsoft.com/graph/api/resources/unifiedrolemanagementpolicyassignment);
 * - policies are never created through Graph: a group gets them when it is onboarded to PIM
 *   (its first PIM for Groups schedule request); only rules are written, one at a time.
 * A policy has another id in every tenant, so it is matched through its assignment's group
 * (mapped) and role (restore/diff.ts `byPolicyAssignment`).
 */
import { define, ms } from './define.js';
import { APPROVER_REFS } from './pim-policies.js';
import { PIM_AUTHENTICATION_CONTEXT_REFS } from './ca-dependencies.js';

const P = { read: 'RoleManagementPolicy.Read.AzureADGroup', write: 'RoleManagementPolicy.ReadWrite.AzureADGroup' } as const;

const GROUP_SCOPE = "$filter=scopeId eq '{parentId}' and scopeType eq 'Group'";

export const pimGroupPolicy = define({
  type: 'pimGroupPolicy', entityType: ms('unifiedRoleManagementPolicy'), title: 'PIM for Groups settings',
  path: '/policies/roleManagementPolicies', shape: 'contained', parentType: 'group', inlineNavigation: ['rules'],
  listQuery: `${GROUP_SCOPE}&$expand=rules`,
  readOnly: ['description', 'displayName', 'isOrganizationDefault', 'lastModifiedBy', 'lastModifiedDateTime', 'scopeId', 'scopeType'],
  requiredOnCreate: [], references: [...APPROVER_REFS, ...PIM_AUTHENTICATION_CONTEXT_REFS],
  naturalKey: [], softDelete: 'notDeletable', tier: 3, permissions: P,
});

export const pimGroupPolicyAssignment = define({
  type: 'pimGroupPolicyAssignment', entityType: ms('unifiedRoleManagementPolicyAssignment'),
  title: 'PIM for Groups settings assignment', path: '/policies/roleManagementPolicyAssignments', shape: 'contained', parentType: 'group',
  listQuery: GROUP_SCOPE,
  readOnly: ['policyId', 'roleDefinitionId', 'scopeId', 'scopeType'], requiredOnCreate: [],
  references: [
    { path: 'scopeId', by: 'id', targets: ['group'], required: true },
    { path: 'policyId', by: 'id', targets: ['pimGroupPolicy'], required: true },
  ],
  naturalKey: ['scopeId+roleDefinitionId'], softDelete: 'notDeletable', tier: 3, permissions: P,
});

/** Both, in restore order; after the group's schedules (resources.ts), which onboard the group. */
export const pimGroupPolicies = [pimGroupPolicy, pimGroupPolicyAssignment] as const;
