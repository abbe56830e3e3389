import { afterEach, describe, expect, it } from 'vitest';
import { AdaptiveLimit, Semaphore } from '../../src/graph/pacing.js';
import { FakeClock, graphError, makeClient, startServer, until, type TestServer } from './helpers.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('concurrency limit', () => {
  it('never has more than `concurrency` requests in flight', async () => {
    let inFlight = 0;
    let peak = 0;
    let arrived = 0;
    server = await startServer(async () => {
      inFlight++;
      arrived++;
      peak = Math.max(peak, inFlight);
      // The first three wait for each other, so the limit is reached deterministically;
      // an unlimited client would let all twenty pile up here.
      if (arrived <= 3) await until(() => arrived >= 3, 'three requests in flight').catch(() => undefined);
      await new Promise((r) => setImmediate(r));
      inFlight--;
      return { body: { ok: true } };
    });
    const { client } = makeClient(server.baseUrl, { concurrency: 3 });
    await Promise.all(Array.from({ length: 20 }, (_, i) => client.get(`/users/${i}`)));
    expect(server.requests).toHaveLength(20);
    expect(peak).toBe(3);
  });

  it('rejects a non-positive limit as a bug', () => {
    expect(() => new Semaphore(0)).toThrow(RangeError);
  });
});

/**
 * Issue 13 item 1: Graph's throttling guidance is to reduce the request rate after a 429,
 * not only to wait Retry-After (https://learn.microsoft.com/graph/throttling, "Best practices
 * to handle throttling"). The client halves its requests in flight once per throttle episode
 * and adds one back per `limit` unthrottled answers (docs/graph-facts.md §5 "Throttling").
 */
describe('AIMD on requests in flight', () => {
  it('halves once per throttle episode, never below 1, and climbs back one per round of successes', () => {
    const clock = new FakeClock();
    const changes: Array<[number, string]> = [];
    const l = new AdaptiveLimit(8, clock, (n, why) => changes.push([n, why]));
    l.throttled(clock.t + 1000);
    // 429s of requests already in flight before the gate reopens: the same episode
    l.throttled(clock.t + 1000);
    l.throttled(clock.t + 1500);
    expect(l.current).toBe(4);
    clock.t += 1500;
    l.throttled(clock.t + 1000);
    clock.t += 1000;
    l.throttled(clock.t + 1000);
    clock.t += 1000;
    l.throttled(clock.t + 1000);
    expect(l.current).toBe(1);
    expect(l.lowestSeen).toBe(1);
    for (let i = 0; i < 1; i++) l.succeeded();
    expect(l.current).toBe(2);
    for (let i = 0; i < 2 + 3 + 4 + 5 + 6 + 7; i++) l.succeeded();
    expect(l.current).toBe(8);
    for (let i = 0; i < 50; i++) l.succeeded();
    expect(l.current).toBe(8);
    expect(changes.slice(0, 4)).toEqual([[4, 'throttled'], [2, 'throttled'], [1, 'throttled'], [2, 'recovered']]);
  });

  it('a lowered limit lets in-flight requests finish and starts no new one until below it', async () => {
    const sem = new Semaphore(3);
    await sem.acquire();
    await sem.acquire();
    await sem.acquire();
    sem.setLimit(1);
    let started = 0;
    const waiter = sem.acquire().then(() => started++);
    sem.release();
    sem.release();
    await new Promise((r) => setImmediate(r));
    expect(started).toBe(0);
    sem.release();
    await waiter;
    expect(started).toBe(1);
    sem.setLimit(2);
    await sem.acquire();
    expect(() => sem.setLimit(0)).toThrow(RangeError);
  });

  it('a 429, direct or inside a $batch, lowers the bound every caller of the client shares', async () => {
    const clock = new FakeClock();
    let inFlight = 0;
    let peakAfter = 0;
    let throttledOnce = false;
    server = await startServer(async (req) => {
      inFlight++;
      if (throttledOnce) peakAfter = Math.max(peakAfter, inFlight);
      await new Promise((r) => setImmediate(r));
      inFlight--;
      if (req.url === '/v1.0/$batch' && !throttledOnce) {
        throttledOnce = true;
        return { body: { responses: [{ id: '1', status: 429, headers: { 'Retry-After': '1' }, body: graphError('TooManyRequests', 'slow down') }] } };
      }
      return { body: { ok: true } };
    });
    const { client, stats, reporter } = makeClient(server.baseUrl, { clock, concurrency: 8 });
    await client.batch([{ id: '1', method: 'GET', url: '/users/a' }]);
    await Promise.all(Array.from({ length: 4 }, (_, i) => client.get(`/users/${i}`)));
    expect(stats.snapshot().lowestConcurrency).toBe(4);
    expect(peakAfter).toBeLessThanOrEqual(5);
    expect(reporter.events).toContainEqual({ kind: 'log', level: 'info', message: 'Graph is throttling: requests in flight lowered to 4' });
  });
});
