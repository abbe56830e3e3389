/**
 * The narrow side-effect interface for Microsoft Graph. Everything that talks to a
 * tenant goes through a GraphClient; retries, throttling, dry-run and logging are
 * wrappers around a GraphTransport, never sprinkled through callers.
 */

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface GraphRequest {
  method: HttpMethod;
  /** Path relative to the profile's graphBaseUrl (`/users?$select=id`) or an absolute nextLink/deltaLink. */
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface GraphResponse<T = unknown> {
  status: number;
  headers: Record<string, string>;
  body: T;
}

/** One HTTP exchange with Graph. Throws only on transport failure (connection refused, timeout). */
export interface GraphTransport {
  send(req: GraphRequest, signal?: AbortSignal): Promise<GraphResponse>;
}

/** A sub-request of a `$batch` (at most 20 per call; ids unique). */
export interface BatchRequest {
  id: string;
  method: HttpMethod;
  /** Relative to the version root: `/users/{id}`. */
  url: string;
  body?: unknown;
  headers?: Record<string, string>;
  dependsOn?: string[];
}

export interface BatchResponse {
  id: string;
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface DeltaPage<T> {
  items: T[];
  /** Present on the last page. */
  deltaLink?: string;
}

/**
 * A stream property's bytes as Graph serves them (an Edm.Stream such as a company branding image,
 * `GET /organization/{id}/branding/bannerLogo`; docs/graph-facts.md S235).
 */
export interface GraphBytes {
  /** The response's Content-Type (`image/png`, `text/css`), without parameters. */
  contentType: string;
  bytes: Uint8Array;
}

export interface GraphStats {
  requests: number;
  /** Sub-requests inside $batch calls, counted separately. */
  batchedRequests: number;
  retries: number;
  throttled: number;
  throttleWaitMs: number;
  /** The fewest requests in flight Graph's throttling drove the client down to; absent if never lowered. */
  lowestConcurrency?: number;
}

/**
 * High-level Graph access. All methods throw GraphError (a VaultError with the HTTP
 * status and Graph's error code) after retries are exhausted; they never print.
 */
export interface GraphClient {
  get<T = unknown>(path: string, headers?: Record<string, string>): Promise<T>;
  /** Follows `@odata.nextLink` to the last page. */
  list<T = unknown>(path: string, headers?: Record<string, string>): AsyncIterable<T>;
  /** Pages of a delta round; pass a previous deltaLink to get changes only. */
  delta<T = unknown>(pathOrDeltaLink: string): AsyncIterable<DeltaPage<T>>;
  post<T = unknown>(path: string, body: unknown, headers?: Record<string, string>): Promise<T>;
  /** `headers` (optional, added by the graph layer) e.g. `retryOnLag()` for a just-created object. */
  patch(path: string, body: unknown, headers?: Record<string, string>): Promise<void>;
  put<T = unknown>(path: string, body: unknown, headers?: Record<string, string>): Promise<T>;
  delete(path: string, headers?: Record<string, string>): Promise<void>;
  /**
   * Reads a stream property's raw bytes (retries and throttling as every call). Undefined when Graph
   * answers 204 or an empty body (no stream set).
   * @throws GraphError for any status >= 400 (a 404 included: the caller decides what "none" is).
   */
  getBytes(path: string): Promise<GraphBytes | undefined>;
  /** Writes a stream property's raw bytes with PUT and the given Content-Type (`image/png`, `text/css`). */
  putBytes(path: string, bytes: Uint8Array, contentType: string): Promise<void>;
  /** Sends up to 20 requests as one `$batch`; per-request failures are in the responses. */
  batch(requests: BatchRequest[]): Promise<BatchResponse[]>;
  stats(): GraphStats;
}
