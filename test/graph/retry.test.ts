import { afterEach, describe, expect, it } from 'vitest';
import { isVaultError } from '../../src/errors.js';
import { GraphError } from '../../src/graph/errors.js';
import { retryAfterMs } from '../../src/graph/pacing.js';
import { graphTransport } from '../../src/graph/transport.js';
import { StatsCollector } from '../../src/graph/stats.js';
import { FakeClock, ManualClock, graphError, makeClient, startServer, until, type TestServer } from './helpers.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('retry layer', () => {
  it('waits at least Retry-After on 429 and reports throttled events', async () => {
    const retryAfters = [2, 3, 1];
    let n = 0;
    server = await startServer(() => {
      const ra = retryAfters[n++];
      if (ra !== undefined) return { status: 429, headers: { 'retry-after': String(ra) }, body: graphError('TooManyRequests', 'slow down') };
      return { body: { id: 'u1' } };
    });
    const clock = new FakeClock();
    const { client, reporter, stats } = makeClient(server.baseUrl, { clock });
    expect(await client.get('/users/u1')).toEqual({ id: 'u1' });
    expect(server.requests).toHaveLength(4);
    expect(clock.total()).toBeGreaterThanOrEqual((2 + 3 + 1) * 1000);
    const throttled = reporter.events.filter((e) => e.kind === 'throttled');
    expect(throttled.map((e) => (e.kind === 'throttled' ? e.waitMs : 0))).toEqual([2000, 3000, 1000]);
    expect(throttled.every((e) => e.kind === 'throttled' && e.path === '/users/u1' && e.status === 429)).toBe(true);
    const s = client.stats();
    expect(s).toMatchObject({ requests: 4, retries: 3, throttled: 3 });
    expect(s.throttleWaitMs).toBeGreaterThanOrEqual(6000);
    expect(stats.snapshot()).toEqual(s);
  });

  it('honours an HTTP-date Retry-After on 503', async () => {
    const clock = new FakeClock();
    let n = 0;
    server = await startServer(() => {
      if (n++ === 0) return { status: 503, headers: { 'retry-after': new Date(clock.t + 7000).toUTCString() } };
      return { body: { ok: true } };
    });
    const { client } = makeClient(server.baseUrl, { clock });
    await client.get('/organization');
    expect(clock.total()).toBeGreaterThanOrEqual(7000);
  });

  it('backs off exponentially on 503 without Retry-After, jitter only adding', async () => {
    let n = 0;
    server = await startServer(() => (n++ < 4 ? { status: 503, body: graphError('ServiceUnavailable', 'busy') } : { body: { value: [] } }));
    const clock = new FakeClock();
    const { client, reporter } = makeClient(server.baseUrl, { clock, retryBaseDelayMs: 100, random: () => 0 });
    await client.get('/users');
    expect(clock.sleeps).toEqual([100, 200, 400, 800]);
    expect(reporter.events.filter((e) => e.kind === 'retry')).toHaveLength(4);

    n = 0;
    const clock2 = new FakeClock();
    const { client: c2 } = makeClient(server.baseUrl, { clock: clock2, retryBaseDelayMs: 100, random: () => 0.999 });
    await c2.get('/users');
    clock2.sleeps.forEach((ms, i) => {
      expect(ms).toBeGreaterThanOrEqual(100 * 2 ** i);
      expect(ms).toBeLessThanOrEqual(100 * 2 ** i * 1.2);
    });
  });

  it('gives up after maxRetries with the mapped error', async () => {
    server = await startServer((req) =>
      req.url.includes('busy')
        ? { status: 503, body: graphError('ServiceUnavailable', 'busy') }
        : { status: 429, headers: { 'retry-after': '1' }, body: graphError('TooManyRequests', 'slow') },
    );
    const { client } = makeClient(server.baseUrl, { maxRetries: 2, retryBaseDelayMs: 1 });
    const e1 = await client.get('/busy').catch((e: unknown) => e);
    expect(isVaultError(e1, 'GRAPH_UNAVAILABLE')).toBe(true);
    expect((e1 as GraphError).status).toBe(503);
    const e2 = await client.get('/throttled').catch((e: unknown) => e);
    expect(isVaultError(e2, 'GRAPH_THROTTLED')).toBe(true);
    expect(server.requests).toHaveLength(6);
  });

  it('does not retry 4xx other than 429', async () => {
    server = await startServer(() => ({ status: 400, body: graphError('Request_BadRequest', 'bad property') }));
    const { client } = makeClient(server.baseUrl);
    const e = await client.post('/users', { displayName: 'x' }).catch((x: unknown) => x);
    expect(isVaultError(e, 'GRAPH_REQUEST_FAILED')).toBe(true);
    expect((e as GraphError).message).toContain('Request_BadRequest: bad property');
    expect(server.requests).toHaveLength(1);
  });

  it('retries connection failures, then reports GRAPH_UNAVAILABLE naming the URL', async () => {
    const s = await startServer(() => ({ body: {} }));
    const dead = s.baseUrl;
    await s.close();
    const clock = new FakeClock();
    const { client, reporter } = makeClient(dead, { clock, maxRetries: 2, retryBaseDelayMs: 10 });
    const e = await client.get('/users?$skiptoken=SECRETISH').catch((x: unknown) => x);
    expect(isVaultError(e, 'GRAPH_UNAVAILABLE')).toBe(true);
    const err = e as GraphError;
    expect(err.message).toContain(`${dead}/users`);
    expect(err.message).toContain('ECONNREFUSED');
    expect(err.message).not.toContain('SECRETISH');
    expect(err.hint).toContain(new URL(dead).origin);
    expect(reporter.events.filter((x) => x.kind === 'retry')).toHaveLength(2);
    expect(clock.sleeps).toHaveLength(2);
  });

  it('pauses every caller after a 429 until Retry-After has passed (shared gate)', async () => {
    let throttledOnce = false;
    server = await startServer((req) => {
      if (req.url.endsWith('/a') && !throttledOnce) {
        throttledOnce = true;
        return { status: 429, headers: { 'retry-after': '3' }, body: graphError('TooManyRequests', 'slow') };
      }
      return { body: { path: req.url } };
    });
    const clock = new ManualClock();
    const { client } = makeClient(server.baseUrl, { clock });
    const a = client.get('/a');
    await until(() => clock.pending.length === 1, 'caller A to wait');
    const b = client.get('/b');
    await until(() => clock.pending.length === 2, 'caller B to wait at the gate');
    // B never reached the server while the gate was closed.
    expect(server.requests.map((r) => r.url)).toEqual(['/v1.0/a']);
    clock.advance(2999);
    await new Promise((r) => setTimeout(r, 20));
    expect(server.requests).toHaveLength(1);
    clock.advance(1);
    expect(await a).toEqual({ path: '/v1.0/a' });
    expect(await b).toEqual({ path: '/v1.0/b' });
    expect(clock.sleeps.every((ms) => ms >= 3000)).toBe(true);
  });
});

