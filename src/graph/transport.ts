/**
 * The GraphTransport every GraphClient sends through: Microsoft's
 * `@microsoft/microsoft-graph-client` (`Client.initWithMiddleware`) with the project's
 * middleware chain (middleware.ts) and `@azure/identity` credentials through the library's
 * `TokenCredentialAuthenticationProvider`.
 *
 * What of the library is used, and what not, and why:
 * - `Client`/`GraphRequest` carry each request (method, headers, body serialisation,
 *   MiddlewareControl) through the chain; `ResponseType.RAW` hands the HTTP answer back
 *   unconverted, so Graph's errors become the project's GraphError (errors.ts), never
 *   the library's (whose message would embed body text).
 * - The URL sent is the one `resolveUrl` made, verbatim: GraphRequest's parsePath only
 *   recognises https hosts and rebuilds the query in its own order, while nextLinks and
 *   deltaLinks must be followed exactly as given (docs/graph-facts.md §5 "Paging") and the
 *   emulator is plain http on loopback. For the same reason `PageIterator` (which calls
 *   `client.api(nextLink)`) is not used; client.ts follows the links itself.
 * - `BatchRequestContent` is not used: it wants a fetch `Request` per step (absolute
 *   URL, body read back asynchronously) where client.ts builds the JSON directly.
 * - The library's default chain (its AuthenticationHandler, RetryHandler sleeping on real
 *   timers without a shared 429 gate, HTTPMessageHandler without timeout) is replaced
 *   by the chain in middleware.ts.
 */
import { Client, ResponseType, type AuthenticationProvider, type GraphRequest as SdkRequest } from '@microsoft/microsoft-graph-client';
import { TokenCredentialAuthenticationProvider } from '@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials/index.js';
import type { AccessToken, TokenCredential } from '@azure/identity';
import type { Clock } from '../clock.js';
import type { Reporter } from '../progress.js';
import type { TokenProvider } from './auth.js';
import { GraphError, safePath } from './errors.js';
import {
  AuthMiddleware,
  CaptureMiddleware,
  ConcurrencyMiddleware,
  FetchMiddleware,
  LoggingMiddleware,
  PacingMiddleware,
  RequestState,
  StatsMiddleware,
} from './middleware.js';
import { AdaptiveLimit, Pacer, isBatchPath, takeLagOptIn, type ThrottleGate } from './pacing.js';
import type { StatsCollector } from './stats.js';
import type { GraphRequest, GraphResponse, GraphTransport } from './types.js';

/** Resolves a request path to a URL; absolute URLs must share the base's origin. */
export function resolveUrl(baseUrl: string, path: string): string {
  const base = baseUrl.replace(/\/+$/, '');
  if (/^https?:\/\//i.test(path)) {
    const target = new URL(path);
    if (target.origin !== new URL(base).origin) {
      throw new GraphError('GRAPH_BAD_RESPONSE', `refusing to follow a link to another host: ${target.origin}${safePath(path)}`, `graphBaseUrl is ${new URL(base).origin}`);
    }
    return path;
  }
  return `${base}${path.startsWith('/') ? '' : '/'}${path}`;
}

export interface TransportOptions {
  /** e.g. https://graph.microsoft.com/v1.0 */
  baseUrl: string;
  clock: Clock;
  stats: StatsCollector;
  reporter?: Reporter;
  /** Bearer tokens; without them requests go unauthenticated (tests). */
  tokens?: TokenProvider;
  /** The scope tokens are for (auth.ts scopeFor); default `${origin}/.default`. */
  scope?: string;
  /** Concurrent HTTP requests; default 4. */
  concurrency?: number;
  /** Cap on throttle/5xx/network retries per request; default none (the deadline rules). */
  maxRetries?: number;
  /** Per-operation deadline for those retries (pacing.ts); default 10 minutes. */
  deadlineMs?: number;
  /** First exponential-backoff step (default 1000 ms). */
  retryBaseDelayMs?: number;
  /** Unit of the lag schedule 1, 2, 4, 8, 16 (default 1000 ms). */
  lagBaseMs?: number;
  random?: () => number;
  gate?: ThrottleGate;
  fetch?: typeof fetch;
  /** Per-attempt timeout; default 100 s. */
  timeoutMs?: number;
}

/** Default bound on HTTP requests in flight per client. */
export const GRAPH_CONCURRENCY = 4;

