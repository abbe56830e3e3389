/**
 * The writer's spool: objects arrive in any order and in any number, but the archive
 * needs them sorted. Records are appended to one file per archive entry, each record
 * sealed with AES-256-GCM under an ephemeral key that exists only in this process's
 * memory — plaintext tenant data never touches the collector's disk, and a spool left
 * by a killed process is unreadable noise.
 *
 * Memory holds only a compact index per entry, with no JS object or string per record
 * (issue 3: peak RSS must grow sub-linearly enough that 100k users stay within 2× of
 * 10k): the sort key's bytes packed into a few shared slabs, and per record four
 * numbers in chunked typed arrays — about 20 bytes plus the key bytes. A record's
 * ciphertext length is not stored: records of a file are contiguous in append order,
 * so it is the distance to the next record's offset.
 *
 * Sort order is JS string order (`a < b`, i.e. UTF-16 code units), exactly as when the
 * index was a Map<string, …> sorted with `<`. Keys are stored in an order-preserving
 * byte encoding of the UTF-16 code units (see `encodeUnits`), so a byte-wise compare of
 * two stored keys gives the same answer as `<` on the strings, astral characters and
 * lone surrogates included. Duplicate keys: the last record appended wins.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { NumberColumn } from '../columns.js';

/** Smallest allocation of a slab: entries with a handful of records stay tiny. */
const MIN_ALLOC = 16;
/** Key bytes per slab; a key longer than this gets a slab of its own. */
const SLAB = 1 << 20;
/**
 * Sealed records are gathered per file and written in one call once this many bytes wait:
 * one `writeSync` per record was a tenth of a 10k-user backup's CPU (bench/main.mts).
 */
const WRITE_BATCH = 1 << 16;
/**
 * A file up to this size is read whole (still sealed) once per sorted pass instead of one
 * `readSync` per record; a larger one is read record by record, so memory stays bounded
 * whatever the tenant's size (docs/archive-format.md, the writer's memory budget).
 */
const READ_WHOLE = 32 << 20;

/**
 * Bytes needed by `encodeUnits`: 1, 2 or 3 per UTF-16 code unit, as UTF-8 would
 * encode a code point of that value.
 */
function encodedLength(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const u = s.charCodeAt(i);
    if (u >= 0x80) n += u >= 0x800 ? 2 : 1;
  }
  return n;
}

/**
 * Write each UTF-16 code unit of `s` with the UTF-8 bit layout for that value
 * (surrogates encoded one by one, as in CESU-8; lone surrogates too). This is a
 * prefix-free code whose byte order equals the numeric order of the code units, so
 * comparing two encodings byte by byte (shorter-is-a-prefix sorts first) is exactly
 * JS `<` on the strings. Plain UTF-8 would not be: it sorts an astral character
 * (surrogates 0xD800–0xDFFF in UTF-16) after U+E000–U+FFFF, while `<` sorts it before.
 */
function encodeUnits(s: string, buf: Buffer, at: number): void {
  let p = at;
  for (let i = 0; i < s.length; i++) {
    const u = s.charCodeAt(i);
    if (u < 0x80) {
      buf[p++] = u;
    } else if (u < 0x800) {
      buf[p++] = 0xc0 | (u >> 6);
      buf[p++] = 0x80 | (u & 0x3f);
    } else {
      buf[p++] = 0xe0 | (u >> 12);
      buf[p++] = 0x80 | ((u >> 6) & 0x3f);
      buf[p++] = 0x80 | (u & 0x3f);
    }
  }
}

/** Compact (sort key → record) index of one spool file. */
class SpoolIndex {
  /** Record i's offset in the spool file; its length runs to record i+1 (or the file end). */
  readonly offs = new NumberColumn((n) => new Float64Array(n));
  private readonly keySlab = new NumberColumn((n) => new Uint32Array(n));
  private readonly keyOff = new NumberColumn((n) => new Uint32Array(n));
  private readonly keyLen = new NumberColumn((n) => new Uint32Array(n));
  private readonly slabs: Buffer[] = [];
  private slabUsed = 0;
  /** Record numbers in key order, one per distinct key; dropped on the next append. */
  private order: Uint32Array | undefined;

