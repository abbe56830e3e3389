import { afterEach, describe, expect, it } from 'vitest';
import { VaultError, isVaultError } from '../../src/errors.js';
import { isResyncRequired } from '../../src/graph/client.js';
import { GraphError } from '../../src/graph/errors.js';
import type { BatchRequest } from '../../src/graph/types.js';
import { collect, graphError, makeClient, startServer, type TestServer } from './helpers.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function failure(p: Promise<unknown>): Promise<GraphError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(GraphError);
  return e as GraphError;
}

describe('list paging', () => {
  it('follows @odata.nextLink verbatim to the last page', async () => {
    // Opaque, oddly encoded skip tokens and parameter order must survive untouched.
    const page2 = '/v1.0/users?$select=id,displayName&$skiptoken=X%2F%2Bab%3D%3D&$top=2';
    const page3 = '/v1.0/users?%24skiptoken=Z~z&$select=id,displayName';
    server = await startServer((req, s) => {
      if (req.url === '/v1.0/users?$select=id,displayName&$top=2') return { body: { value: [{ id: '1' }, { id: '2' }], '@odata.nextLink': s.origin + page2 } };
      if (req.url === page2) return { body: { value: [{ id: '3' }, { id: '4' }], '@odata.nextLink': s.origin + page3 } };
      if (req.url === page3) return { body: { value: [{ id: '5' }] } };
      return { status: 404, body: graphError('Request_ResourceNotFound', `unexpected ${req.url}`) };
    });
    const { client } = makeClient(server.baseUrl);
    const items = await collect(client.list<{ id: string }>('/users?$select=id,displayName&$top=2'));
    expect(items.map((u) => u.id)).toEqual(['1', '2', '3', '4', '5']);
    expect(server.requests.map((r) => r.url)).toEqual(['/v1.0/users?$select=id,displayName&$top=2', page2, page3]);
  });

  it('rejects a page whose value is not an array', async () => {
    server = await startServer(() => ({ body: { value: { id: '1' } } }));
    const { client } = makeClient(server.baseUrl);
    const e = await failure(collect(client.list('/users')));
    expect(e.code).toBe('GRAPH_BAD_RESPONSE');
    expect(e.message).toContain('"value" array');
  });

  it('refuses a nextLink that points at another host (the token must not leave)', async () => {
    server = await startServer(() => ({ body: { value: [{ id: '1' }], '@odata.nextLink': 'http://evil.example:9/v1.0/users?$skiptoken=1' } }));
    const { client } = makeClient(server.baseUrl);
    const e = await failure(collect(client.list('/users')));
    expect(e.code).toBe('GRAPH_BAD_RESPONSE');
    expect(e.message).toContain('http://evil.example:9');
    expect(server.requests).toHaveLength(1);
  });

  it('stops on a nextLink that repeats', async () => {
    server = await startServer((_r, s) => ({ body: { value: [], '@odata.nextLink': `${s.baseUrl}/users?$skiptoken=same` } }));
    const { client } = makeClient(server.baseUrl);
    const e = await failure(collect(client.list('/users')));
    expect(e.code).toBe('GRAPH_BAD_RESPONSE');
    expect(server.requests).toHaveLength(2);
  });
});

