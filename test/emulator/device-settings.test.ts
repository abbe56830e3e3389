/**
 * Devices and their tenant settings in the emulator (issue 15 item 10), each behaviour with its
 * Graph page (docs/graph-facts.md §3 "Devices and their settings", S185–S188):
 * - https://learn.microsoft.com/graph/api/device-list (GET /devices, Device.Read.All)
 * - https://learn.microsoft.com/graph/api/device-post-devices (POST /devices: "Application: Not supported")
 * - https://learn.microsoft.com/graph/api/group-post-members (a device may be added as a group member)
 * - https://learn.microsoft.com/graph/api/deviceregistrationpolicy-get and
 *   https://learn.microsoft.com/graph/api/deviceregistrationpolicy-update (PUT with every updatable
 *   property, each Required; 200 with the policy; Policy.ReadWrite.DeviceConfiguration), S186
 * - https://learn.microsoft.com/graph/api/certificatebasedauthconfiguration-post-certificatebasedauthconfiguration
 *   (one instance, fixed id 29728ade-6ae4-4ee9-9103-412912537da5; certificate and isRootAuthority required)
 * - https://learn.microsoft.com/graph/api/certificatebasedauthconfiguration-list (list; no update method in v1.0)
 * The multi-tenant organization (issue 15 item 7) shares the two tenants (S236, S260–S262):
 * - https://learn.microsoft.com/graph/api/multitenantorganization-get (MultiTenantOrganization.Read.All;
 *   https://learn.microsoft.com/graph/api/resources/multitenantorganization: state inactive when none is created)
 * - https://learn.microsoft.com/graph/api/multitenantorganization-list-tenants (active and pending tenants, $select)
 * - https://learn.microsoft.com/graph/api/resources/multitenantorganizationjoinrequestrecord (GET; PATCH joins)
 * - https://learn.microsoft.com/graph/api/multitenantorganization-update (writes need MultiTenantOrganization.ReadWrite.All)
 * The people settings (issue 15 item 10) share them too (docs/graph-facts.md S340):
 * - https://learn.microsoft.com/graph/api/peopleadminsettings-list-pronouns (GET /admin/people/pronouns,
 *   PeopleSettings.Read.All or PeopleSettings.ReadWrite.All; no Directory.* permission named)
 * - https://learn.microsoft.com/graph/api/pronounssettings-update (PATCH, PeopleSettings.ReadWrite.All,
 *   isEnabledInOrganization required, 200 with the object) and
 *   https://learn.microsoft.com/graph/api/resources/pronounssettings (false by default; no id shown)
 * - https://learn.microsoft.com/graph/api/peopleadminsettings-list-iteminsights (GET /admin/people/itemInsights, S263)
 * - https://learn.microsoft.com/graph/api/insightssettings-update (PATCH, 200 with the object; disabledForGroup
 *   is not checked against the directory) and https://learn.microsoft.com/graph/api/resources/insightssettings
 *   (isEnabledInOrganization true by default, disabledForGroup empty), S341
 * - https://learn.microsoft.com/graph/api/peopleadminsettings-list-profilecardproperties (Application
 *   PeopleSettings.Read.All); https://learn.microsoft.com/graph/api/peopleadminsettings-post-profilecardproperties,
 *   https://learn.microsoft.com/graph/api/profilecardproperty-update and
 *   https://learn.microsoft.com/graph/api/profilecardproperty-delete ("Application: Not supported"), S342
 * - https://learn.microsoft.com/graph/profilesource-configure-settings (Entra ID, kind MSEntra, the default source;
 *   sourceId "isn't updateable"), S370; https://learn.microsoft.com/graph/api/peopleadminsettings-list-profilesources,
 *   https://learn.microsoft.com/graph/api/profilesource-update and https://learn.microsoft.com/graph/api/profilesource-delete
 *   (addressed as profileSources(sourceId='…'), PeopleSettings.ReadWrite.All), S371;
 *   https://learn.microsoft.com/graph/api/resources/profilepropertysetting (one nameless setting per collection) and
 *   https://learn.microsoft.com/graph/api/peopleadminsettings-post-profilepropertysettings (POST, 201), S372
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyTenant, seedTenant } from '../../src/emulator/seed/index.js';
import { CBA_CONFIGURATION_ID } from '../../src/catalog/devices.js';
import { client, lab, token, type Lab } from './helpers.js';

describe('emulator: devices, device registration policy, CBA trust store', () => {
  let L: Lab;
  let D: Lab;
  beforeAll(async () => {
    L = await lab(emptyTenant({ seed: 185 }));
    D = await lab(seedTenant({ seed: 186, users: 30 }));
  });
  afterAll(async () => {
    await L.emu.close();
    await D.emu.close();
  });

  it('lists a drill tenant\'s devices, one of them a group member; an app cannot create a device', async () => {
    const devices = (await D.reader('GET', '/devices')).json.value as { id: string; deviceId: string; trustType: string }[];
    expect(devices.length).toBeGreaterThanOrEqual(3);
    expect(devices.every((d) => typeof d.deviceId === 'string' && typeof d.trustType === 'string')).toBe(true);
    const member = D.tenant.relations.groupMembers?.find((e) => e.toType === 'device');
    expect(member).toBeDefined();
    const members = (await D.reader('GET', `/groups/${member!.from}/members`)).json.value as { id: string; '@odata.type': string }[];
    expect(members.find((m) => m.id === member!.to)?.['@odata.type']).toBe('#microsoft.graph.device');
    const r = await D.writer('POST', '/devices', { accountEnabled: true, alternativeSecurityIds: [], deviceId: '4c299165-6e8f-4b45-a5ba-c5d250a707ff', displayName: 'X', operatingSystem: 'Windows', operatingSystemVersion: '10.0' });
    expect(r.status).toBe(403);
  });

  it('reads the device registration policy; a PUT of every updatable property writes it, anything less is refused', async () => {
    const p = await L.reader('GET', '/policies/deviceRegistrationPolicy');
    expect(p.status).toBe(200);
    expect(p.json).toMatchObject({ userDeviceQuota: 50, multiFactorAuthConfiguration: 'notRequired' });
    expect((await L.writer('PATCH', '/policies/deviceRegistrationPolicy', { userDeviceQuota: 20 })).status).toBe(405);
    // one property only: the page marks all five Required (left out, the quota "is automatically reset to 0")
    expect((await L.writer('PUT', '/policies/deviceRegistrationPolicy', { userDeviceQuota: 20 })).status).toBe(400);
    const { id: _id, displayName: _n, description: _d, '@odata.context': _c, ...whole } = p.json as Record<string, unknown>;
    const user = L.tenant.objects.user![0]!;
    const put = { ...whole, userDeviceQuota: 20, azureADRegistration: { isAdminConfigurable: false, allowedToRegister: { '@odata.type': '#microsoft.graph.enumeratedDeviceRegistrationMembership', users: [user.id], groups: [] } } };
    // an unknown user is refused, never stored (the lab's model)
    const bad = await L.writer('PUT', '/policies/deviceRegistrationPolicy', { ...put, azureADRegistration: { isAdminConfigurable: false, allowedToRegister: { '@odata.type': '#microsoft.graph.enumeratedDeviceRegistrationMembership', users: ['00000000-0000-0000-0000-0000000000aa'], groups: [] } } });
    expect(bad.status).toBe(400);
    const r = await L.writer('PUT', '/policies/deviceRegistrationPolicy', put);
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ id: 'deviceRegistrationPolicy', userDeviceQuota: 20 });
    const after = (await L.reader('GET', '/policies/deviceRegistrationPolicy')).json;
    expect(after.userDeviceQuota).toBe(20);
    expect(after.azureADRegistration.allowedToRegister.users).toEqual([user.id]);
    expect(after.displayName).toBe(p.json.displayName);
  });

  it('creates the one CBA configuration with its fixed id, refuses a second, a bad authority and an update', async () => {
    const org = L.tenant.tenantId;
    const path = `/organization/${org}/certificateBasedAuthConfiguration`;
    expect((await L.reader('GET', path)).json.value).toEqual([]);
    expect((await L.writer('POST', path, { certificateAuthorities: [{ certificate: 'MIIB' }] })).status).toBe(400);
    expect((await L.writer('POST', path, { certificateAuthorities: [] })).status).toBe(400);
    const body = { certificateAuthorities: [{ certificate: 'MIIBroot', isRootAuthority: true, issuer: 'CN=Root', issuerSki: 'AA' }] };
    const r = await L.writer('POST', path, body);
    expect(r.status).toBe(201);
    expect(r.json.id).toBe(CBA_CONFIGURATION_ID);
    expect((await L.writer('POST', path, body)).status).toBe(400);
    expect((await L.reader('GET', `${path}/${CBA_CONFIGURATION_ID}`)).json.certificateAuthorities).toEqual(body.certificateAuthorities);
    expect((await L.writer('PATCH', `${path}/${CBA_CONFIGURATION_ID}`, body)).status).toBe(405);
    expect((await L.writer('DELETE', `${path}/${CBA_CONFIGURATION_ID}`)).status).toBe(204);
    expect((await L.reader('GET', path)).json.value).toEqual([]);
  });

  it('serves the multi-tenant organization, its tenants and join request; refuses writes without MultiTenantOrganization.ReadWrite.All', async () => {
    const org = await D.reader('GET', '/tenantRelationships/multiTenantOrganization');
    expect(org.status).toBe(200);
    expect(org.json).toMatchObject({ state: 'active', displayName: expect.any(String), description: expect.any(String) });
    const tenants = (await D.reader('GET', '/tenantRelationships/multiTenantOrganization/tenants?$select=tenantId,role')).json.value as { tenantId: string; role: string; displayName?: string }[];
    expect(tenants.map((t) => t.role).sort()).toEqual(['member', 'member', 'owner']);
    expect(tenants.some((t) => t.tenantId === D.tenant.tenantId)).toBe(true);
    expect(tenants.every((t) => t.displayName === undefined)).toBe(true);
    const owner = tenants.find((t) => t.role === 'owner')!;
    expect((await D.reader('GET', '/tenantRelationships/multiTenantOrganization/joinRequest')).json).toMatchObject({ addedByTenantId: owner.tenantId, memberState: 'active', role: 'member' });
    // a new tenant is in no organization: the singleton answers with state inactive, and no tenants
    expect((await L.reader('GET', '/tenantRelationships/multiTenantOrganization')).json).toMatchObject({ state: 'inactive', displayName: null });
    expect((await L.reader('GET', '/tenantRelationships/multiTenantOrganization/tenants')).json.value).toEqual([]);
    // neither lab app holds MultiTenantOrganization.ReadWrite.All: every write is a 403, nothing changes
    expect((await D.writer('PATCH', '/tenantRelationships/multiTenantOrganization', { displayName: 'X' })).status).toBe(403);
    expect((await L.writer('PATCH', '/tenantRelationships/multiTenantOrganization/joinRequest', { addedByTenantId: owner.tenantId })).status).toBe(403);
    expect((await D.writer('POST', '/tenantRelationships/multiTenantOrganization/tenants', { tenantId: '4c299165-6e8f-4b45-a5ba-c5d250a707ff', displayName: 'X' })).status).toBe(403);
    expect((await D.reader('GET', '/tenantRelationships/multiTenantOrganization')).json.displayName).toBe(org.json.displayName);
  });

  it('serves the pronouns settings (off in a new tenant, on in a drill tenant); PATCH answers 200 with the object; only the writer may patch', async () => {
    const P = '/admin/people/pronouns';
    const fresh = await L.reader('GET', P);
    expect(fresh.status).toBe(200);
    expect(fresh.json).toMatchObject({ isEnabledInOrganization: false });
    expect(fresh.json.id).toBeUndefined();
    expect((await D.reader('GET', P)).json).toMatchObject({ isEnabledInOrganization: true });
    expect((await D.reader('PATCH', P, { isEnabledInOrganization: false })).status).toBe(403);
    expect((await L.writer('PATCH', P, {})).status).toBe(400);
    expect((await L.writer('PATCH', P, { isEnabledInOrganization: 'yes' })).status).toBe(400);
    expect((await L.writer('PATCH', P, { isEnabledInOrganization: true, other: 1 })).status).toBe(400);
    const w = await L.writer('PATCH', P, { isEnabledInOrganization: true });
    expect(w.status).toBe(200);
    expect(w.json).toMatchObject({ isEnabledInOrganization: true });
    expect((await L.reader('GET', P)).json).toMatchObject({ isEnabledInOrganization: true });
    expect((await L.writer('DELETE', P)).status).toBe(405);
    expect((await L.writer('PATCH', P, { isEnabledInOrganization: false })).status).toBe(200);
  });

  it('serves item insights (on for all in a new tenant, off for one group in a drill tenant); PATCH takes any group id and answers 200', async () => {
    const P = '/admin/people/itemInsights';
    const fresh = await L.reader('GET', P);
    expect(fresh.status).toBe(200);
    expect(fresh.json).toMatchObject({ isEnabledInOrganization: true, disabledForGroup: null });
    expect(fresh.json.id).toBeUndefined();
    const drill = (await D.reader('GET', P)).json;
    expect(drill.isEnabledInOrganization).toBe(true);
    expect((await D.reader('GET', `/groups/${String(drill.disabledForGroup)}?$select=id`)).status).toBe(200);
    expect((await D.reader('PATCH', P, { disabledForGroup: null })).status).toBe(403);
    // Graph does not check the group: a made-up id is taken as it is
    const none = '6f1b3c2e-0000-4000-8000-000000000001';
    const w = await L.writer('PATCH', P, { disabledForGroup: none });
    expect(w.status).toBe(200);
    expect(w.json).toMatchObject({ isEnabledInOrganization: true, disabledForGroup: none });
    expect((await L.writer('PATCH', P, { disabledForGroup: 7 })).status).toBe(400);
    expect((await L.writer('PATCH', P, { disabledForGroup: null })).json).toMatchObject({ disabledForGroup: null });
  });

  it('lists a drill tenant\'s profile card properties by directoryPropertyName; an application may not create, update or delete one', async () => {
    const P = '/admin/people/profileCardProperties';
    expect((await L.reader('GET', P)).json.value).toEqual([]);
    const list = (await D.reader('GET', P)).json.value as { directoryPropertyName: string; annotations: { displayName: string; localizations: unknown[] }[] }[];
    expect(list.map((p) => p.directoryPropertyName).sort()).toEqual(['CustomAttribute1', 'Fax']);
    const one = await D.reader('GET', `${P}/CustomAttribute1`);
    expect(one.status).toBe(200);
    expect(one.json.annotations[0]).toMatchObject({ displayName: 'Cost Center', localizations: [{ languageTag: 'de-DE', displayName: 'Kostenstelle' }, { languageTag: 'fr-FR', displayName: 'Centre de coûts' }] });
    const body = { directoryPropertyName: 'CustomAttribute2', annotations: [{ displayName: 'Cost Center', localizations: [] }] };
    expect((await L.writer('POST', P, body)).status).toBe(403);
    expect((await D.writer('PATCH', `${P}/CustomAttribute1`, { annotations: [] })).status).toBe(403);
    expect((await D.writer('DELETE', `${P}/Fax`)).status).toBe(403);
    expect((await L.reader('GET', P)).json.value).toEqual([]);
    expect(((await D.reader('GET', `${P}/CustomAttribute1`)).json.annotations as unknown[]).length).toBe(1);
  });

  it('serves profile sources by sourceId (the MSEntra one in every tenant), refuses a sourceId change, a duplicate sourceId and a second nameless property setting', async () => {
    const S = '/admin/people/profileSources';
    const fresh = (await L.reader('GET', S)).json.value as { id: string; sourceId: string; kind: string }[];
    expect(fresh.map((s) => s.kind)).toEqual(['MSEntra']);
    expect(fresh[0]!.id).toMatch(/^[0-9a-f-]{36}$/);
    const drill = (await D.reader('GET', S)).json.value as { sourceId: string; kind: string }[];
    expect(drill.map((s) => s.kind).sort()).toEqual(['BambooHR', 'MSEntra']);
    expect(drill.find((s) => s.kind === 'MSEntra')!.sourceId).not.toBe(fresh[0]!.sourceId);
    const created = await L.writer('POST', S, { sourceId: 'hr2', kind: 'Workday', displayName: 'HR', webUrl: 'https://hr.example.com', localizations: [] });
    expect(created.status).toBe(201);
    expect(created.json.id).not.toBe('hr2');
    expect((await L.writer('POST', S, { sourceId: 'hr2', kind: 'Workday', displayName: 'HR again' })).status).toBeGreaterThanOrEqual(400);
    const patched = await L.writer('PATCH', `${S}(sourceId='hr2')`, { displayName: 'HR system' });
    expect(patched.status).toBeLessThan(300);
    expect((await L.reader('GET', `${S}(sourceId='hr2')`)).json).toMatchObject({ sourceId: 'hr2', displayName: 'HR system' });
    expect((await L.writer('PATCH', `${S}(sourceId='hr2')`, { sourceId: 'hr3' })).status).toBe(400);
    expect((await L.writer('DELETE', `${S}(sourceId='hr2')`)).status).toBe(204);
    expect((await L.reader('GET', `${S}(sourceId='hr2')`)).status).toBe(404);

    const P = '/admin/people/profilePropertySettings';
    expect((await L.reader('GET', P)).json.value).toEqual([]);
    const url = `https://graph.microsoft.com/v1.0${S}(sourceId='${fresh[0]!.sourceId}')`;
    const first = await L.writer('POST', P, { prioritizedSourceUrls: [url] });
    expect(first.status).toBe(201);
    expect((await L.writer('POST', P, { name: null, prioritizedSourceUrls: [url] })).status).toBe(400);
    const named = await L.writer('POST', P, { name: 'department', displayName: 'Department', prioritizedSourceUrls: [url] });
    expect(named.status).toBe(201);
    expect((await L.writer('PATCH', `${P}/${named.json.id as string}`, { name: null })).status).toBe(400);
    expect((await L.writer('PATCH', `${P}/${first.json.id as string}`, { displayName: 'Precedence' })).status).toBe(200);
    expect((await L.reader('GET', P)).json.value).toHaveLength(2);
  });

  it('opens /admin/people to PeopleSettings.* only: Directory.ReadWrite.All alone is refused (last: it changes the lab app)', async () => {
    const cred = L.tenant.credentials.find((c) => c.role === 'restoreWriter')!;
    const sp = ((await L.writer('GET', `/servicePrincipals?$filter=appId eq '${cred.clientId}'&$select=id`)).json.value as { id: string }[])[0]!;
    const graphSp = ((await L.writer('GET', `/servicePrincipals?$filter=appId eq '00000003-0000-0000-c000-000000000000'&$select=id,appRoles`)).json.value as { id: string; appRoles: { id: string; value: string }[] }[])[0]!;
    const roleId = graphSp.appRoles.find((r) => r.value === 'PeopleSettings.ReadWrite.All')!.id;
    const grants = (await L.writer('GET', `/servicePrincipals/${sp.id}/appRoleAssignments`)).json.value as { id: string; appRoleId: string }[];
    const grant = grants.find((g) => g.appRoleId === roleId)!;
    expect((await L.writer('DELETE', `/servicePrincipals/${sp.id}/appRoleAssignments/${grant.id}`)).status).toBe(204);
    const dirOnly = client(L.emu, await token(L.emu, L.tenant, 'restoreWriter'));
    expect((await dirOnly('GET', '/organization?$select=id')).status).toBe(200);
    expect((await dirOnly('GET', '/admin/people/pronouns')).status).toBe(403);
    expect((await dirOnly('PATCH', '/admin/people/itemInsights', { isEnabledInOrganization: false })).status).toBe(403);
  });
});
