/**
 * GraphClient: the high-level Graph API every other module uses, over the transport in
 * transport.ts (Microsoft's Graph client with the project's middleware chain:
 * pacing.ts owns every wait, middleware.ts holds the layers).
 */
import { systemClock, type Clock } from '../clock.js';
import type { ConnectionProfile } from '../profile.js';
import type { Reporter } from '../progress.js';
import type {
  BatchRequest,
  BatchResponse,
  DeltaPage,
  GraphBytes,
  GraphClient,
  GraphRequest,
  GraphStats,
  GraphTransport,
  HttpMethod,
} from './types.js';
import { CachedTokenProvider, credentialForProfile, scopeFor, type DeviceCodePromptInfo } from './auth.js';
import { GraphError, RawBody, UnparsedBody, errorFromResponse, readEnvelope, safePath } from './errors.js';
import type { ThrottleGate } from './pacing.js';
import { StatsCollector } from './stats.js';
import { graphTransport } from './transport.js';
import { trustFor } from './tls.js';

/** Graph's limit on sub-requests per `$batch` (docs/graph-facts.md §5). */
export const MAX_BATCH = 20;

export interface GraphClientOptions {
  reporter?: Reporter;
  clock?: Clock;
  /** Concurrent HTTP requests; default 4. */
  concurrency?: number;
  /** Cap on throttle/5xx/network retries per request; default none (the deadline rules). */
  maxRetries?: number;
  /** Per-operation deadline for those retries (pacing.ts); default 10 minutes. */
  deadlineMs?: number;
  deviceCodePrompt?: (info: DeviceCodePromptInfo) => void;
  /** Aborts every request and wait of this client. */
  signal?: AbortSignal;
  /** First exponential-backoff step (default 1000 ms). */
  retryBaseDelayMs?: number;
  /** Unit of the lag schedule 1, 2, 4, 8, 16 (default 1000 ms). */
  lagBaseMs?: number;
  /** Randomness for backoff jitter (tests pin it). */
  random?: () => number;
  /** Environment for `auth.secretEnv`; default process.env. */
  env?: Record<string, string | undefined>;
  /** fetch implementation; default the global one. */
  fetch?: typeof fetch;
  /** This client's throttle gate (one per app+tenant); a new one by default. The sharding client (shard.ts) reads it. */
  gate?: ThrottleGate;
}

/**
 * Connects to the tenant a profile names and returns a GraphClient.
 * Acquires the first token eagerly so bad credentials fail here, not mid-backup
 * (for deviceCode auth this shows the prompt now).
 * @throws VaultError PROFILE_INVALID (secret variable unset, unsupported auth for an
 *   http authority, a caFile without a certificate), FILE_NOT_FOUND (caFile), GraphError GRAPH_AUTH / GRAPH_UNAVAILABLE from the token endpoint.
 * Never logs or returns the token or secret.
 */
export async function createGraphClient(profile: ConnectionProfile, opts: GraphClientOptions = {}): Promise<GraphClient> {
  const clock = opts.clock ?? systemClock;
  const trust = await trustFor(profile);
  const credential = credentialForProfile(profile, { deviceCodePrompt: opts.deviceCodePrompt, env: opts.env, clock, ...(trust ? { agent: trust.agent } : {}) });
  const tokens = new CachedTokenProvider(credential, scopeFor(profile.graphBaseUrl), clock);
  await tokens.token(opts.signal);
  const stats = new StatsCollector();
  const transport = graphTransport({
    baseUrl: profile.graphBaseUrl,
    tokens,
    scope: scopeFor(profile.graphBaseUrl),
    fetch: opts.fetch ?? trust?.fetch,
    clock,
    reporter: opts.reporter,
    stats,
    concurrency: opts.concurrency,
    maxRetries: opts.maxRetries,
    deadlineMs: opts.deadlineMs,
    retryBaseDelayMs: opts.retryBaseDelayMs,
    lagBaseMs: opts.lagBaseMs,
    random: opts.random,
    ...(opts.gate ? { gate: opts.gate } : {}),
  });
  return new TransportGraphClient(transport, stats, opts.signal);
}

/** True when `e` says a delta token expired (410) and the caller must run a full delta round. */
export function isResyncRequired(e: unknown): e is GraphError {
  return e instanceof GraphError && e.status === 410;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof UnparsedBody);
}

/**
 * GraphClient over any (layered) transport. Maps every non-2xx response to GraphError.
 */
