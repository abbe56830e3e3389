/**
 * A GraphClient wrapper that sends single calls made at the same moment as one `$batch`
 * (docs/graph-facts.md §5: at most 20 sub-requests; each still counts against the throttling
 * quotas, so this saves round trips and connections, not quota). Callers keep writing
 * plain `get`/`post`/`patch`/`put`/`delete` calls with their own error handling: every
 * sub-response comes back exactly as the direct call would have — the body, or the same
 * GraphError (status, Graph code, one-line message) from `errorFromResponse`.
 *
 * What is not coalesced, and why:
 * - `list`/`delta` (paging follows nextLinks) and absolute URLs (`$batch` urls are
 *   relative to the version root);
 * - calls with headers (`retryOnLag()`, ConsistencyLevel): the lag layer retries whole
 *   HTTP requests, which a sub-request is not;
 * - a call that is alone when the queue is flushed: a batch of one only adds overhead.
 * Pacing (pacing.ts) of a coalesced call is that of a direct call with two differences:
 * a throttled (429) sub-response closes the client's shared gate for its Retry-After
 * exactly as a direct 429 does (Pacer.noteBatch), and it is re-sent by `batchAll` after
 * that Retry-After; but 5xx sub-responses are re-sent on batchAll's schedule (5 rounds,
 * 1, 2, 4, 8, 16 s, no jitter) rather than the direct one (6 retries, jittered), and a
 * sub-request gets no replication-lag retries (calls with headers are never coalesced).
 */
import { systemClock, type Clock } from '../clock.js';
import type { Reporter } from '../progress.js';
import { batchAll } from './batch.js';
import { MAX_BATCH } from './client.js';
import { errorFromResponse } from './errors.js';
import type { BatchRequest, GraphClient, HttpMethod } from './types.js';

export interface CoalesceOptions {
  clock?: Clock;
  reporter?: Reporter;
  /** Sub-requests per `$batch`; default and maximum 20. */
  maxBatch?: number;
}

interface Pending {
  method: HttpMethod;
  path: string;
  body?: unknown;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

/**
 * Wraps `inner` so concurrent single calls travel as `$batch` requests.
 * Never changes what a call returns or throws; never reorders two calls of one caller
 * (a caller awaits each call before making the next).
 */
export function coalescingClient(inner: GraphClient, opts: CoalesceOptions = {}): GraphClient {
  const maxBatch = Math.max(1, Math.min(MAX_BATCH, opts.maxBatch ?? MAX_BATCH));
  let queue: Pending[] = [];
  let scheduled = false;

  const direct = (p: Pending): Promise<unknown> => {
    switch (p.method) {
      case 'GET':
        return inner.get(p.path);
      case 'POST':
        return inner.post(p.path, p.body);
      case 'PATCH':
        return inner.patch(p.path, p.body);
      case 'PUT':
        return inner.put(p.path, p.body);
      case 'DELETE':
        return inner.delete(p.path);
    }
  };

  // batchAll's own waits and re-send rounds, added to the inner client's figures. Its
  // throttled sub-responses are not counted here: the client's Pacer counted them.
  const own = { throttleWaitMs: 0, retries: 0 };
  const onResend = (e: { waitMs: number; throttled: boolean }) => {
    own.retries++;
    if (e.throttled) own.throttleWaitMs += e.waitMs;
  };

  const sendBatch = async (chunk: Pending[]): Promise<void> => {
    const requests: BatchRequest[] = chunk.map((p, i) => ({ id: String(i + 1), method: p.method, url: p.path, ...(p.body !== undefined ? { body: p.body } : {}) }));
    let responses;
    try {
      responses = await batchAll(inner, requests, { clock: opts.clock ?? systemClock, reporter: opts.reporter, onResend, concurrency: 1 });
    } catch (e) {
      // the whole $batch failed (after the client's own retries): every call fails with it
      for (const p of chunk) p.reject(e);
      return;
    }
    chunk.forEach((p, i) => {
      const r = responses.get(String(i + 1));
      if (!r) {
        p.reject(new Error(`$batch returned no response for sub-request ${i + 1}`));
        return;
      }
      if (r.status >= 400) p.reject(errorFromResponse(p.method, p.path, { status: r.status, headers: r.headers ?? {}, body: r.body }));
      else p.resolve(r.body);
    });
  };

  const flush = () => {
    scheduled = false;
    const all = queue;
    queue = [];
    for (let i = 0; i < all.length; i += maxBatch) {
      const chunk = all.slice(i, i + maxBatch);
      if (chunk.length === 1) {
        const p = chunk[0] as Pending;
        direct(p).then(p.resolve, p.reject);
      } else void sendBatch(chunk);
    }
  };

  const enqueue = (method: HttpMethod, path: string, body?: unknown): Promise<unknown> =>
    new Promise((resolve, reject) => {
      queue.push({ method, path, ...(body !== undefined ? { body } : {}), resolve, reject });
      if (!scheduled) {
        scheduled = true;
        // after the current turn's microtasks: every call made "at once" is in the queue
        setImmediate(flush);
      }
    });

  const plain = (path: string, headers?: Record<string, string>) => path.startsWith('/') && !path.startsWith('//') && (!headers || Object.keys(headers).length === 0);

  return {
    get: <T>(p: string, h?: Record<string, string>) => (plain(p, h) ? (enqueue('GET', p) as Promise<T>) : inner.get<T>(p, h)),
    list: (p, h) => inner.list(p, h),
    delta: (p) => inner.delta(p),
    post: <T>(p: string, b: unknown, h?: Record<string, string>) => (plain(p, h) ? (enqueue('POST', p, b) as Promise<T>) : inner.post<T>(p, b, h)),
    patch: (p, b, h) => (plain(p, h) ? enqueue('PATCH', p, b).then(() => undefined) : inner.patch(p, b, h)),
    put: <T>(p: string, b: unknown, h?: Record<string, string>) => (plain(p, h) ? (enqueue('PUT', p, b) as Promise<T>) : inner.put<T>(p, b, h)),
    delete: (p, h) => (plain(p, h) ? enqueue('DELETE', p).then(() => undefined) : inner.delete(p, h)),
    getBytes: (p) => inner.getBytes(p),
    putBytes: (p, b, t) => inner.putBytes(p, b, t),
    batch: (r) => inner.batch(r),
    stats: () => {
      const s = inner.stats();
      return { ...s, throttleWaitMs: s.throttleWaitMs + own.throttleWaitMs, retries: s.retries + own.retries };
    },
  };
}
