/**
 * The request bodies of a plan's create and update operations, held compressed (issue 17 item 1).
 *
 * At 100k users a plan's bodies are about 86 MiB of live heap (a stored 100k plan loaded: 277 MiB
 * with them, 191 without), held from the moment the planner makes them until the executor sends
 * each, through every phase where the restore's memory peaks (docs/design.md "Performance
 * stance", session 34). As JSON lines compressed in chunks of about 64 KiB they are about 10 MiB.
 *
 * A held operation is an object equal to the one it replaces, as JSON and to every reader: the
 * same keys in the same order, `body` among them as an enumerable accessor. So the Operation
 * contract (./types.ts) is unchanged, and the plan's JSON, its sha256, its stored file and what
 * the executor sends are the same. What differs, and what callers must keep to:
 * - each read of `body` parses a new copy: read it once into a local, not once per property;
 * - that copy is deeply frozen: changing it in place throws (a TypeError in strict code), where
 *   it would otherwise change nothing and lose the change silently;
 * - assigning `op.body = x` replaces the body (the executor's run.ts `spend` does): later reads give
 *   `x` itself, as assigned;
 * - a spread (`{ ...op }`) or `structuredClone` gives a plain operation with a plain body.
 *
 * The chunks are read in the order the bodies were held, which is the plan's order within each
 * type (the planner holds them in opId order, the plan sorts each type by archived id), so a
 * small cache of decoded chunks serves a pass over the plan with one decompression per chunk.
 */
import { brotliDecompressSync } from 'node:zlib';
import { compress } from '../set-aside.js';
import type { Json, JsonObject } from '../model.js';
import type { Operation } from './types.js';

/** Characters of JSON per compressed chunk. */
const CHUNK_CHARS = 64 * 1024;
/** Decoded chunks kept (each its lines, about 64 KiB): a pass reads one type after another. */
const CACHED_CHUNKS = 4;

/** Where a held operation's body is in its store: an own, non-enumerable symbol (JSON and Object.keys skip it). */
const SLOT: unique symbol = Symbol('heldBodySlot');

type HeldOp = Operation & { [SLOT]: number };

function deepFreeze<T extends Json>(v: T): T {
  if (v !== null && typeof v === 'object') {
    Object.freeze(v);
    for (const x of Array.isArray(v) ? v : Object.values(v)) deepFreeze(x as Json);
  }
  return v;
}

/** One plan's held bodies. A held operation keeps its store alive; nothing else needs to. */
export class BodyStore {
  /** Compressed chunks: JSON lines, one body per line. */
  private readonly chunks: Buffer[] = [];
  /** The slot of each chunk's first line. */
  private readonly firsts: number[] = [];
  /** Lines not yet compressed: the last chunk, still filling. */
  private open: string[] = [];
  private openChars = 0;
  private slots = 0;
  /** Bodies assigned after holding (run.ts `spend`), by slot. */
  private readonly replaced = new Map<number, JsonObject>();
  /** Decoded chunks, most recently read last. */
  private readonly cache: { chunk: number; lines: string[] }[] = [];
  /** One accessor pair for every operation of this store, so they keep sharing V8 hidden classes. */
  private readonly accessor: PropertyDescriptor;

  constructor() {
    const store = this;
    this.accessor = {
      enumerable: true,
      configurable: true,
      get(this: HeldOp): JsonObject {
        return store.read(this[SLOT]);
      },
      set(this: HeldOp, v: JsonObject) {
        store.replaced.set(this[SLOT], v);
      },
    };
  }

  /** Compressed bytes held, with the characters of the chunk still filling. */
  get bytes(): number {
    return this.chunks.reduce((n, c) => n + c.length, 0) + this.openChars;
  }

  /**
   * An operation equal to `op` whose body is held here. `op` itself is not changed: the caller
   * puts the result in its place and lets go of `op` for its body to be freed. An operation
   * without a body, or already held here, is returned as it is.
   */
  hold<T extends Operation>(op: T): T {
    if (!('body' in op) || this.holds(op)) return op;
    const slot = this.add(op.body);
    const held: Record<string | symbol, unknown> = {};
    for (const [k, v] of Object.entries(op)) {
      if (k === 'body') Object.defineProperty(held, 'body', this.accessor);
      else held[k] = v;
    }
    Object.defineProperty(held, SLOT, { value: slot });
    return held as T;
  }

  private holds(op: Operation): boolean {
    return (op as Partial<HeldOp>)[SLOT] !== undefined && Object.getOwnPropertyDescriptor(op, 'body')?.get === this.accessor.get;
  }

  private add(body: JsonObject): number {
    const line = JSON.stringify(body);
    if (this.openChars > 0 && this.openChars + line.length > CHUNK_CHARS) this.seal();
    if (this.open.length === 0) this.firsts.push(this.slots);
    this.open.push(line);
    this.openChars += line.length;
    return this.slots++;
  }

  /** Compresses the chunk still filling. */
  private seal(): void {
    this.chunks.push(compress(Buffer.from(this.open.join('\n'), 'utf8')));
    this.open = [];
    this.openChars = 0;
  }

  /** A new, deeply frozen copy of the body in `slot`, or the body assigned to it since. */
  private read(slot: number): JsonObject {
    const r = this.replaced.get(slot);
    if (r !== undefined) return r;
    const chunk = this.chunkOf(slot);
    const first = this.firsts[chunk] as number;
    const lines = chunk === this.chunks.length ? this.open : this.linesOf(chunk);
    const line = lines[slot - first];
    if (line === undefined) throw new Error(`held body ${slot} is not in its chunk`);
    return deepFreeze(JSON.parse(line) as JsonObject);
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
    const lines = brotliDecompressSync(this.chunks[chunk] as Buffer).toString('utf8').split('\n');
    this.cache.push({ chunk, lines });
    if (this.cache.length > CACHED_CHUNKS) this.cache.shift();
    return lines;
  }
}

/**
 * Holds the body of each create and update operation of `ops` in `store` (a new one by default), in
 * place: each such operation is replaced by an equal one (BodyStore.hold). Operations already held
 * there stay. Returns the store.
 */
export function holdBodies(ops: Operation[], store: BodyStore = new BodyStore()): BodyStore {
  for (let i = 0; i < ops.length; i++) ops[i] = store.hold(ops[i] as Operation);
  return store;
}
