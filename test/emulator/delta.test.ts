import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedTenant } from '../../src/emulator/seed/index.js';
import { errorCode, lab, type Lab, type Reply } from './helpers.js';

async function round(L: Lab, first: string): Promise<{ items: Array<Record<string, unknown>>; deltaLink: string }> {
  const items: Array<Record<string, unknown>> = [];
  let url: string | undefined = first;
  for (;;) {
    const r: Reply = await L.reader('GET', url, undefined, { Prefer: 'odata.maxpagesize=7' });
    expect(r.status).toBe(200);
    items.push(...r.json.value);
    if (r.json['@odata.deltaLink']) return { items, deltaLink: r.json['@odata.deltaLink'] };
    url = r.json['@odata.nextLink'];
    expect(url).toBeTruthy();
  }
}

describe('emulator delta queries', () => {
  let L: Lab;
  beforeAll(async () => {
    L = await lab(seedTenant({ seed: 5, users: 30 }));
  });
  afterAll(async () => {
    await L.emu.close();
  });

  it('returns every user, then only changes with @removed reasons, then 410 after 7 days', async () => {
    const first = await round(L, '/users/delta?$select=id,displayName,jobTitle');
    expect(first.items.length).toBe(L.tenant.objects.user!.length);
    expect(Object.keys(first.items[0]!).filter((k) => !k.startsWith('@')).sort()).toEqual(['displayName', 'id', 'jobTitle']);
    const [a, b, c] = L.tenant.objects.user!.filter((u) => !u.onPremisesSyncEnabled).slice(3, 6);
    expect((await L.writer('PATCH', `/users/${a!.id}`, { jobTitle: 'Changed' })).status).toBe(204);
    expect((await L.writer('DELETE', `/users/${b!.id}`)).status).toBe(204);
    expect((await L.writer('DELETE', `/users/${c!.id}`)).status).toBe(204);
    expect((await L.writer('DELETE', `/directory/deletedItems/${c!.id}`)).status).toBe(204);
    const second = await round(L, first.deltaLink);
    const byId = new Map(second.items.map((i) => [i.id as string, i]));
    expect(byId.size).toBe(3);
    expect(byId.get(a!.id)!.jobTitle).toBe('Changed');
    expect(byId.get(b!.id)!['@removed']).toEqual({ reason: 'changed' });
    expect(byId.get(c!.id)!['@removed']).toEqual({ reason: 'deleted' });
    const third = await round(L, second.deltaLink);
    expect(third.items).toEqual([]);
    L.clock.advance(8 * 24 * 3600 * 1000);
    const gone = await L.reader('GET', third.deltaLink);
    expect(gone.status).toBe(410);
    errorCode(gone);
    expect(gone.headers.get('location')).toContain('/users/delta');
  });

  it('tracks group membership as members@delta when members is selected', async () => {
    const first = await round(L, '/groups/delta?$select=id,displayName,members');
    const withMembers = first.items.find((g) => Array.isArray(g['members@delta']) && (g['members@delta'] as unknown[]).length > 0);
    expect(withMembers).toBeTruthy();
    const g = L.tenant.objects.group!.find((x) => !x.onPremisesSyncEnabled && !(x.groupTypes as string[]).includes('DynamicMembership'))!;
    const u = L.tenant.objects.user![0]!;
    const members = await L.reader('GET', `/groups/${g.id}/members?$select=id`);
    const isMember = members.json.value.some((m: { id: string }) => m.id === u.id);
    const r = isMember
      ? await L.writer('DELETE', `/groups/${g.id}/members/${u.id}/$ref`)
      : await L.writer('POST', `/groups/${g.id}/members/$ref`, { '@odata.id': `${L.emu.graphBaseUrl}/directoryObjects/${u.id}` });
    expect(r.status).toBe(204);
    const second = await round(L, first.deltaLink);
    const changed = second.items.find((x) => x.id === g.id)!;
    const entry = (changed['members@delta'] as Array<Record<string, unknown>>).find((m) => m.id === u.id)!;
    expect(entry['@odata.type']).toBe('#microsoft.graph.user');
    expect(entry['@removed'] !== undefined).toBe(isMember);
  });

  it('has no delta for types Graph offers none for', async () => {
    const r = await L.reader('GET', '/identity/conditionalAccess/policies/delta');
    expect(r.status).toBeGreaterThanOrEqual(400);
  });
});
