/**
 * Lines of text held compressed in chunks of about 64 KiB, each read back by the slot it was
 * added at (issue 17 item 1). The store under a plan's held bodies (./held-bodies.ts) and held
 * fields (./held-fields.ts): a plan's lines are read in about the order they were added (a pass
 * over the plan), so a small cache of decoded chunks serves such a pass with one decompression
 * per chunk, and a read out of order costs one chunk's decompression.
 */
import { brotliDecompressSync } from 'node:zlib';
import { compress, keep, type KeptBytes } from '../set-aside.js';

/** Characters per compressed chunk. */
const CHUNK_CHARS = 64 * 1024;
/** Decoded chunks kept (each its lines, about 64 KiB). */
const CACHED_CHUNKS = 4;

export class HeldLines {
  /** Compressed chunks: lines joined by '\n'. */
  private readonly chunks: KeptBytes[] = [];
  /** The slot of each chunk's first line. */
  private readonly firsts: number[] = [];
  /** Lines not yet compressed: the last chunk, still filling. */
  private open: string[] = [];
  private openChars = 0;
  private slots = 0;
  /** Decoded chunks, most recently read last. */
  private readonly cache: { chunk: number; lines: string[] }[] = [];

  /** Compressed bytes held, with the characters of the chunk still filling. */
  get bytes(): number {
    return this.chunks.reduce((n, c) => n + c.length, 0) + this.openChars;
  }

  /**
   * Adds `line` and returns its slot (0, 1, 2… in the order added).
   * @throws Error when `line` holds a '\n' (a bug: JSON.stringify never writes one)
   */
  add(line: string): number {
    if (line.includes('\n')) throw new Error('a held line cannot hold a line break');
    if (this.openChars > 0 && this.openChars + line.length > CHUNK_CHARS) this.seal();
    if (this.open.length === 0) this.firsts.push(this.slots);
    this.open.push(line);
    this.openChars += line.length;
    return this.slots++;
  }

  /**
   * The line added at `slot`.
   * @throws Error when no line was added there (a bug)
   */
  line(slot: number): string {
    const chunk = this.chunkOf(slot);
    const first = this.firsts[chunk] as number;
    const lines = chunk === this.chunks.length ? this.open : this.linesOf(chunk);
    const line = lines[slot - first];
    if (line === undefined || slot < 0 || slot >= this.slots) throw new Error(`held line ${slot} is not in its chunk`);
    return line;
  }

  /** Compresses the chunk still filling. */
  private seal(): void {
    this.chunks.push(keep(compress(Buffer.from(this.open.join('\n'), 'utf8'))));
    this.open = [];
    this.openChars = 0;
  }

  /** The chunk holding `slot` (the last first-slot not after it). */
  private chunkOf(slot: number): number {
    let lo = 0;
    let hi = this.firsts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.firsts[mid] as number) <= slot) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  private linesOf(chunk: number): string[] {
    const at = this.cache.findIndex((c) => c.chunk === chunk);
    if (at >= 0) {
      const hit = this.cache.splice(at, 1)[0] as { chunk: number; lines: string[] };
      this.cache.push(hit);
      return hit.lines;
    }
    const lines = brotliDecompressSync((this.chunks[chunk] as KeptBytes).read()).toString('utf8').split('\n');
    this.cache.push({ chunk, lines });
    if (this.cache.length > CACHED_CHUNKS) this.cache.shift();
    return lines;
  }
}

/** Deep-freezes a parsed JSON value in place and returns it. */
export function deepFreeze<T>(v: T): T {
  if (v !== null && typeof v === 'object') {
    Object.freeze(v);
    for (const x of Array.isArray(v) ? v : Object.values(v)) deepFreeze(x);
  }
  return v;
}

/**
 * A new root for the hidden classes of one kind of object: a constructor whose instances are plain
 * objects (their prototype is Object.prototype; `constructor` reads Object), but whose hidden
 * classes are not `{}`'s. Objects that get accessors key by key start from a root of their own
 * kind: an object that adds an accessor for a key where another object of the same shape added
 * one with other functions becomes a slow dictionary (see `rebuildWith`). A root's instances get
 * room in the object for the most keys its first instances held (V8's slack tracking), so objects
 * of very different sizes want roots of their own (docs/engineering.md). Each call makes a new root.
 */
export function objectRoot<T>(): new () => T {
  const Root = function Root(): void {
    // the keys are set by whoever makes the object
  } as unknown as new () => T;
  Root.prototype = Object.prototype;
  return Root;
}

/**
 * An object equal to `src` (same own keys in the same order, symbols included, each as it was:
 * data or accessor) except that each key in `accessors` is that accessor, and `store` and `slot`
 * are set under `storeKey` and `slotKey` (own, non-enumerable: JSON and Object.keys skip them).
 * Built key by key on a new object, never redefined in place, so objects built alike share V8
 * hidden classes (fast properties). The accessors must be the same functions for every store of a
 * kind (they find their store through `storeKey`): V8 turns an object into a slow dictionary when
 * it adds an accessor whose functions differ from those an object of the same shape got before
 * (a bootstrap plan's store, then the rest plan's: at 100k users every held operation of the rest
 * plan was a dictionary, 120 MiB more, measured with a heap snapshot).
 */
export function rebuildWith(src: object, accessors: ReadonlyMap<string, PropertyDescriptor>, keys: { store: symbol; slot: symbol }, store: object, slot: number): Record<string | symbol, unknown> {
  const held: Record<string | symbol, unknown> = {};
  for (const k of Reflect.ownKeys(src)) {
    // held anew by another store of the same kind: its own store and slot are set below
    if (k === keys.store || k === keys.slot) continue;
    const own = typeof k === 'string' ? accessors.get(k) : undefined;
    if (own) {
      Object.defineProperty(held, k, own);
      continue;
    }
    const d = Object.getOwnPropertyDescriptor(src, k) as PropertyDescriptor;
    if ('value' in d && d.writable && d.enumerable && d.configurable) held[k] = d.value;
    else Object.defineProperty(held, k, d);
  }
  Object.defineProperty(held, keys.store, { value: store });
  Object.defineProperty(held, keys.slot, { value: slot });
  return held;
}
