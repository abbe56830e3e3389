/**
 * GraphStats counting. One StatsCollector per client, fed by StatsMiddleware (every HTTP
 * attempt and the sub-requests inside `$batch` bodies, middleware.ts) and by the Pacer
 * (retries, 429s direct or inside a `$batch`, time spent waiting; pacing.ts).
 */
import type { GraphStats } from './types.js';

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
  /** The AIMD limit changed (pacing.ts AdaptiveLimit): keep the lowest it went. */
  noteConcurrency(n: number): void {
    if (this.s.lowestConcurrency === undefined || n < this.s.lowestConcurrency) this.s.lowestConcurrency = n;
  }
  /** A copy: callers cannot change the counters. */
  snapshot(): GraphStats {
    return { ...this.s };
  }
}
