/**
 * Access package assignment requests in the emulator, as Graph documents them
 * (docs/graph-facts.md §3 "Entitlement management", S139, S384):
 * - https://learn.microsoft.com/graph/api/entitlementmanagement-post-assignmentrequests (adminAdd with
 *   targetId, assignmentPolicyId and accessPackageId; adminRemove with the assignment's id; 201 with the request)
 * - https://learn.microsoft.com/graph/api/entitlementmanagement-list-assignments (the assignment is then listed)
 * - https://learn.microsoft.com/graph/api/resources/entitlementmanagementschedule (the request's schedule is the assignment's)
 * - https://learn.microsoft.com/graph/api/accesspackage-delete (no package is deleted while it has assignments)
 * - https://learn.microsoft.com/graph/api/resources/accesspackageresourcerolescope ("When a subject receives an access
 *   package assignment, the subject will be provisioned with the role in that scope of each access package resource
 *   role scope": a group's Member role makes the user a member, S385)
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
    // a property the request does not have (vendor/graph-metadata: accessPackageAssignmentRequest) is refused
    expect((await L.writer('POST', `${EM}/assignmentRequests`, { requestType: 'adminAdd', assignment: ok, reason: 'x' })).status).toBe(400);
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

describe('emulator: filtering assignments as Graph documents it', () => {
  let L: Lab;
  beforeAll(async () => {
    L = await lab(seedTenant({ seed: 99, users: 12 }));
  });
  afterAll(async () => {
    await L.emu.close();
  });

  // https://learn.microsoft.com/graph/api/entitlementmanagement-list-assignments ("Example scenarios for using query parameters")
  it('by the target\'s object id and by the access package, the documented way (target/objectid, accessPackage/id)', async () => {
    const all = (await L.writer('GET', `${EM}/assignments?$expand=target,accessPackage($select=id)`)).json.value as Row[];
    expect(all.length).toBeGreaterThan(1);
    const first = all[0]!;
    const oid = String((first['target'] as Row)['objectId']);
    const pkgId = (first['accessPackage'] as Row).id;
    const byTarget = (await L.writer('GET', `${EM}/assignments?$expand=target&$filter=target/objectid eq '${oid}'`)).json.value as Row[];
    expect(byTarget.map((a) => a.id)).toEqual(all.filter((a) => (a['target'] as Row)['objectId'] === oid).map((a) => a.id));
    const both = (await L.writer('GET', `${EM}/assignments?$expand=accessPackage,target&$filter=accessPackage/id eq '${pkgId}' and target/objectid eq '${oid}'`)).json.value as Row[];
    expect(both.map((a) => a.id)).toEqual([first.id]);
    const none = (await L.writer('GET', `${EM}/assignments?$filter=target/objectId eq '00000000-0000-0000-0000-00000000beef'`)).json.value as Row[];
    expect(none).toEqual([]);
    const delivered = (await L.writer('GET', `${EM}/assignments?$filter=state eq 'Delivered'`)).json.value as Row[];
    expect(delivered).toHaveLength(all.length);
  });

  // https://learn.microsoft.com/graph/filter-query-parameter: a property the type does not have is an error, not an empty page
  it('refuses a filter on a property the type does not have, instead of answering an empty page', async () => {
    const r = await L.writer('GET', `${EM}/assignments?$filter=nosuchthing/objectId eq 'x'`);
    expect(r.status).toBe(400);
    expect((await L.writer('GET', `/users?$filter=favouriteColour eq 'blue'`)).status).toBe(400);
  });
});

describe('emulator: what a delivered assignment gives', () => {
  let L: Lab;
  beforeAll(async () => {
    L = await lab(seedTenant({ seed: 101, users: 12 }));
  });
  afterAll(async () => {
    await L.emu.close();
  });

  it('a package\'s group Member role and app role are provisioned to a user whose assignment is delivered, and a group role to the package\'s users when it is added later', async () => {
    const policies = (await L.writer('GET', `${EM}/assignmentPolicies?$expand=accessPackage($select=id)`)).json.value as Row[];
    const direct = policies.filter((p) => p['displayName'] === 'Direct assignment');
    // the package with a group Member role (Sales tools) and the other (partner workspace)
    const scopesOf = async (pkgId: string) => (await L.writer('GET', `${EM}/accessPackages/${pkgId}/resourceRoleScopes?$expand=role,scope`)).json.value as Row[];
    const withGroup: { policy: Row; groupId: string }[] = [];
    for (const p of direct) {
      const g = (await scopesOf((p['accessPackage'] as Row).id)).map((x) => /^Member_(.+)$/.exec(String((x['role'] as Row)['originId']))?.[1]).find(Boolean);
      if (g) withGroup.push({ policy: p, groupId: g });
    }
    expect(withGroup).toHaveLength(1);
    const { policy, groupId } = withGroup[0]!;
    const members = async () => ((await L.writer('GET', `/groups/${groupId}/members?$select=id`)).json.value as Row[]).map((m) => m.id);
    const assigned = new Set(((await L.writer('GET', `${EM}/assignments?$expand=target`)).json.value as Row[]).map((a) => String((a['target'] as Row)['objectId'])));
    // the seeded assignments' users are members already (the seed provisioned them)
    for (const u of assigned) expect(await members()).toContain(u);
    const user = ((await L.writer('GET', '/users?$select=id,userType')).json.value as Row[]).find((u) => u['userType'] === 'Member' && !assigned.has(u.id))!;
    if ((await members()).includes(user.id)) await L.writer('DELETE', `/groups/${groupId}/members/${user.id}/$ref`);
    const r = await L.writer('POST', `${EM}/assignmentRequests`, { requestType: 'adminAdd', assignment: { targetId: user.id, assignmentPolicyId: policy.id, accessPackageId: (policy['accessPackage'] as Row).id } });
    expect(r.status).toBe(201);
    expect(await members()).toContain(user.id);
    // and the package's app role (role originId: the app role; scope originId: the service principal)
    const appScope = (await scopesOf((policy['accessPackage'] as Row).id)).find((x) => (x['role'] as Row)['originSystem'] === 'AadApplication')!;
    expect(appScope).toBeDefined();
    const held = (await L.writer('GET', `/users/${user.id}/appRoleAssignments`)).json.value as Row[];
    expect(held).toContainEqual(expect.objectContaining({ appRoleId: (appScope['role'] as Row)['originId'], resourceId: (appScope['scope'] as Row)['originId'], principalId: user.id, principalType: 'User' }));
    // the seeded assignees hold it too (the seed provisioned them)
    for (const u of assigned) {
      const theirs = (await L.writer('GET', `/users/${u}/appRoleAssignments`)).json.value as Row[];
      expect(theirs.some((x) => x['appRoleId'] === (appScope['role'] as Row)['originId'])).toBe(true);
    }
    // a group role added to the package later is given to the package's users too
    const pkgId = (policy['accessPackage'] as Row).id;
    const catalogId = ((await L.writer('GET', `${EM}/accessPackages/${pkgId}?$expand=catalog($select=id)`)).json['catalog'] as Row).id;
    const other = ((await L.writer('GET', '/groups?$select=id,groupTypes,securityEnabled,mailEnabled')).json.value as Row[])
      .find((g) => g.id !== groupId && g['securityEnabled'] === true && g['mailEnabled'] === false && (g['groupTypes'] as string[]).length === 0)!;
    expect((await L.writer('POST', `${EM}/resourceRequests`, { requestType: 'adminAdd', resource: { originId: other.id, originSystem: 'AadGroup' }, catalog: { id: catalogId } })).status).toBe(201);
    const res = ((await L.writer('GET', `${EM}/catalogs/${catalogId}/resources?$filter=originId eq '${other.id}'`)).json.value as Row[])[0]!;
    const scope = await L.writer('POST', `${EM}/accessPackages/${pkgId}/resourceRoleScopes`, {
      role: { displayName: 'Member', originSystem: 'AadGroup', originId: `Member_${other.id}`, resource: { id: res.id } },
      scope: { displayName: 'Root', description: 'Root Scope', originId: other.id, originSystem: 'AadGroup', isRootScope: true },
    });
    expect(scope.status).toBe(201);
    const now = ((await L.writer('GET', `/groups/${other.id}/members?$select=id`)).json.value as Row[]).map((m) => m.id);
    for (const u of [...assigned, user.id]) expect(now).toContain(u);
  });
});
