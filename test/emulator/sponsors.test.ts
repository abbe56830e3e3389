/**
 * A user's sponsors in the emulator (issue 15 item 10, docs/graph-facts.md S195):
 * - https://learn.microsoft.com/graph/api/user-post-sponsors (`POST /users/{id}/sponsors/$ref`
 *   naming a user or a group, 204; User.ReadWrite.All)
 * - https://learn.microsoft.com/graph/api/user-list-sponsors (`GET /users/{id}/sponsors`)
 * - https://learn.microsoft.com/graph/api/user-delete-sponsors (`DELETE …/sponsors/{id}/$ref`)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedTenant } from '../../src/emulator/seed/index.js';
import { lab, type Lab } from './helpers.js';

describe('emulator: sponsors', () => {
  let L: Lab;
  beforeAll(async () => {
    L = await lab(seedTenant({ seed: 96, users: 24 }));
  });
  afterAll(async () => {
    await L.emu.close();
  });

  it('adds users and groups as sponsors with $ref, lists and removes them; other objects are refused', async () => {
    const guest = ((await L.writer('GET', "/users?$filter=userType eq 'Guest'&$select=id")).json.value as { id: string }[])[0]!.id;
    const seeded = (await L.writer('GET', `/users/${guest}/sponsors`)).json.value as { id: string }[];
    expect(seeded.length, 'the drill tenant sponsors its guests').toBeGreaterThan(0);
    const user = ((await L.writer('GET', "/users?$filter=userType eq 'Member'&$select=id&$top=5")).json.value as { id: string }[])
      .find((u) => !seeded.some((s) => s.id === u.id))!.id;
    const group = ((await L.writer('GET', '/groups?$select=id&$top=1')).json.value as { id: string }[])[0]!.id;
    const sp = ((await L.writer('GET', '/servicePrincipals?$select=id&$top=1')).json.value as { id: string }[])[0]!.id;
    expect((await L.writer('POST', `/users/${guest}/sponsors/$ref`, { '@odata.id': `https://graph.microsoft.com/v1.0/users/${user}` })).status).toBe(204);
    expect((await L.writer('POST', `/users/${guest}/sponsors/$ref`, { '@odata.id': `https://graph.microsoft.com/v1.0/groups/${group}` })).status).toBe(204);
    expect((await L.writer('POST', `/users/${guest}/sponsors/$ref`, { '@odata.id': `https://graph.microsoft.com/v1.0/servicePrincipals/${sp}` })).status).toBe(400);
    const ids = ((await L.writer('GET', `/users/${guest}/sponsors`)).json.value as { id: string }[]).map((x) => x.id);
    expect(ids).toEqual(expect.arrayContaining([user, group]));
    expect(ids).not.toContain(sp);
    expect((await L.writer('DELETE', `/users/${guest}/sponsors/${user}/$ref`)).status).toBe(204);
    expect(((await L.writer('GET', `/users/${guest}/sponsors`)).json.value as { id: string }[]).map((x) => x.id)).not.toContain(user);
  });
});
