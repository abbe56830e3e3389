/**
 * Dynamic membership beyond plain user properties (issue 14 "semantics"):
 * - a rule on `user.extensionAttribute1` … `extensionAttribute15` reads the user's
 *   onPremisesExtensionAttributes (https://learn.microsoft.com/entra/identity/users/groups-dynamic-membership,
 *   "Extension properties and custom extension properties");
 * - an administrative unit with `membershipType: "Dynamic"` gets its members from its rule, and
 *   they cannot be added by hand (https://learn.microsoft.com/entra/identity/role-based-access-control/admin-units-members-dynamic,
 *   https://learn.microsoft.com/graph/api/administrativeunit-post-administrativeunits, example "Create a dynamic administrative unit").
 * Before, both rules yielded no members: a restore that relied on them could not be checked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyTenant } from '../../src/emulator/seed/index.js';
import { errorCode, lab, type Lab } from './helpers.js';

describe('emulator: dynamic membership on extension attributes and administrative units', () => {
  let L: Lab;
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    L = await lab(emptyTenant({ seed: 95 }));
    for (const [nick, dept, ext] of [['dyn-a', 'Finance', 'blue'], ['dyn-b', 'Sales', 'red'], ['dyn-c', 'Finance', null]] as const) {
      const r = await L.writer('POST', '/users', {
        accountEnabled: true, displayName: nick, mailNickname: nick, userPrincipalName: `${nick}@${L.tenant.initialDomain}`, department: dept,
        passwordProfile: { password: 'Xy7!-correct-horse-battery' }, onPremisesExtensionAttributes: { extensionAttribute1: ext },
      });
      expect(r.status).toBe(201);
      ids[nick] = String(r.json.id);
    }
  });
  afterAll(async () => {
    await L.emu.close();
  });
  const members = async (path: string): Promise<string[]> => ((await L.writer('GET', `${path}/members?$select=id`)).json.value as { id: string }[]).map((m) => m.id).sort();

  it('a group rule on user.extensionAttribute1 gets the users whose attribute matches', async () => {
    const g = await L.writer('POST', '/groups', {
      displayName: 'ext blue', mailEnabled: false, mailNickname: 'extblue', securityEnabled: true, groupTypes: ['DynamicMembership'],
      membershipRule: '(user.extensionAttribute1 -eq "blue")', membershipRuleProcessingState: 'On',
    });
    expect(g.status).toBe(201);
    expect(await members(`/groups/${g.json.id}`)).toEqual([ids['dyn-a']]);
  });

  it('a dynamic administrative unit gets its members from its rule, follows user changes, and refuses manual members', async () => {
    const au = await L.writer('POST', '/directory/administrativeUnits', {
      displayName: 'Finance users', membershipType: 'Dynamic', membershipRule: '(user.department -eq "Finance")', membershipRuleProcessingState: 'On',
    });
    expect(au.status).toBe(201);
    const path = `/directory/administrativeUnits/${au.json.id}`;
    expect(await members(path)).toEqual([ids['dyn-a'], ids['dyn-c']].sort());
    expect((await L.writer('PATCH', `/users/${ids['dyn-b']}`, { department: 'Finance' })).status).toBe(204);
    expect(await members(path)).toEqual([ids['dyn-a'], ids['dyn-b'], ids['dyn-c']].sort());
    const manual = await L.writer('POST', `${path}/members/$ref`, { '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${ids['dyn-a']}` });
    expect(manual.status).toBe(400);
    expect(errorCode(manual)).toBe('Request_BadRequest');
    const badRule = await L.writer('POST', '/directory/administrativeUnits', { displayName: 'bad', membershipType: 'Dynamic', membershipRule: 'department == Finance' });
    expect(badRule.status).toBe(400);
  });
});
