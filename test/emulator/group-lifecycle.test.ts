/**
 * The group lifecycle (expiration) policy in the emulator (issue 15 item 10), each behaviour
 * with its Graph page (docs/graph-facts.md §3 "Group lifecycle policy", S105–S107):
 * - https://learn.microsoft.com/graph/api/grouplifecyclepolicy-post-grouplifecyclepolicies ("Only one policy exists in the tenant"; 201)
 * - https://learn.microsoft.com/graph/api/resources/grouplifecyclepolicy (managedGroupTypes All, Selected or None; a policy for Microsoft 365 groups)
 * - https://learn.microsoft.com/graph/api/grouplifecyclepolicy-addgroup ({ groupId }; value true when added, false otherwise; Selected only)
 * - https://learn.microsoft.com/graph/api/grouplifecyclepolicy-removegroup
 * - https://learn.microsoft.com/graph/api/group-list-grouplifecyclepolicies (the policies a group belongs to)
 * - https://learn.microsoft.com/graph/api/grouplifecyclepolicy-list (Directory.Read.All)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyTenant, seedTenant } from '../../src/emulator/seed/index.js';
import { errorCode, lab, type Lab } from './helpers.js';

describe('emulator: group lifecycle policy', () => {
  let L: Lab;
  let m365: string;
  let security: string;
  beforeAll(async () => {
    L = await lab(emptyTenant({ seed: 105 }));
    const g = (body: object) => L.writer('POST', '/groups', body).then((r) => r.json.id as string);
    m365 = await g({ displayName: 'Sales', mailEnabled: true, mailNickname: 'sales', securityEnabled: false, groupTypes: ['Unified'] });
    security = await g({ displayName: 'SG Sales', mailEnabled: false, mailNickname: 'sgsales', securityEnabled: true, groupTypes: [] });
  });
  afterAll(async () => {
    await L.emu.close();
  });

  it('a new tenant has no policy; one is created, a second is refused, a bad managedGroupTypes is a 400', async () => {
    expect((await L.writer('GET', '/groupLifecyclePolicies')).json.value).toEqual([]);
    expect(errorCode(await L.writer('POST', '/groupLifecyclePolicies', { groupLifetimeInDays: 100, managedGroupTypes: 'Some' }))).toBe('Request_BadRequest');
    const r = await L.writer('POST', '/groupLifecyclePolicies', { groupLifetimeInDays: 100, managedGroupTypes: 'Selected', alternateNotificationEmails: 'admin@contoso.com' });
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({ groupLifetimeInDays: 100, managedGroupTypes: 'Selected', alternateNotificationEmails: 'admin@contoso.com' });
    expect(typeof r.json.id).toBe('string');
    expect((await L.writer('POST', '/groupLifecyclePolicies', { groupLifetimeInDays: 180, managedGroupTypes: 'All' })).status).toBe(400);
    expect((await L.writer('PATCH', `/groupLifecyclePolicies/${r.json.id}`, { managedGroupTypes: 'Every' })).status).toBe(400);
  });

  it('addGroup adds a Microsoft 365 group to a Selected policy (true), not twice, not a security group (false); the group lists it', async () => {
    const id = (await L.writer('GET', '/groupLifecyclePolicies')).json.value[0].id as string;
    const add = (groupId: string) => L.writer('POST', `/groupLifecyclePolicies/${id}/addGroup`, { groupId });
    expect((await add(m365)).json.value).toBe(true);
    expect((await add(m365)).json.value).toBe(false);
    expect((await add(security)).json.value).toBe(false);
    expect((await L.writer('POST', `/groupLifecyclePolicies/${id}/addGroup`, {})).status).toBe(400);
    const listed = await L.reader('GET', `/groups/${m365}/groupLifecyclePolicies`);
    expect(listed.status).toBe(200);
    expect(listed.json.value.map((p: { id: string }) => p.id)).toEqual([id]);
    expect(Object.keys(listed.json.value[0]).sort()).toEqual(expect.arrayContaining(['alternateNotificationEmails', 'groupLifetimeInDays', 'id', 'managedGroupTypes']));
    expect((await L.reader('GET', `/groups/${security}/groupLifecyclePolicies`)).json.value).toEqual([]);
    // the navigation is read-only: Graph documents no $ref or POST under it
    expect((await L.writer('POST', `/groups/${m365}/groupLifecyclePolicies`, { groupLifetimeInDays: 1 })).status).toBe(405);
    expect((await L.writer('POST', `/groups/${security}/groupLifecyclePolicies/$ref`, { '@odata.id': `https://graph.microsoft.com/v1.0/groupLifecyclePolicies/${id}` })).status).toBe(405);
    expect((await L.writer('POST', `/groupLifecyclePolicies/${id}/removeGroup`, { groupId: m365 })).json.value).toBe(true);
    expect((await L.reader('GET', `/groups/${m365}/groupLifecyclePolicies`)).json.value).toEqual([]);
  });

  it('an All policy applies to every Microsoft 365 group, and addGroup is not supported there (false)', async () => {
    const id = (await L.writer('GET', '/groupLifecyclePolicies')).json.value[0].id as string;
    expect((await L.writer('PATCH', `/groupLifecyclePolicies/${id}`, { managedGroupTypes: 'All' })).status).toBe(204);
    expect((await L.reader('GET', `/groups/${m365}/groupLifecyclePolicies`)).json.value).toHaveLength(1);
    expect((await L.reader('GET', `/groups/${security}/groupLifecyclePolicies`)).json.value).toHaveLength(0);
    expect((await L.writer('POST', `/groupLifecyclePolicies/${id}/addGroup`, { groupId: m365 })).json.value).toBe(false);
    expect((await L.writer('DELETE', `/groupLifecyclePolicies/${id}`)).status).toBe(204);
    expect((await L.reader('GET', `/groups/${m365}/groupLifecyclePolicies`)).json.value).toEqual([]);
  });

  it('a drill tenant applies a Selected policy to (up to two of) its Microsoft 365 groups', async () => {
    const D = await lab(seedTenant({ seed: 7, users: 60 }));
    try {
      const [policy] = (await D.reader('GET', '/groupLifecyclePolicies')).json.value as { id: string; managedGroupTypes: string }[];
      expect(policy?.managedGroupTypes).toBe('Selected');
      const edges = D.tenant.relations.groupLifecyclePolicies ?? [];
      expect(edges.length).toBeGreaterThan(0);
      for (const e of edges) expect((await D.reader('GET', `/groups/${e.from}/groupLifecyclePolicies`)).json.value[0].id).toBe(policy!.id);
    } finally {
      await D.emu.close();
    }
  });
});
