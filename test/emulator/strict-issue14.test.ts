/**
 * Issue 14: write bodies are checked against Graph's v1.0 CSDL (src/emulator/json-types.ts),
 * as Graph's OData reader does, instead of being stored as sent. The properties and their
 * types are those of the "Create group" and "Create user" pages:
 * https://learn.microsoft.com/graph/api/group-post-groups (mailEnabled Boolean, displayName
 * String, groupTypes String collection) and https://learn.microsoft.com/graph/api/user-post-users
 * (accountEnabled Boolean, passwordProfile a passwordProfile).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedTenant } from '../../src/emulator/seed/index.js';
import { errorCode, lab, type Lab } from './helpers.js';

const group = { displayName: 'Typed', mailEnabled: false, mailNickname: 'typed', securityEnabled: true, groupTypes: [] as string[] };

describe('write bodies are checked against the CSDL types', () => {
  let L: Lab;
  let domain: string;
  beforeAll(async () => {
    L = await lab(seedTenant({ seed: 9, users: 10 }));
    domain = String(L.tenant.objects.user![0]!.userPrincipalName).split('@')[1]!;
  });
  afterAll(async () => {
    await L.emu.close();
  });

  it('refuses the wrong JSON type, a scalar for a collection and an unknown property inside a complex value', async () => {
    const cases: Array<[string, string, Record<string, unknown>, RegExp]> = [
      ['POST', '/groups', { ...group, mailEnabled: 'yes' }, /Edm\.Boolean/],
      ['POST', '/groups', { ...group, displayName: 12345 }, /Edm\.String/],
      ['POST', '/groups', { ...group, groupTypes: 'Unified' }, /Collection\(Edm\.String\)/],
      ['POST', '/groups', { ...group, groupTypes: [1] }, /Edm\.String/],
      ['POST', '/users', { accountEnabled: true, displayName: 'T', mailNickname: 't', userPrincipalName: `t@${domain}`, passwordProfile: { password: 'x-Strong-9!pass', forceChange: true } }, /does not exist on type 'microsoft\.graph\.passwordProfile'/],
      ['POST', '/users', { accountEnabled: 'true', displayName: 'T', mailNickname: 't', userPrincipalName: `t@${domain}`, passwordProfile: { password: 'x-Strong-9!pass' } }, /Edm\.Boolean/],
    ];
    for (const [method, path, body, msg] of cases) {
      const r = await L.writer(method, path, body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(errorCode(r)).toBe('BadRequest');
      expect(r.json.error.message).toMatch(msg);
    }
    // nothing was stored
    const list = await L.reader('GET', `/groups?$filter=displayName eq 'Typed'`);
    expect(list.json.value).toEqual([]);
  });

  it('refuses a wrong type on PATCH too, and accepts correctly typed bodies', async () => {
    const created = await L.writer('POST', '/groups', group);
    expect(created.status).toBe(201);
    const bad = await L.writer('PATCH', `/groups/${created.json.id}`, { description: 42 });
    expect(bad.status).toBe(400);
    const ok = await L.writer('PATCH', `/groups/${created.json.id}`, { description: 'typed' });
    expect(ok.status).toBe(204);
    const u = await L.writer('POST', '/users', { accountEnabled: true, displayName: 'T', mailNickname: 't2', userPrincipalName: `t2@${domain}`, passwordProfile: { password: 'x-Strong-9!pass', forceChangePasswordNextSignIn: true }, businessPhones: ['+1 555 0100'] });
    expect(u.status).toBe(201);
  });

  // conditionalAccessPolicy.state is the enum conditionalAccessPolicyState (enabled, disabled,
  // enabledForReportingButNotEnforced) and clientAppTypes a collection of conditionalAccessClientApp
  // (https://learn.microsoft.com/graph/api/resources/conditionalaccesspolicy,
  // https://learn.microsoft.com/graph/api/resources/conditionalaccessconditionset): a name that is
  // not a member is refused, not stored (it was before: issue 14 item 1, "enums").
  it('refuses an enum value that names no member, in a property and in a collection; members are accepted', async () => {
    const ca = (state: string, apps: string[]) => ({
      displayName: `enum-${state}`, state,
      conditions: { users: { includeUsers: ['None'] }, applications: { includeApplications: ['None'] }, clientAppTypes: apps },
      grantControls: { operator: 'OR', builtInControls: ['mfa'] },
    });
    for (const body of [ca('bogus', ['all']), ca('disabled', ['browser', 'bogusApp'])]) {
      const r = await L.writer('POST', '/identity/conditionalAccess/policies', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(errorCode(r)).toBe('BadRequest');
      expect(r.json.error.message).toMatch(/microsoft\.graph\.conditionalAccess(PolicyState|ClientApp)/);
    }
    const ok = await L.writer('POST', '/identity/conditionalAccess/policies', ca('enabledForReportingButNotEnforced', ['browser', 'mobileAppsAndDesktopClients']));
    expect(ok.status).toBe(201);
  });
});

/**
 * Issue 14 (semantics): a domain added through Graph is unverified until `verify`, and a user
 * name on it is refused — https://learn.microsoft.com/graph/api/domain-post-domains (the response
 * shows isVerified false). Before, the emulator left isVerified unset and treated it as verified.
 */
