/**
 * Sharded writes across recovery apps (issue 17 item 3): one GraphClient per recovery app
 * registration of the SAME tenant, behind the one GraphClient interface the executor knows.
 *
 * Graph meters writes per app+tenant (3,000 per 2 min 30 s) and per tenant for all apps
 * (18,000 per 5 min, docs/graph-facts.md §5 "Throttling"), so three apps can write three
 * times as fast as one before the tenant's limit binds. Each call goes to the app whose
 * throttle gate is open and which has the fewest calls in flight (round-robin on ties);
 * a 429 closes only that app's gate (each client has its own `ThrottleGate`, pacing.ts), so
 * the others go on. When every gate is closed the call waits for the one that reopens first.
 *
 * Nothing above this layer changes: the executor, its journal and its idempotency (a
 * natural-key lookup before a re-create, docs/design.md "Journal") see one GraphClient, and
 * every app reads the same tenant, so which app wrote an object does not matter to them.
 */
import { systemClock, type Clock } from '../clock.js';
import { VaultError } from '../errors.js';
import type { ConnectionProfile } from '../profile.js';
import { createGraphClient, type GraphClientOptions } from './client.js';
import { ThrottleGate } from './pacing.js';
import type { BatchRequest, BatchResponse, DeltaPage, GraphBytes, GraphClient, GraphStats } from './types.js';

/** One recovery app: its client and the gate that client's pacer closes on a 429. */
export interface GraphShard {
  /** A label for reports (the profile's name or client id; never a secret). */
  name: string;
  client: GraphClient;
  gate: ThrottleGate;
}

/** What one app did, for the bench and the report. */
export interface ShardStats {
  name: string;
  /** Calls routed to this app (a `$batch` is one call). */
  calls: number;
  stats: GraphStats;
}

/**
 * A GraphClient over several apps of one tenant. Never retries itself (each shard's
 * client does) and never sends one call to two apps: a retried write stays on its app.
 */
export class ShardedGraphClient implements GraphClient {
  private readonly inFlight: number[];
  private readonly routed: number[];
  private next = 0;

  /** @throws RangeError (a bug) without shards */
  constructor(
    private readonly shards: readonly GraphShard[],
    private readonly clock: Clock = systemClock,
    private readonly signal?: AbortSignal,
  ) {
    if (shards.length === 0) throw new RangeError('ShardedGraphClient needs at least one shard');
    this.inFlight = shards.map(() => 0);
    this.routed = shards.map(() => 0);
  }

  /**
   * The app for the next call: open gate first, then fewest in flight, then round-robin.
   * With every gate closed, waits until the earliest reopens and returns that app.
   */
  async pick(): Promise<number> {
    const now = this.clock.now().getTime();
    const n = this.shards.length;
    let best = -1;
    for (let k = 0; k < n; k++) {
      const i = (this.next + k) % n;
      if (this.shards[i]!.gate.closedUntil > now) continue;
      if (best < 0 || this.inFlight[i]! < this.inFlight[best]!) best = i;
    }
    if (best < 0) {
      best = 0;
      for (let i = 1; i < n; i++) if (this.shards[i]!.gate.closedUntil < this.shards[best]!.gate.closedUntil) best = i;
      await this.shards[best]!.gate.pass(this.signal);
    }
    this.next = (best + 1) % n;
    return best;
  }

  private async route<T>(call: (c: GraphClient) => Promise<T>): Promise<T> {
    const i = await this.pick();
    this.inFlight[i]!++;
    this.routed[i]!++;
    try {
      return await call(this.shards[i]!.client);
    } finally {
      this.inFlight[i]!--;
    }
  }

  /** A listing stays on one app from its first page to its last (its links are that app's reads). */
  private async *routeIter<T>(iter: (c: GraphClient) => AsyncIterable<T>): AsyncIterable<T> {
    const i = await this.pick();
    this.inFlight[i]!++;
    this.routed[i]!++;
    try {
      yield* iter(this.shards[i]!.client);
    } finally {
      this.inFlight[i]!--;
    }
  }

