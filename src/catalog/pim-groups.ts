/**
 * PIM for Groups (issue 15 item 1): eligible and active (time-bound or permanent) membership
 * and ownership of groups governed by PIM, one schedule per group, principal and access
 * (`member` / `owner`).
 *
 * Graph facts (docs/graph-facts.md §3 "PIM for Groups"):
 * - the lists require `$filter` on groupId or principalId
 *   (https://learn.microsoft.com/graph/api/privilegedaccessgroup-list-eligibilityschedules,
 *   https://learn.microsoft.com/graph/api/privilegedaccessgroup-list-assignmentschedules), and
 *   v1.0 does not list which groups are governed by PIM: every group is read with its own
 *   `$filter=groupId eq '{id}'`, batched 20 to a request like any contained type;
 * - schedules are created through `…/eligibilityScheduleRequests` and
 *   `…/assignmentScheduleRequests` with `action: adminAssign`
 *   (https://learn.microsoft.com/graph/api/privilegedaccessgroup-post-eligibilityschedulerequests);
 * - an active assignment makes its principal a member or owner of the group while it lasts.
 */
import type { ReferenceRule } from './types.js';
import { define, ms } from './define.js';

/** The groups' PIM policies (./pim-group-policies.ts), restored after the schedules below. */
export { pimGroupPolicies } from './pim-group-policies.js';

const GROUP_FILTER = "$filter=groupId eq '{parentId}'";

const REFS: readonly ReferenceRule[] = [
  { path: 'groupId', by: 'id', targets: ['group'], required: true },
  // a PIM for Groups principal is a user or a group (nested group membership)
  { path: 'principalId', by: 'id', targets: ['user', 'group'], required: true },
];

export const pimGroupEligibilitySchedule = define({
  type: 'pimGroupEligibilitySchedule', entityType: ms('privilegedAccessGroupEligibilitySchedule'), title: 'PIM for Groups eligibility',
  path: '/identityGovernance/privilegedAccess/group/eligibilitySchedules', shape: 'contained', parentType: 'group',
  listQuery: GROUP_FILTER,
  readOnly: ['createdDateTime', 'createdUsing', 'memberType', 'modifiedDateTime', 'status'],
  createOnly: ['accessId', 'groupId', 'principalId'],
  requiredOnCreate: ['accessId', 'groupId', 'principalId', 'scheduleInfo'],
  references: REFS,
  naturalKey: ['groupId+principalId+accessId'], softDelete: 'hard', tier: 3,
  permissions: { read: 'PrivilegedEligibilitySchedule.Read.AzureADGroup', write: 'PrivilegedEligibilitySchedule.ReadWrite.AzureADGroup' },
});

export const pimGroupAssignmentSchedule = define({
  type: 'pimGroupAssignmentSchedule', entityType: ms('privilegedAccessGroupAssignmentSchedule'), title: 'PIM for Groups active assignment',
  path: '/identityGovernance/privilegedAccess/group/assignmentSchedules', shape: 'contained', parentType: 'group',
  listQuery: GROUP_FILTER,
  readOnly: ['assignmentType', 'createdDateTime', 'createdUsing', 'memberType', 'modifiedDateTime', 'status'],
  createOnly: ['accessId', 'groupId', 'principalId'],
  requiredOnCreate: ['accessId', 'groupId', 'principalId', 'scheduleInfo'],
  references: REFS,
  naturalKey: ['groupId+principalId+accessId'], softDelete: 'hard', tier: 3,
  permissions: { read: 'PrivilegedAssignmentSchedule.Read.AzureADGroup', write: 'PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup' },
});

/** Both schedule types, in restore order (eligibility first, as an administrator would). */
export const pimGroupSchedules = [pimGroupEligibilitySchedule, pimGroupAssignmentSchedule] as const;
