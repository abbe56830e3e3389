/**
 * The planner writes a lifecycle policy's groups only for a Selected policy: Graph's addGroup is
 * "supported only if the managedGroupTypes property of the policy is set to Selected"
 * (https://learn.microsoft.com/graph/api/grouplifecyclepolicy-addgroup), and an All policy
 * lists itself under every Microsoft 365 group by itself (docs/graph-facts.md §3 "Group
 * lifecycle policy").
 */
import { describe, expect, it } from 'vitest';
import { writesLifecycleEdge } from '../../src/restore/plan/group-lifecycle.js';
import type { Relation } from '../../src/model.js';

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