describe('retryAfterMs', () => {
  it('parses seconds and dates, ignores junk', () => {
    expect(retryAfterMs({ 'retry-after': '5' }, 0)).toBe(5000);
    expect(retryAfterMs({ 'retry-after': '0.5' }, 0)).toBe(500);
    expect(retryAfterMs({ 'retry-after': 'Thu, 01 Jan 1970 00:00:10 GMT' }, 4000)).toBe(6000);
    expect(retryAfterMs({ 'retry-after': 'soon' }, 0)).toBeUndefined();
    expect(retryAfterMs({}, 0)).toBeUndefined();
  });

  // src/graph/middleware.ts attemptSignal: each attempt's own timer and caller listener, cleared when it ends
  it('an attempt that outlives its timeout fails as timed out; a caller abort ends it with the caller reason; nothing stays armed', async () => {
    const seen: AbortSignal[] = [];
    const hang: typeof fetch = (_u, init) => new Promise((_res, rej) => {
      const sig = init?.signal as AbortSignal;
      seen.push(sig);
      sig.addEventListener('abort', () => rej(sig.reason));
    });
    const t = graphTransport({ baseUrl: 'https://graph.example/v1.0', clock: new FakeClock(), stats: new StatsCollector(), maxRetries: 0, fetch: hang, timeoutMs: 30 });
    const timedOut = await t.send({ method: 'GET', path: '/users' }).catch((e: unknown) => e);
    expect(timedOut).toBeInstanceOf(GraphError);
    expect((timedOut as GraphError).code).toBe('GRAPH_UNAVAILABLE');
    expect((timedOut as GraphError).message).toContain('timed out');
    const caller = new AbortController();
    const pending = t.send({ method: 'GET', path: '/users' }, caller.signal).catch((e: unknown) => e);
    await until(() => seen.length === 2, 'the second attempt');
    caller.abort(new Error('operator interrupt'));
    expect(((await pending) as Error).message).toBe('operator interrupt');
    expect(seen.every((s) => s.aborted)).toBe(true);
    // a finished attempt no longer listens to the caller's signal
    const ok: typeof fetch = async () => new Response('{"id":"u1"}', { headers: { 'content-type': 'application/json' } });
    const t2 = graphTransport({ baseUrl: 'https://graph.example/v1.0', clock: new FakeClock(), stats: new StatsCollector(), fetch: ok, timeoutMs: 30 });
    const c2 = new AbortController();
    let listeners = 0;
    const add = c2.signal.addEventListener.bind(c2.signal);
    const remove = c2.signal.removeEventListener.bind(c2.signal);
    c2.signal.addEventListener = ((...a: Parameters<typeof add>) => { listeners++; add(...a); }) as typeof add;
    c2.signal.removeEventListener = ((...a: Parameters<typeof remove>) => { listeners--; remove(...a); }) as typeof remove;
    expect((await t2.send({ method: 'GET', path: '/users/u1' }, c2.signal)).status).toBe(200);
    expect(listeners).toBe(0);
  });
});
