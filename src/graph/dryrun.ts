/**
 * Dry run (RELIABILITY.md 19: the default mode makes zero mutating calls). Reads pass
 * through to the real tenant so the plan sees real state; every write is recorded and
 * answered locally with a plausible result:
 *   POST   → the request body plus `id: "dryrun-<n>"` (Graph returns the created object)
 *   PUT    → the request body
 *   PATCH, DELETE → nothing
 * A few POST actions are really reads (getByIds, getMemberObjects, …) and pass through.
 */
import type { BatchRequest, BatchResponse, DeltaPage, GraphClient, GraphStats, HttpMethod } from './types.js';

export interface DryRunRecord {
  method: HttpMethod;
  path: string;
  body?: unknown;
}

/** POST actions that only read (Graph models some queries as POST). */
const READ_ONLY_POST = /\/(getByIds|getMemberObjects|getMemberGroups|checkMemberGroups|checkMemberObjects|getAvailableExtensionProperties)(\?|$)/;

/** True when a POST to `path` reads and changes nothing. */
export function isReadOnlyPost(path: string): boolean {
  return READ_ONLY_POST.test(path);
}

/**
 * Wraps a client so that mutating calls never reach the network.
 * `record` sees each suppressed write (method, path, body) in call order, including
 * writes inside `$batch`. Never throws for a write; reads throw what `inner` throws.
 */
export function dryRunClient(inner: GraphClient, record: (req: DryRunRecord) => void): GraphClient {
  let n = 0;
  const fakeId = () => `dryrun-${++n}`;
  const synth = (method: HttpMethod, body: unknown): unknown => {
    if (method === 'POST') {
      return typeof body === 'object' && body !== null && !Array.isArray(body) ? { ...body, id: fakeId() } : { id: fakeId() };
    }
    if (method === 'PUT') return body;
    return undefined;
  };
  const rec = (method: HttpMethod, path: string, body: unknown) => {
    const r: DryRunRecord = { method, path };
    if (body !== undefined) r.body = body;
    record(r);
  };
  return {
    get: <T>(path: string, headers?: Record<string, string>) => inner.get<T>(path, headers),
    list: <T>(path: string, headers?: Record<string, string>) => inner.list<T>(path, headers),
    delta: <T>(p: string): AsyncIterable<DeltaPage<T>> => inner.delta<T>(p),
    async post<T>(path: string, body: unknown, headers?: Record<string, string>): Promise<T> {
      if (isReadOnlyPost(path)) return inner.post<T>(path, body, headers);
      rec('POST', path, body);
      return synth('POST', body) as T;
    },
    async patch(path: string, body: unknown): Promise<void> {
      rec('PATCH', path, body);
    },
    async put<T>(path: string, body: unknown): Promise<T> {
      rec('PUT', path, body);
      return synth('PUT', body) as T;
    },
    async delete(path: string): Promise<void> {
      rec('DELETE', path, undefined);
    },
    async batch(requests: BatchRequest[]): Promise<BatchResponse[]> {
      const passes = (r: BatchRequest) => r.method === 'GET' || (r.method === 'POST' && isReadOnlyPost(r.url));
      const reads = requests.filter(passes);
      const synthesized = new Set(requests.filter((r) => !passes(r)).map((r) => r.id));
      const real = new Map<string, BatchResponse>();
      if (reads.length > 0) {
        // Reads that depended on a suppressed write can still run: the write "succeeded".
        const forwarded = reads.map((r) => {
          const deps = (r.dependsOn ?? []).filter((d) => !synthesized.has(d));
          const copy: BatchRequest = { ...r };
          if (deps.length > 0) copy.dependsOn = deps;
          else delete copy.dependsOn;
          return copy;
        });
        for (const res of await inner.batch(forwarded)) real.set(res.id, res);
      }
      return requests.map((r): BatchResponse => {
        const got = real.get(r.id);
        if (got) return got;
        rec(r.method, r.url, r.body);
        const body = synth(r.method, r.body);
        const status = r.method === 'POST' ? 201 : r.method === 'PUT' ? 200 : 204;
        return body === undefined ? { id: r.id, status } : { id: r.id, status, body };
      });
    },
    stats: (): GraphStats => inner.stats(),
  };
}
