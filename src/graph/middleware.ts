/**
 * The project's layers as `@microsoft/microsoft-graph-client` middleware: each class
 * implements the library's `Middleware` (`execute(context)` / `setNext`) and the chain
 * is handed to `Client.initWithMiddleware` (transport.ts). Order, outermost first:
 *
 *   capture → pacing (lag + retry, shared gate) → logging → stats → limit → auth → fetch
 *
 * so each lag attempt gets full throttle handling, every HTTP attempt is logged and
 * counted, and requests sleeping in backoff hold no concurrency slot.
 *
 * Per-request facts travel in a `RequestState` middleware option (the library's
 * MiddlewareControl): the verbatim URL, the parsed response, the abort signal and any
 * error, so a middleware never re-parses a body another one already read.
 */
import type { AuthenticationProvider, Context, Middleware, MiddlewareOptions } from '@microsoft/microsoft-graph-client';
import type { Reporter } from '../progress.js';
import type { TokenProvider } from './auth.js';
import { RawBody, UnparsedBody, isRawContentType, unavailableError } from './errors.js';
import { redactPath } from './logging.js';
import type { Pacer, Semaphore } from './pacing.js';
import type { StatsCollector } from './stats.js';
import type { GraphResponse, HttpMethod } from './types.js';
import { wireBody } from './wire-body.js';

/** What one GraphTransport.send call carries through the chain. */
export class RequestState implements MiddlewareOptions {
  /** The last HTTP answer, parsed once by FetchMiddleware. */
  response?: GraphResponse;
  /** The first error any middleware threw, re-thrown as is by the transport. */
  error?: unknown;
  constructor(
    readonly method: HttpMethod,
    /** The caller's path (for logs and reports: never with its origin). */
    readonly path: string,
    /** Absolute URL, already checked against the profile's origin (resolveUrl). */
    readonly url: string,
    /** Opted into replication-lag retries (retryOnLag()). */
    readonly lag: boolean,
    /** Sub-requests in a `$batch` body, 0 otherwise. */
    readonly batched: number,
    readonly signal?: AbortSignal,
  ) {}
}

/** The RequestState of a context. @throws Error (a bug) when the request was not sent by transport.ts. */
export function stateOf(context: Context): RequestState {
  const s = context.middlewareControl?.getMiddlewareOptions(RequestState);
  if (!(s instanceof RequestState)) throw new Error('graph middleware: request without RequestState');
  return s;
}

/** Base class: the `setNext` link every middleware but the last one needs. */
abstract class Link implements Middleware {
  private nextLink: Middleware | undefined;
  setNext(next: Middleware): void {
    this.nextLink = next;
  }
  protected next(context: Context): Promise<void> {
    if (!this.nextLink) throw new Error(`${this.constructor.name} is not followed by a middleware`);
    return this.nextLink.execute(context);
  }
  abstract execute(context: Context): Promise<void>;
}

/**
 * Records the first error thrown below it in the RequestState: the library wraps
 * whatever a middleware throws into its own GraphError, and callers need ours
 * (a VaultError with the project's code, or the abort reason).
 */
export class CaptureMiddleware extends Link {
  async execute(context: Context): Promise<void> {
    try {
      await this.next(context);
    } catch (e) {
      const s = stateOf(context);
      s.error ??= e;
      throw e;
    }
  }
}

/** Pacing (pacing.ts) around everything below: throttle, transient and lag retries. */
export class PacingMiddleware extends Link {
  constructor(private readonly pacer: Pacer) {
    super();
  }
  async execute(context: Context): Promise<void> {
    const s = stateOf(context);
    s.response = await this.pacer.send(
      s,
      async () => {
        await this.next(context);
        if (!s.response) throw new Error('graph middleware: the fetch step left no response');
        return s.response;
      },
      { lag: s.lag, signal: s.signal },
    );
  }
}

/** `METHOD path -> status` at debug level per HTTP attempt; never bodies or headers. */
export class LoggingMiddleware extends Link {
  constructor(private readonly reporter: Reporter) {
    super();
  }
  async execute(context: Context): Promise<void> {
    const s = stateOf(context);
    const line = `${s.method} ${redactPath(s.path)}`;
    try {
      await this.next(context);
      this.reporter.report({ kind: 'log', level: 'debug', message: `graph ${line} -> ${s.response?.status ?? '?'}` });
    } catch (e) {
      this.reporter.report({ kind: 'log', level: 'debug', message: `graph ${line} -> failed (${e instanceof Error ? e.name : 'error'})` });
      throw e;
    }
  }
}

/**
 * Counts every HTTP attempt (so retries show up as requests too) and the sub-requests
 * inside `$batch` bodies, which Graph throttles individually (docs/graph-facts.md §5 "$batch").
 */
export class StatsMiddleware extends Link {
  constructor(private readonly stats: StatsCollector) {
    super();
  }
  execute(context: Context): Promise<void> {
    const s = stateOf(context);
    this.stats.countRequest();
    if (s.batched > 0) this.stats.countBatched(s.batched);
    return this.next(context);
  }
}

/**
 * At most `sem.limit` requests in flight; placed below pacing so backoff holds no slot.
 * The semaphore is the client's AdaptiveLimit's (pacing.ts), which lowers it on 429s.
 */
