/**
 * JSON values held compressed one by one, each given back by its number (issue 17 item 1).
 *
 * src/set-aside.ts compresses lines in members of about 1 MiB: good for a list read back in order,
 * but a value wanted alone costs its whole member (session 36 tried the verify's users that way:
 * the comparison took 11 → 46 s). Here each value is its own raw deflate stream, against one
 * dictionary made from the first values' JSON, so one value is one small inflate. Measured on the
 * 10k-user bench archive's users (3,116 bytes of JSON each; throwaway script, one core): 346 bytes
 * each (level 3, memory level 3, WINDOW_BITS), about 70 µs to compress one, 20 µs to inflate and
 * 8 µs to parse it; without a dictionary brotli gave 1,275 bytes.
 *
 * The compressed bytes are kept in memory, in slabs of SLAB_BYTES (a Buffer per value would cost
 * more than the value). Never written anywhere: they are as sensitive as the values, and live as
 * long as the holder.
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';

/** Values whose JSON makes the dictionary, compressed once it is made. */
const SAMPLE_VALUES = 16;

/** The dictionary's size: the window (WINDOW_BITS) cannot reach further back. */
const DICTIONARY_BYTES = 16 * 1024;

/**
 * A 16 KiB window: each call's deflate state is about a quarter of the default's (about 130 KiB
 * with a 32 KiB window), so it stays under glibc's mmap threshold and costs no mmap, munmap and
 * page faults per value. Users of the 10k bench archive: 346 bytes each (329 with 32 KiB), 69 µs
 * to compress (90–158 with 32 KiB), 20 µs to inflate.
 */
const WINDOW_BITS = 14;

/** Bytes per slab of compressed values; a larger value gets a slab of its own. */
const SLAB_BYTES = 1 << 20;

const DEFLATE = { level: 3, memLevel: 3, windowBits: WINDOW_BITS } as const;

export class CompactJson<T> {
  private dictionary: Buffer | undefined;
  /** JSON of the first values, until the dictionary is made from it. */
  private pending: string[] = [];
  private slabs: Buffer[] = [];
  /** Where the current slab is filled to. */
  private used = SLAB_BYTES;
  /** Value i: slab `slab[i]`, bytes `start[i]` … `start[i] + length[i]`. */
  private slab: number[] = [];
  private start: number[] = [];
  private length: number[] = [];
  private bytesHeld = 0;

  /** Lets go of every value: the store is empty again (a new dictionary is made from the next values). */
  clear(): void {
    this.dictionary = undefined;
    this.pending = [];
    this.slabs = [];
    this.used = SLAB_BYTES;
    this.slab = [];
    this.start = [];
    this.length = [];
    this.bytesHeld = 0;
  }

  /** How many values were added. */
  get size(): number {
    return this.pending.length + this.slab.length;
  }

  /** Compressed bytes held (the slabs' filled parts). */
  get bytes(): number {
    return this.bytesHeld;
  }

  /**
   * Keeps `value` (its JSON: what JSON.stringify drops, it drops) and returns its number, from 0 up.
   * @throws TypeError when `value` has no JSON (undefined, a function) or cannot be serialized
   */
  add(value: T): number {
    const json = JSON.stringify(value) as string | undefined;
    if (json === undefined) throw new TypeError('CompactJson: the value has no JSON');
    const n = this.size;
    if (this.dictionary === undefined) {
      this.pending.push(json);
      if (this.pending.length >= SAMPLE_VALUES) this.makeDictionary();
      return n;
    }
    this.keep(json);
    return n;
  }

  /**
   * Value `n`, parsed again: a new object at each call, equal as JSON to the one added.
   * @throws RangeError when no value `n` was added
   */
  get(n: number): T {
    if (!Number.isInteger(n) || n < 0 || n >= this.size) throw new RangeError(`CompactJson: no value ${n}`);
    if (this.dictionary === undefined) return JSON.parse(this.pending[n] as string) as T;
    const s = this.slabs[this.slab[n] as number] as Buffer;
    const from = this.start[n] as number;
    const text = inflateRawSync(s.subarray(from, from + (this.length[n] as number)), { dictionary: this.dictionary, windowBits: WINDOW_BITS });
    return JSON.parse(text.toString('utf8')) as T;
  }

  /** The dictionary, from the values added so far; those are then compressed with it. */
  private makeDictionary(): void {
    const sample = Buffer.from(this.pending.join('\n'), 'utf8');
    // a copy, not a view: the sample's other bytes are not held through it
    this.dictionary = Buffer.from(sample.subarray(Math.max(0, sample.length - DICTIONARY_BYTES)));
    const held = this.pending.splice(0);
    for (const json of held) this.keep(json);
  }

  private keep(json: string): void {
    const c = deflateRawSync(json, { ...DEFLATE, dictionary: this.dictionary as Buffer });
    if (this.used + c.length > SLAB_BYTES) {
      this.slabs.push(Buffer.allocUnsafe(Math.max(SLAB_BYTES, c.length)));
      this.used = 0;
    }
    const at = this.slabs.length - 1;
    c.copy(this.slabs[at] as Buffer, this.used);
    this.slab.push(at);
    this.start.push(this.used);
    this.length.push(c.length);
    this.used += c.length;
    this.bytesHeld += c.length;
  }
}
