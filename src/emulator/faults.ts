/**
 * Fault injection: identity throttling as resource-unit token buckets, fractional 429s,
 * random 5xx and latency (docs/graph-facts.md §5 "Throttling"). Decisions use a seeded PRNG
 * and the injected clock so drills are repeatable.
 */
import type { Clock } from '../clock.js';
import { GraphHttpError } from './graph-error.js';
import type { Prng } from './prng.js';
import type { FaultConfig } from './types.js';

/** RU quota per 10 s for the app+tenant scope, by tenant size (docs/graph-facts.md §5). */
const RU_QUOTA = { S: 3500, M: 5000, L: 8000 } as const;
const RU_WINDOW_MS = 10_000;
/** Write quota per app+tenant: 3,000 per 2.5 min. */
export const WRITE_QUOTA = 3000;
export const WRITE_WINDOW_MS = 150_000;
/**
 * Write quota per tenant, all apps together: 18,000 per 5 min (docs/graph-facts.md §5
 * "Throttling" [S150]). Several recovery apps each within their own quota still share it.
 */
export const TENANT_WRITE_QUOTA = 18_000;
export const TENANT_WRITE_WINDOW_MS = 300_000;

/**
 * Resource-unit cost of a call (§5): GET users/applications/oauth2PermissionGrants 2,
 * group members 3, transitiveMembers 5, getByIds 3, other reads 1; writes 1 RU;
 * `$select` −1, `$expand` +1, `$top` < 20 −1; never below 1.
 */
