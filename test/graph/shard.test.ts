/**
 * The sharding client (src/graph/shard.ts, issue 17 item 3): calls spread over recovery apps,
 * a throttled app skipped while others are open, all closed → the earliest to reopen, and
 * profiles of different tenants refused before any connection.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Clock } from '../../src/clock.js';
import { ShardedGraphClient, createGraphClientForApps, type GraphShard } from '../../src/graph/shard.js';
import { ThrottleGate } from '../../src/graph/pacing.js';
import type { BatchResponse, GraphClient, GraphStats } from '../../src/graph/types.js';
import type { ConnectionProfile } from '../../src/profile.js';

function manualClock(): Clock & { t: number } {
  const c = {
    t: 1_000_000,
    now: () => new Date(c.t),
    sleep: async (ms: number) => {
      c.t += ms;
    },
  };
  return c;
}

/** A GraphClient that records each call and can hold it open until released. */
function fakeClient(name: string, log: string[], hold?: Promise<void>): GraphClient {
  const stats: GraphStats = { requests: 0, batchedRequests: 0, retries: 0, throttled: 0, throttleWaitMs: 0 };
  const call = async <T>(what: string, value: T): Promise<T> => {
    log.push(`${name}:${what}`);
    stats.requests++;
    if (hold) await hold;
    return value;
  };
  return {
    get: <T>(p: string) => call(`GET ${p}`, { id: name } as T),
    async *list<T>(p: string) {
      await call(`LIST ${p}`, undefined);
      yield { app: name } as T;
    },
    async *delta<T>(p: string) {
      await call(`DELTA ${p}`, undefined);
      yield { items: [] as T[], deltaLink: 'd' };
    },
    post: <T>(p: string) => call(`POST ${p}`, { id: name } as T),
    patch: (p: string) => call(`PATCH ${p}`, undefined),
    put: <T>(p: string) => call(`PUT ${p}`, {} as T),
    delete: (p: string) => call(`DELETE ${p}`, undefined),
    batch: (r) => call(`BATCH ${r.length}`, [] as BatchResponse[]),
    stats: () => ({ ...stats }),
  };
}

function shards(n: number, clock: Clock, log: string[], hold?: Promise<void>): GraphShard[] {
  return Array.from({ length: n }, (_, i) => ({ name: `app${i}`, client: fakeClient(`app${i}`, log, hold), gate: new ThrottleGate(clock) }));
}

describe('ShardedGraphClient', () => {
  it('spreads sequential calls round-robin over the apps', async () => {
    const clock = manualClock();
    const log: string[] = [];
    const g = new ShardedGraphClient(shards(3, clock, log), clock);
    for (let i = 0; i < 6; i++) await g.post('/users', {});
    expect(log.map((l) => l.split(':')[0])).toEqual(['app0', 'app1', 'app2', 'app0', 'app1', 'app2']);
    expect(g.stats().requests).toBe(6);
    expect(g.shardStats().map((s) => s.calls)).toEqual([2, 2, 2]);
  });

  it('property: concurrent calls never differ by more than one per app, whatever their number', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 60 }), async (apps, calls) => {
        const clock = manualClock();
        const log: string[] = [];
        let release!: () => void;
        const hold = new Promise<void>((r) => (release = r));
        const g = new ShardedGraphClient(shards(apps, clock, log, hold), clock);
        const all = Array.from({ length: calls }, (_, i) => g.patch(`/users/${i}`, {}));
        await new Promise((r) => setImmediate(r));
        const counts = g.shardStats().map((s) => s.calls);
        expect(counts.reduce((a, b) => a + b, 0)).toBe(calls);
        expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
        release();
        await Promise.all(all);
      }),
      { numRuns: 40 },
    );
  });

  it('sends to the app with the fewest calls in flight', async () => {
    const clock = manualClock();
    const log: string[] = [];
    let release!: () => void;
    const hold = new Promise<void>((r) => (release = r));
    const s = shards(2, clock, log);
    s[0] = { ...s[0]!, client: fakeClient('app0', log, hold) };
    const g = new ShardedGraphClient(s, clock);
    const slow = g.post('/users', {}); // app0, held open
    await g.post('/users', {}); // app1 (round-robin and fewer in flight)
    await g.post('/users', {}); // app1 again: app0 still has one in flight
    expect(log.map((l) => l.split(':')[0])).toEqual(['app0', 'app1', 'app1']);
    release();
    await slow;
  });

  it('skips an app whose gate a 429 closed while the others are open, and uses it again once it reopens', async () => {
    const clock = manualClock();
    const log: string[] = [];
    const s = shards(3, clock, log);
    s[1]!.gate.closeUntil(clock.t + 5000);
    const g = new ShardedGraphClient(s, clock);
    for (let i = 0; i < 4; i++) await g.post('/groups', {});
    expect(log.map((l) => l.split(':')[0])).toEqual(['app0', 'app2', 'app0', 'app2']);
    expect(clock.t).toBe(1_000_000); // nobody waited
    clock.t += 5000;
    log.length = 0;
    for (let i = 0; i < 3; i++) await g.post('/groups', {});
    expect(new Set(log.map((l) => l.split(':')[0]))).toEqual(new Set(['app0', 'app1', 'app2']));
  });

  it('with every gate closed waits for the one that reopens first, and only that long', async () => {
    const clock = manualClock();
    const log: string[] = [];
    const s = shards(3, clock, log);
    s[0]!.gate.closeUntil(clock.t + 9000);
    s[1]!.gate.closeUntil(clock.t + 3000);
    s[2]!.gate.closeUntil(clock.t + 7000);
    const g = new ShardedGraphClient(s, clock);
    const start = clock.t;
    await g.get('/organization');
    expect(log).toEqual(['app1:GET /organization']);
    expect(clock.t - start).toBe(3000);
  });

  it('keeps a listing on one app and counts it', async () => {
    const clock = manualClock();
    const log: string[] = [];
    const g = new ShardedGraphClient(shards(2, clock, log), clock);
    const got: unknown[] = [];
    for await (const x of g.list('/users')) got.push(x);
    for await (const p of g.delta('/users/delta')) got.push(p.deltaLink);
    expect(got).toEqual([{ app: 'app0' }, 'd']);
    expect(log).toEqual(['app0:LIST /users', 'app1:DELTA /users/delta']);
  });
});

describe('createGraphClientForApps', () => {
  const profile = (tenantId: string, clientId: string): ConnectionProfile => ({
    tenantId, clientId, authorityHost: 'http://127.0.0.1:1', graphBaseUrl: 'http://127.0.0.1:1/v1.0',
    auth: { kind: 'clientSecret', secret: 'x' }, emulator: true,
  });

  it('refuses profiles of different tenants (TARGET_TENANTS_DIFFER) before connecting to any', async () => {
    // port 1 refuses connections: reaching createGraphClient would throw GRAPH_UNAVAILABLE instead
    await expect(createGraphClientForApps([profile('t-1', 'a'), profile('t-2', 'b')])).rejects.toMatchObject({ code: 'TARGET_TENANTS_DIFFER' });
  });

  it('refuses the same app twice: one app has one quota', async () => {
    await expect(createGraphClientForApps([profile('t-1', 'a'), profile('T-1', 'A')])).rejects.toMatchObject({ code: 'USAGE' });
  });
});
