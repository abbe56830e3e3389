/**
 * Graph pacing: the one owner of every wait the graph layer makes (docs/graph-facts.md §5
 * "Throttling", "$batch", "Eventual consistency"). One name per behaviour:
 *
 * - `ThrottleGate`: the pause every caller of one client observes. Graph's quota is per
 *   app+tenant, so after a 429 other in-flight callers would only collect more 429s.
 *   A 429 closes it, whether it came as a direct response or as a `$batch` sub-response
 *   (`Pacer.noteBatch`): Graph throttles each sub-request on its own.
 * - `Pacer.send`: throttling and transient-failure retries of one HTTP request, and the
 *   opt-in replication-lag retries around them.
 *   - 429, and 503/504 carrying Retry-After: wait at least Retry-After (seconds or an HTTP
 *     date), never less, no jitter subtracted, then retry.
 *   - Other 5xx (except 501/505) and network failures: jittered exponential backoff.
 *   - Retries go on until the per-operation deadline (`deadlineMs`, default 10 minutes,
 *     counted from the first attempt) would pass before the next attempt: Graph can throttle
 *     a client for minutes (docs/graph-facts.md §5 "Throttling"), so an attempt count gives
 *     up too early. Then the last response is returned (the client maps it to a GraphError)
 *     or the last network error is rethrown. An explicit `maxRetries` caps retries too.
 *   - Requests opted in with `retryOnLag()` are retried on the lag schedule 1, 2, 4, 8,
 *     16 s when the answer looks like replication lag (`isLagResponse`); each lag attempt
 *     gets the full throttle handling above.
 * - `subRequestRetry`: when `batchAll` re-sends throttled/5xx sub-requests, and how long
 *   it waits first (the same Retry-After rule and backoff schedule as direct requests).
 * - `retryLaggedCall`: call-level lag retries for the restore executor, which retries a
 *   whole GraphClient call (a GET or a list) on a lag *error*, not one HTTP response.
 * - `Semaphore`: the bound on requests in flight; `AdaptiveLimit` lowers it (AIMD) when
 *   Graph throttles and raises it again as answers come back unthrottled.
 *
 * All methods are retried. A POST that failed with 5xx or a dropped connection may have
 * been applied; restore's executor looks objects up by natural key before recreating
 * them (docs/design.md "Journal"), so a retried create does not duplicate.
 *
 * There is no client-side resource-unit or write-quota budget: Graph publishes neither
 * the remaining quota nor the cost up front, so the client paces on what Graph says
 * (429 + Retry-After). A proactive budget below the quota would only slow an unthrottled
 * tenant down.
 */
import type { Clock } from '../clock.js';
import { isVaultError } from '../errors.js';
import type { Reporter } from '../progress.js';
import type { BatchResponse, GraphRequest, GraphResponse } from './types.js';
import { GraphError, envelopeText, readEnvelope, safePath } from './errors.js';
import type { StatsCollector } from './stats.js';

/** The pause every caller of one client observes after a 429. */
export class ThrottleGate {
  private until = 0;
  constructor(private readonly clock: Clock) {}

  /** When the gate reopens (epoch ms); at or before now means it is open. */
  get closedUntil(): number {
    return this.until;
  }

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

/** Parses Retry-After (delta-seconds or HTTP-date) to milliseconds, or undefined. */
export function retryAfterMs(headers: Record<string, string>, nowMs: number): number | undefined {
  const v = headers['retry-after'] ?? Object.entries(headers).find(([k]) => k.toLowerCase() === 'retry-after')?.[1];
  if (v === undefined || v.trim() === '') return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(v)) return Math.ceil(Number(v) * 1000);
  const t = Date.parse(v);
  if (Number.isNaN(t)) return undefined;
  return Math.max(0, t - nowMs);
}

/** 429 and the 5xx that may succeed on a retry (not 501 Not Implemented, 505). */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || (status >= 500 && status !== 501 && status !== 505 && status <= 599);
}

function isNetworkError(e: unknown): boolean {
  return e instanceof GraphError && e.code === 'GRAPH_UNAVAILABLE' && e.status === undefined;
}

