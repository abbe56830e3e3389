/**
 * Replication-lag retries (docs/graph-facts.md §5 "Eventual consistency", §3 on
 * NoBackingApplicationObject). A write is acknowledged before every replica has it, so a
 * follow-up call about a just-created object can see 404 Request_ResourceNotFound, or
 * 400 "… does not reference a valid application object". Retrying with 1, 2, 4, 8, 16 s
 * backoff is Microsoft's advice.
 *
 * Opt-in per request: a plain read of something that really is absent must fail fast,
 * so only requests carrying the RETRY_ON_LAG_HEADER (see `retryOnLag()`) are retried.
 * The header is removed before the request leaves this layer.
 */
import type { Clock } from '../clock.js';
import type { Reporter } from '../progress.js';
import type { GraphRequest, GraphResponse, GraphTransport } from './types.js';
import { envelopeText, readEnvelope, safePath } from './errors.js';

/** Request header that opts a request into lag retries; never sent to Graph. */
export const RETRY_ON_LAG_HEADER = 'x-entra-vault-retry-on-lag';

/** Headers opting a request into replication-lag retries, merged with `extra`. */
export function retryOnLag(extra: Record<string, string> = {}): Record<string, string> {
  return { ...extra, [RETRY_ON_LAG_HEADER]: 'true' };
}

export interface LagOptions {
  clock: Clock;
  reporter?: Reporter;
  /** One "second" of the 1, 2, 4, 8, 16 s schedule; default 1000 (tests use 1). */
  baseMs?: number;
  /** Number of lag retries; default 5 (the schedule above). */
  retries?: number;
}

/** True when a response looks like replication lag rather than a real absence/error. */
export function isLagResponse(res: GraphResponse): boolean {
  if (res.status === 404) return readEnvelope(res.body)?.code === 'Request_ResourceNotFound';
  if (res.status === 400) {
    const text = envelopeText(res.body);
    return text.includes('NoBackingApplicationObject') || text.includes('does not reference a valid');
  }
  return false;
}

function optedIn(req: GraphRequest): { opted: boolean; req: GraphRequest } {
  if (!req.headers) return { opted: false, req };
  let opted = false;
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (k.toLowerCase() === RETRY_ON_LAG_HEADER) opted = v !== 'false';
    else headers[k] = v;
  }
  return { opted, req: { ...req, headers } };
}

/**
 * Wraps a transport with opt-in replication-lag retries; returns the last response
 * when the lag outlasts the schedule. Never retries requests without the header.
 */
export function withLagRetry(inner: GraphTransport, opts: LagOptions): GraphTransport {
  const base = opts.baseMs ?? 1000;
  const retries = opts.retries ?? 5;
  return {
    async send(original, signal) {
      const { opted, req } = optedIn(original);
      let res = await inner.send(req, signal);
      if (!opted) return res;
      for (let i = 1; i <= retries && isLagResponse(res); i++) {
        const wait = base * 2 ** (i - 1);
        opts.reporter?.report({ kind: 'retry', reason: `replication lag (${res.status})`, path: safePath(req.path), attempt: i, waitMs: wait });
        await opts.clock.sleep(wait, signal);
        res = await inner.send(req, signal);
      }
      return res;
    },
  };
}