export class TransportGraphClient implements GraphClient {
  constructor(
    private readonly transport: GraphTransport,
    private readonly collector: StatsCollector = new StatsCollector(),
    private readonly signal?: AbortSignal,
  ) {}

  private async call(method: HttpMethod, path: string, body?: unknown, headers?: Record<string, string>): Promise<unknown> {
    const req: GraphRequest = { method, path };
    if (body !== undefined) req.body = body;
    if (headers) req.headers = headers;
    const res = await this.transport.send(req, this.signal);
    if (res.status >= 400) throw errorFromResponse(method, path, res);
    if (res.body instanceof UnparsedBody) throw errorFromResponse(method, path, res);
    return res.body;
  }

  private async page(path: string, headers?: Record<string, string>): Promise<{ value: unknown[]; obj: Record<string, unknown> }> {
    const body = await this.call('GET', path, undefined, headers);
    if (!isRecord(body) || !Array.isArray(body.value)) {
      throw new GraphError('GRAPH_BAD_RESPONSE', `Graph GET ${safePath(path)} returned a page without a "value" array`);
    }
    return { value: body.value, obj: body };
  }

  async get<T = unknown>(path: string, headers?: Record<string, string>): Promise<T> {
    return (await this.call('GET', path, undefined, headers)) as T;
  }

  async *list<T = unknown>(path: string, headers?: Record<string, string>): AsyncIterable<T> {
    let next: string | undefined = path;
    const seen = new Set<string>();
    while (next !== undefined) {
      seen.add(next);
      const { value, obj } = await this.page(next, headers);
      for (const item of value) yield item as T;
      const link = obj['@odata.nextLink'];
      if (link === undefined || link === null) break;
      if (typeof link !== 'string' || seen.has(link)) {
        throw new GraphError('GRAPH_BAD_RESPONSE', `Graph GET ${safePath(path)} returned an invalid or repeating @odata.nextLink`);
      }
      // Follow the whole link verbatim (docs/graph-facts.md §5 "Paging").
      next = link;
    }
  }

  /**
   * Pages until `@odata.deltaLink` (docs/graph-facts.md §5 "Delta").
   * @throws GraphError GRAPH_REQUEST_FAILED with status 410 and graphCode from Graph
   *   (default 'SyncStateNotFound') when the delta token expired (7 days): the caller
   *   must start a full round from the plain delta path — see isResyncRequired().
   */
  async *delta<T = unknown>(pathOrDeltaLink: string): AsyncIterable<DeltaPage<T>> {
    let next = pathOrDeltaLink;
    const seen = new Set<string>();
    for (;;) {
      seen.add(next);
      let page: { value: unknown[]; obj: Record<string, unknown> };
      try {
        page = await this.page(next);
      } catch (e) {
        // 410 Gone (docs/graph-facts.md §5 [S160]), or — as Microsoft announced for directory
        // delta links past their 7 days — 400 syncStateNotFound [S161]: both mean resync
        const expired400 = e instanceof GraphError && e.status === 400 && /^syncStateNotFound$/i.test(e.graphCode ?? '');
        if (e instanceof GraphError && (e.status === 410 || expired400)) {
          throw new GraphError(
            'GRAPH_REQUEST_FAILED',
            `Graph delta token for ${safePath(pathOrDeltaLink)} expired (${e.status === 410 ? '410 Gone' : '400 syncStateNotFound'}): a full resync is required`,
            'the backup falls back to a full read; no action needed unless this repeats',
            { status: 410, graphCode: e.graphCode ?? 'SyncStateNotFound', requestId: e.requestId },
          );
        }
        throw e;
      }
      const deltaLink = page.obj['@odata.deltaLink'];
      const nextLink = page.obj['@odata.nextLink'];
      if (typeof deltaLink === 'string') {
        yield { items: page.value as T[], deltaLink };
        return;
      }
      if (typeof nextLink !== 'string' || seen.has(nextLink)) {
        throw new GraphError('GRAPH_BAD_RESPONSE', `Graph delta ${safePath(pathOrDeltaLink)} returned a page with neither a new @odata.nextLink nor @odata.deltaLink`);
      }
      yield { items: page.value as T[] };
      next = nextLink;
    }
  }

  async post<T = unknown>(path: string, body: unknown, headers?: Record<string, string>): Promise<T> {
    return (await this.call('POST', path, body, headers)) as T;
  }

  async patch(path: string, body: unknown, headers?: Record<string, string>): Promise<void> {
    await this.call('PATCH', path, body, headers);
  }