  get<T = unknown>(path: string, headers?: Record<string, string>): Promise<T> {
    return this.route((c) => c.get<T>(path, headers));
  }
  list<T = unknown>(path: string, headers?: Record<string, string>): AsyncIterable<T> {
    return this.routeIter((c) => c.list<T>(path, headers));
  }
  delta<T = unknown>(pathOrDeltaLink: string): AsyncIterable<DeltaPage<T>> {
    return this.routeIter((c) => c.delta<T>(pathOrDeltaLink));
  }
  post<T = unknown>(path: string, body: unknown, headers?: Record<string, string>): Promise<T> {
    return this.route((c) => c.post<T>(path, body, headers));
  }
  patch(path: string, body: unknown, headers?: Record<string, string>): Promise<void> {
    return this.route((c) => c.patch(path, body, headers));
  }
  put<T = unknown>(path: string, body: unknown, headers?: Record<string, string>): Promise<T> {
    return this.route((c) => c.put<T>(path, body, headers));
  }
  getBytes(path: string): Promise<GraphBytes | undefined> {
    return this.route((c) => c.getBytes(path));
  }

  putBytes(path: string, bytes: Uint8Array, contentType: string): Promise<void> {
    return this.route((c) => c.putBytes(path, bytes, contentType));
  }

  delete(path: string, headers?: Record<string, string>): Promise<void> {
    return this.route((c) => c.delete(path, headers));
  }
  batch(requests: BatchRequest[]): Promise<BatchResponse[]> {
    return this.route((c) => c.batch(requests));
  }

  /** All apps together; `lowestConcurrency` is the lowest any app was driven to. */
  stats(): GraphStats {
    const all = this.shards.map((s) => s.client.stats());
    const lows = all.map((s) => s.lowestConcurrency).filter((v): v is number => v !== undefined);
    return {
      requests: all.reduce((a, s) => a + s.requests, 0),
      batchedRequests: all.reduce((a, s) => a + s.batchedRequests, 0),
      retries: all.reduce((a, s) => a + s.retries, 0),
      throttled: all.reduce((a, s) => a + s.throttled, 0),
      throttleWaitMs: all.reduce((a, s) => a + s.throttleWaitMs, 0),
      ...(lows.length > 0 ? { lowestConcurrency: Math.min(...lows) } : {}),
    };
  }

  /** Each app's share: calls routed to it and its own client's figures. */
  shardStats(): ShardStats[] {
    return this.shards.map((s, i) => ({ name: s.name, calls: this.routed[i]!, stats: s.client.stats() }));
  }
}

/**
 * Checks the profiles of one restore's recovery apps: at least one, all of the same tenant,
 * no app twice. Returns the first. Reads nothing and connects to nothing.
 * @throws VaultError TARGET_TENANTS_DIFFER when they name different tenants, USAGE without a
 *   profile or with one app (client id) named twice.
 */
export function checkRecoveryApps(profiles: readonly ConnectionProfile[]): ConnectionProfile {
  const first = profiles[0];
  if (!first) throw new VaultError('USAGE', 'no connection profile given', 'pass --target PROFILE (once per recovery app)');
  const tenants = [...new Set(profiles.map((p) => p.tenantId.toLowerCase()))];
  if (tenants.length > 1) {
    throw new VaultError('TARGET_TENANTS_DIFFER', `the --target profiles name ${tenants.length} different tenants (${tenants.join(', ')})`, 'every --target of one restore must be a recovery app of the same tenant');
  }
  const apps = new Set(profiles.map((p) => p.clientId.toLowerCase()));
  if (apps.size !== profiles.length) {
    throw new VaultError('USAGE', 'two --target profiles name the same app (client id)', 'each extra --target must be a different recovery app registration: one app has one quota');
  }
  return first;
}

/**
 * Connects to a tenant through one or several recovery apps (one connection profile each).
 * One profile: exactly `createGraphClient(profile, opts)`. Several: every profile must name
 * the same tenant (checked before any connection, so before any write), each gets its own
 * client and throttle gate, and a ShardedGraphClient spreads the calls.
 * @throws VaultError TARGET_TENANTS_DIFFER when the profiles name different tenants, USAGE
 *   without a profile or with one app named twice, and whatever createGraphClient throws.
 * Never logs or returns a token or secret.
 */
export async function createGraphClientForApps(profiles: readonly ConnectionProfile[], opts: GraphClientOptions = {}): Promise<GraphClient> {
  const first = checkRecoveryApps(profiles);
  if (profiles.length === 1) return createGraphClient(first, opts);
  const clock = opts.clock ?? systemClock;
  const shards: GraphShard[] = [];
  for (const p of profiles) {
    const gate = new ThrottleGate(clock);
    shards.push({ name: p.name ?? p.clientId, client: await createGraphClient(p, { ...opts, gate }), gate });
  }
  return new ShardedGraphClient(shards, clock, opts.signal);
}