export function ruCost(method: string, segs: string[], query: URLSearchParams): number {
  let cost = 1;
  const first = segs[0]?.replace(/\(.*$/, '').toLowerCase();
  const last = segs[segs.length - 1]?.toLowerCase();
  if (method === 'GET') {
    if (last === 'transitivemembers') cost = 5;
    else if (last === 'members') cost = 3;
    else if (first === 'users' || first === 'applications' || first === 'oauth2permissiongrants') cost = 2;
    if (query.has('$select')) cost -= 1;
    if (query.has('$expand')) cost += 1;
    const top = Number(query.get('$top'));
    if (query.has('$top') && top < 20) cost -= 1;
  } else if (method === 'POST' && last === 'getbyids') {
    cost = 3;
  }
  return Math.max(1, cost);
}

class Bucket {
  private level: number;
  private at: number;
  constructor(
    readonly capacity: number,
    private readonly windowMs: number,
    now: number,
  ) {
    this.level = capacity;
    this.at = now;
  }
  private refill(now: number): void {
    if (now > this.at) {
      this.level = Math.min(this.capacity, this.level + ((now - this.at) * this.capacity) / this.windowMs);
      this.at = now;
    }
  }
  /** Takes `n` units, or returns the ms until they would be available. */
  take(n: number, now: number): number {
    const wait = this.waitFor(n, now);
    if (wait === 0) this.level -= n;
    return wait;
  }
  /** The ms until `n` units are available (0: now); takes nothing. */
  waitFor(n: number, now: number): number {
    this.refill(now);
    if (this.level >= n) return 0;
    return Math.ceil(((n - this.level) * this.windowMs) / this.capacity);
  }
  usedFraction(now: number): number {
    this.refill(now);
    return 1 - this.level / this.capacity;
  }
}

export interface ThrottleOutcome {
  /** Response headers for every answer (x-ms-resource-unit, limit percentage). */
  headers: Record<string, string>;
}

/** Per-tenant throttling and fault state. */
export class FaultState {
  private readonly ru = new Map<string, Bucket>();
  private readonly writes = new Map<string, Bucket>();
  /** The tenant's write bucket, shared by every app (created with the first write). */
  private tenantWrites: Bucket | undefined;
  /** Fraction throttling keeps a real window: the app stays throttled until this time. */
  private readonly blockedUntil = new Map<string, number>();
  /** The sustained window (`throttleForSeconds`), tied to the config object that set it. */
  private window: { config: FaultConfig; until: number } | undefined;

  constructor(
    private readonly tenantId: string,
    private readonly clock: Clock,
    private readonly rng: () => Prng,
    private readonly config: () => FaultConfig,
    private readonly defaultSize: () => 'S' | 'M' | 'L',
  ) {}

  /**
   * Charges one Graph call; throws 429 (with Retry-After and x-ms-throttle-* headers)
   * when the app+tenant is over its quota, or a fault 5xx when errorRate says so.
   */
  admit(appId: string, write: boolean, cost: number): ThrottleOutcome {
    const f = this.config();
    const now = this.clock.now().getTime();
    const headers: Record<string, string> = { 'x-ms-resource-unit': String(cost) };
    const scope = `Tenant_Application/${write ? 'ReadWrite' : 'Read'}/${appId}/${this.tenantId}`;
    const blocked = this.blockedUntil.get(appId) ?? 0;
    if (blocked > now) {
      throw this.throttled(Math.ceil((blocked - now) / 1000), scope, 'ResourceUnitLimitExceeded');
    }
    const windowLeft = this.windowLeftMs(f, now);
    if (windowLeft > 0) {
      throw this.throttled(Math.min(Math.ceil(windowLeft / 1000), f.retryAfterSeconds ?? 10), scope, 'ResourceUnitLimitExceeded');
    }
    if (f.throttleFraction && this.rng().next() < f.throttleFraction) {
      const secs = f.retryAfterSeconds ?? 1;
      this.blockedUntil.set(appId, now + secs * 1000);
      throw this.throttled(secs, scope, 'ResourceUnitLimitExceeded');
    }
    if (f.throttle?.enabled) {
      const size = f.throttle.tenantSize ?? this.defaultSize();
      let b = this.ru.get(appId);
      if (!b || b.capacity !== RU_QUOTA[size]) this.ru.set(appId, (b = new Bucket(RU_QUOTA[size], RU_WINDOW_MS, now)));
      const wait = b.take(cost, now);
      if (wait > 0) throw this.throttled(f.retryAfterSeconds ?? Math.ceil(wait / 1000), scope, 'ResourceUnitLimitExceeded');
      if (write) this.takeWrite(appId, scope, f, now);
      const pct = Math.round(b.usedFraction(now) * 100);
      if (pct > 80) headers['x-ms-throttle-limit-percentage'] = String(pct);
    }
    if (f.errorRate && this.rng().next() < f.errorRate) {
      const pick = [500, 503, 504][Math.floor(this.rng().next() * 3)]!;
      const code = pick === 500 ? 'generalException' : pick === 503 ? 'serviceNotAvailable' : 'gatewayTimeout';
      const message = pick === 500 ? 'An internal server error occurred.' : pick === 503 ? 'The service is temporarily unavailable.' : 'The gateway timed out.';
      throw new GraphHttpError(pick, code, message, pick === 503 ? { 'Retry-After': '1' } : {});
    }
    if (write && f.rejectWrites && this.rng().next() < f.rejectWrites) {
      throw new GraphHttpError(400, 'Request_BadRequest', 'The request was refused (an injected fault: rejectWrites).');
    }
    return { headers };
  }

  /**
   * One write unit from the app+tenant bucket and from the tenant's bucket of all apps
   * (docs/graph-facts.md §5 "Throttling"): both must have it, or neither is charged and the
   * call gets a 429 naming the scope that refused it (`Tenant/Write/…` for the tenant's).
   */
  private takeWrite(appId: string, scope: string, f: FaultConfig, now: number): void {
    let w = this.writes.get(appId);
    if (!w) this.writes.set(appId, (w = new Bucket(WRITE_QUOTA, WRITE_WINDOW_MS, now)));
    const t = (this.tenantWrites ??= new Bucket(TENANT_WRITE_QUOTA, TENANT_WRITE_WINDOW_MS, now));
    const appWait = w.waitFor(1, now);
    if (appWait > 0) throw this.throttled(f.retryAfterSeconds ?? Math.ceil(appWait / 1000), scope, 'WriteLimitExceeded');
    const tenantWait = t.waitFor(1, now);
    if (tenantWait > 0) throw this.throttled(f.retryAfterSeconds ?? Math.ceil(tenantWait / 1000), `Tenant/Write/${appId}/${this.tenantId}`, 'WriteLimitExceeded');
    w.take(1, now);
    t.take(1, now);
  }

  /**
   * Milliseconds left in the sustained throttle window; it opens at the first call after
   * `setFaults` gave a `throttleForSeconds` (a new config object opens a new window).
   */
  private windowLeftMs(f: FaultConfig, now: number): number {
    if (!f.throttleForSeconds) return 0;
    if (this.window?.config !== f) this.window = { config: f, until: now + f.throttleForSeconds * 1000 };
    return this.window.until - now;
  }

  private throttled(secs: number, scope: string, info: string): GraphHttpError {
    return new GraphHttpError(429, 'TooManyRequests', 'Too many requests.', {
      'Retry-After': String(Math.max(1, secs)),
      'x-ms-throttle-scope': scope,
      'x-ms-throttle-information': info,
    });
  }
}
