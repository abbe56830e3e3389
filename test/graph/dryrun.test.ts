import { afterEach, describe, expect, it } from 'vitest';
import { dryRunClient, type DryRunRecord } from '../../src/graph/dryrun.js';
import { collect, makeClient, startServer, type TestServer } from './helpers.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('dry-run client', () => {
  it('makes zero mutating requests while reads pass through', async () => {
    server = await startServer((req) => {
      if (req.url.endsWith('/$batch')) {
        const { requests } = JSON.parse(req.body) as { requests: Array<{ id: string; method: string; dependsOn?: string[] }> };
        return { body: { responses: requests.map((r) => ({ id: r.id, status: 200, body: { method: r.method, dependsOn: r.dependsOn ?? null } })) } };
      }
      if (req.url.includes('getByIds')) return { body: { value: [{ id: 'o1' }] } };
      return { body: { value: [{ id: 'u1' }], id: 'u1' } };
    });
    const { client } = makeClient(server.baseUrl);
    const records: DryRunRecord[] = [];
    const dry = dryRunClient(client, (r) => records.push(r));

    expect(await dry.get('/users/u1')).toMatchObject({ id: 'u1' });
    expect(await collect(dry.list('/users'))).toEqual([{ id: 'u1' }]);
    const created = await dry.post<{ id: string; displayName: string }>('/groups', { displayName: 'G' });
    expect(created).toEqual({ displayName: 'G', id: 'dryrun-1' });
    const created2 = await dry.post<{ id: string }>('/applications', { displayName: 'A' });
    expect(created2.id).toBe('dryrun-2');
    await dry.patch('/users/u1', { jobTitle: 'x' });
    expect(await dry.put('/policies/x', { a: 1 })).toEqual({ a: 1 });
    await dry.delete('/groups/g1');
    expect(await dry.post('/directoryObjects/getByIds', { ids: ['o1'] })).toEqual({ value: [{ id: 'o1' }] });
    const batch = await dry.batch([
      { id: '1', method: 'POST', url: '/users', body: { displayName: 'U' } },
      { id: '2', method: 'GET', url: '/users/u1', dependsOn: ['1'] },
      { id: '3', method: 'DELETE', url: '/users/u2' },
    ]);
    expect(batch.map((r) => [r.id, r.status])).toEqual([
      ['1', 201],
      ['2', 200],
      ['3', 204],
    ]);
    expect((batch[0]?.body as { id: string }).id).toBe('dryrun-3');
    expect(batch[1]?.body).toEqual({ method: 'GET', dependsOn: null });

    const mutating = server.requests.filter((r) => {
      if (r.method === 'GET') return false;
      if (r.url.includes('getByIds')) return false;
      if (r.url.endsWith('/$batch')) return (JSON.parse(r.body) as { requests: Array<{ method: string }> }).requests.some((s) => s.method !== 'GET');
      return true;
    });
    expect(mutating).toEqual([]);
    expect(records.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /groups',
      'POST /applications',
      'PATCH /users/u1',
      'PUT /policies/x',
      'DELETE /groups/g1',
      'POST /users',
      'DELETE /users/u2',
    ]);
    expect(records[0]?.body).toEqual({ displayName: 'G' });
    expect(dry.stats().requests).toBe(server.requests.length);
  });
});