/** Request header that opts a request into lag retries; never sent to Graph. */
export const RETRY_ON_LAG_HEADER = 'x-entra-vault-retry-on-lag';

/** Headers opting a request into replication-lag retries, merged with `extra`. */
export function retryOnLag(extra: Record<string, string> = {}): Record<string, string> {
  return { ...extra, [RETRY_ON_LAG_HEADER]: 'true' };
}

/**
 * Splits the opt-in header off a request's headers: `lag` says whether the request opted
 * in, `headers` is what goes to Graph.
 */
export function takeLagOptIn(headers: Record<string, string> | undefined): { lag: boolean; headers: Record<string, string> | undefined } {
  if (!headers) return { lag: false, headers };
  let lag = false;
  let found = false;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (k.toLowerCase() === RETRY_ON_LAG_HEADER) {
      lag = v !== 'false';
      found = true;
    } else out[k] = v;
  }
  return { lag, headers: found ? out : headers };
}

/**
 * True when a response looks like replication lag rather than a real absence/error
 * (docs/graph-facts.md §5 "Eventual consistency", §3 on NoBackingApplicationObject): 404
 * Request_ResourceNotFound, or 400 "… does not reference a valid application object".
 */
export function isLagResponse(res: GraphResponse): boolean {
  if (res.status === 404) return readEnvelope(res.body)?.code === 'Request_ResourceNotFound';
  if (res.status === 400) {
    const text = envelopeText(res.body);
    return text.includes('NoBackingApplicationObject') || text.includes('does not reference a valid');
  }
  return false;
}

/** How long one operation's throttle/5xx retries may go on: 10 minutes. */
export const DEFAULT_DEADLINE_MS = 600_000;

export interface PacingOptions {
  clock: Clock;
  reporter?: Reporter;
  stats?: StatsCollector;
  /** Cap on throttle/5xx/network retries per request; default none (the deadline rules). */
  maxRetries?: number;
  /** Per-operation deadline for those retries, from the first attempt; default 600,000 ms. */
  deadlineMs?: number;
  /** First backoff step; default 1000 ms, doubling each retry. */
  baseDelayMs?: number;
  /** Cap for one backoff step; default 60 s. Retry-After is never capped. */
  maxDelayMs?: number;
  /** Extra random fraction added on top of a backoff step (never subtracted); default 0.2. */
  jitter?: number;
  random?: () => number;
  /** Share one gate between clients of the same app+tenant; a new one by default. */
  gate?: ThrottleGate;
  /** One "second" of the lag schedule 1, 2, 4, 8, 16 s; default 1000 (tests use 1). */
  lagBaseMs?: number;
  /** Number of lag retries; default 5 (the schedule above). */
  lagRetries?: number;
  /** AIMD bound on requests in flight, told of every 429 and success; none by default. */
  limit?: AdaptiveLimit;
}

/** One HTTP attempt as the pacer sees it. Throws only on transport failure. */
export type Attempt = () => Promise<GraphResponse>;

/** The pacing policy of one client: its gate, its retry budget, its backoff schedule. */
export class Pacer {
  readonly gate: ThrottleGate;
  private readonly clock: Clock;
  private readonly maxRetries: number;
  private readonly deadline: number;
  private readonly base: number;
  private readonly cap: number;
  private readonly jitter: number;
  private readonly random: () => number;
  private readonly lagBase: number;
  private readonly lagRetries: number;

  constructor(private readonly opts: PacingOptions) {
    this.clock = opts.clock;
    this.gate = opts.gate ?? new ThrottleGate(opts.clock);
    this.maxRetries = opts.maxRetries ?? Number.POSITIVE_INFINITY;
    this.deadline = opts.deadlineMs ?? DEFAULT_DEADLINE_MS;
    this.base = opts.baseDelayMs ?? 1000;
    this.cap = opts.maxDelayMs ?? 60_000;
    this.jitter = opts.jitter ?? 0.2;
    this.random = opts.random ?? Math.random;
    this.lagBase = opts.lagBaseMs ?? 1000;
    this.lagRetries = opts.lagRetries ?? 5;
  }

