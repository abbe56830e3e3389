/**
 * JSON batching at `/v1.0/$batch` (docs/graph-facts.md §5 "$batch"): at most 20 requests,
 * unique ids, Content-Type on requests with a body, `dependsOn` sequencing and
 * 424 Failed Dependency for dependants of a failed request. Every sub-request passes
 * through throttling, faults and authorization on its own.
 */
import type { Json } from '../../model.js';
import { badRequest } from '../graph-error.js';

export interface SubRequest {
  id: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: unknown;
  dependsOn: string[];
}

export interface SubResponse {
  id: string;
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

/** Validates a batch payload; 400 for the whole batch when it is malformed. */
export function parseBatch(raw: unknown): SubRequest[] {
  const reqs = (raw as { requests?: unknown } | null)?.requests;
  if (!Array.isArray(reqs)) throw badRequest('Invalid batch payload format: a requests array is required.', 'BadRequest');
  if (reqs.length > 20) {
    throw badRequest('The number of batch requests exceeds the maximum of 20.', 'BadRequest');
  }
  const seen = new Set<string>();
  const out: SubRequest[] = [];
  for (const r of reqs as Array<Record<string, Json>>) {
    const id = r?.id;
    if (typeof id !== 'string' || !id) throw badRequest('Invalid batch payload format: every request needs an id.', 'BadRequest');
    if (seen.has(id)) throw badRequest(`Batch request id '${id}' is not unique within the batch.`, 'BadRequest');
    seen.add(id);
    if (typeof r.method !== 'string' || typeof r.url !== 'string') {
      throw badRequest(`Invalid batch payload format: request '${id}' needs a method and a url.`, 'BadRequest');
    }
    const headers: Record<string, string> = {};
    const h = r.headers;
    if (h && typeof h === 'object' && !Array.isArray(h)) {
      for (const [k, v] of Object.entries(h)) if (typeof v === 'string') headers[k.toLowerCase()] = v;
    }
    if (r.body !== undefined && !headers['content-type']) {
      throw badRequest(`Content-Type header must be specified for request '${id}' with a body.`, 'BadRequest');
    }
    const deps = Array.isArray(r.dependsOn) ? r.dependsOn.map(String) : [];
    for (const dep of deps) {
      if (!seen.has(dep) || dep === id) {
        throw badRequest(`Request '${id}' depends on '${dep}', which is not an earlier request of the batch.`, 'BadRequest');
      }
    }
    out.push({ id, method: r.method.toUpperCase(), url: r.url, headers, body: r.body, dependsOn: deps });
  }
  return out;
}

/**
 * Runs sub-requests in order (dependsOn is honoured because every dependency comes
 * earlier); a request whose dependency failed is answered 424 without running.
 */
export async function runBatch(
  reqs: SubRequest[],
  exec: (r: SubRequest) => Promise<SubResponse>,
  failedDependency: (r: SubRequest) => SubResponse,
): Promise<SubResponse[]> {
  const status = new Map<string, number>();
  const out: SubResponse[] = [];
  for (const r of reqs) {
    const failed = r.dependsOn.some((d) => (status.get(d) ?? 0) >= 400);
    const res = failed ? failedDependency(r) : await exec(r);
    status.set(r.id, res.status);
    out.push(res);
  }
  return out;
}
