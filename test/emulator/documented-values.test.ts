/**
 * String properties whose Graph page closes the set of values (src/emulator/documented-values.ts,
 * docs/graph-facts.md §3 "Documented value sets"):
 * - an application's `signInAudience` is one of four values
 *   (https://learn.microsoft.com/graph/api/resources/application, S401);
 * - a user's `usageLocation` is "a two-letter country code (ISO standard 3166)"
 *   (https://learn.microsoft.com/graph/api/resources/user);
 * - the maximum lengths the user, group, application and administrativeUnit pages give
 *   ("Maximum length is N characters"), and a group's `mailNickname` character set
 *   (https://learn.microsoft.com/graph/api/resources/group).
 * Graph refuses a value outside on create and on update; the emulator answers 400
 * Request_BadRequest, writes nothing, and accepts every documented value.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedTenant } from '../../src/emulator/seed/index.js';
import { errorCode, lab, type Lab } from './helpers.js';

type Obj = Record<string, unknown>;

describe('emulator: documented value sets', () => {
  let L: Lab;
  let userId = '';
  beforeAll(async () => {
    L = await lab(seedTenant({ seed: 401, users: 5 }));
    userId = String(L.tenant.objects.user![0]!.id);
  });
  afterAll(async () => {
    await L.emu.close();
  });

  it('signInAudience: the four documented values are created and updated; another is a 400 that writes nothing', async () => {
    const made: string[] = [];
    for (const a of ['AzureADMyOrg', 'AzureADMultipleOrgs', 'AzureADandPersonalMicrosoftAccount', 'PersonalMicrosoftAccount']) {
      const r = await L.writer('POST', '/applications', { displayName: `Audience ${a}`, signInAudience: a });
      expect(r.status, a).toBe(201);
      expect((r.json as Obj).signInAudience).toBe(a);
      made.push(String((r.json as Obj).id));
    }
    const before = ((await L.reader('GET', '/applications?$count=true&$top=1', undefined, { ConsistencyLevel: 'eventual' })).json as Obj)['@odata.count'];
    for (const bad of ['Nope', 'AzureADMyOrgs', '', 'AzureAD MyOrg']) {
      const r = await L.writer('POST', '/applications', { displayName: `Audience ${bad}`, signInAudience: bad });
      expect(r.status, bad).toBe(400);
      expect(errorCode(r)).toBe('Request_BadRequest');
      expect(JSON.stringify(r.json)).toContain("Invalid value specified for property 'signInAudience' of resource 'Application'.");
    }
    expect(((await L.reader('GET', '/applications?$count=true&$top=1', undefined, { ConsistencyLevel: 'eventual' })).json as Obj)['@odata.count']).toBe(before);
    const id = made[0]!;
    expect((await L.writer('PATCH', `/applications/${id}`, { signInAudience: 'Everyone' })).status).toBe(400);
    expect(((await L.reader('GET', `/applications/${id}?$select=signInAudience`)).json as Obj).signInAudience).toBe('AzureADMyOrg');
    expect((await L.writer('PATCH', `/applications/${id}`, { signInAudience: 'AzureADMultipleOrgs' })).status).toBe(204);
    expect(((await L.reader('GET', `/applications/${id}?$select=signInAudience`)).json as Obj).signInAudience).toBe('AzureADMultipleOrgs');
  });

  it('usageLocation: a two-letter code is written; three letters, digits or an empty string are a 400 that writes nothing', async () => {
    expect((await L.writer('PATCH', `/users/${userId}`, { usageLocation: 'NO' })).status).toBe(204);
    for (const bad of ['XYZ', 'N0', '', 'Norway']) {
      const r = await L.writer('PATCH', `/users/${userId}`, { usageLocation: bad });
      expect(r.status, bad).toBe(400);
      expect(errorCode(r)).toBe('Request_BadRequest');
      expect(JSON.stringify(r.json)).toContain("Invalid value specified for property 'usageLocation' of resource 'User'.");
    }
    expect(((await L.reader('GET', `/users/${userId}?$select=usageLocation`)).json as Obj).usageLocation).toBe('NO');
    const upn = `usage-loc@${String(L.tenant.initialDomain)}`;
    const bad = await L.writer('POST', '/users', { accountEnabled: true, displayName: 'Usage', mailNickname: 'usageloc', userPrincipalName: upn, usageLocation: 'USA', passwordProfile: { password: 'Xy7!usage-location-26' } });
    expect(bad.status).toBe(400);
    expect((await L.reader('GET', `/users/${encodeURIComponent(upn)}`)).status).toBe(404);
    const good = await L.writer('POST', '/users', { accountEnabled: true, displayName: 'Usage', mailNickname: 'usageloc', userPrincipalName: upn, usageLocation: 'US', passwordProfile: { password: 'Xy7!usage-location-26' } });
    expect(good.status).toBe(201);
  });

  it('lengths: a value at the documented maximum is written, one character more is a 400', async () => {
    const cases: Array<[string, string, number]> = [
      [`/users/${userId}`, 'displayName', 256], [`/users/${userId}`, 'jobTitle', 128], [`/users/${userId}`, 'department', 64],
      [`/users/${userId}`, 'employeeId', 16], [`/users/${userId}`, 'postalCode', 40], [`/users/${userId}`, 'streetAddress', 1024],
    ];
    const app = await L.writer('POST', '/applications', { displayName: 'Length probe' });
    cases.push([`/applications/${String((app.json as Obj).id)}`, 'displayName', 256]);
    const group = await L.writer('POST', '/groups', { displayName: 'Length probe', mailEnabled: false, mailNickname: 'lengthprobe', securityEnabled: true });
    cases.push([`/groups/${String((group.json as Obj).id)}`, 'displayName', 256], [`/groups/${String((group.json as Obj).id)}`, 'mailNickname', 64]);
    for (const [path, prop, max] of cases) {
      expect((await L.writer('PATCH', path, { [prop]: 'a'.repeat(max) })).status, `${prop} ${max}`).toBe(204);
      const r = await L.writer('PATCH', path, { [prop]: 'a'.repeat(max + 1) });
      expect(r.status, `${prop} ${max + 1}`).toBe(400);
      expect(JSON.stringify(r.json)).toContain(`Invalid value specified for property '${prop}'`);
      expect(((await L.reader('GET', `${path}?$select=${prop}`)).json as Obj)[prop]).toBe('a'.repeat(max));
    }
  });

  it("a group's mailNickname: the excluded characters and anything outside ASCII are a 400 on create; others are written", async () => {
    for (const bad of ['has space', 'at@sign', 'par(en)', 'back\\slash', 'br[ack]et', 'quo"te', 'semi;colon', 'co:lon', 'an<gle>', 'com,ma', 'ümlaut']) {
      const r = await L.writer('POST', '/groups', { displayName: `Nick ${bad}`, mailEnabled: false, mailNickname: bad, securityEnabled: true });
      expect(r.status, bad).toBe(400);
      expect(JSON.stringify(r.json)).toContain("Invalid value specified for property 'mailNickname' of resource 'Group'.");
      // as Graph names it beside the message (docs/graph-facts.md S403)
      expect((r.json as { error: { details?: unknown } }).error.details).toEqual([{ target: 'mailNickname', code: 'InvalidValue' }]);
    }
    for (const ok of ['plain', 'dash-dot.under_score', "o'brien", 'tilde~plus+eq=', 'UPPER']) {
      expect((await L.writer('POST', '/groups', { displayName: `Nick ${ok}`, mailEnabled: false, mailNickname: ok, securityEnabled: true })).status, ok).toBe(201);
    }
  });

  it('lengths of attribute sets, custom security attributes and the sign-in hint ("up to", "can\'t exceed")', async () => {
    const over = async (method: string, path: string, body: Record<string, unknown>, prop: string) => {
      const r = await L.writer(method, path, body);
      expect(r.status, `${prop} ${JSON.stringify(body).length}`).toBe(400);
      expect((r.json as { error: { details?: unknown } }).error.details).toEqual([{ target: prop, code: 'InvalidValue' }]);
    };
    await over('POST', '/directory/attributeSets', { id: 'LongDescription', description: 'd'.repeat(129), maxAttributesPerSet: 5 }, 'description');
    expect((await L.writer('POST', '/directory/attributeSets', { id: 'LongDescription', description: 'd'.repeat(128), maxAttributesPerSet: 5 })).status).toBe(201);
    const def = { attributeSet: 'LongDescription', type: 'String', status: 'Available', isCollection: false, isSearchable: true, usePreDefinedValuesOnly: false };
    await over('POST', '/directory/customSecurityAttributeDefinitions', { ...def, name: 'n'.repeat(33), description: 'x' }, 'name');
    await over('POST', '/directory/customSecurityAttributeDefinitions', { ...def, name: 'Short', description: 'x'.repeat(129) }, 'description');
    expect((await L.writer('POST', '/directory/customSecurityAttributeDefinitions', { ...def, name: 'n'.repeat(32), description: 'x'.repeat(128) })).status).toBe(201);
    const org = String(((await L.reader('GET', '/organization?$select=id')).json as { value: Obj[] }).value[0]!.id);
    const loc = `/organization/${org}/branding/localizations/de-DE`;
    await over('PATCH', loc, { usernameHintText: 'h'.repeat(65) }, 'usernameHintText');
    expect((await L.writer('PATCH', loc, { usernameHintText: 'h'.repeat(64) })).status).toBe(204);
  });

  it('values a page lists as the possible ones: userType, a group\'s visibility, theme and rule processing state, an AU\'s membershipType', async () => {
    const unified = await L.writer('POST', '/groups', { displayName: 'Listed values', mailEnabled: true, mailNickname: 'listedvalues', securityEnabled: false, groupTypes: ['Unified'], visibility: 'Private', theme: 'Teal' });
    expect(unified.status).toBe(201);
    const g = `/groups/${String((unified.json as Obj).id)}`;
    const au = await L.writer('POST', '/directory/administrativeUnits', { displayName: 'Listed values AU', membershipType: 'assigned' });
    expect(au.status).toBe(201);
    const cases: Array<[string, string, string[], string]> = [
      [`/users/${userId}`, 'userType', ['Guest', 'Member'], 'Employee'],
      [g, 'visibility', ['Public', 'Private'], 'Secret'],
      [g, 'theme', ['Purple', 'Red', 'orange'], 'Black'],
      [`/directory/administrativeUnits/${String((au.json as Obj).id)}`, 'membershipType', ['Assigned'], 'Manual'],
    ];
    for (const [path, prop, good, bad] of cases) {
      for (const v of good) expect((await L.writer('PATCH', path, { [prop]: v })).status, `${prop} ${v}`).toBe(204);
      const r = await L.writer('PATCH', path, { [prop]: bad });
      expect(r.status, `${prop} ${bad}`).toBe(400);
      expect((r.json as { error: { details?: unknown } }).error.details).toEqual([{ target: prop, code: 'InvalidValue' }]);
      expect(((await L.reader('GET', `${path}?$select=${prop}`)).json as Obj)[prop]).toBe(good.at(-1));
    }
    const dyn = await L.writer('POST', '/groups', { displayName: 'Rule state', mailEnabled: false, mailNickname: 'rulestate', securityEnabled: true, groupTypes: ['DynamicMembership'], membershipRule: '(user.department -eq "Sales")', membershipRuleProcessingState: 'Running' });
    expect(dyn.status).toBe(400);
    expect(JSON.stringify(dyn.json)).toContain("'membershipRuleProcessingState' of resource 'Group'");
  });
});