/**
 * A TokenCredential answering from the project's token cache (auth.ts
 * CachedTokenProvider), so the library's provider asks the real credential only when
 * the cached token is near expiry or was invalidated after a 401.
 */
function cachedCredential(tokens: TokenProvider): TokenCredential {
  return {
    async getToken(): Promise<AccessToken> {
      // The cache owns expiry; this object only hands the current token over.
      return { token: await tokens.token(), expiresOnTimestamp: Number.MAX_SAFE_INTEGER };
    },
  };
}

/**
 * Builds the transport: a Graph client whose middleware chain holds the project's
 * pacing, logging, stats, concurrency limit, authentication and fetch.
 * `send` throws what the chain throws (GraphError GRAPH_UNAVAILABLE after retries,
 * GRAPH_AUTH from the credential, the abort reason); every HTTP status is an answer.
 * Never sends a bearer token to another origin than `baseUrl`'s.
 */
export function graphTransport(o: TransportOptions): GraphTransport {
  const limit = new AdaptiveLimit(o.concurrency ?? GRAPH_CONCURRENCY, o.clock, (n, why) => {
    o.stats.noteConcurrency(n);
    o.reporter?.report({ kind: 'log', level: 'info', message: why === 'throttled' ? `Graph is throttling: requests in flight lowered to ${n}` : `requests in flight raised to ${n}` });
  });
  const pacer = new Pacer({ clock: o.clock, reporter: o.reporter, stats: o.stats, maxRetries: o.maxRetries, deadlineMs: o.deadlineMs, baseDelayMs: o.retryBaseDelayMs, lagBaseMs: o.lagBaseMs, random: o.random, gate: o.gate, limit });
  const chain = [new CaptureMiddleware(), new PacingMiddleware(pacer)];
  if (o.reporter) chain.push(new LoggingMiddleware(o.reporter));
  chain.push(new StatsMiddleware(o.stats), new ConcurrencyMiddleware(limit.sem));
  if (o.tokens) {
    const provider: AuthenticationProvider = new TokenCredentialAuthenticationProvider(cachedCredential(o.tokens), {
      scopes: [o.scope ?? `${new URL(o.baseUrl).origin}/.default`],
    });
    chain.push(new AuthMiddleware(provider, o.tokens));
  }
  for (let i = 0; i < chain.length - 1; i++) chain[i]!.setNext(chain[i + 1]!);
  const fetchStep = new FetchMiddleware(o.fetch ?? fetch, o.timeoutMs);
  chain[chain.length - 1]!.setNext(fetchStep);
  const origin = new URL(o.baseUrl).origin;
  // The library only sees the path; the URL actually sent is RequestState.url.
  const client = Client.initWithMiddleware({ middleware: chain[0], baseUrl: origin, defaultVersion: '' });

  return {
    async send(req: GraphRequest, signal?: AbortSignal): Promise<GraphResponse> {
      const url = resolveUrl(o.baseUrl, req.path);
      const { lag, headers } = takeLagOptIn(req.headers);
      const batched = req.method === 'POST' && isBatchPath(req.path) ? batchSize(req.body) : 0;
      const state = new RequestState(req.method, req.path, url, lag, batched, signal);
      let r: SdkRequest = client.api(pathOnly(req.path, url)).middlewareOptions([state]).responseType(ResponseType.RAW);
      if (headers) r = r.headers(headers);
      try {
        await sendVia(r, req);
      } catch (e) {
        throw state.error ?? e;
      }
      if (!state.response) throw new Error('graph transport: the chain returned no response');
      return state.response;
    },
  };
}

function sendVia(r: SdkRequest, req: GraphRequest): Promise<unknown> {
  switch (req.method) {
    case 'GET':
      return r.get();
    case 'POST':
      return r.post(req.body);
    case 'PATCH':
      return r.patch(req.body);
    case 'PUT':
      return r.put(req.body);
    case 'DELETE':
      return r.delete();
  }
}

/** The path without query for GraphRequest, which only needs something to parse (the URL sent is RequestState.url). */
function pathOnly(path: string, url: string): string {
  if (!path.startsWith('/')) return new URL(url).pathname;
  const q = path.indexOf('?');
  return q === -1 ? path : path.slice(0, q);
}

function batchSize(body: unknown): number {
  const reqs = (body as { requests?: unknown } | undefined)?.requests;
  return Array.isArray(reqs) ? reqs.length : 0;
}