  /** The backoff before retry number `retry` (1-based), jittered upwards only. */
  backoffMs(retry: number): number {
    return Math.round(Math.min(this.cap, this.base * 2 ** (retry - 1)) * (1 + this.jitter * this.random()));
  }

  /**
   * Runs `attempt` with throttle/transient retries and, when `lag` is set, lag retries.
   * Returns the last response; throws the last network error once retries are exhausted,
   * and the abort reason when `signal` aborts during a wait. Never changes the request.
   */
  async send(req: Pick<GraphRequest, 'method' | 'path'>, attempt: Attempt, opts: { lag?: boolean; signal?: AbortSignal } = {}): Promise<GraphResponse> {
    let res = await this.throttled(req, attempt, opts.signal);
    if (!opts.lag) return res;
    for (let i = 1; i <= this.lagRetries && isLagResponse(res); i++) {
      const wait = this.lagBase * 2 ** (i - 1);
      this.opts.reporter?.report({ kind: 'retry', reason: `replication lag (${res.status})`, path: safePath(req.path), attempt: i, waitMs: wait });
      await this.clock.sleep(wait, opts.signal);
      res = await this.throttled(req, attempt, opts.signal);
    }
    return res;
  }

  /** True when retry number `n + 1`, after waiting `waitMs`, is still allowed. */
  private mayRetry(n: number, startMs: number, waitMs: number): boolean {
    return n < this.maxRetries && this.clock.now().getTime() + waitMs - startMs <= this.deadline;
  }

  private async throttled(req: Pick<GraphRequest, 'method' | 'path'>, attempt: Attempt, signal?: AbortSignal): Promise<GraphResponse> {
    const { clock, opts } = this;
    const path = safePath(req.path);
    const start = clock.now().getTime();
    for (let n = 0; ; n++) {
      const gated = await this.gate.pass(signal);
      if (gated > 0) opts.stats?.addThrottleWait(gated);
      let res: GraphResponse;
      try {
        res = await attempt();
      } catch (e) {
        const wait = this.backoffMs(n + 1);
        if (!isNetworkError(e) || !this.mayRetry(n, start, wait) || signal?.aborted) throw e;
        opts.stats?.countRetry();
        opts.reporter?.report({ kind: 'retry', reason: (e as GraphError).message, path, attempt: n + 1, waitMs: wait });
        await clock.sleep(wait, signal);
        continue;
      }
      const subThrottled = req.method === 'POST' && isBatchPath(req.path) && res.status < 300 && this.noteBatch(res.body);
      if (!isRetryableStatus(res.status)) {
        if (!subThrottled) opts.limit?.succeeded();
        return res;
      }
      const ra = retryAfterMs(res.headers, clock.now().getTime());
      const retry = n + 1;
      const throttle = res.status === 429 || ra !== undefined;
      const wait = throttle ? (ra ?? this.backoffMs(retry)) : this.backoffMs(retry);
      if (!this.mayRetry(n, start, wait)) return res;
      opts.stats?.countRetry();
      if (throttle) {
        opts.stats?.countThrottled();
        opts.reporter?.report({ kind: 'throttled', waitMs: wait, status: res.status, path, attempt: retry });
        if (res.status === 429) {
          // Everyone pauses; this caller waits at the gate like the others.
          this.gate.closeUntil(clock.now().getTime() + wait);
          opts.limit?.throttled(clock.now().getTime() + wait);
        } else {
          await clock.sleep(wait, signal);
          opts.stats?.addThrottleWait(wait);
        }
        continue;
      }
      opts.reporter?.report({ kind: 'retry', reason: `HTTP ${res.status}`, path, attempt: retry, waitMs: wait });
      await clock.sleep(wait, signal);
    }
  }

