/**
 * The emulator refuses what Graph refuses (issue 11 items 3 and 9):
 * - an identifier URI `api://<GUID>` that is neither the application's own appId nor the
 *   tenant id: https://learn.microsoft.com/en-us/entra/identity-platform/identifier-uri-restrictions
 * - creating a mail-enabled security group or distribution list (only Microsoft 365 and
 *   security groups): https://learn.microsoft.com/en-us/graph/api/group-post-groups and
 *   https://learn.microsoft.com/en-us/graph/office365-groups-concept-overview
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyTenant, seedTenant } from '../../src/emulator/seed/index.js';
import { errorCode, lab, type Lab } from './helpers.js';

describe('emulator: identifier URIs and mail-enabled groups', () => {
  let L: Lab;
  beforeAll(async () => {
    L = await lab(emptyTenant({ seed: 77 }));
  });
  afterAll(async () => {
    await L.emu.close();
  });

  it("refuses api://<another app's appId>, accepts the app's own appId and the tenant id", async () => {
    const other = await L.writer('POST', '/applications', { displayName: 'other' });
    expect(other.status).toBe(201);
    const otherAppId = String(other.json.appId);
    const stolen = await L.writer('POST', '/applications', { displayName: 'api', identifierUris: [`api://${otherAppId}`] });
    expect(stolen.status).toBe(400);
    expect(errorCode(stolen)).toBe('Request_BadRequest');
    const app = await L.writer('POST', '/applications', { displayName: 'api' });
    expect(app.status).toBe(201);
    const patchOther = await L.writer('PATCH', `/applications/${app.json.id}`, { identifierUris: [`api://${otherAppId}`] });
    expect(patchOther.status).toBe(400);
    const own = await L.writer('PATCH', `/applications/${app.json.id}`, { identifierUris: [`api://${String(app.json.appId)}`, `api://${L.tenant.tenantId}/orders`] });
    expect(own.status).toBe(204);
  });

  it('refuses to create a mail-enabled security group or a distribution list; Microsoft 365 and security groups are created', async () => {
    const mesg = await L.writer('POST', '/groups', { displayName: 'm', mailEnabled: true, mailNickname: 'm', securityEnabled: true, groupTypes: [] });
    expect(mesg.status).toBe(400);
    const dl = await L.writer('POST', '/groups', { displayName: 'd', mailEnabled: true, mailNickname: 'd', securityEnabled: false });
    expect(dl.status).toBe(400);
    const sec = await L.writer('POST', '/groups', { displayName: 's', mailEnabled: false, mailNickname: 's', securityEnabled: true });
    expect(sec.status).toBe(201);
    const m365 = await L.writer('POST', '/groups', { displayName: 'u', mailEnabled: true, mailNickname: 'u', securityEnabled: false, groupTypes: ['Unified'] });
    expect(m365.status).toBe(201);
  });
});

/**
 * Issue 14 item 3: a mail-enabled security group or distribution list that exists (made in
 * Exchange) is read-only through Graph — properties, members and owners: 400
 * Request_BadRequest "Cannot Update a mail-enabled security groups and or distribution list."
 * (https://learn.microsoft.com/graph/api/resources/groups-overview "Managed via Microsoft
 * Graph: no (read-only)"; the message as Graph answers an add-member call,
 * https://github.com/microsoftgraph/microsoft-graph-docs/issues/14827).
 */
describe('emulator: an Exchange-made group is read-only through Graph', () => {
  let L: Lab;
  beforeAll(async () => {
    L = await lab(seedTenant({ seed: 78, users: 200 }));
  });
  afterAll(async () => {
    await L.emu.close();
  });

  it('refuses PATCH, member and owner writes on a distribution list and a mail-enabled security group; a security group is written', async () => {
    const groups: { id: string; mailEnabled: boolean; groupTypes: string[]; securityEnabled: boolean }[] = [];
    for (const g of (await L.writer('GET', '/groups?$select=id,mailEnabled,groupTypes,securityEnabled&$top=999')).json.value as typeof groups) groups.push(g);
    const exchange = groups.filter((g) => g.mailEnabled && !g.groupTypes.includes('Unified'));
    expect(exchange.length).toBeGreaterThan(0);
    const user = String(((await L.writer('GET', '/users?$select=id&$top=1')).json.value as { id: string }[])[0]!.id);
    for (const g of exchange) {
      const answers = [
        await L.writer('PATCH', `/groups/${g.id}`, { description: 'changed' }),
        await L.writer('POST', `/groups/${g.id}/members/$ref`, { '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${user}` }),
        await L.writer('POST', `/groups/${g.id}/owners/$ref`, { '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${user}` }),
        await L.writer('PATCH', `/groups/${g.id}`, { 'members@odata.bind': [`https://graph.microsoft.com/v1.0/directoryObjects/${user}`] }),
      ];
      for (const r of answers) {
        expect(r.status).toBe(400);
        expect(errorCode(r)).toBe('Request_BadRequest');
        expect(JSON.stringify(r.json)).toContain('Cannot Update a mail-enabled security groups and or distribution list.');
      }
    }
    const sec = groups.find((g) => !g.mailEnabled && g.securityEnabled && !g.groupTypes.includes('DynamicMembership'))!;
    expect((await L.writer('PATCH', `/groups/${sec.id}`, { description: 'changed' })).status).toBe(204);
  });
});
