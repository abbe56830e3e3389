/**
 * Issue 11 item 13: memberships granted by PIM for Groups assignment schedules
 * (https://learn.microsoft.com/graph/api/resources/privilegedidentitymanagement-for-groups-api-overview)
 * or by access packages are listed by /groups/{id}/members like any other member; the
 * archive holds neither, so a restored membership is permanent. The plan must say so.
 */
import { describe, expect, it } from 'vitest';
import { buildPlan } from '../../src/restore/plan/planner.js';
import { TIME_BOUND_WARNING } from '../../src/restore/plan/timebound.js';
import { emptyLive, liveCopy, meta, sampleArchive } from './planner-fixtures.js';

describe('time-bound access (issue 11 item 13)', () => {
  it('a plan that writes group memberships warns that they come back permanent', () => {
    const plan = buildPlan({ archive: sampleArchive(), archiveMeta: meta, live: emptyLive(), scenario: 'tenant-loss' });
    expect(plan.operations.some((o) => o.kind === 'addRelation' && o.relation === 'groupMembers')).toBe(true);
    expect(plan.warnings).toContain(TIME_BOUND_WARNING);
    expect(TIME_BOUND_WARNING).toMatch(/PIM for Groups/);
    expect(TIME_BOUND_WARNING).toMatch(/access package/);
    // and a manual step with the object list: every group whose memberships the plan writes
    const step = plan.manualSteps.find((m) => m.id === 'manual:timeBoundMembership');
    const groups = [...new Set(plan.operations.flatMap((o) => (o.kind === 'addRelation' && o.relation === 'groupMembers' ? [o.from] : [])))].sort();
    expect(step?.objects).toEqual(groups);
  });

  it('no warning when no membership is written', () => {
    const a = sampleArchive();
    const plan = buildPlan({ archive: a, archiveMeta: meta, live: liveCopy(a), scenario: 'all-admins-deleted' });
    expect(plan.operations.some((o) => o.kind === 'addRelation' && o.relation === 'groupMembers')).toBe(false);
    expect(plan.warnings).not.toContain(TIME_BOUND_WARNING);
    expect(plan.manualSteps.some((m) => m.id === 'manual:timeBoundMembership')).toBe(false);
  });
});

describe('beta-only settings (issue 11 item 11)', () => {
  it('a tenant-loss plan names the authentication methods policy in a manual step; other scenarios do not', () => {
    const a = sampleArchive();
    a.objects.authenticationMethodsPolicy = [{ id: 'authenticationMethodsPolicy', displayName: 'Authentication Methods Policy' }];
    const lost = buildPlan({ archive: a, archiveMeta: meta, live: emptyLive(), scenario: 'tenant-loss' });
    expect(lost.manualSteps.find((m) => m.id === 'manual:betaOnlySettings')?.objects).toEqual(['authenticationMethodsPolicy']);
    const alive = buildPlan({ archive: a, archiveMeta: meta, live: liveCopy(a), scenario: 'all-admins-deleted' });
    expect(alive.manualSteps.some((m) => m.id === 'manual:betaOnlySettings')).toBe(false);
  });
});
