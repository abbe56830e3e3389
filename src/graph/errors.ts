/**
 * Graph failures as operator-actionable errors. Every failure that leaves the graph
 * layer is a GraphError (a VaultError) with a one-line message built from Graph's error
 * envelope (docs/graph-facts.md §5 "Errors"); request bodies, headers and tokens never appear
 * in it, and query strings are cut off because nextLinks carry opaque skip/delta tokens.
 */
import { VaultError, type ErrorCode } from '../errors.js';
import type { GraphResponse } from './types.js';

export interface GraphErrorDetails {
  status?: number;
  graphCode?: string;
  requestId?: string;
  cause?: unknown;
}

/** A VaultError raised by the graph layer, carrying the HTTP status and Graph's error code. */
export class GraphError extends VaultError {
  readonly status: number | undefined;
  readonly graphCode: string | undefined;
  readonly requestId: string | undefined;
  constructor(code: ErrorCode, message: string, hint?: string, details: GraphErrorDetails = {}) {
    super(code, oneLine(message), hint === undefined ? undefined : oneLine(hint), details.cause === undefined ? undefined : { cause: details.cause });
    this.status = details.status;
    this.graphCode = details.graphCode;
    this.requestId = details.requestId;
  }
}

/**
 * Marker for a response body that was not valid JSON. The transport returns it instead
 * of throwing so retry layers can still retry a gateway's HTML 502 page; the client
 * turns it into GRAPH_BAD_RESPONSE.
 */
export class UnparsedBody {
  constructor(
    /** At most the first 200 characters, for diagnosis only. */
    readonly preview: string,
    readonly contentType: string,
  ) {}
}

/**
 * A stream property's body (an image, a stylesheet): kept as bytes, never parsed
 * (FetchMiddleware, ./middleware.ts; docs/graph-facts.md S235).
 */
export class RawBody {
  constructor(
    readonly bytes: Uint8Array,
    readonly contentType: string,
  ) {}
}

/** Content types read as bytes rather than text: images, stylesheets, octet streams. */
export function isRawContentType(contentType: string): boolean {
  return /^(image\/|text\/css|application\/octet-stream)/i.test(contentType.trim());
}

const MAX_MESSAGE = 400;

/** Collapses whitespace and newlines and truncates, so a message is always one line. */
export function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > MAX_MESSAGE ? `${flat.slice(0, MAX_MESSAGE - 1)}…` : flat;
}