  async put<T = unknown>(path: string, body: unknown, headers?: Record<string, string>): Promise<T> {
    return (await this.call('PUT', path, body, headers)) as T;
  }

  async delete(path: string, headers?: Record<string, string>): Promise<void> {
    await this.call('DELETE', path, undefined, headers);
  }

  /**
   * A stream property's bytes (docs/graph-facts.md S235), through the same transport (pacing,
   * retries, throttling) as every call.
   * A JSON answer to a `…/$value` GET is that content, re-serialized compactly.
   * @throws GraphError for a status >= 400, GRAPH_BAD_RESPONSE for a JSON answer where bytes were due.
   */
  async getBytes(path: string): Promise<GraphBytes | undefined> {
    const res = await this.transport.send({ method: 'GET', path, headers: { accept: '*/*' } }, this.signal);
    if (res.status >= 400 || res.body instanceof UnparsedBody) throw errorFromResponse('GET', path, res);
    if (res.body === undefined || res.status === 204) return undefined;
    if (!(res.body instanceof RawBody)) {
      // a `$value` whose media type is JSON (a user flow's page content, docs/graph-facts.md S332): its JSON, written compactly
      if (path.endsWith('/$value')) return { contentType: 'application/json', bytes: new Uint8Array(Buffer.from(JSON.stringify(res.body), 'utf8')) };
      throw new GraphError('GRAPH_BAD_RESPONSE', `Graph GET ${safePath(path)} returned JSON where a stream was expected`);
    }
    return { contentType: res.body.contentType, bytes: res.body.bytes };
  }

  /** PUTs a stream property's bytes with their Content-Type (docs/graph-facts.md S235). */
  async putBytes(path: string, bytes: Uint8Array, contentType: string): Promise<void> {
    await this.call('PUT', path, Buffer.from(bytes), { 'Content-Type': contentType });
  }

  /**
   * One `$batch` call. Responses come back in request order.
   * @throws Error (a bug) for more than 20 requests or duplicate ids — use batchAll();
   *   GraphError GRAPH_BAD_RESPONSE when the envelope lacks a response per request.
   */
  async batch(requests: BatchRequest[]): Promise<BatchResponse[]> {
    if (requests.length > MAX_BATCH) throw new Error(`batch() takes at most ${MAX_BATCH} requests, got ${requests.length}; use batchAll()`);
    if (requests.length === 0) return [];
    const ids = new Set(requests.map((r) => r.id));
    if (ids.size !== requests.length) throw new Error('batch() request ids must be unique');
    const body = {
      requests: requests.map((r) => {
        const headers = { ...r.headers };
        // Sub-requests with a body need a Content-Type (docs/graph-facts.md §5 "$batch").
        if (r.body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['Content-Type'] = 'application/json';
        return {
          id: r.id,
          method: r.method,
          url: r.url,
          ...(r.body !== undefined ? { body: r.body } : {}),
          ...(Object.keys(headers).length > 0 ? { headers } : {}),
          ...(r.dependsOn && r.dependsOn.length > 0 ? { dependsOn: r.dependsOn } : {}),
        };
      }),
    };
    const res = await this.call('POST', '/$batch', body);
    const list = isRecord(res) ? res.responses : undefined;
    if (!Array.isArray(list)) throw new GraphError('GRAPH_BAD_RESPONSE', 'Graph POST /$batch returned no "responses" array');
    const byId = new Map<string, BatchResponse>();
    for (const item of list) {
      if (!isRecord(item) || typeof item.id !== 'string' || typeof item.status !== 'number') {
        throw new GraphError('GRAPH_BAD_RESPONSE', 'Graph POST /$batch returned a malformed sub-response');
      }
      const headers: Record<string, string> = {};
      if (isRecord(item.headers)) for (const [k, v] of Object.entries(item.headers)) if (typeof v === 'string') headers[k.toLowerCase()] = v;
      byId.set(item.id, { id: item.id, status: item.status, headers, body: item.body });
    }
    return requests.map((r) => {
      const got = byId.get(r.id);
      if (!got) throw new GraphError('GRAPH_BAD_RESPONSE', `Graph POST /$batch returned no response for request ${r.id}`);
      return got;
    });
  }

  stats(): GraphStats {
    return this.collector.snapshot();
  }
}

/** Graph's error code of a batch sub-response, if it carries the error envelope. */
export function subResponseCode(r: BatchResponse): string | undefined {
  return readEnvelope(r.body)?.code;
}
