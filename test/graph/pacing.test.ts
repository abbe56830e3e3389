import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock, graphError, makeClient, startServer, type TestServer } from './helpers.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('one owner of pacing: $batch sub-responses and the shared gate', () => {
  it('a throttled $batch sub-request pauses every caller of the client for its Retry-After', async () => {
    const clock = new FakeClock();
    const seenAt: Array<{ url: string; t: number }> = [];
    server = await startServer((req) => {
      seenAt.push({ url: req.url, t: clock.t });
      if (req.url === '/v1.0/$batch') {
        return {
          body: {
            responses: [
              { id: '1', status: 200, body: { id: 'a' } },
              { id: '2', status: 429, headers: { 'Retry-After': '5' }, body: graphError('TooManyRequests', 'slow down') },
            ],
          },
        };
      }
      return { body: { id: 'z' } };
    });
    const { client, stats, reporter } = makeClient(server.baseUrl, { clock });
    const t0 = clock.t;
    const subs = await client.batch([
      { id: '1', method: 'GET', url: '/users/a' },
      { id: '2', method: 'GET', url: '/users/b' },
    ]);
    // the sub-responses come back as they are: re-sending is batchAll's or the caller's job
    expect(subs.map((r) => r.status)).toEqual([200, 429]);
    // another caller, which never saw the 429, waits at the gate before its request leaves
    expect(await client.get('/users/z')).toEqual({ id: 'z' });
    const direct = seenAt.find((s) => s.url === '/v1.0/users/z');
    expect(direct?.t).toBeGreaterThanOrEqual(t0 + 5000);
    expect(clock.sleeps).toEqual([5000]);
    expect(stats.snapshot()).toMatchObject({ requests: 2, batchedRequests: 2, throttled: 1, throttleWaitMs: 5000 });
    // one event per throttled $batch, as one per direct 429
    expect(reporter.events.filter((e) => e.kind === 'throttled')).toEqual([{ kind: 'throttled', waitMs: 5000, status: 429, path: '/$batch', attempt: 1 }]);
  });

  it('a 429 sub-response without Retry-After still pauses callers for one backoff step', async () => {
    const clock = new FakeClock();
    server = await startServer((req) =>
      req.url === '/v1.0/$batch'
        ? { body: { responses: [{ id: '1', status: 429, body: graphError('TooManyRequests', 'slow down') }] } }
        : { body: { id: 'z' } },
    );
    const { client } = makeClient(server.baseUrl, { clock, retryBaseDelayMs: 100, random: () => 0 });
    await client.batch([{ id: '1', method: 'GET', url: '/users/a' }]);
    await client.get('/users/z');
    expect(clock.sleeps).toEqual([100]);
  });

  it('sub-responses that are not 429 close no gate', async () => {
    const clock = new FakeClock();
    server = await startServer((req) =>
      req.url === '/v1.0/$batch'
        ? { body: { responses: [{ id: '1', status: 503, headers: { 'Retry-After': '9' }, body: graphError('ServiceUnavailable', 'busy') }, { id: '2', status: 404, body: graphError('Request_ResourceNotFound', 'gone') }] } }
        : { body: { id: 'z' } },
    );
    const { client, stats } = makeClient(server.baseUrl, { clock });
    await client.batch([
      { id: '1', method: 'GET', url: '/users/a' },
      { id: '2', method: 'GET', url: '/users/b' },
    ]);
    await client.get('/users/z');
    expect(clock.sleeps).toEqual([]);
    expect(stats.snapshot().throttled).toBe(0);
  });
});
