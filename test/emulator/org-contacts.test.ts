/**
 * Organizational contacts in the emulator (issue 15 item 10), each behaviour with its Graph page
 * (docs/graph-facts.md §3 "Organizational contacts", S300–S302):
 * - https://learn.microsoft.com/graph/api/orgcontact-list (List orgContacts: GET /contacts,
 *   OrgContact.Read.All, $select and $top) and https://learn.microsoft.com/graph/api/orgcontact-get
 * - https://learn.microsoft.com/graph/api/resources/orgcontact (read-only in Microsoft Graph: no
 *   create, update or delete in v1.0)
 * - https://learn.microsoft.com/graph/api/group-post-members (a contact can be a member of a
 *   security group, not of a Microsoft 365 group)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedTenant } from '../../src/emulator/seed/index.js';
import { lab, type Lab } from './helpers.js';

describe('emulator: organizational contacts', () => {
  let D: Lab;
  beforeAll(async () => {
    D = await lab(seedTenant({ seed: 300, users: 30 }));
  });
  afterAll(async () => {
    await D.emu.close();
  });

  it('lists and reads a drill tenant\'s contacts with $select and $top paging (List orgContacts)', async () => {
    const all = (await D.reader('GET', '/contacts')).json.value as { id: string; mail: string; proxyAddresses: string[]; '@odata.type'?: string }[];
    expect(all).toHaveLength(2);
    expect(all.every((c) => c.proxyAddresses.includes(`SMTP:${c.mail}`))).toBe(true);
    const page = await D.reader('GET', '/contacts?$select=displayName,mail&$top=1');
    expect(page.status).toBe(200);
    expect(Object.keys((page.json.value as object[])[0]!).filter((k) => k !== '@odata.type').sort()).toEqual(['displayName', 'id', 'mail']);
    const next = page.json['@odata.nextLink'] as string;
    expect(next).toContain('/contacts');
    const one = await D.reader('GET', `/contacts/${all[0]!.id}?$select=mail`);
    expect(one.json).toMatchObject({ id: all[0]!.id, mail: all[0]!.mail });
  });

  it('lists a contact among a group\'s members, adds one to a security group, refuses a Microsoft 365 group (Add members)', async () => {
    const edge = D.tenant.relations.groupMembers?.find((e) => e.toType === 'orgContact');
    expect(edge).toBeDefined();
    const members = (await D.reader('GET', `/groups/${edge!.from}/members`)).json.value as { id: string; '@odata.type': string }[];
    expect(members.find((m) => m.id === edge!.to)?.['@odata.type']).toBe('#microsoft.graph.orgContact');
    const other = (D.tenant.objects.orgContact ?? []).find((c) => c.id !== edge!.to)!;
    const ref = { '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${other.id}` };
    expect((await D.writer('POST', `/groups/${edge!.from}/members/$ref`, ref)).status).toBe(204);
    const unified = (D.tenant.objects.group ?? []).find((g) => Array.isArray(g['groupTypes']) && g['groupTypes'].includes('Unified') && !g['groupTypes'].includes('DynamicMembership') && g['onPremisesSyncEnabled'] !== true)!;
    expect(unified).toBeDefined();
    expect((await D.writer('POST', `/groups/${unified.id}/members/$ref`, ref)).status).toBe(400);
  });

  it('refuses to create, update or delete a contact (read-only in Graph)', async () => {
    const [c] = D.tenant.objects.orgContact ?? [];
    expect((await D.writer('POST', '/contacts', { displayName: 'X', mail: 'x@example.com' })).status).toBe(405);
    expect((await D.writer('PATCH', `/contacts/${c!.id}`, { jobTitle: 'X' })).status).toBe(405);
    expect((await D.writer('DELETE', `/contacts/${c!.id}`)).status).toBe(405);
    expect((await D.reader('GET', `/contacts/${c!.id}`)).json.jobTitle).toBe(c!['jobTitle']);
  });
});