export class ConcurrencyMiddleware extends Link {
  constructor(private readonly sem: Semaphore) {
    super();
  }
  execute(context: Context): Promise<void> {
    return this.sem.run(() => this.next(context));
  }
}

/**
 * Attaches the bearer token from the library's `TokenCredentialAuthenticationProvider`.
 * The library's own AuthenticationHandler cannot be used: it attaches a token only when
 * GraphRequestUtil.isValidEndpoint accepts the URL, which requires "https://", so the
 * emulator (plain http on loopback) would get no token. The URL was already checked
 * against the profile's origin (transport.ts resolveUrl), so a token never leaves it.
 * After a 401 the cached token is dropped and the request sent once more.
 * While the token cache holds a fresh token it is used directly: the provider's
 * getAccessToken allocates an error object (with its stack) on every call, which at
 * tens of thousands of requests costs more CPU than the rest of the chain.
 */
export class AuthMiddleware extends Link {
  constructor(
    private readonly provider: AuthenticationProvider,
    private readonly tokens: TokenProvider,
  ) {
    super();
  }
  async execute(context: Context): Promise<void> {
    const s = stateOf(context);
    const headers = headersOf(context);
    headers.authorization = `Bearer ${this.tokens.current?.() ?? (await this.provider.getAccessToken())}`;
    await this.next(context);
    if (s.response?.status === 401) {
      // A cached token can be revoked or expire early; one fresh attempt, then give up.
      this.tokens.invalidate();
      headers.authorization = `Bearer ${await this.provider.getAccessToken()}`;
      await this.next(context);
    }
  }
}

/** The request headers as the plain object GraphRequest builds (created when absent). */
function headersOf(context: Context): Record<string, string> {
  context.options ??= {};
  const h = context.options.headers;
  if (h && typeof h === 'object' && !Array.isArray(h) && !(h instanceof Headers)) return h as Record<string, string>;
  const out: Record<string, string> = {};
  if (h) new Headers(h).forEach((v, k) => (out[k] = v));
  context.options.headers = out;
  return out;
}

/**
 * The last link: one HTTP exchange over fetch to the RequestState's verbatim URL.
 * Replaces the library's HTTPMessageHandler, which has no timeout, no injectable fetch
 * and leaves the body unread. Throws GraphError GRAPH_UNAVAILABLE on connection failures
 * (naming the URL, never the query) and the abort reason when aborted; every HTTP status
 * is an answer. Non-JSON bodies come back as UnparsedBody.
 */
export class FetchMiddleware implements Middleware {
  constructor(
    private readonly fetchImpl: typeof fetch = fetch,
    /** Per-attempt timeout; Graph's own gateway timeout is about 100 s. */
    private readonly timeoutMs = 100_000,
  ) {}
  async execute(context: Context): Promise<void> {
    const s = stateOf(context);
    const headers: Record<string, string> = { accept: 'application/json', ...headersOf(context) };
    const body = context.options?.body;
    const { signal, done } = attemptSignal(this.timeoutMs, s.signal);
    let res: Response;
    let raw: Buffer;
    try {
      // a stream property's PUT sends bytes (GraphClient.putBytes); every other body is JSON text
      const sent = wireBody(body);
      res = await this.fetchImpl(s.url, { method: s.method, headers, body: sent, signal });
      raw = Buffer.from(await res.arrayBuffer());
    } catch (e) {
      if (s.signal?.aborted) throw s.signal.reason;
      throw unavailableError(s.url, e);
    } finally {
      done();
    }
    const out: Record<string, string> = {};
    res.headers.forEach((v, k) => {
      out[k.toLowerCase()] = v;
    });
    const type = out['content-type'] ?? '';
    const parsed = isRawContentType(type) && raw.length > 0 ? new RawBody(new Uint8Array(raw), type.split(';')[0]!.trim().toLowerCase()) : parseBody(raw.toString('utf8'), type);
    s.response = { status: res.status, headers: out, body: parsed };
    context.response = res;
  }
}

/**
 * One attempt's abort signal: aborted with a TimeoutError after `timeoutMs`, or with the
 * caller's reason; `done()` clears the timer and the listener once the attempt ended.
 * Not AbortSignal.timeout/any: Node 20 keeps a timeout or composite signal that has an
 * abort listener (fetch adds one) alive until its timer fires, so every request's signal,
 * timer and listener stayed in memory for 100 s; at 20k users that was about 7,000 signals
 * and 27,000 timers in the restoring client's heap (issue 17 item 1).
 */
function attemptSignal(timeoutMs: number, caller: AbortSignal | undefined): { signal: AbortSignal; done: () => void } {
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')), timeoutMs);
  timer.unref?.();
  const onAbort = (): void => ac.abort(caller?.reason);
  if (caller?.aborted) onAbort();
  else caller?.addEventListener('abort', onAbort, { once: true });
  return {
    signal: ac.signal,
    done: () => {
      clearTimeout(timer);
      caller?.removeEventListener('abort', onAbort);
    },
  };
}

function parseBody(text: string, contentType: string): unknown {
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return new UnparsedBody(text.slice(0, 200), contentType);
  }
}
