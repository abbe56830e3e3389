import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GLOBAL_ADMIN_TEMPLATE_ID } from '../../src/catalog/permissions.js';
import { emptyTenant, seedTenant } from '../../src/emulator/seed/index.js';
import { errorCode, lab, type Lab } from './helpers.js';

const newUser = (L: Lab, nick: string) => ({
  accountEnabled: true,
  displayName: `Test ${nick}`,
  mailNickname: nick,
  userPrincipalName: `${nick}@${L.tenant.initialDomain}`,
  passwordProfile: { forceChangePasswordNextSignIn: true, password: 'Xy!12345678abc' },
});

describe('emulator directory semantics', () => {
  let L: Lab;
  beforeAll(async () => {
    L = await lab(seedTenant({ seed: 11, users: 40 }));
  });
  afterAll(async () => {
    await L.emu.close();
  });

  it('creates users with server-assigned ids, enforces required and read-only properties, never returns the password', async () => {
    const r = await L.writer('POST', '/users', newUser(L, 'alice'));
    expect(r.status).toBe(201);
    expect(r.json.id).toMatch(/^[0-9a-f-]{36}$/);
    const full = await L.writer('GET', `/users/${r.json.id}?$select=id,passwordProfile`);
    expect(JSON.stringify(full.json)).not.toContain('Xy!12345678abc');
    const missing = await L.writer('POST', '/users', { ...newUser(L, 'bob'), mailNickname: undefined });
    expect(missing.status).toBe(400);
    expect(errorCode(missing)).toBe('Request_BadRequest');
    const ro = await L.writer('PATCH', `/users/${r.json.id}`, { createdDateTime: '2020-01-01T00:00:00Z' });
    expect(ro.status).toBe(400);
    expect(ro.json.error.message).toBe("Property 'createdDateTime' is read-only and cannot be set.");
    const dupe = await L.writer('POST', '/users', newUser(L, 'alice'));
    expect(dupe.status).toBe(400);
    const domain = await L.writer('POST', '/users', { ...newUser(L, 'carl'), userPrincipalName: 'carl@not-verified.example' });
    expect(domain.status).toBe(400);
  });

  it('hard-deletes security groups but soft-deletes M365 groups, which restore with their id and members', async () => {
    const members = L.tenant.objects.user!.slice(0, 2).map((u) => `${L.emu.graphBaseUrl}/directoryObjects/${u.id}`);
    const sec = await L.writer('POST', '/groups', { displayName: 'sec', mailEnabled: false, mailNickname: 'sec', securityEnabled: true, 'members@odata.bind': members });
    expect(sec.status).toBe(201);
    const m365 = await L.writer('POST', '/groups', {
      displayName: 'team', mailEnabled: true, mailNickname: 'team', securityEnabled: false, groupTypes: ['Unified'], 'members@odata.bind': members,
    });
    expect(m365.status).toBe(201);
    expect((await L.writer('DELETE', `/groups/${sec.json.id}`)).status).toBe(204);
    expect((await L.writer('DELETE', `/groups/${m365.json.id}`)).status).toBe(204);
    const bin = await L.reader('GET', '/directory/deletedItems/microsoft.graph.group');
    const binIds = bin.json.value.map((g: { id: string }) => g.id);
    expect(binIds).toContain(m365.json.id);
    expect(binIds).not.toContain(sec.json.id);
    expect((await L.writer('POST', `/directory/deletedItems/${sec.json.id}/restore`)).status).toBe(404);
    const restored = await L.writer('POST', `/directory/deletedItems/${m365.json.id}/restore`);
    expect(restored.status).toBe(200);
    expect(restored.json.id).toBe(m365.json.id);
    const mem = await L.reader('GET', `/groups/${m365.json.id}/members`);
    expect(mem.json.value.map((x: { id: string }) => x.id).sort()).toEqual(L.tenant.objects.user!.slice(0, 2).map((u) => u.id).sort());
  });

  it('soft-deletes administrative units, which cannot be purged', async () => {
    const au = await L.writer('POST', '/directory/administrativeUnits', { displayName: 'AU drill' });
    expect(au.status).toBe(201);
    expect((await L.writer('DELETE', `/directory/administrativeUnits/${au.json.id}`)).status).toBe(204);
    const purge = await L.writer('DELETE', `/directory/deletedItems/${au.json.id}`);
    expect(purge.status).toBe(400);
    errorCode(purge);
    expect((await L.writer('POST', `/directory/deletedItems/${au.json.id}/restore`)).status).toBe(200);
  });

  it('serves conditional-access policies at both of Graph\'s addresses', async () => {
    const a = await L.reader('GET', '/identity/conditionalAccess/policies?$select=id');
    const b = await L.reader('GET', '/policies/conditionalAccessPolicies?$select=id');
    expect(b.json.value).toEqual(a.json.value);
    expect(a.json.value.length).toBe(L.tenant.objects.conditionalAccessPolicy!.length);
  });

  it('requires the type cast to list deleted items', async () => {
    const r = await L.reader('GET', '/directory/deletedItems');
    expect(r.status).toBe(400);
    errorCode(r);
    const ok = await L.reader('GET', '/directory/deletedItems/microsoft.graph.user');
    expect(ok.status).toBe(200);
  });

  it('restores an application without its service principal', async () => {
    const app = await L.writer('POST', '/applications', { displayName: 'restore me' });
    expect(app.status).toBe(201);
    expect(app.json.appId).toMatch(/^[0-9a-f-]{36}$/);
    const sp = await L.writer('POST', '/servicePrincipals', { appId: app.json.appId });
    expect(sp.status).toBe(201);
    expect((await L.writer('DELETE', `/applications/${app.json.id}`)).status).toBe(204);
    expect((await L.reader('GET', `/servicePrincipals/${sp.json.id}`)).status).toBe(404);
    expect((await L.writer('POST', `/directory/deletedItems/${app.json.id}/restore`)).status).toBe(200);
    expect((await L.reader('GET', `/applications/${app.json.id}`)).status).toBe(200);
    expect((await L.reader('GET', `/servicePrincipals/${sp.json.id}`)).status).toBe(404);
    const spBin = await L.reader('GET', '/directory/deletedItems/microsoft.graph.servicePrincipal');
    expect(spBin.json.value.map((x: { id: string }) => x.id)).toContain(sp.json.id);
  });

  it('returns a secret once from addPassword and stores only its metadata', async () => {
    const app = await L.writer('POST', '/applications', { displayName: 'secretive' });
    const pw = await L.writer('POST', `/applications/${app.json.id}/addPassword`, { passwordCredential: { displayName: 'drill' } });
    expect(pw.status).toBe(200);
    expect(typeof pw.json.secretText).toBe('string');
    const again = await L.reader('GET', `/applications/${app.json.id}?$select=passwordCredentials`);
    expect(again.json.passwordCredentials[0].keyId).toBe(pw.json.keyId);
    expect(again.json.passwordCredentials[0].secretText).toBeNull();
    expect(JSON.stringify(again.json)).not.toContain(pw.json.secretText);
  });

  it('limits $ref and @odata.bind: 20 per request, all or nothing, duplicates rejected', async () => {
    const users = L.tenant.objects.user!.slice(0, 21).map((u) => `${L.emu.graphBaseUrl}/directoryObjects/${u.id}`);
    const tooMany = await L.writer('POST', '/groups', { displayName: 'x', mailEnabled: false, mailNickname: 'x', securityEnabled: true, 'members@odata.bind': users });
    expect(tooMany.status).toBe(400);
    const g = await L.writer('POST', '/groups', { displayName: 'y', mailEnabled: false, mailNickname: 'y', securityEnabled: true });
    const bad = await L.writer('PATCH', `/groups/${g.json.id}`, {
      'members@odata.bind': [users[0], `${L.emu.graphBaseUrl}/directoryObjects/00000000-0000-0000-0000-00000000dead`],
    });
    expect(bad.status).toBe(404);
    expect((await L.reader('GET', `/groups/${g.json.id}/members`)).json.value).toEqual([]);
    const add = await L.writer('POST', `/groups/${g.json.id}/members/$ref`, { '@odata.id': users[1] });
    expect(add.status).toBe(204);
    const again = await L.writer('POST', `/groups/${g.json.id}/members/$ref`, { '@odata.id': users[1] });
    expect(again.status).toBe(400);
    // a bind naming a member already there spoils the whole PATCH (all or nothing, group-post-members)
    const rebind = await L.writer('PATCH', `/groups/${g.json.id}`, { 'members@odata.bind': [users[4], users[1]] });
    expect(rebind.status).toBe(400);
    expect((await L.reader('GET', `/groups/${g.json.id}/members?$select=id`)).json.value.map((m: { id: string }) => m.id)).toEqual([L.tenant.objects.user![1]!.id]);
    const uid = L.tenant.objects.user![1]!.id;
    expect((await L.writer('DELETE', `/groups/${g.json.id}/members/${uid}/$ref`)).status).toBe(204);
    expect((await L.reader('GET', `/groups/${g.json.id}/members`)).json.value).toEqual([]);
    const mgr = await L.writer('PUT', `/users/${L.tenant.objects.user![2]!.id}/manager/$ref`, { '@odata.id': users[3] });
    expect(mgr.status).toBe(204);
    expect((await L.reader('GET', `/users/${L.tenant.objects.user![2]!.id}/manager`)).json.id).toBe(L.tenant.objects.user![3]!.id);
  });

  it('validates conditional-access references and soft-deletes policies into CA deleted items, which an application cannot restore', async () => {
    const base = {
      displayName: 'cap',
      state: 'enabledForReportingButNotEnforced',
      conditions: { users: { includeGroups: ['00000000-0000-0000-0000-00000000beef'] }, applications: { includeApplications: ['All'] } },
      grantControls: { operator: 'OR', builtInControls: ['mfa'] },
    };
    const bad = await L.writer('POST', '/identity/conditionalAccess/policies', base);
    expect(bad.status).toBe(400);
    const g = L.tenant.objects.group![0]!;
    const ok = await L.writer('POST', '/identity/conditionalAccess/policies', { ...base, conditions: { ...base.conditions, users: { includeGroups: [g.id] } } });
    expect(ok.status).toBe(201);
    expect((await L.writer('DELETE', `/identity/conditionalAccess/policies/${ok.json.id}`)).status).toBe(204);
    const bin = await L.reader('GET', '/identity/conditionalAccess/deletedItems/policies');
    expect(bin.json.value.map((p: { id: string }) => p.id)).toContain(ok.json.id);
    // no v1.0 restore page; beta's conditionalaccesspolicy-restore lists "Application: Not supported"
    // (https://learn.microsoft.com/graph/api/conditionalaccesspolicy-restore?view=graph-rest-beta, docs/graph-facts.md S392)
    const restore = await L.writer('POST', `/identity/conditionalAccess/deletedItems/policies/${ok.json.id}/restore`);
    expect(restore.status).toBe(403);
    expect(restore.json.error.code).toBe('Authorization_RequestDenied');
    expect((await L.reader('GET', `/identity/conditionalAccess/policies/${ok.json.id}`)).status).toBe(404);
    expect((await L.reader('GET', `/identity/conditionalAccess/deletedItems/policies/${ok.json.id}`)).status).toBe(200);
  });

  it('rejects cloud changes to on-premises mastered attributes of synced users', async () => {
    const synced = L.tenant.objects.user!.find((u) => u.onPremisesSyncEnabled === true)!;
    const r = await L.writer('PATCH', `/users/${synced.id}`, { displayName: 'changed' });
    expect(r.status).toBe(400);
    expect(r.json.error.message).toContain('Unable to update the specified properties for on-premises mastered Directory Sync objects');
    expect((await L.writer('PATCH', `/users/${synced.id}`, { usageLocation: 'AT' })).status).toBe(204);
  });

  it('assigns app roles only when the role exists on the resource service principal', async () => {
    const graphSp = L.tenant.objects.servicePrincipal!.find((s) => s.appId === '00000003-0000-0000-c000-000000000000')!;
    const u = L.tenant.objects.user![6]!;
    const bad = await L.writer('POST', `/servicePrincipals/${graphSp.id}/appRoleAssignedTo`, {
      principalId: u.id, resourceId: graphSp.id, appRoleId: '11111111-1111-1111-1111-111111111111',
    });
    expect(bad.status).toBe(400);
    const ok = await L.writer('POST', `/users/${u.id}/appRoleAssignments`, {
      principalId: u.id, resourceId: graphSp.id, appRoleId: '00000000-0000-0000-0000-000000000000',
    });
    expect(ok.status).toBe(201);
    expect(ok.json.principalType).toBe('User');
    const list = await L.reader('GET', `/users/${u.id}/appRoleAssignments`);
    expect(list.json.value.map((a: { id: string }) => a.id)).toContain(ok.json.id);
  });

  it('maintains dynamic group membership from the rule and refuses manual changes', async () => {
    const g = await L.writer('POST', '/groups', {
      displayName: 'dyn', mailEnabled: false, mailNickname: 'dyn', securityEnabled: true,
      groupTypes: ['DynamicMembership'], membershipRule: '(user.department -eq "Drills")', membershipRuleProcessingState: 'On',
    });
    expect(g.status).toBe(201);
    expect((await L.reader('GET', `/groups/${g.json.id}/members`)).json.value).toEqual([]);
    const u = L.tenant.objects.user!.find((x) => !x.onPremisesSyncEnabled && x.department !== 'Drills')!;
    expect((await L.writer('PATCH', `/users/${u.id}`, { department: 'Drills' })).status).toBe(204);
    expect((await L.reader('GET', `/groups/${g.json.id}/members`)).json.value.map((x: { id: string }) => x.id)).toEqual([u.id]);
    const manual = await L.writer('POST', `/groups/${g.json.id}/members/$ref`, { '@odata.id': `${L.emu.graphBaseUrl}/directoryObjects/${L.tenant.objects.user![0]!.id}` });
    expect(manual.status).toBe(400);
    const badRule = await L.writer('POST', '/groups', {
      displayName: 'dyn2', mailEnabled: false, mailNickname: 'dyn2', securityEnabled: true, groupTypes: ['DynamicMembership'], membershipRule: 'user.department equals x',
    });
    expect(badRule.status).toBe(400);
  });

  it('creates PIM eligibility through a schedule request', async () => {
    const u = L.tenant.objects.user![7]!;
    const r = await L.writer('POST', '/roleManagement/directory/roleEligibilityScheduleRequests', {
      action: 'adminAssign', principalId: u.id, roleDefinitionId: GLOBAL_ADMIN_TEMPLATE_ID, directoryScopeId: '/', justification: 'drill',
      scheduleInfo: { startDateTime: '2026-06-01T00:00:00Z', expiration: { type: 'noExpiration' } },
    });
    expect(r.status).toBe(201);
    const list = await L.reader('GET', `/roleManagement/directory/roleEligibilitySchedules?$filter=principalId eq '${u.id}'`);
    expect(list.json.value.length).toBe(1);
    expect(list.json.value[0].id).toBe(r.json.targetScheduleId);
  });

  it('a restored user comes back with memberships and role assignments', async () => {
    const u = await L.writer('POST', '/users', newUser(L, 'roundtrip'));
    const g = L.tenant.objects.group!.find((x) => !x.onPremisesSyncEnabled && !(x.groupTypes as string[]).includes('DynamicMembership'))!;
    expect((await L.writer('POST', `/groups/${g.id}/members/$ref`, { '@odata.id': `${L.emu.graphBaseUrl}/directoryObjects/${u.json.id}` })).status).toBe(204);
    const ra = await L.writer('POST', '/roleManagement/directory/roleAssignments', {
      principalId: u.json.id, roleDefinitionId: '729827e3-9c14-49f7-bb1b-9608f156bbb8', directoryScopeId: '/',
    });
    expect(ra.status).toBe(201);
    expect((await L.writer('DELETE', `/users/${u.json.id}`)).status).toBe(204);
    const hidden = await L.reader('GET', `/roleManagement/directory/roleAssignments?$filter=principalId eq '${u.json.id}'`);
    expect(hidden.json.value).toEqual([]);
    expect((await L.writer('POST', `/directory/deletedItems/${u.json.id}/restore`)).status).toBe(200);
    const back = await L.reader('GET', `/roleManagement/directory/roleAssignments?$filter=principalId eq '${u.json.id}'`);
    expect(back.json.value.map((x: { id: string }) => x.id)).toEqual([ra.json.id]);
    const mo = await L.reader('GET', `/users/${u.json.id}/memberOf`);
    expect(mo.json.value.map((x: { id: string }) => x.id)).toContain(g.id);
  });
});

