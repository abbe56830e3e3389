/**
 * The objects scenario's re-linking in the planner (src/restore/plan/relink.ts), on a small tenant
 * (./planner-fixtures.ts): an application deleted for good comes back with a new appId, and the live
 * objects outside the selection that named its old appId are re-linked or listed. The end-to-end
 * version, read back through Graph, is test/ops/partial-readback.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { buildPlan } from '../../src/restore/plan/planner.js';
import type { Operation } from '../../src/restore/types.js';
import { APP_ID, EXT, liveCopy, meta, sampleArchive } from './planner-fixtures.js';

type Update = Extract<Operation, { kind: 'update' }>;

/** The archive, and the tenant after the app and its service principal were deleted for good. */
function appPurged() {
  const archive = sampleArchive();
  // a second app that requests the first one's permission, and a sign-up flow that includes it
  archive.objects.application!.push({ id: 'app-2', appId: '99999999-2222-3333-4444-555555555555', displayName: 'Portal', requiredResourceAccess: [{ resourceAppId: APP_ID, resourceAccess: [{ id: 'r1', type: 'Role' }] }] });
  archive.objects.authenticationEventsFlow = [{
    id: 'flow-1', '@odata.type': '#microsoft.graph.externalUsersSelfServiceSignUpEventsFlow', displayName: 'Sign-up',
    conditions: { applications: { includeApplications: [{ appId: APP_ID }] } },
  }];
  const live = liveCopy(archive);
  live.objects.application = live.objects.application!.filter((a) => a.id !== 'app-1');
  live.objects.servicePrincipal = [];
  live.objects.extensionProperty = [];
  return { archive, live };
}

describe('objects: re-linking what names an app recreated with a new appId', () => {
  const { archive, live } = appPurged();
  const plan = buildPlan({ archive, archiveMeta: meta, live, scenario: 'objects', selection: { objectIds: ['app-1', 'sp-1'] } });
  const relink = (id: string) => plan.operations.find((o): o is Update => o.kind === 'update' && o.archivedId === id);

  it('a Conditional Access policy keeps its appId list, with the old appId slotted to the new one', () => {
    const op = relink('ca-1');
    expect(op).toBeDefined();
    const apps = ((op!.body['conditions'] as Record<string, Record<string, string[]>>)['applications']!)['includeApplications'];
    // the archived appId, never the app's object id (which named no app and left the policy unre-linked)
    expect(apps).toEqual([APP_ID]);
    expect(op!.refs).toContainEqual(expect.objectContaining({ by: 'appId', archivedTargetId: expect.stringMatching(/^(app-1|sp-1)$/) }));
    expect(plan.warnings.join('\n')).not.toMatch(/Sales MFA.*nothing resolves/);
  });

  it('another app\'s required permissions of the recreated API are re-linked', () => {
    const op = relink('app-2');
    expect(op?.body['requiredResourceAccess']).toEqual([{ resourceAppId: APP_ID, resourceAccess: [{ id: 'r1', type: 'Role' }] }]);
    expect(op?.refs.some((r) => r.by === 'appId' && r.at.join('.') === 'requiredResourceAccess.0.resourceAppId')).toBe(true);
  });

  it('a user\'s value of the recreated app\'s extension attribute is written under its new name', () => {
    const op = relink('u-bob');
    expect(op?.body).toEqual({ [EXT]: 'CC-42' });
    expect(op?.refs).toContainEqual(expect.objectContaining({ by: 'extensionName', at: ['$name', EXT], archivedTargetId: 'app-1' }));
  });

  it('a read-only value holding the old appId is Graph\'s record, neither re-linked nor listed', () => {
    const a = sampleArchive();
    // a group's assignedLicenses is read-only (src/catalog): a value there is never a reference to re-link
    a.objects.group![0]!['assignedLicenses'] = [{ skuId: APP_ID, disabledPlans: [] }];
    const l = liveCopy(a);
    l.objects.application = l.objects.application!.filter((x) => x.id !== 'app-1');
    l.objects.servicePrincipal = [];
    const p = buildPlan({ archive: a, archiveMeta: meta, live: l, scenario: 'objects', selection: { objectIds: ['app-1', 'sp-1'] } });
    expect(p.operations.some((o) => o.kind === 'update' && o.archivedId === 'g-sales')).toBe(false);
    expect(p.manualSteps.find((s) => s.id === 'manual:relinkByHand')?.objects ?? []).not.toContain('g-sales');
  });

  it('a sign-up flow\'s apps are re-linked by an update naming its kind (the executor adds and removes each app, S382)', () => {
    const op = relink('flow-1');
    expect(op).toBeDefined();
    expect(op!.body['@odata.type']).toBe('#microsoft.graph.externalUsersSelfServiceSignUpEventsFlow');
    expect(op!.body['conditions']).toEqual({ applications: { includeApplications: [{ appId: APP_ID }] } });
    // its old appId is a reference the run rewrites to the recreated app's
    expect(op!.refs.map((r) => r.archivedTargetId)).toContain('app-1');
    expect(plan.manualSteps.find((s) => s.id === 'manual:relinkByHand')?.objects ?? []).not.toContain('flow-1');
  });

  it('nothing is re-linked when the app comes back from the recycle bin with its appId', () => {
    const binned = { ...live, deleted: { application: archive.objects.application!.filter((a) => a.id === 'app-1'), servicePrincipal: archive.objects.servicePrincipal! } };
    const p = buildPlan({ archive, archiveMeta: meta, live: binned, scenario: 'objects', selection: { objectIds: ['app-1', 'sp-1'] } });
    expect(p.operations.filter((o) => o.kind === 'update')).toEqual([]);
    expect(p.manualSteps.some((s) => s.id === 'manual:relinkByHand')).toBe(false);
  });
});
