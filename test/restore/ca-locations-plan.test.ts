/**
 * A Conditional Access policy that excludes the legacy "MFA Trusted IPs" location, the nil GUID
 * `00000000-0000-0000-0000-000000000000`, is restored with it as archived: the value exists in
 * every tenant (Graph's own "Create conditionalAccessPolicy" example excludes it and is answered
 * 201, https://learn.microsoft.com/graph/api/conditionalaccessroot-post-policies, docs/graph-facts.md
 * S389), so it is never taken for a named location to re-link. Before, the plan blocked the policy:
 * an unresolved required reference.
 */
import { describe, expect, it } from 'vitest';
import { buildPlan } from '../../src/restore/plan/planner.js';
import { emptyLive, meta, sampleArchive } from './planner-fixtures.js';

const NIL = '00000000-0000-0000-0000-000000000000';

describe('the MFA Trusted IPs location in a CA policy', () => {
  it('is kept as archived, and the policy is created', () => {
    const archive = sampleArchive();
    const policy = archive.objects.conditionalAccessPolicy![0]!;
    (policy.conditions as { locations: { excludeLocations: string[] } }).locations.excludeLocations = [NIL, 'nl-1'];
    const plan = buildPlan({ archive, archiveMeta: meta, live: emptyLive(), scenario: 'tenant-loss' });
    expect(plan.unresolved.filter((u) => u.value === NIL)).toEqual([]);
    const create = plan.operations.find((o) => o.kind === 'create' && o.type === 'conditionalAccessPolicy');
    expect(create).toBeDefined();
    const locations = create!.kind === 'create' ? (create!.body.conditions as { locations: { excludeLocations: string[] } }).locations : undefined;
    expect(locations?.excludeLocations[0]).toBe(NIL);
    // the named location is still a reference, re-linked to the recreated one
    expect(create!.kind === 'create' && create!.refs.some((r) => r.archivedTargetId === 'nl-1')).toBe(true);
  });
});
