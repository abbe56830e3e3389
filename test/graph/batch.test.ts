import { afterEach, describe, expect, it } from 'vitest';
import { batchAll, chunkBatchRequests } from '../../src/graph/batch.js';
import type { BatchRequest } from '../../src/graph/types.js';
import { FakeClock, graphError, makeClient, startServer, type TestServer } from './helpers.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

interface SubReq {
  id: string;
  method: string;
  url: string;
  dependsOn?: string[];
}

/**
 * A $batch endpoint with Graph's dependsOn semantics: a sub-request whose dependency did
 * not succeed gets 424. `decide` answers the others.
 */
function batchServer(decide: (r: SubReq, round: number) => { status: number; headers?: Record<string, string>; body?: unknown }) {
  const seenBatches: SubReq[][] = [];
  const rounds = new Map<string, number>();
  return {
    seenBatches,
    handler: (req: { body: string }) => {
      const { requests } = JSON.parse(req.body) as { requests: SubReq[] };
      if (requests.length > 20) return { status: 400, body: graphError('BadRequest', 'too many') };
      seenBatches.push(requests);
      const status = new Map<string, number>();
      const responses = requests.map((r) => {
        const failedDep = (r.dependsOn ?? []).find((d) => !(status.has(d) && status.get(d)! < 400));
        if (failedDep !== undefined) {
          status.set(r.id, 424);
          return { id: r.id, status: 424, body: graphError('FailedDependency', 'dependency failed') };
        }
        const round = rounds.get(r.id) ?? 0;
        rounds.set(r.id, round + 1);
        const ans = decide(r, round);
        status.set(r.id, ans.status);
        return { id: r.id, ...ans };
      });
      return { body: { responses } };
    },
  };
}

const get = (id: string, dependsOn?: string[]): BatchRequest => ({ id, method: 'GET', url: `/users/${id}`, ...(dependsOn ? { dependsOn } : {}) });

describe('chunkBatchRequests', () => {
  it('keeps dependsOn-connected requests in one chunk of at most 20', () => {
    const reqs: BatchRequest[] = [];
    for (let i = 0; i < 15; i++) reqs.push(get(`a${i}`));
    // A chain of 8 that cannot fit into the first chunk's remaining 5 slots.
    for (let i = 0; i < 8; i++) reqs.push(get(`c${i}`, i > 0 ? [`c${i - 1}`] : undefined));
    for (let i = 0; i < 10; i++) reqs.push(get(`b${i}`));
    const chunks = chunkBatchRequests(reqs);
    expect(chunks.every((c) => c.length <= 20)).toBe(true);
    expect(chunks.flat().map((r) => r.id).sort()).toEqual(reqs.map((r) => r.id).sort());
    const chainChunks = new Set(chunks.map((c, i) => (c.some((r) => r.id.startsWith('c')) ? i : -1)).filter((i) => i >= 0));
    expect(chainChunks.size).toBe(1);
    for (const c of chunks) {
      const ids = new Set(c.map((r) => r.id));
      for (const r of c) for (const d of r.dependsOn ?? []) expect(ids.has(d)).toBe(true);
    }
  });

  it('throws a bug error for unknown dependencies, duplicates and oversized chains', () => {
    expect(() => chunkBatchRequests([get('a', ['zzz'])])).toThrow(/unknown id/);
    expect(() => chunkBatchRequests([get('a'), get('a')])).toThrow(/duplicate/);
    const chain = Array.from({ length: 21 }, (_, i) => get(`c${i}`, i > 0 ? [`c${i - 1}`] : undefined));
    expect(() => chunkBatchRequests(chain)).toThrow(/at most 20/);
  });
});

