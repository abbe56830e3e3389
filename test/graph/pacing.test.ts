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

describe('retries until a per-operation deadline, not an attempt count', () => {
  // Graph "limits any further requests from that client app for some time"
  // (https://learn.microsoft.com/graph/throttling, docs/graph-facts.md §5): a client can be
  // throttled for minutes, so six attempts (the former default) gave up mid-window.
  it('keeps honouring Retry-After through a throttle lasting minutes, then succeeds', async () => {
    const clock = new FakeClock();
    let calls = 0;
    server = await startServer(() => (++calls <= 15 ? { status: 429, headers: { 'Retry-After': '30' }, body: graphError('TooManyRequests', 'slow down') } : { body: { id: 'u' } }));
    const { client } = makeClient(server.baseUrl, { clock });
    expect(await client.get('/users/u')).toEqual({ id: 'u' });
    expect(calls).toBe(16);
    expect(clock.total()).toBe(15 * 30_000);
  });

  it('gives up when the next wait would pass the deadline, with the mapped 429', async () => {
    const clock = new FakeClock();
    let calls = 0;
    server = await startServer(() => {
      calls++;
      return { status: 429, headers: { 'Retry-After': '60' }, body: graphError('TooManyRequests', 'slow down') };
    });
    const { client } = makeClient(server.baseUrl, { clock, deadlineMs: 120_000 });
    await expect(client.get('/users/u')).rejects.toMatchObject({ status: 429 });
    // attempts at 0, 60 and 120 s; a fourth at 180 s would pass the 120 s deadline
    expect(calls).toBe(3);
    expect(clock.total()).toBe(120_000);
  });
});