  get appended(): number {
    return this.offs.length;
  }

  add(off: number, key: string): void {
    const ascii = Buffer.byteLength(key, 'utf8') === key.length;
    const len = ascii ? key.length : encodedLength(key);
    const at = this.reserve(len);
    const slab = this.slabs[this.slabs.length - 1]!;
    if (ascii) slab.write(key, at, len, 'latin1');
    else encodeUnits(key, slab, at);
    this.offs.push(off);
    this.keySlab.push(this.slabs.length - 1);
    this.keyOff.push(at);
    this.keyLen.push(len);
    this.order = undefined;
  }

  /** Room for `len` key bytes at the end of the current slab; returns where they go. */
  private reserve(len: number): number {
    const last = this.slabs[this.slabs.length - 1];
    const need = this.slabUsed + len;
    if (last && need <= last.length) {
      this.slabUsed = need;
      return need - len;
    }
    if (last && need <= SLAB) {
      // grow the current slab in place of itself: offsets into it stay valid
      const bigger = Buffer.allocUnsafe(Math.min(SLAB, Math.max(need, last.length * 2)));
      last.copy(bigger, 0, 0, this.slabUsed);
      this.slabs[this.slabs.length - 1] = bigger;
      this.slabUsed = need;
      return need - len;
    }
    this.slabs.push(Buffer.allocUnsafe(len > SLAB ? len : Math.max(MIN_ALLOC, len)));
    this.slabUsed = len;
    return 0;
  }

  /**
   * Distinct keys' record numbers in key order (the last record of each key). Sorts a
   * permutation of record numbers by comparing key bytes; ties go by record number so
   * that the last of equal keys is the one kept, whatever the sort's stability.
   */
  sortedRecords(): Uint32Array {
    if (this.order) return this.order;
    const n = this.offs.length;
    // flat copies for the sort only (12 bytes per record, freed on return)
    const slabOf = new Uint32Array(n);
    const offOf = new Uint32Array(n);
    const endOf = new Uint32Array(n);
    for (let i = 0; i < n; i++) {
      slabOf[i] = this.keySlab.get(i);
      offOf[i] = this.keyOff.get(i);
      endOf[i] = offOf[i]! + this.keyLen.get(i);
    }
    const slabs = this.slabs;
    const compareKeys = (x: number, y: number): number => {
      const a = slabs[slabOf[x]!]!;
      const b = slabs[slabOf[y]!]!;
      let i = offOf[x]!;
      let j = offOf[y]!;
      const ea = endOf[x]!;
      const eb = endOf[y]!;
      while (i < ea && j < eb) {
        const d = a[i++]! - b[j++]!;
        if (d !== 0) return d;
      }
      return ea - i - (eb - j);
    };
    const perm = new Uint32Array(n);
    for (let i = 0; i < n; i++) perm[i] = i;
    perm.sort((x, y) => compareKeys(x, y) || x - y);
    // keep the last of each run of equal keys, compacting in place
    let kept = 0;
    for (let k = 0; k < n; k++) {
      const r = perm[k]!;
      if (k + 1 < n && compareKeys(r, perm[k + 1]!) === 0) continue;
      perm[kept++] = r;
    }
    this.order = kept === n ? perm : perm.slice(0, kept);
    return this.order;
  }
}

interface SpoolFile {
  fd: number;
  /** Distinguishes the file in record nonces. */
  no: number;
  /** Logical size: records appended, written or still pending. */
  size: number;
  /** Bytes already in the file; `pending` follows them. */
  written: number;
  pending: Buffer[];
  index: SpoolIndex;
}

export class EncryptedSpool {
  private readonly key = randomBytes(32);
  private readonly files = new Map<string, SpoolFile>();