/** Path without query string or fragment, relative to the host: safe to show. */
export function safePath(pathOrUrl: string): string {
  let p = pathOrUrl;
  if (/^https?:\/\//i.test(p)) {
    try {
      p = new URL(p).pathname;
    } catch {
      p = '(unparsable url)';
    }
  }
  const cut = p.search(/[?#]/);
  return cut === -1 ? p : p.slice(0, cut);
}

interface Envelope {
  code?: string;
  message?: string;
  requestId?: string;
  details: string[];
}

/** Reads Graph's `{error:{code,message,details,innerError}}` envelope, tolerating gaps. */
export function readEnvelope(body: unknown): Envelope | undefined {
  if (typeof body !== 'object' || body === null || !('error' in body)) return undefined;
  const err = (body as { error: unknown }).error;
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as Record<string, unknown>;
  const inner = (e.innerError ?? e.innererror) as Record<string, unknown> | undefined;
  const requestId = typeof inner?.['request-id'] === 'string' ? (inner['request-id'] as string) : undefined;
  const details: string[] = [];
  if (Array.isArray(e.details)) {
    for (const d of e.details) {
      if (typeof d === 'object' && d !== null) {
        const r = d as Record<string, unknown>;
        for (const k of ['code', 'message', 'target']) if (typeof r[k] === 'string') details.push(r[k] as string);
      }
    }
  }
  return {
    code: typeof e.code === 'string' ? e.code : undefined,
    message: typeof e.message === 'string' ? e.message : undefined,
    requestId,
    details,
  };
}

/** Text of Graph's message plus detail codes, for pattern checks such as lag detection. */
export function envelopeText(body: unknown): string {
  const env = readEnvelope(body);
  if (!env) return '';
  return [env.code ?? '', env.message ?? '', ...env.details].join(' ');
}

// Permission names have the shape Resource.Access[.Scope] (docs/graph-facts.md §6).
const PERMISSION_RE = /\b[A-Z][A-Za-z0-9]*\.(?:Read|ReadWrite|ReadBasic|Write|Create|Manage)[A-Za-z]*(?:\.[A-Z][A-Za-z]*)?\b/;

/** The permission named in a 403 message, if Graph (or the emulator) named one. */
export function missingPermission(message: string | undefined): string | undefined {
  if (!message) return undefined;
  return PERMISSION_RE.exec(message)?.[0];
}

/**
 * Maps a failed response to a GraphError. Never includes the request body or headers.
 * @param method the HTTP method, shown in the message
 * @param path the request path or URL; the query string is dropped
 */
export function errorFromResponse(method: string, path: string, res: GraphResponse): GraphError {
  const where = `${method} ${safePath(path)}`;
  const requestId = res.headers['request-id'] ?? res.headers['client-request-id'];
  if (res.body instanceof UnparsedBody) {
    return new GraphError(
      'GRAPH_BAD_RESPONSE',
      `Graph ${where} returned HTTP ${res.status} with a non-JSON body (${res.body.contentType || 'no content type'})`,
      'check that graphBaseUrl points at Microsoft Graph (a proxy or captive portal may be answering)',
      { status: res.status, requestId },
    );
  }
  const env = readEnvelope(res.body);
  const graphCode = env?.code;
  const rid = env?.requestId ?? requestId;
  const text = env ? `${env.code ?? 'error'}: ${env.message ?? '(no message)'}` : `HTTP ${res.status}`;
  const details = { status: res.status, graphCode, requestId: rid };
  switch (res.status) {
    case 401:
      return new GraphError('GRAPH_AUTH', `Graph ${where} rejected the access token (401 ${text})`, 'check the profile\'s tenantId, clientId and credential, and that the app is consented in this tenant', details);
    case 403: {
      const perm = missingPermission(env?.message) ?? missingPermission(env?.details.join(' '));
      const msg = perm
        ? `Graph ${where} is forbidden: the app lacks ${perm} (403 ${text})`
        : `Graph ${where} is forbidden (403 ${text})`;
      const hint = perm
        ? `grant the app the ${perm} application permission and admin-consent it`
        : 'grant the app the application permission this call needs (see docs/graph-facts.md §6) and admin-consent it';
      return new GraphError('GRAPH_FORBIDDEN', msg, hint, details);
    }
    case 404:
      return new GraphError('GRAPH_NOT_FOUND', `Graph ${where} not found (404 ${text})`, undefined, details);
    case 429:
      return new GraphError('GRAPH_THROTTLED', `Graph ${where} still throttled after retries (429 ${text})`, 'run again later, or lower --concurrency (backup, restore)', details);
    case 502:
    case 503:
    case 504:
      return new GraphError('GRAPH_UNAVAILABLE', `Graph ${where} unavailable after retries (${res.status} ${text})`, 'run again later', details);
    default:
      return new GraphError('GRAPH_REQUEST_FAILED', `Graph ${where} failed (${res.status} ${text})`, undefined, details);
  }
}

/** Transport failure (connection refused, reset, DNS, timeout): names the URL, never the query. */
export function unavailableError(url: string, cause: unknown): GraphError {
  let origin = url;
  try {
    const u = new URL(url);
    origin = `${u.origin}${u.pathname}`;
  } catch {
    origin = safePath(url);
  }
  const reason = networkReason(cause);
  return new GraphError('GRAPH_UNAVAILABLE', `cannot reach ${origin}: ${reason}`, `check that ${originOf(url)} is reachable (network, proxy, or the emulator is running)`, { cause });
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

/** The innermost system error code (ECONNREFUSED …) of a fetch failure. */
export function networkReason(cause: unknown): string {
  let c: unknown = cause;
  for (let i = 0; i < 5 && c; i++) {
    if (typeof c === 'object' && c !== null) {
      const o = c as { code?: unknown; cause?: unknown; errors?: unknown };
      if (typeof o.code === 'string' && /^E[A-Z]+/.test(o.code)) return o.code;
      if (Array.isArray(o.errors) && o.errors.length > 0) {
        c = o.errors[0];
        continue;
      }
      c = o.cause;
    } else break;
  }
  if (cause instanceof Error && cause.name === 'TimeoutError') return 'timed out';
  return 'network error';
}