describe('an added domain is unverified', () => {
  let L: Lab;
  beforeAll(async () => {
    L = await lab(seedTenant({ seed: 10, users: 10 }));
  });
  afterAll(async () => {
    await L.emu.close();
  });

  it('answers isVerified false and refuses user names on it', async () => {
    const d = await L.writer('POST', '/domains', { id: 'added-later.example' });
    expect(d.status).toBe(201);
    expect(d.json).toMatchObject({ id: 'added-later.example', isVerified: false, isDefault: false, isInitial: false, isRoot: true, supportedServices: [] });
    const u = await L.writer('POST', '/users', { accountEnabled: true, displayName: 'On added', mailNickname: 'onadded', userPrincipalName: 'onadded@added-later.example', passwordProfile: { password: 'x-Strong-9!pass' } });
    expect(u.status).toBe(400);
  });
});

/**
 * Issue 14 (shapes): keys are case-insensitive. Graph documents
 * `GET /policies/authenticationMethodsPolicy/authenticationMethodConfigurations/fido2` for the
 * configuration whose id is "Fido2" — https://learn.microsoft.com/graph/api/fido2authenticationmethodconfiguration-get
 */
describe('keys in any case', () => {
  let L: Lab;
  beforeAll(async () => {
    L = await lab(seedTenant({ seed: 11, users: 10 }));
  });
  afterAll(async () => {
    await L.emu.close();
  });

  it('answers the documented lower-case method names and upper-case GUIDs', async () => {
    const fido = await L.reader('GET', '/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/fido2');
    expect(fido.status).toBe(200);
    expect(fido.json.id).toBe('Fido2');
    const u = L.tenant.objects.user![0]!;
    const upper = await L.reader('GET', `/users/${u.id.toUpperCase()}`);
    expect(upper.status).toBe(200);
    expect(upper.json.id).toBe(u.id);
  });
});

/**
 * Issue 14 (shapes): an object of a derived type shows its own type's properties only. The
 * documented "List namedLocations" response has `ipRanges` on an ipNamedLocation and
 * `countriesAndRegions` on a countryNamedLocation, never the other's as null —
 * https://learn.microsoft.com/graph/api/conditionalaccessroot-list-namedlocations
 */
describe('derived types keep their own shape', () => {
  let L: Lab;
  beforeAll(async () => {
    L = await lab(seedTenant({ seed: 13, users: 10 }));
  });
  afterAll(async () => {
    await L.emu.close();
  });

  it('named locations carry only their subtype properties', async () => {
    const r = await L.reader('GET', '/identity/conditionalAccess/namedLocations');
    const list = r.json.value as Array<Record<string, unknown>>;
    const ip = list.find((x) => x['@odata.type'] === '#microsoft.graph.ipNamedLocation');
    const country = list.find((x) => x['@odata.type'] === '#microsoft.graph.countryNamedLocation');
    expect(ip).toHaveProperty('ipRanges');
    expect(ip).not.toHaveProperty('countriesAndRegions');
    expect(country).toHaveProperty('countriesAndRegions');
    expect(country).not.toHaveProperty('ipRanges');
    expect(country).not.toHaveProperty('isTrusted');
  });
});

