/**
 * Entra's password policy on a user's passwordProfile (src/emulator/password-policy.ts), as
 * https://learn.microsoft.com/entra/identity/authentication/concept-sspr-policy documents it
 * ("Microsoft Entra password policies": 8–256 characters of the allowed ones, three of four
 * kinds) and Graph refuses it on POST /users and PATCH /users/{id}
 * (https://learn.microsoft.com/graph/api/user-post-users, https://learn.microsoft.com/graph/api/user-update):
 * 400 Request_BadRequest, "The specified password does not comply with password complexity
 * requirements. Please provide a different password." (docs/graph-facts.md §3, S400).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedTenant } from '../../src/emulator/seed/index.js';
import { meetsPasswordPolicy, PASSWORD_REFUSED } from '../../src/emulator/password-policy.js';
import { errorCode, lab, type Lab } from './helpers.js';

describe('the password policy', () => {
  it('takes 8 to 256 characters of three kinds or four, from the allowed characters only', () => {
    for (const ok of ['Abcdefg1', 'abcdefg1!', 'ABCDEFG1!', 'Abcdefg!', 'Ab1 ' + 'x'.repeat(4), `A1!${'a'.repeat(253)}`, 'aB3~`"()<>;', 'Ab1[]{}|\\:\',.?/']) {
      expect(meetsPasswordPolicy(ok), ok).toBe(true);
    }
    for (const bad of ['Abcdef1', 'abcdefgh', 'abcdefg1', 'ABCDEFG!', '12345678!', `A1!${'a'.repeat(254)}`, 'Abcdefg1é', 'Abcdefg1€', 'Abcdefg1\t', '']) {
      expect(meetsPasswordPolicy(bad), bad).toBe(false);
    }
  });
});

describe('users: Graph refuses a password the policy does not allow', () => {
  let L: Lab;
  beforeAll(async () => {
    L = await lab(seedTenant({ seed: 21, users: 5 }));
  });
  afterAll(async () => {
    await L.emu.close();
  });
  const body = (upn: string, password: string) => ({
    accountEnabled: true, displayName: upn, mailNickname: upn, userPrincipalName: `${upn}@${L.tenant.initialDomain}`,
    passwordProfile: { password, forceChangePasswordNextSignIn: true },
  });

  it('on create: 400 with Graph\'s message, and no user made; a compliant one is created', async () => {
    for (const [upn, weak] of [['weak1', 'abc'], ['weak2', 'alllowercase1'], ['weak3', 'Unicodé-Passw0rd']] as const) {
      const r = await L.writer('POST', '/users', body(upn, weak));
      expect(r.status).toBe(400);
      expect(errorCode(r)).toBe('Request_BadRequest');
      expect(r.json.error.message).toBe(PASSWORD_REFUSED);
      const found = await L.writer('GET', `/users?$filter=userPrincipalName eq '${upn}@${L.tenant.initialDomain}'`);
      expect(found.json.value).toEqual([]);
    }
    const ok = await L.writer('POST', '/users', body('strong1', 'Str0ng-enough'));
    expect(ok.status).toBe(201);
  });

  it('on update: a PATCH setting a weak password is refused and changes nothing; a compliant one is taken', async () => {
    const users = (await L.writer('GET', '/users?$select=id,displayName')).json.value as { id: string; displayName: string }[];
    const u = users[0]!;
    const r = await L.writer('PATCH', `/users/${u.id}`, { displayName: 'renamed', passwordProfile: { password: 'short1A' } });
    expect(r.status).toBe(400);
    expect(r.json.error.message).toBe(PASSWORD_REFUSED);
    expect((await L.writer('GET', `/users/${u.id}?$select=displayName`)).json.displayName).toBe(u.displayName);
    expect((await L.writer('PATCH', `/users/${u.id}`, { passwordProfile: { password: 'An0ther good one', forceChangePasswordNextSignIn: true } })).status).toBe(204);
  });
});
