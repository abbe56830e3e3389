/**
 * The emulator's unique keys (src/emulator/store.ts UNIQUE_KEYS), which its writes enforce
 * (src/emulator/writes.ts `checkUnique`): a second object holding the same key, created or
 * patched to it, answers 400 Request_MultipleObjectsWithSameKeyValue, the key compared ignoring
 * case (a second service principal of one appId is refused earlier, 409, by its servicePrincipalNames). Each key is an alternate key Graph documents (docs/graph-facts.md §1, S371):
 * - https://learn.microsoft.com/graph/api/resources/user (userPrincipalName, unique in the tenant);
 * - https://learn.microsoft.com/graph/api/resources/group and https://learn.microsoft.com/graph/api/resources/application
 *   (uniqueName, "used as an alternate key"; application and service principal appId likewise);
 * - https://learn.microsoft.com/graph/api/profilesource-update (profileSources(sourceId='…')).
 * Every type with a unique key has a case here, so a key added to the store without one fails.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyTenant } from '../../src/emulator/seed/index.js';
import { UNIQUE_KEYS } from '../../src/emulator/store.js';
import type { ResourceType } from '../../src/catalog/types.js';
import { lab, type Lab } from './helpers.js';

type Json = Record<string, unknown>;
const code = (j: unknown): unknown => (j as { error?: { code?: string } } | undefined)?.error?.code;

describe('emulator: unique keys', () => {
  let L: Lab;
  let domain = '';
  beforeAll(async () => {
    L = await lab(emptyTenant({ seed: 377 }));
    domain = L.tenant.initialDomain;
  });
  afterAll(async () => {
    await L.emu.close();
  });

  /** Per type: the collection, two bodies differing in the key, the key, and the second one's PATCH path. */
  const cases = (): Record<string, { path: string; a: Json; b: Json; prop: string; dup: (v: string) => string; patch: (id: string, b: Json) => string }> => ({
    user: {
      path: '/users', prop: 'userPrincipalName', dup: (v) => v.toUpperCase(), patch: (id) => `/users/${id}`,
      a: { accountEnabled: true, displayName: 'A', mailNickname: 'ua', userPrincipalName: `ua@${domain}`, passwordProfile: { password: 'Xy7!aa-Long-pass' } },
      b: { accountEnabled: true, displayName: 'B', mailNickname: 'ub', userPrincipalName: `ub@${domain}`, passwordProfile: { password: 'Xy7!bb-Long-pass' } },
    },
    group: {
      path: '/groups', prop: 'uniqueName', dup: (v) => v.toUpperCase(), patch: (id) => `/groups/${id}`,
      a: { displayName: 'A', mailEnabled: false, mailNickname: 'ga', securityEnabled: true, uniqueName: 'group-a' },
      b: { displayName: 'B', mailEnabled: false, mailNickname: 'gb', securityEnabled: true, uniqueName: 'group-b' },
    },
    application: {
      path: '/applications', prop: 'uniqueName', dup: (v) => v.toUpperCase(), patch: (id) => `/applications/${id}`,
      a: { displayName: 'A', uniqueName: 'app-a' }, b: { displayName: 'B', uniqueName: 'app-b' },
    },
    profileSource: {
      path: '/admin/people/profileSources', prop: 'sourceId', dup: (v) => v.toUpperCase(), patch: (_id, b) => `/admin/people/profileSources(sourceId='${String(b['sourceId'])}')`,
      a: { sourceId: 'hr-a', kind: 'Workday', displayName: 'A' }, b: { sourceId: 'hr-b', kind: 'Workday', displayName: 'B' },
    },
  });

  it('has a case for every type with a unique key', () => {
    const covered = new Set([...Object.keys(cases()), 'servicePrincipal']);
    expect(Object.keys(UNIQUE_KEYS).filter((t) => !covered.has(t as ResourceType))).toEqual([]);
  });

  for (const type of ['user', 'group', 'application', 'profileSource']) {
    it(`${type}: a create or a PATCH onto another's key answers 400 Request_MultipleObjectsWithSameKeyValue`, async () => {
      const c = cases()[type]!;
      const a = await L.writer('POST', c.path, c.a);
      expect(a.status, a.text).toBe(201);
      const b = await L.writer('POST', c.path, c.b);
      expect(b.status, b.text).toBe(201);
      const dup = await L.writer('POST', c.path, { ...c.b, [c.prop]: c.dup(String(c.a[c.prop])), ...(type === 'user' ? { mailNickname: 'uc' } : type === 'group' ? { mailNickname: 'gc' } : {}) });
      expect([dup.status, code(dup.json)]).toEqual([400, 'Request_MultipleObjectsWithSameKeyValue']);
      if (type === 'user') {
        // (uniqueName is immutable and a profile source's sourceId cannot change: their PATCH is refused as read-only first)
        const p = await L.writer('PATCH', c.patch(String((b.json as Json)['id']), c.b), { [c.prop]: c.a[c.prop] });
        expect([p.status, code(p.json)]).toEqual([400, 'Request_MultipleObjectsWithSameKeyValue']);
      }
      // a PATCH keeping its own key is no conflict
      const same = await L.writer('PATCH', c.patch(String((a.json as Json)['id']), c.a), { displayName: 'A again' });
      expect(same.status, same.text).toBeLessThan(300);
    });
  }

  // the servicePrincipalNames check (the appId is one of them) answers first, with 409
  // (https://learn.microsoft.com/graph/api/serviceprincipal-post-serviceprincipals), before the appId key
  it('servicePrincipal: a second service principal of one appId answers 409 Request_MultipleObjectsWithSameKeyValue', async () => {
    const app = await L.writer('POST', '/applications', { displayName: 'SP app' });
    const appId = String((app.json as Json)['appId']);
    expect((await L.writer('POST', '/servicePrincipals', { appId })).status).toBe(201);
    const dup = await L.writer('POST', '/servicePrincipals', { appId });
    expect([dup.status, code(dup.json)]).toEqual([409, 'Request_MultipleObjectsWithSameKeyValue']);
  });

  // a soft-deleted user comes back only while no live user holds its UPN: Restore-MsolUser's
  // -NewUserPrincipalName "should be used if the original UserPrincipalName of the user is in use
  // by another active user" (https://learn.microsoft.com/en-us/previous-versions/azure/dn194109(v=azure.100);
  // https://learn.microsoft.com/graph/api/directory-deleteditems-restore). src/emulator/recycle.ts
  // checks the same keys as a create (store.ts UNIQUE_KEYS).
  it('user: a restore from the recycle bin onto a UPN a live user took answers 400 Request_MultipleObjectsWithSameKeyValue', async () => {
    const upn = `ud@${domain}`;
    const body = (nick: string) => ({ accountEnabled: true, displayName: nick, mailNickname: nick, userPrincipalName: upn, passwordProfile: { password: 'Xy7!dd-Long-pass' } });
    const first = await L.writer('POST', '/users', body('ud1'));
    expect(first.status, first.text).toBe(201);
    const id = String((first.json as Json)['id']);
    expect((await L.writer('DELETE', `/users/${id}`)).status).toBe(204);
    expect((await L.writer('POST', '/users', body('ud2'))).status).toBe(201);
    const back = await L.writer('POST', `/directory/deletedItems/${id}/restore`);
    expect([back.status, code(back.json)]).toEqual([400, 'Request_MultipleObjectsWithSameKeyValue']);
  });
});
