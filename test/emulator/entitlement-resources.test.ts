/**
 * Catalog resources and access package resource role scopes in the emulator (issue 15 item 8,
 * part 2), each behaviour with its Graph page (docs/graph-facts.md §3 "Entitlement management:
 * resources and resource role scopes", S205–S208):
 * - https://learn.microsoft.com/graph/api/accesspackagecatalog-list-resources (S205: listed under the catalog)
 * - https://learn.microsoft.com/graph/api/entitlementmanagement-post-resourcerequests (S206: adminAdd with
 *   originSystem AadGroup / AadApplication / SharePointOnline, originId the group id, the service
 *   principal id or the site URL; adminRemove by the resource's id)
 * - https://learn.microsoft.com/graph/api/accesspackage-post-resourcerolescopes (S207: the resource "must
 *   already exist in the access package catalog"; a group's role Member_<groupId>; id `<role>_<scope>`)
 * - https://learn.microsoft.com/graph/api/accesspackage-list-resourcerolescopes (S208: role and scope are
 *   navigations, read with $expand)
 * - https://learn.microsoft.com/graph/api/accesspackage-list-resourcerolescopes?view=graph-rest-1.0 (S225: the
 *   documented read is `GET …/accessPackages/{id}?$expand=resourceRoleScopes($expand=role,scope)`, answered with
 *   the package and its `resourceRoleScopes` array)
 * - https://learn.microsoft.com/graph/api/entitlementmanagement-list-accesspackages?view=graph-rest-1.0 (S226: the
 *   list documents $select and $filter only, so the expansion is refused there)
 * - https://learn.microsoft.com/graph/api/entitlementmanagement-post-resourcerequests?view=graph-rest-1.0 example 5
 *   (S247: adminUpdate of a resource already in the catalog, named by origin, with its attributes)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedTenant } from '../../src/emulator/seed/index.js';
import { seededSiteUrl } from '../../src/emulator/seed/entitlement-resources.js';
import { lab, type Lab } from './helpers.js';

const EM = '/identityGovernance/entitlementManagement';
type Row = Record<string, unknown>;

describe('emulator: catalog resources and resource role scopes', () => {
  let L: Lab;
  let catalogId: string;
  let otherCatalogId: string;
  let pkgId: string;
  let groupId: string;
  beforeAll(async () => {
    L = await lab(seedTenant({ seed: 96, users: 12 }));
    groupId = ((await L.writer('GET', '/groups?$top=1&$select=id')).json.value as { id: string }[])[0]!.id;
    catalogId = String((await L.writer('POST', `${EM}/catalogs`, { displayName: 'Engineering' })).json.id);
    otherCatalogId = String((await L.writer('POST', `${EM}/catalogs`, { displayName: 'Elsewhere' })).json.id);
    pkgId = String((await L.writer('POST', `${EM}/accessPackages`, { displayName: 'Builders', catalog: { id: catalogId } })).json.id);
  });
  afterAll(async () => {
    await L.emu.close();
  });

  it('adds a group to a catalog only through an adminAdd resource request (S205, S206)', async () => {
    const add = (resource: Row, catalog = catalogId): Promise<{ status: number; json: Row }> =>
      L.writer('POST', `${EM}/resourceRequests`, { requestType: 'adminAdd', resource, catalog: { id: catalog } });
    expect((await L.writer('POST', `${EM}/catalogs/${catalogId}/resources`, { originId: groupId, originSystem: 'AadGroup' })).status).toBe(405);
    expect((await add({ originId: '00000000-0000-0000-0000-00000000dead', originSystem: 'AadGroup' })).status).toBe(400);
    expect((await add({ originId: groupId, originSystem: 'AadGroup' }, '00000000-0000-0000-0000-00000000beef')).status).toBe(404);
    expect((await add({ originId: 'not-a-url', originSystem: 'SharePointOnline' })).status).toBe(400);
    expect((await L.writer('POST', `${EM}/resourceRequests`, { requestType: 'userAdd', resource: { originId: groupId, originSystem: 'AadGroup' }, catalog: { id: catalogId } })).status).toBe(400);
    const ok = await add({ originId: groupId, originSystem: 'AadGroup' });
    expect(ok.status).toBe(201);
    expect(ok.json).toMatchObject({ requestType: 'adminAdd', state: 'delivered' });
    const list = (await L.writer('GET', `${EM}/catalogs/${catalogId}/resources?$filter=originId eq '${groupId}'`)).json.value as Row[];
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ originId: groupId, originSystem: 'AadGroup' });
    expect(typeof list[0]!.displayName).toBe('string');
  });

  it('adds a group role to a package only when the group is a resource of the package catalog (S207, S208)', async () => {
    const res = ((await L.writer('GET', `${EM}/catalogs/${catalogId}/resources`)).json.value as Row[])[0]!;
    const body = (role: string, resourceId = String(res.id)): Row => ({
      role: { displayName: 'Member', originSystem: 'AadGroup', originId: role, resource: { id: resourceId } },
      scope: { displayName: 'Root', description: 'Root Scope', originId: groupId, originSystem: 'AadGroup', isRootScope: true },
    });
    const post = (b: Row): Promise<{ status: number; json: Row }> => L.writer('POST', `${EM}/accessPackages/${pkgId}/resourceRoleScopes`, b);
    expect((await post(body(`Member_${groupId}`, '00000000-0000-0000-0000-00000000beef'))).status).toBe(400);
    expect((await post(body('Member_00000000-0000-0000-0000-00000000dead'))).status).toBe(400);
    // a resource of another catalog is not the package's
    await L.writer('POST', `${EM}/resourceRequests`, { requestType: 'adminAdd', resource: { originId: groupId, originSystem: 'AadGroup' }, catalog: { id: otherCatalogId } });
    const foreign = ((await L.writer('GET', `${EM}/catalogs/${otherCatalogId}/resources`)).json.value as Row[])[0]!;
    expect((await post(body(`Member_${groupId}`, String(foreign.id)))).status).toBe(400);
    const ok = await post(body(`Member_${groupId}`));
    expect(ok.status).toBe(201);
    expect(String(ok.json.id)).toMatch(/^[0-9a-f-]{36}_[0-9a-f-]{36}$/);
    expect(ok.json.role).toBeUndefined();
    // List, Create and Delete only: no update (S207)
    expect((await L.writer('PATCH', `${EM}/accessPackages/${pkgId}/resourceRoleScopes/${String(ok.json.id)}`, {})).status).toBe(405);
    const plain = (await L.writer('GET', `${EM}/accessPackages/${pkgId}/resourceRoleScopes`)).json.value as Row[];
    expect(plain).toHaveLength(1);
    expect(plain[0]!.role).toBeUndefined();
    const expanded = (await L.writer('GET', `${EM}/accessPackages/${pkgId}/resourceRoleScopes?$expand=role,scope`)).json.value as Row[];
    expect(expanded[0]).toMatchObject({ role: { originId: `Member_${groupId}`, originSystem: 'AadGroup' }, scope: { originId: groupId, isRootScope: true } });
  });

  it('serves the documented read: the package with $expand=resourceRoleScopes($expand=role,scope) (S225, S226)', async () => {
    const get = (q: string): Promise<{ status: number; json: Row }> => L.writer('GET', `${EM}/accessPackages/${pkgId}?${q}`);
    const doc = await get('$expand=resourceRoleScopes($expand=role,scope)');
    expect(doc.status).toBe(200);
    expect(doc.json).toMatchObject({ id: pkgId, displayName: 'Builders', isHidden: false });
    const scopes = doc.json.resourceRoleScopes as Row[];
    expect(scopes).toHaveLength(1);
    expect(String(scopes[0]!.id)).toMatch(/^[0-9a-f-]{36}_[0-9a-f-]{36}$/);
    expect(typeof scopes[0]!.createdDateTime).toBe('string');
    expect(scopes[0]).toMatchObject({
      role: { originId: `Member_${groupId}`, originSystem: 'AadGroup', displayName: 'Member' },
      scope: { originId: groupId, originSystem: 'AadGroup', isRootScope: true, displayName: 'Root' },
    });
    expect(String(scopes[0]!.id)).toBe(`${String((scopes[0]!.role as Row).id)}_${String((scopes[0]!.scope as Row).id)}`);
    // without the nested $expand, no role or scope; nested $select of the role scope's own properties
    const bare = ((await get('$select=id&$expand=resourceRoleScopes($select=id)')).json.resourceRoleScopes as Row[])[0]!;
    expect(bare.role).toBeUndefined();
    expect(bare.createdDateTime).toBeUndefined();
    expect(bare.id).toBe(scopes[0]!.id);
    // anything not documented is refused, never ignored
    expect((await get('$expand=resourceRoleScopes($expand=role/resource)')).status).toBe(400);
    expect((await get('$expand=resourceRoleScopes($top=1)')).status).toBe(400);
    expect((await get('$expand=resourceRoleScopes($select=nope)')).status).toBe(400);
    expect((await L.writer('GET', `${EM}/accessPackages?$expand=resourceRoleScopes($expand=role,scope)`)).status).toBe(400);
  });

  it('removes a catalog resource with adminRemove by its id (S206)', async () => {
    const foreign = ((await L.writer('GET', `${EM}/catalogs/${otherCatalogId}/resources`)).json.value as Row[])[0]!;
    expect((await L.writer('POST', `${EM}/resourceRequests`, { requestType: 'adminRemove', resource: { id: foreign.id }, catalog: { id: otherCatalogId } })).status).toBe(201);
    expect((await L.writer('GET', `${EM}/catalogs/${otherCatalogId}/resources`)).json.value).toEqual([]);
  });

  it('seeds the drill catalogs with a group, an app and a SharePoint site, and the packages with roles on them', async () => {
    const cats = (await L.writer('GET', `${EM}/catalogs`)).json.value as Row[];
    const sales = cats.find((c) => c.displayName === 'Sales resources')!;
    const partners = cats.find((c) => c.displayName === 'Partner onboarding')!;
    const salesRes = (await L.writer('GET', `${EM}/catalogs/${String(sales.id)}/resources`)).json.value as Row[];
    expect(salesRes.map((r) => r.originSystem).sort()).toEqual(['AadApplication', 'AadGroup']);
    const partnerRes = (await L.writer('GET', `${EM}/catalogs/${String(partners.id)}/resources`)).json.value as Row[];
    expect(partnerRes).toMatchObject([{ originSystem: 'SharePointOnline', originId: seededSiteUrl(L.tenant.initialDomain) }]);
  });
  it('adminUpdate writes a catalog resource\'s attributes, each question with an id of its own; malformed ones are refused', async () => {
    const sp = ((await L.writer('GET', '/servicePrincipals?$top=1&$select=id')).json.value as { id: string }[])[0]!.id;
    const req = (requestType: string, attributes?: unknown[]): Promise<{ status: number }> =>
      L.writer('POST', `${EM}/resourceRequests`, { requestType, resource: { originId: sp, originSystem: 'AadApplication', ...(attributes ? { attributes } : {}) }, catalog: { id: catalogId } });
    const attr = {
      destination: { '@odata.type': 'microsoft.graph.accessPackageUserDirectoryAttributeStore' }, name: 'officeLocation',
      source: { '@odata.type': '#microsoft.graph.accessPackageResourceAttributeQuestion', question: { '@odata.type': '#microsoft.graph.accessPackageTextInputQuestion', sequence: 1, isRequired: true, isAnswerEditable: true, text: 'What office do you work at?', isSingleLineQuestion: true, regexPattern: '[a-zA-Z]+[a-zA-Z\\s]*' } },
    };
    // not in the catalog yet: nothing to update
    expect((await req('adminUpdate', [attr])).status).toBe(404);
    expect((await req('adminAdd')).status).toBe(201);
    expect((await req('adminUpdate', [{ ...attr, source: { '@odata.type': '#microsoft.graph.accessPackageResourceAttributeQuestion' } }])).status).toBe(400);
    expect((await req('adminUpdate', [{ ...attr, destination: {} }])).status).toBe(400);
    expect((await req('adminUpdate', [attr])).status).toBe(201);
    const res = ((await L.writer('GET', `${EM}/catalogs/${catalogId}/resources`)).json.value as Row[]).find((x) => x['originId'] === sp)!;
    const got = res['attributes'] as Row[];
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({ name: 'officeLocation', destination: attr.destination, source: { '@odata.type': attr.source['@odata.type'], question: { ...attr.source.question, id: expect.any(String) } } });
  });
});
