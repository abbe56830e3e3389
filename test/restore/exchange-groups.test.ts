/**
 * Issue 11 item 9: Graph creates only Microsoft 365 and security groups; mail-enabled
 * security groups and distribution lists are Exchange's (read-only through Graph):
 * https://learn.microsoft.com/en-us/graph/api/group-post-groups and
 * https://learn.microsoft.com/en-us/graph/office365-groups-concept-overview
 * The plan writes nothing for them and lists them, with members and owners, as a manual step.
 */
import { describe, expect, it } from 'vitest';
import type { TenantData } from '../../src/model.js';
import { computeFidelity } from '../../src/restore/fidelity.js';
import { buildPlan } from '../../src/restore/plan/planner.js';
import { emptyLive, liveCopy, meta, sampleArchive } from './planner-fixtures.js';

function withExchangeGroups(): TenantData {
  const a = sampleArchive();
  a.objects.group = [
    ...(a.objects.group ?? []),
    { id: 'g-mesg', displayName: 'Finance SG', mailNickname: 'finsg', mail: 'finsg@contoso.com', mailEnabled: true, securityEnabled: true, groupTypes: [] },
    { id: 'g-dl', displayName: 'All Sales DL', mailNickname: 'allsales', mail: 'allsales@contoso.com', mailEnabled: true, securityEnabled: false, groupTypes: [] },
    { id: 'g-m365', displayName: 'Team', mailNickname: 'team', mailEnabled: true, securityEnabled: false, groupTypes: ['Unified'] },
  ];
  a.relations.groupMembers = [
    ...(a.relations.groupMembers ?? []),
    { kind: 'groupMembers', from: 'g-mesg', to: 'u-bob', toType: 'user' },
    { kind: 'groupMembers', from: 'g-dl', to: 'u-admin', toType: 'user' },
    { kind: 'groupMembers', from: 'g-m365', to: 'u-bob', toType: 'user' },
  ];
  a.relations.groupOwners = [{ kind: 'groupOwners', from: 'g-dl', to: 'u-bob', toType: 'user' }];
  return a;
}

describe('mail-enabled security groups and distribution lists (issue 11 item 9)', () => {
  it('are not created through Graph: skipped with a reason and one Exchange manual step listing members and owners', () => {
    const plan = buildPlan({ archive: withExchangeGroups(), archiveMeta: meta, live: emptyLive(), scenario: 'tenant-loss' });
    const ops = plan.operations;
    expect(ops.some((o) => o.kind === 'create' && (o.archivedId === 'g-mesg' || o.archivedId === 'g-dl'))).toBe(false);
    expect(ops.some((o) => o.kind === 'addRelation' && (o.from === 'g-mesg' || o.from === 'g-dl'))).toBe(false);
    // a Microsoft 365 group is mail-enabled too, and Graph creates it
    expect(ops.some((o) => o.kind === 'create' && o.archivedId === 'g-m365')).toBe(true);
    expect(ops.some((o) => o.kind === 'addRelation' && o.from === 'g-m365')).toBe(true);
    expect(plan.skipped?.filter((s) => s.archivedId === 'g-mesg' || s.archivedId === 'g-dl').map((s) => s.reason)).toEqual([
      expect.stringContaining('Exchange'), expect.stringContaining('Exchange'),
    ]);
    const step = plan.manualSteps.find((m) => m.id === 'manual:exchangeGroups');
    expect(step?.objects).toEqual(['g-dl', 'g-mesg']);
    expect(step?.instructions).toContain('All Sales DL (distribution list, allsales@contoso.com, recreate it): members admin <admin@contoso.com>; owners bob <bob@contoso.com>');
    expect(step?.instructions).toContain('Finance SG (mail-enabled security group, finsg@contoso.com, recreate it): members bob <bob@contoso.com>');
  });

  it("an existing one's missing members are listed for Exchange, not written through Graph", () => {
    const archive = withExchangeGroups();
    const live = liveCopy(archive);
    live.relations.groupMembers = (live.relations.groupMembers ?? []).filter((r) => r.from !== 'g-mesg');
    const plan = buildPlan({ archive, archiveMeta: meta, live, scenario: 'all-admins-deleted' });
    expect(plan.operations.some((o) => o.kind === 'addRelation' && o.from === 'g-mesg')).toBe(false);
    const step = plan.manualSteps.find((m) => m.id === 'manual:exchangeGroups');
    expect(step?.objects).toEqual(['g-mesg']);
    expect(step?.instructions).toContain('Finance SG (mail-enabled security group, finsg@contoso.com): members bob <bob@contoso.com>; owners (none)');
    // the report names the reason for the missing edge, not "no operation restored it"
    const f = computeFidelity(archive, live, plan, undefined);
    const dev = f.deviations.filter((d) => d.what === 'relationMissing' && d.archivedId === 'g-mesg');
    expect(dev).toHaveLength(1);
    expect(dev[0]?.reason).toContain('Exchange');
  });
});
