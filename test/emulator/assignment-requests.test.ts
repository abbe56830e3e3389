/**
 * Access package assignment requests in the emulator, as Graph documents them
 * (docs/graph-facts.md §3 "Entitlement management", S139, S384):
 * - https://learn.microsoft.com/graph/api/entitlementmanagement-post-assignmentrequests (adminAdd with
 *   targetId, assignmentPolicyId and accessPackageId; adminRemove with the assignment's id; 201 with the request)
 * - https://learn.microsoft.com/graph/api/entitlementmanagement-list-assignments (the assignment is then listed)
 * - https://learn.microsoft.com/graph/api/resources/entitlementmanagementschedule (the request's schedule is the assignment's)
 * - https://learn.microsoft.com/graph/api/accesspackage-delete (no package is deleted while it has assignments)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedTenant } from '../../src/emulator/seed/index.js';
import { lab, type Lab } from './helpers.js';

const EM = '/identityGovernance/entitlementManagement';
type Row = Record<string, unknown> & { id: string };

describe('emulator: access package assignment requests', () => {
  let L: Lab;
  let pkg: Row;
  let policy: Row;
  let otherPolicy: Row;
  let user: Row;
  beforeAll(async () => {
    L = await lab(seedTenant({ seed: 97, users: 12 }));
    const policies = (await L.writer('GET', `${EM}/assignmentPolicies?$expand=accessPackage($select=id)`)).json.value as Row[];
    policy = policies.find((p) => p['displayName'] === 'Direct assignment')!;
    pkg = { id: (policy['accessPackage'] as Row).id };
    otherPolicy = policies.find((p) => (p['accessPackage'] as Row).id !== pkg.id)!;
    const assigned = new Set(((await L.writer('GET', `${EM}/assignments?$expand=target`)).json.value as Row[]).map((a) => (a['target'] as Row)['objectId']));
    user = ((await L.writer('GET', '/users?$select=id,userPrincipalName,displayName')).json.value as Row[]).find((u) => !assigned.has(u.id))!;
  });
  afterAll(async () => {
    await L.emu.close();
  });

  it('adminAdd: 201 with the submitted request, then the assignment is listed with the request\'s schedule and its subject', async () => {
    const end = '2031-01-31T00:00:00Z';
    const r = await L.writer('POST', `${EM}/assignmentRequests`, {
      requestType: 'adminAdd', assignment: { targetId: user.id, assignmentPolicyId: policy.id, accessPackageId: pkg.id },
      schedule: { startDateTime: '2026-01-01T00:00:00Z', expiration: { type: 'afterDateTime', endDateTime: end } },
    });
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({ requestType: 'adminAdd', state: 'submitted', status: 'Accepted' });
    const list = (await L.writer('GET', `${EM}/assignments?$expand=target,accessPackage($select=id),assignmentPolicy($select=id)`)).json.value as Row[];
    const mine = list.filter((a) => (a['target'] as Row)['objectId'] === user.id);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({
      state: 'delivered', accessPackage: { id: pkg.id }, assignmentPolicy: { id: policy.id },
      target: { objectId: user.id, principalName: user['userPrincipalName'], displayName: user['displayName'], subjectType: 'user' },
      schedule: { startDateTime: '2026-01-01T00:00:00Z', expiration: { type: 'afterDateTime', endDateTime: end } },
    });
    // a package that has it cannot be deleted (S140)
    expect((await L.writer('DELETE', `${EM}/accessPackages/${pkg.id}`)).status).toBe(400);
    // adminRemove names the assignment; then it is gone
    const gone = await L.writer('POST', `${EM}/assignmentRequests`, { requestType: 'adminRemove', assignment: { id: mine[0]!.id } });
    expect(gone.status).toBe(201);
    expect((await L.writer('GET', `${EM}/assignments/${mine[0]!.id}`)).status).toBe(404);
  });

  it('adminAdd is refused without its three ids, for a policy of another package, a missing package, policy or user', async () => {
    const add = (assignment: Record<string, unknown>) => L.writer('POST', `${EM}/assignmentRequests`, { requestType: 'adminAdd', assignment });
    const ok = { targetId: user.id, assignmentPolicyId: policy.id, accessPackageId: pkg.id };
    expect((await add({ targetId: user.id, accessPackageId: pkg.id })).status).toBe(400);
    expect((await add({ ...ok, assignmentPolicyId: otherPolicy.id })).status).toBe(400);
    expect((await add({ ...ok, accessPackageId: '00000000-0000-0000-0000-00000000beef' })).status).toBe(404);
    expect((await add({ ...ok, assignmentPolicyId: '00000000-0000-0000-0000-00000000beef' })).status).toBe(404);
    expect((await add({ ...ok, targetId: '00000000-0000-0000-0000-00000000beef' })).status).toBe(400);
    expect((await add({ ...ok, role: 'x' })).status).toBe(400);
    // a malformed schedule is refused, never ignored
    expect((await L.writer('POST', `${EM}/assignmentRequests`, { requestType: 'adminAdd', assignment: ok, schedule: { expiration: { type: 'afterDateTime' } } })).status).toBe(400);
    expect((await L.writer('POST', `${EM}/assignmentRequests`, { requestType: 'adminAdd', assignment: ok, schedule: { expiration: { type: 'sometime' } } })).status).toBe(400);
    // nothing was created by the refused requests
    const list = (await L.writer('GET', `${EM}/assignments?$expand=target`)).json.value as Row[];
    expect(list.filter((a) => (a['target'] as Row)['objectId'] === user.id)).toEqual([]);
  });

  it('answers 400 for request types and methods it does not serve, and for adminRemove of no assignment', async () => {
    expect((await L.writer('POST', `${EM}/assignmentRequests`, { requestType: 'userAdd', assignment: { accessPackageId: pkg.id } })).status).toBe(400);
    expect((await L.writer('GET', `${EM}/assignmentRequests`)).status).toBe(400);
    expect((await L.writer('POST', `${EM}/assignmentRequests`, { requestType: 'adminRemove', assignment: {} })).status).toBe(400);
    expect((await L.writer('POST', `${EM}/assignmentRequests`, { requestType: 'adminRemove', assignment: { id: '00000000-0000-0000-0000-00000000beef' } })).status).toBe(404);
    // assignments are still never POSTed directly
    expect((await L.writer('POST', `${EM}/assignments`, {})).status).toBeGreaterThanOrEqual(400);
  });
});
