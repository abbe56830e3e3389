/**
 * Append-only columns in fixed-size chunks: the archive writer's spool index (src/archive/spool.ts)
 * and the planner's edge operations (src/restore/plan/relation-op.ts). A full chunk is never copied
 * again, so a column never holds an old copy of itself beside the new one while it grows: one array
 * doubled as it grew briefly held 3× its size, and each old copy stayed on the heap until a major
 * collection (at 100k users the planner's relation phase rose 460 → 482 MiB with edge columns grown
 * that way; issue 17 item 1).
 */

/** Rows per chunk. */
const CHUNK_SHIFT = 13;
const CHUNK = 1 << CHUNK_SHIFT;
const CHUNK_MASK = CHUNK - 1;
/** Smallest allocation of a number chunk: a column of a handful of rows stays tiny. */
const MIN_ALLOC = 16;

/**
 * A column of numbers in typed-array chunks. The last chunk grows by doubling up to CHUNK, so the
 * slack is at most half a chunk.
 */
export class NumberColumn<T extends Float64Array | Uint32Array | Uint16Array> {
  private readonly chunks: T[] = [];
  length = 0;

  constructor(private readonly make: (n: number) => T) {}

  push(v: number): void {
    const c = this.length >>> CHUNK_SHIFT;
    const j = this.length & CHUNK_MASK;
    let chunk = this.chunks[c];
    if (!chunk) {
      chunk = this.make(MIN_ALLOC);
      this.chunks.push(chunk);
    } else if (j === chunk.length) {
      const bigger = this.make(Math.min(CHUNK, chunk.length * 2));
      bigger.set(chunk);
      chunk = bigger;
      this.chunks[c] = chunk;
    }
    chunk[j] = v;
    this.length++;
  }

  get(i: number): number {
    return this.chunks[i >>> CHUNK_SHIFT]![i & CHUNK_MASK]!;
  }
}

/** A column of values (strings, mostly) in array chunks of up to CHUNK rows. */
export class ValueColumn<T> {
  private readonly chunks: T[][] = [];
  length = 0;

  push(v: T): void {
    const c = this.length >>> CHUNK_SHIFT;
    if (c === this.chunks.length) this.chunks.push([]);
    (this.chunks[c] as T[]).push(v);
    this.length++;
  }

  get(i: number): T {
    return (this.chunks[i >>> CHUNK_SHIFT] as T[])[i & CHUNK_MASK] as T;
  }

  /** Replaces row `i` (written already). */
  set(i: number, v: T): void {
    (this.chunks[i >>> CHUNK_SHIFT] as T[])[i & CHUNK_MASK] = v;
  }
}
