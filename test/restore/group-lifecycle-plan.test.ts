/**
 * The planner writes a lifecycle policy's groups only for a Selected policy: Graph's addGroup is
 * "supported only if the managedGroupTypes property of the policy is set to Selected"
 * (https://learn.microsoft.com/graph/api/grouplifecyclepolicy-addgroup), and an All policy
 * lists itself under every Microsoft 365 group by itself (docs/graph-facts.md §3 "Group
 * lifecycle policy").
 */
import { describe, expect, it } from 'vitest';
import { writesLifecycleEdge } from '../../src/restore/plan/group-lifecycle.js';
import type { Relation, TenantData } from '../../src/model.js';
import type { LiveState } from '../../src/restore/types.js';
import { buildPlan } from '../../src/restore/plan/planner.js';
import { meta } from './planner-fixtures.js';

const edge = (kind: Relation['kind']): Relation => ({ kind, from: 'g1', to: 'p1', toType: 'groupLifecyclePolicy' });

describe('group lifecycle edges in a plan', () => {
  it('writes the edges of a Selected policy only', () => {
    expect(writesLifecycleEdge(edge('groupLifecyclePolicies'), { id: 'p1', managedGroupTypes: 'Selected' })).toBe(true);
    expect(writesLifecycleEdge(edge('groupLifecyclePolicies'), { id: 'p1', managedGroupTypes: 'All' })).toBe(false);
    expect(writesLifecycleEdge(edge('groupLifecyclePolicies'), { id: 'p1', managedGroupTypes: 'None' })).toBe(false);
    expect(writesLifecycleEdge(edge('groupLifecyclePolicies'), undefined)).toBe(false);
  });
  it('leaves every other relation alone', () => {
    expect(writesLifecycleEdge(edge('groupMembers'), undefined)).toBe(true);
  });
});

describe('objects scenario: a recreated Microsoft 365 group', () => {
  const group = { id: 'g1', displayName: 'Sales', mailEnabled: true, mailNickname: 'sales', securityEnabled: false, groupTypes: ['Unified'] };
  const archive: TenantData = {
    tenantId: 'tenant-a', initialDomain: 'contoso.onmicrosoft.com',
    objects: {
      group: [group],
      groupLifecyclePolicy: [{ id: 'p1', groupLifetimeInDays: 180, managedGroupTypes: 'Selected', alternateNotificationEmails: 'a@contoso.com' }],
      groupSpecificSetting: [{ id: 's1', '@parentId': 'g1', displayName: 'Group.Unified.Guest', templateId: '08d542b9-071f-4e16-94b0-74abb372e3d9', values: [{ name: 'AllowToAddGuests', value: 'false' }] }],
    },
    relations: { groupLifecyclePolicies: [{ kind: 'groupLifecyclePolicies', from: 'g1', to: 'p1', toType: 'groupLifecyclePolicy' }] },
  };
  // the same tenant after the group was deleted for good: the policy is still there
  const live: LiveState = {
    tenantId: 'tenant-a', initialDomain: 'contoso.onmicrosoft.com', relations: {}, deleted: {}, verifiedDomains: ['contoso.onmicrosoft.com'],
    objects: { groupLifecyclePolicy: [{ id: 'p1', groupLifetimeInDays: 180, managedGroupTypes: 'Selected', alternateNotificationEmails: 'a@contoso.com' }] },
  };

  it('brings back its own setting under it and adds it to the Selected policy again', () => {
    const plan = buildPlan({ archive, archiveMeta: meta, live, scenario: 'objects', selection: { objectIds: ['g1'] } });
    const setting = plan.operations.find((o) => o.opId === 'create:groupSpecificSetting:s1');
    expect(setting?.dependsOn).toContain('create:group:g1');
    expect(plan.included?.some((x) => x.archivedId === 's1' && x.requiredBy === 'g1')).toBe(true);
    const edge = plan.operations.find((o) => o.kind === 'addRelation' && o.relation === 'groupLifecyclePolicies');
    expect(edge?.dependsOn).toContain('create:group:g1');
  });

  it('adds no group to an All policy (Graph applies it)', () => {
    const all = structuredClone(archive);
    all.objects.groupLifecyclePolicy![0]!.managedGroupTypes = 'All';
    const liveAll = structuredClone(live);
    liveAll.objects.groupLifecyclePolicy![0]!.managedGroupTypes = 'All';
    const plan = buildPlan({ archive: all, archiveMeta: meta, live: liveAll, scenario: 'objects', selection: { objectIds: ['g1'] } });
    expect(plan.operations.some((o) => o.kind === 'addRelation' && o.relation === 'groupLifecyclePolicies')).toBe(false);
    expect(plan.operations.some((o) => o.opId === 'create:group:g1')).toBe(true);
  });
});
