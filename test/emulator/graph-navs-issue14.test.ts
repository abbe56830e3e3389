/**
 * Issue 14: endpoints the documented examples use that the emulator now serves, each block
 * naming the Microsoft Learn page it follows (sources in docs/graph-facts.md S65–S71):
 * directoryRoles delta, DELETE /directoryObjects/{id}, a domain's DNS records and name
 * references, members@delta in a default group delta, `$ref` removal by `$id`, and a service
 * principal that follows its application's roles and scopes.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedTenant } from '../../src/emulator/seed/index.js';
import { errorCode, lab, type Lab } from './helpers.js';

const GLOBAL_ADMIN = '62e90394-69f5-4237-9190-012177145e10';
const cloudUsers = (L: Lab): string[] => L.tenant.objects.user!.filter((u) => !u.onPremisesSyncEnabled).map((u) => u.id);

describe('issue 14: documented navigations and actions', () => {
  let L: Lab;
  beforeAll(async () => {
    L = await lab(seedTenant({ seed: 14, users: 10 }));
  });
  afterAll(async () => {
    await L.emu.close();
  });

  // https://learn.microsoft.com/graph/api/directoryrole-delta
  it('directoryRoles/delta lists the active roles, then only a role whose members changed, with members@delta', async () => {
    const first = await L.writer('GET', '/directoryRoles/delta?$select=displayName,roleTemplateId,members');
    expect(first.status, first.text).toBe(200);
    const ga = (first.json.value as Array<Record<string, unknown>>).find((r) => r.roleTemplateId === GLOBAL_ADMIN)!;
    expect(ga.displayName).toBe('Global Administrator');
    expect(Array.isArray(ga['members@delta'])).toBe(true);
    const again = await L.writer('GET', first.json['@odata.deltaLink'] as string);
    expect(again.json.value).toEqual([]);
    const user = cloudUsers(L)[3]!;
    const add = await L.writer('POST', `/directoryRoles/${ga.id as string}/members/$ref`, { '@odata.id': `${L.emu.graphBaseUrl}/directoryObjects/${user}` });
    expect(add.status, add.text).toBe(204);
    const next = await L.writer('GET', again.json['@odata.deltaLink'] as string);
    expect(next.json.value).toHaveLength(1);
    expect(next.json.value[0].id).toBe(ga.id);
    expect(next.json.value[0]['members@delta']).toEqual([{ id: user }]);
    // and removed again by the `$ref?$id=` form (S70), which the next round reports as removed
    const del = await L.writer('DELETE', `/directoryRoles/${ga.id as string}/members/$ref?$id=${encodeURIComponent(`${L.emu.graphBaseUrl}/directoryObjects/${user}`)}`);
    expect(del.status, del.text).toBe(204);
    const last = await L.writer('GET', next.json['@odata.deltaLink'] as string);
    expect(last.json.value[0]['members@delta']).toEqual([{ id: user, '@removed': { reason: 'deleted' } }]);
    const bad = await L.writer('GET', '/directoryRoles/delta?$select=bogus');
    expect(bad.status).toBe(400);
  });

  // https://learn.microsoft.com/graph/api/directoryobject-delete
  it('DELETE /directoryObjects/{id} deletes a user into the recycle bin; a second delete is a 404', async () => {
    const user = cloudUsers(L)[5]!;
    const del = await L.writer('DELETE', `/directoryObjects/${user}`);
    expect(del.status, del.text).toBe(204);
    expect((await L.writer('GET', `/users/${user}`)).status).toBe(404);
    expect((await L.writer('GET', `/directory/deletedItems/${user}`)).status).toBe(200);
    const again = await L.writer('DELETE', `/directoryObjects/${user}`);
    expect(again.status).toBe(404);
    expect(errorCode(again)).toBe('Request_ResourceNotFound');
    // the read-only credential may read but not delete
    expect((await L.reader('DELETE', `/directoryObjects/${cloudUsers(L)[6]!}`)).status).toBe(403);
  });

  // https://learn.microsoft.com/graph/api/domain-list-verificationdnsrecords,
  // https://learn.microsoft.com/graph/api/domain-list-serviceconfigurationrecords,
  // https://learn.microsoft.com/graph/api/domain-list-domainnamereferences
  it("a domain's verification and service records, and the objects that use its name", async () => {
    const domains = (await L.writer('GET', '/domains')).json.value as Array<{ id: string; isVerified: boolean; isInitial: boolean; authenticationType: string }>;
    // the managed custom domain the lab's users sign in with (drill tenants also federate one, which no user names)
    const custom = domains.find((d) => d.isVerified && !d.isInitial && d.authenticationType === 'Managed')!;
    const unverified = domains.find((d) => !d.isVerified)!;
    const verify = await L.writer('GET', `/domains/${unverified.id}/verificationDnsRecords`);
    expect(verify.status, verify.text).toBe(200);
    const [txt, mx] = verify.json.value as Array<Record<string, unknown>>;
    expect(txt!['@odata.type']).toBe('#microsoft.graph.domainDnsTxtRecord');
    expect(txt!.text).toMatch(/^MS=ms\d{8}$/);
    expect(mx!.mailExchange).toBe(`${String(txt!.text).slice(3)}.msv1.invalid`);
    const services = await L.writer('GET', `/domains/${custom.id}/serviceConfigurationRecords`);
    expect((services.json.value as Array<Record<string, unknown>>).map((r) => r.recordType)).toEqual(['Mx', 'Txt', 'CName']);
    expect(services.json.value[0].mailExchange).toBe(`${custom.id.replace(/\./g, '-')}.mail.protection.outlook.com`);
    expect((await L.writer('GET', `/domains/${unverified.id}/serviceConfigurationRecords`)).json.value).toEqual([]);
    const refs = await L.writer('GET', `/domains/${custom.id}/domainNameReferences?$top=999`);
    const users = (refs.json.value as Array<Record<string, unknown>>).filter((o) => o['@odata.type'] === '#microsoft.graph.user');
    expect(users.length).toBeGreaterThan(0);
    for (const u of users) expect(String(u.userPrincipalName).toLowerCase().endsWith(`@${custom.id}`) || String(u.mail).toLowerCase().endsWith(`@${custom.id}`)).toBe(true);
    expect((await L.writer('POST', `/domains/${custom.id}/verificationDnsRecords`, {})).status).toBe(400);
  });

  // https://learn.microsoft.com/graph/api/domain-delete: "Attempts to delete will fail if there are any
  // resources or objects still dependent on the domain. You can find all dependent resources by using
  // the List domainNameReferences API."
  it('refuses to delete a domain that users still name, and deletes it once none does', async () => {
    const domains = (await L.writer('GET', '/domains')).json.value as Array<Record<string, unknown>>;
    let custom: Record<string, unknown> | undefined;
    for (const d of domains.filter((x) => x.isVerified === true && x.isInitial !== true)) {
      if (((await L.writer('GET', `/domains/${d.id}/domainNameReferences?$top=999`)).json.value as unknown[]).length > 0) custom = d;
    }
    expect(custom).toBeDefined();
    const refused = await L.writer('DELETE', `/domains/${custom!.id}`);
    expect(refused.status).toBe(400);
    expect(refused.json.error.message).toContain('domainNameReferences');
    expect((await L.writer('GET', `/domains/${custom!.id}`)).status).toBe(200);
    // an unverified domain nobody names goes
    const spare = await L.writer('POST', '/domains', { id: 'spare-delete.example' });
    expect(spare.status).toBe(201);
    expect((await L.writer('DELETE', '/domains/spare-delete.example')).status).toBe(204);
  });

  // https://learn.microsoft.com/graph/api/group-delta ("There's no $select parameter, so a default
  // set of properties is tracked and returned", Response 1 with members@delta)
  it('a group delta without $select carries members@delta; a $select without members does not', async () => {
    const all = await L.writer('GET', '/groups/delta');
    const withMembers = (all.json.value as Array<Record<string, unknown>>).filter((g) => Array.isArray(g['members@delta']));
    expect(withMembers).toHaveLength(all.json.value.length);
    expect(withMembers.some((g) => (g['members@delta'] as unknown[]).length > 0)).toBe(true);
    const narrow = await L.writer('GET', '/groups/delta?$select=displayName');
    expect((narrow.json.value as Array<Record<string, unknown>>).some((g) => 'members@delta' in g)).toBe(false);
  });

  // https://learn.microsoft.com/graph/api/group-delete-acceptedsenders shows Graph's `…/$ref?$id={url}` form
  it('removes a member by DELETE …/members/$ref?$id=…; an unknown navigation with $id is an unknown segment', async () => {
    const g = (await L.writer('POST', '/groups', { displayName: 'Ref Id', mailNickname: 'refid', mailEnabled: false, securityEnabled: true })).json.id as string;
    const user = cloudUsers(L)[1]!;
    const url = `${L.emu.graphBaseUrl}/directoryObjects/${user}`;
    expect((await L.writer('POST', `/groups/${g}/members/$ref`, { '@odata.id': url })).status).toBe(204);
    const del = await L.writer('DELETE', `/groups/${g}/members/$ref?$id=${encodeURIComponent(url)}`);
    expect(del.status, del.text).toBe(204);
    expect((await L.writer('GET', `/groups/${g}/members`)).json.value).toEqual([]);
    const senders = await L.writer('DELETE', `/groups/${g}/acceptedSenders/$ref?$id=${encodeURIComponent(url)}`);
    expect(senders.status).toBe(400);
    expect(senders.json.error.message).toBe("Resource not found for the segment 'acceptedSenders'.");
    expect((await L.writer('GET', `/groups/${g}/members?$id=x`)).status).toBe(400);
  });

  // https://learn.microsoft.com/entra/identity-platform/app-objects-and-service-principals
  // ("Consequences of modifying and deleting applications")
  it("a service principal exposes its application's app roles and scopes, and follows their updates", async () => {
    const role = { id: randomUUID(), allowedMemberTypes: ['Application'], description: 'Read reports', displayName: 'Reports.Read', isEnabled: true, value: 'Reports.Read' };
    const scope = { id: randomUUID(), adminConsentDescription: 'Read', adminConsentDisplayName: 'Read', isEnabled: true, type: 'Admin', value: 'reports.read' };
    const app = (await L.writer('POST', '/applications', { displayName: 'Reports API', appRoles: [role], api: { oauth2PermissionScopes: [scope] } })).json;
    const sp = (await L.writer('POST', '/servicePrincipals', { appId: app.appId })).json;
    let read = (await L.writer('GET', `/servicePrincipals/${sp.id as string}?$select=appRoles,oauth2PermissionScopes,appDisplayName`)).json;
    expect(read.appRoles.map((r: { id: string }) => r.id)).toEqual([role.id]);
    expect(read.oauth2PermissionScopes.map((s: { value: string }) => s.value)).toEqual(['reports.read']);
    const role2 = { ...role, id: randomUUID(), displayName: 'Reports.Write', value: 'Reports.Write' };
    const scope2 = { ...scope, id: randomUUID(), value: 'reports.write' };
    const patch = await L.writer('PATCH', `/applications/${app.id as string}`, { displayName: 'Reports API v2', appRoles: [role, role2], api: { oauth2PermissionScopes: [scope, scope2] } });
    expect(patch.status, patch.text).toBe(204);
    read = (await L.writer('GET', `/servicePrincipals/${sp.id as string}?$select=appRoles,oauth2PermissionScopes,appDisplayName`)).json;
    expect(read.appRoles.map((r: { value: string }) => r.value).sort()).toEqual(['Reports.Read', 'Reports.Write']);
    expect(read.oauth2PermissionScopes.map((s: { value: string }) => s.value).sort()).toEqual(['reports.read', 'reports.write']);
    expect(read.appDisplayName).toBe('Reports API v2');
    // the new role can be granted at once, because the SP now exposes it
    const client = L.tenant.objects.servicePrincipal!.find((s) => s.appId !== app.appId)!;
    const grant = await L.writer('POST', `/servicePrincipals/${sp.id as string}/appRoleAssignedTo`, { principalId: client.id, resourceId: sp.id, appRoleId: role2.id });
    expect(grant.status, grant.text).toBe(201);
  });
});
