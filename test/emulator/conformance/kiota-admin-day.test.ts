/**
 * Issue 14 item 6: a second client nobody on the team wrote — Microsoft's Kiota TypeScript SDK
 * (@microsoft/msgraph-sdk with the published fluent packages -users, -directory) — runs an admin's
 * day against the emulator. Groups, applications and service principals have no published fluent
 * package, so those calls go through the SDK's own request adapter with Graph's URL templates and
 * the SDK's model parsers (createGroupFromDiscriminatorValue, ...).
 *
 * Authentication: a custom AuthenticationProvider that fetches a client-credentials token from the
 * emulator's token endpoint over plain HTTP (test/emulator/helpers.ts token()) and adds it as a
 * bearer header; @azure/identity needs the TLS mode and is covered by test/emulator/tls-signin.test.ts.
 *
 * Sources: https://learn.microsoft.com/en-us/graph/sdks/paging,
 * https://learn.microsoft.com/en-us/graph/sdks/batch-requests,
 * https://learn.microsoft.com/en-us/graph/aad-advanced-queries,
 * https://learn.microsoft.com/en-us/graph/api/user-delta?view=graph-rest-1.0,
 * https://learn.microsoft.com/en-us/graph/api/directory-deleteditems-restore?view=graph-rest-1.0,
 * https://learn.microsoft.com/en-us/graph/api/group-post-members?view=graph-rest-1.0,
 * https://learn.microsoft.com/en-us/graph/errors
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpMethod, type ParsableFactory } from '@microsoft/kiota-abstractions';
import { BatchRequestContent, PageIterator } from '@microsoft/msgraph-sdk-core';
import { createGraphServiceClient, type GraphRequestAdapter, type GraphServiceClient } from '@microsoft/msgraph-sdk';
import '@microsoft/msgraph-sdk-users';
import '@microsoft/msgraph-sdk-directory';
import {
  createApplicationFromDiscriminatorValue,
  createGroupFromDiscriminatorValue,
  createServicePrincipalFromDiscriminatorValue,
  createUserCollectionResponseFromDiscriminatorValue,
  createUserFromDiscriminatorValue,
  serializeApplication,
  serializeGroup,
  serializeServicePrincipal,
  type Application,
  type Group,
  type ServicePrincipal,
  type User,
  type UserCollectionResponse,
} from '@microsoft/msgraph-sdk/models/index.js';
import type { ODataError } from '@microsoft/msgraph-sdk/models/oDataErrors/index.js';
import { seedTenant } from '../../../src/emulator/seed/index.js';
import { lab, type Lab } from '../helpers.js';
import { errors, getObj, info, noContent, post, writerAdapter } from './kiota-helpers.js';

describe('Kiota TypeScript SDK: an admin day against the emulator', () => {
  let L: Lab;
  let ad: GraphRequestAdapter;
  let g: GraphServiceClient;
  beforeAll(async () => {
    L = await lab(seedTenant({ seed: 14, users: 23 }));
    ad = await writerAdapter(L);
    g = createGraphServiceClient(ad);
  });
  afterAll(async () => {
    await L.emu.close();
  });

  it('pages every user with the SDK page iterator (@odata.nextLink followed)', async () => {
    const first = await g.users.get({ queryParameters: { top: 5, select: ['id', 'displayName'] } });
    expect(first?.odataNextLink).toBeTruthy();
    const ids: string[] = [];
    const it = new PageIterator<User>(ad, first as never, (u) => {
      ids.push(u.id!);
      return true;
    }, createUserCollectionResponseFromDiscriminatorValue as never, errors);
    await it.iterate();
    expect(new Set(ids).size).toBe(L.tenant.objects.user!.length);
  });

  it('$filter/$select/$count with ConsistencyLevel: eventual; $orderby refused and parsed into ODataError', async () => {
    const r = await g.users.get({
      queryParameters: { filter: 'accountEnabled eq true', count: true, select: ['id', 'accountEnabled'], top: 999 },
      headers: { ConsistencyLevel: 'eventual' },
    });
    expect(typeof r?.odataCount).toBe('number');
    expect(r?.value?.length).toBe(r?.odataCount);
    expect(r?.value?.every((u) => u.accountEnabled === true)).toBe(true);
    // Emulator gap (docs/emulator.md, src/emulator/odata/options.ts): every $orderby is refused
    // with Graph's Request_UnsupportedQuery answer; the SDK parses it into ODataError.
    const e = await g.users.get({ queryParameters: { orderby: ['displayName'], count: true }, headers: { ConsistencyLevel: 'eventual' } }).then(
      () => undefined,
      (x: unknown) => x as ODataError,
    );
    expect(e?.responseStatusCode).toBe(400);
    expect(e?.errorEscaped?.code).toBe('Request_UnsupportedQuery');
  });

  it('create/update/delete a user; 404 parsed into ODataError; restore from deletedItems; $expand=manager', async () => {
    const domain = String(L.tenant.objects.user![0]!.userPrincipalName).split('@')[1];
    const upn = `kiota.admin@${domain}`;
    const u = await g.users.post({ accountEnabled: true, displayName: 'Kiota Admin', mailNickname: 'kiota.admin', userPrincipalName: upn, passwordProfile: { password: 'xWwvJ]6NMw+bWH-d', forceChangePasswordNextSignIn: true } });
    expect(u?.id).toBeTruthy();
    await g.users.byUserId(u!.id!).patch({ jobTitle: 'Conformance' });
    expect((await g.users.byUserId(u!.id!).get({ queryParameters: { select: ['jobTitle'] } }))?.jobTitle).toBe('Conformance');
    const mgr = L.tenant.objects.user!.find((x) => !x.onPremisesSyncEnabled && x.id !== u!.id)!;
    await noContent(ad, HttpMethod.PUT, `/users/${u!.id}/manager/$ref`, { '@odata.id': `${L.emu.graphBaseUrl}/users/${mgr.id}` });
    const withMgr = await g.users.byUserId(u!.id!).get({ queryParameters: { expand: ['manager'] } });
    expect(withMgr?.manager?.id).toBe(mgr.id);
    await g.users.byUserId(u!.id!).delete();
    const err = await g.users.byUserId(u!.id!).get().then(() => undefined, (e: unknown) => e as ODataError);
    expect(err?.responseStatusCode).toBe(404);
    expect(err?.errorEscaped?.code).toBe('Request_ResourceNotFound');
    expect(err?.errorEscaped?.message).toBeTruthy();
    const deleted = await g.directory.deletedItems.graphUser.get();
    expect(deleted?.value?.some((d) => d.id === u!.id)).toBe(true);
    const restored = await g.directory.deletedItems.byDirectoryObjectId(u!.id!).restore.post();
    expect(restored?.id).toBe(u!.id);
    expect((await g.users.byUserId(u!.id!).get())?.displayName).toBe('Kiota Admin');
  });

  it('groups through the request adapter: members@odata.bind, $ref add, cast, $expand=members, delete', async () => {
    const [a, b] = L.tenant.objects.user!.filter((x) => !x.onPremisesSyncEnabled);
    const body: Group = { displayName: 'Kiota group', mailEnabled: false, mailNickname: 'kiotagroup', securityEnabled: true, groupTypes: [] };
    body.additionalData = { 'members@odata.bind': [`${L.emu.graphBaseUrl}/directoryObjects/${a!.id}`] };
    const grp = await post(ad, '/groups', body, serializeGroup as never, createGroupFromDiscriminatorValue as ParsableFactory<Group>);
    expect(grp?.id).toBeTruthy();
    await noContent(ad, HttpMethod.POST, `/groups/${grp!.id}/members/$ref`, { '@odata.id': `${L.emu.graphBaseUrl}/directoryObjects/${b!.id}` });
    const cast = await ad.send<UserCollectionResponse>(info(HttpMethod.GET, `/groups/${grp!.id}/members/graph.user?$select=id`), createUserCollectionResponseFromDiscriminatorValue as never, errors);
    expect((cast?.value ?? []).map((u) => u.id).sort()).toEqual([a!.id, b!.id].sort());
    const expanded = await getObj(ad, `/groups/${grp!.id}?$expand=members($select=id)`, createGroupFromDiscriminatorValue as ParsableFactory<Group>);
    expect(expanded?.members?.length).toBe(2);
    await noContent(ad, HttpMethod.DELETE, `/groups/${grp!.id}/members/${b!.id}/$ref`);
    await noContent(ad, HttpMethod.PATCH, `/groups/${grp!.id}`, { description: 'patched' });
    expect((await getObj(ad, `/groups/${grp!.id}`, createGroupFromDiscriminatorValue as ParsableFactory<Group>))?.description).toBe('patched');
    await noContent(ad, HttpMethod.DELETE, `/groups/${grp!.id}`);
    const gone = await getObj(ad, `/groups/${grp!.id}`, createGroupFromDiscriminatorValue as ParsableFactory<Group>).then(() => undefined, (e: unknown) => e as ODataError);
    expect(gone?.responseStatusCode).toBe(404);
  });

  it('application and service principal: create, update, delete', async () => {
    const app = await post(ad, '/applications', { displayName: 'Kiota app' } as Application, serializeApplication as never, createApplicationFromDiscriminatorValue as ParsableFactory<Application>);
    expect(app?.appId).toBeTruthy();
    const sp = await post(ad, '/servicePrincipals', { appId: app!.appId } as ServicePrincipal, serializeServicePrincipal as never, createServicePrincipalFromDiscriminatorValue as ParsableFactory<ServicePrincipal>);
    expect(sp?.appId).toBe(app!.appId);
    await noContent(ad, HttpMethod.PATCH, `/applications/${app!.id}`, { notes: 'kiota' });
    expect((await getObj(ad, `/applications/${app!.id}`, createApplicationFromDiscriminatorValue as ParsableFactory<Application>))?.notes).toBe('kiota');
    await noContent(ad, HttpMethod.DELETE, `/servicePrincipals/${sp!.id}`);
    await noContent(ad, HttpMethod.DELETE, `/applications/${app!.id}`);
  });

  it('users delta: initial round, then the deltaLink returns the change', async () => {
    const ids = new Set<string>();
    let page = await g.users.delta.get({ queryParameters: { select: ['id', 'jobTitle'] } });
    for (;;) {
      for (const u of page?.value ?? []) ids.add(u.id!);
      if (page?.odataDeltaLink) break;
      page = await g.users.delta.withUrl(page!.odataNextLink!).get();
    }
    expect(ids.size).toBeGreaterThanOrEqual(L.tenant.objects.user!.length);
    const target = L.tenant.objects.user!.find((x) => !x.onPremisesSyncEnabled)!;
    await g.users.byUserId(target.id).patch({ jobTitle: 'Delta changed' });
    const next = await g.users.delta.withUrl(page!.odataDeltaLink!).get();
    expect(next?.value?.find((u) => u.id === target.id)?.jobTitle).toBe('Delta changed');
  });

  it('$batch through BatchRequestContent', async () => {
    const batch = new BatchRequestContent(ad, errors);
    const u0 = L.tenant.objects.user![0]!;
    const s1 = batch.addBatchRequest(g.users.byUserId(u0.id).toGetRequestInformation());
    const s2 = batch.addBatchRequest(g.users.byUserId('00000000-0000-0000-0000-000000000000').toGetRequestInformation());
    const res = await batch.postAsync();
    expect(res?.getResponseById(s1.id)?.status).toBe(200);
    expect(res?.getResponseById(s2.id)?.status).toBe(404);
  });

  // SDK defect (msgraph-sdk-core 1.0.0-preview, dist/content/BatchRequestStep.js deserializeIntoBatchResponse):
  // each response `body` is read with getByteArrayValue(), i.e. as a base64 string, but Graph returns a
  // JSON body as a JSON object (https://learn.microsoft.com/en-us/graph/json-batching#response-format),
  // so body is undefined and getParsableResponseById returns undefined. Marked it.fails so a fixed SDK shows up.
  it.fails('SDK defect: $batch response bodies of JSON responses are not parsed', async () => {
    const batch = new BatchRequestContent(ad, errors);
    const u0 = L.tenant.objects.user![0]!;
    const s1 = batch.addBatchRequest(g.users.byUserId(u0.id).toGetRequestInformation());
    const res = await batch.postAsync();
    expect(res?.getResponseById(s1.id)?.status).toBe(200);
    const parsed = res?.getParsableResponseById<User>(s1.id, ad.getParseNodeFactory() as never, createUserFromDiscriminatorValue as ParsableFactory<User>);
    expect(parsed?.id).toBe(u0.id);
  });
});
