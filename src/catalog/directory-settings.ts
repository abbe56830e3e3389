/**
 * Directory settings (issue 15 item 10): the group lifecycle (expiration) policy and the
 * groups a `Selected` policy applies to.
 *
 * Graph facts (docs/graph-facts.md §3 "Group lifecycle policy", S105–S107):
 * - `/groupLifecyclePolicies` holds at most one policy per tenant ("Only one policy exists in
 *   the tenant"), created with POST, patched and deleted by id; its id is server-assigned
 *   https://learn.microsoft.com/graph/api/grouplifecyclepolicy-post-grouplifecyclepolicies
 * - `managedGroupTypes` is `All`, `Selected` or `None`; with `Selected` the groups it applies to
 *   are added one at a time with `POST /groupLifecyclePolicies/{id}/addGroup` `{ groupId }`
 *   (200 `{ value: true }`, or false when not added) and read back per group with
 *   `GET /groups/{id}/groupLifecyclePolicies`; Graph lists no groups under the policy
 *   https://learn.microsoft.com/graph/api/grouplifecyclepolicy-addgroup,
 *   https://learn.microsoft.com/graph/api/group-list-grouplifecyclepolicies
 * - reads need Directory.Read.All, writes (create, update, addGroup) Directory.ReadWrite.All.
 *
 * And the settings of one group (`/groups/{id}/settings`, docs/graph-facts.md §3 "Group
 * settings of one group", S108): a groupSetting from the Group.Unified.Guest template
 * (AllowToAddGuests), which overrides the tenant-wide Group.Unified value for that Microsoft 365
 * group; created with `POST /groups/{id}/settings` (Directory.ReadWrite.All)
 * https://learn.microsoft.com/graph/api/group-post-settings,
 * https://learn.microsoft.com/graph/api/resources/groupsetting
 */
import type { RelationDescriptor } from './types.js';
import { define, ms } from './define.js';

/** Least permissions of every group lifecycle policy call (docs/graph-facts.md S105). */
const LIFECYCLE_PERMISSIONS = { read: 'Directory.Read.All', write: 'Directory.ReadWrite.All' } as const;

export const groupLifecyclePolicy = define({
  type: 'groupLifecyclePolicy', entityType: ms('groupLifecyclePolicy'), title: 'Group lifecycle (expiration) policy',
  path: '/groupLifecyclePolicies', shape: 'collection',
  requiredOnCreate: ['groupLifetimeInDays', 'managedGroupTypes'],
  // One policy per tenant, so the kind of groups it manages names it: a target that already has
  // a policy of the same kind gets it patched, not a second one.
  naturalKey: ['managedGroupTypes'], softDelete: 'hard', tier: 1,
  permissions: LIFECYCLE_PERMISSIONS,
});

/**
 * A group's own settings, contained under the group and recreated under the recreated group
 * (its parent id remapped). One per template in a group, so the template names it. Tier 3: it
 * hangs off a tier-2 object.
 */
export const groupSpecificSetting = define({
  type: 'groupSpecificSetting', entityType: ms('groupSetting'), title: 'Group setting (one group)',
  path: '/groups/{parentId}/settings', shape: 'contained', parentType: 'group',
  readOnly: ['displayName'], createOnly: ['templateId'], requiredOnCreate: ['templateId', 'values'],
  naturalKey: ['templateId'], softDelete: 'hard', tier: 3,
  permissions: { read: 'Directory.Read.All', write: 'Directory.ReadWrite.All' },
});

/**
 * The groups a `Selected` policy applies to, as edges group → policy: read per group from
 * `/groups/{id}/groupLifecyclePolicies`, written by the policy's `addGroup` action naming the
 * (recreated) group's id. An `All` policy lists itself under every group it manages; those
 * edges are archived too, and the planner writes only the edges of a `Selected` policy.
 */
export const GROUP_LIFECYCLE_RELATIONS: readonly RelationDescriptor[] = [
  {
    kind: 'groupLifecyclePolicies', fromType: 'group', path: '/groups/{id}/groupLifecyclePolicies', targets: ['groupLifecyclePolicy'],
    singleValued: false, permissions: LIFECYCLE_PERMISSIONS,
    addAction: { path: '/groupLifecyclePolicies/{to}/addGroup', param: 'groupId' },
  },
];
