/**
 * Bounded concurrency: at most `limit` requests in flight through this layer. Placed
 * just above the HTTP transport so requests sleeping in a retry backoff do not hold a
 * slot. Waiters are served first come, first served.
 */
import type { GraphTransport } from './types.js';

/** A counting semaphore. */
export class Semaphore {
  private active = 0;
  private readonly waiters: Array<() => void> = [];
  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`concurrency must be a positive integer, got ${limit}`);
  }
  async acquire(): Promise<void> {
    if (this.active < this.limit) {
      this.active++;
      return;
    }
    await new Promise<void>((resolve) => this.waiters.push(resolve));
  }
  release(): void {
    const next = this.waiters.shift();
    // Hand the slot straight to the next waiter: `active` stays the same.
    if (next) next();
    else this.active--;
  }
  async run<T>(fn: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await fn();
    } finally {
      this.release();
    }
  }
}

/**
 * Limits concurrent sends.
 * @throws RangeError (a bug) when limit is not a positive integer
 */
export function withConcurrencyLimit(inner: GraphTransport, limit: number): GraphTransport {
  const sem = new Semaphore(limit);
  return { send: (req, signal) => sem.run(() => inner.send(req, signal)) };
}