  /**
   * A `$batch` answered 200 can carry throttled sub-responses (docs/graph-facts.md §5
   * "$batch"): each 429 closes the shared gate for its Retry-After (else one backoff
   * step), so every caller of this client pauses, not only the one that re-sends, and
   * lowers the client's AdaptiveLimit like a direct 429. Returns true when one was throttled.
   */
  noteBatch(body: unknown): boolean {
    const list = (body as { responses?: unknown } | undefined)?.responses;
    if (!Array.isArray(list)) return false;
    const now = this.clock.now().getTime();
    let until = 0;
    for (const r of list as Array<Partial<BatchResponse> | null>) {
      if (r?.status !== 429) continue;
      this.opts.stats?.countThrottled();
      const headers = r.headers && typeof r.headers === 'object' ? r.headers : {};
      until = Math.max(until, now + (retryAfterMs(headers, now) ?? this.backoffMs(1)));
    }
    if (until === 0) return false;
    this.gate.closeUntil(until);
    this.opts.limit?.throttled(until);
    // One event per throttled $batch, as one per direct 429.
    this.opts.reporter?.report({ kind: 'throttled', waitMs: until - now, status: 429, path: '/$batch', attempt: 1 });
    return true;
  }
}

/** True for a POST to the `$batch` endpoint (relative or absolute). */
export function isBatchPath(path: string): boolean {
  return /(^|\/)\$batch(\?|$)/.test(path);
}

/**
 * Which sub-responses of one `$batch` round `batchAll` re-sends, and how long it waits
 * first: 429/5xx (not 501/505), plus 424 dependants of those. The wait is the largest
 * Retry-After among 429/503/504 sub-responses (never less), else exponential backoff
 * `baseDelayMs * 2^round`. A 429 has already closed the client's gate (Pacer.noteBatch),
 * so this wait overlaps the pause every other caller observes; it does not add to it.
 */
export function subRequestRetry(
  sent: ReadonlyArray<{ id: string; dependsOn?: string[] }>,
  responses: ReadonlyMap<string, BatchResponse>,
  round: number,
  o: { nowMs: number; baseDelayMs: number; maxDelayMs?: number },
): { retry: Set<string>; waitMs: number; throttled: boolean } {
  const retry = new Set<string>();
  for (const r of responses.values()) if (isRetryableStatus(r.status)) retry.add(r.id);
  if (retry.size === 0) return { retry, waitMs: 0, throttled: false };
  // A 424 dependant is retried only if what it waited on is being retried.
  let grew = true;
  while (grew) {
    grew = false;
    for (const req of sent) {
      if (retry.has(req.id) || responses.get(req.id)?.status !== 424) continue;
      if ((req.dependsOn ?? []).some((d) => retry.has(d))) {
        retry.add(req.id);
        grew = true;
      }
    }
  }
  let wait = 0;
  let throttled = false;
  for (const id of retry) {
    const r = responses.get(id);
    if (!r || (r.status !== 429 && r.status !== 503 && r.status !== 504)) continue;
    const ra = retryAfterMs(r.headers ?? {}, o.nowMs);
    if (ra !== undefined) {
      throttled = true;
      wait = Math.max(wait, ra);
    }
  }
  // Capped like a direct request's backoff: re-send rounds are bounded by a deadline, not a count.
  if (!throttled) wait = Math.min(o.maxDelayMs ?? 60_000, o.baseDelayMs * 2 ** round);
  return { retry, waitMs: wait, throttled };
}

/** Backoff for call-level lag retries: 1, 2, 4, 8, 16 s (docs/graph-facts.md §5 "Eventual consistency"). */
export const LAG_DELAYS_MS: readonly number[] = [1000, 2000, 4000, 8000, 16000];

function statusOf(e: unknown): number | undefined {
  const s = (e as { status?: unknown } | null)?.status;
  return typeof s === 'number' ? s : undefined;
}

/**
 * True for errors that replication lag explains: 404 on an object just created, or a
 * 400 whose reference is "not found"/"not a valid application object"
 * (NoBackingApplicationObject, docs/graph-facts.md §3 and §5). Broader than isLagResponse:
 * the executor only asks about calls on objects it has just written.
 */
export function isLagError(e: unknown): boolean {
  if (!isVaultError(e)) return false;
  const st = statusOf(e);
  if (st === 404) return true;
  if (st !== 400) return false;
  const text = `${(e as { graphCode?: string }).graphCode ?? ''} ${e.message}`;
  return /NoBackingApplicationObject|does not reference a valid application|Request_ResourceNotFound|does not exist|ReferencedObjectNotFound|not found/i.test(text);
}