describe('batchAll', () => {
  it('splits 45 requests into three $batch calls and returns every response by id', async () => {
    const fake = batchServer((r) => ({ status: 200, body: { id: r.url.split('/').pop() } }));
    server = await startServer((req) => fake.handler(req));
    const { client } = makeClient(server.baseUrl);
    const reqs = Array.from({ length: 45 }, (_, i) => get(`u${i}`));
    const out = await batchAll(client, reqs, { concurrency: 2 });
    expect(server.requests).toHaveLength(3);
    expect(fake.seenBatches.map((b) => b.length).sort((a, b) => a - b)).toEqual([5, 20, 20]);
    expect(out.size).toBe(45);
    expect(out.get('u44')).toMatchObject({ status: 200, body: { id: 'u44' } });
    expect(client.stats().batchedRequests).toBe(45);
  });

  it('returns 424 for dependants of a real failure without retrying them', async () => {
    const fake = batchServer((r) => (r.id === 'bad' ? { status: 400, body: graphError('Request_BadRequest', 'invalid') } : { status: 200, body: {} }));
    server = await startServer((req) => fake.handler(req));
    const { client } = makeClient(server.baseUrl);
    const clock = new FakeClock();
    const out = await batchAll(client, [get('ok'), get('bad'), get('dep', ['bad']), get('dep2', ['dep'])], { clock });
    expect(out.get('ok')?.status).toBe(200);
    expect(out.get('bad')?.status).toBe(400);
    expect(out.get('dep')?.status).toBe(424);
    expect(out.get('dep2')?.status).toBe(424);
    expect(server.requests).toHaveLength(1);
    expect(clock.sleeps).toEqual([]);
  });

  it('re-sends throttled sub-requests and their 424 dependants after Retry-After', async () => {
    const fake = batchServer((r, round) =>
      r.id === 'x' && round === 0
        ? { status: 429, headers: { 'Retry-After': '4' }, body: graphError('TooManyRequests', 'slow') }
        : { status: r.url.includes('create') ? 201 : 200, body: { id: r.id } },
    );
    server = await startServer((req) => fake.handler(req));
    const { client, reporter } = makeClient(server.baseUrl);
    const clock = new FakeClock();
    const reqs: BatchRequest[] = [get('a'), get('x'), { id: 'y', method: 'POST', url: '/create', body: {}, dependsOn: ['x'] }, get('b')];
    const out = await batchAll(client, reqs, { clock, reporter });
    expect(out.get('x')?.status).toBe(200);
    expect(out.get('y')?.status).toBe(201);
    expect(fake.seenBatches).toHaveLength(2);
    expect(fake.seenBatches[1]?.map((r) => r.id)).toEqual(['x', 'y']);
    expect(fake.seenBatches[1]?.[1]?.dependsOn).toEqual(['x']);
    expect(clock.total()).toBeGreaterThanOrEqual(4000);
    expect(reporter.events.some((e) => e.kind === 'throttled' && e.waitMs === 4000)).toBe(true);
  });

  it('stops re-sending after maxRetries and returns the last sub-response', async () => {
    const fake = batchServer(() => ({ status: 503, body: graphError('ServiceUnavailable', 'busy') }));
    server = await startServer((req) => fake.handler(req));
    const { client } = makeClient(server.baseUrl);
    const clock = new FakeClock();
    const out = await batchAll(client, [get('a')], { clock, maxRetries: 2, baseDelayMs: 10 });
    expect(out.get('a')?.status).toBe(503);
    expect(fake.seenBatches).toHaveLength(3);
    expect(clock.sleeps).toEqual([10, 20]);
  });

  // Graph throttles a client for some time (https://learn.microsoft.com/graph/throttling):
  // re-send rounds go on until the deadline, not five rounds (the former default).
  it('re-sends throttled sub-requests until the deadline, then returns the last sub-response', async () => {
    let sent = 0;
    const fake = batchServer(() => (++sent <= 8 ? { status: 429, headers: { 'Retry-After': '20' }, body: graphError('TooManyRequests', 'slow down') } : { status: 200, body: { id: 'a' } }));
    server = await startServer((req) => fake.handler(req));
    const { client } = makeClient(server.baseUrl);
    const clock = new FakeClock();
    const out = await batchAll(client, [get('a')], { clock });
    expect(out.get('a')?.status).toBe(200);
    expect(fake.seenBatches).toHaveLength(9);
    sent = -1000;
    const late = await batchAll(client, [get('a')], { clock, deadlineMs: 50_000 });
    expect(late.get('a')?.status).toBe(429);
    // sends at 0, 20 and 40 s; a fourth at 60 s would pass the 50 s deadline
    expect(fake.seenBatches).toHaveLength(12);
  });
});
