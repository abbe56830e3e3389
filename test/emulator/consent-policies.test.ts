/**
 * App management and consent governance in the emulator (issue 15 items 3 and 4), each
 * behaviour with its Graph page (docs/graph-facts.md §3 "App management and consent governance"):
 * - https://learn.microsoft.com/graph/api/appmanagementpolicy-post (displayName and description required)
 * - https://learn.microsoft.com/graph/api/appmanagementpolicy-post-appliesto (one policy per app, `$ref` by the policy's URL)
 * - https://learn.microsoft.com/graph/api/tenantappmanagementpolicy-update (PATCH of the tenant default)
 * - https://learn.microsoft.com/graph/api/permissiongrantpolicy-post-permissiongrantpolicies (client-chosen id)
 * - https://learn.microsoft.com/graph/api/permissiongrantpolicy-post-includes and -post-excludes
 * - https://learn.microsoft.com/graph/api/permissiongrantpolicy-get (includes and excludes come with the policy)
 * - https://learn.microsoft.com/graph/api/resources/permissiongrantconditionset (defaults, delegatedUserConsentable only in built-ins)
 * - https://learn.microsoft.com/entra/identity/enterprise-apps/manage-app-consent-policies (built-ins in every tenant, not editable)
 * - https://learn.microsoft.com/graph/api/serviceprincipal-post-delegatedpermissionclassifications (classification low, the SP's scope)
 * - https://learn.microsoft.com/graph/api/adminconsentrequestpolicy-update (PUT, the five properties required)
 * - https://learn.microsoft.com/entra/identity/enterprise-apps/configure-user-consent (the default user role names a policy by id)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyTenant } from '../../src/emulator/seed/index.js';
import { MICROSOFT_GRAPH_APP_ID } from '../../src/catalog/permissions.js';
import { lab, type Lab } from './helpers.js';

describe('emulator: app management and consent governance', () => {
  let L: Lab;
  beforeAll(async () => {
    L = await lab(emptyTenant({ seed: 94 }));
  });
  afterAll(async () => {
    await L.emu.close();
  });

  it('every tenant has the built-in consent policies, which cannot be edited or deleted', async () => {
    const list = await L.writer('GET', '/policies/permissionGrantPolicies');
    expect(list.status).toBe(200);
    const ids = (list.json.value as { id: string }[]).map((p) => p.id);
    expect(ids).toEqual(expect.arrayContaining(['microsoft-user-default-low', 'microsoft-user-default-legacy', 'microsoft-company-admin', 'microsoft-all-application-permissions']));
    expect((await L.writer('GET', '/policies/permissionGrantPolicies/microsoft-user-default-low/includes')).json.value).toHaveLength(1);
    expect((await L.writer('PATCH', '/policies/permissionGrantPolicies/microsoft-user-default-low', { description: 'x' })).status).toBe(400);
    expect((await L.writer('DELETE', '/policies/permissionGrantPolicies/microsoft-company-admin')).status).toBe(400);
    expect((await L.writer('POST', '/policies/permissionGrantPolicies/microsoft-company-admin/includes', { permissionType: 'delegated' })).status).toBe(400);
  });

  it('creates a custom consent policy with the id given, then its condition sets with their defaults', async () => {
    const p = await L.writer('POST', '/policies/permissionGrantPolicies', { id: 'my-custom-consent-policy', displayName: 'Custom application consent policy', description: 'A custom permission grant policy.' });
    expect(p.status).toBe(201);
    expect(p.json.id).toBe('my-custom-consent-policy');
    const inc = await L.writer('POST', '/policies/permissionGrantPolicies/my-custom-consent-policy/includes', { permissionType: 'delegated', clientApplicationsFromVerifiedPublisherOnly: true });
    expect(inc.status).toBe(201);
    expect(inc.json).toMatchObject({ permissionType: 'delegated', permissions: ['all'], resourceApplication: 'any', clientApplicationIds: ['all'], permissionClassification: 'all' });
    const exc = await L.writer('POST', '/policies/permissionGrantPolicies/my-custom-consent-policy/excludes', { permissionType: 'delegated', resourceApplication: MICROSOFT_GRAPH_APP_ID });
    expect(exc.status).toBe(201);
    // the policy comes with its condition sets (https://learn.microsoft.com/graph/api/permissiongrantpolicy-get), not with a $select
    const got = await L.writer('GET', '/policies/permissionGrantPolicies/my-custom-consent-policy');
    expect(got.json.includes.map((c: { id: string }) => c.id)).toEqual([inc.json.id]);
    expect(got.json.excludes.map((c: { id: string }) => c.id)).toEqual([exc.json.id]);
    expect((await L.writer('GET', '/policies/permissionGrantPolicies/my-custom-consent-policy?$select=id,displayName')).json.includes).toBeUndefined();
    // delegatedUserConsentable is for built-in policies only; condition sets have no Update
    expect((await L.writer('POST', '/policies/permissionGrantPolicies/my-custom-consent-policy/includes', { permissionType: 'delegatedUserConsentable' })).status).toBe(400);
    expect((await L.writer('PATCH', `/policies/permissionGrantPolicies/my-custom-consent-policy/includes/${String(inc.json.id)}`, { permissionClassification: 'low' })).status).toBe(405);
    // the default user role may name it once it exists, and never a policy that does not
    const auth = (v: string): Promise<{ status: number }> => L.writer('PATCH', '/policies/authorizationPolicy', { defaultUserRolePermissions: { permissionGrantPoliciesAssigned: [v] } });
    expect((await auth('ManagePermissionGrantsForSelf.no-such-policy')).status).toBe(400);
    expect((await auth('ManagePermissionGrantsForSelf.my-custom-consent-policy')).status).toBe(204);
  });

  it('creates an app management policy, assigns it once to an app, and patches the tenant default', async () => {
    expect((await L.writer('POST', '/policies/appManagementPolicies', { displayName: 'No description' })).status).toBe(400);
    const p = await L.writer('POST', '/policies/appManagementPolicies', {
      displayName: 'Credential management policy', description: 'Cred policy sample', isEnabled: true,
      restrictions: { passwordCredentials: [{ restrictionType: 'passwordAddition', state: 'enabled', maxLifetime: null, restrictForAppsCreatedAfterDateTime: '2019-10-19T10:37:00Z' }] },
    });
    expect(p.status).toBe(201);
    const q = await L.writer('POST', '/policies/appManagementPolicies', { displayName: 'Second', description: 'another' });
    const app = await L.writer('POST', '/applications', { displayName: 'Policy target' });
    const ref = (id: string) => ({ '@odata.id': `https://graph.microsoft.com/v1.0/policies/appManagementPolicies/${id}` });
    expect((await L.writer('POST', `/applications/${String(app.json.id)}/appManagementPolicies/$ref`, ref(String(p.json.id)))).status).toBe(204);
    expect((await L.writer('POST', `/applications/${String(app.json.id)}/appManagementPolicies/$ref`, ref(String(q.json.id)))).status).toBe(400);
    expect((await L.writer('GET', `/applications/${String(app.json.id)}/appManagementPolicies`)).json.value.map((x: { id: string }) => x.id)).toEqual([p.json.id]);
    // and from the policy's side (https://learn.microsoft.com/graph/api/appmanagementpolicy-list-appliesto)
    expect((await L.writer('GET', `/policies/appManagementPolicies/${String(p.json.id)}/appliesTo`)).json.value.map((x: { id: string }) => x.id)).toEqual([app.json.id]);
    expect((await L.writer('GET', '/policies/defaultAppManagementPolicy')).json.isEnabled).toBe(false);
    expect((await L.writer('PATCH', '/policies/defaultAppManagementPolicy', { isEnabled: true })).status).toBe(204);
    expect((await L.writer('GET', '/policies/defaultAppManagementPolicy')).json.isEnabled).toBe(true);
  });

  it('classifies a delegated permission of a service principal as low, and nothing else', async () => {
    const graph = (await L.writer('GET', `/servicePrincipals(appId='${MICROSOFT_GRAPH_APP_ID}')`)).json as { id: string; oauth2PermissionScopes: { id: string; value: string }[] };
    const scope = graph.oauth2PermissionScopes.find((s) => s.value === 'User.Read')!;
    const path = `/servicePrincipals/${graph.id}/delegatedPermissionClassifications`;
    expect((await L.writer('POST', path, { classification: 'high', permissionId: scope.id, permissionName: 'User.Read' })).status).toBe(400);
    expect((await L.writer('POST', path, { classification: 'low', permissionId: '00000000-0000-0000-0000-00000000abcd', permissionName: 'Nope' })).status).toBe(400);
    const ok = await L.writer('POST', path, { classification: 'low', permissionId: scope.id, permissionName: 'User.Read' });
    expect(ok.status).toBe(201);
    expect((await L.writer('GET', path)).json.value).toEqual([expect.objectContaining({ classification: 'low', permissionId: scope.id, permissionName: 'User.Read' })]);
  });

  it('writes the admin consent request policy with PUT only, all five properties given', async () => {
    const before = (await L.writer('GET', '/policies/adminConsentRequestPolicy')).json as { isEnabled: boolean; version: number };
    expect(before.isEnabled).toBe(false);
    const body = { isEnabled: true, notifyReviewers: true, remindersEnabled: true, requestDurationInDays: 5, reviewers: [{ query: `/users/${L.tenant.objects.user![0]!.id}`, queryType: 'MicrosoftGraph' }] };
    expect((await L.writer('PATCH', '/policies/adminConsentRequestPolicy', body)).status).toBe(405);
    expect((await L.writer('PUT', '/policies/adminConsentRequestPolicy', { isEnabled: true })).status).toBe(400);
    expect((await L.writer('PUT', '/policies/adminConsentRequestPolicy', body)).status).toBe(204);
    const after = (await L.writer('GET', '/policies/adminConsentRequestPolicy')).json as { isEnabled: boolean; version: number; reviewers: unknown[] };
    expect(after).toMatchObject({ isEnabled: true, requestDurationInDays: 5, version: before.version + 1 });
    expect(after.reviewers).toHaveLength(1);
  });
});
