/**
 * The bottom of the stack: one HTTP exchange over Node's fetch. Resolves paths against
 * the profile's graphBaseUrl, uses absolute nextLink/deltaLink URLs verbatim (docs/graph-facts.md
 * §5 "Paging": never rebuild them) but only on the same origin, so a bearer token is never
 * sent to a host the profile does not name. Attaches the bearer token, refreshing it
 * once after a 401.
 */
import type { GraphRequest, GraphResponse, GraphTransport } from './types.js';
import type { TokenProvider } from './auth.js';
import { GraphError, UnparsedBody, safePath, unavailableError } from './errors.js';

export interface FetchTransportOptions {
  /** e.g. https://graph.microsoft.com/v1.0 */
  baseUrl: string;
  tokens?: TokenProvider;
  fetch?: typeof fetch;
  /** Per-attempt timeout; default 100 s (Graph's own gateway timeout is about that). */
  timeoutMs?: number;
}

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

/**
 * A GraphTransport over fetch.
 * Throws GraphError GRAPH_UNAVAILABLE on connection failures (naming the URL, never the
 * query); returns every HTTP status as a response. Non-JSON bodies come back as UnparsedBody.
 */
export function fetchTransport(opts: FetchTransportOptions): GraphTransport {
  const doFetch = opts.fetch ?? fetch;
  const timeoutMs = opts.timeoutMs ?? 100_000;
  async function once(req: GraphRequest, url: string, signal: AbortSignal | undefined): Promise<GraphResponse> {
    const headers: Record<string, string> = { accept: 'application/json', ...req.headers };
    if (opts.tokens) headers.authorization = `Bearer ${await opts.tokens.token(signal)}`;
    let body: string | undefined;
    if (req.body !== undefined) {
      body = JSON.stringify(req.body);
      if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
    }
    const timeout = AbortSignal.timeout(timeoutMs);
    const sig = signal ? AbortSignal.any([signal, timeout]) : timeout;
    let res: Response;
    let text: string;
    try {
      res = await doFetch(url, { method: req.method, headers, body, signal: sig });
      text = await res.text();
    } catch (e) {
      if (signal?.aborted) throw signal.reason;
      throw unavailableError(url, e);
    }
    const outHeaders: Record<string, string> = {};
    res.headers.forEach((v, k) => {
      outHeaders[k.toLowerCase()] = v;
    });
    return { status: res.status, headers: outHeaders, body: parseBody(text, outHeaders['content-type'] ?? '') };
  }
  return {
    async send(req, signal) {
      const url = resolveUrl(opts.baseUrl, req.path);
      const res = await once(req, url, signal);
      if (res.status === 401 && opts.tokens) {
        // A cached token can be revoked or expire early; one fresh attempt, then give up.
        opts.tokens.invalidate();
        return once(req, url, signal);
      }
      return res;
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
