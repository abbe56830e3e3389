/**
 * GraphStats counting. One StatsCollector per client; the stats layer counts every HTTP
 * attempt (so retries show up as requests too) and the sub-requests inside `$batch`
 * bodies, which Graph throttles individually (docs/graph-facts.md §5 "$batch").
 */
import type { GraphStats, GraphTransport } from './types.js';

/** Mutable counters behind GraphClient.stats(). */
export class StatsCollector {
  private s: GraphStats = { requests: 0, batchedRequests: 0, retries: 0, throttled: 0, throttleWaitMs: 0 };
  countRequest(): void {
    this.s.requests++;
  }
  countBatched(n: number): void {
    this.s.batchedRequests += n;
  }
  countRetry(): void {
    this.s.retries++;
  }
  countThrottled(): void {
    this.s.throttled++;
  }
  /** Summed per caller: two callers paused together for 3 s add 6 s. */
  addThrottleWait(ms: number): void {
    this.s.throttleWaitMs += ms;
  }
  /** A copy: callers cannot change the counters. */
  snapshot(): GraphStats {
    return { ...this.s };
  }
}

/** True for a POST to the `$batch` endpoint (relative or absolute). */
export function isBatchPath(path: string): boolean {
  return /(^|\/)\$batch(\?|$)/.test(path);
}

/** Counts each request passing through (and its $batch sub-requests). */
export function withStats(inner: GraphTransport, stats: StatsCollector): GraphTransport {
  return {
    send(req, signal) {
      stats.countRequest();
      if (req.method === 'POST' && isBatchPath(req.path)) {
        const reqs = (req.body as { requests?: unknown } | undefined)?.requests;
        if (Array.isArray(reqs)) stats.countBatched(reqs.length);
      }
      return inner.send(req, signal);
    },
  };
}
