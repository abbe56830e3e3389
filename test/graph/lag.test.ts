import { afterEach, describe, expect, it } from 'vitest';
import { isVaultError } from '../../src/errors.js';
import { RETRY_ON_LAG_HEADER, retryOnLag } from '../../src/graph/pacing.js';
import { FakeClock, graphError, makeClient, startServer, type TestServer } from './helpers.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('replication-lag retries', () => {
  it('retries 404 Request_ResourceNotFound with 1,2,4… backoff until the object is visible', async () => {
    let n = 0;
    server = await startServer(() => (n++ < 2 ? { status: 404, body: graphError('Request_ResourceNotFound', "Resource 'g1' does not exist") } : { status: 204 }));
    const clock = new FakeClock();
    const { client, reporter } = makeClient(server.baseUrl, { clock, lagBaseMs: 1 });
    await client.post('/groups/g1/members/$ref', { '@odata.id': 'x' }, retryOnLag());
    expect(server.requests).toHaveLength(3);
    expect(clock.sleeps).toEqual([1, 2]);
    expect(server.requests.every((r) => r.headers[RETRY_ON_LAG_HEADER] === undefined)).toBe(true);
    expect(reporter.events.filter((e) => e.kind === 'retry' && e.reason.includes('replication lag'))).toHaveLength(2);
  });

  it('retries 400 NoBackingApplicationObject', async () => {
    let n = 0;
    server = await startServer(() =>
      n++ === 0
        ? {
            status: 400,
            body: { error: { code: 'Request_BadRequest', message: "The appId 'a1' of the service principal does not reference a valid application object.", details: [{ code: 'NoBackingApplicationObject', target: 'appId' }] } },
          }
        : { status: 201, body: { id: 'sp1' } },
    );
    const { client } = makeClient(server.baseUrl, { lagBaseMs: 1 });
    expect(await client.post('/servicePrincipals', { appId: 'a1' }, retryOnLag())).toEqual({ id: 'sp1' });
    expect(server.requests).toHaveLength(2);
  });

  it('does not retry without the opt-in, nor other 404s', async () => {
    server = await startServer((req) =>
      req.url.includes('other') ? { status: 404, body: graphError('ResourceNotFound', 'nope') } : { status: 404, body: graphError('Request_ResourceNotFound', 'missing') },
    );
    const { client } = makeClient(server.baseUrl, { lagBaseMs: 1 });
    const e = await client.get('/users/missing').catch((x: unknown) => x);
    expect(isVaultError(e, 'GRAPH_NOT_FOUND')).toBe(true);
    expect(server.requests).toHaveLength(1);
    await client.get('/other', retryOnLag()).catch(() => undefined);
    expect(server.requests).toHaveLength(2);
  });

  it('gives up after the 1,2,4,8,16 schedule with GRAPH_NOT_FOUND', async () => {
    server = await startServer(() => ({ status: 404, body: graphError('Request_ResourceNotFound', 'missing') }));
    const clock = new FakeClock();
    const { client } = makeClient(server.baseUrl, { clock, lagBaseMs: 10 });
    const e = await client.patch('/users/u1', {}).then(() => undefined, (x: unknown) => x);
    expect(isVaultError(e, 'GRAPH_NOT_FOUND')).toBe(true);
    const e2 = await client.get('/users/u1', retryOnLag()).catch((x: unknown) => x);
    expect(isVaultError(e2, 'GRAPH_NOT_FOUND')).toBe(true);
    expect(clock.sleeps).toEqual([10, 20, 40, 80, 160]);
    expect(server.requests).toHaveLength(7);
  });
});
