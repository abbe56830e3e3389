/**
 * One group's settings in the emulator (issue 15 item 10), each behaviour with its Graph page
 * (docs/graph-facts.md §3 "Group settings of one group", S108):
 * - https://learn.microsoft.com/graph/api/group-post-settings (POST /groups/{id}/settings; Group.Unified.Guest for group-specific settings; 201)
 * - https://learn.microsoft.com/graph/api/resources/groupsetting ("Group-specific settings apply to only Microsoft 365 groups"; displayName from the template, read-only)
 * - https://learn.microsoft.com/graph/api/resources/groupsettingtemplate (Group.Unified.Guest's one value, AllowToAddGuests)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyTenant } from '../../src/emulator/seed/index.js';
import { GROUP_UNIFIED_GUEST } from '../../src/emulator/group-settings.js';
import { lab, type Lab } from './helpers.js';

describe('emulator: group-specific settings', () => {
  let L: Lab;
  let m365: string;
  let security: string;
  beforeAll(async () => {
    L = await lab(emptyTenant({ seed: 108 }));
    const g = (body: object) => L.writer('POST', '/groups', body).then((r) => r.json.id as string);
    m365 = await g({ displayName: 'Projects', mailEnabled: true, mailNickname: 'projects', securityEnabled: false, groupTypes: ['Unified'] });
    security = await g({ displayName: 'SG Projects', mailEnabled: false, mailNickname: 'sgprojects', securityEnabled: true, groupTypes: [] });
  });
  afterAll(async () => {
    await L.emu.close();
  });

  const guest = (value: string) => ({ templateId: GROUP_UNIFIED_GUEST.id, values: [{ name: 'AllowToAddGuests', value }] });

  it('a Microsoft 365 group takes one Group.Unified.Guest setting, named after its template, listed and patched under the group', async () => {
    expect((await L.reader('GET', `/groups/${m365}/settings`)).json.value).toEqual([]);
    const r = await L.writer('POST', `/groups/${m365}/settings`, guest('false'));
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({ displayName: 'Group.Unified.Guest', templateId: GROUP_UNIFIED_GUEST.id, values: [{ name: 'AllowToAddGuests', value: 'false' }] });
    const listed = (await L.reader('GET', `/groups/${m365}/settings`)).json.value;
    expect(listed.map((s: { id: string }) => s.id)).toEqual([r.json.id]);
    expect((await L.writer('POST', `/groups/${m365}/settings`, guest('true'))).status).toBe(400);
    expect((await L.writer('PATCH', `/groups/${m365}/settings/${r.json.id}`, { values: guest('true').values })).status).toBe(204);
    expect((await L.reader('GET', `/groups/${m365}/settings/${r.json.id}`)).json.values).toEqual([{ name: 'AllowToAddGuests', value: 'true' }]);
    // the tenant-wide list is another collection
    expect((await L.reader('GET', '/groupSettings')).json.value.some((s: { id: string }) => s.id === r.json.id)).toBe(false);
  });

  it('refuses a security group, another template and a value the template does not define', async () => {
    expect((await L.writer('POST', `/groups/${security}/settings`, guest('false'))).status).toBe(400);
    expect((await L.writer('POST', `/groups/${m365}/settings`, { templateId: '62375ab9-6b52-47ed-826b-58e47e0e304b', values: [] })).status).toBe(400);
    const [s] = (await L.reader('GET', `/groups/${m365}/settings`)).json.value as { id: string }[];
    expect((await L.writer('PATCH', `/groups/${m365}/settings/${s!.id}`, { values: [{ name: 'EnableGroupCreation', value: 'false' }] })).status).toBe(400);
    expect((await L.writer('POST', '/groups/00000000-0000-0000-0000-000000000000/settings', guest('false'))).status).toBe(404);
  });
});
