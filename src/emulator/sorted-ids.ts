/**
 * A set of ids kept in JS string order (`<`, as `Array.prototype.sort` orders them), for the
 * emulator's collection pages: Graph pages a collection in a stable order, and the emulator pages
 * by id (./odata/listing.ts). Held in chunks of at most `2 × chunk` ids, so an insert or a removal
 * moves at most one chunk's ids and the chunk offsets after it, not the whole list: a plain sorted
 * array spliced on every create cost 11.7 s of the emulator's CPU over a 100k-user restore (issue 17
 * item 2), and rebuilding the list at the next read instead was slower still, since a restore reads
 * the collection between its creates.
 */

/** A read-only sequence of ids in order: what a page is cut from. A plain sorted array is one. */
export interface IdSequence {
  readonly length: number;
  /** The id at position `i`; pages read 0 ≤ i < length only (SortedIds answers undefined outside, an array counts back from the end for i < 0). */
  at(i: number): string | undefined;
}

export class SortedIds implements IdSequence {
  private chunks: string[][] = [];
  /** starts[k]: the position of chunks[k][0] in the whole sequence. */
  private starts: number[] = [];
  private size = 0;
  /** The chunk the last `at` read, so a page read in order finds its chunk without a search (checked before use). */
  private hint = 0;

  /** @param chunk ids per chunk before a split halves it (tests pass a small one to split often) */
  constructor(ids: Iterable<string> = [], private readonly chunk = 512) {
    const sorted = [...new Set(ids)].sort();
    for (let i = 0; i < sorted.length; i += chunk) this.chunks.push(sorted.slice(i, i + chunk));
    this.size = sorted.length;
    this.reindex(0);
  }

  get length(): number {
    return this.size;
  }

  at(i: number): string | undefined {
    if (!Number.isInteger(i) || i < 0 || i >= this.size) return undefined;
    let k = this.hint;
    if (!(k < this.chunks.length && this.starts[k]! <= i && i < this.starts[k]! + this.chunks[k]!.length)) {
      k = lastAtMost(this.starts, i);
      this.hint = k;
    }
    return this.chunks[k]![i - this.starts[k]!];
  }

  /** Adds `id`; nothing when it is already there. */
  insert(id: string): void {
    if (this.chunks.length === 0) {
      this.chunks.push([id]);
      this.size = 1;
      this.reindex(0);
      return;
    }
    const k = this.chunkFor(id);
    const c = this.chunks[k]!;
    const at = firstNotBelow(c, id);
    if (c[at] === id) return;
    c.splice(at, 0, id);
    this.size++;
    if (c.length > 2 * this.chunk) this.chunks.splice(k + 1, 0, c.splice(this.chunk));
    this.reindex(k);
  }

  /** Removes `id`; nothing when it is not there. */
  remove(id: string): void {
    if (this.chunks.length === 0) return;
    const k = this.chunkFor(id);
    const c = this.chunks[k]!;
    const at = firstNotBelow(c, id);
    if (c[at] !== id) return;
    c.splice(at, 1);
    this.size--;
    if (c.length === 0) this.chunks.splice(k, 1);
    this.reindex(k);
  }

  /** A copy as a plain array (tests, and callers that keep the ids past the next change). */
  toArray(): string[] {
    return this.chunks.flat();
  }

  /** The chunk `id` belongs in: the last whose first id is not above it (the first chunk for an id below all). */
  private chunkFor(id: string): number {
    return Math.max(0, partitionPoint(this.chunks.length, (k) => this.chunks[k]![0]! <= id) - 1);
  }

  private reindex(from: number): void {
    this.starts.length = this.chunks.length;
    for (let k = Math.max(0, from); k < this.chunks.length; k++) this.starts[k] = k === 0 ? 0 : this.starts[k - 1]! + this.chunks[k - 1]!.length;
  }
}

/**
 * The first index in [0, n) where `before` is false, for a `before` that holds for a prefix of the
 * indexes and for none after it (binary search). The one search the emulator's sorted ids use.
 */
export function partitionPoint(n: number, before: (i: number) => boolean): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (before(mid)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The first position in the sorted `ids` whose id is not below `id`. */
function firstNotBelow(ids: readonly string[], id: string): number {
  return partitionPoint(ids.length, (i) => ids[i]! < id);
}

/** The last k with starts[k] ≤ i (starts ascending, starts[0] = 0). */
function lastAtMost(starts: readonly number[], i: number): number {
  return partitionPoint(starts.length, (k) => starts[k]! <= i) - 1;
}