/**
 * Issue 14 (semantics): a custom security attribute definition's id is `{attributeSet}_{name}` —
 * https://learn.microsoft.com/graph/api/directory-post-customsecurityattributedefinitions
 */
describe('custom security attribute definitions', () => {
  let L: Lab;
  beforeAll(async () => {
    L = await lab(seedTenant({ seed: 14, users: 10 }));
  });
  afterAll(async () => {
    await L.emu.close();
  });

  it('are created with the id {attributeSet}_{name}', async () => {
    const set = await L.writer('POST', '/directory/attributeSets', { id: 'Marketing', description: 'x', maxAttributesPerSet: 5 });
    expect(set.status).toBe(201);
    const r = await L.writer('POST', '/directory/customSecurityAttributeDefinitions', { attributeSet: 'Marketing', description: 'Target date', isCollection: false, isSearchable: true, name: 'ProjectDate', status: 'Available', type: 'String', usePreDefinedValuesOnly: false });
    expect(r.status).toBe(201);
    expect(r.json.id).toBe('Marketing_ProjectDate');
  });
});

/**
 * An IP named location's ranges are "IPv4 CIDR format (for example, 1.2.3.4/32) or any allowable
 * IPv6 format … Required", each range's cidrAddress "Not nullable"
 * (https://learn.microsoft.com/graph/api/resources/ipnamedlocation,
 * https://learn.microsoft.com/graph/api/resources/iPv4CidrRange): src/emulator/named-locations.ts.
 */
describe('IP named locations need their ranges in CIDR notation', () => {
  let L: Lab;
  beforeAll(async () => {
    L = await lab(seedTenant({ seed: 14, users: 10 }));
  });
  afterAll(async () => {
    await L.emu.close();
  });

  it('refuses a location without ranges, a range without its address or with one that is not CIDR of its family; takes both families', async () => {
    const body = (ipRanges: unknown) => ({ '@odata.type': '#microsoft.graph.ipNamedLocation', displayName: 'Ranges', isTrusted: false, ...(ipRanges === undefined ? {} : { ipRanges }) });
    const v4 = (cidrAddress?: string) => ({ '@odata.type': '#microsoft.graph.iPv4CidrRange', ...(cidrAddress === undefined ? {} : { cidrAddress }) });
    const v6 = (cidrAddress: string) => ({ '@odata.type': '#microsoft.graph.iPv6CidrRange', cidrAddress });
    for (const bad of [undefined, [], [v4()], [v4('10.0.0.0')], [v4('10.0.0.0/33')], [v4('300.1.1.1/8')], [v4('2001:db8::/32')], [v6('10.0.0.0/8')], [{ cidrAddress: '10.0.0.0/8' }]]) {
      const r = await L.writer('POST', '/identity/conditionalAccess/namedLocations', body(bad));
      expect({ bad, status: r.status }).toEqual({ bad, status: 400 });
    }
    const made = await L.writer('POST', '/identity/conditionalAccess/namedLocations', body([v4('10.0.0.0/8'), v6('2001:db8::/32')]));
    expect(made.status).toBe(201);
    const path = `/identity/conditionalAccess/namedLocations/${String(made.json.id)}`;
    expect((await L.writer('PATCH', path, { '@odata.type': '#microsoft.graph.ipNamedLocation', ipRanges: [v4()] })).status).toBe(400);
    expect((await L.writer('PATCH', path, { '@odata.type': '#microsoft.graph.ipNamedLocation', ipRanges: [v4('192.168.0.0/24')] })).status).toBe(204);
  });
});