/**
 * Runs `call`, retrying lag errors on `delays` (default LAG_DELAYS_MS). Only for calls
 * whose failure leaves nothing behind (a 404/400 creates nothing), so a retry can never
 * duplicate. Throws the last error once the schedule is used up, or a non-lag error at once.
 */
export async function retryLaggedCall<T>(call: () => Promise<T>, ctx: { clock: Clock; reporter: Reporter; path: string; delays?: readonly number[] }): Promise<T> {
  const delays = ctx.delays ?? LAG_DELAYS_MS;
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (e) {
      if (!isLagError(e) || attempt >= delays.length) throw e;
      const waitMs = delays[attempt] as number;
      ctx.reporter.report({ kind: 'retry', reason: 'replication lag', path: ctx.path, attempt: attempt + 1, waitMs });
      await ctx.clock.sleep(waitMs);
    }
  }
}

/**
 * A counting semaphore: the bound on requests in flight. Waiters are served in order.
 * Its limit can be lowered and raised while in use (AdaptiveLimit): a lowered limit lets
 * requests already in flight finish and starts no new one until `active` is below it.
 */
export class Semaphore {
  private active = 0;
  private cap: number;
  private readonly waiters: Array<() => void> = [];
  /** @throws RangeError (a bug) when limit is not a positive integer */
  constructor(limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`concurrency must be a positive integer, got ${limit}`);
    this.cap = limit;
  }
  get limit(): number {
    return this.cap;
  }
  /** @throws RangeError (a bug) when limit is not a positive integer */
  setLimit(limit: number): void {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`concurrency must be a positive integer, got ${limit}`);
    this.cap = limit;
    while (this.active < this.cap && this.waiters.length > 0) {
      this.active++;
      (this.waiters.shift() as () => void)();
    }
  }
  async acquire(): Promise<void> {
    if (this.active < this.cap) {
      this.active++;
      return;
    }
    await new Promise<void>((resolve) => this.waiters.push(resolve));
  }
  release(): void {
    // Hand the slot straight to the next waiter (`active` stays the same), unless the
    // limit was lowered below what is in flight.
    if (this.active <= this.cap) {
      const next = this.waiters.shift();
      if (next) return next();
    }
    this.active--;
  }
  async run<T>(fn: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await fn();
    } finally {
      this.release();
    }
  }
}

/**
 * AIMD on requests in flight, shared by every caller of one client (direct calls and
 * `$batch` rounds alike): Graph's guidance on a 429 is to slow down, not only to wait
 * (docs/graph-facts.md §5 "Throttling"). A throttle episode halves the limit once (the
 * 429s of requests already in flight when the gate closed belong to the same episode);
 * each run of `limit` successful answers raises it by one, up to the configured bound.
 */
export class AdaptiveLimit {
  readonly sem: Semaphore;
  private successes = 0;
  private episodeEnd = 0;
  private lowest: number;
  constructor(
    readonly max: number,
    private readonly clock: Clock,
    private readonly onChange?: (limit: number, why: 'throttled' | 'recovered') => void,
  ) {
    this.sem = new Semaphore(max);
    this.lowest = max;
  }
  get current(): number {
    return this.sem.limit;
  }
  /** The lowest limit this client has run at. */
  get lowestSeen(): number {
    return this.lowest;
  }
  /** A 429 arrived; `pauseUntilMs` is when the gate it closed reopens. */
  throttled(pauseUntilMs: number): void {
    const now = this.clock.now().getTime();
    this.successes = 0;
    if (now < this.episodeEnd) {
      this.episodeEnd = Math.max(this.episodeEnd, pauseUntilMs);
      return;
    }
    this.episodeEnd = pauseUntilMs;
    const next = Math.max(1, Math.floor(this.sem.limit / 2));
    if (next === this.sem.limit) return;
    this.sem.setLimit(next);
    this.lowest = Math.min(this.lowest, next);
    this.onChange?.(next, 'throttled');
  }
  /** A request was answered without throttling. */
  succeeded(): void {
    if (this.sem.limit >= this.max) return;
    if (++this.successes < this.sem.limit) return;
    this.successes = 0;
    this.sem.setLimit(this.sem.limit + 1);
    this.onChange?.(this.sem.limit, 'recovered');
  }
}
