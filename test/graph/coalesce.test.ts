import { describe, expect, it } from 'vitest';
import { coalescingClient } from '../../src/graph/coalesce.js';
import { errorFromResponse, GraphError } from '../../src/graph/errors.js';
import type { BatchRequest, BatchResponse, GraphClient } from '../../src/graph/types.js';
import { FakeClock, graphError } from './helpers.js';

/** An inner client that records what reaches it; `answer` decides each (sub-)request. */
function recorder(answer: (method: string, url: string, round: number) => { status: number; headers?: Record<string, string>; body?: unknown }) {
  const batches: BatchRequest[][] = [];
  const direct: string[] = [];
  const rounds = new Map<string, number>();
  const respond = (method: string, url: string) => {
    const k = `${method} ${url}`;
    const round = rounds.get(k) ?? 0;
    rounds.set(k, round + 1);
    return answer(method, url, round);
  };
  const one = async (method: string, url: string): Promise<unknown> => {
    direct.push(`${method} ${url}`);
    const r = respond(method, url);
    if (r.status >= 400) throw errorFromResponse(method, url, { status: r.status, headers: r.headers ?? {}, body: r.body });
    return r.body;
  };
  const inner: GraphClient = {
    get: (p) => one('GET', p) as never,
    list: () => {
      throw new Error('unused');
    },
    delta: () => {
      throw new Error('unused');
    },
    post: (p) => one('POST', p) as never,
    patch: async (p) => void (await one('PATCH', p)),
    put: (p) => one('PUT', p) as never,
    delete: async (p) => void (await one('DELETE', p)),
    batch: async (reqs: BatchRequest[]): Promise<BatchResponse[]> => {
      batches.push(reqs);
      return reqs.map((r) => ({ id: r.id, ...respond(r.method, r.url) }));
    },
    stats: () => ({ requests: 0, batchedRequests: 0, retries: 0, throttled: 0, throttleWaitMs: 0 }),
  };
  return { inner, batches, direct };
}

describe('coalescingClient', () => {
  it('concurrent calls travel as one $batch of at most 20 and each gets its own body or the very error the direct call gives', async () => {
    const notFound = { status: 404, body: graphError('Request_ResourceNotFound', "Resource 'x' does not exist") };
    const r = recorder((m, url) => (url === '/users/missing' ? notFound : { status: m === 'POST' ? 201 : 200, body: { id: url.split('/').pop() } }));
    const c = coalescingClient(r.inner, { clock: new FakeClock() });
    const calls = Array.from({ length: 24 }, (_, i) => c.get<{ id: string }>(`/users/u${i}`));
    const created = c.post<{ id: string }>('/groups/g1', { displayName: 'G' });
    const missing = c.get('/users/missing').then(() => 'resolved', (e: unknown) => e);
    expect((await Promise.all(calls)).map((x) => x.id)).toEqual(Array.from({ length: 24 }, (_, i) => `u${i}`));
    expect((await created).id).toBe('g1');
    const err = await missing;
    expect(err).toBeInstanceOf(GraphError);
    const want = errorFromResponse('GET', '/users/missing', { status: 404, headers: {}, body: notFound.body });
    expect({ code: (err as GraphError).code, status: (err as GraphError).status, message: (err as GraphError).message }).toEqual({ code: want.code, status: want.status, message: want.message });
    expect(r.batches.map((b) => b.length)).toEqual([20, 6]);
    expect(r.batches[1]!.find((b) => b.method === 'POST')).toMatchObject({ url: '/groups/g1', body: { displayName: 'G' } });
    expect(r.direct).toEqual([]);
  });

  it('a lone call, a call with headers, and a nextLink go directly', async () => {
    const r = recorder(() => ({ status: 200, body: { ok: true } }));
    const c = coalescingClient(r.inner);
    await c.get('/organization');
    await Promise.all([c.get('/users?$count=true', { ConsistencyLevel: 'eventual' }), c.get('https://graph.microsoft.com/v1.0/users?$skiptoken=x')]);
    expect(r.batches).toEqual([]);
    expect(r.direct).toEqual(['GET /organization', 'GET /users?$count=true', 'GET https://graph.microsoft.com/v1.0/users?$skiptoken=x']);
  });

  it('a throttled sub-request is sent again after its Retry-After; the others are not repeated', async () => {
    const r = recorder((_m, url, round) => (url === '/users/b' && round === 0 ? { status: 429, headers: { 'retry-after': '7' }, body: graphError('TooManyRequests', 'slow down') } : { status: 204 }));
    const clock = new FakeClock();
    const c = coalescingClient(r.inner, { clock });
    await Promise.all([c.patch('/users/a', { x: 1 }), c.patch('/users/b', { x: 2 }), c.delete('/users/c')]);
    expect(r.batches.map((b) => b.map((x) => x.url))).toEqual([['/users/a', '/users/b', '/users/c'], ['/users/b']]);
    expect(clock.total()).toBe(7000);
  });
});
