/**
 * Graph helpers for the executor: replication-lag retries on follow-up calls, 404 as
 * "absent", OData string escaping, and a wrapper that counts write calls.
 */
import { randomBytes } from 'node:crypto';
import { isVaultError } from '../../errors.js';
import type { GraphClient } from '../../graph/types.js';

// Lag retries are graph/pacing.ts's (one owner of Graph pacing); re-exported under the
// executor's existing names.
export { LAG_DELAYS_MS, isLagError, retryLaggedCall as withLagRetry } from '../../graph/pacing.js';

function statusOf(e: unknown): number | undefined {
  const s = (e as { status?: unknown } | null)?.status;
  return typeof s === 'number' ? s : undefined;
}

export function isNotFound(e: unknown): boolean {
  return isVaultError(e) && statusOf(e) === 404;
}

export function isBadRequest(e: unknown): boolean {
  return isVaultError(e) && statusOf(e) === 400;
}

/** GET that maps 404 to undefined. */
export async function tryGet<T>(graph: GraphClient, path: string): Promise<T | undefined> {
  try {
    return await graph.get<T>(path);
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

/** Collects a paged list; 404 (parent gone) is an empty list. */
export async function listAll<T>(graph: GraphClient, path: string): Promise<T[]> {
  const out: T[] = [];
  try {
    for await (const x of graph.list<T>(path)) out.push(x);
  } catch (e) {
    if (isNotFound(e)) return [];
    throw e;
  }
  return out;
}

/** An OData string literal: single quotes doubled, then URL-encoded. */
export function odataString(value: string): string {
  return encodeURIComponent(`'${value.replace(/'/g, "''")}'`);
}

export interface CountingGraph extends GraphClient {
  writeCalls(): number;
}

/** Wraps a client and counts mutating calls (POST/PATCH/PUT/DELETE and $batch). */
export function countWrites(graph: GraphClient): CountingGraph {
  let writes = 0;
  return {
    get: (p, h) => graph.get(p, h),
    list: (p, h) => graph.list(p, h),
    delta: (p) => graph.delta(p),
    post: (p, b, h) => {
      writes++;
      return graph.post(p, b, h);
    },
    // headers pass through (a default branding's Accept-Language, a retry marker): dropping them
    // here sent such calls without them
    patch: (p, b, h) => {
      writes++;
      return graph.patch(p, b, h);
    },
    put: (p, b, h) => {
      writes++;
      return graph.put(p, b, h);
    },
    delete: (p, h) => {
      writes++;
      return graph.delete(p, h);
    },
    getBytes: (p) => graph.getBytes(p),
    putBytes: (p, b, t) => {
      writes++;
      return graph.putBytes(p, b, t);
    },
    batch: (r) => {
      writes++;
      return graph.batch(r);
    },
    stats: () => graph.stats(),
    writeCalls: () => writes,
  };
}

const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const LOWER = 'abcdefghijkmnopqrstuvwxyz';
const DIGIT = '23456789';
const SYMBOL = '!#%*+-=?@_';
const ALL = UPPER + LOWER + DIGIT + SYMBOL;

/**
 * crypto.randomBytes drawn 64 bytes at a time: one call per password instead of one per byte
 * (forty calls a user were 7 % of a 20k-user restore's CPU, issue 17 item 2).
 */
class RandomBytes {
  private buf = randomBytes(64);
  private at = 0;
  next(): number {
    if (this.at === this.buf.length) {
      this.buf = randomBytes(64);
      this.at = 0;
    }
    return this.buf[this.at++] as number;
  }
}

/** A uniformly random integer in [0, n), n ≤ 256 (rejection sampling: no modulo bias). */
function below(n: number, r: RandomBytes): number {
  const limit = 256 - (256 % n);
  for (;;) {
    const b = r.next();
    if (b < limit) return b % n;
  }
}

/**
 * A 20-character temporary password satisfying Entra's complexity rule (all four classes).
 * Returned to the caller only; the executor hands it to the CredentialsSink and drops it.
 */
export function generateTemporaryPassword(): string {
  const r = new RandomBytes();
  const pick = (set: string): string => set[below(set.length, r)] as string;
  const chars = [pick(UPPER), pick(LOWER), pick(DIGIT), pick(SYMBOL)];
  while (chars.length < 20) chars.push(pick(ALL));
  for (let i = chars.length - 1; i > 0; i--) {
    const j = below(i + 1, r);
    [chars[i], chars[j]] = [chars[j] as string, chars[i] as string];
  }
  return chars.join('');
}

/** `$filter=prop eq 'v'`; where the service rejects the filter (400), the whole collection is read and matched here. */
export async function filtered(g: GraphClient, collection: string, prop: string, value: string): Promise<Record<string, unknown>[]> {
  const sep = collection.includes('?') ? '&' : '?';
  try {
    return await listAll<Record<string, unknown>>(g, `${collection}${sep}$filter=${prop}%20eq%20${odataString(value)}`);
  } catch (e) {
    if (!isBadRequest(e)) throw e;
    const all = await listAll<Record<string, unknown>>(g, collection);
    return all.filter((o) => o[prop] === value);
  }
}
