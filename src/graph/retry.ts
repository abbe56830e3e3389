/**
 * Throttling and transient-failure retries (docs/graph-facts.md §5 "Throttling").
 *
 * - 429, and 503/504 carrying Retry-After: wait at least Retry-After (seconds or an HTTP
 *   date) — never less, no jitter subtracted — then retry.
 * - 429 also closes a gate shared by every caller of this client: Graph's quota is per
 *   app+tenant, so other in-flight callers would only collect more 429s. Everyone waits
 *   at the gate until Retry-After has passed.
 * - Other 5xx (except 501/505) and network failures: jittered exponential backoff.
 * - After `maxRetries` retries the last response is returned (the client maps it to a
 *   GraphError) or the last network error is rethrown.
 *
 * All methods are retried. A POST that failed with 5xx or a dropped connection may have
 * been applied; restore's executor looks objects up by natural key before recreating
 * them (docs/design.md "Journal"), so a retried create does not duplicate.
 */
import type { Clock } from '../clock.js';
import type { Reporter } from '../progress.js';
import type { GraphRequest, GraphResponse, GraphTransport } from './types.js';
import { GraphError, safePath } from './errors.js';
import type { StatsCollector } from './stats.js';

/** The pause every caller of one client observes after a 429. */
export class ThrottleGate {
  private until = 0;
  constructor(private readonly clock: Clock) {}

  /** Keeps the gate closed until `untilMs` (epoch ms); never shortens an existing pause. */
  closeUntil(untilMs: number): void {
    if (untilMs > this.until) this.until = untilMs;
  }

  /** Waits while the gate is closed; returns the milliseconds slept. */
  async pass(signal?: AbortSignal): Promise<number> {
    let waited = 0;
    for (;;) {
      const target = this.until;
      const wait = target - this.clock.now().getTime();
      if (wait <= 0) return waited;
      await this.clock.sleep(wait, signal);
      waited += wait;
      // Loop again only if another 429 pushed the gate further while we slept: a clock
      // whose sleep does not advance now() must not spin here.
      if (this.until === target) return waited;
    }
  }
}

export interface RetryOptions {
  clock: Clock;
  reporter?: Reporter;
  stats?: StatsCollector;
  /** Default 6. */
  maxRetries?: number;
  /** First backoff step; default 1000 ms, doubling each retry. */
  baseDelayMs?: number;
  /** Cap for one backoff step; default 60 s. Retry-After is never capped. */
  maxDelayMs?: number;
  /** Extra random fraction added on top of a backoff step (never subtracted); default 0.2. */
  jitter?: number;
  random?: () => number;
  /** Share one gate between layers/clients of the same app+tenant; a new one by default. */
  gate?: ThrottleGate;
}

/** Parses Retry-After (delta-seconds or HTTP-date) to milliseconds, or undefined. */
export function retryAfterMs(headers: Record<string, string>, nowMs: number): number | undefined {
  const v = headers['retry-after'];
  if (v === undefined || v.trim() === '') return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(v)) return Math.ceil(Number(v) * 1000);
  const t = Date.parse(v);
  if (Number.isNaN(t)) return undefined;
  return Math.max(0, t - nowMs);
}

function isRetryableStatus(status: number): boolean {
  return status === 429 || (status >= 500 && status !== 501 && status !== 505 && status <= 599);
}

function isNetworkError(e: unknown): boolean {
  return e instanceof GraphError && e.code === 'GRAPH_UNAVAILABLE' && e.status === undefined;
}

/**
 * Wraps a transport with throttling-aware retries.
 * Throws what the inner transport throws once retries are exhausted, and the abort
 * reason when `signal` aborts during a wait. Never changes the request.
 */
export function withRetry(inner: GraphTransport, opts: RetryOptions): GraphTransport {
  const clock = opts.clock;
  const maxRetries = opts.maxRetries ?? 6;
  const base = opts.baseDelayMs ?? 1000;
  const cap = opts.maxDelayMs ?? 60_000;
  const jitter = opts.jitter ?? 0.2;
  const random = opts.random ?? Math.random;
  const gate = opts.gate ?? new ThrottleGate(clock);

  const backoff = (retry: number) => Math.min(cap, base * 2 ** (retry - 1)) * (1 + jitter * random());

  return {
    async send(req: GraphRequest, signal?: AbortSignal): Promise<GraphResponse> {
      const path = safePath(req.path);
      for (let attempt = 0; ; attempt++) {
        const gated = await gate.pass(signal);
        if (gated > 0) opts.stats?.addThrottleWait(gated);
        let res: GraphResponse;
        try {
          res = await inner.send(req, signal);
        } catch (e) {
          if (!isNetworkError(e) || attempt >= maxRetries || signal?.aborted) throw e;
          const wait = Math.round(backoff(attempt + 1));
          opts.stats?.countRetry();
          opts.reporter?.report({ kind: 'retry', reason: (e as GraphError).message, path, attempt: attempt + 1, waitMs: wait });
          await clock.sleep(wait, signal);
          continue;
        }
        if (!isRetryableStatus(res.status) || attempt >= maxRetries) return res;
        const ra = retryAfterMs(res.headers, clock.now().getTime());
        const retry = attempt + 1;
        opts.stats?.countRetry();
        if (res.status === 429 || ra !== undefined) {
          const wait = ra ?? Math.round(backoff(retry));
          opts.stats?.countThrottled();
          opts.reporter?.report({ kind: 'throttled', waitMs: wait, status: res.status, path, attempt: retry });
          if (res.status === 429) {
            // Everyone pauses; this caller waits at the gate like the others.
            gate.closeUntil(clock.now().getTime() + wait);
          } else {
            await clock.sleep(wait, signal);
            opts.stats?.addThrottleWait(wait);
          }
          continue;
        }
        const wait = Math.round(backoff(retry));
        opts.reporter?.report({ kind: 'retry', reason: `HTTP ${res.status}`, path, attempt: retry, waitMs: wait });
        await clock.sleep(wait, signal);
      }
    },
  };
}
