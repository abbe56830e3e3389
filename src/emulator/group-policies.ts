/**
 * PIM for Groups policies as Graph v1.0 serves them (issue 15 item 1): a group onboarded to PIM
 * has one role management policy for its `member` role and one for its `owner` role
 * (scopeId the group's id, scopeType 'Group'), each with a policy assignment, and the same
 * rule set as the directory-role policies (./role-policies.ts serves and patches both).
 * Graph makes them when the group is onboarded, by its first PIM for Groups schedule request;
 * they are never created through the API.
 *
 * - https://learn.microsoft.com/graph/api/policyroot-list-rolemanagementpolicies (scopeType Group)
 * - https://learn.microsoft.com/graph/api/resources/unifiedrolemanagementpolicyassignment
 *   (roleDefinitionId `member` or `owner`; scopeId a group id)
 * - https://learn.microsoft.com/graph/api/resources/privilegedidentitymanagement-for-groups-api-overview
 */
import { createHash } from 'node:crypto';
import type { DirObject, JsonObject } from '../model.js';
import type { TenantStore } from './store.js';
import { defaultDirectoryRoleRules } from './builtin/pim-default-rules.js';

export type GroupAccess = 'member' | 'owner';

function guidOf(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The policy and assignment of one group's member or owner role (`Group_{groupId}_{guid}`). */
export function groupPolicyObjects(groupId: string, access: GroupAccess, rules: JsonObject[] = defaultDirectoryRoleRules()): { policy: DirObject; assignment: DirObject } {
  const policyId = `Group_${groupId}_${guidOf(`groupPolicy|${groupId.toLowerCase()}|${access}`)}`;
  const policy: DirObject = {
    id: policyId, '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicy', displayName: 'Group', description: 'Group', isOrganizationDefault: false,
    scopeId: groupId, scopeType: 'Group', lastModifiedDateTime: null, lastModifiedBy: { displayName: null, id: null }, rules,
  };
  const assignment: DirObject = {
    id: `${policyId}_${access}`, '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyAssignment', policyId, scopeId: groupId, scopeType: 'Group', roleDefinitionId: access,
  };
  return { policy, assignment };
}

/** Onboards a group to PIM (its first schedule request): its member and owner policies, if it has none yet. */
export function onboardGroup(store: TenantStore, groupId: string): void {
  for (const access of ['member', 'owner'] as const) {
    const { policy, assignment } = groupPolicyObjects(groupId, access);
    if (store.get('pimGroupPolicy', policy.id)) continue;
    store.insert('pimGroupPolicy', policy);
    store.insert('pimGroupPolicyAssignment', assignment);
    store.parentOf.set(policy.id, groupId);
    store.parentOf.set(assignment.id, groupId);
    store.touch('pimGroupPolicy', policy.id, 'live');
    store.touch('pimGroupPolicyAssignment', assignment.id, 'live');
  }
}
