/**
 * A byte queue over an async chunk source, for the two hand-written stream parsers (the
 * tar reader and the age decryptor): chunks of any size, 1-byte chunks included, with no
 * quadratic copying. `take` returns views into the source's chunks, which are never
 * written to; a caller that keeps bytes for long copies them.
 */
export class ByteQueue {
  private parts: Buffer[] = [];
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

  /** Takes up to n bytes (whatever is buffered, at most n). */
  take(n: number): Buffer {
    if (this.parts.length === 0) return Buffer.alloc(0);
    const first = this.parts[0] as Buffer;
    if (this.parts.length === 1 && first.length <= n) {
      this.parts = [];
      this.len = 0;
      return first;
    }
    const all = this.parts.length === 1 ? first : Buffer.concat(this.parts, this.len);
    const out = all.subarray(0, n);
    const rest = all.subarray(out.length);
    this.parts = rest.length > 0 ? [rest] : [];
    this.len = rest.length;
    return out;
  }

  /**
   * Reads one '\n'-terminated line (without the '\n'); null when the source ends first.
   * @throws what `tooLong()` returns once more than `max` bytes have no '\n'
   */
  async line(max: number, tooLong: () => Error): Promise<Buffer | null> {
    let scanned = 0;
    for (;;) {
      const all = this.parts.length === 1 ? (this.parts[0] as Buffer) : Buffer.concat(this.parts, this.len);
      this.parts = all.length > 0 ? [all] : [];
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
