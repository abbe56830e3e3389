import { afterEach, describe, expect, it } from 'vitest';
import { readOnlyGraph } from '../../src/graph/dryrun.js';
import { collect, makeClient, startServer, type TestServer } from './helpers.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('dry-run guard (readOnlyGraph)', () => {
  it('passes reads and a $batch of GETs through and refuses every mutating call before it is sent', async () => {
    const methods: string[] = [];
    server = await startServer((req) => {
      methods.push(`${req.method} ${req.url}`);
      if (req.url.endsWith('/$batch')) {
        const { requests } = JSON.parse(req.body) as { requests: Array<{ id: string }> };
        return { body: { responses: requests.map((r) => ({ id: r.id, status: 200, body: { id: r.id } })) } };
      }
      return { body: { value: [{ id: 'u1' }], id: 'u1' } };
    });
    const { client } = makeClient(server.baseUrl);
    const dry = readOnlyGraph(client);

    expect(await dry.get('/users/u1')).toMatchObject({ id: 'u1' });
    expect(await collect(dry.list('/users'))).toEqual([{ id: 'u1' }]);
    const batch = await dry.batch([{ id: '1', method: 'GET', url: '/users/u1' }]);
    expect(batch[0]?.status).toBe(200);

    await expect(dry.post('/groups', { displayName: 'G' })).rejects.toThrow(/dry run attempted a mutating call \(POST\)/);
    await expect(dry.patch('/users/u1', { jobTitle: 'x' })).rejects.toThrow(/PATCH/);
    await expect(dry.put('/x', {})).rejects.toThrow(/PUT/);
    await expect(dry.delete('/users/u1')).rejects.toThrow(/DELETE/);
    await expect(dry.batch([{ id: '1', method: 'GET', url: '/users/u1' }, { id: '2', method: 'DELETE', url: '/users/u1' }])).rejects.toThrow(/\$batch with writes/);

    // only the three reads reached the server
    expect(methods.every((m) => m.startsWith('GET ') || m.startsWith('POST /v1.0/$batch') || m.includes('$batch'))).toBe(true);
    expect(methods).toHaveLength(3);
  });
});
