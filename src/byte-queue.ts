/**
 * A byte queue over an async chunk source, for the two hand-written stream parsers (the
 * tar reader and the age decryptor): chunks of any size, 1-byte chunks included, with no
 * quadratic copying. `take` returns views into the source's chunks, which are never
 * written to; a caller that keeps bytes for long copies them.
 */
export class ByteQueue {
  /** Buffered chunks are parts[head…]; consumed ones before head are dropped in batches. */
  private parts: Buffer[] = [];
  private head = 0;
  private len = 0;
  private done = false;
  constructor(private readonly it: AsyncIterator<Uint8Array>) {}

  /** Bytes buffered now. */
  get buffered(): number {
    return this.len;
  }

  /** True once the source has no more chunks. */
  get ended(): boolean {
    return this.done;
  }

  /** Pulls until at least n bytes are buffered or the source ends. */
  async fill(n: number): Promise<void> {
    while (this.len < n && !this.done) {
      const r = await this.it.next();
      if (r.done) this.done = true;
      else if (r.value.length > 0) {
        this.parts.push(Buffer.from(r.value.buffer, r.value.byteOffset, r.value.byteLength));
        this.len += r.value.length;
      }
    }
  }

  /**
   * Takes up to n bytes (whatever is buffered, at most n). A view when the first chunk holds
   * them all; otherwise only those bytes are copied, never the rest of what is buffered
   * (the age payload takes 64 KiB + 16 at a time from 64 KiB file reads: concatenating all
   * that was buffered at each take copied the file a second time).
   */
  take(n: number): Buffer {
    const want = Math.min(Math.max(0, n), this.len);
    if (want === 0) return Buffer.alloc(0);
    const first = this.parts[this.head] as Buffer;
    if (first.length >= want) {
      this.len -= want;
      if (first.length === want) {
        this.drop();
        return first;
      }
      this.parts[this.head] = first.subarray(want);
      return first.subarray(0, want);
    }
    const out = Buffer.allocUnsafe(want);
    let at = 0;
    while (at < want) {
      const p = this.parts[this.head] as Buffer;
      const k = Math.min(p.length, want - at);
      p.copy(out, at, 0, k);
      at += k;
      if (k === p.length) this.drop();
      else this.parts[this.head] = p.subarray(k);
    }
    this.len -= want;
    return out;
  }

  /** The first buffered chunk is used up. */
  private drop(): void {
    this.head++;
    if (this.head === this.parts.length) {
      this.parts = [];
      this.head = 0;
    } else if (this.head >= 1024 && this.head * 2 >= this.parts.length) {
      this.parts = this.parts.slice(this.head);
      this.head = 0;
    }
  }

  /** All buffered bytes as one chunk (copied only when they are in several). */
  private joined(): Buffer {
    const live = this.head === 0 ? this.parts : this.parts.slice(this.head);
    const all = live.length === 1 ? (live[0] as Buffer) : Buffer.concat(live, this.len);
    this.parts = all.length > 0 ? [all] : [];
    this.head = 0;
    return all;
  }

  /**
   * Reads one '\n'-terminated line (without the '\n'); null when the source ends first.
   * @throws what `tooLong()` returns once more than `max` bytes have no '\n'
   */
  async line(max: number, tooLong: () => Error): Promise<Buffer | null> {
    let scanned = 0;
    for (;;) {
      const all = this.joined();
      const i = all.indexOf(0x0a, scanned);
      if (i >= 0) return this.take(i + 1).subarray(0, i);
      scanned = all.length;
      if (scanned > max) throw tooLong();
      if (this.done) return null;
      await this.fill(this.len + 1);
    }
  }

  /** Releases the source (its `return`), e.g. closing a file stream early. */
  async close(): Promise<void> {
    await this.it.return?.();
  }
}