describe('error mapping', () => {
  it('maps malformed JSON to GRAPH_BAD_RESPONSE with a one-line message and no stack', async () => {
    server = await startServer(() => ({ status: 200, headers: { 'content-type': 'application/json' }, body: '{"value": [ {"id": \n<html>oops' }));
    const { client } = makeClient(server.baseUrl);
    const e = await failure(client.get('/users/1'));
    expect(e.code).toBe('GRAPH_BAD_RESPONSE');
    expect(e.message).not.toMatch(/\n/);
    expect(e.message).not.toMatch(/\bat\s+\S+\s+\(/);
    expect(e.message).not.toContain('oops');
    expect(e.message).toContain('GET /users/1');
  });

  it('maps 403 to GRAPH_FORBIDDEN naming the missing permission', async () => {
    server = await startServer(() => ({
      status: 403,
      body: graphError('Authorization_RequestDenied', 'Insufficient privileges to complete the operation. Requires User.ReadWrite.All.', 'rid-403'),
    }));
    const { client } = makeClient(server.baseUrl);
    const e = await failure(client.patch('/users/1', { jobTitle: 'x' }));
    expect(e.code).toBe('GRAPH_FORBIDDEN');
    expect(e.status).toBe(403);
    expect(e.graphCode).toBe('Authorization_RequestDenied');
    expect(e.requestId).toBe('rid-403');
    expect(e.message).toContain('User.ReadWrite.All');
    expect(e.hint).toBe('grant the app the User.ReadWrite.All application permission and admin-consent it');
  });

  it('maps 403 without a named permission to a generic hint', async () => {
    server = await startServer(() => ({ status: 403, body: graphError('Authorization_RequestDenied', 'Insufficient privileges to complete the operation.') }));
    const { client } = makeClient(server.baseUrl);
    const e = await failure(client.get('/groups'));
    expect(e.code).toBe('GRAPH_FORBIDDEN');
    expect(e.hint).toContain('grant the app');
  });

  it('maps 401, 404 and other statuses, keeping the query string out', async () => {
    server = await startServer((req) => {
      if (req.url.startsWith('/v1.0/auth')) return { status: 401, body: graphError('InvalidAuthenticationToken', 'Access token is empty.') };
      if (req.url.startsWith('/v1.0/gone')) return { status: 404, body: graphError('Request_ResourceNotFound', "Resource 'x' does not exist") };
      return { status: 409, body: graphError('Request_MultipleObjectsWithSameKeyValue', 'conflict') };
    });
    const { client } = makeClient(server.baseUrl);
    expect((await failure(client.get('/auth'))).code).toBe('GRAPH_AUTH');
    const nf = await failure(client.get('/gone?$filter=secretish'));
    expect(nf.code).toBe('GRAPH_NOT_FOUND');
    expect(nf.graphCode).toBe('Request_ResourceNotFound');
    expect(nf.message).not.toContain('secretish');
    const other = await failure(client.post('/groups', {}));
    expect(other.code).toBe('GRAPH_REQUEST_FAILED');
    expect(other.message).toContain('409 Request_MultipleObjectsWithSameKeyValue: conflict');
  });
});

describe('delta', () => {
  it('pages until @odata.deltaLink', async () => {
    server = await startServer((req, s) => {
      if (req.url === '/v1.0/users/delta?$select=id') return { body: { value: [{ id: 'a' }], '@odata.nextLink': `${s.baseUrl}/users/delta?$skiptoken=p2` } };
      if (req.url === '/v1.0/users/delta?$skiptoken=p2') return { body: { value: [{ id: 'b', '@removed': { reason: 'deleted' } }], '@odata.deltaLink': `${s.baseUrl}/users/delta?$deltatoken=D1` } };
      return { status: 500 };
    });
    const { client } = makeClient(server.baseUrl);
    const pages = await collect(client.delta<{ id: string }>('/users/delta?$select=id'));
    expect(pages).toHaveLength(2);
    expect(pages[0]).toEqual({ items: [{ id: 'a' }] });
    expect(pages[1]?.deltaLink).toBe(`${server.baseUrl}/users/delta?$deltatoken=D1`);
    expect(pages[1]?.items[0]?.id).toBe('b');
  });

  it('turns 410 Gone into a resync-required GRAPH_REQUEST_FAILED', async () => {
    server = await startServer(() => ({ status: 410, headers: { location: '/v1.0/users/delta' }, body: graphError('SyncStateNotFound', 'token expired') }));
    const { client } = makeClient(server.baseUrl);
    const e = await failure(collect(client.delta(`${server.baseUrl}/users/delta?$deltatoken=old`)));
    expect(e.code).toBe('GRAPH_REQUEST_FAILED');
    expect(e.graphCode).toBe('SyncStateNotFound');
    expect(isResyncRequired(e)).toBe(true);
    expect(e.message).toContain('full resync');
    expect(e.message).not.toContain('old');
  });

  it('turns 400 syncStateNotFound (an expired directory delta link) into the same resync-required error', async () => {
    // https://devblogs.microsoft.com/microsoft365dev/duration-of-change-tracking-tokens-for-identity-and-education-resources
    // (docs/graph-facts.md S161): "a BadRequest response with the error code syncStateNotFound"
    server = await startServer(() => ({ status: 400, body: graphError('syncStateNotFound', 'The sync state generation is not found. The delta token is expired and data must be synchronized again.') }));
    const { client } = makeClient(server.baseUrl);
    const e = await failure(collect(client.delta(`${server.baseUrl}/users/delta?$deltatoken=old`)));
    expect(isResyncRequired(e)).toBe(true);
    expect(e.message).toContain('400 syncStateNotFound');
  });
});

describe('writes and batch', () => {
  it('sends bodies as JSON and returns created objects', async () => {
    server = await startServer((req) => {
      if (req.method === 'POST') return { status: 201, body: { id: 'new', ...(JSON.parse(req.body) as object) } };
      return { status: 204 };
    });
    const { client } = makeClient(server.baseUrl);
    expect(await client.post('/groups', { displayName: 'g' })).toEqual({ id: 'new', displayName: 'g' });
    await client.patch('/groups/new', { description: 'd' });
    await client.delete('/groups/new');
    expect(server.requests.map((r) => `${r.method} ${r.url} ${r.headers['content-type'] ?? ''}`)).toEqual([
      'POST /v1.0/groups application/json',
      'PATCH /v1.0/groups/new application/json',
      'DELETE /v1.0/groups/new ',
    ]);
  });

  it('batch() returns responses in request order and refuses more than 20 as a bug', async () => {
    server = await startServer((req) => {
      const body = JSON.parse(req.body) as { requests: Array<{ id: string; headers?: Record<string, string> }> };
      return { body: { responses: [...body.requests].reverse().map((r) => ({ id: r.id, status: 200, body: { ct: r.headers?.['Content-Type'] ?? null } })) } };
    });
    const { client } = makeClient(server.baseUrl);
    const reqs: BatchRequest[] = [
      { id: '1', method: 'GET', url: '/users/a' },
      { id: '2', method: 'PATCH', url: '/users/b', body: { x: 1 } },
    ];
    const res = await client.batch(reqs);
    expect(res.map((r) => r.id)).toEqual(['1', '2']);
    expect(res[1]?.body).toEqual({ ct: 'application/json' });
    expect(server.requests[0]?.url).toBe('/v1.0/$batch');
    expect(client.stats().batchedRequests).toBe(2);

    const many = Array.from({ length: 21 }, (_, i): BatchRequest => ({ id: String(i), method: 'GET', url: '/users' }));
    const e = await client.batch(many).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(Error);
    expect(e).not.toBeInstanceOf(VaultError);
    expect(server.requests).toHaveLength(1);
  });

  it('rejects a $batch envelope without responses', async () => {
    server = await startServer(() => ({ body: { value: [] } }));
    const { client } = makeClient(server.baseUrl);
    const e = await client.batch([{ id: '1', method: 'GET', url: '/me' }]).catch((x: unknown) => x);
    expect(isVaultError(e, 'GRAPH_BAD_RESPONSE')).toBe(true);
  });
});
