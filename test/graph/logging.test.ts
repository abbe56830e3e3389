import { afterEach, describe, expect, it } from 'vitest';
import { redactPath } from '../../src/graph/logging.js';
import { makeClient, startServer, type TestServer } from './helpers.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('logging layer', () => {
  it('reports method, path and status at debug level, never bodies or skip tokens', async () => {
    server = await startServer((req) => (req.method === 'POST' ? { status: 201, body: { id: 'n' } } : { body: { value: [] } }));
    const { client, reporter } = makeClient(server.baseUrl);
    await client.get(`${server.baseUrl}/users?$select=id&$skiptoken=OPAQUE123`);
    await client.post('/users', { passwordProfile: { password: 'Hunter2!pass' } });
    const logs = reporter.events.filter((e) => e.kind === 'log');
    expect(logs).toEqual([
      { kind: 'log', level: 'debug', message: 'graph GET /v1.0/users?$select=id&$skiptoken=… -> 200' },
      { kind: 'log', level: 'debug', message: 'graph POST /users -> 201' },
    ]);
    expect(JSON.stringify(reporter.events)).not.toMatch(/OPAQUE123|Hunter2/);
  });

  it('redacts token-like query values only', () => {
    expect(redactPath('/users/delta?%24deltatoken=abc&$select=id')).toBe('/users/delta?%24deltatoken=…&$select=id');
    expect(redactPath('/users?$filter=startswith(displayName,%27a%27)')).toBe('/users?$filter=startswith(displayName,%27a%27)');
  });
});