describe('the last Global Administrator', () => {
  it('cannot be deleted, nor can its role assignment', async () => {
    const t = emptyTenant({ seed: 3 });
    const L = await lab(t);
    try {
      const admin = t.objects.user![0]!;
      const del = await L.writer('DELETE', `/users/${admin.id}`);
      expect(del.status).toBe(400);
      errorCode(del);
      const ra = t.objects.roleAssignment!.find((a) => a.principalId === admin.id)!;
      expect((await L.writer('DELETE', `/roleManagement/directory/roleAssignments/${ra.id}`)).status).toBe(400);
      // a second GA makes the first deletable: the app-only break-glass path (docs/graph-facts.md §7)
      const u = await L.writer('POST', '/users', {
        accountEnabled: true, displayName: 'GA2', mailNickname: 'ga2', userPrincipalName: `ga2@${t.initialDomain}`,
        passwordProfile: { password: 'Xy!12345678abc' },
      });
      const ga = await L.writer('POST', '/roleManagement/directory/roleAssignments', {
        principalId: u.json.id, roleDefinitionId: GLOBAL_ADMIN_TEMPLATE_ID, directoryScopeId: '/',
      });
      expect(ga.status).toBe(201);
      expect((await L.writer('DELETE', `/users/${admin.id}`)).status).toBe(204);
    } finally {
      await L.emu.close();
    }
  });
});
