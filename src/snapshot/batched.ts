/**
 * Per-object reads through `$batch` (docs/graph-facts.md §5: 20 requests per call), shared by
 * the full walk (walker.ts) and the incremental one (delta-read.ts).
 */
import { isVaultError, VaultError } from '../errors.js';
import type { BatchRequest, GraphClient } from '../graph/types.js';

/** What forEachBatched needs of the walk: the client, its concurrency and the stop signal. */
export interface BatchedReads {
  graph: GraphClient;
  concurrency?: number;
  signal?: AbortSignal;
}

/** Items of a collection response body, following `@odata.nextLink` to the end. */
export async function* pageItems(g: GraphClient, body: unknown): AsyncIterable<unknown> {
  const first = body as { value?: unknown; id?: unknown; '@odata.nextLink'?: unknown } | undefined;
  if (first && !Array.isArray(first.value) && typeof first.id === 'string') {
    // a single-valued containment such as /organization/{id}/branding
    yield first;
    return;
  }
  if (!first || !Array.isArray(first.value)) {
    throw new VaultError('GRAPH_BAD_RESPONSE', 'Graph returned a collection response without a value array');
  }
  yield* first.value;
  if (typeof first['@odata.nextLink'] === 'string') {
    yield* g.list(first['@odata.nextLink']);
  }
}

/**
 * Runs one GET per key through `$batch` (20 per call), `concurrency` calls at a time,
 * calling `onBody` in key order within each call. Sub-requests answered 429/5xx are
 * re-read as single GETs through the client; the walker itself never waits: a 429
 * sub-response has already closed the client's shared gate for its Retry-After, so the
 * GET (and every other call) waits there, and retries follow the client's pacing
 * (src/graph/pacing.ts).
 */
export async function forEachBatched(
  opts: BatchedReads,
  keys: string[],
  url: (key: string) => string,
  onBody: (key: string, body: unknown, status: number) => Promise<void>,
  allow404 = false,
  /** When given, a refused sub-request (4xx other than 429) is reported here instead of thrown. */
  onRefused?: (key: string, status: number, message: string) => Promise<void>,
): Promise<void> {
  const chunks: string[][] = [];
  for (let i = 0; i < keys.length; i += 20) chunks.push(keys.slice(i, i + 20));
  const concurrency = Math.max(1, opts.concurrency ?? 4);
  let next = 0;
  const worker = async () => {
    while (next < chunks.length) {
      opts.signal?.throwIfAborted();
      const chunk = chunks[next++]!;
      const reqs: BatchRequest[] = chunk.map((k, i) => ({ id: String(i + 1), method: 'GET', url: url(k) }));
      const responses = await opts.graph.batch(reqs);
      const byId = new Map(responses.map((r) => [r.id, r]));
      for (let i = 0; i < chunk.length; i++) {
        const key = chunk[i]!;
        const res = byId.get(String(i + 1));
        if (!res) throw new VaultError('GRAPH_BAD_RESPONSE', 'a $batch response is missing a sub-response');
        if (res.status >= 200 && res.status < 300) {
          await onBody(key, res.body, res.status);
        } else if (res.status === 404 && allow404) {
          await onBody(key, undefined, 404);
        } else if (res.status === 429 || res.status >= 500) {
          // re-read this one on its own; the client's pacing does the waiting
          let body: unknown;
          let status = 200;
          try {
            body = await opts.graph.get(url(key));
          } catch (e) {
            if (allow404 && isVaultError(e, 'GRAPH_NOT_FOUND')) status = 404;
            else if (onRefused && isVaultError(e) && REFUSED_CODES.has(e.code)) {
              await onRefused(key, 0, e.message);
              continue;
            } else throw e;
          }
          await onBody(key, body, status);
        } else if (onRefused && res.status >= 400 && res.status < 500) {
          await onRefused(key, res.status, batchError(res.status, res.body, url(key)).message);
        } else {
          throw batchError(res.status, res.body, url(key));
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, chunks.length) }, worker));
}

/** Client errors that mean "this one object cannot be read", not "stop the backup". */
const REFUSED_CODES = new Set<string>(['GRAPH_FORBIDDEN', 'GRAPH_NOT_FOUND']);

function batchError(status: number, body: unknown, path: string): VaultError {
  const err = (body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  const gcode = typeof err?.code === 'string' ? err.code : 'unknown';
  const msg = typeof err?.message === 'string' ? err.message : `HTTP ${status}`;
  const code = status === 403 ? 'GRAPH_FORBIDDEN' : status === 404 ? 'GRAPH_NOT_FOUND' : status === 401 ? 'GRAPH_AUTH' : 'GRAPH_REQUEST_FAILED';
  return new VaultError(code, `${path.split('?')[0]}: ${gcode}: ${msg}`);
}
