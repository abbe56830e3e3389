/**
 * Strings to dense numbers (0, 1, 2, … in the order each was first added), holding a 16-byte
 * digest of each string instead of the string: the restore's run looks its operations up by op id
 * (src/restore/execute/waiting.ts, src/restore/execute/settled.ts, the journal's latest states in
 * src/restore/execute/journal.ts), and at 100k users the 350,000 op ids were 33 MiB of strings,
 * each kept for the whole run because three maps held it as a key, and the maps' tables 14 MiB
 * each (issue 17 item 1, docs/design.md "Session 42"). Here an entry is 16 bytes of digest plus
 * its slot in an open-addressing table of 32-bit numbers, none of which the collector scans.
 *
 * Two strings are taken for one when their digests are equal: the first 120 bits of their SHA-256,
 * which for a million op ids happens with a probability under 10^-24 (the journal's hash chain rests
 * on the same function, docs/journal-format.md).
 */
import { hash } from 'node:crypto';

/** 32-bit words per digest (30 bits used in each). */
const WORDS = 4;

export class DigestIndex {
  /** Entry e's digest: words `WORDS * e` … `WORDS * e + 3`. */
  private digests: Int32Array;
  /** Open addressing, linear probing: entry + 1 in each used slot, 0 in a free one; never over half full. */
  private table: Int32Array;
  private count = 0;

  constructor(expected = 0) {
    let cap = 1024;
    while (cap < expected * 2) cap *= 2;
    this.table = new Int32Array(cap);
    this.digests = new Int32Array(Math.max(16, expected) * WORDS);
  }

  /** An index of `keys` in order: entry i is `keys[i]`. @throws Error (a bug) when a key repeats */
  static of(keys: Iterable<string>, expected = 0): DigestIndex {
    const index = new DigestIndex(expected);
    for (const k of keys) {
      const n = index.size;
      if (index.add(k) !== n) throw new Error(`DigestIndex.of: ${k} repeats`);
    }
    return index;
  }

  /** How many strings it holds. */
  get size(): number {
    return this.count;
  }

  /** The entry of `key`, or undefined when it was never added. */
  get(key: string): number | undefined {
    const d = digestOf(key);
    const slot = this.find(d);
    const e = this.table[slot]!;
    return e === 0 ? undefined : e - 1;
  }

  /** True when `key` was added. */
  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  /** The entry of `key`: the one it already has, else the next number. */
  add(key: string): number {
    const d = digestOf(key);
    const slot = this.find(d);
    const e = this.table[slot]!;
    if (e !== 0) return e - 1;
    const n = this.count;
    if ((n + 1) * WORDS > this.digests.length) {
      const grown = new Int32Array(this.digests.length * 2);
      grown.set(this.digests);
      this.digests = grown;
    }
    this.digests.set(d, n * WORDS);
    this.table[slot] = n + 1;
    this.count = n + 1;
    if (this.count * 2 > this.table.length) this.rehash();
    return n;
  }

  /** The slot holding digest `d`, or the free slot where it would go. */
  private find(d: Int32Array): number {
    const mask = this.table.length - 1;
    const { table, digests } = this;
    for (let s = d[0]! & mask; ; s = (s + 1) & mask) {
      const e = table[s]!;
      if (e === 0) return s;
      const at = (e - 1) * WORDS;
      if (digests[at] === d[0] && digests[at + 1] === d[1] && digests[at + 2] === d[2] && digests[at + 3] === d[3]) return s;
    }
  }

  private rehash(): void {
    const table = new Int32Array(this.table.length * 2);
    const mask = table.length - 1;
    for (let e = 0; e < this.count; e++) {
      let s = this.digests[e * WORDS]! & mask;
      while (table[s] !== 0) s = (s + 1) & mask;
      table[s] = e + 1;
    }
    this.table = table;
  }
}

/** The last digest made: each lookup reads it before the next is made (no object per lookup). */
const scratch = new Int32Array(WORDS);

/** Base64 digit → its six bits. */
const SIXES = new Int32Array(128);
for (const [i, c] of [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'].entries()) SIXES[c.charCodeAt(0)] = i;

/**
 * The first 120 bits of `key`'s SHA-256 (UTF-8), as four 30-bit words (in `scratch`). Read from the
 * digest's base64 text: Node makes that three times as fast as a Buffer of it (measured, 350,000
 * op ids: 0.3 s against 0.9–1.3 s).
 */
function digestOf(key: string): Int32Array {
  const b = hash('sha256', key, 'base64');
  for (let w = 0, c = 0; w < WORDS; w++, c += 5) {
    scratch[w] = (SIXES[b.charCodeAt(c)]! << 24) | (SIXES[b.charCodeAt(c + 1)]! << 18) | (SIXES[b.charCodeAt(c + 2)]! << 12) | (SIXES[b.charCodeAt(c + 3)]! << 6) | SIXES[b.charCodeAt(c + 4)]!;
  }
  return scratch;
}
