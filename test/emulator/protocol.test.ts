import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedTenant } from '../../src/emulator/seed/index.js';
import { errorCode, lab, type Lab } from './helpers.js';

const USER_DEFAULTS = [
  'businessPhones', 'displayName', 'givenName', 'id', 'jobTitle', 'mail', 'mobilePhone', 'officeLocation',
  'preferredLanguage', 'surname', 'userPrincipalName',
];

describe('emulator protocol', () => {
  let L: Lab;
  beforeAll(async () => {
    L = await lab(seedTenant({ seed: 7, users: 120 }));
  });
  afterAll(async () => {
    await L.emu.close();
  });

  it('issues tokens for lab credentials and rejects a wrong secret AAD-style', async () => {
    const cred = L.tenant.credentials[0]!;
    const bad = await fetch(`${L.emu.url}/${L.tenant.tenantId}/oauth2/v2.0/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: cred.clientId, client_secret: 'nope', scope: 'https://graph.microsoft.com/.default' }),
    });
    expect(bad.status).toBe(401);
    const j = (await bad.json()) as { error: string; error_description: string };
    expect(j.error).toBe('invalid_client');
    expect(j.error_description).not.toContain(cred.secret);
    const scope = await fetch(`${L.emu.url}/${L.tenant.tenantId}/oauth2/v2.0/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: cred.clientId, client_secret: cred.secret, scope: 'User.Read' }),
    });
    expect(scope.status).toBe(400);
    const oidc = await fetch(`${L.emu.url}/${L.tenant.tenantId}/v2.0/.well-known/openid-configuration`);
    expect(((await oidc.json()) as { token_endpoint: string }).token_endpoint).toBe(`${L.emu.url}/${L.tenant.tenantId}/oauth2/v2.0/token`);
    const noAuth = await fetch(`${L.emu.graphBaseUrl}/users`);
    expect(noAuth.status).toBe(401);
  });

  it('pages users to the last page with $skiptoken and rejects $top above 999', async () => {
    const seen: string[] = [];
    let url: string | undefined = '/users?$top=17&$select=id';
    let pages = 0;
    while (url) {
      const r = await L.reader('GET', url);
      expect(r.status).toBe(200);
      for (const u of r.json.value) seen.push(u.id);
      url = r.json['@odata.nextLink'];
      if (url) expect(url).toContain('$skiptoken=');
      pages++;
    }
    expect(seen.length).toBe(L.tenant.objects.user!.length);
    expect(new Set(seen).size).toBe(seen.length);
    expect(pages).toBe(Math.ceil(seen.length / 17));
    const def = await L.reader('GET', '/users');
    expect(def.json.value.length).toBe(100);
    const big = await L.reader('GET', '/users?$top=1000');
    expect(big.status).toBe(400);
    errorCode(big);
  });

  // Paging (https://learn.microsoft.com/graph/paging): a client follows several nextLinks at
  // once; each list must come back whole and in order whatever the interleaving (the emulator
  // keeps several lists per relation ready, src/emulator/navs.ts liveTargets).
  it('pages the members of several groups interleaved, each list whole and once', async () => {
    const groups = [...L.tenant.objects.group!].filter((g) => (L.tenant.relations.groupMembers ?? []).filter((r) => r.from === g.id).length > 6).slice(0, 3);
    expect(groups.length).toBe(3);
    const readAll = async (id: string): Promise<string[]> => {
      const out: string[] = [];
      for (let url: string | undefined = `/groups/${id}/members?$top=500&$select=id`; url;) {
        const r = await L.reader('GET', url);
        out.push(...r.json.value.map((m: { id: string }) => m.id));
        url = r.json['@odata.nextLink'];
      }
      return out;
    };
    const alone = await Promise.all(groups.map((g) => readAll(g.id)));
    const seen: string[][] = groups.map(() => []);
    let urls: (string | undefined)[] = groups.map((g) => `/groups/${g.id}/members?$top=3&$select=id`);
    while (urls.some(Boolean)) {
      urls = await Promise.all(urls.map(async (u, i) => {
        if (!u) return undefined;
        const r = await L.reader('GET', u);
        expect(r.status).toBe(200);
        seen[i]!.push(...r.json.value.map((m: { id: string }) => m.id));
        return r.json['@odata.nextLink'] as string | undefined;
      }));
    }
    expect(seen).toEqual(alone);
    for (const list of seen) expect([...list].sort()).toEqual(list);
  });

  it('returns Graph default properties for users unless $select asks for more', async () => {
    const r = await L.reader('GET', '/users?$top=1');
    const keys = Object.keys(r.json.value[0]).filter((k) => !k.startsWith('@'));
    expect(keys.sort()).toEqual([...USER_DEFAULTS].sort());
    expect(r.json['@odata.context']).toBe(`${L.emu.graphBaseUrl}/$metadata#users`);
    expect(r.json.value[0]['@odata.type']).toBe('#microsoft.graph.user');
    const s = await L.reader('GET', '/users?$top=1&$select=id,accountEnabled,onPremisesImmutableId');
    expect(Object.keys(s.json.value[0]).filter((k) => !k.startsWith('@')).sort()).toEqual(['accountEnabled', 'id', 'onPremisesImmutableId']);
    const bad = await L.reader('GET', '/users?$select=nope');
    expect(bad.status).toBe(400);
    const one = await L.reader('GET', `/users/${L.tenant.objects.user![0]!.id}`);
    expect(one.json['@odata.context']).toBe(`${L.emu.graphBaseUrl}/$metadata#users/$entity`);
  });

  it('filters with eq/startswith/in and insists on advanced-query headers for ne and $count', async () => {
    const u = L.tenant.objects.user![3]!;
    const eq = await L.reader('GET', `/users?$filter=userPrincipalName eq '${u.userPrincipalName}'`);
    expect(eq.json.value.map((x: { id: string }) => x.id)).toEqual([u.id]);
    const sw = await L.reader('GET', `/users?$filter=startswith(displayName,'${String(u.displayName).slice(0, 3)}')&$select=id,displayName`);
    expect(sw.json.value.every((x: { displayName: string }) => x.displayName.toLowerCase().startsWith(String(u.displayName).slice(0, 3).toLowerCase()))).toBe(true);
    const inq = await L.reader('GET', `/users?$filter=id in ('${u.id}','${L.tenant.objects.user![4]!.id}')`);
    expect(inq.json.value.length).toBe(2);
    const unified = await L.reader('GET', `/groups?$filter=groupTypes/any(c:c eq 'Unified')&$select=id,groupTypes`);
    expect(unified.json.value.length).toBe(L.tenant.objects.group!.filter((g) => (g.groupTypes as string[]).includes('Unified')).length);
    const ne = await L.reader('GET', `/users?$filter=userType ne 'Guest'`);
    expect(ne.status).toBe(400);
    expect(errorCode(ne)).toBe('Request_UnsupportedQuery');
    const neOk = await L.reader('GET', `/users?$filter=userType ne 'Guest'&$count=true&$top=999`, undefined, { ConsistencyLevel: 'eventual' });
    expect(neOk.status).toBe(200);
    expect(neOk.json['@odata.count']).toBe(L.tenant.objects.user!.filter((x) => x.userType !== 'Guest').length);
    const count = await L.reader('GET', '/users/$count', undefined, { ConsistencyLevel: 'eventual' });
    expect(count.text).toBe(String(L.tenant.objects.user!.length));
    const countNo = await L.reader('GET', '/users/$count');
    expect(countNo.status).toBe(400);
  });

  it('routes alternate keys and users by UPN', async () => {
    const app = L.tenant.objects.application!.find((a) => a.uniqueName)!;
    const byAppId = await L.reader('GET', `/applications(appId='${app.appId}')`);
    expect(byAppId.json.id).toBe(app.id);
    const byName = await L.reader('GET', `/applications(uniqueName='${app.uniqueName}')`);
    expect(byName.json.id).toBe(app.id);
    const sp = L.tenant.objects.servicePrincipal![0]!;
    expect((await L.reader('GET', `/servicePrincipals(appId='${sp.appId}')`)).json.id).toBe(sp.id);
    const u = L.tenant.objects.user![5]!;
    expect((await L.reader('GET', `/users/${u.userPrincipalName}`)).json.id).toBe(u.id);
    const missing = await L.reader('GET', `/applications(appId='00000000-0000-0000-0000-0000000000aa')`);
    expect(missing.status).toBe(404);
    expect(errorCode(missing)).toBe('Request_ResourceNotFound');
    expect(missing.json.error.message).toBe(
      "Resource '00000000-0000-0000-0000-0000000000aa' does not exist or one of its queried reference-property objects are not present.",
    );
  });

  it('answers unknown segments and malformed JSON like Graph', async () => {
    const r = await L.reader('GET', '/frobnicators');
    expect(r.status).toBe(400);
    expect(errorCode(r)).toBe('BadRequest');
    expect(r.json.error.message).toBe("Resource not found for the segment 'frobnicators'.");
    const exp = await L.reader('GET', '/users?$expand=nonsense');
    expect(exp.status).toBe(400);
    errorCode(exp);
    const bad = await L.writer('POST', '/groups', '{"displayName": ');
    expect(bad.status).toBe(400);
    errorCode(bad);
  });

  it('denies a reader writing with 403 Authorization_RequestDenied', async () => {
    const r = await L.reader('PATCH', `/users/${L.tenant.objects.user![0]!.id}`, { jobTitle: 'x' });
    expect(r.status).toBe(403);
    expect(errorCode(r)).toBe('Authorization_RequestDenied');
    expect(r.json.error.message).toBe('Insufficient privileges to complete the operation.');
  });

  it('batches: 21 requests or duplicate ids reject the whole batch; dependsOn gives 424 after a failure', async () => {
    const reqs = Array.from({ length: 21 }, (_, i) => ({ id: String(i), method: 'GET', url: '/users?$top=1' }));
    const big = await L.reader('POST', '/$batch', { requests: reqs });
    expect(big.status).toBe(400);
    errorCode(big);
    const dup = await L.reader('POST', '/$batch', { requests: [reqs[0], reqs[0]] });
    expect(dup.status).toBe(400);
    const noType = await L.writer('POST', '/$batch', { requests: [{ id: '1', method: 'POST', url: '/groups', body: {} }] });
    expect(noType.status).toBe(400);
    const r = await L.writer('POST', '/$batch', {
      requests: [
        { id: '1', method: 'GET', url: '/users/does-not-exist' },
        { id: '2', method: 'GET', url: '/users?$top=1', dependsOn: ['1'] },
        { id: '3', method: 'GET', url: '/groups?$top=1' },
        { id: '4', method: 'POST', url: '/groups', headers: { 'Content-Type': 'application/json' }, body: { displayName: 'b', mailEnabled: false, mailNickname: 'b', securityEnabled: true } },
        { id: '5', method: 'GET', url: '/groups/{x}', dependsOn: ['4', '3'] },
      ],
    });
    expect(r.status).toBe(200);
    const byId = Object.fromEntries(r.json.responses.map((x: { id: string; status: number }) => [x.id, x.status]));
    expect(byId).toEqual({ '1': 404, '2': 424, '3': 200, '4': 201, '5': 404 });
  });
});
