/**
 * Issue 14 item 2: every new tenant, seeded or `--empty`, holds what a real tenant is born
 * with. Sources (each test names its page):
 * - all built-in role definitions, id = template id, with their permissions:
 *   https://learn.microsoft.com/entra/identity/role-based-access-control/permissions-reference
 * - directory roles activated from a template, their members and templates:
 *   https://learn.microsoft.com/graph/api/directoryrole-post-directoryroles,
 *   https://learn.microsoft.com/graph/api/directoryrole-post-members,
 *   https://learn.microsoft.com/graph/api/directoryrole-delete-member,
 *   https://learn.microsoft.com/graph/api/directoryroletemplate-list
 * - Microsoft's first-party service principals and Microsoft Graph's permission ids:
 *   https://learn.microsoft.com/troubleshoot/entra/entra-id/governance/verify-first-party-apps-sign-in,
 *   https://learn.microsoft.com/graph/permissions-reference
 * - subscriptions and licences: https://learn.microsoft.com/graph/api/subscribedsku-list,
 *   https://learn.microsoft.com/graph/api/user-list-licensedetails,
 *   https://learn.microsoft.com/graph/api/user-assignlicense,
 *   https://learn.microsoft.com/entra/identity/users/licensing-service-plan-reference
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_OUT, generate, INPUTS, VENDOR_DIR } from '../../scripts/gen-builtins.js';
import { emptyTenant, seedTenant } from '../../src/emulator/seed/index.js';
import { errorCode, lab, type Client, type Lab } from './helpers.js';

const SECURITY_READER = '5d6b6bb7-de71-4623-b4af-96380a352509';
const EXCHANGE_ADMIN = '29232cdf-9323-42fd-ade2-1d097af3e4de';
const GLOBAL_ADMIN = '62e90394-69f5-4237-9190-012177145e10';
const EXCHANGE_ONLINE = '00000002-0000-0ff1-ce00-000000000000';
const SHAREPOINT_ONLINE = '00000003-0000-0ff1-ce00-000000000000';
const AAD_GRAPH = '00000002-0000-0000-c000-000000000000';
const MS_GRAPH = '00000003-0000-0000-c000-000000000000';
const MICROSOFT_SERVICES = 'f8cdef31-a31e-4b4a-93e4-5f571e91255a';
const ENTRA_P1 = '078d2b04-f1bd-4111-bbd4-b4b1b354cef4';
const ENTRA_P2 = '84a661c4-e949-4bd2-a560-ed7766fcaf2b';
const MFA_PREMIUM_PLAN = '8a256a2b-b617-496d-b51b-e76466e88db0';

async function all(c: Client, path: string): Promise<Array<Record<string, unknown>>> {
  const out: Array<Record<string, unknown>> = [];
  let next: string | undefined = path;
  while (next) {
    const r = await c('GET', next);
    expect(r.status, r.text).toBe(200);
    out.push(...r.json.value);
    next = r.json['@odata.nextLink'];
  }
  return out;
}

let seeded: Lab;
let empty: Lab;
beforeAll(async () => {
  seeded = await lab(seedTenant({ seed: 1402, users: 12 }));
  empty = await lab(emptyTenant({ seed: 1403 }));
});
afterAll(async () => {
  await seeded.emu.close();
  await empty.emu.close();
});

describe('built-in role definitions (Microsoft Entra built-in roles, permissions-reference)', () => {
  it('every tenant, seeded or empty, holds all of them with id = templateId and their permissions', async () => {
    for (const L of [seeded, empty]) {
      const defs = (await all(L.reader, '/roleManagement/directory/roleDefinitions')).filter((d) => d.isBuiltIn === true);
      // 123 roles of the page's "All roles" table + User, Guest User, Restricted Guest User
      expect(defs.length).toBe(126);
      for (const d of defs) expect(d.id).toBe(d.templateId);
      const byId = new Map(defs.map((d) => [d.id as string, d]));
      expect(byId.get(SECURITY_READER)?.displayName).toBe('Security Reader');
      expect(byId.get(EXCHANGE_ADMIN)?.displayName).toBe('Exchange Administrator');
      expect(byId.get(GLOBAL_ADMIN)?.displayName).toBe('Global Administrator');
    }
    const sr = await seeded.reader('GET', `/roleManagement/directory/roleDefinitions/${SECURITY_READER}`);
    expect(sr.status).toBe(200);
    expect(sr.json.rolePermissions[0].allowedResourceActions).toContain('microsoft.directory/signInReports/allProperties/read');
    const ex = await empty.reader('GET', `/roleManagement/directory/roleDefinitions/${EXCHANGE_ADMIN}`);
    expect(ex.json.rolePermissions[0].allowedResourceActions).toContain('microsoft.office365.exchange/allEntities/basic/allTasks');
    expect(ex.json.description).toBe('Can manage all aspects of the Exchange product.');
    const ga = await empty.reader('GET', `/roleManagement/directory/roleDefinitions/${GLOBAL_ADMIN}`);
    expect(ga.json.rolePermissions[0].allowedResourceActions).toContain('microsoft.directory/users/allProperties/allTasks');
  });

  it('scripts/gen-builtins.ts reproduces the committed module from the vendored inputs, whose sha256 SOURCE.md states', () => {
    expect(generate()).toBe(readFileSync(DEFAULT_OUT, 'utf8'));
    const source = readFileSync(`${VENDOR_DIR}/SOURCE.md`, 'utf8');
    for (const f of INPUTS) expect(source).toContain(createHash('sha256').update(readFileSync(`${VENDOR_DIR}/${f}`)).digest('hex'));
    expect(readFileSync(`${VENDOR_DIR}/LICENSE`, 'utf8')).toContain('CC BY 4.0');
  });

  it('accepts the documented Conditional Access bodies naming Exchange Online and roles outside the old 11 (conditionalaccessroot-post-policies)', async () => {
    // Example 1 "Require MFA to access Exchange Online outside of trusted locations", with a
    // group of this tenant in place of the page's placeholder group id.
    const group = seeded.tenant.objects.group![0]!.id;
    const ex1 = await seeded.writer('POST', '/identity/conditionalAccess/policies', {
      displayName: 'Access to EXO requires MFA', state: 'enabled',
      conditions: {
        clientAppTypes: ['mobileAppsAndDesktopClients', 'browser'],
        applications: { includeApplications: [EXCHANGE_ONLINE] },
        users: { includeGroups: [group] },
        locations: { includeLocations: ['All'], excludeLocations: ['AllTrusted'] },
      },
      grantControls: { operator: 'OR', builtInControls: ['mfa'] },
    });
    expect(ex1.status, ex1.text).toBe(201);
    // Example 3's role conditions (Application Developer, Authentication Administrator,
    // Billing Administrator were refused before), plus Security Reader and Exchange Administrator.
    const ex3 = await empty.writer('POST', '/identity/conditionalAccess/policies', {
      displayName: 'Demo app for documentation', state: 'disabled',
      conditions: {
        clientAppTypes: ['mobileAppsAndDesktopClients', 'exchangeActiveSync', 'other'],
        applications: { includeApplications: ['All'] },
        users: {
          includeRoles: ['9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3', 'cf1c38e5-3621-4004-a7cb-879624dced7c', 'c4e39bd9-1100-46d3-8c65-fb160da0071f', SECURITY_READER, EXCHANGE_ADMIN],
          excludeRoles: ['b0f54661-2d74-4c50-afa3-1ec803f12efe'],
        },
      },
      grantControls: { operator: 'OR', builtInControls: ['mfa'] },
    });
    expect(ex3.status, ex3.text).toBe(201);
    const bad = await empty.writer('POST', '/identity/conditionalAccess/policies', {
      displayName: 'x', state: 'disabled',
      conditions: { clientAppTypes: ['all'], applications: { includeApplications: ['All'] }, users: { includeRoles: ['00000000-1111-2222-3333-444444444444'] } },
      grantControls: { operator: 'OR', builtInControls: ['mfa'] },
    });
    expect(bad.status).toBe(400);
  });
});

describe('directory roles (directoryrole-post-directoryroles, -post-members, -delete-member, directoryroletemplate-list)', () => {
  it('a new tenant lists only activated roles; any built-in template activates once; the alternate key finds it', async () => {
    const before = await all(empty.reader, '/directoryRoles');
    expect(before.map((r) => r.roleTemplateId)).toContain(GLOBAL_ADMIN);
    expect(before.map((r) => r.roleTemplateId)).not.toContain(SECURITY_READER);
    expect(before.length).toBeLessThan(10);
    const act = await empty.writer('POST', '/directoryRoles', { roleTemplateId: SECURITY_READER });
    expect(act.status, act.text).toBe(201);
    expect(act.json).toMatchObject({ roleTemplateId: SECURITY_READER, displayName: 'Security Reader' });
    expect(act.json.id).not.toBe(SECURITY_READER);
    expect((await empty.writer('POST', '/directoryRoles', { roleTemplateId: SECURITY_READER })).status).toBe(400);
    expect((await empty.writer('POST', '/directoryRoles', { roleTemplateId: '11111111-2222-3333-4444-555555555555' })).status).toBe(400);
    const byKey = await empty.reader('GET', `/directoryRoles(roleTemplateId='${SECURITY_READER}')`);
    expect(byKey.status, byKey.text).toBe(200);
    expect(byKey.json.id).toBe(act.json.id);
    expect((await empty.reader('GET', `/directoryRoles(roleTemplateId='${EXCHANGE_ADMIN}')`)).status).toBe(404);
  });

  it('members are added and removed by $ref, as tenant-wide role assignments', async () => {
    const role = await empty.writer('POST', '/directoryRoles', { roleTemplateId: EXCHANGE_ADMIN });
    expect(role.status).toBe(201);
    const user = empty.tenant.objects.user![0]!.id;
    const add = await empty.writer('POST', `/directoryRoles/${role.json.id}/members/$ref`, { '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${user}` });
    expect(add.status, add.text).toBe(204);
    const members = await empty.reader('GET', `/directoryRoles/${role.json.id}/members`);
    expect(members.json.value.map((m: { id: string }) => m.id)).toEqual([user]);
    expect(members.json.value[0]['@odata.type']).toBe('#microsoft.graph.user');
    const assignments = await all(empty.reader, `/roleManagement/directory/roleAssignments?$filter=principalId eq '${user}'`);
    expect(assignments.some((a) => a.roleDefinitionId === EXCHANGE_ADMIN && a.directoryScopeId === '/')).toBe(true);
    const again = await empty.writer('POST', `/directoryRoles/${role.json.id}/members/$ref`, { '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${user}` });
    expect(again.status).toBe(400);
    expect(errorCode(again)).toBe('Request_BadRequest');
    const del = await empty.writer('DELETE', `/directoryRoles/${role.json.id}/members/${user}/$ref`);
    expect(del.status, del.text).toBe(204);
    expect((await empty.reader('GET', `/directoryRoles/${role.json.id}/members`)).json.value).toEqual([]);
    expect((await empty.writer('DELETE', `/directoryRoles/${role.json.id}/members/${user}/$ref`)).status).toBe(404);
  });

  it('lists every built-in role template, activated or not', async () => {
    const t = await all(empty.reader, '/directoryRoleTemplates');
    expect(t.length).toBe(126);
    const one = await empty.reader('GET', `/directoryRoleTemplates/${SECURITY_READER}`);
    expect(one.status).toBe(200);
    expect(one.json).toMatchObject({ '@odata.type': '#microsoft.graph.directoryRoleTemplate', id: SECURITY_READER, displayName: 'Security Reader' });
  });
});

describe("Microsoft's first-party service principals (verify-first-party-apps-sign-in, permissions-reference)", () => {
  it('every tenant holds Exchange Online, SharePoint Online, Windows Azure Active Directory and Microsoft Graph, owned by Microsoft Services', async () => {
    const want: Array<[string, string]> = [[EXCHANGE_ONLINE, 'Office 365 Exchange Online'], [SHAREPOINT_ONLINE, 'Office 365 SharePoint Online'], [AAD_GRAPH, 'Windows Azure Active Directory'], [MS_GRAPH, 'Microsoft Graph']];
    for (const L of [seeded, empty]) {
      for (const [appId, name] of want) {
        const r = await L.reader('GET', `/servicePrincipals?$filter=appId eq '${appId}'`);
        expect(r.status).toBe(200);
        expect(r.json.value).toHaveLength(1);
        expect(r.json.value[0]).toMatchObject({ appId, displayName: name, appOwnerOrganizationId: MICROSOFT_SERVICES, servicePrincipalType: 'Application' });
      }
    }
  });

  it("Microsoft Graph's service principal carries all its app roles and delegated scopes with their real ids", async () => {
    const r = await empty.reader('GET', `/servicePrincipals(appId='${MS_GRAPH}')?$select=appRoles,oauth2PermissionScopes`);
    expect(r.status).toBe(200);
    const roles = r.json.appRoles as Array<{ id: string; value: string; allowedMemberTypes: string[] }>;
    const scopes = r.json.oauth2PermissionScopes as Array<{ id: string; value: string; type: string }>;
    expect(roles.length).toBeGreaterThan(500);
    expect(scopes.length).toBeGreaterThan(500);
    expect(roles.find((x) => x.value === 'User.Read.All')).toMatchObject({ id: 'df021288-bdef-4463-88db-98f22de89214', allowedMemberTypes: ['Application'] });
    expect(roles.find((x) => x.value === 'Mail.Read')?.id).toBe('810c84a8-4a9e-49e6-bf7d-12d183f40d01');
    expect(scopes.find((x) => x.value === 'User.Read')).toMatchObject({ id: 'e1fe6dd8-ba31-4d61-89e7-88639da4683d', type: 'User' });
    expect(scopes.find((x) => x.value === 'Directory.ReadWrite.All')?.type).toBe('Admin');
  });

  it('a first-party service principal is instantiated from its appId alone, once (serviceprincipal-post-serviceprincipals)', async () => {
    expect((await empty.writer('POST', '/servicePrincipals', { appId: EXCHANGE_ONLINE })).status).toBe(409);
    const skype = await empty.reader('GET', `/servicePrincipals(appId='00000004-0000-0ff1-ce00-000000000000')`);
    expect((await empty.writer('DELETE', `/servicePrincipals/${skype.json.id}`)).status).toBe(204);
    const again = await empty.writer('POST', '/servicePrincipals', { appId: '00000004-0000-0ff1-ce00-000000000000' });
    expect(again.status, again.text).toBe(201);
    expect(again.json).toMatchObject({ displayName: 'Skype for Business Online', appOwnerOrganizationId: MICROSOFT_SERVICES });
    // an appId that is neither the tenant's nor Microsoft's is still refused
    expect((await empty.writer('POST', '/servicePrincipals', { appId: '12345678-1234-1234-1234-123456789012' })).status).toBe(400);
  });
});

describe('subscriptions and licences (subscribedsku-list, user-list-licensedetails, user-assignlicense)', () => {
  it('lists the subscribed SKUs with real skuIds, service plans and the units the users consume; $filter is refused', async () => {
    for (const L of [seeded, empty]) {
      const r = await L.reader('GET', '/subscribedSkus');
      expect(r.status).toBe(200);
      const p1 = r.json.value.find((s: { skuPartNumber: string }) => s.skuPartNumber === 'AAD_PREMIUM');
      expect(p1).toMatchObject({ skuId: ENTRA_P1, id: `${L.tenant.tenantId}_${ENTRA_P1}`, accountId: L.tenant.tenantId, appliesTo: 'User', capabilityStatus: 'Enabled' });
      expect(p1.servicePlans.map((x: { servicePlanName: string }) => x.servicePlanName)).toEqual(['AAD_PREMIUM', 'ADALLOM_S_DISCOVERY', 'EXCHANGE_S_FOUNDATION', 'MFA_PREMIUM']);
      expect(p1.prepaidUnits.enabled).toBeGreaterThan(0);
      const holders = L.tenant.objects.user!.filter((u) => (u.assignedLicenses as Array<{ skuId: string }>).some((l) => l.skuId === ENTRA_P1)).length;
      expect(p1.consumedUnits).toBe(holders);
      const one = await L.reader('GET', `/subscribedSkus/${p1.id}?$select=skuPartNumber`);
      expect(one.json).toMatchObject({ id: p1.id, skuPartNumber: 'AAD_PREMIUM' });
    }
    expect((await seeded.reader('GET', `/subscribedSkus?$filter=skuPartNumber eq 'AAD_PREMIUM'`)).status).toBe(400);
  });

  it('assignLicense needs a usage location, a subscribed SKU and its own plans; licenseDetails follows', async () => {
    const W = seeded.writer;
    const u = seeded.tenant.objects.user!.find((x) => (x.assignedLicenses as unknown[]).length === 0)!;
    expect(u).toBeDefined();
    expect((await W('PATCH', `/users/${u.id}`, { usageLocation: null })).status).toBe(204);
    const add = { addLicenses: [{ skuId: ENTRA_P2, disabledPlans: [MFA_PREMIUM_PLAN] }], removeLicenses: [] };
    const noLocation = await W('POST', `/users/${u.id}/assignLicense`, add);
    expect(noLocation.status).toBe(400);
    expect(noLocation.json.error.message).toBe('License assignment cannot be done for user with invalid usage location.');
    expect((await W('PATCH', `/users/${u.id}`, { usageLocation: 'NL' })).status).toBe(204);
    expect((await W('POST', `/users/${u.id}/assignLicense`, { addLicenses: add.addLicenses })).status).toBe(400);
    expect((await W('POST', `/users/${u.id}/assignLicense`, { addLicenses: [{ skuId: 'c7df2760-2c81-4ef7-b578-5b5392b571df' }], removeLicenses: [] })).status).toBe(400);
    expect((await W('POST', `/users/${u.id}/assignLicense`, { addLicenses: [{ skuId: ENTRA_P1, disabledPlans: ['eec0eb4f-6444-4f95-aba0-50c24d67f998'] }], removeLicenses: [] })).status).toBe(400);
    expect((await seeded.reader('POST', `/users/${u.id}/assignLicense`, add)).status).toBe(403);
    const before = (await seeded.reader('GET', `/subscribedSkus/${seeded.tenant.tenantId}_${ENTRA_P2}`)).json.consumedUnits as number;
    const ok = await W('POST', `/users/${u.id}/assignLicense`, add);
    expect(ok.status, ok.text).toBe(200);
    expect(ok.json.id).toBe(u.id);
    const licences = async () => (await seeded.reader('GET', `/users/${u.id}?$select=assignedLicenses`)).json.assignedLicenses;
    expect(await licences()).toEqual([{ disabledPlans: [MFA_PREMIUM_PLAN], skuId: ENTRA_P2 }]);
    expect((await seeded.reader('GET', `/subscribedSkus/${seeded.tenant.tenantId}_${ENTRA_P2}`)).json.consumedUnits).toBe(before + 1);
    const details = await seeded.reader('GET', `/users/${u.id}/licenseDetails`);
    expect(details.status).toBe(200);
    expect(details.json.value).toHaveLength(1);
    expect(details.json.value[0]).toMatchObject({ skuId: ENTRA_P2, skuPartNumber: 'AAD_PREMIUM_P2' });
    const plans = new Map(details.json.value[0].servicePlans.map((p: { servicePlanId: string; provisioningStatus: string }) => [p.servicePlanId, p.provisioningStatus]));
    expect(plans.get(MFA_PREMIUM_PLAN)).toBe('Disabled');
    expect(plans.get('eec0eb4f-6444-4f95-aba0-50c24d67f998')).toBe('Success');
    expect((await W('POST', `/users/${u.id}/assignLicense`, { addLicenses: [], removeLicenses: [ENTRA_P1] })).status).toBe(400);
    const removed = await W('POST', `/users/${u.id}/assignLicense`, { addLicenses: [], removeLicenses: [ENTRA_P2] });
    expect(removed.status).toBe(200);
    expect(await licences()).toEqual([]);
    expect((await seeded.reader('GET', `/users/${u.id}/licenseDetails`)).json.value).toEqual([]);
  });
});