  /**
   * @param readWholeLimit files up to this size are read whole per sorted pass (READ_WHOLE by
   *   default; tests lower it to exercise the record-by-record path).
   */
  constructor(readonly dir: string, private readonly readWholeLimit = READ_WHOLE) {
    mkdirSync(dir, { mode: 0o700 });
  }

  /**
   * A record's nonce is (file number, offset in that file): each is written exactly once
   * under this process's key, so nonces never repeat and need not be stored.
   */
  private nonce(file: number, off: number): Buffer {
    const b = Buffer.alloc(12);
    b.writeUIntBE(file, 0, 6);
    b.writeUIntBE(off, 6, 6);
    return b;
  }

  /** Append a record; a later record with the same sort key replaces the earlier one. */
  append(entry: string, sortKey: string, plaintext: Buffer): void {
    let f = this.files.get(entry);
    if (!f) {
      const no = this.files.size;
      const fd = openSync(join(this.dir, `s${no}`), 'wx+', 0o600);
      f = { fd, no, size: 0, written: 0, pending: [], index: new SpoolIndex() };
      this.files.set(entry, f);
    }
    const c = createCipheriv('aes-256-gcm', this.key, this.nonce(f.no, f.size));
    const sealed = Buffer.concat([c.update(plaintext), c.final(), c.getAuthTag()]);
    f.pending.push(sealed);
    f.index.add(f.size, sortKey);
    f.size += sealed.length;
    if (f.size - f.written >= WRITE_BATCH) this.flush(f);
  }

  /** Writes the records still waiting in memory (sealed, like the file). */
  private flush(f: SpoolFile): void {
    if (f.pending.length === 0) return;
    const all = Buffer.concat(f.pending);
    let done = 0;
    while (done < all.length) done += writeSync(f.fd, all, done, all.length - done, f.written + done);
    f.written += all.length;
    f.pending = [];
  }

  /** The whole file, when it is small enough to hold (see READ_WHOLE). */
  private whole(f: SpoolFile): Buffer | undefined {
    if (f.size > this.readWholeLimit) return undefined;
    const buf = Buffer.allocUnsafe(f.size);
    let done = 0;
    while (done < f.size) {
      const n = readSync(f.fd, buf, done, f.size - done, done);
      if (n === 0) throw new Error(`spool file ${f.no} is shorter than written (${done} of ${f.size} bytes)`);
      done += n;
    }
    return buf;
  }

  entries(): string[] {
    return [...this.files.keys()];
  }

  /** Distinct sort keys of an entry (what `sorted` yields). */
  count(entry: string): number {
    return this.files.get(entry)?.index.sortedRecords().length ?? 0;
  }

  /** Records of an entry in sort-key order, decrypted one at a time. */
  *sorted(entry: string): Generator<Buffer> {
    const f = this.files.get(entry);
    if (!f) return;
    this.flush(f);
    const order = f.index.sortedRecords();
    const last = f.index.appended - 1;
    const size = f.size;
    const file = this.whole(f);
    for (let k = 0; k < order.length; k++) {
      const i = order[k]!;
      const off = f.index.offs.get(i);
      const end = i < last ? f.index.offs.get(i + 1) : size;
      const len = end - off;
      let buf: Buffer;
      if (file) {
        buf = file.subarray(off, end);
      } else {
        buf = Buffer.alloc(len);
        readSync(f.fd, buf, 0, len, off);
      }
      const d = createDecipheriv('aes-256-gcm', this.key, this.nonce(f.no, off));
      d.setAuthTag(buf.subarray(len - 16));
      yield Buffer.concat([d.update(buf.subarray(0, len - 16)), d.final()]);
    }
  }

  /** Close and delete everything; the key goes with the object. */
  destroy(): void {
    for (const f of this.files.values()) {
      try {
        closeSync(f.fd);
      } catch {
        // already closed
      }
    }
    this.files.clear();
    this.key.fill(0);
    rmSync(this.dir, { recursive: true, force: true });
  }
}
