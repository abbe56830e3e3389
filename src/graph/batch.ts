/**
 * batchAll: any number of requests as `$batch` calls of at most 20 (docs/graph-facts.md §5).
 *
 * - Requests linked by `dependsOn` (directly or transitively) always land in the same
 *   chunk, because Graph resolves dependsOn only within one batch.
 * - Each sub-request is throttled on its own, so a batch can come back 200 with some
 *   sub-responses 429/5xx. Those are re-sent, together with their dependants that failed
 *   424 only because of them; when and after how long is pacing.ts's `subRequestRetry`
 *   (the largest sub-response Retry-After, else exponential backoff), and a throttled
 *   sub-response has already paused every caller of the client (Pacer.noteBatch).
 *   A 424 caused by a real failure (say 400) is returned as is.
 */
import { systemClock, type Clock } from '../clock.js';
import type { Reporter } from '../progress.js';
import type { BatchRequest, BatchResponse, GraphClient } from './types.js';
import { MAX_BATCH } from './client.js';
import { DEFAULT_DEADLINE_MS, Semaphore, subRequestRetry } from './pacing.js';

export interface BatchAllOptions {
  /** Batches in flight at once; default 4. */
  concurrency?: number;
  /** Cap on re-send rounds for throttled/5xx sub-responses; default none (the deadline rules). */
  maxRetries?: number;
  /** Per-chunk deadline for re-sends, from the first send; default DEFAULT_DEADLINE_MS (10 min). */
  deadlineMs?: number;
  clock?: Clock;
  reporter?: Reporter;
  /** First backoff step when no Retry-After is given; default 1000 ms. */
  baseDelayMs?: number;
  /** Told before each re-send round: how long it waits, and whether for a Retry-After. */
  onResend?: (e: { waitMs: number; throttled: boolean; requests: number }) => void;
}

/**
 * Groups requests into chunks of at most 20, keeping dependsOn-connected requests
 * together and otherwise preserving order.
 * @throws Error (a bug) on duplicate ids, a dependsOn naming an unknown id, or a
 *   dependsOn-connected group larger than 20.
 */
export function chunkBatchRequests(requests: BatchRequest[]): BatchRequest[][] {
  const index = new Map<string, number>();
  requests.forEach((r, i) => {
    if (index.has(r.id)) throw new Error(`batchAll: duplicate request id ${r.id}`);
    index.set(r.id, i);
  });
  const parent = requests.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]!]!;
      i = parent[i]!;
    }
    return i;
  };
  requests.forEach((r, i) => {
    for (const d of r.dependsOn ?? []) {
      const j = index.get(d);
      if (j === undefined) throw new Error(`batchAll: request ${r.id} depends on unknown id ${d}`);
      const a = find(i);
      const b = find(j);
      if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
    }
  });
  const groups = new Map<number, BatchRequest[]>();
  requests.forEach((r, i) => {
    const root = find(i);
    const g = groups.get(root);
    if (g) g.push(r);
    else groups.set(root, [r]);
  });
  const chunks: BatchRequest[][] = [];
  let current: BatchRequest[] = [];
  // Map iteration follows insertion order: groups in order of their first request.
  for (const g of groups.values()) {
    if (g.length > MAX_BATCH) throw new Error(`batchAll: ${g.length} requests are linked by dependsOn; at most ${MAX_BATCH} fit one batch`);
    if (current.length + g.length > MAX_BATCH) {
      chunks.push(current);
      current = [];
    }
    current.push(...g);
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/**
 * Sends all requests in `$batch` chunks and returns every sub-response by request id.
 * Throws what GraphClient.batch throws for a whole failed batch (GraphError after the
 * client's own retries); sub-request failures are returned, not thrown.
 */
export async function batchAll(client: GraphClient, requests: BatchRequest[], opts: BatchAllOptions = {}): Promise<Map<string, BatchResponse>> {
  const chunks = chunkBatchRequests(requests);
  const clock = opts.clock ?? systemClock;
  const maxRetries = opts.maxRetries ?? Number.POSITIVE_INFINITY;
  const deadline = opts.deadlineMs ?? DEFAULT_DEADLINE_MS;
  const base = opts.baseDelayMs ?? 1000;
  const sem = new Semaphore(opts.concurrency ?? 4);
  const out = new Map<string, BatchResponse>();

  async function runChunk(chunk: BatchRequest[]): Promise<void> {
    let pending = chunk;
    const start = clock.now().getTime();
    for (let round = 0; ; round++) {
      const responses = await sem.run(() => client.batch(pending));
      const status = new Map<string, BatchResponse>();
      for (const r of responses) {
        status.set(r.id, r);
        out.set(r.id, r);
      }
      if (round >= maxRetries) return;
      const { retry, waitMs: wait, throttled } = subRequestRetry(pending, status, round, { nowMs: clock.now().getTime(), baseDelayMs: base });
      if (retry.size === 0) return;
      // Past the deadline the last sub-responses stand, as a direct request's last answer does.
      if (clock.now().getTime() + wait - start > deadline) return;
      // The client reported a throttled $batch already (Pacer.noteBatch): this is the re-send.
      const reason = throttled ? `${retry.size} throttled sub-requests, after Retry-After` : `${retry.size} sub-requests failed transiently`;
      opts.reporter?.report({ kind: 'retry', reason, path: '/$batch', attempt: round + 1, waitMs: wait });
      opts.onResend?.({ waitMs: wait, throttled, requests: retry.size });
      await clock.sleep(wait);
      pending = pending
        .filter((r) => retry.has(r.id))
        .map((r) => {
          const deps = (r.dependsOn ?? []).filter((d) => retry.has(d));
          const copy: BatchRequest = { ...r };
          if (deps.length > 0) copy.dependsOn = deps;
          else delete copy.dependsOn;
          return copy;
        });
    }
  }

  await Promise.all(chunks.map((c) => runChunk(c)));
  return out;
}
