/**
 * The directory audit log in the emulator (issue 18, incremental contained reads), each behaviour
 * against its Graph page:
 * - List directoryAudits (https://learn.microsoft.com/graph/api/directoryaudit-list): GET
 *   /auditLogs/directoryAudits, AuditLog.Read.All (403 without it), $filter, $top, $orderby, paging
 *   by @odata.nextLink (docs/graph-facts.md S310).
 * - directoryAudit resource type (https://learn.microsoft.com/graph/api/resources/directoryaudit):
 *   activityDateTime supports $filter (eq, ge, le) and $orderby; targetResources, initiatedBy,
 *   category, loggedByService, operationType, result (S311). Other filter forms: 400.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedTenant } from '../../src/emulator/seed/index.js';
import { errorCode, lab, type Lab } from './helpers.js';

type Obj = Record<string, unknown>;
const AUDITS = '/auditLogs/directoryAudits';
const q = (f: string) => `$filter=${encodeURIComponent(f)}`;
const targets = (a: Obj) => (a.targetResources as Obj[]).map((t) => t.id);

describe('emulator: directory audit log', () => {
  let L: Lab;
  let start = '';
  let appId = '';
  let groupId = '';
  let userId = '';
  beforeAll(async () => {
    L = await lab(seedTenant({ seed: 310, users: 8 }));
    start = new Date(L.clock.now().getTime() - 1000).toISOString();
    appId = String(L.tenant.objects.application![0]!.id);
    groupId = String(L.tenant.objects.group!.find((g) => !(Array.isArray(g.groupTypes) && g.groupTypes.includes('DynamicMembership')))!.id);
    userId = String(L.tenant.objects.user![0]!.id);
  });
  afterAll(async () => {
    await L.emu.close();
  });

  it('records a successful write with the object written and, for a contained write, its parent', async () => {
    const fic = await L.writer('POST', `/applications/${appId}/federatedIdentityCredentials`, { name: 'audit-fic', issuer: 'https://token.actions.githubusercontent.com', subject: 'repo:o/r:ref:refs/heads/main', audiences: ['api://AzureADTokenExchange'] });
    expect(fic.status).toBe(201);
    const add = await L.writer('POST', `/groups/${groupId}/members/$ref`, { '@odata.id': `${L.emu.graphBaseUrl}/directoryObjects/${userId}` });
    expect(add.status).toBe(204);
    const r = await L.reader('GET', `${AUDITS}?${q(`activityDateTime ge ${start}`)}`);
    expect(r.status).toBe(200);
    const rows = (r.json as Obj).value as Obj[];
    const ficAudit = rows.find((a) => targets(a).includes(String((fic.json as Obj).id)))!;
    expect(targets(ficAudit)).toContain(appId);
    expect(ficAudit).toMatchObject({ operationType: 'Add', result: 'success', category: 'ApplicationManagement', loggedByService: 'Core Directory' });
    expect((ficAudit.initiatedBy as { app: Obj }).app.appId).toBeTruthy();
    const member = rows.find((a) => targets(a).includes(groupId))!;
    expect(targets(member)).toEqual(expect.arrayContaining([groupId, userId]));
    expect(member.category).toBe('GroupManagement');
    // a failed write is not recorded
    const before = rows.length;
    expect((await L.writer('PATCH', `/groups/00000000-0000-0000-0000-00000000dead`, { description: 'x' })).status).toBe(404);
    expect(((await L.reader('GET', `${AUDITS}?${q(`activityDateTime ge ${start}`)}`)).json as { value: Obj[] }).value.length).toBe(before);
  });

  it('answers a record with every property of the resource page, named as at the write, alike in the list and by id', async () => {
    const upn = `audit-shape@${String(L.tenant.initialDomain)}`;
    const made = await L.writer('POST', '/users', { accountEnabled: true, displayName: 'Audit Shape', mailNickname: 'auditshape', userPrincipalName: upn, passwordProfile: { password: 'Xy7!audit-shape-2026' } });
    expect(made.status).toBe(201);
    const id = String((made.json as Obj).id);
    // a later rename does not rewrite the record: it names the object as it was written (S311)
    expect((await L.writer('PATCH', `/users/${id}`, { displayName: 'Audit Shape Renamed' })).status).toBe(204);
    const rows = ((await L.reader('GET', `${AUDITS}?${q(`activityDateTime ge ${start}`)}`)).json as { value: Obj[] }).value;
    const add = rows.find((a) => a.operationType === 'Add' && targets(a).includes(id))!;
    expect(add).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      activityDateTime: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
      activityDisplayName: 'Add users',
      category: 'UserManagement',
      correlationId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      loggedByService: 'Core Directory',
      operationType: 'Add',
      result: 'success',
      resultReason: '',
      additionalDetails: [],
      initiatedBy: { app: { appId: expect.any(String), displayName: null, servicePrincipalId: null, servicePrincipalName: null }, user: null },
      targetResources: [{ id, displayName: 'Audit Shape', type: 'User', userPrincipalName: upn, groupType: null, modifiedProperties: [] }],
    });
    expect(add.id).not.toBe(add.correlationId);
    const byId = await L.reader('GET', `${AUDITS}/${String(add.id)}`);
    expect(byId.status).toBe(200);
    const { '@odata.context': ctxUrl, ...one } = byId.json as Obj;
    expect(String(ctxUrl)).toMatch(/\$metadata#auditLogs\/directoryAudits\/\$entity$/);
    expect(one).toEqual(add);
    const update = rows.find((a) => a.operationType === 'Update' && targets(a).includes(id))!;
    expect(update.targetResources).toEqual([{ id, displayName: 'Audit Shape Renamed', type: 'User', userPrincipalName: upn, groupType: null, modifiedProperties: [] }]);
  });

  it('filters on activityDateTime ge/le, pages with $top and nextLink, orders by activityDateTime', async () => {
    const future = new Date(L.clock.now().getTime() + 3_600_000).toISOString();
    const none = await L.reader('GET', `${AUDITS}?${q(`activityDateTime ge ${future}`)}`);
    expect((none.json as { value: Obj[] }).value).toEqual([]);
    const both = await L.reader('GET', `${AUDITS}?${q(`activityDateTime ge ${start} and activityDateTime le ${future}`)}&$top=1&$orderby=activityDateTime%20asc`);
    const page1 = both.json as Obj;
    expect((page1.value as Obj[]).length).toBe(1);
    expect(typeof page1['@odata.nextLink']).toBe('string');
    const page2 = (await L.reader('GET', String(page1['@odata.nextLink']))).json as Obj;
    const [a] = page1.value as Obj[];
    const [b] = page2.value as Obj[];
    expect(String(a!.activityDateTime) <= String(b!.activityDateTime)).toBe(true);
    expect(a!.id).not.toBe(b!.id);
  });

  it('answers 400 to unsupported filter forms and $top, 403 without AuditLog.Read.All', async () => {
    for (const bad of [`${AUDITS}?${q("category eq 'GroupManagement'")}`, `${AUDITS}?${q(`activityDateTime gt ${start}`)}`, `${AUDITS}?$top=1001`, `${AUDITS}?$select=id`]) {
      const r = await L.reader('GET', bad);
      expect(r.status, bad).toBe(400);
      errorCode(r);
    }
    // the restore writer holds no AuditLog.Read.All
    const w = await L.writer('GET', AUDITS);
    expect(w.status).toBe(403);
    expect(errorCode(w)).toBe('Authorization_RequestDenied');
  });
});
